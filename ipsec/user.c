/*
 * user: the userspace data plane, ESP over TUN with policy routing (see
 * ipsec/user.h and DESIGN.md §6).  Owns the backend state (SPD, SAD,
 * TUN, rtnetlink socket, counters, pseudotime anchors), the backend
 * operations, the per-packet path and the installation and removal of
 * the policy-routing rules.
 *
 * Implements RFC 4301 §5.1 (outbound: SPD first match, then PROTECT /
 * BYPASS / DISCARD) and §5.2 (inbound: SA by SPI, then the inner packet
 * checked against the SA's selectors, PROTOCOL.md §7.2) for GET VPN
 * group SAs in tunnel mode with address preservation; RFC 4303 itself
 * is ipsec/esp.c.  Fail-close (PROTOCOL.md §8.5) and receive-only SAs
 * decide what happens to protected traffic without an outbound SA.
 */
#include "ipsec/user.h"

#include "ipsec/mss.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/gro.h"
#include "ipsec/offload.h"
#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/rawip.h"
#include "platform/rtnl.h"
#include "platform/tun.h"

/* IANA protocol number of ESP (RFC 4303). */
#define USER_IPPROTO_ESP 50
/* IPPROTO_RAW: a send-only raw socket for any protocol (raw(7)). */
#define USER_IPPROTO_RAW 255
/* RFC 4303 §2: SPI (4) | Sequence Number (4). */
#define USER_ESP_HDR_LEN 8
#define USER_IPV4_MIN_HDR 20
/* Packets handled per wake-up before other fds get their turn. */
#define USER_BATCH 64
/* Groups with a pseudotime anchor. */
#define USER_MAX_GROUPS 16
/* rp_filter 2 (loose): the TUN hands the kernel packets whose source is
 * reached through the LAN or the WAN, never through the TUN itself. */
#define USER_RP_FILTER_LOOSE 2
/* Smallest MTU we give the LAN route (RFC 791: every host takes 576). */
#define USER_MIN_INNER_MTU 576

/* What the path decided for one packet. */
enum user_verdict {
	USER_DROP = -1,		/* dropped (and counted) */
	USER_CLEAR,		/* cleartext, back to the kernel as it is */
	USER_ESP,		/* encapsulated, for the WAN */
	USER_DELIVER,		/* decrypted, for a LAN */
};

struct user_pt {
	uint32_t group_id;
	uint64_t pt_ms;			/* group pseudotime ... */
	uint64_t at_ms;			/* ... at this loop time */
};

struct user_state {
	uint16_t mss;			/* ip tcp adjust-mss; 0 = off */
	struct evloop *loop;
	struct spd *spd;
	struct sad *sad;
	bool fail_close;
	struct user_pt pt[USER_MAX_GROUPS];
	size_t npt;
	/* attachment */
	struct tun *tun;		/* LAN traffic */
	struct tun *tun_in;		/* cleartext from the WAN */
	struct rtnl *nl;
	struct ev_io *io, *io_in;
	struct rawip *esp;		/* ESP from and to the WAN */
	struct rawip *clear;		/* cleartext we let pass */
	struct ev_io *esp_io;
	size_t slot;			/* octets per packet slot */
	unsigned wan_mtu, lan_mtu;	/* the WAN's; the LAN route's */
	uint8_t *rxs, *txs;		/* RAWIP_BATCH slots each */
	const uint8_t *txp[RAWIP_BATCH];	/* ESP packets waiting */
	size_t txl[RAWIP_BATCH];
	unsigned ntx;
	char tun_name[TUN_NAME_MAX];
	char err[160];
	/* counters */
	uint64_t ctr[IPSEC_USER_CTR_COUNT];
	uint64_t esp_drop[ESP_DROP_COUNT];
	uint8_t buf[IPSEC_USER_BUF_LEN];	/* the packet read */
	uint8_t seg[IPSEC_USER_BUF_LEN];	/* one datagram, see gro_flush */
	struct gro gro;				/* decrypted, coalescing */
};

