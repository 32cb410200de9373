/*
 * ESP for group SAs: ipsec/esp (encap/decap, AEAD step, TBAR) and
 * ipsec/replay (RFC 4303 sliding window).
 *
 * Known answers: doc/protocol.md §9.3 (our ESP packets, computed
 * independently), §9.1 McGrew-Viega GCM test cases 2-4, and the ESP
 * cases of draft-mcgrew-gcm-test-01 (RFC 4106 GCM, RFC 4543 GMAC).
 * Robustness: every truncation and every bit flip of a packet of each
 * suite is dropped with the expected reason.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "ipsec/esp.h"
#include "ipsec/replay.h"
#include "hex_fixtures.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BUF 70000
#define SPI 0x12345678u

/* ---- helpers ---- */

static uint16_t
cksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
fix_cksum(uint8_t *ip)
{
	uint16_t c;

	ip[10] = ip[11] = 0;
	c = cksum(ip, (size_t)(ip[0] & 0x0f) * 4);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

/* A valid IPv4/UDP packet of len octets (len >= 20) 10.1.1.1 -> 10.2.2.2. */
static void
mk_inner(uint8_t *p, size_t len, uint8_t tos, uint16_t frag)
{
	static const uint8_t hdr[20] = { 0x45, 0, 0, 0, 0xab, 0xcd, 0, 0, 63,
					 17, 0, 0, 10, 1, 1, 1, 10, 2, 2, 2 };

	memcpy(p, hdr, sizeof(hdr));
	p[1] = tos;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[6] = (uint8_t)(frag >> 8);
	p[7] = (uint8_t)frag;
	for (size_t i = 20; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	fix_cksum(p);
}

static struct ipsec_sa
mk_cfg(enum ipsec_enc enc, enum ipsec_auth auth, size_t klen, size_t alen,
       enum ipsec_dir dir)
{
	struct ipsec_sa c;

	memset(&c, 0, sizeof(c));
	c.spi = htonl(SPI);
	c.dir = dir;
	c.enc = enc;
	c.auth = auth;
	c.enc_key_len = klen;
	c.auth_key_len = alen;
	for (size_t i = 0; i < klen; i++)
		c.enc_key[i] = (uint8_t)(0x40 + i);
	for (size_t i = 0; i < alen; i++)
		c.auth_key[i] = (uint8_t)(0x90 + i);
	c.sid = 0x0123;
	c.sid_bits = 16;
	return c;
}

/* Output and input SAs made from the same configuration. */
struct pair {
	struct esp_sa *out, *in;
};

static struct pair
mk_pair(struct ipsec_sa c)
{
	struct pair p;

	c.dir = IPSEC_DIR_OUT;
	p.out = esp_sa_new(&c);
	c.dir = IPSEC_DIR_IN;
	p.in = esp_sa_new(&c);
	ck_assert_ptr_nonnull(p.out);
	ck_assert_ptr_nonnull(p.in);
	return p;
}

static void
free_pair(struct pair *p)
{
	esp_sa_free(p->out);
	esp_sa_free(p->in);
}

/* The suites used by the robustness and replay tests. */
static const struct suite_case {
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	size_t klen, alen;
	enum ipsec_replay replay;
} suites[] = {
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 20, 0, IPSEC_REPLAY_NONE },
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 36, 0, IPSEC_REPLAY_TIME },
	{ IPSEC_ENC_AES_GMAC, IPSEC_AUTH_NONE, 20, 0, IPSEC_REPLAY_TIME },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96, 16, 20,
	  IPSEC_REPLAY_NONE },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128, 32, 32,
	  IPSEC_REPLAY_TIME },
};

static struct pair
mk_suite(int i, uint32_t window)
{
	struct ipsec_sa c = mk_cfg(suites[i].enc, suites[i].auth,
				   suites[i].klen, suites[i].alen,
				   IPSEC_DIR_OUT);

	c.replay = suites[i].replay;
	c.replay_window = c.replay == IPSEC_REPLAY_TIME ? 5 : window;
	return mk_pair(c);
}

#define PT 1000000		/* pseudotime of the test packets, ms */

/* ---- §9.3 packets byte for byte ---- */

static const struct {
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	const char *key, *akey, *iv;
	uint32_t seq;
	unsigned sid, sid_bits;
	const char *esp;
} kat93[] = {
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE,
	  "feffe9928665731c6d6a8f9467308308cafebabe", "", NULL, 1, 0x05, 8,
	  "12345678 00000001 0500000000000001"
	  "a219d3892be8295dc0e0db3d021d3e33c1d5cbe9aa770a60747095cd6bb241d2"
	  "079281960a129841ae716e0dd77046d2" },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128,
	  "000102030405060708090a0b0c0d0e0f",
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
	  "808182838485868788898a8b8c8d8e8f", 7, 0, 0,
	  "12345678 00000007 808182838485868788898a8b8c8d8e8f"
	  "123c721a669efc2d44536f9c8fa66e10148b53594b6dcc78c6245e52493d0b48"
	  "8b30ab9061fda07ea66d12ffa699e091" },
};

static const char inner93[] =
	"4500001c000100004001f68dc0a80101c0a802010800f7fd00010001";

START_TEST(test_kat93)
{
	uint8_t inner[64], key[64], akey[64], iv[16], want[128], pkt[256];
	uint8_t out[256];
	size_t ilen = unhex(inner93, inner, sizeof(inner)), n, wlen;
	struct ipsec_sa c;
	struct pair p;
	enum esp_drop why;

	memset(&c, 0, sizeof(c));
	c.spi = htonl(SPI);
	c.enc = kat93[_i].enc;
	c.auth = kat93[_i].auth;
	c.enc_key_len = unhex(kat93[_i].key, key, sizeof(key));
	c.auth_key_len = unhex(kat93[_i].akey, akey, sizeof(akey));
	memcpy(c.enc_key, key, c.enc_key_len);
	memcpy(c.auth_key, akey, c.auth_key_len);
	c.sid = kat93[_i].sid;
	c.sid_bits = kat93[_i].sid_bits;
	p = mk_pair(c);
	ck_assert_int_eq(esp_sa_set_counters(p.out, kat93[_i].seq - 1, 0), 0);
	if (kat93[_i].iv != NULL)
		unhex(kat93[_i].iv, iv, sizeof(iv));
	ck_assert_int_eq(esp_encap_iv(p.out, inner, ilen, 0,
				      kat93[_i].iv ? iv : NULL, pkt,
				      sizeof(pkt), &n), 0);
	wlen = unhex(kat93[_i].esp, want, sizeof(want));
	ck_assert_uint_eq(n, 20 + wlen);
	ck_assert_uint_eq(n, esp_encap_len(p.out, ilen));
	ck_assert_mem_eq(pkt + 20, want, wlen);
	/* Outer header: inner addresses, TOS, TTL; protocol 50; checksum. */
	ck_assert_uint_eq(pkt[0], 0x45);
	ck_assert_uint_eq(pkt[1], inner[1]);
	ck_assert_uint_eq((size_t)(pkt[2] << 8 | pkt[3]), n);
	ck_assert_uint_eq(pkt[6] & 0xbf, 0);
	ck_assert_uint_eq(pkt[7], 0);
	ck_assert_uint_eq(pkt[8], inner[8]);
	ck_assert_uint_eq(pkt[9], 50);
	ck_assert_uint_eq(cksum(pkt, 20), 0);
	ck_assert_mem_eq(pkt + 12, inner + 12, 8);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, 0, NULL, out, sizeof(out),
				   &wlen, &why), 0);
	ck_assert_int_eq(why, ESP_OK);
	ck_assert_uint_eq(wlen, ilen);
	ck_assert_mem_eq(out, inner, ilen);
	free_pair(&p);
}
END_TEST

