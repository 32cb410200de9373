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

#include "ipsec/ipsec.h"
#include "ipsec/user.h"
#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_cmap.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_if.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"
#include "roles/gdoi_log.h"
#include "roles/gm.h"
#include "roles/ike.h"
#include "roles/ks.h"
#include "roles/members.h"

struct router {
	struct evloop *loop;
	struct ike *ike;
	struct ipsec_ctx ipsec;
	struct ks_group *ks;
	struct gm_group *gm;
	const struct conf *conf;
	const struct keystore *keys;
	bool gdoi_on;
	char dp_key[512];		/* WAN and LAN interfaces attached */
};

/*
 * Key server callbacks of the GDOI endpoint.
 */
static struct ks_group *
ks_by_id(const struct router *r, uint32_t id)
{
	for (struct ks_group *ks = r->ks; ks; ks = ks->next)
		if (ks->id == id)
			return ks;
	return NULL;
}

static enum ike_ks_verdict
ks_lookup(void *arg, uint32_t id, uint32_t peer, void **group)
{
	struct router *r = arg;
	struct ks_group *ks = ks_by_id(r, id);
	const struct conf_gdoi_group *g;
	char a[INET_ADDRSTRLEN], n[16];

	if (ks == NULL) {
		snprintf(n, sizeof(n), "%u", id);
		inet_ntop(AF_INET, &peer, a, sizeof(a));
		gdoi_log_limited(ev_now(r->loop), GDOI_MSG_KS_UNKNOWN_GROUP, a, n);
		return IKE_KS_UNKNOWN_GROUP;
	}
	g = conf_gdoi_group_find(r->conf->gdoi, ks->name);
	if (g == NULL || !ks_group_authorized(r->conf, g, peer)) {
		inet_ntop(AF_INET, &peer, a, sizeof(a));
		gdoi_log_limited(ev_now(r->loop), GDOI_MSG_UNAUTHORIZED_IPADDR,
				 ks->name, a);
		ks->refused++;
		return IKE_KS_UNAUTHORIZED;
	}
	if (!ks->ready) {
		ks->refused++;
		return IKE_KS_NOT_READY;
	}
	*group = ks;
	return IKE_KS_OK;
}

static int
ks_policy(void *arg, void *group, struct gdoi_policy *out)
{
	struct router *r = arg;

	ks_group_policy_now(group, ev_now(r->loop), out);
	return 0;
}

static size_t
ks_sids(void *arg, void *group, uint32_t peer, size_t count, uint32_t *sids,
	unsigned *bits)
{
	struct ks_group *ks = group;

	*bits = ks->policy.sid_bits;
	return ks_group_grant_sids(ks, count, sids);
}

static void
ks_registered(void *arg, void *group, uint32_t peer, uint32_t local,
	      const uint32_t *sids, size_t nsid)
{
	struct router *r = arg;
	struct ks_group *ks = group;
	struct member *m = members_get(ks->members, peer);
	char a[INET_ADDRSTRLEN];

	ks->registrations++;
	if (m == NULL)
		return;
	if (m->registrations == 0)
		m->first_reg_ms = ev_now(r->loop);
	m->registrations++;
	m->last_reg_ms = ev_now(r->loop);
	m->ks_addr = local;
	m->state = MEMBER_REGISTERED;
	m->nsid = nsid < GDOI_MAX_SID ? nsid : GDOI_MAX_SID;
	memcpy(m->sid, sids, m->nsid * sizeof(*sids));
	inet_ntop(AF_INET, &peer, a, sizeof(a));
	gdoi_log(GDOI_MSG_KS_REGS_COMPL, ks->name, a);
}

