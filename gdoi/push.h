/*
 * push: GROUPKEY-PUSH, the rekey message (RFC 6407 §4), and its RFC 8263
 * acknowledgement, for both roles.  Pure code: no sockets, no timers, no
 * clock; the caller sends what lands in a writer.  Wire details and the
 * choices made where the RFCs are silent: doc/rekey.md.
 *
 *   KS -> GM(s)  HDR*(cookies = KEK SPI, exch 33, E, M-ID 0),
 *                SEQ, [D ...,] [SA (SAK? GAP? SAT+), KD,] SIG
 *   GM -> KS     HDR(same cookies, exch 35, flags 0, M-ID 0),
 *                HASH, SEQ, ID                       (not encrypted)
 *
 * Key server: push_build() signs once (RSA over "rekey" | HDR | payloads
 * before SIG, RFC 6407 §4) and encrypts with the KEK (static IV from the
 * KD); the datagram carries nothing member-specific, so unicast rekeys
 * send the same octets to every member.  ACKs: push_ack_open() parses
 * without any crypto, the caller checks cookies (push_ack_open fills
 * .spi), that SEQ was sent and its duplicate cache, then
 * push_ack_verify() checks HASH (RFC 8263 §3.2, §5).
 *
 * Group member: a struct push_rx holds the KEKs it accepts rekeys under
 * (current and, after a rollover, the previous one) with their last SEQ
 * and a cache of recent message hashes.  push_open() runs the RFC 6407
 * §4.4 / §7.3 checks, cheapest first: size and header, KEK by cookies,
 * duplicate cache (no crypto yet), decryption, form, SEQ > last,
 * signature, then the contents (D, SA, KD) decoded into a struct push_in.
 * Only a fully accepted message changes push_rx (SEQ, cache).  The caller
 * applies push_in, rolls the KEK with push_rx_set_kek() when
 * push_in.policy.has_kek, and answers with push_ack_build() when
 * push_in.ack_type says so.
 */
#ifndef GDOI_PUSH_H
#define GDOI_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/policy.h"
#include "gdoi/rsakey.h"

/* A GROUPKEY-PUSH longer than this is refused before anything else. */
#define PUSH_MAX_LEN 32768
/* RFC 6407 §7.3.4: hashes of recent messages, dropped before crypto. */
#define PUSH_CACHE_SIZE 32
#define PUSH_HASH_LEN 32		/* SHA-256 of the whole datagram */
/* Delete payloads in one PUSH, and SPIs in one of them. */
#define PUSH_MAX_DEL 4
#define PUSH_DEL_MAX_SPI 16

/* RFC 6407 §5.9: Delete Protocol-ID 0 deletes a KEK. */
#define PUSH_DEL_KEK 0

/* RFC 8263 §2, §8: KEK_ACK_REQUESTED values (struct gdoi_kek.ack). */
#define PUSH_ACK_NONE		0
#define PUSH_ACK_KEK_SHA256	1
#define PUSH_ACK_KEK_SHA512	3

/* One Delete payload: proto GDOI_PROTO_IPSEC_ESP/_AH with TEK SPIs
 * (network order, 0 = every SA of that protocol), or PUSH_DEL_KEK with
 * one KEK SPI in kek_spi (all zero = every KEK). */
struct push_delete {
	uint8_t proto;
	size_t nspi;
	uint32_t spi[PUSH_DEL_MAX_SPI];
	uint8_t kek_spi[GDOI_KEK_SPI_LEN];
};

