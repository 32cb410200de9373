/*
 * type6: IOS type 6 secrets through OpenSSL EVP (see roles/type6.h).
 */
#include "roles/type6.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "gdoi/crypto.h"

#define T6_SALT 8
#define T6_MAC 4
#define T6_BLOCK 16
#define T6_RAW_MAX (T6_SALT + TYPE6_CLEAR_MAX + T6_MAC)
#define B41_FIRST 'A'
#define B41_BASE 41

/* AES-128-ECB of whole blocks under key (no padding). */
static int
aes_ecb(const uint8_t key[16], const uint8_t *in, uint8_t *out, size_t len)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	ok = c != NULL &&
	     EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, key, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_EncryptUpdate(c, out, &n, in, (int)len) == 1 &&
	     (size_t)n == len;
	EVP_CIPHER_CTX_free(c);	/* clears the key schedule */
	return ok ? 0 : -1;
}

/* ka and ke from the master key and the salt. */
static int
derive(const char *master, const uint8_t salt[T6_SALT], uint8_t ka[16],
       uint8_t ke[16])
{
	uint8_t k[16], in[2 * T6_BLOCK] = { 0 }, out[2 * T6_BLOCK];
	unsigned klen = 0;
	int rc;

	memcpy(in, salt, T6_SALT);
	memcpy(in + T6_BLOCK, salt, T6_SALT);
	in[2 * T6_BLOCK - 1] = 1;
	rc = EVP_Digest(master, strlen(master), k, &klen, EVP_md5(), NULL) == 1
	     && klen == sizeof(k) ? aes_ecb(k, in, out, sizeof(out)) : -1;
	memcpy(ka, out, 16);
	memcpy(ke, out + T6_BLOCK, 16);
	crypto_wipe(k, sizeof(k));
	crypto_wipe(out, sizeof(out));
	return rc;
}

/* XOR len octets of buf with the key stream under ke (its own inverse). */
static int
keystream_xor(const uint8_t ke[16], uint8_t *buf, size_t len)
{
	uint8_t ctr[T6_BLOCK], ks[T6_BLOCK];
	int rc = 0;

	for (size_t i = 0; i < len && rc == 0; i++) {
		if (i % T6_BLOCK == 0) {
			memset(ctr, 0, sizeof(ctr));
			ctr[3] = (uint8_t)(i / T6_BLOCK);
			rc = aes_ecb(ke, ctr, ks, sizeof(ks));
		}
		buf[i] ^= ks[i % T6_BLOCK];
	}
	crypto_wipe(ks, sizeof(ks));
	return rc;
}

static int
mac(const uint8_t ka[16], const uint8_t *ct, size_t len, uint8_t out[T6_MAC])
{
	uint8_t h[CRYPTO_MAX_HASH];

	if (crypto_prf(CRYPTO_HASH_SHA1, ka, 16, ct, len, h) < 0)
		return -1;
	memcpy(out, h, T6_MAC);
	return 0;
}

static void
b41_group(unsigned v, char *out)
{
	out[0] = (char)(B41_FIRST + v / (B41_BASE * B41_BASE));
	out[1] = (char)(B41_FIRST + v / B41_BASE % B41_BASE);
	out[2] = (char)(B41_FIRST + v % B41_BASE);
}

static int
b41_encode(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	size_t o = 0, i;

	if ((len / 2 + 1) * 3 + 1 > outlen)
		return -1;
	for (i = 0; i + 1 < len; i += 2, o += 3)
		b41_group((unsigned)in[i] << 8 | in[i + 1], out + o);
	b41_group(len % 2 ? (unsigned)in[len - 1] << 8 : 1, out + o);
	out[o + 3] = '\0';
	return 0;
}

/* Octets of text into out; the length, or -1 when text is not base41
 * with a well-formed last group. */
