/*
 * gm_show: what a group member prints for `show crypto gdoi` and
 * `show crypto gdoi gm`, in the IOS-XE layouts of doc/ios-cli.md §5.2(a) and
 * §5.7 (labels, spelling and order as genie parses them).
 */
#include "roles/gm_int.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "gdoi/crypto.h"
#include "ipsec/ipsec.h"
#include "platform/evloop.h"
#include "platform/showout.h"
#include "roles/gm_rekey.h"
#include "roles/show.h"

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

/* The member block's last lines: counters and options IOS prints that
 * getvpn keeps fixed, and the active TEKs. */
static void
show_member_tail(const struct gm_group *gm, struct showout *o)
{
	size_t teks = gm_group_active_teks(gm);

	showout_u64(o, "pfs_rekey_received", 0,
		    "       PFS Rekey received    : %u\n", 0u);
	showout_str(o, "dp_error_monitoring", "OFF",
		    "       DP Error Monitoring   : %s\n", "OFF");
	showout_u64(o, "ipsec_init_reg_executed", 0,
		    "       IPSEC init reg executed    : %u\n", 0u);
	showout_u64(o, "ipsec_init_reg_postponed", 0,
		    "       IPSEC init reg postponed   : %u\n", 0u);
	showout_u64(o, "active_tek_number", teks,
		    "       Active TEK Number     : %zu\n", teks);
	showout_str(o, "sa_track", "disabled",
		    "       SA Track (OID/status) : %s\n", "disabled");
	showout_str(o, "fail_close_revert", "Disabled",
		    "       Fail-Close Revert : %s\n\n", "Disabled");
	showout_str(o, "allowable_rekey_cipher", "any",
		    "       allowable rekey cipher: %s\n", "any");
	showout_str(o, "allowable_rekey_hash", "any",
		    "       allowable rekey hash  : %s\n", "any");
	showout_str(o, "allowable_transformtag", "any ESP",
		    "       allowable transformtag: %s\n\n", "any ESP");
}

/* The member block: of `show crypto gdoi gm`, and under "group_member"
 * in `show crypto gdoi`. */
static void
show_member(const struct gm_group *gm, struct showout *o)
{
	char a[INET_ADDRSTRLEN], k[INET_ADDRSTRLEN], acl[96];
	uint64_t rereg = ev_timer_remaining(gm->t_rereg);

	snprintf(acl, sizeof(acl), "gdoi_group_%s_temp_acl", gm->name);
	showout_str(o, "group", gm->name,
		    "Group Member Information For Group %s:\n", gm->name);
	showout_str(o, "ipsec_sa_direction", "Both",
		    "    IPSec SA Direction       : %s\n", "Both");
	showout_str(o, "acl_received_from_ks", acl,
		    "    ACL Received From KS     : %s\n\n", acl);
	showout_str(o, "group_member", ip(gm->local, a),
		    "    Group member             : %-15s ", a);
	showout_str(o, "vrf", "None", "vrf: %s\n", "None");
	showout_str(o, "local_addr", a, "       Local addr/port       : %s/848\n",
		    a);
	showout_str(o, "remote_addr", ip(gm->servers[gm->server_idx], k),
		    "       Remote addr/port      : %s/848\n", k);
	showout_str(o, "fvrf_ivrf", "None/None",
		    "       fvrf/ivrf             : %s\n", "None/None");
	showout_str(o, "version", GETVPN_GDOI_VERSION,
		    "       Version               : %s\n", GETVPN_GDOI_VERSION);
	showout_str(o, "registration_status", gm_state_name(gm->state),
		    "       Registration status   : %s\n",
		    gm_state_name(gm->state));
	if (gm->has_policy)
		showout_str(o, "registered_with", ip(gm->registered_with, k),
			    "       Registered with       : %s\n", k);
	if (rereg != UINT64_MAX)
		showout_u64(o, "re_registers_in_sec", rereg / 1000,
			    "       Re-registers in       : %llu sec\n",
			    (unsigned long long)(rereg / 1000));
	showout_u64(o, "succeeded_registration", gm->successes,
		    "       Succeeded registration: %u\n", gm->successes);
	showout_u64(o, "attempted_registration", gm->attempts,
		    "       Attempted registration: %u\n", gm->attempts);
	if (gm->last_error[0] != '\0')
		showout_str(o, "last_failure", gm->last_error,
			    "       Last failure          : %s\n",
			    gm->last_error);
	gm_rekey_show_member(gm, o);
	show_member_tail(gm, o);
}

