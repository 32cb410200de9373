/*
 * policy_codec: struct gdoi_policy <-> SA (SAK, GAP, SATs), SEQ and KD
 * (RFC 6407 §5.3-§5.7; doc/protocol.md §4.5-§4.10, §6, §8.1, §8.3).
 *
 * Owns the TEK attribute profiles our KS emits and our GM accepts, the
 * mapping of ACL selectors to SAT identities, the private SAT attributes
 * (TBAR, counter replay window, ACE action) and the GM-side cross checks
 * between the SA of message 2 and the keys of message 4.
 *
 * Decisions ([D], one place each):
 *  - tek_profiles[]: the TEK suites; everything else is refused on both
 *    sides.  AEAD suites carry key | 4-octet salt and no Auth Alg.
 *  - tek_priv_put(): ACE action only for deny entries (absent = permit);
 *    TBAR as window + pseudotime, counter replay as its window.
 *  - tek_to_sat(): Address Preservation never sent (only the default
 *    Source-and-Destination is supported), SA Direction only when it is
 *    not Symmetric, Encapsulation always Tunnel (absent is read as
 *    Tunnel), a /32 selector as ID_IPV4_ADDR, others as a subnet.
 *  - sel_from_id(): an address range is accepted only when it is a
 *    prefix (struct gdoi_tek holds address/mask selectors).
 *  - kek_to_sak(): KEK_KEY_LENGTH only for AES (3DES is fixed-length);
 *    SIG_KEY_LENGTH in bits, accepted unchecked ([U] bits or octets).
 */
#include "gdoi/policy_codec.h"

#include "gdoi/isakmp.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "platform/be.h"
#include "platform/log.h"

#define pc_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)
/* Log why and fail: the value of the expression is -1. */
#define pc_bad(...) (pc_dbg(__VA_ARGS__), -1)

/* RFC 4106 §8.1 / RFC 4543 §3.2: AES-GCM/GMAC KEYMAT = key | salt */
#define TEK_SALT_LEN	4
#define AES_BLOCK_LEN	16
#define DES_BLOCK_LEN	8
#define TDES_KEY_BITS	192

struct tek_profile {
	enum gdoi_esp_transform transform;
	bool combined;		/* AEAD / GMAC: key | salt, no Auth Alg */
	unsigned fixed_bits;	/* fixed-length cipher: no Key Length sent */
};

/* doc/protocol.md §4.8 [D] profiles (3DES kept for legacy configs). */
static const struct tek_profile tek_profiles[] = {
	{ GDOI_ESP_AES_CBC, false, 0 },
	{ GDOI_ESP_AES_GCM_16, true, 0 },
	{ GDOI_ESP_AES_GMAC, true, 0 },
	{ GDOI_ESP_3DES, false, TDES_KEY_BITS },
};

static const struct tek_profile *
tek_profile(unsigned transform)
{
	size_t i;

	for (i = 0; i < sizeof(tek_profiles) / sizeof(tek_profiles[0]); i++)
		if ((unsigned)tek_profiles[i].transform == transform)
			return &tek_profiles[i];
	return NULL;
}

static bool
aes_bits_ok(unsigned bits)
{
	return bits == 128 || bits == 192 || bits == 256;
}

/* HMAC key length of an RFC 2407 Authentication Algorithm, 0 if unknown. */
static size_t
auth_key_len(enum gdoi_auth_alg a)
{
	switch (a) {
	case GDOI_AUTH_HMAC_MD5:
		return 16;
	case GDOI_AUTH_HMAC_SHA1:
		return 20;
	case GDOI_AUTH_HMAC_SHA256:
		return 32;
	case GDOI_AUTH_HMAC_SHA384:
		return 48;
	case GDOI_AUTH_HMAC_SHA512:
		return 64;
	default:
		return 0;
	}
}

/* ---- checks ---- */

static int
tek_check_keys(const struct gdoi_tek *t, const struct tek_profile *pr)
{
	size_t enc = t->key_bits / 8 + (pr->combined ? TEK_SALT_LEN : 0);
	size_t auth = pr->combined ? 0 : auth_key_len(t->auth);

	if (t->enc_key_len != enc || t->auth_key_len != auth)
		return pc_bad("policy: TEK %08x keys of %zu/%zu octets, "
			      "transform needs %zu/%zu", ntohl(t->spi),
			      t->enc_key_len, t->auth_key_len, enc, auth);
	return 0;
}

