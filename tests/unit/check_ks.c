/*
 * The key server's key lifecycle, in one process on the virtual clock:
 * a real key server (CLI, config, GDOI endpoint) and simulated members
 * (tests/unit/sim_gm.c) that register for real and open every rekey
 * with the real GROUPKEY-PUSH code.  Incremental commit: what a config
 * change, a key generated after the group, a not-ready group do.
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
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/udp.h"
#include "platform/term.h"
#include "roles/ks.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "sim_gm.h"

#define KS_IP 0x7f000001	/* 127.0.0.1 */
#define SIMS 3

static struct evloop *loop;
static struct net_node ks, gm, rgm;	/* rgm: a real member */
static struct sim_gm sim[SIMS];
static uint16_t port;
static struct term *out;

/* TEKs of 120 s and a KEK of 300 s: many lifetimes in a short run. */
static const char ks_base[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-gcm 256\n"
	"crypto ipsec profile PROF\n set security-association lifetime seconds 120\n"
	" set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey algorithm aes 256\n  rekey lifetime seconds 300\n"
	"  rekey authentication mypubkey rsa REKEY\n"
	"  rekey transport unicast\n  sa ipsec 10\n   profile PROF\n"
	"   match address ipv4 POLICY\n"
	"  address ipv4 127.0.0.1\n";

static const char key_line[] =
	"crypto key generate rsa general-keys label REKEY modulus 1024\n";

/* The signing key, then the group. */
static void
ks_configured(void)
{
	net_node_lines(&ks, key_line);
	net_node_lines(&ks, ks_base);
}

static void
setup(void)
{
	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	out = term_new_mem();
	port = (uint16_t)(20000 + getpid() % 20000);
	memset(&ks, 0, sizeof(ks));
	memset(&gm, 0, sizeof(gm));
	memset(&rgm, 0, sizeof(rgm));
	memset(sim, 0, sizeof(sim));
	net_log_start();
	net_node_up(&ks, loop, port, "getvpn-ks");
	/* the simulated members take their ISAKMP settings from here */
	net_node_up(&gm, loop, (uint16_t)(port + 1), "getvpn-ks");
	net_node_lines(&gm, "crypto isakmp policy 10\n encr aes 256\n"
		       " hash sha256\n authentication pre-share\n group 19\n"
		       "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n");
}

static void
teardown(void)
{
	net_log_stop();
	for (int i = 0; i < SIMS; i++)
		sim_gm_free(&sim[i]);
	net_node_down(&rgm);
	net_node_down(&gm);
	net_node_down(&ks);
	term_free(out);
	ev_free(loop);
}

static const char *
show(const char *cmd)
{
	term_mem_reset(out);
	cli_session_line(ks.s, cmd, out);
	return term_mem_data(out, NULL);
}

static bool
sim_up(int i)
{
	return sim_gm_register(&sim[i], loop, &gm.env, port,
			       htonl(0x7f000005 + (uint32_t)i), htonl(KS_IP),
			       1000);
}

static struct ks_stats
stats(void)
{
	struct ks_stats st;

	ck_assert_int_eq(ks_stats(router_ks(ks.env.router), "G", &st), 0);
	return st;
}

/* Virtual time passes second by second; datagrams are delivered. */
static void
run_for(unsigned secs, void (*each)(void))
{
	for (unsigned s = 0; s < secs; s++) {
		ev_advance(loop, 1000);
		for (int k = 0; k < 20; k++)
			if (ev_run_once(loop, 1) <= 0)
				break;
		if (each != NULL)
			each();
	}
}

static void
all_hold_a_tek(void)
{
	for (int i = 0; i < SIMS; i++) {
		if (sim[i].registered)
			ck_assert_msg(sim_gm_tek_left(&sim[i], ev_now(loop)) > 0,
				      "member %d without a valid TEK (%u rekeys, "
				      "%u refused, %u KEKs)", i, sim[i].pushes,
				      sim[i].refused, sim[i].kek_changes);
	}
}

/* SEQ rises by one under a KEK and starts at 1 under a new one. */
static void
check_seq_rules(const struct sim_gm *m)
{
	for (size_t i = 1; i < m->nseq; i++) {
		if (m->seq_kek[i] == m->seq_kek[i - 1])
			ck_assert_uint_eq(m->seq[i], m->seq[i - 1] + 1);
		else
			ck_assert_uint_eq(m->seq[i], 1);
	}
}

/* A group through many TEK and KEK lifetimes, a policy change and a
 * manual rekey: the members are never without a TEK, never register
 * again, and see SEQ follow RFC 6407 §4.3. */
START_TEST(test_many_lifetimes)
{
	ks_configured();
	for (int i = 0; i < SIMS; i++)
		ck_assert(sim_up(i));
	run_for(600, all_hold_a_tek);
	net_node_lines(&ks, "crypto ipsec transform-set TS esp-aes 256 "
		       "esp-sha256-hmac");
	run_for(5, all_hold_a_tek);
	ck_assert_ptr_nonnull(strstr(net_log(), "policy changed, rekey sent"));
	net_node_lines(&ks, "do crypto gdoi ks rekey group G replace-now");
	run_for(1200, all_hold_a_tek);
	for (int i = 0; i < SIMS; i++) {
		/* 120 s TEKs rekeyed 90 s before their end; 300 s KEKs
		 * rolled 200 s before theirs */
		ck_assert_uint_ge(sim[i].pushes, 1800 / 30);
		ck_assert_uint_ge(sim[i].kek_changes, 1800 / 100 - 1);
		ck_assert_uint_eq(sim[i].refused, 0);
		check_seq_rules(&sim[i]);
	}
	ck_assert_uint_eq(stats().members, SIMS);
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks members"),
				     " Rekey Acks missed : 0\n"));
	ck_assert_ptr_null(strstr(net_log(), "KS_ACK_MISSING"));
	/* nobody had to register again */
	ck_assert_uint_eq(stats().registrations, SIMS);
}
END_TEST

