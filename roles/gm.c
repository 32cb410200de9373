/*
 * gm: the group member state machine (see roles/gm.h).
 *
 *   IDLE --apply--> REGISTERING --ok--> REGISTERED --timer--> REGISTERING
 *                        |  fail: next KS in the list
 *                        +--all failed--> WAITING --backoff--> REGISTERING
 *
 * The backoff doubles from GM_BACKOFF_MIN_MS to GM_BACKOFF_MAX_MS, each
 * wait drawn between half and all of it (gm_jitter).
 *
 * The downloaded policy stays installed through failures until its own
 * lifetime ends (then it is removed and a GM_RE_REGISTER is logged).
 * With a KEK the key server rekeys the group (roles/gm_rekey.c); the
 * member registers again only when a rekey did not come in time
 * (GM_REKEY_LEAD_S before the newest TEK or the KEK ends), starting with
 * the next key server of its list.
 */
#include "roles/gm_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "ipsec/ipsec.h"
#include "platform/evloop.h"
#include "platform/fsm.h"
#include "platform/log.h"
#include "platform/secmem.h"
#include "roles/gdoi_log.h"
#include "roles/gm_rekey.h"
#include "roles/ike.h"

static const char *const state_names[GM_STATE_COUNT] = {
	[GM_STATE_IDLE] = "Idle",
	[GM_STATE_REGISTERING] = "Registering",
	[GM_STATE_REGISTERED] = "Registered",
	[GM_STATE_WAITING] = "Waiting",
};

const char *
gm_state_name(enum gm_state s)
{
	return s < GM_STATE_COUNT ? state_names[s] : "?";
}

static const uint32_t legal[GM_STATE_COUNT] = {
	[GM_STATE_IDLE] = FSM_BIT(GM_STATE_REGISTERING),
	[GM_STATE_REGISTERING] = FSM_BIT(GM_STATE_REGISTERED) |
				 FSM_BIT(GM_STATE_WAITING) |
				 FSM_BIT(GM_STATE_IDLE),
	[GM_STATE_REGISTERED] = FSM_BIT(GM_STATE_REGISTERING) |
				FSM_BIT(GM_STATE_IDLE),
	[GM_STATE_WAITING] = FSM_BIT(GM_STATE_REGISTERING) |
			     FSM_BIT(GM_STATE_IDLE),
};

static struct fsm gm_fsm = FSM("GM", LOG_DBG_GDOI_GM, state_names, legal,
			       GM_STATE_COUNT);

/* The one place the state changes. */
static void
gm_set_state(struct gm_group *gm, enum gm_state to)
{
	if (fsm_move(&gm_fsm, gm->state, to, "%s", gm->name))
		gm->state = to;
}

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

struct gm_group *
gm_group_new(const char *name, struct evloop *loop, struct ike *ike,
	     struct ipsec_ctx *ipsec)
{
	struct gm_group *gm = secmem_calloc(sizeof(*gm));

	if (gm == NULL)
		return NULL;
	snprintf(gm->name, sizeof(gm->name), "%s", name);
	gm->loop = loop;
	gm->ike = ike;
	gm->ipsec = ipsec;
	gm->backoff_ms = GM_BACKOFF_MIN_MS;
	gm->rk = gm_rekey_new();
	if (gm->rk == NULL) {
		secmem_free(gm);
		return NULL;
	}
	return gm;
}

/* Remove the installed SAs and policies of this group. */
void
gm_uninstall(struct gm_group *gm)
{
	struct ipsec_ctx *x = gm->ipsec;

	gm_rekey_reset(gm);
	if (!gm->has_policy)
		return;
	if (x != NULL && x->be != NULL) {
		x->be->policy_flush(x, gm->id);
		for (size_t i = 0; i < gm->policy.ntek; i++) {
			x->be->sa_del(x, gm->policy.tek[i].spi, IPSEC_DIR_IN);
			x->be->sa_del(x, gm->policy.tek[i].spi, IPSEC_DIR_OUT);
		}
	}
	gdoi_policy_wipe(&gm->policy);
	gm->has_policy = false;
	ev_timer_cancel(&gm->t_expire);
	gm_install_closed(gm);
}

