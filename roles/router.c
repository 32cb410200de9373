/*
 * router: runs the KS and GM groups the running-config asks for (see
 * roles/router.h).  Groups are kept by name across config changes, so
 * the member database of a key server group survives edits of other
 * groups; a group that leaves the config is torn down.
 */
#include "roles/router.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/policy.h"
#include "ipsec/ipsec.h"
#include "ipsec/spd.h"
#include "ipsec/user.h"
#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_cmap.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_if.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "parser/conf_change.h"
#include "roles/affects.h"
#include "roles/gdoi_log.h"
#include "roles/gm.h"
#include "roles/ike.h"
#include "roles/ks.h"
#include "roles/show.h"

struct router {
	struct evloop *loop;
	struct ike *ike;
	struct ipsec_ctx ipsec;
	struct ks *ks;
	struct gm_group *gm;
	const struct conf *conf;
	const struct keystore *keys;
	bool gdoi_on;
	char dp_key[512];		/* WAN and LAN interfaces attached */
	char guard_key[512];		/* ... guarded; "-" none, "" unknown */
};

/* A GROUPKEY-PUSH goes to the member group holding its KEK, or, when none
 * does, to one that expects rekeys from its sender (there it is counted
 * and logged as a rekey under an unknown KEK). */
static void
gm_push(void *arg, const struct ike_dgram *d)
{
	struct router *r = arg;
	struct gm_group *to = NULL;
	uint8_t spi[GDOI_KEK_SPI_LEN];

	if (d->len < GDOI_KEK_SPI_LEN)
		return;
	memcpy(spi, d->p, sizeof(spi));
	for (struct gm_group *gm = r->gm; gm && to == NULL;
	     gm = gm_group_next(gm))
		if (gm_group_owns_kek(gm, spi))
			to = gm;
	for (struct gm_group *gm = r->gm; gm && to == NULL;
	     gm = gm_group_next(gm))
		if (gm_group_expects_rekey_from(gm, d->from))
			to = gm;
	if (to != NULL)
		gm_group_push_input(to, d);
	else
		ike_rekey_unclaimed(r->ike, d->from);
}

/* A GROUPKEY-PUSH-ACK is the key server's. */
static void
ks_ack(void *arg, const struct ike_dgram *d)
{
	struct router *r = arg;

	ks_ack_input(r->ks, d->from, d->p, d->len);
}

/* COOP between key servers (doc/coop.md). */
static void
ks_coop(void *arg, const struct ike_dgram *d)
{
	struct router *r = arg;

	ks_coop_input(r->ks, d->from, d->p, d->len);
}

static bool
ks_coop_peer(void *arg, uint32_t local, uint32_t peer)
{
	struct router *r = arg;

	return ks_coop_is_peer(r->ks, local, peer);
}

static const struct ike_rekey_ops rekey_ops = {
	.push = gm_push,
	.ack = ks_ack,
	.coop = ks_coop,
	.coop_peer = ks_coop_peer,
};