static const struct ike_ks_ops ks_ops = {
	.lookup = ks_lookup,
	.policy = ks_policy,
	.grant_sids = ks_sids,
	.registered = ks_registered,
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
	ike_set_ks(r->ike, &ks_ops, r);
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
	while (r->gm != NULL) {
		struct gm_group *g = r->gm;

		r->gm = g->next;
		gm_group_free(g);
	}
	if (r->dp_key[0] != '\0')
		ipsec_user_detach(&r->ipsec);
	while (r->ks != NULL) {
		struct ks_group *k = r->ks;

		r->ks = k->next;
		ks_group_free(k);
	}
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

static void
apply_ks(struct router *r, const struct conf *c, const struct conf_gdoi_group *g,
	 const struct keystore *keys)
{
	struct ks_group *ks;
	char err[160];

	for (ks = r->ks; ks != NULL && strcmp(ks->name, g->name); ks = ks->next)
		;
	if (ks == NULL) {
		ks = ks_group_new(g->name);
		if (ks == NULL)
			return;
		ks->next = r->ks;
		r->ks = ks;
	}
	ks->seen = true;
	ks_group_apply(ks, c, g, keys, ev_now(r->loop));
	if (ike_listen(r->ike, g->server->address, err, sizeof(err)) < 0)
		log_warnx("group %s: %s", g->name, err);
}

/* The crypto map whose entry sets group g (the first one). */
static const struct conf_cmap *
gm_cmap(const struct conf *c, const struct conf_gdoi_group *g,
	const struct conf_cmap_entry **entry)
{
	for (const struct conf_cmap *m = conf_cmap_first(c->cmaps); m;
	     m = m->next)
		for (const struct conf_cmap_entry *e = m->head; e; e = e->next)
			if (strcmp(e->group, g->name) == 0) {
				*entry = e;
				return m;
			}
	return NULL;
}

/* The deny entries of ACL name as bypass policies.  An entry with a port
 * range or inequality is skipped: it cannot be carried exactly, and
 * widening a deny would send more in the clear. */
static size_t
acl_bypass(const struct conf *c, const char *name, struct ipsec_policy *out,
	   size_t max)
{
	const struct conf_acl *acl = name[0] ? conf_acl_find(c->acls, name) : NULL;
	size_t n = 0;

	for (const struct conf_acl_entry *e = acl ? acl->head : NULL;
	     e != NULL && n < max; e = e->next) {
		struct ipsec_policy *p = &out[n];

		if (e->action != CONF_ACL_DENY ||
		    (e->sport.op != CONF_ACL_PORT_ANY &&
		     e->sport.op != CONF_ACL_PORT_EQ) ||
		    (e->dport.op != CONF_ACL_PORT_ANY &&
		     e->dport.op != CONF_ACL_PORT_EQ))
			continue;
		memset(p, 0, sizeof(*p));
		p->action = IPSEC_ACT_BYPASS;
		p->proto = e->proto == CONF_ACL_PROTO_IP ? 0 : (uint8_t)e->proto;
		p->src = e->src.addr;
		p->src_mask = ~e->src.wild;
		p->dst = e->dst.addr;
		p->dst_mask = ~e->dst.wild;
		p->sport_lo = e->sport.op == CONF_ACL_PORT_EQ ? e->sport.lo : 0;
		p->sport_hi = e->sport.op == CONF_ACL_PORT_EQ ? e->sport.lo : 65535;
		p->dport_lo = e->dport.op == CONF_ACL_PORT_EQ ? e->dport.lo : 0;
		p->dport_hi = e->dport.op == CONF_ACL_PORT_EQ ? e->dport.lo : 65535;
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
	const struct conf_cmap *m = gm_cmap(c, g, &e);
	bool fc = m != NULL && m->fc != NULL && m->fc->activate;

	gm_group_set_local_deny(gm, list, m ? acl_bypass(c, e->acl, list,
							 GM_MAX_LOCAL_DENY) : 0);
	gm_group_set_fail_close(gm, fc, list, fc ? acl_bypass(c, m->fc->acl,
				list, GM_MAX_LOCAL_DENY) : 0);
}

static void
apply_gm(struct router *r, const struct conf *c, const struct conf_gdoi_group *g)
{
	const struct conf_if *ifp = gm_interface(c, g);
	struct gm_group *gm;
	uint32_t local;
	char err[160];

	if (ifp == NULL)
		return;		/* no crypto map applied: not active */
	for (gm = r->gm; gm != NULL && strcmp(gm->name, g->name); gm = gm->next)
		;
	if (gm == NULL) {
		gm = gm_group_new(g->name, r->loop, r->ike, &r->ipsec);
		if (gm == NULL)
			return;
		gm->next = r->gm;
		r->gm = gm;
	}
	gm->seen = true;
	local = gm_source(c, g, ifp);
	if (ike_listen(r->ike, local, err, sizeof(err)) < 0)
		log_warnx("group %s: %s", g->name, err);
	gm_group_apply(gm, g->identity_number, g->servers, g->n_servers, local,
		       ifp->name);
	apply_gm_lists(gm, c, g);
	gm_group_set_passive(gm, (g->has & CONF_GDOI_GRP_HAS_PASSIVE) != 0);
}

/* Free the groups the config no longer has. */
static void
sweep(struct router *r)
{
	for (struct ks_group **p = &r->ks; *p != NULL;) {
		struct ks_group *ks = *p;

		if (ks->seen) {
			p = &ks->next;
			continue;
		}
		*p = ks->next;
		ks_group_free(ks);
	}
	for (struct gm_group **p = &r->gm; *p != NULL;) {
		struct gm_group *gm = *p;

		if (gm->seen) {
			p = &gm->next;
			continue;
		}
		*p = gm->next;
		gm_group_stop(gm);
		gm_group_free(gm);
	}
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
	for (struct gm_group *gm = r->gm; gm != NULL && wan == NULL;
	     gm = gm->next) {
		const struct conf_gdoi_group *g =
			conf_gdoi_group_find(c->gdoi, gm->name);

		if (g != NULL)
			wan = gm_interface(c, g);
	}
	if (wan == NULL) {
		if (r->dp_key[0] != '\0')
			ipsec_user_detach(&r->ipsec);
		r->dp_key[0] = '\0';
		return;
	}
	off = (size_t)snprintf(key, sizeof(key), "%s", wan->name);
	for (const struct conf_if *i = conf_if_first(c->ifs); i; i = i->next) {
		if (i == wan || i->shutdown || !i->has_addr || i->cmap[0] ||
		    n == IPSEC_USER_MAX_LAN)
			continue;
		lans[n++] = i->name;
		if (off < sizeof(key))
			off += (size_t)snprintf(key + off, sizeof(key) - off,
						" %s", i->name);
	}
	/* ip tcp adjust-mss of the WAN, else of the first LAN that has it */
	ipsec_user_set_mss(&r->ipsec, wan->adjust_mss ? wan->adjust_mss
			   : lan_mss(c, wan));
	if (strcmp(key, r->dp_key) == 0)
		return;
	if (ipsec_user_attach(&r->ipsec, wan->name, lans, n) < 0) {
		log_warnx("user data plane: %s", ipsec_user_error(&r->ipsec));
		r->dp_key[0] = '\0';
		return;
	}
	snprintf(r->dp_key, sizeof(r->dp_key), "%s", key);
}

void
router_apply(struct router *r, const struct conf *c, const struct keystore *keys)
{
	bool on;

	r->conf = c;
	r->keys = keys;
	ike_set_conf(r->ike, c, keys);
	ike_listen_begin(r->ike);
	for (struct ks_group *ks = r->ks; ks; ks = ks->next)
		ks->seen = false;
	for (struct gm_group *gm = r->gm; gm; gm = gm->next)
		gm->seen = false;
	for (const struct conf_gdoi_group *g = conf_gdoi_group_first(c->gdoi);
	     g; g = conf_gdoi_group_next(g)) {
		if (conf_gdoi_group_is_ks(g))
			apply_ks(r, c, g, keys);
		else if (conf_gdoi_group_is_gm(g))
			apply_gm(r, c, g);
	}
	sweep(r);
	ike_listen_end(r->ike);
	apply_dataplane(r, c);
	on = r->gm != NULL;
	if (on != r->gdoi_on)
		gdoi_log(on ? GDOI_MSG_GDOI_ON : GDOI_MSG_GDOI_OFF);
	r->gdoi_on = on;
}

void
router_clear(struct router *r, const char *group)
{
	if (group == NULL)
		ike_clear(r->ike);	/* first: the re-registrations need new SAs */
	for (struct ks_group *ks = r->ks; ks; ks = ks->next) {
		const struct conf_gdoi_group *g;

		if (group != NULL && strcmp(group, ks->name) != 0)
			continue;
		g = conf_gdoi_group_find(r->conf->gdoi, ks->name);
		if (g != NULL)
			ks_group_clear(ks, r->conf, g, r->keys, ev_now(r->loop));
	}
	for (struct gm_group *gm = r->gm; gm; gm = gm->next)
		if (group == NULL || strcmp(group, gm->name) == 0)
			gm_group_clear(gm);
}

void
router_show_gdoi(const struct router *r, const char *group, struct term *t)
{
	for (const struct ks_group *ks = r->ks; ks; ks = ks->next) {
		if (group != NULL && strcmp(group, ks->name) != 0)
			continue;
		term_puts(t, "GROUP INFORMATION\n\n");
		ks_group_show(ks, r->conf, ev_now(r->loop), t);
		term_puts(t, "\n");
	}
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next) {
		if (group != NULL && strcmp(group, gm->name) != 0)
			continue;
		term_puts(t, "GROUP INFORMATION\n\n");
		gm_group_show(gm, t);
	}
}

void
router_show_ks_members(const struct router *r, uint32_t only, struct term *t)
{
	for (const struct ks_group *ks = r->ks; ks; ks = ks->next)
		ks_group_show_members(ks, only, t);
}

void
router_show_ks_policy(const struct router *r, struct term *t)
{
	term_puts(t, "Key Server Policy:\n");
	for (const struct ks_group *ks = r->ks; ks; ks = ks->next)
		ks_group_show_policy(ks, r->conf, ev_now(r->loop), t);
}

void
router_show_gm(const struct router *r, struct term *t)
{
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next)
		gm_group_show_gm(gm, t);
}

