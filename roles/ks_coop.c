/*
 * ks_coop: a key server group's COOP engine (roles/coop.c) in the daemon:
 * built from `redundancy` and the group's rekey RSA key, fed the COOP
 * datagrams of the GDOI socket, ticked by an event-loop timer, told of
 * each registration; a merge it wins rolls the KEK (doc/coop.md).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/showout.h"
#include "roles/coop.h"
#include "roles/ike.h"
#include "roles/keystore.h"
#include "roles/ks_int.h"
#include "roles/members.h"
#include "roles/show.h"

/* Under the Phase 1 SA of our address and the peer (roles/ike_peer.c). */
static void
coop_tx(void *ctx, uint32_t to, const uint8_t *p, size_t len)
{
	struct ks_group *g = ctx;

	if (ike_coop_send(g->ks->ike, htonl(g->coop_conf.self), htonl(to), p,
			  len) < 0)
		log_dbg(LOG_DBG_GDOI_COOP, "group %s: COOP send to %08x failed",
			g->name, to);
}

static void
coop_ev(void *ctx, enum coop_event ev)
{
	struct ks_group *g = ctx;

	log_dbg(LOG_DBG_GDOI_COOP, "group %s: COOP event %d", g->name, ev);
	if (ev == COOP_EV_MERGE_LOST)
		ks_coop_merge_lost(g);
	if (ev == COOP_EV_STATE && ks_coop_adopt(g) == 0) {
		ks_persist_save(g);	/* a restart serves these keys */
		ks_coop_last_rekey(g);
	}
	if (ev == COOP_EV_SECONDARY)
		ks_rekey_stop(g);
	if (ev == COOP_EV_PRIMARY) {
		ks_coop_take_over(g);
		if (g->ready)
			ks_rekey_arm(g);
	}
	if (ev != COOP_EV_MERGE_WON || !g->ready)
		return;
	/* doc/coop.md: the winner of a merge brings everyone onto one KEK,
	 * its pseudotime at the later of the two lineages' */
	if (ks_now(g) - g->gen.pseudo_origin_ms < coop_summary(g->coop)->pseudo_ms)
		g->gen.pseudo_origin_ms = ks_now(g) -
					  coop_summary(g->coop)->pseudo_ms;
	if (ks_gen_new_kek(&g->gen, ks_now(g)) < 0)
		return;
	ks_persist_save(g);
	if (members_count(g->members) > 0)
		ks_rekey_send(g, true, NULL, 0);
	/* the loser's SYNC-FULL, sent next, carries the new KEK already, so
	 * its last rekey hands its members this one */
	ks_coop_publish(g, true);
}

/* A member registered elsewhere: in our table too, so that as primary
 * we rekey it (from our address, to the GDOI port) and keep its SID. */
static void
coop_member_in(void *ctx, const struct coop_member *cm)
{
	struct ks_group *g = ctx;
	struct member *m = members_get(g->members, htonl(cm->addr));

	if (m == NULL || m->registrations > 0)
		return;		/* ours: we know better */
	m->ks_addr = htonl(g->coop_conf.self);
	/* ours from before a restart when the record names us */
	m->coop_ks = cm->ks == g->coop_conf.self ? 0 : htonl(cm->ks);
	m->port = ike_port(g->ks->ike);
	m->state = MEMBER_REGISTERED;
	m->nsid = cm->sid ? 1 : 0;
	m->sid[0] = cm->sid;
	ks_gen_hold_sids(&g->gen, m->sid, m->nsid);
}

static bool
coop_ike_up(void *ctx, uint32_t peer)
{
	struct ks_group *g = ctx;

	return ike_coop_sa_up(g->ks->ike, htonl(g->coop_conf.self),
			      htonl(peer));
}

static void coop_timer(void *arg);

static void
coop_arm(struct ks_group *g, uint64_t at_ms)
{
	uint64_t now = ks_now(g);

	ev_timer(g->ks->loop, at_ms > now ? at_ms - now : 0, coop_timer, g,
		 &g->t_coop);
}

/* A primary looks for a new key state every second. */
#define KS_COOP_PUBLISH_MS 1000

