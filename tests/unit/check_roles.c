/*
 * Key server and group members in one process over loopback UDP, with the
 * real CLI, the null data plane and a virtual clock: registration,
 * failover to the next key server, unknown group, authorization, clear,
 * re-registration before the TEK expires, policy kept while the KS is
 * gone.  Each router binds its own 127.0.0.x address on a test port.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "ipsec/ipsec.h"
#include "ipsec/null.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "roles/router.h"

#define NODES 4

struct node {
	struct cli_env env;
	struct cli_session *s;
	char keydir[64];
	bool up;
};

static struct evloop *loop;
static struct node nodes[NODES];
static uint16_t port;
static struct term *out;

static const char ks_cfg[] =
	"hostname KS1\n"
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-gcm 256\n"
	"crypto ipsec profile PROF\n set security-association lifetime seconds 300\n"
	" set transform-set TS\n"
	"ip access-list extended POLICY\n deny udp any eq 848 any eq 848\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"access-list 10 permit 127.0.0.2\naccess-list 10 permit 127.0.0.3\n"
	"crypto key generate rsa general-keys label REKEY modulus 1024\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey algorithm aes 256\n  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n   replay time window-size 5\n"
	"  address ipv4 127.0.0.1\n";

static void
node_lines(struct node *n, const char *text)
{
	char *copy = strdup(text), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		term_mem_reset(out);
		ck_assert_msg(cli_session_line(n->s, l, out) == 0, "%s: %s", l,
			      term_mem_data(out, NULL));
	}
	free(copy);
}

static void
node_up(int i)
{
	struct node *n = &nodes[i];
	char err[256];

	snprintf(n->keydir, sizeof(n->keydir), "/tmp/getvpn-roles-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(n->keydir));
	ck_assert_int_eq(cli_env_init(&n->env, loop, NULL, n->keydir, err,
				      sizeof(err)), 0);
	ck_assert_msg(cli_env_start_router(&n->env, port, "null", err,
					   sizeof(err)) == 0, "%s", err);
	n->s = cli_session_new(&n->env, "test", CLI_SESS_CONFIG);
	n->up = true;
}

static void
node_down(int i)
{
	struct node *n = &nodes[i];
	char cmd[96];

	if (!n->up)
		return;
	cli_session_free(n->s);
	cli_env_fini(&n->env);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", n->keydir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", n->keydir);
	n->up = false;
}

/* A GM at 127.0.0.<last> registering to the servers listed. */
static void
gm_config(int i, int last, unsigned id, const char *servers)
{
	char cfg[1024];

	snprintf(cfg, sizeof(cfg),
		 "crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
		 " authentication pre-share\n group 19\n"
		 "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
		 "crypto gdoi group G\n identity number %u\n%s"
		 "crypto map M 10 gdoi\n set group G\n"
		 "interface lo%d\n ip address 127.0.0.%d 255.0.0.0\n"
		 " crypto map M\n", id, servers, last, last);
	node_lines(&nodes[i], cfg);
}

/* Run the loop (real poll for datagrams, virtual time in steps) until
 * cond holds or limit_ms of virtual time passed. */
static bool
run_until(bool (*cond)(void), uint64_t limit_ms)
{
	uint64_t start = ev_now(loop);

	while (ev_now(loop) - start < limit_ms) {
		for (int k = 0; k < 20; k++)
			if (ev_run_once(loop, 2) <= 0)
				break;
		if (cond())
			return true;
		ev_advance(loop, 100);
	}
	return cond();
}

static bool
gm1_registered(void)
{
	const char *s = router_gm_state(nodes[1].env.router, "G");

	return s != NULL && strcmp(s, "Registered") == 0;
}

static bool
gm2_registered(void)
{
	const char *s = router_gm_state(nodes[2].env.router, "G");

	return s != NULL && strcmp(s, "Registered") == 0;
}

static void
setup(void)
{
	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	out = term_new_mem();
	port = (uint16_t)(20000 + getpid() % 20000);
	memset(nodes, 0, sizeof(nodes));
	node_up(0);
	node_lines(&nodes[0], ks_cfg);
	node_up(1);
	node_up(2);
}

static void
teardown(void)
{
	for (int i = NODES - 1; i >= 0; i--)
		node_down(i);
	term_free(out);
	ev_free(loop);
}

static const char *
show(int i, const char *cmd)
{
	term_mem_reset(out);
	cli_session_line(nodes[i].s, cmd, out);
	return term_mem_data(out, NULL);
}

