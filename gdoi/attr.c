/*
 * attr: RFC 2408 §3.3 data attributes, TV and TLV (doc/protocol.md §2.6).
 *
 * Owns the attribute list walker and the writers.  Life durations are
 * "B/V": TV when the value fits 16 bits, TLV otherwise; writing them
 * through a 16-bit helper silently truncates 86400 to 20864, a bug seen
 * in deployed code, so attr_put_bv() picks the form by value.  Integer
 * values are accepted at any length from 1 to 8 octets because senders
 * differ in the width they choose for the same attribute.
 */
#include "gdoi/attr.h"

#include "platform/be.h"
#include "platform/log.h"

void
attr_iter_init(struct attr_iter *it, const void *p, size_t len)
{
	buf_reader_init(&it->r, p, len);
}

int
attr_iter_next(struct attr_iter *it, struct attr *a)
{
	uint16_t type, len;

	if (buf_failed(&it->r))
		return -1;
	if (buf_left(&it->r) == 0)
		return 0;
	if (buf_get_u16(&it->r, &type) < 0)
		goto bad;
	a->type = type & ATTR_TYPE_MASK;
	a->tv = (type & ATTR_AF_TV) != 0;
	if (a->tv) {
		a->len = 2;
		if (buf_get_ptr(&it->r, 2, &a->val) < 0)
			goto bad;
		return 1;
	}
	if (buf_get_u16(&it->r, &len) < 0 ||
	    buf_get_ptr(&it->r, len, &a->val) < 0)
		goto bad;
	a->len = len;
	return 1;
bad:
	log_dbg(LOG_DBG_GDOI_PACKET, "attr_iter_next: truncated attribute");
	return -1;
}

int
attr_get_uint(const struct attr *a, uint64_t *v)
{
	size_t i;

	if (a->len < 1 || a->len > 8) {
		log_dbg(LOG_DBG_GDOI_PACKET, "attr_get_uint: attribute %u "
			"has %zu octets", a->type, a->len);
		return -1;
	}
	*v = 0;
	for (i = 0; i < a->len; i++)
		*v = *v << 8 | a->val[i];
	return 0;
}

int
attr_get_u16(const struct attr *a, uint16_t *v)
{
	uint64_t u;

	if (attr_get_uint(a, &u) < 0 || u > UINT16_MAX)
		return -1;
	*v = (uint16_t)u;
	return 0;
}

int
attr_get_u32(const struct attr *a, uint32_t *v)
{
	uint64_t u;

	if (attr_get_uint(a, &u) < 0 || u > UINT32_MAX)
		return -1;
	*v = (uint32_t)u;
	return 0;
}

int
attr_put_tv(struct buf_writer *w, uint16_t type, uint16_t v)
{
	if (type > ATTR_TYPE_MASK) {
		w->err = true;
		return -1;
	}
	buf_put_u16(w, ATTR_AF_TV | type);
	return buf_put_u16(w, v);
}

int
attr_put_tlv(struct buf_writer *w, uint16_t type, const void *v, size_t len)
{
	if (type > ATTR_TYPE_MASK || len > 0xffff) {
		w->err = true;
		return -1;
	}
	buf_put_u16(w, type);
	buf_put_u16(w, (uint16_t)len);
	return buf_put_bytes(w, v, len);
}

int
attr_put_tlv_u32(struct buf_writer *w, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	be32_put(b, v);
	return attr_put_tlv(w, type, b, sizeof(b));
}

int
attr_put_bv(struct buf_writer *w, uint16_t type, uint64_t v)
{
	uint8_t b[8];
	int i;

	if (v <= ATTR_TV_MAX)
		return attr_put_tv(w, type, (uint16_t)v);
	if (v <= UINT32_MAX)
		return attr_put_tlv_u32(w, type, (uint32_t)v);
	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
	return attr_put_tlv(w, type, b, sizeof(b));
}
