/*
 * pull_ks: the key server's side of GROUPKEY-PULL (RFC 6407 §3.2;
 * doc/protocol.md §4.1-§4.4, §4.7, §4.11 KS steps 1-4, §6).
 *
 * Owns the server's state machine (IDLE -> SA_SENT -> DONE, or FAILED)
 * with its one transition funnel: message 1 is authenticated, its group
 * ID looked up and authorised through the caller's ops, and answered
 * with the current policy (message 2); message 3 is authenticated, the
 * sender IDs it asks for are granted, and the keys go out (message 4).
 * The policy of message 2 is kept so that message 4 carries the keys of
 * exactly the SPIs the member was shown, even if the group rekeys in
 * between.
 */
#include "gdoi/pull.h"

#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/policy_codec.h"
#include "platform/fsm.h"
#include "platform/log.h"

#define ks_dbg(...) log_dbg(LOG_DBG_GDOI_KS, __VA_ARGS__)

static const char *const ks_state_names[PULL_KS_STATE_COUNT] = {
	[PULL_KS_IDLE] = "IDLE",
	[PULL_KS_SA_SENT] = "SA_SENT",
	[PULL_KS_DONE] = "DONE",
	[PULL_KS_FAILED] = "FAILED",
};

const char *
pull_ks_state_name(enum pull_ks_state s)
{
	if ((unsigned)s >= PULL_KS_STATE_COUNT)
		return "?";
	return ks_state_names[s];
}

static const uint32_t ks_legal[PULL_KS_STATE_COUNT] = {
	[PULL_KS_IDLE] = FSM_BIT(PULL_KS_SA_SENT) | FSM_BIT(PULL_KS_FAILED),
	[PULL_KS_SA_SENT] = FSM_BIT(PULL_KS_DONE) | FSM_BIT(PULL_KS_FAILED),
};

static struct fsm ks_fsm = FSM("GROUPKEY-PULL", LOG_DBG_GDOI_KS,
			       ks_state_names, ks_legal, PULL_KS_STATE_COUNT);

/* The only place the state changes; illegal moves are refused. */
static void
ks_set_state(struct pull_ks *ks, enum pull_ks_state to)
{
	if (fsm_move(&ks_fsm, ks->state, to, "%08x (KS)", ks->mid))
		ks->state = to;
}

void
pull_ks_init(struct pull_ks *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->state = PULL_KS_IDLE;
}

/* One pass over the 15 KB: the wipe leaves the zeros of an IDLE
 * exchange (a registration's cost, doc/gdoi.md). */
void
pull_ks_free(struct pull_ks *ks)
{
	pull_stored_free(&ks->last);
	crypto_wipe(ks, sizeof(*ks));	/* 15 KB per registration */
	ks->state = PULL_KS_IDLE;
}

static enum pull_err
ks_verdict(enum pull_ks_verdict v)
{
	switch (v) {
	case PULL_KS_GROUP_OK:
		return PULL_OK;
	case PULL_KS_GROUP_UNKNOWN:
		return PULL_ERR_UNKNOWN_GROUP;
	case PULL_KS_GROUP_UNAUTHORIZED:
		return PULL_ERR_UNAUTHORIZED;
	default:
		return PULL_ERR_NOT_READY;
	}
}

/* The member's group and the policy to show it (doc/protocol.md §4.4). */
static enum pull_err
ks_group(struct pull_ks *ks, const struct p1_sa *p1,
	 const struct payload_id *id, const struct pull_ks_ops *ops, void *arg)
{
	enum pull_err rc;

	rc = ks_verdict(ops->lookup_group(arg, id->type, id->data, id->len, p1,
					  &ks->group));
	if (rc != PULL_OK)
		return rc;
	if (payload_group_id_number(id, &ks->group_id) < 0)
		ks->group_id = 0;
	/* IDLE: the policy is still empty (pull_ks_init / pull_ks_free) */
	if (ops->get_policy(arg, ks->group, &ks->policy) < 0 ||
	    policy_codec_check(&ks->policy, true) < 0) {
		ks_dbg("GROUPKEY-PULL %08x (KS): no usable policy", ks->mid);
		return PULL_ERR_NOT_READY;
	}
	return PULL_OK;
}

/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | Nr | SA) */
static int
ks_send_msg2(struct pull_ks *ks, const struct pull_p1 *v,
	     const struct ike_iv *iv, struct buf_writer *out,
	     struct ike_iv *next)
{
	struct crypto_iov pre[2];
	struct pull_msg_out o;
	size_t npre;

