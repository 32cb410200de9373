/*
 * ks_coop_state: the key state a COOP primary hands its secondaries and
 * what a secondary does with it (doc/coop.md "State").  The state is the
 * policy a registering member would get at that moment (GDOI SA, SEQ and
 * KD payloads, RFC 6407 §5), sealed under the group's rekey key pair; a
 * secondary installs its KEK and TEKs with the lifetimes left, so its
 * registrations hand out the primary's keys and a takeover continues the
 * lineage.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/coop_seal.h"
#include "gdoi/isakmp.h"
#include "gdoi/policy.h"
#include "gdoi/policy_codec.h"
#include "platform/log.h"
#include "platform/secmem.h"
#include "roles/ks_int.h"

/* The state as payloads: SA, then SEQ and KD (GROUPKEY-PULL message 4). */
static int
state_encode(struct ks_group *g, struct buf_writer *w)
{
	struct gdoi_policy *p = secmem_calloc(sizeof(*p));
	struct isakmp_builder b;
	int rc;

	if (p == NULL)
		return -1;
	ks_gen_pull_policy(&g->gen, ks_now(g), p);
	/* the member-side checks of the decoder want a SID for counter
	 * modes; the secondary ignores it (it grants from its own slice) */
	if (policy_codec_needs_sids(p) && p->nsid == 0) {
		p->sid[0] = 1;
		p->nsid = 1;
	}
	isakmp_build_init(&b, w, ISAKMP_BUILD_NO_LINK);
	rc = policy_codec_sa_put(&b, p) || policy_codec_keys_put(&b, p) ||
	     buf_writer_failed(w) ? -1 : 0;
	gdoi_policy_wipe(p);
	secmem_free(p);
	return rc;
}

static int
state_decode(const uint8_t *d, size_t len, struct gdoi_policy *p)
{
	struct isakmp_chain c;
	const struct isakmp_payload *sa, *seq, *kd;

	if (isakmp_chain_parse(&c, ISAKMP_PAYLOAD_SA, d, len) ||
	    (sa = isakmp_chain_find(&c, ISAKMP_PAYLOAD_SA)) == NULL ||
	    (kd = isakmp_chain_find(&c, GDOI_PAYLOAD_KD)) == NULL)
		return -1;
	seq = isakmp_chain_find(&c, GDOI_PAYLOAD_SEQ);
	if (policy_codec_sa_decode(sa->body, sa->body_len, p))
		return -1;
	return policy_codec_keys_decode(p, seq ? seq->body : NULL,
					seq ? seq->body_len : 0, kd->body,
					kd->body_len);
}

/* What was last published: a rekey changes one of these. */
static uint64_t
state_mark(const struct ks_group *g)
{
	return (uint64_t)g->gen.tek_gens << 40 ^ g->gen.kek.born_ms << 8 ^
	       g->gen.kek.seq;
}

/* The summary's SEQ never goes back, while a KEK's SEQ restarts under
 * every new KEK: a new KEK continues the lineage above what was
 * announced so far. */
static uint32_t
lineage_seq(struct ks_group *g)
{
	const uint8_t *spi = g->gen.kek.kek.spi;

	if (memcmp(spi, g->coop_kek, sizeof(g->coop_kek)) != 0) {
		memcpy(g->coop_kek, spi, sizeof(g->coop_kek));
		g->coop_seq_base = coop_summary(g->coop)->seq + 1;
	}
	return g->coop_seq_base + g->gen.kek.seq;
}

void
ks_coop_publish(struct ks_group *g, bool force)
{
	struct buf_writer plain, sealed;
	const struct rsakey *key = g->coop_conf.key;
	uint64_t now = ks_now(g);

	if (g->coop == NULL || coop_role(g->coop) != COOP_ROLE_PRIMARY ||
	    !g->ready || !g->gen.cur.used ||
	    (!force && state_mark(g) == g->coop_mark))
		return;
	buf_writer_init(&plain);
	buf_writer_init(&sealed);
	if (state_encode(g, &plain) == 0 &&
	    coop_seal(key, buf_data(&plain), buf_len(&plain), &sealed) == 0 &&
	    coop_set_state(g->coop, lineage_seq(g),
			   now - g->gen.pseudo_origin_ms, buf_data(&sealed),
			   buf_len(&sealed), now) == 0)
		g->coop_mark = state_mark(g);
	else
		log_dbg(LOG_DBG_GDOI_COOP, "group %s: key state not published",
			g->name);
	if (plain.p != NULL)
		OPENSSL_cleanse(plain.p, plain.cap);
	buf_writer_free(&plain);
	buf_writer_free(&sealed);
}

