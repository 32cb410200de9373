/*
 * testlib: drive the real CLI (engine + session) from Check tests.
 *
 *   struct tl *t = tl_new();           // console-like session in `configure terminal`
 *   ck_assert_int_eq(tl_line(t, "hostname KS1"), 0);
 *   ck_assert_str_eq(tl_prompt(t), "KS1(config)#");
 *   tl_line(t, "crypto gdoi group G");  // enters (config-gkm-group)#
 *   const char *out = tl_out(t);        // what the last line printed
 *   char *run = tl_show_run(t);         // conf_show() text, free() it
 *   tl_free(t);
 */
#ifndef TESTS_TESTLIB_H
#define TESTS_TESTLIB_H

struct tl;
struct conf;

/* A fresh running-config and a session in global configuration mode. */
struct tl *tl_new(void);
void tl_free(struct tl *t);

/* Run one line; 0 accepted, -1 refused.  tl_out() returns its output. */
int tl_line(struct tl *t, const char *line);
/* Run several lines separated by '\n'; returns the number refused. */
int tl_lines(struct tl *t, const char *text);
const char *tl_out(const struct tl *t);
const char *tl_prompt(const struct tl *t);
/* `?` help for line, returns the printed text (valid until the next call). */
const char *tl_help(struct tl *t, const char *line);
/* The running-config body (conf_show); malloc'd. */
char *tl_show_run(struct tl *t);
struct conf *tl_conf(struct tl *t);
/* Path of a fresh temporary directory, removed by tl_free(). */
const char *tl_tmpdir(struct tl *t);

/* A whole file (malloc'd); the test fails when it cannot be read. */
char *tl_slurp(const char *path);
/* got must equal the golden file at path (what differs is printed);
 * with GOLDEN_UPDATE set in the environment, got is written there first. */
void tl_golden(const char *path, const char *got);

#endif
