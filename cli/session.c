/*
 * session: one CLI session's mode stack and line execution with IOS
 * behaviour (doc/ios-cli.md §4): caret errors measured from the prompt,
 * parent-mode fallback for flat and indented pastes (§4.9), `do` (§4.6),
 * output modifiers (§4.8, cli/outfilter.c) and confirmation dialogs.
 */
#include "cli/session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/env.h"
#include "cli/outfilter.h"
#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"
#include "platform/log.h"
#include "platform/showout.h"
#include "platform/term.h"
#include "roles/router.h"
#include "roles/show.h"

#define SESSION_DEPTH 8
#define SESSION_LINE_MAX 8192
#define SESSION_TERM_LENGTH 24
#define SESSION_HISTORY 10	/* IOS's default history size */

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
	bool hidden;			/* its answer is not echoed (Password:) */
	int (*answer)(struct cli_session *s, const char *answer,
		      struct term *out, void *arg);
	void *answer_arg;
	/* who, and since when idle */
	char user[CONF_NAME_MAX];
	unsigned priv;
	time_t last;
	unsigned delay_ms;
	struct cli_session *prev, *next;	/* live interactive sessions */
	bool collecting;		/* the question takes text lines */
	unsigned json;			/* `| json`: 1 asked, 2 given */
	/* `show history`: the last lines typed, oldest first from hist_next */
	char *hist[SESSION_HISTORY];
	unsigned hist_next;
};

static struct cli_session *sessions;

static void
session_link(struct cli_session *s)
{
	s->next = sessions;
	if (sessions != NULL)
		sessions->prev = s;
	sessions = s;
}

