/*
 * cmd_cmap: the GDOI crypto map commands (doc/ios-cli.md §2.1, §2.10):
 *   crypto map [ipv6] NAME N gdoi         -> (config-crypto-map)#
 *     set group / match address / description / qos pre-classify /
 *     set isakmp-profile
 *   crypto map NAME gdoi fail-close       -> (crypto-map-fail-close)#
 *     activate / match address
 *   crypto map NAME local-address IFNAME
 *
 * The three IPv4 forms are one spec so that `no crypto map NAME` (the
 * whole map) names exactly one command.  A map applied to an interface
 * cannot lose its entries: IOS refuses with the interface list.
 */
#include "parser/conf_cmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_if.h"
#include "platform/term.h"

#define CMAP_HELP "Encryption module\nEnter a crypto map\n"

static struct conf_obj *
cmap_live_node(struct cmd_ctx *ctx, enum cmd_mode m)
{
	struct conf_obj *o = cmd_node(ctx, m);

	return o != NULL && !o->dead ? o : NULL;
}

static int
cmap_gone(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "The crypto map entry has been removed.");
}

/* Refuse to take entries away from a map an interface uses. */
static int
cmap_check_unused(struct cmd_ctx *ctx, const struct conf_cmap *m)
{
	char ifs[256];

	if (conf_ifs_using_cmap(ctx->conf->ifs, m->name, ifs, sizeof(ifs)) == 0)
		return 0;
	return cmd_error(ctx, "Crypto-map %s is in use by interface(s): %s",
			 m->name, ifs);
}

/*
 * crypto map [ipv6] NAME N gdoi
 */
