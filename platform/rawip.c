/*
 * rawip: batched raw IPv4 sockets (see platform/rawip.h).  IP_HDRINCL:
 * the packets we send carry their own header (RFC 791); received ones
 * always do on a raw IPv4 socket.
 */
#include "platform/rawip.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Socket buffers: bursts of full-size packets at line rate. */
#define RAWIP_BUF (4 * 1024 * 1024)

struct rawip {
	int fd;
};

/* Best effort: the defaults work, only with more drops in a burst. */
static void
rawip_bufs(int fd)
{
	int sz = RAWIP_BUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

struct rawip *
rawip_open(uint8_t proto, const char *ifname, char *err, size_t errlen)
{
	struct rawip *r = calloc(1, sizeof(*r));
	int one = 1;

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (r->fd < 0) {
		snprintf(err, errlen, "raw socket (protocol %u): %s", proto,
			 strerror(errno));
		goto fail;
	}
	if (setsockopt(r->fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
	    (ifname != NULL &&
	     setsockopt(r->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
			(socklen_t)strlen(ifname)) < 0)) {
		snprintf(err, errlen, "raw socket on %s: %s",
			 ifname ? ifname : "any interface", strerror(errno));
		goto fail;
	}
	rawip_bufs(r->fd);
	return r;
fail:
	rawip_close(r);
	return NULL;
}

void
rawip_close(struct rawip *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

int
rawip_fd(const struct rawip *r)
{
	return r->fd;
}

int
rawip_recv(struct rawip *r, uint8_t *const *bufs, size_t cap, size_t *lens,
	   unsigned n)
{
	struct mmsghdr m[RAWIP_BATCH];
	struct iovec iov[RAWIP_BATCH];
	int got;

	if (n > RAWIP_BATCH)
		n = RAWIP_BATCH;
	memset(m, 0, sizeof(m[0]) * n);
	for (unsigned i = 0; i < n; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = cap;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	do
		got = recvmmsg(r->fd, m, n, MSG_DONTWAIT, NULL);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	for (int i = 0; i < got; i++)
		lens[i] = (m[i].msg_hdr.msg_flags & MSG_TRUNC) ? 0 : m[i].msg_len;
	return got;
}

unsigned
rawip_send(struct rawip *r, const uint8_t *const *pkts, const size_t *lens,
	   unsigned n, unsigned *errs)
{
	struct mmsghdr m[RAWIP_BATCH];
	struct iovec iov[RAWIP_BATCH];
	struct sockaddr_in to[RAWIP_BATCH];
	unsigned sent = 0, at = 0, bad = 0;

	if (n > RAWIP_BATCH)
		n = RAWIP_BATCH;
	memset(m, 0, sizeof(m[0]) * n);
	memset(to, 0, sizeof(to[0]) * n);
	for (unsigned i = 0; i < n; i++) {
		iov[i].iov_base = (void *)(uintptr_t)pkts[i];
		iov[i].iov_len = lens[i];
		to[i].sin_family = AF_INET;
		if (lens[i] >= 20)
			memcpy(&to[i].sin_addr, pkts[i] + 16, 4);
		m[i].msg_hdr.msg_name = &to[i];
		m[i].msg_hdr.msg_namelen = sizeof(to[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	while (at < n) {
		int k = sendmmsg(r->fd, m + at, n - at, MSG_DONTWAIT);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			/* the packet at `at` was refused: skip it */
			bad++;
			at++;
			continue;
		}
		sent += (unsigned)k;
		at += (unsigned)k;
	}
	if (errs != NULL)
		*errs = bad;
	return sent;
}
