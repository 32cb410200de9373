/*
 * console: the interactive terminal front end (doc/design.md §2) and the
 * local backend and script mode of `getvpn [-f FILE]`.
 *
 * IOS behaviours followed (doc/ios-cli.md):
 *   §4.2  `?` prints the help for the text before the cursor, is never
 *         inserted nor stored, and the prompt and line are redrawn;
 *   §4.3  TAB completes a unique keyword prefix or rings the bell;
 *   §4.7  Ctrl-Z (echo ^Z) and Ctrl-C in a config mode run `end`;
 *         Ctrl-D on an empty line at EXEC leaves;
 *   §4.8  output longer than `terminal length` is paged (cli/pager.c).
 *
 * readline is used through its callback API only: stdin is watched by
 * the event loop and each readable byte goes to rl_callback_read_char.
 * The terminal stays in readline's mode from console_start() to
 * console_free(), with the tty's INTR and SUSP characters switched off,
 * so Ctrl-C and Ctrl-Z arrive as keys (IOS meanings, no signals) and the
 * pager gets single keys while readline is not reading.
 */
#include "cli/console.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cmd_banner.h"
#include "cli/env.h"
#include "cli/linesrc.h"
#include "cli/pager.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"

#define CONSOLE_HISTORY 20	/* lines kept (IOS keeps 10 by default) */
#define CONSOLE_HELD_MAX (64 * 1024)	/* log bytes held while paging */
#define CONSOLE_NO_WRAP 32767		/* `terminal width 0`: never wrap */

enum con_state {
	CON_NEW,		/* not started: print log lines as they come */
	CON_IDLE,		/* readline owns the keyboard */
	CON_LINE,		/* a line runs in the backend */
	CON_HELP,		/* waiting for `?` help */
	CON_COMPLETE,		/* waiting for a TAB completion */
	CON_PAGING,		/* ` --More-- ` waits for a key */
	CON_FINISHED,
};

/* A control key that ended the line instead of Enter. */
enum con_key {
	CON_KEY_NONE,
	CON_KEY_CTRL_Z,
	CON_KEY_CTRL_C,
};

struct console {
	struct evloop *loop;
	const struct console_backend *be;
	void *arg;
	enum con_state state;
	struct ev_io *in_io;
	struct term *tty;		/* stdout */
	struct term *collect;		/* output of the running line */
	struct term *held;		/* log lines that arrived while paging */
	struct pager *pager;
	char *prompt;
	unsigned term_length, term_width;
	bool asking, config, noecho;
	/* IOS keeps EXEC and configuration histories apart: the one not in
	 * use waits here. */
	HISTORY_STATE *other_history;
	bool history_config;		/* the history in use is config's */
	bool rl_ready;			/* readline is set up */
	bool prompt_shown;		/* a hidden line's prompt is out */
	char *line;			/* the running line, for the history */
	bool line_private;		/* keep it out of the history */
	enum con_key key;
	bool handler;			/* readline's line handler is installed */
	bool prepped;			/* the terminal is in readline's mode */
};

/* readline's callbacks carry no argument: the one console of the process. */
static struct console *con_cur;

static void con_rl_line(char *line);

static void
con_flush_rl(void)
{
	fflush(rl_outstream ? rl_outstream : stdout);
}

/*
 * readline calls these around every line; keep the terminal prepared
 * across lines (the pager reads single keys between them) and take
 * INTR/SUSP away from the tty so Ctrl-C and Ctrl-Z reach our bindings.
 */
static void
con_prep_term(int meta)
{
	struct termios t;

	if (con_cur == NULL || con_cur->prepped)
		return;
	rl_prep_terminal(meta);
	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_cc[VINTR] = _POSIX_VDISABLE;
		t.c_cc[VSUSP] = _POSIX_VDISABLE;
		tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
	}
	con_cur->prepped = true;
}

static void
con_deprep_term(void)
{
	/* restored once, by console_free() */
}

static void con_stdin_cb(int fd, void *arg);

static void
con_watch(struct console *c, bool on)
{
	if (on && c->in_io == NULL)
		ev_read(c->loop, STDIN_FILENO, con_stdin_cb, c, &c->in_io);
	else if (!on)
		ev_io_cancel(&c->in_io);
}

