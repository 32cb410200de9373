/*
 * user data plane: the SPD (first match by priority, selectors, the
 * fixed UDP 848 bypass, fragments, the inbound selector check, speed
 * with 100 policies), the SAD (several SAs at once, re-installing an SA
 * keeps its sender state, unusable transforms), and the packet path of
 * the "user" backend driven without a TUN: two backends sharing a group
 * SA encapsulate and decapsulate each other's packets, and every verdict
 * lands in its counter.
 *
 * The root cases (tagged "root") are in user_netns.c.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipsec/ipsec.h"
#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "ipsec/user.h"
#include "platform/evloop.h"
#include "user_fixtures.h"

Suite *suite_user(void);

/* ---- SPD ---- */

static struct spd *
spd_fixture(void)
{
	struct spd *s = spd_new();
	struct ipsec_policy v[] = {
		uf_policy(UF_GROUP, 100, IPSEC_ACT_PROTECT, 0, "192.168.0.0",
			  16, "192.168.0.0", 16, 0, UF_SPI_MAIN),
		uf_policy(UF_GROUP, 10, IPSEC_ACT_DROP, UF_TCP, "0.0.0.0", 0,
			  "0.0.0.0", 0, 23, 0),
		uf_policy(UF_GROUP, 20, IPSEC_ACT_BYPASS, UF_ICMP,
			  "192.168.1.0", 24, "192.168.1.0", 24, 0, 0),
		uf_policy(UF_GROUP, 100, IPSEC_ACT_BYPASS, 0, "10.0.0.0", 8,
			  "0.0.0.0", 0, 0, 0),
		uf_policy(2000, 50, IPSEC_ACT_PROTECT, UF_UDP, "172.16.0.0", 12,
			  "172.16.0.0", 12, 5000, 0x77),
	};

	uint32_t ks = uf_ip4("192.168.2.1");

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_int_eq(spd_add(s, &v[i]), 0);
	spd_set_gdoi_peers(s, &ks, 1);
	return s;
}

static const struct {
	const char *name;
	uint8_t proto;
	const char *src, *dst;
	uint16_t sport, dport;
	int prio;			/* -1: no policy; 0: the GDOI bypass */
	enum ipsec_action act;
} spd_cases[] = {
	{ "lan to lan", UF_ICMP, "192.168.1.10", "192.168.2.10", 1, 1, 100,
	  IPSEC_ACT_PROTECT },
	{ "telnet dropped first", UF_TCP, "192.168.1.10", "192.168.2.10",
	  40000, 23, 10, IPSEC_ACT_DROP },
	{ "local deny icmp", UF_ICMP, "192.168.1.10", "192.168.1.20", 1, 1, 20,
	  IPSEC_ACT_BYPASS },
	{ "local deny is icmp only", UF_UDP, "192.168.1.10", "192.168.1.20",
	  53, 53, 100, IPSEC_ACT_PROTECT },
	{ "outside every acl", UF_ICMP, "192.168.1.10", "8.8.8.8", 1, 1, -1,
	  IPSEC_ACT_BYPASS },
	{ "equal priority keeps insertion order", UF_TCP, "10.1.1.1",
	  "192.168.2.2", 1000, 80, 100, IPSEC_ACT_BYPASS },
	{ "gdoi bypass beats protect", UF_UDP, "192.168.1.10", "192.168.2.1",
	  848, 848, 0, IPSEC_ACT_BYPASS },
	{ "gdoi bypass from the ks", UF_UDP, "192.168.2.1", "192.168.1.10",
	  848, 848, 0, IPSEC_ACT_BYPASS },
	{ "848 both ways, no ks", UF_UDP, "192.168.1.10", "192.168.2.10",
	  848, 848, 100, IPSEC_ACT_PROTECT },
	{ "dport 848 alone to the ks", UF_UDP, "192.168.1.10", "192.168.2.1",
	  5000, 848, 100, IPSEC_ACT_PROTECT },
	{ "sport 848 alone from the ks", UF_UDP, "192.168.2.1", "192.168.1.10",
	  848, 53, 100, IPSEC_ACT_PROTECT },
	{ "tcp 848 is not gdoi", UF_TCP, "192.168.1.10", "192.168.2.10",
	  848, 848, 100, IPSEC_ACT_PROTECT },
	{ "port range hit", UF_UDP, "172.16.1.1", "172.17.2.2", 7, 5000, 50,
	  IPSEC_ACT_PROTECT },
	{ "port range miss", UF_UDP, "172.16.1.1", "172.17.2.2", 7, 5001, -1,
	  IPSEC_ACT_BYPASS },
	{ "proto miss", UF_TCP, "172.16.1.1", "172.17.2.2", 7, 5000, -1,
	  IPSEC_ACT_BYPASS },
};

