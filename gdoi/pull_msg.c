/*
 * pull_msg: HDR*, HASH(n), ... messages under an established Phase 1 SA
 * (doc/protocol.md §3.6, §3.7, §4.1-§4.3; RFC 2408 §3.1, RFC 2409 §5.5,
 * §5.7 and App. B; RFC 6407 §3.1-§3.2).
 *
 * Owns the receive checks every such message gets before any payload
 * is interpreted, the rule of what HASH(n) covers (every octet after the
 * HASH payload up to the end of the chain, never the CBC padding), the
 * payload tables, and the copies kept for answering duplicates.
 */
#include "gdoi/pull_msg.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/phase1.h"
#include "platform/log.h"

#define msg_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)

/* A hash piece list never needs more than Ni_b, Nr_b and the rest. */
#define PULL_MSG_MAX_PIECES 4

int
pull_p1_view(const struct p1_sa *sa, struct pull_p1 *v)
{
	memset(v, 0, sizeof(*v));
	if (sa == NULL || p1_sa_state(sa) != P1_STATE_ESTABLISHED)
		return -1;
	v->keys = p1_sa_keys(sa);
	v->cipher = p1_sa_cipher(sa);
	v->p1_last = p1_sa_p1_last(sa);
	v->icookie = p1_sa_icookie(sa);
	v->rcookie = p1_sa_rcookie(sa);
	if (v->keys == NULL || v->cipher == NULL || v->p1_last == NULL ||
	    v->icookie == NULL || v->rcookie == NULL)
		return -1;
	return 0;
}

/* ---- building ---- */

int
pull_msg_new_mid(uint32_t *mid)
{
	do {
		if (crypto_random(mid, sizeof(*mid)) < 0)
			return -1;
	} while (*mid == 0);
	return 0;
}

int
pull_msg_begin(struct pull_msg_out *o, const struct pull_p1 *p1,
	       uint8_t exch, uint32_t mid, struct buf_writer *w)
{
	struct isakmp_hdr h;

	memset(o, 0, sizeof(*o));
	memset(&h, 0, sizeof(h));
	o->w = w;
	o->mid = mid;
	buf_writer_reset(w);
	memcpy(h.icookie, p1->icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, p1->rcookie, ISAKMP_COOKIE_LEN);
	h.version = ISAKMP_VERSION;
	h.exch = exch;
	h.flags = ISAKMP_FLAG_ENC;
	h.msgid = mid;
	if (isakmp_hdr_put(w, &h, &o->hoff) < 0)
		return -1;
	isakmp_build_init(&o->b, w, o->hoff + ISAKMP_HDR_NEXT_OFF);
	/* The hash covers what follows, so it is patched in at the end. */
	if (isakmp_build_begin(&o->b, ISAKMP_PAYLOAD_HASH) < 0 ||
	    buf_reserve(w, p1->keys->len, &o->hash_off) < 0 ||
	    isakmp_build_end(&o->b) < 0)
		return -1;
	o->rest_off = buf_len(w);
	return 0;
}

static int
msg_hash(const struct pull_p1 *p1, uint32_t mid, const struct crypto_iov *pre,
	 size_t npre, const uint8_t *rest, size_t rest_len, uint8_t *out)
{
	struct crypto_iov iov[PULL_MSG_MAX_PIECES];
	size_t i;

	if (npre >= PULL_MSG_MAX_PIECES)
		return -1;
	for (i = 0; i < npre; i++)
		iov[i] = pre[i];
	iov[npre].base = rest;
	iov[npre].len = rest_len;
	return ikekeys_hash_n(p1->keys, mid, iov, npre + 1, out);
}

int
pull_msg_finish(struct pull_msg_out *o, const struct pull_p1 *p1,
		const struct crypto_iov *pre, size_t npre,
		const struct ike_iv *iv, struct ike_iv *next)
{
	struct buf_writer *w = o->w;
	struct ike_iv first;
	uint8_t hash[CRYPTO_MAX_HASH];
	uint8_t *p;
	size_t len = buf_len(w);

	if (buf_writer_failed(w) || len < o->rest_off)
		goto fail;
	p = buf_ptr(w, 0, len);
	if (p == NULL || msg_hash(p1, o->mid, pre, npre, p + o->rest_off,
				  len - o->rest_off, hash) < 0)
		goto fail;
	memcpy(p + o->hash_off, hash, p1->keys->len);
	if (iv == NULL) {
		if (ikekeys_exch_iv(p1->keys->hash, p1->p1_last, o->mid,
				    &first) < 0)
			goto fail;
		iv = &first;
	}
	if (isakmp_hdr_patch_len(w, o->hoff) < 0 ||
	    ikecrypt_encrypt_buf(p1->cipher, iv, next, w) < 0)
		goto fail;
	return 0;
fail:
	w->err = true;
	return -1;
}

int
pull_msg_single(const struct p1_sa *p1, uint8_t exch,
		int (*put)(struct isakmp_builder *b, const void *arg),
		const void *arg, struct buf_writer *out)
{
	struct pull_msg_out o;
	struct ike_iv next;
	struct pull_p1 v;
	uint32_t mid;

	buf_writer_reset(out);
	if (pull_p1_view(p1, &v) < 0 || pull_msg_new_mid(&mid) < 0 ||
	    pull_msg_begin(&o, &v, exch, mid, out) < 0 || put(&o.b, arg) < 0 ||
	    pull_msg_finish(&o, &v, NULL, 0, NULL, &next) < 0) {
		buf_writer_reset(out);
		return -1;
	}
	return 0;
}

