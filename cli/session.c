/*
 * session: one CLI session's mode stack and line execution with IOS
 * behaviour (IOS-CLI.md §4): caret errors measured from the prompt,
 * parent-mode fallback for flat and indented pastes (§4.9), `do` (§4.6),
 * output modifiers (§4.8, cli/outfilter.c) and confirmation dialogs.
 */
#include "cli/session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/env.h"
#include "cli/outfilter.h"
#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"
#include "platform/log.h"
#include "platform/term.h"

#define SESSION_DEPTH 8
#define SESSION_LINE_MAX 8192
#define SESSION_TERM_LENGTH 24
#define SESSION_TERM_WIDTH 80

struct frame {
	enum cmd_mode mode;
	struct conf_obj *obj;	/* held while the frame is on the stack */
};

struct cli_session {
	struct cli_env *env;
	char name[32];
	unsigned flags;
	struct frame stack[SESSION_DEPTH];
	unsigned depth;		/* stack[0] is user or privileged EXEC */
	char prompt[CONF_HOSTNAME_MAX + 64];
	unsigned term_length, term_width;
	bool monitor;
	bool closed;
	size_t caret_base;	/* screen column where the line being run starts */
	const char *line;		/* the line session_exec runs now */
	bool confirmed;			/* ... after a yes to its question */
	bool batch;			/* more lines follow at once: commit later */
	/* a pending question */
	char *question;
	int (*answer)(struct cli_session *s, const char *answer,
		      struct term *out, void *arg);
	void *answer_arg;
};

void
cli_session_set_batch(struct cli_session *s, bool more)
{
	s->batch = more;
}

struct cli_session *
cli_session_new(struct cli_env *env, const char *name, unsigned flags)
{
	struct cli_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->env = env;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->flags = flags;
	s->depth = 1;
	s->stack[0].mode = (flags & (CLI_SESS_ENABLED | CLI_SESS_CONFIG))
		? MODE_EXEC : MODE_USER_EXEC;
	if (flags & CLI_SESS_CONFIG)
		cli_session_push(s, MODE_CONFIG, NULL);
	s->term_length = (flags & CLI_SESS_REPLAY) ? 0 : SESSION_TERM_LENGTH;
	s->term_width = SESSION_TERM_WIDTH;
	return s;
}

static void
session_pop(struct cli_session *s)
{
	struct frame *f = &s->stack[--s->depth];

	if (f->obj != NULL)
		conf_obj_release(f->obj);
	f->obj = NULL;
}

/* A question nobody will answer (a new one, the session ends): answered
 * with nothing, which every dialog takes as no, so that it frees what it
 * holds (its out is NULL then). */
static void
session_drop_question(struct cli_session *s)
{
	int (*fn)(struct cli_session *, const char *, struct term *, void *) =
		s->answer;
	void *arg = s->answer_arg;

	free(s->question);
	s->question = NULL;
	s->answer = NULL;
	s->answer_arg = NULL;
	if (fn != NULL)
		fn(s, "", NULL, arg);
}

void
cli_session_free(struct cli_session *s)
{
	if (s == NULL)
		return;
	if (s->batch)		/* a paste cut short: commit what it did */
		cli_env_commit(s->env);
	while (s->depth > 1)
		session_pop(s);
	session_drop_question(s);
	free(s);
}

static enum cmd_mode
cur_mode(const struct cli_session *s)
{
	return s->stack[s->depth - 1].mode;
}

enum cmd_mode
cli_session_mode(const struct cli_session *s)
{
	return cur_mode(s);
}

void
cli_session_push(struct cli_session *s, enum cmd_mode m, struct conf_obj *obj)
{
	if (s->depth == SESSION_DEPTH)
		return;
	s->stack[s->depth].mode = m;
	s->stack[s->depth].obj = obj;
	if (obj != NULL)
		conf_obj_hold(obj);
	s->depth++;
}

void
cli_session_exit(struct cli_session *s)
{
	if (s->depth > 1)
		session_pop(s);
	else
		s->closed = true;
}

