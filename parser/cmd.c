/*
 * cmd: the IOS command matcher (IOS-CLI.md §4.1-§4.5).
 *
 * A line is split into tokens and run through the mode's graph as a set
 * of states (one per live path).  For each token every candidate node is
 * graded; only the best grade survives, in the order exact keyword >
 * unique keyword prefix > typed token (range, address, mask) > WORD/LINE.
 * Two different keywords sharing the typed prefix make the line
 * ambiguous unless one command is marked preferred (`sh` -> show).
 * A failure reports the byte offset where no keyword can continue, which
 * the session turns into IOS's caret.
 *
 * `no`/`default` are two extra root nodes of every config mode whose
 * successors are the negatable commands; a negated line may stop early
 * when the words typed so far identify exactly one command.
 */
#include "parser/cmd.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parser/cmd_graph.h"
#include "platform/term.h"

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

static const char no_help[] = "Negate a command or set its defaults\n";
static const char default_help[] = "Set a command to its defaults\n";

/*
 * Small containers.
 */
static int
set_add(struct state_set *s, struct cmd_tok *t, int bind)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct state *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].tok = t;
	s->v[s->n].bind = bind;
	s->n++;
	return 0;
}

static int
bind_add(struct sim *sm, const struct cmd_tok *t, const char *value,
	 size_t pos, int prev)
{
	if (sm->npool == sm->cappool) {
		size_t cap = sm->cappool ? sm->cappool * 2 : 32;
		struct binding *v = realloc(sm->pool, cap * sizeof(*v));

		if (v == NULL)
			return -2;
		sm->pool = v;
		sm->cappool = cap;
	}
	sm->pool[sm->npool] = (struct binding){
		t->bind ? t->bind : t->text, value, pos, prev, t->bind != NULL
	};
	return (int)sm->npool++;
}

static void
sim_free(struct sim *sm)
{
	free(sm->rest);
	free(sm->toks);
	free(sm->pool);
	free(sm->cand.v);
	free(sm->matched.v);
	free(sm->lines.v);
}

/* Split line into tokens (copies in buf, separated by NULs). */
static int
sim_tokenize(struct sim *sm, const char *line)
{
	size_t len = strlen(line);
	char *buf;

	sm->line = line;
	sm->rest = malloc(2 * len + 2);
	if (sm->rest == NULL)
		return -1;
	memcpy(sm->rest, line, len + 1);
	while (len > 0 && isspace((unsigned char)sm->rest[len - 1]))
		sm->rest[--len] = '\0';
	buf = sm->rest + len + 1;
	memcpy(buf, sm->rest, len + 1);
	for (size_t i = 0; i < len;) {
		if (isspace((unsigned char)buf[i])) {
			buf[i++] = '\0';
			continue;
		}
		if (sm->ntoks == sm->captoks) {
			size_t cap = sm->captoks ? sm->captoks * 2 : 16;
			struct token *v = realloc(sm->toks, cap * sizeof(*v));

			if (v == NULL)
				return -1;
			sm->toks = v;
			sm->captoks = cap;
		}
		sm->toks[sm->ntoks].s = buf + i;
		sm->toks[sm->ntoks].pos = i;
		sm->ntoks++;
		while (i < len && !isspace((unsigned char)buf[i]))
			i++;
	}
	return 0;
}

/*
 * Grading one node against one typed token.
 */
static bool
parse_ip4(const char *s, uint32_t *out)
{
	struct in_addr a;
	unsigned dots = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return false;
	}
	if (dots != 3 || inet_pton(AF_INET, s, &a) != 1)
		return false;
	if (out != NULL)
		*out = a.s_addr;
	return true;
}

static bool
is_netmask(const char *s)
{
	uint32_t a, inv;

	if (!parse_ip4(s, &a))
		return false;
	inv = ~ntohl(a);
	return (inv & (inv + 1)) == 0;	/* ones then zeros */
}

static bool
in_range(const struct cmd_tok *t, const char *s)
{
	uint64_t v = 0;

	if (*s == '\0' || strlen(s) > 20)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	return v >= t->lo && v <= t->hi;
}

