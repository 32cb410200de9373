/*
 * COOP codec (gdoi/coop.c): round trips of every message type, and the
 * bad input the codec sees: every truncation and every bit flip of a
 * signed SYNC, a foreign key's signature, an unknown version, trailing
 * octets, state in a HELLO, an ACK without its counter.  And the framing
 * under a Phase 1 SA (gdoi/coop_sa.c): what is on the wire, a round trip
 * each way, bad hashes, flips, truncations, another SA's keys.
 */
#include <check.h>
#include <string.h>

#include "gdoi/coop.h"
#include "gdoi/coop_sa.h"
#include "gdoi/coop_seal.h"
#include "gdoi/isakmp.h"
#include "gdoi/rsakey.h"
#include "platform/be.h"
#include "pull_fixtures.h"

static struct rsakey *key_a, *key_b;

static void
keys_setup(void)
{
	if (!key_a)
		key_a = rsakey_generate(1024);
	if (!key_b)
		key_b = rsakey_generate(1024);
	ck_assert_ptr_nonnull(key_a);
	ck_assert_ptr_nonnull(key_b);
}

static const uint8_t blob[] = "opaque sealed key state";
static const struct coop_member mem[3] = {
	{ 0x0a000001, 5, 0xc0a80001 },
	{ 0x0a000002, 0x2001, 0xc0a80002 },
	{ 0x0a000003, 0xe000, 0xc0a80001 },
};

static struct coop_msg
sample(uint8_t type)
{
	struct coop_msg m = {
		.type = type, .priority = 200, .role = COOP_ROLE_PRIMARY,
		.group = 1234, .sender = 0xc0a80001, .primary = 0xc0a80001,
		.epoch = 7, .counter = 0x1122334455667788ull,
		.sum = { .seq = 42, .gen = 9, .pseudo_ms = 123456789 },
	};
	if (type == COOP_SYNC_FULL || type == COOP_SYNC_DELTA) {
		m.flags = COOP_F_STATE;
		m.blob = blob;
		m.blob_len = sizeof(blob);
		m.nmembers = 3;
	}
	if (type == COOP_ACK)
		m.acked = 99;
	return m;
}

static void
build(const struct coop_msg *m, struct buf_writer *w)
{
	buf_writer_init(w);
	ck_assert_int_eq(coop_build(m, mem, key_a, w), 0);
}

START_TEST(test_roundtrip)
{
	struct coop_msg in = sample((uint8_t)(COOP_HELLO + _i)), out;
	struct coop_member got;
	struct buf_writer w;

	build(&in, &w);
	/* COOP (Next Payload SIG, version 2), then SIG, nothing after */
	ck_assert_uint_eq(buf_data(&w)[0], ISAKMP_PAYLOAD_SIG);
	ck_assert_uint_eq(buf_data(&w)[4], COOP_VERSION);
	ck_assert_uint_eq(COOP_VERSION, 2);
	ck_assert_uint_eq(be16_get(buf_data(&w) + 2) + 4 + 128, buf_len(&w));
	ck_assert_int_eq(coop_open(buf_data(&w), buf_len(&w), key_a, &out),
			 COOP_OK);
	ck_assert_uint_eq(out.type, in.type);
	ck_assert_uint_eq(out.priority, 200);
	ck_assert_uint_eq(out.epoch, 7);
	ck_assert_uint_eq(out.counter, in.counter);
	ck_assert_uint_eq(out.sum.seq, 42);
	ck_assert_uint_eq(out.sum.pseudo_ms, 123456789);
	ck_assert_uint_eq(out.nmembers, in.nmembers);
	ck_assert_uint_eq(out.blob_len, in.blob_len);
	if (in.nmembers) {
		ck_assert_mem_eq(out.blob, blob, sizeof(blob));
		coop_member_get(&out, 2, &got);
		ck_assert_uint_eq(got.sid, 0xe000);
		ck_assert_uint_eq(got.ks, 0xc0a80001);
	}
	ck_assert_uint_eq(out.acked, in.type == COOP_ACK ? 99 : 0);
	buf_writer_free(&w);
}
END_TEST

