/*
 * cmd_banner: `banner motd|login|exec DTEXTD`.  The first character of
 * the text is the delimiter (the two characters ^C, as IOS prints them in
 * show running-config, count as one delimiter); when it does not close
 * on the same line, the following lines are the text, up to the line
 * holding the delimiter again.  Those lines are taken as text, never as
 * commands, in a typed session and in a replayed file alike.
 */
#include "cli/cmd_banner.h"

#include <stdlib.h>
#include <string.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_banner.h"
#include "platform/term.h"

#define BANNER_MAX 4096

struct banner_text {
	int kind;
	char delim[3];
	size_t len;
	char text[BANNER_MAX];
};

/* Append n octets of p; -1 when the banner would be too long. */
static int
banner_add(struct banner_text *b, const char *p, size_t n)
{
	if (b->len + n >= sizeof(b->text))
		return -1;
	memcpy(b->text + b->len, p, n);
	b->len += n;
	b->text[b->len] = '\0';
	return 0;
}

static int
banner_line(struct cli_session *s, const char *line, struct term *out,
	    void *arg)
{
	struct banner_text *b = arg;
	const char *end = strstr(line, b->delim);
	int rc = 0;

	if (out == NULL) {			/* never finished */
		free(b);
		return -1;
	}
	if (banner_add(b, line, end ? (size_t)(end - line) : strlen(line)) < 0 ||
	    (end == NULL && banner_add(b, "\n", 1) < 0)) {
		term_printf(out, "%% Banner longer than %d characters\n",
			    BANNER_MAX - 1);
		free(b);
		return -1;
	}
	if (end == NULL) {
		cli_session_collect(s, banner_line, b);
		return 0;
	}
	if (conf_banner_set(cli_session_env(s)->conf, b->kind, b->text) < 0) {
		term_puts(out, "% Out of memory\n");
		rc = -1;
	}
	free(b);
	return rc;
}

static int
cmd_banner(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	int kind = conf_banner_kind(cmd_arg(a, "kind"));
	const char *text = cmd_arg(a, "text");
	struct banner_text *b;

	if (ctx->negate || ctx->dflt)
		return conf_banner_set(ctx->conf, kind, NULL) < 0
			? cmd_error(ctx, "Out of memory") : CMD_OK;
	if (text == NULL)
		return CMD_ERR_INCOMPLETE;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return cmd_error(ctx, "Out of memory");
	b->kind = kind;
	memcpy(b->delim, text, strncmp(text, "^C", 2) == 0 ? 2 : 1);
	text += strlen(b->delim);
	if (ctx->interactive && strstr(text, b->delim) == NULL)
		term_printf(ctx->out, "Enter TEXT message.  End with the "
			    "character '%c'.\n", b->delim[0]);
	if (*text == '\0') {		/* the text starts on the next line */
		cli_session_collect(ctx->session, banner_line, b);
		return CMD_OK;
	}
	return banner_line(ctx->session, text, ctx->out, b) < 0
		? CMD_WARNING : CMD_OK;
}

const struct cmd_def cli_banner_cmds[] = {
	{ MODE_CONFIG, "banner {motd|login|exec}$kind [LINE$text]",
	  "Define a login banner\nSet Message of the Day banner\n"
	  "Set login banner\nSet EXEC process creation banner\n"
	  "c  banner-text c, where 'c' is a delimiting character\n",
	  cmd_banner, 0 },
	{ .spec = NULL },
};

void
cli_banner_greet(const struct conf *c, struct term *t)
{
	static const int order[] = { CONF_BANNER_MOTD, CONF_BANNER_LOGIN,
				     CONF_BANNER_EXEC };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *b = c->banner[order[i]];
		size_t n;

		if (b == NULL)
			continue;
		n = strlen(b);
		term_printf(t, "\n%s%s", b, n > 0 && b[n - 1] == '\n' ? ""
								   : "\n");
	}
}
