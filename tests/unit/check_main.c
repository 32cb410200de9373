/*
 * check_main: runs every Check suite (the list is derived from the
 * tests/unit/check_*.c file names by the Makefile).  Suites tagged "root"
 * are skipped when not running as root.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define SUITE(name) Suite *suite_##name(void);
#include "suites.h"
#undef SUITE

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	signal(SIGPIPE, SIG_IGN);
#define SUITE(name) srunner_add_suite(sr, suite_##name());
#include "suites.h"
#undef SUITE
	if (geteuid() != 0 && getenv("CK_EXCLUDE_TAGS") == NULL)
		setenv("CK_EXCLUDE_TAGS", "root", 1);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
