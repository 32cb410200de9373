/*
 * check_wire: the GAP and SA TEK layouts octet by octet, against vectors
 * written from the figures of RFC 6407 (§5.4 Figure 6, §5.5.1 Figure 8)
 * and the 2-octet SAT form Wireshark decodes (doc/wire-choices.md).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/buf.h"
#include "gdoi/gdoi_sa.h"
#include "gdoi/policy_codec.h"
#include "hex_fixtures.h"

/* GAP from Figure 6: Next Payload SAT (16), ATD 60 s, DTD 90 s. */
#define RFC_GAP "10 00 00 0c 80 01 00 3c 80 02 00 5a"

/*
 * SAT from Figure 8 with 1-octet ID Data Len: ESP, any protocol,
 * 10.0.0.0/24 -> 10.1.0.0/16, AES (12), SPI 0x12345678, 3600 s, tunnel,
 * HMAC-SHA-1, 128-bit key.  Generic header, Next Payload none.
 */
#define RFC_SAT_HDR "00 00 00 37"
#define RFC_SAT_BODY \
	"01 00 04 0000 08 0a000000 ffffff00 04 0000 08 0a010000 ffff0000" \
	" 0c 12345678 80010001 80020e10 80040001 80050002 80060080"
/* The same SAT with 2-octet ID Data Len (as Wireshark decodes it). */
#define WIDE_SAT_HDR "00 00 00 39"
#define WIDE_SAT_BODY \
	"01 00 04 0000 0008 0a000000 ffffff00 04 0000 0008 0a010000 ffff0000" \
	" 0c 12345678 80010001 80020e10 80040001 80050002 80060080"
/* Octets before the attributes in each body, and the attribute count. */
#define RFC_SAT_FIXED	31
#define WIDE_SAT_FIXED	33
#define SAT_NATTR	5

static void
sample_sat(struct gdoi_sat *s, uint8_t idlen)
{
	memset(s, 0, sizeof(*s));
	s->id_len_octets = idlen;
	s->proto_id = GDOI_PROTO_IPSEC_ESP;
	gdoi_id_ipv4_subnet(&s->src, 0x0a000000, 0xffffff00, 0);
	gdoi_id_ipv4_subnet(&s->dst, 0x0a010000, 0xffff0000, 0);
	s->transform = IPSEC_ESP_AES;
	s->spi = 0x12345678;
	s->life_sec = 3600;
	s->encap = IPSEC_ENCAP_TUNNEL;
	s->auth_alg = IPSEC_AUTH_HMAC_SHA1;
	s->keylen = 128;
}

/* Build a chain of payloads into w; byte 0 receives the first type. */
static void
chain_begin(struct buf_writer *w, struct isakmp_builder *b)
{
	buf_writer_init(w);
	buf_put_u8(w, 0);
	isakmp_build_init(b, w, 0);
}

static void
check_sat_fields(const struct gdoi_sat *s, uint8_t idlen)
{
	ck_assert_uint_eq(s->id_len_octets, idlen);
	ck_assert_uint_eq(s->src.type, ISAKMP_ID_IPV4_ADDR_SUBNET);
	ck_assert_uint_eq(s->src.len, 8);
	ck_hex(s->dst.data, s->dst.len, "0a010000 ffff0000");
	ck_assert_uint_eq(s->transform, IPSEC_ESP_AES);
	ck_assert_uint_eq(s->spi, 0x12345678);
	ck_assert_uint_eq(s->life_sec, 3600);
	ck_assert_uint_eq(s->auth_alg, IPSEC_AUTH_HMAC_SHA1);
	ck_assert_uint_eq(s->keylen, 128);
	ck_assert_uint_eq(s->unsupported, 0);
}

/* ---- GAP ---- */

/* The RFC's GAP, as the peer sends it inside an SA. */
START_TEST(test_gap_rfc_decode)
{
	uint8_t raw[64];
	size_t n = unhex(RFC_GAP, raw, sizeof(raw));
	struct gdoi_gap g;

	ck_assert_int_eq(gdoi_gap_decode(raw + 4, n - 4, &g), 0);
	ck_assert_uint_eq(g.flags, GDOI_GAP_HAS_ATD | GDOI_GAP_HAS_DTD);
	ck_assert_uint_eq(g.atd, 60);
	ck_assert_uint_eq(g.dtd, 90);
	ck_assert_uint_eq(g.sid_request, 0);
}
END_TEST

