/*
 * tun: a Linux TUN device carrying bare IPv4 packets (IFF_TUN |
 * IFF_NO_PI: no packet-information prefix, one packet per read/write).
 * The userspace data plane reads the packets policy routing steers into
 * the device and writes the results back (DESIGN.md §6).
 *
 * The device is not persistent: it disappears, with every route through
 * it, when the descriptor is closed, also when the process dies.
 * Needs CAP_NET_ADMIN.
 */
#ifndef PLATFORM_TUN_H
#define PLATFORM_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Linux IFNAMSIZ: interface names are at most 15 characters. */
#define TUN_NAME_MAX 16
/* RFC 791: an IPv4 packet is at most 65535 octets. */
#define TUN_PACKET_MAX 65535

struct tun;

/**
 * tun_open - create the TUN device name ("gvpn0"; a "%d" pattern lets
 * the kernel pick the number), non-blocking and close-on-exec.  NULL
 * with err set on failure.
 */
struct tun *tun_open(const char *name, char *err, size_t errlen);
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

#endif
