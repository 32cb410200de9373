/*
 * ks_policy: running-config -> struct gdoi_policy for a key server group.
 *
 * Decisions (doc/gdoi.md): one TEK (SAT) per ACL entry, in ACL order, all
 * entries of one `sa ipsec` sharing its SPI and keys; deny entries travel
 * as SATs marked deny (the GM leaves that traffic in the clear); an entry
 * whose port condition is not "any" or "eq" cannot be carried by a SAT
 * selector and makes the group not ready rather than widening it.
 */
#include "roles/ks_policy.h"

#include <stdio.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/policy.h"
#include "gdoi/rsakey.h"
#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_ipsec.h"
#include "roles/keystore.h"

#define GDOI_PORT 848

static int
fail(char *why, size_t len, const char *fmt, const char *name)
{
	snprintf(why, len, fmt, name);
	return -1;
}

static enum gdoi_auth_alg
auth_of(enum conf_ipsec_auth a, size_t *keylen)
{
	static const struct { enum gdoi_auth_alg alg; size_t len; } map[] = {
		[CONF_IPSEC_AUTH_NONE] = { GDOI_AUTH_NONE, 0 },
		[CONF_IPSEC_AUTH_MD5] = { GDOI_AUTH_HMAC_MD5, 16 },
		[CONF_IPSEC_AUTH_SHA1] = { GDOI_AUTH_HMAC_SHA1, 20 },
		[CONF_IPSEC_AUTH_SHA256] = { GDOI_AUTH_HMAC_SHA256, 32 },
		[CONF_IPSEC_AUTH_SHA384] = { GDOI_AUTH_HMAC_SHA384, 48 },
		[CONF_IPSEC_AUTH_SHA512] = { GDOI_AUTH_HMAC_SHA512, 64 },
	};

	*keylen = map[a].len;
	return map[a].alg;
}

/* Transform, key sizes and SA defaults from a transform-set. */
static int
tek_transform(const struct conf_ipsec_ts *ts, struct gdoi_tek *t, char *why,
	      size_t whylen)
{
	unsigned bits = ts->esp_bits ? ts->esp_bits : 128;

	t->key_bits = bits;
	t->auth = auth_of(ts->esp_auth, &t->auth_key_len);
	switch (ts->esp_enc) {
	case CONF_IPSEC_ENC_AES:
		t->transform = GDOI_ESP_AES_CBC;
		t->enc_key_len = bits / 8;
		break;
	case CONF_IPSEC_ENC_GCM:
	case CONF_IPSEC_ENC_GMAC:
		t->transform = ts->esp_enc == CONF_IPSEC_ENC_GCM
			? GDOI_ESP_AES_GCM_16 : GDOI_ESP_AES_GMAC;
		t->enc_key_len = bits / 8 + 4;	/* key | salt, RFC 4106 §8.1 */
		t->auth = GDOI_AUTH_NONE;
		t->auth_key_len = 0;
		break;
	case CONF_IPSEC_ENC_3DES:
		t->transform = GDOI_ESP_3DES;
		t->key_bits = 192;
		t->enc_key_len = 24;
		break;
	default:
		return fail(why, whylen, "transform-set %s has no cipher the "
			    "group SA supports", ts->name);
	}
	if (t->transform != GDOI_ESP_AES_GCM_16 &&
	    t->transform != GDOI_ESP_AES_GMAC && t->auth == GDOI_AUTH_NONE)
		return fail(why, whylen, "transform-set %s has no integrity "
			    "algorithm", ts->name);
	return 0;
}

static uint32_t
mask_of(uint32_t wild)
{
	return ~wild;
}

/* Selector of one ACL entry; -1 when a port condition cannot be carried. */
static int
tek_selector(const struct conf_acl_entry *e, struct gdoi_tek *t)
{
	t->deny = e->action == CONF_ACL_DENY;
	t->proto = e->proto == CONF_ACL_PROTO_IP ? 0 : (uint8_t)e->proto;
	t->src = e->src.addr;
	t->src_mask = mask_of(e->src.wild);
	t->dst = e->dst.addr;
	t->dst_mask = mask_of(e->dst.wild);
	if ((e->sport.op != CONF_ACL_PORT_ANY && e->sport.op != CONF_ACL_PORT_EQ) ||
	    (e->dport.op != CONF_ACL_PORT_ANY && e->dport.op != CONF_ACL_PORT_EQ))
		return -1;
	t->sport = e->sport.op == CONF_ACL_PORT_EQ ? e->sport.lo : 0;
	t->dport = e->dport.op == CONF_ACL_PORT_EQ ? e->dport.lo : 0;
	return 0;
}

