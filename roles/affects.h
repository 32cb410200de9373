/*
 * affects: the one place that decides which running engine objects a set
 * of config changes (parser/conf_change.h) concerns.  The router asks it
 * before re-applying a group; the group itself then compares its policy
 * field by field and keeps the keys the change did not govern.
 */
#ifndef ROLES_AFFECTS_H
#define ROLES_AFFECTS_H

#include <stdbool.h>

struct conf;
struct conf_changes;
struct conf_gdoi_group;

/* Does ch touch the key server group g (its node, an ACL, profile,
 * transform-set or key it names)? */
bool affects_ks_group(const struct conf *c, const struct conf_gdoi_group *g,
		      const struct conf_changes *ch);
/* Does ch touch the member group g (its node, crypto maps, interfaces,
 * ACLs)? */
bool affects_gm_group(const struct conf_gdoi_group *g,
		      const struct conf_changes *ch);
/* Does ch touch what the Phase 1 endpoint reads (policies, keys,
 * trustpoints)? */
bool affects_ike(const struct conf_changes *ch);
/* Does ch touch the interfaces the data plane is attached to? */
bool affects_dataplane(const struct conf_changes *ch);

#endif
