/*
 * UDP coalescing (ipsec/gro.c with gro_set_udp) and its way back
 * (ipsec/offload.c cutting a UDP super-packet): datagrams of one flow
 * join into a TUN_GSO_UDPV4 super-packet whose checksum the kernel
 * completes, and cutting that super-packet gives back the very same
 * datagrams (what a kernel without UDP segmentation is handed).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/gro.h"
#include "ipsec/offload.h"
#include "platform/be.h"
#include "platform/csum.h"

#define NDGRAM 10
#define PAYLOAD 200
#define DGRAM_LEN (20 + 8 + PAYLOAD)

static struct gro *G;

static void
setup(void)
{
	G = malloc(sizeof(*G));
	ck_assert_ptr_nonnull(G);
	memset(G, 0, sizeof(*G));
	gro_init(G);
}

static void
teardown(void)
{
	free(G);
}

/* Datagram i of a flow 192.168.1.10:5000 -> 192.168.2.10:5201, DF,
 * identification 0x1000 + i, payload of len octets, checksums right. */
static size_t
dgram(uint8_t *p, unsigned i, size_t len, uint16_t sport)
{
	static const uint8_t ip[20] = {
		0x45, 0, 0, 0, 0, 0, 0x40, 0, 63, 17, 0, 0,
		192, 168, 1, 10, 192, 168, 2, 10,
	};
	size_t total = 28 + len;
	uint16_t c;

	memcpy(p, ip, sizeof(ip));
	be16_put(p + 2, (uint16_t)total);
	be16_put(p + 4, (uint16_t)(0x1000 + i));
	csum_ipv4_header(p, 20);
	be16_put(p + 20, sport);
	be16_put(p + 22, 5201);
	be16_put(p + 24, (uint16_t)(8 + len));
	be16_put(p + 26, 0);
	for (size_t k = 0; k < len; k++)
		p[28 + k] = (uint8_t)(i * 31 + k);
	c = csum_fold(csum_add(csum_pseudo4(p, 17, 8 + len), p + 20, 8 + len));
	be16_put(p + 26, c == 0 ? 0xffff : c);
	return total;
}

static bool
udp_ok(const uint8_t *p, size_t len)
{
	return csum_fold(csum_add(0, p, 20)) == 0 &&
	       csum_fold(csum_add(csum_pseudo4(p, 17, len - 20), p + 20,
				  len - 20)) == 0;
}

START_TEST(test_udp_joined_and_cut_back)
{
	uint8_t d[NDGRAM][DGRAM_LEN], seg[2048], super[GRO_MAX_LEN];
	struct tun_offload off;
	const uint8_t *pkt;
	struct offload_seg t;
	size_t len, n;
	unsigned i;

	gro_set_udp(G, true);
	for (i = 0; i < NDGRAM; i++)
		ck_assert_uint_eq(dgram(d[i], i, PAYLOAD, 5000), DGRAM_LEN);
	ck_assert(gro_hold(G, d[0], DGRAM_LEN));
	for (i = 1; i < NDGRAM; i++)
		ck_assert(gro_merge(G, d[i], DGRAM_LEN));
	ck_assert(!gro_closed(G));
	len = gro_take(G, &pkt, &off);
	ck_assert_uint_eq(len, 28 + NDGRAM * PAYLOAD);
	ck_assert_int_eq(off.gso, TUN_GSO_UDPV4);
	ck_assert_uint_eq(off.gso_size, PAYLOAD);
	ck_assert_uint_eq(off.hdr_len, 28);
	ck_assert(off.csum);
	ck_assert_uint_eq(off.csum_start, 20);
	ck_assert_uint_eq(off.csum_offset, 6);
	ck_assert_uint_eq(be16_get(pkt + 2), len);
	ck_assert_uint_eq(be16_get(pkt + 24), len - 20);
	ck_assert_uint_eq(csum_fold(csum_add(0, pkt, 20)), 0);
	ck_assert(!gro_pending(G));
	memcpy(super, pkt, len);
	/* what the kernel does with the partial checksum */
	{
		uint8_t whole[GRO_MAX_LEN];

		memcpy(whole, super, len);
		ck_assert_int_eq(offload_csum(whole, len, &off), 0);
		ck_assert(udp_ok(whole, len));
	}
	/* cut back: the very datagrams that were joined */
	ck_assert_int_eq(offload_seg_start(&t, super, len, &off), 0);
	for (i = 0; (n = offload_seg_next(&t, seg, sizeof(seg))) > 0; i++) {
		ck_assert_uint_lt(i, NDGRAM);
		ck_assert_uint_eq(n, DGRAM_LEN);
		ck_assert(udp_ok(seg, n));
		ck_assert_mem_eq(seg, d[i], DGRAM_LEN);
	}
	ck_assert_uint_eq(i, NDGRAM);
}
END_TEST

