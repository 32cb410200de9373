/*
 * Key server and group members in one process over loopback UDP, with the
 * real CLI, the null data plane and a virtual clock: registration,
 * failover to the next key server, unknown group, authorization, clear,
 * re-registration before the TEK expires, policy kept while the KS is
 * gone.  Each router binds its own 127.0.0.x address on a test port.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "ipsec/ipsec.h"
#include "ipsec/null.h"
#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "gdoi/dh.h"
#include "gdoi/payload.h"
#include "gdoi/isakmp.h"
#include "gdoi/phase1.h"
#include "platform/log.h"
#include "platform/udp.h"
#include "roles/gm.h"
#include "roles/ike.h"
#include "roles/router.h"
#include "net_fixtures.h"

#define NODES 4

static struct evloop *loop;
static struct net_node nodes[NODES];
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
	net_node_lines(&nodes[i], cfg);
}

/* Run the loop (real poll for datagrams, virtual time in steps) until
 * cond holds or limit_ms of virtual time passed. */
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
	/* Wireshark decodes UDP as ISAKMP on 848 (and 500) only, so the
	 * capture check needs the real port; without root, a high one. */
	port = geteuid() == 0 ? 848 : (uint16_t)(20000 + getpid() % 20000);
	memset(nodes, 0, sizeof(nodes));
	net_node_up(&nodes[0], loop, port, "getvpn-roles");
	net_node_lines(&nodes[0], ks_cfg);
	net_node_up(&nodes[1], loop, port, "getvpn-roles");
	net_node_up(&nodes[2], loop, port, "getvpn-roles");
}

static void
teardown(void)
{
	for (int i = NODES - 1; i >= 0; i--)
		net_node_down(&nodes[i]);
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
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ck_assert(net_run_until(loop, gm2_registered, 20000));
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
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto ipsec sa"),
				     "   remote ident (addr/mask/prot/port): "
				     "(192.168.0.0/255.255.0.0/0/0)\n"
				     "   Group: G\n"
				     "   current_peer 0.0.0.0 port 848\n"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm dataplane "
					  "counters"), "keeps no counters"));
}
END_TEST

START_TEST(test_failover_to_second_ks)
{
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.9\n"
		  " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 120000));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm"),
				     "Registered with       : 127.0.0.1\n"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm"),
				     "Attempted registration: 2\n"));
}
END_TEST

START_TEST(test_unknown_group_and_unauthorized)
{
	net_node_lines(&nodes[0], "crypto gdoi group G\n server local\n"
		   "  authorization address ipv4 10\n");
	gm_config(1, 2, 4242, " server address ipv4 127.0.0.1\n");
	gm_config(2, 4, 1000, " server address ipv4 127.0.0.1\n");
	net_run_until(loop, gm1_registered, 10000);
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
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_lines(&nodes[1], "end\nclear crypto gdoi\nyes");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ck_assert_ptr_nonnull(strstr(show(1, "show crypto gdoi gm"),
				     "Succeeded registration: 2\n"));
	/* the TEK lives 300 s: the GM registers again before it ends */
	net_run_until(loop, gm1_registered, 1000);
	ev_advance(loop, 275000);
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ck_assert_ptr_nonnull(strstr(show(1, "show crypto gdoi gm"),
				     "Succeeded registration: 3\n"));
}
END_TEST

START_TEST(test_policy_kept_while_ks_gone)
{
	struct ipsec_ctx *x;

	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_down(&nodes[0]);
	ev_advance(loop, 271000);	/* re-registration starts and fails */
	net_run_until(loop, gm1_registered, 20000);
	x = router_ipsec(nodes[1].env.router);
	ck_assert_uint_eq(ipsec_null_sa_count(x), 2);
	ev_advance(loop, 60000);	/* the TEK's lifetime is over */
	net_run_until(loop, gm1_registered, 1000);
	ck_assert_uint_eq(ipsec_null_sa_count(x), 0);
}
END_TEST

/* The member's own deny list goes in front of the key server's policy. */
START_TEST(test_local_deny_merged)
{
	struct ipsec_ctx *x = router_ipsec(nodes[1].env.router);

	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_lines(&nodes[1], "ip access-list extended LOCAL\n"
		   " deny ip 192.168.1.0 0.0.0.255 192.168.9.0 0.0.0.255\n"
		   " deny tcp any range 1 9 any\n"
		   " deny tcp any neq 7 any\n"
		   "crypto map M 10 gdoi\n match address LOCAL");
	/* a range is carried exactly; neq has no single range: skipped
	 * (widening a deny would send more in the clear) */
	ck_assert_uint_eq(ipsec_null_policy_count(x), 4);
	ck_assert_int_eq(ipsec_null_policy(x, 0)->action, IPSEC_ACT_BYPASS);
	ck_assert_uint_eq(ipsec_null_policy(x, 0)->dst, htonl(0xc0a80900));
	ck_assert_uint_eq(ipsec_null_policy(x, 0)->priority, 0);
	ck_assert_int_eq(ipsec_null_policy(x, 1)->action, IPSEC_ACT_BYPASS);
	ck_assert_uint_eq(ipsec_null_policy(x, 1)->sport_lo, 1);
	ck_assert_uint_eq(ipsec_null_policy(x, 1)->sport_hi, 9);
	ck_assert_uint_eq(ipsec_null_policy(x, 1)->dport_hi, 65535);
	ck_assert_int_eq(ipsec_null_policy(x, 3)->action, IPSEC_ACT_PROTECT);
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm acl"),
		"Group Name: G\n ACL Downloaded From KS 127.0.0.1:\n"
		"   access-list   deny udp any port = 848 any port = 848\n"
		"   access-list   permit ip 192.168.0.0 0.0.255.255 192.168.0.0 "
		"0.0.255.255\n ACL Configured Locally: \n  Map Name: M\n"
		"   access-list LOCAL  deny   ip 192.168.1.0 0.0.0.255 "
		"192.168.9.0 0.0.0.255\n"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks acl"),
		"Group Name: G\n Configured ACL:\n"
		"   access-list POLICY  deny   udp any eq 848 any eq 848\n"));
}
END_TEST

