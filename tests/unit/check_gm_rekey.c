/*
 * A group member receiving rekeys, in one process over loopback UDP on the
 * virtual clock: a real key server and member (real CLI, null data plane);
 * a stand-in for the key server's rekey sender builds GROUPKEY-PUSH
 * messages with gdoi/push.h under the key server's own KEK and signing
 * key and sends them from the key server's address.  TEK rekey with the
 * switch-over timing (never without an inbound SA for what is sent, the
 * outbound switch after the activation delay, the old SAs gone after the
 * deactivation delay), KEK rollover, the RFC 8263 ACK, deletes, a missed
 * rekey leading to registration with the next key server, and bad rekeys
 * dropped with counters and nothing touched.  As root, the same member
 * in a network namespace on a bridge with the key server's namespace
 * joins the group of a multicast KEK and takes a rekey sent to it.
 */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "gdoi/push.h"
#include "ipsec/ipsec.h"
#include "ipsec/null.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "platform/udp.h"
#include "roles/keystore.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "push_fixtures.h"
#include "user_topo.h"

#define KS2_ADDR 0x7f000003

/* host order; the loopback case uses 127.0.0.x, the multicast case a
 * bridge between namespaces */
static uint32_t ks_addr = 0x7f000001, gm_addr = 0x7f000002;
static char gm_if[16] = "lo2";

static struct evloop *loop;
static struct net_node ks, ks2, gm;
static uint16_t port;
static struct term *out;
static struct udp_sock *sender, *stranger;
static struct gdoi_kek kek;		/* what the stand-in sends under */
static struct buf_writer w;

