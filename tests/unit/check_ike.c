/*
 * IKEv1 crypto for GDOI: gdoi/crypto (HMAC, hashes, CBC), gdoi/dh (MODP
 * and ECP groups, peer checks), gdoi/ikekeys (RFC 2409 key schedule,
 * IVs, HASH_I/R, HASH(n)) and gdoi/ikecrypt (message encryption and IV
 * chaining).  Main Mode itself is in check_phase1.c.
 *
 * Known answers are doc/protocol.md §9.1 (published vectors) and §9.2
 * (derivation vectors computed independently with Python hmac).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/bn.h>

#include "gdoi/crypto.h"
#include "gdoi/dh.h"
#include "gdoi/ikecrypt.h"
#include "gdoi/ikekeys.h"
#include "gdoi/isakmp.h"
#include "hex_fixtures.h"

/* ---- crypto: §9.1 HMAC ---- */

static const struct {
	enum crypto_hash h;
	const char *key;	/* hex */
	const char *data;	/* ASCII */
	const char *mac;
} hmac_kat[] = {
	{ CRYPTO_HASH_SHA256, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ CRYPTO_HASH_SHA256, "4a656665", "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ CRYPTO_HASH_SHA256,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "Hi There",
	  "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7" },
	{ CRYPTO_HASH_SHA256,
	  "4a6566654a6566654a6566654a6566654a6566654a6566654a6566654a656665",
	  "what do ya want for nothing?",
	  "167f928588c5cc2eef8e3093caa0e87c9ff566a14794aa61648d81621a2a40c6" },
	{ CRYPTO_HASH_SHA1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00" },
};

START_TEST(test_hmac_kat)
{
	uint8_t key[64], out[CRYPTO_MAX_HASH], out2[CRYPTO_MAX_HASH];
	size_t klen = unhex(hmac_kat[_i].key, key, sizeof(key));
	const char *d = hmac_kat[_i].data;
	size_t dlen = strlen(d), hl = crypto_hash_len(hmac_kat[_i].h);
	struct crypto_prf p;
	struct crypto_iov iov[3] = { { d, 2 }, { d + 2, 0 }, { d + 2, dlen - 2 } };

	ck_assert_int_eq(crypto_prf(hmac_kat[_i].h, key, klen, d, dlen, out), 0);
	ck_hex(out, hl, hmac_kat[_i].mac);
	/* Pieces, including an empty one, give the same value. */
	ck_assert_int_eq(crypto_prf_v(hmac_kat[_i].h, key, klen, iov, 3, out2),
			 0);
	ck_assert_mem_eq(out, out2, hl);
	ck_assert_int_eq(crypto_prf_init(&p, hmac_kat[_i].h, key, klen), 0);
	ck_assert_int_eq(crypto_prf_update(&p, d, 5), 0);
	ck_assert_int_eq(crypto_prf_update(&p, d + 5, dlen - 5), 0);
	ck_assert_int_eq(crypto_prf_final(&p, out2), 0);
	ck_assert_mem_eq(out, out2, hl);
	ck_assert_ptr_null(p.ctx);
}
END_TEST

START_TEST(test_hash_and_misc)
{
	uint8_t md[CRYPTO_MAX_HASH], r1[32], r2[32];
	struct crypto_iov iov[2] = { { "a", 1 }, { "bc", 2 } };

	/* FIPS 180-2 "abc" */
	ck_assert_int_eq(crypto_hash_v(CRYPTO_HASH_SHA256, iov, 2, md), 0);
	ck_hex(md, 32, "ba7816bf8f01cfea414140de5dae2223"
		       "b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(crypto_hash_v(CRYPTO_HASH_SHA1, iov, 2, md), 0);
	ck_hex(md, 20, "a9993e364706816aba3e25717850c26c9cd0d89d");
	ck_assert_uint_eq(crypto_hash_len(CRYPTO_HASH_SHA384), 48);
	ck_assert_uint_eq(crypto_hash_len(CRYPTO_HASH_SHA512), 64);
	ck_assert_uint_eq(crypto_hash_len((enum crypto_hash)99), 0);
	ck_assert_int_eq(crypto_prf((enum crypto_hash)99, "k", 1, "d", 1, md),
			 -1);
	/* Empty key is a legal HMAC key. */
	ck_assert_int_eq(crypto_prf(CRYPTO_HASH_SHA256, NULL, 0, "", 0, md), 0);
	ck_hex(md, 32, "b613679a0814d9ec772f95d778c35fc5"
		       "ff1697c493715653c6c712144292c5ad");
	ck_assert_int_eq(crypto_random(r1, sizeof(r1)), 0);
	ck_assert_int_eq(crypto_random(r2, sizeof(r2)), 0);
	ck_assert(!crypto_equal(r1, r2, sizeof(r1)));
	memcpy(r2, r1, sizeof(r1));
	ck_assert(crypto_equal(r1, r2, sizeof(r1)));
	r2[31] ^= 1;
	ck_assert(!crypto_equal(r1, r2, sizeof(r1)));
}
END_TEST

/*
 * The random pool: no two draws alike across the pool's refills, large
 * draws straight from OpenSSL, and a child after fork never gets the
 * octets its parent will hand out next.
 */
START_TEST(test_random_pool)
{
	static uint8_t seen[3 * 4096 / 16][16];
	uint8_t big[1000], mine[16], child[16];
	int fds[2];
	pid_t pid;

	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++) {
		ck_assert_int_eq(crypto_random(seen[i], 16), 0);
		for (size_t j = 0; j < i; j++)
			ck_assert(memcmp(seen[i], seen[j], 16) != 0);
	}
	ck_assert_int_eq(crypto_random(big, sizeof(big)), 0);
	ck_assert_int_eq(crypto_random(mine, 1), 0);	/* pool part used */
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int ok = crypto_random(child, sizeof(child)) == 0 &&
			 write(fds[1], child, sizeof(child)) ==
				 (ssize_t)sizeof(child);
		_exit(ok ? 0 : 1);
	}
	ck_assert_int_eq(crypto_random(mine, sizeof(mine)), 0);
	ck_assert_int_eq(read(fds[0], child, sizeof(child)),
			 (ssize_t)sizeof(child));
	ck_assert(memcmp(mine, child, sizeof(mine)) != 0);
	ck_assert(memcmp(child, (uint8_t[16]){ 0 }, 16) != 0);
	close(fds[0]);
	close(fds[1]);
	waitpid(pid, NULL, 0);
}
END_TEST

