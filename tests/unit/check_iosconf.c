/*
 * iosconf: full IOS router configurations, written as IOS-XE's show
 * running-config prints them (tests/iosconf/NAME.cfg: a key server with
 * COOP peers, a key server with multicast rekey, a member with
 * fail-close), replayed as a startup-config.  Every GET VPN line must
 * take effect (NAME.run pins the resulting running-config) and every
 * refusal must be one line with its reason (NAME.err).  The member's
 * configuration, GigabitEthernet names and all, then registers with a
 * key server.  GOLDEN_UPDATE=1 rewrites the .run and .err files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_isakmp.h"
#include "parser/conf_keyring.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "testlib.h"

/* Every line of the report is "FILE:N: % Not applied: reason". */
static unsigned
check_one_line_refusals(const char *report)
{
	regex_t r;
	unsigned n = 0;
	const char *p = report;

	ck_assert_int_eq(regcomp(&r, "^[^:]+:[0-9]+: % Not applied: [^\n]+$",
				 REG_EXTENDED | REG_NOSUB), 0);
	while (*p != '\0') {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);

		ck_assert_msg(regexec(&r, line, 0, NULL, 0) == 0,
			      "not a one-line refusal: %s", line);
		free(line);
		n++;
		p += len + (p[len] == '\n');
	}
	regfree(&r);
	return n;
}

static void
replay(const char *name)
{
	struct cli_env env;
	struct term *err = term_new_mem(), *run = term_new_mem();
	char path[128], e[256], *text;
	int bad;

	snprintf(path, sizeof(path), "tests/iosconf/%s.cfg", name);
	text = tl_slurp(path);
	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, e, sizeof(e)), 0);
	bad = cli_replay_text(&env, path, text, strlen(text), err);
	ck_assert_int_eq((unsigned)bad,
			 check_one_line_refusals(term_mem_data(err, NULL)));
	snprintf(path, sizeof(path), "tests/iosconf/%s.err", name);
	tl_golden(path, term_mem_data(err, NULL));
	conf_show(env.conf, run);
	snprintf(path, sizeof(path), "tests/iosconf/%s.run", name);
	tl_golden(path, term_mem_data(run, NULL));
	cli_env_fini(&env);
	term_free(err);
	term_free(run);
	free(text);
}

START_TEST(test_ks_coop)
{
	replay("ks-coop");
}
END_TEST

START_TEST(test_ks_mcast)
{
	replay("ks-mcast");
}
END_TEST

START_TEST(test_gm_failclose)
{
	replay("gm-failclose");
}
END_TEST

/* A banner's lines are text, even `end`, `!` and command lines; one that
 * never ends is refused and sets nothing. */
START_TEST(test_banner_text)
{
	static const char ok[] = "banner motd #\nend\n!\n"
		"interface eth9\n# trailing\nhostname B\n";
	static const char open_end[] = "banner login ^C\nno end in sight\n";
	struct term *err = term_new_mem(), *run = term_new_mem();
	struct cli_env env;
	char e[256];

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, e, sizeof(e)), 0);
	ck_assert_int_eq(cli_replay_text(&env, "b", ok, strlen(ok), err), 0);
	ck_assert_str_eq(env.conf->banner[CONF_BANNER_MOTD],
			 "end\n!\ninterface eth9\n");
	ck_assert_str_eq(env.conf->hostname, "B");
	ck_assert_int_eq(cli_replay_text(&env, "b", open_end, strlen(open_end),
					 err), 1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(err, NULL),
				     "b:2: % Text not ended"));
	ck_assert_ptr_null(env.conf->banner[CONF_BANNER_LOGIN]);
	conf_show(env.conf, run);
	ck_assert_ptr_nonnull(strstr(term_mem_data(run, NULL),
				     "banner motd ^C\nend\n!\ninterface eth9\n"
				     "^C\n"));
	cli_env_fini(&env);
	term_free(err);
	term_free(run);
}
END_TEST

/* Keyring keys: per peer, longest mask, after the keyrings made first;
 * VRF keyrings refused; `no crypto keyring` drops its keys. */
