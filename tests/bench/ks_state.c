/*
 * bench_ks_state: what the key server's state file (doc/ks-state.md)
 * costs with 1,000, 10,000 and 100,000 members: encoding and sealing,
 * the atomic write with its fsyncs, and a restart's read, check and
 * decode.  Then the member journal against the old way (the whole list
 * rewritten within a second of each change): 100,000 registrations into
 * a group of 100,000 members, each one record appended, the journal
 * compacted into the state file when it outgrows it; printed: the cost
 * per registration and the longest the event loop is blocked.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gdoi/crypto.h"
#include "platform/fileio.h"
#include "roles/ks_gen.h"
#include "roles/ks_journal.h"
#include "roles/ks_state.h"
#include "roles/ks_state_seal.h"
#include "roles/members.h"

static const uint8_t secret[KS_STATE_SECRET_LEN] = { 7 };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One GCM `sa ipsec` and an AES-256 KEK with an RSA-2048-sized key. */
static void
group_keys(struct ks_gen *g)
{
	struct gdoi_policy p;
	uint16_t sa[GDOI_MAX_TEK] = { 10 };

	memset(&p, 0, sizeof(p));
	p.sid_bits = 16;
	p.ntek = 1;
	p.tek[0].transform = GDOI_ESP_AES_GCM_16;
	p.tek[0].key_bits = 256;
	p.tek[0].enc_key_len = 36;
	p.tek[0].lifetime_s = 3600;
	p.has_kek = true;
	p.kek.key_len = 32;
	p.kek.iv_len = 16;
	p.kek.lifetime_s = 86400;
	p.kek.pubkey_len = 294;
	ks_gen_init(g);
	ks_gen_set_shape(g, &p, sa);
	if (ks_gen_new_kek(g, 1000) < 0 || ks_gen_new_teks(g, 1000) < 0) {
		fprintf(stderr, "bench_ks_state: no random bytes\n");
		exit(1);
	}
}

static struct members *
members_of(size_t n)
{
	struct members *ms = members_new();

	for (size_t i = 0; ms != NULL && i < n; i++) {
		struct member *m = members_get(ms, htonl(0x0a000000 + (uint32_t)i));

		m->ks_addr = htonl(0x7f000001);
		m->port = 848;
		m->registrations = 1;
		m->nsid = 1;
		m->sid[0] = (uint32_t)(i % 65535) + 1;
		snprintf(m->version, sizeof(m->version), "1.0.0");
	}
	return ms;
}

