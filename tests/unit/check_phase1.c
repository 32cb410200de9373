/*
 * IKEv1 Main Mode for GDOI: gdoi/phase1_prop (the policy floor, the
 * responder's choice, the check of the answer) and gdoi/phase1 between
 * an initiator and a responder in memory: PSK over groups 14/15/19/20
 * and the legacy ones, RSA signatures, wrong keys, replays, damaged and
 * truncated messages, half-open expiry, and log lines free of keys.
 * The primitives underneath are in check_ike.c.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/buf.h"
#include "gdoi/crypto.h"
#include "gdoi/ikecrypt.h"
#include "gdoi/ikekeys.h"
#include "gdoi/isakmp.h"
#include "gdoi/payload.h"
#include "gdoi/phase1.h"
#include "gdoi/phase1_prop.h"
#include "gdoi/rsakey.h"
#include "platform/log.h"
#include "hex_fixtures.h"

/* ---- helpers ---- */

static void
tohex(const uint8_t *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* ---- phase1_prop ---- */

static const struct p1_proposal prop_a = {
	IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED, 19, 86400
};
static const struct p1_proposal prop_b = {
	IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED, 14, 3600
};
static const struct p1_proposal prop_legacy = {
	IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA1, IKE_AUTH_PRE_SHARED, 2, 0
};

START_TEST(test_prop_choose)
{
	const unsigned psk = P1PROP_AUTH_BIT(IKE_AUTH_PRE_SHARED);
	struct p1_proposal ours[2] = { prop_b, prop_a };
	struct p1_proposal theirs[3] = { prop_legacy, prop_a, prop_b };
	struct payload_sa offer, reply;
	struct payload_xform x;
	struct p1_suite s;

	/* Legacy entries are left out of the offer unless allowed. */
	ck_assert_int_eq(p1_prop_offer(theirs, 3, false, psk, &offer), 0);
	ck_assert_uint_eq(offer.nxform, 2);
	ck_assert_uint_eq(offer.xform[0].num, 1);
	ck_assert_uint_eq(offer.xform[0].group, 19);
	ck_assert_int_eq(p1_prop_offer(theirs, 3, true, psk, &offer), 0);
	ck_assert_uint_eq(offer.nxform, 3);
	ck_assert_uint_eq(offer.doi, ISAKMP_DOI_GDOI);
	ck_assert_int_eq(p1_prop_offer(theirs, 3, true,
				      P1PROP_AUTH_BIT(IKE_AUTH_RSA_SIG), &offer),
			 -1);
	/* Our priority order decides, not theirs. */
	ck_assert_int_eq(p1_prop_offer(theirs, 3, true, psk, &offer), 0);
	ck_assert_int_eq(p1_prop_choose(ours, 2, false, psk, &offer, &x), 0);
	ck_assert_uint_eq(x.group, 14);
	ck_assert_uint_eq(x.num, 3);
	/* A peer lifetime longer than ours does not match; shorter does. */
	theirs[2].lifetime = 7200;
	p1_prop_offer(theirs, 3, false, psk, &offer);
	ck_assert_int_eq(p1_prop_choose(ours, 2, false, psk, &offer, &x), 0);
	ck_assert_uint_eq(x.group, 19);
	theirs[1].lifetime = 600;
	p1_prop_offer(theirs, 3, false, psk, &offer);
	ck_assert_int_eq(p1_prop_choose(ours, 1, false, psk, &offer, &x), -1);
	ck_assert_int_eq(p1_prop_choose(ours, 2, false, psk, &offer, &x), 0);
	ck_assert_int_eq(p1_prop_suite(&x, false, &s), 0);
	ck_assert_uint_eq(s.lifetime, 600);
	ck_assert_uint_eq(s.keylen, 32);
	ck_assert_int_eq(s.hash, CRYPTO_HASH_SHA256);
	/* No auth method in common. */
	ck_assert_int_eq(p1_prop_choose(ours, 2, false,
				       P1PROP_AUTH_BIT(IKE_AUTH_RSA_SIG),
				       &offer, &x), -1);

	/* The answer must be one transform we offered. */
	memset(&reply, 0, sizeof(reply));
	reply.nxform = 1;
	reply.xform[0] = offer.xform[0];
	ck_assert_int_eq(p1_prop_check_reply(&offer, &reply, &x), 0);
	reply.xform[0].num = 9;
	ck_assert_int_eq(p1_prop_check_reply(&offer, &reply, &x), -1);
	reply.xform[0] = offer.xform[0];
	reply.xform[0].keylen = 128;
	ck_assert_int_eq(p1_prop_check_reply(&offer, &reply, &x), -1);
	reply.xform[0] = offer.xform[0];
	reply.xform[0].life_sec = offer.xform[0].life_sec + 1;
	ck_assert_int_eq(p1_prop_check_reply(&offer, &reply, &x), -1);
	reply.nxform = 2;
	reply.xform[0] = offer.xform[0];
	reply.xform[1] = offer.xform[1];
	ck_assert_int_eq(p1_prop_check_reply(&offer, &reply, &x), -1);
}
END_TEST

START_TEST(test_prop_defaults)
{
	struct p1_proposal d[P1PROP_NDEFAULTS + 1];
	struct payload_sa offer;

	memset(d, 0, sizeof(d));
	ck_assert_uint_eq(p1_prop_defaults(IKE_AUTH_RSA_SIG, d, 2), 4);
	ck_assert_uint_eq(d[2].group, 0);	/* cap respected */
	ck_assert_uint_eq(p1_prop_defaults(IKE_AUTH_RSA_SIG, d, 8), 4);
	ck_assert_uint_eq(d[0].keylen, 256);
	ck_assert_uint_eq(d[0].group, 19);
	ck_assert_uint_eq(d[2].hash, IKE_HASH_SHA2_384);
	ck_assert_uint_eq(d[2].group, 20);
	ck_assert_uint_eq(d[3].group, 14);
	ck_assert_uint_eq(d[3].auth, IKE_AUTH_RSA_SIG);
	ck_assert_uint_eq(d[3].lifetime, 86400);
	/* All of them pass the algorithm floor without legacy. */
	ck_assert_int_eq(p1_prop_offer(d, 4, false,
				      P1PROP_AUTH_BIT(IKE_AUTH_RSA_SIG), &offer),
			 0);
	ck_assert_uint_eq(offer.nxform, 4);
}
END_TEST

START_TEST(test_retransmit_delays)
{
	ck_assert_int_eq(p1_retransmit_delay(0), -1);
	ck_assert_int_eq(p1_retransmit_delay(1), 2);
	ck_assert_int_eq(p1_retransmit_delay(2), 4);
	ck_assert_int_eq(p1_retransmit_delay(3), 8);
	ck_assert_int_eq(p1_retransmit_delay(4), -1);
}
END_TEST

START_TEST(test_prop_suite_floor)
{
	struct payload_xform x;
	struct p1_suite s;

	p1_prop_to_xform(&prop_legacy, 1, &x);
	ck_assert_int_eq(p1_prop_suite(&x, false, &s), -1);
	ck_assert_int_eq(p1_prop_suite(&x, true, &s), 0);
	ck_assert_int_eq(s.cipher, CRYPTO_CIPHER_3DES_CBC);
	ck_assert_uint_eq(s.keylen, 24);
	ck_assert_uint_eq(s.lifetime, P1PROP_DEFAULT_LIFETIME);
	p1_prop_to_xform(&prop_a, 1, &x);
	x.keylen = 0;			/* AES without Key Length */
	ck_assert_int_eq(p1_prop_suite(&x, true, &s), -1);
	p1_prop_to_xform(&prop_a, 1, &x);
	x.auth = IKE_AUTH_ECDSA_256;
	ck_assert_int_eq(p1_prop_suite(&x, true, &s), -1);
	p1_prop_to_xform(&prop_a, 1, &x);
	x.unsupported = IKE_ATTR_PRF;
	ck_assert_int_eq(p1_prop_suite(&x, true, &s), -1);
	p1_prop_to_xform(&prop_a, 1, &x);
	x.group = 21;
	ck_assert_int_eq(p1_prop_suite(&x, true, &s), -1);
	p1_prop_to_xform(&prop_a, 1, &x);
	x.hash = IKE_HASH_MD5;
	ck_assert_int_eq(p1_prop_suite(&x, true, &s), -1);
}
END_TEST

/* ---- phase1: Main Mode in memory ---- */

#define GM_ADDR htonl(0x0a000002u)	/* 10.0.0.2 */
#define KS_ADDR htonl(0x0a000001u)	/* 10.0.0.1 */
#define T0 1000		/* the caller's clock, ms */

static const uint8_t *
psk_cb(void *arg, uint32_t peer, size_t *len)
{
	const char *psk = arg;

	if (psk == NULL)
		return NULL;
	*len = strlen(psk);
	return (const uint8_t *)psk;
}

/* The peer's public key, if the peer presents the address we expect. */
struct peer_ctx {
	const struct rsakey *key;
	uint32_t addr;
	int calls;
};

static struct rsakey *
peer_key_cb(void *arg, const struct p1_peer_cred *cred)
{
	struct peer_ctx *pc = arg;
	const uint8_t *der;
	size_t len;

	pc->calls++;
	if (pc->key == NULL || cred->addr != pc->addr ||
	    cred->id_type != ISAKMP_ID_IPV4_ADDR || cred->id_len != 4)
		return NULL;
	der = rsakey_pub_der(pc->key, &len);
	return rsakey_from_pub_der(der, len);
}

/* Messages 1..6 in m[1..6]; m[0] is scratch. */
struct mm {
	struct p1_config ic, rc;
	struct p1_sa *i, *r;
	struct buf_writer m[7];
	enum p1_result last;
};

static void
mm_init(struct mm *t)
{
	int k;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < 7; k++)
		buf_writer_init(&t->m[k]);
}

