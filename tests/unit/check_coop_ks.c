/*
 * COOP in the daemon: two key servers in one process (127.0.0.1 and
 * 127.0.0.2, real UDP on one port, virtual clock), configured by CLI
 * lines with `redundancy`, sharing one rekey key pair.  They bring up a
 * Main Mode SA (`show crypto isakmp sa`: QM_IDLE) and run COOP under it,
 * elect the higher priority, `show crypto gdoi ks coop` and `show crypto
 * gdoi` agree on it, the secondary hands out the primary's KEK and TEKs
 * and, when the primary goes away, takes over with the same keys and SEQ
 * moved on.  Refused, counted and logged with no state change: a key
 * server that is not a configured peer (under an SA of its own), COOP
 * outside an SA, under an SA with a bad hash, a replay; two key servers
 * with different pre-shared keys run no COOP and each is primary.  A
 * restarted peer and SA lifetimes that run out lead to a fresh SA.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "gdoi/rsakey.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"
#include "platform/udp.h"
#include "roles/ike.h"
#include "roles/keystore.h"
#include "roles/ks.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "pki_fixtures.h"
#include "sim_gm.h"

static struct evloop *loop;
static struct net_node ks[3], gmn;
static struct sim_gm sim;
static uint16_t port;
static struct term *out;
/* With a directory here, each key server keeps its keys and state in
 * it (getvpn -k, -s) across ks_up / net_node_down. */
static char state_base[64];
/* Lines before base, or "". */
static const char *ks_extra = "";

