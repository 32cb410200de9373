/*
 * vty: the binary end to end.  `$GETVPN_BIN -d` runs as a child on a
 * temporary socket and is driven by `$GETVPN_BIN -S -c` and by raw
 * protocol clients written here (half frames, disconnects, clients that
 * never read, overlong lines); script mode gets lines on a pipe; the
 * console and the interactive client run on a pseudo-terminal and get
 * keys (`?`, TAB, Ctrl-Z, Ctrl-C, Ctrl-D, the pager).  The codec and the
 * pager alone are tested in check_frontend.c.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include "cli/vty.h"
#include "cli/vtyproto.h"

/* idle clients of one user that the daemon keeps: one slot is reserved */
#define VTY_FLOOD_HELD (VTY_MAX_CLIENTS - VTY_RESERVED)

/* ---- processes ---- */

static char *
bin(void)
{
	static char path[512];
	const char *b = getenv("GETVPN_BIN");

	if (b == NULL || access(b, X_OK) != 0)
		b = "build/getvpn";
	ck_assert_msg(access(b, X_OK) == 0, "set GETVPN_BIN to the getvpn binary");
	snprintf(path, sizeof(path), "%s", b);
	return path;
}

struct daemon_fx {
	char dir[64], sock[96], cfg[96], keys[96], log[96];
	pid_t pid;
};

