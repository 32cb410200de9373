/*
 * acl_show: `show crypto gdoi ks acl` and `show crypto gdoi gm acl`
 * (doc/ios-cli.md §5.10): the ACLs a key server group hands out, and a
 * member's downloaded and local deny ACLs.
 */
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_cmap.h"
#include "parser/conf_gdoi.h"
#include "platform/showout.h"
#include "roles/gm.h"
#include "roles/show.h"

static void
show_entries(const struct conf *c, const char *name, struct showout *o)
{
	const struct conf_acl *acl = name[0] ? conf_acl_find(c->acls, name) : NULL;
	char line[256];

	for (const struct conf_acl_entry *e = acl ? acl->head : NULL; e;
	     e = e->next) {
		if (e->action == CONF_ACL_REMARK)
			continue;
		conf_acl_entry_format(acl, e, line, sizeof(line));
		showout_obj(o, NULL);
		showout_str(o, "acl", name, "   access-list %s  ", name);
		showout_str(o, "ace", line, "%s\n", line);
		showout_end(o);
	}
}

static void
ks_acl(const struct conf *c, struct showout *o)
{
	for (const struct conf_gdoi_group *g = conf_gdoi_group_first(c->gdoi);
	     g; g = conf_gdoi_group_next(g)) {
		if (!conf_gdoi_group_is_ks(g))
			continue;
		showout_obj(o, NULL);
		showout_str(o, "group_name", g->name, "Group Name: %s\n",
			    g->name);
		showout_text(o, " Configured ACL:\n");
		showout_list(o, "configured_acl");
		for (const struct conf_gdoi_sa *sa = g->server->sa_head; sa;
		     sa = sa->next)
			show_entries(c, sa->match_acl, o);
		showout_end(o);
		showout_text(o, "\n");
		showout_end(o);
	}
}

static void
gm_acl(const struct conf *c, const struct gm_group *gm, struct showout *o)
{
	const struct conf_cmap_entry *e = NULL;
	const char *name = gm_group_name(gm);
	const struct conf_cmap *m = conf_cmap_of_group(c->cmaps, name, &e);

	showout_obj(o, NULL);
	showout_str(o, "group_name", name, "Group Name: %s\n", name);
	gm_group_show_downloaded_acl(gm, o);
	showout_text(o, " ACL Configured Locally: \n");
	if (m != NULL && e->acl[0]) {
		showout_obj(o, "acl_configured_locally");
		showout_str(o, "map_name", m->name, "  Map Name: %s\n", m->name);
		showout_list(o, "aces");
		show_entries(c, e->acl, o);
		showout_end(o);
		showout_end(o);
	}
	showout_end(o);
}

static int
show_acl(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const struct show_roles *r = ctx->roles;

	showout_list(ctx->show, "groups");
	if (cmd_has(a, "ks"))
		ks_acl(r->conf, ctx->show);
	else
		for (const struct gm_group *gm = r->gm; gm;
		     gm = gm_group_next(gm))
			gm_acl(r->conf, gm, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

const struct cmd_def acl_show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " {ks|gm} acl",
	  "\n\n\n\nKey server\nGroup member\nAccess lists of the group\n",
	  show_acl, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