/* Set t to n TEKs of p from first, as lives of what is left now. */
static void
adopt_teks(struct ks_group *g, struct ks_teks *t, const struct gdoi_policy *p,
	   size_t first, size_t n, uint64_t now)
{
	uint32_t min = UINT32_MAX;

	OPENSSL_cleanse(t, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		t->tek[i] = p->tek[first + i];
		t->sa_of_tek[i] = g->gen.sa_of_tek[i];
		if (t->tek[i].lifetime_s < min)
			min = t->tek[i].lifetime_s;
	}
	t->used = n > 0;
	t->ntek = n;
	t->born_ms = now;
	t->end_ms = now + (uint64_t)(n ? min : 0) * 1000;
	t->gen = ++g->gen.tek_gens;
}

static int
adopt(struct ks_group *g, const struct gdoi_policy *p,
      const struct coop_summary *sum)
{
	uint64_t now = ks_now(g);
	size_t ncur = g->gen.shape.ntek;	/* TEKs our config makes */

	if (!p->has_kek || p->ntek < ncur || ncur == 0) {
		log_dbg(LOG_DBG_GDOI_COOP, "group %s: key state of another "
			"shape ignored", g->name);
		return -1;
	}
	adopt_teks(g, &g->gen.old, p, 0, p->ntek - ncur, now);
	adopt_teks(g, &g->gen.cur, p, p->ntek - ncur, ncur, now);
	ks_gen_drop_old_kek(&g->gen);
	g->gen.kek.kek = p->kek;
	g->gen.kek.used = true;
	g->gen.kek.born_ms = now;
	g->gen.kek.end_ms = now + (uint64_t)p->kek.lifetime_s * 1000;
	g->gen.kek.seq = p->seq;
	memcpy(g->coop_kek, p->kek.spi, sizeof(g->coop_kek));
	g->coop_seq_base = sum->seq - p->seq;
	g->gen.pseudo_origin_ms = now - sum->pseudo_ms;
	ks_gen_keys_changed(&g->gen);
	log_dbg(LOG_DBG_GDOI_COOP, "group %s: key state of the primary "
		"installed (SEQ %u, lineage %u)", g->name, p->seq, sum->seq);
	return 0;
}

void
ks_coop_take_over(struct ks_group *g)
{
	/* the engine raised the lineage by the same gap (doc/coop.md
	 * "Failover"); a KS that adopted nothing starts its own lineage */
	if (memcmp(g->coop_kek, g->gen.kek.kek.spi, sizeof(g->coop_kek)) == 0)
		g->gen.kek.seq += COOP_SEQ_GAP;
	g->coop_mark = 0;
}

int
ks_coop_adopt(struct ks_group *g)
{
	size_t len, n = COOP_BLOB_MAX;
	const uint8_t *blob = coop_blob(g->coop, &len);
	uint8_t *plain = malloc(COOP_BLOB_MAX);
	struct gdoi_policy *p = secmem_calloc(sizeof(*p));

	int e = blob == NULL ? 0 : plain == NULL || p == NULL ? 1
		: coop_unseal(g->coop_conf.key, blob, len, plain, &n) ? 2
		: state_decode(plain, n, p) ? 3 : 0;

	if (e == 0 && blob != NULL) {
		e = adopt(g, p, coop_summary(g->coop)) < 0 ? 4 : 0;
		gdoi_policy_wipe(p);
	} else if (e != 0) {
		log_dbg(LOG_DBG_GDOI_COOP, "group %s: key state unreadable "
			"(%s)", g->name, e == 1 ? "none" : e == 2 ? "seal"
			: "payloads");
	}
	if (plain != NULL)
		OPENSSL_cleanse(plain, COOP_BLOB_MAX);
	free(plain);
	secmem_free(p);
	return blob != NULL && e == 0 ? 0 : -1;
}

void
ks_coop_merge_lost(struct ks_group *g)
{
	g->merge_kek = g->gen.kek;
}

/* doc/coop.md "Split and merge": the members that registered here hold
 * our KEK and cannot open the winner's rekey; one last rekey under our
 * KEK hands them the winner's KEK and TEKs, now installed. */
void
ks_coop_last_rekey(struct ks_group *g)
{
	struct ks_kekgen *k = &g->merge_kek;

	if (!k->used || !g->ready)
		return;
	if (memcmp(k->kek.spi, g->gen.kek.kek.spi, sizeof(k->kek.spi)) != 0) {
		ks_gen_drop_old_kek(&g->gen);
		g->gen.old_kek = *k;
		if (ks_rekey_send_local(g) == 0)
			log_info("group %s: merge lost, last rekey under our "
				 "KEK sent to our members", g->name);
	}
	OPENSSL_cleanse(k, sizeof(*k));
}
