/*
 * ks_state_seal: the sealed envelope of a key server state file (see
 * roles/ks_state_seal.h).  Checks run cheapest first: size, magic,
 * version, MAC (constant time), then decryption and padding.
 */
#include "roles/ks_state_seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "platform/be.h"
#include "roles/ks_state.h"

#define MAGIC "GVKS"
#define HDR 8		/* magic, version, reserved */
#define BLK 16
#define MAC 32

/* The encryption or MAC key: prf(secret, label | version). */
static int
derive(const uint8_t *secret, const char *label, uint8_t key[MAC])
{
	char in[32];
	size_t n = (size_t)snprintf(in, sizeof(in), "getvpn ks-state %s %u",
				    label, KS_STATE_VERSION);

	return crypto_prf(CRYPTO_HASH_SHA256, secret, KS_STATE_SECRET_LEN, in,
			  n, key);
}

int
ks_state_seal(const uint8_t secret[KS_STATE_SECRET_LEN], const uint8_t *in,
	      size_t len, struct buf_writer *w)
{
	size_t padded = crypto_pkcs7_len(CRYPTO_CIPHER_AES_CBC, len), off;
	uint8_t ek[MAC], mk[MAC], iv[BLK], *ct = malloc(padded);
	int rc = -1;

	if (ct == NULL || derive(secret, "enc", ek) || derive(secret, "mac", mk) ||
	    crypto_random(iv, sizeof(iv)) ||
	    crypto_cbc_encrypt_pkcs7(CRYPTO_CIPHER_AES_CBC, ek, sizeof(ek), iv,
				     in, len, ct))
		goto out;
	buf_put_bytes(w, MAGIC, 4);
	buf_put_u16(w, KS_STATE_VERSION);
	buf_put_u16(w, 0);
	buf_put_bytes(w, iv, sizeof(iv));
	buf_put_bytes(w, ct, padded);
	if (buf_reserve(w, MAC, &off) == 0 && !buf_writer_failed(w))
		rc = crypto_prf(CRYPTO_HASH_SHA256, mk, sizeof(mk),
				buf_data(w), off, buf_ptr(w, off, MAC));
out:
	crypto_wipe(ek, sizeof(ek));
	crypto_wipe(mk, sizeof(mk));
	if (ct != NULL)
		crypto_free_secure(ct, padded);
	return rc;
}

/* Form, version and MAC of in: NULL when they hold, else why not. */
static const char *
check(const uint8_t *secret, const uint8_t *in, size_t len)
{
	uint8_t mk[MAC], mac[MAC];
	int bad;

	if (len == 0)
		return "the file is empty";
	if (len > KS_STATE_MAX)
		return "the file is too large";
	if (len < HDR || memcmp(in, MAGIC, 4) != 0)
		return "not a key state file";
	if (be16_get(in + 4) != KS_STATE_VERSION)
		return "a version this build does not read";
	if (len < HDR + 2 * BLK + MAC || (len - HDR - MAC) % BLK != 0)
		return "the file is truncated";
	bad = derive(secret, "mac", mk) ||
	      crypto_prf(CRYPTO_HASH_SHA256, mk, sizeof(mk), in, len - MAC,
			 mac) ||
	      !crypto_equal(mac, in + len - MAC, MAC);
	crypto_wipe(mk, sizeof(mk));
	return bad ? "checksum mismatch (damaged, or sealed under another "
		     "secret)" : NULL;
}

int
ks_state_open(const uint8_t secret[KS_STATE_SECRET_LEN], const uint8_t *in,
	      size_t len, uint8_t **out, size_t *outlen, const char **why)
{
	uint8_t ek[MAC], *p = NULL;
	size_t ct = 0;
	int rc = -1;

	*out = NULL;
	if ((*why = check(secret, in, len)) != NULL)
		return -1;
	ct = len - HDR - BLK - MAC;
	*why = "cannot decrypt";
	if ((p = malloc(ct)) != NULL && derive(secret, "enc", ek) == 0 &&
	    crypto_cbc_decrypt_pkcs7(CRYPTO_CIPHER_AES_CBC, ek, sizeof(ek),
				     in + HDR, in + HDR + BLK, ct, p,
				     outlen) == 0) {
		*out = p;
		*why = NULL;
		rc = 0;
	}
	crypto_wipe(ek, sizeof(ek));
	if (rc < 0 && p != NULL)
		crypto_free_secure(p, ct);
	return rc;
}