static const char ks_cfg[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
	"crypto ipsec profile PROF\n set security-association lifetime seconds 300\n"
	" set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto key generate rsa general-keys label REKEY modulus 1024\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey algorithm aes 256\n  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n";

static bool
gm_registered(void)
{
	const char *s = router_gm_state(gm.env.router, "G");

	return s != NULL && strcmp(s, "Registered") == 0;
}

static const char *
show(const char *cmd)
{
	char line[128];

	snprintf(line, sizeof(line), "do %s", cmd);
	term_mem_reset(out);
	cli_session_line(gm.s, line, out);
	return term_mem_data(out, NULL);
}

static void
assert_shows(const char *cmd, const char *want)
{
	const char *got = show(cmd);

	ck_assert_msg(strstr(got, want) != NULL, "%s: no \"%s\" in:\n%s", cmd,
		      want, got);
}

static void
ks_up(struct net_node *n, uint32_t addr)
{
	char cfg[2048];

	snprintf(cfg, sizeof(cfg), "%s  address ipv4 %u.%u.%u.%u\n", ks_cfg,
		 addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
		 addr & 0xff);
	net_node_up(n, loop, port, "getvpn-gmrk");
	net_node_lines(n, cfg);
}

static void
gm_up(const char *servers)
{
	char cfg[1024];

	net_node_up(&gm, loop, port, "getvpn-gmrk");
	snprintf(cfg, sizeof(cfg),
		 "crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
		 " authentication pre-share\n group 19\n"
		 "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
		 "crypto gdoi group G\n identity number 1000\n%s"
		 "crypto map M 10 gdoi\n set group G\n"
		 "interface %s\n ip address %u.%u.%u.%u 255.0.0.0\n"
		 " crypto map M\n", servers, gm_if, gm_addr >> 24,
		 (gm_addr >> 16) & 0xff, (gm_addr >> 8) & 0xff, gm_addr & 0xff);
	net_node_lines(&gm, cfg);
	ck_assert(net_run_until(loop, gm_registered, 20000));
	kek = router_ks_policy(ks.env.router, "G")->kek;
}

static void
setup(void)
{
	char err[128];

	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	out = term_new_mem();
	port = (uint16_t)(30000 + getpid() % 20000);
	memset(&ks, 0, sizeof(ks));
	memset(&ks2, 0, sizeof(ks2));
	memset(&gm, 0, sizeof(gm));
	ks_up(&ks, ks_addr);
	sender = udp_open(htonl(ks_addr), 0, err, sizeof(err));
	ck_assert_msg(sender != NULL, "%s", err);
	stranger = udp_open(htonl(0x7f000077), 0, err, sizeof(err));
	ck_assert_msg(stranger != NULL, "%s", err);
	buf_writer_init(&w);
}

static void
teardown(void)
{
	net_node_down(&gm);
	net_node_down(&ks2);
	net_node_down(&ks);
	udp_close(sender);
	udp_close(stranger);
	buf_writer_free(&w);
	term_free(out);
	ev_free(loop);
}

static const struct rsakey *
ks_key(void)
{
	return keystore_find(ks.env.keys, "REKEY");
}

/* The next TEK generation: the key server's TEKs with SPI spi and fresh
 * keys, GAP atd/dtd (atd < 0: no GAP). */
static void
generation(struct gdoi_policy *p, uint32_t spi, int atd, uint32_t dtd)
{
	*p = *router_ks_policy(ks.env.router, "G");
	p->has_kek = false;
	p->nsid = 0;
	p->sid_bits = 0;
	p->has_gap = atd >= 0;
	p->atd_s = atd >= 0 ? (uint32_t)atd : 0;
	p->dtd_s = dtd;
	for (size_t i = 0; i < p->ntek; i++) {
		p->tek[i].spi = htonl(spi);
		p->tek[i].lifetime_s = 300;
		memset(p->tek[i].enc_key, (int)(spi & 0xff), p->tek[i].enc_key_len);
	}
}

static void
send_from(struct udp_sock *s, const struct buf_writer *m)
{
	struct udp_peer to = { .addr = htonl(gm_addr), .port = port };

	ck_assert_int_eq(udp_send(s, buf_data(m), buf_len(m), &to), 0);
	for (int i = 0; i < 20; i++)
		ev_run_once(loop, 2);
}

/* Deliver without running the loop further (nothing else happens). */
static void
send_from_quiet(struct udp_sock *s, const struct buf_writer *m)
{
	struct udp_peer to = { .addr = htonl(gm_addr), .port = port };

	ck_assert_int_eq(udp_send(s, buf_data(m), buf_len(m), &to), 0);
	ev_run_once(loop, 50);
}

/* Build under k with seq and policy p (NULL: none), send as the KS. */
static void
push(const struct gdoi_kek *k, uint32_t seq, const struct gdoi_policy *p,
     const struct push_delete *del, size_t ndel)
{
	tq_build(k, ks_key(), seq, p, del, ndel, &w);
	send_from(sender, &w);
}

static void
advance(uint64_t ms)
{
	ev_advance(loop, ms);
	for (int i = 0; i < 10; i++)
		ev_run_once(loop, 0);
}

static const struct ipsec_sa *
sa(uint32_t spi, enum ipsec_dir dir)
{
	struct ipsec_ctx *x = router_ipsec(gm.env.router);

	for (size_t i = 0; i < ipsec_null_sa_count(x); i++)
		if (ipsec_null_sa(x, i)->spi == htonl(spi) &&
		    ipsec_null_sa(x, i)->dir == dir)
			return ipsec_null_sa(x, i);
	return NULL;
}

/* The SPI outbound traffic is sent with (the PROTECT policy's). */
static uint32_t
out_spi(void)
{
	struct ipsec_ctx *x = router_ipsec(gm.env.router);

	for (size_t i = 0; i < ipsec_null_policy_count(x); i++)
		if (ipsec_null_policy(x, i)->action == IPSEC_ACT_PROTECT)
			return ntohl(ipsec_null_policy(x, i)->spi);
	return 0;
}

/* What a peer sends (its outbound SPI, on the same schedule as ours)
 * always has an inbound SA here, and so does what we send. */
static void
assert_covered(uint32_t old, uint32_t new)
{
	uint32_t o = out_spi();

	ck_assert(o == old || o == new);
	ck_assert_ptr_nonnull(sa(o, IPSEC_DIR_OUT));
	ck_assert_ptr_nonnull(sa(o, IPSEC_DIR_IN));
	ck_assert_ptr_nonnull(sa(new, IPSEC_DIR_IN));
}

START_TEST(test_tek_switchover)
{
	struct gdoi_policy p;
	uint32_t old;

	gm_up(" server address ipv4 127.0.0.1\n");
	old = out_spi();
	ck_assert_uint_ne(old, 0);
	generation(&p, 0x51515151, 5, 20);
	p.tek[0].replay = GDOI_REPLAY_TIME;	/* TBAR: the KS's pseudotime */
	p.tek[0].replay_window = 5000;
	p.tek[0].pseudotime_ms = 7000000;
	push(&kek, 1, &p, NULL, 0);
	ck_assert_uint_eq(sa(0x51515151, IPSEC_DIR_IN)->pseudotime_ms, 7000000);
	/* inbound at once, outbound still the old SA */
	ck_assert_ptr_nonnull(sa(0x51515151, IPSEC_DIR_IN));
	ck_assert_ptr_null(sa(0x51515151, IPSEC_DIR_OUT));
	ck_assert_uint_eq(out_spi(), old);
	ck_assert_mem_eq(sa(0x51515151, IPSEC_DIR_IN)->enc_key,
			 p.tek[0].enc_key, p.tek[0].enc_key_len);
	for (int s = 1; s <= 25; s++) {
		advance(1000);
		assert_covered(old, 0x51515151);
		if (s < 5)
			ck_assert_uint_eq(out_spi(), old);
		if (s >= 5)
			ck_assert_uint_eq(out_spi(), 0x51515151);
		if (s < 20)
			ck_assert_ptr_nonnull(sa(old, IPSEC_DIR_IN));
		else
			ck_assert_ptr_null(sa(old, IPSEC_DIR_IN));
	}
	ck_assert_ptr_null(sa(old, IPSEC_DIR_OUT));
	/* the outbound SA, made at the switch, counts the pseudotime on */
	ck_assert_uint_eq(sa(0x51515151, IPSEC_DIR_OUT)->pseudotime_ms, 7005000);
	assert_shows("show crypto gdoi", "    Rekeys received          : 1\n");
	/* the key server's unicast KEK asks for ACKs (RFC 8263) */
	assert_shows("show crypto gdoi", "    Rekeys cumulative\n"
		     "       Total received        : 1\n"
		     "       After latest register : 1\n"
		     "       Rekey Acks sents      : 1\n");
	assert_shows("show crypto gdoi", "       Last rekey from       : "
		     "127.0.0.1\n       Last rekey seq num    : 1\n"
		     "       Unicast rekey received: 1\n");
	assert_shows("show crypto gdoi", "        spi: 0x51515151(");
	assert_shows("show crypto isakmp sa", "127.0.0.2       127.0.0.1       "
		     "GDOI_REKEY        2000 ACTIVE\n");
	assert_shows("show crypto gdoi rekey sa", "GETVPN REKEY SA\n"
		     "dst             src             conn-id         status\n"
		     "127.0.0.2       127.0.0.1       2000            ACTIVE\n");
	/* no registration was needed */
	assert_shows("show crypto gdoi gm", "Succeeded registration: 1\n");
}
END_TEST

/* Without a GAP the outbound switch waits the default delay and the old
 * inbound SA stays until it ends. */
START_TEST(test_default_delays)
{
	struct gdoi_policy p;
	uint32_t old;

	gm_up(" server address ipv4 127.0.0.1\n");
	old = out_spi();
	advance(100000);
	generation(&p, 0x52525252, -1, 0);
	push(&kek, 1, &p, NULL, 0);
	advance(14000);
	ck_assert_uint_eq(out_spi(), old);
	advance(1000);
	ck_assert_uint_eq(out_spi(), 0x52525252);
	advance(150000);	/* the old TEK (300 s) is not over yet */
	ck_assert_ptr_nonnull(sa(old, IPSEC_DIR_IN));
	advance(40000);
	ck_assert_ptr_null(sa(old, IPSEC_DIR_IN));
	ck_assert_ptr_nonnull(sa(0x52525252, IPSEC_DIR_IN));
}
END_TEST

static bool ack_got;
static struct push_ack ack;
static uint8_t ack_buf[256];

static void
recv_ack(void)
{
	struct udp_peer from;
	ssize_t n;

	ack_got = false;
	for (int i = 0; i < 50 && !ack_got; i++) {
		ev_run_once(loop, 2);
		n = udp_recv(sender, ack_buf, sizeof(ack_buf), &from);
		if (n > 0) {
			ck_assert_uint_eq(from.addr, htonl(gm_addr));
			ck_assert_int_eq(push_ack_open(ack_buf, (size_t)n, &ack),
					 PUSH_OK);
			ack_got = true;
		}
	}
}

START_TEST(test_kek_rollover_and_ack)
{
	struct gdoi_policy p;
	struct gdoi_kek k2;

	gm_up(" server address ipv4 127.0.0.1\n");
	/* a new KEK that asks for ACKs, with the current TEKs */
	tq_kek(&k2, 0x90, ks_key(), PUSH_ACK_KEK_SHA256);
	k2.src = htonl(ks_addr);
	p = *router_ks_policy(ks.env.router, "G");
	p.nsid = 0;
	p.has_kek = true;
	p.kek = k2;
	push(&kek, 1, &p, NULL, 0);
	recv_ack();
	ck_assert(ack_got);		/* under the old KEK, which asks */
	ck_assert_mem_eq(ack.spi, kek.spi, 16);
	ck_assert_int_eq(push_ack_verify(&ack, &kek), PUSH_OK);
	assert_shows("show crypto gdoi gm rekey detail",
		     "Current : 127.0.0.2       127.0.0.1         2000   "
		     "98999A9B   90919293\n"
		     "Previous: 127.0.0.2       127.0.0.1         2001");
	assert_shows("show crypto gdoi rekey sa detail", "    spi : 0x9091");
	assert_shows("show crypto gdoi rekey sa detail",
		     "    acknowledgement    : Interoperable\n");
	/* SEQ starts at 1 under the new KEK; the member acknowledges */
	generation(&p, 0x53535353, 0, 30);
	push(&k2, 1, &p, NULL, 0);
	recv_ack();
	ck_assert(ack_got);
	ck_assert_uint_eq(ack.seq, 1);
	ck_assert_uint_eq(ack.gm_addr, htonl(gm_addr));
	ck_assert_mem_eq(ack.spi, k2.spi, 16);
	ck_assert_int_eq(push_ack_verify(&ack, &k2), PUSH_OK);
	ck_assert_ptr_nonnull(sa(0x53535353, IPSEC_DIR_OUT));	/* ATD 0 */
	/* a retransmission (our ACK was lost) is acknowledged again */
	send_from(sender, &w);
	recv_ack();
	ck_assert(ack_got);
	assert_shows("show crypto gdoi", "       Rekey ACKs sent       : 3\n");
	assert_shows("show crypto gdoi gm rekey",
		     "    Number of Rekeys received (cumulative)       : 2\n"
		     "    Number of Rekeys received after registration : 2\n"
		     "    Number of Rekey Acks sent                    : 3\n");
	/* the old KEK still opens rekeys for a while, then not */
	advance(61000);
	generation(&p, 0x54545454, 0, 30);
	push(&kek, 2, &p, NULL, 0);
	ck_assert_ptr_null(sa(0x54545454, IPSEC_DIR_IN));
	assert_shows("show crypto gdoi gm rekey detail", "    unknown KEK");
}
END_TEST

/* Rekeys as often as the activation delay (TEKs of 120 s rekeyed 90 s
 * before their end, GAP ATD 30 s), each generation sent again in between
 * (a KEK rollover repeats the current TEKs), each arriving a moment
 * before the previous one's switch.  A peer that took the same rekeys up
 * to a second earlier or later sends generation g from g's switch until
 * g + 1's: through that window g must have an inbound SA here, and what
 * we send must be a generation inside its own window. */
#define RHYTHM_GENS 8
#define RHYTHM_ATD 5
#define RHYTHM_SLACK_MS 1000

static uint64_t rhythm_at[RHYTHM_GENS + 1];	/* arrival; [0]: registered */
static uint32_t rhythm_spi[RHYTHM_GENS + 1];
static size_t rhythm_n;

static bool
rhythm_may_send(size_t g, uint64_t now)
{
	uint64_t from = g == 0 ? 0 : rhythm_at[g] + RHYTHM_ATD * 1000;
	uint64_t to = g + 1 < rhythm_n
		? rhythm_at[g + 1] + RHYTHM_ATD * 1000 : UINT64_MAX;

	return now + RHYTHM_SLACK_MS >= from &&
	       (to == UINT64_MAX || now <= to + RHYTHM_SLACK_MS);
}

static void
rhythm_check(void)
{
	uint64_t now = ev_now(loop);
	uint32_t o = out_spi();
	bool mine = false;

	for (size_t g = 0; g < rhythm_n; g++) {
		if (rhythm_may_send(g, now))
			ck_assert_msg(sa(rhythm_spi[g], IPSEC_DIR_IN) != NULL,
				      "generation %zu has no inbound SA %.1f s "
				      "after it came", g,
				      (double)(now - rhythm_at[g]) / 1000);
		mine |= o == rhythm_spi[g] && rhythm_may_send(g, now);
	}
	ck_assert_msg(mine, "sending on %08x, out of its window", o);
}

static void
rhythm_run(uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += 100) {
		advance(100);
		rhythm_check();
	}
}

