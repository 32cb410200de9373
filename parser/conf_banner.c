/*
 * conf_banner: `banner motd|login|exec` texts in the running-config and
 * their NVGEN.  The text is kept as typed between the delimiters; the
 * command itself, which may read several lines, is the CLI's
 * (cli/cmd_banner.c).  IOS prints a banner with ^C as the delimiter:
 *
 *   banner motd ^C
 *   Authorised access only
 *   ^C
 */
#include "parser/conf_banner.h"

#include <stdlib.h>
#include <string.h>

#include "platform/term.h"

static const char *const kinds[CONF_BANNER_COUNT] = {
	[CONF_BANNER_MOTD] = "motd",
	[CONF_BANNER_LOGIN] = "login",
	[CONF_BANNER_EXEC] = "exec",
};

int
conf_banner_kind(const char *word)
{
	for (int i = 0; i < CONF_BANNER_COUNT; i++)
		if (strcmp(kinds[i], word) == 0)
			return i;
	return -1;
}

int
conf_banner_set(struct conf *c, int kind, const char *text)
{
	char *copy = NULL;

	if (kind < 0 || kind >= CONF_BANNER_COUNT)
		return -1;
	if (text != NULL && (copy = strdup(text)) == NULL)
		return -1;
	free(c->banner[kind]);
	c->banner[kind] = copy;
	conf_touch(c, CONF_AREA_OTHER, NULL);
	return 0;
}

void
conf_banners_free(struct conf *c)
{
	for (int i = 0; i < CONF_BANNER_COUNT; i++) {
		free(c->banner[i]);
		c->banner[i] = NULL;
	}
}

void
conf_banners_show(const struct conf *c, struct term *t)
{
	bool any = false;

	for (int i = 0; i < CONF_BANNER_COUNT; i++) {
		const char *b = c->banner[i];

		if (b == NULL)
			continue;
		term_printf(t, "banner %s ^C%s%s^C\n", kinds[i],
			    strchr(b, '\n') != NULL ? "\n" : "", b);
		any = true;
	}
	if (any)
		term_puts(t, "!\n");
}