static int
tek_check(const struct gdoi_tek *t, bool keys)
{
	const struct tek_profile *pr = tek_profile(t->transform);

	if (pr == NULL)
		return pc_bad("policy: ESP transform %d not supported",
			      t->transform);
	if (pr->fixed_bits ? t->key_bits != pr->fixed_bits
			   : !aes_bits_ok(t->key_bits))
		return pc_bad("policy: transform %d with %u-bit keys",
			      t->transform, t->key_bits);
	if (pr->combined ? t->auth != GDOI_AUTH_NONE
			 : auth_key_len(t->auth) == 0)
		return pc_bad("policy: transform %d with auth algorithm %d",
			      t->transform, t->auth);
	if (t->spi == 0 || t->lifetime_s == 0)
		return pc_bad("policy: TEK without SPI or lifetime");
	if ((unsigned)t->direction > GDOI_DIR_SYMMETRIC ||
	    (unsigned)t->replay > GDOI_REPLAY_TIME)
		return pc_bad("policy: TEK direction %d / replay %d",
			      t->direction, t->replay);
	if (t->replay == GDOI_REPLAY_TIME && t->replay_window == 0)
		return pc_bad("policy: time-based replay without a window");
	return keys ? tek_check_keys(t, pr) : 0;
}

/* Index of the first TEK with the same SPI as TEK i (i itself if none). */
static size_t
tek_first_spi(const struct gdoi_policy *p, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (p->tek[j].spi == p->tek[i].spi)
			return j;
	return i;
}

/* One KD packet per SPI: TEKs sharing an SPI must share what it carries. */
static int
tek_check_shared(const struct gdoi_tek *a, const struct gdoi_tek *b,
		 bool keys)
{
	if (a->transform != b->transform || a->key_bits != b->key_bits ||
	    a->auth != b->auth)
		return pc_bad("policy: SPI %08x with two transforms",
			      ntohl(a->spi));
	if (keys && (a->enc_key_len != b->enc_key_len ||
		     a->auth_key_len != b->auth_key_len ||
		     CRYPTO_memcmp(a->enc_key, b->enc_key, a->enc_key_len) ||
		     CRYPTO_memcmp(a->auth_key, b->auth_key, a->auth_key_len)))
		return pc_bad("policy: SPI %08x with two sets of keys",
			      ntohl(a->spi));
	return 0;
}

static int
kek_check(const struct gdoi_kek *k, bool keys)
{
	size_t iv_len;

	if (k->alg == GDOI_KEK_ALG_AES && aes_bits_ok(k->key_bits))
		iv_len = AES_BLOCK_LEN;
	else if (k->alg == GDOI_KEK_ALG_3DES && k->key_bits == TDES_KEY_BITS)
		iv_len = DES_BLOCK_LEN;
	else
		return pc_bad("policy: KEK algorithm %d with %u bits", k->alg,
			      k->key_bits);
	if (k->sig_alg != GDOI_SIG_ALG_RSA ||
	    k->sig_hash < GDOI_SIG_HASH_SHA1 ||
	    k->sig_hash > GDOI_SIG_HASH_SHA512 || k->sig_key_bits > 0xffff)
		return pc_bad("policy: KEK signature %u/%d not supported",
			      k->sig_alg, k->sig_hash);
	if (k->lifetime_s == 0)
		return pc_bad("policy: KEK without lifetime");
	if (!keys)
		return 0;
	if (k->key_len != k->key_bits / 8 || k->iv_len != iv_len ||
	    k->pubkey_len == 0 || k->pubkey_len > GDOI_PUBKEY_MAX)
		return pc_bad("policy: KEK key %zu, IV %zu, signing key %zu "
			      "octets", k->key_len, k->iv_len, k->pubkey_len);
	return 0;
}

static int
sid_check(const struct gdoi_policy *p)
{
	size_t i;

	if (p->nsid == 0)
		return 0;
	if (p->nsid > GDOI_MAX_SID || p->sid_bits == 0 ||
	    p->sid_bits > GDOI_SID_BITS_MAX)
		return pc_bad("policy: %zu SIDs of %u bits", p->nsid,
			      p->sid_bits);
	for (i = 0; i < p->nsid; i++)
		if (p->sid_bits < 32 && p->sid[i] >> p->sid_bits != 0)
			return pc_bad("policy: SID %u wider than %u bits",
				      p->sid[i], p->sid_bits);
	return 0;
}

