/*
 * The policy codec (gdoi/policy_codec.c): policy <-> SA/SEQ/KD round trips
 * for every TEK profile, the attributes each profile puts on the wire,
 * and the policies, SAs and KDs the key server must not send and the
 * group member must refuse.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "gdoi/policy_codec.h"
#include "pull_fixtures.h"

/* ---- codec round trips ---- */

/* The chain written by one builder, parsed back. */
static void
tp_chain(const struct buf_writer *w, struct isakmp_chain *c)
{
	ck_assert(!buf_writer_failed(w));
	ck_assert_int_eq(isakmp_chain_parse(c, buf_data(w)[0],
					    buf_data(w) + 1, buf_len(w) - 1), 0);
}

/* A writer whose first octet receives the first payload type. */
static void
tp_builder(struct buf_writer *w, struct isakmp_builder *b)
{
	buf_writer_init(w);
	buf_put_u8(w, 0);
	isakmp_build_init(b, w, 0);
}

START_TEST(test_codec_round_trip)
{
	const struct tp_case *tc = &tp_cases[_i];
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_policy *q = calloc(1, sizeof(*q));
	const struct isakmp_payload *seq, *kd;
	struct isakmp_builder b;
	struct isakmp_chain c;
	struct buf_writer w;

	tc->make(p);
	tp_builder(&w, &b);
	ck_assert_int_eq(policy_codec_sa_put(&b, p), 0);
	tp_chain(&w, &c);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_int_eq(policy_codec_sa_decode(c.pl[0].body,
						c.pl[0].body_len, q), 0);
	q->group_id = p->group_id;
	buf_writer_free(&w);

	tp_builder(&w, &b);
	ck_assert_int_eq(policy_codec_keys_put(&b, p), 0);
	tp_chain(&w, &c);
	seq = isakmp_chain_find(&c, GDOI_PAYLOAD_SEQ);
	kd = isakmp_chain_find(&c, GDOI_PAYLOAD_KD);
	ck_assert(kd != NULL);
	ck_assert_int_eq(seq != NULL, p->has_kek);
	ck_assert_uint_eq(c.n, p->has_kek ? 2 : 1);
	ck_assert_int_eq(policy_codec_keys_decode(q, seq ? seq->body : NULL,
						  seq ? seq->body_len : 0,
						  kd->body, kd->body_len), 0);
	tp_assert_policy_eq(p, q);
	buf_writer_free(&w);
	free(p);
	free(q);
}
END_TEST

