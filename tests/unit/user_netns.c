/*
 * user data plane, root cases (tagged "root"; part of the user suite):
 * rtnetlink rules, routes and links and the TUN device in a private
 * network namespace; then h1 - gm1 - gm2 - h2 namespaces with two user
 * backends in this process: a ping from h1 to h2 crosses the WAN as ESP
 * only, stale rules of a dead member go at the next start, and a failed
 * or undone attachment leaves nothing behind.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipsec/ipsec.h"
#include "ipsec/user.h"
#include "platform/evloop.h"
#include "platform/rtnl.h"
#include "platform/tun.h"
#include "user_fixtures.h"

static void
private_netns(void)
{
	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare: %s",
		      strerror(errno));
}

static int
count_ours(const struct rtnl_rule *r, void *arg)
{
	if (r->protocol == IPSEC_USER_RTPROT)
		++*(int *)arg;
	return 0;
}

static int
ours(struct rtnl *nl)
{
	int n = 0;

	ck_assert_int_eq(rtnl_rule_list(nl, count_ours, &n), 0);
	return n;
}

START_TEST(test_root_rtnl)
{
	char err[128];
	struct rtnl *nl;
	unsigned idx = 0, mtu = 0;
	struct rtnl_rule r = { .priority = IPSEC_USER_PRIO_FIRST, .table = 848,
			       .protocol = IPSEC_USER_RTPROT, .iif = "lo",
			       .ipproto = UF_ESP };
	struct rtnl_rule other = { .priority = IPSEC_USER_PRIO_FIRST + 2,
				   .table = 900, .protocol = 3 };
	struct rtnl_route rt = { .table = 848, .protocol = IPSEC_USER_RTPROT,
				 .oif = 1, .mtu = 1300 };

	private_netns();
	nl = rtnl_open(err, sizeof(err));
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(rtnl_link_get(nl, "lo", &idx, &mtu), 0);
	ck_assert_uint_eq(idx, 1);
	ck_assert_uint_eq(mtu, 65536);
	ck_assert_int_eq(rtnl_link_get(nl, "nosuch0", &idx, NULL), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(rtnl_link_set_up(nl, 1), 0);
	ck_assert_int_eq(rtnl_rule_add(nl, &r), 0);
	ck_assert_int_eq(rtnl_rule_add(nl, &r), -1);
	ck_assert_int_eq(errno, EEXIST);
	r.priority++;
	r.iif[0] = '\0';
	r.ipproto = 0;
	r.dst = uf_ip4("10.0.0.0");
	r.dst_len = 8;
	ck_assert_int_eq(rtnl_rule_add(nl, &r), 0);
	ck_assert_int_eq(rtnl_rule_add(nl, &other), 0);
	ck_assert_int_eq(ours(nl), 2);
	ck_assert_int_eq(rtnl_route_add(nl, &rt), 0);
	ck_assert_int_eq(rtnl_route_add(nl, &rt), 0);	/* replace */
	/* Only our marker inside our range goes; the other rule stays. */
	ck_assert_int_eq(rtnl_rule_flush(nl, IPSEC_USER_PRIO_FIRST,
					 IPSEC_USER_PRIO_LAST,
					 IPSEC_USER_RTPROT), 2);
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(rtnl_rule_del(nl, &other), 0);
	ck_assert_int_eq(rtnl_rule_del(nl, &other), -1);
	ck_assert_int_eq(rtnl_route_flush(nl, 848, IPSEC_USER_RTPROT), 1);
	ck_assert_int_eq(rtnl_route_flush(nl, 848, IPSEC_USER_RTPROT), 0);
	rtnl_close(nl);
}
END_TEST