START_TEST(test_rekey_rhythm)
{
	struct gdoi_policy p;
	uint32_t seq = 0;

	gm_up(" server address ipv4 127.0.0.1\n");
	rhythm_spi[0] = out_spi();
	rhythm_at[0] = ev_now(loop);
	rhythm_n = 1;
	for (size_t g = 1; g <= RHYTHM_GENS; g++) {
		generation(&p, 0x61000000u + (uint32_t)g, RHYTHM_ATD,
			   2 * RHYTHM_ATD);
		push(&kek, ++seq, &p, NULL, 0);
		rhythm_spi[g] = 0x61000000u + (uint32_t)g;
		rhythm_at[g] = ev_now(loop);
		rhythm_n = g + 1;
		rhythm_check();
		rhythm_run(RHYTHM_ATD * 1000 / 2);
		push(&kek, ++seq, &p, NULL, 0);	/* the same TEKs again */
		rhythm_run(RHYTHM_ATD * 1000 - RHYTHM_ATD * 1000 / 2 - 100);
	}
	rhythm_run(4 * RHYTHM_ATD * 1000);
	/* the last generation alone remains */
	ck_assert_uint_eq(out_spi(), rhythm_spi[RHYTHM_GENS]);
	for (size_t g = 0; g < RHYTHM_GENS; g++)
		ck_assert_ptr_null(sa(rhythm_spi[g], IPSEC_DIR_IN));
	assert_shows("show crypto gdoi gm", "Succeeded registration: 1\n");
}
END_TEST

