/*
 * esp: ESP for GET VPN group SAs, pure (see ipsec/esp.h for the API and
 * the buffer rules).
 *
 * Implements RFC 4303 §2-§3 (packet format, padding §2.4, sequence
 * numbers §3.3.3, inbound processing order §3.4) in tunnel mode with
 * address preservation (RFC 6407 attribute 14 value 4, doc/protocol.md §7.2),
 * RFC 4106 (AES-GCM-16: nonce = salt | explicit IV, AAD = SPI | Seq),
 * RFC 4543 (AES-GMAC: AAD = SPI | Seq | IV | payload, nothing encrypted),
 * RFC 3602 (AES-CBC) with RFC 2404 / RFC 4868 truncated HMACs, RFC 6054
 * sender-ID IVs (doc/protocol.md §6), RFC 6040 ECN tunnelling and our
 * time-based anti-replay header (doc/protocol.md §8.3 [D]).
 *
 * Inbound order: outer IPv4 checks, SPI, ICV (constant time, before any
 * plaintext is looked at), padding, next header, TBAR window, counter
 * window (check, then commit only when the packet is accepted), inner
 * header.  The outer header is not authenticated, so every decision
 * about it is re-checked against the authenticated inner header.
 */
#include "ipsec/esp.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "ipsec/replay.h"
#include "platform/csum.h"
#include "platform/log.h"

/* RFC 791 §3.1: the outer header we build has no options. */
#define IPV4_HDR_LEN 20
#define IPV4_VERSION 4
#define IPV4_MAX_LEN 65535
#define IPV4_FLAG_DF 0x4000
#define IPV4_FLAG_MF 0x2000
#define IPV4_FRAG_OFFSET 0x1fff
/* RFC 3168 §5: ECN codepoints, the low two bits of the TOS octet. */
#define ECN_MASK 0x03
#define ECN_NOT_ECT 0x00
#define ECN_ECT1 0x01
#define ECN_ECT0 0x02
#define ECN_CE 0x03

/* RFC 4303 §2: SPI (4) | Sequence Number (4). */
#define ESP_HDR_LEN 8
/* RFC 4303 §2.5-§2.6: Pad Length (1) | Next Header (1). */
#define ESP_TRAILER_LEN 2
/* IANA protocol numbers: ESP (RFC 4303), IPv4-in-IP (tunnel mode inner). */
#define ESP_IPPROTO 50
#define ESP_NH_IPV4 4
/* doc/protocol.md §8.3 [D]: RFC 3692 experimental number for the TBAR header. */
#define ESP_NH_TBAR 253
/* RFC 4106 §3.2 / RFC 4543 §3.2: payload | pad | trailer aligned to 4. */
#define ESP_ALIGN_COUNTER 4
/* RFC 3602 §2.4: CBC pads to the AES block. */
#define ESP_AES_BLOCK 16
/* Largest truncated HMAC we carry: HMAC-SHA-512-256 (RFC 4868 §2.3). */
#define ESP_ICV_MAX 32

/* doc/protocol.md §8.3 [D]: NH (1) | Header Length (1) = 12 | Flags (2) = 0 |
 * sender pseudotime in ms (8). */
#define TBAR_OFF_NH 0
#define TBAR_OFF_LEN 1
#define TBAR_OFF_FLAGS 2
#define TBAR_OFF_PT 4

enum esp_suite {
	ESP_SUITE_GCM,		/* RFC 4106 */
	ESP_SUITE_GMAC,		/* RFC 4543 */
	ESP_SUITE_CBC_HMAC,	/* RFC 3602 + RFC 2404 / 4868 */
};

struct esp_sa {
	uint32_t spi;			/* network order, as on the wire */
	enum ipsec_dir dir;
	enum esp_suite suite;
	enum ipsec_replay replay;
	uint64_t tbar_window_ms;
	size_t iv_len, icv_len, align;
	uint8_t salt[ESP_GCM_SALT_LEN];
	EVP_CIPHER_CTX *cipher;		/* keyed once, for dir */
	EVP_MAC_CTX *mac;		/* keyed once; CBC suites only */
	/* Sender state (outbound SAs). */
	uint64_t iv_sid;		/* SID in the top sid_bits of the IV */
	uint64_t iv_ctr, iv_ctr_max;	/* last counter used, its limit */
	uint32_t seq;			/* last sequence number used */
	uint16_t ip_id;			/* outer Identification */
};

