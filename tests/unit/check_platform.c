/*
 * platform layer: term (memory, callback and fd sinks, no SIGPIPE),
 * evloop (timer order, cancellation from callbacks, fd readiness,
 * signals, the virtual clock), log (exact IOS line format, sink filters
 * and reentrancy, the `logging buffered` ring, debug gating), fileio
 * (atomic replace, failures that keep the old file, EISDIR, EFBIG) and
 * hmap (100,000 keys, re-put, delete against a reference model).
 *
 * Logging is process-wide; every log test starts from log_test_reset()
 * so the tests do not depend on each other even without CK_FORK.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform/evloop.h"
#include "platform/fileio.h"
#include "platform/hmap.h"
#include "platform/fsm.h"
#include "platform/log.h"
#include "platform/term.h"

Suite *suite_platform(void);

/* ---- term ---- */

static const struct {
	const char *fmt;
	int a;
	const char *s;
	const char *want;
} term_fmt_cases[] = {
	{ "%d %s\n", 42, "x", "42 x\n" },
	{ "%% Invalid input at %d\n", 7, "", "% Invalid input at 7\n" },
	{ "%3d|%-6s|", -1, "ab", " -1|ab    |" },
	{ "%.0d%s", 0, "", "" },
};

START_TEST(test_term_mem_printf)
{
	struct term *t = term_new_mem();
	size_t len = 99;

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(term_mem_data(t, &len), "");
	ck_assert_uint_eq(len, 0);
	term_puts(t, "pre:");
	term_printf(t, term_fmt_cases[_i].fmt, term_fmt_cases[_i].a,
		    term_fmt_cases[_i].s);
	ck_assert_str_eq(term_mem_data(t, &len) + 4, term_fmt_cases[_i].want);
	ck_assert_uint_eq(len, 4 + strlen(term_fmt_cases[_i].want));
	term_mem_reset(t);
	ck_assert_str_eq(term_mem_data(t, NULL), "");
	term_free(t);
}
END_TEST

START_TEST(test_term_mem_large)
{
	struct term *t = term_new_mem();
	char big[5000];
	const char *d;
	size_t len, i;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < 50; i++)
		term_printf(t, "%s%zu\n", big, i);
	d = term_mem_data(t, &len);
	ck_assert_uint_eq(len, strlen(d));
	ck_assert_uint_eq(len, 50 * (sizeof(big) - 1) + 10 * 2 + 40 * 3);
	ck_assert(strncmp(d + len - 3, "49\n", 3) == 0);
	/* Non-memory terms and NULL are harmless. */
	ck_assert_str_eq(term_mem_data(NULL, &len), "");
	term_write(NULL, "x", 1);
	term_printf(NULL, "%d", 1);
	term_free(t);
}
END_TEST

static void
term_collect(void *arg, const char *buf, size_t len)
{
	term_write(arg, buf, len);
	term_write(arg, "|", 1);
}

START_TEST(test_term_cb)
{
	struct term *mem = term_new_mem();
	struct term *t = term_new_cb(term_collect, mem);

	ck_assert_ptr_null(term_new_cb(NULL, NULL));
	term_puts(t, "one");
	term_printf(t, "%s-%d", "two", 2);
	term_write(t, "", 0);	/* empty writes do not reach the callback */
	ck_assert_str_eq(term_mem_data(mem, NULL), "one|two-2|");
	term_free(t);
	term_free(mem);
}
END_TEST

START_TEST(test_term_fd_pipe)
{
	struct term *t;
	char buf[64];
	int p[2];
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	t = term_new_fd(p[1]);
	term_printf(t, "hello %d\n", 5);
	term_puts(t, "bye");
	n = read(p[0], buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 11);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "hello 5\nbye");
	/* The reader goes away: no SIGPIPE even with the default action,
	 * and output is dropped from then on. */
	signal(SIGPIPE, SIG_DFL);
	close(p[0]);
	term_puts(t, "into the void\n");
	term_puts(t, "again\n");
	signal(SIGPIPE, SIG_IGN);
	term_free(t);
	close(p[1]);
}
END_TEST

START_TEST(test_term_fd_socket)
{
	struct term *t;
	char buf[16];
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	t = term_new_fd(sv[0]);
	term_puts(t, "vty");
	ck_assert_int_eq(read(sv[1], buf, sizeof(buf)), 3);
	ck_assert(memcmp(buf, "vty", 3) == 0);
	signal(SIGPIPE, SIG_DFL);
	close(sv[1]);
	term_puts(t, "gone");
	term_puts(t, "gone");
	signal(SIGPIPE, SIG_IGN);
	term_free(t);
	close(sv[0]);
}
END_TEST

/* ---- evloop ---- */

struct ev_rec {
	struct evloop *loop;
	char order[64];
	size_t n;
	uint64_t at[64];
	struct ev_timer *victim;
	struct ev_timer *added;
	struct ev_timer *self;
};

struct ev_tag {
	struct ev_rec *rec;
	char name;
};

static void
ev_rec_cb(void *arg)
{
	struct ev_tag *tag = arg;

	tag->rec->at[tag->rec->n] = ev_now(tag->rec->loop);
	tag->rec->order[tag->rec->n++] = tag->name;
}

