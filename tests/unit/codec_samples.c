/*
 * codec_samples: shared material of the codec suite (check_codec.c):
 * sample payload structs, field-by-field comparisons, a message builder,
 * a decoder that runs every payload codec of a message, and the canned
 * messages used for round trips, robustness and the capture test.
 */
#include "codec_samples.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/attr.h"
#include "gdoi/payload.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

const uint8_t codec_icookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
const uint8_t codec_rcookie[8] = { 0x11, 0x12, 0x13, 0x14,
				    0x15, 0x16, 0x17, 0x18 };
const uint8_t codec_dpd_vid[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

/* ---- samples ---- */

void
codec_sample_p1sa(struct payload_sa *sa, uint32_t doi)
{
	static const struct payload_xform x[] = {
		{ 1, 1, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256,
		  IKE_AUTH_PRE_SHARED, 19, 86400, 0, 0 },
		{ 2, 1, IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA2_256,
		  IKE_AUTH_RSA_SIG, 19, 3600, 0, 0 },
		{ 3, 1, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_384,
		  IKE_AUTH_PRE_SHARED, 20, 86400, 4608000, 0 },
		{ 4, 1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA1,
		  IKE_AUTH_PRE_SHARED, 14, 0, 0, 0 },
	};

	memset(sa, 0, sizeof(*sa));
	sa->doi = doi;
	sa->situation = doi == ISAKMP_DOI_IPSEC ? IPSEC_SIT_IDENTITY_ONLY
						: ISAKMP_SIT_NONE;
	sa->prop_num = 1;
	sa->proto = ISAKMP_PROTO_ISAKMP;
	sa->nxform = NCASES(x);
	memcpy(sa->xform, x, sizeof(x));
}

void
codec_sample_gdoi_sa(struct gdoi_sa *sa, bool gap)
{
	struct gdoi_sat *s;
	uint8_t w[4] = { 0, 0, 0x13, 0x88 };
	uint8_t pt[8] = { 0, 0, 1, 2, 3, 4, 5, 6 };

	memset(sa, 0, sizeof(*sa));
	sa->has_sak = true;
	sa->sak.proto = 17;
	gdoi_id_ipv4(&sa->sak.src, 0x0a000001, 848);
	gdoi_id_ipv4(&sa->sak.dst, 0xefc00101, 848);
	memcpy(sa->sak.spi, codec_icookie, 8);
	memcpy(sa->sak.spi + 8, codec_rcookie, 8);
	sa->sak.alg = GDOI_KEK_ALG_AES;
	sa->sak.keylen = 256;
	sa->sak.lifetime = 86400;
	sa->sak.sig_hash = GDOI_SIG_HASH_SHA256;
	sa->sak.sig_alg = GDOI_SIG_ALG_RSA;
	sa->sak.sig_keylen = 2048;
	sa->has_gap = gap;
	sa->gap.atd = 15;
	sa->gap.dtd = 30;
	sa->gap.flags = GDOI_GAP_HAS_ATD | GDOI_GAP_HAS_DTD;
	sa->nsat = 2;
	s = &sa->sat[0];
	s->proto_id = GDOI_PROTO_IPSEC_ESP;
	gdoi_id_ipv4_subnet(&s->src, 0x0a010000, 0xffff0000, 0);
	gdoi_id_ipv4_subnet(&s->dst, 0x0a020000, 0xffff0000, 0);
	s->transform = IPSEC_ESP_AES_GCM_16;
	s->spi = 0x12345678;
	s->life_sec = 3600;
	s->encap = IPSEC_ENCAP_TUNNEL;
	s->keylen = 256;
	ck_assert_int_eq(gdoi_sat_priv_add(s, 32001, w, sizeof(w)), 0);
	ck_assert_int_eq(gdoi_sat_priv_add(s, 32002, pt, sizeof(pt)), 0);
	s = &sa->sat[1];
	s->proto_id = GDOI_PROTO_IPSEC_ESP;
	s->ip_proto = 6;
	gdoi_id_ipv4_range(&s->src, 0x0a030001, 0x0a0300fe, 0);
	gdoi_id_ipv4(&s->dst, 0x0a040001, 80);
	s->transform = IPSEC_ESP_AES;
	s->spi = 0x9abcdef0;
	s->life_sec = 86400;
	s->encap = IPSEC_ENCAP_TUNNEL;
	s->auth_alg = IPSEC_AUTH_HMAC_SHA2_256;
	s->keylen = 128;
	s->addr_pres = IPSEC_ADDR_PRESERVE_SRC_DST;
	s->direction = IPSEC_SA_DIR_SYMMETRIC;
}

void
codec_fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

void
codec_sample_kd(struct gdoi_kd *kd)
{
	memset(kd, 0, sizeof(*kd));
	kd->ntek = 2;
	kd->tek[0].spi = 0x12345678;
	kd->tek[0].alg_key_len = 36;
	codec_fill(kd->tek[0].alg_key, 36, 1);
	kd->tek[1].spi = 0x9abcdef0;
	kd->tek[1].alg_key_len = 16;
	codec_fill(kd->tek[1].alg_key, 16, 2);
	kd->tek[1].int_key_len = 32;
	codec_fill(kd->tek[1].int_key, 32, 3);
	kd->has_kek = true;
	memcpy(kd->kek.spi, codec_icookie, 8);
	memcpy(kd->kek.spi + 8, codec_rcookie, 8);
	kd->kek.alg_key_len = 48;
	codec_fill(kd->kek.alg_key, 48, 4);
	kd->kek.sig_key_len = 294;
	codec_fill(kd->kek.sig_key, 294, 5);
	kd->has_sid = true;
	kd->sid.nbits = 16;
	kd->sid.nsid = 2;
	kd->sid.sid[0] = 5;
	kd->sid.sid[1] = 0xfffe;
}

/* ---- field-by-field comparisons ---- */

static void
codec_id_eq(const struct gdoi_id *a, const struct gdoi_id *b)
{
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->port, b->port);
	ck_assert_uint_eq(a->len, b->len);
	ck_assert_mem_eq(a->data, b->data, a->len);
}

