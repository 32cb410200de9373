/*
 * netinfo: a snapshot of the kernel's interfaces, IPv4 addresses and
 * IPv4 main-table routes, read through libnl-route-3, for the EXEC show
 * commands (`show interfaces`, `show ip interface brief`, `show ip
 * route`) and `show version`'s interface count.  Read-only; addresses in
 * network byte order.  The snapshot is of the network namespace the
 * process runs in.
 */
#ifndef PLATFORM_NETINFO_H
#define PLATFORM_NETINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETINFO_NAME_MAX 16	/* IFNAMSIZ */

enum netinfo_stat {
	NETINFO_RX_PACKETS, NETINFO_RX_BYTES, NETINFO_TX_PACKETS,
	NETINFO_TX_BYTES, NETINFO_RX_ERRORS, NETINFO_TX_ERRORS,
	NETINFO_RX_DROPPED, NETINFO_TX_DROPPED, NETINFO_RX_CRC,
	NETINFO_RX_FRAME, NETINFO_RX_OVER, NETINFO_MULTICAST,
	NETINFO_COLLISIONS, NETINFO_STAT_COUNT,
};

struct netinfo_link {
	unsigned ifindex;
	char name[NETINFO_NAME_MAX];
	char kind[NETINFO_NAME_MAX];	/* "veth", "bridge"...; "" if none */
	unsigned flags;			/* IFF_* */
	bool carrier;			/* IFF_LOWER_UP: the line is up */
	unsigned mtu, txqlen, arptype;	/* arptype: ARPHRD_* */
	uint8_t mac[6];
	bool has_mac;
	uint64_t stat[NETINFO_STAT_COUNT];
};

struct netinfo_addr {
	unsigned ifindex;
	uint32_t addr;
	uint8_t plen;
	bool secondary;
};

struct netinfo_route {
	uint32_t dst, gw;		/* gw 0: directly connected */
	uint8_t plen;
	uint8_t protocol, scope, type;	/* RTPROT_*, RT_SCOPE_*, RTN_* */
	unsigned oif;
	uint32_t metric;
};

struct netinfo {
	struct netinfo_link *links;
	size_t nlinks;
	struct netinfo_addr *addrs;
	size_t naddrs;
	struct netinfo_route *routes;
	size_t nroutes;
};

/** netinfo_read - fill ni (links by index order of the kernel's dump);
 * 0, or -1 with err set (ni is then empty). */
int netinfo_read(struct netinfo *ni, char *err, size_t errlen);
/** netinfo_free - release what netinfo_read filled. */
void netinfo_free(struct netinfo *ni);

/** The link with this index or name; NULL if none. */
const struct netinfo_link *netinfo_link_by_index(const struct netinfo *ni,
						 unsigned ifindex);
const struct netinfo_link *netinfo_link_by_name(const struct netinfo *ni,
						const char *name);
/** The first (primary) IPv4 address of ifindex; NULL if none. */
const struct netinfo_addr *netinfo_primary(const struct netinfo *ni,
					   unsigned ifindex);

#endif
