/*
 * cmd_spec: compiles command spec strings (grammar in parser/cmd.h) into
 * token graphs, recursive descent over a tiny lexer.
 *
 * A parsed piece of spec is a fragment: the tokens that can come first,
 * the tokens that can come last, and whether the whole piece may be
 * skipped.  Sequencing links every "last" of the left piece to every
 * "first" of the right one (Thompson's construction without epsilon
 * edges); `[x]` makes x skippable; `{a|b}` unions the alternatives.
 */
#include "parser/cmd_graph.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct frag {
	struct cmd_tok_list first, last;
	bool nullable;
};

struct spec_lexer {
	const char *p;
	struct cmd_engine *e;
	const struct cmd_def *def;
	unsigned index;
	const char *help;	/* next unread help string */
	unsigned ntok;
	char *err;
	size_t errlen;
	int failed;
};

int
cmd_tok_list_add(struct cmd_tok_list *l, struct cmd_tok *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct cmd_tok **v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = t;
	return 0;
}

static int
list_union(struct cmd_tok_list *to, const struct cmd_tok_list *from)
{
	for (size_t i = 0; i < from->n; i++)
		if (cmd_tok_list_add(to, from->v[i]) < 0)
			return -1;
	return 0;
}

static void
frag_free(struct frag *f)
{
	free(f->first.v);
	free(f->last.v);
	memset(f, 0, sizeof(*f));
}