START_TEST(test_delete_reregisters)
{
	struct push_delete d = { .proto = 1, .nspi = 1 };
	uint32_t old;

	struct ipsec_ctx *x;
	unsigned dels;

	gm_up(" server address ipv4 127.0.0.1\n");
	x = router_ipsec(gm.env.router);
	old = out_spi();
	d.spi[0] = htonl(old);
	dels = ipsec_null_calls(x, "sa_del");
	tq_build(&kek, ks_key(), 1, NULL, &d, 1, &w);
	send_from_quiet(sender, &w);
	/* both directions removed at once (the key server hands the same
	 * TEK to the registration that follows) */
	ck_assert_ptr_null(sa(old, IPSEC_DIR_IN));
	ck_assert_ptr_null(sa(old, IPSEC_DIR_OUT));
	ck_assert_uint_ge(ipsec_null_calls(x, "sa_del"), dels + 2);
	ck_assert(net_run_until(loop, gm_registered, 20000));
	assert_shows("show crypto gdoi gm", "Succeeded registration: 2\n");
	assert_shows("show crypto gdoi", "       After latest register : 0\n");
}
END_TEST

/* No rekey: the member registers again a minute before the TEK ends,
 * with the next key server of its list. */
START_TEST(test_missed_rekey)
{
	ks_up(&ks2, KS2_ADDR);
	gm_up(" server address ipv4 127.0.0.1\n server address ipv4 127.0.0.3\n");
	ck_assert_msg(strstr(show("show crypto gdoi gm"),
			     "Re-registers in       : 240 sec") != NULL, "%s",
		      show("show crypto gdoi gm"));
	net_node_down(&ks);	/* its rekeys stop */
	advance(225000);
	assert_shows("show crypto gdoi gm", "Succeeded registration: 1\n");
	advance(15000);
	ck_assert(net_run_until(loop, gm_registered, 20000));
	assert_shows("show crypto gdoi gm", "Registered with       : 127.0.0.3\n");
	assert_shows("show crypto gdoi gm", "Succeeded registration: 2\n");
	assert_shows("show crypto gdoi gm rekey detail",
		     "Rekeys missed (re-registered)                    : 1\n");
}
END_TEST

