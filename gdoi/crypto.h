/*
 * crypto: the OpenSSL EVP primitives IKEv1 and GDOI are built from
 * (doc/protocol.md §3.3-§3.6, §4.2-§4.3): the keyed prf (HMAC with the
 * negotiated hash), the plain hash, CBC encryption of whole blocks,
 * random bytes, constant-time comparison and wiping.
 *
 * Every IKEv1 formula hashes a concatenation, so the prf is incremental
 * (crypto_prf_init / _update / _final) and also takes a list of byte
 * ranges (crypto_prf_v) so that callers never build temporary buffers
 * holding key material.  No OpenSSL header is needed to use this one.
 */
#ifndef GDOI_CRYPTO_H
#define GDOI_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* OpenSSL's public name for a MAC context (EVP_MAC_CTX). */
struct evp_mac_ctx_st;

/* Hashes behind the IKEv1 prf; RFC 2409 App. A hash algorithm values. */
enum crypto_hash {
	CRYPTO_HASH_SHA1,
	CRYPTO_HASH_SHA256,
	CRYPTO_HASH_SHA384,
	CRYPTO_HASH_SHA512,
};

#define CRYPTO_MAX_HASH 64	/* SHA-512 output, the largest prf output */
#define CRYPTO_MAX_KEY 32	/* AES-256 */
#define CRYPTO_MAX_BLOCK 16	/* AES block; 3DES uses 8 */

/* CBC ciphers for the Phase 1 SA (RFC 2409 App. A encryption algorithms). */
enum crypto_cipher {
	CRYPTO_CIPHER_AES_CBC,	/* key 16, 24 or 32 octets */
	CRYPTO_CIPHER_3DES_CBC,	/* key 24 octets, legacy */
};

/* One byte range of a concatenation: prf(K, iov[0] | iov[1] | ...). */
struct crypto_iov {
	const void *base;
	size_t len;
};

/* An incremental prf computation; lives on the caller's stack. */
struct crypto_prf {
	struct evp_mac_ctx_st *ctx;
	size_t len;		/* output length */
};

/** crypto_hash_len - output length of h in octets (0 for a bad value). */
size_t crypto_hash_len(enum crypto_hash h);
/** crypto_hash_name - "sha1", "sha256", ... for log lines. */
const char *crypto_hash_name(enum crypto_hash h);

/**
 * crypto_prf_init - start prf(key, ...) = HMAC-h keyed with key.  The key
 * may be empty.  On failure nothing needs to be freed.
 */
int crypto_prf_init(struct crypto_prf *p, enum crypto_hash h,
		    const void *key, size_t keylen);
/** crypto_prf_update - append len octets to the prf input. */
int crypto_prf_update(struct crypto_prf *p, const void *data, size_t len);
/**
 * crypto_prf_final - write crypto_hash_len(h) octets to out and release
 * the context (also on failure).
 */
int crypto_prf_final(struct crypto_prf *p, uint8_t *out);
/** crypto_prf_abort - release a context without producing output. */
void crypto_prf_abort(struct crypto_prf *p);

/** crypto_prf - one-shot prf(key, data). */
int crypto_prf(enum crypto_hash h, const void *key, size_t keylen,
	       const void *data, size_t len, uint8_t *out);
/** crypto_prf_v - prf(key, iov[0] | ... | iov[n-1]). */
int crypto_prf_v(enum crypto_hash h, const void *key, size_t keylen,
		 const struct crypto_iov *iov, size_t n, uint8_t *out);

/** crypto_hash_v - plain hash H(iov[0] | ... | iov[n-1]). */
int crypto_hash_v(enum crypto_hash h, const struct crypto_iov *iov, size_t n,
		  uint8_t *out);

/** crypto_cipher_block - block size of c (16 or 8), 0 for a bad value. */
size_t crypto_cipher_block(enum crypto_cipher c);
/** crypto_cipher_keylen_ok - true when keylen octets is valid for c. */
bool crypto_cipher_keylen_ok(enum crypto_cipher c, size_t keylen);

/**
 * crypto_cbc_encrypt / crypto_cbc_decrypt - CBC over len octets, a
 * multiple of the block size, without padding.  iv is one block.  in and
 * out may be the same buffer.  -1 on a bad length, key or cipher.
 */
int crypto_cbc_encrypt(enum crypto_cipher c, const uint8_t *key,
		       size_t keylen, const uint8_t *iv, const uint8_t *in,
		       uint8_t *out, size_t len);
int crypto_cbc_decrypt(enum crypto_cipher c, const uint8_t *key,
		       size_t keylen, const uint8_t *iv, const uint8_t *in,
		       uint8_t *out, size_t len);

/**
 * crypto_cbc_encrypt_pkcs7 / crypto_cbc_decrypt_pkcs7 - CBC with PKCS#7
 * padding (always 1 to one block of it), for data at rest and sealed
 * state, never for IKE (which pads itself).  Encryption writes
 * crypto_pkcs7_len(c, len) octets to out (in may be out).  Decryption
 * writes len octets to out and the length without padding to *outlen;
 * -1 on a bad length or padding (out wiped then).  Authenticate before
 * decrypting: the padding check is not constant-time.
 */
size_t crypto_pkcs7_len(enum crypto_cipher c, size_t len);
int crypto_cbc_encrypt_pkcs7(enum crypto_cipher c, const uint8_t *key,
			     size_t keylen, const uint8_t *iv,
			     const uint8_t *in, size_t len, uint8_t *out);
int crypto_cbc_decrypt_pkcs7(enum crypto_cipher c, const uint8_t *key,
			     size_t keylen, const uint8_t *iv,
			     const uint8_t *in, size_t len, uint8_t *out,
			     size_t *outlen);

/** crypto_random - len octets from the OpenSSL CSPRNG. */
int crypto_random(void *buf, size_t len);

/**
 * crypto_secure_heap - set up OpenSSL's secure heap of size octets
 * (locked in memory, MADV_DONTDUMP: out of core dumps), where OpenSSL
 * keeps the private parts of RSA and EC keys from then on.  0 (also when
 * it exists already), or -1 when the kernel refused (RLIMIT_MEMLOCK).
 */
int crypto_secure_heap(size_t size);

/** crypto_equal - constant-time comparison: true when equal. */
bool crypto_equal(const void *a, const void *b, size_t len);

/** crypto_wipe - clear len octets that held key material. */
void crypto_wipe(void *p, size_t len);
/** crypto_free_secure - wipe len octets of p, then free(p); NULL is fine. */
void crypto_free_secure(void *p, size_t len);

/* OpenSSL PEM passphrase callback that refuses: keys and certificates we
 * read are never encrypted, and nothing may stop to prompt. */
int crypto_no_passphrase(char *buf, int size, int rwflag, void *u);

#endif