static const char *const esp_drop_names[ESP_DROP_COUNT] = {
	[ESP_OK] = "ok",
	[ESP_DROP_MALFORMED] = "malformed",
	[ESP_DROP_SPI] = "bad-spi",
	[ESP_DROP_AUTH] = "auth-failed",
	[ESP_DROP_PAD] = "bad-padding",
	[ESP_DROP_REPLAY] = "replay",
	[ESP_DROP_POLICY] = "policy",
	[ESP_DROP_FRAGMENT] = "fragment",
	[ESP_DROP_TOO_BIG] = "too-big",
	[ESP_DROP_NEXT_HEADER] = "next-header",
	[ESP_DROP_ECN] = "ecn",
};

const char *
esp_drop_name(enum esp_drop why)
{
	if ((unsigned)why >= ESP_DROP_COUNT)
		return "?";
	return esp_drop_names[why];
}

/* ---- byte order and IPv4 helpers ---- */

/* Big-endian fields of n octets (2, 4 or 8). */
static uint64_t
get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
put_be(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = n; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
}

/* A whole IPv4 packet of exactly len octets: version, IHL, total length. */
static int
ipv4_check(const uint8_t *ip, size_t len)
{
	size_t ihl;

	if (len < IPV4_HDR_LEN || (ip[0] >> 4) != IPV4_VERSION)
		return -1;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < IPV4_HDR_LEN || ihl > len || get_be(ip + 2, 2) != len)
		return -1;
	return 0;
}

/*
 * doc/protocol.md §7.2 [D]: the outer DF bit is copied from the inner packet
 * (the alternatives, always set or always clear, would live here).  MF and
 * the offset are never copied: the outer packet is a new, whole datagram.
 */
static uint16_t
esp_outer_df(const uint8_t *inner)
{
	return (uint16_t)(get_be(inner + 6, 2) & IPV4_FLAG_DF);
}

/*
 * Tunnel mode with address preservation (doc/protocol.md §7.2): src/dst are
 * the inner ones; DSCP and ECN copied (RFC 6040 normal mode); TTL copied
 * (the kernel already decremented it when it routed the packet to us).
 */
static void
esp_outer_build(uint8_t *ip, const uint8_t *inner, size_t total, uint16_t id)
{
	ip[0] = IPV4_VERSION << 4 | IPV4_HDR_LEN / 4;
	ip[1] = inner[1];
	put_be(ip + 2, (uint16_t)total, 2);
	put_be(ip + 4, id, 2);
	put_be(ip + 6, esp_outer_df(inner), 2);
	ip[8] = inner[8];
	ip[9] = ESP_IPPROTO;
	memcpy(ip + 12, inner + 12, 8);
	csum_ipv4_header(ip, IPV4_HDR_LEN);
}

/* RFC 6040 §4.2 decapsulation table: the inner ECN to forward, -1 = drop. */
static int
esp_ecn_decap(unsigned inner, unsigned outer)
{
	if (outer == ECN_CE)
		return inner == ECN_NOT_ECT ? -1 : ECN_CE;
	if (outer == ECN_ECT1 && inner == ECN_ECT0)
		return ECN_ECT1;
	return (int)inner;
}

/* Rewrite the TOS octet with an RFC 1624 incremental checksum update, so
 * that a wrong inner checksum stays wrong. */
static void
ipv4_set_tos(uint8_t *ip, uint8_t tos)
{
	uint16_t old = (uint16_t)get_be(ip, 2);

	ip[1] = tos;
	csum_replace16(ip + 10, old, (uint16_t)get_be(ip, 2));
}

/* ---- SA setup ---- */

static const char *
esp_aes_name(enum esp_suite suite, size_t keylen)
{
	bool cbc = suite == ESP_SUITE_CBC_HMAC;

	switch (keylen) {
	case 16:
		return cbc ? "AES-128-CBC" : "AES-128-GCM";
	case 24:
		return cbc ? "AES-192-CBC" : "AES-192-GCM";
	case 32:
		return cbc ? "AES-256-CBC" : "AES-256-GCM";
	}
	return NULL;
}

/* HMAC digest, key length (RFC 2404 §2, RFC 4868 §2.1.1) and ICV length. */
static const char *
esp_hmac_name(enum ipsec_auth auth, size_t *keylen, size_t *icvlen)
{
	switch (auth) {
	case IPSEC_AUTH_HMAC_SHA1_96:
		*keylen = 20, *icvlen = 12;
		return "SHA1";
	case IPSEC_AUTH_HMAC_SHA256_128:
		*keylen = 32, *icvlen = 16;
		return "SHA2-256";
	case IPSEC_AUTH_HMAC_SHA384_192:
		*keylen = 48, *icvlen = 24;
		return "SHA2-384";
	case IPSEC_AUTH_HMAC_SHA512_256:
		*keylen = 64, *icvlen = 32;
		return "SHA2-512";
	default:
		return NULL;
	}
}

