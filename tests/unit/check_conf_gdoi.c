/*
 * check_conf_gdoi: the GDOI group config area through the real CLI
 * (doc/ios-cli.md §2.6-§2.9 commands, §3.1 NVGEN order, §7 example configs).
 *
 * Each accepted case feeds CLI lines to a fresh session and compares the
 * groups' part of `show running-config` byte for byte, then replays that
 * text into another fresh session and expects the same text again.  Each
 * refused case checks the error text and that the whole running-config
 * is unchanged by the refused line.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "platform/term.h"
#include "testlib.h"

/* The gdoi part of show running-config (malloc'd). */
static char *
gdoi_text(struct tl *t)
{
	struct term *m = term_new_mem();
	char *s;

	ck_assert_ptr_nonnull(m);
	conf_gdoi_show(tl_conf(t)->gdoi, m);
	s = strdup(term_mem_data(m, NULL));
	term_free(m);
	return s;
}

struct accept_case {
	const char *name;
	const char *lines;
	const char *expect;
};

static const struct accept_case accept_cases[] = {
	{ "S5 KS-1 as typed (doc/ios-cli.md 7.1)",
	  "crypto gdoi group mygroup\n"
	  " identity number 66666\n"
	  " server local\n"
	  "  address ipv4 202.100.1.1\n"
	  "  rekey authentication mypubkey rsa getvpnkey\n"
	  "  rekey algorithm aes 256\n"
	  "  rekey transport unicast\n"
	  "  sa ipsec 1\n"
	  "   match address ipv4 GETVPN-Traffic\n"
	  "   profile getvpn-profile\n"
	  "   replay time window-size 3\n"
	  "crypto gdoi group mygroup\n"
	  " server local\n"
	  "  redundancy\n"
	  "   peer address ipv4 202.100.1.2\n"
	  "   local priority 100\n",
	  "crypto gdoi group mygroup\n"
	  " identity number 66666\n"
	  " server local\n"
	  "  rekey algorithm aes 256\n"
	  "  rekey authentication mypubkey rsa getvpnkey\n"
	  "  rekey transport unicast\n"
	  "  sa ipsec 1\n"
	  "   profile getvpn-profile\n"
	  "   match address ipv4 GETVPN-Traffic\n"
	  "   replay time window-size 3\n"
	  "  address ipv4 202.100.1.1\n"
	  "  redundancy\n"
	  "   local priority 100\n"
	  "   peer address ipv4 202.100.1.2\n"
	  "!\n" },
	{ "S5 GM-1 (7.1)",
	  "crypto gdoi group mygroup\n"
	  " identity number 66666\n"
	  " server address ipv4 202.100.1.1\n"
	  " server address ipv4 202.100.1.2\n",
	  "crypto gdoi group mygroup\n"
	  " identity number 66666\n"
	  " server address ipv4 202.100.1.1\n"
	  " server address ipv4 202.100.1.2\n"
	  "!\n" },
	{ "S8 flat paste with exit and abbreviations (7.2)",
	  "crypto gdoi group GWAN-GDOI-GROUP\n"
	  "identity number 200\n"
	  "server local\n"
	  "  rekey algorithm aes 256\n"
	  "  rekey lifetime second 86400\n"
	  "  rekey retransmit 40 number 3\n"
	  "  rekey authentication mypubkey rsa GETVPN-REKEY-RSA\n"
	  "  rekey transport unicast\n"
	  "  authorization address ipv4 52\n"
	  "  sa ipsec 10\n"
	  "   profile GETVPN-PROFILE\n"
	  "   match address ipv4 GETVPN-POLICY-ACL\n"
	  "   replay time window-size 5\n"
	  "   exit\n"
	  "address ipv4 10.0.0.1\n"
	  "   redundancy\n"
	  "   local priority 140\n"
	  "   peer address ipv4 10.0.0.2\n"
	  "!\n",
	  "crypto gdoi group GWAN-GDOI-GROUP\n"
	  " identity number 200\n"
	  " server local\n"
	  "  rekey algorithm aes 256\n"
	  "  rekey lifetime seconds 86400\n"
	  "  rekey retransmit 40 number 3\n"
	  "  rekey authentication mypubkey rsa GETVPN-REKEY-RSA\n"
	  "  rekey transport unicast\n"
	  "  authorization address ipv4 52\n"
	  "  sa ipsec 10\n"
	  "   profile GETVPN-PROFILE\n"
	  "   match address ipv4 GETVPN-POLICY-ACL\n"
	  "   replay time window-size 5\n"
	  "  address ipv4 10.0.0.1\n"
	  "  redundancy\n"
	  "   local priority 140\n"
	  "   peer address ipv4 10.0.0.2\n"
	  "!\n" },
	{ "IOS 12.4 KS, un-indented address and re-entry (7.3)",
	  "crypto gdoi group SALES\n"
	  " identity number 111\n"
	  " server local\n"
	  "  sa ipsec 10\n"
	  "   profile IPROF\n"
	  "   match address ipv4 101\n"
	  "address ipv4 192.1.40.2\n"
	  "crypto gdoi group SALES\n"
	  " server local\n"
	  " rekey transport unicast\n"
	  " rekey authentication mypubkey rsa GETVPN-KEY\n"
	  " rekey algorithm 3des-cbc\n"
	  " rekey lifetime seconds 3600\n",
	  "crypto gdoi group SALES\n"
	  " identity number 111\n"
	  " server local\n"
	  "  rekey algorithm 3des-cbc\n"
	  "  rekey lifetime seconds 3600\n"
	  "  rekey authentication mypubkey rsa GETVPN-KEY\n"
	  "  rekey transport unicast\n"
	  "  sa ipsec 10\n"
	  "   profile IPROF\n"
	  "   match address ipv4 101\n"
	  "  address ipv4 192.1.40.2\n"
	  "!\n" },
	{ "Cisco test API line order (2.8), gdoi variant",
	  "crypto gdoi group API\n"
	  "identity number 5\n"
	  "server local\n"
	  "rekey algorithm aes 256\n"
	  "rekey lifetime seconds 3600\n"
	  "rekey address ipv4 REKEY-ACL\n"
	  "rekey retransmit 20 number 3\n"
	  "rekey authentication mypubkey rsa KS-KEY\n"
	  "rekey transport unicast\n"
	  "pfs\n"
	  "gikev2 IKEV2-PROF\n"
	  "sa ipsec 1\n"
	  "profile PROF\n"
	  "match address ipv4 ACL1\n"
	  "no replay\n"
	  "tag cts sgt\n"
	  "address ipv4 10.1.1.1\n"
	  "redundancy\n"
	  "local priority 10\n"
	  "peer address ipv4 10.1.1.2\n",
	  "crypto gdoi group API\n"
	  " identity number 5\n"
	  " server local\n"
	  "  rekey algorithm aes 256\n"
	  "  rekey address ipv4 REKEY-ACL\n"
	  "  rekey lifetime seconds 3600\n"
	  "  rekey retransmit 20 number 3\n"
	  "  rekey authentication mypubkey rsa KS-KEY\n"
	  "  rekey transport unicast\n"
	  "  sa ipsec 1\n"
	  "   profile PROF\n"
	  "   match address ipv4 ACL1\n"
	  "   no replay\n"
	  "   tag cts sgt\n"
	  "  address ipv4 10.1.1.1\n"
	  "  gikev2 IKEV2-PROF\n"
	  "  pfs\n"
	  "  redundancy\n"
	  "   local priority 10\n"
	  "   peer address ipv4 10.1.1.2\n"
	  "!\n" },
	{ "Cisco test API, gkm variant and IPv6 group",
	  "crypto gkm group GKM1\n"
	  "identity number 6\n"
	  "server local\n"
	  "rekey sig-hash algorithm sha512\n"
	  "sa ipsec 2\n"
	  "replay time window-size 4\n"
	  "redundancy\n"
	  "protocol version optimize\n"
	  "crypto gdoi group ipv6 V6\n"
	  "server local\n"
	  "sa ipsec 1\n"
	  "match address ipv6 V6-ACL\n"
	  "crypto gdoi group GKM1\n"
	  "passive\n",
	  "crypto gkm group GKM1\n"
	  " identity number 6\n"
	  " passive\n"
	  " server local\n"
	  "  rekey sig-hash algorithm sha512\n"
	  "  sa ipsec 2\n"
	  "   replay time window-size 4\n"
	  "  redundancy\n"
	  "   protocol version optimize\n"
	  "!\n"
	  "crypto gdoi group ipv6 V6\n"
	  " server local\n"
	  "  sa ipsec 1\n"
	  "   match address ipv6 V6-ACL\n"
	  "!\n" },
	{ "GM with every client line, duplicates ignored",
	  "crypto gdoi group GM1\n"
	  " passive\n"
	  " client protocol gdoi\n"
	  " client fail-close revert\n"
	  " client bypass-policy\n"
	  " client transform-sets TS1 TS2\n"
	  " client rekey hash sha256 sha sha256\n"
	  " client rekey encryption aes 256 3des-cbc aes 128 aes 256\n"
	  " client registration interface GigabitEthernet0/0/0\n"
	  " server address ipv4 10.0.0.1\n"
	  " server address ipv4 10.0.0.2\n"
	  " server address ipv4 10.0.0.1\n"
	  " identity number 77\n"
	  " identity address ipv4 10.9.9.9\n",
	  "crypto gdoi group GM1\n"
	  " identity address ipv4 10.9.9.9\n"
	  " server address ipv4 10.0.0.1\n"
	  " server address ipv4 10.0.0.2\n"
	  " client registration interface GigabitEthernet0/0/0\n"
	  " client rekey encryption aes 256 3des-cbc aes 128\n"
	  " client rekey hash sha256 sha\n"
	  " client transform-sets TS1 TS2\n"
	  " client bypass-policy\n"
	  " client fail-close revert\n"
	  " client protocol gdoi\n"
	  " passive\n"
	  "!\n" },
	{ "every KS setting, SAs sorted, hidden aes-192, defaults typed",
	  "crypto gdoi group KS\n"
	  "identity number 0\n"
	  "identity number 4294967295\n"
	  "server local\n"
	  "sa ipsec 20\n"
	  "replay counter window-size 1024\n"
	  "sa ipsec 5\n"
	  "replay time\n"
	  "sa ipsec 65535\n"
	  "replay counter window-size 64\n"
	  "sa receive-only\n"
	  "sa tek id-length 1\n"
	  "rekey algorithm aes-192\n"
	  "rekey lifetime days 30\n"
	  "rekey retransmit 60 periodic\n"
	  "rekey acknowledgement interoperable\n"
	  "authorization identity GM-IDS\n"
	  "authorization address ipv4 1300\n"
	  "registration interface Loopback0\n"
	  "rekey address ipv4 2699\n"
	  "redundancy\n"
	  "protocol pdu 65000\n"
	  "local priority 1\n",
	  "crypto gdoi group KS\n"
	  " identity number 4294967295\n"
	  " server local\n"
	  "  rekey algorithm aes 192\n"
	  "  rekey address ipv4 2699\n"
	  "  rekey lifetime days 30\n"
	  "  rekey retransmit 60 periodic\n"
	  "  rekey acknowledgement interoperable\n"
	  "  authorization address ipv4 1300\n"
	  "  authorization identity GM-IDS\n"
	  "  sa ipsec 5\n"
	  "   replay time window-size 100\n"
	  "  sa ipsec 20\n"
	  "   replay counter window-size 1024\n"
	  "  sa ipsec 65535\n"
	  "   replay counter window-size 64\n"
	  "  sa receive-only\n"
	  "  sa tek id-length 1\n"
	  "  registration interface Loopback0\n"
	  "  redundancy\n"
	  "   local priority 1\n"
	  "   protocol pdu 65000\n"
	  "!\n" },
	{ "no and default forms; absent things removed silently",
	  "crypto gdoi group N\n"
	  "identity number 7\n"
	  "server local\n"
	  "rekey lifetime seconds 1800\n"
	  "rekey algorithm des-cbc\n"
	  "rekey retransmit 30 number 5\n"
	  "rekey transport unicast\n"
	  "sa tek id-length 1\n"
	  "sa tek id-length 2\n"
	  "sa ipsec 10\n"
	  "no replay\n"
	  "sa ipsec 20\n"
	  "profile P20\n"
	  "no replay\n"
	  "default replay\n"
	  "exit\n"
	  "no sa ipsec 10\n"
	  "no sa ipsec 30\n"
	  "no rekey lifetime\n"
	  "no rekey algorithm\n"
	  "default rekey retransmit\n"
	  "no rekey transport unicast\n"
	  "no rekey address ipv4 NONE\n"
	  "no authorization identity\n"
	  "redundancy\n"
	  "peer address ipv4 10.0.0.2\n"
	  "peer address ipv4 10.0.0.3\n"
	  "peer address ipv4 10.0.0.4\n"
	  "no peer address ipv4 10.0.0.3\n"
	  "no peer address ipv4 10.0.0.9\n"
	  "local priority 50\n"
	  "no local priority\n"
	  "exit\n"
	  "exit\n"
	  "no identity\n"
	  "no passive\n"
	  "crypto gdoi group M\n"
	  "server address ipv4 10.0.0.1\n"
	  "server address ipv4 10.0.0.2\n"
	  "server address ipv4 10.0.0.3\n"
	  "no server address ipv4 10.0.0.2\n"
	  "no server address ipv4 10.0.0.7\n"
	  "client transform-sets A B C\n"
	  "no client transform-sets\n"
	  "exit\n"
	  "crypto gdoi group GONE\n"
	  "server local\n"
	  "sa ipsec 1\n"
	  "exit\n"
	  "exit\n"
	  "exit\n"
	  "no crypto gdoi group GONE\n"
	  "yes\n"
	  "no crypto gdoi group NEVER\n"
	  "crypto gdoi group ALL\n"
	  "server address ipv4 10.0.0.1\n"
	  "server address ipv4 10.0.0.2\n"
	  "client rekey encryption des-cbc\n"
	  "client registration interface Gi1\n"
	  "no server address\n"
	  "no client rekey encryption\n"
	  "default client registration interface\n",
	  "crypto gdoi group N\n"
	  " server local\n"
	  "  sa ipsec 20\n"
	  "   profile P20\n"
	  "  redundancy\n"
	  "   peer address ipv4 10.0.0.2\n"
	  "   peer address ipv4 10.0.0.4\n"
	  "!\n"
	  "crypto gdoi group M\n"
	  " server address ipv4 10.0.0.1\n"
	  " server address ipv4 10.0.0.3\n"
	  "!\n"
	  "crypto gdoi group ALL\n"
	  "!\n" },
	{ "no server local, no redundancy, role switch after removal",
	  "crypto gdoi group R\n"
	  "server local\n"
	  "redundancy\n"
	  "local priority 9\n"
	  "exit\n"
	  "no redundancy\n"
	  "exit\n"
	  "no server local\n"
	  "server address ipv4 10.0.0.1\n",
	  "crypto gdoi group R\n"
	  " server address ipv4 10.0.0.1\n"
	  "!\n" },
};

