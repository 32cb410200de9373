/*
 * TCP MSS clamping (ip tcp adjust-mss): SYNs get the smaller MSS with a
 * checksum that still verifies; everything else is left untouched.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ipsec/mss.h"

/* IPv4 + TCP SYN with options NOP NOP MSS(mss) (32-octet TCP header). */
static size_t
syn(uint8_t *p, uint16_t mss, uint8_t flags)
{
	static const uint8_t ip[20] = {
		0x45, 0, 0, 52, 0, 1, 0x40, 0, 64, 6, 0, 0,
		192, 168, 1, 10, 192, 168, 2, 10,
	};

	memset(p, 0, 52);
	memcpy(p, ip, 20);
	p[20] = 0x30; p[21] = 0x39;		/* sport 12345 */
	p[22] = 0x00; p[23] = 0x50;		/* dport 80 */
	p[32] = 0x80;				/* data offset 8 words */
	p[33] = flags;
	p[34] = 0xff; p[35] = 0xff;		/* window */
	p[40] = 1; p[41] = 1;			/* NOP NOP */
	p[42] = 2; p[43] = 4; p[44] = (uint8_t)(mss >> 8); p[45] = (uint8_t)mss;
	p[46] = 1; p[47] = 1; p[48] = 1; p[49] = 1; p[50] = 0; p[51] = 0;
	return 52;
}

static uint16_t
tcp_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t tl = len - 20;

	for (int i = 12; i < 20; i += 2)	/* pseudo-header addresses */
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	s += 6 + (uint32_t)tl;
	for (size_t i = 20; i < len; i += 2)
		s += (uint32_t)(p[i] << 8 | (i + 1 < len ? p[i + 1] : 0));
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
set_sum(uint8_t *p, size_t len)
{
	uint16_t s;

	p[36] = p[37] = 0;
	s = tcp_sum(p, len);
	p[36] = (uint8_t)(s >> 8);
	p[37] = (uint8_t)s;
}

START_TEST(test_clamps_syn)
{
	uint8_t p[64];
	size_t n = syn(p, 1460, 0x02);

	set_sum(p, n);
	ck_assert(mss_clamp(p, n, 1360));
	ck_assert_uint_eq(p[44] << 8 | p[45], 1360);
	ck_assert_uint_eq(tcp_sum(p, n), 0);	/* still verifies */
	/* SYN-ACK too */
	n = syn(p, 9000, 0x12);
	set_sum(p, n);
	ck_assert(mss_clamp(p, n, 1360));
	ck_assert_uint_eq(tcp_sum(p, n), 0);
}
END_TEST

START_TEST(test_leaves_others)
{
	uint8_t p[64], copy[64];
	size_t n = syn(p, 1200, 0x02);

	set_sum(p, n);
	memcpy(copy, p, n);
	ck_assert(!mss_clamp(p, n, 1360));	/* already smaller */
	n = syn(p, 1460, 0x10);			/* plain ACK */
	memcpy(copy, p, n);
	ck_assert(!mss_clamp(p, n, 1360));
	ck_assert_mem_eq(p, copy, n);
	n = syn(p, 1460, 0x02);
	p[6] = 0x00; p[7] = 0x10;		/* a later fragment */
	ck_assert(!mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x02);
	p[9] = 17;				/* UDP */
	ck_assert(!mss_clamp(p, n, 1360));
	n = syn(p, 1460, 0x02);
	ck_assert(!mss_clamp(p, n, 0));		/* off */
	for (size_t cut = 0; cut < n; cut++)	/* truncated: never a crash */
		mss_clamp(p, cut, 1360);
	p[43] = 40;				/* option length lies */
	ck_assert(!mss_clamp(p, n, 1360));
}
END_TEST

Suite *
suite_mss(void)
{
	Suite *s = suite_create("mss");
	TCase *tc = tcase_create("clamp");

	tcase_add_test(tc, test_clamps_syn);
	tcase_add_test(tc, test_leaves_others);
	suite_add_tcase(s, tc);
	return s;
}
