/*
 * xfrm backend: the classification of netlink errors (table-driven,
 * including nonsense errno values), the one-line reasons, what an SA is
 * refused for, the backend operations and "auto" with an injected probe,
 * the permission line for an unprivileged process, and (tagged "root")
 * the real kernel probe: its verdict matches what iproute2 gets from the
 * same kernel, and it leaves no SA, link or namespace change behind.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipsec/ipsec.h"
#include "ipsec/null.h"
#include "ipsec/user.h"
#include "ipsec/xfrm.h"
#include "platform/log.h"

Suite *suite_xfrm(void);

#define NO_ESP_LINE "xfrm: this kernel has no ESP support (CONFIG_INET_ESP)"
#define NO_PERM_LINE "xfrm: not permitted to program kernel IPsec SAs " \
	"(needs root or CAP_NET_ADMIN)"
#define HINT "; " IPSEC_XFRM_HINT

/* ---- classification ---- */

static const struct {
	enum ipsec_xfrm_stage stage;
	int err;
	enum ipsec_xfrm_verdict want;
	const char *text;	/* part of the reason line */
} classify_cases[] = {
	{ IPSEC_XFRM_STAGE_OPEN, 0, IPSEC_XFRM_OK, "available" },
	{ IPSEC_XFRM_STAGE_OPEN, EPROTONOSUPPORT, IPSEC_XFRM_NO_XFRM,
	  "CONFIG_XFRM_USER" },
	{ IPSEC_XFRM_STAGE_OPEN, EAFNOSUPPORT, IPSEC_XFRM_NO_XFRM,
	  "no XFRM netlink" },
	{ IPSEC_XFRM_STAGE_OPEN, EPERM, IPSEC_XFRM_NO_PERM, "CAP_NET_ADMIN" },
	{ IPSEC_XFRM_STAGE_OPEN, EACCES, IPSEC_XFRM_NO_PERM, "not permitted" },
	{ IPSEC_XFRM_STAGE_OPEN, ENOMEM, IPSEC_XFRM_FAILED,
	  "opening NETLINK_XFRM" },
	{ IPSEC_XFRM_STAGE_OPEN, EMFILE, IPSEC_XFRM_FAILED, "failed" },
	{ IPSEC_XFRM_STAGE_OPEN, ENOSYS, IPSEC_XFRM_FAILED, "failed" },
	{ IPSEC_XFRM_STAGE_NEWSA, 0, IPSEC_XFRM_OK, "available" },
	{ IPSEC_XFRM_STAGE_NEWSA, EEXIST, IPSEC_XFRM_OK, "available" },
	{ IPSEC_XFRM_STAGE_NEWSA, EPROTONOSUPPORT, IPSEC_XFRM_NO_ESP,
	  "CONFIG_INET_ESP" },
	{ IPSEC_XFRM_STAGE_NEWSA, -EPROTONOSUPPORT, IPSEC_XFRM_NO_ESP,
	  "no ESP support" },
	{ IPSEC_XFRM_STAGE_NEWSA, ENOSYS, IPSEC_XFRM_NO_ALG, "cbc(aes)" },
	{ IPSEC_XFRM_STAGE_NEWSA, ENOENT, IPSEC_XFRM_NO_ALG, "hmac(sha256)" },
	{ IPSEC_XFRM_STAGE_NEWSA, EPERM, IPSEC_XFRM_NO_PERM, "CAP_NET_ADMIN" },
	{ IPSEC_XFRM_STAGE_NEWSA, -EPERM, IPSEC_XFRM_NO_PERM, "root" },
	{ IPSEC_XFRM_STAGE_NEWSA, EAFNOSUPPORT, IPSEC_XFRM_NO_XFRM,
	  "XFRM netlink" },
	{ IPSEC_XFRM_STAGE_NEWSA, EINVAL, IPSEC_XFRM_FAILED,
	  "adding the probe SA" },
	{ IPSEC_XFRM_STAGE_NEWSA, ENOBUFS, IPSEC_XFRM_FAILED, "failed" },
	{ IPSEC_XFRM_STAGE_NEWSA, ESRCH, IPSEC_XFRM_FAILED, "failed" },
	{ IPSEC_XFRM_STAGE_NEWSA, 99999, IPSEC_XFRM_FAILED, "99999" },
	{ IPSEC_XFRM_STAGE_NEWSA, INT_MAX, IPSEC_XFRM_FAILED, "failed" },
	{ IPSEC_XFRM_STAGE_NEWSA, INT_MIN, IPSEC_XFRM_FAILED, "failed" },
	{ (enum ipsec_xfrm_stage)7, EINVAL, IPSEC_XFRM_FAILED, "unknown step" },
	{ (enum ipsec_xfrm_stage)7, EPERM, IPSEC_XFRM_NO_PERM, "root" },
	{ (enum ipsec_xfrm_stage)-1, EPROTONOSUPPORT, IPSEC_XFRM_FAILED,
	  "failed" },
};

