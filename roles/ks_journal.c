/*
 * ks_journal: the member journal's octets (see roles/ks_journal.h).
 * Checks run cheapest first: header, record length, MAC (constant
 * time), then the contents must parse to their last octet.
 */
#include "roles/ks_journal.h"

#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/crypto.h"
#include "platform/be.h"

#define MAGIC "GVKJ"
#define MAC 32
#define LABEL "getvpn ks-journal 1"

int
ks_journal_key(const uint8_t secret[KS_STATE_SECRET_LEN], const char *group,
	       const uint8_t tag[KS_JOURNAL_TAG_LEN], struct ks_journal_key *k)
{
	static const uint8_t zero;
	struct crypto_iov in[] = {
		{ LABEL, sizeof(LABEL) - 1 },
		{ group, strlen(group) },
		{ &zero, 1 },
		{ tag, KS_JOURNAL_TAG_LEN },
	};

	memcpy(k->tag, tag, KS_JOURNAL_TAG_LEN);
	return crypto_prf_v(CRYPTO_HASH_SHA256, secret, KS_STATE_SECRET_LEN,
			    in, sizeof(in) / sizeof(*in), k->mac);
}

void
ks_journal_header(const struct ks_journal_key *k, struct buf_writer *w)
{
	buf_put_bytes(w, MAGIC, 4);
	buf_put_u16(w, KS_JOURNAL_VERSION);
	buf_put_u16(w, 0);
	buf_put_bytes(w, k->tag, KS_JOURNAL_TAG_LEN);
}

/* MAC of record index: length, type and contents in p[0..len). */
static int
record_mac(const struct ks_journal_key *k, uint32_t index, const uint8_t *p,
	   size_t len, uint8_t out[MAC])
{
	uint8_t i[4];
	struct crypto_iov in[] = { { i, sizeof(i) }, { p, len } };

	be32_put(i, index);
	return crypto_prf_v(CRYPTO_HASH_SHA256, k->mac, sizeof(k->mac), in, 2,
			    out);
}

/* Close the record begun at mark: its length, then its MAC. */
static int
seal(const struct ks_journal_key *k, uint32_t index, struct buf_writer *w,
     size_t mark)
{
	uint8_t mac[MAC];
	size_t len = buf_len(w) - mark;

	if (buf_writer_failed(w) || len - 2 > UINT16_MAX ||
	    buf_patch_u16(w, mark, (uint16_t)(len - 2)) < 0 ||
	    record_mac(k, index, buf_data(w) + mark, len, mac) < 0)
		return -1;
	return buf_put_bytes(w, mac, MAC);
}

int
ks_journal_member(const struct ks_journal_key *k, uint32_t index,
		  const struct member *m, struct buf_writer *w)
{
	size_t mark = buf_len(w);

	buf_put_u16(w, 0);
	buf_put_u8(w, KS_JOURNAL_MEMBER);
	ks_state_put_member(w, m);
	return seal(k, index, w, mark);
}

int
ks_journal_sids(const struct ks_journal_key *k, uint32_t index,
		const uint32_t *sid, size_t n, struct buf_writer *w)
{
	size_t mark = buf_len(w);

	if (n > GDOI_MAX_SID)
		return -1;
	buf_put_u16(w, 0);
	buf_put_u8(w, KS_JOURNAL_SIDS);
	buf_put_u8(w, (uint8_t)n);
	for (size_t i = 0; i < n; i++)
		buf_put_u32(w, sid[i]);
	return seal(k, index, w, mark);
}

/* The contents after the type; -1 when they do not parse. */
static int
parse(struct buf_reader *r, struct ks_journal_rec *rec)
{
	uint8_t type = 0, n = 0;

	buf_get_u8(r, &type);
	rec->type = (enum ks_journal_type)type;
	if (type == KS_JOURNAL_MEMBER) {
		ks_state_get_member(r, &rec->member);
	} else if (type == KS_JOURNAL_SIDS) {
		if (buf_get_u8(r, &n) < 0 || n > GDOI_MAX_SID)
			return -1;
		rec->nsid = n;
		for (size_t i = 0; i < n; i++)
			buf_get_u32(r, &rec->sid[i]);
	} else {
		return -1;
	}
	return buf_failed(r) ? -1 : buf_at_end(r);
}

/* The record at d[0..len) as number index: its length (0: none, *why
 * set) into rec. */
static size_t
one(const struct ks_journal_key *k, uint32_t index, const uint8_t *d,
    size_t len, struct ks_journal_rec *rec, const char **why)
{
	uint8_t mac[MAC];
	struct buf_reader r;
	size_t body;

	if (len < 2 || (body = be16_get(d)) + 2 + MAC > len) {
		*why = "truncated record";
		return 0;
	}
	if (record_mac(k, index, d, body + 2, mac) < 0 ||
	    CRYPTO_memcmp(mac, d + body + 2, MAC) != 0) {
		*why = "checksum mismatch (damaged, or of another group, "
		       "secret or state file)";
		return 0;
	}
	memset(rec, 0, sizeof(*rec));
	buf_reader_init(&r, d + 2, body);
	if (parse(&r, rec) < 0) {
		*why = "malformed record";
		return 0;
	}
	return body + 2 + MAC;
}

static const char *
header_bad(const struct ks_journal_key *k, const uint8_t *d, size_t len)
{
	if (len < KS_JOURNAL_HDR_LEN || memcmp(d, MAGIC, 4) != 0)
		return "not a journal";
	if (be16_get(d + 4) != KS_JOURNAL_VERSION || be16_get(d + 6) != 0)
		return "another version";
	if (CRYPTO_memcmp(d + 8, k->tag, KS_JOURNAL_TAG_LEN) != 0)
		return "it follows another state file";
	return NULL;
}

size_t
ks_journal_replay(const struct ks_journal_key *k, const uint8_t *d,
		  size_t len, ks_journal_fn fn, void *arg, size_t *good,
		  const char **why)
{
	struct ks_journal_rec rec;
	size_t n = 0, at = KS_JOURNAL_HDR_LEN, step;

	*good = 0;
	if ((*why = header_bad(k, d, len)) != NULL)
		return 0;
	*good = at;
	while (at < len && n < UINT32_MAX &&
	       (step = one(k, (uint32_t)n, d + at, len - at, &rec, why)) > 0) {
		fn(arg, &rec);
		at += step;
		n++;
		*good = at;
	}
	OPENSSL_cleanse(&rec, sizeof(rec));
	return n;
}