START_TEST(test_accept)
{
	const struct accept_case *c = &accept_cases[_i];
	struct tl *t = tl_new(), *t2 = tl_new();
	char *got, *again;
	int bad;

	bad = tl_lines(t, c->lines);
	ck_assert_msg(bad == 0, "%s: %d refused, last output: %s", c->name, bad,
		      tl_out(t));
	got = gdoi_text(t);
	ck_assert_msg(strcmp(got, c->expect) == 0, "%s:\n--- got\n%s--- want\n%s",
		      c->name, got, c->expect);
	/* what NVGEN prints loads back to the same text */
	ck_assert_int_eq(tl_lines(t2, got), 0);
	again = gdoi_text(t2);
	ck_assert_str_eq(again, got);
	free(again);
	free(got);
	tl_free(t2);
	tl_free(t);
}
END_TEST

/*
 * Refused lines: after the setup, `line` must fail with `err` in its
 * output and leave the whole running-config as it was.
 */
struct refuse_case {
	const char *setup;
	const char *line;
	const char *err;
};

#define GRP "crypto gdoi group G\n"
#define KS GRP "identity number 1\nserver local\nrekey lifetime seconds 900\n"
#define SA KS "sa ipsec 10\nreplay time window-size 9\n"
#define COOP KS "redundancy\nlocal priority 20\npeer address ipv4 10.0.0.9\n"
#define GM GRP "server address ipv4 10.0.0.1\n"
#define INVALID "% Invalid input detected at '^' marker."

