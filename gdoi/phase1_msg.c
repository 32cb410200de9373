/*
 * phase1_msg: building and checking Main Mode messages 1-4 (doc/protocol.md
 * §3.1-§3.3; RFC 2409 §5, RFC 2408 §4.5) and the key schedule they lead
 * to; messages 5 and 6 (encrypted, authenticated) are in phase1_auth.c.
 *
 * Every received message is first checked against a table of required
 * and allowed payloads (the isakmpd "exchange script" idea) before any
 * payload is interpreted.  A required payload appears exactly once.
 */
#include "gdoi/phase1_msg.h"

#include <stdlib.h>
#include <string.h>

#include "gdoi/phase1_auth.h"
#include "platform/log.h"

#define PL(t) ISAKMP_PL(t)

/* Payloads of messages 1-4. */
static const struct isakmp_spec p1_spec_sa = {
	.name = "msg 1/2", .required = PL(ISAKMP_PAYLOAD_SA),
	.repeatable = PL(ISAKMP_PAYLOAD_VID),
};
static const struct isakmp_spec p1_spec_ke = {
	.name = "msg 3/4",
	.required = PL(ISAKMP_PAYLOAD_KE) | PL(ISAKMP_PAYLOAD_NONCE),
	.repeatable = PL(ISAKMP_PAYLOAD_CERTREQ) | PL(ISAKMP_PAYLOAD_VID),
};

/* A cleartext message (1-4): no E flag, a chain that fills it exactly. */
static int
plain_chain(const struct isakmp_hdr *h, const uint8_t *msg, size_t len,
	    const struct isakmp_spec *spec, struct isakmp_chain *c,
	    const char *what)
{
	if (h->flags != 0) {
		log_dbg(LOG_DBG_ISAKMP, "%s: flags 0x%02x", what, h->flags);
		return -1;
	}
	if (isakmp_chain_parse(c, h->next, msg + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0 ||
	    c->end != len - ISAKMP_HDR_LEN) {
		log_dbg(LOG_DBG_ISAKMP, "%s: malformed payload chain", what);
		return -1;
	}
	return p1_chain_check(c, spec, what);
}

/* ---- message 1 / 2: SA ---- */

int
p1_msg1_build(struct p1_sa *sa, struct buf_writer *out)
{
	struct isakmp_builder b;
	size_t hoff, sa_off;

	if (p1_msg_start(sa, out, &b, &hoff) < 0)
		return -1;
	sa_off = buf_len(out);
	if (payload_sa_put(&b, sa->offer) < 0)
		return -1;
	/* SAi_b, hashed into HASH_I/HASH_R: the SA body exactly as sent. */
	sa->sai_len = buf_len(out) - sa_off - ISAKMP_GEN_HDR_LEN;
	if ((sa->sai_b = malloc(sa->sai_len)) == NULL)
		return -1;
	memcpy(sa->sai_b, buf_data(out) + sa_off + ISAKMP_GEN_HDR_LEN,
	       sa->sai_len);
	if (p1_vid_put(sa, &b) < 0 || isakmp_hdr_patch_len(out, hoff) < 0)
		return -1;
	return buf_writer_failed(out) ? -1 : 0;
}

/* DOI 1 or 2 in Phase 1, any Situation (§2.5 [D]). */
static bool
p1_doi_ok(uint32_t doi)
{
	return doi == ISAKMP_DOI_IPSEC || doi == ISAKMP_DOI_GDOI;
}

int
p1_msg1_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *msg, size_t len, uint16_t *notify)
{
	const struct p1_config *cfg = sa->cfg;
	const struct isakmp_payload *pl;
	struct isakmp_chain c;
	struct payload_sa offer;

	*notify = ISAKMP_N_PAYLOAD_MALFORMED;
	if (plain_chain(h, msg, len, &p1_spec_sa, &c, "msg 1") < 0)
		return -1;
	pl = isakmp_chain_find(&c, ISAKMP_PAYLOAD_SA);
	if (payload_sa_decode(pl->body, pl->body_len, &offer) < 0)
		return -1;
	if (!p1_doi_ok(offer.doi)) {
		*notify = ISAKMP_N_DOI_NOT_SUPPORTED;
		return -1;
	}
	*notify = ISAKMP_N_NO_PROPOSAL_CHOSEN;
	if (p1_prop_choose(cfg->prop, cfg->nprop, cfg->legacy,
			  p1_auth_mask(cfg, sa->peer), &offer, &sa->xf) < 0 ||
	    p1_prop_suite(&sa->xf, cfg->legacy, &sa->suite) < 0)
		return -1;
	*notify = 0;
	sa->doi = offer.doi;
	sa->prop_num = offer.prop_num;
	if ((sa->sai_b = malloc(pl->body_len)) == NULL)
		return -1;
	memcpy(sa->sai_b, pl->body, pl->body_len);
	sa->sai_len = pl->body_len;
	p1_vid_scan(sa, &c);
	return 0;
}