/* ---- crypto: §9.1 AES-CBC ---- */

static const struct {
	const char *key, *iv, *pt, *ct;
} cbc_kat[] = {
	{ "06a9214036b8a15b512e03d534120006",
	  "3dafba429d9eb430b422da802c9fac41",
	  "53696e676c6520626c6f636b206d7367",	/* "Single block msg" */
	  "e353779c1079aeb82708942dbe77181a" },
	{ "c286696d887c9aa0611bbb3e2025a45a",
	  "562e17996d093d28ddb3ba695a2e6f58",
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
};

START_TEST(test_cbc_kat)
{
	uint8_t key[32], iv[16], pt[64], ct[64], buf[64];
	size_t kl = unhex(cbc_kat[_i].key, key, sizeof(key));
	size_t n;

	unhex(cbc_kat[_i].iv, iv, sizeof(iv));
	n = unhex(cbc_kat[_i].pt, pt, sizeof(pt));
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_AES_CBC, key, kl, iv,
					    pt, ct, n), 0);
	ck_hex(ct, n, cbc_kat[_i].ct);
	/* In place. */
	memcpy(buf, ct, n);
	ck_assert_int_eq(crypto_cbc_decrypt(CRYPTO_CIPHER_AES_CBC, key, kl, iv,
					    buf, buf, n), 0);
	ck_assert_mem_eq(buf, pt, n);
}
END_TEST

START_TEST(test_cbc_bad)
{
	uint8_t key[32] = { 1 }, iv[16] = { 2 }, a[48], b[48], c[48];

	memset(a, 0x5a, sizeof(a));
	/* Partial blocks and bad key lengths are refused, not padded. */
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_AES_CBC, key, 16, iv,
					    a, b, 17), -1);
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_AES_CBC, key, 20, iv,
					    a, b, 16), -1);
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_3DES_CBC, key, 16, iv,
					    a, b, 16), -1);
	ck_assert_int_eq(crypto_cbc_decrypt(CRYPTO_CIPHER_3DES_CBC, key, 24, iv,
					    a, b, 12), -1);
	/* 3DES (8-octet blocks) and AES-192/256 round trips. */
	ck_assert_uint_eq(crypto_cipher_block(CRYPTO_CIPHER_3DES_CBC), 8);
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_3DES_CBC, key, 24, iv,
					    a, b, 40), 0);
	ck_assert_mem_ne(a, b, 40);
	ck_assert_int_eq(crypto_cbc_decrypt(CRYPTO_CIPHER_3DES_CBC, key, 24, iv,
					    b, c, 40), 0);
	ck_assert_mem_eq(a, c, 40);
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_AES_CBC, key, 24, iv,
					    a, b, 48), 0);
	ck_assert_int_eq(crypto_cbc_decrypt(CRYPTO_CIPHER_AES_CBC, key, 24, iv,
					    b, c, 48), 0);
	ck_assert_mem_eq(a, c, 48);
	ck_assert_int_eq(crypto_cbc_encrypt(CRYPTO_CIPHER_AES_CBC, key, 32, iv,
					    a, c, 48), 0);
	ck_assert_mem_ne(b, c, 48);
}
END_TEST

/* ---- dh ---- */

#define RFC5903_I "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"
#define RFC5903_R "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"

