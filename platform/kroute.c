/*
 * kroute: links, IPv4 rules and IPv4 routes through libnl-route-3 (see
 * platform/kroute.h).  Each call builds a libnl object from our plain
 * struct, sends it on one NETLINK_ROUTE socket and waits for the kernel's
 * acknowledgement; dumps go through libnl caches and are copied out
 * before anything is changed.  libnl's negative NLE_* codes become errno
 * values (kr_fail) so callers keep one error convention.
 */
#include "platform/kroute.h"

#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

/* How long one call may wait for the kernel. */
#define KROUTE_TIMEOUT_MS 2000

struct kroute {
	struct nl_sock *sk;
};

/* libnl's error nle (negative or not) as errno; always -1. */
static int
kr_fail(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_EXIST: errno = EEXIST; break;
	case NLE_OBJ_NOTFOUND: errno = ENOENT; break;
	case NLE_NODEV: errno = ENODEV; break;
	case NLE_PERM: errno = EPERM; break;
	case NLE_NOACCESS: errno = EACCES; break;
	case NLE_INVAL: errno = EINVAL; break;
	case NLE_RANGE: errno = ERANGE; break;
	case NLE_NOMEM: errno = ENOMEM; break;
	case NLE_BUSY: errno = EBUSY; break;
	case NLE_AGAIN: errno = ETIMEDOUT; break;	/* SO_RCVTIMEO */
	case NLE_MSGSIZE: errno = EMSGSIZE; break;
	case NLE_OPNOTSUPP: errno = EOPNOTSUPP; break;
	case NLE_AF_NOSUPPORT: errno = EAFNOSUPPORT; break;
	default: errno = EIO; break;
	}
	return -1;
}

/* 0 or -1 with errno from a libnl return value. */
static int
kr_rc(int rc)
{
	return rc < 0 ? kr_fail(rc) : 0;
}

/* ---- socket ---- */