static const char *const user_ctr_names[IPSEC_USER_CTR_COUNT] = {
	[IPSEC_USER_RX] = "rx",
	[IPSEC_USER_TX] = "tx",
	[IPSEC_USER_TSO] = "tso-cut",
	[IPSEC_USER_GRO] = "gro-joined",
	[IPSEC_USER_ENCAP] = "encap",
	[IPSEC_USER_DECAP] = "decap",
	[IPSEC_USER_BYPASS] = "bypass",
	[IPSEC_USER_GDOI_BYPASS] = "gdoi-bypass",
	[IPSEC_USER_RECV_ONLY] = "receive-only",
	[IPSEC_USER_CLEAR_IN] = "clear-inbound",
	[IPSEC_USER_DROP_POLICY] = "drop-policy",
	[IPSEC_USER_DROP_NO_SA] = "drop-no-sa",
	[IPSEC_USER_DROP_ENCAP] = "drop-encap",
	[IPSEC_USER_DROP_UNKNOWN_SPI] = "drop-unknown-spi",
	[IPSEC_USER_DROP_DECAP] = "drop-decap",
	[IPSEC_USER_DROP_SELECTOR] = "drop-selector",
	[IPSEC_USER_DROP_CLEAR_IN] = "drop-clear-inbound",
	[IPSEC_USER_DROP_MALFORMED] = "drop-malformed",
	[IPSEC_USER_DROP_WRITE] = "drop-write",
};

const char *
ipsec_user_ctr_name(enum ipsec_user_ctr c)
{
	if ((unsigned)c >= IPSEC_USER_CTR_COUNT)
		return "?";
	return user_ctr_names[c];
}

/* The backend state of ctx, or NULL if ctx runs another backend. */
static struct user_state *
user_of(const struct ipsec_ctx *ctx)
{
	if (ctx == NULL || ctx->be != &ipsec_user_backend)
		return NULL;
	return ctx->priv;
}

static void
user_err(struct user_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
user_err(struct user_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
}

/* ---- pseudotime (PROTOCOL.md §8.3) ---- */

static uint64_t
user_now(const struct user_state *st)
{
	return st->loop != NULL ? ev_now(st->loop) : 0;
}

/* PTr(now) = PT_rx + (now - at_rx); the loop clock without an anchor. */
static uint64_t
user_pseudotime(const struct user_state *st, uint32_t group_id)
{
	uint64_t now = user_now(st);

	for (size_t i = 0; i < st->npt; i++)
		if (st->pt[i].group_id == group_id)
			return st->pt[i].pt_ms + (now - st->pt[i].at_ms);
	return now;
}

void
ipsec_user_set_mss(struct ipsec_ctx *ctx, uint16_t mss)
{
	struct user_state *st = user_of(ctx);

	if (st != NULL)
		st->mss = mss;
}

void
ipsec_user_set_pseudotime(struct ipsec_ctx *ctx, uint32_t group_id,
			  uint64_t pt_ms)
{
	struct user_state *st = user_of(ctx);
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->npt; i++)
		if (st->pt[i].group_id == group_id)
			break;
	if (i == st->npt) {
		if (st->npt == USER_MAX_GROUPS)
			return;
		st->npt++;
	}
	st->pt[i].group_id = group_id;
	st->pt[i].pt_ms = pt_ms;
	st->pt[i].at_ms = user_now(st);
}

/* ---- the packet path ---- */

/*
 * What a LAN packet with key k gets (RFC 4301 §5.1, PROTOCOL.md §8.5):
 * the outbound SA to protect it with; or NULL with *clear true (send it
 * as it is) or false (dropped).  Counted, except protection itself.
 */
static struct sad_sa *
user_classify(struct user_state *st, const struct spd_key *k, bool *clear)
{
	const struct ipsec_policy *p = spd_lookup(st->spd, k);
	struct sad_sa *sa;

	*clear = true;
	if (p == NULL) {
		/* The ACL only says what to encrypt: the rest goes clear. */
		st->ctr[IPSEC_USER_BYPASS]++;
		return NULL;
	}
	switch (p->action) {
	case IPSEC_ACT_PROTECT:
		sa = sad_find(st->sad, p->spi, IPSEC_DIR_OUT);
		if (sa != NULL)
			return sa;
		/* A receive-only group SA means "do not encrypt"; no SA at
		 * all means we must not leak (fail-close). */
		if (sad_find(st->sad, p->spi, IPSEC_DIR_IN) != NULL)
			st->ctr[IPSEC_USER_RECV_ONLY]++;
		else if (!st->fail_close)
			st->ctr[IPSEC_USER_BYPASS]++;
		else {
			st->ctr[IPSEC_USER_DROP_NO_SA]++;
			*clear = false;
		}
		return NULL;
	case IPSEC_ACT_BYPASS:
		st->ctr[spd_is_gdoi_bypass(k) ? IPSEC_USER_GDOI_BYPASS
					      : IPSEC_USER_BYPASS]++;
		return NULL;
	case IPSEC_ACT_DROP:
	default:
		st->ctr[IPSEC_USER_DROP_POLICY]++;
		*clear = false;
		return NULL;
	}
}

