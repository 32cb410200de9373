/*
 * ks: the key server groups of this process (see roles/ks.h): config ->
 * key state, and the GDOI endpoint's key server callbacks.
 *
 * A config change that touches a group rebuilds only the policy's shape
 * (no keys) and compares it field by field with the one in force
 * (ks_policy_same_*): keys stay unless the policy governing them changed.
 * A changed TEK policy makes new TEKs and cuts the old ones as IOS's
 * policy trigger does; a changed KEK policy rolls the KEK; either is
 * pushed to the members at once (doc/keyserver.md).
 */
#include "roles/ks.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/policy.h"
#include "gdoi/push.h"
#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_gdoi.h"
#include "platform/evloop.h"
#include "platform/hmap.h"
#include "platform/log.h"
#include "platform/secmem.h"
#include "roles/affects.h"
#include "roles/gdoi_log.h"
#include "roles/ike.h"
#include "roles/ks_int.h"
#include "roles/ks_policy.h"
#include "roles/members.h"

static struct ks_group *
group_new(struct ks *ks, const char *name)
{
	struct ks_group *g = secmem_calloc(sizeof(*g));

	if (g == NULL || (g->members = members_new()) == NULL ||
	    hmap_put(ks->by_name, name, g) < 0) {
		if (g != NULL)
			members_free(g->members);
		secmem_free(g);
		return NULL;
	}
	g->ks = ks;
	g->jfd = -1;
	snprintf(g->name, sizeof(g->name), "%s", name);
	ks_gen_init(&g->gen);
	buf_writer_init(&g->rk.msg);
	g->fresh = true;
	g->next = ks->head;
	ks->head = g;
	return g;
}

static void
group_free(struct ks_group *g)
{
	hmap_del(g->ks->by_name, g->name);
	ks_persist_stop(g);
	ks_rekey_stop(g);
	ks_coop_stop(g);
	ks_gen_wipe(&g->gen);
	ks_signer_free(g);
	buf_writer_free(&g->rk.msg);
	members_free(g->members);
	secmem_free(g);
}

static struct ks_group *
group_find(const struct ks *ks, const char *name)
{
	return hmap_get(ks->by_name, name);
}

static void
not_ready(struct ks_group *g, const struct conf_gdoi_group *cg, const char *why)
{
	if ((g->ready || strcmp(why, g->why) != 0) &&
	    strncmp(why, "RSA Key", 7) == 0)
		gdoi_log(GDOI_MSG_KS_NO_RSA_KEYS, cg->server->rekey_rsa,
			 cg->name);
	g->ready = false;
	snprintf(g->why, sizeof(g->why), "%s", why);
	ks_rekey_stop(g);
}

static void
rekey_conf(struct ks_group *g, const struct conf_gdoi_server *s)
{
	struct ks_rekey_conf *rc = &g->rc;

	rc->multicast = ks_policy_multicast(s);
	rc->ttl = KS_MCAST_TTL_DEFAULT;
	rc->retx_period_s = s->retransmit_period;
	rc->retx_number = s->retransmit_periodic ? 0 : s->retransmit_number;
	snprintf(rc->rsa_label, sizeof(rc->rsa_label), "%s", s->rekey_rsa);
}

static int
first_keys(struct ks_group *g, uint64_t now)
{
	if (ks_gen_new_kek(&g->gen, now) < 0 ||
	    ks_gen_new_teks(&g->gen, now) < 0)
		return -1;
	ks_hold_member_sids(g);
	ks_persist_save(g);
	return 0;
}

/* New keys where the shape changed, kept on disk before anyone sees them,
 * and a rekey when there is anyone to tell (rekey: false on a COOP
 * secondary). */
static int
new_keys(struct ks_group *g, bool kek, bool teks, bool rekey, uint64_t now)
{
	if (kek && ks_gen_new_kek(&g->gen, now) < 0)
		return -1;
	if (teks) {
		if (ks_gen_new_teks(&g->gen, now) < 0)
			return -1;
		if (members_count(g->members) > 0)
			ks_gen_cut_old(&g->gen, now);
		else
			ks_gen_drop_old(&g->gen);	/* nobody holds them */
		ks_hold_member_sids(g);
	}
	ks_persist_save(g);
	if (rekey && (kek || teks) && members_count(g->members) > 0) {
		log_info("group %s: policy changed, rekey sent", g->name);
		ks_rekey_send(g, kek, NULL, 0);
	}
	return 0;
}

/* The shape p replaces the one in force: new keys where it differs.  A
 * group without keys yet takes its saved state when there is one usable,
 * and that state's shape is then the one in force.  A COOP secondary
 * keeps serving its primary's keys while they fit its config, and never
 * rekeys: the primary does (doc/coop.md "Config changes on a
 * secondary"). */