/* The ACE of a downloaded TEK as IOS prints it: "permit ip any any". */
static void
ace_text(const struct gdoi_tek *k, char *out, size_t len)
{
	char s[INET_ADDRSTRLEN], w[INET_ADDRSTRLEN];
	size_t n = 0;

#define ACE(...) (n += (size_t)snprintf(out + n, n < len ? len - n : 0, \
				       __VA_ARGS__))
	ACE("%s %s", k->deny ? "deny" : "permit",
	    k->proto == 0 ? "ip" : k->proto == 6 ? "tcp" :
	    k->proto == 17 ? "udp" : k->proto == 1 ? "icmp" : "proto");
	if (k->proto != 0 && k->proto != 6 && k->proto != 17 && k->proto != 1)
		ACE(" %u", k->proto);
	if (k->src_mask == 0)
		ACE(" any");
	else if (k->src_mask == UINT32_MAX)
		ACE(" host %s", ip(k->src, s));
	else
		ACE(" %s %s", ip(k->src, s), ip(~k->src_mask, w));
	if (k->sport)
		ACE(" port = %u", k->sport);
	if (k->dst_mask == 0)
		ACE(" any");
	else if (k->dst_mask == UINT32_MAX)
		ACE(" host %s", ip(k->dst, s));
	else
		ACE(" %s %s", ip(k->dst, s), ip(~k->dst_mask, w));
	if (k->dport)
		ACE(" port = %u", k->dport);
#undef ACE
}

