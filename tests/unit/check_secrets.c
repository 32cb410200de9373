/*
 * Secrets kept out of places they do not belong: no core dumps from the
 * daemon unless -C, private keys in OpenSSL's secure heap (left out of
 * dumps), and the temporary files of a save that was killed half-way
 * (0600, keys inside) removed at the next start.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/env.h"
#include "parser/conf.h"
#include "parser/conf_isakmp.h"
#include "parser/conf_pwenc.h"
#include "platform/fileio.h"
#include "platform/nodump.h"
#include "platform/secmem.h"
#include "platform/term.h"
#include "roles/keystore.h"

Suite *suite_secrets(void);

#define CORE_LIMIT (4u << 20)

static void
touch(const char *dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, "psk\n", 4), 4);
	close(fd);
}

static bool
exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void
rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Only "<name>.tmp" and six letters or digits go, and only of name. */
START_TEST(test_stale_tmp_removed)
{
	char dir[] = "/tmp/getvpn-sec-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	touch(dir, "startup-config");
	touch(dir, "startup-config.tmpAb12Cd");
	touch(dir, "startup-config.tmpAb12C");	/* not ours: 5 characters */
	touch(dir, "startup-config.tmpAb-2Cd");	/* not ours: a '-' */
	touch(dir, "KEY.pem.tmpZZZZZZ");
	ck_assert_int_eq(file_remove_stale_tmp(dir, "startup-config"), 1);
	ck_assert(!exists(dir, "startup-config.tmpAb12Cd"));
	ck_assert(exists(dir, "startup-config"));
	ck_assert(exists(dir, "startup-config.tmpAb12C"));
	ck_assert(exists(dir, "startup-config.tmpAb-2Cd"));
	ck_assert(exists(dir, "KEY.pem.tmpZZZZZZ"));
	ck_assert_int_eq(file_remove_stale_tmp(dir, NULL), 1);
	ck_assert(!exists(dir, "KEY.pem.tmpZZZZZZ"));
	ck_assert_int_eq(file_remove_stale_tmp("/nonexistent-getvpn", NULL), 0);
	rm_rf(dir);
}
END_TEST

/* fn in a child process (what it changes is process-wide and stays);
 * the test fails unless it returns 0. */
static void
in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn());
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
}

/* Not dumpable, core limit 0 both ways. */
static int
nodump_child(void)
{
	struct rlimit rl;

	return nodump_process() < 0 || prctl(PR_GET_DUMPABLE) != 0 ||
	       getrlimit(RLIMIT_CORE, &rl) < 0 || rl.rlim_cur != 0 ||
	       rl.rlim_max != 0;
}

START_TEST(test_nodump_process)
{
	in_child(nodump_child);
}
END_TEST

/* A generated RSA private key lives in the secure heap. */
static int
secure_heap_child(void)
{
	char dir[] = "/tmp/getvpn-sec-XXXXXX", err[160];
	struct keystore *ks;
	size_t before;
	int rc;

	if (keystore_secure_heap() < 0 || mkdtemp(dir) == NULL ||
	    (ks = keystore_open(dir, err, sizeof(err))) == NULL)
		return 2;
	before = CRYPTO_secure_used();
	rc = keystore_generate(ks, "K", 1024, KEYSTORE_USAGE_GENERAL, false,
			       err, sizeof(err));
	rc = rc == 0 && CRYPTO_secure_used() > before ? 0 : 1;
	keystore_close(ks);
	rm_rf(dir);
	return rc;
}

START_TEST(test_private_key_in_secure_heap)
{
	in_child(secure_heap_child);
}
END_TEST

/*
 * Key memory and core dumps.  A core holds every readable mapping
 * except those the kernel marks "dd" (MADV_DONTDUMP) in /proc/PID/smaps;
 * these tests read that flag and scan what a core would hold.
 */
struct region {
	uintptr_t lo, hi;
	bool readable, dontdump, special;
};

/* Calls fn for each mapping of this process; stops when fn returns 1. */
static int
each_region(int (*fn)(const struct region *, void *), void *arg)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512], perms[8];
	struct region r = { 0 };
	bool have = false;
	int rc = 0;

	ck_assert_ptr_nonnull(f);
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
		    strchr(line, ':') != NULL && line[0] != 'V') {
			r = (struct region){ .lo = lo, .hi = hi,
					     .readable = perms[0] == 'r' };
			r.special = strstr(line, "[vvar") != NULL ||
				    strstr(line, "[vsyscall]") != NULL;
			have = true;
		} else if (have && strncmp(line, "VmFlags:", 8) == 0) {
			r.dontdump = strstr(line, " dd") != NULL;
			rc = fn(&r, arg);
			have = false;
		}
	}
	fclose(f);
	return rc;
}

