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

#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_if.h"
#include "platform/netinfo.h"
#include "platform/showout.h"

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
show_hw(struct showout *o, const struct netinfo_link *l)
{
	const uint8_t *m = l->mac;
	char mac[16];

	showout_str(o, "type", l->kind, NULL);
	if (l->arptype == ARPHRD_LOOPBACK) {
		showout_text(o, "  Hardware is Loopback\n");
		return;
	}
	showout_text(o, "  Hardware is %s", l->kind[0] ? l->kind
		     : l->arptype == ARPHRD_ETHER ? "Ethernet" : "Virtual");
	if (l->has_mac) {
		snprintf(mac, sizeof(mac), "%02x%02x.%02x%02x.%02x%02x", m[0],
			 m[1], m[2], m[3], m[4], m[5]);
		showout_str(o, "mac_address", mac, ", address is %s (bia %s)",
			    mac, mac);
	}
	showout_text(o, "\n");
}

static void
show_counters(struct showout *o, const struct netinfo_link *l)
{
	static const char *const stat_names[NETINFO_STAT_COUNT] = {
		"in_pkts", "in_octets", "out_pkts", "out_octets", "in_errors",
		"out_errors", "in_drops", "out_drops", "in_crc_errors",
		"in_frame", "in_overrun", "in_multicast_pkts", "out_collision",
	};
	const uint64_t *s = l->stat;

	showout_text(o, "  Output queue: 0/%u (size/max)\n", l->txqlen);
	showout_text(o, "     %llu packets input, %llu bytes, 0 no buffer\n"
		     "     Received 0 broadcasts (%llu IP multicasts)\n"
		     "     %llu input errors, %llu CRC, %llu frame, %llu "
		     "overrun, %llu ignored\n",
		     (unsigned long long)s[NETINFO_RX_PACKETS],
		     (unsigned long long)s[NETINFO_RX_BYTES],
		     (unsigned long long)s[NETINFO_MULTICAST],
		     (unsigned long long)s[NETINFO_RX_ERRORS],
		     (unsigned long long)s[NETINFO_RX_CRC],
		     (unsigned long long)s[NETINFO_RX_FRAME],
		     (unsigned long long)s[NETINFO_RX_OVER],
		     (unsigned long long)s[NETINFO_RX_DROPPED]);
	showout_text(o, "     %llu packets output, %llu bytes, 0 underruns\n"
		     "     %llu output errors, %llu collisions, 0 interface "
		     "resets\n",
		     (unsigned long long)s[NETINFO_TX_PACKETS],
		     (unsigned long long)s[NETINFO_TX_BYTES],
		     (unsigned long long)s[NETINFO_TX_ERRORS],
		     (unsigned long long)s[NETINFO_COLLISIONS]);
	/* JSON: every counter the kernel keeps, by name */
	showout_obj(o, "counters");
	for (int i = 0; i < NETINFO_STAT_COUNT; i++)
		showout_u64(o, stat_names[i], s[i], NULL);
	showout_end(o);
}

/* JSON: every address of the link (the text shows the primary one). */
static void
show_addrs(struct showout *o, const struct netinfo *ni,
	   const struct netinfo_link *l)
{
	char b[INET_ADDRSTRLEN], key[INET_ADDRSTRLEN + 4];

	showout_obj(o, "ipv4");
	for (size_t i = 0; i < ni->naddrs; i++) {
		const struct netinfo_addr *ad = &ni->addrs[i];

		if (ad->ifindex != l->ifindex)
			continue;
		snprintf(key, sizeof(key), "%s/%u", ip(ad->addr, b), ad->plen);
		showout_obj(o, key);
		showout_str(o, "ip", b, NULL);
		showout_u64(o, "prefix_length", ad->plen, NULL);
		showout_bool(o, "secondary", ad->secondary, NULL);
		showout_end(o);
	}
	showout_end(o);
}

/* One interface, keyed by the name the configuration uses. */
static void
show_one(const struct cmd_ctx *ctx, const struct netinfo *ni,
	 const struct netinfo_link *l)
{
	struct showout *o = ctx->show;
	const struct netinfo_addr *a = netinfo_primary(ni, l->ifindex);
	const char *proto = l->carrier && (l->flags & IFF_UP) ? "up" : "down";
	bool lo = l->arptype == ARPHRD_LOOPBACK;
	char b[INET_ADDRSTRLEN];

	showout_obj(o, if_name(ctx, l));
	showout_text(o, "%s is ", if_name(ctx, l));
	showout_str(o, "oper_status", link_status(l), "%s, ", link_status(l));
	showout_str(o, "line_protocol", proto, "line protocol is %s \n", proto);
	showout_bool(o, "enabled", (l->flags & IFF_UP) != 0, NULL);
	show_hw(o, l);
	if (a != NULL)
		showout_text(o, "  Internet address is %s/%u\n",
			     ip(a->addr, b), a->plen);
	show_addrs(o, ni, l);
	showout_u64(o, "mtu", l->mtu, "  MTU %u bytes, BW 1000000 Kbit/sec, "
		    "DLY 10 usec, \n     reliability 255/255, txload 1/255, "
		    "rxload 1/255\n", l->mtu);
	showout_text(o, "  Encapsulation %s, loopback %s\n",
		     lo ? "LOOPBACK" : "ARPA", lo ? "set" : "not set");
	showout_str(o, "linux_device", l->name, "  Linux device %s, ",
		    l->name);
	showout_u64(o, "ifindex", l->ifindex, "ifindex %u%s%s\n", l->ifindex,
		    l->kind[0] ? ", kind " : "", l->kind);
	showout_text(o, "  Queueing strategy: fifo\n");
	show_counters(o, l);
	showout_end(o);
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
	for (size_t i = 0; i < ni.nlinks; i++)
		if (l == NULL || l == &ni.links[i])
			show_one(ctx, &ni, &ni.links[i]);
	netinfo_free(&ni);
	return CMD_OK;
}