static enum grade
grade(const struct cmd_tok *t, const char *s)
{
	size_t n;

	switch (t->type) {
	case CMD_TOK_KEYWORD:
		n = strlen(s);
		if (strcasecmp(t->text, s) == 0)
			return GRADE_EXACT;
		if (n < strlen(t->text) && strncasecmp(t->text, s, n) == 0)
			return GRADE_PARTIAL;
		return GRADE_NONE;
	case CMD_TOK_RANGE:
		return in_range(t, s) ? GRADE_TYPED : GRADE_NONE;
	case CMD_TOK_IP4:
		return parse_ip4(s, NULL) ? GRADE_TYPED : GRADE_NONE;
	case CMD_TOK_MASK:
		return is_netmask(s) ? GRADE_TYPED : GRADE_NONE;
	case CMD_TOK_WORD:
	case CMD_TOK_LINE:
		return GRADE_WORD;
	}
	return GRADE_NONE;
}

/* How many leading characters of s some keyword candidate accepts. */
static size_t
keyword_reach(const struct state_set *cand, const char *s)
{
	size_t best = 0;

	for (size_t i = 0; i < cand->n; i++) {
		const struct cmd_tok *t = cand->v[i].tok;
		size_t k = 0;

		if (t->type != CMD_TOK_KEYWORD)
			continue;
		while (s[k] && t->text[k] &&
		       tolower((unsigned char)s[k]) == t->text[k])
			k++;
		if (k > best)
			best = k;
	}
	return best;
}

static bool
is_preferred(const struct cmd_tok *t)
{
	return t->def != NULL && (t->def->flags & CMD_F_PREFERRED);
}

/*
 * Among partial keyword matches choose the one text, or fail ambiguous.
 * Returns the chosen keyword text or NULL.
 */
static const char *
choose_partial(const struct sim *sm, const char *s, bool first_token)
{
	const char *chosen = NULL, *preferred = NULL;
	bool ambiguous = false;

	for (size_t i = 0; i < sm->cand.n; i++) {
		const struct cmd_tok *t = sm->cand.v[i].tok;

		if (t->type != CMD_TOK_KEYWORD || grade(t, s) != GRADE_PARTIAL)
			continue;
		if (first_token && is_preferred(t))
			preferred = t->text;
		if (chosen == NULL)
			chosen = t->text;
		else if (strcmp(chosen, t->text) != 0)
			ambiguous = true;
	}
	if (!ambiguous)
		return chosen;
	return preferred;
}

static int
sim_start(struct sim *sm)
{
	const struct cmd_mode_graph *g = &sm->e->modes[sm->mode];

	sm->cand.n = 0;
	for (size_t i = 0; i < g->roots.n; i++)
		if (set_add(&sm->cand, g->roots.v[i], -1) < 0)
			return -1;
	return 0;
}

static bool
tok_hidden(const struct cmd_tok *t)
{
	return t->def != NULL && (t->def->flags & CMD_F_HIDDEN);
}

/* Keep the states whose node matched token k with the winning grade. */
static int
sim_keep(struct sim *sm, size_t k, enum grade best, const char *kw)
{
	const struct token *tk = &sm->toks[k];

	sm->matched.n = 0;
	for (size_t i = 0; i < sm->cand.n; i++) {
		struct cmd_tok *t = sm->cand.v[i].tok;
		const char *value = tk->s;
		int b;

		if (grade(t, tk->s) != best)
			continue;
		if (best == GRADE_PARTIAL && strcmp(t->text, kw) != 0)
			continue;
		if (t == sm->e->modes[sm->mode].no_tok)
			sm->negate = true;
		if (t == sm->e->modes[sm->mode].default_tok)
			sm->negate = sm->dflt = true;
		if (t->type == CMD_TOK_KEYWORD)
			value = t->text;
		else if (t->type == CMD_TOK_LINE)
			value = sm->rest + tk->pos;
		b = bind_add(sm, t, value, tk->pos, sm->cand.v[i].bind);
		if (b < -1)
			return -1;
		if (set_add(t->type == CMD_TOK_LINE ? &sm->lines : &sm->matched,
			    t, b) < 0)
			return -1;
	}
	return 0;
}

