/*
 * isakmp: RFC 2408 §3.1-§3.2 framing (doc/protocol.md §2.1-§2.4).
 *
 * Owns the 28-octet header with the receive checks every datagram goes
 * through before any engine sees it, the payload-chain walker used for
 * top-level chains and for the chain nested in a GDOI SA payload, and
 * the builder that writes generic headers and links Next Payload fields.
 *
 * The walker follows Next Payload until 0 and never trusts the header
 * Length for that (§2.2): after decryption the message carries CBC
 * padding that no payload describes.
 */
#include "gdoi/isakmp.h"

#include <stdio.h>
#include <string.h>

#include "platform/log.h"

bool
isakmp_payload_type_ok(uint8_t type)
{
	return type < ISAKMP_PAYLOAD_PRIVATE_MIN || type == GETVPN_PAYLOAD_COOP;
}

const char *
isakmp_payload_name(uint8_t type)
{
	static const char *const names[] = {
		[ISAKMP_PAYLOAD_NONE] = "NONE",
		[ISAKMP_PAYLOAD_SA] = "SA",
		[ISAKMP_PAYLOAD_PROPOSAL] = "PROPOSAL",
		[ISAKMP_PAYLOAD_TRANSFORM] = "TRANSFORM",
		[ISAKMP_PAYLOAD_KE] = "KE",
		[ISAKMP_PAYLOAD_ID] = "ID",
		[ISAKMP_PAYLOAD_CERT] = "CERT",
		[ISAKMP_PAYLOAD_CERTREQ] = "CERTREQ",
		[ISAKMP_PAYLOAD_HASH] = "HASH",
		[ISAKMP_PAYLOAD_SIG] = "SIG",
		[ISAKMP_PAYLOAD_NONCE] = "NONCE",
		[ISAKMP_PAYLOAD_N] = "NOTIFY",
		[ISAKMP_PAYLOAD_D] = "DELETE",
		[ISAKMP_PAYLOAD_VID] = "VID",
		[ISAKMP_PAYLOAD_ATTR] = "ATTR",
		[GDOI_PAYLOAD_SAK] = "SAK",
		[GDOI_PAYLOAD_SAT] = "SAT",
		[GDOI_PAYLOAD_KD] = "KD",
		[GDOI_PAYLOAD_SEQ] = "SEQ",
		[GDOI_PAYLOAD_POP] = "POP",
		[ISAKMP_PAYLOAD_NAT_D] = "NAT-D",
		[ISAKMP_PAYLOAD_NAT_OA] = "NAT-OA",
		[GDOI_PAYLOAD_GAP] = "GAP",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type] != NULL)
		return names[type];
	if (type == GETVPN_PAYLOAD_COOP)
		return "COOP";
	return "UNKNOWN";
}

const char *
isakmp_exch_name(uint8_t exch)
{
	switch (exch) {
	case ISAKMP_EXCH_IDENT_PROT:
		return "MM";
	case ISAKMP_EXCH_AGGRESSIVE:
		return "AGGR";
	case ISAKMP_EXCH_INFO:
		return "INFO";
	case GDOI_EXCH_PULL:
		return "GROUPKEY-PULL";
	case GDOI_EXCH_PUSH:
		return "GROUPKEY-PUSH";
	case GDOI_EXCH_PUSH_ACK:
		return "GROUPKEY-PUSH-ACK";
	case GETVPN_EXCH_COOP:
		return "COOP";
	default:
		return "UNKNOWN";
	}
}

/* Store the notify that describes a header fault, if the caller wants it. */
static int
hdr_reject(uint16_t *notify, uint16_t type, const char *why)
{
	log_dbg(LOG_DBG_ISAKMP, "isakmp_hdr_decode: %s", why);
	if (notify != NULL)
		*notify = type;
	return -1;
}