static int
lex_fail(struct spec_lexer *lx, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (lx->failed)
		return -1;
	lx->failed = 1;
	n = snprintf(lx->err, lx->errlen, "spec \"%s\": ", lx->def->spec);
	if (n < 0 || (size_t)n >= lx->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void
lex_skip_space(struct spec_lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
}

static bool
is_punct(char c)
{
	return c == '[' || c == ']' || c == '{' || c == '}' || c == '|' ||
	       c == '$';
}

/* Read "$name" after a token or group, if present (malloc'd). */
static char *
lex_binding(struct spec_lexer *lx)
{
	const char *s;

	if (*lx->p != '$')
		return NULL;
	s = ++lx->p;
	while (*lx->p && !isspace((unsigned char)*lx->p) && !is_punct(*lx->p))
		lx->p++;
	if (lx->p == s) {
		lex_fail(lx, "empty binding name");
		return NULL;
	}
	return strndup(s, (size_t)(lx->p - s));
}

int
cmd_spec_parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char *end;

	if (*s != '<' || !isdigit((unsigned char)s[1]))
		return -1;
	errno = 0;
	*lo = strtoull(s + 1, &end, 10);
	if (*end != '-' || !isdigit((unsigned char)end[1]))
		return -1;
	*hi = strtoull(end + 1, &end, 10);
	if (errno || strcmp(end, ">") != 0 || *lo > *hi)
		return -1;
	return 0;
}

static void
tok_take_help(struct spec_lexer *lx, struct cmd_tok *t)
{
	const char *nl;

	lx->ntok++;
	if (lx->help == NULL || *lx->help == '\0') {
		if (lx->def->help != NULL)
			lex_fail(lx, "fewer help strings than tokens");
		t->help = "";
		t->help_len = 0;
		return;
	}
	nl = strchr(lx->help, '\n');
	if (nl == NULL) {
		lex_fail(lx, "help string %u lacks its newline", lx->ntok);
		return;
	}
	t->help = lx->help;
	t->help_len = (size_t)(nl - lx->help);
	lx->help = nl + 1;
}

static int
tok_classify(struct spec_lexer *lx, struct cmd_tok *t)
{
	const char *s = t->text;

	if (strcmp(s, "WORD") == 0)
		t->type = CMD_TOK_WORD;
	else if (strcmp(s, "LINE") == 0)
		t->type = CMD_TOK_LINE;
	else if (strcmp(s, "A.B.C.D") == 0)
		t->type = CMD_TOK_IP4;
	else if (strcmp(s, "M.M.M.M") == 0)
		t->type = CMD_TOK_MASK;
	else if (s[0] == '<') {
		t->type = CMD_TOK_RANGE;
		if (cmd_spec_parse_range(s, &t->lo, &t->hi) < 0)
			return lex_fail(lx, "bad range %s", s);
	} else {
		t->type = CMD_TOK_KEYWORD;
		for (; *s; s++)
			if (isupper((unsigned char)*s) || *s == '<' || *s == '>')
				return lex_fail(lx, "bad keyword %s", t->text);
	}
	return 0;
}

static int parse_alts(struct spec_lexer *lx, struct frag *out, char close);

static int
parse_atom_token(struct spec_lexer *lx, struct frag *out)
{
	const char *s = lx->p;
	struct cmd_tok *t;

	while (*lx->p && !isspace((unsigned char)*lx->p) && !is_punct(*lx->p))
		lx->p++;
	t = calloc(1, sizeof(*t));
	if (t == NULL || cmd_tok_list_add(&lx->e->all, t) < 0) {
		free(t);
		return lex_fail(lx, "out of memory");
	}
	t->text = strndup(s, (size_t)(lx->p - s));
	t->def = lx->def;
	t->def_index = lx->index;
	if (t->text == NULL)
		return lex_fail(lx, "out of memory");
	if (tok_classify(lx, t) < 0)
		return -1;
	tok_take_help(lx, t);
	t->bind = lex_binding(lx);
	if (cmd_tok_list_add(&out->first, t) < 0 ||
	    cmd_tok_list_add(&out->last, t) < 0)
		return lex_fail(lx, "out of memory");
	out->nullable = false;
	return lx->failed ? -1 : 0;
}

/* A `$name` after a group binds each of the group's first tokens. */
static int
bind_group(struct spec_lexer *lx, struct frag *f)
{
	char *name = lex_binding(lx);

	if (name == NULL)
		return lx->failed ? -1 : 0;
	for (size_t i = 0; i < f->first.n; i++) {
		struct cmd_tok *t = f->first.v[i];

		if (t->bind == NULL)
			t->bind = strdup(name);
	}
	free(name);
	return 0;
}

static int
parse_atom(struct spec_lexer *lx, struct frag *out)
{
	char c = *lx->p;

	if (c == '[' || c == '{') {
		lx->p++;
		if (parse_alts(lx, out, c == '[' ? ']' : '}') < 0)
			return -1;
		if (c == '[')
			out->nullable = true;
		return bind_group(lx, out);
	}
	return parse_atom_token(lx, out);
}

/* Append right to left: left = left right. */
static int
frag_seq(struct frag *left, struct frag *right)
{
	struct cmd_tok_list last = { 0 };

	for (size_t i = 0; i < left->last.n; i++) {
		struct cmd_tok *t = left->last.v[i];

		for (size_t j = 0; j < right->first.n; j++) {
			if (t->nnext == t->capnext) {
				size_t cap = t->capnext ? t->capnext * 2 : 4;
				struct cmd_tok **v = realloc(t->next, cap * sizeof(*v));

				if (v == NULL)
					return -1;
				t->next = v;
				t->capnext = cap;
			}
			t->next[t->nnext++] = right->first.v[j];
		}
	}
	if (left->nullable && list_union(&left->first, &right->first) < 0)
		return -1;
	if (list_union(&last, &right->last) < 0 ||
	    (right->nullable && list_union(&last, &left->last) < 0)) {
		free(last.v);
		return -1;
	}
	free(left->last.v);
	left->last = last;
	left->nullable = left->nullable && right->nullable;
	return 0;
}

static int
parse_seq(struct spec_lexer *lx, struct frag *out)
{
	bool empty = true;

	memset(out, 0, sizeof(*out));
	out->nullable = true;
	for (;;) {
		struct frag f;

		lex_skip_space(lx);
		if (*lx->p == '\0' || *lx->p == '|' || *lx->p == ']' ||
		    *lx->p == '}')
			break;
		memset(&f, 0, sizeof(f));
		if (parse_atom(lx, &f) < 0) {
			frag_free(&f);
			return -1;
		}
		if (empty) {
			*out = f;
			empty = false;
			continue;
		}
		if (frag_seq(out, &f) < 0) {
			frag_free(&f);
			return lex_fail(lx, "out of memory");
		}
		frag_free(&f);
	}
	if (empty)
		return lex_fail(lx, "empty sequence");
	return 0;
}

static int
parse_alts(struct spec_lexer *lx, struct frag *out, char close)
{
	memset(out, 0, sizeof(*out));
	for (;;) {
		struct frag f;

		if (parse_seq(lx, &f) < 0) {
			frag_free(&f);
			return -1;
		}
		if (list_union(&out->first, &f.first) < 0 ||
		    list_union(&out->last, &f.last) < 0) {
			frag_free(&f);
			return lex_fail(lx, "out of memory");
		}
		out->nullable = out->nullable || f.nullable;
		frag_free(&f);
		lex_skip_space(lx);
		if (*lx->p == '|') {
			lx->p++;
			continue;
		}
		if (*lx->p != close)
			return lex_fail(lx, "expected '%c'", close ? close : '$');
		if (close)
			lx->p++;
		return 0;
	}
}

static int
install(struct cmd_engine *e, const struct cmd_def *d, struct frag *f)
{
	struct cmd_mode_graph *g = &e->modes[d->mode];

	for (size_t i = 0; i < f->last.n; i++)
		f->last.v[i]->end = true;
	if (!(d->flags & CMD_F_NEGATE_ONLY) &&
	    list_union(&g->roots, &f->first) < 0)
		return -1;
	if (!(d->flags & CMD_F_NO_NEGATE) && cmd_mode_is_config(d->mode) &&
	    list_union(&g->neg_roots, &f->first) < 0)
		return -1;
	return 0;
}

int
cmd_spec_compile(struct cmd_engine *e, const struct cmd_def *d,
		 unsigned index, char *err, size_t errlen)
{
	struct spec_lexer lx = {
		.p = d->spec, .e = e, .def = d, .index = index,
		.help = d->help, .err = err, .errlen = errlen,
	};
	struct frag f;
	int rc = -1;

	if (d->mode >= MODE_COUNT || d->handler == NULL) {
		snprintf(err, errlen, "spec \"%s\": bad mode or no handler", d->spec);
		return -1;
	}
	if (parse_alts(&lx, &f, '\0') < 0)
		goto out;
	if (f.nullable) {
		lex_fail(&lx, "a command cannot be empty");
		goto out;
	}
	if (lx.help != NULL && *lx.help != '\0') {
		lex_fail(&lx, "more help strings than tokens");
		goto out;
	}
	if (install(e, d, &f) < 0) {
		lex_fail(&lx, "out of memory");
		goto out;
	}
	rc = 0;
out:
	frag_free(&f);
	return rc;
}
