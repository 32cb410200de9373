/*
 * ike_reg: a group member's registration (see roles/ike.h): Phase 1 to
 * the key server (or an established SA reused), then GROUPKEY-PULL,
 * retransmitting each request at 2, 4, 8 s, with an overall deadline.
 * The caller's done() runs exactly once; it may start a new registration
 * from inside the callback.  A registration that fails ends its Phase 1
 * SA (with a Delete): the key server may have refused or forgotten it
 * (a restart), and it answers a bounded number of pulls per SA, so the
 * next attempt must not pull on it again.
 */
#include "roles/ike_int.h"

#include <stdlib.h>
#include <string.h>

#include "gdoi/dh.h"
#include "gdoi/isakmp.h"
#include "platform/evloop.h"
#include "platform/log.h"

#define IKE_REG_DEADLINE_MS 30000

static void
reg_free(struct ike_reg *reg)
{
	ev_timer_cancel(&reg->t_rtx);
	ev_timer_cancel(&reg->t_deadline);
	pull_gm_free(&reg->pg);
	if (reg->policy != NULL) {
		gdoi_policy_wipe(reg->policy);
		free(reg->policy);
	}
	free(reg);
}

void
ike_reg_finish(struct ike_reg *reg, int rc, const char *why)
{
	void (*done)(void *, int, const char *, const struct gdoi_policy *) =
		reg->done;
	void *arg = reg->arg;

	if (reg->sa != NULL) {
		reg->sa->reg = NULL;
		if (rc == 0)
			ike_sa_linger(reg->sa, IKE_GM_LINGER_MS);
		else
			ike_sa_delete(reg->sa);	/* the next try: fresh Phase 1 */
	}
	reg->sa = NULL;
	if (reg->owner != NULL)
		*reg->owner = NULL;
	reg->owner = NULL;
	if (rc == 0)
		reg->ike->cnt.pull_done++;
	else
		reg->ike->cnt.pull_failed++;
	ev_timer_cancel(&reg->t_rtx);
	ev_timer_cancel(&reg->t_deadline);
	done(arg, rc, why, rc == 0 ? reg->policy : NULL);
	reg_free(reg);
}

static void
on_deadline(void *arg)
{
	ike_reg_finish(arg, -1, "no answer from the key server");
}

static void
on_pull_rtx(void *arg)
{
	struct ike_reg *reg = arg;
	const uint8_t *last;
	size_t len;

	if (reg->rtx >= IKE_RETRANSMITS) {
		ike_reg_finish(reg, -1, "no GROUPKEY-PULL answer");
		return;
	}
	reg->rtx++;
	reg->ike->cnt.retransmits++;
	last = pull_gm_last_sent(&reg->pg, &len);
	ike_send(reg->ike, reg->sa, last, len);
	ev_timer(reg->ike->loop, ike_rtx_ms(reg->rtx), on_pull_rtx, reg,
		 &reg->t_rtx);
}

static void
start_pull(struct ike_reg *reg)
{
	struct ike *ike = reg->ike;
	enum pull_err e;

	buf_writer_reset(&ike->out);
	e = pull_gm_start(&reg->pg, reg->sa->p1, reg->id, &ike->out);
	if (e != PULL_OK) {
		ike_reg_finish(reg, -1, pull_err_name(e));
		return;
	}
	reg->pulling = true;
	reg->rtx = 0;
	ike_send(ike, reg->sa, buf_data(&ike->out), buf_len(&ike->out));
	ev_timer(ike->loop, ike_rtx_ms(0), on_pull_rtx, reg, &reg->t_rtx);
}

void
ike_reg_p1_done(struct ike_reg *reg, bool ok, const char *why)
{
	if (!ok) {
		reg->sa->reg = NULL;
		reg->sa = NULL;
		ike_reg_finish(reg, -1, why ? why : "ISAKMP negotiation failed");
		return;
	}
	start_pull(reg);
}