int
p1_msg2_build(struct p1_sa *sa, struct buf_writer *out)
{
	struct isakmp_builder b;
	struct payload_sa reply;
	size_t hoff;

	/* One transform, echoing the chosen one (§3.1). */
	memset(&reply, 0, sizeof(reply));
	reply.doi = sa->doi;
	reply.situation = P1PROP_SITUATION;
	reply.prop_num = sa->prop_num;
	reply.proto = ISAKMP_PROTO_ISAKMP;
	reply.nxform = 1;
	reply.xform[0] = sa->xf;
	if (p1_msg_start(sa, out, &b, &hoff) < 0 ||
	    payload_sa_put(&b, &reply) < 0 || p1_vid_put(sa, &b) < 0 ||
	    isakmp_hdr_patch_len(out, hoff) < 0)
		return -1;
	return buf_writer_failed(out) ? -1 : 0;
}

/* ---- message 3 / 4: KE, nonce ---- */

/* Our DH pair and nonce, then KE and NONCE payloads. */
static int
ke_nonce_put(struct p1_sa *sa, struct isakmp_builder *b)
{
	uint8_t *mine_ke = sa->initiator ? sa->gxi : sa->gxr;
	size_t *mine_ke_len = sa->initiator ? &sa->gxi_len : &sa->gxr_len;
	uint8_t *mine_n = sa->initiator ? sa->ni : sa->nr;
	size_t *mine_n_len = sa->initiator ? &sa->ni_len : &sa->nr_len;
	const uint8_t *pub;

	if (sa->dh == NULL) {
		sa->dh = sa->initiator
			 ? dh_new(sa->suite.group, sa->cfg->legacy)
			 : dh_shared(sa->suite.group, sa->cfg->legacy, sa->now,
				     sa->cfg->dh_reuse_ms);
		if (sa->dh == NULL)
			return -1;
	}
	pub = dh_public(sa->dh, mine_ke_len);
	memcpy(mine_ke, pub, *mine_ke_len);
	if (crypto_random(mine_n, P1_NONCE_LEN) != 0)
		return -1;
	*mine_n_len = P1_NONCE_LEN;
	if (isakmp_build_payload(b, ISAKMP_PAYLOAD_KE, mine_ke,
				 *mine_ke_len) < 0 ||
	    isakmp_build_payload(b, ISAKMP_PAYLOAD_NONCE, mine_n,
				 *mine_n_len) < 0)
		return -1;
	return 0;
}

/* Copy the peer's KE body and nonce; sizes are checked here. */
static int
ke_nonce_take(struct p1_sa *sa, const struct isakmp_chain *c,
	      uint16_t *notify)
{
	const struct isakmp_payload *ke, *n;

	ke = isakmp_chain_find(c, ISAKMP_PAYLOAD_KE);
	n = isakmp_chain_find(c, ISAKMP_PAYLOAD_NONCE);
	*notify = ISAKMP_N_PAYLOAD_MALFORMED;
	if (payload_nonce_decode(n->body, n->body_len) < 0)
		return -1;
	if (ke->body_len != dh_pub_len(sa->suite.group)) {
		log_dbg(LOG_DBG_ISAKMP, "KE of %zu octets for %s", ke->body_len,
			dh_group_name(sa->suite.group));
		*notify = ISAKMP_N_INVALID_KEY_INFORMATION;
		return -1;
	}
	if (sa->initiator) {
		memcpy(sa->gxr, ke->body, ke->body_len);
		sa->gxr_len = ke->body_len;
		memcpy(sa->nr, n->body, n->body_len);
		sa->nr_len = n->body_len;
	} else {
		memcpy(sa->gxi, ke->body, ke->body_len);
		sa->gxi_len = ke->body_len;
		memcpy(sa->ni, n->body, n->body_len);
		sa->ni_len = n->body_len;
	}
	*notify = 0;
	return 0;
}

/* SKEYID from the PSK of this peer or from the nonces (signatures). */
static int
skeyid(struct p1_sa *sa, const uint8_t *gxy, size_t gxylen, uint16_t *notify)
{
	const struct p1_config *cfg = sa->cfg;
	const uint8_t *psk;
	size_t psklen = 0;

	if (sa->suite.auth != IKE_AUTH_PRE_SHARED)
		return ikekeys_skeyid_sig(&sa->keys, sa->suite.hash, sa->ni,
					  sa->ni_len, sa->nr, sa->nr_len, gxy,
					  gxylen);
	psk = cfg->psk ? cfg->psk(cfg->psk_arg, sa->peer, &psklen) : NULL;
	if (psk == NULL || psklen == 0) {
		log_dbg(LOG_DBG_ISAKMP, "no pre-shared key for the peer");
		*notify = ISAKMP_N_AUTHENTICATION_FAILED;
		return -1;
	}
	return ikekeys_skeyid_psk(&sa->keys, sa->suite.hash, psk, psklen,
				  sa->ni, sa->ni_len, sa->nr, sa->nr_len);
}

