/*
 * gm_session: the group member's `show crypto session [detail]` and
 * `show crypto map` in the IOS-XE layouts, and the values the SA shows
 * compute (active TEKs, path and plaintext MTU, the SA counters).
 */
#include "roles/gm_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_cmap.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_if.h"
#include "platform/evloop.h"
#include "platform/netinfo.h"
#include "platform/showout.h"
#include "roles/show.h"

#define ETHER_MTU 1500
#define IPV4_HDR 20
#define ESP_HDR 8		/* SPI + sequence number */
#define ESP_TRAILER 2		/* pad length + next header */

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

size_t
gm_group_active_teks(const struct gm_group *gm)
{
	size_t n = 0;

	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++) {
		const struct gdoi_tek *e = &gm->policy.tek[i];
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !gm->policy.tek[j].deny &&
			       gm->policy.tek[j].spi == e->spi;
		n += !e->deny && e->spi != 0 && !seen;
	}
	return n;
}

const char *
gm_group_ifname(const struct gm_group *gm)
{
	return gm->ifconf[0] ? gm->ifconf : gm->ifname;
}

unsigned
gm_group_path_mtu(const struct gm_group *gm)
{
	const struct netinfo_link *l;
	struct netinfo ni;
	unsigned mtu = ETHER_MTU;
	char err[96];

	if (netinfo_read(&ni, err, sizeof(err)) < 0)
		return mtu;
	if ((l = netinfo_link_by_name(&ni, gm->ifname)) != NULL && l->mtu > 0)
		mtu = l->mtu;
	netinfo_free(&ni);
	return mtu;
}

/* IV, cipher block and ICV octets of a TEK's ESP (RFC 3602, RFC 4106,
 * RFC 2404, RFC 4868). */
static void
esp_sizes(const struct gdoi_tek *e, unsigned *iv, unsigned *blk,
	  unsigned *icv)
{
	static const unsigned hmac_icv[] = {
		[GDOI_AUTH_HMAC_MD5] = 12, [GDOI_AUTH_HMAC_SHA1] = 12,
		[GDOI_AUTH_HMAC_SHA256] = 16, [GDOI_AUTH_HMAC_SHA384] = 24,
		[GDOI_AUTH_HMAC_SHA512] = 32,
	};

	*iv = e->transform == GDOI_ESP_AES_CBC ? 16
		: e->transform == GDOI_ESP_NULL ? 0 : 8;
	*blk = e->transform == GDOI_ESP_AES_CBC ? 16
		: e->transform == GDOI_ESP_3DES ? 8 : 4;
	*icv = e->transform == GDOI_ESP_AES_GCM_16 ||
	       e->transform == GDOI_ESP_AES_GMAC ? 16
		: (unsigned)e->auth < sizeof(hmac_icv) / sizeof(*hmac_icv)
		? hmac_icv[e->auth] : 0;
}

unsigned
gm_tek_plaintext_mtu(const struct gdoi_tek *e, unsigned mtu)
{
	unsigned iv, blk, icv, room;

	esp_sizes(e, &iv, &blk, &icv);
	if (mtu < IPV4_HDR + ESP_HDR + iv + icv + blk + ESP_TRAILER)
		return 0;
	room = mtu - IPV4_HDR - ESP_HDR - iv - icv;
	return room / blk * blk - ESP_TRAILER;
}

void
gm_show_sa_counters(const struct ipsec_stats *in,
		    const struct ipsec_stats *out, bool detail,
		    struct showout *so)
{
	unsigned long long o = out->packets, i = in->packets;
	unsigned long long od = out->drops, id = in->drops;

	showout_u64(so, "pkts_encaps", o, "    #pkts encaps: %llu, ", o);
	showout_u64(so, "pkts_encrypt", o, "#pkts encrypt: %llu, ", o);
	showout_u64(so, "pkts_digest", o, "#pkts digest: %llu\n", o);
	showout_u64(so, "pkts_decaps", i, "    #pkts decaps: %llu, ", i);
	showout_u64(so, "pkts_decrypt", i, "#pkts decrypt: %llu, ", i);
	showout_u64(so, "pkts_verify", i, "#pkts verify: %llu\n", i);
	showout_text(so, "    #pkts compressed: 0, #pkts decompressed: 0\n"
		     "    #pkts not compressed: 0, #pkts compr. failed: 0\n"
		     "    #pkts not decompressed: 0, #pkts decompress failed: "
		     "0\n");
	if (detail) {
		showout_text(so, "    #pkts no sa (send) 0, #pkts invalid sa "
			     "(rcv) 0\n");
		showout_u64(so, "pkts_encaps_failed", od, "    #pkts encaps "
			    "failed (send) %llu, ", od);
		showout_u64(so, "pkts_decaps_failed", id, "#pkts decaps failed "
			    "(rcv) %llu\n", id);
		showout_text(so, "    #pkts invalid prot (recv) 0, #pkts verify "
			     "failed: 0\n    #pkts invalid identity (recv) 0, "
			     "#pkts invalid len (rcv) 0\n    #pkts replay "
			     "rollover (send): 0, #pkts replay rollover (rcv) "
			     "0\n    ##pkts replay failed (rcv): 0\n    #pkts "
			     "internal err (send): 0, #pkts internal err (recv) "
			     "0\n");
	}
	showout_u64(so, "send_errors", od, "    #send errors %llu, ", od);
	showout_u64(so, "recv_errors", id, "#recv errors %llu\n\n", id);
}

