/*
 * The key server's state file (doc/ks-state.md).  Codec: a key state
 * saved and read back is the same (keys, SPIs, times moved between
 * clocks, SEQ above the reserve, sender IDs, members); every damaged
 * file is refused with its reason: empty, truncated at every length,
 * every octet altered, another version or format, another secret, too
 * large, well sealed but malformed.  Restart: a real key server on the
 * virtual clock with simulated members is brought down and up again
 * with its state directory: same KEK and TEKs, SEQ above every one
 * used, no sender ID granted twice, no member registers again; a
 * policy changed while down replaces only the keys it governs; keys
 * that ended while down are not used; a damaged file starts the group
 * over with a log line.
 */
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdoi/crypto.h"
#include "platform/evloop.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "platform/term.h"
#include "roles/ks.h"
#include "roles/ks_gen.h"
#include "roles/ks_policy.h"
#include "roles/ks_state.h"
#include "roles/ks_state_seal.h"
#include "roles/members.h"
#include "roles/router.h"
#include "net_fixtures.h"
#include "sim_gm.h"

Suite *suite_ks_state(void);

#define T0 1000000ull
#define SEQ_AHEAD 16	/* KS_STATE_SEQ_AHEAD (roles/ks_int.h) */

static const uint8_t secret[KS_STATE_SECRET_LEN] = { 1, 2, 3, 4, 5 };

/* A shape of two `sa ipsec` (two SATs share the first one's keys), GCM
 * so sender IDs are used, and a KEK. */
static void
sample_shape(struct gdoi_policy *p, uint16_t *sa_of_tek)
{
	memset(p, 0, sizeof(*p));
	p->group_id = 1234;
	p->has_gap = true;
	p->atd_s = 30;
	p->dtd_s = 60;
	p->sid_bits = 16;
	for (size_t i = 0; i < 3; i++) {
		struct gdoi_tek *t = &p->tek[i];

		t->transform = GDOI_ESP_AES_GCM_16;
		t->key_bits = 256;
		t->enc_key_len = 36;
		t->lifetime_s = 120;
		t->direction = GDOI_DIR_SYMMETRIC;
		t->src = htonl(0xc0a80000 + (uint32_t)i);
		t->src_mask = t->dst_mask = htonl(0xffffff00);
		t->dport = (uint16_t)(i * 100);
		t->replay = GDOI_REPLAY_COUNTER;
		t->replay_window = 64;
		sa_of_tek[i] = i < 2 ? 10 : 20;
	}
	p->ntek = 3;
	p->has_kek = true;
	p->kek.alg = 12;
	p->kek.key_bits = 256;
	p->kek.key_len = 32;
	p->kek.iv_len = 16;
	p->kek.lifetime_s = 300;
	p->kek.sig_alg = 1;
	p->kek.sig_key_bits = 2048;
	p->kek.src = htonl(0x7f000001);
	p->kek.src_port = p->kek.dst_port = 848;
	p->kek.pubkey_len = 270;
	memset(p->kek.pubkey, 0x5a, p->kek.pubkey_len);
}

/* Two TEK generations, a KEK rollover, SEQs, granted sender IDs. */
static void
sample_gen(struct ks_gen *g)
{
	struct gdoi_policy p;
	uint16_t sa[GDOI_MAX_TEK] = { 0 };
	uint32_t sids[5];

	sample_shape(&p, sa);
	ks_gen_init(g);
	ks_gen_set_shape(g, &p, sa);
	ck_assert_int_eq(ks_gen_new_kek(g, T0), 0);
	ck_assert_int_eq(ks_gen_new_teks(g, T0), 0);
	ck_assert_int_eq(ks_gen_new_teks(g, T0 + 30000), 0);
	g->kek.seq = 3;
	ck_assert_int_eq(ks_gen_new_kek(g, T0 + 40000), 0);
	g->kek.seq = 7;
	ck_assert_uint_eq(ks_gen_grant_sids(g, 5, sids), 5);
}

static struct members *
sample_members(void)
{
	struct members *ms = members_new();
	struct member *m;

	ck_assert_ptr_nonnull(ms);
	m = members_get(ms, htonl(0x0a000001));
	m->ks_addr = htonl(0x7f000001);
	m->port = 848;
	m->registrations = 2;
	m->nsid = 2;
	m->sid[0] = 1;
	m->sid[1] = 2;
	snprintf(m->version, sizeof(m->version), "1.0.27");
	m = members_get(ms, htonl(0x0a000002));
	m->state = MEMBER_EJECTED;
	m->acks_missed_run = 3;
	return ms;
}

