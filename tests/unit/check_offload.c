/*
 * Offloads of the user data plane: platform/csum (RFC 1071 checksum,
 * RFC 1624 update), ipsec/offload (checksum completion and TCP
 * segmentation of TUN super-packets) and ipsec/gro (receive coalescing).
 *
 * Every checksum is judged by a naive reference computed here (big-endian
 * 16-bit words, end-around carry), so that csum is never its own judge.
 * Payload octets are a function of their TCP sequence number, so any
 * segment's payload is known wherever it was cut.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/gro.h"
#include "ipsec/offload.h"
#include "platform/csum.h"

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define PROTO_TCP 6
#define PROTO_UDP 17
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define THL 32			/* TCP header: NOP NOP timestamps */
#define HLEN (20 + THL)		/* option-less IPv4 + TCP */
#define MSS 1448
#define BIG 64000		/* payload of a super-packet */
#define ACK0 0x0badf00du
#define GSEQ 0x5eed0000u	/* first sequence number of the GRO flows */
#define BUFSZ 65536

/* ---- helpers ---- */

static uint32_t rng = 2463534242u;

/* xorshift32: reproducible random data */
static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
rnd_fill(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	ck_assert_ptr_nonnull(p);
	return p;
}

/* RFC 1071 the slow way: big-endian words, an odd last octet as the
 * high half of a word. */
static uint64_t
ref_add(uint64_t s, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)(p[i] << 8 | (i + 1 < len ? p[i + 1] : 0));
	return s;
}

/* Folded with end-around carry, not complemented. */
static uint16_t
ref_fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The checksum of a sum: folded and complemented. */
static uint16_t
ref_cpl(uint64_t s)
{
	return (uint16_t)~ref_fold(s);
}

static uint64_t
ref_pseudo(const uint8_t *ip, uint8_t proto, size_t l4len)
{
	return ref_add(0, ip + 12, 8) + proto + l4len;
}

static size_t
ihl_of(const uint8_t *p)
{
	return (size_t)(p[0] & 0x0f) * 4;
}

/* The transport sum of p (len octets), pseudo-header included, folded. */
static uint16_t
ref_l4(const uint8_t *p, size_t len)
{
	size_t ihl = ihl_of(p), n = len - ihl;

	return ref_fold(ref_add(ref_pseudo(p, p[9], n), p + ihl, n));
}

/* The IPv4 header checksum verifies, by the reference and by csum. */
static bool
ip_ok(const uint8_t *p)
{
	size_t ihl = ihl_of(p);

	return ref_fold(ref_add(0, p, ihl)) == 0xffff &&
	       csum_fold(csum_add(0, p, ihl)) == 0;
}

/* The transport checksum verifies, by the reference and by csum. */
static bool
l4_ok(const uint8_t *p, size_t len, uint8_t proto)
{
	size_t ihl = ihl_of(p), n = len - ihl;

	return p[9] == proto && ref_l4(p, len) == 0xffff &&
	       csum_fold(csum_add(csum_pseudo4(p, proto, n), p + ihl, n)) == 0;
}

static size_t
l4_csum_at(const uint8_t *p)
{
	return ihl_of(p) + (p[9] == PROTO_UDP ? 6 : 16);
}

/* Both checksums recomputed by the reference (after a test edited). */
static void
fix_sums(uint8_t *p, size_t len)
{
	size_t ihl = ihl_of(p), at = l4_csum_at(p);
	uint16_t c;

	put16(p + 10, 0);
	put16(p + 10, ref_cpl(ref_add(0, p, ihl)));
	put16(p + at, 0);
	c = (uint16_t)~ref_l4(p, len);
	if (c == 0 && p[9] == PROTO_UDP)
		c = 0xffff;
	put16(p + at, c);
}

/* The payload octet at TCP sequence number s. */
static uint8_t
pat(uint32_t s)
{
	return (uint8_t)((s * 2654435761u) >> 24);
}

/* The payload of the TCP segment p (len octets) is pat from its seq. */
static bool
payload_ok(const uint8_t *p, size_t len)
{
	const uint8_t *tcp = p + ihl_of(p);
	size_t hl = ihl_of(p) + (size_t)(tcp[12] >> 4) * 4;
	uint32_t seq = get32(tcp + 4);

	for (size_t i = hl; i < len; i++)
		if (p[i] != pat(seq + (uint32_t)(i - hl)))
			return false;
	return true;
}

/*
 * IPv4/TCP 10.1.1.1:40000 -> 10.2.2.2:443: an ihl-octet IPv4 header (DF,
 * TTL 64; options NOPs then a router alert), a 32-octet TCP header (NOP
 * NOP timestamps, ack ACK0, window 501), plen octets of payload from seq;
 * both checksums valid.
 */
static size_t
mk_tcp(uint8_t *p, size_t ihl, size_t plen, uint8_t flags, uint32_t seq,
       uint16_t id)
{
	static const uint8_t ip[20] = {
		0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, PROTO_TCP, 0, 0,
		10, 1, 1, 1, 10, 2, 2, 2,
	};
	static const uint8_t tcp[THL] = {
		0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 0, 0x0b, 0xad, 0xf0, 0x0d,
		(THL / 4) << 4, 0, 0x01, 0xf5, 0, 0, 0, 0,
		1, 1, 8, 10, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
	};
	uint8_t *t = p + ihl;
	size_t len = ihl + THL + plen;

	memcpy(p, ip, sizeof(ip));
	p[0] = (uint8_t)(0x40 | ihl / 4);
	put16(p + 2, (uint16_t)len);
	put16(p + 4, id);
	if (ihl > 20) {
		memset(p + 20, 1, ihl - 24);
		memcpy(p + ihl - 4, "\x94\x04\x00\x00", 4);
	}
	memcpy(t, tcp, THL);
	put32(t + 4, seq);
	t[13] = flags;
	for (size_t i = 0; i < plen; i++)
		t[THL + i] = pat(seq + (uint32_t)i);
	fix_sums(p, len);
	return len;
}

/* IPv4/UDP 10.1.1.1:5353 -> 10.2.2.2:53 with plen random octets. */
static size_t
mk_udp(uint8_t *p, size_t plen)
{
	static const uint8_t ip[20] = {
		0x45, 0, 0, 0, 0x12, 0x34, 0, 0, 64, PROTO_UDP, 0, 0,
		10, 1, 1, 1, 10, 2, 2, 2,
	};
	size_t len = 28 + plen;

	memcpy(p, ip, sizeof(ip));
	put16(p + 2, (uint16_t)len);
	put16(p + 20, 5353);
	put16(p + 22, 53);
	put16(p + 24, (uint16_t)(8 + plen));
	rnd_fill(p + 28, plen);
	fix_sums(p, len);
	return len;
}

