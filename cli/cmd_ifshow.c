/*
 * cmd_ifshow: `show interfaces [NAME]`, `show ip interface brief` and
 * `show ip route` in the IOS-XE layouts, from the kernel's state
 * (platform/netinfo).  An interface the configuration names with an IOS
 * name (`interface-name`, doc/cli.md) is shown under that name.
 */
#include "cli/cmd_sys.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "platform/json.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_if.h"
#include "platform/netinfo.h"
#include "platform/term.h"

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* The name the configuration gives a Linux device. */
static const char *
if_name(const struct cmd_ctx *ctx, const struct netinfo_link *l)
{
	const char *ios = conf_ifmap_ios_name(ctx->conf->ifs, l->name);

	return ios != NULL ? ios : l->name;
}

static const char *
link_status(const struct netinfo_link *l)
{
	return !(l->flags & IFF_UP) ? "administratively down"
		: l->carrier ? "up" : "down";
}

static int
read_kernel(struct cmd_ctx *ctx, struct netinfo *ni)
{
	char err[96];

	if (netinfo_read(ni, err, sizeof(err)) == 0)
		return 0;
	cmd_error(ctx, "%s", err);
	return -1;
}

static void
show_hw(struct term *t, const struct netinfo_link *l)
{
	const uint8_t *m = l->mac;

	if (l->arptype == ARPHRD_LOOPBACK) {
		term_puts(t, "  Hardware is Loopback\n");
		return;
	}
	term_printf(t, "  Hardware is %s", l->kind[0] ? l->kind
		    : l->arptype == ARPHRD_ETHER ? "Ethernet" : "Virtual");
	if (l->has_mac)
		term_printf(t, ", address is %02x%02x.%02x%02x.%02x%02x "
			    "(bia %02x%02x.%02x%02x.%02x%02x)", m[0], m[1],
			    m[2], m[3], m[4], m[5], m[0], m[1], m[2], m[3],
			    m[4], m[5]);
	term_puts(t, "\n");
}

static void
show_counters(struct term *t, const struct netinfo_link *l)
{
	const uint64_t *s = l->stat;

	term_printf(t, "  Output queue: 0/%u (size/max)\n", l->txqlen);
	term_printf(t, "     %llu packets input, %llu bytes, 0 no buffer\n"
		    "     Received 0 broadcasts (%llu IP multicasts)\n"
		    "     %llu input errors, %llu CRC, %llu frame, %llu overrun, "
		    "%llu ignored\n",
		    (unsigned long long)s[NETINFO_RX_PACKETS],
		    (unsigned long long)s[NETINFO_RX_BYTES],
		    (unsigned long long)s[NETINFO_MULTICAST],
		    (unsigned long long)s[NETINFO_RX_ERRORS],
		    (unsigned long long)s[NETINFO_RX_CRC],
		    (unsigned long long)s[NETINFO_RX_FRAME],
		    (unsigned long long)s[NETINFO_RX_OVER],
		    (unsigned long long)s[NETINFO_RX_DROPPED]);
	term_printf(t, "     %llu packets output, %llu bytes, 0 underruns\n"
		    "     %llu output errors, %llu collisions, 0 interface "
		    "resets\n",
		    (unsigned long long)s[NETINFO_TX_PACKETS],
		    (unsigned long long)s[NETINFO_TX_BYTES],
		    (unsigned long long)s[NETINFO_TX_ERRORS],
		    (unsigned long long)s[NETINFO_COLLISIONS]);
}

static void
show_one(const struct cmd_ctx *ctx, const struct netinfo *ni,
	 const struct netinfo_link *l)
{
	struct term *t = ctx->out;
	const struct netinfo_addr *a = netinfo_primary(ni, l->ifindex);
	char b[INET_ADDRSTRLEN];

	term_printf(t, "%s is %s, line protocol is %s \n", if_name(ctx, l),
		    link_status(l), l->carrier && (l->flags & IFF_UP)
		    ? "up" : "down");
	show_hw(t, l);
	if (a != NULL)
		term_printf(t, "  Internet address is %s/%u\n", ip(a->addr, b),
			    a->plen);
	term_printf(t, "  MTU %u bytes, BW 1000000 Kbit/sec, DLY 10 usec, \n"
		    "     reliability 255/255, txload 1/255, rxload 1/255\n",
		    l->mtu);
	term_printf(t, "  Encapsulation %s, loopback %s\n",
		    l->arptype == ARPHRD_LOOPBACK ? "LOOPBACK" : "ARPA",
		    l->arptype == ARPHRD_LOOPBACK ? "set" : "not set");
	term_puts(t, "  Linux device ");
	term_printf(t, "%s, ifindex %u%s%s\n", l->name, l->ifindex,
		    l->kind[0] ? ", kind " : "", l->kind);
	term_puts(t, "  Queueing strategy: fifo\n");
	show_counters(t, l);
}