/* The member's outbound SPI has an outbound and an inbound SA. */
static bool
real_gm_covered(void)
{
	struct ipsec_ctx *x = router_ipsec(rgm.env.router);
	uint32_t spi = 0;
	bool in = false, outb = false;

	for (size_t i = 0; i < ipsec_null_policy_count(x); i++)
		if (ipsec_null_policy(x, i)->action == IPSEC_ACT_PROTECT)
			spi = ipsec_null_policy(x, i)->spi;
	for (size_t i = 0; spi != 0 && i < ipsec_null_sa_count(x); i++) {
		in |= ipsec_null_sa(x, i)->spi == spi &&
		      ipsec_null_sa(x, i)->dir == IPSEC_DIR_IN;
		outb |= ipsec_null_sa(x, i)->spi == spi &&
			ipsec_null_sa(x, i)->dir == IPSEC_DIR_OUT;
	}
	return in && outb;
}

static bool
real_gm_registered(void)
{
	const char *s = router_gm_state(rgm.env.router, "G");

	return s != NULL && strcmp(s, "Registered") == 0;
}

static void
real_gm_always_covered(void)
{
	ck_assert_msg(real_gm_covered(), "the member has no SA for what it "
		      "sends");
}

/* The real member (roles/gm.c) through TEK rekeys, KEK rollovers, a
 * policy change and a manual rekey: it always has SAs for what it
 * sends and never registers again. */
/* A real member (rgm) of group G on 127.0.0.2, registered. */
static void
real_gm_up(void)
{
	net_node_up(&rgm, loop, port, "getvpn-ks");
	net_node_lines(&rgm, "crypto isakmp policy 10\n encr aes 256\n"
		       " hash sha256\n authentication pre-share\n group 19\n"
		       "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n"
		       "crypto gdoi group G\n identity number 1000\n"
		       " server address ipv4 127.0.0.1\n"
		       "crypto map M 10 gdoi\n set group G\n"
		       "interface lo2\n ip address 127.0.0.2 255.0.0.0\n"
		       " crypto map M\n");
	ck_assert(net_run_until(loop, real_gm_registered, 20000));
}

/* rgm's show crypto gdoi gm. */
static const char *
real_gm_show(void)
{
	term_mem_reset(out);
	cli_session_line(rgm.s, "do show crypto gdoi gm", out);
	return term_mem_data(out, NULL);
}

