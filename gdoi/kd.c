/*
 * kd: Key Download and Sequence Number payloads (RFC 6407 §5.5, §5.6;
 * doc/protocol.md §4.9, §4.10, §6).
 *
 * Owns the key packet layouts (TEK, KEK, SID) and their attributes.
 * Decoded keys are copied into fixed buffers of struct gdoi_kd so that
 * one gdoi_kd_free() wipes every copy; a failed decode wipes whatever it
 * had already copied.  Nothing here logs key octets, only sizes.
 *
 * SID values go out as 4 octets big-endian (doc/protocol.md §4.9 [D]; the
 * reference implementation wrote host order) and are accepted at any
 * width from 1 to 8 octets as long as the value fits the group's
 * NUMBER_OF_SID_BITS.
 */
#include "gdoi/kd.h"

#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/attr.h"
#include "platform/log.h"

#define kd_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)

/* KD Type (1) . RESERVED (1) . KD Length (2) . SPI Size (1) */
#define KD_PACKET_HDR_LEN 4

/* ---- encode ---- */

/* Open a key packet: type, reserved, length (patched by kp_end), SPI. */
static int
kp_begin(struct buf_writer *w, uint8_t type, const void *spi, uint8_t spilen,
	 size_t *start)
{
	size_t mark;

	*start = buf_len(w);
	buf_put_u8(w, type);
	buf_put_u8(w, 0);
	buf_len16_begin(w, &mark);
	buf_put_u8(w, spilen);
	return buf_put_bytes(w, spi, spilen);
}

static int
kp_end(struct buf_writer *w, size_t start)
{
	return buf_len16_end(w, start + 2, start);
}

static int
kd_put_tek(struct buf_writer *w, const struct gdoi_kd_tek *t)
{
	uint8_t spi[GDOI_TEK_SPI_LEN] = {
		t->spi >> 24, t->spi >> 16, t->spi >> 8, t->spi,
	};
	size_t start;

	if (t->alg_key_len == 0 || t->alg_key_len > GDOI_KD_KEY_MAX ||
	    t->int_key_len > GDOI_KD_KEY_MAX)
		return -1;
	kp_begin(w, GDOI_KD_TEK, spi, sizeof(spi), &start);
	attr_put_tlv(w, GDOI_ATTR_TEK_ALGORITHM_KEY, t->alg_key,
		     t->alg_key_len);
	if (t->int_key_len > 0)
		attr_put_tlv(w, GDOI_ATTR_TEK_INTEGRITY_KEY, t->int_key,
			     t->int_key_len);
	return kp_end(w, start);
}

static int
kd_put_kek(struct buf_writer *w, const struct gdoi_kd_kek *k)
{
	size_t start;

	if (k->alg_key_len == 0 || k->alg_key_len > GDOI_KD_KEY_MAX ||
	    k->sig_key_len > GDOI_KD_SIGKEY_MAX)
		return -1;
	kp_begin(w, GDOI_KD_KEK, k->spi, ISAKMP_SPI_LEN, &start);
	attr_put_tlv(w, GDOI_ATTR_KEK_ALGORITHM_KEY, k->alg_key,
		     k->alg_key_len);
	if (k->sig_key_len > 0)
		attr_put_tlv(w, GDOI_ATTR_SIG_ALGORITHM_KEY, k->sig_key,
			     k->sig_key_len);
	return kp_end(w, start);
}

static int
kd_put_sid(struct buf_writer *w, const struct gdoi_kd_sid *s)
{
	size_t i, start;

	if (s->nbits == 0 || s->nbits > GDOI_SID_BITS_MAX || s->nsid == 0 ||
	    s->nsid > GDOI_KD_MAX_SID)
		return -1;
	kp_begin(w, GDOI_KD_SID, NULL, 0, &start);
	attr_put_tv(w, GDOI_ATTR_NUMBER_OF_SID_BITS, s->nbits);
	for (i = 0; i < s->nsid; i++)
		attr_put_tlv_u32(w, GDOI_ATTR_SID_VALUE, s->sid[i]);
	return kp_end(w, start);
}

int
gdoi_kd_put_packets(struct buf_writer *w, const struct gdoi_kd *kd)
{
	size_t i;

	if (kd->ntek > GDOI_KD_MAX_TEK)
		return -1;
	for (i = 0; i < kd->ntek; i++)
		if (kd_put_tek(w, &kd->tek[i]) < 0)
			return -1;
	if (kd->has_kek && kd_put_kek(w, &kd->kek) < 0)
		return -1;
	if (kd->has_sid && kd_put_sid(w, &kd->sid) < 0)
		return -1;
	return (int)(kd->ntek + (kd->has_kek ? 1 : 0) + (kd->has_sid ? 1 : 0));
}

