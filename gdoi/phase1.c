/*
 * phase1: the IKEv1 Main Mode state machine for GDOI, initiator (GM,
 * or a COOP KS) and responder (KS) (doc/protocol.md §3.1-§3.7; RFC 2409
 * §5.1 (signatures) and §5.4 (pre-shared key), RFC 2408 §4.5).
 *
 * Owns struct p1_sa, its one state funnel p1_set_state(), the dispatch
 * of received datagrams, duplicate handling, and the unprotected Notify
 * that reports a failed negotiation.  The six messages themselves are
 * built and checked in phase1_msg.c; the key schedule is ikekeys, the
 * proposals phase1_prop.
 *
 * Failures (doc/protocol.md §3.7 [D]): a Notify sent before the SA is
 * established goes unprotected (flags 0, M-ID 0, no HASH) because until
 * HASH_I/HASH_R has been checked neither side knows that the other
 * holds the same keys.  Its receiver treats it as the end of the
 * negotiation only while negotiating, and only with matching cookies.
 */
#include "gdoi/phase1.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/dh.h"
#include "gdoi/isakmp.h"
#include "gdoi/payload.h"
#include "gdoi/phase1_auth.h"
#include "gdoi/phase1_msg.h"
#include "gdoi/rsakey.h"
#include "platform/fsm.h"
#include "platform/log.h"
#include "platform/secmem.h"

static const char *const p1_state_names[P1_STATE_COUNT] = {
	[P1_STATE_INIT] = "INIT",
	[P1_STATE_I_SA_SENT] = "I_SA_SENT",
	[P1_STATE_I_KE_SENT] = "I_KE_SENT",
	[P1_STATE_I_AUTH_SENT] = "I_AUTH_SENT",
	[P1_STATE_R_SA_SENT] = "R_SA_SENT",
	[P1_STATE_R_KE_SENT] = "R_KE_SENT",
	[P1_STATE_ESTABLISHED] = "ESTABLISHED",
	[P1_STATE_DEAD] = "DEAD",
};

/* What `show crypto isakmp sa` prints for each state (doc/ios-cli.md §5.14). */
static const char *const p1_state_ios_names[P1_STATE_COUNT] = {
	[P1_STATE_INIT] = "MM_NO_STATE",
	[P1_STATE_I_SA_SENT] = "MM_SA_SETUP",
	[P1_STATE_I_KE_SENT] = "MM_KEY_EXCH",
	[P1_STATE_I_AUTH_SENT] = "MM_KEY_EXCH",
	[P1_STATE_R_SA_SENT] = "MM_SA_SETUP",
	[P1_STATE_R_KE_SENT] = "MM_KEY_EXCH",
	[P1_STATE_ESTABLISHED] = "QM_IDLE",
	[P1_STATE_DEAD] = "MM_NO_STATE",
};

#define S(x) FSM_BIT(x)

/* Legal transitions: the states each state may move to. */
static const uint32_t p1_next_states[P1_STATE_COUNT] = {
	[P1_STATE_INIT] = S(P1_STATE_I_SA_SENT) | S(P1_STATE_R_SA_SENT) |
			  S(P1_STATE_DEAD),
	[P1_STATE_I_SA_SENT] = S(P1_STATE_I_KE_SENT) | S(P1_STATE_DEAD),
	[P1_STATE_I_KE_SENT] = S(P1_STATE_I_AUTH_SENT) | S(P1_STATE_DEAD),
	[P1_STATE_I_AUTH_SENT] = S(P1_STATE_ESTABLISHED) | S(P1_STATE_DEAD),
	[P1_STATE_R_SA_SENT] = S(P1_STATE_R_KE_SENT) | S(P1_STATE_DEAD),
	[P1_STATE_R_KE_SENT] = S(P1_STATE_ESTABLISHED) | S(P1_STATE_DEAD),
	[P1_STATE_ESTABLISHED] = S(P1_STATE_DEAD),
	[P1_STATE_DEAD] = 0,
};

#undef S

static struct fsm p1_fsm = FSM("ISAKMP", LOG_DBG_ISAKMP, p1_state_names,
			       p1_next_states, P1_STATE_COUNT);

const char *
p1_state_name(enum p1_state s)
{
	return (unsigned)s < P1_STATE_COUNT ? p1_state_names[s] : "?";
}

const char *
p1_state_ios(enum p1_state s)
{
	return (unsigned)s < P1_STATE_COUNT ? p1_state_ios_names[s] : "?";
}

void
p1_addr_str(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%s", LOG_IP4(a));
}

/*
 * The funnel: every state change goes through here, is checked against
 * p1_next_states, logged and counted (platform/fsm.h), and runs the entry
 * actions.  A move to the current state does nothing.
 */
int
p1_set_state(struct p1_sa *sa, enum p1_state to)
{
	enum p1_state from = sa->state;
	char peer[16];

	if (from == to)
		return 0;
	p1_addr_str(sa->peer, peer, sizeof(peer));
	if (!fsm_move(&p1_fsm, from, to, "(%s %s)", peer,
		      sa->initiator ? "I" : "R"))
		return -1;
	sa->state = to;
	if (to == P1_STATE_ESTABLISHED) {
		sa->up_at = sa->now;
		if (sa->cfg->stats)
			sa->cfg->stats->established++;
		/* The exchange material is no longer needed. */
		dh_free(sa->dh);
		sa->dh = NULL;
	} else if (to == P1_STATE_DEAD && from != P1_STATE_ESTABLISHED &&
		   sa->cfg->stats) {
		sa->cfg->stats->failed++;
	}
	return 0;
}

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

