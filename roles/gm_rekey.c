/*
 * gm_rekey: a group member receiving GROUPKEY-PUSH (RFC 6407 §4.4, §7.3;
 * RFC 8263 §4; doc/rekey.md).
 *
 *   datagram --source is a KS of the group?--> push_open (gdoi/push.h)
 *     --> ACK built under the KEK that opened it (sent once applied)
 *     --> Deletes: TEK SAs removed, KEKs retired; nothing left: register
 *     --> new KEK: rekeys under it from now, the old one kept
 *         GM_REKEY_KEK_GRACE_S for copies still in flight
 *     --> new TEKs: inbound SAs at once; after the activation delay the
 *         policies move to them (outbound); the replaced SAs stay until
 *         their deactivation (roles/gm_switch.c)
 *
 * A refused datagram changes nothing but a counter (and a rate-limited
 * log line).  Times: GAP ATD/DTD when the key server sends them,
 * otherwise GM_REKEY_ATD_DEFAULT_S and the replaced TEKs' own end.
 */
#include "roles/gm_rekey.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/buf.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/secmem.h"
#include "roles/gdoi_log.h"
#include "roles/gm_int.h"
#include "roles/ike.h"

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

struct gm_rekey *
gm_rekey_new(void)
{
	struct gm_rekey *rk = secmem_calloc(sizeof(*rk));

	if (rk != NULL)
		push_rx_init(&rk->rx);
	return rk;
}

void
gm_rekey_free(struct gm_rekey *rk)
{
	if (rk == NULL)
		return;
	push_rx_free(&rk->rx);
	gdoi_policy_wipe(&rk->next);
	secmem_free(rk);	/* wiped */
}

uint64_t
gm_rekey_lead_ms(uint32_t life_s)
{
	uint32_t lead = life_s / 2 < GM_REKEY_LEAD_S ? life_s / 2
						      : GM_REKEY_LEAD_S;

	return (uint64_t)lead * 1000;
}

/* ---- multicast ---- */

static bool
is_multicast(uint32_t a)
{
	return (ntohl(a) >> 28) == 0xe;
}

static void
mcast_follow(struct gm_group *gm, uint32_t dst)
{
	struct gm_rekey *rk = gm->rk;
	char err[160], g[INET_ADDRSTRLEN];

	if (!is_multicast(dst))
		dst = 0;
	if (dst == rk->mcast)
		return;
	if (rk->mcast != 0)
		ike_leave(gm->ike, rk->mcast);
	rk->mcast = 0;
	if (dst == 0)
		return;
	if (ike_join(gm->ike, dst, gm->local, err, sizeof(err)) < 0) {
		log_warnx("group %s: multicast rekeys to %s: %s", gm->name,
			  ip(dst, g), err);
		return;
	}
	rk->mcast = dst;
}

static void
on_kek_retire(void *arg)
{
	struct gm_group *gm = arg;

	push_rx_retire(&gm->rk->rx, NULL);
}

/* A new KEK: true when taken (its lifetime counts from now). */
static bool
receive_kek(struct gm_group *gm, const struct gdoi_kek *kek)
{
	struct gm_rekey *rk = gm->rk;
	char spi[2 * GDOI_KEK_SPI_LEN + 1];

	if (push_rx_set_kek(&rk->rx, kek, 0) < 0)
		return false;
	gm_rebase(gm);
	gm->policy.kek = *kek;
	gm->policy.has_kek = true;
	ev_timer(gm->loop, (uint64_t)GM_REKEY_KEK_GRACE_S * 1000,
		 on_kek_retire, gm, &rk->t_kek_retire);
	mcast_follow(gm, kek->dst);
	for (size_t i = 0; i < GDOI_KEK_SPI_LEN; i++)
		snprintf(spi + 2 * i, 3, "%02X", kek->spi[i]);
	gdoi_log(GDOI_MSG_SA_KEK_UPDATED, spi);
	return true;
}

