/*
 * pull_fixtures: what the policy codec and GROUPKEY-PULL suites share: a
 * Phase 1 SA pair brought up in memory, one policy per TEK profile, and
 * a field-by-field policy comparison (keys included).
 */
#include "pull_fixtures.h"

#include <check.h>
#include <string.h>

#include <arpa/inet.h>

#include "gdoi/dh.h"

/* ---- Phase 1 SA pair ---- */

static const uint8_t tp_psk[] = "gdoi-test-psk";

static const uint8_t *
tp_psk_cb(void *arg, uint32_t peer, size_t *len)
{
	*len = sizeof(tp_psk) - 1;
	return tp_psk;
}

static const struct p1_proposal tp_prop = {
	.enc = IKE_ENCR_AES_CBC, .keylen = 256, .hash = IKE_HASH_SHA2_256,
	.auth = IKE_AUTH_PRE_SHARED, .group = DH_GROUP_ECP256,
};

static const struct p1_config tp_p1cfg = {
	.prop = &tp_prop, .nprop = 1, .psk = tp_psk_cb,
};

struct p1_sa *tp_p1_gm, *tp_p1_ks;

/* Main Mode between two SAs in memory, both ending ESTABLISHED. */
void
tp_p1_setup(void)
{
	struct buf_writer a, b;
	enum p1_result r;
	int i;

	buf_writer_init(&a);
	buf_writer_init(&b);
	tp_p1_gm = p1_initiator_start(&tp_p1cfg, htonl(TP_GM_ADDR),
				      htonl(TP_KS_ADDR), 0, &a);
	ck_assert_ptr_nonnull(tp_p1_gm);
	tp_p1_ks = p1_responder_new(&tp_p1cfg, htonl(TP_KS_ADDR),
				    htonl(TP_GM_ADDR), buf_data(&a), buf_len(&a),
				    0, &b);
	ck_assert_ptr_nonnull(tp_p1_ks);
	for (i = 0; i < 2; i++) {
		r = p1_process(tp_p1_gm, buf_data(&b), buf_len(&b), 0, &a);
		ck_assert(r == P1_SEND);
		r = p1_process(tp_p1_ks, buf_data(&a), buf_len(&a), 0, &b);
		ck_assert(r == (i == 0 ? P1_SEND : P1_ESTABLISHED));
	}
	r = p1_process(tp_p1_gm, buf_data(&b), buf_len(&b), 0, &a);
	ck_assert(r == P1_ESTABLISHED);
	buf_writer_free(&a);
	buf_writer_free(&b);
}

void
tp_p1_teardown(void)
{
	p1_sa_free(tp_p1_gm);
	p1_sa_free(tp_p1_ks);
	tp_p1_gm = tp_p1_ks = NULL;
}

/* ---- policies ---- */

static void
tp_fill(void *p, size_t len, uint8_t seed)
{
	uint8_t *q = p;

	for (size_t i = 0; i < len; i++)
		q[i] = (uint8_t)(seed + i * 7);
}

/* One TEK: sel 10.1.x.0/24 -> 10.2.x.0/24 with keys sized for t. */
void
tp_tek(struct gdoi_tek *t, uint32_t spi, enum gdoi_esp_transform tr,
       unsigned bits, enum gdoi_auth_alg auth, uint8_t x)
{
	static const size_t authlen[] = { [GDOI_AUTH_HMAC_SHA1] = 20,
					  [GDOI_AUTH_HMAC_SHA256] = 32 };

	memset(t, 0, sizeof(*t));
	t->spi = htonl(spi);
	t->transform = tr;
	t->key_bits = bits;
	t->auth = auth;
	t->lifetime_s = 3600 - x;
	t->direction = GDOI_DIR_SYMMETRIC;
	t->src = htonl(0x0a010000 | x << 8);
	t->src_mask = htonl(0xffffff00);
	t->dst = htonl(0x0a020000 | x << 8);
	t->dst_mask = htonl(0xffffff00);
	t->replay = GDOI_REPLAY_COUNTER;
	t->replay_window = 64;
	t->enc_key_len = bits / 8 + (gdoi_tek_is_counter_mode(t) ? 4 : 0);
	tp_fill(t->enc_key, t->enc_key_len, (uint8_t)spi);
	t->auth_key_len = authlen[auth];
	tp_fill(t->auth_key, t->auth_key_len, (uint8_t)(spi + 100));
}