void
gm_group_show_downloaded_acl(const struct gm_group *gm, struct showout *o)
{
	char k[INET_ADDRSTRLEN], ace[160];

	if (!gm->has_policy)
		return;
	showout_obj(o, "acl_downloaded");
	showout_str(o, "key_server", ip(gm->registered_with, k),
		    " ACL Downloaded From KS %s:\n", k);
	showout_list(o, "aces");
	for (size_t i = 0; i < gm->policy.ntek; i++) {
		ace_text(&gm->policy.tek[i], ace, sizeof(ace));
		showout_str(o, NULL, ace, "   access-list   %s\n", ace);
	}
	showout_end(o);
	showout_end(o);
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
show_kek(const struct gm_group *gm, struct showout *o)
{
	const struct gdoi_kek *k = &gm->policy.kek;
	const char *alg = k->alg == GDOI_KEK_ALG_AES ? "AES" : "3DES";

	showout_obj(o, "kek_policy");
	showout_str(o, "rekey_transport_type", gm_rekey_transport(gm),
		    "\nKEK POLICY:\n    Rekey Transport Type     : %s\n",
		    gm_rekey_transport(gm));
	showout_u64(o, "lifetime_secs", left(gm, k->lifetime_s),
		    "    Lifetime (secs)          : %u\n",
		    left(gm, k->lifetime_s));
	showout_str(o, "encrypt_algorithm", alg,
		    "    Encrypt Algorithm        : %s\n", alg);
	showout_u64(o, "key_size", k->key_bits,
		    "    Key Size                 : %u\n", k->key_bits);
	showout_str(o, "sig_hash_algorithm", sig_hash_name(k->sig_hash),
		    "    Sig Hash Algorithm       : %s\n",
		    sig_hash_name(k->sig_hash));
	/* the key's bits; SIG_KEY_LENGTH is read as bits ([U]) */
	showout_u64(o, "sig_key_length_bits", k->sig_key_bits,
		    "    Sig Key Length (bits)    : %u\n", k->sig_key_bits);
	showout_end(o);
}

static void
show_tek(const struct gm_group *gm, const struct gdoi_tek *e,
	 struct showout *o)
{
	char tr[64], spi[16];
	uint32_t life = left(gm, e->lifetime_s);

	snprintf(spi, sizeof(spi), "0x%08X", ntohl(e->spi));
	gdoi_tek_transform_name(e, tr, sizeof(tr));
	showout_obj(o, NULL);
	showout_str(o, "spi", spi, "    IPsec SA:\n        spi: %s(%u)\n", spi,
		    ntohl(e->spi));
	showout_str(o, "transform", tr, "        transform: %s\n", tr);
	showout_u64(o, "remaining_key_lifetime_sec", life, "        sa timing:"
		    "remaining key lifetime (sec): (%u)\n", life);
	if (e->replay == GDOI_REPLAY_TIME)
		showout_u64(o, "anti_replay_time_based_sec",
			    e->replay_window / 1000, "        Anti-Replay(Time "
			    "Based) : %u sec interval\n",
			    e->replay_window / 1000);
	else if (e->replay == GDOI_REPLAY_COUNTER)
		showout_u64(o, "anti_replay_counter_based", e->replay_window,
			    "        Anti-Replay(Counter Based) : %u\n",
			    e->replay_window);
	showout_str(o, "tag_method", "disabled",
		    "        tag method : %s\n", "disabled");
	showout_u64(o, "alg_key_size_bytes", e->enc_key_len,
		    "        alg key size: %zu (bytes)\n", e->enc_key_len);
	showout_u64(o, "sig_key_size_bytes", e->auth_key_len,
		    "        sig key size: %zu (bytes)\n", e->auth_key_len);
	showout_str(o, "encaps", "ENCAPS_TUNNEL", "        encaps: %s\n\n",
		    "ENCAPS_TUNNEL");
	showout_end(o);
}

static void
show_policies(const struct gm_group *gm, struct showout *o)
{
	const struct gdoi_policy *p = &gm->policy;
	const char *ifn = gm_group_ifname(gm)[0] ? gm_group_ifname(gm)
		: "(none)";
	uint32_t last = 0;

	gm_group_show_downloaded_acl(gm, o);
	if (p->has_kek)
		show_kek(gm, o);
	showout_obj(o, "tek_policy");
	showout_str(o, "interface", ifn, "\nTEK POLICY for the current "
		    "KS-Policy ACEs Downloaded:\n  %s:\n", ifn);
	showout_list(o, "ipsec_sas");
	for (size_t i = 0; i < p->ntek; i++) {
		const struct gdoi_tek *e = &p->tek[i];

		if (e->spi == last || e->deny)
			continue;
		last = e->spi;
		show_tek(gm, e, o);
	}
	showout_end(o);
	showout_end(o);
}

void
gm_group_show(const struct gm_group *gm, struct showout *o)
{
	char k[INET_ADDRSTRLEN];

	showout_str(o, "group_name", gm->name,
		    "    Group Name               : %s\n", gm->name);
	showout_u64(o, "group_identity", gm->id,
		    "    Group Identity           : %u\n", gm->id);
	show_group_paths(o);
	showout_u64(o, "rekeys_received", gm->rk->total,
		    "    Rekeys received          : %lu\n", gm->rk->total);
	showout_str(o, "ipsec_sa_direction", "Both",
		    "    IPSec SA Direction       : %s\n\n", "Both");
	showout_text(o, "     Group Server list       : ");
	showout_list(o, "group_server_list");
	for (size_t i = 0; i < gm->nservers; i++)
		showout_str(o, NULL, ip(gm->servers[i], k), "%s%s\n",
			    i ? "                               " : "", k);
	showout_end(o);
	showout_text(o, gm->nservers ? "\n" : "\n\n");
	showout_obj(o, "group_member");
	show_member(gm, o);
	showout_end(o);
	gm_rekey_show_cumulative(gm, o);
	if (gm->has_policy)
		show_policies(gm, o);
}

static int
show_gm(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_list(ctx->show, "groups");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next) {
		showout_obj(ctx->show, NULL);
		show_member(gm, ctx->show);
		showout_end(ctx->show);
	}
	showout_end(ctx->show);
	return CMD_OK;
}

static void
hex(char *out, const uint8_t *p, size_t len)
{
	out += sprintf(out, "0x");
	for (size_t i = 0; i < len; i++)
		out += sprintf(out, "%02x", p[i]);
}