START_TEST(test_register_two_members)
{
	struct ipsec_ctx *x;

	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	gm_config(2, 3, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(run_until(gm1_registered, 20000));
	ck_assert(run_until(gm2_registered, 20000));
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 2);
	x = router_ipsec(nodes[1].env.router);
	/* one GCM SA in and out; one policy per ACL entry (deny + permit) */
	ck_assert_uint_eq(ipsec_null_sa_count(x), 2);
	ck_assert_uint_eq(ipsec_null_policy_count(x), 2);
	ck_assert_int_eq(ipsec_null_policy(x, 0)->action, IPSEC_ACT_BYPASS);
	ck_assert_int_eq(ipsec_null_policy(x, 1)->action, IPSEC_ACT_PROTECT);
	ck_assert_int_eq(ipsec_null_sa(x, 0)->enc, IPSEC_ENC_AES_GCM_16);
	ck_assert_uint_eq(ipsec_null_sa(x, 0)->enc_key_len, 36);
	/* both members hold the same group key, but different sender IDs */
	ck_assert_mem_eq(ipsec_null_sa(x, 0)->enc_key,
			 ipsec_null_sa(router_ipsec(nodes[2].env.router), 0)->enc_key,
			 36);
	ck_assert_uint_ne(ipsec_null_sa(x, 0)->sid,
			  ipsec_null_sa(router_ipsec(nodes[2].env.router), 0)->sid);
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks members"),
				     "Group Member ID    : 127.0.0.2"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi"),
				     "Group Members            : 2\n"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi"),
				     "Registration status   : Registered\n"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi"),
				     "transform: esp-gcm 256\n"));
}
END_TEST

START_TEST(test_failover_to_second_ks)
{
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.9\n"
		  " server address ipv4 127.0.0.1\n");
	ck_assert(run_until(gm1_registered, 120000));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm"),
				     "Registered with       : 127.0.0.1\n"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm"),
				     "Attempted registration: 2\n"));
}
END_TEST

START_TEST(test_unknown_group_and_unauthorized)
{
	node_lines(&nodes[0], "crypto gdoi group G\n server local\n"
		   "  authorization address ipv4 10\n");
	gm_config(1, 2, 4242, " server address ipv4 127.0.0.1\n");
	gm_config(2, 4, 1000, " server address ipv4 127.0.0.1\n");
	run_until(gm1_registered, 10000);
	ck_assert(!gm1_registered());
	ck_assert(!gm2_registered());
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 0);
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm"),
				     "Last failure"));
}
END_TEST

START_TEST(test_clear_and_reregister)
{
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(run_until(gm1_registered, 20000));
	node_lines(&nodes[1], "end\nclear crypto gdoi\nyes");
	ck_assert(run_until(gm1_registered, 20000));
	ck_assert_ptr_nonnull(strstr(show(1, "show crypto gdoi gm"),
				     "Succeeded registration: 2\n"));
	/* the TEK lives 300 s: the GM registers again before it ends */
	run_until(gm1_registered, 1000);
	ev_advance(loop, 275000);
	ck_assert(run_until(gm1_registered, 20000));
	ck_assert_ptr_nonnull(strstr(show(1, "show crypto gdoi gm"),
				     "Succeeded registration: 3\n"));
}
END_TEST

START_TEST(test_policy_kept_while_ks_gone)
{
	struct ipsec_ctx *x;

	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(run_until(gm1_registered, 20000));
	node_down(0);
	ev_advance(loop, 271000);	/* re-registration starts and fails */
	run_until(gm1_registered, 20000);
	x = router_ipsec(nodes[1].env.router);
	ck_assert_uint_eq(ipsec_null_sa_count(x), 2);
	ev_advance(loop, 60000);	/* the TEK's lifetime is over */
	run_until(gm1_registered, 1000);
	ck_assert_uint_eq(ipsec_null_sa_count(x), 0);
}
END_TEST

Suite *
suite_roles(void)
{
	Suite *s = suite_create("roles");
	TCase *tc = tcase_create("loopback");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_register_two_members);
	tcase_add_test(tc, test_failover_to_second_ks);
	tcase_add_test(tc, test_unknown_group_and_unauthorized);
	tcase_add_test(tc, test_clear_and_reregister);
	tcase_add_test(tc, test_policy_kept_while_ks_gone);
	suite_add_tcase(s, tc);
	return s;
}
