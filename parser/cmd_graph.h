/*
 * cmd_graph: the compiled form of command specs, shared by the spec
 * compiler (cmd_spec.c) and the matcher (cmd.c).  Internal to parser/.
 *
 * Each command's spec becomes a small DAG of token nodes: optional parts
 * and alternatives are expressed by edges, so no epsilon nodes exist.  A
 * mode's graph is the list of every command's first tokens; commands are
 * not merged, the matcher runs them side by side (a set of states), and
 * keywords with equal text count as one candidate for abbreviation.
 */
#ifndef PARSER_CMD_GRAPH_H
#define PARSER_CMD_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/cmd.h"

enum cmd_tok_type {
	CMD_TOK_KEYWORD,
	CMD_TOK_RANGE,		/* <lo-hi> */
	CMD_TOK_IP4,		/* A.B.C.D */
	CMD_TOK_MASK,		/* M.M.M.M: a contiguous netmask */
	CMD_TOK_WORD,
	CMD_TOK_LINE,
};

struct cmd_tok {
	enum cmd_tok_type type;
	char *text;		/* keyword, or the display form ("WORD") */
	char *bind;		/* binding name (NULL: text) */
	uint64_t lo, hi;	/* ranges */
	const char *help;	/* into the def's help string, not terminated */
	size_t help_len;
	const struct cmd_def *def;
	unsigned def_index;	/* order of the def across all tables */
	bool end;		/* the command may end after this token */
	struct cmd_tok **next;
	size_t nnext, capnext;
};

struct cmd_tok_list {
	struct cmd_tok **v;
	size_t n, cap;
};

int cmd_tok_list_add(struct cmd_tok_list *l, struct cmd_tok *t);

/* A mode's graph: first tokens of every command usable there. */
struct cmd_mode_graph {
	struct cmd_tok_list roots;	/* plain commands */
	struct cmd_tok_list neg_roots;	/* commands after `no`/`default` */
	struct cmd_tok *no_tok, *default_tok; /* config modes only */
};

struct cmd_engine {
	struct cmd_mode_graph modes[MODE_COUNT];
	struct cmd_tok_list all;	/* every node, for freeing */
	const struct cmd_def **defs;	/* every def, in table order */
	size_t ndefs;
	/* matcher scratch, reused line after line */
	char *linebuf;
	size_t linecap;
	struct cmd_args *args;
	void *scratch;
};

/* Compile one def into e (cmd_spec.c); -1 with err set on a bad spec. */
int cmd_spec_compile(struct cmd_engine *e, const struct cmd_def *d,
		     unsigned index, char *err, size_t errlen);
/* Parse "<lo-hi>"; 0 on success. */
int cmd_spec_parse_range(const char *s, uint64_t *lo, uint64_t *hi);

#endif
