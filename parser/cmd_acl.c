/*
 * cmd_acl: the access-list commands (doc/ios-cli.md §2.1, §2.5):
 *   ip access-list {extended|standard} NAME    -> (config-{ext,std}-nacl)#
 *     [SEQ] {permit|deny} ...  /  [SEQ] remark LINE  /  no SEQ
 *   access-list N {permit|deny|remark} ...     (numbered lists)
 *
 * Extended entries have one spec per protocol family so that port
 * operators exist only after tcp/udp and each offers its own IOS port
 * names (as `?` shows on IOS).  `no access-list N ...` removes the whole
 * list, whatever follows the number, as IOS does.
 */
#include "parser/conf_acl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"

/*
 * Spec fragments.  Sides are "s" (source) and "d" (destination); the
 * bindings are <side>a/<side>w (address, wildcard), <side>h (host),
 * <side>any, <side>op and <side>p/<side>hi (port operator and ports).
 */
#define ACL_SEQ "[<1-2147483647>$seq] "
#define ACL_SEQ_HELP "Sequence Number\n"
#define ACL_ACTION "{permit|deny}$action "
#define ACL_ACTION_HELP "Specify packets to forward\nSpecify packets to reject\n"

#define ACL_PROTOS "{ahp|eigrp|esp|gre|icmp|igmp|ip|ospf|pim|<0-255>}$proto "
#define ACL_PROTOS_HELP \
	"Authentication Header Protocol\n" \
	"Cisco's EIGRP routing protocol\n" \
	"Encapsulation Security Payload\n" \
	"Cisco's GRE tunneling\n" \
	"Internet Control Message Protocol\n" \
	"Internet Gateway Message Protocol\n" \
	"Any Internet Protocol\n" \
	"OSPF routing protocol\n" \
	"Protocol Independent Multicast\n" \
	"An IP protocol number\n"

#define ACL_ADDR(s) \
	"{A.B.C.D$" s "a A.B.C.D$" s "w|host A.B.C.D$" s "h|any$" s "any} "
#define ACL_SRC_HELP \
	"Source address\nSource wildcard bits\nA single source host\n" \
	"Source address\nAny source host\n"
#define ACL_DST_HELP \
	"Destination address\nDestination wildcard bits\n" \
	"A single destination host\nDestination address\n" \
	"Any destination host\n"

#define ACL_TCP_PORTS \
	"{<0-65535>|bgp|chargen|cmd|daytime|discard|domain|echo|exec|" \
	"finger|ftp|ftp-data|gopher|hostname|ident|irc|klogin|kshell|" \
	"login|lpd|nntp|pop2|pop3|smtp|sunrpc|tacacs|talk|telnet|time|" \
	"uucp|whois|www}"
#define ACL_TCP_PORTS_HELP \
	"Port number\n" \
	"Border Gateway Protocol (179)\n" \
	"Character generator (19)\n" \
	"Remote commands (rcmd, 514)\n" \
	"Daytime (13)\n" \
	"Discard (9)\n" \
	"Domain Name Service (53)\n" \
	"Echo (7)\n" \
	"Exec (rsh, 512)\n" \
	"Finger (79)\n" \
	"File Transfer Protocol (21)\n" \
	"FTP data connections (20)\n" \
	"Gopher (70)\n" \
	"NIC hostname server (101)\n" \
	"Ident Protocol (113)\n" \
	"Internet Relay Chat (194)\n" \
	"Kerberos login (543)\n" \
	"Kerberos shell (544)\n" \
	"Login (rlogin, 513)\n" \
	"Printer service (515)\n" \
	"Network News Transport Protocol (119)\n" \
	"Post Office Protocol v2 (109)\n" \
	"Post Office Protocol v3 (110)\n" \
	"Simple Mail Transport Protocol (25)\n" \
	"Sun Remote Procedure Call (111)\n" \
	"TAC Access Control System (49)\n" \
	"Talk (517)\n" \
	"Telnet (23)\n" \
	"Time (37)\n" \
	"Unix-to-Unix Copy Program (540)\n" \
	"Nicname (43)\n" \
	"World Wide Web (HTTP, 80)\n"

