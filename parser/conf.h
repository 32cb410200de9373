/*
 * conf: the running-config tree, the single source of truth.
 *
 * The root holds global scalars (hostname, logging) and one area per
 * family of commands; each area is a module of its own (conf_acl.c,
 * conf_isakmp.c, conf_ipsec.c, conf_if.c, conf_cmap.c, conf_gdoi.c) with
 * typed nodes, the config commands that edit them and their NVGEN.
 *
 * Handlers are atomic: they check everything before they change anything,
 * so a rejected line never leaves the tree half-changed.  Forward
 * references are allowed, as on IOS.
 *
 * `show running-config` is conf_show(): a pure walk of the tree in IOS
 * canonical order, defaults hidden, one-space indents, `!` separators.
 */
#ifndef PARSER_CONF_H
#define PARSER_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/cmd.h"
#include "parser/conf_change.h"

struct term;
struct conf_isakmp;
struct conf_ipsec;
struct conf_acls;
struct conf_ifs;
struct conf_cmaps;
struct conf_gdoi;
struct conf_pki;
struct conf_aaa;
struct conf_keyrings;
struct conf_pwenc;

#define CONF_HOSTNAME_MAX 64
#define CONF_NAME_MAX 64	/* names of groups, ACLs, maps, profiles ... */

enum { CONF_BANNER_MOTD, CONF_BANNER_LOGIN, CONF_BANNER_EXEC,
       CONF_BANNER_COUNT };

struct conf {
	char hostname[CONF_HOSTNAME_MAX];	/* "Router" by default */
	char domain[CONF_NAME_MAX];		/* ip domain name */
	struct conf_isakmp *isakmp;
	struct conf_ipsec *ipsec;
	struct conf_acls *acls;
	struct conf_ifs *ifs;
	struct conf_cmaps *cmaps;
	struct conf_gdoi *gdoi;
	struct conf_pki *pki;
	struct conf_aaa *aaa;		/* users, enable secret, line vty */
	struct conf_keyrings *keyrings;	/* crypto keyring */
	struct conf_pwenc *pwenc;	/* master key, password encryption */
	char *banner[CONF_BANNER_COUNT];	/* banner texts; NULL = none */
	/* logging buffered [size] [level]; logging console */
	size_t log_buffer_size;		/* 0 = not configured */
	int log_buffer_sev;
	bool log_console_off;
	unsigned long edits;		/* accepted changes since start */
	struct conf_changes changes;	/* since the last commit */
};

struct conf *conf_new(void);
void conf_free(struct conf *c);

/* show running-config body (from the first line to "end"). */
void conf_show(const struct conf *c, struct term *t);

/* Every config command table, NULL-terminated (for cmd_engine_new). */
extern const struct cmd_def *const conf_cmd_tables[];
/* Pasted IOS lines getvpn ignores or refuses (cmd_ios.c). */
extern const struct cmd_def conf_ios_cmds[];

/* parser/conf_edit.c: record an accepted change to node name of area
 * (handlers call this after editing; name NULL when the area's node is
 * not known). */
void conf_touch(struct conf *c, enum conf_area area, const char *name);

/* Validate a config name token (no control characters, <= CONF_NAME_MAX-1
 * bytes); prints the IOS error and returns -1 if bad. */
int conf_check_name(struct cmd_ctx *ctx, const char *name);

#endif
