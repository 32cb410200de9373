/*
 * conf_ifname: IOS interface names and their binding to Linux devices.
 *
 * A pasted IOS configuration names its interfaces GigabitEthernet0/0/0;
 * Linux names are at most 15 characters and cannot hold '/', so such a
 * name cannot be a device name nor an altname.  The global statement
 *
 *   interface-name GigabitEthernet0/0/0 linux eth1
 *
 * binds one to a device; `interface GigabitEthernet0/0/0` then configures
 * eth1 (doc/cli.md "Interface names").  Abbreviations are expanded as IOS
 * does (g0/0/0, Gi0/0/0), so every form lands on one interface.
 */
#include "parser/conf_if.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/term.h"

/* IOS interface types a pasted configuration may name; an abbreviation
 * several begin with means the first (f0/0 is FastEthernet0/0, t0 is
 * Tunnel0), as IOS resolves them. */
static const char *const ios_types[] = {
	"GigabitEthernet", "FastEthernet", "Ethernet", "Tunnel",
	"TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet",
	"HundredGigE", "Serial", "Port-channel", "Loopback", "Vlan", "Dialer",
	"Cellular", "Virtual-Template", "BDI", "AppGigabitEthernet",
};

bool
conf_if_is_linux_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= CONF_LINUX_IFNAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return false;
	for (const char *p = name; *p; p++)
		if (!isgraph((unsigned char)*p) || *p == '/' || *p == ':')
			return false;
	return true;
}

/* The IOS type a prefix stands for: exact, else the first it begins. */
static const char *
ios_type(const char *pfx, size_t n)
{
	const char *hit = NULL;

	for (size_t i = 0; i < sizeof(ios_types) / sizeof(*ios_types); i++) {
		if (strncasecmp(ios_types[i], pfx, n) != 0)
			continue;
		if (ios_types[i][n] == '\0')
			return ios_types[i];
		if (hit == NULL)
			hit = ios_types[i];
	}
	return hit;
}

int
conf_if_canon(const char *name, char *out, size_t len, const char **why)
{
	size_t n = 0;
	const char *type, *num;

	while (isalpha((unsigned char)name[n]) || name[n] == '-')
		n++;
	num = name + n;
	type = n > 0 && isdigit((unsigned char)*num) ? ios_type(name, n) : NULL;
	if (type != NULL && strspn(num, "0123456789/.:") == strlen(num) &&
	    (strchr(num, '/') != NULL || !conf_if_is_linux_name(name) ||
	     strlen(type) == n)) {
		if ((size_t)snprintf(out, len, "%s%s", type, num) >= len)
			goto long_name;
		return 0;
	}
	if (conf_if_is_linux_name(name)) {
		snprintf(out, len, "%s", name);
		return 0;
	}
	if (strlen(name) >= CONF_LINUX_IFNAME_MAX && strchr(name, '/') == NULL)
		goto long_name;
	*why = "Invalid interface name: neither a Linux device name (no '/') "
	       "nor an IOS interface name";
	return -1;
long_name:
	*why = "Interface name too long";
	return -1;
}

const char *
conf_ifmap_linux_name(const struct conf_ifs *ifs, const char *ios)
{
	for (const struct conf_ifmap *m = ifs->maps; m; m = m->next)
		if (strcmp(m->ios, ios) == 0)
			return m->dev;
	return NULL;
}

const char *
conf_ifmap_ios_name(const struct conf_ifs *ifs, const char *dev)
{
	for (const struct conf_ifmap *m = ifs->maps; m; m = m->next)
		if (strcmp(m->dev, dev) == 0)
			return m->ios;
	return NULL;
}

const char *
conf_if_device(const struct conf_ifs *ifs, const char *name)
{
	const char *dev = conf_ifmap_linux_name(ifs, name);

	if (dev != NULL)
		return dev;
	return conf_if_is_linux_name(name) ? name : NULL;
}

void
conf_ifmaps_free(struct conf_ifs *ifs)
{
	while (ifs->maps != NULL) {
		struct conf_ifmap *m = ifs->maps;

		ifs->maps = m->next;
		free(m);
	}
}

void
conf_ifmaps_show(const struct conf_ifs *ifs, struct term *t)
{
	for (const struct conf_ifmap *m = ifs->maps; m; m = m->next)
		term_printf(t, "interface-name %s linux %s\n", m->ios, m->dev);
	if (ifs->maps != NULL)
		term_puts(t, "!\n");
}

static struct conf_ifmap **
map_slot(struct conf_ifs *ifs, const char *ios)
{
	struct conf_ifmap **p = &ifs->maps;

	while (*p != NULL && strcmp((*p)->ios, ios) != 0)
		p = &(*p)->next;
	return p;
}

static int
map_add(struct cmd_ctx *ctx, struct conf_ifs *ifs, const char *ios,
	const char *dev)
{
	struct conf_ifmap **p = map_slot(ifs, ios);
	const char *other = conf_ifmap_ios_name(ifs, dev);

	if (!conf_if_is_linux_name(dev))
		return cmd_error(ctx, "%s is not a Linux device name (at most "
				 "15 characters, no '/')", dev);
	if (other != NULL && strcmp(other, ios) != 0)
		return cmd_error(ctx, "%s is already bound to %s", dev, other);
	if (*p == NULL && (*p = calloc(1, sizeof(**p))) == NULL)
		return cmd_error(ctx, "Out of memory");
	snprintf((*p)->ios, sizeof((*p)->ios), "%s", ios);
	snprintf((*p)->dev, sizeof((*p)->dev), "%s", dev);
	conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	return CMD_OK;
}

/*
 * interface-name IOSNAME linux DEV / no interface-name IOSNAME
 */
static int
cmd_interface_name(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ifs *ifs = ctx->conf->ifs;
	char ios[CONF_IFNAME_MAX];
	const char *why = NULL, *dev = cmd_arg(a, "dev");
	struct conf_ifmap **p, *gone;

	if (conf_if_canon(cmd_arg(a, "ios"), ios, sizeof(ios), &why) < 0)
		return cmd_error(ctx, "%s", why);
	if (!ctx->negate && !ctx->dflt) {
		if (dev == NULL)
			return CMD_ERR_INCOMPLETE;
		return map_add(ctx, ifs, ios, dev);
	}
	p = map_slot(ifs, ios);
	if ((gone = *p) != NULL) {
		*p = gone->next;
		free(gone);
		conf_touch(ctx->conf, CONF_AREA_MAP, NULL);
	}
	return CMD_OK;
}

const struct cmd_def conf_ifname_cmds[] = {
	{ MODE_CONFIG, "interface-name WORD$ios [linux WORD$dev]",
	  "Bind an IOS interface name to a Linux network device\n"
	  "IOS interface name (e.g. GigabitEthernet0/0/0)\n"
	  "The Linux device it stands for\nLinux device name (e.g. eth1)\n",
	  cmd_interface_name, 0 },
	{ .spec = NULL },
};
