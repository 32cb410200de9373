/*
 * push_fixtures: see push_fixtures.h.  The sealing helpers use OpenSSL
 * directly so that the suites check push.c against a second reading of
 * RFC 6407 §4, not against itself.
 */
#include "push_fixtures.h"

#include <check.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/evp.h>

#include "gdoi/gdoi_sa.h"
#include "gdoi/isakmp.h"

static struct rsakey *tq_keys[2];

const struct rsakey *
tq_key(int i)
{
	if (tq_keys[i] == NULL)
		tq_keys[i] = rsakey_generate(1024);
	ck_assert_ptr_nonnull(tq_keys[i]);
	return tq_keys[i];
}

static void
tq_fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i);
}

void
tq_kek(struct gdoi_kek *k, uint8_t seed, const struct rsakey *key, uint8_t ack)
{
	const uint8_t *der;
	size_t len;

	memset(k, 0, sizeof(*k));
	tq_fill(k->spi, sizeof(k->spi), seed);
	k->alg = GDOI_KEK_ALG_AES;
	k->key_bits = 256;
	k->key_len = 32;
	tq_fill(k->key, k->key_len, (uint8_t)(seed + 0x20));
	k->iv_len = 16;
	tq_fill(k->iv, k->iv_len, (uint8_t)(seed + 0x40));
	k->lifetime_s = 300;
	k->sig_hash = GDOI_SIG_HASH_SHA256;
	k->sig_alg = GDOI_SIG_ALG_RSA;
	k->sig_key_bits = rsakey_bits(key);
	k->ack = ack;
	k->src = htonl(0x0a000001);
	k->dst = htonl(0x0a000002);
	k->src_port = k->dst_port = 848;
	der = rsakey_pub_der(key, &len);
	memcpy(k->pubkey, der, len);
	k->pubkey_len = len;
}

void
tq_policy(struct gdoi_policy *p, uint32_t spi)
{
	struct gdoi_tek *t = &p->tek[0];

	memset(p, 0, sizeof(*p));
	p->group_id = 1234;
	p->has_gap = true;
	p->atd_s = 2;
	p->dtd_s = 10;
	p->ntek = 1;
	t->spi = htonl(spi);
	t->transform = GDOI_ESP_AES_CBC;
	t->key_bits = 256;
	t->auth = GDOI_AUTH_HMAC_SHA256;
	t->lifetime_s = 120;
	t->direction = GDOI_DIR_SYMMETRIC;
	t->src = htonl(0x0a010100);
	t->src_mask = htonl(0xffffff00);
	t->dst = htonl(0x0a020100);
	t->dst_mask = htonl(0xffffff00);
	t->enc_key_len = 32;
	tq_fill(t->enc_key, 32, (uint8_t)spi);
	t->auth_key_len = 32;
	tq_fill(t->auth_key, 32, (uint8_t)(spi >> 8));
}

void
tq_build(const struct gdoi_kek *kek, const struct rsakey *key, uint32_t seq,
	 const struct gdoi_policy *p, const struct push_delete *del,
	 size_t ndel, struct buf_writer *out)
{
	struct push_msg m = { .seq = seq, .del = del, .ndel = ndel,
			      .policy = p };

	ck_assert_int_eq(push_build(kek, key, RSAKEY_SIG_PKCS1, &m, out), 0);
}

static void
tq_cbc(const struct gdoi_kek *kek, const uint8_t *in, uint8_t *out,
       size_t len, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, f = 0;

	ck_assert_int_eq(len % 16, 0);
	ck_assert(EVP_CipherInit_ex(c, EVP_aes_256_cbc(), NULL, kek->key,
				    kek->iv, enc) == 1);
	EVP_CIPHER_CTX_set_padding(c, 0);
	ck_assert(EVP_CipherUpdate(c, out, &n, in, (int)len) == 1);
	ck_assert(EVP_CipherFinal_ex(c, out + n, &f) == 1);
	ck_assert_int_eq(n + f, (int)len);
	EVP_CIPHER_CTX_free(c);
}

size_t
tq_unseal(const struct gdoi_kek *kek, const uint8_t *in, size_t len,
	  uint8_t *plain)
{
	tq_cbc(kek, in + ISAKMP_HDR_LEN, plain, len - ISAKMP_HDR_LEN, 0);
	return len - ISAKMP_HDR_LEN;
}

void
tq_seal(const struct gdoi_kek *kek, const uint8_t *hdr, const uint8_t *plain,
	size_t plen, struct buf_writer *out)
{
	uint8_t h[ISAKMP_HDR_LEN], *p;
	size_t off;

	memcpy(h, hdr, sizeof(h));
	h[24] = (uint8_t)((ISAKMP_HDR_LEN + plen) >> 24);
	h[25] = (uint8_t)((ISAKMP_HDR_LEN + plen) >> 16);
	h[26] = (uint8_t)((ISAKMP_HDR_LEN + plen) >> 8);
	h[27] = (uint8_t)(ISAKMP_HDR_LEN + plen);
	buf_writer_reset(out);
	buf_put_bytes(out, h, sizeof(h));
	ck_assert_int_eq(buf_reserve(out, plen, &off), 0);
	p = buf_ptr(out, off, plen);
	tq_cbc(kek, plain, p, plen, 1);
}

void
tq_craft(const struct gdoi_kek *kek, const struct rsakey *key, uint8_t first,
	 const uint8_t *chain, size_t clen, int sign, struct buf_writer *out)
{
	uint8_t hdr[ISAKMP_HDR_LEN] = { 0 }, sig[RSAKEY_MAX_SIG];
	uint8_t data[8192], body[8192];
	size_t siglen = sign ? rsakey_sig_len(key) : 0, n = 0, len;

	memcpy(hdr, kek->spi, 16);
	hdr[16] = first;
	hdr[17] = 0x10;
	hdr[18] = 33;
	hdr[19] = 1;
	len = ISAKMP_HDR_LEN + clen + (sign ? 4 + siglen : 0);
	hdr[26] = (uint8_t)(len >> 8);
	hdr[27] = (uint8_t)len;
	ck_assert_uint_lt(clen + 600, sizeof(body));
	memcpy(body, chain, clen);
	n = clen;
	if (sign) {
		memcpy(data, "rekey", 5);
		memcpy(data + 5, hdr, sizeof(hdr));
		memcpy(data + 5 + sizeof(hdr), chain, clen);
		ck_assert_int_eq(rsakey_sign(key, RSAKEY_SHA256,
					     RSAKEY_SIG_PKCS1, data,
					     5 + sizeof(hdr) + clen, sig,
					     &siglen), 0);
		body[n++] = 0;
		body[n++] = 0;
		body[n++] = (uint8_t)((4 + siglen) >> 8);
		body[n++] = (uint8_t)(4 + siglen);
		memcpy(body + n, sig, siglen);
		n += siglen;
	}
	while (n % 16)
		body[n++] = 0;
	tq_seal(kek, hdr, body, n, out);
}
