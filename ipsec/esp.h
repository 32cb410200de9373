/*
 * esp: pure ESP encapsulation and decapsulation for GET VPN group SAs
 * (RFC 4303 tunnel mode with IPv4 address preservation, doc/protocol.md §7;
 * RFC 4106 AES-GCM-16, RFC 4543 AES-GMAC, RFC 3602 AES-CBC with RFC
 * 2404 / 4868 HMAC; RFC 6054 sender IDs, §6; our time-based anti-replay
 * stamp, §8.3).  No I/O and no clock: the pseudotime comes in as an
 * argument.
 *
 * One struct esp_sa is one group SA in one direction, made from the
 * plain struct ipsec_sa the engines hand to backends.  It keeps its
 * OpenSSL contexts keyed ("warm") so a packet costs no allocation, and,
 * for outbound SAs, this sender's state: the 32-bit ESP sequence counter
 * and the RFC 6054 IV counter under this member's sender ID.
 *
 * Encapsulated packet (IV 8 octets for GCM/GMAC, 16 for CBC; the TBAR
 * header only on SAs with time-based anti-replay):
 *
 *   outer IPv4 (20) | SPI | Seq | IV | [TBAR (12)] inner | pad | PL | NH | ICV
 *
 * Buffer rules.
 *  - esp_encap: out receives the whole outer packet.  inner may lie
 *    anywhere, inside out or not; to encrypt without a copy, read the
 *    cleartext packet to out + esp_headroom(sa).  cap must be at least
 *    esp_encap_len(sa, len).
 *  - esp_decap: out receives the inner packet.  Either out == pkt (the
 *    packet is decrypted where it lies and the inner packet moved to
 *    its start; cap is then the size of that buffer, at least len), or
 *    out does not overlap pkt and cap is at least the ESP payload
 *    length (len minus headers, IV and ICV suffice).  After a drop the
 *    contents of out, and with out == pkt of the packet, are undefined
 *    (never unauthenticated plaintext: such bytes are wiped).
 */
#ifndef IPSEC_ESP_H
#define IPSEC_ESP_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec/ipsec.h"

struct replay_state;
struct esp_sa;

/* RFC 4106 §3.1 / RFC 4543 §3.1: explicit IV, salt and ICV sizes. */
#define ESP_GCM_IV_LEN 8
#define ESP_GCM_SALT_LEN 4
#define ESP_GCM_ICV_LEN 16
/* RFC 3602 §3: the CBC IV is one AES block. */
#define ESP_CBC_IV_LEN 16
/* doc/protocol.md §8.3 [D]: time-based anti-replay header inside the payload. */
#define ESP_TBAR_HDR_LEN 12

/* Why esp_decap refused a packet; index of the per-SA drop counters. */
enum esp_drop {
	ESP_OK,
	ESP_DROP_MALFORMED,	/* bad outer/inner IPv4 or ESP lengths */
	ESP_DROP_SPI,		/* not this SA's SPI (or not an inbound SA) */
	ESP_DROP_AUTH,		/* ICV / AEAD tag did not verify */
	ESP_DROP_PAD,		/* padding octets or pad length lie */
	ESP_DROP_REPLAY,	/* TBAR outside the window, or counter replay */
	ESP_DROP_POLICY,	/* inner addresses differ from the outer ones */
	ESP_DROP_FRAGMENT,	/* outer packet is an IP fragment */
	ESP_DROP_TOO_BIG,	/* inner packet does not fit the output buffer */
	ESP_DROP_NEXT_HEADER,	/* payload is not IPv4 (incl. RFC 4303 dummy) */
	ESP_DROP_ECN,		/* RFC 6040: CE outside, Not-ECT inside */
	ESP_DROP_COUNT
};

/* esp_encap results other than 0. */
enum esp_encap_err {
	ESP_ENCAP_EINVAL = -1,	/* not an IPv4 packet we carry; SA unusable */
	ESP_ENCAP_EXHAUSTED = -2,	/* IV counter (or counter-replay seq) used up */
	ESP_ENCAP_TOO_BIG = -3,	/* result exceeds cap or 65535 octets */
};

/** esp_drop_name - short name of a drop reason, for counters and logs. */
const char *esp_drop_name(enum esp_drop why);

