/*
 * ks_int: the key server's private types, shared by ks.c (groups, config,
 * registrations), ks_rekey.c (lifecycle timers, GROUPKEY-PUSH, ACKs) and
 * ks_show.c.  Not for use outside roles/ks*.c: the rest of the program
 * sees struct ks and struct ks_group through roles/ks.h only.
 */
#ifndef ROLES_KS_INT_H
#define ROLES_KS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/policy.h"
#include "platform/evloop.h"
#include "roles/coop.h"
#include "roles/ks.h"
#include "roles/ks_gen.h"
#include "roles/ks_journal.h"
#include "roles/ks_state_seal.h"

struct ev_timer;
struct hmap;

/* The key state's clock is the loop's plus this constant, so times
 * restored from before this boot (the monotonic clock starts near 0 at
 * boot) stay positive: 2^40 ms is about 35 years. */
#define KS_CLOCK_BASE_MS (1ull << 40)

/* The state file (ks_persist.c, doc/ks-state.md): SEQ values and sender
 * IDs reserved on disk ahead of use, so a restart after a crash jumps
 * past every one that may have been used; member-list changes are
 * written within KS_STATE_FLUSH_MS. */
#define KS_STATE_SEQ_AHEAD 16
#define KS_STATE_SID_AHEAD 256
#define KS_STATE_FLUSH_MS 1000
/* The member journal is compacted into the state file when it is larger
 * than both the state file and this. */
#define KS_JOURNAL_MIN (64u << 10)

/* A member missing this many rekey ACKs in a row leaves the rekey list. */
#define KS_ACK_MISSES_EJECT 3
#define KS_MCAST_TTL_DEFAULT 1
/* Unicast copies sent per event-loop turn (ACKs are read in between). */
#define KS_UNICAST_BATCH 256
/* Copies whose ACK has not come back yet, at most; the next go out as
 * ACKs return, so a rekey to 100,000 members does not outrun the
 * network's (and the members') queues.  Without an ACK for
 * KS_UNICAST_STALL_MS the ones in flight count as lost (their members
 * get the retransmission) and sending goes on. */
#define KS_UNICAST_WINDOW 2048
#define KS_UNICAST_STALL_MS 50
/* Signing key pairs a group keeps (ks_signer.c): the one in force and
 * those it replaced, so a rollover is signed with the pair the members
 * know even after two new pairs in a row. */
#define KS_SIGNERS 3

struct keystore;
struct rsakey;

/* A signing pair a group keeps, and the label it had in the key store. */
struct ks_signer {
	struct rsakey *key;		/* a handle (rsakey_ref), or NULL */
	char label[64];
};

/* What the group's rekeys look like (from `server local`). */
struct ks_rekey_conf {
	bool multicast;			/* else one copy per member */
	uint8_t ttl;			/* multicast TTL */
	unsigned retx_period_s, retx_number;
	char rsa_label[64];		/* signing key */
};

/* The last rekey sent: what retransmissions resend, ACKs are matched to. */
struct ks_rekey {
	bool active;			/* retransmissions may follow */
	struct gdoi_kek kek;		/* the KEK it went out under */
	uint32_t seq;
	struct buf_writer msg;		/* the datagram */
	unsigned retx_done;
	uint64_t started_ms;
	uint64_t last_ack_ms;
	unsigned acks, expected;
	unsigned retx_last;		/* retransmissions of the last rekey */
	uint32_t cursor;		/* next member to send to (address) */
	unsigned inflight;		/* copies sent, ACK not back yet */
	bool stalled;			/* waiting for ACKs to send more */
	bool local_only;		/* to members registered here only */
	uint64_t duration_ms;		/* of the last rekey (until last ACK) */
};

