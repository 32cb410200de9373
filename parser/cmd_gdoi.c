/*
 * cmd_gdoi: `crypto gdoi group` / `crypto gkm group` and the commands of
 * the group mode, (config-gkm-group)#: identity, the group-member side
 * (server address, client ..., passive) and `server local`, which opens
 * the key-server mode handled in cmd_gdoi_ks.c (doc/ios-cli.md §2.1, §2.6).
 *
 * A group is either a key server (server local) or a group member
 * (server address ipv4): doc/design.md §1 and IOS refuse both on one group.
 * Handlers check everything before they touch the tree.
 */
#include "parser/conf_gdoi.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "platform/term.h"
#include "parser/conf.h"

/*
 * Helpers shared with cmd_gdoi_ks.c: the node of a mode on the session's
 * stack, or NULL when another session deleted it under us (the session
 * leaves such a mode on the next line; this is the belt to its braces).
 */
static struct conf_obj *
gdoi_live_node(struct cmd_ctx *ctx, enum cmd_mode m)
{
	struct conf_obj *o = cmd_node(ctx, m);

	return o != NULL && !o->dead ? o : NULL;
}

struct conf_gdoi_group *
conf_gdoi_ctx_group(struct cmd_ctx *ctx)
{
	return (struct conf_gdoi_group *)gdoi_live_node(ctx, MODE_GDOI_GROUP);
}

struct conf_gdoi_server *
conf_gdoi_ctx_server(struct cmd_ctx *ctx)
{
	return (struct conf_gdoi_server *)gdoi_live_node(ctx, MODE_GDOI_SERVER);
}

struct conf_gdoi_sa *
conf_gdoi_ctx_sa(struct cmd_ctx *ctx)
{
	return (struct conf_gdoi_sa *)gdoi_live_node(ctx, MODE_GDOI_SA);
}

struct conf_gdoi_coop *
conf_gdoi_ctx_coop(struct cmd_ctx *ctx)
{
	return (struct conf_gdoi_coop *)gdoi_live_node(ctx, MODE_GDOI_COOP);
}

void
conf_gdoi_touch(struct cmd_ctx *ctx)
{
	const struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);

	conf_touch(ctx->conf, CONF_AREA_GROUP, g != NULL ? g->name : NULL);
}

int
conf_gdoi_gone(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "The GDOI group has been removed.");
}

/*
 * An ACL reference: a number in one of two ranges (the engine matched it
 * already) or a name.  A name made only of digits is a number outside the
 * ranges, which IOS refuses too.
 */
int
conf_gdoi_check_acl(struct cmd_ctx *ctx, const char *acl, unsigned lo1,
		    unsigned hi1, unsigned lo2, unsigned hi2)
{
	const char *p;
	unsigned long n;

	for (p = acl; *p != '\0' && isdigit((unsigned char)*p); p++)
		;
	if (*acl == '\0' || *p != '\0')
		return conf_check_name(ctx, acl);
	n = strtoul(acl, NULL, 10);
	if ((n >= lo1 && n <= hi1) || (n >= lo2 && n <= hi2))
		return 0;
	cmd_error(ctx, "Invalid access list number %s: use %u-%u, %u-%u or a "
		  "name.", acl, lo1, hi1, lo2, hi2);
	return -1;
}

/*
 * The common end of a handler: set bit in *has for a positive line, clear
 * it for no/default, and record the change.
 */