static const char policy[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" group 19\n authentication pre-share\n";
static const char base[] =
	"crypto ipsec transform-set TS esp-gcm 256\n"
	"crypto ipsec profile PROF\n set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey algorithm aes 256\n"
	"  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n";


/* Trustpoint LAB on KS i with a certificate of ca (files in its key
 * directory), rsa-sig and identity dn: the lines into cfg. */
static void
ks_pki(int i, const struct pkif_ca *ca, char *cfg, size_t len)
{
	char dir[96], cn[8];

	snprintf(dir, sizeof(dir), "%s/src", ks[i].keydir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(cn, sizeof(cn), "KS%d", i + 1);
	pkif_issue_files(ca, dir, "lab", cn, NULL);
	snprintf(cfg, len, "crypto pki trustpoint LAB\n enrollment terminal "
		 "pem\n revocation-check none\n rsakeypair %s-KEY\n"
		 "crypto pki import LAB pem file %s/lab-ca.pem %s/lab-cert.pem "
		 "%s/lab-key.pem\n%s authentication rsa-sig\n"
		 "crypto isakmp identity dn\n", cn, dir, dir, dir, policy);
}

/* KS i at 127.0.0.(i+1) with priority prio and peers "a b", its ISAKMP
 * pre-shared key psk, or (psk NULL) a certificate of ca and rsa-sig.
 * With state_base, started as the daemon starts: the whole config
 * replayed as a startup-config, keys and state kept in state_base. */
static void
ks_up_auth(int i, unsigned prio, const char *peers, const char *pem,
	   const char *psk, const struct pkif_ca *ca)
{
	char lines[4096], auth[1024], kd[96], sd[96], err[160];
	int n;

	snprintf(kd, sizeof(kd), "%s/keys%d", state_base, i);
	snprintf(sd, sizeof(sd), "%s/state%d", state_base, i);
	if (state_base[0] != '\0') {
		mkdir(kd, 0700);	/* or kept from the last start */
		net_node_up_in(&ks[i], loop, port, kd, sd);
	} else {
		net_node_up(&ks[i], loop, port, "getvpn-coop");
	}
	ck_assert_int_eq(keystore_import(ks[i].env.keys, "REKEY", pem,
					 strlen(pem), err, sizeof(err)), 0);
	if (psk != NULL)
		snprintf(auth, sizeof(auth), "%scrypto isakmp key %s address "
			 "0.0.0.0 0.0.0.0\n", policy, psk);
	else
		ks_pki(i, ca, auth, sizeof(auth));
	n = snprintf(lines, sizeof(lines), "%s%s%s  address ipv4 127.0.0.%d\n"
		     "  redundancy\n   local priority %u\n", ks_extra, auth,
		     base, i + 1, prio);
	for (const char *p = peers; *p; p++)
		if (*p != ' ')
			n += snprintf(lines + n, sizeof(lines) - (size_t)n,
				      "   peer address ipv4 127.0.0.%c\n", *p);
	if (state_base[0] == '\0') {
		net_node_lines(&ks[i], lines);
		return;
	}
	{
		struct term *e = term_new_mem();

		ck_assert_msg(cli_replay_text(&ks[i].env, "startup-config",
					      lines, strlen(lines), e) == 0,
			      "%s", term_mem_data(e, NULL));
		term_free(e);
	}
}

static void
ks_up(int i, unsigned prio, const char *peers, const char *pem)
{
	ks_up_auth(i, prio, peers, pem, "lab-psk", NULL);
}

static void
ks_up_psk(int i, unsigned prio, const char *peers, const char *pem,
	  const char *psk)
{
	ks_up_auth(i, prio, peers, pem, psk, NULL);
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
	if (state_base[0] != '\0') {
		char cmd[96];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state_base);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", state_base);
		state_base[0] = '\0';
	}
	ks_extra = "";
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

/* Rows of `show crypto isakmp sa` on KS i naming peer in state. */
static int
sa_rows(int i, const char *peer, const char *state)
{
	const char *s = show(i, "do show crypto isakmp sa");
	int n = 0;

	for (const char *l = s; l != NULL && *l; l = strchr(l, '\n')) {
		const char *e;
		char line[256];
		size_t len;

		l += *l == '\n';
		e = strchr(l, '\n');
		len = e ? (size_t)(e - l) : strlen(l);
		if (len >= sizeof(line))
			continue;
		memcpy(line, l, len);
		line[len] = '\0';
		n += strstr(line, peer) != NULL && strstr(line, state) != NULL;
	}
	return n;
}

/* A counter of the "Dropped under ISAKMP" line of KS i (name: "no SA",
 * "bad hash", "malformed", "unconfigured peer"), or -1. */
static long
ike_drops(int i, const char *name)
{
	const char *s = strstr(show(i, "do show crypto gdoi ks coop detail"),
			       "Dropped under ISAKMP");
	char key[64];

	snprintf(key, sizeof(key), "%s: ", name);
	if (s == NULL || (s = strstr(s, key)) == NULL)
		return -1;
	return strtol(s + strlen(key), NULL, 10);
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
	ck_assert_ptr_null(strstr(show(0, "do show crypto gdoi ks coop"),
				  "*NO* redundancy"));
	/* under a Main Mode SA, which both list as IOS does (QM_IDLE); both
	 * usually start one at once (their first ANN): one SA is left */
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop"),
				     "IKE status: Established"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi ks coop"),
				     "IKE status: Established"));
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 1);
	ck_assert_int_eq(sa_rows(1, "127.0.0.1", "QM_IDLE"), 1);
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP_KS_IKE_UP: ISAKMP SA "
				     "with Cooperative KS 127.0.0.2 from "
				     "127.0.0.1 is up"));
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
	return ike_drops(0, "unconfigured peer") > 0;
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
	/* it gets an ISAKMP SA (any address may, as a member would) but
	 * its COOP under it is refused */
	ck_assert(net_run_until(loop, unconf_counted, 30000));
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP_KS_IKE_DROP: COOP "
				     "message from 127.0.0.3 to 127.0.0.1 "
				     "dropped: its ISAKMP SA is not a "
				     "configured COOP peer's"));
	ck_assert(net_run_until(loop, alone_primary, 30000));
}
END_TEST

static bool
ks1_secondary_same_keys(void)
{
	return role_is(1, "Secondary") && role_is(0, "Primary") && same_keys();
}

/* The "Seq num" of KS i's KEK. */
static unsigned long
seq_of(int i)
{
	const char *s = strstr(show(i, "do show crypto gdoi ks policy"),
			       "Seq num : ");

	ck_assert_ptr_nonnull(s);
	return strtoul(s + 10, NULL, 10);
}

/* Rekeys KS i sent since it started. */
static unsigned long
rekeys_of(int i)
{
	struct ks_stats st;

	ck_assert_int_eq(ks_stats(router_ks(ks[i].env.router), "G", &st), 0);
	return st.rekeys_sent;
}

/*
 * COOP with key state kept (-s): a member registers with the primary
 * (KS 2), which is killed; the secondary (KS 1) takes over and rekeys
 * (TEKs of 600 s: a rekey at 480 s).  KS 2 started again from its state
 * directory after its own rekey time sends no rekey of its saved keys,
 * comes back as secondary (no pre-emption) with KS 1's keys, not its
 * own, and KS 1 keeps them and its SEQ.  The secondary restarted from
 * its state directory likewise.
 */