/* The TEKs of one `sa ipsec`: shared SPI/keys, one selector per entry. */
static int
add_sa(const struct conf *c, const struct conf_gdoi_server *ks,
       const struct conf_gdoi_sa *sa, struct gdoi_policy *p, char *why,
       size_t whylen)
{
	const struct conf_ipsec_profile *prof;
	const struct conf_ipsec_ts *ts;
	const struct conf_acl *acl;
	struct gdoi_tek proto = { 0 };

	prof = conf_ipsec_profile_find(c->ipsec, sa->profile);
	if (!(sa->has & CONF_GDOI_SA_HAS_PROFILE) || prof == NULL)
		return fail(why, whylen, "ipsec profile %s does not exist",
			    sa->profile[0] ? sa->profile : "(none)");
	ts = prof->n_tsets ? conf_ipsec_ts_find(c->ipsec, prof->tsets[0]) : NULL;
	if (ts == NULL)
		return fail(why, whylen, "profile %s has no existing "
			    "transform-set", prof->name);
	acl = conf_acl_find(c->acls, sa->match_acl);
	if (!(sa->has & CONF_GDOI_SA_HAS_MATCH) || acl == NULL ||
	    acl->type != CONF_ACL_EXTENDED)
		return fail(why, whylen, "extended access list %s does not "
			    "exist", sa->match_acl[0] ? sa->match_acl : "(none)");
	if (tek_transform(ts, &proto, why, whylen) < 0)
		return -1;
	proto.lifetime_s = conf_ipsec_profile_lifetime(c->ipsec, prof);
	proto.direction = (ks->has & CONF_GDOI_KS_HAS_RECEIVE_ONLY)
		? GDOI_DIR_RECEIVER_ONLY : GDOI_DIR_SYMMETRIC;
	proto.replay = sa->replay == CONF_GDOI_REPLAY_TIME ? GDOI_REPLAY_TIME
		: sa->replay == CONF_GDOI_REPLAY_NONE ? GDOI_REPLAY_NONE
		: GDOI_REPLAY_COUNTER;
	proto.replay_window = proto.replay == GDOI_REPLAY_TIME
		? sa->replay_window * 1000 : sa->replay_window;
	if (crypto_random(&proto.spi, sizeof(proto.spi)) < 0 ||
	    crypto_random(proto.enc_key, proto.enc_key_len) < 0 ||
	    crypto_random(proto.auth_key, proto.auth_key_len) < 0)
		return fail(why, whylen, "%s", "no random bytes");
	for (const struct conf_acl_entry *e = acl->head; e; e = e->next) {
		if (e->action == CONF_ACL_REMARK)
			continue;
		if (p->ntek == GDOI_MAX_TEK)
			return fail(why, whylen, "access list %s has more "
				    "entries than one SA payload carries",
				    acl->name);
		p->tek[p->ntek] = proto;
		if (tek_selector(e, &p->tek[p->ntek]) < 0)
			return fail(why, whylen, "access list %s uses a port "
				    "range or inequality a GDOI selector cannot "
				    "carry", acl->name);
		p->ntek++;
	}
	return 0;
}

static int
kek_build(const struct conf_gdoi_server *ks, const struct keystore *keys,
	  struct gdoi_kek *k, char *why, size_t whylen)
{
	static const uint8_t hashes[] = {
		[CONF_GDOI_HASH_SHA] = GDOI_SIG_HASH_SHA1,
		[CONF_GDOI_HASH_SHA256] = GDOI_SIG_HASH_SHA256,
		[CONF_GDOI_HASH_SHA384] = GDOI_SIG_HASH_SHA384,
		[CONF_GDOI_HASH_SHA512] = GDOI_SIG_HASH_SHA512,
	};
	const struct rsakey *rsa = keys ? keystore_find(keys, ks->rekey_rsa) : NULL;
	const uint8_t *der;
	size_t len;