START_TEST(test_classify)
{
	struct ipsec_xfrm_caps caps = { 0 };
	char buf[256], tiny[8];
	const char *line;

	caps.stage = classify_cases[_i].stage;
	caps.err = classify_cases[_i].err;
	caps.verdict = ipsec_xfrm_classify(caps.stage, caps.err);
	ck_assert_int_eq(caps.verdict, classify_cases[_i].want);
	line = ipsec_xfrm_reason(&caps, buf, sizeof(buf));
	ck_assert_ptr_eq(line, buf);
	ck_assert_msg(strncmp(line, "xfrm: ", 6) == 0, "%s", line);
	ck_assert_msg(strstr(line, classify_cases[_i].text) != NULL,
		      "'%s' lacks '%s'", line, classify_cases[_i].text);
	ck_assert_ptr_null(strchr(line, '\n'));
	ck_assert_uint_lt(strlen(line), sizeof(buf) - 1);
	/* A short buffer truncates, never overflows. */
	ipsec_xfrm_reason(&caps, tiny, sizeof(tiny));
	ck_assert_int_eq(strncmp(tiny, "xfrm: ", 6), 0);
	ck_assert_uint_eq(strlen(tiny), sizeof(tiny) - 1);
	ck_assert_ptr_eq(ipsec_xfrm_reason(&caps, tiny, 0), tiny);
}
END_TEST

/* The kernel's extended-ack text joins a FAILED line, on one line. */
START_TEST(test_reason_kernel_text)
{
	struct ipsec_xfrm_caps caps = {
		.verdict = IPSEC_XFRM_FAILED,
		.stage = IPSEC_XFRM_STAGE_NEWSA,
		.err = EINVAL,
		.kernel_msg = "Invalid SA direction",
	};
	char buf[256];

	ipsec_xfrm_reason(&caps, buf, sizeof(buf));
	ck_assert_str_eq(buf, "xfrm: the kernel probe failed adding the probe "
			 "SA: Invalid argument (Invalid SA direction)");
	caps.verdict = IPSEC_XFRM_NO_ESP;
	ck_assert_str_eq(ipsec_xfrm_reason(&caps, buf, sizeof(buf)),
			 NO_ESP_LINE);
	/* An out-of-range verdict still yields a line. */
	caps.verdict = (enum ipsec_xfrm_verdict)42;
	ipsec_xfrm_reason(&caps, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "xfrm: the kernel probe failed", 29) == 0,
		      "%s", buf);
}
END_TEST

/* ---- refusals ---- */

