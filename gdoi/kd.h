/*
 * kd: the Key Download payload (RFC 6407 §5.5, doc/protocol.md §4.9) with
 * TEK, KEK and SID key packets, and the SEQ payload (RFC 6407 §5.6,
 * doc/protocol.md §4.10).
 *
 * A decoded struct gdoi_kd holds copies of key material; release it
 * with gdoi_kd_free(), which wipes it.  Never log its contents.
 */
#ifndef GDOI_KD_H
#define GDOI_KD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/isakmp.h"

/* RFC 6407 §5.5: KD Type */
#define GDOI_KD_TEK		1
#define GDOI_KD_KEK		2
#define GDOI_KD_LKH		3	/* not supported */
#define GDOI_KD_SID		4

/* RFC 6407 §5.5.1: TEK key packet attributes */
#define GDOI_ATTR_TEK_ALGORITHM_KEY	1
#define GDOI_ATTR_TEK_INTEGRITY_KEY	2
#define GDOI_ATTR_TEK_SOURCE_AUTH_KEY	3	/* ignored */
/* RFC 6407 §5.5.2: KEK key packet attributes */
#define GDOI_ATTR_KEK_ALGORITHM_KEY	1
#define GDOI_ATTR_SIG_ALGORITHM_KEY	2
/* RFC 6407 §5.5.4: SID key packet attributes */
#define GDOI_ATTR_NUMBER_OF_SID_BITS	1	/* TV */
#define GDOI_ATTR_SID_VALUE		2	/* TLV */

#define GDOI_TEK_SPI_LEN	4
#define GDOI_KD_KEY_MAX		64	/* longest TEK/KEK key field */
#define GDOI_KD_SIGKEY_MAX	1024	/* DER SPKI, RSA-4096 is 550 */
#define GDOI_KD_MAX_TEK		64
#define GDOI_KD_MAX_SID		64
#define GDOI_SID_BITS_MAX	32	/* SID_VALUE is 4 octets on emit */

struct gdoi_kd_tek {
	uint32_t spi;
	/* cipher key; AES-GCM/GMAC/CTR: key | 4-octet salt */
	uint8_t alg_key[GDOI_KD_KEY_MAX];
	size_t alg_key_len;
	uint8_t int_key[GDOI_KD_KEY_MAX];	/* HMAC key, 0 octets for AEAD */
	size_t int_key_len;
};

struct gdoi_kd_kek {
	uint8_t spi[ISAKMP_SPI_LEN];
	/* KEK_ALGORITHM_KEY = IV (cipher block) | key; see gdoi_kd_kek_split */
	uint8_t alg_key[GDOI_KD_KEY_MAX];
	size_t alg_key_len;
	/* SIG_ALGORITHM_KEY: DER SubjectPublicKeyInfo, 0 octets if absent */
	uint8_t sig_key[GDOI_KD_SIGKEY_MAX];
	size_t sig_key_len;
};

struct gdoi_kd_sid {
	uint8_t nbits;		/* NUMBER_OF_SID_BITS */
	size_t nsid;
	uint32_t sid[GDOI_KD_MAX_SID];
};

struct gdoi_kd {
	size_t ntek;
	struct gdoi_kd_tek tek[GDOI_KD_MAX_TEK];
	bool has_kek;
	struct gdoi_kd_kek kek;
	bool has_sid;
	struct gdoi_kd_sid sid;
};

/**
 * gdoi_kd_put - a KD payload: TEK packets in order, then the KEK packet,
 * then the SID packet (SID_VALUE as 4 octets big-endian, [D] §4.9).
 * -1 if kd holds no packet or a key does not fit.
 */
int gdoi_kd_put(struct isakmp_builder *b, const struct gdoi_kd *kd);
/**
 * gdoi_kd_put_packets - the key packets of kd alone (no KD header), in
 * gdoi_kd_put's order, appended to w; the number of packets, or -1.
 * gdoi_kd_sid_put - one SID packet.  For callers that assemble a KD
 * payload from packets encoded earlier (policy_codec_keys_put).
 */
int gdoi_kd_put_packets(struct buf_writer *w, const struct gdoi_kd *kd);
int gdoi_kd_sid_put(struct buf_writer *w, const struct gdoi_kd_sid *sid);
/**
 * gdoi_kd_decode - a KD body into kd (wiped first).  -1 (kd wiped) if the
 * Number of Key Packets disagrees with the packets present, a packet or
 * attribute is malformed, a required key attribute is missing, a KD type
 * is LKH/unknown or repeated where only one is allowed (KEK, SID), or a
 * SID value does not fit NUMBER_OF_SID_BITS.  Unknown attributes inside
 * a packet are skipped.
 */
int gdoi_kd_decode(const uint8_t *body, size_t len, struct gdoi_kd *kd);
/** gdoi_kd_free - wipe every key in kd (no heap is held). */
void gdoi_kd_free(struct gdoi_kd *kd);
/** gdoi_kd_find_tek - the TEK packet for spi, or NULL. */
const struct gdoi_kd_tek *gdoi_kd_find_tek(const struct gdoi_kd *kd,
					   uint32_t spi);
/**
 * gdoi_kd_kek_split - IV and key out of KEK_ALGORITHM_KEY for a cipher
 * with block size ivlen (doc/protocol.md §4.9: the IV is prepended).  -1 if
 * the attribute is not ivlen + keylen octets.
 */
int gdoi_kd_kek_split(const struct gdoi_kd_kek *kek, size_t ivlen,
		      size_t keylen, const uint8_t **iv, const uint8_t **key);

/** gdoi_seq_put / gdoi_seq_decode - SEQ: a 4-octet sequence number. */
int gdoi_seq_put(struct isakmp_builder *b, uint32_t seq);
int gdoi_seq_decode(const uint8_t *body, size_t len, uint32_t *seq);

#endif
