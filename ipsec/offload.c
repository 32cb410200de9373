/*
 * offload: checksum completion and TCP segmentation of packets read
 * from a TUN with offloads (see ipsec/offload.h).  The segments are the
 * ones Linux's own tcp_gso_segment would produce: same headers, payload
 * cut at gso_size, sequence numbers advanced, IPv4 IDs incremented.
 */
#include "ipsec/offload.h"

#include <string.h>

#include "platform/be.h"
#include "platform/csum.h"

#define IPV4_MIN_HDR 20
#define TCP_MIN_HDR 20
#define IPPROTO_TCP_NUM 6
#define IPPROTO_UDP_NUM 17
#define UDP_HDR 8
#define IPV4_MF_OFFSET 0x3fff
#define TCP_OFF_SEQ 4
#define TCP_OFF_FLAGS 13
#define TCP_OFF_CSUM 16
#define UDP_OFF_CSUM 6
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

int
offload_csum(uint8_t *pkt, size_t len, const struct tun_offload *off)
{
	size_t start = off->csum_start, at = start + off->csum_offset;
	uint32_t sum;
	uint16_t c;

	if (!off->csum)
		return 0;
	if (start >= len || at + 2 > len || off->csum_offset % 2 != 0)
		return -1;
	/* the field holds the pseudo-header sum, the rest is summed over */
	sum = csum_add(0, pkt + start, len - start);
	c = csum_fold(sum);
	/* RFC 768: a UDP checksum computed as zero is sent as all ones */
	if (c == 0 && off->csum_offset == UDP_OFF_CSUM)
		c = 0xffff;
	be16_put(pkt + at, c);
	return 0;
}

int
offload_seg_start(struct offload_seg *t, const uint8_t *pkt, size_t len,
		  const struct tun_offload *off)
{
	size_t ihl, thl;

	uint8_t proto = off->gso == TUN_GSO_TCPV4 ? IPPROTO_TCP_NUM
						  : IPPROTO_UDP_NUM;

	memset(t, 0, sizeof(*t));
	if ((off->gso != TUN_GSO_TCPV4 && off->gso != TUN_GSO_UDPV4) ||
	    off->gso_size == 0 || len < IPV4_MIN_HDR || (pkt[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < IPV4_MIN_HDR || len < ihl + UDP_HDR ||
	    be16_get(pkt + 2) != len ||
	    (be16_get(pkt + 6) & IPV4_MF_OFFSET) != 0 || pkt[9] != proto)
		return -1;
	if (proto == IPPROTO_UDP_NUM)
		thl = UDP_HDR;
	else if (len < ihl + TCP_MIN_HDR ||
		 (thl = (size_t)(pkt[ihl + 12] >> 4) * 4) < TCP_MIN_HDR)
		return -1;
	if (len <= ihl + thl)
		return -1;
	t->proto = proto;
	t->pkt = pkt;
	t->len = len;
	t->ihl = ihl;
	t->hlen = ihl + thl;
	t->mss = off->gso_size;
	return 0;
}

size_t
offload_seg_next(struct offload_seg *t, uint8_t *dst, size_t cap)
{
	size_t left = t->len - t->hlen - t->done, n, total;
	uint8_t *l4 = dst + t->ihl;
	uint16_t id, c;

	if (t->pkt == NULL || left == 0)
		return 0;
	n = left < t->mss ? left : t->mss;
	total = t->hlen + n;
	if (total > cap)
		return 0;
	memcpy(dst, t->pkt, t->hlen);
	memcpy(dst + t->hlen, t->pkt + t->hlen + t->done, n);
	/* IPv4: length, identification, header checksum */
	be16_put(dst + 2, (uint16_t)total);
	id = (uint16_t)(be16_get(t->pkt + 4) + t->n);
	be16_put(dst + 4, id);
	csum_ipv4_header(dst, t->ihl);
	if (t->proto == IPPROTO_UDP_NUM) {
		/* UDP: length; checksum (RFC 768: zero is sent as all ones) */
		be16_put(l4 + 4, (uint16_t)(total - t->ihl));
		be16_put(l4 + UDP_OFF_CSUM, 0);
		c = csum_fold(csum_add(csum_pseudo4(dst, t->proto,
						    total - t->ihl),
				       l4, total - t->ihl));
		be16_put(l4 + UDP_OFF_CSUM, c == 0 ? 0xffff : c);
		t->done += n;
		t->n++;
		return total;
	}
	/* TCP: sequence number, flags, checksum */
	be32_put(l4 + TCP_OFF_SEQ,
		 be32_get(t->pkt + t->ihl + TCP_OFF_SEQ) + (uint32_t)t->done);
	if (n < left)
		l4[TCP_OFF_FLAGS] &= (uint8_t)~(TCP_FIN | TCP_PSH);
	if (t->n > 0)
		l4[TCP_OFF_FLAGS] &= (uint8_t)~TCP_CWR;
	be16_put(l4 + TCP_OFF_CSUM, 0);
	c = csum_fold(csum_add(csum_pseudo4(dst, t->proto, total - t->ihl),
			       l4, total - t->ihl));
	be16_put(l4 + TCP_OFF_CSUM, c);
	t->done += n;
	t->n++;
	return total;
}