/* ---- AEAD known answers through the EVP path ---- */

static const struct {
	const char *key;	/* key | salt */
	const char *iv, *aad, *pt, *ct, *tag;
} aead_kat[] = {
	/* McGrew-Viega GCM spec test case 2 (doc/protocol.md §9.1) */
	{ "00000000000000000000000000000000 00000000", "0000000000000000", "",
	  "00000000000000000000000000000000",
	  "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	/* test case 3 */
	{ "feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888", "",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	/* test case 4 */
	{ "feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	/* draft-mcgrew-gcm-test-01 ESP cases, AAD = SPI | Seq */
	{ "feffe9928665731c6d6a8f9467308308feffe9928665731c cafebabe",
	  "facedbaddecaf888", "0000a5f80000000a",
	  "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e"
	  "501016d075680001",
	  "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0"
	  "315b27452144cc77",
	  "95457b9652037f5318027b5b4cd7a636" },
	{ "abbccddef00112233445566778899aababbccddef00112233445566778899aab"
	  " 11223344", "0102030405060708", "4a2cbfe300000002",
	  "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
	  "7002400020bf0000020405b40101040201020201",
	  "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
	  "748a637985771d347f0545659f14e99def842d8e",
	  "b335f4eecfdbf831824b4c4915956c96" },
	{ "00000000000000000000000000000000 00000000", "0000000000000000",
	  "0000000000000001",
	  "4500003c99c500008001cb7a40679318010101010800075c0200440061626364"
	  "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
	  "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284"
	  "456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3",
	  "f821d496eeb096e98ad2b69e4799c71d" },
	{ "7d773d00c144c525ac619d18c84a3f47 d9664267", "43457e9182443bc6",
	  "335467aeffffffff", "01020201", "437f866b",
	  "cb3f699fe9b0822bac961c4504bef270" },
	/* GMAC (RFC 4543): SPI | Seq | IV | payload all in the AAD */
	{ "4c80cdefbb5d10da906ac73c3613a634 22433c64", "0000000000000000",
	  "00004321000000070000000000000000"
	  "45000030da3a00008001df3bc0a80005c0a800010800c6cd0200070061626364"
	  "65666768696a6b6c6d6e6f707172737401020201", "", "",
	  "f2a9a836e155106aa8dcd618e4099aaa" },
};

START_TEST(test_aead_kat)
{
	uint8_t key[64], iv[8], aad[128], pt[128], ct[128], tag[16];
	uint8_t buf[128], t[16];
	size_t klen, alen, plen;
	struct ipsec_sa c;
	struct pair p;

	klen = unhex(aead_kat[_i].key, key, sizeof(key));
	ck_assert_uint_eq(unhex(aead_kat[_i].iv, iv, sizeof(iv)), 8);
	alen = unhex(aead_kat[_i].aad, aad, sizeof(aad));
	plen = unhex(aead_kat[_i].pt, pt, sizeof(pt));
	ck_assert_uint_eq(unhex(aead_kat[_i].ct, ct, sizeof(ct)), plen);
	unhex(aead_kat[_i].tag, tag, sizeof(tag));
	c = mk_cfg(plen ? IPSEC_ENC_AES_GCM_16 : IPSEC_ENC_AES_GMAC,
		   IPSEC_AUTH_NONE, 0, 0, IPSEC_DIR_OUT);
	c.enc_key_len = klen;
	memcpy(c.enc_key, key, klen);
	p = mk_pair(c);
	memcpy(buf, pt, plen);
	ck_assert_int_eq(esp_aead_seal(p.out, iv, aad, alen, buf, plen, t), 0);
	ck_assert_mem_eq(buf, ct, plen);
	ck_assert_mem_eq(t, tag, 16);
	ck_assert_int_eq(esp_aead_open(p.in, iv, aad, alen, ct, buf, plen, tag),
			 0);
	ck_assert_mem_eq(buf, pt, plen);
	/* The warm context gives the same answer twice, and directions hold. */
	ck_assert_int_eq(esp_aead_open(p.in, iv, aad, alen, ct, buf, plen, tag),
			 0);
	ck_assert_int_eq(esp_aead_seal(p.in, iv, aad, alen, buf, plen, t), -1);
	ck_assert_int_eq(esp_aead_open(p.out, iv, aad, alen, ct, buf, plen,
				       tag), -1);
	memcpy(t, tag, 16);
	t[15] ^= 1;
	ck_assert_int_eq(esp_aead_open(p.in, iv, aad, alen, ct, buf, plen, t),
			 -1);
	free_pair(&p);
}
END_TEST

/*
 * The draft's ESP packets through esp_decap: they authenticate and their
 * padding (1, 2) parses, and they stop at the Next Header, which the
 * draft sets to 1 rather than 4.  A flipped tag stops them at the ICV.
 */
START_TEST(test_draft_decap)
{
	int k = _i + 3;		/* the draft cases of aead_kat[] */
	uint8_t key[64], pkt[256], out[256];
	size_t klen, n = 20, len;
	bool gmac = aead_kat[k].pt[0] == '\0';
	struct ipsec_sa c;
	struct esp_sa *in;
	enum esp_drop why;

	klen = unhex(aead_kat[k].key, key, sizeof(key));
	c = mk_cfg(gmac ? IPSEC_ENC_AES_GMAC : IPSEC_ENC_AES_GCM_16,
		   IPSEC_AUTH_NONE, 0, 0, IPSEC_DIR_IN);
	c.enc_key_len = klen;
	memcpy(c.enc_key, key, klen);
	if (gmac) {
		n += unhex(aead_kat[k].aad, pkt + n, 200);
	} else {
		n += unhex(aead_kat[k].aad, pkt + n, 8);
		n += unhex(aead_kat[k].iv, pkt + n, 8);
		n += unhex(aead_kat[k].ct, pkt + n, 200);
	}
	memcpy(&c.spi, pkt + 20, 4);
	in = esp_sa_new(&c);
	ck_assert_ptr_nonnull(in);
	n += unhex(aead_kat[k].tag, pkt + n, 16);
	mk_inner(pkt, 20, 0, 0);
	pkt[2] = (uint8_t)(n >> 8);
	pkt[3] = (uint8_t)n;
	pkt[9] = 50;
	fix_cksum(pkt);
	ck_assert_int_eq(esp_decap(in, pkt, n, 0, NULL, out, sizeof(out), &len,
				   &why), -1);
	ck_assert_str_eq(esp_drop_name(why), "next-header");
	pkt[n - 1] ^= 0x80;
	ck_assert_int_eq(esp_decap(in, pkt, n, 0, NULL, out, sizeof(out), &len,
				   &why), -1);
	ck_assert_int_eq(why, ESP_DROP_AUTH);
	esp_sa_free(in);
}
END_TEST

/* ---- round trips: every transform and key size ---- */

static const struct {
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	size_t klen, alen, iv, icv;
} rt[] = {
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 20, 0, 8, 16 },
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 28, 0, 8, 16 },
	{ IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 36, 0, 8, 16 },
	{ IPSEC_ENC_AES_GMAC, IPSEC_AUTH_NONE, 20, 0, 8, 16 },
	{ IPSEC_ENC_AES_GMAC, IPSEC_AUTH_NONE, 28, 0, 8, 16 },
	{ IPSEC_ENC_AES_GMAC, IPSEC_AUTH_NONE, 36, 0, 8, 16 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96, 16, 20, 16, 12 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96, 32, 20, 16, 12 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128, 16, 32, 16, 16 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128, 24, 32, 16, 16 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA256_128, 32, 32, 16, 16 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA384_192, 32, 48, 16, 24 },
	{ IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA512_256, 32, 64, 16, 32 },
};

static const size_t rt_lens[] = { 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
				  30, 31, 32, 33, 47, 48, 49, 64, 100, 1400,
				  65400, 65515 };

/* Encapsulate inner of ilen, decapsulate, compare; then both in place. */
static void
roundtrip_one(int i, struct pair *p, size_t ilen, size_t tbar,
	      uint8_t *inner, uint8_t *pkt, uint8_t *out)
{
	size_t align = rt[i].iv == 16 ? 16 : 4, n, len;
	size_t want = 20 + 8 + rt[i].iv + rt[i].icv +
		      (tbar + ilen + 2 + align - 1) / align * align;
	enum esp_drop why;
	int rc;

	mk_inner(inner, ilen, 0x28, 0x4000);
	ck_assert_uint_eq(esp_encap_len(p->out, ilen), want);
	rc = esp_encap(p->out, inner, ilen, PT, pkt, BUF, &n);
	if (want > 65535) {
		ck_assert_int_eq(rc, ESP_ENCAP_TOO_BIG);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, want);
	ck_assert_int_eq(esp_decap(p->in, pkt, n, PT, NULL, out, BUF, &len,
				   &why), 0);
	ck_assert_int_eq(why, ESP_OK);
	ck_assert_uint_eq(len, ilen);
	ck_assert_mem_eq(out, inner, ilen);
	/* In place: inner read at the headroom, decrypted where it lies. */
	memcpy(pkt + esp_headroom(p->out), inner, ilen);
	ck_assert_int_eq(esp_encap(p->out, pkt + esp_headroom(p->out), ilen,
				   PT, pkt, BUF, &n), 0);
	ck_assert_int_eq(esp_decap(p->in, pkt, n, PT, NULL, pkt, BUF, &len,
				   &why), 0);
	ck_assert_uint_eq(len, ilen);
	ck_assert_mem_eq(pkt, inner, ilen);
}

START_TEST(test_roundtrip)
{
	uint8_t *inner = malloc(BUF), *pkt = malloc(BUF), *out = malloc(BUF);

	for (size_t tbar = 0; tbar <= 12; tbar += 12) {
		struct ipsec_sa c = mk_cfg(rt[_i].enc, rt[_i].auth,
					   rt[_i].klen, rt[_i].alen,
					   IPSEC_DIR_OUT);
		struct pair p;

		c.replay = tbar ? IPSEC_REPLAY_TIME : IPSEC_REPLAY_NONE;
		c.replay_window = 5;
		p = mk_pair(c);
		ck_assert_uint_eq(esp_headroom(p.out),
				  20 + 8 + rt[_i].iv + tbar);
		for (size_t k = 0; k < sizeof(rt_lens) / sizeof(*rt_lens); k++)
			roundtrip_one(_i, &p, rt_lens[k], tbar, inner, pkt,
				      out);
		free_pair(&p);
	}
	free(inner);
	free(pkt);
	free(out);
}
END_TEST

/* ---- RFC 6054 sender IDs ---- */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
iv_of(const uint8_t *pkt)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | pkt[28 + i];
	return v;
}