/* spi NULL: every KEK */
static void
retire_kek(struct gm_rekey *rk, const uint8_t *spi)
{
	const struct push_rx_kek *cur = push_rx_current(&rk->rx);
	uint8_t s[GDOI_KEK_SPI_LEN];

	if (spi != NULL) {
		push_rx_retire(&rk->rx, spi);
		return;
	}
	push_rx_retire(&rk->rx, NULL);
	if (cur != NULL) {
		memcpy(s, cur->kek.spi, sizeof(s));
		push_rx_retire(&rk->rx, s);
	}
}

/* RFC 6407 §5.9.  True when nothing is left to protect with or to rekey
 * under: the member registers again. */
static bool
apply_deletes(struct gm_group *gm, const struct push_in *m)
{
	struct gm_rekey *rk = gm->rk;
	static const uint8_t all[GDOI_KEK_SPI_LEN];

	for (size_t i = 0; i < m->ndel; i++) {
		const struct push_delete *d = &m->del[i];

		rk->deletes++;
		if (d->proto == PUSH_DEL_KEK) {
			retire_kek(rk, memcmp(d->kek_spi, all, sizeof(all))
				   ? d->kek_spi : NULL);
			continue;
		}
		for (size_t j = 0; j < d->nspi; j++)
			gm_switch_delete(gm, d->spi[j]);
	}
	if (m->ndel > 0)
		gdoi_log(GDOI_MSG_GM_RECV_DELETE, gm->name);
	return m->ndel > 0 && (gm->policy.ntek == 0 ||
			       push_rx_current(&rk->rx) == NULL);
}

/* ---- receiving ---- */

bool
gm_group_owns_kek(const struct gm_group *gm, const uint8_t *spi)
{
	return push_rx_find(&gm->rk->rx, spi) != NULL;
}

/* A key server of the group: one of the list, or a KEK's SAK source. */
bool
gm_group_expects_rekey_from(const struct gm_group *gm, uint32_t addr)
{
	for (size_t i = 0; i < gm->nservers; i++)
		if (gm->servers[i] == addr)
			return true;
	for (size_t i = 0; i < PUSH_RX_KEKS; i++)
		if (gm->rk->rx.kek[i].used && gm->rk->rx.kek[i].kek.src == addr)
			return true;
	return false;
}

/* The ACK of m under the KEK that opened it, into w (empty: none). */
static void
build_ack(struct gm_group *gm, const uint8_t *spi, uint32_t seq,
	  struct buf_writer *w)
{
	const struct push_rx_kek *k = push_rx_find(&gm->rk->rx, spi);

	if (k != NULL && k->kek.ack != PUSH_ACK_NONE)
		push_ack_build(&k->kek, spi, seq, gm->local, w);
}

static void
send_ack(struct gm_group *gm, const struct ike_dgram *d,
	 const struct buf_writer *w)
{
	if (buf_len(w) > 0 &&
	    ike_send_to(gm->ike, gm->local, d->from, d->port, buf_data(w),
			buf_len(w)) == 0)
		gm->rk->acks++;
}

static void
dropped(struct gm_group *gm, const struct ike_dgram *d, const char *why)
{
	char a[INET_ADDRSTRLEN];

	gdoi_log_limited(ev_now(gm->loop), GDOI_MSG_GM_REKEY_DROP, gm->name,
			 ip(d->from, a), why);
}

/* A copy of a rekey we took: the key server may have missed our ACK. */
static void
duplicate(struct gm_group *gm, const struct ike_dgram *d,
	  const struct push_in *m)
{
	struct gm_rekey *rk = gm->rk;

	rk->drop[PUSH_ERR_DUPLICATE]++;
	if (m->seq != rk->reack_seq) {
		rk->reack_seq = m->seq;
		rk->reacks = 0;
	}
	if (rk->reacks < GM_REKEY_MAX_REACK) {
		struct buf_writer w;

		rk->reacks++;
		buf_writer_init(&w);
		build_ack(gm, m->spi, m->seq, &w);
		send_ack(gm, d, &w);
		buf_writer_free(&w);
	}
}

