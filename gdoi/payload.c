/*
 * payload: Phase 1, Informational and PULL payload bodies (RFC 2408
 * §3.4-§3.16, RFC 2407 §4.6, RFC 2409 App. A, RFC 6407 §5.1.1;
 * doc/protocol.md §2.7, §3.2, §4.4).
 *
 * Owns the SA/Proposal/Transform layout of a Phase 1 offer and its
 * attribute decoding, and the simple bodies (ID, CERT, CERTREQ, N, D,
 * NONCE bounds).  A transform that decodes but carries an attribute we
 * do not accept is not an error here: the Phase 1 engine must skip it
 * and may still pick another transform of the same offer.
 */
#include "gdoi/payload.h"

#include <string.h>

#include "gdoi/attr.h"
#include "platform/be.h"
#include "platform/log.h"

#define pl_dbg(...) log_dbg(LOG_DBG_ISAKMP, __VA_ARGS__)

/* ---- Phase 1 SA ---- */

static void
xform_attrs_put(struct buf_writer *w, const struct payload_xform *x)
{
	if (x->enc != 0)
		attr_put_tv(w, IKE_ATTR_ENCRYPTION_ALGORITHM, x->enc);
	if (x->keylen != 0)
		attr_put_tv(w, IKE_ATTR_KEY_LENGTH, x->keylen);
	if (x->hash != 0)
		attr_put_tv(w, IKE_ATTR_HASH_ALGORITHM, x->hash);
	if (x->auth != 0)
		attr_put_tv(w, IKE_ATTR_AUTHENTICATION_METHOD, x->auth);
	if (x->group != 0)
		attr_put_tv(w, IKE_ATTR_GROUP_DESCRIPTION, x->group);
	if (x->life_sec != 0) {
		attr_put_tv(w, IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
		attr_put_bv(w, IKE_ATTR_LIFE_DURATION, x->life_sec);
	}
	if (x->life_kb != 0) {
		attr_put_tv(w, IKE_ATTR_LIFE_TYPE, IKE_LIFE_KILOBYTES);
		attr_put_bv(w, IKE_ATTR_LIFE_DURATION, x->life_kb);
	}
}

int
payload_xform_put(struct isakmp_builder *b, const struct payload_xform *x)
{
	if (isakmp_build_begin(b, ISAKMP_PAYLOAD_TRANSFORM) < 0)
		return -1;
	buf_put_u8(b->w, x->num);
	buf_put_u8(b->w, x->id);
	buf_put_u16(b->w, 0);			/* RESERVED2 */
	xform_attrs_put(b->w, x);
	return isakmp_build_end(b);
}

int
payload_sa_put(struct isakmp_builder *b, const struct payload_sa *sa)
{
	struct isakmp_builder prop, xf;
	size_t i;

	if (sa->nxform == 0 || sa->nxform > PAYLOAD_SA_MAX_XFORMS)
		return -1;
	if (isakmp_build_begin(b, ISAKMP_PAYLOAD_SA) < 0)
		return -1;
	buf_put_u32(b->w, sa->doi);
	buf_put_u32(b->w, sa->situation);
	isakmp_build_init(&prop, b->w, ISAKMP_BUILD_NO_LINK);
	if (isakmp_build_begin(&prop, ISAKMP_PAYLOAD_PROPOSAL) < 0)
		return -1;
	buf_put_u8(b->w, sa->prop_num);
	buf_put_u8(b->w, sa->proto);
	buf_put_u8(b->w, 0);			/* SPI Size: none in Phase 1 */
	buf_put_u8(b->w, (uint8_t)sa->nxform);
	isakmp_build_init(&xf, b->w, ISAKMP_BUILD_NO_LINK);
	for (i = 0; i < sa->nxform; i++)
		if (payload_xform_put(&xf, &sa->xform[i]) < 0)
			return -1;
	if (isakmp_build_end(&prop) < 0)
		return -1;
	return isakmp_build_end(b);
}

/* Record the first attribute that makes this transform unusable. */
static void
xform_unsupported(struct payload_xform *x, uint16_t type)
{
	if (x->unsupported == 0)
		x->unsupported = type != 0 ? type : 0xffff;
}

static void
xform_life(struct payload_xform *x, uint16_t life_type, const struct attr *a)
{
	uint64_t v;

	if (attr_get_uint(a, &v) < 0 || v == 0) {
		xform_unsupported(x, a->type);
		return;
	}
	if (life_type == IKE_LIFE_SECONDS)
		x->life_sec = v;
	else if (life_type == IKE_LIFE_KILOBYTES)
		x->life_kb = v;
	else
		xform_unsupported(x, a->type);	/* Duration without a Type */
}

static void
xform_attr(struct payload_xform *x, uint16_t *life_type, const struct attr *a)
{
	uint16_t *dst = NULL;

	switch (a->type) {
	case IKE_ATTR_ENCRYPTION_ALGORITHM:
		dst = &x->enc;
		break;
	case IKE_ATTR_HASH_ALGORITHM:
		dst = &x->hash;
		break;
	case IKE_ATTR_AUTHENTICATION_METHOD:
		dst = &x->auth;
		break;
	case IKE_ATTR_GROUP_DESCRIPTION:
		dst = &x->group;
		break;
	case IKE_ATTR_KEY_LENGTH:
		dst = &x->keylen;
		break;
	case IKE_ATTR_LIFE_TYPE:
		dst = life_type;
		break;
	case IKE_ATTR_LIFE_DURATION:
		xform_life(x, *life_type, a);
		return;
	default:
		/* PRF, explicit group parameters, unknown classes. */
		xform_unsupported(x, a->type);
		return;
	}
	/* "B" classes: whatever form they came in, they fit 16 bits. */
	if (attr_get_u16(a, dst) < 0)
		xform_unsupported(x, a->type);
}

static int
xform_decode(const uint8_t *body, size_t len, struct payload_xform *x)
{
	struct buf_reader r;
	struct attr_iter it;
	struct attr a;
	uint16_t life_type = 0;
	int rc;

	memset(x, 0, sizeof(*x));
	buf_reader_init(&r, body, len);
	buf_get_u8(&r, &x->num);
	buf_get_u8(&r, &x->id);
	if (buf_skip(&r, 2) < 0) {
		pl_dbg("payload_sa_decode: transform shorter than 4 octets");
		return -1;
	}
	attr_iter_init(&it, buf_cur(&r), buf_left(&r));
	while ((rc = attr_iter_next(&it, &a)) == 1)
		xform_attr(x, &life_type, &a);
	if (rc < 0)
		return -1;
	if (x->id != IKE_TRANSFORM_KEY_IKE)
		xform_unsupported(x, 0);
	return 0;
}

/* The transforms of one proposal, collected into sa. */
static int
prop_xforms(struct payload_sa *sa, struct buf_reader *r, uint8_t ntrans)
{
	struct isakmp_iter it;
	struct isakmp_payload pl;
	struct payload_xform x;
	unsigned n = 0;
	int rc;

	isakmp_iter_init(&it, ISAKMP_PAYLOAD_TRANSFORM, buf_cur(r), buf_left(r));
	while ((rc = isakmp_iter_next(&it, &pl)) == 1) {
		if (pl.type != ISAKMP_PAYLOAD_TRANSFORM ||
		    xform_decode(pl.body, pl.body_len, &x) < 0)
			return -1;
		if (sa->nxform < PAYLOAD_SA_MAX_XFORMS)
			sa->xform[sa->nxform++] = x;
		n++;
	}
	if (rc < 0 || isakmp_iter_end(&it) != buf_left(r)) {
		pl_dbg("payload_sa_decode: transform chain does not fill "
		       "the proposal");
		return -1;
	}
	if (n != ntrans || n == 0) {
		pl_dbg("payload_sa_decode: %u transforms, proposal says %u",
		       n, ntrans);
		return -1;
	}
	return 0;
}

static int
prop_decode(const uint8_t *body, size_t len, struct payload_sa *sa)
{
	struct buf_reader r;
	uint8_t spi_size, ntrans;

	buf_reader_init(&r, body, len);
	buf_get_u8(&r, &sa->prop_num);
	buf_get_u8(&r, &sa->proto);
	buf_get_u8(&r, &spi_size);
	buf_get_u8(&r, &ntrans);
	if (buf_skip(&r, spi_size) < 0) {
		pl_dbg("payload_sa_decode: truncated proposal");
		return -1;
	}
	if (sa->proto != ISAKMP_PROTO_ISAKMP) {
		pl_dbg("payload_sa_decode: proposal protocol %u", sa->proto);
		return -1;
	}
	return prop_xforms(sa, &r, ntrans);
}

/*
 * doc/protocol.md §2.5 [D]: we send DOI 2 in Phase 1 but accept the IPsec
 * DOI too, because some GDOI implementations negotiate Phase 1 under it.
 */
static bool
p1_doi_ok(uint32_t doi)
{
	return doi == ISAKMP_DOI_GDOI || doi == ISAKMP_DOI_IPSEC;
}

int
payload_sa_decode(const uint8_t *body, size_t len, struct payload_sa *sa)
{
	struct buf_reader r;
	struct isakmp_iter it;
	struct isakmp_payload pl;
	int rc, nprop = 0;

	memset(sa, 0, sizeof(*sa));
	buf_reader_init(&r, body, len);
	buf_get_u32(&r, &sa->doi);
	if (buf_get_u32(&r, &sa->situation) < 0 || !p1_doi_ok(sa->doi)) {
		pl_dbg("payload_sa_decode: short, or DOI %u", sa->doi);
		memset(sa, 0, sizeof(*sa));
		return -1;
	}
	isakmp_iter_init(&it, ISAKMP_PAYLOAD_PROPOSAL, buf_cur(&r),
			 buf_left(&r));
	while ((rc = isakmp_iter_next(&it, &pl)) == 1) {
		if (pl.type != ISAKMP_PAYLOAD_PROPOSAL)
			goto bad;
		/* Main Mode offers one proposal; later ones are not read. */
		if (nprop++ == 0 && prop_decode(pl.body, pl.body_len, sa) < 0)
			goto bad;
	}
	if (rc < 0 || isakmp_iter_end(&it) != buf_left(&r) || nprop == 0)
		goto bad;
	if (nprop > 1)
		pl_dbg("payload_sa_decode: %d proposals, using the first",
		       nprop);
	return 0;
bad:
	pl_dbg("payload_sa_decode: malformed SA payload");
	memset(sa, 0, sizeof(*sa));
	return -1;
}

/* ---- ID ---- */

int
payload_id_put(struct isakmp_builder *b, const struct payload_id *id)
{
	if (isakmp_build_begin(b, ISAKMP_PAYLOAD_ID) < 0)
		return -1;
	buf_put_u8(b->w, id->type);
	buf_put_u8(b->w, id->proto);
	buf_put_u16(b->w, id->port);
	buf_put_bytes(b->w, id->data, id->len);
	return isakmp_build_end(b);
}

int
payload_gdoi_id_put(struct isakmp_builder *b, uint8_t type, const void *data,
		    size_t len)
{
	struct payload_id id = {
		.type = type, .proto = 0, .port = 0, .data = data, .len = len,
	};

	/* RFC 6407 §5.1.1: the three DOI-specific octets are zero, which
	 * is the IPsec-DOI layout with protocol 0 and port 0. */
	return payload_id_put(b, &id);
}

int
payload_id_decode(const uint8_t *body, size_t len, struct payload_id *id)
{
	struct buf_reader r;
	size_t need;

	memset(id, 0, sizeof(*id));
	buf_reader_init(&r, body, len);
	buf_get_u8(&r, &id->type);
	buf_get_u8(&r, &id->proto);
	if (buf_get_u16(&r, &id->port) < 0 || buf_left(&r) == 0) {
		pl_dbg("payload_id_decode: ID shorter than 5 octets");
		return -1;
	}
	id->len = buf_left(&r);
	id->data = buf_cur(&r);
	need = isakmp_id_data_len(id->type);
	if (need != 0 && id->len != need) {
		pl_dbg("payload_id_decode: ID type %u with %zu octets",
		       id->type, id->len);
		memset(id, 0, sizeof(*id));
		return -1;
	}
	return 0;
}

/*
 * doc/protocol.md §4.4 [D]: `identity number N` travels as ID_KEY_ID with N
 * in network byte order.  [U] until an IOS capture confirms the order;
 * this pair of functions is the one place that decides it.
 */
int
payload_group_id_put(struct isakmp_builder *b, uint32_t group)
{
	uint8_t n[4];

	be32_put(n, group);
	return payload_gdoi_id_put(b, ISAKMP_ID_KEY_ID, n, sizeof(n));
}

int
payload_group_id_number(const struct payload_id *id, uint32_t *group)
{
	if (id->type != ISAKMP_ID_KEY_ID || id->len != 4)
		return -1;
	*group = be32_get(id->data);
	return 0;
}

int
payload_nonce_decode(const uint8_t *body, size_t len)
{
	if (body == NULL || len < PAYLOAD_NONCE_MIN || len > PAYLOAD_NONCE_MAX) {
		pl_dbg("payload_nonce_decode: nonce of %zu octets", len);
		return -1;
	}
	return 0;
}

/* ---- CERT / CERTREQ ---- */

int
payload_cert_put(struct isakmp_builder *b, uint8_t type,
		 const struct payload_cert *c)
{
	if (type != ISAKMP_PAYLOAD_CERT && type != ISAKMP_PAYLOAD_CERTREQ)
		return -1;
	if (isakmp_build_begin(b, type) < 0)
		return -1;
	buf_put_u8(b->w, c->enc);
	buf_put_bytes(b->w, c->data, c->len);
	return isakmp_build_end(b);
}

int
payload_cert_decode(const uint8_t *body, size_t len, struct payload_cert *c)
{
	struct buf_reader r;

	memset(c, 0, sizeof(*c));
	buf_reader_init(&r, body, len);
	if (buf_get_u8(&r, &c->enc) < 0) {
		pl_dbg("payload_cert_decode: empty payload");
		return -1;
	}
	c->len = buf_left(&r);
	c->data = buf_cur(&r);
	return 0;
}

/* ---- N ---- */

int
payload_notify_put(struct isakmp_builder *b, const struct payload_notify *n)
{
	if (n->spi_len > 0xff)
		return -1;
	if (isakmp_build_begin(b, ISAKMP_PAYLOAD_N) < 0)
		return -1;
	buf_put_u32(b->w, n->doi);
	buf_put_u8(b->w, n->proto);
	buf_put_u8(b->w, (uint8_t)n->spi_len);
	buf_put_u16(b->w, n->type);
	buf_put_bytes(b->w, n->spi, n->spi_len);
	buf_put_bytes(b->w, n->data, n->data_len);
	return isakmp_build_end(b);
}

int
payload_notify_decode(const uint8_t *body, size_t len,
		      struct payload_notify *n)
{
	struct buf_reader r;
	uint8_t spi_len;

	memset(n, 0, sizeof(*n));
	buf_reader_init(&r, body, len);
	buf_get_u32(&r, &n->doi);
	buf_get_u8(&r, &n->proto);
	buf_get_u8(&r, &spi_len);
	buf_get_u16(&r, &n->type);
	if (buf_get_ptr(&r, spi_len, &n->spi) < 0) {
		pl_dbg("payload_notify_decode: truncated notify");
		memset(n, 0, sizeof(*n));
		return -1;
	}
	n->spi_len = spi_len;
	n->data_len = buf_left(&r);
	n->data = buf_cur(&r);
	return 0;
}

/* ---- D ---- */

int
payload_delete_put(struct isakmp_builder *b, const struct payload_delete *d)
{
	if (d->nspi == 0 || d->spi_size == 0)
		return -1;
	if (isakmp_build_begin(b, ISAKMP_PAYLOAD_D) < 0)
		return -1;
	buf_put_u32(b->w, d->doi);
	buf_put_u8(b->w, d->proto);
	buf_put_u8(b->w, d->spi_size);
	buf_put_u16(b->w, d->nspi);
	buf_put_bytes(b->w, d->spis, (size_t)d->nspi * d->spi_size);
	return isakmp_build_end(b);
}

int
payload_delete_decode(const uint8_t *body, size_t len,
		      struct payload_delete *d)
{
	struct buf_reader r;

	memset(d, 0, sizeof(*d));
	buf_reader_init(&r, body, len);
	buf_get_u32(&r, &d->doi);
	buf_get_u8(&r, &d->proto);
	buf_get_u8(&r, &d->spi_size);
	buf_get_u16(&r, &d->nspi);
	if (buf_get_ptr(&r, (size_t)d->nspi * d->spi_size, &d->spis) < 0 ||
	    buf_at_end(&r) < 0 || d->nspi == 0 || d->spi_size == 0) {
		pl_dbg("payload_delete_decode: malformed delete");
		memset(d, 0, sizeof(*d));
		return -1;
	}
	return 0;
}

const uint8_t *
payload_delete_spi(const struct payload_delete *d, size_t i)
{
	if (i >= d->nspi)
		return NULL;
	return d->spis + i * d->spi_size;
}
