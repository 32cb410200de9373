/*
 * user data plane, root cases on the modes and sizes a member meets
 * (tagged "root"; part of the user suite).  Each case gets its own
 * h1 -lan- gm1 -wan- gm2 -lan- h2 namespaces (prefix "gvm<pid>-"), two
 * user backends in this process, and sockets in h1 / h2:
 *   - receive-only: gm1 holds the group SA inbound only, so h1's traffic
 *     crosses the WAN clear and h2's replies cross as ESP;
 *   - a DF packet too big for the LAN route is answered by the kernel
 *     with ICMP "fragmentation needed" carrying the route's MTU;
 *   - a non-DF packet too big is fragmented before encryption;
 *   - TCP through the TUN offloads (super-packets cut, segments joined);
 *   - forged ESP on the wire is counted and dropped;
 *   - cleartext from the WAN that the group protects is dropped;
 *   - a UDP_SEGMENT super-datagram is cut, encrypted and joined again.
 * The WAN is watched with a packet socket in gm2 (both directions).
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ipsec/esp.h"
#include "ipsec/ipsec.h"
#include "ipsec/user.h"
#include "platform/evloop.h"
#include "platform/kroute.h"
#include "user_fixtures.h"
#include "user_topo.h"

#define H1 "192.168.1.10"
#define H2 "192.168.2.10"
#define WAN_MTU 1500
#define UDP_PORT 4242
#define TCP_PORT 4243
#define TCP_BYTES (2u * 1024 * 1024)
#define TCP_DEADLINE_MS 20000
#define SPI_UNKNOWN 0x44444444u

/* ---- the topology (user_topo.h) ---- */

static void
lab_setup(void)
{
	if (utopo_setup("gvm") != 0)
		fprintf(stderr, "user_modes_netns: topology setup failed\n");
}

/* Both members with the whole group (UF_SPI_MAIN both ways). */
static void
members(struct ipsec_ctx *a, struct ipsec_ctx *b, struct evloop *loop)
{
	utopo_member("gm1", a, loop);
	uf_install(a, 1);
	utopo_member("gm2", b, loop);
	uf_install(b, 2);
}

/* A case ends back in the namespace it started in. */
static int
home_open(void)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(home, 0);
	return home;
}

static void
home_return(int home)
{
	ck_assert_int_eq(setns(home, CLONE_NEWNET), 0);
	close(home);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- sockets in the hosts ---- */

static struct sockaddr_in
sin_of(const char *ip, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	a.sin_addr.s_addr = uf_ip4(ip);
	return a;
}

/* A non-blocking socket made in namespace ns (left current). */
static int
socket_in(const char *ns, int type, int proto)
{
	int s;

	utopo_enter(ns);
	s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	ck_assert_msg(s >= 0, "socket in %s: %s", ns, strerror(errno));
	return s;
}

static int
udp_bound_in(const char *ns, uint16_t port)
{
	int s = socket_in(ns, SOCK_DGRAM, 0);
	struct sockaddr_in a = sin_of("0.0.0.0", port);

	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	return s;
}


/* How many of n pings (id, seq 1..n) from h1 got their reply, the loop
 * running both members meanwhile (up to 1 s each). */
static int
pings(struct evloop *loop, uint16_t id, int n)
{
	int replies = 0;

	for (int seq = 1; seq <= n; seq++) {
		int s = utopo_ping_send(id, (uint16_t)seq);
		bool got = false;

		for (int i = 0; i < 100 && !got; i++) {
			ev_run_once(loop, 10);
			got = utopo_ping_reply(s, id);
		}
		close(s);
		replies += got;
	}
	return replies;
}

/* ---- the WAN, seen from gm2's end ---- */


/* Run the loop for about ms, the WAN drained meanwhile. */
static void
pump(struct evloop *loop, int ms, int cap, struct utopo_wan *w)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	do {
		ev_run_once(loop, 5);
		utopo_wan_drain(cap, w);
	} while (now_ms() < end);
}

/* The MTU metric of the route in table IPSEC_USER_TABLE_LAN of ns (0 if
 * it has none). */
