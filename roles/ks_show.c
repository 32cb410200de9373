/*
 * ks_show: what a key server prints for `show crypto gdoi`,
 * `show crypto gdoi ks [detail]`, `show crypto gdoi ks members`,
 * `show crypto gdoi ks policy`,
 * `show crypto gdoi rekey sa` and its lines of `show crypto isakmp sa`,
 * in the IOS-XE layouts (doc/keyserver.md; labels and order as on the
 * device; values from the config and the group's key state).
 */
#include "roles/ks.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_ipsec.h"
#include "platform/evloop.h"
#include "platform/showout.h"
#include "roles/ks_int.h"
#include "roles/members.h"
#include "roles/show.h"

#define GETVPN_GDOI_VERSION "1.0.0"

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static uint32_t
left_s(uint64_t end_ms, uint64_t now_ms)
{
	return end_ms > now_ms ? (uint32_t)((end_ms - now_ms + 999) / 1000) : 0;
}

/* The current TEK of `sa ipsec` number, or NULL. */
static const struct gdoi_tek *
tek_of_sa(const struct ks_teks *t, uint16_t number)
{
	for (size_t i = 0; i < t->ntek; i++)
		if (t->sa_of_tek[i] == number)
			return &t->tek[i];
	return NULL;
}

/* The role COOP elected; without a running engine (no rekey RSA key or
 * no `address ipv4`) the key server is on its own: Primary. */
static void
show_coop(const struct ks_group *ks, const struct conf_gdoi_server *s,
	  bool coop_version, struct showout *o)
{
	char a[INET_ADDRSTRLEN];
	uint8_t role = ks->coop ? coop_role(ks->coop) : COOP_ROLE_PRIMARY;

	showout_obj(o, "redundancy");
	showout_str(o, "status", "Configured",
		    "    Redundancy               : %s\n", "Configured");
	showout_str(o, "local_address", ip(s->address, a),
		    "        Local Address        : %s \n", a);
	showout_u64(o, "local_priority", s->coop->priority,
		    "        Local Priority       : %u \n", s->coop->priority);
	showout_str(o, "local_ks_status", "Alive",
		    "        Local KS Status      : %s \n", "Alive");
	showout_str(o, "local_ks_role", coop_role_name(role),
		    "        Local KS Role        : %s \n",
		    coop_role_name(role));
	showout_str(o, "local_ks_version", GETVPN_GDOI_VERSION,
		    "        Local KS Version     : %s\n", GETVPN_GDOI_VERSION);
	if (coop_version)
		showout_u64(o, "local_coop_version", COOP_VERSION,
			    "        Local COOP Version   : %u\n",
			    (unsigned)COOP_VERSION);
	showout_end(o);
}

/* The lines `show crypto gdoi` and `show crypto gdoi ks` both print
 * after the member count. */
static void
show_group_flags(const struct conf_gdoi_server *s, struct showout *o)
{
	const char *dir = s->has & CONF_GDOI_KS_HAS_RECEIVE_ONLY
		? "Receive Only" : "Both";

	showout_str(o, "ipsec_sa_direction", dir,
		    "    IPSec SA Direction       : %s\n", dir);
	showout_str(o, "ip_d3p_window", "Disabled",
		    "    IP D3P Window            : %s\n", "Disabled");
	showout_u64(o, "split_resiliency_factor", 0,
		    "    Split Resiliency Factor  : %u\n", 0u);
	showout_str(o, "ckm_status", "Disabled",
		    "    CKM status               : %s\n", "Disabled");
}