static void
coop_timer(void *arg)
{
	struct ks_group *g = arg;
	uint64_t at = coop_tick(g->coop, ks_now(g));

	ks_coop_publish(g, false);
	if (coop_role(g->coop) == COOP_ROLE_PRIMARY &&
	    at > ks_now(g) + KS_COOP_PUBLISH_MS)
		at = ks_now(g) + KS_COOP_PUBLISH_MS;
	coop_arm(g, at);
}

/* doc/coop.md "In the daemon": registrations are answered by a primary,
 * or by a secondary once it holds state from its primary; not during an
 * election, when the keys here may be no other key server's. */
const char *
ks_coop_why_not_serving(const struct ks_group *g)
{
	size_t len;

	if (g->coop == NULL || coop_role(g->coop) == COOP_ROLE_PRIMARY)
		return NULL;
	if (coop_role(g->coop) != COOP_ROLE_SECONDARY)
		return "COOP election in progress";
	return coop_blob(g->coop, &len) == NULL
		? "no key state from the COOP primary yet" : NULL;
}

void
ks_coop_stop(struct ks_group *g)
{
	ev_timer_cancel(&g->t_coop);
	coop_free(g->coop);
	g->coop = NULL;
}

/* Wall-clock ms << 16: counters keep rising across restarts. */
static uint64_t
counter_base(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000)
	       << 16;
}

/* Process-wide: IOS has no command for the COOP timers (doc/coop.md
 * "Timers"); only labs and tests shorten them. */
static uint32_t coop_period_ms;

void
ks_coop_set_period(uint32_t ms)
{
	coop_period_ms = ms;
}

static void
coop_conf_of(const struct conf_gdoi_group *cg, const struct rsakey *key,
	     struct coop_conf *cc)
{
	const struct conf_gdoi_server *s = cg->server;

	memset(cc, 0, sizeof(*cc));
	snprintf(cc->group_name, sizeof(cc->group_name), "%s", cg->name);
	cc->group = cg->identity_number;
	cc->self = ntohl(s->address);
	cc->priority = s->coop->priority;
	cc->key = key;
	cc->period_ms = coop_period_ms;
	for (unsigned i = 0; i < s->coop->n_peers; i++) {
		uint32_t a = ntohl(s->coop->peers[i]);

		if (a != cc->self && cc->npeers < COOP_MAX_KS - 1)
			cc->peers[cc->npeers++] = a;
	}
}

void
ks_coop_apply(struct ks_group *g, const struct conf_gdoi_group *cg,
	      const struct keystore *keys)
{
	const struct conf_gdoi_server *s = cg->server;
	const struct rsakey *key;
	struct coop_conf cc;
	struct coop_io io = { .ctx = g, .send = coop_tx, .event = coop_ev,
			      .member = coop_member_in, .ike_up = coop_ike_up };

	if (s == NULL || s->coop == NULL || s->address == 0 ||
	    (key = keystore_find(keys, s->rekey_rsa)) == NULL) {
		ks_coop_stop(g);
		return;
	}
	coop_conf_of(cg, key, &cc);
	if (g->coop != NULL && memcmp(&cc, &g->coop_conf, sizeof(cc)) == 0)
		return;
	ks_coop_stop(g);
	g->coop_conf = cc;
	g->coop_conf.counter_base = counter_base();
	g->coop = coop_new(&g->coop_conf, &io, ks_now(g));
	g->coop_conf.counter_base = 0;	/* compared above */
	if (g->coop == NULL)
		log_info("group %s: COOP not started (more than %d key servers?)",
			 g->name, COOP_MAX_KS);
	else
		coop_arm(g, ks_now(g));
}

void
ks_coop_sid_range(struct ks_group *g)
{
	unsigned bits = ks_gen_sid_bits(&g->gen);
	uint32_t space = bits >= 16 ? 65536 : 1u << bits;

	g->gen.sid_lo = g->gen.sid_hi = 0;
	if (g->coop != NULL && bits > 0)
		coop_sid_slice(g->coop, space, &g->gen.sid_lo, &g->gen.sid_hi);
}