void
codec_sak_eq(const struct gdoi_sak *a, const struct gdoi_sak *b)
{
	ck_assert_uint_eq(a->proto, b->proto);
	codec_id_eq(&a->src, &b->src);
	codec_id_eq(&a->dst, &b->dst);
	ck_assert_mem_eq(a->spi, b->spi, ISAKMP_SPI_LEN);
	ck_assert_uint_eq(a->mgmt_alg, b->mgmt_alg);
	ck_assert_uint_eq(a->alg, b->alg);
	ck_assert_uint_eq(a->keylen, b->keylen);
	ck_assert_uint_eq(a->lifetime, b->lifetime);
	ck_assert_uint_eq(a->sig_hash, b->sig_hash);
	ck_assert_uint_eq(a->sig_alg, b->sig_alg);
	ck_assert_uint_eq(a->sig_keylen, b->sig_keylen);
	ck_assert_uint_eq(a->ack_requested, b->ack_requested);
	ck_assert_uint_eq(a->unsupported, b->unsupported);
}

void
codec_sat_eq(const struct gdoi_sat *a, const struct gdoi_sat *b)
{
	size_t i;

	ck_assert_uint_eq(a->proto_id, b->proto_id);
	ck_assert_uint_eq(a->ip_proto, b->ip_proto);
	codec_id_eq(&a->src, &b->src);
	codec_id_eq(&a->dst, &b->dst);
	ck_assert_uint_eq(a->transform, b->transform);
	ck_assert_uint_eq(a->spi, b->spi);
	ck_assert_uint_eq(a->life_sec, b->life_sec);
	ck_assert_uint_eq(a->life_kb, b->life_kb);
	ck_assert_uint_eq(a->encap, b->encap);
	ck_assert_uint_eq(a->auth_alg, b->auth_alg);
	ck_assert_uint_eq(a->keylen, b->keylen);
	ck_assert_uint_eq(a->addr_pres, b->addr_pres);
	ck_assert_uint_eq(a->direction, b->direction);
	ck_assert_uint_eq(a->unsupported, b->unsupported);
	ck_assert_uint_eq(a->npriv, b->npriv);
	for (i = 0; i < a->npriv; i++) {
		ck_assert_uint_eq(a->priv[i].type, b->priv[i].type);
		ck_assert_uint_eq(a->priv[i].len, b->priv[i].len);
		ck_assert_mem_eq(a->priv[i].val, b->priv[i].val, a->priv[i].len);
	}
}