static void
show_sa(const struct ks_group *ks, const struct conf *c,
	const struct conf_gdoi_sa *sa, uint64_t now_ms, struct showout *o)
{
	const struct gdoi_tek *k = tek_of_sa(&ks->gen.cur, sa->number);
	const struct conf_ipsec_profile *prof =
		conf_ipsec_profile_find(c->ipsec, sa->profile);
	uint32_t life = prof ? conf_ipsec_profile_lifetime(c->ipsec, prof)
		: CONF_IPSEC_DEF_LIFETIME;
	const char *replay = sa->replay == CONF_GDOI_REPLAY_TIME ? "Time Based"
		: sa->replay == CONF_GDOI_REPLAY_NONE ? "Disabled"
		: "Count Based";

	showout_obj(o, NULL);
	showout_u64(o, "number", sa->number,
		    "\n      IPSec SA Number        : %u\n", sa->number);
	showout_u64(o, "rekey_lifetime_secs", life,
		    "      IPSec SA Rekey Lifetime: %u secs\n", life);
	showout_str(o, "profile_name", sa->profile,
		    "      Profile Name           : %s\n", sa->profile);
	showout_str(o, "replay_method", replay,
		    "      Replay method          : %s\n", replay);
	if (sa->replay != CONF_GDOI_REPLAY_NONE)
		showout_u64(o, "replay_window_size", sa->replay_window,
			    "      Replay Window Size     : %u\n",
			    sa->replay_window);
	showout_str(o, "tagging_method", "Disabled",
		    "      Tagging method         : %s\n", "Disabled");
	if (ks->ready && k != NULL) {
		uint32_t left = left_s(ks->gen.cur.born_ms +
				       (uint64_t)k->lifetime_s * 1000, now_ms);

		showout_u64(o, "sa_rekey_remaining_lifetime_secs", left,
			    "      SA Rekey\n         Remaining Lifetime  : "
			    "%u secs\n", left);
	}
	showout_str(o, "acl_configured", sa->match_acl,
		    "      ACL Configured         : access-list %s\n",
		    sa->match_acl);
	showout_end(o);
}

static void
show_rekey_timers(const struct ks_group *ks, const struct conf_gdoi_server *s,
		  uint64_t now_ms, struct showout *o)
{
	uint64_t retx = ev_timer_remaining(ks->t_retx);

	retx = retx == UINT64_MAX ? 0 : (retx + 999) / 1000;
	showout_u64(o, "group_rekey_lifetime_secs", s->rekey_lifetime,
		    "    Group Rekey Lifetime     : %u secs\n",
		    s->rekey_lifetime);
	if (ks->ready && ks->gen.kek.used)
		showout_u64(o, "group_rekey_remaining_lifetime_secs",
			    left_s(ks->gen.kek.end_ms, now_ms),
			    "    Group Rekey\n        Remaining Lifetime   : "
			    "%u secs\n", left_s(ks->gen.kek.end_ms, now_ms));
	showout_u64(o, "rekey_retransmit_period_secs", s->retransmit_period,
		    "    Rekey Retransmit Period  : %u secs\n",
		    s->retransmit_period);
	showout_u64(o, "rekey_retransmit_attempts", s->retransmit_number,
		    "    Rekey Retransmit Attempts: %u\n",
		    s->retransmit_number);
	showout_u64(o, "group_retransmit_remaining_lifetime_secs", retx,
		    "    Group Retransmit\n        Remaining Lifetime   : "
		    "%llu secs\n", (unsigned long long)retx);
}

static void
group_show(const struct ks_group *ks, const struct conf *c, uint64_t now_ms,
	   struct showout *o)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	const struct conf_gdoi_server *s = g ? g->server : NULL;

	if (s == NULL)
		return;
	showout_str(o, "group_name", ks->name,
		    "    Group Name               : %s ", ks->name);
	showout_str(o, "rekey_transport", ks->rc.multicast ? "Multicast"
		    : "Unicast", "(%s)\n", ks->rc.multicast ? "Multicast"
		    : "Unicast");
	showout_str(o, "re_auth_on_new_crl", "Disabled",
		    "    Re-auth on new CRL       : %s\n", "Disabled");
	showout_u64(o, "group_identity", g->identity_number,
		    "    Group Identity           : %u\n", g->identity_number);
	show_group_paths(o);
	showout_u64(o, "group_members", members_count(ks->members),
		    "    Group Members            : %zu\n",
		    members_count(ks->members));
	show_group_flags(s, o);
	if (s->coop != NULL)
		show_coop(ks, s, false, o);
	show_rekey_timers(ks, s, now_ms, o);
	showout_list(o, "ipsec_sas");
	for (const struct conf_gdoi_sa *sa = s->sa_head; sa; sa = sa->next)
		show_sa(ks, c, sa, now_ms, o);
	showout_end(o);
	if (!ks->ready)
		showout_str(o, "group_status", ks->why, "\n    Group Status     "
			    "        : Not ready (%s)\n", ks->why);
	showout_list(o, "group_server_list");
	showout_str(o, NULL, "Local", "\n     Group Server list       : %s\n",
		    "Local");
	showout_end(o);
}

