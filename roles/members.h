/*
 * members: the key server's member database (one per KS group): who
 * registered, when, with which version and sender IDs, and the rekey
 * counters `show crypto gdoi ks members` prints.  Lookups by address are
 * O(1); iteration is in registration order.  The database belongs to the
 * group's runtime, so a config reload of other groups leaves it intact.
 */
#ifndef ROLES_MEMBERS_H
#define ROLES_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/policy.h"

enum member_state {
	MEMBER_REGISTERED,
	MEMBER_REKEY_PENDING,	/* a unicast rekey awaits its ACK */
	MEMBER_EJECTED,		/* missed too many rekey ACKs */
};

struct member {
	uint32_t addr;			/* network order */
	uint32_t ks_addr;		/* our address: registered, rekeyed from */
	uint32_t coop_ks;		/* COOP peer it registered with, 0: us */
	uint16_t port;			/* its GDOI port: rekeys go there */
	char version[16];
	enum member_state state;
	uint64_t first_reg_ms;		/* monotonic */
	uint64_t last_reg_ms;
	long long last_reg_wall;	/* seconds since the epoch */
	unsigned registrations;
	uint32_t sid[GDOI_MAX_SID];
	size_t nsid;
	unsigned rekeys_sent, rekey_retries, acks_rcvd, acks_missed;
	unsigned acks_missed_run;	/* rekeys in a row without an ACK */
	bool acked;			/* the last rekey was acknowledged */
	bool tx_pending;		/* its copy of the rekey not sent yet */
	uint32_t sent_seq[4], rcvd_seq[4];	/* last four, newest first */
	struct member *prev, *next;
};

struct members;

struct members *members_new(void);
void members_free(struct members *m);

/* The member with this address, or NULL. */
struct member *members_find(const struct members *m, uint32_t addr);
/* Find or add (a new member starts REGISTERED, zero counters). */
struct member *members_get(struct members *m, uint32_t addr);
void members_del(struct members *m, uint32_t addr);
size_t members_count(const struct members *m);
struct member *members_first(const struct members *m);
/* The key server it registered with (network order). */
uint32_t member_reg_ks(const struct member *m);
/* Registered with a COOP peer: REDUNDANT in this database (IOS). */
bool member_redundant(const struct member *m);
/* Forget everyone (clear crypto gdoi). */
void members_clear(struct members *m);

#endif
