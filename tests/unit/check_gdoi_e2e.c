/*
 * Two getvpn processes, a key server on 127.0.0.1 and a group member on
 * 127.0.0.2, started as daemons from startup-configs; the member registers
 * and both are watched the way an engineer would, through
 * `getvpn -S SOCKET -c "show crypto gdoi ..."`.  The key server keeps its
 * state (-s): killed with SIGKILL and started again it serves the same
 * keys, and its member takes the next rekey without registering again.
 * Children are killed and temporary files removed in the unchecked
 * teardown, also on failure.
 */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64];
static pid_t ks_pid, gm_pid, gm2_pid;
static unsigned port;

static const char ks_cfg[] =
	"hostname KS1\n"
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key e2e-psk address 0.0.0.0 0.0.0.0\n"
	"crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
	"crypto ipsec profile PROF\n set transform-set TS\n"
	"ip access-list extended POLICY\n"
	" permit ip 192.168.0.0 0.0.255.255 192.168.0.0 0.0.255.255\n"
	"crypto key generate rsa general-keys label REKEY modulus 1024\n"
	"crypto gdoi group G\n identity number 1000\n server local\n"
	"  rekey authentication mypubkey rsa REKEY\n  rekey transport unicast\n"
	"  sa ipsec 10\n   profile PROF\n   match address ipv4 POLICY\n"
	"  address ipv4 127.0.0.1\n";

/* A member NAME at 127.0.0.N on interface lo-NAME (snprintf format). */
static const char gm_fmt[] =
	"hostname %s\n"
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key e2e-psk address 127.0.0.1\n"
	"crypto gdoi group G\n identity number 1000\n"
	" server address ipv4 127.0.0.1\n"
	"crypto map M 10 gdoi\n set group G\n"
	"interface lo-%s\n ip address 127.0.0.%d 255.0.0.0\n crypto map M\n";

