/*
 * isakmp: the RFC 2408 framing shared by Phase 1, GROUPKEY-PULL and
 * GROUPKEY-PUSH (doc/protocol.md §2): wire constants, the 28-octet header
 * with its receive checks, walking a payload chain and building one.
 *
 * The payload chain, not the header Length, ends a message: octets
 * after the payload whose Next Payload is 0 are CBC padding and are
 * never interpreted (§2.2).
 *
 * Building a message:
 *
 *   struct buf_writer w;  struct isakmp_builder b;  size_t hoff;
 *   buf_writer_init(&w);
 *   isakmp_hdr_put(&w, &hdr, &hoff);          // Next Payload patched later
 *   isakmp_build_init(&b, &w, hoff + ISAKMP_HDR_NEXT_OFF);
 *   isakmp_build_payload(&b, ISAKMP_PAYLOAD_HASH, hash, hlen);
 *   isakmp_build_begin(&b, ISAKMP_PAYLOAD_SA); ... body ...; isakmp_build_end(&b);
 *   isakmp_hdr_patch_len(&w, hoff);
 *
 * A nested chain (the SAK/GAP/SAT chain inside a GDOI SA payload) uses a
 * second builder on the same writer whose first Next Payload field is
 * the SA's "SA Attribute Next Payload" octet.
 */
#ifndef GDOI_ISAKMP_H
#define GDOI_ISAKMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

/* RFC 2408 §3.1: header */
#define ISAKMP_HDR_LEN		28
#define ISAKMP_COOKIE_LEN	8
#define ISAKMP_SPI_LEN		16	/* CKY-I | CKY-R, also the KEK SPI */
#define ISAKMP_HDR_NEXT_OFF	16	/* offset of the Next Payload octet */
#define ISAKMP_HDR_LEN_OFF	24	/* offset of the Length field */
#define ISAKMP_VERSION		0x10	/* major 1, minor 0 */
#define ISAKMP_VERSION_MAJOR(v)	((v) >> 4)
#define ISAKMP_VERSION_MINOR(v)	((v) & 0x0f)

/* RFC 2408 §3.1: Flags */
#define ISAKMP_FLAG_ENC		0x01
#define ISAKMP_FLAG_COMMIT	0x02
#define ISAKMP_FLAG_AUTH_ONLY	0x04

/* RFC 2408 §3.2: generic payload header */
#define ISAKMP_GEN_HDR_LEN	4

/* RFC 2408 §3.1 payload types; 15-22 from RFC 6407 §5 (doc/protocol.md §2.3) */
enum isakmp_payload_type {
	ISAKMP_PAYLOAD_NONE = 0,
	ISAKMP_PAYLOAD_SA = 1,
	ISAKMP_PAYLOAD_PROPOSAL = 2,
	ISAKMP_PAYLOAD_TRANSFORM = 3,
	ISAKMP_PAYLOAD_KE = 4,
	ISAKMP_PAYLOAD_ID = 5,
	ISAKMP_PAYLOAD_CERT = 6,
	ISAKMP_PAYLOAD_CERTREQ = 7,
	ISAKMP_PAYLOAD_HASH = 8,
	ISAKMP_PAYLOAD_SIG = 9,
	ISAKMP_PAYLOAD_NONCE = 10,
	ISAKMP_PAYLOAD_N = 11,
	ISAKMP_PAYLOAD_D = 12,
	ISAKMP_PAYLOAD_VID = 13,
	ISAKMP_PAYLOAD_ATTR = 14,	/* Mode-CFG, unused */
	GDOI_PAYLOAD_SAK = 15,		/* RFC 6407 §5.3 SA KEK */
	GDOI_PAYLOAD_SAT = 16,		/* RFC 6407 §5.5 SA TEK */
	GDOI_PAYLOAD_KD = 17,		/* RFC 6407 §5.6 Key Download */
	GDOI_PAYLOAD_SEQ = 18,		/* RFC 6407 §5.7 Sequence Number */
	GDOI_PAYLOAD_POP = 19,		/* RFC 3547 only, deprecated */
	ISAKMP_PAYLOAD_NAT_D = 20,	/* RFC 3947, unused */
	ISAKMP_PAYLOAD_NAT_OA = 21,	/* RFC 3947, unused */
	GDOI_PAYLOAD_GAP = 22,		/* RFC 6407 §5.4 Group Associated Policy */
	ISAKMP_PAYLOAD_PRIVATE_MIN = 128,
	/* doc/protocol.md §8.4 [D]: our COOP payload, private-use range */
	GETVPN_PAYLOAD_COOP = 128,
};

