/*
 * ike_info: Informational exchanges in the GDOI endpoint: dead peer
 * detection (RFC 3706, doc/protocol.md §3.8), Deletes of an ISAKMP SA and
 * error notifies that end a member's registration.
 */
#include "roles/ike_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/info.h"
#include "gdoi/isakmp.h"
#include "platform/evloop.h"
#include "platform/log.h"

/*
 * Dead peer detection (RFC 3706, doc/protocol.md §3.8): R-U-THERE every
 * interval, every retry seconds while unanswered, dead after
 * IKE_DPD_MISSES probes without an ACK.
 */
static void
on_dpd(void *arg)
{
	struct ike_sa *sa = arg;
	struct ike *ike = sa->ike;

	if (sa->dpd_waiting && ++sa->dpd_misses >= IKE_DPD_MISSES) {
		ike->cnt.dpd_dead++;
		log_dbg(LOG_DBG_ISAKMP, "DPD: peer %s is dead",
			LOG_IP4(sa->peer));
		ike_sa_destroy(sa);
		return;
	}
	sa->dpd_seq++;
	buf_writer_reset(&ike->out);
	if (info_dpd(sa->p1, false, sa->dpd_seq, &ike->out) == 0) {
		ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
		ike->cnt.dpd_sent++;
	}
	sa->dpd_waiting = true;
	ev_timer(ike->loop, (uint64_t)ike->dpd_retry * 1000, on_dpd, sa,
		 &sa->t_dpd);
}

void
ike_dpd_start(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	if (ike->dpd_interval == 0)
		return;
	if (sa->dpd_seq == 0)
		crypto_random(&sa->dpd_seq, sizeof(sa->dpd_seq));
	sa->dpd_waiting = false;
	ev_timer(ike->loop, (uint64_t)ike->dpd_interval * 1000, on_dpd, sa,
		 &sa->t_dpd);
}

void
ike_info_input(struct ike_sa *sa, const uint8_t *p, size_t len)
{
	struct ike *ike = sa->ike;
	struct info_msg m;

	if (info_decode(sa->p1, p, len, &m) < 0) {
		ike_bad_message(ike, sa->peer);
		return;
	}
	if (m.kind == INFO_DELETE) {
		ike->cnt.deletes_rcvd++;
		ike_sa_destroy(sa);
		return;
	}
	log_dbg(LOG_DBG_ISAKMP, "notify %u from %s", m.type,
		LOG_IP4(sa->peer));
	if (m.type == ISAKMP_N_DPD_R_U_THERE && m.has_seq) {
		buf_writer_reset(&ike->out);
		if (info_dpd(sa->p1, true, m.seq, &ike->out) == 0) {
			ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
			ike->cnt.dpd_answered++;
		}
		return;
	}
	if (m.type == ISAKMP_N_DPD_R_U_THERE_ACK) {
		if (m.has_seq && sa->dpd_waiting && m.seq == sa->dpd_seq) {
			ike->cnt.dpd_acked++;
			sa->dpd_misses = 0;
			ike_dpd_start(sa);
		}
		return;
	}
	if (sa->reg != NULL)
		ike_reg_notify(sa->reg, m.type);
}