START_TEST(test_restart_with_state)
{
	char primary[1024], mine[1024];
	unsigned long seq;

	snprintf(state_base, sizeof(state_base), "/tmp/getvpn-coopst-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(state_base));
	ks_extra = "crypto ipsec profile PROF\n"
		   " set security-association lifetime seconds 600\n";
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert(net_run_until(loop, same_keys, 5000));
	gm_node_up();
	ck_assert(sim_gm_register(&sim, loop, &gmn.env, port,
				  htonl(0x7f000005), htonl(0x7f000002), 1000));
	net_node_down(&ks[1]);
	ck_assert(net_run_until(loop, taken_over, 60000));
	net_run_until(loop, never, 520000 - 60000);	/* past 480 s */
	ck_assert_uint_ge(rekeys_of(0), 1);
	ck_assert_uint_ge(sim.pushes, 1);
	spis(0, primary, sizeof(primary));
	seq = seq_of(0);
	sim.refused = sim.pushes = 0;
	ks_up(1, 200, "1", pem);
	spis(1, mine, sizeof(mine));
	ck_assert_str_ne(mine, primary);	/* its saved keys */
	ck_assert_ptr_nonnull(strstr(net_log(), "key state restored"));
	ck_assert(net_run_until(loop, ks1_secondary_same_keys, 30000));
	ck_assert_msg(rekeys_of(1) == 0, "%s", net_log());
	spis(0, mine, sizeof(mine));
	ck_assert_str_eq(mine, primary);
	ck_assert_uint_ge(seq_of(0), seq);
	ck_assert_uint_eq(seq_of(1), seq_of(0));
	/* the secondary, restarted from its directory, likewise */
	net_node_down(&ks[1]);
	net_run_until(loop, never, 2000);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, ks1_secondary_same_keys, 30000));
	ck_assert_msg(rekeys_of(1) == 0, "%s", net_log());
	spis(0, mine, sizeof(mine));
	ck_assert_str_eq(mine, primary);
	ck_assert_uint_eq(seq_of(1), seq_of(0));
	/* nothing reached the member from the restarted key server */
	ck_assert_uint_eq(sim.refused + sim.pushes, 0);
}
END_TEST

/* ---- bad input under ISAKMP ---- */

/* The first datagram of exchange exch (240: COOP; 2: a Main Mode
 * message 1, CKY-R zero) from src in a capture written by ike_capture
 * (DLT_RAW: IPv4 and UDP headers first), into buf. */
static size_t
captured(const char *path, const char *src, unsigned exch, uint8_t *buf,
	 size_t cap)
{
	static const uint8_t zero[8];
	FILE *f = fopen(path, "rb");
	uint8_t rec[16], pkt[4096];
	struct in_addr want;
	size_t got = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(inet_pton(AF_INET, src, &want), 1);
	ck_assert_int_eq(fseek(f, 24, SEEK_SET), 0);
	while (got == 0 && fread(rec, sizeof(rec), 1, f) == 1) {
		uint32_t n;

		memcpy(&n, rec + 8, 4);
		ck_assert_uint_le(n, sizeof(pkt));
		ck_assert_uint_eq(fread(pkt, n, 1, f), 1);
		if (n > 28 + 28 && pkt[28 + 18] == exch &&
		    (exch != 2 || memcmp(pkt + 28 + 8, zero, 8) == 0) &&
		    memcmp(pkt + 12, &want, 4) == 0 && n - 28 <= cap) {
			got = n - 28;
			memcpy(buf, pkt + 28, got);
		}
	}
	fclose(f);
	return got;
}

/* Send p to KS 0's GDOI port from addr (any port). */
static void
send_from(const char *addr, const uint8_t *p, size_t len)
{
	struct in_addr a;
	struct udp_peer to = { .addr = htonl(0x7f000001), .port = port };
	struct udp_sock *u;
	char err[128];

	ck_assert_int_eq(inet_pton(AF_INET, addr, &a), 1);
	u = udp_open(a.s_addr, 0, err, sizeof(err));
	ck_assert_msg(u != NULL, "%s", err);
	ck_assert_int_eq(udp_send(u, p, len, &to), 0);
	udp_close(u);
}

static long want_drops;
static const char *want_name;

static bool
drops_reached(void)
{
	return ike_drops(0, want_name) >= want_drops;
}

static bool
replay_counted(void)
{
	return strstr(show(0, "do show crypto gdoi ks coop detail"),
		      "replayed counter: 0") == NULL;
}

