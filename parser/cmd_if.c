/*
 * cmd_if: `interface NAME` and the interface commands GET VPN needs
 * (doc/ios-cli.md §2.10, §2.11, §7.4): ip address [secondary], ip mtu,
 * ip tcp adjust-mss, crypto map, description, shutdown.
 *
 * Names are Linux device names (at most 15 characters, IFNAMSIZ) or IOS
 * names bound to one by `interface-name` (conf_ifname.c).
 * `no interface NAME` removes the interface from the configuration;
 * `default interface NAME` keeps it with every setting back to default.
 */
#include "parser/conf_if.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "platform/term.h"

static struct conf_if *
if_ctx(struct cmd_ctx *ctx)
{
	struct conf_obj *o = cmd_node(ctx, MODE_INTERFACE);

	return o != NULL && !o->dead ? (struct conf_if *)o : NULL;
}

static int
if_gone(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "The interface has been removed.");
}

/* The canonical name of the interface the user means, into out. */
static int
if_check_name(struct cmd_ctx *ctx, const char *name, char *out, size_t len)
{
	const char *why = NULL;

	if (conf_if_canon(name, out, len, &why) < 0)
		return cmd_error(ctx, "%s", why);
	return 0;
}

/*
 * interface NAME
 */
static int
if_interface(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ifs *ifs = ctx->conf->ifs;
	char name[CONF_IFNAME_MAX];
	struct conf_if *ifp;

	if (cmd_arg(a, "name") == NULL)
		return CMD_ERR_INCOMPLETE;
	if (if_check_name(ctx, cmd_arg(a, "name"), name, sizeof(name)) != 0)
		return CMD_WARNING;
	ifp = conf_if_lookup(ifs, name);
	if (ctx->dflt) {
		if (ifp != NULL) {
			conf_if_reset(ifp);
			conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
		}
		return CMD_OK;
	}
	if (ctx->negate) {
		if (ifp != NULL) {
			conf_if_del(ifs, ifp);
			conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
		}
		return CMD_OK;
	}
	if (ctx->interactive && conf_if_device(ifs, name) == NULL)
		term_printf(ctx->out, "%% %s is bound to no Linux interface yet "
			    "(interface-name %s linux DEV)\n", name, name);
	if (ifp == NULL) {
		if ((ifp = conf_if_add(ifs, name)) == NULL)
			return cmd_error(ctx, "Out of memory");
		conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	}
	cmd_enter(ctx, MODE_INTERFACE, &ifp->obj);
	return CMD_OK;
}

/*
 * ip address A M [secondary]
 */
static int
if_addr_index(const struct conf_if *ifp, const struct conf_if_addr *x)
{
	for (unsigned i = 0; i < ifp->n_secondary; i++)
		if (ifp->secondary[i].addr == x->addr &&
		    ifp->secondary[i].mask == x->mask)
			return (int)i;
	return -1;
}

/* IOS refuses the subnet's own and broadcast address, and mask 0. */
static int
if_check_addr(struct cmd_ctx *ctx, const struct conf_if_addr *x)
{
	uint32_t host = ntohl(x->addr), mask = ntohl(x->mask);
	unsigned len = (unsigned)__builtin_popcount(mask);
	char ip[INET_ADDRSTRLEN];

	if (len == 0 || (len <= 30 && ((host & ~mask) == 0 ||
				       (host & ~mask) == ~mask))) {
		inet_ntop(AF_INET, &x->addr, ip, sizeof(ip));
		return cmd_error(ctx, "Bad mask /%u for address %s", len, ip);
	}
	return 0;
}