static void
mm_done(struct mm *t)
{
	int k;

	p1_sa_free(t->i);
	p1_sa_free(t->r);
	for (k = 0; k < 7; k++)
		buf_writer_free(&t->m[k]);
}

static enum p1_result
feed(struct p1_sa *sa, const struct buf_writer *in, long long now,
     struct buf_writer *out)
{
	return p1_process(sa, buf_data(in), buf_len(in), now, out);
}

/*
 * Run Main Mode up to (not including) delivering message stop (7 = to
 * the end).  Returns the number of the first message that did not lead
 * where it should, or 7.
 */
static int
mm_run(struct mm *t, int stop)
{
	t->i = p1_initiator_start(&t->ic, GM_ADDR, KS_ADDR, T0, &t->m[1]);
	if (t->i == NULL)
		return 0;
	if (stop <= 1)
		return 1;
	t->r = p1_responder_new(&t->rc, KS_ADDR, GM_ADDR, buf_data(&t->m[1]),
				buf_len(&t->m[1]), T0, &t->m[2]);
	if (t->r == NULL)
		return 1;
	if (stop <= 2 || (t->last = feed(t->i, &t->m[2], T0 + 1, &t->m[3])) != P1_SEND)
		return 2;
	if (stop <= 3 || (t->last = feed(t->r, &t->m[3], T0 + 1, &t->m[4])) != P1_SEND)
		return 3;
	if (stop <= 4 || (t->last = feed(t->i, &t->m[4], T0 + 2, &t->m[5])) != P1_SEND)
		return 4;
	if (stop <= 5 || (t->last = feed(t->r, &t->m[5], T0 + 2, &t->m[6])) != P1_ESTABLISHED)
		return 5;
	if (stop <= 6 || (t->last = feed(t->i, &t->m[6], T0 + 3, &t->m[0])) != P1_ESTABLISHED)
		return 6;
	return 7;
}