static void
show_acl_entries(const struct conf *c, const char *name, const char *indent,
		 struct term *t)
{
	const struct conf_acl *acl = name[0] ? conf_acl_find(c->acls, name) : NULL;
	char line[256];

	for (const struct conf_acl_entry *e = acl ? acl->head : NULL; e;
	     e = e->next) {
		if (e->action == CONF_ACL_REMARK)
			continue;
		conf_acl_entry_format(acl, e, line, sizeof(line));
		term_printf(t, "%saccess-list %s  %s\n", indent, name, line);
	}
}

void
router_show_ks_acl(const struct router *r, struct term *t)
{
	for (const struct ks_group *ks = r->ks; ks; ks = ks->next) {
		const struct conf_gdoi_group *g =
			conf_gdoi_group_find(r->conf->gdoi, ks->name);

		term_printf(t, "Group Name: %s\n Configured ACL:\n", ks->name);
		for (const struct conf_gdoi_sa *sa = g && g->server ?
		     g->server->sa_head : NULL; sa; sa = sa->next)
			show_acl_entries(r->conf, sa->match_acl, "   ", t);
		term_puts(t, "\n");
	}
}

void
router_show_gm_acl(const struct router *r, struct term *t)
{
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next) {
		const struct conf_gdoi_group *g =
			conf_gdoi_group_find(r->conf->gdoi, gm->name);
		const struct conf_cmap_entry *e = NULL;
		const struct conf_cmap *m = g ? gm_cmap(r->conf, g, &e) : NULL;

		term_printf(t, "Group Name: %s\n", gm->name);
		gm_group_show_downloaded_acl(gm, t);
		term_puts(t, " ACL Configured Locally: \n");
		if (m != NULL && e->acl[0]) {
			term_printf(t, "  Map Name: %s\n", m->name);
			show_acl_entries(r->conf, e->acl, "   ", t);
		}
	}
}