struct ks_group {
	struct ks *ks;
	char name[64];
	uint32_t id;			/* identity number */
	bool ready;			/* policy built: registrations served */
	char why[160];			/* why not ready */
	bool seen;			/* still in the config (sweep) */
	bool fresh;			/* new or cleared: apply in full */
	struct ks_gen gen;
	struct members *members;
	struct ks_rekey_conf rc;
	struct ks_rekey rk;
	unsigned long registrations, refused;
	unsigned long rekeys_sent, rekeys_refused;
	struct ev_timer *t_tek, *t_kek, *t_retx, *t_old, *t_batch;
	struct coop *coop;		/* redundancy: COOP engine, or NULL */
	struct coop_conf coop_conf;	/* what it was built from */
	struct ev_timer *t_coop;
	uint64_t coop_mark;		/* key state last published */
	/* the lineage SEQ of the COOP summary is coop_seq_base + the SEQ
	 * under KEK coop_kek (doc/coop.md "Lineage SEQ") */
	uint8_t coop_kek[GDOI_KEK_SPI_LEN];
	uint32_t coop_seq_base;
	/* a merge lost: our KEK, for one last rekey to our members */
	struct ks_kekgen merge_kek;
	struct ev_timer *t_save;	/* member list to be written */
	uint32_t seq_mark, old_seq_mark;	/* SEQ reserved on disk */
	size_t sids_granted;		/* since the last write */
	bool save_failing;		/* the last write failed (logged) */
	int jfd;			/* member journal, or -1 */
	struct ks_journal_key jkey;	/* its records' MAC key */
	uint32_t jindex;		/* next record number */
	size_t jbytes, state_bytes;	/* its size, the state file's */
	bool journal_failing;		/* the last append failed (logged) */
	/* key pairs it was applied with, newest first (ks_signer.c) */
	struct ks_signer signers[KS_SIGNERS];
	struct ks_group *next;
};

struct ks {
	struct evloop *loop;
	struct ike *ike;
	const struct conf *conf;
	const struct keystore *keys;
	struct ks_group *head;
	struct hmap *by_name;		/* group name -> struct ks_group */
	struct gdoi_policy *scratch;	/* ks_policy_now() */
	unsigned long signatures;	/* RSA signatures made for rekeys */
	unsigned long rekey_tx;		/* rekey datagrams sent */
	unsigned long acks_dropped;	/* refused ACK datagrams */
	char *state_dir;		/* -s: state files, or NULL */
	uint8_t state_secret[KS_STATE_SECRET_LEN];	/* seals them */
};

/* ks_signer.c: keep the key store's pair under the group's label among
 * the group's signers (dropping those whose label was zeroized); the pair
 * that signs a rekey under kek (the one whose public key it carries, else
 * the key store's); forget them. */
void ks_signer_keep(struct ks_group *g, const struct keystore *keys);
const struct rsakey *ks_signer_for(struct ks_group *g,
				   const struct keystore *keys,
				   const struct gdoi_kek *kek);
void ks_signer_free(struct ks_group *g);

/* ks_rekey.c */
/* Arm the TEK / KEK / old-TEK timers from the key state. */
void ks_rekey_arm(struct ks_group *g);
void ks_rekey_stop(struct ks_group *g);
/* Push the current state (with_kek: roll the KEK to members; del: the
 * Delete payloads to carry).  Returns 0, -1 when nothing could be sent. */
struct push_delete;
int ks_rekey_send(struct ks_group *g, bool with_kek,
		  const struct push_delete *del, size_t ndel);
/* The same with the KEK, to the members registered here only (not those
 * of COOP peers). */
int ks_rekey_send_local(struct ks_group *g);

/* ks_coop.c */
struct conf_gdoi_group;
void ks_coop_apply(struct ks_group *g, const struct conf_gdoi_group *cg,
		   const struct keystore *keys);
void ks_coop_stop(struct ks_group *g);
/* ks_coop_state.c: the primary's key state out (when changed, or
 * force), a secondary's in (from the engine's blob). */
void ks_coop_publish(struct ks_group *g, bool force);
/* 0 when the primary's state is installed, -1 (nothing changed) when
 * there is none or it does not fit this key server's config. */
