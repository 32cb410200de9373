/*
 * ike_sa: the GDOI endpoint's Phase 1 SA table (see ike_int.h).  SAs
 * are found by initiator cookie and peer address, which both sides know
 * from message 1 on; established SAs we initiated also by address pair.
 * Responder SAs that have not reached message 5 are "half open" and
 * counted, in all and per peer.  This file makes SAs (initiator, and
 * responder for a message 1), retransmits an initiator's messages, and
 * removes SAs; it calls nothing above it: what the files above must
 * hear of (an SA gone) goes through ike->sa_gone.
 */
#include "roles/ike_int.h"

#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/info.h"
#include "platform/evloop.h"
#include "platform/hmap.h"
#include "platform/log.h"
#include "roles/gdoi_log.h"

/* Octets of an ISAKMP cookie, in hex. */
#define IKE_COOKIE_HEX 16

void
ike_sa_key(const uint8_t *icookie, uint32_t peer, char *key, size_t len)
{
	/* "icookie-hex/peer-hex", written by hand: it is made for every
	 * datagram, and snprintf showed in the registration profile */
	static const char hex[] = "0123456789abcdef";
	char k[IKE_COOKIE_HEX + 1 + 8 + 1];
	size_t n = 0;

	for (size_t i = 0; i < 8; i++) {
		k[n++] = hex[icookie[i] >> 4];
		k[n++] = hex[icookie[i] & 0x0f];
	}
	k[n++] = '/';
	for (int sh = 28; sh >= 0; sh -= 4)
		k[n++] = hex[(peer >> sh) & 0x0f];
	k[n++] = '\0';
	if (len >= n)
		memcpy(key, k, n);
	else if (len > 0)
		key[0] = '\0';
}

/*
 * Half-open responder SAs, in all and per peer address (the per-peer
 * count is asked for every message 1 under pressure: a walk of the SA
 * list, which holds every member of a storm, cost O(members) each).
 */
static void
peer_hex(uint32_t peer, char *k)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0, sh = 28; sh >= 0; sh -= 4)
		k[i++] = hex[(peer >> sh) & 0x0f];
	k[8] = '\0';
}

struct ike_sa *
ike_sa_get(const struct ike *ike, const char *key)
{
	return hmap_get(ike->by_cookie, key);
}

unsigned
ike_half_open_of(const struct ike *ike, uint32_t peer)
{
	char k[9];

	if (ike->half_open_by_peer == NULL)
		return 0;
	peer_hex(peer, k);
	return (unsigned)(uintptr_t)hmap_get(ike->half_open_by_peer, k);
}

static void
half_open_set(struct ike_sa *sa, bool on)
{
	struct ike *ike = sa->ike;
	uintptr_t n = ike_half_open_of(ike, sa->peer);
	char k[9];

	if (sa->half_open == on)
		return;
	if (ike->half_open_by_peer == NULL &&
	    (ike->half_open_by_peer = hmap_new()) == NULL)
		return;		/* the total still counts */
	sa->half_open = on;
	ike->cnt.half_open += on ? 1 : -1;
	n = on ? n + 1 : n - (n > 0);
	peer_hex(sa->peer, k);
	if (n == 0)
		hmap_del(ike->half_open_by_peer, k);
	else if (hmap_put(ike->half_open_by_peer, k, (void *)n) < 0)
		hmap_del(ike->half_open_by_peer, k);
}

/*
 * Established SAs we initiated, by address pair: a member looks here for
 * an SA to pull on, and the bench that plays 50,000 members in one
 * process must not walk every SA for it.  Without memory for the index
 * an SA is simply not reused (a new Phase 1 starts).
 */
static void
pair_key(uint32_t local, uint32_t peer, char *k)
{
	peer_hex(local, k);
	peer_hex(peer, k + 8);
}

