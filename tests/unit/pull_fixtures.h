/*
 * pull_fixtures: shared by check_policy_codec.c and check_pull.c.
 *
 *   tcase_add_checked_fixture(tc, tp_p1_setup, tp_p1_teardown);
 *   // tp_p1_gm / tp_p1_ks: an established Main Mode SA pair (PSK)
 *   tp_pol_gcm(&policy);            // one of the tp_cases[] policies
 *   tp_assert_policy_eq(&a, &b);    // every field the wire carries
 */
#ifndef TESTS_PULL_FIXTURES_H
#define TESTS_PULL_FIXTURES_H

#include <stdbool.h>
#include <stdint.h>

#include "gdoi/policy.h"
#include "gdoi/phase1.h"

#define TP_GM_ADDR 0x0a000002
#define TP_KS_ADDR 0x0a000001

extern struct p1_sa *tp_p1_gm, *tp_p1_ks;

/* Main Mode in memory (AES-256 / SHA2-256 / group 19, PSK). */
void tp_p1_setup(void);
void tp_p1_teardown(void);

/* One TEK: 10.1.x.0/24 -> 10.2.x.0/24, keys sized for the transform. */
void tp_tek(struct gdoi_tek *t, uint32_t spi, enum gdoi_esp_transform tr,
	    unsigned bits, enum gdoi_auth_alg auth, uint8_t x);

/* Policies for group 1234, one per profile (see pull_fixtures.c). */
void tp_pol_cbc(struct gdoi_policy *p);
void tp_pol_gcm(struct gdoi_policy *p);
void tp_pol_deny(struct gdoi_policy *p);
void tp_pol_tbar(struct gdoi_policy *p);
void tp_pol_ro(struct gdoi_policy *p);
void tp_pol_nokek(struct gdoi_policy *p);

struct tp_case {
	const char *name;
	void (*make)(struct gdoi_policy *p);
	bool counter;		/* has counter-mode TEKs: SIDs are granted */
};

extern const struct tp_case tp_cases[];
extern const int tp_ncases;

void tp_assert_policy_eq(const struct gdoi_policy *a,
			 const struct gdoi_policy *b);

#endif
