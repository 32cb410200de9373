/*
 * x509: X.509 certificates for IKEv1 RSA-signature authentication
 * (doc/protocol.md §3.5; RFC 2409 §5.1), kept opaque so that no caller above
 * gdoi/ needs OpenSSL headers.
 *
 * Pure: certificates come in as bytes (DER from a CERT payload, PEM that
 * the caller read from a file), and the time a validity check is made
 * at is an argument.  Path validation is OpenSSL's (RFC 5280 §6) in
 * strict mode; what this module adds is the Phase 1 identity binding:
 * an ID_DER_ASN1_DN must name the certificate's subject, an ID_IPV4_ADDR
 * must be one of its subjectAltName addresses.
 */
#ifndef GDOI_X509_H
#define GDOI_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct rsakey;
struct x509_cert;
struct x509_store;

/* At most this many certificates in one CA bundle. */
#define X509_CA_MAX 16
/* Longest chain accepted from a peer: leaf, intermediates, root. */
#define X509_CHAIN_DEPTH_MAX 6

enum x509_cert_usage {
	X509_CERT_USAGE_GENERAL,	/* no keyUsage, or signing and encryption */
	X509_CERT_USAGE_SIGNATURE,
	X509_CERT_USAGE_ENCRYPTION,
};

/* What `show crypto pki certificates` prints besides the names. */
struct x509_info {
	char serial[2 * 32 + 1];	/* hex, upper case; RFC 5280 allows 20 octets */
	time_t not_before, not_after;	/* UTC */
	bool is_ca;
	enum x509_cert_usage usage;
};

enum x509_name_which {
	X509_NAME_SUBJECT,
	X509_NAME_ISSUER,
};

/**
 * x509_cert_from_der - parse one DER certificate that fills exactly len
 * bytes.  NULL if it is not one.
 */
struct x509_cert *x509_cert_from_der(const uint8_t *der, size_t len);
/**
 * x509_cert_from_pem - the first "CERTIFICATE" block of pem (text before
 * it is ignored).  NULL if there is none or it does not parse.
 */
struct x509_cert *x509_cert_from_pem(const char *pem, size_t len);
/** x509_cert_free - NULL is fine. */
void x509_cert_free(struct x509_cert *c);

/**
 * x509_cert_to_pem - the certificate alone as one PEM "CERTIFICATE"
 * block, NUL-terminated, malloc'd (free() it).  -1 on failure.
 */
int x509_cert_to_pem(const struct x509_cert *c, char **out, size_t *len);
/** x509_cert_der - the DER encoding, valid as long as c (a CERT payload). */
const uint8_t *x509_cert_der(const struct x509_cert *c, size_t *len);
/**
 * x509_cert_subject_der - the DER subject Name, valid as long as c: the
 * data of our ID_DER_ASN1_DN (doc/protocol.md §3.5 [D]).
 */
const uint8_t *x509_cert_subject_der(const struct x509_cert *c, size_t *len);
/**
 * x509_cert_pubkey - the certificate's public key as a new public-only
 * rsakey (rsakey_free() it).  NULL when it is not an RSA key of a size
 * rsakey accepts.
 */
struct rsakey *x509_cert_pubkey(const struct x509_cert *c);
/** x509_cert_key_match - true when k holds the certificate's public key. */
bool x509_cert_key_match(const struct x509_cert *c, const struct rsakey *k);

/**
 * x509_cert_id_match - doc/protocol.md §3.5 [D]: 0 when a Phase 1 ID payload
 * (type, data) names this certificate: ISAKMP_ID_DER_ASN1_DN equal to
 * the subject (RFC 5280 §7.1 comparison, the ID must be one whole DER
 * Name, an empty subject never matches), or ISAKMP_ID_IPV4_ADDR present
 * as an iPAddress subjectAltName.  -1 for anything else.
 */
int x509_cert_id_match(const struct x509_cert *c, uint8_t id_type,
		       const uint8_t *id, size_t len);

/** x509_cert_info - serial, validity, CA flag and key usage. */
int x509_cert_info(const struct x509_cert *c, struct x509_info *out);
/**
 * x509_cert_name - the subject or issuer in RFC 4514 order (most specific
 * first, as IOS prints it), attribute names in lower case ("cn=gm1"),
 * each component followed by sep ('\n' for show output, ',' for a log
 * line; a trailing ',' is dropped).  Control characters are shown as
 * '?'.  Returns -1 when buf was too small (it then holds a truncated,
 * NUL-terminated prefix).
 */
int x509_cert_name(const struct x509_cert *c, enum x509_name_which which,
		   char sep, char *buf, size_t len);

/**
 * x509_store_from_pem - the trusted CA certificates of a PEM bundle (one
 * or more "CERTIFICATE" blocks, at most X509_CA_MAX).  NULL when there is
 * none, one does not parse, or there are too many.
 */
struct x509_store *x509_store_from_pem(const char *pem, size_t len);
/** x509_store_free - NULL is fine. */
void x509_store_free(struct x509_store *s);
/** x509_store_count / x509_store_cert - the CA certificates, in file order. */
size_t x509_store_count(const struct x509_store *s);
const struct x509_cert *x509_store_cert(const struct x509_store *s, size_t i);

/**
 * x509_verify - 0 when leaf chains up to a certificate of s, helped by
 * the untrusted intermediates chain[0..nchain), every certificate valid
 * at now, with OpenSSL's X509_V_FLAG_X509_STRICT checks, and the leaf's
 * keyUsage (when present) allows digital signatures.  -1 otherwise, with
 * *why (if why is not NULL) set to a static reason for log lines.
 * Revocation is not checked (only `revocation-check none` exists).
 */
int x509_verify(const struct x509_store *s, const struct x509_cert *leaf,
		const struct x509_cert *const *chain, size_t nchain,
		time_t now, const char **why);

#endif