static void
link_json(const struct cmd_ctx *ctx, struct json *j, const struct netinfo *ni,
	  const struct netinfo_link *l)
{
	static const char *const stat_names[NETINFO_STAT_COUNT] = {
		"in_pkts", "in_octets", "out_pkts", "out_octets", "in_errors",
		"out_errors", "in_drops", "out_drops", "in_crc_errors",
		"in_frame", "in_overrun", "in_multicast_pkts", "out_collision",
	};
	char b[INET_ADDRSTRLEN], mac[16];

	json_obj(j, if_name(ctx, l));
	json_str(j, "linux_device", l->name);
	json_u64(j, "ifindex", l->ifindex);
	json_bool(j, "enabled", (l->flags & IFF_UP) != 0);
	json_str(j, "oper_status", link_status(l));
	json_str(j, "line_protocol", l->carrier && (l->flags & IFF_UP)
		 ? "up" : "down");
	json_str(j, "type", l->kind);
	if (l->has_mac) {
		snprintf(mac, sizeof(mac), "%02x%02x.%02x%02x.%02x%02x",
			 l->mac[0], l->mac[1], l->mac[2], l->mac[3], l->mac[4],
			 l->mac[5]);
		json_str(j, "mac_address", mac);
	}
	json_u64(j, "mtu", l->mtu);
	json_obj(j, "ipv4");
	for (size_t i = 0; i < ni->naddrs; i++) {
		const struct netinfo_addr *ad = &ni->addrs[i];
		char key[INET_ADDRSTRLEN + 4];

		if (ad->ifindex != l->ifindex)
			continue;
		snprintf(key, sizeof(key), "%s/%u", ip(ad->addr, b), ad->plen);
		json_obj(j, key);
		json_str(j, "ip", b);
		json_u64(j, "prefix_length", ad->plen);
		json_bool(j, "secondary", ad->secondary);
		json_end(j, '}');
	}
	json_end(j, '}');
	json_obj(j, "counters");
	for (int i = 0; i < NETINFO_STAT_COUNT; i++)
		json_u64(j, stat_names[i], l->stat[i]);
	json_end(j, '}');
	json_end(j, '}');
}

/* show interfaces | json: the same facts keyed by interface name. */
static void
interfaces_json(const struct cmd_ctx *ctx, const struct netinfo *ni,
		const struct netinfo_link *only)
{
	struct json j;

	json_start(&j, ctx->out);
	json_obj(&j, NULL);
	for (size_t i = 0; i < ni->nlinks; i++)
		if (only == NULL || only == &ni->links[i])
			link_json(ctx, &j, ni, &ni->links[i]);
	json_end(&j, '}');
}

/* Find a link by the name the user gave: IOS name, then Linux name. */
static const struct netinfo_link *
find_link(const struct cmd_ctx *ctx, const struct netinfo *ni,
	  const char *name)
{
	char canon[CONF_IFNAME_MAX];
	const char *why, *dev = NULL;

	if (conf_if_canon(name, canon, sizeof(canon), &why) == 0)
		dev = conf_ifmap_linux_name(ctx->conf->ifs, canon);
	return netinfo_link_by_name(ni, dev != NULL ? dev : name);
}

static int
cmd_show_interfaces(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *only = cmd_arg(a, "name");
	const struct netinfo_link *l = NULL;
	struct netinfo ni;

	if (read_kernel(ctx, &ni) < 0)
		return CMD_WARNING;
	if (only != NULL && (l = find_link(ctx, &ni, only)) == NULL) {
		netinfo_free(&ni);
		return cmd_error(ctx, "No such interface: %s", only);
	}
	if (cli_session_json(ctx->session))
		interfaces_json(ctx, &ni, l);
	else
		for (size_t i = 0; i < ni.nlinks; i++)
			if (l == NULL || l == &ni.links[i])
				show_one(ctx, &ni, &ni.links[i]);
	netinfo_free(&ni);
	return CMD_OK;
}

