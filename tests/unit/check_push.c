/*
 * GROUPKEY-PUSH and its RFC 8263 ACK (gdoi/push*.c): round trips for
 * every TEK profile, KEK rollover, deletes, both signature forms, a
 * hand-made PUSH signed and sealed independently of push.c, the RFC 8263
 * HASH against a fixed vector, and every bad input of issue 10 that
 * the codec sees: forged, missing or foreign signatures, old SEQ,
 * unknown and retired KEKs, truncated, badly padded and oversized
 * messages, SATs without keys, a SAK without its KEK packet, SIDs, bad
 * ACKs, a replay flood dropped before any crypto, and every truncation
 * and bit flip of a canned PUSH and ACK.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "gdoi/isakmp.h"
#include "gdoi/kd.h"
#include "gdoi/payload.h"
#include "gdoi/policy_codec.h"
#include "gdoi/push.h"
#include "hex_fixtures.h"
#include "pull_fixtures.h"
#include "push_fixtures.h"

/* A member that knows kek (SEQ above seq). */
static void
rx_with(struct push_rx *rx, const struct gdoi_kek *kek, uint32_t seq)
{
	push_rx_init(rx);
	ck_assert_int_eq(push_rx_set_kek(rx, kek, seq), 0);
}

/* The usual start: a KEK without ACKs, a member above seq, a writer. */
static void
member(struct gdoi_kek *kek, struct push_rx *rx, uint32_t seq,
       struct buf_writer *w)
{
	tq_kek(kek, 0x40, tq_key(0), 0);
	rx_with(rx, kek, seq);
	buf_writer_init(w);
}

static enum push_err
open_w(struct push_rx *rx, const struct buf_writer *w, struct push_in *m)
{
	return push_open(rx, buf_data(w), buf_len(w), m);
}

/* ---- round trips ---- */

