/*
 * gdoi_sa: the GDOI SA payload and its nested SAK / GAP / SAT chain
 * (RFC 6407 §5.1, §5.3, §5.4, §5.5; doc/protocol.md §4.5-§4.8).
 *
 * Owns the layouts of the three policy payloads, their attribute sets,
 * and the nesting rule: inside an SA, at most one SAK, then at most one
 * GAP, then SATs, and the nested chain must fill the SA exactly (there
 * is no padding inside a payload, so leftover octets are garbage).
 *
 * Deployed implementations disagree on the width of the ID Data Length
 * fields in SAK and SAT (doc/wire-choices.md).  What we emit and which
 * other layouts we accept on receive is decided in one place:
 * sa_layouts(), sat_emit_layout() and sa_parse_layouts() below.
 */
#include "gdoi/gdoi_sa.h"

#include <string.h>

#include "gdoi/attr.h"
#include "platform/be.h"
#include "platform/log.h"

#define sa_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)

/* ---- identities ---- */

void
gdoi_id_ipv4(struct gdoi_id *id, uint32_t addr, uint16_t port)
{
	memset(id, 0, sizeof(*id));
	id->type = ISAKMP_ID_IPV4_ADDR;
	id->port = port;
	id->len = 4;
	be32_put(id->data, addr);
}

void
gdoi_id_ipv4_subnet(struct gdoi_id *id, uint32_t addr, uint32_t mask,
		    uint16_t port)
{
	memset(id, 0, sizeof(*id));
	id->type = ISAKMP_ID_IPV4_ADDR_SUBNET;
	id->port = port;
	id->len = 8;
	be32_put(id->data, addr);
	be32_put(id->data + 4, mask);
}

void
gdoi_id_ipv4_range(struct gdoi_id *id, uint32_t start, uint32_t end,
		   uint16_t port)
{
	gdoi_id_ipv4_subnet(id, start, end, port);
	id->type = ISAKMP_ID_IPV4_ADDR_RANGE;
}

/* ---- the ID-length layouts, in one place ---- */

enum sa_layout {
	SA_LAYOUT_LEN8,		/* 1-octet ID Data Length (RFC 6407 SAK, S1 SAT) */
	SA_LAYOUT_LEN16,	/* 2-octet ID Data Length (RFC 6407 SAT as S2/S3) */
	SA_LAYOUT_LEN8_POP,	/* LEN8 + 2-octet POP key length after RESERVED2 */
};

/*
 * The layouts the parser tries, in order, until one parses cleanly
 * (doc/wire-choices.md).  SAT: 2-octet lengths as Wireshark and
 * TrustCore read RFC 6407, then the 1-octet form of the RFC's figure and
 * the reference implementation (the address ID types have fixed
 * lengths, so no body parses both ways).  SAK: 1-octet lengths, then the
 * two outliers seen in deployed code.  What a SAK is sent with is the
 * first of its list; a SAT is sent with the layout its id_len_octets
 * names (the key server's `sa tek id-length`).
 */
static const enum sa_layout *
sa_layouts(uint8_t type, size_t *n)
{
	static const enum sa_layout sat[] = {
		SA_LAYOUT_LEN16, SA_LAYOUT_LEN8,
	};
	static const enum sa_layout sak[] = {
		SA_LAYOUT_LEN8, SA_LAYOUT_LEN16, SA_LAYOUT_LEN8_POP,
	};

	if (type == GDOI_PAYLOAD_SAT) {
		*n = sizeof(sat) / sizeof(sat[0]);
		return sat;
	}
	*n = sizeof(sak) / sizeof(sak[0]);
	return sak;
}

static enum sa_layout
sat_emit_layout(uint8_t id_len_octets)
{
	if (id_len_octets == 0)
		id_len_octets = GDOI_SAT_IDLEN_DEFAULT;
	return id_len_octets == GDOI_SAT_IDLEN_RFC ? SA_LAYOUT_LEN8
						   : SA_LAYOUT_LEN16;
}

typedef int (*sa_parse_fn)(const uint8_t *body, size_t len,
			   enum sa_layout lay, void *out);