static void
session_unlink(struct cli_session *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else if (sessions == s)
		sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

static time_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

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
	s->term_width = CLI_TERM_WIDTH_OWN;
	s->priv = s->stack[0].mode == MODE_EXEC ? CLI_PRIV_ADMIN : CLI_PRIV_USER;
	s->last = now_s();
	if (!(flags & CLI_SESS_REPLAY))
		session_link(s);
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
typedef int (*answer_fn)(struct cli_session *, const char *, struct term *,
			 void *);

/* Forget the pending question; its answer function and argument are
 * returned for the caller to run. */
static answer_fn
session_take_question(struct cli_session *s, void **arg)
{
	answer_fn fn = s->answer;

	*arg = s->answer_arg;
	free(s->question);
	s->question = NULL;
	s->hidden = false;
	s->collecting = false;
	s->answer = NULL;
	s->answer_arg = NULL;
	return fn;
}

static void
session_drop_question(struct cli_session *s)
{
	void *arg;
	answer_fn fn = session_take_question(s, &arg);

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
	session_unlink(s);
	for (unsigned i = 0; i < SESSION_HISTORY; i++)
		free(s->hist[i]);
	free(s);
}

/* Keep line for `show history` (typed lines only, not answers). */
static void
session_remember(struct cli_session *s, const char *line)
{
	char *copy;

	if ((s->flags & CLI_SESS_REPLAY) || *line == '\0' ||
	    cli_session_is_secret(s, line) || (copy = strdup(line)) == NULL)
		return;
	free(s->hist[s->hist_next]);
	s->hist[s->hist_next] = copy;
	s->hist_next = (s->hist_next + 1) % SESSION_HISTORY;
}

const char *
cli_session_history(const struct cli_session *s, unsigned i)
{
	return i < SESSION_HISTORY
		? s->hist[(s->hist_next + i) % SESSION_HISTORY] : NULL;
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
	s->priv = on ? CLI_PRIV_ADMIN : CLI_PRIV_USER;
}

void
cli_session_login(struct cli_session *s, const char *user, unsigned priv)
{
	snprintf(s->user, sizeof(s->user), "%s", user);
	cli_session_set_enabled(s, priv >= CLI_PRIV_ADMIN);
	s->priv = priv;
}

const char *
cli_session_user(const struct cli_session *s)
{
	return s->user;
}

unsigned
cli_session_priv(const struct cli_session *s)
{
	return s->priv;
}

unsigned long
cli_session_idle(const struct cli_session *s)
{
	return (unsigned long)(now_s() - s->last);
}

unsigned
cli_session_take_delay(struct cli_session *s)
{
	unsigned ms = s->delay_ms;

	s->delay_ms = 0;
	return ms;
}

void
cli_session_set_delay(struct cli_session *s, unsigned ms)
{
	s->delay_ms = ms;
}

bool
cli_session_is_vty(const struct cli_session *s)
{
	return s->flags & CLI_SESS_VTY;
}

void
cli_session_foreach(bool (*fn)(const struct cli_session *s, void *arg),
		    void *arg)
{
	for (const struct cli_session *s = sessions; s != NULL; s = s->next)
		if (!fn(s, arg))
			return;
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

unsigned
cli_session_term_width(const struct cli_session *s)
{
	return s->term_width;
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

void
cli_session_ask_hidden(struct cli_session *s, const char *question,
		       int (*fn)(struct cli_session *, const char *,
				 struct term *, void *),
		       void *arg)
{
	cli_session_ask(s, question, fn, arg);
	s->hidden = s->question != NULL;
}

bool
cli_session_hidden(const struct cli_session *s)
{
	return s->hidden;
}

void
cli_session_collect(struct cli_session *s,
		    int (*fn)(struct cli_session *, const char *,
			      struct term *, void *),
		    void *arg)
{
	cli_session_ask(s, "", fn, arg);
	s->collecting = s->question != NULL;
}

/* Did the line end in `| json`?  A structured show answers in JSON and
 * says so; other commands get an error instead of text. */
static bool
session_json(struct cli_session *s)
{
	if (s->json == 0)
		return false;
	s->json = 2;
	return true;
}

bool
cli_session_collecting(const struct cli_session *s)
{
	return s->collecting;
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

/* A secret asked for (parser/cmd.h ask_secret): the line, the prompts'
 * noun and the first answer. */
struct secret_dialog {
	char *line, *first;
	char what[16];
};

static void
secret_dialog_free(struct secret_dialog *d)
{
	if (d->first != NULL)
		explicit_bzero(d->first, strlen(d->first));
	free(d->first);
	free(d->line);
	free(d);
}

/* The second answer: the same as the first runs the line with it. */
static int
answer_secret_again(struct cli_session *s, const char *answer,
		    struct term *out, void *arg)
{
	struct secret_dialog *d = arg;
	size_t n;
	char *line;
	int rc = -1;

	if (out == NULL) {			/* the session ended */
		secret_dialog_free(d);
		return 0;
	}
	if (strcmp(answer, d->first) != 0)
		term_printf(out, "%% The %ss do not match: nothing changed\n",
			    d->what);
	else if ((line = malloc((n = strlen(d->line) + strlen(answer) + 2)))
		 != NULL) {
		snprintf(line, n, "%s %s", d->line, answer);
		rc = session_exec(s, line, out);
		explicit_bzero(line, n);
		free(line);
	}
	secret_dialog_free(d);
	return rc;
}

static int
answer_secret(struct cli_session *s, const char *answer, struct term *out,
	      void *arg)
{
	struct secret_dialog *d = arg;
	char q[32];

	if (out == NULL || answer[0] == '\0' ||
	    (d->first = strdup(answer)) == NULL) {
		if (out != NULL)
			term_printf(out, "%% No %s given: nothing changed\n",
				    d->what);
		secret_dialog_free(d);
		return out != NULL ? -1 : 0;
	}
	snprintf(q, sizeof(q), "Confirm %s: ", d->what);
	cli_session_ask_hidden(s, q, answer_secret_again, d);
	return 0;
}

static void
session_ask_secret(struct cmd_ctx *ctx, const char *what)
{
	struct cli_session *s = ctx->session;
	struct secret_dialog *d = calloc(1, sizeof(*d));
	char q[32];

	if (d == NULL || s->line == NULL ||
	    (d->line = strdup(s->line)) == NULL) {
		free(d);
		return;
	}
	snprintf(d->what, sizeof(d->what), "%s", what);
	snprintf(q, sizeof(q), "New %s: ", what);
	cli_session_ask_hidden(s, q, answer_secret, d);
}

void
cli_session_set_terminal(struct cli_session *s)
{
	s->flags |= CLI_SESS_TERMINAL;
}

/* A structured show command: fill, then render as IOS text or, for
 * `| json`, as JSON.  A role's show (roles/show.h) needs the roles. */
static int
run_show(struct cli_session *s, const struct cmd_match *m,
	 struct cmd_ctx *ctx)
{
	struct show_roles roles;
	int rc;

	if (m->def->flags & CMD_F_ROLES) {
		if (s->env->router == NULL)
			return cmd_error(ctx, "GDOI is not running in this "
					 "process");
		router_show_roles(s->env->router, &roles);
		ctx->roles = &roles;
	}
	ctx->show = showout_new();
	if (ctx->show == NULL)
		return cmd_error(ctx, "Not enough memory for this output");
	rc = m->def->handler(ctx, m->args);
	if (rc == CMD_OK && showout_print(ctx->show, session_json(s),
					  ctx->out) < 0)
		rc = CMD_WARNING;
	showout_free(ctx->show);
	ctx->show = NULL;
	ctx->roles = NULL;
	return rc;
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
		.ask_secret = (s->flags & CLI_SESS_TERMINAL) &&
			      !(s->flags & CLI_SESS_REPLAY)
			      ? session_ask_secret : NULL,
		.confirmed = s->confirmed,
	};
	int rc;

	for (unsigned i = 0; i < s->depth; i++)
		ctx.node[s->stack[i].mode] = s->stack[i].obj;
	if (m->def->flags & CMD_F_SHOW)
		rc = run_show(s, m, &ctx);
	else
		rc = m->def->handler(&ctx, m->args);
	if (rc == CMD_OK && ctx.enter_mode != MODE_COUNT)
		cli_session_push(s, ctx.enter_mode, ctx.enter_node);
	if (rc == CMD_ERR_INCOMPLETE || rc == CMD_ERR_NO_MATCH) {
		struct cmd_match e = *m;

		e.result = rc;
		e.err_pos = 0;
		print_error(s, &e, "", out);
	}
	cmd_match_release(s->env->engine);
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
	s->json = f.kind == OUTFILTER_JSON;
	rc = session_exec(s, cmd, buf);
	/* A refused command's error stays visible (IOS does the same). */
	if (rc < 0) {
		term_puts(out, term_mem_data(buf, NULL));
	} else if (s->json == 1) {
		term_puts(out, "% JSON output is not available for this "
			  "command\n");
		rc = -1;
	} else {
		outfilter_apply(&f, term_mem_data(buf, NULL), out);
	}
	s->json = 0;
	term_free(buf);
	free(cmd);
	outfilter_fini(&f);
	return rc;
}

static int
session_answer(struct cli_session *s, const char *line, struct term *out)
{
	void *arg;
	answer_fn fn = session_take_question(s, &arg);

	return fn ? fn(s, line, out, arg) : 0;
}

static int session_help(struct cli_session *s, const char *line,
			struct term *out);

/* `?` at the end of a typed line asks for help wherever the line came
 * from (a pipe, -c, the vty), as IOS answers whatever sends the `?`.  A
 * replayed file is configuration: there it is text. */
static bool
asks_help(const struct cli_session *s, const char *line)
{
	size_t n = strlen(line);

	return !(s->flags & CLI_SESS_REPLAY) && n > 0 && line[n - 1] == '?';
}

int
cli_session_line_len(struct cli_session *s, const char *line, size_t len,
		     struct term *out)
{
	const char *nul = memchr(line, '\0', len);

	/* A NUL inside a line is refused, never a silent cut. */
	if (nul != NULL && s->question == NULL) {
		struct cmd_match m = { .result = CMD_ERR_NO_MATCH,
				       .err_pos = (size_t)(nul - line) };

		s->caret_base = (s->flags & CLI_SESS_REPLAY)
			? 0 : strlen(cli_session_prompt(s));
		print_error(s, &m, line, out);
		return -1;
	}
	if (nul != NULL) {
		session_drop_question(s);
		term_puts(out, "% Invalid input: a NUL byte in the answer\n");
		return -1;
	}
	return cli_session_line(s, line, out);
}

int
cli_session_line(struct cli_session *s, const char *line, struct term *out)
{
	long bad;

	s->last = now_s();
	if (s->question != NULL)
		return session_answer(s, line, out);
	if (asks_help(s, line)) {
		char *before = strndup(line, strlen(line) - 1);
		int rc = before ? session_help(s, before, out) : -1;

		free(before);
		return rc;
	}
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
	session_remember(s, line);
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

/* `?` in EXEC (or after `do`): past a bar it is the modifiers' help. */
static int
session_help(struct cli_session *s, const char *line, struct term *out)
{
	const char *rest = do_rest(s, line);
	enum cmd_mode m = rest != NULL ? MODE_EXEC : cur_mode(s);
	const char *text = rest != NULL ? rest : line;
	const char *bar = strchr(text, '|');
	int rc;

	if (bar != NULL && !cmd_mode_is_config(m)) {
		outfilter_help(bar + 1, out);
		return 0;
	}
	rc = cmd_help(s->env->engine, m, text, out);
	return rc == CMD_OK ? 0 : -1;
}

void
cli_session_help(struct cli_session *s, const char *line, struct term *out)
{
	session_help(s, line, out);
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