struct router *
router_new(struct evloop *loop, uint16_t port, const char *backend, char *err,
	   size_t errlen)
{
	struct router *r = calloc(1, sizeof(*r));
	const struct ipsec_backend *be = strcmp(backend, "auto") == 0
		? ipsec_backend_auto(NULL, 0) : ipsec_backend_find(backend);

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->loop = loop;
	if (be == NULL) {
		snprintf(err, errlen, "unknown data plane backend %s", backend);
		goto fail;
	}
	if (ipsec_open(&r->ipsec, be, loop, err, errlen) < 0)
		goto fail;
	r->ike = ike_new(loop, port, err, errlen);
	if (r->ike == NULL)
		goto fail;
	r->ks = ks_new(loop, r->ike);
	if (r->ks == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	ike_set_rekey(r->ike, &rekey_ops, r);
	return r;
fail:
	router_free(r);
	return NULL;
}

void
router_free(struct router *r)
{
	if (r == NULL)
		return;
	gm_groups_free(&r->gm);
	if (r->dp_key[0] != '\0')
		ipsec_user_detach(&r->ipsec);
	ks_free(r->ks);
	ike_free(r->ike);
	ipsec_close(&r->ipsec);
	free(r);
}

/* The interface where a crypto map naming group g is applied, or NULL. */
static const struct conf_if *
gm_interface(const struct conf *c, const struct conf_gdoi_group *g)
{
	for (const struct conf_if *ifp = conf_if_first(c->ifs); ifp;
	     ifp = ifp->next) {
		const struct conf_cmap *m;

		if (ifp->cmap[0] == '\0' || ifp->shutdown)
			continue;
		if (conf_if_device(c->ifs, ifp->name) == NULL) {
			log_warnx("interface %s carries crypto map %s but is "
				  "bound to no Linux interface (interface-name "
				  "%s linux DEV)", ifp->name, ifp->cmap,
				  ifp->name);
			continue;
		}
		m = conf_cmap_find(c->cmaps, ifp->cmap);
		for (const struct conf_cmap_entry *e = m ? m->head : NULL; e;
		     e = e->next)
			if (strcmp(e->group, g->name) == 0)
				return ifp;
	}
	return NULL;
}

/* Registration source: `client registration interface`, else the
 * crypto map interface's address, else 0 (the routing table decides). */
static uint32_t
gm_source(const struct conf *c, const struct conf_gdoi_group *g,
	  const struct conf_if *ifp)
{
	const struct conf_if *reg = NULL;

	if (g->has & CONF_GDOI_GRP_HAS_CLIENT_REG_IF)
		reg = conf_if_find(c->ifs, g->client_reg_if);
	if (reg == NULL)
		reg = ifp;
	return reg != NULL && reg->has_addr ? reg->addr.addr : 0;
}

/* The deny entries of ACL name as bypass policies.  An entry whose port
 * condition has no single range (neq) is skipped: widening a deny would
 * send more in the clear. */
static size_t
acl_bypass(const struct conf *c, const char *name, struct ipsec_policy *out,
	   size_t max)
{
	const struct conf_acl *acl = name[0] ? conf_acl_find(c->acls, name) : NULL;
	size_t n = 0;

	for (const struct conf_acl_entry *e = acl ? acl->head : NULL;
	     e != NULL && n < max; e = e->next) {
		struct ipsec_policy *p = &out[n];
		struct conf_acl_sel sel;

		if (e->action != CONF_ACL_DENY ||
		    conf_acl_entry_selector(e, &sel) < 0)
			continue;
		memset(p, 0, sizeof(*p));
		p->action = IPSEC_ACT_BYPASS;
		p->proto = sel.proto;
		p->src = sel.src;
		p->src_mask = sel.src_mask;
		p->dst = sel.dst;
		p->dst_mask = sel.dst_mask;
		p->sport_lo = sel.sport_lo;
		p->sport_hi = sel.sport_hi;
		p->dport_lo = sel.dport_lo;
		p->dport_hi = sel.dport_hi;
		n++;
	}
	return n;
}

/* The member's local deny list (the map entry's `match address`, doc/ios-cli.md
 * §2.5: merged before the KS's) and its fail-close mode (§2.10). */
static void
apply_gm_lists(struct gm_group *gm, const struct conf *c,
	       const struct conf_gdoi_group *g)
{
	struct ipsec_policy list[GM_MAX_LOCAL_DENY];
	const struct conf_cmap_entry *e = NULL;
	const struct conf_cmap *m = conf_cmap_of_group(c->cmaps, g->name, &e);
	bool fc = m != NULL && m->fc != NULL && m->fc->activate;

	gm_group_set_local_deny(gm, list, m ? acl_bypass(c, e->acl, list,
							 GM_MAX_LOCAL_DENY) : 0);
	gm_group_set_fail_close(gm, fc, list, fc ? acl_bypass(c, m->fc->acl,
				list, GM_MAX_LOCAL_DENY) : 0);
}

static void
apply_gm(struct router *r, const struct conf *c, const struct conf_gdoi_group *g,
	 bool affected)
{
	const struct conf_if *ifp = gm_interface(c, g);
	struct gm_group *gm;
	uint32_t local;
	char err[160];

	if (ifp == NULL)
		return;		/* no crypto map applied: not active */
	gm = gm_groups_find(r->gm, g->name);
	if (gm == NULL) {
		affected = true;
		gm = gm_group_new(g->name, r->loop, r->ike, &r->ipsec);
		if (gm == NULL)
			return;
		gm_groups_add(&r->gm, gm);
	}
	gm_group_mark(gm);
	local = gm_source(c, g, ifp);
	if (ike_listen(r->ike, local, err, sizeof(err)) < 0)
		log_warnx("group %s: %s", g->name, err);
	if (!affected)
		return;
	gm_group_apply(gm, g->identity_number, g->servers, g->n_servers, local,
		       conf_if_device(c->ifs, ifp->name));
	gm_group_set_map(gm, ifp->name, ifp->cmap);
	apply_gm_lists(gm, c, g);
	gm_group_set_passive(gm, (g->has & CONF_GDOI_GRP_HAS_PASSIVE) != 0);
}

/* Whether a member group is fail-close (`crypto map NAME gdoi
 * fail-close` with `activate`). */
static bool
any_fail_close(const struct router *r)
{
	for (const struct gm_group *gm = r->gm; gm != NULL;
	     gm = gm_group_next(gm))
		if (gm_group_fail_close(gm))
			return true;
	return false;
}

/*
 * The fail-close guard follows the configuration, never the process: it
 * is set for the interfaces a fail-close member steers once the steering
 * is in place, and removed only when no fail-close member is configured;
 * the first apply after a start adopts (a guard left by an earlier run
 * stays in place while the steering is rebuilt) or removes it
 * (doc/dataplane.md).
 */
static void
apply_guard(struct router *r, const char *wan, const char *const *lans,
	    size_t n, const char *key)
{
	bool on = wan != NULL && any_fail_close(r);
	const char *want = on ? key : "-";

	if (strcmp(want, r->guard_key) == 0)
		return;
	if (ipsec_user_guard(&r->ipsec, on ? wan : NULL, lans, n) < 0)
		return;		/* logged; tried again at the next apply */
	snprintf(r->guard_key, sizeof(r->guard_key), "%s", want);
}

/* The key servers of every member group: what the data plane exempts
 * as GDOI (UDP 848 <-> 848 with one of them at one end). */
static void
apply_gdoi_peers(struct router *r)
{
	uint32_t ks[SPD_GDOI_PEERS_MAX];
	size_t n = 0;

	for (const struct gm_group *gm = r->gm; gm != NULL;
	     gm = gm_group_next(gm)) {
		const uint32_t *servers;
		size_t ns = gm_group_servers(gm, &servers);

		for (size_t i = 0; i < ns && n < SPD_GDOI_PEERS_MAX; i++)
			ks[n++] = servers[i];
	}
	ipsec_user_set_gdoi_peers(&r->ipsec, ks, n);
}

static uint16_t
lan_mss(const struct conf *c, const struct conf_if *wan)
{
	for (const struct conf_if *i = conf_if_first(c->ifs); i; i = i->next)
		if (i != wan && i->adjust_mss != 0)
			return i->adjust_mss;
	return 0;
}

/*
 * The userspace data plane steers traffic by interface: the WAN is the
 * interface carrying the crypto map, the LANs every other interface that
 * is up, addressed and has no crypto map (doc/dataplane.md).
 */
static void
apply_dataplane(struct router *r, const struct conf *c)
{
	const struct conf_if *wan = NULL;
	const char *lans[IPSEC_USER_MAX_LAN];
	char key[sizeof(r->dp_key)];
	size_t n = 0, off;

	if (r->ipsec.be != &ipsec_user_backend)
		return;
	apply_gdoi_peers(r);
	for (struct gm_group *gm = r->gm; gm != NULL && wan == NULL;
	     gm = gm_group_next(gm)) {
		const struct conf_gdoi_group *g =
			conf_gdoi_group_find(c->gdoi, gm_group_name(gm));

		if (g != NULL)
			wan = gm_interface(c, g);
	}
	if (wan == NULL) {
		apply_guard(r, NULL, NULL, 0, "");
		if (r->dp_key[0] != '\0')
			ipsec_user_detach(&r->ipsec);
		r->dp_key[0] = '\0';
		return;
	}
	off = (size_t)snprintf(key, sizeof(key), "%s",
			       conf_if_device(c->ifs, wan->name));
	for (const struct conf_if *i = conf_if_first(c->ifs); i; i = i->next) {
		const char *dev = conf_if_device(c->ifs, i->name);

		if (i == wan || i->shutdown || !i->has_addr || i->cmap[0] ||
		    dev == NULL || n == IPSEC_USER_MAX_LAN)
			continue;
		lans[n++] = dev;
		if (off < sizeof(key))
			off += (size_t)snprintf(key + off, sizeof(key) - off,
						" %s", dev);
	}
	/* ip tcp adjust-mss of the WAN, else of the first LAN that has it */
	ipsec_user_set_mss(&r->ipsec, wan->adjust_mss ? wan->adjust_mss
			   : lan_mss(c, wan));
	if (strcmp(key, r->dp_key) != 0) {
		if (ipsec_user_attach(&r->ipsec,
				      conf_if_device(c->ifs, wan->name),
				      lans, n) < 0) {
			log_warnx("user data plane: %s",
				  ipsec_user_error(&r->ipsec));
			r->dp_key[0] = '\0';
			return;		/* a guard already set stays */
		}
		snprintf(r->dp_key, sizeof(r->dp_key), "%s", key);
	}
	apply_guard(r, conf_if_device(c->ifs, wan->name), lans, n, key);
}

void
router_apply(struct router *r, const struct conf *c,
	     const struct conf_changes *ch, const struct keystore *keys)
{
	bool on;

	r->conf = c;
	r->keys = keys;
	if (affects_ike(ch))
		ike_set_conf(r->ike, c, keys);
	ike_listen_begin(r->ike);
	ks_apply(r->ks, c, ch, keys);
	ike_peers_prune(r->ike);	/* COOP peers the config dropped */
	gm_groups_unmark(r->gm);
	for (const struct conf_gdoi_group *g = conf_gdoi_group_first(c->gdoi);
	     g; g = conf_gdoi_group_next(g))
		if (!conf_gdoi_group_is_ks(g) && conf_gdoi_group_is_gm(g))
			apply_gm(r, c, g, affects_gm_group(g, ch));
	gm_groups_sweep(&r->gm);	/* those the config no longer has */
	ike_listen_end(r->ike);
	if (affects_dataplane(ch))
		apply_dataplane(r, c);
	on = r->gm != NULL;
	if (on != r->gdoi_on && on)
		gdoi_log(GDOI_MSG_GDOI_ON);
	else if (on != r->gdoi_on)
		gdoi_log(GDOI_MSG_GDOI_OFF);
	r->gdoi_on = on;
}

void
router_clear(struct router *r, const char *group)
{
	if (group == NULL)
		ike_clear(r->ike);	/* first: the re-registrations need new SAs */
	ks_clear(r->ks, group);
	for (struct gm_group *gm = r->gm; gm; gm = gm_group_next(gm))
		if (group == NULL || strcmp(group, gm_group_name(gm)) == 0)
			gm_group_clear(gm);
}

void
router_show_roles(const struct router *r, struct show_roles *out)
{
	out->conf = r->conf;
	out->ks = r->ks;
	out->gm = r->gm;
	out->ike = r->ike;
	out->ipsec = &r->ipsec;
}

struct ks *
router_ks(const struct router *r)
{
	return r->ks;
}

struct ike *
router_ike(const struct router *r)
{
	return r->ike;
}

struct ipsec_ctx *
router_ipsec(struct router *r)
{
	return &r->ipsec;
}

size_t
router_ks_members(const struct router *r, const char *group)
{
	struct ks_stats st;

	return ks_stats(r->ks, group, &st) == 0 ? st.members : 0;
}

const struct gdoi_policy *
router_ks_policy(const struct router *r, const char *group)
{
	return ks_policy_now(r->ks, group);
}

const char *
router_gm_state(const struct router *r, const char *group)
{
	const struct gm_group *gm = gm_groups_find(r->gm, group);

	return gm != NULL ? gm_state_name(gm_group_state(gm)) : NULL;
}