int
policy_codec_check(const struct gdoi_policy *p, bool keys)
{
	size_t i, j;

	if (p->ntek == 0 || p->ntek > GDOI_SA_MAX_SAT)
		return pc_bad("policy: %zu TEKs (1-%d fit an SA)", p->ntek,
			      GDOI_SA_MAX_SAT);
	for (i = 0; i < p->ntek; i++) {
		if (tek_check(&p->tek[i], keys) < 0)
			return -1;
		j = tek_first_spi(p, i);
		if (j != i && tek_check_shared(&p->tek[j], &p->tek[i], keys) < 0)
			return -1;
	}
	if (p->has_kek && kek_check(&p->kek, keys) < 0)
		return -1;
	return sid_check(p);
}

bool
policy_codec_needs_sids(const struct gdoi_policy *p)
{
	size_t i;

	for (i = 0; i < p->ntek && i < GDOI_MAX_TEK; i++)
		if (!p->tek[i].deny && gdoi_tek_is_counter_mode(&p->tek[i]))
			return true;
	return false;
}

/* ---- selectors ---- */

/* addr and mask in network order, port in host order. */
static void
sel_to_id(struct gdoi_id *id, uint32_t addr, uint32_t mask, uint16_t port)
{
	if (mask == 0xffffffff)
		gdoi_id_ipv4(id, ntohl(addr), port);
	else
		gdoi_id_ipv4_subnet(id, ntohl(addr), ntohl(mask), port);
}

static int
sel_from_id(const struct gdoi_id *id, uint32_t *addr, uint32_t *mask,
	    uint16_t *port)
{
	uint32_t a, b, host;

	if (id->len != isakmp_id_data_len(id->type))
		return pc_bad("policy: ID type %u with %u octets", id->type,
			      id->len);
	*port = id->port;
	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
		*addr = htonl(be32_get(id->data));
		*mask = 0xffffffff;
		return 0;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
		*addr = htonl(be32_get(id->data));
		*mask = htonl(be32_get(id->data + 4));
		return 0;
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		a = be32_get(id->data);
		b = be32_get(id->data + 4);
		host = b - a;
		/* A prefix: 2^k addresses starting on a 2^k boundary. */
		if (b < a || (host & (host + 1)) != 0 || (a & host) != 0)
			return pc_bad("policy: range selector is not a prefix");
		*addr = htonl(a);
		*mask = htonl(~host);
		return 0;
	default:
		return pc_bad("policy: selector ID type %u not supported",
			      id->type);
	}
}

/* ---- TEK <-> SAT ---- */

static int
priv_put(struct gdoi_sat *s, uint16_t type, uint64_t v, size_t octets,
	 bool tv)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < octets; i++)
		b[i] = (uint8_t)(v >> (8 * (octets - 1 - i)));
	if (gdoi_sat_priv_add(s, type, b, octets) < 0)
		return -1;
	s->priv[s->npriv - 1].tv = tv;
	return 0;
}

/* 1 with *v, 0 when absent, -1 when not a 1-8 octet integer. */
static int
priv_get(const struct gdoi_sat *s, uint16_t type, uint64_t *v)
{
	const struct gdoi_attr_raw *a = gdoi_sat_priv_find(s, type);
	size_t i;

	if (a == NULL)
		return 0;
	if (a->len == 0 || a->len > 8)
		return -1;
	*v = 0;
	for (i = 0; i < a->len; i++)
		*v = *v << 8 | a->val[i];
	return 1;
}

static int
tek_priv_put(const struct gdoi_tek *t, struct gdoi_sat *s)
{
	if (t->deny && priv_put(s, GDOI_ATTR_ACE_ACTION, GDOI_ACE_DENY, 2,
				true) < 0)
		return -1;
	switch (t->replay) {
	case GDOI_REPLAY_TIME:
		if (priv_put(s, GDOI_ATTR_TBAR_WINDOW_MS, t->replay_window, 4,
			     false) < 0 ||
		    priv_put(s, GDOI_ATTR_TBAR_PSEUDOTIME_MS, t->pseudotime_ms,
			     8, false) < 0)
			return -1;
		return 0;
	case GDOI_REPLAY_COUNTER:
		return priv_put(s, GDOI_ATTR_REPLAY_COUNTER_WINDOW,
				t->replay_window, 4, false);
	default:
		return 0;
	}
}

