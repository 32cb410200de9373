/*
 * env: the process-wide CLI state (running-config, command engine, key
 * store) and startup-config replay (doc/ios-cli.md §3.3): a file is fed line
 * by line through a session in global config mode, exactly as if typed;
 * refused lines are reported as FILE:LINE and skipped.
 */
#include "cli/env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_aaa.h"
#include "cli/cmd_banner.h"
#include "cli/cmd_exec.h"
#include "cli/cmd_gdoi.h"
#include "cli/cmd_key.h"
#include "cli/cmd_pki.h"
#include "cli/cmd_sys.h"
#include "cli/masterkey.h"
#include "cli/session.h"
#include "parser/cmd.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "platform/term.h"
#include "roles/keystore.h"
#include "roles/ks.h"
#include "roles/router.h"
#include "roles/show.h"

#define ENV_STARTUP_MAX (64u << 20)	/* a startup-config above 64 MiB is refused */
#define ENV_TABLES_MAX 64

/* Config tables from parser/, the CLI's own, then the roles' shows. */
static int
build_tables(const struct cmd_def **v, size_t cap)
{
	static const struct cmd_def *const cli_tables[] = {
		cli_exec_cmds, cli_mode_cmds, cli_key_cmds, cli_key_pem_cmds,
		cli_gdoi_cmds, cli_pki_cmds, cli_aaa_cmds, cli_sys_cmds,
		cli_ifshow_cmds, cli_ping_cmds, cli_banner_cmds,
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

/* Prefix every non-empty output line of a refused line with FILE:LINE. */
static void
report(struct term *err, const char *name, unsigned lineno, const char *line,
       const char *out)
{
	if (strchr(out, '^') != NULL)
		term_printf(err, "%s:%u: %s\n", name, lineno, line);
	for (const char *p = out; *p;) {
		size_t len = strcspn(p, "\n");

		if (len > 0)
			term_printf(err, "%s:%u: %.*s\n", name, lineno,
				    (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

/* One physical line: NULs become visible as bad bytes, CR is dropped. */
static char *
take_line(const char *p, size_t len)
{
	char *l = malloc(len + 1);

	if (l == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++)
		l[i] = p[i] == '\0' ? '\x01' : p[i];
	if (len > 0 && l[len - 1] == '\r')
		len--;
	l[len] = '\0';
	return l;
}

/* A config line may hold a key in clear: wiped before it is freed. */
static void
free_line(char *line)
{
	if (line != NULL)
		explicit_bzero(line, strlen(line));
	free(line);
}

static bool
is_end(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return strncmp(line, "end", 3) == 0 &&
	       (line[3] == '\0' || line[3] == ' ');
}

static unsigned
indent_of(const char *line)
{
	return (unsigned)strspn(line, " \t");
}

/* Blank and comment lines neither end a block nor count in one. */
static bool
is_filler(const char *line)
{
	line += indent_of(line);
	return *line == '\0' || *line == '!';
}

/*
 * A refused line and the more indented lines under it (its block: the
 * sub-mode lines of a refused `router ospf 1`, say) are reported once,
 * when the block ends, so that nothing of a refused statement is applied
 * and the refusal stays one report.
 */
struct refusal {
	unsigned lineno, skipped, indent;
	char *line, *out;	/* NULL: none pending */
};

static void
refusal_flush(struct refusal *r, struct term *err, const char *name)
{
	const char *out = r->out != NULL ? r->out : "% Out of memory";
	size_t n = strlen(out);

	if (r->line == NULL)
		return;
	while (n > 0 && out[n - 1] == '\n')
		n--;
	if (r->skipped > 0 && strchr(out, '^') == NULL) {
		term_printf(err, "%s:%u: %.*s (with the %u line%s of its "
			    "block)\n", name, r->lineno, (int)n, out,
			    r->skipped, r->skipped == 1 ? "" : "s");
	} else {
		report(err, name, r->lineno, r->line, out);
	}
	free_line(r->line);
	free(r->out);
	memset(r, 0, sizeof(*r));
}

/* One line of the file (line is taken over); 1 when it was refused.  A
 * refused line of a banner's text has no block to skip. */
static int
replay_line(struct cli_session *s, struct refusal *r, unsigned lineno,
	    char *line, struct term *out)
{
	bool text = cli_session_collecting(s);

	term_mem_reset(out);
	if (cli_session_line(s, line, out) >= 0) {
		free_line(line);
		return 0;
	}
	r->line = line;
	r->lineno = lineno;
	r->out = strdup(term_mem_data(out, NULL));
	r->indent = text ? UINT32_MAX : indent_of(line);
	return 1;
}

int
cli_replay_text(struct cli_env *env, const char *name, const char *text,
		size_t len, struct term *err)
{
	struct cli_session *s;
	struct term *out = term_new_mem();
	struct refusal r = { 0 };
	unsigned lineno = 0;
	int bad = 0;

	s = cli_session_new(env, "console", CLI_SESS_CONFIG | CLI_SESS_REPLAY);
	if (s == NULL || out == NULL) {
		term_printf(err, "%s: out of memory\n", name);
		bad = -1;
		goto out;
	}
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		char *line = take_line(text + off, n);

		off += n + (nl != NULL);
		lineno++;
		if (line == NULL ||
		    (!cli_session_collecting(s) && is_end(line))) {
			free_line(line);
			break;
		}
		if (r.line != NULL && r.indent != UINT32_MAX &&
		    (is_filler(line) || indent_of(line) > r.indent)) {
			r.skipped += !is_filler(line);
			free_line(line);
			continue;
		}
		refusal_flush(&r, err, name);
		bad += replay_line(s, &r, lineno, line, out);
		if (r.indent == UINT32_MAX)
			refusal_flush(&r, err, name);
		/* A file is all config: an extra `exit` does not leave it. */
		if (cli_session_asking(s) && !cli_session_collecting(s))
			cli_session_line(s, "", out);
		if (!cmd_mode_is_config(cli_session_mode(s)))
			cli_session_push(s, MODE_CONFIG, NULL);
	}
	refusal_flush(&r, err, name);
	if (cli_session_collecting(s)) {
		term_printf(err, "%s:%u: %% Text not ended before the end of "
			    "the file: not applied\n", name, lineno);
		bad++;
	}
out:
	cli_session_free(s);
	term_free(out);
	cli_env_commit(env);	/* once, for the whole file */
	return bad;
}

int
cli_replay_file(struct cli_env *env, const char *path, struct term *err)
{
	char *text;
	size_t len;
	int bad;

	if (file_read_all(path, ENV_STARTUP_MAX, &text, &len) < 0) {
		term_printf(err, "%% Cannot read %s: %s\n", path,
			    strerror(errno));
		return -1;
	}
	bad = cli_replay_text(env, path, text, len, err);
	explicit_bzero(text, len);	/* the config's keys, in clear */
	free(text);
	return bad;
}
