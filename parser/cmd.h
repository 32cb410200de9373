/*
 * cmd: the IOS command engine.
 *
 * A command is data: a mode, a spec string, help strings and a handler.
 * Specs are compiled at start-up into a per-mode token graph; a line is
 * matched against it with IOS rules: unique-prefix abbreviation of
 * keywords (case-insensitive), precedence exact keyword > keyword prefix >
 * typed token (range, address) > WORD/LINE, generic `no`/`default`.
 *
 * Spec grammar (whitespace separates tokens):
 *   keyword          lower-case literal, matched by unique prefix
 *   WORD             any one token           LINE   the rest of the line
 *   A.B.C.D          IPv4 address            M.M.M.M  contiguous netmask
 *   <lo-hi>          decimal range (IOS shows "<lo-hi>")
 *   [ ... ]          optional                { a | b }  one of
 *   tok$name         bind the token (or a {..}/[..] group: each of its first
 *                    tokens) under name; keywords bind their full text
 * Unbound tokens bind under their own text (keywords) or type (WORD ...).
 *
 * help: one "\n"-terminated help string per token, in spec order.  An
 * empty string borrows the help another command gives the same keyword.
 */
#ifndef PARSER_CMD_H
#define PARSER_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/mode.h"

struct conf;
struct conf_obj;
struct show_roles;
struct showout;
struct term;
struct cmd_args;
struct cmd_ctx;

enum cmd_result {
	CMD_OK = 0,
	CMD_ERR_NO_MATCH,	/* % Invalid input detected at '^' marker. */
	CMD_ERR_AMBIGUOUS,	/* % Ambiguous command:  "..." */
	CMD_ERR_INCOMPLETE,	/* % Incomplete command. */
	CMD_WARNING,		/* handler refused; it printed "% ..." itself */
};

enum cmd_flags {
	CMD_F_NO_NEGATE = 1 << 0,	/* no `no`/`default` form */
	CMD_F_NEGATE_ONLY = 1 << 1,	/* only as `no ...` */
	CMD_F_PREFERRED = 1 << 2,	/* first keyword wins prefix ties */
	CMD_F_HIDDEN = 1 << 3,		/* accepted, not listed by `?` */
	CMD_F_SECRET = 1 << 4,		/* line holds a secret: keep out of history */
	CMD_F_SHOW = 1 << 5,		/* fills ctx->show (platform/showout.h) */
	CMD_F_ROLES = 1 << 6,		/* reads ctx->roles (roles/show.h) */
};

typedef int (*cmd_handler)(struct cmd_ctx *ctx, const struct cmd_args *a);

struct cmd_def {
	enum cmd_mode mode;
	const char *spec;
	const char *help;
	cmd_handler handler;
	unsigned flags;
};

/*
 * What a handler sees.  The session (cli/) fills it for each line.
 */
struct cmd_ctx {
	struct conf *conf;
	struct term *out;		/* where the handler prints */
	bool negate;			/* line began with `no` */
	bool dflt;			/* line began with `default` */
	bool interactive;		/* typed by a user (not a file replay) */
	struct conf_obj *node[MODE_COUNT]; /* object of each mode on the stack */
	/* set by cmd_enter(): the sub-mode to push after the handler */
	enum cmd_mode enter_mode;
	struct conf_obj *enter_node;
	void *session;			/* the front end's session (cli/ only) */
	/*
	 * IOS confirmation dialogs for configuration commands: a front end
	 * that can ask sets confirm; a handler whose change needs a yes calls
	 * it with the question and returns CMD_OK without changing anything,
	 * and on "yes" the front end runs the same line again with confirmed
	 * set.  NULL (a replayed file): nobody to ask, the handler goes ahead.
	 */
	void (*confirm)(struct cmd_ctx *ctx, const char *question);
	bool confirmed;
	/*
	 * A secret left off the line (`key config-key password-encrypt`): a
	 * front end with a user at a terminal sets ask_secret; the handler
	 * calls it (what: "key") and returns CMD_OK without changing
	 * anything; the front end asks "New key: " and "Confirm key: "
	 * without echo and, when both answers agree, runs the line again
	 * with the answer after it.  NULL: nobody to ask (a replayed file, a
	 * script, `getvpn -c`).
	 */
	void (*ask_secret)(struct cmd_ctx *ctx, const char *what);
	/*
	 * CMD_F_SHOW commands: the structured output they fill, which the
	 * front end renders as IOS text or, for `| json`, as JSON; with
	 * CMD_F_ROLES (the shows roles/ declares) also what they read, the
	 * roles of the process (opaque here).
	 */
	const struct show_roles *roles;
	struct showout *show;
};

/* Handler helpers. */
void cmd_enter(struct cmd_ctx *ctx, enum cmd_mode m, struct conf_obj *node);
/* The object of mode m on the current stack (NULL if m is not on it). */
struct conf_obj *cmd_node(const struct cmd_ctx *ctx, enum cmd_mode m);
/* Print "% <text>" and return CMD_WARNING. */
int cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Named arguments. */
const char *cmd_arg(const struct cmd_args *a, const char *name);
bool cmd_has(const struct cmd_args *a, const char *name);
/* Number of values bound under name, and the i-th (spec order). */
unsigned cmd_arg_count(const struct cmd_args *a, const char *name);
const char *cmd_arg_nth(const struct cmd_args *a, const char *name, unsigned i);
/* Index of s in a NULL-terminated list of words, -1 if absent or NULL
 * (maps a bound keyword back to an enum). */
int cmd_word_index(const char *const *words, const char *s);
/* Byte offset of the value in the line (0 if absent). */
size_t cmd_arg_pos(const struct cmd_args *a, const char *name);
uint32_t cmd_arg_u32(const struct cmd_args *a, const char *name, uint32_t dflt);
/* IPv4 in network byte order; returns 0, or -1 if absent. */
int cmd_arg_ip4(const struct cmd_args *a, const char *name, uint32_t *out);

/*
 * The engine.
 */
struct cmd_engine;

/* Compile the tables; errors (bad spec, help count, duplicate) go to err. */
struct cmd_engine *cmd_engine_new(const struct cmd_def *const *tables,
				  char *err, size_t errlen);
void cmd_engine_free(struct cmd_engine *e);

struct cmd_match {
	enum cmd_result result;
	size_t err_pos;			/* byte offset for the caret */
	const struct cmd_def *def;	/* the command, when result == CMD_OK;
					 * NULL for a line of no words */
	bool negate, dflt;
	struct cmd_args *args;		/* valid until the next match */
};

/* Match line in mode m (no handler call). */
void cmd_match(struct cmd_engine *e, enum cmd_mode m, const char *line,
	       struct cmd_match *out);
/* Wipe and drop the engine's copy of the last matched line (a key may be
 * in it); its args are gone with it. */
void cmd_match_release(struct cmd_engine *e);

/* `?` on line (the text before the `?`); prints IOS help to t.
 * Returns CMD_OK, or CMD_ERR_NO_MATCH for "% Unrecognized command". */
int cmd_help(struct cmd_engine *e, enum cmd_mode m, const char *line,
	     struct term *t);

/* TAB: the completed line (malloc'd) when the last token is a unique
 * keyword prefix, else NULL. */
char *cmd_complete(struct cmd_engine *e, enum cmd_mode m, const char *line);

/* Iterate every command (man page generator, tests). */
void cmd_engine_foreach(const struct cmd_engine *e,
			void (*fn)(const struct cmd_def *d, void *arg), void *arg);

/* The help string of the i-th token of d ("" if none). */
const char *cmd_def_help(const struct cmd_def *d, unsigned i, size_t *len);

#endif