	if (crypto_random(ks->nr, sizeof(ks->nr)) < 0 ||
	    pull_msg_begin(&o, v, GDOI_EXCH_PULL, ks->mid, out) < 0 ||
	    isakmp_build_payload(&o.b, ISAKMP_PAYLOAD_NONCE, ks->nr,
				 sizeof(ks->nr)) < 0 ||
	    policy_codec_sa_put(&o.b, &ks->policy) < 0)
		return -1;
	npre = pull_hash_pieces(2, ks->ni, ks->ni_len, NULL, 0, pre);
	return pull_msg_finish(&o, v, pre, npre, iv, next);
}

/* Message 1: Ni and the group ID; answer with message 2. */
static enum pull_err
ks_recv_msg1(struct pull_ks *ks, const struct pull_p1 *v,
	     const struct p1_sa *p1, const uint8_t *in, size_t len,
	     const struct pull_ks_ops *ops, void *arg, struct buf_writer *out)
{
	const struct isakmp_payload *ni, *idp;
	struct payload_id id;
	struct pull_msg_in m;
	struct ike_iv next;
	enum pull_err rc;

	rc = pull_open(&m, v, in, len, 1, NULL, 0, "KS",
		       ks->ni, ks->ni_len, ks->nr, sizeof(ks->nr));
	if (rc != PULL_OK)
		return rc;
	ni = pull_msg_find(&m, ISAKMP_PAYLOAD_NONCE);
	idp = pull_msg_find(&m, ISAKMP_PAYLOAD_ID);
	ks->mid = m.hdr.msgid;
	rc = PULL_ERR_MALFORMED;
	if (payload_nonce_decode(ni->body, ni->body_len) < 0 ||
	    payload_id_decode(idp->body, idp->body_len, &id) < 0)
		goto fail;
	memcpy(ks->ni, ni->body, ni->body_len);
	ks->ni_len = ni->body_len;
	if ((rc = ks_group(ks, p1, &id, ops, arg)) != PULL_OK)
		goto fail;
	if (ks_send_msg2(ks, v, &m.next, out, &next) < 0 ||
	    pull_stored_set(&ks->last, in, len, out) < 0) {
		buf_writer_reset(out);
		rc = PULL_ERR_INTERNAL;
		goto fail;
	}
	pull_msg_close(&m);
	ks->iv = next;
	ks_set_state(ks, PULL_KS_SA_SENT);
	return PULL_OK;
fail:
	pull_msg_close(&m);
	ks_set_state(ks, PULL_KS_FAILED);
	return rc;
}

/*
 * SIDs to grant for a SENDER_ID_REQUEST of n: one is granted anyway, so
 * 0 and 1 mean one (RFC 6407 §3.5); at most GDOI_MAX_SID per member.
 */
static unsigned
ks_sid_want(uint32_t n)
{
	if (n == 0)
		return 1;
	return n < GDOI_MAX_SID ? n : GDOI_MAX_SID;
}

/*
 * The member's GAP in message 3 (RFC 6407 §3.4, §5.4): how many SIDs it
 * wants.  A GAP we cannot read ends the exchange, whether or not the
 * policy has counter-mode TEKs: malformed (odd length, bad attribute)
 * -> PAYLOAD-MALFORMED, an attribute we do not understand -> refused.
 */
static enum pull_err
ks_sid_request(struct pull_ks *ks, const struct pull_msg_in *m,
	       unsigned *want)
{
	const struct isakmp_payload *pl = pull_msg_find(m, GDOI_PAYLOAD_GAP);
	struct gdoi_gap gap;
	int rc;

	*want = 1;
	if (pl == NULL)
		return PULL_OK;
	rc = gdoi_gap_decode(pl->body, pl->body_len, &gap);
	if (rc < 0) {
		ks_dbg("GROUPKEY-PULL %08x (KS): GAP in msg 3 %s", ks->mid,
		       rc == GDOI_GAP_UNSUPPORTED ? "not understood"
						  : "malformed");
		return rc == GDOI_GAP_UNSUPPORTED ? PULL_ERR_BAD_POLICY
						  : PULL_ERR_MALFORMED;
	}
	if (gap.flags & GDOI_GAP_HAS_SID_REQ)
		*want = ks_sid_want(gap.sid_request);
	return PULL_OK;
}

/*
 * RFC 6407 §3.4, §3.5: at least one SID whenever a TEK is counter
 * mode, more if the member asked; a pool that has fewer left than asked
 * gives what it has, an empty one refuses.
 */
