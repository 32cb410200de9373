/*
 * showgold: every GDOI/IPsec show layout of a key server and of a member
 * registered to it, pinned by golden files (tests/show/NAME.out).  Two
 * routers in one process on loopback (null data plane, virtual clock);
 * the member's configuration is written as IOS prints it, with a
 * GigabitEthernet name bound to lo.  Values that differ from run to run
 * (SPIs, clock times, remaining lifetimes) are replaced by placeholders
 * before the comparison.  GOLDEN_UPDATE=1 rewrites the files.
 */
#include <check.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/session.h"
#include "platform/evloop.h"
#include "platform/fileio.h"
#include "platform/term.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "testlib.h"

static struct evloop *loop;
static struct net_node ks, gm;

static const char ks_cfg[] =
	"hostname KS1\n"
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 127.0.0.2\n"
	"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
	"crypto ipsec profile PROF\n set security-association lifetime "
	"seconds 3600\n set transform-set TS\n"
	"ip access-list extended POLICY\n deny udp any eq 848 any eq 848\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto key generate rsa general-keys label REKEY modulus 1024\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey algorithm aes 256\n  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n   replay time window-size 5\n"
	"  address ipv4 127.0.0.1\n";

static const char gm_cfg[] =
	"hostname GM1\n"
	"interface-name GigabitEthernet0/0/0 linux lo\n"
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 127.0.0.1\n"
	"crypto gdoi group G\n identity number 1000\n"
	" server address ipv4 127.0.0.1\n server address ipv4 127.0.0.9\n"
	"ip access-list extended LOCAL-DENY\n"
	" deny ip 192.168.1.0 0.0.0.255 192.168.9.0 0.0.0.255\n"
	"crypto map GETVPN-MAP 10 gdoi\n set group G\n match address LOCAL-DENY\n"
	"interface GigabitEthernet0/0/0\n ip address 127.0.0.2 255.0.0.0\n"
	" crypto map GETVPN-MAP\n";

static bool
registered(void)
{
	const char *s = router_gm_state(gm.env.router, "G");

	return s != NULL && strcmp(s, "Registered") == 0;
}

static void
setup(void)
{
	uint16_t port = (uint16_t)(30000 + getpid() % 20000);

	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	memset(&ks, 0, sizeof(ks));
	memset(&gm, 0, sizeof(gm));
	net_node_up(&ks, loop, port, "getvpn-showgold");
	net_node_lines(&ks, ks_cfg);
	net_node_up(&gm, loop, port, "getvpn-showgold");
	net_node_lines(&gm, gm_cfg);
	ck_assert(net_run_until(loop, registered, 20000));
}

static void
teardown(void)
{
	net_node_down(&gm);
	net_node_down(&ks);
	ev_free(loop);
}

/* Replace every match of re in *s by with (one pass, left to right); a
 * leading "\\1" in with stands for the first group. */
static void
subst(char **s, const char *re, const char *with)
{
	struct term *t = term_new_mem();
	regmatch_t m[2];
	regex_t r;
	const char *p = *s;

	ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NEWLINE), 0);
	while (regexec(&r, p, 2, m, p == *s ? 0 : REG_NOTBOL) == 0 &&
	       m[0].rm_eo > 0) {
		term_write(t, p, (size_t)m[0].rm_so);
		if (strncmp(with, "\\1", 2) == 0) {
			term_write(t, p + m[1].rm_so,
				   (size_t)(m[1].rm_eo - m[1].rm_so));
			term_puts(t, with + 2);
		} else {
			term_puts(t, with);
		}
		p += m[0].rm_eo;
	}
	term_puts(t, p);
	regfree(&r);
	free(*s);
	*s = strdup(term_mem_data(t, NULL));
	term_free(t);
}

/* What changes from one run to the next. */
static void
normalise(char **s)
{
	static const char *const pat[][2] = {
		{ "0x[0-9A-F]{8}\\([0-9]+\\)", "0xSPI(SPI)" },
		{ "0x[0-9A-Fa-f]{8,}", "0xSPI" },
		{ "[0-9]{2}:[0-9]{2}:[0-9]{2}", "hh:mm:ss" },
		{ "\\(sec\\): \\([0-9]+\\)", "(sec): (N)" },
		{ "(Re-registers in +: )[0-9]+", "\\1N" },
		{ "(remaining life\\(sec\\) +: )[0-9]+", "\\1N" },
		{ "(elapsed time\\(sec\\) +: )[0-9]+", "\\1N" },
		{ "(Lifetime \\(secs\\) +: )[0-9]+", "\\1N" },
		{ "(time to rekey \\(secs?\\) *: )[0-9]+", "\\1N" },
		{ "(Remaining Lifetime +: )[0-9]+", "\\1N" },
		{ "[0-9]+ +ACTIVE", "N ACTIVE" },
		{ "   [0-9A-F]{8}   [0-9A-F]{8}$", "   COOKIE   COOKIE" },
	};

	for (size_t i = 0; i < sizeof(pat) / sizeof(*pat); i++)
		subst(s, pat[i][0], pat[i][1]);
}