START_TEST(test_keyring)
{
	static const char cfg[] =
		"crypto keyring A\n"
		" pre-shared-key address 10.0.0.0 255.0.0.0 key wide\n"
		" pre-shared-key address 10.1.1.1 key host\n"
		"crypto keyring B\n"
		" pre-shared-key address 0.0.0.0 0.0.0.0 key any\n"
		"crypto keyring V vrf RED\n";
	struct term *err = term_new_mem();
	struct cli_env env;
	const struct conf_keyrings *krs;
	char e[256];
	uint32_t a;

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, e, sizeof(e)), 0);
	ck_assert_int_eq(cli_replay_text(&env, "k", cfg, strlen(cfg), err), 1);
	ck_assert_str_eq(term_mem_data(err, NULL), "k:6: % VRF keyrings are "
			 "not supported: getvpn has no VRFs\n");
	krs = env.conf->keyrings;
	a = htonl(0x0a010101);
	ck_assert_str_eq(conf_keyrings_key_for_peer(krs, a)->secret, "host");
	a = htonl(0x0a020202);
	ck_assert_str_eq(conf_keyrings_key_for_peer(krs, a)->secret, "wide");
	a = htonl(0xc0000201);
	ck_assert_str_eq(conf_keyrings_key_for_peer(krs, a)->secret, "any");
	ck_assert_int_eq(cli_replay_text(&env, "k", "no crypto keyring B\n",
					 20, err), 0);
	ck_assert_ptr_null(conf_keyrings_key_for_peer(krs, a));
	cli_env_fini(&env);
	term_free(err);
}
END_TEST

static struct evloop *loop;
static struct net_node ks, gm;

static bool
gm_registered(void)
{
	const char *s = router_gm_state(gm.env.router, "GETVPN-GROUP");

	return s != NULL && strcmp(s, "Registered") == 0;
}

/* The member's pasted configuration registers with a key server. */
START_TEST(test_pasted_member_registers)
{
	static const char ks_cfg[] =
		"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
		" authentication pre-share\n group 19\n"
		"crypto isakmp key lab-psk address 127.0.0.2\n"
		"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
		"crypto ipsec profile PROF\n set transform-set TS\n"
		"ip access-list extended POLICY\n"
		" permit ip 10.0.0.0 0.255.255.255 10.0.0.0 0.255.255.255\n"
		"crypto key generate rsa general-keys label REKEY modulus 1024\n"
		"crypto gdoi group KS-GROUP\n identity number 1000\n"
		" server local\n  rekey authentication mypubkey rsa REKEY\n"
		"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
		"   match address ipv4 POLICY\n  address ipv4 127.0.0.1\n";
	uint16_t port = (uint16_t)(30000 + (getpid() + 7) % 20000);
	struct term *err = term_new_mem(), *out = term_new_mem();
	char *text = tl_slurp("tests/iosconf/gm-failclose.cfg");

	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	memset(&ks, 0, sizeof(ks));
	memset(&gm, 0, sizeof(gm));
	net_node_up(&ks, loop, port, "getvpn-iosconf");
	net_node_lines(&ks, ks_cfg);
	net_node_up(&gm, loop, port, "getvpn-iosconf");
	cli_replay_text(&gm.env, "gm", text, strlen(text), err);
	cli_env_commit(&gm.env);
	ck_assert_msg(net_run_until(loop, gm_registered, 20000), "%s",
		      term_mem_data(err, NULL));
	cli_session_line(gm.s, "do show crypto ipsec sa", out);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "interface: GigabitEthernet0/0/0\n"
				     "    Crypto map tag: GETVPN-MAP, local addr "
				     "127.0.0.2\n"));
	net_node_down(&gm);
	net_node_down(&ks);
	ev_free(loop);
	term_free(err);
	term_free(out);
	free(text);
}
END_TEST

Suite *
suite_iosconf(void)
{
	Suite *s = suite_create("iosconf");
	TCase *tc = tcase_create("iosconf");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ks_coop);
	tcase_add_test(tc, test_ks_mcast);
	tcase_add_test(tc, test_gm_failclose);
	tcase_add_test(tc, test_banner_text);
	tcase_add_test(tc, test_keyring);
	tcase_add_test(tc, test_pasted_member_registers);
	suite_add_tcase(s, tc);
	return s;
}
