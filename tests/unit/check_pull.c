/*
 * GROUPKEY-PULL (gdoi/pull*.c): HASH(1)/HASH(3) against the doc/protocol.md
 * §9.2 vectors, full exchanges between pull_gm and pull_ks over a Main
 * Mode SA pair brought up in memory (one per TEK profile, the member's
 * policy equal to the server's, keys included), refused groups and the
 * protected Informational, duplicates, out-of-order messages, and every
 * truncation and bit flip of the four messages.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "gdoi/phase1.h"
#include "gdoi/pull.h"
#include "hex_fixtures.h"
#include "pull_fixtures.h"

/* ---- HASH(1) / HASH(3), doc/protocol.md §9.2 ---- */

struct tp_hash_vec {
	enum crypto_hash hash;
	const char *skeyid_a;
	unsigned n;		/* HASH(n) */
	const char *want;
};

static const struct tp_hash_vec tp_hash_vecs[] = {
	{ CRYPTO_HASH_SHA256,
	  "0ead32e5f54189dba96f1ce24504162b2d6fd7f298babc114cd13bb2fdd76dfe", 1,
	  "4561b87773c53407e510a7bb56a98a0af243f5e4784dd658693e07f4ee59c108" },
	{ CRYPTO_HASH_SHA1, "050e86b91a973cfb25461457c242e6022ca30308", 1,
	  "67b019c4d1ff601f410eb8c9460dc2f7c71ffefb" },
	{ CRYPTO_HASH_SHA256,
	  "0ead32e5f54189dba96f1ce24504162b2d6fd7f298babc114cd13bb2fdd76dfe", 3,
	  "007209a176645d3a8173992042f8c9ca54fa636b66e3286219364217acc45db4" },
	{ CRYPTO_HASH_SHA1, "050e86b91a973cfb25461457c242e6022ca30308", 3,
	  "0e65a277fe9764adde751c5ed68e50aeb88c6d6e" },
};