/* RFC 2408 §3.1 / RFC 6407 §3.1 exchange types (doc/protocol.md §2.4) */
enum isakmp_exchange {
	ISAKMP_EXCH_IDENT_PROT = 2,	/* Main Mode */
	ISAKMP_EXCH_AGGRESSIVE = 4,	/* never implemented */
	ISAKMP_EXCH_INFO = 5,
	GDOI_EXCH_PULL = 32,		/* GROUPKEY-PULL (GDOI DOI) */
	GDOI_EXCH_PUSH = 33,		/* GROUPKEY-PUSH (GDOI DOI) */
	/* RFC 8263 §3.1, §8 (IANA) GROUPKEY-PUSH-ACK */
	GDOI_EXCH_PUSH_ACK = 35,
	/* doc/protocol.md §8.4 [D]: our COOP exchange, private-use range */
	GETVPN_EXCH_COOP = 240,
};

/* RFC 2408 §3.1 / RFC 2407 §4.2 / RFC 6407 §5.1: Domains of Interpretation */
enum isakmp_doi {
	ISAKMP_DOI_ISAKMP = 0,
	ISAKMP_DOI_IPSEC = 1,
	ISAKMP_DOI_GDOI = 2,
};

/* RFC 2408 §3.4 / RFC 2407 §4.6.1: Situation */
#define ISAKMP_SIT_NONE		0
#define IPSEC_SIT_IDENTITY_ONLY	1

/* RFC 2407 §4.4.1: protocol IDs in Proposal/Notify/Delete payloads */
enum isakmp_proto {
	ISAKMP_PROTO_ISAKMP = 1,
	ISAKMP_PROTO_IPSEC_AH = 2,
	ISAKMP_PROTO_IPSEC_ESP = 3,
	ISAKMP_PROTO_IPCOMP = 4,
};

/* RFC 2407 §4.6.2.1 identification types; 13 from RFC 8052 */
enum isakmp_id_type {
	ISAKMP_ID_IPV4_ADDR = 1,
	ISAKMP_ID_FQDN = 2,
	ISAKMP_ID_USER_FQDN = 3,
	ISAKMP_ID_IPV4_ADDR_SUBNET = 4,
	ISAKMP_ID_IPV6_ADDR = 5,
	ISAKMP_ID_IPV6_ADDR_SUBNET = 6,
	ISAKMP_ID_IPV4_ADDR_RANGE = 7,
	ISAKMP_ID_IPV6_ADDR_RANGE = 8,
	ISAKMP_ID_DER_ASN1_DN = 9,
	ISAKMP_ID_DER_ASN1_GN = 10,
	ISAKMP_ID_KEY_ID = 11,
	ISAKMP_ID_OID = 13,
};

/* RFC 2408 §3.14.1 notify message types; RFC 2407 §4.6.3; RFC 3706 */
enum isakmp_notify {
	ISAKMP_N_INVALID_PAYLOAD_TYPE = 1,
	ISAKMP_N_DOI_NOT_SUPPORTED = 2,
	ISAKMP_N_SITUATION_NOT_SUPPORTED = 3,
	ISAKMP_N_INVALID_COOKIE = 4,
	ISAKMP_N_INVALID_MAJOR_VERSION = 5,
	ISAKMP_N_INVALID_MINOR_VERSION = 6,
	ISAKMP_N_INVALID_EXCHANGE_TYPE = 7,
	ISAKMP_N_INVALID_FLAGS = 8,
	ISAKMP_N_INVALID_MESSAGE_ID = 9,
	ISAKMP_N_INVALID_PROTOCOL_ID = 10,
	ISAKMP_N_INVALID_SPI = 11,
	ISAKMP_N_INVALID_TRANSFORM_ID = 12,
	ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	ISAKMP_N_NO_PROPOSAL_CHOSEN = 14,
	ISAKMP_N_BAD_PROPOSAL_SYNTAX = 15,
	ISAKMP_N_PAYLOAD_MALFORMED = 16,
	ISAKMP_N_INVALID_KEY_INFORMATION = 17,
	ISAKMP_N_INVALID_ID_INFORMATION = 18,
	ISAKMP_N_INVALID_CERT_ENCODING = 19,
	ISAKMP_N_INVALID_CERTIFICATE = 20,
	ISAKMP_N_CERT_TYPE_UNSUPPORTED = 21,
	ISAKMP_N_INVALID_CERT_AUTHORITY = 22,
	ISAKMP_N_INVALID_HASH_INFORMATION = 23,
	ISAKMP_N_AUTHENTICATION_FAILED = 24,
	ISAKMP_N_INVALID_SIGNATURE = 25,
	ISAKMP_N_ADDRESS_NOTIFICATION = 26,
	ISAKMP_N_NOTIFY_SA_LIFETIME = 27,
	ISAKMP_N_CERTIFICATE_UNAVAILABLE = 28,
	ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
	IPSEC_N_RESPONDER_LIFETIME = 24576,
	IPSEC_N_REPLAY_STATUS = 24577,
	IPSEC_N_INITIAL_CONTACT = 24578,
	ISAKMP_N_DPD_R_U_THERE = 36136,		/* RFC 3706 §5 */
	ISAKMP_N_DPD_R_U_THERE_ACK = 36137,
};

