/*
 * coop_seal: confidentiality for the key state a COOP SYNC carries
 * (doc/coop.md): AES-256-CBC under a fresh random key, that key wrapped
 * with RSA-OAEP under the group's rekey key pair, which only the COOP key
 * servers hold.  Integrity comes from the COOP message's signature.
 *
 *   sealed = OAEP(key) (modulus length) | IV (16) | CBC(state | PKCS#7 pad)
 */
#ifndef GDOI_COOP_SEAL_H
#define GDOI_COOP_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

struct rsakey;

/* Append the sealed form of in[0..len) to w.  0, or -1. */
int coop_seal(const struct rsakey *key, const uint8_t *in, size_t len,
	      struct buf_writer *w);
/* Open sealed[0..len) into out (room *outlen, then the length).  -1 on
 * any fault; out is wiped then. */
int coop_unseal(const struct rsakey *key, const uint8_t *in, size_t len,
		uint8_t *out, size_t *outlen);

#endif
