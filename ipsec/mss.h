/*
 * mss: TCP MSS clamping (`ip tcp adjust-mss N`): lower the MSS option of
 * a TCP SYN to N so that the peers' segments fit after ESP overhead.
 * Pure code on an IPv4 packet in place, checksum fixed incrementally
 * (RFC 1624).
 */
#ifndef IPSEC_MSS_H
#define IPSEC_MSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Clamp the MSS of a TCP SYN in pkt (an IPv4 packet of len octets) to
 * mss; true when the packet was changed.  Anything else is left alone. */
bool mss_clamp(uint8_t *pkt, size_t len, uint16_t mss);

#endif
