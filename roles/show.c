/*
 * show: the list of the roles' show tables (roles/show.h), and the show
 * commands whose output spans roles: `show crypto gdoi` (key server
 * groups, then member groups), `show crypto gdoi rekey sa` and
 * `show crypto isakmp sa` (doc/ios-cli.md §5.2, §5.12, §5.14).
 */
#include "roles/show.h"

#include <string.h>

#include "platform/showout.h"
#include "roles/gm.h"
#include "roles/ks.h"

static int
show_gdoi(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *group = cmd_arg(a, "group");
	struct showout *o = ctx->show;

	showout_list(o, "key_server_groups");
	ks_show_gdoi(ctx->roles->ks, group, o);
	showout_end(o);
	showout_list(o, "group_member_groups");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next) {
		if (group != NULL && strcmp(group, gm->name) != 0)
			continue;
		showout_text(o, "GROUP INFORMATION\n\n");
		showout_obj(o, NULL);
		gm_group_show(gm, o);
		showout_end(o);
	}
	showout_end(o);
	return CMD_OK;
}

static const struct cmd_def show_cmds[] = {
	{ MODE_EXEC, "show crypto " SHOW_GDOI_KW " [group WORD$group]",
	  "\nEncryption module\n" SHOW_GDOI_HELP "Show a single group\n"
	  "Group name\n", show_gdoi, CMD_F_SHOW },
	{ .spec = NULL },
};

const struct cmd_def *const role_show_tables[] = {
	show_cmds,
	ks_show_cmds,
	gm_show_cmds,
	gm_rekey_show_cmds,
	acl_show_cmds,
	NULL,
};