static void
show_flow(const struct gdoi_tek *e, struct showout *o)
{
	char s[INET_ADDRSTRLEN], sm[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN],
	     dm[INET_ADDRSTRLEN], proto[8] = "ip", flow[96];
	unsigned active = e->direction == GDOI_DIR_RECEIVER_ONLY ? 1u : 2u;

	if (e->proto != 0)
		snprintf(proto, sizeof(proto), "%u", e->proto);
	snprintf(flow, sizeof(flow), "permit %s %s/%s %s/%s", proto,
		 ip(e->src, s), ip(e->src_mask, sm), ip(e->dst, d),
		 ip(e->dst_mask, dm));
	showout_obj(o, NULL);
	showout_str(o, "flow", flow, "  IPSEC FLOW: %s \n", flow);
	showout_u64(o, "active_sas", active, "        Active SAs: %u, ",
		    active);
	showout_str(o, "origin", "crypto map", "origin: %s\n", "crypto map");
	showout_end(o);
}

static void
show_session_detail_head(const struct gm_group *gm, struct showout *o)
{
	uint64_t up = gm->has_policy
		? (ev_now(gm->loop) - gm->installed_ms) / 1000 : 0;
	char hms[32];

	snprintf(hms, sizeof(hms), "%02llu:%02llu:%02llu",
		 (unsigned long long)(up / 3600),
		 (unsigned long long)(up / 60 % 60),
		 (unsigned long long)(up % 60));
	showout_str(o, "uptime", hms, "Uptime: %s\n", hms);
}

static void
gm_group_show_session(const struct gm_group *gm, bool detail,
		      struct showout *o)
{
	const char *status = gm->has_policy ? "UP-ACTIVE" : "DOWN-NEGOTIATING";
	char k[INET_ADDRSTRLEN] = "0.0.0.0";

	if (gm->has_policy)
		ip(gm->registered_with, k);
	showout_obj(o, NULL);
	showout_str(o, "interface", gm_group_ifname(gm), "Interface: %s\n",
		    gm_group_ifname(gm));
	if (detail)
		show_session_detail_head(gm, o);
	showout_str(o, "session_status", status, "Session status: %-14s\n",
		    status);
	showout_str(o, "peer", k, "Peer: %s ", k);
	showout_u64(o, "peer_port", 848, "port %u \n", 848u);
	if (detail) {
		showout_str(o, "phase1_id", gm->has_policy ? k : "",
			    "      Phase1_id: %s\n", gm->has_policy ? k : "");
		showout_str(o, "desc", "(none)", "      Desc: %s\n", "(none)");
		showout_str(o, "group", gm->name, "  Group: %s\n", gm->name);
	}
	showout_list(o, "ipsec_flows");
	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++)
		if (!gm->policy.tek[i].deny)
			show_flow(&gm->policy.tek[i], o);
	showout_end(o);
	showout_text(o, "\n");
	showout_end(o);
}

/* "ANY", a host address, or address/prefix length. */
static const char *
ident(uint32_t addr, uint32_t mask, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	if (mask == 0)
		snprintf(buf, len, "ANY");
	else if (mask == UINT32_MAX)
		snprintf(buf, len, "%s", ip(addr, a));
	else
		snprintf(buf, len, "%s/%d", ip(addr, a),
			 __builtin_popcount(mask));
	return buf;
}

static const char *
proto_name(uint8_t p, char *buf, size_t len)
{
	static const char *const names[] = {
		[0] = "ip", [1] = "icmp", [6] = "tcp", [17] = "udp", [50] = "esp",
	};

	if (p < sizeof(names) / sizeof(*names) && names[p] != NULL)
		return names[p];
	snprintf(buf, len, "%u", p);
	return buf;
}

static void
show_replay(const struct gdoi_tek *e, struct showout *o)
{
	switch (e->replay) {
	case GDOI_REPLAY_TIME:
		showout_str(o, "replay_method", "Time", "%s/", "Time");
		showout_u64(o, "replay_window", e->replay_window / 1000,
			    "%u sec\n", e->replay_window / 1000);
		break;
	case GDOI_REPLAY_COUNTER:
		showout_str(o, "replay_method", "Counter", "%s/", "Counter");
		showout_u64(o, "replay_window", e->replay_window, "%u\n",
			    e->replay_window);
		break;
	default:
		showout_str(o, "replay_method", "None", "%s\n", "None");
	}
}

