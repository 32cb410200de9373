/*
 * rsakey: RSA key pairs for the KS rekey signature and IKEv1 RSA-sig
 * (doc/protocol.md §3.5, §4 SIG_ALGORITHM_KEY, §5.3), over OpenSSL 3 EVP.
 *
 * Owns generation, PKCS#8 serialization in memory (no file I/O: the key
 * store in roles/ decides where keys live), the DER SubjectPublicKeyInfo
 * shown by `show crypto key mypubkey rsa` and sent to GMs, and PKCS#1
 * v1.5 signatures in the DigestInfo form (RFC 8017 §8.2) and the raw
 * form used by IKEv1 and GDOI rekeys.
 *
 * Serialized private keys only pass through secure-heap BIOs and buffers
 * that are wiped before they are freed.  OpenSSL's error queue is cleared
 * after every failure so that a bad key file cannot leave stale errors
 * for an unrelated caller to trip over.
 */
#include "gdoi/rsakey.h"
#include "gdoi/crypto.h"
#include "gdoi/rsakey_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

struct rsakey {
	EVP_PKEY *pkey;
	bool priv;
	uint8_t *pub;		/* DER SubjectPublicKeyInfo */
	size_t publen;
};

/* RFC 8017 §9.2 note 1: DER DigestInfo prefixes, the digest follows. */
static const uint8_t di_sha1[] = {
	0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a,
	0x05, 0x00, 0x04, 0x14,
};
static const uint8_t di_sha256[] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};
static const uint8_t di_sha384[] = {
	0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
};
static const uint8_t di_sha512[] = {
	0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
};

static const EVP_MD *
md_get(enum rsakey_md md, const uint8_t **di, size_t *dilen)
{
	switch (md) {
	case RSAKEY_SHA1:
		*di = di_sha1;
		*dilen = sizeof(di_sha1);
		return EVP_sha1();
	case RSAKEY_SHA256:
		*di = di_sha256;
		*dilen = sizeof(di_sha256);
		return EVP_sha256();
	case RSAKEY_SHA384:
		*di = di_sha384;
		*dilen = sizeof(di_sha384);
		return EVP_sha384();
	case RSAKEY_SHA512:
		*di = di_sha512;
		*dilen = sizeof(di_sha512);
		return EVP_sha512();
	}
	return NULL;
}

/* Wrap pkey (taken over) once it is known to be RSA; caches the SPKI. */
static struct rsakey *
key_wrap(EVP_PKEY *pkey, bool priv)
{
	struct rsakey *k = NULL;
	unsigned char *p = NULL;
	int n;

	/* Sizes outside what `crypto key generate rsa` allows are refused
	 * here too, which bounds the work a peer's key can cause. */
	if (pkey == NULL || !EVP_PKEY_is_a(pkey, "RSA") ||
	    EVP_PKEY_get_bits(pkey) < RSAKEY_MIN_BITS ||
	    EVP_PKEY_get_bits(pkey) > RSAKEY_MAX_BITS)
		goto fail;
	n = i2d_PUBKEY(pkey, &p);
	if (n <= 0)
		goto fail;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		goto fail;
	k->pub = malloc((size_t)n);
	if (k->pub == NULL)
		goto fail;
	memcpy(k->pub, p, (size_t)n);
	k->publen = (size_t)n;
	k->pkey = pkey;
	k->priv = priv;
	OPENSSL_free(p);
	return k;
fail:
	OPENSSL_free(p);
	if (k != NULL)
		free(k->pub);
	free(k);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return NULL;
}

struct rsakey *
rsakey_wrap_public(EVP_PKEY *pkey)
{
	return key_wrap(pkey, false);
}

EVP_PKEY *
rsakey_pkey(const struct rsakey *k)
{
	return k->pkey;
}

struct rsakey *
rsakey_generate(unsigned bits)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	if (bits < RSAKEY_MIN_BITS || bits > RSAKEY_MAX_BITS)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) <= 0 ||
	    EVP_PKEY_generate(ctx, &pkey) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		ERR_clear_error();
		return NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return key_wrap(pkey, true);
}

/* A loaded private key must be a consistent pair (n = p*q, d matches e),
 * so that a damaged file is refused at load rather than signing garbage. */
struct rsakey *
rsakey_wrap_private(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if (pkey == NULL || !EVP_PKEY_is_a(pkey, "RSA"))
		return key_wrap(pkey, true);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	ok = ctx != NULL && EVP_PKEY_pairwise_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return NULL;
	}
	return key_wrap(pkey, true);
}

