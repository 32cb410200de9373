/*
 * conf_edit: what every configuration handler uses to edit the tree
 * (parser/conf.h): an accepted edit counted and marked for the incremental
 * commit (parser/conf_change.h), and the check of a name it is given.
 */
#include "parser/conf.h"

#include <ctype.h>
#include <string.h>

void
conf_touch(struct conf *c, enum conf_area area, const char *name)
{
	c->edits++;
	conf_changes_mark(&c->changes, area, name);
}

int
conf_check_name(struct cmd_ctx *ctx, const char *name)
{
	if (strlen(name) >= CONF_NAME_MAX) {
		cmd_error(ctx, "Name too long (max %d characters)",
			  CONF_NAME_MAX - 1);
		return -1;
	}
	for (const char *p = name; *p; p++) {
		if (iscntrl((unsigned char)*p)) {
			cmd_error(ctx, "Name contains illegal characters");
			return -1;
		}
	}
	return 0;
}
