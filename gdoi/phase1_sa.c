/*
 * phase1_sa: the primitives of a Main Mode SA (see phase1_sa.h): its
 * state funnel, the last message sent, the unprotected Notify that
 * reports a failed negotiation (doc/protocol.md §3.7), and the pieces
 * every message shares.
 */
#include "gdoi/phase1_sa.h"

#include <stdio.h>
#include <string.h>

#include "gdoi/rsakey.h"
#include "platform/fsm.h"
#include "platform/log.h"

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

int
p1_notify(const uint8_t *cky_i, const uint8_t *cky_r, uint16_t type,
	  struct buf_writer *out)
{
	buf_writer_reset(out);
	return notify_build(cky_i, cky_r, type, out);
}

/* ---- what every message shares ---- */

/* RFC 3706 §3: the DPD Vendor ID. */
static const uint8_t p1_dpd_vid[] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

int
p1_chain_check(const struct isakmp_chain *c, const struct isakmp_spec *spec,
	       const char *what)
{
	const char *why = isakmp_chain_match(c, 0, spec);

	if (why == NULL)
		return 0;
	log_dbg(LOG_DBG_ISAKMP, "%s: %s", what, why);
	return -1;
}

/* Note the peer's DPD Vendor ID; other VIDs are ignored. */
void
p1_vid_scan(struct p1_sa *sa, const struct isakmp_chain *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->pl[i].type == ISAKMP_PAYLOAD_VID &&
		    c->pl[i].body_len == sizeof(p1_dpd_vid) &&
		    memcmp(c->pl[i].body, p1_dpd_vid, sizeof(p1_dpd_vid)) == 0)
			sa->peer_dpd = true;
}

int
p1_msg_start(const struct p1_sa *sa, struct buf_writer *w,
	     struct isakmp_builder *b, size_t *hoff)
{
	struct isakmp_hdr h;

	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, sa->cky_i, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, sa->cky_r, ISAKMP_COOKIE_LEN);
	h.version = ISAKMP_VERSION;
	h.exch = ISAKMP_EXCH_IDENT_PROT;
	buf_writer_reset(w);
	if (isakmp_hdr_put(w, &h, hoff) < 0)
		return -1;
	isakmp_build_init(b, w, *hoff + ISAKMP_HDR_NEXT_OFF);
	return 0;
}

/* Our DPD Vendor ID, when DPD is configured. */
int
p1_vid_put(const struct p1_sa *sa, struct isakmp_builder *b)
{
	if (!sa->cfg->dpd)
		return 0;
	return isakmp_build_payload(b, ISAKMP_PAYLOAD_VID, p1_dpd_vid,
				    sizeof(p1_dpd_vid));
}
