/*
 * pager: the ` --More-- ` state machine of doc/ios-cli.md §4.8.  It owns a
 * copy of one command's output and a read position; each key decides how
 * many more lines to print.  The marker is erased with a carriage return
 * and spaces so the next text (or the prompt) starts on a clean line.
 */
#include "cli/pager.h"

#include <stdlib.h>
#include <string.h>

#include "platform/term.h"

struct pager {
	struct term *out;
	char *text;
	size_t len, pos;
	unsigned page;		/* lines per screenful */
	bool waiting;
};

struct pager *
pager_new(struct term *out)
{
	struct pager *p = calloc(1, sizeof(*p));

	if (p != NULL)
		p->out = out;
	return p;
}

static void
pager_reset(struct pager *p)
{
	free(p->text);
	p->text = NULL;
	p->len = p->pos = 0;
	p->waiting = false;
}

void
pager_free(struct pager *p)
{
	if (p == NULL)
		return;
	pager_reset(p);
	free(p);
}

bool
pager_waiting(const struct pager *p)
{
	return p->waiting;
}

/* Print up to n lines from the read position (n == 0: all of them). */
static void
pager_emit(struct pager *p, unsigned n)
{
	size_t start = p->pos;

	while (p->pos < p->len) {
		const char *nl = memchr(p->text + p->pos, '\n', p->len - p->pos);

		p->pos = nl ? (size_t)(nl - p->text) + 1 : p->len;
		if (n > 0 && --n == 0)
			break;
	}
	term_write(p->out, p->text + start, p->pos - start);
}

/* After printing: wait with the marker shown, or finish. */
static enum pager_status
pager_settle(struct pager *p)
{
	if (p->pos < p->len) {
		term_puts(p->out, PAGER_MORE_TEXT);
		p->waiting = true;
		return PAGER_WAITING;
	}
	pager_reset(p);
	return PAGER_DONE;
}

static void
pager_erase(struct pager *p)
{
	term_printf(p->out, "\r%*s\r", (int)strlen(PAGER_MORE_TEXT), "");
}

enum pager_status
pager_start(struct pager *p, const char *text, size_t len, unsigned page_lines)
{
	pager_reset(p);
	if (page_lines == 0) {
		term_write(p->out, text, len);
		return PAGER_DONE;
	}
	p->text = malloc(len + 1);
	if (p->text == NULL) {
		/* Without memory for the copy, show it all rather than nothing. */
		term_write(p->out, text, len);
		return PAGER_DONE;
	}
	memcpy(p->text, text, len);
	p->len = len;
	/* The last screen line is the one the marker (or prompt) sits on. */
	p->page = page_lines > 1 ? page_lines - 1 : 1;
	pager_emit(p, p->page);
	return pager_settle(p);
}

enum pager_status
pager_key(struct pager *p, int key)
{
	if (!p->waiting)
		return PAGER_DONE;
	p->waiting = false;
	pager_erase(p);
	switch (key) {
	case ' ':
		pager_emit(p, p->page);
		break;
	case '\r':
	case '\n':
		pager_emit(p, 1);
		break;
	default:
		pager_reset(p);
		return PAGER_DONE;
	}
	return pager_settle(p);
}