static void
export_tek(const struct gdoi_tek *e, struct showout *o)
{
	const char *auth = e->auth == GDOI_AUTH_HMAC_SHA1 ? "sha1"
		: e->auth == GDOI_AUTH_HMAC_SHA256 ? "sha256" : "null";
	const char *enc = e->transform == GDOI_ESP_AES_GCM_16 ? "gcm" : "cbc";
	char spi[16], ek[2 * sizeof(e->enc_key) + 3] = "";
	char ak[2 * sizeof(e->auth_key) + 3] = "";

	snprintf(spi, sizeof(spi), "0x%08x", ntohl(e->spi));
	hex(ek, e->enc_key, e->enc_key_len);
	if (e->auth_key_len > 0)
		hex(ak, e->auth_key, e->auth_key_len);
	showout_obj(o, NULL);
	showout_str(o, "spi", spi, "%s,", spi);
	showout_str(o, "encryption", enc, "%s,", enc);
	showout_str(o, "encryption_key", ek, "%s,", ek);
	showout_str(o, "authentication", auth, "%s,", auth);
	showout_str(o, "authentication_key", ak, "%s\n", ak);
	showout_end(o);
	crypto_wipe(ek, sizeof(ek));
	crypto_wipe(ak, sizeof(ak));
}

/*
 * For decrypting a capture (tools/check-capture --esp-sa, or
 * Wireshark's esp_sa table): the keys of every protecting TEK, one line
 * each: SPI,ENC,ENCKEY,AUTH,AUTHKEY.  Printed only to the session that
 * asked, never logged; the output object wipes its copies when freed.
 */
static int
show_export_keys(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_list(ctx->show, "keys");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next) {
		uint32_t last = 0;

		for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++) {
			const struct gdoi_tek *e = &gm->policy.tek[i];

			if (e->deny || e->spi == last)
				continue;
			last = e->spi;
			export_tek(e, ctx->show);
		}
	}
	showout_end(ctx->show);
	return CMD_OK;
}

static void
show_esp_sa(const struct gm_group *gm, const struct gdoi_tek *e,
	    struct showout *o)
{
	char tr[64], spi[16];
	uint32_t life = left(gm, e->lifetime_s);
	unsigned iv = e->transform == GDOI_ESP_AES_CBC ? 16 : 8;
	const char *replay = e->replay == GDOI_REPLAY_NONE ? "N" : "Y";

	snprintf(spi, sizeof(spi), "0x%08X", ntohl(e->spi));
	gdoi_tek_transform_name(e, tr, sizeof(tr));
	showout_obj(o, NULL);
	showout_str(o, "spi", spi, "      spi: %s(%u)\n", spi, ntohl(e->spi));
	showout_str(o, "transform", tr, "        transform: %s ,\n", tr);
	showout_str(o, "in_use_settings", "Tunnel, ",
		    "        in use settings ={%s}\n", "Tunnel, ");
	showout_u64(o, "remaining_key_lifetime_sec", life, "        sa timing: "
		    "remaining key lifetime (sec): (%u)\n", life);
	showout_u64(o, "iv_size", iv, "        IV size: %u bytes\n", iv);
	showout_str(o, "replay_detection_support", replay,
		    "        replay detection support: %s\n", replay);
	showout_str(o, "status", "ACTIVE(ACTIVE)",
		    "        Status: %s\n\n", "ACTIVE(ACTIVE)");
	showout_end(o);
}

static void
show_ident(struct showout *o, const char *key, const char *label,
	   uint32_t addr, uint32_t mask, uint8_t proto, uint16_t port)
{
	char a[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN];

	showout_obj(o, key);
	showout_str(o, "addr", ip(addr, a), "   %s ident (addr/mask/prot/port): "
		    "(%s/", label, a);
	showout_str(o, "mask", ip(mask, m), "%s/", m);
	showout_u64(o, "prot", proto, "%u/", proto);
	showout_u64(o, "port", port, "%u)\n", port);
	showout_end(o);
}

