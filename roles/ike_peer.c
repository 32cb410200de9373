/*
 * ike_peer: the Phase 1 SAs of key server pairs, which COOP runs under
 * (doc/coop.md "Protection between key servers").  The same Main Mode,
 * policies and keys as a member's; this file only decides when to start
 * one, which SA a message leaves on, which SAs a new one replaces, and
 * checks every COOP datagram before the KS layer sees its chain.
 *
 * Who initiates: either key server, when it has a COOP message for a
 * peer and neither holds an SA with it nor negotiates one of its own.
 * The peer's Main Mode joins the pair only when it is up: its message 1
 * proves nothing, and half-open ones in the peer's name would otherwise
 * hold the pair's slots.  A COOP datagram under cookies we do not
 * know, from a configured peer we hold no SA with, starts one too: the
 * peer restarted us out of its SA, or we restarted.
 *
 * Which SA stays: an SA that comes up replaces every SA of the pair that
 * was up before its negotiation began (the peer started over: it lost
 * them, or the lifetime is running out); both sides apply the rule, each
 * deletes what it holds, after IKE_PEER_GRACE_MS in which it still
 * receives under it (the peer may not know of the new one yet).  Two SAs
 * negotiated at once (both started) both work; messages leave on the one
 * the lower address initiated, and the lower address deletes the other
 * once its own is up.
 *
 * Lifetime: at IKE_PEER_REKEY_PCT of the lifetime of the SA in use (the
 * higher address at IKE_PEER_REKEY_LATE_PCT, so that the two rarely start
 * together) a key server starts the next SA, so the pair changes SAs
 * without a gap.
 */
#include "roles/ike_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/coop_sa.h"
#include "gdoi/isakmp.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "roles/gdoi_log.h"

struct ike_peer_msg {
	struct ike_peer_msg *next;
	size_t len;
	uint8_t p[];
};

static void log_fail(struct ike *ike, struct ike_peer *kp, const char *why);

static bool
configured(const struct ike *ike, uint32_t local, uint32_t peer)
{
	const struct ike_rekey_ops *ops = ike->rekey_ops;

	return ops != NULL && ops->coop_peer != NULL &&
	       ops->coop_peer(ike->rekey_arg, local, peer);
}

static struct ike_peer *
peer_find(const struct ike *ike, uint32_t local, uint32_t peer)
{
	for (struct ike_peer *kp = ike->peers; kp; kp = kp->next)
		if (kp->local == local && kp->peer == peer)
			return kp;
	return NULL;
}

static struct ike_peer *
peer_get(struct ike *ike, uint32_t local, uint32_t peer)
{
	struct ike_peer *kp = peer_find(ike, local, peer);

	if (kp != NULL || (kp = calloc(1, sizeof(*kp))) == NULL)
		return kp;
	kp->local = local;
	kp->peer = peer;
	kp->next = ike->peers;
	ike->peers = kp;
	return kp;
}

static int
peer_tie(struct ike_peer *kp, struct ike_sa *sa)
{
	for (size_t i = 0; i < IKE_PEER_SAS; i++) {
		if (kp->sas[i] == NULL) {
			kp->sas[i] = sa;
			sa->kp = kp;
			return 0;
		}
	}
	return -1;
}

static void
queue_drop(struct ike *ike, struct ike_peer *kp)
{
	while (kp->q != NULL) {
		struct ike_peer_msg *m = kp->q;

		kp->q = m->next;
		OPENSSL_cleanse(m->p, m->len);
		free(m);
		ike->cnt.coop_unsent++;
	}
	kp->qtail = NULL;
	kp->nq = 0;
}

static void
queue_add(struct ike *ike, struct ike_peer *kp, const uint8_t *p, size_t len)
{
	struct ike_peer_msg *m;

	if (kp->nq >= IKE_PEER_QUEUE || (m = malloc(sizeof(*m) + len)) == NULL) {
		ike->cnt.coop_unsent++;
		return;
	}
	m->next = NULL;
	m->len = len;
	memcpy(m->p, p, len);
	if (kp->qtail != NULL)
		kp->qtail->next = m;
	else
		kp->q = m;
	kp->qtail = m;
	kp->nq++;
}

static uint32_t
initiator_of(const struct ike_sa *sa)
{
	return p1_sa_initiator(sa->p1) ? sa->local : sa->peer;
}

static uint32_t
lower_of(const struct ike_peer *kp)
{
	return ntohl(kp->local) < ntohl(kp->peer) ? kp->local : kp->peer;
}

