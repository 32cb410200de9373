/*
 * bench_flood: how long a real member takes to register while the key
 * server is flooded with Main Mode message 1 (issue: < 2 s under 20,000
 * message 1 per second from 50,000 spoofed sources), and a storm:
 * BENCH_STORM (default 10,000) members registering at once, time until
 * all are registered, failures, retransmissions and the key server's
 * CPU per registration.  BENCH_STORM_ONLY=1 runs the storm alone.
 *
 * The key server is the real getvpn (-d, null data plane; $GETVPN, else
 * ./getvpn) on 127.0.0.1.
 * A flooder child sends, through a raw socket, copies of one message 1
 * with a fresh initiator cookie each, from source addresses 127.3.x.y
 * cycling over BENCH_FLOOD_SOURCES (default 50,000), paced at
 * BENCH_FLOOD_RATE (default 20,000) per second.  Meanwhile this process
 * registers one member from 127.0.0.2, BENCH_FLOOD_REGS times (default
 * 5) one after the other, and prints the latencies.  Twice: the key
 * server without `authorization address` (every message 1 takes a
 * half-open slot; the oldest is evicted) and with it (the flood, from
 * outside the ACL, takes no state).  Needs root (raw socket).  Prints
 * figures against the target, fails only on a run that could not be
 * measured.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/env.h"
#include "gdoi/buf.h"
#include "gdoi/dh.h"
#include "gdoi/phase1.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "roles/ike.h"

#define KS_ADDR 0x7f000001		/* 127.0.0.1 */
#define GM_ADDR 0x7f000002		/* 127.0.0.2 */
#define SRC_BASE 0x7f030000		/* 127.3.0.0: spoofed sources */
#define TARGET_MS 2000.0
#define REGS_MAX 50
#define BATCH 100			/* datagrams between pacing sleeps */
#define STORM_BASE 0x7f010001		/* 127.1.0.1: storm member i */
#define STORM_MAX 60000
#define STORM_TIMEOUT_MS 180000
/* The target: 50,000 members registering at once all registered
 * within 15 s, no failed attempt (the ratio is printed for any n). */
#define STORM_TARGET_N 50000
#define STORM_TARGET_S 15