/* Why push_open / push_ack_* refused a datagram; callers count these. */
enum push_err {
	PUSH_OK = 0,
	PUSH_ERR_SIZE,		/* oversized, or shorter than a header */
	PUSH_ERR_HEADER,	/* version, exchange, flags, M-ID, length */
	PUSH_ERR_UNKNOWN_KEK,	/* cookies name no KEK we hold */
	PUSH_ERR_DUPLICATE,	/* hash cache hit: dropped before any crypto */
	PUSH_ERR_DECRYPT,	/* body not whole cipher blocks */
	PUSH_ERR_FORM,		/* payload chain, order, padding */
	PUSH_ERR_SEQ,		/* SEQ not above the last one accepted */
	PUSH_ERR_SIG,		/* signature missing or does not verify */
	PUSH_ERR_POLICY,	/* authentic, but D/SA/KD unusable */
	PUSH_ERR_BAD_HASH,	/* ACK: HASH does not verify */
	PUSH_ERR_INTERNAL,	/* memory, crypto library */
	PUSH_ERR_COUNT
};

/** push_err_name - "unknown KEK", ... for log lines and counters. */
const char *push_err_name(enum push_err e);

/* ---- key server: building ---- */

struct push_msg {
	uint32_t seq;			/* > every SEQ sent under this KEK */
	const struct push_delete *del;	/* ndel Delete payloads, in order */
	size_t ndel;
	/*
	 * NULL: no SA and KD (deletes only, or a bare SEQ refresh).
	 * Otherwise the SA and KD: one SAT and key packet per TEK (with
	 * keys), GAP when has_gap, and SAK + KEK key packet when has_kek:
	 * set it only to hand out a new KEK (rollover, RFC 6407 §4.3).
	 * nsid must be 0: SID packets never travel in a PUSH (§5.6.4).
	 */
	const struct gdoi_policy *policy;
};

/**
 * push_build - the datagram protected by kek (its spi are the cookies,
 * key/iv/alg encrypt, sig_hash picks the hash) and signed with sig_key
 * in format fmt (RSAKEY_SIG_PKCS1 is RFC 6407's; the raw form is for
 * peers that want it) into out (reset first).  One RSA signature per
 * call.  -1 (out empty) when m does not encode or a key is unusable.
 */
int push_build(const struct gdoi_kek *kek, const struct rsakey *sig_key,
	       enum rsakey_sigfmt fmt, const struct push_msg *m,
	       struct buf_writer *out);

/* ---- duplicate cache (both roles) ---- */

struct push_cache {
	uint8_t hash[PUSH_CACHE_SIZE][PUSH_HASH_LEN];
	uint32_t seq[PUSH_CACHE_SIZE];	/* what the cached message carried */
	size_t n, next;
};

/** push_cache_hash - SHA-256 of a datagram (cheap next to RSA and AES). */
int push_cache_hash(const uint8_t *in, size_t len,
		    uint8_t hash[PUSH_HASH_LEN]);
/** push_cache_find - the slot holding hash, or -1. */
int push_cache_find(const struct push_cache *c,
		    const uint8_t hash[PUSH_HASH_LEN]);
/** push_cache_add - remember hash (oldest entry replaced). */
void push_cache_add(struct push_cache *c, const uint8_t hash[PUSH_HASH_LEN],
		    uint32_t seq);

/* ---- group member: receiving ---- */

/* The current KEK and the two before it: after a COOP merge a member can
 * get the winner's new KEK (under the pre-split one) before the loser's
 * last rekey (under the loser's rolled KEK) that still carries the
 * pre-split one; with it still held, that KEK is refreshed where it is
 * and the new one stays current (doc/coop.md "Partitions and
 * traffic"). */
#define PUSH_RX_KEKS 3

struct push_rx_kek {
	bool used;
	struct gdoi_kek kek;		/* keys, public key, ack type */
	struct rsakey *pub;		/* kek.pubkey, parsed once */
	uint32_t last_seq;		/* highest SEQ accepted under it */
};

struct push_rx_stats {
	unsigned long opened;		/* accepted */
	unsigned long decrypts;		/* messages that reached decryption */
	unsigned long sig_checks;	/* RSA verifications run */
	unsigned long err[PUSH_ERR_COUNT];
};

struct push_rx {
	struct push_rx_kek kek[PUSH_RX_KEKS];	/* [0] is the current one */
	struct push_cache cache;
	struct push_rx_stats st;
};

