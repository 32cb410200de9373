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

#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/rtnl.h"
#include "platform/tun.h"

/* IANA protocol number of ESP (RFC 4303). */
#define USER_IPPROTO_ESP 50
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
	struct tun *tun;
	struct rtnl *nl;
	struct ev_io *io;
	char tun_name[TUN_NAME_MAX];
	char err[160];
	/* counters */
	uint64_t ctr[IPSEC_USER_CTR_COUNT];
	uint64_t esp_drop[ESP_DROP_COUNT];
	uint8_t buf[IPSEC_USER_BUF_LEN];
};

static const char *const user_ctr_names[IPSEC_USER_CTR_COUNT] = {
	[IPSEC_USER_RX] = "rx",
	[IPSEC_USER_TX] = "tx",
	[IPSEC_USER_ENCAP] = "encap",
	[IPSEC_USER_DECAP] = "decap",
	[IPSEC_USER_BYPASS] = "bypass",
	[IPSEC_USER_GDOI_BYPASS] = "gdoi-bypass",
	[IPSEC_USER_RECV_ONLY] = "receive-only",
	[IPSEC_USER_DROP_POLICY] = "drop-policy",
	[IPSEC_USER_DROP_NO_SA] = "drop-no-sa",
	[IPSEC_USER_DROP_ENCAP] = "drop-encap",
	[IPSEC_USER_DROP_UNKNOWN_SPI] = "drop-unknown-spi",
	[IPSEC_USER_DROP_DECAP] = "drop-decap",
	[IPSEC_USER_DROP_SELECTOR] = "drop-selector",
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

/* A PROTECT policy matched: encapsulate in place (see IPSEC_USER_HEADROOM). */
static int
user_protect(struct user_state *st, const struct ipsec_policy *p,
	     uint8_t *buf, size_t cap, size_t len, const uint8_t **out,
	     size_t *outlen)
{
	struct sad_sa *sa = sad_find(st->sad, p->spi, IPSEC_DIR_OUT);
	uint8_t *pkt = buf + IPSEC_USER_HEADROOM, *o;
	int rc;

	if (sa == NULL) {
		/* PROTOCOL.md §8.5: a receive-only group SA means "do not
		 * encrypt"; no SA at all means we must not leak (fail-close). */
		if (sad_find(st->sad, p->spi, IPSEC_DIR_IN) != NULL)
			st->ctr[IPSEC_USER_RECV_ONLY]++;
		else if (!st->fail_close)
			st->ctr[IPSEC_USER_BYPASS]++;
		else {
			st->ctr[IPSEC_USER_DROP_NO_SA]++;
			return -1;
		}
		*out = pkt;
		*outlen = len;
		return 0;
	}
	o = pkt - esp_headroom(sa->esp);
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
static int
user_outbound(struct user_state *st, uint8_t *buf, size_t cap, size_t len,
	      const struct spd_key *k, const uint8_t **out, size_t *outlen)
{
	const struct ipsec_policy *p = spd_lookup(st->spd, k);

	*out = buf + IPSEC_USER_HEADROOM;
	*outlen = len;
	if (p == NULL) {
		/* The ACL only says what to encrypt: the rest goes clear. */
		st->ctr[IPSEC_USER_BYPASS]++;
		return 0;
	}
	switch (p->action) {
	case IPSEC_ACT_PROTECT:
		mss_clamp(buf + IPSEC_USER_HEADROOM, len, st->mss);
		return user_protect(st, p, buf, cap, len, out, outlen);
	case IPSEC_ACT_BYPASS:
		st->ctr[spd_is_gdoi_bypass(k) ? IPSEC_USER_GDOI_BYPASS
					      : IPSEC_USER_BYPASS]++;
		return 0;
	case IPSEC_ACT_DROP:
	default:
		st->ctr[IPSEC_USER_DROP_POLICY]++;
		return -1;
	}
}

/* RFC 4301 §5.2: an ESP packet from the WAN, decapsulated in place. */
static int
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
		return -1;
	}
	memcpy(&spi, pkt + ihl, sizeof(spi));
	sa = sad_find(st->sad, spi, IPSEC_DIR_IN);
	if (sa == NULL) {
		st->ctr[IPSEC_USER_DROP_UNKNOWN_SPI]++;
		log_dbg(LOG_DBG_IPSEC, "user: ESP with unknown SPI %08x",
			ntohl(spi));
		return -1;
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
		return -1;
	}
	if (spd_key_of(pkt, *outlen, &k) < 0 ||
	    !spd_inbound_ok(st->spd, sa->group_id, &k)) {
		sad_drop(sa, ESP_DROP_POLICY);
		st->ctr[IPSEC_USER_DROP_SELECTOR]++;
		return -1;
	}
	mss_clamp(pkt, *outlen, st->mss);
	sa->packets++;
	sa->bytes += *outlen;
	st->ctr[IPSEC_USER_DECAP]++;
	return 0;
}

