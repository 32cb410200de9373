/*
 * push_ack: the RFC 8263 GROUPKEY-PUSH acknowledgement (doc/rekey.md).
 *
 *   HDR (PUSH cookies, Next HASH, exch 35, flags 0, M-ID 0), HASH, SEQ, ID
 *
 *   ack_key = prf(base_key, "GROUPKEY-PUSH ACK" 0x00 | SPI | L)   §3.2
 *   HASH    = prf(ack_key, SEQ | ID)
 *
 * base_key is the KEK key (without its IV) that decrypted the PUSH, SPI
 * its 16 cookie octets, L two octets: 512 for the SHA-256 types, 1024
 * for SHA-512 (the prf block in bits).  [D] "SEQ | ID" are the whole
 * payloads with their generic headers, as HASH(n) covers payloads in
 * GROUPKEY-PULL; ack_covered() is the one place that says so.
 */
#include "gdoi/push.h"

#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/crypto.h"
#include "gdoi/kd.h"
#include "gdoi/payload.h"
#include "gdoi/push_int.h"
#include "platform/be.h"
#include "platform/log.h"

#define ack_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)

/* RFC 8263 §3.2: the label with its terminating NUL. */
static const char ack_label[] = "GROUPKEY-PUSH ACK";

static int
ack_prf(uint8_t type, enum crypto_hash *h, uint16_t *l_bits)
{
	switch (type) {
	case PUSH_ACK_KEK_SHA256:
		*h = CRYPTO_HASH_SHA256;
		*l_bits = 512;
		return 0;
	case PUSH_ACK_KEK_SHA512:
		*h = CRYPTO_HASH_SHA512;
		*l_bits = 1024;
		return 0;
	default:
		return -1;
	}
}

/* HASH over covered (SEQ | ID payloads) into out (prf length). */
static int
ack_hash(const struct gdoi_kek *kek, const uint8_t *spi,
	 const uint8_t *covered, size_t len, uint8_t *out)
{
	uint8_t ack_key[CRYPTO_MAX_HASH], l[2];
	enum crypto_hash h;
	uint16_t l_bits;
	struct crypto_iov kdf[3] = {
		{ ack_label, sizeof(ack_label) },
		{ spi, GDOI_KEK_SPI_LEN },
		{ l, sizeof(l) },
	};
	int rc;

	if (ack_prf(kek->ack, &h, &l_bits) < 0 || kek->key_len == 0)
		return -1;
	be16_put(l, l_bits);
	rc = crypto_prf_v(h, kek->key, kek->key_len, kdf, 3, ack_key);
	if (rc == 0)
		rc = crypto_prf(h, ack_key, crypto_hash_len(h), covered, len,
				out);
	OPENSSL_cleanse(ack_key, sizeof(ack_key));
	return rc;
}

int
push_ack_build(const struct gdoi_kek *kek, const uint8_t *spi, uint32_t seq,
	       uint32_t gm_addr, struct buf_writer *out)
{
	struct payload_id id = { .type = ISAKMP_ID_IPV4_ADDR,
				 .data = (const uint8_t *)&gm_addr, .len = 4 };
	struct isakmp_builder b;
	struct isakmp_hdr h;
	enum crypto_hash hh;
	uint16_t l_bits;
	size_t hoff, hash_off, rest;
	uint8_t *p;

	buf_writer_reset(out);
	if (ack_prf(kek->ack, &hh, &l_bits) < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, spi, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, spi + ISAKMP_COOKIE_LEN, ISAKMP_COOKIE_LEN);
	h.version = ISAKMP_VERSION;
	h.exch = GDOI_EXCH_PUSH_ACK;
	isakmp_hdr_put(out, &h, &hoff);
	isakmp_build_init(&b, out, hoff + ISAKMP_HDR_NEXT_OFF);
	if (isakmp_build_begin(&b, ISAKMP_PAYLOAD_HASH) < 0 ||
	    buf_reserve(out, crypto_hash_len(hh), &hash_off) < 0 ||
	    isakmp_build_end(&b) < 0)
		goto fail;
	rest = buf_len(out);
	if (gdoi_seq_put(&b, seq) < 0 || payload_id_put(&b, &id) < 0 ||
	    isakmp_hdr_patch_len(out, hoff) < 0 ||
	    (p = buf_ptr(out, 0, buf_len(out))) == NULL ||
	    ack_hash(kek, spi, p + rest, buf_len(out) - rest,
		     p + hash_off) < 0)
		goto fail;
	return 0;
fail:
	buf_writer_reset(out);
	return -1;
}