static const struct refuse_case refuse_cases[] = {
	{ GRP, "identity number 4294967296", INVALID },
	{ GRP, "identity number -1", INVALID },
	{ GRP, "identity address ipv4 10.0.0", INVALID },
	{ GRP, "identity", "% Incomplete command." },
	{ KS, "rekey lifetime seconds 299", INVALID },
	{ KS, "rekey lifetime seconds 2592001", INVALID },
	{ KS, "rekey lifetime days 0", INVALID },
	{ KS, "rekey lifetime days 31", INVALID },
	{ KS, "rekey lifetime", "% Incomplete command." },
	{ KS, "rekey retransmit 9 number 2", INVALID },
	{ KS, "rekey retransmit 61 periodic", INVALID },
	{ KS, "rekey retransmit 10 number 11", INVALID },
	{ KS, "rekey retransmit 10", "% Incomplete command." },
	{ KS, "rekey algorithm aes 512", INVALID },
	{ KS, "rekey algorithm aes", "% Incomplete command." },
	{ KS, "rekey sig-hash algorithm md5", INVALID },
	{ KS, "rekey acknowledgement never", INVALID },
	{ KS, "rekey address ipv4 99", "% Invalid access list number 99" },
	{ KS, "authorization address ipv4 100", "% Invalid access list number 100" },
	{ KS, "sa ipsec 0", INVALID },
	{ KS, "sa ipsec 65536", INVALID },
	{ KS, "no sa ipsec", "% Incomplete command." },
	{ KS, "identifier", "not supported" },
	{ KS, "address ipv4 300.1.1.1", INVALID },
	{ SA, "replay counter window-size 100", INVALID },
	{ SA, "replay time window-size 0", INVALID },
	{ SA, "replay time window-size 101", INVALID },
	{ SA, "match address ipv4 99", "% Invalid access list number 99" },
	{ SA, "match address ipv4", "% Incomplete command." },
	{ COOP, "local priority 0", INVALID },
	{ COOP, "local priority 256", INVALID },
	{ COOP, "protocol pdu 65001", INVALID },
	{ COOP, "protocol version fast", INVALID },
	{ COOP, "peer address ipv4 10.0.0.256", INVALID },
	{ GM, "server local", "cannot be both a key server and a group member" },
	{ KS, "server address ipv4 10.0.0.1",
	  "cannot be both a key server and a group member" },
	{ GRP, "server address ipv6 2001:db8::1", "IPv6 key server addresses" },
	{ GRP, "server address ipv4 1.2.3", INVALID },
	{ GM "exit\n", "crypto gdoi group ipv6 G", "is an IPv4 group" },
	{ "", "crypto gdoi group", "% Incomplete command." },
	{ "", "crypto gdoi group "
	  "A123456789B123456789C123456789D123456789E123456789F123456789GHIJ",
	  "Name too long" },
	{ GM, "client rekey encryption aes", "% Incomplete command." },
	{ GM, "client rekey hash md5", INVALID },
	{ GRP "server address ipv4 10.0.1.1\nserver address ipv4 10.0.1.2\n"
	  "server address ipv4 10.0.1.3\nserver address ipv4 10.0.1.4\n"
	  "server address ipv4 10.0.1.5\nserver address ipv4 10.0.1.6\n"
	  "server address ipv4 10.0.1.7\nserver address ipv4 10.0.1.8\n"
	  "server address ipv4 10.0.1.9\nserver address ipv4 10.0.1.10\n"
	  "server address ipv4 10.0.1.11\nserver address ipv4 10.0.1.12\n"
	  "server address ipv4 10.0.1.13\nserver address ipv4 10.0.1.14\n"
	  "server address ipv4 10.0.1.15\nserver address ipv4 10.0.1.16\n",
	  "server address ipv4 10.0.1.17", "at most 16 key server addresses" },
};