static int
tek_priv_get(const struct gdoi_sat *s, struct gdoi_tek *t)
{
	uint64_t ace = GDOI_ACE_PERMIT, win = 0, pt = 0, cnt = 0;
	int has_win, has_pt, has_cnt;

	has_win = priv_get(s, GDOI_ATTR_TBAR_WINDOW_MS, &win);
	has_pt = priv_get(s, GDOI_ATTR_TBAR_PSEUDOTIME_MS, &pt);
	has_cnt = priv_get(s, GDOI_ATTR_REPLAY_COUNTER_WINDOW, &cnt);
	if (priv_get(s, GDOI_ATTR_ACE_ACTION, &ace) < 0 ||
	    (ace != GDOI_ACE_PERMIT && ace != GDOI_ACE_DENY) ||
	    has_win < 0 || has_pt < 0 || has_cnt < 0 ||
	    win > UINT32_MAX || cnt > UINT32_MAX)
		return pc_bad("policy: bad private SAT attribute");
	t->deny = ace == GDOI_ACE_DENY;
	if (has_win && win != 0) {
		if (!has_pt || has_cnt)
			return pc_bad("policy: TBAR without pseudotime, or "
				      "with counter replay");
		t->replay = GDOI_REPLAY_TIME;
		t->replay_window = (uint32_t)win;
		t->pseudotime_ms = pt;
	} else if (has_cnt) {
		t->replay = GDOI_REPLAY_COUNTER;
		t->replay_window = (uint32_t)cnt;
	} else {
		t->replay = GDOI_REPLAY_NONE;
	}
	return 0;
}

static int
tek_to_sat(const struct gdoi_tek *t, struct gdoi_sat *s)
{
	const struct tek_profile *pr = tek_profile(t->transform);

	memset(s, 0, sizeof(*s));
	s->proto_id = GDOI_PROTO_IPSEC_ESP;
	s->ip_proto = t->proto;
	sel_to_id(&s->src, t->src, t->src_mask, t->sport);
	sel_to_id(&s->dst, t->dst, t->dst_mask, t->dport);
	s->transform = (uint8_t)t->transform;
	s->spi = ntohl(t->spi);
	s->life_sec = t->lifetime_s;
	s->encap = IPSEC_ENCAP_TUNNEL;
	if (!pr->combined)
		s->auth_alg = (uint16_t)t->auth;
	if (!pr->fixed_bits)
		s->keylen = (uint16_t)t->key_bits;
	if (t->direction != 0 && t->direction != GDOI_DIR_SYMMETRIC)
		s->direction = (uint16_t)t->direction;
	return tek_priv_put(t, s);
}

static int
sat_to_tek(const struct gdoi_sat *s, struct gdoi_tek *t)
{
	const struct tek_profile *pr = tek_profile(s->transform);

	if (s->unsupported != 0)
		return pc_bad("policy: SAT attribute %u not supported",
			      s->unsupported);
	if (s->proto_id != GDOI_PROTO_IPSEC_ESP || pr == NULL)
		return pc_bad("policy: SAT protocol %u transform %u not "
			      "supported", s->proto_id, s->transform);
	if ((s->encap != 0 && s->encap != IPSEC_ENCAP_TUNNEL) ||
	    gdoi_sat_addr_pres(s) != IPSEC_ADDR_PRESERVE_SRC_DST)
		return pc_bad("policy: SAT mode %u / address preservation %u",
			      s->encap, gdoi_sat_addr_pres(s));
	if (s->life_sec == 0 || s->life_sec > UINT32_MAX ||
	    (pr->fixed_bits && s->keylen != 0 && s->keylen != pr->fixed_bits))
		return pc_bad("policy: SAT lifetime or key length");
	if (sel_from_id(&s->src, &t->src, &t->src_mask, &t->sport) < 0 ||
	    sel_from_id(&s->dst, &t->dst, &t->dst_mask, &t->dport) < 0)
		return -1;
	t->proto = s->ip_proto;
	t->transform = (enum gdoi_esp_transform)s->transform;
	t->spi = htonl(s->spi);
	t->key_bits = pr->fixed_bits ? pr->fixed_bits : s->keylen;
	t->auth = (enum gdoi_auth_alg)s->auth_alg;
	t->lifetime_s = (uint32_t)s->life_sec;
	t->direction = (enum gdoi_sa_direction)gdoi_sat_direction(s);
	if (tek_priv_get(s, t) < 0)
		return -1;
	return tek_check(t, false);
}