/* {ms per timer, names, advance, expected firing order} */
static const struct {
	uint64_t ms[6];
	const char *names;
	uint64_t advance;
	const char *want;
} ev_order_cases[] = {
	{ { 30, 10, 20 }, "abc", 100, "bca" },
	{ { 10, 10, 10, 10 }, "abcd", 10, "abcd" },		/* FIFO */
	{ { 5, 0, 5, 0, 7 }, "abcde", 6, "bdac" },
	{ { 50, 40, 30, 20, 10, 0 }, "abcdef", 35, "fedc" },
	{ { 1000 }, "a", 999, "" },
};

START_TEST(test_ev_timer_order)
{
	struct ev_rec rec = { 0 };
	struct ev_tag tags[6];
	struct ev_timer *h[6] = { 0 };
	size_t i, n = strlen(ev_order_cases[_i].names);

	rec.loop = ev_new();
	ev_set_virtual_clock(rec.loop, 1000);
	for (i = 0; i < n; i++) {
		tags[i].rec = &rec;
		tags[i].name = ev_order_cases[_i].names[i];
		ck_assert_int_eq(ev_timer(rec.loop, ev_order_cases[_i].ms[i],
					  ev_rec_cb, &tags[i], &h[i]), 0);
	}
	ev_advance(rec.loop, ev_order_cases[_i].advance);
	ck_assert_str_eq(rec.order, ev_order_cases[_i].want);
	ck_assert_uint_eq(ev_now(rec.loop), 1000 + ev_order_cases[_i].advance);
	/* Each callback saw the clock at its own deadline. */
	for (i = 0; i < rec.n; i++)
		ck_assert_uint_eq(rec.at[i],
				  1000 + ev_order_cases[_i].ms[rec.order[i] - 'a']);
	/* Fired handles were cleared; pending ones were not. */
	for (i = 0; i < n; i++) {
		bool fired = strchr(rec.order, tags[i].name) != NULL;

		ck_assert(fired == (h[i] == NULL));
	}
	ev_free(rec.loop);
}
END_TEST

static void
ev_cancel_other_cb(void *arg)
{
	struct ev_tag *tag = arg;
	static struct ev_tag late;

	ev_rec_cb(arg);
	/* Own handle is already cleared, so cancelling it is a no-op. */
	ck_assert_ptr_null(tag->rec->self);
	ev_timer_cancel(&tag->rec->self);
	ev_timer_cancel(&tag->rec->victim);
	ev_timer_cancel(&tag->rec->victim);
	late.rec = tag->rec;
	late.name = 'z';
	ck_assert_int_eq(ev_timer(tag->rec->loop, 0, ev_rec_cb, &late,
				  &tag->rec->added), 0);
}

START_TEST(test_ev_cancel_in_cb)
{
	struct ev_rec rec = { 0 };
	struct ev_tag a = { &rec, 'a' }, b = { &rec, 'b' }, c = { &rec, 'c' };
	struct ev_timer *hc = NULL;

	rec.loop = ev_new();
	ev_set_virtual_clock(rec.loop, 0);
	ev_timer(rec.loop, 10, ev_cancel_other_cb, &a, &rec.self);
	ev_timer(rec.loop, 10, ev_rec_cb, &b, &rec.victim);
	ev_timer(rec.loop, 20, ev_rec_cb, &c, &hc);
	ck_assert_uint_eq(ev_timer_remaining(hc), 20);
	ck_assert_uint_eq(ev_timer_remaining(NULL), UINT64_MAX);
	ev_advance(rec.loop, 15);
	ck_assert_str_eq(rec.order, "az");
	ck_assert_ptr_null(rec.victim);
	ck_assert_ptr_null(rec.added);
	ck_assert_uint_eq(ev_timer_remaining(hc), 5);
	ev_timer_cancel(&hc);
	ev_timer_cancel(&hc);
	ck_assert_ptr_null(hc);
	ev_advance(rec.loop, 100);
	ck_assert_str_eq(rec.order, "az");
	ev_free(rec.loop);
}
END_TEST

struct ev_io_rec {
	struct ev_io *h[2];
	int fds[2];
	int calls[2];
	char got[2][16];
};

static void
ev_io_rec_cb(int fd, void *arg)
{
	struct ev_io_rec *r = arg;
	int k = fd == r->fds[0] ? 0 : 1;
	ssize_t n;

	n = read(fd, r->got[k], sizeof(r->got[k]) - 1);
	r->got[k][n > 0 ? n : 0] = '\0';
	r->calls[k]++;
	/* Each watcher cancels itself and the other one. */
	ev_io_cancel(&r->h[k]);
	ev_io_cancel(&r->h[1 - k]);
}

