/*
 * gro: joining decrypted TCP segments of one flow (see ipsec/gro.h).
 */
#include "ipsec/gro.h"

#include <string.h>

#include "platform/be.h"
#include "platform/csum.h"

#define IPV4_HDR 20		/* only option-less IPv4 headers are joined */
#define TCP_MIN_HDR 20
#define IPPROTO_TCP_NUM 6
#define IPPROTO_UDP_NUM 17
#define UDP_HDR 8
#define UDP_OFF_CSUM 6
#define IPV4_DF 0x4000
#define IPV4_MF_OFFSET 0x3fff
#define TCP_OFF_SEQ 4
#define TCP_OFF_ACK 8
#define TCP_OFF_FLAGS 13
#define TCP_OFF_CSUM 16
#define TCP_ACK 0x10
#define TCP_PSH 0x08

/*
 * The headers of a segment that may be joined: option-less IPv4, whole
 * (not a fragment), with payload; TCP with only ACK or ACK|PSH set, or
 * (when g takes UDP) UDP whose length field agrees and whose checksum is
 * not zero (it would come out with one).  Its transport header length in
 * *thl.  The checksums are gro_sums_ok's: a pass over the whole packet,
 * left for last.
 */
static bool
gro_headers_ok(const struct gro *g, const uint8_t *pkt, size_t len,
	       size_t *thl)
{
	const uint8_t *l4 = pkt + IPV4_HDR;

	if (len < IPV4_HDR + UDP_HDR || pkt[0] != 0x45 ||
	    be16_get(pkt + 2) != len ||
	    (be16_get(pkt + 6) & IPV4_MF_OFFSET) != 0)
		return false;
	if (pkt[9] == IPPROTO_TCP_NUM) {
		if (len < IPV4_HDR + TCP_MIN_HDR)
			return false;
		*thl = (size_t)(l4[12] >> 4) * 4;
		if (*thl < TCP_MIN_HDR ||
		    (l4[TCP_OFF_FLAGS] & ~TCP_PSH) != TCP_ACK)
			return false;
	} else if (pkt[9] == IPPROTO_UDP_NUM && g->udp) {
		*thl = UDP_HDR;
		if (be16_get(l4 + 4) != len - IPV4_HDR ||
		    be16_get(l4 + UDP_OFF_CSUM) == 0)
			return false;
	} else {
		return false;
	}
	return len > IPV4_HDR + *thl;
}

/* Both checksums of a segment gro_headers_ok accepted are right: a
 * wrong one is never joined (the receiver must see it wrong). */
static bool
gro_sums_ok(const uint8_t *pkt, size_t len)
{
	return csum_fold(csum_add(0, pkt, IPV4_HDR)) == 0 &&
	       csum_fold(csum_add(csum_pseudo4(pkt, pkt[9], len - IPV4_HDR),
				  pkt + IPV4_HDR, len - IPV4_HDR)) == 0;
}

void
gro_init(struct gro *g)
{
	g->len = 0;
	g->nseg = 0;
	g->closed = false;
}

void
gro_set_udp(struct gro *g, bool on)
{
	g->udp = on;
}

bool
gro_pending(const struct gro *g)
{
	return g->len != 0;
}

bool
gro_closed(const struct gro *g)
{
	return g->closed;
}

bool
gro_hold(struct gro *g, const uint8_t *pkt, size_t len)
{
	size_t thl;

	if (g->len != 0 || !gro_headers_ok(g, pkt, len, &thl) ||
	    !gro_sums_ok(pkt, len))
		return false;
	memcpy(g->buf, pkt, len);
	g->len = len;
	g->ihl = IPV4_HDR;
	g->hlen = IPV4_HDR + thl;
	g->mss = len - g->hlen;
	g->nseg = 1;
	g->closed = pkt[9] == IPPROTO_TCP_NUM &&
		    (pkt[IPV4_HDR + TCP_OFF_FLAGS] & TCP_PSH) != 0;
	return true;
}

/* The TCP header of pkt continues the held segment's, byte for byte
 * where Linux requires it. */
