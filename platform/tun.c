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
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TUN_CLONE_DEV "/dev/net/tun"

struct tun {
	int fd;
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
tun_open(const char *name, char *err, size_t errlen)
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
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "TUN %s: %s", name, strerror(errno));
		goto fail;
	}
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
