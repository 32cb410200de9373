/*
 * tun: the TUN device of the userspace data plane (see platform/tun.h).
 * Owns the /dev/net/tun descriptor and the interface flags and MTU set
 * through the classic SIOCSIF* ioctls (an AF_INET datagram socket is the
 * handle those ioctls need).  Implements nothing of an RFC: the packets
 * are plain IPv4 (RFC 791) in both directions.
 */
#include "platform/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define TUN_CLONE_DEV "/dev/net/tun"

/* UDP segmentation (Linux 6.2, virtio 1.2 "USO"); older headers lack it. */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif

/* What we accept from the kernel with TUN_OPT_OFFLOAD: partial
 * checksums, TCP/IPv4 segmentation and, where the kernel has it (Linux
 * 6.2), UDP segmentation; no ECN-CWR super-packets, no TCP/IPv6: the
 * kernel cuts those itself.  The kernel takes UDP segmentation for both
 * families or neither; only IPv4 is ever routed to our TUNs. */
#define TUN_OFFLOADS (TUN_F_CSUM | TUN_F_TSO4)
#define TUN_OFFLOADS_UDP (TUN_OFFLOADS | TUN_F_USO4 | TUN_F_USO6)

struct tun {
	int fd;
	bool vnet;			/* IFF_VNET_HDR: a header per packet */
	bool offload;			/* TUNSETOFFLOAD accepted */
	unsigned ifindex;
	char name[TUN_NAME_MAX];
};

/* Run one SIOC*IF* ioctl on the device; the request carries its name. */
static int
tun_ifreq(const struct tun *t, unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc, saved;

	if (s < 0)
		return -1;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", t->name);
	rc = ioctl(s, req, ifr);
	saved = errno;
	close(s);
	errno = saved;
	return rc < 0 ? -1 : 0;
}

struct tun *
tun_open(const char *name, unsigned opts, char *err, size_t errlen)
{
	struct tun *t = calloc(1, sizeof(*t));
	struct ifreq ifr;

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = -1;
	if (name == NULL || name[0] == '\0' || strlen(name) >= TUN_NAME_MAX) {
		snprintf(err, errlen, "bad TUN device name");
		goto fail;
	}
	t->fd = open(TUN_CLONE_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(err, errlen, "%s: %s", TUN_CLONE_DEV, strerror(errno));
		goto fail;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (opts & TUN_OPT_OFFLOAD)
		ifr.ifr_flags |= IFF_VNET_HDR;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "TUN %s: %s", name, strerror(errno));
		goto fail;
	}
	t->vnet = (opts & TUN_OPT_OFFLOAD) != 0;
	/* Without it the kernel segments and checksums before handing
	 * packets over: slower, never wrong. */
	t->offload = t->vnet &&
		(ioctl(t->fd, TUNSETOFFLOAD, (unsigned long)TUN_OFFLOADS_UDP) == 0 ||
		 ioctl(t->fd, TUNSETOFFLOAD, (unsigned long)TUN_OFFLOADS) == 0);
	snprintf(t->name, sizeof(t->name), "%s", ifr.ifr_name);
	t->ifindex = if_nametoindex(t->name);
	if (t->ifindex == 0) {
		snprintf(err, errlen, "TUN %s: no interface index: %s", t->name,
			 strerror(errno));
		goto fail;
	}
	return t;
fail:
	tun_close(t);
	return NULL;
}

void
tun_close(struct tun *t)
{
	if (t == NULL)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

int
tun_fd(const struct tun *t)
{
	return t->fd;
}

bool
tun_offloads(const struct tun *t)
{
	return t->offload;
}

const char *
tun_name(const struct tun *t)
{
	return t->name;
}

unsigned
tun_ifindex(const struct tun *t)
{
	return t->ifindex;
}

int
tun_set_mtu(struct tun *t, unsigned mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	return tun_ifreq(t, SIOCSIFMTU, &ifr);
}

int
tun_set_up(struct tun *t, bool up)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (tun_ifreq(t, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return tun_ifreq(t, SIOCSIFFLAGS, &ifr);
}

ssize_t
tun_read(struct tun *t, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(t->fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

ssize_t
tun_write(struct tun *t, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = write(t->fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The kernel's header -> ours; -1 for what ours cannot say. */
static int
tun_hdr_in(const struct virtio_net_hdr *h, struct tun_offload *off)
{
	memset(off, 0, sizeof(*off));
	switch (h->gso_type) {
	case VIRTIO_NET_HDR_GSO_NONE:
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_UDP_L4:
		off->gso = h->gso_type == VIRTIO_NET_HDR_GSO_TCPV4
			   ? TUN_GSO_TCPV4 : TUN_GSO_UDPV4;
		off->gso_size = h->gso_size;
		off->hdr_len = h->hdr_len;
		break;
	default:
		return -1;
	}
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		off->csum = true;
		off->csum_start = h->csum_start;
		off->csum_offset = h->csum_offset;
	}
	return 0;
}

static void
tun_hdr_out(const struct tun_offload *off, struct virtio_net_hdr *h)
{
	memset(h, 0, sizeof(*h));
	if (off == NULL)
		return;
	if (off->gso != TUN_GSO_NONE) {
		h->gso_type = off->gso == TUN_GSO_TCPV4
			      ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_UDP_L4;
		h->gso_size = off->gso_size;
		h->hdr_len = off->hdr_len;
	}
	if (off->csum) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = off->csum_start;
		h->csum_offset = off->csum_offset;
	}
}

ssize_t
tun_read_off(struct tun *t, void *buf, size_t len, struct tun_offload *off)
{
	struct virtio_net_hdr h;
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = buf, .iov_len = len },
	};
	ssize_t n;

	memset(off, 0, sizeof(*off));
	if (!t->vnet)
		return tun_read(t, buf, len);
	do
		n = readv(t->fd, iov, 2);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(h) || tun_hdr_in(&h, off) < 0) {
		errno = EPROTO;
		return -1;
	}
	return n - (ssize_t)sizeof(h);
}

ssize_t
tun_write_off(struct tun *t, const void *buf, size_t len,
	      const struct tun_offload *off)
{
	struct virtio_net_hdr h;
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)(uintptr_t)buf, .iov_len = len },
	};
	ssize_t n;

	if (!t->vnet) {
		if (off != NULL && (off->gso != TUN_GSO_NONE || off->csum)) {
			errno = EINVAL;
			return -1;
		}
		return tun_write(t, buf, len);
	}
	tun_hdr_out(off, &h);
	do
		n = writev(t->fd, iov, 2);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : n - (ssize_t)sizeof(h);
}
