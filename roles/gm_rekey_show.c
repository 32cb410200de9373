/*
 * gm_rekey_show: what a group member prints about rekeys, in the IOS-XE
 * layouts of doc/ios-cli.md §5.2, §5.8, §5.12 and §5.14: the counters of
 * `show crypto gdoi`, `show crypto gdoi gm rekey [detail]`, `show crypto
 * gdoi rekey sa [detail]` and the GDOI_REKEY rows of `show crypto isakmp
 * sa` (dst the member, src the key server).
 */
#include "roles/gm_rekey.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "gdoi/rsakey.h"
#include "platform/evloop.h"
#include "platform/showout.h"
#include "roles/gm_int.h"
#include "roles/show.h"

/* conn-ids of KEK SAs, apart from the Phase 1 SAs' (1000 on) */
#define GM_KEK_CONN_ID 2000

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static bool
multicast(const struct gm_group *gm)
{
	return gm->has_policy && gm->policy.has_kek &&
	       (ntohl(gm->policy.kek.dst) >> 28) == 0xe;
}

const char *
gm_rekey_transport(const struct gm_group *gm)
{
	return multicast(gm) ? "Multicast" : "Unicast";
}

/* Where rekeys arrive: the group address, or the member's own. */
static uint32_t
kek_dst(const struct gm_group *gm, const struct gdoi_kek *k)
{
	return (ntohl(k->dst) >> 28) == 0xe ? k->dst : gm->local;
}

/* The rekey lines of the member block (doc/ios-cli.md §5.2(a), §5.7). */
void
gm_rekey_show_member(const struct gm_group *gm, struct showout *o)
{
	const struct gm_rekey *rk = gm->rk;
	char a[INET_ADDRSTRLEN], hms[32];
	uint64_t ago = rk->last_ms ? (ev_now(gm->loop) - rk->last_ms) / 1000
				   : 0;

	showout_str(o, "last_rekey_from", ip(rk->last_from, a),
		    "       Last rekey from       : %s\n", a);
	showout_u64(o, "last_rekey_seq_num", rk->last_seq,
		    "       Last rekey seq num    : %u\n", rk->last_seq);
	if (multicast(gm)) {
		showout_u64(o, "multicast_rekey_rcvd", rk->total,
			    "       Multicast rekey rcvd  : %lu\n", rk->total);
	} else {
		showout_u64(o, "unicast_rekey_received", rk->total,
			    "       Unicast rekey received: %lu\n", rk->total);
		showout_u64(o, "rekey_acks_sent", rk->acks,
			    "       Rekey ACKs sent       : %lu\n", rk->acks);
	}
	snprintf(hms, sizeof(hms), "%02llu:%02llu:%02llu",
		 (unsigned long long)(ago / 3600),
		 (unsigned long long)(ago / 60 % 60),
		 (unsigned long long)(ago % 60));
	showout_str(o, "rekey_rcvd", hms, "       Rekey Rcvd(hh:mm:ss)  : %s\n",
		    hms);
}

void
gm_rekey_show_cumulative(const struct gm_group *gm, struct showout *o)
{
	const struct gm_rekey *rk = gm->rk;

	showout_obj(o, "rekeys_cumulative");
	showout_u64(o, "total_received", rk->total, "    Rekeys cumulative\n"
		    "       Total received        : %lu\n", rk->total);
	showout_u64(o, "after_latest_register", rk->since_reg,
		    "       After latest register : %lu\n", rk->since_reg);
	showout_u64(o, "rekey_acks_sent", rk->acks,
		    "       Rekey Acks sents      : %lu\n\n", rk->acks);
	showout_end(o);
}

static void
cookie(const uint8_t *p, char *out)
{
	snprintf(out, 9, "%02X%02X%02X%02X", p[0], p[1], p[2], p[3]);
}

