/*
 * session: one CLI session (the console, a vty connection, a file replay).
 *
 * It owns the mode stack and runs lines through the command engine with
 * IOS behaviour: parent-mode fallback, `do`, `exit`/`end`/Ctrl-Z, output
 * modifiers (| include/exclude/begin/section/count), error texts with the
 * caret under the prompt, confirmation dialogs.  Front ends (console,
 * vty server, replay) only move lines and bytes.
 */
#ifndef CLI_SESSION_H
#define CLI_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/mode.h"

struct cli_env;
struct cli_session;
struct term;

enum cli_session_flags {
	CLI_SESS_ENABLED = 1 << 0,	/* start in privileged EXEC (Router#) */
	CLI_SESS_CONFIG = 1 << 1,	/* start in global config (file replay) */
	CLI_SESS_REPLAY = 1 << 2,	/* lines come from a file: no echo, no pager */
	CLI_SESS_VTY = 1 << 3,		/* a vty client (enable needs a secret) */
	CLI_SESS_TERMINAL = 1 << 4,	/* a user at a terminal: a secret left
					 * off a line is asked for */
};

struct cli_session *cli_session_new(struct cli_env *env, const char *name,
				    unsigned flags);
void cli_session_free(struct cli_session *s);
/* The vty client said a user is at a terminal (CLI_SESS_TERMINAL). */
void cli_session_set_terminal(struct cli_session *s);

/*
 * Run one line; its output (including error texts) goes to out.  Returns
 * 0 when the line was accepted, -1 when it was refused (any "% ..." error).
 */
int cli_session_line(struct cli_session *s, const char *line, struct term *out);
/* The same for a line of len bytes that may hold a NUL (refused). */
int cli_session_line_len(struct cli_session *s, const char *line, size_t len,
			 struct term *out);
/* A pasted block: while more is true, accepted config lines are not
 * committed to the engines one by one; the first line run with more
 * false (or cli_env_commit) commits them all.  A replay session always
 * batches; its caller commits at the end. */
void cli_session_set_batch(struct cli_session *s, bool more);

/* `?` typed after line (the text before the `?`). */
void cli_session_help(struct cli_session *s, const char *line, struct term *out);
/* TAB: completed line (malloc'd), or NULL (ring the bell). */
char *cli_session_complete(struct cli_session *s, const char *line);

/* The prompt to show now: "KS1(config-gkm-group)#", or a pending
 * question such as "Are you sure you want to proceed ? [yes/no]: ". */
const char *cli_session_prompt(struct cli_session *s);
/* The pending question, if the next line answers one (no history). */
bool cli_session_asking(const struct cli_session *s);
/* The pending question's answer must not be echoed (Password:). */
bool cli_session_hidden(const struct cli_session *s);
/* True after `exit`/`logout` in EXEC: the front end closes the session. */
bool cli_session_closed(const struct cli_session *s);
/* The line holds a secret (crypto isakmp key ...): keep it out of history. */
bool cli_session_is_secret(struct cli_session *s, const char *line);

/* terminal length/width/monitor as set in this session. */
unsigned cli_session_term_length(const struct cli_session *s);
/* `terminal width`: 0 = no wrap; until set, the terminal's own width. */
#define CLI_TERM_WIDTH_OWN 0xffffffffu
unsigned cli_session_term_width(const struct cli_session *s);
/* `show history`: the i-th of the last lines typed, oldest first (i from
 * 0; NULL where there is none). */
const char *cli_session_history(const struct cli_session *s, unsigned i);
bool cli_session_monitor(const struct cli_session *s);
const char *cli_session_name(const struct cli_session *s);
/* The process-wide environment (conf, engine, key store ...). */
struct cli_env *cli_session_env(const struct cli_session *s);

/*
 * Who runs the session (doc/cli.md "Users and privilege").  Privilege 15
 * is privileged EXEC (`#`), anything lower user EXEC (`>`).
 */
#define CLI_PRIV_USER 1
#define CLI_PRIV_ADMIN 15
/* Log in as user with privilege priv: the session starts over at EXEC. */
void cli_session_login(struct cli_session *s, const char *user, unsigned priv);
const char *cli_session_user(const struct cli_session *s);	/* "" if none */
unsigned cli_session_priv(const struct cli_session *s);
/* Seconds since the session's last line. */
unsigned long cli_session_idle(const struct cli_session *s);
/* A wait the front end owes before answering again (ms; wrong
 * passwords), cleared by the call. */
unsigned cli_session_take_delay(struct cli_session *s);
void cli_session_set_delay(struct cli_session *s, unsigned ms);
bool cli_session_is_vty(const struct cli_session *s);
/* Every live interactive session (show users); stops when fn returns
 * false. */
void cli_session_foreach(bool (*fn)(const struct cli_session *s, void *arg),
			 void *arg);


/*
 * For exec command handlers (cli/cmd_exec.c and friends).
 */
struct conf_obj;

/* The current mode. */
enum cmd_mode cli_session_mode(const struct cli_session *s);
/* Leave one level (`exit`); at EXEC closes the session. */
void cli_session_exit(struct cli_session *s);
/* Back to privileged EXEC from any config depth (`end`, Ctrl-Z). */
void cli_session_end(struct cli_session *s);
/* `enable` / `disable`. */
void cli_session_set_enabled(struct cli_session *s, bool on);
/* Push a mode (used by `configure terminal`). */
void cli_session_push(struct cli_session *s, enum cmd_mode m,
		      struct conf_obj *node);
/* Ask a question; the next line is handed to fn as the answer. */
void cli_session_ask(struct cli_session *s, const char *question,
		     int (*fn)(struct cli_session *s, const char *answer,
			       struct term *out, void *arg),
		     void *arg);
/* The same, with an answer that is not echoed (a password). */
void cli_session_ask_hidden(struct cli_session *s, const char *question,
			    int (*fn)(struct cli_session *s, const char *answer,
				      struct term *out, void *arg),
			    void *arg);
/* Like ask, with no prompt: the next line is text, not an answer (a
 * banner body).  A file replay hands such lines over as they are. */
void cli_session_collect(struct cli_session *s,
			 int (*fn)(struct cli_session *s, const char *line,
				   struct term *out, void *arg),
			 void *arg);
bool cli_session_collecting(const struct cli_session *s);
/* Run line as an EXEC command from a config mode (`do`); offset is where
 * line starts in the typed line (for the caret). */
int cli_session_do(struct cli_session *s, const char *line, size_t offset,
		   struct term *out);
void cli_session_set_term_length(struct cli_session *s, unsigned n);
void cli_session_set_term_width(struct cli_session *s, unsigned n);
void cli_session_set_monitor(struct cli_session *s, bool on);

#endif