static unsigned
lan_route_mtu(const char *ns)
{
	char cmd[160], line[256];
	unsigned mtu = 0, routes = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip -n %s -4 route show table %u",
		 utopo_ns(ns), IPSEC_USER_TABLE_LAN);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *m = strstr(line, " mtu ");

		routes++;
		if (m != NULL)
			mtu = (unsigned)strtoul(m + 5, NULL, 10);
	}
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_uint_eq(routes, 1);
	return mtu;
}

/* The largest inner packet the fixture's outbound SA puts into one
 * WAN_MTU-octet ESP packet. */
static unsigned
inner_fit(void)
{
	struct ipsec_sa sa = uf_gcm_sa(UF_SPI_MAIN, IPSEC_DIR_OUT, 1, 0xab);
	struct esp_sa *e = esp_sa_new(&sa);
	unsigned fit = WAN_MTU;

	ck_assert_ptr_nonnull(e);
	while (fit > 0 && esp_encap_len(e, fit) > WAN_MTU)
		fit--;
	esp_sa_free(e);
	return fit;
}

static void
assert_no_drops(struct ipsec_ctx *x, const char *who)
{
	for (int c = IPSEC_USER_DROP_POLICY; c <= IPSEC_USER_DROP_WRITE; c++)
		ck_assert_msg(uf_ctr(x, (enum ipsec_user_ctr)c) == 0,
			      "%s: %s = %llu", who,
			      ipsec_user_ctr_name((enum ipsec_user_ctr)c),
			      (unsigned long long)uf_ctr(x,
						 (enum ipsec_user_ctr)c));
}

static void
members_close(struct ipsec_ctx *a, struct ipsec_ctx *b, struct evloop *loop)
{
	ipsec_close(a);
	ipsec_close(b);
	ev_free(loop);
}

/* ---- 1. receive-only ---- */

/* gm1 holds the group SA inbound only, its PROTECT policy present (a
 * receive-only SA, doc/protocol.md §8.5: "do not encrypt"): h1's pings leave
 * gm1 clear, h2's replies come back as ESP that gm1 opens.  gm2 is a
 * passive member (it encrypts, and takes the clear requests). */
START_TEST(test_root_receive_only)
{
	struct ipsec_sa in = uf_gcm_sa(UF_SPI_MAIN, IPSEC_DIR_IN, 0, 0xab);
	struct ipsec_policy p = uf_policy(UF_GROUP, 100, IPSEC_ACT_PROTECT, 0,
					  "192.168.0.0", 16, "192.168.0.0", 16,
					  0, UF_SPI_MAIN);
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct utopo_wan w = { 0 };
	int home = home_open(), cap, replies;

	utopo_member("gm1", &a, loop);
	ck_assert_int_eq(a.be->sa_add(&a, &in), 0);
	p.clear_in_ok = true;
	ck_assert_int_eq(a.be->policy_add(&a, &p), 0);
	utopo_member("gm2", &b, loop);
	uf_install_as(&b, 2, true);
	cap = utopo_wan_capture();
	replies = pings(loop, 0x5201, 3);
	pump(loop, 20, cap, &w);
	/* gm1 let the requests go clear, back to its kernel ... */
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_RECV_ONLY), 3);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_ENCAP), 0);
	/* ... which routed them out of the WAN */
	ck_assert_msg(w.clear[UTOPO_FROM_GM1] >= 3 && w.esp[UTOPO_FROM_GM1] == 0,
		      "gm1 -> gm2: %u clear, %u ESP (gm1 wrote %llu back "
		      "to its TUN)", w.clear[UTOPO_FROM_GM1], w.esp[UTOPO_FROM_GM1],
		      (unsigned long long)uf_ctr(&a, IPSEC_USER_TX));
	ck_assert_int_eq(replies, 3);
	ck_assert_msg(w.esp[UTOPO_FROM_GM2] >= 3 && w.clear[UTOPO_FROM_GM2] == 0,
		      "gm2 -> gm1: %u ESP, %u clear", w.esp[UTOPO_FROM_GM2],
		      w.clear[UTOPO_FROM_GM2]);
	ck_assert_uint_eq(w.lost, 0);
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_DECAP), 3);
	ck_assert_uint_ge(uf_ctr(&b, IPSEC_USER_ENCAP), 3);
	ck_assert_uint_eq(uf_ctr(&b, IPSEC_USER_DECAP), 0);
	ck_assert_uint_eq(uf_ctr(&b, IPSEC_USER_RECV_ONLY), 0);
	ck_assert_uint_ge(uf_ctr(&b, IPSEC_USER_CLEAR_IN), 3);
	assert_no_drops(&a, "gm1");
	assert_no_drops(&b, "gm2");
	close(cap);
	members_close(&a, &b, loop);
	home_return(home);
}
END_TEST

