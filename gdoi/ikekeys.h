/*
 * ikekeys: IKEv1 key derivation and authentication hashes for GDOI
 * (doc/protocol.md §3.3-§3.7, §4.2-§4.3; RFC 2409 §5, App. B).
 *
 *   SKEYID   = prf(PSK, Ni_b | Nr_b)               pre-shared key
 *            = prf(Ni_b | Nr_b, g^xy)              signatures
 *   SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *   SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *   SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 *   Ka       = SKEYID_e expanded to the key length (App. B)
 *   IV (msg 5)     = H(g^xi | g^xr), IV (exchange M) = H(P1_last | M)
 *   HASH_I / HASH_R, HASH(n) = prf(SKEYID_a, M-ID | ...)
 */
#ifndef GDOI_IKEKEYS_H
#define GDOI_IKEKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "gdoi/crypto.h"
#include "gdoi/ikecrypt.h"

/* The SKEYID family of one Phase 1 SA; every member is len octets. */
struct ikekeys {
	enum crypto_hash hash;
	size_t len;		/* prf output length */
	uint8_t skeyid[CRYPTO_MAX_HASH];
	uint8_t skeyid_d[CRYPTO_MAX_HASH];
	uint8_t skeyid_a[CRYPTO_MAX_HASH];
	uint8_t skeyid_e[CRYPTO_MAX_HASH];
};

/**
 * ikekeys_skeyid_psk - SKEYID for pre-shared keys: prf(psk, Ni_b | Nr_b).
 * Sets k->hash and k->len.
 */
int ikekeys_skeyid_psk(struct ikekeys *k, enum crypto_hash h,
		       const uint8_t *psk, size_t psklen, const uint8_t *ni,
		       size_t nilen, const uint8_t *nr, size_t nrlen);
/** ikekeys_skeyid_sig - SKEYID for signatures: prf(Ni_b | Nr_b, g^xy). */
int ikekeys_skeyid_sig(struct ikekeys *k, enum crypto_hash h,
		       const uint8_t *ni, size_t nilen, const uint8_t *nr,
		       size_t nrlen, const uint8_t *gxy, size_t gxylen);
/**
 * ikekeys_derive - SKEYID_d, _a and _e from k->skeyid, g^xy and the
 * cookies (ISAKMP_COOKIE_LEN octets each).
 */
int ikekeys_derive(struct ikekeys *k, const uint8_t *gxy, size_t gxylen,
		   const uint8_t *cky_i, const uint8_t *cky_r);
/**
 * ikekeys_enc_key - Ka: the first keylen octets of SKEYID_e, or of
 * K1 | K2 | ... with K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) when
 * SKEYID_e is shorter (RFC 2409 App. B).  keylen <= CRYPTO_MAX_KEY.
 */
int ikekeys_enc_key(const struct ikekeys *k, size_t keylen, uint8_t *ka);
/** ikekeys_wipe - clear every key. */
void ikekeys_wipe(struct ikekeys *k);

/**
 * ikekeys_p1_iv - the IV of Main Mode message 5: H(g^xi | g^xr) cut to
 * block octets (the plain hash of the negotiated hash algorithm).
 */
int ikekeys_p1_iv(enum crypto_hash h, const uint8_t *gxi, size_t gxilen,
		  const uint8_t *gxr, size_t gxrlen, size_t block,
		  struct ike_iv *iv);
/**
 * ikekeys_exch_iv - the IV of the first message of a later exchange
 * (Informational, GROUPKEY-PULL) with Message ID mid: H(P1_last | mid)
 * cut to the block size, where P1_last is the last ciphertext block of
 * Main Mode message 6.
 */
int ikekeys_exch_iv(enum crypto_hash h, const struct ike_iv *p1_last,
		    uint32_t mid, struct ike_iv *iv);

/* Inputs of HASH_I / HASH_R (RFC 2409 §5; doc/protocol.md §3.5). */
struct ikekeys_auth {
	const uint8_t *gxi, *gxr;	/* KE bodies as sent */
	size_t gxi_len, gxr_len;
	const uint8_t *cky_i, *cky_r;	/* ISAKMP_COOKIE_LEN octets */
	const uint8_t *sai_b;		/* initiator's msg 1 SA body */
	size_t sai_len;
	const uint8_t *id_b;		/* IDii_b (HASH_I), IDir_b (R) */
	size_t id_len;
};

/**
 * ikekeys_hash_i - prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 */
int ikekeys_hash_i(const struct ikekeys *k, const struct ikekeys_auth *in,
		   uint8_t *out);
/**
 * ikekeys_hash_r - prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 */
int ikekeys_hash_r(const struct ikekeys *k, const struct ikekeys_auth *in,
		   uint8_t *out);

/**
 * ikekeys_hash_n - prf(SKEYID_a, M-ID | piece[0] | ... | piece[n-1]),
 * M-ID as 4 octets big-endian: GROUPKEY-PULL HASH(1..4) (doc/protocol.md
 * §4.2), the COOP hash and the Informational HASH(1).  k->len octets
 * go to out.
 */
int ikekeys_hash_n(const struct ikekeys *k, uint32_t mid,
		   const struct crypto_iov *piece, size_t n, uint8_t *out);
/**
 * ikekeys_info_hash - Informational HASH(1) = prf(SKEYID_a, M-ID | N/D)
 * over the Notify/Delete payloads with their generic headers (§3.7).
 */
int ikekeys_info_hash(const struct ikekeys *k, uint32_t mid,
		      const uint8_t *payloads, size_t len, uint8_t *out);

#endif