static int
esp_cipher_init(struct esp_sa *sa, const uint8_t *key, size_t keylen)
{
	const char *name = esp_aes_name(sa->suite, keylen);
	EVP_CIPHER *c = NULL;
	int rc = -1;

	if (name == NULL) {
		log_dbg(LOG_DBG_IPSEC, "ESP: SA %08x: cipher key of %zu octets",
			ntohl(sa->spi), keylen);
		goto out;
	}
	c = EVP_CIPHER_fetch(NULL, name, NULL);
	sa->cipher = EVP_CIPHER_CTX_new();
	if (c == NULL || sa->cipher == NULL ||
	    !EVP_CipherInit_ex2(sa->cipher, c, key, NULL,
				sa->dir == IPSEC_DIR_OUT, NULL))
		goto out;
	/* ESP pads itself (RFC 4303 §2.4); the cipher must not add PKCS#7. */
	if (sa->suite == ESP_SUITE_CBC_HMAC &&
	    !EVP_CIPHER_CTX_set_padding(sa->cipher, 0))
		goto out;
	rc = 0;
out:
	EVP_CIPHER_free(c);
	return rc;
}

static int
esp_mac_init(struct esp_sa *sa, const char *md, const uint8_t *key,
	     size_t keylen)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	OSSL_PARAM params[2];
	int rc = -1;

	if (mac == NULL || (sa->mac = EVP_MAC_CTX_new(mac)) == NULL)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)(uintptr_t)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(sa->mac, key, keylen, params))
		goto out;
	rc = 0;
out:
	EVP_MAC_free(mac);
	return rc;
}

/* Transform, key lengths and contexts (doc/protocol.md §7.1 table). */
static int
esp_sa_keys(struct esp_sa *sa, const struct ipsec_sa *cfg)
{
	size_t mac_keylen = 0;
	const char *md;

	switch (cfg->enc) {
	case IPSEC_ENC_AES_GCM_16:
	case IPSEC_ENC_AES_GMAC:
		sa->suite = cfg->enc == IPSEC_ENC_AES_GCM_16 ? ESP_SUITE_GCM
							     : ESP_SUITE_GMAC;
		sa->iv_len = ESP_GCM_IV_LEN;
		sa->icv_len = ESP_GCM_ICV_LEN;
		sa->align = ESP_ALIGN_COUNTER;
		/* RFC 4106 §8.1: KEYMAT = key | 4-octet salt; combined mode. */
		if (cfg->auth != IPSEC_AUTH_NONE ||
		    cfg->enc_key_len <= ESP_GCM_SALT_LEN ||
		    cfg->enc_key_len > sizeof(cfg->enc_key))
			return -1;
		memcpy(sa->salt, cfg->enc_key + cfg->enc_key_len -
		       ESP_GCM_SALT_LEN, ESP_GCM_SALT_LEN);
		return esp_cipher_init(sa, cfg->enc_key,
				       cfg->enc_key_len - ESP_GCM_SALT_LEN);
	case IPSEC_ENC_AES_CBC:
		sa->suite = ESP_SUITE_CBC_HMAC;
		sa->iv_len = ESP_CBC_IV_LEN;
		sa->align = ESP_AES_BLOCK;
		md = esp_hmac_name(cfg->auth, &mac_keylen, &sa->icv_len);
		if (md == NULL || cfg->auth_key_len != mac_keylen ||
		    cfg->enc_key_len > sizeof(cfg->enc_key))
			return -1;
		if (esp_cipher_init(sa, cfg->enc_key, cfg->enc_key_len) < 0)
			return -1;
		return esp_mac_init(sa, md, cfg->auth_key, cfg->auth_key_len);
	default:
		return -1;
	}
}

/*
 * RFC 6054 (doc/protocol.md §6): an outbound counter-mode SA sends IVs
 * SID (sid_bits, most significant) | counter (64 - sid_bits).  Without
 * a SID two members sharing the group key would repeat nonces, so an
 * outbound GCM/GMAC SA must have one.
 */
static int
esp_sa_sender(struct esp_sa *sa, const struct ipsec_sa *cfg)
{
	unsigned bits = cfg->sid_bits;

	if (sa->suite == ESP_SUITE_CBC_HMAC || sa->dir != IPSEC_DIR_OUT)
		return 0;
	if (bits < 1 || bits > 32 ||
	    (bits < 32 && cfg->sid >= (UINT32_C(1) << bits))) {
		log_dbg(LOG_DBG_IPSEC, "ESP: SA %08x: sender ID %u/%u bits "
			"unusable", ntohl(sa->spi), cfg->sid, bits);
		return -1;
	}
	sa->iv_sid = (uint64_t)cfg->sid << (64 - bits);
	sa->iv_ctr_max = UINT64_MAX >> bits;
	return 0;
}

