/*
 * showout: the structured output of a show command.  A show function
 * fills it once with named values, nested objects and lists, each value
 * carrying the text it takes in the IOS layout; it is then rendered
 * either as that IOS text (every value's and layout line's text, in
 * order) or as JSON (the values under their keys, layout lines left out).
 *
 *   showout_list(o, "groups");
 *   showout_obj(o, NULL);
 *   showout_str(o, "name", g->name, "    Group Name : %s\n", g->name);
 *   showout_text(o, "\n");                       (IOS layout only)
 *   showout_end(o);
 *   showout_end(o);
 *
 * Keys are JSON member names: lower case with underscores, unique within
 * their object.  A value's text is formatted at once (format-checked), so
 * its JSON value and its IOS text may differ in form (a number and
 * "%u secs").
 */
#ifndef PLATFORM_SHOWOUT_H
#define PLATFORM_SHOWOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct term;
struct showout;

struct showout *showout_new(void);
void showout_free(struct showout *o);

/* Open an object or a list (key NULL inside a list); showout_end closes
 * the innermost one. */
void showout_obj(struct showout *o, const char *key);
void showout_list(struct showout *o, const char *key);
void showout_end(struct showout *o);

/* A value and its IOS text; fmt NULL: a value for JSON only, one the
 * text tells by other means (which block it prints). */
void showout_str(struct showout *o, const char *key, const char *val,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void showout_u64(struct showout *o, const char *key, uint64_t val,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void showout_bool(struct showout *o, const char *key, bool val,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Text whose structure is its lines (a configuration, a log buffer): a
 * list under key of its lines, each a string; the IOS text is text
 * itself, byte for byte. */
void showout_lines(struct showout *o, const char *key, const char *text,
		   size_t len);
/* IOS text that is layout only (headers, labels, blank lines). */
void showout_text(struct showout *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Render as IOS text, or as one JSON object (RFC 8259; levels left open
 * are closed).  -1, with a "% " line instead, if memory ran out while
 * filling or the nesting went deeper than JSON_DEPTH. */
int showout_print(const struct showout *o, bool json, struct term *t);

#endif
