/*
 * ike_tx: the GDOI endpoint's sends (to an SA's peer, to an address, to a
 * multicast group) and the capture of what it sends and receives.
 *
 * While a batch of received
 * datagrams is handled (on_readable in ike.c), the replies wait here and
 * leave together with one sendmmsg(2) per socket when the batch ends:
 * a key server answering many registrations makes one system call
 * instead of one per reply (doc/gdoi.md "Registration cost").  Outside
 * a batch, and for a datagram too long for a slot, a send is immediate;
 * the queue is flushed first so that datagrams leave in the order they
 * were sent.
 */
#include "roles/ike_int.h"

#include <arpa/inet.h>
#include <string.h>

#include "platform/pcap.h"
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

void
ike_capture_dgram(struct ike *ike, uint32_t src, uint16_t sport, uint32_t dst,
	uint16_t dport, const uint8_t *p, size_t len)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(sport),
				 .sin_addr.s_addr = src };
	struct sockaddr_in d = { .sin_family = AF_INET, .sin_port = htons(dport),
				 .sin_addr.s_addr = dst };

	if (ike->capture != NULL)
		pcapw_write_udp4(ike->capture, &s, &d, p, len, 0);
}

int
ike_capture(struct ike *ike, const char *path)
{
	pcapw_close(ike->capture);
	ike->capture = NULL;
	if (path == NULL)
		return 0;
	ike->capture = pcapw_open(path, PCAPW_LINK_RAW);
	return ike->capture != NULL ? 0 : -1;
}

struct ike_sock *
ike_sock_for(struct ike *ike, uint32_t local)
{
	struct ike_sock *any = NULL;

	for (struct ike_sock *s = ike->socks; s; s = s->next) {
		if (s->local == local)
			return s;
		if (s->local == 0)
			any = s;
	}
	return any;
}

void
ike_send(struct ike *ike, struct ike_sa *sa, const uint8_t *p, size_t len)
{
	struct udp_peer to = { .addr = sa->peer, .port = sa->peer_port,
			       .local = sa->local };
	struct ike_sock *sock = ike_sock_for(ike, sa->local);

	if (len == 0 || sock == NULL)
		return;
	ike_tx(ike, sock, &to, p, len);
	ike_capture_dgram(ike, sa->local ? sa->local : sock->local, ike->port, sa->peer,
		sa->peer_port, p, len);
}

int
ike_send_to(struct ike *ike, uint32_t local, uint32_t to, uint16_t port,
	    const uint8_t *p, size_t len)
{
	struct udp_peer peer = { .addr = to, .port = port, .local = local };
	struct ike_sock *sock = ike_sock_for(ike, local);

	if (len == 0 || sock == NULL || ike_tx(ike, sock, &peer, p, len) < 0)
		return -1;
	ike_capture_dgram(ike, local ? local : sock->local, ike->port, to, port, p, len);
	return 0;
}

int
ike_send_mcast(struct ike *ike, uint32_t local, uint32_t group, uint16_t port,
	       const uint8_t *p, size_t len, unsigned ttl)
{
	struct ike_sock *sock = ike_sock_for(ike, local);

	/* what waits leaves before the socket's multicast settings change */
	ike_tx_flush(ike);
	if (sock == NULL || udp_set_multicast(sock->us, local, ttl) < 0)
		return -1;
	return ike_send_to(ike, local, group, port, p, len);
}
