/*
 * cmd_gdoi: operational GDOI actions (doc/ios-cli.md §2.12, §4.10): the
 * confirmation dialog of `clear crypto gdoi`, `clear crypto isakmp`,
 * manual rekeys, `debug crypto gdoi ...` mapped onto the log debug flags,
 * and packet capture.  The show
 * commands are declared by the roles beside their state (roles/show.h).
 */
#include "cli/cmd_gdoi.h"

#include <stdlib.h>
#include <string.h>

#include "cli/env.h"
#include "cli/session.h"
#include "platform/log.h"
#include "platform/term.h"
#include "roles/ike.h"
#include "roles/ks.h"
#include "roles/router.h"
#include "roles/show.h"

static struct router *
router_of(struct cmd_ctx *ctx)
{
	struct router *r = cli_session_env(ctx->session)->router;

	if (r == NULL)
		cmd_error(ctx, "GDOI is not running in this process");
	return r;
}

/* doc/ios-cli.md §4.10: the clear dialog, answered yes or y. */
static int
answer_clear(struct cli_session *s, const char *answer, struct term *out,
	     void *arg)
{
	struct router *r = cli_session_env(s)->router;
	char *group = arg;

	while (*answer == ' ')
		answer++;
	if (r != NULL && (strcmp(answer, "yes") == 0 ||
			  strcmp(answer, "y") == 0))
		router_clear(r, group);
	free(group);
	return 0;
}

static int
cmd_clear_gdoi(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *g = cmd_arg(a, "group");
	char *group = g ? strdup(g) : NULL;

	if (router_of(ctx) == NULL) {
		free(group);
		return CMD_WARNING;
	}
	term_puts(ctx->out, "% The Key Server and Group Member will destroy "
		  "created and downloaded policies.\n"
		  "% All Group Members are required to re-register.\n\n");
	cli_session_ask(ctx->session, "Are you sure you want to proceed ? "
			"[yes/no]: ", answer_clear, group);
	return CMD_OK;
}

static int
cmd_ks_rekey(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct router *r = router_of(ctx);
	char err[128];

	if (r == NULL)
		return CMD_WARNING;
	if (ks_rekey_now(router_ks(r), cmd_arg(a, "group"),
			 cmd_has(a, "replace-now"), err, sizeof(err)) < 0)
		return cmd_error(ctx, "%s", err);
	return CMD_OK;
}

static int
cmd_clear_ks_members(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct router *r = router_of(ctx);

	if (r == NULL)
		return CMD_WARNING;
	ks_clear_members(router_ks(r), cmd_has(a, "now"));
	return CMD_OK;
}

static int
cmd_clear_coop_role(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct router *r = router_of(ctx);

	if (r == NULL)
		return CMD_WARNING;
	ks_coop_reelect(router_ks(r));
	return CMD_OK;
}

static int
cmd_debug_gdoi(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *who = cmd_arg(a, "who");
	const char *level = cmd_arg(a, "level");
	bool on = !cmd_has(a, "no") && !cmd_has(a, "undebug");
	bool packet = level != NULL && (strcmp(level, "packet") == 0 ||
					strcmp(level, "all-levels") == 0);

	if (who == NULL || strcmp(who, "ks") == 0)
		log_debug_set(LOG_DBG_GDOI_KS, on);
	if (who == NULL || strcmp(who, "gm") == 0)
		log_debug_set(LOG_DBG_GDOI_GM, on);
	if (who == NULL || strcmp(who, "coop") == 0)
		log_debug_set(LOG_DBG_GDOI_COOP, on);
	if (packet || !on)
		log_debug_set(LOG_DBG_GDOI_PACKET, on && packet);
	term_printf(ctx->out, "GDOI %s debugging is %s\n",
		    who == NULL ? "all" : strcmp(who, "ks") == 0 ? "KS"
		    : strcmp(who, "gm") == 0 ? "GM" : "COOP", on ? "on" : "off");
	return CMD_OK;
}

