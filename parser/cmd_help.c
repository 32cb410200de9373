/*
 * cmd_help: `?` help and TAB completion (doc/ios-cli.md §4.2, §4.3), on the
 * matcher's run over the line typed so far (parser/cmd_sim.h).
 */
#include "parser/cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd_sim.h"
#include "platform/term.h"

/*
 * Public: `?` help (doc/ios-cli.md §4.2).
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
	if (cmd_tok_hidden(t))
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

/* EXEC `show` commands take output modifiers (doc/ios-cli.md §4.2, §4.8):
 * `?` lists `|` before `<cr>` when such a command may end here. */
static bool
help_pipes(enum cmd_mode m, const struct state *acc)
{
	return acc != NULL && !cmd_mode_is_config(m) && acc->tok->def != NULL &&
	       strncmp(acc->tok->def->spec, "show ", 5) == 0;
}

static void
help_print(struct term *t, struct help_list *l, bool cr, bool pipe,
	   const char *heading)
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
	if (pipe)
		term_printf(t, "  %-*s  Output modifiers\n", (int)w, "|");
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
		enum grade g = cmd_grade(tk, s);

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
	const struct state *acc;
	size_t len = strlen(line);
	bool word = len > 0 && !isspace((unsigned char)line[len - 1]);
	int rc = CMD_ERR_NO_MATCH;

	if (cmd_sim_tokenize(&sm, line) < 0)
		goto out;
	if (cmd_sim_run(&sm, word ? sm.ntoks - 1 : sm.ntoks) < 0)
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
	acc = cmd_sim_accepting(&sm);
	help_print(t, &l, sm.ntoks > 0 && (acc != NULL ||
					    cmd_sim_negated_prefix(&sm) != NULL),
		   help_pipes(m, acc),
		   sm.ntoks == 0 ? cmd_mode_info(m)->heading : NULL);
	rc = CMD_OK;
out:
	free(l.v);
	cmd_sim_free(&sm);
	return rc;
}

/*
 * Public: TAB completion (doc/ios-cli.md §4.3).
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
	if (cmd_sim_tokenize(&sm, line) < 0 || sm.ntoks == 0 ||
	    cmd_sim_run(&sm, sm.ntoks - 1) < 0 || sm.result != CMD_OK)
		goto out;
	last = &sm.toks[sm.ntoks - 1];
	for (size_t i = 0; i < sm.cand.n; i++) {
		const struct cmd_tok *t = sm.cand.v[i].tok;

		if (t->type == CMD_TOK_KEYWORD && !cmd_tok_hidden(t) &&
		    cmd_grade(t, last->s) == GRADE_EXACT)
			kw = t->text;
	}
	if (kw == NULL)
		kw = cmd_choose_partial(&sm, last->s, sm.ntoks == 1);
	if (kw == NULL)
		goto out;
	if (asprintf(&res, "%.*s%s ", (int)last->pos, line, kw) < 0)
		res = NULL;
out:
	cmd_sim_free(&sm);
	return res;
}