/* Segment of a GRO flow (0: sport 40000, 1: sport 40001, its own
 * sequence space) at payload offset off. */
static size_t
gseg(uint8_t *p, int flow, size_t plen, size_t off, uint8_t flags)
{
	uint32_t seq = GSEQ + (uint32_t)flow * 0x01000000u + (uint32_t)off;
	size_t len = mk_tcp(p, 20, plen, flags, seq, (uint16_t)(off / 8));

	if (flow != 0) {
		put16(p + 20, (uint16_t)(40000 + flow));
		fix_sums(p, len);
	}
	return len;
}

static bool
off_is_zero(const struct tun_offload *off)
{
	return off->gso == TUN_GSO_NONE && off->gso_size == 0 &&
	       off->hdr_len == 0 && !off->csum && off->csum_start == 0 &&
	       off->csum_offset == 0;
}

/* ---- csum ---- */

START_TEST(test_csum_rfc1071)
{
	static const uint8_t ex[8] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
	};
	uint8_t buf[16];

	ck_assert_uint_eq(csum_fold_partial(csum_add(0, ex, 8)), 0xddf2);
	ck_assert_uint_eq(csum_fold(csum_add(0, ex, 8)), 0x220d);
	/* the same from any address, and in pieces */
	for (size_t a = 0; a < 8; a++) {
		memcpy(buf + a, ex, 8);
		ck_assert_uint_eq(csum_fold(csum_add(0, buf + a, 8)), 0x220d);
	}
	ck_assert_uint_eq(csum_fold(csum_add(csum_add(0, ex, 2), ex + 2, 6)),
			  0x220d);
	ck_assert_uint_eq(csum_fold(csum_add(csum_add(0, ex, 4), ex + 4, 4)),
			  0x220d);
}
END_TEST

/* Every length 0..300 at start alignment _i, random, all-ones and
 * all-zero data, with and without a running sum. */
START_TEST(test_csum_reference)
{
	uint8_t *buf = xmalloc(300 + 8);
	uint8_t *p = buf + _i;

	rng = 0x1000u + (uint32_t)_i;
	for (size_t len = 0; len <= 300; len++) {
		for (int kind = 0; kind < 3; kind++) {
			uint32_t init = rnd() & 0xfffff;

			if (kind == 0)
				rnd_fill(p, len);
			else
				memset(p, kind == 1 ? 0xff : 0, len);
			ck_assert_msg(csum_fold_partial(csum_add(0, p, len)) ==
				      ref_fold(ref_add(0, p, len)),
				      "len %zu align %d kind %d", len, _i,
				      kind);
			ck_assert_msg(csum_fold(csum_add(init, p, len)) ==
				      ref_cpl(ref_add(init, p, len)),
				      "len %zu align %d kind %d init %#x", len,
				      _i, kind, init);
		}
	}
	free(buf);
}
END_TEST

/* Even-length pieces (the last of any length) sum to the whole. */
START_TEST(test_csum_pieces)
{
	uint8_t buf[2001];

	rng = 77;
	for (int trial = 0; trial < 500; trial++) {
		size_t len = rnd() % sizeof(buf), at = 0;
		uint32_t sum = 0;
		uint16_t whole;

		rnd_fill(buf, len);
		whole = csum_fold(csum_add(0, buf, len));
		ck_assert_uint_eq(whole, ref_cpl(ref_add(0, buf, len)));
		while (at < len) {
			size_t n = 2 * (rnd() % 200);

			if (n > len - at)
				n = len - at;	/* the last piece */
			sum = csum_add(sum, buf + at, n);
			at += n;
		}
		ck_assert_msg(csum_fold(sum) == whole, "trial %d len %zu",
			      trial, len);
	}
}
END_TEST

START_TEST(test_csum_fold_partial)
{
	static const struct {
		uint32_t sum;
		uint16_t folded;
	} v[] = {
		{ 0, 0 },
		{ 1, 1 },
		{ 0xffff, 0xffff },
		{ 0x10000, 1 },
		{ 0x1fffe, 0xffff },
		{ 0x2ddf0, 0xddf2 },		/* RFC 1071 §3 */
		{ 0x12345678, 0x68ac },
		{ 0xffff0000, 0xffff },
		{ 0xffffffff, 0xffff },
		{ 0xfffffffe, 0xfffe },
	};

	for (int i = 0; i < NCASES(v); i++) {
		ck_assert_uint_eq(csum_fold_partial(v[i].sum), v[i].folded);
		ck_assert_uint_eq(csum_fold(v[i].sum), (uint16_t)~v[i].folded);
	}
	rng = 5;
	for (int i = 0; i < 10000; i++) {
		uint32_t s = rnd();

		ck_assert_uint_eq(csum_fold_partial(s), ref_fold(s));
		ck_assert_uint_eq(csum_fold(s), ref_cpl(s));
	}
}
END_TEST

START_TEST(test_csum_pseudo4)
{
	uint8_t ip[20], other[20];

	/* 192.168.1.10 -> 172.16.254.3, TCP, 1480 octets:
	 * c0a8 + 010a + ac10 + fe03 + 0006 + 05c8 = 27193 -> 7195 */
	rng = 9;
	rnd_fill(ip, sizeof(ip));
	memcpy(ip + 12, "\xc0\xa8\x01\x0a\xac\x10\xfe\x03", 8);
	ck_assert_uint_eq(csum_fold_partial(csum_pseudo4(ip, 6, 1480)), 0x7195);
	/* only the addresses count */
	rnd_fill(other, sizeof(other));
	memcpy(other + 12, ip + 12, 8);
	ck_assert_uint_eq(csum_fold_partial(csum_pseudo4(other, 6, 1480)),
			  0x7195);
	/* 10.1.1.1 -> 10.2.2.2, UDP, 65515 octets:
	 * 0a01 + 0101 + 0a02 + 0202 + 0011 + ffeb = 11702 -> 1703 */
	memcpy(ip + 12, "\x0a\x01\x01\x01\x0a\x02\x02\x02", 8);
	ck_assert_uint_eq(csum_fold_partial(csum_pseudo4(ip, 17, 65515)),
			  0x1703);
	ck_assert_uint_eq(csum_fold_partial(csum_pseudo4(ip, 17, 0)),
			  ref_fold(0x0a01 + 0x0101 + 0x0a02 + 0x0202 + 17));
}
END_TEST