START_TEST(test_real_member)
{
	const char *s;

	ks_configured();
	real_gm_up();
	run_for(400, real_gm_always_covered);
	net_node_lines(&ks, "crypto ipsec transform-set TS esp-aes 256 "
		       "esp-sha256-hmac");
	run_for(200, real_gm_always_covered);
	net_node_lines(&ks, "do crypto gdoi ks rekey replace-now");
	run_for(400, real_gm_always_covered);
	term_mem_reset(out);
	cli_session_line(rgm.s, "do show crypto gdoi gm", out);
	s = term_mem_data(out, NULL);
	ck_assert_msg(strstr(s, "Succeeded registration: 1\n") != NULL, "%s", s);
	ck_assert_uint_ge(stats().rekeys_sent, 1000 / 30);
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks members"),
				     " Rekey Acks missed : 0\n"));
	/* the key server restarts (new keys, no members): the member keeps
	 * its SAs until it registers again, then rekeys resume */
	net_node_down(&ks);
	net_node_up(&ks, loop, port, "getvpn-ks");
	ks_configured();
	run_for(300, real_gm_always_covered);
	term_mem_reset(out);
	cli_session_line(rgm.s, "do show crypto gdoi gm", out);
	s = term_mem_data(out, NULL);
	ck_assert_msg(strstr(s, "Succeeded registration: 2\n") != NULL, "%s", s);
	ck_assert_uint_ge(stats().rekeys_sent, 3);
	ck_assert_uint_eq(stats().members, 1);
}
END_TEST

/* The key server with TEKs of 600 s and a KEK of an hour (only the
 * manual rekeys happen in a test), and simulated members 0 and 1. */
static void
two_quiet_members(void)
{
	ks_configured();
	net_node_lines(&ks, "crypto ipsec profile PROF\n"
		       " set security-association lifetime seconds 600\n"
		       "crypto gdoi group G\n server local\n"
		       "  rekey lifetime seconds 3600\n");
	ck_assert(sim_up(0));
	ck_assert(sim_up(1));
}

/* One member answers, one does not: retransmissions to the silent one,
 * counted misses, ejection after the third rekey. */
START_TEST(test_ack_and_ejection)
{
	const char *s;

	two_quiet_members();
	sim[1].ack = false;
	for (int r = 0; r < 3; r++) {
		net_node_lines(&ks, "do crypto gdoi ks rekey");
		run_for(35, NULL);
	}
	s = show("do show crypto gdoi ks members 127.0.0.6");
	ck_assert_ptr_nonnull(strstr(s, " GM State          : Ejected\n"));
	ck_assert_ptr_nonnull(strstr(s, " Rekey Acks missed : 3\n"));
	ck_assert_ptr_nonnull(strstr(s, " Rekeys retries    : 6\n"));
	s = show("do show crypto gdoi ks members 127.0.0.5");
	ck_assert_ptr_nonnull(strstr(s, " Rekey Acks Rcvd   : 3\n"));
	ck_assert_ptr_nonnull(strstr(s, " Rekeys retries    : 0\n"));
	ck_assert_ptr_nonnull(strstr(s, " GM State          : Registered\n"));
	ck_assert_ptr_nonnull(strstr(net_log(), "KS_NACK_GM_EJECT: KS has ejected "
				     "GM 127.0.0.6 in group G"));
	ck_assert_ptr_nonnull(strstr(net_log(), "KS_ACK_MISSING"));
	/* three copies per rekey reached the silent member; opened once */
	ck_assert_uint_eq(sim[1].pushes, 3);
	ck_assert_uint_eq(sim[1].dups, 6);
	/* the ejected member gets no more rekeys */
	net_node_lines(&ks, "do crypto gdoi ks rekey");
	run_for(35, NULL);
	ck_assert_uint_eq(sim[1].pushes, 3);
	ck_assert_uint_eq(sim[0].pushes, 4);
	ck_assert_uint_eq(stats().acks_last, 1);
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks members"),
		"Number of rekeys sent for group G : 4\n"
		"Number of retransmits during the last rekey for group G : 0\n"));
}
END_TEST

/*
 * A new signing key (`crypto key generate rsa` again under the label: a
 * key rollover) rolls the KEK in a rekey signed with the key the members
 * know, carrying the new public key; the members take it, and the next
 * rekey, signed with the new key, without registering again.
 */
