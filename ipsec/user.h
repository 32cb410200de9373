/*
 * user: the userspace data plane: ESP in userspace, LAN traffic through a
 * TUN device (doc/design.md §6, with the changes doc/dataplane.md lists).
 *
 * Policy routing steers two kinds of packets to us:
 *   - cleartext from each LAN interface:   ip rule iif LAN lookup TABLE_LAN
 *     (default dev TUN, MTU what the outbound SAs leave of the WAN's)
 *   - ESP arriving on the WAN interface:   ip rule iif WAN ipproto esp
 *     lookup TABLE_ESP (local default dev TUN-in: delivered to this
 *     host, where a raw ESP socket bound to the WAN reads it; through
 *     the TUN so that the route goes with the process, and ESP is not
 *     answered by the kernel's "protocol unreachable" once it is gone)
 *   - anything else from the WAN:          ip rule iif WAN lookup
 *     TABLE_WAN (default dev TUN-in, a second TUN: "<name>i"), where
 *     cleartext the group's policy says must arrive encrypted is dropped
 *     (RFC 4301 §5.2: inbound traffic checked against the SPD) and the
 *     rest goes on
 * The backend reads the TUN (TCP super-packets included, see
 * platform/tun.h), classifies a LAN packet with the SPD (PROTECT:
 * encapsulate with the policy's outbound SA and send through the raw
 * socket; BYPASS: send as is through an unbound raw socket, as this
 * host's own traffic, which reverse-path filtering does not judge;
 * DROP: count), and decapsulates
 * ESP from the raw socket with the SA its SPI names, writing the result
 * (segments of one TCP flow joined, ipsec/gro.h) to the TUN.  The kernel
 * routes it from there; packets coming from the TUN or our socket match
 * none of the rules, so nothing loops.
 *
 * The engines drive it through struct ipsec_backend like any backend;
 * the router additionally names the interfaces with ipsec_user_attach()
 * when a crypto map is applied, and ipsec_user_detach() when it goes.
 * Rules and routes carry a protocol marker and live in one priority
 * range, so leftovers of a process that died are removed at the next
 * start (init) and at every attach.  One instance per network namespace.
 * The fail-close guard (ipsec_user_guard) lives beside them, outside
 * that range, and is kept across exits and restarts.
 *
 * What the rules imply:
 *  - ESP sent by a LAN host is LAN traffic like any other (classified);
 *    only ESP from the WAN is opened, and ESP from the WAN addressed to
 *    the member itself reaches our socket too (dropped unless its SPI is
 *    ours);
 *  - traffic the member itself originates, and packets addressed to the
 *    member's own addresses, are not steered (the kernel's local table
 *    and "iif lo" come first);
 *  - every packet from a LAN interface is classified, including traffic
 *    between two LAN interfaces of the same member.
 */
#ifndef IPSEC_USER_H
#define IPSEC_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/esp.h"
#include "ipsec/ipsec.h"

extern const struct ipsec_backend ipsec_user_backend;

#define IPSEC_USER_TUN_DEFAULT "gvpn0"
#define IPSEC_USER_MAX_LAN 16

/* Our policy-routing resources: the rule priorities (ESP rule first,
 * then one per LAN, then the WAN's cleartext), the three tables and the
 * protocol marker. */
#define IPSEC_USER_PRIO_FIRST 8480
#define IPSEC_USER_PRIO_WAN (IPSEC_USER_PRIO_FIRST + IPSEC_USER_MAX_LAN + 1)
#define IPSEC_USER_PRIO_LAST IPSEC_USER_PRIO_WAN
#define IPSEC_USER_TABLE_LAN 848
#define IPSEC_USER_TABLE_ESP 849
#define IPSEC_USER_TABLE_WAN 850
#define IPSEC_USER_RTPROT 84
/* The fail-close guard (ipsec_user_guard): one rule per interface after
 * the steering rules, to a table holding only a blackhole default. */
#define IPSEC_USER_PRIO_GUARD (IPSEC_USER_PRIO_LAST + 1)
#define IPSEC_USER_TABLE_GUARD 851

/* Space the data path keeps in front of a packet so that encapsulation
 * needs no copy (at least the largest esp_headroom()). */
#define IPSEC_USER_HEADROOM 64
/* Largest growth of a packet by esp_encap: outer IPv4 (20), SPI | Seq
 * (8), CBC IV (16), TBAR header (12), padding (15), Pad Length and Next
 * Header (2), the longest ICV (32). */
#define IPSEC_USER_OVERHEAD_MAX (20 + 8 + ESP_CBC_IV_LEN + ESP_TBAR_HDR_LEN + \
				 15 + 2 + 32)
/* Size of a buffer for ipsec_user_process(): the largest IPv4 packet
 * (65535, RFC 791) with room on both sides. */
#define IPSEC_USER_BUF_LEN \
	(IPSEC_USER_HEADROOM + 65535 + IPSEC_USER_OVERHEAD_MAX)