/* Expect the named ISAKMP drop counter of KS 0 to reach one more. */
static void
expect_drop(const char *name)
{
	want_name = name;
	want_drops = ike_drops(0, name) + 1;
	ck_assert_msg(net_run_until(loop, drops_reached, 5000), "%s: %ld",
		      name, ike_drops(0, name));
}

START_TEST(test_bad_input_isakmp)
{
	char cap[64];
	uint8_t d[4096], junk[64];
	size_t len;

	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	snprintf(cap, sizeof(cap), "/tmp/getvpn-coop-%d.pcap", (int)getpid());
	ck_assert_int_eq(ike_capture(router_ike(ks[1].env.router), cap), 0);
	net_run_until(loop, never, 25000);	/* an ANN or two */
	ike_capture(router_ike(ks[1].env.router), NULL);
	len = captured(cap, "127.0.0.2", 240, d, sizeof(d));
	unlink(cap);
	ck_assert_uint_gt(len, 100);
	net_log_reset();
	/* outside any SA: cookies nobody negotiated, from anyone; from the
	 * peer itself while its SA is up: no second Main Mode either */
	memset(junk, 0x5a, sizeof(junk));
	memcpy(junk + 16, d + 16, 12);		/* next, version, 240, E, M-ID */
	junk[27] = sizeof(junk);
	junk[26] = junk[25] = junk[24] = 0;
	send_from("127.0.0.3", junk, sizeof(junk));
	expect_drop("no SA");
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP_KS_IKE_DROP: COOP message"
				     " from 127.0.0.3 to 127.0.0.1 dropped: no "
				     "ISAKMP SA under its cookies"));
	send_from("127.0.0.2", junk, sizeof(junk));
	expect_drop("no SA");
	/* under the SA, one bit flipped in the ciphertext of SIG */
	d[len - 40] ^= 0x01;
	send_from("127.0.0.2", d, len);
	expect_drop("bad hash");
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP_KS_IKE_DROP: COOP message"
				     " from 127.0.0.2 to 127.0.0.1 dropped: bad "
				     "hash"));
	/* the genuine datagram again: a replay the engine drops */
	d[len - 40] ^= 0x01;
	send_from("127.0.0.2", d, len);
	ck_assert(net_run_until(loop, replay_counted, 5000));
	/* nothing changed: the same roles, one SA, COOP still runs */
	ck_assert(elected());
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 1);
	ck_assert_int_eq(sa_rows(1, "127.0.0.1", "QM_IDLE"), 1);
	ck_assert_int_eq(ike_drops(0, "malformed"), 0);
	ck_assert(net_run_until(loop, same_keys, 5000));
}
END_TEST

static bool
mismatch_logged(void)
{
	return strstr(net_log(), "(pre-shared key or certificate "
		      "mismatch?)") != NULL;
}

/* Different pre-shared keys: no SA, so no COOP; each is primary alone
 * and the log says why. */
START_TEST(test_psk_mismatch)
{
	ks_up_psk(0, 100, "2", pem, "lab-psk");
	ks_up_psk(1, 200, "1", pem, "another-psk");
	ck_assert(net_run_until(loop, both_primary, 30000));
	if (!net_run_until(loop, mismatch_logged, 90000))
		fprintf(stderr, "%s", net_log());
	ck_assert(mismatch_logged());
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP_KS_IKE_FAIL: No ISAKMP SA "
				     "with Cooperative KS 127.0.0."));
	ck_assert(both_primary());
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 0);
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop"),
				     "IKE status: Not established"));
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop"),
				     "Ann msgs recv: 0"));
	ck_assert_ptr_nonnull(strstr(show(1, "do show crypto gdoi ks coop"),
				     "Ann msgs recv: 0"));
}
END_TEST

/* RSA signatures between the key servers, as for members: certificates
 * of one CA elect under the SA; one of another CA gets no SA, no COOP. */
START_TEST(test_rsa_sig)
{
	struct pkif_ca lab, rogue;

	pkif_ca_new(&lab, "Lab Root CA");
	pkif_ca_new(&rogue, "Rogue CA");
	ks_up_auth(0, 100, "2", pem, NULL, &lab);
	ks_up_auth(1, 200, "1", pem, NULL, &lab);
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 1);
	ck_assert(net_run_until(loop, same_keys, 5000));
	net_node_down(&ks[1]);
	net_log_reset();
	ks_up_auth(1, 200, "1", pem, NULL, &rogue);
	ck_assert(net_run_until(loop, both_primary, 90000));
	ck_assert(net_run_until(loop, mismatch_logged, 90000));
	ck_assert_int_eq(sa_rows(1, "127.0.0.1", "QM_IDLE"), 0);
	pkif_ca_free(&lab);
	pkif_ca_free(&rogue);
}
END_TEST

