/*
 * push_fixtures: KEKs, signing keys and rekey policies for the
 * GROUPKEY-PUSH suites (check_push.c, check_gm_rekey.c).
 *
 *   tq_kek(&k, 0x40, tq_key(0), PUSH_ACK_KEK_SHA256);
 *   tq_policy(&p, 0x11111111);          // one AES-CBC TEK, no KEK
 *   tq_build(&k, tq_key(0), 3, &p, NULL, 0, &w);
 */
#ifndef TESTS_PUSH_FIXTURES_H
#define TESTS_PUSH_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/policy.h"
#include "gdoi/push.h"
#include "gdoi/rsakey.h"

/* Two RSA-1024 key pairs made once per process: 0 is the KS's. */
const struct rsakey *tq_key(int i);
/* An AES-256 KEK with cookies seed, seed+1, ..., keys from seed, the
 * public key of key, and the ACK type ack. */
void tq_kek(struct gdoi_kek *k, uint8_t seed, const struct rsakey *key,
	    uint8_t ack);
/* A rekey policy: one AES-256-CBC/HMAC-SHA-256 TEK with SPI spi for
 * 10.1.1.0/24 -> 10.2.1.0/24, GAP 2 s / 10 s, no KEK, no SIDs. */
void tq_policy(struct gdoi_policy *p, uint32_t spi);
/* push_build() that must succeed. */
void tq_build(const struct gdoi_kek *kek, const struct rsakey *key,
	      uint32_t seq, const struct gdoi_policy *p,
	      const struct push_delete *del, size_t ndel,
	      struct buf_writer *out);
/*
 * The plaintext body of a PUSH (every octet after the header, padding
 * included) into plain; returns its length.  The reverse, tq_seal(),
 * encrypts a body of whole blocks behind hdr (Length set) into out.
 */
size_t tq_unseal(const struct gdoi_kek *kek, const uint8_t *in, size_t len,
		 uint8_t *plain);
void tq_seal(const struct gdoi_kek *kek, const uint8_t *hdr,
	     const uint8_t *plain, size_t plen, struct buf_writer *out);
/*
 * A PUSH made by hand: header for kek, the payload chain in chain
 * (first payload type first, the last one's Next Payload already SIG),
 * signed with key as RFC 6407 §4 says (independently of push.c) and
 * sealed.  sign 0: no SIG payload at all (the chain must end itself).
 */
void tq_craft(const struct gdoi_kek *kek, const struct rsakey *key,
	      uint8_t first, const uint8_t *chain, size_t clen, int sign,
	      struct buf_writer *out);

#endif
