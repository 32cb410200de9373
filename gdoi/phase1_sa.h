/*
 * phase1_sa: struct p1_sa and the primitives every part of Main Mode
 * uses on it: the state funnel, the copy of the last message sent, the
 * failure Notify, the message header and the DPD Vendor ID.  Below
 * phase1.c (the driver), phase1_msg.c and phase1_auth.c (the messages):
 * it calls none of them.  Internal to gdoi/phase1*.c: everything outside
 * gdoi/ uses phase1.h, where struct p1_sa is opaque.
 */
#ifndef GDOI_PHASE1_SA_H
#define GDOI_PHASE1_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/dh.h"
#include "gdoi/ikecrypt.h"
#include "gdoi/ikekeys.h"
#include "gdoi/isakmp.h"
#include "gdoi/payload.h"
#include "gdoi/phase1.h"
#include "gdoi/phase1_prop.h"

/* [D] doc/protocol.md §2.7: our nonces are 32 octets. */
#define P1_NONCE_LEN 32
/* Our own ID data is at most this long (a DER DN fits). */
#define P1_ID_MAX 512

struct p1_sa {
	enum p1_state state;
	bool initiator;
	const struct p1_config *cfg;
	uint32_t local, peer;		/* IPv4, network order */
	uint8_t cky_i[ISAKMP_COOKIE_LEN], cky_r[ISAKMP_COOKIE_LEN];
	uint64_t created, up_at, now;	/* caller's clock, ms */

	struct payload_sa *offer;	/* initiator, until msg 2: our offer */
	uint32_t doi;			/* responder: DOI and proposal # of */
	uint8_t prop_num;		/* the offer, echoed in msg 2 */
	struct payload_xform xf;	/* the chosen transform */
	struct p1_suite suite;
	uint8_t *sai_b;			/* initiator's msg 1 SA body */
	size_t sai_len;

	struct dh *dh;
	uint8_t gxi[DH_MAX_PUB], gxr[DH_MAX_PUB];
	size_t gxi_len, gxr_len;
	uint8_t ni[PAYLOAD_NONCE_MAX], nr[PAYLOAD_NONCE_MAX];
	size_t ni_len, nr_len;

	struct ikekeys keys;
	struct ike_cipher cipher;	/* Ka */
	struct ike_iv iv;		/* IV of the next Main Mode message */
	struct ike_iv p1_last;		/* last block of msg 6 (§3.6) */

	uint8_t *peer_id;		/* peer's ID payload body */
	size_t peer_id_len;
	bool peer_dpd;
	uint16_t notify_sent, notify_rcvd;

	struct buf_writer last_out;	/* for retransmission */
	uint8_t *last_in;		/* last accepted datagram */
	size_t last_in_len;
};

/* p1_set_state - the one way a state changes: checked against the legal
 * transitions, logged and counted; entry actions run.  -1: not legal. */
int p1_set_state(struct p1_sa *sa, enum p1_state to);
/* p1_fail - the negotiation is over: DEAD, and out holds the Notify of
 * type notify for the peer (none when 0).  Returns P1_FAILED. */
enum p1_result p1_fail(struct p1_sa *sa, uint16_t notify,
		       struct buf_writer *out, const char *why);
/* p1_sent - keep a copy of out for retransmissions and duplicates. */
int p1_sent(struct p1_sa *sa, const struct buf_writer *out);
/* p1_auth_mask - the authentication methods we can offer peer. */
unsigned p1_auth_mask(const struct p1_config *cfg, uint32_t peer);
void p1_addr_str(uint32_t a, char *buf, size_t len);
const char *p1_notify_name(uint16_t type);

/* p1_chain_check - 0 when c carries what spec allows (else logged). */
int p1_chain_check(const struct isakmp_chain *c, const struct isakmp_spec *spec,
		   const char *what);
/* p1_msg_start - a Main Mode header of sa into w (reset), builder b. */
int p1_msg_start(const struct p1_sa *sa, struct buf_writer *w,
		 struct isakmp_builder *b, size_t *hoff);
/* p1_vid_put - our DPD Vendor ID (RFC 3706 §3) when DPD is on;
 * p1_vid_scan - note the peer's. */
int p1_vid_put(const struct p1_sa *sa, struct isakmp_builder *b);
void p1_vid_scan(struct p1_sa *sa, const struct isakmp_chain *c);

#endif
