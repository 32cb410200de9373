/*
 * The unicast rekey's ACK window (roles/ks_rekey.c, KS_UNICAST_WINDOW:
 * 2,048 copies whose ACK has not come back) with 5,000 members, on the
 * virtual clock.  The members are restored from a state file written for
 * the test; one UDP socket on the members' port (any address) stands in
 * for all of them: it records which member each copy was sent to and
 * answers with that member's ACK (RFC 8263) from its address, or not.
 * Without ACKs exactly 2,048 copies leave; ACKs clock out as many more,
 * never more than 2,048 unacknowledged; a window that stays full for
 * KS_UNICAST_STALL_MS counts as lost and sending goes on; every member
 * gets the rekey once, and the retransmission goes exactly to the
 * members that did not acknowledge it.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/session.h"
#include "gdoi/push.h"
#include "platform/evloop.h"
#include "platform/fileio.h"
#include "platform/term.h"
#include "platform/udp.h"
#include "roles/ks.h"
#include "roles/ks_state.h"
#include "roles/ks_state_seal.h"
#include "roles/members.h"
#include "roles/router.h"
#include "net_fixtures.h"

Suite *suite_ks_window(void);

#define NMEMBERS 5000
#define WINDOW 2048		/* KS_UNICAST_WINDOW (roles/ks_int.h) */
#define MEMBER_ADDR(i) htonl(0x7f010000u + 1 + (uint32_t)(i))

static struct evloop *loop;
static struct net_node ks;
static uint16_t port;
static char base[64], keydir[96], statedir[96];
static struct udp_sock *gms;		/* every member's port */
static unsigned copies[NMEMBERS];	/* received per member */
static bool acks_on;			/* answer as copies arrive */
static bool silent[NMEMBERS];		/* never answer */
static unsigned received, acked, pending_n;
static int pending[NMEMBERS];		/* received, not answered yet */