/* ---- KEK <-> SAK ---- */

static void
kek_to_sak(const struct gdoi_kek *k, struct gdoi_sak *s)
{
	memset(s, 0, sizeof(*s));
	s->proto = GDOI_SAK_PROTO_UDP;
	gdoi_id_ipv4(&s->src, ntohl(k->src), k->src_port);
	gdoi_id_ipv4(&s->dst, ntohl(k->dst), k->dst_port);
	memcpy(s->spi, k->spi, ISAKMP_SPI_LEN);
	s->alg = (uint16_t)k->alg;
	if (k->alg == GDOI_KEK_ALG_AES)
		s->keylen = (uint16_t)k->key_bits;
	s->lifetime = k->lifetime_s;
	s->sig_hash = (uint16_t)k->sig_hash;
	s->sig_alg = (uint16_t)k->sig_alg;
	s->sig_keylen = (uint16_t)k->sig_key_bits;
	s->ack_requested = k->ack;
}

static int
sak_to_kek(const struct gdoi_sak *s, struct gdoi_kek *k)
{
	if (s->unsupported != 0 || s->mgmt_alg != 0)
		return pc_bad("policy: SAK attribute %u / management %u not "
			      "supported", s->unsupported, s->mgmt_alg);
	if (s->proto != GDOI_SAK_PROTO_UDP ||
	    s->src.type != ISAKMP_ID_IPV4_ADDR || s->src.len != 4 ||
	    s->dst.type != ISAKMP_ID_IPV4_ADDR || s->dst.len != 4)
		return pc_bad("policy: SAK protocol %u, ID types %u/%u",
			      s->proto, s->src.type, s->dst.type);
	k->src = htonl(be32_get(s->src.data));
	k->dst = htonl(be32_get(s->dst.data));
	k->src_port = s->src.port;
	k->dst_port = s->dst.port;
	memcpy(k->spi, s->spi, ISAKMP_SPI_LEN);
	k->alg = (uint8_t)s->alg;
	k->key_bits = s->keylen;
	if (k->alg == GDOI_KEK_ALG_3DES && k->key_bits == 0)
		k->key_bits = TDES_KEY_BITS;
	k->lifetime_s = s->lifetime;
	k->sig_hash = (uint8_t)s->sig_hash;
	k->sig_alg = s->sig_alg;
	k->sig_key_bits = s->sig_keylen;
	/* RFC 8263 §4: a type we cannot produce is not answered. */
	k->ack = s->ack_requested <= UINT8_MAX ? (uint8_t)s->ack_requested : 0;
	return kek_check(k, false);
}

/* ---- policy <-> SA ---- */

int
policy_codec_to_sa(const struct gdoi_policy *p, struct gdoi_sa *sa)
{
	size_t i;

	memset(sa, 0, sizeof(*sa));
	if (policy_codec_check(p, false) < 0)
		return -1;
	if (p->has_kek) {
		sa->has_sak = true;
		kek_to_sak(&p->kek, &sa->sak);
	}
	if (p->has_gap) {
		sa->has_gap = true;
		sa->gap.atd = p->atd_s;
		sa->gap.dtd = p->dtd_s;
		sa->gap.flags = GDOI_GAP_HAS_ATD | GDOI_GAP_HAS_DTD;
	}
	for (i = 0; i < p->ntek; i++) {
		if (tek_to_sat(&p->tek[i], &sa->sat[i]) < 0)
			return -1;
		sa->sat[i].id_len_octets = p->sat_id_len;
	}
	sa->nsat = p->ntek;
	return 0;
}

int
policy_codec_from_sa(const struct gdoi_sa *sa, struct gdoi_policy *p)
{
	size_t i;

	gdoi_policy_wipe(p);
	memset(p, 0, sizeof(*p));
	if (sa->nsat == 0 || sa->nsat > GDOI_SA_MAX_SAT)
		return pc_bad("policy: SA with %zu SATs", sa->nsat);
	if (sa->has_sak) {
		p->has_kek = true;
		if (sak_to_kek(&sa->sak, &p->kek) < 0)
			return -1;
	}
	if (sa->has_gap) {
		p->has_gap = true;
		p->atd_s = sa->gap.atd;
		p->dtd_s = sa->gap.dtd;
	}
	for (i = 0; i < sa->nsat; i++)
		if (sat_to_tek(&sa->sat[i], &p->tek[i]) < 0)
			return -1;
	p->ntek = sa->nsat;
	p->sat_id_len = sa->sat[0].id_len_octets;	/* as the KS sent it */
	return policy_codec_check(p, false);
}