static int
cmd_show_ip_int_brief(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct showout *o = ctx->show;
	struct netinfo ni;
	char b[INET_ADDRSTRLEN];

	if (read_kernel(ctx, &ni) < 0)
		return CMD_WARNING;
	showout_text(o, "Interface              IP-Address      OK? Method "
		     "Status                Protocol\n");
	showout_list(o, "interfaces");
	for (size_t i = 0; i < ni.nlinks; i++) {
		const struct netinfo_link *l = &ni.links[i];
		const struct netinfo_addr *ad = netinfo_primary(&ni, l->ifindex);
		const char *addr = ad ? ip(ad->addr, b) : "unassigned";
		const char *method = ad ? "manual" : "unset";
		const char *proto = l->carrier && (l->flags & IFF_UP) ? "up"
			: "down";

		showout_obj(o, NULL);
		showout_str(o, "interface", if_name(ctx, l), "%-22s ",
			    if_name(ctx, l));
		showout_str(o, "ip_address", addr, "%-15s ", addr);
		showout_str(o, "interface_is_ok", "YES", "%s ", "YES");
		showout_str(o, "method", method, "%-6s ", method);
		showout_str(o, "status", link_status(l), "%-21s ",
			    link_status(l));
		showout_str(o, "protocol", proto, "%-8s\n", proto);
		showout_end(o);
	}
	showout_end(o);
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
	struct showout *o = ctx->show;
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], code[4], net[24];

	snprintf(code, sizeof(code), "%s%s", route_code(r),
		 r->plen == 0 ? "*" : "");
	snprintf(net, sizeof(net), "%s/%u", ip(r->dst, d), r->plen);
	showout_obj(o, NULL);
	showout_str(o, "code", code, "%-2s       ", code);
	if (r->gw == 0) {
		showout_str(o, "route", net, "%s is directly connected, ", net);
	} else {
		showout_str(o, "route", net, "%s ", net);
		showout_u64(o, "metric", r->metric, "[1/%u] ", r->metric);
		showout_str(o, "next_hop", ip(r->gw, g), "via %s, ", g);
	}
	showout_str(o, "interface", dev, "%s\n", dev);
	showout_end(o);
}

static void
show_gateway(struct showout *o, const struct netinfo *ni)
{
	char g[INET_ADDRSTRLEN];

	for (size_t i = 0; i < ni->nroutes; i++)
		if (ni->routes[i].plen == 0 && ni->routes[i].gw != 0) {
			showout_str(o, "gateway_of_last_resort",
				    ip(ni->routes[i].gw, g), "Gateway of last "
				    "resort is %s to network 0.0.0.0\n\n", g);
			return;
		}
	showout_text(o, "Gateway of last resort is not set\n\n");
}

/* IOS lists each interface address as a local /32. */
static void
show_local(const struct cmd_ctx *ctx, const struct netinfo_link *l,
	   uint32_t addr)
{
	struct showout *o = ctx->show;
	char d[INET_ADDRSTRLEN], net[24];

	snprintf(net, sizeof(net), "%s/32", ip(addr, d));
	showout_obj(o, NULL);
	showout_str(o, "code", "L", "%s        ", "L");
	showout_str(o, "route", net, "%s is directly connected, ", net);
	showout_str(o, "interface", if_name(ctx, l), "%s\n", if_name(ctx, l));
	showout_end(o);
}

static int
cmd_show_ip_route(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct netinfo ni;

	if (read_kernel(ctx, &ni) < 0)
		return CMD_WARNING;
	showout_text(ctx->show,
		     "Codes: L - local, C - connected, S - static, R - RIP, "
		     "M - mobile, B - BGP\n"
		     "       D - EIGRP, EX - EIGRP external, O - OSPF, "
		     "IA - OSPF inter area\n"
		     "       * - candidate default\n\n");
	show_gateway(ctx->show, &ni);
	showout_list(ctx->show, "routes");
	for (size_t i = 0; i < ni.nroutes; i++)
		show_route(ctx, &ni, &ni.routes[i]);
	for (size_t i = 0; i < ni.naddrs; i++) {
		const struct netinfo_link *l =
			netinfo_link_by_index(&ni, ni.addrs[i].ifindex);

		if (l != NULL && l->arptype != ARPHRD_LOOPBACK)
			show_local(ctx, l, ni.addrs[i].addr);
	}
	showout_end(ctx->show);
	netinfo_free(&ni);
	return CMD_OK;
}

const struct cmd_def cli_ifshow_cmds[] = {
	{ MODE_USER_EXEC, "show interfaces [WORD$name]",
	  "\nInterface status and configuration\nInterface name\n",
	  cmd_show_interfaces, CMD_F_SHOW },
	{ MODE_USER_EXEC, "show ip interface brief",
	  "\nIP information\nIP interface status and configuration\n"
	  "Brief summary of IP status and configuration\n",
	  cmd_show_ip_int_brief, CMD_F_SHOW },
	{ MODE_USER_EXEC, "show ip route",
	  "\n\nIP routing table\n", cmd_show_ip_route, CMD_F_SHOW },
	{ .spec = NULL },
};
