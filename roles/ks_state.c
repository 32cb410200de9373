/*
 * ks_state: the key state of a key server group as octets (see
 * roles/ks_state.h; the layout is in doc/ks-state.md).  Every field is
 * written on its own, big-endian, so the layout does not depend on the
 * compiler's struct layout; addresses and SPIs stay in network order.
 */
#include "roles/ks_state.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "roles/members.h"

/* The SID bitmap is saved whole: one bit per sender ID. */
#define SID_MAP_LEN (KS_SID_SPACE / 8)

static void
put_raw32(struct buf_writer *w, uint32_t v)
{
	buf_put_bytes(w, &v, sizeof(v));	/* already in network order */
}

static void
get_raw32(struct buf_reader *r, uint32_t *v)
{
	buf_get_bytes(r, v, sizeof(*v));
}

static void
put_bytes8(struct buf_writer *w, const uint8_t *p, size_t n)
{
	buf_put_u8(w, (uint8_t)n);
	buf_put_bytes(w, p, n);
}

/* A 1-octet length of at most max, then that many octets. */
static void
get_bytes8(struct buf_reader *r, uint8_t *p, size_t *n, size_t max)
{
	uint8_t len = 0;

	buf_get_u8(r, &len);
	if (len > max) {
		buf_skip(r, buf_left(r) + 1);	/* fails r */
		return;
	}
	*n = len;
	buf_get_bytes(r, p, len);
}

static void
put_time(struct buf_writer *w, uint64_t t, int64_t ahead)
{
	buf_put_u64(w, t == 0 ? 0 : (uint64_t)((int64_t)t + ahead));
}

static void
get_time(struct buf_reader *r, uint64_t *t, int64_t ahead)
{
	uint64_t v = 0;

	buf_get_u64(r, &v);
	*t = v == 0 ? 0 : (uint64_t)((int64_t)v - ahead);
}

static void
put_kek(struct buf_writer *w, const struct gdoi_kek *k)
{
	buf_put_bytes(w, k->spi, sizeof(k->spi));
	buf_put_u8(w, k->alg);
	buf_put_u16(w, (uint16_t)k->key_bits);
	buf_put_u32(w, k->lifetime_s);
	buf_put_u8(w, k->sig_hash);
	buf_put_u8(w, (uint8_t)k->sig_alg);
	buf_put_u16(w, (uint16_t)k->sig_key_bits);
	buf_put_u8(w, k->ack);
	put_raw32(w, k->src);
	put_raw32(w, k->dst);
	buf_put_u16(w, k->src_port);
	buf_put_u16(w, k->dst_port);
	put_bytes8(w, k->key, k->key_len);
	put_bytes8(w, k->iv, k->iv_len);
	buf_put_u16(w, (uint16_t)k->pubkey_len);
	buf_put_bytes(w, k->pubkey, k->pubkey_len);
}

static void
get_kek(struct buf_reader *r, struct gdoi_kek *k)
{
	uint8_t u8 = 0;
	uint16_t u16 = 0;

	buf_get_bytes(r, k->spi, sizeof(k->spi));
	buf_get_u8(r, &k->alg);
	buf_get_u16(r, &u16);
	k->key_bits = u16;
	buf_get_u32(r, &k->lifetime_s);
	buf_get_u8(r, &k->sig_hash);
	buf_get_u8(r, &u8);
	k->sig_alg = u8;
	buf_get_u16(r, &u16);
	k->sig_key_bits = u16;
	buf_get_u8(r, &k->ack);
	get_raw32(r, &k->src);
	get_raw32(r, &k->dst);
	buf_get_u16(r, &k->src_port);
	buf_get_u16(r, &k->dst_port);
	get_bytes8(r, k->key, &k->key_len, sizeof(k->key));
	get_bytes8(r, k->iv, &k->iv_len, sizeof(k->iv));
	buf_get_u16(r, &u16);
	if (u16 > sizeof(k->pubkey)) {
		buf_skip(r, buf_left(r) + 1);	/* fails r */
		return;
	}
	k->pubkey_len = u16;
	buf_get_bytes(r, k->pubkey, k->pubkey_len);
}

