/*
 * gm_rekey: a group member's GROUPKEY-PUSH state (roles/gm_rekey.c and,
 * for the TEK switch-over, roles/gm_switch.c): the
 * KEKs it accepts rekeys under, a received TEK generation waiting for its
 * activation, the SAs of replaced generations waiting for their
 * deactivation, the multicast group joined, and the counters the show
 * commands print.  Internal to roles/gm*.c; the defaults are explained in
 * doc/rekey.md.
 */
#ifndef ROLES_GM_REKEY_H
#define ROLES_GM_REKEY_H

#include <stdbool.h>
#include <stdint.h>

#include "gdoi/policy.h"
#include "gdoi/push.h"

struct ev_timer;
struct gm_group;

/* Register again this long (at most half the lifetime) before the newest
 * TEK or the KEK ends when no rekey replaced it. */
#define GM_REKEY_LEAD_S 60
/* Members do not all register again at the same moment when their key
 * server falls silent: each waits a random part, up to this share, of the
 * lead before it does (drawn at each registration). */
#define GM_REREG_SPREAD_PER_MILLE 500
/* Without a GAP: switch outbound this long after a rekey arrives (never
 * after the replaced TEK ends) ... */
#define GM_REKEY_ATD_DEFAULT_S 15
/* ... and keep the replaced inbound SAs until they expire. */
/* After a KEK rollover the previous KEK still opens rekeys this long. */
#define GM_REKEY_KEK_GRACE_S 60
/* A duplicate of an acknowledged rekey is acknowledged again at most
 * this many times (the key server retransmits when an ACK was lost). */
#define GM_REKEY_MAX_REACK 3
/* SPIs of replaced generations waiting for their deactivation. */
#define GM_REKEY_MAX_OLD 16

struct gm_retiring {
	uint32_t spi;			/* network order */
	uint64_t at_ms;
};

struct gm_rekey {
	struct push_rx rx;
	/* a received generation before its activation */
	bool has_next;
	struct gdoi_policy next;	/* TEKs only, lifetimes from next_ms */
	uint64_t next_ms, activate_ms;
	uint32_t dtd_s;			/* GAP DTD of that rekey, 0: none */
	bool has_dtd;
	struct ev_timer *t_activate, *t_deactivate, *t_kek_retire;
	struct gm_retiring old[GM_REKEY_MAX_OLD];
	size_t nold;
	uint32_t mcast;			/* group joined (network order), 0 */
	/* counters */
	unsigned long total, since_reg, acks, missed, deletes;
	unsigned long drop[PUSH_ERR_COUNT], drop_source;
	uint32_t last_from, last_seq;
	uint64_t last_ms;
	uint32_t reack_seq;
	unsigned reacks;
};

/* One GROUPKEY-PUSH datagram (d->p, from d->from), taken or refused
 * (counted), and what the registration (gm.c) does next. */
enum gm_push {
	GM_PUSH_DONE,		/* nothing more */
	GM_PUSH_REARM,		/* new keys or times: gm_arm_timers */
	GM_PUSH_REGISTER,	/* nothing left to protect with or rekey under */
};
struct ike_dgram;
enum gm_push gm_rekey_input(struct gm_group *gm, const struct ike_dgram *d);

struct gm_rekey *gm_rekey_new(void);
void gm_rekey_free(struct gm_rekey *rk);
/* Forget everything but the counters: pending and retiring SAs are
 * removed, timers cancelled, KEKs forgotten, the multicast group left. */
void gm_rekey_reset(struct gm_group *gm);
/* A registration installed gm->policy: rekeys under its KEK from now. */
void gm_rekey_registered(struct gm_group *gm);
/* gm_switch.c: a rekey's TEKs (a refresh of those held, or a new
 * generation; true when it took some: the timers are due for gm_arm_timers);
 * a Delete of spi (0: every TEK); forget the pending and retiring SAs
 * (removed). */
bool gm_switch_teks(struct gm_group *gm, const struct gdoi_policy *in);
void gm_switch_delete(struct gm_group *gm, uint32_t spi);
void gm_switch_reset(struct gm_group *gm);
/* The current TEKs end or the activation delay is over: activate a
 * waiting generation now (true: the timers are due for gm_arm_timers), or
 * there is none (false). */
bool gm_rekey_activate_now(struct gm_group *gm);
/* The re-registration timer fired with a KEK: count and log it. */
void gm_rekey_missed(struct gm_group *gm);
/* The newest generation received and not yet active: its end and life. */
bool gm_rekey_newest(const struct gm_group *gm, uint64_t *end_ms,
		     uint32_t *life_s);
/* GM_REKEY_LEAD_S, or half of life_s when that is shorter, in ms. */
uint64_t gm_rekey_lead_ms(uint32_t life_s);

/* gm_rekey_show.c: "Unicast" or "Multicast"; the rekey lines of the
 * member block; the "Rekeys cumulative" block (doc/ios-cli.md §5.2). */
const char *gm_rekey_transport(const struct gm_group *gm);
struct showout;
void gm_rekey_show_member(const struct gm_group *gm, struct showout *o);
void gm_rekey_show_cumulative(const struct gm_group *gm, struct showout *o);

#endif
