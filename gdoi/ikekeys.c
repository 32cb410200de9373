/*
 * ikekeys: the RFC 2409 §5 key schedule, App. B key expansion, the IV
 * rules of RFC 2409 App. B / doc/protocol.md §3.6 and §4.3, and the hashes
 * that authenticate Main Mode (HASH_I/HASH_R, §3.5), the Informational
 * exchange (§3.7) and GROUPKEY-PULL (HASH(n), RFC 6407 §3.2, §4.2).
 *
 * Every formula is a prf over a concatenation; the pieces are passed as
 * byte ranges so that no temporary buffer ever holds g^xy or a key.
 */
#include "gdoi/ikekeys.h"

#include <stdbool.h>
#include <string.h>

#include "gdoi/isakmp.h"
#include "platform/be.h"
#include "platform/log.h"

/* RFC 2409 §5: the octet appended to derive SKEYID_d, _a and _e. */
#define IKEKEYS_SUFFIX_D 0x00
#define IKEKEYS_SUFFIX_A 0x01
#define IKEKEYS_SUFFIX_E 0x02

static int
keys_init(struct ikekeys *k, enum crypto_hash h)
{
	memset(k, 0, sizeof(*k));
	k->hash = h;
	k->len = crypto_hash_len(h);
	return k->len ? 0 : -1;
}

int
ikekeys_skeyid_psk(struct ikekeys *k, enum crypto_hash h, const uint8_t *psk,
		   size_t psklen, const uint8_t *ni, size_t nilen,
		   const uint8_t *nr, size_t nrlen)
{
	struct crypto_iov iov[2] = { { ni, nilen }, { nr, nrlen } };

	if (keys_init(k, h) != 0)
		return -1;
	return crypto_prf_v(h, psk, psklen, iov, 2, k->skeyid);
}

int
ikekeys_skeyid_sig(struct ikekeys *k, enum crypto_hash h, const uint8_t *ni,
		   size_t nilen, const uint8_t *nr, size_t nrlen,
		   const uint8_t *gxy, size_t gxylen)
{
	/* The key is Ni_b | Nr_b; nonces are at most a few hundred octets. */
	uint8_t key[2 * 256];
	int rc;

	if (keys_init(k, h) != 0 || nilen > 256 || nrlen > 256)
		return -1;
	memcpy(key, ni, nilen);
	memcpy(key + nilen, nr, nrlen);
	rc = crypto_prf(h, key, nilen + nrlen, gxy, gxylen, k->skeyid);
	crypto_wipe(key, sizeof(key));
	return rc;
}

/* out = prf(SKEYID, prev | g^xy | CKY-I | CKY-R | suffix) */
static int
derive_one(const struct ikekeys *k, const uint8_t *prev, size_t prevlen,
	   const uint8_t *gxy, size_t gxylen, const uint8_t *cky_i,
	   const uint8_t *cky_r, uint8_t suffix, uint8_t *out)
{
	struct crypto_iov iov[5] = {
		{ prev, prevlen },
		{ gxy, gxylen },
		{ cky_i, ISAKMP_COOKIE_LEN },
		{ cky_r, ISAKMP_COOKIE_LEN },
		{ &suffix, 1 },
	};

	return crypto_prf_v(k->hash, k->skeyid, k->len, iov, 5, out);
}

int
ikekeys_derive(struct ikekeys *k, const uint8_t *gxy, size_t gxylen,
	       const uint8_t *cky_i, const uint8_t *cky_r)
{
	if (derive_one(k, NULL, 0, gxy, gxylen, cky_i, cky_r,
		       IKEKEYS_SUFFIX_D, k->skeyid_d) != 0 ||
	    derive_one(k, k->skeyid_d, k->len, gxy, gxylen, cky_i, cky_r,
		       IKEKEYS_SUFFIX_A, k->skeyid_a) != 0 ||
	    derive_one(k, k->skeyid_a, k->len, gxy, gxylen, cky_i, cky_r,
		       IKEKEYS_SUFFIX_E, k->skeyid_e) != 0)
		return -1;
	return 0;
}