struct kroute *
kroute_open(char *err, size_t errlen)
{
	struct kroute *nl = calloc(1, sizeof(*nl));
	struct timeval tv = {
		.tv_sec = KROUTE_TIMEOUT_MS / 1000,
		.tv_usec = KROUTE_TIMEOUT_MS % 1000 * 1000,
	};
	int rc = -NLE_NOMEM;

	if (nl != NULL && (nl->sk = nl_socket_alloc()) != NULL)
		rc = nl_connect(nl->sk, NETLINK_ROUTE);
	if (rc == 0 && setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET,
				  SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		rc = -NLE_FAILURE;
	if (rc < 0) {
		snprintf(err, errlen, "rtnetlink socket: %s", nl_geterror(rc));
		kroute_close(nl);
		return NULL;
	}
	return nl;
}

void
kroute_close(struct kroute *nl)
{
	if (nl == NULL)
		return;
	nl_socket_free(nl->sk);	/* closes it; NULL is ok */
	free(nl);
}

/* ---- links ---- */

int
kroute_link_get(struct kroute *nl, const char *name, unsigned *ifindex,
		unsigned *mtu)
{
	struct rtnl_link *l = NULL;
	int rc;

	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ || name[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	rc = rtnl_link_get_kernel(nl->sk, 0, name, &l);
	if (rc < 0) {
		kr_fail(rc);
		if (errno == ENOENT)
			errno = ENODEV;
		return -1;
	}
	if (ifindex != NULL)
		*ifindex = (unsigned)rtnl_link_get_ifindex(l);
	if (mtu != NULL)
		*mtu = rtnl_link_get_mtu(l);
	rtnl_link_put(l);
	return 0;
}

/* Apply what set() writes into a change of link ifindex. */
static int
link_change(struct kroute *nl, unsigned ifindex,
	    int (*set)(struct rtnl_link *c, unsigned v), unsigned v)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *c = rtnl_link_alloc();
	int rc = -NLE_NOMEM;

	if (orig != NULL && c != NULL) {
		rtnl_link_set_ifindex(orig, (int)ifindex);
		rtnl_link_set_ifindex(c, (int)ifindex);
		rc = set(c, v);
		if (rc == 0)
			rc = rtnl_link_change(nl->sk, orig, c, 0);
	}
	rtnl_link_put(orig);
	rtnl_link_put(c);
	return kr_rc(rc);
}

static int
set_up(struct rtnl_link *c, unsigned v)
{
	(void)v;
	rtnl_link_set_flags(c, IFF_UP);
	return 0;
}

static int
set_mtu(struct rtnl_link *c, unsigned v)
{
	rtnl_link_set_mtu(c, v);
	return 0;
}

static int
set_rp_filter(struct rtnl_link *c, unsigned v)
{
	return rtnl_link_inet_set_conf(c, IPV4_DEVCONF_RP_FILTER, v);
}

static int
set_no_ll(struct rtnl_link *c, unsigned v)
{
	(void)v;
	return rtnl_link_inet6_set_addr_gen_mode(c, IN6_ADDR_GEN_MODE_NONE);
}

int
kroute_link_set_up(struct kroute *nl, unsigned ifindex)
{
	return link_change(nl, ifindex, set_up, 0);
}

int
kroute_link_set_mtu(struct kroute *nl, unsigned ifindex, unsigned mtu)
{
	return link_change(nl, ifindex, set_mtu, mtu);
}

int
kroute_link_set_rp_filter(struct kroute *nl, unsigned ifindex, unsigned mode)
{
	return link_change(nl, ifindex, set_rp_filter, mode);
}

int
kroute_link_no_ipv6_ll(struct kroute *nl, unsigned ifindex)
{
	return link_change(nl, ifindex, set_no_ll, 0);
}

/* ---- addresses ---- */

/* dst/len (network order) as a libnl address; NULL when out of memory. */
static struct nl_addr *
v4_prefix(uint32_t dst, uint8_t len)
{
	struct nl_addr *a = nl_addr_build(AF_INET, &dst, sizeof(dst));

	if (a != NULL)
		nl_addr_set_prefixlen(a, len);
	return a;
}

static uint32_t
v4_of(struct nl_addr *a, uint8_t *len)
{
	uint32_t v = 0;

	*len = 0;
	if (a != NULL && nl_addr_get_family(a) == AF_INET &&
	    nl_addr_get_len(a) == sizeof(v)) {
		memcpy(&v, nl_addr_get_binary_addr(a), sizeof(v));
		*len = (uint8_t)nl_addr_get_prefixlen(a);
	}
	return *len ? v : 0;
}

/* ---- rules ---- */

/* r as a libnl rule; NULL when out of memory or r is not valid. */
static struct rtnl_rule *
rule_of(const struct kroute_rule *r)
{
	struct rtnl_rule *o = rtnl_rule_alloc();
	struct nl_addr *dst;
	int rc = 0;

	if (o == NULL)
		return NULL;
	rtnl_rule_set_family(o, AF_INET);
	rtnl_rule_set_action(o, FR_ACT_TO_TBL);
	rtnl_rule_set_prio(o, r->priority);
	rtnl_rule_set_table(o, r->table);
	rc |= rtnl_rule_set_protocol(o, r->protocol);
	if (r->iif[0] != '\0')
		rc |= rtnl_rule_set_iif(o, r->iif);
	if (r->ipproto != 0)
		rc |= rtnl_rule_set_ipproto(o, r->ipproto);
	if (r->dst_len > 0) {
		dst = v4_prefix(r->dst, r->dst_len);
		rc |= dst == NULL ? -1 : rtnl_rule_set_dst(o, dst);
		nl_addr_put(dst);
	}
	if (rc != 0) {
		rtnl_rule_put(o);
		return NULL;
	}
	return o;
}

/* add (flags: exclusive) or delete r. */
static int
rule_send(struct kroute *nl, const struct kroute_rule *r, bool add)
{
	struct rtnl_rule *o;
	int rc;

	if (r->dst_len > 32) {
		errno = EINVAL;
		return -1;
	}
	o = rule_of(r);
	if (o == NULL)
		return kr_fail(NLE_NOMEM);
	rc = add ? rtnl_rule_add(nl->sk, o, NLM_F_EXCL)
		 : rtnl_rule_delete(nl->sk, o, 0);
	rtnl_rule_put(o);
	return kr_rc(rc);
}

int
kroute_rule_add(struct kroute *nl, const struct kroute_rule *r)
{
	return rule_send(nl, r, true);
}

int
kroute_rule_del(struct kroute *nl, const struct kroute_rule *r)
{
	return rule_send(nl, r, false);
}

struct kroute_rules {
	struct kroute_rule *v;
	size_t n;
};

/* One cached libnl rule into the list (IPv4 only). */
static void
rule_take(struct nl_object *obj, void *arg)
{
	struct rtnl_rule *o = (struct rtnl_rule *)obj;
	struct kroute_rules *rs = arg;
	struct kroute_rule *r;
	const char *iif;

	if (rs->n == KROUTE_DUMP_MAX || rtnl_rule_get_family(o) != AF_INET)
		return;
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->priority = rtnl_rule_get_prio(o);
	r->table = rtnl_rule_get_table(o);
	rtnl_rule_get_protocol(o, &r->protocol);
	rtnl_rule_get_ipproto(o, &r->ipproto);
	r->dst = v4_of(rtnl_rule_get_dst(o), &r->dst_len);
	iif = rtnl_rule_get_iif(o);
	if (iif != NULL)
		snprintf(r->iif, sizeof(r->iif), "%s", iif);
}

/* Every IPv4 rule, copied out so the caller may change rules meanwhile. */
static int
rules_dump(struct kroute *nl, struct kroute_rules *rs)
{
	struct nl_cache *c = NULL;
	int rc;

	rs->n = 0;
	rs->v = calloc(KROUTE_DUMP_MAX, sizeof(*rs->v));
	if (rs->v == NULL)
		return kr_fail(NLE_NOMEM);
	rc = rtnl_rule_alloc_cache(nl->sk, AF_INET, &c);
	if (rc < 0) {
		free(rs->v);
		rs->v = NULL;
		return kr_fail(rc);
	}
	nl_cache_foreach(c, rule_take, rs);
	nl_cache_free(c);
	return 0;
}

int
kroute_rule_list(struct kroute *nl,
		 int (*cb)(const struct kroute_rule *r, void *arg), void *arg)
{
	struct kroute_rules rs;

	if (rules_dump(nl, &rs) < 0)
		return -1;
	for (size_t i = 0; i < rs.n; i++)
		if (cb(&rs.v[i], arg) != 0)
			break;
	free(rs.v);
	return 0;
}

int
kroute_rule_flush(struct kroute *nl, uint32_t lo, uint32_t hi,
		  uint8_t protocol)
{
	struct kroute_rules rs;
	int gone = 0;

	if (rules_dump(nl, &rs) < 0)
		return -1;
	for (size_t i = 0; i < rs.n; i++) {
		const struct kroute_rule *r = &rs.v[i];

		if (r->priority < lo || r->priority > hi ||
		    r->protocol != protocol)
			continue;
		if (kroute_rule_del(nl, r) == 0)
			gone++;
	}
	free(rs.v);
	return gone;
}

/* ---- routes ---- */

/* r as a libnl route for an add (or a delete: any scope, no metrics). */
static struct rtnl_route *
route_of(const struct kroute_route *r, bool add)
{
	struct rtnl_route *o = rtnl_route_alloc();
	struct rtnl_nexthop *nh;
	struct nl_addr *dst;
	int rc;

	if (o == NULL)
		return NULL;
	dst = v4_prefix(r->dst, r->dst_len);
	rc = dst == NULL ? -1 : rtnl_route_set_dst(o, dst);
	nl_addr_put(dst);
	rtnl_route_set_table(o, r->table);
	rtnl_route_set_protocol(o, r->protocol);
	/* A route straight out of a device, no gateway: link scope; a
	 * local route: host scope; a blackhole: universe.  Deleting
	 * matches the type too. */
	rtnl_route_set_scope(o, !add ? RT_SCOPE_NOWHERE
			     : r->local ? RT_SCOPE_HOST
			     : r->blackhole ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	rc |= rtnl_route_set_type(o, r->local ? RTN_LOCAL
				  : r->blackhole ? RTN_BLACKHOLE : RTN_UNICAST);
	if (r->mtu != 0 && add)
		rc |= rtnl_route_set_metric(o, RTAX_MTU, r->mtu);
	if (r->oif != 0 && rc == 0) {
		nh = rtnl_route_nh_alloc();
		if (nh == NULL)
			rc = -1;
		else {
			rtnl_route_nh_set_ifindex(nh, (int)r->oif);
			rtnl_route_add_nexthop(o, nh);
		}
	}
	if (rc != 0) {
		rtnl_route_put(o);
		return NULL;
	}
	return o;
}

/* add (or replace) or delete r. */
static int
route_send(struct kroute *nl, const struct kroute_route *r, bool add)
{
	struct rtnl_route *o;
	int rc;

	if (r->dst_len > 32) {
		errno = EINVAL;
		return -1;
	}
	o = route_of(r, add);
	if (o == NULL)
		return kr_fail(NLE_NOMEM);
	rc = add ? rtnl_route_add(nl->sk, o, NLM_F_REPLACE)
		 : rtnl_route_delete(nl->sk, o, 0);
	rtnl_route_put(o);
	return kr_rc(rc);
}

int
kroute_route_add(struct kroute *nl, const struct kroute_route *r)
{
	return route_send(nl, r, true);
}

int
kroute_route_del(struct kroute *nl, const struct kroute_route *r)
{
	return route_send(nl, r, false);
}

struct kroute_routes {
	struct kroute_route *v;
	size_t n;
	uint32_t table;
	uint8_t protocol;
};

/* One cached libnl route of the table and protocol wanted into the list. */
static void
route_take(struct nl_object *obj, void *arg)
{
	struct rtnl_route *o = (struct rtnl_route *)obj;
	struct kroute_routes *rs = arg;
	struct rtnl_nexthop *nh;
	struct kroute_route *r;

	if (rs->n == KROUTE_DUMP_MAX || rtnl_route_get_family(o) != AF_INET ||
	    rtnl_route_get_table(o) != rs->table ||
	    rtnl_route_get_protocol(o) != rs->protocol)
		return;
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->table = rs->table;
	r->protocol = rs->protocol;
	r->dst = v4_of(rtnl_route_get_dst(o), &r->dst_len);
	nh = rtnl_route_nexthop_n(o, 0);
	r->oif = nh != NULL ? (unsigned)rtnl_route_nh_get_ifindex(nh) : 0;
	r->local = rtnl_route_get_type(o) == RTN_LOCAL;
	r->blackhole = rtnl_route_get_type(o) == RTN_BLACKHOLE;
}

int
kroute_route_flush(struct kroute *nl, uint32_t table, uint8_t protocol)
{
	struct kroute_routes rs = { .table = table, .protocol = protocol };
	struct nl_cache *c = NULL;
	int rc, gone = 0;

	rs.v = calloc(KROUTE_DUMP_MAX, sizeof(*rs.v));
	if (rs.v == NULL)
		return kr_fail(NLE_NOMEM);
	rc = rtnl_route_alloc_cache(nl->sk, AF_INET, 0, &c);
	if (rc < 0) {
		free(rs.v);
		return kr_fail(rc);
	}
	nl_cache_foreach(c, route_take, &rs);
	nl_cache_free(c);
	for (size_t i = 0; i < rs.n; i++)
		if (kroute_route_del(nl, &rs.v[i]) == 0)
			gone++;
	free(rs.v);
	return gone;
}