/* Every bad rekey is dropped and counted; SAs, SEQ and counters of
 * accepted rekeys stay as they were. */
START_TEST(test_bad_rekeys)
{
	struct ipsec_ctx *x;
	struct gdoi_policy p;
	struct gdoi_kek other;
	size_t nsa;
	uint32_t old;

	gm_up(" server address ipv4 127.0.0.1\n");
	x = router_ipsec(gm.env.router);
	old = out_spi();
	nsa = ipsec_null_sa_count(x);
	generation(&p, 0x55555555, 0, 30);
	/* signed by another key */
	tq_build(&kek, tq_key(1), 1, &p, NULL, 0, &w);
	send_from(sender, &w);
	/* from an address that is not the key server */
	tq_build(&kek, ks_key(), 1, &p, NULL, 0, &w);
	send_from(stranger, &w);
	/* truncated */
	buf_writer_reset(&w);
	tq_build(&kek, ks_key(), 1, &p, NULL, 0, &w);
	w.len -= 3;
	buf_patch_u32(&w, 24, (uint32_t)w.len);
	send_from(sender, &w);
	/* under a KEK the member does not hold */
	tq_kek(&other, 0x33, ks_key(), 0);
	push(&other, 1, &p, NULL, 0);
	ck_assert_uint_eq(ipsec_null_sa_count(x), nsa);
	ck_assert_ptr_null(sa(0x55555555, IPSEC_DIR_IN));
	ck_assert_uint_eq(out_spi(), old);
	/* a good one, then its SEQ again and a lower one */
	push(&kek, 5, &p, NULL, 0);
	ck_assert_ptr_nonnull(sa(0x55555555, IPSEC_DIR_IN));
	nsa = ipsec_null_sa_count(x);
	generation(&p, 0x56565656, 0, 30);
	push(&kek, 5, &p, NULL, 0);
	push(&kek, 4, &p, NULL, 0);
	ck_assert_ptr_null(sa(0x56565656, IPSEC_DIR_IN));
	ck_assert_uint_eq(ipsec_null_sa_count(x), nsa);
	/* a flood of copies of the good one costs no crypto */
	generation(&p, 0x55555555, 0, 30);
	tq_build(&kek, ks_key(), 5, &p, NULL, 0, &w);
	for (int i = 0; i < 5; i++)
		send_from(sender, &w);
	assert_shows("show crypto gdoi", "    Rekeys received          : 1\n");
	assert_shows("show crypto gdoi gm rekey detail",
		     "Rekeys dropped                                   : 11\n"
		     "    not from a key server of the group           : 1\n"
		     "    unknown KEK                                  : 1\n"
		     "    duplicate                                    : 5\n"
		     "    does not decrypt                             : 1\n"
		     "    old sequence number                          : 2\n"
		     "    bad signature                                : 1\n");
}
END_TEST