static void
put_tek(struct buf_writer *w, const struct gdoi_tek *t)
{
	put_raw32(w, t->spi);
	buf_put_u16(w, (uint16_t)t->transform);
	buf_put_u16(w, (uint16_t)t->key_bits);
	buf_put_u8(w, (uint8_t)t->auth);
	buf_put_u32(w, t->lifetime_s);
	buf_put_u8(w, (uint8_t)t->direction);
	buf_put_u8(w, t->proto);
	put_raw32(w, t->src);
	put_raw32(w, t->src_mask);
	put_raw32(w, t->dst);
	put_raw32(w, t->dst_mask);
	buf_put_u16(w, t->sport);
	buf_put_u16(w, t->dport);
	buf_put_u8(w, t->deny);
	buf_put_u8(w, (uint8_t)t->replay);
	buf_put_u32(w, t->replay_window);
	put_bytes8(w, t->enc_key, t->enc_key_len);
	put_bytes8(w, t->auth_key, t->auth_key_len);
}

static void
get_tek(struct buf_reader *r, struct gdoi_tek *t)
{
	uint8_t u8[5] = { 0 };
	uint16_t u16[2] = { 0 };

	get_raw32(r, &t->spi);
	buf_get_u16(r, &u16[0]);
	buf_get_u16(r, &u16[1]);
	buf_get_u8(r, &u8[0]);
	buf_get_u32(r, &t->lifetime_s);
	buf_get_u8(r, &u8[1]);
	buf_get_u8(r, &t->proto);
	get_raw32(r, &t->src);
	get_raw32(r, &t->src_mask);
	get_raw32(r, &t->dst);
	get_raw32(r, &t->dst_mask);
	buf_get_u16(r, &t->sport);
	buf_get_u16(r, &t->dport);
	buf_get_u8(r, &u8[2]);
	buf_get_u8(r, &u8[3]);
	buf_get_u32(r, &t->replay_window);
	get_bytes8(r, t->enc_key, &t->enc_key_len, sizeof(t->enc_key));
	get_bytes8(r, t->auth_key, &t->auth_key_len, sizeof(t->auth_key));
	t->transform = (enum gdoi_esp_transform)u16[0];
	t->key_bits = u16[1];
	t->auth = (enum gdoi_auth_alg)u8[0];
	t->direction = (enum gdoi_sa_direction)u8[1];
	t->deny = u8[2] != 0;
	t->replay = (enum gdoi_replay)u8[3];
}

/* A count of at most max items (1 octet). */
static size_t
get_count(struct buf_reader *r, size_t max)
{
	uint8_t n = 0;

	buf_get_u8(r, &n);
	if (n > max)
		buf_skip(r, buf_left(r) + 1);	/* fails r */
	return n > max ? 0 : n;
}

static void
put_teks(struct buf_writer *w, const struct gdoi_tek *t, const uint16_t *sa,
	 size_t n)
{
	buf_put_u8(w, (uint8_t)n);
	for (size_t i = 0; i < n; i++) {
		buf_put_u16(w, sa[i]);
		put_tek(w, &t[i]);
	}
}

static size_t
get_teks(struct buf_reader *r, struct gdoi_tek *t, uint16_t *sa)
{
	size_t n = get_count(r, GDOI_MAX_TEK);

	for (size_t i = 0; i < n; i++) {
		buf_get_u16(r, &sa[i]);
		get_tek(r, &t[i]);
	}
	return n;
}

/* What the keys were made from: compared with the config at restart. */
static void
put_shape(struct buf_writer *w, const struct ks_gen *g)
{
	const struct gdoi_policy *p = &g->shape;

	buf_put_u32(w, p->group_id);
	buf_put_u8(w, p->has_gap);
	buf_put_u32(w, p->atd_s);
	buf_put_u32(w, p->dtd_s);
	buf_put_u8(w, (uint8_t)p->sid_bits);
	buf_put_u8(w, p->sat_id_len);
	buf_put_u8(w, p->has_kek);
	put_kek(w, &p->kek);
	put_teks(w, p->tek, g->sa_of_tek, p->ntek);
}

