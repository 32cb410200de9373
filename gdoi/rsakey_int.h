/*
 * rsakey_int: what gdoi/rsakey.c shares with rsakey_pem.c: the OpenSSL
 * key inside a struct rsakey, wrapping a loaded key, and copying a BIO's
 * contents out.
 */
#ifndef GDOI_RSAKEY_INT_H
#define GDOI_RSAKEY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/bio.h>
#include <openssl/evp.h>

struct rsakey;

EVP_PKEY *rsakey_pkey(const struct rsakey *k);
/* pkey taken over; NULL unless RSA of the allowed sizes (a private key
 * must also be a consistent pair). */
struct rsakey *rsakey_wrap_private(EVP_PKEY *pkey);
struct rsakey *rsakey_wrap_public(EVP_PKEY *pkey);
/* The key in PEM text: a private key (pass: its passphrase; NULL:
 * an encrypted one is refused) or, priv false, a public key.  NULL when
 * there is none; OpenSSL's error queue is left empty. */
EVP_PKEY *rsakey_pem_read(const char *pem, size_t len, bool priv,
			  const char *pass);
/* A malloc'd NUL-terminated copy of the BIO's contents. */
int rsakey_bio_take(BIO *bio, void **out, size_t *len);

#endif