/* The sample sealed: malloc'd file contents in *len octets. */
static uint8_t *
sample_file(size_t *len, int64_t ahead)
{
	static struct ks_gen g;
	struct members *ms = sample_members();
	struct buf_writer plain, sealed;
	uint8_t *out;

	sample_gen(&g);
	buf_writer_init_max(&plain, KS_STATE_MAX);
	buf_writer_init_max(&sealed, KS_STATE_MAX);
	ck_assert_int_eq(ks_state_encode("G1", &g, ms, ahead, SEQ_AHEAD,
					 T0 + ahead, &plain), 0);
	ck_assert_int_eq(ks_state_seal(secret, buf_data(&plain),
				       buf_len(&plain), &sealed), 0);
	out = buf_steal(&sealed, len);
	buf_writer_free(&plain);
	members_free(ms);
	ks_gen_wipe(&g);
	return out;
}

/* Open and decode; NULL and s filled, or the reason. */
static const char *
read_back(const uint8_t *f, size_t len, const uint8_t *key, int64_t ahead,
	  struct ks_state *s)
{
	uint8_t *plain = NULL;
	size_t plen = 0;
	const char *why = NULL;

	if (ks_state_open(key, f, len, &plain, &plen, &why) < 0)
		return why;
	if (ks_state_decode(plain, plen, ahead, s) < 0)
		why = "malformed";
	crypto_free_secure(plain, plen);
	return why;
}

static void
same_teks(const struct ks_teks *a, const struct ks_teks *b, int64_t shift)
{
	ck_assert_int_eq(a->used, b->used);
	ck_assert_uint_eq(a->ntek, b->ntek);
	ck_assert_uint_eq(a->gen, b->gen);
	ck_assert_uint_eq(a->born_ms, b->born_ms + (uint64_t)shift);
	ck_assert_uint_eq(a->end_ms, b->end_ms + (uint64_t)shift);
	for (size_t i = 0; i < a->ntek; i++) {
		ck_assert_uint_eq(a->tek[i].spi, b->tek[i].spi);
		ck_assert_uint_eq(a->sa_of_tek[i], b->sa_of_tek[i]);
		ck_assert_uint_eq(a->tek[i].enc_key_len, 36);
		ck_assert_mem_eq(a->tek[i].enc_key, b->tek[i].enc_key, 36);
		ck_assert_uint_eq(a->tek[i].src, b->tek[i].src);
		ck_assert_uint_eq(a->tek[i].dport, b->tek[i].dport);
		ck_assert_uint_eq(a->tek[i].transform, b->tek[i].transform);
	}
}

static void
same_kek(const struct ks_kekgen *a, const struct ks_kekgen *b, int64_t shift)
{
	ck_assert(a->used && b->used);
	ck_assert_mem_eq(a->kek.spi, b->kek.spi, GDOI_KEK_SPI_LEN);
	ck_assert_mem_eq(a->kek.key, b->kek.key, 32);
	ck_assert_mem_eq(a->kek.iv, b->kek.iv, 16);
	ck_assert_uint_eq(a->kek.pubkey_len, b->kek.pubkey_len);
	ck_assert_uint_eq(a->end_ms, b->end_ms + (uint64_t)shift);
	/* SEQ: the reserve above the last one used */
	ck_assert_uint_eq(a->seq, b->seq + SEQ_AHEAD);
}

/* Saved by one process, read by another whose clock is 5 s further
 * behind the wall clock: the same state, every time moved by 5 s. */
START_TEST(test_round_trip)
{
	static struct ks_gen g;
	static struct ks_state s;
	size_t len;
	uint8_t *f = sample_file(&len, 1000);
	const char *why = read_back(f, len, secret, 6000, &s);

	ck_assert_msg(why == NULL, "%s", why);
	sample_gen(&g);		/* new keys: compare the shape only */
	ck_assert_str_eq(s.group, "G1");
	ck_assert_uint_eq(s.written_ms, T0 + 1000);
	ck_assert(ks_policy_same_teks(&s.gen.shape, s.gen.sa_of_tek, &g.shape,
				      g.sa_of_tek));
	ck_assert(ks_policy_same_kek(&s.gen.shape, &g.shape));
	ck_assert_uint_eq(s.gen.cur.gen, 2);
	ck_assert_uint_eq(s.gen.old.gen, 1);
	ck_assert_uint_eq(s.gen.cur.born_ms, T0 + 30000 - 5000);
	ck_assert_uint_eq(s.gen.pseudo_origin_ms, T0 - 5000);
	ck_assert_uint_eq(s.gen.kek.seq, 7 + SEQ_AHEAD);
	ck_assert_uint_eq(s.gen.old_kek.seq, 3 + SEQ_AHEAD);
	ck_assert_uint_eq(s.gen.sid_next, 6);
	ck_assert_uint_eq(s.gen.sid_used[0], 0x3e);	/* SIDs 1-5 */
	ck_assert_uint_eq(s.nmember, 2);
	ck_assert_uint_eq(s.member[0].nsid, 2);
	ck_assert_uint_eq(s.member[0].sid[1], 2);
	ck_assert_uint_eq(s.member[0].port, 848);
	ck_assert_uint_eq(s.member[0].registrations, 2);
	ck_assert_str_eq(s.member[0].version, "1.0.27");
	ck_assert(!s.member[0].ejected && s.member[1].ejected);
	ck_assert_uint_eq(s.member[1].acks_missed_run, 3);
	ks_state_free(&s);
	ks_gen_wipe(&g);
	free(f);
}
END_TEST