START_TEST(test_spd_lookup)
{
	struct spd *s = spd_fixture();
	uint8_t pkt[128];
	struct spd_key k;
	const struct ipsec_policy *p;
	size_t len = uf_pkt(pkt, spd_cases[_i].proto, spd_cases[_i].src,
			    spd_cases[_i].dst, spd_cases[_i].sport,
			    spd_cases[_i].dport, 4);

	ck_assert_int_eq(spd_key_of(pkt, len, &k), 0);
	p = spd_lookup(s, &k);
	if (spd_cases[_i].prio < 0) {
		ck_assert_msg(p == NULL, "%s: matched %u", spd_cases[_i].name,
			      p ? p->priority : 0);
	} else {
		ck_assert_msg(p != NULL, "%s: no match", spd_cases[_i].name);
		ck_assert_uint_eq(p->priority, (unsigned)spd_cases[_i].prio);
		ck_assert_int_eq(p->action, spd_cases[_i].act);
		ck_assert_int_eq(spd_is_gdoi_bypass(s, &k),
				 spd_cases[_i].prio == 0);
	}
	spd_free(s);
}
END_TEST

START_TEST(test_spd_order_and_flush)
{
	struct spd *s = spd_fixture();
	static const unsigned want[] = { 10, 20, 50, 100, 100 };

	ck_assert_uint_eq(spd_count(s), 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_uint_eq(spd_at(s, i)->priority, want[i]);
	/* Equal priorities stay in insertion order: PROTECT came first. */
	ck_assert_int_eq(spd_at(s, 3)->action, IPSEC_ACT_PROTECT);
	ck_assert_ptr_null(spd_at(s, 5));
	spd_flush_group(s, UF_GROUP);
	ck_assert_uint_eq(spd_count(s), 1);
	ck_assert_uint_eq(spd_at(s, 0)->group_id, 2000);
	spd_clear(s);
	ck_assert_uint_eq(spd_count(s), 0);
	spd_free(s);
}
END_TEST

START_TEST(test_spd_refuses)
{
	struct spd *s = spd_new();
	struct ipsec_policy p = uf_policy(1, 1, IPSEC_ACT_PROTECT, UF_UDP,
					  "0.0.0.0", 0, "0.0.0.0", 0, 0, 1);

	p.dport_lo = 200;
	p.dport_hi = 100;
	ck_assert_int_eq(spd_add(s, &p), -1);
	p.dport_hi = 300;
	p.action = (enum ipsec_action)42;
	ck_assert_int_eq(spd_add(s, &p), -1);
	ck_assert_uint_eq(spd_count(s), 0);
	/* Address bits outside the mask do not matter. */
	p = uf_policy(1, 1, IPSEC_ACT_DROP, 0, "192.168.1.77", 16, "0.0.0.0", 0,
		      0, 0);
	ck_assert_int_eq(spd_add(s, &p), 0);
	ck_assert_uint_eq(spd_at(s, 0)->src, uf_ip4("192.168.0.0"));
	spd_free(s);
}
END_TEST

static const struct {
	const char *name;
	uint8_t hdr0;			/* version | IHL */
	size_t len;			/* octets offered */
	uint16_t frag;			/* flags | offset */
	uint8_t proto;
	int rc;
	bool no_ports;
} key_cases[] = {
	{ "udp whole", 0x45, 28, 0x4000, UF_UDP, 0, false },
	{ "icmp has no ports", 0x45, 28, 0, UF_ICMP, 0, true },
	{ "non-first fragment", 0x45, 28, 0x0010, UF_UDP, 0, true },
	{ "first fragment with ports", 0x45, 24, 0x2000, UF_UDP, 0, false },
	{ "first fragment too short", 0x45, 22, 0x2000, UF_UDP, -1, false },
	{ "header only", 0x45, 20, 0, UF_TCP, -1, false },
	{ "short", 0x45, 19, 0, UF_UDP, -1, false },
	{ "ipv6", 0x65, 40, 0, UF_UDP, -1, false },
	{ "ihl 4", 0x44, 28, 0, UF_UDP, -1, false },
	{ "ihl past the end", 0x4f, 40, 0, UF_UDP, -1, false },
	{ "options then ports", 0x46, 28, 0, UF_UDP, 0, false },
	{ "empty", 0x45, 0, 0, UF_UDP, -1, false },
};

START_TEST(test_spd_key_of)
{
	uint8_t pkt[64];
	struct spd_key k;

	uf_pkt(pkt, UF_UDP, "1.2.3.4", "5.6.7.8", 1111, 2222, 16);
	pkt[0] = key_cases[_i].hdr0;
	pkt[9] = key_cases[_i].proto;
	uf_put16(pkt + 6, key_cases[_i].frag);
	ck_assert_msg(spd_key_of(pkt, key_cases[_i].len, &k) ==
		      key_cases[_i].rc, "%s", key_cases[_i].name);
	if (key_cases[_i].rc == 0) {
		ck_assert_uint_eq(k.proto, key_cases[_i].proto);
		ck_assert_uint_eq(k.src, uf_ip4("1.2.3.4"));
		ck_assert_int_eq(k.no_ports, key_cases[_i].no_ports);
		if (!k.no_ports && key_cases[_i].hdr0 == 0x45) {
			ck_assert_uint_eq(k.sport, 1111);
			ck_assert_uint_eq(k.dport, 2222);
		}
	}
}
END_TEST

START_TEST(test_spd_fragment_ports)
{
	struct spd *s = spd_new();
	struct ipsec_policy p = uf_policy(1, 1, IPSEC_ACT_PROTECT, UF_UDP,
					  "0.0.0.0", 0, "0.0.0.0", 0, 5000, 9);
	struct spd_key k = { .proto = UF_UDP, .src = uf_ip4("1.1.1.1"),
			     .dst = uf_ip4("2.2.2.2"), .dport = 5000 };

	ck_assert_int_eq(spd_add(s, &p), 0);
	ck_assert_ptr_nonnull(spd_lookup(s, &k));
	/* A later fragment cannot prove its port: only port-free entries. */
	k.no_ports = true;
	ck_assert_ptr_null(spd_lookup(s, &k));
	p = uf_policy(1, 2, IPSEC_ACT_DROP, UF_UDP, "0.0.0.0", 0, "0.0.0.0", 0,
		      0, 0);
	ck_assert_int_eq(spd_add(s, &p), 0);
	ck_assert_int_eq(spd_lookup(s, &k)->action, IPSEC_ACT_DROP);
	spd_free(s);
}
END_TEST

START_TEST(test_spd_inbound)
{
	struct spd *s = spd_new();
	struct ipsec_policy p = uf_policy(UF_GROUP, 1, IPSEC_ACT_PROTECT,
					  UF_TCP, "10.1.0.0", 16, "10.2.0.0",
					  16, 443, 9);
	struct ipsec_policy b = uf_policy(UF_GROUP, 0, IPSEC_ACT_BYPASS, 0,
					  "0.0.0.0", 0, "0.0.0.0", 0, 0, 0);
	struct spd_key fwd = { .proto = UF_TCP, .src = uf_ip4("10.1.1.1"),
			       .dst = uf_ip4("10.2.2.2"), .sport = 999,
			       .dport = 443 };
	struct spd_key rev = { .proto = UF_TCP, .src = uf_ip4("10.2.2.2"),
			       .dst = uf_ip4("10.1.1.1"), .sport = 443,
			       .dport = 999 };
	struct spd_key other = rev;

	other.sport = 80;
	ck_assert_int_eq(spd_add(s, &b), 0);
	ck_assert_int_eq(spd_add(s, &p), 0);
	ck_assert(spd_inbound_ok(s, UF_GROUP, &fwd));
	ck_assert(spd_inbound_ok(s, UF_GROUP, &rev));
	ck_assert(!spd_inbound_ok(s, UF_GROUP, &other));
	ck_assert(!spd_inbound_ok(s, UF_GROUP + 1, &fwd));
	spd_free(s);
}
END_TEST

/* A hundred policies, the packet matching only the last, for every
 * ephemeral source port: the scan passes the 99 that do not match (its cost is a bench
 * figure, not a test). */
START_TEST(test_spd_last_of_100)
{
	struct spd *s = spd_new();
	struct spd_key k = { .proto = UF_UDP, .src = uf_ip4("192.168.1.10"),
			     .dst = uf_ip4("192.168.2.10"), .sport = 1,
			     .dport = 4000 };
	const struct ipsec_policy *p = NULL;

	for (unsigned i = 0; i < 99; i++) {
		struct ipsec_policy q = uf_policy(UF_GROUP, i,
						  IPSEC_ACT_PROTECT, UF_UDP,
						  "10.0.0.0", 8, "10.0.0.0", 8,
						  (uint16_t)(1000 + i), i);

		ck_assert_int_eq(spd_add(s, &q), 0);
	}
	struct ipsec_policy last = uf_policy(UF_GROUP, 500, IPSEC_ACT_PROTECT,
					     0, "192.168.0.0", 16,
					     "192.168.0.0", 16, 0, 1);
	ck_assert_int_eq(spd_add(s, &last), 0);
	for (long i = 1024; i < 65536; i++) {	/* ephemeral source ports */
		k.sport = (uint16_t)i;
		p = spd_lookup(s, &k);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(p->priority, 500);
	}
	spd_free(s);
}
END_TEST

/* ---- SAD ---- */

START_TEST(test_sad_basic)
{
	struct sad *d = sad_new();
	struct ipsec_sa a = uf_gcm_sa(1, IPSEC_DIR_IN, 0, 0x11);
	struct ipsec_sa b = uf_gcm_sa(1, IPSEC_DIR_OUT, 3, 0x11);
	struct ipsec_sa c = uf_gcm_sa(2, IPSEC_DIR_IN, 0, 0x22);
	struct ipsec_sa bad = uf_gcm_sa(3, IPSEC_DIR_OUT, 0, 0x33);

	bad.sid_bits = 0;		/* GCM sender without a sender ID */
	ck_assert_int_eq(sad_add(d, &a), 0);
	ck_assert_int_eq(sad_add(d, &b), 0);
	ck_assert_int_eq(sad_add(d, &c), 0);
	ck_assert_int_eq(sad_add(d, &bad), -1);
	ck_assert_uint_eq(sad_count(d), 3);
	ck_assert_ptr_nonnull(sad_find(d, htonl(1), IPSEC_DIR_IN));
	ck_assert_ptr_nonnull(sad_find(d, htonl(1), IPSEC_DIR_OUT));
	ck_assert_ptr_null(sad_find(d, htonl(2), IPSEC_DIR_OUT));
	ck_assert_ptr_null(sad_find(d, htonl(3), IPSEC_DIR_OUT));
	ck_assert_uint_eq(sad_find(d, htonl(2), IPSEC_DIR_IN)->group_id,
			  UF_GROUP);
	ck_assert_int_eq(sad_del(d, htonl(1), IPSEC_DIR_IN), 0);
	ck_assert_int_eq(sad_del(d, htonl(1), IPSEC_DIR_IN), -1);
	ck_assert_ptr_null(sad_find(d, htonl(1), IPSEC_DIR_IN));
	ck_assert_ptr_nonnull(sad_find(d, htonl(2), IPSEC_DIR_IN));
	sad_flush(d);
	ck_assert_uint_eq(sad_count(d), 0);
	ck_assert_ptr_null(sad_at(d, 0));
	sad_free(d);
}
END_TEST

START_TEST(test_sad_counter_replay)
{
	struct sad *d = sad_new();
	struct ipsec_sa in = uf_gcm_sa(5, IPSEC_DIR_IN, 0, 0x55);
	struct sad_sa *s;

	in.replay = IPSEC_REPLAY_COUNTER;
	in.replay_window = 0;
	ck_assert_int_eq(sad_add(d, &in), 0);
	s = sad_find(d, htonl(5), IPSEC_DIR_IN);
	ck_assert(s->has_replay);
	ck_assert_uint_eq(s->replay.rs_size, REPLAY_WINDOW_DEFAULT);
	in.spi = htonl(6);
	in.replay_window = 100000;
	ck_assert_int_eq(sad_add(d, &in), 0);
	ck_assert_uint_eq(sad_find(d, htonl(6), IPSEC_DIR_IN)->replay.rs_size,
			  REPLAY_WINDOW_MAX);
	sad_free(d);
}
END_TEST

START_TEST(test_sad_full)
{
	struct sad *d = sad_new();
	struct ipsec_sa in = uf_gcm_sa(0, IPSEC_DIR_IN, 0, 0x66);

	for (uint32_t i = 0; i < SAD_MAX; i++) {
		in.spi = htonl(i + 1);
		ck_assert_int_eq(sad_add(d, &in), 0);
	}
	in.spi = htonl(SAD_MAX + 1);
	ck_assert_int_eq(sad_add(d, &in), -1);
	/* Re-installing one that is there still works when full. */
	in.spi = htonl(7);
	ck_assert_int_eq(sad_add(d, &in), 0);
	ck_assert_uint_eq(sad_count(d), SAD_MAX);
	sad_free(d);
}
END_TEST

/* ---- the packet path, two backends without a TUN ---- */

struct pair {
	struct evloop *loop;
	struct ipsec_ctx a, b;		/* gm1, gm2 */
	uint8_t *buf;
};

static struct pair P;

static void
pair_setup(void)
{
	char err[128];
	const struct ipsec_backend *be = ipsec_backend_find("user");
	struct ipsec_sa ronly = uf_gcm_sa(UF_SPI_RONLY, IPSEC_DIR_IN, 0, 0xcd);
	uint32_t ks = uf_ip4("192.168.2.1");
	struct ipsec_policy extra[] = {
		uf_policy(UF_GROUP, 10, IPSEC_ACT_DROP, UF_TCP, "0.0.0.0", 0,
			  "0.0.0.0", 0, 23, 0),
		uf_policy(UF_GROUP, 20, IPSEC_ACT_BYPASS, UF_ICMP,
			  "192.168.1.0", 24, "192.168.1.0", 24, 0, 0),
		uf_policy(UF_GROUP, 30, IPSEC_ACT_PROTECT, UF_UDP,
			  "192.168.0.0", 16, "10.9.0.0", 16, 0, UF_SPI_RONLY),
		uf_policy(UF_GROUP, 40, IPSEC_ACT_PROTECT, 0, "192.168.0.0", 16,
			  "172.16.0.0", 12, 0, UF_SPI_NOSA),
		uf_policy(UF_GROUP, 200, IPSEC_ACT_PROTECT, 0, "10.1.0.0", 16,
			  "10.2.0.0", 16, 0, UF_SPI_MAIN),
	};

	ck_assert_ptr_nonnull(be);
	P.loop = ev_new();
	ev_set_virtual_clock(P.loop, 1000000);
	ck_assert_int_eq(ipsec_open(&P.a, be, P.loop, err, sizeof(err)), 0);
	ck_assert_int_eq(ipsec_open(&P.b, be, P.loop, err, sizeof(err)), 0);
	uf_install(&P.a, 1);
	uf_install(&P.b, 2);
	ipsec_user_set_gdoi_peers(&P.a, &ks, 1);
	ck_assert_int_eq(P.a.be->sa_add(&P.a, &ronly), 0);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		ck_assert_int_eq(P.a.be->policy_add(&P.a, &extra[i]), 0);
	P.buf = calloc(1, IPSEC_USER_BUF_LEN);
}

static void
pair_teardown(void)
{
	ipsec_close(&P.a);
	ipsec_close(&P.b);
	ev_free(P.loop);
	free(P.buf);
}

/* Run pkt through backend x; returns the verdict, copies the result. */
static int
run(struct ipsec_ctx *x, const uint8_t *pkt, size_t len, uint8_t *res,
    size_t *reslen)
{
	const uint8_t *out = NULL;
	size_t outlen = 0;
	int rc;

	memcpy(P.buf + IPSEC_USER_HEADROOM, pkt, len);
	rc = ipsec_user_process(x, P.buf, IPSEC_USER_BUF_LEN, len, &out,
				&outlen);
	if (rc == 0 && res != NULL) {
		ck_assert(out >= P.buf && out + outlen <= P.buf +
			  IPSEC_USER_BUF_LEN);
		memcpy(res, out, outlen);
		*reslen = outlen;
	}
	return rc;
}

static const struct {
	const char *name;
	uint8_t proto;
	const char *src, *dst;
	uint16_t sport, dport;
	int rc;
	enum ipsec_user_ctr counter;
} path_cases[] = {
	{ "protect lan to lan", UF_ICMP, "192.168.1.10", "192.168.2.10", 1, 1,
	  0, IPSEC_USER_ENCAP },
	{ "drop policy", UF_TCP, "192.168.1.10", "192.168.2.10", 4000, 23, -1,
	  IPSEC_USER_DROP_POLICY },
	{ "local deny", UF_ICMP, "192.168.1.10", "192.168.1.20", 1, 1, 0,
	  IPSEC_USER_BYPASS },
	{ "not in the acl", UF_ICMP, "192.168.1.10", "8.8.8.8", 1, 1, 0,
	  IPSEC_USER_BYPASS },
	{ "848 both ports, no ks", UF_UDP, "192.168.1.10", "192.168.2.10",
	  848, 848, 0, IPSEC_USER_ENCAP },
	{ "gdoi to a ks", UF_UDP, "192.168.1.10", "192.168.2.1", 848, 848, 0,
	  IPSEC_USER_GDOI_BYPASS },
	{ "dport 848 alone to a ks", UF_UDP, "192.168.1.10", "192.168.2.1",
	  5000, 848, 0, IPSEC_USER_ENCAP },
	{ "receive-only sa", UF_UDP, "192.168.1.10", "10.9.1.1", 5000, 53, 0,
	  IPSEC_USER_RECV_ONLY },
	{ "no sa, fail-close", UF_ICMP, "192.168.1.10", "172.16.1.1", 1, 1, -1,
	  IPSEC_USER_DROP_NO_SA },
	{ "esp with an unknown spi", UF_ESP, "192.168.2.10", "192.168.1.10", 0,
	  0, -1, IPSEC_USER_DROP_UNKNOWN_SPI },
};

START_TEST(test_path_verdicts)
{
	uint8_t pkt[256], res[512];
	size_t len, reslen = 0;
	int rc;

	len = uf_pkt(pkt, path_cases[_i].proto, path_cases[_i].src,
		     path_cases[_i].dst, path_cases[_i].sport,
		     path_cases[_i].dport, 40);
	if (path_cases[_i].proto == UF_ESP)
		memset(pkt + 20, 0x99, 8);
	rc = run(&P.a, pkt, len, res, &reslen);
	ck_assert_msg(rc == path_cases[_i].rc, "%s: verdict %d",
		      path_cases[_i].name, rc);
	ck_assert_msg(uf_ctr(&P.a, path_cases[_i].counter) == 1,
		      "%s: %s = %llu",
		      path_cases[_i].name,
		      ipsec_user_ctr_name(path_cases[_i].counter),
		      (unsigned long long)uf_ctr(&P.a, path_cases[_i].counter));
	if (rc != 0)
		return;
	if (path_cases[_i].counter == IPSEC_USER_ENCAP) {
		/* Address preservation: outer src/dst are the inner ones. */
		ck_assert_uint_eq(res[9], UF_ESP);
		ck_assert_mem_eq(res + 12, pkt + 12, 8);
		ck_assert_uint_gt(reslen, len);
	} else {
		ck_assert_uint_eq(reslen, len);
		ck_assert_mem_eq(res, pkt, len);
	}
}
END_TEST

static const struct {
	const char *name;
	size_t len;
	uint8_t hdr0;
	int rc;
} bad_cases[] = {
	{ "empty", 0, 0x45, -1 },
	{ "ipv6", 60, 0x60, -1 },
	{ "short header", 12, 0x45, -1 },
	{ "esp without spi", 24, 0x45, -1 },
};

START_TEST(test_path_malformed)
{
	uint8_t pkt[128];
	size_t len = uf_pkt(pkt, UF_ESP, "192.168.2.10", "192.168.1.10", 0, 0,
			    40);

	ck_assert_uint_ge(len, bad_cases[_i].len);
	pkt[0] = bad_cases[_i].hdr0;
	ck_assert_int_eq(run(&P.a, pkt, bad_cases[_i].len, NULL, NULL),
			 bad_cases[_i].rc);
	ck_assert_uint_eq(uf_ctr(&P.a, IPSEC_USER_DROP_MALFORMED), 1);
	/* A buffer without room for the headroom is refused outright. */
	ck_assert_int_eq(ipsec_user_process(&P.a, P.buf, 10, 0, NULL, NULL),
			 -1);
}
END_TEST

START_TEST(test_path_roundtrip)
{
	uint8_t pkt[1600], esp[1800], back[1800];
	size_t len, elen = 0, blen = 0;
	struct ipsec_stats st;

	for (size_t payload = 0; payload < 1400; payload += 97) {
		len = uf_pkt(pkt, UF_UDP, "192.168.1.10", "192.168.2.10", 1234,
			     4321, payload);
		ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
		ck_assert_int_eq(run(&P.b, esp, elen, back, &blen), 0);
		ck_assert_uint_eq(blen, len);
		ck_assert_mem_eq(back, pkt, len);
		/* And the reply, the other way. */
		len = uf_pkt(pkt, UF_ICMP, "192.168.2.10", "192.168.1.10", 7,
			     (uint16_t)payload, payload);
		ck_assert_int_eq(run(&P.b, pkt, len, esp, &elen), 0);
		ck_assert_int_eq(run(&P.a, esp, elen, back, &blen), 0);
		ck_assert_mem_eq(back, pkt, len);
	}
	ck_assert_uint_eq(uf_ctr(&P.a, IPSEC_USER_ENCAP), 15);
	ck_assert_uint_eq(uf_ctr(&P.a, IPSEC_USER_DECAP), 15);
	ck_assert_uint_eq(uf_ctr(&P.b, IPSEC_USER_DECAP), 15);
	ck_assert_int_eq(P.a.be->sa_stats(&P.a, htonl(UF_SPI_MAIN),
					  IPSEC_DIR_OUT, &st), 0);
	ck_assert_uint_eq(st.packets, 15);
	ck_assert_int_eq(P.b.be->sa_stats(&P.b, htonl(UF_SPI_MAIN),
					  IPSEC_DIR_IN, &st), 0);
	ck_assert_uint_eq(st.packets, 15);
	ck_assert_uint_eq(st.drops, 0);
	ck_assert_int_eq(P.b.be->sa_stats(&P.b, htonl(0x4444), IPSEC_DIR_IN,
					  &st), -1);
}
END_TEST

/* Every single-octet change after the SPI is refused (ICV), counted per
 * reason, and nothing is written. */
START_TEST(test_path_tamper)
{
	uint8_t pkt[256], esp[512], bad[512];
	size_t len, elen = 0;
	struct ipsec_user_stats st;
	struct ipsec_stats sa;
	uint64_t n = 0;

	len = uf_pkt(pkt, UF_ICMP, "192.168.1.10", "192.168.2.10", 1, 1, 64);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	for (size_t off = 24; off < elen; off++) {
		memcpy(bad, esp, elen);
		bad[off] ^= 0x01;
		ck_assert_msg(run(&P.b, bad, elen, NULL, NULL) == -1,
			      "flip at %zu accepted", off);
		n++;
	}
	ck_assert_int_eq(ipsec_user_stats(&P.b, &st), 0);
	ck_assert_uint_eq(st.ctr[IPSEC_USER_DROP_DECAP], n);
	ck_assert_uint_eq(st.esp_drop[ESP_DROP_AUTH], n);
	ck_assert_uint_eq(st.ctr[IPSEC_USER_DECAP], 0);
	ck_assert_int_eq(P.b.be->sa_stats(&P.b, htonl(UF_SPI_MAIN),
					  IPSEC_DIR_IN, &sa), 0);
	ck_assert_uint_eq(sa.drops, n);
	ck_assert_uint_eq(sa.packets, 0);
	/* The untouched packet still goes through. */
	ck_assert_int_eq(run(&P.b, esp, elen, NULL, NULL), 0);
}
END_TEST

/* A decrypted packet outside the group's selectors is dropped. */
START_TEST(test_path_selector)
{
	uint8_t pkt[256], esp[512];
	size_t len, elen = 0;
	struct ipsec_stats st;

	len = uf_pkt(pkt, UF_ICMP, "10.1.1.1", "10.2.2.2", 1, 1, 32);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_uint_eq(esp[9], UF_ESP);
	ck_assert_int_eq(run(&P.b, esp, elen, NULL, NULL), -1);
	ck_assert_uint_eq(uf_ctr(&P.b, IPSEC_USER_DROP_SELECTOR), 1);
	ck_assert_int_eq(P.b.be->sa_stats(&P.b, htonl(UF_SPI_MAIN),
					  IPSEC_DIR_IN, &st), 0);
	ck_assert_uint_eq(st.drops, 1);
}
END_TEST

/* TBAR: a receiver whose pseudotime is past the window drops; one in
 * step accepts. */
START_TEST(test_path_tbar)
{
	uint8_t pkt[256], esp[512];
	size_t len, elen = 0;
	struct ipsec_user_stats st;

	ipsec_user_set_pseudotime(&P.a, UF_GROUP, 50000);
	ipsec_user_set_pseudotime(&P.b, UF_GROUP, 50000 + 60000);
	len = uf_pkt(pkt, UF_ICMP, "192.168.1.10", "192.168.2.10", 1, 1, 32);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_int_eq(run(&P.b, esp, elen, NULL, NULL), -1);
	ck_assert_int_eq(ipsec_user_stats(&P.b, &st), 0);
	ck_assert_uint_eq(st.esp_drop[ESP_DROP_REPLAY], 1);
	/* Both clocks run on: 3 s later b is re-synchronised (a rekey). */
	ev_advance(P.loop, 3000);
	ipsec_user_set_pseudotime(&P.b, UF_GROUP, 53000 + 1000);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_int_eq(run(&P.b, esp, elen, NULL, NULL), 0);
}
END_TEST

/* The ESP sequence number of a packet the path produced. */
static uint32_t
esp_seq(const uint8_t *esp)
{
	return (uint32_t)esp[24] << 24 | (uint32_t)esp[25] << 16 |
	       (uint32_t)esp[26] << 8 | esp[27];
}

/* Re-installing the same outbound SA keeps its counters (a GCM nonce
 * must never repeat); new keys start a fresh sender. */
START_TEST(test_path_reinstall)
{
	uint8_t pkt[256], esp[512];
	size_t len, elen = 0;
	struct ipsec_sa out = uf_gcm_sa(UF_SPI_MAIN, IPSEC_DIR_OUT, 1, 0xab);

	len = uf_pkt(pkt, UF_ICMP, "192.168.1.10", "192.168.2.10", 1, 1, 32);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_uint_eq(esp_seq(esp), 2);
	out.lifetime_s = 100;
	ck_assert_int_eq(P.a.be->sa_add(&P.a, &out), 0);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_uint_eq(esp_seq(esp), 3);
	out.enc_key[0] ^= 1;
	ck_assert_int_eq(P.a.be->sa_add(&P.a, &out), 0);
	ck_assert_int_eq(run(&P.a, pkt, len, esp, &elen), 0);
	ck_assert_uint_eq(esp_seq(esp), 1);
	/* b still has the old key: the new one does not open there. */
	ck_assert_int_eq(run(&P.b, esp, elen, NULL, NULL), -1);
}
END_TEST

START_TEST(test_path_fail_open_and_flush)
{
	uint8_t pkt[256];
	size_t len;
	struct ipsec_user_stats st;

	len = uf_pkt(pkt, UF_ICMP, "192.168.1.10", "172.16.1.1", 1, 1, 8);
	ipsec_user_set_fail_close(&P.a, false);
	ck_assert_int_eq(run(&P.a, pkt, len, NULL, NULL), 0);
	ck_assert_uint_eq(uf_ctr(&P.a, IPSEC_USER_BYPASS), 1);
	ipsec_user_set_fail_close(&P.a, true);
	ck_assert_int_eq(run(&P.a, pkt, len, NULL, NULL), -1);
	/* Without the group's policies, the traffic is not ours to touch. */
	ck_assert_int_eq(P.a.be->policy_flush(&P.a, UF_GROUP), 0);
	ck_assert_int_eq(run(&P.a, pkt, len, NULL, NULL), 0);
	ck_assert_int_eq(ipsec_user_stats(&P.a, &st), 0);
	ck_assert_uint_eq(st.npolicy, 0);
	ck_assert_uint_eq(st.nsa, 3);
	ck_assert(!st.attached);
	/* Deleting the outbound SA of a protected flow: fail-close again. */
	uf_install(&P.a, 1);
	ck_assert_int_eq(P.a.be->sa_del(&P.a, htonl(UF_SPI_MAIN),
					IPSEC_DIR_OUT), 0);
	ck_assert_int_eq(P.a.be->sa_del(&P.a, htonl(UF_SPI_MAIN),
					IPSEC_DIR_IN), 0);
	len = uf_pkt(pkt, UF_ICMP, "192.168.1.10", "192.168.2.10", 1, 1, 8);
	ck_assert_int_eq(run(&P.a, pkt, len, NULL, NULL), -1);
	ck_assert_int_eq(P.a.be->flush(&P.a), 0);
	ck_assert_int_eq(ipsec_user_stats(&P.a, &st), 0);
	ck_assert_uint_eq(st.nsa + st.npolicy, 0);
}
END_TEST

START_TEST(test_user_api_misuse)
{
	struct ipsec_ctx n;
	struct ipsec_user_stats st;
	char err[64];

	ck_assert_int_eq(ipsec_open(&n, ipsec_backend_find("null"), NULL, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(ipsec_user_stats(&n, &st), -1);
	ck_assert_int_eq(ipsec_user_attach(&n, "wan0", NULL, 0), -1);
	ck_assert_int_eq(ipsec_user_set_tun_name(&n, "x"), -1);
	ipsec_user_detach(&n);
	ipsec_close(&n);
	ck_assert_int_eq(ipsec_user_set_tun_name(&P.a, "a-name-far-too-long"),
			 -1);
	ck_assert_int_eq(ipsec_user_attach(&P.a, NULL, NULL, 0), -1);
	ck_assert_str_eq(ipsec_user_error(&P.a), "bad interface list");
	ck_assert_str_eq(ipsec_user_ctr_name(IPSEC_USER_DROP_NO_SA),
			 "drop-no-sa");
	ck_assert_str_eq(ipsec_user_ctr_name(IPSEC_USER_CTR_COUNT), "?");
}
END_TEST

Suite *
suite_user(void)
{
	Suite *s = suite_create("user");
	TCase *tc;

	tc = tcase_create("spd");
	tcase_add_loop_test(tc, test_spd_lookup, 0,
			    sizeof(spd_cases) / sizeof(spd_cases[0]));
	tcase_add_test(tc, test_spd_order_and_flush);
	tcase_add_test(tc, test_spd_refuses);
	tcase_add_loop_test(tc, test_spd_key_of, 0,
			    sizeof(key_cases) / sizeof(key_cases[0]));
	tcase_add_test(tc, test_spd_fragment_ports);
	tcase_add_test(tc, test_spd_inbound);
	tcase_add_test(tc, test_spd_last_of_100);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("sad");
	tcase_add_test(tc, test_sad_basic);
	tcase_add_test(tc, test_sad_counter_replay);
	tcase_add_test(tc, test_sad_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("path");
	tcase_add_checked_fixture(tc, pair_setup, pair_teardown);
	tcase_add_loop_test(tc, test_path_verdicts, 0,
			    sizeof(path_cases) / sizeof(path_cases[0]));
	tcase_add_loop_test(tc, test_path_malformed, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_path_roundtrip);
	tcase_add_test(tc, test_path_tamper);
	tcase_add_test(tc, test_path_selector);
	tcase_add_test(tc, test_path_tbar);
	tcase_add_test(tc, test_path_reinstall);
	tcase_add_test(tc, test_path_fail_open_and_flush);
	tcase_add_test(tc, test_user_api_misuse);
	suite_add_tcase(s, tc);

	user_netns_tcases(s);
	user_modes_netns_tcases(s);
	return s;
}