/* Anti-replay mode; ipsec_sa carries the TBAR window in seconds. */
static int
esp_sa_replay(struct esp_sa *sa, const struct ipsec_sa *cfg)
{
	sa->replay = cfg->replay;
	switch (cfg->replay) {
	case IPSEC_REPLAY_NONE:
	case IPSEC_REPLAY_COUNTER:
		return 0;
	case IPSEC_REPLAY_TIME:
		sa->tbar_window_ms = (uint64_t)cfg->replay_window * 1000;
		return cfg->replay_window > 0 ? 0 : -1;
	default:
		return -1;
	}
}

struct esp_sa *
esp_sa_new(const struct ipsec_sa *cfg)
{
	struct esp_sa *sa = calloc(1, sizeof(*sa));
	int rc = -1;

	if (sa == NULL)
		return NULL;
	sa->spi = cfg->spi;
	sa->dir = cfg->dir;
	if ((sa->dir != IPSEC_DIR_IN && sa->dir != IPSEC_DIR_OUT) ||
	    esp_sa_replay(sa, cfg) < 0 || esp_sa_keys(sa, cfg) < 0 ||
	    esp_sa_sender(sa, cfg) < 0)
		goto out;
	/* A random start keeps the outer ID from counting our packets. */
	if (RAND_bytes((unsigned char *)&sa->ip_id, sizeof(sa->ip_id)) != 1)
		ERR_clear_error();
	rc = 0;
out:
	if (rc < 0) {
		log_dbg(LOG_DBG_IPSEC, "ESP: SA %08x: transform %d/%d, "
			"direction %d, replay %d not usable", ntohl(cfg->spi),
			(int)cfg->enc, (int)cfg->auth, (int)cfg->dir,
			(int)cfg->replay);
		ERR_clear_error();
		esp_sa_free(sa);
		sa = NULL;
	}
	return sa;
}