/* ---- policy <-> KD ---- */

int
policy_codec_to_kd(const struct gdoi_policy *p, struct gdoi_kd *kd)
{
	const struct gdoi_tek *t;
	struct gdoi_kd_tek *kt;
	size_t i;

	OPENSSL_cleanse(kd, sizeof(*kd));
	if (policy_codec_check(p, true) < 0)
		return -1;
	for (i = 0; i < p->ntek; i++) {
		t = &p->tek[i];
		if (tek_first_spi(p, i) != i)
			continue;
		kt = &kd->tek[kd->ntek++];
		kt->spi = ntohl(t->spi);
		memcpy(kt->alg_key, t->enc_key, t->enc_key_len);
		kt->alg_key_len = t->enc_key_len;
		memcpy(kt->int_key, t->auth_key, t->auth_key_len);
		kt->int_key_len = t->auth_key_len;
	}
	if (p->has_kek) {
		kd->has_kek = true;
		memcpy(kd->kek.spi, p->kek.spi, ISAKMP_SPI_LEN);
		/* KEK_ALGORITHM_KEY = IV | key (doc/protocol.md §4.9) */
		memcpy(kd->kek.alg_key, p->kek.iv, p->kek.iv_len);
		memcpy(kd->kek.alg_key + p->kek.iv_len, p->kek.key,
		       p->kek.key_len);
		kd->kek.alg_key_len = p->kek.iv_len + p->kek.key_len;
		memcpy(kd->kek.sig_key, p->kek.pubkey, p->kek.pubkey_len);
		kd->kek.sig_key_len = p->kek.pubkey_len;
	}
	if (p->nsid > 0) {
		kd->has_sid = true;
		kd->sid.nbits = (uint8_t)p->sid_bits;
		kd->sid.nsid = p->nsid;
		memcpy(kd->sid.sid, p->sid, p->nsid * sizeof(p->sid[0]));
	}
	return 0;
}

/* Every KD TEK packet must name an SAT, and every SAT must have one. */
static int
kd_teks_apply(struct gdoi_policy *p, const struct gdoi_kd *kd)
{
	const struct gdoi_kd_tek *kt;
	struct gdoi_tek *t;
	size_t i, j;

	for (j = 0; j < kd->ntek; j++) {
		for (i = 0; i < p->ntek; i++)
			if (ntohl(p->tek[i].spi) == kd->tek[j].spi)
				break;
		if (i == p->ntek)
			return pc_bad("policy: KD key for SPI %08x without SAT",
				      kd->tek[j].spi);
	}
	for (i = 0; i < p->ntek; i++) {
		t = &p->tek[i];
		kt = gdoi_kd_find_tek(kd, ntohl(t->spi));
		if (kt == NULL)
			return pc_bad("policy: SAT SPI %08x without KD key",
				      ntohl(t->spi));
		if (kt->alg_key_len > GDOI_KEY_MAX ||
		    kt->int_key_len > GDOI_KEY_MAX)
			return -1;
		memcpy(t->enc_key, kt->alg_key, kt->alg_key_len);
		t->enc_key_len = kt->alg_key_len;
		memcpy(t->auth_key, kt->int_key, kt->int_key_len);
		t->auth_key_len = kt->int_key_len;
	}
	return 0;
}

static int
kd_kek_apply(struct gdoi_kek *k, const struct gdoi_kd_kek *kk)
{
	size_t iv_len = k->alg == GDOI_KEK_ALG_AES ? AES_BLOCK_LEN
						   : DES_BLOCK_LEN;
	const uint8_t *iv, *key;

	if (memcmp(kk->spi, k->spi, ISAKMP_SPI_LEN) != 0)
		return pc_bad("policy: KD KEK SPI is not the SAK SPI");
	if (gdoi_kd_kek_split(kk, iv_len, k->key_bits / 8, &iv, &key) < 0 ||
	    kk->sig_key_len > GDOI_PUBKEY_MAX)
		return pc_bad("policy: KEK key of %zu octets for %u bits",
			      kk->alg_key_len, k->key_bits);
	memcpy(k->iv, iv, iv_len);
	k->iv_len = iv_len;
	memcpy(k->key, key, k->key_bits / 8);
	k->key_len = k->key_bits / 8;
	memcpy(k->pubkey, kk->sig_key, kk->sig_key_len);
	k->pubkey_len = kk->sig_key_len;
	return 0;
}