/* Try each accepted layout until one parses the whole body. */
static int
sa_parse_layouts(uint8_t type, const uint8_t *body, size_t len,
		 sa_parse_fn fn, void *out)
{
	const enum sa_layout *lay;
	size_t i, n;

	lay = sa_layouts(type, &n);
	for (i = 0; i < n; i++) {
		if (fn(body, len, lay[i], out) == 0) {
			if (i > 0)
				sa_dbg("%s: parsed with alternate ID layout "
				       "%d", isakmp_payload_name(type), lay[i]);
			return 0;
		}
	}
	sa_dbg("%s: no layout parses the payload", isakmp_payload_name(type));
	return -1;
}

static void
id_put(struct buf_writer *w, const struct gdoi_id *id, enum sa_layout lay)
{
	buf_put_u8(w, id->type);
	buf_put_u16(w, id->port);
	if (lay == SA_LAYOUT_LEN16)
		buf_put_u16(w, id->len);
	else
		buf_put_u8(w, id->len);
	buf_put_bytes(w, id->data, id->len);
}

/* One ID; fixed-size address types must have their exact size. */
static int
id_get(struct buf_reader *r, struct gdoi_id *id, enum sa_layout lay)
{
	uint16_t len16 = 0;
	uint8_t len8 = 0;
	size_t need;

	memset(id, 0, sizeof(*id));
	buf_get_u8(r, &id->type);
	buf_get_u16(r, &id->port);
	if (lay == SA_LAYOUT_LEN16)
		buf_get_u16(r, &len16);
	else if (buf_get_u8(r, &len8) == 0)
		len16 = len8;
	if (buf_failed(r) || len16 > GDOI_ID_DATA_MAX)
		return -1;
	need = isakmp_id_data_len(id->type);
	if (need != 0 && len16 != need)
		return -1;
	id->len = (uint8_t)len16;
	return buf_get_bytes(r, id->data, id->len);
}

/* SAT selectors are addresses, subnets or ranges and nothing else. */
static bool
sat_id_type_ok(uint8_t type)
{
	return isakmp_id_data_len(type) != 0;
}

/* ---- SAK ---- */

static void
sak_attrs_put(struct buf_writer *w, const struct gdoi_sak *k)
{
	if (k->mgmt_alg != 0)
		attr_put_tv(w, GDOI_ATTR_KEK_MANAGEMENT_ALGORITHM, k->mgmt_alg);
	if (k->alg != 0)
		attr_put_tv(w, GDOI_ATTR_KEK_ALGORITHM, k->alg);
	if (k->keylen != 0)
		attr_put_tv(w, GDOI_ATTR_KEK_KEY_LENGTH, k->keylen);
	/* doc/protocol.md §2.6 [D]: always TLV/4, whatever the value. */
	if (k->lifetime != 0)
		attr_put_tlv_u32(w, GDOI_ATTR_KEK_KEY_LIFETIME, k->lifetime);
	if (k->sig_hash != 0)
		attr_put_tv(w, GDOI_ATTR_SIG_HASH_ALGORITHM, k->sig_hash);
	if (k->sig_alg != 0)
		attr_put_tv(w, GDOI_ATTR_SIG_ALGORITHM, k->sig_alg);
	if (k->sig_keylen != 0)
		attr_put_tv(w, GDOI_ATTR_SIG_KEY_LENGTH, k->sig_keylen);
	if (k->ack_requested != 0)
		attr_put_tv(w, GDOI_ATTR_KEK_ACK_REQUESTED, k->ack_requested);
}

int
gdoi_sak_put(struct isakmp_builder *b, const struct gdoi_sak *sak)
{
	size_t n;
	enum sa_layout lay = sa_layouts(GDOI_PAYLOAD_SAK, &n)[0];

	if (sak->src.len > GDOI_ID_DATA_MAX || sak->dst.len > GDOI_ID_DATA_MAX)
		return -1;
	if (isakmp_build_begin(b, GDOI_PAYLOAD_SAK) < 0)
		return -1;
	buf_put_u8(b->w, sak->proto);
	id_put(b->w, &sak->src, lay);
	id_put(b->w, &sak->dst, lay);
	buf_put_bytes(b->w, sak->spi, ISAKMP_SPI_LEN);
	buf_put_u32(b->w, 0);			/* RESERVED2 */
	sak_attrs_put(b->w, sak);
	return isakmp_build_end(b);
}

