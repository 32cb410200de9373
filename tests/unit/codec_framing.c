/*
 * Codec framing tests, part of the codec suite: the bounded reader and
 * writer (gdoi/buf), TV/TLV attributes and B/V lifetimes (gdoi/attr),
 * the ISAKMP header receive checks and payload-chain walking
 * (gdoi/isakmp), including chains that loop or run past the message.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec_samples.h"
#include "gdoi/attr.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- buf ---- */

START_TEST(test_buf_reader)
{
	static const uint8_t in[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				      13, 14, 15, 2, 0xaa, 0xbb, 0xcc };
	struct buf_reader r, sub;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	buf_reader_init(&r, in, sizeof(in));
	ck_assert_int_eq(buf_get_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, 1);
	ck_assert_int_eq(buf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0x0203);
	ck_assert_int_eq(buf_get_u32(&r, &u32), 0);
	ck_assert_uint_eq(u32, 0x04050607);
	ck_assert_int_eq(buf_get_u64(&r, &u64), 0);
	ck_assert(u64 == 0x08090a0b0c0d0e0fULL);
	ck_assert_int_eq(buf_get_sub_u8(&r, &sub), 0);
	ck_assert_uint_eq(buf_left(&sub), 2);
	ck_assert_int_eq(buf_get_u16(&sub, &u16), 0);
	ck_assert_uint_eq(u16, 0xaabb);
	ck_assert_int_eq(buf_at_end(&sub), 0);
	ck_assert_int_eq(buf_at_end(&r), -1);
	/* Reading past the end fails, and the failure sticks. */
	ck_assert_int_eq(buf_get_u16(&r, &u16), -1);
	ck_assert(buf_failed(&r));
	ck_assert_uint_eq(buf_left(&r), 0);
	ck_assert_int_eq(buf_get_u8(&r, &u8), -1);
	ck_assert_int_eq(buf_skip(&r, 0), -1);
	/* A sub-reader longer than what is left fails without moving. */
	buf_reader_init(&r, in, 3);
	ck_assert_int_eq(buf_get_sub(&r, 4, &sub), -1);
	ck_assert(buf_failed(&sub));
	buf_reader_init(&r, NULL, 0);
	ck_assert_int_eq(buf_get_bytes(&r, &u8, 0), 0);
	ck_assert_int_eq(buf_at_end(&r), 0);
}
END_TEST

START_TEST(test_buf_writer)
{
	static const uint8_t want[] = { 0xab, 0x12, 0x34, 0, 0, 0, 3, 0, 0,
					0, 0, 0, 0, 0, 1, 0, 0 };
	struct buf_writer w;
	size_t mark, off, len, i;
	uint8_t *p;

	buf_writer_init(&w);
	ck_assert_ptr_null(buf_data(&w));
	buf_put_u8(&w, 0xab);
	buf_put_u16(&w, 0x1234);
	ck_assert_int_eq(buf_len16_begin(&w, &mark), 0);
	buf_put_u16(&w, 3);
	buf_put_u64(&w, 1);
	ck_assert_int_eq(buf_reserve(&w, 2, &off), 0);
	ck_assert_int_eq(buf_len16_end(&w, mark, mark + 2), 0);
	ck_assert_uint_eq(buf_len(&w), sizeof(want));
	ck_assert_mem_eq(buf_data(&w), want, 3);
	ck_assert_uint_eq(buf_data(&w)[4], 12);	/* 2 + 8 + 2 octets */
	ck_assert_int_eq(buf_patch_u16(&w, off, 0xbeef), 0);
	ck_assert_int_eq(buf_patch_u16(&w, off + 1, 0), -1);	/* past end */
	ck_assert(buf_writer_failed(&w));
	ck_assert_int_eq(buf_put_u8(&w, 0), -1);		/* sticky */
	buf_writer_reset(&w);
	ck_assert(!buf_writer_failed(&w));
	/* Growth keeps the contents. */
	for (i = 0; i < 5000; i++)
		ck_assert_int_eq(buf_put_u8(&w, (uint8_t)i), 0);
	ck_assert_uint_eq(buf_data(&w)[4999], (uint8_t)4999);
	/* A u16 length cannot describe more than 65535 octets. */
	ck_assert_int_eq(buf_len16_begin(&w, &mark), 0);
	ck_assert_int_eq(buf_put_zero(&w, 70000), 0);
	ck_assert_int_eq(buf_len16_end(&w, mark, mark), -1);
	buf_writer_reset(&w);
	buf_put_u32(&w, 7);
	p = buf_steal(&w, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 4);
	ck_assert_uint_eq(p[3], 7);
	ck_assert_uint_eq(buf_len(&w), 0);
	free(p);
	ck_assert_int_eq(buf_put_zero(&w, BUF_WRITER_MAX + 1), -1);
	buf_writer_free(&w);
}
END_TEST

/* ---- attributes ---- */

