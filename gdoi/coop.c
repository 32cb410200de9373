/*
 * coop: COOP messages (doc/coop.md): build and sign, check and decode.
 */
#include "gdoi/coop.h"

#include <string.h>

#include "gdoi/isakmp.h"
#include "gdoi/rsakey.h"
#include "platform/be.h"

/* doc/coop.md: SHA-256 digest, PKCS#1 v1.5 encoding. */
#define COOP_SIG_MD RSAKEY_SHA256

const char *
coop_err_name(enum coop_err e)
{
	switch (e) {
	case COOP_OK: return "ok";
	case COOP_E_MALFORMED: return "malformed";
	case COOP_E_VERSION: return "unknown version";
	case COOP_E_SIGNATURE: return "bad signature";
	}
	return "?";
}

const char *
coop_type_name(uint8_t type)
{
	static const char *const n[] = {
		[COOP_HELLO] = "ANN", [COOP_SYNC_FULL] = "SYNC-FULL",
		[COOP_SYNC_DELTA] = "SYNC-DELTA", [COOP_ACK] = "ACK",
	};
	return type < sizeof(n) / sizeof(n[0]) && n[type] ? n[type] : "?";
}

const char *
coop_role_name(uint8_t role)
{
	switch (role) {
	case COOP_ROLE_PRIMARY: return "Primary";
	case COOP_ROLE_SECONDARY: return "Secondary";
	default: return "Electing";
	}
}

static void
put_fixed(struct buf_writer *w, const struct coop_msg *m)
{
	buf_put_u8(w, COOP_VERSION);
	buf_put_u8(w, m->type);
	buf_put_u16(w, m->flags);
	buf_put_u16(w, m->priority);
	buf_put_u8(w, m->role);
	buf_put_u8(w, 0);
	buf_put_u32(w, m->group);
	buf_put_u32(w, m->sender);
	buf_put_u32(w, m->primary);
	buf_put_u64(w, m->epoch);
	buf_put_u64(w, m->counter);
	buf_put_u32(w, m->sum.seq);
	buf_put_u32(w, m->sum.gen);
	buf_put_u64(w, m->sum.pseudo_ms);
}

static void
put_tlvs(struct buf_writer *w, const struct coop_msg *m,
	 const struct coop_member *members)
{
	if (m->blob_len > 0) {
		buf_put_u16(w, COOP_TLV_STATE);
		buf_put_u16(w, (uint16_t)m->blob_len);
		buf_put_bytes(w, m->blob, m->blob_len);
	}
	for (size_t i = 0; i < m->nmembers; i++) {
		buf_put_u16(w, COOP_TLV_MEMBER);
		buf_put_u16(w, COOP_MEMBER_LEN);
		buf_put_u32(w, members[i].addr);
		buf_put_u32(w, members[i].sid);
		buf_put_u32(w, members[i].ks);
	}
	if (m->type == COOP_ACK) {
		buf_put_u16(w, COOP_TLV_ACKED);
		buf_put_u16(w, 8);
		buf_put_u64(w, m->acked);
	}
}

/* SIG over every octet of the COOP payload (its Next Payload already
 * says SIG), the payload that opens the chain at off. */
static int
coop_sign_append(struct buf_writer *w, size_t off, struct isakmp_builder *b,
		 const struct rsakey *key)
{
	uint8_t sig[RSAKEY_MAX_SIG];
	size_t siglen = rsakey_sig_len(key);

	if (siglen > sizeof(sig) || buf_writer_failed(w))
		return -1;
	if (rsakey_sign(key, COOP_SIG_MD, RSAKEY_SIG_PKCS1, buf_data(w) + off,
			buf_len(w) - off, sig, &siglen))
		return -1;
	return isakmp_build_payload(b, ISAKMP_PAYLOAD_SIG, sig, siglen);
}

int
coop_build(const struct coop_msg *m, const struct coop_member *members,
	   const struct rsakey *key, struct buf_writer *w)
{
	struct isakmp_builder b;
	size_t off = buf_len(w);

	if (m->blob_len > COOP_BLOB_MAX || (m->nmembers && !members))
		return -1;
	/* the first payload's type is the caller's (the HASH payload's
	 * Next Payload under an SA): no link to patch */
	isakmp_build_init(&b, w, ISAKMP_BUILD_NO_LINK);
	if (isakmp_build_begin(&b, GETVPN_PAYLOAD_COOP))
		return -1;
	put_fixed(w, m);
	put_tlvs(w, m, members);
	/* the signature covers the COOP payload's Next Payload: SIG */
	if (isakmp_build_end(&b) ||
	    isakmp_build_set_next(&b, ISAKMP_PAYLOAD_SIG) ||
	    buf_writer_failed(w))
		return -1;
	return coop_sign_append(w, off, &b, key);
}

