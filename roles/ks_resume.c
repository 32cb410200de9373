/*
 * ks_resume: a restarted key server takes its group's saved state back
 * (doc/ks-state.md "Restart").  The file is checked in full before any
 * of it is used; keys that ended while the key server was down are
 * dropped, and when the current TEKs or the KEK ended the group starts
 * over.  The SEQ of each KEK continues above the reserve written last,
 * and the sender IDs that may have been granted since that write are
 * kept out of use.  What follows (ks.c) compares the saved policy with
 * the config as an incremental commit does: keys whose policy changed
 * while the key server was down are replaced and pushed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/crypto.h"
#include "platform/evloop.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "platform/secmem.h"
#include "roles/ks_int.h"
#include "roles/ks_journal.h"
#include "roles/ks_state.h"
#include "roles/members.h"

static const char no_file[] = "no file";

/* Read, open and decode path into s, and the MAC that ends it into
 * tag (the journal follows it); NULL, or why not. */
static const char *
load(const struct ks_group *g, const char *path, struct ks_state *s,
     uint8_t tag[KS_JOURNAL_TAG_LEN])
{
	int64_t ahead = (int64_t)ev_wall(g->ks->loop) - (int64_t)ks_now(g);
	const char *why = NULL;
	uint8_t *plain = NULL;
	size_t len = 0, plen = 0;
	char *raw = NULL;

	if (file_read_all(path, KS_STATE_MAX, &raw, &len) < 0)
		return errno == ENOENT ? no_file : errno == EFBIG
		       ? "the file is too large" : strerror(errno);
	if (ks_state_open(g->ks->state_secret, (const uint8_t *)raw, len,
			  &plain, &plen, &why) == 0 &&
	    ks_state_decode(plain, plen, ahead, s) < 0)
		why = "malformed contents";
	if (why == NULL)	/* opened: longer than its MAC */
		memcpy(tag, raw + len - KS_JOURNAL_TAG_LEN, KS_JOURNAL_TAG_LEN);
	crypto_free_secure(raw, len);
	if (plain != NULL)
		crypto_free_secure(plain, plen);
	if (why == NULL && strcmp(s->group, g->name) != 0) {
		why = "written for another group";
		ks_state_free(s);
	}
	return why;
}

/* NULL when s can carry the group on at now. */
static const char *
unusable(const struct ks_state *s, uint64_t now)
{
	if (!s->gen.cur.used || s->gen.cur.ntek == 0)
		return "it holds no TEKs";
	if (s->gen.cur.end_ms <= now)
		return "its TEKs ended while the key server was down";
	if (s->gen.kek.used && s->gen.kek.end_ms <= now)
		return "its KEK ended while the key server was down";
	return NULL;
}

static void
restore_member(struct ks_group *g, const struct ks_state_member *sm,
	       uint64_t now)
{
	struct member *m = members_get(g->members, sm->addr);

	if (m == NULL)
		return;
	m->ks_addr = sm->ks_addr;
	m->port = sm->port;
	m->state = sm->ejected ? MEMBER_EJECTED : MEMBER_REGISTERED;
	m->acks_missed_run = sm->acks_missed_run;
	m->acked = true;
	m->registrations = sm->registrations;
	m->first_reg_ms = m->last_reg_ms = now;
	m->last_reg_wall = sm->last_reg_wall;
	memcpy(m->version, sm->version, sizeof(m->version));
	m->nsid = sm->nsid;
	memcpy(m->sid, sm->sid, sizeof(m->sid));
}

static unsigned long long
age_s(const struct ks_group *g, const struct ks_state *s)
{
	uint64_t wall = ev_wall(g->ks->loop);

	return wall > s->written_ms ? (wall - s->written_ms) / 1000 : 0;
}

