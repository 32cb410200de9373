/*
 * ike_wait: the waiting room of a key server in a storm (doc/gdoi.md
 * "Registration storms").  A message 1 from a peer that proved it
 * receives (roles/ike_cookie.c) which finds the half-open table full is
 * kept, a copy of its octets, and started when a negotiation finishes,
 * oldest first: exchanges already started finish first, and the member
 * is served when a slot frees instead of at its next retransmission (2,
 * 4, 8 s later, when the key server may be idle again).  A retransmission
 * of a waiting message 1 is dropped (the first copy will be answered).
 * Bounded: IKE_WAIT_MAX messages; one older than IKE_WAIT_MS is dropped
 * when its turn comes (the member has given up or retried with a new
 * cookie), and so is one whose retransmission got a slot first (the table
 * had room by then): a second SA under the same cookie would take the
 * exchange over half-way.  Only proven peers wait: a spoofed flood never
 * gets here.
 */
#include "roles/ike_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/evloop.h"
#include "platform/hmap.h"

struct ike_waiting {
	struct ike_waiting *next;
	uint32_t local, peer;		/* network order */
	uint16_t port;
	uint64_t since_ms;
	char key[64];			/* sa_key() of the message */
	size_t len;
	uint8_t msg[];
};

bool
ike_wait_add(struct ike *ike, uint32_t local, uint32_t peer, uint16_t port,
	     const char *key, const uint8_t *p, size_t len)
{
	struct ike_waitq *q = &ike->waitq;
	struct ike_waiting *w;

	if (q->by_key == NULL && (q->by_key = hmap_new()) == NULL)
		return false;
	if (hmap_get(q->by_key, key) != NULL) {
		ike->cnt.rx_wait_dup++;
		return true;		/* a retransmission of a waiting one */
	}
	if (q->n >= IKE_WAIT_MAX || (w = malloc(sizeof(*w) + len)) == NULL)
		return false;
	*w = (struct ike_waiting){ .local = local, .peer = peer, .port = port,
				   .since_ms = ev_now(ike->loop), .len = len };
	snprintf(w->key, sizeof(w->key), "%s", key);
	memcpy(w->msg, p, len);
	if (hmap_put(q->by_key, w->key, w) < 0) {
		free(w);
		return false;
	}
	if (q->tail != NULL)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
	q->n++;
	ike->cnt.rx_waited++;
	return true;
}

static struct ike_waiting *
wait_pop(struct ike_waitq *q)
{
	struct ike_waiting *w = q->head;

	q->head = w->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->n--;
	hmap_del(q->by_key, w->key);
	return w;
}

void
ike_wait_run(struct ike *ike)
{
	struct ike_waitq *q = &ike->waitq;
	uint64_t now = ev_now(ike->loop);

	while (q->head != NULL && ike->cnt.half_open < IKE_HALF_OPEN_MAX) {
		struct ike_waiting *w = wait_pop(q);

		if (now - w->since_ms > IKE_WAIT_MS)
			ike->cnt.rx_wait_expired++;
		else if (ike_sa_get(ike, w->key) != NULL)
			ike->cnt.rx_wait_dup++;	/* its retransmission got in */
		else if (ike_half_open_of(ike, w->peer) >=
			 IKE_HALF_OPEN_PER_PEER)
			ike->cnt.rx_busy++;
		else
			ike_responder_open(ike, w->local, w->peer, w->port,
					   w->msg, w->len, false);
		free(w);
	}
}

void
ike_wait_free(struct ike *ike)
{
	struct ike_waitq *q = &ike->waitq;

	while (q->head != NULL)
		free(wait_pop(q));
	hmap_free(q->by_key);
	q->by_key = NULL;
}
