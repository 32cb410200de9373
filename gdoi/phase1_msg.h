/*
 * phase1_msg: the six Main Mode messages, and the SA state they share
 * with the phase1 state machine.  Internal to gdoi/phase1*.c: everything
 * outside gdoi/ uses phase1.h, where struct p1_sa is opaque.
 */
#ifndef GDOI_PHASE1_MSG_H
#define GDOI_PHASE1_MSG_H

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

/* phase1.c */
int p1_set_state(struct p1_sa *sa, enum p1_state to);
enum p1_result p1_fail(struct p1_sa *sa, uint16_t notify,
		       struct buf_writer *out, const char *why);
int p1_sent(struct p1_sa *sa, const struct buf_writer *out);
int p1_new_cookie(uint8_t *cky);
bool p1_cookie_zero(const uint8_t *cky);
unsigned p1_auth_mask(const struct p1_config *cfg, uint32_t peer);
void p1_addr_str(uint32_t a, char *buf, size_t len);
const char *p1_notify_name(uint16_t type);

/* phase1_msg.c: builders return 0/-1; *notify says what went wrong. */
/* p1_chain_check - 0 when c carries what spec allows (else logged). */
int p1_chain_check(const struct isakmp_chain *c, const struct isakmp_spec *spec,
		   const char *what);
void p1_vid_scan(struct p1_sa *sa, const struct isakmp_chain *c);
/** p1_msg_start - a Main Mode header of sa into w (reset), builder b. */
int p1_msg_start(const struct p1_sa *sa, struct buf_writer *w,
		 struct isakmp_builder *b, size_t *hoff);
int p1_msg1_build(struct p1_sa *sa, struct buf_writer *out);
int p1_msg1_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		    const uint8_t *msg, size_t len, uint16_t *notify);
int p1_msg2_build(struct p1_sa *sa, struct buf_writer *out);
enum p1_result p1_msg2_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);
enum p1_result p1_msg3_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);
enum p1_result p1_msg4_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);

#endif