static void
kek_row(const struct gm_group *gm, const char *label, const char *key,
	size_t i, struct showout *o)
{
	const struct push_rx_kek *k = &gm->rk->rx.kek[i];
	char d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], my[9], his[9];

	if (!k->used) {
		showout_text(o, "%-8s: ---             ---               ---    "
			     "---        ---\n", label);
		return;
	}
	cookie(k->kek.spi + 8, my);
	cookie(k->kek.spi, his);
	showout_obj(o, key);
	showout_str(o, "dst", ip(kek_dst(gm, &k->kek), d), "%-8s: %-15s ",
		    label, d);
	showout_str(o, "src", ip(k->kek.src, s), "%-15s ", s);
	showout_u64(o, "conn_id", GM_KEK_CONN_ID + i, "%6zu   ",
		    GM_KEK_CONN_ID + i);
	showout_str(o, "my_cookie", my, "%-8s   ", my);
	showout_str(o, "his_cookie", his, "%s\n", his);
	showout_end(o);
}

static void
drop_reason(struct showout *o, const char *why, unsigned long n)
{
	showout_obj(o, NULL);
	showout_str(o, "reason", why, "    %-44s : ", why);
	showout_u64(o, "count", n, "%lu\n", n);
	showout_end(o);
}

/* Not in IOS: why rekeys were refused (each also logged, rate limited). */
static void
show_drops(const struct gm_rekey *rk, struct showout *o)
{
	unsigned long n = rk->drop_source;

	for (int e = 0; e < PUSH_ERR_COUNT; e++)
		n += rk->drop[e];
	showout_obj(o, "rekeys_dropped");
	showout_u64(o, "total", n, "Rekeys dropped                           "
		    "        : %lu\n", n);
	showout_list(o, "reasons");
	if (rk->drop_source)
		drop_reason(o, "not from a key server of the group",
			    rk->drop_source);
	for (int e = 1; e < PUSH_ERR_COUNT; e++)
		if (rk->drop[e])
			drop_reason(o, push_err_name((enum push_err)e),
				    rk->drop[e]);
	showout_end(o);
	showout_end(o);
	showout_u64(o, "rekeys_missed", rk->missed, "Rekeys missed "
		    "(re-registered)                    : %lu\n", rk->missed);
}

static void
group_show_rekey(const struct gm_group *gm, bool detail, struct showout *o)
{
	const struct gm_rekey *rk = gm->rk;
	const char *tt = gm_rekey_transport(gm);

	showout_obj(o, NULL);
	showout_str(o, "group", gm->name, "Group %s ", gm->name);
	showout_str(o, "transport", tt, "(%s)\n", tt);
	showout_u64(o, "rekeys_received", rk->total, "    Number of Rekeys "
		    "received (cumulative)       : %lu\n", rk->total);
	showout_u64(o, "rekeys_received_after_registration", rk->since_reg,
		    "    Number of Rekeys received after registration : %lu\n",
		    rk->since_reg);
	showout_u64(o, "rekey_acks_sent", rk->acks, "    Number of Rekey Acks "
		    "sent                    : %lu\n\n", rk->acks);
	if (detail) {
		showout_text(o, "Rekey (KEK) SA information :\n"
			     "          dst             src             conn-id"
			     "  my-cookie  his-cookie\n"
			     "New     : ---             ---               ---    "
			     "---        ---\n");
		kek_row(gm, "Current", "current_kek", 0, o);
		kek_row(gm, "Previous", "previous_kek", 1, o);
		showout_text(o, "\n");
		show_drops(rk, o);
		showout_text(o, "\n");
	}
	showout_end(o);
}

