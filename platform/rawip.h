/*
 * rawip: a raw IPv4 socket for one IP protocol, bound to one interface,
 * that receives and sends whole IPv4 packets (header included) in
 * batches: recvmmsg(2) / sendmmsg(2), one system call for up to
 * RAWIP_BATCH packets.
 *
 * The userspace data plane uses it for ESP (RFC 4303, protocol 50): the
 * packets policy routing delivers locally arrive here, and the ESP
 * packets it builds (source and destination preserved from the inner
 * packet, so not this host's addresses) leave through it; the kernel
 * routes them out of the bound interface.  Cleartext it lets pass leaves
 * through an unbound IPPROTO_RAW socket.  Needs CAP_NET_RAW.
 */
#ifndef PLATFORM_RAWIP_H
#define PLATFORM_RAWIP_H

#include <stddef.h>
#include <stdint.h>

#define RAWIP_BATCH 64

struct rawip;

/**
 * rawip_open - the socket for protocol proto on interface ifname (NULL:
 * not bound, packets leave wherever the routing sends them; with proto
 * IPPROTO_RAW, 255, the socket only sends), non-blocking and
 * close-on-exec.  NULL with err set on failure.
 */
struct rawip *rawip_open(uint8_t proto, const char *ifname, char *err,
			 size_t errlen);
/** rawip_close - close it.  NULL is ok. */
void rawip_close(struct rawip *r);
int rawip_fd(const struct rawip *r);

/**
 * rawip_recv - up to n (<= RAWIP_BATCH) packets, the i-th into bufs[i]
 * (cap octets each) with its length in lens[i].  How many were read,
 * 0 when none was waiting, or -1 (errno).  A packet longer than cap is
 * cut; its length says so (lens[i] > cap is never returned: such a
 * packet gets lens[i] = 0).
 */
int rawip_recv(struct rawip *r, uint8_t *const *bufs, size_t cap,
	       size_t *lens, unsigned n);
/**
 * rawip_send - hand n (<= RAWIP_BATCH) whole IPv4 packets to the kernel;
 * each goes to its own destination address (octets 16-19).  Returns how
 * many were taken; those after a refused one are tried again, so the
 * count is of packets sent, and *errs (if not NULL) counts the refused.
 */
unsigned rawip_send(struct rawip *r, const uint8_t *const *pkts,
		    const size_t *lens, unsigned n, unsigned *errs);

#endif
