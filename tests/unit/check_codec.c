/*
 * ISAKMP/GDOI codecs: gdoi/buf, attr, isakmp, payload, gdoi_sa, kd and
 * the platform/pcap writer.
 *
 * Every payload goes encode -> message -> header + chain -> decode and
 * is compared field by field.  The canned messages (Phase 1 msg 1 with
 * an SA offer, PULL msg 2 with SA(SAK, GAP, 2 SATs), PULL msg 4 with
 * SEQ + KD(2 TEK, KEK, SID), and two variants for the dissector) are cut
 * at every length, whole and payload by payload, and flipped at every
 * bit; each variant lives in a buffer of exactly its size so that the
 * SAN=1 build catches any read past the end.  The capture test hands
 * the canned messages to tools/check-capture (tshark).
 *
 * The buf/attr/header/chain cases are in codec_framing.c, the capture
 * cases in codec_pcap.c; samples, the message builder and the canned
 * messages in codec_samples.c.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/attr.h"
#include "gdoi/gdoi_sa.h"
#include "gdoi/isakmp.h"
#include "gdoi/kd.h"
#include "gdoi/payload.h"

#include "codec_samples.h"

Suite *suite_codec(void);

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- payload round trips (table-driven) ---- */

static void
rt_p1sa(struct codec_msg *m, const struct isakmp_payload *pl)
{
	struct payload_sa a, b;
	size_t i;

	codec_sample_p1sa(&a, ISAKMP_DOI_GDOI);
	if (m != NULL) {
		ck_assert_int_eq(payload_sa_put(&m->b, &a), 0);
		return;
	}
	ck_assert_int_eq(payload_sa_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.doi, a.doi);
	ck_assert_uint_eq(b.prop_num, a.prop_num);
	ck_assert_uint_eq(b.proto, a.proto);
	ck_assert_uint_eq(b.nxform, a.nxform);
	for (i = 0; i < a.nxform; i++) {
		ck_assert_uint_eq(b.xform[i].num, a.xform[i].num);
		ck_assert_uint_eq(b.xform[i].id, a.xform[i].id);
		ck_assert_uint_eq(b.xform[i].enc, a.xform[i].enc);
		ck_assert_uint_eq(b.xform[i].keylen, a.xform[i].keylen);
		ck_assert_uint_eq(b.xform[i].hash, a.xform[i].hash);
		ck_assert_uint_eq(b.xform[i].auth, a.xform[i].auth);
		ck_assert_uint_eq(b.xform[i].group, a.xform[i].group);
		ck_assert_uint_eq(b.xform[i].life_sec, a.xform[i].life_sec);
		ck_assert_uint_eq(b.xform[i].life_kb, a.xform[i].life_kb);
		ck_assert_uint_eq(b.xform[i].unsupported, 0);
	}
}

static void
rt_opaque(struct codec_msg *m, const struct isakmp_payload *pl, uint8_t type,
	  size_t len)
{
	uint8_t v[256];

	codec_fill(v, len, type);
	if (m != NULL) {
		ck_assert_int_eq(isakmp_build_payload(&m->b, type, v, len), 0);
		return;
	}
	ck_assert_uint_eq(pl->type, type);
	ck_assert_uint_eq(pl->body_len, len);
	ck_assert_mem_eq(pl->body, v, len);
	ck_assert_uint_eq(pl->raw_len, len + 4);
	if (type == ISAKMP_PAYLOAD_NONCE)
		ck_assert_int_eq(payload_nonce_decode(pl->body, len), 0);
}

static void
rt_ke(struct codec_msg *m, const struct isakmp_payload *pl)
{
	rt_opaque(m, pl, ISAKMP_PAYLOAD_KE, 64);
}

static void
rt_nonce(struct codec_msg *m, const struct isakmp_payload *pl)
{
	rt_opaque(m, pl, ISAKMP_PAYLOAD_NONCE, 32);
}

static void
rt_hash(struct codec_msg *m, const struct isakmp_payload *pl)
{
	rt_opaque(m, pl, ISAKMP_PAYLOAD_HASH, 32);
}

static void
rt_sig(struct codec_msg *m, const struct isakmp_payload *pl)
{
	rt_opaque(m, pl, ISAKMP_PAYLOAD_SIG, 256);
}

static void
rt_vid(struct codec_msg *m, const struct isakmp_payload *pl)
{
	rt_opaque(m, pl, ISAKMP_PAYLOAD_VID, 16);
}

static void
rt_id(struct codec_msg *m, const struct isakmp_payload *pl)
{
	static const uint8_t addr[4] = { 192, 168, 0, 1 };
	struct payload_id a = { ISAKMP_ID_IPV4_ADDR, 17, 500, addr, 4 }, b;

	if (m != NULL) {
		ck_assert_int_eq(payload_id_put(&m->b, &a), 0);
		return;
	}
	ck_assert_int_eq(payload_id_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.type, a.type);
	ck_assert_uint_eq(b.proto, 17);
	ck_assert_uint_eq(b.port, 500);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(b.data, addr, 4);
}