void
esp_sa_free(struct esp_sa *sa)
{
	if (sa == NULL)
		return;
	/* Both free functions cleanse the key schedules they hold. */
	EVP_CIPHER_CTX_free(sa->cipher);
	EVP_MAC_CTX_free(sa->mac);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

int
esp_sa_set_counters(struct esp_sa *sa, uint32_t seq, uint64_t iv_counter)
{
	if (sa->dir != IPSEC_DIR_OUT ||
	    (sa->suite != ESP_SUITE_CBC_HMAC && iv_counter > sa->iv_ctr_max))
		return -1;
	sa->seq = seq;
	sa->iv_ctr = iv_counter;
	return 0;
}

static size_t
esp_tbar_len(const struct esp_sa *sa)
{
	return sa->replay == IPSEC_REPLAY_TIME ? ESP_TBAR_HDR_LEN : 0;
}

/* Payload | pad | Pad Length | Next Header, rounded up to the alignment. */
static size_t
esp_payload_len(const struct esp_sa *sa, size_t len)
{
	size_t n = esp_tbar_len(sa) + len + ESP_TRAILER_LEN;

	return (n + sa->align - 1) / sa->align * sa->align;
}

size_t
esp_headroom(const struct esp_sa *sa)
{
	return IPV4_HDR_LEN + ESP_HDR_LEN + sa->iv_len + esp_tbar_len(sa);
}

size_t
esp_encap_len(const struct esp_sa *sa, size_t len)
{
	return IPV4_HDR_LEN + ESP_HDR_LEN + sa->iv_len +
	       esp_payload_len(sa, len) + sa->icv_len;
}

/* ---- the cryptographic steps ---- */

/*
 * One AEAD pass on the warm context: re-keying is not needed, only the
 * nonce is set (RFC 4106 §4: salt | explicit IV).  Decryption hands the
 * tag over before EVP_CipherFinal_ex, which compares it in constant time.
 */
static int
esp_aead(struct esp_sa *sa, enum ipsec_dir dir, const uint8_t *iv,
	 const uint8_t *aad, size_t aadlen, const uint8_t *in, uint8_t *out,
	 size_t len, uint8_t *tag)
{
	uint8_t nonce[ESP_GCM_SALT_LEN + ESP_GCM_IV_LEN], fin[ESP_AES_BLOCK];
	int n = 0, ok;

	if (sa->dir != dir || sa->suite == ESP_SUITE_CBC_HMAC ||
	    aadlen > INT_MAX || len > INT_MAX)
		return -1;
	memcpy(nonce, sa->salt, ESP_GCM_SALT_LEN);
	memcpy(nonce + ESP_GCM_SALT_LEN, iv, ESP_GCM_IV_LEN);
	ok = EVP_CipherInit_ex2(sa->cipher, NULL, NULL, nonce, -1, NULL) &&
	     (aadlen == 0 ||
	      EVP_CipherUpdate(sa->cipher, NULL, &n, aad, (int)aadlen)) &&
	     (len == 0 ||
	      (EVP_CipherUpdate(sa->cipher, out, &n, in, (int)len) &&
	       (size_t)n == len)) &&
	     (dir == IPSEC_DIR_OUT ||
	      EVP_CIPHER_CTX_ctrl(sa->cipher, EVP_CTRL_AEAD_SET_TAG,
				  ESP_GCM_ICV_LEN, tag)) &&
	     EVP_CipherFinal_ex(sa->cipher, fin, &n) > 0 && n == 0 &&
	     (dir == IPSEC_DIR_IN ||
	      EVP_CIPHER_CTX_ctrl(sa->cipher, EVP_CTRL_AEAD_GET_TAG,
				  ESP_GCM_ICV_LEN, tag));
	if (!ok)
		ERR_clear_error();
	return ok ? 0 : -1;
}

int
esp_aead_seal(struct esp_sa *sa, const uint8_t iv[ESP_GCM_IV_LEN],
	      const uint8_t *aad, size_t aadlen, uint8_t *buf, size_t len,
	      uint8_t tag[ESP_GCM_ICV_LEN])
{
	return esp_aead(sa, IPSEC_DIR_OUT, iv, aad, aadlen, buf, buf, len,
			tag);
}

int
esp_aead_open(struct esp_sa *sa, const uint8_t iv[ESP_GCM_IV_LEN],
	      const uint8_t *aad, size_t aadlen, const uint8_t *in,
	      uint8_t *out, size_t len, const uint8_t tag[ESP_GCM_ICV_LEN])
{
	/* The ctrl takes a writable pointer; hand it a copy. */
	uint8_t t[ESP_GCM_ICV_LEN];

	memcpy(t, tag, sizeof(t));
	return esp_aead(sa, IPSEC_DIR_IN, iv, aad, aadlen, in, out, len, t);
}

/* Truncated HMAC over SPI | Seq | IV | ciphertext (RFC 4303 §2.8). */
static int
esp_hmac(struct esp_sa *sa, const uint8_t *data, size_t len, uint8_t *icv)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	size_t mdlen = 0;

	/* A NULL key re-initialises HMAC with the key set in esp_mac_init. */
	if (!EVP_MAC_init(sa->mac, NULL, 0, NULL) ||
	    !EVP_MAC_update(sa->mac, data, len) ||
	    !EVP_MAC_final(sa->mac, md, &mdlen, sizeof(md)) ||
	    mdlen < sa->icv_len) {
		ERR_clear_error();
		return -1;
	}
	memcpy(icv, md, sa->icv_len);
	return 0;
}

