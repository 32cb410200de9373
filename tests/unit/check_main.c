/*
 * check_main: runs every Check suite (the list is derived from the
 * tests/unit/check_*.c file names by the Makefile).  Suites tagged "root"
 * are skipped when not running as root.
 *
 * A failed assertion ends Check's test process at once, without its
 * teardown; the in-process routers (net_fixtures.c) therefore make their
 * directories under one directory of the run, removed here at the end.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "net_fixtures.h"

static void
run_dir_remove(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

#define SUITE(name) Suite *suite_##name(void);
#include "suites.h"
#undef SUITE

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	char dir[] = "/tmp/getvpn-check-XXXXXX";
	int failed;

	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL || setenv(NET_TMP_ENV, dir, 1) < 0)
		dir[0] = '\0';		/* routers use /tmp */
#define SUITE(name) srunner_add_suite(sr, suite_##name());
#include "suites.h"
#undef SUITE
	if (geteuid() != 0 && getenv("CK_EXCLUDE_TAGS") == NULL)
		setenv("CK_EXCLUDE_TAGS", "root", 1);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (dir[0] != '\0')
		run_dir_remove(dir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
