/*
 * phase1_prop: Phase 1 transform negotiation (doc/protocol.md §3.1-§3.2;
 * RFC 2409 §5 and App. A, RFC 2408 §4.2).
 *
 * Owns the algorithm floor (which transforms we implement, with the
 * legacy ones behind a switch, doc/protocol.md §10.3), the responder's
 * choice among a peer's transforms and the initiator's check that the
 * answer is one it offered.  No state: everything comes in as data.
 */
#include "gdoi/phase1_prop.h"

#include <string.h>

#include "gdoi/dh.h"
#include "platform/log.h"

static int
suite_hash(uint16_t hash, bool legacy, enum crypto_hash *h)
{
	switch (hash) {
	case IKE_HASH_SHA1:
		*h = CRYPTO_HASH_SHA1;
		return legacy ? 0 : -1;
	case IKE_HASH_SHA2_256:
		*h = CRYPTO_HASH_SHA256;
		return 0;
	case IKE_HASH_SHA2_384:
		*h = CRYPTO_HASH_SHA384;
		return 0;
	case IKE_HASH_SHA2_512:
		*h = CRYPTO_HASH_SHA512;
		return 0;
	}
	return -1;
}

static int
suite_cipher(uint16_t enc, uint16_t keybits, bool legacy, struct p1_suite *s)
{
	switch (enc) {
	case IKE_ENCR_AES_CBC:
		/* RFC 3602 / §3.2: Key Length is required with AES. */
		if (keybits != 128 && keybits != 192 && keybits != 256)
			return -1;
		s->cipher = CRYPTO_CIPHER_AES_CBC;
		s->keylen = keybits / 8;
		return 0;
	case IKE_ENCR_3DES_CBC:
		if (!legacy || (keybits != 0 && keybits != 192))
			return -1;
		s->cipher = CRYPTO_CIPHER_3DES_CBC;
		s->keylen = 24;
		return 0;
	}
	return -1;
}

size_t
p1_prop_defaults(uint16_t auth, struct p1_proposal *out, size_t cap)
{
	/* AES-256/SHA2-256/19, AES-128/SHA2-256/19, AES-256/SHA2-384/20,
	 * AES-128/SHA2-256/14: the set go-iec61850 validated with tshark. */
	static const struct p1_proposal defaults[P1PROP_NDEFAULTS] = {
		{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, 0,
		  DH_GROUP_ECP256, P1PROP_DEFAULT_LIFETIME },
		{ IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA2_256, 0,
		  DH_GROUP_ECP256, P1PROP_DEFAULT_LIFETIME },
		{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_384, 0,
		  DH_GROUP_ECP384, P1PROP_DEFAULT_LIFETIME },
		{ IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA2_256, 0,
		  DH_GROUP_MODP2048, P1PROP_DEFAULT_LIFETIME },
	};
	size_t i;

	for (i = 0; i < P1PROP_NDEFAULTS && i < cap; i++) {
		out[i] = defaults[i];
		out[i].auth = auth;
	}
	return P1PROP_NDEFAULTS;
}

int
p1_prop_suite(const struct payload_xform *x, bool legacy, struct p1_suite *s)
{
	memset(s, 0, sizeof(*s));
	if (x->unsupported != 0 || x->id != IKE_TRANSFORM_KEY_IKE)
		return -1;
	if (x->auth != IKE_AUTH_PRE_SHARED && x->auth != IKE_AUTH_RSA_SIG)
		return -1;
	if (suite_hash(x->hash, legacy, &s->hash) != 0 ||
	    suite_cipher(x->enc, x->keylen, legacy, s) != 0 ||
	    !dh_group_supported(x->group, legacy))
		return -1;
	s->auth = x->auth;
	s->group = x->group;
	s->lifetime = x->life_sec == 0 ? P1PROP_DEFAULT_LIFETIME
		    : x->life_sec > UINT32_MAX ? UINT32_MAX
		    : (uint32_t)x->life_sec;
	return 0;
}

