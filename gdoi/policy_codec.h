/*
 * policy_codec: struct gdoi_policy <-> the payloads that carry it in
 * GROUPKEY-PULL (RFC 6407 §3.2, §5.1-§5.7; doc/protocol.md §4.5-§4.10, §6,
 * §8.1, §8.3): the GDOI SA payload (SAK + GAP + one SAT per TEK) in
 * message 2, and SEQ + KD (TEK, KEK and SID key packets) in message 4.
 *
 * Encoding is the key server's side: the policy is checked first
 * (policy_codec_check) so that nothing unencodable reaches the wire.
 * Decoding is the group member's side: the SA fills the policy without
 * keys, then the KD fills the keys and the GM-side cross checks run
 * (every SAT SPI has a TEK key packet and vice versa, the KEK packet SPI
 * is the SAK SPI, key lengths match the transforms, SEQ iff KEK).
 *
 * The plain-data conversions (policy <-> struct gdoi_sa / gdoi_kd) are
 * public too, for GROUPKEY-PUSH, which carries the same payloads.
 */
#ifndef GDOI_POLICY_CODEC_H
#define GDOI_POLICY_CODEC_H

/* policy.h before gdoi_sa.h: both name the KEK algorithm constants. */
#include "gdoi/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/gdoi_sa.h"
#include "gdoi/isakmp.h"
#include "gdoi/kd.h"

/*
 * Our private SAT attributes, RFC 2407 §4.5 private-use range
 * (doc/protocol.md §8.1 and §8.3 [D]; Cisco's are not public).  Every value
 * is read as an unsigned integer of 1-8 octets, TV or TLV.
 */
#define GDOI_ATTR_TBAR_WINDOW_MS	32001	/* V, 4 octets; 0 = TBAR off */
#define GDOI_ATTR_TBAR_PSEUDOTIME_MS	32002	/* V, 8 octets, KS pseudotime */
#define GDOI_ATTR_ACE_ACTION		32003	/* B, sent for deny entries */
#define GDOI_ATTR_REPLAY_COUNTER_WINDOW	32004	/* V, 4 octets, packets */

#define GDOI_ACE_PERMIT			1
#define GDOI_ACE_DENY			2

/* RFC 6407 §5.3: rekey messages are UDP datagrams. */
#define GDOI_SAK_PROTO_UDP		17

/**
 * policy_codec_check - 0 if p can go on the wire and be installed: at
 * least one and at most GDOI_SA_MAX_SAT TEKs, every TEK with a supported
 * transform profile (doc/protocol.md §4.8: AES-CBC or 3DES + HMAC, AES-GCM-16,
 * AES-GMAC), a lifetime and a non-zero SPI, TEKs sharing an SPI sharing
 * their transform (one KD packet per SPI), a supported KEK (AES or 3DES,
 * RSA signatures), SIDs that fit sid_bits.  With keys, also every key
 * length (TEK keys, KEK IV and key, a signing key present) and equal keys
 * behind a shared SPI.  -1 with a debug line naming the first fault.
 */
int policy_codec_check(const struct gdoi_policy *p, bool keys);

/**
 * policy_codec_needs_sids - true when p has a permit TEK with a counter
 * mode transform (RFC 6054, doc/protocol.md §6): the KS must grant sender
 * IDs and the GM must receive at least one.
 */
bool policy_codec_needs_sids(const struct gdoi_policy *p);

/**
 * policy_codec_to_sa - the SA payload contents for p (SAK if has_kek,
 * GAP if has_gap, one SAT per TEK).  -1 if policy_codec_check(p, false)
 * fails.
 */
int policy_codec_to_sa(const struct gdoi_policy *p, struct gdoi_sa *sa);
/**
 * policy_codec_from_sa - p (cleared and wiped first) from a decoded SA:
 * KEK policy, ATD/DTD, TEK policies without keys.  -1 when the SA holds
 * something we cannot install (unknown attribute, AH, transport mode,
 * another address preservation, IPv6 or non-prefix selectors, ...).
 */
int policy_codec_from_sa(const struct gdoi_sa *sa, struct gdoi_policy *p);

/**
 * policy_codec_to_kd - the KD contents for p: one TEK packet per distinct
 * SPI in TEK order, the KEK packet if has_kek, a SID packet if nsid > 0.
 * The caller wipes kd (gdoi_kd_free).  -1 on an unencodable policy.
 */
int policy_codec_to_kd(const struct gdoi_policy *p, struct gdoi_kd *kd);
/**
 * policy_codec_from_kd - copy the keys and SIDs of kd into p, whose
 * policy part came from the SA of the same exchange, and run the GM-side
 * checks; has_seq / seq describe the SEQ payload.  On -1, p's keys are
 * wiped.
 */
int policy_codec_from_kd(struct gdoi_policy *p, const struct gdoi_kd *kd,
			 bool has_seq, uint32_t seq);

/**
 * policy_codec_from_push_kd - the same for the KD of a GROUPKEY-PUSH:
 * a key packet for every SAT and no other, the KEK packet iff the SA
 * had a SAK, no SID packet, no SEQ rule.  On -1, p's keys are wiped.
 */
int policy_codec_from_push_kd(struct gdoi_policy *p, const struct gdoi_kd *kd);

/** policy_codec_sa_put - policy_codec_to_sa() then gdoi_sa_put(). */
int policy_codec_sa_put(struct isakmp_builder *b, const struct gdoi_policy *p);
/** policy_codec_sa_decode - gdoi_sa_decode() then policy_codec_from_sa(). */
int policy_codec_sa_decode(const uint8_t *body, size_t len,
			   struct gdoi_policy *p);
/**
 * policy_codec_keys_put - SEQ (iff has_kek) then KD, through b: the
 * payloads of GROUPKEY-PULL message 4 after HASH(4).  With p->epoch
 * set, the TEK and KEK key packets are encoded once per (group_id,
 * epoch) and reused: the caller guarantees that keys and SPIs never
 * change under one epoch (doc/gdoi.md "Registration cost").
 */
/** policy_codec_cache_flush - wipe and drop every cached key packet. */
void policy_codec_cache_flush(void);
int policy_codec_keys_put(struct isakmp_builder *b,
			  const struct gdoi_policy *p);
/**
 * policy_codec_keys_decode - the KD body (and the SEQ body, NULL if the
 * message had none) into p: gdoi_kd_decode(), gdoi_seq_decode(), then
 * policy_codec_from_kd().  The decoded copy of the keys is wiped.
 */
int policy_codec_keys_decode(struct gdoi_policy *p, const uint8_t *seq,
			     size_t seq_len, const uint8_t *kd, size_t kd_len);

#endif
