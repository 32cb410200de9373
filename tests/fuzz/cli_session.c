/*
 * Fuzz target (libFuzzer, `make fuzz`): arbitrary lines through a CLI
 * session in every mode, as a user at the console, a vty client or a
 * script would type them.
 *
 * The first octet picks the mode the session is walked into; the rest
 * is split at newlines.  In a line, each `?` asks for help on the text
 * before it and each 0x01 asks for a TAB completion there; then the
 * whole line runs (with its length, so NULs reach the session).
 * Asserted: nothing crashes (the sanitizers watch), and a refused line
 * leaves the running-config exactly as it was (doc/cli.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/log.h"
#include "platform/term.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LINES_MAX 64

/* Lines that walk a fresh session into each mode. */
static const char *const walks[][5] = {
	{ NULL },					/* user EXEC */
	{ "enable", NULL },
	{ "enable", "configure terminal", NULL },
	{ "enable", "configure terminal", "crypto isakmp policy 10", NULL },
	{ "enable", "configure terminal",
	  "crypto ipsec transform-set T esp-aes esp-sha-hmac", NULL },
	{ "enable", "configure terminal", "crypto ipsec profile P", NULL },
	{ "enable", "configure terminal", "ip access-list extended A", NULL },
	{ "enable", "configure terminal", "ip access-list standard S", NULL },
	{ "enable", "configure terminal", "interface eth0", NULL },
	{ "enable", "configure terminal", "line vty 0 4", NULL },
	{ "enable", "configure terminal", "crypto gdoi group G", NULL },
	{ "enable", "configure terminal", "crypto gdoi group G",
	  "server local", NULL },
	{ "enable", "configure terminal", "crypto gdoi group G",
	  "server local", "sa ipsec 1" },
	{ "enable", "configure terminal", "crypto gdoi group G",
	  "server local", "redundancy" },
	{ "enable", "configure terminal", "crypto map M 10 gdoi", NULL },
	{ "enable", "configure terminal", "crypto map M gdoi fail-close",
	  NULL },
	{ "enable", "configure terminal", "crypto pki trustpoint TP", NULL },
};

static char *
running(struct cli_env *env)
{
	struct term *t = term_new_mem();
	char *s;

	conf_show(env->conf, t);
	s = strdup(term_mem_data(t, NULL));
	term_free(t);
	return s;
}

/* Lines that do not run here: `copy FILE running-config` (a merge of a
 * file with bad lines is refused after a change, on purpose; files are
 * not the fuzzer's business) and `logging buffered N`, whose ring is
 * process-wide and as large as IOS allows (2 GiB), which only measures
 * the machine's memory. */
static int
skipped(const char *line, size_t len)
{
	const char *p = line;

	while (p < line + len && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(line + len - p) >= 3 && strncasecmp(p, "cop", 3) == 0)
		return 1;
	return memmem(line, len, "buf", 3) != NULL ||
	       memmem(line, len, "BUF", 3) != NULL;
}

/* Help and completion at every `?` and 0x01 of the line. */
static void
probe(struct cli_session *s, const char *line, size_t len, struct term *t)
{
	for (size_t i = 0; i < len; i++) {
		char *before;

		if (line[i] != '?' && line[i] != 1)
			continue;
		before = strndup(line, i);
		if (line[i] == '?') {
			cli_session_help(s, before, t);
		} else {
			free(cli_session_complete(s, before));
		}
		free(before);
	}
}

static void
run_line(struct cli_env *e, struct cli_session *s, const char *line,
	 size_t len, struct term *t)
{
	bool answering = cli_session_asking(s);
	char *before, *after;
	int rc;

	if (skipped(line, len))
		return;
	probe(s, line, len, t);
	cli_session_is_secret(s, line);
	before = running(e);
	rc = cli_session_line_len(s, line, len, t);
	after = running(e);
	/* a type 6 key no master key opens is refused but kept, locked */
	if (rc < 0 && !answering && strcmp(before, after) != 0 &&
	    strstr(term_mem_data(t, NULL), "kept as it is") == NULL) {
		fprintf(stderr, "refused line changed the config: [%.*s]\n"
			"before:\n%s\nafter:\n%s\n", (int)len, line, before,
			after);
		abort();
	}
	free(before);
	free(after);
	term_mem_reset(t);
}

/* The engine is compiled once; every input gets an empty running-config. */
static struct cli_env env;

static void
fresh_env(void)
{
	char err[256];

	if (env.engine == NULL &&
	    cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)) < 0)
		abort();
	conf_free(env.conf);
	env.conf = conf_new();
	if (env.conf == NULL)
		abort();
	env.stop = false;
	env.applied = 0;
	log_debug_all_off();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nwalks = sizeof(walks) / sizeof(walks[0]);
	struct cli_session *s;
	struct term *t;
	char *buf;
	size_t start, nlines = 0;

	if (size < 1)
		return 0;
	fresh_env();
	s = cli_session_new(&env, "fuzz", 0);
	t = term_new_mem();
	for (size_t i = 0; i < 5 && walks[data[0] % nwalks][i]; i++)
		cli_session_line(s, walks[data[0] % nwalks][i], t);
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	for (start = 0; start < size - 1 && nlines < FUZZ_LINES_MAX; nlines++) {
		char *nl = memchr(buf + start, '\n', size - 1 - start);
		size_t end = nl ? (size_t)(nl - buf) : size - 1;

		buf[end] = '\0';
		run_line(&env, s, buf + start, end - start, t);
		if (cli_session_closed(s) || env.stop)
			break;
		start = end + 1;
	}
	free(buf);
	term_free(t);
	cli_session_free(s);
	return 0;
}
