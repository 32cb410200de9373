/*
 * coop_int: the COOP engine's private state, shared by roles/coop.c
 * (timers, election, sending), roles/coop_rx.c (receiving) and
 * roles/coop_show.c.
 */
#ifndef ROLES_COOP_INT_H
#define ROLES_COOP_INT_H

#include "roles/coop.h"

/* The engine's timers: the defaults of coop.h scaled with
 * coop_conf.period_ms (doc/coop.md "Timers"). */
struct coop_timers {
	uint64_t ann, primary_wait, retry, elect, dead;
};

struct coop {
	struct coop_conf conf;
	struct coop_timers t;
	struct coop_io io;
	struct coop_peer peers[COOP_MAX_KS - 1];
	uint8_t role;
	uint32_t primary;		/* whom we follow (self when primary) */
	uint64_t epoch;			/* of the primary we follow */
	uint64_t max_epoch;		/* highest seen anywhere */
	uint64_t counter_tx;
	struct coop_summary sum;
	uint64_t sum_ms;		/* when sum.pseudo_ms was current */
	uint64_t now_ms;		/* the clock at the last call in */
	bool has_state;
	bool synced;			/* a SYNC-FULL from our primary came */
	bool merged;			/* lost a merge, no SYNC-FULL yet */
	uint8_t blob[COOP_BLOB_MAX];
	size_t blob_len;
	struct coop_member *members;
	size_t nmembers, cap;
	struct coop_member *pending;	/* local joins not sent yet */
	size_t npending, pcap;
	uint64_t flush_ms;		/* earliest next flush of pending */
	uint64_t next_ann_ms, deadline_ms, elect_end_ms, elect_start_ms;
	uint64_t elect_hello_ms;	/* next election ANN; UINT64_MAX: none */
	unsigned retries;
	unsigned long drops[COOP_DROP_COUNT];
	unsigned long invalid_pst;
};

/* coop.c */
/* addr (host order) as dotted quad in buf (INET_ADDRSTRLEN). */
const char *coop_ip4(uint32_t addr, char *buf);
uint64_t coop_pseudo_now(const struct coop *c);
int coop_rank_cmp(uint16_t pa, uint32_t aa, uint16_t pb, uint32_t ab);
struct coop_peer *coop_peer_find(struct coop *c, uint32_t addr);
void coop_send_hello(struct coop *c, struct coop_peer *p, uint16_t flags);
void coop_send_sync(struct coop *c, struct coop_peer *p, bool full,
		    const struct coop_member *mem, size_t nmem);
void coop_send_full(struct coop *c, struct coop_peer *p);
void coop_send_ack(struct coop *c, struct coop_peer *p, uint64_t counter);
void coop_follow(struct coop *c, struct coop_peer *p, uint64_t now_ms);
void coop_merge_won(struct coop *c, struct coop_peer *p);
void coop_start_election(struct coop *c, uint64_t now_ms);
void coop_members_to(struct coop *c, struct coop_peer *p);
void coop_member_put(struct coop *c, const struct coop_member *m);

#endif