/* Fail-close: before registration only the fail-close ACL's denies pass,
 * everything else is dropped; the KS policy replaces that once it comes. */
START_TEST(test_fail_close)
{
	struct ipsec_ctx *x = router_ipsec(nodes[1].env.router);

	net_node_lines(&nodes[1], "ip access-list extended FC\n"
		   " deny udp any any eq 53\n"
		   "crypto map M gdoi fail-close\n match address FC\n activate");
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert_uint_eq(ipsec_null_policy_count(x), 2);
	ck_assert_int_eq(ipsec_null_policy(x, 0)->action, IPSEC_ACT_BYPASS);
	ck_assert_uint_eq(ipsec_null_policy(x, 0)->dport_lo, 53);
	ck_assert_int_eq(ipsec_null_policy(x, 1)->action, IPSEC_ACT_DROP);
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ck_assert_uint_eq(ipsec_null_policy_count(x), 2);
	ck_assert_int_eq(ipsec_null_policy(x, 0)->action, IPSEC_ACT_BYPASS);
	ck_assert_uint_eq(ipsec_null_policy(x, 0)->dport_lo, 848);
	ck_assert_int_eq(ipsec_null_policy(x, 1)->action, IPSEC_ACT_PROTECT);
	/* without fail-close, no policy means nothing is installed */
	net_node_lines(&nodes[1], "crypto map M gdoi fail-close\n no activate");
	net_node_down(&nodes[0]);
	ev_advance(loop, 400000);
	net_run_until(loop, gm1_registered, 1000);
	ck_assert_uint_eq(ipsec_null_policy_count(x), 0);
}
END_TEST

/* The installed SA of direction dir, or NULL. */
static const struct ipsec_sa *
null_sa_dir(struct ipsec_ctx *x, enum ipsec_dir dir)
{
	for (size_t i = 0; i < ipsec_null_sa_count(x); i++)
		if (ipsec_null_sa(x, i)->dir == dir)
			return ipsec_null_sa(x, i);
	return NULL;
}

/* The first PROTECT policy installed, or NULL. */
static const struct ipsec_policy *
null_protect(struct ipsec_ctx *x)
{
	for (size_t i = 0; i < ipsec_null_policy_count(x); i++)
		if (ipsec_null_policy(x, i)->action == IPSEC_ACT_PROTECT)
			return ipsec_null_policy(x, i);
	return NULL;
}

/* Whether gm1 went through a new registration. */
static unsigned gm1_regs_before;

static bool
gm1_registered_again(void)
{
	return gm1_registered() &&
	       ipsec_null_calls(router_ipsec(nodes[1].env.router), "sa_add") >
	       gm1_regs_before;
}

/*
 * passive (doc/protocol.md §8.5, IOS passive SA mode): the member encrypts
 * (SAs both ways) and its policies accept the group's traffic in the
 * clear too; removing passive makes the member register again, so the
 * outbound SA comes back under a fresh sender ID.
 */
START_TEST(test_passive)
{
	struct ipsec_ctx *x = router_ipsec(nodes[1].env.router);
	uint32_t sid;

	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n passive\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ck_assert_uint_eq(ipsec_null_sa_count(x), 2);
	ck_assert_ptr_nonnull(null_sa_dir(x, IPSEC_DIR_OUT));
	ck_assert(null_protect(x)->clear_in_ok);
	sid = null_sa_dir(x, IPSEC_DIR_OUT)->sid;
	gm1_regs_before = ipsec_null_calls(x, "sa_add");
	net_node_lines(&nodes[1], "crypto gdoi group G\n no passive");
	ck_assert(net_run_until(loop, gm1_registered_again, 20000));
	ck_assert_uint_eq(ipsec_null_sa_count(x), 2);
	ck_assert(!null_protect(x)->clear_in_ok);
	ck_assert_uint_ne(null_sa_dir(x, IPSEC_DIR_OUT)->sid, sid);
}
END_TEST

/* sa receive-only on the key server: members install the SA inbound
 * only and accept clear; a passive member still encrypts. */