/* ---- multicast, on a bridge between namespaces (root) ---- */

#define MC_GROUP 0xef4d0001		/* 239.77.0.1 */

static char ns_prefix[32];

static void
ns_enter(const char *node)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s%s", ns_prefix, node);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %m", path);
	ck_assert_msg(setns(fd, CLONE_NEWNET) == 0, "setns %s: %m", path);
	close(fd);
}

static void
ns_del(void)
{
	utopo_sh("for n in ks gm br; do ip netns del %s$n 2>/dev/null; done; true",
	   ns_prefix);
}

/* KS 10.77.0.1 and GM 10.77.0.2, each behind a veth on bridge br0.
 * Made and removed in the parent (unchecked fixture), so that a failing
 * case leaves nothing behind. */
static void
ns_make(void)
{
	const char *p = ns_prefix;

	if (geteuid() != 0)
		return;
	snprintf(ns_prefix, sizeof(ns_prefix), "gmrk%d-", (int)getpid());
	ns_del();
	if (utopo_sh("set -e; for n in ks gm br; do ip netns add %s$n; "
	       "ip -n %s$n link set lo up; done;"
	       "ip -n %sbr link add br0 type bridge mcast_snooping 0;"
	       "ip -n %sbr link set br0 up;"
	       "for n in ks gm; do ip -n %s$n link add eth0 type veth peer name "
	       "$n netns %sbr; ip -n %sbr link set $n master br0 up;"
	       "ip -n %s$n link set eth0 up; done;"
	       "ip -n %sks addr add 10.77.0.1/24 dev eth0;"
	       "ip -n %sgm addr add 10.77.0.2/24 dev eth0;"
	       "ip -n %sks route add 224.0.0.0/4 dev eth0",
	       p, p, p, p, p, p, p, p, p, p, p) != 0)
		ns_prefix[0] = '\0';	/* the case fails on it */
}

