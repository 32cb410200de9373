/*
 * platform/udp.c's batches: recvmmsg / sendmmsg with the local address
 * of each datagram (IP_PKTINFO), truncation reported as with one
 * datagram, a datagram the kernel refuses in the middle of a batch, and
 * nothing waiting.  All on 127.0.0.1, ports chosen by the kernel.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <string.h>

#include "platform/udp.h"

#define LO 0x7f000001

static struct udp_sock *
lo_sock(void)
{
	char err[128];
	struct udp_sock *s = udp_open(htonl(LO), 0, err, sizeof(err));

	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

/* Three datagrams leave in one call and arrive in one, the last cut. */
START_TEST(test_batch_both_ways)
{
	struct udp_sock *a = lo_sock(), *b = lo_sock();
	static uint8_t d[3][1000], in[UDP_BATCH][500];
	const uint8_t *out[3] = { d[0], d[1], d[2] };
	uint8_t *bufs[UDP_BATCH];
	const size_t lens[3] = { 10, 100, 1000 };
	size_t got[UDP_BATCH];
	struct udp_peer to[3], from[UDP_BATCH];
	unsigned errs = 0;

	for (int i = 0; i < 3; i++) {
		memset(d[i], 'a' + i, sizeof(d[i]));
		to[i] = (struct udp_peer){ .addr = htonl(LO),
					   .port = udp_port(b),
					   .local = htonl(LO) };
	}
	for (int i = 0; i < UDP_BATCH; i++)
		bufs[i] = in[i];
	ck_assert_uint_eq(udp_send_many(a, out, lens, to, 3, &errs), 3);
	ck_assert_uint_eq(errs, 0);
	ck_assert_int_eq(udp_recv_many(b, bufs, sizeof(in[0]), got, from,
				       UDP_BATCH), 3);
	ck_assert_uint_eq(got[0], 10);
	ck_assert_uint_eq(got[1], 100);
	ck_assert_uint_eq(got[2], sizeof(in[0]) + 1);	/* cut */
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(in[i][0], 'a' + i);
		ck_assert_uint_eq(from[i].addr, htonl(LO));
		ck_assert_uint_eq(from[i].port, udp_port(a));
		ck_assert_uint_eq(from[i].local, htonl(LO));
	}
	udp_close(a);
	udp_close(b);
}
END_TEST

/* A datagram the kernel refuses (port 0) is counted; the next goes. */
START_TEST(test_refused_in_the_middle)
{
	struct udp_sock *a = lo_sock(), *b = lo_sock();
	static const uint8_t x[4] = "abc", y[4] = "xyz";
	const uint8_t *out[3] = { x, x, y };
	const size_t lens[3] = { 3, 3, 3 };
	struct udp_peer to[3], from[UDP_BATCH];
	uint8_t in[UDP_BATCH][16], *bufs[UDP_BATCH];
	size_t got[UDP_BATCH];
	unsigned errs = 0;

	for (int i = 0; i < 3; i++)
		to[i] = (struct udp_peer){ .addr = htonl(LO),
					   .port = i == 1 ? 0 : udp_port(b) };
	for (int i = 0; i < UDP_BATCH; i++)
		bufs[i] = in[i];
	ck_assert_uint_eq(udp_send_many(a, out, lens, to, 3, &errs), 2);
	ck_assert_uint_eq(errs, 1);
	ck_assert_int_eq(udp_recv_many(b, bufs, sizeof(in[0]), got, from,
				       UDP_BATCH), 2);
	ck_assert_mem_eq(in[1], "xyz", 3);
	udp_close(a);
	udp_close(b);
}
END_TEST

START_TEST(test_nothing_waiting)
{
	struct udp_sock *b = lo_sock();
	uint8_t in[16], *bufs[1] = { in };
	size_t got[1];
	struct udp_peer from[1];

	errno = 0;
	ck_assert_int_eq(udp_recv_many(b, bufs, sizeof(in), got, from, 1), -1);
	ck_assert_int_eq(errno, EAGAIN);
	udp_close(b);
}
END_TEST

Suite *
suite_udp(void)
{
	Suite *s = suite_create("udp");
	TCase *tc = tcase_create("batch");

	tcase_add_test(tc, test_batch_both_ways);
	tcase_add_test(tc, test_refused_in_the_middle);
	tcase_add_test(tc, test_nothing_waiting);
	suite_add_tcase(s, tc);
	return s;
}