static void
golden(struct net_node *n, const char *cmd, const char *file)
{
	struct term *t = term_new_mem();
	char path[256], *got;

	cli_session_line(n->s, cmd, t);
	got = strdup(term_mem_data(t, NULL));
	term_free(t);
	normalise(&got);
	snprintf(path, sizeof(path), "tests/show/%s.out", file);
	tl_golden(path, got);
	free(got);
}

static char *
run(struct net_node *n, const char *cmd)
{
	struct term *t = term_new_mem();
	char *got;

	cli_session_line(n->s, cmd, t);
	got = strdup(term_mem_data(t, NULL));
	term_free(t);
	return got;
}

/* `cmd | json` read by Python's JSON parser (tests/parsers/json_vs_text.py)
 * against the text of cmd: every value shown there, and each PATH=VALUE of
 * the NULL-terminated list holding. */
static void
json_check(struct net_node *n, const char *cmd, ...)
{
	char dir[] = "/tmp/getvpn-showjson.XXXXXX", tf[64], jf[64], line[512];
	char sh[4096], *text, *json;
	const char *want;
	size_t len;
	va_list ap;

	snprintf(line, sizeof(line), "%s | json", cmd);
	text = run(n, cmd);
	json = run(n, line);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(tf, sizeof(tf), "%s/text", dir);
	snprintf(jf, sizeof(jf), "%s/json", dir);
	ck_assert_int_eq(file_write_atomic(tf, text, strlen(text), 0600), 0);
	ck_assert_int_eq(file_write_atomic(jf, json, strlen(json), 0600), 0);
	len = (size_t)snprintf(sh, sizeof(sh), "/usr/bin/python3 "
			       "tests/parsers/json_vs_text.py %s %s", tf, jf);
	va_start(ap, cmd);
	while ((want = va_arg(ap, const char *)) != NULL && len < sizeof(sh))
		len += (size_t)snprintf(sh + len, sizeof(sh) - len, " '%s'",
					want);
	va_end(ap);
	ck_assert_msg(system(sh) == 0, "%s: JSON does not match the text:\n"
		      "%s\n%s", cmd, text, json);
	unlink(tf);
	unlink(jf);
	rmdir(dir);
	free(text);
	free(json);
}

START_TEST(test_ks_json)
{
	json_check(&ks, "do show crypto gdoi ks policy", "groups.0.group=G",
		   "groups.0.server=127.0.0.1", "groups.0.teks=1",
		   "groups.0.kek_policy.sig_key_name=REKEY",
		   "groups.0.tek_policies.0.access_list=POLICY",
		   "groups.0.tek_policies.0.transform=esp-256-aes "
		   "esp-sha256-hmac", NULL);
	json_check(&ks, "do show crypto gdoi ks members", "groups.0.group=G",
		   "groups.0.members.0.member_id=127.0.0.2",
		   "groups.0.members.0.key_server_id=127.0.0.1",
		   "groups.0.members.0.gm_state=Registered",
		   "groups.0.members.0.sent_seq_num.0=0", NULL);
	json_check(&ks, "do show crypto gdoi ks members 127.0.0.2",
		   "groups.0.members.0.member_id=127.0.0.2", NULL);
	json_check(&ks, "do show crypto gdoi ks members summary",
		   "groups.0.group_name=G", "groups.0.group_members=1",
		   "groups.0.key_servers.0.key_server_id=127.0.0.1",
		   "groups.0.key_servers.0.members.0.member_id=127.0.0.2",
		   NULL);
	json_check(&ks, "do show crypto gdoi",
		   "key_server_groups.0.group_name=G",
		   "key_server_groups.0.group_identity=1000",
		   "key_server_groups.0.group_members=1",
		   "key_server_groups.0.ipsec_sas.0.profile_name=PROF",
		   "key_server_groups.0.ipsec_sas.0.replay_window_size=5",
		   "key_server_groups.0.group_server_list.0=Local", NULL);
	json_check(&ks, "do show crypto isakmp sa detail",
		   "ipv4.0.local=127.0.0.1", "ipv4.0.remote=127.0.0.2",
		   "ipv4.0.status=ACTIVE", "ipv4.0.encr=aes",
		   "ipv4.0.hash=sha256", "ipv4.0.auth=psk", "ipv4.0.dh=19",
		   NULL);
	json_check(&ks, "do show crypto gdoi ks detail",
		   "total_group_members=1", "groups.0.group_name=G",
		   "groups.0.group_members=1", "groups.0.acls.0=POLICY",
		   "groups.0.redundancy=Not configured", NULL);
	json_check(&ks, "do show crypto gdoi ks acl",
		   "groups.0.group_name=G",
		   "groups.0.configured_acl.0.acl=POLICY", NULL);
	json_check(&ks, "do show crypto gdoi rekey sa",
		   "rekey_sas.0.dst=127.0.0.2", "rekey_sas.0.src=127.0.0.1",
		   "rekey_sas.0.conn_id=2000", "rekey_sas.0.status=ACTIVE", NULL);
	json_check(&ks, "do show crypto gdoi rekey sa detail",
		   "key_server_groups.0.group_name=G",
		   "key_server_groups.0.local_addr=127.0.0.1",
		   "key_server_groups.0.acknowledgement=Interoperable", NULL);
	json_check(&ks, "do show crypto isakmp sa",
		   "ipv4.0.state=GDOI_REKEY", "ipv4.0.dst=127.0.0.2",
		   "ipv4.1.state=GDOI_IDLE", "ipv4.1.dst=127.0.0.1", NULL);
}
END_TEST