START_TEST(test_signing_key_rollover)
{
	const char *s;

	two_quiet_members();
	real_gm_up();
	net_node_lines(&ks, key_line);		/* the new pair */
	run_for(35, NULL);
	for (int i = 0; i < 2; i++) {
		ck_assert_msg(sim[i].kek_changes == 1 && sim[i].refused == 0,
			      "member %d: %u KEKs, %u refused", i,
			      sim[i].kek_changes, sim[i].refused);
		ck_assert_uint_eq(sim[i].pushes, 1);
	}
	net_node_lines(&ks, "do crypto gdoi ks rekey");
	run_for(35, NULL);
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(sim[i].pushes, 2);
		ck_assert_uint_eq(sim[i].refused, 0);
	}
	ck_assert_uint_eq(stats().registrations, 3);
	ck_assert_uint_eq(stats().acks_last, 3);
	s = real_gm_show();
	ck_assert_msg(strstr(s, "Succeeded registration: 1\n") != NULL &&
		      strstr(s, "Unicast rekey received: 2\n") != NULL, "%s", s);
	/* the old pair and the new one are held; a zeroized label's go */
	ck_assert_uint_eq(stats().signers, 2);
	net_node_lines(&ks, "crypto key zeroize rsa REKEY\n");
	ck_assert_uint_eq(stats().signers, 0);
	ck_assert(!stats().ready);
}
END_TEST

/* Send an ACK of (spi, seq) under k from simulated member m. */
static void
send_ack(const struct sim_gm *m, const struct gdoi_kek *k, const uint8_t *spi,
	 uint32_t seq)
{
	struct udp_peer to = { .addr = htonl(KS_IP), .port = port,
			       .local = m->addr };
	struct buf_writer w;

	buf_writer_init(&w);
	ck_assert_int_eq(push_ack_build(k, spi, seq, m->addr, &w), 0);
	ck_assert_int_eq(udp_send(m->us, buf_data(&w), buf_len(&w), &to), 0);
	buf_writer_free(&w);
	run_for(0, NULL);
	for (int i = 0; i < 20; i++)
		ev_run_once(loop, 1);
}

/* Forged, misdirected and repeated ACKs are dropped and counted; the
 * member's ACK is taken once. */
START_TEST(test_bad_acks)
{
	struct gdoi_kek k, wrong;
	uint8_t spi[16];
	uint32_t seq;

	ks_configured();
	ck_assert(sim_up(0));
	sim[0].ack = false;
	net_node_lines(&ks, "do crypto gdoi ks rekey");
	run_for(1, NULL);
	ck_assert_uint_eq(sim[0].pushes, 1);
	k = push_rx_current(&sim[0].rx)->kek;
	memcpy(spi, k.spi, sizeof(spi));
	seq = sim[0].seq[0];
	wrong = k;
	wrong.key[0] ^= 1;
	send_ack(&sim[0], &wrong, spi, seq);		/* wrong HASH */
	spi[3] ^= 1;
	send_ack(&sim[0], &k, spi, seq);		/* unknown cookies */
	spi[3] ^= 1;
	send_ack(&sim[0], &k, spi, seq + 5);		/* a SEQ never sent */
	ck_assert_uint_eq(stats().acks_dropped, 3);
	ck_assert_uint_eq(stats().acks_last, 0);
	send_ack(&sim[0], &k, spi, seq);
	ck_assert_uint_eq(stats().acks_last, 1);
	send_ack(&sim[0], &k, spi, seq);		/* again */
	ck_assert_uint_eq(stats().acks_dropped, 4);
	ck_assert_uint_eq(stats().acks_last, 1);
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks members"),
				     " Rekey Acks Rcvd   : 1\n"));
}
END_TEST

/* `clear crypto gdoi ks members now`: a rekey deletes every key. */
START_TEST(test_clear_members_now)
{
	ks_configured();
	ck_assert(sim_up(0));
	net_node_lines(&ks, "do clear crypto gdoi ks members now");
	run_for(2, NULL);
	ck_assert_uint_eq(sim[0].deletes, 1);
	ck_assert_uint_eq(sim_gm_tek_left(&sim[0], ev_now(loop)), 0);
	ck_assert_uint_eq(stats().members, 0);
}
END_TEST

/* The group named a key that does not exist yet (the order Cisco's
 * guides give): members are refused with a reason, then the key is
 * generated and the group serves at once, without a restart. */
START_TEST(test_key_generated_after_group)
{
	net_node_lines(&ks, ks_base);
	ck_assert(!sim_up(0));
	ck_assert_ptr_nonnull(strstr(net_log(), "KS_NOT_READY: Registration from "
				     "127.0.0.5 for group G refused: group not "
				     "ready (RSA Key - REKEY : Not found)"));
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks policy"),
				     "Policy not ready: RSA Key - REKEY"));
	sim_gm_free(&sim[0]);
	net_node_lines(&ks, key_line);
	ck_assert(sim_up(0));
	ck_assert(stats().ready);
}
END_TEST