/* ---- 2. DF set, too big ---- */

/* An ICMP "fragmentation needed" (RFC 792 type 3 code 4) about a UDP
 * datagram to h2:dport; its next-hop MTU (RFC 1191 §4), or -1. */
static int
frag_needed(int icmp, uint16_t dport)
{
	uint8_t b[2048];
	ssize_t n;

	while ((n = recv(icmp, b, sizeof(b), 0)) > 0) {
		size_t ihl = (size_t)(b[0] & 0x0f) * 4, iihl;
		const uint8_t *h = b + ihl, *in = h + 8;
		uint32_t d;

		if ((size_t)n < ihl + 8 + 20 + 8 || h[0] != 3 || h[1] != 4)
			continue;
		iihl = (size_t)(in[0] & 0x0f) * 4;
		memcpy(&d, in + 16, 4);
		if ((size_t)n < ihl + 8 + iihl + 8 || in[9] != UF_UDP ||
		    d != uf_ip4(H2) ||
		    (in[iihl + 2] << 8 | in[iihl + 3]) != dport)
			continue;
		return h[6] << 8 | h[7];
	}
	return -1;
}

START_TEST(test_root_df_too_big)
{
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct utopo_wan w = { 0 };
	struct sockaddr_in to = sin_of(H2, UDP_PORT);
	int home = home_open(), cap, rx, tx, icmp, pmtud = IP_PMTUDISC_PROBE;
	int mtu = -1;
	unsigned route_mtu, wan_mtu = 0;
	uint8_t data[1472], got[2048];
	struct kroute *nl;
	char err[128];

	members(&a, &b, loop);
	/* GCM-128 with TBAR: 1500 - 20 (outer IPv4) - 8 (SPI | Seq) - 8 (IV)
	 * - 16 (ICV) leaves 1448 octets of ESP payload, a multiple of 4 that
	 * holds TBAR (12) | inner | padding | Pad Length | Next Header (2):
	 * 1448 = 12 + 1434 + 0 + 2, so 1434 is the largest inner packet. */
	ck_assert_uint_eq(inner_fit(), 1434);
	utopo_enter("gm1");
	nl = kroute_open(err, sizeof(err));
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(kroute_link_get(nl, "wan0", NULL, &wan_mtu), 0);
	kroute_close(nl);
	ck_assert_uint_eq(wan_mtu, WAN_MTU);
	route_mtu = lan_route_mtu("gm1");
	ck_assert_uint_eq(route_mtu, inner_fit());
	ck_assert_uint_eq(lan_route_mtu("gm2"), inner_fit());

	cap = utopo_wan_capture();
	rx = udp_bound_in("h2", UDP_PORT);
	icmp = socket_in("h1", SOCK_RAW, IPPROTO_ICMP);
	tx = socket_in("h1", SOCK_DGRAM, 0);
	/* DF set, the host's own path MTU ignored: a 1500-octet packet */
	ck_assert_int_eq(setsockopt(tx, IPPROTO_IP, IP_MTU_DISCOVER, &pmtud,
				    sizeof(pmtud)), 0);
	memset(data, 0x5a, sizeof(data));
	ck_assert_int_eq(sendto(tx, data, sizeof(data), 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(data));
	for (int i = 0; i < 200 && mtu < 0; i++) {
		pump(loop, 5, cap, &w);
		mtu = frag_needed(icmp, UDP_PORT);
	}
	pump(loop, 100, cap, &w);
	ck_assert_msg(mtu >= 0, "h1 got no ICMP fragmentation needed");
	ck_assert_int_eq(mtu, (int)route_mtu);
	ck_assert_int_eq(recv(rx, got, sizeof(got), 0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_msg(w.clear[UTOPO_FROM_GM1] + w.clear[UTOPO_FROM_GM2] == 0 &&
		      w.esp[UTOPO_FROM_GM1] + w.esp[UTOPO_FROM_GM2] == 0,
		      "WAN: %u clear, %u ESP", w.clear[UTOPO_FROM_GM1] +
		      w.clear[UTOPO_FROM_GM2], w.esp[UTOPO_FROM_GM1] + w.esp[UTOPO_FROM_GM2]);
	ck_assert_uint_eq(w.lost, 0);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_ENCAP), 0);
	assert_no_drops(&a, "gm1");
	assert_no_drops(&b, "gm2");
	close(tx);
	close(icmp);
	close(rx);
	close(cap);
	members_close(&a, &b, loop);
	home_return(home);
}
END_TEST

/* Two members with the group, the WAN watched, a UDP socket bound in h2
 * and one in h1: what the UDP cases share. */
struct udp_case {
	struct evloop *loop;
	struct ipsec_ctx a, b;
	struct utopo_wan w;
	int home, cap, rx, tx;
};

static void
udp_case_open(struct udp_case *c)
{
	memset(c, 0, sizeof(*c));
	c->loop = ev_new();
	c->home = home_open();
	members(&c->a, &c->b, c->loop);
	c->cap = utopo_wan_capture();
	c->rx = udp_bound_in("h2", UDP_PORT);
	c->tx = socket_in("h1", SOCK_DGRAM, 0);
}

/* No drop on either member, nothing clear on the WAN; then close. */
static void
udp_case_close(struct udp_case *c)
{
	ck_assert_msg(c->w.clear[UTOPO_FROM_GM1] + c->w.clear[UTOPO_FROM_GM2] == 0,
		      "WAN: %u clear", c->w.clear[UTOPO_FROM_GM1] +
		      c->w.clear[UTOPO_FROM_GM2]);
	ck_assert_uint_eq(c->w.lost, 0);
	assert_no_drops(&c->a, "gm1");
	assert_no_drops(&c->b, "gm2");
	close(c->tx);
	close(c->rx);
	close(c->cap);
	members_close(&c->a, &c->b, c->loop);
	home_return(c->home);
}

/* ---- 3. DF clear, too big ---- */

START_TEST(test_root_fragment_before_encrypt)
{
	struct udp_case c;
	struct sockaddr_in to = sin_of(H2, UDP_PORT);
	int pmtud = IP_PMTUDISC_DONT;
	uint8_t data[3000], got[4096];
	ssize_t n = -1;

	udp_case_open(&c);
	ck_assert_int_eq(setsockopt(c.tx, IPPROTO_IP, IP_MTU_DISCOVER, &pmtud,
				    sizeof(pmtud)), 0);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + (i >> 8));
	ck_assert_int_eq(sendto(c.tx, data, sizeof(data), 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(data));
	for (int i = 0; i < 200 && n < 0; i++) {
		pump(c.loop, 5, c.cap, &c.w);
		n = recv(c.rx, got, sizeof(got), 0);
	}
	pump(c.loop, 20, c.cap, &c.w);
	ck_assert_int_eq(n, (ssize_t)sizeof(data));
	ck_assert_mem_eq(got, data, sizeof(data));
	/* h1 sends three fragments (1500, 1500 and 68 octets); the two
	 * full ones exceed gm1's LAN route (1434) and are cut again before
	 * encryption: five inner packets, each its own ESP packet of at most
	 * the WAN's MTU */
	ck_assert_uint_ge(c.w.esp[UTOPO_FROM_GM1], 5);
	ck_assert_uint_eq(c.w.esp[UTOPO_FROM_GM1], uf_ctr(&c.a, IPSEC_USER_ENCAP));
	ck_assert_msg(c.w.esp_max <= WAN_MTU, "ESP packet of %zu octets",
		      c.w.esp_max);
	ck_assert_uint_eq(uf_ctr(&c.b, IPSEC_USER_DECAP),
			  uf_ctr(&c.a, IPSEC_USER_ENCAP));
	udp_case_close(&c);
}
END_TEST

/* ---- 4. TCP through the offloads ---- */

static uint8_t
pat(size_t i)
{
	return (uint8_t)(((uint32_t)i * 2654435761u) >> 24);
}

START_TEST(test_root_tcp_offloads)
{
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct utopo_wan w = { 0 };
	struct sockaddr_in to = sin_of(H2, TCP_PORT);
	int home = home_open(), cap, lst, cli, srv = -1, one = 1;
	uint8_t *data = malloc(TCP_BYTES), rd[65536];
	size_t sent = 0, rcvd = 0, bad_at = (size_t)-1;
	uint64_t start;

	ck_assert_ptr_nonnull(data);
	for (size_t i = 0; i < TCP_BYTES; i++)
		data[i] = pat(i);
	members(&a, &b, loop);
	cap = utopo_wan_capture();
	lst = socket_in("h2", SOCK_STREAM, 0);
	ck_assert_int_eq(setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one,
				    sizeof(one)), 0);
	{
		struct sockaddr_in any = sin_of("0.0.0.0", TCP_PORT);

		ck_assert_int_eq(bind(lst, (struct sockaddr *)&any,
				      sizeof(any)), 0);
	}
	ck_assert_int_eq(listen(lst, 1), 0);
	cli = socket_in("h1", SOCK_STREAM, 0);
	ck_assert_int_eq(connect(cli, (struct sockaddr *)&to, sizeof(to)), -1);
	ck_assert_int_eq(errno, EINPROGRESS);
	start = now_ms();
	while (rcvd < TCP_BYTES && now_ms() - start < TCP_DEADLINE_MS) {
		ssize_t n;

		ev_run_once(loop, sent < TCP_BYTES ? 0 : 1);
		while (sent < TCP_BYTES) {
			size_t chunk = TCP_BYTES - sent > 65536
				? 65536 : TCP_BYTES - sent;

			n = send(cli, data + sent, chunk,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0) {
				ck_assert_msg(errno == EAGAIN ||
					      errno == EWOULDBLOCK,
					      "send: %s", strerror(errno));
				break;
			}
			sent += (size_t)n;
		}
		ev_run_once(loop, 0);
		if (srv < 0) {
			srv = accept4(lst, NULL, NULL,
				      SOCK_NONBLOCK | SOCK_CLOEXEC);
			ck_assert_msg(srv >= 0 || errno == EAGAIN,
				      "accept: %s", strerror(errno));
		}
		while (srv >= 0 && (n = recv(srv, rd, sizeof(rd), 0)) > 0) {
			for (size_t i = 0; i < (size_t)n &&
			     bad_at == (size_t)-1; i++)
				if (rd[i] != pat(rcvd + i))
					bad_at = rcvd + i;
			rcvd += (size_t)n;
		}
		ck_assert_msg(srv < 0 || n != 0, "h2: connection closed");
		ck_assert_msg(srv < 0 || n > 0 || errno == EAGAIN,
			      "recv: %s", strerror(errno));
		utopo_wan_drain(cap, &w);
	}
	pump(loop, 20, cap, &w);
	ck_assert_msg(rcvd == TCP_BYTES, "h2 received %zu of %u octets in "
		      "%llu ms (%zu sent)", rcvd, TCP_BYTES,
		      (unsigned long long)(now_ms() - start), sent);
	ck_assert_msg(bad_at == (size_t)-1, "stream differs at octet %zu",
		      bad_at);
	ck_assert_msg(uf_ctr(&a, IPSEC_USER_TSO) > 0, "gm1 cut no super-packet");
	ck_assert_msg(uf_ctr(&b, IPSEC_USER_GRO) > 0, "gm2 joined no segment");
	ck_assert_msg(w.clear[UTOPO_FROM_GM1] + w.clear[UTOPO_FROM_GM2] == 0,
		      "WAN: %u clear", w.clear[UTOPO_FROM_GM1] + w.clear[UTOPO_FROM_GM2]);
	ck_assert_uint_gt(w.esp[UTOPO_FROM_GM1], TCP_BYTES / 1500);
	ck_assert_uint_gt(w.esp[UTOPO_FROM_GM2], 0);
	ck_assert_msg(w.esp_max <= WAN_MTU, "ESP packet of %zu octets",
		      w.esp_max);
	ck_assert_uint_eq(w.lost, 0);
	assert_no_drops(&a, "gm1");
	assert_no_drops(&b, "gm2");
	close(srv);
	close(cli);
	close(lst);
	close(cap);
	free(data);
	members_close(&a, &b, loop);
	home_return(home);
}
END_TEST