START_TEST(test_refuse)
{
	const struct refuse_case *c = &refuse_cases[_i];
	struct tl *t = tl_new();
	char *before, *after;

	ck_assert_msg(tl_lines(t, c->setup) == 0, "setup of '%s': %s", c->line,
		      tl_out(t));
	before = tl_show_run(t);
	ck_assert_msg(tl_line(t, c->line) == -1, "'%s' was accepted", c->line);
	ck_assert_msg(strstr(tl_out(t), c->err) != NULL,
		      "'%s': want '%s' in:\n%s", c->line, c->err, tl_out(t));
	after = tl_show_run(t);
	ck_assert_msg(strcmp(before, after) == 0,
		      "'%s' changed the running-config:\n%s", c->line, after);
	free(before);
	free(after);
	tl_free(t);
}
END_TEST

/* Sub-mode prompts (IOS-XE names, doc/ios-cli.md §1) and parent fallback. */
START_TEST(test_prompts)
{
	static const struct {
		const char *line, *prompt;
	} steps[] = {
		{ "crypto gkm group P", "Router(config-gkm-group)#" },
		{ "server local", "Router(gkm-local-server)#" },
		{ "sa ipsec 1", "Router(gkm-sa-ipsec)#" },
		{ "redundancy", "Router(gdoi-coop-ks-config)#" },
		{ "sa ipsec 2", "Router(gkm-sa-ipsec)#" },
		{ "identity number 3", "Router(config-gkm-group)#" },
		{ "exit", "Router(config)#" },
		{ "crypto gdoi group P", "Router(config-gkm-group)#" },
	};
	struct tl *t = tl_new();
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ck_assert_msg(tl_line(t, steps[i].line) == 0, "%s: %s",
			      steps[i].line, tl_out(t));
		ck_assert_str_eq(tl_prompt(t), steps[i].prompt);
	}
	tl_free(t);
}
END_TEST