START_TEST(test_ev_io_pipe)
{
	struct evloop *loop = ev_new();
	struct ev_io_rec r = { 0 };
	int p0[2], p1[2];

	ck_assert_int_eq(pipe(p0), 0);
	ck_assert_int_eq(pipe(p1), 0);
	r.fds[0] = p0[0];
	r.fds[1] = p1[0];
	ck_assert_int_eq(ev_read(loop, p0[0], ev_io_rec_cb, &r, &r.h[0]), 0);
	ck_assert_int_eq(ev_read(loop, p1[0], ev_io_rec_cb, &r, &r.h[1]), 0);
	ck_assert_int_eq(ev_read(loop, -1, ev_io_rec_cb, &r, NULL), -1);
	/* Nothing ready: the iteration times out without callbacks. */
	ck_assert_int_eq(ev_run_once(loop, 10), 0);
	ck_assert_int_eq(write(p0[1], "ping", 4), 4);
	ck_assert_int_eq(write(p1[1], "pong", 4), 4);
	ck_assert_int_eq(ev_run_once(loop, 1000), 1);
	ck_assert_int_eq(r.calls[0] + r.calls[1], 1);
	ck_assert_str_eq(r.calls[0] ? r.got[0] : r.got[1],
			 r.calls[0] ? "ping" : "pong");
	ck_assert_ptr_null(r.h[0]);
	ck_assert_ptr_null(r.h[1]);
	/* Both were cancelled: the still-readable pipe is ignored, and ev_run
	 * returns at once because nothing is left to wait for. */
	ck_assert_int_eq(ev_run_once(loop, 10), 0);
	ck_assert_int_eq(ev_run(loop), 0);
	ck_assert_int_eq(r.calls[0] + r.calls[1], 1);
	ev_free(loop);
	close(p0[0]);
	close(p0[1]);
	close(p1[0]);
	close(p1[1]);
}
END_TEST

static void
ev_sig_cb(int signo, void *arg)
{
	int *got = arg;

	*got = signo;
}