static void
gm_cancel(struct gm_group *gm)
{
	ike_register_cancel(&gm->reg);
	ev_timer_cancel(&gm->t_retry);
	ev_timer_cancel(&gm->t_rereg);
}

void
gm_group_free(struct gm_group *gm)
{
	if (gm == NULL)
		return;
	gm_cancel(gm);
	gm_uninstall(gm);
	gm_rekey_free(gm->rk);
	secmem_free(gm);
}

static uint32_t
shortest_lifetime(const struct gdoi_policy *p, bool kek)
{
	uint32_t s = kek && p->has_kek ? p->kek.lifetime_s : UINT32_MAX;

	for (size_t i = 0; i < p->ntek; i++)
		if (p->tek[i].lifetime_s < s)
			s = p->tek[i].lifetime_s;
	return s == UINT32_MAX ? 0 : s;
}

static void
on_expire(void *arg)
{
	struct gm_group *gm = arg;

	/* a rekey waiting for its activation replaces what ends now */
	if (gm_rekey_activate_now(gm)) {
		gm_arm_timers(gm);
		return;
	}
	gdoi_log(GDOI_MSG_GM_RE_REGISTER, gm->name);
	gm_uninstall(gm);
	if (gm->state == GM_STATE_REGISTERED)
		gm_start(gm);
}

static void
on_rereg(void *arg)
{
	struct gm_group *gm = arg;

	/* the rekey did not come: ask the next key server of the list */
	if (gm->has_policy && gm->policy.has_kek && gm->nservers > 0) {
		gm_rekey_missed(gm);
		gm->server_idx = (gm->server_idx + 1) % gm->nservers;
	}
	gm_start(gm);
}

/* When to register again if no rekey comes: GM_REKEY_LEAD_S (at most
 * half the lifetime) before the newest TEK or the KEK ends, less the
 * member's random spread (GM_REREG_SPREAD_PER_MILLE of the lead); without
 * a KEK nothing comes, and GM_REREG_PERCENT of the shortest life
 * applies. */
static uint64_t
lead_ms(const struct gm_group *gm, uint32_t life_s)
{
	uint64_t lead = gm_rekey_lead_ms(life_s);

	return lead - lead * gm->rereg_spread / 1000;
}

static uint64_t
rereg_at(const struct gm_group *gm)
{
	const struct gdoi_policy *p = &gm->policy;
	uint64_t tek_end, kek_end;
	uint32_t tek_life;

	if (!p->has_kek)
		return gm->installed_ms + (uint64_t)shortest_lifetime(p, true) *
			10 * GM_REREG_PERCENT;
	if (!gm_rekey_newest(gm, &tek_end, &tek_life)) {
		tek_life = shortest_lifetime(p, false);
		tek_end = gm->installed_ms + (uint64_t)tek_life * 1000;
	}
	kek_end = gm->installed_ms + (uint64_t)p->kek.lifetime_s * 1000;
	tek_end -= lead_ms(gm, tek_life);
	kek_end -= lead_ms(gm, p->kek.lifetime_s);
	return tek_end < kek_end ? tek_end : kek_end;
}

/* The activation delay of a waiting generation is over (gm_switch.c). */
static void
on_activate(void *arg)
{
	struct gm_group *gm = arg;

	if (gm_rekey_activate_now(gm))
		gm_arm_timers(gm);
}