static void
rt_group_id(struct codec_msg *m, const struct isakmp_payload *pl)
{
	static const uint8_t want[] = { 11, 0, 0, 0, 0, 0, 0x04, 0xd2 };
	struct payload_id b;
	uint32_t g;

	if (m != NULL) {
		ck_assert_int_eq(payload_group_id_put(&m->b, 1234), 0);
		return;
	}
	/* doc/protocol.md §9.2: ID_KEY_ID, 3 zero octets, 1234 big-endian. */
	ck_assert_uint_eq(pl->body_len, sizeof(want));
	ck_assert_mem_eq(pl->body, want, sizeof(want));
	ck_assert_int_eq(payload_id_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_int_eq(payload_group_id_number(&b, &g), 0);
	ck_assert_uint_eq(g, 1234);
}

static void
rt_cert(struct codec_msg *m, const struct isakmp_payload *pl)
{
	uint8_t der[100];
	struct payload_cert a = { ISAKMP_CERT_X509_SIG, der, sizeof(der) }, b;

	codec_fill(der, sizeof(der), 9);
	if (m != NULL) {
		ck_assert_int_eq(payload_cert_put(&m->b, ISAKMP_PAYLOAD_CERT,
						  &a), 0);
		return;
	}
	ck_assert_int_eq(payload_cert_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.enc, a.enc);
	ck_assert_uint_eq(b.len, a.len);
	ck_assert_mem_eq(b.data, der, a.len);
}

static void
rt_certreq(struct codec_msg *m, const struct isakmp_payload *pl)
{
	struct payload_cert a = { ISAKMP_CERT_X509_SIG, NULL, 0 }, b;

	if (m != NULL) {
		ck_assert_int_eq(payload_cert_put(&m->b, ISAKMP_PAYLOAD_CERTREQ,
						  &a), 0);
		return;
	}
	ck_assert_int_eq(payload_cert_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.enc, ISAKMP_CERT_X509_SIG);
	ck_assert_uint_eq(b.len, 0);
}

static void
rt_notify(struct codec_msg *m, const struct isakmp_payload *pl)
{
	static const uint8_t seq[4] = { 0, 0, 0x12, 0x34 };
	uint8_t spi[16];
	struct payload_notify a = {
		ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP,
		ISAKMP_N_DPD_R_U_THERE, spi, 16, seq, 4,
	}, b;

	memcpy(spi, codec_icookie, 8);
	memcpy(spi + 8, codec_rcookie, 8);
	if (m != NULL) {
		ck_assert_int_eq(payload_notify_put(&m->b, &a), 0);
		return;
	}
	ck_assert_int_eq(payload_notify_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.doi, a.doi);
	ck_assert_uint_eq(b.proto, a.proto);
	ck_assert_uint_eq(b.type, ISAKMP_N_DPD_R_U_THERE);
	ck_assert_uint_eq(b.spi_len, 16);
	ck_assert_mem_eq(b.spi, spi, 16);
	ck_assert_uint_eq(b.data_len, 4);
	ck_assert_mem_eq(b.data, seq, 4);
}

static void
rt_delete(struct codec_msg *m, const struct isakmp_payload *pl)
{
	static const uint8_t spis[12] = { 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4,
					  0x9a, 0xbc, 0xde, 0xf0 };
	struct payload_delete a = {
		ISAKMP_DOI_GDOI, GDOI_PROTO_IPSEC_ESP, 4, 3, spis,
	}, b;

	if (m != NULL) {
		ck_assert_int_eq(payload_delete_put(&m->b, &a), 0);
		return;
	}
	ck_assert_int_eq(payload_delete_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.doi, ISAKMP_DOI_GDOI);
	ck_assert_uint_eq(b.proto, GDOI_PROTO_IPSEC_ESP);
	ck_assert_uint_eq(b.nspi, 3);
	ck_assert_mem_eq(payload_delete_spi(&b, 2), spis + 8, 4);
	ck_assert_ptr_null(payload_delete_spi(&b, 3));
}

static void
rt_gdoi_sa(struct codec_msg *m, const struct isakmp_payload *pl)
{
	struct gdoi_sa a, b;

	codec_sample_gdoi_sa(&a, true);
	if (m != NULL) {
		ck_assert_int_eq(gdoi_sa_put(&m->b, &a), 0);
		return;
	}
	ck_assert_int_eq(gdoi_sa_decode(pl->body, pl->body_len, &b), 0);
	codec_gdoi_sa_eq(&a, &b);
	ck_assert_uint_eq(gdoi_sat_addr_pres(&b.sat[0]),
			  IPSEC_ADDR_PRESERVE_SRC_DST);
	ck_assert_uint_eq(gdoi_sat_direction(&b.sat[0]), IPSEC_SA_DIR_SYMMETRIC);
	ck_assert_ptr_nonnull(gdoi_sat_priv_find(&b.sat[0], 32002));
}

static void
rt_gap(struct codec_msg *m, const struct isakmp_payload *pl)
{
	struct gdoi_gap a = { 0, 0, 4, GDOI_GAP_HAS_SID_REQ }, b;

	if (m != NULL) {
		ck_assert_int_eq(gdoi_gap_put(&m->b, &a), 0);
		return;
	}
	ck_assert_int_eq(gdoi_gap_decode(pl->body, pl->body_len, &b), 0);
	ck_assert_uint_eq(b.flags, GDOI_GAP_HAS_SID_REQ);
	ck_assert_uint_eq(b.sid_request, 4);
}

static void
rt_kd(struct codec_msg *m, const struct isakmp_payload *pl)
{
	struct gdoi_kd a, b;
	const uint8_t *iv, *key;

	codec_sample_kd(&a);
	if (m != NULL) {
		ck_assert_int_eq(gdoi_kd_put(&m->b, &a), 0);
		gdoi_kd_free(&a);
		return;
	}
	ck_assert_int_eq(gdoi_kd_decode(pl->body, pl->body_len, &b), 0);
	codec_kd_eq(&a, &b);
	ck_assert_ptr_eq(gdoi_kd_find_tek(&b, 0x9abcdef0), &b.tek[1]);
	ck_assert_ptr_null(gdoi_kd_find_tek(&b, 1));
	ck_assert_int_eq(gdoi_kd_kek_split(&b.kek, 16, 32, &iv, &key), 0);
	ck_assert_mem_eq(key, a.kek.alg_key + 16, 32);
	ck_assert_int_eq(gdoi_kd_kek_split(&b.kek, 16, 16, &iv, &key), -1);
	gdoi_kd_free(&a);
	gdoi_kd_free(&b);
	ck_assert_uint_eq(b.ntek, 0);
	ck_assert_uint_eq(b.tek[0].alg_key[0], 0);
}

static void
rt_seq(struct codec_msg *m, const struct isakmp_payload *pl)
{
	uint32_t seq;

	if (m != NULL) {
		ck_assert_int_eq(gdoi_seq_put(&m->b, 0xdeadbeef), 0);
		return;
	}
	ck_assert_uint_eq(pl->raw_len, 8);
	ck_assert_int_eq(gdoi_seq_decode(pl->body, pl->body_len, &seq), 0);
	ck_assert_uint_eq(seq, 0xdeadbeef);
	ck_assert_int_eq(gdoi_seq_decode(pl->body, 3, &seq), -1);
}

/* Build with m != NULL, check the decoded payload with m == NULL. */
static const struct {
	const char *name;
	uint8_t type, exch;
	void (*fn)(struct codec_msg *m, const struct isakmp_payload *pl);
} rt_cases[] = {
	{ "SA (Phase 1)", ISAKMP_PAYLOAD_SA, ISAKMP_EXCH_IDENT_PROT, rt_p1sa },
	{ "KE", ISAKMP_PAYLOAD_KE, ISAKMP_EXCH_IDENT_PROT, rt_ke },
	{ "NONCE", ISAKMP_PAYLOAD_NONCE, ISAKMP_EXCH_IDENT_PROT, rt_nonce },
	{ "ID", ISAKMP_PAYLOAD_ID, ISAKMP_EXCH_IDENT_PROT, rt_id },
	{ "ID (group)", ISAKMP_PAYLOAD_ID, GDOI_EXCH_PULL, rt_group_id },
	{ "HASH", ISAKMP_PAYLOAD_HASH, GDOI_EXCH_PULL, rt_hash },
	{ "SIG", ISAKMP_PAYLOAD_SIG, ISAKMP_EXCH_IDENT_PROT, rt_sig },
	{ "CERT", ISAKMP_PAYLOAD_CERT, ISAKMP_EXCH_IDENT_PROT, rt_cert },
	{ "CERTREQ", ISAKMP_PAYLOAD_CERTREQ, ISAKMP_EXCH_IDENT_PROT,
	  rt_certreq },
	{ "N", ISAKMP_PAYLOAD_N, ISAKMP_EXCH_INFO, rt_notify },
	{ "D", ISAKMP_PAYLOAD_D, GDOI_EXCH_PUSH, rt_delete },
	{ "VID", ISAKMP_PAYLOAD_VID, ISAKMP_EXCH_IDENT_PROT, rt_vid },
	{ "SA (GDOI)", ISAKMP_PAYLOAD_SA, GDOI_EXCH_PULL, rt_gdoi_sa },
	{ "GAP", GDOI_PAYLOAD_GAP, GDOI_EXCH_PULL, rt_gap },
	{ "KD", GDOI_PAYLOAD_KD, GDOI_EXCH_PULL, rt_kd },
	{ "SEQ", GDOI_PAYLOAD_SEQ, GDOI_EXCH_PUSH, rt_seq },
};

START_TEST(test_payload_roundtrip)
{
	struct isakmp_chain c;
	struct isakmp_hdr h;
	struct codec_msg m;
	uint8_t flags = rt_cases[_i].exch == GDOI_EXCH_PUSH ? ISAKMP_FLAG_ENC : 0;

	/* Between two HASH payloads, so the links on both sides are tested. */
	codec_msg_begin(&m, rt_cases[_i].exch, flags, 0x55aa55aa);
	rt_hash(&m, NULL);
	rt_cases[_i].fn(&m, NULL);
	rt_hash(&m, NULL);
	codec_msg_end(&m);
	ck_assert_int_eq(isakmp_hdr_decode(&h, buf_data(&m.w), buf_len(&m.w),
					   NULL), 0);
	ck_assert_uint_eq(h.msgid, 0x55aa55aa);
	ck_assert_uint_eq(h.exch, rt_cases[_i].exch);
	ck_assert_int_eq(isakmp_chain_parse(&c, h.next,
					    buf_data(&m.w) + ISAKMP_HDR_LEN,
					    buf_len(&m.w) - ISAKMP_HDR_LEN), 0);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_uint_eq(c.pl[1].type, rt_cases[_i].type);
	rt_hash(NULL, &c.pl[0]);
	rt_cases[_i].fn(NULL, &c.pl[1]);
	rt_hash(NULL, &c.pl[2]);
	ck_assert_int_eq(codec_decode_msg(buf_data(&m.w), buf_len(&m.w), &c), 0);
	buf_writer_free(&m.w);
}
END_TEST

/* ---- canned messages ---- */

START_TEST(test_canned_decodes)
{
	static const uint8_t want[CODEC_CANNED_COUNT][4] = {
		{ ISAKMP_PAYLOAD_SA, ISAKMP_PAYLOAD_VID },
		{ ISAKMP_PAYLOAD_HASH, ISAKMP_PAYLOAD_NONCE, ISAKMP_PAYLOAD_SA },
		{ ISAKMP_PAYLOAD_HASH, GDOI_PAYLOAD_SEQ, GDOI_PAYLOAD_KD },
		{ ISAKMP_PAYLOAD_HASH, ISAKMP_PAYLOAD_NONCE, ISAKMP_PAYLOAD_SA },
		{ ISAKMP_PAYLOAD_SA, ISAKMP_PAYLOAD_VID },
	};
	struct isakmp_chain c;
	struct codec_msg m;
	size_t i;

	codec_canned_build((enum codec_canned)_i, &m);
	ck_assert_int_eq(codec_decode_msg(buf_data(&m.w), buf_len(&m.w), &c), 0);
	ck_assert_uint_eq(c.end, buf_len(&m.w) - ISAKMP_HDR_LEN);
	for (i = 0; i < c.n; i++)
		ck_assert_uint_eq(c.pl[i].type, want[_i][i]);
	ck_assert_uint_eq(want[_i][c.n], 0);
	buf_writer_free(&m.w);
}
END_TEST


/* Every payload body of the message, cut at every length, alone. */
static void
truncate_bodies(const struct isakmp_chain *c, uint8_t exch)
{
	struct isakmp_payload pl;
	size_t i, n;
	uint8_t *cut;
	int rc;

	for (i = 0; i < c->n; i++) {
		for (n = 0; n < c->pl[i].body_len; n++) {
			pl = c->pl[i];
			cut = codec_exact_copy(pl.body, n);
			pl.body = cut;
			pl.body_len = n;
			rc = codec_decode_payload(&pl, exch);
			ck_assert(rc == 0 || rc == -1);
			/* Structured bodies must fill their payload exactly. */
			if (pl.type == ISAKMP_PAYLOAD_SA ||
			    pl.type == GDOI_PAYLOAD_KD ||
			    pl.type == GDOI_PAYLOAD_SEQ)
				ck_assert_int_eq(rc, -1);
			free(cut);
		}
	}
}

START_TEST(test_canned_truncations)
{
	struct isakmp_chain c;
	struct codec_msg m;
	size_t n, len;
	uint8_t *cut;

	codec_canned_build((enum codec_canned)_i, &m);
	len = buf_len(&m.w);
	for (n = 0; n < len; n++) {
		cut = codec_exact_copy(buf_data(&m.w), n);
		/* As received: the header Length no longer matches. */
		ck_assert_int_eq(codec_decode_msg(cut, n, &c), -1);
		/* With a consistent header the chain itself must refuse. */
		if (n >= ISAKMP_HDR_LEN) {
			cut[24] = (uint8_t)(n >> 24);
			cut[25] = (uint8_t)(n >> 16);
			cut[26] = (uint8_t)(n >> 8);
			cut[27] = (uint8_t)n;
			ck_assert_int_eq(codec_decode_msg(cut, n, &c), -1);
		}
		free(cut);
	}
	ck_assert_int_eq(codec_decode_msg(buf_data(&m.w), len, &c), 0);
	truncate_bodies(&c, buf_data(&m.w)[18]);
	buf_writer_free(&m.w);
}
END_TEST

START_TEST(test_canned_bitflips)
{
	struct isakmp_chain c;
	struct codec_msg m;
	size_t bit, len;
	unsigned ok = 0, bad = 0;
	uint8_t *f;
	int rc;

	codec_canned_build((enum codec_canned)_i, &m);
	len = buf_len(&m.w);
	for (bit = 0; bit < len * 8; bit++) {
		f = codec_exact_copy(buf_data(&m.w), len);
		f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rc = codec_decode_msg(f, len, &c);
		ck_assert(rc == 0 || rc == -1);
		/* Flips in the header Length can never be accepted. */
		if (bit / 8 >= 24 && bit / 8 < 28)
			ck_assert_int_eq(rc, -1);
		rc == 0 ? ok++ : bad++;
		free(f);
	}
	/* Opaque octets (cookies, HASH, keys) decode; lengths do not. */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(bad, 0);
	buf_writer_free(&m.w);
}
END_TEST

/* ---- SAT ID-length layouts ---- */

/* A SAT body with subnet selectors and ID lengths of width octets. */
static void
sat_body(struct buf_writer *w, int width, uint8_t src_len)
{
	static const uint8_t sub[8] = { 10, 1, 0, 0, 255, 255, 0, 0 };

	buf_writer_init(w);
	buf_put_u8(w, GDOI_PROTO_IPSEC_ESP);
	buf_put_u8(w, 0);
	buf_put_u8(w, ISAKMP_ID_IPV4_ADDR_SUBNET);
	buf_put_u16(w, 0);
	width == 2 ? buf_put_u16(w, src_len) : buf_put_u8(w, src_len);
	buf_put_bytes(w, sub, 8);
	buf_put_u8(w, ISAKMP_ID_IPV4_ADDR_SUBNET);
	buf_put_u16(w, 0);
	width == 2 ? buf_put_u16(w, 8) : buf_put_u8(w, 8);
	buf_put_bytes(w, sub, 8);
	buf_put_u8(w, IPSEC_ESP_AES);
	buf_put_u32(w, 0x0badcafe);
	attr_put_tv(w, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_SECONDS);
	attr_put_bv(w, IPSEC_ATTR_SA_LIFE_DURATION, 3600);
	attr_put_tv(w, IPSEC_ATTR_AUTH_ALGORITHM, IPSEC_AUTH_HMAC_SHA2_256);
}

static const struct {
	const char *name;
	int width;
	uint8_t src_len;
	int rc;
} sat_layout_cases[] = {
	{ "2-octet lengths (emitted form)", 2, 8, 0 },
	{ "1-octet lengths (fallback)", 1, 8, 0 },
	{ "2-octet, wrong length for a subnet", 2, 4, -1 },
	{ "1-octet, wrong length for a subnet", 1, 7, -1 },
};

START_TEST(test_sat_layouts)
{
	struct buf_writer w;
	struct gdoi_sat sat;

	sat_body(&w, sat_layout_cases[_i].width, sat_layout_cases[_i].src_len);
	ck_assert_int_eq(gdoi_sat_decode(buf_data(&w), buf_len(&w), &sat),
			 sat_layout_cases[_i].rc);
	if (sat_layout_cases[_i].rc == 0) {
		ck_assert_uint_eq(sat.src.type, ISAKMP_ID_IPV4_ADDR_SUBNET);
		ck_assert_uint_eq(sat.src.len, 8);
		ck_assert_uint_eq(sat.dst.data[4], 255);
		ck_assert_uint_eq(sat.transform, IPSEC_ESP_AES);
		ck_assert_uint_eq(sat.spi, 0x0badcafe);
		ck_assert_uint_eq(sat.life_sec, 3600);
		ck_assert_uint_eq(sat.auth_alg, IPSEC_AUTH_HMAC_SHA2_256);
	} else {
		ck_assert_uint_eq(sat.spi, 0);
	}
	buf_writer_free(&w);
}
END_TEST

/* The emitted SAT has 2-octet ID lengths and TLV lifetimes > 65535. */
START_TEST(test_sat_wire_form)
{
	static const uint8_t life_tlv[] = { 0x00, 0x02, 0x00, 0x04,
					    0x00, 0x01, 0x51, 0x80 };
	static const uint8_t life_tv[] = { 0x80, 0x02, 0x0e, 0x10 };
	static const uint8_t kek_life[] = { 0x00, 0x04, 0x00, 0x04,
					    0x00, 0x00, 0x0e, 0x10 };
	struct gdoi_sa sa;
	struct codec_msg m;
	struct isakmp_chain c;
	const struct isakmp_payload *pl;
	struct isakmp_iter it;
	struct isakmp_payload sub[4];
	const uint8_t *b;
	int n = 0;

	codec_sample_gdoi_sa(&sa, false);
	sa.sak.lifetime = 3600;		/* KEK lifetime: TLV/4 even when small */
	codec_msg_begin(&m, GDOI_EXCH_PULL, 0, 1);
	ck_assert_int_eq(gdoi_sa_put(&m.b, &sa), 0);
	codec_msg_end(&m);
	ck_assert_int_eq(codec_decode_msg(buf_data(&m.w), buf_len(&m.w), &c), 0);
	pl = isakmp_chain_find(&c, ISAKMP_PAYLOAD_SA);
	ck_assert_ptr_nonnull(pl);
	ck_assert_uint_eq(pl->body[9], GDOI_PAYLOAD_SAK);	/* low octet */
	isakmp_iter_init(&it, pl->body[9], pl->body + 12, pl->body_len - 12);
	while (n < 4 && isakmp_iter_next(&it, &sub[n]) == 1)
		n++;
	ck_assert_int_eq(n, 3);
	ck_assert(memmem(sub[0].body, sub[0].body_len, kek_life, 8) != NULL);
	/* SAK: 1-octet ID lengths at body offsets 4 and 9 + n1. */
	ck_assert_uint_eq(sub[0].body[4], 4);
	b = sub[1].body;
	/* SAT: Data Length of the source ID is 2 octets at body offset 5. */
	ck_assert_uint_eq(b[5], 0);
	ck_assert_uint_eq(b[6], 8);
	ck_assert(memmem(b, sub[1].body_len, life_tv, 4) != NULL);
	ck_assert(memmem(sub[2].body, sub[2].body_len, life_tlv, 8) != NULL);
	buf_writer_free(&m.w);
}
END_TEST

/* ---- SA payloads that must be refused ---- */

enum sa_damage { SA_GARBAGE, SA_GARBAGE_HDR, SA_BAD_DOI, SA_BAD_SIT,
		 SA_SAT_BEFORE_SAK, SA_TWO_SAK, SA_EMPTY, SA_P1_GARBAGE,
		 SA_P1_BAD_DOI, SA_P1_NO_XFORM, SA_DAMAGE_COUNT };

/* An SA body (DOI 2, Situation 0) whose nested chain breaks the order. */
static uint8_t *
sa_bad_chain(int k, const struct gdoi_sa *sa, size_t *len)
{
	struct buf_writer w;
	struct isakmp_builder ib;
	uint8_t *body;

	buf_writer_init(&w);
	buf_put_u32(&w, ISAKMP_DOI_GDOI);
	buf_put_u32(&w, ISAKMP_SIT_NONE);
	buf_put_u16(&w, 0);
	buf_put_u16(&w, 0);
	isakmp_build_init(&ib, &w, 9);
	if (k == SA_SAT_BEFORE_SAK)
		gdoi_sat_put(&ib, &sa->sat[0]);
	if (k != SA_EMPTY) {
		gdoi_sak_put(&ib, &sa->sak);
		gdoi_sak_put(&ib, &sa->sak);
	}
	ck_assert(!buf_writer_failed(&w));
	*len = buf_len(&w);
	body = codec_exact_copy(buf_data(&w), *len);
	buf_writer_free(&w);
	return body;
}

/* The body of a well-formed SA, damaged as case k says. */
static uint8_t *
sa_damaged(int k, const uint8_t *good, size_t *len)
{
	uint8_t tmp[512];

	ck_assert_uint_le(*len + 4, sizeof(tmp));
	memcpy(tmp, good, *len);
	switch (k) {
	case SA_GARBAGE:
	case SA_P1_GARBAGE:
		memcpy(tmp + *len, "junk", 3);
		*len += 3;
		break;
	case SA_GARBAGE_HDR:	/* looks like a payload header, still junk */
		memcpy(tmp + *len, "\0\0\0\4", 4);
		*len += 4;
		break;
	case SA_BAD_DOI:
		tmp[3] = ISAKMP_DOI_IPSEC;
		break;
	case SA_P1_BAD_DOI:
		tmp[3] = ISAKMP_DOI_ISAKMP;
		break;
	case SA_P1_NO_XFORM:	/* the proposal claims 0 transforms */
		tmp[15] = 0;
		break;
	case SA_BAD_SIT:
		tmp[7] = 1;
		break;
	}
	return codec_exact_copy(tmp, *len);
}

START_TEST(test_sa_refused)
{
	struct gdoi_sa sa, out;
	struct payload_sa p1, p1out;
	struct codec_msg m;
	struct isakmp_chain c;
	uint8_t *body;
	size_t len;
	int rc;

	codec_sample_gdoi_sa(&sa, true);
	codec_msg_begin(&m, GDOI_EXCH_PULL, 0, 1);
	if (_i >= SA_P1_GARBAGE) {
		codec_sample_p1sa(&p1, ISAKMP_DOI_GDOI);
		payload_sa_put(&m.b, &p1);
	} else {
		gdoi_sa_put(&m.b, &sa);
	}
	codec_msg_end(&m);
	ck_assert_int_eq(isakmp_chain_parse(&c, ISAKMP_PAYLOAD_SA,
		buf_data(&m.w) + 28, buf_len(&m.w) - 28), 0);
	len = c.pl[0].body_len;
	if (_i == SA_SAT_BEFORE_SAK || _i == SA_TWO_SAK || _i == SA_EMPTY)
		body = sa_bad_chain(_i, &sa, &len);
	else
		body = sa_damaged(_i, c.pl[0].body, &len);
	if (_i >= SA_P1_GARBAGE)
		rc = payload_sa_decode(body, len, &p1out);
	else
		rc = gdoi_sa_decode(body, len, &out);
	ck_assert_int_eq(rc, -1);
	free(body);
	buf_writer_free(&m.w);
}
END_TEST

/* ---- KD bodies that must be refused ---- */

static const struct {
	const char *name;
	uint8_t bytes[32];
	size_t len;
} kd_bad_cases[] = {
	{ "count 0", { 0, 0, 0, 0 }, 4 },
	{ "count 2, one packet", { 0, 2, 0, 0, 1, 0, 0, 14, 4, 0, 0, 0, 1,
	  0, 1, 0, 1, 0xaa }, 18 },
	{ "TEK without key", { 0, 1, 0, 0, 1, 0, 0, 9, 4, 0, 0, 0, 1 }, 13 },
	{ "TEK SPI size 16", { 0, 1, 0, 0, 1, 0, 0, 13, 16, 0, 0, 0, 1, 0, 1,
	  0, 1, 0xaa }, 18 },
	{ "LKH", { 0, 1, 0, 0, 3, 0, 0, 5, 0 }, 9 },
	{ "packet length 4", { 0, 1, 0, 0, 1, 0, 0, 4 }, 8 },
	{ "packet past the end", { 0, 1, 0, 0, 1, 0, 0, 40, 4, 0, 0, 0, 1 },
	  13 },
	{ "trailing octets", { 0, 1, 0, 0, 1, 0, 0, 14, 4, 0, 0, 0, 1, 0, 1,
	  0, 1, 0xaa, 0xee }, 19 },
	{ "SID wider than its bits", { 0, 1, 0, 0, 4, 0, 0, 17, 0, 0x80, 1,
	  0, 8, 0, 2, 0, 4, 0, 0, 1, 0 }, 21 },
	{ "SID without bits", { 0, 1, 0, 0, 4, 0, 0, 13, 0, 0, 2, 0, 4, 0, 0,
	  0, 5 }, 17 },
	{ "key as TV", { 0, 1, 0, 0, 1, 0, 0, 13, 4, 0, 0, 0, 1, 0x80, 1, 0,
	  1 }, 17 },
};

START_TEST(test_kd_refused)
{
	struct gdoi_kd kd;
	uint8_t *p = codec_exact_copy(kd_bad_cases[_i].bytes, kd_bad_cases[_i].len);

	memset(&kd, 0x5a, sizeof(kd));
	ck_assert_int_eq(gdoi_kd_decode(p, kd_bad_cases[_i].len, &kd), -1);
	/* A refused KD leaves no key octets behind. */
	ck_assert_uint_eq(kd.ntek, 0);
	ck_assert_uint_eq(kd.tek[0].alg_key[0], 0);
	ck_assert_uint_eq(kd.kek.alg_key[0], 0);
	free(p);
}
END_TEST

START_TEST(test_kd_accepts_short_sid)
{
	/* SID_VALUE in 2 octets is accepted ([D] 1..8), bits 12. */
	static const uint8_t in[] = { 0, 1, 0, 0, 4, 0, 0, 15, 0, 0x80, 1, 0,
				      12, 0, 2, 0, 2, 0x0f, 0xff };
	struct gdoi_kd kd;

	ck_assert_int_eq(gdoi_kd_decode(in, sizeof(in), &kd), 0);
	ck_assert(kd.has_sid && !kd.has_kek);
	ck_assert_uint_eq(kd.sid.nbits, 12);
	ck_assert_uint_eq(kd.sid.nsid, 1);
	ck_assert_uint_eq(kd.sid.sid[0], 0xfff);
	gdoi_kd_free(&kd);
}
END_TEST

/* Key attributes at and just past their buffer sizes. */
static const struct {
	uint8_t kd_type, attr;
	size_t len;
	int rc;
} kd_bound_cases[] = {
	{ GDOI_KD_TEK, GDOI_ATTR_TEK_ALGORITHM_KEY, GDOI_KD_KEY_MAX, 0 },
	{ GDOI_KD_TEK, GDOI_ATTR_TEK_ALGORITHM_KEY, GDOI_KD_KEY_MAX + 1, -1 },
	{ GDOI_KD_TEK, GDOI_ATTR_TEK_INTEGRITY_KEY, GDOI_KD_KEY_MAX + 1, -1 },
	{ GDOI_KD_KEK, GDOI_ATTR_KEK_ALGORITHM_KEY, GDOI_KD_KEY_MAX + 1, -1 },
	{ GDOI_KD_KEK, GDOI_ATTR_SIG_ALGORITHM_KEY, GDOI_KD_SIGKEY_MAX, 0 },
	{ GDOI_KD_KEK, GDOI_ATTR_SIG_ALGORITHM_KEY, GDOI_KD_SIGKEY_MAX + 1, -1 },
};

START_TEST(test_kd_key_bounds)
{
	static uint8_t key[GDOI_KD_SIGKEY_MAX + 1];
	struct buf_writer w;
	struct gdoi_kd kd;
	size_t mark, start;
	bool tek = kd_bound_cases[_i].kd_type == GDOI_KD_TEK;
	uint8_t *p;

	buf_writer_init(&w);
	buf_put_u16(&w, 1);
	buf_put_u16(&w, 0);
	start = buf_len(&w);
	buf_put_u8(&w, kd_bound_cases[_i].kd_type);
	buf_put_u8(&w, 0);
	buf_len16_begin(&w, &mark);
	buf_put_u8(&w, tek ? 4 : 16);
	buf_put_zero(&w, tek ? 4 : 16);
	if (kd_bound_cases[_i].attr != 1)	/* the required key, short */
		attr_put_tlv(&w, 1, key, 16);
	attr_put_tlv(&w, kd_bound_cases[_i].attr, key, kd_bound_cases[_i].len);
	ck_assert_int_eq(buf_len16_end(&w, mark, start), 0);
	p = codec_exact_copy(buf_data(&w), buf_len(&w));
	ck_assert_int_eq(gdoi_kd_decode(p, buf_len(&w), &kd),
			 kd_bound_cases[_i].rc);
	gdoi_kd_free(&kd);
	free(p);
	buf_writer_free(&w);
}
END_TEST

/* A SAK whose source ID (FQDN, no fixed size) has 31..34 data octets. */
START_TEST(test_sak_id_bounds)
{
	static const uint8_t addr[4] = { 239, 192, 1, 1 };
	size_t len = GDOI_ID_DATA_MAX - 1 + (size_t)_i;
	struct gdoi_sak out;
	struct buf_writer w;
	uint8_t *p;

	buf_writer_init(&w);
	buf_put_u8(&w, 17);
	buf_put_u8(&w, ISAKMP_ID_FQDN);
	buf_put_u16(&w, 848);
	buf_put_u8(&w, (uint8_t)len);
	buf_put_zero(&w, len);
	buf_put_u8(&w, ISAKMP_ID_IPV4_ADDR);
	buf_put_u16(&w, 848);
	buf_put_u8(&w, 4);
	buf_put_bytes(&w, addr, 4);
	buf_put_bytes(&w, codec_icookie, 8);
	buf_put_bytes(&w, codec_rcookie, 8);
	buf_put_u32(&w, 0);
	attr_put_tv(&w, GDOI_ATTR_KEK_ALGORITHM, GDOI_KEK_ALG_AES);
	p = codec_exact_copy(buf_data(&w), buf_len(&w));
	ck_assert_int_eq(gdoi_sak_decode(p, buf_len(&w), &out),
			 (len <= GDOI_ID_DATA_MAX ? 0 : -1));
	if (len <= GDOI_ID_DATA_MAX) {
		ck_assert_uint_eq(out.src.len, len);
		ck_assert_mem_eq(out.dst.data, addr, 4);
		ck_assert_mem_eq(out.spi + 8, codec_rcookie, 8);
		ck_assert_uint_eq(out.alg, GDOI_KEK_ALG_AES);
	}
	free(p);
	buf_writer_free(&w);
}
END_TEST

/* The one payload-table type: each way a chain can break its spec. */
static void
chain_of(struct isakmp_chain *c, const uint8_t *types, size_t n)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c->pl[c->n++].type = types[i];
}

