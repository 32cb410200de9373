/*
 * user_io: the user data plane's packets in and out (see
 * ipsec/user_int.h): LAN traffic read from the TUN (TCP super-packets
 * cut, ipsec/offload.h), ESP read and sent in batches on the WAN's raw
 * socket, decrypted traffic written to the TUN (segments of one flow
 * joined, ipsec/gro.h), cleartext we let pass sent as this host's own,
 * and cleartext from the WAN read from the inbound TUN and checked.
 */
#include "ipsec/user_int.h"

#include <errno.h>
#include <string.h>

#include "ipsec/offload.h"
#include "platform/log.h"

/* ---- the TUN side ---- */

/* Hand one packet to the kernel (off: NULL for a plain, whole packet). */
static void
user_write(struct user_state *st, const uint8_t *pkt, size_t len,
	   const struct tun_offload *off)
{
	if (tun_write_off(st->tun, pkt, len, off) != (ssize_t)len) {
		st->ctr[IPSEC_USER_DROP_WRITE]++;
		log_dbg(LOG_DBG_IPSEC, "user: TUN write: %s", strerror(errno));
		return;
	}
	st->ctr[IPSEC_USER_TX]++;
}

/* Send the ESP packets waiting, in one system call. */
static void
user_tx_flush(struct user_state *st)
{
	unsigned errs = 0, sent;

	if (st->ntx == 0)
		return;
	sent = rawip_send(st->esp, st->txp, st->txl, st->ntx, &errs);
	st->ctr[IPSEC_USER_TX] += sent;
	st->ctr[IPSEC_USER_DROP_WRITE] += errs;
	if (errs > 0)
		log_dbg(LOG_DBG_IPSEC, "user: %u ESP packet(s) refused: %s",
			errs, strerror(errno));
	st->ntx = 0;
}

/* The next free transmit slot (sending the full batch first). */
static uint8_t *
user_tx_slot(struct user_state *st)
{
	if (st->ntx == RAWIP_BATCH)
		user_tx_flush(st);
	return st->txs + st->ntx * st->slot;
}

/* Queue the ESP packet just built in the slot user_tx_slot gave. */
static void
user_tx_queue(struct user_state *st, const uint8_t *pkt, size_t len)
{
	st->txp[st->ntx] = pkt;
	st->txl[st->ntx] = len;
	st->ntx++;
}

/* An ESP packet built elsewhere: copied into a slot, or sent alone when
 * it is larger than a slot. */
static void
user_tx_copy(struct user_state *st, const uint8_t *pkt, size_t len)
{
	uint8_t *slot;

	if (len > st->slot) {
		user_tx_flush(st);
		user_tx_queue(st, pkt, len);
		user_tx_flush(st);
		return;
	}
	slot = user_tx_slot(st);
	memcpy(slot, pkt, len);
	user_tx_queue(st, slot, len);
}

/*
 * A kernel that refused a UDP super-packet (EINVAL: no UDP segmentation
 * before Linux 6.2): it gets these datagrams one by one, and UDP is no
 * longer joined.
 */
static void
user_udp_unjoin(struct user_state *st, const uint8_t *pkt, size_t len,
		const struct tun_offload *off)
{
	struct offload_seg t;
	size_t n;

	log_info("user data plane: %s takes no UDP segmentation; UDP is "
		 "written datagram by datagram", tun_name(st->tun));
	gro_set_udp(&st->gro, false);
	if (offload_seg_start(&t, pkt, len, off) < 0)
		return;
	while ((n = offload_seg_next(&t, st->seg, sizeof(st->seg))) > 0)
		user_write(st, st->seg, n, NULL);
}

/*
 * A LAN packet that goes on in the clear (bypass, receive-only, fail-open)
 * leaves as if this host sent it: written back to the TUN it would be
 * judged by reverse-path filtering as arriving there, and a TUN without
 * an IPv4 address fails every such check.  A super-packet is cut first.
 */
static void
user_send_clear(struct user_state *st, const uint8_t *pkt, size_t len,
		const struct tun_offload *off)
{
	const uint8_t *one[1] = { pkt };
	size_t lens[1] = { len };
	unsigned errs = 0;
	struct offload_seg t;

	if (off == NULL || off->gso == TUN_GSO_NONE) {
		st->ctr[rawip_send(st->clear, one, lens, 1, &errs) == 1
			? IPSEC_USER_TX : IPSEC_USER_DROP_WRITE]++;
		return;
	}
	if (offload_seg_start(&t, pkt, len, off) < 0) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		return;
	}
	one[0] = st->seg;
	while ((lens[0] = offload_seg_next(&t, st->seg, sizeof(st->seg))) > 0)
		st->ctr[rawip_send(st->clear, one, lens, 1, &errs) == 1
			? IPSEC_USER_TX : IPSEC_USER_DROP_WRITE]++;
}