/* `terminal width`: readline wraps the echo of a long line there. */
static void
con_apply_width(struct console *c)
{
	int rows, cols;

	rl_reset_screen_size();
	if (c->term_width == CLI_TERM_WIDTH_OWN)
		return;
	rl_get_screen_size(&rows, &cols);
	rl_set_screen_size(rows, c->term_width ? (int)c->term_width
					       : CONSOLE_NO_WRAP);
}

static void
con_swap_history(struct console *c)
{
	HISTORY_STATE *cur = history_get_history_state();

	if (cur == NULL)
		return;
	if (c->other_history != NULL) {
		history_set_history_state(c->other_history);
		free(c->other_history);
	} else {
		HISTORY_STATE empty = { 0 };

		history_set_history_state(&empty);
		stifle_history(CONSOLE_HISTORY);
	}
	c->other_history = cur;
}

static void
con_drop_other_history(struct console *c)
{
	HISTORY_STATE *cur;

	if (c->other_history == NULL)
		return;
	cur = history_get_history_state();
	if (cur == NULL)
		return;
	history_set_history_state(c->other_history);
	clear_history();
	history_set_history_state(cur);
	free(c->other_history->entries);
	free(c->other_history);
	free(cur);
	c->other_history = NULL;
}

static void
con_set_status(struct console *c, const struct console_status *st)
{
	size_t n;

	free(c->prompt);
	c->prompt = strdup(st->prompt ? st->prompt : "");
	c->term_length = st->term_length;
	c->asking = st->asking;
	/* Hostnames cannot hold '(', so "HOST(mode)#" means config mode. */
	n = c->prompt ? strlen(c->prompt) : 0;
	c->config = !c->asking && n >= 2 && strcmp(c->prompt + n - 2, ")#") == 0;
	c->noecho = st->asking && st->noecho;
	if (!c->asking && c->config != c->history_config && c->rl_ready) {
		con_swap_history(c);
		c->history_config = c->config;
	}
	if (st->term_width != c->term_width) {
		c->term_width = st->term_width;
		if (c->rl_ready)
			con_apply_width(c);
	}
}

/* A password line: the prompt, never what is typed. */
static void
con_redisplay_hidden(void)
{
	if (con_cur != NULL && !con_cur->prompt_shown) {
		fputs(rl_display_prompt ? rl_display_prompt : "", rl_outstream);
		con_cur->prompt_shown = true;
	}
	con_flush_rl();
}

/* Hand the keyboard to readline with the current prompt. */
static void
con_install(struct console *c)
{
	c->state = CON_IDLE;
	c->handler = true;
	c->prompt_shown = false;
	rl_redisplay_function = c->noecho ? con_redisplay_hidden : rl_redisplay;
	rl_callback_handler_install(c->prompt ? c->prompt : "", con_rl_line);
	con_watch(c, true);
}

static void
con_finish(struct console *c)
{
	con_watch(c, false);
	if (c->handler) {
		rl_callback_handler_remove();
		c->handler = false;
	}
	c->state = CON_FINISHED;
	ev_break(c->loop);
}

static void
con_flush_held(struct console *c)
{
	size_t len;
	const char *d = term_mem_data(c->held, &len);

	if (len > 0) {
		term_write(c->tty, d, len);
		term_mem_reset(c->held);
	}
}

/* Run a line in the backend; private lines never reach the history. */
static void
con_run(struct console *c, const char *line, bool private)
{
	free(c->line);
	c->line = strdup(line);
	c->line_private = private || c->asking;
	c->state = CON_LINE;
	term_mem_reset(c->collect);
	c->be->line(c->arg, line);
}

/* The end of a line that Ctrl-Z, Ctrl-C or Ctrl-D cut short. */
static void
con_key_line(struct console *c, enum con_key key, bool eof)
{
	if (c->config)
		con_run(c, "end", true);
	else if (eof && c->asking)
		con_run(c, "", true);
	else if (eof && key == CON_KEY_NONE)
		con_finish(c);
	else
		con_install(c);
}

static void
con_rl_line(char *line)
{
	struct console *c = con_cur;
	enum con_key key = c->key;

	c->key = CON_KEY_NONE;
	rl_callback_handler_remove();
	c->handler = false;
	con_watch(c, false);
	if (key != CON_KEY_NONE || line == NULL) {
		if (line == NULL) {
			con_flush_rl();
			term_puts(c->tty, "\n");
		}
		free(line);
		con_key_line(c, key, line == NULL);
		return;
	}
	con_run(c, line, false);
	free(line);
}