	if (rsa == NULL)
		return fail(why, whylen, "RSA Key - %s : Not found", ks->rekey_rsa);
	switch (ks->rekey_alg) {
	case CONF_GDOI_CIPHER_AES128: k->alg = GDOI_KEK_ALG_AES; k->key_bits = 128; break;
	case CONF_GDOI_CIPHER_AES192: k->alg = GDOI_KEK_ALG_AES; k->key_bits = 192; break;
	case CONF_GDOI_CIPHER_AES256: k->alg = GDOI_KEK_ALG_AES; k->key_bits = 256; break;
	case CONF_GDOI_CIPHER_DES:
		return fail(why, whylen, "%s", "rekey algorithm des-cbc is "
			    "refused: use aes or 3des-cbc");
	default: k->alg = GDOI_KEK_ALG_3DES; k->key_bits = 192; break;
	}
	k->key_len = k->key_bits / 8;
	k->iv_len = k->alg == GDOI_KEK_ALG_AES ? 16 : 8;
	k->lifetime_s = ks->rekey_lifetime;
	k->sig_hash = hashes[ks->sig_hash];
	k->sig_alg = 1;		/* RSA */
	k->sig_key_bits = rsakey_bits(rsa);
	k->src = ks->address;
	k->src_port = k->dst_port = GDOI_PORT;
	der = rsakey_pub_der(rsa, &len);
	if (der == NULL || len > sizeof(k->pubkey))
		return fail(why, whylen, "RSA Key - %s : unusable", ks->rekey_rsa);
	memcpy(k->pubkey, der, len);
	k->pubkey_len = len;
	if (crypto_random(k->spi, sizeof(k->spi)) < 0 ||
	    crypto_random(k->key, k->key_len) < 0 ||
	    crypto_random(k->iv, k->iv_len) < 0)
		return fail(why, whylen, "%s", "no random bytes");
	return 0;
}

int
ks_policy_build(const struct conf *c, const struct conf_gdoi_group *g,
		const struct keystore *keys, struct gdoi_policy *p,
		uint16_t *sa_of_tek, char *why, size_t whylen)
{
	const struct conf_gdoi_server *ks = g->server;

	memset(p, 0, sizeof(*p));
	if (ks == NULL)
		return fail(why, whylen, "group %s is not a key server group",
			    g->name);
	if (!(g->has & CONF_GDOI_GRP_HAS_ID_NUMBER))
		return fail(why, whylen, "group %s has no identity number",
			    g->name);
	p->group_id = g->identity_number;
	p->has_gap = true;
	p->atd_s = KS_POLICY_ATD;
	p->dtd_s = KS_POLICY_DTD;
	p->sat_id_len = (ks->has & CONF_GDOI_KS_HAS_SAT_IDLEN_RFC)
		? GDOI_SAT_IDLEN_RFC : GDOI_SAT_IDLEN_WIDE;
	for (const struct conf_gdoi_sa *sa = ks->sa_head; sa; sa = sa->next) {
		size_t first = p->ntek;

		if (add_sa(c, ks, sa, p, why, whylen) < 0)
			goto fail;
		for (size_t i = first; sa_of_tek != NULL && i < p->ntek; i++)
			sa_of_tek[i] = sa->number;
	}
	if (p->ntek == 0) {
		fail(why, whylen, "group %s has no sa ipsec", g->name);
		goto fail;
	}
	if (ks->has & CONF_GDOI_KS_HAS_REKEY_RSA) {
		if (kek_build(ks, keys, &p->kek, why, whylen) < 0)
			goto fail;
		p->has_kek = true;
	}
	for (size_t i = 0; i < p->ntek; i++)
		if (gdoi_tek_is_counter_mode(&p->tek[i]))
			p->sid_bits = KS_POLICY_SID_BITS;
	return 0;
fail:
	gdoi_policy_wipe(p);
	return -1;
}