/* `?` shows the YANG help strings; the hyphenated AES forms are hidden. */
START_TEST(test_help)
{
	struct tl *t = tl_new();
	const char *h;

	ck_assert_int_eq(tl_lines(t, "crypto gdoi group H\nserver local\n"), 0);
	h = tl_help(t, "rekey lifetime ");
	ck_assert_ptr_nonnull(strstr(h, "days"));
	ck_assert_ptr_nonnull(strstr(h, "Time-based key duration in seconds"));
	h = tl_help(t, "rekey algorithm ");
	ck_assert_ptr_nonnull(strstr(h, "3des-cbc"));
	ck_assert_ptr_nonnull(strstr(h, "aes encryption methods"));
	ck_assert_ptr_null(strstr(h, "aes-128"));
	h = tl_help(t, "rekey ");
	ck_assert_ptr_nonnull(strstr(h, "Define the rekey retransmission parameters"));
	ck_assert_ptr_nonnull(strstr(h, "Specify the rekey distribution method"));
	tl_free(t);
}
END_TEST

/* Typed values reach the typed fields the engines read. */
START_TEST(test_fields)
{
	struct tl *t = tl_new();
	const struct conf_gdoi_group *g, *m;
	const struct conf_gdoi_server *s;
	const struct conf_gdoi_sa *sa;

	ck_assert_int_eq(tl_lines(t,
		"crypto gdoi group K\nidentity number 1000\nserver local\n"
		"sa ipsec 10\nexit\naddress ipv4 10.0.0.1\nredundancy\n"
		"crypto gdoi group M\nserver address ipv4 192.0.2.1\n"), 0);
	g = conf_gdoi_group_find(tl_conf(t)->gdoi, "K");
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_null(conf_gdoi_group_find(tl_conf(t)->gdoi, "k"));
	ck_assert(conf_gdoi_group_is_ks(g) && !conf_gdoi_group_is_gm(g));
	ck_assert_uint_eq(g->identity_number, 1000);
	s = g->server;
	/* untouched settings hold the IOS defaults, with no has-bits */
	ck_assert_int_eq(s->rekey_alg, CONF_GDOI_CIPHER_3DES);
	ck_assert_uint_eq(s->rekey_lifetime, 86400);
	ck_assert_uint_eq(s->retransmit_period, 10);
	ck_assert_uint_eq(s->retransmit_number, 2);
	ck_assert_int_eq(s->ack, CONF_GDOI_ACK_CISCO);
	ck_assert_int_eq(s->sig_hash, CONF_GDOI_HASH_SHA);
	ck_assert_uint_eq(s->has, CONF_GDOI_KS_HAS_ADDRESS);
	ck_assert_uint_eq(s->address, htonl(0x0a000001));
	ck_assert_uint_eq(s->coop->priority, 1);
	sa = conf_gdoi_sa_find(s, 10);
	ck_assert_ptr_nonnull(sa);
	ck_assert_int_eq(sa->replay, CONF_GDOI_REPLAY_COUNTER);
	ck_assert_uint_eq(sa->replay_window, 64);
	ck_assert_ptr_null(conf_gdoi_sa_find(s, 11));
	/* creation order */
	ck_assert_ptr_eq(conf_gdoi_group_first(tl_conf(t)->gdoi), g);
	m = conf_gdoi_group_next(g);
	ck_assert_str_eq(m->name, "M");
	ck_assert_ptr_null(conf_gdoi_group_next(m));
	ck_assert(conf_gdoi_group_is_gm(m));
	ck_assert_uint_eq(m->servers[0], htonl(0xc0000201));
	tl_free(t);
}
END_TEST

