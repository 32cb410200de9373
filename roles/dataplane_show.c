/*
 * dataplane_show: `show crypto gdoi gm dataplane counters` (doc/ios-cli.md
 * §5.9): the IOS counters the userspace data plane keeps, then ours by
 * path and by ESP drop reason.
 */
#include "ipsec/ipsec.h"
#include "ipsec/user.h"
#include "platform/showout.h"
#include "roles/gm.h"
#include "roles/show.h"

/* Two counters on one line, IOS columns: send side, receive side. */
static void
pair(struct showout *o, const char *k1, const char *l1, uint64_t v1,
     const char *k2, const char *l2, uint64_t v2)
{
	showout_u64(o, k1, v1, "    %-25s: %-10llu ", l1, (unsigned long long)v1);
	showout_u64(o, k2, v2, "%-25s: %llu\n", l2, (unsigned long long)v2);
}

static void
ios_counters(const struct ipsec_user_stats *st, struct showout *o)
{
	const uint64_t *c = st->ctr;

	pair(o, "pkts_encrypt", "#pkts encrypt", c[IPSEC_USER_ENCAP],
	     "pkts_decrypt", "#pkts decrypt", c[IPSEC_USER_DECAP]);
	pair(o, "pkts_tagged_send", "#pkts tagged (send)", 0,
	     "pkts_untagged_rcv", "#pkts untagged (rcv)", 0);
	pair(o, "pkts_no_sa_send", "#pkts no sa (send)",
	     c[IPSEC_USER_DROP_NO_SA], "pkts_invalid_sa_rcv",
	     "#pkts invalid sa (rcv)", c[IPSEC_USER_DROP_UNKNOWN_SPI]);
	pair(o, "pkts_encaps_fail_send", "#pkts encaps fail (send)",
	     c[IPSEC_USER_DROP_ENCAP], "pkts_decap_fail_rcv",
	     "#pkts decap fail (rcv)", c[IPSEC_USER_DROP_DECAP]);
	pair(o, "pkts_invalid_prot_rcv", "#pkts invalid prot (rcv)",
	     c[IPSEC_USER_DROP_MALFORMED], "pkts_verify_fail_rcv",
	     "#pkts verify fail (rcv)", st->esp_drop[ESP_DROP_AUTH]);
	pair(o, "pkts_not_tagged_send", "#pkts not tagged (send)", 0,
	     "pkts_not_untagged_rcv", "#pkts not untagged (rcv)", 0);
	pair(o, "pkts_internal_err_send", "#pkts internal err (send)",
	     c[IPSEC_USER_DROP_WRITE], "pkts_internal_err_rcv",
	     "#pkts internal err (rcv)", 0);
}

static void
own_counters(const struct ipsec_user_stats *st, struct showout *o)
{
	showout_text(o, "\nPackets by path:\n");
	showout_obj(o, "packets_by_path");
	for (int i = 0; i < IPSEC_USER_CTR_COUNT; i++) {
		const char *n = ipsec_user_ctr_name((enum ipsec_user_ctr)i);

		showout_u64(o, n, st->ctr[i], "    %-28s: %llu\n", n,
			    (unsigned long long)st->ctr[i]);
	}
	showout_end(o);
	showout_text(o, "\nESP drops by reason:\n");
	showout_obj(o, "esp_drops_by_reason");
	for (int i = 1; i < ESP_DROP_COUNT; i++) {
		const char *n = esp_drop_name((enum esp_drop)i);

		showout_u64(o, n, st->esp_drop[i], "    %-28s: %llu\n", n,
			    (unsigned long long)st->esp_drop[i]);
	}
	showout_end(o);
}

static int
show_dataplane(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const struct ipsec_ctx *x = ctx->roles->ipsec;
	struct ipsec_user_stats st;

	if (x->be != &ipsec_user_backend ||
	    ipsec_user_stats(x, &st) < 0)
		return cmd_error(ctx, "The %s data plane keeps no counters "
				 "(start getvpn with -B user)",
				 x->be ? x->be->name : "no");
	showout_list(ctx->show, "groups");
	for (const struct gm_group *gm = ctx->roles->gm; gm;
	     gm = gm_group_next(gm))
		showout_str(ctx->show, NULL, gm_group_name(gm), "\nData-plane "
			    "statistics for group %s:\n", gm_group_name(gm));
	showout_end(ctx->show);
	ios_counters(&st, ctx->show);
	own_counters(&st, ctx->show);
	return CMD_OK;
}

const struct cmd_def dataplane_show_cmds[] = {
	{ MODE_EXEC, "show crypto " GDOI_KW " gm dataplane counters",
	  "\n\n\n\n\nData plane information\nData plane counters\n",
	  show_dataplane, CMD_F_SHOW | CMD_F_ROLES },
	{ .spec = NULL },
};