/* ---- 5. forged ESP on the wire ---- */

/* From gm2, out of its WAN toward gm1, the len-octet IPv4 packet pkt. */
static void
inject(const uint8_t *pkt, size_t len)
{
	struct sockaddr_in to = sin_of(H1, 0);
	int s = socket_in("gm2", SOCK_RAW, IPPROTO_RAW), one = 1;

	ck_assert_int_eq(setsockopt(s, IPPROTO_IP, IP_HDRINCL, &one,
				    sizeof(one)), 0);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, "wan0",
				    4), 0);
	ck_assert_int_eq(sendto(s, pkt, len, 0, (struct sockaddr *)&to,
				sizeof(to)), (ssize_t)len);
	close(s);
}

/* An IPv4 packet h2 -> h1 carrying ESP with spi and random octets
 * (sequence number, IV, "ciphertext" and ICV), injected on the WAN. */
static void
forge_esp(uint32_t spi)
{
	uint8_t pkt[20 + 8 + 8 + 64 + 16];
	size_t len = uf_pkt(pkt, UF_ESP, H2, H1, 0, 0, sizeof(pkt) - 20);
	uint32_t nspi = htonl(spi);

	ck_assert_uint_eq(len, sizeof(pkt));
	ck_assert_int_eq(getrandom(pkt + 24, sizeof(pkt) - 24, 0),
			 (ssize_t)(sizeof(pkt) - 24));
	memcpy(pkt + 20, &nspi, 4);
	inject(pkt, len);
}

