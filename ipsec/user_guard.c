/*
 * user_guard: the fail-close guard of the user data plane (see
 * ipsec_user_guard() in ipsec/user.h and doc/dataplane.md "Fail-close
 * that outlives the process").
 *
 * The steering rules send LAN traffic to the TUN device; when the
 * process dies the TUN goes, the kernel removes every route through it,
 * and the lookup falls through to the main table: cleartext on the WAN.
 * The guard is one more rule per steered interface, after the steering
 * rules, pointing at a table that holds only "blackhole default": it is
 * never reached while the TUN routes exist, and it holds no device, so
 * it outlives the process.  It is not part of the steering state that
 * start-up and attach flush; only ipsec_user_guard() with no interface
 * (an orderly `no` of the fail-close configuration) removes it.
 */
#include "ipsec/user_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform/log.h"

struct guard_set {
	const char *wan;
	const char *const *lans;
	size_t nlan;
	struct kroute_rule stale[IPSEC_USER_MAX_LAN + 2];
	size_t nstale;
};

static bool
guard_named(const struct guard_set *g, const char *iif)
{
	if (g->wan != NULL && strcmp(iif, g->wan) == 0)
		return true;
	for (size_t i = 0; i < g->nlan; i++)
		if (strcmp(iif, g->lans[i]) == 0)
			return true;
	return false;
}

/* Collect our guard rules for interfaces outside the set. */
static int
guard_stale_cb(const struct kroute_rule *r, void *arg)
{
	struct guard_set *g = arg;

	if (r->priority != IPSEC_USER_PRIO_GUARD ||
	    r->protocol != IPSEC_USER_RTPROT ||
	    r->table != IPSEC_USER_TABLE_GUARD || guard_named(g, r->iif))
		return 0;
	if (g->nstale < sizeof(g->stale) / sizeof(g->stale[0]))
		g->stale[g->nstale++] = *r;
	return 0;
}

static int
guard_rule(struct kroute *nl, const char *iif, char *err, size_t errlen)
{
	struct kroute_rule r = {
		.priority = IPSEC_USER_PRIO_GUARD,
		.table = IPSEC_USER_TABLE_GUARD,
		.protocol = IPSEC_USER_RTPROT,
	};

	snprintf(r.iif, sizeof(r.iif), "%s", iif);
	if (kroute_rule_add(nl, &r) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "guard rule iif %s: %s", iif,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* The blackhole first, then the rules (each kept if present), then the
 * rules of interfaces no longer named: never a moment without a guard. */
static int
guard_install(struct kroute *nl, struct guard_set *g, char *err, size_t errlen)
{
	struct kroute_route bh = {
		.table = IPSEC_USER_TABLE_GUARD,
		.protocol = IPSEC_USER_RTPROT,
		.blackhole = true,
	};

	if (kroute_route_add(nl, &bh) < 0) {
		snprintf(err, errlen, "guard route table %u: %s", bh.table,
			 strerror(errno));
		return -1;
	}
	if (guard_rule(nl, g->wan, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < g->nlan; i++)
		if (guard_rule(nl, g->lans[i], err, errlen) < 0)
			return -1;
	if (kroute_rule_list(nl, guard_stale_cb, g) < 0)
		return 0;
	for (size_t i = 0; i < g->nstale; i++)
		kroute_rule_del(nl, &g->stale[i]);
	return 0;
}

static void
guard_remove(struct kroute *nl)
{
	int n = kroute_rule_flush(nl, IPSEC_USER_PRIO_GUARD,
				IPSEC_USER_PRIO_GUARD, IPSEC_USER_RTPROT);

	kroute_route_flush(nl, IPSEC_USER_TABLE_GUARD, IPSEC_USER_RTPROT);
	if (n > 0)
		log_info("user data plane: fail-close guard removed");
}

int
ipsec_user_guard(struct ipsec_ctx *ctx, const char *wan_if,
		 const char *const *lan_ifs, size_t nlan)
{
	struct guard_set g = { .wan = wan_if, .lans = lan_ifs, .nlan = nlan };
	struct user_state *st = user_of(ctx);
	struct kroute *nl;
	int rc = 0;

	if (st == NULL || nlan > IPSEC_USER_MAX_LAN ||
	    (nlan > 0 && lan_ifs == NULL))
		return -1;
	nl = kroute_open(st->err, sizeof(st->err));
	if (nl == NULL)
		return -1;
	if (wan_if == NULL) {
		guard_remove(nl);
	} else if (guard_install(nl, &g, st->err, sizeof(st->err)) < 0) {
		log_warnx("user data plane: %s", st->err);
		rc = -1;
	} else {
		log_dbg(LOG_DBG_IPSEC, "user: fail-close guard on %s and %zu "
			"LAN interface(s)", wan_if, nlan);
	}
	kroute_close(nl);
	return rc;
}
