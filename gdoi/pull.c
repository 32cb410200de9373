/*
 * pull: what both roles of GROUPKEY-PULL share (RFC 6407 §3; doc/protocol.md
 * §2.8, §3.7, §4): result names and the Notify each result calls for,
 * and the protected Informational exchange that carries such a Notify
 * under the Phase 1 SA.  The member's side is pull_gm.c, the key
 * server's pull_ks.c; the message framing is pull_msg.c.
 */
#include "gdoi/pull.h"

#include "gdoi/info.h"

#include <string.h>

#include "platform/log.h"

static const char *const pull_err_names[PULL_ERR_COUNT] = {
	[PULL_OK] = "ok",
	[PULL_RESEND] = "duplicate, reply resent",
	[PULL_ERR_MALFORMED] = "malformed",
	[PULL_ERR_BAD_HASH] = "bad hash",
	[PULL_ERR_BAD_POLICY] = "unacceptable policy",
	[PULL_ERR_UNEXPECTED] = "unexpected message",
	[PULL_ERR_UNKNOWN_GROUP] = "unknown group",
	[PULL_ERR_UNAUTHORIZED] = "unauthorized member",
	[PULL_ERR_NOT_READY] = "group not ready",
	[PULL_ERR_NO_SA] = "no phase 1 SA",
	[PULL_ERR_INTERNAL] = "internal error",
};

const char *
pull_err_name(enum pull_err e)
{
	if ((unsigned)e >= PULL_ERR_COUNT)
		return "?";
	return pull_err_names[e];
}

/*
 * doc/protocol.md §2.8 and §4: a bad HASH(n) gets INVALID-HASH-INFORMATION,
 * an unknown or unauthorized group INVALID-ID-INFORMATION, a policy the
 * member cannot install or a group not ready to serve NO-PROPOSAL-CHOSEN
 * ([D] §4.11; doc/keyserver.md), unparsable payloads PAYLOAD-MALFORMED.
 * Duplicates, state mismatches and local failures are answered with
 * silence.
 */
uint16_t
pull_err_notify(enum pull_err e)
{
	switch (e) {
	case PULL_ERR_MALFORMED:
		return ISAKMP_N_PAYLOAD_MALFORMED;
	case PULL_ERR_BAD_HASH:
		return ISAKMP_N_INVALID_HASH_INFORMATION;
	case PULL_ERR_BAD_POLICY:
	case PULL_ERR_NOT_READY:	/* the KS has no policy to offer (yet) */
		return ISAKMP_N_NO_PROPOSAL_CHOSEN;
	case PULL_ERR_UNKNOWN_GROUP:
	case PULL_ERR_UNAUTHORIZED:
		return ISAKMP_N_INVALID_ID_INFORMATION;
	default:
		return 0;
	}
}

/* ---- the four messages (RFC 6407 §3.2, doc/protocol.md §4.1-§4.2) ---- */

/* Payloads after HASH; KE, CERT and POP of RFC 3547 are refused. */
#define PL(t) ISAKMP_PL(t)
static const struct isakmp_spec pull_specs[PULL_NMSG] = {
	{ .name = "msg 1",
	  .required = PL(ISAKMP_PAYLOAD_NONCE) | PL(ISAKMP_PAYLOAD_ID) },
	{ .name = "msg 2",
	  .required = PL(ISAKMP_PAYLOAD_NONCE) | PL(ISAKMP_PAYLOAD_SA) },
	{ .name = "msg 3", .optional = PL(GDOI_PAYLOAD_GAP) },
	{ .name = "msg 4", .required = PL(GDOI_PAYLOAD_KD),
	  .optional = PL(GDOI_PAYLOAD_SEQ) },
};
#undef PL

enum pull_err
pull_classify(const struct pull_msg_in *m, unsigned want)
{
	unsigned n;

	if (want < 1 || want > PULL_NMSG)
		return PULL_ERR_INTERNAL;
	if (pull_msg_match(m, &pull_specs[want - 1]))
		return PULL_OK;
	for (n = 1; n <= PULL_NMSG; n++) {
		if (n != want && pull_msg_match(m, &pull_specs[n - 1])) {
			log_dbg(LOG_DBG_GDOI_PACKET, "GROUPKEY-PULL %08x: %s "
				"where %s was expected", m->hdr.msgid,
				pull_specs[n - 1].name,
				pull_specs[want - 1].name);
			return PULL_ERR_UNEXPECTED;
		}
	}
	log_dbg(LOG_DBG_GDOI_PACKET, "GROUPKEY-PULL %08x: payloads do not "
		"form %s", m->hdr.msgid, pull_specs[want - 1].name);
	return PULL_ERR_MALFORMED;
}

/*
 * doc/protocol.md §4.2: what HASH(n) covers before the payloads that follow
 * it: nothing for HASH(1), Ni_b for HASH(2), Ni_b | Nr_b for HASH(3)
 * and HASH(4).
 */
size_t
pull_hash_pieces(unsigned n, const uint8_t *ni, size_t ni_len,
		 const uint8_t *nr, size_t nr_len, struct crypto_iov pre[2])
{
	if (n < 2)
		return 0;
	pre[0].base = ni;
	pre[0].len = ni_len;
	if (n < 3)
		return 1;
	pre[1].base = nr;
	pre[1].len = nr_len;
	return 2;
}

/* ---- protected Informational (doc/protocol.md §3.7) ---- */

int
pull_notify(const struct p1_sa *p1, uint16_t type, struct buf_writer *out)
{
	return info_notify(p1, type, NULL, 0, out);
}

int
pull_notify_decode(const struct p1_sa *p1, const uint8_t *in, size_t len,
		   uint16_t *type)
{
	struct info_msg m;

	if (info_decode(p1, in, len, &m) < 0 || m.kind != INFO_NOTIFY)
		return -1;
	*type = m.type;
	return 0;
}

enum pull_err
pull_open(struct pull_msg_in *m, const struct pull_p1 *v, const uint8_t *in,
	  size_t len, unsigned n, const struct ike_iv *iv, uint32_t mid,
	  const char *who, const uint8_t *ni, size_t ni_len,
	  const uint8_t *nr, size_t nr_len)
{
	struct crypto_iov pre[2];
	enum pull_err rc;
	size_t npre;

	if (pull_msg_open(m, v, GDOI_EXCH_PULL, in, len, iv) < 0)
		return PULL_ERR_MALFORMED;
	rc = PULL_ERR_UNEXPECTED;
	if (iv != NULL && m->hdr.msgid != mid) {
		log_dbg(LOG_DBG_GDOI_PACKET, "GROUPKEY-PULL %08x (%s): "
			"Message ID %08x", mid, who, m->hdr.msgid);
		goto fail;
	}
	if ((rc = pull_classify(m, n)) != PULL_OK)
		goto fail;
	npre = pull_hash_pieces(n, ni, ni_len, nr, nr_len, pre);
	rc = PULL_ERR_BAD_HASH;
	if (pull_msg_verify(m, v, pre, npre) < 0)
		goto fail;
	return PULL_OK;
fail:
	pull_msg_close(m);
	return rc;
}