/* IPv4 packets from src that reached h1's interface. */
static unsigned
h1_seen_from(int s, const char *from_ip)
{
	uint8_t b[2048];
	uint32_t src, h2 = uf_ip4(from_ip);
	struct sockaddr_ll from;
	socklen_t fl = sizeof(from);
	unsigned n = 0;
	ssize_t r;

	while ((r = recvfrom(s, b, sizeof(b), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl)) >= 0) {
		fl = sizeof(from);
		if (r < 20 || from.sll_protocol != htons(ETH_P_IP) ||
		    from.sll_pkttype == PACKET_OUTGOING)
			continue;
		memcpy(&src, b + 12, 4);
		n += src == h2;
	}
	return n;
}

/* IPv4 packets from h2 that reached h1's interface. */
static unsigned
h1_seen(int s)
{
	return h1_seen_from(s, H2);
}

/* A packet socket on h1's interface (h1's namespace left current). */
static int
h1_capture(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int s;

	utopo_enter("h1");
	s = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	ck_assert_int_ge(s, 0);
	sll.sll_ifindex = (int)if_nametoindex("eth0");
	ck_assert_int_gt(sll.sll_ifindex, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return s;
}

START_TEST(test_root_forged_esp)
{
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct ipsec_user_stats st;
	struct utopo_wan w = { 0 };
	int home = home_open(), cap, h1cap;

	members(&a, &b, loop);
	cap = utopo_wan_capture();
	h1cap = h1_capture();

	forge_esp(UF_SPI_MAIN);
	forge_esp(SPI_UNKNOWN);
	for (int i = 0; i < 100 &&
	     (uf_ctr(&a, IPSEC_USER_DROP_DECAP) < 1 ||
	      uf_ctr(&a, IPSEC_USER_DROP_UNKNOWN_SPI) < 1); i++)
		pump(loop, 5, cap, &w);
	pump(loop, 50, cap, &w);
	ck_assert_uint_eq(w.esp[UTOPO_FROM_GM2], 2);	/* both crossed the wire */
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_DECAP), 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_UNKNOWN_SPI), 1);
	ck_assert_int_eq(ipsec_user_stats(&a, &st), 0);
	ck_assert_uint_eq(st.esp_drop[ESP_DROP_AUTH], 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DECAP), 0);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_TX), 0);
	ck_assert_uint_eq(h1_seen(h1cap), 0);
	/* and the group still works */
	ck_assert_int_eq(pings(loop, 0x5205, 2), 2);
	ck_assert_uint_ge(h1_seen(h1cap), 2);
	ck_assert_uint_ge(uf_ctr(&a, IPSEC_USER_DECAP), 2);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_DECAP), 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_UNKNOWN_SPI), 1);
	assert_no_drops(&b, "gm2");
	close(h1cap);
	close(cap);
	members_close(&a, &b, loop);
	home_return(home);
}
END_TEST