/* OpenSSL's pem_password_cb: hand over the passphrase given. */
static int
give_pass(char *buf, int size, int rwflag, void *u)
{
	size_t n = strlen(u);

	(void)rwflag;
	if (size < 0 || n > (size_t)size)
		return -1;
	memcpy(buf, u, n);
	return (int)n;
}

EVP_PKEY *
rsakey_pem_read(const char *pem, size_t len, bool priv, const char *pass)
{
	BIO *bio;
	EVP_PKEY *pkey;

	if (pem == NULL || len == 0 || len > INT32_MAX)
		return NULL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL) {
		ERR_clear_error();
		return NULL;
	}
	if (!priv)
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	else if (pass != NULL)
		pkey = PEM_read_bio_PrivateKey(bio, NULL, give_pass,
					       (void *)(uintptr_t)pass);
	else
		pkey = PEM_read_bio_PrivateKey(bio, NULL, crypto_no_passphrase,
					       NULL);
	BIO_free(bio);
	ERR_clear_error();
	return pkey;
}

struct rsakey *
rsakey_from_pem(const char *pem, size_t len)
{
	EVP_PKEY *pkey = rsakey_pem_read(pem, len, true, NULL);

	return pkey != NULL ? rsakey_wrap_private(pkey) : NULL;
}

/* The key that is all of der (len octets): a private key (PKCS#1 or
 * PKCS#8) or a SubjectPublicKeyInfo; NULL if der is anything else or
 * has octets left over. */
static EVP_PKEY *
der_key(const uint8_t *der, size_t len, bool private)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey;

	if (der == NULL || len == 0 || len > INT32_MAX)
		return NULL;
	pkey = private ? d2i_AutoPrivateKey(NULL, &p, (long)len)
		       : d2i_PUBKEY(NULL, &p, (long)len);
	if (pkey == NULL || p != der + len) {
		EVP_PKEY_free(pkey);
		ERR_clear_error();
		return NULL;
	}
	return pkey;
}

struct rsakey *
rsakey_from_der(const uint8_t *der, size_t len)
{
	return rsakey_wrap_private(der_key(der, len, true));
}

struct rsakey *
rsakey_from_pub_der(const uint8_t *der, size_t len)
{
	return key_wrap(der_key(der, len, false), false);
}

struct rsakey *
rsakey_ref(const struct rsakey *k)
{
	struct rsakey *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->pub = malloc(k->publen)) == NULL ||
	    EVP_PKEY_up_ref(k->pkey) != 1) {
		if (r != NULL)
			free(r->pub);
		free(r);
		return NULL;
	}
	memcpy(r->pub, k->pub, k->publen);
	r->publen = k->publen;
	r->priv = k->priv;
	r->pkey = k->pkey;
	return r;
}

void
rsakey_free(struct rsakey *k)
{
	if (k == NULL)
		return;
	/* EVP_PKEY_free clears the RSA bignums (BN_clear_free). */
	EVP_PKEY_free(k->pkey);
	free(k->pub);
	free(k);
}

void
rsakey_buf_free(void *buf, size_t len)
{
	if (buf == NULL)
		return;
	OPENSSL_cleanse(buf, len);
	free(buf);
}

/* Copy a (secure-heap) BIO's contents into a malloc'd buffer (+ NUL). */
int
rsakey_bio_take(BIO *bio, void **out, size_t *len)
{
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	char *buf;

	if (n <= 0)
		return -1;
	buf = malloc((size_t)n + 1);
	if (buf == NULL)
		return -1;
	memcpy(buf, data, (size_t)n);
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return 0;
}

/* The private key written by put() into secure memory, handed out. */
static int
key_export(const struct rsakey *k, int (*put)(BIO *bio, const EVP_PKEY *pk),
	   void **out, size_t *len)
{
	BIO *bio;
	int rc = -1;

	if (k == NULL || !k->priv)
		return -1;
	bio = BIO_new(BIO_s_secmem());
	if (bio == NULL || put(bio, k->pkey) != 1 ||
	    rsakey_bio_take(bio, out, len) < 0)
		goto out;
	rc = 0;
out:
	BIO_free(bio);	/* secure heap: cleared on free */
	if (rc < 0)
		ERR_clear_error();
	return rc;
}

/* PEM_write_bio_PKCS8PrivateKey writes PKCS#8 "BEGIN PRIVATE KEY". */
static int
put_pem(BIO *bio, const EVP_PKEY *pk)
{
	return PEM_write_bio_PKCS8PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL);
}