int
gdoi_kd_sid_put(struct buf_writer *w, const struct gdoi_kd_sid *sid)
{
	return kd_put_sid(w, sid);
}

int
gdoi_kd_put(struct isakmp_builder *b, const struct gdoi_kd *kd)
{
	size_t n = kd->ntek + (kd->has_kek ? 1 : 0) + (kd->has_sid ? 1 : 0);

	if (n == 0 || kd->ntek > GDOI_KD_MAX_TEK)
		return -1;
	if (isakmp_build_begin(b, GDOI_PAYLOAD_KD) < 0)
		return -1;
	buf_put_u16(b->w, (uint16_t)n);
	buf_put_u16(b->w, 0);			/* RESERVED2 */
	if (gdoi_kd_put_packets(b->w, kd) < 0)
		return -1;
	return isakmp_build_end(b);
}

/* ---- decode ---- */

/* A key attribute: TLV, 1..max octets, copied into dst. */
static int
kd_key(const struct attr *a, uint8_t *dst, size_t max, size_t *len)
{
	if (a->tv || a->len == 0 || a->len > max) {
		kd_dbg("gdoi_kd_decode: key attribute %u of %zu octets",
		       a->type, a->len);
		return -1;
	}
	memcpy(dst, a->val, a->len);
	*len = a->len;
	return 0;
}

static int
kd_tek(struct gdoi_kd *kd, struct buf_reader *r)
{
	struct gdoi_kd_tek *t;
	struct attr_iter it;
	struct attr a;
	int rc;

	if (kd->ntek >= GDOI_KD_MAX_TEK)
		return -1;
	t = &kd->tek[kd->ntek++];
	if (buf_get_u32(r, &t->spi) < 0 || gdoi_kd_find_tek(kd, t->spi) != t)
		return -1;			/* truncated, or SPI repeated */
	attr_iter_init(&it, buf_cur(r), buf_left(r));
	while ((rc = attr_iter_next(&it, &a)) == 1) {
		if (a.type == GDOI_ATTR_TEK_ALGORITHM_KEY)
			rc = kd_key(&a, t->alg_key, sizeof(t->alg_key),
				    &t->alg_key_len);
		else if (a.type == GDOI_ATTR_TEK_INTEGRITY_KEY)
			rc = kd_key(&a, t->int_key, sizeof(t->int_key),
				    &t->int_key_len);
		if (rc < 0)
			return -1;
	}
	return rc < 0 || t->alg_key_len == 0 ? -1 : 0;
}

static int
kd_kek(struct gdoi_kd *kd, struct buf_reader *r)
{
	struct gdoi_kd_kek *k = &kd->kek;
	struct attr_iter it;
	struct attr a;
	int rc;

	if (kd->has_kek || buf_get_bytes(r, k->spi, ISAKMP_SPI_LEN) < 0)
		return -1;
	kd->has_kek = true;
	attr_iter_init(&it, buf_cur(r), buf_left(r));
	while ((rc = attr_iter_next(&it, &a)) == 1) {
		if (a.type == GDOI_ATTR_KEK_ALGORITHM_KEY)
			rc = kd_key(&a, k->alg_key, sizeof(k->alg_key),
				    &k->alg_key_len);
		else if (a.type == GDOI_ATTR_SIG_ALGORITHM_KEY)
			rc = kd_key(&a, k->sig_key, sizeof(k->sig_key),
				    &k->sig_key_len);
		if (rc < 0)
			return -1;
	}
	return rc < 0 || k->alg_key_len == 0 ? -1 : 0;
}

static int
kd_sid_attr(struct gdoi_kd_sid *s, const struct attr *a)
{
	uint16_t bits;

	switch (a->type) {
	case GDOI_ATTR_NUMBER_OF_SID_BITS:
		if (s->nbits != 0 || attr_get_u16(a, &bits) < 0 || bits == 0 ||
		    bits > GDOI_SID_BITS_MAX)
			return -1;
		s->nbits = (uint8_t)bits;
		return 0;
	case GDOI_ATTR_SID_VALUE:
		if (s->nsid >= GDOI_KD_MAX_SID)
			return -1;
		return attr_get_u32(a, &s->sid[s->nsid++]);
	default:
		return 0;
	}
}

