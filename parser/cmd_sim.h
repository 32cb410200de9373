/*
 * cmd_sim: the command matcher's run over one line, shared by the
 * matcher (parser/cmd.c), `?` help and TAB completion
 * (parser/cmd_help.c) and the argument accessors (parser/cmd_args.c).
 * Internal to parser/.
 */
#ifndef PARSER_CMD_SIM_H
#define PARSER_CMD_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/cmd_graph.h"

enum grade {
	GRADE_NONE,
	GRADE_WORD,		/* WORD, LINE */
	GRADE_TYPED,		/* range, address, mask */
	GRADE_PARTIAL,		/* keyword prefix */
	GRADE_EXACT,		/* keyword */
};

struct binding {
	const char *name;
	const char *value;
	size_t pos;
	int prev;		/* index of the previous binding, -1 at the start */
	bool bound;		/* named by $name (wins over a keyword's own text) */
};

struct cmd_args {
	struct binding *v;
	size_t n, cap;
};

struct state {
	struct cmd_tok *tok;
	int bind;		/* last binding on this path */
};

struct state_set {
	struct state *v;
	size_t n, cap;
};

struct token {
	const char *s;		/* NUL-terminated copy */
	size_t pos;		/* offset in the line */
};

/* One run of the matcher over a line. */
struct sim {
	struct cmd_engine *e;
	enum cmd_mode mode;
	const char *line;
	char *rest;			/* copy of the line for LINE values */
	size_t restlen;			/* its size: wiped before it is freed */
	struct token *toks;
	size_t ntoks, captoks;
	struct binding *pool;
	size_t npool, cappool;
	struct state_set cand;		/* nodes that may match the next token */
	struct state_set matched;	/* nodes that matched the last token */
	struct state_set lines;		/* paths finished by a LINE token */
	bool negate, dflt;
	enum cmd_result result;
	size_t err_pos;
};

/* Split line into tokens (with their offsets); 0 or -1 (memory). */
int cmd_sim_tokenize(struct sim *sm, const char *line);
/* Run the first upto tokens through the mode's graph; 0 or -1. */
int cmd_sim_run(struct sim *sm, size_t upto);
void cmd_sim_free(struct sim *sm);
/* Whether t is left out of `?` and TAB. */
bool cmd_tok_hidden(const struct cmd_tok *t);
/* How well the word s fits the node t. */
enum grade cmd_grade(const struct cmd_tok *t, const char *s);
/* A negated line that stopped early: the one command it names, or NULL. */
const struct state *cmd_sim_negated_prefix(const struct sim *sm);
/* The command the finished run selects (lowest table order wins). */
const struct state *cmd_sim_accepting(const struct sim *sm);
/* Among partial keyword matches the one text, or NULL (ambiguous). */
const char *cmd_choose_partial(const struct sim *sm, const char *s,
			       bool first_token);
/* Dotted-quad IPv4 address to network order. */
bool cmd_parse_ip4(const char *s, uint32_t *out);

#endif