/* Encapsulate the packet at buf + IPSEC_USER_HEADROOM in place (see
 * IPSEC_USER_HEADROOM); 0 with the ESP packet in *out / *outlen. */
static int
user_encap(struct user_state *st, struct sad_sa *sa, uint8_t *buf,
	   size_t cap, size_t len, const uint8_t **out, size_t *outlen)
{
	uint8_t *pkt = buf + IPSEC_USER_HEADROOM;
	uint8_t *o = pkt - esp_headroom(sa->esp);
	int rc;

	rc = esp_encap(sa->esp, pkt, len, user_pseudotime(st, sa->group_id),
		       o, cap - (size_t)(o - buf), outlen);
	if (rc != 0) {
		sad_encap_error(sa, rc);
		st->ctr[IPSEC_USER_DROP_ENCAP]++;
		log_dbg(LOG_DBG_IPSEC, "user: SA %08x: encapsulation failed (%d)",
			ntohl(sa->spi), rc);
		return -1;
	}
	sa->packets++;
	sa->bytes += len;
	st->ctr[IPSEC_USER_ENCAP]++;
	*out = o;
	return 0;
}

/* RFC 4301 §5.1: a cleartext packet from a LAN. */
static enum user_verdict
user_outbound(struct user_state *st, uint8_t *buf, size_t cap, size_t len,
	      const struct spd_key *k, const uint8_t **out, size_t *outlen)
{
	bool clear;
	struct sad_sa *sa = user_classify(st, k, &clear);

	*out = buf + IPSEC_USER_HEADROOM;
	*outlen = len;
	if (sa == NULL)
		return clear ? USER_CLEAR : USER_DROP;
	mss_clamp(buf + IPSEC_USER_HEADROOM, len, st->mss);
	return user_encap(st, sa, buf, cap, len, out, outlen) < 0 ? USER_DROP
								   : USER_ESP;
}

/* RFC 4301 §5.2: an ESP packet from the WAN, decapsulated in place. */
static enum user_verdict
user_inbound(struct user_state *st, uint8_t *pkt, size_t room, size_t len,
	     size_t *outlen)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	enum esp_drop why = ESP_OK;
	struct spd_key k;
	struct sad_sa *sa;
	uint32_t spi;

	if (len < ihl + USER_ESP_HDR_LEN) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		log_dbg(LOG_DBG_IPSEC, "user: ESP packet of %zu octets", len);
		return USER_DROP;
	}
	memcpy(&spi, pkt + ihl, sizeof(spi));
	sa = sad_find(st->sad, spi, IPSEC_DIR_IN);
	if (sa == NULL) {
		st->ctr[IPSEC_USER_DROP_UNKNOWN_SPI]++;
		log_dbg(LOG_DBG_IPSEC, "user: ESP with unknown SPI %08x",
			ntohl(spi));
		return USER_DROP;
	}
	if (esp_decap(sa->esp, pkt, len, user_pseudotime(st, sa->group_id),
		      sa->has_replay ? &sa->replay : NULL, pkt, room, outlen,
		      &why) < 0) {
		sad_drop(sa, why);
		if ((unsigned)why < ESP_DROP_COUNT)
			st->esp_drop[why]++;
		st->ctr[IPSEC_USER_DROP_DECAP]++;
		log_dbg(LOG_DBG_IPSEC, "user: SA %08x: dropped (%s)",
			ntohl(spi), esp_drop_name(why));
		return USER_DROP;
	}
	if (spd_key_of(pkt, *outlen, &k) < 0 ||
	    !spd_inbound_ok(st->spd, sa->group_id, &k)) {
		sad_drop(sa, ESP_DROP_POLICY);
		st->ctr[IPSEC_USER_DROP_SELECTOR]++;
		return USER_DROP;
	}
	mss_clamp(pkt, *outlen, st->mss);
	sa->packets++;
	sa->bytes += *outlen;
	st->ctr[IPSEC_USER_DECAP]++;
	return USER_DELIVER;
}