/* RFC 2407 §4.6.2: the data length an address ID type requires, 0 for the
 * types whose data has no fixed size (FQDN, DN, KEY_ID ...). */
size_t isakmp_id_data_len(uint8_t type);

/* A header in host order. */
struct isakmp_hdr {
	uint8_t icookie[ISAKMP_COOKIE_LEN];
	uint8_t rcookie[ISAKMP_COOKIE_LEN];
	uint8_t next;		/* type of the first payload */
	uint8_t version;	/* ISAKMP_VERSION */
	uint8_t exch;		/* enum isakmp_exchange */
	uint8_t flags;		/* ISAKMP_FLAG_* */
	uint32_t msgid;
	uint32_t len;		/* whole message, header and padding included */
};

/**
 * isakmp_payload_type_ok - true for a Next Payload value we may meet on
 * the wire: below 128, or a private type this program defines (§2.1).
 */
bool isakmp_payload_type_ok(uint8_t type);
/** isakmp_payload_name / isakmp_exch_name - for debug lines ("SA", "PULL"). */
const char *isakmp_payload_name(uint8_t type);
const char *isakmp_exch_name(uint8_t exch);

/**
 * isakmp_hdr_decode - parse the header of a datagram of len octets and
 * apply the doc/protocol.md §2.1 receive checks: len >= 28 and equal to the
 * header Length, version 1.0, a valid first Next Payload, and Flags ==
 * ENC exactly for GROUPKEY-PUSH.  On failure returns -1 and, when notify
 * is not NULL, stores the RFC 2408 notify type that describes the fault
 * (e.g. ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS).
 */
int isakmp_hdr_decode(struct isakmp_hdr *h, const uint8_t *msg, size_t len,
		      uint16_t *notify);
/**
 * isakmp_hdr_put - append the 28-octet header; *off (may be NULL)
 * receives its offset in w, for isakmp_hdr_patch_len() and for a
 * builder's first Next Payload (off + ISAKMP_HDR_NEXT_OFF).
 */
int isakmp_hdr_put(struct buf_writer *w, const struct isakmp_hdr *h,
		   size_t *off);
/** isakmp_hdr_patch_len - set the Length of the header at hoff to w's end. */
int isakmp_hdr_patch_len(struct buf_writer *w, size_t hoff);

/* One payload of a chain, pointing into the message. */
struct isakmp_payload {
	uint8_t type;
	const uint8_t *raw;	/* generic header: what HASH(n)/SIG cover */
	size_t raw_len;		/* body_len + ISAKMP_GEN_HDR_LEN */
	const uint8_t *body;
	size_t body_len;
};

/* Upper bound on payloads in one chain: a chain cannot loop (each step
 * consumes at least a header), this only caps silly-but-valid input. */
#define ISAKMP_ITER_MAX 1024

struct isakmp_iter {
	struct buf_reader r;
	uint8_t next;		/* type of the payload to read next */
	unsigned count;
	bool done, err;
};

/**
 * isakmp_iter_init - walk the chain in p[0..len) whose first payload has
 * type first (the header's Next Payload, or an SA's nested-chain field).
 */
