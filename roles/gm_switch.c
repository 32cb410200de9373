/*
 * gm_switch: a group member's TEK generations (doc/rekey.md): the
 * generation a rekey brought, whose inbound SAs are installed at once and
 * whose outbound switch waits for the activation delay, and the SAs of
 * replaced generations, which stay until their deactivation.  Deleted
 * TEKs go at once.  Together they keep an inbound SA for everything a
 * member of the group may send at any moment of the switch-over.
 */
#include "roles/gm_rekey.h"

#include <arpa/inet.h>
#include <string.h>

#include <openssl/crypto.h>

#include "platform/evloop.h"
#include "platform/log.h"
#include "roles/gdoi_log.h"
#include "roles/gm_int.h"

#define rk_dbg(...) log_dbg(LOG_DBG_GDOI_GM, __VA_ARGS__)

static uint32_t
min_tek_life(const struct gdoi_policy *p)
{
	uint32_t s = UINT32_MAX;

	for (size_t i = 0; i < p->ntek; i++)
		if (p->tek[i].lifetime_s < s)
			s = p->tek[i].lifetime_s;
	return s == UINT32_MAX ? 0 : s;
}

bool
gm_rekey_newest(const struct gm_group *gm, uint64_t *end_ms,
		uint32_t *life_s)
{
	const struct gm_rekey *rk = gm->rk;

	if (!rk->has_next)
		return false;
	*life_s = min_tek_life(&rk->next);
	*end_ms = rk->next_ms + (uint64_t)*life_s * 1000;
	return true;
}

/* ---- retiring SAs ---- */

static void on_deactivate(void *arg);

static void
arm_deactivate(struct gm_group *gm)
{
	struct gm_rekey *rk = gm->rk;
	uint64_t now = ev_now(gm->loop), first = UINT64_MAX;

	ev_timer_cancel(&rk->t_deactivate);
	for (size_t i = 0; i < rk->nold; i++)
		if (rk->old[i].at_ms < first)
			first = rk->old[i].at_ms;
	if (first != UINT64_MAX)
		ev_timer(gm->loop, first > now ? first - now : 0,
			 on_deactivate, gm, &rk->t_deactivate);
}

static void
on_deactivate(void *arg)
{
	struct gm_group *gm = arg;
	struct gm_rekey *rk = gm->rk;
	uint64_t now = ev_now(gm->loop);

	for (size_t i = 0; i < rk->nold;) {
		if (rk->old[i].at_ms > now) {
			i++;
			continue;
		}
		rk_dbg("GM %s: SPI %08x deactivated", gm->name,
		       ntohl(rk->old[i].spi));
		gm_sa_remove(gm, rk->old[i].spi);
		rk->old[i] = rk->old[--rk->nold];
	}
	arm_deactivate(gm);
}

static bool
policy_has_spi(const struct gdoi_policy *p, uint32_t spi)
{
	for (size_t i = 0; i < p->ntek; i++)
		if (p->tek[i].spi == spi)
			return true;
	return false;
}

/* Remove spi at at_ms (an SPI already waiting keeps the later time). */
static void
retire_spi(struct gm_group *gm, uint32_t spi, uint64_t at_ms)
{
	struct gm_rekey *rk = gm->rk;

	for (size_t i = 0; i < rk->nold; i++) {
		if (rk->old[i].spi == spi) {
			if (at_ms > rk->old[i].at_ms)
				rk->old[i].at_ms = at_ms;
			return;
		}
	}
	if (rk->nold == GM_REKEY_MAX_OLD) {
		gm_sa_remove(gm, spi);	/* no room: it goes now */
		return;
	}
	rk->old[rk->nold].spi = spi;
	rk->old[rk->nold++].at_ms = at_ms;
}

/* ---- activation ---- */

/* The replaced SAs go at DTD after the rekey arrived (never before the
 * switch), or without a DTD when they end. */
static uint64_t
deactivation_ms(const struct gm_group *gm, const struct gdoi_tek *old)
{
	const struct gm_rekey *rk = gm->rk;
	uint64_t at = rk->has_dtd
		? rk->next_ms + (uint64_t)rk->dtd_s * 1000
		: gm->installed_ms + (uint64_t)old->lifetime_s * 1000;

	return at < rk->activate_ms ? rk->activate_ms : at;
}