/* One packet at buf + IPSEC_USER_HEADROOM: which direction, then the path. */
static int
user_process(struct user_state *st, uint8_t *buf, size_t cap, size_t len,
	     const uint8_t **out, size_t *outlen)
{
	uint8_t *pkt = buf + IPSEC_USER_HEADROOM;
	struct spd_key k;

	if (spd_key_of(pkt, len, &k) < 0) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		log_dbg(LOG_DBG_IPSEC, "user: not an IPv4 packet (%zu octets)",
			len);
		return -1;
	}
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
	return user_process(st, buf, cap, len, out, outlen);
}

/* The TUN is readable: handle a batch, writing every result back. */
static void
user_on_tun(int fd, void *arg)
{
	struct user_state *st = arg;

	for (int i = 0; i < USER_BATCH && st->tun != NULL; i++) {
		ssize_t n = tun_read(st->tun, st->buf + IPSEC_USER_HEADROOM,
				     TUN_PACKET_MAX);
		const uint8_t *out;
		size_t outlen;

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_dbg(LOG_DBG_IPSEC, "user: TUN read: %s",
					strerror(errno));
			return;
		}
		st->ctr[IPSEC_USER_RX]++;
		if (user_process(st, st->buf, sizeof(st->buf), (size_t)n, &out,
				 &outlen) < 0)
			continue;
		if (tun_write(st->tun, out, outlen) != (ssize_t)outlen) {
			st->ctr[IPSEC_USER_DROP_WRITE]++;
			log_dbg(LOG_DBG_IPSEC, "user: TUN write: %s",
				strerror(errno));
			continue;
		}
		st->ctr[IPSEC_USER_TX]++;
	}
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
}

/* The TUN device: WAN MTU (ESP from the WAN fits), loose rp_filter,
 * no IPv6 chatter, up. */
static int
user_tun_setup(struct user_state *st, unsigned wan_mtu)
{
	unsigned idx;

	st->tun = tun_open(st->tun_name, st->err, sizeof(st->err));
	if (st->tun == NULL)
		return -1;
	idx = tun_ifindex(st->tun);
	rtnl_link_no_ipv6_ll(st->nl, idx);
	if (rtnl_link_set_mtu(st->nl, idx, wan_mtu) < 0 ||
	    rtnl_link_set_rp_filter(st->nl, idx, USER_RP_FILTER_LOOSE) < 0 ||
	    rtnl_link_set_up(st->nl, idx) < 0) {
		user_err(st, "%s: %s", tun_name(st->tun), strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Tables: LAN traffic gets a route MTU leaving room for the ESP overhead,
 * so too-big DF packets are answered by the kernel with ICMP "fragmentation
 * needed" (RFC 1191) before we see them; ESP from the WAN gets the full MTU.
 */
static int
user_routes(struct user_state *st, unsigned wan_mtu)
{
	struct rtnl_route r = {
		.protocol = IPSEC_USER_RTPROT,
		.oif = tun_ifindex(st->tun),
	};

	r.table = IPSEC_USER_TABLE_ESP;
	if (rtnl_route_add(st->nl, &r) < 0)
		goto fail;
	r.table = IPSEC_USER_TABLE_LAN;
	r.mtu = wan_mtu > USER_MIN_INNER_MTU + IPSEC_USER_OVERHEAD_MAX
		? wan_mtu - IPSEC_USER_OVERHEAD_MAX : USER_MIN_INNER_MTU;
	if (rtnl_route_add(st->nl, &r) < 0)
		goto fail;
	return 0;
fail:
	user_err(st, "route table %u: %s", r.table, strerror(errno));
	return -1;
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
	if (user_check_links(st, wan, lans, nlan, &wan_mtu) < 0 ||
	    user_tun_setup(st, wan_mtu) < 0 || user_routes(st, wan_mtu) < 0)
		return -1;
	if (user_rule(st, IPSEC_USER_PRIO_FIRST, wan, USER_IPPROTO_ESP,
		      IPSEC_USER_TABLE_ESP) < 0)
		return -1;
	for (size_t i = 0; i < nlan; i++)
		if (user_rule(st, IPSEC_USER_PRIO_FIRST + 1 + (uint32_t)i,
			      lans[i], 0, IPSEC_USER_TABLE_LAN) < 0)
			return -1;
	if (st->loop == NULL ||
	    ev_read(st->loop, tun_fd(st->tun), user_on_tun, st, &st->io) < 0) {
		user_err(st, "cannot watch %s", tun_name(st->tun));
		return -1;
	}
	return 0;
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
	if (st->nl != NULL)
		user_routing_flush(st->nl);
	/* Closing the TUN removes the device and any route through it. */
	tun_close(st->tun);
	st->tun = NULL;
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
	    strlen(name) >= sizeof(st->tun_name))
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
	return sad_add(st->sad, sa);
}

static int
user_sa_del(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir)
{
	struct user_state *st = ctx->priv;

	return sad_del(st->sad, spi, dir);
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