#define ACL_UDP_PORTS \
	"{<0-65535>|biff|bootpc|bootps|discard|dnsix|domain|echo|isakmp|" \
	"mobile-ip|nameserver|netbios-dgm|netbios-ns|netbios-ss|" \
	"non500-isakmp|ntp|rip|snmp|snmptrap|sunrpc|syslog|tacacs|talk|" \
	"tftp|time|who|xdmcp}"
#define ACL_UDP_PORTS_HELP \
	"Port number\n" \
	"Biff (mail notification, comsat, 512)\n" \
	"Bootstrap Protocol (BOOTP) client (68)\n" \
	"Bootstrap Protocol (BOOTP) server (67)\n" \
	"Discard (9)\n" \
	"DNSIX security protocol auditing (195)\n" \
	"Domain Name Service (DNS, 53)\n" \
	"Echo (7)\n" \
	"Internet Security Association and Key Management Protocol (500)\n" \
	"Mobile IP registration (434)\n" \
	"IEN116 name service (obsolete, 42)\n" \
	"NetBios datagram service (138)\n" \
	"NetBios name service (137)\n" \
	"NetBios session service (139)\n" \
	"Internet Security Association and Key Management Protocol (4500)\n" \
	"Network Time Protocol (123)\n" \
	"Routing Information Protocol (router, in.routed, 520)\n" \
	"Simple Network Management Protocol (161)\n" \
	"SNMP Traps (162)\n" \
	"Sun Remote Procedure Call (111)\n" \
	"System Logger (514)\n" \
	"TAC Access Control System (49)\n" \
	"Talk (517)\n" \
	"Trivial File Transfer Protocol (69)\n" \
	"Time (37)\n" \
	"Who service (rwho, 513)\n" \
	"X Display Manager Control Protocol (177)\n"

#define ACL_PORTOP(P, s) \
	"[{eq|gt|lt|neq}$" s "op " P "$" s "p|" \
	"range$" s "op " P "$" s "p " P "$" s "hi] "
#define ACL_PORTOP_HELP(PH) \
	"Match only packets on a given port number\n" \
	"Match only packets with a greater port number\n" \
	"Match only packets with a lower port number\n" \
	"Match only packets not on a given port number\n" \
	PH \
	"Match only packets in the range of port numbers\n" \
	PH PH

#define ACL_LOG_HELP "Log matches against this entry\n"
#define ACL_EST_HELP "Match established connections\n"

/* Standard lists: {A.B.C.D [W] | host A.B.C.D | any} [log] */
#define ACL_STD_ADDR "{A.B.C.D$sa [A.B.C.D$sw]|host A.B.C.D$sh|any$sany} [log]"
#define ACL_STD_ADDR_HELP \
	"Address to match\nWildcard bits\nA single host address\n" \
	"Host address\nAny source host\n" ACL_LOG_HELP

/* The bodies shared by the list modes and the numbered `access-list N`. */
#define ACL_EXT_IP ACL_ACTION ACL_PROTOS ACL_ADDR("s") ACL_ADDR("d") "[log]"
#define ACL_EXT_IP_HELP ACL_ACTION_HELP ACL_PROTOS_HELP ACL_SRC_HELP \
	ACL_DST_HELP ACL_LOG_HELP
#define ACL_EXT_TCP ACL_ACTION "tcp$proto " ACL_ADDR("s") \
	ACL_PORTOP(ACL_TCP_PORTS, "s") ACL_ADDR("d") \
	ACL_PORTOP(ACL_TCP_PORTS, "d") "[established] [log]"
#define ACL_EXT_TCP_HELP ACL_ACTION_HELP "Transmission Control Protocol\n" \
	ACL_SRC_HELP ACL_PORTOP_HELP(ACL_TCP_PORTS_HELP) ACL_DST_HELP \
	ACL_PORTOP_HELP(ACL_TCP_PORTS_HELP) ACL_EST_HELP ACL_LOG_HELP