static void
activate(struct gm_group *gm)
{
	struct gm_rekey *rk = gm->rk;
	struct gdoi_policy *p = &gm->policy;
	uint32_t last = 0, gone;

	ev_timer_cancel(&rk->t_activate);
	if (!rk->has_next)
		return;
	for (size_t i = 0; i < p->ntek; i++)
		if (!policy_has_spi(&rk->next, p->tek[i].spi))
			retire_spi(gm, p->tek[i].spi,
				   deactivation_ms(gm, &p->tek[i]));
	gm_rebase(gm);
	/* the new TEKs, their lifetimes counted from when they arrived */
	gone = gm->installed_ms > rk->next_ms
		? (uint32_t)((gm->installed_ms - rk->next_ms) / 1000) : 0;
	for (size_t i = 0; i < rk->next.ntek; i++) {
		p->tek[i] = rk->next.tek[i];
		p->tek[i].lifetime_s = p->tek[i].lifetime_s > gone
			? p->tek[i].lifetime_s - gone : 0;
		p->tek[i].pseudotime_ms += (uint64_t)gone * 1000;
	}
	for (size_t i = rk->next.ntek; i < p->ntek; i++)
		OPENSSL_cleanse(&p->tek[i], sizeof(p->tek[i]));
	p->ntek = rk->next.ntek;
	gdoi_policy_wipe(&rk->next);
	rk->has_next = false;
	for (size_t i = 0; i < p->ntek; i++) {
		if (p->tek[i].spi == last)
			continue;
		last = p->tek[i].spi;
		gm_sa_add(gm, &p->tek[i], IPSEC_DIR_OUT, gm->installed_ms);
	}
	gm_install_policies(gm);
	arm_deactivate(gm);
	gdoi_log(GDOI_MSG_SA_TEK_UPDATED);
}

bool
gm_rekey_activate_now(struct gm_group *gm)
{
	if (!gm->rk->has_next)
		return false;
	activate(gm);
	return true;
}

/* ---- applying a rekey ---- */

static bool
same_spis(const struct gdoi_policy *a, const struct gdoi_policy *b)
{
	for (size_t i = 0; i < a->ntek; i++)
		if (!policy_has_spi(b, a->tek[i].spi))
			return false;
	return a->ntek > 0;
}

/* The times of the TEKs of in that dst holds too, as they were since_s
 * seconds ago (dst's times count from then). */
static void
take_times(struct gdoi_policy *dst, const struct gdoi_policy *in,
	   uint32_t since_s)
{
	for (size_t i = 0; i < dst->ntek; i++)
		for (size_t j = 0; j < in->ntek; j++) {
			const struct gdoi_tek *t = &in->tek[j];
			uint64_t back = (uint64_t)since_s * 1000;

			if (t->spi != dst->tek[i].spi)
				continue;
			dst->tek[i].lifetime_s = t->lifetime_s + since_s;
			dst->tek[i].pseudotime_ms = t->pseudotime_ms > back
				? t->pseudotime_ms - back : 0;
		}
}

/* TEKs the member holds already: new lifetimes and pseudotime only. */
static void
refresh(struct gm_group *gm, const struct gdoi_policy *in)
{
	gm_rebase(gm);
	take_times(&gm->policy, in, 0);
}

/* The generation waiting for its switch, sent again (a KEK rollover
 * repeats the current TEKs): new times, and the switch-over keeps its
 * schedule, as it does at every other member. */
static void
refresh_next(struct gm_group *gm, const struct gdoi_policy *in)
{
	struct gm_rekey *rk = gm->rk;
	uint64_t now = ev_now(gm->loop);

	take_times(&rk->next, in, now > rk->next_ms
		   ? (uint32_t)((now - rk->next_ms) / 1000) : 0);
}

/* A new generation: inbound at once, outbound after the activation delay
 * (RFC 6407 §5.4.1 ATD; at the latest when the current TEKs end: the
 * timer is gm.c's, with the others of the group). */