/* The checksum at f over n octets, recomputed by the reference. */
static uint16_t
ref_field(uint8_t *h, size_t n, size_t f)
{
	uint16_t keep = get16(h + f), c;

	put16(h + f, 0);
	c = ref_cpl(ref_add(0, h, n));
	put16(h + f, keep);
	return c;
}

START_TEST(test_csum_replace16)
{
	uint8_t h[60];

	rng = 1624;
	for (int trial = 0; trial < 20000; trial++) {
		size_t n = 2 * (2 + rnd() % 29), f = 2 * (rnd() % (n / 2)), w;
		uint16_t old, new, want;

		do
			w = 2 * (rnd() % (n / 2));
		while (w == f);
		rnd_fill(h, n);
		if (trial % 4 == 1) {
			/* the old checksum is 0x0000: the sum was 0xffff */
			put16(h + w, 0);
			put16(h + f, 0);
			put16(h + w,
			      (uint16_t)(0xffff - ref_fold(ref_add(0, h, n))));
		}
		put16(h + f, ref_field(h, n, f));
		old = get16(h + w);
		new = (uint16_t)rnd();
		if (trial % 4 == 2) {
			/* the new checksum is 0x0000 */
			put16(h + w, 0);
			put16(h + f, 0);
			new = (uint16_t)(0xffff - ref_fold(ref_add(0, h, n)));
			put16(h + w, old);
			put16(h + f, ref_field(h, n, f));
		}
		put16(h + w, new);
		csum_replace16(h + f, old, new);
		want = ref_field(h, n, f);
		ck_assert_msg(get16(h + f) == want,
			      "trial %d: %04x -> %04x gave %04x, want %04x",
			      trial, old, new, get16(h + f), want);
	}
	/* a field whose checksum is 0xffff: all the data is zero */
	for (int trial = 0; trial < 1000; trial++) {
		uint16_t new = (uint16_t)(1 + rnd() % 0xffff);

		memset(h, 0, 20);
		put16(h + 10, 0xffff);
		put16(h + 4, new);
		csum_replace16(h + 10, 0, new);
		ck_assert_uint_eq(get16(h + 10), ref_field(h, 20, 10));
		ck_assert(ref_fold(ref_add(0, h, 20)) == 0xffff);
	}
	/* a wrong checksum stays wrong */
	for (int trial = 0; trial < 1000; trial++) {
		uint16_t old, new = (uint16_t)rnd();

		rnd_fill(h, 20);
		put16(h + 10, ref_field(h, 20, 10) ^ 0x0100);
		old = get16(h + 2);
		put16(h + 2, new);
		csum_replace16(h + 10, old, new);
		ck_assert(ref_fold(ref_add(0, h, 20)) != 0xffff);
	}
}
END_TEST

/* IHL 5..15, whatever the field held before. */
START_TEST(test_csum_ipv4_header)
{
	uint8_t h[64], copy[64];

	rng = 791;
	for (size_t ihl = 20; ihl <= 60; ihl += 4) {
		for (int trial = 0; trial < 200; trial++) {
			rnd_fill(h, sizeof(h));
			h[0] = (uint8_t)(0x40 | ihl / 4);
			memcpy(copy, h, sizeof(h));
			csum_ipv4_header(h, ihl);
			ck_assert(csum_fold(csum_add(0, h, ihl)) == 0);
			ck_assert(ip_ok(h));
			ck_assert_uint_eq(get16(h + 10), ref_field(h, ihl, 10));
			/* nothing else touched */
			ck_assert_mem_eq(h, copy, 10);
			ck_assert_mem_eq(h + 12, copy + 12, sizeof(h) - 12);
			/* the old field does not count */
			h[10] ^= 0x5a;
			h[11] ^= 0xa5;
			memcpy(copy, h, sizeof(h));
			csum_ipv4_header(copy, ihl);
			h[10] ^= 0x5a;
			h[11] ^= 0xa5;
			ck_assert_mem_eq(h, copy, sizeof(h));
		}
	}
}
END_TEST

/* ---- offload_csum ---- */

static const struct {
	size_t ihl, plen;
} csum_cases[] = {
	{ 20, 1 }, { 20, 2 }, { 20, 3 }, { 20, 100 }, { 20, 1447 },
	{ 24, 1448 }, { 60, 999 }, { 20, BIG },
};

/* A TCP packet with its checksum to be completed comes out as built. */
START_TEST(test_offload_csum_tcp)
{
	uint8_t *p = xmalloc(BUFSZ), *want = xmalloc(BUFSZ);
	size_t ihl = csum_cases[_i].ihl;
	size_t len = mk_tcp(p, ihl, csum_cases[_i].plen, TCP_ACK | TCP_PSH,
			    0xfffffff0u, 42);
	struct tun_offload off = {
		.csum = true, .csum_start = (uint16_t)ihl, .csum_offset = 16,
	};
	uint16_t partial = csum_fold_partial(csum_pseudo4(p, PROTO_TCP,
							  len - ihl));

	ck_assert(l4_ok(p, len, PROTO_TCP));
	memcpy(want, p, len);
	ck_assert_uint_eq(partial,
			  ref_fold(ref_pseudo(p, PROTO_TCP, len - ihl)));
	put16(p + ihl + 16, partial);
	ck_assert(!l4_ok(p, len, PROTO_TCP));
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_uint_eq(get16(p + ihl + 16), get16(want + ihl + 16));
	ck_assert_mem_eq(p, want, len);
	free(p);
	free(want);
}
END_TEST

START_TEST(test_offload_csum_udp)
{
	uint8_t *p = xmalloc(BUFSZ), *want = xmalloc(BUFSZ);
	size_t len;
	struct tun_offload off = {
		.csum = true, .csum_start = 20, .csum_offset = 6,
	};

	rng = 768 + (uint32_t)_i;
	len = mk_udp(p, csum_cases[_i].plen);
	ck_assert(l4_ok(p, len, PROTO_UDP));
	memcpy(want, p, len);
	put16(p + 26, csum_fold_partial(csum_pseudo4(p, PROTO_UDP, len - 20)));
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_uint_eq(get16(p + 26), get16(want + 26));
	ck_assert_mem_eq(p, want, len);
	free(p);
	free(want);
}
END_TEST

/* RFC 768: a UDP checksum computed as zero goes as all ones; TCP keeps
 * its zero. */