#define ACL_EXT_UDP ACL_ACTION "udp$proto " ACL_ADDR("s") \
	ACL_PORTOP(ACL_UDP_PORTS, "s") ACL_ADDR("d") \
	ACL_PORTOP(ACL_UDP_PORTS, "d") "[log]"
#define ACL_EXT_UDP_HELP ACL_ACTION_HELP "User Datagram Protocol\n" \
	ACL_SRC_HELP ACL_PORTOP_HELP(ACL_UDP_PORTS_HELP) ACL_DST_HELP \
	ACL_PORTOP_HELP(ACL_UDP_PORTS_HELP) ACL_LOG_HELP

#define ACL_EXT_NUM "access-list {<100-199>|<2000-2699>}$num "
#define ACL_STD_NUM "access-list {<1-99>|<1300-1999>}$num "
#define ACL_NUM_HELP_ACCESS "Add an access list entry\n"
#define ACL_EXT_NUM_HELP ACL_NUM_HELP_ACCESS "IP extended access list\n" \
	"IP extended access list (expanded range)\n"
#define ACL_STD_NUM_HELP ACL_NUM_HELP_ACCESS "IP standard access list\n" \
	"IP standard access list (expanded range)\n"

/*
 * Names and numbers.
 */
static bool
acl_all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Is number n a numbered list of type type? */
static bool
acl_number_fits(unsigned long n, enum conf_acl_type type)
{
	if (type == CONF_ACL_STANDARD)
		return (n >= 1 && n <= 99) || (n >= 1300 && n <= 1999);
	return (n >= 100 && n <= 199) || (n >= 2000 && n <= 2699);
}

static enum conf_acl_type
acl_number_type(unsigned long n)
{
	return acl_number_fits(n, CONF_ACL_STANDARD) ? CONF_ACL_STANDARD
						     : CONF_ACL_EXTENDED;
}

/* The live list a mode's session is in (NULL if another session
 * removed it under us). */
static struct conf_acl *
acl_ctx_list(struct cmd_ctx *ctx, enum cmd_mode m)
{
	struct conf_obj *o = cmd_node(ctx, m);

	return o != NULL && !o->dead ? (struct conf_acl *)o : NULL;
}

/*
 * An entry from the parsed arguments.
 */
static int
acl_parse_addr(struct cmd_ctx *ctx, const struct cmd_args *a, const char *side,
	       struct conf_acl_addr *out)
{
	char n[8];
	uint32_t addr = 0, wild = 0;

	snprintf(n, sizeof(n), "%sany", side);
	if (cmd_has(a, n)) {
		out->addr = 0;
		out->wild = 0xffffffffu;
		return 0;
	}
	snprintf(n, sizeof(n), "%sh", side);
	if (cmd_arg_ip4(a, n, &addr) == 0) {
		out->addr = addr;
		out->wild = 0;
		return 0;
	}
	snprintf(n, sizeof(n), "%sa", side);
	if (cmd_arg_ip4(a, n, &addr) < 0)
		return CMD_ERR_INCOMPLETE;
	snprintf(n, sizeof(n), "%sw", side);
	if (cmd_arg_ip4(a, n, &wild) < 0)
		wild = 0;	/* standard `permit A`: one host */
	out->wild = wild;
	out->addr = addr & ~wild;	/* IOS clears the wildcarded bits */
	return 0;
}

static int
acl_port_value(uint16_t proto, const char *s)
{
	if (acl_all_digits(s))
		return (int)strtoul(s, NULL, 10);
	return conf_acl_port_lookup(proto, s);
}

