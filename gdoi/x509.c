/*
 * x509: certificates and CA bundles for IKEv1 RSA signatures (doc/protocol.md
 * §3.5; RFC 2409 §5.1 for the CERT/SIG exchange, RFC 5280 §6 path
 * validation and §7.1 name comparison, both done by OpenSSL).
 *
 * Owns the parsing of certificates from a peer's CERT payloads and from
 * PEM files, chain verification against a bundle of trusted CAs at a
 * given time, the Phase 1 identity binding of doc/protocol.md §3.5 [D], and
 * the fields `show crypto pki certificates` prints.  No file I/O and no
 * clock: bytes and the time come from the caller (roles/pki.c).
 *
 * Every DER input must be consumed exactly, so a CERT payload with
 * trailing bytes or an ID with garbage after the Name is refused.  The
 * OpenSSL error queue is cleared after each failure, as in rsakey.c.
 */
#include "gdoi/x509.h"
#include "gdoi/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "gdoi/isakmp.h"
#include "gdoi/rsakey.h"
#include "platform/log.h"

/* A PEM bundle or a CERT payload larger than this is not a certificate
 * we want to parse: it bounds the work a peer can cause. */
#define X509_DER_MAX (64 * 1024)
#define X509_PEM_MAX (1024 * 1024)

struct x509_cert {
	X509 *x;
	uint8_t *der;
	size_t der_len;
	uint8_t *subj;		/* DER subject Name */
	size_t subj_len;
};

struct x509_store {
	X509_STORE *st;
	struct x509_cert *certs[X509_CA_MAX];
	size_t n;
};

/* Take over x: cache its DER and DER subject. */
static struct x509_cert *
cert_wrap(X509 *x)
{
	struct x509_cert *c = calloc(1, sizeof(*c));
	unsigned char *der = NULL, *subj = NULL;
	int n, sn;

	if (c == NULL || x == NULL)
		goto fail;
	n = i2d_X509(x, &der);
	sn = i2d_X509_NAME(X509_get_subject_name(x), &subj);
	if (n <= 0 || sn <= 0)
		goto fail;
	c->der = malloc((size_t)n);
	c->subj = malloc((size_t)sn);
	if (c->der == NULL || c->subj == NULL)
		goto fail;
	memcpy(c->der, der, (size_t)n);
	memcpy(c->subj, subj, (size_t)sn);
	c->der_len = (size_t)n;
	c->subj_len = (size_t)sn;
	c->x = x;
	OPENSSL_free(der);
	OPENSSL_free(subj);
	return c;
fail:
	OPENSSL_free(der);
	OPENSSL_free(subj);
	if (c != NULL) {
		free(c->der);
		free(c->subj);
	}
	free(c);
	X509_free(x);
	ERR_clear_error();
	return NULL;
}

struct x509_cert *
x509_cert_from_der(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (der == NULL || len == 0 || len > X509_DER_MAX) {
		log_dbg(LOG_DBG_ISAKMP, "%s: certificate length %zu", __func__,
			len);
		return NULL;
	}
	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != der + len) {
		log_dbg(LOG_DBG_ISAKMP, "%s: not one DER certificate",
			__func__);
		X509_free(x);
		ERR_clear_error();
		return NULL;
	}
	return cert_wrap(x);
}

static BIO *
pem_bio(const char *pem, size_t len)
{
	if (pem == NULL || len == 0 || len > X509_PEM_MAX)
		return NULL;
	return BIO_new_mem_buf(pem, (int)len);
}

struct x509_cert *
x509_cert_from_pem(const char *pem, size_t len)
{
	BIO *bio = pem_bio(pem, len);
	X509 *x;

	if (bio == NULL) {
		ERR_clear_error();
		return NULL;
	}
	x = PEM_read_bio_X509(bio, NULL, crypto_no_passphrase, NULL);
	BIO_free(bio);
	if (x == NULL) {
		ERR_clear_error();
		return NULL;
	}
	return cert_wrap(x);
}

