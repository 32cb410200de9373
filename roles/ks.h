/*
 * ks: the key server role of one GDOI group: its current policy (KEK and
 * TEKs with keys), readiness, sender-ID pool, member database and the
 * callbacks the GDOI endpoint calls during a registration.  Built and
 * adjusted from the running-config by roles/router.c.
 */
#ifndef ROLES_KS_H
#define ROLES_KS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/policy.h"

struct conf;
struct conf_gdoi_group;
struct keystore;
struct members;
struct term;

struct ks_group {
	char name[64];
	uint32_t id;			/* identity number */
	bool ready;			/* policy built: registrations served */
	char why[160];			/* why not ready */
	struct gdoi_policy policy;
	uint16_t sa_of_tek[GDOI_MAX_TEK];	/* `sa ipsec` of each TEK */
	uint64_t policy_ms;		/* when the policy (its keys) was made */
	struct members *members;
	uint32_t next_sid;
	unsigned long registrations, refused;
	bool seen;			/* still in the config (router sweep) */
	struct ks_group *next;
};

struct ks_group *ks_group_new(const char *name);
void ks_group_free(struct ks_group *ks);

/* Follow the config of group g; keeps keys when the policy's shape is
 * unchanged.  now_ms stamps a new policy. */
void ks_group_apply(struct ks_group *ks, const struct conf *c,
		    const struct conf_gdoi_group *g, const struct keystore *keys,
		    uint64_t now_ms);

/* Is peer allowed by `authorization address ipv4 ACL`? */
bool ks_group_authorized(const struct conf *c, const struct conf_gdoi_group *g,
			 uint32_t peer);

/* The policy as sent at now_ms (remaining lifetimes). */
void ks_group_policy_now(const struct ks_group *ks, uint64_t now_ms,
			 struct gdoi_policy *out);

/* Give out count sender IDs (0 when the pool is exhausted). */
size_t ks_group_grant_sids(struct ks_group *ks, size_t count, uint32_t *sids);

/* Forget the members and make fresh keys (clear crypto gdoi). */
void ks_group_clear(struct ks_group *ks, const struct conf *c,
		    const struct conf_gdoi_group *g, const struct keystore *keys,
		    uint64_t now_ms);

/* Seconds left of life seconds that started at since_ms. */
uint32_t ks_remaining(uint32_t life, uint64_t since_ms, uint64_t now_ms);

/* show crypto gdoi (KS part), ks members, ks policy */
void ks_group_show(const struct ks_group *ks, const struct conf *c,
		   uint64_t now_ms, struct term *t);
void ks_group_show_members(const struct ks_group *ks, uint32_t only,
			   struct term *t);
/* show crypto gdoi ks members summary (ks_members_summary.c) */
void ks_group_show_members_summary(const struct ks_group *ks,
				   struct term *t);
void ks_group_show_policy(const struct ks_group *ks, const struct conf *c,
			  uint64_t now_ms, struct term *t);

#endif
