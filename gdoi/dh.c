/*
 * dh: IKEv1 Diffie-Hellman over OpenSSL 3 EVP_PKEY (doc/protocol.md §3.3,
 * RFC 2409 §5 and §6.2, RFC 3526, RFC 5903 §5, §7 and §9).
 *
 * Owns the group table, key generation, the wire form of public values
 * and of the shared secret, and the peer-value checks: a MODP value must
 * lie in 2 .. p-2 (a value of 0, 1 or p-1 forces the secret into a set
 * of at most two elements), an ECP point must be on the curve (an
 * off-curve point can leak bits of our private key).  OpenSSL's own
 * peer validation (EVP_PKEY_derive_set_peer_ex) runs on top, which adds
 * the subgroup check for the RFC 3526 groups it knows by their prime.
 *
 * The primes are spelled out rather than taken from OpenSSL's named
 * groups because OpenSSL has no name for Oakley group 2.
 */
#include "gdoi/dh.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "platform/log.h"

/* RFC 2409 §6.2, Oakley group 2 */
static const char prime_2[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

/* RFC 3526 §2 */
static const char prime_5[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";

/* RFC 3526 §3 */
static const char prime_14[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
	"3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

/* RFC 3526 §4 */
static const char prime_15[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
	"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
	"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
	"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
	"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

/*
 * RFC 5915 ECPrivateKey without the optional public key, split around
 * the private scalar: OpenSSL derives the public point when it decodes
 * this, which EVP_PKEY_fromdata does not do for a bare private value.
 */
static const uint8_t p256_der_head[] = { 0x30, 0x31, 0x02, 0x01, 0x01,
					 0x04, 0x20 };
static const uint8_t p256_der_tail[] = { 0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86,
					 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t p384_der_head[] = { 0x30, 0x3e, 0x02, 0x01, 0x01,
					 0x04, 0x30 };
static const uint8_t p384_der_tail[] = { 0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81,
					 0x04, 0x00, 0x22 };

/* SEC 1 §2.3.3: uncompressed point prefix, absent from IKE KE data. */
#define DH_EC_POINT_UNCOMPRESSED 0x04

struct dh_group_def {
	unsigned id;
	const char *name;
	bool legacy;
	bool ecp;
	size_t publen;		/* KE body */
	size_t seclen;		/* g^xy */
	const char *prime;	/* MODP: hex */
	const char *curve;	/* ECP: OpenSSL group name */
	const uint8_t *der_head, *der_tail;
	size_t der_head_len, der_tail_len;
	unsigned priv_bits;	/* MODP private value length, 0 = OpenSSL's */
};

/*
 * OpenSSL knows groups 5, 14 and 15 by their primes and draws private
 * values of about twice the group's strength for them; group 2 it does
 * not know, and would draw 1023-bit values, making each exponentiation
 * six times dearer.  The same rule for group 2's 80-bit strength (NIST
 * SP 800-57 Part 1, Table 2: 1024-bit FFC) gives 160 bits, the length
 * RFC 3526 §8 asks for at least (doc/gdoi.md).
 */
#define DH_MODP_SHORT_PRIV_BITS 160

static const struct dh_group_def dh_groups[] = {
	{ DH_GROUP_MODP1024, "modp1024", true, false, 128, 128, prime_2,
	  NULL, NULL, NULL, 0, 0, DH_MODP_SHORT_PRIV_BITS },
	{ DH_GROUP_MODP1536, "modp1536", true, false, 192, 192, prime_5,
	  NULL, NULL, NULL, 0, 0, 0 },
	{ DH_GROUP_MODP2048, "modp2048", false, false, 256, 256, prime_14,
	  NULL, NULL, NULL, 0, 0, 0 },
	{ DH_GROUP_MODP3072, "modp3072", false, false, 384, 384, prime_15,
	  NULL, NULL, NULL, 0, 0, 0 },
	{ DH_GROUP_ECP256, "ecp256", false, true, 64, 32, NULL, "P-256",
	  p256_der_head, p256_der_tail, sizeof(p256_der_head),
	  sizeof(p256_der_tail), 0 },
	{ DH_GROUP_ECP384, "ecp384", false, true, 96, 48, NULL, "P-384",
	  p384_der_head, p384_der_tail, sizeof(p384_der_head),
	  sizeof(p384_der_tail), 0 },
};

struct dh {
	const struct dh_group_def *grp;
	EVP_PKEY *key;		/* holds the private value */
	EVP_PKEY_CTX *dctx;	/* derivation context, kept for the next
				 * peer of a shared pair */
	uint8_t pub[DH_MAX_PUB];
	size_t publen;
	unsigned refs;		/* holders: 1, or more for a shared pair */
};

static const struct dh_group_def *
group_find(unsigned group)
{
	size_t i;

	for (i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		if (dh_groups[i].id == group)
			return &dh_groups[i];
	return NULL;
}

bool
dh_group_supported(unsigned group, bool legacy)
{
	const struct dh_group_def *g = group_find(group);

	return g != NULL && (!g->legacy || legacy);
}

size_t
dh_pub_len(unsigned group)
{
	const struct dh_group_def *g = group_find(group);

	return g ? g->publen : 0;
}

size_t
dh_secret_len(unsigned group)
{
	const struct dh_group_def *g = group_find(group);

	return g ? g->seclen : 0;
}

const char *
dh_group_name(unsigned group)
{
	const struct dh_group_def *g = group_find(group);

	return g ? g->name : "unknown";
}

static BIGNUM *
prime_bn(const struct dh_group_def *g)
{
	BIGNUM *p = NULL;

	if (BN_hex2bn(&p, g->prime) != (int)(g->publen * 2)) {
		BN_free(p);
		return NULL;
	}
	return p;
}

/* The prime of a MODP group as publen octets, converted once (a peer's
 * every value is compared with it).  NULL if OpenSSL cannot. */
static const uint8_t *
modp_prime_octets(const struct dh_group_def *g)
{
	static uint8_t cache[sizeof(dh_groups) / sizeof(dh_groups[0])]
			    [DH_MAX_PUB];
	static bool done[sizeof(dh_groups) / sizeof(dh_groups[0])];
	size_t i = (size_t)(g - dh_groups);
	BIGNUM *p;

	if (done[i])
		return cache[i];
	if ((p = prime_bn(g)) != NULL &&
	    BN_bn2binpad(p, cache[i], (int)g->publen) == (int)g->publen)
		done[i] = true;
	BN_free(p);
	return done[i] ? cache[i] : NULL;
}

int
dh_modp_prime(unsigned group, uint8_t *out, size_t cap, size_t *len)
{
	const struct dh_group_def *g = group_find(group);
	const uint8_t *p;

	if (g == NULL || g->ecp || cap < g->publen ||
	    (p = modp_prime_octets(g)) == NULL)
		return -1;
	memcpy(out, p, g->publen);
	*len = g->publen;
	return 0;
}

/*
 * A MODP EVP_PKEY from the group's p and g = 2, plus an optional private
 * and public value; selection says which parts fromdata must take.
 */
static EVP_PKEY *
modp_pkey(const struct dh_group_def *g, const uint8_t *priv, size_t privlen,
	  const uint8_t *pub, size_t publen, int selection)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = prime_bn(g), *gen = BN_new(), *x = NULL, *y = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (bld == NULL || p == NULL || gen == NULL || !BN_set_word(gen, 2))
		goto out;
	if (priv && (x = BN_secure_new()) != NULL)
		BN_bin2bn(priv, (int)privlen, x);
	if (pub)
		y = BN_bin2bn(pub, (int)publen, NULL);
	if ((priv && x == NULL) || (pub && y == NULL))
		goto out;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, gen) ||
	    (x && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x)) ||
	    (y && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(x);
	BN_free(y);
	BN_free(gen);
	BN_free(p);
	return pkey;
}

/*
 * The curve of an ECP group as a parameters-only key, made once: key
 * generation and peer imports start from it instead of looking the curve
 * up by name each time (a quarter of a registration's DH time).  Holds
 * no secret.  NULL if OpenSSL cannot make it.
 */
static EVP_PKEY *
ecp_params(const struct dh_group_def *g)
{
	static EVP_PKEY *cache[sizeof(dh_groups) / sizeof(dh_groups[0])];
	size_t i = (size_t)(g - dh_groups);
	EVP_PKEY_CTX *ctx;

	if (cache[i] != NULL)
		return cache[i];
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (ctx == NULL || EVP_PKEY_paramgen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_group_name(ctx, g->curve) <= 0 ||
	    EVP_PKEY_paramgen(ctx, &cache[i]) <= 0)
		cache[i] = NULL;
	EVP_PKEY_CTX_free(ctx);
	return cache[i];
}

/* A fresh ECP key pair. */
static EVP_PKEY *
ecp_generate(const struct dh_group_def *g)
{
	EVP_PKEY *params = ecp_params(g), *key = NULL;
	EVP_PKEY_CTX *ctx;

	if (params == NULL)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_generate(ctx, &key) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}


/*
 * ours x peer -> out (exactly want octets).  MODP secrets are padded to
 * the prime length; OpenSSL strips leading zeros unless told otherwise.
 */
static EVP_PKEY_CTX *
derive_ctx(EVP_PKEY *ours, bool pad)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, ours, NULL);
	unsigned int one = 1;
	OSSL_PARAM params[2];

	if (ctx == NULL || EVP_PKEY_derive_init(ctx) <= 0)
		goto fail;
	if (pad) {
		params[0] = OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD,
						      &one);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) <= 0)
			goto fail;
	}
	return ctx;
