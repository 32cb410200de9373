/*
 * console: the interactive terminal (doc/design.md §2, doc/ios-cli.md §4.2-§4.3,
 * §4.7-§4.8).  GNU readline runs through its callback API inside the
 * event loop; `?`, TAB, Ctrl-Z, Ctrl-C and Ctrl-D behave as on IOS;
 * output is paged with ` --More-- `; asynchronous log lines are printed
 * above the line being typed.
 *
 * The commands run in a backend: a cli_session in this process (the
 * local console, console_local_new) or a daemon behind the vty socket
 * (cli/vtyclient.c).  A backend may answer at once, from inside the
 * request, or later from the event loop: the console waits either way.
 * readline is one per process, so there is at most one console.
 */
#ifndef CLI_CONSOLE_H
#define CLI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli_env;
struct console;
struct evloop;

/* Where a session stands after a line (or at the start). */
struct console_status {
	const char *prompt;	/* "KS1(config)#" or a pending question */
	unsigned term_length;	/* the session's `terminal length` */
	unsigned term_width;	/* its `terminal width` (0 no wrap, or
				 * CLI_TERM_WIDTH_OWN: the terminal's) */
	bool noecho;		/* the next line is a password: no echo */
	bool asking;		/* the next line answers a question */
	bool closed;		/* the session ended: leave */
	bool secret;		/* the line just run stays out of history */
};

/* What the console asks of its backend. */
struct console_backend {
	/* Run line; answer with console_output()* then console_done(). */
	void (*line)(void *arg, const char *line);
	/* `?` after line; answer with console_help_text(). */
	void (*help)(void *arg, const char *line);
	/* TAB after line; answer with console_completion(). */
	void (*complete)(void *arg, const char *line);
};

struct console *console_new(struct evloop *loop,
			    const struct console_backend *be, void *arg);
/* Restores the terminal. */
void console_free(struct console *c);
/* Show the first prompt and start reading the keyboard. */
int console_start(struct console *c, const struct console_status *st);
/* True once the user left (exit, Ctrl-D at EXEC); the loop was broken. */
bool console_finished(const struct console *c);

/* Backend answers. */
void console_output(struct console *c, const char *text, size_t len);
void console_done(struct console *c, const struct console_status *st);
void console_help_text(struct console *c, const char *text, size_t len);
/* The completed line, or NULL to ring the bell. */
void console_completion(struct console *c, const char *line);
/* An asynchronous line (log message) to print without losing the input. */
void console_log(struct console *c, const char *line);

/*
 * The local console: a cli_session named "console" in this process,
 * starting in user EXEC (`Router>`).  It prints log lines unless the
 * running-config says `no logging console`.
 */
struct console_local;

struct console_local *console_local_new(struct cli_env *env);
void console_local_free(struct console_local *cl);
/* Show the prompt and read the keyboard; the caller then runs the loop. */
int console_local_start(struct console_local *cl);
bool console_local_finished(const struct console_local *cl);

/*
 * Script mode (stdin is not a terminal): run every line of in through
 * one session started in privileged EXEC, output on out, log lines on
 * logs, nothing echoed except the line of a refused command (so the
 * caret of the error points into it).  Returns 0 when every line was
 * accepted, 1 otherwise.
 */
int console_script(struct cli_env *env, FILE *in, FILE *out, FILE *logs);
/* The same with the lines given as an array (`getvpn -c CMD ...`). */
int console_script_lines(struct cli_env *env, char *const *lines, int n,
			 FILE *out, FILE *logs);

#endif
