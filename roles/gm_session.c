/*
 * gm_session: the group member's `show crypto session [detail]` and
 * `show crypto map` in the IOS-XE layouts, and the values the SA shows
 * compute (active TEKs, path and plaintext MTU, the SA counters).
 */
#include "roles/gm.h"

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
#include "platform/term.h"

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
		    const struct ipsec_stats *out, bool detail, struct term *t)
{
	unsigned long long o = out->packets, i = in->packets;

	term_printf(t, "    #pkts encaps: %llu, #pkts encrypt: %llu, "
		    "#pkts digest: %llu\n", o, o, o);
	term_printf(t, "    #pkts decaps: %llu, #pkts decrypt: %llu, "
		    "#pkts verify: %llu\n", i, i, i);
	term_puts(t, "    #pkts compressed: 0, #pkts decompressed: 0\n"
		  "    #pkts not compressed: 0, #pkts compr. failed: 0\n"
		  "    #pkts not decompressed: 0, #pkts decompress failed: 0\n");
	if (detail)
		term_printf(t, "    #pkts no sa (send) 0, #pkts invalid sa (rcv) "
			    "0\n    #pkts encaps failed (send) %llu, #pkts "
			    "decaps failed (rcv) %llu\n    #pkts invalid prot "
			    "(recv) 0, #pkts verify failed: 0\n    #pkts "
			    "invalid identity (recv) 0, #pkts invalid len (rcv)"
			    " 0\n    #pkts replay rollover (send): 0, #pkts "
			    "replay rollover (rcv) 0\n    ##pkts replay failed "
			    "(rcv): 0\n    #pkts internal err (send): 0, #pkts "
			    "internal err (recv) 0\n",
			    (unsigned long long)out->drops,
			    (unsigned long long)in->drops);
	term_printf(t, "    #send errors %llu, #recv errors %llu\n\n",
		    (unsigned long long)out->drops,
		    (unsigned long long)in->drops);
}

static void
show_flow(const struct gdoi_tek *e, struct term *t)
{
	char s[INET_ADDRSTRLEN], sm[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN],
	     dm[INET_ADDRSTRLEN], proto[8] = "ip";

	if (e->proto != 0)
		snprintf(proto, sizeof(proto), "%u", e->proto);
	term_printf(t, "  IPSEC FLOW: permit %s %s/%s %s/%s \n", proto,
		    ip(e->src, s), ip(e->src_mask, sm), ip(e->dst, d),
		    ip(e->dst_mask, dm));
	term_printf(t, "        Active SAs: %u, origin: crypto map\n",
		    e->direction == GDOI_DIR_RECEIVER_ONLY ? 1u : 2u);
}

static void
show_session_detail_head(const struct gm_group *gm, struct term *t)
{
	uint64_t up = gm->has_policy
		? (ev_now(gm->loop) - gm->installed_ms) / 1000 : 0;

	term_printf(t, "Uptime: %02llu:%02llu:%02llu\n",
		    (unsigned long long)(up / 3600),
		    (unsigned long long)(up / 60 % 60),
		    (unsigned long long)(up % 60));
}

void
gm_group_show_session(const struct gm_group *gm, bool detail,
		      struct term *t)
{
	char k[INET_ADDRSTRLEN];

	term_printf(t, "Interface: %s\n", gm_group_ifname(gm));
	if (detail)
		show_session_detail_head(gm, t);
	term_printf(t, "Session status: %s\n", gm->has_policy ? "UP-ACTIVE     "
		    : "DOWN-NEGOTIATING");
	term_printf(t, "Peer: %s port 848 \n", gm->has_policy
		    ? ip(gm->registered_with, k) : "0.0.0.0");
	if (detail)
		term_printf(t, "      Phase1_id: %s\n      Desc: (none)\n"
			    "  Group: %s\n", gm->has_policy
			    ? ip(gm->registered_with, k) : "", gm->name);
	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++)
		if (!gm->policy.tek[i].deny)
			show_flow(&gm->policy.tek[i], t);
	term_puts(t, "\n");
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

/* show crypto gdoi ipsec sa: the selectors of each protecting TEK. */
void
gm_group_show_gdoi_ipsec_sa(const struct gm_group *gm, struct term *t)
{
	char l[INET_ADDRSTRLEN + 4], r[INET_ADDRSTRLEN + 4], p[8];

	term_printf(t, "SA created for group %s:\n  %s:\n", gm->name,
		    gm_group_ifname(gm));
	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++) {
		const struct gdoi_tek *e = &gm->policy.tek[i];

		if (e->deny)
			continue;
		term_printf(t, "    protocol = %s\n      local ident  = %s, port "
			    "= %u\n      remote ident = %s, port = %u\n",
			    proto_name(e->proto, p, sizeof(p)),
			    ident(e->src, e->src_mask, l, sizeof(l)), e->sport,
			    ident(e->dst, e->dst_mask, r, sizeof(r)), e->dport);
		term_printf(t, "      direction: %s, replay(method/window): ",
			    e->direction == GDOI_DIR_RECEIVER_ONLY
			    ? "Receive Only" : "Both");
		if (e->replay == GDOI_REPLAY_TIME)
			term_printf(t, "Time/%u sec\n", e->replay_window / 1000);
		else if (e->replay == GDOI_REPLAY_COUNTER)
			term_printf(t, "Counter/%u\n", e->replay_window);
		else
			term_puts(t, "None\n");
	}
	term_puts(t, "\n");
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
	       const struct gm_group *gm, struct term *t)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi,
							       e->group);
	char a[INET_ADDRSTRLEN];

	term_printf(t, "Crypto Map IPv4 \"%s\" %u gdoi\n", e->map->name,
		    e->seq);
	term_printf(t, "\tGroup Name: %s\n", e->group);
	if (g != NULL)
		term_printf(t, "\tIdentity number: %u\n", g->identity_number);
	for (size_t i = 0; g != NULL && i < g->n_servers; i++)
		term_printf(t, "\tServer: %s\n", ip(g->servers[i], a));
	if (e->acl[0])
		term_printf(t, "\tMatch address (local deny list): %s\n",
			    e->acl);
	term_printf(t, "\tActive TEK Number: %zu\n",
		    gm ? gm_group_active_teks(gm) : 0);
	term_printf(t, "\tRegistration status: %s\n",
		    gm ? gm_state_name(gm->state) : "Not registered");
}

void
gm_show_crypto_maps(const struct conf *c, const struct gm_group *gms,
		    struct term *t)
{
	char ifs[512], *save = NULL;

	for (const struct conf_cmap *m = conf_cmap_first(c->cmaps); m;
	     m = m->next) {
		for (const struct conf_cmap_entry *e = m->head; e; e = e->next)
			show_map_entry(c, e, gm_named(gms, e->group), t);
		conf_ifs_using_cmap(c->ifs, m->name, ifs, sizeof(ifs));
		term_printf(t, "\tInterfaces using crypto map %s:\n", m->name);
		for (char *p = strtok_r(ifs, ", ", &save); p;
		     p = strtok_r(NULL, ", ", &save))
			term_printf(t, "\t\t%s\n", p);
		term_puts(t, "\n");
	}
}