fail:
	EVP_PKEY_CTX_free(ctx);
	return NULL;
}

/* ctx (from derive_ctx) x peer -> out; ctx may serve the next peer. */
static int
derive_with(EVP_PKEY_CTX *ctx, EVP_PKEY *peer, bool pad, uint8_t *out,
	    size_t want)
{
	size_t len = 0;

	/* MODP peers get OpenSSL's range/subgroup check here; an ECP point
	 * was checked on the curve when it was decoded (cofactor 1 curves),
	 * so a second check would only cost time on every registration. */
	if (EVP_PKEY_derive_set_peer_ex(ctx, peer, pad ? 1 : 0) <= 0 ||
	    EVP_PKEY_derive(ctx, NULL, &len) <= 0 || len != want)
		return -1;
	if (EVP_PKEY_derive(ctx, out, &len) <= 0 || len != want) {
		OPENSSL_cleanse(out, want);
		return -1;
	}
	return 0;
}

static int
derive(EVP_PKEY *ours, EVP_PKEY *peer, bool pad, uint8_t *out, size_t want)
{
	EVP_PKEY_CTX *ctx = derive_ctx(ours, pad);
	int rc = ctx != NULL ? derive_with(ctx, peer, pad, out, want) : -1;

	EVP_PKEY_CTX_free(ctx);
	return rc;
}