static void
show_seq(struct showout *o, const char *key, const char *label,
	 const uint32_t *seq)
{
	showout_text(o, "%s", label);
	showout_list(o, key);
	for (size_t i = 0; i < 4; i++)
		showout_u64(o, NULL, seq[i], "%-5u ", seq[i]);
	showout_end(o);
	showout_text(o, "\n");
}

static void
show_member(const struct ks_group *ks, const struct member *m,
	    struct showout *o)
{
	char a[INET_ADDRSTRLEN], k[INET_ADDRSTRLEN];
	const char *ver = m->version[0] ? m->version : "1.0.0";
	const char *state = m->state == MEMBER_EJECTED ? "Ejected"
		: "Registered";

	showout_obj(o, NULL);
	showout_str(o, "member_id", ip(m->addr, a),
		    "\nGroup Member ID    : %s  ", a);
	showout_str(o, "gm_version", ver, "GM Version: %s\n", ver);
	showout_u64(o, "group_id", ks->id, " Group ID          : %u\n", ks->id);
	showout_str(o, "group_name", ks->name, " Group Name        : %s\n",
		    ks->name);
	showout_str(o, "group_type", "GDOI (ISAKMP)",
		    " Group Type        : %s\n", "GDOI (ISAKMP)");
	showout_str(o, "gm_state", state, " GM State          : %s\n", state);
	showout_str(o, "key_server_id", ip(member_reg_ks(m), k),
		    " Key Server ID     : %s\n", k);
	showout_u64(o, "rekeys_sent", m->rekeys_sent,
		    " Rekeys sent       : %u\n", m->rekeys_sent);
	showout_u64(o, "rekeys_retries", m->rekey_retries,
		    " Rekeys retries    : %u\n", m->rekey_retries);
	showout_u64(o, "rekey_acks_rcvd", m->acks_rcvd,
		    " Rekey Acks Rcvd   : %u\n", m->acks_rcvd);
	showout_u64(o, "rekey_acks_missed", m->acks_missed,
		    " Rekey Acks missed : %u\n", m->acks_missed);
	show_seq(o, "sent_seq_num", "\n Sent seq num : ", m->sent_seq);
	show_seq(o, "rcvd_seq_num", " Rcvd seq num : ", m->rcvd_seq);
	showout_text(o, "\n");
	showout_end(o);
}

static void
group_show_members(const struct ks_group *ks, uint32_t only,
		   struct showout *o)
{
	unsigned retx = ks->rk.active ? ks->rk.retx_done : ks->rk.retx_last;
	bool found = false;

	showout_obj(o, NULL);
	showout_str(o, "group", ks->name, "\nNumber of rekeys sent for group "
		    "%s : ", ks->name);
	showout_u64(o, "rekeys_sent", ks->rekeys_sent, "%lu\n",
		    ks->rekeys_sent);
	showout_u64(o, "last_rekey_retransmits", retx, "Number of retransmits "
		    "during the last rekey for group %s : %u\n", ks->name, retx);
	showout_u64(o, "last_rekey_duration_msec", ks->rk.duration_ms,
		    "Duration of the last rekey for group %s : %llu msec\n",
		    ks->name, (unsigned long long)ks->rk.duration_ms);
	showout_list(o, "members");
	for (const struct member *m = members_first(ks->members); m; m = m->next) {
		if (only != 0 && m->addr != only)
			continue;
		show_member(ks, m, o);
		found = true;
	}
	showout_end(o);
	if (only != 0 && !found)
		showout_text(o, "\nGroup Member not Found\n");
	showout_end(o);
}