/* The key of the packet at pkt, or -1 (counted) when it is not IPv4. */
static int
user_key(struct user_state *st, const uint8_t *pkt, size_t len,
	 struct spd_key *k)
{
	if (spd_key_of(pkt, len, k) == 0)
		return 0;
	st->ctr[IPSEC_USER_DROP_MALFORMED]++;
	log_dbg(LOG_DBG_IPSEC, "user: not an IPv4 packet (%zu octets)", len);
	return -1;
}

/* One packet at buf + IPSEC_USER_HEADROOM: which direction, then the path. */
static enum user_verdict
user_process(struct user_state *st, uint8_t *buf, size_t cap, size_t len,
	     const uint8_t **out, size_t *outlen)
{
	uint8_t *pkt = buf + IPSEC_USER_HEADROOM;
	struct spd_key k;

	if (user_key(st, pkt, len, &k) < 0)
		return USER_DROP;
	/* Only the WAN rule steers ESP here (a LAN's ESP is taken as ours to
	 * open, see user.h): protocol alone tells the two directions apart. */
	if (k.proto == USER_IPPROTO_ESP) {
		*out = pkt;
		return user_inbound(st, pkt, cap - IPSEC_USER_HEADROOM, len,
				    outlen);
	}
	return user_outbound(st, buf, cap, len, &k, out, outlen);
}

int
ipsec_user_process(struct ipsec_ctx *ctx, uint8_t *buf, size_t cap,
		   size_t len, const uint8_t **out, size_t *outlen)
{
	struct user_state *st = user_of(ctx);

	if (st == NULL || cap < IPSEC_USER_HEADROOM ||
	    len > cap - IPSEC_USER_HEADROOM)
		return -1;
	return user_process(st, buf, cap, len, out, outlen) == USER_DROP ? -1
									 : 0;
}

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
	struct tso t;
	size_t n;

	log_info("user data plane: %s takes no UDP segmentation; UDP is "
		 "written datagram by datagram", tun_name(st->tun));
	gro_set_udp(&st->gro, false);
	if (tso_start(&t, pkt, len, off) < 0)
		return;
	while ((n = tso_next(&t, st->seg, sizeof(st->seg))) > 0)
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
	struct tso t;

	if (off == NULL || off->gso == TUN_GSO_NONE) {
		st->ctr[rawip_send(st->clear, one, lens, 1, &errs) == 1
			? IPSEC_USER_TX : IPSEC_USER_DROP_WRITE]++;
		return;
	}
	if (tso_start(&t, pkt, len, off) < 0) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		return;
	}
	one[0] = st->seg;
	while ((lens[0] = tso_next(&t, st->seg, sizeof(st->seg))) > 0)
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
 * A TCP super-packet from a LAN (TSO, platform/tun.h): classified once
 * for all its segments; sent as it is when it goes clear, else cut into
 * its segments (ipsec/offload.h), each encapsulated in a transmit slot.
 */