static struct daemon_fx fx;

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static void
rm_rf(const char *dir)
{
	if (dir[0] != '\0')
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
sock_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Up to 30 s: a daemon under the sanitizers replaying a 19 MB config. */
static bool
wait_socket(const char *path, pid_t pid)
{
	for (int i = 0; i < 3000; i++) {
		int fd = sock_connect(path);

		if (fd >= 0) {
			close(fd);
			return true;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		usleep(10000);
	}
	return false;
}

/* Fork and exec argv with stdout/stderr into outfd (or the log file). */
static pid_t
spawn(char *const argv[], int infd, int outfd, int errfd)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (infd >= 0)
			dup2(infd, 0);
		if (outfd >= 0)
			dup2(outfd, 1);
		if (errfd >= 0)
			dup2(errfd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Wait for pid for at most ms, then kill it; the exit status or -1. */
static int
reap(pid_t pid, int ms)
{
	int st;

	for (int i = 0; i < ms / 5; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static char *
drain(int fd)
{
	size_t len = 0, cap = 4096;
	char *s = malloc(cap);
	ssize_t n;

	while ((n = read(fd, s + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2)
			s = realloc(s, cap *= 2);
	}
	s[len] = '\0';
	close(fd);
	return s;
}

/* Run the binary; stdout in *out, stderr in *err (malloc'd, or NULL). */
static int
run(char *const argv[], const char *input, char **out, char **err)
{
	int o[2], e[2], in[2];
	pid_t pid;
	char *so, *se;

	/* close-on-exec: a child must not hold its own stdin open */
	ck_assert(pipe2(o, O_CLOEXEC) == 0 && pipe2(e, O_CLOEXEC) == 0 &&
		  pipe2(in, O_CLOEXEC) == 0);
	pid = spawn(argv, in[0], o[1], e[1]);
	close(o[1]);
	close(e[1]);
	close(in[0]);
	if (input != NULL)
		ck_assert(write(in[1], input, strlen(input)) == (ssize_t)strlen(input));
	close(in[1]);
	/* Outputs stay small here: read one after the other. */
	so = drain(o[0]);
	se = drain(e[0]);
	if (out)
		*out = so;
	else
		free(so);
	if (err)
		*err = se;
	else
		free(se);
	return reap(pid, 5000);
}

static void
daemon_start(struct daemon_fx *f, const char *cfg)
{
	int logfd;

	snprintf(f->dir, sizeof(f->dir), "/tmp/getvpn-vty-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/sock", f->dir);
	snprintf(f->cfg, sizeof(f->cfg), "%s/startup-config", f->dir);
	snprintf(f->keys, sizeof(f->keys), "%s/keys", f->dir);
	snprintf(f->log, sizeof(f->log), "%s/daemon.log", f->dir);
	write_file(f->cfg, cfg);
	logfd = open(f->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(logfd, 0);
	{
		char *argv[] = { bin(), "-d", "-f", f->cfg, "-k", f->keys,
				 "-S", f->sock, NULL };

		f->pid = spawn(argv, -1, logfd, logfd);
	}
	close(logfd);
	ck_assert_msg(wait_socket(f->sock, f->pid), "daemon did not start");
}

static void
daemon_stop(struct daemon_fx *f)
{
	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		/* A daemon that did not exit cleanly tells why (sanitizers);
		 * one with a large config takes a while to free it there. */
		if (reap(f->pid, 10000) != 0) {
			char cmd[160];

			fprintf(stderr, "getvpn daemon did not exit cleanly:\n");
			snprintf(cmd, sizeof(cmd), "cat %s >&2", f->log);
			if (system(cmd) != 0)
				fprintf(stderr, "(no log)\n");
		}
		f->pid = 0;
	}
	rm_rf(f->dir);
	f->dir[0] = '\0';
}

/* A protocol client written against the spec, for what the real client
 * never does (half frames, not reading, overlong lines). */
struct raw {
	int fd;
	struct vtyproto_dec dec;
	struct vtyproto_done done;
	char in[4096];
	size_t off, len;
};

static void
raw_send(struct raw *r, enum vtyproto_type type, const char *text)
{
	struct vtyproto_buf b = { 0 };

	ck_assert_int_eq(vtyproto_put(&b, type, text, strlen(text)), 0);
	ck_assert(write(r->fd, b.data, b.len) == (ssize_t)b.len);
	vtyproto_buf_free(&b);
}

/* The next frame's type, or -1 when the daemon closed (3 s at most). */
static int
raw_frame(struct raw *r)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	for (;;) {
		while (r->off < r->len) {
			size_t used;
			enum vtyproto_event ev = vtyproto_feed(&r->dec,
				r->in + r->off, r->len - r->off, &used);

			r->off += used;
			ck_assert_int_ne(ev, VTYPROTO_BAD);
			if (ev != VTYPROTO_FRAME)
				continue;
			if (r->dec.type == VTYPROTO_DONE)
				ck_assert_int_eq(vtyproto_parse_done(r->dec.payload,
						 r->dec.len, &r->done), 0);
			return r->dec.type;
		}
		ck_assert_msg(poll(&p, 1, 10000) == 1, "no answer from the daemon");
		ssize_t n = read(r->fd, r->in, sizeof(r->in));

		if (n <= 0)
			return -1;
		r->off = 0;
		r->len = (size_t)n;
	}
}

static void
raw_open(struct raw *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = sock_connect(fx.sock);
	ck_assert_int_ge(r->fd, 0);
	vtyproto_dec_init(&r->dec, VTYPROTO_AT_CLIENT);
	ck_assert_int_eq(raw_frame(r), VTYPROTO_DONE);	/* the greeting */
}

static void
raw_close(struct raw *r)
{
	close(r->fd);
	vtyproto_dec_fini(&r->dec);
}

/* Run a line; its output in out (static), the DONE status returned. */
static int
raw_line(struct raw *r, const char *line, const char **out)
{
	static char text[1 << 16];
	size_t len = 0;
	int t;

	raw_send(r, VTYPROTO_LINE, line);
	while ((t = raw_frame(r)) == VTYPROTO_OUTPUT || t == VTYPROTO_LOG) {
		if (t == VTYPROTO_OUTPUT && len + r->dec.len < sizeof(text)) {
			memcpy(text + len, r->dec.payload, r->dec.len);
			len += r->dec.len;
		}
	}
	ck_assert_int_eq(t, VTYPROTO_DONE);
	text[len] = '\0';
	if (out)
		*out = text;
	return r->done.status;
}

static const char e2e_cfg[] =
	"hostname KS-E2E\n"
	"!\n"
	"crypto isakmp policy 10\n"
	" encr aes\n"
	"!\n"
	"this is not a command\n"
	"end\n";

static void
fx_setup(void)
{
	daemon_start(&fx, e2e_cfg);
}

static void
fx_teardown(void)
{
	daemon_stop(&fx);
}

/* Run `getvpn -S sock -c ...`; exit status, stdout in *out. */
static int
client(char **out, char **err, char *c1, char *c2, char *c3, char *c4)
{
	char *argv[16] = { bin(), "-S", fx.sock };
	char *cs[] = { c1, c2, c3, c4 };
	int n = 3;

	for (int i = 0; i < 4 && cs[i]; i++) {
		argv[n++] = "-c";
		argv[n++] = cs[i];
	}
	argv[n] = NULL;
	return run(argv, NULL, out, err);
}

START_TEST(test_e2e_show_run)
{
	char *out;

	ck_assert_int_eq(client(&out, NULL, "show running-config", 0, 0, 0), 0);
	ck_assert_ptr_nonnull(strstr(out, "\nhostname KS-E2E\n"));
	ck_assert_ptr_nonnull(strstr(out, "crypto isakmp policy 10\n encr aes\n"));
	free(out);
}
END_TEST

START_TEST(test_e2e_configure)
{
	char *out;

	ck_assert_int_eq(client(&out, NULL, "configure terminal", "hostname X",
				"end", "show running-config | include hostname"), 0);
	ck_assert_ptr_nonnull(strstr(out, "hostname X\n"));
	ck_assert_ptr_null(strstr(out, "KS-E2E"));
	free(out);
	/* A question takes the next -c as its answer. */
	ck_assert_int_eq(client(&out, NULL, "configure", "terminal",
				"hostname KS-E2E", "end"), 0);
	free(out);
	ck_assert_int_eq(client(&out, NULL, "show running-config | include "
				"hostname", 0, 0, 0), 0);
	ck_assert_str_eq(out, "hostname KS-E2E\n");
	free(out);
}
END_TEST

/* A refused line: exit 1, echoed after its prompt, caret under it. */
START_TEST(test_e2e_invalid)
{
	char *out;

	ck_assert_int_eq(client(&out, NULL, "show version", "show frobnicate",
				"show version", 0), 1);
	ck_assert_ptr_nonnull(strstr(out,
		"KS-E2E#show frobnicate\n"
		"            ^\n"
		"% Invalid input detected at '^' marker.\n"));
	free(out);
}
END_TEST

/* A bare Enter, whitespace and a lone `?` through -c, in EXEC and in
 * config modes: each answered, the daemon (key server included) alive. */
START_TEST(test_e2e_blank_lines)
{
	char *out;

	ck_assert_int_eq(client(&out, NULL, "", "   ", "\t", 0), 0);
	free(out);
	ck_assert_int_eq(client(&out, NULL, "configure terminal", "",
				"crypto isakmp policy 77", " "), 0);
	free(out);
	ck_assert_int_eq(client(&out, NULL, "show running-config | include "
				"policy 77", 0, 0, 0), 0);
	ck_assert_str_eq(out, "crypto isakmp policy 77\n");
	free(out);
	ck_assert_int_eq(client(&out, NULL, "configure terminal",
				"no crypto isakmp policy 77", "", 0), 0);
	free(out);
}
END_TEST

/* Blank, whitespace-only and lone `?` lines in every mode, through -c,
 * the daemon's stdin path and local script mode: all answered (a `?` with
 * the mode's help), nothing refused, the daemon alive. */
static char *const every_mode[][2] = {
	{ "enable", "Exec commands:" },
	{ "configure terminal", "Configure commands:" },
	{ "crypto isakmp policy 10", "ISAKMP commands:" },
	{ "crypto ipsec transform-set T esp-aes esp-sha-hmac",
	  "Crypto transform configuration commands:" },
	{ "crypto ipsec profile P", "Crypto Map configuration commands:" },
	{ "ip access-list extended A", "Ext Access List configuration" },
	{ "interface eth0", "Interface configuration commands:" },
	{ "line vty 0 4", "Line configuration commands:" },
	{ "crypto gdoi group G", "GKM group configuration commands:" },
	{ "server local", "GKM local server configuration commands:" },
	{ "sa ipsec 1", "GKM SA IPSEC configuration commands:" },
	{ "crypto map M 10 gdoi", "Crypto Map configuration commands:" },
	{ "end", "Exec commands:" },
};
#define EVERY_MODE_N (sizeof(every_mode) / sizeof(every_mode[0]))

static void
assert_every_mode(const char *out)
{
	const char *p = out;

	for (size_t i = 0; i < EVERY_MODE_N; i++) {
		p = strstr(p, every_mode[i][1]);
		ck_assert_msg(p != NULL, "no help for [%s] in:\n%s",
			      every_mode[i][0], out);
		p++;
	}
	ck_assert_ptr_null(strstr(out, "% Invalid"));
}

START_TEST(test_e2e_blank_every_mode)
{
	static char *const blanks[] = { "", " \t ", "?" };
	char *argv[4 + 2 * EVERY_MODE_N * 4] = { bin(), "-S", fx.sock };
	char *local[] = { bin(), "-k", fx.keys, NULL };
	char script[4096] = "", *out;
	int n = 3;

	for (size_t i = 0; i < EVERY_MODE_N; i++) {
		argv[n++] = "-c";
		argv[n++] = every_mode[i][0];
		strcat(strcat(script, every_mode[i][0]), "\n");
		for (size_t b = 0; b < 3; b++) {
			argv[n++] = "-c";
			argv[n++] = blanks[b];
			strcat(strcat(script, blanks[b]), "\n");
		}
	}
	argv[n] = NULL;
	ck_assert_int_eq(run(argv, NULL, &out, NULL), 0);
	assert_every_mode(out);
	free(out);
	argv[3] = NULL;		/* the same lines on the client's stdin */
	ck_assert_int_eq(run(argv, script, &out, NULL), 0);
	assert_every_mode(out);
	free(out);
	ck_assert_int_eq(run(local, script, &out, NULL), 0);
	assert_every_mode(out);
	free(out);
	ck_assert_int_eq(client(&out, NULL, "show version", 0, 0, 0), 0);
	free(out);
}
END_TEST

/* A NUL inside a line is refused with the caret on it, not cut short
 * into another command; over the vty and in script mode. */
START_TEST(test_e2e_nul)
{
	static const char nul_line[] = "show version\0 | include X";
	char *local[] = { bin(), "-k", fx.keys, NULL };
	char *out;
	int o[2], in[2];
	pid_t pid;
	struct raw r;
	const char *text;
	struct vtyproto_buf b = { 0 };

	raw_open(&r);
	ck_assert_int_eq(vtyproto_put(&b, VTYPROTO_LINE, nul_line,
				      sizeof(nul_line) - 1), 0);
	ck_assert(write(r.fd, b.data, b.len) == (ssize_t)b.len);
	vtyproto_buf_free(&b);
	while (raw_frame(&r) == VTYPROTO_OUTPUT)
		;
	ck_assert_int_eq(r.done.status, 1);
	ck_assert_int_eq(raw_line(&r, "show version", &text), 0);
	raw_close(&r);
	/* script mode: the bytes on a pipe */
	ck_assert(pipe2(o, O_CLOEXEC) == 0 && pipe2(in, O_CLOEXEC) == 0);
	pid = spawn(local, in[0], o[1], -1);
	close(o[1]);
	close(in[0]);
	ck_assert(write(in[1], nul_line, sizeof(nul_line) - 1) ==
		  sizeof(nul_line) - 1);
	ck_assert(write(in[1], "\n", 1) == 1);
	close(in[1]);
	out = drain(o[0]);
	ck_assert_int_eq(reap(pid, 5000), 1);
	ck_assert_msg(strstr(out, "            ^\n% Invalid input") != NULL,
		      "%s", out);
	ck_assert_ptr_null(strstr(out, "Version"));
	free(out);
}
END_TEST

/* A 1 MiB line and control bytes: refused, the next line runs. */
START_TEST(test_e2e_huge_lines)
{
	size_t big = 1 << 20;
	char *in = malloc(big + 64), *out;
	char *local[] = { bin(), "-k", fx.keys, NULL };
	char *remote[] = { bin(), "-S", fx.sock, NULL };

	memset(in, 'a', big);
	strcpy(in + big, "\nsh\x01ow version\nshow\x1b[2J\nshow version\n");
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(run(i ? remote : local, in, &out, NULL), 1);
		ck_assert_ptr_nonnull(strstr(out, "% Line too long"));
		ck_assert_ptr_nonnull(strstr(out, "  ^\n% Invalid input"));
		ck_assert_ptr_nonnull(strstr(out, "Version"));
		free(out);
	}
	free(in);
}
END_TEST

/* Two sessions at once, each with its own mode. */
START_TEST(test_e2e_concurrent)
{
	struct raw a, b;
	const char *out;
	char *o;

	raw_open(&a);
	raw_open(&b);
	ck_assert_str_eq(a.done.prompt, "KS-E2E#");
	ck_assert_int_eq(raw_line(&a, "configure terminal", NULL), 0);
	ck_assert_str_eq(a.done.prompt, "KS-E2E(config)#");
	ck_assert_int_eq(raw_line(&b, "show running-config", &out), 0);
	ck_assert_str_eq(b.done.prompt, "KS-E2E#");
	ck_assert_ptr_nonnull(strstr(out, "hostname KS-E2E"));
	/* and a third, the real client, while both stay connected */
	ck_assert_int_eq(client(&o, NULL, "show version", 0, 0, 0), 0);
	free(o);
	ck_assert_int_eq(raw_line(&a, "crypto isakmp policy 20", NULL), 0);
	ck_assert_str_eq(a.done.prompt, "KS-E2E(config-isakmp)#");
	ck_assert_int_eq(raw_line(&a, "end", NULL), 0);
	raw_close(&a);
	raw_close(&b);
}
END_TEST

/* Broken clients (half a header, half a payload, a pending question,
 * garbage, a client that never reads) leave the daemon serving. */
START_TEST(test_e2e_broken_clients)
{
	static const char half_hdr[] = { VTYPROTO_LINE, 0, 0 };
	static const char half_body[] = { VTYPROTO_LINE, 0, 0, 0, 20, 's', 'h' };
	static const char garbage[] = { 0x77, 1, 2, 3, 4, 5 };
	struct raw r;
	char *out;

	raw_open(&r);
	ck_assert(write(r.fd, half_hdr, sizeof(half_hdr)) == sizeof(half_hdr));
	raw_close(&r);
	raw_open(&r);
	ck_assert(write(r.fd, half_body, sizeof(half_body)) == sizeof(half_body));
	raw_close(&r);
	raw_open(&r);
	raw_line(&r, "configure", NULL);	/* asks a question */
	ck_assert(r.done.flags & VTYPROTO_DONE_ASKING);
	raw_close(&r);
	raw_open(&r);
	ck_assert(write(r.fd, garbage, sizeof(garbage)) == sizeof(garbage));
	ck_assert_int_eq(raw_frame(&r), -1);	/* dropped */
	raw_close(&r);
	/* 200 requests and never a read: the daemon must not block on it */
	raw_open(&r);
	for (int i = 0; i < 200; i++)
		raw_send(&r, VTYPROTO_LINE, "show running-config");
	ck_assert_int_eq(client(&out, NULL, "show running-config", 0, 0, 0), 0);
	ck_assert_ptr_nonnull(strstr(out, "hostname KS-E2E"));
	free(out);
	raw_close(&r);
}
END_TEST

/* help, completion, terminal length and secrets over the protocol */
START_TEST(test_e2e_protocol)
{
	char *longline = malloc(VTYPROTO_LINE_MAX + 2);
	unsigned char hdr[VTYPROTO_HDR_LEN];
	struct raw r;
	const char *out;

	raw_open(&r);
	ck_assert_uint_eq(r.done.term_length, 24);
	raw_send(&r, VTYPROTO_HELP, "sh");
	ck_assert_int_eq(raw_frame(&r), VTYPROTO_HELP_TEXT);
	ck_assert_ptr_nonnull(strstr(r.dec.payload, "show"));
	raw_send(&r, VTYPROTO_COMPLETE, "sh");
	ck_assert_int_eq(raw_frame(&r), VTYPROTO_COMPLETION);
	ck_assert_str_eq(r.dec.payload, "show ");
	raw_send(&r, VTYPROTO_COMPLETE, "zz");
	ck_assert_int_eq(raw_frame(&r), VTYPROTO_COMPLETION);
	ck_assert_uint_eq(r.dec.len, 0);	/* the bell */
	ck_assert_int_eq(raw_line(&r, "terminal length 0", NULL), 0);
	ck_assert_uint_eq(r.done.term_length, 0);
	ck_assert_int_eq(raw_line(&r, "configure terminal", NULL), 0);
	ck_assert_int_eq(raw_line(&r, "crypto isakmp key s3cr3t address "
				  "192.0.2.1", NULL), 0);
	ck_assert(r.done.flags & VTYPROTO_DONE_SECRET);
	ck_assert_int_eq(raw_line(&r, "no crypto isakmp key s3cr3t address "
				  "192.0.2.1", NULL), 0);
	ck_assert_int_eq(raw_line(&r, "end", NULL), 0);
	ck_assert(!(r.done.flags & VTYPROTO_DONE_SECRET));
	/* an overlong line is refused, the session goes on */
	memset(longline, 'a', VTYPROTO_LINE_MAX + 1);
	vtyproto_header(hdr, VTYPROTO_LINE, VTYPROTO_LINE_MAX + 1);
	ck_assert(write(r.fd, hdr, sizeof(hdr)) == sizeof(hdr));
	ck_assert(write(r.fd, longline, VTYPROTO_LINE_MAX + 1) ==
		  VTYPROTO_LINE_MAX + 1);
	ck_assert_int_eq(raw_frame(&r), VTYPROTO_OUTPUT);
	ck_assert_str_eq(r.dec.payload, "% Line too long\n");
	ck_assert_int_eq(raw_frame(&r), VTYPROTO_DONE);
	ck_assert_int_eq(r.done.status, 1);
	ck_assert_int_eq(raw_line(&r, "show version", &out), 0);
	/* exit closes the session and the connection */
	ck_assert_int_eq(raw_line(&r, "exit", NULL), 0);
	ck_assert(r.done.flags & VTYPROTO_DONE_CLOSED);
	ck_assert_int_eq(raw_frame(&r), -1);
	raw_close(&r);
	free(longline);
}
END_TEST

/* A second daemon on a live socket, or on a path that is no socket. */
START_TEST(test_e2e_refuse_second)
{
	char notsock[128];
	char *argv[] = { bin(), "-d", "-k", fx.keys, "-S", fx.sock, NULL };
	char *err;
	struct stat st;

	ck_assert_int_eq(stat(fx.sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	/* shared with the getvpn group only where that group exists */
	ck_assert_int_eq(st.st_mode & 0777, getgrnam(VTY_GROUP) ? 0660 : 0600);
	ck_assert_int_eq(run(argv, NULL, NULL, &err), 1);
	ck_assert_ptr_nonnull(strstr(err, "another daemon is listening"));
	free(err);
	snprintf(notsock, sizeof(notsock), "%s/plain", fx.dir);
	write_file(notsock, "keep me\n");
	argv[5] = notsock;
	ck_assert_int_eq(run(argv, NULL, NULL, &err), 1);
	ck_assert_ptr_nonnull(strstr(err, "is not a socket"));
	ck_assert_int_eq(access(notsock, F_OK), 0);
	free(err);
}
END_TEST

/* SIGTERM: exit 0 and the socket is gone; a stale socket is replaced. */
START_TEST(test_e2e_lifecycle)
{
	struct daemon_fx f = { .pid = 0 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	daemon_start(&f, "hostname LIFE\n");
	kill(f.pid, SIGTERM);
	ck_assert_int_eq(reap(f.pid, 3000), 0);
	f.pid = 0;
	ck_assert_int_eq(access(f.sock, F_OK), -1);
	/* a socket left by a crashed daemon: bound, nobody listening */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f.sock);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	{
		char *argv[] = { bin(), "-d", "-k", f.keys, "-S", f.sock,
				 NULL };

		f.pid = spawn(argv, -1, -1, -1);
	}
	ck_assert(wait_socket(f.sock, f.pid));
	kill(f.pid, SIGINT);
	ck_assert_int_eq(reap(f.pid, 3000), 0);
	f.pid = 0;
	daemon_stop(&f);
}
END_TEST

/* Script mode: lines on a pipe, no echo, exit 1 if one was refused. */
START_TEST(test_e2e_script)
{
	char *argv[] = { bin(), "-f", fx.cfg, "-k", fx.keys, NULL };
	char *out, *err;

	ck_assert_int_eq(run(argv, "enable\nshow running-config\n", &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "\nhostname KS-E2E\n"));
	ck_assert_ptr_null(strstr(out, "enable"));
	ck_assert_ptr_nonnull(strstr(err, "this is not a command"));
	free(out);
	free(err);
	ck_assert_int_eq(run(argv, "show version\nshow nothing\n", &out, NULL), 1);
	ck_assert_ptr_nonnull(strstr(out, "KS-E2E#show nothing\n"));
	free(out);
	/* the same through the daemon */
	argv[1] = "-S";
	argv[2] = fx.sock;
	argv[3] = NULL;
	ck_assert_int_eq(run(argv, "\n  \nshow running-config\n\n", &out,
			     NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "hostname KS-E2E"));
	free(out);
	ck_assert_int_eq(client(&out, NULL, "show version", 0, 0, 0), 0);
	free(out);
}
END_TEST

START_TEST(test_e2e_options)
{
	char *v[] = { bin(), "-V", NULL };
	char *h[] = { bin(), "-h", NULL };
	char *bad[] = { bin(), "-Q", NULL };
	char *nosock[] = { bin(), "-d", NULL };
	char *noconn[] = { bin(), "-S", "/nonexistent/sock", "-c", "show version",
			   NULL };
	char *out;

	ck_assert_int_eq(run(v, NULL, &out, NULL), 0);
	ck_assert_str_eq(out, "getvpn 0.1\n");
	free(out);
	ck_assert_int_eq(run(h, NULL, &out, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "usage: getvpn"));
	free(out);
	ck_assert_int_eq(run(bad, NULL, NULL, NULL), 2);
	ck_assert_int_eq(run(nosock, NULL, NULL, NULL), 2);
	/* no daemon there: 2, and why on stderr */
	ck_assert_int_eq(run(noconn, NULL, NULL, &out), 2);
	ck_assert_ptr_nonnull(strstr(out, "cannot connect to /nonexistent/sock"));
	free(out);
}
END_TEST

/* ---- on a terminal ---- */

struct pty {
	pid_t pid;
	int fd;
	char buf[1 << 16];
	size_t len, mark;	/* what is on screen; searched from mark */
};

static void
pty_spawn(struct pty *p, char *const argv[])
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	ck_assert_int_ge(m, 0);
	ck_assert(grantpt(m) == 0 && unlockpt(m) == 0);
	ioctl(m, TIOCSWINSZ, &ws);
	memset(p, 0, sizeof(*p));
	p->pid = fork();
	if (p->pid == 0) {
		int sl;

		setsid();
		sl = open(ptsname(m), O_RDWR);	/* the controlling tty */
		dup2(sl, 0);
		dup2(sl, 1);
		dup2(sl, 2);
		close(m);
		setenv("TERM", "vt100", 1);
		setenv("INPUTRC", "/dev/null", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	p->fd = m;
}

static void
pty_keys(struct pty *p, const char *keys)
{
	ck_assert(write(p->fd, keys, strlen(keys)) == (ssize_t)strlen(keys));
}

/* Wait (3 s at most) until want appears after the mark; move past it. */
static void
pty_expect(struct pty *p, const char *want)
{
	struct pollfd pf = { .fd = p->fd, .events = POLLIN };

	for (int waited = 0;; waited += 20) {
		char *hit;
		ssize_t n;

		p->buf[p->len] = '\0';
		hit = strstr(p->buf + p->mark, want);
		if (hit != NULL) {
			p->mark = (size_t)(hit - p->buf) + strlen(want);
			return;
		}
		ck_assert_msg(waited < 3000, "waiting for [%s] on [%s]", want,
			      p->buf + p->mark);
		if (poll(&pf, 1, 20) != 1)
			continue;
		if (p->len + 1024 >= sizeof(p->buf)) {
			memmove(p->buf, p->buf + p->mark, p->len - p->mark);
			p->len -= p->mark;
			p->mark = 0;
		}
		n = read(p->fd, p->buf + p->len, sizeof(p->buf) - p->len - 1);
		/* vt100 pads with NULs: keep the screen one C string */
		for (ssize_t i = 0; i < n; i++)
			if (p->buf[p->len + (size_t)i] == '\0')
				p->buf[p->len + (size_t)i] = ' ';
		if (n > 0)
			p->len += (size_t)n;
		else
			usleep(20000);	/* the child is gone: EIO */
	}
}

static int
pty_end(struct pty *p)
{
	int rc = reap(p->pid, 3000);

	close(p->fd);
	return rc;
}

/* `terminal width`: a long line's echo unwrapped at 0 (and at 511, as
 * netmiko sets it), wrapped at the terminal's 80 columns before; EXEC
 * and configuration keep separate histories. */
/* Key by key, as a person types: readline redraws after each one and
 * wraps the echo where the terminal width says. */
static void
pty_type(struct pty *p, const char *keys)
{
	for (const char *k = keys; *k; k++) {
		ck_assert(write(p->fd, k, 1) == 1);
		usleep(3000);
	}
}

static void
width_and_history(struct pty *p, const char *host)
{
	char want[256], prompt[64], x[101];

	memset(x, 'x', 100);
	x[100] = '\0';
	snprintf(want, sizeof(want), "include %s\r\n", x);
	snprintf(prompt, sizeof(prompt), "%s#", host);
	static const int widths[] = { -1, 0, 511 };	/* -1: not set */

	for (size_t i = 0; i < 3; i++) {
		int width = widths[i];

		if (width >= 0) {
			char cmd[64];

			snprintf(cmd, sizeof(cmd), "terminal width %d\r", width);
			pty_keys(p, cmd);
			pty_expect(p, prompt);
		}
		pty_keys(p, "show version | include ");
		pty_type(p, x);
		pty_keys(p, "\r");
		if (width >= 0)
			pty_expect(p, want);	/* one piece */
		pty_expect(p, prompt);
		if (width < 0)			/* wrapped at 80 columns */
			ck_assert_ptr_null(strstr(p->buf, want));
	}
	/* histories: config mode steps back over config lines only */
	snprintf(want, sizeof(want), "hostname %s\r", host);
	pty_keys(p, "configure terminal\rhostname HISTCFG\r");
	pty_expect(p, "HISTCFG(config)#");
	pty_keys(p, want);
	pty_keys(p, "end\r");
	pty_expect(p, prompt);
	pty_keys(p, "show privilege\rconfigure terminal\r");
	pty_expect(p, "(config)#");
	pty_keys(p, "\x10\x10\x10\r");	/* config's third last */
	pty_expect(p, "HISTCFG(config)#");
	pty_keys(p, want);
	pty_keys(p, "end\r");
	pty_expect(p, prompt);
}

/* The console: IOS keys, paging, history without secrets, Ctrl-D. */
START_TEST(test_console)
{
	char *argv[] = { bin(), "-f", fx.cfg, "-k", fx.keys, NULL };
	struct pty p;

	pty_spawn(&p, argv);
	pty_expect(&p, "this is not a command");
	pty_expect(&p, "%SYS-5-CONFIG_I: Configured from memory by console");
	pty_expect(&p, "KS-E2E>");
	pty_keys(&p, "\r   \r");		/* bare Enter, then blanks */
	pty_expect(&p, "KS-E2E>");
	pty_keys(&p, "en\r");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "\r");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "sh?");			/* help, then the line again */
	pty_expect(&p, "sh?\r\n");
	pty_expect(&p, "show");
	pty_expect(&p, "KS-E2E#sh");
	pty_keys(&p, "\t");			/* completes to "show " */
	pty_expect(&p, "ow ");
	pty_keys(&p, "\x15" "conf t\r");
	pty_expect(&p, "KS-E2E(config)#");
	pty_keys(&p, "crypto isakmp policy 5\r");
	pty_expect(&p, "KS-E2E(config-isakmp)#");
	pty_keys(&p, "\x1a");			/* Ctrl-Z: end */
	pty_expect(&p, "^Z");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "conf t\r");
	pty_expect(&p, "KS-E2E(config)#");
	pty_keys(&p, "hostn\x03");		/* Ctrl-C in config: end */
	pty_expect(&p, "^C");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "conf t\r");
	pty_expect(&p, "KS-E2E(config)#");
	pty_keys(&p, "crypto isakmp key T0PS3CRET address 192.0.2.9\r");
	pty_expect(&p, "KS-E2E(config)#");
	pty_keys(&p, "\x10");	/* config history: the secret is skipped */
	pty_expect(&p, "crypto isakmp policy 5");
	pty_keys(&p, "\x15" "end\r");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "terminal length 5\r");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "show running-config\r");
	pty_expect(&p, "Building configuration");
	pty_expect(&p, " --More-- ");
	pty_keys(&p, "\r");			/* one more line */
	pty_expect(&p, " --More-- ");
	pty_keys(&p, "q");
	pty_expect(&p, "KS-E2E#");
	ck_assert_ptr_null(strstr(p.buf + p.mark, "end\r\n"));
	width_and_history(&p, "KS-E2E");
	/* enable's Password: answer is never shown */
	pty_keys(&p, "configure terminal\renable secret Op3nS3same\rend\r");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "disable\r");
	pty_expect(&p, "KS-E2E>");
	pty_keys(&p, "enable\r");
	pty_expect(&p, "Password: ");
	pty_keys(&p, "Op3nS3same\r");
	pty_expect(&p, "KS-E2E#");
	p.buf[p.len] = '\0';
	ck_assert_ptr_null(strstr(p.buf + p.mark - 30, "Op3nS3same"));
	pty_keys(&p, "\x04");			/* Ctrl-D at EXEC leaves */
	ck_assert_int_eq(pty_end(&p), 0);
}
END_TEST

