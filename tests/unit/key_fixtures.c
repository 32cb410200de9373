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

#include "platform/fileio.h"

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
