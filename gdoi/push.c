/*
 * push: the key server's GROUPKEY-PUSH builder (RFC 6407 §4, §4.3, §5.9;
 * doc/rekey.md), the duplicate cache both roles use (§7.3.4), and the
 * pieces the opener shares with it: the KEK cipher, the signature hash
 * and the signed data.
 *
 * Decisions ([D], one place each):
 *  - push_signed_data(): the header inside the signed data carries
 *    Length = header + every payload including SIG, without the CBC
 *    padding (the padded length is not known before the signature is).
 *  - push_build(): zero padding to the cipher block; the IV is the KEK's
 *    static IV, the same for every message (§5.6.2.1).
 */
#include "gdoi/push.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/kd.h"
#include "gdoi/payload.h"
#include "gdoi/policy_codec.h"
#include "gdoi/push_int.h"
#include "platform/be.h"
#include "platform/log.h"

#define push_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)

static const char *const push_err_names[PUSH_ERR_COUNT] = {
	[PUSH_OK] = "ok",
	[PUSH_ERR_SIZE] = "bad size",
	[PUSH_ERR_HEADER] = "bad header",
	[PUSH_ERR_UNKNOWN_KEK] = "unknown KEK",
	[PUSH_ERR_DUPLICATE] = "duplicate",
	[PUSH_ERR_DECRYPT] = "does not decrypt",
	[PUSH_ERR_FORM] = "malformed",
	[PUSH_ERR_SEQ] = "old sequence number",
	[PUSH_ERR_SIG] = "bad signature",
	[PUSH_ERR_POLICY] = "unusable policy",
	[PUSH_ERR_BAD_HASH] = "bad hash",
	[PUSH_ERR_INTERNAL] = "internal error",
};

const char *
push_err_name(enum push_err e)
{
	if ((unsigned)e >= PUSH_ERR_COUNT)
		return "?";
	return push_err_names[e];
}

/* ---- shared ---- */

int
push_kek_cipher(const struct gdoi_kek *k, enum crypto_cipher *c)
{
	if (k->alg == GDOI_KEK_ALG_AES)
		*c = CRYPTO_CIPHER_AES_CBC;
	else if (k->alg == GDOI_KEK_ALG_3DES)
		*c = CRYPTO_CIPHER_3DES_CBC;
	else
		return -1;
	if (!crypto_cipher_keylen_ok(*c, k->key_len) ||
	    k->iv_len != crypto_cipher_block(*c))
		return -1;
	return 0;
}

int
push_sig_md(uint8_t sig_hash, enum rsakey_md *md)
{
	switch (sig_hash) {
	case GDOI_SIG_HASH_SHA1:
		*md = RSAKEY_SHA1;
		return 0;
	case GDOI_SIG_HASH_SHA256:
		*md = RSAKEY_SHA256;
		return 0;
	case GDOI_SIG_HASH_SHA384:
		*md = RSAKEY_SHA384;
		return 0;
	case GDOI_SIG_HASH_SHA512:
		*md = RSAKEY_SHA512;
		return 0;
	default:
		return -1;
	}
}

void
push_hdr_spi(const struct isakmp_hdr *h, uint8_t *spi)
{
	memcpy(spi, h->icookie, ISAKMP_COOKIE_LEN);
	memcpy(spi + ISAKMP_COOKIE_LEN, h->rcookie, ISAKMP_COOKIE_LEN);
}

uint8_t *
push_signed_data(const uint8_t *hdr, uint32_t len_field, const uint8_t *rest,
		 size_t rest_len, size_t *out_len)
{
	size_t n = PUSH_SIG_LABEL_LEN + ISAKMP_HDR_LEN + rest_len;
	uint8_t *d = malloc(n);

	if (d == NULL)
		return NULL;
	memcpy(d, PUSH_SIG_LABEL, PUSH_SIG_LABEL_LEN);
	memcpy(d + PUSH_SIG_LABEL_LEN, hdr, ISAKMP_HDR_LEN);
	be32_put(d + PUSH_SIG_LABEL_LEN + ISAKMP_HDR_LEN_OFF, len_field);
	memcpy(d + PUSH_SIG_LABEL_LEN + ISAKMP_HDR_LEN, rest, rest_len);
	*out_len = n;
	return d;
}

/* ---- duplicate cache ---- */

int
push_cache_hash(const uint8_t *in, size_t len, uint8_t hash[PUSH_HASH_LEN])
{
	struct crypto_iov iov = { in, len };

	return crypto_hash_v(CRYPTO_HASH_SHA256, &iov, 1, hash);
}

int
push_cache_find(const struct push_cache *c, const uint8_t hash[PUSH_HASH_LEN])
{
	for (size_t i = 0; i < c->n; i++)
		if (memcmp(c->hash[i], hash, PUSH_HASH_LEN) == 0)
			return (int)i;
	return -1;
}

void
push_cache_add(struct push_cache *c, const uint8_t hash[PUSH_HASH_LEN],
	       uint32_t seq)
{
	memcpy(c->hash[c->next], hash, PUSH_HASH_LEN);
	c->seq[c->next] = seq;
	c->next = (c->next + 1) % PUSH_CACHE_SIZE;
	if (c->n < PUSH_CACHE_SIZE)
		c->n++;
}

/* ---- building ---- */

