/*
 * keystore_pem: a key pair in and out of the key store as passphrase-
 * protected PEM (keystore.h), so that cooperating key servers share one
 * rekey key pair without copying key files (doc/keyserver.md "Moving a
 * key pair").
 */
#include "roles/keystore.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/rsakey.h"

static int
pem_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void
keystore_pem_free(char *text)
{
	if (text != NULL)
		rsakey_buf_free(text, strlen(text));
}

int
keystore_export_pem(const struct keystore *ks, const char *label,
		    const char *cipher, const char *pass, char **pub,
		    char **prv, char *err, size_t errlen)
{
	const struct rsakey *k = keystore_find(ks, label);
	struct keystore_info info;
	size_t len;

	*pub = *prv = NULL;
	if (k == NULL || keystore_get(ks, label, &info) < 0)
		return pem_err(err, errlen, "No RSA keys named %s.", label);
	if (!info.exportable)
		return pem_err(err, errlen, "RSA keypair %s is not exportable.",
			       label);
	if (strcmp(cipher, "3des") != 0 && strcmp(cipher, "aes") != 0)
		return pem_err(err, errlen, "Cipher %s is not supported: use "
			       "3des or aes.", cipher);
	if (rsakey_pub_to_pem(k, pub, &len) < 0 ||
	    rsakey_to_pem_encrypted(k, strcmp(cipher, "aes") == 0
				    ? RSAKEY_PEM_AES : RSAKEY_PEM_3DES, pass,
				    prv, &len) < 0) {
		keystore_pem_free(*pub);
		*pub = NULL;
		return pem_err(err, errlen, "Key export failed.");
	}
	return 0;
}

int
keystore_import_pem(struct keystore *ks, const char *label, const char *pub,
		    const char *prv, const char *pass, bool exportable,
		    char *err, size_t errlen)
{
	struct rsakey *k, *p;
	bool same;

	if (!keystore_label_ok(label))
		return pem_err(err, errlen, "invalid key label");
	k = rsakey_from_pem_encrypted(prv, strlen(prv), pass);
	if (k == NULL)
		return pem_err(err, errlen, "wrong passphrase, or not a whole "
			       "encrypted RSA private key of %d to %d bits",
			       RSAKEY_MIN_BITS, RSAKEY_MAX_BITS);
	p = rsakey_from_pub_pem(pub, strlen(pub));
	same = p != NULL && rsakey_pub_equal(k, p);
	rsakey_free(p);
	if (!same) {
		rsakey_free(k);
		return pem_err(err, errlen, "the public key is missing, damaged "
			       "or not the private key's");
	}
	return keystore_import_key(ks, label, k, exportable, err, errlen);
}