void
gm_arm_timers(struct gm_group *gm)
{
	uint64_t now = ev_now(gm->loop), at;
	uint32_t life = shortest_lifetime(&gm->policy, !gm->policy.has_kek);
	struct gm_rekey *rk = gm->rk;

	ev_timer_cancel(&rk->t_activate);
	if (rk->has_next)
		ev_timer(gm->loop, rk->activate_ms > now ? rk->activate_ms - now
			 : 0, on_activate, gm, &rk->t_activate);
	ev_timer_cancel(&gm->t_expire);
	ev_timer_cancel(&gm->t_rereg);
	if (!gm->has_policy || life == 0)
		return;
	at = gm->installed_ms + (uint64_t)life * 1000;
	ev_timer(gm->loop, at > now ? at - now : 0, on_expire, gm,
		 &gm->t_expire);
	at = rereg_at(gm);
	ev_timer(gm->loop, at > now ? at - now : 0, on_rereg, gm,
		 &gm->t_rereg);
}

static void
on_retry(void *arg)
{
	gm_start(arg);
}

/* A wait of between half and all of ms, drawn at random: members that
 * failed together (a key server restart, a storm) do not come back
 * together.  Each retry is a fresh Phase 1 (roles/ike_reg.c). */
static uint64_t
gm_jitter(unsigned ms)
{
	uint32_t r = 0;

	if (crypto_random(&r, sizeof(r)) != 0)
		r = (uint32_t)ms;	/* no randomness: the middle */
	return ms / 2 + (uint64_t)r % (ms / 2 + 1);
}

static void
gm_registered(struct gm_group *gm, const struct gdoi_policy *p)
{
	char ks[INET_ADDRSTRLEN], me[INET_ADDRSTRLEN];

	gm_uninstall(gm);
	memcpy(&gm->policy, p, sizeof(*p));
	gm->has_policy = true;
	gm->installed_ms = ev_now(gm->loop);
	gm->registered_with = gm->servers[gm->server_idx];
	gm->successes++;
	gm->backoff_ms = GM_BACKOFF_MIN_MS;
	gm->last_error[0] = '\0';
	gm->rereg_spread = (uint16_t)(gm_jitter(2 * GM_REREG_SPREAD_PER_MILLE) -
				      GM_REREG_SPREAD_PER_MILLE);
	gm_install(gm);
	gm_set_state(gm, GM_STATE_REGISTERED);
	ip(gm->registered_with, ks);
	ip(gm->local, me);
	gdoi_log(GDOI_MSG_GM_REGS_COMPL, ks, gm->name, me);
	gdoi_log(GDOI_MSG_GM_INSTALL_POLICIES, ks, gm->name, me);
	gm_rekey_registered(gm);
	gm_arm_timers(gm);
}

static void
on_reg_done(void *arg, int rc, const char *why, const struct gdoi_policy *p)
{
	struct gm_group *gm = arg;
	char ks[INET_ADDRSTRLEN];

	gm->reg = NULL;
	if (rc == 0 && p != NULL && p->group_id == gm->id) {
		gm_registered(gm, p);
		return;
	}
	snprintf(gm->last_error, sizeof(gm->last_error), "%s",
		 why ? why : "policy for another group");
	gdoi_log(GDOI_MSG_GM_REG_FAILED, ip(gm->servers[gm->server_idx], ks),
		 gm->name, gm->last_error);
	gm->server_idx++;
	if (gm->server_idx < gm->nservers) {
		gm_start(gm);		/* the next key server, at once */
		return;
	}
	gm->server_idx = 0;
	gm_set_state(gm, GM_STATE_WAITING);
	ev_timer(gm->loop, gm_jitter(gm->backoff_ms), on_retry, gm,
		 &gm->t_retry);
	gm->backoff_ms = gm->backoff_ms * 2 > GM_BACKOFF_MAX_MS
		? GM_BACKOFF_MAX_MS : gm->backoff_ms * 2;
}

void
gm_start(struct gm_group *gm)
{
	char ks[INET_ADDRSTRLEN], me[INET_ADDRSTRLEN];

	gm_cancel(gm);
	if (gm->nservers == 0)
		return;
	if (gm->server_idx >= gm->nservers)
		gm->server_idx = 0;
	gm_set_state(gm, GM_STATE_REGISTERING);
	gm->attempts++;
	gdoi_log(GDOI_MSG_GM_REGSTER, ip(gm->servers[gm->server_idx], ks),
		 gm->name, ip(gm->local, me));
	if (ike_register(gm->ike, gm->local, gm->servers[gm->server_idx],
			 gm->id, on_reg_done, gm, &gm->reg) < 0)
		on_reg_done(gm, -1, "cannot send", NULL);
}

