/*
 * pull: GROUPKEY-PULL, the GDOI registration exchange, for both roles
 * (RFC 6407 §3; doc/protocol.md §4, §6), run over an established Phase 1 SA:
 *
 *   GM -> KS  HDR*, HASH(1), Ni, ID         pull_gm_start
 *   KS -> GM  HDR*, HASH(2), Nr, SA         pull_ks_process
 *   GM -> KS  HDR*, HASH(3) [, GAP]         pull_gm_process
 *   KS -> GM  HDR*, HASH(4) [, SEQ], KD     pull_ks_process
 *                                           pull_gm_process: DONE
 *
 * plus the protected Informational (HDR*, HASH(1), N) that refuses one
 * (doc/protocol.md §3.7).  The framing shared by all of them is pull_msg.h,
 * the policy payloads policy_codec.h.  Pure code: the caller owns
 * sockets and timers, routes datagrams to an exchange by cookies and
 * Message ID (Informational ones to pull_notify_decode), and sends what
 * lands in `out` (reset by every call; empty = nothing).
 *
 * A datagram that is rejected changes nothing (not the state, not the
 * IV chain).  An exact duplicate of the last request a side accepted
 * returns PULL_RESEND with the stored reply in out; the initiator's own
 * retransmissions use pull_gm_last_sent().  Errors that an authenticated
 * peer caused (refused group, unusable policy) end the exchange in
 * FAILED; pull_err_notify() names the Notify the caller should send.
 */
#ifndef GDOI_PULL_H
#define GDOI_PULL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/crypto.h"
#include "gdoi/ikecrypt.h"
#include "gdoi/payload.h"
#include "gdoi/policy.h"
#include "gdoi/pull_msg.h"

struct p1_sa;

/* doc/protocol.md §2.7 [D]: the nonce length we send (8-256 accepted). */
#define PULL_NONCE_LEN 32

/* Why a call did not return PULL_OK; the caller counts and logs these. */
enum pull_err {
	PULL_OK = 0,
	PULL_RESEND,		/* duplicate request: out holds the stored reply */
	PULL_ERR_MALFORMED,	/* framing, decryption or payload syntax */
	PULL_ERR_BAD_HASH,	/* HASH(n) does not verify */
	PULL_ERR_BAD_POLICY,	/* GM: SA/KD we cannot install */
	PULL_ERR_UNEXPECTED,	/* not the message this state waits for */
	PULL_ERR_UNKNOWN_GROUP,	/* KS: the ID names no group */
	PULL_ERR_UNAUTHORIZED,	/* KS: member not allowed in the group */
	PULL_ERR_NOT_READY,	/* KS: no policy or no sender ID to give */
	PULL_ERR_NO_SA,		/* the Phase 1 SA is not established */
	PULL_ERR_INTERNAL,	/* local failure: memory, randomness, crypto */
	PULL_ERR_COUNT
};

/** pull_err_name - "malformed", "bad hash", ... for log lines. */
const char *pull_err_name(enum pull_err e);
/**
 * pull_err_notify - the RFC 2408 Notify type that answers e (doc/protocol.md
 * §2.8, §4.2, §4.4, §4.11), 0 when none should be sent.
 */
uint16_t pull_err_notify(enum pull_err e);

/* ---- group member ---- */

enum pull_gm_state {
	PULL_GM_IDLE,
	PULL_GM_WAIT_SA,	/* msg 1 sent, waiting for msg 2 */
	PULL_GM_WAIT_KD,	/* msg 3 sent, waiting for msg 4 */
	PULL_GM_DONE,
	PULL_GM_FAILED,
	PULL_GM_STATE_COUNT
};

struct pull_gm {
	enum pull_gm_state state;
	uint32_t mid;			/* Message ID, ours */
	uint32_t group_id;
	uint8_t ni[PULL_NONCE_LEN];
	uint8_t nr[PAYLOAD_NONCE_MAX];
	size_t nr_len;
	struct ike_iv iv;		/* IV of the next message */
	struct gdoi_policy policy;	/* from msg 2, keys from msg 4 */
	struct pull_stored last;	/* msg 2 accepted / msg 1 or 3 sent */
};

const char *pull_gm_state_name(enum pull_gm_state s);
/** pull_gm_init - an IDLE exchange; pull_gm_free wipes and releases it. */
void pull_gm_init(struct pull_gm *gm);
void pull_gm_free(struct pull_gm *gm);
/**
 * pull_gm_start - msg 1 for group_id (ID_KEY_ID, 4 octets big-endian)
 * under p1 into out, with a fresh random Message ID and Ni.  gm must be
 * IDLE.
 */
enum pull_err pull_gm_start(struct pull_gm *gm, const struct p1_sa *p1,
			    uint32_t group_id, struct buf_writer *out);
/**
 * pull_gm_process - one datagram of this exchange from the KS.
 * WAIT_SA: verify msg 2, decode its SA into policy_out (no keys yet) and
 * put msg 3 in out, asking for sids_wanted sender IDs when the policy
 * has counter-mode TEKs and sids_wanted > 1.  WAIT_KD: verify msg 4 and
 * complete policy_out with SEQ, keys and SIDs; out stays empty and the
 * state becomes DONE.  policy_out is wiped first on success only.
 */
enum pull_err pull_gm_process(struct pull_gm *gm, const struct p1_sa *p1,
			      const uint8_t *in, size_t len,
			      unsigned sids_wanted, struct buf_writer *out,
			      struct gdoi_policy *policy_out);
