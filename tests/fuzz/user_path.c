/*
 * Fuzz target (libFuzzer, `make fuzz`): the user data plane's packet
 * path (ipsec_user_process) with a group installed, on arbitrary
 * packets.  Input octet 0 picks the shape: as is; an IPv4 header around
 * the rest; or ESP with the group's SPI (so the ICV check, padding,
 * TBAR and the selector check all see hostile input).
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/ipsec.h"
#include "ipsec/user.h"
#include "platform/evloop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SPI 0x11111111u

static struct ipsec_ctx x;
static uint8_t *buf;

static struct ipsec_sa
sa(enum ipsec_dir dir)
{
	struct ipsec_sa s = {
		.spi = htonl(SPI), .dir = dir, .enc = IPSEC_ENC_AES_GCM_16,
		.auth = IPSEC_AUTH_NONE, .enc_key_len = 20,
		.lifetime_s = 3600, .replay = IPSEC_REPLAY_TIME,
		.replay_window = 5, .sid = 3, .sid_bits = 8, .group_id = 1,
	};

	memset(s.enc_key, 0xab, s.enc_key_len);
	return s;
}

static void
setup(void)
{
	struct evloop *loop = ev_new();
	struct ipsec_policy p = {
		.group_id = 1, .priority = 100, .action = IPSEC_ACT_PROTECT,
		.src = htonl(0xc0a80000), .src_mask = htonl(0xffff0000),
		.dst = htonl(0xc0a80000), .dst_mask = htonl(0xffff0000),
		.sport_hi = 65535, .dport_hi = 65535, .spi = htonl(SPI),
	};
	struct ipsec_sa in = sa(IPSEC_DIR_IN), out = sa(IPSEC_DIR_OUT);
	char err[128];

	if (ipsec_open(&x, &ipsec_user_backend, loop, err, sizeof(err)) < 0 ||
	    x.be->sa_add(&x, &in) < 0 || x.be->sa_add(&x, &out) < 0 ||
	    x.be->policy_add(&x, &p) < 0)
		abort();
	buf = malloc(IPSEC_USER_BUF_LEN);
	if (buf == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *pkt;
	const uint8_t *out;
	size_t len, outlen, hdr = 0;

	if (buf == NULL)
		setup();
	if (size < 1 || size > 65535 - 28)
		return 0;
	pkt = buf + IPSEC_USER_HEADROOM;
	switch (data[0] % 3) {
	case 1:		/* IPv4 around the rest, protocol from octet 1 */
	case 2:		/* ESP for our SPI */
		hdr = data[0] % 3 == 1 ? 20 : 28;
		memset(pkt, 0, hdr);
		pkt[0] = 0x45;
		pkt[2] = (uint8_t)((size - 1 + hdr) >> 8);
		pkt[3] = (uint8_t)(size - 1 + hdr);
		pkt[8] = 64;
		pkt[9] = data[0] % 3 == 1 && size > 1 ? data[1] : 50;
		memcpy(pkt + 12, "\xc0\xa8\x02\x0a\xc0\xa8\x01\x0a", 8);
		if (hdr == 28) {
			uint32_t spi = htonl(SPI);

			memcpy(pkt + 20, &spi, 4);
		}
		break;
	}
	memcpy(pkt + hdr, data + 1, size - 1);
	len = hdr + size - 1;
	ipsec_user_process(&x, buf, IPSEC_USER_BUF_LEN, len, &out, &outlen);
	return 0;
}
