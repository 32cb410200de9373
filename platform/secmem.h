/*
 * secmem: memory for key material, left out of core dumps (doc/cli.md
 * "Secrets at rest and in memory").  Blocks come from anonymous mappings
 * marked MADV_DONTDUMP (and MADV_WIPEONFORK: a forked helper does not
 * inherit keys) and are wiped when freed.  Pre-shared keys, the master
 * key, the key server's key state and the IKE SAs live here; OpenSSL's
 * own secrets live in its secure heap (likewise left out of dumps).
 * Single-threaded, as the daemon is.
 */
#ifndef PLATFORM_SECMEM_H
#define PLATFORM_SECMEM_H

#include <stddef.h>

/* A zeroed block of size octets, or NULL (errno set). */
void *secmem_calloc(size_t size);
/* Wipe and release a block of secmem_calloc (NULL: nothing). */
void secmem_free(void *p);

#endif
