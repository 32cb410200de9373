/*
 * env: the process-wide CLI state (running-config, command engine with
 * every command table, key store, roles).  Its changes are applied by
 * cli/env_commit.c; a startup-config is replayed by cli/replay.c.
 */
#include "cli/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_aaa.h"
#include "cli/cmd_banner.h"
#include "cli/cmd_cryptoshow.h"
#include "cli/cmd_exec.h"
#include "cli/cmd_gdoi.h"
#include "cli/cmd_key.h"
#include "cli/cmd_pki.h"
#include "cli/cmd_sys.h"
#include "cli/masterkey.h"
#include "parser/cmd.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "roles/keystore.h"
#include "roles/ks.h"
#include "roles/router.h"
#include "roles/show.h"

#define ENV_TABLES_MAX 64

/* Config tables from parser/, the CLI's own, then the roles' shows. */
static int
build_tables(const struct cmd_def **v, size_t cap)
{
	static const struct cmd_def *const cli_tables[] = {
		cli_exec_cmds, cli_mode_cmds, cli_key_cmds, cli_key_pem_cmds,
		cli_gdoi_cmds, cli_pki_cmds, cli_aaa_cmds, cli_sys_cmds,
		cli_ifshow_cmds, cli_ping_cmds, cli_banner_cmds,
		cli_cryptoshow_cmds,
	};
	size_t n = 0, want = 0;

	for (size_t i = 0; conf_cmd_tables[i] != NULL; i++, want++)
		if (n + 1 < cap)
			v[n++] = conf_cmd_tables[i];
	for (size_t i = 0; i < sizeof(cli_tables) / sizeof(*cli_tables);
	     i++, want++)
		if (n + 1 < cap)
			v[n++] = cli_tables[i];
	for (size_t i = 0; role_show_tables[i] != NULL; i++, want++)
		if (n + 1 < cap)
			v[n++] = role_show_tables[i];
	v[n] = NULL;
	return n == want ? 0 : -1;
}

/* A `write memory` killed before its rename left "<file>.tmpXXXXXX"
 * (0600, the config's keys inside) next to the startup-config. */
static void
env_remove_stale_tmp(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (file_remove_stale_tmp(dir, slash ? slash + 1 : path) > 0)
		log_warnx("removed the temporary file of an interrupted "
			  "write memory next to %s", path);
}

int
cli_env_init(struct cli_env *env, struct evloop *loop,
	     const char *startup_path, const char *key_dir,
	     char *err, size_t errlen)
{
	const struct cmd_def *tables[ENV_TABLES_MAX];

	memset(env, 0, sizeof(*env));
	env->loop = loop;
	if (build_tables(tables, ENV_TABLES_MAX) < 0) {
		snprintf(err, errlen, "more command tables than ENV_TABLES_MAX");
		goto fail;
	}
	env->engine = cmd_engine_new(tables, err, errlen);
	if (env->engine == NULL)
		goto fail;
	env->conf = conf_new();
	if (env->conf == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (startup_path != NULL &&
	    (env->startup_path = strdup(startup_path)) == NULL)
		goto fail;
	if (startup_path != NULL)
		env_remove_stale_tmp(startup_path);
	cli_masterkey_setup(env);
	if (key_dir != NULL) {
		env->key_dir = strdup(key_dir);
		env->keys = keystore_open(key_dir, err, errlen);
		if (env->keys == NULL)
			goto fail;
	}
	return 0;
fail:
	cli_env_fini(env);
	return -1;
}

int
cli_env_start_router(struct cli_env *env, uint16_t port, const char *backend,
		     char *err, size_t errlen)
{
	char why[256];

	env->router = router_new(env->loop, port, backend, err, errlen);
	if (env->router == NULL)
		return -1;
	if (env->state_dir != NULL &&
	    ks_keep_state(router_ks(env->router), env->state_dir, env->key_dir,
			  why, sizeof(why)) < 0)
		log_warnx("key server state not kept across restarts: %s", why);
	conf_changes_all(&env->conf->changes);
	cli_env_commit(env);
	return 0;
}

void
cli_env_fini(struct cli_env *env)
{
	router_free(env->router);
	if (env->keys != NULL)
		keystore_close(env->keys);
	conf_free(env->conf);
	cmd_engine_free(env->engine);
	free(env->startup_path);
	free(env->key_dir);
	memset(env, 0, sizeof(*env));
}
