/*
 * ks_persist: each key server group's state file (doc/ks-state.md), so
 * a key server that is restarted or killed comes back with the group's
 * keys, SEQ, pseudotime origin, sender IDs and members.
 *
 *   - one file per group, <dir>/ks-<group>.state, mode 0600, replaced
 *     atomically (platform/fileio.h), sealed (roles/ks_state_seal.h);
 *   - written before new keys are handed out or pushed, before a SEQ
 *     beyond the reserve written last is used, and when the member
 *     journal (ks_persist_journal.c) has grown past it;
 *   - read once, when the group first gets keys: a file that cannot be
 *     used is logged and left for the next write to replace; keys that
 *     ended while the key server was down are not used.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdoi/crypto.h"
#include "platform/evloop.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "roles/ks_int.h"
#include "roles/ks_journal.h"
#include "roles/ks_state.h"
#include "roles/members.h"

#define SECRET_FILE "ks-state.secret"

/* How far the wall clock is ahead of the key state's clock. */
static int64_t
wall_ahead(const struct ks_group *g)
{
	return (int64_t)ev_wall(g->ks->loop) - (int64_t)ks_now(g);
}

static int
seal_state(struct ks_group *g, struct buf_writer *out)
{
	struct buf_writer plain;
	int rc;

	buf_writer_init_max(&plain, KS_STATE_MAX);
	rc = ks_state_encode(g->name, &g->gen, g->members, wall_ahead(g),
			     KS_STATE_SEQ_AHEAD, ev_wall(g->ks->loop), &plain);
	if (rc == 0)
		rc = ks_state_seal(g->ks->state_secret, buf_data(&plain),
				   buf_len(&plain), out);
	buf_writer_free(&plain);
	return rc;
}

static void
saved(struct ks_group *g, int rc, const char *path, const char *why)
{
	if (rc < 0 && !g->save_failing)
		log_warnx("group %s: key state not written to %s: %s (a "
			  "restart would start the group over)", g->name, path,
			  why);
	else if (rc == 0 && g->save_failing)
		log_info("group %s: key state written to %s again", g->name,
			 path);
	g->save_failing = rc < 0;
	if (rc < 0)
		return;
	g->seq_mark = g->gen.kek.seq + KS_STATE_SEQ_AHEAD;
	g->old_seq_mark = g->gen.old_kek.seq + KS_STATE_SEQ_AHEAD;
	g->sids_granted = 0;
}

void
ks_persist_save(struct ks_group *g)
{
	struct buf_writer w;
	const char *why = NULL;
	char path[4096];
	int rc;

	if (g->ks->state_dir == NULL || !g->gen.cur.used)
		return;
	ev_timer_cancel(&g->t_save);
	ks_persist_path(g, path, sizeof(path));
	buf_writer_init_max(&w, KS_STATE_MAX);
	rc = seal_state(g, &w);
	if (rc < 0)
		why = "larger than the state file may be, or out of memory";
	else if ((rc = file_write_atomic(path, buf_data(&w), buf_len(&w),
					 0600)) < 0)
		why = strerror(errno);
	else	/* its MAC names it: the journal follows this file */
		ks_journal_start(g, buf_data(&w) + buf_len(&w) -
				 KS_JOURNAL_TAG_LEN, buf_len(&w));
	buf_writer_free(&w);
	saved(g, rc, path, why);
}

void
ks_persist_seq(struct ks_group *g, const struct ks_kekgen *k)
{
	uint32_t mark = k == &g->gen.kek ? g->seq_mark : g->old_seq_mark;

	if (k->seq >= mark)
		ks_persist_save(g);
}

static void
on_save(void *arg)
{
	ks_persist_save(arg);
}

void
ks_persist_dirty(struct ks_group *g)
{
	if (g->ks->state_dir != NULL && g->t_save == NULL)
		ev_timer(g->ks->loop, KS_STATE_FLUSH_MS, on_save, g,
			 &g->t_save);
}

void
ks_persist_stop(struct ks_group *g)
{
	if (g->t_save != NULL)
		ks_persist_save(g);
	ev_timer_cancel(&g->t_save);
	ks_journal_close(g);
}

