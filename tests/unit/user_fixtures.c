/*
 * user_fixtures: packet, policy and SA builders shared by the user data
 * plane tests (see user_fixtures.h).
 */
#include "user_fixtures.h"

#include <arpa/inet.h>
#include <string.h>

/* ---- packet and policy builders ---- */

uint32_t
uf_ip4(const char *s)
{
	uint32_t a = 0;

	ck_assert_int_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

void
uf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t
uf_cksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An IPv4 packet (DF, TTL 64) with an ICMP echo, UDP or TCP header, or
 * for other protocols just payload octets.  Returns its length. */
size_t
uf_pkt(uint8_t *p, uint8_t proto, const char *src, const char *dst,
       uint16_t sport, uint16_t dport, size_t payload)
{
	size_t l4 = proto == UF_TCP ? 20 : proto == UF_ESP ? 0 : 8;
	size_t len = 20 + l4 + payload;
	uint32_t s = uf_ip4(src), d = uf_ip4(dst);
	uint8_t *h = p + 20;

	memset(p, 0, len);
	p[0] = 0x45;
	uf_put16(p + 2, (uint16_t)len);
	uf_put16(p + 4, 0x1234);
	uf_put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	uf_put16(p + 10, uf_cksum(p, 20));
	if (proto == UF_UDP || proto == UF_TCP) {
		uf_put16(h, sport);
		uf_put16(h + 2, dport);
		if (proto == UF_UDP)
			uf_put16(h + 4, (uint16_t)(8 + payload));
		else
			h[12] = 5 << 4;
	} else if (proto == UF_ICMP) {
		h[0] = 8;
		uf_put16(h + 4, sport);
		uf_put16(h + 6, dport);
	}
	for (size_t i = 0; i < payload; i++)
		h[l4 + i] = (uint8_t)(i * 7);
	if (proto == UF_ICMP)
		uf_put16(h + 2, uf_cksum(h, 8 + payload));
	return len;
}

struct ipsec_policy
uf_policy(uint32_t group, unsigned prio, enum ipsec_action act,
	  uint8_t proto, const char *src, int slen, const char *dst, int dlen,
	  uint16_t dport, uint32_t spi)
{
	struct ipsec_policy p = {
		.group_id = group, .priority = prio, .action = act,
		.proto = proto, .spi = htonl(spi),
		.sport_lo = 0, .sport_hi = 65535,
		.dport_lo = dport, .dport_hi = dport ? dport : 65535,
	};

	p.src = uf_ip4(src);
	p.src_mask = slen ? htonl(~0u << (32 - slen)) : 0;
	p.dst = uf_ip4(dst);
	p.dst_mask = dlen ? htonl(~0u << (32 - dlen)) : 0;
	return p;
}

struct ipsec_sa
uf_gcm_sa(uint32_t spi, enum ipsec_dir dir, uint32_t sid, uint8_t keyfill)
{
	struct ipsec_sa sa = {
		.spi = htonl(spi), .dir = dir, .enc = IPSEC_ENC_AES_GCM_16,
		.auth = IPSEC_AUTH_NONE, .enc_key_len = 20,
		.lifetime_s = 3600, .replay = IPSEC_REPLAY_TIME,
		.replay_window = 5, .sid = sid, .sid_bits = 8,
		.group_id = UF_GROUP,
	};

	memset(sa.enc_key, keyfill, sa.enc_key_len);
	return sa;
}

void
uf_install_as(struct ipsec_ctx *x, uint32_t sid, bool passive)
{
	struct ipsec_sa in = uf_gcm_sa(UF_SPI_MAIN, IPSEC_DIR_IN, 0, 0xab);
	struct ipsec_sa out = uf_gcm_sa(UF_SPI_MAIN, IPSEC_DIR_OUT, sid, 0xab);
	struct ipsec_policy p = uf_policy(UF_GROUP, 100, IPSEC_ACT_PROTECT, 0,
					  "192.168.0.0", 16, "192.168.0.0", 16,
					  0, UF_SPI_MAIN);

	p.clear_in_ok = passive;
	ck_assert_int_eq(x->be->sa_add(x, &in), 0);
	ck_assert_int_eq(x->be->sa_add(x, &out), 0);
	ck_assert_int_eq(x->be->policy_add(x, &p), 0);
}

void
uf_install(struct ipsec_ctx *x, uint32_t sid)
{
	uf_install_as(x, sid, false);
}

uint64_t
uf_ctr(struct ipsec_ctx *x, enum ipsec_user_ctr c)
{
	struct ipsec_user_stats st;

	ck_assert_int_eq(ipsec_user_stats(x, &st), 0);
	return st.ctr[c];
}
