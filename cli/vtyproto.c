/*
 * vtyproto: frame encoding, the output queue and the bounded frame
 * decoder shared by the vty server (cli/vty.c) and the client
 * (cli/vtyclient.c).  The wire format is specified in doc/vty-protocol.md.
 *
 * Every length read from the socket is checked before it is used: the
 * daemon never buffers more than VTYPROTO_LINE_MAX bytes of one request
 * (longer ones are skipped as they stream past and reported as TOOLONG),
 * and the client never more than VTYPROTO_PAYLOAD_MAX of one reply.
 */
#include "cli/vtyproto.h"

#include <stdlib.h>
#include <string.h>

#include "platform/be.h"

/* A COMPLETION echoes a request line plus the completed keyword. */
#define VTYPROTO_PAYLOAD_MAX (VTYPROTO_LINE_MAX + VTYPROTO_CHUNK_MAX)

size_t
vtyproto_buf_pending(const struct vtyproto_buf *b)
{
	return b->len - b->off;
}

int
vtyproto_buf_add(struct vtyproto_buf *b, const void *p, size_t n)
{
	char *nd;
	size_t ncap;

	if (b->off > 0 && b->off == b->len)
		b->off = b->len = 0;
	if (b->len + n <= b->cap)
		goto copy;
	/* Slide the unsent bytes down before growing. */
	if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->len + n <= b->cap)
			goto copy;
	}
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + n) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	nd = realloc(b->data, ncap);
	if (nd == NULL)
		return -1;
	b->data = nd;
	b->cap = ncap;
copy:
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

void
vtyproto_buf_consume(struct vtyproto_buf *b, size_t n)
{
	if (n > b->len - b->off)
		n = b->len - b->off;
	b->off += n;
	if (b->off == b->len)
		b->off = b->len = 0;
}

void
vtyproto_buf_free(struct vtyproto_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void
vtyproto_header(unsigned char hdr[VTYPROTO_HDR_LEN], enum vtyproto_type type,
		uint32_t len)
{
	hdr[0] = (unsigned char)type;
	be32_put(hdr + 1, len);
}

int
vtyproto_put(struct vtyproto_buf *b, enum vtyproto_type type,
	     const void *payload, size_t len)
{
	unsigned char hdr[VTYPROTO_HDR_LEN];
	size_t max = type < 0x80 ? VTYPROTO_LINE_MAX : VTYPROTO_PAYLOAD_MAX;

	if (len > max)
		return -1;
	vtyproto_header(hdr, type, (uint32_t)len);
	if (vtyproto_buf_add(b, hdr, sizeof(hdr)) < 0)
		return -1;
	if (vtyproto_buf_add(b, payload, len) < 0) {
		b->len -= sizeof(hdr);	/* never leave half a frame queued */
		return -1;
	}
	return 0;
}

int
vtyproto_put_done(struct vtyproto_buf *b, const struct vtyproto_done *d)
{
	unsigned char p[VTYPROTO_DONE_FIXED + VTYPROTO_PROMPT_MAX];
	size_t plen = strnlen(d->prompt, sizeof(d->prompt) - 1);
	uint32_t tl = d->term_length;

	p[0] = d->status ? 1 : 0;
	p[1] = (unsigned char)d->flags;
	be32_put(p + 2, tl);
	be32_put(p + 6, d->term_width);
	memcpy(p + VTYPROTO_DONE_FIXED, d->prompt, plen);
	return vtyproto_put(b, VTYPROTO_DONE, p, VTYPROTO_DONE_FIXED + plen);
}

int
vtyproto_put_chunked(struct vtyproto_buf *b, enum vtyproto_type type,
		     const char *text, size_t len)
{
	while (len > 0) {
		size_t n = len < VTYPROTO_CHUNK_MAX ? len : VTYPROTO_CHUNK_MAX;

		if (vtyproto_put(b, type, text, n) < 0)
			return -1;
		text += n;
		len -= n;
	}
	return 0;
}

int
vtyproto_parse_done(const char *p, size_t len, struct vtyproto_done *d)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t plen;

	if (len < VTYPROTO_DONE_FIXED || u[0] > 1)
		return -1;
	plen = len - VTYPROTO_DONE_FIXED;
	if (plen >= sizeof(d->prompt))
		return -1;
	/* The prompt is printed on the user's terminal: text only. */
	for (size_t i = 0; i < plen; i++)
		if (u[VTYPROTO_DONE_FIXED + i] < 0x20 ||
		    u[VTYPROTO_DONE_FIXED + i] == 0x7f)
			return -1;
	d->status = u[0];
	d->flags = u[1];
	d->term_length = be32_get(u + 2);
	d->term_width = be32_get(u + 6);
	memcpy(d->prompt, p + VTYPROTO_DONE_FIXED, plen);
	d->prompt[plen] = '\0';
	return 0;
}