static void
get_shape(struct buf_reader *r, struct ks_gen *g)
{
	struct gdoi_policy *p = &g->shape;
	uint8_t u8[4] = { 0 };

	buf_get_u32(r, &p->group_id);
	buf_get_u8(r, &u8[0]);
	buf_get_u32(r, &p->atd_s);
	buf_get_u32(r, &p->dtd_s);
	buf_get_u8(r, &u8[1]);
	buf_get_u8(r, &p->sat_id_len);
	buf_get_u8(r, &u8[2]);
	get_kek(r, &p->kek);
	p->ntek = get_teks(r, p->tek, g->sa_of_tek);
	p->has_gap = u8[0] != 0;
	p->sid_bits = u8[1];
	p->has_kek = u8[2] != 0;
}

static void
put_set(struct buf_writer *w, const struct ks_teks *t, int64_t ahead)
{
	buf_put_u8(w, t->used);
	buf_put_u32(w, t->gen);
	put_time(w, t->born_ms, ahead);
	put_time(w, t->end_ms, ahead);
	put_teks(w, t->tek, t->sa_of_tek, t->ntek);
}

static void
get_set(struct buf_reader *r, struct ks_teks *t, int64_t ahead)
{
	uint8_t used = 0;

	buf_get_u8(r, &used);
	buf_get_u32(r, &t->gen);
	get_time(r, &t->born_ms, ahead);
	get_time(r, &t->end_ms, ahead);
	t->ntek = get_teks(r, t->tek, t->sa_of_tek);
	t->used = used != 0;
}

static void
put_kekgen(struct buf_writer *w, const struct ks_kekgen *k, int64_t ahead,
	   uint32_t seq_ahead)
{
	uint32_t seq = k->seq > UINT32_MAX - seq_ahead ? UINT32_MAX
		: k->seq + seq_ahead;

	buf_put_u8(w, k->used);
	put_time(w, k->born_ms, ahead);
	put_time(w, k->end_ms, ahead);
	buf_put_u32(w, k->used ? seq : 0);
	put_kek(w, &k->kek);
}

static void
get_kekgen(struct buf_reader *r, struct ks_kekgen *k, int64_t ahead)
{
	uint8_t used = 0;

	buf_get_u8(r, &used);
	get_time(r, &k->born_ms, ahead);
	get_time(r, &k->end_ms, ahead);
	buf_get_u32(r, &k->seq);
	get_kek(r, &k->kek);
	k->used = used != 0;
}

static void
put_gen(struct buf_writer *w, const struct ks_gen *g, int64_t ahead,
	uint32_t seq_ahead)
{
	put_shape(w, g);
	put_set(w, &g->cur, ahead);
	put_set(w, &g->old, ahead);
	put_kekgen(w, &g->kek, ahead, seq_ahead);
	put_kekgen(w, &g->old_kek, ahead, seq_ahead);
	put_time(w, g->pseudo_origin_ms, ahead);
	buf_put_u32(w, g->tek_gens);
	buf_put_u32(w, g->sid_next);
	buf_put_bytes(w, g->sid_used, sizeof(g->sid_used));
}

static void
get_gen(struct buf_reader *r, struct ks_gen *g, int64_t ahead)
{
	get_shape(r, g);
	get_set(r, &g->cur, ahead);
	get_set(r, &g->old, ahead);
	get_kekgen(r, &g->kek, ahead);
	get_kekgen(r, &g->old_kek, ahead);
	get_time(r, &g->pseudo_origin_ms, ahead);
	buf_get_u32(r, &g->tek_gens);
	buf_get_u32(r, &g->sid_next);
	buf_get_bytes(r, g->sid_used, sizeof(g->sid_used));
}

