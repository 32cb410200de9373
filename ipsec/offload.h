/*
 * offload: what the kernel left undone on a packet read from a TUN with
 * offloads (platform/tun.h), done before the packet is encrypted: the
 * transport checksum completed, and a TCP/IPv4 super-packet cut into
 * the segments that would have crossed the wire (RFC 793 segments of
 * gso_size payload octets, RFC 791 headers of their own); the same for a
 * UDP/IPv4 super-packet (datagrams of gso_size payload octets), which is
 * what a coalesced UDP flow (ipsec/gro.h) becomes again when a kernel
 * will not take it whole.
 *
 * Pure code on packets in memory.
 */
#ifndef IPSEC_OFFLOAD_H
#define IPSEC_OFFLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "platform/tun.h"

/**
 * offload_csum - complete the partial checksum off describes (off->csum)
 * in place: the sum from csum_start to the end of the packet, added to
 * the pseudo-header sum the field holds.  0 (also when there is nothing
 * to do), or -1 when start and offset do not fit the packet.
 */
int offload_csum(uint8_t *pkt, size_t len, const struct tun_offload *off);

/* Cutting one TCP/IPv4 or UDP/IPv4 super-packet into segments. */
struct offload_seg {
	const uint8_t *pkt;
	size_t len;
	uint8_t proto;		/* 6 or 17 */
	size_t ihl, hlen;	/* IPv4 header; IPv4 + TCP/UDP headers */
	size_t mss;		/* payload octets per segment */
	size_t done;		/* payload octets already cut */
	unsigned n;		/* segments already cut */
};

/**
 * offload_seg_start - prepare to cut pkt (len octets, with off saying
 * TUN_GSO_TCPV4 or TUN_GSO_UDPV4): an IPv4 packet whose total length is
 * len, not a fragment, carrying TCP (UDP) with a whole header and at
 * least one payload octet.  0, or -1 for anything else (the packet is
 * to be dropped).
 */
int offload_seg_start(struct offload_seg *t, const uint8_t *pkt, size_t len,
		      const struct tun_offload *off);
/**
 * offload_seg_next - write the next segment to dst (cap octets): headers
 * copied, IPv4 total length, identification (+1 per segment) and checksum, TCP
 * sequence number, FIN and PSH only on the last segment, CWR only on the
 * first, TCP checksum computed in full; for UDP the length and checksum.
 * Its length, or 0 when every segment was written (or dst is too small).
 */
size_t offload_seg_next(struct offload_seg *t, uint8_t *dst, size_t cap);

#endif