/* Unrelated lines keep the keys; a change of the policy that governs
 * the TEKs makes new ones (and the KEK stays). */
START_TEST(test_keys_follow_their_policy)
{
	struct ks_stats st;
	uint32_t gen;

	ks_configured();
	gen = stats().tek_gen;
	net_node_lines(&ks, "hostname KS9\nip access-list extended OTHER\n"
		       " permit ip any any\ncrypto ipsec profile OTHERP\n"
		       " set transform-set TS\ncrypto gdoi group G\n server local\n"
		       "  rekey retransmit 15 number 3\n"
		       "crypto isakmp key other address 10.0.0.1\n");
	ck_assert_uint_eq(stats().tek_gen, gen);
	net_node_lines(&ks, "ip access-list extended POLICY\n"
		       " deny udp any eq 848 any eq 848\n");
	st = stats();
	ck_assert_uint_eq(st.tek_gen, gen + 1);
	net_node_lines(&ks, "crypto ipsec profile PROF\n"
		       " set security-association lifetime seconds 600\n");
	ck_assert_uint_eq(stats().tek_gen, gen + 2);
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks policy"),
				     "orig life(sec)     : 600"));
}
END_TEST

/* The TEK policy leaves GCM while members hold GCM TEKs: until the
 * replaced set ends, a registration still gets it and a sender ID for
 * it. */
START_TEST(test_register_after_leaving_gcm)
{
	ks_configured();
	ck_assert(sim_up(0));
	net_node_lines(&ks, "crypto ipsec transform-set TS esp-aes 256 "
		       "esp-sha256-hmac");
	ck_assert(sim_up(1));
	ck_assert_uint_eq(sim[1].ntek, 2);
}
END_TEST

/* Member i registers again and receives exactly the keys (SPIs, KEK and
 * TEK keys) the key server holds now: message 4's cached key packets
 * must never outlive a key change (each change takes a new epoch). */
static void
registers_with_current_keys(int i, const char *after)
{
	uint8_t want[SIM_GM_KEYS_DIGEST];

	sim_gm_free(&sim[i]);
	ck_assert_msg(sim_up(i), "registration after %s refused", after);
	sim_gm_keys_digest(ks_policy_now(router_ks(ks.env.router), "G"), want);
	ck_assert_msg(memcmp(sim[i].reg_keys, want, sizeof(want)) == 0,
		      "registration after %s: not the current keys", after);
}

static const uint8_t *
kek_spi_now(void)
{
	return ks_policy_now(router_ks(ks.env.router), "G")->kek.spi;
}

/* Virtual seconds pass until the KEK rolls over; member i registers
 * after each TEK rekey on the way, so that the rollover is the only
 * change since the last registration. */
static void
run_to_kek_rollover(int i)
{
	uint8_t spi[GDOI_KEK_SPI_LEN];

	memcpy(spi, kek_spi_now(), sizeof(spi));
	for (unsigned s = 0; s < 300; s++) {
		uint32_t gen = stats().tek_gen;

		run_for(1, NULL);
		if (memcmp(spi, kek_spi_now(), sizeof(spi)) != 0) {
			ck_assert_uint_eq(stats().tek_gen, gen);
			return;
		}
		if (stats().tek_gen != gen)
			registers_with_current_keys(i, "a TEK rekey");
	}
	ck_abort_msg("no KEK rollover in 300 s");
}

/* Virtual seconds pass until the replaced TEK set has ended and is
 * dropped, with no other key change on the way. */
static void
run_to_old_teks_end(void)
{
	uint8_t spi[GDOI_KEK_SPI_LEN];
	size_t ntek = ks_policy_now(router_ks(ks.env.router), "G")->ntek;
	uint32_t gen = stats().tek_gen;

	memcpy(spi, kek_spi_now(), sizeof(spi));
	for (unsigned s = 0; s < 200; s++) {
		run_for(1, NULL);
		ck_assert_uint_eq(stats().tek_gen, gen);
		ck_assert_mem_eq(spi, kek_spi_now(), sizeof(spi));
		if (ks_policy_now(router_ks(ks.env.router), "G")->ntek < ntek)
			return;
	}
	ck_abort_msg("the replaced TEKs did not end in 200 s");
}

/* A registration after every kind of key change carries the new keys:
 * a manual rekey, a KEK rollover, a TEK and a KEK policy change, a
 * replace-now, and the end of a replaced TEK set. */