static int
cmd_show_ip_int_brief(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct netinfo ni;
	char b[INET_ADDRSTRLEN];

	if (read_kernel(ctx, &ni) < 0)
		return CMD_WARNING;
	term_puts(ctx->out, "Interface              IP-Address      OK? Method "
		  "Status                Protocol\n");
	for (size_t i = 0; i < ni.nlinks; i++) {
		const struct netinfo_link *l = &ni.links[i];
		const struct netinfo_addr *ad = netinfo_primary(&ni, l->ifindex);

		term_printf(ctx->out, "%-22s %-15s YES %-6s %-21s %-8s\n",
			    if_name(ctx, l), ad ? ip(ad->addr, b) : "unassigned",
			    ad ? "manual" : "unset", link_status(l),
			    l->carrier && (l->flags & IFF_UP) ? "up" : "down");
	}
	netinfo_free(&ni);
	return CMD_OK;
}

/* The IOS code of a route by who installed it (RTPROT_*). */
static const char *
route_code(const struct netinfo_route *r)
{
	switch (r->protocol) {
	case RTPROT_KERNEL:
		return r->gw == 0 ? "C" : "S";
	case RTPROT_BOOT:
	case RTPROT_STATIC:
		return "S";
	case 186:				/* RTPROT_BGP */
		return "B";
	case 188:				/* RTPROT_OSPF */
		return "O";
	case 189:				/* RTPROT_RIP */
		return "R";
	case 192:				/* RTPROT_EIGRP */
		return "D";
	default:
		return "S";
	}
}

static void
show_route(const struct cmd_ctx *ctx, const struct netinfo *ni,
	   const struct netinfo_route *r)
{
	const struct netinfo_link *l = netinfo_link_by_index(ni, r->oif);
	const char *dev = l != NULL ? if_name(ctx, l) : "?";
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	char code[4];

	snprintf(code, sizeof(code), "%s%s", route_code(r),
		 r->plen == 0 ? "*" : "");
	if (r->gw == 0)
		term_printf(ctx->out, "%-2s       %s/%u is directly connected, "
			    "%s\n", code, ip(r->dst, d), r->plen, dev);
	else
		term_printf(ctx->out, "%-2s       %s/%u [1/%u] via %s, %s\n",
			    code, ip(r->dst, d), r->plen, r->metric,
			    ip(r->gw, g), dev);
}

static void
show_gateway(struct term *t, const struct netinfo *ni)
{
	char g[INET_ADDRSTRLEN];

	for (size_t i = 0; i < ni->nroutes; i++)
		if (ni->routes[i].plen == 0 && ni->routes[i].gw != 0) {
			term_printf(t, "Gateway of last resort is %s to network "
				    "0.0.0.0\n\n", ip(ni->routes[i].gw, g));
			return;
		}
	term_puts(t, "Gateway of last resort is not set\n\n");
}

static int
cmd_show_ip_route(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct netinfo ni;
	char d[INET_ADDRSTRLEN];

	if (read_kernel(ctx, &ni) < 0)
		return CMD_WARNING;
	term_puts(ctx->out,
		  "Codes: L - local, C - connected, S - static, R - RIP, "
		  "M - mobile, B - BGP\n"
		  "       D - EIGRP, EX - EIGRP external, O - OSPF, "
		  "IA - OSPF inter area\n"
		  "       * - candidate default\n\n");
	show_gateway(ctx->out, &ni);
	for (size_t i = 0; i < ni.nroutes; i++)
		show_route(ctx, &ni, &ni.routes[i]);
	/* IOS lists each interface address as a local /32 */
	for (size_t i = 0; i < ni.naddrs; i++) {
		const struct netinfo_link *l =
			netinfo_link_by_index(&ni, ni.addrs[i].ifindex);

		if (l != NULL && l->arptype != ARPHRD_LOOPBACK)
			term_printf(ctx->out, "L        %s/32 is directly "
				    "connected, %s\n", ip(ni.addrs[i].addr, d),
				    if_name(ctx, l));
	}
	netinfo_free(&ni);
	return CMD_OK;
}

const struct cmd_def cli_ifshow_cmds[] = {
	{ MODE_USER_EXEC, "show interfaces [WORD$name]",
	  "\nInterface status and configuration\nInterface name\n",
	  cmd_show_interfaces, 0 },
	{ MODE_USER_EXEC, "show ip interface brief",
	  "\nIP information\nIP interface status and configuration\n"
	  "Brief summary of IP status and configuration\n",
	  cmd_show_ip_int_brief, 0 },
	{ MODE_USER_EXEC, "show ip route",
	  "\n\nIP routing table\n", cmd_show_ip_route, 0 },
	{ .spec = NULL },
};