void
x509_cert_free(struct x509_cert *c)
{
	if (c == NULL)
		return;
	X509_free(c->x);
	free(c->der);
	free(c->subj);
	free(c);
}

int
x509_cert_to_pem(const struct x509_cert *c, char **out, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *buf = NULL;
	long n;
	int rc = -1;

	if (bio == NULL || PEM_write_bio_X509(bio, c->x) != 1)
		goto out;
	n = BIO_get_mem_data(bio, &data);
	if (n <= 0 || (buf = malloc((size_t)n + 1)) == NULL)
		goto out;
	memcpy(buf, data, (size_t)n);
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	rc = 0;
out:
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

const uint8_t *
x509_cert_der(const struct x509_cert *c, size_t *len)
{
	*len = c->der_len;
	return c->der;
}

const uint8_t *
x509_cert_subject_der(const struct x509_cert *c, size_t *len)
{
	*len = c->subj_len;
	return c->subj;
}

struct rsakey *
x509_cert_pubkey(const struct x509_cert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(c->x);
	unsigned char *der = NULL;
	struct rsakey *k;
	int n;

	if (pk == NULL || (n = i2d_PUBKEY(pk, &der)) <= 0) {
		ERR_clear_error();
		return NULL;
	}
	/* rsakey refuses non-RSA keys and sizes outside 512..4096 bits. */
	k = rsakey_from_pub_der(der, (size_t)n);
	OPENSSL_free(der);
	return k;
}

bool
x509_cert_key_match(const struct x509_cert *c, const struct rsakey *k)
{
	struct rsakey *pub = x509_cert_pubkey(c);
	bool eq = pub != NULL && k != NULL && rsakey_pub_equal(pub, k);

	rsakey_free(pub);
	return eq;
}

/*
 * Identity binding (doc/protocol.md §3.5 [D]).
 */
static int
dn_match(const struct x509_cert *c, const uint8_t *id, size_t len)
{
	const unsigned char *p = id;
	X509_NAME *subj = X509_get_subject_name(c->x);
	X509_NAME *n;
	int rc = -1;

	if (len == 0 || len > X509_DER_MAX || X509_NAME_entry_count(subj) == 0)
		return -1;
	n = d2i_X509_NAME(NULL, &p, (long)len);
	/* Canonical comparison: the peer may re-encode its subject (case,
	 * string types) and still name the same entity. */
	if (n != NULL && p == id + len && X509_NAME_cmp(n, subj) == 0)
		rc = 0;
	X509_NAME_free(n);
	ERR_clear_error();
	return rc;
}

int
x509_cert_id_match(const struct x509_cert *c, uint8_t id_type,
		   const uint8_t *id, size_t len)
{
	switch (id_type) {
	case ISAKMP_ID_DER_ASN1_DN:
		if (dn_match(c, id, len) == 0)
			return 0;
		log_dbg(LOG_DBG_ISAKMP, "%s: ID_DER_ASN1_DN is not the "
			"certificate subject", __func__);
		return -1;
	case ISAKMP_ID_IPV4_ADDR:
		/* X509_check_ip looks at iPAddress subjectAltNames only. */
		if (len == 4 && X509_check_ip(c->x, id, len, 0) == 1)
			return 0;
		ERR_clear_error();
		log_dbg(LOG_DBG_ISAKMP, "%s: ID_IPV4_ADDR is not a "
			"subjectAltName of the certificate", __func__);
		return -1;
	default:
		log_dbg(LOG_DBG_ISAKMP, "%s: ID type %u cannot name a "
			"certificate", __func__, id_type);
		return -1;
	}
}

/*
 * Fields for show output.
 */
static enum x509_cert_usage
usage_of(X509 *x)
{
	const uint32_t sign = X509v3_KU_DIGITAL_SIGNATURE |
			      X509v3_KU_NON_REPUDIATION |
			      X509v3_KU_KEY_CERT_SIGN | X509v3_KU_CRL_SIGN;
	const uint32_t encr = X509v3_KU_KEY_ENCIPHERMENT |
			      X509v3_KU_DATA_ENCIPHERMENT |
			      X509v3_KU_KEY_AGREEMENT;
	uint32_t ku = X509_get_key_usage(x);

	if (ku == UINT32_MAX || ((ku & sign) && (ku & encr)))
		return X509_CERT_USAGE_GENERAL;
	return (ku & encr) ? X509_CERT_USAGE_ENCRYPTION
			   : X509_CERT_USAGE_SIGNATURE;
}

static int
time_of(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	return 0;
}

int
x509_cert_info(const struct x509_cert *c, struct x509_info *out)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(c->x);
	const unsigned char *d = ASN1_STRING_get0_data(sn);
	int n = ASN1_STRING_length(sn);
	size_t o = 0;

	memset(out, 0, sizeof(*out));
	for (int i = 0; d != NULL && i < n &&
	     o + 3 <= sizeof(out->serial); i++)
		o += (size_t)snprintf(out->serial + o, sizeof(out->serial) - o,
				      "%02X", d[i]);
	if (o == 0)
		snprintf(out->serial, sizeof(out->serial), "00");
	out->is_ca = X509_check_ca(c->x) > 0;
	out->usage = usage_of(c->x);
	if (time_of(X509_get0_notBefore(c->x), &out->not_before) < 0 ||
	    time_of(X509_get0_notAfter(c->x), &out->not_after) < 0) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/* Append s (n bytes) to buf at *o; control characters become '?'. */
static int
put_text(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (*o + 1 >= len) {
			buf[*o] = '\0';	/* the promised truncated prefix */
			return -1;
		}
		buf[(*o)++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	buf[*o] = '\0';
	return 0;
}

/* "cn=value" of one RDN component. */
static int
put_entry(const X509_NAME_ENTRY *e, char *buf, size_t len, size_t *o)
{
	const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
	int nid = OBJ_obj2nid(obj);
	unsigned char *val = NULL;
	char key[80];
	int vlen, rc;

	if (nid != NID_undef)
		snprintf(key, sizeof(key), "%s", OBJ_nid2sn(nid));
	else if (OBJ_obj2txt(key, sizeof(key), obj, 1) <= 0)
		snprintf(key, sizeof(key), "?");
	for (char *k = key; *k; k++)
		if (*k >= 'A' && *k <= 'Z')
			*k = (char)(*k - 'A' + 'a');
	vlen = ASN1_STRING_to_UTF8(&val, X509_NAME_ENTRY_get_data(e));
	rc = put_text(buf, len, o, key, strlen(key));
	if (rc == 0)
		rc = put_text(buf, len, o, "=", 1);
	if (rc == 0 && vlen > 0)
		rc = put_text(buf, len, o, (const char *)val, (size_t)vlen);
	OPENSSL_free(val);
	ERR_clear_error();
	return rc;
}

int
x509_cert_name(const struct x509_cert *c, enum x509_name_which which,
	       char sep, char *buf, size_t len)
{
	const X509_NAME *n = which == X509_NAME_ISSUER
			     ? X509_get_issuer_name(c->x)
			     : X509_get_subject_name(c->x);
	size_t o = 0;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	/* DER lists the least specific component first; RFC 4514 and IOS
	 * show the most specific first. */
	for (int i = X509_NAME_entry_count(n) - 1; i >= 0; i--) {
		if (put_entry(X509_NAME_get_entry(n, i), buf, len, &o) < 0)
			return -1;
		if (sep == ',' && i == 0)
			continue;
		/* The separator may be '\n': not through put_text(). */
		if (o + 1 >= len)
			return -1;
		buf[o++] = sep;
		buf[o] = '\0';
	}
	return 0;
}

/*
 * Trusted CAs and path validation.
 */
void
x509_store_free(struct x509_store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		x509_cert_free(s->certs[i]);
	X509_STORE_free(s->st);
	free(s);
}

/* Read every CERTIFICATE block of bio into s; -1 on a damaged one. */
static int
store_read(struct x509_store *s, BIO *bio)
{
	unsigned long e;
	X509 *x;

	while ((x = PEM_read_bio_X509(bio, NULL, crypto_no_passphrase, NULL))) {
		struct x509_cert *c;

		if (s->n == X509_CA_MAX) {
			X509_free(x);
			return -1;
		}
		if ((c = cert_wrap(x)) == NULL)
			return -1;
		s->certs[s->n++] = c;
		if (X509_STORE_add_cert(s->st, c->x) != 1)
			return -1;
	}
	/* The loop ends at "no more PEM blocks"; anything else is damage. */
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) != ERR_LIB_PEM ||
	    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
		return -1;
	return 0;
}

struct x509_store *
x509_store_from_pem(const char *pem, size_t len)
{
	struct x509_store *s = calloc(1, sizeof(*s));
	BIO *bio = pem_bio(pem, len);
	int rc = -1;

	if (s == NULL || bio == NULL || (s->st = X509_STORE_new()) == NULL)
		goto out;
	ERR_clear_error();
	if (store_read(s, bio) < 0 || s->n == 0)
		goto out;
	rc = 0;
out:
	BIO_free(bio);
	ERR_clear_error();
	if (rc < 0) {
		x509_store_free(s);
		return NULL;
	}
	return s;
}

size_t
x509_store_count(const struct x509_store *s)
{
	return s->n;
}

const struct x509_cert *
x509_store_cert(const struct x509_store *s, size_t i)
{
	return i < s->n ? s->certs[i] : NULL;
}

/* The leaf signs SIG payloads: a keyUsage that forbids it is refused. */
static int
leaf_can_sign(const struct x509_cert *leaf)
{
	uint32_t ku = X509_get_key_usage(leaf->x);

	return ku == UINT32_MAX || (ku & X509v3_KU_DIGITAL_SIGNATURE) ? 0 : -1;
}

/* OpenSSL's verdict on leaf + chain against s at now. */
static int
chain_check(const struct x509_store *s, const struct x509_cert *leaf,
	    STACK_OF(X509) *untrusted, time_t now, const char **why)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *vp;
	int rc = -1;

	*why = "out of memory";
	if (ctx == NULL ||
	    X509_STORE_CTX_init(ctx, s->st, leaf->x, untrusted) != 1)
		goto out;
	vp = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_X509_STRICT);
	X509_VERIFY_PARAM_set_time(vp, now);
	X509_VERIFY_PARAM_set_depth(vp, X509_CHAIN_DEPTH_MAX);
	if (X509_verify_cert(ctx) == 1)
		rc = 0;
	else
		*why = X509_verify_cert_error_string(
			X509_STORE_CTX_get_error(ctx));
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int
x509_verify(const struct x509_store *s, const struct x509_cert *leaf,
	    const struct x509_cert *const *chain, size_t nchain, time_t now,
	    const char **why)
{
	STACK_OF(X509) *untrusted = NULL;
	const char *reason = "no certificate";
	int rc = -1;

	if (s == NULL || leaf == NULL)
		goto out;
	reason = "certificate chain too long";
	if (nchain >= X509_CHAIN_DEPTH_MAX)
		goto out;
	reason = "out of memory";
	if ((untrusted = sk_X509_new_null()) == NULL)
		goto out;
	/* The stack borrows the certificates; sk_X509_free leaves them. */
	for (size_t i = 0; i < nchain; i++)
		if (sk_X509_push(untrusted, chain[i]->x) <= 0)
			goto out;
	if (chain_check(s, leaf, untrusted, now, &reason) < 0)
		goto out;
	reason = "certificate key usage does not allow signatures";
	if (leaf_can_sign(leaf) < 0)
		goto out;
	rc = 0;
out:
	sk_X509_free(untrusted);
	ERR_clear_error();
	if (rc < 0) {
		log_dbg(LOG_DBG_ISAKMP, "%s: %s", __func__, reason);
		if (why != NULL)
			*why = reason;
	}
	return rc;
}