START_TEST(test_receive_only)
{
	struct ipsec_ctx *x1 = router_ipsec(nodes[1].env.router);
	struct ipsec_ctx *x2 = router_ipsec(nodes[2].env.router);

	net_node_lines(&nodes[0], "crypto gdoi group G\n server local\n"
		       "  sa receive-only");
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	gm_config(2, 3, 1000, " server address ipv4 127.0.0.1\n passive\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ck_assert(net_run_until(loop, gm2_registered, 20000));
	ck_assert_uint_eq(ipsec_null_sa_count(x1), 1);
	ck_assert_ptr_nonnull(null_sa_dir(x1, IPSEC_DIR_IN));
	ck_assert(null_protect(x1)->clear_in_ok);
	ck_assert_uint_eq(ipsec_null_sa_count(x2), 2);
	ck_assert_ptr_nonnull(null_sa_dir(x2, IPSEC_DIR_OUT));
	ck_assert(null_protect(x2)->clear_in_ok);
}
END_TEST

/* The member's debug line that names the SAT layout it read. */
static char sat_layout_seen[160];

static void
sat_layout_sink(void *arg, int sev, const char *line)
{
	if (strstr(line, "SA TEK ID Data Len") != NULL)
		snprintf(sat_layout_seen, sizeof(sat_layout_seen), "%s", line);
}

/*
 * sa tek id-length: the key server sends the SATs with 1-octet ID Data
 * Len (RFC 6407 §5.5.1) or the default 2-octet form; the member reads
 * either and says which under debug crypto gdoi gm.
 */
START_TEST(test_sat_id_length)
{
	static const char *const want[] = {
		"1 octet (RFC 6407 layout)", "2 octets (Wireshark layout)",
	};

	sat_layout_seen[0] = '\0';
	if (_i == 0)
		net_node_lines(&nodes[0], "crypto gdoi group G\n server local\n"
			       "  sa tek id-length 1");
	ck_assert_int_eq(log_sink_add(sat_layout_sink, NULL, 7), 0);
	net_node_lines(&nodes[1], "end\ndebug crypto gdoi gm\n"
		       "configure terminal");
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_lines(&nodes[1], "end\nno debug crypto gdoi gm\n"
		       "configure terminal");
	log_sink_remove(sat_layout_sink, NULL);
	ck_assert_msg(strstr(sat_layout_seen, want[_i]) != NULL, "saw: %s",
		      sat_layout_seen);
}
END_TEST

/* DPD probes are answered; clear sends the key server a Delete. */
START_TEST(test_dpd_and_delete)
{
	const struct ike_counters *ks = ike_counters(router_ike(nodes[0].env.router));
	const struct ike_counters *gm = ike_counters(router_ike(nodes[1].env.router));

	net_node_lines(&nodes[0], "crypto isakmp keepalive 10 2 periodic");
	net_node_lines(&nodes[1], "crypto isakmp keepalive 10 2 periodic");
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	ev_advance(loop, 10500);
	net_run_until(loop, gm1_registered, 500);
	ck_assert_uint_ge(gm->dpd_sent, 1);
	ck_assert_uint_ge(ks->dpd_answered, 1);
	ck_assert_uint_ge(gm->dpd_acked, 1);
	net_node_lines(&nodes[1], "end\nclear crypto gdoi\nyes");
	net_run_until(loop, gm1_registered, 20000);
	ck_assert_uint_ge(ks->deletes_rcvd, 1);
	ck_assert(gm1_registered());
}
END_TEST

/* A wrong pre-shared key: no registration, counted on the key server. */
START_TEST(test_wrong_psk)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));

	net_node_lines(&nodes[1], "crypto isakmp key not-the-psk address 127.0.0.1");
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	net_run_until(loop, gm1_registered, 10000);
	ck_assert(!gm1_registered());
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 0);
	ck_assert_uint_gt(c->p1_failed + c->rx_bad, 0);
}
END_TEST

/* Group 2 and 3DES only with `crypto isakmp legacy-algorithms` on both. */
START_TEST(test_legacy_switch)
{
	static const char legacy[] = "crypto isakmp policy 5\n encr 3des\n"
		" hash sha\n authentication pre-share\n group 2\n";

	net_node_lines(&nodes[0], legacy);
	net_node_lines(&nodes[0], "no crypto isakmp policy 10");
	net_node_lines(&nodes[1], legacy);
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	net_node_lines(&nodes[1], "no crypto isakmp policy 10");
	net_run_until(loop, gm1_registered, 10000);
	ck_assert(!gm1_registered());
	net_node_lines(&nodes[0], "crypto isakmp legacy-algorithms");
	net_node_lines(&nodes[1], "crypto isakmp legacy-algorithms\nend\n"
		   "clear crypto gdoi\nyes");
	ck_assert(net_run_until(loop, gm1_registered, 30000));
}
END_TEST

/* Editing other groups leaves the member database alone. */
START_TEST(test_members_survive_other_groups)
{
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_lines(&nodes[0], "crypto gdoi group OTHER\n identity number 7\n"
		   " server local\n  sa ipsec 1\n   profile PROF\n"
		   "   match address ipv4 POLICY\n"
		   "crypto gdoi group G\n server local\n"
		   "  rekey lifetime seconds 3600\n"
		   "no crypto gdoi group OTHER\nyes");
	ck_assert_ptr_null(conf_gdoi_group_lookup(nodes[0].env.conf->gdoi,
						  "OTHER"));
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 1);
}
END_TEST