/* What the SATs look like on the wire, per profile (doc/protocol.md §4.8). */
START_TEST(test_codec_sat_attributes)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_sa *sa = calloc(1, sizeof(*sa));
	const struct gdoi_attr_raw *a;

	tp_pol_cbc(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert_uint_eq(sa->sat[0].transform, 12);
	ck_assert_uint_eq(sa->sat[0].auth_alg, 5);
	ck_assert_uint_eq(sa->sat[0].keylen, 256);
	ck_assert_uint_eq(sa->sat[0].encap, IPSEC_ENCAP_TUNNEL);
	ck_assert_uint_eq(sa->sat[0].direction, 0);	/* default: omitted */
	ck_assert_uint_eq(sa->sat[0].addr_pres, 0);
	ck_assert_uint_eq(sa->sat[0].src.type, ISAKMP_ID_IPV4_ADDR_SUBNET);
	ck_assert_uint_eq(sa->sat[1].dst.type, ISAKMP_ID_IPV4_ADDR_SUBNET);
	ck_assert_uint_eq(sa->sat[1].src.type, ISAKMP_ID_IPV4_ADDR);
	ck_assert_ptr_null(gdoi_sat_priv_find(&sa->sat[0],
					      GDOI_ATTR_ACE_ACTION));
	a = gdoi_sat_priv_find(&sa->sat[0], GDOI_ATTR_REPLAY_COUNTER_WINDOW);
	ck_assert(a != NULL && a->len == 4 && a->val[3] == 64);
	ck_assert(sa->has_sak && sa->sak.mgmt_alg == 0);
	ck_assert_uint_eq(sa->sak.keylen, 256);
	ck_assert_uint_eq(sa->sak.proto, 17);

	tp_pol_gcm(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert_uint_eq(sa->sat[0].transform, 20);
	ck_assert_uint_eq(sa->sat[0].auth_alg, 0);	/* combined mode */
	ck_assert_uint_eq(sa->sat[0].keylen, 128);

	tp_pol_tbar(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert_uint_eq(sa->sat[0].transform, 23);
	a = gdoi_sat_priv_find(&sa->sat[0], GDOI_ATTR_TBAR_WINDOW_MS);
	ck_assert(a != NULL && a->len == 4);
	a = gdoi_sat_priv_find(&sa->sat[0], GDOI_ATTR_TBAR_PSEUDOTIME_MS);
	ck_assert(a != NULL && a->len == 8 && a->val[7] == 0xab);

	tp_pol_deny(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	a = gdoi_sat_priv_find(&sa->sat[0], GDOI_ATTR_ACE_ACTION);
	ck_assert(a != NULL && a->tv && a->val[1] == GDOI_ACE_DENY);
	ck_assert_ptr_null(gdoi_sat_priv_find(&sa->sat[1],
					      GDOI_ATTR_ACE_ACTION));

	tp_pol_ro(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert_uint_eq(sa->sat[0].direction, IPSEC_SA_DIR_RECEIVER);
	ck_assert_uint_eq(sa->sak.keylen, 0);		/* 3DES: fixed */

	tp_pol_nokek(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert(!sa->has_sak && !sa->has_gap);
	free(p);
	free(sa);
}
END_TEST

/* One TEK per distinct SPI in the KD; SID packet only when granted. */
START_TEST(test_codec_kd_packets)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_kd *kd = calloc(1, sizeof(*kd));

	tp_pol_deny(p);
	ck_assert_int_eq(policy_codec_to_kd(p, kd), 0);
	ck_assert_uint_eq(kd->ntek, 1);
	ck_assert(kd->has_kek && !kd->has_sid);
	ck_assert_uint_eq(kd->kek.alg_key_len, 16 + 32);
	ck_assert_mem_eq(kd->kek.alg_key, p->kek.iv, 16);

	tp_pol_gcm(p);
	ck_assert_int_eq(policy_codec_to_kd(p, kd), 0);
	ck_assert(kd->has_sid);
	ck_assert_uint_eq(kd->sid.nbits, 16);
	ck_assert_uint_eq(kd->sid.nsid, 2);
	ck_assert_uint_eq(kd->tek[0].alg_key_len, 20);	/* key | salt */
	ck_assert_uint_eq(kd->tek[0].int_key_len, 0);
	gdoi_kd_free(kd);
	free(kd);
	free(p);
}
END_TEST

/* Message 4's payloads for p, as an ISAKMP chain in w. */
static void
tp_keys(struct buf_writer *w, const struct gdoi_policy *p)
{
	struct isakmp_builder b;

	buf_writer_reset(w);
	buf_put_u8(w, 0);
	isakmp_build_init(&b, w, 0);
	ck_assert_int_eq(policy_codec_keys_put(&b, p), 0);
}

/* p encoded with its epoch equals p encoded from scratch (epoch 0). */
static void
tp_keys_same(struct gdoi_policy *p, struct buf_writer *a,
	     struct buf_writer *b)
{
	uint64_t epoch = p->epoch;

	tp_keys(a, p);
	p->epoch = 0;
	tp_keys(b, p);
	p->epoch = epoch;
	ck_assert_uint_eq(buf_len(a), buf_len(b));
	ck_assert_mem_eq(buf_data(a), buf_data(b), buf_len(a));
}

/*
 * The key packets of message 4, built once per (group, epoch): each
 * member still gets its own SIDs, a new epoch brings the new keys at
 * once, groups do not mix, and a flush changes nothing visible.
 */
START_TEST(test_codec_keys_cache)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_policy *q = calloc(1, sizeof(*q));
	struct buf_writer a, b;

	buf_writer_init(&a);
	buf_writer_init(&b);
	tp_pol_gcm(p);
	p->epoch = gdoi_policy_epoch_next();
	tp_keys_same(p, &a, &b);		/* fills the cache */
	p->sid[0] = 77;				/* the next member */
	p->nsid = 1;
	tp_keys_same(p, &a, &b);		/* from the cache */
	p->tek[0].enc_key[0] ^= 0xff;		/* rekey: new keys, SPI */
	p->tek[0].spi ^= htonl(1);
	p->epoch = gdoi_policy_epoch_next();
	tp_keys_same(p, &a, &b);
	tp_pol_cbc(q);				/* another group */
	q->group_id = p->group_id + 1;
	q->epoch = gdoi_policy_epoch_next();
	tp_keys_same(q, &a, &b);
	tp_keys_same(p, &a, &b);
	p->nsid = 0;				/* no counter mode: no SID */
	p->sid_bits = 0;
	p->tek[0] = q->tek[0];
	p->epoch = gdoi_policy_epoch_next();
	tp_keys_same(p, &a, &b);
	policy_codec_cache_flush();
	tp_keys_same(q, &a, &b);
	policy_codec_cache_flush();
	buf_writer_free(&a);
	buf_writer_free(&b);
	gdoi_policy_wipe(p);
	gdoi_policy_wipe(q);
	free(p);
	free(q);
}
END_TEST

/* Policies the KS must not send (policy_codec_check). */
enum tp_pol_fault {
	TPB_GCM_AUTH, TPB_CBC_NOAUTH, TPB_BITS, TPB_TRANSFORM, TPB_KEYLEN,
	TPB_SPI0, TPB_LIFE0, TPB_SHARED_KEY, TPB_SHARED_TRANSFORM,
	TPB_KEK_ALG, TPB_KEK_IV, TPB_KEK_PUB, TPB_SID, TPB_NSID, TPB_NONE,
	TPB_MANY, TPB_TBAR0, TPB_COUNT
};

static void
tp_bad_policy(struct gdoi_policy *p, int fault)
{
	if (fault == TPB_GCM_AUTH || fault == TPB_KEYLEN ||
	    fault == TPB_SID || fault == TPB_NSID)
		tp_pol_gcm(p);
	else if (fault == TPB_SHARED_KEY || fault == TPB_SHARED_TRANSFORM)
		tp_pol_deny(p);
	else if (fault == TPB_TBAR0)
		tp_pol_tbar(p);
	else
		tp_pol_cbc(p);
	switch (fault) {
	case TPB_GCM_AUTH: p->tek[0].auth = GDOI_AUTH_HMAC_SHA256; break;
	case TPB_CBC_NOAUTH: p->tek[0].auth = GDOI_AUTH_NONE; break;
	case TPB_BITS: p->tek[0].key_bits = 100; break;
	case TPB_TRANSFORM: p->tek[0].transform = GDOI_ESP_NULL; break;
	case TPB_KEYLEN: p->tek[0].enc_key_len = 16; break;	/* no salt */
	case TPB_SPI0: p->tek[1].spi = 0; break;
	case TPB_LIFE0: p->tek[1].lifetime_s = 0; break;
	case TPB_SHARED_KEY: p->tek[2].enc_key[0] ^= 1; break;
	case TPB_SHARED_TRANSFORM:
		p->tek[2].key_bits = 128;
		p->tek[2].enc_key_len = 16;
		break;
	case TPB_KEK_ALG: p->kek.alg = GDOI_KEK_ALG_DES; break;
	case TPB_KEK_IV: p->kek.iv_len = 8; break;
	case TPB_KEK_PUB: p->kek.pubkey_len = 0; break;
	case TPB_SID: p->sid[1] = 0x10000; break;	/* 17 bits */
	case TPB_NSID: p->nsid = GDOI_MAX_SID + 1; break;
	case TPB_NONE: p->ntek = 0; break;
	case TPB_MANY:
		/* a count beyond what the array (and one SA payload) holds */
		for (size_t i = 2; i < GDOI_MAX_TEK; i++)
			tp_tek(&p->tek[i], 0x1000 + (uint32_t)i,
			       GDOI_ESP_AES_CBC, 128, GDOI_AUTH_HMAC_SHA1, 9);
		p->ntek = GDOI_MAX_TEK + 1;
		break;
	case TPB_TBAR0: p->tek[0].replay_window = 0; break;
	}
}

START_TEST(test_codec_check_refuses)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct buf_writer w;
	struct isakmp_builder b;

	tp_bad_policy(p, _i);
	ck_assert_int_eq(policy_codec_check(p, true), -1);
	tp_builder(&w, &b);
	ck_assert_int_eq(policy_codec_keys_put(&b, p), -1);
	buf_writer_free(&w);
	free(p);
}
END_TEST

/* KD contents the GM must refuse after a good SA (§4.11 GM step 4). */
enum tp_kd_fault {
	TPK_MISSING_TEK, TPK_EXTRA_TEK, TPK_KEK_SPI, TPK_TEK_KEYLEN,
	TPK_AUTH_KEYLEN, TPK_KEK_KEYLEN, TPK_NO_KEK, TPK_SEQ_NO_KEK,
	TPK_NO_SEQ, TPK_NO_SID, TPK_NO_SIGKEY, TPK_COUNT
};

START_TEST(test_codec_kd_refuses)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_policy *q = calloc(1, sizeof(*q));
	struct gdoi_sa *sa = calloc(1, sizeof(*sa));
	struct gdoi_kd *kd = calloc(1, sizeof(*kd));
	bool has_seq = true;

	if (_i == TPK_NO_SID)
		tp_pol_gcm(p);
	else if (_i == TPK_SEQ_NO_KEK)
		tp_pol_nokek(p);
	else
		tp_pol_cbc(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert_int_eq(policy_codec_from_sa(sa, q), 0);
	ck_assert_int_eq(policy_codec_to_kd(p, kd), 0);
	has_seq = p->has_kek;
	/* Untouched, the same KD completes the policy. */
	*p = *q;
	ck_assert_int_eq(policy_codec_from_kd(p, kd, has_seq, 9), 0);
	switch (_i) {
	case TPK_MISSING_TEK: kd->ntek = 1; break;
	case TPK_EXTRA_TEK:
		kd->tek[2] = kd->tek[1];
		kd->tek[2].spi++;
		kd->ntek = 3;
		break;
	case TPK_KEK_SPI: kd->kek.spi[15] ^= 1; break;
	case TPK_TEK_KEYLEN: kd->tek[0].alg_key_len = 16; break;
	case TPK_AUTH_KEYLEN: kd->tek[0].int_key_len = 20; break;
	case TPK_KEK_KEYLEN: kd->kek.alg_key_len = 32; break;
	case TPK_NO_KEK: kd->has_kek = false; break;
	case TPK_SEQ_NO_KEK: has_seq = true; break;
	case TPK_NO_SEQ: has_seq = false; break;
	case TPK_NO_SID: kd->has_sid = false; break;
	case TPK_NO_SIGKEY: kd->kek.sig_key_len = 0; break;
	}
	ck_assert_int_eq(policy_codec_from_kd(q, kd, has_seq, 9), -1);
	/* The keys that were copied before the fault are gone. */
	ck_assert_uint_eq(q->tek[0].enc_key[0] | q->tek[0].enc_key[1], 0);
	gdoi_kd_free(kd);
	free(kd);
	free(sa);
	free(p);
	free(q);
}
END_TEST

/* SAs the GM must refuse (policy_codec_from_sa). */
enum tp_sa_fault {
	TPS_TRANSPORT, TPS_ADDR_PRES, TPS_AH, TPS_ESN, TPS_LKH, TPS_IPV6,
	TPS_RANGE, TPS_NOLIFE, TPS_TBAR_NOPT, TPS_ACE, TPS_SAK_PROTO,
	TPS_TRANSFORM, TPS_COUNT
};

START_TEST(test_codec_sa_refuses)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_sa *sa = calloc(1, sizeof(*sa));
	struct gdoi_sat *s = &sa->sat[0];

	tp_pol_tbar(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	ck_assert_int_eq(policy_codec_from_sa(sa, p), 0);
	switch (_i) {
	case TPS_TRANSPORT: s->encap = IPSEC_ENCAP_TRANSPORT; break;
	case TPS_ADDR_PRES: s->addr_pres = IPSEC_ADDR_PRESERVE_SRC; break;
	case TPS_AH: s->proto_id = GDOI_PROTO_IPSEC_AH; break;
	case TPS_ESN: s->unsupported = IPSEC_ATTR_EXT_SEQ_NBR; break;
	case TPS_LKH: sa->sak.mgmt_alg = GDOI_KEK_MGMT_LKH; break;
	case TPS_IPV6: s->src.type = ISAKMP_ID_IPV6_ADDR; s->src.len = 16; break;
	case TPS_RANGE:
		/* 10.1.5.1 - 10.1.5.9 is not a prefix */
		gdoi_id_ipv4_range(&s->src, 0x0a010501, 0x0a010509, 0);
		break;
	case TPS_NOLIFE: s->life_sec = 0; break;
	case TPS_TBAR_NOPT: s->npriv = 1; break;	/* window only */
	case TPS_ACE:		/* neither permit nor deny */
		ck_assert_int_eq(gdoi_sat_priv_add(s, GDOI_ATTR_ACE_ACTION,
						   "\0\3", 2), 0);
		break;
	case TPS_SAK_PROTO: sa->sak.proto = 6; break;
	case TPS_TRANSFORM: s->transform = IPSEC_ESP_AES_CCM_16; break;
	}
	ck_assert_int_eq(policy_codec_from_sa(sa, p), -1);
	free(p);
	free(sa);
}
END_TEST

/* A prefix given as a range is accepted and read as address/mask. */
START_TEST(test_codec_range_prefix)
{
	struct gdoi_policy *p = calloc(1, sizeof(*p));
	struct gdoi_sa *sa = calloc(1, sizeof(*sa));

	tp_pol_cbc(p);
	ck_assert_int_eq(policy_codec_to_sa(p, sa), 0);
	gdoi_id_ipv4_range(&sa->sat[0].dst, 0x0a020000, 0x0a0203ff, 0);
	ck_assert_int_eq(policy_codec_from_sa(sa, p), 0);
	ck_assert_uint_eq(ntohl(p->tek[0].dst), 0x0a020000);
	ck_assert_uint_eq(ntohl(p->tek[0].dst_mask), 0xfffffc00);
	free(p);
	free(sa);
}
END_TEST

Suite *
suite_policy_codec(void)
{
	Suite *s = suite_create("policy_codec");
	TCase *tc;

	tc = tcase_create("codec");
	tcase_add_loop_test(tc, test_codec_round_trip, 0, tp_ncases);
	tcase_add_test(tc, test_codec_sat_attributes);
	tcase_add_test(tc, test_codec_kd_packets);
	tcase_add_test(tc, test_codec_keys_cache);
	tcase_add_loop_test(tc, test_codec_check_refuses, 0, TPB_COUNT);
	tcase_add_loop_test(tc, test_codec_kd_refuses, 0, TPK_COUNT);
	tcase_add_loop_test(tc, test_codec_sa_refuses, 0, TPS_COUNT);
	tcase_add_test(tc, test_codec_range_prefix);
	suite_add_tcase(s, tc);
	return s;
}
