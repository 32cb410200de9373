/*
 * ikecrypt: encryption of ISAKMP message bodies under a Phase 1 SA
 * (doc/protocol.md §3.6, §4.3; RFC 2408 §3.1, RFC 2409 App. B).
 *
 * Everything after the 28-octet header is CBC-encrypted with Ka; the
 * body is first padded with zero octets to the block size.  IVs chain:
 * the IV of a message is the last ciphertext block of the previous one
 * in the same exchange.  These functions never change IV state on their
 * own: they take the current IV and return the next one, and the caller
 * stores it only once the message is accepted (a dropped, forged or
 * duplicate datagram must not advance the chain).
 */
#ifndef GDOI_IKECRYPT_H
#define GDOI_IKECRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/crypto.h"

/* IV state of one exchange (one block: 16 for AES, 8 for 3DES). */
struct ike_iv {
	uint8_t iv[CRYPTO_MAX_BLOCK];
	size_t len;
};

/* The negotiated Phase 1 cipher and its key Ka. */
struct ike_cipher {
	enum crypto_cipher alg;
	uint8_t key[CRYPTO_MAX_KEY];
	size_t keylen;
};

/** ikecrypt_block - block size of c's cipher. */
size_t ikecrypt_block(const struct ike_cipher *c);
/** ikecrypt_padded_len - length of a len-octet message once encrypted. */
size_t ikecrypt_padded_len(const struct ike_cipher *c, size_t len);

/**
 * ikecrypt_encrypt - msg (len octets: header and cleartext payload chain)
 * -> out (cap octets, at least ikecrypt_padded_len()): the header with
 * the E flag set and Length = 28 + ciphertext, then the padded body
 * encrypted with IV iv.  *next gets the last ciphertext block.  out may
 * equal msg when cap allows.  -1 if the body is empty or on a mismatch
 * between iv and the cipher.
 */
int ikecrypt_encrypt(const struct ike_cipher *c, const struct ike_iv *iv,
		     struct ike_iv *next, const uint8_t *msg, size_t len,
		     uint8_t *out, size_t cap, size_t *outlen);
/**
 * ikecrypt_encrypt_buf - the same in place on a writer holding exactly
 * one message; pads it and patches the header.  -1 leaves w failed.
 */
int ikecrypt_encrypt_buf(const struct ike_cipher *c, const struct ike_iv *iv,
			 struct ike_iv *next, struct buf_writer *w);
/**
 * ikecrypt_decrypt - msg (a received datagram of len octets whose header
 * has the E flag and Length == len) -> out (cap >= len octets): header
 * copied, body decrypted, padding left in place (the payload chain says
 * where it ends).  *next gets the last ciphertext block.  -1 with a debug
 * line if the body is not a non-zero multiple of the block size.  out
 * may equal msg.
 */
int ikecrypt_decrypt(const struct ike_cipher *c, const struct ike_iv *iv,
		     struct ike_iv *next, const uint8_t *msg, size_t len,
		     uint8_t *out, size_t cap, size_t *outlen);

/** ikecrypt_cipher_wipe - clear the key. */
void ikecrypt_cipher_wipe(struct ike_cipher *c);

#endif
