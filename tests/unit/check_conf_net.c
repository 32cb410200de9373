/*
 * Config areas for ACLs, ISAKMP, IPsec, interfaces and crypto maps
 * (parser/conf_{acl,isakmp,ipsec,if,cmap}.c and their cmd_*.c): real CLI
 * lines in, exact `show running-config` text out; refused lines with
 * their IOS error and an unchanged running-config; the lookups the
 * engines use; a 10,000-entry ACL; the S8 flat paste (doc/ios-cli.md §7.2).
 */
#include <check.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_cmap.h"
#include "parser/conf_if.h"
#include "parser/conf_ipsec.h"
#include "parser/conf_isakmp.h"
#include "testlib.h"

#define RUN_HEAD "hostname Router\n!\n"
#define RUN_TAIL "end\n"

/*
 * The running-config without the `crypto gdoi|gkm group` blocks, which
 * belong to another area (the crypto map cases create groups).
 */
static char *
show_run_mine(struct tl *t)
{
	char *run = tl_show_run(t), *out, *o;
	const char *p = run;
	bool skip = false;

	ck_assert_ptr_nonnull(run);
	out = o = calloc(1, strlen(run) + 1);
	ck_assert_ptr_nonnull(out);
	while (*p) {
		size_t n = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');

		if (strncmp(p, "crypto gdoi group ", 18) == 0 ||
		    strncmp(p, "crypto gkm group ", 17) == 0)
			skip = true;
		else if (p[0] != ' ' && p[0] != '!')
			skip = false;
		if (!skip) {
			memcpy(o, p, n);
			o += n;
		} else if (p[0] == '!') {
			skip = false;	/* the group's own separator */
		}
		p += n;
	}
	free(run);
	return out;
}

static void
lines_ok(struct tl *t, const char *text)
{
	char *copy = strdup(text), *save = NULL;

	ck_assert_ptr_nonnull(copy);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		ck_assert_msg(tl_line(t, l) == 0, "refused \"%s\": %s", l, tl_out(t));
	free(copy);
}

/*
 * Line sequences -> exact show-run text (between the hostname and `end`).
 */
struct run_case {
	const char *lines;
	const char *expect;
};

static void
check_run_case(const struct run_case *c)
{
	struct tl *t = tl_new();
	char *run;
	char *want;

	lines_ok(t, c->lines);
	run = show_run_mine(t);
	ck_assert_int_gt(asprintf(&want, RUN_HEAD "%s" RUN_TAIL, c->expect), 0);
	ck_assert_msg(strcmp(run, want) == 0, "lines:\n%s\ngot:\n%s\nwant:\n%s",
		      c->lines, run, want);
	free(want);
	free(run);
	tl_free(t);
}

static const struct run_case acl_cases[] = {
	/* padding, host/any/wildcard forms, host bits cleared, numbers */
	{ "ip access-list extended POL\n"
	  " permit ip 10.1.1.77 0.0.0.255 10.2.0.0 0.0.255.255\n"
	  " deny tcp host 10.0.0.1 any eq www log\n"
	  " permit udp any range 1000 2000 host 10.9.9.9 gt 1023\n"
	  " deny ip 1.2.3.4 0.0.0.0 0.0.0.0 255.255.255.255\n"
	  " permit 50 any any\n"
	  " permit 112 any any\n"
	  " permit tcp any any established\n"
	  " deny icmp any any log\n",
	  "ip access-list extended POL\n"
	  " permit ip 10.1.1.0 0.0.0.255 10.2.0.0 0.0.255.255\n"
	  " deny   tcp host 10.0.0.1 any eq www log\n"
	  " permit udp any range 1000 2000 host 10.9.9.9 gt 1023\n"
	  " deny   ip host 1.2.3.4 any\n"
	  " permit esp any any\n"
	  " permit 112 any any\n"
	  " permit tcp any any established\n"
	  " deny   icmp any any log\n"
	  "!\n" },
	/* ports are printed with the names of their own protocol only */
	{ "ip access-list extended P\n"
	  " permit tcp any any eq 80\n"
	  " permit udp any any eq 500\n"
	  " permit tcp any any eq 500\n"
	  " permit udp any eq 4500 any eq 53\n"
	  " permit tcp any any eq 22\n"
	  " permit tcp any any eq 443\n"
	  " permit udp any any eq 848\n"
	  " permit tcp any neq 179 any lt 1024\n"
	  " permit udp any any eq 161\n"
	  " permit udp any any eq snmptrap\n"
	  " permit udp any any range bootps bootpc\n",
	  "ip access-list extended P\n"
	  " permit tcp any any eq www\n"
	  " permit udp any any eq isakmp\n"
	  " permit tcp any any eq 500\n"
	  " permit udp any eq non500-isakmp any eq domain\n"
	  " permit tcp any any eq 22\n"
	  " permit tcp any any eq 443\n"
	  " permit udp any any eq 848\n"
	  " permit tcp any neq bgp any lt 1024\n"
	  " permit udp any any eq snmp\n"
	  " permit udp any any eq snmptrap\n"
	  " permit udp any any range bootps bootpc\n"
	  "!\n" },
	/* implicit sequence = last + 10, explicit ones insert in order */
	{ "ip access-list extended S\n"
	  " permit ip host 10.0.0.1 any\n"
	  " permit ip host 10.0.0.2 any\n"
	  " 15 permit ip host 10.0.0.15 any\n"
	  " 5 deny ip any any\n"
	  " permit ip host 10.0.0.3 any\n",
	  "ip access-list extended S\n"
	  " deny   ip any any\n"
	  " permit ip host 10.0.0.1 any\n"
	  " permit ip host 10.0.0.15 any\n"
	  " permit ip host 10.0.0.2 any\n"
	  " permit ip host 10.0.0.3 any\n"
	  "!\n" },
	/* no SEQ, no <identical entry>; absent ones are silent */
	{ "ip access-list extended N\n"
	  " permit ip host 10.0.0.1 any\n"
	  " permit ip host 10.0.0.2 any\n"
	  " permit udp host 10.0.0.3 any eq ntp\n"
	  " no 20\n"
	  " no permit udp host 10.0.0.3 any eq 123\n"
	  " no permit ip host 10.9.9.9 any\n"
	  " no 99\n",
	  "ip access-list extended N\n"
	  " permit ip host 10.0.0.1 any\n"
	  "!\n" },
	/* remarks keep their place; `no remark TEXT` drops that one */
	{ "ip access-list extended R\n"
	  " remark first\n"
	  " permit ip any any\n"
	  " remark second one\n"
	  " no remark first\n",
	  "ip access-list extended R\n"
	  " permit ip any any\n"
	  " remark second one\n"
	  "!\n" },
	/* standard named and numbered lists; numbered sorted by number */
	{ "ip access-list standard GMS\n"
	  " permit 10.1.1.1\n"
	  " permit host 10.1.1.2\n"
	  " deny 10.2.0.5 0.0.255.255\n"
	  " permit any\n"
	  "access-list 2000 deny esp any any\n"
	  "access-list 52 permit 10.0.0.1\n"
	  "access-list 52 deny 10.9.0.0 0.0.255.255 log\n"
	  "access-list 1300 permit any\n"
	  "access-list 101 permit ip any any\n"
	  "access-list 101 remark end of list\n",
	  "ip access-list standard GMS\n"
	  " permit 10.1.1.1\n"
	  " permit 10.1.1.2\n"
	  " deny   10.2.0.0 0.0.255.255\n"
	  " permit any\n"
	  "!\n"
	  "access-list 52 permit 10.0.0.1\n"
	  "access-list 52 deny   10.9.0.0 0.0.255.255 log\n"
	  "access-list 101 permit ip any any\n"
	  "access-list 101 remark end of list\n"
	  "access-list 1300 permit any\n"
	  "access-list 2000 deny   esp any any\n"
	  "!\n" },
	/* `ip access-list extended 101` edits the numbered list;
	 * `no access-list N <anything>` removes the whole list */
	{ "access-list 101 permit ip any any\n"
	  "ip access-list extended 101\n"
	  " deny ip host 1.1.1.1 any\n"
	  "access-list 102 permit ip any any\n"
	  "access-list 102 deny ip any any\n"
	  "no access-list 102 permit ip any any\n"
	  "no access-list 55\n",
	  "access-list 101 permit ip any any\n"
	  "access-list 101 deny   ip host 1.1.1.1 any\n"
	  "!\n" },
	/* no ip access-list; abbreviations */
	{ "ip access-list extended KEEP\n"
	  " perm ip any any\n"
	  "ip access-list extended DROP\n"
	  " permit ip any any\n"
	  "no ip access-list extended DROP\n"
	  "ip access-l ext ABR\n"
	  " perm tc any any eq ww\n"
	  " den ud any any eq nt\n",
	  "ip access-list extended KEEP\n"
	  " permit ip any any\n"
	  "!\n"
	  "ip access-list extended ABR\n"
	  " permit tcp any any eq www\n"
	  " deny   udp any any eq ntp\n"
	  "!\n" },
};

