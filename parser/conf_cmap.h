/*
 * conf_cmap: GDOI crypto maps in the running-config tree (doc/ios-cli.md
 * §2.10, §3.1): `crypto map NAME N gdoi` entries (set group, match
 * address, ...), the map's fail-close settings and local address.
 *
 * A GM runs a group when a map entry names it and the map is applied to
 * an interface (`crypto map NAME` under `interface`, see conf_if.h).
 * Names are references (group, ACL, ISAKMP profile, interface) that may
 * not exist yet: the GM engine reports those as "not ready".
 */
#ifndef PARSER_CONF_CMAP_H
#define PARSER_CONF_CMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct conf_cmap;
struct hmap;
struct term;

#define CONF_CMAP_DESC_MAX	240

/* `crypto map NAME N gdoi`: one entry. */
struct conf_cmap_entry {
	struct conf_obj obj;		/* first: (config-crypto-map)# holds it */
	uint16_t seq;			/* 1-65535, the list order */
	struct conf_cmap *map;		/* the map it belongs to */
	char group[CONF_NAME_MAX];	/* set group; "" = none (map disabled) */
	char acl[CONF_NAME_MAX];	/* match address: GM-local deny ACL */
	char isakmp_profile[CONF_NAME_MAX];	/* set isakmp-profile */
	char *description;		/* NULL if none */
	bool qos_preclassify;
	struct conf_cmap_entry *prev, *next;	/* sorted by seq */
};

/* `crypto map NAME gdoi fail-close`. */
struct conf_cmap_fc {
	struct conf_obj obj;		/* first: (crypto-map-fail-close)# holds it */
	bool activate;
	char acl[CONF_NAME_MAX];	/* match address: what may pass in clear */
};

struct conf_cmap {
	char name[CONF_NAME_MAX];	/* case-sensitive */
	bool ipv6;			/* crypto map ipv6 NAME ... */
	char local_if[CONF_NAME_MAX];	/* local-address IFNAME; "" = none */
	struct conf_cmap_fc *fc;	/* NULL unless configured */
	struct conf_cmap_entry *head, *tail;	/* sorted by seq */
	unsigned n_entries;
	struct conf_cmap *prev, *next;	/* creation order */
};

struct conf_cmaps {
	struct hmap *by_name;
	struct conf_cmap *head, *tail;
};

struct conf_cmaps *conf_cmaps_new(void);
void conf_cmaps_free(struct conf_cmaps *cmaps);
/*
 * `show running-config` part: maps in creation order; for each its
 * local-address line, its fail-close block and its entries by sequence,
 * every block followed by `!`.
 */
void conf_cmaps_show(const struct conf_cmaps *cmaps, struct term *t);

/* O(1) by name; NULL if absent.  Iterate from conf_cmap_first / ->next,
 * entries from ->head / ->next. */
const struct conf_cmap *conf_cmap_find(const struct conf_cmaps *cmaps,
				       const char *name);
const struct conf_cmap *conf_cmap_first(const struct conf_cmaps *cmaps);
const struct conf_cmap_entry *conf_cmap_entry_find(const struct conf_cmap *m,
						   uint16_t seq);
/* The first map with an entry that sets GDOI group name, and that entry;
 * NULL if none. */
const struct conf_cmap *conf_cmap_of_group(const struct conf_cmaps *cmaps,
					   const char *group,
					   const struct conf_cmap_entry **entry);

/* Tree edits for cmd_cmap.c (handlers validate first). */
struct conf_cmap *conf_cmap_lookup(struct conf_cmaps *cmaps, const char *name);
struct conf_cmap *conf_cmap_add(struct conf_cmaps *cmaps, const char *name,
				bool ipv6);
/* Unlink the map and kill its entries and fail-close node. */
void conf_cmap_del(struct conf_cmaps *cmaps, struct conf_cmap *m);
/* Delete m if nothing is left in it. */
void conf_cmap_del_if_empty(struct conf_cmaps *cmaps, struct conf_cmap *m);
struct conf_cmap_entry *conf_cmap_entry_lookup(struct conf_cmap *m,
					       uint16_t seq);
struct conf_cmap_entry *conf_cmap_entry_add(struct conf_cmap *m, uint16_t seq);
void conf_cmap_entry_del(struct conf_cmap *m, struct conf_cmap_entry *e);
struct conf_cmap_fc *conf_cmap_fc_add(struct conf_cmap *m);
void conf_cmap_fc_del(struct conf_cmap *m);

extern const struct cmd_def conf_cmap_cmds[];

#endif
