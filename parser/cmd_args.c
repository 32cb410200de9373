/*
 * cmd_args: what a command handler reads of its matched line (named
 * arguments, parsed values) and the mode and error helpers it calls.
 */
#include "parser/cmd.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd_sim.h"
#include "platform/term.h"

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

	return v != NULL && cmd_parse_ip4(v, out) ? 0 : -1;
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