static const char *
bin(void)
{
	const char *b = getenv("GETVPN_BIN");

	return b ? b : "./getvpn";
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static pid_t
start_daemon(const char *name, const char *cfg)
{
	char c[128], k[128], s[128], p[16], sd[128];
	pid_t pid;

	snprintf(c, sizeof(c), "%s/%s.cfg", dir, name);
	snprintf(k, sizeof(k), "%s/%s-keys", dir, name);
	snprintf(s, sizeof(s), "%s/%s.sock", dir, name);
	snprintf(sd, sizeof(sd), "%s/%s-state", dir, name);
	snprintf(p, sizeof(p), "%u", port);
	write_file(c, cfg);
	unlink(s);	/* a killed daemon's socket */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl(bin(), bin(), "-d", "-f", c, "-k", k, "-s", sd, "-S", s,
		      "-p", p, "-B", "null", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 300; i++) {	/* the socket appears: it is ready */
		struct stat st;

		if (stat(s, &st) == 0)
			return pid;
		usleep(10000);
	}
	ck_abort_msg("%s daemon did not start", name);
	return -1;
}

static pid_t
start_member(const char *name, int addr)
{
	char cfg[sizeof(gm_fmt) + 64];

	snprintf(cfg, sizeof(cfg), gm_fmt, name, name, addr);
	return start_daemon(name, cfg);
}

/* Output of `getvpn -S NAME.sock -c cmd` (malloc'd). */
static char *
run_cmd(const char *name, const char *cmd)
{
	char line[512], *out = calloc(1, 1 << 16);
	size_t len = 0;
	FILE *f;

	snprintf(line, sizeof(line), "%s -S %s/%s.sock -c '%s' 2>&1", bin(),
		 dir, name, cmd);
	f = popen(line, "r");
	ck_assert_ptr_nonnull(f);
	len = fread(out, 1, (1 << 16) - 1, f);
	out[len] = '\0';
	pclose(f);
	return out;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/getvpn-e2e-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	port = 30000 + (unsigned)getpid() % 20000;
	ks_pid = gm_pid = gm2_pid = 0;
}

static void
teardown(void)
{
	char cmd[96];

	if (gm2_pid > 0)
		kill(gm2_pid, SIGTERM);
	if (gm_pid > 0)
		kill(gm_pid, SIGTERM);
	if (ks_pid > 0)
		kill(ks_pid, SIGTERM);
	if (gm2_pid > 0)
		waitpid(gm2_pid, NULL, 0);
	if (gm_pid > 0)
		waitpid(gm_pid, NULL, 0);
	if (ks_pid > 0)
		waitpid(ks_pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

/* Output of cmd on name once it holds needle (10 s at most). */
static char *
wait_for(const char *name, const char *cmd, const char *needle)
{
	char *out = NULL;
	bool ok = false;

	for (int i = 0; i < 100 && !ok; i++) {
		free(out);
		out = run_cmd(name, cmd);
		ok = strstr(out, needle) != NULL;
		if (!ok)
			usleep(100000);
	}
	ck_assert_msg(ok, "%s: no \"%s\" in %s:\n%s", name, needle, cmd, out);
	return out;
}

START_TEST(test_two_processes_register)
{
	char *out;

	ks_pid = start_daemon("ks", ks_cfg);
	gm_pid = start_member("gm", 2);
	out = wait_for("gm", "show crypto gdoi",
		       "Registration status   : Registered");
	ck_assert_ptr_nonnull(strstr(out, "Registered with       : 127.0.0.1"));
	ck_assert_ptr_nonnull(strstr(out, "transform: esp-256-aes esp-sha256-hmac"));
	ck_assert_ptr_nonnull(strstr(out, "KEK POLICY:"));
	free(out);
	out = run_cmd("ks", "show crypto gdoi ks members");
	ck_assert_msg(strstr(out, "Group Member ID    : 127.0.0.2") != NULL,
		      "%s", out);
	free(out);
	out = run_cmd("ks", "show crypto gdoi");
	ck_assert_ptr_nonnull(strstr(out, "Group Members            : 1\n"));
	free(out);
	out = run_cmd("gm", "show crypto isakmp sa");
	ck_assert_ptr_nonnull(strstr(out, "127.0.0.1       127.0.0.2       GDOI_IDLE"));
	free(out);
}
END_TEST

/* The value after key in text, to the end of its line (malloc'd). */
static char *
value_of(const char *text, const char *key)
{
	const char *at = strstr(text, key);

	ck_assert_msg(at != NULL, "no \"%s\" in:\n%s", key, text);
	at += strlen(key);
	return strndup(at, strcspn(at, "\n"));
}

static void
ks_killed_and_started(void)
{
	ck_assert_int_eq(kill(ks_pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(ks_pid, NULL, 0), ks_pid);
	ks_pid = start_daemon("ks", ks_cfg);
}

/*
 * kill -9 of the key server right after a member registered, then a
 * start from the same directories: the same KEK and TEK SPIs; the
 * member registered just before is still its
 * member and takes the next rekey (signature and SEQ accepted) without
 * registering again; a member registering now gets the same TEK SPI.
 */
START_TEST(test_ks_killed_keeps_the_group)
{
	char *out, *kek, *tek, *seq, *again;

	ks_pid = start_daemon("ks", ks_cfg);
	gm_pid = start_member("gm", 2);
	free(wait_for("gm", "show crypto gdoi",
		      "Registration status   : Registered"));
	out = run_cmd("ks", "show crypto gdoi ks policy");
	kek = value_of(out, "    spi : ");
	tek = value_of(out, "    spi                : ");
	free(out);
	/* killed at once: the registration is in the member journal
	 * before message 4 leaves, the keys in the state file before they
	 * are handed out (doc/ks-state.md) */
	ks_killed_and_started();
	out = wait_for("ks", "show crypto gdoi ks policy", kek);
	again = value_of(out, "    spi                : ");
	ck_assert_str_eq(again, tek);
	seq = value_of(out, "Seq num : ");
	ck_assert_int_gt(atoi(seq), 0);	/* above any SEQ used before */
	free(out);
	free(again);
	free(wait_for("ks", "show crypto gdoi ks members",
		      "Group Member ID    : 127.0.0.2"));
	/* a new member: the same TEK */
	gm2_pid = start_member("gm2", 3);
	out = wait_for("gm2", "show crypto gdoi",
		       "Registration status   : Registered");
	again = value_of(out, "        spi: ");
	ck_assert_msg(strncmp(again, tek, strlen(tek)) == 0, "%s, not %s",
		      again, tek);
	free(again);
	free(out);
	/* the next rekey opens and verifies at the member registered with
	 * the killed key server, which does not register again */
	free(run_cmd("ks", "crypto gdoi ks rekey"));
	out = wait_for("gm", "show crypto gdoi", "Total received        : 1\n");
	ck_assert_ptr_nonnull(strstr(out, "Succeeded registration: 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "Last rekey from       : 127.0.0.1"));
	again = value_of(out, "Last rekey seq num    : ");
	ck_assert_int_gt(atoi(again), atoi(seq));
	free(again);
	free(out);
	free(seq);
	free(kek);
	free(tek);
}
END_TEST

Suite *
suite_gdoi_e2e(void)
{
	Suite *s = suite_create("gdoi_e2e");
	TCase *tc = tcase_create("processes");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_two_processes_register);
	tcase_add_test(tc, test_ks_killed_keeps_the_group);
	suite_add_tcase(s, tc);
	return s;
}
