/*
 * phase1_auth: Main Mode messages 5 and 6 (doc/protocol.md §3.1, §3.5,
 * §3.6; RFC 2409 §5.1 and §5.4): the identities, HASH_I/HASH_R or the
 * RSA signatures over them, CBC encryption and the IV chain up to
 * P1_last.
 *
 * A message 5 or 6 that does not decrypt to a well-formed chain or does
 * not authenticate ends the negotiation: with a wrong pre-shared key
 * the two cases cannot be told apart from a forgery, and the peer
 * learns which one it was from the (unprotected) Notify.
 */
#include "gdoi/phase1_auth.h"

#include <stdlib.h>
#include <string.h>

#include "gdoi/phase1_sa.h"
#include "gdoi/rsakey.h"
#include "platform/be.h"
#include "platform/log.h"

#define PL(t) ISAKMP_PL(t)

/* Messages 5/6: ID and HASH (pre-shared key) or SIG, and what may come
 * with them. */
#define P1_AUTH_REPEATABLE						\
	(PL(ISAKMP_PAYLOAD_CERT) | PL(ISAKMP_PAYLOAD_CERTREQ) |		\
	 PL(ISAKMP_PAYLOAD_N) | PL(ISAKMP_PAYLOAD_VID))
static const struct isakmp_spec p1_spec_auth_psk = {
	.name = "msg 5/6",
	.required = PL(ISAKMP_PAYLOAD_ID) | PL(ISAKMP_PAYLOAD_HASH),
	.repeatable = P1_AUTH_REPEATABLE,
};
static const struct isakmp_spec p1_spec_auth_sig = {
	.name = "msg 5/6",
	.required = PL(ISAKMP_PAYLOAD_ID) | PL(ISAKMP_PAYLOAD_SIG),
	.repeatable = P1_AUTH_REPEATABLE,
};

/*
 * Our ID payload body (RFC 2407 §4.6.2): type, protocol 0, port 0 (both
 * allowed in Phase 1), then the configured identity or our address.
 */
static int
id_body(const struct p1_sa *sa, uint8_t *buf, size_t cap, size_t *len)
{
	const struct p1_config *cfg = sa->cfg;

	memset(buf, 0, 4);
	if (cfg->id_type == 0) {
		buf[0] = ISAKMP_ID_IPV4_ADDR;
		memcpy(buf + 4, &sa->local, 4);	/* network order */
		*len = 8;
		return 0;
	}
	if (cfg->id_len > cap - 4 || cfg->id_len > P1_ID_MAX)
		return -1;
	buf[0] = cfg->id_type;
	memcpy(buf + 4, cfg->id, cfg->id_len);
	*len = 4 + cfg->id_len;
	return 0;
}

/* HASH_I (ours when initiator) or HASH_R over the given ID body. */
static int
auth_hash(const struct p1_sa *sa, bool of_initiator, const uint8_t *idb,
	  size_t idlen, uint8_t *out)
{
	struct ikekeys_auth in = {
		.gxi = sa->gxi, .gxi_len = sa->gxi_len,
		.gxr = sa->gxr, .gxr_len = sa->gxr_len,
		.cky_i = sa->cky_i, .cky_r = sa->cky_r,
		.sai_b = sa->sai_b, .sai_len = sa->sai_len,
		.id_b = idb, .id_len = idlen,
	};

	if (of_initiator)
		return ikekeys_hash_i(&sa->keys, &in, out);
	return ikekeys_hash_r(&sa->keys, &in, out);
}

/* HASH or [CERT,] SIG after the ID payload. */
static int
proof_put(const struct p1_sa *sa, struct isakmp_builder *b,
	  const uint8_t *hash)
{
	const struct p1_config *cfg = sa->cfg;
	struct payload_cert cert;
	uint8_t sig[RSAKEY_MAX_SIG];
	size_t siglen = sizeof(sig);

	if (sa->suite.auth == IKE_AUTH_PRE_SHARED)
		return isakmp_build_payload(b, ISAKMP_PAYLOAD_HASH, hash,
					    sa->keys.len);
	if (cfg->cert != NULL) {
		cert.enc = ISAKMP_CERT_X509_SIG;
		cert.data = cfg->cert;
		cert.len = cfg->cert_len;
		if (payload_cert_put(b, ISAKMP_PAYLOAD_CERT, &cert) < 0)
			return -1;
	}
	/* §3.5: raw PKCS#1 type-1 padding over HASH_x, no DigestInfo. */
	if (cfg->rsa == NULL ||
	    rsakey_sign_hash(cfg->rsa, hash, sa->keys.len, sig, &siglen) < 0)
		return -1;
	return isakmp_build_payload(b, ISAKMP_PAYLOAD_SIG, sig, siglen);
}

