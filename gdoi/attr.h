/*
 * attr: ISAKMP data attributes (RFC 2408 §3.3, doc/protocol.md §2.6).
 *
 *   TV  (basic):    AF=1 | type (15 bits) (2) . value (2)
 *   TLV (variable): AF=0 | type (15 bits) (2) . length (2) . value
 *
 * Phase 1 transforms, SAK/GAP/SAT policy and KD key packets all carry
 * lists of these; every list is read with attr_iter and written with the
 * attr_put_* helpers below.
 */
#ifndef GDOI_ATTR_H
#define GDOI_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

/* RFC 2408 §3.3: Attribute Format bit */
#define ATTR_AF_TV		0x8000
#define ATTR_TYPE_MASK		0x7fff
#define ATTR_TV_MAX		0xffff

/* One attribute, pointing into the message. */
struct attr {
	uint16_t type;		/* without the AF bit */
	bool tv;		/* basic (TV) form */
	const uint8_t *val;	/* TV: the 2 value octets; TLV: the value */
	size_t len;		/* TV: 2 */
};

struct attr_iter {
	struct buf_reader r;
};

/** attr_iter_init - iterate the attribute list p[0..len). */
void attr_iter_init(struct attr_iter *it, const void *p, size_t len);
/**
 * attr_iter_next - 1 with *a filled, 0 once the list ends exactly at its
 * end, -1 if an attribute is truncated (then -1 for good).
 */
int attr_iter_next(struct attr_iter *it, struct attr *a);

/**
 * attr_get_uint - the value as an unsigned integer: TV, or TLV of 1..8
 * octets big-endian (doc/protocol.md §2.6 [D]: accept any such length).
 */
int attr_get_uint(const struct attr *a, uint64_t *v);
/**
 * attr_get_u16 / attr_get_u32 - attr_get_uint() limited to the width of
 * the field it lands in; -1 if the value does not fit.
 */
int attr_get_u16(const struct attr *a, uint16_t *v);
int attr_get_u32(const struct attr *a, uint32_t *v);

int attr_put_tv(struct buf_writer *w, uint16_t type, uint16_t v);
int attr_put_tlv(struct buf_writer *w, uint16_t type, const void *v,
		 size_t len);
/** attr_put_tlv_u32 - TLV with a 4-octet big-endian value. */
int attr_put_tlv_u32(struct buf_writer *w, uint16_t type, uint32_t v);
/**
 * attr_put_bv - a "B/V" attribute (life durations): TV when v fits in
 * 16 bits, else TLV with 4 octets (8 if v needs more than 32 bits).
 */
int attr_put_bv(struct buf_writer *w, uint16_t type, uint64_t v);

#endif