START_TEST(test_gm_json)
{
	json_check(&gm, "do show crypto gdoi",
		   "group_member_groups.0.group_name=G",
		   "group_member_groups.0.group_server_list.1=127.0.0.9",
		   "group_member_groups.0.group_member.registration_status="
		   "Registered",
		   "group_member_groups.0.group_member.registered_with="
		   "127.0.0.1",
		   "group_member_groups.0.kek_policy.encrypt_algorithm=AES",
		   "group_member_groups.0.tek_policy.interface="
		   "GigabitEthernet0/0/0",
		   "group_member_groups.0.tek_policy.ipsec_sas.0.transform="
		   "esp-256-aes esp-sha256-hmac", NULL);
	json_check(&gm, "do show crypto gdoi detail",
		   "group_member_groups.0.group_name=G", NULL);
	json_check(&gm, "do show crypto gdoi group G",
		   "group_member_groups.0.group_name=G", NULL);
	json_check(&gm, "do show crypto gdoi gm", "groups.0.group=G",
		   "groups.0.active_tek_number=1",
		   "groups.0.local_addr=127.0.0.2", NULL);
	json_check(&gm, "do show crypto gdoi gm rekey detail",
		   "groups.0.group=G", "groups.0.transport=Unicast",
		   "groups.0.current_kek.src=127.0.0.1",
		   "groups.0.rekeys_dropped.total=0", NULL);
	json_check(&gm, "do show crypto gdoi gm acl", "groups.0.group_name=G",
		   "groups.0.acl_downloaded.key_server=127.0.0.1",
		   "groups.0.acl_configured_locally.map_name=GETVPN-MAP",
		   "groups.0.acl_configured_locally.aces.0.acl=LOCAL-DENY",
		   NULL);
	json_check(&gm, "do show crypto gdoi rekey sa",
		   "rekey_sas.0.dst=127.0.0.2", "rekey_sas.0.src=127.0.0.1",
		   NULL);
	json_check(&gm, "do show crypto gdoi rekey sa detail",
		   "group_member_groups.0.num_active=1",
		   "group_member_groups.0.kek_sas.0.remote_addr=127.0.0.1",
		   "group_member_groups.0.kek_sas.0.group_name=G", NULL);
	json_check(&gm, "do show crypto isakmp sa",
		   "ipv4.0.state=GDOI_REKEY", "ipv4.1.state=GDOI_IDLE",
		   "ipv4.1.src=127.0.0.2", NULL);
	json_check(&gm, "do show crypto ipsec sa",
		   "interfaces.0.interface=GigabitEthernet0/0/0",
		   "interfaces.0.crypto_map_tag=GETVPN-MAP",
		   "interfaces.0.entries.0.local_ident.addr=192.168.0.0",
		   "interfaces.0.entries.0.remote_ident.mask=255.255.0.0",
		   "interfaces.0.entries.0.path_mtu=65536",
		   "interfaces.0.entries.0.inbound_esp_sas.0.iv_size=16",
		   "interfaces.0.entries.0.pkts_encaps=0", NULL);
	json_check(&gm, "do show crypto ipsec sa detail",
		   "interfaces.0.entries.0.pkts_encaps_failed=0",
		   "interfaces.0.entries.0.outbound_esp_sas.0.status="
		   "ACTIVE(ACTIVE)", NULL);
	json_check(&gm, "do show crypto session",
		   "sessions.0.interface=GigabitEthernet0/0/0",
		   "sessions.0.session_status=UP-ACTIVE",
		   "sessions.0.peer=127.0.0.1",
		   "sessions.0.ipsec_flows.0.active_sas=2", NULL);
	json_check(&gm, "do show crypto session detail",
		   "sessions.0.group=G", "sessions.0.phase1_id=127.0.0.1",
		   NULL);
	json_check(&gm, "do show crypto gdoi ipsec sa", "groups.0.group=G",
		   "groups.0.sas.0.protocol=ip",
		   "groups.0.sas.0.local_ident=192.168.0.0/16",
		   "groups.0.sas.0.replay_method=Time",
		   "groups.0.sas.0.replay_window=5", NULL);
	json_check(&gm, "do show crypto map", "crypto_maps.0.name=GETVPN-MAP",
		   "crypto_maps.0.entries.0.seq=10",
		   "crypto_maps.0.entries.0.servers.1=127.0.0.9",
		   "crypto_maps.0.interfaces.0=GigabitEthernet0/0/0", NULL);
	json_check(&gm, "do show crypto gdoi gm export-keys",
		   "keys.0.encryption=cbc", "keys.0.authentication=sha256",
		   NULL);
}
END_TEST