/* A member's groups follow the config (roles/gm_list.c): a new one is
 * listed first, a removed one goes and the others stay registered, and
 * none runs once the crypto map leaves the interface. */
START_TEST(test_member_groups_follow_config)
{
	const char *o, *g, *h;

	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_lines(&nodes[1], "crypto gdoi group H\n identity number 2000\n"
		       " server address ipv4 127.0.0.1\n"
		       "crypto map M 20 gdoi\n set group H\n");
	ck_assert_ptr_nonnull(router_gm_state(nodes[1].env.router, "H"));
	o = show(1, "do show crypto gdoi");
	g = strstr(o, "Group Name               : G\n");
	h = strstr(o, "Group Name               : H\n");
	ck_assert(g != NULL && h != NULL && h < g);
	net_node_lines(&nodes[1], "no crypto gdoi group H");
	ck_assert_ptr_null(router_gm_state(nodes[1].env.router, "H"));
	ck_assert(gm1_registered());
	o = show(1, "do show crypto gdoi");
	ck_assert_ptr_null(strstr(o, "Group Name               : H\n"));
	ck_assert_ptr_nonnull(strstr(o, "Group Name               : G\n"));
	net_node_lines(&nodes[1], "interface lo2\n no crypto map");
	ck_assert_ptr_null(router_gm_state(nodes[1].env.router, "G"));
	ck_assert_ptr_null(strstr(show(1, "do show crypto gdoi"),
				  "Group Name"));
}
END_TEST

/* The KS's capture of a registration is clean for Wireshark's dissector. */
START_TEST(test_capture_is_clean)
{
	char path[96], cmd[256];

	snprintf(path, sizeof(path), "%s/reg.pcap", nodes[0].keydir);
	snprintf(cmd, sizeof(cmd), "do monitor capture gdoi file %s start", path);
	net_node_lines(&nodes[0], cmd);
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	net_node_lines(&nodes[0], "do monitor capture gdoi stop");
	ck_assert(access("tools/check-capture", X_OK) == 0);
	if (port != 848 || system("command -v tshark >/dev/null 2>&1") != 0) {
		fprintf(stderr, "capture check skipped: not root (port 848) or "
			"no tshark (make deps)\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "tools/check-capture %s >&2", path);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static bool
gm1_refused_five_times(void)
{
	const char *s = show(1, "do show crypto gdoi gm");

	return strstr(s, "Attempted registration: 5\n") != NULL;
}

/*
 * A member the key server refused again and again (not authorized)
 * registers at its next attempt once the key server's configuration is
 * fixed: every failed registration ends its Phase 1 SA, so the key
 * server's limit of pulls per SA never strands it, and its retries back
 * off (with jitter) to at most GM_BACKOFF_MAX_MS.
 */
START_TEST(test_refused_member_registers_when_fixed)
{
	net_node_lines(&nodes[0], "access-list 11 permit 127.0.0.3\n"
		   "crypto gdoi group G\n server local\n"
		   "  authorization address ipv4 11\n");
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_refused_five_times, 300000));
	ck_assert(!gm1_registered());
	net_node_lines(&nodes[0], "crypto gdoi group G\n server local\n"
		   "  authorization address ipv4 10\n");
	ck_assert(net_run_until(loop, gm1_registered,
				GM_BACKOFF_MAX_MS + 10000));
}
END_TEST

static bool
ks_phase1_up(void)
{
	return ike_counters(router_ike(nodes[0].env.router))->p1_up > 0;
}

/*
 * The key server restarts between a member's Phase 1 and its
 * GROUPKEY-PULL (fresh Phase 1 state, the pull lost): the member's pull
 * on the SA the key server forgot fails, and the member starts a fresh
 * Phase 1 after its backoff instead of pulling on that SA until its
 * lifetime ends.
 */
START_TEST(test_ks_restart_does_not_strand_member)
{
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	/* one datagram at a time, to stop just after message 5 */
	for (int i = 0; i < 2000 && !ks_phase1_up(); i++)
		ev_run_once(loop, 2);
	ck_assert(ks_phase1_up());
	ck_assert(!gm1_registered());
	/* gone as after kill -9: its sockets closed first, so no Delete */
	ike_listen_begin(router_ike(nodes[0].env.router));
	ike_listen_end(router_ike(nodes[0].env.router));
	net_node_down(&nodes[0]);
	net_node_up(&nodes[0], loop, port, "getvpn-roles");
	net_node_lines(&nodes[0], ks_cfg);
	ck_assert(net_run_until(loop, gm1_registered, 60000));
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 1);
}
END_TEST

static const uint8_t *
flood_psk(void *arg, uint32_t peer, size_t *len)
{
	*len = 7;
	return (const uint8_t *)"lab-psk";
}

