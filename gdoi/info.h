/*
 * info: Informational exchanges under an established Phase 1 SA
 * (doc/protocol.md §3.7, RFC 2409 §5.7): a Notify (an error, or an RFC 3706
 * DPD R-U-THERE / R-U-THERE-ACK with its sequence number) or a Delete of
 * the ISAKMP SA itself, each protected by HASH(1) = prf(SKEYID_a, M-ID |
 * N/D) and encrypted with a fresh Message ID.  Pure code.
 */
#ifndef GDOI_INFO_H
#define GDOI_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

struct p1_sa;

enum info_kind {
	INFO_NOTIFY,
	INFO_DELETE,		/* the peer deletes this ISAKMP SA */
};

struct info_msg {
	enum info_kind kind;
	uint16_t type;		/* notify type (INFO_NOTIFY) */
	bool has_seq;		/* a DPD sequence number came with it */
	uint32_t seq;
};

/* Notify type with optional data (DPD: the 4-octet sequence number). */
int info_notify(const struct p1_sa *p1, uint16_t type, const uint8_t *data,
		size_t len, struct buf_writer *out);
int info_dpd(const struct p1_sa *p1, bool ack, uint32_t seq,
	     struct buf_writer *out);
/* Delete of this ISAKMP SA (SPI = CKY-I | CKY-R). */
int info_delete(const struct p1_sa *p1, struct buf_writer *out);
/* Verify and read an Informational message; -1 if it is not a valid one
 * for this SA (bad hash, malformed, Delete of another SA). */
int info_decode(const struct p1_sa *p1, const uint8_t *in, size_t len,
		struct info_msg *m);

#endif