/* The interactive client: keys answered by the daemon, and a log line
 * from another session printed above the line being typed. */
START_TEST(test_client_interactive)
{
	char *argv[] = { bin(), "-S", fx.sock, NULL };
	struct pty p;
	char *out;

	pty_spawn(&p, argv);
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "terminal monitor\r");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "sh?");
	pty_expect(&p, "show");
	pty_expect(&p, "KS-E2E#sh");
	pty_keys(&p, "\tver");
	pty_expect(&p, "ow ver");
	ck_assert_int_eq(client(&out, NULL, "configure terminal", "end", 0, 0), 0);
	free(out);
	pty_expect(&p, "%SYS-5-CONFIG_I: Configured from console by vty");
	pty_expect(&p, "KS-E2E#show ver");	/* redrawn under the log line */
	pty_keys(&p, "\r");
	pty_expect(&p, "Version");
	pty_keys(&p, "conf t\r");
	pty_expect(&p, "KS-E2E(config)#");
	pty_keys(&p, "\x1a");
	pty_expect(&p, "KS-E2E#");
	width_and_history(&p, "KS-E2E");
	pty_keys(&p, "exit\r");
	ck_assert_int_eq(pty_end(&p), 0);
}
END_TEST

/* Banners greet an interactive session before its first prompt, in IOS
 * order (MOTD, login, exec); a -c client sees only what it asked for. */