void
codec_gdoi_sa_eq(const struct gdoi_sa *a, const struct gdoi_sa *b)
{
	size_t i;

	ck_assert_int_eq(a->has_sak, b->has_sak);
	if (a->has_sak)
		codec_sak_eq(&a->sak, &b->sak);
	ck_assert_int_eq(a->has_gap, b->has_gap);
	if (a->has_gap) {
		ck_assert_uint_eq(a->gap.flags, b->gap.flags);
		ck_assert_uint_eq(a->gap.atd, b->gap.atd);
		ck_assert_uint_eq(a->gap.dtd, b->gap.dtd);
		ck_assert_uint_eq(a->gap.sid_request, b->gap.sid_request);
	}
	ck_assert_uint_eq(a->nsat, b->nsat);
	for (i = 0; i < a->nsat; i++)
		codec_sat_eq(&a->sat[i], &b->sat[i]);
}

void
codec_kd_eq(const struct gdoi_kd *a, const struct gdoi_kd *b)
{
	size_t i;

	ck_assert_uint_eq(a->ntek, b->ntek);
	for (i = 0; i < a->ntek; i++) {
		ck_assert_uint_eq(a->tek[i].spi, b->tek[i].spi);
		ck_assert_uint_eq(a->tek[i].alg_key_len, b->tek[i].alg_key_len);
		ck_assert_mem_eq(a->tek[i].alg_key, b->tek[i].alg_key,
				 a->tek[i].alg_key_len);
		ck_assert_uint_eq(a->tek[i].int_key_len, b->tek[i].int_key_len);
		ck_assert_mem_eq(a->tek[i].int_key, b->tek[i].int_key,
				 a->tek[i].int_key_len);
	}
	ck_assert_int_eq(a->has_kek, b->has_kek);
	ck_assert_mem_eq(a->kek.spi, b->kek.spi, ISAKMP_SPI_LEN);
	ck_assert_uint_eq(a->kek.alg_key_len, b->kek.alg_key_len);
	ck_assert_mem_eq(a->kek.alg_key, b->kek.alg_key, a->kek.alg_key_len);
	ck_assert_uint_eq(a->kek.sig_key_len, b->kek.sig_key_len);
	ck_assert_mem_eq(a->kek.sig_key, b->kek.sig_key, a->kek.sig_key_len);
	ck_assert_int_eq(a->has_sid, b->has_sid);
	ck_assert_uint_eq(a->sid.nbits, b->sid.nbits);
	ck_assert_uint_eq(a->sid.nsid, b->sid.nsid);
	for (i = 0; i < a->sid.nsid; i++)
		ck_assert_uint_eq(a->sid.sid[i], b->sid.sid[i]);
}

/* ---- message framing ---- */

void
codec_msg_begin(struct codec_msg *m, uint8_t exch, uint8_t flags,
		uint32_t msgid)
{
	struct isakmp_hdr h;

	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, codec_icookie, 8);
	if (exch != ISAKMP_EXCH_IDENT_PROT)
		memcpy(h.rcookie, codec_rcookie, 8);
	h.version = ISAKMP_VERSION;
	h.exch = exch;
	h.flags = flags;
	h.msgid = msgid;
	buf_writer_init(&m->w);
	ck_assert_int_eq(isakmp_hdr_put(&m->w, &h, &m->hoff), 0);
	isakmp_build_init(&m->b, &m->w, m->hoff + ISAKMP_HDR_NEXT_OFF);
}

void
codec_msg_end(struct codec_msg *m)
{
	ck_assert_int_eq(isakmp_hdr_patch_len(&m->w, m->hoff), 0);
	ck_assert(!buf_writer_failed(&m->w));
}