/* Two members, same group key, different SIDs: nonces never repeat. */
START_TEST(test_sid_nonces)
{
	enum { N = 3000 };
	static const unsigned sids[2] = { 0x0001, 0x8001 };
	uint64_t *ivs = malloc(2 * N * sizeof(*ivs));
	uint8_t inner[64], pkt[256];
	struct esp_sa *sa[2];
	size_t n;

	mk_inner(inner, 40, 0, 0);
	for (int s = 0; s < 2; s++) {
		struct ipsec_sa c = mk_cfg(_i ? IPSEC_ENC_AES_GMAC :
					   IPSEC_ENC_AES_GCM_16,
					   IPSEC_AUTH_NONE, 20, 0,
					   IPSEC_DIR_OUT);

		c.sid = sids[s];
		sa[s] = esp_sa_new(&c);
		ck_assert_ptr_nonnull(sa[s]);
	}
	for (int k = 0; k < N; k++) {
		for (int s = 0; s < 2; s++) {
			uint64_t iv;

			ck_assert_int_eq(esp_encap(sa[s], inner, 40, PT, pkt,
						   sizeof(pkt), &n), 0);
			iv = iv_of(pkt);
			ck_assert_uint_eq(iv >> 48, sids[s]);
			ck_assert_uint_eq(iv & 0xffffffffffffULL,
					  (uint64_t)k + 1);
			ivs[s * N + k] = iv;
		}
	}
	qsort(ivs, 2 * N, sizeof(*ivs), cmp_u64);
	for (int k = 1; k < 2 * N; k++)
		ck_assert_uint_ne(ivs[k - 1], ivs[k]);
	esp_sa_free(sa[0]);
	esp_sa_free(sa[1]);
	free(ivs);
}
END_TEST

