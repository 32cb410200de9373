/*
 * ks_gen: a key server group's key state and its lifecycle arithmetic
 * (see roles/ks_gen.h; the choices are in doc/keyserver.md).
 */
#include "roles/ks_gen.h"

#include <string.h>

#include <openssl/crypto.h>

#include "roles/ks_policy.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

uint32_t
ks_gen_tek_lead_s(uint32_t life_s)
{
	return MIN(life_s / 4 * 3, 90 + life_s / 20);
}

uint32_t
ks_gen_kek_lead_s(uint32_t life_s)
{
	return MIN(life_s / 4 * 3, MAX(200u, 90 + life_s / 20));
}

uint32_t
ks_gen_replace_s(uint32_t left_s, uint32_t life_s)
{
	return MIN(left_s, MAX(90u, MIN(life_s / 20, 3600u)));
}

void
ks_gen_init(struct ks_gen *g)
{
	memset(g, 0, sizeof(*g));
}

void
ks_gen_wipe(struct ks_gen *g)
{
	OPENSSL_cleanse(g, sizeof(*g));
	ks_gen_init(g);
}

void
ks_gen_keys_changed(struct ks_gen *g)
{
	g->epoch = gdoi_policy_epoch_next();
}

void
ks_gen_set_shape(struct ks_gen *g, const struct gdoi_policy *shape,
		 const uint16_t *sa_of_tek)
{
	g->shape = *shape;
	memcpy(g->sa_of_tek, sa_of_tek, sizeof(g->sa_of_tek));
}

static uint32_t
shortest_life(const struct ks_teks *t)
{
	uint32_t life = UINT32_MAX;

	for (size_t i = 0; i < t->ntek; i++)
		life = MIN(life, t->tek[i].lifetime_s);
	return t->ntek ? life : 0;
}

int
ks_gen_new_teks(struct ks_gen *g, uint64_t now_ms)
{
	struct gdoi_policy p = g->shape;
	struct ks_teks *c = &g->cur;

	if (ks_policy_new_tek_keys(&p, g->sa_of_tek) < 0) {
		OPENSSL_cleanse(&p, sizeof(p));
		return -1;
	}
	if (c->used && c->end_ms > now_ms)
		g->old = *c;
	else
		ks_gen_drop_old(g);
	OPENSSL_cleanse(c, sizeof(*c));
	c->used = true;
	memcpy(c->tek, p.tek, sizeof(c->tek));
	memcpy(c->sa_of_tek, g->sa_of_tek, sizeof(c->sa_of_tek));
	c->ntek = p.ntek;
	c->born_ms = now_ms;
	c->end_ms = now_ms + (uint64_t)shortest_life(c) * 1000;
	c->gen = ++g->tek_gens;
	if (g->pseudo_origin_ms == 0)
		g->pseudo_origin_ms = now_ms;
	memset(g->sid_used, 0, sizeof(g->sid_used));
	g->sid_next = 1;
	OPENSSL_cleanse(&p, sizeof(p));
	ks_gen_keys_changed(g);
	return 0;
}

void
ks_gen_cut_old(struct ks_gen *g, uint64_t now_ms)
{
	struct ks_teks *o = &g->old;
	uint64_t left;

	if (!o->used || o->end_ms <= now_ms)
		return;
	left = (o->end_ms - now_ms) / 1000;
	o->end_ms = now_ms + (uint64_t)ks_gen_replace_s((uint32_t)left,
						       shortest_life(o)) * 1000;
}

void
ks_gen_drop_old(struct ks_gen *g)
{
	OPENSSL_cleanse(&g->old, sizeof(g->old));
	ks_gen_keys_changed(g);
}

int
ks_gen_new_kek(struct ks_gen *g, uint64_t now_ms)
{
	struct ks_kekgen *k = &g->kek;

	ks_gen_drop_old_kek(g);
	if (k->used)
		g->old_kek = *k;
	OPENSSL_cleanse(k, sizeof(*k));
	ks_gen_keys_changed(g);
	if (!g->shape.has_kek)
		return 0;
	k->kek = g->shape.kek;
	if (ks_policy_new_kek_keys(&k->kek) < 0) {
		OPENSSL_cleanse(k, sizeof(*k));
		return -1;
	}
	k->used = true;
	k->born_ms = now_ms;
	k->end_ms = now_ms + (uint64_t)k->kek.lifetime_s * 1000;
	return 0;
}

void
ks_gen_drop_old_kek(struct ks_gen *g)
{
	OPENSSL_cleanse(&g->old_kek, sizeof(g->old_kek));
}

uint64_t
ks_gen_tek_rekey_ms(const struct ks_gen *g)
{
	uint32_t life = shortest_life(&g->cur);

	return g->cur.born_ms + (uint64_t)(life - ks_gen_tek_lead_s(life)) *
	       1000;
}