START_TEST(test_registration_after_each_key_change)
{
	ks_configured();
	registers_with_current_keys(0, "the first keys");
	net_node_lines(&ks, "do crypto gdoi ks rekey group G");
	registers_with_current_keys(1, "a manual rekey");
	run_to_kek_rollover(2);
	registers_with_current_keys(2, "a KEK rollover");
	net_node_lines(&ks, "crypto ipsec transform-set TS esp-aes 256 "
		       "esp-sha256-hmac");
	registers_with_current_keys(0, "a TEK policy change");
	/* a KEK that lives long: no rollover until the end of the test */
	net_node_lines(&ks, "crypto gdoi group G\n server local\n"
		       "  rekey lifetime seconds 86400\n");
	registers_with_current_keys(1, "a KEK policy change");
	net_node_lines(&ks, "do crypto gdoi ks rekey group G replace-now");
	registers_with_current_keys(2, "a replace-now");
	/* TEKs of 600 s: the set they replace ends long before a rekey */
	net_node_lines(&ks, "crypto ipsec profile PROF\n"
		       " set security-association lifetime seconds 600\n");
	registers_with_current_keys(0, "a lifetime change");
	run_to_old_teks_end();
	registers_with_current_keys(1, "the end of the replaced TEKs");
}
END_TEST

/* A startup-config replay commits once: the key generated after the
 * group never leaves it "not ready" on the way. */
START_TEST(test_replay_commits_once)
{
	struct term *errs = term_new_mem();
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", ks_base, key_line);
	ck_assert_int_eq(cli_replay_text(&ks.env, "startup-config", text,
					 strlen(text), errs), 0);
	term_free(errs);
	ck_assert(stats().ready);
	ck_assert_uint_eq(stats().tek_gen, 1);
	ck_assert_ptr_null(strstr(net_log(), "KS_NO_RSA_KEYS"));
}
END_TEST

/* Multicast: the KEK names the rekey address, one datagram per rekey
 * whatever the number of members (plus its retransmissions). */
START_TEST(test_multicast_kek)
{
	struct ks_stats st;

	ks_configured();
	net_node_lines(&ks, "access-list 121 permit ip host 127.0.0.1 "
		       "host 239.192.1.190\ncrypto gdoi group G\n server local\n"
		       "  no rekey transport unicast\n"
		       "  rekey address ipv4 121\n");
	ck_assert(sim_up(0));
	ck_assert(sim_up(1));
	ck_assert_uint_eq(sim[0].kek_dst, htonl(0xefc001be));
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi ks policy"),
				     "KEK POLICY (transport type : Multicast)"));
	ck_assert_ptr_nonnull(strstr(show("do show crypto gdoi"),
				     "Group Name               : G (Multicast)"));
	st = stats();
	net_node_lines(&ks, "do crypto gdoi ks rekey");
	ck_assert_uint_eq(stats().signatures, st.signatures + 1);
	ck_assert_uint_eq(stats().datagrams, st.datagrams + 1);
	run_for(25, NULL);
	/* and its two retransmissions, to the group again */
	ck_assert_uint_eq(stats().datagrams, st.datagrams + 3);
	ck_assert_uint_eq(stats().signatures, st.signatures + 1);
	ck_assert_ptr_nonnull(strstr(net_log(), "KS_SEND_MCAST_REKEY: Sending "
				     "Multicast Rekey for group G from address "
				     "127.0.0.1 to 239.192.1.190 with seq # 1"));
}
END_TEST

Suite *
suite_ks(void)
{
	Suite *s = suite_create("ks");
	TCase *tc = tcase_create("lifecycle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_many_lifetimes);
	tcase_add_test(tc, test_real_member);
	tcase_add_test(tc, test_ack_and_ejection);
	tcase_add_test(tc, test_signing_key_rollover);
	tcase_add_test(tc, test_bad_acks);
	tcase_add_test(tc, test_clear_members_now);
	tcase_add_test(tc, test_key_generated_after_group);
	tcase_add_test(tc, test_keys_follow_their_policy);
	tcase_add_test(tc, test_register_after_leaving_gcm);
	tcase_add_test(tc, test_registration_after_each_key_change);
	tcase_add_test(tc, test_replay_commits_once);
	tcase_add_test(tc, test_multicast_kek);
	suite_add_tcase(s, tc);
	return s;
}
