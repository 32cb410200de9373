/*
 * show: the list of the roles' show tables (roles/show.h), and the show
 * commands whose output spans roles: `show crypto gdoi` (key server
 * groups, then member groups), `show crypto gdoi rekey sa` and
 * `show crypto isakmp sa` (doc/ios-cli.md §5.2, §5.12, §5.14), with the
 * pieces several roles print alike (SA rows, group paths, KEK SPIs).
 */
#include "roles/show.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "gdoi/policy.h"
#include "platform/showout.h"
#include "roles/gm.h"
#include "roles/ike.h"
#include "roles/ks.h"

void
show_sa_row(struct showout *o, uint32_t dst, uint32_t src, const char *state,
	    unsigned conn_id)
{
	char d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &dst, d, sizeof(d));
	inet_ntop(AF_INET, &src, s, sizeof(s));
	showout_obj(o, NULL);
	showout_str(o, "dst", d, "%-15s ", d);
	showout_str(o, "src", s, "%-15s ", s);
	if (state != NULL) {
		showout_str(o, "state", state, "%-14s ", state);
		showout_u64(o, "conn_id", conn_id, "%7u ", conn_id);
	} else {
		showout_u64(o, "conn_id", conn_id, "%-15u ", conn_id);
	}
	showout_str(o, "status", "ACTIVE", "%s\n", "ACTIVE");
	showout_end(o);
}

_Static_assert(SHOW_KEK_SPI_LEN == 2 * GDOI_KEK_SPI_LEN + 3,
	       "SHOW_KEK_SPI_LEN holds a KEK SPI in hex");

void
show_kek_spi(const uint8_t *spi, char *out)
{
	out += sprintf(out, "0x");
	for (size_t i = 0; i < GDOI_KEK_SPI_LEN; i++)
		out += sprintf(out, "%02X", spi[i]);
}

void
show_group_paths(struct showout *o)
{
	showout_str(o, "group_type", "GDOI (ISAKMP)",
		    "    Group Type               : %s\n", "GDOI (ISAKMP)");
	showout_str(o, "crypto_path", "ipv4",
		    "    Crypto Path              : %s\n", "ipv4");
	showout_str(o, "key_management_path", "ipv4",
		    "    Key Management Path      : %s\n", "ipv4");
}

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

static int
show_isakmp_sa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct showout *o = ctx->show;

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
	{ MODE_EXEC, "show crypto isakmp sa",
	  "\n\nInternet Key Exchange\nSecurity associations\n",
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
