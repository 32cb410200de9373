/*
 * phase1_auth: Main Mode messages 5 and 6, the encrypted and
 * authenticated half of the exchange (doc/protocol.md §3.1, §3.5, §3.6).
 * Internal to gdoi/phase1*.c.
 */
#ifndef GDOI_PHASE1_AUTH_H
#define GDOI_PHASE1_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/isakmp.h"
#include "gdoi/phase1.h"

/**
 * p1_auth_build - message 5 (initiator) or 6 (responder): ID and HASH,
 * or ID, [CERT] and SIG, encrypted with the current IV.  Moves the IV
 * chain on: after msg 5 sa->iv is its last block, after msg 6 that
 * block is P1_last.
 */
int p1_auth_build(struct p1_sa *sa, struct buf_writer *out);
/** p1_msg5_process - responder: check msg 5, answer with msg 6. */
enum p1_result p1_msg5_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);
/** p1_msg6_process - initiator: check msg 6; the SA is up. */
enum p1_result p1_msg6_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);

#endif
