/*
 * type7: IOS "type 7" passwords (`service password-encryption`,
 * doc/cli.md "Type 7 passwords"): an obfuscation, not encryption.  The text is two
 * decimal digits, the salt s (0 to 52), then for the i-th character of
 * the password the two hex digits of c XOR T[(s + i) mod 53], T being the
 * public 53-character table IOS uses.  Pure: no I/O, no randomness (the
 * caller picks the salt).
 */
#ifndef PARSER_TYPE7_H
#define PARSER_TYPE7_H

#include <stddef.h>

/* Passwords of at most this many characters (IOS: 25 for the enable
 * password); the type 7 text is then at most 2 + 2 * that. */
#define TYPE7_PLAIN_MAX 25
#define TYPE7_TEXT_MAX (2 + 2 * TYPE7_PLAIN_MAX + 1)

/* plain with salt (0-15, as IOS picks) into out; -1 when plain is
 * empty or too long. */
int type7_encode(const char *plain, unsigned salt, char out[TYPE7_TEXT_MAX]);
/* text into out (plain + NUL); NULL, or why text is not a type 7
 * password (for the error message). */
const char *type7_decode(const char *text, char out[TYPE7_PLAIN_MAX + 1]);

#endif