START_TEST(test_client_banners)
{
	char *argv[] = { bin(), "-S", fx.sock, NULL };
	struct pty p;
	char *out;

	ck_assert_int_eq(client(&out, NULL, "configure terminal",
				"banner motd #Authorized access only#",
				"banner exec ^CKS-E2E exec^C", "end"), 0);
	free(out);
	pty_spawn(&p, argv);
	pty_expect(&p, "Authorized access only");
	pty_expect(&p, "KS-E2E exec");
	pty_expect(&p, "KS-E2E#");
	pty_keys(&p, "exit\r");
	ck_assert_int_eq(pty_end(&p), 0);
	ck_assert_int_eq(client(&out, NULL, "show clock", 0, 0, 0), 0);
	ck_assert_ptr_null(strstr(out, "Authorized"));
	free(out);
	ck_assert_int_eq(client(&out, NULL, "configure terminal",
				"no banner motd", "no banner exec", "end"), 0);
	free(out);
}
END_TEST

/* ---- users and privilege ---- */

#define NOBODY 65534

static const char aaa_cfg[] =
	"hostname AAA\n"
	"logging buffered\n"
	"enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM\n"
	"username nobody privilege 1\n"
	"line vty 0 15\n"
	" exec-timeout 0 3\n"
	"end\n";

