/*
 * spd: the security policy database of the userspace data plane (RFC
 * 4301 §4.4.1): the policies the engines install (struct ipsec_policy,
 * compiled from the KS's ACL and the GM's local deny list), kept sorted
 * by priority, first match wins on protocol, source, destination and
 * port ranges.
 *
 * In front of every installed policy sits the fixed GDOI bypass
 * (doc/protocol.md §1 and §8.5): UDP from port 848 to port 848 with a
 * configured key server at either end is never encrypted, so
 * registration and rekeys keep working whatever the downloaded policy
 * says; nothing else is (one port 848 alone, or both with other hosts,
 * is ordinary traffic).
 *
 * The table is a compact array scanned linearly: a hundred policies cost
 * about as much as one cache-missing hash lookup, and first-match order
 * (not longest prefix) is what an ACL means.
 */
#ifndef IPSEC_SPD_H
#define IPSEC_SPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/ipsec.h"

/* RFC 6407 §2.2 (doc/protocol.md §1): GDOI runs on UDP port 848. */
#define SPD_GDOI_PORT 848
/* Key server addresses the GDOI bypass knows (16 per group, a few
 * groups). */
#define SPD_GDOI_PEERS_MAX 64

/* What a packet is matched on (addresses network order, ports host). */
struct spd_key {
	uint8_t proto;
	uint32_t src, dst;
	uint16_t sport, dport;
	bool no_ports;			/* non-first fragment: ports unknown */
};

struct spd;

/** spd_new - an empty SPD; NULL when out of memory. */
struct spd *spd_new(void);
void spd_free(struct spd *spd);

/**
 * spd_add - insert p by priority (lower first; after existing entries of
 * the same priority).  Address bits outside the masks are ignored.  -1
 * if p is not usable (inverted port range, unknown action) or when out
 * of memory.
 */
int spd_add(struct spd *spd, const struct ipsec_policy *p);
/** spd_flush_group - remove every policy of group_id. */
void spd_flush_group(struct spd *spd, uint32_t group_id);
/** spd_clear - remove every policy. */
void spd_clear(struct spd *spd);
size_t spd_count(const struct spd *spd);
/** spd_at - the i-th policy in match order, or NULL. */
const struct ipsec_policy *spd_at(const struct spd *spd, size_t i);

/**
 * spd_key_of - the selector fields of the IPv4 packet pkt (len octets).
 * Ports are read for TCP, UDP and SCTP (ICMP type/code are not ports);
 * a non-first fragment gets no_ports.  -1 if pkt is not a well-formed
 * IPv4 header or its first fragment is too short to hold the ports.
 */
int spd_key_of(const uint8_t *pkt, size_t len, struct spd_key *k);

/**
 * spd_lookup - the first policy matching k (the fixed GDOI bypass
 * first), or NULL when none does: the caller decides what that means.
 */
const struct ipsec_policy *spd_lookup(const struct spd *spd,
				      const struct spd_key *k);

/**
 * spd_lookup_inbound - for a packet arriving in the clear: the first
 * policy matching k as sent or mirrored (the fixed GDOI bypass first),
 * or NULL.  A group's ACL describes the traffic both ways, so what a
 * member would encrypt toward a peer it also expects encrypted from it.
 */
const struct ipsec_policy *spd_lookup_inbound(const struct spd *spd,
					      const struct spd_key *k);
/**
 * spd_inbound_ok - whether a packet that arrived decrypted with an SA
 * of group_id is one that group protects: some PROTECT policy of the
 * group matches k as sent, or mirrored (doc/protocol.md §7.2: drop if the
 * inner addresses do not match the TEK selectors).  Local BYPASS entries
 * do not veto: they only say what this member sends in the clear.
 */
bool spd_inbound_ok(const struct spd *spd, uint32_t group_id,
		    const struct spd_key *k);

/**
 * spd_set_gdoi_peers - the key servers of the member's groups (network
 * order; at most SPD_GDOI_PEERS_MAX are kept): the GDOI bypass is UDP
 * 848 -> 848 from or to one of them.  Without any, nothing is bypassed.
 */
void spd_set_gdoi_peers(struct spd *spd, const uint32_t *addrs, size_t n);
/** spd_is_gdoi_bypass - the fixed rule: UDP 848 -> 848, one end a key
 * server given to spd_set_gdoi_peers. */
bool spd_is_gdoi_bypass(const struct spd *spd, const struct spd_key *k);

#endif
