/*
 * linesrc: the lines of a script, from a FILE (newline and CR stripped)
 * or from an argv-style array (the -c options).
 */
#ifndef CLI_LINESRC_H
#define CLI_LINESRC_H

#include <stddef.h>
#include <stdio.h>

struct linesrc {
	FILE *in;		/* read lines from here, or ... */
	char *const *lines;	/* ... take them from this array */
	int n, i;
	char *buf;
	size_t cap;
	size_t len;		/* bytes in the line returned (a NUL may be one) */
};

/* The next line (valid until the next call), or NULL at the end. */
const char *linesrc_next(struct linesrc *src);
void linesrc_fini(struct linesrc *src);

#endif
