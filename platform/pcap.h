/*
 * pcap: write packet captures (libpcap savefiles) for tests, `debug`
 * captures and the lab, so that a real dissector (tshark, see
 * tools/check-capture) can judge what we put on the wire.
 *
 * This is the only file that includes <pcap.h>; the prefix is pcapw_
 * ("pcap writer") because libpcap owns pcap_*.  Frames are either raw
 * IPv4 (LINKTYPE_RAW) or Ethernet II with fixed locally administered
 * MAC addresses (LINKTYPE_ETHERNET).
 */
#ifndef PLATFORM_PCAP_H
#define PLATFORM_PCAP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct pcapw;

enum pcapw_link {
	PCAPW_LINK_RAW,		/* DLT_RAW: frames start at the IPv4 header */
	PCAPW_LINK_EN10MB,	/* DLT_EN10MB: Ethernet II + IPv4 */
};

/** pcapw_open - create (truncate) path as a capture; NULL on failure. */
struct pcapw *pcapw_open(const char *path, enum pcapw_link link);
/** pcapw_close - flush and close; NULL is fine.  -1 if the flush failed. */
int pcapw_close(struct pcapw *pw);

/**
 * pcapw_write_udp4 - one IPv4/UDP datagram from src to dst (addresses
 * and ports as in a struct sockaddr_in, i.e. network order) carrying
 * len octets.  The IPv4 header gets a valid checksum, the UDP header a
 * valid checksum too.  ts_usec is the frame time in microseconds since
 * the epoch; 0 takes the current time.  -1 if len does not fit a
 * datagram or the write fails.
 */
int pcapw_write_udp4(struct pcapw *pw, const struct sockaddr_in *src,
		     const struct sockaddr_in *dst, const void *payload,
		     size_t len, uint64_t ts_usec);
/** pcapw_write_ip - one complete IPv4 packet as given (e.g. ESP). */
int pcapw_write_ip(struct pcapw *pw, const void *pkt, size_t len,
		   uint64_t ts_usec);

#endif
