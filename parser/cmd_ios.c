/*
 * cmd_ios: lines of a pasted IOS configuration that are not GET VPN
 * (doc/cli.md "Pasted IOS configurations"):
 *
 * - the frame `show running-config` prints around a configuration
 *   (`Building configuration...`, `Current configuration : N bytes`,
 *   `version 17.9`, `boot-start-marker`, `boot-end-marker`) is taken and
 *   ignored, so a saved `show running-config` pastes as it is;
 * - platform statements getvpn cannot honour are refused with a one-line
 *   reason and change nothing; their `no` forms, which ask for something
 *   getvpn does not do anyway, are taken silently;
 * - IOS defaults that are what getvpn always does (`crypto ipsec df-bit
 *   copy`, `crypto ipsec fragmentation before-encryption`) are taken, and
 *   not printed, as IOS does not print a default.
 *
 * All of them are hidden from `?`.
 */
#include "parser/conf.h"

#include <string.h>

#include "parser/cmd.h"

static int
ios_frame(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return CMD_OK;
}

/* Why each refused statement cannot be honoured, by the first of these
 * keywords it holds (the more specific first: `nat keepalive`). */
static const struct {
	const char *kw, *why;
} refusals[] = {
	{ "invalid-spi-recovery", "invalid SPI recovery is not provided (a "
	  "member registers again when it misses its keys)" },
	{ "aggressive-mode", "getvpn never uses Aggressive Mode: there is "
	  "nothing to disable" },
	{ "keepalive", "NAT traversal is not provided (GET VPN keeps "
	  "addresses end to end)" },
	{ "replay", "a group's anti-replay comes from its key server "
	  "(`replay counter window-size` or `replay time window-size` under "
	  "`sa ipsec`)" },
	{ "df-bit", "the outer DF bit is always copied from the inner packet "
	  "(df-bit copy)" },
	{ "fragmentation", "packets are always fragmented before encryption, "
	  "and DF packets too big for the path answered with ICMP" },
	{ "platform", "platform settings are for Cisco hardware" },
	{ "license", "licensing does not apply to getvpn" },
	{ "redundancy", "chassis redundancy is not provided (key server "
	  "redundancy is `redundancy` under `server local`)" },
	{ "service", "IOS service settings do not apply to getvpn" },
	{ "boot", "boot settings are for IOS images" },
	{ "router", "routing protocols are not provided: run a routing daemon "
	  "on the host" },
	{ "route", "static routes are the host's: add them with ip route on "
	  "Linux" },
	{ "http", "getvpn has no HTTP server" },
	{ "cef", "forwarding is the Linux kernel's" },
	{ "forward-protocol", "forwarding is the Linux kernel's" },
	{ "multicast-routing", "multicast routing is the host's (a "
	  "multicast routing daemon)" },
	{ "pim", "multicast routing is the host's (a multicast routing "
	  "daemon)" },
	{ "ospf", "routing protocols are not provided: run a routing daemon "
	  "on the host" },
	{ "nat", "NAT is the host's (nftables)" },
	{ "control-plane", "control-plane policing is not provided" },
	{ "multilink", "multilink PPP is not provided" },
	{ "spanning-tree", "switching is not provided" },
	{ "diagnostic", "hardware diagnostics are for Cisco hardware" },
	{ "memory", "IOS memory settings do not apply to getvpn" },
	{ "negotiation", "link settings are the Linux device's (ethtool)" },
	{ "duplex", "link settings are the Linux device's (ethtool)" },
	{ "speed", "link settings are the Linux device's (ethtool)" },
	{ "media-type", "link settings are the Linux device's (ethtool)" },
	{ "cdp", "CDP is not provided" },
	{ "vrf", "getvpn has no VRFs" },
	{ "call-home", "call-home is not provided" },
	{ "snmp-server", "SNMP is not provided" },
	{ "ntp", "time is the host's (chrony or systemd-timesyncd)" },
};

static int
ios_refuse(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (ctx->negate || ctx->dflt)
		return CMD_OK;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(*refusals); i++)
		if (cmd_has(a, refusals[i].kw))
			return cmd_error(ctx, "Not applied: %s",
					 refusals[i].why);
	return cmd_error(ctx, "Not applied: not provided by getvpn");
}

#define FRAME(spec, help) { MODE_CONFIG, spec, help, ios_frame, \
	CMD_F_HIDDEN | CMD_F_NO_NEGATE }
#define REFUSE(m, spec, help) { m, spec, help, ios_refuse, CMD_F_HIDDEN }
#define DEFAULT(spec, help) { MODE_CONFIG, spec, help, ios_frame, \
	CMD_F_HIDDEN }

const struct cmd_def conf_ios_cmds[] = {
	FRAME("building [LINE]", "\n\n"),
	FRAME("current [LINE]", "\n\n"),
	FRAME("version [LINE]", "\n\n"),
	FRAME("boot-start-marker", "\n"),
	FRAME("boot-end-marker", "\n"),
	REFUSE(MODE_CONFIG, "platform [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "license [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "redundancy [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "service [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "boot [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "router [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "ip route [LINE]", "\n\n\n"),
	REFUSE(MODE_CONFIG, "ip http [LINE]", "\n\n\n"),
	REFUSE(MODE_CONFIG, "ip cef [LINE]", "\n\n\n"),
	REFUSE(MODE_CONFIG, "ip forward-protocol [LINE]", "\n\n\n"),
	REFUSE(MODE_CONFIG, "ip multicast-routing [LINE]", "\n\n\n"),
	REFUSE(MODE_CONFIG, "ip nat [LINE]", "\n\n\n"),
	REFUSE(MODE_CONFIG, "control-plane [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "multilink [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "spanning-tree [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "diagnostic [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "memory [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "vrf [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "call-home [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "snmp-server [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "ntp [LINE]", "\n\n"),
	REFUSE(MODE_CONFIG, "crypto isakmp invalid-spi-recovery", "\n\n\n"),
	REFUSE(MODE_CONFIG, "crypto isakmp aggressive-mode disable",
	       "\n\n\n\n"),
	REFUSE(MODE_CONFIG, "crypto isakmp nat keepalive [LINE]",
	       "\n\n\n\n\n"),
	REFUSE(MODE_CONFIG, "crypto ipsec security-association replay [LINE]",
	       "\n\n\n\n\n"),
	DEFAULT("crypto ipsec df-bit copy", "\n\n\n\n"),
	REFUSE(MODE_CONFIG, "crypto ipsec df-bit {clear|set}", "\n\n\n\n\n"),
	DEFAULT("crypto ipsec fragmentation before-encryption", "\n\n\n\n"),
	REFUSE(MODE_CONFIG, "crypto ipsec fragmentation after-encryption",
	       "\n\n\n\n"),
	REFUSE(MODE_INTERFACE, "negotiation [LINE]", "\n\n"),
	REFUSE(MODE_INTERFACE, "duplex [LINE]", "\n\n"),
	REFUSE(MODE_INTERFACE, "speed [LINE]", "\n\n"),
	REFUSE(MODE_INTERFACE, "media-type [LINE]", "\n\n"),
	REFUSE(MODE_INTERFACE, "cdp [LINE]", "\n\n"),
	REFUSE(MODE_INTERFACE, "ip ospf [LINE]", "\n\n\n"),
	REFUSE(MODE_INTERFACE, "ip pim [LINE]", "\n\n\n"),
	REFUSE(MODE_INTERFACE, "ip nat [LINE]", "\n\n\n"),
	REFUSE(MODE_INTERFACE, "vrf [LINE]", "\n\n"),
	{ .spec = NULL },
};