static void
show_tek(const struct ks_group *ks, const struct conf_gdoi_server *s,
	 const struct ks_teks *set, size_t i, uint64_t now_ms,
	 struct showout *o)
{
	const struct gdoi_tek *k = &set->tek[i];
	const struct conf_gdoi_sa *sa = conf_gdoi_sa_find(s, set->sa_of_tek[i]);
	uint64_t end = set->born_ms + (uint64_t)k->lifetime_s * 1000;
	uint32_t win = k->replay == GDOI_REPLAY_TIME ? k->replay_window / 1000
		: k->replay_window;
	char tr[64], spi[16];

	snprintf(spi, sizeof(spi), "0x%08X", ntohl(k->spi));
	gdoi_tek_transform_name(k, tr, sizeof(tr));
	showout_obj(o, NULL);
	showout_str(o, "encaps", "ENCAPS_TUNNEL",
		    "\n  TEK POLICY (encaps : %s)\n", "ENCAPS_TUNNEL");
	showout_str(o, "spi", spi, "    spi                : %s\n", spi);
	showout_str(o, "access_list", sa ? sa->match_acl : "",
		    "    access-list        : %s\n", sa ? sa->match_acl : "");
	showout_str(o, "transform", tr, "    transform          : %s\n", tr);
	showout_u64(o, "alg_key_size", k->enc_key_len,
		    "    alg key size       : %-14zu ", k->enc_key_len);
	showout_u64(o, "sig_key_size", k->auth_key_len,
		    "sig key size          : %zu\n", k->auth_key_len);
	showout_u64(o, "orig_life_sec", k->lifetime_s,
		    "    orig life(sec)     : %-14u ", k->lifetime_s);
	end = left_s(end < set->end_ms ? end : set->end_ms, now_ms);
	showout_u64(o, "remaining_life_sec", end,
		    "remaining life(sec)   : %llu\n", (unsigned long long)end);
	showout_u64(o, "tek_life_sec", k->lifetime_s,
		    "    tek life(sec)      : %-14u ", k->lifetime_s);
	showout_u64(o, "elapsed_time_sec", (now_ms - set->born_ms) / 1000,
		    "elapsed time(sec)     : %llu\n",
		    (unsigned long long)((now_ms - set->born_ms) / 1000));
	showout_u64(o, "override_life_sec", 0,
		    "    override life(sec) : %-14u ", 0u);
	showout_u64(o, "antireplay_window_size", win,
		    "antireplay window size: %u\n", win);
	if (set == &ks->gen.cur) {
		uint32_t r = left_s(ks_gen_tek_rekey_ms(&ks->gen), now_ms);

		showout_u64(o, "time_to_rekey_sec", r,
			    "    time to rekey (sec): %u\n", r);
	} else {
		showout_text(o, "    time to rekey (sec): n/a\n");
	}
	showout_end(o);
}

/* One TEK POLICY block per SPI (the SATs of one sa ipsec share it). */
static void
show_teks(const struct ks_group *ks, const struct conf_gdoi_server *s,
	  const struct ks_teks *set, uint64_t now_ms, struct showout *o)
{
	uint32_t last_spi = 0;

	for (size_t i = 0; set->used && i < set->ntek; i++) {
		if (set->tek[i].spi == last_spi)
			continue;
		last_spi = set->tek[i].spi;
		show_tek(ks, s, set, i, now_ms, o);
	}
}

static size_t
spis(const struct ks_teks *set)
{
	size_t n = 0;

	for (size_t i = 0; set->used && i < set->ntek; i++)
		n += i == 0 || set->tek[i].spi != set->tek[i - 1].spi;
	return n;
}