static int
acl_parse_port(struct cmd_ctx *ctx, const struct cmd_args *a, const char *side,
	       uint16_t proto, struct conf_acl_port *out)
{
	static const char *const ops[] = {
		[CONF_ACL_PORT_EQ] = "eq", [CONF_ACL_PORT_NEQ] = "neq",
		[CONF_ACL_PORT_LT] = "lt", [CONF_ACL_PORT_GT] = "gt",
		[CONF_ACL_PORT_RANGE] = "range",
	};
	char n[8];
	const char *op, *lo, *hi;
	int vlo, vhi;

	memset(out, 0, sizeof(*out));
	snprintf(n, sizeof(n), "%sop", side);
	if ((op = cmd_arg(a, n)) == NULL)
		return 0;
	for (size_t i = CONF_ACL_PORT_EQ; i <= CONF_ACL_PORT_RANGE; i++)
		if (strcmp(op, ops[i]) == 0)
			out->op = (enum conf_acl_portop)i;
	snprintf(n, sizeof(n), "%sp", side);
	lo = cmd_arg(a, n);
	snprintf(n, sizeof(n), "%shi", side);
	hi = out->op == CONF_ACL_PORT_RANGE ? cmd_arg(a, n) : lo;
	if (lo == NULL || hi == NULL)
		return CMD_ERR_INCOMPLETE;
	vlo = acl_port_value(proto, lo);
	vhi = acl_port_value(proto, hi);
	if (vlo < 0 || vhi < 0)
		return cmd_error(ctx, "Invalid port name");
	if (vlo > vhi)
		return cmd_error(ctx, "Invalid port range %d %d", vlo, vhi);
	out->lo = (uint16_t)vlo;
	out->hi = (uint16_t)vhi;
	return 0;
}

static int
acl_parse_proto(const char *s, uint16_t *out)
{
	static const char *const names[] = {
		"icmp", "igmp", "tcp", "udp", "gre", "esp", "ahp", "eigrp",
		"ospf", "pim",
	};
	static const uint16_t nums[] = { 1, 2, 6, 17, 47, 50, 51, 88, 89, 103 };

	if (s == NULL)
		return CMD_ERR_INCOMPLETE;
	if (strcmp(s, "ip") == 0) {
		*out = CONF_ACL_PROTO_IP;
		return 0;
	}
	if (acl_all_digits(s)) {
		*out = (uint16_t)strtoul(s, NULL, 10);
		return 0;
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = nums[i];
			return 0;
		}
	}
	return CMD_ERR_NO_MATCH;
}

/* Fill e from a permit/deny line of a list of the given type. */
static int
acl_parse_entry(struct cmd_ctx *ctx, const struct cmd_args *a,
		enum conf_acl_type type, struct conf_acl_entry *e)
{
	const char *action = cmd_arg(a, "action");
	int rc;

	memset(e, 0, sizeof(*e));
	if (action == NULL)
		return CMD_ERR_INCOMPLETE;
	e->action = strcmp(action, "permit") == 0 ? CONF_ACL_PERMIT
						  : CONF_ACL_DENY;
	e->log = cmd_has(a, "log");
	if (type == CONF_ACL_STANDARD) {
		e->proto = CONF_ACL_PROTO_IP;
		e->dst.wild = 0xffffffffu;
		return acl_parse_addr(ctx, a, "s", &e->src);
	}
	if ((rc = acl_parse_proto(cmd_arg(a, "proto"), &e->proto)) != 0 ||
	    (rc = acl_parse_addr(ctx, a, "s", &e->src)) != 0 ||
	    (rc = acl_parse_addr(ctx, a, "d", &e->dst)) != 0 ||
	    (rc = acl_parse_port(ctx, a, "s", e->proto, &e->sport)) != 0 ||
	    (rc = acl_parse_port(ctx, a, "d", e->proto, &e->dport)) != 0)
		return rc;
	e->established = cmd_has(a, "established");
	return 0;
}

/* Remark text, cut to IOS's 100 characters. */
static char *
acl_remark_dup(const char *text)
{
	return strndup(text, CONF_ACL_REMARK_MAX - 1);
}

/*
 * Adding and removing entries.
 */