static void
ns_remove(void)
{
	if (ns_prefix[0] != '\0')
		ns_del();
}

static void
mc_setup(void)
{
	if (geteuid() != 0)
		return;
	ck_assert_msg(ns_prefix[0] != '\0', "the namespaces were not made");
	ks_addr = 0x0a4d0001;
	gm_addr = 0x0a4d0002;
	snprintf(gm_if, sizeof(gm_if), "eth0");
	ns_enter("ks");
	setup();
}

static void
mc_teardown(void)
{
	if (geteuid() == 0)
		teardown();
}

START_TEST(test_multicast_rekey)
{
	struct udp_peer group = { .addr = htonl(MC_GROUP), .local = 0 };
	struct gdoi_policy p;
	struct gdoi_kek k2;

	if (geteuid() != 0) {
		fprintf(stderr, "multicast rekey case skipped: not root\n");
		return;
	}
	ns_enter("gm");
	gm_up(" server address ipv4 10.77.0.1\n");
	/* a new KEK whose rekeys go to 239.77.0.1, sent unicast */
	tq_kek(&k2, 0x90, ks_key(), PUSH_ACK_KEK_SHA256);
	k2.src = htonl(ks_addr);
	k2.dst = htonl(MC_GROUP);
	p = *router_ks_policy(ks.env.router, "G");
	p.nsid = 0;
	p.has_kek = true;
	p.kek = k2;
	push(&kek, 1, &p, NULL, 0);
	recv_ack();	/* the key server's own KEK asks for ACKs */
	ck_assert(ack_got);
	assert_shows("show crypto gdoi", "    Rekey Transport Type     : "
		     "Multicast\n");
	ck_assert_int_eq(utopo_sh("ip -n %sgm maddr show dev eth0 | grep -q "
			    "239.77.0.1", ns_prefix), 0);
	/* the next rekey goes to the group only */
	generation(&p, 0x61616161, 0, 30);
	tq_build(&k2, ks_key(), 1, &p, NULL, 0, &w);
	group.port = port;
	group.local = htonl(ks_addr);
	ck_assert_int_eq(udp_send(sender, buf_data(&w), buf_len(&w), &group),
			 0);
	for (int i = 0; i < 100 && sa(0x61616161, IPSEC_DIR_IN) == NULL; i++)
		ev_run_once(loop, 5);
	ck_assert_ptr_nonnull(sa(0x61616161, IPSEC_DIR_IN));
	/* the ACK comes back unicast, from the member's own address */
	recv_ack();
	ck_assert(ack_got);
	ck_assert_int_eq(push_ack_verify(&ack, &k2), PUSH_OK);
	assert_shows("show crypto gdoi", "       Multicast rekey rcvd  : 2\n");
	assert_shows("show crypto gdoi gm rekey", "Group G (Multicast)\n");
	assert_shows("show crypto gdoi rekey sa",
		     "239.77.0.1      10.77.0.1       2000            ACTIVE\n");
}
END_TEST