/* show crypto gdoi gm dataplane counters (doc/ios-cli.md §5.9), then ours. */
void
router_show_dataplane(const struct router *r, struct term *t)
{
	struct ipsec_user_stats st;
	const uint64_t *c = st.ctr;

	if (r->ipsec.be != &ipsec_user_backend ||
	    ipsec_user_stats(&r->ipsec, &st) < 0) {
		term_printf(t, "%% The %s data plane keeps no counters "
			    "(start getvpn with -B user)\n",
			    r->ipsec.be ? r->ipsec.be->name : "no");
		return;
	}
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next)
		term_printf(t, "\nData-plane statistics for group %s:\n",
			    gm->name);
	term_printf(t, "    #pkts encrypt            : %-10llu #pkts decrypt"
		    "            : %llu\n", (unsigned long long)c[IPSEC_USER_ENCAP],
		    (unsigned long long)c[IPSEC_USER_DECAP]);
	term_puts(t, "    #pkts tagged (send)      : 0          #pkts untagged "
		  "(rcv)     : 0\n");
	term_printf(t, "    #pkts no sa (send)       : %-10llu #pkts invalid sa"
		    " (rcv)   : %llu\n",
		    (unsigned long long)c[IPSEC_USER_DROP_NO_SA],
		    (unsigned long long)c[IPSEC_USER_DROP_UNKNOWN_SPI]);
	term_printf(t, "    #pkts encaps fail (send) : %-10llu #pkts decap fail"
		    " (rcv)   : %llu\n",
		    (unsigned long long)c[IPSEC_USER_DROP_ENCAP],
		    (unsigned long long)c[IPSEC_USER_DROP_DECAP]);
	term_printf(t, "    #pkts invalid prot (rcv) : %-10llu #pkts verify fail"
		    " (rcv)  : %llu\n",
		    (unsigned long long)c[IPSEC_USER_DROP_MALFORMED],
		    (unsigned long long)st.esp_drop[ESP_DROP_AUTH]);
	term_puts(t, "    #pkts not tagged (send)  : 0          #pkts not "
		  "untagged (rcv) : 0\n");
	term_printf(t, "    #pkts internal err (send): %-10llu #pkts internal "
		    "err (rcv) : 0\n",
		    (unsigned long long)c[IPSEC_USER_DROP_WRITE]);
	term_puts(t, "\nPackets by path:\n");
	for (int i = 0; i < IPSEC_USER_CTR_COUNT; i++)
		term_printf(t, "    %-28s: %llu\n",
			    ipsec_user_ctr_name((enum ipsec_user_ctr)i),
			    (unsigned long long)c[i]);
	term_puts(t, "\nESP drops by reason:\n");
	for (int i = 1; i < ESP_DROP_COUNT; i++)
		term_printf(t, "    %-28s: %llu\n",
			    esp_drop_name((enum esp_drop)i),
			    (unsigned long long)st.esp_drop[i]);
}

void
router_show_ipsec_sa(const struct router *r, struct term *t)
{
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next)
		gm_group_show_ipsec_sa(gm, t);
}

void
router_export_keys(const struct router *r, struct term *t)
{
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next)
		gm_group_export_keys(gm, t);
}

void
router_show_isakmp_sa(const struct router *r, struct term *t)
{
	ike_show_sa(r->ike, t);
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
	for (const struct ks_group *ks = r->ks; ks; ks = ks->next)
		if (strcmp(ks->name, group) == 0)
			return members_count(ks->members);
	return 0;
}

const char *
router_gm_state(const struct router *r, const char *group)
{
	for (const struct gm_group *gm = r->gm; gm; gm = gm->next)
		if (strcmp(gm->name, group) == 0)
			return gm_state_name(gm->state);
	return NULL;
}