int
isakmp_hdr_decode(struct isakmp_hdr *h, const uint8_t *msg, size_t len,
		  uint16_t *notify)
{
	struct buf_reader r;

	if (notify != NULL)
		*notify = 0;
	buf_reader_init(&r, msg, len);
	if (buf_get_bytes(&r, h->icookie, ISAKMP_COOKIE_LEN) < 0 ||
	    buf_get_bytes(&r, h->rcookie, ISAKMP_COOKIE_LEN) < 0 ||
	    buf_get_u8(&r, &h->next) < 0 || buf_get_u8(&r, &h->version) < 0 ||
	    buf_get_u8(&r, &h->exch) < 0 || buf_get_u8(&r, &h->flags) < 0 ||
	    buf_get_u32(&r, &h->msgid) < 0 || buf_get_u32(&r, &h->len) < 0)
		return hdr_reject(notify, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
				  "shorter than a header");
	if (h->len != len)
		return hdr_reject(notify, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
				  "header length is not the datagram length");
	if (ISAKMP_VERSION_MAJOR(h->version) != 1)
		return hdr_reject(notify, ISAKMP_N_INVALID_MAJOR_VERSION,
				  "major version is not 1");
	if (ISAKMP_VERSION_MINOR(h->version) != 0)
		return hdr_reject(notify, ISAKMP_N_INVALID_MINOR_VERSION,
				  "minor version is not 0");
	if (!isakmp_payload_type_ok(h->next))
		return hdr_reject(notify, ISAKMP_N_INVALID_PAYLOAD_TYPE,
				  "unknown first payload type");
	/* RFC 3547 §4.5: a PUSH has the encryption bit and nothing else. */
	if (h->exch == GDOI_EXCH_PUSH && h->flags != ISAKMP_FLAG_ENC)
		return hdr_reject(notify, ISAKMP_N_INVALID_FLAGS,
				  "GROUPKEY-PUSH flags are not E only");
	return 0;
}

int
isakmp_hdr_put(struct buf_writer *w, const struct isakmp_hdr *h, size_t *off)
{
	size_t at = buf_len(w);

	buf_put_bytes(w, h->icookie, ISAKMP_COOKIE_LEN);
	buf_put_bytes(w, h->rcookie, ISAKMP_COOKIE_LEN);
	buf_put_u8(w, h->next);
	buf_put_u8(w, h->version);
	buf_put_u8(w, h->exch);
	buf_put_u8(w, h->flags);
	buf_put_u32(w, h->msgid);
	if (buf_put_u32(w, h->len) < 0)
		return -1;
	if (off != NULL)
		*off = at;
	return 0;
}

int
isakmp_hdr_patch_len(struct buf_writer *w, size_t hoff)
{
	size_t len = buf_len(w);

	if (hoff > len || len - hoff < ISAKMP_HDR_LEN ||
	    len - hoff > UINT32_MAX)
		return -1;
	return buf_patch_u32(w, hoff + ISAKMP_HDR_LEN_OFF,
			     (uint32_t)(len - hoff));
}

void
isakmp_iter_init(struct isakmp_iter *it, uint8_t first, const void *p,
		 size_t len)
{
	buf_reader_init(&it->r, p, len);
	it->next = first;
	it->count = 0;
	it->done = first == ISAKMP_PAYLOAD_NONE;
	it->err = false;
}

static int
iter_fail(struct isakmp_iter *it, const char *why)
{
	log_dbg(LOG_DBG_ISAKMP, "isakmp_iter_next: payload %u (%s): %s",
		it->count, isakmp_payload_name(it->next), why);
	it->err = true;
	return -1;
}

int
isakmp_iter_next(struct isakmp_iter *it, struct isakmp_payload *pl)
{
	struct buf_reader body;
	const uint8_t *raw;
	uint8_t next, reserved;
	uint16_t plen;

	if (it->err)
		return -1;
	if (it->done)
		return 0;
	if (it->count >= ISAKMP_ITER_MAX)
		return iter_fail(it, "too many payloads");
	raw = buf_cur(&it->r);
	if (buf_get_u8(&it->r, &next) < 0 || buf_get_u8(&it->r, &reserved) < 0 ||
	    buf_get_u16(&it->r, &plen) < 0)
		return iter_fail(it, "truncated generic header");
	if (plen < ISAKMP_GEN_HDR_LEN)
		return iter_fail(it, "payload length below 4");
	if (buf_get_sub(&it->r, plen - ISAKMP_GEN_HDR_LEN, &body) < 0)
		return iter_fail(it, "payload runs past the message");
	pl->type = it->next;
	pl->raw = raw;
	pl->raw_len = plen;
	pl->body = body.p;
	pl->body_len = body.len;
	it->count++;
	it->next = next;
	it->done = next == ISAKMP_PAYLOAD_NONE;
	return 1;
}