/**
 * esp_sa_new - contexts and sender state for sa (copied; the caller may
 * wipe its copy afterwards).  Supported: AES-GCM-16 and AES-GMAC with
 * key | 4-octet salt (16/24/32 + 4), and AES-CBC (16/24/32) with
 * HMAC-SHA1-96, -SHA-256-128, -SHA-384-192 or -SHA-512-256.  Outbound
 * counter-mode SAs need a sender ID (sid_bits 1..32, sid < 2^sid_bits,
 * RFC 6054).  Time-based anti-replay needs replay_window > 0 (seconds).
 * NULL, with a debug line saying why, for anything else.
 */
struct esp_sa *esp_sa_new(const struct ipsec_sa *sa);
/** esp_sa_free - release contexts; key material is wiped.  NULL is ok. */
void esp_sa_free(struct esp_sa *sa);

/**
 * esp_sa_set_counters - the last sequence number and IV counter sent:
 * the next packet carries seq + 1 and counter + 1.  For resuming a
 * sender and for tests.  -1 on an inbound SA, or if iv_counter is beyond
 * the 64 - sid_bits counter space (CBC SAs ignore iv_counter).
 */
int esp_sa_set_counters(struct esp_sa *sa, uint32_t seq, uint64_t iv_counter);

/** esp_headroom - offset of the inner packet inside the output. */
size_t esp_headroom(const struct esp_sa *sa);
/** esp_encap_len - size of the encapsulated packet for an inner of len. */
size_t esp_encap_len(const struct esp_sa *sa, size_t len);

/**
 * esp_encap - encapsulate the IPv4 packet inner (len octets) into out.
 * pseudotime_ms is this member's pseudotime, stamped when the SA has
 * time-based anti-replay.  CBC IVs come from the OpenSSL RNG; GCM/GMAC
 * IVs are SID | counter.  Returns 0 (and *outlen), or an enum
 * esp_encap_err: ESP_ENCAP_EXHAUSTED means this SA must not send again.
 */
int esp_encap(struct esp_sa *sa, const uint8_t *inner, size_t len,
	      uint64_t pseudotime_ms, uint8_t *out, size_t cap,
	      size_t *outlen);
/**
 * esp_encap_iv - esp_encap with a caller-chosen CBC IV (ESP_CBC_IV_LEN
 * octets), for known-answer tests.  Counter-mode SAs refuse a non-NULL
 * cbc_iv: their IV must come from the counter.
 */
int esp_encap_iv(struct esp_sa *sa, const uint8_t *inner, size_t len,
		 uint64_t pseudotime_ms, const uint8_t *cbc_iv, uint8_t *out,
		 size_t cap, size_t *outlen);

/**
 * esp_decap - verify and decapsulate the outer IPv4 packet pkt (len
 * octets) into the inner packet at out.  now_pseudotime_ms is the
 * receiver's pseudotime (time-based anti-replay SAs).  rs is the counter
 * window for SAs with counter anti-replay (NULL otherwise; required
 * then), updated only when the packet is accepted.  0 with *why =
 * ESP_OK, or -1 with the reason in *why (why may be NULL).
 */
int esp_decap(struct esp_sa *sa, const uint8_t *pkt, size_t len,
	      uint64_t now_pseudotime_ms, struct replay_state *rs,
	      uint8_t *out, size_t cap, size_t *outlen, enum esp_drop *why);

/**
 * esp_aead_seal / esp_aead_open - the RFC 4106 / 4543 AEAD step on the
 * SA's warm context: nonce = salt | iv, aad authenticated, len octets
 * encrypted in place (seal) or from in to out (open; out == in allowed),
 * 16-octet tag.  GMAC is the same step with everything in aad and len 0.
 * esp_encap/esp_decap use exactly these; they are public so the GCM
 * known-answer vectors can drive the EVP path directly.  seal needs an
 * outbound SA, open an inbound one; open returns -1 if the tag is bad.
 */
int esp_aead_seal(struct esp_sa *sa, const uint8_t iv[ESP_GCM_IV_LEN],
		  const uint8_t *aad, size_t aadlen, uint8_t *buf, size_t len,
		  uint8_t tag[ESP_GCM_ICV_LEN]);
int esp_aead_open(struct esp_sa *sa, const uint8_t iv[ESP_GCM_IV_LEN],
		  const uint8_t *aad, size_t aadlen, const uint8_t *in,
		  uint8_t *out, size_t len, const uint8_t tag[ESP_GCM_ICV_LEN]);

#endif