static int
put_der(BIO *bio, const EVP_PKEY *pk)
{
	return i2d_PKCS8PrivateKey_bio(bio, pk, NULL, NULL, 0, NULL, NULL);
}

int
rsakey_to_pem(const struct rsakey *k, char **out, size_t *len)
{
	void *buf = NULL;

	if (key_export(k, put_pem, &buf, len) < 0)
		return -1;
	*out = buf;
	return 0;
}

int
rsakey_to_der(const struct rsakey *k, uint8_t **out, size_t *len)
{
	void *buf = NULL;

	if (key_export(k, put_der, &buf, len) < 0)
		return -1;
	*out = buf;
	return 0;
}

unsigned
rsakey_bits(const struct rsakey *k)
{
	return (unsigned)EVP_PKEY_get_bits(k->pkey);
}

size_t
rsakey_sig_len(const struct rsakey *k)
{
	return (size_t)EVP_PKEY_get_size(k->pkey);
}

bool
rsakey_has_private(const struct rsakey *k)
{
	return k->priv;
}

const uint8_t *
rsakey_pub_der(const struct rsakey *k, size_t *len)
{
	*len = k->publen;
	return k->pub;
}

bool
rsakey_pub_equal(const struct rsakey *a, const struct rsakey *b)
{
	return a->publen == b->publen &&
	       memcmp(a->pub, b->pub, a->publen) == 0;
}

/* One raw RSA operation with type-1 padding (no hashing): init and op
 * are EVP_PKEY_sign_init/_sign or EVP_PKEY_verify_recover_init/_recover. */
static int
padded_op(const struct rsakey *k, int (*init)(EVP_PKEY_CTX *),
	  int (*op)(EVP_PKEY_CTX *, unsigned char *, size_t *,
		    const unsigned char *, size_t),
	  const uint8_t *in, size_t inlen, uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
	size_t n = *outlen;
	int rc = -1;

	if (ctx != NULL && init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
	    op(ctx, out, &n, in, inlen) > 0) {
		*outlen = n;
		rc = 0;
	}
	EVP_PKEY_CTX_free(ctx);
	if (rc < 0)
		ERR_clear_error();
	return rc;
}

/* The private-key operation with type-1 padding over in (no hashing). */
static int
sign_block(const struct rsakey *k, const uint8_t *in, size_t inlen,
	   uint8_t *sig, size_t *siglen)
{
	if (!k->priv || *siglen < rsakey_sig_len(k))
		return -1;
	return padded_op(k, EVP_PKEY_sign_init, EVP_PKEY_sign, in, inlen, sig,
			 siglen);
}

/* The public-key operation, type-1 padding removed: the signed block. */
static int
recover_block(const struct rsakey *k, const uint8_t *sig, size_t siglen,
	      uint8_t *out, size_t *outlen)
{
	if (siglen != rsakey_sig_len(k))
		return -1;
	return padded_op(k, EVP_PKEY_verify_recover_init,
			 EVP_PKEY_verify_recover, sig, siglen, out, outlen);
}

static int
sign_digestinfo(const struct rsakey *k, const EVP_MD *md, const void *data,
		size_t len, uint8_t *sig, size_t *siglen)
{
	EVP_MD_CTX *mctx;
	EVP_PKEY_CTX *pctx = NULL;
	size_t n = *siglen;
	int rc = -1;

	if (!k->priv || n < rsakey_sig_len(k))
		return -1;
	mctx = EVP_MD_CTX_new();
	if (mctx == NULL ||
	    EVP_DigestSignInit(mctx, &pctx, md, NULL, k->pkey) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_DigestSign(mctx, sig, &n, data, len) <= 0)
		goto out;
	*siglen = n;
	rc = 0;
out:
	EVP_MD_CTX_free(mctx);
	if (rc < 0)
		ERR_clear_error();
	return rc;
}

int
rsakey_sign(const struct rsakey *k, enum rsakey_md md, enum rsakey_sigfmt fmt,
	    const void *data, size_t len, uint8_t *sig, size_t *siglen)
{
	const uint8_t *di;
	size_t dilen;
	const EVP_MD *emd = md_get(md, &di, &dilen);
	uint8_t dgst[EVP_MAX_MD_SIZE];
	unsigned dlen;

	if (k == NULL || emd == NULL)
		return -1;
	if (fmt == RSAKEY_SIG_PKCS1)
		return sign_digestinfo(k, emd, data, len, sig, siglen);
	if (fmt != RSAKEY_SIG_RAW ||
	    EVP_Digest(data, len, dgst, &dlen, emd, NULL) != 1) {
		ERR_clear_error();
		return -1;
	}
	return sign_block(k, dgst, dlen, sig, siglen);
}