static bool
gm_took_multicast_rekey(void)
{
	const char *s = show("show crypto gdoi");

	return strstr(s, "Multicast rekey rcvd  : 1\n") != NULL;
}

/* The real key server's multicast rekeys (`rekey address ipv4`) reach the
 * member on the bridge: it joins the group of the KEK it registered for,
 * takes `crypto gdoi ks rekey` from one datagram and sends no ACK. */
START_TEST(test_multicast_from_key_server)
{
	if (geteuid() != 0) {
		fprintf(stderr, "multicast rekey case skipped: not root\n");
		return;
	}
	net_node_lines(&ks, "access-list 121 permit ip host 10.77.0.1 host "
		       "239.77.0.1\ncrypto gdoi group G\n server local\n"
		       "  no rekey transport unicast\n"
		       "  rekey address ipv4 121\n");
	ns_enter("gm");
	gm_up(" server address ipv4 10.77.0.1\n");
	assert_shows("show crypto gdoi", "    Rekey Transport Type     : "
		     "Multicast\n");
	ck_assert_int_eq(utopo_sh("ip -n %sgm maddr show dev eth0 | grep -q "
				  "239.77.0.1", ns_prefix), 0);
	net_node_lines(&ks, "do crypto gdoi ks rekey");
	for (int i = 0; i < 200 && !gm_took_multicast_rekey(); i++)
		ev_run_once(loop, 5);
	assert_shows("show crypto gdoi", "       Multicast rekey rcvd  : 1\n");
	assert_shows("show crypto gdoi", "    Rekeys received          : 1\n");
	assert_shows("show crypto gdoi", "       Rekey Acks sents      : 0\n");
}
END_TEST

Suite *
suite_gm_rekey(void)
{
	Suite *s = suite_create("gm_rekey");
	TCase *tc = tcase_create("loopback");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tek_switchover);
	tcase_add_test(tc, test_default_delays);
	tcase_add_test(tc, test_kek_rollover_and_ack);
	tcase_add_test(tc, test_rekey_rhythm);
	tcase_add_test(tc, test_delete_reregisters);
	tcase_add_test(tc, test_missed_rekey);
	tcase_add_test(tc, test_bad_rekeys);
	suite_add_tcase(s, tc);

	tc = tcase_create("netns");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, ns_make, ns_remove);
	tcase_add_checked_fixture(tc, mc_setup, mc_teardown);
	tcase_add_test(tc, test_multicast_rekey);
	tcase_add_test(tc, test_multicast_from_key_server);
	suite_add_tcase(s, tc);
	return s;
}
