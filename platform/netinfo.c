/*
 * netinfo: the kernel's links, IPv4 addresses and main-table IPv4 routes
 * through libnl-route-3 caches, copied into plain arrays so callers need
 * no libnl headers.
 */
#include "platform/netinfo.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rtnl_link_stat_id_t stat_ids[NETINFO_STAT_COUNT] = {
	[NETINFO_RX_PACKETS] = RTNL_LINK_RX_PACKETS,
	[NETINFO_RX_BYTES] = RTNL_LINK_RX_BYTES,
	[NETINFO_TX_PACKETS] = RTNL_LINK_TX_PACKETS,
	[NETINFO_TX_BYTES] = RTNL_LINK_TX_BYTES,
	[NETINFO_RX_ERRORS] = RTNL_LINK_RX_ERRORS,
	[NETINFO_TX_ERRORS] = RTNL_LINK_TX_ERRORS,
	[NETINFO_RX_DROPPED] = RTNL_LINK_RX_DROPPED,
	[NETINFO_TX_DROPPED] = RTNL_LINK_TX_DROPPED,
	[NETINFO_RX_CRC] = RTNL_LINK_RX_CRC_ERR,
	[NETINFO_RX_FRAME] = RTNL_LINK_RX_FRAME_ERR,
	[NETINFO_RX_OVER] = RTNL_LINK_RX_OVER_ERR,
	[NETINFO_MULTICAST] = RTNL_LINK_MULTICAST,
	[NETINFO_COLLISIONS] = RTNL_LINK_COLLISIONS,
};

/* Copy an IPv4 nl_addr; 0 when it is not one. */
static uint32_t
v4(struct nl_addr *a)
{
	uint32_t x = 0;

	if (a != NULL && nl_addr_get_family(a) == AF_INET &&
	    nl_addr_get_len(a) == 4)
		memcpy(&x, nl_addr_get_binary_addr(a), 4);
	return x;
}

static void
take_link(struct rtnl_link *l, struct netinfo_link *o)
{
	struct nl_addr *mac = rtnl_link_get_addr(l);
	const char *kind = rtnl_link_get_type(l);

	memset(o, 0, sizeof(*o));
	o->ifindex = (unsigned)rtnl_link_get_ifindex(l);
	snprintf(o->name, sizeof(o->name), "%s", rtnl_link_get_name(l));
	snprintf(o->kind, sizeof(o->kind), "%s", kind ? kind : "");
	o->flags = rtnl_link_get_flags(l);
	o->carrier = (o->flags & IFF_LOWER_UP) != 0;
	o->mtu = rtnl_link_get_mtu(l);
	o->txqlen = rtnl_link_get_txqlen(l);
	o->arptype = rtnl_link_get_arptype(l);
	if (mac != NULL && nl_addr_get_len(mac) == 6) {
		memcpy(o->mac, nl_addr_get_binary_addr(mac), 6);
		o->has_mac = true;
	}
	for (int i = 0; i < NETINFO_STAT_COUNT; i++)
		o->stat[i] = rtnl_link_get_stat(l, stat_ids[i]);
}

static void
take_addr(struct rtnl_addr *a, struct netinfo_addr *o)
{
	o->ifindex = (unsigned)rtnl_addr_get_ifindex(a);
	o->addr = v4(rtnl_addr_get_local(a));
	o->plen = (uint8_t)rtnl_addr_get_prefixlen(a);
	o->secondary = (rtnl_addr_get_flags(a) & IFA_F_SECONDARY) != 0;
}

static void
take_route(struct rtnl_route *r, struct netinfo_route *o)
{
	struct rtnl_nexthop *nh = rtnl_route_get_nnexthops(r) > 0
		? rtnl_route_nexthop_n(r, 0) : NULL;

	memset(o, 0, sizeof(*o));
	o->dst = v4(rtnl_route_get_dst(r));
	o->plen = (uint8_t)nl_addr_get_prefixlen(rtnl_route_get_dst(r));
	o->protocol = rtnl_route_get_protocol(r);
	o->scope = rtnl_route_get_scope(r);
	o->type = rtnl_route_get_type(r);
	o->metric = rtnl_route_get_priority(r);
	if (nh != NULL) {
		o->gw = v4(rtnl_route_nh_get_gateway(nh));
		o->oif = (unsigned)rtnl_route_nh_get_ifindex(nh);
	}
}

