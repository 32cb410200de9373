/*
 * COOP in the daemon: two key servers in one process (127.0.0.1 and
 * 127.0.0.2, real UDP on one port, virtual clock), configured by CLI
 * lines with `redundancy`, sharing one rekey key pair.  They elect the
 * higher priority, `show crypto gdoi ks coop` and `show crypto gdoi`
 * agree on it, the secondary hands out the primary's KEK and TEKs and,
 * when the primary goes away, takes over with the same keys and SEQ moved
 * on; a key server that is not a configured peer is refused and counted.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "gdoi/rsakey.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"
#include "roles/keystore.h"
#include "roles/ks.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "sim_gm.h"

static struct evloop *loop;
static struct net_node ks[3], gmn;
static struct sim_gm sim;
static uint16_t port;
static struct term *out;

static const char base[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-gcm 256\n"
	"crypto ipsec profile PROF\n set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey algorithm aes 256\n"
	"  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n";


/* KS i at 127.0.0.(i+1) with priority prio and peers "a b". */
static void
ks_up(int i, unsigned prio, const char *peers, const char *pem)
{
	char lines[512], err[160];
	int n;

	net_node_up(&ks[i], loop, port, "getvpn-coop");
	ck_assert_int_eq(keystore_import(ks[i].env.keys, "REKEY", pem,
					 strlen(pem), err, sizeof(err)), 0);
	net_node_lines(&ks[i], base);
	n = snprintf(lines, sizeof(lines), "  address ipv4 127.0.0.%d\n"
		     "  redundancy\n   local priority %u\n", i + 1, prio);
	for (const char *p = peers; *p; p++)
		if (*p != ' ')
			n += snprintf(lines + n, sizeof(lines) - (size_t)n,
				      "   peer address ipv4 127.0.0.%c\n", *p);
	net_node_lines(&ks[i], lines);
}

static char *pem;

static void
setup(void)
{
	struct rsakey *k = rsakey_generate(1024);
	size_t len;

	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(rsakey_to_pem(k, &pem, &len), 0);
	rsakey_free(k);
	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	out = term_new_mem();
	port = (uint16_t)(20000 + getpid() % 20000);
	memset(ks, 0, sizeof(ks));
	memset(&gmn, 0, sizeof(gmn));
	memset(&sim, 0, sizeof(sim));
	net_log_start();
}

static void
teardown(void)
{
	net_log_stop();
	log_debug_all_off();
	sim_gm_free(&sim);
	net_node_down(&gmn);
	for (int i = 0; i < 3; i++)
		net_node_down(&ks[i]);
	rsakey_buf_free(pem, strlen(pem));
	term_free(out);
	ev_free(loop);
}

static const char *
show(int i, const char *cmd)
{
	term_mem_reset(out);
	cli_session_line(ks[i].s, cmd, out);
	return term_mem_data(out, NULL);
}

static bool
role_is(int i, const char *role)
{
	char want[64];

	snprintf(want, sizeof(want), "Local KS Role: %s", role);
	return ks[i].up && strstr(show(i, "do show crypto gdoi ks coop"), want);
}

static bool
elected(void)
{
	return role_is(0, "Secondary") && role_is(1, "Primary");
}

static bool
taken_over(void)
{
	return role_is(0, "Primary");
}

/* The first "spi" line of `show crypto gdoi ks policy` (the KEK's) and
 * the TEK spi lines after it, as one string. */
static void
spis(int i, char *buf, size_t len)
{
	const char *s = show(i, "do show crypto gdoi ks policy");
	size_t n = 0;

	buf[0] = '\0';
	while ((s = strstr(s, "spi")) != NULL && n + 64 < len) {
		const char *e = strchr(s, '\n');
		size_t l = e ? (size_t)(e - s) : strlen(s);

		memcpy(buf + n, s, l);
		n += l;
		buf[n++] = ';';
		buf[n] = '\0';
		s += l;
	}
}

