/*
 * conf_change: what the config lines since the last commit touched, so
 * the engines re-apply only the groups that depend on it (doc/design.md §4).
 *
 * A handler records the area and the name of the node it edited
 * (conf_mark); a plain conf_touch records "this area, any name", which is
 * always safe: the engines then look at every group of that area and
 * still keep keys whose policy did not change.  The key store is not in
 * the running-config but is marked the same way (by key label), so
 * `crypto key generate rsa` re-applies the groups that name the key.
 */
#ifndef PARSER_CONF_CHANGE_H
#define PARSER_CONF_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

enum conf_area {
	CONF_AREA_GROUP,	/* crypto gdoi group NAME and below */
	CONF_AREA_ACL,		/* access list NAME */
	CONF_AREA_IPSEC,	/* transform-set or ipsec profile NAME */
	CONF_AREA_ISAKMP,	/* isakmp policies, keys, keyrings */
	CONF_AREA_MAP,		/* interfaces and crypto maps */
	CONF_AREA_PKI,		/* trustpoint NAME */
	CONF_AREA_KEY,		/* RSA key pair LABEL (the key store) */
	CONF_AREA_OTHER,	/* hostname, logging, lines */
	CONF_AREA_COUNT
};

#define CONF_CHANGE_NAMES 8
#define CONF_CHANGE_NAME_MAX 64

struct conf_changes {
	unsigned areas;		/* bit per area touched */
	unsigned any_name;	/* bit per area: names not (all) recorded */
	size_t n;
	struct {
		enum conf_area area;
		char name[CONF_CHANGE_NAME_MAX];
	} mark[CONF_CHANGE_NAMES];
};

/* Record that name in area changed (name NULL: any name of area). */
void conf_changes_mark(struct conf_changes *ch, enum conf_area area,
		       const char *name);
/* Everything changed (a fresh engine, a full reload). */
void conf_changes_all(struct conf_changes *ch);
bool conf_changes_pending(const struct conf_changes *ch);
bool conf_changes_area(const struct conf_changes *ch, enum conf_area area);
/* Did node name of area change?  (An empty name never matches a mark.) */
bool conf_changes_has(const struct conf_changes *ch, enum conf_area area,
		      const char *name);
void conf_changes_reset(struct conf_changes *ch);

#endif
