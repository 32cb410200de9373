/*
 * gm: the group member state machine (see roles/gm.h).
 *
 *   IDLE --apply--> REGISTERING --ok--> REGISTERED --timer--> REGISTERING
 *                        |  fail: next KS in the list
 *                        +--all failed--> WAITING --backoff--> REGISTERING
 *
 * The downloaded policy stays installed through failures until its own
 * lifetime ends (then it is removed and a GM_RE_REGISTER is logged).
 */
#include "roles/gm.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/ipsec.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "roles/gdoi_log.h"
#include "roles/ike.h"

static const char *const state_names[GM_STATE_COUNT] = {
	[GM_STATE_IDLE] = "Idle",
	[GM_STATE_REGISTERING] = "Registering",
	[GM_STATE_REGISTERED] = "Registered",
	[GM_STATE_WAITING] = "Waiting",
};

static void gm_start(struct gm_group *gm);

const char *
gm_state_name(enum gm_state s)
{
	return s < GM_STATE_COUNT ? state_names[s] : "?";
}

/* The one place the state changes. */
static void
gm_set_state(struct gm_group *gm, enum gm_state to)
{
	if (gm->state == to)
		return;
	log_dbg(LOG_DBG_GDOI_GM, "GM %s: %s -> %s", gm->name,
		state_names[gm->state], state_names[to]);
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
	struct gm_group *gm = calloc(1, sizeof(*gm));

	if (gm == NULL)
		return NULL;
	snprintf(gm->name, sizeof(gm->name), "%s", name);
	gm->loop = loop;
	gm->ike = ike;
	gm->ipsec = ipsec;
	gm->backoff_ms = GM_BACKOFF_MIN_MS;
	return gm;
}

/* No policy yet (or any more): in fail-close mode, the pass list and then
 * a drop of everything else; otherwise nothing (fail-open). */
static void
gm_install_closed(struct gm_group *gm)
{
	struct ipsec_ctx *x = gm->ipsec;
	struct ipsec_policy drop = { .group_id = gm->id,
				     .action = IPSEC_ACT_DROP,
				     .sport_hi = 65535, .dport_hi = 65535 };

	if (x == NULL || x->be == NULL)
		return;
	x->be->policy_flush(x, gm->id);
	if (!gm->fail_close)
		return;
	for (size_t i = 0; i < gm->nfc_pass; i++) {
		struct ipsec_policy p = gm->fc_pass[i];

		p.group_id = gm->id;
		p.priority = (unsigned)i;
		x->be->policy_add(x, &p);
	}
	drop.priority = (unsigned)gm->nfc_pass;
	x->be->policy_add(x, &drop);
}

/* Remove the installed SAs and policies of this group. */
static void
gm_uninstall(struct gm_group *gm)
{
	struct ipsec_ctx *x = gm->ipsec;

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
	free(gm);
}

static enum ipsec_enc
enc_of(const struct gdoi_tek *t)
{
	switch (t->transform) {
	case GDOI_ESP_AES_GCM_16: return IPSEC_ENC_AES_GCM_16;
	case GDOI_ESP_AES_GMAC: return IPSEC_ENC_AES_GMAC;
	case GDOI_ESP_3DES: return IPSEC_ENC_3DES_CBC;
	case GDOI_ESP_NULL: return IPSEC_ENC_NULL;
	default: return IPSEC_ENC_AES_CBC;
	}
}

static enum ipsec_auth
auth_of(enum gdoi_auth_alg a)
{
	switch (a) {
	case GDOI_AUTH_HMAC_MD5: return IPSEC_AUTH_HMAC_MD5_96;
	case GDOI_AUTH_HMAC_SHA1: return IPSEC_AUTH_HMAC_SHA1_96;
	case GDOI_AUTH_HMAC_SHA256: return IPSEC_AUTH_HMAC_SHA256_128;
	case GDOI_AUTH_HMAC_SHA384: return IPSEC_AUTH_HMAC_SHA384_192;
	case GDOI_AUTH_HMAC_SHA512: return IPSEC_AUTH_HMAC_SHA512_256;
	default: return IPSEC_AUTH_NONE;
	}
}

static void
tek_to_sa(const struct gm_group *gm, const struct gdoi_tek *t,
	  enum ipsec_dir dir, struct ipsec_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->spi = t->spi;
	sa->dir = dir;
	sa->enc = enc_of(t);
	sa->auth = auth_of(t->auth);
	memcpy(sa->enc_key, t->enc_key, t->enc_key_len);
	sa->enc_key_len = t->enc_key_len;
	memcpy(sa->auth_key, t->auth_key, t->auth_key_len);
	sa->auth_key_len = t->auth_key_len;
	sa->lifetime_s = t->lifetime_s;
	sa->replay = t->replay == GDOI_REPLAY_TIME ? IPSEC_REPLAY_TIME
		: t->replay == GDOI_REPLAY_COUNTER ? IPSEC_REPLAY_COUNTER
		: IPSEC_REPLAY_NONE;
	/* the policy carries TBAR windows in ms, the data plane in seconds */
	sa->replay_window = t->replay == GDOI_REPLAY_TIME
		? (t->replay_window + 999) / 1000 : t->replay_window;
	/* the KS's pseudotime when sent, plus what has passed since */
	sa->pseudotime_ms = t->pseudotime_ms +
		(ev_now(gm->loop) - gm->installed_ms);
	if (gdoi_tek_is_counter_mode(t) && gm->policy.nsid > 0) {
		sa->sid = gm->policy.sid[0];
		sa->sid_bits = gm->policy.sid_bits;
	}
	sa->group_id = gm->id;
}

