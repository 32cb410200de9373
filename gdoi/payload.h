/*
 * payload: bodies of the RFC 2408 payloads used by Phase 1, the
 * Informational exchange and GROUPKEY-PULL (doc/protocol.md §2.7, §3.2,
 * §4.4): SA/Proposal/Transform, KE, NONCE, ID (IPsec-DOI and GDOI
 * forms), HASH, SIG, CERT, CERTREQ, N, D and VID.
 *
 * Encoders (payload_*_put) write a whole payload, generic header
 * included, through an isakmp_builder.  Decoders take the payload body
 * (struct isakmp_payload .body/.body_len) and fill a struct whose
 * pointers borrow from the message: keep the datagram while using them.
 * The GDOI SA/SAK/GAP/SAT payloads are in gdoi_sa.h, KD and SEQ in kd.h.
 */
#ifndef GDOI_PAYLOAD_H
#define GDOI_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/isakmp.h"

/* RFC 2409 App. A: Phase 1 (Oakley) attribute classes */
enum ike_attr {
	IKE_ATTR_ENCRYPTION_ALGORITHM = 1,
	IKE_ATTR_HASH_ALGORITHM = 2,
	IKE_ATTR_AUTHENTICATION_METHOD = 3,
	IKE_ATTR_GROUP_DESCRIPTION = 4,
	IKE_ATTR_GROUP_TYPE = 5,
	IKE_ATTR_GROUP_PRIME = 6,
	IKE_ATTR_GROUP_GENERATOR_ONE = 7,
	IKE_ATTR_GROUP_GENERATOR_TWO = 8,
	IKE_ATTR_GROUP_CURVE_A = 9,
	IKE_ATTR_GROUP_CURVE_B = 10,
	IKE_ATTR_LIFE_TYPE = 11,
	IKE_ATTR_LIFE_DURATION = 12,
	IKE_ATTR_PRF = 13,
	IKE_ATTR_KEY_LENGTH = 14,
	IKE_ATTR_FIELD_SIZE = 15,
	IKE_ATTR_GROUP_ORDER = 16,
};

/* RFC 2409 App. A values (RFC 3602/4868/4754 additions) */
#define IKE_ENCR_DES_CBC	1
#define IKE_ENCR_3DES_CBC	5
#define IKE_ENCR_AES_CBC	7
#define IKE_HASH_MD5		1
#define IKE_HASH_SHA1		2
#define IKE_HASH_SHA2_256	4
#define IKE_HASH_SHA2_384	5
#define IKE_HASH_SHA2_512	6
#define IKE_AUTH_PRE_SHARED	1
#define IKE_AUTH_DSS_SIG	2
#define IKE_AUTH_RSA_SIG	3
#define IKE_AUTH_ECDSA_256	9
#define IKE_AUTH_ECDSA_384	10
#define IKE_AUTH_ECDSA_521	11
#define IKE_LIFE_SECONDS	1
#define IKE_LIFE_KILOBYTES	2

/* RFC 2407 §4.4.2: the only Phase 1 transform ID */
#define IKE_TRANSFORM_KEY_IKE	1

/* RFC 2408 §3.9: certificate encodings */
#define ISAKMP_CERT_X509_SIG	4

/* RFC 2409 §5 / RFC 6407 §5.8 nonce bounds (octets) */
#define PAYLOAD_NONCE_MIN	8
#define PAYLOAD_NONCE_MAX	256

/* One Phase 1 transform with its decoded attributes; 0 = absent. */
struct payload_xform {
	uint8_t num;		/* Transform # */
	uint8_t id;		/* IKE_TRANSFORM_KEY_IKE */
	uint16_t enc;		/* IKE_ENCR_* */
	uint16_t keylen;	/* bits */
	uint16_t hash;		/* IKE_HASH_* */
	uint16_t auth;		/* IKE_AUTH_* */
	uint16_t group;		/* Group Description */
	uint64_t life_sec;	/* Life Type seconds + Life Duration */
	uint64_t life_kb;	/* Life Type kilobytes + Life Duration */
	/*
	 * First attribute type we do not accept (PRF, group parameters,
	 * an unknown class, a value that does not fit), 0xffff for a
	 * Transform-ID other than KEY_IKE, 0 if none.  The transform still
	 * decodes; the Phase 1 engine must refuse to choose it.
	 */
	uint16_t unsupported;
};

#define PAYLOAD_SA_MAX_XFORMS 32

