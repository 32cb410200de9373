/*
 * udp: IPv4 UDP sockets with IP_PKTINFO (see platform/udp.h).
 */
#include "platform/udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct udp_sock {
	int fd;
	uint16_t port;
};

struct udp_sock *
udp_open(uint32_t addr, uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port),
				   .sin_addr.s_addr = addr };
	socklen_t sl = sizeof(sin);
	struct udp_sock *s = calloc(1, sizeof(*s));
	int on = 1;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0 ||
	    setsockopt(s->fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on)) < 0 ||
	    bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sin, &sl) < 0) {
		snprintf(err, errlen, "UDP %s:%u: %s", inet_ntoa(sin.sin_addr),
			 port, strerror(errno));
		udp_close(s);
		return NULL;
	}
	s->port = ntohs(sin.sin_port);
	return s;
}

void
udp_close(struct udp_sock *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

int
udp_fd(const struct udp_sock *s)
{
	return s->fd;
}

uint16_t
udp_port(const struct udp_sock *s)
{
	return s->port;
}

/* Room for the IP_PKTINFO of one datagram, each way. */
struct udp_hdr {
	struct msghdr mh;
	struct sockaddr_in sin;
	struct iovec iov;
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
};

static void
recv_hdr(struct udp_hdr *h, void *buf, size_t len)
{
	h->iov = (struct iovec){ .iov_base = buf, .iov_len = len };
	h->mh = (struct msghdr){
		.msg_name = &h->sin, .msg_namelen = sizeof(h->sin),
		.msg_iov = &h->iov, .msg_iovlen = 1,
		.msg_control = h->cbuf, .msg_controllen = sizeof(h->cbuf),
	};
}

/* The sender and local address of a received datagram of n octets;
 * its length as udp_recv returns it. */
static ssize_t
recv_peer(struct udp_hdr *h, ssize_t n, size_t len, struct udp_peer *from)
{
	memset(from, 0, sizeof(*from));
	from->addr = h->sin.sin_addr.s_addr;
	from->port = ntohs(h->sin.sin_port);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&h->mh); c;
	     c = CMSG_NXTHDR(&h->mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			from->local = pi.ipi_addr.s_addr;
		}
	}
	if (h->mh.msg_flags & MSG_TRUNC)
		return (ssize_t)len + 1;
	return n;
}

ssize_t
udp_recv(struct udp_sock *s, void *buf, size_t len, struct udp_peer *from)
{
	struct udp_hdr h;
	ssize_t n;

	recv_hdr(&h, buf, len);
	n = recvmsg(s->fd, &h.mh, 0);
	if (n < 0)
		return -1;
	return recv_peer(&h, n, len, from);
}

int
udp_recv_many(struct udp_sock *s, uint8_t *const *bufs, size_t cap,
	      size_t *lens, struct udp_peer *from, unsigned n)
{
	struct udp_hdr h[UDP_BATCH];
	struct mmsghdr m[UDP_BATCH];
	int got;

	if (n > UDP_BATCH)
		n = UDP_BATCH;
	for (unsigned i = 0; i < n; i++) {
		recv_hdr(&h[i], bufs[i], cap);
		m[i] = (struct mmsghdr){ .msg_hdr = h[i].mh };
	}
	got = recvmmsg(s->fd, m, n, MSG_DONTWAIT, NULL);
	for (int i = 0; i < got; i++) {
		h[i].mh = m[i].msg_hdr;
		lens[i] = (size_t)recv_peer(&h[i], (ssize_t)m[i].msg_len, cap,
					    &from[i]);
	}
	return got;
}

/* Header for sending len octets of buf to `to` (from to->local if set). */
static void
send_hdr(struct udp_hdr *h, const void *buf, size_t len,
	 const struct udp_peer *to)
{
	h->sin = (struct sockaddr_in){ .sin_family = AF_INET,
				       .sin_port = htons(to->port),
				       .sin_addr.s_addr = to->addr };
	h->iov = (struct iovec){ .iov_base = (void *)(uintptr_t)buf,
				 .iov_len = len };
	h->mh = (struct msghdr){
		.msg_name = &h->sin, .msg_namelen = sizeof(h->sin),
		.msg_iov = &h->iov, .msg_iovlen = 1,
	};
	if (to->local != 0) {
		struct in_pktinfo pi = { .ipi_spec_dst.s_addr = to->local };
		struct cmsghdr *c;

		memset(h->cbuf, 0, sizeof(h->cbuf));
		h->mh.msg_control = h->cbuf;
		h->mh.msg_controllen = sizeof(h->cbuf);
		c = CMSG_FIRSTHDR(&h->mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
}

int
udp_send(struct udp_sock *s, const void *buf, size_t len,
	 const struct udp_peer *to)
{
	struct udp_hdr h;

	send_hdr(&h, buf, len, to);
	return sendmsg(s->fd, &h.mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

unsigned
udp_send_many(struct udp_sock *s, const uint8_t *const *bufs,
	      const size_t *lens, const struct udp_peer *to, unsigned n,
	      unsigned *errs)
{
	struct udp_hdr h[UDP_BATCH];
	struct mmsghdr m[UDP_BATCH];
	unsigned at = 0, sent = 0;

	if (n > UDP_BATCH)
		n = UDP_BATCH;
	for (unsigned i = 0; i < n; i++) {
		send_hdr(&h[i], bufs[i], lens[i], &to[i]);
		m[i] = (struct mmsghdr){ .msg_hdr = h[i].mh };
	}
	/* one refused datagram does not hold back those after it */
	while (at < n) {
		int k = sendmmsg(s->fd, m + at, n - at, MSG_DONTWAIT);

		if (k <= 0) {
			if (errs != NULL)
				(*errs)++;
			at++;
			continue;
		}
		at += (unsigned)k;
		sent += (unsigned)k;
	}
	return sent;
}

int
udp_set_rcvbuf(struct udp_sock *s, int octets)
{
	socklen_t sl = sizeof(octets);

	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &octets,
		       sizeof(octets)) < 0 &&
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &octets,
		       sizeof(octets)) < 0)
		return -1;
	if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &octets, &sl) < 0)
		return -1;
	return octets;
}

int
udp_set_multicast(struct udp_sock *s, uint32_t local, unsigned ttl)
{
	struct in_addr a = { .s_addr = local };
	unsigned char t = (unsigned char)(ttl > 255 ? 255 : ttl);

	if (local != 0 &&
	    setsockopt(udp_fd(s), IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof(a)) < 0)
		return -1;
	return setsockopt(udp_fd(s), IPPROTO_IP, IP_MULTICAST_TTL, &t,
			  sizeof(t));
}

int
udp_join(struct udp_sock *s, uint32_t group, uint32_t ifaddr)
{
	struct ip_mreq mr = { .imr_multiaddr.s_addr = group,
			      .imr_interface.s_addr = ifaddr };

	return setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
			  sizeof(mr));
}