static size_t
tp_unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		ck_assert_int_eq(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* Ni_b = 00..0f, Nr_b = 10..1f, M-ID 01020304, P1_last f0..ff. */
START_TEST(test_hash_vectors)
{
	static const uint8_t after1[] = {
		0x05, 0x00, 0x00, 0x14, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
		0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
		0x00, 0x00, 0x00, 0x0c, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x04, 0xd2,
	};
	const struct tp_hash_vec *tv = &tp_hash_vecs[_i];
	struct ikekeys keys = { .hash = tv->hash };
	struct ike_cipher cipher = { .alg = CRYPTO_CIPHER_AES_CBC, .keylen = 16 };
	struct ike_iv last = { .len = 16 }, next;
	uint8_t cky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, ni[16], nr[16], want[64];
	struct pull_p1 v = { &keys, &cipher, &last, cky, cky };
	struct crypto_iov pre[2];
	struct pull_msg_out o;
	struct pull_msg_in m;
	struct buf_writer w;
	size_t npre, wlen;

	for (int i = 0; i < 16; i++) {
		ni[i] = (uint8_t)i;
		nr[i] = (uint8_t)(0x10 + i);
		last.iv[i] = (uint8_t)(0xf0 + i);
	}
	keys.len = tp_unhex(tv->skeyid_a, keys.skeyid_a);
	wlen = tp_unhex(tv->want, want);
	ck_assert_uint_eq(wlen, keys.len);
	buf_writer_init(&w);
	ck_assert_int_eq(pull_msg_begin(&o, &v, GDOI_EXCH_PULL, 0x01020304,
					&w), 0);
	if (tv->n == 1) {
		isakmp_build_payload(&o.b, ISAKMP_PAYLOAD_NONCE, ni, sizeof(ni));
		payload_group_id_put(&o.b, 1234);
	}
	npre = pull_hash_pieces(tv->n, ni, sizeof(ni), nr, sizeof(nr), pre);
	ck_assert_int_eq(pull_msg_finish(&o, &v, pre, npre, NULL, &next), 0);
	/* Decrypted again with the same first-message IV rule. */
	ck_assert_int_eq(pull_msg_open(&m, &v, GDOI_EXCH_PULL, buf_data(&w),
				       buf_len(&w), NULL), 0);
	ck_assert_mem_eq(m.chain.pl[0].body, want, wlen);
	if (tv->n == 1) {
		ck_assert_uint_eq(m.chain.end - m.chain.pl[0].raw_len,
				  sizeof(after1));
		ck_assert_mem_eq(m.chain.pl[0].raw + m.chain.pl[0].raw_len,
				 after1, sizeof(after1));
	}
	ck_assert_int_eq(pull_msg_verify(&m, &v, pre, npre), 0);
	m.buf[ISAKMP_HDR_LEN + ISAKMP_GEN_HDR_LEN] ^= 1;	/* HASH body */
	ck_assert_int_eq(pull_msg_verify(&m, &v, pre, npre), -1);
	pull_msg_close(&m);
	buf_writer_free(&w);
}
END_TEST

/* ---- full exchanges ---- */

struct tp_ks {
	struct gdoi_policy policy;
	uint32_t group;
	enum pull_ks_verdict verdict;	/* for a known group */
	unsigned grants, lookups;
	uint32_t next_sid;
	unsigned pool_left;		/* SIDs the pool still has, 0 = plenty */
	bool sid_fail;
};

static enum pull_ks_verdict
tp_lookup(void *arg, uint8_t type, const uint8_t *id, size_t len,
	  const struct p1_sa *peer, void **group)
{
	struct tp_ks *k = arg;
	uint32_t n;

	k->lookups++;
	ck_assert_ptr_eq(peer, tp_p1_ks);
	if (type != ISAKMP_ID_KEY_ID || len != 4)
		return PULL_KS_GROUP_UNKNOWN;
	memcpy(&n, id, 4);
	if (ntohl(n) != k->group)
		return PULL_KS_GROUP_UNKNOWN;
	*group = k;
	return k->verdict;
}

static int
tp_get_policy(void *arg, void *group, struct gdoi_policy *out)
{
	struct tp_ks *k = arg;

	ck_assert_ptr_eq(group, k);
	*out = k->policy;
	return 0;
}

static int
tp_grant(void *arg, void *group, unsigned count, uint32_t *sids,
	 unsigned *bits)
{
	struct tp_ks *k = arg;

	k->grants++;
	if (k->sid_fail)
		return -1;
	if (k->pool_left != 0 && count > k->pool_left)
		count = k->pool_left;
	for (unsigned i = 0; i < count; i++)
		sids[i] = k->next_sid++;
	*bits = 16;
	return (int)count;
}

static const struct pull_ks_ops tp_ops = {
	.lookup_group = tp_lookup,
	.get_policy = tp_get_policy,
	.grant_sids = tp_grant,
};

/* One exchange and every datagram it produced. */
struct tp_x {
	struct tp_ks ks_arg;
	struct pull_gm gm;
	struct pull_ks ks;
	struct gdoi_policy out;
	struct buf_writer msg[5];	/* msg[1..4] */
	struct buf_writer tmp;
};

static struct tp_x *
tp_x_new(void (*make)(struct gdoi_policy *))
{
	struct tp_x *x = calloc(1, sizeof(*x));

	make(&x->ks_arg.policy);
	x->ks_arg.policy.nsid = 0;	/* granted during the exchange */
	x->ks_arg.group = 1234;
	x->ks_arg.next_sid = 0x100;
	pull_gm_init(&x->gm);
	pull_ks_init(&x->ks);
	for (int i = 0; i < 5; i++)
		buf_writer_init(&x->msg[i]);
	buf_writer_init(&x->tmp);
	return x;
}

static void
tp_x_free(struct tp_x *x)
{
	pull_gm_free(&x->gm);
	pull_ks_free(&x->ks);
	for (int i = 0; i < 5; i++)
		buf_writer_free(&x->msg[i]);
	buf_writer_free(&x->tmp);
	free(x);
}

static enum pull_err
tp_to_ks(struct tp_x *x, const struct buf_writer *in, struct buf_writer *out)
{
	return pull_ks_process(&x->ks, tp_p1_ks, buf_data(in), buf_len(in),
			       &tp_ops, &x->ks_arg, out);
}

static enum pull_err
tp_to_gm(struct tp_x *x, const struct buf_writer *in, unsigned sids,
	 struct buf_writer *out)
{
	return pull_gm_process(&x->gm, tp_p1_gm, buf_data(in), buf_len(in),
			       sids, out, &x->out);
}

/* Run the exchange up to message `upto` (1-4) being produced. */
static void
tp_x_run(struct tp_x *x, int upto, unsigned sids)
{
	ck_assert_int_eq(pull_gm_start(&x->gm, tp_p1_gm, 1234, &x->msg[1]),
			 PULL_OK);
	ck_assert_int_eq(x->gm.state, PULL_GM_WAIT_SA);
	if (upto < 2)
		return;
	ck_assert_int_eq(tp_to_ks(x, &x->msg[1], &x->msg[2]), PULL_OK);
	ck_assert_int_eq(x->ks.state, PULL_KS_SA_SENT);
	if (upto < 3)
		return;
	ck_assert_int_eq(tp_to_gm(x, &x->msg[2], sids, &x->msg[3]), PULL_OK);
	ck_assert_int_eq(x->gm.state, PULL_GM_WAIT_KD);
	if (upto < 4)
		return;
	ck_assert_int_eq(tp_to_ks(x, &x->msg[3], &x->msg[4]), PULL_OK);
	ck_assert_int_eq(x->ks.state, PULL_KS_DONE);
}

START_TEST(test_exchange)
{
	const struct tp_case *tc = &tp_cases[_i];
	struct tp_x *x = tp_x_new(tc->make);
	size_t len;

	tp_x_run(x, 4, 3);
	ck_assert_int_eq(tp_to_gm(x, &x->msg[4], 3, &x->tmp), PULL_OK);
	ck_assert_int_eq(x->gm.state, PULL_GM_DONE);
	ck_assert_uint_eq(buf_len(&x->tmp), 0);
	/* Messages are encrypted: flags E, lengths whole blocks. */
	for (int i = 1; i <= 4; i++) {
		ck_assert_uint_eq(buf_data(&x->msg[i])[19], ISAKMP_FLAG_ENC);
		ck_assert_uint_eq(buf_data(&x->msg[i])[18], GDOI_EXCH_PULL);
		ck_assert_uint_eq((buf_len(&x->msg[i]) - 28) % 16, 0);
	}
	ck_assert_ptr_eq(x->ks.group, &x->ks_arg);
	ck_assert_uint_eq(x->ks.group_id, 1234);
	/* Counter modes: the GAP asked for 3 SIDs and got them. */
	ck_assert_uint_eq(x->ks.policy.nsid, tc->counter ? 3 : 0);
	ck_assert_uint_eq(x->ks_arg.grants, tc->counter ? 1 : 0);
	tp_assert_policy_eq(&x->ks.policy, &x->out);
	if (tc->counter) {
		ck_assert_uint_eq(x->out.sid[0], 0x100);
		ck_assert_uint_eq(x->out.sid_bits, 16);
	}
	ck_assert_ptr_null(pull_gm_last_sent(&x->gm, &len));
	tp_x_free(x);
}
END_TEST

/* Without a request the KS grants one SID; the GAP is then absent. */
START_TEST(test_exchange_one_sid)
{
	struct tp_x *x = tp_x_new(tp_pol_gcm);

	tp_x_run(x, 4, 1);
	ck_assert_int_eq(tp_to_gm(x, &x->msg[4], 1, &x->tmp), PULL_OK);
	ck_assert_uint_eq(x->out.nsid, 1);
	ck_assert_uint_eq(x->out.sid[0], 0x100);
	/* msg 3 without a GAP is just HASH(3): header + 36, padded to 48. */
	ck_assert_uint_eq(buf_len(&x->msg[3]), 28 + 48);
	tp_x_free(x);
}
END_TEST

/* An exhausted SID pool ends the exchange on the KS. */
START_TEST(test_exchange_no_sid)
{
	struct tp_x *x = tp_x_new(tp_pol_gcm);

	x->ks_arg.sid_fail = true;
	tp_x_run(x, 3, 2);
	ck_assert_int_eq(tp_to_ks(x, &x->msg[3], &x->msg[4]),
			 PULL_ERR_NOT_READY);
	ck_assert_int_eq(x->ks.state, PULL_KS_FAILED);
	tp_x_free(x);
}
END_TEST

/*
 * Message 3 as a member following RFC 6407 §5.4 would write it, with the
 * GAP body given: encrypted with the last block of message 2.
 */
static void
tp_msg3_gap(struct tp_x *x, const char *gap_hex)
{
	const struct buf_writer *m2 = &x->msg[2];
	struct crypto_iov pre[2];
	struct pull_msg_out o;
	struct ike_iv iv, next;
	struct pull_p1 v;
	uint8_t gap[64];
	size_t n = unhex(gap_hex, gap, sizeof(gap)), npre;

	ck_assert_int_eq(pull_p1_view(tp_p1_gm, &v), 0);
	iv.len = 16;
	memcpy(iv.iv, buf_data(m2) + buf_len(m2) - 16, 16);
	ck_assert_int_eq(pull_msg_begin(&o, &v, GDOI_EXCH_PULL, x->gm.mid,
					&x->msg[3]), 0);
	ck_assert_int_eq(isakmp_build_payload(&o.b, GDOI_PAYLOAD_GAP, gap, n),
			 0);
	npre = pull_hash_pieces(3, x->gm.ni, sizeof(x->gm.ni), x->gm.nr,
				x->gm.nr_len, pre);
	ck_assert_int_eq(pull_msg_finish(&o, &v, pre, npre, &iv, &next), 0);
	x->gm.iv = next;	/* msg 4 follows this msg 3, not the GM's own */
}

/* A GAP in message 3 (body only) and what the KS makes of it. */
static const struct {
	const char *name, *gap;
	unsigned pool_left;	/* 0: plenty */
	enum pull_err want;
	size_t nsid;
} tp_gaps[] = {
	{ "request 5", "80 03 00 05", 0, PULL_OK, 5 },
	{ "request 0: the one SID anyway", "80 03 00 00", 0, PULL_OK, 1 },
	{ "request 1", "80 03 00 01", 0, PULL_OK, 1 },
	{ "request as TLV", "00 03 00 04 00 00 00 02", 0, PULL_OK, 2 },
	{ "more than one member gets", "80 03 ff ff", 0, PULL_OK, GDOI_MAX_SID },
	{ "more than the pool holds", "80 03 00 06", 2, PULL_OK, 2 },
	{ "ATD/DTD from the member: ignored", "80 01 00 3c 80 02 00 5a", 0,
	  PULL_OK, 1 },
	{ "empty GAP", "", 0, PULL_OK, 1 },
	{ "unknown attribute", "80 03 00 02 80 04 00 01", 0,
	  PULL_ERR_BAD_POLICY, 0 },
	{ "private attribute", "80 ff 00 01", 0, PULL_ERR_BAD_POLICY, 0 },
	{ "odd length", "80 03 00 02 00", 0, PULL_ERR_MALFORMED, 0 },
	{ "truncated TLV", "00 03 00 08 00 00 00 02", 0, PULL_ERR_MALFORMED,
	  0 },
	{ "pre-RFC reserved octets", "00 00 80 03 00 02", 0,
	  PULL_ERR_MALFORMED, 0 },
};

START_TEST(test_msg3_gap)
{
	struct tp_x *x = tp_x_new(tp_pol_gcm);

	x->ks_arg.pool_left = tp_gaps[_i].pool_left;
	tp_x_run(x, 3, 1);
	tp_msg3_gap(x, tp_gaps[_i].gap);
	ck_assert_msg(tp_to_ks(x, &x->msg[3], &x->msg[4]) == tp_gaps[_i].want,
		      "%s", tp_gaps[_i].name);
	if (tp_gaps[_i].want != PULL_OK) {
		ck_assert_int_eq(x->ks.state, PULL_KS_FAILED);
		ck_assert_uint_eq(buf_len(&x->msg[4]), 0);
		ck_assert_uint_eq(x->ks_arg.grants, 0);
		goto out;
	}
	ck_assert_int_eq(tp_to_gm(x, &x->msg[4], 1, &x->tmp), PULL_OK);
	ck_assert_uint_eq(x->out.nsid, tp_gaps[_i].nsid);
	ck_assert_uint_eq(x->out.sid[0], 0x100);
	ck_assert_uint_eq(x->out.sid[x->out.nsid - 1],
			  0x100 + tp_gaps[_i].nsid - 1);
out:
	tp_x_free(x);
}
END_TEST

/* Without counter-mode TEKs a GAP is still read: unknown -> abort. */
START_TEST(test_msg3_gap_no_sids)
{
	struct tp_x *x = tp_x_new(tp_pol_cbc);

	tp_x_run(x, 3, 1);
	tp_msg3_gap(x, "80 03 00 02");
	ck_assert_int_eq(tp_to_ks(x, &x->msg[3], &x->msg[4]), PULL_OK);
	ck_assert_uint_eq(x->ks_arg.grants, 0);
	pull_ks_free(&x->ks);
	pull_gm_free(&x->gm);
	pull_ks_init(&x->ks);
	pull_gm_init(&x->gm);
	tp_x_run(x, 3, 1);
	tp_msg3_gap(x, "80 05 00 02");
	ck_assert_int_eq(tp_to_ks(x, &x->msg[3], &x->msg[4]),
			 PULL_ERR_BAD_POLICY);
	tp_x_free(x);
}
END_TEST

/* The SAT layout the KS policy names reaches the member, both ways. */
START_TEST(test_sat_layout)
{
	static const uint8_t layouts[] = { GDOI_SAT_IDLEN_RFC,
					   GDOI_SAT_IDLEN_WIDE };
	struct tp_x *x = tp_x_new(tp_pol_cbc);

	x->ks_arg.policy.sat_id_len = layouts[_i];
	tp_x_run(x, 4, 1);
	ck_assert_int_eq(tp_to_gm(x, &x->msg[4], 1, &x->tmp), PULL_OK);
	ck_assert_uint_eq(x->out.sat_id_len, layouts[_i]);
	tp_x_free(x);
}
END_TEST

/* ---- refused groups and Informational ---- */

struct tp_refuse {
	uint32_t asked;
	enum pull_ks_verdict verdict;
	enum pull_err want;
	uint16_t notify;
};

static const struct tp_refuse tp_refusals[] = {
	{ 4321, PULL_KS_GROUP_OK, PULL_ERR_UNKNOWN_GROUP,
	  ISAKMP_N_INVALID_ID_INFORMATION },
	{ 1234, PULL_KS_GROUP_UNAUTHORIZED, PULL_ERR_UNAUTHORIZED,
	  ISAKMP_N_INVALID_ID_INFORMATION },
	/* a group not ready says so instead of leaving the member waiting */
	{ 1234, PULL_KS_GROUP_NOT_READY, PULL_ERR_NOT_READY,
	  ISAKMP_N_NO_PROPOSAL_CHOSEN },
};

START_TEST(test_refused_group)
{
	const struct tp_refuse *r = &tp_refusals[_i];
	struct tp_x *x = tp_x_new(tp_pol_cbc);
	uint16_t type = 0;

	x->ks_arg.verdict = r->verdict;
	ck_assert_int_eq(pull_gm_start(&x->gm, tp_p1_gm, r->asked, &x->msg[1]),
			 PULL_OK);
	ck_assert_int_eq(tp_to_ks(x, &x->msg[1], &x->msg[2]), r->want);
	ck_assert_uint_eq(buf_len(&x->msg[2]), 0);
	ck_assert_int_eq(x->ks.state, PULL_KS_FAILED);
	ck_assert_uint_eq(x->ks_arg.lookups, 1);
	/* The KS tells the member why, under the Phase 1 SA. */
	ck_assert_uint_eq(pull_err_notify(r->want), r->notify);
	ck_assert_int_eq(pull_notify(tp_p1_ks, pull_err_notify(r->want),
				     &x->tmp), 0);
	ck_assert_uint_eq(buf_data(&x->tmp)[18], ISAKMP_EXCH_INFO);
	ck_assert_int_eq(pull_notify_decode(tp_p1_gm, buf_data(&x->tmp),
					    buf_len(&x->tmp), &type), 0);
	ck_assert_uint_eq(type, r->notify);
	/* A notify that does not verify is not believed. */
	x->tmp.p[buf_len(&x->tmp) - 1] ^= 0x80;
	ck_assert_int_eq(pull_notify_decode(tp_p1_gm, buf_data(&x->tmp),
					    buf_len(&x->tmp), &type), -1);
	tp_x_free(x);
}
END_TEST

/* ---- duplicates ---- */

START_TEST(test_duplicates)
{
	struct tp_x *x = tp_x_new(tp_pol_gcm);
	struct gdoi_policy *keep = calloc(1, sizeof(*keep));

	tp_x_run(x, 2, 1);
	/* msg 1 again: the stored msg 2, byte for byte, no new state. */
	ck_assert_int_eq(tp_to_ks(x, &x->msg[1], &x->tmp), PULL_RESEND);
	ck_assert_uint_eq(buf_len(&x->tmp), buf_len(&x->msg[2]));
	ck_assert_mem_eq(buf_data(&x->tmp), buf_data(&x->msg[2]),
			 buf_len(&x->tmp));
	ck_assert_int_eq(x->ks.state, PULL_KS_SA_SENT);
	ck_assert_int_eq(tp_to_gm(x, &x->msg[2], 1, &x->msg[3]), PULL_OK);
	/* msg 2 again at the GM: the stored msg 3. */
	ck_assert_int_eq(tp_to_gm(x, &x->msg[2], 1, &x->tmp), PULL_RESEND);
	ck_assert_mem_eq(buf_data(&x->tmp), buf_data(&x->msg[3]),
			 buf_len(&x->msg[3]));
	ck_assert_int_eq(x->gm.state, PULL_GM_WAIT_KD);
	ck_assert_int_eq(tp_to_ks(x, &x->msg[3], &x->msg[4]), PULL_OK);
	/* msg 3 again: the stored msg 4; no second SID grant. */
	ck_assert_int_eq(tp_to_ks(x, &x->msg[3], &x->tmp), PULL_RESEND);
	ck_assert_mem_eq(buf_data(&x->tmp), buf_data(&x->msg[4]),
			 buf_len(&x->msg[4]));
	ck_assert_uint_eq(x->ks_arg.grants, 1);
	ck_assert_int_eq(tp_to_gm(x, &x->msg[4], 1, &x->tmp), PULL_OK);
	*keep = x->out;
	/* The resent msg 4 after DONE changes nothing. */
	ck_assert_int_eq(tp_to_gm(x, &x->msg[4], 1, &x->tmp),
			 PULL_ERR_UNEXPECTED);
	tp_assert_policy_eq(keep, &x->out);
	/* The initiator retransmits its own last message as it was sent. */
	tp_x_free(x);
	free(keep);
}
END_TEST

START_TEST(test_gm_retransmit)
{
	struct tp_x *x = tp_x_new(tp_pol_cbc);
	const uint8_t *p;
	size_t len;

	tp_x_run(x, 1, 1);
	p = pull_gm_last_sent(&x->gm, &len);
	ck_assert_uint_eq(len, buf_len(&x->msg[1]));
	ck_assert_mem_eq(p, buf_data(&x->msg[1]), len);
	tp_x_free(x);
}
END_TEST

/* ---- order ---- */

/* Re-encrypt a message body from IV a to IV b (same Ka). */
static void
tp_reencrypt(struct buf_writer *w, const uint8_t *iv_from,
	     const uint8_t *iv_to)
{
	const struct ike_cipher *c = p1_sa_cipher(tp_p1_gm);
	size_t len = buf_len(w) - 28;
	uint8_t *body = w->p + 28;

	ck_assert_int_eq(crypto_cbc_decrypt(c->alg, c->key, c->keylen, iv_from,
					    body, body, len), 0);
	ck_assert_int_eq(crypto_cbc_encrypt(c->alg, c->key, c->keylen, iv_to,
					    body, body, len), 0);
}

/*
 * Message 4 reaching a member that still waits for message 2: as sent it
 * does not even decrypt; encrypted for that position it is recognised.
 */
START_TEST(test_msg4_before_msg2)
{
	struct tp_x *x = tp_x_new(tp_pol_cbc);
	struct pull_gm *gm2 = calloc(1, sizeof(*gm2));
	struct buf_writer m4;
	uint8_t iv3[16], iv1[16];

	tp_x_run(x, 4, 1);
	memcpy(iv1, buf_data(&x->msg[1]) + buf_len(&x->msg[1]) - 16, 16);
	memcpy(iv3, buf_data(&x->msg[3]) + buf_len(&x->msg[3]) - 16, 16);
	/* A member exactly as it was after sending msg 1. */
	pull_gm_init(gm2);
	gm2->state = PULL_GM_WAIT_SA;
	gm2->mid = x->gm.mid;
	gm2->group_id = 1234;
	memcpy(gm2->ni, x->gm.ni, sizeof(gm2->ni));
	gm2->iv.len = 16;
	memcpy(gm2->iv.iv, iv1, 16);
	ck_assert_int_ne(pull_gm_process(gm2, tp_p1_gm, buf_data(&x->msg[4]),
					 buf_len(&x->msg[4]), 1, &x->tmp,
					 &x->out), PULL_OK);
	ck_assert_int_eq(gm2->state, PULL_GM_WAIT_SA);
	buf_writer_init(&m4);
	buf_put_bytes(&m4, buf_data(&x->msg[4]), buf_len(&x->msg[4]));
	tp_reencrypt(&m4, iv3, iv1);
	ck_assert_int_eq(pull_gm_process(gm2, tp_p1_gm, buf_data(&m4),
					 buf_len(&m4), 1, &x->tmp, &x->out),
			 PULL_ERR_UNEXPECTED);
	ck_assert_int_eq(gm2->state, PULL_GM_WAIT_SA);
	ck_assert_mem_eq(gm2->iv.iv, iv1, 16);
	/* ...and the real msg 2 is still accepted afterwards. */
	ck_assert_int_eq(pull_gm_process(gm2, tp_p1_gm, buf_data(&x->msg[2]),
					 buf_len(&x->msg[2]), 1, &x->tmp,
					 &x->out), PULL_OK);
	ck_assert_int_eq(gm2->state, PULL_GM_WAIT_KD);
	buf_writer_free(&m4);
	pull_gm_free(gm2);
	free(gm2);
	tp_x_free(x);
}
END_TEST

/* Message 3 at a KS that never saw message 1, and datagrams out of state. */
START_TEST(test_out_of_state)
{
	struct tp_x *x = tp_x_new(tp_pol_cbc);
	struct pull_ks *ks2 = calloc(1, sizeof(*ks2));
	struct buf_writer m3;
	struct ike_iv first;
	uint8_t iv2[16];

	tp_x_run(x, 4, 1);
	memcpy(iv2, buf_data(&x->msg[2]) + buf_len(&x->msg[2]) - 16, 16);
	ck_assert_int_eq(ikekeys_exch_iv(CRYPTO_HASH_SHA256,
					 p1_sa_p1_last(tp_p1_ks), x->gm.mid,
					 &first), 0);
	buf_writer_init(&m3);
	buf_put_bytes(&m3, buf_data(&x->msg[3]), buf_len(&x->msg[3]));
	tp_reencrypt(&m3, iv2, first.iv);
	pull_ks_init(ks2);
	ck_assert_int_eq(pull_ks_process(ks2, tp_p1_ks, buf_data(&m3),
					 buf_len(&m3), &tp_ops, &x->ks_arg,
					 &x->tmp), PULL_ERR_UNEXPECTED);
	ck_assert_int_eq(ks2->state, PULL_KS_IDLE);
	ck_assert_uint_eq(x->ks_arg.lookups, 1);
	/* A done KS takes no new message 1; an idle GM takes nothing. */
	ck_assert_int_eq(tp_to_ks(x, &x->msg[1], &x->tmp), PULL_ERR_UNEXPECTED);
	pull_gm_free(&x->gm);
	ck_assert_int_eq(tp_to_gm(x, &x->msg[2], 1, &x->tmp),
			 PULL_ERR_UNEXPECTED);
	ck_assert_int_eq(x->gm.state, PULL_GM_IDLE);
	/* A second start on a running exchange is refused. */
	ck_assert_int_eq(pull_gm_start(&x->gm, tp_p1_gm, 1, &x->tmp), PULL_OK);
	ck_assert_int_eq(pull_gm_start(&x->gm, tp_p1_gm, 1, &x->tmp),
			 PULL_ERR_UNEXPECTED);
	buf_writer_free(&m3);
	pull_ks_free(ks2);
	free(ks2);
	tp_x_free(x);
}
END_TEST

/* No exchange without an established Phase 1 SA. */
START_TEST(test_no_sa)
{
	struct pull_gm gm;
	struct buf_writer w;

	pull_gm_init(&gm);
	buf_writer_init(&w);
	ck_assert_int_eq(pull_gm_start(&gm, NULL, 1, &w), PULL_ERR_NO_SA);
	ck_assert_int_eq(gm.state, PULL_GM_IDLE);
	buf_writer_free(&w);
}
END_TEST

/* ---- robustness: every truncation and bit flip of each message ---- */

/* Feed one damaged copy of message n to the side that receives it. */
static enum pull_err
tp_feed(struct tp_x *x, int n, const uint8_t *p, size_t len)
{
	if (n == 1 || n == 3)
		return pull_ks_process(&x->ks, tp_p1_ks, p, len, &tp_ops,
				       &x->ks_arg, &x->tmp);
	return pull_gm_process(&x->gm, tp_p1_gm, p, len, 3, &x->tmp, &x->out);
}

static void
tp_damage(struct tp_x *x, int n)
{
	const struct buf_writer *m = &x->msg[n];
	size_t len = buf_len(m), bit;
	uint8_t *c = malloc(len);
	int gs = x->gm.state, ks = x->ks.state;
	struct ike_iv giv = x->gm.iv, kiv = x->ks.iv;
	enum pull_err rc;

	for (size_t t = 0; t < len; t++) {
		memcpy(c, buf_data(m), t);
		rc = tp_feed(x, n, c, t);
		ck_assert_msg(rc != PULL_OK && rc != PULL_RESEND,
			      "msg %d truncated to %zu accepted", n, t);
	}
	for (bit = 0; bit < len * 8; bit++) {
		memcpy(c, buf_data(m), len);
		c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rc = tp_feed(x, n, c, len);
		ck_assert_msg(rc != PULL_OK && rc != PULL_RESEND,
			      "msg %d with bit %zu flipped: %s", n, bit,
			      pull_err_name(rc));
		ck_assert_int_eq(x->gm.state, gs);
		ck_assert_int_eq(x->ks.state, ks);
		ck_assert_mem_eq(x->gm.iv.iv, giv.iv, sizeof(giv.iv));
		ck_assert_mem_eq(x->ks.iv.iv, kiv.iv, sizeof(kiv.iv));
	}
	ck_assert_uint_eq(x->ks_arg.lookups, n == 1 ? 0 : 1);
	free(c);
}

START_TEST(test_damaged_messages)
{
	int n = _i;
	struct tp_x *x = tp_x_new(tp_pol_gcm);

	/* Bring the receiver of message n to the state that awaits it. */
	tp_x_run(x, n, 3);
	tp_damage(x, n);
	/* The intact message is still accepted. */
	if (n == 1 || n == 3)
		ck_assert_int_eq(tp_to_ks(x, &x->msg[n], &x->tmp), PULL_OK);
	else
		ck_assert_int_eq(tp_to_gm(x, &x->msg[n], 3, &x->tmp), PULL_OK);
	if (n == 4)
		tp_assert_policy_eq(&x->ks.policy, &x->out);
	tp_x_free(x);
}
END_TEST

/* ---- names ---- */

START_TEST(test_names)
{
	for (int e = 0; e < PULL_ERR_COUNT; e++)
		ck_assert_str_ne(pull_err_name(e), "?");
	ck_assert_str_eq(pull_err_name(PULL_ERR_COUNT), "?");
	ck_assert_str_eq(pull_gm_state_name(PULL_GM_WAIT_KD), "WAIT_KD");
	ck_assert_str_eq(pull_ks_state_name(PULL_KS_SA_SENT), "SA_SENT");
	ck_assert_uint_eq(pull_err_notify(PULL_ERR_BAD_HASH),
			  ISAKMP_N_INVALID_HASH_INFORMATION);
	ck_assert_uint_eq(pull_err_notify(PULL_RESEND), 0);
}
END_TEST

Suite *
suite_pull(void)
{
	Suite *s = suite_create("pull");
	TCase *tc;

	tc = tcase_create("hash");
	tcase_add_loop_test(tc, test_hash_vectors, 0,
			    (int)(sizeof(tp_hash_vecs) /
				  sizeof(tp_hash_vecs[0])));
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("exchange");
	tcase_add_checked_fixture(tc, tp_p1_setup, tp_p1_teardown);
	tcase_add_loop_test(tc, test_exchange, 0, tp_ncases);
	tcase_add_test(tc, test_exchange_one_sid);
	tcase_add_test(tc, test_exchange_no_sid);
	tcase_add_loop_test(tc, test_msg3_gap, 0,
			    sizeof(tp_gaps) / sizeof(tp_gaps[0]));
	tcase_add_test(tc, test_msg3_gap_no_sids);
	tcase_add_loop_test(tc, test_sat_layout, 0, 2);
	tcase_add_loop_test(tc, test_refused_group, 0,
			    (int)(sizeof(tp_refusals) / sizeof(tp_refusals[0])));
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_gm_retransmit);
	tcase_add_test(tc, test_msg4_before_msg2);
	tcase_add_test(tc, test_out_of_state);
	tcase_add_test(tc, test_no_sa);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_checked_fixture(tc, tp_p1_setup, tp_p1_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_damaged_messages, 1, 5);
	suite_add_tcase(s, tc);
	return s;
}