static const struct run_case isakmp_cases[] = {
	/* IOS 12.4 abbreviations (doc/ios-cli.md §7.3); `encr` spelling */
	{ "crypto isakmp policy 10\n auth pre-share\n hash md5\n enc 3des\n group 2\n",
	  "crypto isakmp policy 10\n encr 3des\n hash md5\n"
	  " authentication pre-share\n group 2\n!\n" },
	/* defaults are not printed, even when typed */
	{ "crypto isakmp policy 5\n encryption des\n hash sha\n"
	  " authentication rsa-sig\n group 1\n lifetime 86400\n",
	  "crypto isakmp policy 5\n!\n" },
	/* sorted by priority; aes key lengths (128 implied) */
	{ "crypto isakmp policy 30\n encryption aes 128\n"
	  "crypto isakmp policy 10\n encryption aes 256\n hash sha512\n"
	  " authentication rsa-encr\n group 24\n"
	  "crypto isakmp policy 20\n encryption aes 192\n lifetime 3600\n"
	  " group 14\n",
	  "crypto isakmp policy 10\n encr aes 256\n hash sha512\n"
	  " authentication rsa-encr\n group 24\n"
	  "crypto isakmp policy 20\n encr aes 192\n group 14\n lifetime 3600\n"
	  "crypto isakmp policy 30\n encr aes\n!\n" },
	/* no/default restore the defaults; no policy removes it */
	{ "crypto isakmp policy 10\n encr aes 256\n hash sha256\n group 14\n"
	  " lifetime 600\n authentication pre-share\n no encr\n no hash\n"
	  " default group\n no lifetime 600\n no authentication\n"
	  "crypto isakmp policy 20\n encr aes\n"
	  "no crypto isakmp policy 20\n",
	  "crypto isakmp policy 10\n!\n" },
	/* keys: `0` dropped, replace in place, masks, hostname */
	{ "crypto isakmp key 0 cisco address 10.0.0.1\n"
	  "crypto isakmp key wild address 0.0.0.0\n"
	  "crypto isakmp key net address 10.1.0.0 255.255.0.0 no-xauth\n"
	  "crypto isakmp key hk hostname ks1.example.com\n"
	  "crypto isakmp key cisco2 address 10.0.0.1\n"
	  "crypto isakmp key wild2 address 0.0.0.0 0.0.0.0\n"
	  "crypto isakmp key one address 10.0.0.7 255.255.255.255\n"
	  "crypto isakmp key zero address 0.0.0.0 255.255.255.255\n"
	  "crypto isakmp key gone address 10.0.0.9\n"
	  "no crypto isakmp key gone address 10.0.0.9\n"
	  "no crypto isakmp key absent address 10.0.0.99\n",
	  "crypto isakmp key cisco2 address 10.0.0.1\n"
	  "crypto isakmp key wild2 address 0.0.0.0\n"
	  "crypto isakmp key net address 10.1.0.0 255.255.0.0 no-xauth\n"
	  "crypto isakmp key hk hostname ks1.example.com\n"
	  "crypto isakmp key one address 10.0.0.7\n"
	  "crypto isakmp key zero address 0.0.0.0 255.255.255.255\n"
	  "!\n" },
	/* policies, keys, keepalive, identity: one run, one `!` (§7.4) */
	{ "crypto isakmp identity hostname\n"
	  "crypto isakmp keepalive 20 5 periodic\n"
	  "crypto isakmp key K address 10.0.0.1\n"
	  "crypto isakmp policy 10\n authentication pre-share\n",
	  "crypto isakmp policy 10\n authentication pre-share\n"
	  "crypto isakmp key K address 10.0.0.1\n"
	  "crypto isakmp keepalive 20 5 periodic\n"
	  "crypto isakmp identity hostname\n!\n" },
	{ "crypto isakmp keepalive 10\n", "crypto isakmp keepalive 10\n!\n" },
	/* dh-reuse: on for 1 s unless said otherwise; `no` turns it off */
	{ "crypto isakmp dh-reuse 1\n", "" },
	{ "crypto isakmp dh-reuse 30\n", "crypto isakmp dh-reuse 30\n!\n" },
	{ "no crypto isakmp dh-reuse\n", "no crypto isakmp dh-reuse\n!\n" },
	{ "no crypto isakmp dh-reuse\ncrypto isakmp dh-reuse\n", "" },
	{ "crypto isakmp keepalive 10 2 on-demand\n",
	  "crypto isakmp keepalive 10\n!\n" },
	{ "crypto isakmp keepalive 15 periodic\nno crypto isakmp keepalive\n"
	  "crypto isakmp identity dn\nno crypto isakmp identity\n", "" },
};

