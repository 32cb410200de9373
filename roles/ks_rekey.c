/*
 * ks_rekey: a key server group's key lifecycle on the event loop and the
 * GROUPKEY-PUSH rekeys it sends (RFC 6407 §4), with RFC 8263 ACKs for
 * unicast rekeys.  Decisions (doc/keyserver.md):
 *   - one datagram per rekey, signed once, the same octets to every
 *     member (unicast) or once to the group address (multicast);
 *   - retransmissions every `rekey retransmit` period, `number` times,
 *     to the members that have not ACKed (multicast: to the group);
 *   - a unicast member with no ACK for KS_ACK_MISSES_EJECT rekeys in a
 *     row leaves the rekey list (it must register again);
 *   - SEQ rises by one per rekey under a KEK; the KEK rollover goes out
 *     under the old KEK, later rekeys under the new one from SEQ 1.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/push.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/secmem.h"
#include "roles/gdoi_log.h"
#include "roles/ike.h"
#include "roles/keystore.h"
#include "roles/ks_int.h"
#include "roles/members.h"

static void on_tek(void *arg);
static void on_kek(void *arg);
static void on_old(void *arg);
static void on_retx(void *arg);

static void
arm_at(struct ks_group *g, uint64_t at_ms, void (*cb)(void *),
       struct ev_timer **h)
{
	uint64_t now = ks_now(g);

	if (at_ms == UINT64_MAX) {
		ev_timer_cancel(h);
		return;
	}
	ev_timer(g->ks->loop, at_ms > now ? at_ms - now : 0, cb, g, h);
}

void
ks_rekey_arm(struct ks_group *g)
{
	const struct ks_gen *s = &g->gen;
	uint64_t old_end = s->old.used ? s->old.end_ms : UINT64_MAX;

	if (!ks_coop_may_rekey(g))
		return;		/* the COOP primary rekeys (doc/coop.md) */

	arm_at(g, s->cur.used ? ks_gen_tek_rekey_ms(s) : UINT64_MAX, on_tek,
	       &g->t_tek);
	arm_at(g, ks_gen_kek_rekey_ms(s), on_kek, &g->t_kek);
	arm_at(g, old_end, on_old, &g->t_old);
}

static void
rekey_forget(struct ks_rekey *rk)
{
	rk->active = false;
	OPENSSL_cleanse(&rk->kek, sizeof(rk->kek));
}

void
ks_rekey_stop(struct ks_group *g)
{
	ev_timer_cancel(&g->t_tek);
	ev_timer_cancel(&g->t_kek);
	ev_timer_cancel(&g->t_old);
	ev_timer_cancel(&g->t_retx);
	ev_timer_cancel(&g->t_batch);
	rekey_forget(&g->rk);
}

static void
seq_push(uint32_t v[4], uint32_t seq)
{
	memmove(&v[1], &v[0], 3 * sizeof(v[0]));
	v[0] = seq;
}

static bool
in_rekey_list(const struct ks_group *g, const struct member *m)
{
	return m->state != MEMBER_EJECTED &&
	       !(g->rk.local_only && member_redundant(m));
}

/* ACKs clock the copies out (KS_UNICAST_WINDOW) when the KEK asks for
 * them. */
static bool
window_full(const struct ks_group *g)
{
	return g->rk.kek.ack != PUSH_ACK_NONE &&
	       g->rk.inflight >= KS_UNICAST_WINDOW;
}

static void
member_send(struct ks_group *g, struct member *m)
{
	if (ike_send_to(g->ks->ike, m->ks_addr, m->addr, m->port,
			buf_data(&g->rk.msg), buf_len(&g->rk.msg)) == 0)
		g->ks->rekey_tx++;
	g->rk.inflight++;
}

static void on_batch(void *arg);

/* No ACK for a while with the window full: those copies count as lost. */
static void
on_stall(void *arg)
{
	struct ks_group *g = arg;

	g->rk.inflight = 0;
	on_batch(g);
}

/* The pending unicast copies, KS_UNICAST_BATCH per loop turn while the
 * window has room. */
static void
on_batch(void *arg)
{
	struct ks_group *g = arg;
	struct member *m = g->rk.cursor ? members_find(g->members,
						       g->rk.cursor) : NULL;
	unsigned n = 0;

	g->rk.stalled = false;
	if (m == NULL)
		m = members_first(g->members);
	for (; m != NULL && n < KS_UNICAST_BATCH && !window_full(g);
	     m = m->next) {
		if (!m->tx_pending)
			continue;
		m->tx_pending = false;
		member_send(g, m);
		n++;
	}
	g->rk.cursor = m != NULL ? m->addr : 0;
	if (m == NULL)
		return;
	g->rk.stalled = window_full(g);
	ev_timer(g->ks->loop, g->rk.stalled ? KS_UNICAST_STALL_MS : 0,
		 g->rk.stalled ? on_stall : on_batch, g, &g->t_batch);
}