START_TEST(test_root_tun)
{
	char err[128];
	struct tun *t;
	uint8_t pkt[128], rd[256];
	size_t len;
	struct rtnl *nl;
	unsigned mtu = 0;

	private_netns();
	ck_assert_ptr_null(tun_open("", 0, err, sizeof(err)));
	t = tun_open("gvt%d", 0, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(tun_name(t), "gvt0");
	ck_assert_int_eq(tun_set_mtu(t, 1400), 0);
	nl = rtnl_open(err, sizeof(err));
	ck_assert_ptr_nonnull(nl);
	/* No IPv6 link-local address: nothing talks on the device. */
	rtnl_link_no_ipv6_ll(nl, tun_ifindex(t));
	ck_assert_int_eq(tun_set_up(t, true), 0);
	ck_assert_int_eq(rtnl_link_get(nl, "gvt0", NULL, &mtu), 0);
	ck_assert_uint_eq(mtu, 1400);
	ck_assert_int_eq(tun_read(t, rd, sizeof(rd)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	len = uf_pkt(pkt, UF_UDP, "10.7.0.1", "10.7.0.2", 1, 2, 8);
	ck_assert_int_eq(tun_write(t, pkt, len), (ssize_t)len);
	tun_close(t);
	ck_assert_int_eq(rtnl_link_get(nl, "gvt0", NULL, NULL), -1);
	rtnl_close(nl);
}
END_TEST

/* ---- two members in namespaces, a ping that crosses as ESP ---- */

static char ns_prefix[32];

static const char *const lab_ns[] = { "h1", "gm1", "gm2", "h2" };

static int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void
lab_teardown(void)
{
	for (size_t i = 0; i < 4; i++)
		sh("ip netns del %s%s 2>/dev/null", ns_prefix, lab_ns[i]);
}

/* h1 -lan- gm1 -wan- gm2 -lan- h2; the WAN is one veth pair. */
static void
lab_setup(void)
{
	const char *p = ns_prefix;

	snprintf(ns_prefix, sizeof(ns_prefix), "gvu%d-", (int)getpid());
	lab_teardown();
	for (size_t i = 0; i < 4; i++)
		sh("ip netns add %s%s", p, lab_ns[i]);
	sh("ip -n %sgm1 link add wan0 type veth peer name wan0 netns %sgm2",
	   p, p);
	sh("ip -n %sgm1 link add lan0 type veth peer name eth0 netns %sh1",
	   p, p);
	sh("ip -n %sgm2 link add lan0 type veth peer name eth0 netns %sh2",
	   p, p);
	sh("set -e; for n in h1 gm1 gm2 h2; do ip -n %s$n link set lo up; done;"
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
	   p, p, p, p, p, p, p, p, p, p, p, p, p, p, p);
}

static int
ns_fd(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s%s", ns_prefix, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	return fd;
}

static void
enter(const char *name)
{
	int fd = ns_fd(name);

	ck_assert_msg(setns(fd, CLONE_NEWNET) == 0, "setns %s: %s", name,
		      strerror(errno));
	close(fd);
}

/* A backend in namespace ns, attached to wan0/lan0, with the group SA. */
static void
member(const char *ns, struct ipsec_ctx *x, struct evloop *loop,
       uint32_t sid)
{
	static const char *const lans[] = { "lan0" };
	char err[128];

	enter(ns);
	ck_assert_int_eq(ipsec_open(x, &ipsec_user_backend, loop, err,
				    sizeof(err)), 0);
	ck_assert_msg(ipsec_user_attach(x, "wan0", lans, 1) == 0, "%s: %s", ns,
		      ipsec_user_error(x));
	uf_install(x, sid);
}

/* ICMP echo request from a raw socket; the reply is looked for later. */
static int
ping_send(uint16_t id, uint16_t seq)
{
	int s = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_ICMP);
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t icmp[64] = { 8, 0 };

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

static bool
ping_reply(int s, uint16_t id)
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

/* Packets seen on the WAN, both ways (ETH_P_ALL: a protocol-bound packet
 * socket is not shown outgoing frames): ESP, and cleartext between the
 * two LANs. */
struct wan_seen {
	unsigned esp, clear;
};

static void
wan_drain(int cap, struct wan_seen *w)
{
	uint8_t b[2048];
	ssize_t n;
	uint32_t lan = uf_ip4("192.168.0.0"), mask = htonl(0xffff0000);
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);

	while ((n = recvfrom(cap, b, sizeof(b), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl)) >= 0) {
		uint32_t s, d;

		fl = sizeof(from);
		if (n < 20 || from.sll_protocol != htons(ETH_P_IP))
			continue;
		memcpy(&s, b + 12, 4);
		memcpy(&d, b + 16, 4);
		if ((s & mask) != lan || (d & mask) != lan)
			continue;
		if (b[9] == UF_ESP)
			w->esp++;
		else
			w->clear++;
	}
}

static int
wan_capture(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int s = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));

	ck_assert_int_ge(s, 0);
	sll.sll_ifindex = (int)if_nametoindex("wan0");
	ck_assert_int_gt(sll.sll_ifindex, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

START_TEST(test_root_ping_crosses_as_esp)
{
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct wan_seen w = { 0 };
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int cap, s, replies = 0;
	struct rtnl *nl;
	char err[128];

	ck_assert_int_ge(home, 0);
	member("gm1", &a, loop, 1);
	member("gm2", &b, loop, 2);
	cap = wan_capture();		/* in gm2, on its WAN */
	enter("h1");
	for (uint16_t seq = 1; seq <= 3; seq++) {
		bool got = false;

		s = ping_send(0x4756, seq);
		for (int i = 0; i < 200 && !got; i++) {
			ev_run_once(loop, 10);
			got = ping_reply(s, 0x4756);
		}
		close(s);
		replies += got;
	}
	wan_drain(cap, &w);
	ck_assert_int_eq(replies, 3);
	ck_assert_msg(w.esp >= 6 && w.clear == 0, "WAN: %u ESP, %u clear",
		      w.esp, w.clear);
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_ENCAP), 3);
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_DECAP), 3);
	ck_assert_uint_ge(uf_ctr(&b, IPSEC_USER_DECAP), 3);
	ck_assert_uint_ge(uf_ctr(&b, IPSEC_USER_ENCAP), 3);
	/* Detach leaves gm1 without our rules and without the TUN. */
	enter("gm1");
	ipsec_close(&a);
	nl = rtnl_open(err, sizeof(err));
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(rtnl_link_get(nl, IPSEC_USER_TUN_DEFAULT, NULL, NULL),
			 -1);
	rtnl_close(nl);
	ipsec_close(&b);
	close(cap);
	ev_free(loop);
	ck_assert_int_eq(setns(home, CLONE_NEWNET), 0);
	close(home);
}
END_TEST

