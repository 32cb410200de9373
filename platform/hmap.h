/*
 * hmap: string-keyed hash map (open addressing) used to find named config
 * objects in O(1), so that matching a config line does not slow down as
 * the configuration grows.  Keys are copied; values are borrowed.
 */
#ifndef PLATFORM_HMAP_H
#define PLATFORM_HMAP_H

#include <stddef.h>

struct hmap;

struct hmap *hmap_new(void);
void hmap_free(struct hmap *m);
void *hmap_get(const struct hmap *m, const char *key);
/* Insert or replace; returns 0 or -1 on allocation failure. */
int hmap_put(struct hmap *m, const char *key, void *val);
/* Remove; returns the old value or NULL. */
void *hmap_del(struct hmap *m, const char *key);
size_t hmap_count(const struct hmap *m);
/* Call fn for every entry, in no particular order (e.g. to free the
 * values before hmap_free).  fn must not put or delete. */
void hmap_foreach(const struct hmap *m,
		  void (*fn)(const char *key, void *val, void *arg), void *arg);

#endif