START_TEST(test_offload_csum_zero)
{
	uint8_t p[200];
	size_t len;
	struct tun_offload off = { .csum = true, .csum_start = 20 };

	rng = 4242;
	len = mk_udp(p, 50);
	put16(p + 26, 0);
	/* the sum without the field (pseudo-header included) is 0xffff */
	put16(p + 28, 0);
	put16(p + 28, (uint16_t)(0xffff - ref_l4(p, len)));
	put16(p + 26, csum_fold_partial(csum_pseudo4(p, PROTO_UDP, len - 20)));
	off.csum_offset = 6;
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_uint_eq(get16(p + 26), 0xffff);
	ck_assert(l4_ok(p, len, PROTO_UDP));	/* and it verifies */

	len = mk_tcp(p, 20, 50, TCP_ACK, 1, 1);
	put16(p + 36, 0);
	put16(p + HLEN, 0);
	put16(p + HLEN, (uint16_t)(0xffff - ref_l4(p, len)));
	put16(p + 36, csum_fold_partial(csum_pseudo4(p, PROTO_TCP, len - 20)));
	off.csum_offset = 16;
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_uint_eq(get16(p + 36), 0x0000);
	ck_assert(l4_ok(p, len, PROTO_TCP));
}
END_TEST

/* Start and offset outside the packet, or an odd offset: -1, untouched. */
START_TEST(test_offload_csum_bounds)
{
	static const struct {
		uint16_t start, offset;
	} bad[] = {
		{ 63, 0 },		/* start at the end */
		{ 64, 0 },
		{ 0xffff, 0 },
		{ 20, 42 },		/* field ends one octet too late */
		{ 61, 2 },
		{ 20, 0xfffe },
		{ 20, 15 },		/* odd, inside the packet */
		{ 20, 1 },
		{ 0xffff, 0xffff },
	};
	uint8_t p[63], copy[63];
	size_t len = mk_tcp(p, 20, 11, TCP_ACK, 7, 7);
	struct tun_offload off = { .csum = true };

	memcpy(copy, p, len);
	for (int i = 0; i < NCASES(bad); i++) {
		off.csum_start = bad[i].start;
		off.csum_offset = bad[i].offset;
		ck_assert_msg(offload_csum(p, len, &off) == -1,
			      "start %u offset %u accepted", bad[i].start,
			      bad[i].offset);
		ck_assert_mem_eq(p, copy, len);
	}
	/* a field that ends exactly at the end of the packet fits */
	off.csum_start = 61;
	off.csum_offset = 0;
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_uint_eq(get16(p + 61), (uint16_t)~get16(copy + 61));
	ck_assert_mem_eq(p, copy, 61);
}
END_TEST

START_TEST(test_offload_csum_off)
{
	uint8_t p[100], copy[100];
	size_t len = mk_tcp(p, 20, 40, TCP_ACK, 7, 7);
	struct tun_offload off = {
		.csum = false, .csum_start = 0xffff, .csum_offset = 0xffff,
	};

	put16(p + 36, 0x1234);		/* a partial sum left alone */
	memcpy(copy, p, len);
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_mem_eq(p, copy, len);
	off.csum_start = 20;
	off.csum_offset = 16;
	ck_assert_int_eq(offload_csum(p, len, &off), 0);
	ck_assert_mem_eq(p, copy, len);
}
END_TEST

/* ---- TSO ---- */

static const struct {
	size_t ihl, plen;
	uint8_t flags;
	uint32_t seq;
	uint16_t id;
} tso_cases[] = {
	{ 20, BIG, TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, 1000, 1 },
	/* sequence number and identification wrap */
	{ 24, BIG, TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, 0xffffc123u, 0xffe0 },
	{ 60, BIG, TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, 0xfffffffeu, 0xffff },
	{ 20, 10 * MSS, TCP_ACK | TCP_FIN | TCP_CWR, 77, 0 },
	{ 20, MSS + 1, TCP_ACK | TCP_PSH, 0, 0x8000 },
	/* one segment */
	{ 20, MSS, TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, 5, 5 },
	{ 24, 1000, TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, 5, 5 },
	{ 20, 1, TCP_ACK | TCP_CWR, 5, 5 },
};

START_TEST(test_tso_segments)
{
	size_t ihl = tso_cases[_i].ihl, plen = tso_cases[_i].plen;
	size_t hlen = ihl + THL, nseg = (plen + MSS - 1) / MSS, done = 0;
	uint8_t flags = tso_cases[_i].flags;
	uint32_t seq0 = tso_cases[_i].seq;
	uint16_t id0 = tso_cases[_i].id;
	uint8_t *p = xmalloc(BUFSZ), *orig = xmalloc(BUFSZ);
	uint8_t *s = xmalloc(BUFSZ), *joined = xmalloc(BUFSZ);
	struct tun_offload off = { .gso = TUN_GSO_TCPV4, .gso_size = MSS };
	size_t len = mk_tcp(p, ihl, plen, flags, seq0, id0), n;
	struct offload_seg t;
	unsigned i;

	/* the kernel hands the checksum over partial */
	put16(p + ihl + 16, csum_fold_partial(csum_pseudo4(p, PROTO_TCP,
							   len - ihl)));
	memcpy(orig, p, len);
	ck_assert_int_eq(offload_seg_start(&t, p, len, &off), 0);
	for (i = 0; (n = offload_seg_next(&t, s, BUFSZ)) != 0; i++) {
		size_t want = plen - done < MSS ? plen - done : MSS;
		bool first = i == 0, last = done + want == plen;
		uint8_t f = flags;
		const uint8_t *tcp = s + ihl, *otcp = orig + ihl;

		ck_assert_uint_lt(i, nseg);
		ck_assert_uint_eq(n, hlen + want);
		/* IPv4: length, identification, checksum; the rest as is */
		ck_assert_uint_eq(get16(s + 2), n);
		ck_assert_uint_eq(get16(s + 4), (uint16_t)(id0 + i));
		ck_assert_msg(ip_ok(s), "segment %u: IPv4 checksum", i);
		ck_assert_mem_eq(s, orig, 2);
		ck_assert_mem_eq(s + 6, orig + 6, 4);
		ck_assert_mem_eq(s + 12, orig + 12, ihl - 12);
		/* TCP: sequence, flags, checksum; the rest as is */
		ck_assert_uint_eq(get32(tcp + 4), seq0 + (uint32_t)done);
		if (!last)
			f &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (!first)
			f &= (uint8_t)~TCP_CWR;
		ck_assert_msg(tcp[13] == f, "segment %u: flags %02x, want %02x",
			      i, tcp[13], f);
		ck_assert_msg(l4_ok(s, n, PROTO_TCP),
			      "segment %u: TCP checksum", i);
		ck_assert_mem_eq(tcp, otcp, 4);
		ck_assert_mem_eq(tcp + 8, otcp + 8, 5);
		ck_assert_mem_eq(tcp + 14, otcp + 14, 2);
		ck_assert_mem_eq(tcp + 18, otcp + 18, THL - 18);
		ck_assert(payload_ok(s, n));
		memcpy(joined + done, s + hlen, want);
		done += want;
	}
	ck_assert_uint_eq(i, nseg);
	ck_assert_uint_eq(done, plen);
	ck_assert_mem_eq(joined, orig + hlen, plen);
	/* and stays done; the input is untouched */
	ck_assert_uint_eq(offload_seg_next(&t, s, BUFSZ), 0);
	ck_assert_mem_eq(p, orig, len);
	free(p);
	free(orig);
	free(s);
	free(joined);
}
END_TEST