/** pull_gm_last_sent - msg 1 or msg 3 as sent, for retransmission. */
const uint8_t *pull_gm_last_sent(const struct pull_gm *gm, size_t *len);

/* ---- key server ---- */

enum pull_ks_state {
	PULL_KS_IDLE,
	PULL_KS_SA_SENT,	/* msg 2 sent, waiting for msg 3 */
	PULL_KS_DONE,		/* msg 4 sent */
	PULL_KS_FAILED,
	PULL_KS_STATE_COUNT
};

enum pull_ks_verdict {
	PULL_KS_GROUP_OK,
	PULL_KS_GROUP_UNKNOWN,		/* -> INVALID-ID-INFORMATION */
	PULL_KS_GROUP_UNAUTHORIZED,	/* same Notify; caller logs
					 * %GDOI-1-UNAUTHORIZED_IPADDR */
	PULL_KS_GROUP_NOT_READY,	/* group exists but cannot serve */
};

struct pull_ks_ops {
	/*
	 * The group named by the msg 1 ID payload (id_type, its data) for
	 * the member behind peer (p1_sa_peer(), p1_sa_peer_id()).
	 */
	enum pull_ks_verdict (*lookup_group)(void *arg, uint8_t id_type,
					     const uint8_t *id, size_t id_len,
					     const struct p1_sa *peer,
					     void **group);
	/* The current policy: remaining lifetimes, pseudotime, keys. */
	int (*get_policy)(void *arg, void *group, struct gdoi_policy *out);
	/*
	 * Grant up to count sender IDs: the number written to sids (>= 1)
	 * with the group's SID width in *bits, or -1 (pool exhausted).
	 */
	int (*grant_sids)(void *arg, void *group, unsigned count,
			  uint32_t *sids, unsigned *bits);
};

struct pull_ks {
	enum pull_ks_state state;
	uint32_t mid;			/* Message ID, the member's */
	uint8_t ni[PAYLOAD_NONCE_MAX];
	size_t ni_len;
	uint8_t nr[PULL_NONCE_LEN];
	struct ike_iv iv;		/* IV of the next message */
	void *group;			/* from lookup_group */
	uint32_t group_id;		/* when the ID is ID_KEY_ID/4, else 0 */
	/* What msgs 2 and 4 carry; policy.sid/nsid are the granted SIDs. */
	struct gdoi_policy policy;
	struct pull_stored last;	/* msg 1 or 3 accepted / 2 or 4 sent */
};

const char *pull_ks_state_name(enum pull_ks_state s);
void pull_ks_init(struct pull_ks *ks);
/* pull_ks_free wipes ks and leaves it IDLE, as pull_ks_init does. */
void pull_ks_free(struct pull_ks *ks);
/**
 * pull_ks_process - one datagram from the member: msg 1 in IDLE (answer
 * msg 2), msg 3 in SA_SENT (grant SIDs, answer msg 4, DONE).  Once DONE
 * the caller records the member: ks->group, ks->policy.sid[0..nsid).
 * An exchange that ends FAILED after grant_sids() was called leaves the
 * granted SIDs in ks->policy.sid[0..nsid) for the caller to release.
 */
enum pull_err pull_ks_process(struct pull_ks *ks, const struct p1_sa *p1,
			      const uint8_t *in, size_t len,
			      const struct pull_ks_ops *ops, void *arg,
			      struct buf_writer *out);

/* ---- Informational under the Phase 1 SA ---- */

/**
 * pull_notify - HDR*(Informational, fresh Message ID), HASH(1), N with
 * HASH(1) = prf(SKEYID_a, M-ID | N) (doc/protocol.md §3.7) into out: Notify
 * type with DOI GDOI, Protocol ISAKMP and SPI = CKY-I | CKY-R.
 */
int pull_notify(const struct p1_sa *p1, uint16_t type, struct buf_writer *out);
/**
 * pull_notify_decode - a protected Informational carrying one N:
 * verifies HASH(1) and returns its Notify type in *type.  -1 on any
 * fault (not protected, bad hash, no single N).
 */
int pull_notify_decode(const struct p1_sa *p1, const uint8_t *in, size_t len,
		       uint16_t *type);

/* ---- shared by pull_gm.c and pull_ks.c ---- */

#define PULL_NMSG 4

/**
 * pull_classify - PULL_OK when m carries the payloads of message want
 * (1-4), PULL_ERR_UNEXPECTED when it carries another message's,
 * PULL_ERR_MALFORMED when neither.
 */
enum pull_err pull_classify(const struct pull_msg_in *m, unsigned want);
/**
 * pull_hash_pieces - the pieces HASH(n) covers between M-ID and the
 * payloads after HASH (doc/protocol.md §4.2); returns how many of pre are set.
 */
size_t pull_hash_pieces(unsigned n, const uint8_t *ni, size_t ni_len,
			const uint8_t *nr, size_t nr_len,
			struct crypto_iov pre[2]);
/**
 * pull_open - message n of an exchange, as either side receives it:
 * decrypt with iv (NULL: message 1, which brings its own M-ID; otherwise
 * its M-ID must be mid), check its payload table (pull_classify) and
 * HASH(n) over the nonces.  On failure m holds nothing; who ("GM", "KS")
 * names the side in the debug line.
 */
enum pull_err pull_open(struct pull_msg_in *m, const struct pull_p1 *v,
			const uint8_t *in, size_t len, unsigned n,
			const struct ike_iv *iv, uint32_t mid, const char *who,
			const uint8_t *ni, size_t ni_len, const uint8_t *nr,
			size_t nr_len);

#endif