void
ks_persist_clean(const struct ks_group *g, const char *path)
{
	char journal[4096];
	int n;

	ks_journal_path(g, journal, sizeof(journal));
	n = file_remove_stale_tmp(g->ks->state_dir, strrchr(path, '/') + 1) +
	    file_remove_stale_tmp(g->ks->state_dir, strrchr(journal, '/') + 1);
	if (n > 0)
		log_warnx("group %s: removed the temporary file of an "
			  "interrupted key state write", g->name);
}

/* The secret that seals the state files: 32 random octets in
 * dir/SECRET_FILE, made (0600) when there is none. */
static int
load_secret(const char *dir, uint8_t *secret, char *err, size_t errlen)
{
	char path[4096], *buf = NULL;
	size_t len = 0;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, SECRET_FILE);
	if (file_read_all(path, 2 * KS_STATE_SECRET_LEN, &buf, &len) == 0) {
		ok = len == KS_STATE_SECRET_LEN;
		if (ok)
			memcpy(secret, buf, len);
		crypto_free_secure(buf, len);
		if (!ok)
			snprintf(err, errlen, "%s is not a secret of %u octets",
				 path, KS_STATE_SECRET_LEN);
		return ok ? 0 : -1;
	}
	if (errno != ENOENT || crypto_random(secret, KS_STATE_SECRET_LEN) ||
	    file_write_atomic(path, secret, KS_STATE_SECRET_LEN, 0600) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		crypto_wipe(secret, KS_STATE_SECRET_LEN);
		return -1;
	}
	log_info("key state secret created in %s", path);
	return 0;
}

int
ks_keep_state(struct ks *ks, const char *dir, const char *secret_dir,
	      char *err, size_t errlen)
{
	const char *bad = NULL;
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		bad = strerror(errno);
	else if (stat(dir, &st) < 0)
		bad = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		bad = "not a directory";
	if (bad != NULL) {
		snprintf(err, errlen, "state directory %s: %s", dir, bad);
		return -1;
	}
	if (load_secret(secret_dir ? secret_dir : dir, ks->state_secret, err,
			errlen) < 0)
		return -1;
	free(ks->state_dir);
	ks->state_dir = strdup(dir);
	return ks->state_dir != NULL ? 0 : -1;
}

void
ks_persist_remove(struct ks_group *g)
{
	char path[4096];

	ev_timer_cancel(&g->t_save);
	ks_journal_close(g);
	if (g->ks->state_dir == NULL)
		return;
	ks_persist_path(g, path, sizeof(path));
	if (remove(path) == 0)
		log_info("group %s: key state %s removed", g->name, path);
	ks_journal_path(g, path, sizeof(path));
	remove(path);
}

void
ks_persist_member(struct ks_group *g, const struct member *m)
{
	struct buf_writer w;
	int rc;

	if (g->ks->state_dir == NULL)
		return;
	buf_writer_init(&w);
	rc = ks_journal_append(g, &w, ks_journal_member(&g->jkey, g->jindex,
							m, &w));
	buf_writer_free(&w);
	if (rc != 0)		/* not written, or time to compact */
		ks_persist_dirty(g);
}

void
ks_persist_sids(struct ks_group *g, const uint32_t *sids, size_t n)
{
	struct buf_writer w;
	int rc;

	if (g->ks->state_dir == NULL || g->gen.shape.sid_bits == 0 || n == 0)
		return;		/* no counter-mode TEK: no sender IDs */
	buf_writer_init(&w);
	rc = ks_journal_append(g, &w, ks_journal_sids(&g->jkey, g->jindex,
						      sids, n, &w));
	buf_writer_free(&w);
	if (rc > 0)
		ks_persist_dirty(g);	/* compact it */
	if (rc >= 0)
		return;
	/* no journal: the state file's reserve (doc/ks-state.md) */
	if (g->sids_granted + n > KS_STATE_SID_AHEAD)
		ks_persist_save(g);
	else
		g->sids_granted += n;
}
