/*
 * testlib: a real CLI (env + session) for Check tests; see testlib.h.
 */
#include "testlib.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/term.h"

struct tl {
	struct cli_env env;
	struct cli_session *s;
	struct term *out;
	char *help;
	char dir[64];
};

struct tl *
tl_new(void)
{
	struct tl *t = calloc(1, sizeof(*t));
	char err[256] = "", keys[128], startup[128];

	ck_assert_ptr_nonnull(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/getvpn-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(keys, sizeof(keys), "%s/keys", t->dir);
	snprintf(startup, sizeof(startup), "%s/startup-config", t->dir);
	ck_assert_msg(cli_env_init(&t->env, NULL, startup, keys, err,
				   sizeof(err)) == 0, "env: %s", err);
	t->s = cli_session_new(&t->env, "console",
			       CLI_SESS_CONFIG | CLI_SESS_ENABLED);
	t->out = term_new_mem();
	ck_assert_ptr_nonnull(t->s);
	ck_assert_ptr_nonnull(t->out);
	cli_session_set_term_length(t->s, 0);
	return t;
}

void
tl_free(struct tl *t)
{
	char cmd[128];

	if (t == NULL)
		return;
	cli_session_free(t->s);
	cli_env_fini(&t->env);
	term_free(t->out);
	free(t->help);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "testlib: could not remove %s\n", t->dir);
	free(t);
}

int
tl_line(struct tl *t, const char *line)
{
	term_mem_reset(t->out);
	return cli_session_line(t->s, line, t->out);
}

int
tl_lines(struct tl *t, const char *text)
{
	int bad = 0;
	char *copy = strdup(text), *save = NULL;

	ck_assert_ptr_nonnull(copy);
	for (char *l = strtok_r(copy, "\n", &save); l != NULL;
	     l = strtok_r(NULL, "\n", &save))
		if (tl_line(t, l) < 0)
			bad++;
	free(copy);
	return bad;
}

const char *
tl_out(const struct tl *t)
{
	return term_mem_data(t->out, NULL);
}

const char *
tl_prompt(const struct tl *t)
{
	return cli_session_prompt(t->s);
}

const char *
tl_help(struct tl *t, const char *line)
{
	struct term *h = term_new_mem();

	cli_session_help(t->s, line, h);
	free(t->help);
	t->help = strdup(term_mem_data(h, NULL));
	term_free(h);
	return t->help;
}

char *
tl_show_run(struct tl *t)
{
	struct term *h = term_new_mem();
	char *s;

	conf_show(t->env.conf, h);
	s = strdup(term_mem_data(h, NULL));
	term_free(h);
	return s;
}

struct conf *
tl_conf(struct tl *t)
{
	return t->env.conf;
}

const char *
tl_tmpdir(struct tl *t)
{
	return t->dir;
}

char *
tl_slurp(const char *path)
{
	char *s = NULL;
	size_t len;

	ck_assert_msg(file_read_all(path, 1 << 24, &s, &len) == 0,
		      "cannot read %s", path);
	return s;
}

void
tl_golden(const char *path, const char *got)
{
	char *want;

	if (getenv("GOLDEN_UPDATE") != NULL)
		ck_assert_int_eq(file_write_atomic(path, got, strlen(got), 0644),
				 0);
	want = tl_slurp(path);
	ck_assert_msg(strcmp(got, want) == 0, "%s differs; got:\n%s", path,
		      got);
	free(want);
}