/* Random cookies are non-zero: CKY-R = 0 marks message 1 (§3.1). */
int
p1_new_cookie(uint8_t *cky)
{
	static const uint8_t zero[ISAKMP_COOKIE_LEN];
	int tries;

	for (tries = 0; tries < 4; tries++) {
		if (crypto_random(cky, ISAKMP_COOKIE_LEN) != 0)
			return -1;
		if (memcmp(cky, zero, ISAKMP_COOKIE_LEN) != 0)
			return 0;
	}
	return -1;
}

unsigned
p1_auth_mask(const struct p1_config *cfg, uint32_t peer)
{
	unsigned mask = 0;
	size_t len = 0;

	if (cfg->psk != NULL && cfg->psk(cfg->psk_arg, peer, &len) != NULL &&
	    len > 0)
		mask |= P1PROP_AUTH_BIT(IKE_AUTH_PRE_SHARED);
	if (cfg->rsa != NULL && rsakey_has_private(cfg->rsa) &&
	    cfg->peer_key != NULL)
		mask |= P1PROP_AUTH_BIT(IKE_AUTH_RSA_SIG);
	return mask;
}

/* ---- sending ---- */

/* Keep a copy of what goes out, for retransmission and duplicates. */
int
p1_sent(struct p1_sa *sa, const struct buf_writer *out)
{
	buf_writer_reset(&sa->last_out);
	if (buf_writer_failed(out) ||
	    buf_put_bytes(&sa->last_out, buf_data(out), buf_len(out)) < 0)
		return -1;
	return 0;
}

/*
 * An unprotected Notify (§3.7): exchange Informational, flags 0, M-ID 0,
 * N with the ISAKMP SA's cookies as SPI.
 */
static int
notify_build(const uint8_t *cky_i, const uint8_t *cky_r, uint16_t type,
	     struct buf_writer *w)
{
	struct isakmp_hdr h;
	struct isakmp_builder b;
	struct payload_notify n;
	uint8_t spi[ISAKMP_SPI_LEN];
	size_t hoff;

	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, cky_i, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, cky_r, ISAKMP_COOKIE_LEN);
	h.version = ISAKMP_VERSION;
	h.exch = ISAKMP_EXCH_INFO;
	memcpy(spi, cky_i, ISAKMP_COOKIE_LEN);
	memcpy(spi + ISAKMP_COOKIE_LEN, cky_r, ISAKMP_COOKIE_LEN);
	memset(&n, 0, sizeof(n));
	n.doi = P1PROP_DOI;
	n.proto = ISAKMP_PROTO_ISAKMP;
	n.type = type;
	n.spi = spi;
	n.spi_len = sizeof(spi);
	buf_writer_reset(w);
	if (isakmp_hdr_put(w, &h, &hoff) < 0)
		return -1;
	isakmp_build_init(&b, w, hoff + ISAKMP_HDR_NEXT_OFF);
	if (payload_notify_put(&b, &n) < 0 || isakmp_hdr_patch_len(w, hoff) < 0)
		return -1;
	return 0;
}

enum p1_result
p1_fail(struct p1_sa *sa, uint16_t notify, struct buf_writer *out,
	const char *why)
{
	char peer[16];

	p1_addr_str(sa->peer, peer, sizeof(peer));
	log_dbg(LOG_DBG_ISAKMP, "ISAKMP (%s): negotiation failed in %s: %s%s%s",
		peer, p1_state_name(sa->state), why, notify ? ", sending " : "",
		notify ? p1_notify_name(notify) : "");
	buf_writer_reset(out);
	if (notify != 0 && notify_build(sa->cky_i, sa->cky_r, notify, out) == 0)
		sa->notify_sent = notify;
	else
		buf_writer_reset(out);
	p1_set_state(sa, P1_STATE_DEAD);
	return P1_FAILED;
}

const char *
p1_notify_name(uint16_t type)
{
	switch (type) {
	case ISAKMP_N_NO_PROPOSAL_CHOSEN:
		return "NO-PROPOSAL-CHOSEN";
	case ISAKMP_N_PAYLOAD_MALFORMED:
		return "PAYLOAD-MALFORMED";
	case ISAKMP_N_INVALID_KEY_INFORMATION:
		return "INVALID-KEY-INFORMATION";
	case ISAKMP_N_INVALID_ID_INFORMATION:
		return "INVALID-ID-INFORMATION";
	case ISAKMP_N_INVALID_HASH_INFORMATION:
		return "INVALID-HASH-INFORMATION";
	case ISAKMP_N_AUTHENTICATION_FAILED:
		return "AUTHENTICATION-FAILED";
	case ISAKMP_N_INVALID_SIGNATURE:
		return "INVALID-SIGNATURE";
	default:
		return "NOTIFY";
	}
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
			notify_build(h.icookie, h.rcookie, notify, out);
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

int
p1_notify(const uint8_t *cky_i, const uint8_t *cky_r, uint16_t type,
	  struct buf_writer *out)
{
	buf_writer_reset(out);
	return notify_build(cky_i, cky_r, type, out);
}

/* ---- p1_process ---- */

bool
p1_cookie_zero(const uint8_t *cky)
{
	static const uint8_t zero[ISAKMP_COOKIE_LEN];

	return memcmp(cky, zero, ISAKMP_COOKIE_LEN) == 0;
}

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