/* Cache our public value in KE form. */
static int
pub_export(struct dh *d)
{
	const struct dh_group_def *g = d->grp;
	uint8_t pt[1 + DH_MAX_PUB];
	BIGNUM *y = NULL;
	size_t len = 0;
	int rc = -1;

	if (g->ecp) {
		if (!EVP_PKEY_get_octet_string_param(d->key,
						     OSSL_PKEY_PARAM_PUB_KEY,
						     pt, sizeof(pt), &len) ||
		    len != 1 + g->publen || pt[0] != DH_EC_POINT_UNCOMPRESSED)
			goto out;
		memcpy(d->pub, pt + 1, g->publen);
	} else {
		if (!EVP_PKEY_get_bn_param(d->key, OSSL_PKEY_PARAM_PUB_KEY,
					   &y) ||
		    BN_bn2binpad(y, d->pub, (int)g->publen) != (int)g->publen)
			goto out;
	}
	d->publen = g->publen;
	rc = 0;
out:
	BN_free(y);
	return rc;
}

static struct dh *
dh_alloc(const struct dh_group_def *g)
{
	struct dh *d = calloc(1, sizeof(*d));

	if (d != NULL) {
		d->grp = g;
		d->refs = 1;
	}
	return d;
}

/*
 * The domain parameters of a MODP group, made once (parsing the prime and
 * importing it cost as much as a short exponentiation): p, g = 2 and the
 * private value length.  Holds no secret.  NULL if OpenSSL cannot.
 */
static EVP_PKEY *
modp_params(const struct dh_group_def *g)
{
	static EVP_PKEY *cache[sizeof(dh_groups) / sizeof(dh_groups[0])];
	size_t i = (size_t)(g - dh_groups);

	if (cache[i] == NULL)
		cache[i] = modp_pkey(g, NULL, 0, NULL, 0,
				     EVP_PKEY_KEY_PARAMETERS);
	return cache[i];
}