START_TEST(test_truncations_and_flips)
{
	struct coop_msg in = sample(COOP_SYNC_FULL), out;
	struct buf_writer w;
	uint8_t copy[1024];
	size_t len;

	build(&in, &w);
	len = buf_len(&w);
	ck_assert_uint_le(len, sizeof(copy));
	for (size_t n = 0; n < len; n++)
		ck_assert_int_ne(coop_open(buf_data(&w), n, key_a, &out),
				 COOP_OK);
	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(copy, buf_data(&w), len);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(coop_open(copy, len, key_a, &out) != COOP_OK,
			      "flip of bit %zu accepted", bit);
	}
	buf_writer_free(&w);
}
END_TEST

START_TEST(test_foreign_key)
{
	struct coop_msg in = sample(COOP_HELLO), out;
	struct buf_writer w;

	build(&in, &w);
	ck_assert_int_eq(coop_open(buf_data(&w), buf_len(&w), key_b, &out),
			 COOP_E_SIGNATURE);
	buf_writer_free(&w);
}
END_TEST

/* A message signed correctly but wrong inside must still be refused. */
static enum coop_err
resign_after(struct coop_msg *m, size_t off, uint8_t val)
{
	struct buf_writer w;
	struct coop_msg out;
	enum coop_err e;

	build(m, &w);
	/* patch the COOP body, then sign the result again with key_a */
	{
		uint8_t *p = buf_ptr(&w, 4 + off, 1);
		size_t sigoff, siglen = rsakey_sig_len(key_a);
		uint8_t *sig;

		*p = val;
		sigoff = buf_len(&w) - siglen;
		sig = buf_ptr(&w, sigoff, siglen);
		ck_assert_int_eq(rsakey_sign(key_a, RSAKEY_SHA256,
					     RSAKEY_SIG_PKCS1, buf_data(&w),
					     sigoff - 4, sig, &siglen), 0);
	}
	e = coop_open(buf_data(&w), buf_len(&w), key_a, &out);
	buf_writer_free(&w);
	return e;
}

START_TEST(test_signed_but_wrong)
{
	struct coop_msg m = sample(COOP_HELLO);

	ck_assert_int_eq(resign_after(&m, 0, 0), COOP_E_VERSION);
	ck_assert_int_eq(resign_after(&m, 0, 1), COOP_E_VERSION);
	ck_assert_int_eq(resign_after(&m, 0, 3), COOP_E_VERSION);
	ck_assert_int_eq(resign_after(&m, 1, 0), COOP_E_MALFORMED);
	ck_assert_int_eq(resign_after(&m, 1, 9), COOP_E_MALFORMED);
	ck_assert_int_eq(resign_after(&m, 6, 3), COOP_E_MALFORMED);
	ck_assert_int_eq(resign_after(&m, 1, COOP_HELLO), COOP_OK);
}
END_TEST

START_TEST(test_bad_fields)
{
	struct coop_msg m = sample(COOP_HELLO), out;
	struct buf_writer w;

	/* state in a HELLO */
	m.blob = blob;
	m.blob_len = sizeof(blob);
	m.flags = COOP_F_STATE;
	build(&m, &w);
	ck_assert_int_eq(coop_open(buf_data(&w), buf_len(&w), key_a, &out),
			 COOP_E_MALFORMED);
	buf_writer_free(&w);
	/* a SYNC whose flag promises state it does not carry */
	m = sample(COOP_SYNC_DELTA);
	m.blob = NULL;
	m.blob_len = 0;
	build(&m, &w);
	ck_assert_int_eq(coop_open(buf_data(&w), buf_len(&w), key_a, &out),
			 COOP_E_MALFORMED);
	buf_writer_free(&w);
	/* a flag this version does not know */
	m = sample(COOP_HELLO);
	m.flags = 0x8000;
	build(&m, &w);
	ck_assert_int_eq(coop_open(buf_data(&w), buf_len(&w), key_a, &out),
			 COOP_E_MALFORMED);
	buf_writer_free(&w);
	/* no sender */
	m = sample(COOP_HELLO);
	m.sender = 0;
	build(&m, &w);
	ck_assert_int_eq(coop_open(buf_data(&w), buf_len(&w), key_a, &out),
			 COOP_E_MALFORMED);
	buf_writer_free(&w);
	/* too much state is not even built */
	m = sample(COOP_SYNC_FULL);
	m.blob_len = COOP_BLOB_MAX + 1;
	buf_writer_init(&w);
	ck_assert_int_eq(coop_build(&m, mem, key_a, &w), -1);
	buf_writer_free(&w);
}
END_TEST