/* `?`: help for the text before the cursor (inserted as text when
 * answering a question). */
static int
con_rl_help(int count, int key)
{
	struct console *c = con_cur;
	char *text;

	if (c->asking)
		return rl_insert(count, key);
	text = strndup(rl_line_buffer, (size_t)rl_point);
	if (text == NULL)
		return 0;
	c->state = CON_HELP;
	con_watch(c, false);
	c->be->help(c->arg, text);
	free(text);
	return 0;
}

static int
con_rl_tab(int count, int key)
{
	struct console *c = con_cur;
	char *text;

	if (c->asking) {
		rl_ding();
		return 0;
	}
	text = strndup(rl_line_buffer, (size_t)rl_point);
	if (text == NULL)
		return 0;
	c->state = CON_COMPLETE;
	con_watch(c, false);
	c->be->complete(c->arg, text);
	free(text);
	return 0;
}

/* Ctrl-Z / Ctrl-C: echo the key and end the line; con_rl_line acts. */
static int
con_rl_ctrl(int count, int key)
{
	struct console *c = con_cur;

	c->key = key == CTRL('Z') ? CON_KEY_CTRL_Z : CON_KEY_CTRL_C;
	rl_point = rl_end;
	rl_redisplay();
	fputs(key == CTRL('Z') ? "^Z\n" : "^C\n", rl_outstream);
	con_flush_rl();
	rl_done = 1;
	return 0;
}

/* No filename (or any other) completion behind readline's back. */
static char *
con_rl_no_completion(const char *text, int state)
{
	return NULL;
}

static void
con_page_key(struct console *c)
{
	unsigned char ch;
	ssize_t r = read(STDIN_FILENO, &ch, 1);

	/* End of input stops the pager like `q`. */
	if (pager_key(c->pager, r == 1 ? ch : 'q') == PAGER_WAITING)
		return;
	con_flush_held(c);
	con_install(c);
}

static void
con_stdin_cb(int fd, void *arg)
{
	struct console *c = arg;

	if (c->state == CON_PAGING)
		con_page_key(c);
	else if (c->state == CON_IDLE)
		rl_callback_read_char();
}

static void
con_winch(int signo, void *arg)
{
	if (con_cur != NULL && con_cur->state == CON_IDLE)
		rl_resize_terminal();
	else
		rl_reset_screen_size();
	if (con_cur != NULL)
		con_apply_width(con_cur);
}

struct console *
console_new(struct evloop *loop, const struct console_backend *be, void *arg)
{
	struct console *c;

	if (con_cur != NULL)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->loop = loop;
	c->be = be;
	c->arg = arg;
	c->tty = term_new_fd(STDOUT_FILENO);
	c->collect = term_new_mem();
	c->held = term_new_mem();
	c->pager = pager_new(c->tty);
	if (!c->tty || !c->collect || !c->held || !c->pager) {
		console_free(c);
		return NULL;
	}
	con_cur = c;
	return c;
}

void
console_free(struct console *c)
{
	if (c == NULL)
		return;
	if (con_cur == c) {
		con_watch(c, false);
		if (c->handler) {
			/* Leave the half-typed line behind on its own line. */
			rl_callback_handler_remove();
			con_flush_rl();
			term_puts(c->tty, "\n");
		}
		if (c->prepped)
			rl_deprep_terminal();
		rl_prep_term_function = rl_prep_terminal;
		rl_deprep_term_function = rl_deprep_terminal;
		rl_redisplay_function = rl_redisplay;
		con_cur = NULL;
	}
	pager_free(c->pager);
	term_free(c->held);
	term_free(c->collect);
	term_free(c->tty);
	free(c->prompt);
	free(c->line);
	con_drop_other_history(c);
	free(c);
}

static void
con_readline_setup(struct console *c)
{
	rl_readline_name = "getvpn";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_prep_term_function = con_prep_term;
	rl_deprep_term_function = con_deprep_term;
	rl_initialize();
	/* A pasted config must run line by line, as on IOS. */
	rl_variable_bind("enable-bracketed-paste", "off");
	/* After rl_initialize(): an inputrc must not take these keys back. */
	rl_completion_entry_function = con_rl_no_completion;
	rl_bind_key('?', con_rl_help);
	rl_bind_key('\t', con_rl_tab);
	rl_bind_key(CTRL('Z'), con_rl_ctrl);
	rl_bind_key(CTRL('C'), con_rl_ctrl);
	using_history();
	stifle_history(CONSOLE_HISTORY);
	ev_signal(c->loop, SIGWINCH, con_winch, NULL);
	c->rl_ready = true;
}