int
p1_auth_build(struct p1_sa *sa, struct buf_writer *out)
{
	uint8_t idb[4 + P1_ID_MAX], hash[CRYPTO_MAX_HASH];
	struct isakmp_builder b;
	struct ike_iv next;
	size_t idlen, hoff;
	int rc = -1;

	if (id_body(sa, idb, sizeof(idb), &idlen) < 0 ||
	    auth_hash(sa, sa->initiator, idb, idlen, hash) < 0 ||
	    p1_msg_start(sa, out, &b, &hoff) < 0 ||
	    isakmp_build_payload(&b, ISAKMP_PAYLOAD_ID, idb, idlen) < 0 ||
	    proof_put(sa, &b, hash) < 0 ||
	    isakmp_hdr_patch_len(out, hoff) < 0 ||
	    ikecrypt_encrypt_buf(&sa->cipher, &sa->iv, &next, out) < 0)
		goto out;
	/* msg 6 is decrypted with msg 5's last block; msg 6's is P1_last. */
	if (sa->initiator)
		sa->iv = next;
	else
		sa->p1_last = next;
	rc = 0;
out:
	crypto_wipe(hash, sizeof(hash));
	return rc;
}

/*
 * Decrypt with the current IV into *plain (malloc'd, len octets) and
 * parse the chain; *next is the IV the following message will use.
 */