static int
cmap_entry_remove(struct cmd_ctx *ctx, struct conf_cmap *m, uint16_t seq)
{
	struct conf_cmap_entry *e;
	int rc;

	e = m ? conf_cmap_entry_lookup(m, seq) : NULL;
	if (e == NULL)
		return CMD_OK;
	if ((rc = cmap_check_unused(ctx, m)) != 0)
		return rc;
	conf_cmap_entry_del(m, e);
	conf_cmap_del_if_empty(ctx->conf->cmaps, m);
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
cmap_entry(struct cmd_ctx *ctx, const char *name, uint16_t seq, bool ipv6)
{
	struct conf_cmaps *cmaps = ctx->conf->cmaps;
	struct conf_cmap *m = conf_cmap_lookup(cmaps, name);
	struct conf_cmap_entry *e;
	bool new_map = m == NULL;

	if (ctx->negate)
		return cmap_entry_remove(ctx, m, seq);
	if (conf_check_name(ctx, name) < 0)
		return CMD_WARNING;
	if (m != NULL && m->ipv6 != ipv6)
		return cmd_error(ctx, "Crypto map %s is an IPv%c crypto map.",
				 name, m->ipv6 ? '6' : '4');
	e = m ? conf_cmap_entry_lookup(m, seq) : NULL;
	if (e == NULL) {
		if (new_map && (m = conf_cmap_add(cmaps, name, ipv6)) == NULL)
			return cmd_error(ctx, "Out of memory");
		if ((e = conf_cmap_entry_add(m, seq)) == NULL) {
			if (new_map)
				conf_cmap_del(cmaps, m);
			return cmd_error(ctx, "Out of memory");
		}
		conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
		/* A new entry has no group yet: it stays disabled until set. */
		if (ctx->interactive && e->group[0] == '\0')
			term_printf(ctx->out, "%% NOTE: This new crypto map will "
				    "remain disabled until a valid\n"
				    "\tgroup has been configured.\n");
	}
	cmd_enter(ctx, MODE_CRYPTO_MAP, &e->obj);
	return CMD_OK;
}

/*
 * crypto map NAME gdoi fail-close / crypto map NAME local-address IF
 */
static int
cmap_fail_close(struct cmd_ctx *ctx, const char *name)
{
	struct conf_cmaps *cmaps = ctx->conf->cmaps;
	struct conf_cmap *m = conf_cmap_lookup(cmaps, name);
	bool new_map = m == NULL;

	if (ctx->negate) {
		if (m != NULL && m->fc != NULL) {
			conf_cmap_fc_del(m);
			conf_cmap_del_if_empty(cmaps, m);
			conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
		}
		return CMD_OK;
	}
	if (conf_check_name(ctx, name) < 0)
		return CMD_WARNING;
	if (new_map && (m = conf_cmap_add(cmaps, name, false)) == NULL)
		return cmd_error(ctx, "Out of memory");
	if (m->fc == NULL) {
		if (conf_cmap_fc_add(m) == NULL) {
			if (new_map)
				conf_cmap_del(cmaps, m);
			return cmd_error(ctx, "Out of memory");
		}
		conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	}
	cmd_enter(ctx, MODE_CRYPTO_MAP_FC, &m->fc->obj);
	return CMD_OK;
}

static int
cmap_local_address(struct cmd_ctx *ctx, const char *name, const char *ifname)
{
	struct conf_cmaps *cmaps = ctx->conf->cmaps;
	struct conf_cmap *m = conf_cmap_lookup(cmaps, name);

	if (ctx->negate) {
		if (m != NULL && m->local_if[0] != '\0') {
			m->local_if[0] = '\0';
			conf_cmap_del_if_empty(cmaps, m);
			conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
		}
		return CMD_OK;
	}
	if (ifname == NULL)
		return CMD_ERR_INCOMPLETE;
	if (conf_check_name(ctx, name) < 0 || conf_check_name(ctx, ifname) < 0)
		return CMD_WARNING;
	if (m == NULL && (m = conf_cmap_add(cmaps, name, false)) == NULL)
		return cmd_error(ctx, "Out of memory");
	snprintf(m->local_if, sizeof(m->local_if), "%s", ifname);
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

/* `no crypto map NAME`: the whole map. */
static int
cmap_remove(struct cmd_ctx *ctx, const char *name)
{
	struct conf_cmap *m = conf_cmap_lookup(ctx->conf->cmaps, name);
	int rc;

	if (m == NULL)
		return CMD_OK;
	if (m->head != NULL && (rc = cmap_check_unused(ctx, m)) != 0)
		return rc;
	conf_cmap_del(ctx->conf->cmaps, m);
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
cmap_global(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	if (cmd_has(a, "seq")) {
		if (!ctx->negate && !cmd_has(a, "gdoi"))
			return CMD_ERR_INCOMPLETE;
		return cmap_entry(ctx, name, (uint16_t)cmd_arg_u32(a, "seq", 1),
				  cmd_has(a, "ipv6"));
	}
	if (cmd_has(a, "gdoi"))
		return cmap_fail_close(ctx, name);
	if (cmd_has(a, "local-address"))
		return cmap_local_address(ctx, name, cmd_arg(a, "lif"));
	if (!ctx->negate)
		return CMD_ERR_INCOMPLETE;
	return cmap_remove(ctx, name);
}

/*
 * (config-crypto-map)#
 */
static struct conf_cmap_entry *
cmap_ctx_entry(struct cmd_ctx *ctx)
{
	return (struct conf_cmap_entry *)cmap_live_node(ctx, MODE_CRYPTO_MAP);
}

static int
cmap_set_group(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_entry *e = cmap_ctx_entry(ctx);
	const char *name = cmd_arg(a, "group");
	const struct conf_gdoi_group *g;

	if (e == NULL)
		return cmap_gone(ctx);
	if (ctx->negate) {
		e->group[0] = '\0';
		conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
		return CMD_OK;
	}
	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	g = conf_gdoi_group_find(ctx->conf->gdoi, name);
	if (g == NULL)
		return cmd_error(ctx, "group %s doesn't yet exist.", name);
	/* The entry is live, so its map is: a map deletion kills entries. */
	if (g->ipv6 != e->map->ipv6)
		return cmd_error(ctx, "Group %s is an IPv%c group and Crypto map "
				 "is for IPv%c. Please set an IPv%c group.",
				 name, g->ipv6 ? '6' : '4', e->map->ipv6 ? '6' : '4',
				 e->map->ipv6 ? '6' : '4');
	snprintf(e->group, sizeof(e->group), "%s", name);
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

/* Set or clear one of the entry's name fields. */
static int
cmap_entry_name(struct cmd_ctx *ctx, char *field, const char *value)
{
	if (ctx->negate) {
		field[0] = '\0';
	} else {
		if (value == NULL)
			return CMD_ERR_INCOMPLETE;
		if (conf_check_name(ctx, value) < 0)
			return CMD_WARNING;
		snprintf(field, CONF_NAME_MAX, "%s", value);
	}
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
cmap_match(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_entry *e = cmap_ctx_entry(ctx);

	if (e == NULL)
		return cmap_gone(ctx);
	return cmap_entry_name(ctx, e->acl, cmd_arg(a, "acl"));
}

static int
cmap_isakmp_profile(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_entry *e = cmap_ctx_entry(ctx);

	if (e == NULL)
		return cmap_gone(ctx);
	return cmap_entry_name(ctx, e->isakmp_profile, cmd_arg(a, "prof"));
}

static int
cmap_description(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_entry *e = cmap_ctx_entry(ctx);
	const char *text = cmd_arg(a, "text");
	char *d = NULL;

	if (e == NULL)
		return cmap_gone(ctx);
	if (!ctx->negate) {
		if (text == NULL)
			return CMD_ERR_INCOMPLETE;
		if (strlen(text) > CONF_CMAP_DESC_MAX)
			return cmd_error(ctx, "Description too long (max %d "
					 "characters)", CONF_CMAP_DESC_MAX);
		if ((d = strdup(text)) == NULL)
			return cmd_error(ctx, "Out of memory");
	}
	free(e->description);
	e->description = d;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
cmap_qos(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_entry *e = cmap_ctx_entry(ctx);

	if (e == NULL)
		return cmap_gone(ctx);
	e->qos_preclassify = !ctx->negate;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

/*
 * (crypto-map-fail-close)#
 */
static struct conf_cmap_fc *
cmap_ctx_fc(struct cmd_ctx *ctx)
{
	return (struct conf_cmap_fc *)cmap_live_node(ctx, MODE_CRYPTO_MAP_FC);
}

static int
cmap_fc_activate(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_fc *fc = cmap_ctx_fc(ctx);

	if (fc == NULL)
		return cmap_gone(ctx);
	fc->activate = !ctx->negate;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
cmap_fc_match(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_cmap_fc *fc = cmap_ctx_fc(ctx);

	if (fc == NULL)
		return cmap_gone(ctx);
	return cmap_entry_name(ctx, fc->acl, cmd_arg(a, "acl"));
}

const struct cmd_def conf_cmap_cmds[] = {
	{ MODE_CONFIG, "crypto map WORD$name {<1-65535>$seq gdoi|"
	  "gdoi fail-close|local-address WORD$lif}",
	  CMAP_HELP "Crypto map tag\n"
	  "Sequence to insert into crypto map entry\n"
	  "configure GDOI map\n"
	  "configure GDOI map\n"
	  "Configure crypto map on Fail Close mode\n"
	  "Interface to use for local address for this crypto map\n"
	  "Interface name\n",
	  cmap_global, 0 },
	{ MODE_CONFIG, "crypto map ipv6 WORD$name <1-65535>$seq gdoi",
	  CMAP_HELP "IPv6 crypto map\nCrypto map tag\n"
	  "Sequence to insert into crypto map entry\n"
	  "configure GDOI map\n",
	  cmap_global, 0 },
	/* (config-crypto-map)# */
	{ MODE_CRYPTO_MAP, "set group WORD$group",
	  "Set values for encryption/decryption\n"
	  "Set the san group parameters\n"
	  "Group name\n",
	  cmap_set_group, 0 },
	{ MODE_CRYPTO_MAP, "set isakmp-profile WORD$prof",
	  "\nSpecify isakmp Profile\nisakmp profile name\n",
	  cmap_isakmp_profile, 0 },
	{ MODE_CRYPTO_MAP, "match address WORD$acl",
	  "Match values.\n"
	  "Match address of packets to encrypt\n"
	  "Access-list name or number\n",
	  cmap_match, 0 },
	{ MODE_CRYPTO_MAP, "description LINE$text",
	  "Description of the crypto map statement policy\n"
	  "Up to 240 characters describing this crypto map\n",
	  cmap_description, 0 },
	{ MODE_CRYPTO_MAP, "qos pre-classify",
	  "Quality of Service related commands\n"
	  "Enable QOS classification before packets are tunnel encapsulated\n",
	  cmap_qos, 0 },
	/* (crypto-map-fail-close)# */
	{ MODE_CRYPTO_MAP_FC, "activate",
	  "Activate the crypto map to work in fail-close mode\n",
	  cmap_fc_activate, 0 },
	{ MODE_CRYPTO_MAP_FC, "match address WORD$acl",
	  "Match values.\n"
	  "Match address of packets for fail-close.\n"
	  "Access-list name or number\n",
	  cmap_fc_match, 0 },
	{ .spec = NULL },
};
