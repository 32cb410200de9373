/*
 * ks_journal: the octets of a key server group's member journal, the
 * append-only file next to its state file (doc/ks-state.md, "The member
 * journal"): one authenticated record per member change (a registration, an
 * ejection) and per sender-ID grant, written before the member hears of
 * it, so a member that registered just before a SIGKILL is not lost.
 * Pure: no I/O.  The journal carries no key.
 *
 *   header: "GVKJ" | version (2) | 0 (2) | tag of the state file (32)
 *   record: length (2) | type (1) | contents | MAC (32)
 *
 * The MAC of record i is HMAC-SHA256(K, i | length | type | contents),
 * K = HMAC-SHA256(secret, "getvpn ks-journal 1" | group | 0 | tag): a
 * record of another group, another secret, another state file or
 * another place in the file does not check.  A journal is replayed up
 * to its first record that is truncated, does not check or does not
 * parse; the rest is cut.
 */
#ifndef ROLES_KS_JOURNAL_H
#define ROLES_KS_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "roles/ks_state.h"
#include "roles/ks_state_seal.h"

#define KS_JOURNAL_VERSION 1
#define KS_JOURNAL_TAG_LEN 32	/* the MAC that ends the state file */
#define KS_JOURNAL_HDR_LEN (8 + KS_JOURNAL_TAG_LEN)

enum ks_journal_type {
	KS_JOURNAL_MEMBER = 1,	/* a member as the state file holds it */
	KS_JOURNAL_SIDS = 2,	/* sender IDs granted */
};

struct ks_journal_key {
	uint8_t tag[KS_JOURNAL_TAG_LEN];
	uint8_t mac[32];
};

struct ks_journal_rec {
	enum ks_journal_type type;
	struct ks_state_member member;		/* KS_JOURNAL_MEMBER */
	uint32_t sid[GDOI_MAX_SID];		/* KS_JOURNAL_SIDS */
	size_t nsid;
};

struct member;

/* The key of group's records after the state file ending in tag. */
int ks_journal_key(const uint8_t secret[KS_STATE_SECRET_LEN],
		   const char *group, const uint8_t tag[KS_JOURNAL_TAG_LEN],
		   struct ks_journal_key *k);
void ks_journal_header(const struct ks_journal_key *k, struct buf_writer *w);
/* Record number index: member m, or sender IDs sid[0..n).  0, or -1. */
int ks_journal_member(const struct ks_journal_key *k, uint32_t index,
		      const struct member *m, struct buf_writer *w);
int ks_journal_sids(const struct ks_journal_key *k, uint32_t index,
		    const uint32_t *sid, size_t n, struct buf_writer *w);

typedef void (*ks_journal_fn)(void *arg, const struct ks_journal_rec *r);

/* Call fn for each good record of d[0..len) in order; returns how many.
 * *good is the length of the good prefix; *why is NULL when all of d
 * was good, else why the rest was cut (or, with *good 0, why the
 * journal was not used at all). */
size_t ks_journal_replay(const struct ks_journal_key *k, const uint8_t *d,
			 size_t len, ks_journal_fn fn, void *arg, size_t *good,
			 const char **why);

#endif
