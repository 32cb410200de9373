/*
 * buf: bounded reader and growable writer (see buf.h).
 *
 * Owns every bounds check of the wire codecs: decoders never index a
 * message themselves, they ask a reader, and a reader refuses to move
 * past its end.  Both sides are sticky on failure so that a sequence of
 * calls can be checked once at the end without a later call acting on a
 * half-parsed state.
 *
 * Writers may hold key download payloads, so growth copies into fresh
 * storage and wipes the old block instead of using realloc(), which
 * could leave a copy of the keys in freed memory.
 */
#include "gdoi/buf.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "platform/be.h"

void
buf_reader_init(struct buf_reader *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p != NULL ? len : 0;
	r->off = 0;
	r->err = false;
}

size_t
buf_left(const struct buf_reader *r)
{
	return r->err ? 0 : r->len - r->off;
}

const uint8_t *
buf_cur(const struct buf_reader *r)
{
	return r->p != NULL ? r->p + r->off : NULL;
}

bool
buf_failed(const struct buf_reader *r)
{
	return r->err;
}

int
buf_at_end(const struct buf_reader *r)
{
	return !r->err && r->off == r->len ? 0 : -1;
}

/*
 * Claim n octets: the single place where a read is bounds-checked.
 * *p is NULL only for an empty claim on an empty reader.
 */
static int
buf_take(struct buf_reader *r, size_t n, const uint8_t **p)
{
	*p = NULL;
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return -1;
	}
	if (r->p != NULL)
		*p = r->p + r->off;
	r->off += n;
	return 0;
}

int
buf_get_u8(struct buf_reader *r, uint8_t *v)
{
	const uint8_t *p;

	if (buf_take(r, 1, &p) < 0)
		return -1;
	*v = p[0];
	return 0;
}

int
buf_get_u16(struct buf_reader *r, uint16_t *v)
{
	const uint8_t *p;

	if (buf_take(r, 2, &p) < 0)
		return -1;
	*v = be16_get(p);
	return 0;
}

int
buf_get_u32(struct buf_reader *r, uint32_t *v)
{
	const uint8_t *p;

	if (buf_take(r, 4, &p) < 0)
		return -1;
	*v = be32_get(p);
	return 0;
}

