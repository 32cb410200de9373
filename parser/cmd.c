/*
 * cmd: the IOS command matcher (doc/ios-cli.md §4.1-§4.5).
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
 *
 * `?` and TAB are parser/cmd_help.c, the handlers' argument accessors
 * parser/cmd_args.c; the run over a line they share is parser/cmd_sim.h.
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
#include "parser/cmd_sim.h"
#include "platform/term.h"

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

void
cmd_sim_free(struct sim *sm)
{
	/* a line may hold a key: its copies are wiped */
	if (sm->rest != NULL)
		explicit_bzero(sm->rest, sm->restlen);
	free(sm->rest);
	free(sm->toks);
	free(sm->pool);
	free(sm->cand.v);
	free(sm->matched.v);
	free(sm->lines.v);
}

/* Split line into tokens (copies in buf, separated by NULs). */
int
cmd_sim_tokenize(struct sim *sm, const char *line)
{
	size_t len = strlen(line);
	char *buf;

	sm->line = line;
	sm->rest = malloc(2 * len + 2);
	if (sm->rest == NULL)
		return -1;
	sm->restlen = 2 * len + 2;
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
bool
cmd_parse_ip4(const char *s, uint32_t *out)
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

	if (!cmd_parse_ip4(s, &a))
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

enum grade
cmd_grade(const struct cmd_tok *t, const char *s)
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
		return cmd_parse_ip4(s, NULL) ? GRADE_TYPED : GRADE_NONE;
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

/* A preferred keyword wins a tie only from this many typed characters:
 * IOS takes `sh` for show and `conf` for configure, but a lone `c` or
 * `s` is ambiguous (doc/cli.md). */
#define PREFERRED_MIN_PREFIX 2

static bool
is_preferred(const struct cmd_tok *t)
{
	return t->def != NULL && (t->def->flags & CMD_F_PREFERRED);
}

/*
 * Among partial keyword matches choose the one text, or fail ambiguous.
 * Returns the chosen keyword text or NULL.
 */
const char *
cmd_choose_partial(const struct sim *sm, const char *s, bool first_token)
{
	const char *chosen = NULL, *preferred = NULL;
	bool ambiguous = false;

	for (size_t i = 0; i < sm->cand.n; i++) {
		const struct cmd_tok *t = sm->cand.v[i].tok;

		if (t->type != CMD_TOK_KEYWORD || cmd_grade(t, s) != GRADE_PARTIAL)
			continue;
		if (first_token && is_preferred(t) &&
		    strlen(s) >= PREFERRED_MIN_PREFIX)
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

bool
cmd_tok_hidden(const struct cmd_tok *t)
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

		if (cmd_grade(t, tk->s) != best)
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
int
cmd_sim_run(struct sim *sm, size_t upto)
{
	sm->result = CMD_OK;
	if (sim_start(sm) < 0)
		return -1;
	for (size_t k = 0; k < upto; k++) {
		const char *s = sm->toks[k].s;
		enum grade best = GRADE_NONE;
		const char *kw = NULL;

		for (size_t i = 0; i < sm->cand.n; i++) {
			enum grade g = cmd_grade(sm->cand.v[i].tok, s);

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
			kw = cmd_choose_partial(sm, s, k == 0);
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
const struct state *
cmd_sim_accepting(const struct sim *sm)
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
const struct state *
cmd_sim_negated_prefix(const struct sim *sm)
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

/* The args keep pointers into the line copy: it lives in the engine
 * until cmd_match_release() or the next match. */
static void
engine_keep_line(struct cmd_engine *e, struct sim *sm)
{
	cmd_match_release(e);
	e->linebuf = sm->rest;
	e->linecap = sm->restlen;
	sm->rest = NULL;
}

void
cmd_match_release(struct cmd_engine *e)
{
	if (e->linebuf != NULL)
		explicit_bzero(e->linebuf, e->linecap);
	free(e->linebuf);
	e->linebuf = NULL;
	e->linecap = 0;
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
	if (cmd_sim_tokenize(&sm, line) < 0 || cmd_sim_run(&sm, sm.ntoks) < 0) {
		out->result = CMD_ERR_NO_MATCH;
		goto out;
	}
	out->negate = sm.negate;
	out->dflt = sm.dflt;
	out->result = sm.result;
	out->err_pos = sm.err_pos;
	if (sm.result != CMD_OK || sm.ntoks == 0)
		goto out;
	win = cmd_sim_accepting(&sm);
	if (win == NULL)
		win = cmd_sim_negated_prefix(&sm);
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
	cmd_sim_free(&sm);
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
	cmd_match_release(e);
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