int
conf_gdoi_mark(struct cmd_ctx *ctx, unsigned *has, unsigned bit)
{
	if (ctx->negate || ctx->dflt)
		*has &= ~bit;
	else
		*has |= bit;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* Copy a name argument after conf_check_name() accepted it. */
static void
gdoi_set_name(char *dst, const char *src)
{
	snprintf(dst, CONF_NAME_MAX, "%s", src);
}

/*
 * crypto {gdoi|gkm} group [ipv6] NAME
 */
static int
gdoi_do_group(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi *gdoi = ctx->conf->gdoi;
	const char *name = cmd_arg(a, "name");
	const char *kw = cmd_arg(a, "kw");
	bool v6 = cmd_has(a, "ipv6");
	struct conf_gdoi_group *g;

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	g = conf_gdoi_group_lookup(gdoi, name);
	if (ctx->negate || ctx->dflt) {
		/* doc/ios-cli.md §4.10: removing a key server group is asked
		 * about (its policy and member database go with it) */
		if (g != NULL && conf_gdoi_group_is_ks(g) &&
		    ctx->confirm != NULL && !ctx->confirmed) {
			term_printf(ctx->out, "%% Group %s is a key server "
				    "group: its policy and its group members "
				    "will be removed.\n", name);
			ctx->confirm(ctx, "Do you want to continue? [yes/no]: ");
			return CMD_OK;
		}
		if (g != NULL) {
			conf_gdoi_group_del(gdoi, g);
			conf_touch(ctx->conf, CONF_AREA_GROUP, name);
		}
		return CMD_OK;
	}
	if (g != NULL && g->ipv6 != v6)
		return cmd_error(ctx, "Group %s is an %s group.", name,
				 g->ipv6 ? "IPv6" : "IPv4");
	if (g == NULL) {
		if (conf_check_name(ctx, name) < 0)
			return CMD_WARNING;
		g = conf_gdoi_group_add(gdoi, name);
		if (g == NULL)
			return cmd_error(ctx, "Out of memory.");
		g->keyword = kw != NULL && strcmp(kw, "gkm") == 0 ?
			CONF_GDOI_KW_GKM : CONF_GDOI_KW_GDOI;
		g->ipv6 = v6;
		conf_touch(ctx->conf, CONF_AREA_GROUP, name);
	}
	cmd_enter(ctx, MODE_GDOI_GROUP, &g->obj);
	return CMD_OK;
}

/*
 * identity {number N | address ipv4 A.B.C.D}: one identity per group.
 */
static int
gdoi_do_identity(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	const unsigned both = CONF_GDOI_GRP_HAS_ID_NUMBER |
			      CONF_GDOI_GRP_HAS_ID_ADDRESS;
	uint32_t addr;

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		g->has &= ~both;
		g->identity_number = 0;
		g->identity_address = 0;
	} else if (cmd_has(a, "num")) {
		g->has = (g->has & ~both) | CONF_GDOI_GRP_HAS_ID_NUMBER;
		g->identity_number = cmd_arg_u32(a, "num", 0);
		g->identity_address = 0;
	} else if (cmd_arg_ip4(a, "addr", &addr) == 0) {
		g->has = (g->has & ~both) | CONF_GDOI_GRP_HAS_ID_ADDRESS;
		g->identity_address = addr;
		g->identity_number = 0;
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/*
 * server local: create (or re-open) the key-server part.
 */
static int
gdoi_do_server_local(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	struct conf_gdoi_server *s;

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		if (g->server != NULL) {
			conf_gdoi_server_del(g);
			conf_gdoi_touch(ctx);
		}
		return CMD_OK;
	}
	if (g->n_servers > 0)
		return cmd_error(ctx, "Group %s is configured as a group member "
				 "(server address); a group cannot be both a key "
				 "server and a group member.", g->name);
	s = g->server;
	if (s == NULL) {
		s = conf_gdoi_server_add(g);
		if (s == NULL)
			return cmd_error(ctx, "Out of memory.");
		conf_gdoi_touch(ctx);
	}
	cmd_enter(ctx, MODE_GDOI_SERVER, &s->obj);
	return CMD_OK;
}

static int
gdoi_server_index(const struct conf_gdoi_group *g, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < g->n_servers; i++)
		if (g->servers[i] == addr)
			return (int)i;
	return -1;
}

/* no server address [ipv4 A.B.C.D]: one address, or all of them. */
static int
gdoi_no_server_address(struct cmd_ctx *ctx, const struct cmd_args *a,
		       struct conf_gdoi_group *g)
{
	uint32_t addr;
	int i;