START_TEST(test_ev_signal)
{
	struct evloop *loop = ev_new();
	int got = 0, got2 = 0;

	ck_assert_int_eq(ev_signal(loop, SIGKILL, ev_sig_cb, &got), -1);
	ck_assert_int_eq(ev_signal(loop, SIGUSR1, ev_sig_cb, &got), 0);
	ck_assert_int_eq(ev_signal(loop, SIGUSR1, ev_sig_cb, &got2), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	/* The handler only wrote the pipe; callbacks run in the loop. */
	ck_assert_int_eq(got, 0);
	ck_assert_int_ge(ev_run_once(loop, 1000), 1);
	ck_assert_int_eq(got, SIGUSR1);
	ck_assert_int_eq(got2, SIGUSR1);
	ev_free(loop);
}
END_TEST

static void
ev_break_cb(void *arg)
{
	ev_break(arg);
}

START_TEST(test_ev_run_real_timer)
{
	struct evloop *loop = ev_new();
	struct ev_timer *h = NULL;
	uint64_t t0 = ev_now(loop);

	ev_timer(loop, 20, ev_break_cb, loop, &h);
	ck_assert_uint_le(ev_timer_remaining(h), 20);
	ck_assert_int_eq(ev_run(loop), 0);
	ck_assert_ptr_null(h);
	ck_assert_uint_ge(ev_now(loop) - t0, 20);
	ev_free(loop);
}
END_TEST

static void
ev_zero_cb(void *arg)
{
	struct ev_rec *rec = arg;

	if (++rec->n < 1000)
		ev_timer(rec->loop, 0, ev_zero_cb, rec, &rec->self);
}

/* A timer re-arming itself for 0 ms runs once per iteration, so fds
 * still get their turn. */
START_TEST(test_ev_zero_rearm)
{
	struct ev_rec rec = { 0 };

	rec.loop = ev_new();
	ev_timer(rec.loop, 0, ev_zero_cb, &rec, &rec.self);
	ck_assert_int_eq(ev_run_once(rec.loop, 0), 1);
	ck_assert_uint_eq(rec.n, 1);
	ck_assert_int_eq(ev_run_once(rec.loop, 0), 1);
	ck_assert_uint_eq(rec.n, 2);
	ck_assert_ptr_nonnull(rec.self);
	ev_timer_cancel(&rec.self);
	ck_assert_int_eq(ev_run_once(rec.loop, 0), 0);
	ev_free(rec.loop);
}
END_TEST

static void
ev_rearm_cb(void *arg)
{
	struct ev_rec *rec = arg;

	rec->order[rec->n++] = 'r';
	if (rec->n < 5)
		ev_timer(rec->loop, 1000, ev_rearm_cb, rec, &rec->self);
	else
		ev_break(rec->loop);
}

START_TEST(test_ev_virtual_clock)
{
	struct ev_rec rec = { 0 };
	struct ev_timer *h = NULL;

	rec.loop = ev_new();
	ev_set_virtual_clock(rec.loop, 0);
	ev_timer(rec.loop, 60000, ev_rearm_cb, &rec, &h);
	/* Re-basing the clock keeps pending timers' remaining time. */
	ev_set_virtual_clock(rec.loop, 500);
	ck_assert_uint_eq(ev_now(rec.loop), 500);
	ck_assert_uint_eq(ev_timer_remaining(h), 60000);
	/* A virtual-clock iteration never sleeps on a timer. */
	ck_assert_int_eq(ev_run_once(rec.loop, -1), 0);
	ck_assert_uint_eq(ev_now(rec.loop), 500);
	/* A re-arming timer inside one advance window fires repeatedly. */
	ev_advance(rec.loop, 62000);
	ck_assert_uint_eq(rec.n, 3);
	ck_assert_uint_eq(ev_timer_remaining(rec.self), 1000);
	/* ev_run simulates: it jumps to each deadline until ev_break. */
	ck_assert_int_eq(ev_run(rec.loop), 0);
	ck_assert_str_eq(rec.order, "rrrrr");
	ck_assert_uint_eq(ev_now(rec.loop), 500 + 60000 + 4000);
	ev_free(rec.loop);
}
END_TEST

START_TEST(test_ev_heap_many)
{
	struct evloop *loop = ev_new();
	static struct ev_timer *h[2000];
	struct ev_rec rec = { 0 };
	struct ev_tag tag = { &rec, 'x' };
	uint64_t last = 0;
	size_t i, j, fired = 0;

	rec.loop = loop;
	ev_set_virtual_clock(loop, 0);
	for (i = 0; i < 2000; i++)
		ev_timer(loop, (i * 7919) % 1000, ev_rec_cb, &tag, &h[i]);
	for (i = 0; i < 2000; i += 3)
		ev_timer_cancel(&h[i]);
	/* Fire in 1 ms steps: deadlines must never go backwards. */
	for (i = 0; i < 1000; i++) {
		rec.n = 0;
		ev_advance(loop, 1);
		ck_assert_uint_lt(rec.n, 64);
		for (j = 0; j < rec.n; j++) {
			ck_assert_uint_ge(rec.at[j], last);
			last = rec.at[j];
		}
		fired += rec.n;
	}
	ck_assert_uint_eq(fired, 2000 - 667);
	ev_free(loop);
}
END_TEST

/* ---- log ---- */

static struct term *log_cap;

static void
log_cap_sink(void *arg, int sev, const char *line)
{
	term_printf(arg, "%d|%s\n", sev, line);
}

static void
log_test_reset(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	log_debug_all_off();
	log_buffer_configure(0, 7);
	log_set_fixed_time(1701068427, 123);	/* Nov 27 07:00:27 UTC */
	if (log_cap == NULL)
		log_cap = term_new_mem();
	term_mem_reset(log_cap);
}

static void
log_test_done(void)
{
	log_sink_remove(log_cap_sink, log_cap);
	log_buffer_configure(0, 7);
	log_set_fixed_time(0, 0);
	term_free(log_cap);
	log_cap = NULL;
}

static const struct {
	long long sec;
	int ms;
	const char *want;
} log_ts_cases[] = {
	{ 1701068427, 123, "*Nov 27 07:00:27.123" },
	{ 1730790027, 5, "*Nov  5 07:00:27.005" },
	{ 1740791531, 711, "*Mar  1 01:12:11.711" },
	{ 1735689599, 999, "*Dec 31 23:59:59.999" },
};

START_TEST(test_log_timestamp)
{
	char buf[64];

	log_test_reset();
	log_set_fixed_time(log_ts_cases[_i].sec, log_ts_cases[_i].ms);
	log_timestamp(buf, sizeof(buf));
	ck_assert_str_eq(buf, log_ts_cases[_i].want);
	log_test_done();
}
END_TEST

START_TEST(test_log_format)
{
	log_test_reset();
	ck_assert_int_eq(log_sink_add(log_cap_sink, log_cap, 7), 0);
	log_ios("GDOI", 5, "GM_REGS_COMPL", "x");
	log_ios("CRYPTO", 4, "IKMP_BAD_MESSAGE", "IKE message from %s failed",
		"192.1.20.2");
	errno = ENOENT;
	log_warn("open %s", "ks.cfg");
	ck_assert_int_eq(errno, ENOENT);
	log_warnx("plain\n");
	log_info("info %d", 6);
	ck_assert_str_eq(term_mem_data(log_cap, NULL),
		"5|*Nov 27 07:00:27.123: %GDOI-5-GM_REGS_COMPL: x\n"
		"4|*Nov 27 07:00:27.123: %CRYPTO-4-IKMP_BAD_MESSAGE: IKE message "
		"from 192.1.20.2 failed\n"
		"4|*Nov 27 07:00:27.123: open ks.cfg: No such file or directory\n"
		"4|*Nov 27 07:00:27.123: plain\n"
		"6|*Nov 27 07:00:27.123: info 6\n");
	log_test_done();
}
END_TEST

/* Addresses print dotted, from network order, on any host. */
START_TEST(test_log_ip4)
{
	static const uint8_t a[4] = { 10, 99, 0, 3 }, b[4] = { 255, 0, 0, 1 };
	uint32_t na, nb;

	memcpy(&na, a, 4);
	memcpy(&nb, b, 4);
	ck_assert_str_eq(LOG_IP4(na), "10.99.0.3");
	ck_assert_str_eq(LOG_IP4(nb), "255.0.0.1");
	ck_assert_str_eq(LOG_IP4(0), "0.0.0.0");
	ck_assert_str_eq(LOG_IP4(0xffffffff), "255.255.255.255");
}
END_TEST

START_TEST(test_log_sink_filter)
{
	struct term *second = term_new_mem();

	log_test_reset();
	log_sink_add(log_cap_sink, log_cap, 5);
	log_sink_add(log_cap_sink, second, 3);
	log_ios("A", 6, "INFO", "i");
	log_ios("A", 5, "NOTICE", "n");
	log_ios("A", 3, "ERR", "e");
	log_sink_remove(log_cap_sink, second);
	log_sink_remove(log_cap_sink, second);	/* absent: harmless */
	log_ios("A", 2, "CRIT", "c");
	ck_assert_str_eq(term_mem_data(log_cap, NULL),
		"5|*Nov 27 07:00:27.123: %A-5-NOTICE: n\n"
		"3|*Nov 27 07:00:27.123: %A-3-ERR: e\n"
		"2|*Nov 27 07:00:27.123: %A-2-CRIT: c\n");
	ck_assert_str_eq(term_mem_data(second, NULL),
		"3|*Nov 27 07:00:27.123: %A-3-ERR: e\n");
	term_free(second);
	log_test_done();
}
END_TEST

static int log_reent_calls;

/* A sink that logs, removes itself and adds another sink mid-delivery. */
static void
log_reent_sink(void *arg, int sev, const char *line)
{
	log_reent_calls++;
	log_ios("SYS", 3, "LOOP", "from inside a sink");
	log_sink_remove(log_reent_sink, arg);
	log_sink_add(log_cap_sink, arg, 7);
}

START_TEST(test_log_sink_reentrancy)
{
	log_test_reset();
	log_buffer_configure(4096, 7);
	log_sink_add(log_reent_sink, log_cap, 7);
	log_ios("SYS", 5, "FIRST", "one");
	ck_assert_int_eq(log_reent_calls, 1);
	/* The nested line was dropped; the added sink sees the next line. */
	ck_assert_str_eq(term_mem_data(log_cap, NULL), "");
	log_ios("SYS", 5, "SECOND", "two");
	ck_assert_int_eq(log_reent_calls, 1);
	ck_assert_str_eq(term_mem_data(log_cap, NULL),
		"5|*Nov 27 07:00:27.123: %SYS-5-SECOND: two\n");
	term_mem_reset(log_cap);
	log_buffer_show(log_cap);
	ck_assert_ptr_nonnull(strstr(term_mem_data(log_cap, NULL),
				     "(1 messages dropped"));
	ck_assert_ptr_null(strstr(term_mem_data(log_cap, NULL), "LOOP"));
	log_test_done();
}
END_TEST

START_TEST(test_log_buffer_wrap)
{
	struct term *t = term_new_mem();
	const char *out, *body;
	int i;

	log_test_reset();
	log_buffer_configure(300, 6);
	for (i = 0; i < 40; i++)
		log_ios("GDOI", 5, "TEST", "line %02d", i);
	log_dbg(LOG_DBG_GDOI_KS, "debug is off");
	log_debug_set(LOG_DBG_GDOI_KS, true);
	log_dbg(LOG_DBG_GDOI_KS, "debug above the buffer level");
	log_buffer_show(t);
	out = term_mem_data(t, NULL);
	ck_assert_ptr_nonnull(strstr(out, "Syslog logging: enabled"));
	ck_assert_ptr_nonnull(strstr(out, "Buffer logging:  level informational"
				     ", 40 messages logged"));
	body = strstr(out, "\nLog Buffer (300 bytes):\n\n");
	ck_assert_ptr_nonnull(body);
	body += strlen("\nLog Buffer (300 bytes):\n\n");
	/* Each line is 44 bytes: the newest six fit, whole and in order. */
	ck_assert_str_eq(body,
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 34\n"
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 35\n"
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 36\n"
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 37\n"
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 38\n"
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 39\n");
	/* Shrinking keeps the newest lines that fit. */
	log_buffer_configure(100, 7);
	term_mem_reset(t);
	log_buffer_show(t);
	body = strstr(term_mem_data(t, NULL), "Log Buffer (100 bytes):\n\n");
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(body + strlen("Log Buffer (100 bytes):\n\n"),
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 38\n"
		"*Nov 27 07:00:27.123: %GDOI-5-TEST: line 39\n");
	log_buffer_clear();
	term_mem_reset(t);
	log_buffer_show(t);
	ck_assert_ptr_null(strstr(term_mem_data(t, NULL), "line"));
	log_buffer_configure(0, 7);
	term_mem_reset(t);
	log_buffer_show(t);
	ck_assert_ptr_nonnull(strstr(term_mem_data(t, NULL),
				     "Buffer logging:  disabled"));
	ck_assert_ptr_null(strstr(term_mem_data(t, NULL), "Log Buffer"));
	term_free(t);
	log_test_done();
}
END_TEST

START_TEST(test_log_debug_flags)
{
	int f;

	log_test_reset();
	log_sink_add(log_cap_sink, log_cap, 7);
	for (f = 0; f < LOG_DBG_COUNT; f++)
		ck_assert(!log_debug_on(f));
	ck_assert(!log_debug_on(LOG_DBG_COUNT));
	log_debug_set(LOG_DBG_COUNT, true);	/* out of range: ignored */
	log_dbg(LOG_DBG_GDOI_GM, "hidden");
	log_debug_set(LOG_DBG_GDOI_GM, true);
	ck_assert(log_debug_on(LOG_DBG_GDOI_GM));
	ck_assert(!log_debug_on(LOG_DBG_GDOI_KS));
	log_dbg(LOG_DBG_GDOI_GM, "GDOI:GM: seq %u", 3u);
	log_dbg(LOG_DBG_GDOI_KS, "other subsystem");
	log_debug_all_off();
	log_dbg(LOG_DBG_GDOI_GM, "hidden again");
	ck_assert_str_eq(term_mem_data(log_cap, NULL),
		"7|*Nov 27 07:00:27.123: GDOI:GM: seq 3\n");
	log_test_done();
}
END_TEST

/* A three-state machine through platform/fsm: legal moves made and
 * counted, illegal ones refused and counted, a move to the same state is
 * none, and each is logged under the machine's debug flag. */
static const char *const fsm_names[3] = { "A", "B", "C" };
static const uint32_t fsm_legal[3] = {
	[0] = FSM_BIT(1),
	[1] = FSM_BIT(2) | FSM_BIT(0),
	[2] = 0,
};

START_TEST(test_fsm_moves)
{
	struct fsm f = FSM("T", LOG_DBG_GDOI_GM, fsm_names, fsm_legal, 3);
	unsigned st = 0;

	log_test_reset();
	log_sink_add(log_cap_sink, log_cap, 7);
	ck_assert(fsm_move(&f, st, 1, "x%d", 1));
	st = 1;
	ck_assert(!fsm_move(&f, st, 3, "x%d", 1));	/* no such state */
	ck_assert(fsm_move(&f, st, 1, "x%d", 1));	/* no move */
	log_debug_set(LOG_DBG_GDOI_GM, true);
	ck_assert(fsm_move(&f, st, 2, "x%d", 2));
	st = 2;
	ck_assert(!fsm_move(&f, st, 0, "x%d", 2));	/* C is final */
	ck_assert(!fsm_move(&f, 7, 0, "bad"));
	ck_assert_uint_eq(f.moves, 2);
	ck_assert_uint_eq(f.refused, 3);
	ck_assert_str_eq(fsm_name(&f, 2), "C");
	ck_assert_str_eq(fsm_name(&f, 3), "?");
	ck_assert_str_eq(term_mem_data(log_cap, NULL),
		"7|*Nov 27 07:00:27.123: T x2: B -> C\n"
		"7|*Nov 27 07:00:27.123: T x2: refused C -> A\n"
		"7|*Nov 27 07:00:27.123: T bad: refused ? -> A\n");
	log_test_done();
}
END_TEST

/* With no sink at all, warnings and worse still reach stderr. */
START_TEST(test_log_stderr_fallback)
{
	char buf[512];
	int p[2], saved;
	ssize_t n;

	log_test_reset();
	ck_assert_int_eq(pipe(p), 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	log_ios("SYS", 3, "ERR", "lost?");
	log_ios("SYS", 5, "NOTE", "too mild");
	log_sink_add(log_cap_sink, log_cap, 7);
	log_ios("SYS", 2, "CRIT", "a sink has it");
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "*Nov 27 07:00:27.123: %SYS-3-ERR: lost?\n");
	log_test_done();
}
END_TEST

/* A watched fd closed behind the loop's back is dropped with a warning
 * instead of making poll spin. */
START_TEST(test_ev_closed_fd)
{
	struct evloop *loop = ev_new();
	struct ev_io_rec r = { 0 };
	int p[2];

	log_test_reset();
	log_sink_add(log_cap_sink, log_cap, 7);
	ck_assert_int_eq(pipe(p), 0);
	r.fds[0] = p[0];
	ev_read(loop, p[0], ev_io_rec_cb, &r, &r.h[0]);
	close(p[0]);
	close(p[1]);
	ck_assert_int_eq(ev_run_once(loop, 1000), 0);
	ck_assert_ptr_null(r.h[0]);
	ck_assert_int_eq(r.calls[0], 0);
	ck_assert_ptr_nonnull(strstr(term_mem_data(log_cap, NULL),
				     "closed while watched"));
	ck_assert_int_eq(ev_run(loop), 0);
	ev_free(loop);
	log_test_done();
}
END_TEST

/* ---- fileio ---- */

static char fio_root[64];

static int
fio_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	chmod(path, 0700);
	return remove(path);
}

static void
fio_setup(void)
{
	snprintf(fio_root, sizeof(fio_root), "/tmp/check_platform.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fio_root));
}

static void
fio_teardown(void)
{
	chmod(fio_root, 0700);
	nftw(fio_root, fio_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *
fio_path(const char *name)
{
	static char path[2][128];
	static int k;

	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", fio_root, name);
	return path[k];
}

static int
fio_entries(const char *dir)
{
	char cmd[160];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

START_TEST(test_fio_atomic_replace)
{
	const char *path = fio_path("startup-config");
	struct stat st;
	char *data;
	size_t len;

	ck_assert_int_eq(file_write_atomic(path, "hostname A\n", 11, 0644), 0);
	ck_assert_int_eq(file_write_atomic(path, "hostname KS1\n", 13, 0600), 0);
	ck_assert_int_eq(file_read_all(path, 1024, &data, &len), 0);
	ck_assert_uint_eq(len, 13);
	ck_assert_str_eq(data, "hostname KS1\n");
	free(data);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	/* No temp file is left behind. */
	ck_assert_int_eq(fio_entries(fio_root), 1);
	/* Empty content is a valid (empty) file. */
	ck_assert_int_eq(file_write_atomic(path, "", 0, 0600), 0);
	ck_assert_int_eq(file_read_all(path, 1024, &data, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(data, "");
	free(data);
}
END_TEST

START_TEST(test_fio_failures_keep_old)
{
	char path[128];
	char ro[128], rofile[160], *data;
	size_t len;

	snprintf(path, sizeof(path), "%s", fio_path("cfg"));
	ck_assert_int_eq(file_write_atomic(path, "old\n", 4, 0600), 0);
	/* Nonexistent directory. */
	errno = 0;
	ck_assert_int_eq(file_write_atomic(fio_path("nodir/cfg"), "x", 1, 0600),
			 -1);
	ck_assert_int_eq(errno, ENOENT);
	/* The target is a directory: rename fails after the temp file was
	 * written; the temp file is removed and errno kept. */
	ck_assert_int_eq(mkdir(fio_path("adir"), 0700), 0);
	ck_assert_int_eq(mkdir(fio_path("adir/sub"), 0700), 0);
	ck_assert_int_eq(file_write_atomic(fio_path("adir"), "x", 1, 0600), -1);
	ck_assert(errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST);
	ck_assert_int_eq(fio_entries(fio_root), 2);
	/* A read-only directory (meaningless for root, who may write). */
	snprintf(ro, sizeof(ro), "%s", fio_path("ro"));
	ck_assert_int_eq(mkdir(ro, 0700), 0);
	snprintf(rofile, sizeof(rofile), "%s/cfg", ro);
	ck_assert_int_eq(file_write_atomic(rofile, "old\n", 4, 0600), 0);
	ck_assert_int_eq(chmod(ro, 0500), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(file_write_atomic(rofile, "new\n", 4, 0600), -1);
		ck_assert_int_eq(errno, EACCES);
		ck_assert_int_eq(file_read_all(rofile, 64, &data, &len), 0);
		ck_assert_str_eq(data, "old\n");
		free(data);
		ck_assert_int_eq(fio_entries(ro), 1);
	}
	ck_assert_int_eq(file_read_all(path, 64, &data, &len), 0);
	ck_assert_str_eq(data, "old\n");
	free(data);
}
END_TEST

/* {content size, max, expected rc, expected errno} */
static const struct {
	size_t size, max;
	int rc, err;
} fio_read_cases[] = {
	{ 100, 99, -1, EFBIG },
	{ 100, 100, 0, 0 },
	{ 0, 0, 0, 0 },
	{ 70000, 1000000, 0, 0 },
	{ 70000, 69999, -1, EFBIG },
};

START_TEST(test_fio_read_limits)
{
	const char *path = fio_path("f");
	size_t size = fio_read_cases[_i].size, len = 1;
	char *buf = malloc(size + 1), *data = (char *)"unchanged";
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = (char)('a' + i % 26);
	ck_assert_int_eq(file_write_atomic(path, buf, size, 0600), 0);
	errno = 0;
	ck_assert_int_eq(file_read_all(path, fio_read_cases[_i].max, &data,
				       &len), fio_read_cases[_i].rc);
	if (fio_read_cases[_i].rc == 0) {
		ck_assert_uint_eq(len, size);
		ck_assert(memcmp(data, buf, size) == 0);
		ck_assert_int_eq(data[size], '\0');
		free(data);
	} else {
		ck_assert_int_eq(errno, fio_read_cases[_i].err);
		ck_assert_ptr_null(data);
	}
	free(buf);
}
END_TEST

START_TEST(test_fio_read_special)
{
	char *data = NULL;
	size_t len;

	ck_assert_int_eq(file_read_all(fio_root, 1 << 20, &data, &len), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_int_eq(file_read_all(fio_path("missing"), 100, &data, &len),
			 -1);
	ck_assert_int_eq(errno, ENOENT);
	/* procfs reports size 0 but has content. */
	ck_assert_int_eq(file_read_all("/proc/self/stat", 1 << 16, &data, &len),
			 0);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(strlen(data), len);
	free(data);
}
END_TEST

/* ---- hmap ---- */

#define HM_KEYS	100000

START_TEST(test_hmap_100k)
{
	struct hmap *m = hmap_new();
	char key[32];
	long i;

	for (i = 0; i < HM_KEYS; i++) {
		snprintf(key, sizeof(key), "GROUP-%ld", i);
		ck_assert_int_eq(hmap_put(m, key, (void *)(i + 1)), 0);
	}
	ck_assert_uint_eq(hmap_count(m), HM_KEYS);
	for (i = 0; i < HM_KEYS; i++) {
		snprintf(key, sizeof(key), "GROUP-%ld", i);
		ck_assert_ptr_eq(hmap_get(m, key), (void *)(i + 1));
	}
	/* Re-put replaces without growing the count. */
	for (i = 0; i < HM_KEYS; i += 2) {
		snprintf(key, sizeof(key), "GROUP-%ld", i);
		ck_assert_int_eq(hmap_put(m, key, (void *)(i + 7)), 0);
	}
	ck_assert_uint_eq(hmap_count(m), HM_KEYS);
	for (i = 0; i < HM_KEYS; i += 3) {
		snprintf(key, sizeof(key), "GROUP-%ld", i);
		ck_assert_ptr_eq(hmap_del(m, key),
				 (void *)(i + (i % 2 ? 1 : 7)));
		ck_assert_ptr_null(hmap_del(m, key));
	}
	for (i = 0; i < HM_KEYS; i++) {
		snprintf(key, sizeof(key), "GROUP-%ld", i);
		if (i % 3 == 0)
			ck_assert_ptr_null(hmap_get(m, key));
		else
			ck_assert_ptr_eq(hmap_get(m, key),
					 (void *)(i + (i % 2 ? 1 : 7)));
	}
	ck_assert_uint_eq(hmap_count(m), HM_KEYS - (HM_KEYS + 2) / 3);
	ck_assert_ptr_null(hmap_get(m, "GROUP-100000"));
	ck_assert_ptr_null(hmap_get(m, ""));
	ck_assert_ptr_null(hmap_get(NULL, "x"));
	ck_assert_int_eq(hmap_put(m, NULL, NULL), -1);
	hmap_free(m);
}
END_TEST

static void
hmap_sum(const char *key, void *val, void *arg)
{
	*(long *)arg += (long)val;
}

/* Random put/del churn checked against a plain array: exercises
 * backward-shift deletion through wrapped and crowded probe runs. */
START_TEST(test_hmap_churn)
{
	struct hmap *m = hmap_new();
	static long model[512];
	unsigned long x = 12345;
	char key[16];
	long want = 0, got = 0;
	size_t n = 0;
	int i, k;

	for (i = 0; i < 200000; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		k = (int)((x >> 33) % 512);
		snprintf(key, sizeof(key), "k%d", k);
		if ((x >> 20) & 1) {
			n += model[k] == 0;
			model[k] = i + 1;
			ck_assert_int_eq(hmap_put(m, key, (void *)(long)(i + 1)), 0);
		} else {
			ck_assert_ptr_eq(hmap_del(m, key), (void *)model[k]);
			n -= model[k] != 0;
			model[k] = 0;
		}
		ck_assert_uint_eq(hmap_count(m), n);
	}
	for (k = 0; k < 512; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		ck_assert_ptr_eq(hmap_get(m, key), (void *)model[k]);
		want += model[k];
	}
	hmap_foreach(m, hmap_sum, &got);
	ck_assert_int_eq(got, want);
	hmap_free(m);
}
END_TEST

Suite *
suite_platform(void)
{
	Suite *s = suite_create("platform");
	TCase *tc;

	tc = tcase_create("term");
	tcase_add_loop_test(tc, test_term_mem_printf, 0,
			    sizeof(term_fmt_cases) / sizeof(term_fmt_cases[0]));
	tcase_add_test(tc, test_term_mem_large);
	tcase_add_test(tc, test_term_cb);
	tcase_add_test(tc, test_term_fd_pipe);
	tcase_add_test(tc, test_term_fd_socket);
	suite_add_tcase(s, tc);

	tc = tcase_create("evloop");
	tcase_add_loop_test(tc, test_ev_timer_order, 0,
			    sizeof(ev_order_cases) / sizeof(ev_order_cases[0]));
	tcase_add_test(tc, test_ev_cancel_in_cb);
	tcase_add_test(tc, test_ev_io_pipe);
	tcase_add_test(tc, test_ev_signal);
	tcase_add_test(tc, test_ev_run_real_timer);
	tcase_add_test(tc, test_ev_zero_rearm);
	tcase_add_test(tc, test_ev_virtual_clock);
	tcase_add_test(tc, test_ev_heap_many);
	tcase_add_test(tc, test_ev_closed_fd);
	suite_add_tcase(s, tc);

	tc = tcase_create("log");
	tcase_add_loop_test(tc, test_log_timestamp, 0,
			    sizeof(log_ts_cases) / sizeof(log_ts_cases[0]));
	tcase_add_test(tc, test_log_format);
	tcase_add_test(tc, test_log_ip4);
	tcase_add_test(tc, test_log_sink_filter);
	tcase_add_test(tc, test_log_sink_reentrancy);
	tcase_add_test(tc, test_log_buffer_wrap);
	tcase_add_test(tc, test_log_debug_flags);
	tcase_add_test(tc, test_fsm_moves);
	tcase_add_test(tc, test_log_stderr_fallback);
	suite_add_tcase(s, tc);

	tc = tcase_create("fileio");
	tcase_add_checked_fixture(tc, fio_setup, fio_teardown);
	tcase_add_test(tc, test_fio_atomic_replace);
	tcase_add_test(tc, test_fio_failures_keep_old);
	tcase_add_loop_test(tc, test_fio_read_limits, 0,
			    sizeof(fio_read_cases) / sizeof(fio_read_cases[0]));
	tcase_add_test(tc, test_fio_read_special);
	suite_add_tcase(s, tc);

	tc = tcase_create("hmap");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_hmap_100k);
	tcase_add_test(tc, test_hmap_churn);
	suite_add_tcase(s, tc);
	return s;
}
