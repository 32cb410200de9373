/*
 * gm_int: what the group member's files share (gm.c: registration and
 * timers; gm_install.c: the data plane; gm_rekey.c: GROUPKEY-PUSH;
 * gm_show.c, gm_rekey_show.c: show commands).  Not for use outside
 * roles/gm*.c.
 */
#ifndef ROLES_GM_INT_H
#define ROLES_GM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "roles/gm.h"

/* gm.c */
/* Register now, to gm->servers[gm->server_idx]. */
void gm_start(struct gm_group *gm);
/* Remove the policy and every SA of the group (fail-close applies). */
void gm_uninstall(struct gm_group *gm);
/* (Re)arm the expiry and re-registration timers from the policy. */
void gm_arm_timers(struct gm_group *gm);
/* Count gm->policy's lifetimes from now (installed_ms = now). */
void gm_rebase(struct gm_group *gm);
/* Seconds left of life counted from since_ms. */
uint32_t gm_left(const struct gm_group *gm, uint32_t life, uint64_t since_ms);

/* gm_install.c */
/* Without a policy: fail-close pass list and drop, or nothing. */
void gm_install_closed(struct gm_group *gm);
/* Policies (local deny first) and SAs of gm->policy, both directions. */
void gm_install(struct gm_group *gm);
/* Only the policies, pointing at gm->policy's SPIs. */
void gm_install_policies(struct gm_group *gm);
/* The SA of TEK t in direction dir; t's lifetime and pseudotime count
 * from since_ms.  Outbound is skipped for receive-only TEKs unless
 * passive. */
void gm_sa_add(struct gm_group *gm, const struct gdoi_tek *t,
	       enum ipsec_dir dir, uint64_t since_ms);
/* Both directions of spi. */
void gm_sa_remove(struct gm_group *gm, uint32_t spi);

#endif
