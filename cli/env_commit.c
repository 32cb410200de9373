/*
 * env_commit: the running-config's changes applied to what the process
 * runs from it (cli/env.h): logging settings and the roles, which re-apply
 * only what the changes touched (roles/affects.h).
 */
#include "cli/env.h"

#include "parser/conf.h"
#include "platform/log.h"
#include "roles/router.h"

void
cli_env_commit(struct cli_env *env)
{
	struct conf *c = env->conf;

	if (c == NULL ||
	    (c->edits == env->applied && !conf_changes_pending(&c->changes)))
		return;
	env->applied = c->edits;
	log_buffer_configure(c->log_buffer_size, c->log_buffer_sev);
	if (env->router != NULL)
		router_apply(env->router, c, &c->changes, env->keys);
	conf_changes_reset(&c->changes);
}
