/*
 * csum: the Internet checksum (RFC 1071) and its incremental update
 * (RFC 1624), for IPv4, TCP and UDP headers.
 *
 * A running sum is a uint32_t in network order semantics: start with 0
 * (or csum_pseudo4), add pieces with csum_add, finish with csum_fold.
 * Every piece but the last must have an even length, so that the pieces
 * join on 16-bit boundaries.
 */
#ifndef PLATFORM_CSUM_H
#define PLATFORM_CSUM_H

#include <stddef.h>
#include <stdint.h>

/** csum_add - sum plus the one's-complement sum of len octets at p. */
uint32_t csum_add(uint32_t sum, const void *p, size_t len);
/** csum_fold - the checksum of a finished sum: folded and complemented. */
uint16_t csum_fold(uint32_t sum);
/** csum_fold_partial - folded, not complemented: what a packet handed
 * over with its checksum "to be completed" carries in the field. */
uint16_t csum_fold_partial(uint32_t sum);
/**
 * csum_pseudo4 - the sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC
 * 768): source and destination at ip + 12 (8 octets), proto, and the
 * transport length l4len.
 */
uint32_t csum_pseudo4(const uint8_t *ip, uint8_t proto, size_t l4len);
/**
 * csum_replace16 - RFC 1624 eqn. 3: a 16-bit word covered by the
 * checksum at field (2 octets, network order) changed from old to new.
 * A wrong checksum stays wrong.
 */
void csum_replace16(uint8_t *field, uint16_t old, uint16_t new);
/** csum_ipv4_header - the checksum field of an IPv4 header of ihl octets
 * recomputed (the field is zeroed first). */
void csum_ipv4_header(uint8_t *ip, size_t ihl);

#endif
