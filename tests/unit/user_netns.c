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
#include "platform/kroute.h"
#include "platform/tun.h"
#include "user_fixtures.h"
#include "user_topo.h"

static void
private_netns(void)
{
	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare: %s",
		      strerror(errno));
}

/* Our rules (protocol marker), at priority prio only unless it is 0. */
struct rule_count {
	uint32_t prio;
	int n;
};

static int
count_ours(const struct kroute_rule *r, void *arg)
{
	struct rule_count *c = arg;

	if (r->protocol == IPSEC_USER_RTPROT &&
	    (c->prio == 0 || r->priority == c->prio))
		c->n++;
	return 0;
}

static int
ours_at(struct kroute *nl, uint32_t prio)
{
	struct rule_count c = { .prio = prio };

	ck_assert_int_eq(kroute_rule_list(nl, count_ours, &c), 0);
	return c.n;
}

static int
ours(struct kroute *nl)
{
	return ours_at(nl, 0);
}

START_TEST(test_root_kroute)
{
	char err[128];
	struct kroute *nl;
	unsigned idx = 0, mtu = 0;
	struct kroute_rule r = { .priority = IPSEC_USER_PRIO_FIRST, .table = 848,
			       .protocol = IPSEC_USER_RTPROT, .iif = "lo",
			       .ipproto = UF_ESP };
	struct kroute_rule other = { .priority = IPSEC_USER_PRIO_FIRST + 2,
				   .table = 900, .protocol = 3 };
	struct kroute_route rt = { .table = 848, .protocol = IPSEC_USER_RTPROT,
				 .oif = 1, .mtu = 1300 };

	private_netns();
	nl = kroute_open(err, sizeof(err));
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(kroute_link_get(nl, "lo", &idx, &mtu), 0);
	ck_assert_uint_eq(idx, 1);
	ck_assert_uint_eq(mtu, 65536);
	ck_assert_int_eq(kroute_link_get(nl, "nosuch0", &idx, NULL), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(kroute_link_set_up(nl, 1), 0);
	ck_assert_int_eq(kroute_rule_add(nl, &r), 0);
	ck_assert_int_eq(kroute_rule_add(nl, &r), -1);
	ck_assert_int_eq(errno, EEXIST);
	r.priority++;
	r.iif[0] = '\0';
	r.ipproto = 0;
	r.dst = uf_ip4("10.0.0.0");
	r.dst_len = 8;
	ck_assert_int_eq(kroute_rule_add(nl, &r), 0);
	ck_assert_int_eq(kroute_rule_add(nl, &other), 0);
	ck_assert_int_eq(ours(nl), 2);
	ck_assert_int_eq(kroute_route_add(nl, &rt), 0);
	ck_assert_int_eq(kroute_route_add(nl, &rt), 0);	/* replace */
	/* Only our marker inside our range goes; the other rule stays. */
	ck_assert_int_eq(kroute_rule_flush(nl, IPSEC_USER_PRIO_FIRST,
					 IPSEC_USER_PRIO_LAST,
					 IPSEC_USER_RTPROT), 2);
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(kroute_rule_del(nl, &other), 0);
	ck_assert_int_eq(kroute_rule_del(nl, &other), -1);
	ck_assert_int_eq(kroute_route_flush(nl, 848, IPSEC_USER_RTPROT), 1);
	ck_assert_int_eq(kroute_route_flush(nl, 848, IPSEC_USER_RTPROT), 0);
	kroute_close(nl);
}
END_TEST

START_TEST(test_root_tun)
{
	char err[128];
	struct tun *t;
	uint8_t pkt[128], rd[256];
	size_t len;
	struct kroute *nl;
	unsigned mtu = 0;

	private_netns();
	ck_assert_ptr_null(tun_open("", 0, err, sizeof(err)));
	t = tun_open("gvt%d", 0, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(tun_name(t), "gvt0");
	ck_assert_int_eq(tun_set_mtu(t, 1400), 0);
	nl = kroute_open(err, sizeof(err));
	ck_assert_ptr_nonnull(nl);
	/* No IPv6 link-local address: nothing talks on the device. */
	kroute_link_no_ipv6_ll(nl, tun_ifindex(t));
	ck_assert_int_eq(tun_set_up(t, true), 0);
	ck_assert_int_eq(kroute_link_get(nl, "gvt0", NULL, &mtu), 0);
	ck_assert_uint_eq(mtu, 1400);
	ck_assert_int_eq(tun_read(t, rd, sizeof(rd)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	len = uf_pkt(pkt, UF_UDP, "10.7.0.1", "10.7.0.2", 1, 2, 8);
	ck_assert_int_eq(tun_write(t, pkt, len), (ssize_t)len);
	tun_close(t);
	ck_assert_int_eq(kroute_link_get(nl, "gvt0", NULL, NULL), -1);
	kroute_close(nl);
}
END_TEST

/* ---- two members in namespaces, a ping that crosses as ESP ---- */

static void
lab_setup(void)
{
	if (utopo_setup("gvu") != 0)
		fprintf(stderr, "user_netns: topology setup failed\n");
}

/* A backend in namespace ns, attached to wan0/lan0, with the group SA. */
static void
member(const char *ns, struct ipsec_ctx *x, struct evloop *loop,
       uint32_t sid)
{
	utopo_member(ns, x, loop);
	uf_install(x, sid);
}



START_TEST(test_root_ping_crosses_as_esp)
{
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct utopo_wan w = { 0 };
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int cap, s, replies = 0;
	struct kroute *nl;
	char err[128];

	ck_assert_int_ge(home, 0);
	member("gm1", &a, loop, 1);
	member("gm2", &b, loop, 2);
	cap = utopo_wan_capture();		/* in gm2, on its WAN */
	utopo_enter("h1");
	for (uint16_t seq = 1; seq <= 3; seq++) {
		bool got = false;

		s = utopo_ping_send(0x4756, seq);
		for (int i = 0; i < 200 && !got; i++) {
			ev_run_once(loop, 10);
			got = utopo_ping_reply(s, 0x4756);
		}
		close(s);
		replies += got;
	}
	utopo_wan_drain(cap, &w);
	ck_assert_int_eq(replies, 3);
	ck_assert_msg(w.esp[UTOPO_FROM_GM1] >= 3 && w.esp[UTOPO_FROM_GM2] >= 3 &&
		      w.clear[UTOPO_FROM_GM1] + w.clear[UTOPO_FROM_GM2] == 0,
		      "WAN: %u + %u ESP, %u + %u clear", w.esp[UTOPO_FROM_GM1],
		      w.esp[UTOPO_FROM_GM2], w.clear[UTOPO_FROM_GM1],
		      w.clear[UTOPO_FROM_GM2]);
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_ENCAP), 3);
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_DECAP), 3);
	ck_assert_uint_ge(uf_ctr(&b, IPSEC_USER_DECAP), 3);
	ck_assert_uint_ge(uf_ctr(&b, IPSEC_USER_ENCAP), 3);
	/* Detach leaves gm1 without our rules and without the TUN. */
	utopo_enter("gm1");
	ipsec_close(&a);
	nl = kroute_open(err, sizeof(err));
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(kroute_link_get(nl, IPSEC_USER_TUN_DEFAULT, NULL, NULL),
			 -1);
	kroute_close(nl);
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
	struct kroute_rule stale = { .priority = IPSEC_USER_PRIO_FIRST + 3,
				   .table = IPSEC_USER_TABLE_LAN,
				   .protocol = IPSEC_USER_RTPROT,
				   .iif = "lan0" };
	static const char *const lans[] = { "lan0", "nosuch9" };
	struct evloop *loop = ev_new();
	struct ipsec_ctx x;
	struct kroute *nl;
	char err[128];

	utopo_enter("gm1");
	nl = kroute_open(err, sizeof(err));
	/* An earlier case that failed half-way may have left its own. */
	kroute_rule_flush(nl, IPSEC_USER_PRIO_FIRST, IPSEC_USER_PRIO_LAST,
			IPSEC_USER_RTPROT);
	ck_assert_int_eq(kroute_rule_add(nl, &stale), 0);
	ck_assert_int_eq(ours(nl), 1);
	ck_assert_int_eq(ipsec_open(&x, &ipsec_user_backend, loop, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(ipsec_user_attach(&x, "wan0", lans, 2), -1);
	ck_assert_ptr_nonnull(strstr(ipsec_user_error(&x), "nosuch9"));
	ck_assert_int_eq(ipsec_user_attach(&x, "wan0", lans, 1), 0);
	ck_assert_int_eq(ours(nl), 3);		/* ESP, LAN, WAN cleartext */
	ck_assert_int_eq(ipsec_user_attach(&x, "nosuch8", lans, 1), -1);
	ck_assert_int_eq(ours(nl), 0);
	ck_assert_int_eq(kroute_link_get(nl, IPSEC_USER_TUN_DEFAULT, NULL, NULL),
			 -1);
	ipsec_close(&x);
	kroute_close(nl);
	ev_free(loop);
}
END_TEST

static int
guards(struct kroute *nl)
{
	return ours_at(nl, IPSEC_USER_PRIO_GUARD);
}

/* The fail-close guard follows the interfaces named, survives detach,
 * close and the next start's flush, and goes only when asked. */
START_TEST(test_root_guard_outlives_process)
{
	static const char *const lans[] = { "lan0" };
	struct evloop *loop = ev_new();
	struct ipsec_ctx x;
	struct kroute *nl;
	char err[128];

	utopo_enter("gm1");
	nl = kroute_open(err, sizeof(err));
	ck_assert_int_eq(ipsec_open(&x, &ipsec_user_backend, loop, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(ipsec_user_attach(&x, "wan0", lans, 1), 0);
	ck_assert_int_eq(ipsec_user_guard(&x, "wan0", lans, 1), 0);
	ck_assert_int_eq(guards(nl), 2);
	ck_assert_int_eq(ipsec_user_guard(&x, "wan0", lans, 1), 0);
	ck_assert_int_eq(guards(nl), 2);	/* kept, not doubled */
	ck_assert_int_eq(ipsec_user_guard(&x, "wan0", NULL, 0), 0);
	ck_assert_int_eq(guards(nl), 1);	/* lan0's went */
	ck_assert_int_eq(ipsec_user_guard(&x, "wan0", lans, 1), 0);
	ipsec_close(&x);
	ck_assert_int_eq(ours(nl), 2);		/* the guard alone */
	ck_assert_int_eq(kroute_route_flush(nl, IPSEC_USER_TABLE_LAN,
					  IPSEC_USER_RTPROT), 0);
	ck_assert_int_eq(ipsec_open(&x, &ipsec_user_backend, loop, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(guards(nl), 2);	/* the start flush keeps it */
	ck_assert_int_eq(ipsec_user_guard(&x, NULL, NULL, 0), 0);
	ck_assert_int_eq(guards(nl), 0);
	ck_assert_int_eq(kroute_route_flush(nl, IPSEC_USER_TABLE_GUARD,
					  IPSEC_USER_RTPROT), 0);
	ipsec_close(&x);
	kroute_close(nl);
	ev_free(loop);
}
END_TEST

void
user_netns_tcases(Suite *s)
{
	TCase *tc;

	tc = tcase_create("root-netlink");
	tcase_set_tags(tc, "root");
	tcase_add_test(tc, test_root_kroute);
	tcase_add_test(tc, test_root_tun);
	suite_add_tcase(s, tc);

	tc = tcase_create("root-netns");
	tcase_set_tags(tc, "root");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, lab_setup, utopo_teardown);
	tcase_add_test(tc, test_root_ping_crosses_as_esp);
	tcase_add_test(tc, test_root_stale_and_failed_attach);
	tcase_add_test(tc, test_root_guard_outlives_process);
	suite_add_tcase(s, tc);
}
