/*
 * type7: IOS type 7 passwords (see parser/type7.h).
 */
#include "parser/type7.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The table IOS XORs with, as every public decoder prints it. */
static const char xlat[] =
	"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";
#define XLAT_LEN (sizeof(xlat) - 1)	/* 53 */

int
type7_encode(const char *plain, unsigned salt, char out[TYPE7_TEXT_MAX])
{
	size_t n = strlen(plain), o;

	if (n == 0 || n > TYPE7_PLAIN_MAX || salt >= XLAT_LEN)
		return -1;
	o = (size_t)snprintf(out, TYPE7_TEXT_MAX, "%02u", salt);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, TYPE7_TEXT_MAX - o, "%02X",
				      (unsigned char)plain[i] ^
				      (unsigned char)xlat[(salt + i) % XLAT_LEN]);
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)toupper((unsigned char)c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static const char *
decode(const char *text, char out[TYPE7_PLAIN_MAX + 1])
{
	size_t len = strlen(text), n;
	unsigned salt;

	out[0] = '\0';
	if (len < 4 || len % 2 != 0)
		return "expected two salt digits and two hex digits per "
		       "character";
	if (!isdigit((unsigned char)text[0]) || !isdigit((unsigned char)text[1]))
		return "the first two characters (the salt) are not digits";
	salt = (unsigned)(text[0] - '0') * 10 + (unsigned)(text[1] - '0');
	if (salt >= XLAT_LEN)
		return "the salt is above 52";
	n = (len - 2) / 2;
	if (n > TYPE7_PLAIN_MAX)
		return "longer than 25 characters";
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(text[2 + 2 * i]), lo = hexval(text[3 + 2 * i]);
		unsigned char c;

		if (hi < 0 || lo < 0)
			return "not hex digits after the salt";
		c = (unsigned char)(hi << 4 | lo) ^
		    (unsigned char)xlat[(salt + i) % XLAT_LEN];
		if (!isprint(c))
			return "it does not decode to printable characters";
		out[i] = (char)c;
		out[i + 1] = '\0';
	}
	return NULL;
}

const char *
type7_decode(const char *text, char out[TYPE7_PLAIN_MAX + 1])
{
	const char *why = decode(text, out);

	if (why != NULL)
		memset(out, 0, TYPE7_PLAIN_MAX + 1);
	return why;
}