START_TEST(test_trailing)
{
	struct coop_msg m = sample(COOP_ACK), out;
	struct buf_writer w;
	uint8_t copy[1024];
	size_t len;

	build(&m, &w);
	len = buf_len(&w);
	memcpy(copy, buf_data(&w), len);
	copy[len] = 0;
	ck_assert_int_eq(coop_open(copy, len + 1, key_a, &out),
			 COOP_E_MALFORMED);
	buf_writer_free(&w);
}
END_TEST

/* ---- the sealed key state ---- */

START_TEST(test_seal)
{
	static const uint8_t state[100] = "KEK and TEKs";
	uint8_t out[256];
	size_t n = sizeof(out);
	struct buf_writer w;

	buf_writer_init(&w);
	ck_assert_int_eq(coop_seal(key_a, state, sizeof(state), &w), 0);
	ck_assert_uint_eq(buf_len(&w), 128 + 16 + 112);
	ck_assert_ptr_null(memmem(buf_data(&w), buf_len(&w), "KEK and", 7));
	ck_assert_int_eq(coop_unseal(key_a, buf_data(&w), buf_len(&w), out,
				     &n), 0);
	ck_assert_uint_eq(n, sizeof(state));
	ck_assert_mem_eq(out, state, sizeof(state));
	/* another key pair, short room, cut lengths */
	n = sizeof(out);
	ck_assert_int_eq(coop_unseal(key_b, buf_data(&w), buf_len(&w), out,
				     &n), -1);
	n = 50;
	ck_assert_int_eq(coop_unseal(key_a, buf_data(&w), buf_len(&w), out,
				     &n), -1);
	for (size_t len = 0; len < buf_len(&w); len += 5) {
		n = sizeof(out);
		ck_assert_int_eq(coop_unseal(key_a, buf_data(&w), len, out,
					     &n), -1);
	}
	buf_writer_free(&w);
}
END_TEST

/* ---- under a Phase 1 SA ---- */

static void
sealed(const struct coop_msg *m, struct buf_writer *chain,
       struct buf_writer *wire)
{
	build(m, chain);
	buf_writer_init(wire);
	ck_assert_int_eq(coop_sa_seal(tp_p1_gm, buf_data(chain),
				      buf_len(chain), wire), 0);
}

START_TEST(test_sa_wire)
{
	struct coop_msg in = sample(COOP_SYNC_FULL), out;
	struct buf_writer chain, wire, got;
	const uint8_t *p;
	uint32_t group;

	sealed(&in, &chain, &wire);
	p = buf_data(&wire);
	/* the SA's cookies, HASH first, exchange 240, E, an M-ID, Length */
	ck_assert_mem_eq(p, p1_sa_icookie(tp_p1_gm), 8);
	ck_assert_mem_eq(p + 8, p1_sa_rcookie(tp_p1_gm), 8);
	ck_assert_uint_eq(p[16], ISAKMP_PAYLOAD_HASH);
	ck_assert_uint_eq(p[17], 0x10);
	ck_assert_uint_eq(p[18], GETVPN_EXCH_COOP);
	ck_assert_uint_eq(p[19], ISAKMP_FLAG_ENC);
	ck_assert_uint_ne(be32_get(p + 20), 0);
	ck_assert_uint_eq(be32_get(p + 24), buf_len(&wire));
	ck_assert_uint_eq((buf_len(&wire) - ISAKMP_HDR_LEN) % 16, 0);
	/* encrypted: no member address in the clear */
	ck_assert_ptr_null(memmem(p, buf_len(&wire), blob, 8));
	/* the other end gets the chain back, octet for octet */
	buf_writer_init(&got);
	ck_assert_int_eq(coop_sa_open(tp_p1_ks, p, buf_len(&wire), &got),
			 COOP_SA_OK);
	ck_assert_uint_eq(buf_len(&got), buf_len(&chain));
	ck_assert_mem_eq(buf_data(&got), buf_data(&chain), buf_len(&chain));
	ck_assert_int_eq(coop_open(buf_data(&got), buf_len(&got), key_a, &out),
			 COOP_OK);
	ck_assert_int_eq(coop_peek_group(buf_data(&got), buf_len(&got),
					 &group), 0);
	ck_assert_uint_eq(group, 1234);
	/* and the way back */
	ck_assert_int_eq(coop_sa_seal(tp_p1_ks, buf_data(&chain),
				      buf_len(&chain), &wire), 0);
	ck_assert_int_eq(coop_sa_open(tp_p1_gm, buf_data(&wire),
				      buf_len(&wire), &got), COOP_SA_OK);
	buf_writer_free(&got);
	buf_writer_free(&wire);
	buf_writer_free(&chain);
}
END_TEST