static bool
same_keys(void)
{
	char a[1024], b[1024];

	spis(0, a, sizeof(a));
	spis(1, b, sizeof(b));
	return a[0] != '\0' && strcmp(a, b) == 0;
}

START_TEST(test_elect_show_takeover)
{
	uint64_t t0;
	char before[1024], after[1024];

	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	show(0, "do debug crypto gdoi coop");
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert_ptr_nonnull(strstr(net_log(), "TRANS_TO_PRI: KS 127.0.0.2 in "
				     "group G transitioned to Primary"));
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP G: ANN from 127.0.0.2 "
				     "(Primary, priority 200"));
	ck_assert_ptr_nonnull(strstr(show(0, "do no debug crypto gdoi coop"),
				     "COOP debugging is off"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop"),
				     "Peer Address: 127.0.0.2"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi"),
				     "Local KS Role        : Secondary"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi"),
				     "Local KS Role        : Primary"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi ks coop detail"),
				     "SID range: 8192-16383"));
	/* the secondary hands out the primary's KEK and TEKs */
	if (!net_run_until(loop, same_keys, 5000)) {
		char a[1024], b[1024];

		spis(0, a, sizeof(a));
		spis(1, b, sizeof(b));
		ck_abort_msg("%s\n%s\n%s", a, b,
			     show(0, "do show crypto gdoi ks coop detail"));
	}
	spis(1, before, sizeof(before));
	/* the primary goes away: the secondary takes over in < 3 periods */
	net_node_down(&ks[1]);
	t0 = ev_now(loop);
	ck_assert(net_run_until(loop, taken_over, 60000));
	ck_assert_uint_lt(ev_now(loop) - t0, 60000);
	/* with the same keys: the lineage goes on */
	spis(0, after, sizeof(after));
	ck_assert_str_eq(after, before);
	/* SEQ under the KEK 1000 above the primary's; the lineage SEQ
	 * (1 + the KEK's SEQ at the first publication) by the same */
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks policy"),
				     "Seq num : 1000"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop detail"),
				     "Lineage SEQ: 1001,"));
}
END_TEST

static bool
primary_knows_member(void)
{
	return strstr(show(1, "do show crypto gdoi ks members"),
		      "127.0.0.5") != NULL;
}

static bool
never(void)
{
	return false;
}

/* A member registers with the secondary: the primary has it too (and
 * will rekey it), with the SID the secondary granted from its slice; it
 * is REDUNDANT on the primary.  A config change on the secondary makes
 * no keys and no rekey there, and `crypto gdoi ks rekey` is refused. */
START_TEST(test_member_sync)
{
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert(net_run_until(loop, same_keys, 5000));
	net_node_up(&gmn, loop, (uint16_t)(port + 1), "getvpn-coop-gm");
	net_node_lines(&gmn, "crypto isakmp policy 10\n encr aes 256\n"
		       " hash sha256\n authentication pre-share\n group 19\n"
		       "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n");
	ck_assert(sim_gm_register(&sim, loop, &gmn.env, port,
				  htonl(0x7f000005), htonl(0x7f000001), 1000));
	ck_assert(net_run_until(loop, primary_knows_member, 5000));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop "
					  "detail"), "Members: 1 local"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi ks coop "
					  "detail"), "Members: 0 local, 1 "
				     "redundant"));
	/* as IOS: REDUNDANT under the KS it registered with, LOCAL there */
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi ks members "
					  "summary"), "Key Server ID: 127.0.0.1, "
				     "GMDB state: REDUNDANT, Group Members: 1"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi ks members"),
				     " Key Server ID     : 127.0.0.1\n"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks members "
					  "summary"), "Key Server ID: 127.0.0.1, "
				     "GMDB state: LOCAL, Group Members: 1"));
	/* the secondary's own config changes (TEK lifetime): it keeps
	 * serving the primary's keys and sends no rekey of its own */
	net_node_lines(&ks[0], "crypto ipsec profile PROF\n"
		       " set security-association lifetime seconds 1800\n");
	net_run_until(loop, never, 3000);
	ck_assert(same_keys());
	ck_assert_ptr_null(strstr(net_log(), "Sending Unicast Rekey for group G "
				  "from address 127.0.0.1"));
	/* nor on demand: the primary rekeys */
	ck_assert_ptr_nonnull(strstr(show(0, "do crypto gdoi ks rekey"),
				     "COOP secondary; rekey on the primary"));
	ck_assert(same_keys());
	ck_assert_ptr_null(strstr(net_log(), "Sending Unicast Rekey for group G "
				  "from address 127.0.0.1"));
}
END_TEST


