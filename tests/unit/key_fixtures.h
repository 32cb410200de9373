/*
 * key_fixtures: a temporary directory per test case for the key store
 * suites (check_keys, check_keys_cli): tk_setup() makes it (tk_root),
 * tk_teardown() removes it with everything in it; and a CLI session on a
 * key store for the key command suites.
 */
#ifndef TESTS_KEY_FIXTURES_H
#define TESTS_KEY_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/env.h"

extern char tk_root[64];

void tk_setup(void);
void tk_teardown(void);
/* A fresh, not yet existing, directory for one test (static buffer). */
const char *tk_dir(const char *name);
/* dir/file, malloc'd. */
char *tk_path(const char *dir, const char *file);
/* Write len octets of text to dir/file (mode 0600). */
void tk_write(const char *dir, const char *file, const char *text, size_t len);
bool tk_exists(const char *dir, const char *file);

/* A real environment (engine, running-config, key store in keydir, or
 * none for NULL) and an enabled session in global config mode. */
struct tk_cli {
	struct cli_env env;
	struct cli_session *s;
	struct term *out;
};

void tk_cli_open(struct tk_cli *c, const char *keydir);
void tk_cli_close(struct tk_cli *c);
/* Run one line; its output is tk_cli_out(). */
int tk_cli_run(struct tk_cli *c, const char *line);
const char *tk_cli_out(struct tk_cli *c);

#endif