static void
install(struct ks_group *g, struct ks_state *s, uint64_t now)
{
	uint32_t reserve[KS_STATE_SID_AHEAD];

	ks_gen_wipe(&g->gen);
	g->gen = s->gen;
	if (g->gen.old.used && g->gen.old.end_ms <= now)
		ks_gen_drop_old(&g->gen);
	if (g->gen.old_kek.used && g->gen.old_kek.end_ms <= now)
		ks_gen_drop_old_kek(&g->gen);
	/* the sender IDs granted after the last write, if any */
	ks_gen_grant_sids(&g->gen, KS_STATE_SID_AHEAD, reserve);
	members_clear(g->members);
	for (size_t i = 0; i < s->nmember; i++)
		restore_member(g, &s->member[i], now);
	g->seq_mark = g->gen.kek.seq;
	g->old_seq_mark = g->gen.old_kek.seq;
	ks_gen_keys_changed(&g->gen);	/* no cached key packets of before */
}

static void
replay_one(void *arg, const struct ks_journal_rec *r)
{
	struct ks_group *g = arg;

	if (r->type == KS_JOURNAL_MEMBER) {
		restore_member(g, &r->member, ks_now(g));
		ks_gen_hold_sids(&g->gen, r->member.sid, r->member.nsid);
	} else {
		ks_gen_hold_sids(&g->gen, r->sid, r->nsid);
	}
}

/* The member changes journaled after the state file ending in tag. */
static void
replay(struct ks_group *g, const uint8_t tag[KS_JOURNAL_TAG_LEN])
{
	struct ks_journal_key k;
	const char *why = NULL;
	char path[4096], *raw = NULL;
	size_t len = 0, good = 0, n = 0;

	ks_journal_path(g, path, sizeof(path));
	/* compacted once larger than the state file, within a second */
	if (file_read_all(path, 2 * KS_STATE_MAX, &raw, &len) < 0) {
		if (errno != ENOENT)
			log_warnx("group %s: member journal %s not used: %s",
				  g->name, path, strerror(errno));
		return;
	}
	if (ks_journal_key(g->ks->state_secret, g->name, tag, &k) == 0)
		n = ks_journal_replay(&k, (const uint8_t *)raw, len, replay_one,
				      g, &good, &why);
	else
		why = "no MAC key";
	OPENSSL_cleanse(&k, sizeof(k));
	crypto_free_secure(raw, len);
	if (why != NULL && good == 0)
		log_warnx("group %s: member journal %s not used: %s", g->name,
			  path, why);
	else if (why != NULL)
		log_warnx("group %s: member journal %s cut after %zu records "
			  "(%zu of %zu octets): %s", g->name, path, n, good,
			  len, why);
	else if (n > 0)
		log_info("group %s: %zu member changes replayed from %s",
			 g->name, n, path);
}

int
ks_persist_resume(struct ks_group *g, uint64_t now)
{
	uint8_t tag[KS_JOURNAL_TAG_LEN];
	struct ks_state *s;
	const char *why;
	char path[4096];

	if (g->ks->state_dir == NULL || (s = secmem_calloc(sizeof(*s))) == NULL)
		return -1;
	ks_persist_path(g, path, sizeof(path));
	ks_persist_clean(g, path);
	why = load(g, path, s, tag);
	if (why == NULL && (why = unusable(s, now)) != NULL)
		ks_state_free(s);
	if (why != NULL) {
		if (why != no_file)
			log_warnx("group %s: key state %s not used: %s; the "
				  "group starts with new keys", g->name, path,
				  why);
		secmem_free(s);
		return -1;
	}
	install(g, s, now);
	replay(g, tag);
	log_info("group %s: key state restored from %s, written %llu s before "
		 "(TEK generation %u, KEK SEQ from %u, %zu members)", g->name,
		 path, age_s(g, s), g->gen.cur.gen, g->gen.kek.seq + 1,
		 members_count(g->members));
	ks_state_free(s);
	secmem_free(s);
	ks_persist_save(g);	/* the journal is in it; a new one follows */
	return 0;
}