/* The keys themselves come back (the same state encoded twice). */
START_TEST(test_keys_come_back)
{
	static struct ks_gen g;
	static struct ks_state s;
	struct members *ms = members_new();
	struct buf_writer w;

	sample_gen(&g);
	buf_writer_init_max(&w, KS_STATE_MAX);
	ck_assert_int_eq(ks_state_encode("G1", &g, ms, 0, SEQ_AHEAD, 1, &w), 0);
	ck_assert_int_eq(ks_state_decode(buf_data(&w), buf_len(&w), 0, &s), 0);
	same_teks(&s.gen.cur, &g.cur, 0);
	same_teks(&s.gen.old, &g.old, 0);
	same_kek(&s.gen.kek, &g.kek, 0);
	same_kek(&s.gen.old_kek, &g.old_kek, 0);
	ck_assert_mem_eq(s.gen.sid_used, g.sid_used, sizeof(g.sid_used));
	/* every shorter body and one with a trailing octet are malformed */
	for (size_t n = 0; n < buf_len(&w); n += 1 + n / 64) {
		static struct ks_state t;

		ck_assert_int_eq(ks_state_decode(buf_data(&w), n, 0, &t), -1);
	}
	buf_put_u8(&w, 0);
	ck_assert_int_eq(ks_state_decode(buf_data(&w), buf_len(&w), 0, &s), -1);
	buf_writer_free(&w);
	members_free(ms);
	ks_gen_wipe(&g);
}
END_TEST

/* Any octet of a body set to 0 or 255 (a sealed file of another build,
 * or a bug): decoded or refused, never read or written out of bounds
 * (make check SAN=1 watches). */
START_TEST(test_mutated_body)
{
	static struct ks_gen g;
	static struct ks_state s;
	struct members *ms = sample_members();
	struct buf_writer w;
	uint8_t *d;
	size_t len, ok = 0;

	sample_gen(&g);
	buf_writer_init_max(&w, KS_STATE_MAX);
	ck_assert_int_eq(ks_state_encode("G1", &g, ms, 0, SEQ_AHEAD, 1, &w), 0);
	d = buf_steal(&w, &len);
	for (size_t i = 0; i < len; i++) {
		uint8_t was = d[i];

		for (int v = 0; v < 256; v += 255) {
			d[i] = (uint8_t)v;
			if (ks_state_decode(d, len, 0, &s) == 0) {
				ok++;
				ks_state_free(&s);
			}
		}
		d[i] = was;
	}
	ck_assert_uint_gt(ok, 0);
	free(d);
	members_free(ms);
	ks_gen_wipe(&g);
}
END_TEST

static void
refused(const uint8_t *f, size_t len, const uint8_t *key, const char *reason)
{
	static struct ks_state s;
	const char *why = read_back(f, len, key, 0, &s);

	ck_assert_msg(why != NULL, "a damaged file was accepted (%zu octets)",
		      len);
	ck_assert_msg(strstr(why, reason) != NULL, "%zu octets: \"%s\", not "
		      "\"%s\"", len, why, reason);
}

START_TEST(test_empty_refused)
{
	refused((const uint8_t *)"", 0, secret, "empty");
}
END_TEST

/* Cut at every length: never accepted. */
START_TEST(test_truncated_refused)
{
	size_t len;
	uint8_t *f = sample_file(&len, 0);

	for (size_t n = 1; n < len; n++)
		refused(f, n, secret, n < 8 ? "not a key state file"
			: n < 72 || (n - 40) % 16 ? "truncated" : "checksum");
	free(f);
}
END_TEST

/* One bit changed in every octet: the checksum (or the header) says so. */
START_TEST(test_corrupt_refused)
{
	size_t len;
	uint8_t *f = sample_file(&len, 0);

	for (size_t i = 0; i < len; i++) {
		f[i] ^= 0x10;
		refused(f, len, secret, i < 4 ? "not a key state file"
			: i < 6 ? "version" : "checksum");
		f[i] ^= 0x10;
	}
	free(f);
}
END_TEST