START_TEST(test_dh_rfc5903)
{
	uint8_t i[32], r[32], s1[64], s2[64];
	size_t li = unhex(RFC5903_I, i, sizeof(i));
	size_t lr = unhex(RFC5903_R, r, sizeof(r));
	struct dh *a = dh_new_fixed(DH_GROUP_ECP256, i, li);
	struct dh *b = dh_new_fixed(DH_GROUP_ECP256, r, lr);
	const uint8_t *pa, *pb;
	size_t la, lb, l1, l2;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	pa = dh_public(a, &la);
	pb = dh_public(b, &lb);
	ck_hex(pa, la, "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
		       "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3");
	ck_hex(pb, lb, "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
		       "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB");
	ck_assert_int_eq(dh_compute(a, pb, lb, s1, sizeof(s1), &l1), 0);
	ck_assert_int_eq(dh_compute(b, pa, la, s2, sizeof(s2), &l2), 0);
	ck_hex(s1, l1, "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE");
	ck_assert_mem_eq(s1, s2, 32);
	ck_assert_uint_eq(dh_group(a), DH_GROUP_ECP256);
	dh_free(a);
	dh_free(b);
}
END_TEST

START_TEST(test_dh_prime14)
{
	uint8_t p[DH_MAX_PUB], want[256];
	BIGNUM *bn = BN_get_rfc3526_prime_2048(NULL);
	size_t len = 0;

	ck_assert_int_eq(dh_modp_prime(DH_GROUP_MODP2048, p, sizeof(p), &len), 0);
	ck_assert_uint_eq(len, 256);
	/* §9.1: the published head and tail, and OpenSSL's own copy. */
	ck_hex(p, 24, "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1");
	ck_hex(p + 240, 16, "15728E5A8AACAA68FFFFFFFFFFFFFFFF");
	ck_assert_int_eq(BN_bn2binpad(bn, want, 256), 256);
	ck_assert_mem_eq(p, want, 256);
	BN_free(bn);
	ck_assert_int_eq(dh_modp_prime(DH_GROUP_ECP256, p, sizeof(p), &len), -1);
	ck_assert_int_eq(dh_modp_prime(DH_GROUP_MODP2048, p, 100, &len), -1);
}
END_TEST

static const struct {
	unsigned group;
	bool legacy;
	size_t publen, seclen;
} dh_groups[] = {
	{ DH_GROUP_MODP2048, false, 256, 256 },
	{ DH_GROUP_MODP3072, false, 384, 384 },
	{ DH_GROUP_ECP256, false, 64, 32 },
	{ DH_GROUP_ECP384, false, 96, 48 },
	{ DH_GROUP_MODP1024, true, 128, 128 },
	{ DH_GROUP_MODP1536, true, 192, 192 },
};

START_TEST(test_dh_roundtrip)
{
	unsigned g = dh_groups[_i].group;
	struct dh *a, *b;
	const uint8_t *pa, *pb;
	uint8_t s1[DH_MAX_SECRET], s2[DH_MAX_SECRET];
	size_t la, lb, l1, l2;

	ck_assert(dh_group_supported(g, true));
	ck_assert(dh_group_supported(g, false) == !dh_groups[_i].legacy);
	if (dh_groups[_i].legacy)
		ck_assert_ptr_null(dh_new(g, false));
	a = dh_new(g, dh_groups[_i].legacy);
	b = dh_new(g, dh_groups[_i].legacy);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	pa = dh_public(a, &la);
	pb = dh_public(b, &lb);
	ck_assert_uint_eq(la, dh_groups[_i].publen);
	ck_assert_uint_eq(dh_pub_len(g), la);
	ck_assert_mem_ne(pa, pb, la);
	ck_assert_int_eq(dh_compute(a, pb, lb, s1, sizeof(s1), &l1), 0);
	ck_assert_int_eq(dh_compute(b, pa, la, s2, sizeof(s2), &l2), 0);
	ck_assert_uint_eq(l1, dh_groups[_i].seclen);
	ck_assert_uint_eq(l1, dh_secret_len(g));
	ck_assert_mem_eq(s1, s2, l1);
	/* Wrong lengths and a too small output buffer. */
	ck_assert_int_eq(dh_compute(a, pb, lb - 1, s1, sizeof(s1), &l1), -1);
	ck_assert_int_eq(dh_compute(a, pb, lb, s1, l2 - 1, &l1), -1);
	dh_free(a);
	dh_free(b);
}
END_TEST

/*
 * A responder's shared key pair: the same pair within the window and
 * below the use cap, a new one after either; freeing the shared pair
 * while an exchange holds it leaves that exchange's copy usable; window
 * 0 and a legacy group without legacy give what dh_new gives.
 */