/* Both ends agree on every key and on P1_last. */
static void
mm_check_keys(const struct mm *t)
{
	const struct ikekeys *ki = p1_sa_keys(t->i), *kr = p1_sa_keys(t->r);
	const struct ike_cipher *ci = p1_sa_cipher(t->i), *cr = p1_sa_cipher(t->r);
	const struct ike_iv *li = p1_sa_p1_last(t->i), *lr = p1_sa_p1_last(t->r);
	struct ike_iv xi, xr;
	const uint8_t *id;
	size_t idlen;

	ck_assert_int_eq(p1_sa_state(t->i), P1_STATE_ESTABLISHED);
	ck_assert_int_eq(p1_sa_state(t->r), P1_STATE_ESTABLISHED);
	ck_assert_ptr_nonnull(ki);
	ck_assert_ptr_nonnull(kr);
	ck_assert_uint_eq(ki->len, kr->len);
	ck_assert_mem_eq(ki->skeyid, kr->skeyid, ki->len);
	ck_assert_mem_eq(ki->skeyid_a, kr->skeyid_a, ki->len);
	ck_assert_mem_eq(ki->skeyid_e, kr->skeyid_e, ki->len);
	ck_assert_uint_eq(ci->keylen, cr->keylen);
	ck_assert_mem_eq(ci->key, cr->key, ci->keylen);
	ck_assert_uint_eq(li->len, lr->len);
	ck_assert_mem_eq(li->iv, lr->iv, li->len);
	/* P1_last is the last ciphertext block of message 6. */
	ck_assert_mem_eq(li->iv, buf_data(&t->m[6]) + buf_len(&t->m[6]) - li->len,
			 li->len);
	ck_assert_int_eq(ikekeys_exch_iv(ki->hash, li, 0x1234, &xi), 0);
	ck_assert_int_eq(ikekeys_exch_iv(kr->hash, lr, 0x1234, &xr), 0);
	ck_assert_mem_eq(xi.iv, xr.iv, xi.len);
	ck_assert_mem_eq(p1_sa_icookie(t->i), p1_sa_icookie(t->r), 8);
	ck_assert_mem_eq(p1_sa_rcookie(t->i), p1_sa_rcookie(t->r), 8);
	id = p1_sa_peer_id(t->r, &idlen);
	ck_hex(id, idlen, "010000000a000002");
	id = p1_sa_peer_id(t->i, &idlen);
	ck_hex(id, idlen, "010000000a000001");
}