/* ---- robustness: truncations and bit flips ---- */

static size_t
mk_packet(struct pair *p, uint8_t *pkt, size_t cap)
{
	uint8_t inner[128];
	size_t n;

	mk_inner(inner, 61, 0, 0x4000);
	ck_assert_int_eq(esp_encap(p->out, inner, 61, PT, pkt, cap, &n), 0);
	return n;
}

START_TEST(test_truncations)
{
	struct pair p = mk_suite(_i, 64);
	uint8_t pkt[256], cut[256], out[256];
	size_t n = mk_packet(&p, pkt, sizeof(pkt)), len;
	enum esp_drop why;

	for (size_t k = 0; k < n; k++) {
		/* As cut, and with the outer length made to agree. */
		memcpy(cut, pkt, k);
		ck_assert_int_eq(esp_decap(p.in, cut, k, PT, NULL, out,
					   sizeof(out), &len, &why), -1);
		ck_assert_int_eq(why, ESP_DROP_MALFORMED);
		if (k < 20)
			continue;
		cut[2] = (uint8_t)(k >> 8);
		cut[3] = (uint8_t)k;
		fix_cksum(cut);
		ck_assert_int_eq(esp_decap(p.in, cut, k, PT, NULL, out,
					   sizeof(out), &len, &why), -1);
		if (k < 24)
			ck_assert_int_eq(why, ESP_DROP_MALFORMED);
		else
			ck_assert(why == ESP_DROP_MALFORMED ||
				  why == ESP_DROP_AUTH);
	}
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, sizeof(out),
				   &len, &why), 0);
	free_pair(&p);
}
END_TEST

START_TEST(test_bitflips)
{
	struct pair p = mk_suite(_i, 64);
	uint8_t pkt[256], out[256];
	size_t n = mk_packet(&p, pkt, sizeof(pkt)), len;
	enum esp_drop why, want;

	for (size_t bit = 0; bit < n * 8; bit++) {
		pkt[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		memset(out, 0xee, sizeof(out));
		ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out,
					   sizeof(out), &len, &why), -1);
		/* The outer checksum catches every single flip in the header;
		 * the SPI is looked up; everything else is under the ICV. */
		want = bit < 160 ? ESP_DROP_MALFORMED :
		       bit < 192 ? ESP_DROP_SPI : ESP_DROP_AUTH;
		ck_assert_int_eq(why, want);
		/* No plaintext of a forged packet is handed out. */
		for (size_t k = 0; k < 61; k++)
			ck_assert(out[k] == 0xee || out[k] == 0);
		pkt[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, sizeof(out),
				   &len, &why), 0);
	free_pair(&p);
}
END_TEST

/* ---- hand-made payloads: padding lies, next header, TBAR, policy ---- */

/* A GCM packet around plaintext plain, sealed with out's key. */
static size_t
seal_custom(struct esp_sa *out, const uint8_t *plain, size_t plen,
	    const uint8_t *addrs, uint8_t *pkt)
{
	static uint64_t ctr;
	uint8_t *esp = pkt + 20;
	size_t n = 20 + 8 + 8 + plen + 16;

	mk_inner(pkt, 20, 0, 0);
	pkt[2] = (uint8_t)(n >> 8);
	pkt[3] = (uint8_t)n;
	pkt[9] = 50;
	memcpy(pkt + 12, addrs, 8);
	fix_cksum(pkt);
	memcpy(esp, "\x12\x34\x56\x78\x00\x00\x00\x01", 8);
	ctr++;
	for (int i = 0; i < 8; i++)
		esp[8 + i] = (uint8_t)(ctr >> (56 - 8 * i));
	memcpy(esp + 16, plain, plen);
	ck_assert_int_eq(esp_aead_seal(out, esp + 8, esp, 8, esp + 16, plen,
				       esp + 16 + plen), 0);
	return n;
}

#define I93 "4500001c000100004001f68dc0a80101c0a802010800f7fd00010001"
#define TB(pt) "040c0000" pt I93

static const struct {
	const char *plain;
	bool tbar, other_dst;
	enum esp_drop want;
} custom[] = {
	{ I93 "01020204", false, false, ESP_OK },
	{ I93 "01030204", false, false, ESP_DROP_PAD },
	{ I93 "01020304", false, false, ESP_DROP_PAD },
	{ I93 "0102ff04", false, false, ESP_DROP_PAD },
	{ I93 "01021f04", false, false, ESP_DROP_PAD },
	{ I93 "0004", false, false, ESP_DROP_MALFORMED },
	{ I93 "0102023b", false, false, ESP_DROP_NEXT_HEADER },
	{ I93 "010202fd", false, false, ESP_DROP_NEXT_HEADER },
	{ I93 "00000029", false, false, ESP_DROP_NEXT_HEADER },
	{ I93 "01020204", false, true, ESP_DROP_POLICY },
	{ "4500001d000100004001f68dc0a80101c0a802010800f7fd00010001"
	  "01020204", false, false, ESP_DROP_MALFORMED },
	{ "6500001c000100004001f68dc0a80101c0a802010800f7fd00010001"
	  "01020204", false, false, ESP_DROP_MALFORMED },
	{ "01020204", false, false, ESP_DROP_MALFORMED },
	{ TB("00000000000186a0") "010202fd", true, false, ESP_OK },
	{ TB("00000000000186a0") "010202fd", true, true, ESP_DROP_POLICY },
	{ TB("00000000000186a0") "010202fd", false, false,
	  ESP_DROP_NEXT_HEADER },
	{ I93 "01020204", true, false, ESP_DROP_REPLAY },
	{ TB("0000000000030d40") "010202fd", true, false, ESP_DROP_REPLAY },
	{ "040b0000" "00000000000186a0" I93 "010202fd", true, false,
	  ESP_DROP_MALFORMED },
	{ "040c0001" "00000000000186a0" I93 "010202fd", true, false,
	  ESP_DROP_MALFORMED },
	{ "290c0000" "00000000000186a0" I93 "010202fd", true, false,
	  ESP_DROP_NEXT_HEADER },
	{ "040c0000" "010202fd", true, false, ESP_DROP_MALFORMED },
};