static void
sak_attr(struct gdoi_sak *k, const struct attr *a)
{
	uint16_t *dst;

	switch (a->type) {
	case GDOI_ATTR_KEK_MANAGEMENT_ALGORITHM:
		dst = &k->mgmt_alg;
		break;
	case GDOI_ATTR_KEK_ALGORITHM:
		dst = &k->alg;
		break;
	case GDOI_ATTR_KEK_KEY_LENGTH:
		dst = &k->keylen;
		break;
	case GDOI_ATTR_KEK_KEY_LIFETIME:
		if (attr_get_u32(a, &k->lifetime) < 0 && k->unsupported == 0)
			k->unsupported = a->type;
		return;
	case GDOI_ATTR_SIG_HASH_ALGORITHM:
		dst = &k->sig_hash;
		break;
	case GDOI_ATTR_SIG_ALGORITHM:
		dst = &k->sig_alg;
		break;
	case GDOI_ATTR_SIG_KEY_LENGTH:
		dst = &k->sig_keylen;
		break;
	case GDOI_ATTR_KEK_ACK_REQUESTED:
		dst = &k->ack_requested;
		break;
	case GDOI_ATTR_KE_OAKLEY_GROUP:
		return;				/* RFC 3547 leftover */
	default:
		if (k->unsupported == 0)
			k->unsupported = a->type;
		return;
	}
	if (attr_get_u16(a, dst) < 0 && k->unsupported == 0)
		k->unsupported = a->type;
}

static int
sak_parse(const uint8_t *body, size_t len, enum sa_layout lay, void *out)
{
	struct gdoi_sak *k = out;
	struct buf_reader r;
	struct attr_iter it;
	struct attr a;
	int rc;

	memset(k, 0, sizeof(*k));
	buf_reader_init(&r, body, len);
	buf_get_u8(&r, &k->proto);
	if (id_get(&r, &k->src, lay) < 0 || id_get(&r, &k->dst, lay) < 0)
		return -1;
	buf_get_bytes(&r, k->spi, ISAKMP_SPI_LEN);
	buf_skip(&r, lay == SA_LAYOUT_LEN8_POP ? 6 : 4);
	if (buf_failed(&r))
		return -1;
	attr_iter_init(&it, buf_cur(&r), buf_left(&r));
	while ((rc = attr_iter_next(&it, &a)) == 1)
		sak_attr(k, &a);
	return rc;
}

int
gdoi_sak_decode(const uint8_t *body, size_t len, struct gdoi_sak *sak)
{
	if (sa_parse_layouts(GDOI_PAYLOAD_SAK, body, len, sak_parse, sak) < 0) {
		memset(sak, 0, sizeof(*sak));
		return -1;
	}
	return 0;
}

/* ---- GAP ---- */

/*
 * RFC 6407 §5.4, Figure 6: the attributes follow the 4-octet generic
 * header directly (no RESERVED2 as in SAK/SAT); all three are "B"
 * attributes, sent TV unless a value outgrows 16 bits.
 */
int
gdoi_gap_put(struct isakmp_builder *b, const struct gdoi_gap *gap)
{
	if (isakmp_build_begin(b, GDOI_PAYLOAD_GAP) < 0)
		return -1;
	if (gap->flags & GDOI_GAP_HAS_ATD)
		attr_put_bv(b->w, GDOI_ATTR_ACTIVATION_TIME_DELAY, gap->atd);
	if (gap->flags & GDOI_GAP_HAS_DTD)
		attr_put_bv(b->w, GDOI_ATTR_DEACTIVATION_TIME_DELAY, gap->dtd);
	if (gap->flags & GDOI_GAP_HAS_SID_REQ)
		attr_put_bv(b->w, GDOI_ATTR_SENDER_ID_REQUEST,
			    gap->sid_request);
	return isakmp_build_end(b);
}

/* -1 for a value that does not fit, GDOI_GAP_UNSUPPORTED for a type. */
static int
gap_attr(struct gdoi_gap *gap, const struct attr *a)
{
	switch (a->type) {
	case GDOI_ATTR_ACTIVATION_TIME_DELAY:
		gap->flags |= GDOI_GAP_HAS_ATD;
		return attr_get_u32(a, &gap->atd);
	case GDOI_ATTR_DEACTIVATION_TIME_DELAY:
		gap->flags |= GDOI_GAP_HAS_DTD;
		return attr_get_u32(a, &gap->dtd);
	case GDOI_ATTR_SENDER_ID_REQUEST:
		gap->flags |= GDOI_GAP_HAS_SID_REQ;
		return attr_get_u32(a, &gap->sid_request);
	default:
		/* RFC 6407 §5.4: MUST abort on what it does not understand */
		sa_dbg("gdoi_gap_decode: attribute %u not understood", a->type);
		return GDOI_GAP_UNSUPPORTED;
	}
}

