/*
 * Two getvpn processes, a key server on 127.0.0.1 and a group member on
 * 127.0.0.2, started as daemons from startup-configs; the member registers
 * and both are watched the way an engineer would, through
 * `getvpn -S SOCKET -c "show crypto gdoi ..."`.  Children are killed and
 * temporary files removed in the unchecked teardown, also on failure.
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
static pid_t ks_pid, gm_pid;
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

static const char gm_cfg[] =
	"hostname GM1\n"
	"crypto isakmp policy 10\n encr aes 256\n hash sha256\n"
	" authentication pre-share\n group 19\n"
	"crypto isakmp key e2e-psk address 127.0.0.1\n"
	"crypto gdoi group G\n identity number 1000\n"
	" server address ipv4 127.0.0.1\n"
	"crypto map M 10 gdoi\n set group G\n"
	"interface lo-e2e\n ip address 127.0.0.2 255.0.0.0\n crypto map M\n";

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
	char c[128], k[128], s[128], p[16];
	pid_t pid;

	snprintf(c, sizeof(c), "%s/%s.cfg", dir, name);
	snprintf(k, sizeof(k), "%s/%s-keys", dir, name);
	snprintf(s, sizeof(s), "%s/%s.sock", dir, name);
	snprintf(p, sizeof(p), "%u", port);
	write_file(c, cfg);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl(bin(), bin(), "-d", "-f", c, "-k", k, "-S", s, "-p", p,
		      "-B", "null", (char *)NULL);
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
	ks_pid = gm_pid = 0;
}

static void
teardown(void)
{
	char cmd[96];

	if (gm_pid > 0)
		kill(gm_pid, SIGTERM);
	if (ks_pid > 0)
		kill(ks_pid, SIGTERM);
	if (gm_pid > 0)
		waitpid(gm_pid, NULL, 0);
	if (ks_pid > 0)
		waitpid(ks_pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

START_TEST(test_two_processes_register)
{
	char *out = NULL;
	bool ok = false;

	ks_pid = start_daemon("ks", ks_cfg);
	gm_pid = start_daemon("gm", gm_cfg);
	for (int i = 0; i < 100 && !ok; i++) {
		free(out);
		out = run_cmd("gm", "show crypto gdoi");
		ok = strstr(out, "Registration status   : Registered") != NULL;
		if (!ok)
			usleep(100000);
	}
	ck_assert_msg(ok, "the member did not register:\n%s", out);
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

Suite *
suite_gdoi_e2e(void)
{
	Suite *s = suite_create("gdoi_e2e");
	TCase *tc = tcase_create("processes");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_two_processes_register);
	suite_add_tcase(s, tc);
	return s;
}