uint64_t
ks_gen_kek_rekey_ms(const struct ks_gen *g)
{
	uint32_t life = g->kek.kek.lifetime_s;

	if (!g->kek.used)
		return UINT64_MAX;
	return g->kek.born_ms + (uint64_t)(life - ks_gen_kek_lead_s(life)) *
	       1000;
}

static uint32_t
left_s(uint64_t end_ms, uint64_t now_ms)
{
	return end_ms > now_ms ? (uint32_t)((end_ms - now_ms + 999) / 1000) : 0;
}

/* The TEKs of set t with the time left at now_ms, appended to out. */
static void
add_teks(const struct ks_gen *g, const struct ks_teks *t, uint64_t now_ms,
	 struct gdoi_policy *out)
{
	for (size_t i = 0; i < t->ntek && out->ntek < GDOI_MAX_TEK; i++) {
		struct gdoi_tek *k = &out->tek[out->ntek++];
		uint64_t end = t->born_ms + (uint64_t)t->tek[i].lifetime_s * 1000;

		*k = t->tek[i];
		k->lifetime_s = left_s(MIN(end, t->end_ms), now_ms);
		k->pseudotime_ms = now_ms - g->pseudo_origin_ms;
	}
}

static void
base_policy(const struct ks_gen *g, uint64_t now_ms, bool with_kek,
	    struct gdoi_policy *out)
{
	memset(out, 0, sizeof(*out));
	out->group_id = g->shape.group_id;
	out->has_gap = g->shape.has_gap;
	out->atd_s = g->shape.atd_s;
	out->dtd_s = g->shape.dtd_s;
	out->sid_bits = ks_gen_sid_bits(g);
	out->sat_id_len = g->shape.sat_id_len;
	if (with_kek && g->kek.used) {
		out->has_kek = true;
		out->kek = g->kek.kek;
		out->kek.lifetime_s = left_s(g->kek.end_ms, now_ms);
	}
}

void
ks_gen_pull_policy(const struct ks_gen *g, uint64_t now_ms,
		   struct gdoi_policy *out)
{
	base_policy(g, now_ms, true, out);
	out->seq = g->kek.seq;
	if (g->old.used && g->old.end_ms > now_ms)
		add_teks(g, &g->old, now_ms, out);
	add_teks(g, &g->cur, now_ms, out);
	/* an old set past its end is left out before it is dropped */
	out->epoch = g->old.used && g->old.end_ms <= now_ms ? 0 : g->epoch;
}

void
ks_gen_push_policy(const struct ks_gen *g, uint64_t now_ms, bool with_kek,
		   struct gdoi_policy *out)
{
	base_policy(g, now_ms, with_kek, out);
	add_teks(g, &g->cur, now_ms, out);
}

unsigned
ks_gen_sid_bits(const struct ks_gen *g)
{
	const struct ks_teks *sets[] = { &g->cur, &g->old };

	if (g->shape.sid_bits != 0)
		return g->shape.sid_bits;
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; sets[s]->used && i < sets[s]->ntek; i++)
			if (gdoi_tek_is_counter_mode(&sets[s]->tek[i]))
				return KS_POLICY_SID_BITS;
	return 0;
}

static bool
sid_taken(const struct ks_gen *g, uint32_t sid)
{
	return (g->sid_used[sid / 8] >> (sid % 8)) & 1;
}

static void
sid_set(struct ks_gen *g, uint32_t sid, bool on)
{
	if (sid == 0 || sid >= KS_SID_SPACE)
		return;
	if (on)
		g->sid_used[sid / 8] |= (uint8_t)(1u << (sid % 8));
	else
		g->sid_used[sid / 8] &= (uint8_t)~(1u << (sid % 8));
}

size_t
ks_gen_grant_sids(struct ks_gen *g, size_t count, uint32_t *sids)
{
	unsigned bits = ks_gen_sid_bits(g);
	uint32_t max = bits ? (1u << bits) - 1 : 0;
	uint32_t lo = 1, hi;
	size_t n = 0;

	if (max >= KS_SID_SPACE)
		max = KS_SID_SPACE - 1;
	hi = max;
	if (g->sid_hi > g->sid_lo) {	/* a COOP slice (doc/coop.md) */
		lo = g->sid_lo > 1 ? g->sid_lo : 1;
		hi = g->sid_hi - 1 < max ? g->sid_hi - 1 : max;
	}
	if (g->sid_next < lo || g->sid_next > hi)
		g->sid_next = lo;
	for (uint32_t tries = 0; n < count && lo <= hi && tries <= hi - lo;
	     tries++) {
		uint32_t sid = g->sid_next;

		g->sid_next = sid >= hi ? lo : sid + 1;
		if (sid_taken(g, sid))
			continue;
		sid_set(g, sid, true);
		sids[n++] = sid;
	}
	return n;
}

void
ks_gen_hold_sids(struct ks_gen *g, const uint32_t *sids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sid_set(g, sids[i], true);
}

void
ks_gen_free_sids(struct ks_gen *g, const uint32_t *sids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sid_set(g, sids[i], false);
}