int
gdoi_gap_decode(const uint8_t *body, size_t len, struct gdoi_gap *gap)
{
	struct attr_iter it;
	struct attr a;
	int rc, bad = 0;

	memset(gap, 0, sizeof(*gap));
	/* TV attributes are 4 octets and ours are TV or TLV of 4: even. */
	if (len % 2 != 0) {
		sa_dbg("gdoi_gap_decode: odd length %zu", len);
		return -1;
	}
	attr_iter_init(&it, body, len);
	while (bad == 0 && (rc = attr_iter_next(&it, &a)) == 1)
		bad = gap_attr(gap, &a);
	if (bad == 0 && rc < 0) {
		sa_dbg("gdoi_gap_decode: malformed attributes");
		bad = -1;
	}
	if (bad < 0)
		memset(gap, 0, sizeof(*gap));
	return bad;
}

/* ---- SAT ---- */

uint16_t
gdoi_sat_addr_pres(const struct gdoi_sat *sat)
{
	return sat->addr_pres != 0 ? sat->addr_pres
				   : IPSEC_ADDR_PRESERVE_SRC_DST;
}

uint16_t
gdoi_sat_direction(const struct gdoi_sat *sat)
{
	return sat->direction != 0 ? sat->direction : IPSEC_SA_DIR_SYMMETRIC;
}