/* An ACK came back: room for the next copies. */
static void
window_ack(struct ks_group *g)
{
	if (g->rk.inflight > 0)
		g->rk.inflight--;
	if (g->rk.stalled && g->rk.inflight <= KS_UNICAST_WINDOW / 2) {
		ev_timer_cancel(&g->t_batch);
		g->rk.stalled = false;
		ev_timer(g->ks->loop, 0, on_batch, g, &g->t_batch);
	}
}

/* Send (or resend) the rekey in g->rk to whoever still needs it. */
static void
transmit(struct ks_group *g, bool first)
{
	const struct gdoi_kek *k = &g->rk.kek;

	if (g->rc.multicast) {
		if (ike_send_mcast(g->ks->ike, k->src, k->dst,
				   ike_port(g->ks->ike), buf_data(&g->rk.msg),
				   buf_len(&g->rk.msg), g->rc.ttl) == 0)
			g->ks->rekey_tx++;
		return;
	}
	for (struct member *m = members_first(g->members); m; m = m->next) {
		m->tx_pending = false;
		if (!in_rekey_list(g, m) || (!first && m->acked))
			continue;
		if (first) {
			m->acked = false;
			m->rekeys_sent++;
			seq_push(m->sent_seq, g->rk.seq);
		} else {
			m->rekey_retries++;
		}
		m->tx_pending = true;
	}
	g->rk.cursor = 0;
	g->rk.inflight = 0;
	ev_timer_cancel(&g->t_batch);
	on_batch(g);
}


static void
log_sent(const struct ks_group *g)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &g->rk.kek.src, s, sizeof(s));
	inet_ntop(AF_INET, &g->rk.kek.dst, d, sizeof(d));
	if (g->rc.multicast)
		gdoi_log(GDOI_MSG_KS_SEND_MCAST_REKEY, g->name, s, d,
			 g->rk.seq);
	else
		gdoi_log(GDOI_MSG_KS_SEND_UNICAST_REKEY, g->name, s, g->rk.seq);
}

/* The rekey's retransmissions are over: count who did not ACK.  A
 * rekey superseded by the next one before that is not held against
 * anyone (the next carries what it did; RFC 8263 §6: no ACK is missing
 * before its time). */
static void
rekey_finish(struct ks_group *g, bool superseded)
{
	struct member *next;

	if (!g->rk.active)
		return;
	ev_timer_cancel(&g->t_retx);
	ev_timer_cancel(&g->t_batch);
	g->rk.retx_last = g->rk.retx_done;
	for (struct member *m = g->rc.multicast || superseded ? NULL
	     : members_first(g->members); m; m = next) {
		next = m->next;
		if (!in_rekey_list(g, m) || m->acked)
			continue;
		m->acks_missed++;
		gdoi_log(GDOI_MSG_KS_ACK_MISSING, LOG_IP4(m->addr), g->name);
		if (++m->acks_missed_run >= KS_ACK_MISSES_EJECT) {
			m->state = MEMBER_EJECTED;
			gdoi_log(GDOI_MSG_KS_NACK_GM_EJECT, LOG_IP4(m->addr),
				 g->name);
			ks_persist_member(g, m);
		}
	}
	rekey_forget(&g->rk);
}

static void
on_retx(void *arg)
{
	struct ks_group *g = arg;

	if (!g->rk.active)
		return;
	if (g->rk.retx_done >= g->rc.retx_number) {
		rekey_finish(g, false);
		return;
	}
	g->rk.retx_done++;
	transmit(g, false);
	ev_timer(g->ks->loop, (uint64_t)g->rc.retx_period_s * 1000, on_retx, g,
		 &g->t_retx);
}

/* Build and sign the datagram into g->rk.msg, protected by prot. */
static int
build(struct ks_group *g, struct ks_kekgen *prot, bool with_kek,
      const struct push_delete *del, size_t ndel)
{
	const struct rsakey *key = ks_signer_for(g, g->ks->keys, &prot->kek);
	struct gdoi_policy *p = secmem_calloc(sizeof(*p));
	struct push_msg m = { .del = del, .ndel = ndel };
	int rc = -1;

	if (p == NULL || key == NULL)
		goto out;
	ks_gen_push_policy(&g->gen, ks_now(g), with_kek, p);
	m.seq = prot->seq + 1;
	m.policy = ndel == 0 || with_kek ? p : NULL;	/* Deletes alone */
	rc = push_build(&prot->kek, key, RSAKEY_SIG_PKCS1, &m, &g->rk.msg);
	if (rc == 0) {
		prot->seq = m.seq;
		g->ks->signatures++;
	}
out:
	if (p != NULL)
		gdoi_policy_wipe(p);
	secmem_free(p);
	return rc;
}