/*
 * The peer's public key from its KE data (publen octets: y, or x | y)
 * on the group's parameters made once.  An ECP point fails to decode
 * unless it is on the curve.
 */
static EVP_PKEY *
peer_pkey(const struct dh_group_def *g, const uint8_t *ke)
{
	EVP_PKEY *params = g->ecp ? ecp_params(g) : modp_params(g), *pkey;
	uint8_t pt[1 + DH_MAX_PUB];
	size_t n = 0;

	if (params == NULL || (pkey = EVP_PKEY_new()) == NULL)
		return NULL;
	if (g->ecp)
		pt[n++] = DH_EC_POINT_UNCOMPRESSED;
	memcpy(pt + n, ke, g->publen);
	n += g->publen;
	if (EVP_PKEY_copy_parameters(pkey, params) <= 0 ||
	    EVP_PKEY_set1_encoded_public_key(pkey, pt, n) <= 0) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

static EVP_PKEY *
modp_generate(const struct dh_group_def *g)
{
	EVP_PKEY *params = modp_params(g);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	int bits = (int)g->priv_bits;
	OSSL_PARAM set[2] = {
		OSSL_PARAM_construct_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits),
		OSSL_PARAM_construct_end(),
	};

	if (params == NULL)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    (bits > 0 && EVP_PKEY_CTX_set_params(ctx, set) <= 0) ||
	    EVP_PKEY_generate(ctx, &key) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static unsigned long pairs_made;

unsigned long
dh_pairs_made(void)
{
	return pairs_made;
}

struct dh *
dh_new(unsigned group, bool legacy)
{
	const struct dh_group_def *g = group_find(group);
	struct dh *d = NULL;

	if (g == NULL || (g->legacy && !legacy)) {
		log_dbg(LOG_DBG_ISAKMP, "%s: group %u not allowed", __func__,
			group);
		return NULL;
	}
	if ((d = dh_alloc(g)) == NULL)
		return NULL;
	if (g->ecp)
		d->key = ecp_generate(g);
	else
		d->key = modp_generate(g);
	if (d->key == NULL || pub_export(d) != 0) {
		ERR_clear_error();
		dh_free(d);
		return NULL;
	}
	pairs_made++;
	return d;
}

/* ECP key pair from a scalar, through the RFC 5915 DER template. */
static EVP_PKEY *
ecp_fixed(const struct dh_group_def *g, const uint8_t *priv, size_t len)
{
	uint8_t der[16 + 48 + 16];
	const uint8_t *p = der;
	size_t n = 0, flen = g->seclen;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	memcpy(der, g->der_head, g->der_head_len);
	n = g->der_head_len;
	memset(der + n, 0, flen - len);
	memcpy(der + n + flen - len, priv, len);
	n += flen;
	memcpy(der + n, g->der_tail, g->der_tail_len);
	n += g->der_tail_len;
	key = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, (long)n);
	OPENSSL_cleanse(der, sizeof(der));
	/* Rejects 0 and values >= the group order. */
	if (key != NULL && ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key,
							      NULL)) == NULL ||
			    EVP_PKEY_check(ctx) <= 0)) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* MODP key pair from x: the public value is g^x, derived against g. */