static bool
gro_same_tcp(const struct gro *g, const uint8_t *pkt, size_t thl)
{
	const uint8_t *th = g->buf + IPV4_HDR, *tcp = pkt + IPV4_HDR;

	/* acknowledgement; header length, flags but PSH, window; options;
	 * the next sequence number */
	return memcmp(tcp + TCP_OFF_ACK, th + TCP_OFF_ACK, 4) == 0 &&
	       tcp[12] == th[12] &&
	       (tcp[TCP_OFF_FLAGS] & ~TCP_PSH) == (th[TCP_OFF_FLAGS] & ~TCP_PSH) &&
	       memcmp(tcp + 14, th + 14, 2) == 0 &&
	       memcmp(tcp + TCP_MIN_HDR, th + TCP_MIN_HDR,
		      thl - TCP_MIN_HDR) == 0 &&
	       be32_get(tcp + TCP_OFF_SEQ) ==
	       be32_get(th + TCP_OFF_SEQ) + (uint32_t)(g->len - g->hlen);
}

/* pkt belongs to the held packet's flow: protocol, addresses, ports,
 * TOS, TTL, DF, header length; for TCP also gro_same_tcp. */
static bool
gro_same_flow(const struct gro *g, const uint8_t *pkt, size_t thl)
{
	const uint8_t *h = g->buf;

	if (IPV4_HDR + thl != g->hlen || pkt[9] != h[9] || pkt[1] != h[1] ||
	    pkt[8] != h[8] || ((be16_get(pkt + 6) ^ be16_get(h + 6)) & IPV4_DF) ||
	    memcmp(pkt + 12, h + 12, 8) != 0 ||
	    memcmp(pkt + IPV4_HDR, h + IPV4_HDR, 4) != 0)
		return false;
	return pkt[9] != IPPROTO_TCP_NUM || gro_same_tcp(g, pkt, thl);
}

bool
gro_merge(struct gro *g, const uint8_t *pkt, size_t len)
{
	size_t thl, n;

	if (g->len == 0 || g->closed || g->nseg >= GRO_MAX_SEGS ||
	    !gro_headers_ok(g, pkt, len, &thl))
		return false;
	n = len - IPV4_HDR - thl;
	/* the checksum pass last: a segment of another flow, which the
	 * caller then holds (and checks), is not summed twice */
	if (n > g->mss || g->len + n > GRO_MAX_LEN ||
	    !gro_same_flow(g, pkt, thl) || !gro_sums_ok(pkt, len))
		return false;
	memcpy(g->buf + g->len, pkt + IPV4_HDR + thl, n);
	g->len += n;
	g->nseg++;
	if (pkt[9] == IPPROTO_TCP_NUM &&
	    (pkt[IPV4_HDR + TCP_OFF_FLAGS] & TCP_PSH)) {
		g->buf[IPV4_HDR + TCP_OFF_FLAGS] |= TCP_PSH;
		g->closed = true;
	}
	if (n < g->mss)
		g->closed = true;
	return true;
}

size_t
gro_take(struct gro *g, const uint8_t **pkt, struct tun_offload *off)
{
	size_t len = g->len;
	uint8_t *l4 = g->buf + g->ihl;

	memset(off, 0, sizeof(*off));
	*pkt = g->buf;
	if (len == 0)
		return 0;
	if (g->nseg > 1) {
		bool tcp = g->buf[9] == IPPROTO_TCP_NUM;
		uint16_t at = tcp ? TCP_OFF_CSUM : UDP_OFF_CSUM;

		be16_put(g->buf + 2, (uint16_t)len);
		csum_ipv4_header(g->buf, g->ihl);
		if (!tcp)
			be16_put(l4 + 4, (uint16_t)(len - g->ihl));
		/* partial: the pseudo-header sum, the kernel adds the rest */
		be16_put(l4 + at, csum_fold_partial(csum_pseudo4(g->buf, g->buf[9],
								 len - g->ihl)));
		off->gso = tcp ? TUN_GSO_TCPV4 : TUN_GSO_UDPV4;
		off->gso_size = (uint16_t)g->mss;
		off->hdr_len = (uint16_t)g->hlen;
		off->csum = true;
		off->csum_start = (uint16_t)g->ihl;
		off->csum_offset = at;
	}
	gro_init(g);
	return len;
}