static void
tp_kek(struct gdoi_kek *k)
{
	memset(k, 0, sizeof(*k));
	tp_fill(k->spi, sizeof(k->spi), 0x40);
	k->alg = GDOI_KEK_ALG_AES;
	k->key_bits = 256;
	k->lifetime_s = 86400;
	k->sig_hash = GDOI_SIG_HASH_SHA256;
	k->sig_alg = 1;
	k->sig_key_bits = 2048;
	k->src = htonl(TP_KS_ADDR);
	k->dst = htonl(0xef010203);
	k->src_port = k->dst_port = 848;
	k->key_len = 32;
	tp_fill(k->key, k->key_len, 0x50);
	k->iv_len = 16;
	tp_fill(k->iv, k->iv_len, 0x60);
	k->pubkey_len = 294;
	tp_fill(k->pubkey, k->pubkey_len, 0x70);
}

static void
tp_base(struct gdoi_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->group_id = 1234;
	p->has_kek = true;
	tp_kek(&p->kek);
	p->has_gap = true;
	p->atd_s = 15;
	p->dtd_s = 30;
	p->seq = 7;
}

/* AES-256-CBC + HMAC-SHA-256, two SAs, KEK and GAP. */
void
tp_pol_cbc(struct gdoi_policy *p)
{
	tp_base(p);
	tp_tek(&p->tek[0], 0x11111111, GDOI_ESP_AES_CBC, 256,
	       GDOI_AUTH_HMAC_SHA256, 1);
	tp_tek(&p->tek[1], 0x22222222, GDOI_ESP_AES_CBC, 128,
	       GDOI_AUTH_HMAC_SHA1, 2);
	p->tek[1].src_mask = 0xffffffff;	/* a host: ID_IPV4_ADDR */
	p->tek[1].proto = 6;
	p->tek[1].dport = 443;
	p->tek[1].lifetime_s = 100000;		/* a TLV duration */
	p->ntek = 2;
}

/* AES-128-GCM with sender IDs (the KS grants them in the exchange). */
void
tp_pol_gcm(struct gdoi_policy *p)
{
	tp_base(p);
	tp_tek(&p->tek[0], 0x33333333, GDOI_ESP_AES_GCM_16, 128,
	       GDOI_AUTH_NONE, 3);
	p->ntek = 1;
	p->sid_bits = 16;
	p->nsid = 2;
	p->sid[0] = 5;
	p->sid[1] = 0xfffe;
}

/* One `sa ipsec` ACL: deny, permit, deny, all on one SPI and key. */
void
tp_pol_deny(struct gdoi_policy *p)
{
	tp_base(p);
	for (int i = 0; i < 3; i++) {
		tp_tek(&p->tek[i], 0x44444444, GDOI_ESP_AES_CBC, 256,
		       GDOI_AUTH_HMAC_SHA256, 4);
		p->tek[i].dst = htonl(0x0a020000 | i << 8);
		p->tek[i].deny = i != 1;
	}
	p->tek[0].proto = 17;
	p->tek[0].sport = p->tek[0].dport = 848;
	p->ntek = 3;
}

/* AES-256-GMAC with time-based anti-replay. */
void
tp_pol_tbar(struct gdoi_policy *p)
{
	tp_base(p);
	tp_tek(&p->tek[0], 0x55555555, GDOI_ESP_AES_GMAC, 256,
	       GDOI_AUTH_NONE, 5);
	p->tek[0].replay = GDOI_REPLAY_TIME;
	p->tek[0].replay_window = 5000;
	p->tek[0].pseudotime_ms = 0x0123456789abULL;
	p->ntek = 1;
	p->sid_bits = 8;
	p->nsid = 1;
	p->sid[0] = 200;
}

/* `sa receive-only`, no replay protection, 3DES KEK. */
void
tp_pol_ro(struct gdoi_policy *p)
{
	tp_base(p);
	tp_tek(&p->tek[0], 0x66666666, GDOI_ESP_AES_CBC, 192,
	       GDOI_AUTH_HMAC_SHA256, 6);
	p->tek[0].direction = GDOI_DIR_RECEIVER_ONLY;
	p->tek[0].replay = GDOI_REPLAY_NONE;
	p->tek[0].replay_window = 0;
	p->ntek = 1;
	p->kek.alg = GDOI_KEK_ALG_3DES;
	p->kek.key_bits = 192;
	p->kek.key_len = 24;
	p->kek.iv_len = 8;
}

/* No rekey: no SAK, no SEQ, no KEK packet, no GAP. */
void
tp_pol_nokek(struct gdoi_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->group_id = 1234;
	tp_tek(&p->tek[0], 0x77777777, GDOI_ESP_AES_CBC, 128,
	       GDOI_AUTH_HMAC_SHA256, 7);
	p->tek[0].src = 0;
	p->tek[0].src_mask = 0;
	p->ntek = 1;
}