static const struct run_case ipsec_cases[] = {
	{ "crypto ipsec transform-set TS1 esp-aes 256 esp-sha256-hmac\n"
	  "crypto ipsec transform-set TS2 esp-gcm 256\n"
	  "crypto ipsec transform-set TS3 esp-3des esp-md5-hmac\n mode transport\n"
	  "crypto ipsec transform-set TS4 ah-sha-hmac esp-aes esp-sha-hmac\n"
	  " mode transport require\n esn\n"
	  "crypto ipsec transform-set TS5 esp-aes 128 esp-sha512-hmac\n"
	  "crypto ipsec transform-set TS6 esp-sha-hmac\n",
	  "crypto ipsec transform-set TS1 esp-aes 256 esp-sha256-hmac\n mode tunnel\n!\n"
	  "crypto ipsec transform-set TS2 esp-gcm 256\n mode tunnel\n!\n"
	  "crypto ipsec transform-set TS3 esp-3des esp-md5-hmac\n mode transport\n!\n"
	  "crypto ipsec transform-set TS4 ah-sha-hmac esp-aes esp-sha-hmac\n"
	  " mode transport require\n esn\n!\n"
	  "crypto ipsec transform-set TS5 esp-aes esp-sha512-hmac\n mode tunnel\n!\n"
	  "crypto ipsec transform-set TS6 esp-sha-hmac\n mode tunnel\n!\n" },
	/* re-entering replaces the transforms and keeps the mode */
	{ "crypto ipsec transform-set T esp-des esp-md5-hmac\n mode transport\n"
	  "crypto ipsec transform-set T esp-gmac 192\n"
	  "crypto ipsec transform-set X esp-null esp-sha-hmac\n mode transport\n"
	  " no mode\n no esn\n"
	  "crypto ipsec transform-set GONE esp-null esp-sha-hmac\n"
	  "no crypto ipsec transform-set GONE\n",
	  "crypto ipsec transform-set T esp-gmac 192\n mode transport\n!\n"
	  "crypto ipsec transform-set X esp-null esp-sha-hmac\n mode tunnel\n!\n" },
	/* profile NVGEN order: lifetimes before transform-sets */
	{ "crypto ipsec profile P\n"
	  " set pfs group14\n"
	  " set transform-set TS1 TS2\n"
	  " set security-association lifetime seconds 7200\n"
	  " set security-association lifetime kilobytes 4608000\n"
	  " description GET VPN TEK policy\n",
	  "crypto ipsec profile P\n"
	  " description GET VPN TEK policy\n"
	  " set security-association lifetime kilobytes 4608000\n"
	  " set security-association lifetime seconds 7200\n"
	  " set transform-set TS1 TS2\n"
	  " set pfs group14\n!\n" },
	{ "crypto ipsec profile P\n"
	  " set transform-set A B C D E F\n"
	  " set security-association lifetime seconds 7200\n"
	  " set security-association lifetime kilobytes disable\n"
	  " set security-association lifetime days 2\n"
	  " set pfs\n description x\n"
	  " no set security-association lifetime seconds\n"
	  " no description\n"
	  "crypto ipsec profile Q\n set transform-set A\n set pfs group2\n"
	  " no set transform-set\n no set pfs\n"
	  "crypto ipsec profile GONE\nno crypto ipsec profile GONE\n",
	  "crypto ipsec profile P\n"
	  " set security-association lifetime kilobytes disable\n"
	  " set security-association lifetime days 2\n"
	  " set transform-set A B C D E F\n"
	  " set pfs\n!\n"
	  "crypto ipsec profile Q\n!\n" },
	/* the global lifetime comes first; its default is not printed */
	{ "crypto ipsec transform-set T esp-aes esp-sha-hmac\n"
	  "crypto ipsec security-association lifetime seconds 7200\n",
	  "crypto ipsec security-association lifetime seconds 7200\n!\n"
	  "crypto ipsec transform-set T esp-aes esp-sha-hmac\n mode tunnel\n!\n" },
	{ "crypto ipsec security-association lifetime seconds 3600\n", "" },
	{ "crypto ipsec security-association lifetime seconds 7200\n"
	  "no crypto ipsec security-association lifetime seconds\n", "" },
};

static const struct run_case if_cases[] = {
	{ "interface eth0\n"
	  " crypto map CM\n"
	  " shutdown\n"
	  " ip tcp adjust-mss 1360\n"
	  " ip mtu 1400\n"
	  " ip address 198.51.100.1 255.255.255.0 secondary\n"
	  " ip address 192.0.2.11 255.255.255.0\n"
	  " description WAN uplink\n"
	  "interface lan0\n ip address 10.1.1.1 255.255.255.0\n",
	  "interface eth0\n"
	  " description WAN uplink\n"
	  " ip address 198.51.100.1 255.255.255.0 secondary\n"
	  " ip address 192.0.2.11 255.255.255.0\n"
	  " ip mtu 1400\n"
	  " ip tcp adjust-mss 1360\n"
	  " shutdown\n"
	  " crypto map CM\n"
	  "!\n"
	  "interface lan0\n ip address 10.1.1.1 255.255.255.0\n!\n" },
	/* abbreviations, replacing the primary, no forms */
	{ "int veth-wan\n"
	  " ip add 10.0.0.1 255.255.255.252\n"
	  " ip address 10.0.0.5 255.255.255.252\n"
	  " shut\n no shut\n"
	  " ip mtu 1500\n no ip mtu\n"
	  " ip tcp adjust-mss 1400\n no ip tcp adjust-mss\n"
	  " crypto map X\n no crypto map\n"
	  " description x\n no description\n",
	  "interface veth-wan\n ip address 10.0.0.5 255.255.255.252\n!\n" },
	/* no interface removes it; default interface resets it */
	{ "interface a0\n ip address 10.0.0.1 255.255.255.0\n"
	  "interface b0\n shutdown\n ip mtu 1400\n"
	  "interface c0\n"
	  "no interface a0\n"
	  "default interface b0\n"
	  "no interface zz9\n",
	  "interface b0\n!\ninterface c0\n!\n" },
	/* secondaries go one by one, `no ip address` takes them all */
	{ "interface e1\n ip address 10.0.0.1 255.255.255.0\n"
	  " ip address 10.0.1.1 255.255.255.0 secondary\n"
	  " ip address 10.0.2.1 255.255.255.0 secondary\n"
	  " no ip address 10.0.1.1 255.255.255.0 secondary\n"
	  "interface e2\n ip address 10.2.0.1 255.255.255.0\n"
	  " ip address 10.2.1.1 255.255.255.0 secondary\n no ip address\n"
	  "interface e3\n ip address 10.3.0.1 255.255.255.0\n"
	  " no ip address 10.3.0.1 255.255.255.0\n",
	  "interface e1\n ip address 10.0.2.1 255.255.255.0 secondary\n"
	  " ip address 10.0.0.1 255.255.255.0\n!\n"
	  "interface e2\n!\ninterface e3\n!\n" },
};