static int
kd_sids_apply(struct gdoi_policy *p, const struct gdoi_kd *kd)
{
	p->sid_bits = 0;
	p->nsid = 0;
	if (kd->has_sid) {
		if (kd->sid.nsid > GDOI_MAX_SID)
			return pc_bad("policy: %zu SIDs granted, %d kept",
				      kd->sid.nsid, GDOI_MAX_SID);
		p->sid_bits = kd->sid.nbits;
		p->nsid = kd->sid.nsid;
		memcpy(p->sid, kd->sid.sid, p->nsid * sizeof(p->sid[0]));
	}
	if (policy_codec_needs_sids(p) && p->nsid == 0)
		return pc_bad("policy: counter-mode TEK but no sender ID");
	return 0;
}

int
policy_codec_from_kd(struct gdoi_policy *p, const struct gdoi_kd *kd,
		     bool has_seq, uint32_t seq)
{
	/* doc/protocol.md §4.10: SEQ iff KEK; §4.11: KEK packet iff SAK. */
	if (has_seq != p->has_kek || kd->has_kek != p->has_kek) {
		pc_dbg("policy: SEQ %d / KD KEK %d without matching SAK %d",
		       has_seq, kd->has_kek, p->has_kek);
		goto bad;
	}
	if (kd_teks_apply(p, kd) < 0 ||
	    (p->has_kek && kd_kek_apply(&p->kek, &kd->kek) < 0) ||
	    kd_sids_apply(p, kd) < 0 || policy_codec_check(p, true) < 0)
		goto bad;
	p->seq = has_seq ? seq : 0;
	return 0;
bad:
	gdoi_policy_wipe(p);
	return -1;
}

/*
 * RFC 6407 §4.3, §5.6.4: a PUSH's KD has a key packet per SAT, the KEK
 * packet iff the SA has a SAK, and never SIDs (the member keeps those it
 * was granted at registration).
 */
int
policy_codec_from_push_kd(struct gdoi_policy *p, const struct gdoi_kd *kd)
{
	if (kd->has_sid || kd->has_kek != p->has_kek) {
		pc_dbg("policy: PUSH KD with SIDs %d / KEK %d, SAK %d",
		       kd->has_sid, kd->has_kek, p->has_kek);
		goto bad;
	}
	if (kd_teks_apply(p, kd) < 0 ||
	    (p->has_kek && kd_kek_apply(&p->kek, &kd->kek) < 0) ||
	    policy_codec_check(p, true) < 0)
		goto bad;
	p->seq = 0;
	return 0;
bad:
	gdoi_policy_wipe(p);
	return -1;
}

/* ---- payloads ---- */

int
policy_codec_sa_put(struct isakmp_builder *b, const struct gdoi_policy *p)
{
	struct gdoi_sa sa;

	if (policy_codec_to_sa(p, &sa) < 0)
		return -1;
	return gdoi_sa_put(b, &sa);
}

int
policy_codec_sa_decode(const uint8_t *body, size_t len, struct gdoi_policy *p)
{
	struct gdoi_sa sa;

	if (gdoi_sa_decode(body, len, &sa) < 0)
		return -1;
	return policy_codec_from_sa(&sa, p);
}

/*
 * Message 4's key packets are the same for every member of a group but
 * for the SID packet: they are encoded once per (group, policy epoch)
 * and copied from here.  A new epoch for a group replaces (and wipes)
 * its old packets at once; a full table evicts round robin.  The control
 * plane is single-threaded.
 */
#define KD_CACHE_SLOTS 16

struct kd_cache_slot {
	uint32_t group_id;
	uint64_t epoch;			/* 0: empty */
	int npkt;
	struct buf_writer pkts;		/* TEK and KEK packets (keys: wiped) */
};

static struct kd_cache_slot kd_cache[KD_CACHE_SLOTS];
static unsigned kd_cache_victim;