START_TEST(test_custom_payloads)
{
	static const uint8_t addrs[8] = { 0xc0, 0xa8, 1, 1, 0xc0, 0xa8, 2, 1 };
	static const uint8_t other[8] = { 0xc0, 0xa8, 1, 1, 0xc0, 0xa8, 2, 2 };
	struct ipsec_sa c = mk_cfg(IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 20, 0,
				   IPSEC_DIR_OUT);
	uint8_t plain[128], pkt[256], out[256];
	size_t plen = unhex(custom[_i].plain, plain, sizeof(plain)), n, len;
	struct pair p;
	enum esp_drop why;

	c.replay = custom[_i].tbar ? IPSEC_REPLAY_TIME : IPSEC_REPLAY_NONE;
	c.replay_window = 5;
	p = mk_pair(c);
	n = seal_custom(p.out, plain, plen,
			custom[_i].other_dst ? other : addrs, pkt);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, 100000, NULL, out,
				   sizeof(out), &len, &why),
			 custom[_i].want == ESP_OK ? 0 : -1);
	ck_assert_str_eq(esp_drop_name(why), esp_drop_name(custom[_i].want));
	if (why == ESP_OK) {
		ck_assert_uint_eq(len, 28);
		ck_assert_mem_eq(out, plain + (custom[_i].tbar ? 12 : 0), 28);
	}
	free_pair(&p);
}
END_TEST

START_TEST(test_bad_spi)
{
	struct pair p = mk_suite(_i, 64);
	uint8_t pkt[256], out[256];
	size_t n = mk_packet(&p, pkt, sizeof(pkt)), len;
	enum esp_drop why;

	pkt[23] ^= 0x01;	/* last SPI octet: outer checksum unaffected */
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, sizeof(out),
				   &len, &why), -1);
	ck_assert_int_eq(why, ESP_DROP_SPI);
	pkt[23] ^= 0x01;
	/* An outbound SA never decapsulates, an inbound one never encaps. */
	ck_assert_int_eq(esp_decap(p.out, pkt, n, PT, NULL, out, sizeof(out),
				   &len, &why), -1);
	ck_assert_int_eq(why, ESP_DROP_SPI);
	ck_assert_int_eq(esp_encap(p.in, out, 20, PT, pkt, sizeof(pkt), &n),
			 ESP_ENCAP_EINVAL);
	free_pair(&p);
}
END_TEST

/* ---- time-based anti-replay window ---- */

static const struct {
	uint64_t pts, ptr;
	enum esp_drop want;
} tbar[] = {
	{ 100000, 100000, ESP_OK },
	{ 100000, 105000, ESP_OK },
	{ 100000, 95000, ESP_OK },
	{ 100000, 105001, ESP_DROP_REPLAY },
	{ 100000, 94999, ESP_DROP_REPLAY },
	{ 0, 5000, ESP_OK },
	{ 0, 5001, ESP_DROP_REPLAY },
	{ UINT64_MAX, UINT64_MAX - 5000, ESP_OK },
	{ UINT64_MAX, 0, ESP_DROP_REPLAY },
	{ 0, UINT64_MAX, ESP_DROP_REPLAY },
};

START_TEST(test_tbar_window)
{
	uint8_t inner[64], pkt[256], out[256];
	size_t n, len;
	enum esp_drop why;

	mk_inner(inner, 40, 0, 0);
	for (int s = 0; s < NCASES(suites); s++) {
		struct pair p;

		if (suites[s].replay != IPSEC_REPLAY_TIME)
			continue;
		p = mk_suite(s, 0);
		ck_assert_int_eq(esp_encap(p.out, inner, 40, tbar[_i].pts, pkt,
					   sizeof(pkt), &n), 0);
		ck_assert_int_eq(esp_decap(p.in, pkt, n, tbar[_i].ptr, NULL,
					   out, sizeof(out), &len, &why),
				 tbar[_i].want == ESP_OK ? 0 : -1);
		ck_assert_int_eq(why, tbar[_i].want);
		free_pair(&p);
	}
}
END_TEST

/* ---- counter anti-replay through esp_decap ---- */

static size_t
pkt_with_seq(struct esp_sa *out, uint32_t seq, uint8_t *pkt)
{
	static uint64_t ctr;
	uint8_t inner[64];
	size_t n;

	mk_inner(inner, 44, 0, 0);
	ck_assert_int_eq(esp_sa_set_counters(out, seq - 1, ctr++), 0);
	ck_assert_int_eq(esp_encap(out, inner, 44, PT, pkt, 256, &n), 0);
	return n;
}

static enum esp_drop
deliver(struct pair *p, struct replay_state *rs, uint32_t seq, bool forge)
{
	uint8_t pkt[256], out[256];
	size_t n = pkt_with_seq(p->out, seq, pkt), len;
	enum esp_drop why;

	if (forge)
		pkt[n - 1] ^= 0x40;
	esp_decap(p->in, pkt, n, PT, rs, out, sizeof(out), &len, &why);
	return why;
}

START_TEST(test_counter_replay)
{
	struct ipsec_sa c = mk_cfg(suites[_i].enc, suites[_i].auth,
				   suites[_i].klen, suites[_i].alen,
				   IPSEC_DIR_OUT);
	struct replay_state rs;
	struct pair p;
	uint8_t pkt[256], out[256];
	size_t n, len;
	enum esp_drop why;

	c.replay = IPSEC_REPLAY_COUNTER;
	c.replay_window = 64;
	p = mk_pair(c);
	ck_assert_int_eq(replay_init(&rs, 64), 0);
	for (uint32_t s = 1; s <= 5; s++)
		ck_assert_int_eq(deliver(&p, &rs, s, false), ESP_OK);
	ck_assert_int_eq(deliver(&p, &rs, 3, false), ESP_DROP_REPLAY);
	/* A forged packet far ahead does not move the window. */
	ck_assert_int_eq(deliver(&p, &rs, 1000, true), ESP_DROP_AUTH);
	ck_assert_uint_eq(rs.rs_top, 5);
	ck_assert_int_eq(deliver(&p, &rs, 7, false), ESP_OK);
	ck_assert_int_eq(deliver(&p, &rs, 6, false), ESP_OK);
	ck_assert_int_eq(deliver(&p, &rs, 100, false), ESP_OK);
	ck_assert_int_eq(deliver(&p, &rs, 36, false), ESP_DROP_REPLAY);
	ck_assert_int_eq(deliver(&p, &rs, 37, false), ESP_OK);
	ck_assert_int_eq(deliver(&p, &rs, 37, false), ESP_DROP_REPLAY);
	ck_assert_int_eq(deliver(&p, &rs, 100, false), ESP_DROP_REPLAY);
	/* Exactly the same packet twice: the second is a replay. */
	n = pkt_with_seq(p.out, 200, pkt);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, &rs, out, sizeof(out),
				   &len, &why), 0);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, &rs, out, sizeof(out),
				   &len, &why), -1);
	ck_assert_int_eq(why, ESP_DROP_REPLAY);
	/* Counter replay without a window refuses rather than accepts. */
	n = pkt_with_seq(p.out, 300, pkt);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, sizeof(out),
				   &len, &why), -1);
	ck_assert_int_eq(why, ESP_DROP_REPLAY);
	free_pair(&p);
}
END_TEST