/* What we send is the RFC's figure, octet for octet, SAT after it. */
START_TEST(test_gap_rfc_encode)
{
	struct gdoi_gap g = { 60, 90, 0, GDOI_GAP_HAS_ATD | GDOI_GAP_HAS_DTD };
	struct gdoi_sat s;
	struct buf_writer w;
	struct isakmp_builder b;

	sample_sat(&s, GDOI_SAT_IDLEN_RFC);
	chain_begin(&w, &b);
	ck_assert_int_eq(gdoi_gap_put(&b, &g), 0);
	ck_assert_int_eq(gdoi_sat_put(&b, &s), 0);
	ck_assert_uint_eq(buf_data(&w)[0], GDOI_PAYLOAD_GAP);
	ck_hex(buf_data(&w) + 1, buf_len(&w) - 1,
	       RFC_GAP RFC_SAT_HDR RFC_SAT_BODY);
	buf_writer_free(&w);
}
END_TEST

/* A member's request in message 3: TV, and TLV when it needs 32 bits. */
START_TEST(test_gap_sid_request)
{
	uint8_t raw[32];
	struct gdoi_gap g = { 0, 0, 70000, GDOI_GAP_HAS_SID_REQ }, d;
	struct buf_writer w;
	struct isakmp_builder b;
	size_t n;

	n = unhex("80 03 00 04", raw, sizeof(raw));
	ck_assert_int_eq(gdoi_gap_decode(raw, n, &d), 0);
	ck_assert_uint_eq(d.flags, GDOI_GAP_HAS_SID_REQ);
	ck_assert_uint_eq(d.sid_request, 4);
	chain_begin(&w, &b);
	ck_assert_int_eq(gdoi_gap_put(&b, &g), 0);
	ck_hex(buf_data(&w) + 1, buf_len(&w) - 1,
	       "00 00 00 0c 00 03 00 04 00 01 11 70");
	ck_assert_int_eq(gdoi_gap_decode(buf_data(&w) + 5, 8, &d), 0);
	ck_assert_uint_eq(d.sid_request, 70000);
	buf_writer_free(&w);
}
END_TEST

/* Bad GAP bodies (attributes only, after the generic header). */
static const struct {
	const char *name, *hex;
	int want;
} gap_bad[] = {
	{ "unknown attribute 4", "80 01 00 3c 80 04 00 01",
	  GDOI_GAP_UNSUPPORTED },
	{ "private attribute 128", "80 80 00 01", GDOI_GAP_UNSUPPORTED },
	{ "unknown TLV attribute", "00 07 00 02 00 01", GDOI_GAP_UNSUPPORTED },
	{ "odd length", "80 01 00 3c 00", -1 },
	{ "odd TLV", "00 03 00 01 05", -1 },
	{ "truncated TV", "80 01 00", -1 },
	{ "truncated TLV", "00 03 00 04 00 00", -1 },
	{ "ATD wider than 32 bits", "00 01 00 08 00 00 00 01 00 00 00 00", -1 },
	/* the pre-RFC layout: 2 RESERVED octets before the attributes */
	{ "reserved octets", "00 00 80 01 00 3c 80 02 00 5a", -1 },
};

START_TEST(test_gap_bad)
{
	uint8_t raw[64];
	size_t n = unhex(gap_bad[_i].hex, raw, sizeof(raw));
	uint8_t *copy = malloc(n ? n : 1);	/* exact size: ASan sees overreads */
	struct gdoi_gap g;

	memcpy(copy, raw, n);
	ck_assert_msg(gdoi_gap_decode(copy, n, &g) == gap_bad[_i].want, "%s",
		      gap_bad[_i].name);
	ck_assert_uint_eq(g.flags, 0);
	free(copy);
}
END_TEST

/* An empty GAP is legal and says nothing. */
START_TEST(test_gap_empty)
{
	struct gdoi_gap g;

	ck_assert_int_eq(gdoi_gap_decode((const uint8_t *)"", 0, &g), 0);
	ck_assert_uint_eq(g.flags, 0);
}
END_TEST

/* ---- SAT ---- */

static const struct {
	uint8_t idlen, want;
	const char *hex;
} sat_emit[] = {
	{ GDOI_SAT_IDLEN_RFC, 1, RFC_SAT_HDR RFC_SAT_BODY },
	{ GDOI_SAT_IDLEN_WIDE, 2, WIDE_SAT_HDR WIDE_SAT_BODY },
	{ 0, 2, WIDE_SAT_HDR WIDE_SAT_BODY },	/* the default */
};