/* ---- 6. cleartext from the WAN ---- */

/*
 * Both members encrypt the group's traffic, so a cleartext UDP datagram
 * h2 -> h1 arriving on gm1's WAN is a forgery or a leak: dropped and
 * counted (RFC 4301 §5.2), h1 never sees it.  Cleartext outside the
 * policy (gm2's WAN address -> h1) goes on.
 */
START_TEST(test_root_clear_inbound)
{
	uint8_t pkt[20 + 8 + 32];
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	int home = home_open(), h1cap;

	members(&a, &b, loop);
	h1cap = h1_capture();
	inject(pkt, uf_pkt(pkt, UF_UDP, H2, H1, 4000, 4001, 32));
	for (int i = 0; i < 100 &&
	     uf_ctr(&a, IPSEC_USER_DROP_CLEAR_IN) < 1; i++)
		ev_run_once(loop, 5);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_CLEAR_IN), 1);
	for (int i = 0; i < 10; i++)
		ev_run_once(loop, 5);
	ck_assert_uint_eq(h1_seen(h1cap), 0);
	inject(pkt, uf_pkt(pkt, UF_UDP, "10.99.0.2", H1, 4000, 4001, 32));
	for (int i = 0; i < 100 && uf_ctr(&a, IPSEC_USER_CLEAR_IN) < 1; i++)
		ev_run_once(loop, 5);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_CLEAR_IN), 1);
	for (int i = 0; i < 10; i++)
		ev_run_once(loop, 5);
	ck_assert_uint_eq(h1_seen_from(h1cap, "10.99.0.2"), 1);
	/* the group's own traffic is untouched */
	ck_assert_int_eq(pings(loop, 0x5206, 2), 2);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_CLEAR_IN), 1);
	close(h1cap);
	members_close(&a, &b, loop);
	home_return(home);
}
END_TEST