START_TEST(test_wrong_version_refused)
{
	size_t len;
	uint8_t *f = sample_file(&len, 0);

	f[5] = KS_STATE_VERSION + 1;
	refused(f, len, secret, "a version this build does not read");
	f[4] = 0xff;
	f[5] = KS_STATE_VERSION;
	refused(f, len, secret, "a version this build does not read");
	free(f);
}
END_TEST

START_TEST(test_other_format_refused)
{
	static const char text[] = "hostname KS1\ncrypto gdoi group G\n";

	refused((const uint8_t *)text, sizeof(text) - 1, secret,
		"not a key state file");
}
END_TEST

/* Sealed under another secret (another router's, or a new one). */
START_TEST(test_other_secret_refused)
{
	uint8_t other[KS_STATE_SECRET_LEN] = { 9 };
	size_t len;
	uint8_t *f = sample_file(&len, 0);

	refused(f, len, other, "checksum");
	free(f);
}
END_TEST

/* Above KS_STATE_MAX in memory, and as a file through the reader. */
START_TEST(test_huge_refused)
{
	size_t len = KS_STATE_MAX + 1;
	uint8_t *f = calloc(1, len);
	char path[] = "/tmp/getvpn-kss-XXXXXX";
	char *raw = NULL;
	int fd = mkstemp(path);

	ck_assert_ptr_nonnull(f);
	memcpy(f, "GVKS", 4);
	refused(f, len, secret, "too large");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)len), 0);
	close(fd);
	ck_assert_int_eq(file_read_all(path, KS_STATE_MAX, &raw, &len), -1);
	unlink(path);
	free(f);
}
END_TEST

/* Well sealed, but not a key state inside. */
START_TEST(test_malformed_refused)
{
	struct buf_writer w;
	uint8_t junk[300];

	memset(junk, 0xee, sizeof(junk));
	buf_writer_init(&w);
	ck_assert_int_eq(ks_state_seal(secret, junk, sizeof(junk), &w), 0);
	refused(buf_data(&w), buf_len(&w), secret, "malformed");
	buf_writer_free(&w);
}
END_TEST

/*
 * Restarts of a real key server (virtual clock, simulated members).
 */
#define KS_IP 0x7f000001	/* 127.0.0.1 */
#define SIMS 4

static struct evloop *loop;
static struct net_node ks, gm;
static struct sim_gm sim[SIMS];
static uint16_t port;
static char base[64], keydir[96], statedir[96], statefile[128];
static char journalfile[128];

/* TEKs of 120 s and a KEK of 300 s; the group is ready at its last line. */
static const char ks_cfg[] =
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
	"  rekey transport unicast\n  address ipv4 127.0.0.1\n"
	"  sa ipsec 10\n   profile PROF\n   match address ipv4 POLICY\n";

/* The key server starts as the daemon does: its startup-config
 * replayed, its key and state directories those of the last run. */
static void
ks_start(const char *cfg)
{
	struct term *err = term_new_mem();

	net_node_up_in(&ks, loop, port, keydir, statedir);
	ck_assert_int_eq(cli_replay_text(&ks.env, "startup-config", cfg,
					 strlen(cfg), err), 0);
	term_free(err);
}