/* AES-CBC over whole blocks with the IV given (no padding added). */
static int
esp_cbc(struct esp_sa *sa, const uint8_t *iv, const uint8_t *in,
	uint8_t *out, size_t len)
{
	uint8_t fin[ESP_AES_BLOCK];
	int n = 0;

	if (len > INT_MAX ||
	    !EVP_CipherInit_ex2(sa->cipher, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(sa->cipher, out, &n, in, (int)len) ||
	    (size_t)n != len ||
	    !EVP_CipherFinal_ex(sa->cipher, fin, &n) || n != 0) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/* Protect SPI | Seq | IV | payload (plen octets, in place) and append ICV. */
static int
esp_seal(struct esp_sa *sa, uint8_t *esp, size_t plen)
{
	uint8_t *iv = esp + ESP_HDR_LEN, *p = iv + sa->iv_len;

	switch (sa->suite) {
	case ESP_SUITE_GCM:
		return esp_aead_seal(sa, iv, esp, ESP_HDR_LEN, p, plen,
				     p + plen);
	case ESP_SUITE_GMAC:
		return esp_aead_seal(sa, iv, esp, ESP_HDR_LEN + sa->iv_len +
				     plen, p, 0, p + plen);
	case ESP_SUITE_CBC_HMAC:
		if (esp_cbc(sa, iv, p, p, plen) < 0)
			return -1;
		return esp_hmac(sa, esp, ESP_HDR_LEN + sa->iv_len + plen,
				p + plen);
	}
	return -1;
}

/* ---- outbound ---- */

/* Take the next sequence number and IV counter; -1 when used up. */
static int
esp_next_counters(struct esp_sa *sa)
{
	bool counter_mode = sa->suite != ESP_SUITE_CBC_HMAC;

	if (counter_mode && sa->iv_ctr >= sa->iv_ctr_max) {
		log_dbg(LOG_DBG_IPSEC, "ESP: SA %08x: IV counter exhausted",
			ntohl(sa->spi));
		return -1;
	}
	/* RFC 4303 §3.3.3: with anti-replay the counter must not cycle;
	 * without it, it rolls over. */
	if (sa->replay == IPSEC_REPLAY_COUNTER && sa->seq == UINT32_MAX) {
		log_dbg(LOG_DBG_IPSEC, "ESP: SA %08x: sequence exhausted",
			ntohl(sa->spi));
		return -1;
	}
	if (counter_mode)
		sa->iv_ctr++;
	sa->seq++;
	return 0;
}

/* TBAR header, padding 1, 2, 3... (RFC 4303 §2.4) and the trailer. */
static void
esp_fill_payload(const struct esp_sa *sa, uint8_t *p, size_t len,
		 size_t plen, uint64_t pseudotime_ms)
{
	size_t tbar = esp_tbar_len(sa), body = tbar + len;
	size_t padlen = plen - body - ESP_TRAILER_LEN;

	if (tbar) {
		p[TBAR_OFF_NH] = ESP_NH_IPV4;
		p[TBAR_OFF_LEN] = ESP_TBAR_HDR_LEN;
		put_be(p + TBAR_OFF_FLAGS, 0, 2);
		put_be(p + TBAR_OFF_PT, pseudotime_ms, 8);
	}
	for (size_t i = 0; i < padlen; i++)
		p[body + i] = (uint8_t)(i + 1);
	p[plen - 2] = (uint8_t)padlen;
	p[plen - 1] = tbar ? ESP_NH_TBAR : ESP_NH_IPV4;
}

static int
esp_write_iv(struct esp_sa *sa, uint8_t *iv, const uint8_t *cbc_iv)
{
	if (sa->suite != ESP_SUITE_CBC_HMAC) {
		put_be(iv, sa->iv_sid | sa->iv_ctr, 8);
		return 0;
	}
	if (cbc_iv != NULL) {
		memcpy(iv, cbc_iv, ESP_CBC_IV_LEN);
		return 0;
	}
	/* RFC 3602 §3: unpredictable IVs. */
	if (RAND_bytes(iv, ESP_CBC_IV_LEN) != 1) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int
esp_encap_iv(struct esp_sa *sa, const uint8_t *inner, size_t len,
	     uint64_t pseudotime_ms, const uint8_t *cbc_iv, uint8_t *out,
	     size_t cap, size_t *outlen)
{
	size_t total, plen, hr = esp_headroom(sa);
	uint8_t *esp = out + IPV4_HDR_LEN;

	if (sa->dir != IPSEC_DIR_OUT || ipv4_check(inner, len) < 0 ||
	    (cbc_iv != NULL && sa->suite != ESP_SUITE_CBC_HMAC))
		return ESP_ENCAP_EINVAL;
	total = esp_encap_len(sa, len);
	if (total > IPV4_MAX_LEN || total > cap)
		return ESP_ENCAP_TOO_BIG;
	if (esp_next_counters(sa) < 0)
		return ESP_ENCAP_EXHAUSTED;
	/* Move first: inner may lie anywhere in out. */
	if (out + hr != inner)
		memmove(out + hr, inner, len);
	esp_outer_build(out, out + hr, total, sa->ip_id++);
	memcpy(esp, &sa->spi, sizeof(sa->spi));
	put_be(esp + 4, sa->seq, 4);
	if (esp_write_iv(sa, esp + ESP_HDR_LEN, cbc_iv) < 0)
		return ESP_ENCAP_EINVAL;
	plen = esp_payload_len(sa, len);
	esp_fill_payload(sa, esp + ESP_HDR_LEN + sa->iv_len, len, plen,
			 pseudotime_ms);
	if (esp_seal(sa, esp, plen) < 0)
		return ESP_ENCAP_EINVAL;
	*outlen = total;
	return 0;
}

int
esp_encap(struct esp_sa *sa, const uint8_t *inner, size_t len,
	  uint64_t pseudotime_ms, uint8_t *out, size_t cap, size_t *outlen)
{
	return esp_encap_iv(sa, inner, len, pseudotime_ms, NULL, out, cap,
			    outlen);
}

/* ---- inbound ---- */

/* Where things are in a packet being decapsulated. */
struct esp_rx {
	const uint8_t *esp;		/* SPI */
	size_t plen;			/* encrypted payload length */
	uint8_t *dst;			/* its plaintext */
	const uint8_t *body;		/* after the TBAR header */
	size_t body_len;
	uint8_t nh;
	uint8_t outer_tos;
	uint8_t outer_addrs[8];		/* src | dst */
};

static enum esp_drop
esp_rx_drop(const struct esp_sa *sa, enum esp_drop d, const char *what)
{
	log_dbg(LOG_DBG_IPSEC, "ESP: SA %08x: drop (%s): %s",
		ntohl(sa->spi), esp_drop_name(d), what);
	return d;
}

/* Outer IPv4 header, SPI and ESP lengths (RFC 4303 §3.4.1-§3.4.2). */
static enum esp_drop
esp_rx_outer(const struct esp_sa *sa, const uint8_t *pkt, size_t len,
	     struct esp_rx *rx)
{
	size_t ihl, esplen, fixed = ESP_HDR_LEN + sa->iv_len + sa->icv_len;

	if (ipv4_check(pkt, len) < 0)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "outer IPv4 header");
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (csum_fold(csum_add(0, pkt, ihl)) != 0)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "outer checksum");
	if (get_be(pkt + 6, 2) & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET))
		return esp_rx_drop(sa, ESP_DROP_FRAGMENT, "outer fragment");
	if (pkt[9] != ESP_IPPROTO)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "not ESP");
	rx->esp = pkt + ihl;
	esplen = len - ihl;
	if (esplen < ESP_HDR_LEN)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "short ESP header");
	if (memcmp(rx->esp, &sa->spi, sizeof(sa->spi)) != 0 ||
	    sa->dir != IPSEC_DIR_IN)
		return esp_rx_drop(sa, ESP_DROP_SPI, "SPI");
	if (esplen < fixed + ESP_TRAILER_LEN ||
	    (esplen - fixed) % sa->align != 0)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "ESP payload length");
	rx->plen = esplen - fixed;
	rx->outer_tos = pkt[1];
	memcpy(rx->outer_addrs, pkt + 12, sizeof(rx->outer_addrs));
	return ESP_OK;
}