/* Wait until gm1's counter c reaches n (or give up), then settle. */
static void
wait_ctr(struct evloop *loop, struct ipsec_ctx *x, enum ipsec_user_ctr c,
	 uint64_t n)
{
	for (int i = 0; i < 100 && uf_ctr(x, c) < n; i++)
		ev_run_once(loop, 5);
	for (int i = 0; i < 10; i++)
		ev_run_once(loop, 5);
}

/*
 * Port 848 is no way around the policy: cleartext from source port 848
 * injected on gm1's WAN toward h1 (to another port, and to 848 itself,
 * with no key server at either end) is dropped and counted, and h1 sees
 * none of it; a datagram h1 sends to h2's port 848 is encrypted.  Only
 * 848 <-> 848 with a configured key server passes as GDOI.
 */
START_TEST(test_root_port_848_no_bypass)
{
	uint8_t pkt[20 + 8 + 32];
	struct evloop *loop = ev_new();
	struct ipsec_ctx a, b;
	struct sockaddr_in to = sin_of(H2, 848);
	uint32_t ks = uf_ip4(H2);
	int home = home_open(), h1cap, s;

	members(&a, &b, loop);
	h1cap = h1_capture();
	inject(pkt, uf_pkt(pkt, UF_UDP, H2, H1, 848, 4001, 32));
	wait_ctr(loop, &a, IPSEC_USER_DROP_CLEAR_IN, 1);
	inject(pkt, uf_pkt(pkt, UF_UDP, H2, H1, 848, 848, 32));
	wait_ctr(loop, &a, IPSEC_USER_DROP_CLEAR_IN, 2);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_CLEAR_IN), 2);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_GDOI_BYPASS), 0);
	ck_assert_uint_eq(h1_seen(h1cap), 0);
	s = socket_in("h1", SOCK_DGRAM, 0);
	ck_assert_int_eq(sendto(s, "x", 1, 0, (struct sockaddr *)&to,
				sizeof(to)), 1);
	wait_ctr(loop, &a, IPSEC_USER_ENCAP, 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_ENCAP), 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_GDOI_BYPASS), 0);
	close(s);
	/* h2's port unreachable comes back encrypted: not what we count */
	wait_ctr(loop, &a, IPSEC_USER_DECAP, 1);
	h1_seen(h1cap);
	/* h2 as a key server: 848 <-> 848 with it is GDOI */
	ipsec_user_set_gdoi_peers(&a, &ks, 1);
	inject(pkt, uf_pkt(pkt, UF_UDP, H2, H1, 848, 848, 32));
	wait_ctr(loop, &a, IPSEC_USER_CLEAR_IN, 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_CLEAR_IN), 1);
	ck_assert_uint_eq(uf_ctr(&a, IPSEC_USER_DROP_CLEAR_IN), 2);
	ck_assert_uint_eq(h1_seen(h1cap), 1);
	close(h1cap);
	members_close(&a, &b, loop);
	home_return(home);
}
END_TEST