START_TEST(test_dh_shared)
{
	struct dh *a = dh_shared(DH_GROUP_ECP256, false, 1000, 1000);
	struct dh *b = dh_shared(DH_GROUP_ECP256, false, 1999, 1000);
	struct dh *c = dh_shared(DH_GROUP_ECP256, false, 2000, 1000);
	struct dh *peer = dh_new(DH_GROUP_ECP256, false), *d, *e;
	uint8_t s1[64], s2[64], bad[64];
	size_t la, lp, l1, l2;
	const uint8_t *pa, *pp;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, c);		/* the window is over */
	dh_free(b);
	dh_shared_flush();		/* the cache lets go of c */
	/* a is still whole for its holder: the secret matches the peer's */
	pa = dh_public(a, &la);
	pp = dh_public(peer, &lp);
	ck_assert_int_eq(dh_compute(a, pp, lp, s1, sizeof(s1), &l1), 0);
	ck_assert_int_eq(dh_compute(peer, pa, la, s2, sizeof(s2), &l2), 0);
	ck_assert_mem_eq(s1, s2, l1);
	/* an off-curve peer between two good ones changes nothing */
	memset(bad, 0x11, sizeof(bad));
	ck_assert_int_eq(dh_compute(a, bad, lp, s1, sizeof(s1), &l1), -1);
	ck_assert_int_eq(dh_compute(a, pp, lp, s1, sizeof(s1), &l1), 0);
	ck_assert_mem_eq(s1, s2, l1);
	dh_free(a);
	dh_free(c);
	/* the use cap */
	d = dh_shared(DH_GROUP_ECP256, false, 5000, 60000);
	for (unsigned i = 1; i < DH_SHARED_MAX_USES; i++) {
		e = dh_shared(DH_GROUP_ECP256, false, 5000, 60000);
		ck_assert_ptr_eq(d, e);
		dh_free(e);
	}
	e = dh_shared(DH_GROUP_ECP256, false, 5000, 60000);
	ck_assert_ptr_ne(d, e);
	dh_free(e);
	/* a clock that went back starts a new pair */
	e = dh_shared(DH_GROUP_ECP256, false, 4000, 60000);
	ck_assert_ptr_ne(d, e);
	dh_free(d);
	/* window 0: a pair each, and the cache is emptied */
	d = dh_shared(DH_GROUP_ECP256, false, 4000, 0);
	ck_assert_ptr_ne(d, e);
	dh_free(e);
	dh_free(d);
	ck_assert_ptr_null(dh_shared(DH_GROUP_MODP1024, false, 4000, 1000));
	d = dh_shared(DH_GROUP_MODP1024, true, 4000, 1000);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(dh_shared(DH_GROUP_MODP1024, false, 4001, 1000));
	dh_free(d);
	dh_free(peer);
	dh_shared_flush();
}
END_TEST

/* MODP: g^x for a fixed x, checked against BN_mod_exp. */
START_TEST(test_dh_modp_fixed)
{
	uint8_t x[2] = { 0x01, 0x23 }, p[256], want[256];
	BIGNUM *bp = BN_get_rfc3526_prime_2048(NULL), *bx = BN_bin2bn(x, 2, NULL);
	BIGNUM *g = BN_new(), *y = BN_new();
	BN_CTX *ctx = BN_CTX_new();
	struct dh *d = dh_new_fixed(DH_GROUP_MODP2048, x, 2);
	const uint8_t *pub;
	size_t len;

	ck_assert_ptr_nonnull(d);
	BN_set_word(g, 2);
	ck_assert(BN_mod_exp(y, g, bx, bp, ctx));
	ck_assert_int_eq(BN_bn2binpad(y, want, 256), 256);
	pub = dh_public(d, &len);
	ck_assert_uint_eq(len, 256);
	ck_assert_mem_eq(pub, want, 256);
	(void)p;
	dh_free(d);
	ck_assert_ptr_null(dh_new_fixed(DH_GROUP_MODP2048, (const uint8_t *)"\0\0", 2));
	ck_assert_ptr_null(dh_new_fixed(77, x, 2));
	BN_free(bp);
	BN_free(bx);
	BN_free(g);
	BN_free(y);
	BN_CTX_free(ctx);
}
END_TEST

/* Peer values that must be refused: §3.3 range and curve checks. */
START_TEST(test_dh_peer_checks)
{
	struct dh *m = dh_new(DH_GROUP_MODP2048, false);
	struct dh *e = dh_new(DH_GROUP_ECP256, false);
	uint8_t v[256], s[DH_MAX_SECRET], p[256];
	const uint8_t *pub;
	size_t len, plen;

	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(e);
	dh_modp_prime(DH_GROUP_MODP2048, p, sizeof(p), &plen);
	memset(v, 0, sizeof(v));
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), -1); /* 0 */
	v[255] = 1;
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), -1); /* 1 */
	v[255] = 2;
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), 0);  /* 2 */
	memcpy(v, p, 256);
	v[255] -= 1;
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), -1); /* p-1 */
	/* p-2 is in range but outside the prime-order subgroup of group 14
	 * (-2 is not a square mod p): OpenSSL's check refuses it too. */
	v[255] -= 1;
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), -1);
	memset(v, 0, sizeof(v));
	v[255] = 4;
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), 0);
	ck_assert_int_eq(dh_compute(m, p, 256, s, sizeof(s), &len), -1); /* p */
	memset(v, 0xff, sizeof(v));
	ck_assert_int_eq(dh_compute(m, v, 256, s, sizeof(s), &len), -1);
	/* ECP: a point off the curve, the zero "point", a short value. */
	pub = dh_public(e, &len);
	memcpy(v, pub, 64);
	v[63] ^= 1;
	ck_assert_int_eq(dh_compute(e, v, 64, s, sizeof(s), &len), -1);
	memset(v, 0, 64);
	ck_assert_int_eq(dh_compute(e, v, 64, s, sizeof(s), &len), -1);
	ck_assert_int_eq(dh_compute(e, pub, 63, s, sizeof(s), &len), -1);
	ck_assert_int_eq(dh_compute(e, pub, 65, s, sizeof(s), &len), -1);
	dh_free(m);
	dh_free(e);
}
END_TEST