/* A first message from a fresh initiator, as a flood would send it. */
static size_t
flood_msg1(struct buf_writer *w, uint32_t src, uint32_t dst)
{
	static const struct p1_proposal prop = {
		IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED,
		DH_GROUP_ECP256, 86400,
	};
	struct p1_config cfg = { .prop = &prop, .nprop = 1 };
	struct p1_sa *sa;

	cfg.psk = flood_psk;
	buf_writer_reset(w);
	sa = p1_initiator_start(&cfg, src, dst, 1, w);
	ck_assert_ptr_nonnull(sa);
	p1_sa_free(sa);
	return buf_len(w);
}

START_TEST(test_half_open_flood)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	struct udp_sock *us;
	struct buf_writer w;
	unsigned long pairs;
	char err[128];

	us = udp_open(htonl(0x7f000032), 0, err, sizeof(err));
	ck_assert_msg(us != NULL, "%s", err);
	buf_writer_init(&w);
	for (int i = 0; i < 10000; i++) {
		flood_msg1(&w, htonl(0x7f000032), ks.addr);
		ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks), 0);
		if (i % 64 == 0)
			while (ev_run_once(loop, 0) > 0)
				;
	}
	while (ev_run_once(loop, 5) > 0)
		;
	/* past IKE_COOKIE_PRESSURE half-open SAs, message 1 takes no
	 * state: nothing to evict */
	ck_assert_uint_eq(c->half_open, IKE_COOKIE_PRESSURE);
	ck_assert_uint_eq(c->rx_busy, 0);
	ck_assert_uint_gt(c->cookies_sent, 0);
	/* a real member still registers: its message 3 brings the cookie
	 * back, it is told INVALID-COOKIE and starts again with state,
	 * sending the key pair of its refused message 3 again: two pairs
	 * made in all, the member's and the key server's */
	dh_shared_flush();
	pairs = dh_pairs_made();
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 30000));
	ck_assert_uint_eq(c->cookies_ok, 1);
	ck_assert_uint_eq(dh_pairs_made() - pairs, 2);
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi gm"),
				     "Attempted registration: 1\n"));
	/* the half-open negotiations expire */
	ev_advance(loop, 40000);
	net_run_until(loop, gm1_registered, 100);
	ck_assert_uint_eq(c->half_open, 0);
	buf_writer_free(&w);
	udp_close(us);
}
END_TEST

/* Append a Vendor ID payload of n octets to the message 1 in w. */
static void
grow_vid(struct buf_writer *w, uint8_t *big, size_t n, size_t *len)
{
	size_t off = 28, l = buf_len(w);
	uint8_t *next = big + 16;

	memcpy(big, buf_data(w), l);
	while (off + 4 <= l && *next != 0) {
		next = big + off;
		off += (size_t)big[off + 2] << 8 | big[off + 3];
	}
	*next = 13;			/* ISAKMP_PAYLOAD_VID */
	big[l] = 0;
	big[l + 1] = 0;
	big[l + 2] = (uint8_t)((n + 4) >> 8);
	big[l + 3] = (uint8_t)(n + 4);
	memset(big + l + 4, 0x5a, n);
	*len = l + 4 + n;
	big[24] = (uint8_t)(*len >> 24);
	big[25] = (uint8_t)(*len >> 16);
	big[26] = (uint8_t)(*len >> 8);
	big[27] = (uint8_t)*len;
}

/*
 * Registration under attack: with `authorization address ipv4`, a flood
 * of message 1 from outside the ACL takes no state at all (no half-open
 * SA, no answer), and a message 1 carrying a 60 KB Vendor ID from an
 * authorized address is dropped before anything is allocated; a real
 * member registers meanwhile.
 */
START_TEST(test_flood_outside_acl_takes_no_state)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	static uint8_t big[65000];
	struct udp_sock *us, *auth;
	struct buf_writer w;
	char err[128];
	size_t len;

	net_node_lines(&nodes[0], "crypto gdoi group G\n server local\n"
		   "  authorization address ipv4 10\n");
	us = udp_open(htonl(0x7f000032), 0, err, sizeof(err));
	auth = udp_open(htonl(0x7f000003), 0, err, sizeof(err));
	ck_assert_msg(us != NULL && auth != NULL, "%s", err);
	buf_writer_init(&w);
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	for (int i = 0; i < 5000; i++) {
		flood_msg1(&w, htonl(0x7f000032), ks.addr);
		ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks), 0);
		if (i % 64 == 0)
			while (ev_run_once(loop, 0) > 0)
				;
	}
	flood_msg1(&w, htonl(0x7f000003), ks.addr);
	grow_vid(&w, big, 60000, &len);
	ck_assert_int_eq(udp_send(auth, big, len, &ks), 0);
	ck_assert(net_run_until(loop, gm1_registered, 30000));
	ck_assert_uint_gt(c->rx_not_admitted, 0);
	ck_assert_uint_eq(c->rx_too_long, 1);
	ck_assert_uint_eq(c->rx_busy, 0);
	ck_assert_uint_eq(c->half_open, 0);
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 1);
	buf_writer_free(&w);
	udp_close(us);
	udp_close(auth);
}
END_TEST

/* The storm: STORM members registering at once from 127.1.0.x. */
#define STORM 300

static unsigned storm_ok, storm_failed;