static long
b41_decode(const char *text, uint8_t *out, size_t cap)
{
	size_t len = strlen(text), n = 0;

	if (len == 0 || len % 3 != 0 || len / 3 * 2 > cap)
		return -1;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = 0;

		for (size_t j = i; j < i + 3; j++) {
			if (text[j] < B41_FIRST ||
			    text[j] >= B41_FIRST + B41_BASE)
				return -1;
			v = v * B41_BASE + (unsigned)(text[j] - B41_FIRST);
		}
		if (v > 0xffff)
			return -1;
		out[n++] = (uint8_t)(v >> 8);
		out[n++] = (uint8_t)v;
	}
	if (out[n - 1] == 1 && out[n - 2] == 0)
		return (long)n - 2;
	return out[n - 1] == 0 ? (long)n - 1 : -1;
}

int
type6_encrypt_salted(const char *master, const char *clear,
		     const unsigned char salt[8], char *out, size_t outlen)
{
	uint8_t raw[T6_RAW_MAX], ka[16], ke[16];
	size_t len = strlen(clear);
	int rc = TYPE6_FAILED;

	if (len == 0 || len >= TYPE6_CLEAR_MAX)
		return TYPE6_BAD_CLEAR;
	memcpy(raw, salt, T6_SALT);
	memcpy(raw + T6_SALT, clear, len);
	if (derive(master, salt, ka, ke) == 0 &&
	    keystream_xor(ke, raw + T6_SALT, len) == 0 &&
	    mac(ka, raw + T6_SALT, len, raw + T6_SALT + len) == 0 &&
	    b41_encode(raw, T6_SALT + len + T6_MAC, out, outlen) == 0)
		rc = TYPE6_OK;
	crypto_wipe(raw, sizeof(raw));
	crypto_wipe(ka, sizeof(ka));
	crypto_wipe(ke, sizeof(ke));
	return rc;
}

int
type6_encrypt(const char *master, const char *clear, char *out, size_t outlen)
{
	unsigned char salt[T6_SALT];

	if (crypto_random(salt, sizeof(salt)) < 0)
		return TYPE6_FAILED;
	return type6_encrypt_salted(master, clear, salt, out, outlen);
}

/* A key is printable text; a router's own output may end in NULs. */
static int
take_clear(uint8_t *p, size_t len, char *clear, size_t clearlen)
{
	while (len > 0 && p[len - 1] == '\0')
		len--;
	if (len == 0 || len >= clearlen)
		return TYPE6_BAD_CLEAR;
	for (size_t i = 0; i < len; i++)
		if (!isprint(p[i]) || p[i] == ' ')
			return TYPE6_BAD_CLEAR;
	memcpy(clear, p, len);
	clear[len] = '\0';
	return TYPE6_OK;
}

int
type6_decrypt(const char *master, const char *text, char *clear,
	      size_t clearlen)
{
	uint8_t raw[T6_RAW_MAX + 2], ka[16], ke[16], m[T6_MAC];
	long n = b41_decode(text, raw, sizeof(raw));
	size_t ctlen;
	int rc;

	if (n < T6_SALT + 1 + T6_MAC || n > T6_RAW_MAX)
		return TYPE6_MALFORMED;
	ctlen = (size_t)n - T6_SALT - T6_MAC;
	if (derive(master, raw, ka, ke) < 0 ||
	    mac(ka, raw + T6_SALT, ctlen, m) < 0)
		rc = TYPE6_FAILED;
	else if (!crypto_equal(m, raw + T6_SALT + ctlen, T6_MAC))
		rc = TYPE6_BAD_MAC;
	else if (keystream_xor(ke, raw + T6_SALT, ctlen) < 0)
		rc = TYPE6_FAILED;
	else
		rc = take_clear(raw + T6_SALT, ctlen, clear, clearlen);
	crypto_wipe(raw, sizeof(raw));
	crypto_wipe(ka, sizeof(ka));
	crypto_wipe(ke, sizeof(ke));
	return rc;
}