/* ---- ikekeys: §9.2 ---- */

static const struct {
	enum crypto_hash h;
	const char *skeyid, *skeyid_sig, *d, *a, *e, *ka, *iv1, *iv2;
	const char *hash_i, *hash_r, *hash1, *hash3;
} kv[] = {
	{ CRYPTO_HASH_SHA1,
	  "ca461ed3aa91083e9092e093fac6cfbafa9642ab",
	  "e7d79db00255fe72194da74321d0ccbc0fbada34",
	  "0033c31536d46b2371d95347105c96386b3ad018",
	  "050e86b91a973cfb25461457c242e6022ca30308",
	  "ed0c265f90584f8ab25c8a1dc2e2027c2897f1f8",
	  "413f1dafb726d42ace18bd0618696a99a09ac98e3d22c39b171cb831d9da2a0e",
	  "d44e1fe0c1a7ac33e87a510285e6419a",
	  "da4ee7cd271c158f968bb3226e5517ad",
	  "d0e00a45c9ac498dccc39fb2a1bfc0a263f871e7",
	  "37827f0c9f9f2ac4226c05462f5fd2547e9752be",
	  "67b019c4d1ff601f410eb8c9460dc2f7c71ffefb",
	  "0e65a277fe9764adde751c5ed68e50aeb88c6d6e" },
	{ CRYPTO_HASH_SHA256,
	  "2a27ca0bb67b559997342149821d11b29a6f3adf89b0711c5a120d1a77165d97",
	  "0c95bd8bdd96004ec3f84f7bcc9526ee33491925dae778d32b6b81a42c38fe93",
	  "99e2a4b04b62bcda6a9a96154714d0c32f0b69dfde7a3b1995446fe402b1c869",
	  "0ead32e5f54189dba96f1ce24504162b2d6fd7f298babc114cd13bb2fdd76dfe",
	  "c7a2bdb70110a39c1f9af07a86e502759dfe5d752ae3bec0bf4d6a5e0ef7752f",
	  "c7a2bdb70110a39c1f9af07a86e502759dfe5d752ae3bec0bf4d6a5e0ef7752f",
	  "ae02e99bbdd3713ac87427589a48fc45",
	  "1c57873defc5be581ae047f5709c015e",
	  "6417edb8b646e8e7cf4fc5ddcf3e31d78ed4722bf0048428e51e7574ca96ee0a",
	  "f4f3452a665b39039de72de163f65489b9531f1c36c265ad8a22772f5db13479",
	  "4561b87773c53407e510a7bb56a98a0af243f5e4784dd658693e07f4ee59c108",
	  "007209a176645d3a8173992042f8c9ca54fa636b66e3286219364217acc45db4" },
};

/* The §9.2 inputs. */
struct kv_in {
	uint8_t ni[16], nr[16], gxy[32], gxi[32], gxr[32], p1last[16];
	uint8_t cki[8], ckr[8];
};

static void
kv_inputs(struct kv_in *in)
{
	int i;

	for (i = 0; i < 16; i++) {
		in->ni[i] = (uint8_t)i;
		in->nr[i] = (uint8_t)(0x10 + i);
		in->p1last[i] = (uint8_t)(0xf0 + i);
	}
	for (i = 0; i < 32; i++) {
		in->gxy[i] = (uint8_t)(0xa0 + i);
		in->gxi[i] = (uint8_t)(0x20 + i);
		in->gxr[i] = (uint8_t)(0x40 + i);
	}
	unhex("0102030405060708", in->cki, 8);
	unhex("1112131415161718", in->ckr, 8);
}

#define KV_MID 0x01020304u
#define KV_SAI "00000002000000000000002c01010001000000240101000080010007" \
	"80020004800e010080030001800400148b000001"
#define KV_ID "01000000c0a80001"
#define KV_NONCE_PL "05000014000102030405060708090a0b0c0d0e0f"
#define KV_ID_PL "0000000c0b000000000004d2"