void
cli_session_end(struct cli_session *s)
{
	bool was_config = s->depth > 1;

	while (s->depth > 1)
		session_pop(s);
	if (was_config && !(s->flags & CLI_SESS_REPLAY))
		log_ios("SYS", 5, "CONFIG_I", "Configured from console by %s",
			s->name);
}

void
cli_session_set_enabled(struct cli_session *s, bool on)
{
	while (s->depth > 1)
		session_pop(s);
	s->stack[0].mode = on ? MODE_EXEC : MODE_USER_EXEC;
}

/* Drop frames whose object another session deleted. */
static void
session_revalidate(struct cli_session *s, struct term *out)
{
	for (unsigned i = 1; i < s->depth; i++) {
		if (s->stack[i].obj == NULL || !s->stack[i].obj->dead)
			continue;
		while (s->depth > i)
			session_pop(s);
		term_puts(out, "% The configuration object of this mode was "
			  "removed by another session.\n");
		return;
	}
}

const char *
cli_session_prompt(struct cli_session *s)
{
	enum cmd_mode m = cur_mode(s);
	const char *host = s->env->conf->hostname;

	if (s->question != NULL)
		return s->question;
	if (m == MODE_USER_EXEC)
		snprintf(s->prompt, sizeof(s->prompt), "%s>", host);
	else if (m == MODE_EXEC)
		snprintf(s->prompt, sizeof(s->prompt), "%s#", host);
	else
		snprintf(s->prompt, sizeof(s->prompt), "%s(%s)#", host,
			 cmd_mode_info(m)->prompt);
	return s->prompt;
}

bool
cli_session_asking(const struct cli_session *s)
{
	return s->question != NULL;
}

bool
cli_session_closed(const struct cli_session *s)
{
	return s->closed;
}

unsigned
cli_session_term_length(const struct cli_session *s)
{
	return s->term_length;
}

void
cli_session_set_term_length(struct cli_session *s, unsigned n)
{
	s->term_length = n;
}

void
cli_session_set_term_width(struct cli_session *s, unsigned n)
{
	s->term_width = n;
}

bool
cli_session_monitor(const struct cli_session *s)
{
	return s->monitor;
}

void
cli_session_set_monitor(struct cli_session *s, bool on)
{
	s->monitor = on;
}

const char *
cli_session_name(const struct cli_session *s)
{
	return s->name;
}

struct cli_env *
cli_session_env(const struct cli_session *s)
{
	return s->env;
}

void
cli_session_ask(struct cli_session *s, const char *question,
		int (*fn)(struct cli_session *, const char *, struct term *,
			  void *),
		void *arg)
{
	session_drop_question(s);
	s->question = strdup(question);
	s->answer = fn;
	s->answer_arg = arg;
	if (s->question == NULL)
		session_drop_question(s);
}

bool
cli_session_is_secret(struct cli_session *s, const char *line)
{
	struct cmd_match m;

	if (s->question != NULL)
		return true;
	cmd_match(s->env->engine, cur_mode(s), line, &m);
	/* A line of no words matches with no command (cmd.h). */
	return m.result == CMD_OK && m.def != NULL &&
	       (m.def->flags & CMD_F_SECRET);
}

/*
 * Errors, IOS style (§4.4).  In a replayed file there is no prompt: the
 * caret is measured from the start of the line.
 */
static void
print_error(struct cli_session *s, const struct cmd_match *m,
	    const char *line, struct term *out)
{
	size_t col;

	switch (m->result) {
	case CMD_ERR_NO_MATCH:
		col = s->caret_base + m->err_pos;
		term_printf(out, "%*s^\n", (int)col, "");
		term_puts(out, "% Invalid input detected at '^' marker.\n\n");
		break;
	case CMD_ERR_AMBIGUOUS:
		term_printf(out, "%% Ambiguous command:  \"%s\"\n", line);
		break;
	case CMD_ERR_INCOMPLETE:
		term_puts(out, "% Incomplete command.\n\n");
		break;
	default:
		break;
	}
}

/* Printable bytes and tabs only; returns the offset of the first bad one. */
static long
bad_byte(const char *line)
{
	for (const char *p = line; *p; p++)
		if (iscntrl((unsigned char)*p) && *p != '\t')
			return p - line;
	return -1;
}