static void
show_kek(const struct ks_group *ks, const struct conf_gdoi_server *s,
	 uint64_t now_ms, struct showout *o)
{
	const struct gdoi_kek *k = &ks->gen.kek.kek;
	const char *tt = ks->rc.multicast ? "Multicast" : "Unicast";
	const char *alg = k->alg == GDOI_KEK_ALG_AES ? "AES"
		: k->alg == GDOI_KEK_ALG_3DES ? "3DES" : "DES";
	uint32_t left = left_s(ks->gen.kek.end_ms, now_ms);
	uint32_t rekey = left_s(ks_gen_kek_rekey_ms(&ks->gen), now_ms);
	char spi[SHOW_KEK_SPI_LEN];

	show_kek_spi(k->spi, spi);
	showout_obj(o, "kek_policy");
	showout_str(o, "transport_type", tt,
		    "  KEK POLICY (transport type : %s)\n", tt);
	showout_str(o, "spi", spi, "    spi : %s\n", spi);
	showout_str(o, "management_alg", "disabled",
		    "    management alg     : %-13s ", "disabled");
	showout_str(o, "encrypt_alg", alg,
		    "encrypt alg           : %s\n", alg);
	showout_u64(o, "crypto_iv_length", k->iv_len,
		    "    crypto iv length   : %-14zu ", k->iv_len);
	showout_u64(o, "key_size", k->key_len,
		    "key size              : %zu\n", k->key_len);
	showout_u64(o, "orig_life_sec", k->lifetime_s,
		    "    orig life(sec)     : %-14u ", k->lifetime_s);
	showout_u64(o, "remaining_life_sec", left,
		    "remaining life(sec)   : %u\n", left);
	showout_u64(o, "time_to_rekey_sec", rekey,
		    "    time to rekey (sec): %u\n", rekey);
	showout_str(o, "sig_hash_algorithm", "enabled",
		    "    sig hash algorithm : %-13s ", "enabled");
	showout_u64(o, "sig_key_length", k->pubkey_len,
		    "sig key length        : %zu\n", k->pubkey_len);
	showout_u64(o, "sig_size", k->sig_key_bits / 8,
		    "    sig size           : %u\n", k->sig_key_bits / 8);
	showout_str(o, "sig_key_name", s->rekey_rsa,
		    "    sig key name       : %s\n", s->rekey_rsa);
	showout_str(o, "acknowledgement", k->ack ? "Interoperable" : "Disabled",
		    "    acknowledgement    : %s\n",
		    k->ack ? "Interoperable" : "Disabled");
	showout_end(o);
}

static void
group_show_policy(const struct ks_group *ks, const struct conf *c,
		  uint64_t now_ms, struct showout *o)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	char a[INET_ADDRSTRLEN];
	size_t n;

	if (g == NULL || g->server == NULL)
		return;
	showout_obj(o, NULL);
	showout_str(o, "group", ks->name, "For group %s ", ks->name);
	showout_str(o, "server", ip(g->server->address, a), "server %s:\n\n",
		    a);
	if (!ks->ready) {
		showout_str(o, "not_ready_reason", ks->why,
			    "  Policy not ready: %s\n", ks->why);
		showout_end(o);
		return;
	}
	n = spis(&ks->gen.cur) + (ks->gen.old.end_ms > now_ms ?
				  spis(&ks->gen.old) : 0);
	showout_u64(o, "teks", n, "  # of teks : %zu  ", n);
	showout_u64(o, "seq_num", ks->gen.kek.seq, "Seq num : %u\n",
		    ks->gen.kek.seq);
	if (ks->gen.kek.used)
		show_kek(ks, g->server, now_ms, o);
	showout_list(o, "tek_policies");
	show_teks(ks, g->server, &ks->gen.cur, now_ms, o);
	if (ks->gen.old.end_ms > now_ms)
		show_teks(ks, g->server, &ks->gen.old, now_ms, o);
	showout_end(o);
	showout_text(o, "\n");
	showout_end(o);
}

/*
 * The public entry points: every group of the key server.
 */