START_TEST(test_sat_emit)
{
	struct gdoi_sat s, d;
	struct buf_writer w;
	struct isakmp_builder b;

	sample_sat(&s, sat_emit[_i].idlen);
	chain_begin(&w, &b);
	ck_assert_int_eq(gdoi_sat_put(&b, &s), 0);
	ck_hex(buf_data(&w) + 1, buf_len(&w) - 1, sat_emit[_i].hex);
	ck_assert_int_eq(gdoi_sat_decode(buf_data(&w) + 5, buf_len(&w) - 5,
					 &d), 0);
	check_sat_fields(&d, sat_emit[_i].want);
	buf_writer_free(&w);
}
END_TEST

/* Both layouts are read, and the SAT says which one it was. */
START_TEST(test_sat_decode_both)
{
	uint8_t raw[128];
	struct gdoi_sat s;
	size_t n;

	n = unhex(RFC_SAT_BODY, raw, sizeof(raw));
	ck_assert_int_eq(gdoi_sat_decode(raw, n, &s), 0);
	check_sat_fields(&s, GDOI_SAT_IDLEN_RFC);
	n = unhex(WIDE_SAT_BODY, raw, sizeof(raw));
	ck_assert_int_eq(gdoi_sat_decode(raw, n, &s), 0);
	check_sat_fields(&s, GDOI_SAT_IDLEN_WIDE);
}
END_TEST

/*
 * Each layout cut at every octet: nothing parses before the attributes
 * start; after that only the cuts that fall between two attributes do
 * (attributes are optional), with exactly the attributes kept.
 */
START_TEST(test_sat_truncated)
{
	const char *hex = _i == 0 ? RFC_SAT_BODY : WIDE_SAT_BODY;
	size_t fixed = _i == 0 ? RFC_SAT_FIXED : WIDE_SAT_FIXED;
	uint8_t raw[128];
	size_t n = unhex(hex, raw, sizeof(raw)), cut;
	struct gdoi_sat s;

	ck_assert_uint_eq(n, fixed + 4 * SAT_NATTR);
	for (cut = 0; cut < n; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);
		bool boundary = cut >= fixed && (cut - fixed) % 4 == 0;
		int rc;

		memcpy(p, raw, cut);
		rc = gdoi_sat_decode(p, cut, &s);
		free(p);
		ck_assert_msg((rc == 0) == boundary, "layout %d cut at %zu: %d",
			      _i + 1, cut, rc);
		if (rc == 0) {
			ck_assert_uint_eq(s.id_len_octets, _i + 1);
			ck_assert_uint_eq(s.keylen, 0);	/* the last one */
		} else {
			ck_assert_uint_eq(s.spi, 0);	/* zeroed on failure */
		}
	}
}
END_TEST

/* A whole SA as a peer following the RFC's figures sends it. */
START_TEST(test_sa_rfc)
{
	uint8_t raw[256];
	size_t n = unhex("00000002 00000000 0016 0000 " RFC_GAP RFC_SAT_HDR
			 RFC_SAT_BODY, raw, sizeof(raw));
	struct gdoi_policy *p = calloc(1, sizeof(*p));

	ck_assert_int_eq(policy_codec_sa_decode(raw, n, p), 0);
	ck_assert(p->has_gap);
	ck_assert_uint_eq(p->atd_s, 60);
	ck_assert_uint_eq(p->dtd_s, 90);
	ck_assert_uint_eq(p->ntek, 1);
	ck_assert_uint_eq(p->sat_id_len, GDOI_SAT_IDLEN_RFC);
	/* The same SA with an unknown GAP attribute is refused. */
	raw[12 + 5] = 0x09;		/* ATD -> attribute 9 */
	ck_assert_int_eq(policy_codec_sa_decode(raw, n, p), -1);
	gdoi_policy_wipe(p);
	free(p);
}
END_TEST

Suite *
suite_wire(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("gap");

	tcase_add_test(tc, test_gap_rfc_decode);
	tcase_add_test(tc, test_gap_rfc_encode);
	tcase_add_test(tc, test_gap_sid_request);
	tcase_add_loop_test(tc, test_gap_bad, 0,
			    sizeof(gap_bad) / sizeof(gap_bad[0]));
	tcase_add_test(tc, test_gap_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("sat");
	tcase_add_loop_test(tc, test_sat_emit, 0,
			    sizeof(sat_emit) / sizeof(sat_emit[0]));
	tcase_add_test(tc, test_sat_decode_both);
	tcase_add_loop_test(tc, test_sat_truncated, 0, 2);
	tcase_add_test(tc, test_sa_rfc);
	suite_add_tcase(s, tc);
	return s;
}
