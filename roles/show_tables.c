/*
 * show_tables: the list of the roles' show tables (roles/show.h), and the
 * show commands whose output spans roles: `show crypto gdoi` (key server
 * groups, then member groups), `show crypto gdoi rekey sa` and
 * `show crypto isakmp sa` (doc/ios-cli.md §5.2, §5.12, §5.14).
 */
#include "roles/show.h"

#include <string.h>

#include "platform/showout.h"
#include "roles/gm.h"
#include "roles/ike.h"
#include "roles/ks.h"

/* `detail` prints the blocks the plain form prints (doc/ios-cli.md §5.2):
 * ours are already complete. */
static int
show_gdoi(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *group = cmd_arg(a, "group");
	struct showout *o = ctx->show;

	showout_list(o, "key_server_groups");
	ks_show_gdoi(ctx->roles->ks, group, o);
	showout_end(o);
	showout_list(o, "group_member_groups");
	for (const struct gm_group *gm = ctx->roles->gm; gm;
	     gm = gm_group_next(gm)) {
		if (group != NULL && strcmp(group, gm_group_name(gm)) != 0)
			continue;
		showout_text(o, "GROUP INFORMATION\n\n");
		showout_obj(o, NULL);
		gm_group_show(gm, o);
		showout_end(o);
	}
	showout_end(o);
	return CMD_OK;
}

static int
show_rekey_sa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	bool detail = cmd_has(a, "detail");
	struct showout *o = ctx->show;

	if (!detail)
		showout_text(o, "GETVPN REKEY SA\n"
			     "dst             src             conn-id         "
			     "status\n");
	showout_list(o, detail ? "group_member_groups" : "rekey_sas");
	for (const struct gm_group *gm = ctx->roles->gm; gm;
	     gm = gm_group_next(gm))
		gm_group_show_rekey_sa(gm, detail, o);
	if (detail) {
		showout_end(o);
		showout_list(o, "key_server_groups");
	}
	ks_show_rekey_sa(ctx->roles->ks, detail, o);
	showout_end(o);
	return CMD_OK;
}

/* doc/cli.md "ISAKMP SAs in detail": the Phase 1 SAs only (a KEK is
 * not an ISAKMP SA with a suite). */
static int
show_isakmp_sa_detail(struct cmd_ctx *ctx)
{
	struct showout *o = ctx->show;

	showout_text(o, "Codes: C - IKE configuration mode, D - Dead Peer "
		     "Detection\n       K - Keepalives, N - NAT-traversal\n"
		     "       T - cTCP encapsulation, X - IKE Extended "
		     "Authentication\n       psk - Preshared key, rsig - RSA "
		     "signature\n       renc - RSA encryption\n"
		     "IPv4 Crypto ISAKMP SA\n\n"
		     "C-id  Local           Remote          I-VRF  Status Encr "
		     "Hash   Auth DH Lifetime Cap.\n\n");
	showout_list(o, "ipv4");
	ike_show_sa_detail(ctx->roles->ike, o);
	showout_end(o);
	showout_text(o, "IPv6 Crypto ISAKMP SA\n\n");
	showout_list(o, "ipv6");
	showout_end(o);
	return CMD_OK;
}

static int
show_isakmp_sa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct showout *o = ctx->show;

	if (cmd_has(a, "detail"))
		return show_isakmp_sa_detail(ctx);

	showout_text(o, "IPv4 Crypto ISAKMP SA\n"
		     "dst             src             state          conn-id "
		     "status\n");
	showout_list(o, "ipv4");
	for (const struct gm_group *gm = ctx->roles->gm; gm;
	     gm = gm_group_next(gm))
		gm_group_show_isakmp(gm, o);
	ks_show_isakmp(ctx->roles->ks, o);
	ike_show_sa_rows(ctx->roles->ike, o);
	showout_end(o);
	showout_text(o, "\nIPv6 Crypto ISAKMP SA\n\n");
	showout_list(o, "ipv6");
	showout_end(o);
	return CMD_OK;
}

static const struct cmd_def show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " [group WORD$group|detail]",
	  "\nEncryption module\n" GDOI_KW_HELP "Show a single group\n"
	  "Group name\nEvery group in full (the same blocks)\n", show_gdoi,
	  CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto " GDOI_KW " rekey sa [detail]",
	  "\n\n\n\nRekey information\nRekey (KEK) security associations\n"
	  "Detailed KEK SA information\n", show_rekey_sa,
	  CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto isakmp sa [detail]",
	  "\n\nInternet Key Exchange\nSecurity associations\n"
	  "Show ISAKMP SA in detail\n",
	  show_isakmp_sa, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};

const struct cmd_def *const role_show_tables[] = {
	show_cmds,
	ks_show_cmds,
	gm_show_cmds,
	gm_rekey_show_cmds,
	acl_show_cmds,
	gm_session_show_cmds,
	dataplane_show_cmds,
	ks_coop_show_cmds,
	NULL,
};