static void
applied(struct gm_group *gm, const struct ike_dgram *d, const struct push_in *m)
{
	struct gm_rekey *rk = gm->rk;
	char from[INET_ADDRSTRLEN], to[INET_ADDRSTRLEN];

	rk->total++;
	rk->since_reg++;
	rk->last_from = d->from;
	rk->last_seq = m->seq;
	rk->last_ms = ev_now(gm->loop);
	gm->policy.seq = m->seq;
	gdoi_log(GDOI_MSG_GM_RECV_REKEY, gm->name, ip(d->from, from),
		 ip(d->local, to), m->seq);
}

/* RFC 6407 §4.4: Deletes, then the SA: a KEK, then TEKs. */
static enum gm_push
apply(struct gm_group *gm, const struct push_in *m)
{
	const struct gdoi_policy *in = &m->policy;
	bool kek;

	if (m->ndel > 0 && apply_deletes(gm, m))
		return GM_PUSH_REGISTER;
	if (!m->has_policy)
		return GM_PUSH_DONE;
	kek = in->has_kek && receive_kek(gm, &in->kek);
	return gm_switch_teks(gm, in) || kek ? GM_PUSH_REARM : GM_PUSH_DONE;
}

enum gm_push
gm_rekey_input(struct gm_group *gm, const struct ike_dgram *d)
{
	struct gm_rekey *rk = gm->rk;
	struct buf_writer ack;
	struct push_in m;
	enum push_err e;
	enum gm_push next;

	if (!gm_group_expects_rekey_from(gm, d->from)) {
		rk->drop_source++;
		dropped(gm, d, "not from a key server of the group");
		return GM_PUSH_DONE;
	}
	e = push_open(&rk->rx, d->p, d->len, &m);
	if (e == PUSH_ERR_DUPLICATE) {
		duplicate(gm, d, &m);
		return GM_PUSH_DONE;
	}
	if (e != PUSH_OK) {
		rk->drop[e]++;
		dropped(gm, d, push_err_name(e));
		return GM_PUSH_DONE;
	}
	/* RFC 8263 §4, §6: sent once processed, under the KEK that opened
	 * it, also when the rekey deletes that KEK */
	buf_writer_init(&ack);
	build_ack(gm, m.spi, m.seq, &ack);
	applied(gm, d, &m);
	next = apply(gm, &m);
	rk->reack_seq = m.seq;
	rk->reacks = 0;
	send_ack(gm, d, &ack);
	buf_writer_free(&ack);
	push_in_free(&m);
	return next;
}

/* ---- registration and reset ---- */

void
gm_rekey_registered(struct gm_group *gm)
{
	struct gm_rekey *rk = gm->rk;

	rk->since_reg = 0;
	if (!gm->policy.has_kek)
		return;
	if (push_rx_set_kek(&rk->rx, &gm->policy.kek, gm->policy.seq) < 0)
		log_warnx("group %s: the key server's rekey key does not "
			  "parse; rekeys will be refused", gm->name);
	mcast_follow(gm, gm->policy.kek.dst);
}

void
gm_rekey_missed(struct gm_group *gm)
{
	char ks[INET_ADDRSTRLEN];

	gm->rk->missed++;
	gdoi_log(GDOI_MSG_GM_REKEY_NOT_RECD, gm->name,
		 ip(gm->registered_with, ks));
}

void
gm_rekey_reset(struct gm_group *gm)
{
	struct gm_rekey *rk = gm->rk;

	if (rk == NULL)
		return;
	ev_timer_cancel(&rk->t_kek_retire);
	gm_switch_reset(gm);
	push_rx_free(&rk->rx);
	mcast_follow(gm, 0);
}
