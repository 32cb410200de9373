/*
 * hex_fixtures: hex vectors for known-answer tests (see hex_fixtures.h).
 */
#include "hex_fixtures.h"

#include <check.h>
#include <stdio.h>

size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[1] != '\0') {
		if (s[0] == ' ') {
			s++;
			continue;
		}
		ck_assert_uint_lt(n, cap);
		ck_assert_int_eq(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

void
ck_hex(const uint8_t *p, size_t len, const char *hex)
{
	uint8_t want[512];
	size_t n = unhex(hex, want, sizeof(want));

	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(p, want, n);
}
