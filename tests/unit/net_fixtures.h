/*
 * net_fixtures: in-process routers for tests: each node is a cli_env with
 * its own running-config, key directory and KS/GM roles (null data plane)
 * on one shared event loop with a virtual clock; lines are typed into a
 * config-mode session; run_until() drives the loop (real poll for
 * datagrams, virtual time in steps) until a condition holds.
 */
#ifndef TESTS_NET_FIXTURES_H
#define TESTS_NET_FIXTURES_H

#include <stdbool.h>

/* The directory of this test run, made and removed by check_main.c. */
#define NET_TMP_ENV "GETVPN_TEST_TMP"
#include <stdint.h>

#include "cli/env.h"

struct cli_session;
struct evloop;

struct net_node {
	struct cli_env env;
	struct cli_session *s;
	char keydir[64];
	bool up;
	bool keep;			/* keydir is the test's: not removed */
};

/* Start node n on loop with GDOI on port; its key directory is a fresh
 * temporary directory named after prefix. */
void net_node_up(struct net_node *n, struct evloop *loop, uint16_t port,
		 const char *prefix);
/* The same with the key directory keydir (kept at net_node_down) and,
 * unless NULL, key server state kept in state_dir (getvpn -s): a node
 * brought down and up again is a restarted router. */
void net_node_up_in(struct net_node *n, struct evloop *loop, uint16_t port,
		    const char *keydir, const char *state_dir);
void net_node_down(struct net_node *n);
/* Type every line of text; each must be accepted (the test fails with
 * the line and its output otherwise). */
void net_node_lines(struct net_node *n, const char *text);
/* Drive loop until cond() or limit_ms of virtual time; returns cond(). */
bool net_run_until(struct evloop *loop, bool (*cond)(void), uint64_t limit_ms);
/* The same with an argument for cond. */
bool net_run_until_arg(struct evloop *loop, bool (*cond)(void *), void *arg,
		       uint64_t limit_ms);

/* The log lines of the run (from net_log_start to net_log_stop), each
 * ending in '\n'; a long run keeps its last lines (about 1 MiB). */
void net_log_start(void);
void net_log_stop(void);
void net_log_reset(void);
const char *net_log(void);

#endif