static int
if_addr_remove(struct cmd_ctx *ctx, struct conf_if *ifp,
	       const struct cmd_args *a, const struct conf_if_addr *x)
{
	int i;

	if (!cmd_has(a, "addr")) {		/* no ip address: all of them */
		ifp->has_addr = false;
		ifp->n_secondary = 0;
	} else if (cmd_has(a, "secondary")) {
		if ((i = if_addr_index(ifp, x)) < 0)
			return CMD_OK;
		memmove(&ifp->secondary[i], &ifp->secondary[i + 1],
			(ifp->n_secondary - (unsigned)i - 1) * sizeof(*x));
		ifp->n_secondary--;
	} else {
		if (!ifp->has_addr || ifp->addr.addr != x->addr)
			return CMD_OK;
		if (ifp->n_secondary > 0)
			return cmd_error(ctx, "Must delete secondary before "
					 "deleting primary");
		ifp->has_addr = false;
	}
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
if_ip_address(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_if *ifp = if_ctx(ctx);
	struct conf_if_addr x = { 0 };
	int rc;

	if (ifp == NULL)
		return if_gone(ctx);
	if (cmd_has(a, "addr") && (cmd_arg_ip4(a, "addr", &x.addr) < 0 ||
				   cmd_arg_ip4(a, "mask", &x.mask) < 0))
		return CMD_ERR_INCOMPLETE;
	if (ctx->negate)
		return if_addr_remove(ctx, ifp, a, &x);
	if (!cmd_has(a, "addr"))
		return CMD_ERR_INCOMPLETE;
	if ((rc = if_check_addr(ctx, &x)) != 0)
		return rc;
	if (!cmd_has(a, "secondary")) {
		ifp->addr = x;
		ifp->has_addr = true;
	} else if (if_addr_index(ifp, &x) < 0) {
		if (ifp->n_secondary == CONF_IF_MAX_SECONDARY)
			return cmd_error(ctx, "Too many secondary addresses "
					 "(max %d)", CONF_IF_MAX_SECONDARY);
		ifp->secondary[ifp->n_secondary++] = x;
	}
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

/*
 * ip mtu / ip tcp adjust-mss / crypto map / description / shutdown
 */
static int
if_ip_mtu(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_if *ifp = if_ctx(ctx);
	uint32_t mtu = cmd_arg_u32(a, "mtu", 0);

	if (ifp == NULL)
		return if_gone(ctx);
	if (!ctx->negate && mtu == 0)
		return CMD_ERR_INCOMPLETE;
	ifp->mtu = ctx->negate ? 0 : (uint16_t)mtu;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
if_adjust_mss(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_if *ifp = if_ctx(ctx);
	uint32_t mss = cmd_arg_u32(a, "mss", 0);

	if (ifp == NULL)
		return if_gone(ctx);
	if (!ctx->negate && mss == 0)
		return CMD_ERR_INCOMPLETE;
	ifp->adjust_mss = ctx->negate ? 0 : (uint16_t)mss;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
if_crypto_map(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_if *ifp = if_ctx(ctx);
	const char *name = cmd_arg(a, "name");

	if (ifp == NULL)
		return if_gone(ctx);
	if (ctx->negate) {
		ifp->cmap[0] = '\0';
	} else {
		if (name == NULL)
			return CMD_ERR_INCOMPLETE;
		if (conf_check_name(ctx, name) < 0)
			return CMD_WARNING;
		snprintf(ifp->cmap, sizeof(ifp->cmap), "%s", name);
	}
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
if_description(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_if *ifp = if_ctx(ctx);
	const char *text = cmd_arg(a, "text");
	char *d = NULL;

	if (ifp == NULL)
		return if_gone(ctx);
	if (!ctx->negate) {
		if (text == NULL)
			return CMD_ERR_INCOMPLETE;
		if (strlen(text) > CONF_IF_DESC_MAX)
			return cmd_error(ctx, "Description too long (max %d "
					 "characters)", CONF_IF_DESC_MAX);
		if ((d = strdup(text)) == NULL)
			return cmd_error(ctx, "Out of memory");
	}
	free(ifp->description);
	ifp->description = d;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

static int
if_shutdown(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_if *ifp = if_ctx(ctx);

	if (ifp == NULL)
		return if_gone(ctx);
	ifp->shutdown = !ctx->negate;
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

const struct cmd_def conf_if_cmds[] = {
	{ MODE_CONFIG, "interface WORD$name",
	  "Select an interface to configure\n"
	  "Interface name (a Linux device such as eth0, or an IOS name "
	  "bound by interface-name)\n",
	  if_interface, CMD_F_PREFERRED },
	/* (config-if)# */
	{ MODE_INTERFACE, "ip address A.B.C.D$addr M.M.M.M$mask [secondary]",
	  "Interface Internet Protocol config commands\n"
	  "Set the IP address of an interface\n"
	  "IP address\nIP subnet mask\n"
	  "Make this IP address a secondary address\n",
	  if_ip_address, 0 },
	{ MODE_INTERFACE, "ip mtu <68-65535>$mtu",
	  "\nSet IP Maximum Transmission Unit\nMTU (bytes)\n",
	  if_ip_mtu, 0 },
	{ MODE_INTERFACE, "ip tcp adjust-mss <500-1460>$mss",
	  "\nTCP protocol\nAdjust the mss of transit packets\n"
	  "Maximum segment size in bytes\n",
	  if_adjust_mss, 0 },
	{ MODE_INTERFACE, "crypto map WORD$name",
	  "Encryption module\nAssign a Crypto Map\nCrypto Map tag\n",
	  if_crypto_map, 0 },
	{ MODE_INTERFACE, "description LINE$text",
	  "Interface specific description\n"
	  "Up to 240 characters describing this interface\n",
	  if_description, 0 },
	{ MODE_INTERFACE, "shutdown", "Shutdown the selected interface\n",
	  if_shutdown, 0 },
	{ .spec = NULL },
};