static struct daemon_fx afx;
/* The binary the user nobody runs: a copy in afx.dir, which nobody can
 * reach wherever the tree is (a checkout under a 0700 directory would
 * otherwise fail these tests with exec's 127). */
static char nobody_bin[96];

static void
copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	char buf[65536];
	ssize_t n;

	ck_assert_msg(in >= 0 && out >= 0, "copy %s to %s: %s", from, to,
		      strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	ck_assert_int_eq(fchmod(out, mode), 0);
	ck_assert_int_eq(close(out), 0);
}

static void
aaa_setup(void)
{
	daemon_start(&afx, aaa_cfg);
	/* let another user reach the socket (the getvpn group's job) */
	ck_assert_int_eq(chmod(afx.dir, 0711), 0);
	ck_assert_int_eq(chmod(afx.sock, 0666), 0);
	snprintf(nobody_bin, sizeof(nobody_bin), "%s/getvpn", afx.dir);
	copy_file(bin(), nobody_bin, 0755);
}

static void
aaa_teardown(void)
{
	daemon_stop(&afx);
}

static void
become_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		_exit(126);
}

/* `getvpn -S sock -c ...` run by the user nobody; stdout in *out. */
static int
run_nobody(char *const cmds[], char **out)
{
	char *argv[32] = { nobody_bin, "-S", afx.sock };
	int n = 3, o[2];
	pid_t pid;

	for (int i = 0; cmds[i] != NULL && n < 29; i++) {
		argv[n++] = "-c";
		argv[n++] = cmds[i];
	}
	argv[n] = NULL;
	ck_assert(pipe2(o, O_CLOEXEC) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(o[1], 1);
		become_nobody();
		execv(argv[0], argv);
		_exit(127);
	}
	close(o[1]);
	*out = drain(o[0]);
	return reap(pid, 15000);
}