/* ---- receiving ---- */

static int
msg_hdr_check(const struct isakmp_hdr *h, const struct pull_p1 *p1,
	      uint8_t exch)
{
	if (h->exch != exch || h->flags != ISAKMP_FLAG_ENC || h->msgid == 0 ||
	    h->next != ISAKMP_PAYLOAD_HASH)
		return -1;
	if (memcmp(h->icookie, p1->icookie, ISAKMP_COOKIE_LEN) != 0 ||
	    memcmp(h->rcookie, p1->rcookie, ISAKMP_COOKIE_LEN) != 0)
		return -1;
	return 0;
}

int
pull_msg_open(struct pull_msg_in *m, const struct pull_p1 *p1, uint8_t exch,
	      const uint8_t *in, size_t len, const struct ike_iv *iv)
{
	struct ike_iv first;
	size_t outlen;

	memset(m, 0, sizeof(*m));
	if (isakmp_hdr_decode(&m->hdr, in, len, NULL) < 0 ||
	    msg_hdr_check(&m->hdr, p1, exch) < 0) {
		msg_dbg("%s: %s header refused", __func__,
			isakmp_exch_name(exch));
		return -1;
	}
	if (iv == NULL) {
		if (ikekeys_exch_iv(p1->keys->hash, p1->p1_last, m->hdr.msgid,
				    &first) < 0)
			return -1;
		iv = &first;
	}
	m->buf = malloc(len);
	if (m->buf == NULL)
		return -1;
	m->len = len;
	if (ikecrypt_decrypt(p1->cipher, iv, &m->next, in, len, m->buf, len,
			     &outlen) < 0 ||
	    isakmp_chain_parse(&m->chain, m->hdr.next, m->buf + ISAKMP_HDR_LEN,
			       len - ISAKMP_HDR_LEN) < 0 ||
	    m->chain.n == 0 || m->chain.pl[0].type != ISAKMP_PAYLOAD_HASH ||
	    m->chain.pl[0].body_len != p1->keys->len) {
		msg_dbg("%s: %s message %08x does not decrypt to a chain "
			"opening with HASH", __func__, isakmp_exch_name(exch),
			m->hdr.msgid);
		pull_msg_close(m);
		return -1;
	}
	return 0;
}

int
pull_msg_verify(const struct pull_msg_in *m, const struct pull_p1 *p1,
		const struct crypto_iov *pre, size_t npre)
{
	const struct isakmp_payload *h = &m->chain.pl[0];
	const uint8_t *rest = h->raw + h->raw_len;
	const uint8_t *end = m->buf + ISAKMP_HDR_LEN + m->chain.end;
	uint8_t want[CRYPTO_MAX_HASH];
	int rc = -1;

	if (rest > end || msg_hash(p1, m->hdr.msgid, pre, npre, rest,
				   (size_t)(end - rest), want) < 0)
		goto out;
	if (!crypto_equal(want, h->body, p1->keys->len)) {
		msg_dbg("%s: %s message %08x: HASH does not verify", __func__,
			isakmp_exch_name(m->hdr.exch), m->hdr.msgid);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(want, sizeof(want));
	return rc;
}

void
pull_msg_close(struct pull_msg_in *m)
{
	if (m->buf != NULL) {
		/* Message 4 carries keys in the clear once decrypted. */
		OPENSSL_cleanse(m->buf, m->len);
		free(m->buf);
	}
	memset(m, 0, sizeof(*m));
}

/* ---- payload tables ---- */

bool
pull_msg_match(const struct pull_msg_in *m, const struct isakmp_spec *s)
{
	return isakmp_chain_match(&m->chain, 1, s) == NULL;
}

const struct isakmp_payload *
pull_msg_find(const struct pull_msg_in *m, uint8_t type)
{
	return isakmp_chain_find(&m->chain, type);
}

/* ---- duplicates ---- */

static uint8_t *
dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *q = malloc(len ? len : 1);

	if (q != NULL && len > 0)
		memcpy(q, p, len);
	return q;
}

int
pull_stored_set(struct pull_stored *s, const uint8_t *req, size_t len,
		const struct buf_writer *w)
{
	uint8_t *r = NULL, *a;

	if (buf_writer_failed(w) || buf_len(w) == 0)
		return -1;
	if (req != NULL && (r = dup_bytes(req, len)) == NULL)
		return -1;
	a = dup_bytes(buf_data(w), buf_len(w));
	if (a == NULL) {
		free(r);
		return -1;
	}
	pull_stored_free(s);
	s->req = r;
	s->req_len = r != NULL ? len : 0;
	s->reply = a;
	s->reply_len = buf_len(w);
	return 0;
}

bool
pull_stored_is_dup(const struct pull_stored *s, const uint8_t *in, size_t len)
{
	return s->req != NULL && s->req_len == len &&
	       memcmp(s->req, in, len) == 0;
}

int
pull_stored_resend(const struct pull_stored *s, struct buf_writer *out)
{
	buf_writer_reset(out);
	if (s->reply == NULL)
		return -1;
	return buf_put_bytes(out, s->reply, s->reply_len);
}

void
pull_stored_free(struct pull_stored *s)
{
	free(s->req);
	free(s->reply);
	memset(s, 0, sizeof(*s));
}