void
ks_show_gdoi(const struct ks *ks, const char *group, struct showout *o)
{
	for (const struct ks_group *g = ks->head; g; g = g->next) {
		if (group != NULL && strcmp(group, g->name) != 0)
			continue;
		showout_text(o, "GROUP INFORMATION\n\n");
		showout_obj(o, NULL);
		group_show(g, ks->conf, ks_clock(ks), o);
		showout_end(o);
		showout_text(o, "\n");
	}
}

/* One group of `show crypto gdoi ks [detail]` (doc/ios-cli.md §5.3). */
static void
group_show_ks(const struct ks_group *ks, const struct conf *c, bool detail,
	      struct showout *o)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	const struct conf_gdoi_server *s = g ? g->server : NULL;

	if (s == NULL)
		return;
	showout_obj(o, NULL);
	showout_str(o, "group_name", ks->name, "\nKey Server Information For "
		    "Group %s:\n    Group Name               : %s\n", ks->name,
		    ks->name);
	showout_str(o, "re_auth_on_new_crl", "Disabled",
		    "    Re-auth on new CRL       : %s\n", "Disabled");
	showout_u64(o, "group_identity", g->identity_number,
		    "    Group Identity           : %u\n", g->identity_number);
	showout_str(o, "group_type", "GDOI (ISAKMP)",
		    "    Group Type               : %s\n", "GDOI (ISAKMP)");
	showout_u64(o, "group_members", members_count(ks->members),
		    "    Group Members            : %zu\n",
		    members_count(ks->members));
	showout_str(o, "rekey_acknowledgement_cfg", "Cisco",
		    "    Rekey Acknowledgement Cfg: %s\n", "Cisco");
	show_group_flags(s, o);
	showout_text(o, "    ACL Configured:\n");
	showout_list(o, "acls");
	for (const struct conf_gdoi_sa *sa = s->sa_head; sa; sa = sa->next)
		if (sa->match_acl[0] != '\0')
			showout_str(o, NULL, sa->match_acl,
				    "        access-list %s\n", sa->match_acl);
	showout_end(o);
	if (detail && s->coop != NULL)
		show_coop(ks, s, true, o);
	else if (detail)
		showout_str(o, "redundancy", "Not configured",
			    "    Redundancy               : %s\n",
			    "Not configured");
	showout_end(o);
}