int
gdoi_sat_priv_add(struct gdoi_sat *sat, uint16_t type, const void *val,
		  size_t len)
{
	struct gdoi_attr_raw *p;

	if (type < IPSEC_ATTR_PRIVATE_MIN || type > IPSEC_ATTR_PRIVATE_MAX ||
	    len > GDOI_PRIV_VAL_MAX || sat->npriv >= GDOI_SAT_MAX_PRIV)
		return -1;
	p = &sat->priv[sat->npriv++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->len = (uint8_t)len;
	if (len > 0)
		memcpy(p->val, val, len);
	return 0;
}

const struct gdoi_attr_raw *
gdoi_sat_priv_find(const struct gdoi_sat *sat, uint16_t type)
{
	size_t i;

	for (i = 0; i < sat->npriv; i++)
		if (sat->priv[i].type == type)
			return &sat->priv[i];
	return NULL;
}

static void
sat_attrs_put(struct buf_writer *w, const struct gdoi_sat *s)
{
	size_t i;

	if (s->life_sec != 0) {
		attr_put_tv(w, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_SECONDS);
		attr_put_bv(w, IPSEC_ATTR_SA_LIFE_DURATION, s->life_sec);
	}
	if (s->life_kb != 0) {
		attr_put_tv(w, IPSEC_ATTR_SA_LIFE_TYPE, IPSEC_LIFE_KILOBYTES);
		attr_put_bv(w, IPSEC_ATTR_SA_LIFE_DURATION, s->life_kb);
	}
	if (s->encap != 0)
		attr_put_tv(w, IPSEC_ATTR_ENCAPSULATION_MODE, s->encap);
	if (s->auth_alg != 0)
		attr_put_tv(w, IPSEC_ATTR_AUTH_ALGORITHM, s->auth_alg);
	if (s->keylen != 0)
		attr_put_tv(w, IPSEC_ATTR_KEY_LENGTH, s->keylen);
	if (s->addr_pres != 0)
		attr_put_tv(w, IPSEC_ATTR_ADDRESS_PRESERVATION, s->addr_pres);
	if (s->direction != 0)
		attr_put_tv(w, IPSEC_ATTR_SA_DIRECTION, s->direction);
	for (i = 0; i < s->npriv && i < GDOI_SAT_MAX_PRIV; i++) {
		if (s->priv[i].tv)
			attr_put_tv(w, s->priv[i].type, (uint16_t)(
				    s->priv[i].val[0] << 8 | s->priv[i].val[1]));
		else
			attr_put_tlv(w, s->priv[i].type, s->priv[i].val,
				     s->priv[i].len);
	}
}

int
gdoi_sat_put(struct isakmp_builder *b, const struct gdoi_sat *sat)
{
	enum sa_layout lay = sat_emit_layout(sat->id_len_octets);

	if (sat->src.len > GDOI_ID_DATA_MAX || sat->dst.len > GDOI_ID_DATA_MAX)
		return -1;
	if (isakmp_build_begin(b, GDOI_PAYLOAD_SAT) < 0)
		return -1;
	buf_put_u8(b->w, sat->proto_id);
	buf_put_u8(b->w, sat->ip_proto);
	id_put(b->w, &sat->src, lay);
	id_put(b->w, &sat->dst, lay);
	buf_put_u8(b->w, sat->transform);
	buf_put_u32(b->w, sat->spi);
	sat_attrs_put(b->w, sat);
	return isakmp_build_end(b);
}

static void
sat_unsupported(struct gdoi_sat *s, uint16_t type)
{
	if (s->unsupported == 0)
		s->unsupported = type;
}

static void
sat_priv(struct gdoi_sat *s, const struct attr *a)
{
	struct gdoi_attr_raw *p;

	/* Other vendors use this range too: keep what fits, skip the rest. */
	if (a->len > GDOI_PRIV_VAL_MAX || s->npriv >= GDOI_SAT_MAX_PRIV) {
		sa_dbg("gdoi_sat_decode: private attribute %u not kept",
		       a->type);
		return;
	}
	p = &s->priv[s->npriv++];
	memset(p, 0, sizeof(*p));
	p->type = a->type;
	p->tv = a->tv;
	p->len = (uint8_t)a->len;
	memcpy(p->val, a->val, a->len);
}

static void
sat_life(struct gdoi_sat *s, uint16_t life_type, const struct attr *a)
{
	uint64_t v;

	if (attr_get_uint(a, &v) < 0 || v == 0)
		sat_unsupported(s, a->type);
	else if (life_type == IPSEC_LIFE_SECONDS)
		s->life_sec = v;
	else if (life_type == IPSEC_LIFE_KILOBYTES)
		s->life_kb = v;
	else
		sat_unsupported(s, a->type);	/* Duration without a Type */
}

static void
sat_attr(struct gdoi_sat *s, uint16_t *life_type, const struct attr *a)
{
	uint16_t *dst;

	switch (a->type) {
	case IPSEC_ATTR_SA_LIFE_TYPE:
		dst = life_type;
		break;
	case IPSEC_ATTR_SA_LIFE_DURATION:
		sat_life(s, *life_type, a);
		return;
	case IPSEC_ATTR_ENCAPSULATION_MODE:
		dst = &s->encap;
		break;
	case IPSEC_ATTR_AUTH_ALGORITHM:
		dst = &s->auth_alg;
		break;
	case IPSEC_ATTR_KEY_LENGTH:
		dst = &s->keylen;
		break;
	case IPSEC_ATTR_ADDRESS_PRESERVATION:
		dst = &s->addr_pres;
		break;
	case IPSEC_ATTR_SA_DIRECTION:
		dst = &s->direction;
		break;
	case IPSEC_ATTR_ECN_TUNNEL:
	case IPSEC_ATTR_SIG_ENCODING:
		return;			/* no effect on a group SA */
	default:
		if (a->type >= IPSEC_ATTR_PRIVATE_MIN)
			sat_priv(s, a);
		else	/* includes Extended Sequence Number: never for groups */
			sat_unsupported(s, a->type);
		return;
	}
	if (attr_get_u16(a, dst) < 0)
		sat_unsupported(s, a->type);
}

static int
sat_parse(const uint8_t *body, size_t len, enum sa_layout lay, void *out)
{
	struct gdoi_sat *s = out;
	struct buf_reader r;
	struct attr_iter it;
	struct attr a;
	uint16_t life_type = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	s->id_len_octets = lay == SA_LAYOUT_LEN8 ? GDOI_SAT_IDLEN_RFC
						 : GDOI_SAT_IDLEN_WIDE;
	buf_reader_init(&r, body, len);
	buf_get_u8(&r, &s->proto_id);
	buf_get_u8(&r, &s->ip_proto);
	if (id_get(&r, &s->src, lay) < 0 || id_get(&r, &s->dst, lay) < 0 ||
	    !sat_id_type_ok(s->src.type) || !sat_id_type_ok(s->dst.type))
		return -1;
	buf_get_u8(&r, &s->transform);
	if (buf_get_u32(&r, &s->spi) < 0)
		return -1;
	attr_iter_init(&it, buf_cur(&r), buf_left(&r));
	while ((rc = attr_iter_next(&it, &a)) == 1)
		sat_attr(s, &life_type, &a);
	return rc;
}

int
gdoi_sat_decode(const uint8_t *body, size_t len, struct gdoi_sat *sat)
{
	if (sa_parse_layouts(GDOI_PAYLOAD_SAT, body, len, sat_parse, sat) < 0) {
		memset(sat, 0, sizeof(*sat));
		return -1;
	}
	return 0;
}

/* ---- SA ---- */

int
gdoi_sa_put(struct isakmp_builder *b, const struct gdoi_sa *sa)
{
	struct isakmp_builder in;
	size_t i, next_off;

	if ((!sa->has_sak && !sa->has_gap && sa->nsat == 0) ||
	    sa->nsat > GDOI_SA_MAX_SAT)
		return -1;
	if (isakmp_build_begin(b, ISAKMP_PAYLOAD_SA) < 0)
		return -1;
	buf_put_u32(b->w, ISAKMP_DOI_GDOI);
	buf_put_u32(b->w, ISAKMP_SIT_NONE);
	/* SA Attribute Next Payload: 16 bits, the type in the low octet. */
	next_off = buf_len(b->w) + 1;
	buf_put_u16(b->w, ISAKMP_PAYLOAD_NONE);
	buf_put_u16(b->w, 0);			/* RESERVED2 */
	isakmp_build_init(&in, b->w, next_off);
	if (sa->has_sak && gdoi_sak_put(&in, &sa->sak) < 0)
		return -1;
	if (sa->has_gap && gdoi_gap_put(&in, &sa->gap) < 0)
		return -1;
	for (i = 0; i < sa->nsat; i++)
		if (gdoi_sat_put(&in, &sa->sat[i]) < 0)
			return -1;
	return isakmp_build_end(b);
}

/* One nested payload, in the order SAK, GAP, SAT... */
static int
sa_nested(struct gdoi_sa *sa, const struct isakmp_payload *pl, int *stage)
{
	switch (pl->type) {
	case GDOI_PAYLOAD_SAK:
		if (*stage > 0)
			return -1;
		*stage = 1;
		sa->has_sak = true;
		return gdoi_sak_decode(pl->body, pl->body_len, &sa->sak);
	case GDOI_PAYLOAD_GAP:
		if (*stage > 1)
			return -1;
		*stage = 2;
		sa->has_gap = true;
		return gdoi_gap_decode(pl->body, pl->body_len, &sa->gap);
	case GDOI_PAYLOAD_SAT:
		*stage = 3;
		if (sa->nsat >= GDOI_SA_MAX_SAT)
			return -1;
		return gdoi_sat_decode(pl->body, pl->body_len,
				       &sa->sat[sa->nsat++]);
	default:
		return -1;
	}
}

int
gdoi_sa_decode(const uint8_t *body, size_t len, struct gdoi_sa *sa)
{
	struct buf_reader r;
	struct isakmp_iter it;
	struct isakmp_payload pl;
	uint32_t doi = 0, sit = 0;
	uint16_t next = 0;
	int rc, stage = 0;

	memset(sa, 0, sizeof(*sa));
	buf_reader_init(&r, body, len);
	buf_get_u32(&r, &doi);
	buf_get_u32(&r, &sit);
	buf_get_u16(&r, &next);
	if (buf_skip(&r, 2) < 0 || doi != ISAKMP_DOI_GDOI ||
	    sit != ISAKMP_SIT_NONE || next == 0 || next > 0xff) {
		sa_dbg("gdoi_sa_decode: bad SA header (DOI %u, situation %u, "
		       "next %u)", doi, sit, next);
		goto bad;
	}
	isakmp_iter_init(&it, (uint8_t)next, buf_cur(&r), buf_left(&r));
	while ((rc = isakmp_iter_next(&it, &pl)) == 1) {
		if (sa_nested(sa, &pl, &stage) < 0) {
			sa_dbg("gdoi_sa_decode: bad or misplaced %s",
			       isakmp_payload_name(pl.type));
			goto bad;
		}
	}
	if (rc < 0 || isakmp_iter_end(&it) != buf_left(&r)) {
		sa_dbg("gdoi_sa_decode: nested chain does not fill the SA");
		goto bad;
	}
	return 0;
bad:
	memset(sa, 0, sizeof(*sa));
	return -1;
}