static int
decrypt_chain(struct p1_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *msg, size_t len, uint8_t **plain,
	      struct isakmp_chain *c, struct ike_iv *next)
{
	size_t outlen = 0;
	if ((*plain = malloc(len)) == NULL)
		return -1;
	if (ikecrypt_decrypt(&sa->cipher, &sa->iv, next, msg, len, *plain,
			     len, &outlen) < 0)
		return -1;
	if (isakmp_chain_parse(c, h->next, *plain + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0) {
		log_dbg(LOG_DBG_ISAKMP, "encrypted message: malformed chain");
		return -1;
	}
	return p1_chain_check(c, sa->suite.auth == IKE_AUTH_PRE_SHARED
			      ? &p1_spec_auth_psk : &p1_spec_auth_sig,
			      "msg 5/6");
}

/* The peer's CERT payloads, leaf first, for the peer_key hook. */
static void
certs_collect(const struct isakmp_chain *c, struct p1_peer_cred *cred)
{
	struct payload_cert cert;
	size_t i;

	for (i = 0; i < c->n && cred->ncert < P1_MAX_CERTS; i++) {
		if (c->pl[i].type != ISAKMP_PAYLOAD_CERT ||
		    payload_cert_decode(c->pl[i].body, c->pl[i].body_len,
					&cert) < 0 ||
		    cert.enc != ISAKMP_CERT_X509_SIG)
			continue;
		cred->cert[cred->ncert] = cert.data;
		cred->cert_len[cred->ncert++] = cert.len;
	}
}

static uint16_t
sig_check(const struct p1_sa *sa, const struct isakmp_chain *c,
	  const struct payload_id *id, const uint8_t *expect)
{
	const struct isakmp_payload *sig;
	struct p1_peer_cred cred;
	struct rsakey *key;
	int rc;

	sig = isakmp_chain_find(c, ISAKMP_PAYLOAD_SIG);
	memset(&cred, 0, sizeof(cred));
	cred.addr = sa->peer;
	cred.id_type = id->type;
	cred.id = id->data;
	cred.id_len = id->len;
	certs_collect(c, &cred);
	key = sa->cfg->peer_key ? sa->cfg->peer_key(sa->cfg->peer_key_arg,
						    &cred) : NULL;
	if (key == NULL) {
		log_dbg(LOG_DBG_ISAKMP, "peer identity refused");
		return ISAKMP_N_AUTHENTICATION_FAILED;
	}
	rc = rsakey_verify_hash(key, expect, sa->keys.len, sig->body,
				sig->body_len);
	rsakey_free(key);
	if (rc < 0) {
		log_dbg(LOG_DBG_ISAKMP, "SIG does not verify");
		return ISAKMP_N_INVALID_SIGNATURE;
	}
	return 0;
}

static void
psk_id_note(const struct p1_sa *sa, const struct payload_id *id)
{
	uint32_t a;

	if (id->type != ISAKMP_ID_IPV4_ADDR || id->len != 4)
		return;
	memcpy(&a, id->data, sizeof(a));
	/* Behind NAT the two differ; the key was chosen by address. */
	if (a != sa->peer)
		log_dbg(LOG_DBG_ISAKMP, "peer ID address is not its source "
			"address");
}

/* Verify the peer's ID and HASH or SIG; 0, or the Notify to send. */
static uint16_t
auth_check(struct p1_sa *sa, const struct isakmp_chain *c)
{
	const struct isakmp_payload *idp = isakmp_chain_find(c,
							     ISAKMP_PAYLOAD_ID);
	const struct isakmp_payload *hp;
	uint8_t expect[CRYPTO_MAX_HASH];
	struct payload_id id;
	uint16_t notify = 0;

	if (payload_id_decode(idp->body, idp->body_len, &id) < 0)
		return ISAKMP_N_INVALID_ID_INFORMATION;
	free(sa->peer_id);
	if ((sa->peer_id = malloc(idp->body_len)) == NULL)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	memcpy(sa->peer_id, idp->body, idp->body_len);
	sa->peer_id_len = idp->body_len;
	if (auth_hash(sa, !sa->initiator, idp->body, idp->body_len,
		      expect) < 0)
		return ISAKMP_N_PAYLOAD_MALFORMED;
	if (sa->suite.auth == IKE_AUTH_PRE_SHARED) {
		hp = isakmp_chain_find(c, ISAKMP_PAYLOAD_HASH);
		if (hp->body_len != sa->keys.len ||
		    !crypto_equal(hp->body, expect, sa->keys.len))
			notify = ISAKMP_N_INVALID_HASH_INFORMATION;
		else
			psk_id_note(sa, &id);
	} else {
		notify = sig_check(sa, c, &id, expect);
	}
	crypto_wipe(expect, sizeof(expect));
	return notify;
}

/* Decrypt and authenticate msg 5 or 6; 0 or the Notify to send. */
static uint16_t
auth_receive(struct p1_sa *sa, const struct isakmp_hdr *h, const uint8_t *msg,
	     size_t len, struct ike_iv *next)
{
	struct isakmp_chain c;
	uint8_t *plain = NULL;
	uint16_t notify = ISAKMP_N_PAYLOAD_MALFORMED;

	if (decrypt_chain(sa, h, msg, len, &plain, &c, next) == 0)
		notify = auth_check(sa, &c);
	if (notify == 0)
		p1_vid_scan(sa, &c);
	crypto_free_secure(plain, len);
	return notify;
}

enum p1_result
p1_msg5_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *msg, size_t len, struct buf_writer *out)
{
	struct ike_iv next;
	uint16_t notify;

	if (!(h->flags & ISAKMP_FLAG_ENC))
		return P1_DROP;
	if ((notify = auth_receive(sa, h, msg, len, &next)) != 0)
		return p1_fail(sa, notify, out, "msg 5");
	sa->iv = next;
	if (p1_auth_build(sa, out) < 0 || p1_sent(sa, out) < 0 ||
	    p1_set_state(sa, P1_STATE_ESTABLISHED) < 0)
		return p1_fail(sa, 0, out, "cannot build msg 6");
	return P1_ESTABLISHED;
}

enum p1_result
p1_msg6_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *msg, size_t len, struct buf_writer *out)
{
	struct ike_iv next;
	uint16_t notify;

	if (!(h->flags & ISAKMP_FLAG_ENC))
		return P1_DROP;
	if ((notify = auth_receive(sa, h, msg, len, &next)) != 0)
		return p1_fail(sa, notify, out, "msg 6");
	sa->p1_last = next;
	if (p1_set_state(sa, P1_STATE_ESTABLISHED) < 0)
		return p1_fail(sa, 0, out, "msg 6");
	return P1_ESTABLISHED;
}
