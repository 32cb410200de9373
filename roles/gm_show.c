/*
 * gm_show: what a group member prints for `show crypto gdoi` and
 * `show crypto gdoi gm`, in the IOS-XE layouts of doc/ios-cli.md §5.2(a) and
 * §5.7 (labels, spelling and order as genie parses them).
 */
#include "roles/gm_int.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "ipsec/ipsec.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "roles/gm_rekey.h"

#define GETVPN_GDOI_VERSION "1.0.0"

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static uint32_t
left(const struct gm_group *gm, uint32_t life)
{
	return gm_left(gm, life, gm->installed_ms);
}

void
gm_group_show_gm(const struct gm_group *gm, struct term *t)
{
	char a[INET_ADDRSTRLEN], k[INET_ADDRSTRLEN];
	uint64_t rereg = ev_timer_remaining(gm->t_rereg);

	term_printf(t, "Group Member Information For Group %s:\n", gm->name);
	term_puts(t, "    IPSec SA Direction       : Both\n");
	term_printf(t, "    ACL Received From KS     : gdoi_group_%s_temp_acl\n\n",
		    gm->name);
	term_printf(t, "    Group member             : %-15s vrf: None\n",
		    ip(gm->local, a));
	term_printf(t, "       Local addr/port       : %s/848\n", a);
	term_printf(t, "       Remote addr/port      : %s/848\n",
		    ip(gm->servers[gm->server_idx], k));
	term_puts(t, "       fvrf/ivrf             : None/None\n");
	term_puts(t, "       Version               : " GETVPN_GDOI_VERSION "\n");
	term_printf(t, "       Registration status   : %s\n",
		    gm_state_name(gm->state));
	if (gm->has_policy)
		term_printf(t, "       Registered with       : %s\n",
			    ip(gm->registered_with, k));
	if (rereg != UINT64_MAX)
		term_printf(t, "       Re-registers in       : %llu sec\n",
			    (unsigned long long)(rereg / 1000));
	term_printf(t, "       Succeeded registration: %u\n", gm->successes);
	term_printf(t, "       Attempted registration: %u\n", gm->attempts);
	if (gm->last_error[0] != '\0')
		term_printf(t, "       Last failure          : %s\n",
			    gm->last_error);
	gm_rekey_show_member(gm, t);
	term_puts(t, "       PFS Rekey received    : 0\n"
		  "       DP Error Monitoring   : OFF\n"
		  "       IPSEC init reg executed    : 0\n"
		  "       IPSEC init reg postponed   : 0\n");
	term_printf(t, "       Active TEK Number     : %zu\n",
		    gm_group_active_teks(gm));
	term_puts(t, "       SA Track (OID/status) : disabled\n"
		  "       Fail-Close Revert : Disabled\n\n"
		  "       allowable rekey cipher: any\n"
		  "       allowable rekey hash  : any\n"
		  "       allowable transformtag: any ESP\n\n");
}

static void
show_acl_line(const struct gdoi_tek *k, struct term *t)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN], w[INET_ADDRSTRLEN];

	term_printf(t, "   access-list   %s %s", k->deny ? "deny" : "permit",
		    k->proto == 0 ? "ip" : k->proto == 6 ? "tcp" :
		    k->proto == 17 ? "udp" : k->proto == 1 ? "icmp" : "proto");
	if (k->proto != 0 && k->proto != 6 && k->proto != 17 && k->proto != 1)
		term_printf(t, " %u", k->proto);
	if (k->src_mask == 0)
		term_puts(t, " any");
	else if (k->src_mask == UINT32_MAX)
		term_printf(t, " host %s", ip(k->src, s));
	else
		term_printf(t, " %s %s", ip(k->src, s), ip(~k->src_mask, w));
	if (k->sport)
		term_printf(t, " port = %u", k->sport);
	if (k->dst_mask == 0)
		term_puts(t, " any");
	else if (k->dst_mask == UINT32_MAX)
		term_printf(t, " host %s", ip(k->dst, d));
	else
		term_printf(t, " %s %s", ip(k->dst, d), ip(~k->dst_mask, w));
	if (k->dport)
		term_printf(t, " port = %u", k->dport);
	term_puts(t, "\n");
}

void
gm_group_show_downloaded_acl(const struct gm_group *gm, struct term *t)
{
	char k[INET_ADDRSTRLEN];

	if (!gm->has_policy)
		return;
	term_printf(t, " ACL Downloaded From KS %s:\n", ip(gm->registered_with, k));
	for (size_t i = 0; i < gm->policy.ntek; i++)
		show_acl_line(&gm->policy.tek[i], t);
}