/* Leftovers of a member that died are gone after the next start, and a
 * failed attach leaves nothing behind. */
START_TEST(test_root_stale_and_failed_attach)
{
	struct rtnl_rule stale = { .priority = IPSEC_USER_PRIO_FIRST + 3,
				   .table = IPSEC_USER_TABLE_LAN,
				   .protocol = IPSEC_USER_RTPROT,
				   .iif = "lan0" };
	static const char *const lans[] = { "lan0", "nosuch9" };
	struct evloop *loop = ev_new();
	struct ipsec_ctx x;
	struct rtnl *nl;
	char err[128];

	enter("gm1");
	nl = rtnl_open(err, sizeof(err));
	/* An earlier case that failed half-way may have left its own. */
	rtnl_rule_flush(nl, IPSEC_USER_PRIO_FIRST, IPSEC_USER_PRIO_LAST,
			IPSEC_USER_RTPROT);
	ck_assert_int_eq(rtnl_rule_add(nl, &stale), 0);
	ck_assert_int_eq(ours(nl), 1);
	ck_assert_int_eq(ipsec_open(&x, &ipsec_user_backend, loop, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(ipsec_user_attach(&x, "wan0", lans, 2), -1);
	ck_assert_ptr_nonnull(strstr(ipsec_user_error(&x), "nosuch9"));
	ck_assert_int_eq(ipsec_user_attach(&x, "wan0", lans, 1), 0);
	ck_assert_int_eq(ours(nl), 2);
	ck_assert_int_eq(ipsec_user_attach(&x, "nosuch8", lans, 1), -1);
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(rtnl_link_get(nl, IPSEC_USER_TUN_DEFAULT, NULL, NULL),
			 -1);
	ipsec_close(&x);
	rtnl_close(nl);
	ev_free(loop);
}
END_TEST

void
user_netns_tcases(Suite *s)
{
	TCase *tc;

	tc = tcase_create("root-netlink");
	tcase_set_tags(tc, "root");
	tcase_add_test(tc, test_root_rtnl);
	tcase_add_test(tc, test_root_tun);
	suite_add_tcase(s, tc);

	tc = tcase_create("root-netns");
	tcase_set_tags(tc, "root");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, lab_setup, lab_teardown);
	tcase_add_test(tc, test_root_ping_crosses_as_esp);
	tcase_add_test(tc, test_root_stale_and_failed_attach);
	suite_add_tcase(s, tc);
}
