/*
 * phase1: the IKEv1 Main Mode state machine for GDOI, initiator (GM,
 * or a COOP KS) and responder (KS) (doc/protocol.md §3.1-§3.7; RFC 2409
 * §5.1 (signatures) and §5.4 (pre-shared key), RFC 2408 §4.5).
 *
 * Drives the exchange: the two ways in (initiator and responder), the
 * dispatch of received datagrams to the message that is due, duplicate
 * handling, and the accessors of phase1.h.  Below it: the messages
 * (phase1_msg.c 1-4, phase1_auth.c 5-6), the SA primitives they share
 * (phase1_sa.c: state funnel, last message sent, failure Notify), the
 * key schedule (ikekeys) and the proposals (phase1_prop).
 *
 * Failures (doc/protocol.md §3.7 [D]): a Notify sent before the SA is
 * established goes unprotected (flags 0, M-ID 0, no HASH) because until
 * HASH_I/HASH_R has been checked neither side knows that the other
 * holds the same keys.  Its receiver treats it as the end of the
 * negotiation only while negotiating, and only with matching cookies.
 */
#include "gdoi/phase1.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/dh.h"
#include "gdoi/isakmp.h"
#include "gdoi/payload.h"
#include "gdoi/phase1_auth.h"
#include "gdoi/phase1_msg.h"
#include "gdoi/phase1_sa.h"
#include "platform/log.h"
#include "platform/secmem.h"

void
p1_sa_kill(struct p1_sa *sa, const char *why)
{
	if (sa->state == P1_STATE_DEAD)
		return;
	log_dbg(LOG_DBG_ISAKMP, "ISAKMP: SA %s: %s", p1_state_name(sa->state),
		why);
	p1_set_state(sa, P1_STATE_DEAD);
}

/* ---- allocation ---- */

static struct p1_sa *
sa_alloc(const struct p1_config *cfg, bool initiator, uint32_t local,
	 uint32_t peer, uint64_t now)
{
	struct p1_sa *sa = secmem_calloc(sizeof(*sa));

	if (sa == NULL)
		return NULL;
	sa->cfg = cfg;
	sa->initiator = initiator;
	sa->local = local;
	sa->peer = peer;
	sa->created = now;
	sa->now = now;
	sa->state = P1_STATE_INIT;
	buf_writer_init(&sa->last_out);
	return sa;
}

void
p1_sa_free(struct p1_sa *sa)
{
	if (sa == NULL)
		return;
	dh_free(sa->dh);
	free(sa->offer);
	free(sa->sai_b);
	free(sa->peer_id);
	free(sa->last_in);
	buf_writer_free(&sa->last_out);
	/* Nonces, SKEYID*, Ka and IVs live in the struct itself. */
	secmem_free(sa);	/* wiped */
}

static bool
p1_cookie_zero(const uint8_t *cky)
{
	static const uint8_t zero[ISAKMP_COOKIE_LEN];

	return memcmp(cky, zero, ISAKMP_COOKIE_LEN) == 0;
}

/* Random cookies are non-zero: CKY-R = 0 marks message 1 (§3.1). */
static int
p1_new_cookie(uint8_t *cky)
{
	for (int tries = 0; tries < 4; tries++) {
		if (crypto_random(cky, ISAKMP_COOKIE_LEN) != 0)
			return -1;
		if (!p1_cookie_zero(cky))
			return 0;
	}
	return -1;
}

/* ---- the two ways in ---- */

struct p1_sa *
p1_initiator_start(const struct p1_config *cfg, uint32_t local, uint32_t peer,
		   uint64_t now, struct buf_writer *out)
{
	struct p1_sa *sa = sa_alloc(cfg, true, local, peer, now);

	buf_writer_reset(out);
	if (sa == NULL)
		return NULL;
	if (p1_new_cookie(sa->cky_i) != 0 ||
	    (sa->offer = calloc(1, sizeof(*sa->offer))) == NULL ||
	    p1_prop_offer(cfg->prop, cfg->nprop, cfg->legacy,
			 p1_auth_mask(cfg, peer), sa->offer) != 0) {
		log_dbg(LOG_DBG_ISAKMP, "%s: no usable isakmp policy for "
			"this peer", __func__);
		goto fail;
	}
	if (p1_msg1_build(sa, out) != 0 || p1_sent(sa, out) != 0 ||
	    p1_set_state(sa, P1_STATE_I_SA_SENT) != 0)
		goto fail;
	return sa;
fail:
	buf_writer_reset(out);
	p1_sa_free(sa);
	return NULL;
}

/* Remember the datagram that moved us on, to recognise its duplicate. */
static void
remember_in(struct p1_sa *sa, const uint8_t *msg, size_t len)
{
	uint8_t *copy = malloc(len);

	free(sa->last_in);
	sa->last_in = copy;
	sa->last_in_len = copy ? len : 0;
	if (copy)
		memcpy(copy, msg, len);
}

