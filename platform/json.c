/*
 * json: members are written as they come; the writer only tracks, per
 * level, whether a comma is due.  Strings are escaped as RFC 8259 §7
 * requires (quote, backslash, control characters).
 */
#include "platform/json.h"

#include <stdio.h>

#include "platform/term.h"

void
json_start(struct json *j, struct term *t)
{
	j->t = t;
	j->depth = 0;
	j->first[0] = true;
}

static void
put_string(struct term *t, const char *s)
{
	term_puts(t, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			term_printf(t, "\\%c", c);
		else if (c < 0x20)
			term_printf(t, "\\u%04x", c);
		else
			term_write(t, s, 1);
	}
	term_puts(t, "\"");
}

/* The comma and key before a member. */
static void
member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		term_puts(j->t, ",");
	j->first[j->depth] = false;
	if (key != NULL) {
		put_string(j->t, key);
		term_puts(j->t, ":");
	}
}

static void
open_(struct json *j, const char *key, const char *brace)
{
	member(j, key);
	term_puts(j->t, brace);
	if (j->depth + 1 < JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void
json_obj(struct json *j, const char *key)
{
	open_(j, key, "{");
}

void
json_arr(struct json *j, const char *key)
{
	open_(j, key, "[");
}

void
json_end(struct json *j, char close)
{
	if (j->depth > 0)
		j->depth--;
	term_printf(j->t, "%c%s", close, j->depth == 0 ? "\n" : "");
}

void
json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	put_string(j->t, val);
}

void
json_u64(struct json *j, const char *key, uint64_t val)
{
	member(j, key);
	term_printf(j->t, "%llu", (unsigned long long)val);
}

void
json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	term_puts(j->t, val ? "true" : "false");
}