void isakmp_iter_init(struct isakmp_iter *it, uint8_t first, const void *p,
		      size_t len);
/**
 * isakmp_iter_next - 1 with *pl filled, 0 at the end of the chain (Next
 * Payload 0), -1 when the chain is malformed: a Payload Length below 4
 * or beyond what is left, or more than ISAKMP_ITER_MAX payloads.  A
 * non-zero RESERVED octet is tolerated (RFC 2408 receivers ignore it).
 * After -1 it keeps returning -1.
 */
int isakmp_iter_next(struct isakmp_iter *it, struct isakmp_payload *pl);
/**
 * isakmp_iter_end - octets from the start of p to the end of the last
 * payload returned; after 0 from isakmp_iter_next this is where the chain
 * ends and the padding starts.
 */
size_t isakmp_iter_end(const struct isakmp_iter *it);

/* A whole top-level chain, collected (messages have a handful). */
#define ISAKMP_CHAIN_MAX 32

struct isakmp_chain {
	size_t n;
	struct isakmp_payload pl[ISAKMP_CHAIN_MAX];
	size_t end;		/* chain length; octets after it are padding */
};

/**
 * isakmp_chain_parse - collect every payload of the chain in p[0..len).
 * -1 if the chain is malformed, runs past len, or holds more than
 * ISAKMP_CHAIN_MAX payloads.  Trailing octets after the chain are
 * allowed (padding) and reported through c->end.
 */
int isakmp_chain_parse(struct isakmp_chain *c, uint8_t first, const void *p,
		       size_t len);
/** isakmp_chain_find - the first payload of type, or NULL. */
const struct isakmp_payload *isakmp_chain_find(const struct isakmp_chain *c,
					       uint8_t type);
/** isakmp_chain_count - how many payloads of type the chain holds. */
size_t isakmp_chain_count(const struct isakmp_chain *c, uint8_t type);

/*
 * The payloads a message may carry, the one way every exchange states it:
 * masks of payload types (ISAKMP_PL(type); types 1-31, which covers every
 * payload of IKEv1 and GDOI): required exactly once, optional at most
 * once, repeatable any number of times.  Anything else is refused.
 */
#define ISAKMP_PL(t) (1u << (t))

struct isakmp_spec {
	const char *name;		/* "msg 3", in log lines */
	uint32_t required, optional, repeatable;
};

/**
 * isakmp_chain_match - NULL when payloads c->pl[first..] are what spec
 * allows, otherwise why not ("unexpected ID payload", "repeated ...",
 * "missing ..."), in a static buffer.
 */
const char *isakmp_chain_match(const struct isakmp_chain *c, size_t first,
			       const struct isakmp_spec *spec);

/*
 * Chain builder: writes generic headers into a writer and links the
 * Next Payload fields.  Each payload is written with Next Payload 0 and
 * patched when the following one begins, so the last ends the chain.
 */
struct isakmp_builder {
	struct buf_writer *w;
	size_t next_off;	/* octet to receive the next payload's type */
	size_t cur;		/* offset of the open payload's header */
	bool open;
};

/* No field names the first payload (proposals in a Phase 1 SA body,
 * transforms in a proposal): pass this as next_off. */
#define ISAKMP_BUILD_NO_LINK SIZE_MAX

/**
 * isakmp_build_init - next_off is the offset in w of the Next Payload
 * octet that names the first payload of this chain, or
 * ISAKMP_BUILD_NO_LINK.
 */
void isakmp_build_init(struct isakmp_builder *b, struct buf_writer *w,
		       size_t next_off);
/** isakmp_build_begin - link and write a generic header of type. */
int isakmp_build_begin(struct isakmp_builder *b, uint8_t type);
/** isakmp_build_end - patch the open payload's length (<= 0xFFFF). */
int isakmp_build_end(struct isakmp_builder *b);
/** isakmp_build_payload - begin, body octets, end. */
int isakmp_build_payload(struct isakmp_builder *b, uint8_t type,
			 const void *body, size_t len);
/**
 * isakmp_build_set_next - write type into the pending Next Payload field
 * now, before that payload exists (GROUPKEY-PUSH signs a chain whose
 * last Next Payload already says SIG, doc/protocol.md §5.2).
 */
int isakmp_build_set_next(struct isakmp_builder *b, uint8_t type);

#endif
