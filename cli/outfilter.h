/*
 * outfilter: IOS output modifiers (doc/ios-cli.md §4.8):
 *   | include RE, | exclude RE, | begin RE, | section RE, | count RE
 * and `| json`, which asks the command itself for JSON (the CMD_F_SHOW
 * commands: platform/showout.h).
 * RE is an IOS regular expression: POSIX extended, with `_` standing
 * for a delimiter (start or end of line, space, comma, braces, parens).
 */
#ifndef CLI_OUTFILTER_H
#define CLI_OUTFILTER_H

#include <regex.h>
#include <stdbool.h>

struct term;

enum outfilter_kind {
	OUTFILTER_INCLUDE,
	OUTFILTER_EXCLUDE,
	OUTFILTER_BEGIN,
	OUTFILTER_SECTION,
	OUTFILTER_COUNT,
	OUTFILTER_JSON,		/* no expression; the text passes unchanged */
};

struct outfilter {
	enum outfilter_kind kind;
	regex_t re;
	bool compiled;
};

/*
 * Split "show run | include foo" into the command (malloc'd in *cmd) and
 * the filter.  *cmd is NULL when the line has no modifier.  Returns -1
 * after printing an IOS error for a bad modifier or expression.
 */
int outfilter_split(const char *line, char **cmd, struct outfilter *f,
		    struct term *err);
/* Write the lines of text that pass f to out. */
void outfilter_apply(const struct outfilter *f, const char *text,
		     struct term *out);
void outfilter_fini(struct outfilter *f);
/* `?` typed after "CMD |": after_bar is the text that follows the bar. */
void outfilter_help(const char *after_bar, struct term *t);

#endif
