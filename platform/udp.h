/*
 * udp: non-blocking IPv4 UDP sockets for GDOI (UDP 848).  Datagrams are
 * received with the local address they were sent to (IP_PKTINFO), so a
 * key server bound to the wildcard answers from the address the group
 * member used; sends may choose their source address the same way.
 * Addresses are IPv4 in network byte order, ports in host order.
 */
#ifndef PLATFORM_UDP_H
#define PLATFORM_UDP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct udp_sock;


/* Bind addr:port (addr 0 = any).  Returns NULL with err set. */
struct udp_sock *udp_open(uint32_t addr, uint16_t port, char *err,
			  size_t errlen);
/**
 * udp_set_rcvbuf - ask for a receive buffer of octets (beyond
 * net.core.rmem_max where the process may, SO_RCVBUFFORCE), so that a
 * burst waits in the kernel instead of being dropped while we are busy
 * or not scheduled.  The size the kernel granted, or -1.
 */
int udp_set_rcvbuf(struct udp_sock *s, int octets);
void udp_close(struct udp_sock *s);
int udp_fd(const struct udp_sock *s);
uint16_t udp_port(const struct udp_sock *s);

struct udp_peer {
	uint32_t addr;		/* remote */
	uint16_t port;
	uint32_t local;		/* the local address the datagram arrived on */
};

/* Receive one datagram; -1 with errno EAGAIN when none is waiting.
 * Datagrams longer than len are reported truncated (returns len + 1). */
ssize_t udp_recv(struct udp_sock *s, void *buf, size_t len,
		 struct udp_peer *from);
/* Send to->addr:to->port from to->local (0 = routing decides). */
int udp_send(struct udp_sock *s, const void *buf, size_t len,
	     const struct udp_peer *to);

/* Datagrams moved by one system call at most (recvmmsg / sendmmsg). */
#define UDP_BATCH 16
/**
 * udp_recv_many - up to n (<= UDP_BATCH) waiting datagrams with one
 * recvmmsg(2): the i-th into bufs[i] (cap octets), its length in lens[i]
 * (cap + 1 when it was longer, as udp_recv) and its addresses in
 * from[i].  How many, or -1 with errno (EAGAIN: none waiting).
 */
int udp_recv_many(struct udp_sock *s, uint8_t *const *bufs, size_t cap,
		  size_t *lens, struct udp_peer *from, unsigned n);
/**
 * udp_send_many - n (<= UDP_BATCH) datagrams, each as udp_send would
 * send it, with one sendmmsg(2) when all go; one the kernel refuses is
 * counted in *errs (if not NULL) and those after it are still sent.
 * How many were sent.
 */
unsigned udp_send_many(struct udp_sock *s, const uint8_t *const *bufs,
		       const size_t *lens, const struct udp_peer *to,
		       unsigned n, unsigned *errs);

/* Multicast sent on s leaves through the interface of local (0: the
 * routing table decides) with this TTL. */
int udp_set_multicast(struct udp_sock *s, uint32_t local, unsigned ttl);

/* Receive the multicast group's datagrams on interface address ifaddr
 * (IP_ADD_MEMBERSHIP; the kernel sends the IGMP report).  -1 with errno. */
int udp_join(struct udp_sock *s, uint32_t group, uint32_t ifaddr);

#endif