static const struct run_case cmap_cases[] = {
	{ "crypto gdoi group G\n"
	  "crypto map CM 10 gdoi\n"
	  " qos pre-classify\n"
	  " match address DENY-ACL\n"
	  " set group G\n"
	  " description GM map\n"
	  " set isakmp-profile PROF\n"
	  "crypto map CM 5 gdoi\n set group G\n",
	  "crypto map CM 5 gdoi\n set group G\n!\n"
	  "crypto map CM 10 gdoi\n"
	  " description GM map\n"
	  " set isakmp-profile PROF\n"
	  " set group G\n"
	  " match address DENY-ACL\n"
	  " qos pre-classify\n!\n" },
	{ "crypto gdoi group G\n"
	  "crypto map CM 10 gdoi\n set group G\n no set group\n"
	  " match address X\n no match address\n"
	  " qos pre-classify\n no qos pre-classify\n"
	  "crypto map CM gdoi fail-close\n match address FC-ACL\n activate\n"
	  "crypto map CM local-address eth0\n",
	  "crypto map CM local-address eth0\n!\n"
	  "crypto map CM gdoi fail-close\n match address FC-ACL\n activate\n!\n"
	  "crypto map CM 10 gdoi\n!\n" },
	/* entries and maps go when nothing applies them */
	{ "crypto map A 10 gdoi\ncrypto map A 20 gdoi\n"
	  "no crypto map A 10 gdoi\n"
	  "crypto map B 10 gdoi\ncrypto map B local-address lo\n"
	  "no crypto map B\n"
	  "crypto map C gdoi fail-close\n activate\n no activate\n"
	  "no crypto map C gdoi fail-close\n"
	  "no crypto map D 10 gdoi\n",
	  "crypto map A 20 gdoi\n!\n" },
	{ "crypto gdoi group ipv6 G6\ncrypto map ipv6 M6 10 gdoi\n set group G6\n",
	  "crypto map ipv6 M6 10 gdoi\n set group G6\n!\n" },
	/* the GM side of doc/ios-cli.md §7.4 */
	{ "crypto gdoi group GETVPN\n identity number 1000\n"
	  "crypto map GETVPN-MAP 10 gdoi\n set group GETVPN\n"
	  " match address GM-LOCAL-DENY\n"
	  "ip access-list extended GM-LOCAL-DENY\n"
	  " deny ip 10.1.1.0 0.0.0.255 10.255.0.0 0.0.255.255\n"
	  "interface eth0\n ip address 192.0.2.11 255.255.255.0\n"
	  " ip tcp adjust-mss 1360\n crypto map GETVPN-MAP\n",
	  "crypto map GETVPN-MAP 10 gdoi\n set group GETVPN\n"
	  " match address GM-LOCAL-DENY\n!\n"
	  "interface eth0\n ip address 192.0.2.11 255.255.255.0\n"
	  " ip tcp adjust-mss 1360\n crypto map GETVPN-MAP\n!\n"
	  "ip access-list extended GM-LOCAL-DENY\n"
	  " deny   ip 10.1.1.0 0.0.0.255 10.255.0.0 0.0.255.255\n!\n" },
};

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

START_TEST(acl_run) { check_run_case(&acl_cases[_i]); }
END_TEST
START_TEST(isakmp_run) { check_run_case(&isakmp_cases[_i]); }
END_TEST
START_TEST(ipsec_run) { check_run_case(&ipsec_cases[_i]); }
END_TEST
START_TEST(if_run) { check_run_case(&if_cases[_i]); }
END_TEST
START_TEST(cmap_run) { check_run_case(&cmap_cases[_i]); }
END_TEST

/*
 * Refused lines: the IOS error is printed and the running-config is the
 * same before and after.
 */
struct err_case {
	const char *setup;
	const char *line;
	const char *error;	/* text the output must contain */
};

#define BADINPUT "% Invalid input detected at '^' marker."
#define INCOMPLETE "% Incomplete command."