START_TEST(test_chain_match_spec)
{
	static const struct isakmp_spec spec = {
		.name = "t",
		.required = ISAKMP_PL(ISAKMP_PAYLOAD_KE) |
			    ISAKMP_PL(ISAKMP_PAYLOAD_NONCE),
		.optional = ISAKMP_PL(GDOI_PAYLOAD_GAP),
		.repeatable = ISAKMP_PL(ISAKMP_PAYLOAD_VID),
	};
	static const struct {
		uint8_t t[6];
		size_t n, first;
		const char *why;	/* NULL: matches */
	} cases[] = {
		{ { 4, 10 }, 2, 0, NULL },
		{ { 10, 13, 4, 13, 22 }, 5, 0, NULL },
		{ { 8, 4, 10 }, 3, 1, NULL },		/* HASH skipped */
		{ { 8, 4, 10 }, 3, 0, "unexpected HASH payload" },
		{ { 4 }, 1, 0, "missing NONCE payload" },
		{ { 4, 10, 4 }, 3, 0, "repeated KE payload" },
		{ { 4, 10, 22, 22 }, 4, 0, "repeated GAP payload" },
		{ { 4, 10, 200 }, 3, 0, "unexpected" },
		{ { 0 }, 0, 0, "missing" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct isakmp_chain c;
		const char *why;

		chain_of(&c, cases[i].t, cases[i].n);
		why = isakmp_chain_match(&c, cases[i].first, &spec);
		if (cases[i].why == NULL)
			ck_assert_msg(why == NULL, "case %zu: %s", i, why);
		else
			ck_assert_msg(why != NULL && strncmp(why, cases[i].why,
					strlen(cases[i].why)) == 0,
				      "case %zu: %s", i, why ? why : "match");
	}
}
END_TEST

Suite *
suite_codec(void)
{
	Suite *s = suite_create("codec");
	TCase *pl = tcase_create("payloads");
	TCase *rb = tcase_create("robustness");

	suite_add_tcase(s, codec_tcase_framing());
	tcase_add_loop_test(pl, test_payload_roundtrip, 0, NCASES(rt_cases));
	tcase_add_loop_test(pl, test_canned_decodes, 0, CODEC_CANNED_COUNT);
	tcase_add_loop_test(pl, test_sat_layouts, 0, NCASES(sat_layout_cases));
	tcase_add_test(pl, test_sat_wire_form);
	tcase_add_test(pl, test_chain_match_spec);
	tcase_add_loop_test(pl, test_sa_refused, 0, SA_DAMAGE_COUNT);
	tcase_add_loop_test(pl, test_kd_refused, 0, NCASES(kd_bad_cases));
	tcase_add_test(pl, test_kd_accepts_short_sid);
	tcase_add_loop_test(pl, test_kd_key_bounds, 0, NCASES(kd_bound_cases));
	tcase_add_loop_test(pl, test_sak_id_bounds, 0, 4);
	suite_add_tcase(s, pl);

	tcase_add_loop_test(rb, test_canned_truncations, 0, CODEC_CANNED_COUNT);
	tcase_add_loop_test(rb, test_canned_bitflips, 0, CODEC_CANNED_COUNT);
	tcase_set_timeout(rb, 60);
	suite_add_tcase(s, rb);

	suite_add_tcase(s, codec_tcase_pcap());
	return s;
}
