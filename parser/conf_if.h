/*
 * conf_if: interfaces in the running-config tree (doc/ios-cli.md §2.10,
 * §2.11, §7.4).  An interface is a Linux network device, by its own
 * name or by an IOS name bound to it with `interface-name`; the GM
 * engine applies the GET VPN data path to the interfaces that carry a
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

#define CONF_IFNAME_MAX		48	/* Linux or IOS name + NUL */
#define CONF_LINUX_IFNAME_MAX	16	/* IFNAMSIZ: 15 characters + NUL */
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

/* `interface-name IOSNAME linux DEV`: an IOS name bound to a device. */
struct conf_ifmap {
	char ios[CONF_IFNAME_MAX];
	char dev[CONF_LINUX_IFNAME_MAX];
	struct conf_ifmap *next;	/* in the order configured */
};

struct conf_ifs {
	struct hmap *by_name;
	struct conf_if *head, *tail;
	struct conf_ifmap *maps;
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

/*
 * Interface names (conf_ifname.c, doc/cli.md "Interface names").  A name
 * is a Linux device name (at most 15 characters, no '/') or an IOS name:
 * a known IOS interface type, abbreviated or not, then the slot/port
 * numbers (GigabitEthernet0/0/0, g0/0/0, Gi0/0/0.10).  conf_if_canon
 * writes the canonical form (the IOS type spelled out) into out; -1 with
 * the reason in why when the name is neither.
 */
int conf_if_canon(const char *name, char *out, size_t len, const char **why);
/* Is name usable as a Linux device name? */
bool conf_if_is_linux_name(const char *name);
/* The Linux device an IOS name is bound to, and back; NULL if none. */
const char *conf_ifmap_linux_name(const struct conf_ifs *ifs,
				  const char *ios);
const char *conf_ifmap_ios_name(const struct conf_ifs *ifs, const char *dev);
/* The Linux device a configured interface stands for: its binding, else
 * its own name when that is a Linux name; NULL when it has neither. */
const char *conf_if_device(const struct conf_ifs *ifs, const char *name);
void conf_ifmaps_free(struct conf_ifs *ifs);
/* `show running-config` part: the interface-name lines. */
void conf_ifmaps_show(const struct conf_ifs *ifs, struct term *t);

extern const struct cmd_def conf_if_cmds[];
extern const struct cmd_def conf_ifname_cmds[];

#endif