static const struct err_case err_cases[] = {
	/* ACLs */
	{ "ip access-list extended D\n 10 permit ip any any",
	  " 10 deny ip any any", "% Duplicate sequence number" },
	{ "", "ip access-list extended 50", "% Invalid access list name." },
	{ "", "ip access-list standard 150", "% Invalid access list name." },
	{ "", "ip access-list extended 1abc", "% Invalid access list name." },
	{ "ip access-list standard S",
	  "ip access-list extended S",
	  "% Access-list type conflicts with prior definition" },
	{ "ip access-list extended R",
	  " permit tcp any any range 2000 1000", "% Invalid port range" },
	{ "ip access-list extended R", " permit ip any any eq 80", BADINPUT },
	{ "ip access-list extended R", " permit tcp any any eq isakmp", BADINPUT },
	{ "ip access-list extended R", " permit udp any any eq www", BADINPUT },
	{ "ip access-list extended R", " permit tcp any any eq 65536", BADINPUT },
	{ "ip access-list extended R", " permit 256 any any", BADINPUT },
	{ "ip access-list extended R", " 0 permit ip any any", BADINPUT },
	{ "ip access-list extended R", " permit ip any", INCOMPLETE },
	{ "ip access-list extended R", " permit ip host any", BADINPUT },
	{ "ip access-list extended R", " permit ip 10.0.0.1 any", BADINPUT },
	{ "ip access-list standard T", " permit ip any", BADINPUT },
	{ "", "access-list 10 permit ip any any", BADINPUT },
	{ "", "access-list 100 permit 10.0.0.1", BADINPUT },
	{ "", "access-list 200 permit ip any any", BADINPUT },
	{ "access-list 10 permit any", "ip access-list extended 10",
	  "% Invalid access list name." },
	/* ISAKMP */
	{ "", "crypto isakmp policy 10001", BADINPUT },
	{ "", "crypto isakmp policy 0", BADINPUT },
	{ "crypto isakmp policy 10", " lifetime 59", BADINPUT },
	{ "crypto isakmp policy 10", " lifetime 86401", BADINPUT },
	{ "crypto isakmp policy 10", " group 3", BADINPUT },
	{ "crypto isakmp policy 10", " encryption aes 512", BADINPUT },
	{ "crypto isakmp policy 10", " hash sha1", BADINPUT },
	{ "crypto isakmp policy 10", " encryption", INCOMPLETE },
	{ "", "crypto isakmp key cisco", INCOMPLETE },
	{ "", "crypto isakmp key cisco address", INCOMPLETE },
	{ "", "crypto isakmp key cisco address 10.0.0.1 255.0.255.0", BADINPUT },
	{ "", "crypto isakmp key cisco address 10.0.0.256", BADINPUT },
	{ "", "crypto isakmp key "
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  " address 10.0.0.1", "% Key too long" },
	{ "", "crypto isakmp keepalive 9", BADINPUT },
	{ "", "crypto isakmp keepalive 10 61", BADINPUT },
	{ "", "crypto isakmp dh-reuse 0", BADINPUT },
	{ "", "crypto isakmp dh-reuse 61", BADINPUT },
	/* IPsec */
	{ "", "crypto ipsec transform-set BAD esp-gcm 256 esp-sha256-hmac",
	  "% Invalid transform proposal" },
	{ "crypto ipsec transform-set T esp-aes esp-sha-hmac",
	  "crypto ipsec transform-set T esp-gmac esp-md5-hmac",
	  "% Invalid transform proposal" },
	{ "", "crypto ipsec transform-set T", INCOMPLETE },
	{ "", "crypto ipsec transform-set T esp-aes 512", BADINPUT },
	{ "", "crypto ipsec transform-set T esp-aes esp-3des", BADINPUT },
	{ "crypto ipsec profile P",
	  " set security-association lifetime seconds 100", BADINPUT },
	{ "crypto ipsec profile P",
	  " set security-association lifetime kilobytes 2559", BADINPUT },
	{ "crypto ipsec profile P",
	  " set security-association lifetime days 31", BADINPUT },
	{ "crypto ipsec profile P", " set pfs group3", BADINPUT },
	{ "crypto ipsec profile P", " set transform-set A B C D E F G", BADINPUT },
	{ "", "crypto ipsec security-association lifetime seconds 119", BADINPUT },
	/* interfaces */
	{ "", "interface abcdefghijklmnop", "% Interface name too long" },
	{ "interface eth0", " ip address 10.0.0.0 255.255.255.0",
	  "% Bad mask /24 for address 10.0.0.0" },
	{ "interface eth0", " ip address 10.0.0.255 255.255.255.0",
	  "% Bad mask /24 for address 10.0.0.255" },
	{ "interface eth0", " ip address 10.0.0.1 255.0.255.0", BADINPUT },
	{ "interface eth0", " ip address 10.0.0.1", INCOMPLETE },
	{ "interface eth0", " ip tcp adjust-mss 1461", BADINPUT },
	{ "interface eth0", " ip tcp adjust-mss 499", BADINPUT },
	{ "interface eth0", " ip mtu 67", BADINPUT },
	{ "interface eth0\n ip address 10.0.0.1 255.255.255.0\n"
	  " ip address 10.0.1.1 255.255.255.0 secondary",
	  " no ip address 10.0.0.1 255.255.255.0",
	  "% Must delete secondary before deleting primary" },
	/* a pasted type 6 text no router prints: never used as it is */
	{ "", "crypto isakmp key 6 FHKfWVFRe]FIbPZbcMhGEJKcaAAB address 10.0.0.2",
	  "% Invalid type 6 key: not what a router prints" },
	{ "crypto isakmp key k address 10.0.0.2",
	  "crypto isakmp key 6 X address 10.0.0.2",
	  "% Invalid type 6 key: not what a router prints" },
	{ "key config-key password-encrypt Cisco123",
	  "crypto isakmp key 6 fe_a`iJYE\\DZYJhDhTP[`MYaTgRH_MAAC address 1.1.1.1",
	  "% Invalid type 6 key: not what a router prints" },
	{ "crypto keyring R", " pre-shared-key address 1.1.1.1 key 6 iiiAAAAAA"
	  "AAAAAAAAAAAAB", "% Invalid type 6 key: not what a router prints" },
	/* master keys: length, printable, not removed under type 6 keys */
	{ "", "key config-key password-encrypt short",
	  "% The master key must be 8 to 128 printable characters" },
	{ "", "key config-key password-encrypt", "% No terminal to ask the "
	  "master key at" },
	{ "key config-key password-encrypt Cisco123\npassword encryption aes\n"
	  "crypto isakmp key k address 10.0.0.2",
	  "no key config-key password-encrypt",
	  "% 1 pre-shared key is stored as type 6 under the master key" },
	/* crypto maps */
	{ "crypto map M 10 gdoi", " set group NOPE",
	  "% group NOPE doesn't yet exist." },
	{ "crypto map M 10 gdoi\ninterface eth0\n crypto map M\n"
	  "interface eth1\n crypto map M",
	  "no crypto map M 10 gdoi",
	  "% Crypto-map M is in use by interface(s): eth0, eth1" },
	{ "crypto map M 10 gdoi\ninterface eth0\n crypto map M\nexit",
	  "no crypto map M", "% Crypto-map M is in use by interface(s): eth0" },
	{ "crypto gdoi group ipv6 G6\ncrypto map M 10 gdoi", " set group G6",
	  "% Group G6 is an IPv6 group and Crypto map is for IPv4." },
	{ "crypto gdoi group G4\ncrypto map ipv6 M 10 gdoi", " set group G4",
	  "% Group G4 is an IPv4 group and Crypto map is for IPv6." },
	{ "crypto map M 10 gdoi", "crypto map ipv6 M 20 gdoi",
	  "% Crypto map M is an IPv4 crypto map." },
	{ "", "crypto map M 0 gdoi", BADINPUT },
	{ "", "crypto map M 65536 gdoi", BADINPUT },
	{ "", "crypto map M 10", INCOMPLETE },
	{ "", "crypto map M 10 ipsec-isakmp", BADINPUT },
};