START_TEST(test_ikekeys_kat)
{
	static const char psk[] = "gdoi-test-psk";
	enum crypto_hash h = kv[_i].h;
	struct ikekeys k, ks;
	struct kv_in in;
	uint8_t ka[32], out[CRYPTO_MAX_HASH];
	size_t hl = crypto_hash_len(h);

	kv_inputs(&in);
	ck_assert_int_eq(ikekeys_skeyid_psk(&k, h, (const uint8_t *)psk,
					    strlen(psk), in.ni, 16, in.nr, 16), 0);
	ck_assert_uint_eq(k.len, hl);
	ck_hex(k.skeyid, hl, kv[_i].skeyid);
	ck_assert_int_eq(ikekeys_skeyid_sig(&ks, h, in.ni, 16, in.nr, 16,
					    in.gxy, 32), 0);
	ck_hex(ks.skeyid, hl, kv[_i].skeyid_sig);
	ck_assert_int_eq(ikekeys_derive(&k, in.gxy, 32, in.cki, in.ckr), 0);
	ck_hex(k.skeyid_d, hl, kv[_i].d);
	ck_hex(k.skeyid_a, hl, kv[_i].a);
	ck_hex(k.skeyid_e, hl, kv[_i].e);
	ck_assert_int_eq(ikekeys_enc_key(&k, 32, ka), 0);
	ck_hex(ka, 32, kv[_i].ka);
	/* Shorter keys are prefixes of the same stream. */
	ck_assert_int_eq(ikekeys_enc_key(&k, 24, out), 0);
	ck_assert_mem_eq(out, ka, 24);
	ck_assert_int_eq(ikekeys_enc_key(&k, 33, out), -1);
	ikekeys_wipe(&ks);
	ck_assert_uint_eq(ks.len, 0);
	ikekeys_wipe(&k);
}
END_TEST

START_TEST(test_ikekeys_iv_hash)
{
	enum crypto_hash h = kv[_i].h;
	struct ikekeys k;
	struct kv_in in;
	struct ike_iv iv, last;
	struct ikekeys_auth a;
	uint8_t sai[64], id[8], npl[32], idpl[16], out[CRYPTO_MAX_HASH];
	size_t sai_len = unhex(KV_SAI, sai, sizeof(sai));
	size_t hl = crypto_hash_len(h);
	struct crypto_iov pieces[2];
	static const char psk[] = "gdoi-test-psk";

	kv_inputs(&in);
	unhex(KV_ID, id, sizeof(id));
	ikekeys_skeyid_psk(&k, h, (const uint8_t *)psk, strlen(psk), in.ni, 16,
			   in.nr, 16);
	ikekeys_derive(&k, in.gxy, 32, in.cki, in.ckr);

	ck_assert_int_eq(ikekeys_p1_iv(h, in.gxi, 32, in.gxr, 32, 16, &iv), 0);
	ck_assert_uint_eq(iv.len, 16);
	ck_hex(iv.iv, 16, kv[_i].iv1);
	memcpy(last.iv, in.p1last, 16);
	last.len = 16;
	ck_assert_int_eq(ikekeys_exch_iv(h, &last, KV_MID, &iv), 0);
	ck_hex(iv.iv, 16, kv[_i].iv2);
	/* 3DES: the same hash cut to 8 octets. */
	ck_assert_int_eq(ikekeys_p1_iv(h, in.gxi, 32, in.gxr, 32, 8, &iv), 0);
	ck_assert_uint_eq(iv.len, 8);
	{
		uint8_t full[16];

		unhex(kv[_i].iv1, full, sizeof(full));
		ck_assert_mem_eq(iv.iv, full, 8);	/* a prefix */
	}

	memset(&a, 0, sizeof(a));
	a.gxi = in.gxi;
	a.gxi_len = 32;
	a.gxr = in.gxr;
	a.gxr_len = 32;
	a.cky_i = in.cki;
	a.cky_r = in.ckr;
	a.sai_b = sai;
	a.sai_len = sai_len;
	a.id_b = id;
	a.id_len = sizeof(id);
	ck_assert_int_eq(ikekeys_hash_i(&k, &a, out), 0);
	ck_hex(out, hl, kv[_i].hash_i);
	ck_assert_int_eq(ikekeys_hash_r(&k, &a, out), 0);
	ck_hex(out, hl, kv[_i].hash_r);

	/* GDOI HASH(1) over Nonce | ID payloads, given as two pieces. */
	pieces[0].base = npl;
	pieces[0].len = unhex(KV_NONCE_PL, npl, sizeof(npl));
	pieces[1].base = idpl;
	pieces[1].len = unhex(KV_ID_PL, idpl, sizeof(idpl));
	ck_assert_int_eq(ikekeys_hash_n(&k, KV_MID, pieces, 2, out), 0);
	ck_hex(out, hl, kv[_i].hash1);
	/* HASH(3) = prf(SKEYID_a, M-ID | Ni_b | Nr_b). */
	pieces[0].base = in.ni;
	pieces[0].len = 16;
	pieces[1].base = in.nr;
	pieces[1].len = 16;
	ck_assert_int_eq(ikekeys_hash_n(&k, KV_MID, pieces, 2, out), 0);
	ck_hex(out, hl, kv[_i].hash3);
	/* The Informational HASH(1) is the same prf over one range. */
	{
		uint8_t both[64];
		size_t n = unhex(KV_NONCE_PL KV_ID_PL, both, sizeof(both));

		ck_assert_int_eq(ikekeys_info_hash(&k, KV_MID, both, n, out), 0);
		ck_hex(out, hl, kv[_i].hash1);
	}
	ikekeys_wipe(&k);
}
END_TEST