/* Decode one payload by type; exch tells the two SA layouts apart. */
int
codec_decode_payload(const struct isakmp_payload *pl, uint8_t exch)
{
	union {
		struct payload_sa p1;
		struct gdoi_sa sa;
		struct payload_id id;
		struct payload_cert cert;
		struct payload_notify n;
		struct payload_delete d;
		struct gdoi_kd kd;
		struct gdoi_gap gap;
	} u;
	uint32_t seq;
	int rc;

	switch (pl->type) {
	case ISAKMP_PAYLOAD_SA:
		if (exch == ISAKMP_EXCH_IDENT_PROT)
			return payload_sa_decode(pl->body, pl->body_len, &u.p1);
		return gdoi_sa_decode(pl->body, pl->body_len, &u.sa);
	case ISAKMP_PAYLOAD_KE:
	case ISAKMP_PAYLOAD_HASH:
	case ISAKMP_PAYLOAD_SIG:
	case ISAKMP_PAYLOAD_VID:
		return 0;
	case ISAKMP_PAYLOAD_NONCE:
		return payload_nonce_decode(pl->body, pl->body_len);
	case ISAKMP_PAYLOAD_ID:
		return payload_id_decode(pl->body, pl->body_len, &u.id);
	case ISAKMP_PAYLOAD_CERT:
	case ISAKMP_PAYLOAD_CERTREQ:
		return payload_cert_decode(pl->body, pl->body_len, &u.cert);
	case ISAKMP_PAYLOAD_N:
		return payload_notify_decode(pl->body, pl->body_len, &u.n);
	case ISAKMP_PAYLOAD_D:
		return payload_delete_decode(pl->body, pl->body_len, &u.d);
	case GDOI_PAYLOAD_KD:
		rc = gdoi_kd_decode(pl->body, pl->body_len, &u.kd);
		gdoi_kd_free(&u.kd);
		return rc;
	case GDOI_PAYLOAD_SEQ:
		return gdoi_seq_decode(pl->body, pl->body_len, &seq);
	case GDOI_PAYLOAD_GAP:
		return gdoi_gap_decode(pl->body, pl->body_len, &u.gap);
	default:
		return -1;
	}
}

/* Header, chain, every payload: 0 decoded, -1 rejected. */
int
codec_decode_msg(const uint8_t *p, size_t len, struct isakmp_chain *c)
{
	struct isakmp_hdr h;
	size_t i;

	if (isakmp_hdr_decode(&h, p, len, NULL) < 0 ||
	    isakmp_chain_parse(c, h.next, p + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0)
		return -1;
	for (i = 0; i < c->n; i++)
		if (codec_decode_payload(&c->pl[i], h.exch) < 0)
			return -1;
	return 0;
}

/* ---- canned messages ---- */

void
codec_canned_build(enum codec_canned k, struct codec_msg *m)
{
	struct payload_sa p1;
	struct gdoi_sa sa;
	struct gdoi_kd kd;
	uint8_t hash[32], nonce[32];

	codec_fill(hash, sizeof(hash), 0x40);
	codec_fill(nonce, sizeof(nonce), 0x80);
	if (k == CODEC_P1_MSG1 || k == CODEC_P1_MSG1_DOI1) {
		codec_msg_begin(m, ISAKMP_EXCH_IDENT_PROT, 0, 0);
		codec_sample_p1sa(&p1, k == CODEC_P1_MSG1 ? ISAKMP_DOI_GDOI
							  : ISAKMP_DOI_IPSEC);
		ck_assert_int_eq(payload_sa_put(&m->b, &p1), 0);
		ck_assert_int_eq(isakmp_build_payload(&m->b, ISAKMP_PAYLOAD_VID,
						      codec_dpd_vid, 16), 0);
	} else if (k == CODEC_PULL_MSG4) {
		codec_msg_begin(m, GDOI_EXCH_PULL, 0, 0x01020304);
		codec_sample_kd(&kd);
		isakmp_build_payload(&m->b, ISAKMP_PAYLOAD_HASH, hash, 32);
		ck_assert_int_eq(gdoi_seq_put(&m->b, 7), 0);
		ck_assert_int_eq(gdoi_kd_put(&m->b, &kd), 0);
		gdoi_kd_free(&kd);
	} else {
		codec_msg_begin(m, GDOI_EXCH_PULL, 0, 0x01020304);
		codec_sample_gdoi_sa(&sa, k == CODEC_PULL_MSG2);
		isakmp_build_payload(&m->b, ISAKMP_PAYLOAD_HASH, hash, 32);
		isakmp_build_payload(&m->b, ISAKMP_PAYLOAD_NONCE, nonce, 32);
		ck_assert_int_eq(gdoi_sa_put(&m->b, &sa), 0);
	}
	codec_msg_end(m);
}

/* A copy in a heap block of exactly len octets (ASan sees overreads). */
uint8_t *
codec_exact_copy(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len > 0 ? len : 1);

	ck_assert_ptr_nonnull(c);
	if (len > 0)
		memcpy(c, p, len);
	return c;
}
