/*
 * json: a small JSON writer for `| json` on show commands (RFC 8259):
 * nested objects and arrays, strings escaped, numbers and booleans.
 *
 *   struct json j; json_start(&j, t);
 *   json_obj(&j, NULL); json_str(&j, "version", "0.1"); json_end(&j);
 */
#ifndef PLATFORM_JSON_H
#define PLATFORM_JSON_H

#include <stdbool.h>
#include <stdint.h>

struct term;

#define JSON_DEPTH 12

struct json {
	struct term *t;
	unsigned depth;
	bool first[JSON_DEPTH];		/* no member written yet at depth */
};

void json_start(struct json *j, struct term *t);
/* Open an object or array; key NULL inside an array or at the top. */
void json_obj(struct json *j, const char *key);
void json_arr(struct json *j, const char *key);
/* Close the innermost object or array (a newline after the last). */
void json_end(struct json *j, char close);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);

#endif