/* ---- replay.c against a plain bitmap model ---- */

START_TEST(test_replay_model)
{
	static const uint32_t windows[] = { 64, 100, 128, 1000, 1024 };
	/* The model: the numbers accepted so far, by number mod 4096
	 * (distinct for any two numbers closer than 4096 > window). */
	static uint32_t seen[4096];
	uint32_t w = windows[_i], top = 0, seq;
	struct replay_state rs;
	unsigned r = 12345 + (unsigned)_i;
	int accepted = 0;

	memset(seen, 0, sizeof(seen));
	ck_assert_int_eq(replay_init(&rs, w), 0);
	ck_assert_int_eq(replay_commit(&rs, 4096), 0);
	top = seen[0] = 4096;
	for (int k = 0; k < 200000; k++) {
		int expect, got;

		r = r * 1103515245u + 12345u;
		/* Mostly around the window, sometimes far ahead. */
		seq = top + ((r >> 8) % (w + w / 2)) - w;
		if ((r & 0xff) == 0)
			seq = top + (r >> 16) % 3000;
		expect = seq == 0 ? -1 : seq > top ? 0 :
			 (top - seq >= w || seen[seq % 4096] == seq) ? -1 : 0;
		got = replay_check(&rs, seq);
		ck_assert_int_eq(got, expect);
		if (got == 0 && (r & 0x300) != 0) {
			ck_assert_int_eq(replay_commit(&rs, seq), 0);
			seen[seq % 4096] = seq;
			if (seq > top)
				top = seq;
			accepted++;
			ck_assert_int_eq(replay_check(&rs, seq), -1);
			ck_assert_int_eq(replay_commit(&rs, seq), -1);
		}
	}
	/* The walk went far enough to wrap the ring many times. */
	ck_assert_uint_gt(top, 100 * w);
	ck_assert_int_gt(accepted, 10000);
}
END_TEST

START_TEST(test_replay_edges)
{
	struct replay_state rs;

	ck_assert_int_eq(replay_init(&rs, 63), -1);
	ck_assert_int_eq(replay_check(&rs, 1), -1);
	ck_assert_int_eq(replay_init(&rs, 1025), -1);
	ck_assert_int_eq(replay_init(&rs, 64), 0);
	ck_assert_int_eq(replay_check(&rs, 0), -1);
	ck_assert_int_eq(replay_commit(&rs, 0), -1);
	ck_assert_int_eq(replay_commit(&rs, 1), 0);
	ck_assert_int_eq(replay_commit(&rs, UINT32_MAX), 0);
	ck_assert_int_eq(replay_check(&rs, UINT32_MAX - 63), 0);
	ck_assert_int_eq(replay_check(&rs, UINT32_MAX - 64), -1);
	ck_assert_int_eq(replay_check(&rs, 2), -1);
	ck_assert_int_eq(replay_commit(&rs, UINT32_MAX - 63), 0);
	ck_assert_int_eq(replay_check(&rs, UINT32_MAX - 63), -1);
	ck_assert_int_eq(replay_check(&rs, UINT32_MAX - 1), 0);
}
END_TEST

/* ---- sender limits ---- */

START_TEST(test_iv_exhaustion)
{
	static const unsigned bits[] = { 1, 8, 16, 32 };
	struct ipsec_sa c = mk_cfg(IPSEC_ENC_AES_GCM_16, IPSEC_AUTH_NONE, 20, 0,
				   IPSEC_DIR_OUT);
	uint64_t max = UINT64_MAX >> bits[_i];
	uint8_t inner[64], pkt[256];
	struct esp_sa *sa;
	size_t n;

	c.sid_bits = bits[_i];
	c.sid = bits[_i] == 32 ? 0xfedcba98u : 1;
	sa = esp_sa_new(&c);
	ck_assert_ptr_nonnull(sa);
	mk_inner(inner, 40, 0, 0);
	ck_assert_int_eq(esp_sa_set_counters(sa, 10, max + 1), -1);
	ck_assert_int_eq(esp_sa_set_counters(sa, 10, max - 1), 0);
	ck_assert_int_eq(esp_encap(sa, inner, 40, PT, pkt, sizeof(pkt), &n), 0);
	ck_assert_uint_eq(iv_of(pkt) & max, max);
	ck_assert_uint_eq(iv_of(pkt) >> (64 - bits[_i]), c.sid);
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(esp_encap(sa, inner, 40, PT, pkt, sizeof(pkt),
					   &n), ESP_ENCAP_EXHAUSTED);
	esp_sa_free(sa);
}
END_TEST

START_TEST(test_seq_limits)
{
	struct ipsec_sa c = mk_cfg(IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96,
				   16, 20, IPSEC_DIR_OUT);
	uint8_t inner[64], pkt[256];
	struct esp_sa *sa;
	size_t n;

	mk_inner(inner, 40, 0, 0);
	/* Without counter anti-replay the sequence number rolls over. */
	sa = esp_sa_new(&c);
	ck_assert_int_eq(esp_sa_set_counters(sa, UINT32_MAX, UINT64_MAX), 0);
	ck_assert_int_eq(esp_encap(sa, inner, 40, PT, pkt, sizeof(pkt), &n), 0);
	ck_assert_mem_eq(pkt + 24, "\0\0\0\0", 4);
	esp_sa_free(sa);
	/* With it, RFC 4303 §3.3.3 forbids the cycle. */
	c.replay = IPSEC_REPLAY_COUNTER;
	c.replay_window = 64;
	sa = esp_sa_new(&c);
	ck_assert_int_eq(esp_sa_set_counters(sa, UINT32_MAX - 1, 0), 0);
	ck_assert_int_eq(esp_encap(sa, inner, 40, PT, pkt, sizeof(pkt), &n), 0);
	ck_assert_mem_eq(pkt + 24, "\xff\xff\xff\xff", 4);
	ck_assert_int_eq(esp_encap(sa, inner, 40, PT, pkt, sizeof(pkt), &n),
			 ESP_ENCAP_EXHAUSTED);
	esp_sa_free(sa);
}
END_TEST