/* A GROUPKEY-PUSH (roles/gm_rekey.c) and what it asks of the registration:
 * timers that follow new keys or times, or a registration when nothing is
 * left. */
void
gm_group_push_input(struct gm_group *gm, const struct ike_dgram *d)
{
	switch (gm_rekey_input(gm, d)) {
	case GM_PUSH_REARM:
		gm_arm_timers(gm);
		break;
	case GM_PUSH_REGISTER:
		gm_uninstall(gm);
		gm_start(gm);
		break;
	case GM_PUSH_DONE:
		break;
	}
}

void
gm_group_apply(struct gm_group *gm, uint32_t id, const uint32_t *servers,
	       size_t nservers, uint32_t local, const char *ifname)
{
	bool changed;

	if (nservers > GM_MAX_SERVERS)
		nservers = GM_MAX_SERVERS;
	changed = gm->state == GM_STATE_IDLE || gm->id != id ||
		  gm->nservers != nservers || gm->local != local ||
		  memcmp(gm->servers, servers, nservers * sizeof(*servers)) != 0;
	snprintf(gm->ifname, sizeof(gm->ifname), "%s", ifname);
	if (!changed)
		return;
	if (gm->id != id)
		gm_uninstall(gm);
	gm->id = id;
	memcpy(gm->servers, servers, nservers * sizeof(*servers));
	gm->nservers = nservers;
	gm->local = local;
	gm->server_idx = 0;
	gm->backoff_ms = GM_BACKOFF_MIN_MS;
	gm_start(gm);
}

void
gm_group_set_local_deny(struct gm_group *gm, const struct ipsec_policy *p,
			size_t n)
{
	if (n > GM_MAX_LOCAL_DENY)
		n = GM_MAX_LOCAL_DENY;
	if (n == gm->nlocal_deny &&
	    memcmp(p, gm->local_deny, n * sizeof(*p)) == 0)
		return;
	memcpy(gm->local_deny, p, n * sizeof(*p));
	gm->nlocal_deny = n;
	if (gm->has_policy)
		gm_install(gm);		/* merged in front of the KS policy */
}

void
gm_group_set_passive(struct gm_group *gm, bool on)
{
	if (on == gm->passive)
		return;
	gm->passive = on;
	/* The outbound SAs of receive-only TEKs come or go.  One that went
	 * must never come back under the same sender ID (its GCM counter
	 * would start again), so the member registers again for a fresh one
	 * whenever it already holds a policy. */
	if (gm->has_policy)
		gm_group_clear(gm);
}

void
gm_group_set_fail_close(struct gm_group *gm, bool on,
			const struct ipsec_policy *pass, size_t n)
{
	if (n > GM_MAX_LOCAL_DENY)
		n = GM_MAX_LOCAL_DENY;
	if (on == gm->fail_close && n == gm->nfc_pass &&
	    memcmp(pass, gm->fc_pass, n * sizeof(*pass)) == 0)
		return;
	gm->fail_close = on;
	memcpy(gm->fc_pass, pass, n * sizeof(*pass));
	gm->nfc_pass = n;
	if (!gm->has_policy)
		gm_install_closed(gm);
}

void
gm_group_stop(struct gm_group *gm)
{
	gm_cancel(gm);
	gm->fail_close = false;		/* the crypto map is gone */
	gm_uninstall(gm);
	gm_install_closed(gm);
	gm_set_state(gm, GM_STATE_IDLE);
}

void
gm_group_clear(struct gm_group *gm)
{
	gdoi_log(GDOI_MSG_GM_CLEAR_REGISTER, gm->name);
	gm_uninstall(gm);
	if (gm->state == GM_STATE_IDLE)
		return;
	gm->server_idx = 0;
	gm_start(gm);
}