static int
follow_shape(struct ks_group *g, const struct gdoi_policy *p,
	     const uint16_t *sa_of_tek, uint64_t now)
{
	bool teks, kek;

	if (!g->gen.cur.used && ks_persist_resume(g, now) < 0) {
		ks_gen_set_shape(&g->gen, p, sa_of_tek);
		return first_keys(g, now);
	}
	teks = !ks_policy_same_teks(&g->gen.shape, g->gen.sa_of_tek, p,
				    sa_of_tek);
	kek = !ks_policy_same_kek(&g->gen.shape, p);
	ks_gen_set_shape(&g->gen, p, sa_of_tek);
	if (!ks_coop_follows(g))
		return new_keys(g, kek, teks, ks_coop_may_rekey(g), now);
	if ((!kek && !teks) || ks_coop_adopt(g) == 0)
		return 0;
	log_warnx("group %s: config differs from the COOP primary's keys; "
		  "serving keys of our own until the primary's fit", g->name);
	return new_keys(g, kek, teks, false, now);
}

static void
group_apply(struct ks_group *g, const struct conf *c,
	    const struct conf_gdoi_group *cg, const struct keystore *keys)
{
	struct gdoi_policy *p = secmem_calloc(sizeof(*p));
	uint16_t sa_of_tek[GDOI_MAX_TEK] = { 0 };
	char why[sizeof(g->why)];

	g->fresh = false;
	g->id = cg->identity_number;
	rekey_conf(g, cg->server);
	ks_signer_keep(g, keys);	/* before the KEK may roll to a new one */
	ks_coop_apply(g, cg, keys);
	if (p == NULL)
		return;
	if (ks_policy_build(c, cg, keys, p, sa_of_tek, why, sizeof(why)) < 0)
		not_ready(g, cg, why);
	else if (follow_shape(g, p, sa_of_tek, ks_now(g)) < 0)
		not_ready(g, cg, "no random bytes");
	else {
		g->ready = true;
		g->why[0] = '\0';
		ks_rekey_arm(g);
	}
	gdoi_policy_wipe(p);
	secmem_free(p);
}

/* Free the groups the config no longer has. */
static void
sweep(struct ks *ks)
{
	for (struct ks_group **pp = &ks->head; *pp != NULL;) {
		struct ks_group *g = *pp;

		if (g->seen) {
			pp = &g->next;
			continue;
		}
		*pp = g->next;
		ks_persist_remove(g);	/* no longer in the config */
		group_free(g);
	}
}

void
ks_apply(struct ks *ks, const struct conf *c, const struct conf_changes *ch,
	 const struct keystore *keys)
{
	char err[160];

	ks->conf = c;
	ks->keys = keys;
	for (struct ks_group *g = ks->head; g; g = g->next)
		g->seen = false;
	for (const struct conf_gdoi_group *cg = conf_gdoi_group_first(c->gdoi);
	     cg; cg = conf_gdoi_group_next(cg)) {
		struct ks_group *g;

		if (!conf_gdoi_group_is_ks(cg))
			continue;
		g = group_find(ks, cg->name);
		if (g == NULL && (g = group_new(ks, cg->name)) == NULL)
			continue;
		g->seen = true;
		/* listening first: a group restored from its state file
		 * may push a rekey as it applies (doc/ks-state.md) */
		if (ike_listen(ks->ike, cg->server->address, err,
			       sizeof(err)) < 0)
			log_warnx("group %s: %s", cg->name, err);
		if (g->fresh || affects_ks_group(c, cg, ch))
			group_apply(g, c, cg, keys);
	}
	sweep(ks);
}

void
ks_clear(struct ks *ks, const char *group)
{
	for (struct ks_group *g = ks->head; g; g = g->next) {
		if (group != NULL && strcmp(group, g->name) != 0)
			continue;
		members_clear(g->members);
		ks_persist_remove(g);
		ks_rekey_stop(g);
		ks_gen_wipe(&g->gen);
		g->ready = false;
		g->fresh = true;
		gdoi_log(GDOI_MSG_KS_CLEAR_REGISTER, g->name);
	}
	if (ks->conf != NULL) {
		struct conf_changes all = { 0 };

		conf_changes_all(&all);
		ks_apply(ks, ks->conf, &all, ks->keys);
	}
}

/*
 * The GDOI endpoint's key server callbacks.
 */
static struct ks_group *
group_by_id(const struct ks *ks, uint32_t id)
{
	for (struct ks_group *g = ks->head; g; g = g->next)
		if (g->id == id)
			return g;
	return NULL;
}