/* The SA messages leave on: the lower address's, else the newest. */
static struct ike_sa *
peer_best(const struct ike_peer *kp)
{
	struct ike_sa *best = NULL;

	for (size_t i = 0; i < IKE_PEER_SAS; i++) {
		struct ike_sa *sa = kp->sas[i];

		if (sa == NULL || !sa->established || sa->retired)
			continue;
		if (initiator_of(sa) == lower_of(kp))
			return sa;
		if (best == NULL || sa->up_ms > best->up_ms)
			best = sa;
	}
	return best;
}

/* A writer of its own: a COOP message may leave while ike->out holds
 * a reply being built (a registration tells COOP of its member). */
static void
seal_send(struct ike *ike, struct ike_sa *sa, const uint8_t *p, size_t len)
{
	struct buf_writer w;

	buf_writer_init(&w);
	if (coop_sa_seal(sa->p1, p, len, &w) == 0)
		ike_send(ike, sa, buf_data(&w), buf_len(&w));
	else
		ike->cnt.coop_unsent++;
	buf_writer_free(&w);
}

/* Does an SA of the pair exist that is not up yet (ours or its)? */
static bool
negotiating(const struct ike_peer *kp)
{
	for (size_t i = 0; i < IKE_PEER_SAS; i++)
		if (kp->sas[i] != NULL && !kp->sas[i]->established)
			return true;
	return false;
}

/* Start Main Mode with the peer unless one runs or failed lately. */
static void
peer_connect(struct ike *ike, struct ike_peer *kp)
{
	struct ike_sa *sa;

	if (negotiating(kp) || ev_now(ike->loop) < kp->retry_ms)
		return;
	sa = ike_sa_initiate_to(ike, kp->local, kp->peer, ike->port);
	if (sa == NULL || peer_tie(kp, sa) < 0) {
		if (sa != NULL)
			ike_sa_destroy(sa);
		log_fail(ike, kp, "no ISAKMP policy or key for it");
		kp->retry_ms = ev_now(ike->loop) + IKE_PEER_RETRY_MS;
		queue_drop(ike, kp);
	}
}

/* When the SA in use is to be replaced: a share of its lifetime. */
static uint64_t
rekey_at(const struct ike_peer *kp, const struct ike_sa *sa)
{
	const struct p1_suite *s = p1_sa_suite(sa->p1);
	uint64_t life_ms = s != NULL ? (uint64_t)s->lifetime * 1000 : 0;
	unsigned pct = kp->local == lower_of(kp) ? IKE_PEER_REKEY_PCT
						 : IKE_PEER_REKEY_LATE_PCT;

	return sa->up_ms + life_ms / 100 * pct;
}

static void rekey_arm(struct ike *ike, struct ike_peer *kp);

static void
on_rekey(void *arg)
{
	struct ike_peer *kp = arg;
	struct ike_sa *sa = peer_best(kp);
	struct ike *ike;

	if (sa == NULL)
		return;
	ike = sa->ike;
	if (ev_now(ike->loop) >= rekey_at(kp, sa))
		peer_connect(ike, kp);
	else
		rekey_arm(ike, kp);
}

static void
rekey_arm(struct ike *ike, struct ike_peer *kp)
{
	struct ike_sa *sa = peer_best(kp);
	uint64_t now = ev_now(ike->loop), at;

	if (sa == NULL)
		return;
	at = rekey_at(kp, sa);
	ev_timer(ike->loop, at > now ? at - now : 0, on_rekey, kp,
		 &kp->t_rekey);
}

int
ike_coop_send(struct ike *ike, uint32_t local, uint32_t peer,
	      const uint8_t *chain, size_t len)
{
	struct ike_peer *kp = peer_get(ike, local, peer);
	struct ike_sa *sa;

	if (kp == NULL)
		return -1;
	sa = peer_best(kp);
	if (sa != NULL) {
		seal_send(ike, sa, chain, len);
		return 0;
	}
	if (ev_now(ike->loop) < kp->retry_ms) {
		ike->cnt.coop_unsent++;
		return -1;
	}
	queue_add(ike, kp, chain, len);
	peer_connect(ike, kp);
	return 0;
}

bool
ike_coop_sa_up(const struct ike *ike, uint32_t local, uint32_t peer)
{
	const struct ike_peer *kp = peer_find(ike, local, peer);

	return kp != NULL && peer_best(kp) != NULL;
}

static void
on_retired(void *arg)
{
	ike_sa_delete(arg);
}