static void
up_index(struct ike_sa *sa, bool on)
{
	struct ike *ike = sa->ike;
	struct ike_sa *head;
	char k[17];

	if (sa->up_indexed == on)
		return;
	pair_key(sa->local, sa->peer, k);
	if (!on) {
		if (sa->up_next != NULL)
			sa->up_next->up_prev = sa->up_prev;
		if (sa->up_prev != NULL)
			sa->up_prev->up_next = sa->up_next;
		else if (sa->up_next != NULL)
			(void)hmap_put(ike->up_by_pair, k, sa->up_next);
		else
			hmap_del(ike->up_by_pair, k);
		sa->up_prev = sa->up_next = NULL;
		sa->up_indexed = false;
		return;
	}
	if (ike->up_by_pair == NULL && (ike->up_by_pair = hmap_new()) == NULL)
		return;
	head = hmap_get(ike->up_by_pair, k);
	if (hmap_put(ike->up_by_pair, k, sa) < 0)
		return;
	sa->up_next = head;
	if (head != NULL)
		head->up_prev = sa;
	sa->up_indexed = true;
}

/*
 * The SA table.
 */
static struct ike_sa *
sa_new(struct ike *ike, struct p1_sa *p1, uint32_t local, uint32_t peer)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (sa == NULL)
		return NULL;
	sa->ike = ike;
	sa->p1 = p1;
	sa->local = local;
	sa->peer = peer;
	sa->peer_port = ike->port;
	sa->created_ms = ev_now(ike->loop);
	sa->heard_ms = sa->created_ms;
	ike_sa_key(p1_sa_icookie(p1), peer, sa->key, sizeof(sa->key));
	/* never two SAs under one key: the second would hide the first */
	if (hmap_get(ike->by_cookie, sa->key) != NULL ||
	    hmap_put(ike->by_cookie, sa->key, sa) < 0) {
		free(sa);
		return NULL;
	}
	sa->next = ike->sa_head;
	if (ike->sa_head != NULL)
		ike->sa_head->prev = sa;
	ike->sa_head = sa;
	ike->cnt.sas++;
	return sa;
}

static void
on_linger(void *arg)
{
	struct ike_sa *sa = arg;

	if (sa->reg == NULL)
		ike_sa_destroy(sa);
}

void
ike_sa_linger(struct ike_sa *sa, uint64_t ms)
{
	ev_timer(sa->ike->loop, ms, on_linger, sa, &sa->t_linger);
}

void
ike_sa_destroy(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	/* Out of every table first: its owners, told below, must not find
	 * this SA again. */
	hmap_del(ike->by_cookie, sa->key);
	if (sa->prev != NULL)
		sa->prev->next = sa->next;
	else
		ike->sa_head = sa->next;
	if (sa->next != NULL)
		sa->next->prev = sa->prev;
	up_index(sa, false);
	ev_timer_cancel(&sa->t_rtx);
	ev_timer_cancel(&sa->t_linger);
	ev_timer_cancel(&sa->t_dpd);
	ike->cnt.sas--;
	half_open_set(sa, false);
	if (ike->sa_gone != NULL)
		ike->sa_gone(sa);	/* its owners let go */
	p1_sa_free(sa->p1);
	free(sa);
}

/*
 * Initiator Phase 1 (group member to key server).
 */
uint64_t
ike_rtx_ms(unsigned rtx)
{
	uint64_t base = (uint64_t)IKE_RETRANSMIT_MS << rtx;
	uint64_t spread = base * IKE_RETRANSMIT_JITTER / 100;
	uint32_t r;

	if (crypto_random(&r, sizeof(r)) != 0)
		return base;
	return base - spread + r % (2 * spread + 1);
}

static void
p1_retransmit(void *arg)
{
	struct ike_sa *sa = arg;
	const uint8_t *last;
	size_t len;

	if (sa->established)
		return;
	if (sa->rtx >= IKE_RETRANSMITS) {
		sa->ike->cnt.p1_failed++;
		ike_sa_destroy(sa);	/* tells the registration */
		return;
	}
	sa->rtx++;
	sa->ike->cnt.retransmits++;
	last = p1_sa_last_sent(sa->p1, &len);
	ike_send(sa->ike, sa, last, len);
	ev_timer(sa->ike->loop, ike_rtx_ms(sa->rtx), p1_retransmit, sa,
		 &sa->t_rtx);
}