static bool
restarted_knows_secondary(void)
{
	return strstr(show(1, "do show crypto gdoi ks coop"),
		      "Peer KS Role: Secondary") != NULL &&
	       sa_rows(0, "127.0.0.2", "QM_IDLE") == 1 &&
	       sa_rows(1, "127.0.0.1", "QM_IDLE") == 1;
}

static bool
ks1_primary_again(void)
{
	return role_is(0, "Secondary") && role_is(1, "Primary") && same_keys();
}

/* No pre-emption: the higher-priority key server that comes back stays
 * secondary, until `clear crypto gdoi ks cooperative role` on the
 * primary elects again; the keys stay the same through it all. */
START_TEST(test_reelect)
{
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	net_node_down(&ks[1]);
	ck_assert(net_run_until(loop, taken_over, 120000));
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, ks1_secondary_same_keys, 60000));
	net_run_until(loop, never, 30000);
	ck_assert(ks1_secondary_same_keys());	/* no pre-emption */
	net_log_reset();
	show(0, "do clear crypto gdoi ks cooperative role");
	ck_assert_msg(net_run_until(loop, ks1_primary_again, 60000), "%s\n%s",
		      show(0, "do show crypto gdoi ks coop"),
		      show(1, "do show crypto gdoi ks coop"));
	ck_assert_ptr_nonnull(strstr(net_log(), "COOP_KS_ELECTION"));
}
END_TEST

/* A peer restarts: it lost its SA, the other holds a stale one; a fresh
 * Main Mode replaces it and COOP runs again. */
START_TEST(test_peer_restart)
{
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	net_node_down(&ks[1]);
	ks_up(1, 200, "1", pem);
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 1);	/* stale */
	ck_assert_msg(net_run_until(loop, restarted_knows_secondary, 30000),
		      "%s\n%s", show(0, "do show crypto isakmp sa"),
		      show(1, "do show crypto gdoi ks coop"));
}
END_TEST

/* More than the SAs a key server pair holds (IKE_PEER_SAS, 8). */
#define SPOOFS 10

static uint8_t spoof_m1[4096];
static size_t spoof_len;
static uint64_t spoof_next;
static uint32_t spoof_n;

/* Message 1s as KS 2's, each under new cookies, every second: enough
 * to hold every slot KS 1 keeps for the pair if it tied them. */
static void
spoof_burst(void)
{
	for (int i = 0; i < SPOOFS; i++) {
		spoof_n++;
		memcpy(spoof_m1 + 4, &spoof_n, 4);	/* CKY-I */
		send_from("127.0.0.2", spoof_m1, spoof_len);
	}
	spoof_next = ev_now(loop) + 1000;
}

static bool
spoofed_restart_known(void)
{
	if (ev_now(loop) >= spoof_next)
		spoof_burst();
	return restarted_knows_secondary();
}

/* Message 1s that look like the peer's (a blind spoofer knows its
 * address and our policy) do not keep the peer's real Main Mode from
 * carrying COOP: only an SA that came up belongs to the pair. */
START_TEST(test_spoofed_msg1)
{
	char cap[64];

	ks_up(0, 100, "2", pem);
	snprintf(cap, sizeof(cap), "/tmp/getvpn-coop-m1-%d.pcap",
		 (int)getpid());
	ck_assert_int_eq(ike_capture(router_ike(ks[0].env.router), cap), 0);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	ike_capture(router_ike(ks[0].env.router), NULL);
	spoof_len = captured(cap, "127.0.0.2", 2, spoof_m1, sizeof(spoof_m1));
	unlink(cap);
	ck_assert_uint_gt(spoof_len, 28);
	/* the peer restarts while message 1s in its name keep coming */
	net_node_down(&ks[1]);
	spoof_burst();
	net_run_until(loop, never, 500);
	ks_up(1, 200, "1", pem);
	if (!net_run_until(loop, spoofed_restart_known, 30000))
		fprintf(stderr, "%s\n", show(0, "do show crypto isakmp sa"));
	ck_assert(restarted_knows_secondary());
	ck_assert(elected());
}
END_TEST

static bool
ks2_dropped_sa(void)
{
	return sa_rows(1, "127.0.0.1", "QM_IDLE") == 0;
}