/* ICV first, then decryption into rx->dst (RFC 4303 §3.4.4). */
static enum esp_drop
esp_rx_open(struct esp_sa *sa, struct esp_rx *rx)
{
	const uint8_t *iv = rx->esp + ESP_HDR_LEN, *ct = iv + sa->iv_len;
	const uint8_t *icv = ct + rx->plen;
	uint8_t want[ESP_ICV_MAX];
	int rc = -1;

	switch (sa->suite) {
	case ESP_SUITE_GCM:
		rc = esp_aead_open(sa, iv, rx->esp, ESP_HDR_LEN, ct, rx->dst,
				   rx->plen, icv);
		if (rc < 0)	/* never leave unauthenticated plaintext */
			memset(rx->dst, 0, rx->plen);
		break;
	case ESP_SUITE_GMAC:
		rc = esp_aead_open(sa, iv, rx->esp, (size_t)(icv - rx->esp),
				   NULL, NULL, 0, icv);
		if (rc == 0)
			memmove(rx->dst, ct, rx->plen);
		break;
	case ESP_SUITE_CBC_HMAC:
		rc = esp_hmac(sa, rx->esp, (size_t)(icv - rx->esp), want);
		if (rc == 0 && CRYPTO_memcmp(want, icv, sa->icv_len) != 0)
			rc = -1;
		if (rc == 0 && esp_cbc(sa, iv, ct, rx->dst, rx->plen) < 0)
			return esp_rx_drop(sa, ESP_DROP_MALFORMED, "decrypt");
		break;
	}
	if (rc < 0)
		return esp_rx_drop(sa, ESP_DROP_AUTH, "ICV");
	return ESP_OK;
}

/* TBAR (doc/protocol.md §8.3 [D]): accept iff |PTs - PTr| <= window. */
static bool
esp_tbar_ok(const struct esp_sa *sa, uint64_t pts, uint64_t ptr)
{
	uint64_t d = pts > ptr ? pts - ptr : ptr - pts;

	return d <= sa->tbar_window_ms;
}