static const char ks_cfg[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
	"crypto ipsec profile PROF\n set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  rekey retransmit 10 number 2\n"
	"  address ipv4 127.0.0.1\n"
	"  sa ipsec 10\n   profile PROF\n   match address ipv4 POLICY\n";

static void
ks_start(void)
{
	struct term *err = term_new_mem();

	net_node_up_in(&ks, loop, port, keydir, statedir);
	ck_assert_int_eq(cli_replay_text(&ks.env, "startup-config", ks_cfg,
					 strlen(ks_cfg), err), 0);
	term_free(err);
}

/* The state file with NMEMBERS members on our port in place of none. */
static void
add_members(void)
{
	char path[160], *raw = NULL, *secret = NULL;
	size_t len = 0, slen = 0, plen = 0;
	uint8_t *plain = NULL;
	const char *why = NULL;
	struct ks_state s;
	struct members *ms = members_new();
	struct buf_writer enc, sealed;

	snprintf(path, sizeof(path), "%s/ks-state.secret", keydir);
	ck_assert_int_eq(file_read_all(path, 64, &secret, &slen), 0);
	ck_assert_uint_eq(slen, KS_STATE_SECRET_LEN);
	snprintf(path, sizeof(path), "%s/ks-G.state", statedir);
	ck_assert_int_eq(file_read_all(path, KS_STATE_MAX, &raw, &len), 0);
	ck_assert_int_eq(ks_state_open((uint8_t *)secret, (uint8_t *)raw, len,
				       &plain, &plen, &why), 0);
	ck_assert_int_eq(ks_state_decode(plain, plen, 0, &s), 0);
	for (int i = 0; i < NMEMBERS; i++) {
		struct member *m = members_get(ms, MEMBER_ADDR(i));

		m->ks_addr = htonl(0x7f000001);
		m->port = (uint16_t)(port + 2);
		m->registrations = 1;
	}
	buf_writer_init_max(&enc, KS_STATE_MAX);
	buf_writer_init_max(&sealed, KS_STATE_MAX);
	ck_assert_int_eq(ks_state_encode("G", &s.gen, ms, 0, 0, s.written_ms,
					 &enc), 0);
	ck_assert_int_eq(ks_state_seal((uint8_t *)secret, buf_data(&enc),
				       buf_len(&enc), &sealed), 0);
	ck_assert_int_eq(file_write_atomic(path, buf_data(&sealed),
					   buf_len(&sealed), 0600), 0);
	snprintf(path, sizeof(path), "%s/ks-G.journal", statedir);
	unlink(path);
	ks_state_free(&s);
	members_free(ms);
	buf_writer_free(&enc);
	buf_writer_free(&sealed);
	free(plain);
	free(raw);
	free(secret);
}

static void
ack(int i)
{
	const struct gdoi_policy *p = ks_policy_now(router_ks(ks.env.router),
						    "G");
	struct ks_stats st;
	struct buf_writer w;
	struct udp_peer to = { .addr = htonl(0x7f000001), .port = port,
			       .local = MEMBER_ADDR(i) };

	ck_assert_int_eq(ks_stats(router_ks(ks.env.router), "G", &st), 0);
	buf_writer_init(&w);
	ck_assert_int_eq(push_ack_build(&p->kek, p->kek.spi, st.seq,
					MEMBER_ADDR(i), &w), 0);
	ck_assert_int_eq(udp_send(gms, buf_data(&w), buf_len(&w), &to), 0);
	buf_writer_free(&w);
	acked++;
}

static void
on_copy(int fd, void *arg)
{
	uint8_t buf[4096];
	struct udp_peer from;

	(void)fd;
	(void)arg;
	while (udp_recv(gms, buf, sizeof(buf), &from) >= 0) {
		uint32_t i = ntohl(from.local) - 0x7f010001u;

		ck_assert_uint_lt(i, NMEMBERS);
		copies[i]++;
		received++;
		if (acks_on && !silent[i])
			ack((int)i);
		else if (!silent[i])
			pending[pending_n++] = (int)i;
	}
}

/* Loop turns on frozen time until nothing moves. */
static void
settle(void)
{
	unsigned before;

	do {
		before = received + acked;
		for (int k = 0; k < 50; k++)
			ev_run_once(loop, 2);
	} while (received + acked != before);
}

static struct ev_io *gms_io;

static void
setup(void)
{
	char err[160];

	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	port = (uint16_t)(20000 + getpid() % 20000);
	memset(&ks, 0, sizeof(ks));
	memset(copies, 0, sizeof(copies));
	memset(silent, 0, sizeof(silent));
	received = acked = pending_n = 0;
	acks_on = false;
	snprintf(base, sizeof(base), "/tmp/getvpn-ksw-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(keydir, sizeof(keydir), "%s/keys", base);
	snprintf(statedir, sizeof(statedir), "%s/state", base);
	ck_assert_int_eq(mkdir(keydir, 0700), 0);
	net_node_up_in(&ks, loop, port, keydir, statedir);
	net_node_lines(&ks, "crypto key generate rsa general-keys label REKEY "
		       "modulus 1024\n");
	net_node_down(&ks);
	gms = udp_open(INADDR_ANY, (uint16_t)(port + 2), err, sizeof(err));
	ck_assert_msg(gms != NULL, "%s", err);
	/* the whole window at once must not drop at our socket */
	udp_set_rcvbuf(gms, 16 << 20);
	ck_assert_int_eq(ev_read(loop, udp_fd(gms), on_copy, NULL, &gms_io), 0);
}

static void
teardown(void)
{
	char cmd[96];

	ev_io_cancel(&gms_io);
	udp_close(gms);
	net_node_down(&ks);
	ev_free(loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", base);
}

static unsigned
members_with(unsigned n)
{
	unsigned c = 0;

	for (int i = 0; i < NMEMBERS; i++)
		c += copies[i] == n;
	return c;
}

START_TEST(test_window_past_2048)
{
	struct term *out = term_new_mem();
	struct ks_stats st;
	unsigned before;

	ks_start();
	net_node_down(&ks);
	add_members();
	ks_start();
	ck_assert_int_eq(ks_stats(router_ks(ks.env.router), "G", &st), 0);
	ck_assert_uint_eq(st.members, NMEMBERS);
	ck_assert_int_eq(cli_session_line(ks.s, "do crypto gdoi ks rekey", out),
			 0);
	/* no ACK, time frozen: the window and not one copy more */
	settle();
	ck_assert_uint_eq(received, WINDOW);
	/* 1,100 ACKs: back under half the window, as many new copies */
	for (unsigned k = 0; k < 1100; k++)
		ack(pending[k]);
	settle();
	ck_assert_uint_eq(received, WINDOW + 1100);
	ck_assert_uint_eq(received - acked, WINDOW);
	/* the window stays full past KS_UNICAST_STALL_MS: those copies
	 * count as lost and the rest go out */
	ev_advance(loop, 60);
	settle();
	ck_assert_uint_eq(received, NMEMBERS);
	ck_assert_uint_eq(members_with(1), NMEMBERS);	/* each once */
	/* everyone but every 7th member acknowledges (in bursts the key
	 * server's socket holds) */
	for (unsigned k = 1100; k < pending_n; k++) {
		if (pending[k] % 7 != 0)
			ack(pending[k]);
		else
			silent[pending[k]] = true;
		if (k % 256 == 0)
			settle();
	}
	settle();
	before = received;
	/* the retransmission: to the silent members only */
	acks_on = true;
	ev_advance(loop, 10000);
	settle();
	ck_assert_uint_eq(received - before, members_with(2));
	for (int i = 0; i < NMEMBERS; i++)
		ck_assert_msg(copies[i] == (silent[i] ? 2u : 1u), "member %d: %u copies", i, copies[i]);
	ck_assert_int_eq(ks_stats(router_ks(ks.env.router), "G", &st), 0);
	ck_assert_uint_eq(st.acks_last, acked);
	term_free(out);
}
END_TEST

Suite *
suite_ks_window(void)
{
	Suite *s = suite_create("ks_window");
	TCase *tc = tcase_create("window");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_window_past_2048);
	suite_add_tcase(s, tc);
	return s;
}
