/*
 * router: the GET VPN roles of this process, driven by the running-config
 * (doc/design.md §4-§5).  After every accepted config line the CLI calls
 * router_apply(); it creates, adjusts or removes key server groups
 * (`crypto gdoi group` + `server local`) and group member groups (a GM
 * group named by a crypto map that is applied to an interface), and keeps
 * the GDOI endpoint listening where they need it.  Clear commands act on
 * the groups through this interface; show commands read them through
 * router_show_roles() (roles/show.h).
 */
#ifndef ROLES_ROUTER_H
#define ROLES_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf;
struct conf_changes;
struct gdoi_policy;
struct evloop;
struct ks;
struct ike;
struct ipsec_ctx;
struct keystore;
struct router;

/* port: the GDOI UDP port (848; tests use others).  backend: "user",
 * "xfrm", "null" or "auto" (xfrm when the kernel can carry the policy,
 * else user, with the reason logged). */
struct router *router_new(struct evloop *loop, uint16_t port,
			  const char *backend, char *err, size_t errlen);
void router_free(struct router *r);

/* Re-apply what the changes ch touched (parser/conf_change.h). */
void router_apply(struct router *r, const struct conf *c,
		  const struct conf_changes *ch, const struct keystore *keys);

/* clear crypto gdoi [group NAME]: members forgotten, GMs re-register. */
void router_clear(struct router *r, const char *group);

/* What the roles' show commands read (roles/show.h). */
struct show_roles;
void router_show_roles(const struct router *r, struct show_roles *out);

struct ike *router_ike(const struct router *r);
/* The key server role (its own commands: roles/ks.h). */
struct ks *router_ks(const struct router *r);
struct ipsec_ctx *router_ipsec(struct router *r);
/* Number of members registered to KS group name (tests). */
size_t router_ks_members(const struct router *r, const char *group);
/* The current policy (keys included) of KS group name, NULL if none
 * (tests stand in for the key server's rekeys with it). */
const struct gdoi_policy *router_ks_policy(const struct router *r,
					   const char *group);
/* "Registered", "Registering" ... of GM group name, NULL if none. */
const char *router_gm_state(const struct router *r, const char *group);

#endif
