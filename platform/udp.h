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

/* Multicast sent on s leaves through the interface of local (0: the
 * routing table decides) with this TTL. */
int udp_set_multicast(struct udp_sock *s, uint32_t local, unsigned ttl);

/* Receive the multicast group's datagrams on interface address ifaddr
 * (IP_ADD_MEMBERSHIP; the kernel sends the IGMP report).  -1 with errno. */
int udp_join(struct udp_sock *s, uint32_t group, uint32_t ifaddr);

#endif