static const char *const tso_refusals[] = {
	"gso none", "gso_size 0", "IPv6", "IHL 4", "UDP", "MF",
	"fragment offset", "total length short", "total length long",
	"shorter than 20", "TCP header longer than the packet",
	"TCP data offset 4", "no payload", "IPv4 header longer than the packet",
};

/* Anything but a whole TCP/IPv4 packet with payload: -1, then nothing
 * to cut. */
START_TEST(test_tso_refused)
{
	uint8_t p[4000], s[4000];
	struct tun_offload off = { .gso = TUN_GSO_TCPV4, .gso_size = MSS };
	size_t len = mk_tcp(p, 20, 3000, TCP_ACK, 1, 1);
	struct offload_seg t;

	/* as built */
	ck_assert_int_eq(offload_seg_start(&t, p, len, &off), 0);
	switch (_i) {
	case 0:
		off.gso = TUN_GSO_NONE;
		break;
	case 1:
		off.gso_size = 0;
		break;
	case 2:
		p[0] = 0x65;
		break;
	case 3:
		p[0] = 0x44;
		break;
	case 4:
		p[9] = PROTO_UDP;
		break;
	case 5:
		p[6] |= 0x20;
		break;
	case 6:
		p[7] = 1;
		break;
	case 7:
		put16(p + 2, (uint16_t)(len - 1));
		break;
	case 8:
		len--;			/* the field says one more */
		break;
	case 9:
		len = 19;
		put16(p + 2, 19);
		break;
	case 10:
		len = mk_tcp(p, 20, 4, TCP_ACK, 1, 1);
		p[32] = 0xf0;			/* 60 > 32 + 4 */
		break;
	case 11:
		p[32] = 0x40;
		break;
	case 12:
		len = mk_tcp(p, 20, 0, TCP_ACK, 1, 1);
		break;
	case 13:
		len = mk_tcp(p, 20, 4, TCP_ACK, 1, 1);
		p[0] = 0x4f;			/* 60 + 20 > 56 */
		break;
	}
	if (p[0] >> 4 == 4 && (p[0] & 0x0f) >= 5 && len >= ihl_of(p) + 20)
		fix_sums(p, len);
	ck_assert_msg(offload_seg_start(&t, p, len, &off) == -1, "%s accepted",
		      tso_refusals[_i]);
	ck_assert_uint_eq(offload_seg_next(&t, s, sizeof(s)), 0);
}
END_TEST

START_TEST(test_tso_small_cap)
{
	uint8_t *p = xmalloc(BUFSZ), *s = xmalloc(BUFSZ);
	struct tun_offload off = { .gso = TUN_GSO_TCPV4, .gso_size = MSS };
	size_t len = mk_tcp(p, 20, 3 * MSS, TCP_ACK, 1, 1);
	struct offload_seg t;

	ck_assert_int_eq(offload_seg_start(&t, p, len, &off), 0);
	ck_assert_uint_eq(offload_seg_next(&t, s, HLEN + MSS - 1), 0);
	ck_assert_uint_eq(offload_seg_next(&t, s, 0), 0);
	ck_assert_int_eq(offload_seg_start(&t, p, len, &off), 0);
	/* exactly the segment's size fits */
	ck_assert_uint_eq(offload_seg_next(&t, s, HLEN + MSS), HLEN + MSS);
	ck_assert_uint_eq(get32(s + 24), 1);
	free(p);
	free(s);
}
END_TEST

/* ---- GRO ---- */

static struct gro *
gro_new(void)
{
	/* ~64 KB: not on the stack; zeroed, so that no field is left
	 * to chance */
	struct gro *g = calloc(1, sizeof(*g));

	ck_assert_ptr_nonnull(g);
	gro_init(g);
	return g;
}

/*
 * The super-packet taken from g is the one expected (len octets, its
 * TCP checksum complete): one IPv4 header, off as TUN_GSO_TCPV4 says,
 * and once offload_csum has run, byte for byte.
 */
static void
take_check(struct gro *g, const uint8_t *want, size_t len, uint16_t mss)
{
	uint8_t *buf = xmalloc(BUFSZ);
	struct tun_offload off;
	const uint8_t *out;

	memset(&off, 0xa5, sizeof(off));
	ck_assert_uint_eq(gro_take(g, &out, &off), len);
	ck_assert(!gro_pending(g));
	ck_assert(ip_ok(out));
	ck_assert_uint_eq(get16(out + 2), len);
	ck_assert_int_eq(off.gso, TUN_GSO_TCPV4);
	ck_assert_uint_eq(off.gso_size, mss);
	ck_assert_uint_eq(off.hdr_len, HLEN);
	ck_assert(off.csum);
	ck_assert_uint_eq(off.csum_start, 20);
	ck_assert_uint_eq(off.csum_offset, 16);
	/* the field holds the pseudo-header sum, for the kernel to complete */
	ck_assert_uint_eq(get16(out + 36),
			  ref_fold(ref_pseudo(out, PROTO_TCP, len - 20)));
	memcpy(buf, out, len);
	ck_assert_int_eq(offload_csum(buf, len, &off), 0);
	ck_assert(l4_ok(buf, len, PROTO_TCP));
	ck_assert(payload_ok(buf, len));
	ck_assert_mem_eq(buf, want, len);
	free(buf);
}

/* The single held segment a (len octets) is taken as it is. */
static void
take_single(struct gro *g, const uint8_t *a, size_t len)
{
	struct tun_offload off;
	const uint8_t *out;

	memset(&off, 0xa5, sizeof(off));
	ck_assert_uint_eq(gro_take(g, &out, &off), len);
	ck_assert_mem_eq(out, a, len);
	ck_assert(off_is_zero(&off));
	ck_assert(!gro_pending(g));
}

