/*
 * ping: ICMP echo (RFC 792) through a raw socket, one request at a time,
 * for the EXEC `ping` command.  Needs CAP_NET_RAW.  Blocking: each echo
 * waits at most its timeout.
 */
#ifndef PLATFORM_PING_H
#define PLATFORM_PING_H

#include <stddef.h>
#include <stdint.h>

struct ping;

/** ping_open - a raw ICMP socket, bound to source (network order) if not
 * 0.  NULL with err set. */
struct ping *ping_open(uint32_t source, char *err, size_t errlen);
void ping_close(struct ping *p);
/**
 * ping_echo - send one echo request of size octets (IP header included,
 * as IOS counts it) to dst and wait up to timeout_ms for its reply.
 * 1 with *rtt_us set when it came, 0 on timeout, -1 (errno) when the
 * request could not be sent.
 */
int ping_echo(struct ping *p, uint32_t dst, uint16_t seq, size_t size,
	      unsigned timeout_ms, unsigned *rtt_us);

#endif