/* A standard ACL: first matching entry decides, no match denies. */
static bool
authorized(const struct conf *c, const struct conf_gdoi_group *cg,
	   uint32_t peer)
{
	const struct conf_gdoi_server *s = cg->server;
	const struct conf_acl *acl;

	if (s == NULL || !(s->has & CONF_GDOI_KS_HAS_AUTH_ACL))
		return true;
	acl = conf_acl_find(c->acls, s->auth_acl);
	for (const struct conf_acl_entry *e = acl ? acl->head : NULL; e;
	     e = e->next) {
		if (e->action == CONF_ACL_REMARK)
			continue;
		if ((peer & ~e->src.wild) == e->src.addr)
			return e->action == CONF_ACL_PERMIT;
	}
	return false;
}

static enum ike_ks_verdict
cb_lookup(void *arg, uint32_t id, uint32_t peer, void **group)
{
	struct ks *ks = arg;
	struct ks_group *g = group_by_id(ks, id);
	const struct conf_gdoi_group *cg;
	const char *why;
	char a[INET_ADDRSTRLEN], n[16];

	inet_ntop(AF_INET, &peer, a, sizeof(a));
	if (g == NULL) {
		snprintf(n, sizeof(n), "%u", id);
		gdoi_log_limited(ev_now(ks->loop), GDOI_MSG_KS_UNKNOWN_GROUP,
				 a, n);
		return IKE_KS_UNKNOWN_GROUP;
	}
	cg = conf_gdoi_group_find(ks->conf->gdoi, g->name);
	if (cg == NULL || !authorized(ks->conf, cg, peer)) {
		gdoi_log_limited(ev_now(ks->loop), GDOI_MSG_UNAUTHORIZED_IPADDR,
				 g->name, a);
		g->refused++;
		return IKE_KS_UNAUTHORIZED;
	}
	why = g->ready ? ks_coop_why_not_serving(g) : g->why;
	if (why != NULL) {
		gdoi_log_limited(ev_now(ks->loop), GDOI_MSG_KS_NOT_READY, a,
				 g->name, why);
		g->refused++;
		return IKE_KS_NOT_READY;
	}
	*group = g;
	return IKE_KS_OK;
}

static int
cb_policy(void *arg, void *group, struct gdoi_policy *out)
{
	struct ks_group *g = group;

	(void)arg;
	ks_gen_pull_policy(&g->gen, ks_now(g), out);
	return 0;
}

/* A member registering again gives its sender IDs back first. */
static size_t
cb_sids(void *arg, void *group, uint32_t peer, size_t count, uint32_t *sids,
	unsigned *bits)
{
	struct ks_group *g = group;
	struct member *m = members_find(g->members, peer);
	size_t n;

	(void)arg;
	if (m != NULL) {
		ks_gen_free_sids(&g->gen, m->sid, m->nsid);
		m->nsid = 0;
	}
	*bits = ks_gen_sid_bits(&g->gen);
	ks_coop_sid_range(g);
	n = ks_gen_grant_sids(&g->gen, count, sids);
	ks_persist_sids(g, sids, n);	/* on disk before message 4 */
	return n;
}

static void
cb_registered(void *arg, void *group, uint32_t peer, uint16_t port,
	      uint32_t local, const uint32_t *sids, size_t nsid)
{
	struct ks_group *g = group;
	struct member *m = members_get(g->members, peer);
	char a[INET_ADDRSTRLEN];

	(void)arg;
	g->registrations++;
	if (m == NULL)
		return;
	if (m->registrations == 0)
		m->first_reg_ms = ks_now(g);
	m->registrations++;
	m->last_reg_ms = ks_now(g);
	m->ks_addr = local;
	m->coop_ks = 0;
	m->port = port;
	m->state = MEMBER_REGISTERED;
	m->acks_missed_run = 0;
	m->nsid = nsid < GDOI_MAX_SID ? nsid : GDOI_MAX_SID;
	memcpy(m->sid, sids, m->nsid * sizeof(*sids));
	inet_ntop(AF_INET, &peer, a, sizeof(a));
	gdoi_log(GDOI_MSG_KS_REGS_COMPL, g->name, a);
	ks_coop_member(g, peer, m->sid, m->nsid);
	ks_persist_member(g, m);	/* on disk before message 4 */
}

/* Message 1 from peer: admitted when some group's `authorization
 * address ipv4` ACL (or its absence) lets it register, or it is a COOP
 * peer (doc/coop.md "Protection between key servers"). */
static bool
cb_admit(void *arg, uint32_t peer)
{
	struct ks *ks = arg;

	if (ks->conf == NULL)
		return false;
	if (ks_coop_is_peer(ks, 0, peer))
		return true;
	for (const struct ks_group *g = ks->head; g != NULL; g = g->next) {
		const struct conf_gdoi_group *cg =
			conf_gdoi_group_find(ks->conf->gdoi, g->name);

		if (cg != NULL && authorized(ks->conf, cg, peer))
			return true;
	}
	return false;
}

