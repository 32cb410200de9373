/*
 * conf_acl: IPv4 access lists in the running-config tree (doc/ios-cli.md §2.5):
 * named lists (`ip access-list {extended|standard} NAME`) and numbered ones
 * (`access-list N ...`, or `ip access-list extended 101`).
 *
 * The nodes are plain data: the KS turns an extended list into TEK
 * selectors, the GM merges its local deny list in front of the KS policy,
 * the data plane compiles entries into a classifier.  Addresses and
 * wildcards are IPv4 in network byte order; host bits outside the
 * wildcard are already cleared (as IOS does when it stores an entry).
 */
#ifndef PARSER_CONF_ACL_H
#define PARSER_CONF_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct hmap;
struct term;

/* `ip` in an extended entry: any IP protocol (not a protocol number). */
#define CONF_ACL_PROTO_IP	256
#define CONF_ACL_SEQ_MAX	2147483647u
#define CONF_ACL_SEQ_STEP	10
#define CONF_ACL_REMARK_MAX	101	/* IOS: "Comment up to 100 characters" */

enum conf_acl_type {
	CONF_ACL_EXTENDED,
	CONF_ACL_STANDARD,
};

enum conf_acl_action {
	CONF_ACL_PERMIT,
	CONF_ACL_DENY,
	CONF_ACL_REMARK,	/* a comment line; matches nothing */
};

enum conf_acl_portop {
	CONF_ACL_PORT_ANY,	/* no port condition */
	CONF_ACL_PORT_EQ,
	CONF_ACL_PORT_NEQ,
	CONF_ACL_PORT_LT,
	CONF_ACL_PORT_GT,
	CONF_ACL_PORT_RANGE,	/* lo..hi inclusive */
};

/* An address condition: match when (pkt & ~wild) == addr. */
struct conf_acl_addr {
	uint32_t addr;		/* network order, host bits cleared */
	uint32_t wild;		/* network order; 1 bits are "don't care" */
};

struct conf_acl_port {
	enum conf_acl_portop op;
	uint16_t lo;		/* the port of eq/neq/lt/gt; range start */
	uint16_t hi;		/* range end (== lo otherwise) */
};

struct conf_acl_entry {
	uint32_t seq;			/* 1-2147483647, the list order */
	enum conf_acl_action action;
	uint16_t proto;			/* 0-255 or CONF_ACL_PROTO_IP */
	struct conf_acl_addr src, dst;	/* standard lists: src only */
	struct conf_acl_port sport, dport;	/* tcp/udp only */
	bool established;		/* tcp: ACK or RST set */
	bool log;
	char *remark;			/* CONF_ACL_REMARK only */
	struct conf_acl_entry *prev, *next;
};

struct conf_acl {
	struct conf_obj obj;		/* first: (config-*-nacl)# holds it */
	char name[CONF_NAME_MAX];	/* case-sensitive; "101" if numbered */
	enum conf_acl_type type;
	bool numbered;			/* NVGEN as `access-list N ...` lines */
	uint32_t number;		/* when numbered */
	struct conf_acl_entry *head, *tail;	/* sorted by seq */
	size_t count;			/* entries, remarks included */
	struct conf_acl *prev, *next;	/* creation order */
};

struct conf_acls {
	struct hmap *by_name;
	struct conf_acl *head, *tail;
};

struct conf_acls *conf_acls_new(void);
void conf_acls_free(struct conf_acls *acls);
/*
 * The ACL part of `show running-config`: named lists in creation order
 * (each block ends with `!`), then the numbered lists sorted by number as
 * `access-list N ...` lines (one `!` after the run).
 */
void conf_acls_show(const struct conf_acls *acls, struct term *t);

/* A list by name ("101" for numbered lists), O(1); NULL if absent. */
const struct conf_acl *conf_acl_find(const struct conf_acls *acls,
				     const char *name);
/* Lists in creation order. */
const struct conf_acl *conf_acl_first(const struct conf_acls *acls);

/*
 * One entry as IOS prints it, without the leading space or sequence
 * number: "permit tcp any host 10.1.1.1 eq www", "deny   10.0.0.0 0.0.0.255".
 * Returns the length snprintf would have written.
 */
int conf_acl_entry_format(const struct conf_acl *acl,
			  const struct conf_acl_entry *e, char *buf, size_t len);

/* One entry as a traffic selector: the one conversion every consumer
 * (key server TEKs, member bypass lists) uses.  Addresses and masks in
 * network order, ports as inclusive host-order ranges (any = 0-65535). */
struct conf_acl_sel {
	uint8_t proto;			/* 0 = any IP protocol */
	uint32_t src, src_mask, dst, dst_mask;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
};

/* -1 when a port condition has no single range (neq). */
int conf_acl_entry_selector(const struct conf_acl_entry *e,
			    struct conf_acl_sel *out);
/* Is the range one port or every port (what a GDOI selector carries)? */
bool conf_acl_sel_single_ports(const struct conf_acl_sel *s);

/* IOS protocol keyword for a number ("tcp", "esp" ...), or NULL. */
const char *conf_acl_proto_name(uint16_t proto);
/* Port number for an IOS port keyword of proto (tcp 6 / udp 17); -1 if
 * the name is not one of that protocol's names. */
int conf_acl_port_lookup(uint16_t proto, const char *name);
/* The name IOS prints for a port of proto, or NULL to print the number. */
const char *conf_acl_port_name(uint16_t proto, uint16_t port);

/*
 * Tree edits for cmd_acl.c.  They do not validate arguments; handlers
 * check first so a refused line leaves the tree untouched.
 */
struct conf_acl *conf_acl_lookup(struct conf_acls *acls, const char *name);
/* A new empty list appended to the creation order; NULL on allocation
 * failure (nothing changed then). */
struct conf_acl *conf_acl_add(struct conf_acls *acls, const char *name,
			      enum conf_acl_type type, bool numbered);
/* Unlink the list and kill it (freed when no session is inside it). */
void conf_acl_del(struct conf_acls *acls, struct conf_acl *acl);

/* The entry with sequence seq, or NULL. */
struct conf_acl_entry *conf_acl_entry_at(const struct conf_acl *acl,
					 uint32_t seq);
/* The sequence an entry typed without one gets: last + 10 (0 if that
 * would pass CONF_ACL_SEQ_MAX). */
uint32_t conf_acl_next_seq(const struct conf_acl *acl);
/* Link e (seq already set and free) in order: O(1) when it goes last. */
void conf_acl_entry_insert(struct conf_acl *acl, struct conf_acl_entry *e);
void conf_acl_entry_remove(struct conf_acl *acl, struct conf_acl_entry *e);
void conf_acl_entry_free(struct conf_acl_entry *e);
/* Same condition and action (sequence numbers ignored). */
bool conf_acl_entry_same(const struct conf_acl_entry *a,
			 const struct conf_acl_entry *b);

extern const struct cmd_def conf_acl_cmds[];

#endif
