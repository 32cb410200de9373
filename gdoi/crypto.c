/*
 * crypto: OpenSSL 3 EVP wrappers for IKEv1 / GDOI (doc/protocol.md §3.3-§3.6,
 * §4.2-§4.3; RFC 2409 §5 and App. B).
 *
 * Owns the prf (HMAC through EVP_MAC, RFC 2409 "prf" = HMAC of the
 * negotiated hash since no PRF attribute is ever negotiated, §3.2), the
 * plain hash used for IVs, CBC without padding (IKEv1 pads itself, with
 * zero octets, and never lets the cipher add PKCS#7 padding), random
 * bytes, constant-time comparison and wiping.  OpenSSL's error queue is
 * cleared after a failure so that it cannot surface in an unrelated call.
 */
#include "gdoi/crypto.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "platform/log.h"
#include "platform/secmem.h"

static const char *
hash_md_name(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_SHA1:
		return "SHA1";
	case CRYPTO_HASH_SHA256:
		return "SHA2-256";
	case CRYPTO_HASH_SHA384:
		return "SHA2-384";
	case CRYPTO_HASH_SHA512:
		return "SHA2-512";
	}
	return NULL;
}

/*
 * Fetched algorithms are kept for the life of the process: fetching by
 * name on every call costs a property lookup under a lock each time, and
 * a registration makes a dozen prf and hash calls.  The control plane is
 * single-threaded.
 */
static EVP_MAC *
hmac_algorithm(void)
{
	static EVP_MAC *mac;

	if (mac == NULL)
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	return mac;
}

static EVP_MD *
digest_algorithm(enum crypto_hash h)
{
	static EVP_MD *md[CRYPTO_HASH_SHA512 + 1];
	const char *name = hash_md_name(h);

	if (name == NULL)
		return NULL;
	if (md[h] == NULL)
		md[h] = EVP_MD_fetch(NULL, name, NULL);
	return md[h];
}

size_t
crypto_hash_len(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_SHA1:
		return 20;
	case CRYPTO_HASH_SHA256:
		return 32;
	case CRYPTO_HASH_SHA384:
		return 48;
	case CRYPTO_HASH_SHA512:
		return 64;
	}
	return 0;
}

const char *
crypto_hash_name(enum crypto_hash h)
{
	switch (h) {
	case CRYPTO_HASH_SHA1:
		return "sha1";
	case CRYPTO_HASH_SHA256:
		return "sha256";
	case CRYPTO_HASH_SHA384:
		return "sha384";
	case CRYPTO_HASH_SHA512:
		return "sha512";
	}
	return "?";
}

/* HMAC with an empty key is legal (RFC 2104); EVP wants a pointer. */
static const uint8_t hmac_nokey;

/*
 * An HMAC context for h with its digest chosen and an empty key, made
 * once: every PRF starts from a copy, so the digest is not looked up by
 * name (under OpenSSL's locks) per call (doc/gdoi.md "Registration
 * cost").  Holds no secret.  NULL if OpenSSL cannot make it.
 */
static EVP_MAC_CTX *
hmac_template(enum crypto_hash h)
{
	static EVP_MAC_CTX *t[CRYPTO_HASH_SHA512 + 1];
	const char *md = hash_md_name(h);
	EVP_MAC *mac = hmac_algorithm();
	OSSL_PARAM params[2];

	if (md == NULL || mac == NULL)
		return NULL;
	if (t[h] != NULL)
		return t[h];
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)(uintptr_t)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((t[h] = EVP_MAC_CTX_new(mac)) != NULL &&
	    !EVP_MAC_init(t[h], &hmac_nokey, 0, params)) {
		EVP_MAC_CTX_free(t[h]);
		t[h] = NULL;
	}
	return t[h];
}

int
crypto_prf_init(struct crypto_prf *p, enum crypto_hash h, const void *key,
		size_t keylen)
{
	EVP_MAC_CTX *t = hmac_template(h);
	int rc = -1;

	p->ctx = NULL;
	p->len = crypto_hash_len(h);
	if (t == NULL || (p->ctx = EVP_MAC_CTX_dup(t)) == NULL)
		goto out;
	if (!EVP_MAC_init(p->ctx, keylen ? key : &hmac_nokey, keylen, NULL))
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		crypto_prf_abort(p);
		ERR_clear_error();
	}
	return rc;
}

