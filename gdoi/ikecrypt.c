/*
 * ikecrypt: CBC encryption of ISAKMP messages after Phase 1 message 4
 * (doc/protocol.md §3.6 and §4.3; RFC 2408 §3.1 Flags/Length, RFC 2409 §5.3
 * and App. B).
 *
 * Owns the padding rule and the header fix-ups that go with it.  The IV
 * chain itself (which IV an exchange starts from) is ikekeys' business;
 * here an IV comes in and the next one goes out.
 */
#include "gdoi/ikecrypt.h"

#include <string.h>

#include "gdoi/isakmp.h"
#include "platform/be.h"
#include "platform/log.h"

/*
 * doc/protocol.md §3.6 [D]: pad with zero octets up to the next block
 * multiple, none when already aligned.  Receivers never read padding.
 */
#define IKECRYPT_PAD_OCTET 0x00

/* RFC 2408 §3.1: offset of the Flags octet in the header */
#define IKECRYPT_HDR_FLAGS_OFF 19

size_t
ikecrypt_block(const struct ike_cipher *c)
{
	return crypto_cipher_block(c->alg);
}

size_t
ikecrypt_padded_len(const struct ike_cipher *c, size_t len)
{
	size_t bs = ikecrypt_block(c), body;

	if (bs == 0 || len < ISAKMP_HDR_LEN)
		return 0;
	body = len - ISAKMP_HDR_LEN;
	return ISAKMP_HDR_LEN + (body + bs - 1) / bs * bs;
}

int
ikecrypt_encrypt(const struct ike_cipher *c, const struct ike_iv *iv,
		 struct ike_iv *next, const uint8_t *msg, size_t len,
		 uint8_t *out, size_t cap, size_t *outlen)
{
	size_t bs = ikecrypt_block(c);
	size_t total = ikecrypt_padded_len(c, len);

	if (bs == 0 || len <= ISAKMP_HDR_LEN || iv->len != bs ||
	    total > cap || total > UINT32_MAX) {
		log_dbg(LOG_DBG_ISAKMP, "%s: cannot encrypt %zu octets",
			__func__, len);
		return -1;
	}
	if (out != msg)
		memcpy(out, msg, len);
	memset(out + len, IKECRYPT_PAD_OCTET, total - len);
	out[IKECRYPT_HDR_FLAGS_OFF] |= ISAKMP_FLAG_ENC;
	be32_put(out + ISAKMP_HDR_LEN_OFF, (uint32_t)total);
	if (crypto_cbc_encrypt(c->alg, c->key, c->keylen, iv->iv,
			       out + ISAKMP_HDR_LEN, out + ISAKMP_HDR_LEN,
			       total - ISAKMP_HDR_LEN) != 0)
		return -1;
	memcpy(next->iv, out + total - bs, bs);
	next->len = bs;
	*outlen = total;
	return 0;
}

int
ikecrypt_encrypt_buf(const struct ike_cipher *c, const struct ike_iv *iv,
		     struct ike_iv *next, struct buf_writer *w)
{
	size_t len = buf_len(w), total = ikecrypt_padded_len(c, len), outlen;
	uint8_t *p;

	if (buf_writer_failed(w) || total == 0 ||
	    buf_put_zero(w, total - len) != 0)
		goto fail;
	p = buf_ptr(w, 0, total);
	if (p == NULL || ikecrypt_encrypt(c, iv, next, p, len, p, total,
					  &outlen) != 0)
		goto fail;
	return 0;
fail:
	/* A half-encrypted message must not be sent by mistake. */
	w->err = true;
	return -1;
}

int
ikecrypt_decrypt(const struct ike_cipher *c, const struct ike_iv *iv,
		 struct ike_iv *next, const uint8_t *msg, size_t len,
		 uint8_t *out, size_t cap, size_t *outlen)
{
	size_t bs = ikecrypt_block(c), body;
	uint8_t last[CRYPTO_MAX_BLOCK];

	if (bs == 0 || iv->len != bs || len > cap || len < ISAKMP_HDR_LEN) {
		log_dbg(LOG_DBG_ISAKMP, "%s: bad arguments", __func__);
		return -1;
	}
	body = len - ISAKMP_HDR_LEN;
	if (body == 0 || body % bs != 0) {
		log_dbg(LOG_DBG_ISAKMP, "%s: body of %zu octets is not a "
			"multiple of %zu", __func__, body, bs);
		return -1;
	}
	if (!(msg[IKECRYPT_HDR_FLAGS_OFF] & ISAKMP_FLAG_ENC) ||
	    be32_get(msg + ISAKMP_HDR_LEN_OFF) != len) {
		log_dbg(LOG_DBG_ISAKMP, "%s: header flags/length mismatch",
			__func__);
		return -1;
	}
	/* Saved first: decryption may overwrite the ciphertext in place. */
	memcpy(last, msg + len - bs, bs);
	if (out != msg)
		memcpy(out, msg, ISAKMP_HDR_LEN);
	if (crypto_cbc_decrypt(c->alg, c->key, c->keylen, iv->iv,
			       msg + ISAKMP_HDR_LEN, out + ISAKMP_HDR_LEN,
			       body) != 0)
		return -1;
	memcpy(next->iv, last, bs);
	next->len = bs;
	*outlen = len;
	return 0;
}

void
ikecrypt_cipher_wipe(struct ike_cipher *c)
{
	crypto_wipe(c->key, sizeof(c->key));
	c->keylen = 0;
}
