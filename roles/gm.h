/*
 * gm: the group member role of one GDOI group: registration with the
 * first reachable key server of the ordered `server address ipv4` list,
 * moving down the list and backing off on failure, installing the
 * downloaded policy through the ipsec backend, re-registering before the
 * TEK/KEK lifetimes end, and keeping the downloaded policy while no key
 * server answers.  One state machine with one transition funnel.
 */
#ifndef ROLES_GM_H
#define ROLES_GM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evloop;
struct gdoi_tek;
struct ike;
struct ike_dgram;
struct ipsec_ctx;
struct ipsec_policy;
struct ipsec_stats;
/* One member group; its fields are private to roles/gm*.c (gm_int.h). */
struct gm_group;

#define GM_MAX_SERVERS 16
#define GM_MAX_LOCAL_DENY 64
#define GM_BACKOFF_MIN_MS 5000
#define GM_BACKOFF_MAX_MS 60000
/* Re-register when this share of the shortest lifetime has passed. */
#define GM_REREG_PERCENT 90

enum gm_state {
	GM_STATE_IDLE,		/* not active (no crypto map applied) */
	GM_STATE_REGISTERING,
	GM_STATE_REGISTERED,
	GM_STATE_WAITING,	/* every KS failed: backing off */
	GM_STATE_COUNT
};


struct gm_group *gm_group_new(const char *name, struct evloop *loop,
			      struct ike *ike, struct ipsec_ctx *ipsec);
void gm_group_free(struct gm_group *gm);

/* `passive` (IOS passive SA mode, doc/protocol.md §8.5, for migrations):
 * the member encrypts what it sends, even under a receive-only SA, and
 * accepts the group's traffic in the clear as well as encrypted.  A
 * change re-registers a member that holds a policy. */
void gm_group_set_passive(struct gm_group *gm, bool on);
/* New parameters from the config; (re)starts registration when the
 * identity, servers or source changed, or when it was idle. */
void gm_group_apply(struct gm_group *gm, uint32_t id, const uint32_t *servers,
		    size_t nservers, uint32_t local, const char *ifname);
/* The member's own deny list (crypto map `match address`): traffic it
 * matches stays in the clear whatever the key server's policy says. */
void gm_group_set_local_deny(struct gm_group *gm, const struct ipsec_policy *p,
			     size_t n);
/* Fail-close (doc/ios-cli.md §2.10, doc/protocol.md §8.5): while no policy is
 * installed, only what pass[] names (and GDOI itself) leaves in clear. */
void gm_group_set_fail_close(struct gm_group *gm, bool on,
			     const struct ipsec_policy *pass, size_t n);
/* Stop (crypto map removed): remove the policy, go idle. */
void gm_group_stop(struct gm_group *gm);
/* clear crypto gdoi: drop the policy and register again. */
void gm_group_clear(struct gm_group *gm);

const char *gm_state_name(enum gm_state s);

/* What the rest of the program reads of a group (roles/gm_list.c). */
const char *gm_group_name(const struct gm_group *gm);
enum gm_state gm_group_state(const struct gm_group *gm);
/* `crypto map NAME gdoi fail-close` with `activate` is in force. */
bool gm_group_fail_close(const struct gm_group *gm);
/* The key servers, in order (network order); their number. */
size_t gm_group_servers(const struct gm_group *gm, const uint32_t **out);
/* The crypto map's interface by its config (IOS) name, and the map's
 * name, for the shows. */
void gm_group_set_map(struct gm_group *gm, const char *ifconf,
		      const char *cmap);

/* The member groups of a process form a list whose head the caller keeps
 * (roles/router.c), newest first: the group after gm, the group named
 * name (NULL: none), gm put at the head of *list. */
struct gm_group *gm_group_next(const struct gm_group *gm);
struct gm_group *gm_groups_find(struct gm_group *list, const char *name);
void gm_groups_add(struct gm_group **list, struct gm_group *gm);
/* Mark and sweep across a config apply: gm_groups_unmark() every group,
 * gm_group_mark() those the config still runs, gm_groups_sweep() stops
 * and frees the others.  gm_groups_free() frees every group. */
void gm_groups_unmark(struct gm_group *list);
void gm_group_mark(struct gm_group *gm);
void gm_groups_sweep(struct gm_group **list);
void gm_groups_free(struct gm_group **list);

/* The " ACL Downloaded From KS ..." block (show crypto gdoi, gm acl). */
struct showout;
void gm_group_show_downloaded_acl(const struct gm_group *gm,
				  struct showout *o);
/* gm_session.c: the SA counters of show crypto ipsec sa [detail]. */
void gm_show_sa_counters(const struct ipsec_stats *in,
			 const struct ipsec_stats *out, bool detail,
			 struct showout *o);
/* TEKs that protect (distinct SPIs of the permit entries). */
size_t gm_group_active_teks(const struct gm_group *gm);
/* The interface name to show: the config's (IOS) name, else the device. */
const char *gm_group_ifname(const struct gm_group *gm);
/* MTU of the crypto map interface (1500 when it cannot be read). */
unsigned gm_group_path_mtu(const struct gm_group *gm);
/* The largest cleartext packet a TEK's ESP (tunnel mode, RFC 4303 §2)
 * fits into mtu. */
unsigned gm_tek_plaintext_mtu(const struct gdoi_tek *e, unsigned mtu);

/* GROUPKEY-PUSH (roles/gm_rekey.c; taken in gm.c): does the group hold
 * the KEK with these 16 cookie octets; take one datagram (d->p, from
 * d->from). */
bool gm_group_owns_kek(const struct gm_group *gm, const uint8_t *spi);
bool gm_group_expects_rekey_from(const struct gm_group *gm, uint32_t addr);
void gm_group_push_input(struct gm_group *gm, const struct ike_dgram *d);

/* show crypto gdoi rekey sa [detail] (doc/ios-cli.md §5.12), the
 * GDOI_REKEY rows of show crypto isakmp sa (§5.14). */
void gm_group_show_rekey_sa(const struct gm_group *gm, bool detail,
			    struct showout *o);
void gm_group_show_isakmp(const struct gm_group *gm, struct showout *o);

/* show crypto gdoi (GM part): the members of one group object */
void gm_group_show(const struct gm_group *gm, struct showout *o);

#endif