/* Successors of the matched states become the next candidates. */
static int
sim_advance(struct sim *sm)
{
	sm->cand.n = 0;
	for (size_t i = 0; i < sm->matched.n; i++) {
		const struct cmd_tok *t = sm->matched.v[i].tok;

		for (size_t j = 0; j < t->nnext; j++) {
			if (sm->negate && t->next[j]->def != NULL &&
			    (t->next[j]->def->flags & CMD_F_NO_NEGATE))
				continue;
			if (set_add(&sm->cand, t->next[j], sm->matched.v[i].bind) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * Consume tokens [0, upto).  Leaves result CMD_OK with matched/cand set,
 * or an error with err_pos.  A LINE token ends tokenizing for its path.
 */
static int
sim_run(struct sim *sm, size_t upto)
{
	sm->result = CMD_OK;
	if (sim_start(sm) < 0)
		return -1;
	for (size_t k = 0; k < upto; k++) {
		const char *s = sm->toks[k].s;
		enum grade best = GRADE_NONE;
		const char *kw = NULL;

		for (size_t i = 0; i < sm->cand.n; i++) {
			enum grade g = grade(sm->cand.v[i].tok, s);

			if (g > best)
				best = g;
		}
		if (best == GRADE_NONE) {
			if (sm->lines.n > 0) {
				sm->matched.n = 0;
				sm->cand.n = 0;
				return 0;
			}
			sm->result = CMD_ERR_NO_MATCH;
			sm->err_pos = sm->toks[k].pos + keyword_reach(&sm->cand, s);
			return 0;
		}
		if (best == GRADE_PARTIAL) {
			kw = choose_partial(sm, s, k == 0);
			if (kw == NULL) {
				sm->result = CMD_ERR_AMBIGUOUS;
				sm->err_pos = sm->toks[k].pos;
				return 0;
			}
		}
		if (sim_keep(sm, k, best, kw) < 0 || sim_advance(sm) < 0)
			return -1;
	}
	return 0;
}

/* The command the finished run selects (lowest table order wins). */
static const struct state *
sim_accepting(const struct sim *sm)
{
	const struct state *win = NULL;
	const struct state_set *sets[2] = { &sm->matched, &sm->lines };

	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sets[s]->n; i++) {
			const struct state *st = &sets[s]->v[i];

			if (!st->tok->end || st->tok->def == NULL)
				continue;
			if (win == NULL || st->tok->def_index < win->tok->def_index)
				win = st;
		}
	}
	return win;
}

/* A negated line that stopped early: the one command it names, if any. */
static const struct state *
sim_negated_prefix(const struct sim *sm)
{
	const struct state *win = NULL;

	if (!sm->negate)
		return NULL;
	for (size_t i = 0; i < sm->matched.n; i++) {
		const struct state *st = &sm->matched.v[i];

		if (st->tok->def == NULL)
			return NULL;	/* only `no` itself */
		/* specs sharing a handler are spellings of one command */
		if (win != NULL && win->tok->def->handler != st->tok->def->handler)
			return NULL;
		win = st;
	}
	return win;
}

/*
 * Public: matching.
 */
static int
args_fill(struct cmd_args *a, const struct sim *sm, int last)
{
	size_t n = 0;

	for (int b = last; b >= 0; b = sm->pool[b].prev)
		n++;
	if (n > a->cap) {
		struct binding *v = realloc(a->v, n * sizeof(*v));

		if (v == NULL)
			return -1;
		a->v = v;
		a->cap = n;
	}
	a->n = n;
	for (int b = last; b >= 0; b = sm->pool[b].prev)
		a->v[--n] = sm->pool[b];
	return 0;
}

/* The args keep pointers into the line copy: it lives in the engine. */
static void
engine_keep_line(struct cmd_engine *e, struct sim *sm)
{
	free(e->linebuf);
	e->linebuf = sm->rest;
	sm->rest = NULL;
}

void
cmd_match(struct cmd_engine *e, enum cmd_mode m, const char *line,
	  struct cmd_match *out)
{
	struct sim sm = { .e = e, .mode = m };
	const struct state *win;

	memset(out, 0, sizeof(*out));
	out->args = e->args;
	e->args->n = 0;
	if (sim_tokenize(&sm, line) < 0 || sim_run(&sm, sm.ntoks) < 0) {
		out->result = CMD_ERR_NO_MATCH;
		goto out;
	}
	out->negate = sm.negate;
	out->dflt = sm.dflt;
	out->result = sm.result;
	out->err_pos = sm.err_pos;
	if (sm.result != CMD_OK || sm.ntoks == 0)
		goto out;
	win = sim_accepting(&sm);
	if (win == NULL)
		win = sim_negated_prefix(&sm);
	if (win == NULL) {
		out->result = CMD_ERR_INCOMPLETE;
		goto out;
	}
	if (args_fill(e->args, &sm, win->bind) < 0) {
		out->result = CMD_ERR_NO_MATCH;
		goto out;
	}
	out->def = win->tok->def;
	engine_keep_line(e, &sm);
out:
	sim_free(&sm);
}

/*
 * Public: `?` help (IOS-CLI.md §4.2).
 */
struct help_item {
	const struct cmd_tok *tok;
	const char *name;
	const char *help;
	size_t help_len;
};

struct help_list {
	struct help_item *v;
	size_t n, cap;
};

static int
help_add(struct help_list *l, const struct cmd_tok *t)
{
	if (tok_hidden(t))
		return 0;
	for (size_t i = 0; i < l->n; i++) {
		struct help_item *it = &l->v[i];

		if (it->tok->type != t->type || strcmp(it->name, t->text) != 0)
			continue;
		if (it->help_len == 0) {
			it->help = t->help;
			it->help_len = t->help_len;
		}
		return 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct help_item *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct help_item){ t, t->text, t->help, t->help_len };
	return 0;
}

static int
help_cmp(const void *a, const void *b)
{
	const struct help_item *x = a, *y = b;
	bool kx = x->tok->type == CMD_TOK_KEYWORD;
	bool ky = y->tok->type == CMD_TOK_KEYWORD;

	if (kx != ky)
		return kx ? 1 : -1;
	if (!kx) {
		if (x->tok->type == CMD_TOK_RANGE && y->tok->type == CMD_TOK_RANGE)
			return x->tok->lo < y->tok->lo ? -1 : x->tok->lo > y->tok->lo;
		return (int)x->tok->type - (int)y->tok->type;
	}
	if (strspn(x->name, "0123456789") == strlen(x->name) &&
	    strspn(y->name, "0123456789") == strlen(y->name))
		return atoll(x->name) < atoll(y->name) ? -1 :
		       atoll(x->name) > atoll(y->name);
	return strcmp(x->name, y->name);
}

static void
help_print(struct term *t, struct help_list *l, bool cr, const char *heading)
{
	size_t w = cr ? 4 : 0;

	if (l->n > 0)
		qsort(l->v, l->n, sizeof(*l->v), help_cmp);
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i].name) > w)
			w = strlen(l->v[i].name);
	if (heading != NULL)
		term_printf(t, "%s\n", heading);
	for (size_t i = 0; i < l->n; i++)
		term_printf(t, "  %-*s  %.*s\n", (int)w, l->v[i].name,
			    (int)l->v[i].help_len, l->v[i].help);
	if (cr)
		term_printf(t, "  %-*s  <cr>\n", (int)w, "<cr>");
}