/* Write what the coalescer holds. */
static void
user_gro_flush(struct user_state *st)
{
	struct tun_offload off;
	const uint8_t *pkt;
	size_t len = gro_take(&st->gro, &pkt, &off);

	if (len == 0)
		return;
	if (off.gso != TUN_GSO_UDPV4) {
		user_write(st, pkt, len, &off);
		return;
	}
	if (tun_write_off(st->tun, pkt, len, &off) == (ssize_t)len)
		st->ctr[IPSEC_USER_TX]++;
	else if (errno == EINVAL)
		user_udp_unjoin(st, pkt, len, &off);
	else
		st->ctr[IPSEC_USER_DROP_WRITE]++;
}

/* A decrypted packet for a LAN: joined to its flow's super-packet when
 * the TUN takes them (ipsec/gro.h), else written as it is. */
static void
user_deliver(struct user_state *st, const uint8_t *pkt, size_t len)
{
	if (tun_offloads(st->tun)) {
		if (gro_merge(&st->gro, pkt, len)) {
			st->ctr[IPSEC_USER_GRO]++;
		} else {
			user_gro_flush(st);
			if (!gro_hold(&st->gro, pkt, len)) {
				user_write(st, pkt, len, NULL);
				return;
			}
		}
		if (gro_closed(&st->gro))
			user_gro_flush(st);
		return;
	}
	user_write(st, pkt, len, NULL);
}

/* What one wake-up produced: coalesced packets and queued ESP out. */
static void
user_flush_batch(struct user_state *st)
{
	if (st->tun != NULL)
		user_gro_flush(st);
	if (st->esp != NULL)
		user_tx_flush(st);
}

/*
 * A TCP or UDP super-packet from a LAN (TSO, USO, platform/tun.h):
 * classified once for all its segments, then cut into them
 * (ipsec/offload.h), each encapsulated in a transmit slot, or sent clear.
 */
static void
user_super(struct user_state *st, size_t len, const struct tun_offload *off)
{
	const uint8_t *pkt = st->buf + IPSEC_USER_HEADROOM, *out;
	struct spd_key k;
	struct sad_sa *sa;
	struct offload_seg t;
	uint8_t *slot;
	size_t n, outlen;
	bool clear;

	if (user_key(st, pkt, len, &k) < 0)
		return;
	if (offload_seg_start(&t, pkt, len, off) < 0) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		log_dbg(LOG_DBG_IPSEC, "user: bad super-packet (%zu octets)",
			len);
		return;
	}
	sa = user_classify(st, &k, &clear);
	if (sa == NULL) {
		if (clear)
			user_send_clear(st, pkt, len, off);
		return;
	}
	st->ctr[IPSEC_USER_TSO]++;
	for (;;) {
		slot = user_tx_slot(st);
		n = offload_seg_next(&t, slot + IPSEC_USER_HEADROOM,
			     st->slot - IPSEC_USER_HEADROOM -
			     IPSEC_USER_OVERHEAD_MAX);
		if (n == 0)
			break;
		if (user_encap(st, sa, slot, st->slot, n, &out, &outlen) == 0)
			user_tx_queue(st, out, outlen);
	}
}

/* One packet read from the TUN (from a LAN), with what came with it. */
static void
user_from_lan(struct user_state *st, size_t len, const struct tun_offload *off)
{
	uint8_t *pkt = st->buf + IPSEC_USER_HEADROOM;
	const uint8_t *out;
	size_t outlen;
	struct spd_key k;

	if (off->gso != TUN_GSO_NONE) {
		user_super(st, len, off);
		return;
	}
	/* a partial checksum is completed first: whatever we do with the
	 * packet from here on (encrypt, clamp, send) needs it whole */
	if (offload_csum(pkt, len, off) < 0) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		return;
	}
	if (user_key(st, pkt, len, &k) < 0)
		return;
	switch (user_outbound(st, st->buf, sizeof(st->buf), len, &k, &out,
			      &outlen)) {
	case USER_CLEAR:
		user_send_clear(st, out, outlen, NULL);
		break;
	case USER_ESP:
		user_tx_copy(st, out, outlen);
		break;
	default:
		break;
	}
}