static int
verify_digestinfo(const struct rsakey *k, const EVP_MD *md, const void *data,
		  size_t len, const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *mctx;
	EVP_PKEY_CTX *pctx = NULL;
	int rc = -1;

	if (siglen != rsakey_sig_len(k))
		return -1;
	mctx = EVP_MD_CTX_new();
	if (mctx == NULL ||
	    EVP_DigestVerifyInit(mctx, &pctx, md, NULL, k->pkey) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	if (EVP_DigestVerify(mctx, sig, siglen, data, len) == 1)
		rc = 0;
out:
	EVP_MD_CTX_free(mctx);
	if (rc < 0)
		ERR_clear_error();
	return rc;
}

/* Compare the recovered block with digest and/or DigestInfo | digest. */
static int
match_block(const uint8_t *blk, size_t blen, const uint8_t *di, size_t dilen,
	    const uint8_t *dgst, size_t dlen, unsigned accept)
{
	if ((accept & RSAKEY_SIG_RAW) && blen == dlen &&
	    CRYPTO_memcmp(blk, dgst, dlen) == 0)
		return 0;
	if ((accept & RSAKEY_SIG_PKCS1) && blen == dilen + dlen &&
	    CRYPTO_memcmp(blk, di, dilen) == 0 &&
	    CRYPTO_memcmp(blk + dilen, dgst, dlen) == 0)
		return 0;
	return -1;
}

int
rsakey_verify(const struct rsakey *k, enum rsakey_md md, unsigned accept,
	      const void *data, size_t len, const uint8_t *sig, size_t siglen)
{
	const uint8_t *di;
	size_t dilen;
	const EVP_MD *emd = md_get(md, &di, &dilen);
	uint8_t dgst[EVP_MAX_MD_SIZE];
	uint8_t blk[RSAKEY_MAX_SIG];
	size_t blen = sizeof(blk);
	unsigned dlen;

	if (k == NULL || emd == NULL || sig == NULL)
		return -1;
	if (accept == RSAKEY_SIG_PKCS1)
		return verify_digestinfo(k, emd, data, len, sig, siglen);
	if (EVP_Digest(data, len, dgst, &dlen, emd, NULL) != 1) {
		ERR_clear_error();
		return -1;
	}
	if (recover_block(k, sig, siglen, blk, &blen) < 0)
		return -1;
	return match_block(blk, blen, di, dilen, dgst, dlen, accept);
}

int
rsakey_sign_hash(const struct rsakey *k, const uint8_t *hash, size_t hlen,
		 uint8_t *sig, size_t *siglen)
{
	if (k == NULL || hash == NULL || hlen == 0)
		return -1;
	return sign_block(k, hash, hlen, sig, siglen);
}

int
rsakey_verify_hash(const struct rsakey *k, const uint8_t *hash, size_t hlen,
		   const uint8_t *sig, size_t siglen)
{
	uint8_t blk[RSAKEY_MAX_SIG];
	size_t blen = sizeof(blk);

	if (k == NULL || hash == NULL || sig == NULL)
		return -1;
	if (recover_block(k, sig, siglen, blk, &blen) < 0)
		return -1;
	if (blen != hlen || CRYPTO_memcmp(blk, hash, hlen) != 0)
		return -1;
	return 0;
}

/* RSAES-OAEP (RFC 8017 §7.1) with SHA-256 and MGF1-SHA-256. */
static EVP_PKEY_CTX *
oaep_ctx(const struct rsakey *k, bool enc)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(k->pkey, NULL);

	if (c == NULL)
		return NULL;
	if ((enc ? EVP_PKEY_encrypt_init(c) : EVP_PKEY_decrypt_init(c)) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) != 1) {
		EVP_PKEY_CTX_free(c);
		return NULL;
	}
	return c;
}

int
rsakey_encrypt(const struct rsakey *k, const void *in, size_t len,
	       uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *c = k ? oaep_ctx(k, true) : NULL;
	int rc = -1;

	if (c != NULL && EVP_PKEY_encrypt(c, out, outlen, in, len) == 1)
		rc = 0;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	return rc;
}

int
rsakey_decrypt(const struct rsakey *k, const uint8_t *in, size_t len,
	       uint8_t *out, size_t *outlen)
{
	EVP_PKEY_CTX *c = k && k->priv ? oaep_ctx(k, false) : NULL;
	int rc = -1;

	if (c != NULL && EVP_PKEY_decrypt(c, out, outlen, in, len) == 1)
		rc = 0;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	return rc;
}
