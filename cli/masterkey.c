/*
 * masterkey: the master key file and the type 6 codec installed on the
 * running-config (see cli/masterkey.h).
 */
#include "cli/masterkey.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/env.h"
#include "parser/conf.h"
#include "parser/conf_pwenc.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "roles/type6.h"

#define MK_FILE_MAX 4096
#define MK_SUFFIX ".master-key"

_Static_assert(CONF_TYPE6_MAX == TYPE6_TEXT_MAX, "type 6 text sizes");
_Static_assert((int)CONF_T6_BAD_MAC == (int)TYPE6_BAD_MAC &&
	       (int)CONF_T6_MALFORMED == (int)TYPE6_MALFORMED &&
	       (int)CONF_T6_BAD_CLEAR == (int)TYPE6_BAD_CLEAR,
	       "type 6 results");

static int
mk_path(const struct cli_env *env, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s" MK_SUFFIX, env->startup_path);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int
mk_save(void *arg, const char *master, const char *previous)
{
	const struct cli_env *env = arg;
	char path[4096], text[2 * CONF_MASTER_KEY_MAX + 32];
	int n, rc;

	if (env->startup_path == NULL)
		return 0;
	if (mk_path(env, path, sizeof(path)) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (master[0] == '\0')
		return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
	n = snprintf(text, sizeof(text), "current %s\n%s%s%s", master,
		     previous[0] ? "previous " : "", previous,
		     previous[0] ? "\n" : "");
	rc = file_write_atomic(path, text, (size_t)n, 0600);
	explicit_bzero(text, sizeof(text));
	return rc;
}

/* "current KEY\n[previous KEY\n]" into the two keys; -1 if malformed. */
static int
mk_parse(char *text, char *master, char *previous)
{
	char *save = NULL;
	int got = 0;

	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(l, ' ');
		char *dst = NULL;

		if (v == NULL || strlen(v + 1) < CONF_MASTER_KEY_MIN ||
		    strlen(v + 1) >= CONF_MASTER_KEY_MAX)
			return -1;
		*v++ = '\0';
		if (strcmp(l, "current") == 0)
			dst = master, got = 1;
		else if (strcmp(l, "previous") == 0)
			dst = previous;
		else
			return -1;
		snprintf(dst, CONF_MASTER_KEY_MAX, "%s", v);
	}
	return got ? 0 : -1;
}

static void
mk_load(struct cli_env *env, char *master, char *previous)
{
	char path[4096], *text = NULL;
	size_t len = 0;

	if (env->startup_path == NULL || mk_path(env, path, sizeof(path)) < 0)
		return;
	if (file_read_all(path, MK_FILE_MAX, &text, &len) < 0) {
		if (errno != ENOENT)
			log_warnx("cannot read the master key %s: %s; type 6 "
				  "keys stay unused", path, strerror(errno));
		return;
	}
	if (memchr(text, '\0', len) != NULL ||
	    mk_parse(text, master, previous) < 0) {
		explicit_bzero(master, CONF_MASTER_KEY_MAX);
		explicit_bzero(previous, CONF_MASTER_KEY_MAX);
		log_warnx("%s is not a master key file: type 6 keys stay "
			  "unused", path);
	}
	explicit_bzero(text, len);
	free(text);
}

void
cli_masterkey_setup(struct cli_env *env)
{
	char master[CONF_MASTER_KEY_MAX] = "", previous[CONF_MASTER_KEY_MAX] = "";

	env->type6.encrypt = type6_encrypt;
	env->type6.decrypt = type6_decrypt;
	env->type6.save = mk_save;
	env->type6.arg = env;
	mk_load(env, master, previous);
	conf_pwenc_setup(env->conf, &env->type6, master, previous);
	explicit_bzero(master, sizeof(master));
	explicit_bzero(previous, sizeof(previous));
}
