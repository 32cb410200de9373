/*
 * sysshow: the host EXEC commands (show version, interfaces, ip interface
 * brief, ip route, clock, terminal, history, logging, ping) as parsers
 * read them: show version is matched with the regular expressions
 * Ansible's cisco.ios ios_facts (cliconf get_device_info) and genie's
 * IOS-XE ShowVersion use, and its values are checked against the host.
 * The interface cases make a veth pair (per-run name) and read it back.
 */
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "testlib.h"

/* Capture group n of the extended regex re (multi-line) in text, or "". */
static const char *
rx(const char *text, const char *re, int n)
{
	static char got[512];
	regmatch_t m[10];
	regex_t r;

	got[0] = '\0';
	ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NEWLINE), 0);
	if (regexec(&r, text, 10, m, 0) == 0 && m[n].rm_so >= 0)
		snprintf(got, sizeof(got), "%.*s", (int)(m[n].rm_eo - m[n].rm_so),
			 text + m[n].rm_so);
	regfree(&r);
	return got;
}

static struct tl *
exec_line(const char *line, const char **out)
{
	struct tl *t = tl_new();
	char buf[256];

	ck_assert_int_eq(tl_line(t, "hostname GM-7"), 0);
	snprintf(buf, sizeof(buf), "do %s", line);
	ck_assert_msg(tl_line(t, buf) == 0, "%s: %s", line, tl_out(t));
	*out = tl_out(t);
	return t;
}

START_TEST(test_version_ios_facts)
{
	const char *o;
	struct tl *t = exec_line("show version", &o);

	/* cisco.ios cliconf get_device_info */
	ck_assert_str_eq(rx(o, "Version ([^ ]+)", 1), "0.1");
	ck_assert_str_eq(rx(o, "^[Cc]isco ([^ ]+).+bytes of .*memory", 1),
			 "getvpn");
	ck_assert_str_eq(rx(o, "^(.+) uptime", 1), "GM-7");
	ck_assert_str_eq(rx(o, "image file is \"(.+)\"", 1),
			 rx(o, "image file is \"(/[^\"]+)\"", 1));
	ck_assert_str_ne(rx(o, "image file is \"(.+)\"", 1), "");
	/* legacy facts: serial number */
	ck_assert_str_ne(rx(o, "board ID ([^ ]+)", 1), "");
	tl_free(t);
}
END_TEST

START_TEST(test_version_genie)
{
	const char *o, *re3 =
		"^[Cc]isco +([A-Z]+) +[Ss]oftware *\\[?([A-Za-z0-9_]*)\\]?, +"
		"(.+) +Software +\\((.+)\\).+ +[Vv]ersion +([A-Za-z0-9_.:()]+)"
		" *,?";
	struct tl *t = exec_line("show version", &o);
	struct utsname u;
	struct sysinfo si;
	char mem[32];

	ck_assert_str_eq(rx(o, re3, 1), "IOS");
	ck_assert_str_eq(rx(o, re3, 3), "Linux");
	ck_assert_str_eq(rx(o, re3, 5), "0.1");
	ck_assert_str_eq(rx(o, "^Cisco +(.+) +Software, +Version +(.*)$", 2),
			 "0.1");
	ck_assert_str_eq(rx(o, "^(.+) +uptime +is +(.+)$", 1), "GM-7");
	ck_assert_str_ne(rx(o, "^(.+) +uptime +is +(.+minutes?)$", 2), "");
	ck_assert_str_eq(rx(o, "^[Cc]onfiguration +register +is "
			    "+([a-zA-Z0-9]+)", 1), "0x2102");
	/* truthful: the kernel and the memory of this host */
	uname(&u);
	ck_assert_ptr_nonnull(strstr(rx(o, "^ROM: +(.+)$", 1), u.release));
	sysinfo(&si);
	snprintf(mem, sizeof(mem), "%llu",
		 (unsigned long long)si.totalram * si.mem_unit / 1024);
	ck_assert_str_eq(rx(o, "^(C|c)isco +([a-zA-Z0-9/+-]+) +\\(([^)]*)\\) "
			    "+(.*)with +([0-9]+)[kK](/[0-9]+[kK])?", 5), mem);
	ck_assert_str_eq(rx(o, "^(C|c)isco +([a-zA-Z0-9/+-]+) +\\(([^)]*)\\)",
			    3), u.machine);
	tl_free(t);
}
END_TEST