int
console_start(struct console *c, const struct console_status *st)
{
	con_readline_setup(c);
	c->term_width = CLI_TERM_WIDTH_OWN;
	con_set_status(c, st);
	con_apply_width(c);
	con_install(c);
	return 0;
}

bool
console_finished(const struct console *c)
{
	return c->state == CON_FINISHED;
}

void
console_output(struct console *c, const char *text, size_t len)
{
	if (c->state == CON_LINE) {
		term_write(c->collect, text, len);
	} else {
		con_flush_rl();
		term_write(c->tty, text, len);
	}
}

void
console_done(struct console *c, const struct console_status *st)
{
	const char *out;
	size_t len;

	if (c->state != CON_LINE)
		return;
	if (!c->line_private && !st->secret && c->line && c->line[0])
		add_history(c->line);
	con_set_status(c, st);
	out = term_mem_data(c->collect, &len);
	con_flush_rl();
	if (st->closed) {
		term_write(c->tty, out, len);
		con_finish(c);
		return;
	}
	if (pager_start(c->pager, out, len, c->term_length) == PAGER_WAITING) {
		c->state = CON_PAGING;
		con_watch(c, true);
		return;
	}
	con_flush_held(c);
	con_install(c);
}

void
console_help_text(struct console *c, const char *text, size_t len)
{
	if (c->state != CON_HELP)
		return;
	/* IOS echoes the `?`, prints the list, then redraws the line. */
	con_flush_rl();
	term_puts(c->tty, "?\n");
	term_write(c->tty, text, len);
	rl_on_new_line();
	rl_redisplay();
	c->state = CON_IDLE;
	con_watch(c, true);
}

void
console_completion(struct console *c, const char *line)
{
	if (c->state != CON_COMPLETE)
		return;
	if (line == NULL) {
		rl_ding();
	} else {
		rl_begin_undo_group();
		rl_delete_text(0, rl_point);
		rl_point = 0;
		rl_insert_text(line);
		rl_end_undo_group();
	}
	rl_redisplay();
	c->state = CON_IDLE;
	con_watch(c, true);
}

void
console_log(struct console *c, const char *line)
{
	size_t len;

	switch (c->state) {
	case CON_PAGING:
		/* Keep the page intact; the lines follow it (bounded). */
		term_mem_data(c->held, &len);
		if (len + strlen(line) < CONSOLE_HELD_MAX)
			term_printf(c->held, "%s\n", line);
		break;
	case CON_IDLE:
	case CON_HELP:
	case CON_COMPLETE:
		/* Print above the input line, then redraw what was typed. */
		rl_clear_visible_line();
		con_flush_rl();
		term_printf(c->tty, "%s\n", line);
		rl_forced_update_display();
		break;
	default:
		con_flush_rl();
		term_printf(c->tty, "%s\n", line);
		break;
	}
}

/*
 * The local backend: one cli_session in this process.
 */
struct console_local {
	struct cli_env *env;
	struct cli_session *sess;
	struct console *con;
	struct term *mem;
	bool sink;
};

static void
local_status(struct console_local *cl, struct console_status *st, bool secret)
{
	st->prompt = cli_session_prompt(cl->sess);
	st->term_length = cli_session_term_length(cl->sess);
	st->term_width = cli_session_term_width(cl->sess);
	st->noecho = cli_session_hidden(cl->sess);
	st->asking = cli_session_asking(cl->sess);
	st->closed = cli_session_closed(cl->sess);
	st->secret = secret;
}

