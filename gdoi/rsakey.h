/*
 * rsakey: RSA key pairs through OpenSSL EVP, kept opaque so that no
 * caller above gdoi/ needs OpenSSL headers.
 *
 * A key is either a full pair (generated, or loaded from a PKCS#8 /
 * PKCS#1 private key) or public only (loaded from a DER
 * SubjectPublicKeyInfo, as a GM receives the KS rekey key in the KEK
 * SIG_ALGORITHM_KEY attribute, doc/protocol.md §4).  Serialized private keys
 * live in buffers that rsakey_buf_free() wipes before freeing.
 *
 * Signatures (doc/protocol.md §3.5 and §5.3) come in two PKCS#1 v1.5 forms:
 * RSASSA-PKCS1-v1_5 with a DigestInfo (RFC 8017 §8.2) and the "raw" form
 * that pads the bare digest with type-1 padding, as IKEv1 and existing
 * GDOI implementations do.  Verifiers may accept either.
 */
#ifndef GDOI_RSAKEY_H
#define GDOI_RSAKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rsakey;

#define RSAKEY_MIN_BITS 512
#define RSAKEY_MAX_BITS 4096
#define RSAKEY_MAX_SIG (RSAKEY_MAX_BITS / 8)

enum rsakey_md {
	RSAKEY_SHA1,
	RSAKEY_SHA256,
	RSAKEY_SHA384,
	RSAKEY_SHA512,
};

/* Signature encodings; rsakey_verify() takes a mask of the accepted ones. */
enum rsakey_sigfmt {
	RSAKEY_SIG_PKCS1 = 1 << 0,	/* EMSA-PKCS1-v1_5: DigestInfo | digest */
	RSAKEY_SIG_RAW = 1 << 1,	/* type-1 padding over the bare digest */
};

/**
 * rsakey_generate - a new key pair of bits bits (RSAKEY_MIN_BITS ..
 * RSAKEY_MAX_BITS), public exponent 65537.  NULL on failure.
 */
struct rsakey *rsakey_generate(unsigned bits);

/**
 * rsakey_from_pem - load a private key: PKCS#8 "PRIVATE KEY" or PKCS#1
 * "RSA PRIVATE KEY" PEM.  Text before the PEM block is ignored (RFC 7468
 * explanatory text).  Encrypted PEM is refused, never prompted for.
 * The pair is checked for consistency.  NULL if it is not a usable RSA key.
 */
struct rsakey *rsakey_from_pem(const char *pem, size_t len);
/** rsakey_from_der - the same for a DER PKCS#8 or PKCS#1 private key. */
struct rsakey *rsakey_from_der(const uint8_t *der, size_t len);
/** rsakey_from_pub_der - a public-only key from DER SubjectPublicKeyInfo. */
struct rsakey *rsakey_from_pub_der(const uint8_t *der, size_t len);

/** rsakey_free - free and wipe; NULL is fine. */
void rsakey_free(struct rsakey *k);
/**
 * rsakey_ref - a second handle on k's key (shared, not copied), which
 * stays valid after k is freed; free it with rsakey_free().  NULL when
 * out of memory.
 */
struct rsakey *rsakey_ref(const struct rsakey *k);

/**
 * rsakey_to_pem / rsakey_to_der - the private key as PKCS#8 (PEM text,
 * NUL-terminated, or DER).  *out is malloc'd; release it with
 * rsakey_buf_free(*out, *len).  -1 for public-only keys or on failure.
 */
int rsakey_to_pem(const struct rsakey *k, char **out, size_t *len);
int rsakey_to_der(const struct rsakey *k, uint8_t **out, size_t *len);
/** rsakey_buf_free - wipe len bytes of buf, then free it. */
void rsakey_buf_free(void *buf, size_t len);

