/*
 * ks_persist_journal: the member journal of a key server group
 * (doc/ks-state.md, "The member journal"), DIR/ks-GROUP.journal next
 * to its state file.  Every write of the state file starts a new journal
 * bound to it; each registration, ejection and sender-ID grant is then
 * one record appended with write(2) before the member hears of it.  A process
 * that is killed loses nothing the kernel was given, so no record is
 * fsynced; a power loss can lose the records of the last seconds (see
 * the doc).  When the journal outgrows the state file (or
 * KS_JOURNAL_MIN) the state file is written again within
 * KS_STATE_FLUSH_MS, which compacts it.  A journal that cannot be
 * written is logged once, and the group falls back to writing the
 * state file within KS_STATE_FLUSH_MS of a change.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platform/fileio.h"
#include "platform/log.h"
#include "roles/ks_int.h"
#include "roles/ks_journal.h"

/* <dir>/ks-<name>.state; a name unfit for a file name goes in hex. */
void
ks_persist_path(const struct ks_group *g, char *p, size_t len)
{
	size_t n = (size_t)snprintf(p, len, "%s/ks-", g->ks->state_dir);

	if (file_name_ok(g->name, sizeof(g->name))) {
		snprintf(p + n, len - n, "%s.state", g->name);
		return;
	}
	n += (size_t)snprintf(p + n, len - n, "x");
	for (const char *c = g->name; *c != '\0' && n + 9 < len; c++)
		n += (size_t)snprintf(p + n, len - n, "%02x", (uint8_t)*c);
	snprintf(p + n, len - n, ".state");
}

void
ks_journal_path(const struct ks_group *g, char *p, size_t len)
{
	size_t n;

	ks_persist_path(g, p, len);
	n = strlen(p);
	if (n > 6 && n - 6 + sizeof(".journal") <= len)
		memcpy(p + n - 6, ".journal", sizeof(".journal"));
}

void
ks_journal_close(struct ks_group *g)
{
	if (g->jfd >= 0)
		close(g->jfd);
	g->jfd = -1;
}

/* Logged once; member changes go to the state file until the next
 * write of it starts a journal again. */
static void
journal_failed(struct ks_group *g, const char *why)
{
	ks_journal_close(g);
	if (!g->journal_failing)
		log_warnx("group %s: member journal not written: %s (member "
			  "changes are written with the state file instead)",
			  g->name, why);
	g->journal_failing = true;
}

void
ks_journal_start(struct ks_group *g, const uint8_t *tag, size_t state_len)
{
	struct buf_writer w;
	const char *why = NULL;
	char path[4096];

	ks_journal_close(g);
	ks_journal_path(g, path, sizeof(path));
	buf_writer_init(&w);
	if (ks_journal_key(g->ks->state_secret, g->name, tag, &g->jkey) < 0)
		why = "no MAC key";
	else
		ks_journal_header(&g->jkey, &w);
	if (why == NULL && (buf_writer_failed(&w) ||
	    file_write_atomic(path, buf_data(&w), buf_len(&w), 0600) < 0 ||
	    (g->jfd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0))
		why = strerror(errno);
	g->jbytes = buf_len(&w);
	g->jindex = 0;
	g->state_bytes = state_len;
	buf_writer_free(&w);
	if (why != NULL) {
		journal_failed(g, why);
		return;
	}
	if (g->journal_failing)
		log_info("group %s: member journal %s written again", g->name,
			 path);
	g->journal_failing = false;
}

int
ks_journal_append(struct ks_group *g, const struct buf_writer *w, int rc)
{
	ssize_t n;

	if (g->jfd < 0)
		return -1;
	if (rc < 0) {
		journal_failed(g, "record not encoded");
		return -1;
	}
	n = write(g->jfd, buf_data(w), buf_len(w));
	if (n != (ssize_t)buf_len(w)) {
		journal_failed(g, n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	g->jindex++;
	g->jbytes += buf_len(w);
	/* grown past the state file: time to compact it */
	return g->jbytes > KS_JOURNAL_MIN && g->jbytes > g->state_bytes;
}
