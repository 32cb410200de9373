/*
 * Fuzz target (libFuzzer, `make fuzz`): checksum completion, TCP/UDP
 * segmentation and receive coalescing on arbitrary packets with
 * arbitrary offload metadata, as a TUN could hand them over.  The first
 * 12 octets are the metadata, the rest the packet.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/gro.h"
#include "ipsec/offload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gro g;
static uint8_t seg[70000];

/* Feed one packet to the coalescer the way the data path does. */
static void
deliver(const uint8_t *pkt, size_t len)
{
	struct tun_offload off;
	const uint8_t *out;

	if (gro_merge(&g, pkt, len))
		return;
	gro_take(&g, &out, &off);
	gro_hold(&g, pkt, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tun_offload off = { 0 };
	struct offload_seg t;
	uint8_t *pkt;
	size_t n;

	if (size < 12)
		return 0;
	off.gso = (enum tun_gso)(data[0] % 3);
	off.gso_size = (uint16_t)(data[1] | data[2] << 8);
	off.hdr_len = data[3];
	off.csum = data[4] & 1;
	off.csum_start = (uint16_t)(data[5] | data[6] << 8);
	off.csum_offset = data[7];
	gro_set_udp(&g, data[8] & 1);
	data += 12;
	size -= 12;
	pkt = malloc(size ? size : 1);
	if (pkt == NULL)
		return 0;
	memcpy(pkt, data, size);
	offload_csum(pkt, size, &off);
	if (offload_seg_start(&t, pkt, size, &off) == 0)
		while ((n = offload_seg_next(&t, seg, sizeof(seg))) > 0)
			deliver(seg, n);
	deliver(pkt, size);
	free(pkt);
	return 0;
}
