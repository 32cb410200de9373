/*
 * hex_fixtures: known-answer vectors written as hex text in tests.
 */
#ifndef TESTS_HEX_FIXTURES_H
#define TESTS_HEX_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

/* Decode hex (spaces between octets allowed) into out; fails the test on
 * bad digits or more than cap octets.  Returns the octet count. */
size_t unhex(const char *s, uint8_t *out, size_t cap);
/* Fail the test unless p[0..len) equals the octets of hex. */
void ck_hex(const uint8_t *p, size_t len, const char *hex);

#endif