/* ---- ikecrypt ---- */

/* A message: header (E clear, given length) and a body of n octets. */
static size_t
test_msg(uint8_t *m, size_t body, uint8_t fill)
{
	size_t len = ISAKMP_HDR_LEN + body;

	memset(m, 0, ISAKMP_HDR_LEN);
	memset(m, 0x11, 8);
	memset(m + 8, 0x22, 8);
	m[16] = ISAKMP_PAYLOAD_HASH;
	m[17] = ISAKMP_VERSION;
	m[18] = GDOI_EXCH_PULL;
	m[23] = 7;			/* M-ID */
	m[24] = (uint8_t)(len >> 24);
	m[25] = (uint8_t)(len >> 16);
	m[26] = (uint8_t)(len >> 8);
	m[27] = (uint8_t)len;
	memset(m + ISAKMP_HDR_LEN, fill, body);
	return len;
}

static uint32_t
be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The RFC 3602 case 1 vector through the message wrapper. */
START_TEST(test_ikecrypt_kat)
{
	struct ike_cipher c = { .alg = CRYPTO_CIPHER_AES_CBC, .keylen = 16 };
	struct ike_iv iv = { .len = 16 }, next;
	uint8_t m[64], out[64];
	size_t len = test_msg(m, 16, 0), outlen;

	unhex(cbc_kat[0].key, c.key, sizeof(c.key));
	unhex(cbc_kat[0].iv, iv.iv, sizeof(iv.iv));
	memcpy(m + ISAKMP_HDR_LEN, "Single block msg", 16);
	ck_assert_int_eq(ikecrypt_encrypt(&c, &iv, &next, m, len, out,
					  sizeof(out), &outlen), 0);
	ck_assert_uint_eq(outlen, 44);
	ck_hex(out + ISAKMP_HDR_LEN, 16, cbc_kat[0].ct);
	ck_hex(next.iv, next.len, cbc_kat[0].ct);
	ck_assert_uint_eq(out[19], ISAKMP_FLAG_ENC);
	ck_assert_mem_eq(out, m, 19);
}
END_TEST

static const struct {
	enum crypto_cipher alg;
	size_t keylen, block;
} ikecrypt_ciphers[] = {
	{ CRYPTO_CIPHER_AES_CBC, 16, 16 },
	{ CRYPTO_CIPHER_AES_CBC, 32, 16 },
	{ CRYPTO_CIPHER_3DES_CBC, 24, 8 },
};

/* Two messages of one exchange: padding, header fix-ups, IV chaining. */
START_TEST(test_ikecrypt_chain)
{
	struct ike_cipher c = { .alg = ikecrypt_ciphers[_i].alg,
				.keylen = ikecrypt_ciphers[_i].keylen };
	size_t bs = ikecrypt_ciphers[_i].block;
	struct ike_iv iv0 = { .len = bs }, n1, n2, d1, d2, bad = { .len = bs };
	uint8_t m1[128], m2[128], e1[160], e2[160], p[160];
	size_t l1 = test_msg(m1, 37, 0xa5), l2 = test_msg(m2, 2 * bs, 0x3c);
	size_t el1, el2, pl;

	memset(c.key, 0x42, sizeof(c.key));
	memset(iv0.iv, 0x17, sizeof(iv0.iv));
	ck_assert_uint_eq(ikecrypt_padded_len(&c, l1),
			  ISAKMP_HDR_LEN + (37 + bs - 1) / bs * bs);
	ck_assert_int_eq(ikecrypt_encrypt(&c, &iv0, &n1, m1, l1, e1, sizeof(e1),
					  &el1), 0);
	ck_assert_uint_eq(el1, ikecrypt_padded_len(&c, l1));
	ck_assert_uint_eq(be32_at(e1 + 24), el1);
	ck_assert(e1[19] & ISAKMP_FLAG_ENC);
	ck_assert_mem_eq(n1.iv, e1 + el1 - bs, bs);
	/* An aligned body gets no padding. */
	ck_assert_int_eq(ikecrypt_encrypt(&c, &n1, &n2, m2, l2, e2, sizeof(e2),
					  &el2), 0);
	ck_assert_uint_eq(el2, l2);
	ck_assert_mem_eq(n2.iv, e2 + el2 - bs, bs);

	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv0, &d1, e1, el1, p, sizeof(p),
					  &pl), 0);
	ck_assert_uint_eq(pl, el1);
	ck_assert_mem_eq(p + ISAKMP_HDR_LEN, m1 + ISAKMP_HDR_LEN, 37);
	for (size_t i = l1; i < el1; i++)
		ck_assert_uint_eq(p[i], 0);	/* zero padding */
	ck_assert_mem_eq(d1.iv, n1.iv, bs);
	/* In place, with the IV carried over from message 1. */
	ck_assert_int_eq(ikecrypt_decrypt(&c, &d1, &d2, e2, el2, e2, el2, &pl),
			 0);
	ck_assert_mem_eq(e2 + ISAKMP_HDR_LEN, m2 + ISAKMP_HDR_LEN, 2 * bs);
	ck_assert_mem_eq(d2.iv, n2.iv, bs);
	/* A wrong IV garbles the first block only. */
	ck_assert_int_eq(ikecrypt_decrypt(&c, &bad, &d2, e1, el1, p, sizeof(p),
					  &pl), 0);
	ck_assert_mem_ne(p + ISAKMP_HDR_LEN, m1 + ISAKMP_HDR_LEN, bs);
	ck_assert_mem_eq(p + ISAKMP_HDR_LEN + bs, m1 + ISAKMP_HDR_LEN + bs,
			 37 - bs);
	ikecrypt_cipher_wipe(&c);
	ck_assert_uint_eq(c.keylen, 0);
}
END_TEST

