/*
 * secmem: small blocks from 64 KiB slabs, one free list per power-of-two
 * class (64 octets to 4 KiB); larger blocks are mappings of their own.
 * Every mapping is MADV_DONTDUMP | MADV_WIPEONFORK (see platform/secmem.h).
 */
#include "platform/secmem.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SM_MIN_SHIFT 6			/* 64 octets */
#define SM_CLASSES 7			/* 64 .. 4096 */
#define SM_SLAB (64u << 10)
#define SM_HDR 16			/* keeps blocks 16-aligned */
#define SM_BIG UINT32_MAX

struct sm_hdr {
	uint32_t cls;			/* class, or SM_BIG */
	uint32_t pad;
	size_t map_len;			/* SM_BIG: the whole mapping */
};

struct sm_free {
	struct sm_free *next;
};

static struct sm_free *free_list[SM_CLASSES];

_Static_assert(sizeof(struct sm_hdr) == SM_HDR, "secmem header");

static void *
sm_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Both are advice: a kernel without them still gets wiped blocks. */
	(void)madvise(p, len, MADV_DONTDUMP);
#ifdef MADV_WIPEONFORK
	(void)madvise(p, len, MADV_WIPEONFORK);
#endif
	return p;
}

/* Cut a new slab into blocks of class c. */
static int
sm_grow(unsigned c)
{
	size_t bsz = (size_t)1 << (c + SM_MIN_SHIFT);
	uint8_t *s;

	if ((s = sm_map(SM_SLAB)) == NULL)
		return -1;
	for (size_t off = 0; off + bsz <= SM_SLAB; off += bsz) {
		struct sm_free *f = (struct sm_free *)(s + off);

		f->next = free_list[c];
		free_list[c] = f;
	}
	return 0;
}

static void *
sm_big(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (size + SM_HDR + page - 1) / page * page;
	struct sm_hdr *h = sm_map(len);

	if (h == NULL)
		return NULL;
	h->cls = SM_BIG;
	h->map_len = len;
	return (uint8_t *)h + SM_HDR;
}

void *
secmem_calloc(size_t size)
{
	unsigned c = 0;
	struct sm_hdr *h;

	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	while (c < SM_CLASSES &&
	       ((size_t)1 << (c + SM_MIN_SHIFT)) < size + SM_HDR)
		c++;
	if (c == SM_CLASSES)
		return sm_big(size);
	if (free_list[c] == NULL && sm_grow(c) < 0)
		return NULL;
	h = (struct sm_hdr *)free_list[c];
	free_list[c] = free_list[c]->next;
	memset(h, 0, (size_t)1 << (c + SM_MIN_SHIFT));
	h->cls = c;
	return (uint8_t *)h + SM_HDR;
}

void
secmem_free(void *p)
{
	struct sm_hdr *h;
	struct sm_free *f;

	if (p == NULL)
		return;
	h = (struct sm_hdr *)((uint8_t *)p - SM_HDR);
	if (h->cls == SM_BIG) {
		size_t len = h->map_len;

		explicit_bzero(h, len);
		munmap(h, len);
		return;
	}
	f = (struct sm_free *)h;
	explicit_bzero(h, (size_t)1 << (h->cls + SM_MIN_SHIFT));
	f->next = free_list[h->cls];
	free_list[h->cls] = f;
}