static void
tek_to_policy(const struct gm_group *gm, const struct gdoi_tek *t,
	      unsigned prio, struct ipsec_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->group_id = gm->id;
	p->priority = prio;
	p->action = t->deny ? IPSEC_ACT_BYPASS : IPSEC_ACT_PROTECT;
	p->proto = t->proto;
	p->src = t->src;
	p->src_mask = t->src_mask;
	p->dst = t->dst;
	p->dst_mask = t->dst_mask;
	p->sport_lo = t->sport;
	p->sport_hi = t->sport ? t->sport : 65535;
	p->dport_lo = t->dport;
	p->dport_hi = t->dport ? t->dport : 65535;
	p->spi = t->spi;
	p->clear_in_ok = gm->passive || t->direction == GDOI_DIR_RECEIVER_ONLY;
}

/* Install SAs (one per SPI and direction) and one policy per TEK. */
static void
gm_install(struct gm_group *gm)
{
	struct ipsec_ctx *x = gm->ipsec;
	uint32_t last = 0;

	if (x == NULL || x->be == NULL)
		return;
	x->be->policy_flush(x, gm->id);
	for (size_t i = 0; i < gm->nlocal_deny; i++) {
		struct ipsec_policy p = gm->local_deny[i];

		p.group_id = gm->id;
		p.priority = (unsigned)i;
		x->be->policy_add(x, &p);
	}
	for (size_t i = 0; i < gm->policy.ntek; i++) {
		const struct gdoi_tek *t = &gm->policy.tek[i];
		struct ipsec_policy p;
		struct ipsec_sa sa;

		if (t->spi != last) {
			last = t->spi;
			tek_to_sa(gm, t, IPSEC_DIR_IN, &sa);
			x->be->sa_add(x, &sa);
			/* doc/protocol.md §8.5: passive overrides receive-only */
			if (t->direction != GDOI_DIR_RECEIVER_ONLY ||
			    gm->passive) {
				tek_to_sa(gm, t, IPSEC_DIR_OUT, &sa);
				x->be->sa_add(x, &sa);
			}
			ipsec_sa_wipe(&sa);
		}
		tek_to_policy(gm, t, (unsigned)i + 100, &p);
		x->be->policy_add(x, &p);
	}
}

static uint32_t
shortest_lifetime(const struct gdoi_policy *p)
{
	uint32_t s = p->has_kek ? p->kek.lifetime_s : UINT32_MAX;

	for (size_t i = 0; i < p->ntek; i++)
		if (p->tek[i].lifetime_s < s)
			s = p->tek[i].lifetime_s;
	return s == UINT32_MAX ? 0 : s;
}

static void
on_expire(void *arg)
{
	struct gm_group *gm = arg;

	gdoi_log(GDOI_MSG_GM_RE_REGISTER, gm->name);
	gm_uninstall(gm);
	if (gm->state == GM_STATE_REGISTERED)
		gm_start(gm);
}

static void
on_rereg(void *arg)
{
	gm_start(arg);
}

static void
on_retry(void *arg)
{
	gm_start(arg);
}

static void
gm_registered(struct gm_group *gm, const struct gdoi_policy *p)
{
	char ks[INET_ADDRSTRLEN], me[INET_ADDRSTRLEN];
	uint32_t life;

	gm_uninstall(gm);
	memcpy(&gm->policy, p, sizeof(*p));
	gm->has_policy = true;
	gm->installed_ms = ev_now(gm->loop);
	gm->registered_with = gm->servers[gm->server_idx];
	gm->successes++;
	gm->backoff_ms = GM_BACKOFF_MIN_MS;
	gm->last_error[0] = '\0';
	gm_install(gm);
	gm_set_state(gm, GM_STATE_REGISTERED);
	ip(gm->registered_with, ks);
	ip(gm->local, me);
	gdoi_log(GDOI_MSG_GM_REGS_COMPL, ks, gm->name, me);
	gdoi_log(GDOI_MSG_GM_INSTALL_POLICIES, ks, gm->name, me);
	life = shortest_lifetime(p);
	if (life > 0) {
		ev_timer(gm->loop, (uint64_t)life * 1000, on_expire, gm,
			 &gm->t_expire);
		ev_timer(gm->loop, (uint64_t)life * 10 * GM_REREG_PERCENT,
			 on_rereg, gm, &gm->t_rereg);
	}
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
	ev_timer(gm->loop, gm->backoff_ms, on_retry, gm, &gm->t_retry);
	gm->backoff_ms = gm->backoff_ms * 2 > GM_BACKOFF_MAX_MS
		? GM_BACKOFF_MAX_MS : gm->backoff_ms * 2;
}

static void
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
