/*
 * hmap: string-keyed hash map.
 *
 * Owns an open-addressing table with linear probing, FNV-1a 64-bit
 * hashes kept per slot (a mismatch is rejected without touching the key
 * string), a power-of-two size that doubles at 70% load, and
 * backward-shift deletion, so there are no tombstones and lookups stay
 * short however many deletes a long-lived configuration sees.
 */
#include "platform/hmap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HMAP_MIN_CAP	16

struct hmap_slot {
	char *key;		/* NULL: empty */
	void *val;
	uint64_t hash;
};

struct hmap {
	struct hmap_slot *slots;
	size_t cap;		/* power of two */
	size_t count;
};

static uint64_t
hmap_hash(const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	uint64_t h = 14695981039346656037ULL;

	while (*p != '\0') {
		h ^= *p++;
		h *= 1099511628211ULL;
	}
	/* Fold the high bits in: the mask only looks at the low ones. */
	return h ^ (h >> 32);
}

struct hmap *
hmap_new(void)
{
	struct hmap *m;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->slots = calloc(HMAP_MIN_CAP, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return NULL;
	}
	m->cap = HMAP_MIN_CAP;
	return m;
}

void
hmap_free(struct hmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

/* Index of key's slot, or of the empty slot where it would go. */
static size_t
hmap_find(const struct hmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	const struct hmap_slot *s;

	for (;;) {
		s = &m->slots[i];
		if (s->key == NULL)
			return i;
		if (s->hash == h && strcmp(s->key, key) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	size_t i;

	if (m == NULL || key == NULL)
		return NULL;
	i = hmap_find(m, key, hmap_hash(key));
	return m->slots[i].key != NULL ? m->slots[i].val : NULL;
}

static int
hmap_grow(struct hmap *m)
{
	struct hmap_slot *old = m->slots, *slots;
	size_t i, j, mask, cap = m->cap * 2;

	if (cap < m->cap || cap > SIZE_MAX / sizeof(*slots)) {
		errno = ENOMEM;
		return -1;
	}
	slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return -1;
	mask = cap - 1;
	for (i = 0; i < m->cap; i++) {
		if (old[i].key == NULL)
			continue;
		j = (size_t)old[i].hash & mask;
		while (slots[j].key != NULL)
			j = (j + 1) & mask;
		slots[j] = old[i];
	}
	free(old);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int
hmap_put(struct hmap *m, const char *key, void *val)
{
	uint64_t h;
	size_t i;
	char *copy;

	if (m == NULL || key == NULL) {
		errno = EINVAL;
		return -1;
	}
	h = hmap_hash(key);
	i = hmap_find(m, key, h);
	if (m->slots[i].key != NULL) {
		m->slots[i].val = val;
		return 0;
	}
	/* Keep the load under 70% so probe runs stay short. */
	if ((m->count + 1) * 10 > m->cap * 7) {
		if (hmap_grow(m) < 0)
			return -1;
		i = hmap_find(m, key, h);
	}
	copy = strdup(key);
	if (copy == NULL)
		return -1;
	m->slots[i].key = copy;
	m->slots[i].val = val;
	m->slots[i].hash = h;
	m->count++;
	return 0;
}

/* Distance from a slot's home position to index i, wrapping around. */
static size_t
hmap_dist(const struct hmap *m, const struct hmap_slot *s, size_t i)
{
	return (i - ((size_t)s->hash & (m->cap - 1))) & (m->cap - 1);
}

void *
hmap_del(struct hmap *m, const char *key)
{
	size_t mask, hole, i;
	void *val;

	if (m == NULL || key == NULL)
		return NULL;
	mask = m->cap - 1;
	hole = hmap_find(m, key, hmap_hash(key));
	if (m->slots[hole].key == NULL)
		return NULL;
	val = m->slots[hole].val;
	free(m->slots[hole].key);
	m->slots[hole].key = NULL;
	m->count--;
	/*
	 * Backward shift: pull later members of the probe run into the hole
	 * when the hole lies between their home slot and where they sit,
	 * so every key stays reachable from its home without tombstones.
	 */
	for (i = (hole + 1) & mask; m->slots[i].key != NULL; i = (i + 1) & mask) {
		if (hmap_dist(m, &m->slots[i], i) >=
		    ((i - hole) & mask)) {
			m->slots[hole] = m->slots[i];
			m->slots[i].key = NULL;
			hole = i;
		}
	}
	return val;
}

size_t
hmap_count(const struct hmap *m)
{
	return m != NULL ? m->count : 0;
}

void
hmap_foreach(const struct hmap *m,
	     void (*fn)(const char *key, void *val, void *arg), void *arg)
{
	size_t i;

	if (m == NULL || fn == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			fn(m->slots[i].key, m->slots[i].val, arg);
}