static void
restart_setup(void)
{
	loop = ev_new();
	ev_set_virtual_clock(loop, 1000000);
	port = (uint16_t)(20000 + getpid() % 20000);
	memset(&ks, 0, sizeof(ks));
	memset(&gm, 0, sizeof(gm));
	memset(sim, 0, sizeof(sim));
	net_log_start();
	snprintf(base, sizeof(base), "/tmp/getvpn-kss-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(keydir, sizeof(keydir), "%s/keys", base);
	snprintf(statedir, sizeof(statedir), "%s/state", base);
	snprintf(statefile, sizeof(statefile), "%s/ks-G.state", statedir);
	snprintf(journalfile, sizeof(journalfile), "%s/ks-G.journal",
		 statedir);
	ck_assert_int_eq(mkdir(keydir, 0700), 0);
	net_node_up_in(&ks, loop, port, keydir, statedir);
	net_node_lines(&ks, "crypto key generate rsa general-keys label REKEY "
		       "modulus 1024\n");
	net_node_down(&ks);
	/* the simulated members take their ISAKMP settings from here */
	net_node_up(&gm, loop, (uint16_t)(port + 1), "getvpn-kss");
	net_node_lines(&gm, "crypto isakmp policy 10\n encr aes 256\n"
		       " hash sha256\n authentication pre-share\n group 19\n"
		       "crypto isakmp key lab-psk address 0.0.0.0 0.0.0.0\n");
}

static void
restart_teardown(void)
{
	char cmd[128];

	net_log_stop();
	for (int i = 0; i < SIMS; i++)
		sim_gm_free(&sim[i]);
	net_node_down(&gm);
	net_node_down(&ks);
	ev_free(loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", base);
}

static void
sim_up(int i)
{
	ck_assert(sim_gm_register(&sim[i], loop, &gm.env, port,
				  htonl(0x7f000005 + (uint32_t)i), htonl(KS_IP),
				  1000));
}

static void
run_for(unsigned secs)
{
	for (unsigned s = 0; s < secs; s++) {
		ev_advance(loop, 1000);
		for (int k = 0; k < 20; k++)
			if (ev_run_once(loop, 1) <= 0)
				break;
	}
}

static struct ks_stats
stats(void)
{
	struct ks_stats st;

	ck_assert_int_eq(ks_stats(router_ks(ks.env.router), "G", &st), 0);
	return st;
}

/* What the key server hands out now: SPIs and keys. */
struct handout {
	uint32_t spi[GDOI_MAX_TEK];
	uint8_t key[GDOI_MAX_TEK][GDOI_KEY_MAX];
	size_t ntek;
	uint8_t kek_spi[GDOI_KEK_SPI_LEN], kek_key[GDOI_KEY_MAX];
	uint32_t seq;
};

static struct handout
handout(void)
{
	const struct gdoi_policy *p = ks_policy_now(router_ks(ks.env.router),
						    "G");
	struct handout h;

	ck_assert_ptr_nonnull(p);
	memset(&h, 0, sizeof(h));
	h.ntek = p->ntek;
	for (size_t i = 0; i < p->ntek; i++) {
		h.spi[i] = p->tek[i].spi;
		memcpy(h.key[i], p->tek[i].enc_key, p->tek[i].enc_key_len);
	}
	memcpy(h.kek_spi, p->kek.spi, sizeof(h.kek_spi));
	memcpy(h.kek_key, p->kek.key, p->kek.key_len);
	h.seq = p->seq;
	return h;
}

static uint32_t
last_seq(const struct sim_gm *m)
{
	return m->nseq ? m->seq[m->nseq - 1] : m->reg_seq;
}

static bool
sim_holds(const struct sim_gm *m, uint32_t spi)
{
	for (size_t i = 0; i < m->ntek; i++)
		if (m->tek[i].spi == spi)
			return true;
	return false;
}

/* A kill -9: the file as it was at the last write, nothing flushed. */
static char *
snapshot(size_t *len)
{
	char *f = NULL;

	ck_assert_int_eq(file_read_all(statefile, KS_STATE_MAX, &f, len), 0);
	return f;
}

static void
crash_to(char *snap, size_t len)
{
	net_node_down(&ks);
	ck_assert_int_eq(file_write_atomic(statefile, snap, len, 0600), 0);
	free(snap);
}

/* Killed after rekeys and KEK rollovers and started again: the same
 * keys; the next rekey opens and verifies at every member with a SEQ
 * above all they saw; no member registers again; a new member gets
 * the same TEK and a sender ID nobody holds. */
START_TEST(test_restart_same_keys)
{
	struct handout before, after;
	uint32_t seen = 0;
	size_t len;
	char *snap;
	struct stat st;

	ks_start(ks_cfg);
	for (int i = 0; i < 3; i++)
		sim_up(i);
	/* TEK rekeys every 30 s, the KEK rolled at 100 s: the last rekey
	 * (120 s) is the first under the new KEK */
	run_for(125);
	ck_assert_uint_eq(sim[0].kek_changes, 1);
	ck_assert_uint_eq(last_seq(&sim[0]), 1);
	before = handout();
	for (int i = 0; i < 3; i++)
		seen = last_seq(&sim[i]) > seen ? last_seq(&sim[i]) : seen;
	ck_assert_int_eq(stat(statefile, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	snap = snapshot(&len);
	crash_to(snap, len);
	ks_start(ks_cfg);
	ck_assert_ptr_nonnull(strstr(net_log(), "key state restored"));
	after = handout();
	ck_assert_uint_eq(after.ntek, before.ntek);
	ck_assert_mem_eq(after.spi, before.spi, sizeof(after.spi));
	ck_assert_mem_eq(after.key, before.key, sizeof(after.key));
	ck_assert_mem_eq(after.kek_spi, before.kek_spi, GDOI_KEK_SPI_LEN);
	ck_assert_mem_eq(after.kek_key, before.kek_key, GDOI_KEY_MAX);
	ck_assert_uint_gt(after.seq, seen);
	ck_assert_uint_eq(stats().members, 3);
	sim_up(3);
	ck_assert(sim_holds(&sim[3], before.spi[before.ntek - 1]));
	for (int i = 0; i < 3; i++)
		ck_assert_uint_ne(sim[3].sid[0], sim[i].sid[0]);
	for (int i = 0; i < 3; i++)
		sim[i].pushes = 0;
	run_for(30);	/* the next TEK rekey */
	for (int i = 0; i < SIMS; i++) {
		ck_assert_uint_ge(sim[i].pushes, 1);
		ck_assert_uint_eq(sim[i].refused, 0);
		ck_assert_uint_gt(last_seq(&sim[i]), seen);
	}
	/* only the new member registered with this key server */
	ck_assert_uint_eq(stats().registrations, 1);
	ck_assert_uint_eq(stats().members, SIMS);
}
END_TEST

/* A member registered after the last write of the state file, then a
 * kill: the member journal brings it back; it takes the next rekey
 * without registering again, and nobody gets its sender ID. */
/* Members 0 and 1 register, the state file is as it was then, member 2
 * registers, the key server is killed (with its journal, or with the
 * journal lost) and started again; then member 3 registers and gets a
 * sender ID nobody holds. */
static void
third_then_killed(bool journal_lost)
{
	size_t len;
	char *snap;

	ks_start(ks_cfg);
	sim_up(0);
	sim_up(1);
	run_for(2);
	snap = snapshot(&len);
	sim_up(2);
	crash_to(snap, len);
	if (journal_lost)
		ck_assert_int_eq(unlink(journalfile), 0);
	ks_start(ks_cfg);
}

static void
fourth_sid_unique(void)
{
	sim_up(3);
	ck_assert_uint_eq(sim[3].nsid, 1);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_ne(sim[3].sid[0], sim[i].sid[0]);
}

START_TEST(test_restart_journal_keeps_member)
{
	third_then_killed(false);
	ck_assert_msg(strstr(net_log(), "member changes replayed") != NULL,
		      "%s", net_log());
	ck_assert_uint_eq(stats().members, 3);
	fourth_sid_unique();
	for (int i = 0; i < SIMS; i++)
		sim[i].pushes = sim[i].refused = 0;
	run_for(35);	/* the next TEK rekey */
	for (int i = 0; i < SIMS; i++) {
		ck_assert_uint_ge(sim[i].pushes, 1);
		ck_assert_uint_eq(sim[i].refused, 0);
	}
	ck_assert_uint_eq(stats().registrations, 1);
}
END_TEST

/* The same without the journal (lost): the members registered since
 * the state file was written are not listed, but no sender ID granted
 * may be granted again. */
START_TEST(test_restart_sids_reserved)
{
	third_then_killed(true);
	ck_assert_uint_eq(stats().members, 0);	/* all in the journal */
	fourth_sid_unique();
}
END_TEST

static unsigned
count_of(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* A journal that cannot be written (a directory in its place): logged
 * once; a registration then reaches the state file within a second. */
START_TEST(test_journal_unwritable)
{
	ck_assert_int_eq(mkdir(journalfile, 0700), 0);
	ks_start(ks_cfg);
	ck_assert_msg(strstr(net_log(), "member journal not written") != NULL,
		      "%s", net_log());
	sim_up(0);
	sim_up(1);
	run_for(2);
	ck_assert_uint_eq(count_of(net_log(), "member journal not written"), 1);
	net_node_down(&ks);
	ks_start(ks_cfg);
	ck_assert_uint_eq(stats().members, 2);
}
END_TEST

enum jdamage { J_CUT, J_FLIP, J_GARBAGE, J_HEADER, NJDAMAGE };

static void
damage_journal(enum jdamage d)
{
	char *f = NULL;
	size_t len = 0;

	ck_assert_int_eq(file_read_all(journalfile, KS_STATE_MAX, &f, &len), 0);
	f = realloc(f, len + 64);
	if (d == J_CUT)
		len -= 3;
	if (d == J_FLIP)
		f[len - 40] ^= 4;
	if (d == J_GARBAGE) {
		memset(f + len, 0x5a, 64);
		len += 64;
	}
	if (d == J_HEADER)
		f[20] ^= 1;	/* the state file it follows */
	ck_assert_int_eq(file_write_atomic(journalfile, f, len, 0600), 0);
	free(f);
}

static const char *const jdamage_log[NJDAMAGE] = {
	[J_CUT] = "cut after 1 records (", [J_FLIP] = "cut after 1 records (",
	[J_GARBAGE] = "cut after 2 records (",
	[J_HEADER] = "not used: it follows another state file",
};

/* Each damaged journal: one log line, the records before the damage
 * replayed, the rest cut (the last record, a member's, is the one cut
 * or altered); the next start is clean. */
START_TEST(test_restart_damaged_journal)
{
	for (enum jdamage d = 0; d < NJDAMAGE; d++) {
		size_t before = d;	/* one member more each round */
		bool kept = d == J_GARBAGE;

		ks_start(ks_cfg);
		ck_assert_uint_eq(stats().members, before);
		sim_up((int)d);
		net_node_down(&ks);
		damage_journal(d);
		net_log_reset();
		ks_start(ks_cfg);
		ck_assert_msg(strstr(net_log(), jdamage_log[d]) != NULL &&
			      count_of(net_log(), "member journal") == 1,
			      "%d: %s", d, net_log());
		ck_assert_uint_eq(stats().members, before + kept);
		if (!kept) {	/* registers again, into the journal */
			sim_gm_free(&sim[d]);
			sim_up((int)d);
		}
		net_node_down(&ks);
		net_log_reset();
		ks_start(ks_cfg);
		ck_assert_msg(count_of(net_log(), "member journal") == 0,
			      "%s", net_log());
		ck_assert_uint_eq(stats().members, before + 1);
		net_node_down(&ks);
	}
}
END_TEST

/* ks_cfg with from replaced by to. */
static char *
cfg_with(const char *from, const char *to)
{
	const char *at = strstr(ks_cfg, from);
	char *c = malloc(sizeof(ks_cfg) + strlen(to));

	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_nonnull(c);
	sprintf(c, "%.*s%s%s", (int)(at - ks_cfg), ks_cfg, to,
		at + strlen(from));
	return c;
}

/* The key server down after a member registered, up again with cfg:
 * what it handed out before and after. */
static void
restart_with(const char *cfg, struct handout *before, struct handout *after)
{
	ks_start(ks_cfg);
	sim_up(0);
	run_for(5);
	*before = handout();
	net_node_down(&ks);
	ks_start(cfg);
	*after = handout();
}

/* The transform changed while the key server was down: new TEKs pushed
 * at once under the saved KEK to the saved members; the KEK stays. */
START_TEST(test_restart_tek_policy_changed)
{
	char *cfg = cfg_with("esp-gcm 256", "esp-aes 256 esp-sha256-hmac");
	struct handout before, after;

	restart_with(cfg, &before, &after);
	ck_assert_mem_eq(after.kek_spi, before.kek_spi, GDOI_KEK_SPI_LEN);
	ck_assert_uint_ne(after.spi[after.ntek - 1], before.spi[0]);
	run_for(1);
	ck_assert_uint_eq(sim[0].pushes, 1);
	ck_assert_uint_eq(sim[0].refused, 0);
	ck_assert(sim_holds(&sim[0], after.spi[after.ntek - 1]));
	ck_assert_uint_eq(stats().registrations, 0);
	free(cfg);
}
END_TEST

/* The KEK policy changed while down: a new KEK rolled to the members
 * under the saved one; the TEKs stay. */
START_TEST(test_restart_kek_policy_changed)
{
	char *cfg = cfg_with("rekey lifetime seconds 300",
			     "rekey lifetime seconds 600");
	struct handout before, after;

	restart_with(cfg, &before, &after);
	ck_assert_mem_ne(after.kek_spi, before.kek_spi, GDOI_KEK_SPI_LEN);
	ck_assert_mem_eq(after.spi, before.spi, sizeof(after.spi));
	run_for(1);
	ck_assert_uint_eq(sim[0].kek_changes, 1);
	ck_assert_uint_eq(sim[0].refused, 0);
	free(cfg);
}
END_TEST

/* Down longer than the KEK lives: nothing of the file is used. */
START_TEST(test_restart_after_expiry)
{
	struct handout before, after;

	ks_start(ks_cfg);
	before = handout();
	net_node_down(&ks);
	ev_advance(loop, 400 * 1000);
	ks_start(ks_cfg);
	ck_assert_ptr_nonnull(strstr(net_log(), "ended while the key server was "
				     "down; the group starts with new keys"));
	after = handout();
	ck_assert_mem_ne(after.kek_spi, before.kek_spi, GDOI_KEK_SPI_LEN);
	ck_assert_uint_ne(after.spi[0], before.spi[0]);
}
END_TEST

enum damage { EMPTY, TRUNCATED, FLIPPED, VERSION, HUGE, FOREIGN, NDAMAGE };

static void
damage(enum damage d)
{
	static const char *const other = "/ks-H.state";
	char path[160];
	size_t len;
	char *f = snapshot(&len);

	if (d == TRUNCATED)
		len /= 2;
	if (d == FLIPPED)
		f[len / 2] ^= 1;
	if (d == VERSION)
		f[5]++;
	if (d == EMPTY)
		len = 0;
	ck_assert_int_eq(file_write_atomic(statefile, f, len, 0600), 0);
	if (d == HUGE)
		ck_assert_int_eq(truncate(statefile, KS_STATE_MAX + 1), 0);
	if (d == FOREIGN) {	/* group H's file in group G's place */
		snprintf(path, sizeof(path), "%s%s", statedir, other);
		ck_assert_int_eq(rename(path, statefile), 0);
	}
	free(f);
}

static const char *const damage_reason[NDAMAGE] = {
	[EMPTY] = "empty", [TRUNCATED] = "truncated",
	[FLIPPED] = "checksum mismatch", [VERSION] = "version",
	[HUGE] = "too large", [FOREIGN] = "written for another group",
};

/* Each damaged file: refused with its reason in the log, new keys, and
 * a good file written in its place. */
START_TEST(test_restart_damaged_file)
{
	char *two = cfg_with("crypto gdoi group G\n", "crypto gdoi group H\n"
			     " identity number 1001\n server local\n"
			     "  address ipv4 127.0.0.1\n  sa ipsec 10\n"
			     "   profile PROF\n   match address ipv4 POLICY\n"
			     "crypto gdoi group G\n");
	struct handout before, after;

	for (enum damage d = 0; d < NDAMAGE; d++) {
		ks_start(two);
		before = handout();
		net_node_down(&ks);
		damage(d);
		net_log_reset();
		ks_start(two);
		ck_assert_msg(strstr(net_log(), damage_reason[d]) != NULL &&
			      strstr(net_log(), "not used") != NULL, "%d: %s", d,
			      net_log());
		after = handout();
		ck_assert_mem_ne(after.kek_spi, before.kek_spi,
				 GDOI_KEK_SPI_LEN);
		net_node_down(&ks);
		net_log_reset();
		ks_start(two);
		ck_assert_msg(strstr(net_log(), "key state restored") != NULL,
			      "%s", net_log());
		net_node_down(&ks);
	}
	free(two);
}
END_TEST

/* clear crypto gdoi starts the group over: the next start has the new
 * keys, not the ones before the clear. */
START_TEST(test_clear_starts_over)
{
	struct handout before, after;

	ks_start(ks_cfg);
	before = handout();
	net_node_lines(&ks, "end\nclear crypto gdoi\nyes\nconfigure terminal");
	after = handout();
	ck_assert_mem_ne(after.kek_spi, before.kek_spi, GDOI_KEK_SPI_LEN);
	net_node_down(&ks);
	ks_start(ks_cfg);
	before = handout();
	ck_assert_mem_eq(after.kek_spi, before.kek_spi, GDOI_KEK_SPI_LEN);
	ck_assert_uint_eq(after.spi[0], before.spi[0]);
	/* a group taken out of the config takes its file with it */
	net_node_lines(&ks, "no crypto gdoi group G\nyes");
	ck_assert_msg(access(statefile, F_OK) == -1, "%s", net_log());
}
END_TEST

/* What a write killed between its temporary file and the rename left
 * (0600, keys inside) goes at the next start. */
START_TEST(test_leftover_removed)
{
	char tmp[160];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmpAb12Cd", statefile);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ks_start(ks_cfg);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	ck_assert_ptr_nonnull(strstr(net_log(), "removed the temporary file "
				     "of an interrupted key state write"));
}
END_TEST

/* A state directory that cannot be used: one log line, and the key
 * server runs without keeping state. */
START_TEST(test_unusable_state_dir)
{
	char cmd[160];
	int fd;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", statedir);
	ck_assert_int_eq(system(cmd), 0);
	fd = open(statedir, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ks_start(ks_cfg);
	ck_assert_ptr_nonnull(strstr(net_log(), "key server state not kept "
				     "across restarts: state directory"));
	ck_assert_ptr_nonnull(strstr(net_log(), "not a directory"));
	ck_assert(stats().ready);
}
END_TEST

Suite *
suite_ks_state(void)
{
	Suite *s = suite_create("ks_state");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_keys_come_back);
	tcase_add_test(tc, test_mutated_body);
	tcase_add_test(tc, test_empty_refused);
	tcase_add_test(tc, test_truncated_refused);
	tcase_add_test(tc, test_corrupt_refused);
	tcase_add_test(tc, test_wrong_version_refused);
	tcase_add_test(tc, test_other_format_refused);
	tcase_add_test(tc, test_other_secret_refused);
	tcase_add_test(tc, test_huge_refused);
	tcase_add_test(tc, test_malformed_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_add_checked_fixture(tc, restart_setup, restart_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_restart_same_keys);
	tcase_add_test(tc, test_restart_journal_keeps_member);
	tcase_add_test(tc, test_restart_sids_reserved);
	tcase_add_test(tc, test_restart_damaged_journal);
	tcase_add_test(tc, test_journal_unwritable);
	tcase_add_test(tc, test_restart_tek_policy_changed);
	tcase_add_test(tc, test_restart_kek_policy_changed);
	tcase_add_test(tc, test_restart_after_expiry);
	tcase_add_test(tc, test_restart_damaged_file);
	tcase_add_test(tc, test_clear_starts_over);
	tcase_add_test(tc, test_leftover_removed);
	tcase_add_test(tc, test_unusable_state_dir);
	suite_add_tcase(s, tc);
	return s;
}
