/*
 * spd: the security policy database of the userspace data plane (see
 * ipsec/spd.h).  Owns the sorted policy array, the IPv4 selector
 * extraction from a packet, first-match lookup with the fixed GDOI
 * bypass, and the inbound selector check.
 *
 * Implements RFC 4301 §4.4.1 (ordered SPD, first match; selectors
 * protocol, addresses with masks, port ranges), §4.4.1.1 and §7 on
 * fragments (a non-first fragment carries no ports, so it can only
 * match entries that do not look at ports), doc/protocol.md §1 / §8.5 (UDP
 * 848 <-> 848 with a key server always bypassed) and §7.2 (inbound inner-selector check).
 */
#include "ipsec/spd.h"

#include <stdlib.h>
#include <string.h>

#include "platform/log.h"

/* RFC 791 §3.1: header fields we read. */
#define IPV4_MIN_HDR 20
#define IPV4_VERSION 4
#define IPV4_FRAG_OFFSET 0x1fff
/* IANA protocol numbers whose first four payload octets are ports. */
#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17
#define IPPROTO_NUM_SCTP 132

#define SPD_INITIAL_CAP 32

struct spd_entry {
	struct ipsec_policy p;		/* addresses already masked */
	bool any_ports;			/* both ranges are 0-65535 */
};

struct spd {
	struct spd_entry *v;
	size_t n, cap;
	uint32_t peers[SPD_GDOI_PEERS_MAX];	/* key servers */
	size_t npeers;
};

/* The fixed bypass as a policy, so lookup callers see one kind of answer. */
static const struct ipsec_policy spd_gdoi_bypass = {
	.priority = 0,
	.action = IPSEC_ACT_BYPASS,
	.proto = IPPROTO_NUM_UDP,
	.sport_lo = 0, .sport_hi = 65535,
	.dport_lo = 0, .dport_hi = 65535,
};

struct spd *
spd_new(void)
{
	return calloc(1, sizeof(struct spd));
}

void
spd_free(struct spd *spd)
{
	if (spd == NULL)
		return;
	free(spd->v);
	free(spd);
}

static int
spd_grow(struct spd *spd)
{
	size_t cap = spd->cap ? spd->cap * 2 : SPD_INITIAL_CAP;
	struct spd_entry *v;

	if (spd->n < spd->cap)
		return 0;
	v = realloc(spd->v, cap * sizeof(*v));
	if (v == NULL)
		return -1;
	spd->v = v;
	spd->cap = cap;
	return 0;
}

int
spd_add(struct spd *spd, const struct ipsec_policy *p)
{
	struct spd_entry e;
	size_t at;

	if (p->sport_lo > p->sport_hi || p->dport_lo > p->dport_hi ||
	    (p->action != IPSEC_ACT_PROTECT && p->action != IPSEC_ACT_BYPASS &&
	     p->action != IPSEC_ACT_DROP)) {
		log_dbg(LOG_DBG_IPSEC, "SPD: group %u policy %u refused",
			p->group_id, p->priority);
		return -1;
	}
	if (spd_grow(spd) < 0)
		return -1;
	e.p = *p;
	e.p.src &= p->src_mask;
	e.p.dst &= p->dst_mask;
	e.any_ports = p->sport_lo == 0 && p->sport_hi == 65535 &&
		      p->dport_lo == 0 && p->dport_hi == 65535;
	/* Stable: after every entry of the same or a lower priority. */
	at = spd->n;
	while (at > 0 && spd->v[at - 1].p.priority > p->priority)
		at--;
	memmove(&spd->v[at + 1], &spd->v[at], (spd->n - at) * sizeof(e));
	spd->v[at] = e;
	spd->n++;
	return 0;
}

void
spd_flush_group(struct spd *spd, uint32_t group_id)
{
	size_t k = 0;

	for (size_t i = 0; i < spd->n; i++)
		if (spd->v[i].p.group_id != group_id)
			spd->v[k++] = spd->v[i];
	spd->n = k;
}

void
spd_clear(struct spd *spd)
{
	spd->n = 0;
}

size_t
spd_count(const struct spd *spd)
{
	return spd->n;
}

const struct ipsec_policy *
spd_at(const struct spd *spd, size_t i)
{
	return i < spd->n ? &spd->v[i].p : NULL;
}