START_TEST(err_run)
{
	const struct err_case *c = &err_cases[_i];
	struct tl *t = tl_new();
	char *before, *after;

	lines_ok(t, c->setup);
	before = tl_show_run(t);
	ck_assert_msg(tl_line(t, c->line) == -1, "accepted \"%s\"", c->line);
	ck_assert_msg(strstr(tl_out(t), c->error) != NULL,
		      "\"%s\" printed:\n%s\nwanted: %s", c->line, tl_out(t),
		      c->error);
	after = tl_show_run(t);
	ck_assert_msg(strcmp(before, after) == 0, "\"%s\" changed the config:\n"
		      "%s\n->\n%s", c->line, before, after);
	free(before);
	free(after);
	tl_free(t);
}
END_TEST

/* Removing what is not configured is silent and changes nothing. */
static const char *const silent_lines[] = {
	"no crypto isakmp policy 99",
	"no crypto isakmp key k address 1.1.1.1",
	"no crypto isakmp key k hostname h.example",
	"no crypto isakmp keepalive",
	"no crypto ipsec transform-set NOPE",
	"no crypto ipsec profile NOPE",
	"no crypto ipsec security-association lifetime seconds",
	"no ip access-list extended NOPE",
	"no ip access-list standard NOPE",
	"no access-list 55",
	"no access-list 155 permit ip any any",
	"no interface nope0",
	"no crypto map NOPE 10 gdoi",
	"no crypto map NOPE",
	"no crypto map NOPE gdoi fail-close",
	"no crypto map NOPE local-address",
};

START_TEST(silent_run)
{
	struct tl *t = tl_new();
	char *before = tl_show_run(t), *after;

	ck_assert_int_eq(tl_line(t, silent_lines[_i]), 0);
	ck_assert_str_eq(tl_out(t), "");
	after = tl_show_run(t);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	tl_free(t);
}
END_TEST

/*
 * The lookups the engines use.
 */
static uint32_t
ip(const char *s)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

START_TEST(acl_lookup)
{
	struct tl *t = tl_new();
	const struct conf_acl *acl;
	const struct conf_acl_entry *e;

	lines_ok(t, "access-list 101 permit tcp 10.1.1.9 0.0.0.255 host 10.2.2.2 "
		 "range 1000 2000 log\n"
		 "access-list 101 deny udp any eq isakmp any\n"
		 "ip access-list extended 101\n 15 permit esp any any\n"
		 "ip access-list standard GMS\n permit 10.9.9.9\n");
	acl = conf_acl_find(tl_conf(t)->acls, "101");
	ck_assert_ptr_nonnull(acl);
	ck_assert(acl->numbered);
	ck_assert_int_eq(acl->type, CONF_ACL_EXTENDED);
	ck_assert_uint_eq(acl->count, 3);
	e = acl->head;
	ck_assert_uint_eq(e->seq, 10);
	ck_assert_int_eq(e->action, CONF_ACL_PERMIT);
	ck_assert_uint_eq(e->proto, 6);
	ck_assert_uint_eq(e->src.addr, ip("10.1.1.0"));
	ck_assert_uint_eq(e->src.wild, ip("0.0.0.255"));
	ck_assert_uint_eq(e->dst.addr, ip("10.2.2.2"));
	ck_assert_uint_eq(e->dst.wild, 0);
	ck_assert_int_eq(e->sport.op, CONF_ACL_PORT_ANY);
	ck_assert_int_eq(e->dport.op, CONF_ACL_PORT_RANGE);
	ck_assert_uint_eq(e->dport.lo, 1000);
	ck_assert_uint_eq(e->dport.hi, 2000);
	ck_assert(e->log);
	e = e->next;
	ck_assert_uint_eq(e->seq, 15);
	ck_assert_uint_eq(e->proto, 50);
	e = e->next;
	ck_assert_uint_eq(e->seq, 20);
	ck_assert_int_eq(e->action, CONF_ACL_DENY);
	ck_assert_int_eq(e->sport.op, CONF_ACL_PORT_EQ);
	ck_assert_uint_eq(e->sport.lo, 500);
	ck_assert_uint_eq(e->dst.wild, 0xffffffffu);
	ck_assert_ptr_null(e->next);
	acl = conf_acl_find(tl_conf(t)->acls, "GMS");
	ck_assert_ptr_nonnull(acl);
	ck_assert_int_eq(acl->type, CONF_ACL_STANDARD);
	ck_assert_uint_eq(acl->head->src.addr, ip("10.9.9.9"));
	ck_assert_uint_eq(acl->head->src.wild, 0);
	ck_assert_ptr_null(conf_acl_find(tl_conf(t)->acls, "gms"));
	tl_free(t);
}
END_TEST

START_TEST(isakmp_lookup)
{
	struct tl *t = tl_new();
	const struct conf_isakmp *isk;
	const struct conf_isakmp_policy *p;
	const struct conf_isakmp_key *k;

	lines_ok(t, "crypto isakmp policy 30\ncrypto isakmp policy 10\n"
		 " encr aes 256\n authentication pre-share\n group 19\n"
		 "crypto isakmp policy 20\n"
		 "crypto isakmp key w address 0.0.0.0 0.0.0.0\n"
		 "crypto isakmp key n16 address 10.1.0.0 255.255.0.0\n"
		 "crypto isakmp key n24 address 10.1.1.0 255.255.255.0\n"
		 "crypto isakmp key h address 10.1.1.5\n"
		 "crypto isakmp key byname hostname ks.example.com\n");
	isk = tl_conf(t)->isakmp;
	p = conf_isakmp_policy_first(isk);
	ck_assert_uint_eq(p->prio, 10);
	ck_assert_int_eq(p->encr, CONF_ISAKMP_ENCR_AES);
	ck_assert_uint_eq(p->encr_bits, 256);
	ck_assert_int_eq(p->auth, CONF_ISAKMP_AUTH_PRE_SHARE);
	ck_assert_uint_eq(p->group, 19);
	ck_assert_uint_eq(p->lifetime, CONF_ISAKMP_DEF_LIFETIME);
	ck_assert_uint_eq(p->next->prio, 20);
	ck_assert_uint_eq(p->next->next->prio, 30);
	ck_assert_ptr_null(p->next->next->next);
	ck_assert_ptr_eq(conf_isakmp_policy_find(isk, 20), p->next);
	ck_assert_ptr_null(conf_isakmp_policy_find(isk, 25));
	/* longest mask wins; 0.0.0.0/0 catches the rest */
	ck_assert_str_eq(conf_isakmp_key_for_peer(isk, ip("10.1.1.5"))->secret, "h");
	ck_assert_str_eq(conf_isakmp_key_for_peer(isk, ip("10.1.1.6"))->secret, "n24");
	ck_assert_str_eq(conf_isakmp_key_for_peer(isk, ip("10.1.2.1"))->secret, "n16");
	ck_assert_str_eq(conf_isakmp_key_for_peer(isk, ip("192.0.2.1"))->secret, "w");
	k = conf_isakmp_key_for_host(isk, "ks.example.com");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->secret, "byname");
	ck_assert_ptr_null(conf_isakmp_key_for_host(isk, "other.example.com"));
	lines_ok(t, "no crypto isakmp key w address 0.0.0.0\n"
		 "no crypto isakmp key x address 10.1.1.5\n");
	ck_assert_ptr_null(conf_isakmp_key_for_peer(isk, ip("192.0.2.1")));
	ck_assert_str_eq(conf_isakmp_key_for_peer(isk, ip("10.1.1.5"))->secret, "n24");
	tl_free(t);
}
END_TEST