/* A root client on the aaa daemon. */
static int
aaa_root(char **out, char *c1, char *c2)
{
	char *argv[] = { bin(), "-S", afx.sock, "-c", c1, c2 ? "-c" : NULL,
			 c2, NULL };

	return run(argv, NULL, out, NULL);
}

/* A configured user without privilege can look but not change; enable
 * takes the secret; three wrong answers are refused and logged, and the
 * secrets never appear in the output. */
START_TEST(test_aaa_unprivileged)
{
	char *look[] = { "show privilege", "configure terminal",
			 "show running-config", NULL };
	char *wrong[] = { "enable", "WrOng1", "WrOng2", "WrOng3",
			  "show privilege", NULL };
	char *right[] = { "enable", "cisco", "show privilege",
			  "configure terminal", "end", NULL };
	char *gone[] = { "enable", NULL };	/* leaves mid-dialog */
	char *out;

	ck_assert_int_eq(run_nobody(look, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "Current privilege level is 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "AAA>configure terminal\n"
				     "    ^\n% Invalid input"));
	ck_assert_ptr_null(strstr(out, "hostname AAA"));
	free(out);
	ck_assert_int_eq(run_nobody(wrong, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "% Bad secrets"));
	ck_assert_ptr_nonnull(strstr(out, "Current privilege level is 1\n"));
	ck_assert_ptr_null(strstr(out, "WrOng"));
	free(out);
	ck_assert_int_eq(run_nobody(right, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "Current privilege level is 15\n"));
	ck_assert_ptr_null(strstr(out, "cisco"));
	free(out);
	ck_assert_int_eq(run_nobody(gone, &out), 0);
	free(out);
	ck_assert_int_eq(aaa_root(&out, "show logging | include PRIV.AUTH",
				  NULL), 0);
	ck_assert_msg(strstr(out, "%SYS-5-PRIV_AUTH_FAIL: "
				     "Authentication to Privilege level 15 "
				     "failed by vty") != NULL, "[%s]", out);
	ck_assert_ptr_null(strstr(out, "WrOng"));
	free(out);
	ck_assert_int_eq(aaa_root(&out, "show privilege", NULL), 0);
	ck_assert_str_eq(out, "Current privilege level is 15\n");
	free(out);
}
END_TEST