int
crypto_prf_update(struct crypto_prf *p, const void *data, size_t len)
{
	if (p->ctx == NULL)
		return -1;
	if (len == 0)
		return 0;
	if (!EVP_MAC_update(p->ctx, data, len)) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int
crypto_prf_final(struct crypto_prf *p, uint8_t *out)
{
	size_t outl = 0;
	int rc = -1;

	if (p->ctx == NULL)
		goto out;
	if (!EVP_MAC_final(p->ctx, out, &outl, p->len) || outl != p->len) {
		ERR_clear_error();
		goto out;
	}
	rc = 0;
out:
	crypto_prf_abort(p);
	return rc;
}

void
crypto_prf_abort(struct crypto_prf *p)
{
	/* EVP_MAC_CTX_free cleanses the HMAC key state it holds. */
	EVP_MAC_CTX_free(p->ctx);
	p->ctx = NULL;
}

int
crypto_prf_v(enum crypto_hash h, const void *key, size_t keylen,
	     const struct crypto_iov *iov, size_t n, uint8_t *out)
{
	struct crypto_prf p;
	size_t i;

	if (crypto_prf_init(&p, h, key, keylen) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (crypto_prf_update(&p, iov[i].base, iov[i].len) != 0) {
			crypto_prf_abort(&p);
			return -1;
		}
	}
	return crypto_prf_final(&p, out);
}

int
crypto_prf(enum crypto_hash h, const void *key, size_t keylen,
	   const void *data, size_t len, uint8_t *out)
{
	struct crypto_iov iov = { data, len };

	return crypto_prf_v(h, key, keylen, &iov, 1, out);
}

int
crypto_hash_v(enum crypto_hash h, const struct crypto_iov *iov, size_t n,
	      uint8_t *out)
{
	const char *name = hash_md_name(h);
	EVP_MD_CTX *ctx = NULL;
	EVP_MD *md = NULL;
	unsigned int outl = 0;
	size_t i;
	int rc = -1;

	if (name == NULL)
		goto out;
	md = digest_algorithm(h);
	ctx = EVP_MD_CTX_new();
	if (md == NULL || ctx == NULL || !EVP_DigestInit_ex2(ctx, md, NULL))
		goto out;
	for (i = 0; i < n; i++) {
		if (iov[i].len && !EVP_DigestUpdate(ctx, iov[i].base,
						    iov[i].len))
			goto out;
	}
	if (!EVP_DigestFinal_ex(ctx, out, &outl) ||
	    outl != crypto_hash_len(h))
		goto out;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	if (rc != 0)
		ERR_clear_error();
	return rc;
}

size_t
crypto_cipher_block(enum crypto_cipher c)
{
	switch (c) {
	case CRYPTO_CIPHER_AES_CBC:
		return 16;
	case CRYPTO_CIPHER_3DES_CBC:
		return 8;
	}
	return 0;
}

bool
crypto_cipher_keylen_ok(enum crypto_cipher c, size_t keylen)
{
	switch (c) {
	case CRYPTO_CIPHER_AES_CBC:
		return keylen == 16 || keylen == 24 || keylen == 32;
	case CRYPTO_CIPHER_3DES_CBC:
		return keylen == 24;
	}
	return false;
}

/*
 * Fetched once, as the digests above: EVP_aes_256_cbc() and friends are
 * legacy handles that EVP_CipherInit_ex2 fetches by name on every call
 * (an eighth of a registration's key-server time went there).
 */
static const EVP_CIPHER *
cipher_get(enum crypto_cipher c, size_t keylen)
{
	static EVP_CIPHER *cache[4];	/* 3DES, AES-128, -192, -256 */
	static const char *const names[4] = {
		"DES-EDE3-CBC", "AES-128-CBC", "AES-192-CBC", "AES-256-CBC",
	};
	size_t i;

	if (!crypto_cipher_keylen_ok(c, keylen))
		return NULL;
	if (c == CRYPTO_CIPHER_3DES_CBC)
		i = 0;
	else
		i = keylen == 16 ? 1 : keylen == 24 ? 2 : 3;
	if (cache[i] == NULL)
		cache[i] = EVP_CIPHER_fetch(NULL, names[i], NULL);
	return cache[i];
}

static int
cbc_run(enum crypto_cipher c, const uint8_t *key, size_t keylen,
	const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len,
	int enc)
{
	const EVP_CIPHER *cipher = cipher_get(c, keylen);
	size_t bs = crypto_cipher_block(c);
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0;
	int rc = -1;

	if (cipher == NULL || len % bs != 0 || len > INT32_MAX)
		goto out;
	if (len == 0)
		return 0;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL ||
	    !EVP_CipherInit_ex2(ctx, cipher, key, iv, enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &outl, in, (int)len) ||
	    !EVP_CipherFinal_ex(ctx, out + outl, &finl) ||
	    (size_t)outl + (size_t)finl != len)
		goto out;
	rc = 0;
out:
	/* EVP_CIPHER_CTX_free cleanses the expanded key schedule. */
	EVP_CIPHER_CTX_free(ctx);
	if (rc != 0)
		ERR_clear_error();
	return rc;
}

int
crypto_cbc_encrypt(enum crypto_cipher c, const uint8_t *key, size_t keylen,
		   const uint8_t *iv, const uint8_t *in, uint8_t *out,
		   size_t len)
{
	return cbc_run(c, key, keylen, iv, in, out, len, 1);
}

