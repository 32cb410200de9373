/*
 * ks_gen: the key state of one key server group (doc/design.md §5.1), the
 * one record registrations read, rekeys are built from and (later) COOP
 * and restarts share: the current KEK with its SEQ, the KEK it replaced
 * (kept while ACKs of the rollover may arrive), the current TEK set with
 * its sender-ID space, the TEK set it replaced (alive until its end), and
 * the pseudotime origin.  Pure: time is passed in, no timers, no I/O.
 *
 * Timing decisions (doc/keyserver.md):
 *   TEK rekey   at end - MIN(3/4 life, 90 s + 5 % life)
 *   KEK rollover at end - MIN(3/4 life, MAX(200 s, 90 s + 5 % life))
 *   replace     old TEKs cut to MIN(left, MAX(90 s, MIN(5 % life, 3600 s)))
 */
#ifndef ROLES_KS_GEN_H
#define ROLES_KS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/policy.h"

#define KS_SID_SPACE (1u << 16)

/* One TEK generation: the SATs of every `sa ipsec` with their keys. */
struct ks_teks {
	bool used;
	struct gdoi_tek tek[GDOI_MAX_TEK];	/* lifetime_s: configured */
	uint16_t sa_of_tek[GDOI_MAX_TEK];
	size_t ntek;
	uint64_t born_ms;
	uint64_t end_ms;		/* when the shortest of them ends */
	uint32_t gen;			/* 1, 2, ... */
};

struct ks_kekgen {
	bool used;
	struct gdoi_kek kek;		/* lifetime_s: configured */
	uint64_t born_ms, end_ms;
	uint32_t seq;			/* last SEQ sent under it (0: none) */
};

struct ks_gen {
	struct gdoi_policy shape;	/* the config's policy, no keys */
	uint16_t sa_of_tek[GDOI_MAX_TEK];
	struct ks_teks cur, old;
	struct ks_kekgen kek, old_kek;
	uint64_t pseudo_origin_ms;
	uint32_t tek_gens;		/* TEK generations made */
	uint8_t sid_used[KS_SID_SPACE / 8];	/* of cur's SID space */
	uint32_t sid_next;
	uint32_t sid_lo, sid_hi;	/* grant only from [lo, hi) (COOP); 0, 0: all */
	uint64_t epoch;			/* of the keys above (gdoi_policy.epoch) */
};

/* Lead of the TEK / KEK rekey before the end of a life of life_s. */
uint32_t ks_gen_tek_lead_s(uint32_t life_s);
uint32_t ks_gen_kek_lead_s(uint32_t life_s);
/* What is left of a replaced SA (IOS's policy trigger, left_s remaining
 * of a life of life_s). */
uint32_t ks_gen_replace_s(uint32_t left_s, uint32_t life_s);

void ks_gen_init(struct ks_gen *g);
/* Forget every key (wiped). */
void ks_gen_wipe(struct ks_gen *g);

/*
 * The keys or SPIs a registration receives changed: a new epoch, so that
 * message 4's cached key packets (policy_codec_keys_put) are not reused.
 * Every function here that changes them calls it; so must whoever
 * changes cur, old or kek from outside (a COOP secondary adopting the
 * primary's keys).
 */
void ks_gen_keys_changed(struct ks_gen *g);

/* Take a new shape (keys not touched). */
void ks_gen_set_shape(struct ks_gen *g, const struct gdoi_policy *shape,
		      const uint16_t *sa_of_tek);
/* New TEKs from the shape: the current set becomes the old one (when it
 * is still alive), the SID space starts afresh.  -1: no random bytes. */
int ks_gen_new_teks(struct ks_gen *g, uint64_t now_ms);
/* Shorten the old TEK set as a policy replacement does. */
void ks_gen_cut_old(struct ks_gen *g, uint64_t now_ms);
/* Drop the old TEK set (its end passed, or the policy is gone). */
void ks_gen_drop_old(struct ks_gen *g);
/* New KEK from the shape; the current one is kept as old_kek. */
int ks_gen_new_kek(struct ks_gen *g, uint64_t now_ms);
void ks_gen_drop_old_kek(struct ks_gen *g);

/* When the current TEKs / KEK are due to be replaced. */
uint64_t ks_gen_tek_rekey_ms(const struct ks_gen *g);
uint64_t ks_gen_kek_rekey_ms(const struct ks_gen *g);

/* The policy a registering member receives at now_ms: the KEK and the
 * live TEK sets (old first, then current) with the time they have left,
 * SEQ of the current KEK, pseudotime, and the epoch of those keys (0,
 * not cached, while an old set has ended but is not dropped yet). */
void ks_gen_pull_policy(const struct ks_gen *g, uint64_t now_ms,
			struct gdoi_policy *out);
/* The SA of a rekey: the current TEKs (time left), the GAP, and with
 * with_kek the current KEK (a rollover).  No SIDs. */
void ks_gen_push_policy(const struct ks_gen *g, uint64_t now_ms, bool with_kek,
			struct gdoi_policy *out);

/* The SID width registrations get: the shape's, or while TEKs of a
 * counter mode are still handed out (a policy moved away from GCM and
 * the replaced set lives on) the width they were made with. */
unsigned ks_gen_sid_bits(const struct ks_gen *g);
/* Sender IDs of the current SID space. */
size_t ks_gen_grant_sids(struct ks_gen *g, size_t count, uint32_t *sids);
/* A member keeps / gives back SIDs (they stay taken / become free). */
void ks_gen_hold_sids(struct ks_gen *g, const uint32_t *sids, size_t n);
void ks_gen_free_sids(struct ks_gen *g, const uint32_t *sids, size_t n);

#endif