/* A flip in the ciphertext of the SIG payload leaves the chain whole
 * and garbles what HASH(1) covers; any flip or cut is refused. */
START_TEST(test_sa_bad_input)
{
	static const uint8_t lone_coop[] = { 0, 0, 0, 8, 'a', 'b', 'c', 'd' };
	struct coop_msg in = sample(COOP_HELLO);
	struct buf_writer chain, wire, got;
	uint8_t copy[1024];
	size_t len;

	sealed(&in, &chain, &wire);
	len = buf_len(&wire);
	ck_assert_uint_le(len, sizeof(copy));
	buf_writer_init(&got);
	memcpy(copy, buf_data(&wire), len);
	copy[len - 40] ^= 0x01;
	ck_assert_int_eq(coop_sa_open(tp_p1_ks, copy, len, &got), COOP_SA_HASH);
	ck_assert_uint_eq(buf_len(&got), 0);
	for (size_t bit = 0; bit < len * 8; bit += 3) {
		memcpy(copy, buf_data(&wire), len);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(coop_sa_open(tp_p1_ks, copy, len, &got) !=
			      COOP_SA_OK, "flip of bit %zu accepted", bit);
	}
	for (size_t n = 0; n < len; n++)
		ck_assert_int_ne(coop_sa_open(tp_p1_ks, buf_data(&wire), n,
					      &got), COOP_SA_OK);
	/* under other cookies: not this SA's */
	copy[0] ^= 0xff;
	memcpy(copy + 1, buf_data(&wire) + 1, len - 1);
	ck_assert_int_eq(coop_sa_open(tp_p1_ks, copy, len, &got),
			 COOP_SA_MALFORMED);
	/* HASH(1) and a COOP payload without its SIG is refused */
	buf_writer_reset(&chain);
	buf_put_bytes(&chain, lone_coop, sizeof(lone_coop));
	ck_assert_int_eq(coop_sa_seal(tp_p1_gm, buf_data(&chain),
				      buf_len(&chain), &wire), 0);
	ck_assert_int_eq(coop_sa_open(tp_p1_ks, buf_data(&wire),
				      buf_len(&wire), &got), COOP_SA_MALFORMED);
	buf_writer_free(&got);
	buf_writer_free(&wire);
	buf_writer_free(&chain);
}
END_TEST

Suite *
suite_coop(void)
{
	Suite *s = suite_create("coop");
	TCase *tc = tcase_create("codec");
	TCase *sa = tcase_create("under_sa");

	tcase_add_checked_fixture(tc, keys_setup, NULL);
	tcase_add_loop_test(tc, test_roundtrip, 0, 4);
	tcase_add_test(tc, test_truncations_and_flips);
	tcase_add_test(tc, test_foreign_key);
	tcase_add_test(tc, test_signed_but_wrong);
	tcase_add_test(tc, test_bad_fields);
	tcase_add_test(tc, test_trailing);
	tcase_add_test(tc, test_seal);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(sa, keys_setup, NULL);
	tcase_add_checked_fixture(sa, tp_p1_setup, tp_p1_teardown);
	tcase_add_test(sa, test_sa_wire);
	tcase_add_test(sa, test_sa_bad_input);
	suite_add_tcase(s, sa);
	return s;
}