int
crypto_cbc_decrypt(enum crypto_cipher c, const uint8_t *key, size_t keylen,
		   const uint8_t *iv, const uint8_t *in, uint8_t *out,
		   size_t len)
{
	return cbc_run(c, key, keylen, iv, in, out, len, 0);
}

size_t
crypto_pkcs7_len(enum crypto_cipher c, size_t len)
{
	size_t bs = crypto_cipher_block(c);

	return bs ? (len / bs + 1) * bs : 0;
}

int
crypto_cbc_encrypt_pkcs7(enum crypto_cipher c, const uint8_t *key,
			 size_t keylen, const uint8_t *iv, const uint8_t *in,
			 size_t len, uint8_t *out)
{
	size_t n = crypto_pkcs7_len(c, len);

	if (n == 0)
		return -1;
	memmove(out, in, len);
	memset(out + len, (int)(n - len), n - len);
	return cbc_run(c, key, keylen, iv, out, out, n, 1);
}

int
crypto_cbc_decrypt_pkcs7(enum crypto_cipher c, const uint8_t *key,
			 size_t keylen, const uint8_t *iv, const uint8_t *in,
			 size_t len, uint8_t *out, size_t *outlen)
{
	size_t bs = crypto_cipher_block(c);
	bool bad;
	uint8_t pad;

	if (bs == 0 || len == 0)
		return -1;
	if (cbc_run(c, key, keylen, iv, in, out, len, 0) < 0) {
		OPENSSL_cleanse(out, len);
		return -1;
	}
	pad = out[len - 1];
	bad = pad == 0 || pad > bs;
	for (size_t i = 0; !bad && i < pad; i++)
		bad = out[len - 1 - i] != pad;
	if (bad) {
		OPENSSL_cleanse(out, len);
		return -1;
	}
	*outlen = len - pad;
	return 0;
}

int
crypto_secure_heap(size_t size)
{
	if (CRYPTO_secure_malloc_initialized())
		return 0;
	return CRYPTO_secure_malloc_init(size, 32) == 0 ? -1 : 0;
}

static int
rand_fill(void *buf, size_t len)
{
	if (RAND_bytes(buf, (int)len) != 1) {
		ERR_clear_error();
		log_dbg(LOG_DBG_ISAKMP, "%s: RAND_bytes failed", __func__);
		return -1;
	}
	return 0;
}

/*
 * Small requests (nonces, cookies, SPIs, message IDs, keys) are served
 * from a pool filled by one RAND_bytes call per RAND_POOL octets: each
 * call costs about a microsecond of locking and DRBG set-up, and a
 * registration makes several (doc/gdoi.md "Registration cost").  The
 * pool is secmem (out of core dumps, wiped in a child after fork) and a
 * fork handler empties the child's copy as well, so a child refills
 * before its first use and parent and child never share octets, even on
 * a kernel without MADV_WIPEONFORK (asking getpid(2) at every draw cost
 * more than the pool saved); every octet is wiped as it is handed out.
 * Single-threaded, as the event loop is.
 */
#define RAND_POOL 4096
#define RAND_POOLED_MAX 64

struct rand_pool {
	uint32_t left;			/* unused octets at the end */
	uint8_t b[RAND_POOL];
};

static struct rand_pool *pool;

static void
pool_forked(void)
{
	if (pool != NULL) {
		crypto_wipe(pool->b, RAND_POOL);
		pool->left = 0;
	}
}

static struct rand_pool *
pool_get(void)
{
	if (pool == NULL && (pool = secmem_calloc(sizeof(*pool))) != NULL &&
	    pthread_atfork(NULL, NULL, pool_forked) != 0) {
		secmem_free(pool);	/* no fork safety: no pool */
		pool = NULL;
	}
	return pool;
}

int
crypto_random(void *buf, size_t len)
{
	uint8_t *at;

	if (len > INT32_MAX)
		return -1;
	if (len == 0)
		return 0;
	if (len > RAND_POOLED_MAX || pool_get() == NULL)
		return rand_fill(buf, len);
	if (pool->left < len) {
		if (rand_fill(pool->b, RAND_POOL) != 0)
			return -1;
		pool->left = RAND_POOL;
	}
	at = pool->b + RAND_POOL - pool->left;
	memcpy(buf, at, len);
	crypto_wipe(at, len);
	pool->left -= (uint32_t)len;
	return 0;
}

bool
crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

void
crypto_wipe(void *p, size_t len)
{
	/* explicit_bzero: a wipe the compiler keeps, at memset's speed
	 * (OPENSSL_cleanse is several times slower on large structs) */
	if (p != NULL && len != 0)
		explicit_bzero(p, len);
}

void
crypto_free_secure(void *p, size_t len)
{
	if (p == NULL)
		return;
	crypto_wipe(p, len);
	free(p);
}

int
crypto_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}