static int
show_gm_rekey(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_list(ctx->show, "groups");
	for (const struct gm_group *gm = ctx->roles->gm; gm; gm = gm->next)
		group_show_rekey(gm, cmd_has(a, "detail"), ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

static void
kek_detail(const struct gm_group *gm, size_t i, struct showout *o)
{
	const struct push_rx_kek *k = &gm->rk->rx.kek[i];
	const struct gdoi_kek *e = &k->kek;
	const char *tt = (ntohl(e->dst) >> 28) == 0xe ? "Multicast" : "Unicast";
	const char *alg = e->alg == GDOI_KEK_ALG_AES ? "AES" : "3DES";
	size_t sig = k->pub ? rsakey_sig_len(k->pub) : 0;
	uint32_t prev = i == 0 && gm->rk->rx.kek[1].used
		? gm->rk->rx.kek[1].last_seq : 0;
	char a[INET_ADDRSTRLEN], spi[SHOW_KEK_SPI_LEN];

	show_kek_spi(e->spi, spi);
	showout_obj(o, NULL);
	showout_str(o, "transport_type", tt,
		    "  KEK POLICY (transport type : %s)\n", tt);
	showout_str(o, "local_addr", ip(kek_dst(gm, e), a),
		    "   Local addr/port : %s/", a);
	showout_u64(o, "local_port", e->dst_port ? e->dst_port : 848, "%u\n",
		    e->dst_port ? e->dst_port : 848);
	showout_str(o, "remote_addr", ip(e->src, a),
		    "   Remote addr/port : %s/", a);
	showout_u64(o, "remote_port", e->src_port ? e->src_port : 848, "%u\n",
		    e->src_port ? e->src_port : 848);
	showout_str(o, "spi", spi, "    spi : %s\n", spi);
	showout_str(o, "management_alg", "disabled",
		    "    management alg     : %-12s ", "disabled");
	showout_str(o, "encrypt_alg", alg, "encrypt alg       : %-10s\n", alg);
	showout_u64(o, "crypto_iv_length", e->iv_len,
		    "    crypto iv length   : %-12zu ", e->iv_len);
	showout_u64(o, "key_size", e->key_len, "key size          : %-8zu\n",
		    e->key_len);
	showout_u64(o, "orig_life_sec", e->lifetime_s,
		    "    orig life(sec)     : %-10u\n", e->lifetime_s);
	showout_str(o, "sig_hash_algorithm", "enabled",
		    "    sig hash algorithm : %-12s ", "enabled");
	showout_u64(o, "sig_key_length", e->pubkey_len,
		    "sig key length    : %-8zu\n", e->pubkey_len);
	showout_u64(o, "sig_size", sig, "    sig size           : %zu\n", sig);
	showout_str(o, "acknowledgement", e->ack ? "Interoperable" : "None",
		    "    acknowledgement    : %s\n",
		    e->ack ? "Interoperable" : "None");
	showout_u64(o, "conn_id", GM_KEK_CONN_ID + i,
		    "    conn_id (IKEv1)    : %zu\n", GM_KEK_CONN_ID + i);
	showout_u64(o, "seq_num", k->last_seq,
		    "    seq num            : %-12u ", k->last_seq);
	showout_u64(o, "prev_seq_num", prev, "prev seq num      : %-8u\n", prev);
	showout_u64(o, "handle", GM_KEK_CONN_ID + i,
		    "    handle             : %-10zu\n", GM_KEK_CONN_ID + i);
	showout_str(o, "interface", gm->ifname,
		    "    Interface          : %s\n", gm->ifname);
	showout_str(o, "group_name", gm->name,
		    "    Group Name         : %-20s\n\n", gm->name);
	showout_end(o);
}

void
gm_group_show_rekey_sa(const struct gm_group *gm, bool detail,
		       struct showout *o)
{
	const struct push_rx *rx = &gm->rk->rx;
	size_t n = 0;

	for (size_t i = 0; i < PUSH_RX_KEKS; i++)
		n += rx->kek[i].used;
	if (detail) {
		showout_obj(o, NULL);
		showout_u64(o, "num_active", n, "KEK SA DB STATS:\n    "
			    "num_active = %zu\n\n", n);
		showout_list(o, "kek_sas");
	}
	for (size_t i = 0; i < PUSH_RX_KEKS; i++) {
		if (!rx->kek[i].used)
			continue;
		if (detail)
			kek_detail(gm, i, o);
		else
			show_sa_row(o, kek_dst(gm, &rx->kek[i].kek),
				    rx->kek[i].kek.src, NULL,
				    (unsigned)(GM_KEK_CONN_ID + i));
	}
	if (detail) {
		showout_end(o);
		showout_end(o);
	}
}

void
gm_group_show_isakmp(const struct gm_group *gm, struct showout *o)
{
	const struct push_rx *rx = &gm->rk->rx;

	for (size_t i = 0; i < PUSH_RX_KEKS; i++)
		if (rx->kek[i].used)
			show_sa_row(o, kek_dst(gm, &rx->kek[i].kek),
				    rx->kek[i].kek.src, "GDOI_REKEY",
				    (unsigned)(GM_KEK_CONN_ID + i));
}

const struct cmd_def gm_rekey_show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " gm rekey [detail]",
	  "\n\n\n\nGroup member\nRekeys received and the rekey (KEK) SAs\n"
	  "The KEK SAs too\n", show_gm_rekey, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
