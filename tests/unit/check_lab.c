/*
 * The README's first command as a test (root only): examples/lab/run
 * builds the namespaces, starts a key server and two members with the
 * user data plane, pings and streams TCP between the LANs, and proves on
 * a capture of the provider router that only ESP and GDOI crossed and
 * that every ESP frame decrypts with a good ICV under the exported keys;
 * then the same with a receive-only group and a passive member.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* examples/lab/run with opts; fails the test with the log's name. */
static void
lab(const char *opts, const char *name)
{
	char cmd[512];
	const char *bin = getenv("GETVPN_BIN");

	snprintf(cmd, sizeof(cmd), "GETVPN='%s' LAB_PREFIX=gv%s LAB_DIR=/tmp/"
		 "getvpn-%s examples/lab/run %s > /tmp/getvpn-%s.log 2>&1",
		 bin ? bin : "./getvpn", name, name, opts, name);
	ck_assert_msg(system(cmd) == 0, "the lab failed: see /tmp/getvpn-%s.log",
		      name);
}

START_TEST(test_lab_runs)
{
	lab("", "lab-test");
}
END_TEST

/* Three manual rekeys under continuous traffic between the LANs: no
 * packet lost, the old SPIs gone from the wire afterwards (-r 3). */
START_TEST(test_lab_rekeys)
{
	lab("-q -r 3", "lab-rekey");
}
END_TEST

/* The migration of PROTOCOL.md §8.5 with real daemons: a receive-only
 * group SA from the key server, a passive member (-m). */
START_TEST(test_lab_migration)
{
	lab("-m", "lab-migr");
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
	tcase_add_test(tc, test_lab_migration);
	suite_add_tcase(s, tc);
	return s;
}