static const struct {
	uint64_t v;
	size_t len;		/* encoded size */
	uint8_t head[4];	/* type word and value/length word */
} bv_cases[] = {
	{ 0, 4, { 0x80, 0x0c, 0x00, 0x00 } },
	{ 3600, 4, { 0x80, 0x0c, 0x0e, 0x10 } },
	{ 65535, 4, { 0x80, 0x0c, 0xff, 0xff } },
	{ 65536, 8, { 0x00, 0x0c, 0x00, 0x04 } },
	{ 86400, 8, { 0x00, 0x0c, 0x00, 0x04 } },
	{ 4294967295ULL, 8, { 0x00, 0x0c, 0x00, 0x04 } },
	{ 4294967296ULL, 12, { 0x00, 0x0c, 0x00, 0x08 } },
};

START_TEST(test_attr_bv)
{
	struct buf_writer w;
	struct attr_iter it;
	struct attr a;
	uint64_t v;

	buf_writer_init(&w);
	ck_assert_int_eq(attr_put_bv(&w, 12, bv_cases[_i].v), 0);
	ck_assert_uint_eq(buf_len(&w), bv_cases[_i].len);
	ck_assert_mem_eq(buf_data(&w), bv_cases[_i].head, 4);
	attr_iter_init(&it, buf_data(&w), buf_len(&w));
	ck_assert_int_eq(attr_iter_next(&it, &a), 1);
	ck_assert_uint_eq(a.type, 12);
	ck_assert_int_eq(a.tv, bv_cases[_i].len == 4);
	ck_assert_int_eq(attr_get_uint(&a, &v), 0);
	ck_assert(v == bv_cases[_i].v);
	ck_assert_int_eq(attr_iter_next(&it, &a), 0);
	buf_writer_free(&w);
}
END_TEST