static void
gm_node_up(void)
{
	net_node_up(&gmn, loop, (uint16_t)(port + 1), "getvpn-coop-gm");
	net_node_lines(&gmn, "crypto isakmp policy 10\n encr aes 256\n"
		       " hash sha256\n authentication pre-share\n group 19\n"
		       "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n");
}

/* The member registers with KS i and gets the keys KS i holds now. */
static void
registers_with_keys_of(int i)
{
	uint8_t want[SIM_GM_KEYS_DIGEST];

	sim_gm_free(&sim);
	ck_assert(sim_gm_register(&sim, loop, &gmn.env, port,
				  htonl(0x7f000005), htonl(0x7f000001 + i),
				  1000));
	sim_gm_keys_digest(ks_policy_now(router_ks(ks[i].env.router), "G"),
			   want);
	ck_assert_mem_eq(sim.reg_keys, want, sizeof(want));
}

static bool
both_primary(void)
{
	return role_is(0, "Primary") && role_is(1, "Primary");
}

/* No registration is answered during an election: the keys there may be
 * no other key server's (doc/coop.md "In the daemon").  A key server
 * that served members with its own keys as a lone primary, then given
 * its peer, adopts the peer's: the next registration carries the
 * adopted keys, not key packets kept from before (message 4's cache). */
START_TEST(test_register_after_adopting)
{
	char own[1024], adopted[1024];

	ks_up(0, 100, "", pem);		/* no peer yet: alone */
	ks_up(1, 200, "1", pem);
	gm_node_up();
	ck_assert(!sim_gm_register(&sim, loop, &gmn.env, port,
				   htonl(0x7f000005), htonl(0x7f000001),
				   1000));
	ck_assert_ptr_nonnull(strstr(net_log(), "for group G refused: group "
				     "not ready (COOP election in progress)"));
	ck_assert(net_run_until(loop, both_primary, 30000));
	registers_with_keys_of(0);
	spis(0, own, sizeof(own));
	net_node_lines(&ks[0], "crypto gdoi group G\n server local\n"
		       "  redundancy\n   peer address ipv4 127.0.0.2\n");
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert(net_run_until(loop, same_keys, 5000));
	spis(0, adopted, sizeof(adopted));
	ck_assert_str_ne(own, adopted);
	registers_with_keys_of(0);
}
END_TEST

static bool
unconf_counted(void)
{
	const char *s = show(0, "do show crypto gdoi ks coop detail");

	return strstr(s, "unconfigured peer: 0") == NULL &&
	       strstr(s, "unconfigured peer: ") != NULL;
}

static bool
alone_primary(void)
{
	return role_is(0, "Primary") && role_is(2, "Primary");
}

START_TEST(test_unconfigured_peer)
{
	ks_up(0, 100, "", pem);		/* knows nobody */
	ks_up(2, 200, "1", pem);	/* thinks KS 1 is its peer */
	ck_assert(net_run_until(loop, unconf_counted, 30000));
	ck_assert(net_run_until(loop, alone_primary, 30000));
}
END_TEST

Suite *
suite_coop_ks(void)
{
	Suite *s = suite_create("coop_ks");
	TCase *tc = tcase_create("daemon");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_elect_show_takeover);
	tcase_add_test(tc, test_unconfigured_peer);
	tcase_add_test(tc, test_member_sync);
	tcase_add_test(tc, test_register_after_adopting);
	suite_add_tcase(s, tc);
	return s;
}
