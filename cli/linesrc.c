/*
 * linesrc: script lines from a file or an array (see cli/linesrc.h).
 */
#include "cli/linesrc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

const char *
linesrc_next(struct linesrc *src)
{
	ssize_t n;

	if (src->in == NULL) {
		if (src->i >= src->n)
			return NULL;
		src->len = strlen(src->lines[src->i]);
		return src->lines[src->i++];
	}
	n = getline(&src->buf, &src->cap, src->in);
	if (n < 0)
		return NULL;
	while (n > 0 && (src->buf[n - 1] == '\n' || src->buf[n - 1] == '\r'))
		src->buf[--n] = '\0';
	src->len = (size_t)n;
	return src->buf;
}

void
linesrc_fini(struct linesrc *src)
{
	free(src->buf);
	src->buf = NULL;
	src->cap = 0;
}