/* ---- configurations esp_sa_new refuses ---- */

#define RF(e, a, kl, al, d, sid, bits, rp, w)			\
	{ IPSEC_ENC_##e, IPSEC_AUTH_##a, kl, al, d, sid, bits,	\
	  IPSEC_REPLAY_##rp, w }
#define OUT IPSEC_DIR_OUT
#define IN IPSEC_DIR_IN

static const struct {
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	size_t klen, alen;
	enum ipsec_dir dir;
	unsigned sid, sid_bits;
	enum ipsec_replay replay;
	uint32_t window;
} refused[] = {
	RF(AES_GCM_16, HMAC_SHA1_96, 20, 20, OUT, 1, 16, NONE, 0),
	RF(AES_GCM_16, NONE, 16, 0, IN, 1, 16, NONE, 0),	/* no salt */
	RF(AES_GCM_16, NONE, 4, 0, IN, 1, 16, NONE, 0),
	RF(AES_GMAC, NONE, 21, 0, IN, 1, 16, NONE, 0),
	RF(AES_GCM_16, NONE, 20, 0, OUT, 0, 0, NONE, 0),	/* no SID */
	RF(AES_GCM_16, NONE, 20, 0, OUT, 256, 8, NONE, 0),
	RF(AES_GMAC, NONE, 20, 0, OUT, 1, 33, NONE, 0),
	RF(AES_CBC, NONE, 16, 0, OUT, 0, 0, NONE, 0),
	RF(AES_CBC, HMAC_SHA256_128, 16, 20, OUT, 0, 0, NONE, 0),
	RF(AES_CBC, HMAC_SHA1_96, 20, 20, OUT, 0, 0, NONE, 0),
	RF(AES_CBC, HMAC_MD5_96, 16, 16, OUT, 0, 0, NONE, 0),
	RF(3DES_CBC, HMAC_SHA1_96, 24, 20, OUT, 0, 0, NONE, 0),
	RF(NULL, HMAC_SHA1_96, 0, 20, OUT, 0, 0, NONE, 0),
	RF(AES_CBC, HMAC_SHA1_96, 16, 20, 0, 0, 0, NONE, 0),
	RF(AES_CBC, HMAC_SHA1_96, 16, 20, IN, 0, 0, TIME, 0),
	RF(AES_CBC, HMAC_SHA1_96, 16, 20, 3, 0, 0, NONE, 0),
};

#undef OUT
#undef IN

START_TEST(test_sa_refused)
{
	struct ipsec_sa c = mk_cfg(refused[_i].enc, refused[_i].auth,
				   refused[_i].klen, refused[_i].alen,
				   refused[_i].dir);
	struct esp_sa *sa;

	c.sid = refused[_i].sid;
	c.sid_bits = refused[_i].sid_bits;
	c.replay = refused[_i].replay;
	c.replay_window = refused[_i].window;
	ck_assert_ptr_null(esp_sa_new(&c));
	/* An unknown anti-replay mode; the same SA without it is fine. */
	c = mk_cfg(IPSEC_ENC_AES_CBC, IPSEC_AUTH_HMAC_SHA1_96, 16, 20,
		   IPSEC_DIR_IN);
	c.replay = (enum ipsec_replay)(7 + _i);
	ck_assert_ptr_null(esp_sa_new(&c));
	c.replay = IPSEC_REPLAY_NONE;
	sa = esp_sa_new(&c);
	ck_assert_ptr_nonnull(sa);
	ck_assert_int_eq(esp_sa_set_counters(sa, 1, 1), -1);
	esp_sa_free(sa);
	esp_sa_free(NULL);
}
END_TEST

/* ---- outer header: fragments, sizes, DF/TTL/TOS, ECN ---- */

START_TEST(test_fragments_and_sizes)
{
	struct pair p = mk_suite(0, 64);
	uint8_t inner[128], pkt[256], out[256];
	size_t n = mk_packet(&p, pkt, sizeof(pkt)), len;
	static const uint16_t frag[] = { 0x2000, 0x0001, 0x1fff, 0x6000 };
	enum esp_drop why;

	for (int k = 0; k < NCASES(frag); k++) {
		uint8_t f[256];

		memcpy(f, pkt, n);
		f[6] = (uint8_t)(frag[k] >> 8);
		f[7] = (uint8_t)frag[k];
		fix_cksum(f);
		ck_assert_int_eq(esp_decap(p.in, f, n, PT, NULL, out,
					   sizeof(out), &len, &why), -1);
		ck_assert_int_eq(why, ESP_DROP_FRAGMENT);
	}
	/* Not ESP; output buffer too small (copy and in place). */
	pkt[9] = 17;
	fix_cksum(pkt);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, sizeof(out),
				   &len, &why), -1);
	ck_assert_int_eq(why, ESP_DROP_MALFORMED);
	pkt[9] = 50;
	fix_cksum(pkt);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, 63, &len,
				   &why), -1);
	ck_assert_int_eq(why, ESP_DROP_TOO_BIG);
	/* In place the ICV is never written over: all but it must fit. */
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, pkt, n - 17, &len,
				   &why), -1);
	ck_assert_int_eq(why, ESP_DROP_TOO_BIG);
	ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out, 64, &len,
				   &why), 0);
	/* Encap: buffer one short, not IPv4, lengths that lie. */
	mk_inner(inner, 61, 0, 0);
	ck_assert_int_eq(esp_encap(p.out, inner, 61, PT, pkt,
				   esp_encap_len(p.out, 61) - 1, &n),
			 ESP_ENCAP_TOO_BIG);
	ck_assert_int_eq(esp_encap(p.out, inner, 60, PT, pkt, sizeof(pkt), &n),
			 ESP_ENCAP_EINVAL);
	ck_assert_int_eq(esp_encap(p.out, inner, 19, PT, pkt, sizeof(pkt), &n),
			 ESP_ENCAP_EINVAL);
	inner[0] = 0x44;
	ck_assert_int_eq(esp_encap(p.out, inner, 61, PT, pkt, sizeof(pkt), &n),
			 ESP_ENCAP_EINVAL);
	inner[0] = 0x65;
	ck_assert_int_eq(esp_encap(p.out, inner, 61, PT, pkt, sizeof(pkt), &n),
			 ESP_ENCAP_EINVAL);
	inner[0] = 0x45;
	ck_assert_int_eq(esp_encap_iv(p.out, inner, 61, PT, inner, pkt,
				      sizeof(pkt), &n), ESP_ENCAP_EINVAL);
	free_pair(&p);
}
END_TEST

