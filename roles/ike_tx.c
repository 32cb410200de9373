/*
 * ike_tx: the GDOI endpoint's sends.  While a batch of received
 * datagrams is handled (on_readable in ike.c), the replies wait here and
 * leave together with one sendmmsg(2) per socket when the batch ends:
 * a key server answering many registrations makes one system call
 * instead of one per reply (doc/gdoi.md "Registration cost").  Outside
 * a batch, and for a datagram too long for a slot, a send is immediate;
 * the queue is flushed first so that datagrams leave in the order they
 * were sent.
 */
#include "roles/ike_int.h"

#include <string.h>

#include "platform/udp.h"

void
ike_tx_flush(struct ike *ike)
{
	struct ike_txq *q = &ike->txq;
	const uint8_t *bufs[UDP_BATCH];
	unsigned i = 0;

	for (unsigned k = 0; k < q->n; k++)
		bufs[k] = q->buf[k];
	while (i < q->n) {
		unsigned run = 1;

		while (i + run < q->n && q->sock[i + run] == q->sock[i])
			run++;
		ike->cnt.tx += udp_send_many(q->sock[i]->us, bufs + i,
					     q->len + i, q->to + i, run, NULL);
		i += run;
	}
	q->n = 0;
}

void
ike_tx_hold(struct ike *ike)
{
	ike->txq.hold++;
}

void
ike_tx_release(struct ike *ike)
{
	if (ike->txq.hold > 0 && --ike->txq.hold == 0)
		ike_tx_flush(ike);
}

int
ike_tx(struct ike *ike, struct ike_sock *sock, const struct udp_peer *to,
       const uint8_t *p, size_t len)
{
	struct ike_txq *q = &ike->txq;

	if (q->hold == 0 || len > IKE_TX_SLOT) {
		ike_tx_flush(ike);
		if (udp_send(sock->us, p, len, to) < 0)
			return -1;
		ike->cnt.tx++;
		return 0;
	}
	if (q->n == UDP_BATCH)
		ike_tx_flush(ike);
	q->sock[q->n] = sock;
	q->to[q->n] = *to;
	q->len[q->n] = len;
	memcpy(q->buf[q->n], p, len);
	q->n++;
	return 0;
}