/*
 * Deleting a group kills its whole sub-tree at once: nodes another
 * session still holds are dead (not freed) until released, and the
 * session inside the deleted sub-mode is moved out on its next line.
 */
START_TEST(test_kill)
{
	struct tl *t = tl_new();
	struct conf_gdoi *gdoi = tl_conf(t)->gdoi;
	struct conf_gdoi_group *g;
	struct conf_gdoi_server *s;
	struct conf_gdoi_sa *sa;

	ck_assert_int_eq(tl_lines(t, "crypto gdoi group G\nserver local\n"
				  "sa ipsec 10\nredundancy\nexit\nsa ipsec 10\n"), 0);
	g = conf_gdoi_group_lookup(gdoi, "G");
	s = g->server;
	sa = conf_gdoi_sa_lookup(s, 10);
	conf_obj_hold(&g->obj);		/* a second session inside the group */
	conf_obj_hold(&s->obj);
	conf_obj_hold(&sa->obj);
	/* typed in (gkm-sa-ipsec)#: falls back to global and, a key server
	 * group, asks first; "no" keeps it, "yes" deletes */
	ck_assert_int_eq(tl_line(t, "no crypto gdoi group G"), 0);
	ck_assert_str_eq(tl_prompt(t), "Do you want to continue? [yes/no]: ");
	ck_assert_ptr_nonnull(strstr(tl_out(t), "% Group G is a key server "
				     "group"));
	ck_assert_int_eq(tl_line(t, "no"), 0);
	ck_assert_str_eq(tl_prompt(t), "Router(config)#");
	ck_assert(!g->obj.dead);
	ck_assert_ptr_nonnull(conf_gdoi_group_find(gdoi, "G"));
	ck_assert_int_eq(tl_line(t, "no crypto gdoi group G"), 0);
	ck_assert_int_eq(tl_line(t, "yes"), 0);
	ck_assert_str_eq(tl_prompt(t), "Router(config)#");
	ck_assert(g->obj.dead && s->obj.dead && sa->obj.dead);
	ck_assert_ptr_null(conf_gdoi_group_find(gdoi, "G"));
	ck_assert_ptr_null(conf_gdoi_group_first(gdoi));
	conf_obj_release(&sa->obj);
	conf_obj_release(&s->obj);
	conf_obj_release(&g->obj);

	/* removed under the session's feet (as by another session) */
	ck_assert_int_eq(tl_lines(t, "crypto gdoi group H\nserver local\n"
				  "sa ipsec 1\n"), 0);
	conf_gdoi_group_del(gdoi, conf_gdoi_group_lookup(gdoi, "H"));
	ck_assert_int_eq(tl_line(t, "profile P"), -1);
	ck_assert_str_eq(tl_prompt(t), "Router(config)#");
	ck_assert_ptr_null(conf_gdoi_group_first(gdoi));
	/* the name is free again */
	ck_assert_int_eq(tl_lines(t, "crypto gdoi group H\npassive\n"), 0);
	tl_free(t);
}
END_TEST

