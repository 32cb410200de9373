/*
 * env: what every CLI session of one getvpn process shares: the running
 * config, the compiled command engine, the event loop, the file paths
 * and the key store.
 */
#ifndef CLI_ENV_H
#define CLI_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/conf_pwenc.h"

struct conf;
struct cmd_engine;
struct evloop;
struct keystore;
struct router;
struct term;

struct cli_env {
	struct conf *conf;
	struct cmd_engine *engine;
	struct evloop *loop;		/* may be NULL in unit tests */
	struct keystore *keys;		/* RSA key pairs (roles/keystore.h) */
	struct router *router;		/* the KS/GM roles; NULL until started */
	char *startup_path;		/* -f FILE: write memory target */
	char *key_dir;			/* -k DIR: where key pairs live */
	struct conf_type6_ops type6;	/* codec + master key store */
	const char *state_dir;		/* -s DIR: key server state, or NULL
					 * (set before cli_env_start_router) */
	bool daemon;
	unsigned long applied;		/* conf->edits last applied */
	bool stop;			/* set by `reload`/signals: leave ev_run */
};

/* Build conf + engine + key store.  key_dir may be NULL (no key store:
 * key commands fail with a message).  Returns 0, or -1 with err set. */
int cli_env_init(struct cli_env *env, struct evloop *loop,
		 const char *startup_path, const char *key_dir,
		 char *err, size_t errlen);
void cli_env_fini(struct cli_env *env);

/* Start the KS/GM roles (GDOI on UDP port, data plane backend) and
 * apply the running-config to them.  -1 with err set on failure. */
int cli_env_start_router(struct cli_env *env, uint16_t port,
			 const char *backend, char *err, size_t errlen);

/* cli/env_commit.c: after a line changed the running-config, apply what
 * the process itself runs from it (logging settings, the KS/GM roles). */
void cli_env_commit(struct cli_env *env);

/*
 * cli/replay.c: replay a startup-config (or `copy FILE running-config`)
 * through a fresh session in global config mode.  Every refused line is
 * reported to err as "FILE:LINE: <IOS error text>" and skipped; the rest
 * loads.  Returns the number of refused lines, or -1 when the file cannot
 * be read (err says why).
 */
int cli_replay_file(struct cli_env *env, const char *path, struct term *err);
int cli_replay_text(struct cli_env *env, const char *name, const char *text,
		    size_t len, struct term *err);

#endif