/*
 * Passphrase-protected PEM, as `crypto key export|import rsa ... pem`
 * moves a pair between key servers (doc/keyserver.md "Moving a key
 * pair").  Export: the public key as "PUBLIC KEY" PEM, the private key as
 * traditional "RSA PRIVATE KEY" PEM encrypted under pass (Proc-Type and
 * DEK-Info headers: 3DES-CBC or AES-128-CBC).  Import: an encrypted
 * private key in any PEM form OpenSSL reads (traditional or PKCS#8);
 * NULL for a wrong passphrase, a damaged or truncated block, a key that
 * is not RSA of the allowed sizes, or an inconsistent pair.
 */
enum rsakey_pem_cipher { RSAKEY_PEM_3DES, RSAKEY_PEM_AES };
int rsakey_pub_to_pem(const struct rsakey *k, char **out, size_t *len);
int rsakey_to_pem_encrypted(const struct rsakey *k, enum rsakey_pem_cipher c,
			    const char *pass, char **out, size_t *len);
struct rsakey *rsakey_from_pem_encrypted(const char *pem, size_t len,
					 const char *pass);
/** rsakey_from_pub_pem - a public-only key from "PUBLIC KEY" PEM. */
struct rsakey *rsakey_from_pub_pem(const char *pem, size_t len);

/** rsakey_bits - the modulus size in bits. */
unsigned rsakey_bits(const struct rsakey *k);
/** rsakey_sig_len - the signature size in bytes (modulus size). */
size_t rsakey_sig_len(const struct rsakey *k);
/** rsakey_has_private - true for a key pair, false for a public key. */
bool rsakey_has_private(const struct rsakey *k);
/**
 * rsakey_pub_der - the public key as DER SubjectPublicKeyInfo, valid as
 * long as k.  That is what `show crypto key mypubkey rsa` prints and what
 * the KS sends to GMs.
 */
const uint8_t *rsakey_pub_der(const struct rsakey *k, size_t *len);
/** rsakey_pub_equal - true when both keys have the same public key. */
bool rsakey_pub_equal(const struct rsakey *a, const struct rsakey *b);

/**
 * rsakey_sign - hash data with md and sign it in format fmt.  sig has
 * room for *siglen bytes (at least rsakey_sig_len(k)); *siglen is set to
 * the signature length.  0, or -1 on failure.
 */
int rsakey_sign(const struct rsakey *k, enum rsakey_md md,
		enum rsakey_sigfmt fmt, const void *data, size_t len,
		uint8_t *sig, size_t *siglen);
/**
 * rsakey_verify - 0 when sig is a signature of data under md in one of
 * the formats of the accept mask, -1 otherwise.  The signature must be
 * exactly rsakey_sig_len(k) bytes long.
 */
int rsakey_verify(const struct rsakey *k, enum rsakey_md md, unsigned accept,
		  const void *data, size_t len, const uint8_t *sig,
		  size_t siglen);

/**
 * rsakey_sign_hash / rsakey_verify_hash - type-1 padding over hash as
 * given, for values that are already a hash or PRF output (IKEv1
 * HASH_I/HASH_R signatures, doc/protocol.md §3.5).
 */
/*
 * rsakey_encrypt / rsakey_decrypt - RSAES-OAEP, SHA-256, MGF1-SHA-256:
 * *outlen is the room in out, then the length written (encrypt: the
 * modulus length).  -1 on any failure (decrypt: also a wrong key).
 */
int rsakey_encrypt(const struct rsakey *k, const void *in, size_t len,
		   uint8_t *out, size_t *outlen);
int rsakey_decrypt(const struct rsakey *k, const uint8_t *in, size_t len,
		   uint8_t *out, size_t *outlen);

int rsakey_sign_hash(const struct rsakey *k, const uint8_t *hash, size_t hlen,
		     uint8_t *sig, size_t *siglen);
int rsakey_verify_hash(const struct rsakey *k, const uint8_t *hash,
		       size_t hlen, const uint8_t *sig, size_t siglen);

#endif
