/*
 * phase1: IKEv1 Main Mode (Identity Protection) for GDOI, both roles, as
 * pure code (doc/protocol.md §3.1-§3.7; RFC 2409 §5.1 and §5.4).
 *
 *   I -> R  HDR, SA                        (p1_initiator_start)
 *   R -> I  HDR, SA                        (p1_responder_new)
 *   I -> R  HDR, KE, Ni
 *   R -> I  HDR, KE, Nr
 *   I -> R  HDR*, IDii, HASH_I | IDii, [CERT,] SIG_I
 *   R -> I  HDR*, IDir, HASH_R | IDir, [CERT,] SIG_R
 *
 * The caller owns sockets, timers and the SA table.  It creates a
 * responder SA from a message 1 (CKY-R = 0 and an unknown CKY-I) and
 * feeds every later datagram whose cookies match (CKY-I alone while an
 * initiator waits for message 2) to p1_process(), which says what to
 * send.  Time is an argument (seconds on any monotonic clock).
 *
 * Retransmission (§3.6 [D]): the caller resends p1_sa_last_sent() at
 * 2, 4, 8 s and then gives up; an exact duplicate of the last accepted
 * message makes p1_process() answer with the stored reply and change
 * nothing.  A negotiation that does not finish is expired by the caller
 * with p1_sa_expired() (or p1_sa_age()).
 */
#ifndef GDOI_PHASE1_H
#define GDOI_PHASE1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/crypto.h"
#include "gdoi/ikecrypt.h"
#include "gdoi/ikekeys.h"
#include "gdoi/phase1_prop.h"

struct rsakey;
struct p1_sa;

enum p1_state {
	P1_STATE_INIT,
	P1_STATE_I_SA_SENT,	/* initiator: msg 1 sent, waiting for 2 */
	P1_STATE_I_KE_SENT,	/* msg 3 sent, waiting for 4 */
	P1_STATE_I_AUTH_SENT,	/* msg 5 sent, waiting for 6 */
	P1_STATE_R_SA_SENT,	/* responder: msg 2 sent, waiting for 3 */
	P1_STATE_R_KE_SENT,	/* msg 4 sent, waiting for 5 */
	P1_STATE_ESTABLISHED,
	P1_STATE_DEAD,		/* failed or deleted; only freeing left */
	P1_STATE_COUNT
};

/* What p1_process() wants the caller to do. */
enum p1_result {
	P1_DROP,		/* not accepted; nothing changed or to send */
	P1_SEND,		/* send out; the negotiation goes on */
	P1_ESTABLISHED,		/* SA up; send out if not empty (msg 6) */
	P1_FAILED,		/* SA dead; send out if not empty (Notify) */
};

/* Counters for `show crypto isakmp` style output; all optional. */
struct p1_stats {
	unsigned long established;
	unsigned long failed;
	unsigned long dropped;
	unsigned long retransmit_answered;
};

/* The peer's credentials in message 5/6, for the RSA-signature hook. */
#define P1_MAX_CERTS 4

struct p1_peer_cred {
	uint32_t addr;		/* IPv4, network order */
	uint8_t id_type;	/* enum isakmp_id_type */
	const uint8_t *id;	/* ID data (after type/protocol/port) */
	size_t id_len;
	size_t ncert;		/* CERT payloads (X.509 DER), leaf first */
	const uint8_t *cert[P1_MAX_CERTS];
	size_t cert_len[P1_MAX_CERTS];
};

/*
 * Plain configuration; must outlive every SA created with it.  Pointers
 * are borrowed.
 */
struct p1_config {
	const struct p1_proposal *prop;	/* isakmp policies, by priority */
	size_t nprop;
	bool legacy;		/* allow DH 2/5, 3DES and SHA-1 */
	bool dpd;		/* send the RFC 3706 DPD Vendor ID */
	/* As responder, a DH key pair may serve the exchanges that start
	 * within this many ms of its making (dh_shared); 0: one per SA. */
	uint32_t dh_reuse_ms;
	/*
	 * Pre-shared key for a peer address (network order), or NULL when
	 * there is none: the KS picks the key by the GM's source address.
	 */
	const uint8_t *(*psk)(void *arg, uint32_t peer, size_t *len);
	void *psk_arg;
	/* RSA signatures: our key pair and, optionally, our certificate. */
	const struct rsakey *rsa;
	const uint8_t *cert;	/* DER, sent in a CERT payload if set */
	size_t cert_len;
	/*
	 * Verify the peer's identity and return the public key its SIG
	 * must verify under (a new key: phase1 frees it), or NULL to refuse
	 * the peer.  This is where certificate chains and `crypto key
	 * pubkey-chain` are checked.  Without this hook, rsa-sig is never
	 * offered nor accepted.
	 */
	struct rsakey *(*peer_key)(void *arg, const struct p1_peer_cred *cred);
	void *peer_key_arg;
	/*
	 * Our identity: id_type 0 means ID_IPV4_ADDR with the local
	 * address (IOS `crypto isakmp identity address`).
	 */
	uint8_t id_type;
	const uint8_t *id;
	size_t id_len;
	struct p1_stats *stats;	/* may be NULL */
	/*
	 * The responder's cookie for a message 1 from peer (network order)
	 * carrying cky_i, written to cky_r (non-zero), instead of a random
	 * one: RFC 2408 §2.5.3's keyed hash of the peer and a local secret,
	 * which the caller can check again on message 3 without state.
	 * NULL: random.
	 */
	void (*responder_cookie)(void *arg, uint32_t peer,
				 const uint8_t *cky_i, uint8_t *cky_r);
	void *cookie_arg;
};