START_TEST(test_udp_off_by_default)
{
	uint8_t a[DGRAM_LEN];

	dgram(a, 0, PAYLOAD, 5000);
	ck_assert(!gro_hold(G, a, DGRAM_LEN));
	gro_set_udp(G, true);
	ck_assert(gro_hold(G, a, DGRAM_LEN));
	/* gro_init keeps the choice */
	gro_init(G);
	ck_assert(gro_hold(G, a, DGRAM_LEN));
}
END_TEST

START_TEST(test_udp_rules)
{
	uint8_t a[DGRAM_LEN], b[DGRAM_LEN + 8];
	size_t n;

	gro_set_udp(G, true);
	dgram(a, 0, PAYLOAD, 5000);
	ck_assert(gro_hold(G, a, DGRAM_LEN));
	/* another source port: another flow */
	n = dgram(b, 1, PAYLOAD, 5001);
	ck_assert(!gro_merge(G, b, n));
	/* larger than the first */
	n = dgram(b, 1, PAYLOAD + 8, 5000);
	ck_assert(!gro_merge(G, b, n));
	/* another TTL */
	n = dgram(b, 1, PAYLOAD, 5000);
	b[8] = 62;
	csum_ipv4_header(b, 20);
	ck_assert(!gro_merge(G, b, n));
	/* a wrong UDP checksum */
	n = dgram(b, 1, PAYLOAD, 5000);
	b[27] ^= 1;
	ck_assert(!gro_merge(G, b, n));
	/* a shorter one joins and ends it */
	n = dgram(b, 1, PAYLOAD - 50, 5000);
	ck_assert(gro_merge(G, b, n));
	ck_assert(gro_closed(G));
	n = dgram(b, 2, PAYLOAD - 50, 5000);
	ck_assert(!gro_merge(G, b, n));
}
END_TEST

START_TEST(test_udp_not_held)
{
	uint8_t a[DGRAM_LEN];

	gro_set_udp(G, true);
	/* no checksum: joining would give it one */
	dgram(a, 0, PAYLOAD, 5000);
	a[26] = a[27] = 0;
	ck_assert(!gro_hold(G, a, DGRAM_LEN));
	/* the UDP length disagrees with the IPv4 length */
	dgram(a, 0, PAYLOAD, 5000);
	be16_put(a + 24, 8 + PAYLOAD - 1);
	ck_assert(!gro_hold(G, a, DGRAM_LEN));
	/* a fragment */
	dgram(a, 0, PAYLOAD, 5000);
	a[6] = 0x20;
	csum_ipv4_header(a, 20);
	ck_assert(!gro_hold(G, a, DGRAM_LEN));
	/* no payload */
	dgram(a, 0, 0, 5000);
	ck_assert(!gro_hold(G, a, 28));
}
END_TEST

START_TEST(test_udp_cut_refusals)
{
	uint8_t a[DGRAM_LEN];
	struct tun_offload off = { .gso = TUN_GSO_UDPV4, .gso_size = 100 };
	struct offload_seg t;

	dgram(a, 0, PAYLOAD, 5000);
	ck_assert_int_eq(offload_seg_start(&t, a, DGRAM_LEN, &off), 0);
	/* the offload says UDP, the packet is something else */
	a[9] = 6;
	ck_assert_int_eq(offload_seg_start(&t, a, DGRAM_LEN, &off), -1);
	/* the offload says TCP, the packet is UDP */
	dgram(a, 0, PAYLOAD, 5000);
	off.gso = TUN_GSO_TCPV4;
	ck_assert_int_eq(offload_seg_start(&t, a, DGRAM_LEN, &off), -1);
	/* headers only */
	off.gso = TUN_GSO_UDPV4;
	dgram(a, 0, 0, 5000);
	ck_assert_int_eq(offload_seg_start(&t, a, 28, &off), -1);
}
END_TEST

Suite *
suite_udp_gro(void)
{
	Suite *s = suite_create("udp_gro");
	TCase *tc = tcase_create("udp");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_udp_joined_and_cut_back);
	tcase_add_test(tc, test_udp_off_by_default);
	tcase_add_test(tc, test_udp_rules);
	tcase_add_test(tc, test_udp_not_held);
	tcase_add_test(tc, test_udp_cut_refusals);
	suite_add_tcase(s, tc);
	return s;
}
