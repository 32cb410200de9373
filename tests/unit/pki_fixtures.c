/*
 * pki_fixtures: see pki_fixtures.h.
 */
#include "pki_fixtures.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "platform/fileio.h"

EVP_PKEY *
pkif_key(void)
{
	EVP_PKEY *k = EVP_RSA_gen(1024);

	ck_assert_ptr_nonnull(k);
	return k;
}

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ck_assert_msg(e != NULL, "extension %d=%s", nid, value);
	ck_assert_int_eq(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

static void
set_name(X509 *x, const struct pkif_spec *s)
{
	X509_NAME *n = X509_get_subject_name(x);

	if (s->o != NULL)
		X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
					   (const unsigned char *)s->o, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const unsigned char *)s->cn, -1, -1, 0);
}

static void
add_exts(X509 *x, X509 *issuer, const struct pkif_spec *s)
{
	char san[64];

	add_ext(x, issuer, NID_basic_constraints,
		s->ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	if (s->ca || s->ku != NULL)
		add_ext(x, issuer, NID_key_usage,
			s->ku ? s->ku : "critical,keyCertSign,cRLSign");
	add_ext(x, issuer, NID_subject_key_identifier, "hash");
	if (issuer != x)
		add_ext(x, issuer, NID_authority_key_identifier,
			"keyid:always");
	if (s->san_ip != NULL) {
		snprintf(san, sizeof(san), "IP:%s", s->san_ip);
		add_ext(x, issuer, NID_subject_alt_name, san);
	}
}

X509 *
pkif_cert(const struct pkif_spec *s)
{
	X509 *x = X509_new();
	X509 *issuer;

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(X509_set_version(x, X509_VERSION_3), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), s->serial);
	X509_gmtime_adj(X509_getm_notBefore(x), s->from);
	X509_gmtime_adj(X509_getm_notAfter(x), s->to);
	set_name(x, s);
	issuer = s->issuer != NULL ? s->issuer : x;
	X509_set_issuer_name(x, X509_get_subject_name(issuer));
	ck_assert_int_eq(X509_set_pubkey(x, s->key), 1);
	add_exts(x, issuer, s);
	ck_assert_int_gt(X509_sign(x, s->issuer_key ? s->issuer_key : s->key,
				   EVP_sha256()), 0);
	return x;
}

void
pkif_ca_new(struct pkif_ca *ca, const char *cn)
{
	struct pkif_spec s = {
		.cn = cn, .o = "Lab", .serial = 1, .from = -3600,
		.to = 10L * 365 * 86400, .ca = true,
	};

	ca->key = s.key = pkif_key();
	ca->cert = pkif_cert(&s);
}

void
pkif_ca_free(struct pkif_ca *ca)
{
	X509_free(ca->cert);
	EVP_PKEY_free(ca->key);
	memset(ca, 0, sizeof(*ca));
}

X509 *
pkif_leaf(const struct pkif_ca *ca, EVP_PKEY *key, const char *cn,
	  const char *san_ip)
{
	static long serial = 100;
	struct pkif_spec s = {
		.cn = cn, .o = "Lab", .key = key, .issuer = ca->cert,
		.issuer_key = ca->key, .serial = serial++, .from = -3600,
		.to = 365L * 86400, .san_ip = san_ip,
	};

	return pkif_cert(&s);
}

/* A memory BIO's contents as a malloc'd string. */
static char *
bio_text(BIO *b)
{
	char *data, *s;
	long n = BIO_get_mem_data(b, &data);

	ck_assert_int_gt(n, 0);
	s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, data, (size_t)n);
	s[n] = '\0';
	BIO_free(b);
	return s;
}

char *
pkif_cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());

	ck_assert_int_eq(PEM_write_bio_X509(b, x), 1);
	return bio_text(b);
}

char *
pkif_key_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());

	ck_assert_int_eq(PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL,
						  NULL), 1);
	return bio_text(b);
}

static uint8_t *
dup_free(unsigned char *p, int n, size_t *len)
{
	uint8_t *d;

	ck_assert_int_gt(n, 0);
	d = malloc((size_t)n);
	ck_assert_ptr_nonnull(d);
	memcpy(d, p, (size_t)n);
	OPENSSL_free(p);
	*len = (size_t)n;
	return d;
}

uint8_t *
pkif_der(X509 *x, size_t *len)
{
	unsigned char *p = NULL;
	int n = i2d_X509(x, &p);

	return dup_free(p, n, len);
}

uint8_t *
pkif_name_der(X509 *x, size_t *len)
{
	unsigned char *p = NULL;
	int n = i2d_X509_NAME(X509_get_subject_name(x), &p);

	return dup_free(p, n, len);
}

void
pkif_write(const char *dir, const char *file, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ck_assert_int_eq(file_write_atomic(path, text, strlen(text), 0600), 0);
}

void
pkif_issue_files(const struct pkif_ca *ca, const char *dir,
		 const char *prefix, const char *cn, const char *san_ip)
{
	EVP_PKEY *key = pkif_key();
	X509 *leaf = pkif_leaf(ca, key, cn, san_ip);
	char file[128], *pem;

	snprintf(file, sizeof(file), "%s-ca.pem", prefix);
	pem = pkif_cert_pem(ca->cert);
	pkif_write(dir, file, pem);
	free(pem);
	snprintf(file, sizeof(file), "%s-cert.pem", prefix);
	pem = pkif_cert_pem(leaf);
	pkif_write(dir, file, pem);
	free(pem);
	snprintf(file, sizeof(file), "%s-key.pem", prefix);
	pem = pkif_key_pem(key);
	pkif_write(dir, file, pem);
	free(pem);
	X509_free(leaf);
	EVP_PKEY_free(key);
}
