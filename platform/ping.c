/*
 * ping: echo requests carry the socket's identifier and a sequence
 * number; replies are matched on both, anything else on the socket is
 * skipped until the deadline.
 */
#include "platform/ping.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "platform/be.h"
#include "platform/csum.h"

#define PING_MAX 18024		/* IOS's largest datagram size */
#define IP_HDR 20

struct ping {
	int fd;
	uint16_t id;
};

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct ping *
ping_open(uint32_t source, char *err, size_t errlen)
{
	struct ping *p = calloc(1, sizeof(*p));
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = source };

	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (p->fd < 0 || (source != 0 &&
	    bind(p->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)) {
		snprintf(err, errlen, "%s", strerror(errno));
		ping_close(p);
		return NULL;
	}
	p->id = (uint16_t)(getpid() ^ (uintptr_t)p);
	return p;
}

void
ping_close(struct ping *p)
{
	if (p == NULL)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

static int
send_echo(struct ping *p, uint32_t dst, uint16_t seq, size_t size)
{
	static uint8_t pkt[PING_MAX];
	size_t len = size > IP_HDR + 8 ? size - IP_HDR : 8;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = dst };

	if (len > sizeof(pkt))
		len = sizeof(pkt);
	memset(pkt, 0xab, len);		/* IOS's 0xABCD fill, roughly */
	pkt[0] = ICMP_ECHO;
	pkt[1] = 0;
	be16_put(pkt + 2, 0);
	be16_put(pkt + 4, p->id);
	be16_put(pkt + 6, seq);
	be16_put(pkt + 2, csum_fold(csum_add(0, pkt, len)));
	if (sendto(p->fd, pkt, len, 0, (struct sockaddr *)&sin,
		   sizeof(sin)) < 0)
		return -1;
	return 0;
}

/* Is buf (an IPv4 packet) the reply to our request seq from dst? */
static int
is_reply(const struct ping *p, const uint8_t *buf, ssize_t n, uint32_t dst,
	 uint16_t seq)
{
	size_t ihl;

	if (n < IP_HDR + 8)
		return 0;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if ((size_t)n < ihl + 8 || memcmp(buf + 12, &dst, 4) != 0)
		return 0;
	buf += ihl;
	return buf[0] == ICMP_ECHOREPLY && be16_get(buf + 4) == p->id &&
	       be16_get(buf + 6) == seq;
}

int
ping_echo(struct ping *p, uint32_t dst, uint16_t seq, size_t size,
	  unsigned timeout_ms, unsigned *rtt_us)
{
	uint64_t start = now_us(), end = start + (uint64_t)timeout_ms * 1000u;
	static uint8_t buf[PING_MAX + 64];

	if (send_echo(p, dst, seq, size) < 0)
		return -1;
	for (uint64_t t = start; t < end; t = now_us()) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, (int)((end - t + 999) / 1000)) <= 0)
			continue;
		n = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0 && is_reply(p, buf, n, dst, seq)) {
			*rtt_us = (unsigned)(now_us() - start);
			return 1;
		}
	}
	return 0;
}