/* Padding (RFC 4303 §2.4), Next Header (§2.6) and the TBAR header. */
static enum esp_drop
esp_rx_trailer(const struct esp_sa *sa, struct esp_rx *rx, uint64_t now)
{
	const uint8_t *p = rx->dst;
	size_t padlen = p[rx->plen - 2], tbar = esp_tbar_len(sa);

	if (padlen + ESP_TRAILER_LEN > rx->plen)
		return esp_rx_drop(sa, ESP_DROP_PAD, "pad length");
	rx->body_len = rx->plen - ESP_TRAILER_LEN - padlen;
	for (size_t i = 0; i < padlen; i++)
		if (p[rx->body_len + i] != (uint8_t)(i + 1))
			return esp_rx_drop(sa, ESP_DROP_PAD, "pad octets");
	rx->nh = p[rx->plen - 1];
	rx->body = p;
	if (rx->nh == ESP_NH_IPV4 && tbar)
		return esp_rx_drop(sa, ESP_DROP_REPLAY, "no TBAR stamp");
	if (rx->nh == ESP_NH_IPV4)
		return ESP_OK;
	if (rx->nh != ESP_NH_TBAR || !tbar)
		return esp_rx_drop(sa, ESP_DROP_NEXT_HEADER, "next header");
	if (rx->body_len < ESP_TBAR_HDR_LEN ||
	    p[TBAR_OFF_LEN] != ESP_TBAR_HDR_LEN ||
	    get_be(p + TBAR_OFF_FLAGS, 2) != 0)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "TBAR header");
	if (p[TBAR_OFF_NH] != ESP_NH_IPV4)
		return esp_rx_drop(sa, ESP_DROP_NEXT_HEADER, "TBAR next header");
	if (!esp_tbar_ok(sa, get_be(p + TBAR_OFF_PT, 8), now))
		return esp_rx_drop(sa, ESP_DROP_REPLAY, "TBAR window");
	rx->body += ESP_TBAR_HDR_LEN;
	rx->body_len -= ESP_TBAR_HDR_LEN;
	return ESP_OK;
}

/* Inner header: a whole IPv4 packet with the outer addresses (§7.2). */
static enum esp_drop
esp_rx_inner(const struct esp_sa *sa, const struct esp_rx *rx)
{
	if (ipv4_check(rx->body, rx->body_len) < 0)
		return esp_rx_drop(sa, ESP_DROP_MALFORMED, "inner IPv4 header");
	if (memcmp(rx->body + 12, rx->outer_addrs, 8) != 0)
		return esp_rx_drop(sa, ESP_DROP_POLICY, "inner addresses");
	if (esp_ecn_decap(rx->body[1] & ECN_MASK,
			  rx->outer_tos & ECN_MASK) < 0)
		return esp_rx_drop(sa, ESP_DROP_ECN, "CE on Not-ECT");
	return ESP_OK;
}

static enum esp_drop
esp_rx(struct esp_sa *sa, const uint8_t *pkt, size_t len, uint64_t now,
       struct replay_state *rs, uint8_t *out, size_t cap, size_t *outlen)
{
	struct esp_rx rx;
	enum esp_drop d;
	size_t off;
	uint32_t seq;
	int ecn;

	if ((d = esp_rx_outer(sa, pkt, len, &rx)) != ESP_OK)
		return d;
	/* In place: decrypt where the payload lies; else to out[0]. */
	off = out == pkt ? (size_t)(rx.esp - pkt) + ESP_HDR_LEN + sa->iv_len : 0;
	if (cap < off + rx.plen)
		return esp_rx_drop(sa, ESP_DROP_TOO_BIG, "output buffer");
	if (sa->replay == IPSEC_REPLAY_COUNTER && rs == NULL)
		return esp_rx_drop(sa, ESP_DROP_REPLAY, "no counter window");
	rx.dst = out + off;
	seq = (uint32_t)get_be(rx.esp + 4, 4);
	if ((d = esp_rx_open(sa, &rx)) != ESP_OK ||
	    (d = esp_rx_trailer(sa, &rx, now)) != ESP_OK)
		return d;
	if (sa->replay == IPSEC_REPLAY_COUNTER && replay_check(rs, seq) < 0)
		return esp_rx_drop(sa, ESP_DROP_REPLAY, "sequence number");
	if ((d = esp_rx_inner(sa, &rx)) != ESP_OK)
		return d;
	/* Verify-then-commit: only an accepted packet moves the window. */
	if (sa->replay == IPSEC_REPLAY_COUNTER && replay_commit(rs, seq) < 0)
		return esp_rx_drop(sa, ESP_DROP_REPLAY, "sequence number");
	memmove(out, rx.body, rx.body_len);
	ecn = esp_ecn_decap(out[1] & ECN_MASK, rx.outer_tos & ECN_MASK);
	if ((out[1] & ECN_MASK) != ecn)
		ipv4_set_tos(out, (uint8_t)((out[1] & ~ECN_MASK) | ecn));
	*outlen = rx.body_len;
	return ESP_OK;
}

int
esp_decap(struct esp_sa *sa, const uint8_t *pkt, size_t len,
	  uint64_t now_pseudotime_ms, struct replay_state *rs, uint8_t *out,
	  size_t cap, size_t *outlen, enum esp_drop *why)
{
	enum esp_drop d;

	d = esp_rx(sa, pkt, len, now_pseudotime_ms, rs, out, cap, outlen);
	if (why != NULL)
		*why = d;
	return d == ESP_OK ? 0 : -1;
}
