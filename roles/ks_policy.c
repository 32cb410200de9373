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
#include "gdoi/push.h"
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

/* Selector of one ACL entry; -1 when its ports are not one port or any
 * (a SAT carries a single port, RFC 6407 §5.5.1). */
static int
tek_selector(const struct conf_acl_entry *e, struct gdoi_tek *t)
{
	struct conf_acl_sel sel;

	if (conf_acl_entry_selector(e, &sel) < 0 ||
	    !conf_acl_sel_single_ports(&sel))
		return -1;
	t->deny = e->action == CONF_ACL_DENY;
	t->proto = sel.proto;
	t->src = sel.src;
	t->src_mask = sel.src_mask;
	t->dst = sel.dst;
	t->dst_mask = sel.dst_mask;
	t->sport = sel.sport_lo == sel.sport_hi ? sel.sport_lo : 0;
	t->dport = sel.dport_lo == sel.dport_hi ? sel.dport_lo : 0;
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

/* `rekey address ipv4 ACL`: its first permit entry names the source and
 * the multicast group of the rekeys (unless `rekey transport unicast`). */
static int
kek_multicast(const struct conf *c, const struct conf_gdoi_server *ks,
	      struct gdoi_kek *k, char *why, size_t whylen)
{
	const struct conf_acl *acl;

	if (!ks_policy_multicast(ks))
		return 0;
	acl = conf_acl_find(c->acls, ks->rekey_acl);
	for (const struct conf_acl_entry *e = acl ? acl->head : NULL; e;
	     e = e->next) {
		if (e->action != CONF_ACL_PERMIT)
			continue;
		k->src = e->src.addr;
		k->dst = e->dst.addr;
		return 0;
	}
	return fail(why, whylen, "rekey address access list %s has no permit "
		    "entry", ks->rekey_acl);
}

bool
ks_policy_multicast(const struct conf_gdoi_server *ks)
{
	return (ks->has & CONF_GDOI_KS_HAS_REKEY_ACL) &&
	       !(ks->has & CONF_GDOI_KS_HAS_UNICAST);
}

static int
kek_build(const struct conf *c, const struct conf_gdoi_server *ks,
	  const struct keystore *keys, struct gdoi_kek *k, char *why,
	  size_t whylen)
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
	/* unicast rekeys are acknowledged, RFC 8263 (doc/keyserver.md) */
	k->ack = ks_policy_multicast(ks) ? PUSH_ACK_NONE : PUSH_ACK_KEK_SHA256;
	der = rsakey_pub_der(rsa, &len);
	if (der == NULL || len > sizeof(k->pubkey))
		return fail(why, whylen, "RSA Key - %s : unusable", ks->rekey_rsa);
	memcpy(k->pubkey, der, len);
	k->pubkey_len = len;
	return kek_multicast(c, ks, k, why, whylen);
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
		if (kek_build(c, ks, keys, &p->kek, why, whylen) < 0)
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

int
ks_policy_new_tek_keys(struct gdoi_policy *p, const uint16_t *sa_of_tek)
{
	for (size_t i = 0; i < p->ntek; i++) {
		struct gdoi_tek *t = &p->tek[i];

		if (i > 0 && sa_of_tek[i] == sa_of_tek[i - 1]) {
			t->spi = p->tek[i - 1].spi;
			memcpy(t->enc_key, p->tek[i - 1].enc_key, t->enc_key_len);
			memcpy(t->auth_key, p->tek[i - 1].auth_key,
			       t->auth_key_len);
			continue;
		}
		if (crypto_random(&t->spi, sizeof(t->spi)) < 0 ||
		    crypto_random(t->enc_key, t->enc_key_len) < 0 ||
		    crypto_random(t->auth_key, t->auth_key_len) < 0)
			return -1;
	}
	return 0;
}

int
ks_policy_new_kek_keys(struct gdoi_kek *k)
{
	if (crypto_random(k->spi, sizeof(k->spi)) < 0 ||
	    crypto_random(k->key, k->key_len) < 0 ||
	    crypto_random(k->iv, k->iv_len) < 0)
		return -1;
	return 0;
}

static bool
same_tek(const struct gdoi_tek *a, const struct gdoi_tek *b)
{
	return a->transform == b->transform && a->key_bits == b->key_bits &&
	       a->auth == b->auth && a->lifetime_s == b->lifetime_s &&
	       a->direction == b->direction && a->proto == b->proto &&
	       a->src == b->src && a->src_mask == b->src_mask &&
	       a->dst == b->dst && a->dst_mask == b->dst_mask &&
	       a->sport == b->sport && a->dport == b->dport &&
	       a->deny == b->deny && a->replay == b->replay &&
	       a->replay_window == b->replay_window &&
	       a->enc_key_len == b->enc_key_len &&
	       a->auth_key_len == b->auth_key_len;
}

bool
ks_policy_same_teks(const struct gdoi_policy *a, const uint16_t *sa_a,
		    const struct gdoi_policy *b, const uint16_t *sa_b)
{
	if (a->ntek != b->ntek || a->has_gap != b->has_gap ||
	    a->atd_s != b->atd_s || a->dtd_s != b->dtd_s ||
	    a->sid_bits != b->sid_bits || a->group_id != b->group_id)
		return false;
	for (size_t i = 0; i < a->ntek; i++)
		if (sa_a[i] != sa_b[i] || !same_tek(&a->tek[i], &b->tek[i]))
			return false;
	return true;
}

bool
ks_policy_same_kek(const struct gdoi_policy *a, const struct gdoi_policy *b)
{
	const struct gdoi_kek *x = &a->kek, *y = &b->kek;

	if (a->has_kek != b->has_kek)
		return false;
	if (!a->has_kek)
		return true;
	return x->alg == y->alg && x->key_bits == y->key_bits &&
	       x->lifetime_s == y->lifetime_s && x->sig_hash == y->sig_hash &&
	       x->sig_alg == y->sig_alg && x->sig_key_bits == y->sig_key_bits &&
	       x->ack == y->ack &&
	       x->src == y->src && x->dst == y->dst &&
	       x->src_port == y->src_port && x->dst_port == y->dst_port &&
	       x->key_len == y->key_len && x->iv_len == y->iv_len &&
	       x->pubkey_len == y->pubkey_len &&
	       memcmp(x->pubkey, y->pubkey, x->pubkey_len) == 0;
}
