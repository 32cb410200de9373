/*
 * coop_sa: a COOP message under the Phase 1 SA of two key servers
 * (doc/coop.md "Wire format"), an exchange of one message framed as RFC
 * 2409 §5.7 frames an Informational one:
 *
 *   HDR* (the SA's cookies, exchange 240, flags E, a fresh M-ID),
 *   HASH(1) = prf(SKEYID_a, M-ID | COOP | SIG), COOP, SIG
 *
 * encrypted with the SA's key and the IV H(P1_last | M-ID).  The COOP and
 * SIG payloads are gdoi/coop.h's chain, passed through untouched.  Pure.
 */
#ifndef GDOI_COOP_SA_H
#define GDOI_COOP_SA_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"

struct p1_sa;

enum coop_sa_err {
	COOP_SA_OK = 0,
	COOP_SA_MALFORMED,	/* header, decryption or chain refused */
	COOP_SA_HASH,		/* HASH(1) does not verify */
};

/* The datagram carrying chain under p1 (established) into out (reset
 * first).  0, or -1 with out empty. */
int coop_sa_seal(const struct p1_sa *p1, const uint8_t *chain, size_t len,
		 struct buf_writer *out);
/* Check and decrypt a datagram under p1; the chain after HASH(1) is
 * appended to chain (reset first; wipe it after use). */
enum coop_sa_err coop_sa_open(const struct p1_sa *p1, const uint8_t *in,
			      size_t len, struct buf_writer *chain);
const char *coop_sa_err_name(enum coop_sa_err e);

#endif