const struct tp_case tp_cases[] = {
	{ "cbc+hmac", tp_pol_cbc, false },
	{ "gcm+sids", tp_pol_gcm, true },
	{ "deny entries", tp_pol_deny, false },
	{ "gmac+tbar", tp_pol_tbar, true },
	{ "receive-only", tp_pol_ro, false },
	{ "no kek", tp_pol_nokek, false },
};

const int tp_ncases = (int)(sizeof(tp_cases) / sizeof(tp_cases[0]));

static void
tp_assert_tek_eq(const struct gdoi_tek *a, const struct gdoi_tek *b)
{
	ck_assert_uint_eq(a->spi, b->spi);
	ck_assert_int_eq(a->transform, b->transform);
	ck_assert_uint_eq(a->key_bits, b->key_bits);
	ck_assert_int_eq(a->auth, b->auth);
	ck_assert_uint_eq(a->lifetime_s, b->lifetime_s);
	ck_assert_int_eq(a->direction, b->direction);
	ck_assert_uint_eq(a->proto, b->proto);
	ck_assert_uint_eq(a->src, b->src);
	ck_assert_uint_eq(a->src_mask, b->src_mask);
	ck_assert_uint_eq(a->dst, b->dst);
	ck_assert_uint_eq(a->dst_mask, b->dst_mask);
	ck_assert_uint_eq(a->sport, b->sport);
	ck_assert_uint_eq(a->dport, b->dport);
	ck_assert_int_eq(a->deny, b->deny);
	ck_assert_int_eq(a->replay, b->replay);
	ck_assert_uint_eq(a->replay_window, b->replay_window);
	ck_assert_uint_eq(a->pseudotime_ms, b->pseudotime_ms);
	ck_assert_uint_eq(a->enc_key_len, b->enc_key_len);
	ck_assert_mem_eq(a->enc_key, b->enc_key, a->enc_key_len);
	ck_assert_uint_eq(a->auth_key_len, b->auth_key_len);
	ck_assert_mem_eq(a->auth_key, b->auth_key, a->auth_key_len);
}

static void
tp_assert_kek_eq(const struct gdoi_kek *a, const struct gdoi_kek *b)
{
	ck_assert_mem_eq(a->spi, b->spi, sizeof(a->spi));
	ck_assert_int_eq(a->alg, b->alg);
	ck_assert_uint_eq(a->key_bits, b->key_bits);
	ck_assert_uint_eq(a->lifetime_s, b->lifetime_s);
	ck_assert_int_eq(a->sig_hash, b->sig_hash);
	ck_assert_uint_eq(a->sig_alg, b->sig_alg);
	ck_assert_uint_eq(a->sig_key_bits, b->sig_key_bits);
	ck_assert_uint_eq(a->src, b->src);
	ck_assert_uint_eq(a->dst, b->dst);
	ck_assert_uint_eq(a->src_port, b->src_port);
	ck_assert_uint_eq(a->dst_port, b->dst_port);
	ck_assert_uint_eq(a->key_len, b->key_len);
	ck_assert_mem_eq(a->key, b->key, a->key_len);
	ck_assert_uint_eq(a->iv_len, b->iv_len);
	ck_assert_mem_eq(a->iv, b->iv, a->iv_len);
	ck_assert_uint_eq(a->pubkey_len, b->pubkey_len);
	ck_assert_mem_eq(a->pubkey, b->pubkey, a->pubkey_len);
}

/* Everything the wire carries, keys included. */
void
tp_assert_policy_eq(const struct gdoi_policy *a, const struct gdoi_policy *b)
{
	ck_assert_uint_eq(a->group_id, b->group_id);
	ck_assert_int_eq(a->has_kek, b->has_kek);
	if (a->has_kek) {
		tp_assert_kek_eq(&a->kek, &b->kek);
		ck_assert_uint_eq(a->seq, b->seq);
	}
	ck_assert_int_eq(a->has_gap, b->has_gap);
	ck_assert_uint_eq(a->atd_s, b->atd_s);
	ck_assert_uint_eq(a->dtd_s, b->dtd_s);
	ck_assert_uint_eq(a->ntek, b->ntek);
	for (size_t i = 0; i < a->ntek; i++)
		tp_assert_tek_eq(&a->tek[i], &b->tek[i]);
	ck_assert_uint_eq(a->nsid, b->nsid);
	if (a->nsid > 0)
		ck_assert_uint_eq(a->sid_bits, b->sid_bits);
	for (size_t i = 0; i < a->nsid; i++)
		ck_assert_uint_eq(a->sid[i], b->sid[i]);
}
