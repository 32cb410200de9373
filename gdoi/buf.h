/*
 * buf: bounded big-endian reader and growable writer for wire codecs.
 *
 * Every decoder in gdoi/ reads through a struct buf_reader and every
 * encoder writes through a struct buf_writer, so that bounds checks live
 * in one place (the sshbuf idiom).  All calls return 0 or -1.  A reader
 * or writer that failed once stays failed: later calls return -1 and
 * change nothing, so a codec may chain several gets and test once.
 *
 *   struct buf_reader r, sub;
 *   buf_reader_init(&r, body, len);
 *   buf_get_u8(&r, &type);
 *   buf_get_sub_u16(&r, &sub);        // a 2-octet length, then that many
 *   if (buf_get_u32(&r, &spi) < 0) goto out;
 *
 * Writers grow on the heap (up to BUF_WRITER_MAX) and may carry key
 * material: their memory is wiped whenever it is released or moved.
 */
#ifndef GDOI_BUF_H
#define GDOI_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A message never exceeds a reassembled UDP datagram; a writer that
 * would grow past this is broken, not busy. */
#define BUF_WRITER_MAX (256 * 1024)

struct buf_reader {
	const uint8_t *p;
	size_t len, off;
	bool err;		/* sticky: set by the first failed call */
};

struct buf_writer {
	uint8_t *p;		/* NULL until the first write */
	size_t len, cap;
	size_t max;		/* 0: BUF_WRITER_MAX */
	bool err;		/* sticky: allocation or bound failure */
};

/* ---- reader ---- */

void buf_reader_init(struct buf_reader *r, const void *p, size_t len);
/** buf_left - octets not yet consumed (0 once the reader failed). */
size_t buf_left(const struct buf_reader *r);
/** buf_cur - pointer to the next unread octet. */
const uint8_t *buf_cur(const struct buf_reader *r);
/** buf_failed - true once any call on r failed. */
bool buf_failed(const struct buf_reader *r);
/** buf_at_end - 0 when r has not failed and every octet was consumed. */
int buf_at_end(const struct buf_reader *r);

int buf_get_u8(struct buf_reader *r, uint8_t *v);
int buf_get_u16(struct buf_reader *r, uint16_t *v);
int buf_get_u32(struct buf_reader *r, uint32_t *v);
int buf_get_u64(struct buf_reader *r, uint64_t *v);
/** buf_get_bytes - copy n octets into dst. */
int buf_get_bytes(struct buf_reader *r, void *dst, size_t n);
/** buf_get_ptr - borrow n octets in place (*p points into the input). */
int buf_get_ptr(struct buf_reader *r, size_t n, const uint8_t **p);
int buf_skip(struct buf_reader *r, size_t n);
/** buf_get_sub - consume n octets and return them as their own reader. */
int buf_get_sub(struct buf_reader *r, size_t n, struct buf_reader *sub);
/** buf_get_sub_u8 / _u16 - a 1- or 2-octet length, then a sub-reader of it. */
int buf_get_sub_u8(struct buf_reader *r, struct buf_reader *sub);
int buf_get_sub_u16(struct buf_reader *r, struct buf_reader *sub);

/* ---- writer ---- */

void buf_writer_init(struct buf_writer *w);
/** buf_writer_init_max - a writer that may grow to max octets (files,
 * not datagrams: the key server's saved state). */
void buf_writer_init_max(struct buf_writer *w, size_t max);
/** buf_writer_free - wipe and release the storage; w may be reused. */
void buf_writer_free(struct buf_writer *w);
/** buf_writer_reset - forget the contents (wiped) but keep the storage. */
void buf_writer_reset(struct buf_writer *w);
bool buf_writer_failed(const struct buf_writer *w);
/** buf_data / buf_len - what was written so far (NULL/0 when empty). */
const uint8_t *buf_data(const struct buf_writer *w);
size_t buf_len(const struct buf_writer *w);
/**
 * buf_steal - hand the storage to the caller (malloc'd, *len octets) and
 * leave w empty.  NULL if w failed or is empty.  The caller wipes it if
 * it holds keys.
 */
uint8_t *buf_steal(struct buf_writer *w, size_t *len);

int buf_put_u8(struct buf_writer *w, uint8_t v);
int buf_put_u16(struct buf_writer *w, uint16_t v);
int buf_put_u32(struct buf_writer *w, uint32_t v);
int buf_put_u64(struct buf_writer *w, uint64_t v);
int buf_put_bytes(struct buf_writer *w, const void *p, size_t n);
int buf_put_zero(struct buf_writer *w, size_t n);
/**
 * buf_reserve - append n zero octets and return their offset in *off, to
 * be filled later through buf_patch_* or buf_ptr (offsets stay valid when
 * the writer grows; pointers do not).
 */
int buf_reserve(struct buf_writer *w, size_t n, size_t *off);
/** buf_ptr - pointer to octet off (off + n must lie within the data). */
uint8_t *buf_ptr(struct buf_writer *w, size_t off, size_t n);
int buf_patch_u8(struct buf_writer *w, size_t off, uint8_t v);
int buf_patch_u16(struct buf_writer *w, size_t off, uint16_t v);
int buf_patch_u32(struct buf_writer *w, size_t off, uint32_t v);

/**
 * buf_len16_begin / buf_len16_end - "reserve a u16 length now, patch it
 * later".  begin appends a zero u16 and returns its offset in *mark; end
 * stores the number of octets written from base to now (base is usually
 * the start of the enclosing payload header) and fails if it exceeds
 * 0xFFFF.
 */
int buf_len16_begin(struct buf_writer *w, size_t *mark);
int buf_len16_end(struct buf_writer *w, size_t mark, size_t base);

#endif