void
policy_codec_cache_flush(void)
{
	for (size_t i = 0; i < KD_CACHE_SLOTS; i++) {
		buf_writer_free(&kd_cache[i].pkts);
		kd_cache[i].epoch = 0;
	}
}

/* Encode p's TEK and KEK packets (no SID) into s. */
static int
kd_cache_fill(struct kd_cache_slot *s, const struct gdoi_policy *p)
{
	struct gdoi_kd *kd = malloc(sizeof(*kd));
	int n = -1;

	buf_writer_reset(&s->pkts);
	s->epoch = 0;
	if (kd != NULL && policy_codec_to_kd(p, kd) == 0) {
		kd->has_sid = false;
		n = gdoi_kd_put_packets(&s->pkts, kd);
	}
	if (kd != NULL) {
		gdoi_kd_free(kd);
		free(kd);
	}
	if (n < 0 || buf_writer_failed(&s->pkts)) {
		buf_writer_reset(&s->pkts);
		return -1;
	}
	s->group_id = p->group_id;
	s->epoch = p->epoch;
	s->npkt = n;
	return 0;
}

/* The packets of p's epoch, encoded now if they are not yet. */
static const struct kd_cache_slot *
kd_cache_get(const struct gdoi_policy *p)
{
	struct kd_cache_slot *s = NULL;

	for (size_t i = 0; i < KD_CACHE_SLOTS; i++) {
		struct kd_cache_slot *c = &kd_cache[i];

		if (c->epoch != 0 && c->group_id == p->group_id) {
			if (c->epoch == p->epoch)
				return c;
			s = c;			/* an older generation */
		}
	}
	for (size_t i = 0; s == NULL && i < KD_CACHE_SLOTS; i++)
		if (kd_cache[i].epoch == 0)
			s = &kd_cache[i];
	if (s == NULL)
		s = &kd_cache[kd_cache_victim++ % KD_CACHE_SLOTS];
	return kd_cache_fill(s, p) == 0 ? s : NULL;
}

/* SEQ, then KD = the cached packets + this member's SID packet. */
static int
keys_put_cached(struct isakmp_builder *b, const struct gdoi_policy *p)
{
	const struct kd_cache_slot *s = kd_cache_get(p);
	struct gdoi_kd_sid sid;

	if (s == NULL || (p->has_kek && gdoi_seq_put(b, p->seq) < 0) ||
	    isakmp_build_begin(b, GDOI_PAYLOAD_KD) < 0)
		return -1;
	buf_put_u16(b->w, (uint16_t)(s->npkt + (p->nsid > 0 ? 1 : 0)));
	buf_put_u16(b->w, 0);			/* RESERVED2 */
	buf_put_bytes(b->w, buf_data(&s->pkts), buf_len(&s->pkts));
	if (p->nsid > 0) {
		sid.nbits = (uint8_t)p->sid_bits;
		sid.nsid = p->nsid;
		memcpy(sid.sid, p->sid, p->nsid * sizeof(p->sid[0]));
		if (gdoi_kd_sid_put(b->w, &sid) < 0)
			return -1;
	}
	return isakmp_build_end(b);
}

int
policy_codec_keys_put(struct isakmp_builder *b, const struct gdoi_policy *p)
{
	struct gdoi_kd kd;
	int rc = -1;

	if (p->epoch != 0)
		return policy_codec_check(p, true) < 0 ? -1
						       : keys_put_cached(b, p);
	if (policy_codec_to_kd(p, &kd) < 0)
		goto out;
	if (p->has_kek && gdoi_seq_put(b, p->seq) < 0)
		goto out;
	rc = gdoi_kd_put(b, &kd);
out:
	gdoi_kd_free(&kd);
	return rc;
}

int
policy_codec_keys_decode(struct gdoi_policy *p, const uint8_t *seq,
			 size_t seq_len, const uint8_t *kd, size_t kd_len)
{
	struct gdoi_kd k;
	uint32_t n = 0;
	int rc = -1;

	OPENSSL_cleanse(&k, sizeof(k));
	if ((seq != NULL && gdoi_seq_decode(seq, seq_len, &n) < 0) ||
	    gdoi_kd_decode(kd, kd_len, &k) < 0) {
		gdoi_policy_wipe(p);
		goto out;
	}
	rc = policy_codec_from_kd(p, &k, seq != NULL, n);
out:
	gdoi_kd_free(&k);
	return rc;
}