static void
storm_done(void *arg, int rc, const char *why, const struct gdoi_policy *p)
{
	if (rc == 0)
		storm_ok++;
	else
		storm_failed++;
}

static bool
storm_over(void)
{
	return storm_ok + storm_failed == STORM;
}

/*
 * More members at once than IKE_COOKIE_PRESSURE: the first ones get state
 * at once, the rest a cookie round trip first (INVALID-COOKIE, Phase 1
 * again, proven); every one registers, none fails or is evicted.
 */
START_TEST(test_storm_all_register)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	static struct ike_reg *h[STORM];
	struct ike *gen;
	char err[128];

	storm_ok = storm_failed = 0;
	net_node_lines(&nodes[2], "crypto isakmp policy 10\n encr aes 256\n"
		       " hash sha256\n authentication pre-share\n group 19\n"
		       "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n");
	gen = ike_new(loop, (uint16_t)(port + 1), err, sizeof(err));
	ck_assert_msg(gen != NULL, "%s", err);
	ike_set_conf(gen, nodes[2].env.conf, NULL);
	ike_set_remote_port(gen, port);
	ck_assert_int_eq(ike_listen(gen, 0, err, sizeof(err)), 0);
	for (unsigned i = 0; i < STORM; i++)
		ck_assert_int_eq(ike_register(gen, htonl(0x7f010001 + i),
					      htonl(0x7f000001), 1000,
					      storm_done, NULL, &h[i]), 0);
	ck_assert(net_run_until(loop, storm_over, 60000));
	ck_assert_uint_eq(storm_ok, STORM);
	ck_assert_uint_eq(storm_failed, 0);
	ck_assert_uint_gt(c->cookies_sent, 0);
	ck_assert_uint_eq(c->rx_busy, 0);
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), STORM);
	ike_free(gen);
}
END_TEST

/* A message 3 with a cookie we never gave (forged, or of another key
 * server) proves nothing and is counted as for an unknown SA. */
START_TEST(test_forged_cookie_proves_nothing)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	static uint8_t msg[2048];
	struct udp_sock *us;
	struct buf_writer w;
	char err[128];
	size_t len;

	us = udp_open(htonl(0x7f000034), 0, err, sizeof(err));
	ck_assert_msg(us != NULL, "%s", err);
	buf_writer_init(&w);
	len = flood_msg1(&w, htonl(0x7f000034), ks.addr);
	ck_assert_uint_le(len, sizeof(msg));
	memcpy(msg, buf_data(&w), len);
	memset(msg + 8, 0xa5, 8);		/* a CKY-R of our own making */
	ck_assert_int_eq(udp_send(us, msg, len, &ks), 0);
	for (int i = 0; i < 50; i++)
		ev_run_once(loop, 2);
	ck_assert_uint_eq(c->cookies_ok, 0);
	ck_assert_uint_eq(c->rx_unknown_sa, 1);
	ck_assert_uint_eq(c->half_open, 0);
	buf_writer_free(&w);
	udp_close(us);
}
END_TEST

/* A peer that stops after message 3 leaves a half-open SA that expires. */
START_TEST(test_peer_stops_after_msg3)
{
	static const struct p1_proposal prop = {
		IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED,
		DH_GROUP_ECP256, 86400,
	};
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct p1_config cfg = { .prop = &prop, .nprop = 1, .psk = flood_psk };
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port }, from;
	uint8_t in[4096];
	struct buf_writer w;
	struct udp_sock *us;
	struct p1_sa *sa;
	ssize_t n = -1;
	char err[128];

	us = udp_open(htonl(0x7f000033), 0, err, sizeof(err));
	ck_assert_msg(us != NULL, "%s", err);
	buf_writer_init(&w);
	sa = p1_initiator_start(&cfg, htonl(0x7f000033), htonl(0x7f000001), 1,
				 &w);
	ck_assert_ptr_nonnull(sa);
	ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks), 0);
	for (int i = 0; i < 200 && n < 0; i++) {
		ev_run_once(loop, 5);
		n = udp_recv(us, in, sizeof(in), &from);
	}
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(p1_process(sa, in, (size_t)n, 1, &w), P1_SEND);
	ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks), 0);
	for (int i = 0; i < 50; i++)
		ev_run_once(loop, 5);
	ck_assert_uint_eq(c->half_open, 1);
	/* message 5 never comes */
	ev_advance(loop, 40000);
	ev_run_once(loop, 0);
	ck_assert_uint_eq(c->half_open, 0);
	ck_assert_uint_eq(c->sas, 0);
	p1_sa_free(sa);
	buf_writer_free(&w);
	udp_close(us);
}
END_TEST

/* One datagram for us, polling the loop meanwhile; its length or -1. */
static ssize_t
recv_one(struct udp_sock *us, uint8_t *in, size_t cap)
{
	struct udp_peer from;
	ssize_t n = -1;

	for (int i = 0; i < 200 && n < 0; i++) {
		ev_run_once(loop, 5);
		n = udp_recv(us, in, cap, &from);
	}
	return n;
}

/* A peer at addr proves itself under pressure (message 2 without state,
 * message 3 with the cookie, INVALID-COOKIE); its socket, and in spent
 * (when not NULL) the message 1 whose cookie the proof used. */
