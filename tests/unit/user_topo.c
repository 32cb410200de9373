/*
 * user_topo: the namespaces of the root data-plane cases (see
 * user_topo.h).
 */
#include "user_topo.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipsec/user.h"
#include "user_fixtures.h"

static char prefix[32];
static const char *const nodes[] = { "h1", "gm1", "gm2", "h2" };

int
utopo_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

const char *
utopo_ns(const char *node)
{
	static char name[64];

	snprintf(name, sizeof(name), "%s%s", prefix, node);
	return name;
}

void
utopo_teardown(void)
{
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		utopo_sh("ip netns del %s%s 2>/dev/null", prefix, nodes[i]);
}

int
utopo_setup(const char *stem)
{
	const char *p = prefix;

	snprintf(prefix, sizeof(prefix), "%s%d-", stem, (int)getpid());
	utopo_teardown();
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		utopo_sh("ip netns add %s%s", p, nodes[i]);
	return utopo_sh("set -e;"
		"ip -n %sgm1 link add wan0 type veth peer name wan0 netns %sgm2;"
		"ip -n %sgm1 link add lan0 type veth peer name eth0 netns %sh1;"
		"ip -n %sgm2 link add lan0 type veth peer name eth0 netns %sh2;"
		"for n in h1 gm1 gm2 h2; do ip -n %s$n link set lo up; done;"
		"ip -n %sgm1 addr add 10.99.0.1/24 dev wan0;"
		"ip -n %sgm2 addr add 10.99.0.2/24 dev wan0;"
		"ip -n %sgm1 addr add 192.168.1.1/24 dev lan0;"
		"ip -n %sgm2 addr add 192.168.2.1/24 dev lan0;"
		"ip -n %sh1 addr add 192.168.1.10/24 dev eth0;"
		"ip -n %sh2 addr add 192.168.2.10/24 dev eth0;"
		"for n in gm1 gm2; do ip -n %s$n link set wan0 up;"
		" ip -n %s$n link set lan0 up;"
		" ip netns exec %s$n sysctl -qw net.ipv4.ip_forward=1; done;"
		"for n in h1 h2; do ip -n %s$n link set eth0 up; done;"
		"ip -n %sh1 route add default via 192.168.1.1;"
		"ip -n %sh2 route add default via 192.168.2.1;"
		"ip -n %sgm1 route add 192.168.2.0/24 via 10.99.0.2;"
		"ip -n %sgm2 route add 192.168.1.0/24 via 10.99.0.1",
		p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p);
}

void
utopo_enter(const char *node)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s%s", prefix, node);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_msg(setns(fd, CLONE_NEWNET) == 0, "setns %s: %s", node,
		      strerror(errno));
	close(fd);
}

void
utopo_member(const char *node, struct ipsec_ctx *x, struct evloop *loop)
{
	static const char *const lans[] = { "lan0" };
	char err[128];

	utopo_enter(node);
	ck_assert_int_eq(ipsec_open(x, &ipsec_user_backend, loop, err,
				    sizeof(err)), 0);
	ck_assert_msg(ipsec_user_attach(x, "wan0", lans, 1) == 0, "%s: %s",
		      node, ipsec_user_error(x));
}

int
utopo_ping_send(uint16_t id, uint16_t seq)
{
	int s;
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t icmp[64] = { 8, 0 };

	utopo_enter("h1");
	s = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
	ck_assert_int_ge(s, 0);
	to.sin_addr.s_addr = uf_ip4("192.168.2.10");
	uf_put16(icmp + 4, id);
	uf_put16(icmp + 6, seq);
	uf_put16(icmp + 2, uf_cksum(icmp, sizeof(icmp)));
	ck_assert_int_eq(sendto(s, icmp, sizeof(icmp), 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(icmp));
	return s;
}

bool
utopo_ping_reply(int s, uint16_t id)
{
	uint8_t b[256];
	ssize_t n;

	while ((n = recv(s, b, sizeof(b), 0)) > 0) {
		size_t ihl = (size_t)(b[0] & 0x0f) * 4;

		if ((size_t)n >= ihl + 8 && b[ihl] == 0 &&
		    (b[ihl + 4] << 8 | b[ihl + 5]) == id)
			return true;
	}
	return false;
}

int
utopo_wan_capture(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int s, sz = 8 << 20;

	utopo_enter("gm2");
	s = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	ck_assert_int_ge(s, 0);
	(void)setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	sll.sll_ifindex = (int)if_nametoindex("wan0");
	ck_assert_int_gt(sll.sll_ifindex, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

void
utopo_wan_drain(int cap, struct utopo_wan *w)
{
	static uint8_t b[65536];
	uint32_t lan = uf_ip4("192.168.0.0"), mask = htonl(0xffff0000);
	struct tpacket_stats ps;
	socklen_t psl = sizeof(ps);
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(cap, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&from, &fl)) >= 0) {
		int dir = from.sll_pkttype == PACKET_OUTGOING ? UTOPO_FROM_GM2
							       : UTOPO_FROM_GM1;
		uint32_t s, d;

		fl = sizeof(from);
		if (n < 20 || from.sll_protocol != htons(ETH_P_IP))
			continue;
		memcpy(&s, b + 12, 4);
		memcpy(&d, b + 16, 4);
		if ((s & mask) != lan || (d & mask) != lan)
			continue;
		if (b[9] == UF_ESP) {
			w->esp[dir]++;
			if ((size_t)n > w->esp_max)
				w->esp_max = (size_t)n;
		} else {
			w->clear[dir]++;
		}
	}
	if (getsockopt(cap, SOL_PACKET, PACKET_STATISTICS, &ps, &psl) == 0)
		w->lost += ps.tp_drops;
}