static const struct ike_ks_ops ks_ops = {
	.lookup = cb_lookup,
	.policy = cb_policy,
	.grant_sids = cb_sids,
	.registered = cb_registered,
	.admit = cb_admit,
};

struct ks *
ks_new(struct evloop *loop, struct ike *ike)
{
	struct ks *ks = calloc(1, sizeof(*ks));

	if (ks == NULL || (ks->by_name = hmap_new()) == NULL) {
		free(ks);
		return NULL;
	}
	ks->loop = loop;
	ks->ike = ike;
	ike_set_ks(ike, &ks_ops, ks);
	return ks;
}

void
ks_free(struct ks *ks)
{
	if (ks == NULL)
		return;
	while (ks->head != NULL) {
		struct ks_group *g = ks->head;

		ks->head = g->next;
		group_free(g);
	}
	hmap_free(ks->by_name);
	free(ks->state_dir);
	OPENSSL_cleanse(ks->state_secret, sizeof(ks->state_secret));
	if (ks->scratch != NULL)
		gdoi_policy_wipe(ks->scratch);
	free(ks->scratch);
	free(ks);
}

const struct gdoi_policy *
ks_policy_now(struct ks *ks, const char *group)
{
	struct ks_group *g = group_find(ks, group);

	if (g == NULL || !g->ready)
		return NULL;
	if (ks->scratch == NULL &&
	    (ks->scratch = calloc(1, sizeof(*ks->scratch))) == NULL)
		return NULL;
	ks_gen_pull_policy(&g->gen, ks_now(g), ks->scratch);
	return ks->scratch;
}

int
ks_stats(const struct ks *ks, const char *group, struct ks_stats *st)
{
	const struct ks_group *g = group_find(ks, group);

	memset(st, 0, sizeof(*st));
	if (g == NULL)
		return -1;
	st->members = members_count(g->members);
	st->registrations = g->registrations;
	st->rekeys_sent = g->rekeys_sent;
	st->signatures = ks->signatures;
	st->datagrams = ks->rekey_tx;
	st->acks_dropped = ks->acks_dropped;
	st->acks_last = g->rk.acks;
	st->retx_last = g->rk.retx_last;
	st->duration_ms = g->rk.duration_ms;
	st->seq = g->gen.kek.seq;
	st->tek_gen = g->gen.cur.gen;
	for (size_t i = 0; i < KS_SIGNERS; i++)
		st->signers += g->signers[i].key != NULL;
	st->ready = g->ready;
	return 0;
}

int
ks_rekey_now(struct ks *ks, const char *group, bool replace_now, char *err,
	     size_t errlen)
{
	int n = 0;

	for (struct ks_group *g = ks->head; g; g = g->next) {
		if ((group != NULL && strcmp(group, g->name) != 0) || !g->ready)
			continue;
		if (ks_coop_follows(g)) {
			snprintf(err, errlen, "Group %s: this key server is a "
				 "COOP secondary; rekey on the primary",
				 g->name);
			return -1;
		}
		if (ks_gen_new_teks(&g->gen, ks_now(g)) < 0)
			continue;
		if (replace_now)
			ks_gen_cut_old(&g->gen, ks_now(g));
		ks_hold_member_sids(g);
		ks_persist_save(g);
		ks_rekey_send(g, false, NULL, 0);
		ks_rekey_arm(g);
		n++;
	}
	if (n == 0)
		snprintf(err, errlen, "No key server group %s is ready",
			 group ? group : "");
	return n > 0 ? 0 : -1;
}

/* The members leave: with now, a rekey deletes every TEK and the KEK at
 * once; without, they keep what they hold until it ends, get no more
 * rekeys and register again for fresh keys (doc/keyserver.md). */
void
ks_clear_members(struct ks *ks, bool now)
{
	static const struct push_delete del[] = {
		{ .proto = GDOI_PROTO_IPSEC_ESP, .nspi = 1 },	/* SPI 0: all */
		{ .proto = PUSH_DEL_KEK },
	};

	for (struct ks_group *g = ks->head; g; g = g->next) {
		if (!g->ready)
			continue;
		if (now && members_count(g->members) > 0)
			ks_rekey_send(g, false, del, 2);
		members_clear(g->members);
		if (ks_gen_new_kek(&g->gen, ks_now(g)) == 0 &&
		    ks_gen_new_teks(&g->gen, ks_now(g)) == 0)
			ks_gen_drop_old(&g->gen);
		ks_persist_save(g);
		ks_rekey_arm(g);
		gdoi_log(GDOI_MSG_KS_CLEAR_REGISTER, g->name);
	}
}
