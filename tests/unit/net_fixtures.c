/*
 * net_fixtures: in-process routers for tests (see net_fixtures.h).
 */
#include "net_fixtures.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/session.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"

void
net_node_up(struct net_node *n, struct evloop *loop, uint16_t port,
	    const char *prefix)
{
	const char *base = getenv(NET_TMP_ENV);
	char dir[160];

	/* under the run's directory when there is one (check_main.c): what
	 * a failed test leaves goes with it at the end of the run */
	snprintf(dir, sizeof(dir), "%s/%s-XXXXXX", base ? base : "/tmp",
		 prefix);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	net_node_up_in(n, loop, port, dir, NULL);
	n->keep = false;
}

void
net_node_up_in(struct net_node *n, struct evloop *loop, uint16_t port,
	       const char *keydir, const char *state_dir)
{
	char err[256];

	snprintf(n->keydir, sizeof(n->keydir), "%s", keydir);
	ck_assert_int_eq(cli_env_init(&n->env, loop, NULL, n->keydir, err,
				      sizeof(err)), 0);
	n->env.state_dir = state_dir;
	ck_assert_msg(cli_env_start_router(&n->env, port, "null", err,
					   sizeof(err)) == 0, "%s", err);
	n->s = cli_session_new(&n->env, "test", CLI_SESS_CONFIG);
	ck_assert_ptr_nonnull(n->s);
	n->up = true;
	n->keep = true;
}

void
net_node_down(struct net_node *n)
{
	char cmd[96];

	if (!n->up)
		return;
	cli_session_free(n->s);
	cli_env_fini(&n->env);
	n->up = false;
	if (n->keep)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", n->keydir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", n->keydir);
	n->up = false;
}

void
net_node_lines(struct net_node *n, const char *text)
{
	struct term *out = term_new_mem();
	char *copy = strdup(text), *save = NULL;

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(copy);
	for (char *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		term_mem_reset(out);
		ck_assert_msg(cli_session_line(n->s, l, out) == 0, "%s: %s", l,
			      term_mem_data(out, NULL));
	}
	free(copy);
	term_free(out);
}

bool
net_run_until_arg(struct evloop *loop, bool (*cond)(void *), void *arg,
		  uint64_t limit_ms)
{
	uint64_t start = ev_now(loop);

	while (ev_now(loop) - start < limit_ms) {
		for (int k = 0; k < 20; k++)
			if (ev_run_once(loop, 2) <= 0)
				break;
		if (cond(arg))
			return true;
		ev_advance(loop, 100);
	}
	return cond(arg);
}

static bool
call_plain(void *arg)
{
	bool (*cond)(void) = *(bool (**)(void))arg;

	return cond();
}

bool
net_run_until(struct evloop *loop, bool (*cond)(void), uint64_t limit_ms)
{
	return net_run_until_arg(loop, call_plain, &cond, limit_ms);
}

static char logbuf[1 << 20];
static size_t loglen;

static void
log_keep(void *arg, int sev, const char *line)
{
	size_t n = strlen(line);

	(void)arg;
	(void)sev;
	if (loglen + n + 2 >= sizeof(logbuf))
		loglen = 0;	/* a long run keeps its last lines */
	if (loglen + n + 2 < sizeof(logbuf)) {
		memcpy(logbuf + loglen, line, n);
		loglen += n;
		logbuf[loglen++] = '\n';
		logbuf[loglen] = '\0';
	}
}

void
net_log_reset(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

void
net_log_start(void)
{
	net_log_reset();
	log_sink_add(log_keep, NULL, 7);
}

void
net_log_stop(void)
{
	log_sink_remove(log_keep, NULL);
}

const char *
net_log(void)
{
	return logbuf;
}