static const struct {
	struct p1_proposal p;
	bool legacy;
} mm_psk_cases[] = {
	{ { IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED, 14, 0 }, false },
	{ { IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED, 19, 0 }, false },
	{ { IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_384, IKE_AUTH_PRE_SHARED, 20, 0 }, false },
	{ { IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA2_384, IKE_AUTH_PRE_SHARED, 19, 0 }, false },
	{ { IKE_ENCR_AES_CBC, 192, IKE_HASH_SHA2_512, IKE_AUTH_PRE_SHARED, 20, 0 }, false },
	{ { IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED, 15, 0 }, false },
	{ { IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA1, IKE_AUTH_PRE_SHARED, 2, 0 }, true },
	{ { IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_AUTH_PRE_SHARED, 5, 0 }, true },
};

/* A policy nobody in mm_psk_cases uses, offered first as a decoy. */
static const struct p1_proposal mm_decoy = {
	IKE_ENCR_AES_CBC, 192, IKE_HASH_SHA2_384, IKE_AUTH_PRE_SHARED, 14, 0
};

static void
mm_psk_config(struct mm *t, const struct p1_proposal *iprop, size_t in,
	      const struct p1_proposal *rprop, size_t rn, bool legacy)
{
	t->ic.prop = iprop;
	t->ic.nprop = in;
	t->ic.legacy = legacy;
	t->ic.psk = psk_cb;
	t->ic.psk_arg = (void *)(uintptr_t)"cisco123";
	t->rc = t->ic;
	t->rc.prop = rprop;
	t->rc.nprop = rn;
}

START_TEST(test_mm_psk)
{
	const struct p1_proposal *p = &mm_psk_cases[_i].p;
	struct p1_proposal iprop[2] = { mm_decoy, *p };
	struct p1_proposal rprop[1] = { *p };
	struct p1_stats st = { 0 };
	const struct p1_suite *s;
	struct mm t;

	mm_init(&t);
	mm_psk_config(&t, iprop, 2, rprop, 1, mm_psk_cases[_i].legacy);
	t.rc.stats = &st;
	ck_assert_int_eq(mm_run(&t, 7), 7);
	mm_check_keys(&t);
	s = p1_sa_suite(t.r);
	ck_assert_uint_eq(s->group, p->group);
	ck_assert_uint_eq(s->keylen, p->enc == IKE_ENCR_AES_CBC ? p->keylen / 8u : 24u);
	ck_assert_uint_eq(p1_sa_suite(t.i)->group, p->group);
	ck_assert_uint_eq(p1_sa_cipher(t.i)->keylen, s->keylen);
	ck_assert_uint_eq(st.established, 1);
	ck_assert_uint_eq(st.failed, 0);
	/* The message layout: SA, SA, KE+NONCE twice, then encrypted. */
	ck_assert_uint_eq(buf_data(&t.m[1])[16], ISAKMP_PAYLOAD_SA);
	ck_assert_uint_eq(buf_data(&t.m[3])[16], ISAKMP_PAYLOAD_KE);
	ck_assert_uint_eq(buf_data(&t.m[5])[16], ISAKMP_PAYLOAD_ID);
	ck_assert_uint_eq(buf_data(&t.m[5])[19], ISAKMP_FLAG_ENC);
	ck_assert_uint_eq(buf_data(&t.m[6])[19], ISAKMP_FLAG_ENC);
	ck_assert_uint_eq(buf_len(&t.m[0]), 0);
	ck_assert_str_eq(p1_state_ios(p1_sa_state(t.i)), "QM_IDLE");
	mm_done(&t);
}
END_TEST