/* `prefix?`: the keywords (or argument types) the partial word can be. */
static int
help_word(struct sim *sm, struct term *t, const char *s)
{
	struct help_list l = { 0 };
	size_t col = 0;

	for (size_t i = 0; i < sm->cand.n; i++) {
		const struct cmd_tok *tk = sm->cand.v[i].tok;
		enum grade g = grade(tk, s);

		if (g == GRADE_EXACT || g == GRADE_PARTIAL ||
		    (tk->type != CMD_TOK_KEYWORD && g != GRADE_NONE))
			help_add(&l, tk);
	}
	if (l.n == 0) {
		free(l.v);
		return CMD_ERR_NO_MATCH;
	}
	qsort(l.v, l.n, sizeof(*l.v), help_cmp);
	for (size_t i = 0; i < l.n; i++) {
		term_printf(t, "%s  ", l.v[i].name);
		col += strlen(l.v[i].name) + 2;
		if (col > 70 && i + 1 < l.n) {
			term_puts(t, "\n");
			col = 0;
		}
	}
	term_puts(t, "\n");
	free(l.v);
	return CMD_OK;
}

int
cmd_help(struct cmd_engine *e, enum cmd_mode m, const char *line,
	 struct term *t)
{
	struct sim sm = { .e = e, .mode = m };
	struct help_list l = { 0 };
	size_t len = strlen(line);
	bool word = len > 0 && !isspace((unsigned char)line[len - 1]);
	int rc = CMD_ERR_NO_MATCH;

