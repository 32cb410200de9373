/*
 * pull_msg: framing of the exchanges that run under an established
 * Phase 1 SA and open with HASH(n) = prf(SKEYID_a, M-ID | ...): the
 * GROUPKEY-PULL messages and the protected Informational (doc/protocol.md
 * §3.6, §3.7, §4.1-§4.3; RFC 2409 §5.5, §5.7, App. B).
 *
 *   HDR* (cookies of the Phase 1 SA, exchange, E, M-ID), HASH, payloads
 *
 * Building: pull_msg_begin() writes the header and a HASH payload of
 * the prf length; the caller adds payloads through o.b; pull_msg_finish()
 * computes the hash over M-ID | prefix pieces | every octet after the
 * HASH payload, and encrypts.  Receiving: pull_msg_open() checks the
 * header, decrypts into a private copy and parses the chain;
 * pull_msg_match() checks the payload table; pull_msg_verify() checks
 * the hash.  Nothing here keeps state between messages: IVs come in and
 * the next one goes out (ikecrypt.h).
 */
#ifndef GDOI_PULL_MSG_H
#define GDOI_PULL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/crypto.h"
#include "gdoi/ikecrypt.h"
#include "gdoi/ikekeys.h"
#include "gdoi/isakmp.h"

struct p1_sa;

/* What a protected exchange uses of its Phase 1 SA (borrowed). */
struct pull_p1 {
	const struct ikekeys *keys;	/* SKEYID_a and the prf hash */
	const struct ike_cipher *cipher;	/* Ka */
	const struct ike_iv *p1_last;	/* last block of Main Mode msg 6 */
	const uint8_t *icookie, *rcookie;
};

/** pull_p1_view - fill v from sa; -1 unless sa is established. */
int pull_p1_view(const struct p1_sa *sa, struct pull_p1 *v);

/** pull_msg_new_mid - a random non-zero Message ID for a new exchange. */
int pull_msg_new_mid(uint32_t *mid);

/* A message being built into a caller's writer. */
struct pull_msg_out {
	struct buf_writer *w;
	struct isakmp_builder b;	/* add the payloads after HASH here */
	size_t hoff;			/* header */
	size_t hash_off;		/* HASH payload body */
	size_t rest_off;		/* first octet after the HASH payload */
	uint32_t mid;
};

/**
 * pull_msg_begin - reset w, write the header (exchange exch, Message ID
 * mid) and an empty HASH payload.
 */
int pull_msg_begin(struct pull_msg_out *o, const struct pull_p1 *p1,
		   uint8_t exch, uint32_t mid, struct buf_writer *w);
/**
 * pull_msg_finish - HASH = prf(SKEYID_a, M-ID | pre[0] | ... | rest),
 * header Length, then encryption with iv, or with H(P1_last | M-ID) when
 * iv is NULL (the first message of an exchange).  *next gets the last
 * ciphertext block.  On -1 the writer is marked failed.
 */
int pull_msg_finish(struct pull_msg_out *o, const struct pull_p1 *p1,
		    const struct crypto_iov *pre, size_t npre,
		    const struct ike_iv *iv, struct ike_iv *next);

/**
 * pull_msg_single - out (reset first) gets a whole exchange of one
 * message under p1 (an Informational, a COOP message): HDR*(exch, a
 * fresh M-ID), HASH(1), then what put() adds, hashed and encrypted with
 * the IV of the M-ID.  0, or -1 with out empty.
 */
int pull_msg_single(const struct p1_sa *p1, uint8_t exch,
		    int (*put)(struct isakmp_builder *b, const void *arg),
		    const void *arg, struct buf_writer *out);

/* A received message, decrypted into a private (wiped) copy. */
struct pull_msg_in {
	struct isakmp_hdr hdr;
	uint8_t *buf;
	size_t len;
	struct isakmp_chain chain;	/* chain.pl[0] is the HASH payload */
	struct ike_iv next;		/* its last ciphertext block */
};

/**
 * pull_msg_open - accept a datagram of exchange exch under p1: header
 * checks (doc/protocol.md §2.1; Flags exactly E, the SA's cookies, non-zero
 * M-ID, HASH first), decryption with iv (NULL: the first message, IV
 * from its M-ID), a well-formed chain whose HASH has the prf length.
 * -1 with a debug line otherwise; m then holds nothing to close.
 */
int pull_msg_open(struct pull_msg_in *m, const struct pull_p1 *p1,
		  uint8_t exch, const uint8_t *in, size_t len,
		  const struct ike_iv *iv);
/** pull_msg_verify - 0 when HASH = prf(SKEYID_a, M-ID | pre | rest). */
int pull_msg_verify(const struct pull_msg_in *m, const struct pull_p1 *p1,
		    const struct crypto_iov *pre, size_t npre);
/** pull_msg_close - wipe and release the decrypted copy. */
void pull_msg_close(struct pull_msg_in *m);

/**
 * pull_msg_match - true when the payloads after HASH are what spec allows
 * (gdoi/isakmp.h; RFC 3547 KE/CERT/POP are in no spec, so refused,
 * doc/protocol.md §4.1).
 */
bool pull_msg_match(const struct pull_msg_in *m,
		    const struct isakmp_spec *s);
/** pull_msg_find - the payload of type after HASH, or NULL. */
const struct isakmp_payload *pull_msg_find(const struct pull_msg_in *m,
					   uint8_t type);

/* The last request a side accepted and the reply it sent (heap copies). */
struct pull_stored {
	uint8_t *req;
	size_t req_len;
	uint8_t *reply;
	size_t reply_len;
};

/**
 * pull_stored_set - remember req (NULL for none) and the reply in w.
 * On -1 the previous contents are kept.
 */
int pull_stored_set(struct pull_stored *s, const uint8_t *req, size_t len,
		    const struct buf_writer *w);
/** pull_stored_is_dup - true when in is the stored request, octet for octet. */
bool pull_stored_is_dup(const struct pull_stored *s, const uint8_t *in,
			size_t len);
/** pull_stored_resend - the stored reply into out (reset first). */
int pull_stored_resend(const struct pull_stored *s, struct buf_writer *out);
void pull_stored_free(struct pull_stored *s);

#endif
