/*
 * pull_gm: the group member's side of GROUPKEY-PULL (RFC 6407 §3.2;
 * doc/protocol.md §4.1-§4.4, §4.7, §4.11 GM steps 2-4, §6).
 *
 * Owns the member's state machine (IDLE -> WAIT_SA -> WAIT_KD -> DONE,
 * or FAILED) with its one transition funnel, message 1 (Ni and the group
 * ID), message 3 (with the SENDER_ID_REQUEST GAP when counter-mode TEKs
 * are offered and several sender IDs are wanted), and the acceptance of
 * messages 2 and 4.  A datagram is authenticated before anything of it is
 * used; until then a rejected datagram leaves the exchange as it was.
 */
#include "gdoi/pull.h"

#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/policy_codec.h"
#include "platform/fsm.h"
#include "platform/log.h"

#define gm_dbg(...) log_dbg(LOG_DBG_GDOI_GM, __VA_ARGS__)

static const char *const gm_state_names[PULL_GM_STATE_COUNT] = {
	[PULL_GM_IDLE] = "IDLE",
	[PULL_GM_WAIT_SA] = "WAIT_SA",
	[PULL_GM_WAIT_KD] = "WAIT_KD",
	[PULL_GM_DONE] = "DONE",
	[PULL_GM_FAILED] = "FAILED",
};

const char *
pull_gm_state_name(enum pull_gm_state s)
{
	if ((unsigned)s >= PULL_GM_STATE_COUNT)
		return "?";
	return gm_state_names[s];
}

static const uint32_t gm_legal[PULL_GM_STATE_COUNT] = {
	[PULL_GM_IDLE] = FSM_BIT(PULL_GM_WAIT_SA),
	[PULL_GM_WAIT_SA] = FSM_BIT(PULL_GM_WAIT_KD) | FSM_BIT(PULL_GM_FAILED),
	[PULL_GM_WAIT_KD] = FSM_BIT(PULL_GM_DONE) | FSM_BIT(PULL_GM_FAILED),
};

static struct fsm gm_fsm = FSM("GROUPKEY-PULL", LOG_DBG_GDOI_GM,
			       gm_state_names, gm_legal, PULL_GM_STATE_COUNT);

/* The only place the state changes; illegal moves are refused. */
static void
gm_set_state(struct pull_gm *gm, enum pull_gm_state to)
{
	if (fsm_move(&gm_fsm, gm->state, to, "%08x (GM)", gm->mid))
		gm->state = to;
}

void
pull_gm_init(struct pull_gm *gm)
{
	memset(gm, 0, sizeof(*gm));
	gm->state = PULL_GM_IDLE;
}

void
pull_gm_free(struct pull_gm *gm)
{
	pull_stored_free(&gm->last);
	gdoi_policy_wipe(&gm->policy);
	OPENSSL_cleanse(gm, sizeof(*gm));
	pull_gm_init(gm);
}

const uint8_t *
pull_gm_last_sent(const struct pull_gm *gm, size_t *len)
{
	*len = gm->last.reply_len;
	return gm->last.reply;
}

enum pull_err
pull_gm_start(struct pull_gm *gm, const struct p1_sa *p1, uint32_t group_id,
	      struct buf_writer *out)
{
	struct pull_msg_out o;
	struct pull_p1 v;
	struct ike_iv next;
	uint32_t mid;

	buf_writer_reset(out);
	if (gm->state != PULL_GM_IDLE)
		return PULL_ERR_UNEXPECTED;
	if (pull_p1_view(p1, &v) < 0)
		return PULL_ERR_NO_SA;
	if (pull_msg_new_mid(&mid) < 0 ||
	    crypto_random(gm->ni, sizeof(gm->ni)) < 0)
		return PULL_ERR_INTERNAL;
	/* HASH(1) = prf(SKEYID_a, M-ID | Ni | ID) */
	if (pull_msg_begin(&o, &v, GDOI_EXCH_PULL, mid, out) < 0 ||
	    isakmp_build_payload(&o.b, ISAKMP_PAYLOAD_NONCE, gm->ni,
				 sizeof(gm->ni)) < 0 ||
	    payload_group_id_put(&o.b, group_id) < 0 ||
	    pull_msg_finish(&o, &v, NULL, 0, NULL, &next) < 0 ||
	    pull_stored_set(&gm->last, NULL, 0, out) < 0) {
		buf_writer_reset(out);
		return PULL_ERR_INTERNAL;
	}
	gm->mid = mid;
	gm->group_id = group_id;
	gm->iv = next;
	gm_set_state(gm, PULL_GM_WAIT_SA);
	return PULL_OK;
}

/* HASH(3) = prf(SKEYID_a, M-ID | Ni_b | Nr_b [| GAP]) */
static int
gm_send_msg3(struct pull_gm *gm, const struct pull_p1 *v,
	     const struct ike_iv *iv, unsigned sids_wanted,
	     struct buf_writer *out, struct ike_iv *next)
{
	struct crypto_iov pre[2];
	struct pull_msg_out o;
	struct gdoi_gap gap;
	size_t npre;