START_TEST(test_clock_terminal_history)
{
	const char *o;
	struct tl *t = exec_line("show clock", &o);

	ck_assert_str_ne(rx(o, "^\\*?[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} "
			    "[A-Z]+ (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} "
			    "[0-9]{1,2} [0-9]{4}$", 0), "");
	ck_assert_int_eq(tl_line(t, "do terminal width 132"), 0);
	ck_assert_int_eq(tl_line(t, "do show terminal"), 0);
	ck_assert_str_eq(rx(tl_out(t), "^Length: ([0-9]+) lines, Width: "
			    "([0-9]+) columns$", 2), "132");
	ck_assert_int_eq(tl_line(t, "do show history"), 0);
	ck_assert_str_eq(tl_out(t), "  hostname GM-7\n  do show clock\n"
			 "  do terminal width 132\n  do show terminal\n"
			 "  do show history\n");
	tl_free(t);
}
END_TEST

START_TEST(test_logging_head)
{
	const char *o;
	struct tl *t = exec_line("show logging", &o);

	ck_assert_ptr_nonnull(strstr(o, "0 overruns, xml disabled, filtering "
				     "disabled)\n"));
	ck_assert_str_ne(rx(o, "^    Console logging: level debugging, [0-9]+ "
			    "messages logged, xml disabled,$", 0), "");
	ck_assert_str_ne(rx(o, "^    Monitor logging: level debugging, [0-9]+ "
			    "messages logged, xml disabled,$", 0), "");
	ck_assert_str_ne(rx(o, "^    Buffer logging: +disabled, xml disabled,$",
			    0), "");
	ck_assert_str_ne(rx(o, "^    Exception Logging: size \\(4096 bytes\\)$",
			    0), "");
	ck_assert_str_ne(rx(o, "^ +filtering disabled$", 0), "");
	tl_free(t);
}
END_TEST

/* `| json`: the same facts as JSON; a command without a JSON form (not a
 * show) says so instead of printing text (tests/parsers/json_shows.py parses it). */
START_TEST(test_json)
{
	const char *o;
	struct tl *t = exec_line("show version | json", &o);

	ck_assert_str_ne(rx(o, "^\\{\"version\":\\{\"version\":\"0\\.1\","
			    ".*\"hostname\":\"GM-7\".*\\}\\}$", 0), "");
	ck_assert_int_eq(tl_line(t, "do show interfaces lo | json"), 0);
	ck_assert_str_ne(rx(tl_out(t), "^\\{\"lo\":\\{.*\"127\\.0\\.0\\.1/8\".*"
			    "\"linux_device\":\"lo\",.*\\}$", 0), "");
	ck_assert_int_eq(tl_line(t, "do show ip interface brief | json"), 0);
	ck_assert_str_ne(rx(tl_out(t), "\\{\"interface\":\"lo\",\"ip_address\":"
			    "\"127\\.0\\.0\\.1\",", 0), "");
	ck_assert_int_eq(tl_line(t, "do show clock | json"), 0);
	ck_assert_str_ne(rx(tl_out(t), "^\\{\"synchronized\":(true|false),"
			    "\"time\":\"[0-9:.]+\",.*\"date\":\"[A-Z][a-z]{2} "
			    "[A-Z][a-z]{2} [0-9]+ [0-9]{4}\"\\}$", 0), "");
	ck_assert_int_eq(tl_line(t, "do show privilege | json"), 0);
	ck_assert_str_eq(tl_out(t), "{\"privilege\":15}\n");
	ck_assert_int_eq(tl_line(t, "do show running-config | json"), 0);
	ck_assert_str_ne(rx(tl_out(t), "^\\{\"current_configuration_bytes\":[0-9]+,"
			    "\"lines\":\\[\"hostname GM-7\",.*\"end\"\\]\\}$", 0), "");
	ck_assert_int_eq(tl_line(t, "do terminal length 0 | json"), -1);
	ck_assert_str_eq(tl_out(t), "% JSON output is not available for this "
			 "command\n");
	ck_assert_int_eq(tl_line(t, "do show version | json extra"), -1);
	ck_assert_int_eq(tl_line(t, "do show bogus | json"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "% Invalid input detected"));
	tl_free(t);
}
END_TEST

/* A veth pair named after the test runner, removed by the parent after
 * every test whatever happened in it. */
static char veth[16];

static void
veth_name(void)
{
	snprintf(veth, sizeof(veth), "sysv%d", (int)getpid() % 1000000);
}