static const struct {
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	enum ipsec_replay replay;
	unsigned sid_bits;
	const char *text;
} refusal_cases[] = {
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, IPSEC_REPLAY_TIME, 16,
	  "time-based anti-replay" },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128, IPSEC_REPLAY_TIME, 0,
	  "time-based anti-replay" },
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, IPSEC_REPLAY_NONE, 16,
	  "RFC 6054 sender IDs" },
	{ IPSEC_ENC_AES_GMAC, IPSEC_AUTH_NONE, IPSEC_REPLAY_COUNTER, 8,
	  "RFC 6054 sender IDs" },
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, IPSEC_REPLAY_NONE, 0,
	  "GCM/GMAC" },
	{ IPSEC_ENC_AES_GMAC, IPSEC_AUTH_NONE, IPSEC_REPLAY_NONE, 0,
	  "GCM/GMAC" },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96, IPSEC_REPLAY_COUNTER, 0,
	  "sequence-number window" },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128, IPSEC_REPLAY_NONE, 0,
	  "tc-BPF shim" },
	{ IPSEC_ENC_3DES_CBC, IPSEC_AUTH_HMAC_SHA1_96, IPSEC_REPLAY_NONE, 0,
	  "tc-BPF shim" },
};

static struct ipsec_sa
sa_of(size_t i)
{
	struct ipsec_sa sa = {
		.spi = htonl(0x12345678),
		.dir = IPSEC_DIR_OUT,
		.enc = refusal_cases[i].enc,
		.auth = refusal_cases[i].auth,
		.enc_key_len = 16,
		.replay = refusal_cases[i].replay,
		.sid_bits = refusal_cases[i].sid_bits,
		.sid = 1,
		.group_id = 7,
	};

	memset(sa.enc_key, 0xa5, sa.enc_key_len);
	return sa;
}

START_TEST(test_refusal)
{
	struct ipsec_sa sa = sa_of((size_t)_i);
	const char *why = ipsec_xfrm_sa_refusal(&sa);

	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strncmp(why, "xfrm: ", 6) == 0, "%s", why);
	ck_assert_msg(strstr(why, refusal_cases[_i].text) != NULL,
		      "'%s' lacks '%s'", why, refusal_cases[_i].text);
	ck_assert_ptr_null(strchr(why, '\n'));
}
END_TEST

/* ---- the backend with an injected probe ---- */

static struct ipsec_xfrm_caps fake_caps;
static unsigned fake_calls;
static enum ipsec_xfrm_where fake_where;

static int
fake_probe(enum ipsec_xfrm_where where, struct ipsec_xfrm_caps *caps)
{
	fake_calls++;
	fake_where = where;
	*caps = fake_caps;
	return caps->verdict == IPSEC_XFRM_OK ? 0 : -1;
}

static void
fake(enum ipsec_xfrm_verdict v, int err)
{
	memset(&fake_caps, 0, sizeof(fake_caps));
	fake_caps.verdict = v;
	fake_caps.stage = IPSEC_XFRM_STAGE_NEWSA;
	fake_caps.err = err;
	fake_caps.private_netns = true;
	fake_caps.xfrmi = IPSEC_XFRM_FEAT_NO;
	fake_caps.bpf = IPSEC_XFRM_FEAT_YES;
	fake_calls = 0;
	ipsec_xfrm_set_probe(fake_probe);
}

static const struct {
	enum ipsec_xfrm_verdict v;
	int err;
	const char *line;
} open_fail_cases[] = {
	{ IPSEC_XFRM_NO_ESP, EPROTONOSUPPORT, NO_ESP_LINE HINT },
	{ IPSEC_XFRM_NO_PERM, EPERM, NO_PERM_LINE HINT },
	{ IPSEC_XFRM_NO_XFRM, EAFNOSUPPORT, "xfrm: this kernel has no XFRM "
	  "netlink interface (CONFIG_XFRM_USER)" HINT },
	{ IPSEC_XFRM_FAILED, EINVAL, "xfrm: the kernel probe failed adding "
	  "the probe SA: Invalid argument" HINT },
};

START_TEST(test_open_fails_with_one_line)
{
	struct ipsec_ctx ctx;
	char err[256];

	fake(open_fail_cases[_i].v, open_fail_cases[_i].err);
	ck_assert_int_eq(ipsec_open(&ctx, &ipsec_xfrm_backend, NULL, err,
				    sizeof(err)), -1);
	ck_assert_str_eq(err, open_fail_cases[_i].line);
	ck_assert_ptr_null(ctx.be);
	ck_assert_uint_eq(fake_calls, 1);
	ck_assert_int_eq(fake_where, IPSEC_XFRM_PROBE_PRIVATE);
	ipsec_xfrm_set_probe(NULL);
}
END_TEST