void
p1_prop_to_xform(const struct p1_proposal *p, uint8_t num,
		struct payload_xform *x)
{
	memset(x, 0, sizeof(*x));
	x->num = num;
	x->id = IKE_TRANSFORM_KEY_IKE;
	x->enc = p->enc;
	x->keylen = p->enc == IKE_ENCR_AES_CBC ? p->keylen : 0;
	x->hash = p->hash;
	x->auth = p->auth;
	x->group = p->group;
	x->life_sec = p->lifetime ? p->lifetime : P1PROP_DEFAULT_LIFETIME;
}

/* An entry we can both implement and authenticate with this peer. */
static bool
entry_usable(const struct p1_proposal *p, bool legacy, unsigned auth_mask,
	     struct payload_xform *x)
{
	struct p1_suite s;

	p1_prop_to_xform(p, 1, x);
	if (p->auth >= 32 || !(auth_mask & P1PROP_AUTH_BIT(p->auth)))
		return false;
	return p1_prop_suite(x, legacy, &s) == 0;
}

int
p1_prop_offer(const struct p1_proposal *prop, size_t n, bool legacy,
	     unsigned auth_mask, struct payload_sa *sa)
{
	struct payload_xform x;
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->doi = P1PROP_DOI;
	sa->situation = P1PROP_SITUATION;
	sa->prop_num = 1;
	sa->proto = ISAKMP_PROTO_ISAKMP;
	for (i = 0; i < n && sa->nxform < PAYLOAD_SA_MAX_XFORMS; i++) {
		if (!entry_usable(&prop[i], legacy, auth_mask, &x))
			continue;
		x.num = (uint8_t)(sa->nxform + 1);
		sa->xform[sa->nxform++] = x;
	}
	return sa->nxform ? 0 : -1;
}

/* Same algorithms (not number, not lifetime). */
static bool
xform_same_algs(const struct payload_xform *a, const struct payload_xform *b)
{
	return a->enc == b->enc && a->keylen == b->keylen &&
	       a->hash == b->hash && a->auth == b->auth && a->group == b->group;
}

/* A lifetime of 0 means "not given": the default applies. */
static uint64_t
xform_life(const struct payload_xform *x)
{
	return x->life_sec ? x->life_sec : P1PROP_DEFAULT_LIFETIME;
}

int
p1_prop_choose(const struct p1_proposal *prop, size_t n, bool legacy,
	      unsigned auth_mask, const struct payload_sa *offer,
	      struct payload_xform *chosen)
{
	struct payload_xform ours;
	struct p1_suite s;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!entry_usable(&prop[i], legacy, auth_mask, &ours))
			continue;
		for (j = 0; j < offer->nxform; j++) {
			const struct payload_xform *x = &offer->xform[j];

			if (p1_prop_suite(x, legacy, &s) != 0 ||
			    !xform_same_algs(x, &ours) ||
			    xform_life(x) > xform_life(&ours))
				continue;
			*chosen = *x;
			return 0;
		}
	}
	log_dbg(LOG_DBG_ISAKMP, "%s: none of %zu transforms matches a policy",
		__func__, offer->nxform);
	return -1;
}

int
p1_prop_check_reply(const struct payload_sa *offer,
		   const struct payload_sa *reply, struct payload_xform *chosen)
{
	const struct payload_xform *r = &reply->xform[0];
	size_t i;

	if (reply->nxform != 1) {
		log_dbg(LOG_DBG_ISAKMP, "%s: %zu transforms in the answer",
			__func__, reply->nxform);
		return -1;
	}
	for (i = 0; i < offer->nxform; i++) {
		const struct payload_xform *o = &offer->xform[i];

		if (o->num == r->num && r->unsupported == 0 &&
		    xform_same_algs(o, r) && xform_life(r) <= xform_life(o)) {
			*chosen = *r;
			return 0;
		}
	}
	log_dbg(LOG_DBG_ISAKMP, "%s: transform %u was not offered", __func__,
		r->num);
	return -1;
}