/* HASH, SEQ, ID and nothing after them (RFC 8263 §3, §3.4). */
static enum push_err
ack_chain(const struct isakmp_chain *c, size_t body_len, struct push_ack *a)
{
	struct payload_id id;

	if (c->n != 3 || c->end != body_len ||
	    c->pl[0].type != ISAKMP_PAYLOAD_HASH ||
	    c->pl[1].type != GDOI_PAYLOAD_SEQ ||
	    c->pl[2].type != ISAKMP_PAYLOAD_ID ||
	    (c->pl[0].body_len != 32 && c->pl[0].body_len != 64) ||
	    gdoi_seq_decode(c->pl[1].body, c->pl[1].body_len, &a->seq) < 0 ||
	    payload_id_decode(c->pl[2].body, c->pl[2].body_len, &id) < 0 ||
	    id.type != ISAKMP_ID_IPV4_ADDR || id.len != 4 || id.proto != 0 ||
	    id.port != 0)
		return PUSH_ERR_FORM;
	/* A fixed format: RESERVED octets are zero, as the HASH does not
	 * cover the HASH payload's own. */
	for (size_t i = 0; i < c->n; i++)
		if (c->pl[i].raw[1] != 0)
			return PUSH_ERR_FORM;
	memcpy(&a->gm_addr, id.data, 4);
	a->hash = c->pl[0].body;
	a->hash_len = c->pl[0].body_len;
	/* [D] the payloads after HASH, generic headers included */
	a->covered = c->pl[1].raw;
	a->covered_len = c->pl[1].raw_len + c->pl[2].raw_len;
	return PUSH_OK;
}

enum push_err
push_ack_open(const uint8_t *in, size_t len, struct push_ack *a)
{
	struct isakmp_chain c;
	struct isakmp_hdr h;

	memset(a, 0, sizeof(*a));
	if (len < ISAKMP_HDR_LEN || len > PUSH_MAX_LEN)
		return PUSH_ERR_SIZE;
	if (isakmp_hdr_decode(&h, in, len, NULL) < 0 ||
	    h.exch != GDOI_EXCH_PUSH_ACK || h.flags != 0 || h.msgid != 0 ||
	    h.next != ISAKMP_PAYLOAD_HASH)
		return PUSH_ERR_HEADER;
	if (isakmp_chain_parse(&c, h.next, in + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0 ||
	    ack_chain(&c, len - ISAKMP_HDR_LEN, a) != PUSH_OK) {
		memset(a, 0, sizeof(*a));
		return PUSH_ERR_FORM;
	}
	push_hdr_spi(&h, a->spi);
	return PUSH_OK;
}

enum push_err
push_ack_verify(const struct push_ack *a, const struct gdoi_kek *kek)
{
	uint8_t want[CRYPTO_MAX_HASH];
	enum crypto_hash h;
	uint16_t l_bits;
	enum push_err e = PUSH_ERR_BAD_HASH;

	if (ack_prf(kek->ack, &h, &l_bits) < 0 ||
	    a->hash_len != crypto_hash_len(h) ||
	    ack_hash(kek, a->spi, a->covered, a->covered_len, want) < 0)
		return PUSH_ERR_BAD_HASH;
	if (crypto_equal(want, a->hash, a->hash_len))
		e = PUSH_OK;
	else
		ack_dbg("GROUPKEY-PUSH-ACK SEQ %u: HASH does not verify",
			a->seq);
	OPENSSL_cleanse(want, sizeof(want));
	return e;
}
