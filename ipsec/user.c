/*
 * user: the userspace data plane, ESP in userspace with policy routing
 * (see ipsec/user.h and doc/design.md §6).  Owns the backend state (SPD,
 * SAD, TUN devices, sockets, rtnetlink socket, counters, pseudotime
 * anchors), the backend operations and the installation and removal of
 * the policy-routing rules; the packet decisions are ipsec/user_path.c,
 * the packets' way in and out ipsec/user_io.c.
 */
#include "ipsec/user_int.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/log.h"

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
struct user_state *
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

/* ---- policy routing ---- */

/* Remove every rule and route carrying our marker (ours, or a dead run's). */
static void
user_routing_flush(struct kroute *nl)
{
	int n = kroute_rule_flush(nl, IPSEC_USER_PRIO_FIRST, IPSEC_USER_PRIO_LAST,
				IPSEC_USER_RTPROT);

	if (n > 0)
		log_dbg(LOG_DBG_IPSEC, "user: removed %d policy rule(s)", n);
	kroute_route_flush(nl, IPSEC_USER_TABLE_LAN, IPSEC_USER_RTPROT);
	kroute_route_flush(nl, IPSEC_USER_TABLE_ESP, IPSEC_USER_RTPROT);
	kroute_route_flush(nl, IPSEC_USER_TABLE_WAN, IPSEC_USER_RTPROT);
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
	kroute_link_no_ipv6_ll(st->nl, idx);
	if (kroute_link_set_mtu(st->nl, idx, wan_mtu) < 0 ||
	    kroute_link_set_rp_filter(st->nl, idx, USER_RP_FILTER_LOOSE) < 0 ||
	    kroute_link_set_up(st->nl, idx) < 0) {
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
	struct kroute_route r = {
		.protocol = IPSEC_USER_RTPROT,
		.table = IPSEC_USER_TABLE_LAN,
	};
	unsigned mtu = user_inner_mtu(st);

	if (st->tun == NULL || st->nl == NULL || mtu == st->lan_mtu)
		return 0;
	r.oif = tun_ifindex(st->tun);
	r.mtu = mtu;
	if (kroute_route_add(st->nl, &r) < 0) {
		user_err(st, "route table %u: %s", r.table, strerror(errno));
		return -1;
	}
	log_dbg(LOG_DBG_IPSEC, "user: LAN route MTU %u", mtu);
	st->lan_mtu = mtu;
	return 0;
}

/*
 * Tables: ESP from the WAN is delivered to this host ("local" route
 * through the inbound TUN, so it goes when the TUN goes), where our raw
 * ESP socket takes it; LAN traffic goes to the TUN with a route
 * MTU leaving room for the ESP overhead, so too-big DF packets are answered
 * by the kernel with ICMP "fragmentation needed" (RFC 1191) before we see
 * them.
 */
static int
user_routes(struct user_state *st)
{
	struct kroute_route r = {
		.protocol = IPSEC_USER_RTPROT,
		.table = IPSEC_USER_TABLE_ESP,
		.local = true,
	};

	/* dev TUN-in, not lo: the route vanishes with the process */
	r.oif = tun_ifindex(st->tun_in);
	if (kroute_route_add(st->nl, &r) < 0) {
		user_err(st, "route table %u: %s", r.table, strerror(errno));
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.protocol = IPSEC_USER_RTPROT;
	r.table = IPSEC_USER_TABLE_WAN;
	r.oif = tun_ifindex(st->tun_in);
	if (kroute_route_add(st->nl, &r) < 0) {
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
	struct kroute_rule r = {
		.priority = prio,
		.table = table,
		.protocol = IPSEC_USER_RTPROT,
		.ipproto = ipproto,
	};

	snprintf(r.iif, sizeof(r.iif), "%s", iif);
	if (kroute_rule_add(st->nl, &r) < 0) {
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
	if (kroute_link_get(st->nl, wan, NULL, wan_mtu) < 0) {
		user_err(st, "WAN interface %s: %s", wan, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < nlan; i++) {
		if (lans[i] == NULL || strcmp(lans[i], wan) == 0 ||
		    kroute_link_get(st->nl, lans[i], NULL, NULL) < 0) {
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
	char in_name[TUN_NAME_MAX];
	unsigned wan_mtu = 0;

	st->nl = kroute_open(st->err, sizeof(st->err));
	if (st->nl == NULL)
		return -1;
	user_routing_flush(st->nl);
	gro_init(&st->gro);
	gro_set_udp(&st->gro, true);
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
	ev_io_cancel(&st->io_in);
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
	tun_close(st->tun);
	st->tun = NULL;
	tun_close(st->tun_in);
	st->tun_in = NULL;
	kroute_close(st->nl);
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

void
ipsec_user_set_gdoi_peers(struct ipsec_ctx *ctx, const uint32_t *ks,
			  size_t n)
{
	struct user_state *st = user_of(ctx);

	if (st != NULL)
		spd_set_gdoi_peers(st->spd, ks, n);
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

	if (st != NULL)
		user_set_pseudotime(st, group_id, pt_ms);
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
	struct kroute *nl = kroute_open(err, sizeof(err));

	if (nl == NULL)
		return;
	user_routing_flush(nl);
	kroute_close(nl);
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
	/* doc/protocol.md §8.5 [D]: fail-close by default. */
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
		user_set_pseudotime(st, sa->group_id, sa->pseudotime_ms);
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