static int
acl_add_entry(struct cmd_ctx *ctx, struct conf_acl *acl,
	      const struct conf_acl_entry *tmpl, uint32_t seq)
{
	struct conf_acl_entry *e;

	if (seq == 0) {
		seq = conf_acl_next_seq(acl);
		if (seq == 0)
			return cmd_error(ctx, "Sequence number out of range");
	} else if (conf_acl_entry_at(acl, seq) != NULL) {
		return cmd_error(ctx, "Duplicate sequence number");
	}
	e = malloc(sizeof(*e));
	if (e == NULL)
		return cmd_error(ctx, "Out of memory");
	*e = *tmpl;
	e->seq = seq;
	conf_acl_entry_insert(acl, e);
	conf_touch(ctx->conf, CONF_AREA_ACL, acl->name);
	return CMD_OK;
}

/* `no permit ...`: the first entry with the same condition goes. */
static void
acl_remove_same(struct cmd_ctx *ctx, struct conf_acl *acl,
		const struct conf_acl_entry *tmpl)
{
	for (struct conf_acl_entry *e = acl->head; e; e = e->next) {
		if (conf_acl_entry_same(e, tmpl)) {
			conf_acl_entry_remove(acl, e);
			conf_touch(ctx->conf, CONF_AREA_ACL, acl->name);
			return;
		}
	}
}

static void
acl_remove_seq(struct cmd_ctx *ctx, struct conf_acl *acl, uint32_t seq)
{
	struct conf_acl_entry *e = conf_acl_entry_at(acl, seq);

	if (e != NULL) {
		conf_acl_entry_remove(acl, e);
		conf_touch(ctx->conf, CONF_AREA_ACL, acl->name);
	}
}

/* `[SEQ] {permit|deny} ...` and `no SEQ` inside a list mode. */
static int
acl_mode_entry(struct cmd_ctx *ctx, const struct cmd_args *a, enum cmd_mode m)
{
	struct conf_acl *acl = acl_ctx_list(ctx, m);
	uint32_t seq = cmd_arg_u32(a, "seq", 0);
	struct conf_acl_entry tmpl;
	int rc;

	if (acl == NULL)
		return cmd_error(ctx, "The access list has been removed.");
	if (ctx->negate && seq != 0) {
		acl_remove_seq(ctx, acl, seq);
		return CMD_OK;
	}
	rc = acl_parse_entry(ctx, a, acl->type, &tmpl);
	if (rc != 0)
		return rc;
	if (ctx->negate) {
		acl_remove_same(ctx, acl, &tmpl);
		return CMD_OK;
	}
	return acl_add_entry(ctx, acl, &tmpl, seq);
}

static int
acl_ext_entry(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return acl_mode_entry(ctx, a, MODE_ACL_EXT);
}

static int
acl_std_entry(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return acl_mode_entry(ctx, a, MODE_ACL_STD);
}

/* `[SEQ] remark LINE`; `no remark [LINE]` drops that remark (or all). */
static int
acl_mode_remark(struct cmd_ctx *ctx, const struct cmd_args *a, enum cmd_mode m)
{
	struct conf_acl *acl = acl_ctx_list(ctx, m);
	const char *text = cmd_arg(a, "text");
	struct conf_acl_entry tmpl = { .action = CONF_ACL_REMARK };
	struct conf_acl_entry *e, *next;
	uint32_t seq = cmd_arg_u32(a, "seq", 0);
	int rc;

	if (acl == NULL)
		return cmd_error(ctx, "The access list has been removed.");
	if (ctx->negate) {
		if (seq != 0) {
			acl_remove_seq(ctx, acl, seq);
			return CMD_OK;
		}
		for (e = acl->head; e != NULL; e = next) {
			next = e->next;
			if (e->action != CONF_ACL_REMARK ||
			    (text != NULL && strncmp(e->remark, text,
						     CONF_ACL_REMARK_MAX - 1) != 0))
				continue;
			conf_acl_entry_remove(acl, e);
			conf_touch(ctx->conf, CONF_AREA_ACL, acl->name);
			if (text != NULL)
				break;
		}
		return CMD_OK;
	}
	if (text == NULL)
		return CMD_ERR_INCOMPLETE;
	if ((tmpl.remark = acl_remark_dup(text)) == NULL)
		return cmd_error(ctx, "Out of memory");
	rc = acl_add_entry(ctx, acl, &tmpl, seq);
	if (rc != CMD_OK)
		free(tmpl.remark);
	return rc;
}