/* One entry: a downloaded permit ACE and its group SA. */
static void
show_ipsec_entry(const struct gm_group *gm, const struct gdoi_tek *e,
		 bool detail, unsigned mtu, struct showout *o)
{
	const struct ipsec_ctx *x = gm->ipsec;
	struct ipsec_stats in = { 0 }, out = { 0 };
	unsigned pmtu = gm_tek_plaintext_mtu(e, mtu);
	char a[INET_ADDRSTRLEN], spi[16];

	if (x != NULL && x->be != NULL) {
		x->be->sa_stats((struct ipsec_ctx *)(uintptr_t)x, e->spi,
				IPSEC_DIR_IN, &in);
		x->be->sa_stats((struct ipsec_ctx *)(uintptr_t)x, e->spi,
				IPSEC_DIR_OUT, &out);
	}
	snprintf(spi, sizeof(spi), "0x%08X", ntohl(e->spi));
	showout_obj(o, NULL);
	showout_str(o, "protected_vrf", "(none)", "\n   protected vrf: %s\n",
		    "(none)");
	show_ident(o, "local_ident", "local ", e->src, e->src_mask, e->proto,
		   e->sport);
	show_ident(o, "remote_ident", "remote", e->dst, e->dst_mask, e->proto,
		   e->dport);
	showout_str(o, "group", gm->name, "   Group: %s\n", gm->name);
	showout_str(o, "current_peer", "0.0.0.0", "   current_peer %s ",
		    "0.0.0.0");
	showout_u64(o, "current_peer_port", 848, "port %u\n", 848u);
	showout_str(o, "flags", "origin_is_acl,",
		    "     PERMIT, flags={%s}\n", "origin_is_acl,");
	gm_show_sa_counters(&in, &out, detail, o);
	showout_str(o, "local_crypto_endpt", ip(gm->local, a),
		    "     local crypto endpt.: %s, ", a);
	showout_str(o, "remote_crypto_endpt", "0.0.0.0",
		    "remote crypto endpt.: %s\n", "0.0.0.0");
	showout_u64(o, "plaintext_mtu", pmtu, "     plaintext mtu %u, ", pmtu);
	showout_u64(o, "path_mtu", mtu, "path mtu %u, ", mtu);
	showout_u64(o, "ip_mtu", mtu, "ip mtu %u, ", mtu);
	showout_str(o, "ip_mtu_idb", gm_group_ifname(gm), "ip mtu idb %s\n",
		    gm_group_ifname(gm));
	showout_str(o, "current_outbound_spi", spi,
		    "     current outbound spi: %s(%u)\n", spi, ntohl(e->spi));
	showout_str(o, "pfs", "N", "     PFS (Y/N): %s, ", "N");
	showout_str(o, "dh_group", "none", "DH group: %s\n\n", "none");
	showout_text(o, "     inbound esp sas:\n");
	showout_list(o, "inbound_esp_sas");
	show_esp_sa(gm, e, o);
	showout_end(o);
	showout_text(o, "     outbound esp sas:\n");
	showout_list(o, "outbound_esp_sas");
	if (e->direction != GDOI_DIR_RECEIVER_ONLY)
		show_esp_sa(gm, e, o);
	showout_end(o);
	showout_end(o);
}

/* show crypto ipsec sa [detail], GET VPN flavour (doc/ios-cli.md §5.15): one
 * entry per downloaded permit ACE, the same group SA inbound and outbound. */
static void
group_show_ipsec_sa(const struct gm_group *gm, bool detail, struct showout *o)
{
	char a[INET_ADDRSTRLEN];
	unsigned mtu = gm_group_path_mtu(gm);

	showout_obj(o, NULL);
	showout_str(o, "interface", gm_group_ifname(gm), "\ninterface: %s\n",
		    gm_group_ifname(gm));
	showout_str(o, "crypto_map_tag", gm->cmap, "    Crypto map tag: %s, ",
		    gm->cmap);
	showout_str(o, "local_addr", ip(gm->local, a), "local addr %s\n", a);
	showout_list(o, "entries");
	for (size_t i = 0; gm->has_policy && i < gm->policy.ntek; i++)
		if (!gm->policy.tek[i].deny)
			show_ipsec_entry(gm, &gm->policy.tek[i], detail, mtu,
					 o);
	showout_end(o);
	showout_end(o);
}

static int
show_ipsec_sa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_list(ctx->show, "interfaces");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next)
		group_show_ipsec_sa(gm, cmd_has(a, "detail"), ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

const struct cmd_def gm_show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " gm",
	  "\n\n\n\nGroup member\n", show_gm, CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto ipsec sa [detail]",
	  "\n\nIPSEC information\nIPSEC SA table\nDetailed error counters\n",
	  show_ipsec_sa, CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto " GDOI_KW " gm export-keys",
	  "\n\n\n\n\nThe TEKs in use, as Wireshark ESP SA lines (secret!)\n",
	  show_export_keys, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