START_TEST(test_ikecrypt_bad)
{
	struct ike_cipher c = { .alg = CRYPTO_CIPHER_AES_CBC, .keylen = 16 };
	struct ike_iv iv = { .len = 16 }, next, iv8 = { .len = 8 };
	uint8_t m[128], out[128];
	size_t len, outlen;

	/* Header only: nothing to encrypt. */
	len = test_msg(m, 0, 0);
	ck_assert_int_eq(ikecrypt_encrypt(&c, &iv, &next, m, len, out,
					  sizeof(out), &outlen), -1);
	len = test_msg(m, 20, 0);
	ck_assert_int_eq(ikecrypt_encrypt(&c, &iv, &next, m, len, out, 40,
					  &outlen), -1);	/* no room */
	ck_assert_int_eq(ikecrypt_encrypt(&c, &iv8, &next, m, len, out,
					  sizeof(out), &outlen), -1);
	/* Decrypt: no E flag, length mismatch, partial block, empty body. */
	len = test_msg(m, 32, 0);
	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv, &next, m, len, out,
					  sizeof(out), &outlen), -1);
	m[19] = ISAKMP_FLAG_ENC;
	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv, &next, m, len, out,
					  sizeof(out), &outlen), 0);
	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv, &next, m, len - 1, out,
					  sizeof(out), &outlen), -1);
	len = test_msg(m, 17, 0);
	m[19] = ISAKMP_FLAG_ENC;
	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv, &next, m, len, out,
					  sizeof(out), &outlen), -1);
	len = test_msg(m, 0, 0);
	m[19] = ISAKMP_FLAG_ENC;
	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv, &next, m, len, out,
					  sizeof(out), &outlen), -1);
	ck_assert_int_eq(ikecrypt_decrypt(&c, &iv, &next, m, 10, out,
					  sizeof(out), &outlen), -1);
}
END_TEST

Suite *
suite_ike(void)
{
	Suite *s = suite_create("ike");
	TCase *tc;

	tc = tcase_create("crypto");
	tcase_add_loop_test(tc, test_hmac_kat, 0,
			    sizeof(hmac_kat) / sizeof(hmac_kat[0]));
	tcase_add_test(tc, test_hash_and_misc);
	tcase_add_test(tc, test_random_pool);
	tcase_add_loop_test(tc, test_cbc_kat, 0,
			    sizeof(cbc_kat) / sizeof(cbc_kat[0]));
	tcase_add_test(tc, test_cbc_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("dh");
	tcase_add_test(tc, test_dh_rfc5903);
	tcase_add_test(tc, test_dh_prime14);
	tcase_add_loop_test(tc, test_dh_roundtrip, 0,
			    sizeof(dh_groups) / sizeof(dh_groups[0]));
	tcase_add_test(tc, test_dh_modp_fixed);
	tcase_add_test(tc, test_dh_peer_checks);
	tcase_add_test(tc, test_dh_shared);
	suite_add_tcase(s, tc);

	tc = tcase_create("ikekeys");
	tcase_add_loop_test(tc, test_ikekeys_kat, 0, sizeof(kv) / sizeof(kv[0]));
	tcase_add_loop_test(tc, test_ikekeys_iv_hash, 0,
			    sizeof(kv) / sizeof(kv[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("ikecrypt");
	tcase_add_test(tc, test_ikecrypt_kat);
	tcase_add_loop_test(tc, test_ikecrypt_chain, 0,
			    sizeof(ikecrypt_ciphers) / sizeof(ikecrypt_ciphers[0]));
	tcase_add_test(tc, test_ikecrypt_bad);
	suite_add_tcase(s, tc);

	return s;
}