/* A peer taken out of the config loses its SA at once, on both sides
 * (our Delete), instead of keeping it until its lifetime ends. */
START_TEST(test_peer_removed)
{
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 1);
	ck_assert_int_eq(sa_rows(1, "127.0.0.1", "QM_IDLE"), 1);
	net_log_reset();
	net_node_lines(&ks[0], "crypto gdoi group G\n server local\n"
		       "  redundancy\n   no peer address ipv4 127.0.0.2\n");
	ck_assert_msg(sa_rows(0, "127.0.0.2", "") == 0, "%s",
		      show(0, "do show crypto isakmp sa"));
	ck_assert_msg(net_run_until(loop, ks2_dropped_sa, 1000), "%s",
		      show(1, "do show crypto isakmp sa"));
	/* taken out on purpose: not a failure to report */
	ck_assert_ptr_null(strstr(net_log(), "COOP_KS_IKE_FAIL"));
	ck_assert(net_run_until(loop, taken_over, 60000));	/* alone */
}
END_TEST

static bool
both_sas_up(void)
{
	return sa_rows(0, "127.0.0.2", "QM_IDLE") == 1 &&
	       sa_rows(1, "127.0.0.1", "QM_IDLE") == 1;
}

/* `clear crypto isakmp`: every SA goes at once, the peer's too (a
 * Delete); COOP brings a new one up by itself and the roles stay. */
START_TEST(test_clear_isakmp)
{
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	ck_assert(net_run_until(loop, elected, 30000));
	ck_assert(both_sas_up());
	show(0, "do clear crypto isakmp");
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", ""), 0);
	ck_assert(net_run_until(loop, ks2_dropped_sa, 1000));
	ck_assert(net_run_until(loop, both_sas_up, 60000));
	ck_assert(elected());
}
END_TEST

static bool
ups_logged_2(void)
{
	const char *s = net_log();
	int n = 0;

	while ((s = strstr(s, "COOP_KS_IKE_UP: ISAKMP SA with Cooperative "
			   "KS 127.0.0.2 from 127.0.0.1")) != NULL) {
		n++;
		s++;
	}
	return n >= 2;
}

static bool
ike_down(void)
{
	return strstr(show(0, "do show crypto gdoi ks coop"),
		      "IKE status: Established") == NULL ||
	       strstr(show(1, "do show crypto gdoi ks coop"),
		      "IKE status: Established") == NULL;
}

/* SAs of 60 s are replaced before they run out; COOP never stops. */
START_TEST(test_lifetime)
{
	ks_up(0, 100, "2", pem);
	ks_up(1, 200, "1", pem);
	net_node_lines(&ks[0], "crypto isakmp policy 10\n lifetime 60\n");
	net_node_lines(&ks[1], "crypto isakmp policy 10\n lifetime 60\n");
	ck_assert(net_run_until(loop, elected, 30000));
	net_log_reset();
	/* at no moment is either side without an SA for COOP */
	ck_assert(!net_run_until(loop, ike_down, 200000));
	ck_assert(ups_logged_2());
	ck_assert(elected());
	net_run_until(loop, never, 3000);
	ck_assert_int_eq(sa_rows(0, "127.0.0.2", "QM_IDLE"), 1);
	ck_assert_int_eq(sa_rows(1, "127.0.0.1", "QM_IDLE"), 1);
	ck_assert_ptr_null(strstr(net_log(), "lost in group"));
	ck_assert_ptr_null(strstr(net_log(), "ELECTION"));
	/* the next SA came up before the old one ran out: nothing dropped,
	 * nothing waited for want of an SA */
	ck_assert_int_eq(ike_drops(0, "no SA"), 0);
	ck_assert_int_eq(ike_drops(1, "no SA"), 0);
	ck_assert_ptr_nonnull(strstr(show(0, "do show crypto gdoi ks coop "
					  "detail"), "want of an SA: 0\n"));
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
	tcase_add_test(tc, test_restart_with_state);
	tcase_add_test(tc, test_bad_input_isakmp);
	tcase_add_test(tc, test_psk_mismatch);
	tcase_add_test(tc, test_peer_restart);
	tcase_add_test(tc, test_peer_removed);
	tcase_add_test(tc, test_clear_isakmp);
	tcase_add_test(tc, test_reelect);
	tcase_add_test(tc, test_spoofed_msg1);
	tcase_add_test(tc, test_lifetime);
	tcase_add_test(tc, test_rsa_sig);
	suite_add_tcase(s, tc);
	return s;
}