static int
get_fixed(struct buf_reader *r, struct coop_msg *m, uint8_t *version)
{
	uint8_t rsv;

	buf_get_u8(r, version);
	buf_get_u8(r, &m->type);
	buf_get_u16(r, &m->flags);
	buf_get_u16(r, &m->priority);
	buf_get_u8(r, &m->role);
	buf_get_u8(r, &rsv);
	buf_get_u32(r, &m->group);
	buf_get_u32(r, &m->sender);
	buf_get_u32(r, &m->primary);
	buf_get_u64(r, &m->epoch);
	buf_get_u64(r, &m->counter);
	buf_get_u32(r, &m->sum.seq);
	buf_get_u32(r, &m->sum.gen);
	buf_get_u64(r, &m->sum.pseudo_ms);
	if (buf_failed(r))
		return -1;
	return 0;
}

static int
get_tlv(struct coop_msg *m, uint16_t type, struct buf_reader *v)
{
	size_t n = buf_left(v);

	switch (type) {
	case COOP_TLV_STATE:
		if (m->blob || n == 0 || n > COOP_BLOB_MAX)
			return -1;
		m->blob = buf_cur(v);
		m->blob_len = n;
		return 0;
	case COOP_TLV_MEMBER:
		if (n != COOP_MEMBER_LEN)
			return -1;
		/* records are contiguous: value after value, 4-octet headers */
		if (m->nmembers == 0)
			m->members = buf_cur(v);
		else if (buf_cur(v) != m->members +
			 m->nmembers * (COOP_MEMBER_LEN + 4))
			return -1;
		m->nmembers++;
		return 0;
	case COOP_TLV_ACKED:
		return m->type == COOP_ACK && n == 8 ? buf_get_u64(v, &m->acked)
						      : -1;
	}
	return -1;
}

static int
get_tlvs(struct buf_reader *r, struct coop_msg *m)
{
	bool acked = false;

	while (buf_left(r) > 0) {
		struct buf_reader v;
		uint16_t type;

		if (buf_get_u16(r, &type) || buf_get_sub_u16(r, &v) ||
		    get_tlv(m, type, &v))
			return -1;
		acked |= type == COOP_TLV_ACKED;
	}
	return m->type == COOP_ACK && !acked ? -1 : 0;
}

/* The fields that must agree with the type. */
static bool
coop_sane(const struct coop_msg *m)
{
	if (m->type < COOP_HELLO || m->type > COOP_ACK ||
	    m->role > COOP_ROLE_SECONDARY || m->sender == 0 ||
	    (m->flags & ~COOP_F_ALL) != 0)
		return false;
	if (m->type != COOP_SYNC_FULL && m->type != COOP_SYNC_DELTA &&
	    (m->blob || m->nmembers))
		return false;
	return ((m->flags & COOP_F_STATE) != 0) == (m->blob != NULL);
}

enum coop_err
coop_open(const uint8_t *msg, size_t len, const struct rsakey *key,
	  struct coop_msg *m)
{
	struct isakmp_chain c;
	struct buf_reader r;
	uint8_t version;

	memset(m, 0, sizeof(*m));
	if (isakmp_chain_parse(&c, GETVPN_PAYLOAD_COOP, msg, len) || c.n != 2 ||
	    c.pl[1].type != ISAKMP_PAYLOAD_SIG || c.end != len ||
	    c.pl[0].body_len < COOP_FIXED_LEN || c.pl[0].raw[1] != 0 ||
	    c.pl[1].raw[1] != 0)
		return COOP_E_MALFORMED;
	buf_reader_init(&r, c.pl[0].body, c.pl[0].body_len);
	if (get_fixed(&r, m, &version))
		return COOP_E_MALFORMED;
	if (version != COOP_VERSION)
		return COOP_E_VERSION;
	if (get_tlvs(&r, m) || !coop_sane(m))
		return COOP_E_MALFORMED;
	if (rsakey_verify(key, COOP_SIG_MD, RSAKEY_SIG_PKCS1, msg,
			  (size_t)(c.pl[1].raw - msg), c.pl[1].body,
			  c.pl[1].body_len))
		return COOP_E_SIGNATURE;
	return COOP_OK;
}

/* Group number: after the generic header, version, type, flags,
 * priority, role and a reserved octet (doc/coop.md). */
#define COOP_GROUP_OFF (ISAKMP_GEN_HDR_LEN + 8)

int
coop_peek_group(const uint8_t *msg, size_t len, uint32_t *group)
{
	if (len < COOP_GROUP_OFF + 4)
		return -1;
	*group = be32_get(msg + COOP_GROUP_OFF);
	return 0;
}

void
coop_member_get(const struct coop_msg *m, size_t i, struct coop_member *out)
{
	const uint8_t *p = m->members + i * (COOP_MEMBER_LEN + 4);

	out->addr = be32_get(p);
	out->sid = be32_get(p + 4);
	out->ks = be32_get(p + 8);
}
