/*
 * push_int: what the builder (push.c), the member's opener (push_rx.c)
 * and the acknowledgement (push_ack.c) share.  Not for use outside
 * gdoi/push*.c.
 */
#ifndef GDOI_PUSH_INT_H
#define GDOI_PUSH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/crypto.h"
#include "gdoi/isakmp.h"
#include "gdoi/policy.h"
#include "gdoi/rsakey.h"

/* RFC 6407 §4: the string the signed data starts with (no NUL). */
#define PUSH_SIG_LABEL "rekey"
#define PUSH_SIG_LABEL_LEN 5

/* The KEK's CBC cipher, key length and IV length: -1 if unusable. */
int push_kek_cipher(const struct gdoi_kek *k, enum crypto_cipher *c);
/* SIG_HASH_ALGORITHM -> the digest the signature uses: -1 if unknown. */
int push_sig_md(uint8_t sig_hash, enum rsakey_md *md);
/* The 16 cookie octets of a header. */
void push_hdr_spi(const struct isakmp_hdr *h, uint8_t *spi);
/*
 * "rekey" | hdr (28 octets, Length replaced by len_field) | rest, in
 * one malloc'd buffer of *out_len octets (the caller wipes and frees it:
 * rest holds keys).  NULL on allocation failure.
 */
uint8_t *push_signed_data(const uint8_t *hdr, uint32_t len_field,
			  const uint8_t *rest, size_t rest_len,
			  size_t *out_len);

#endif
