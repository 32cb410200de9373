/*
 * tun: a Linux TUN device carrying bare IPv4 packets (IFF_TUN |
 * IFF_NO_PI: no packet-information prefix, one packet per read/write).
 * The userspace data plane reads the packets policy routing steers into
 * the device and writes the results back (doc/design.md §6).
 *
 * The device is not persistent: it disappears, with every route through
 * it, when the descriptor is closed, also when the process dies.
 * Needs CAP_NET_ADMIN.
 */
#ifndef PLATFORM_TUN_H
#define PLATFORM_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Linux IFNAMSIZ: interface names are at most 15 characters. */
#define TUN_NAME_MAX 16
/* RFC 791: an IPv4 packet is at most 65535 octets. */
#define TUN_PACKET_MAX 65535

struct tun;

/* tun_open options. */
#define TUN_OPT_OFFLOAD 0x1	/* offloads, see struct tun_offload */

/*
 * What travels with a packet on a TUN opened with TUN_OPT_OFFLOAD (the
 * kernel's virtio-net header, IFF_VNET_HDR): the kernel may hand over a
 * TCP/IPv4 or UDP/IPv4 "super-packet" of up to 64 KB to be cut into
 * gso_size-octet segments (TSO, USO), and packets whose transport
 * checksum is still to be computed; we may hand such packets back the
 * same way.
 */
enum tun_gso {
	TUN_GSO_NONE,
	TUN_GSO_TCPV4,
	TUN_GSO_UDPV4,		/* UDP datagrams of gso_size (Linux 6.2) */
};

struct tun_offload {
	enum tun_gso gso;
	uint16_t gso_size;	/* payload octets per segment */
	uint16_t hdr_len;	/* IP + TCP (UDP) header octets */
	/* csum: the transport checksum at csum_start + csum_offset holds
	 * only the pseudo-header sum (RFC 793), the rest is to be added
	 * from csum_start to the end of the packet. */
	bool csum;
	uint16_t csum_start, csum_offset;
};

/**
 * tun_open - create the TUN device name ("gvpn0"; a "%d" pattern lets
 * the kernel pick the number), non-blocking and close-on-exec; opts is
 * 0 or TUN_OPT_OFFLOAD (checksum and TCP/IPv4 segmentation offloads;
 * a kernel that refuses them gives a device without, see tun_offloads).
 * NULL with err set on failure.
 */
struct tun *tun_open(const char *name, unsigned opts, char *err,
		     size_t errlen);
/** tun_offloads - whether packets may come and go as super-packets. */
bool tun_offloads(const struct tun *t);
/** tun_close - close the descriptor, which removes the device.  NULL ok. */
void tun_close(struct tun *t);

int tun_fd(const struct tun *t);
/** tun_name - the name the kernel gave the device. */
const char *tun_name(const struct tun *t);
/** tun_ifindex - the device's interface index. */
unsigned tun_ifindex(const struct tun *t);

/** tun_set_mtu - set the device MTU; 0 or -1 (errno). */
int tun_set_mtu(struct tun *t, unsigned mtu);
/** tun_set_up - set or clear IFF_UP; 0 or -1 (errno). */
int tun_set_up(struct tun *t, bool up);

/**
 * tun_read - one packet into buf.  Returns its length, or -1 with errno
 * EAGAIN when none is waiting.  The kernel cuts a packet longer than
 * len without saying so: give TUN_PACKET_MAX octets to see them whole.
 */
ssize_t tun_read(struct tun *t, void *buf, size_t len);
/** tun_write - hand one packet to the kernel; its length or -1 (errno). */
ssize_t tun_write(struct tun *t, const void *buf, size_t len);
/**
 * tun_read_off - tun_read with what travels with the packet in *off
 * (all zero on a device without offloads).  A packet marked in a way
 * struct tun_offload cannot say (another GSO type) is consumed and
 * refused: -1 with errno EPROTO.
 */
ssize_t tun_read_off(struct tun *t, void *buf, size_t len,
		     struct tun_offload *off);
/**
 * tun_write_off - tun_write with offload information (NULL = a plain,
 * complete packet).  -1 with errno EINVAL when off asks for an offload
 * the device was not opened with.
 */
ssize_t tun_write_off(struct tun *t, const void *buf, size_t len,
		      const struct tun_offload *off);

#endif
