/*
 * coop_sa: COOP under a Phase 1 SA (see gdoi/coop_sa.h), with the framing
 * of the other exchanges that open with HASH(n) (gdoi/pull_msg.c).
 */
#include "gdoi/coop_sa.h"

#include "gdoi/isakmp.h"
#include "gdoi/pull_msg.h"

int
coop_sa_seal(const struct p1_sa *p1, const uint8_t *chain, size_t len,
	     struct buf_writer *out)
{
	struct pull_msg_out o;
	struct ike_iv next;
	struct pull_p1 v;
	uint32_t mid;

	buf_writer_reset(out);
	if (pull_p1_view(p1, &v) < 0 || pull_msg_new_mid(&mid) < 0 ||
	    pull_msg_begin(&o, &v, GETVPN_EXCH_COOP, mid, out) < 0 ||
	    isakmp_build_set_next(&o.b, GETVPN_PAYLOAD_COOP) < 0 ||
	    buf_put_bytes(out, chain, len) < 0 ||
	    pull_msg_finish(&o, &v, NULL, 0, NULL, &next) < 0) {
		buf_writer_reset(out);
		return -1;
	}
	return 0;
}

enum coop_sa_err
coop_sa_open(const struct p1_sa *p1, const uint8_t *in, size_t len,
	     struct buf_writer *chain)
{
	struct pull_msg_in m;
	struct pull_p1 v;
	const struct isakmp_payload *first;
	enum coop_sa_err e = COOP_SA_MALFORMED;

	buf_writer_reset(chain);
	if (pull_p1_view(p1, &v) < 0 ||
	    pull_msg_open(&m, &v, GETVPN_EXCH_COOP, in, len, NULL) < 0)
		return COOP_SA_MALFORMED;
	if (pull_msg_verify(&m, &v, NULL, 0) < 0) {
		e = COOP_SA_HASH;
		goto out;
	}
	/* HASH(1), then the COOP chain (COOP, SIG) and nothing else */
	if (m.chain.n != 3 || m.chain.pl[1].type != GETVPN_PAYLOAD_COOP)
		goto out;
	first = &m.chain.pl[1];
	if (buf_put_bytes(chain, first->raw, (size_t)(m.buf + ISAKMP_HDR_LEN +
		m.chain.end - first->raw)) < 0)
		goto out;
	e = COOP_SA_OK;
out:
	pull_msg_close(&m);
	return e;
}

const char *
coop_sa_err_name(enum coop_sa_err e)
{
	switch (e) {
	case COOP_SA_OK: return "ok";
	case COOP_SA_MALFORMED: return "malformed or not under this SA";
	case COOP_SA_HASH: return "bad hash";
	}
	return "?";
}
