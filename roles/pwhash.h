/*
 * pwhash: IOS secrets of type 8 (PBKDF2-HMAC-SHA-256, 20,000 rounds) and
 * type 9 (scrypt N=16384 r=1 p=1), as `show running-config` prints them:
 * "$8$SALT$HASH" / "$9$SALT$HASH", a 14-character salt and the 32-octet
 * result in base64 over the alphabet "./0-9A-Za-z" without padding.  A
 * pasted hash from a router verifies here, and ours on a router.
 */
#ifndef ROLES_PWHASH_H
#define ROLES_PWHASH_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/type7.h"

/* "$9$" + 14 + "$" + 43 + NUL */
#define PWHASH_MAX 64

enum pwhash_type {
	PWHASH_PBKDF2 = 8,
	PWHASH_SCRYPT = 9,
};

/* Hash plain with a fresh random salt into out; 0 or -1. */
int pwhash_make(enum pwhash_type type, const char *plain,
		char out[PWHASH_MAX]);
/* Hash plain with the given 14-character salt (known-answer tests). */
int pwhash_make_salted(enum pwhash_type type, const char *plain,
		       const char *salt, char out[PWHASH_MAX]);
/* Is s a well-formed hash of that type ("$9$..." for 9)? */
bool pwhash_valid(enum pwhash_type type, const char *s);
/* Does plain match the stored hash (constant-time compare)? */
bool pwhash_verify(const char *stored, const char *plain);

/* Plain passwords (the enable password): does plain equal stored (a
 * non-empty password; constant-time compare)? */
bool pwhash_plain_verify(const char *stored, const char *plain);
/* Its type 7 text (parser/type7.h) with a random salt of 0-15, as IOS
 * picks; 0 or -1. */
int pwhash_type7(const char *plain, char out[TYPE7_TEXT_MAX]);

#endif