static void
veth_down(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "ip link del %s 2>/dev/null", veth);
	if (system(cmd) != 0)
		return;		/* not made, or already gone */
}

static void
veth_up(void)
{
	char cmd[256];

	veth_down();
	snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %sp && "
		 "ip addr add 10.213.7.1/24 dev %s && ip link set %s up && "
		 "ip link set %sp up", veth, veth, veth, veth, veth);
	ck_assert_msg(system(cmd) == 0, "cannot make %s", veth);
}

START_TEST(test_interfaces_from_kernel)
{
	struct tl *t = tl_new();
	char line[128], re[160];
	const char *o;

	veth_up();
	snprintf(line, sizeof(line), "interface-name GigabitEthernet0/0/9 "
		 "linux %s", veth);
	ck_assert_int_eq(tl_line(t, line), 0);
	ck_assert_int_eq(tl_line(t, "do show ip interface brief"), 0);
	o = tl_out(t);
	ck_assert_str_ne(rx(o, "^Interface +IP-Address +OK\\? Method Status "
			    "+Protocol$", 0), "");
	ck_assert_str_ne(rx(o, "^GigabitEthernet0/0/9 +10\\.213\\.7\\.1 +YES "
			    "manual up +(up|down) *$", 0), "");
	ck_assert_str_ne(rx(o, "^lo +127\\.0\\.0\\.1 +YES manual up +up *$", 0),
			 "");
	ck_assert_int_eq(tl_line(t, "do show interfaces Gi0/0/9"), 0);
	o = tl_out(t);
	/* ios_facts' interface regexes */
	ck_assert_str_eq(rx(o, "Internet address is ([^ \n]+)", 1),
			 "10.213.7.1/24");
	ck_assert_str_eq(rx(o, "MTU ([0-9]+)", 1), "1500");
	ck_assert_str_ne(rx(o, "Hardware is (.*), address is ([^ ]+)", 2), "");
	ck_assert_str_ne(rx(o, "line protocol is (up|down)", 1), "");
	ck_assert_int_eq(tl_line(t, "do show ip route"), 0);
	snprintf(re, sizeof(re), "^C +10\\.213\\.7\\.0/24 is directly "
		 "connected, GigabitEthernet0/0/9$");
	ck_assert_str_ne(rx(tl_out(t), re, 0), "");
	ck_assert_str_ne(rx(tl_out(t), "^L +10\\.213\\.7\\.1/32 is directly "
			    "connected, GigabitEthernet0/0/9$", 0), "");
	ck_assert_int_eq(tl_line(t, "do show interfaces nosuch0"), -1);
	tl_free(t);
}
END_TEST

START_TEST(test_ping)
{
	struct tl *t = tl_new();

	ck_assert_int_eq(tl_line(t, "do ping 127.0.0.1 repeat 3 timeout 1"), 0);
	ck_assert_str_ne(rx(tl_out(t), "^Sending 3, 100-byte ICMP Echos to "
			    "127\\.0\\.0\\.1, timeout is 1 seconds:$", 0), "");
	ck_assert_str_ne(rx(tl_out(t), "^!!!$", 0), "");
	ck_assert_str_ne(rx(tl_out(t), "^Success rate is 100 percent \\(3/3\\), "
			    "round-trip min/avg/max = [0-9]+/[0-9]+/[0-9]+ ms$",
			    0), "");
	ck_assert_int_eq(tl_line(t, "do ping 127.0.0.1 repeat 1000 timeout 2"),
			 -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "over 300 seconds"));
	/* nobody answers on the far side of a veth with no address */
	veth_up();
	ck_assert_int_eq(tl_line(t, "do ping 10.213.7.99 repeat 2 timeout 1"), 0);
	ck_assert_str_ne(rx(tl_out(t), "^Success rate is 0 percent \\(0/2\\)$",
			    0), "");
	tl_free(t);
}
END_TEST

Suite *
suite_sysshow(void)
{
	Suite *s = suite_create("sysshow");
	TCase *tc = tcase_create("sysshow");

	tcase_add_unchecked_fixture(tc, veth_name, veth_down);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_version_ios_facts);
	tcase_add_test(tc, test_version_genie);
	tcase_add_test(tc, test_clock_terminal_history);
	tcase_add_test(tc, test_logging_head);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_interfaces_from_kernel);
	tcase_add_test(tc, test_ping);
	suite_add_tcase(s, tc);
	return s;
}
