/*
 * key_fixtures: temporary directories for the key store suites (see
 * key_fixtures.h).
 */
#include "key_fixtures.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "platform/fileio.h"
#include "platform/term.h"

char tk_root[64];

void
tk_setup(void)
{
	snprintf(tk_root, sizeof(tk_root), "/tmp/check_keys.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tk_root));
}

static int
tk_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void
tk_teardown(void)
{
	nftw(tk_root, tk_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh, not yet existing, directory for one test. */
const char *
tk_dir(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", tk_root, name);
	return path;
}

char *
tk_path(const char *dir, const char *file)
{
	char *p;

	ck_assert_int_gt(asprintf(&p, "%s/%s", dir, file), 0);
	return p;
}

void
tk_write(const char *dir, const char *file, const char *text, size_t len)
{
	char *p = tk_path(dir, file);

	ck_assert_int_eq(file_write_atomic(p, text, len, 0600), 0);
	free(p);
}

bool
tk_exists(const char *dir, const char *file)
{
	char *p = tk_path(dir, file);
	bool ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

void
tk_cli_open(struct tk_cli *c, const char *keydir)
{
	char err[256] = "";

	ck_assert_msg(cli_env_init(&c->env, NULL, NULL, keydir, err, sizeof(err)) == 0,
		      "cli_env_init: %s", err);
	c->s = cli_session_new(&c->env, "test", CLI_SESS_ENABLED | CLI_SESS_CONFIG);
	c->out = term_new_mem();
	ck_assert_ptr_nonnull(c->s);
	ck_assert_ptr_nonnull(c->out);
}

void
tk_cli_close(struct tk_cli *c)
{
	cli_session_free(c->s);
	term_free(c->out);
	cli_env_fini(&c->env);
}

int
tk_cli_run(struct tk_cli *c, const char *line)
{
	term_mem_reset(c->out);
	return cli_session_line(c->s, line, c->out);
}

const char *
tk_cli_out(struct tk_cli *c)
{
	return term_mem_data(c->out, NULL);
}