void
ike_reg_p1_restart(struct ike_reg *reg, struct dh *dh)
{
	struct ike_sa *sa;

	reg->sa = NULL;
	if (reg->p1_restarts++ == IKE_REG_P1_RESTARTS) {
		dh_free(dh);
		ike_reg_finish(reg, -1, "the key server refused our cookie "
			       "again and again (INVALID-COOKIE)");
		return;
	}
	sa = ike_sa_initiate(reg->ike, reg->local, reg->ks);
	if (sa == NULL) {
		dh_free(dh);
		ike_reg_finish(reg, -1, "cannot start Phase 1 again");
		return;
	}
	if (dh != NULL)
		p1_sa_reuse_dh(sa->p1, dh);
	reg->sa = sa;
	sa->reg = reg;
}

void
ike_reg_pull_input(struct ike_reg *reg, const uint8_t *p, size_t len)
{
	struct ike *ike;
	enum pull_err e;

	if (reg == NULL || !reg->pulling)
		return;
	ike = reg->ike;
	/* 15 KB, so made when the key server answers the pull, not for
	 * every member still waiting for Phase 1 (a storm of them) */
	if (reg->policy == NULL &&
	    (reg->policy = calloc(1, sizeof(*reg->policy))) == NULL) {
		ike_reg_finish(reg, -1, "out of memory");
		return;
	}
	buf_writer_reset(&ike->out);
	e = pull_gm_process(&reg->pg, reg->sa->p1, p, len, 1, &ike->out,
			    reg->policy);
	if (e == PULL_OK && reg->pg.state == PULL_GM_DONE) {
		ike_reg_finish(reg, 0, NULL);
		return;
	}
	if (e == PULL_OK || e == PULL_RESEND) {
		ike_send(ike, reg->sa, buf_data(&ike->out), buf_len(&ike->out));
		reg->rtx = 0;
		ev_timer(ike->loop, ike_rtx_ms(0), on_pull_rtx, reg,
			 &reg->t_rtx);
		return;
	}
	if (e == PULL_ERR_BAD_HASH)
		ike->cnt.rx_bad_hash++;
	log_dbg(LOG_DBG_GDOI_GM, "GROUPKEY-PULL: %s", pull_err_name(e));
	if (e == PULL_ERR_BAD_POLICY || e == PULL_ERR_INTERNAL)
		ike_reg_finish(reg, -1, pull_err_name(e));
	/* anything else: junk or a stray copy, the exchange goes on */
}

void
ike_reg_notify(struct ike_reg *reg, uint16_t type)
{
	const char *why = type == ISAKMP_N_INVALID_ID_INFORMATION
		? "the key server refused the group (INVALID-ID-INFORMATION)"
		: type == ISAKMP_N_INVALID_HASH_INFORMATION
		? "the key server refused a hash (INVALID-HASH-INFORMATION)"
		: "the key server sent an error notify";

	ike_reg_finish(reg, -1, why);
}

int
ike_register(struct ike *ike, uint32_t local, uint32_t ks, uint32_t id,
	     void (*done)(void *arg, int rc, const char *why,
			  const struct gdoi_policy *p),
	     void *arg, struct ike_reg **h)
{
	struct ike_reg *reg = calloc(1, sizeof(*reg));
	struct ike_sa *sa;

	*h = NULL;
	if (reg == NULL)
		return -1;
	reg->ike = ike;
	reg->local = local;
	reg->ks = ks;
	reg->id = id;
	reg->done = done;
	reg->arg = arg;
	pull_gm_init(&reg->pg);
	sa = ike_sa_find_established(ike, local, ks);
	if (sa == NULL)
		sa = ike_sa_initiate(ike, local, ks);
	if (sa == NULL) {
		reg_free(reg);
		return -1;
	}
	reg->sa = sa;
	sa->reg = reg;
	reg->owner = h;
	*h = reg;
	ev_timer(ike->loop, IKE_REG_DEADLINE_MS, on_deadline, reg,
		 &reg->t_deadline);
	if (sa->established)
		start_pull(reg);
	return 0;
}

void
ike_register_cancel(struct ike_reg **h)
{
	struct ike_reg *reg = *h;

	if (reg == NULL)
		return;
	if (reg->sa != NULL)
		reg->sa->reg = NULL;
	*h = NULL;
	reg_free(reg);
}