/* The TUN is readable: a batch of LAN packets. */
void
user_on_tun(int fd, void *arg)
{
	struct user_state *st = arg;
	struct tun_offload off;

	(void)fd;
	for (int i = 0; i < USER_BATCH && st->tun != NULL; i++) {
		ssize_t n = tun_read_off(st->tun, st->buf + IPSEC_USER_HEADROOM,
					 TUN_PACKET_MAX, &off);

		if (n < 0 && errno == EPROTO) {
			/* an offload we did not ask for: consumed, dropped */
			st->ctr[IPSEC_USER_DROP_MALFORMED]++;
			continue;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_dbg(LOG_DBG_IPSEC, "user: TUN read: %s",
					strerror(errno));
			break;
		}
		st->ctr[IPSEC_USER_RX]++;
		user_from_lan(st, (size_t)n, &off);
	}
	user_flush_batch(st);
}

/* The inbound TUN is readable: cleartext from the WAN, checked, and
 * sent on as this host's own traffic (see user_send_clear). */
void
user_on_wan_clear(int fd, void *arg)
{
	struct user_state *st = arg;
	uint8_t *pkt = st->buf + IPSEC_USER_HEADROOM;
	struct tun_offload off;
	struct spd_key k;

	(void)fd;
	for (int i = 0; i < USER_BATCH && st->tun_in != NULL; i++) {
		ssize_t n = tun_read_off(st->tun_in, pkt, TUN_PACKET_MAX, &off);

		if (n < 0 && errno == EPROTO) {
			st->ctr[IPSEC_USER_DROP_MALFORMED]++;
			continue;
		}
		if (n < 0)
			break;
		st->ctr[IPSEC_USER_RX]++;
		if (user_key(st, pkt, (size_t)n, &k) < 0)
			continue;
		if (!user_clear_in_ok(st, &k)) {
			st->ctr[IPSEC_USER_DROP_CLEAR_IN]++;
			log_dbg(LOG_DBG_IPSEC, "user: clear packet from the WAN "
				"that the policy protects (protocol %u)",
				k.proto);
			continue;
		}
		st->ctr[IPSEC_USER_CLEAR_IN]++;
		if (off.gso == TUN_GSO_NONE) {
			if (offload_csum(pkt, (size_t)n, &off) < 0) {
				st->ctr[IPSEC_USER_DROP_MALFORMED]++;
				continue;
			}
			user_send_clear(st, pkt, (size_t)n, NULL);
		} else {
			user_send_clear(st, pkt, (size_t)n, &off);
		}
	}
}

/* One ESP packet from the WAN at slot + IPSEC_USER_HEADROOM. */
static void
user_from_wan(struct user_state *st, uint8_t *slot, size_t len)
{
	uint8_t *pkt = slot + IPSEC_USER_HEADROOM;
	size_t outlen;

	/* The socket takes only ESP, and the kernel checked the IPv4
	 * header; esp_decap checks the rest.  0: cut (longer than a slot). */
	if (len < USER_IPV4_MIN_HDR || pkt[9] != USER_IPPROTO_ESP) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		return;
	}
	if (user_inbound(st, pkt, st->slot - IPSEC_USER_HEADROOM, len,
			 &outlen) == USER_DELIVER)
		user_deliver(st, pkt, outlen);
}

/* The ESP socket is readable: batches of ESP packets from the WAN. */
void
user_on_esp(int fd, void *arg)
{
	struct user_state *st = arg;
	uint8_t *bufs[RAWIP_BATCH];
	size_t lens[RAWIP_BATCH];
	int n;

	(void)fd;
	for (unsigned i = 0; i < RAWIP_BATCH; i++)
		bufs[i] = st->rxs + i * st->slot + IPSEC_USER_HEADROOM;
	for (int round = 0; round < USER_BATCH / RAWIP_BATCH + 1 &&
	     st->esp != NULL; round++) {
		n = rawip_recv(st->esp, bufs, st->slot - IPSEC_USER_HEADROOM -
			       IPSEC_USER_OVERHEAD_MAX, lens, RAWIP_BATCH);
		if (n < 0)
			log_dbg(LOG_DBG_IPSEC, "user: ESP receive: %s",
				strerror(errno));
		if (n <= 0)
			break;
		st->ctr[IPSEC_USER_RX] += (unsigned)n;
		for (int i = 0; i < n; i++)
			user_from_wan(st, st->rxs + (size_t)i * st->slot,
				      lens[i]);
		if (n < RAWIP_BATCH)
			break;
	}
	user_flush_batch(st);
}
