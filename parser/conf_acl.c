/*
 * conf_acl: the access-list nodes, their lookups and their NVGEN
 * (doc/ios-cli.md §2.5, §7.2): entry order by sequence number, `deny` padded
 * to the width of `permit`, ports printed by their IOS names, `host A`
 * and `any` for the all-zero and all-one wildcards.
 *
 * Entries live in a doubly linked list sorted by sequence number with a
 * tail pointer, so that pasting a long list (each entry numbered last +
 * 10) appends in O(1); an explicit sequence number in the middle walks
 * the list, which only hand-edits do.
 */
#include "parser/conf_acl.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"
#include "platform/term.h"

#define ACL_TCP 6
#define ACL_UDP 17

/*
 * IOS keyword tables.  The port names are per protocol, as in IOS's
 * parser: `eq isakmp` is a UDP name, `eq bgp` a TCP one; a port with no
 * name of its protocol is printed as a number (22, 443, 848).
 */
static const struct {
	const char *name;
	uint16_t proto;
} acl_protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", ACL_TCP }, { "udp", ACL_UDP },
	{ "gre", 47 }, { "esp", 50 }, { "ahp", 51 }, { "eigrp", 88 },
	{ "ospf", 89 }, { "pim", 103 },
};

struct acl_port_name {
	const char *name;
	uint16_t port;
};

static const struct acl_port_name acl_tcp_ports[] = {
	{ "bgp", 179 }, { "chargen", 19 }, { "cmd", 514 }, { "daytime", 13 },
	{ "discard", 9 }, { "domain", 53 }, { "echo", 7 }, { "exec", 512 },
	{ "finger", 79 }, { "ftp", 21 }, { "ftp-data", 20 }, { "gopher", 70 },
	{ "hostname", 101 }, { "ident", 113 }, { "irc", 194 },
	{ "klogin", 543 }, { "kshell", 544 }, { "login", 513 }, { "lpd", 515 },
	{ "nntp", 119 }, { "pop2", 109 }, { "pop3", 110 }, { "smtp", 25 },
	{ "sunrpc", 111 }, { "tacacs", 49 }, { "talk", 517 }, { "telnet", 23 },
	{ "time", 37 }, { "uucp", 540 }, { "whois", 43 }, { "www", 80 },
};

