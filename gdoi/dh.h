/*
 * dh: Diffie-Hellman for the IKEv1 Phase 1 KE payload (doc/protocol.md §3.3).
 *
 * Groups by their IKE Group Description number (RFC 2409 App. A, §3.2):
 * MODP 14 (2048) and 15 (3072) from RFC 3526, ECP 19 (P-256) and 20
 * (P-384) from RFC 5903, and the legacy MODP 2 (1024, RFC 2409 §6.2) and
 * 5 (1536, RFC 3526 §2) that only exist when the caller says legacy.
 *
 * Public values are the KE payload body as it goes on the wire: MODP
 * big-endian left-padded to the prime length; ECP x | y, each padded to
 * the field size, without the 0x04 prefix.  The shared secret g^xy is
 * padded the same way (MODP) or the x coordinate alone (ECP).
 */
#ifndef GDOI_DH_H
#define GDOI_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IKE Group Description values, RFC 2409 App. A / RFC 3526 / RFC 5903 §5. */
#define DH_GROUP_MODP1024	2	/* legacy */
#define DH_GROUP_MODP1536	5	/* legacy */
#define DH_GROUP_MODP2048	14
#define DH_GROUP_MODP3072	15
#define DH_GROUP_ECP256		19
#define DH_GROUP_ECP384		20

#define DH_MAX_PUB	384	/* MODP 3072 */
#define DH_MAX_SECRET	384

struct dh;

/**
 * dh_group_supported - true when group is implemented and allowed: the
 * legacy groups 2 and 5 only with legacy set.
 */
bool dh_group_supported(unsigned group, bool legacy);
/** dh_pub_len - KE payload body length for group (0 if unknown). */
size_t dh_pub_len(unsigned group);
/** dh_secret_len - length of g^xy for group (0 if unknown). */
size_t dh_secret_len(unsigned group);
/** dh_group_name - "modp2048", "ecp256", ... for log lines. */
const char *dh_group_name(unsigned group);

/**
 * dh_modp_prime - the prime p of a MODP group, big-endian, into out
 * (cap octets); *len gets dh_pub_len(group).  -1 for an ECP group.
 */
int dh_modp_prime(unsigned group, uint8_t *out, size_t cap, size_t *len);

/** dh_new - a fresh key pair in group; NULL if unsupported (see above). */
struct dh *dh_new(unsigned group, bool legacy);
/**
 * dh_new_fixed - a key pair from a given private value (big-endian),
 * for known-answer tests such as RFC 5903 §8.  Any supported group,
 * legacy ones included.  NULL if the value is not a valid private key.
 */
struct dh *dh_new_fixed(unsigned group, const uint8_t *priv, size_t len);
/*
 * A responder's key pair may serve several exchanges that start close
 * together (RFC 7296 §2.12 allows reusing DH values; IKEv1 does not
 * forbid it): forward secrecy then covers the window, not each exchange.
 * The keys of each exchange still differ by its nonces (RFC 2409 §5).
 * doc/protocol.md §3.3 "Responder key pair reuse".
 */
#define DH_SHARED_MAX_USES	1024
/**
 * dh_shared - a responder key pair in group made at most window_ms ago
 * and handed out fewer than DH_SHARED_MAX_USES times, else a new one that
 * replaces it (the old one is wiped once its last holder frees it).
 * window_ms 0: a fresh pair, as dh_new.  Free with dh_free.
 */
struct dh *dh_shared(unsigned group, bool legacy, uint64_t now_ms,
		     uint64_t window_ms);
/** dh_pairs_made - key pairs dh_new (and so dh_shared) made so far. */
unsigned long dh_pairs_made(void);
/** dh_shared_flush - drop the shared pairs (wiped when no exchange holds
 * them), e.g. when the setting changes. */
void dh_shared_flush(void);
/** dh_free - free and wipe (a shared pair: one holder less); NULL is
 * fine. */
void dh_free(struct dh *d);

/** dh_group - the group number of d. */
unsigned dh_group(const struct dh *d);
/** dh_public - our public value as sent in KE, valid as long as d. */
const uint8_t *dh_public(const struct dh *d, size_t *len);

/**
 * dh_compute - the shared secret from the peer's KE body.  The peer value
 * must have exactly dh_pub_len() octets; MODP values <= 1 or >= p-1 and
 * ECP points not on the curve are refused.  secret has room for cap
 * octets (at least dh_secret_len()); *len gets the secret length.
 */
int dh_compute(struct dh *d, const uint8_t *peer, size_t peerlen,
	       uint8_t *secret, size_t cap, size_t *len);

#endif
