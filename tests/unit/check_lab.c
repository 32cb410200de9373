/*
 * The README's first command as a test (root only): examples/lab/run
 * builds the namespaces, starts a key server and two members with the
 * user data plane, pings and streams TCP between the LANs, and proves on
 * a capture of the provider router that only ESP and GDOI crossed and
 * that every ESP frame decrypts with a good ICV under the exported keys.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

START_TEST(test_lab_runs)
{
	char cmd[512];
	const char *bin = getenv("GETVPN_BIN");

	snprintf(cmd, sizeof(cmd), "GETVPN='%s' LAB_PREFIX=gvtest LAB_DIR=/tmp/"
		 "getvpn-lab-test examples/lab/run > /tmp/getvpn-lab-test.log "
		 "2>&1", bin ? bin : "./getvpn");
	ck_assert_msg(system(cmd) == 0, "the lab failed: see "
		      "/tmp/getvpn-lab-test.log");
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
	suite_add_tcase(s, tc);
	return s;
}