struct p1_sa *
p1_responder_new(const struct p1_config *cfg, uint32_t local, uint32_t peer,
		 const uint8_t *msg, size_t len, uint64_t now,
		 struct buf_writer *out)
{
	struct p1_sa *sa = NULL;
	struct isakmp_hdr h;
	uint16_t notify = 0;

	buf_writer_reset(out);
	if (isakmp_hdr_decode(&h, msg, len, NULL) < 0 ||
	    h.exch != ISAKMP_EXCH_IDENT_PROT || h.msgid != 0 ||
	    h.flags != 0 || !p1_cookie_zero(h.rcookie) ||
	    p1_cookie_zero(h.icookie)) {
		log_dbg(LOG_DBG_ISAKMP, "%s: not a Main Mode message 1",
			__func__);
		goto drop;
	}
	if ((sa = sa_alloc(cfg, false, local, peer, now)) == NULL)
		goto drop;
	memcpy(sa->cky_i, h.icookie, ISAKMP_COOKIE_LEN);
	if (p1_msg1_process(sa, &h, msg, len, &notify) != 0) {
		/* No SA was agreed, so no responder cookie: CKY-R stays 0. */
		if (notify != 0)
			p1_notify(h.icookie, h.rcookie, notify, out);
		if (cfg->stats)
			cfg->stats->failed++;
		goto drop;
	}
	if (cfg->responder_cookie != NULL)
		cfg->responder_cookie(cfg->cookie_arg, peer, sa->cky_i,
				      sa->cky_r);
	else if (p1_new_cookie(sa->cky_r) != 0)
		goto drop;
	if (p1_cookie_zero(sa->cky_r) || p1_msg2_build(sa, out) != 0 ||
	    p1_sent(sa, out) != 0 || p1_set_state(sa, P1_STATE_R_SA_SENT))
		goto drop;
	remember_in(sa, msg, len);
	return sa;
drop:
	p1_sa_free(sa);
	return NULL;
}

/* ---- p1_process ---- */

/*
 * An unprotected Informational while negotiating: an error Notify from
 * the peer (RFC 2408 §3.14.1 types 1-16383) ends the negotiation.
 */