struct probe {
	const void *addr;
	int dontdump;		/* -1 not found */
};

static int
probe_region(const struct region *r, void *arg)
{
	struct probe *p = arg;

	if ((uintptr_t)p->addr < r->lo || (uintptr_t)p->addr >= r->hi)
		return 0;
	p->dontdump = r->dontdump;
	return 1;
}

/* Is addr in a mapping left out of core dumps? */
static bool
not_dumped(const void *addr)
{
	struct probe p = { addr, -1 };

	each_region(probe_region, &p);
	ck_assert_msg(p.dontdump >= 0, "%p is in no mapping", addr);
	return p.dontdump == 1;
}

struct scan {
	const char *needle;
	size_t len;
	int mem;		/* /proc/self/mem */
	uintptr_t found;
};

/* Read a mapping through /proc/self/mem (a fault there is EIO, not
 * SIGSEGV) and look for the needle. */
static int
scan_region(const struct region *r, void *arg)
{
	struct scan *sc = arg;
	size_t chunk = 1 << 20;
	char *buf;

	if (!r->readable || r->dontdump || r->special)
		return 0;
	buf = malloc(chunk + sc->len);
	for (uintptr_t a = r->lo; a < r->hi && sc->found == 0; a += chunk) {
		size_t n = r->hi - a < chunk + sc->len ? r->hi - a
						       : chunk + sc->len;
		ssize_t got = pread(sc->mem, buf, n, (off_t)a);
		char *hit;

		if (got > 0 && (hit = memmem(buf, (size_t)got, sc->needle,
					     sc->len)) != NULL)
			sc->found = a + (uintptr_t)(hit - buf);
	}
	explicit_bzero(buf, chunk + sc->len);
	free(buf);
	return sc->found != 0;
}

/* Where needle occurs in memory a core would hold (0: nowhere). */
static uintptr_t
in_dumped_memory(const char *needle)
{
	struct scan sc = { needle, strlen(needle), -1, 0 };

	sc.mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(sc.mem, 0);
	each_region(scan_region, &sc);
	close(sc.mem);
	return sc.found;
}

/* Texts the test looks for, built at run time in memory left out of
 * dumps, so that no copy of them but the one under test exists. */
static char *
secret_text(const char *shifted)
{
	char *s = secmem_calloc(strlen(shifted) + 1);

	for (size_t i = 0; shifted[i] != '\0'; i++)
		s[i] = (char)(shifted[i] - 1);
	return s;
}