static int
acl_ext_remark(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return acl_mode_remark(ctx, a, MODE_ACL_EXT);
}

static int
acl_std_remark(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return acl_mode_remark(ctx, a, MODE_ACL_STD);
}

/*
 * ip access-list {extended|standard} NAME
 */
static int
acl_check_list_name(struct cmd_ctx *ctx, const char *name,
		    enum conf_acl_type type)
{
	/* A name starting with a digit is a list number of this type. */
	if (isdigit((unsigned char)name[0]) &&
	    (!acl_all_digits(name) || strlen(name) > 4 ||
	     !acl_number_fits(strtoul(name, NULL, 10), type)))
		return cmd_error(ctx, "Invalid access list name.");
	return conf_check_name(ctx, name) < 0 ? CMD_WARNING : 0;
}

static int
acl_named(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_acls *acls = ctx->conf->acls;
	const char *name = cmd_arg(a, "name");
	enum conf_acl_type type = cmd_has(a, "standard") ? CONF_ACL_STANDARD
							 : CONF_ACL_EXTENDED;
	struct conf_acl *acl;
	int rc;

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	acl = conf_acl_lookup(acls, name);
	if (ctx->negate) {
		if (acl != NULL && acl->type == type) {
			conf_acl_del(acls, acl);
			conf_touch(ctx->conf, CONF_AREA_ACL, name);
		}
		return CMD_OK;
	}
	if ((rc = acl_check_list_name(ctx, name, type)) != 0)
		return rc;
	if (acl != NULL && acl->type != type)
		return cmd_error(ctx, "Access-list type conflicts with prior "
				 "definition");
	if (acl == NULL) {
		acl = conf_acl_add(acls, name, type, acl_all_digits(name));
		if (acl == NULL)
			return cmd_error(ctx, "Out of memory");
		conf_touch(ctx->conf, CONF_AREA_ACL, name);
	}
	cmd_enter(ctx, type == CONF_ACL_STANDARD ? MODE_ACL_STD : MODE_ACL_EXT,
		  &acl->obj);
	return CMD_OK;
}

/*
 * access-list N {permit|deny|remark} ...
 */
static int
acl_numbered(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_acls *acls = ctx->conf->acls;
	const char *num = cmd_arg(a, "num");
	const char *text = cmd_arg(a, "text");
	struct conf_acl_entry tmpl = { .action = CONF_ACL_REMARK };
	enum conf_acl_type type;
	struct conf_acl *acl;
	int rc;

	if (num == NULL)
		return CMD_ERR_INCOMPLETE;
	acl = conf_acl_lookup(acls, num);
	if (ctx->negate) {
		/* IOS: `no access-list N <anything>` deletes list N. */
		if (acl != NULL) {
			conf_acl_del(acls, acl);
			conf_touch(ctx->conf, CONF_AREA_ACL, num);
		}
		return CMD_OK;
	}
	type = acl_number_type(strtoul(num, NULL, 10));
	if (acl != NULL && acl->type != type)
		return cmd_error(ctx, "Access-list type conflicts with prior "
				 "definition");
	if (text == NULL && (rc = acl_parse_entry(ctx, a, type, &tmpl)) != 0)
		return rc;
	if (text != NULL && (tmpl.remark = acl_remark_dup(text)) == NULL)
		return cmd_error(ctx, "Out of memory");
	if (acl == NULL && (acl = conf_acl_add(acls, num, type, true)) == NULL) {
		free(tmpl.remark);
		return cmd_error(ctx, "Out of memory");
	}
	rc = acl_add_entry(ctx, acl, &tmpl, 0);
	if (rc != CMD_OK)
		free(tmpl.remark);
	return rc;
}