/* b is neither held on its own nor joined to the good segment a, which
 * is then taken unchanged. */
static void
never_joined(struct gro *g, const uint8_t *a, size_t la, const uint8_t *b,
	     size_t lb)
{
	ck_assert(!gro_hold(g, b, lb));
	ck_assert(!gro_pending(g));
	ck_assert(gro_hold(g, a, la));
	ck_assert(!gro_merge(g, b, lb));
	take_single(g, a, la);
}

static const struct {
	size_t plen;
	uint8_t flags;
	uint32_t seq;
} rt_cases[] = {
	{ BIG, TCP_ACK | TCP_PSH, 1000 },
	{ BIG, TCP_ACK, 0xffff0000u },		/* sequence wraps */
	{ 3 * MSS, TCP_ACK, 1 },
	{ 2 * MSS, TCP_ACK | TCP_PSH, 2 },
	{ MSS + 1, TCP_ACK | TCP_PSH, 3 },
};

/* tso then gro gives the super-packet back. */
START_TEST(test_gro_roundtrip)
{
	size_t plen = rt_cases[_i].plen, nseg = (plen + MSS - 1) / MSS;
	uint8_t flags = rt_cases[_i].flags;
	uint8_t *p = xmalloc(BUFSZ), *s = xmalloc(BUFSZ);
	struct tun_offload off = { .gso = TUN_GSO_TCPV4, .gso_size = MSS };
	size_t len = mk_tcp(p, 20, plen, flags, rt_cases[_i].seq, 0xfff0), n;
	struct gro *g = gro_new();
	struct offload_seg t;
	unsigned i;

	ck_assert_int_eq(offload_seg_start(&t, p, len, &off), 0);
	for (i = 0; (n = offload_seg_next(&t, s, BUFSZ)) != 0; i++) {
		ck_assert(!gro_closed(g));
		if (i == 0)
			ck_assert(gro_hold(g, s, n));
		else
			ck_assert_msg(gro_merge(g, s, n), "segment %u", i);
		ck_assert(gro_pending(g));
	}
	ck_assert_uint_eq(i, nseg);
	/* a PSH or a short last segment ends the packet */
	ck_assert(gro_closed(g) ==
		  ((flags & TCP_PSH) != 0 || plen % MSS != 0));
	take_check(g, p, len, MSS);
	free(g);
	free(p);
	free(s);
}
END_TEST

static const char *const nm_names[] = {
	"source port", "destination port", "source address",
	"destination address", "sequence gap", "sequence repeated",
	"acknowledgement", "window", "TCP option", "TCP header length", "TOS",
	"TTL", "DF", "TCP reserved bits",
};

/* A second segment differing in one thing the rules compare is not
 * merged; the held one is left as it was. */
