/*
 * Codec capture tests, part of the codec suite: platform/pcap writes the
 * canned messages as IPv4/UDP 848 frames (raw and Ethernet); the file
 * header and checksums are checked here, then the capture is handed to
 * tools/check-capture (tshark), which must find it clean, and must
 * refuse the same file with one ISAKMP Length field broken.  Without
 * tshark the dissector step is skipped, loudly.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codec_samples.h"
#include "platform/pcap.h"

static const char *
capture_tool(void)
{
	const char *env = getenv("GETVPN_CHECK_CAPTURE");

	if (env != NULL && *env != '\0')
		return env;
	return "tools/check-capture";
}

/* RFC 1071 checksum over p (0 when the embedded checksum is right). */
static uint16_t
ck_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
write_capture(const char *path, enum pcapw_link link, size_t *first_len)
{
	struct sockaddr_in gm = { .sin_family = AF_INET }, ks = gm;
	struct pcapw *pw;
	struct codec_msg m;
	int k;

	gm.sin_addr.s_addr = htonl(0xc0000201);
	gm.sin_port = htons(848);
	ks.sin_addr.s_addr = htonl(0xc0000202);
	ks.sin_port = htons(848);
	pw = pcapw_open(path, link);
	ck_assert_ptr_nonnull(pw);
	for (k = 0; k < CODEC_CANNED_COUNT; k++) {
		codec_canned_build((enum codec_canned)k, &m);
		if (k == 0)
			*first_len = buf_len(&m.w);
		ck_assert_int_eq(pcapw_write_udp4(pw, k % 2 ? &ks : &gm,
						  k % 2 ? &gm : &ks,
						  buf_data(&m.w), buf_len(&m.w),
						  1700000000000000ULL + k), 0);
		buf_writer_free(&m.w);
	}
	ck_assert_int_eq(pcapw_close(pw), 0);
}

/* The file as libpcap wrote it: global header, first frame's checksums. */
static void
check_capture_bytes(const char *path, enum pcapw_link link, size_t plen)
{
	uint8_t f[24 + 16 + 14 + 28];
	size_t ll = link == PCAPW_LINK_EN10MB ? 14 : 0;
	const uint8_t *ip = f + 40 + ll;
	uint8_t *all;
	FILE *fp = fopen(path, "rb");
	uint32_t magic, dlt, caplen;
	uint32_t sum;

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fread(f, 1, 40 + ll + 28, fp), 40 + ll + 28);
	memcpy(&magic, f, 4);
	memcpy(&dlt, f + 20, 4);
	memcpy(&caplen, f + 32, 4);
	ck_assert_uint_eq(magic, 0xa1b2c3d4);
	ck_assert_uint_eq(dlt, link == PCAPW_LINK_EN10MB ? 1 : 101);
	ck_assert_uint_eq(caplen, ll + 28 + plen);
	ck_assert_uint_eq(ip[0], 0x45);
	ck_assert_uint_eq(ip[9], 17);
	ck_assert_uint_eq(ck_csum(ip, 20, 0), 0);
	/* UDP checksum over the pseudo header and the whole datagram. */
	all = malloc(8 + plen);
	memcpy(all, ip + 20, 8);
	ck_assert_uint_eq(fread(all + 8, 1, plen, fp), plen);
	sum = 17 + 8 + (uint32_t)plen;
	sum += (uint32_t)ck_csum(ip + 12, 8, 0) ^ 0xffff;
	ck_assert_uint_eq(ck_csum(all, 8 + plen, sum), 0);
	free(all);
	fclose(fp);
}

/* Exit status of the capture checker on path. */
static int
run_checker(const char *tool, const char *path)
{
	char cmd[256];
	int st;

	snprintf(cmd, sizeof(cmd), "%s -q %s", tool, path);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Overwrite the ISAKMP header Length of the file's first frame. */
static void
break_first_length(const char *path, enum pcapw_link link)
{
	long off = 24 + 16 + (link == PCAPW_LINK_EN10MB ? 14 : 0) + 20 + 8 + 24;
	const uint8_t huge[4] = { 0, 0, 0xff, 0xff };
	FILE *fp = fopen(path, "r+b");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, off, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(huge, 1, sizeof(huge), fp), sizeof(huge));
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(test_pcap_capture)
{
	enum pcapw_link link = _i ? PCAPW_LINK_EN10MB : PCAPW_LINK_RAW;
	char dir[] = "/tmp/check_codec.XXXXXX", path[64];
	const char *tool = capture_tool();
	size_t plen = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/codec.pcap", dir);
	ck_assert_ptr_null(pcapw_open("/nonexistent/dir/x.pcap", link));
	write_capture(path, link, &plen);
	check_capture_bytes(path, link, plen);
	ck_assert_msg(access(tool, X_OK) == 0, "no capture checker %s", tool);
	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		fprintf(stderr, "codec: SKIP dissector check: tshark is not "
			"installed (make deps)\n");
	} else {
		ck_assert_int_eq(run_checker(tool, path), 0);
		break_first_length(path, link);
		ck_assert_int_eq(run_checker(tool, path), 1);
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

TCase *
codec_tcase_pcap(void)
{
	TCase *tc = tcase_create("pcap");

	tcase_add_loop_test(tc, test_pcap_capture, 0, 2);
	tcase_set_timeout(tc, 60);
	return tc;
}