void
vtyproto_dec_init(struct vtyproto_dec *d, enum vtyproto_side side)
{
	memset(d, 0, sizeof(*d));
	d->side = side;
}

void
vtyproto_dec_fini(struct vtyproto_dec *d)
{
	free(d->payload);
	d->payload = NULL;
	d->cap = 0;
}

bool
vtyproto_dec_partial(const struct vtyproto_dec *d)
{
	return d->hlen > 0;
}

static bool
type_ok(enum vtyproto_side side, unsigned t)
{
	if (side == VTYPROTO_AT_DAEMON)
		return t >= VTYPROTO_LINE && t <= VTYPROTO_TERMINAL;
	return t >= VTYPROTO_OUTPUT && t <= VTYPROTO_LOG;
}

/* A whole header arrived: check it and size the payload buffer. */
static int
dec_header(struct vtyproto_dec *d)
{
	const unsigned char *h = d->hdr;
	uint32_t len = be32_get(h + 1);

	if (!type_ok(d->side, h[0]))
		return -1;
	d->type = (enum vtyproto_type)h[0];
	d->len = len;
	d->got = 0;
	d->skip = false;
	if (d->side == VTYPROTO_AT_DAEMON && len > VTYPROTO_LINE_MAX) {
		d->skip = true;
		return 0;
	}
	if (len > VTYPROTO_PAYLOAD_MAX)
		return -1;
	if (d->type == VTYPROTO_DONE &&
	    (len < VTYPROTO_DONE_FIXED ||
	     len >= VTYPROTO_DONE_FIXED + VTYPROTO_PROMPT_MAX))
		return -1;
	if (d->cap < (size_t)len + 1) {
		char *np = realloc(d->payload, (size_t)len + 1);

		if (np == NULL)
			return -1;
		d->payload = np;
		d->cap = (size_t)len + 1;
	}
	return 0;
}

enum vtyproto_event
vtyproto_feed(struct vtyproto_dec *d, const void *data, size_t n,
	      size_t *used)
{
	const unsigned char *p = data;
	size_t i = 0, take;

	*used = 0;
	if (d->bad)
		return VTYPROTO_BAD;
	while (d->hlen < VTYPROTO_HDR_LEN) {
		if (i == n) {
			*used = i;
			return VTYPROTO_NEED;
		}
		d->hdr[d->hlen++] = p[i++];
		if (d->hlen == VTYPROTO_HDR_LEN && dec_header(d) < 0) {
			d->bad = true;
			*used = i;
			return VTYPROTO_BAD;
		}
	}
	take = d->len - d->got;
	if (take > n - i)
		take = n - i;
	if (!d->skip && take > 0)
		memcpy(d->payload + d->got, p + i, take);
	d->got += (uint32_t)take;
	i += take;
	*used = i;
	if (d->got < d->len)
		return VTYPROTO_NEED;
	d->hlen = 0;
	if (d->skip) {
		d->skip = false;
		return VTYPROTO_TOOLONG;
	}
	d->payload[d->len] = '\0';
	return VTYPROTO_FRAME;
}
