/*
 * rsakey_pem: passphrase-protected PEM export and import of a key pair
 * (rsakey.h), the form `crypto key export|import rsa ... pem` uses.
 */
#include "gdoi/rsakey.h"
#include "gdoi/rsakey_int.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* The BIO's text as a malloc'd NUL-terminated copy. */
static int
bio_text(BIO *bio, char **out, size_t *len)
{
	void *buf;

	if (rsakey_bio_take(bio, &buf, len) < 0)
		return -1;
	*out = buf;
	return 0;
}

int
rsakey_pub_to_pem(const struct rsakey *k, char **out, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc = -1;

	if (bio != NULL && k != NULL &&
	    PEM_write_bio_PUBKEY(bio, rsakey_pkey(k)) == 1)
		rc = bio_text(bio, out, len);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

int
rsakey_to_pem_encrypted(const struct rsakey *k, enum rsakey_pem_cipher c,
			const char *pass, char **out, size_t *len)
{
	const EVP_CIPHER *cipher = c == RSAKEY_PEM_AES ? EVP_aes_128_cbc()
						       : EVP_des_ede3_cbc();
	size_t plen = pass ? strlen(pass) : 0;
	BIO *bio;
	int rc = -1;

	if (k == NULL || !rsakey_has_private(k) || plen == 0 || plen > 1023)
		return -1;
	bio = BIO_new(BIO_s_secmem());
	if (bio != NULL &&
	    PEM_write_bio_PrivateKey_traditional(bio, rsakey_pkey(k), cipher,
						 (const unsigned char *)pass,
						 (int)plen, NULL, NULL) == 1)
		rc = bio_text(bio, out, len);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

struct rsakey *
rsakey_from_pem_encrypted(const char *pem, size_t len, const char *pass)
{
	EVP_PKEY *pkey = pass ? rsakey_pem_read(pem, len, true, pass) : NULL;

	return pkey != NULL ? rsakey_wrap_private(pkey) : NULL;
}

struct rsakey *
rsakey_from_pub_pem(const char *pem, size_t len)
{
	EVP_PKEY *pkey = rsakey_pem_read(pem, len, false, NULL);

	return pkey != NULL ? rsakey_wrap_public(pkey) : NULL;
}
