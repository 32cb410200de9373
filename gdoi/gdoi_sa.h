/*
 * gdoi_sa: the GDOI SA payload and its nested policy chain (RFC 6407
 * §5.2-§5.5; doc/protocol.md §4.5-§4.8): at most one SA KEK (SAK),
 * at most one GAP, then SA TEKs (SAT), in that order.
 *
 * The structs are plain decoded data; every field that is absent on the
 * wire is 0 (see the "effective value" helpers for attributes whose
 * absence means a non-zero default).  Decoders copy what they keep, so
 * the structs do not borrow from the message.
 */
#ifndef GDOI_GDOI_SA_H
#define GDOI_GDOI_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/isakmp.h"

/* RFC 6407 §5.5: SAT Protocol-ID (GDOI numbering, not the IPsec DOI's) */
#define GDOI_PROTO_IPSEC_ESP	1
#define GDOI_PROTO_IPSEC_AH	2

/* RFC 6407 §5.3.1: KEK attributes (doc/protocol.md §4.6) */
enum gdoi_kek_attr {
	GDOI_ATTR_KEK_MANAGEMENT_ALGORITHM = 1,
	GDOI_ATTR_KEK_ALGORITHM = 2,
	GDOI_ATTR_KEK_KEY_LENGTH = 3,
	GDOI_ATTR_KEK_KEY_LIFETIME = 4,
	GDOI_ATTR_SIG_HASH_ALGORITHM = 5,
	GDOI_ATTR_SIG_ALGORITHM = 6,
	GDOI_ATTR_SIG_KEY_LENGTH = 7,
	GDOI_ATTR_KE_OAKLEY_GROUP = 8,		/* RFC 3547, ignored */
	/* RFC 8263 §2, §8 (IANA): Basic, value = ACK type */
	GDOI_ATTR_KEK_ACK_REQUESTED = 9,
};

/* RFC 6407 §5.3.3-§5.3.7 values */
#define GDOI_KEK_MGMT_LKH	1
#define GDOI_KEK_ALG_DES	1
#define GDOI_KEK_ALG_3DES	2
#define GDOI_KEK_ALG_AES	3
#define GDOI_SIG_HASH_MD5	1
#define GDOI_SIG_HASH_SHA1	2
#define GDOI_SIG_HASH_SHA256	3
#define GDOI_SIG_HASH_SHA384	4
#define GDOI_SIG_HASH_SHA512	5
#define GDOI_SIG_ALG_RSA	1
#define GDOI_SIG_ALG_DSS	2
#define GDOI_SIG_ALG_ECDSS	3
#define GDOI_SIG_ALG_ECDSA_256	4
#define GDOI_SIG_ALG_ECDSA_384	5
#define GDOI_SIG_ALG_ECDSA_521	6

/* RFC 6407 §5.4: GAP attributes */
enum gdoi_gap_attr {
	GDOI_ATTR_ACTIVATION_TIME_DELAY = 1,
	GDOI_ATTR_DEACTIVATION_TIME_DELAY = 2,
	GDOI_ATTR_SENDER_ID_REQUEST = 3,
};

/* RFC 2407 §4.5 IPsec SA attributes; 14/15 from RFC 6407 §5.5.1.1 */
enum ipsec_attr {
	IPSEC_ATTR_SA_LIFE_TYPE = 1,
	IPSEC_ATTR_SA_LIFE_DURATION = 2,
	IPSEC_ATTR_GROUP_DESCRIPTION = 3,
	IPSEC_ATTR_ENCAPSULATION_MODE = 4,
	IPSEC_ATTR_AUTH_ALGORITHM = 5,
	IPSEC_ATTR_KEY_LENGTH = 6,
	IPSEC_ATTR_KEY_ROUNDS = 7,
	IPSEC_ATTR_COMPRESS_DICT_SIZE = 8,
	IPSEC_ATTR_COMPRESS_PRIVATE_ALG = 9,
	IPSEC_ATTR_ECN_TUNNEL = 10,
	IPSEC_ATTR_EXT_SEQ_NBR = 11,
	IPSEC_ATTR_AUTH_KEY_LENGTH = 12,
	IPSEC_ATTR_SIG_ENCODING = 13,
	IPSEC_ATTR_ADDRESS_PRESERVATION = 14,
	IPSEC_ATTR_SA_DIRECTION = 15,
	IPSEC_ATTR_PRIVATE_MIN = 32001,		/* RFC 2407 §4.5 private use */
	IPSEC_ATTR_PRIVATE_MAX = 32767,
};

