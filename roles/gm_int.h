/*
 * gm_int: the member group and what the group member's files share
 * (gm.c: registration and timers; gm_life.c: lifetimes left;
 * gm_install.c: the data plane; gm_rekey.c: GROUPKEY-PUSH, gm_switch.c:
 * its TEK switch-over; gm_show.c, gm_rekey_show.c, gm_session.c: show
 * commands; gm_list.c: the list of groups and what others read of one).
 * Not for use outside roles/gm*.c: the rest of the program sees struct
 * gm_group through roles/gm.h only, as it sees the key server through
 * roles/ks.h.
 */
#ifndef ROLES_GM_INT_H
#define ROLES_GM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "gdoi/policy.h"
#include "ipsec/ipsec.h"
#include "roles/gm.h"

struct ev_timer;
struct gm_rekey;
struct ike_reg;

struct gm_group {
	char name[64];
	uint32_t id;
	uint32_t servers[GM_MAX_SERVERS];
	size_t nservers, server_idx;
	uint32_t local;			/* registration source address */
	char ifname[64];		/* interface of the crypto map */
	char ifconf[64];		/* its name in the config (IOS name) */
	char cmap[64];			/* the crypto map's name */
	/* the crypto map's `match address` deny entries, ahead of the KS's */
	struct ipsec_policy local_deny[GM_MAX_LOCAL_DENY];
	size_t nlocal_deny;
	/* crypto map NAME gdoi fail-close + activate: without a policy,
	 * drop everything but the fail-close ACL's deny entries */
	bool passive;			/* `passive`: accept clear inbound too */
	bool fail_close;
	struct ipsec_policy fc_pass[GM_MAX_LOCAL_DENY];
	size_t nfc_pass;
	enum gm_state state;
	struct evloop *loop;
	struct ike *ike;
	struct ipsec_ctx *ipsec;
	struct ike_reg *reg;
	struct ev_timer *t_retry, *t_rereg, *t_expire;
	unsigned backoff_ms;
	bool has_policy;
	struct gdoi_policy policy;
	uint64_t installed_ms;		/* policy lifetimes count from here */
	uint16_t rereg_spread;		/* per mille of the lead, drawn at
					 * each registration (gm.c) */
	struct gm_rekey *rk;		/* GROUPKEY-PUSH state (gm_rekey.h) */
	uint32_t registered_with;
	unsigned attempts, successes;
	char last_error[128];
	bool seen;			/* marked (gm_list.c) */
	struct gm_group *next;
};

/* gm.c */
/* Register now, to gm->servers[gm->server_idx]. */
void gm_start(struct gm_group *gm);
/* Remove the policy and every SA of the group (fail-close applies). */
void gm_uninstall(struct gm_group *gm);
/* (Re)arm the expiry and re-registration timers from the policy, and the
 * activation of a waiting TEK generation (roles/gm_switch.c). */
void gm_arm_timers(struct gm_group *gm);

/* gm_life.c */
/* Count gm->policy's lifetimes from now (installed_ms = now). */
void gm_rebase(struct gm_group *gm);
/* Seconds left of life counted from since_ms. */
uint32_t gm_left(const struct gm_group *gm, uint32_t life, uint64_t since_ms);

/* gm_install.c */
/* Without a policy: fail-close pass list and drop, or nothing. */
void gm_install_closed(struct gm_group *gm);
/* Policies (local deny first) and SAs of gm->policy, both directions. */
void gm_install(struct gm_group *gm);
/* Only the policies, pointing at gm->policy's SPIs. */
void gm_install_policies(struct gm_group *gm);
/* The SA of TEK t in direction dir; t's lifetime and pseudotime count
 * from since_ms.  Outbound is skipped for receive-only TEKs unless
 * passive. */
void gm_sa_add(struct gm_group *gm, const struct gdoi_tek *t,
	       enum ipsec_dir dir, uint64_t since_ms);
/* Both directions of spi. */
void gm_sa_remove(struct gm_group *gm, uint32_t spi);

#endif