static enum pull_err
ks_grant_sids(struct pull_ks *ks, const struct pull_msg_in *m,
	      const struct pull_ks_ops *ops, void *arg)
{
	unsigned want, bits = 0;
	enum pull_err rc;
	int n;

	ks->policy.nsid = 0;
	if ((rc = ks_sid_request(ks, m, &want)) != PULL_OK)
		return rc;
	if (!policy_codec_needs_sids(&ks->policy))
		return PULL_OK;
	n = ops->grant_sids(arg, ks->group, want, ks->policy.sid, &bits);
	if (n < 1 || (unsigned)n > want) {
		ks_dbg("GROUPKEY-PULL %08x (KS): no sender ID", ks->mid);
		return PULL_ERR_NOT_READY;
	}
	ks_dbg("GROUPKEY-PULL %08x (KS): %d of %u sender IDs granted",
	       ks->mid, n, want);
	ks->policy.nsid = (size_t)n;
	ks->policy.sid_bits = bits;
	return policy_codec_check(&ks->policy, true) < 0 ? PULL_ERR_NOT_READY
							 : PULL_OK;
}

/* HASH(4) = prf(SKEYID_a, M-ID | Ni_b | Nr_b [| SEQ] | KD) */
static int
ks_send_msg4(struct pull_ks *ks, const struct pull_p1 *v,
	     const struct ike_iv *iv, struct buf_writer *out)
{
	struct crypto_iov pre[2];
	struct pull_msg_out o;
	struct ike_iv next;
	size_t npre;

	if (pull_msg_begin(&o, v, GDOI_EXCH_PULL, ks->mid, out) < 0 ||
	    policy_codec_keys_put(&o.b, &ks->policy) < 0)
		return -1;
	npre = pull_hash_pieces(4, ks->ni, ks->ni_len, ks->nr, sizeof(ks->nr),
				pre);
	return pull_msg_finish(&o, v, pre, npre, iv, &next);
}

/* Message 3: [GAP]; answer with message 4. */
static enum pull_err
ks_recv_msg3(struct pull_ks *ks, const struct pull_p1 *v, const uint8_t *in,
	     size_t len, const struct pull_ks_ops *ops, void *arg,
	     struct buf_writer *out)
{
	struct pull_msg_in m;
	enum pull_err rc;

	rc = pull_open(&m, v, in, len, 3, &ks->iv, ks->mid, "KS",
		       ks->ni, ks->ni_len, ks->nr, sizeof(ks->nr));
	if (rc != PULL_OK)
		return rc;
	if ((rc = ks_grant_sids(ks, &m, ops, arg)) != PULL_OK)
		goto fail;
	if (ks_send_msg4(ks, v, &m.next, out) < 0 ||
	    pull_stored_set(&ks->last, in, len, out) < 0) {
		buf_writer_reset(out);
		rc = PULL_ERR_INTERNAL;
		goto fail;
	}
	pull_msg_close(&m);
	ks_set_state(ks, PULL_KS_DONE);
	return PULL_OK;
fail:
	pull_msg_close(&m);
	ks_set_state(ks, PULL_KS_FAILED);
	return rc;
}

enum pull_err
pull_ks_process(struct pull_ks *ks, const struct p1_sa *p1, const uint8_t *in,
		size_t len, const struct pull_ks_ops *ops, void *arg,
		struct buf_writer *out)
{
	struct pull_p1 v;

	buf_writer_reset(out);
	if (pull_p1_view(p1, &v) < 0)
		return PULL_ERR_NO_SA;
	/* The member lost our reply and repeated its request. */
	if ((ks->state == PULL_KS_SA_SENT || ks->state == PULL_KS_DONE) &&
	    pull_stored_is_dup(&ks->last, in, len))
		return pull_stored_resend(&ks->last, out) < 0
			? PULL_ERR_INTERNAL : PULL_RESEND;
	switch (ks->state) {
	case PULL_KS_IDLE:
		return ks_recv_msg1(ks, &v, p1, in, len, ops, arg, out);
	case PULL_KS_SA_SENT:
		return ks_recv_msg3(ks, &v, in, len, ops, arg, out);
	default:
		log_dbg(LOG_DBG_GDOI_PACKET, "GROUPKEY-PULL %08x (KS): "
			"datagram in state %s", ks->mid,
			pull_ks_state_name(ks->state));
		return PULL_ERR_UNEXPECTED;
	}
}