/* [D] §3.6: a negotiation not finished after this many seconds is dead. */
#define P1_NEGOTIATION_TIMEOUT_MS 30000

/**
 * p1_retransmit_delay - doc/protocol.md §3.6 [D]: seconds to wait before
 * resending the last message for the attempt-th time (1, 2, 3: 2, 4 and
 * 8 s), or -1 when it is time to give up.
 */
int p1_retransmit_delay(unsigned attempt);

/** p1_state_name - "I_SA_SENT", ...; p1_state_ios - "MM_SA_SETUP", ... */
const char *p1_state_name(enum p1_state s);
const char *p1_state_ios(enum p1_state s);

/**
 * p1_initiator_start - a new initiator SA toward peer (network order)
 * from local; message 1 goes to out (an initialized writer, reset
 * first).  NULL when no policy is usable with this peer (no PSK for
 * it, no RSA key...) or on allocation failure.
 */
struct p1_sa *p1_initiator_start(const struct p1_config *cfg, uint32_t local,
				 uint32_t peer, uint64_t now_ms,
				 struct buf_writer *out);
/**
 * p1_responder_new - a responder SA from message 1 (msg, len), message 2
 * in out.  NULL when the message is not a valid message 1 or nothing in
 * it is acceptable; out then holds the Notify to send, if any
 * (NO-PROPOSAL-CHOSEN, PAYLOAD-MALFORMED), or is empty.
 */
struct p1_sa *p1_responder_new(const struct p1_config *cfg, uint32_t local,
			       uint32_t peer, const uint8_t *msg, size_t len,
			       uint64_t now_ms, struct buf_writer *out);
/**
 * p1_notify - an unprotected Notify of type for the exchange with
 * cookies cky_i / cky_r, in out (reset first).  0 or -1.
 */
int p1_notify(const uint8_t *cky_i, const uint8_t *cky_r, uint16_t type,
	      struct buf_writer *out);
/**
 * p1_process - feed one datagram of this SA.  out (reset first) gets
 * what must be sent.  See enum p1_result.
 */
enum p1_result p1_process(struct p1_sa *sa, const uint8_t *msg, size_t len,
			  uint64_t now_ms, struct buf_writer *out);
/** p1_sa_free - wipe and free; NULL is fine. */
void p1_sa_free(struct p1_sa *sa);
/** p1_sa_kill - move to DEAD (e.g. on expiry or delete). */
void p1_sa_kill(struct p1_sa *sa, const char *why);

/* ---- state for show commands, timers and the next exchanges ---- */

enum p1_state p1_sa_state(const struct p1_sa *sa);
bool p1_sa_initiator(const struct p1_sa *sa);
const uint8_t *p1_sa_icookie(const struct p1_sa *sa);
const uint8_t *p1_sa_rcookie(const struct p1_sa *sa);
uint32_t p1_sa_peer(const struct p1_sa *sa);
uint32_t p1_sa_local(const struct p1_sa *sa);
/** p1_sa_age - seconds since the SA was created. */
uint64_t p1_sa_age_ms(const struct p1_sa *sa, uint64_t now_ms);
/** p1_sa_left_ms - what is left of an established SA's lifetime (0 for
 * one not established). */
uint64_t p1_sa_left_ms(const struct p1_sa *sa, uint64_t now_ms);
/**
 * p1_sa_expired - true when a negotiation is older than
 * P1_NEGOTIATION_TIMEOUT_MS, or an established SA outlived its lifetime.
 */
bool p1_sa_expired(const struct p1_sa *sa, uint64_t now_ms);
/** p1_sa_last_sent - the last message sent, for retransmission. */
const uint8_t *p1_sa_last_sent(const struct p1_sa *sa, size_t *len);
/** p1_sa_suite - the negotiated suite (valid from message 2 on). */
const struct p1_suite *p1_sa_suite(const struct p1_sa *sa);
/** p1_sa_notify - the last Notify type sent or received (0: none). */
uint16_t p1_sa_notify_sent(const struct p1_sa *sa);
uint16_t p1_sa_notify_rcvd(const struct p1_sa *sa);
/**
 * p1_sa_take_dh - detach the key pair of an initiator whose peer refused
 * it before using it (INVALID-COOKIE after message 3), so that the next
 * attempt sends it again instead of making one: a member of a storm
 * makes one pair per registration, not one per cookie round.  NULL if
 * there is none.
 */
struct dh *p1_sa_take_dh(struct p1_sa *sa);
/** p1_sa_reuse_dh - an initiator not past message 2 sends d in its
 * message 3 instead of a new pair; sa owns d from now on. */
void p1_sa_reuse_dh(struct p1_sa *sa, struct dh *d);
/** p1_sa_peer_id - the peer's ID payload body (type, proto, port, data). */
const uint8_t *p1_sa_peer_id(const struct p1_sa *sa, size_t *len);
/** p1_sa_peer_dpd - the peer sent the RFC 3706 Vendor ID. */
bool p1_sa_peer_dpd(const struct p1_sa *sa);

/*
 * Keys of an established SA, for Informational, GROUPKEY-PULL and COOP
 * exchanges: SKEYID_a for HASH(n), Ka for encryption, and P1_last (the
 * last ciphertext block of message 6) from which each exchange's first
 * IV is derived (ikekeys_exch_iv).  NULL unless established.
 */
const struct ikekeys *p1_sa_keys(const struct p1_sa *sa);
const struct ike_cipher *p1_sa_cipher(const struct p1_sa *sa);
const struct ike_iv *p1_sa_p1_last(const struct p1_sa *sa);

#endif