START_TEST(test_roundtrip)
{
	struct gdoi_policy p;
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;

	tp_cases[_i].make(&p);
	p.has_kek = false;
	p.nsid = 0;
	p.sid_bits = 0;
	p.seq = 0;
	tq_kek(&kek, 0x40, tq_key(0), PUSH_ACK_KEK_SHA256);
	rx_with(&rx, &kek, 0);
	buf_writer_init(&w);
	tq_build(&kek, tq_key(0), 1, &p, NULL, 0, &w);
	ck_assert_uint_eq(buf_data(&w)[18], 33);
	ck_assert_uint_eq(buf_len(&w) % 16, ISAKMP_HDR_LEN % 16);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	ck_assert(m.has_policy);
	ck_assert_uint_eq(m.seq, 1);
	ck_assert_uint_eq(m.ack_type, PUSH_ACK_KEK_SHA256);
	ck_assert_mem_eq(m.spi, kek.spi, 16);
	m.policy.group_id = p.group_id;
	tp_assert_policy_eq(&p, &m.policy);
	ck_assert_uint_eq(rx.kek[0].last_seq, 1);
	ck_assert_uint_eq(rx.st.sig_checks, 1);
	push_in_free(&m);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* A new KEK under the old one, then rekeys under the new one from SEQ 1,
 * retransmissions under the old one until it is retired. */
START_TEST(test_rollover)
{
	struct gdoi_kek k1, k2;
	struct gdoi_policy p;
	struct buf_writer w, old;
	struct push_rx rx;
	struct push_in m;

	tq_kek(&k1, 0x40, tq_key(0), PUSH_ACK_KEK_SHA256);
	tq_kek(&k2, 0x80, tq_key(0), PUSH_ACK_KEK_SHA512);
	rx_with(&rx, &k1, 5);
	buf_writer_init(&w);
	buf_writer_init(&old);
	tq_policy(&p, 0x11111111);
	p.has_kek = true;
	p.kek = k2;
	tq_build(&k1, tq_key(0), 6, &p, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	ck_assert(m.policy.has_kek);
	ck_assert_mem_eq(m.policy.kek.spi, k2.spi, 16);
	ck_assert_mem_eq(m.policy.kek.key, k2.key, 32);
	ck_assert_mem_eq(m.policy.kek.iv, k2.iv, 16);
	ck_assert_uint_eq(m.policy.kek.pubkey_len, k2.pubkey_len);
	ck_assert_uint_eq(m.policy.kek.ack, PUSH_ACK_KEK_SHA512);
	ck_assert_uint_eq(m.ack_type, PUSH_ACK_KEK_SHA256);
	ck_assert_int_eq(push_rx_set_kek(&rx, &m.policy.kek, 0), 0);
	push_in_free(&m);
	ck_assert_mem_eq(push_rx_current(&rx)->kek.spi, k2.spi, 16);
	/* SEQ restarts at 1 under the new KEK (RFC 6407 §4.3) */
	tq_policy(&p, 0x22222222);
	tq_build(&k2, tq_key(0), 1, &p, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	ck_assert_uint_eq(m.ack_type, PUSH_ACK_KEK_SHA512);
	push_in_free(&m);
	/* a later message under the old KEK still opens until retired */
	tq_build(&k1, tq_key(0), 7, &p, NULL, 0, &old);
	ck_assert_int_eq(open_w(&rx, &old, &m), PUSH_OK);
	push_in_free(&m);
	tq_build(&k1, tq_key(0), 8, &p, NULL, 0, &old);
	push_rx_retire(&rx, NULL);
	ck_assert_int_eq(open_w(&rx, &old, &m), PUSH_ERR_UNKNOWN_KEK);
	ck_assert_ptr_nonnull(push_rx_current(&rx));
	push_rx_free(&rx);
	buf_writer_free(&w);
	buf_writer_free(&old);
}
END_TEST

START_TEST(test_deletes)
{
	struct push_delete d[2] = {
		{ .proto = GDOI_PROTO_IPSEC_ESP, .nspi = 2,
		  .spi = { htonl(0x11111111), htonl(0x22222222) } },
		{ .proto = PUSH_DEL_KEK },
	};
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;

	tq_kek(&kek, 0x40, tq_key(0), 0);
	memcpy(d[1].kek_spi, kek.spi, 16);
	rx_with(&rx, &kek, 0);
	buf_writer_init(&w);
	tq_build(&kek, tq_key(0), 1, NULL, d, 2, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	ck_assert(!m.has_policy);
	ck_assert_uint_eq(m.ndel, 2);
	ck_assert_uint_eq(m.del[0].proto, GDOI_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(m.del[0].nspi, 2);
	ck_assert_uint_eq(m.del[0].spi[1], htonl(0x22222222));
	ck_assert_uint_eq(m.del[1].proto, PUSH_DEL_KEK);
	ck_assert_mem_eq(m.del[1].kek_spi, kek.spi, 16);
	ck_assert_uint_eq(m.ack_type, 0);
	push_in_free(&m);
	/* a bare SEQ: nothing new, still signed and accepted */
	tq_build(&kek, tq_key(0), 2, NULL, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	ck_assert(!m.has_policy && m.ndel == 0);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* The raw signature form, SHA-512 signatures, a 3DES KEK. */
START_TEST(test_forms)
{
	struct push_msg msg = { .seq = 1 };
	struct gdoi_policy p;
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;

	tq_kek(&kek, 0x40, tq_key(0), 0);
	kek.sig_hash = GDOI_SIG_HASH_SHA512;
	if (_i == 1) {
		kek.alg = GDOI_KEK_ALG_3DES;
		kek.key_bits = 192;
		kek.key_len = 24;
		kek.iv_len = 8;
	}
	tq_policy(&p, 0x11111111);
	msg.policy = &p;
	rx_with(&rx, &kek, 0);
	buf_writer_init(&w);
	ck_assert_int_eq(push_build(&kek, tq_key(0), _i ? RSAKEY_SIG_PKCS1
				    : RSAKEY_SIG_RAW, &msg, &w), 0);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	push_in_free(&m);
	/* no private key, an unknown hash: nothing is built */
	kek.sig_hash = 9;
	ck_assert_int_eq(push_build(&kek, tq_key(0), RSAKEY_SIG_PKCS1, &msg,
				    &w), -1);
	ck_assert_uint_eq(buf_len(&w), 0);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* ---- chains made by hand ---- */

/* SEQ | [SA | KD], the last Next Payload already SIG. */
static size_t
chain(uint32_t seq, const struct gdoi_sa *sa, const struct gdoi_kd *kd,
      uint8_t *out)
{
	struct isakmp_builder b;
	struct buf_writer w;
	size_t n;

	buf_writer_init(&w);
	buf_put_u8(&w, 0);	/* stands for the header's Next Payload */
	isakmp_build_init(&b, &w, 0);
	ck_assert_int_eq(gdoi_seq_put(&b, seq), 0);
	if (sa != NULL) {
		ck_assert_int_eq(gdoi_sa_put(&b, sa), 0);
		ck_assert_int_eq(gdoi_kd_put(&b, kd), 0);
	}
	ck_assert_int_eq(isakmp_build_set_next(&b, ISAKMP_PAYLOAD_SIG), 0);
	n = buf_len(&w) - 1;
	memcpy(out, buf_data(&w) + 1, n);
	buf_writer_free(&w);
	return n;
}

START_TEST(test_crafted_ok)
{
	static struct gdoi_sa sa;
	static struct gdoi_kd kd;
	struct gdoi_policy p;
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;
	uint8_t c[4096];
	size_t n;

	tq_kek(&kek, 0x40, tq_key(0), 0);
	tq_policy(&p, 0x11111111);
	ck_assert_int_eq(policy_codec_to_sa(&p, &sa), 0);
	ck_assert_int_eq(policy_codec_to_kd(&p, &kd), 0);
	n = chain(9, &sa, &kd, c);
	rx_with(&rx, &kek, 0);
	buf_writer_init(&w);
	tq_craft(&kek, tq_key(0), GDOI_PAYLOAD_SEQ, c, n, 1, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	ck_assert_uint_eq(m.seq, 9);
	ck_assert_mem_eq(m.policy.tek[0].enc_key, p.tek[0].enc_key, 32);
	push_in_free(&m);
	gdoi_kd_free(&kd);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* An authentic PUSH whose SA and KD do not fit: dropped, SEQ kept. */
static void
assert_policy_refused(struct gdoi_sa *sa, struct gdoi_kd *kd)
{
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;
	uint8_t c[4096];
	size_t n = chain(3, sa, kd, c);

	member(&kek, &rx, 0, &w);
	tq_craft(&kek, tq_key(0), GDOI_PAYLOAD_SEQ, c, n, 1, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_POLICY);
	ck_assert_uint_eq(rx.kek[0].last_seq, 0);
	ck_assert_uint_eq(rx.cache.n, 0);
	ck_assert(!m.has_policy);
	push_rx_free(&rx);
	buf_writer_free(&w);
}

START_TEST(test_sat_without_kd)
{
	static struct gdoi_sa sa;
	static struct gdoi_kd kd;
	struct gdoi_policy p;

	tq_policy(&p, 0x11111111);
	p.tek[1] = p.tek[0];
	p.tek[1].spi = htonl(0x22222222);
	p.ntek = 2;
	ck_assert_int_eq(policy_codec_to_sa(&p, &sa), 0);
	ck_assert_int_eq(policy_codec_to_kd(&p, &kd), 0);
	kd.ntek = 1;		/* no key packet for 0x22222222 */
	assert_policy_refused(&sa, &kd);
	gdoi_kd_free(&kd);
}
END_TEST

START_TEST(test_sak_without_kek_packet)
{
	static struct gdoi_sa sa;
	static struct gdoi_kd kd;
	struct gdoi_policy p;

	tq_policy(&p, 0x11111111);
	p.has_kek = true;
	tq_kek(&p.kek, 0x80, tq_key(0), 0);
	ck_assert_int_eq(policy_codec_to_sa(&p, &sa), 0);
	ck_assert_int_eq(policy_codec_to_kd(&p, &kd), 0);
	kd.has_kek = false;
	assert_policy_refused(&sa, &kd);
	/* and a KEK packet without a SAK */
	ck_assert_int_eq(policy_codec_to_kd(&p, &kd), 0);
	sa.has_sak = false;
	assert_policy_refused(&sa, &kd);
	gdoi_kd_free(&kd);
}
END_TEST

START_TEST(test_sids_refused)
{
	static struct gdoi_sa sa;
	static struct gdoi_kd kd;
	struct push_msg msg = { .seq = 1 };
	struct gdoi_policy p;
	struct gdoi_kek kek;
	struct buf_writer w;

	tq_policy(&p, 0x11111111);
	p.sid_bits = 8;
	p.nsid = 1;
	p.sid[0] = 3;
	/* the builder refuses to send SIDs ... */
	tq_kek(&kek, 0x40, tq_key(0), 0);
	msg.policy = &p;
	buf_writer_init(&w);
	ck_assert_int_eq(push_build(&kek, tq_key(0), RSAKEY_SIG_PKCS1, &msg,
				    &w), -1);
	buf_writer_free(&w);
	/* ... and the member a PUSH that carries them */
	ck_assert_int_eq(policy_codec_to_sa(&p, &sa), 0);
	ck_assert_int_eq(policy_codec_to_kd(&p, &kd), 0);
	assert_policy_refused(&sa, &kd);
	gdoi_kd_free(&kd);
}
END_TEST

/* ---- signatures ---- */

START_TEST(test_bad_signatures)
{
	struct gdoi_kek kek;
	struct buf_writer w, f;
	struct push_rx rx;
	struct push_in m;
	uint8_t c[64], plain[4096];
	size_t n, pl;

	member(&kek, &rx, 0, &w);
	buf_writer_init(&f);
	/* missing: SEQ alone, the chain ends without SIG */
	n = chain(1, NULL, NULL, c);
	c[0] = 0;
	tq_craft(&kek, tq_key(0), GDOI_PAYLOAD_SEQ, c, n, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_FORM);
	/* by another key */
	n = chain(1, NULL, NULL, c);
	tq_craft(&kek, tq_key(1), GDOI_PAYLOAD_SEQ, c, n, 1, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_SIG);
	/* forged: one bit of a good signature */
	tq_build(&kek, tq_key(0), 1, NULL, NULL, 0, &w);
	pl = tq_unseal(&kek, buf_data(&w), buf_len(&w), plain);
	plain[20] ^= 0x01;
	tq_seal(&kek, buf_data(&w), plain, pl, &f);
	ck_assert_int_eq(open_w(&rx, &f, &m), PUSH_ERR_SIG);
	/* a signed payload changed after signing (SEQ) */
	plain[20] ^= 0x01;
	plain[7] ^= 0x10;
	tq_seal(&kek, buf_data(&w), plain, pl, &f);
	ck_assert_int_eq(open_w(&rx, &f, &m), PUSH_ERR_SIG);
	ck_assert_uint_eq(rx.st.err[PUSH_ERR_SIG], 3);
	ck_assert_uint_eq(rx.kek[0].last_seq, 0);
	/* the good one still opens */
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	push_rx_free(&rx);
	buf_writer_free(&w);
	buf_writer_free(&f);
}
END_TEST

START_TEST(test_seq_rules)
{
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;

	member(&kek, &rx, 4, &w);
	tq_build(&kek, tq_key(0), 4, NULL, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_SEQ);
	tq_build(&kek, tq_key(0), 3, NULL, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_SEQ);
	ck_assert_uint_eq(rx.st.sig_checks, 0);	/* SEQ before RSA */
	tq_build(&kek, tq_key(0), 5, NULL, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	/* a registration with a stale SEQ does not lower it (§3.3) */
	ck_assert_int_eq(push_rx_set_kek(&rx, &kek, 2), 0);
	ck_assert_uint_eq(rx.kek[0].last_seq, 5);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/*
 * After a COOP merge: the member holds the pre-split KEK A and its side's
 * rolled KEK B; the winner's rekey under A brings C; the loser's late
 * last rekey under B carries A again.  A is still held, so it is
 * refreshed where it is and C stays current (with two slots A had gone
 * and came back as current).
 */
START_TEST(test_kek_merge_order)
{
	struct gdoi_kek a, b, c;
	struct push_rx rx;

	tq_kek(&a, 0x40, tq_key(0), 0);
	tq_kek(&b, 0x50, tq_key(0), 0);
	tq_kek(&c, 0x60, tq_key(0), 0);
	rx_with(&rx, &a, 1);
	ck_assert_int_eq(push_rx_set_kek(&rx, &b, 2), 0);
	ck_assert_int_eq(push_rx_set_kek(&rx, &c, 3), 0);
	ck_assert_int_eq(push_rx_set_kek(&rx, &a, 4), 0);
	ck_assert_mem_eq(push_rx_current(&rx)->kek.spi, c.spi,
			 GDOI_KEK_SPI_LEN);
	ck_assert_ptr_nonnull(push_rx_find(&rx, a.spi));
	ck_assert_ptr_nonnull(push_rx_find(&rx, b.spi));
	push_rx_free(&rx);
}
END_TEST

START_TEST(test_unknown_kek)
{
	struct gdoi_kek kek, other;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;

	tq_kek(&kek, 0x40, tq_key(0), 0);
	tq_kek(&other, 0x90, tq_key(0), 0);
	rx_with(&rx, &kek, 0);
	buf_writer_init(&w);
	tq_build(&other, tq_key(0), 1, NULL, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_UNKNOWN_KEK);
	ck_assert_uint_eq(rx.st.decrypts, 0);
	/* retired */
	tq_build(&kek, tq_key(0), 1, NULL, NULL, 0, &w);
	push_rx_retire(&rx, kek.spi);
	ck_assert_ptr_null(push_rx_current(&rx));
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_UNKNOWN_KEK);
	ck_assert_uint_eq(rx.st.err[PUSH_ERR_UNKNOWN_KEK], 2);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* ---- framing ---- */

START_TEST(test_padding_and_size)
{
	struct gdoi_kek kek;
	struct buf_writer w, f;
	struct push_rx rx;
	struct push_in m;
	uint8_t plain[4096], *big;
	size_t pl;

	member(&kek, &rx, 0, &w);
	buf_writer_init(&f);
	tq_build(&kek, tq_key(0), 1, NULL, NULL, 0, &w);
	/* a whole block of padding more */
	pl = tq_unseal(&kek, buf_data(&w), buf_len(&w), plain);
	memset(plain + pl, 0, 16);
	tq_seal(&kek, buf_data(&w), plain, pl + 16, &f);
	ck_assert_int_eq(open_w(&rx, &f, &m), PUSH_ERR_FORM);
	/* a body that is not whole blocks (Length kept consistent) */
	buf_writer_reset(&f);
	buf_put_bytes(&f, buf_data(&w), buf_len(&w) - 3);
	buf_patch_u32(&f, 24, (uint32_t)buf_len(&f));
	ck_assert_int_eq(open_w(&rx, &f, &m), PUSH_ERR_DECRYPT);
	/* header only */
	buf_writer_reset(&f);
	buf_put_bytes(&f, buf_data(&w), 28);
	buf_patch_u32(&f, 24, 28);
	ck_assert_int_eq(open_w(&rx, &f, &m), PUSH_ERR_DECRYPT);
	/* oversized, refused before the header is read */
	big = calloc(1, PUSH_MAX_LEN + 16);
	memcpy(big, buf_data(&w), 28);
	ck_assert_int_eq(push_open(&rx, big, PUSH_MAX_LEN + 16, &m),
			 PUSH_ERR_SIZE);
	free(big);
	/* Length disagreeing with the datagram */
	ck_assert_int_eq(push_open(&rx, buf_data(&w), buf_len(&w) - 16, &m),
			 PUSH_ERR_HEADER);
	ck_assert_uint_eq(rx.kek[0].last_seq, 0);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	push_rx_free(&rx);
	buf_writer_free(&w);
	buf_writer_free(&f);
}
END_TEST

/* Every truncation and every single-bit flip of a canned PUSH. */
START_TEST(test_mutations)
{
	struct gdoi_policy p;
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;
	uint8_t *c;
	size_t len;

	tq_kek(&kek, 0x40, tq_key(0), PUSH_ACK_KEK_SHA256);
	tq_policy(&p, 0x11111111);
	rx_with(&rx, &kek, 0);
	buf_writer_init(&w);
	tq_build(&kek, tq_key(0), 1, &p, NULL, 0, &w);
	len = buf_len(&w);
	c = malloc(len);
	memcpy(c, buf_data(&w), len);
	for (size_t n = 0; n < len; n++)
		ck_assert_int_ne(push_open(&rx, c, n, &m), PUSH_OK);
	for (size_t bit = 0; bit < len * 8; bit++) {
		c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_int_ne(push_open(&rx, c, len, &m), PUSH_OK);
		c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_uint_eq(rx.st.opened, 0);
	ck_assert_int_eq(push_open(&rx, c, len, &m), PUSH_OK);
	push_in_free(&m);
	free(c);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* RFC 6407 §7.3.4: copies of an accepted PUSH cost a hash, no crypto. */
START_TEST(test_replay_flood)
{
	struct gdoi_kek kek;
	struct buf_writer w;
	struct push_rx rx;
	struct push_in m;

	member(&kek, &rx, 0, &w);
	tq_build(&kek, tq_key(0), 1, NULL, NULL, 0, &w);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_OK);
	for (int i = 0; i < 1000; i++) {
		ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_DUPLICATE);
		ck_assert_uint_eq(m.seq, 1);
		ck_assert_mem_eq(m.spi, kek.spi, 16);
	}
	ck_assert_uint_eq(rx.st.err[PUSH_ERR_DUPLICATE], 1000);
	ck_assert_uint_eq(rx.st.decrypts, 1);
	ck_assert_uint_eq(rx.st.sig_checks, 1);
	/* the cache is bounded: the oldest hash leaves after PUSH_CACHE_SIZE */
	for (uint32_t s = 2; s < 2 + PUSH_CACHE_SIZE; s++) {
		struct buf_writer x;

		buf_writer_init(&x);
		tq_build(&kek, tq_key(0), s, NULL, NULL, 0, &x);
		ck_assert_int_eq(open_w(&rx, &x, &m), PUSH_OK);
		buf_writer_free(&x);
	}
	ck_assert_uint_eq(rx.cache.n, PUSH_CACHE_SIZE);
	ck_assert_int_eq(open_w(&rx, &w, &m), PUSH_ERR_SEQ);
	push_rx_free(&rx);
	buf_writer_free(&w);
}
END_TEST

/* ---- RFC 8263 ACK ---- */

static void
ack_kek(struct gdoi_kek *k, uint8_t type)
{
	memset(k, 0, sizeof(*k));
	for (int i = 0; i < 32; i++)
		k->key[i] = (uint8_t)i;
	k->key_len = 32;
	for (int i = 0; i < 16; i++) {
		k->spi[i] = (uint8_t)(0xa0 + i);
		k->iv[i] = 0xee;	/* never part of base_key */
	}
	k->iv_len = 16;
	k->ack = type;
}

/*
 * RFC 8263 §3.2 computed apart (Python hmac): base_key 00..1f, SPI
 * a0..af, SEQ 5, ID 10.0.0.2; SEQ and ID with their generic headers.
 */
START_TEST(test_ack_vector)
{
	static const char *const want[] = {
		"2e9036d5b9ace3be925098bcb367412ef81f4445a2f61b22b2d3f0b2ef4ea987",
		"11efd6db414149cd5f6f54e0148fa7232c55dd3462d2e0e22ade5342f2154074"
		"63d814770a184f82bf3acc30ae3e17aa4d2337fcdb5b4fd03b64e4f58bfcd0cc",
	};
	uint8_t h[64];
	struct gdoi_kek k;
	struct buf_writer w;
	struct push_ack a;
	size_t hl = unhex(want[_i], h, sizeof(h));

	ack_kek(&k, _i ? PUSH_ACK_KEK_SHA512 : PUSH_ACK_KEK_SHA256);
	buf_writer_init(&w);
	ck_assert_int_eq(push_ack_build(&k, k.spi, 5, htonl(0x0a000002), &w),
			 0);
	/* RFC 8263 §3: 28 + HASH + SEQ 8 + ID 12 */
	ck_assert_uint_eq(buf_len(&w), 28 + 4 + hl + 8 + 12);
	ck_assert_uint_eq(buf_data(&w)[16], ISAKMP_PAYLOAD_HASH);
	ck_assert_uint_eq(buf_data(&w)[18], 35);
	ck_assert_uint_eq(buf_data(&w)[19], 0);
	ck_assert_mem_eq(buf_data(&w) + 32, h, hl);
	ck_assert_int_eq(push_ack_open(buf_data(&w), buf_len(&w), &a),
			 PUSH_OK);
	ck_assert_uint_eq(a.seq, 5);
	ck_assert_uint_eq(a.gm_addr, htonl(0x0a000002));
	ck_assert_mem_eq(a.spi, k.spi, 16);
	ck_assert_int_eq(push_ack_verify(&a, &k), PUSH_OK);
	buf_writer_free(&w);
}
END_TEST

START_TEST(test_ack_bad)
{
	struct gdoi_kek k, other;
	struct buf_writer w;
	struct push_ack a;
	uint8_t c[256];
	size_t len;

	ack_kek(&k, PUSH_ACK_KEK_SHA256);
	other = k;
	other.key[0] ^= 1;
	buf_writer_init(&w);
	ck_assert_int_eq(push_ack_build(&k, k.spi, 7, htonl(0x0a000002), &w),
			 0);
	len = buf_len(&w);
	memcpy(c, buf_data(&w), len);
	ck_assert_int_eq(push_ack_open(c, len, &a), PUSH_OK);
	/* under another KEK (or for cookies the KS never used) */
	ck_assert_int_eq(push_ack_verify(&a, &other), PUSH_ERR_BAD_HASH);
	/* a KEK that asks for no ACK or an LKH type */
	other = k;
	other.ack = 2;
	ck_assert_int_eq(push_ack_verify(&a, &other), PUSH_ERR_BAD_HASH);
	ck_assert_int_eq(push_ack_build(&other, k.spi, 7, 1, &w), -1);
	/* every bit flip fails open or verify; every truncation fails open */
	for (size_t bit = 0; bit < len * 8; bit++) {
		c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (push_ack_open(c, len, &a) == PUSH_OK)
			ck_assert_int_eq(push_ack_verify(&a, &k),
					 PUSH_ERR_BAD_HASH);
		c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	for (size_t n = 0; n < len; n++)
		ck_assert_int_ne(push_ack_open(c, n, &a), PUSH_OK);
	/* trailing octets, and a PUSH where an ACK is expected */
	c[27] = (uint8_t)(len + 4);
	ck_assert_int_ne(push_ack_open(c, len + 4, &a), PUSH_OK);
	c[18] = 33;
	c[27] = (uint8_t)len;
	ck_assert_int_eq(push_ack_open(c, len, &a), PUSH_ERR_HEADER);
	buf_writer_free(&w);
}
END_TEST

START_TEST(test_names)
{
	for (int e = 0; e < PUSH_ERR_COUNT; e++)
		ck_assert_str_ne(push_err_name((enum push_err)e), "?");
	ck_assert_str_eq(push_err_name(PUSH_ERR_COUNT), "?");
}
END_TEST

Suite *
suite_push(void)
{
	Suite *s = suite_create("push");
	TCase *tc;

	tc = tcase_create("codec");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_roundtrip, 0, tp_ncases);
	tcase_add_test(tc, test_rollover);
	tcase_add_test(tc, test_deletes);
	tcase_add_loop_test(tc, test_forms, 0, 2);
	tcase_add_test(tc, test_crafted_ok);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sat_without_kd);
	tcase_add_test(tc, test_sak_without_kek_packet);
	tcase_add_test(tc, test_sids_refused);
	tcase_add_test(tc, test_bad_signatures);
	tcase_add_test(tc, test_seq_rules);
	tcase_add_test(tc, test_unknown_kek);
	tcase_add_test(tc, test_kek_merge_order);
	tcase_add_test(tc, test_padding_and_size);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_replay_flood);
	suite_add_tcase(s, tc);

	tc = tcase_create("ack");
	tcase_add_loop_test(tc, test_ack_vector, 0, 2);
	tcase_add_test(tc, test_ack_bad);
	suite_add_tcase(s, tc);
	return s;
}
