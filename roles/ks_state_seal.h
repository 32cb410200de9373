/*
 * ks_state_seal: the envelope of a key server state file
 * (doc/ks-state.md): a versioned header, the state encrypted with
 * AES-256-CBC and the whole file authenticated with HMAC-SHA256
 * (encrypt-then-MAC), both keys derived from a local secret of 32
 * random octets kept with the router's private keys.
 *
 *   "GVKS" | version (2) | 0 (2) | IV (16) | CBC(state | PKCS#7) | MAC (32)
 *
 * A file that is empty, short, over KS_STATE_MAX, of another format or
 * version, altered, or sealed under another secret is refused with the
 * reason; nothing of it is used.
 */
#ifndef ROLES_KS_STATE_SEAL_H
#define ROLES_KS_STATE_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

#define KS_STATE_VERSION 1
#define KS_STATE_SECRET_LEN 32

/* Seal in[0..len) into w.  0, or -1. */
int ks_state_seal(const uint8_t secret[KS_STATE_SECRET_LEN],
		  const uint8_t *in, size_t len, struct buf_writer *w);
/* Check and open in[0..len): *out (malloc'd, wiped by the caller with
 * crypto_free_secure(*out, *outlen)) holds the state.  -1 with *why set
 * to a reason fit for a log line. */
int ks_state_open(const uint8_t secret[KS_STATE_SECRET_LEN],
		  const uint8_t *in, size_t len, uint8_t **out,
		  size_t *outlen, const char **why);

#endif