static enum p1_result
info_process(struct p1_sa *sa, const struct isakmp_hdr *h, const uint8_t *msg,
	     size_t len, struct buf_writer *out)
{
	struct isakmp_chain c;
	const struct isakmp_payload *pl;
	struct payload_notify n;

	if (h->flags != 0 || sa->state == P1_STATE_ESTABLISHED ||
	    isakmp_chain_parse(&c, h->next, msg + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0 ||
	    (pl = isakmp_chain_find(&c, ISAKMP_PAYLOAD_N)) == NULL ||
	    payload_notify_decode(pl->body, pl->body_len, &n) < 0 ||
	    n.type == 0 || n.type >= 16384)
		return P1_DROP;
	sa->notify_rcvd = n.type;
	log_dbg(LOG_DBG_ISAKMP, "ISAKMP: peer sent %s (%u)",
		p1_notify_name(n.type), n.type);
	return p1_fail(sa, 0, out, "peer notify");
}

static enum p1_result
mm_process(struct p1_sa *sa, const struct isakmp_hdr *h, const uint8_t *msg,
	   size_t len, struct buf_writer *out)
{
	switch (sa->state) {
	case P1_STATE_I_SA_SENT:
		return p1_msg2_process(sa, h, msg, len, out);
	case P1_STATE_I_KE_SENT:
		return p1_msg4_process(sa, h, msg, len, out);
	case P1_STATE_I_AUTH_SENT:
		return p1_msg6_process(sa, h, msg, len, out);
	case P1_STATE_R_SA_SENT:
		return p1_msg3_process(sa, h, msg, len, out);
	case P1_STATE_R_KE_SENT:
		return p1_msg5_process(sa, h, msg, len, out);
	default:
		return P1_DROP;
	}
}

/* An exact copy of the last accepted message: answer with our reply. */
static enum p1_result
dup_process(struct p1_sa *sa, struct buf_writer *out)
{
	/* An established initiator has no reply to message 6. */
	if (sa->state == P1_STATE_ESTABLISHED && sa->initiator)
		return P1_DROP;
	if (buf_len(&sa->last_out) == 0 ||
	    buf_put_bytes(out, buf_data(&sa->last_out),
			  buf_len(&sa->last_out)) < 0)
		return P1_DROP;
	log_dbg(LOG_DBG_ISAKMP, "ISAKMP: duplicate message, resending reply");
	if (sa->cfg->stats)
		sa->cfg->stats->retransmit_answered++;
	return P1_SEND;
}

static bool
rcookie_ok(const struct p1_sa *sa, const struct isakmp_hdr *h)
{
	/* Message 2 brings CKY-R; a Notify refusing msg 1 may have 0. */
	if (sa->state == P1_STATE_I_SA_SENT)
		return !p1_cookie_zero(h->rcookie) ||
		       h->exch == ISAKMP_EXCH_INFO;
	return memcmp(h->rcookie, sa->cky_r, ISAKMP_COOKIE_LEN) == 0;
}

enum p1_result
p1_process(struct p1_sa *sa, const uint8_t *msg, size_t len, uint64_t now,
	   struct buf_writer *out)
{
	struct isakmp_hdr h;
	enum p1_result r = P1_DROP;

	buf_writer_reset(out);
	sa->now = now;
	if (sa->state == P1_STATE_DEAD ||
	    isakmp_hdr_decode(&h, msg, len, NULL) < 0 ||
	    memcmp(h.icookie, sa->cky_i, ISAKMP_COOKIE_LEN) != 0)
		goto out;
	if (sa->last_in != NULL && len == sa->last_in_len &&
	    memcmp(msg, sa->last_in, len) == 0) {
		r = dup_process(sa, out);
		goto out;
	}
	if (!rcookie_ok(sa, &h))
		goto out;
	if (h.exch == ISAKMP_EXCH_INFO)
		r = info_process(sa, &h, msg, len, out);
	else if (h.exch == ISAKMP_EXCH_IDENT_PROT && h.msgid == 0)
		r = mm_process(sa, &h, msg, len, out);
	if (r == P1_SEND || r == P1_ESTABLISHED)
		remember_in(sa, msg, len);
out:
	if (r == P1_DROP) {
		buf_writer_reset(out);
		if (sa->cfg->stats)
			sa->cfg->stats->dropped++;
	}
	return r;
}

int
p1_retransmit_delay(unsigned attempt)
{
	static const int delays[] = { 2, 4, 8 };

	if (attempt == 0 || attempt > sizeof(delays) / sizeof(delays[0]))
		return -1;
	return delays[attempt - 1];
}

/* ---- accessors ---- */

enum p1_state
p1_sa_state(const struct p1_sa *sa)
{
	return sa->state;
}

bool
p1_sa_initiator(const struct p1_sa *sa)
{
	return sa->initiator;
}

const uint8_t *
p1_sa_icookie(const struct p1_sa *sa)
{
	return sa->cky_i;
}

const uint8_t *
p1_sa_rcookie(const struct p1_sa *sa)
{
	return sa->cky_r;
}

uint32_t
p1_sa_peer(const struct p1_sa *sa)
{
	return sa->peer;
}

uint32_t
p1_sa_local(const struct p1_sa *sa)
{
	return sa->local;
}

uint64_t
p1_sa_age_ms(const struct p1_sa *sa, uint64_t now)
{
	return now > sa->created ? now - sa->created : 0;
}

uint64_t
p1_sa_left_ms(const struct p1_sa *sa, uint64_t now)
{
	uint64_t end;

	if (sa->state != P1_STATE_ESTABLISHED)
		return 0;
	end = sa->up_at + (uint64_t)sa->suite.lifetime * 1000;
	return end > now ? end - now : 0;
}

bool
p1_sa_expired(const struct p1_sa *sa, uint64_t now)
{
	if (sa->state == P1_STATE_DEAD)
		return true;
	if (sa->state != P1_STATE_ESTABLISHED)
		return p1_sa_age_ms(sa, now) > P1_NEGOTIATION_TIMEOUT_MS;
	return now >= sa->up_at &&
	       now - sa->up_at >= (uint64_t)sa->suite.lifetime * 1000;
}

const uint8_t *
p1_sa_last_sent(const struct p1_sa *sa, size_t *len)
{
	*len = buf_len(&sa->last_out);
	return buf_data(&sa->last_out);
}

const struct p1_suite *
p1_sa_suite(const struct p1_sa *sa)
{
	return &sa->suite;
}

uint16_t
p1_sa_notify_sent(const struct p1_sa *sa)
{
	return sa->notify_sent;
}

uint16_t
p1_sa_notify_rcvd(const struct p1_sa *sa)
{
	return sa->notify_rcvd;
}

struct dh *
p1_sa_take_dh(struct p1_sa *sa)
{
	struct dh *d = sa->initiator ? sa->dh : NULL;

	if (d != NULL)
		sa->dh = NULL;
	return d;
}

void
p1_sa_reuse_dh(struct p1_sa *sa, struct dh *d)
{
	if (!sa->initiator || sa->state != P1_STATE_I_SA_SENT ||
	    sa->dh != NULL) {
		dh_free(d);
		return;
	}
	sa->dh = d;
}

const uint8_t *
p1_sa_peer_id(const struct p1_sa *sa, size_t *len)
{
	*len = sa->peer_id_len;
	return sa->peer_id;
}

bool
p1_sa_peer_dpd(const struct p1_sa *sa)
{
	return sa->peer_dpd;
}

const struct ikekeys *
p1_sa_keys(const struct p1_sa *sa)
{
	return sa->state == P1_STATE_ESTABLISHED ? &sa->keys : NULL;
}

const struct ike_cipher *
p1_sa_cipher(const struct p1_sa *sa)
{
	return sa->state == P1_STATE_ESTABLISHED ? &sa->cipher : NULL;
}

const struct ike_iv *
p1_sa_p1_last(const struct p1_sa *sa)
{
	return sa->state == P1_STATE_ESTABLISHED ? &sa->p1_last : NULL;
}