static void
user_super(struct user_state *st, size_t len, const struct tun_offload *off)
{
	const uint8_t *pkt = st->buf + IPSEC_USER_HEADROOM, *out;
	struct spd_key k;
	struct sad_sa *sa;
	struct tso t;
	uint8_t *slot;
	size_t n, outlen;
	bool clear;

	if (user_key(st, pkt, len, &k) < 0)
		return;
	if (tso_start(&t, pkt, len, off) < 0) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		log_dbg(LOG_DBG_IPSEC, "user: bad TCP super-packet (%zu octets)",
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
		n = tso_next(&t, slot + IPSEC_USER_HEADROOM,
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

	if (off->gso == TUN_GSO_TCPV4) {
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
static void
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

/*
 * RFC 4301 §5.2 for a packet that arrived from the WAN in the clear (the
 * IN/FWD policies of doc/dataplane-xfrm.md): what the group protects must
 * arrive encrypted, unless its policy accepts both (clear_in_ok: a
 * receive-only SA or a passive member) or the member holds no SA for it
 * and is fail-open; a fail-close drop covers both directions.
 */
static bool
user_clear_in_ok(const struct user_state *st, const struct spd_key *k)
{
	const struct ipsec_policy *p = spd_lookup_inbound(st->spd, k);

	if (p == NULL || p->action == IPSEC_ACT_BYPASS)
		return true;
	if (p->action != IPSEC_ACT_PROTECT)
		return false;
	if (p->clear_in_ok)
		return true;
	if (sad_find(st->sad, p->spi, IPSEC_DIR_OUT) != NULL ||
	    sad_find(st->sad, p->spi, IPSEC_DIR_IN) != NULL)
		return false;
	return !st->fail_close;
}

/* The inbound TUN is readable: cleartext from the WAN, checked, and
 * sent on as this host's own traffic (see user_send_clear). */
static void
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
	struct spd_key k;
	size_t outlen;

	if (len == 0 || user_key(st, pkt, len, &k) < 0 ||
	    k.proto != USER_IPPROTO_ESP) {
		if (len == 0)
			st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		return;
	}
	if (user_inbound(st, pkt, st->slot - IPSEC_USER_HEADROOM, len,
			 &outlen) == USER_DELIVER)
		user_deliver(st, pkt, outlen);
}

/* The ESP socket is readable: batches of ESP packets from the WAN. */
static void
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

/* ---- policy routing ---- */

/* Remove every rule and route carrying our marker (ours, or a dead run's). */
static void
user_routing_flush(struct rtnl *nl)
{
	int n = rtnl_rule_flush(nl, IPSEC_USER_PRIO_FIRST, IPSEC_USER_PRIO_LAST,
				IPSEC_USER_RTPROT);

	if (n > 0)
		log_dbg(LOG_DBG_IPSEC, "user: removed %d policy rule(s)", n);
	rtnl_route_flush(nl, IPSEC_USER_TABLE_LAN, IPSEC_USER_RTPROT);
	rtnl_route_flush(nl, IPSEC_USER_TABLE_ESP, IPSEC_USER_RTPROT);
	rtnl_route_flush(nl, IPSEC_USER_TABLE_WAN, IPSEC_USER_RTPROT);
}

/* The TUN device: the WAN's MTU (above any LAN route MTU we set, so the
 * route decides), loose rp_filter, no IPv6 chatter, up. */
static int
user_tun_setup(struct user_state *st, const char *name, unsigned wan_mtu,
	       struct tun **out)
{
	struct tun *t = tun_open(name, TUN_OPT_OFFLOAD, st->err,
				 sizeof(st->err));
	unsigned idx;

	*out = t;
	if (t == NULL)
		return -1;
	idx = tun_ifindex(t);
	rtnl_link_no_ipv6_ll(st->nl, idx);
	if (rtnl_link_set_mtu(st->nl, idx, wan_mtu) < 0 ||
	    rtnl_link_set_rp_filter(st->nl, idx, USER_RP_FILTER_LOOSE) < 0 ||
	    rtnl_link_set_up(st->nl, idx) < 0) {
		user_err(st, "%s: %s", tun_name(t), strerror(errno));
		return -1;
	}
	return 0;
}
/*
 * The MTU of the route that steers LAN traffic into the TUN: the largest
 * inner packet every outbound SA can carry in one WAN-sized ESP packet
 * (so the kernel, not us, answers too-big DF packets, RFC 1191), or,
 * without outbound SAs, what the costliest transform leaves.
 */
static unsigned
user_inner_mtu(const struct user_state *st)
{
	unsigned mtu = st->wan_mtu > USER_MIN_INNER_MTU + IPSEC_USER_OVERHEAD_MAX
		? st->wan_mtu - IPSEC_USER_OVERHEAD_MAX : USER_MIN_INNER_MTU;
	unsigned best = 0;
	bool any = false;

	for (size_t i = 0; i < sad_count(st->sad); i++) {
		const struct sad_sa *sa = sad_at(st->sad, i);
		unsigned fit = st->wan_mtu;

		if (sa->dir != IPSEC_DIR_OUT)
			continue;
		while (fit > mtu && esp_encap_len(sa->esp, fit) > st->wan_mtu)
			fit--;
		best = any && best < fit ? best : fit;
		any = true;
	}
	return any && best > mtu ? best : mtu;
}

/* The LAN route with the MTU user_inner_mtu gives now (kept when equal). */
static int
user_lan_route(struct user_state *st)
{
	struct rtnl_route r = {
		.protocol = IPSEC_USER_RTPROT,
		.table = IPSEC_USER_TABLE_LAN,
	};
	unsigned mtu = user_inner_mtu(st);

	if (st->tun == NULL || st->nl == NULL || mtu == st->lan_mtu)
		return 0;
	r.oif = tun_ifindex(st->tun);
	r.mtu = mtu;
	if (rtnl_route_add(st->nl, &r) < 0) {
		user_err(st, "route table %u: %s", r.table, strerror(errno));
		return -1;
	}
	log_dbg(LOG_DBG_IPSEC, "user: LAN route MTU %u", mtu);
	st->lan_mtu = mtu;
	return 0;
}

/*
 * Tables: ESP from the WAN is delivered to this host ("local" route), where
 * our raw ESP socket takes it; LAN traffic goes to the TUN with a route
 * MTU leaving room for the ESP overhead, so too-big DF packets are answered
 * by the kernel with ICMP "fragmentation needed" (RFC 1191) before we see
 * them.
 */
static int
user_routes(struct user_state *st)
{
	struct rtnl_route r = {
		.protocol = IPSEC_USER_RTPROT,
		.table = IPSEC_USER_TABLE_ESP,
		.local = true,
	};

	if (rtnl_link_get(st->nl, "lo", &r.oif, NULL) < 0 ||
	    rtnl_route_add(st->nl, &r) < 0) {
		user_err(st, "route table %u: %s", r.table, strerror(errno));
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.protocol = IPSEC_USER_RTPROT;
	r.table = IPSEC_USER_TABLE_WAN;
	r.oif = tun_ifindex(st->tun_in);
	if (rtnl_route_add(st->nl, &r) < 0) {
		user_err(st, "route table %u: %s", r.table, strerror(errno));
		return -1;
	}
	st->lan_mtu = 0;
	return user_lan_route(st);
}

/* The raw ESP socket on the WAN and its packet slots: each holds one
 * packet of the WAN's MTU with room to decapsulate or encapsulate it in
 * place. */
static int
user_esp_setup(struct user_state *st, const char *wan, unsigned wan_mtu)
{
	st->slot = (IPSEC_USER_HEADROOM + wan_mtu + IPSEC_USER_OVERHEAD_MAX +
		    63) & ~(size_t)63;
	st->rxs = malloc(RAWIP_BATCH * st->slot);
	st->txs = malloc(RAWIP_BATCH * st->slot);
	st->ntx = 0;
	if (st->rxs == NULL || st->txs == NULL) {
		user_err(st, "out of memory");
		return -1;
	}
	st->esp = rawip_open(USER_IPPROTO_ESP, wan, st->err, sizeof(st->err));
	if (st->esp == NULL)
		return -1;
	st->clear = rawip_open(USER_IPPROTO_RAW, NULL, st->err,
			       sizeof(st->err));
	if (st->clear == NULL)
		return -1;
	if (ev_read(st->loop, rawip_fd(st->esp), user_on_esp, st,
		    &st->esp_io) < 0) {
		user_err(st, "cannot watch the ESP socket");
		return -1;
	}
	return 0;
}

static int
user_rule(struct user_state *st, uint32_t prio, const char *iif,
	  uint8_t ipproto, uint32_t table)
{
	struct rtnl_rule r = {
		.priority = prio,
		.table = table,
		.protocol = IPSEC_USER_RTPROT,
		.ipproto = ipproto,
	};

	snprintf(r.iif, sizeof(r.iif), "%s", iif);
	if (rtnl_rule_add(st->nl, &r) < 0) {
		user_err(st, "rule iif %s: %s", iif, strerror(errno));
		return -1;
	}
	return 0;
}

/* Every named interface must exist; returns the WAN MTU in *wan_mtu. */
static int
user_check_links(struct user_state *st, const char *wan,
		 const char *const *lans, size_t nlan, unsigned *wan_mtu)
{
	if (rtnl_link_get(st->nl, wan, NULL, wan_mtu) < 0) {
		user_err(st, "WAN interface %s: %s", wan, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < nlan; i++) {
		if (lans[i] == NULL || strcmp(lans[i], wan) == 0 ||
		    rtnl_link_get(st->nl, lans[i], NULL, NULL) < 0) {
			user_err(st, "LAN interface %s: %s",
				 lans[i] ? lans[i] : "(null)",
				 lans[i] && strcmp(lans[i], wan) == 0
				 ? "is the WAN" : strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int
user_attach(struct user_state *st, const char *wan, const char *const *lans,
	    size_t nlan)
{
	unsigned wan_mtu = 0;

	st->nl = rtnl_open(st->err, sizeof(st->err));
	if (st->nl == NULL)
		return -1;
	user_routing_flush(st->nl);
	gro_init(&st->gro);
	gro_set_udp(&st->gro, true);
	char in_name[TUN_NAME_MAX];

	if (snprintf(in_name, sizeof(in_name), "%si", st->tun_name) >=
	    (int)sizeof(in_name)) {
		user_err(st, "TUN name %s too long", st->tun_name);
		return -1;
	}
	if (user_check_links(st, wan, lans, nlan, &wan_mtu) < 0 ||
	    user_tun_setup(st, st->tun_name, wan_mtu, &st->tun) < 0 ||
	    user_tun_setup(st, in_name, wan_mtu, &st->tun_in) < 0)
		return -1;
	st->wan_mtu = wan_mtu;
	if (user_routes(st) < 0)
		return -1;
	if (user_rule(st, IPSEC_USER_PRIO_FIRST, wan, USER_IPPROTO_ESP,
		      IPSEC_USER_TABLE_ESP) < 0 ||
	    user_rule(st, IPSEC_USER_PRIO_WAN, wan, 0,
		      IPSEC_USER_TABLE_WAN) < 0)
		return -1;
	for (size_t i = 0; i < nlan; i++)
		if (user_rule(st, IPSEC_USER_PRIO_FIRST + 1 + (uint32_t)i,
			      lans[i], 0, IPSEC_USER_TABLE_LAN) < 0)
			return -1;
	if (st->loop == NULL ||
	    ev_read(st->loop, tun_fd(st->tun), user_on_tun, st, &st->io) < 0 ||
	    ev_read(st->loop, tun_fd(st->tun_in), user_on_wan_clear, st,
		    &st->io_in) < 0) {
		user_err(st, "cannot watch %s", tun_name(st->tun));
		return -1;
	}
	return user_esp_setup(st, wan, wan_mtu);
}

int
ipsec_user_attach(struct ipsec_ctx *ctx, const char *wan_if,
		  const char *const *lan_ifs, size_t nlan)
{
	struct user_state *st = user_of(ctx);

	if (st == NULL)
		return -1;
	ipsec_user_detach(ctx);
	st->err[0] = '\0';
	if (wan_if == NULL || nlan > IPSEC_USER_MAX_LAN ||
	    (nlan > 0 && lan_ifs == NULL)) {
		user_err(st, "bad interface list");
		return -1;
	}
	if (user_attach(st, wan_if, lan_ifs, nlan) < 0) {
		log_warnx("user data plane: %s", st->err);
		ipsec_user_detach(ctx);
		return -1;
	}
	log_info("user data plane: %s steers %zu LAN interface(s) and ESP "
		 "from %s", tun_name(st->tun), nlan, wan_if);
	return 0;
}

void
ipsec_user_detach(struct ipsec_ctx *ctx)
{
	struct user_state *st = user_of(ctx);

	if (st == NULL)
		return;
	ev_io_cancel(&st->io);
	ev_io_cancel(&st->esp_io);
	rawip_close(st->esp);
	st->esp = NULL;
	rawip_close(st->clear);
	st->clear = NULL;
	/* the slots may hold decrypted traffic */
	if (st->rxs != NULL)
		OPENSSL_cleanse(st->rxs, RAWIP_BATCH * st->slot);
	if (st->txs != NULL)
		OPENSSL_cleanse(st->txs, RAWIP_BATCH * st->slot);
	free(st->rxs);
	free(st->txs);
	st->rxs = st->txs = NULL;
	st->ntx = 0;
	if (st->nl != NULL)
		user_routing_flush(st->nl);
	/* Closing a TUN removes the device and any route through it. */
	ev_io_cancel(&st->io_in);
	tun_close(st->tun);
	st->tun = NULL;
	tun_close(st->tun_in);
	st->tun_in = NULL;
	rtnl_close(st->nl);
	st->nl = NULL;
}

const char *
ipsec_user_error(const struct ipsec_ctx *ctx)
{
	const struct user_state *st = user_of(ctx);

	return st != NULL ? st->err : "not a user backend";
}

int
ipsec_user_set_tun_name(struct ipsec_ctx *ctx, const char *name)
{
	struct user_state *st = user_of(ctx);

	if (st == NULL || name == NULL || name[0] == '\0' ||
	    strlen(name) + 1 >= sizeof(st->tun_name))
		return -1;
	snprintf(st->tun_name, sizeof(st->tun_name), "%s", name);
	return 0;
}

void
ipsec_user_set_fail_close(struct ipsec_ctx *ctx, bool on)
{
	struct user_state *st = user_of(ctx);

	if (st != NULL)
		st->fail_close = on;
}

int
ipsec_user_stats(const struct ipsec_ctx *ctx, struct ipsec_user_stats *out)
{
	const struct user_state *st = user_of(ctx);

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return -1;
	memcpy(out->ctr, st->ctr, sizeof(out->ctr));
	memcpy(out->esp_drop, st->esp_drop, sizeof(out->esp_drop));
	out->nsa = sad_count(st->sad);
	out->npolicy = spd_count(st->spd);
	out->attached = st->tun != NULL;
	if (st->tun != NULL)
		snprintf(out->tun, sizeof(out->tun), "%s", tun_name(st->tun));
	return 0;
}

/* ---- backend operations ---- */

/* The outbound SAs changed: the LAN route's MTU follows (a failure
 * keeps the older value and is logged). */
static void
user_mtu_follow(struct user_state *st)
{
	if (user_lan_route(st) < 0)
		log_warnx("user data plane: %s", st->err);
}

/* Start-up: remove what a run that died left behind (best effort; a
 * process without CAP_NET_ADMIN simply has nothing to remove). */
static void
user_cleanup_stale(void)
{
	char err[128];
	struct rtnl *nl = rtnl_open(err, sizeof(err));

	if (nl == NULL)
		return;
	user_routing_flush(nl);
	rtnl_close(nl);
}

static int
user_init(struct ipsec_ctx *ctx, struct evloop *loop, char *err,
	  size_t errlen)
{
	struct user_state *st = calloc(1, sizeof(*st));

	if (st == NULL || (st->spd = spd_new()) == NULL ||
	    (st->sad = sad_new()) == NULL) {
		snprintf(err, errlen, "user backend: out of memory");
		if (st != NULL)
			spd_free(st->spd);
		free(st);
		return -1;
	}
	st->loop = loop;
	/* PROTOCOL.md §8.5 [D]: fail-close by default. */
	st->fail_close = true;
	snprintf(st->tun_name, sizeof(st->tun_name), "%s",
		 IPSEC_USER_TUN_DEFAULT);
	ctx->priv = st;
	user_cleanup_stale();
	return 0;
}

static void
user_fini(struct ipsec_ctx *ctx)
{
	struct user_state *st = ctx->priv;

	if (st == NULL)
		return;
	ipsec_user_detach(ctx);
	sad_free(st->sad);
	spd_free(st->spd);
	/* The packet buffer may hold decrypted traffic. */
	OPENSSL_cleanse(st, sizeof(*st));
	free(st);
	ctx->priv = NULL;
}

static int
user_sa_add(struct ipsec_ctx *ctx, const struct ipsec_sa *sa)
{
	struct user_state *st = ctx->priv;

	/* the key server's pseudotime anchors this group's clock (§8.3) */
	if (sa->replay == IPSEC_REPLAY_TIME && sa->dir == IPSEC_DIR_IN)
		ipsec_user_set_pseudotime(ctx, sa->group_id, sa->pseudotime_ms);
	if (sad_add(st->sad, sa) < 0)
		return -1;
	user_mtu_follow(st);
	return 0;
}

static int
user_sa_del(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir)
{
	struct user_state *st = ctx->priv;
	int rc = sad_del(st->sad, spi, dir);

	user_mtu_follow(st);
	return rc;
}

static int
user_sa_stats(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir,
	      struct ipsec_stats *out)
{
	struct user_state *st = ctx->priv;
	const struct sad_sa *sa = sad_find(st->sad, spi, dir);

	memset(out, 0, sizeof(*out));
	if (sa == NULL)
		return -1;
	out->packets = sa->packets;
	out->bytes = sa->bytes;
	out->drops = sa->drops;
	return 0;
}

static int
user_policy_add(struct ipsec_ctx *ctx, const struct ipsec_policy *p)
{
	struct user_state *st = ctx->priv;

	return spd_add(st->spd, p);
}

static int
user_policy_flush(struct ipsec_ctx *ctx, uint32_t group_id)
{
	struct user_state *st = ctx->priv;

	spd_flush_group(st->spd, group_id);
	return 0;
}

static int
user_flush(struct ipsec_ctx *ctx)
{
	struct user_state *st = ctx->priv;

	spd_clear(st->spd);
	sad_flush(st->sad);
	user_mtu_follow(st);
	return 0;
}

const struct ipsec_backend ipsec_user_backend = {
	.name = "user",
	.init = user_init,
	.fini = user_fini,
	.sa_add = user_sa_add,
	.sa_del = user_sa_del,
	.sa_stats = user_sa_stats,
	.policy_add = user_policy_add,
	.policy_flush = user_policy_flush,
	.flush = user_flush,
};
