/*
 * pcap: capture files through libpcap's savefile writer (see pcap.h).
 *
 * Owns the synthetic IPv4/UDP framing around the GDOI datagrams we log:
 * RFC 791 header (no options, checksum filled), RFC 768 header with the
 * pseudo-header checksum, optionally an Ethernet II header, so that a
 * dissector sees exactly the octets our sockets would send.  Uses
 * pcap_open_dead() + pcap_dump_open(): no device, no privileges.
 */
#include "platform/pcap.h"

#include "platform/be.h"
#include "platform/csum.h"

#include <pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define PCAPW_SNAPLEN	65535
#define ETH_HDR_LEN	14
#define IPV4_HDR_LEN	20
#define UDP_HDR_LEN	8
#define IPV4_MAX_LEN	65535
#define IPPROTO_UDP_NUM	17
#define ETHERTYPE_IPV4	0x0800
#define IPV4_TTL	64

struct pcapw {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	enum pcapw_link link;
	uint16_t ip_id;		/* Identification of the next datagram */
};

struct pcapw *
pcapw_open(const char *path, enum pcapw_link link)
{
	struct pcapw *pw;
	int dlt = link == PCAPW_LINK_EN10MB ? DLT_EN10MB : DLT_RAW;

	pw = calloc(1, sizeof(*pw));
	if (pw == NULL)
		return NULL;
	pw->link = link;
	pw->ip_id = 1;
	pw->pcap = pcap_open_dead(dlt, PCAPW_SNAPLEN);
	if (pw->pcap == NULL)
		goto fail;
	pw->dump = pcap_dump_open(pw->pcap, path);
	if (pw->dump == NULL)
		goto fail;
	return pw;
fail:
	if (pw->pcap != NULL)
		pcap_close(pw->pcap);
	free(pw);
	return NULL;
}

int
pcapw_close(struct pcapw *pw)
{
	int rc = 0;

	if (pw == NULL)
		return 0;
	if (pcap_dump_flush(pw->dump) != 0)
		rc = -1;
	pcap_dump_close(pw->dump);
	pcap_close(pw->pcap);
	free(pw);
	return rc;
}

/* Write one frame whose link header (if any) is already in place. */
static int
pcapw_dump(struct pcapw *pw, const uint8_t *frame, size_t len,
	   uint64_t ts_usec)
{
	struct pcap_pkthdr h;
	struct timeval now;

	if (ts_usec == 0) {
		gettimeofday(&now, NULL);
		h.ts = now;
	} else {
		h.ts.tv_sec = (time_t)(ts_usec / 1000000);
		h.ts.tv_usec = (suseconds_t)(ts_usec % 1000000);
	}
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)pw->dump, &h, frame);
	return 0;
}

/* Room for the link header in front of an IPv4 packet. */
static size_t
link_len(const struct pcapw *pw)
{
	return pw->link == PCAPW_LINK_EN10MB ? ETH_HDR_LEN : 0;
}

static void
link_put(const struct pcapw *pw, uint8_t *frame)
{
	/* Locally administered unicast MACs: 02:00:00:00:00:0{2,1}. */
	static const uint8_t macs[12] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
	};

	if (pw->link != PCAPW_LINK_EN10MB)
		return;
	memcpy(frame, macs, sizeof(macs));
	be16_put(frame + 12, ETHERTYPE_IPV4);
}

int
pcapw_write_ip(struct pcapw *pw, const void *pkt, size_t len,
	       uint64_t ts_usec)
{
	size_t ll = link_len(pw);
	uint8_t *frame;
	int rc;

	if (len == 0 || len > IPV4_MAX_LEN)
		return -1;
	frame = malloc(ll + len);
	if (frame == NULL)
		return -1;
	link_put(pw, frame);
	memcpy(frame + ll, pkt, len);
	rc = pcapw_dump(pw, frame, ll + len, ts_usec);
	free(frame);
	return rc;
}

static void
ipv4_put(struct pcapw *pw, uint8_t *ip, size_t total,
	 const struct sockaddr_in *src, const struct sockaddr_in *dst)
{
	memset(ip, 0, IPV4_HDR_LEN);
	ip[0] = 0x45;				/* version 4, IHL 5 */
	be16_put(ip + 2, (uint16_t)total);
	be16_put(ip + 4, pw->ip_id++);
	ip[8] = IPV4_TTL;
	ip[9] = IPPROTO_UDP_NUM;
	memcpy(ip + 12, &src->sin_addr.s_addr, 4);
	memcpy(ip + 16, &dst->sin_addr.s_addr, 4);
	csum_ipv4_header(ip, IPV4_HDR_LEN);
}

static void
udp_put(uint8_t *ip, const struct sockaddr_in *src,
	const struct sockaddr_in *dst, size_t ulen)
{
	uint8_t *udp = ip + IPV4_HDR_LEN;
	uint32_t sum;
	uint16_t c;

	memcpy(udp, &src->sin_port, 2);
	memcpy(udp + 2, &dst->sin_port, 2);
	be16_put(udp + 4, (uint16_t)ulen);
	be16_put(udp + 6, 0);
	sum = csum_pseudo4(ip, IPPROTO_UDP_NUM, ulen);
	c = csum_fold(csum_add(sum, udp, ulen));
	be16_put(udp + 6, c == 0 ? 0xffff : c);
}

int
pcapw_write_udp4(struct pcapw *pw, const struct sockaddr_in *src,
		 const struct sockaddr_in *dst, const void *payload,
		 size_t len, uint64_t ts_usec)
{
	size_t ll = link_len(pw), total;
	uint8_t *frame;
	int rc;

	if (len > IPV4_MAX_LEN - IPV4_HDR_LEN - UDP_HDR_LEN ||
	    (len > 0 && payload == NULL))
		return -1;
	total = IPV4_HDR_LEN + UDP_HDR_LEN + len;
	frame = malloc(ll + total);
	if (frame == NULL)
		return -1;
	link_put(pw, frame);
	if (len > 0)
		memcpy(frame + ll + IPV4_HDR_LEN + UDP_HDR_LEN, payload, len);
	ipv4_put(pw, frame + ll, total, src, dst);
	udp_put(frame + ll, src, dst, UDP_HDR_LEN + len);
	rc = pcapw_dump(pw, frame, ll + total, ts_usec);
	free(frame);
	return rc;
}
