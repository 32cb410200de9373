/*
 * bench_config: startup-config replay and `show running-config` speed.
 *
 * Generates a 100,000-line IOS config (many GDOI groups with their
 * profiles, crypto maps and large extended ACLs), replays it through the
 * real parser, renders it back, and measures the cost of matching one
 * config line with 100 and with 10,000 installed config objects: the
 * ratio must stay near 1 (matching does not scan the configuration).
 * Targets (issue): replay < 1 s, show < 0.5 s on one core.
 *
 * Then the same with the engines attached (a started router: key server
 * groups that become ready and make keys, a group member group on a
 * loopback interface): replay time per line for 100, 1,000, 10,000 and
 * 100,000 lines (300 key server groups), which must stay flat, and the
 * cost of one typed line (committed at once) with 10 and with 300 key
 * server groups running.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/evloop.h"
#include "platform/term.h"

#define TARGET_LINES 100000

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct text {
	char *s;
	size_t len, cap;
	unsigned lines;
};

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->cap - t->len < 512) {
		t->cap = t->cap ? t->cap * 2 : 1 << 20;
		t->s = realloc(t->s, t->cap);
		if (t->s == NULL)
			exit(2);
	}
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
	t->lines++;
}

/* One group: ACL of acl_entries lines, profile, transform set, group, map. */
static void
gen_group_at(struct text *t, unsigned g, unsigned acl_entries, const char *ks)
{
	add(t, "ip access-list extended POLICY-%u\n", g);
	for (unsigned i = 0; i < acl_entries; i++)
		add(t, " permit %s 10.%u.%u.0 0.0.0.255 host 172.16.%u.%u%s\n",
		    i % 3 ? "ip" : "udp", g % 250, i % 250, i / 250 % 250,
		    i % 250 + 1, i % 3 ? "" : " eq 4000");
	add(t, "crypto ipsec transform-set TS-%u esp-aes 256 esp-sha256-hmac\n", g);
	add(t, "crypto ipsec profile PROF-%u\n", g);
	add(t, " set transform-set TS-%u\n", g);
	add(t, "crypto gdoi group GROUP-%u\n", g);
	add(t, " identity number %u\n", g + 1);
	add(t, " server local\n");
	add(t, "  rekey lifetime seconds 86400\n");
	add(t, "  sa ipsec 10\n");
	add(t, "   profile PROF-%u\n", g);
	add(t, "   match address ipv4 POLICY-%u\n", g);
	add(t, "  rekey authentication mypubkey rsa REKEY\n");
	add(t, "  address ipv4 %s\n", ks);
}

static void
gen_group(struct text *t, unsigned g, unsigned acl_entries)
{
	gen_group_at(t, g, acl_entries, "10.0.0.1");
}

