/*
 * outfilter: `| include|exclude|begin|section|count` on command output
 * (doc/ios-cli.md §4.8).  The command runs into a memory term first; the
 * filter then walks its lines.
 */
#include "cli/outfilter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/term.h"

static const char *const kinds[] = {
	[OUTFILTER_INCLUDE] = "include",
	[OUTFILTER_EXCLUDE] = "exclude",
	[OUTFILTER_BEGIN] = "begin",
	[OUTFILTER_SECTION] = "section",
	[OUTFILTER_COUNT] = "count",
	[OUTFILTER_JSON] = "json",
};

static const char *const kind_help[] = {
	[OUTFILTER_INCLUDE] = "Include lines that match",
	[OUTFILTER_EXCLUDE] = "Exclude lines that match",
	[OUTFILTER_BEGIN] = "Begin with the line that matches",
	[OUTFILTER_SECTION] = "Filter a section of output",
	[OUTFILTER_COUNT] = "Count number of lines which match regexp",
};

/* IOS `_` matches a delimiter; translate it outside bracket expressions. */
static char *
ios_regex(const char *re)
{
	static const char delim[] = "(^|$|[ ,{}()])";
	size_t n = 0;
	char *out = malloc(strlen(re) * sizeof(delim) + 1);
	bool bracket = false;

	if (out == NULL)
		return NULL;
	for (const char *p = re; *p; p++) {
		if (*p == '[')
			bracket = true;
		else if (*p == ']')
			bracket = false;
		if (*p == '_' && !bracket) {
			memcpy(out + n, delim, sizeof(delim) - 1);
			n += sizeof(delim) - 1;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

static int
parse_kind(const char *word, size_t n)
{
	int found = -1;

	for (int k = 0; k <= OUTFILTER_JSON; k++) {
		if (n > strlen(kinds[k]) || strncasecmp(kinds[k], word, n) != 0)
			continue;
		if (found >= 0)
			return -2;	/* ambiguous prefix */
		found = k;
	}
	return found;
}

int
outfilter_split(const char *line, char **cmd, struct outfilter *f,
		struct term *err)
{
	const char *bar = strchr(line, '|');
	const char *p, *re;
	char *tr;
	size_t n;
	int k, rc;

	memset(f, 0, sizeof(*f));
	*cmd = NULL;
	if (bar == NULL)
		return 0;
	p = bar + 1;
	while (*p == ' ')
		p++;
	n = strcspn(p, " \t");
	k = parse_kind(p, n);
	re = p + n;
	while (*re == ' ')
		re++;
	if (n == 0 || (k >= 0 && k != OUTFILTER_JSON && *re == '\0')) {
		term_puts(err, "% Incomplete command.\n\n");
		return -1;
	}
	if (k < 0 || (k == OUTFILTER_JSON && *re != '\0')) {
		term_printf(err, "%% %s output modifier\n",
			    k == -2 ? "Ambiguous" : "Invalid");
		return -1;
	}
	if (k == OUTFILTER_JSON)
		re = "";
	tr = ios_regex(re);
	rc = tr ? regcomp(&f->re, tr, REG_EXTENDED | REG_NOSUB) : -1;
	free(tr);
	if (rc != 0) {
		term_printf(err, "%% Invalid regular expression \"%s\"\n", re);
		return -1;
	}
	f->compiled = true;
	f->kind = (enum outfilter_kind)k;
	n = (size_t)(bar - line);
	while (n > 0 && line[n - 1] == ' ')
		n--;
	*cmd = strndup(line, n);
	if (*cmd == NULL) {
		outfilter_fini(f);
		return -1;
	}
	return 0;
}

static bool
line_matches(const struct outfilter *f, const char *s, size_t len)
{
	char *l = strndup(s, len);
	bool m = l && regexec(&f->re, l, 0, NULL, 0) == 0;

	free(l);
	return m;
}

void
outfilter_apply(const struct outfilter *f, const char *text, struct term *out)
{
	bool begun = false, in_section = false;
	unsigned count = 0;


	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		bool m = line_matches(f, p, len);
		bool show = false;

		switch (f->kind) {
		case OUTFILTER_INCLUDE: show = m; break;
		case OUTFILTER_EXCLUDE: show = !m; break;
		case OUTFILTER_BEGIN: show = begun = begun || m; break;
		case OUTFILTER_COUNT: count += m; break;
		case OUTFILTER_JSON: show = true; break;
		case OUTFILTER_SECTION:
			/* a top-level line starts a section; children follow it */
			if (*p != ' ')
				in_section = m;
			show = in_section;
			break;
		}
		if (show) {
			term_write(out, p, len);
			term_puts(out, "\n");
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	if (f->kind == OUTFILTER_COUNT)
		term_printf(out, "Number of lines which match regexp = %u\n",
			    count);
}

void
outfilter_fini(struct outfilter *f)
{
	if (f->compiled)
		regfree(&f->re);
	f->compiled = false;
}

/* `?` after the bar: the modifiers (alphabetical, as IOS lists them), the
 * ones a partial word can be, or the expression a modifier takes. */
void
outfilter_help(const char *after_bar, struct term *t)
{
	static const enum outfilter_kind order[] = {
		OUTFILTER_BEGIN, OUTFILTER_COUNT, OUTFILTER_EXCLUDE,
		OUTFILTER_INCLUDE, OUTFILTER_SECTION,
	};
	const char *p = after_bar + strspn(after_bar, " \t");
	size_t n = strcspn(p, " \t");
	bool word = n > 0 && p[n] == '\0';
	int shown = 0;

	if (n > 0 && !word) {
		if (parse_kind(p, n) >= 0) {
			term_puts(t, "  LINE  Regular Expression\n");
			return;
		}
		term_puts(t, "% Unrecognized command\n");
		return;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *k = kinds[order[i]];

		if (strncasecmp(k, p, n) != 0)
			continue;
		if (word)
			term_printf(t, "%s  ", k);
		else
			term_printf(t, "  %-7s  %s\n", k, kind_help[order[i]]);
		shown++;
	}
	if (word)
		term_puts(t, shown ? "\n" : "% Unrecognized command\n");
}
