/*
 * coop_sa: COOP under a Phase 1 SA (see gdoi/coop_sa.h), with the framing
 * of the other exchanges that open with HASH(n) (gdoi/pull_msg.c).
 */
#include "gdoi/coop_sa.h"

#include "gdoi/isakmp.h"
#include "gdoi/pull_msg.h"

struct chain_arg {
	const uint8_t *p;
	size_t len;
};

/* The COOP chain after HASH(1), whose Next Payload names it. */
static int
put_chain(struct isakmp_builder *b, const void *arg)
{
	const struct chain_arg *c = arg;

	if (isakmp_build_set_next(b, GETVPN_PAYLOAD_COOP) < 0)
		return -1;
	return buf_put_bytes(b->w, c->p, c->len);
}

int
coop_sa_seal(const struct p1_sa *p1, const uint8_t *chain, size_t len,
	     struct buf_writer *out)
{
	struct chain_arg c = { chain, len };

	return pull_msg_single(p1, GETVPN_EXCH_COOP, put_chain, &c, out);
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
