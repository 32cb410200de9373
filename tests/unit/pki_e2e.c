/*
 * The `pki` suite's end-to-end case: a key server and a group member in
 * one process over loopback UDP (the null data plane, a virtual clock),
 * both with `authentication rsa-sig` and certificates imported through
 * the CLI.  A member whose certificate comes from the lab CA registers,
 * with ID_DER_ASN1_DN or with its address as a subjectAltName; one from
 * another CA, or naming an address its certificate does not hold, does
 * not, and the key server counts a Phase 1 failure.
 *
 * The helpers follow tests/unit/check_roles.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"
#include "net_fixtures.h"
#include "pki_fixtures.h"
#include "roles/ike.h"
#include "roles/router.h"

TCase *pki_e2e_tcase(void);

#define NODES 2

static struct evloop *loop;
static struct net_node nodes[NODES];
static char srcdir[NODES][96];	/* PEM files to import, per node */
static uint16_t port;
static struct term *out;
static struct pkif_ca lab, rogue;

static const char policy[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication rsa-sig\n group 19\n";

static const char ks_cfg[] =
	"hostname KS1\n"
	"crypto ipsec transform-set TS esp-gcm 256\n"
	"crypto ipsec profile PROF\n set transform-set TS\n"
	"ip access-list extended POLICY\n deny udp any eq 848 any eq 848\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto key generate rsa general-keys label REKEY modulus 1024\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n"
	"  address ipv4 127.0.0.1\n";

/* A node whose key directory also holds the PEM files it imports. */
static void
pki_node_up(int i)
{
	net_node_up(&nodes[i], loop, port, "getvpn-pki");
	snprintf(srcdir[i], sizeof(srcdir[i]), "%s/src", nodes[i].keydir);
	ck_assert_int_eq(mkdir(srcdir[i], 0700), 0);
}

/* A trustpoint LAB holding ca's certificate and a new certificate for
 * cn, imported from PEM files; identity dn or address. */
static void
node_pki(int i, const struct pkif_ca *ca, const char *cn,
	 const char *san_ip, bool dn)
{
	struct net_node *n = &nodes[i];
	char cfg[1024];

	pkif_issue_files(ca, srcdir[i], "lab", cn, san_ip);
	snprintf(cfg, sizeof(cfg),
		 "crypto pki trustpoint LAB\n enrollment terminal pem\n"
		 " revocation-check none\n rsakeypair %s-KEY\n"
		 "crypto pki import LAB pem file %s/lab-ca.pem "
		 "%s/lab-cert.pem %s/lab-key.pem\n%s%s",
		 cn, srcdir[i], srcdir[i], srcdir[i], policy,
		 dn ? "crypto isakmp identity dn\n" : "");
	net_node_lines(n, cfg);
}

static void
gm_config(int i, int last)
{
	char cfg[512];

	snprintf(cfg, sizeof(cfg),
		 "crypto gdoi group G\n identity number 1000\n"
		 " server address ipv4 127.0.0.1\n"
		 "crypto map M 10 gdoi\n set group G\n"
		 "interface lo%d\n ip address 127.0.0.%d 255.0.0.0\n"
		 " crypto map M\n", last, last);
	net_node_lines(&nodes[i], cfg);
}

static bool
gm_registered(void)
{
	const char *s = router_gm_state(nodes[1].env.router, "G");

	return s != NULL && strcmp(s, "Registered") == 0;
}

static const struct ike_counters *
ks_counters(void)
{
	return ike_counters(router_ike(nodes[0].env.router));
}

static void
setup(void)
{
	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	out = term_new_mem();
	port = (uint16_t)(20000 + (getpid() + 7919) % 20000);
	memset(nodes, 0, sizeof(nodes));
	pkif_ca_new(&lab, "Lab Root CA");
	pkif_ca_new(&rogue, "Rogue CA");
	pki_node_up(0);
	node_pki(0, &lab, "KS1", "127.0.0.1", true);
	net_node_lines(&nodes[0], ks_cfg);
	pki_node_up(1);
}

static void
teardown(void)
{
	for (int i = NODES - 1; i >= 0; i--)
		net_node_down(&nodes[i]);
	pkif_ca_free(&lab);
	pkif_ca_free(&rogue);
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

START_TEST(test_rsa_sig_dn_registers)
{
	node_pki(1, &lab, "GM1", NULL, true);
	gm_config(1, 2);
	ck_assert(net_run_until(loop, gm_registered, 20000));
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 1);
	ck_assert_uint_eq(ks_counters()->p1_failed, 0);
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi"),
				     "Registration status   : Registered\n"));
}
END_TEST

/* identity address: the ID is the member's address, which its
 * certificate must carry as a subjectAltName. */
START_TEST(test_rsa_sig_address_registers)
{
	node_pki(1, &lab, "GM1", "127.0.0.2", false);
	gm_config(1, 2);
	ck_assert(net_run_until(loop, gm_registered, 20000));
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 1);
}
END_TEST

static char logbuf[1 << 16];
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

static const struct refused_case {
	const char *name;
	bool rogue;		/* certificate from another CA */
	const char *san_ip;
	bool dn;
	const char *why;	/* in the key server's debug line */
} refused_cases[] = {
	{ "certificate of another CA", true, NULL, true,
	  "(cn=GM1,o=Lab) refused: unable to get local issuer certificate" },
	{ "address not in the certificate", false, "127.0.0.9", false,
	  "(cn=GM1,o=Lab) refused: its ID payload does not name its "
	  "certificate" },
};

START_TEST(test_rsa_sig_refused)
{
	const struct refused_case *rc = &refused_cases[_i];

	loglen = 0;
	logbuf[0] = '\0';
	log_debug_set(LOG_DBG_ISAKMP, true);
	log_sink_add(log_capture, NULL, 7);
	node_pki(1, rc->rogue ? &rogue : &lab, "GM1", rc->san_ip, rc->dn);
	gm_config(1, 2);
	net_run_until(loop, gm_registered, 10000);
	log_sink_remove(log_capture, NULL);
	log_debug_all_off();
	ck_assert_msg(!gm_registered(), "%s", rc->name);
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 0);
	ck_assert_uint_gt(ks_counters()->p1_failed, 0);
	ck_assert_msg(strstr(logbuf, "peer 127.0.0.2 ") != NULL &&
		      strstr(logbuf, rc->why) != NULL, "%s: %s", rc->name,
		      logbuf);
}
END_TEST

/* Without `revocation-check none` the key server verifies no peer. */
START_TEST(test_rsa_sig_needs_revocation_none)
{
	net_node_lines(&nodes[0], "crypto pki trustpoint LAB\n"
		   " no revocation-check\n");
	node_pki(1, &lab, "GM1", NULL, true);
	gm_config(1, 2);
	net_run_until(loop, gm_registered, 10000);
	ck_assert(!gm_registered());
	ck_assert_uint_eq(router_ks_members(nodes[0].env.router, "G"), 0);
}
END_TEST

TCase *
pki_e2e_tcase(void)
{
	TCase *tc = tcase_create("e2e");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rsa_sig_dn_registers);
	tcase_add_test(tc, test_rsa_sig_address_registers);
	tcase_add_loop_test(tc, test_rsa_sig_refused, 0,
			    sizeof(refused_cases) / sizeof(*refused_cases));
	tcase_add_test(tc, test_rsa_sig_needs_revocation_none);
	return tc;
}
