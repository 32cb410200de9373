/*
 * show: the operational show commands of the roles.  Each role declares
 * its commands in a table beside the state they print (roles/ks_show.c,
 * gm_show.c, gm_rekey_show.c, ...), as parser/ does for configuration:
 * a `struct cmd_def` with the flags CMD_F_SHOW | CMD_F_ROLES, whose
 * handler reads ctx->roles and fills ctx->show (platform/showout.h).  The CLI renders
 * what was filled as the IOS text, or as JSON for `| json`.  A new show
 * command is one table entry and one function (HACKING.md).
 */
#ifndef ROLES_SHOW_H
#define ROLES_SHOW_H

#include <stdint.h>

#include "parser/cmd.h"

struct conf;
struct gm_group;
struct ike;
struct ipsec_ctx;
struct ks;

/* What a show command reads: the roles of this process. */
struct show_roles {
	const struct conf *conf;
	const struct ks *ks;
	const struct gm_group *gm;	/* the member groups (gm_group_next) */
	const struct ike *ike;
	const struct ipsec_ctx *ipsec;
};

/* `gdoi` and its IOS-XE alias `gkm` in EXEC commands, with their help
 * (doc/ios-cli.md §2.12) */
#define GDOI_KW "{gdoi|gkm}"
#define GDOI_KW_HELP \
	"Configure GKM (Group Key Management, GDOI or G-IKEv2) Policy\n" \
	"Configure GKM (Group Key Management, GDOI or G-IKEv2) Policy\n"

/* One row of `show crypto isakmp sa` (state given) or of `show crypto gdoi
 * rekey sa` (state NULL) into the open list; addresses in network order. */
struct showout;
void show_sa_row(struct showout *o, uint32_t dst, uint32_t src,
		 const char *state, unsigned conn_id);

/* The three fixed lines of a GDOI (ISAKMP) group in show crypto gdoi,
 * key server and member alike: group type, crypto and key management
 * paths. */
void show_group_paths(struct showout *o);

/* A KEK SPI (16 octets) as the shows print it: "0x" and upper-case hex;
 * out holds SHOW_KEK_SPI_LEN. */
#define SHOW_KEK_SPI_LEN (2 * 16 + 3)
void show_kek_spi(const uint8_t *spi, char *out);

/* The tables, each beside its state; role_show_tables (roles/show_tables.c)
 * lists them all (NULL-terminated) for cli/env.c. */
extern const struct cmd_def ks_show_cmds[];
extern const struct cmd_def gm_show_cmds[];
extern const struct cmd_def gm_rekey_show_cmds[];
extern const struct cmd_def acl_show_cmds[];
extern const struct cmd_def gm_session_show_cmds[];
extern const struct cmd_def dataplane_show_cmds[];
extern const struct cmd_def ks_coop_show_cmds[];
extern const struct cmd_def *const role_show_tables[];

#endif