static int
put_delete(struct isakmp_builder *b, const struct push_delete *d)
{
	uint8_t spis[PUSH_DEL_MAX_SPI * GDOI_TEK_SPI_LEN];
	struct payload_delete pd = { .doi = ISAKMP_DOI_GDOI,
				     .proto = d->proto };

	if (d->proto == PUSH_DEL_KEK) {
		pd.spi_size = GDOI_KEK_SPI_LEN;
		pd.nspi = 1;
		pd.spis = d->kek_spi;
		return payload_delete_put(b, &pd);
	}
	if (d->nspi == 0 || d->nspi > PUSH_DEL_MAX_SPI)
		return -1;
	for (size_t i = 0; i < d->nspi; i++)
		memcpy(spis + i * GDOI_TEK_SPI_LEN, &d->spi[i],
		       GDOI_TEK_SPI_LEN);	/* already network order */
	pd.spi_size = GDOI_TEK_SPI_LEN;
	pd.nspi = (uint16_t)d->nspi;
	pd.spis = spis;
	return payload_delete_put(b, &pd);
}

/* SEQ, D..., [SA, KD] */
static int
put_payloads(struct isakmp_builder *b, const struct push_msg *m)
{
	struct gdoi_kd kd;
	int rc;

	if (gdoi_seq_put(b, m->seq) < 0)
		return -1;
	for (size_t i = 0; i < m->ndel; i++)
		if (put_delete(b, &m->del[i]) < 0)
			return -1;
	if (m->policy == NULL)
		return 0;
	if (m->policy->nsid != 0) {
		push_dbg("push_build: sender IDs never go in a PUSH");
		return -1;
	}
	if (policy_codec_sa_put(b, m->policy) < 0 ||
	    policy_codec_to_kd(m->policy, &kd) < 0)
		return -1;
	rc = gdoi_kd_put(b, &kd);
	gdoi_kd_free(&kd);
	return rc;
}

/* SIG over "rekey" | HDR' | payloads so far (RFC 6407 §4). */
static int
put_sig(struct isakmp_builder *b, size_t hoff, const struct gdoi_kek *kek,
	const struct rsakey *key, enum rsakey_sigfmt fmt)
{
	uint8_t sig[RSAKEY_MAX_SIG];
	size_t siglen = sizeof(sig), dlen, len = buf_len(b->w);
	size_t rest = hoff + ISAKMP_HDR_LEN;
	enum rsakey_md md;
	uint8_t *d, *p;
	int rc;

	if (push_sig_md(kek->sig_hash, &md) < 0 || !rsakey_has_private(key) ||
	    isakmp_build_set_next(b, ISAKMP_PAYLOAD_SIG) < 0 ||
	    (p = buf_ptr(b->w, hoff, len - hoff)) == NULL)
		return -1;
	d = push_signed_data(p, (uint32_t)(len - hoff + ISAKMP_GEN_HDR_LEN +
					   rsakey_sig_len(key)),
			     p + ISAKMP_HDR_LEN, len - rest, &dlen);
	if (d == NULL)
		return -1;
	rc = rsakey_sign(key, md, fmt, d, dlen, sig, &siglen);
	crypto_free_secure(d, dlen);
	if (rc < 0)
		return -1;
	return isakmp_build_payload(b, ISAKMP_PAYLOAD_SIG, sig, siglen);
}

/* Zero padding, CBC under the KEK with its static IV, final Length. */
static int
encrypt_body(struct buf_writer *w, size_t hoff, const struct gdoi_kek *kek)
{
	enum crypto_cipher c;
	size_t bs, body, len;
	uint8_t *p;

	if (push_kek_cipher(kek, &c) < 0)
		return -1;
	bs = crypto_cipher_block(c);
	body = buf_len(w) - hoff - ISAKMP_HDR_LEN;
	if (body % bs != 0 && buf_put_zero(w, bs - body % bs) < 0)
		return -1;
	len = buf_len(w) - hoff;
	if (len > PUSH_MAX_LEN || isakmp_hdr_patch_len(w, hoff) < 0 ||
	    (p = buf_ptr(w, hoff + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN)) ==
		    NULL)
		return -1;
	return crypto_cbc_encrypt(c, kek->key, kek->key_len, kek->iv, p, p,
				  len - ISAKMP_HDR_LEN);
}

int
push_build(const struct gdoi_kek *kek, const struct rsakey *sig_key,
	   enum rsakey_sigfmt fmt, const struct push_msg *m,
	   struct buf_writer *out)
{
	struct isakmp_builder b;
	struct isakmp_hdr h;
	size_t hoff;

	buf_writer_reset(out);
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, kek->spi, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, kek->spi + ISAKMP_COOKIE_LEN, ISAKMP_COOKIE_LEN);
	h.version = ISAKMP_VERSION;
	h.exch = GDOI_EXCH_PUSH;
	h.flags = ISAKMP_FLAG_ENC;
	if (sig_key == NULL || isakmp_hdr_put(out, &h, &hoff) < 0)
		goto fail;
	isakmp_build_init(&b, out, hoff + ISAKMP_HDR_NEXT_OFF);
	if (put_payloads(&b, m) < 0 || put_sig(&b, hoff, kek, sig_key, fmt) < 0 ||
	    encrypt_body(out, hoff, kek) < 0 || buf_writer_failed(out))
		goto fail;
	return 0;
fail:
	push_dbg("push_build: SEQ %u not built", m->seq);
	buf_writer_reset(out);
	return -1;
}