void
ike_sa_rtx_start(struct ike_sa *sa)
{
	sa->rtx = 0;
	ev_timer(sa->ike->loop, ike_rtx_ms(0), p1_retransmit, sa, &sa->t_rtx);
}

void
ike_sa_set_established(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	ev_timer_cancel(&sa->t_rtx);
	if (!sa->established) {
		ike->cnt.p1_up++;
		if (p1_sa_initiator(sa->p1))
			up_index(sa, true);
	}
	sa->established = true;
	half_open_set(sa, false);
}

struct ike_sa *
ike_sa_initiate(struct ike *ike, uint32_t local, uint32_t peer)
{
	return ike_sa_initiate_to(ike, local, peer, ike->remote_port);
}

struct ike_sa *
ike_sa_initiate_to(struct ike *ike, uint32_t local, uint32_t peer,
		   uint16_t port)
{
	struct p1_sa *p1;
	struct ike_sa *sa;

	if (ike_sock_for(ike, local) == NULL)
		return NULL;
	buf_writer_reset(&ike->out);
	p1 = p1_initiator_start(&ike->p1cfg, local, peer,
				ev_now(ike->loop), &ike->out);
	if (p1 == NULL)
		return NULL;
	sa = sa_new(ike, p1, local, peer);
	if (sa == NULL) {
		p1_sa_free(p1);
		return NULL;
	}
	sa->peer_port = port;
	ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
	ev_timer(ike->loop, ike_rtx_ms(0), p1_retransmit, sa, &sa->t_rtx);
	return sa;
}

struct ike_sa *
ike_sa_find_established(struct ike *ike, uint32_t local, uint32_t peer)
{
	char k[17];

	if (ike->up_by_pair == NULL)
		return NULL;
	pair_key(local, peer, k);
	for (struct ike_sa *sa = hmap_get(ike->up_by_pair, k); sa;
	     sa = sa->up_next)
		if (sa->established && sa->reg == NULL)
			return sa;
	return NULL;
}

void
ike_bad_message(struct ike *ike, uint32_t peer)
{
	ike->cnt.rx_bad++;
	gdoi_log_limited(ev_now(ike->loop), GDOI_MSG_IKMP_BAD_MESSAGE,
			 LOG_IP4(peer));
}

void
ike_responder_open(struct ike *ike, uint32_t local, uint32_t peer,
		   uint16_t port, const uint8_t *p, size_t len, bool stateless)
{
	struct p1_sa *p1;
	struct ike_sa *sa;

	ike->cookies.port = port;
	buf_writer_reset(&ike->out);
	p1 = p1_responder_new(&ike->p1cfg, local, peer, p, len,
			      ev_now(ike->loop), &ike->out);
	if (p1 == NULL) {
		struct ike_sa tmp = { .peer = peer, .peer_port = port,
				      .local = local };

		ike_bad_message(ike, peer);
		ike_send(ike, &tmp, buf_data(&ike->out), buf_len(&ike->out));
		return;
	}
	if (stateless) {
		struct ike_sa tmp = { .peer = peer, .peer_port = port,
				      .local = local };

		/* message 2 sent, nothing kept: message 3 must bring the
		 * cookie back (roles/ike_cookie.c) */
		ike->cnt.cookies_sent++;
		ike_send(ike, &tmp, buf_data(&ike->out), buf_len(&ike->out));
		p1_sa_free(p1);
		return;
	}
	sa = sa_new(ike, p1, local, peer);
	if (sa == NULL) {
		p1_sa_free(p1);
		return;
	}
	sa->peer_port = port;
	half_open_set(sa, true);
	ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
}

void
ike_sa_delete(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	buf_writer_reset(&ike->out);
	if (sa->established && info_delete(sa->p1, &ike->out) == 0)
		ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
	ike_sa_destroy(sa);
}