void
ks_state_put_member(struct buf_writer *w, const struct member *m)
{
	put_raw32(w, m->addr);
	put_raw32(w, m->ks_addr);
	buf_put_u16(w, m->port);
	buf_put_u8(w, m->state == MEMBER_EJECTED);
	buf_put_u8(w, (uint8_t)(m->acks_missed_run > 255 ? 255
				: m->acks_missed_run));
	buf_put_u32(w, m->registrations);
	buf_put_u64(w, (uint64_t)m->last_reg_wall);
	put_bytes8(w, (const uint8_t *)m->version, strnlen(m->version,
		   sizeof(m->version) - 1));
	buf_put_u8(w, (uint8_t)m->nsid);
	for (size_t i = 0; i < m->nsid; i++)
		buf_put_u32(w, m->sid[i]);
}

void
ks_state_get_member(struct buf_reader *r, struct ks_state_member *m)
{
	uint8_t ejected = 0;
	uint64_t wall = 0;
	size_t vlen = 0;

	get_raw32(r, &m->addr);
	get_raw32(r, &m->ks_addr);
	buf_get_u16(r, &m->port);
	buf_get_u8(r, &ejected);
	buf_get_u8(r, &m->acks_missed_run);
	buf_get_u32(r, &m->registrations);
	buf_get_u64(r, &wall);
	get_bytes8(r, (uint8_t *)m->version, &vlen, sizeof(m->version) - 1);
	m->version[vlen] = '\0';
	m->nsid = get_count(r, GDOI_MAX_SID);
	for (size_t i = 0; i < m->nsid; i++)
		buf_get_u32(r, &m->sid[i]);
	m->ejected = ejected != 0;
	m->last_reg_wall = (int64_t)wall;
}

int
ks_state_encode(const char *group, const struct ks_gen *gen,
		const struct members *m, int64_t wall_ahead_ms,
		uint32_t seq_ahead, uint64_t written_ms, struct buf_writer *w)
{
	put_bytes8(w, (const uint8_t *)group, strlen(group));
	buf_put_u64(w, written_ms);
	put_gen(w, gen, wall_ahead_ms, seq_ahead);
	buf_put_u32(w, (uint32_t)members_count(m));
	for (const struct member *e = members_first(m); e; e = e->next)
		ks_state_put_member(w, e);
	return buf_writer_failed(w) ? -1 : 0;
}

/* The member list: each record is at least 22 octets, so a count the
 * rest cannot hold is refused before anything is allocated. */
static int
get_members(struct buf_reader *r, struct ks_state *s)
{
	uint32_t n = 0;

	if (buf_get_u32(r, &n) < 0 || n > buf_left(r) / 22)
		return -1;
	s->member = n ? calloc(n, sizeof(*s->member)) : NULL;
	if (n > 0 && s->member == NULL)
		return -1;
	s->nmember = n;
	for (uint32_t i = 0; i < n; i++)
		ks_state_get_member(r, &s->member[i]);
	return buf_failed(r) ? -1 : 0;
}

int
ks_state_decode(const uint8_t *d, size_t len, int64_t wall_ahead_ms,
		struct ks_state *s)
{
	struct buf_reader r;
	size_t glen = 0;

	memset(s, 0, sizeof(*s));
	buf_reader_init(&r, d, len);
	get_bytes8(&r, (uint8_t *)s->group, &glen, sizeof(s->group) - 1);
	s->group[glen] = '\0';
	buf_get_u64(&r, &s->written_ms);
	get_gen(&r, &s->gen, wall_ahead_ms);
	if (buf_failed(&r) || get_members(&r, s) < 0 || buf_at_end(&r) < 0 ||
	    strlen(s->group) != glen) {
		ks_state_free(s);
		return -1;
	}
	return 0;
}

void
ks_state_free(struct ks_state *s)
{
	if (s->member != NULL)
		OPENSSL_cleanse(s->member, s->nmember * sizeof(*s->member));
	free(s->member);
	ks_gen_wipe(&s->gen);
	memset(s, 0, sizeof(*s));
}