	if (cmd_has(a, "ipv6"))
		return CMD_OK;		/* never stored: nothing to remove */
	if (cmd_arg_ip4(a, "addr", &addr) < 0) {
		if (g->n_servers > 0) {
			g->n_servers = 0;
			conf_gdoi_touch(ctx);
		}
		return CMD_OK;
	}
	i = gdoi_server_index(g, addr);
	if (i < 0)
		return CMD_OK;
	memmove(&g->servers[i], &g->servers[i + 1],
		(g->n_servers - (unsigned)i - 1) * sizeof(g->servers[0]));
	g->n_servers--;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/*
 * server address ipv4 A.B.C.D: the GM's key servers, in preference order.
 */
static int
gdoi_do_server_address(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	uint32_t addr;

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt)
		return gdoi_no_server_address(ctx, a, g);
	if (cmd_has(a, "ipv6"))
		return cmd_error(ctx, "IPv6 key server addresses are not "
				 "supported; use server address ipv4.");
	if (cmd_arg_ip4(a, "addr", &addr) < 0)
		return CMD_ERR_INCOMPLETE;
	if (g->server != NULL)
		return cmd_error(ctx, "Group %s is configured as a key server "
				 "(server local); a group cannot be both a key "
				 "server and a group member.", g->name);
	if (gdoi_server_index(g, addr) >= 0)
		return CMD_OK;		/* already listed: keep its place */
	if (g->n_servers >= CONF_GDOI_MAX_SERVERS)
		return cmd_error(ctx, "A group can have at most %d key server "
				 "addresses.", CONF_GDOI_MAX_SERVERS);
	g->servers[g->n_servers++] = addr;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* client registration interface IFNAME */
static int
gdoi_do_client_reg(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	const char *ifname = cmd_arg(a, "ifname");

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		g->has &= ~(unsigned)CONF_GDOI_GRP_HAS_CLIENT_REG_IF;
		g->client_reg_if[0] = '\0';
	} else {
		if (ifname == NULL)
			return CMD_ERR_INCOMPLETE;
		if (conf_check_name(ctx, ifname) < 0)
			return CMD_WARNING;
		gdoi_set_name(g->client_reg_if, ifname);
		g->has |= CONF_GDOI_GRP_HAS_CLIENT_REG_IF;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/*
 * client rekey encryption C [C ...]: every token (and the AES key size
 * after `aes`) is bound under "c", in line order.
 */
static int
gdoi_do_client_ciphers(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	enum conf_gdoi_cipher list[CONF_GDOI_MAX_CIPHERS], c;
	unsigned i, j, n = 0, cnt = cmd_arg_count(a, "c");

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		g->has &= ~(unsigned)CONF_GDOI_GRP_HAS_CLIENT_CIPHERS;
		g->n_client_ciphers = 0;
		conf_gdoi_touch(ctx);
		return CMD_OK;
	}
	for (i = 0; i < cnt; i++) {
		const char *w = cmd_arg_nth(a, "c", i);
		const char *bits = NULL;

		if (strcmp(w, "aes") == 0 && i + 1 < cnt)
			bits = cmd_arg_nth(a, "c", ++i);
		if (conf_gdoi_cipher_parse(w, bits, &c) < 0)
			return CMD_ERR_INCOMPLETE;
		for (j = 0; j < n && list[j] != c; j++)
			;
		if (j == n && n < CONF_GDOI_MAX_CIPHERS)
			list[n++] = c;
	}
	if (n == 0)
		return CMD_ERR_INCOMPLETE;
	memcpy(g->client_ciphers, list, n * sizeof(list[0]));
	g->n_client_ciphers = n;
	g->has |= CONF_GDOI_GRP_HAS_CLIENT_CIPHERS;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* client rekey hash H [H ...] */
static int
gdoi_do_client_hashes(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	enum conf_gdoi_hash list[CONF_GDOI_MAX_HASHES], h;
	unsigned i, j, n = 0, cnt = cmd_arg_count(a, "h");

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		g->has &= ~(unsigned)CONF_GDOI_GRP_HAS_CLIENT_HASHES;
		g->n_client_hashes = 0;
		conf_gdoi_touch(ctx);
		return CMD_OK;
	}
	for (i = 0; i < cnt; i++) {
		if (conf_gdoi_hash_parse(cmd_arg_nth(a, "h", i), &h) < 0)
			return CMD_ERR_INCOMPLETE;
		for (j = 0; j < n && list[j] != h; j++)
			;
		if (j == n && n < CONF_GDOI_MAX_HASHES)
			list[n++] = h;
	}
	if (n == 0)
		return CMD_ERR_INCOMPLETE;
	memcpy(g->client_hashes, list, n * sizeof(list[0]));
	g->n_client_hashes = n;
	g->has |= CONF_GDOI_GRP_HAS_CLIENT_HASHES;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* client transform-sets NAME [NAME ...] (names may be defined later) */
static int
gdoi_do_client_tsets(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	unsigned i, n = cmd_arg_count(a, "ts");

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		g->has &= ~(unsigned)CONF_GDOI_GRP_HAS_CLIENT_TSETS;
		g->n_client_tsets = 0;
		conf_gdoi_touch(ctx);
		return CMD_OK;
	}
	if (n == 0)
		return CMD_ERR_INCOMPLETE;
	if (n > CONF_GDOI_MAX_TSETS)
		n = CONF_GDOI_MAX_TSETS;
	for (i = 0; i < n; i++)
		if (conf_check_name(ctx, cmd_arg_nth(a, "ts", i)) < 0)
			return CMD_WARNING;
	for (i = 0; i < n; i++)
		gdoi_set_name(g->client_tsets[i], cmd_arg_nth(a, "ts", i));
	g->n_client_tsets = n;
	g->has |= CONF_GDOI_GRP_HAS_CLIENT_TSETS;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* client protocol {gdoi | gikev2 PROFILE} */
static int
gdoi_do_client_proto(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);
	const char *prof = cmd_arg(a, "prof");

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		g->has &= ~(unsigned)CONF_GDOI_GRP_HAS_CLIENT_PROTO;
		g->client_proto = CONF_GDOI_PROTO_GDOI;
		g->client_gikev2_profile[0] = '\0';
	} else if (cmd_has(a, "gikev2")) {
		if (prof == NULL)
			return CMD_ERR_INCOMPLETE;
		if (conf_check_name(ctx, prof) < 0)
			return CMD_WARNING;
		g->client_proto = CONF_GDOI_PROTO_GIKEV2;
		gdoi_set_name(g->client_gikev2_profile, prof);
		g->has |= CONF_GDOI_GRP_HAS_CLIENT_PROTO;
	} else {
		g->client_proto = CONF_GDOI_PROTO_GDOI;
		g->client_gikev2_profile[0] = '\0';
		g->has |= CONF_GDOI_GRP_HAS_CLIENT_PROTO;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* On/off group lines: the has-bit is the whole state. */
static int
gdoi_group_flag(struct cmd_ctx *ctx, unsigned bit)
{
	struct conf_gdoi_group *g = conf_gdoi_ctx_group(ctx);

	if (g == NULL)
		return conf_gdoi_gone(ctx);
	return conf_gdoi_mark(ctx, &g->has, bit);
}

static int
gdoi_do_bypass(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_group_flag(ctx, CONF_GDOI_GRP_HAS_BYPASS);
}

static int
gdoi_do_fc_revert(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_group_flag(ctx, CONF_GDOI_GRP_HAS_FC_REVERT);
}

static int
gdoi_do_passive(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_group_flag(ctx, CONF_GDOI_GRP_HAS_PASSIVE);
}

/*
 * Specs and help strings (doc/ios-cli.md §2.1, §2.6: the YANG descriptions).
 * A client cipher is `3des-cbc`, `des-cbc` or `aes 128|192|256`; up to
 * five of them, all bound under "c" so the handler reads them in order.
 */
#define GDOI_CIPHER \
	"{3des-cbc$c | aes$c {128$c | 192$c | 256$c} | des-cbc$c}"
#define GDOI_CIPHER_HELP \
	"Triple DES in CBC mode\n" \
	"aes encryption methods\n" \
	"128 bit AES\n" \
	"192 bit AES\n" \
	"256 bit AES\n" \
	"DES in CBC mode\n"
#define GDOI_HASH "{sha$h | sha256$h | sha384$h | sha512$h}"
#define GDOI_HASH_HELP \
	"Secure Hash Standard\n" \
	"Secure Hash Standard 2 (256 bit)\n" \
	"Secure Hash Standard 2 (384 bit)\n" \
	"Secure Hash Standard 2 (512 bit)\n"
#define GDOI_TSET_HELP "Transform set name\n"

const struct cmd_def conf_gdoi_cmds[] = {
	{ MODE_CONFIG, "crypto {gdoi | gkm}$kw group [ipv6] WORD$name",
	  "Encryption module\n"
	  "Configure GKM (Group Key Management, GDOI or G-IKEv2) Policy\n"
	  "Configure GKM (Group Key Management, GDOI or G-IKEv2) Policy\n"
	  "Configure a GKM (Group Key Management, GDOI or G-IKEv2) Group\n"
	  "IPv6 GKM (Group Key Management) Group\n"
	  "Group name\n",
	  gdoi_do_group, 0 },
	{ MODE_GDOI_GROUP,
	  "identity {number <0-4294967295>$num | address ipv4 A.B.C.D$addr}",
	  "Set the identity of the group\n"
	  "Set the identity of the group as a number\n"
	  "Group identity number\n"
	  "Set the identity of the group as an address\n"
	  "Set the identity of the group as an IPv4 address\n"
	  "Group identity IPv4 address\n",
	  gdoi_do_identity, 0 },
	{ MODE_GDOI_GROUP, "server local",
	  "Set the group server for of the group\n"
	  "Configure GKM group server defined locally\n",
	  gdoi_do_server_local, 0 },
	{ MODE_GDOI_GROUP,
	  "server address {ipv4 A.B.C.D$addr | ipv6 WORD$addr6}",
	  "\n"
	  "Identify the group server by address\n"
	  "Set the IPv4 address of the group server\n"
	  "IPv4 address of the group server\n"
	  "Set the IPv6 address of the group server\n"
	  "IPv6 address of the group server\n",
	  gdoi_do_server_address, 0 },
	{ MODE_GDOI_GROUP, "client registration interface WORD$ifname",
	  "Set the group client parameters\n"
	  "Set the group client management/register interface\n"
	  "Interface used for registration\n"
	  "Interface name\n",
	  gdoi_do_client_reg, 0 },
	{ MODE_GDOI_GROUP,
	  "client rekey encryption " GDOI_CIPHER " [" GDOI_CIPHER " ["
	  GDOI_CIPHER " [" GDOI_CIPHER " [" GDOI_CIPHER "]]]]",
	  "\n"
	  "Set the group client rekey parameters\n"
	  "Set the group client acceptable rekey ciphers\n"
	  GDOI_CIPHER_HELP GDOI_CIPHER_HELP GDOI_CIPHER_HELP
	  GDOI_CIPHER_HELP GDOI_CIPHER_HELP,
	  gdoi_do_client_ciphers, 0 },
	{ MODE_GDOI_GROUP,
	  "client rekey hash " GDOI_HASH " [" GDOI_HASH " [" GDOI_HASH " ["
	  GDOI_HASH "]]]",
	  "\n"
	  "\n"
	  "Set the group client acceptable rekey hash\n"
	  GDOI_HASH_HELP GDOI_HASH_HELP GDOI_HASH_HELP GDOI_HASH_HELP,
	  gdoi_do_client_hashes, 0 },
	{ MODE_GDOI_GROUP,
	  "client transform-sets WORD$ts [WORD$ts [WORD$ts [WORD$ts "
	  "[WORD$ts [WORD$ts]]]]]",
	  "\n"
	  "Specify list of group client acceptable transform sets\n"
	  GDOI_TSET_HELP GDOI_TSET_HELP GDOI_TSET_HELP
	  GDOI_TSET_HELP GDOI_TSET_HELP GDOI_TSET_HELP,
	  gdoi_do_client_tsets, 0 },
	{ MODE_GDOI_GROUP, "client bypass-policy",
	  "\n"
	  "Allow group-key management traffic sent to this GM only\n",
	  gdoi_do_bypass, 0 },
	{ MODE_GDOI_GROUP, "client fail-close revert",
	  "\n"
	  "Enable/Disable Fail-Close revert feature on GM\n"
	  "Revert to Fail-Close policy in case of Registration Failure\n",
	  gdoi_do_fc_revert, 0 },
	{ MODE_GDOI_GROUP, "client protocol {gdoi | gikev2 WORD$prof}",
	  "\n"
	  "Group Member Registration & Rekey Protocol\n"
	  "GDOI (ISAKMP) Protocol for Registration & Rekey\n"
	  "G-IKEv2 (IKEv2) Protocol for Registration & Rekey\n"
	  "IKEv2 profile name\n",
	  gdoi_do_client_proto, 0 },
	{ MODE_GDOI_GROUP, "passive",
	  "Set the group in passive mode\n",
	  gdoi_do_passive, 0 },
	{ 0, NULL, NULL, NULL, 0 },
};