size_t
isakmp_iter_end(const struct isakmp_iter *it)
{
	return it->r.off;
}

int
isakmp_chain_parse(struct isakmp_chain *c, uint8_t first, const void *p,
		   size_t len)
{
	struct isakmp_iter it;
	struct isakmp_payload pl;
	int rc;

	c->n = 0;
	c->end = 0;
	isakmp_iter_init(&it, first, p, len);
	while ((rc = isakmp_iter_next(&it, &pl)) == 1) {
		if (c->n == ISAKMP_CHAIN_MAX) {
			log_dbg(LOG_DBG_ISAKMP, "isakmp_chain_parse: more "
				"than %d payloads", ISAKMP_CHAIN_MAX);
			return -1;
		}
		c->pl[c->n++] = pl;
	}
	if (rc < 0)
		return -1;
	c->end = isakmp_iter_end(&it);
	return 0;
}

const struct isakmp_payload *
isakmp_chain_find(const struct isakmp_chain *c, uint8_t type)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->pl[i].type == type)
			return &c->pl[i];
	return NULL;
}

size_t
isakmp_chain_count(const struct isakmp_chain *c, uint8_t type)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		if (c->pl[i].type == type)
			n++;
	return n;
}

static bool
spec_has(uint32_t mask, uint8_t t)
{
	return t < 32 && (mask & ISAKMP_PL(t)) != 0;
}

static size_t
count_from(const struct isakmp_chain *c, size_t first, uint8_t t)
{
	size_t n = 0;

	for (size_t i = first; i < c->n; i++)
		n += c->pl[i].type == t;
	return n;
}

const char *
isakmp_chain_match(const struct isakmp_chain *c, size_t first,
		   const struct isakmp_spec *spec)
{
	static char why[64];
	uint32_t once = spec->required | spec->optional;

	for (size_t i = first; i < c->n; i++) {
		uint8_t t = c->pl[i].type;

		if (!spec_has(once | spec->repeatable, t)) {
			snprintf(why, sizeof(why), "unexpected %s payload",
				 isakmp_payload_name(t));
			return why;
		}
		if (spec_has(once, t) && count_from(c, first, t) > 1) {
			snprintf(why, sizeof(why), "repeated %s payload",
				 isakmp_payload_name(t));
			return why;
		}
	}
	for (uint8_t t = 1; t < 32; t++) {
		if (spec_has(spec->required, t) && count_from(c, first, t) == 0) {
			snprintf(why, sizeof(why), "missing %s payload",
				 isakmp_payload_name(t));
			return why;
		}
	}
	return NULL;
}

void
isakmp_build_init(struct isakmp_builder *b, struct buf_writer *w,
		  size_t next_off)
{
	b->w = w;
	b->next_off = next_off;
	b->cur = 0;
	b->open = false;
}

int
isakmp_build_set_next(struct isakmp_builder *b, uint8_t type)
{
	if (b->next_off == ISAKMP_BUILD_NO_LINK)
		return 0;
	return buf_patch_u8(b->w, b->next_off, type);
}

int
isakmp_build_begin(struct isakmp_builder *b, uint8_t type)
{
	size_t at = buf_len(b->w);

	/* One payload at a time; nested chains use their own builder. */
	if (b->open || isakmp_build_set_next(b, type) < 0)
		return -1;
	buf_put_u8(b->w, ISAKMP_PAYLOAD_NONE);
	buf_put_u8(b->w, 0);
	if (buf_put_u16(b->w, 0) < 0)
		return -1;
	b->cur = at;
	b->next_off = at;
	b->open = true;
	return 0;
}

int
isakmp_build_end(struct isakmp_builder *b)
{
	if (!b->open)
		return -1;
	b->open = false;
	return buf_len16_end(b->w, b->cur + 2, b->cur);
}

int
isakmp_build_payload(struct isakmp_builder *b, uint8_t type,
		     const void *body, size_t len)
{
	if (isakmp_build_begin(b, type) < 0 ||
	    buf_put_bytes(b->w, body, len) < 0)
		return -1;
	return isakmp_build_end(b);
}

size_t
isakmp_id_data_len(uint8_t type)
{
	switch (type) {
	case ISAKMP_ID_IPV4_ADDR:
		return 4;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		return 8;
	case ISAKMP_ID_IPV6_ADDR:
		return 16;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		return 32;
	default:
		return 0;
	}
}