/* sa, up now, replaces the SAs of the pair up before it began (they are
 * retired: no message leaves on them, and they go after a grace), and on
 * the lower address a concurrent one the peer initiated (deleted now:
 * the peer sends on ours already).  See the top of the file. */
static void
replace_older(struct ike_peer *kp, struct ike_sa *sa)
{
	struct ike_sa *dup[IKE_PEER_SAS];
	bool lower_ours = kp->local == lower_of(kp) &&
			  initiator_of(sa) == kp->local;
	size_t n = 0;

	for (size_t i = 0; i < IKE_PEER_SAS; i++) {
		struct ike_sa *o = kp->sas[i];

		if (o == NULL || o == sa || !o->established || o->retired)
			continue;
		if (o->up_ms < sa->created_ms) {
			o->retired = true;
			ev_timer(sa->ike->loop, IKE_PEER_GRACE_MS, on_retired,
				 o, &o->t_linger);
		} else if (lower_ours && initiator_of(o) != kp->local) {
			dup[n++] = o;
		}
	}
	for (size_t i = 0; i < n; i++)
		ike_sa_delete(dup[i]);
}

static void
queue_flush(struct ike *ike, struct ike_peer *kp, struct ike_sa *sa)
{
	while (kp->q != NULL) {
		struct ike_peer_msg *m = kp->q;

		kp->q = m->next;
		seal_send(ike, sa, m->p, m->len);
		OPENSSL_cleanse(m->p, m->len);
		free(m);
	}
	kp->qtail = NULL;
	kp->nq = 0;
}

void
ike_peer_sa_up(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_peer *kp = sa->kp;
	struct ike_sa *best;

	if (kp == NULL) {	/* a responder's: a member, or a peer */
		if (!configured(ike, sa->local, sa->peer) ||
		    (kp = peer_get(ike, sa->local, sa->peer)) == NULL ||
		    peer_tie(kp, sa) < 0)
			return;
	}
	sa->up_ms = ev_now(ike->loop);
	kp->retry_ms = 0;
	kp->logged_ms = 0;
	gdoi_log(GDOI_MSG_COOP_KS_IKE_UP, LOG_IP4(kp->peer),
		 LOG_IP4(kp->local));
	replace_older(kp, sa);
	/* the lower address's SA came up after ours: it keeps its own */
	if (!p1_sa_initiator(sa->p1) && kp->local == lower_of(kp)) {
		best = peer_best(kp);
		if (best != NULL && best != sa && initiator_of(best) == kp->local &&
		    best->up_ms >= sa->created_ms) {
			ike_sa_delete(sa);
			return;
		}
	}
	if ((best = peer_best(kp)) != NULL)
		queue_flush(ike, kp, best);
	rekey_arm(ike, kp);
}

/* A notify that ended Main Mode (sent or received), as a reason. */
static const char *
notify_reason(uint16_t type)
{
	switch (type) {
	case 0:
		return NULL;
	case ISAKMP_N_NO_PROPOSAL_CHOSEN:
		return "no ISAKMP policy in common";
	default:	/* message 5 or 6 refused: wrong keys garble it */
		return "authentication failed (pre-shared key or certificate "
		       "mismatch?)";
	}
}

/* Why a Main Mode of ours with a peer ended before it came up (the
 * peer's own join the pair only once up, so only ours fail here). */
static const char *
fail_reason(const struct ike_sa *sa)
{
	const char *n = notify_reason(p1_sa_notify_rcvd(sa->p1));

	if (n != NULL || (n = notify_reason(p1_sa_notify_sent(sa->p1))))
		return n;
	switch (p1_sa_state(sa->p1)) {
	case P1_STATE_I_SA_SENT:
		return "no answer to Main Mode message 1 (peer down or not "
		       "listening?)";
	case P1_STATE_I_KE_SENT:
		return "no answer to Main Mode message 3";
	case P1_STATE_I_AUTH_SENT:
		return "no valid answer to Main Mode message 5 (pre-shared "
		       "key or certificate mismatch?)";
	default:
		return "Phase 1 failed";
	}
}

/* Once a minute per pair at most: a misconfigured pair retries every
 * IKE_PEER_RETRY_MS from both ends. */
static void
log_fail(struct ike *ike, struct ike_peer *kp, const char *why)
{
	uint64_t now = ev_now(ike->loop);

	if (kp->logged_ms != 0 && now - kp->logged_ms < IKE_PEER_LOG_MS)
		return;
	kp->logged_ms = now;
	gdoi_log_limited(now, GDOI_MSG_COOP_KS_IKE_FAIL, LOG_IP4(kp->peer),
			 LOG_IP4(kp->local), why);
}