/* More typed-ahead input already waiting: the line is part of a paste. */
static bool
stdin_pending(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void
local_line(void *arg, const char *line)
{
	struct console_local *cl = arg;
	struct console_status st;
	bool secret = cli_session_is_secret(cl->sess, line);
	const char *out;
	size_t len;

	term_mem_reset(cl->mem);
	cli_session_set_batch(cl->sess, stdin_pending());
	cli_session_line(cl->sess, line, cl->mem);
	out = term_mem_data(cl->mem, &len);
	console_output(cl->con, out, len);
	local_status(cl, &st, secret);
	console_done(cl->con, &st);
	if (cl->env->stop)
		ev_break(cl->env->loop);
}

static void
local_help(void *arg, const char *line)
{
	struct console_local *cl = arg;
	const char *out;
	size_t len;

	term_mem_reset(cl->mem);
	cli_session_help(cl->sess, line, cl->mem);
	out = term_mem_data(cl->mem, &len);
	console_help_text(cl->con, out, len);
}

static void
local_complete(void *arg, const char *line)
{
	struct console_local *cl = arg;
	char *done = cli_session_complete(cl->sess, line);

	console_completion(cl->con, done);
	free(done);
}

static const struct console_backend local_backend = {
	.line = local_line,
	.help = local_help,
	.complete = local_complete,
};

static void
local_log_sink(void *arg, int sev, const char *line)
{
	struct console_local *cl = arg;

	if (!cl->env->conf->log_console_off)
		console_log(cl->con, line);
}

struct console_local *
console_local_new(struct cli_env *env)
{
	struct console_local *cl = calloc(1, sizeof(*cl));

	if (cl == NULL)
		return NULL;
	cl->env = env;
	cl->sess = cli_session_new(env, "console", CLI_SESS_TERMINAL);
	cl->mem = term_new_mem();
	cl->con = console_new(env->loop, &local_backend, cl);
	if (!cl->sess || !cl->mem || !cl->con) {
		console_local_free(cl);
		return NULL;
	}
	/* Severity 7: the console shows debugging output, as on IOS. */
	cl->sink = log_sink_add(local_log_sink, cl, 7) == 0;
	return cl;
}

void
console_local_free(struct console_local *cl)
{
	if (cl == NULL)
		return;
	if (cl->sink)
		log_sink_remove(local_log_sink, cl);
	console_free(cl->con);
	term_free(cl->mem);
	cli_session_free(cl->sess);
	free(cl);
}

int
console_local_start(struct console_local *cl)
{
	struct console_status st;
	const char *out;
	size_t len;

	term_mem_reset(cl->mem);
	cli_banner_greet(cl->env->conf, cl->mem);
	out = term_mem_data(cl->mem, &len);
	console_output(cl->con, out, len);
	local_status(cl, &st, false);
	return console_start(cl->con, &st);
}

bool
console_local_finished(const struct console_local *cl)
{
	return console_finished(cl->con);
}

/*
 * Script mode.
 */
static void
script_log_sink(void *arg, int sev, const char *line)
{
	fprintf(arg, "%s\n", line);
}

/* One line; a refused one is echoed after its prompt so that the caret
 * of the error lines up with it. */
static int
script_one(struct cli_session *s, const char *line, size_t len,
	   struct term *mem, FILE *out)
{
	char *prompt = strdup(cli_session_prompt(s));
	bool secret = cli_session_hidden(s) || cli_session_is_secret(s, line);
	const char *text;
	size_t n;
	int rc;

	term_mem_reset(mem);
	rc = cli_session_line_len(s, line, len, mem);
	/* a refused line is shown, but never a secret */
	if (rc < 0 && !secret)
		fprintf(out, "%s%s\n", prompt ? prompt : "", line);
	text = term_mem_data(mem, &n);
	fwrite(text, 1, n, out);
	fflush(out);
	free(prompt);
	return rc;
}

static int
script_run(struct cli_env *env, struct linesrc *src, FILE *out, FILE *logs)
{
	struct cli_session *s = cli_session_new(env, "console",
						CLI_SESS_ENABLED);
	struct term *mem = term_new_mem();
	bool sink = log_sink_add(script_log_sink, logs, 7) == 0;
	const char *line;
	int rc = 0;

	if (s == NULL || mem == NULL) {
		rc = 1;
		goto out;
	}
	while ((line = linesrc_next(src)) != NULL) {
		if (script_one(s, line, src->len, mem, out) < 0)
			rc = 1;
		if (cli_session_closed(s) || env->stop)
			break;
	}
out:
	if (sink)
		log_sink_remove(script_log_sink, logs);
	linesrc_fini(src);
	term_free(mem);
	cli_session_free(s);
	return rc;
}

int
console_script(struct cli_env *env, FILE *in, FILE *out, FILE *logs)
{
	struct linesrc src = { .in = in };

	return script_run(env, &src, out, logs);
}

int
console_script_lines(struct cli_env *env, char *const *lines, int n,
		     FILE *out, FILE *logs)
{
	struct linesrc src = { .lines = lines, .n = n };

	return script_run(env, &src, out, logs);
}