#define IPSEC_LIFE_SECONDS		1
#define IPSEC_LIFE_KILOBYTES		2
#define IPSEC_ENCAP_TUNNEL		1
#define IPSEC_ENCAP_TRANSPORT		2
#define IPSEC_AUTH_HMAC_MD5		1
#define IPSEC_AUTH_HMAC_SHA1		2
#define IPSEC_AUTH_HMAC_SHA2_256	5
#define IPSEC_AUTH_HMAC_SHA2_384	6
#define IPSEC_AUTH_HMAC_SHA2_512	7
#define IPSEC_AUTH_AES_128_GMAC		11
#define IPSEC_AUTH_AES_192_GMAC		12
#define IPSEC_AUTH_AES_256_GMAC		13
#define IPSEC_ADDR_PRESERVE_NONE	1
#define IPSEC_ADDR_PRESERVE_SRC		2
#define IPSEC_ADDR_PRESERVE_DST		3
#define IPSEC_ADDR_PRESERVE_SRC_DST	4	/* default when absent */
#define IPSEC_SA_DIR_SENDER		1
#define IPSEC_SA_DIR_RECEIVER		2
#define IPSEC_SA_DIR_SYMMETRIC		3	/* default when absent */

/* IKEv1 IPsec DOI ESP transform IDs (RFC 2407 §4.4.4 and later) */
#define IPSEC_ESP_3DES			3
#define IPSEC_ESP_NULL			11
#define IPSEC_ESP_AES			12
#define IPSEC_ESP_AES_CTR		13
#define IPSEC_ESP_AES_CCM_8		14
#define IPSEC_ESP_AES_CCM_12		15
#define IPSEC_ESP_AES_CCM_16		16
#define IPSEC_ESP_AES_GCM_8		18
#define IPSEC_ESP_AES_GCM_12		19
#define IPSEC_ESP_AES_GCM_16		20
#define IPSEC_ESP_SEED_CBC		21
#define IPSEC_ESP_CAMELLIA		22
#define IPSEC_ESP_NULL_AUTH_AES_GMAC	23

/* Identification inside SAK/SAT: IPv6 range (2 x 16) is the largest. */
#define GDOI_ID_DATA_MAX 32

struct gdoi_id {
	uint8_t type;		/* enum isakmp_id_type */
	uint16_t port;		/* 0 = any */
	uint8_t len;
	uint8_t data[GDOI_ID_DATA_MAX];	/* addr | mask, start | end, addr */
};

/** gdoi_id_ipv4 / _subnet / _range - fill an ID; addresses in host order. */
void gdoi_id_ipv4(struct gdoi_id *id, uint32_t addr, uint16_t port);
void gdoi_id_ipv4_subnet(struct gdoi_id *id, uint32_t addr, uint32_t mask,
			 uint16_t port);
void gdoi_id_ipv4_range(struct gdoi_id *id, uint32_t start, uint32_t end,
			uint16_t port);

/* SA KEK: the rekey SA (RFC 6407 §5.3). */
struct gdoi_sak {
	uint8_t proto;		/* IP protocol of rekeys: 17 */
	struct gdoi_id src, dst;
	uint8_t spi[ISAKMP_SPI_LEN];	/* KEK SPI = PUSH CKY-I | CKY-R */
	uint16_t mgmt_alg;	/* KEK_MANAGEMENT_ALGORITHM */
	uint16_t alg;		/* KEK_ALGORITHM: GDOI_KEK_ALG_* */
	uint16_t keylen;	/* KEK_KEY_LENGTH, bits */
	uint32_t lifetime;	/* KEK_KEY_LIFETIME, seconds remaining */
	uint16_t sig_hash;	/* SIG_HASH_ALGORITHM */
	uint16_t sig_alg;	/* SIG_ALGORITHM */
	uint16_t sig_keylen;	/* SIG_KEY_LENGTH ([U] bits or octets) */
	uint16_t ack_requested;	/* KEK_ACK_REQUESTED [U] */
	uint16_t unsupported;	/* first unknown attribute type, 0 if none */
};

/* GAP: group associated policy (RFC 6407 §5.4); 0 = absent. */
struct gdoi_gap {
	uint32_t atd;		/* ACTIVATION_TIME_DELAY, seconds */
	uint32_t dtd;		/* DEACTIVATION_TIME_DELAY, seconds */
	uint32_t sid_request;	/* SENDER_ID_REQUEST (GM -> KS only) */
	unsigned flags;		/* GDOI_GAP_HAS_*: 0 is a valid ATD/DTD */
};

#define GDOI_GAP_HAS_ATD	0x1
#define GDOI_GAP_HAS_DTD	0x2
#define GDOI_GAP_HAS_SID_REQ	0x4

/* A private-use SAT attribute (32001-32767) kept as it came. */
#define GDOI_PRIV_VAL_MAX	16
#define GDOI_SAT_MAX_PRIV	4

struct gdoi_attr_raw {
	uint16_t type;
	bool tv;		/* TV: len 2 */
	uint8_t len;
	uint8_t val[GDOI_PRIV_VAL_MAX];
};