	if (sim_tokenize(&sm, line) < 0)
		goto out;
	if (sim_run(&sm, word ? sm.ntoks - 1 : sm.ntoks) < 0)
		goto out;
	if (sm.result == CMD_ERR_AMBIGUOUS) {
		term_printf(t, "%% Ambiguous command:  \"%s\"\n", sm.rest);
		rc = CMD_ERR_AMBIGUOUS;
		goto out;
	}
	if (sm.result != CMD_OK) {
		term_puts(t, "% Unrecognized command\n");
		goto out;
	}
	if (word) {
		rc = help_word(&sm, t, sm.toks[sm.ntoks - 1].s);
		if (rc != CMD_OK)
			term_puts(t, "% Unrecognized command\n");
		goto out;
	}
	for (size_t i = 0; i < sm.cand.n; i++)
		if (help_add(&l, sm.cand.v[i].tok) < 0)
			goto out;
	help_print(t, &l, sm.ntoks > 0 && (sim_accepting(&sm) != NULL ||
					    sim_negated_prefix(&sm) != NULL),
		   sm.ntoks == 0 ? cmd_mode_info(m)->heading : NULL);
	rc = CMD_OK;
out:
	free(l.v);
	sim_free(&sm);
	return rc;
}

/*
 * Public: TAB completion (IOS-CLI.md §4.3).
 */
char *
cmd_complete(struct cmd_engine *e, enum cmd_mode m, const char *line)
{
	struct sim sm = { .e = e, .mode = m };
	const struct token *last;
	const char *kw = NULL;
	char *res = NULL;
	size_t len = strlen(line);

	if (len == 0 || isspace((unsigned char)line[len - 1]))
		return NULL;
	if (sim_tokenize(&sm, line) < 0 || sm.ntoks == 0 ||
	    sim_run(&sm, sm.ntoks - 1) < 0 || sm.result != CMD_OK)
		goto out;
	last = &sm.toks[sm.ntoks - 1];
	for (size_t i = 0; i < sm.cand.n; i++) {
		const struct cmd_tok *t = sm.cand.v[i].tok;

		if (t->type == CMD_TOK_KEYWORD && !tok_hidden(t) &&
		    grade(t, last->s) == GRADE_EXACT)
			kw = t->text;
	}
	if (kw == NULL)
		kw = choose_partial(&sm, last->s, sm.ntoks == 1);
	if (kw == NULL)
		goto out;
	if (asprintf(&res, "%.*s%s ", (int)last->pos, line, kw) < 0)
		res = NULL;
out:
	sim_free(&sm);
	return res;
}

/*
 * Public: named arguments.
 */
/* Values bound by $name come first; a keyword's own text is a fallback. */
static const struct binding *
arg_find(const struct cmd_args *a, const char *name, unsigned nth)
{
	for (int pass = 1; a != NULL && pass >= 0; pass--) {
		unsigned k = nth;

		for (size_t i = 0; i < a->n; i++)
			if (a->v[i].bound == pass &&
			    strcmp(a->v[i].name, name) == 0 && k-- == 0)
				return &a->v[i];
		if (k != nth)
			return NULL;	/* the name exists in this pass */
	}
	return NULL;
}

const char *
cmd_arg(const struct cmd_args *a, const char *name)
{
	const struct binding *b = arg_find(a, name, 0);

	return b ? b->value : NULL;
}

bool
cmd_has(const struct cmd_args *a, const char *name)
{
	return arg_find(a, name, 0) != NULL;
}

unsigned
cmd_arg_count(const struct cmd_args *a, const char *name)
{
	unsigned n = 0;

	while (arg_find(a, name, n) != NULL)
		n++;
	return n;
}

const char *
cmd_arg_nth(const struct cmd_args *a, const char *name, unsigned i)
{
	const struct binding *b = arg_find(a, name, i);

	return b ? b->value : NULL;
}

int
cmd_word_index(const char *const *words, const char *s)
{
	for (int i = 0; s != NULL && words[i] != NULL; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	return -1;
}

size_t
cmd_arg_pos(const struct cmd_args *a, const char *name)
{
	const struct binding *b = arg_find(a, name, 0);

	return b ? b->pos : 0;
}

uint32_t
cmd_arg_u32(const struct cmd_args *a, const char *name, uint32_t dflt)
{
	const char *v = cmd_arg(a, name);
	unsigned long long n;
	char *end;

	if (v == NULL)
		return dflt;
	n = strtoull(v, &end, 10);
	if (*end != '\0' || n > UINT32_MAX)
		return dflt;
	return (uint32_t)n;
}

int
cmd_arg_ip4(const struct cmd_args *a, const char *name, uint32_t *out)
{
	const char *v = cmd_arg(a, name);

	return v != NULL && parse_ip4(v, out) ? 0 : -1;
}

/*
 * Public: handler helpers.
 */
void
cmd_enter(struct cmd_ctx *ctx, enum cmd_mode m, struct conf_obj *node)
{
	ctx->enter_mode = m;
	ctx->enter_node = node;
}

struct conf_obj *
cmd_node(const struct cmd_ctx *ctx, enum cmd_mode m)
{
	return m < MODE_COUNT ? ctx->node[m] : NULL;
}

int
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	term_puts(ctx->out, "% ");
	va_start(ap, fmt);
	term_vprintf(ctx->out, fmt, ap);
	va_end(ap);
	term_puts(ctx->out, "\n");
	return CMD_WARNING;
}