static int
kd_sid(struct gdoi_kd *kd, struct buf_reader *r)
{
	struct gdoi_kd_sid *s = &kd->sid;
	struct attr_iter it;
	struct attr a;
	size_t i;
	int rc;

	if (kd->has_sid)
		return -1;
	kd->has_sid = true;
	attr_iter_init(&it, buf_cur(r), buf_left(r));
	while ((rc = attr_iter_next(&it, &a)) == 1)
		if (kd_sid_attr(s, &a) < 0)
			return -1;
	if (rc < 0 || s->nbits == 0 || s->nsid == 0)
		return -1;
	/* RFC 6054: a SID is n bits; anything wider would overlap counters. */
	for (i = 0; i < s->nsid; i++)
		if (s->nbits < 32 && s->sid[i] >> s->nbits != 0)
			return -1;
	return 0;
}

/* One key packet: its SPI size must match its type. */
static int
kd_packet(struct gdoi_kd *kd, uint8_t type, struct buf_reader *r)
{
	uint8_t spisz;

	if (buf_get_u8(r, &spisz) < 0)
		return -1;
	switch (type) {
	case GDOI_KD_TEK:
		return spisz == GDOI_TEK_SPI_LEN ? kd_tek(kd, r) : -1;
	case GDOI_KD_KEK:
		return spisz == ISAKMP_SPI_LEN ? kd_kek(kd, r) : -1;
	case GDOI_KD_SID:
		return spisz == 0 ? kd_sid(kd, r) : -1;
	default:
		return -1;			/* LKH or unknown */
	}
}

int
gdoi_kd_decode(const uint8_t *body, size_t len, struct gdoi_kd *kd)
{
	struct buf_reader r, pkt;
	uint16_t npkt = 0, plen, i = 0;
	uint8_t type = 0, res;

	OPENSSL_cleanse(kd, sizeof(*kd));
	buf_reader_init(&r, body, len);
	buf_get_u16(&r, &npkt);
	if (buf_skip(&r, 2) < 0 || npkt == 0)
		goto bad;
	for (i = 0; i < npkt; i++) {
		buf_get_u8(&r, &type);
		buf_get_u8(&r, &res);
		if (buf_get_u16(&r, &plen) < 0 || plen <= KD_PACKET_HDR_LEN ||
		    buf_get_sub(&r, plen - KD_PACKET_HDR_LEN, &pkt) < 0 ||
		    kd_packet(kd, type, &pkt) < 0)
			goto bad;
	}
	if (buf_at_end(&r) < 0)
		goto bad;
	return 0;
bad:
	kd_dbg("gdoi_kd_decode: malformed key packet %u of %u (type %u)",
	       (unsigned)i + 1, (unsigned)npkt, (unsigned)type);
	gdoi_kd_free(kd);
	return -1;
}

void
gdoi_kd_free(struct gdoi_kd *kd)
{
	if (kd != NULL)
		OPENSSL_cleanse(kd, sizeof(*kd));
}

const struct gdoi_kd_tek *
gdoi_kd_find_tek(const struct gdoi_kd *kd, uint32_t spi)
{
	size_t i;

	for (i = 0; i < kd->ntek && i < GDOI_KD_MAX_TEK; i++)
		if (kd->tek[i].spi == spi)
			return &kd->tek[i];
	return NULL;
}

int
gdoi_kd_kek_split(const struct gdoi_kd_kek *kek, size_t ivlen, size_t keylen,
		  const uint8_t **iv, const uint8_t **key)
{
	if (ivlen > GDOI_KD_KEY_MAX || keylen > GDOI_KD_KEY_MAX ||
	    kek->alg_key_len != ivlen + keylen)
		return -1;
	*iv = kek->alg_key;
	*key = kek->alg_key + ivlen;
	return 0;
}

/* ---- SEQ ---- */

int
gdoi_seq_put(struct isakmp_builder *b, uint32_t seq)
{
	if (isakmp_build_begin(b, GDOI_PAYLOAD_SEQ) < 0 ||
	    buf_put_u32(b->w, seq) < 0)
		return -1;
	return isakmp_build_end(b);
}

int
gdoi_seq_decode(const uint8_t *body, size_t len, uint32_t *seq)
{
	struct buf_reader r;

	buf_reader_init(&r, body, len);
	if (buf_get_u32(&r, seq) < 0 || buf_at_end(&r) < 0) {
		kd_dbg("gdoi_seq_decode: SEQ body of %zu octets", len);
		return -1;
	}
	return 0;
}