/*
 * Width of the SAT SRC/DST "ID Data Len" fields (doc/wire-choices.md):
 * RFC 6407 §5.5.1 draws and describes 1 octet; Wireshark and other
 * deployed code read 2.  0 in a SAT to be sent means the default.
 */
#define GDOI_SAT_IDLEN_RFC	1	/* 1 octet, RFC 6407 §5.5.1 */
#define GDOI_SAT_IDLEN_WIDE	2	/* 2 octets, as Wireshark decodes */
#define GDOI_SAT_IDLEN_DEFAULT	GDOI_SAT_IDLEN_WIDE

/* SA TEK (RFC 6407 §5.5), ESP/AH form (§5.5.1). */
struct gdoi_sat {
	uint8_t id_len_octets;	/* GDOI_SAT_IDLEN_*: sent / seen on receipt */
	uint8_t proto_id;	/* GDOI_PROTO_IPSEC_ESP / _AH */
	uint8_t ip_proto;	/* selector, 0 = any */
	struct gdoi_id src, dst;
	uint8_t transform;	/* IPSEC_ESP_* */
	uint32_t spi;
	uint64_t life_sec;	/* SA Life Type seconds + Duration, remaining */
	uint64_t life_kb;	/* SA Life Type kilobytes + Duration */
	uint16_t encap;		/* IPSEC_ENCAP_* */
	uint16_t auth_alg;	/* IPSEC_AUTH_*; absent for AEAD transforms */
	uint16_t keylen;	/* bits */
	uint16_t addr_pres;	/* IPSEC_ADDR_PRESERVE_*, 0 = absent */
	uint16_t direction;	/* IPSEC_SA_DIR_*, 0 = absent */
	uint16_t unsupported;	/* first unknown non-private attribute */
	size_t npriv;
	struct gdoi_attr_raw priv[GDOI_SAT_MAX_PRIV];
};

/** gdoi_sat_addr_pres / _direction - the value, or its RFC 6407 default. */
uint16_t gdoi_sat_addr_pres(const struct gdoi_sat *sat);
uint16_t gdoi_sat_direction(const struct gdoi_sat *sat);
/** gdoi_sat_priv_add - append a private attribute (32001-32767). */
int gdoi_sat_priv_add(struct gdoi_sat *sat, uint16_t type, const void *val,
		      size_t len);
/** gdoi_sat_priv_find - the private attribute of type, or NULL. */
const struct gdoi_attr_raw *gdoi_sat_priv_find(const struct gdoi_sat *sat,
					       uint16_t type);

#define GDOI_SA_MAX_SAT 64

/* The GDOI SA payload with its nested chain. */
struct gdoi_sa {
	bool has_sak;
	struct gdoi_sak sak;
	bool has_gap;
	struct gdoi_gap gap;
	size_t nsat;
	struct gdoi_sat sat[GDOI_SA_MAX_SAT];
};

/**
 * gdoi_sa_put - the whole SA payload (DOI 2, Situation 0, nested chain)
 * through the message's builder.  -1 if sa carries nothing, more than
 * GDOI_SA_MAX_SAT SATs, or a field does not fit its wire width.
 */
int gdoi_sa_put(struct isakmp_builder *b, const struct gdoi_sa *sa);
/**
 * gdoi_sa_decode - an SA payload body.  -1 unless DOI is 2, Situation 0,
 * the nested chain is [SAK] [GAP] SAT* (at least one payload) and ends
 * exactly at the end of the body, and each nested payload decodes.
 */
int gdoi_sa_decode(const uint8_t *body, size_t len, struct gdoi_sa *sa);

/*
 * gdoi_gap_put / gdoi_gap_decode - a GAP payload (nested in the SA of
 * PULL message 2 and of a PUSH, top-level in PULL message 3), laid out
 * as RFC 6407 §5.4 Figure 6: attributes right after the generic header.
 * decode: -1 if the body has an odd length or a malformed attribute,
 * GDOI_GAP_UNSUPPORTED if it carries an attribute type we do not know
 * (the RFC says to abort the exchange then); gap is zeroed on failure.
 */
#define GDOI_GAP_UNSUPPORTED (-2)
int gdoi_gap_put(struct isakmp_builder *b, const struct gdoi_gap *gap);
int gdoi_gap_decode(const uint8_t *body, size_t len, struct gdoi_gap *gap);

/** gdoi_sak_put / gdoi_sak_decode - one SAK payload / body. */
int gdoi_sak_put(struct isakmp_builder *b, const struct gdoi_sak *sak);
int gdoi_sak_decode(const uint8_t *body, size_t len, struct gdoi_sak *sak);
/** gdoi_sat_put / gdoi_sat_decode - one SAT payload / body. */
int gdoi_sat_put(struct isakmp_builder *b, const struct gdoi_sat *sat);
int gdoi_sat_decode(const uint8_t *body, size_t len, struct gdoi_sat *sat);

#endif