START_TEST(ipsec_lookup)
{
	struct tl *t = tl_new();
	const struct conf_ipsec *ipsec;
	const struct conf_ipsec_ts *ts;
	const struct conf_ipsec_profile *p;

	lines_ok(t, "crypto ipsec transform-set GCM esp-gcm 256\n"
		 "crypto ipsec profile A\n set transform-set GCM\n"
		 " set security-association lifetime seconds 900\n"
		 "crypto ipsec profile B\n set transform-set GCM MISSING\n");
	ipsec = tl_conf(t)->ipsec;
	ts = conf_ipsec_ts_find(ipsec, "GCM");
	ck_assert_ptr_nonnull(ts);
	ck_assert_int_eq(ts->esp_enc, CONF_IPSEC_ENC_GCM);
	ck_assert_uint_eq(ts->esp_bits, 256);
	ck_assert_int_eq(ts->esp_auth, CONF_IPSEC_AUTH_NONE);
	ck_assert_int_eq(ts->mode, CONF_IPSEC_MODE_TUNNEL);
	p = conf_ipsec_profile_find(ipsec, "A");
	ck_assert_uint_eq(conf_ipsec_profile_lifetime(ipsec, p), 900);
	p = conf_ipsec_profile_find(ipsec, "B");
	ck_assert_uint_eq(p->n_tsets, 2);
	ck_assert_str_eq(p->tsets[1], "MISSING");
	ck_assert_uint_eq(conf_ipsec_profile_lifetime(ipsec, p), 3600);
	lines_ok(t, "crypto ipsec security-association lifetime seconds 1800\n");
	ck_assert_uint_eq(conf_ipsec_profile_lifetime(ipsec, p), 1800);
	ck_assert_ptr_null(conf_ipsec_profile_find(ipsec, "C"));
	tl_free(t);
}
END_TEST

START_TEST(if_cmap_lookup)
{
	struct tl *t = tl_new();
	const struct conf_if *ifp;
	const struct conf_cmap *m;
	const struct conf_cmap_entry *e;
	char buf[64];

	lines_ok(t, "crypto gdoi group G\n"
		 "interface wan0\n ip address 192.0.2.1 255.255.255.0\n"
		 " crypto map CM\n"
		 "interface lan0\n"
		 "crypto map CM 20 gdoi\ncrypto map CM 10 gdoi\n set group G\n"
		 " match address LOCAL\n");
	ifp = conf_if_first(tl_conf(t)->ifs);
	ck_assert_str_eq(ifp->name, "wan0");
	ck_assert_str_eq(ifp->next->name, "lan0");
	ck_assert_ptr_eq(conf_if_find(tl_conf(t)->ifs, "lan0"), ifp->next);
	ck_assert_uint_eq(ifp->addr.addr, ip("192.0.2.1"));
	ck_assert_uint_eq(ifp->addr.mask, ip("255.255.255.0"));
	ck_assert_str_eq(ifp->cmap, "CM");
	ck_assert_uint_eq(conf_ifs_using_cmap(tl_conf(t)->ifs, "CM", buf,
					      sizeof(buf)), 1);
	ck_assert_str_eq(buf, "wan0");
	m = conf_cmap_find(tl_conf(t)->cmaps, "CM");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_eq(conf_cmap_first(tl_conf(t)->cmaps), m);
	ck_assert_uint_eq(m->n_entries, 2);
	ck_assert_uint_eq(m->head->seq, 10);
	e = conf_cmap_entry_find(m, 10);
	ck_assert_ptr_eq(e, m->head);
	ck_assert_str_eq(e->group, "G");
	ck_assert_str_eq(e->acl, "LOCAL");
	ck_assert_ptr_eq(e->map, m);
	ck_assert_str_eq(m->tail->group, "");
	ck_assert_ptr_null(conf_cmap_entry_find(m, 15));
	tl_free(t);
}
END_TEST

/* A new map entry typed by a user says it is disabled until a group is set. */
START_TEST(cmap_note)
{
	struct tl *t = tl_new();

	ck_assert_int_eq(tl_line(t, "crypto map CM 10 gdoi"), 0);
	ck_assert_str_eq(tl_out(t), "% NOTE: This new crypto map will remain "
			 "disabled until a valid\n\tgroup has been configured.\n");
	ck_assert_str_eq(tl_prompt(t), "Router(config-crypto-map)#");
	ck_assert_int_eq(tl_line(t, "crypto map CM 10 gdoi"), 0);
	ck_assert_str_eq(tl_out(t), "");
	ck_assert_int_eq(tl_line(t, "crypto map CM gdoi fail-close"), 0);
	ck_assert_str_eq(tl_prompt(t), "Router(crypto-map-fail-close)#");
	tl_free(t);
}
END_TEST

/* 10,000 entries appended keep their order and sequence numbers (the
 * cost per line is measured by make bench, not here). */
