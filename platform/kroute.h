/*
 * kroute: the kernel routing operations the userspace data plane needs,
 * through libnl-route-3 (as ipsec/xfrm.c goes through libnl-xfrm-3):
 * IPv4 policy-routing rules (`ip rule`), routes in a table, and link
 * index / MTU / up / per-device IPv4 settings.  Calls are synchronous and
 * bounded by a receive timeout, so the event loop never waits on the
 * kernel for long.  Names are kroute_*: libnl exports rtnl_*.
 *
 * Rules and routes carry a protocol marker (FRA_PROTOCOL, rtm_protocol),
 * the way routing daemons tag what they own, so that entries left behind
 * by a process that died can be found and removed at the next start.
 *
 * Addresses are IPv4 in network byte order.  Every call returns 0 (or a
 * count) on success and -1 with errno set (the kernel's error) otherwise.
 * The socket belongs to the network namespace that was current when
 * kroute_open() ran.  Needs CAP_NET_ADMIN for every change.
 */
#ifndef PLATFORM_KROUTE_H
#define PLATFORM_KROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux IFNAMSIZ. */
#define KROUTE_IFNAME_MAX 16

struct kroute;

/* One IPv4 rule: "from all [iif IIF] [ipproto P] [to DST/LEN] lookup TABLE". */
struct kroute_rule {
	uint32_t priority;
	uint32_t table;
	uint8_t protocol;		/* originator marker */
	char iif[KROUTE_IFNAME_MAX];	/* "" = any input interface */
	uint8_t ipproto;		/* 0 = any */
	uint32_t dst;			/* with dst_len 0: any destination */
	uint8_t dst_len;
};

/* One IPv4 unicast route through a device: "DST/LEN dev OIF table T". */
struct kroute_route {
	uint32_t table;
	uint8_t protocol;		/* originator marker */
	uint32_t dst;			/* 0/0 = default */
	uint8_t dst_len;
	unsigned oif;			/* output interface index */
	unsigned mtu;			/* RTAX_MTU metric; 0 = the device's */
	/* "local DST/LEN dev OIF table T": what the route selects is
	 * delivered to this host (to its sockets), whatever the address */
	bool local;
	/* "blackhole DST/LEN table T": what it selects is discarded
	 * silently (no ICMP); no device, so it outlives every link */
	bool blackhole;
};

/** kroute_open - a NETLINK_ROUTE socket (libnl); NULL with err set. */
struct kroute *kroute_open(char *err, size_t errlen);
/** kroute_close - close the socket.  NULL is ok. */
void kroute_close(struct kroute *nl);

/** kroute_link_get - index and MTU (either may be NULL) of interface name. */
int kroute_link_get(struct kroute *nl, const char *name, unsigned *ifindex,
		    unsigned *mtu);
/** kroute_link_set_up - set IFF_UP on the link. */
int kroute_link_set_up(struct kroute *nl, unsigned ifindex);
/** kroute_link_set_mtu - set the link MTU. */
int kroute_link_set_mtu(struct kroute *nl, unsigned ifindex, unsigned mtu);
/**
 * kroute_link_set_rp_filter - the per-device IPv4 rp_filter setting (0 off,
 * 1 strict, 2 loose; the kernel applies the larger of "all" and the
 * device's value).
 */
int kroute_link_set_rp_filter(struct kroute *nl, unsigned ifindex,
			      unsigned mode);
/**
 * kroute_link_no_ipv6_ll - no IPv6 link-local address on the link
 * (addr_gen_mode none), so a point-to-point device stays quiet.  Fails
 * harmlessly where IPv6 is off.
 */
int kroute_link_no_ipv6_ll(struct kroute *nl, unsigned ifindex);

/** kroute_rule_add - add an IPv4 rule (fails with EEXIST if present). */
int kroute_rule_add(struct kroute *nl, const struct kroute_rule *r);
/** kroute_rule_del - delete the IPv4 rule matching r (ENOENT if none). */
int kroute_rule_del(struct kroute *nl, const struct kroute_rule *r);
/**
 * kroute_rule_list - call cb for every IPv4 rule (in the kernel's order,
 * by priority) until cb returns non-zero.  At most KROUTE_DUMP_MAX rules.
 */
#define KROUTE_DUMP_MAX 1024
int kroute_rule_list(struct kroute *nl,
		     int (*cb)(const struct kroute_rule *r, void *arg),
		     void *arg);
/**
 * kroute_rule_flush - delete every IPv4 rule whose priority is in [lo, hi]
 * and whose protocol is the marker.  Returns how many went.
 */
int kroute_rule_flush(struct kroute *nl, uint32_t lo, uint32_t hi,
		      uint8_t protocol);

/** kroute_route_add - add or replace a route. */
int kroute_route_add(struct kroute *nl, const struct kroute_route *r);
/** kroute_route_del - delete the route matching r (ENOENT if none). */
int kroute_route_del(struct kroute *nl, const struct kroute_route *r);
/**
 * kroute_route_flush - delete every IPv4 route of table with the protocol
 * marker.  Returns how many went.
 */
int kroute_route_flush(struct kroute *nl, uint32_t table, uint8_t protocol);

#endif