void
ike_peer_sa_gone(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_peer *kp = sa->kp;

	for (size_t i = 0; i < IKE_PEER_SAS; i++)
		if (kp->sas[i] == sa)
			kp->sas[i] = NULL;
	sa->kp = NULL;
	/* a peer under registration load asks us to start again (doc/gdoi.md
	 * "Registration under attack"): the next message does, at once */
	if (sa->established ||
	    p1_sa_notify_rcvd(sa->p1) == ISAKMP_N_INVALID_COOKIE)
		return;
	ike->cnt.coop_p1_failed++;
	log_fail(ike, kp, fail_reason(sa));
	kp->retry_ms = ev_now(ike->loop) + IKE_PEER_RETRY_MS;
	queue_drop(ike, kp);
}

static void
input_drop(struct ike *ike, uint32_t from, uint32_t local, const char *why,
	   unsigned long *counter)
{
	(*counter)++;
	gdoi_log_limited(ev_now(ike->loop), GDOI_MSG_COOP_KS_IKE_DROP,
			 LOG_IP4(from), LOG_IP4(local), why);
}

/* No SA under those cookies: counted; a configured peer we hold no SA
 * with gets a fresh Main Mode (it kept an SA we lost). */
static void
input_no_sa(struct ike *ike, uint32_t local, uint32_t from)
{
	struct ike_peer *kp;

	input_drop(ike, from, local, "no ISAKMP SA under its cookies",
		   &ike->cnt.coop_no_sa);
	if (!configured(ike, local, from) ||
	    (kp = peer_get(ike, local, from)) == NULL || peer_best(kp) != NULL)
		return;
	peer_connect(ike, kp);
}

void
ike_peer_input(struct ike *ike, struct ike_sa *sa, uint32_t local,
	       uint32_t from, const uint8_t *p, size_t len)
{
	struct ike_dgram d = { .from = from, .local = local };
	struct buf_writer chain;
	enum coop_sa_err e;

	if (sa == NULL || !sa->established) {
		input_no_sa(ike, local, from);
		return;
	}
	if (!configured(ike, sa->local, from)) {
		input_drop(ike, from, local, "its ISAKMP SA is not a configured "
			   "COOP peer's", &ike->cnt.coop_unconf);
		return;
	}
	if (sa->kp == NULL) {	/* the peer was configured after it came up */
		struct ike_peer *kp = peer_get(ike, sa->local, from);

		if (kp != NULL && peer_tie(kp, sa) == 0)
			sa->up_ms = ev_now(ike->loop);
	}
	buf_writer_init(&chain);
	e = coop_sa_open(sa->p1, p, len, &chain);
	if (e != COOP_SA_OK) {
		input_drop(ike, from, local, coop_sa_err_name(e),
			   e == COOP_SA_HASH ? &ike->cnt.coop_bad_hash
					     : &ike->cnt.coop_malformed);
	} else if (ike->rekey_ops != NULL && ike->rekey_ops->coop != NULL) {
		d.port = sa->peer_port;
		d.p = buf_data(&chain);
		d.len = buf_len(&chain);
		ike->rekey_ops->coop(ike->rekey_arg, &d);
	}
	if (buf_len(&chain) > 0)
		OPENSSL_cleanse(buf_ptr(&chain, 0, buf_len(&chain)),
				buf_len(&chain));
	buf_writer_free(&chain);
}

/* The pair's record goes; its SAs stay (deleted: with a Delete). */
static void
peer_free(struct ike *ike, struct ike_peer *kp, bool delete)
{
	for (size_t i = 0; i < IKE_PEER_SAS; i++) {
		struct ike_sa *sa = kp->sas[i];

		if (sa == NULL)
			continue;
		kp->sas[i] = NULL;
		sa->kp = NULL;
		if (delete)
			ike_sa_delete(sa);
	}
	queue_drop(ike, kp);
	ev_timer_cancel(&kp->t_rekey);
	free(kp);
}

void
ike_peer_free(struct ike *ike)
{
	while (ike->peers != NULL) {
		struct ike_peer *kp = ike->peers;

		ike->peers = kp->next;
		peer_free(ike, kp, false);
	}
}

void
ike_peers_prune(struct ike *ike)
{
	for (struct ike_peer **pp = &ike->peers; *pp != NULL;) {
		struct ike_peer *kp = *pp;

		if (configured(ike, kp->local, kp->peer)) {
			pp = &kp->next;
			continue;
		}
		*pp = kp->next;
		peer_free(ike, kp, true);
	}
}