START_TEST(acl_big)
{
	struct tl *t = tl_new();
	const struct conf_acl *acl;
	char line[96];

	ck_assert_int_eq(tl_line(t, "ip access-list extended BIG"), 0);
	for (int i = 0; i < 10000; i++) {
		snprintf(line, sizeof(line), " permit udp host 10.%d.%d.1 any eq %d",
			 i / 256, i % 256, 1000 + i);
		ck_assert_int_eq(tl_line(t, line), 0);
	}
	acl = conf_acl_find(tl_conf(t)->acls, "BIG");
	ck_assert_uint_eq(acl->count, 10000);
	ck_assert_uint_eq(acl->head->seq, 10);
	ck_assert_uint_eq(acl->tail->seq, 100000);
	ck_assert_uint_eq(acl->tail->dport.lo, 10999);
	/* an explicit number still lands in order */
	ck_assert_int_eq(tl_line(t, " 55 deny ip any any"), 0);
	ck_assert_uint_eq(acl->head->next->next->next->next->next->seq, 55);
	ck_assert_int_eq(tl_line(t, " 100000 deny ip any any"), -1);
	tl_free(t);
}
END_TEST

/*
 * doc/ios-cli.md §7.2 (S8): the policy ACL pasted flat, as stored there.  It
 * is already written the way IOS prints it (§2.5: `deny` padded, port
 * names, 22/443/848 numeric), so the NVGEN is each line indented by one.
 */
static const char *const s8_acl[] = {
	"deny   esp any any",
	"deny   tcp any any eq tacacs",
	"deny   tcp any eq tacacs any",
	"deny   tcp any any eq 22",
	"deny   tcp any eq 22 any",
	"deny   tcp any any eq bgp",
	"deny   tcp any eq bgp any",
	"deny   tcp any eq 443 any",
	"deny   tcp any any eq 443",
	"deny   udp any eq isakmp any eq isakmp",
	"deny   udp any eq 848 any eq 848",
	"deny   udp any any eq ntp",
	"deny   udp any eq ntp any",
	"deny   udp any any eq snmp",
	"deny   udp any eq snmp any",
	"deny   udp any any eq syslog",
	"deny   udp any eq syslog any",
	"permit ip any any",
};

START_TEST(s8_paste_nvgen)
{
	struct tl *t = tl_new();
	char paste[2048] = "ip access-list extended GETVPN-POLICY-ACL\n";
	char want[2048] = RUN_HEAD "ip access-list extended GETVPN-POLICY-ACL\n";
	char *run;

	for (int i = 0; i < NCASES(s8_acl); i++) {
		strcat(strcat(paste, s8_acl[i]), "\n");
		strcat(strcat(strcat(want, " "), s8_acl[i]), "\n");
	}
	strcat(paste, "!\naccess-list 52 permit 192.0.2.21\n"
	       "access-list 52 permit 192.0.2.22\n!\n");
	strcat(want, "!\naccess-list 52 permit 192.0.2.21\n"
	       "access-list 52 permit 192.0.2.22\n!\n" RUN_TAIL);
	ck_assert_int_eq(tl_lines(t, paste), 0);
	run = tl_show_run(t);
	ck_assert_str_eq(run, want);
	free(run);
	tl_free(t);
}
END_TEST

/* load -> show -> load -> show is byte-identical (doc/design.md §4). */
START_TEST(round_trip)
{
	struct tl *t = tl_new(), *t2 = tl_new();
	char *run, *run2;

	for (int i = 0; i < NCASES(acl_cases); i++)
		lines_ok(t, acl_cases[i].lines);
	lines_ok(t, isakmp_cases[2].lines);
	lines_ok(t, isakmp_cases[4].lines);
	lines_ok(t, isakmp_cases[5].lines);
	lines_ok(t, ipsec_cases[0].lines);
	lines_ok(t, ipsec_cases[3].lines);
	lines_ok(t, if_cases[0].lines);
	lines_ok(t, cmap_cases[0].lines);
	lines_ok(t, cmap_cases[1].lines);
	run = tl_show_run(t);
	ck_assert_int_eq(tl_lines(t2, run), 0);
	run2 = tl_show_run(t2);
	ck_assert_str_eq(run, run2);
	free(run);
	free(run2);
	tl_free(t);
	tl_free(t2);
}
END_TEST

/* `?` lists each protocol's own port names (doc/ios-cli.md §2.5). */
START_TEST(help_lists)
{
	struct tl *t = tl_new();
	const char *h;

	h = tl_help(t, "crypto isakmp ");
	ck_assert_ptr_nonnull(strstr(h, "  policy             Set policy for an "
				     "ISAKMP protection suite\n"));
	ck_assert_int_eq(tl_line(t, "ip access-list extended X"), 0);
	h = tl_help(t, "permit udp any eq ");
	ck_assert_ptr_nonnull(strstr(h, "isakmp"));
	ck_assert_ptr_null(strstr(h, "www"));
	h = tl_help(t, "permit tcp any eq ");
	ck_assert_ptr_nonnull(strstr(h, "www"));
	ck_assert_ptr_null(strstr(h, "isakmp"));
	h = tl_help(t, "permit ip any any ");
	ck_assert_ptr_null(strstr(h, "eq"));
	ck_assert_ptr_nonnull(strstr(h, "log"));
	tl_free(t);
}
END_TEST

Suite *
suite_conf_net(void);

Suite *
suite_conf_net(void)
{
	Suite *s = suite_create("conf_net");
	TCase *tc;

	tc = tcase_create("nvgen");
	tcase_add_loop_test(tc, acl_run, 0, NCASES(acl_cases));
	tcase_add_loop_test(tc, isakmp_run, 0, NCASES(isakmp_cases));
	tcase_add_loop_test(tc, ipsec_run, 0, NCASES(ipsec_cases));
	tcase_add_loop_test(tc, if_run, 0, NCASES(if_cases));
	tcase_add_loop_test(tc, cmap_run, 0, NCASES(cmap_cases));
	tcase_add_test(tc, s8_paste_nvgen);
	tcase_add_test(tc, round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_add_loop_test(tc, err_run, 0, NCASES(err_cases));
	tcase_add_loop_test(tc, silent_run, 0, NCASES(silent_lines));
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup");
	tcase_add_test(tc, acl_lookup);
	tcase_add_test(tc, isakmp_lookup);
	tcase_add_test(tc, ipsec_lookup);
	tcase_add_test(tc, if_cmap_lookup);
	tcase_add_test(tc, cmap_note);
	tcase_add_test(tc, help_lists);
	suite_add_tcase(s, tc);

	tc = tcase_create("scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, acl_big);
	suite_add_tcase(s, tc);
	return s;
}
