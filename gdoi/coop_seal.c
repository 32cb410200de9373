/*
 * coop_seal: the sealed key state of COOP (see coop_seal.h).
 */
#include "gdoi/coop_seal.h"

#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/rsakey.h"

#define SEAL_KEY 32
#define SEAL_BLK 16

int
coop_seal(const struct rsakey *key, const uint8_t *in, size_t len,
	  struct buf_writer *w)
{
	size_t padded = crypto_pkcs7_len(CRYPTO_CIPHER_AES_CBC, len);
	size_t wlen = rsakey_sig_len(key);
	uint8_t k[SEAL_KEY], iv[SEAL_BLK], wrap[RSAKEY_MAX_SIG];
	uint8_t *buf = malloc(padded);
	int rc = -1;

	if (buf == NULL || wlen > sizeof(wrap) || crypto_random(k, sizeof(k)) ||
	    crypto_random(iv, sizeof(iv)))
		goto out;
	if (rsakey_encrypt(key, k, sizeof(k), wrap, &wlen) ||
	    crypto_cbc_encrypt_pkcs7(CRYPTO_CIPHER_AES_CBC, k, sizeof(k), iv,
				     in, len, buf))
		goto out;
	buf_put_bytes(w, wrap, wlen);
	buf_put_bytes(w, iv, sizeof(iv));
	buf_put_bytes(w, buf, padded);
	rc = buf_writer_failed(w) ? -1 : 0;
out:
	crypto_wipe(k, sizeof(k));
	if (buf != NULL)
		crypto_free_secure(buf, padded);
	return rc;
}

int
coop_unseal(const struct rsakey *key, const uint8_t *in, size_t len,
	    uint8_t *out, size_t *outlen)
{
	size_t wlen = rsakey_sig_len(key), klen, ct;
	uint8_t k[RSAKEY_MAX_SIG];
	int rc;

	klen = sizeof(k);
	if (len < wlen + 2 * SEAL_BLK || (len - wlen - SEAL_BLK) % SEAL_BLK)
		return -1;
	ct = len - wlen - SEAL_BLK;
	rc = ct > *outlen ||
	     rsakey_decrypt(key, in, wlen, k, &klen) || klen != SEAL_KEY ||
	     crypto_cbc_decrypt_pkcs7(CRYPTO_CIPHER_AES_CBC, k, SEAL_KEY,
				      in + wlen, in + wlen + SEAL_BLK, ct, out,
				      outlen) ? -1 : 0;
	crypto_wipe(k, sizeof(k));
	return rc;
}