static const struct acl_port_name acl_udp_ports[] = {
	{ "biff", 512 }, { "bootpc", 68 }, { "bootps", 67 }, { "discard", 9 },
	{ "dnsix", 195 }, { "domain", 53 }, { "echo", 7 }, { "isakmp", 500 },
	{ "mobile-ip", 434 }, { "nameserver", 42 }, { "netbios-dgm", 138 },
	{ "netbios-ns", 137 }, { "netbios-ss", 139 },
	{ "non500-isakmp", 4500 }, { "ntp", 123 }, { "rip", 520 },
	{ "snmp", 161 }, { "snmptrap", 162 }, { "sunrpc", 111 },
	{ "syslog", 514 }, { "tacacs", 49 }, { "talk", 517 }, { "tftp", 69 },
	{ "time", 37 }, { "who", 513 }, { "xdmcp", 177 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct acl_port_name *
acl_port_table(uint16_t proto, size_t *n)
{
	if (proto == ACL_TCP) {
		*n = NELEM(acl_tcp_ports);
		return acl_tcp_ports;
	}
	if (proto == ACL_UDP) {
		*n = NELEM(acl_udp_ports);
		return acl_udp_ports;
	}
	*n = 0;
	return NULL;
}

const char *
conf_acl_proto_name(uint16_t proto)
{
	if (proto == CONF_ACL_PROTO_IP)
		return "ip";
	for (size_t i = 0; i < NELEM(acl_protos); i++)
		if (acl_protos[i].proto == proto)
			return acl_protos[i].name;
	return NULL;
}

int
conf_acl_port_lookup(uint16_t proto, const char *name)
{
	size_t n;
	const struct acl_port_name *tab = acl_port_table(proto, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].port;
	return -1;
}

const char *
conf_acl_port_name(uint16_t proto, uint16_t port)
{
	size_t n;
	const struct acl_port_name *tab = acl_port_table(proto, &n);

	for (size_t i = 0; i < n; i++)
		if (tab[i].port == port)
			return tab[i].name;
	return NULL;
}

/*
 * The area.
 */
struct conf_acls *
conf_acls_new(void)
{
	struct conf_acls *acls = calloc(1, sizeof(*acls));

	if (acls == NULL)
		return NULL;
	acls->by_name = hmap_new();
	if (acls->by_name == NULL) {
		free(acls);
		return NULL;
	}
	return acls;
}

void
conf_acl_entry_free(struct conf_acl_entry *e)
{
	if (e == NULL)
		return;
	free(e->remark);
	free(e);
}

static void
acl_destroy(struct conf_obj *o)
{
	struct conf_acl *acl = (struct conf_acl *)o;
	struct conf_acl_entry *e, *next;

	for (e = acl->head; e != NULL; e = next) {
		next = e->next;
		conf_acl_entry_free(e);
	}
	free(acl);
}

void
conf_acls_free(struct conf_acls *acls)
{
	struct conf_acl *acl, *next;

	if (acls == NULL)
		return;
	for (acl = acls->head; acl != NULL; acl = next) {
		next = acl->next;
		conf_obj_kill(&acl->obj);
	}
	hmap_free(acls->by_name);
	free(acls);
}

const struct conf_acl *
conf_acl_find(const struct conf_acls *acls, const char *name)
{
	return hmap_get(acls->by_name, name);
}

const struct conf_acl *
conf_acl_first(const struct conf_acls *acls)
{
	return acls->head;
}

struct conf_acl *
conf_acl_lookup(struct conf_acls *acls, const char *name)
{
	return hmap_get(acls->by_name, name);
}

struct conf_acl *
conf_acl_add(struct conf_acls *acls, const char *name,
	     enum conf_acl_type type, bool numbered)
{
	struct conf_acl *acl = calloc(1, sizeof(*acl));

	if (acl == NULL)
		return NULL;
	conf_obj_init(&acl->obj, acl_destroy);
	snprintf(acl->name, sizeof(acl->name), "%s", name);
	acl->type = type;
	acl->numbered = numbered;
	if (numbered)
		acl->number = (uint32_t)strtoul(name, NULL, 10);
	if (hmap_put(acls->by_name, acl->name, acl) < 0) {
		free(acl);
		return NULL;
	}
	acl->prev = acls->tail;
	if (acls->tail != NULL)
		acls->tail->next = acl;
	else
		acls->head = acl;
	acls->tail = acl;
	return acl;
}

void
conf_acl_del(struct conf_acls *acls, struct conf_acl *acl)
{
	hmap_del(acls->by_name, acl->name);
	if (acl->prev != NULL)
		acl->prev->next = acl->next;
	else
		acls->head = acl->next;
	if (acl->next != NULL)
		acl->next->prev = acl->prev;
	else
		acls->tail = acl->prev;
	acl->prev = acl->next = NULL;
	conf_obj_kill(&acl->obj);
}

/*
 * Entries.
 */
struct conf_acl_entry *
conf_acl_entry_at(const struct conf_acl *acl, uint32_t seq)
{
	struct conf_acl_entry *e;

	if (acl->tail == NULL || seq > acl->tail->seq)
		return NULL;
	for (e = acl->head; e != NULL && e->seq <= seq; e = e->next)
		if (e->seq == seq)
			return e;
	return NULL;
}

uint32_t
conf_acl_next_seq(const struct conf_acl *acl)
{
	uint32_t last = acl->tail ? acl->tail->seq : 0;

	if (last > CONF_ACL_SEQ_MAX - CONF_ACL_SEQ_STEP)
		return 0;
	return last + CONF_ACL_SEQ_STEP;
}

void
conf_acl_entry_insert(struct conf_acl *acl, struct conf_acl_entry *e)
{
	struct conf_acl_entry *at = NULL;

	/* Common case first: the new entry goes last. */
	if (acl->tail == NULL || e->seq > acl->tail->seq) {
		at = NULL;
	} else {
		for (at = acl->head; at != NULL && at->seq < e->seq; at = at->next)
			;
	}
	/* Insert before at (NULL: append). */
	e->next = at;
	e->prev = at ? at->prev : acl->tail;
	if (e->prev != NULL)
		e->prev->next = e;
	else
		acl->head = e;
	if (at != NULL)
		at->prev = e;
	else
		acl->tail = e;
	acl->count++;
}

void
conf_acl_entry_remove(struct conf_acl *acl, struct conf_acl_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		acl->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		acl->tail = e->prev;
	acl->count--;
	conf_acl_entry_free(e);
}

static bool
acl_port_same(const struct conf_acl_port *a, const struct conf_acl_port *b)
{
	return a->op == b->op && a->lo == b->lo && a->hi == b->hi;
}

bool
conf_acl_entry_same(const struct conf_acl_entry *a,
		    const struct conf_acl_entry *b)
{
	if (a->action != b->action)
		return false;
	if (a->action == CONF_ACL_REMARK)
		return strcmp(a->remark, b->remark) == 0;
	return a->proto == b->proto && a->src.addr == b->src.addr &&
	       a->src.wild == b->src.wild && a->dst.addr == b->dst.addr &&
	       a->dst.wild == b->dst.wild &&
	       acl_port_same(&a->sport, &b->sport) &&
	       acl_port_same(&a->dport, &b->dport) &&
	       a->established == b->established && a->log == b->log;
}

/*
 * NVGEN of one entry.
 */
struct acl_buf {
	char *p;
	size_t len;
	int n;		/* what would have been written */
};

static void __attribute__((format(printf, 2, 3)))
acl_put(struct acl_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t used = (size_t)b->n < b->len ? (size_t)b->n : b->len;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(b->p + used, b->len - used, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n += k;
}

static void
acl_put_ip(struct acl_buf *b, const char *prefix, uint32_t addr)
{
	char s[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };

	inet_ntop(AF_INET, &in, s, sizeof(s));
	acl_put(b, "%s%s", prefix, s);
}

/* Extended: any | host A | A W.  Standard: any | A | A W. */
static void
acl_put_addr(struct acl_buf *b, const struct conf_acl_addr *a, bool std)
{
	if (a->wild == 0xffffffffu) {
		acl_put(b, " any");
		return;
	}
	if (a->wild == 0) {
		acl_put_ip(b, std ? " " : " host ", a->addr);
		return;
	}
	acl_put_ip(b, " ", a->addr);
	acl_put_ip(b, " ", a->wild);
}

static void
acl_put_port1(struct acl_buf *b, uint16_t proto, uint16_t port)
{
	const char *name = conf_acl_port_name(proto, port);

	if (name != NULL)
		acl_put(b, " %s", name);
	else
		acl_put(b, " %u", port);
}

static void
acl_put_port(struct acl_buf *b, uint16_t proto, const struct conf_acl_port *p)
{
	static const char *const ops[] = {
		[CONF_ACL_PORT_EQ] = "eq", [CONF_ACL_PORT_NEQ] = "neq",
		[CONF_ACL_PORT_LT] = "lt", [CONF_ACL_PORT_GT] = "gt",
		[CONF_ACL_PORT_RANGE] = "range",
	};

	if (p->op == CONF_ACL_PORT_ANY)
		return;
	acl_put(b, " %s", ops[p->op]);
	acl_put_port1(b, proto, p->lo);
	if (p->op == CONF_ACL_PORT_RANGE)
		acl_put_port1(b, proto, p->hi);
}

int
conf_acl_entry_format(const struct conf_acl *acl,
		      const struct conf_acl_entry *e, char *buf, size_t len)
{
	struct acl_buf b = { buf, len, 0 };
	bool std = acl->type == CONF_ACL_STANDARD;
	const char *pname;

	if (len > 0)
		buf[0] = '\0';
	if (e->action == CONF_ACL_REMARK) {
		acl_put(&b, "remark %s", e->remark);
		return b.n;
	}
	/* IOS pads `deny` to the width of `permit`. */
	acl_put(&b, "%s", e->action == CONF_ACL_PERMIT ? "permit" : "deny  ");
	if (!std) {
		pname = conf_acl_proto_name(e->proto);
		if (pname != NULL)
			acl_put(&b, " %s", pname);
		else
			acl_put(&b, " %u", e->proto);
	}
	acl_put_addr(&b, &e->src, std);
	if (!std) {
		acl_put_port(&b, e->proto, &e->sport);
		acl_put_addr(&b, &e->dst, false);
		acl_put_port(&b, e->proto, &e->dport);
		if (e->established)
			acl_put(&b, " established");
	}
	if (e->log)
		acl_put(&b, " log");
	return b.n;
}

/*
 * NVGEN of the area.
 */
static void
acl_show_entries(const struct conf_acl *acl, struct term *t,
		 const char *prefix)
{
	char line[512];

	for (const struct conf_acl_entry *e = acl->head; e; e = e->next) {
		conf_acl_entry_format(acl, e, line, sizeof(line));
		term_printf(t, "%s%s\n", prefix, line);
	}
}

static int
acl_cmp_number(const void *a, const void *b)
{
	const struct conf_acl *x = *(const struct conf_acl *const *)a;
	const struct conf_acl *y = *(const struct conf_acl *const *)b;

	return x->number < y->number ? -1 : x->number > y->number;
}

static void
acl_show_numbered(const struct conf_acls *acls, struct term *t)
{
	const struct conf_acl **v;
	size_t n = 0, i = 0;
	char prefix[CONF_NAME_MAX + 16];

	for (const struct conf_acl *acl = acls->head; acl; acl = acl->next)
		n += acl->numbered;
	if (n == 0)
		return;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return;
	for (const struct conf_acl *acl = acls->head; acl; acl = acl->next)
		if (acl->numbered)
			v[i++] = acl;
	qsort(v, n, sizeof(*v), acl_cmp_number);
	for (i = 0; i < n; i++) {
		snprintf(prefix, sizeof(prefix), "access-list %s ", v[i]->name);
		acl_show_entries(v[i], t, prefix);
	}
	term_puts(t, "!\n");
	free(v);
}

void
conf_acls_show(const struct conf_acls *acls, struct term *t)
{
	for (const struct conf_acl *acl = acls->head; acl; acl = acl->next) {
		if (acl->numbered)
			continue;
		term_printf(t, "ip access-list %s %s\n",
			    acl->type == CONF_ACL_STANDARD ? "standard" : "extended",
			    acl->name);
		acl_show_entries(acl, t, " ");
		term_puts(t, "!\n");
	}
	acl_show_numbered(acls, t);
}

static int
port_range(const struct conf_acl_port *p, uint16_t *lo, uint16_t *hi)
{
	switch (p->op) {
	case CONF_ACL_PORT_ANY: *lo = 0; *hi = 65535; return 0;
	case CONF_ACL_PORT_EQ: *lo = *hi = p->lo; return 0;
	case CONF_ACL_PORT_LT:
		if (p->lo == 0)
			return -1;
		*lo = 0; *hi = (uint16_t)(p->lo - 1); return 0;
	case CONF_ACL_PORT_GT:
		if (p->lo == 65535)
			return -1;
		*lo = (uint16_t)(p->lo + 1); *hi = 65535; return 0;
	case CONF_ACL_PORT_RANGE: *lo = p->lo; *hi = p->hi; return 0;
	default: return -1;
	}
}

int
conf_acl_entry_selector(const struct conf_acl_entry *e, struct conf_acl_sel *s)
{
	memset(s, 0, sizeof(*s));
	s->proto = e->proto == CONF_ACL_PROTO_IP ? 0 : (uint8_t)e->proto;
	s->src = e->src.addr;
	s->src_mask = ~e->src.wild;
	s->dst = e->dst.addr;
	s->dst_mask = ~e->dst.wild;
	if (port_range(&e->sport, &s->sport_lo, &s->sport_hi) < 0 ||
	    port_range(&e->dport, &s->dport_lo, &s->dport_hi) < 0)
		return -1;
	return 0;
}

static bool
single(uint16_t lo, uint16_t hi)
{
	return lo == hi || (lo == 0 && hi == 65535);
}

bool
conf_acl_sel_single_ports(const struct conf_acl_sel *s)
{
	return single(s->sport_lo, s->sport_hi) &&
	       single(s->dport_lo, s->dport_hi);
}
