/*
 * replay: a startup-config (or `copy FILE running-config`) fed line by
 * line through a session in global config mode, exactly as if typed
 * (doc/ios-cli.md §3.3, doc/cli.md); refused lines are reported as
 * FILE:LINE and skipped, and the whole file is committed once.
 */
#include "cli/env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/session.h"
#include "parser/cmd.h"
#include "platform/fileio.h"
#include "platform/term.h"

#define REPLAY_FILE_MAX (64u << 20)	/* a startup-config above 64 MiB is refused */

/* Prefix every non-empty output line of a refused line with FILE:LINE. */
static void
report(struct term *err, const char *name, unsigned lineno, const char *line,
       const char *out)
{
	if (strchr(out, '^') != NULL)
		term_printf(err, "%s:%u: %s\n", name, lineno, line);
	for (const char *p = out; *p;) {
		size_t len = strcspn(p, "\n");

		if (len > 0)
			term_printf(err, "%s:%u: %.*s\n", name, lineno,
				    (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

/* One physical line: NULs become visible as bad bytes, CR is dropped. */
static char *
take_line(const char *p, size_t len)
{
	char *l = malloc(len + 1);

	if (l == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++)
		l[i] = p[i] == '\0' ? '\x01' : p[i];
	if (len > 0 && l[len - 1] == '\r')
		len--;
	l[len] = '\0';
	return l;
}

/* A config line may hold a key in clear: wiped before it is freed. */
static void
free_line(char *line)
{
	if (line != NULL)
		explicit_bzero(line, strlen(line));
	free(line);
}

static bool
is_end(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return strncmp(line, "end", 3) == 0 &&
	       (line[3] == '\0' || line[3] == ' ');
}

static unsigned
indent_of(const char *line)
{
	return (unsigned)strspn(line, " \t");
}

/* Blank and comment lines neither end a block nor count in one. */
static bool
is_filler(const char *line)
{
	line += indent_of(line);
	return *line == '\0' || *line == '!';
}

/*
 * A refused line and the more indented lines under it (its block: the
 * sub-mode lines of a refused `router ospf 1`, say) are reported once,
 * when the block ends, so that nothing of a refused statement is applied
 * and the refusal stays one report.
 */
struct refusal {
	unsigned lineno, skipped, indent;
	char *line, *out;	/* NULL: none pending */
};

static void
refusal_flush(struct refusal *r, struct term *err, const char *name)
{
	const char *out = r->out != NULL ? r->out : "% Out of memory";
	size_t n = strlen(out);

	if (r->line == NULL)
		return;
	while (n > 0 && out[n - 1] == '\n')
		n--;
	if (r->skipped > 0 && strchr(out, '^') == NULL) {
		term_printf(err, "%s:%u: %.*s (with the %u line%s of its "
			    "block)\n", name, r->lineno, (int)n, out,
			    r->skipped, r->skipped == 1 ? "" : "s");
	} else {
		report(err, name, r->lineno, r->line, out);
	}
	free_line(r->line);
	free(r->out);
	memset(r, 0, sizeof(*r));
}

/* One line of the file (line is taken over); 1 when it was refused.  A
 * refused line of a banner's text has no block to skip. */
static int
replay_line(struct cli_session *s, struct refusal *r, unsigned lineno,
	    char *line, struct term *out)
{
	bool text = cli_session_collecting(s);

	term_mem_reset(out);
	if (cli_session_line(s, line, out) >= 0) {
		free_line(line);
		return 0;
	}
	r->line = line;
	r->lineno = lineno;
	r->out = strdup(term_mem_data(out, NULL));
	r->indent = text ? UINT32_MAX : indent_of(line);
	return 1;
}

int
cli_replay_text(struct cli_env *env, const char *name, const char *text,
		size_t len, struct term *err)
{
	struct cli_session *s;
	struct term *out = term_new_mem();
	struct refusal r = { 0 };
	unsigned lineno = 0;
	int bad = 0;

	s = cli_session_new(env, "console", CLI_SESS_CONFIG | CLI_SESS_REPLAY);
	if (s == NULL || out == NULL) {
		term_printf(err, "%s: out of memory\n", name);
		bad = -1;
		goto out;
	}
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		char *line = take_line(text + off, n);

		off += n + (nl != NULL);
		lineno++;
		if (line == NULL ||
		    (!cli_session_collecting(s) && is_end(line))) {
			free_line(line);
			break;
		}
		if (r.line != NULL && r.indent != UINT32_MAX &&
		    (is_filler(line) || indent_of(line) > r.indent)) {
			r.skipped += !is_filler(line);
			free_line(line);
			continue;
		}
		refusal_flush(&r, err, name);
		bad += replay_line(s, &r, lineno, line, out);
		if (r.indent == UINT32_MAX)
			refusal_flush(&r, err, name);
		/* A file is all config: an extra `exit` does not leave it. */
		if (cli_session_asking(s) && !cli_session_collecting(s))
			cli_session_line(s, "", out);
		if (!cmd_mode_is_config(cli_session_mode(s)))
			cli_session_push(s, MODE_CONFIG, NULL);
	}
	refusal_flush(&r, err, name);
	if (cli_session_collecting(s)) {
		term_printf(err, "%s:%u: %% Text not ended before the end of "
			    "the file: not applied\n", name, lineno);
		bad++;
	}
out:
	cli_session_free(s);
	term_free(out);
	cli_env_commit(env);	/* once, for the whole file */
	return bad;
}

int
cli_replay_file(struct cli_env *env, const char *path, struct term *err)
{
	char *text;
	size_t len;
	int bad;

	if (file_read_all(path, REPLAY_FILE_MAX, &text, &len) < 0) {
		term_printf(err, "%% Cannot read %s: %s\n", path,
			    strerror(errno));
		return -1;
	}
	bad = cli_replay_text(env, path, text, len, err);
	explicit_bzero(text, len);	/* the config's keys, in clear */
	free(text);
	return bad;
}