/* Every ISAKMP SA goes, each established one with a Delete to its peer
 * (doc/cli.md "Clearing"): keys already installed stay. */
static int
cmd_clear_isakmp(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct router *r = router_of(ctx);

	if (r == NULL)
		return CMD_WARNING;
	ike_clear(router_ike(r));
	return CMD_OK;
}

static int
cmd_debug_isakmp(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	bool on = !cmd_has(a, "no") && !cmd_has(a, "undebug");

	log_debug_set(LOG_DBG_ISAKMP, on);
	term_printf(ctx->out, "Crypto ISAKMP debugging is %s\n", on ? "on" : "off");
	return CMD_OK;
}

static int
cmd_capture(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct router *r = router_of(ctx);
	const char *file = cmd_arg(a, "file");

	if (r == NULL)
		return CMD_WARNING;
	if (cmd_has(a, "no") || cmd_has(a, "stop")) {
		ike_capture(router_ike(r), NULL);
		return CMD_OK;
	}
	if (ike_capture(router_ike(r), file) < 0)
		return cmd_error(ctx, "Cannot create capture file %s", file);
	term_printf(ctx->out, "Capturing GDOI packets to %s\n", file);
	return CMD_OK;
}

#define LEVELS "[{all-levels|detail|error|event|packet|terse}$level]"
#define LEVELS_HELP "All levels\nDetail level\nError level\nEvent level\n" \
	"Packet level\nTerse level\n"

const struct cmd_def cli_gdoi_cmds[] = {
	{ MODE_EXEC, "clear crypto " GDOI_KW " [group WORD$group]",
	  "\nEncryption module\n" GDOI_KW_HELP
	  "Clear a single group\nGroup name\n",
	  cmd_clear_gdoi, 0 },
	{ MODE_EXEC, "clear crypto isakmp",
	  "\nEncryption module\nFlush the ISAKMP database\n",
	  cmd_clear_isakmp, 0 },
	{ MODE_EXEC, "crypto " GDOI_KW " ks rekey [group WORD$group] "
	  "[replace-now]",
	  "Encryption module\n" GDOI_KW_HELP "Key server\n"
	  "Send a rekey with new TEKs now\nRekey a single group\nGroup name\n"
	  "Cut the replaced TEKs short, as a policy change does\n",
	  cmd_ks_rekey, 0 },
	{ MODE_EXEC, "clear crypto " GDOI_KW " ks members [now]",
	  "\nEncryption module\n" GDOI_KW_HELP "Key server\n"
	  "Remove the group members (they register again)\n"
	  "Delete their keys at once by a rekey\n", cmd_clear_ks_members, 0 },
	{ MODE_EXEC, "clear crypto " GDOI_KW " ks cooperative role",
	  "\nEncryption module\n" GDOI_KW_HELP "Key server\n"
	  "Cooperative key servers\nElect the primary again\n",
	  cmd_clear_coop_role, 0 },
	{ MODE_EXEC, "[no|undebug] debug crypto " GDOI_KW " [{ks|gm|coop}$who] "
	  LEVELS,
	  "Negate a command\nDisable debugging functions\n"
	  "Debugging functions (see also 'undebug')\nCryptographic subsystem\n"
	  GDOI_KW_HELP "Key server\nGroup member\nCooperative key server\n"
	  LEVELS_HELP, cmd_debug_gdoi, 0 },
	{ MODE_EXEC, "[no|undebug] debug crypto isakmp",
	  "\n\n\n\nInternet Key Exchange\n", cmd_debug_isakmp, 0 },
	{ MODE_EXEC, "monitor capture " GDOI_KW " file WORD$file start",
	  "Monitoring different system events\nPacket capture\n" GDOI_KW_HELP
	  "Write the packets to a pcap file\nFile name\nStart capturing\n",
	  cmd_capture, 0 },
	{ MODE_EXEC, "[no] monitor capture " GDOI_KW " [stop]",
	  "Negate a command\n\n\n\n\nStop capturing\n", cmd_capture, 0 },
	{ .spec = NULL },
};