/*
 * Match line in the current mode, then in its parents (§4.9).  Returns
 * the stack depth at which it matched (0 if nowhere).
 */
static unsigned
session_match(struct cli_session *s, const char *line, struct cmd_match *m)
{
	struct cmd_match first;
	unsigned d = s->depth;

	cmd_match(s->env->engine, cur_mode(s), line, &first);
	*m = first;
	if (first.result != CMD_ERR_NO_MATCH)
		return d;
	while (d > 1 && cmd_mode_is_config(s->stack[d - 2].mode)) {
		d--;
		cmd_match(s->env->engine, s->stack[d - 1].mode, line, m);
		if (m->result != CMD_ERR_NO_MATCH)
			return d;
	}
	/* Report the first mode's error; rematch to restore its args. */
	cmd_match(s->env->engine, cur_mode(s), line, m);
	return 0;
}

static int session_exec(struct cli_session *s, const char *line,
			struct term *out);

/* The answer to a configuration command's question: yes runs its line
 * again, confirmed (parser/cmd.h). */
static int
answer_confirm(struct cli_session *s, const char *answer, struct term *out,
	       void *arg)
{
	char *line = arg;
	int rc = 0;

	while (*answer == ' ')
		answer++;
	if (strcmp(answer, "yes") == 0 || strcmp(answer, "y") == 0) {
		s->confirmed = true;
		rc = session_exec(s, line, out);
		s->confirmed = false;
	}
	free(line);
	return rc;
}

static void
session_confirm(struct cmd_ctx *ctx, const char *question)
{
	struct cli_session *s = ctx->session;
	char *line = s->line != NULL ? strdup(s->line) : NULL;

	if (line != NULL)
		cli_session_ask(s, question, answer_confirm, line);
}

static int
run_handler(struct cli_session *s, const struct cmd_match *m, struct term *out)
{
	struct cmd_ctx ctx = {
		.conf = s->env->conf,
		.out = out,
		.negate = m->negate,
		.dflt = m->dflt,
		.interactive = !(s->flags & CLI_SESS_REPLAY),
		.enter_mode = MODE_COUNT,
		.session = s,
		.confirm = (s->flags & CLI_SESS_REPLAY) ? NULL : session_confirm,
		.confirmed = s->confirmed,
	};
	int rc;

	for (unsigned i = 0; i < s->depth; i++)
		ctx.node[s->stack[i].mode] = s->stack[i].obj;
	rc = m->def->handler(&ctx, m->args);
	if (rc == CMD_OK && ctx.enter_mode != MODE_COUNT)
		cli_session_push(s, ctx.enter_mode, ctx.enter_node);
	if (rc == CMD_ERR_INCOMPLETE || rc == CMD_ERR_NO_MATCH) {
		struct cmd_match e = *m;

		e.result = rc;
		e.err_pos = 0;
		print_error(s, &e, "", out);
	}
	if (!(s->flags & CLI_SESS_REPLAY) && !s->batch)
		cli_env_commit(s->env);
	return rc == CMD_OK ? 0 : -1;
}

static int
session_exec_line(struct cli_session *s, const char *line, struct term *out)
{
	struct cmd_match m;
	unsigned d;

	d = session_match(s, line, &m);
	if (m.result != CMD_OK) {
		print_error(s, &m, line, out);
		return -1;
	}
	if (m.def == NULL)
		return 0;
	while (s->depth > d)
		session_pop(s);
	return run_handler(s, &m, out);
}

/* One line; the handler may ask about it (session_confirm). */
static int
session_exec(struct cli_session *s, const char *line, struct term *out)
{
	int rc;

	s->line = line;
	rc = session_exec_line(s, line, out);
	s->line = NULL;
	return rc;
}

/* Run a line whose output may be piped (| include ...). */
static int
session_exec_piped(struct cli_session *s, const char *line, struct term *out)
{
	struct outfilter f;
	struct term *buf;
	char *cmd;
	int rc;

	if (outfilter_split(line, &cmd, &f, out) < 0)
		return -1;
	if (cmd == NULL)
		return session_exec(s, line, out);
	buf = term_new_mem();
	if (buf == NULL) {
		free(cmd);
		outfilter_fini(&f);
		return -1;
	}
	rc = session_exec(s, cmd, buf);
	outfilter_apply(&f, term_mem_data(buf, NULL), out);
	term_free(buf);
	free(cmd);
	outfilter_fini(&f);
	return rc;
}