static int
rekey_send(struct ks_group *g, bool with_kek, const struct push_delete *del,
	   size_t ndel, bool local_only)
{
	struct ks_gen *s = &g->gen;
	struct ks_kekgen *prot = with_kek && s->old_kek.used ? &s->old_kek
							     : &s->kek;

	if (!prot->used)
		return -1;	/* no `rekey authentication`: no rekeys */
	rekey_finish(g, true);
	g->rk.local_only = local_only;
	ks_persist_seq(g, prot);	/* the SEQ it uses is on disk first */
	if (build(g, prot, with_kek, del, ndel) < 0) {
		g->rekeys_refused++;
		log_warnx("group %s: rekey not built (signing key %s)",
			  g->name, g->rc.rsa_label);
		return -1;
	}
	g->rk.active = true;
	g->rk.kek = prot->kek;
	g->rk.seq = prot->seq;
	g->rk.retx_done = 0;
	g->rk.acks = 0;
	g->rk.started_ms = ks_now(g);
	g->rk.expected = 0;
	for (const struct member *m = members_first(g->members); m; m = m->next)
		g->rk.expected += in_rekey_list(g, m);
	transmit(g, true);
	g->rekeys_sent++;
	log_sent(g);
	if (!g->rc.multicast && g->rk.expected == 0) {
		rekey_finish(g, false);	/* nobody to wait for */
		return 0;
	}
	ev_timer(g->ks->loop, (uint64_t)g->rc.retx_period_s * 1000, on_retx, g,
		 &g->t_retx);
	return 0;
}

int
ks_rekey_send(struct ks_group *g, bool with_kek, const struct push_delete *del,
	      size_t ndel)
{
	return rekey_send(g, with_kek, del, ndel, false);
}

int
ks_rekey_send_local(struct ks_group *g)
{
	return rekey_send(g, true, NULL, 0, true);
}

/* The members keep their sender IDs into a new TEK generation. */
void
ks_hold_member_sids(struct ks_group *g)
{
	for (const struct member *m = members_first(g->members); m; m = m->next)
		ks_gen_hold_sids(&g->gen, m->sid, m->nsid);
}

static void
on_tek(void *arg)
{
	struct ks_group *g = arg;

	if (ks_gen_new_teks(&g->gen, ks_now(g)) < 0) {
		log_warnx("group %s: no random bytes for new TEKs", g->name);
		return;
	}
	ks_hold_member_sids(g);
	ks_persist_save(g);
	ks_rekey_send(g, false, NULL, 0);
	ks_rekey_arm(g);
}

static void
on_kek(void *arg)
{
	struct ks_group *g = arg;

	if (ks_gen_new_kek(&g->gen, ks_now(g)) < 0) {
		log_warnx("group %s: no random bytes for a new KEK", g->name);
		return;
	}
	ks_persist_save(g);
	ks_rekey_send(g, true, NULL, 0);
	ks_rekey_arm(g);
}

static void
on_old(void *arg)
{
	struct ks_group *g = arg;

	ks_gen_drop_old(&g->gen);
}

/* The group whose last rekey went out under these cookies. */
static struct ks_group *
group_of_ack(struct ks *ks, const struct push_ack *a)
{
	for (struct ks_group *g = ks->head; g; g = g->next)
		if (g->rk.active && !g->rc.multicast &&
		    CRYPTO_memcmp(g->rk.kek.spi, a->spi, sizeof(a->spi)) == 0)
			return g;
	return NULL;
}

static void
ack_accept(struct ks_group *g, struct member *m)
{
	m->acked = true;
	m->acks_rcvd++;
	m->acks_missed_run = 0;
	seq_push(m->rcvd_seq, g->rk.seq);
	g->rk.acks++;
	if (g->rk.acks < g->rk.expected) {
		window_ack(g);
		return;
	}
	g->rk.duration_ms = ks_now(g) - g->rk.started_ms;
	rekey_finish(g, false);
}

/*
 * RFC 8263 §5: checks cheapest first (form, cookies, SEQ, member, already
 * ACKed), then HASH; drops are counted, never answered.
 */
void
ks_ack_input(struct ks *ks, uint32_t peer, const uint8_t *p, size_t len)
{
	struct push_ack a;
	struct ks_group *g;
	struct member *m;

	if (push_ack_open(p, len, &a) != PUSH_OK ||
	    (g = group_of_ack(ks, &a)) == NULL || a.seq != g->rk.seq ||
	    (m = members_find(g->members, peer)) == NULL || m->acked ||
	    push_ack_verify(&a, &g->rk.kek) != PUSH_OK) {
		ks->acks_dropped++;
		log_dbg(LOG_DBG_GDOI_KS, "rekey ACK from %08x dropped",
			ntohl(peer));
		return;
	}
	if (a.gm_addr != peer)
		log_dbg(LOG_DBG_GDOI_KS, "rekey ACK names %08x, came from %08x",
			ntohl(a.gm_addr), ntohl(peer));
	ack_accept(g, m);
}