int ks_coop_adopt(struct ks_group *g);
/* A merge lost: remember our KEK; once the winner's state is installed
 * push it under that KEK to the members that registered here. */
void ks_coop_merge_lost(struct ks_group *g);
void ks_coop_last_rekey(struct ks_group *g);
/* Become primary: the adopted KEK's SEQ jumps by COOP_SEQ_GAP. */
void ks_coop_take_over(struct ks_group *g);
/* True when another key server is primary: no rekeys of our own. */
static inline bool
ks_coop_follows(const struct ks_group *g)
{
	return g->coop != NULL && coop_role(g->coop) == COOP_ROLE_SECONDARY;
}
/* No COOP, or the primary: a key server still electing (a restart with
 * keys from its state file) or following sends no rekey of its own. */
static inline bool
ks_coop_may_rekey(const struct ks_group *g)
{
	return g->coop == NULL || coop_role(g->coop) == COOP_ROLE_PRIMARY;
}
/* Why registrations wait (electing, or no state from the primary yet),
 * or NULL when this key server answers them. */
const char *ks_coop_why_not_serving(const struct ks_group *g);
/* Restrict the SIDs granted to this KS's COOP slice (or lift it). */
void ks_coop_sid_range(struct ks_group *g);
void ks_coop_member(struct ks_group *g, uint32_t peer, const uint32_t *sids,
		    size_t nsid);

/* ks_persist.c: the group's state file (doc/ks-state.md); every call
 * does nothing when the key server keeps no state. */
/* Install the saved state if it is usable at now (keys of the shape it
 * was made from, members); 0 when installed, -1 (logged) otherwise. */
int ks_persist_resume(struct ks_group *g, uint64_t now);
/* Write the state now (its keys changed). */
void ks_persist_save(struct ks_group *g);
/* Before the SEQ after k's is used: write when it passes the reserve. */
void ks_persist_seq(struct ks_group *g, const struct ks_kekgen *k);
/* The member list changed: written within KS_STATE_FLUSH_MS. */
void ks_persist_dirty(struct ks_group *g);

/* ks_persist_journal.c: the member journal.  Before the member hears of
 * it: m registered or was ejected; sender IDs sids[0..n) were granted. */
void ks_persist_member(struct ks_group *g, const struct member *m);
void ks_persist_sids(struct ks_group *g, const uint32_t *sids, size_t n);
/* A new journal after the state file that ends in tag was written. */
void ks_journal_start(struct ks_group *g, const uint8_t *tag,
		      size_t state_len);
void ks_journal_close(struct ks_group *g);
void ks_journal_path(const struct ks_group *g, char *p, size_t len);
/* ks_journal_append - the record in w (rc: its encoder's result) to the
 * journal: -1 not written, 0 written, 1 written and the journal has
 * grown past the state file (compact it: ks_persist_dirty). */
int ks_journal_append(struct ks_group *g, const struct buf_writer *w, int rc);
/* Write what is pending and stop (the process ends). */
void ks_persist_stop(struct ks_group *g);
/* The group is gone or starts over: so is its file. */
void ks_persist_remove(struct ks_group *g);
/* The group's file name, and the removal of what an interrupted write
 * of it left. */
void ks_persist_path(const struct ks_group *g, char *p, size_t len);
void ks_persist_clean(const struct ks_group *g, const char *path);

/* The key state's clock (KS_CLOCK_BASE_MS): of the key server, of the
 * group. */
static inline uint64_t
ks_clock(const struct ks *ks)
{
	return ev_now(ks->loop) + KS_CLOCK_BASE_MS;
}

static inline uint64_t
ks_now(const struct ks_group *g)
{
	return ks_clock(g->ks);
}

/* ks_rekey.c: the members keep their sender IDs into a new TEK generation. */
void ks_hold_member_sids(struct ks_group *g);

#endif
