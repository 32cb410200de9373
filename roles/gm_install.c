/*
 * gm_install: what a group member hands the data plane (ipsec/ipsec.h):
 * one SA per TEK SPI and direction, and one policy per downloaded ACL
 * entry behind the member's own deny list; without a policy, the
 * fail-close pass list and a drop (doc/protocol.md §8.5).
 */
#include "roles/gm_int.h"

#include <string.h>

#include "ipsec/ipsec.h"
#include "platform/evloop.h"

/* No policy yet (or any more): in fail-close mode, the pass list and then
 * a drop of everything else; otherwise nothing (fail-open). */
void
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
	  enum ipsec_dir dir, uint64_t since_ms, struct ipsec_sa *sa)
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
	sa->lifetime_s = gm_left(gm, t->lifetime_s, since_ms);
	sa->replay = t->replay == GDOI_REPLAY_TIME ? IPSEC_REPLAY_TIME
		: t->replay == GDOI_REPLAY_COUNTER ? IPSEC_REPLAY_COUNTER
		: IPSEC_REPLAY_NONE;
	/* the policy carries TBAR windows in ms, the data plane in seconds */
	sa->replay_window = t->replay == GDOI_REPLAY_TIME
		? (t->replay_window + 999) / 1000 : t->replay_window;
	/* the KS's pseudotime when sent, plus what has passed since */
	sa->pseudotime_ms = t->pseudotime_ms + (ev_now(gm->loop) - since_ms);
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

void
gm_sa_add(struct gm_group *gm, const struct gdoi_tek *t, enum ipsec_dir dir,
	  uint64_t since_ms)
{
	struct ipsec_ctx *x = gm->ipsec;
	struct ipsec_sa sa;

	if (x == NULL || x->be == NULL)
		return;
	/* doc/protocol.md §8.5: passive overrides receive-only */
	if (dir == IPSEC_DIR_OUT && t->direction == GDOI_DIR_RECEIVER_ONLY &&
	    !gm->passive)
		return;
	tek_to_sa(gm, t, dir, since_ms, &sa);
	x->be->sa_add(x, &sa);
	ipsec_sa_wipe(&sa);
}

void
gm_sa_remove(struct gm_group *gm, uint32_t spi)
{
	struct ipsec_ctx *x = gm->ipsec;

	if (x == NULL || x->be == NULL)
		return;
	x->be->sa_del(x, spi, IPSEC_DIR_IN);
	x->be->sa_del(x, spi, IPSEC_DIR_OUT);
}

void
gm_install_policies(struct gm_group *gm)
{
	struct ipsec_ctx *x = gm->ipsec;

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
		struct ipsec_policy p;

		tek_to_policy(gm, &gm->policy.tek[i], (unsigned)i + 100, &p);
		x->be->policy_add(x, &p);
	}
}

/* SAs (one per SPI and direction) and one policy per TEK. */
void
gm_install(struct gm_group *gm)
{
	uint32_t last = 0;

	for (size_t i = 0; i < gm->policy.ntek; i++) {
		const struct gdoi_tek *t = &gm->policy.tek[i];

		if (t->spi == last)
			continue;
		last = t->spi;
		gm_sa_add(gm, t, IPSEC_DIR_IN, gm->installed_ms);
		gm_sa_add(gm, t, IPSEC_DIR_OUT, gm->installed_ms);
	}
	gm_install_policies(gm);
}