int
ikekeys_enc_key(const struct ikekeys *k, size_t keylen, uint8_t *ka)
{
	uint8_t kn[CRYPTO_MAX_HASH];
	uint8_t zero = 0;
	size_t off = 0, take;
	int rc = -1;

	if (keylen == 0 || keylen > CRYPTO_MAX_KEY || k->len == 0)
		return -1;
	if (k->len >= keylen) {
		memcpy(ka, k->skeyid_e, keylen);
		return 0;
	}
	/* K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) */
	if (crypto_prf(k->hash, k->skeyid_e, k->len, &zero, 1, kn) != 0)
		goto out;
	for (;;) {
		take = keylen - off < k->len ? keylen - off : k->len;
		memcpy(ka + off, kn, take);
		off += take;
		if (off == keylen)
			break;
		if (crypto_prf(k->hash, k->skeyid_e, k->len, kn, k->len,
			       kn) != 0)
			goto out;
	}
	rc = 0;
out:
	crypto_wipe(kn, sizeof(kn));
	return rc;
}

void
ikekeys_wipe(struct ikekeys *k)
{
	crypto_wipe(k, sizeof(*k));
}

/* iv = H(iov...) cut to block octets. */
static int
iv_hash(enum crypto_hash h, const struct crypto_iov *iov, size_t n,
	size_t block, struct ike_iv *iv)
{
	uint8_t md[CRYPTO_MAX_HASH];

	if (block == 0 || block > sizeof(iv->iv) ||
	    block > crypto_hash_len(h) || crypto_hash_v(h, iov, n, md) != 0)
		return -1;
	memcpy(iv->iv, md, block);
	iv->len = block;
	return 0;
}

int
ikekeys_p1_iv(enum crypto_hash h, const uint8_t *gxi, size_t gxilen,
	      const uint8_t *gxr, size_t gxrlen, size_t block,
	      struct ike_iv *iv)
{
	struct crypto_iov iov[2] = { { gxi, gxilen }, { gxr, gxrlen } };

	return iv_hash(h, iov, 2, block, iv);
}

int
ikekeys_exch_iv(enum crypto_hash h, const struct ike_iv *p1_last,
		uint32_t mid, struct ike_iv *iv)
{
	uint8_t m[4];
	struct crypto_iov iov[2] = { { p1_last->iv, p1_last->len }, { m, 4 } };

	be32_put(m, mid);
	return iv_hash(h, iov, 2, p1_last->len, iv);
}

/* prf(SKEYID, a | b | c1 | c2 | SAi_b | ID_b): HASH_I and HASH_R differ
 * only in the order of the KE values and of the cookies. */
static int
auth_hash(const struct ikekeys *k, const struct ikekeys_auth *in, bool resp,
	  uint8_t *out)
{
	struct crypto_iov iov[6] = {
		{ resp ? in->gxr : in->gxi, resp ? in->gxr_len : in->gxi_len },
		{ resp ? in->gxi : in->gxr, resp ? in->gxi_len : in->gxr_len },
		{ resp ? in->cky_r : in->cky_i, ISAKMP_COOKIE_LEN },
		{ resp ? in->cky_i : in->cky_r, ISAKMP_COOKIE_LEN },
		{ in->sai_b, in->sai_len },
		{ in->id_b, in->id_len },
	};

	return crypto_prf_v(k->hash, k->skeyid, k->len, iov, 6, out);
}

int
ikekeys_hash_i(const struct ikekeys *k, const struct ikekeys_auth *in,
	       uint8_t *out)
{
	return auth_hash(k, in, false, out);
}

int
ikekeys_hash_r(const struct ikekeys *k, const struct ikekeys_auth *in,
	       uint8_t *out)
{
	return auth_hash(k, in, true, out);
}

int
ikekeys_hash_n(const struct ikekeys *k, uint32_t mid,
	       const struct crypto_iov *piece, size_t n, uint8_t *out)
{
	struct crypto_prf p;
	uint8_t m[4];
	size_t i;

	be32_put(m, mid);
	if (crypto_prf_init(&p, k->hash, k->skeyid_a, k->len) != 0)
		return -1;
	if (crypto_prf_update(&p, m, sizeof(m)) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (crypto_prf_update(&p, piece[i].base, piece[i].len) != 0)
			goto fail;
	return crypto_prf_final(&p, out);
fail:
	crypto_prf_abort(&p);
	return -1;
}

int
ikekeys_info_hash(const struct ikekeys *k, uint32_t mid,
		  const uint8_t *payloads, size_t len, uint8_t *out)
{
	struct crypto_iov iov = { payloads, len };

	return ikekeys_hash_n(k, mid, &iov, 1, out);
}