int
buf_get_u64(struct buf_reader *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (buf_get_u32(r, &hi) < 0 || buf_get_u32(r, &lo) < 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int
buf_get_bytes(struct buf_reader *r, void *dst, size_t n)
{
	const uint8_t *p;

	if (buf_take(r, n, &p) < 0)
		return -1;
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}

int
buf_get_ptr(struct buf_reader *r, size_t n, const uint8_t **p)
{
	return buf_take(r, n, p);
}

int
buf_skip(struct buf_reader *r, size_t n)
{
	const uint8_t *p;

	return buf_take(r, n, &p);
}

int
buf_get_sub(struct buf_reader *r, size_t n, struct buf_reader *sub)
{
	const uint8_t *p;

	if (buf_take(r, n, &p) < 0) {
		buf_reader_init(sub, NULL, 0);
		sub->err = true;
		return -1;
	}
	buf_reader_init(sub, p, n);
	return 0;
}

int
buf_get_sub_u8(struct buf_reader *r, struct buf_reader *sub)
{
	uint8_t n;

	if (buf_get_u8(r, &n) < 0) {
		buf_reader_init(sub, NULL, 0);
		sub->err = true;
		return -1;
	}
	return buf_get_sub(r, n, sub);
}

int
buf_get_sub_u16(struct buf_reader *r, struct buf_reader *sub)
{
	uint16_t n;

	if (buf_get_u16(r, &n) < 0) {
		buf_reader_init(sub, NULL, 0);
		sub->err = true;
		return -1;
	}
	return buf_get_sub(r, n, sub);
}

void
buf_writer_init(struct buf_writer *w)
{
	w->p = NULL;
	w->len = 0;
	w->cap = 0;
	w->max = 0;
	w->err = false;
}

void
buf_writer_init_max(struct buf_writer *w, size_t max)
{
	buf_writer_init(w);
	w->max = max;
}

void
buf_writer_free(struct buf_writer *w)
{
	size_t max = w->max;

	if (w->p != NULL) {
		OPENSSL_cleanse(w->p, w->cap);
		free(w->p);
	}
	buf_writer_init_max(w, max);
}

void
buf_writer_reset(struct buf_writer *w)
{
	if (w->p != NULL)
		OPENSSL_cleanse(w->p, w->len);
	w->len = 0;
	w->err = false;
}

bool
buf_writer_failed(const struct buf_writer *w)
{
	return w->err;
}

const uint8_t *
buf_data(const struct buf_writer *w)
{
	return w->len > 0 ? w->p : NULL;
}

size_t
buf_len(const struct buf_writer *w)
{
	return w->len;
}

uint8_t *
buf_steal(struct buf_writer *w, size_t *len)
{
	uint8_t *p;

	if (w->err || w->len == 0) {
		*len = 0;
		return NULL;
	}
	p = w->p;
	*len = w->len;
	w->p = NULL;
	w->len = w->cap = 0;
	return p;
}

/*
 * Make room for n more octets and count them as written; *out is where
 * they go (NULL when n is 0).
 */
static int
buf_grow(struct buf_writer *w, size_t n, uint8_t **out)
{
	size_t cap, max = w->max ? w->max : BUF_WRITER_MAX;
	uint8_t *np;

	*out = NULL;
	if (w->err || n > max - w->len) {
		w->err = true;
		return -1;
	}
	if (n == 0)
		return 0;
	if (w->len + n > w->cap) {
		cap = w->cap > 0 ? w->cap : 256;
		while (cap < w->len + n)
			cap *= 2;
		np = malloc(cap);
		if (np == NULL) {
			w->err = true;
			return -1;
		}
		if (w->p != NULL) {
			memcpy(np, w->p, w->len);
			OPENSSL_cleanse(w->p, w->cap);
			free(w->p);
		}
		w->p = np;
		w->cap = cap;
	}
	*out = w->p + w->len;
	w->len += n;
	return 0;
}

int
buf_put_u8(struct buf_writer *w, uint8_t v)
{
	uint8_t *p;

	if (buf_grow(w, 1, &p) < 0)
		return -1;
	p[0] = v;
	return 0;
}

int
buf_put_u16(struct buf_writer *w, uint16_t v)
{
	uint8_t *p;

	if (buf_grow(w, 2, &p) < 0)
		return -1;
	be16_put(p, v);
	return 0;
}

int
buf_put_u32(struct buf_writer *w, uint32_t v)
{
	uint8_t *p;

	if (buf_grow(w, 4, &p) < 0)
		return -1;
	be32_put(p, v);
	return 0;
}

int
buf_put_u64(struct buf_writer *w, uint64_t v)
{
	if (buf_put_u32(w, (uint32_t)(v >> 32)) < 0)
		return -1;
	return buf_put_u32(w, (uint32_t)v);
}

int
buf_put_bytes(struct buf_writer *w, const void *p, size_t n)
{
	uint8_t *d;

	if (n > 0 && p == NULL) {
		w->err = true;
		return -1;
	}
	if (buf_grow(w, n, &d) < 0)
		return -1;
	if (n > 0)
		memcpy(d, p, n);
	return 0;
}

int
buf_put_zero(struct buf_writer *w, size_t n)
{
	uint8_t *d;

	if (buf_grow(w, n, &d) < 0)
		return -1;
	if (n > 0)
		memset(d, 0, n);
	return 0;
}

int
buf_reserve(struct buf_writer *w, size_t n, size_t *off)
{
	size_t at = w->len;

	if (buf_put_zero(w, n) < 0)
		return -1;
	*off = at;
	return 0;
}

uint8_t *
buf_ptr(struct buf_writer *w, size_t off, size_t n)
{
	if (w->err || w->p == NULL || off > w->len || n > w->len - off)
		return NULL;
	return w->p + off;
}

int
buf_patch_u8(struct buf_writer *w, size_t off, uint8_t v)
{
	uint8_t *p = buf_ptr(w, off, 1);

	if (p == NULL) {
		w->err = true;
		return -1;
	}
	p[0] = v;
	return 0;
}

int
buf_patch_u16(struct buf_writer *w, size_t off, uint16_t v)
{
	uint8_t *p = buf_ptr(w, off, 2);

	if (p == NULL) {
		w->err = true;
		return -1;
	}
	be16_put(p, v);
	return 0;
}

int
buf_patch_u32(struct buf_writer *w, size_t off, uint32_t v)
{
	uint8_t *p = buf_ptr(w, off, 4);

	if (p == NULL) {
		w->err = true;
		return -1;
	}
	be32_put(p, v);
	return 0;
}

int
buf_len16_begin(struct buf_writer *w, size_t *mark)
{
	return buf_reserve(w, 2, mark);
}

int
buf_len16_end(struct buf_writer *w, size_t mark, size_t base)
{
	size_t n;

	if (w->err || base > w->len) {
		w->err = true;
		return -1;
	}
	n = w->len - base;
	if (n > 0xffff) {
		w->err = true;
		return -1;
	}
	return buf_patch_u16(w, mark, (uint16_t)n);
}
