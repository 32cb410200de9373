/*
 * ike_ks: the key server side of GROUPKEY-PULL in the GDOI endpoint
 * (RFC 6407 §3, doc/protocol.md §4.11 "KS"): adapters from gdoi/pull.c's
 * callbacks to the role's struct ike_ks_ops, one exchange per Message ID,
 * and what is kept once an exchange is done (only the stored reply).
 */
#include "roles/ike_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/info.h"
#include "gdoi/isakmp.h"
#include "platform/be.h"
#include "platform/evloop.h"
#include "platform/log.h"

/*
 * Key server side of GROUPKEY-PULL: adapters from pull.c's callbacks to
 * the role's (struct ike_ks_ops).
 */
static enum pull_ks_verdict
ks_lookup_group(void *arg, uint8_t id_type, const uint8_t *id, size_t id_len,
		const struct p1_sa *p1, void **group)
{
	struct ike *ike = arg;
	uint32_t gid;

	if (id_type != ISAKMP_ID_KEY_ID || id_len != 4)
		return PULL_KS_GROUP_UNKNOWN;
	gid = be32_get(id);
	switch (ike->ks_ops->lookup(ike->ks_arg, gid, p1_sa_peer(p1),
				    group)) {
	case IKE_KS_OK: return PULL_KS_GROUP_OK;
	case IKE_KS_UNAUTHORIZED: return PULL_KS_GROUP_UNAUTHORIZED;
	case IKE_KS_NOT_READY: return PULL_KS_GROUP_NOT_READY;
	default: return PULL_KS_GROUP_UNKNOWN;
	}
}

static int
ks_get_policy(void *arg, void *group, struct gdoi_policy *out)
{
	struct ike *ike = arg;

	return ike->ks_ops->policy(ike->ks_arg, group, out);
}

static int
ks_grant_sids(void *arg, void *group, unsigned count, uint32_t *sids,
	      unsigned *bits)
{
	struct ike *ike = arg;
	size_t n = ike->ks_ops->grant_sids(ike->ks_arg, group, 0, count, sids,
					   bits);

	return n > 0 ? (int)n : -1;
}

static const struct pull_ks_ops pull_ops = {
	.lookup_group = ks_lookup_group,
	.get_policy = ks_get_policy,
	.grant_sids = ks_grant_sids,
};

/* An IDLE exchange: a wiped one kept from before, or a new one. */
static struct pull_ks *
px_take(struct ike *ike)
{
	struct pull_ks *px;

	if (ike->npx > 0)
		return ike->px_pool[--ike->npx];	/* wiped: IDLE */
	if ((px = malloc(sizeof(*px))) != NULL)
		pull_ks_init(px);
	return px;
}

/* Wipe px and keep it for the next exchange (or free it). */
static void
px_give(struct ike *ike, struct pull_ks *px)
{
	pull_ks_free(px);
	if (ike->npx < IKE_PX_POOL)
		ike->px_pool[ike->npx++] = px;
	else
		free(px);
}

void
ike_px_pool_free(struct ike *ike)
{
	while (ike->npx > 0)
		free(ike->px_pool[--ike->npx]);
}

void
ike_pullx_free(struct ike *ike, struct ike_pullx *x)
{
	if (x->px != NULL)
		px_give(ike, x->px);
	pull_stored_free(&x->done);
	free(x);
}

/* An exchange that is over (refused, or done with only its reply kept),
 * taken for Message ID mid. */
static struct ike_pullx *
pullx_reuse(struct ike_sa *sa, uint32_t mid)
{
	for (struct ike_pullx *x = sa->pulls; x != NULL; x = x->next) {
		if (x->px != NULL && x->mid != 0)
			continue;
		if (x->px == NULL) {
			pull_stored_free(&x->done);
			memset(&x->done, 0, sizeof(x->done));
			x->px = px_take(sa->ike);
			if (x->px == NULL)
				return NULL;
		}
		x->mid = mid;
		return x;
	}
	return NULL;
}

/* The exchange with Message ID mid, or a new one: at most 4 per SA
 * (a member runs one registration at a time), an exchange that is over
 * making room for a new one, so that no member is ever refused a pull
 * for having pulled before. */
static struct ike_pullx *
pullx_get(struct ike_sa *sa, uint32_t mid)
{
	struct ike_pullx *x;
	unsigned n = 0;

	for (x = sa->pulls; x != NULL; x = x->next, n++)
		if (x->mid == mid)
			return x;
	if (n >= 4)
		return pullx_reuse(sa, mid);
	x = calloc(1, sizeof(*x));
	if (x == NULL || (x->px = px_take(sa->ike)) == NULL) {
		free(x);
		return NULL;
	}
	x->mid = mid;
	x->next = sa->pulls;
	sa->pulls = x;
	return x;
}

/* Keep only what answers a duplicate; wipe the policy and keys. */
static void
pullx_done(struct ike *ike, struct ike_pullx *x)
{
	x->done = x->px->last;
	memset(&x->px->last, 0, sizeof(x->px->last));
	px_give(ike, x->px);
	x->px = NULL;
}

void
ike_pull_ks_input(struct ike_sa *sa, uint32_t mid, const uint8_t *p, size_t len)
{
	struct ike *ike = sa->ike;
	struct ike_pullx *x = pullx_get(sa, mid);
	enum pull_err e;

	if (x == NULL || ike->ks_ops == NULL)
		return;
	buf_writer_reset(&ike->out);
	if (x->px == NULL) {
		if (pull_stored_is_dup(&x->done, p, len) &&
		    pull_stored_resend(&x->done, &ike->out) == 0)
			ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
		return;
	}
	e = pull_ks_process(x->px, sa->p1, p, len, &pull_ops, ike, &ike->out);
	if (e == PULL_OK || e == PULL_RESEND) {
		bool done = e == PULL_OK && x->px->state == PULL_KS_DONE;

		if (done)	/* recorded (on disk) before message 4 leaves */
			ike->ks_ops->registered(ike->ks_arg, x->px->group,
						sa->peer, sa->peer_port,
						sa->local,
						x->px->policy.sid,
						x->px->policy.nsid);
		ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
		if (done) {
			ike->cnt.pull_done++;
			ike_sa_linger(sa, IKE_KS_LINGER_MS);
			pullx_done(ike, x);
		}
		return;
	}
	ike->cnt.pull_failed++;
	if (e == PULL_ERR_BAD_HASH)
		ike->cnt.rx_bad_hash++;
	log_dbg(LOG_DBG_GDOI_KS, "GROUPKEY-PULL from %s: %s",
		LOG_IP4(sa->peer), pull_err_name(e));
	if (pull_err_notify(e) != 0) {
		buf_writer_reset(&ike->out);
		if (pull_notify(sa->p1, pull_err_notify(e), &ike->out) == 0)
			ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
	}
	if (e != PULL_ERR_MALFORMED) {
		/* the exchange is over; a new Message ID starts afresh */
		pull_ks_free(x->px);
		x->mid = 0;
	}
}
