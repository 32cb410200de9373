/*
 * The README's first command as a test (root only): examples/lab/run
 * builds the namespaces, starts a key server and two members with the
 * user data plane, pings and streams TCP between the LANs, and proves on
 * a capture of the provider router that only ESP and GDOI crossed and
 * that every ESP frame decrypts with a good ICV under the exported keys;
 * then rekeys under traffic, a fail-close member killed during traffic,
 * two cooperative key servers through failover, split and merge,
 * three through failover, rejoin and a split of the key servers alone,
 * and two labs at once on this host (each run has its own namespace
 * prefix and work directory): a plain one and the migration with a
 * receive-only group and a passive member.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts examples/lab/run opts with its output in log; returns its pid.
 * The lab picks its own namespace prefix and work directory. */
static pid_t
lab_start(const char *opts, const char *log)
{
	const char *bin = getenv("GETVPN_BIN");
	char cmd[512];
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "GETVPN='%s' examples/lab/run %s > %s 2>&1",
		 bin ? bin : "./getvpn", opts, log);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int
lab_wait(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A log file of this test run, named after what it holds. */
static void
log_name(char *out, size_t len, const char *what)
{
	snprintf(out, len, "/tmp/getvpn-%s.%d.log", what, (int)getpid());
}


/* One lab with opts; fails the test naming its log. */
static void
lab(const char *opts, const char *what)
{
	char log[64];

	log_name(log, sizeof(log), what);
	ck_assert_msg(lab_wait(lab_start(opts, log)) == 0,
		      "the lab failed: see %s", log);
	unlink(log);
}

/* Two labs at once (each its own prefix and directory); fails the test
 * naming the log of one that failed. */
static void
two_labs(const char *opts1, const char *what1, const char *opts2,
	 const char *what2)
{
	char log1[64], log2[64];
	pid_t a, b;
	int ra, rb;

	log_name(log1, sizeof(log1), what1);
	log_name(log2, sizeof(log2), what2);
	a = lab_start(opts1, log1);
	b = lab_start(opts2, log2);
	ra = lab_wait(a);
	rb = lab_wait(b);
	ck_assert_msg(ra == 0, "the lab %s failed: see %s", opts1, log1);
	ck_assert_msg(rb == 0, "the lab %s failed: see %s", opts2, log2);
	unlink(log1);
	unlink(log2);
}

START_TEST(test_lab_runs)
{
	lab("", "lab");
}
END_TEST

/* Two labs at once under continuous traffic between the LANs: three
 * manual rekeys, a KEK rollover and one more rekey, unicast with ACKs in
 * one (-r 3) and multicast on a bridged provider in the other (-M): no
 * packet lost, the old SPIs gone from the wire afterwards. */
START_TEST(test_lab_rekeys)
{
	two_labs("-q -r 3", "lab-rekey", "-q -r 3 -M", "lab-rekey-mcast");
}
END_TEST

/* A fail-close member killed (SIGKILL, then SIGTERM) while its LAN and
 * the other member's ping each other: no cleartext on the provider's
 * capture while it is gone, and after a restart it registers again
 * with its guard adopted; `no activate` removes the guard.  Then the key
 * server killed with SIGKILL during a ping and started again: the same
 * TEK, no ping lost, its next rekey taken without a registration (-F). */
START_TEST(test_lab_faults)
{
	lab("-q -F", "lab-fault");
}
END_TEST

/* Cooperative key servers with real daemons (-c): two KSs with 1 s
 * announcements and a member each; the primary killed with SIGKILL
 * while the LANs ping each other: the secondary takes over within three
 * periods with the same KEK, TEKs and a higher SEQ, no ping lost, no
 * member registers again, its rekey reaches both members; the old
 * primary comes back as secondary; a partition of the two KSs and its
 * heal end with one primary and one KEK on every KS and member. */
START_TEST(test_lab_coop)
{
	lab("-q -c -r 0", "lab-coop");
}
END_TEST

/* Three cooperative key servers (-C), the members registered with the
 * two secondaries: every KS names the same primary at each step and
 * lists each member LOCAL where it registered and REDUNDANT elsewhere;
 * the primary killed with SIGKILL under h1 <-> h2 pings: the next by
 * priority takes over with the same keys and rekeys both members, no
 * ping lost; the old primary rejoins as secondary; the key servers cut
 * in two while the members still reach each other and every KS: two
 * primaries rekey, the heal leaves one and every KS and member on its
 * KEK, and no ping is lost from the cut to the end. */
START_TEST(test_lab_coop_three)
{
	lab("-q -C -r 0", "lab-coop3");
}
END_TEST

/* Two labs at once, one of them the migration of doc/protocol.md §8.5
 * with real daemons (a receive-only group SA from the key server, a
 * passive member, -m): neither may see the other's namespaces, files
 * or traffic. */
START_TEST(test_two_labs_at_once)
{
	two_labs("-q", "lab-quick", "-q -m", "lab-migration");
}
END_TEST

Suite *
suite_lab(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("netns");

	tcase_set_tags(tc, "root");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_lab_runs);
	tcase_add_test(tc, test_lab_rekeys);
	tcase_add_test(tc, test_lab_faults);
	tcase_add_test(tc, test_lab_coop);
	tcase_add_test(tc, test_lab_coop_three);
	tcase_add_test(tc, test_two_labs_at_once);
	suite_add_tcase(s, tc);
	return s;
}
