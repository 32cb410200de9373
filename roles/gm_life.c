/*
 * gm_life: how long what a member installed has left (roles/gm_int.h).
 * The policy's lifetimes count from gm->installed_ms; rebasing counts
 * them, and the TEKs' pseudotime, from now.
 */
#include "roles/gm_int.h"

#include "platform/evloop.h"

uint32_t
gm_left(const struct gm_group *gm, uint32_t life, uint64_t since_ms)
{
	uint64_t now = ev_now(gm->loop);
	uint64_t gone = now > since_ms ? (now - since_ms) / 1000 : 0;

	return gone >= life ? 0 : life - (uint32_t)gone;
}

void
gm_rebase(struct gm_group *gm)
{
	struct gdoi_policy *p = &gm->policy;
	uint64_t now = ev_now(gm->loop);
	uint32_t gone;

	if (now <= gm->installed_ms)
		return;
	gone = (uint32_t)((now - gm->installed_ms) / 1000);
	for (size_t i = 0; i < p->ntek; i++) {
		p->tek[i].lifetime_s = gm_left(gm, p->tek[i].lifetime_s,
					       gm->installed_ms);
		p->tek[i].pseudotime_ms += (uint64_t)gone * 1000;
	}
	if (p->has_kek)
		p->kek.lifetime_s = gm_left(gm, p->kek.lifetime_s,
					    gm->installed_ms);
	gm->installed_ms += (uint64_t)gone * 1000;
}