/* What an accepted PUSH carries (keys inside: push_in_free wipes). */
struct push_in {
	uint8_t spi[GDOI_KEK_SPI_LEN];	/* the KEK that protected it */
	uint32_t seq;
	uint8_t ack_type;		/* that KEK's KEK_ACK_REQUESTED */
	size_t ndel;
	struct push_delete del[PUSH_MAX_DEL];
	/* SA and KD: new TEKs (keys included), GAP (has_gap, atd_s, dtd_s),
	 * and with has_kek the next KEK with its keys.  seq is 0. */
	bool has_policy;
	struct gdoi_policy policy;
};

void push_rx_init(struct push_rx *rx);
/** push_rx_free - forget every KEK (keys wiped); rx may be reused. */
void push_rx_free(struct push_rx *rx);
/**
 * push_rx_set_kek - accept rekeys under kek (with keys and public key)
 * from now on, SEQ above seq.  The same SPI again (re-registration)
 * refreshes its keys and keeps the higher SEQ (RFC 6407 §3.3); a new SPI
 * becomes current and the old current becomes the previous one, kept
 * until push_rx_retire() (retransmitted copies under it still open).
 * -1 if the public key does not parse (rx unchanged).
 */
int push_rx_set_kek(struct push_rx *rx, const struct gdoi_kek *kek,
		    uint32_t seq);
/** push_rx_retire - stop accepting rekeys under spi (NULL: every KEK
 * except the current one). */
void push_rx_retire(struct push_rx *rx, const uint8_t *spi);
/** push_rx_find - the KEK with these 16 cookie octets, or NULL. */
const struct push_rx_kek *push_rx_find(const struct push_rx *rx,
				       const uint8_t *spi);
/** push_rx_current - the current KEK, or NULL before any. */
const struct push_rx_kek *push_rx_current(const struct push_rx *rx);

/**
 * push_open - check and decode one datagram (see the top of this file).
 * PUSH_OK: *m holds the contents, rx took its SEQ and hash.  Otherwise
 * rx only counted the refusal (rx->st.err[e]) and *m holds nothing.
 * PUSH_ERR_DUPLICATE also sets m->spi and m->seq of the cached message
 * (a retransmission the caller may ACK again).
 */
enum push_err push_open(struct push_rx *rx, const uint8_t *in, size_t len,
			struct push_in *m);
void push_in_free(struct push_in *m);

/* ---- RFC 8263 acknowledgement ---- */

/**
 * push_ack_build - the ACK of the PUSH with cookies spi and SEQ seq,
 * protected under kek (the KEK that decrypted that PUSH, whose ack type
 * selects the prf), from the member address gm_addr (network order, the
 * one it registered from) into out (reset first).  -1 when kek->ack is
 * not a KEK type we implement.
 */
int push_ack_build(const struct gdoi_kek *kek, const uint8_t *spi,
		   uint32_t seq, uint32_t gm_addr, struct buf_writer *out);

/* A parsed ACK; borrows from the datagram. */
struct push_ack {
	uint8_t spi[GDOI_KEK_SPI_LEN];
	uint32_t seq;
	uint32_t gm_addr;		/* ID payload, network order */
	const uint8_t *hash;
	size_t hash_len;
	const uint8_t *covered;		/* SEQ | ID payloads, generic headers */
	size_t covered_len;
};

/**
 * push_ack_open - form checks only (header, HASH SEQ ID chain, an IPv4
 * ID): PUSH_OK, PUSH_ERR_SIZE, _HEADER or _FORM.  No crypto.
 */
enum push_err push_ack_open(const uint8_t *in, size_t len,
			    struct push_ack *a);
/**
 * push_ack_verify - PUSH_OK when a->hash is RFC 8263's HASH under kek
 * (the KEK the acknowledged PUSH went out under), PUSH_ERR_BAD_HASH
 * otherwise (or when kek->ack is not a type we implement).
 */
enum push_err push_ack_verify(const struct push_ack *a,
			      const struct gdoi_kek *kek);

#endif