static struct udp_sock *
prove_peer(uint32_t addr, struct buf_writer *spent)
{
	static const struct p1_proposal prop = {
		IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED,
		DH_GROUP_ECP256, 86400,
	};
	struct p1_config cfg = { .prop = &prop, .nprop = 1, .psk = flood_psk };
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	struct udp_sock *us;
	struct buf_writer w;
	uint8_t in[4096];
	struct p1_sa *sa;
	char err[128];
	ssize_t n;

	us = udp_open(htonl(addr), 0, err, sizeof(err));
	ck_assert_msg(us != NULL, "%s", err);
	buf_writer_init(&w);
	sa = p1_initiator_start(&cfg, htonl(addr), htonl(0x7f000001), 1, &w);
	if (spent != NULL) {
		buf_writer_reset(spent);
		buf_put_bytes(spent, buf_data(&w), buf_len(&w));
	}
	ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks), 0);
	n = recv_one(us, in, sizeof(in));		/* message 2 */
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(p1_process(sa, in, (size_t)n, 1, &w), P1_SEND);
	ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks), 0);
	n = recv_one(us, in, sizeof(in));		/* INVALID-COOKIE */
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(p1_process(sa, in, (size_t)n, 1, &w), P1_FAILED);
	ck_assert_uint_eq(p1_sa_notify_rcvd(sa), ISAKMP_N_INVALID_COOKIE);
	p1_sa_free(sa);
	buf_writer_free(&w);
	return us;
}

/* n message 1 from us (fresh cookies) to the key server, each handled. */
static void
send_msg1s(struct udp_sock *us, uint32_t addr, int n)
{
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	struct buf_writer w;

	buf_writer_init(&w);
	for (int i = 0; i < n; i++) {
		flood_msg1(&w, htonl(addr), ks.addr);
		ck_assert_int_eq(udp_send(us, buf_data(&w), buf_len(&w), &ks),
				 0);
		while (ev_run_once(loop, 0) > 0)
			;
	}
	buf_writer_free(&w);
}

/* Pressure: IKE_COOKIE_PRESSURE half-open SAs from an unproven source. */
static struct udp_sock *
pressure(void)
{
	struct udp_sock *flood;
	char err[128];

	flood = udp_open(htonl(0x7f000032), 0, err, sizeof(err));
	ck_assert_msg(flood != NULL, "%s", err);
	send_msg1s(flood, 0x7f000032, IKE_COOKIE_PRESSURE + 10);
	return flood;
}

/*
 * Under pressure a peer proves itself (message 2 without state, its
 * message 3 brings the cookie back, INVALID-COOKIE), and then gets state
 * for at most IKE_HALF_OPEN_PER_PEER negotiations: its further message 1
 * are dropped and counted as busy, never evicting anyone.
 */
START_TEST(test_proven_peer_capped)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct udp_sock *flood = pressure(), *us;

	ck_assert_uint_eq(c->half_open, IKE_COOKIE_PRESSURE);
	us = prove_peer(0x7f000035, NULL);
	ck_assert_uint_eq(c->cookies_ok, 1);
	send_msg1s(us, 0x7f000035, IKE_HALF_OPEN_PER_PEER + 5);
	for (int i = 0; i < 20; i++)
		ev_run_once(loop, 2);
	ck_assert_uint_eq(c->half_open,
			  IKE_COOKIE_PRESSURE + IKE_HALF_OPEN_PER_PEER);
	ck_assert_uint_eq(c->rx_busy, 5);
	udp_close(flood);
	udp_close(us);
}
END_TEST

/* A late retransmission of the message 1 a peer proved itself with (the
 * peer has started again with a new cookie) takes no slot: nobody would
 * complete it. */
START_TEST(test_spent_cookie_dropped)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	struct udp_sock *flood = pressure(), *us;
	struct buf_writer old;

	buf_writer_init(&old);
	us = prove_peer(0x7f000036, &old);
	ck_assert_int_eq(udp_send(us, buf_data(&old), buf_len(&old), &ks), 0);
	for (int i = 0; i < 20; i++)
		ev_run_once(loop, 2);
	ck_assert_uint_eq(c->rx_spent, 1);
	ck_assert_uint_eq(c->half_open, IKE_COOKIE_PRESSURE);
	send_msg1s(us, 0x7f000036, 1);		/* a fresh cookie: state */
	ck_assert_uint_eq(c->half_open, IKE_COOKIE_PRESSURE + 1);
	buf_writer_free(&old);
	udp_close(us);
	udp_close(flood);
}
END_TEST

/*
 * The half-open table full of proven peers' negotiations: one more proven
 * peer's message 1 waits (its retransmission is not kept twice), gets no
 * answer while nothing frees, and is answered with state as soon as
 * slots free: here when the negotiations nobody continues are dropped
 * after IKE_HALF_OPEN_IDLE_MS of silence.
 */
#define WAIT_PEERS ((IKE_HALF_OPEN_MAX - IKE_COOKIE_PRESSURE) / \
		    IKE_HALF_OPEN_PER_PEER)