static int
session_answer(struct cli_session *s, const char *line, struct term *out)
{
	int (*fn)(struct cli_session *, const char *, struct term *, void *) =
		s->answer;
	void *arg = s->answer_arg;

	free(s->question);
	s->question = NULL;
	s->answer = NULL;
	s->answer_arg = NULL;
	return fn ? fn(s, line, out, arg) : 0;
}

int
cli_session_line(struct cli_session *s, const char *line, struct term *out)
{
	long bad;

	if (s->question != NULL)
		return session_answer(s, line, out);
	session_revalidate(s, out);
	s->caret_base = strspn(line, " \t");
	line += s->caret_base;
	if (!(s->flags & CLI_SESS_REPLAY))
		s->caret_base += strlen(cli_session_prompt(s));
	if (strlen(line) > SESSION_LINE_MAX) {
		term_printf(out, "%% Line too long (more than %d characters)\n",
			    SESSION_LINE_MAX);
		return -1;
	}
	bad = bad_byte(line);
	if (bad >= 0) {
		struct cmd_match m = { .result = CMD_ERR_NO_MATCH,
				       .err_pos = (size_t)bad };

		print_error(s, &m, line, out);
		return -1;
	}
	if (*line == '\0' || *line == '!')
		return 0;
	if (cur_mode(s) == MODE_EXEC || cur_mode(s) == MODE_USER_EXEC)
		return session_exec_piped(s, line, out);
	return session_exec(s, line, out);
}

int
cli_session_do(struct cli_session *s, const char *line, size_t offset,
	       struct term *out)
{
	struct frame saved[SESSION_DEPTH];
	unsigned depth = s->depth;
	char *copy = strdup(line);	/* line lives in the engine's buffer */
	int rc;

	if (copy == NULL)
		return -1;
	/* Run in privileged EXEC without losing the config stack. */
	memcpy(saved, s->stack, sizeof(saved));
	s->stack[0].mode = MODE_EXEC;
	s->depth = 1;
	s->caret_base += offset;	/* carets stay under the typed text */
	rc = session_exec_piped(s, copy, out);
	s->caret_base -= offset;
	free(copy);
	if (s->depth == 1 && s->stack[0].mode == MODE_EXEC) {
		memcpy(s->stack, saved, sizeof(saved));
		s->depth = depth;
	} else {
		/* the command moved us (e.g. `do disable`): drop the old stack */
		for (unsigned i = 1; i < depth; i++)
			if (saved[i].obj != NULL)
				conf_obj_release(saved[i].obj);
	}
	return rc;
}

/* `do ...` in a config mode: help and completion use EXEC mode. */
static const char *
do_rest(const struct cli_session *s, const char *line)
{
	const char *p = line;
	size_t n;

	if (!cmd_mode_is_config(cur_mode(s)))
		return NULL;
	while (*p == ' ')
		p++;
	n = strcspn(p, " \t");
	if (n == 0 || n > 2 || strncasecmp(p, "do", n) != 0 || p[n] == '\0')
		return NULL;
	return p + n + 1;
}

void
cli_session_help(struct cli_session *s, const char *line, struct term *out)
{
	const char *rest = do_rest(s, line);

	if (rest != NULL) {
		cmd_help(s->env->engine, MODE_EXEC, rest, out);
		return;
	}
	cmd_help(s->env->engine, cur_mode(s), line, out);
}

char *
cli_session_complete(struct cli_session *s, const char *line)
{
	const char *rest = do_rest(s, line);
	char *c, *res;

	if (rest == NULL)
		return cmd_complete(s->env->engine, cur_mode(s), line);
	c = cmd_complete(s->env->engine, MODE_EXEC, rest);
	if (c == NULL)
		return NULL;
	if (asprintf(&res, "%.*s%s", (int)(rest - line), line, c) < 0)
		res = NULL;
	free(c);
	return res;
}