/* show crypto gdoi ipsec sa: the selectors of each protecting TEK. */
static void
gm_group_show_gdoi_ipsec_sa(const struct gm_group *gm, struct showout *o)
{
	char l[INET_ADDRSTRLEN + 4], r[INET_ADDRSTRLEN + 4], p[8];

	showout_obj(o, NULL);
	showout_str(o, "group", gm->name, "SA created for group %s:\n",
		    gm->name);
	showout_str(o, "interface", gm_group_ifname(gm), "  %s:\n",
		    gm_group_ifname(gm));
	showout_list(o, "sas");
	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++) {
		const struct gdoi_tek *e = &gm->policy.tek[i];
		const char *dir = e->direction == GDOI_DIR_RECEIVER_ONLY
			? "Receive Only" : "Both";
		const char *proto;

		if (e->deny)
			continue;
		proto = proto_name(e->proto, p, sizeof(p));
		ident(e->src, e->src_mask, l, sizeof(l));
		ident(e->dst, e->dst_mask, r, sizeof(r));
		showout_obj(o, NULL);
		showout_str(o, "protocol", proto, "    protocol = %s\n", proto);
		showout_str(o, "local_ident", l, "      local ident  = %s, ", l);
		showout_u64(o, "local_port", e->sport, "port = %u\n", e->sport);
		showout_str(o, "remote_ident", r, "      remote ident = %s, ", r);
		showout_u64(o, "remote_port", e->dport, "port = %u\n",
			    e->dport);
		showout_str(o, "direction", dir, "      direction: %s, "
			    "replay(method/window): ", dir);
		show_replay(e, o);
		showout_end(o);
	}
	showout_end(o);
	showout_text(o, "\n");
	showout_end(o);
}

static const struct gm_group *
gm_named(const struct gm_group *gms, const char *name)
{
	while (gms != NULL && strcmp(gms->name, name) != 0)
		gms = gms->next;
	return gms;
}

static void
show_map_entry(const struct conf *c, const struct conf_cmap_entry *e,
	       const struct gm_group *gm, struct showout *o)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi,
							       e->group);
	const char *state = gm ? gm_state_name(gm->state) : "Not registered";
	size_t teks = gm ? gm_group_active_teks(gm) : 0;
	char a[INET_ADDRSTRLEN];

	showout_obj(o, NULL);
	showout_u64(o, "seq", e->seq, "Crypto Map IPv4 \"%s\" %u gdoi\n",
		    e->map->name, e->seq);
	showout_str(o, "group_name", e->group, "\tGroup Name: %s\n", e->group);
	if (g != NULL)
		showout_u64(o, "identity_number", g->identity_number,
			    "\tIdentity number: %u\n", g->identity_number);
	showout_list(o, "servers");
	for (size_t i = 0; g != NULL && i < g->n_servers; i++)
		showout_str(o, NULL, ip(g->servers[i], a), "\tServer: %s\n", a);
	showout_end(o);
	if (e->acl[0])
		showout_str(o, "match_address", e->acl,
			    "\tMatch address (local deny list): %s\n", e->acl);
	showout_u64(o, "active_tek_number", teks,
		    "\tActive TEK Number: %zu\n", teks);
	showout_str(o, "registration_status", state,
		    "\tRegistration status: %s\n", state);
	showout_end(o);
}

static void
show_crypto_map(const struct conf *c, const struct conf_cmap *m,
		const struct gm_group *gms, struct showout *o)
{
	char ifs[512], *save = NULL;

	showout_obj(o, NULL);
	showout_list(o, "entries");
	for (const struct conf_cmap_entry *e = m->head; e; e = e->next)
		show_map_entry(c, e, gm_named(gms, e->group), o);
	showout_end(o);
	conf_ifs_using_cmap(c->ifs, m->name, ifs, sizeof(ifs));
	showout_str(o, "name", m->name, "\tInterfaces using crypto map %s:\n",
		    m->name);
	showout_list(o, "interfaces");
	for (char *p = strtok_r(ifs, ", ", &save); p;
	     p = strtok_r(NULL, ", ", &save))
		showout_str(o, NULL, p, "\t\t%s\n", p);
	showout_end(o);
	showout_text(o, "\n");
	showout_end(o);
}

static int
show_session(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_text(ctx->show, "Crypto session current status\n\n");
	showout_list(ctx->show, "sessions");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next)
		gm_group_show_session(gm, cmd_has(a, "detail"), ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

static int
show_gdoi_ipsec_sa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_list(ctx->show, "groups");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next)
		gm_group_show_gdoi_ipsec_sa(gm, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

static int
show_crypto_maps(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const struct conf *c = ctx->roles->conf;

	showout_list(ctx->show, "crypto_maps");
	for (const struct conf_cmap *m = conf_cmap_first(c->cmaps); m;
	     m = m->next)
		show_crypto_map(c, m, ctx->roles->gm, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

const struct cmd_def gm_session_show_cmds[] = {
	{ MODE_EXEC, "show crypto session [detail]",
	  "\n\nCrypto session information\nShow detailed information\n",
	  show_session, CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto " GDOI_KW " ipsec sa",
	  "\n\n\n\nIPsec information\nIPsec SAs of the group members\n",
	  show_gdoi_ipsec_sa, CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto map",
	  "\n\nCrypto maps\n", show_crypto_maps, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
