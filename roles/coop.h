/*
 * coop: the cooperative key server engine of one group (doc/coop.md):
 * election, announcements, state and member sync, and the checks of every
 * received COOP message.  Transport-free and clock-free: the caller passes
 * datagrams in (coop_input), runs coop_tick() at the time it returns, and
 * sends what the io callbacks hand out; tests run many engines on a
 * virtual clock over a simulated network.
 */
#ifndef ROLES_COOP_H
#define ROLES_COOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/coop.h"

struct rsakey;

#define COOP_MAX_KS		8	/* key servers per group, self included */
#define COOP_ANN_MS		20000	/* primary refresh (IOS: 20 s) */
#define COOP_PERIOD_MIN_MS	500	/* shortest period_ms (tests, labs) */
#define COOP_PRIMARY_WAIT_MS	30000	/* secondary's wait (IOS: 30 s) */
#define COOP_RETRY_MS		5000	/* asking a late primary */
#define COOP_RETRIES		2
#define COOP_ELECT_WAIT_MS	10000	/* collecting answers in an election */
#define COOP_PEER_DEAD_MS	50000	/* not heard: unreachable */
#define COOP_SEQ_GAP		1000	/* a new primary's SEQ jump */
#define COOP_FLOOD_PER_S	20	/* datagrams per peer and second */
#define COOP_FLUSH_MS		250	/* member joins batched this long */

/* Why a datagram was dropped (show ... detail). */
enum coop_drop {
	COOP_DROP_UNCONF,	/* from an address that is no configured peer */
	COOP_DROP_FLOOD,
	COOP_DROP_MALFORMED,
	COOP_DROP_VERSION,
	COOP_DROP_SIGNATURE,
	COOP_DROP_REPLAY,
	COOP_DROP_OLD_EPOCH,
	COOP_DROP_LOWER_PRIMARY,
	COOP_DROP_ROLLBACK,	/* SYNC with SEQ or pseudotime going back */
	COOP_DROP_NOT_PRIMARY,	/* state from a KS we do not follow */
	COOP_DROP_COUNT
};

/* What the KS layer is told. */
enum coop_event {
	COOP_EV_PRIMARY,	/* we became primary: continue the lineage */
	COOP_EV_SECONDARY,	/* we follow another KS now */
	COOP_EV_STATE,		/* state adopted: coop_blob() holds it */
	COOP_EV_MERGE_WON,	/* rekey with a new KEK (then coop_set_state) */
	COOP_EV_MERGE_LOST,	/* push one last rekey under our old KEK */
};

struct coop_io {
	void *ctx;
	void (*send)(void *ctx, uint32_t to, const uint8_t *p, size_t len);
	void (*event)(void *ctx, enum coop_event ev);
	/* A member that registered with another KS (may be NULL). */
	void (*member)(void *ctx, const struct coop_member *m);
	/* For show: is the Phase 1 SA with peer up (may be NULL: none is
	 * used)? */
	bool (*ike_up)(void *ctx, uint32_t peer);
};

struct coop_conf {
	char group_name[64];
	uint32_t group;			/* identity number */
	uint32_t self;			/* our address, host order */
	uint16_t priority;
	uint32_t peers[COOP_MAX_KS - 1];
	unsigned npeers;
	const struct rsakey *key;	/* the group's rekey key pair */
	uint64_t counter_base;		/* wall-clock ms << 16 at start */
	uint32_t period_ms;		/* announcements; 0: COOP_ANN_MS */
};

struct coop_peer {
	uint32_t addr;
	uint8_t role;
	uint16_t priority;
	uint64_t epoch;
	uint32_t primary;		/* whom it follows */
	struct coop_summary sum;
	bool heard, reachable, claimed;	/* claimed: primary, refused */
	bool merged;			/* its merge into us was handled */
	uint64_t last_rx_ms, counter_rx, acked;
	uint64_t win_ms;		/* flood window start */
	unsigned win_n;
	unsigned long ann_tx, ann_tx_reply, ann_rx, ann_rx_reply;
	unsigned long sync_tx, sync_rx, tx_drops, rx_drops;
	unsigned long long bytes_tx, bytes_rx;
};

struct coop;

/* NULL: more than COOP_MAX_KS key servers, or no memory. */
struct coop *coop_new(const struct coop_conf *conf, const struct coop_io *io,
		      uint64_t now_ms);
void coop_free(struct coop *c);

void coop_input(struct coop *c, uint32_t from, const uint8_t *p, size_t len,
		uint64_t now_ms);
/* Run what is due; returns when to call again. */
uint64_t coop_tick(struct coop *c, uint64_t now_ms);

/* The primary's state changed (rekey): new summary and key state. */
int coop_set_state(struct coop *c, uint32_t seq, uint64_t pseudo_ms,
		   const uint8_t *blob, size_t len, uint64_t now_ms);
/* A member registered with us (sent to every peer). */
void coop_member_add(struct coop *c, uint32_t addr, uint32_t sid,
		     uint64_t now_ms);

/* Our slice [*lo, *hi) of a SID space of space SIDs (0 .. space - 1). */
void coop_sid_slice(const struct coop *c, uint32_t space, uint32_t *lo,
		    uint32_t *hi);

/* clear crypto gdoi ks cooperative role: elect again now, this key
 * server as a candidate like any other (doc/coop.md "Election"). */
void coop_reelect(struct coop *c, uint64_t now_ms);
uint8_t coop_role(const struct coop *c);
uint32_t coop_primary(const struct coop *c);
uint64_t coop_epoch(const struct coop *c);
const struct coop_summary *coop_summary(const struct coop *c);
const uint8_t *coop_blob(const struct coop *c, size_t *len);
unsigned long coop_drops(const struct coop *c, enum coop_drop why);
const char *coop_drop_name(enum coop_drop why);
size_t coop_npeers(const struct coop *c);
const struct coop_peer *coop_peer_at(const struct coop *c, size_t i);
/* Members: i < coop_nmembers(); local: registered with us. */
size_t coop_nmembers(const struct coop *c);
const struct coop_member *coop_member_at(const struct coop *c, size_t i);

/* `show crypto gdoi ks coop [detail]`: this group's members into the
 * group's open object. */
struct showout;
void coop_show(const struct coop *c, bool detail, uint64_t now_ms,
	       struct showout *o);

#endif
