/*
 * gro: receive coalescing for the userspace data plane.  Decrypted
 * TCP/IPv4 segments of one flow that follow each other are joined into
 * one super-packet, handed to a TUN with offloads (platform/tun.h) in
 * one write; the kernel cuts it again only where it must, so the LAN
 * side and the receiving host see one packet instead of dozens.  UDP
 * datagrams of one flow (addresses, ports, TOS, TTL, DF) of equal size
 * are joined the same way when asked for (gro_set_udp: the kernel must
 * take UDP segmentation, Linux 6.2).
 *
 * The rules are Linux's own (tcp_gro_receive): same addresses, ports,
 * TOS, TTL and DF; each segment continues the sequence; same
 * acknowledgement number, window, header length and option bytes; only
 * ACK and PSH set; every segment but the last exactly as long as the
 * first; a PSH or a shorter segment ends the packet.  A segment whose
 * TCP checksum is wrong is never joined (the receiver must see it
 * wrong).  Pure code on packets in memory.
 */
#ifndef IPSEC_GRO_H
#define IPSEC_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/tun.h"

/* Largest super-packet (RFC 791 total length) and segments in it. */
#define GRO_MAX_LEN 65535
#define GRO_MAX_SEGS 64

struct gro {
	size_t len;		/* octets held; 0 = nothing pending */
	size_t ihl, hlen;	/* IPv4 header; IPv4 + TCP headers */
	size_t mss;		/* payload octets of the first segment */
	unsigned nseg;
	bool closed;		/* PSH seen or a short segment: no more */
	bool udp;		/* join UDP datagrams too */
	uint8_t buf[GRO_MAX_LEN];
};

/** gro_init - nothing pending (whether UDP is joined is kept). */
void gro_init(struct gro *g);
/** gro_set_udp - join UDP datagrams too (off until asked). */
void gro_set_udp(struct gro *g, bool on);
/** gro_pending - whether a packet is held. */
bool gro_pending(const struct gro *g);
/**
 * gro_merge - append pkt (a whole IPv4 packet of len octets) to the held
 * packet if it continues it by the rules above; true if it did (pkt is
 * then no longer needed).
 */
bool gro_merge(struct gro *g, const uint8_t *pkt, size_t len);
/**
 * gro_hold - start a new held packet with a copy of pkt if it is a TCP
 * segment others may join; false when it is not (send it as it is).
 * Nothing may be pending (take it first).
 */
bool gro_hold(struct gro *g, const uint8_t *pkt, size_t len);
/** gro_closed - whether the held packet can take no more segments. */
bool gro_closed(const struct gro *g);
/**
 * gro_take - the held packet, ready to write: *pkt (valid until the
 * next gro_hold) and its length; off says how the TUN is to treat it (a
 * single segment goes as a plain packet; several as TUN_GSO_TCPV4 or
 * TUN_GSO_UDPV4 with IPv4 length and checksum set, the UDP length the
 * whole, and the transport checksum left partial).
 * Nothing is pending afterwards.  0 when nothing was pending.
 */
size_t gro_take(struct gro *g, const uint8_t **pkt, struct tun_offload *off);

#endif