static struct cli_env *
env_new(void)
{
	struct cli_env *env = calloc(1, sizeof(*env));
	char err[256];

	if (env == NULL || cli_env_init(env, NULL, NULL, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(2);
	}
	return env;
}

static void
env_free(struct cli_env *env)
{
	cli_env_fini(env);
	free(env);
}

/* Nanoseconds to match-and-apply one line with `objects` ACLs installed. */
static double
per_line_cost(unsigned objects)
{
	struct cli_env *env = env_new();
	struct cli_session *s = cli_session_new(env, "bench",
						CLI_SESS_CONFIG | CLI_SESS_REPLAY);
	struct term *out = term_new_mem();
	char line[128];
	unsigned reps = 200000;
	double t0;

	for (unsigned i = 0; i < objects; i++) {
		snprintf(line, sizeof(line), "ip access-list extended A%u", i);
		cli_session_line(s, line, out);
		cli_session_line(s, " permit ip any any", out);
	}
	cli_session_line(s, "ip access-list extended A0", out);
	t0 = now();
	for (unsigned i = 0; i < reps; i++) {
		snprintf(line, sizeof(line), "ip access-list extended A%u",
			 i % objects);
		cli_session_line(s, line, out);
		term_mem_reset(out);
	}
	t0 = (now() - t0) / reps * 1e9;
	cli_session_free(s);
	term_free(out);
	env_free(env);
	return t0;
}

/*
 * With the engines: a router on a loop (null data plane, a free port),
 * a key store with the signing key.
 */
struct engines {
	struct evloop *loop;
	struct cli_env *env;
	char dir[64];
};

static void
engines_up(struct engines *e)
{
	char err[256];

	e->loop = ev_new();
	snprintf(e->dir, sizeof(e->dir), "/tmp/getvpn-bench-XXXXXX");
	e->env = calloc(1, sizeof(*e->env));
	if (e->loop == NULL || e->env == NULL || mkdtemp(e->dir) == NULL ||
	    cli_env_init(e->env, e->loop, NULL, e->dir, err, sizeof(err)) < 0 ||
	    cli_env_start_router(e->env, (uint16_t)(30000 + getpid() % 20000),
				 "null", err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: engines: %s\n", err);
		exit(2);
	}
}

static void
engines_down(struct engines *e)
{
	char cmd[96];

	env_free(e->env);
	ev_free(e->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: cannot remove %s\n", e->dir);
}

/* A config of about `lines` lines: the key, `groups` key server groups
 * sharing the rest in their ACLs, and one member group. */
static void
gen_engines(struct text *t, unsigned lines, unsigned groups)
{
	unsigned per = lines / groups > 14 ? lines / groups - 14 : 1;

	add(t, "crypto key generate rsa general-keys label REKEY modulus 1024\n");
	for (unsigned g = 0; g < groups; g++)
		gen_group_at(t, g, per, "127.0.0.1");
	add(t, "crypto gdoi group MEMBER\n identity number 99999\n"
	    " server address ipv4 127.0.0.1\n"
	    "crypto map M 10 gdoi\n set group MEMBER\n"
	    "interface lo9\n ip address 127.0.0.9 255.0.0.0\n crypto map M\n");
}

/* Seconds per line to replay about `lines` lines with the engines. */
static double
replay_engines(unsigned lines, unsigned groups, unsigned *got)
{
	struct engines e;
	struct text t = { 0 };
	struct term *errs = term_new_mem();
	double t0;
	int bad;

	engines_up(&e);
	gen_engines(&t, lines, groups);
	t0 = now();
	bad = cli_replay_text(e.env, "bench.cfg", t.s, t.len, errs);
	t0 = now() - t0;
	if (bad != 0) {
		fprintf(stderr, "bench: %d lines refused\n%.2000s", bad,
			term_mem_data(errs, NULL));
		exit(1);
	}
	*got = t.lines;
	engines_down(&e);
	term_free(errs);
	free(t.s);
	return t0 / t.lines;
}

/* Seconds for one typed (committed) line with `groups` groups running. */
static double
typed_line_engines(unsigned groups)
{
	struct engines e;
	struct text t = { 0 };
	struct term *out = term_new_mem();
	struct cli_session *s;
	unsigned reps = 2000;
	char line[128];
	double t0;

	engines_up(&e);
	gen_engines(&t, groups * 20, groups);
	cli_replay_text(e.env, "bench.cfg", t.s, t.len, out);
	s = cli_session_new(e.env, "bench", CLI_SESS_CONFIG);
	cli_session_line(s, "ip access-list extended OTHER", out);
	t0 = now();
	for (unsigned i = 0; i < reps; i++) {
		snprintf(line, sizeof(line), " permit ip host 10.9.%u.%u any",
			 i / 250 % 250, i % 250 + 1);
		term_mem_reset(out);
		cli_session_line(s, line, out);
	}
	t0 = (now() - t0) / reps;
	cli_session_free(s);
	engines_down(&e);
	term_free(out);
	free(t.s);
	return t0;
}

static void
c_typed(double ten, double many)
{
	printf("typed line with engines: %.1f us with 10 KS groups, %.1f us "
	       "with 300 (ratio %.2f)\n", ten * 1e6, many * 1e6, many / ten);
}

static void
bench_engines(void)
{
	static const unsigned sizes[] = { 100, 1000, 10000 };
	double first = 0, per;
	unsigned got;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		per = replay_engines(sizes[i], sizes[i] < 300 ? 3 : 30, &got);
		if (i == 0)
			first = per;
		printf("replay with engines: %6u lines  %7.2f us/line  "
		       "(x%.2f of the 100-line run)\n", got, per * 1e6,
		       per / first);
	}
	per = replay_engines(100000, 300, &got);
	printf("replay with engines: %6u lines, 300 KS groups  %7.2f us/line  "
	       "total %.3f s  target < 1 s: %s\n", got, per * 1e6, per * got,
	       per * got < 1.0 ? "met" : "MISSED");
	c_typed(typed_line_engines(10), typed_line_engines(300));
}

int
main(void)
{
	struct text t = { 0 };
	struct term *errs = term_new_mem(), *show = term_new_mem();
	struct cli_env *env = env_new();
	unsigned g = 0;
	double t0, replay, render, c100, c10k;
	int bad;

	for (; t.lines < TARGET_LINES; g++)
		gen_group(&t, g, 100 + (g % 10) * 50);
	t0 = now();
	bad = cli_replay_text(env, "bench.cfg", t.s, t.len, errs);
	replay = now() - t0;
	if (bad != 0) {
		fprintf(stderr, "bench: %d lines refused\n%.2000s", bad,
			term_mem_data(errs, NULL));
		return 1;
	}
	t0 = now();
	conf_show(env->conf, show);
	render = now() - t0;
	c100 = per_line_cost(100);
	c10k = per_line_cost(10000);
	printf("config: %u lines, %u groups, %zu bytes\n", t.lines, g, t.len);
	printf("replay: %.3f s  (%.0f lines/s)  target < 1 s: %s\n", replay,
	       t.lines / replay, replay < 1.0 ? "met" : "MISSED");
	printf("show running-config: %.3f s  (%zu bytes)  target < 0.5 s: %s\n",
	       render, strlen(term_mem_data(show, NULL)),
	       render < 0.5 ? "met" : "MISSED");
	printf("per-line match: %.0f ns with 100 objects, %.0f ns with 10000 "
	       "(ratio %.2f, flat when ~1)\n", c100, c10k, c10k / c100);
	env_free(env);
	term_free(errs);
	term_free(show);
	free(t.s);
	bench_engines();
	return 0;
}