/* Phase 1 SA: one ISAKMP proposal carrying transforms. */
struct payload_sa {
	uint32_t doi;		/* ISAKMP_DOI_GDOI sent; 1 or 2 accepted */
	uint32_t situation;
	uint8_t prop_num;	/* Proposal # */
	uint8_t proto;		/* ISAKMP_PROTO_ISAKMP */
	size_t nxform;
	struct payload_xform xform[PAYLOAD_SA_MAX_XFORMS];
};

/**
 * payload_sa_put - SA (DOI, Situation) with one Proposal (SPI size 0)
 * and sa->nxform Transforms.  Life Duration goes out as TV or TLV/4 by
 * value (attr_put_bv).
 */
int payload_sa_put(struct isakmp_builder *b, const struct payload_sa *sa);
/**
 * payload_sa_decode - the first Proposal and its Transforms.  -1 if the
 * body is malformed (lengths, counts, attributes), the DOI is neither
 * GDOI nor IPsec (doc/protocol.md §2.5 [D]), the Proposal is not
 * PROTO_ISAKMP, or it holds no transform.  Further proposals are skipped;
 * transforms beyond PAYLOAD_SA_MAX_XFORMS are ignored.
 */
int payload_sa_decode(const uint8_t *body, size_t len, struct payload_sa *sa);
/**
 * payload_xform_put - one Transform payload (for a responder echoing
 * its choice, msg 2); b is the builder of the Proposal's transform chain.
 */
int payload_xform_put(struct isakmp_builder *b, const struct payload_xform *x);

/* ID payload; the GDOI form has proto = port = 0 (3 zero octets). */
struct payload_id {
	uint8_t type;		/* enum isakmp_id_type */
	uint8_t proto;		/* IPsec-DOI form: IP protocol, 0 = any */
	uint16_t port;
	const uint8_t *data;
	size_t len;
};

/** payload_id_put - IPsec-DOI form: type, protocol, port, data. */
int payload_id_put(struct isakmp_builder *b, const struct payload_id *id);
/** payload_gdoi_id_put - GDOI form: type, 3 zero octets, data. */
int payload_gdoi_id_put(struct isakmp_builder *b, uint8_t type,
			const void *data, size_t len);
/**
 * payload_id_decode - either form (the GDOI form reads as proto 0, port
 * 0).  Address types must have their exact length (4, 8, 16, 32).
 */
int payload_id_decode(const uint8_t *body, size_t len, struct payload_id *id);
/**
 * payload_group_id_put / payload_group_id_number - the group identity
 * `identity number N` as ID_KEY_ID with 4 octets (doc/protocol.md §4.4).
 * [D] network byte order; [U] until an IOS capture confirms it.
 */
int payload_group_id_put(struct isakmp_builder *b, uint32_t group);
int payload_group_id_number(const struct payload_id *id, uint32_t *group);

/**
 * payload_nonce_decode - a NONCE body of PAYLOAD_NONCE_MIN..MAX octets.
 * KE, HASH, SIG and VID bodies are opaque: write them with
 * isakmp_build_payload() and read .body/.body_len directly.
 */
int payload_nonce_decode(const uint8_t *body, size_t len);

/* CERT and CERTREQ. */
struct payload_cert {
	uint8_t enc;		/* ISAKMP_CERT_X509_SIG */
	const uint8_t *data;	/* DER certificate / CA DN (may be empty) */
	size_t len;
};

/** payload_cert_put - type is ISAKMP_PAYLOAD_CERT or _CERTREQ. */
int payload_cert_put(struct isakmp_builder *b, uint8_t type,
		     const struct payload_cert *c);
int payload_cert_decode(const uint8_t *body, size_t len,
			struct payload_cert *c);

/* N (Notification), RFC 2408 §3.14. */
struct payload_notify {
	uint32_t doi;
	uint8_t proto;
	uint16_t type;		/* enum isakmp_notify */
	const uint8_t *spi;
	size_t spi_len;
	const uint8_t *data;
	size_t data_len;
};

int payload_notify_put(struct isakmp_builder *b,
		       const struct payload_notify *n);
int payload_notify_decode(const uint8_t *body, size_t len,
			  struct payload_notify *n);

/* D (Delete), RFC 2408 §3.15: nspi SPIs of spi_size octets each. */
struct payload_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t nspi;
	const uint8_t *spis;	/* nspi * spi_size octets */
};

int payload_delete_put(struct isakmp_builder *b,
		       const struct payload_delete *d);
/** payload_delete_decode - -1 also when #SPIs is 0 (doc/protocol.md §5.7). */
int payload_delete_decode(const uint8_t *body, size_t len,
			  struct payload_delete *d);
/** payload_delete_spi - pointer to SPI i (i < nspi). */
const uint8_t *payload_delete_spi(const struct payload_delete *d, size_t i);

#endif