/* Room for every object of a cache. */
static void *
alloc_for(struct nl_cache *c, size_t size)
{
	int n = nl_cache_nitems(c);

	return calloc(n > 0 ? (size_t)n : 1, size);
}

static int
read_links(struct nl_sock *sk, struct netinfo *ni)
{
	struct nl_cache *c;

	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &c) < 0)
		return -1;
	ni->links = alloc_for(c, sizeof(*ni->links));
	for (struct nl_object *o = nl_cache_get_first(c); o && ni->links;
	     o = nl_cache_get_next(o))
		take_link((struct rtnl_link *)o, &ni->links[ni->nlinks++]);
	nl_cache_free(c);
	return ni->links ? 0 : -1;
}

static int
read_addrs(struct nl_sock *sk, struct netinfo *ni)
{
	struct nl_cache *c;

	if (rtnl_addr_alloc_cache(sk, &c) < 0)
		return -1;
	ni->addrs = alloc_for(c, sizeof(*ni->addrs));
	for (struct nl_object *o = nl_cache_get_first(c); o && ni->addrs;
	     o = nl_cache_get_next(o))
		if (rtnl_addr_get_family((struct rtnl_addr *)o) == AF_INET)
			take_addr((struct rtnl_addr *)o,
				  &ni->addrs[ni->naddrs++]);
	nl_cache_free(c);
	return ni->addrs ? 0 : -1;
}

static int
read_routes(struct nl_sock *sk, struct netinfo *ni)
{
	struct nl_cache *c;

	if (rtnl_route_alloc_cache(sk, AF_INET, 0, &c) < 0)
		return -1;
	ni->routes = alloc_for(c, sizeof(*ni->routes));
	for (struct nl_object *o = nl_cache_get_first(c); o && ni->routes;
	     o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;

		if (rtnl_route_get_table(r) == RT_TABLE_MAIN &&
		    rtnl_route_get_type(r) == RTN_UNICAST)
			take_route(r, &ni->routes[ni->nroutes++]);
	}
	nl_cache_free(c);
	return ni->routes ? 0 : -1;
}

int
netinfo_read(struct netinfo *ni, char *err, size_t errlen)
{
	struct nl_sock *sk = nl_socket_alloc();
	int rc = -1;

	memset(ni, 0, sizeof(*ni));
	if (sk == NULL || nl_connect(sk, NETLINK_ROUTE) < 0) {
		snprintf(err, errlen, "cannot open a netlink socket");
		goto out;
	}
	if (read_links(sk, ni) < 0 || read_addrs(sk, ni) < 0 ||
	    read_routes(sk, ni) < 0) {
		snprintf(err, errlen, "cannot read the kernel's interfaces "
			 "and routes");
		netinfo_free(ni);
		goto out;
	}
	rc = 0;
out:
	nl_socket_free(sk);
	return rc;
}

void
netinfo_free(struct netinfo *ni)
{
	free(ni->links);
	free(ni->addrs);
	free(ni->routes);
	memset(ni, 0, sizeof(*ni));
}

const struct netinfo_link *
netinfo_link_by_index(const struct netinfo *ni, unsigned ifindex)
{
	for (size_t i = 0; i < ni->nlinks; i++)
		if (ni->links[i].ifindex == ifindex)
			return &ni->links[i];
	return NULL;
}

const struct netinfo_link *
netinfo_link_by_name(const struct netinfo *ni, const char *name)
{
	for (size_t i = 0; i < ni->nlinks; i++)
		if (strcmp(ni->links[i].name, name) == 0)
			return &ni->links[i];
	return NULL;
}

const struct netinfo_addr *
netinfo_primary(const struct netinfo *ni, unsigned ifindex)
{
	for (size_t i = 0; i < ni->naddrs; i++)
		if (ni->addrs[i].ifindex == ifindex && !ni->addrs[i].secondary)
			return &ni->addrs[i];
	return NULL;
}
