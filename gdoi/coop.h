/*
 * coop: the wire codec of the cooperative key server protocol (COOP,
 * doc/coop.md): one message is a payload chain, a COOP payload (private
 * type 128) then a SIG payload carrying an RSA signature made with the
 * group's rekey key pair, which every COOP key server of the group holds.
 * The chain travels after HASH(1) in an exchange of type 240 under the
 * Phase 1 SA of the two key servers (gdoi/coop_sa.h).
 *
 * Pure: no state.  Anti-replay counters, epochs and roles are checked by
 * the engine (roles/coop.c); this file only proves a message well formed
 * and signed by a holder of the key.
 */
#ifndef GDOI_COOP_H
#define GDOI_COOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

struct rsakey;

#define COOP_VERSION		2	/* 1: signed datagrams outside an SA */
#define COOP_FIXED_LEN		52	/* COOP payload body before the TLVs */
#define COOP_MEMBER_LEN		12	/* one member TLV value */
#define COOP_BLOB_MAX		4096	/* opaque key state of a SYNC */

enum coop_type {
	COOP_HELLO = 1,		/* election and announcements (ANN) */
	COOP_SYNC_FULL = 2,	/* the primary's whole state */
	COOP_SYNC_DELTA = 3,	/* what changed: state and/or members */
	COOP_ACK = 4,		/* a SYNC arrived */
};

enum coop_role {
	COOP_ROLE_ELECTING = 0,
	COOP_ROLE_PRIMARY = 1,
	COOP_ROLE_SECONDARY = 2,
};

/* Header flags. */
#define COOP_F_REPLY	0x0001	/* answer with a HELLO (and a SYNC-FULL) */
#define COOP_F_STATE	0x0002	/* a SYNC carries the state blob */
#define COOP_F_SYNC	0x0004	/* ANN: send me SYNC-FULL */
#define COOP_F_MERGED	0x0008	/* ANN: I was primary and now follow you */
#define COOP_F_ALL	0x000f

enum coop_tlv {
	COOP_TLV_STATE = 1,	/* opaque key state (the KS layer's) */
	COOP_TLV_MEMBER = 2,	/* address(4) SID(4) registered-with(4) */
	COOP_TLV_ACKED = 3,	/* counter(8) of the SYNC acknowledged */
};

/* What the primary's state is, in every message (the summary). */
struct coop_summary {
	uint32_t seq;		/* last rekey SEQ */
	uint32_t gen;		/* state generation: +1 on every change */
	uint64_t pseudo_ms;	/* pseudotime (TBAR) */
};

struct coop_member {
	uint32_t addr, sid, ks;	/* host order */
};

struct coop_msg {
	uint8_t type;		/* enum coop_type */
	uint16_t flags;
	uint16_t priority;
	uint8_t role;		/* enum coop_role */
	uint32_t group;		/* group identity number */
	uint32_t sender;	/* IPv4, host order */
	uint32_t primary;	/* who the sender follows (0: none) */
	uint64_t epoch;
	uint64_t counter;	/* anti-replay, strictly rising per sender */
	struct coop_summary sum;
	/* TLVs (decode: pointers into the datagram) */
	const uint8_t *blob;
	size_t blob_len;
	const uint8_t *members;	/* nmembers records of COOP_MEMBER_LEN */
	size_t nmembers;
	uint64_t acked;
};

enum coop_err {
	COOP_OK = 0,
	COOP_E_MALFORMED,	/* framing, lengths, TLVs */
	COOP_E_VERSION,		/* a COOP version we do not speak */
	COOP_E_SIGNATURE,	/* not signed by the group's key */
};

const char *coop_err_name(enum coop_err e);
const char *coop_type_name(uint8_t type);
const char *coop_role_name(uint8_t role);

/*
 * coop_build - append the signed chain (COOP, SIG) for m to w (members:
 * nmembers records as struct coop_member, may be NULL).  Returns 0, -1 on
 * a signing or allocation failure.
 */
int coop_build(const struct coop_msg *m, const struct coop_member *members,
	       const struct rsakey *key, struct buf_writer *w);
/*
 * coop_open - check and decode one chain: framing, version, TLVs, and
 * last the signature under key.  *m points into msg.
 */
enum coop_err coop_open(const uint8_t *msg, size_t len,
			const struct rsakey *key, struct coop_msg *m);
/* The group identity number a chain names, before any check (it picks
 * the engine that checks it); -1 when too short to say. */
int coop_peek_group(const uint8_t *msg, size_t len, uint32_t *group);
/* The i-th member record of a decoded message. */
void coop_member_get(const struct coop_msg *m, size_t i,
		     struct coop_member *out);

#endif