/*
 * A large config: 20,000 groups of five lines each (100,000 lines), then
 * every seventh group re-entered; all of them are there once (the cost
 * per line is a bench figure: make bench).
 */
START_TEST(test_scale)
{
	enum { N = 20000 };
	struct tl *t = tl_new();
	size_t cap = (size_t)N * 160, len = 0;
	char *text = malloc(cap);
	int i;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < N; i++)
		len += (size_t)snprintf(text + len, cap - len,
			"crypto gdoi group G%d\nidentity number %d\n"
			"server local\nsa ipsec %d\nprofile P\n",
			i, i, i % 65535 + 1);
	ck_assert_int_eq(tl_lines(t, text), 0);
	for (i = N - 1; i >= 0; i -= 7) {
		snprintf(text, cap, "crypto gdoi group G%d", i);
		ck_assert_int_eq(tl_line(t, text), 0);
	}
	ck_assert_uint_eq(tl_conf(t)->gdoi->count, N);
	free(text);
	tl_free(t);
}
END_TEST

Suite *suite_conf_gdoi(void);

Suite *
suite_conf_gdoi(void)
{
	Suite *s = suite_create("conf_gdoi");
	TCase *tc = tcase_create("accept");

	tcase_add_loop_test(tc, test_accept, 0,
			    sizeof(accept_cases) / sizeof(accept_cases[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("refuse");
	tcase_add_loop_test(tc, test_refuse, 0,
			    sizeof(refuse_cases) / sizeof(refuse_cases[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("modes");
	tcase_add_test(tc, test_prompts);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_kill);
	suite_add_tcase(s, tc);
	tc = tcase_create("scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scale);
	suite_add_tcase(s, tc);
	return s;
}