static void
receive_teks(struct gm_group *gm, const struct gdoi_policy *in)
{
	struct gm_rekey *rk = gm->rk;
	uint64_t now = ev_now(gm->loop), end;
	uint32_t atd = in->has_gap ? in->atd_s : GM_REKEY_ATD_DEFAULT_S;
	uint32_t last = 0;

	/* A generation still waiting for its switch when the next one comes
	 * (rekeys as often as the activation delay): it switches now, as it
	 * does at members whose timer ran first, so what they send on it
	 * keeps an inbound SA here until the deactivation of the new one. */
	if (rk->has_next)
		activate(gm);
	gdoi_policy_wipe(&rk->next);
	rk->next = *in;
	rk->next.has_kek = false;
	rk->has_next = true;
	rk->next_ms = now;
	rk->has_dtd = in->has_gap;
	rk->dtd_s = in->dtd_s;
	for (size_t i = 0; i < in->ntek; i++) {
		if (in->tek[i].spi == last)
			continue;
		last = in->tek[i].spi;
		gm_sa_add(gm, &in->tek[i], IPSEC_DIR_IN, now);
	}
	end = gm->installed_ms + (uint64_t)min_tek_life(&gm->policy) * 1000;
	rk->activate_ms = now + (uint64_t)atd * 1000;
	if (rk->activate_ms > end)
		rk->activate_ms = end > now ? end : now;
	arm_deactivate(gm);
}

/* A rekey's TEKs: a refresh of those the member holds, or a new
 * generation. */
bool
gm_switch_teks(struct gm_group *gm, const struct gdoi_policy *in)
{
	if (same_spis(in, &gm->policy))
		refresh(gm, in);
	else if (gm->rk->has_next && same_spis(in, &gm->rk->next))
		refresh_next(gm, in);
	else if (in->ntek > 0)
		receive_teks(gm, in);
	else
		return false;
	return true;
}

/* Drop the TEKs with spi (0: every one) from p; true if one went. */
static bool
drop_teks(struct gdoi_policy *p, uint32_t spi)
{
	size_t n = 0;

	for (size_t i = 0; i < p->ntek; i++) {
		if (spi == 0 || p->tek[i].spi == spi)
			continue;
		p->tek[n++] = p->tek[i];
	}
	for (size_t i = n; i < p->ntek; i++)
		OPENSSL_cleanse(&p->tek[i], sizeof(p->tek[i]));
	if (n == p->ntek)
		return false;
	p->ntek = n;
	return true;
}

void
gm_switch_delete(struct gm_group *gm, uint32_t spi)
{
	struct gm_rekey *rk = gm->rk;
	uint32_t last = 0;

	for (size_t i = 0; i < gm->policy.ntek; i++)
		if ((spi == 0 || gm->policy.tek[i].spi == spi) &&
		    gm->policy.tek[i].spi != last) {
			last = gm->policy.tek[i].spi;
			gm_sa_remove(gm, last);
		}
	if (rk->has_next) {
		for (size_t i = 0; i < rk->next.ntek; i++)
			if (spi == 0 || rk->next.tek[i].spi == spi)
				gm_sa_remove(gm, rk->next.tek[i].spi);
		drop_teks(&rk->next, spi);
		rk->has_next = rk->next.ntek > 0;
	}
	for (size_t i = 0; i < rk->nold; i++)
		if (spi == 0 || rk->old[i].spi == spi)
			rk->old[i].at_ms = 0;	/* due now */
	if (drop_teks(&gm->policy, spi))
		gm_install_policies(gm);
	on_deactivate(gm);
}

void
gm_switch_reset(struct gm_group *gm)
{
	struct gm_rekey *rk = gm->rk;

	ev_timer_cancel(&rk->t_activate);
	ev_timer_cancel(&rk->t_deactivate);
	for (size_t i = 0; rk->has_next && i < rk->next.ntek; i++)
		if (!policy_has_spi(&gm->policy, rk->next.tek[i].spi))
			gm_sa_remove(gm, rk->next.tek[i].spi);
	for (size_t i = 0; i < rk->nold; i++)
		gm_sa_remove(gm, rk->old[i].spi);
	rk->nold = 0;
	gdoi_policy_wipe(&rk->next);
	rk->has_next = false;
}
