/*
 * showout: the output is kept as a flat list of items in fill order (an
 * open, a close, a value, a layout line); the nesting is the order of
 * opens and closes, so each rendering is one pass over the list.
 */
#include "platform/showout.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/json.h"
#include "platform/term.h"

enum showout_kind {
	SO_OBJ,
	SO_LIST,
	SO_END,
	SO_STR,
	SO_U64,
	SO_BOOL,
	SO_TEXT,
};

struct showout_item {
	enum showout_kind kind;
	char *key;		/* NULL inside a list, for SO_END, SO_TEXT */
	char *text;		/* the IOS text; NULL for opens and closes */
	char *str;		/* SO_STR */
	uint64_t num;		/* SO_U64, SO_BOOL */
};

struct showout {
	struct showout_item *v;
	size_t n, cap;
	unsigned depth;		/* levels open while filling */
	bool oom;		/* memory ran out, or nesting too deep */
};

struct showout *
showout_new(void)
{
	return calloc(1, sizeof(struct showout));
}

/* Values may be secrets (show crypto gdoi gm export-keys). */
static void
wipe_free(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

void
showout_free(struct showout *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].key);
		wipe_free(o->v[i].text);
		wipe_free(o->v[i].str);
	}
	free(o->v);
	free(o);
}

/* A new item of kind with its key copied; NULL when memory ran out. */
static struct showout_item *
add(struct showout *o, enum showout_kind kind, const char *key)
{
	struct showout_item *it;

	if (o->oom)
		return NULL;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct showout_item *v = realloc(o->v, cap * sizeof(*v));

		if (v == NULL)
			goto oom;
		o->v = v;
		o->cap = cap;
	}
	it = &o->v[o->n];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	if (key != NULL && (it->key = strdup(key)) == NULL)
		goto oom;
	o->n++;
	return it;
oom:
	o->oom = true;
	return NULL;
}

static void
set_text(struct showout *o, struct showout_item *it, const char *fmt,
	 va_list ap)
{
	if (it != NULL && fmt != NULL && vasprintf(&it->text, fmt, ap) < 0) {
		it->text = NULL;
		o->oom = true;
	}
}

/* The JSON writer keeps JSON_DEPTH levels, the root object one of them. */
static void
open_level(struct showout *o, enum showout_kind kind, const char *key)
{
	if (o->depth + 1 >= JSON_DEPTH)
		o->oom = true;
	else if (add(o, kind, key) != NULL)
		o->depth++;
}

void
showout_obj(struct showout *o, const char *key)
{
	open_level(o, SO_OBJ, key);
}

void
showout_list(struct showout *o, const char *key)
{
	open_level(o, SO_LIST, key);
}

void
showout_end(struct showout *o)
{
	if (o->depth > 0 && add(o, SO_END, NULL) != NULL)
		o->depth--;
}

/* A value, or a layout line (SO_TEXT): its JSON value (the first slen
 * octets of str, or num) and its IOS text. */
static void
value(struct showout *o, enum showout_kind kind, const char *key,
      const char *str, size_t slen, uint64_t num, const char *fmt,
      va_list ap)
{
	struct showout_item *it = add(o, kind, key);

	if (it == NULL)
		return;
	it->num = num;
	if (str != NULL && (it->str = strndup(str, slen)) == NULL)
		o->oom = true;
	set_text(o, it, fmt, ap);
}

void
showout_str(struct showout *o, const char *key, const char *val,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	value(o, SO_STR, key, val ? val : "", SIZE_MAX, 0, fmt, ap);
	va_end(ap);
}

void
showout_u64(struct showout *o, const char *key, uint64_t val,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	value(o, SO_U64, key, NULL, 0, val, fmt, ap);
	va_end(ap);
}

void
showout_bool(struct showout *o, const char *key, bool val,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	value(o, SO_BOOL, key, NULL, 0, val, fmt, ap);
	va_end(ap);
}

void
showout_text(struct showout *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	value(o, SO_TEXT, NULL, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

/* A list entry: the first n octets of val. */
static void __attribute__((format(printf, 4, 5)))
line(struct showout *o, const char *val, int n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	value(o, SO_STR, NULL, val, (size_t)n, 0, fmt, ap);
	va_end(ap);
}

void
showout_lines(struct showout *o, const char *key, const char *text,
	      size_t len)
{
	const char *end = text + len;

	showout_list(o, key);
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		int n = (int)((nl ? nl : end) - text);

		if (nl != NULL)
			line(o, text, n, "%.*s\n", n, text);
		else
			line(o, text, n, "%.*s", n, text);
		text += n + (nl != NULL);
	}
	showout_end(o);
}

static void
print_json(const struct showout *o, struct term *t)
{
	char close[JSON_DEPTH];	/* the closing bracket of each open level */
	unsigned depth = 0;
	struct json j;

	json_start(&j, t);
	json_obj(&j, NULL);
	for (size_t i = 0; i < o->n; i++) {
		const struct showout_item *it = &o->v[i];

		switch (it->kind) {
		case SO_OBJ:
		case SO_LIST:
			close[depth++] = it->kind == SO_OBJ ? '}' : ']';
			if (it->kind == SO_OBJ)
				json_obj(&j, it->key);
			else
				json_arr(&j, it->key);
			break;
		case SO_END:
			if (depth > 0)
				json_end(&j, close[--depth]);
			break;
		case SO_STR: json_str(&j, it->key, it->str); break;
		case SO_U64: json_u64(&j, it->key, it->num); break;
		case SO_BOOL: json_bool(&j, it->key, it->num != 0); break;
		case SO_TEXT: break;
		}
	}
	while (depth > 0)
		json_end(&j, close[--depth]);
	json_end(&j, '}');
}

int
showout_print(const struct showout *o, bool json, struct term *t)
{
	if (o->oom) {
		term_puts(t, "% Cannot build this output (out of memory, or "
			  "nested too deep)\n");
		return -1;
	}
	if (json) {
		print_json(o, t);
		return 0;
	}
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].text != NULL)
			term_puts(t, o->v[i].text);
	return 0;
}
