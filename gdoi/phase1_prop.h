/*
 * phase1_prop: Phase 1 proposals (doc/protocol.md §3.2; RFC 2409 §5 and
 * App. A): turning `crypto isakmp policy` entries into transforms,
 * choosing one from a peer's offer, checking the responder's answer,
 * and mapping a transform onto the crypto it selects.
 */
#ifndef GDOI_PHASE1_PROP_H
#define GDOI_PHASE1_PROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/crypto.h"
#include "gdoi/payload.h"

/*
 * doc/protocol.md §2.5 [D]: the DOI and Situation we send in the Phase 1 SA
 * (and in Phase 1 Notifies); DOI 1 or 2 and any Situation are accepted.
 */
#define P1PROP_DOI		ISAKMP_DOI_GDOI
#define P1PROP_SITUATION	ISAKMP_SIT_NONE

/* IOS `crypto isakmp policy` default lifetime, seconds. */
#define P1PROP_DEFAULT_LIFETIME 86400

/* One `crypto isakmp policy N` entry, in the IKE code points of §3.2. */
struct p1_proposal {
	uint16_t enc;		/* IKE_ENCR_AES_CBC, IKE_ENCR_3DES_CBC */
	uint16_t keylen;	/* bits for AES (128/192/256); 0 for 3DES */
	uint16_t hash;		/* IKE_HASH_SHA1 .. IKE_HASH_SHA2_512 */
	uint16_t auth;		/* IKE_AUTH_PRE_SHARED / _RSA_SIG */
	uint16_t group;		/* DH_GROUP_* */
	uint32_t lifetime;	/* seconds; 0 = P1PROP_DEFAULT_LIFETIME */
};

/* What a chosen transform means for the crypto. */
struct p1_suite {
	uint16_t auth;		/* IKE_AUTH_* */
	enum crypto_hash hash;
	enum crypto_cipher cipher;
	size_t keylen;		/* octets */
	unsigned group;
	uint32_t lifetime;	/* seconds */
};

/* Bits of an auth mask: which methods can be used with this peer. */
#define P1PROP_AUTH_BIT(m) (1u << (m))

/**
 * p1_prop_defaults - doc/protocol.md §3.2 [D]: the proposals used when no
 * `crypto isakmp policy` is configured, strongest first, all with auth
 * method auth and lifetime 86400 s.  Fills up to cap entries of out and
 * returns how many there are (P1PROP_NDEFAULTS).
 */
#define P1PROP_NDEFAULTS 4
size_t p1_prop_defaults(uint16_t auth, struct p1_proposal *out, size_t cap);

/**
 * p1_prop_suite - the suite of transform x, or -1 when it is not one we
 * implement: unsupported attributes, ECDSA/DSS, AES without a key
 * length, 3DES with one, and SHA-1 / 3DES / groups 2 and 5 unless
 * legacy is set.
 */
int p1_prop_suite(const struct payload_xform *x, bool legacy,
		 struct p1_suite *s);
/** p1_prop_to_xform - the transform numbered num for policy entry p. */
void p1_prop_to_xform(const struct p1_proposal *p, uint8_t num,
		     struct payload_xform *x);
/**
 * p1_prop_offer - our msg 1 SA: one transform per usable entry of
 * prop[0..n) whose auth method is in auth_mask, numbered from 1 in
 * order.  -1 if none is usable.
 */
int p1_prop_offer(const struct p1_proposal *prop, size_t n, bool legacy,
		 unsigned auth_mask, struct payload_sa *sa);
/**
 * p1_prop_choose - responder choice (IOS rule): our entries in priority
 * order, each against every peer transform; the first peer transform
 * with the same encryption, key length, hash, auth and group and a
 * lifetime no longer than ours wins.  The peer's (shorter) lifetime is
 * kept.  -1 when nothing matches (NO-PROPOSAL-CHOSEN).
 */
int p1_prop_choose(const struct p1_proposal *prop, size_t n, bool legacy,
		  unsigned auth_mask, const struct payload_sa *offer,
		  struct payload_xform *chosen);
/**
 * p1_prop_check_reply - msg 2 must hold exactly one transform, carrying
 * the number and the algorithms of one we offered, with a lifetime no
 * longer than offered.  0 with *chosen set, or -1.
 */
int p1_prop_check_reply(const struct payload_sa *offer,
		       const struct payload_sa *reply,
		       struct payload_xform *chosen);

#endif