static const char ks_base[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key bench-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-gcm 256\n"
	"crypto ipsec profile PROF\n set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"access-list 10 permit 127.0.0.2\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  sa ipsec 10\n   profile PROF\n   match address ipv4 POLICY\n"
	"  address ipv4 127.0.0.1\n";

static const char gm_cfg[] =
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key bench-psk address 0.0.0.0 0.0.0.0\n";

struct run {
	struct evloop *loop;
	struct ike *ike;
	struct ike_reg *h;
	bool done;
	int rc;
	double ms[REGS_MAX];
	unsigned n, failed;
	double cpu0, t0, ks_load;	/* the key server's share of a core */
};

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static unsigned
env_uint(const char *name, unsigned def, unsigned lo, unsigned hi)
{
	const char *s = getenv(name);
	unsigned long v = s ? strtoul(s, NULL, 10) : def;

	return v < lo || v > hi ? def : (unsigned)v;
}

/* The key server: getvpn -d with cfg, in a temporary directory. */
static pid_t
ks_start(const char *dir, const char *cfg, uint16_t port)
{
	char path[160], keys[160], sock[160], p[8];
	FILE *f;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/ks.cfg", dir);
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	snprintf(sock, sizeof(sock), "%s/ks.sock", dir);
	snprintf(p, sizeof(p), "%u", port);
	mkdir(keys, 0700);
	unlink(sock);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(cfg, f);
	fclose(f);
	pid = fork();
	if (pid == 0) {
		const char *bin = getenv("GETVPN");

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(bin ? bin : "./getvpn", "getvpn", "-d", "-f", path, "-k",
		      keys, "-S", sock, "-p", p, "-B", "null", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		usleep(50000);
	return access(sock, F_OK) == 0 ? pid : -1;
}

/* CPU seconds (user + system) pid used so far, from /proc. */
static double
cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the command name may hold spaces */
	if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
				"%*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void
stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static const uint8_t *
flood_psk(void *arg, uint32_t peer, size_t *len)
{
	*len = 9;
	return (const uint8_t *)"bench-psk";
}

/* One message 1 with a UDP/IPv4 header in front, source and cookie
 * rewritten per datagram by the flooder. */
static size_t
flood_packet(uint8_t *pkt, size_t cap, uint16_t port)
{
	static const struct p1_proposal prop = {
		IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_AUTH_PRE_SHARED,
		DH_GROUP_ECP256, 86400,
	};
	struct p1_config cfg = { .prop = &prop, .nprop = 1, .psk = flood_psk };
	struct buf_writer w;
	struct p1_sa *sa;
	size_t len = 0;

	buf_writer_init(&w);
	sa = p1_initiator_start(&cfg, htonl(SRC_BASE), htonl(KS_ADDR), 1, &w);
	if (sa != NULL && 28 + buf_len(&w) <= cap) {
		len = 28 + buf_len(&w);
		memset(pkt, 0, 28);
		pkt[0] = 0x45;
		pkt[2] = (uint8_t)(len >> 8);
		pkt[3] = (uint8_t)len;
		pkt[8] = 64;
		pkt[9] = IPPROTO_UDP;
		pkt[16] = 127, pkt[19] = 1;
		pkt[20] = (uint8_t)(port >> 8), pkt[21] = (uint8_t)port;
		pkt[22] = (uint8_t)(port >> 8), pkt[23] = (uint8_t)port;
		pkt[24] = (uint8_t)((len - 20) >> 8);
		pkt[25] = (uint8_t)(len - 20);
		memcpy(pkt + 28, buf_data(&w), buf_len(&w));
	}
	p1_sa_free(sa);
	buf_writer_free(&w);
	return len;
}

/* The flooder child: rate datagrams per second from nsrc sources. */
static void __attribute__((noreturn))
flooder(uint16_t port, unsigned rate, unsigned nsrc)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(KS_ADDR) };
	uint8_t pkt[2048];
	size_t len = flood_packet(pkt, sizeof(pkt), port);
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	double t0 = now_ms();
	uint64_t sent = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (s < 0 || len == 0)
		_exit(1);
	for (;;) {
		for (int i = 0; i < BATCH; i++, sent++) {
			uint32_t src = htonl(SRC_BASE + 256 +
					     (uint32_t)(sent % nsrc));

			memcpy(pkt + 12, &src, 4);
			memcpy(pkt + 28, &sent, sizeof(sent));
			sendto(s, pkt, len, 0, (struct sockaddr *)&to,
			       sizeof(to));
		}
		while (now_ms() - t0 < (double)sent * 1000.0 / rate)
			usleep(200);
	}
}

static void
reg_done(void *arg, int rc, const char *why, const struct gdoi_policy *p)
{
	struct run *r = arg;

	r->done = true;
	r->rc = rc;
	ev_break(r->loop);
}

/* Register once from GM_ADDR; the latency in ms, or -1. */
static double
register_once(struct run *r)
{
	double t0 = now_ms();

	r->done = false;
	if (ike_register(r->ike, htonl(GM_ADDR), htonl(KS_ADDR), 1000,
			 reg_done, r, &r->h) < 0)
		return -1;
	while (!r->done)
		ev_run(r->loop);
	t0 = now_ms() - t0;
	ike_clear(r->ike);	/* the next one makes its own Phase 1 */
	return r->rc == 0 ? t0 : -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, struct run *r)
{
	double med, max;

	if (r->n == 0) {
		printf("  %-44s no registration (%u failed)\n", what, r->failed);
		return;
	}
	qsort(r->ms, r->n, sizeof(r->ms[0]), cmp_double);
	med = r->ms[r->n / 2];
	max = r->ms[r->n - 1];
	printf("  %-44s median %7.1f ms  max %7.1f ms  failed %u  KS CPU "
	       "%3.0f%%  (target < %.0f ms: x%.2f)\n", what, med, max,
	       r->failed, r->ks_load * 100, TARGET_MS,
	       TARGET_MS / (max > 0 ? max : 1));
}

static int
one_case(struct run *r, const char *dir, const char *cfg, uint16_t port,
	 unsigned regs, unsigned rate, unsigned nsrc, const char *what)
{
	pid_t ks = ks_start(dir, cfg, port), fl = 0;

	if (ks < 0) {
		fprintf(stderr, "bench: the key server did not start\n");
		return -1;
	}
	if (rate > 0 && (fl = fork()) == 0)
		flooder(port, rate, nsrc);
	usleep(1000000);	/* the flood has filled the half-open table */
	r->n = r->failed = 0;
	r->cpu0 = cpu_s(ks);
	r->t0 = now_ms();
	for (unsigned i = 0; i < regs; i++) {
		double ms = register_once(r);

		usleep(300000);

		if (ms < 0)
			r->failed++;
		else
			r->ms[r->n++] = ms;
	}
	r->ks_load = (cpu_s(ks) - r->cpu0) * 1000.0 / (now_ms() - r->t0);
	stop(fl);
	stop(ks);
	report(what, r);
	return 0;
}

/* The storm: n members from STORM_BASE on registering at once. */
struct storm {
	struct evloop *loop;
	struct ike *gen;
	unsigned n, ok, failed;
	char why[96];			/* the first failure */
	struct ev_timer *t_trace;	/* BENCH_STORM_TRACE: every second */
	double t0;			/* wall clock at the start, ms */
	struct ike_reg **h;
	unsigned started;
	double all_started;		/* ms after t0 */
	struct ev_timer *t_start;
};

/* The load generator's view about every second (BENCH_STORM_TRACE=1;
 * wall time: a generator busy for long prints less often). */
static void
storm_trace(void *arg)
{
	struct storm *s = arg;
	const struct ike_counters *c = ike_counters(s->gen);

	printf("        %5.1f s: %5u registered, %u failed; sent %lu, "
	       "received %lu, retransmitted %lu\n", (now_ms() - s->t0) / 1e3,
	       s->ok, s->failed, c->tx, c->rx, c->retransmits);
	fflush(stdout);
	ev_timer(s->loop, 1000, storm_trace, s, &s->t_trace);
}

static void
storm_done(void *arg, int rc, const char *why, const struct gdoi_policy *p)
{
	struct storm *s = arg;

	if (rc == 0)
		s->ok++;
	else if (s->failed++ == 0)
		snprintf(s->why, sizeof(s->why), "%s", why ? why : "?");
	if (s->ok + s->failed == s->n)
		ev_break(s->loop);
}

static void
storm_timeout(void *arg)
{
	ev_break(arg);
}

/*
 * Start the members STORM_CHUNK at a time, the event loop running in
 * between: 50,000 members are 50,000 hosts, each reading its own socket,
 * while this one process would otherwise not read its socket until the
 * last one had sent its message 1 (and its receive buffer overflowed with
 * the key server's answers).  All start within the first second or so.
 */
#define STORM_CHUNK 64

static void
storm_start_chunk(void *arg)
{
	struct storm *s = arg;
	unsigned end = s->started + STORM_CHUNK < s->n ? s->started + STORM_CHUNK
						       : s->n;

	for (; s->started < end; s->started++)
		if (ike_register(s->gen, htonl(STORM_BASE + s->started),
				 htonl(KS_ADDR), 1000, storm_done, s,
				 &s->h[s->started]) < 0 &&
		    ++s->failed + s->ok == s->n)
			ev_break(s->loop);
	if (s->started < s->n)
		ev_timer(s->loop, 0, storm_start_chunk, s, &s->t_start);
	else
		s->all_started = now_ms() - s->t0;
}

/* A separate endpoint on the wildcard address (the members' sources are
 * STORM_BASE + i), registering n members at once; the figures. */
static int
storm_case(struct run *r, struct cli_env *env, const char *dir,
	   uint16_t port, unsigned n)
{
	struct storm s = { .loop = r->loop, .n = n };
	struct ike_reg **h = calloc(n, sizeof(*h));
	struct ev_timer *t = NULL;
	pid_t ks = ks_start(dir, ks_base, port);
	struct ike *gen = NULL;
	double t0, cpu0, gen0, secs;
	char err[160];
	int st = 0;

	if (h == NULL || ks < 0 ||
	    (gen = ike_new(r->loop, (uint16_t)(port + 2), err,
			   sizeof(err))) == NULL ||
	    ike_listen(gen, 0, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: storm: cannot start\n");
		free(h);
		ike_free(gen);
		stop(ks);
		return -1;
	}
	ike_set_conf(gen, env->conf, NULL);
	ike_set_remote_port(gen, port);
	s.gen = gen;
	if (getenv("BENCH_STORM_TRACE") != NULL)
		ev_timer(r->loop, 1000, storm_trace, &s, &s.t_trace);
	cpu0 = cpu_s(ks);
	gen0 = cpu_s(getpid());
	t0 = s.t0 = now_ms();
	s.h = h;
	storm_start_chunk(&s);
	ev_timer(r->loop, STORM_TIMEOUT_MS, storm_timeout, r->loop, &t);
	if (s.ok + s.failed < n)
		ev_run(r->loop);
	ev_timer_cancel(&t);
	ev_timer_cancel(&s.t_start);
	ev_timer_cancel(&s.t_trace);
	secs = (now_ms() - t0) / 1e3;
	printf("  %5u members at once: %u registered in %.1f s, %u failed, "
	       "%lu retransmissions, KS CPU %.0f us per registration\n", n,
	       s.ok, secs, n - s.ok, ike_counters(gen)->retransmits,
	       s.ok ? (cpu_s(ks) - cpu0) * 1e6 / s.ok : 0.0);
	/* the members all run in this one process: its CPU bounds the
	 * storm as much as the key server's */
	printf("        load generator CPU %.1f s (%.0f%% of a core); every "
	       "member had sent its message 1 %.1f s after the start\n",
	       cpu_s(getpid()) - gen0, 100 * (cpu_s(getpid()) - gen0) / secs,
	       s.all_started / 1e3);
	printf("        against the target (%u at once, all within %u s, none "
	       "failed): x%.2f%s%s\n", STORM_TARGET_N, STORM_TARGET_S,
	       STORM_TARGET_S / secs, n < STORM_TARGET_N ?
	       " (a smaller storm; BENCH_STORM=50000)" : "",
	       s.ok < n ? " (not all registered: missed)" : "");
	if (s.failed > 0)
		printf("        first failure: %s\n", s.why);
	if (waitpid(ks, &st, WNOHANG) == ks) {
		printf("        the key server died (status %d)\n", st);
		ks = 0;
	}
	for (unsigned i = 0; i < n; i++)
		ike_register_cancel(&h[i]);
	free(h);
	ike_free(gen);
	stop(ks);
	return 0;
}

static int
gm_setup(struct run *r, struct cli_env *env, uint16_t gm_port,
	 uint16_t ks_port)
{
	struct term *errs = term_new_mem();
	char err[256];
	int rc = -1;

	if (errs == NULL ||
	    cli_env_init(env, NULL, NULL, NULL, err, sizeof(err)) < 0 ||
	    cli_replay_text(env, "gm.cfg", gm_cfg, strlen(gm_cfg), errs) != 0)
		goto out;
	r->ike = ike_new(r->loop, gm_port, err, sizeof(err));
	if (r->ike == NULL)
		goto out;
	ike_set_conf(r->ike, env->conf, NULL);
	ike_set_remote_port(r->ike, ks_port);
	rc = ike_listen(r->ike, htonl(GM_ADDR), err, sizeof(err));
out:
	if (rc < 0)
		fprintf(stderr, "bench: load generator: %s\n", err);
	term_free(errs);
	return rc;
}

int
main(void)
{
	unsigned rate = env_uint("BENCH_FLOOD_RATE", 20000, 1, 1000000);
	unsigned nsrc = env_uint("BENCH_FLOOD_SOURCES", 50000, 1, 65000);
	unsigned regs = env_uint("BENCH_FLOOD_REGS", 5, 1, REGS_MAX);
	unsigned storm = env_uint("BENCH_STORM", 10000, 1, STORM_MAX);
	uint16_t port = (uint16_t)(30000 + getpid() % 20000);
	char dir[] = "/tmp/getvpn-flood-XXXXXX", acl_cfg[sizeof(ks_base) + 64];
	struct run r = { 0 };
	struct cli_env env;
	int rc = 0;

	if (geteuid() != 0) {
		printf("bench_flood: skipped (needs root for the raw socket)\n");
		return 0;
	}
	if (mkdtemp(dir) == NULL || (r.loop = ev_new()) == NULL ||
	    gm_setup(&r, &env, (uint16_t)(port + 1), port) < 0)
		return 1;
	snprintf(acl_cfg, sizeof(acl_cfg), "%s  authorization address ipv4 "
		 "10\n", ks_base);
	if (getenv("BENCH_STORM_ONLY") != NULL)
		goto storm;
	printf("bench_flood: a member's registration under a message-1 flood"
	       " of %u/s from %u sources (%u registrations each)\n", rate,
	       nsrc, regs);
	rc |= one_case(&r, dir, ks_base, port, regs, 0, nsrc, "no flood");
	rc |= one_case(&r, dir, ks_base, port, regs, rate, nsrc,
		       "flood, no authorization ACL");
	rc |= one_case(&r, dir, acl_cfg, port, regs, rate, nsrc,
		       "flood from outside the authorization ACL");
storm:
	printf("bench_flood: a storm of members registering at once "
	       "(BENCH_STORM)\n");
	rc |= storm_case(&r, &env, dir, port, storm);
	ike_free(r.ike);
	cli_env_fini(&env);
	ev_free(r.loop);
	snprintf(acl_cfg, sizeof(acl_cfg), "rm -rf '%s'", dir);
	if (system(acl_cfg) != 0)
		fprintf(stderr, "bench: %s stays\n", dir);
	return rc < 0 ? 1 : 0;
}