START_TEST(test_waiting_room)
{
	const struct ike_counters *c = ike_counters(router_ike(nodes[0].env.router));
	struct udp_peer ks = { .addr = htonl(0x7f000001), .port = port };
	struct udp_sock *flood = pressure(), *peers[WAIT_PEERS], *late;
	struct udp_peer from;
	struct buf_writer w;
	uint8_t in[4096];

	for (int i = 0; i < WAIT_PEERS; i++) {
		peers[i] = prove_peer(0x7f090001 + (uint32_t)i, NULL);
		send_msg1s(peers[i], 0x7f090001 + (uint32_t)i,
			   IKE_HALF_OPEN_PER_PEER);
	}
	ck_assert_uint_eq(c->half_open, IKE_HALF_OPEN_MAX);
	ev_advance(loop, IKE_HALF_OPEN_IDLE_MS / 2);
	ev_run_once(loop, 0);
	late = prove_peer(0x7f0a0001, NULL);
	buf_writer_init(&w);
	flood_msg1(&w, htonl(0x7f0a0001), ks.addr);
	for (int i = 0; i < 2; i++) {		/* sent, then retransmitted */
		ck_assert_int_eq(udp_send(late, buf_data(&w), buf_len(&w),
					  &ks), 0);
		while (ev_run_once(loop, 0) > 0)
			;
	}
	ck_assert_uint_eq(c->rx_waited, 1);
	ck_assert_uint_eq(c->rx_wait_dup, 1);
	ck_assert_uint_eq(c->rx_busy, 0);
	ck_assert_int_lt(udp_recv(late, in, sizeof(in), &from), 0);
	ev_advance(loop, IKE_HALF_OPEN_IDLE_MS / 2 + 1500);
	ck_assert_int_gt(recv_one(late, in, sizeof(in)), 0);	/* message 2 */
	ck_assert_uint_eq(c->half_open_idle, IKE_HALF_OPEN_MAX);
	ck_assert_uint_eq(c->half_open, 1);
	ck_assert_uint_eq(c->rx_wait_expired, 0);
	for (int i = 0; i < WAIT_PEERS; i++)
		udp_close(peers[i]);
	buf_writer_free(&w);
	udp_close(late);
	udp_close(flood);
}
END_TEST

static char logbuf[1 << 20];
static size_t loglen;

static void
log_capture(void *arg, int sev, const char *line)
{
	size_t n = strlen(line);

	if (loglen + n + 2 < sizeof(logbuf)) {
		memcpy(logbuf + loglen, line, n);
		loglen += n;
		logbuf[loglen++] = '\n';
		logbuf[loglen] = '\0';
	}
}

/* With every debug flag but the key dump on, no key reaches the log. */
START_TEST(test_no_keys_in_logs)
{
	const struct ipsec_sa *sa;
	char hex[2 * 36 + 1];

	loglen = 0;
	logbuf[0] = '\0';
	for (int f = 0; f < LOG_DBG_COUNT; f++)
		log_debug_set((enum log_debug)f, f != LOG_DBG_KEYS);
	log_sink_add(log_capture, NULL, 7);
	gm_config(1, 2, 1000, " server address ipv4 127.0.0.1\n");
	ck_assert(net_run_until(loop, gm1_registered, 20000));
	log_sink_remove(log_capture, NULL);
	log_debug_all_off();
	ck_assert_ptr_nonnull(strstr(logbuf, "GM_REGS_COMPL"));
	ck_assert_ptr_null(strstr(logbuf, "lab-psk"));
	sa = ipsec_null_sa(router_ipsec(nodes[1].env.router), 0);
	for (size_t i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", sa->enc_key[i]);
	ck_assert_ptr_null(strstr(logbuf, hex));
	for (size_t i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02X", sa->enc_key[i]);
	ck_assert_ptr_null(strstr(logbuf, hex));
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
	tcase_add_test(tc, test_capture_is_clean);
	tcase_add_test(tc, test_half_open_flood);
	tcase_add_test(tc, test_flood_outside_acl_takes_no_state);
	tcase_add_test(tc, test_forged_cookie_proves_nothing);
	tcase_add_test(tc, test_storm_all_register);
	tcase_add_test(tc, test_proven_peer_capped);
	tcase_add_test(tc, test_spent_cookie_dropped);
	tcase_add_test(tc, test_waiting_room);
	tcase_add_test(tc, test_no_keys_in_logs);
	tcase_add_test(tc, test_peer_stops_after_msg3);
	tcase_add_test(tc, test_wrong_psk);
	tcase_add_test(tc, test_dpd_and_delete);
	tcase_add_test(tc, test_local_deny_merged);
	tcase_add_test(tc, test_fail_close);
	tcase_add_test(tc, test_passive);
	tcase_add_test(tc, test_receive_only);
	tcase_add_loop_test(tc, test_sat_id_length, 0, 2);
	tcase_add_test(tc, test_legacy_switch);
	tcase_add_test(tc, test_members_survive_other_groups);
	tcase_add_test(tc, test_member_groups_follow_config);
	tcase_add_test(tc, test_refused_member_registers_when_fixed);
	tcase_add_test(tc, test_ks_restart_does_not_strand_member);
	suite_add_tcase(s, tc);
	return s;
}
