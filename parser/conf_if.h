/*
 * conf_if: interfaces in the running-config tree (doc/ios-cli.md §2.10,
 * §2.11, §7.4).  An interface is a Linux network device by name; the
 * GM engine applies the GET VPN data path to the interfaces that carry a
 * `crypto map`.  Plain data; addresses in network byte order.
 */
#ifndef PARSER_CONF_IF_H
#define PARSER_CONF_IF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct hmap;
struct term;

#define CONF_IFNAME_MAX		16	/* IFNAMSIZ: 15 characters + NUL */
#define CONF_IF_DESC_MAX	240
#define CONF_IF_MAX_SECONDARY	32

struct conf_if_addr {
	uint32_t addr, mask;		/* network order */
};

struct conf_if {
	struct conf_obj obj;		/* first: (config-if)# holds it */
	char name[CONF_IFNAME_MAX];
	char *description;		/* NULL if none */
	bool has_addr;			/* primary address configured */
	struct conf_if_addr addr;
	struct conf_if_addr secondary[CONF_IF_MAX_SECONDARY];	/* in order */
	unsigned n_secondary;
	uint16_t mtu;			/* ip mtu; 0 = not set */
	uint16_t adjust_mss;		/* ip tcp adjust-mss; 0 = not set */
	char cmap[CONF_NAME_MAX];	/* crypto map name; "" = none */
	bool shutdown;
	struct conf_if *prev, *next;	/* creation order */
};

struct conf_ifs {
	struct hmap *by_name;
	struct conf_if *head, *tail;
};

struct conf_ifs *conf_ifs_new(void);
void conf_ifs_free(struct conf_ifs *ifs);
/* `show running-config` part: interfaces in creation order, each block
 * ending with `!`. */
void conf_ifs_show(const struct conf_ifs *ifs, struct term *t);

/* O(1) by name; NULL if absent.  Iterate from conf_if_first / ->next. */
const struct conf_if *conf_if_find(const struct conf_ifs *ifs,
				   const char *name);
const struct conf_if *conf_if_first(const struct conf_ifs *ifs);

/*
 * The interfaces a crypto map is applied to, as IOS lists them in
 * "% Crypto-map NAME is in use by interface(s): eth0, eth1": names joined
 * by ", " into buf.  Returns how many.
 */
unsigned conf_ifs_using_cmap(const struct conf_ifs *ifs, const char *cmap,
			     char *buf, size_t len);

/* Tree edits for cmd_if.c (handlers validate first). */
struct conf_if *conf_if_lookup(struct conf_ifs *ifs, const char *name);
struct conf_if *conf_if_add(struct conf_ifs *ifs, const char *name);
void conf_if_del(struct conf_ifs *ifs, struct conf_if *ifp);
/* Back to an unconfigured interface (`default interface NAME`). */
void conf_if_reset(struct conf_if *ifp);

extern const struct cmd_def conf_if_cmds[];

#endif