	if (pull_msg_begin(&o, v, GDOI_EXCH_PULL, gm->mid, out) < 0)
		return -1;
	/* doc/protocol.md §4.7, §6: ask only when one SID would not do. */
	if (policy_codec_needs_sids(&gm->policy) && sids_wanted > 1) {
		memset(&gap, 0, sizeof(gap));
		gap.flags = GDOI_GAP_HAS_SID_REQ;
		gap.sid_request = sids_wanted < GDOI_MAX_SID ? sids_wanted
							     : GDOI_MAX_SID;
		if (gdoi_gap_put(&o.b, &gap) < 0)
			return -1;
	}
	npre = pull_hash_pieces(3, gm->ni, sizeof(gm->ni), gm->nr, gm->nr_len,
				pre);
	return pull_msg_finish(&o, v, pre, npre, iv, next);
}

/* Message 2: Nr and the SA; answer with message 3. */
static enum pull_err
gm_recv_sa(struct pull_gm *gm, const struct pull_p1 *v, const uint8_t *in,
	   size_t len, unsigned sids_wanted, struct buf_writer *out,
	   struct gdoi_policy *policy_out)
{
	const struct isakmp_payload *nr, *sa;
	struct pull_msg_in m;
	struct ike_iv next;
	enum pull_err rc;

	rc = pull_open(&m, v, in, len, 2, &gm->iv, gm->mid, "GM",
		       gm->ni, sizeof(gm->ni), gm->nr, gm->nr_len);
	if (rc != PULL_OK)
		return rc;
	/* Authentic from here on: a fault now is the KS's, and final. */
	nr = pull_msg_find(&m, ISAKMP_PAYLOAD_NONCE);
	sa = pull_msg_find(&m, ISAKMP_PAYLOAD_SA);
	rc = PULL_ERR_MALFORMED;
	if (payload_nonce_decode(nr->body, nr->body_len) < 0)
		goto fail;
	memcpy(gm->nr, nr->body, nr->body_len);
	gm->nr_len = nr->body_len;
	rc = PULL_ERR_BAD_POLICY;
	if (policy_codec_sa_decode(sa->body, sa->body_len, &gm->policy) < 0)
		goto fail;
	gm->policy.group_id = gm->group_id;
	gm_dbg("GROUPKEY-PULL %08x (GM): SA TEK ID Data Len is %u octet%s "
	       "(%s layout)", gm->mid, gm->policy.sat_id_len,
	       gm->policy.sat_id_len == 1 ? "" : "s",
	       gm->policy.sat_id_len == GDOI_SAT_IDLEN_RFC ? "RFC 6407"
							  : "Wireshark");
	if (gm_send_msg3(gm, v, &m.next, sids_wanted, out, &next) < 0 ||
	    pull_stored_set(&gm->last, in, len, out) < 0) {
		buf_writer_reset(out);
		pull_msg_close(&m);
		return PULL_ERR_INTERNAL;
	}
	pull_msg_close(&m);
	gm->iv = next;
	gdoi_policy_wipe(policy_out);
	*policy_out = gm->policy;
	gm_set_state(gm, PULL_GM_WAIT_KD);
	return PULL_OK;
fail:
	pull_msg_close(&m);
	gm_set_state(gm, PULL_GM_FAILED);
	return rc;
}

/* Message 4: SEQ and KD complete the policy. */
static enum pull_err
gm_recv_kd(struct pull_gm *gm, const struct pull_p1 *v, const uint8_t *in,
	   size_t len, struct gdoi_policy *policy_out)
{
	const struct isakmp_payload *seq, *kd;
	struct pull_msg_in m;
	enum pull_err rc;

	rc = pull_open(&m, v, in, len, 4, &gm->iv, gm->mid, "GM",
		       gm->ni, sizeof(gm->ni), gm->nr, gm->nr_len);
	if (rc != PULL_OK)
		return rc;
	seq = pull_msg_find(&m, GDOI_PAYLOAD_SEQ);
	kd = pull_msg_find(&m, GDOI_PAYLOAD_KD);
	if (policy_codec_keys_decode(&gm->policy, seq ? seq->body : NULL,
				     seq ? seq->body_len : 0, kd->body,
				     kd->body_len) < 0) {
		pull_msg_close(&m);
		gm_set_state(gm, PULL_GM_FAILED);
		return PULL_ERR_BAD_POLICY;
	}
	pull_msg_close(&m);
	gdoi_policy_wipe(policy_out);
	*policy_out = gm->policy;
	gdoi_policy_wipe(&gm->policy);
	pull_stored_free(&gm->last);
	gm_set_state(gm, PULL_GM_DONE);
	return PULL_OK;
}

enum pull_err
pull_gm_process(struct pull_gm *gm, const struct p1_sa *p1,
		const uint8_t *in, size_t len, unsigned sids_wanted,
		struct buf_writer *out, struct gdoi_policy *policy_out)
{
	struct pull_p1 v;

	buf_writer_reset(out);
	if (pull_p1_view(p1, &v) < 0)
		return PULL_ERR_NO_SA;
	switch (gm->state) {
	case PULL_GM_WAIT_SA:
		return gm_recv_sa(gm, &v, in, len, sids_wanted, out,
				  policy_out);
	case PULL_GM_WAIT_KD:
		/* The KS did not get msg 3 and repeated msg 2. */
		if (pull_stored_is_dup(&gm->last, in, len))
			return pull_stored_resend(&gm->last, out) < 0
				? PULL_ERR_INTERNAL : PULL_RESEND;
		return gm_recv_kd(gm, &v, in, len, policy_out);
	default:
		log_dbg(LOG_DBG_GDOI_PACKET, "GROUPKEY-PULL %08x (GM): "
			"datagram in state %s", gm->mid,
			pull_gm_state_name(gm->state));
		return PULL_ERR_UNEXPECTED;
	}
}