const struct cmd_def conf_acl_cmds[] = {
	/* global: named lists */
	{ MODE_CONFIG, "ip access-list extended {<100-199>|<2000-2699>|WORD}$name",
	  "Global IP configuration subcommands\n"
	  "Named access list\n"
	  "Extended Access List\n"
	  "Extended IP access-list number\n"
	  "Extended IP access-list number (expanded range)\n"
	  "Access-list name\n",
	  acl_named, 0 },
	{ MODE_CONFIG, "ip access-list standard {<1-99>|<1300-1999>|WORD}$name",
	  "Global IP configuration subcommands\n"
	  "Named access list\n"
	  "Standard Access List\n"
	  "Standard IP access-list number\n"
	  "Standard IP access-list number (expanded range)\n"
	  "Access-list name\n",
	  acl_named, 0 },
	/* global: numbered lists */
	{ MODE_CONFIG, ACL_EXT_NUM ACL_EXT_IP,
	  ACL_EXT_NUM_HELP ACL_EXT_IP_HELP, acl_numbered, 0 },
	{ MODE_CONFIG, ACL_EXT_NUM ACL_EXT_TCP,
	  ACL_EXT_NUM_HELP ACL_EXT_TCP_HELP, acl_numbered, 0 },
	{ MODE_CONFIG, ACL_EXT_NUM ACL_EXT_UDP,
	  ACL_EXT_NUM_HELP ACL_EXT_UDP_HELP, acl_numbered, 0 },
	{ MODE_CONFIG, ACL_STD_NUM ACL_ACTION ACL_STD_ADDR,
	  ACL_STD_NUM_HELP ACL_ACTION_HELP ACL_STD_ADDR_HELP, acl_numbered, 0 },
	{ MODE_CONFIG, "access-list {<1-99>|<100-199>|<1300-1999>|<2000-2699>}$num "
	  "remark LINE$text",
	  ACL_NUM_HELP_ACCESS "IP standard access list\n"
	  "IP extended access list\n"
	  "IP standard access list (expanded range)\n"
	  "IP extended access list (expanded range)\n"
	  "Access list entry comment\n"
	  "Comment up to 100 characters\n",
	  acl_numbered, 0 },
	/* `no access-list N`: one command, so the short form is not ambiguous */
	{ MODE_CONFIG, "access-list {<1-199>|<1300-2699>}$num",
	  ACL_NUM_HELP_ACCESS "IP access list\nIP access list (expanded range)\n",
	  acl_numbered, CMD_F_NEGATE_ONLY | CMD_F_HIDDEN },
	/* (config-ext-nacl)# */
	{ MODE_ACL_EXT, ACL_SEQ ACL_EXT_IP, ACL_SEQ_HELP ACL_EXT_IP_HELP,
	  acl_ext_entry, 0 },
	{ MODE_ACL_EXT, ACL_SEQ ACL_EXT_TCP, ACL_SEQ_HELP ACL_EXT_TCP_HELP,
	  acl_ext_entry, 0 },
	{ MODE_ACL_EXT, ACL_SEQ ACL_EXT_UDP, ACL_SEQ_HELP ACL_EXT_UDP_HELP,
	  acl_ext_entry, 0 },
	{ MODE_ACL_EXT, ACL_SEQ "remark LINE$text",
	  ACL_SEQ_HELP "Access list entry comment\nComment up to 100 characters\n",
	  acl_ext_remark, 0 },
	{ MODE_ACL_EXT, "<1-2147483647>$seq", ACL_SEQ_HELP,
	  acl_ext_entry, CMD_F_NEGATE_ONLY },
	/* (config-std-nacl)# */
	{ MODE_ACL_STD, ACL_SEQ ACL_ACTION ACL_STD_ADDR,
	  ACL_SEQ_HELP ACL_ACTION_HELP ACL_STD_ADDR_HELP, acl_std_entry, 0 },
	{ MODE_ACL_STD, ACL_SEQ "remark LINE$text",
	  ACL_SEQ_HELP "Access list entry comment\nComment up to 100 characters\n",
	  acl_std_remark, 0 },
	{ MODE_ACL_STD, "<1-2147483647>$seq", ACL_SEQ_HELP,
	  acl_std_entry, CMD_F_NEGATE_ONLY },
	{ .spec = NULL },
};