static const char *
sig_hash_name(uint8_t h)
{
	switch (h) {
	case GDOI_SIG_HASH_SHA1: return "HMAC_AUTH_SHA";
	case GDOI_SIG_HASH_SHA384: return "HMAC_AUTH_SHA384";
	case GDOI_SIG_HASH_SHA512: return "HMAC_AUTH_SHA512";
	default: return "HMAC_AUTH_SHA256";
	}
}

static void
show_policies(const struct gm_group *gm, struct term *t)
{
	const struct gdoi_policy *p = &gm->policy;
	char tr[64];
	uint32_t last = 0;

	gm_group_show_downloaded_acl(gm, t);
	if (p->has_kek) {
		term_printf(t, "\nKEK POLICY:\n    Rekey Transport Type     : %s\n",
			    gm_rekey_transport(gm));
		term_printf(t, "    Lifetime (secs)          : %u\n",
			    left(gm, p->kek.lifetime_s));
		term_printf(t, "    Encrypt Algorithm        : %s\n",
			    p->kek.alg == GDOI_KEK_ALG_AES ? "AES" : "3DES");
		term_printf(t, "    Key Size                 : %u\n", p->kek.key_bits);
		term_printf(t, "    Sig Hash Algorithm       : %s\n",
			    sig_hash_name(p->kek.sig_hash));
		/* the key's bits; SIG_KEY_LENGTH is read as bits ([U]) */
		term_printf(t, "    Sig Key Length (bits)    : %u\n",
			    p->kek.sig_key_bits);
	}
	term_printf(t, "\nTEK POLICY for the current KS-Policy ACEs Downloaded:\n"
		    "  %s:\n", gm_group_ifname(gm)[0] ? gm_group_ifname(gm)
		    : "(none)");
	for (size_t i = 0; i < p->ntek; i++) {
		const struct gdoi_tek *e = &p->tek[i];

		if (e->spi == last || e->deny)
			continue;
		last = e->spi;
		term_printf(t, "    IPsec SA:\n        spi: 0x%08X(%u)\n",
			    ntohl(e->spi), ntohl(e->spi));
		term_printf(t, "        transform: %s\n",
			    gdoi_tek_transform_name(e, tr, sizeof(tr)));
		term_printf(t, "        sa timing:remaining key lifetime (sec): "
			    "(%u)\n", left(gm, e->lifetime_s));
		if (e->replay == GDOI_REPLAY_TIME)
			term_printf(t, "        Anti-Replay(Time Based) : %u sec "
				    "interval\n", e->replay_window / 1000);
		else if (e->replay == GDOI_REPLAY_COUNTER)
			term_printf(t, "        Anti-Replay(Counter Based) : %u\n",
				    e->replay_window);
		term_puts(t, "        tag method : disabled\n");
		term_printf(t, "        alg key size: %zu (bytes)\n",
			    e->enc_key_len);
		term_printf(t, "        sig key size: %zu (bytes)\n",
			    e->auth_key_len);
		term_puts(t, "        encaps: ENCAPS_TUNNEL\n\n");
	}
}

void
gm_group_show(const struct gm_group *gm, struct term *t)
{
	char k[INET_ADDRSTRLEN];

	term_printf(t, "    Group Name               : %s\n", gm->name);
	term_printf(t, "    Group Identity           : %u\n", gm->id);
	term_puts(t, "    Group Type               : GDOI (ISAKMP)\n"
		  "    Crypto Path              : ipv4\n"
		  "    Key Management Path      : ipv4\n");
	term_printf(t, "    Rekeys received          : %lu\n"
		    "    IPSec SA Direction       : Both\n\n", gm->rk->total);
	term_puts(t, "     Group Server list       : ");
	for (size_t i = 0; i < gm->nservers; i++)
		term_printf(t, "%s%s\n", i ? "                               "
			    : "", ip(gm->servers[i], k));
	term_puts(t, gm->nservers ? "\n" : "\n\n");
	gm_group_show_gm(gm, t);
	gm_rekey_show_cumulative(gm, t);
	if (gm->has_policy)
		show_policies(gm, t);
}

static void
hex(struct term *t, const uint8_t *p, size_t len)
{
	term_puts(t, "0x");
	for (size_t i = 0; i < len; i++)
		term_printf(t, "%02x", p[i]);
}

/*
 * For decrypting a capture (tools/check-capture --esp-sa, or
 * Wireshark's esp_sa table): the keys of every protecting TEK.  Printed
 * only to the session that asked, never logged.
 */