START_TEST(test_mm_rsa)
{
	struct rsakey *ki = rsakey_generate(1024), *kr = rsakey_generate(1024);
	struct p1_proposal prop = {
		IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_RSA_SIG, 19, 0
	};
	struct peer_ctx pi = { kr, KS_ADDR, 0 }, pr = { ki, GM_ADDR, 0 };
	struct mm t;

	ck_assert_ptr_nonnull(ki);
	ck_assert_ptr_nonnull(kr);
	mm_init(&t);
	t.ic.prop = &prop;
	t.ic.nprop = 1;
	t.ic.dpd = true;
	t.rc = t.ic;
	t.ic.rsa = ki;
	t.ic.peer_key = peer_key_cb;
	t.ic.peer_key_arg = &pi;
	t.rc.rsa = kr;
	t.rc.peer_key = peer_key_cb;
	t.rc.peer_key_arg = &pr;
	ck_assert_int_eq(mm_run(&t, 7), 7);
	mm_check_keys(&t);
	ck_assert_uint_eq(p1_sa_suite(t.i)->auth, IKE_AUTH_RSA_SIG);
	ck_assert_int_eq(pi.calls, 1);
	ck_assert_int_eq(pr.calls, 1);
	ck_assert(p1_sa_peer_dpd(t.i));
	ck_assert(p1_sa_peer_dpd(t.r));
	mm_done(&t);

	/* The responder holds the wrong key for the GM: INVALID-SIGNATURE. */
	mm_init(&t);
	t.ic.prop = t.rc.prop = &prop;
	t.ic.nprop = t.rc.nprop = 1;
	t.ic.rsa = ki;
	t.ic.peer_key = peer_key_cb;
	t.ic.peer_key_arg = &pi;
	t.rc.rsa = kr;
	t.rc.peer_key = peer_key_cb;
	pr.key = kr;
	t.rc.peer_key_arg = &pr;
	ck_assert_int_eq(mm_run(&t, 7), 5);
	ck_assert_int_eq(t.last, P1_FAILED);
	ck_assert_uint_eq(p1_sa_notify_sent(t.r), ISAKMP_N_INVALID_SIGNATURE);
	mm_done(&t);

	/* The hook refuses the GM: AUTHENTICATION-FAILED. */
	mm_init(&t);
	t.ic.prop = t.rc.prop = &prop;
	t.ic.nprop = t.rc.nprop = 1;
	t.ic.rsa = ki;
	t.ic.peer_key = peer_key_cb;
	t.ic.peer_key_arg = &pi;
	t.rc.rsa = kr;
	t.rc.peer_key = peer_key_cb;
	pr.key = ki;
	pr.addr = 0x01020304;
	t.rc.peer_key_arg = &pr;
	ck_assert_int_eq(mm_run(&t, 7), 5);
	ck_assert_uint_eq(p1_sa_notify_sent(t.r), ISAKMP_N_AUTHENTICATION_FAILED);
	mm_done(&t);
	rsakey_free(ki);
	rsakey_free(kr);
}
END_TEST