static uint16_t
spd_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int
spd_key_of(const uint8_t *pkt, size_t len, struct spd_key *k)
{
	size_t ihl;

	memset(k, 0, sizeof(*k));
	if (len < IPV4_MIN_HDR || pkt[0] >> 4 != IPV4_VERSION)
		return -1;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IPV4_MIN_HDR || ihl > len)
		return -1;
	k->proto = pkt[9];
	memcpy(&k->src, pkt + 12, sizeof(k->src));
	memcpy(&k->dst, pkt + 16, sizeof(k->dst));
	if (k->proto != IPPROTO_NUM_TCP && k->proto != IPPROTO_NUM_UDP &&
	    k->proto != IPPROTO_NUM_SCTP) {
		k->no_ports = true;
		return 0;
	}
	if ((spd_be16(pkt + 6) & IPV4_FRAG_OFFSET) != 0) {
		k->no_ports = true;
		return 0;
	}
	/* A first fragment too short to show its ports would let the rest
	 * of the datagram pick its own policy: refuse it. */
	if (len - ihl < 4)
		return -1;
	k->sport = spd_be16(pkt + ihl);
	k->dport = spd_be16(pkt + ihl + 2);
	return 0;
}

void
spd_set_gdoi_peers(struct spd *spd, const uint32_t *addrs, size_t n)
{
	spd->npeers = n < SPD_GDOI_PEERS_MAX ? n : SPD_GDOI_PEERS_MAX;
	memcpy(spd->peers, addrs, spd->npeers * sizeof(*addrs));
}

static bool
spd_is_peer(const struct spd *spd, uint32_t a)
{
	for (size_t i = 0; i < spd->npeers; i++)
		if (spd->peers[i] == a)
			return true;
	return false;
}

/*
 * doc/protocol.md §1 / §8.5 [D]: the GDOI bypass is UDP from port 848 to
 * port 848 with a configured key server at one end (a member's
 * registration and the key server's unicast or multicast rekeys, RFC
 * 6407 §2.2), as the key server's own ACL exempts it.  "Either port 848"
 * would let anyone on the WAN reach any port of a LAN host in the clear
 * from source port 848, and any LAN host send anything in the clear to
 * port 848.  A key server the member does not know (a COOP peer not in
 * its list) is not exempt: its traffic is judged by the policy.
 */
bool
spd_is_gdoi_bypass(const struct spd *spd, const struct spd_key *k)
{
	return k->proto == IPPROTO_NUM_UDP && !k->no_ports &&
	       k->sport == SPD_GDOI_PORT && k->dport == SPD_GDOI_PORT &&
	       (spd_is_peer(spd, k->src) || spd_is_peer(spd, k->dst));
}

static bool
spd_match(const struct spd_entry *e, uint8_t proto, uint32_t src,
	  uint32_t dst, uint16_t sport, uint16_t dport, bool no_ports)
{
	const struct ipsec_policy *p = &e->p;

	if (p->proto != 0 && p->proto != proto)
		return false;
	if ((src & p->src_mask) != p->src || (dst & p->dst_mask) != p->dst)
		return false;
	if (e->any_ports)
		return true;
	if (no_ports)
		return false;
	return sport >= p->sport_lo && sport <= p->sport_hi &&
	       dport >= p->dport_lo && dport <= p->dport_hi;
}

const struct ipsec_policy *
spd_lookup(const struct spd *spd, const struct spd_key *k)
{
	if (spd_is_gdoi_bypass(spd, k))
		return &spd_gdoi_bypass;
	for (size_t i = 0; i < spd->n; i++)
		if (spd_match(&spd->v[i], k->proto, k->src, k->dst, k->sport,
			      k->dport, k->no_ports))
			return &spd->v[i].p;
	return NULL;
}

/* Entry e matches k as sent or mirrored (sources and destinations
 * swapped). */
static bool
spd_match_either(const struct spd_entry *e, const struct spd_key *k)
{
	return spd_match(e, k->proto, k->src, k->dst, k->sport, k->dport,
			 k->no_ports) ||
	       spd_match(e, k->proto, k->dst, k->src, k->dport, k->sport,
			 k->no_ports);
}

const struct ipsec_policy *
spd_lookup_inbound(const struct spd *spd, const struct spd_key *k)
{
	if (spd_is_gdoi_bypass(spd, k))
		return &spd_gdoi_bypass;
	for (size_t i = 0; i < spd->n; i++)
		if (spd_match_either(&spd->v[i], k))
			return &spd->v[i].p;
	return NULL;
}

bool
spd_inbound_ok(const struct spd *spd, uint32_t group_id,
	       const struct spd_key *k)
{
	for (size_t i = 0; i < spd->n; i++) {
		const struct spd_entry *e = &spd->v[i];

		if (e->p.group_id == group_id &&
		    e->p.action == IPSEC_ACT_PROTECT && spd_match_either(e, k))
			return true;
	}
	return false;
}
