/*
 * pki_fixtures: a small certificate authority for tests, built with
 * OpenSSL calls: RSA-1024 keys (fast), version 3 certificates with the
 * extensions RFC 5280 (and OpenSSL's strict mode) expects, PEM text and
 * files.
 */
#ifndef TESTS_PKI_FIXTURES_H
#define TESTS_PKI_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

struct pkif_spec {
	const char *cn, *o;		/* subject; o may be NULL */
	EVP_PKEY *key;			/* the subject's key */
	X509 *issuer;			/* NULL: self-signed with key */
	EVP_PKEY *issuer_key;
	long serial;
	long from, to;			/* validity, seconds from now */
	bool ca;
	const char *san_ip;		/* iPAddress subjectAltName or NULL */
	const char *ku;			/* keyUsage value or NULL (CA: default) */
};

/* A CA: key and self-signed certificate, valid from an hour ago for
 * ten years. */
struct pkif_ca {
	EVP_PKEY *key;
	X509 *cert;
};

EVP_PKEY *pkif_key(void);
X509 *pkif_cert(const struct pkif_spec *s);
void pkif_ca_new(struct pkif_ca *ca, const char *cn);
void pkif_ca_free(struct pkif_ca *ca);
/* A leaf certificate of ca for key, valid from an hour ago for a year. */
X509 *pkif_leaf(const struct pkif_ca *ca, EVP_PKEY *key, const char *cn,
		const char *san_ip);

/* PEM text (malloc'd) and DER (malloc'd). */
char *pkif_cert_pem(X509 *x);
char *pkif_key_pem(EVP_PKEY *k);
uint8_t *pkif_der(X509 *x, size_t *len);
uint8_t *pkif_name_der(X509 *x, size_t *len);
/* Write text to dir/file (mode 0600). */
void pkif_write(const char *dir, const char *file, const char *text);
/* dir/PREFIX-ca.pem, dir/PREFIX-cert.pem, dir/PREFIX-key.pem: ca's
 * certificate and a fresh leaf for cn (with san_ip if not NULL). */
void pkif_issue_files(const struct pkif_ca *ca, const char *dir,
		      const char *prefix, const char *cn, const char *san_ip);

#endif