static void
one(size_t n, const char *path)
{
	static struct ks_gen g;
	static struct ks_state s;
	struct members *ms = members_of(n);
	struct buf_writer plain, sealed;
	uint8_t *out = NULL;
	size_t olen = 0, rlen = 0;
	char *raw = NULL;
	const char *why = NULL;
	double t0, t1, t2, t3;

	group_keys(&g);
	buf_writer_init_max(&plain, KS_STATE_MAX);
	buf_writer_init_max(&sealed, KS_STATE_MAX);
	t0 = now();
	if (ms == NULL ||
	    ks_state_encode("G", &g, ms, 0, 16, 1, &plain) < 0 ||
	    ks_state_seal(secret, buf_data(&plain), buf_len(&plain),
			  &sealed) < 0) {
		fprintf(stderr, "bench_ks_state: encoding failed\n");
		exit(1);
	}
	t1 = now();
	if (file_write_atomic(path, buf_data(&sealed), buf_len(&sealed),
			      0600) < 0) {
		perror(path);
		exit(1);
	}
	t2 = now();
	if (file_read_all(path, KS_STATE_MAX, &raw, &rlen) < 0 ||
	    ks_state_open(secret, (const uint8_t *)raw, rlen, &out, &olen,
			  &why) < 0 ||
	    ks_state_decode(out, olen, 0, &s) < 0 || s.nmember != n) {
		fprintf(stderr, "bench_ks_state: read back failed (%s)\n",
			why ? why : "decode");
		exit(1);
	}
	t3 = now();
	printf("%7zu members: %9zu octets  encode+seal %7.2f ms  write+fsync "
	       "%7.2f ms  read+check+decode %7.2f ms  one write = %5.2f %% of "
	       "the 1 s flush period\n", n, buf_len(&sealed),
	       (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3,
	       (t2 - t0) * 100);
	ks_state_free(&s);
	crypto_free_secure(out, olen);
	crypto_free_secure(raw, rlen);
	buf_writer_free(&plain);
	buf_writer_free(&sealed);
	members_free(ms);
	ks_gen_wipe(&g);
}

/* The state file written whole (encode, seal, atomic write): seconds. */
static double
full_write(const struct ks_gen *g, const struct members *ms, const char *path,
	   struct ks_journal_key *k)
{
	struct buf_writer plain, sealed;
	double t0 = now();
	size_t len;

	buf_writer_init_max(&plain, KS_STATE_MAX);
	buf_writer_init_max(&sealed, KS_STATE_MAX);
	if (ks_state_encode("G", g, ms, 0, 16, 1, &plain) < 0 ||
	    ks_state_seal(secret, buf_data(&plain), buf_len(&plain),
			  &sealed) < 0 ||
	    file_write_atomic(path, buf_data(&sealed), buf_len(&sealed),
			      0600) < 0) {
		fprintf(stderr, "bench_ks_state: full write failed\n");
		exit(1);
	}
	len = buf_len(&sealed);
	if (k != NULL)
		ks_journal_key(secret, "G", buf_data(&sealed) + len -
			       KS_JOURNAL_TAG_LEN, k);
	buf_writer_free(&plain);
	buf_writer_free(&sealed);
	return now() - t0;
}

/* A new journal after a full write, as ks_persist_journal.c does. */
static int
journal_start(const char *jpath, const struct ks_journal_key *k)
{
	struct buf_writer w;
	int fd;

	buf_writer_init(&w);
	ks_journal_header(k, &w);
	if (file_write_atomic(jpath, buf_data(&w), buf_len(&w), 0600) < 0 ||
	    (fd = open(jpath, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
		perror(jpath);
		exit(1);
	}
	buf_writer_free(&w);
	return fd;
}

static void
journal_vs_rewrite(size_t n, const char *path, const char *jpath)
{
	static struct ks_gen g;
	struct members *ms = members_of(n);
	struct ks_journal_key k;
	size_t compactions = 0, bytes = 0, state_len;
	uint32_t idx = 0;
	double worst = 0, total = 0, old, t0, dt;
	struct buf_writer w;
	struct stat st;
	int fd;

	group_keys(&g);
	old = full_write(&g, ms, path, &k);
	stat(path, &st);
	state_len = (size_t)st.st_size;
	fd = journal_start(jpath, &k);
	buf_writer_init(&w);
	for (struct member *m = members_first(ms); m != NULL; m = m->next) {
		t0 = now();
		m->registrations++;
		buf_writer_reset(&w);
		if (ks_journal_member(&k, idx++, m, &w) < 0 ||
		    write(fd, buf_data(&w), buf_len(&w)) !=
		    (ssize_t)buf_len(&w)) {
			fprintf(stderr, "bench_ks_state: append failed\n");
			exit(1);
		}
		bytes += buf_len(&w);
		if (bytes > state_len) {	/* compaction */
			close(fd);
			full_write(&g, ms, path, &k);
			fd = journal_start(jpath, &k);
			bytes = idx = 0;
			compactions++;
		}
		dt = now() - t0;
		total += dt;
		worst = dt > worst ? dt : worst;
	}
	close(fd);
	printf("%zu registrations into %zu members: journal %.2f us each "
	       "(compactions included: %zu), longest loop block %.2f ms; "
	       "old way: the whole list (%zu octets) rewritten, %.2f ms per "
	       "write, once a second while members register; journal/old "
	       "per registration at 1,000/s = %.3f\n", n, n, total / n * 1e6,
	       compactions, worst * 1e3, state_len, old * 1e3,
	       (total / n) / (old / 1000));
	buf_writer_free(&w);
	members_free(ms);
	ks_gen_wipe(&g);
}

int
main(void)
{
	char dir[] = "/tmp/getvpn-bench-kss-XXXXXX", path[64], jpath[64];
	static const size_t sizes[] = { 1000, 10000, 100000 };

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/ks-G.state", dir);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
		one(sizes[i], path);
	snprintf(jpath, sizeof(jpath), "%s/ks-G.journal", dir);
	journal_vs_rewrite(100000, path, jpath);
	unlink(jpath);
	unlink(path);
	rmdir(dir);
	return 0;
}