START_TEST(test_gro_not_merged)
{
	uint8_t a[1600], b[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	size_t lb = gseg(b, 0, MSS, MSS, TCP_ACK);
	struct gro *g = gro_new();

	/* as built, they join */
	ck_assert(gro_hold(g, a, la));
	ck_assert(gro_merge(g, b, lb));
	gro_init(g);
	switch (_i) {
	case 0:
		put16(b + 20, 40001);
		break;
	case 1:
		put16(b + 22, 444);
		break;
	case 2:
		b[15] = 9;
		break;
	case 3:
		b[19] = 3;
		break;
	case 4:
		lb = gseg(b, 0, MSS, MSS + 1, TCP_ACK);
		break;
	case 5:
		lb = gseg(b, 0, MSS, 0, TCP_ACK);
		break;
	case 6:
		put32(b + 28, ACK0 + 1);
		break;
	case 7:
		put16(b + 34, 502);
		break;
	case 8:
		b[47] ^= 1;			/* TSval */
		break;
	case 9:
		b[32] = 0x90;			/* 36 octets */
		break;
	case 10:
		b[1] = 0x10;
		break;
	case 11:
		b[8] = 63;
		break;
	case 12:
		b[6] &= (uint8_t)~0x40;
		break;
	case 13:
		b[32] |= 0x01;		/* data offset unchanged */
		break;
	}
	fix_sums(b, lb);
	ck_assert(gro_hold(g, a, la));
	ck_assert_msg(!gro_merge(g, b, lb), "%s merged", nm_names[_i]);
	take_single(g, a, la);
	free(g);
}
END_TEST

START_TEST(test_gro_longer)
{
	uint8_t a[1600], b[1600];
	size_t la = gseg(a, 0, 1000, 0, TCP_ACK), lb;
	struct gro *g = gro_new();

	lb = gseg(b, 0, 1000, 1000, TCP_ACK);
	ck_assert(gro_hold(g, a, la));
	ck_assert(gro_merge(g, b, lb));		/* as long: joined */
	gro_init(g);
	lb = gseg(b, 0, 1001, 1000, TCP_ACK);
	ck_assert(gro_hold(g, a, la));
	ck_assert(!gro_merge(g, b, lb));
	take_single(g, a, la);
	free(g);
}
END_TEST

START_TEST(test_gro_shorter_closes)
{
	uint8_t a[1600], b[1600], c[1600], *want = xmalloc(BUFSZ);
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	size_t lb = gseg(b, 0, 500, MSS, TCP_ACK);
	size_t lc = gseg(c, 0, MSS, MSS + 500, TCP_ACK);
	size_t lw = gseg(want, 0, MSS + 500, 0, TCP_ACK);
	struct gro *g = gro_new();

	ck_assert(gro_hold(g, a, la));
	ck_assert(!gro_closed(g));
	ck_assert(gro_merge(g, b, lb));
	ck_assert(gro_closed(g));
	ck_assert(!gro_merge(g, c, lc));	/* closed: no more */
	take_check(g, want, lw, MSS);
	free(g);
	free(want);
}
END_TEST

START_TEST(test_gro_psh_closes)
{
	uint8_t a[1600], b[1600], c[1600], *want = xmalloc(BUFSZ);
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	size_t lb = gseg(b, 0, MSS, MSS, TCP_ACK | TCP_PSH);
	size_t lc = gseg(c, 0, MSS, 2 * MSS, TCP_ACK);
	size_t lw = gseg(want, 0, 2 * MSS, 0, TCP_ACK | TCP_PSH);
	struct gro *g = gro_new();

	ck_assert(gro_hold(g, a, la));
	ck_assert(gro_merge(g, b, lb));
	ck_assert(gro_closed(g));
	ck_assert(!gro_merge(g, c, lc));
	take_check(g, want, lw, MSS);		/* PSH in the header */
	/* a first segment with PSH is held, closed */
	ck_assert(gro_hold(g, b, lb));
	ck_assert(gro_closed(g));
	ck_assert(!gro_merge(g, c, lc));
	take_single(g, b, lb);
	free(g);
	free(want);
}
END_TEST

static const uint8_t bad_flags[] = {
	TCP_ACK | TCP_SYN, TCP_ACK | TCP_FIN, TCP_ACK | TCP_RST,
	TCP_ACK | TCP_URG, TCP_ACK | TCP_CWR, TCP_ACK | TCP_ECE, TCP_SYN,
	TCP_PSH, 0,
};

/* Only ACK and PSH: anything else is neither held nor merged. */
START_TEST(test_gro_flags)
{
	uint8_t a[1600], b[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	size_t lb = gseg(b, 0, MSS, MSS, bad_flags[_i]);
	struct gro *g = gro_new();

	ck_assert_msg(!gro_hold(g, b, lb), "flags %02x held", bad_flags[_i]);
	ck_assert(!gro_pending(g));
	ck_assert(gro_hold(g, a, la));
	ck_assert_msg(!gro_merge(g, b, lb), "flags %02x merged", bad_flags[_i]);
	take_single(g, a, la);
	free(g);
}
END_TEST

/* A wrong TCP or IPv4 header checksum: never joined, the receiver must
 * see it wrong. */
START_TEST(test_gro_bad_csum)
{
	uint8_t a[1600], b[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	size_t lb = gseg(b, 0, MSS, MSS, TCP_ACK);
	struct gro *g = gro_new();

	switch (_i) {
	case 0:
		b[37] ^= 0x01;			/* TCP checksum */
		break;
	case 1:
		b[HLEN + 100] ^= 0x80;		/* payload */
		break;
	case 2:
		b[11] ^= 0x01;			/* IPv4 header checksum */
		break;
	case 3:
		b[8]--;			/* TTL, checksum not updated */
		break;
	}
	never_joined(g, a, la, b, lb);
	free(g);
}
END_TEST

/* Not a candidate at all: IP options, UDP, another protocol carrying
 * what looks like TCP, no payload, a fragment, a total length that is not
 * the packet's. */
START_TEST(test_gro_not_held)
{
	uint8_t a[1600], b[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK), lb = 0;
	struct gro *g = gro_new();

	rng = 3;
	switch (_i) {
	case 0:
		lb = mk_tcp(b, 24, MSS, TCP_ACK, GSEQ + MSS, 1);
		break;
	case 1:
		lb = mk_udp(b, MSS);
		break;
	case 2:
		lb = gseg(b, 0, 0, MSS, TCP_ACK);
		break;
	case 3:
		lb = gseg(b, 0, MSS, MSS, TCP_ACK);
		b[6] |= 0x20;			/* MF */
		fix_sums(b, lb);
		break;
	case 4:
		lb = gseg(b, 0, MSS, MSS, TCP_ACK) - 1;
		break;
	case 5:
		/* protocol 17, the TCP checksum right as if it were 6 */
		lb = gseg(b, 0, MSS, MSS, TCP_ACK);
		b[9] = PROTO_UDP;
		put16(b + 10, 0);
		put16(b + 10, ref_cpl(ref_add(0, b, 20)));
		break;
	case 6:
		/* the field says more, both checksums right over lb octets */
		lb = gseg(b, 0, MSS, MSS, TCP_ACK);
		put16(b + 2, (uint16_t)(lb + 2));
		fix_sums(b, lb);
		break;
	case 7:
		/* the field says less (trailing padding) */
		lb = gseg(b, 0, MSS, MSS, TCP_ACK);
		put16(b + 2, (uint16_t)(lb - 2));
		fix_sums(b, lb);
		break;
	}
	never_joined(g, a, la, b, lb);
	free(g);
}
END_TEST

START_TEST(test_gro_max_segs)
{
	uint8_t s[200], *want = xmalloc(BUFSZ);
	size_t lw = gseg(want, 0, GRO_MAX_SEGS * 100, 0, TCP_ACK), n;
	struct gro *g = gro_new();

	for (size_t i = 0; i < GRO_MAX_SEGS; i++) {
		n = gseg(s, 0, 100, i * 100, TCP_ACK);
		ck_assert(i == 0 ? gro_hold(g, s, n) : gro_merge(g, s, n));
	}
	ck_assert(!gro_closed(g));
	n = gseg(s, 0, 100, GRO_MAX_SEGS * 100, TCP_ACK);
	ck_assert(!gro_merge(g, s, n));
	take_check(g, want, lw, 100);
	free(g);
	free(want);
}
END_TEST

START_TEST(test_gro_max_len)
{
	uint8_t s[1600], *want = xmalloc(BUFSZ);
	size_t full = (GRO_MAX_LEN - HLEN) / MSS, room, n, lw;
	struct gro *g = gro_new();

	for (size_t i = 0; i < full; i++) {
		n = gseg(s, 0, MSS, i * MSS, TCP_ACK);
		ck_assert(i == 0 ? gro_hold(g, s, n) : gro_merge(g, s, n));
	}
	room = GRO_MAX_LEN - HLEN - full * MSS;	/* 323 octets left */
	n = gseg(s, 0, room + 1, full * MSS, TCP_ACK);
	ck_assert(!gro_merge(g, s, n));
	n = gseg(s, 0, room, full * MSS, TCP_ACK);
	ck_assert(gro_merge(g, s, n));
	lw = gseg(want, 0, GRO_MAX_LEN - HLEN, 0, TCP_ACK);
	take_check(g, want, lw, MSS);
	free(g);
	free(want);
}
END_TEST

START_TEST(test_gro_single)
{
	uint8_t a[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	struct gro *g = gro_new();

	ck_assert(gro_hold(g, a, la));
	ck_assert(gro_pending(g));
	take_single(g, a, la);
	free(g);
}
END_TEST

START_TEST(test_gro_empty)
{
	uint8_t a[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	struct gro *g = gro_new();
	struct tun_offload off;
	const uint8_t *out;

	ck_assert(!gro_pending(g));
	memset(&off, 0xa5, sizeof(off));
	ck_assert_uint_eq(gro_take(g, &out, &off), 0);
	ck_assert(off_is_zero(&off));
	ck_assert(!gro_merge(g, a, la));	/* nothing to join */
	ck_assert(!gro_pending(g));
	ck_assert(gro_hold(g, a, la));
	take_single(g, a, la);
	ck_assert_uint_eq(gro_take(g, &out, &off), 0);
	free(g);
}
END_TEST

START_TEST(test_gro_hold_pending)
{
	uint8_t a[1600], b[1600];
	size_t la = gseg(a, 0, MSS, 0, TCP_ACK);
	size_t lb = gseg(b, 1, MSS, 0, TCP_ACK);
	struct gro *g = gro_new();

	ck_assert(gro_hold(g, a, la));
	ck_assert(!gro_hold(g, b, lb));
	ck_assert(!gro_hold(g, a, la));
	take_single(g, a, la);
	ck_assert(gro_hold(g, b, lb));		/* once taken */
	take_single(g, b, lb);
	free(g);
}
END_TEST

/* Two flows interleaved: only the held flow joins; the caller flushes
 * when a segment does not join (ipsec/user.c's user_deliver). */
START_TEST(test_gro_interleaved)
{
	static const struct {
		int flow;
		size_t k;
	} stream[] = {
		{ 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 },
		{ 0, 2 }, { 0, 3 }, { 1, 2 }, { 1, 3 },
	};
	uint8_t seg[8][1600], *want = xmalloc(BUFSZ);
	size_t len[8], nout = 0;
	struct gro *g = gro_new();
	struct tun_offload off;
	const uint8_t *out;

	for (int f = 0; f < 2; f++)
		for (size_t k = 0; k < 4; k++)
			len[f * 4 + k] = gseg(seg[f * 4 + k], f, MSS, k * MSS,
					      TCP_ACK);
	/* a0 held: b0 does not join, a1 does, b1 not, a2 and a3 do */
	ck_assert(gro_hold(g, seg[0], len[0]));
	ck_assert(!gro_merge(g, seg[4], len[4]));
	ck_assert(gro_merge(g, seg[1], len[1]));
	ck_assert(!gro_merge(g, seg[5], len[5]));
	ck_assert(gro_merge(g, seg[2], len[2]));
	ck_assert(!gro_merge(g, seg[6], len[6]));
	ck_assert(gro_merge(g, seg[3], len[3]));
	take_check(g, want, gseg(want, 0, 4 * MSS, 0, TCP_ACK), MSS);

	/* a0 a1 b0 b1 a2 a3 b2 b3, flushed as the caller does: a0+a1,
	 * b0+b1, a2+a3, b2+b3 */
	for (int i = 0; i < NCASES(stream); i++) {
		const uint8_t *p = seg[stream[i].flow * 4 + stream[i].k];
		size_t n = len[stream[i].flow * 4 + stream[i].k];

		if (gro_merge(g, p, n))
			continue;
		if (gro_pending(g)) {
			size_t w = gseg(want, stream[nout * 2].flow, 2 * MSS,
					stream[nout * 2].k * MSS, TCP_ACK);

			take_check(g, want, w, MSS);
			nout++;
		}
		ck_assert(gro_hold(g, p, n));
	}
	take_check(g, want, gseg(want, 1, 2 * MSS, 2 * MSS, TCP_ACK), MSS);
	ck_assert_uint_eq(nout + 1, 4);

	/* strictly alternating: nothing joins, every segment goes alone */
	nout = 0;
	for (size_t k = 0; k < 4; k++) {
		for (int f = 0; f < 2; f++) {
			size_t i = (size_t)f * 4 + k;

			if (gro_merge(g, seg[i], len[i]))
				continue;
			if (gro_take(g, &out, &off) != 0) {
				ck_assert(off_is_zero(&off));
				nout++;
			}
			ck_assert(gro_hold(g, seg[i], len[i]));
		}
	}
	ck_assert_uint_eq(gro_take(g, &out, &off), len[7]);
	ck_assert_mem_eq(out, seg[7], len[7]);
	ck_assert_uint_eq(nout + 1, 8);
	free(g);
	free(want);
}
END_TEST

Suite *
suite_offload(void)
{
	Suite *s = suite_create("offload");
	TCase *cs = tcase_create("csum");
	TCase *oc = tcase_create("offload_csum");
	TCase *tso = tcase_create("tso");
	TCase *gro = tcase_create("gro");

	tcase_add_test(cs, test_csum_rfc1071);
	tcase_add_loop_test(cs, test_csum_reference, 0, 8);
	tcase_add_test(cs, test_csum_pieces);
	tcase_add_test(cs, test_csum_fold_partial);
	tcase_add_test(cs, test_csum_pseudo4);
	tcase_add_test(cs, test_csum_replace16);
	tcase_add_test(cs, test_csum_ipv4_header);
	suite_add_tcase(s, cs);
	tcase_add_loop_test(oc, test_offload_csum_tcp, 0, NCASES(csum_cases));
	tcase_add_loop_test(oc, test_offload_csum_udp, 0, NCASES(csum_cases));
	tcase_add_test(oc, test_offload_csum_zero);
	tcase_add_test(oc, test_offload_csum_bounds);
	tcase_add_test(oc, test_offload_csum_off);
	suite_add_tcase(s, oc);
	tcase_add_loop_test(tso, test_tso_segments, 0, NCASES(tso_cases));
	tcase_add_loop_test(tso, test_tso_refused, 0, NCASES(tso_refusals));
	tcase_add_test(tso, test_tso_small_cap);
	tcase_set_timeout(tso, 30);
	suite_add_tcase(s, tso);
	tcase_add_loop_test(gro, test_gro_roundtrip, 0, NCASES(rt_cases));
	tcase_add_loop_test(gro, test_gro_not_merged, 0, NCASES(nm_names));
	tcase_add_test(gro, test_gro_longer);
	tcase_add_test(gro, test_gro_shorter_closes);
	tcase_add_test(gro, test_gro_psh_closes);
	tcase_add_loop_test(gro, test_gro_flags, 0, NCASES(bad_flags));
	tcase_add_loop_test(gro, test_gro_bad_csum, 0, 4);
	tcase_add_loop_test(gro, test_gro_not_held, 0, 8);
	tcase_add_test(gro, test_gro_max_segs);
	tcase_add_test(gro, test_gro_max_len);
	tcase_add_test(gro, test_gro_single);
	tcase_add_test(gro, test_gro_empty);
	tcase_add_test(gro, test_gro_hold_pending);
	tcase_add_test(gro, test_gro_interleaved);
	tcase_set_timeout(gro, 30);
	suite_add_tcase(s, gro);
	return s;
}