/* Decode the unprotected Notify in w: its type, or 0. */
static uint16_t
notify_type(const struct buf_writer *w)
{
	struct isakmp_hdr h;
	struct isakmp_chain c;
	const struct isakmp_payload *pl;
	struct payload_notify n;
	const uint8_t *p = buf_data(w);
	size_t len = buf_len(w);

	if (len == 0 || isakmp_hdr_decode(&h, p, len, NULL) < 0 ||
	    h.exch != ISAKMP_EXCH_INFO || h.flags != 0 || h.msgid != 0 ||
	    isakmp_chain_parse(&c, h.next, p + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0 ||
	    (pl = isakmp_chain_find(&c, ISAKMP_PAYLOAD_N)) == NULL ||
	    payload_notify_decode(pl->body, pl->body_len, &n) < 0)
		return 0;
	return n.type;
}

START_TEST(test_mm_wrong_psk)
{
	struct p1_stats si = { 0 }, sr = { 0 };
	struct mm t;
	uint16_t n;

	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	t.rc.psk_arg = (void *)(uintptr_t)"cisco124";
	t.ic.stats = &si;
	t.rc.stats = &sr;
	ck_assert_int_eq(mm_run(&t, 7), 5);
	ck_assert_int_eq(t.last, P1_FAILED);
	ck_assert_int_eq(p1_sa_state(t.r), P1_STATE_DEAD);
	n = notify_type(&t.m[6]);
	ck_assert(n == ISAKMP_N_PAYLOAD_MALFORMED ||
		  n == ISAKMP_N_INVALID_HASH_INFORMATION);
	ck_assert_uint_eq(p1_sa_notify_sent(t.r), n);
	ck_assert_ptr_null(p1_sa_keys(t.r));
	/* The initiator learns it from the Notify and stops too. */
	ck_assert_int_eq(feed(t.i, &t.m[6], T0 + 3, &t.m[0]), P1_FAILED);
	ck_assert_int_eq(p1_sa_state(t.i), P1_STATE_DEAD);
	ck_assert_uint_eq(p1_sa_notify_rcvd(t.i), n);
	ck_assert_uint_eq(buf_len(&t.m[0]), 0);
	ck_assert_uint_eq(si.failed, 1);
	ck_assert_uint_eq(sr.failed, 1);
	/* A dead SA takes nothing more. */
	ck_assert_int_eq(feed(t.i, &t.m[6], T0 + 3, &t.m[0]), P1_DROP);
	ck_assert_int_eq(feed(t.r, &t.m[5], T0 + 3, &t.m[0]), P1_DROP);
	mm_done(&t);
}
END_TEST

START_TEST(test_mm_no_proposal)
{
	struct mm t;

	mm_init(&t);
	mm_psk_config(&t, &prop_b, 1, &prop_a, 1, false);
	ck_assert_int_eq(mm_run(&t, 7), 1);
	ck_assert_ptr_null(t.r);
	ck_assert_uint_eq(notify_type(&t.m[2]), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	ck_assert_int_eq(feed(t.i, &t.m[2], T0 + 1, &t.m[0]), P1_FAILED);
	ck_assert_uint_eq(p1_sa_notify_rcvd(t.i), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	mm_done(&t);

	/* No PSK for this peer and no RSA: nothing to offer at all. */
	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	t.ic.psk_arg = NULL;
	ck_assert_int_eq(mm_run(&t, 7), 0);
	ck_assert_uint_eq(buf_len(&t.m[1]), 0);
	/* The responder without a key for the GM refuses the PSK offer. */
	t.ic.psk_arg = (void *)(uintptr_t)"cisco123";
	t.rc.psk_arg = NULL;
	ck_assert_int_eq(mm_run(&t, 7), 1);
	ck_assert_uint_eq(notify_type(&t.m[2]), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	mm_done(&t);
}
END_TEST

START_TEST(test_mm_replay)
{
	struct p1_stats st = { 0 };
	struct mm t;

	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	t.rc.stats = &st;
	ck_assert_int_eq(mm_run(&t, 3), 3);
	/* Message 1 again: message 2 again, nothing else changes. */
	ck_assert_int_eq(feed(t.r, &t.m[1], T0 + 1, &t.m[0]), P1_SEND);
	ck_assert_uint_eq(buf_len(&t.m[0]), buf_len(&t.m[2]));
	ck_assert_mem_eq(buf_data(&t.m[0]), buf_data(&t.m[2]), buf_len(&t.m[2]));
	ck_assert_int_eq(p1_sa_state(t.r), P1_STATE_R_SA_SENT);
	ck_assert_int_eq(feed(t.r, &t.m[3], T0 + 1, &t.m[4]), P1_SEND);
	/* Message 3 again: the same message 4, same keys. */
	ck_assert_int_eq(feed(t.r, &t.m[3], T0 + 1, &t.m[0]), P1_SEND);
	ck_assert_mem_eq(buf_data(&t.m[0]), buf_data(&t.m[4]), buf_len(&t.m[4]));
	ck_assert_int_eq(p1_sa_state(t.r), P1_STATE_R_KE_SENT);
	/* A stale message 1 now is not the last one: dropped. */
	ck_assert_int_eq(feed(t.r, &t.m[1], T0 + 1, &t.m[0]), P1_DROP);
	ck_assert_uint_eq(buf_len(&t.m[0]), 0);
	/* The initiator: a repeated message 2 gets message 3 again. */
	ck_assert_int_eq(feed(t.i, &t.m[2], T0 + 1, &t.m[0]), P1_SEND);
	ck_assert_mem_eq(buf_data(&t.m[0]), buf_data(&t.m[3]), buf_len(&t.m[3]));
	ck_assert_int_eq(feed(t.i, &t.m[4], T0 + 2, &t.m[5]), P1_SEND);
	ck_assert_int_eq(feed(t.r, &t.m[5], T0 + 2, &t.m[6]), P1_ESTABLISHED);
	/* Message 5 again: message 6 again (the GM lost it). */
	ck_assert_int_eq(feed(t.r, &t.m[5], T0 + 2, &t.m[0]), P1_SEND);
	ck_assert_mem_eq(buf_data(&t.m[0]), buf_data(&t.m[6]), buf_len(&t.m[6]));
	ck_assert_int_eq(feed(t.i, &t.m[6], T0 + 3, &t.m[0]), P1_ESTABLISHED);
	ck_assert_int_eq(feed(t.i, &t.m[6], T0 + 3, &t.m[0]), P1_DROP);
	ck_assert_int_eq(feed(t.r, &t.m[3], T0 + 3, &t.m[0]), P1_DROP);
	mm_check_keys(&t);
	ck_assert_uint_eq(st.retransmit_answered, 3);
	ck_assert_uint_eq(st.established, 1);
	/* Retransmission timers resend the last message. */
	{
		size_t len;
		const uint8_t *p = p1_sa_last_sent(t.i, &len);

		ck_assert_uint_eq(len, buf_len(&t.m[5]));
		ck_assert_mem_eq(p, buf_data(&t.m[5]), len);
	}
	mm_done(&t);
}
END_TEST

/* Bit positions in message 5's ciphertext (after the header). */
static const size_t flip_bits[] = { 0, 7, 8 * 4, 8 * 16, 8 * 17 + 3,
				    8 * 31, 8 * 40, 8 * 47 + 7 };

START_TEST(test_mm_bitflip_msg5)
{
	struct mm t;
	uint8_t *p;
	uint16_t n;

	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	ck_assert_int_eq(mm_run(&t, 5), 5);
	ck_assert_uint_eq(buf_len(&t.m[5]), ISAKMP_HDR_LEN + 48);
	p = buf_ptr(&t.m[5], 0, buf_len(&t.m[5]));
	p[ISAKMP_HDR_LEN + flip_bits[_i] / 8] ^= (uint8_t)(1u << (flip_bits[_i] % 8));
	ck_assert_int_eq(feed(t.r, &t.m[5], T0 + 2, &t.m[6]), P1_FAILED);
	n = p1_sa_notify_sent(t.r);
	ck_assert_msg(n == ISAKMP_N_INVALID_HASH_INFORMATION ||
		      n == ISAKMP_N_PAYLOAD_MALFORMED ||
		      n == ISAKMP_N_INVALID_ID_INFORMATION, "notify %u", n);
	ck_assert_uint_eq(notify_type(&t.m[6]), n);
	ck_assert_ptr_null(p1_sa_keys(t.r));
	mm_done(&t);
}
END_TEST

START_TEST(test_mm_half_open)
{
	struct mm t;

	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	ck_assert_int_eq(mm_run(&t, 5), 5);
	ck_assert_int_eq(p1_sa_state(t.r), P1_STATE_R_KE_SENT);
	ck_assert_str_eq(p1_state_name(p1_sa_state(t.r)), "R_KE_SENT");
	ck_assert_str_eq(p1_state_ios(p1_sa_state(t.r)), "MM_KEY_EXCH");
	ck_assert_uint_eq(p1_sa_age_ms(t.r, T0 + 10), 10);
	ck_assert(!p1_sa_expired(t.r, T0 + 10));
	ck_assert(!p1_sa_expired(t.r, T0 + P1_NEGOTIATION_TIMEOUT_MS));
	ck_assert(p1_sa_expired(t.r, T0 + P1_NEGOTIATION_TIMEOUT_MS + 1));
	ck_assert_ptr_null(p1_sa_keys(t.r));
	p1_sa_kill(t.r, "negotiation timed out");
	ck_assert_int_eq(p1_sa_state(t.r), P1_STATE_DEAD);
	ck_assert_int_eq(feed(t.r, &t.m[5], T0 + 40, &t.m[6]), P1_DROP);
	mm_done(&t);

	/* An established SA expires with its lifetime. */
	mm_init(&t);
	mm_psk_config(&t, &prop_b, 1, &prop_b, 1, false);
	ck_assert_int_eq(mm_run(&t, 7), 7);
	ck_assert(!p1_sa_expired(t.i, T0 + 3 + 3600 * 1000 - 1));
	ck_assert(p1_sa_expired(t.i, T0 + 3 + 3600 * 1000));
	mm_done(&t);
}
END_TEST

/* Damaged message 1s: every truncation and every single-bit flip. */
START_TEST(test_mm_msg1_damage)
{
	struct p1_config cfg = { 0 };
	struct buf_writer m1, out;
	struct p1_sa *i, *r;
	uint8_t *copy;
	size_t len, k;

	cfg.prop = &prop_a;
	cfg.nprop = 1;
	cfg.psk = psk_cb;
	cfg.psk_arg = (void *)(uintptr_t)"k";
	buf_writer_init(&m1);
	buf_writer_init(&out);
	i = p1_initiator_start(&cfg, GM_ADDR, KS_ADDR, T0, &m1);
	ck_assert_ptr_nonnull(i);
	len = buf_len(&m1);
	copy = malloc(len);
	for (k = 0; k < len; k++) {
		memcpy(copy, buf_data(&m1), len);
		ck_assert_ptr_null(p1_responder_new(&cfg, KS_ADDR, GM_ADDR, copy,
						    k, T0, &out));
	}
	for (k = 0; k < len * 8; k++) {
		memcpy(copy, buf_data(&m1), len);
		copy[k / 8] ^= (uint8_t)(1u << (k % 8));
		r = p1_responder_new(&cfg, KS_ADDR, GM_ADDR, copy, len, T0, &out);
		p1_sa_free(r);
	}
	free(copy);
	p1_sa_free(i);
	buf_writer_free(&m1);
	buf_writer_free(&out);
}
END_TEST

/* Truncated datagrams never move a negotiation. */
START_TEST(test_mm_truncated)
{
	struct mm t;
	size_t k;

	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	ck_assert_int_eq(mm_run(&t, 3), 3);
	for (k = 0; k < buf_len(&t.m[3]); k++) {
		ck_assert_int_eq(p1_process(t.r, buf_data(&t.m[3]), k, T0 + 1,
					    &t.m[0]), P1_DROP);
		ck_assert_int_eq(p1_process(t.i, buf_data(&t.m[3]), k, T0 + 1,
					    &t.m[0]), P1_DROP);
	}
	ck_assert_int_eq(p1_sa_state(t.r), P1_STATE_R_SA_SENT);
	ck_assert_int_eq(feed(t.r, &t.m[3], T0 + 1, &t.m[4]), P1_SEND);
	ck_assert_int_eq(feed(t.i, &t.m[4], T0 + 2, &t.m[5]), P1_SEND);
	for (k = 0; k < buf_len(&t.m[5]); k++)
		ck_assert_int_eq(p1_process(t.r, buf_data(&t.m[5]), k, T0 + 2,
					    &t.m[0]), P1_DROP);
	ck_assert_int_eq(feed(t.r, &t.m[5], T0 + 2, &t.m[6]), P1_ESTABLISHED);
	ck_assert_int_eq(feed(t.i, &t.m[6], T0 + 3, &t.m[0]), P1_ESTABLISHED);
	mm_done(&t);
}
END_TEST

/* ---- no key material in log lines ---- */

static char log_text[256 * 1024];
static size_t log_used;

static void
log_capture(void *arg, int sev, const char *line)
{
	size_t n = strlen(line);

	if (log_used + n + 1 < sizeof(log_text)) {
		memcpy(log_text + log_used, line, n);
		log_text[log_used + n] = '\n';
		log_used += n + 1;
	}
}

static void
ck_not_logged(const uint8_t *p, size_t len)
{
	char hex[2 * CRYPTO_MAX_HASH + 1];
	size_t i;

	tohex(p, len < 8 ? len : 8, hex);
	ck_assert_ptr_null(strstr(log_text, hex));
	for (i = 0; hex[i]; i++)
		if (hex[i] >= 'a' && hex[i] <= 'f')
			hex[i] = (char)(hex[i] - 'a' + 'A');
	ck_assert_ptr_null(strstr(log_text, hex));
	ck_assert_ptr_null(memmem(log_text, log_used, p, len < 8 ? len : 8));
}

START_TEST(test_mm_no_keys_logged)
{
	const struct ikekeys *k;
	const struct ike_cipher *c;
	struct mm t;
	int f;

	log_used = 0;
	for (f = 0; f < LOG_DBG_COUNT; f++)
		if (f != LOG_DBG_KEYS)
			log_debug_set(f, true);
	ck_assert_int_eq(log_sink_add(log_capture, NULL, 7), 0);
	mm_init(&t);
	mm_psk_config(&t, &prop_a, 1, &prop_a, 1, false);
	ck_assert_int_eq(mm_run(&t, 7), 7);
	/* A failure path logs too. */
	{
		struct mm u;

		mm_init(&u);
		mm_psk_config(&u, &prop_a, 1, &prop_a, 1, false);
		u.rc.psk_arg = (void *)(uintptr_t)"other-key";
		ck_assert_int_eq(mm_run(&u, 7), 5);
		mm_done(&u);
	}
	log_sink_remove(log_capture, NULL);
	log_debug_all_off();
	log_text[log_used] = '\0';
	ck_assert_ptr_nonnull(strstr(log_text, "R_KE_SENT -> ESTABLISHED"));
	ck_assert_ptr_nonnull(strstr(log_text, "INIT -> I_SA_SENT"));
	k = p1_sa_keys(t.r);
	c = p1_sa_cipher(t.r);
	ck_not_logged(k->skeyid, k->len);
	ck_not_logged(k->skeyid_d, k->len);
	ck_not_logged(k->skeyid_a, k->len);
	ck_not_logged(k->skeyid_e, k->len);
	ck_not_logged(c->key, c->keylen);
	ck_assert_ptr_null(strstr(log_text, "cisco123"));
	ck_assert_ptr_null(strstr(log_text, "other-key"));
	mm_done(&t);
}
END_TEST

Suite *
suite_phase1(void)
{
	Suite *s = suite_create("phase1");
	TCase *tc;

	tc = tcase_create("proposals");
	tcase_add_test(tc, test_prop_choose);
	tcase_add_test(tc, test_prop_suite_floor);
	tcase_add_test(tc, test_prop_defaults);
	tcase_add_test(tc, test_retransmit_delays);
	suite_add_tcase(s, tc);

	tc = tcase_create("main_mode");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_mm_psk, 0,
			    sizeof(mm_psk_cases) / sizeof(mm_psk_cases[0]));
	tcase_add_test(tc, test_mm_rsa);
	tcase_add_test(tc, test_mm_wrong_psk);
	tcase_add_test(tc, test_mm_no_proposal);
	tcase_add_test(tc, test_mm_replay);
	tcase_add_loop_test(tc, test_mm_bitflip_msg5, 0,
			    sizeof(flip_bits) / sizeof(flip_bits[0]));
	tcase_add_test(tc, test_mm_half_open);
	tcase_add_test(tc, test_mm_msg1_damage);
	tcase_add_test(tc, test_mm_truncated);
	tcase_add_test(tc, test_mm_no_keys_logged);
	suite_add_tcase(s, tc);
	return s;
}