/*
 * Public: the engine.
 */
static struct cmd_tok *
engine_special(struct cmd_engine *e, struct cmd_mode_graph *g,
	       const char *kw, const char *help)
{
	struct cmd_tok *t = calloc(1, sizeof(*t));

	if (t == NULL || cmd_tok_list_add(&e->all, t) < 0) {
		free(t);
		return NULL;
	}
	t->type = CMD_TOK_KEYWORD;
	t->text = strdup(kw);
	t->help = help;
	t->help_len = strlen(help) - 1;
	/* The successors are the mode's negatable commands (borrowed). */
	t->next = g->neg_roots.v;
	t->nnext = g->neg_roots.n;
	if (t->text == NULL || cmd_tok_list_add(&g->roots, t) < 0)
		return NULL;
	return t;
}

static int
engine_add_negation(struct cmd_engine *e)
{
	for (int m = MODE_CONFIG; m < MODE_COUNT; m++) {
		struct cmd_mode_graph *g = &e->modes[m];

		if (g->neg_roots.n == 0)
			continue;
		g->no_tok = engine_special(e, g, "no", no_help);
		g->default_tok = engine_special(e, g, "default", default_help);
		if (g->no_tok == NULL || g->default_tok == NULL)
			return -1;
	}
	return 0;
}

struct cmd_engine *
cmd_engine_new(const struct cmd_def *const *tables, char *err, size_t errlen)
{
	struct cmd_engine *e = calloc(1, sizeof(*e));
	unsigned index = 0;

	if (e == NULL || (e->args = calloc(1, sizeof(*e->args))) == NULL)
		goto fail;
	for (size_t t = 0; tables[t] != NULL; t++) {
		for (const struct cmd_def *d = tables[t]; d->spec != NULL; d++) {
			const struct cmd_def **v;

			if (cmd_spec_compile(e, d, index++, err, errlen) < 0)
				goto fail_quiet;
			v = realloc(e->defs, (e->ndefs + 1) * sizeof(*v));
			if (v == NULL)
				goto fail;
			e->defs = v;
			e->defs[e->ndefs++] = d;
		}
	}
	if (engine_add_negation(e) < 0)
		goto fail;
	/* Privileged EXEC has every user EXEC command too. */
	for (size_t i = 0; i < e->modes[MODE_USER_EXEC].roots.n; i++)
		if (cmd_tok_list_add(&e->modes[MODE_EXEC].roots,
				     e->modes[MODE_USER_EXEC].roots.v[i]) < 0)
			goto fail;
	return e;
fail:
	snprintf(err, errlen, "out of memory");
fail_quiet:
	cmd_engine_free(e);
	return NULL;
}

void
cmd_engine_free(struct cmd_engine *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->all.n; i++) {
		struct cmd_tok *t = e->all.v[i];

		if (t->capnext > 0)
			free(t->next);
		free(t->text);
		free(t->bind);
		free(t);
	}
	free(e->all.v);
	for (int m = 0; m < MODE_COUNT; m++) {
		free(e->modes[m].roots.v);
		free(e->modes[m].neg_roots.v);
	}
	free(e->defs);
	free(e->linebuf);
	if (e->args != NULL)
		free(e->args->v);
	free(e->args);
	free(e);
}

void
cmd_engine_foreach(const struct cmd_engine *e,
		   void (*fn)(const struct cmd_def *d, void *arg), void *arg)
{
	for (size_t i = 0; i < e->ndefs; i++)
		fn(e->defs[i], arg);
}

const char *
cmd_def_help(const struct cmd_def *d, unsigned i, size_t *len)
{
	const char *p = d->help ? d->help : "";

	for (; i > 0 && *p; i--) {
		const char *nl = strchr(p, '\n');

		p = nl ? nl + 1 : p + strlen(p);
	}
	*len = strcspn(p, "\n");
	return p;
}