START_TEST(test_refuses_what_it_cannot_carry)
{
	struct ipsec_ctx ctx, other;
	struct ipsec_policy pol = { .group_id = 9,
				    .action = IPSEC_ACT_PROTECT };
	struct ipsec_stats st = { .packets = 5 };
	struct ipsec_sa sa = sa_of(4);	/* GCM without sender IDs */
	const struct ipsec_xfrm_caps *caps;
	char err[256];

	ck_assert_ptr_eq(ipsec_backend_find("xfrm"), &ipsec_xfrm_backend);
	fake(IPSEC_XFRM_OK, 0);
	ck_assert_int_eq(ipsec_open(&ctx, &ipsec_xfrm_backend, NULL, err,
				    sizeof(err)), 0);
	ck_assert_str_eq(ipsec_xfrm_error(&ctx), "");
	caps = ipsec_xfrm_caps(&ctx);
	ck_assert_ptr_nonnull(caps);
	ck_assert_int_eq(caps->bpf, IPSEC_XFRM_FEAT_YES);
	ck_assert_int_eq(caps->xfrmi, IPSEC_XFRM_FEAT_NO);

	errno = 0;
	ck_assert_int_eq(ctx.be->sa_add(&ctx, &sa), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_msg(strstr(ipsec_xfrm_error(&ctx), "GCM/GMAC") != NULL &&
		      strstr(ipsec_xfrm_error(&ctx), "(SA 12345678)") != NULL,
		      "%s", ipsec_xfrm_error(&ctx));
	sa = sa_of(7);			/* CBC + HMAC-SHA-256, no replay */
	ck_assert_int_eq(ctx.be->sa_add(&ctx, &sa), -1);
	ck_assert_str_eq(ipsec_xfrm_error(&ctx), "xfrm: keeping the inner "
			 "addresses on the outer header needs the tc-BPF shim, "
			 "which is not implemented (SA 12345678)" HINT);
	ck_assert_int_eq(ctx.be->policy_add(&ctx, &pol), -1);
	ck_assert_msg(strstr(ipsec_xfrm_error(&ctx), "policy of group 9"),
		      "%s", ipsec_xfrm_error(&ctx));
	ck_assert_int_eq(ctx.be->sa_del(&ctx, sa.spi, IPSEC_DIR_OUT), -1);
	ck_assert_int_eq(ctx.be->sa_stats(&ctx, sa.spi, IPSEC_DIR_OUT, &st),
			 -1);
	ck_assert_uint_eq(st.packets, 0);
	ck_assert_int_eq(ctx.be->policy_flush(&ctx, 9), 0);
	ck_assert_int_eq(ctx.be->flush(&ctx), 0);

	/* The accessors answer only for an xfrm context. */
	ck_assert_int_eq(ipsec_open(&other, &ipsec_null_backend, NULL, err,
				    sizeof(err)), 0);
	ck_assert_str_eq(ipsec_xfrm_error(&other), "");
	ck_assert_ptr_null(ipsec_xfrm_caps(&other));
	ck_assert_str_eq(ipsec_xfrm_error(NULL), "");
	ipsec_close(&other);
	ipsec_close(&ctx);
	ipsec_xfrm_set_probe(NULL);
}
END_TEST

/* ---- auto ---- */

static char log_seen[1024];

static void
log_keep(void *arg, int sev, const char *line)
{
	size_t n = strlen(log_seen);

	snprintf(log_seen + n, sizeof(log_seen) - n, "%s\n", line);
}

static const struct {
	enum ipsec_xfrm_verdict v;
	int err;
	const char *why;	/* part of the reason */
} auto_cases[] = {
	{ IPSEC_XFRM_NO_ESP, EPROTONOSUPPORT, NO_ESP_LINE },
	{ IPSEC_XFRM_NO_PERM, EPERM, NO_PERM_LINE },
	{ IPSEC_XFRM_NO_ALG, ENOSYS, "lacks the ESP algorithms" },
	/* ESP works, yet no group can be served: still user. */
	{ IPSEC_XFRM_OK, 0, "needs the tc-BPF shim" },
};

START_TEST(test_auto_ends_on_user)
{
	char why[256], want[300];

	fake(auto_cases[_i].v, auto_cases[_i].err);
	log_seen[0] = '\0';
	ck_assert_int_eq(log_sink_add(log_keep, NULL, 7), 0);
	why[0] = '\0';
	ck_assert_ptr_eq(ipsec_backend_auto(why, sizeof(why)),
			 &ipsec_user_backend);
	ck_assert_msg(strstr(why, auto_cases[_i].why) != NULL, "%s", why);
	ck_assert_msg(strncmp(why, "xfrm: ", 6) == 0, "%s", why);
	snprintf(want, sizeof(want), "%s; using the user data plane", why);
	ck_assert_msg(strstr(log_seen, want) != NULL, "log: %s", log_seen);
	/* No buffer for the reason: the choice is the same. */
	ck_assert_ptr_eq(ipsec_backend_auto(NULL, 0), &ipsec_user_backend);
	ck_assert_uint_eq(fake_calls, 2);
	log_sink_remove(log_keep, NULL);
	ipsec_xfrm_set_probe(NULL);
}
END_TEST

/* ---- the real probe ---- */

/* Run the probe (and open) in a child without privileges; it reports
 * the verdict, the reason and the open error through a pipe. */
struct unpriv_report {
	int rc, verdict, open_rc;
	char reason[200], open_err[256];
};

static void
unpriv_child(int wfd)
{
	struct unpriv_report r;
	struct ipsec_xfrm_caps caps;
	struct ipsec_ctx ctx;

	memset(&r, 0, sizeof(r));
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		_exit(2);
	r.rc = ipsec_xfrm_probe(IPSEC_XFRM_PROBE_PRIVATE, &caps);
	r.verdict = caps.verdict;
	ipsec_xfrm_reason(&caps, r.reason, sizeof(r.reason));
	r.open_rc = ipsec_open(&ctx, &ipsec_xfrm_backend, NULL, r.open_err,
			       sizeof(r.open_err));
	if (write(wfd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(3);
	_exit(0);
}

START_TEST(test_unprivileged_gets_permission_line)
{
	struct unpriv_report r;
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		unpriv_child(fds[1]);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &r, sizeof(r)), (ssize_t)sizeof(r));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_int_eq(r.verdict, IPSEC_XFRM_NO_PERM);
	ck_assert_str_eq(r.reason, NO_PERM_LINE);
	ck_assert_int_eq(r.open_rc, -1);
	ck_assert_str_eq(r.open_err, NO_PERM_LINE HINT);
}
END_TEST

/* Output of a shell command (first 4 KB). */
static void
capture(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	pclose(f);
}

/* The oracle: can iproute2 add an ESP SA on this kernel?  Asked in a
 * namespace of its own, so the answer changes nothing. */
static bool
kernel_takes_esp(void)
{
	return system("unshare -n ip xfrm state add src 192.0.2.9 "
		      "dst 198.51.100.9 proto esp spi 0x1234 mode tunnel "
		      "enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f "
		      "auth-trunc 'hmac(sha256)' 0x000102030405060708090a0b0c0d"
		      "0e0f101112131415161718191a1b1c1d1e1f 128 "
		      ">/dev/null 2>&1") == 0;
}

static void
assert_verdict_matches_kernel(const struct ipsec_xfrm_caps *caps, int rc)
{
	char buf[256];

	ipsec_xfrm_reason(caps, buf, sizeof(buf));
	if (kernel_takes_esp()) {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(caps->verdict, IPSEC_XFRM_OK);
		ck_assert_int_eq(caps->del_err, 0);
	} else {
		/* This machine's kernel lacks CONFIG_INET_ESP. */
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(caps->verdict, IPSEC_XFRM_NO_ESP);
		ck_assert_int_eq(caps->err, EPROTONOSUPPORT);
		ck_assert_str_eq(buf, NO_ESP_LINE);
	}
}

/* In the caller's namespace (made private here first): the SA the probe
 * may have added is gone afterwards. */
START_TEST(test_root_probe_here_leaves_nothing)
{
	struct ipsec_xfrm_caps caps;
	char out[4096];
	int rc;

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	rc = ipsec_xfrm_probe(IPSEC_XFRM_PROBE_HERE, &caps);
	ck_assert(!caps.private_netns);
	ck_assert_int_eq(caps.xfrmi, IPSEC_XFRM_FEAT_UNKNOWN);
	assert_verdict_matches_kernel(&caps, rc);
	capture("ip xfrm state 2>&1", out, sizeof(out));
	ck_assert_str_eq(out, "");
	capture("ip -o link 2>&1 | grep -c gvpnprobe", out, sizeof(out));
	ck_assert_str_eq(out, "0\n");
}
END_TEST

/* From the real namespace: the probe runs elsewhere and the host's SAs
 * and links are exactly as before. */
START_TEST(test_root_probe_private_changes_nothing)
{
	struct ipsec_xfrm_caps caps;
	char sa_before[4096], sa_after[4096], ln_before[4096], ln_after[4096];
	char why[256], line[256];
	int rc;

	capture("ip xfrm state 2>&1", sa_before, sizeof(sa_before));
	capture("ip -o link 2>&1 | cut -d: -f2", ln_before, sizeof(ln_before));
	rc = ipsec_xfrm_probe(IPSEC_XFRM_PROBE_PRIVATE, &caps);
	ck_assert(caps.private_netns);
	assert_verdict_matches_kernel(&caps, rc);
	/* xfrm interfaces and tc-BPF were asked about in the namespace. */
	ck_assert_int_ne(caps.bpf, IPSEC_XFRM_FEAT_UNKNOWN);
	ck_assert_int_ne(caps.xfrmi, IPSEC_XFRM_FEAT_UNKNOWN);
	capture("ip xfrm state 2>&1", sa_after, sizeof(sa_after));
	capture("ip -o link 2>&1 | cut -d: -f2", ln_after, sizeof(ln_after));
	ck_assert_str_eq(sa_after, sa_before);
	ck_assert_str_eq(ln_after, ln_before);

	/* auto picks user and gives the probe's own line as the reason. */
	ck_assert_ptr_eq(ipsec_backend_auto(why, sizeof(why)),
			 &ipsec_user_backend);
	if (caps.verdict != IPSEC_XFRM_OK)
		ck_assert_str_eq(why, ipsec_xfrm_reason(&caps, line,
							 sizeof(line)));
	else
		ck_assert_msg(strstr(why, "tc-BPF") != NULL, "%s", why);
}
END_TEST

Suite *
suite_xfrm(void)
{
	Suite *s = suite_create("xfrm");
	TCase *tc;

	tc = tcase_create("classify");
	tcase_add_loop_test(tc, test_classify, 0,
			    sizeof(classify_cases) / sizeof(classify_cases[0]));
	tcase_add_test(tc, test_reason_kernel_text);
	tcase_add_loop_test(tc, test_refusal, 0,
			    sizeof(refusal_cases) / sizeof(refusal_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("backend");
	tcase_add_loop_test(tc, test_open_fails_with_one_line, 0,
			    sizeof(open_fail_cases) /
			    sizeof(open_fail_cases[0]));
	tcase_add_test(tc, test_refuses_what_it_cannot_carry);
	tcase_add_loop_test(tc, test_auto_ends_on_user, 0,
			    sizeof(auto_cases) / sizeof(auto_cases[0]));
	tcase_add_test(tc, test_unprivileged_gets_permission_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("root-probe");
	tcase_set_tags(tc, "root");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_root_probe_here_leaves_nothing);
	tcase_add_test(tc, test_root_probe_private_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}