static int
count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/* 33 idle clients of an unprivileged user: the administrator still gets
 * the reserved slot, and exec-timeout clears the idle ones. */
START_TEST(test_aaa_idle_flood)
{
	int ready[2], n = 0;
	pid_t pid;
	char *out = NULL, c;

	ck_assert(pipe(ready) == 0);
	pid = fork();
	if (pid == 0) {
		int fds[33];

		close(ready[0]);
		become_nobody();
		for (int i = 0; i < 33; i++)
			fds[i] = sock_connect(afx.sock);
		(void)fds;
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	for (int i = 0; i < 100 && n < VTY_FLOOD_HELD; i++) {
		free(out);
		ck_assert_int_eq(aaa_root(&out, "show users", NULL), 0);
		n = count(out, "nobody");
		usleep(20000);
	}
	ck_assert_int_eq(n, VTY_FLOOD_HELD);	/* all but the reserved slot */
	ck_assert_ptr_nonnull(strstr(out, "* vty"));	/* and root got in */
	/* exec-timeout 0 3: the idle ones go, while their owner lives */
	for (int i = 0; i < 500 && n > 0; i++) {
		free(out);
		usleep(20000);
		ck_assert_int_eq(aaa_root(&out, "show users", NULL), 0);
		n = count(out, "nobody");
	}
	ck_assert_int_eq(n, 0);
	free(out);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
END_TEST

/* ---- output past VTY_OUT_MAX ---- */

/* A running-config of about 19 MB: 180,000 ACL remarks. */
static char *
big_config(void)
{
	size_t n = 180000, cap = n * 210 + 256, len = 0;
	char *s = malloc(cap);

	len += (size_t)snprintf(s, cap, "hostname BIG\nip access-list extended A\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, " remark %06zu %0190d\n",
					i, 0);
	return s;
}

/* The whole output arrives however long it is, while a client that reads
 * nothing of its own long output holds up nobody else. */
START_TEST(test_long_output)
{
	struct daemon_fx f = { .pid = 0 };
	char *cfg = big_config(), *out;
	char *argv[] = { bin(), "-S", NULL, "-c", "show running-config", NULL };
	char *ver[] = { bin(), "-S", NULL, "-c", "show version", NULL };
	struct raw r;
	size_t len;

	daemon_start(&f, cfg);
	free(cfg);
	argv[2] = ver[2] = f.sock;
	ck_assert_int_eq(run(argv, NULL, &out, NULL), 0);
	len = strlen(out);
	ck_assert_uint_gt(len, VTY_OUT_MAX);
	ck_assert_str_eq(out + len - 4, "end\n");
	ck_assert_ptr_nonnull(strstr(out, " remark 179999 "));
	free(out);
	memset(&r, 0, sizeof(r));
	r.fd = sock_connect(f.sock);
	ck_assert_int_ge(r.fd, 0);
	raw_send(&r, VTYPROTO_LINE, "show running-config");	/* never read */
	ck_assert_int_eq(run(ver, NULL, &out, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "Version"));
	free(out);
	close(r.fd);
	daemon_stop(&f);
}
END_TEST

Suite *suite_vty(void);

Suite *
suite_vty(void)
{
	Suite *s = suite_create("vty");
	TCase *tc;

	tc = tcase_create("daemon");
	tcase_set_timeout(tc, 30);
	/* Unchecked: the daemon is killed and the files removed even when a
	 * test fails. */
	tcase_add_unchecked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_e2e_show_run);
	tcase_add_test(tc, test_e2e_configure);
	tcase_add_test(tc, test_e2e_invalid);
	tcase_add_test(tc, test_e2e_blank_lines);
	tcase_add_test(tc, test_e2e_blank_every_mode);
	tcase_add_test(tc, test_e2e_nul);
	tcase_add_test(tc, test_e2e_huge_lines);
	tcase_add_test(tc, test_e2e_concurrent);
	tcase_add_test(tc, test_e2e_broken_clients);
	tcase_add_test(tc, test_e2e_protocol);
	tcase_add_test(tc, test_e2e_refuse_second);
	tcase_add_test(tc, test_e2e_script);
	tcase_add_test(tc, test_e2e_options);
	tcase_add_test(tc, test_console);
	tcase_add_test(tc, test_client_interactive);
	tcase_add_test(tc, test_client_banners);
	suite_add_tcase(s, tc);

	tc = tcase_create("aaa");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, aaa_setup, aaa_teardown);
	tcase_add_test(tc, test_aaa_unprivileged);
	tcase_add_test(tc, test_aaa_idle_flood);
	suite_add_tcase(s, tc);

	tc = tcase_create("long");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_long_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_e2e_lifecycle);
	suite_add_tcase(s, tc);
	return s;
}