void
ks_coop_member(struct ks_group *g, uint32_t peer, const uint32_t *sids,
	       size_t nsid)
{
	if (g->coop == NULL)
		return;
	coop_member_add(g->coop, ntohl(peer), nsid ? sids[0] : 0, ks_now(g));
	coop_arm(g, ks_now(g));
}

bool
ks_coop_is_peer(const struct ks *ks, uint32_t local, uint32_t peer)
{
	for (const struct ks_group *g = ks->head; g != NULL; g = g->next) {
		const struct coop_conf *cc = &g->coop_conf;

		if (g->coop == NULL || (local != 0 && htonl(cc->self) != local))
			continue;
		for (unsigned i = 0; i < cc->npeers; i++)
			if (htonl(cc->peers[i]) == peer)
				return true;
	}
	return false;
}

void
ks_coop_input(struct ks *ks, uint32_t from, const uint8_t *p, size_t len)
{
	struct ks_group *g;
	uint32_t group;

	/* the chain names its group (doc/coop.md); the engine checks it */
	if (coop_peek_group(p, len, &group) < 0)
		return;
	for (g = ks->head; g != NULL; g = g->next)
		if (g->coop != NULL && g->coop_conf.group == group)
			break;
	if (g == NULL) {
		log_dbg(LOG_DBG_GDOI_COOP, "COOP from %08x for no group",
			ntohl(from));
		return;
	}
	coop_input(g->coop, ntohl(from), p, len, ks_now(g));
	coop_arm(g, coop_tick(g->coop, ks_now(g)));
}

void
ks_coop_reelect(struct ks *ks)
{
	for (struct ks_group *g = ks->head; g != NULL; g = g->next) {
		if (g->coop == NULL)
			continue;
		coop_reelect(g->coop, ks_now(g));
		coop_arm(g, coop_tick(g->coop, ks_now(g)));
	}
}

/* Dropped before any group saw them (roles/ike_peer.c), all groups. */
static void
show_ike_drops(const struct ike_counters *n, struct showout *o)
{
	showout_obj(o, "isakmp_drops");
	showout_u64(o, "no_sa", n->coop_no_sa, "        Dropped under ISAKMP "
		    "(all groups): no SA: %lu, ", n->coop_no_sa);
	showout_u64(o, "bad_hash", n->coop_bad_hash, "bad hash: %lu, ",
		    n->coop_bad_hash);
	showout_u64(o, "malformed", n->coop_malformed, "malformed: %lu, ",
		    n->coop_malformed);
	showout_u64(o, "unconfigured_peer", n->coop_unconf,
		    "unconfigured peer: %lu\n", n->coop_unconf);
	showout_u64(o, "phase1_failed", n->coop_p1_failed, "        Phase 1 "
		    "with peers failed: %lu, ", n->coop_p1_failed);
	showout_u64(o, "unsent", n->coop_unsent, "messages not sent for "
		    "want of an SA: %lu\n", n->coop_unsent);
	showout_end(o);
}

static int
show_coop(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const unsigned handle = 0x80000001u;
	struct showout *o = ctx->show;

	showout_list(o, "groups");
	for (const struct ks_group *g = ctx->roles->ks->head; g != NULL;
	     g = g->next) {
		showout_obj(o, NULL);
		showout_str(o, "group_name", g->name,
			    "Crypto Gdoi Group Name :%s \n", g->name);
		showout_u64(o, "group_handle", handle,
			    "        Group handle: %u, ", handle);
		showout_u64(o, "local_ks_handle", handle,
			    "Local Key Server handle: %u\n", handle);
		if (g->coop != NULL) {
			coop_show(g->coop, cmd_has(a, "detail"), ks_now(g), o);
			if (cmd_has(a, "detail"))
				show_ike_drops(ike_counters(g->ks->ike), o);
		} else {
			showout_bool(o, "redundancy", false, "        *NO* "
				     "redundancy configured for this group\n");
		}
		showout_end(o);
	}
	showout_end(o);
	return CMD_OK;
}

const struct cmd_def ks_coop_show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " ks coop [detail]",
	  "\n\n\n\nKey server\nCooperative key servers of each group\n"
	  "Per-peer sync and drop counters too\n", show_coop,
	  CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