void
gm_group_export_keys(const struct gm_group *gm, struct term *t)
{
	uint32_t last = 0;

	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++) {
		const struct gdoi_tek *e = &gm->policy.tek[i];
		const char *auth = e->auth == GDOI_AUTH_HMAC_SHA1 ? "sha1"
			: e->auth == GDOI_AUTH_HMAC_SHA256 ? "sha256" : "null";

		if (e->deny || e->spi == last)
			continue;
		last = e->spi;
		term_printf(t, "0x%08x,%s,", ntohl(e->spi),
			    e->transform == GDOI_ESP_AES_GCM_16 ? "gcm" : "cbc");
		hex(t, e->enc_key, e->enc_key_len);
		term_printf(t, ",%s,", auth);
		if (e->auth_key_len > 0)
			hex(t, e->auth_key, e->auth_key_len);
		term_puts(t, "\n");
	}
}

static void
show_esp_sa(const struct gm_group *gm, const struct gdoi_tek *e, struct term *t)
{
	char tr[64];

	term_printf(t, "      spi: 0x%08X(%u)\n", ntohl(e->spi), ntohl(e->spi));
	term_printf(t, "        transform: %s ,\n",
		    gdoi_tek_transform_name(e, tr, sizeof(tr)));
	term_puts(t, "        in use settings ={Tunnel, }\n");
	term_printf(t, "        sa timing: remaining key lifetime (sec): (%u)\n",
		    left(gm, e->lifetime_s));
	term_printf(t, "        IV size: %u bytes\n",
		    e->transform == GDOI_ESP_AES_CBC ? 16 : 8);
	term_printf(t, "        replay detection support: %s\n",
		    e->replay == GDOI_REPLAY_NONE ? "N" : "Y");
	term_puts(t, "        Status: ACTIVE(ACTIVE)\n\n");
}

/* show crypto ipsec sa [detail], GET VPN flavour (doc/ios-cli.md §5.15): one
 * entry per downloaded permit ACE, the same group SA inbound and outbound. */
void
gm_group_show_ipsec_sa(const struct gm_group *gm, bool detail,
		       struct term *t)
{
	const struct ipsec_ctx *x = gm->ipsec;
	char a[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN];
	unsigned mtu = gm_group_path_mtu(gm);

	term_printf(t, "\ninterface: %s\n    Crypto map tag: %s, local addr "
		    "%s\n", gm_group_ifname(gm), gm->cmap, ip(gm->local, a));
	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++) {
		const struct gdoi_tek *e = &gm->policy.tek[i];
		struct ipsec_stats in = { 0 }, out = { 0 };

		if (e->deny)
			continue;
		if (x != NULL && x->be != NULL) {
			x->be->sa_stats((struct ipsec_ctx *)(uintptr_t)x, e->spi,
					IPSEC_DIR_IN, &in);
			x->be->sa_stats((struct ipsec_ctx *)(uintptr_t)x, e->spi,
					IPSEC_DIR_OUT, &out);
		}
		term_puts(t, "\n   protected vrf: (none)\n");
		term_printf(t, "   local  ident (addr/mask/prot/port): "
			    "(%s/%s/%u/%u)\n", ip(e->src, a), ip(e->src_mask, m),
			    e->proto, e->sport);
		term_printf(t, "   remote ident (addr/mask/prot/port): "
			    "(%s/%s/%u/%u)\n", ip(e->dst, a), ip(e->dst_mask, m),
			    e->proto, e->dport);
		term_printf(t, "   Group: %s\n   current_peer 0.0.0.0 port 848\n"
			    "     PERMIT, flags={origin_is_acl,}\n", gm->name);
		gm_show_sa_counters(&in, &out, detail, t);
		term_printf(t, "     local crypto endpt.: %s, remote crypto "
			    "endpt.: 0.0.0.0\n", ip(gm->local, a));
		term_printf(t, "     plaintext mtu %u, path mtu %u, ip mtu %u, "
			    "ip mtu idb %s\n", gm_tek_plaintext_mtu(e, mtu), mtu,
			    mtu, gm_group_ifname(gm));
		term_printf(t, "     current outbound spi: 0x%08X(%u)\n"
			    "     PFS (Y/N): N, DH group: none\n\n"
			    "     inbound esp sas:\n", ntohl(e->spi),
			    ntohl(e->spi));
		show_esp_sa(gm, e, t);
		term_puts(t, "     outbound esp sas:\n");
		if (e->direction != GDOI_DIR_RECEIVER_ONLY)
			show_esp_sa(gm, e, t);
	}
}
