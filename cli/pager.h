/*
 * pager: IOS `--More--` paging of command output (doc/ios-cli.md §4.8).
 *
 * A small state machine fed one key at a time, so the console and the vty
 * client can page inside their event loop without blocking: start it
 * with the whole output, then hand it every key until it says it is done.
 *   Space  the next page        Enter  the next line
 *   q (or any other key)  stop; the rest of the output is dropped
 */
#ifndef CLI_PAGER_H
#define CLI_PAGER_H

#include <stdbool.h>
#include <stddef.h>

struct term;
struct pager;

#define PAGER_MORE_TEXT " --More-- "

enum pager_status {
	PAGER_DONE,		/* everything shown (or the user stopped) */
	PAGER_WAITING,		/* " --More-- " is shown: feed a key */
};

/* Output goes to out (borrowed). */
struct pager *pager_new(struct term *out);
void pager_free(struct pager *p);

/*
 * Show text, page_lines lines per screen (the terminal length; IOS shows
 * page_lines - 1 lines and the prompt line).  0 shows everything.  The
 * text is copied.  A pager that was waiting drops its old text.
 */
enum pager_status pager_start(struct pager *p, const char *text, size_t len,
			      unsigned page_lines);
/* One key typed while waiting. */
enum pager_status pager_key(struct pager *p, int key);
bool pager_waiting(const struct pager *p);

#endif
