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

ssize_t
udp_recv(struct udp_sock *s, void *buf, size_t len, struct udp_peer *from)
{
	struct sockaddr_in sin;
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = &sin, .msg_namelen = sizeof(sin),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	ssize_t n;

	n = recvmsg(s->fd, &mh, 0);
	if (n < 0)
		return -1;
	memset(from, 0, sizeof(*from));
	from->addr = sin.sin_addr.s_addr;
	from->port = ntohs(sin.sin_port);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			from->local = pi.ipi_addr.s_addr;
		}
	}
	if (mh.msg_flags & MSG_TRUNC)
		return (ssize_t)len + 1;
	return n;
}

int
udp_send(struct udp_sock *s, const void *buf, size_t len,
	 const struct udp_peer *to)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(to->port),
				   .sin_addr.s_addr = to->addr };
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = &sin, .msg_namelen = sizeof(sin),
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	if (to->local != 0) {
		struct in_pktinfo pi = { .ipi_spec_dst.s_addr = to->local };
		struct cmsghdr *c;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(s->fd, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
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