START_TEST(test_ks_layouts)
{
	golden(&ks, "do show crypto gdoi", "ks-gdoi");
	golden(&ks, "do show crypto gdoi detail", "ks-gdoi");
	golden(&ks, "do show crypto gdoi ks members", "ks-members");
	golden(&ks, "do show crypto gdoi ks members summary",
	       "ks-members-summary");
	golden(&ks, "do show crypto gdoi ks policy", "ks-policy");
	golden(&ks, "do show crypto gdoi ks", "ks-ks");
	golden(&ks, "do show crypto gdoi ks detail", "ks-ks-detail");
	golden(&ks, "do show crypto gdoi ks acl", "ks-acl");
	golden(&ks, "do show crypto gdoi rekey sa", "ks-rekey-sa");
	golden(&ks, "do show crypto gdoi rekey sa detail", "ks-rekey-sa-detail");
	golden(&ks, "do show crypto isakmp sa", "ks-isakmp-sa");
	golden(&ks, "do show crypto isakmp sa detail", "ks-isakmp-sa-detail");
	golden(&ks, "do show crypto gdoi ks coop", "ks-coop");
}
END_TEST

START_TEST(test_gm_layouts)
{
	golden(&gm, "do show crypto gdoi", "gm-gdoi");
	golden(&gm, "do show crypto gdoi detail", "gm-gdoi");
	golden(&gm, "do show crypto gdoi gm", "gm-gm");
	golden(&gm, "do show crypto gdoi gm acl", "gm-acl");
	golden(&gm, "do show crypto ipsec sa", "gm-ipsec-sa");
	golden(&gm, "do show crypto ipsec sa detail", "gm-ipsec-sa-detail");
	golden(&gm, "do show crypto session", "gm-session");
	golden(&gm, "do show crypto session detail", "gm-session-detail");
	golden(&gm, "do show crypto map", "gm-crypto-map");
	golden(&gm, "do show crypto gdoi ipsec sa", "gm-gdoi-ipsec-sa");
	golden(&gm, "do show crypto gdoi gm rekey", "gm-gm-rekey");
	golden(&gm, "do show crypto gdoi gm rekey detail", "gm-gm-rekey-detail");
	golden(&gm, "do show crypto gdoi rekey sa", "gm-rekey-sa");
	golden(&gm, "do show crypto gdoi rekey sa detail", "gm-rekey-sa-detail");
	golden(&gm, "do show crypto isakmp sa", "gm-isakmp-sa");
	golden(&gm, "do show crypto gdoi gm dataplane counters",
	       "gm-dataplane");
}
END_TEST

Suite *
suite_showgold(void)
{
	Suite *s = suite_create("showgold");
	TCase *tc = tcase_create("showgold");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ks_layouts);
	tcase_add_test(tc, test_gm_layouts);
	tcase_add_test(tc, test_ks_json);
	tcase_add_test(tc, test_gm_json);
	suite_add_tcase(s, tc);
	return s;
}