START_TEST(test_outer_header)
{
	struct pair p = mk_suite(3, 64);
	uint8_t inner[128], a[256], b[256];
	size_t n, m;

	/* DF, TOS and TTL copied; MF and offset not; a fresh ID. */
	mk_inner(inner, 80, 0xb9, 0x4000 | 0x2000 | 0x0010);
	inner[8] = 7;
	fix_cksum(inner);
	ck_assert_int_eq(esp_encap(p.out, inner, 80, PT, a, sizeof(a), &n), 0);
	ck_assert_int_eq(esp_encap(p.out, inner, 80, PT, b, sizeof(b), &m), 0);
	ck_assert_uint_eq(a[1], 0xb9);
	ck_assert_uint_eq(a[6], 0x40);
	ck_assert_uint_eq(a[7], 0x00);
	ck_assert_uint_eq(a[8], 7);
	ck_assert_uint_eq(cksum(a, 20), 0);
	ck_assert(a[4] != b[4] || a[5] != b[5]);
	/* Two CBC packets of the same inner differ (random IVs). */
	ck_assert_mem_ne(a + 28, b + 28, 16);
	mk_inner(inner, 80, 0, 0);
	ck_assert_int_eq(esp_encap(p.out, inner, 80, PT, a, sizeof(a), &n), 0);
	ck_assert_uint_eq(a[6] | a[7], 0);
	free_pair(&p);
}
END_TEST

/* RFC 6040 §4.2: (inner, outer) -> forwarded inner ECN, or -1 = drop. */
static const struct {
	uint8_t inner, outer;
	int want;
} ecn[] = {
	{ 0, 0, 0 }, { 0, 1, 0 }, { 0, 2, 0 }, { 0, 3, -1 },
	{ 2, 0, 2 }, { 2, 1, 1 }, { 2, 2, 2 }, { 2, 3, 3 },
	{ 1, 0, 1 }, { 1, 1, 1 }, { 1, 2, 1 }, { 1, 3, 3 },
	{ 3, 0, 3 }, { 3, 1, 3 }, { 3, 2, 3 }, { 3, 3, 3 },
};

START_TEST(test_ecn)
{
	struct pair p = mk_suite(0, 64);
	uint8_t inner[128], pkt[256], out[256];
	size_t n, len;
	enum esp_drop why;

	mk_inner(inner, 52, (uint8_t)(0xa0 | ecn[_i].inner), 0);
	ck_assert_int_eq(esp_encap(p.out, inner, 52, PT, pkt, sizeof(pkt), &n),
			 0);
	ck_assert_uint_eq(pkt[1], inner[1]);
	pkt[1] = (uint8_t)(0xa0 | ecn[_i].outer);
	fix_cksum(pkt);
	if (ecn[_i].want < 0) {
		ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out,
					   sizeof(out), &len, &why), -1);
		ck_assert_int_eq(why, ESP_DROP_ECN);
	} else {
		ck_assert_int_eq(esp_decap(p.in, pkt, n, PT, NULL, out,
					   sizeof(out), &len, &why), 0);
		ck_assert_uint_eq(out[1], 0xa0 | ecn[_i].want);
		ck_assert_uint_eq(cksum(out, 20), 0);
		ck_assert_mem_eq(out + 2, inner + 2, 8);
		ck_assert_mem_eq(out + 12, inner + 12, 40);
	}
	free_pair(&p);
}
END_TEST

START_TEST(test_drop_names)
{
	for (int i = 0; i < ESP_DROP_COUNT; i++) {
		ck_assert_ptr_nonnull(esp_drop_name(i));
		ck_assert_str_ne(esp_drop_name(i), "?");
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(esp_drop_name(i), esp_drop_name(j));
	}
	ck_assert_str_eq(esp_drop_name(ESP_DROP_COUNT), "?");
	ck_assert_str_eq(esp_drop_name((enum esp_drop)-1), "?");
}
END_TEST

Suite *
suite_esp(void)
{
	Suite *s = suite_create("esp");
	TCase *kat = tcase_create("known-answer");
	TCase *rtc = tcase_create("roundtrip");
	TCase *rob = tcase_create("robustness");
	TCase *rep = tcase_create("anti-replay");
	TCase *snd = tcase_create("sender");
	TCase *hdr = tcase_create("headers");

	tcase_add_loop_test(kat, test_kat93, 0, NCASES(kat93));
	tcase_add_loop_test(kat, test_aead_kat, 0, NCASES(aead_kat));
	tcase_add_loop_test(kat, test_draft_decap, 0, NCASES(aead_kat) - 3);
	suite_add_tcase(s, kat);
	tcase_add_loop_test(rtc, test_roundtrip, 0, NCASES(rt));
	tcase_set_timeout(rtc, 30);
	suite_add_tcase(s, rtc);
	tcase_add_loop_test(rob, test_truncations, 0, NCASES(suites));
	tcase_add_loop_test(rob, test_bitflips, 0, NCASES(suites));
	tcase_add_loop_test(rob, test_bad_spi, 0, NCASES(suites));
	tcase_add_loop_test(rob, test_custom_payloads, 0, NCASES(custom));
	tcase_add_loop_test(rob, test_sa_refused, 0, NCASES(refused));
	suite_add_tcase(s, rob);
	tcase_add_loop_test(rep, test_tbar_window, 0, NCASES(tbar));
	tcase_add_loop_test(rep, test_counter_replay, 0, NCASES(suites));
	tcase_add_loop_test(rep, test_replay_model, 0, 5);
	tcase_add_test(rep, test_replay_edges);
	suite_add_tcase(s, rep);
	tcase_add_loop_test(snd, test_sid_nonces, 0, 2);
	tcase_add_loop_test(snd, test_iv_exhaustion, 0, 4);
	tcase_add_test(snd, test_seq_limits);
	suite_add_tcase(s, snd);
	tcase_add_test(hdr, test_fragments_and_sizes);
	tcase_add_test(hdr, test_outer_header);
	tcase_add_loop_test(hdr, test_ecn, 0, NCASES(ecn));
	tcase_add_test(hdr, test_drop_names);
	suite_add_tcase(s, hdr);
	return s;
}