static int
show_ks(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const struct ks *ks = ctx->roles->ks;
	size_t total = 0;

	for (const struct ks_group *g = ks->head; g; g = g->next)
		total += members_count(g->members);
	showout_u64(ctx->show, "total_group_members", total,
		    "Total group members registered to this box: %zu\n",
		    total);
	showout_list(ctx->show, "groups");
	for (const struct ks_group *g = ks->head; g; g = g->next)
		group_show_ks(g, ks->conf, cmd_has(a, "detail"), ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

static int
show_members(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	uint32_t only = 0;

	if (cmd_has(a, "summary")) {
		ks_show_members_summary(ctx->roles->ks, ctx->show);
		return CMD_OK;
	}
	cmd_arg_ip4(a, "addr", &only);
	showout_list(ctx->show, "groups");
	for (const struct ks_group *g = ctx->roles->ks->head; g; g = g->next)
		group_show_members(g, only, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

static int
show_policy(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const struct ks *ks = ctx->roles->ks;

	showout_text(ctx->show, "Key Server Policy:\n");
	showout_list(ctx->show, "groups");
	for (const struct ks_group *g = ks->head; g; g = g->next)
		group_show_policy(g, ks->conf, ks_clock(ks), ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

/* conn-id of a group's KEK in the isakmp and rekey SA lists */
static unsigned
kek_conn_id(const struct ks *ks, const struct ks_group *g)
{
	unsigned id = 2000;

	for (const struct ks_group *x = ks->head; x != g; x = x->next)
		id++;
	return id;
}

/* Each rekey destination: the group address, or every member. */
static void
kek_lines(const struct ks *ks, const struct ks_group *g, const char *state,
	  struct showout *o)
{
	const struct gdoi_kek *k = &g->gen.kek.kek;

	if (!g->ready || !g->gen.kek.used)
		return;
	if (g->rc.multicast) {
		show_sa_row(o, k->dst, k->src, state, kek_conn_id(ks, g));
		return;
	}
	for (const struct member *m = members_first(g->members); m; m = m->next)
		if (m->state != MEMBER_EJECTED)
			show_sa_row(o, m->addr, m->ks_addr, state,
				    kek_conn_id(ks, g));
}

void
ks_show_isakmp(const struct ks *ks, struct showout *o)
{
	for (const struct ks_group *g = ks->head; g; g = g->next)
		kek_lines(ks, g, "GDOI_REKEY", o);
}

static void
rekey_sa_detail(const struct ks *ks, const struct ks_group *g,
		struct showout *o)
{
	const struct gdoi_kek *k = &g->gen.kek.kek;
	const char *tt = g->rc.multicast ? "Multicast" : "Unicast";
	const char *alg = k->alg == GDOI_KEK_ALG_AES ? "AES" : "3DES";
	char a[INET_ADDRSTRLEN], spi[SHOW_KEK_SPI_LEN];

	show_kek_spi(k->spi, spi);
	showout_obj(o, NULL);
	showout_str(o, "transport_type", tt,
		    "\n  KEK POLICY (transport type : %s)\n", tt);
	showout_str(o, "local_addr", ip(k->src, a),
		    "   Local addr/port : %s/848\n", a);
	if (g->rc.multicast)
		showout_str(o, "remote_addr", ip(k->dst, a),
			    "   Remote addr/port : %s/848\n", a);
	showout_str(o, "spi", spi, "    spi : %s\n", spi);
	showout_str(o, "encrypt_alg", alg, "    encrypt alg       : %s\n", alg);
	showout_u64(o, "key_size", k->key_len,
		    "    key size          : %zu\n", k->key_len);
	showout_u64(o, "orig_life_sec", k->lifetime_s,
		    "    orig life(sec)     : %u\n", k->lifetime_s);
	showout_u64(o, "sig_key_length", k->pubkey_len,
		    "    sig key length    : %zu\n", k->pubkey_len);
	showout_u64(o, "sig_size", k->sig_key_bits / 8,
		    "    sig size           : %u\n", k->sig_key_bits / 8);
	showout_str(o, "acknowledgement", k->ack ? "Interoperable" : "Disabled",
		    "    acknowledgement    : %s\n",
		    k->ack ? "Interoperable" : "Disabled");
	showout_u64(o, "conn_id", kek_conn_id(ks, g),
		    "    conn_id (IKEv1)    : %u\n", kek_conn_id(ks, g));
	showout_u64(o, "seq_num", g->gen.kek.seq,
		    "    seq num            : %-11u ", g->gen.kek.seq);
	showout_u64(o, "prev_seq_num", g->gen.old_kek.seq,
		    "prev seq num      : %u\n", g->gen.old_kek.seq);
	showout_str(o, "group_name", g->name,
		    "    Group Name         : %s\n", g->name);
	showout_end(o);
}

void
ks_show_rekey_sa(const struct ks *ks, bool detail, struct showout *o)
{
	for (const struct ks_group *g = ks->head; g; g = g->next) {
		if (!detail)
			kek_lines(ks, g, NULL, o);
		else if (g->ready && g->gen.kek.used)
			rekey_sa_detail(ks, g, o);
	}
}

const struct cmd_def ks_show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " ks [detail]",
	  "\n\n\n\nKey server\nDetailed information\n",
	  show_ks, CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto " GDOI_KW " ks members "
	  "[A.B.C.D$addr|summary]",
	  "\n\n\n\nKey server\nGroup members registered to this key server\n"
	  "Group member address\nOne line per group member\n",
	  show_members, CMD_F_SHOW | CMD_F_ROLES },
	{ MODE_EXEC, "show crypto " GDOI_KW " ks policy",
	  "\n\n\n\n\nKey server policy\n", show_policy, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