/* Data-path counters (ipsec_user_stats; names for show commands). */
enum ipsec_user_ctr {
	IPSEC_USER_RX,			/* packets read (TUN, ESP socket) */
	IPSEC_USER_TX,			/* packets written (TUN, ESP socket) */
	IPSEC_USER_TSO,			/* super-packets cut (offload.h) */
	IPSEC_USER_GRO,			/* segments joined to one before */
	IPSEC_USER_ENCAP,		/* LAN packets sent protected */
	IPSEC_USER_DECAP,		/* ESP packets accepted */
	IPSEC_USER_BYPASS,		/* clear by a BYPASS policy or no policy */
	IPSEC_USER_GDOI_BYPASS,		/* clear by the fixed UDP 848 bypass */
	IPSEC_USER_RECV_ONLY,		/* clear: the group SA is receive-only */
	IPSEC_USER_CLEAR_IN,		/* clear from the WAN, let through */
	IPSEC_USER_DROP_POLICY,		/* a DROP policy matched */
	IPSEC_USER_DROP_NO_SA,		/* PROTECT without an SA (fail-close) */
	IPSEC_USER_DROP_ENCAP,		/* esp_encap failed */
	IPSEC_USER_DROP_UNKNOWN_SPI,	/* ESP for an SPI we do not hold */
	IPSEC_USER_DROP_DECAP,		/* esp_decap refused (reasons below) */
	IPSEC_USER_DROP_SELECTOR,	/* decrypted packet outside the group */
	IPSEC_USER_DROP_CLEAR_IN,	/* clear from the WAN, should be ESP */
	IPSEC_USER_DROP_MALFORMED,	/* not a well-formed IPv4 packet */
	IPSEC_USER_DROP_WRITE,		/* the TUN refused the result */
	IPSEC_USER_CTR_COUNT
};

struct ipsec_user_stats {
	uint64_t ctr[IPSEC_USER_CTR_COUNT];
	uint64_t esp_drop[ESP_DROP_COUNT];	/* decap refusals, all SAs */
	size_t nsa, npolicy;
	bool attached;
	char tun[16];				/* TUN name when attached */
};

/** ipsec_user_ctr_name - short name of a counter ("encap", "drop-no-sa"). */
const char *ipsec_user_ctr_name(enum ipsec_user_ctr c);

/**
 * ipsec_user_attach - create the TUN device (IPSEC_USER_TUN_DEFAULT, or
 * the name set with ipsec_user_set_tun_name), give it the WAN's MTU,
 * install the tables and rules for wan_if and the nlan LAN interfaces,
 * and start reading.  An earlier attachment is undone first, stale rules
 * and routes are removed.  The route toward the TUN for LAN traffic
 * carries the MTU the outbound SAs leave of the WAN's (WAN MTU -
 * IPSEC_USER_OVERHEAD_MAX while there are none), so the kernel, not us,
 * tells LAN hosts the path MTU.  Opens the raw ESP socket on wan_if.
 * Needs CAP_NET_ADMIN and CAP_NET_RAW.  0, or -1
 * with the reason in ipsec_user_error() (and nothing left installed).
 */
int ipsec_user_attach(struct ipsec_ctx *ctx, const char *wan_if,
		      const char *const *lan_ifs, size_t nlan);
/** ipsec_user_detach - remove the rules, routes and TUN.  Idempotent. */
void ipsec_user_detach(struct ipsec_ctx *ctx);
/**
 * ipsec_user_guard - the fail-close guard: with wan_if, make sure that
 * traffic from wan_if and the LAN interfaces that the steering rules do
 * not take (because the TUN devices are gone with a process that died or
 * stopped, or are not there yet) is discarded by the kernel, and drop
 * the guard of interfaces not named; with wan_if NULL, remove the
 * guard.  Independent of attach and detach, of start-up and of process
 * exit: only this call removes it.  0, or -1 (logged, reason in
 * ipsec_user_error()).
 */
int ipsec_user_guard(struct ipsec_ctx *ctx, const char *wan_if,
		     const char *const *lan_ifs, size_t nlan);
/** ipsec_user_error - why the last attach failed ("" if it did not). */
const char *ipsec_user_error(const struct ipsec_ctx *ctx);

/** ipsec_user_set_tun_name - TUN name for the next attach (at most 14
 * characters: the inbound TUN adds an "i"); -1 if too long. */
int ipsec_user_set_tun_name(struct ipsec_ctx *ctx, const char *name);
/* The key servers of the member's groups (network order): UDP 848 ->
 * 848 from or to one of them is GDOI, never encrypted (ipsec/spd.h). */
void ipsec_user_set_gdoi_peers(struct ipsec_ctx *ctx, const uint32_t *ks,
			       size_t n);
/* `ip tcp adjust-mss N`: clamp the MSS of TCP SYNs crossing the group SA
 * in either direction (0 = off). */
void ipsec_user_set_mss(struct ipsec_ctx *ctx, uint16_t mss);
/**
 * ipsec_user_set_fail_close - what a packet matching a PROTECT policy
 * whose SA is missing gets: dropped (true, the default) or sent clear.
 */
void ipsec_user_set_fail_close(struct ipsec_ctx *ctx, bool on);
/**
 * ipsec_user_set_pseudotime - the group's pseudotime is pt_ms now (the
 * KS pseudotime of the last PULL/PUSH, doc/protocol.md §8.3); it then runs
 * with the event loop's clock.  Until a group gets one, its pseudotime
 * is the loop's monotonic clock.
 */
void ipsec_user_set_pseudotime(struct ipsec_ctx *ctx, uint32_t group_id,
			       uint64_t pt_ms);

/** ipsec_user_stats - counters and sizes; -1 if ctx is not a user backend. */
int ipsec_user_stats(const struct ipsec_ctx *ctx, struct ipsec_user_stats *st);

/**
 * ipsec_user_process - the data path for one whole packet, without a TUN
 * or socket (tests): buf (cap octets) holds it at buf +
 * IPSEC_USER_HEADROOM, len octets; ESP is taken as arriving from the
 * WAN, anything else as arriving from a LAN.  Returns 0 with *out /
 * *outlen naming the result (inside buf: ESP for the WAN, cleartext for
 * the kernel), or -1 when it is dropped; either way it is counted.
 */
int ipsec_user_process(struct ipsec_ctx *ctx, uint8_t *buf, size_t cap,
		       size_t len, const uint8_t **out, size_t *outlen);

#endif