START_TEST(test_attr_malformed)
{
	/* TLV of 9 octets: too wide for an integer, fine as a blob. */
	static const uint8_t wide[] = { 0, 2, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t empty[] = { 0, 2, 0, 0 };
	static const uint8_t trunc_tlv[] = { 0, 2, 0, 5, 1, 2, 3, 4 };
	static const uint8_t trunc_tv[] = { 0x80, 2, 0 };
	struct attr_iter it;
	struct attr a;
	uint64_t v;
	uint16_t u16;

	attr_iter_init(&it, wide, sizeof(wide));
	ck_assert_int_eq(attr_iter_next(&it, &a), 1);
	ck_assert_int_eq(attr_get_uint(&a, &v), -1);
	attr_iter_init(&it, empty, sizeof(empty));
	ck_assert_int_eq(attr_iter_next(&it, &a), 1);
	ck_assert_int_eq(attr_get_uint(&a, &v), -1);
	attr_iter_init(&it, trunc_tlv, sizeof(trunc_tlv));
	ck_assert_int_eq(attr_iter_next(&it, &a), -1);
	ck_assert_int_eq(attr_iter_next(&it, &a), -1);
	attr_iter_init(&it, trunc_tv, sizeof(trunc_tv));
	ck_assert_int_eq(attr_iter_next(&it, &a), -1);
	attr_iter_init(&it, wide + 4, 4);	/* TLV 0x0102 of 0x0304 octets */
	ck_assert_int_eq(attr_iter_next(&it, &a), -1);
	a.tv = false;
	a.val = wide + 4;
	a.len = 3;					/* 0x010203 > 0xffff */
	ck_assert_int_eq(attr_get_u16(&a, &u16), -1);
}
END_TEST

/* ---- header receive checks ---- */

static const struct {
	const char *name;
	size_t off;		/* octet to overwrite, or SIZE_MAX */
	uint8_t val;
	int extra;		/* octets added to/removed from the datagram */
	uint8_t exch, flags;
	uint16_t notify;	/* 0: accepted */
} hdr_cases[] = {
	{ "clean", SIZE_MAX, 0, 0, GDOI_EXCH_PULL, ISAKMP_FLAG_ENC, 0 },
	{ "push E only", SIZE_MAX, 0, 0, GDOI_EXCH_PUSH, ISAKMP_FLAG_ENC, 0 },
	{ "datagram longer", SIZE_MAX, 0, 4, GDOI_EXCH_PULL, 0,
	  ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS },
	{ "datagram shorter", SIZE_MAX, 0, -1, GDOI_EXCH_PULL, 0,
	  ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS },
	{ "below 28", SIZE_MAX, 0, -20, GDOI_EXCH_PULL, 0,
	  ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS },
	{ "major 2", 17, 0x20, 0, GDOI_EXCH_PULL, 0,
	  ISAKMP_N_INVALID_MAJOR_VERSION },
	{ "minor 1", 17, 0x11, 0, GDOI_EXCH_PULL, 0,
	  ISAKMP_N_INVALID_MINOR_VERSION },
	{ "next 200", 16, 200, 0, GDOI_EXCH_PULL, 0,
	  ISAKMP_N_INVALID_PAYLOAD_TYPE },
	{ "next COOP", 16, GETVPN_PAYLOAD_COOP, 0, GETVPN_EXCH_COOP, 0, 0 },
	{ "push no E", SIZE_MAX, 0, 0, GDOI_EXCH_PUSH, 0,
	  ISAKMP_N_INVALID_FLAGS },
	{ "push E+C", SIZE_MAX, 0, 0, GDOI_EXCH_PUSH, 3,
	  ISAKMP_N_INVALID_FLAGS },
};

START_TEST(test_hdr_checks)
{
	struct isakmp_hdr h;
	struct codec_msg m;
	uint8_t *p;
	size_t len;
	uint16_t notify = 0xffff;

	codec_msg_begin(&m, hdr_cases[_i].exch, hdr_cases[_i].flags, 9);
	ck_assert_int_eq(isakmp_build_payload(&m.b, ISAKMP_PAYLOAD_HASH,
					      codec_icookie, 8), 0);
	codec_msg_end(&m);
	len = buf_len(&m.w);
	buf_put_zero(&m.w, 8);
	p = codec_exact_copy(buf_data(&m.w), len + 8);
	if (hdr_cases[_i].off != SIZE_MAX)
		p[hdr_cases[_i].off] = hdr_cases[_i].val;
	len = (size_t)((long)len + hdr_cases[_i].extra);
	ck_assert_int_eq(isakmp_hdr_decode(&h, p, len, &notify),
			 hdr_cases[_i].notify == 0 ? 0 : -1);
	ck_assert_uint_eq(notify, hdr_cases[_i].notify);
	if (hdr_cases[_i].notify == 0) {
		ck_assert_mem_eq(h.icookie, codec_icookie, 8);
		ck_assert_uint_eq(h.msgid, 9);
		ck_assert_uint_eq(h.len, len);
	}
	free(p);
	buf_writer_free(&m.w);
}
END_TEST

/* ---- payload chains ---- */

static const struct {
	const char *name;
	uint8_t first;
	uint8_t bytes[24];
	size_t len;
	int rc;
	size_t n, end;
} chain_cases[] = {
	{ "two, then padding", 8, { 10, 0, 0, 5, 0xaa, 0, 0, 0, 4, 0, 0 },
	  11, 0, 2, 9 },
	{ "empty chain", 0, { 0 }, 3, 0, 0, 0 },
	{ "length 0 would loop", 8, { 8, 0, 0, 0, 8, 0, 0, 0 }, 8, -1, 0, 0 },
	{ "length 3", 8, { 0, 0, 0, 3, 0 }, 5, -1, 0, 0 },
	{ "longer than the message", 8, { 0, 0, 0, 9, 1, 2, 3, 4 }, 8, -1,
	  0, 0 },
	{ "next says more, none left", 8, { 10, 0, 0, 4 }, 4, -1, 0, 0 },
	{ "header cut", 8, { 0, 0, 0 }, 3, -1, 0, 0 },
	{ "self-linked until the end", 8, { 8, 0, 0, 4, 8, 0, 0, 4, 8, 0, 0,
	  4 }, 12, -1, 0, 0 },
};

START_TEST(test_chain)
{
	struct isakmp_chain c;
	uint8_t *p = codec_exact_copy(chain_cases[_i].bytes, chain_cases[_i].len);

	ck_assert_int_eq(isakmp_chain_parse(&c, chain_cases[_i].first, p,
					    chain_cases[_i].len),
			 chain_cases[_i].rc);
	if (chain_cases[_i].rc == 0) {
		ck_assert_uint_eq(c.n, chain_cases[_i].n);
		ck_assert_uint_eq(c.end, chain_cases[_i].end);
	}
	free(p);
}
END_TEST

START_TEST(test_chain_too_many)
{
	struct isakmp_chain c;
	struct isakmp_iter it;
	struct isakmp_payload pl;
	size_t n = ISAKMP_ITER_MAX + 1, i;
	uint8_t *p = calloc(n, 4);
	int rc;

	/* A valid but endless-looking chain of empty VIDs. */
	for (i = 0; i < n; i++) {
		p[i * 4] = i + 1 < n ? ISAKMP_PAYLOAD_VID : 0;
		p[i * 4 + 3] = 4;
	}
	isakmp_iter_init(&it, ISAKMP_PAYLOAD_VID, p, n * 4);
	for (i = 0; (rc = isakmp_iter_next(&it, &pl)) == 1; i++)
		;
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(i, ISAKMP_ITER_MAX);
	ck_assert_int_eq(isakmp_chain_parse(&c, ISAKMP_PAYLOAD_VID, p, 64), -1);
	p[(ISAKMP_CHAIN_MAX - 1) * 4] = 0;
	ck_assert_int_eq(isakmp_chain_parse(&c, ISAKMP_PAYLOAD_VID, p, 256), 0);
	ck_assert_uint_eq(c.n, ISAKMP_CHAIN_MAX);
	free(p);
}
END_TEST

TCase *
codec_tcase_framing(void)
{
	TCase *tc = tcase_create("framing");

	tcase_add_test(tc, test_buf_reader);
	tcase_add_test(tc, test_buf_writer);
	tcase_add_loop_test(tc, test_attr_bv, 0, NCASES(bv_cases));
	tcase_add_test(tc, test_attr_malformed);
	tcase_add_loop_test(tc, test_hdr_checks, 0, NCASES(hdr_cases));
	tcase_add_loop_test(tc, test_chain, 0, NCASES(chain_cases));
	tcase_add_test(tc, test_chain_too_many);
	return tc;
}