/* g^xy, SKEYID*, Ka and the message 5 IV (RFC 2409 §5, App. B). */
static int
keys_compute(struct p1_sa *sa, uint16_t *notify)
{
	const uint8_t *peer = sa->initiator ? sa->gxr : sa->gxi;
	size_t peer_len = sa->initiator ? sa->gxr_len : sa->gxi_len;
	uint8_t gxy[DH_MAX_SECRET];
	size_t gxylen = 0;
	int rc = -1;

	*notify = ISAKMP_N_INVALID_KEY_INFORMATION;
	if (dh_compute(sa->dh, peer, peer_len, gxy, sizeof(gxy), &gxylen) < 0)
		goto out;
	*notify = 0;
	if (skeyid(sa, gxy, gxylen, notify) < 0 ||
	    ikekeys_derive(&sa->keys, gxy, gxylen, sa->cky_i, sa->cky_r) < 0)
		goto out;
	sa->cipher.alg = sa->suite.cipher;
	sa->cipher.keylen = sa->suite.keylen;
	if (ikekeys_enc_key(&sa->keys, sa->suite.keylen, sa->cipher.key) < 0 ||
	    ikekeys_p1_iv(sa->suite.hash, sa->gxi, sa->gxi_len, sa->gxr,
			  sa->gxr_len, crypto_cipher_block(sa->suite.cipher),
			  &sa->iv) < 0)
		goto out;
	rc = 0;
out:
	crypto_wipe(gxy, sizeof(gxy));
	return rc;
}

enum p1_result
p1_msg2_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *msg, size_t len, struct buf_writer *out)
{
	const struct isakmp_payload *pl;
	struct isakmp_chain c;
	struct payload_sa reply;
	struct isakmp_builder b;
	size_t hoff;

	if (plain_chain(h, msg, len, &p1_spec_sa, &c, "msg 2") < 0)
		return p1_fail(sa, ISAKMP_N_PAYLOAD_MALFORMED, out, "msg 2");
	pl = isakmp_chain_find(&c, ISAKMP_PAYLOAD_SA);
	if (payload_sa_decode(pl->body, pl->body_len, &reply) < 0 ||
	    !p1_doi_ok(reply.doi))
		return p1_fail(sa, ISAKMP_N_PAYLOAD_MALFORMED, out, "msg 2 SA");
	memcpy(sa->cky_r, h->rcookie, ISAKMP_COOKIE_LEN);
	if (p1_prop_check_reply(sa->offer, &reply, &sa->xf) < 0 ||
	    p1_prop_suite(&sa->xf, sa->cfg->legacy, &sa->suite) < 0)
		return p1_fail(sa, ISAKMP_N_NO_PROPOSAL_CHOSEN, out,
			       "answer not offered");
	free(sa->offer);	/* answered: the offer is spent */
	sa->offer = NULL;
	p1_vid_scan(sa, &c);
	if (p1_msg_start(sa, out, &b, &hoff) < 0 || ke_nonce_put(sa, &b) < 0 ||
	    isakmp_hdr_patch_len(out, hoff) < 0 || p1_sent(sa, out) < 0 ||
	    p1_set_state(sa, P1_STATE_I_KE_SENT) < 0)
		return p1_fail(sa, 0, out, "cannot build msg 3");
	return P1_SEND;
}

enum p1_result
p1_msg3_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *msg, size_t len, struct buf_writer *out)
{
	struct isakmp_chain c;
	struct isakmp_builder b;
	uint16_t notify = 0;
	size_t hoff;

	if (plain_chain(h, msg, len, &p1_spec_ke, &c, "msg 3") < 0)
		return p1_fail(sa, ISAKMP_N_PAYLOAD_MALFORMED, out, "msg 3");
	if (ke_nonce_take(sa, &c, &notify) < 0)
		return p1_fail(sa, notify, out, "msg 3 KE/nonce");
	if (p1_msg_start(sa, out, &b, &hoff) < 0 || ke_nonce_put(sa, &b) < 0 ||
	    isakmp_hdr_patch_len(out, hoff) < 0)
		return p1_fail(sa, 0, out, "cannot build msg 4");
	/* Our KE is known only now; the keys need both. */
	if (keys_compute(sa, &notify) < 0)
		return p1_fail(sa, notify, out, "key computation");
	if (p1_sent(sa, out) < 0 || p1_set_state(sa, P1_STATE_R_KE_SENT) < 0)
		return p1_fail(sa, 0, out, "cannot send msg 4");
	return P1_SEND;
}

enum p1_result
p1_msg4_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *msg, size_t len, struct buf_writer *out)
{
	struct isakmp_chain c;
	uint16_t notify = 0;

	if (plain_chain(h, msg, len, &p1_spec_ke, &c, "msg 4") < 0)
		return p1_fail(sa, ISAKMP_N_PAYLOAD_MALFORMED, out, "msg 4");
	if (ke_nonce_take(sa, &c, &notify) < 0)
		return p1_fail(sa, notify, out, "msg 4 KE/nonce");
	if (keys_compute(sa, &notify) < 0)
		return p1_fail(sa, notify, out, "key computation");
	if (p1_auth_build(sa, out) < 0 || p1_sent(sa, out) < 0 ||
	    p1_set_state(sa, P1_STATE_I_AUTH_SENT) < 0)
		return p1_fail(sa, 0, out, "cannot build msg 5");
	return P1_SEND;
}