static void
write_all(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/*
 * A startup-config with a pre-shared key in clear and a comment is
 * replayed: afterwards the key is only in memory left out of dumps (the
 * key's own record) and the comment nowhere: the file's text and every
 * line buffer were wiped, and no parser copy of the key was left behind.
 */
static int
replay_wiped_child(void)
{
	char dir[] = "/tmp/getvpn-sec-XXXXXX", path[512], err[160];
	char *psk = secret_text("Qtl.Dbobsz.8q4[");	/* Psk-Canary-7p3Z */
	char *note = secret_text("Dpnnfou.Dbobsz.3");	/* Comment-Canary-2 */
	struct cli_env env;
	struct term *t = term_new_mem();
	const struct conf_isakmp_key *k;
	int fd, rc = 0;

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof(path), "%s/startup-config", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	write_all(fd, "hostname R1\n!\n! ");
	write_all(fd, note);
	write_all(fd, "\ncrypto isakmp key ");
	write_all(fd, psk);
	write_all(fd, " address 10.0.0.1\ncrypto keyring R\n pre-shared-key "
		  "address 10.0.0.2 key ");
	write_all(fd, psk);
	write_all(fd, "\nend\n");
	close(fd);
	if (cli_env_init(&env, NULL, path, NULL, err, sizeof(err)) < 0 ||
	    cli_replay_file(&env, path, t) != 0)
		return 3;
	k = conf_isakmp_key_for_peer(env.conf->isakmp, htonl(0x0a000001));
	if (k == NULL || strcmp(k->secret, psk) != 0)
		return 4;
	if (!not_dumped(k) || !not_dumped(env.conf->pwenc))
		rc = 5;
	else if (in_dumped_memory(note) != 0)
		rc = 6;
	else if (in_dumped_memory(psk) != 0)
		rc = 7;
	cli_env_fini(&env);
	term_free(t);
	unlink(path);
	rmdir(dir);
	return rc;
}

START_TEST(test_replay_buffers_wiped)
{
	in_child(replay_wiped_child);
}
END_TEST

/* The mappings of secmem and of OpenSSL's secure heap carry "dd". */
static int
dontdump_child(void)
{
	void *small = secmem_calloc(100), *big = secmem_calloc(100000);
	void *sec;
	int rc;

	if (keystore_secure_heap() < 0 ||
	    (sec = OPENSSL_secure_malloc(64)) == NULL)
		return 2;
	rc = !not_dumped(small) ? 3 : !not_dumped(big) ? 4
	     : !not_dumped(sec) ? 5 : 0;
	/* and an ordinary allocation is dumped: the probe can tell */
	if (rc == 0) {
		void *plain = malloc(100);

		rc = not_dumped(plain) ? 6 : 0;
		free(plain);
	}
	OPENSSL_secure_free(sec);
	secmem_free(small);
	secmem_free(big);
	return rc;
}

START_TEST(test_key_memory_not_dumped)
{
	in_child(dontdump_child);
}
END_TEST

static const char *
bin(void)
{
	const char *b = getenv("GETVPN_BIN");

	if (b == NULL || access(b, X_OK) != 0)
		b = "build/getvpn";
	ck_assert_msg(access(b, X_OK) == 0, "set GETVPN_BIN");
	return b;
}

/* getvpn -d in dir (with -C when cores), a core limit of CORE_LIMIT
 * inherited; its pid once its socket exists. */
static pid_t
daemon_in(const char *dir, bool cores)
{
	char cfg[512], keys[512], sock[512];
	pid_t pid;

	snprintf(cfg, sizeof(cfg), "%s/startup-config", dir);
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		const struct rlimit rl = { CORE_LIMIT, RLIM_INFINITY };
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		setrlimit(RLIMIT_CORE, &rl);
		/* AddressSanitizer zeroes the limit itself unless told not
		 * to (make check SAN=1) */
		setenv("ASAN_OPTIONS", "disable_coredump=0", 1);
		execl(bin(), "getvpn", "-d", "-f", cfg, "-k", keys, "-S", sock,
		      "-B", "null", cores ? "-C" : (char *)NULL, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && access(sock, F_OK) != 0; i++)
		usleep(25000);
	ck_assert_msg(access(sock, F_OK) == 0, "the daemon did not start");
	return pid;
}

static void
daemon_stop(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
}

/* "Max core file size" of pid: its soft limit, as /proc prints it. */
static unsigned long long
core_limit(pid_t pid)
{
	char path[64], line[256];
	unsigned long long soft = ~0ull;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Max core file size", 18) == 0)
			soft = strtoull(line + 26, NULL, 10);
	fclose(f);
	return soft;
}

/*
 * The daemon: no core file (its limit is 0 whatever it inherited) unless
 * started with -C; and what a `write memory` or key save killed before
 * its rename left (the config's or a key's temporary file) is gone once
 * it started.
 */
START_TEST(test_daemon_no_core_and_no_tmp)
{
	char dir[] = "/tmp/getvpn-sec-XXXXXX", keys[64];
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	ck_assert_int_eq(mkdir(keys, 0700), 0);
	touch(dir, "startup-config");
	touch(dir, "startup-config.tmpQw3rTy");
	touch(keys, "REKEY.pem.tmpAsdFgh");
	pid = daemon_in(dir, false);
	ck_assert_uint_eq(core_limit(pid), 0);
	ck_assert(!exists(dir, "startup-config.tmpQw3rTy"));
	ck_assert(!exists(keys, "REKEY.pem.tmpAsdFgh"));
	ck_assert(exists(dir, "startup-config"));
	daemon_stop(pid);
	pid = daemon_in(dir, true);
	ck_assert_uint_eq(core_limit(pid), CORE_LIMIT);
	daemon_stop(pid);
	rm_rf(dir);
}
END_TEST

Suite *
suite_secrets(void)
{
	Suite *s = suite_create("secrets");
	TCase *tc = tcase_create("secrets");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_stale_tmp_removed);
	tcase_add_test(tc, test_nodump_process);
	tcase_add_test(tc, test_private_key_in_secure_heap);
	tcase_add_test(tc, test_key_memory_not_dumped);
	tcase_add_test(tc, test_replay_buffers_wiped);
	tcase_add_test(tc, test_daemon_no_core_and_no_tmp);
	suite_add_tcase(s, tc);
	return s;
}