static int
modp_fixed(struct dh *d, const uint8_t *priv, size_t len)
{
	static const uint8_t two = 2;
	EVP_PKEY *gen = modp_pkey(d->grp, NULL, 0, &two, 1,
				  EVP_PKEY_PUBLIC_KEY);
	int rc = -1;

	d->key = modp_pkey(d->grp, priv, len, NULL, 0, EVP_PKEY_KEYPAIR);
	if (gen == NULL || d->key == NULL ||
	    derive(d->key, gen, true, d->pub, d->grp->publen) != 0)
		goto out;
	d->publen = d->grp->publen;
	rc = 0;
out:
	EVP_PKEY_free(gen);
	return rc;
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

struct dh *
dh_new_fixed(unsigned group, const uint8_t *priv, size_t len)
{
	const struct dh_group_def *g = group_find(group);
	struct dh *d = NULL;
	int rc = -1;

	if (g == NULL || len == 0 || all_zero(priv, len) ||
	    len > (g->ecp ? g->seclen : g->publen))
		return NULL;
	if ((d = dh_alloc(g)) == NULL)
		return NULL;
	if (g->ecp) {
		d->key = ecp_fixed(g, priv, len);
		if (d->key == NULL || pub_export(d) != 0)
			goto out;
	} else if (modp_fixed(d, priv, len) != 0) {
		goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		ERR_clear_error();
		dh_free(d);
		d = NULL;
	}
	return d;
}

void
dh_free(struct dh *d)
{
	if (d == NULL || --d->refs > 0)
		return;
	EVP_PKEY_CTX_free(d->dctx);
	EVP_PKEY_free(d->key);
	OPENSSL_cleanse(d, sizeof(*d));
	free(d);
}

/*
 * One shared responder pair per group: made at `born`, handed out `uses`
 * times.  The cache holds a reference of its own; the pair is wiped when
 * the cache lets go and the last exchange using it has freed it.
 */
static struct {
	struct dh *d;
	uint64_t born;
	unsigned uses;
} shared[sizeof(dh_groups) / sizeof(dh_groups[0])];

struct dh *
dh_shared(unsigned group, bool legacy, uint64_t now_ms, uint64_t window_ms)
{
	const struct dh_group_def *g = group_find(group);
	size_t i;

	if (window_ms == 0 || g == NULL || (g->legacy && !legacy)) {
		if (window_ms == 0)
			dh_shared_flush();	/* reuse was turned off */
		return dh_new(group, legacy);
	}
	i = (size_t)(g - dh_groups);
	if (shared[i].d != NULL &&
	    (now_ms < shared[i].born || now_ms - shared[i].born >= window_ms ||
	     shared[i].uses >= DH_SHARED_MAX_USES)) {
		dh_free(shared[i].d);
		shared[i].d = NULL;
	}
	if (shared[i].d == NULL) {
		if ((shared[i].d = dh_new(group, legacy)) == NULL)
			return NULL;
		shared[i].born = now_ms;
		shared[i].uses = 0;
	}
	shared[i].uses++;
	shared[i].d->refs++;
	return shared[i].d;
}

void
dh_shared_flush(void)
{
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		dh_free(shared[i].d);
		shared[i].d = NULL;
	}
}

unsigned
dh_group(const struct dh *d)
{
	return d->grp->id;
}

const uint8_t *
dh_public(const struct dh *d, size_t *len)
{
	*len = d->publen;
	return d->pub;
}

/* RFC 2409 §5 / doc/protocol.md §3.3: 1 < y < p-1, as fixed-width octets. */
static bool
modp_peer_in_range(const struct dh_group_def *g, const uint8_t *y)
{
	uint8_t pm1[DH_MAX_PUB];
	size_t len = 0;

	if (all_zero(y, g->publen - 1) && y[g->publen - 1] <= 1)
		return false;
	if (dh_modp_prime(g->id, pm1, sizeof(pm1), &len) != 0)
		return false;
	/* p is odd: p - 1 only clears the lowest bit. */
	pm1[len - 1] &= 0xfe;
	return memcmp(y, pm1, len) < 0;
}

int
dh_compute(struct dh *d, const uint8_t *peer, size_t peerlen,
	   uint8_t *secret, size_t cap, size_t *len)
{
	const struct dh_group_def *g = d->grp;
	EVP_PKEY *pk = NULL;
	int rc = -1;

	if (peerlen != g->publen || cap < g->seclen) {
		log_dbg(LOG_DBG_ISAKMP, "%s: %s peer value of %zu octets, "
			"want %zu", __func__, g->name, peerlen, g->publen);
		goto out;
	}
	if (!g->ecp && !modp_peer_in_range(g, peer)) {
		log_dbg(LOG_DBG_ISAKMP, "%s: %s peer value out of range",
			__func__, g->name);
		goto out;
	}
	pk = peer_pkey(g, peer);
	if (pk != NULL && d->dctx == NULL)
		d->dctx = derive_ctx(d->key, !g->ecp);
	if (pk == NULL || d->dctx == NULL ||
	    derive_with(d->dctx, pk, !g->ecp, secret, g->seclen)) {
		EVP_PKEY_CTX_free(d->dctx);	/* start clean next time */
		d->dctx = NULL;
		log_dbg(LOG_DBG_ISAKMP, "%s: %s peer value rejected",
			__func__, g->name);
		goto out;
	}
	*len = g->seclen;
	rc = 0;
out:
	EVP_PKEY_free(pk);
	if (rc != 0)
		ERR_clear_error();
	return rc;
}