/* ---- 7. UDP segmentation offload ---- */

/*
 * h1 sends one UDP_SEGMENT super-datagram (10 x 1000 octets, how QUIC
 * servers send): gm1 reads it whole (USO on the TUN), cuts and encrypts
 * ten datagrams; gm2 joins them again; h2 receives ten datagrams, each
 * intact, and only ESP crossed the WAN.
 */
START_TEST(test_root_udp_gso)
{
	struct udp_case c;
	struct sockaddr_in to = sin_of(H2, UDP_PORT);
	int seg = 1000, got_n = 0;
	uint8_t data[10000], got[2048];

	udp_case_open(&c);
	ck_assert_int_eq(setsockopt(c.tx, IPPROTO_UDP, UDP_SEGMENT, &seg,
				    sizeof(seg)), 0);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + (i >> 8));
	ck_assert_int_eq(sendto(c.tx, data, sizeof(data), 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)sizeof(data));
	for (int i = 0; i < 200 && got_n < 10; i++) {
		ssize_t n;

		pump(c.loop, 5, c.cap, &c.w);
		while ((n = recv(c.rx, got, sizeof(got), 0)) >= 0) {
			ck_assert_int_eq(n, seg);
			ck_assert_int_lt(got_n, 10);
			ck_assert_mem_eq(got, data + got_n * seg, (size_t)seg);
			got_n++;
		}
	}
	pump(c.loop, 20, c.cap, &c.w);
	ck_assert_int_eq(got_n, 10);
	ck_assert_uint_ge(uf_ctr(&c.a, IPSEC_USER_TSO), 1);
	ck_assert_uint_eq(uf_ctr(&c.a, IPSEC_USER_ENCAP), 10);
	ck_assert_uint_eq(uf_ctr(&c.b, IPSEC_USER_DECAP), 10);
	ck_assert_uint_ge(uf_ctr(&c.b, IPSEC_USER_GRO), 1);
	ck_assert_uint_eq(c.w.esp[UTOPO_FROM_GM1], 10);
	udp_case_close(&c);
}
END_TEST

/* A tcase of its own: fresh namespaces, so that nothing one case
 * leaves behind (a path MTU h1 learned, a neighbour entry) changes what
 * the next one sees. */
static TCase *
root_case(Suite *s, const char *name, int timeout)
{
	TCase *tc = tcase_create(name);

	tcase_set_tags(tc, "root");
	tcase_set_timeout(tc, timeout);
	tcase_add_unchecked_fixture(tc, lab_setup, utopo_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

void
user_modes_netns_tcases(Suite *s)
{
	tcase_add_test(root_case(s, "root-receive-only", 30),
		       test_root_receive_only);
	tcase_add_test(root_case(s, "root-df-too-big", 30),
		       test_root_df_too_big);
	tcase_add_test(root_case(s, "root-fragment", 30),
		       test_root_fragment_before_encrypt);
	tcase_add_test(root_case(s, "root-tcp-offloads", 60),
		       test_root_tcp_offloads);
	tcase_add_test(root_case(s, "root-forged-esp", 30),
		       test_root_forged_esp);
	tcase_add_test(root_case(s, "root-clear-inbound", 30),
		       test_root_clear_inbound);
	tcase_add_test(root_case(s, "root-port-848", 30),
		       test_root_port_848_no_bypass);
	tcase_add_test(root_case(s, "root-udp-gso", 30), test_root_udp_gso);
}
