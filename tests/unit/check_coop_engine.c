/*
 * COOP engine (roles/coop*.c) on a virtual clock: up to 8 key servers on
 * a simulated network whose links can be cut, each with a stand-in KS
 * layer that makes a new key state when it becomes primary and rekeys
 * when a merge asks for it.  Election, takeover, no pre-emption, split
 * and merge, SID slices, convergence of 8, and the bad input of issue 12
 * (dropped, counted, no state change).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/coop.h"
#include "gdoi/rsakey.h"
#include "roles/coop.h"
#include "roles/ks_gen.h"

#define NKS 8
#define BASE_ADDR 0xc0a80000u	/* 192.168.0.0 */

struct pkt {
	int from, to;
	size_t len;
	uint8_t d[4096];
	struct pkt *next;
};

struct node {
	struct coop *c;
	bool up;
	int idx;
	unsigned primaries, merges_won, merges_lost, states;
	bool want_state, want_rekey;
	uint32_t next_sid;
	uint8_t last_pkt[4096];	/* the last datagram it sent KS 0 (replays) */
	size_t last_len;
};

static struct rsakey *key, *other_key;
static struct node nodes[NKS];
static int nks;
static bool cut[NKS][NKS];
static uint64_t now;
static struct pkt *qhead, **qtail = &qhead;
static unsigned rekeys;
static uint32_t period_ms;	/* 0: the default timers */

static uint32_t addr_of(int i) { return BASE_ADDR + 1 + (uint32_t)i; }

static int
idx_of(uint32_t a)
{
	return (int)(a - BASE_ADDR - 1);
}

static void
net_send(void *ctx, uint32_t to, const uint8_t *p, size_t len)
{
	struct node *n = ctx;
	int t = idx_of(to);
	struct pkt *k;

	ck_assert_uint_le(len, sizeof(k->d));
	if (t == 0) {
		memcpy(n->last_pkt, p, len);
		n->last_len = len;
	}
	if (t < 0 || t >= nks || cut[n->idx][t])
		return;
	k = calloc(1, sizeof(*k));
	ck_assert_ptr_nonnull(k);
	k->from = n->idx;
	k->to = t;
	k->len = len;
	memcpy(k->d, p, len);
	*qtail = k;
	qtail = &k->next;
}

static void
on_event(void *ctx, enum coop_event ev)
{
	struct node *n = ctx;

	if (ev == COOP_EV_PRIMARY) {
		n->primaries++;
		n->want_state = true;
	}
	n->merges_won += ev == COOP_EV_MERGE_WON;
	n->merges_lost += ev == COOP_EV_MERGE_LOST;
	n->states += ev == COOP_EV_STATE;
	if (ev == COOP_EV_MERGE_WON)
		n->want_rekey = true;
}

/* The stand-in KS layer: key state "KEK <who> <n>". */
static void
ks_rekey(struct node *n)
{
	const struct coop_summary *s = coop_summary(n->c);
	char blob[64];
	int len = snprintf(blob, sizeof(blob), "KEK %d %u", n->idx, ++rekeys);

	ck_assert_int_eq(coop_set_state(n->c, s->seq + 1, now,
					(const uint8_t *)blob, (size_t)len + 1,
					now), 0);
}

static void
ks_layer(struct node *n)
{
	size_t len;

	if (n->want_state && !coop_blob(n->c, &len))
		ks_rekey(n);
	if (n->want_rekey)
		ks_rekey(n);
	n->want_state = n->want_rekey = false;
}

static void
node_start(int i, uint16_t prio)
{
	struct coop_conf conf = {
		.group = 1234, .self = addr_of(i), .priority = prio,
		.key = key, .counter_base = ((uint64_t)now + 1) << 16,
		.period_ms = period_ms,
	};
	struct coop_io io = { .ctx = &nodes[i], .send = net_send,
			      .event = on_event };

	snprintf(conf.group_name, sizeof(conf.group_name), "g1");
	for (int j = 0; j < nks; j++)
		if (j != i)
			conf.peers[conf.npeers++] = addr_of(j);
	nodes[i].idx = i;
	nodes[i].up = true;
	nodes[i].c = coop_new(&conf, &io, now);
	ck_assert_ptr_nonnull(nodes[i].c);
}

static void
node_stop(int i)
{
	coop_free(nodes[i].c);
	memset(&nodes[i], 0, sizeof(nodes[i]));
}

static void
deliver(void)
{
	while (qhead) {
		struct pkt *k = qhead;

		qhead = k->next;
		if (!qhead)
			qtail = &qhead;
		if (nodes[k->to].up)
			coop_input(nodes[k->to].c, addr_of(k->from), k->d,
				   k->len, now);
		free(k);
	}
}

/* Advance the clock to t in 100 ms steps. */
static void
run_until(uint64_t t)
{
	while (now < t) {
		now += 100;
		for (int i = 0; i < nks; i++)
			if (nodes[i].up) {
				coop_tick(nodes[i].c, now);
				ks_layer(&nodes[i]);
			}
		deliver();
	}
}

static void
setup(void)
{
	if (!key)
		key = rsakey_generate(1024);
	if (!other_key)
		other_key = rsakey_generate(1024);
	now = 1000000;
	rekeys = 0;
	period_ms = 0;
	memset(cut, 0, sizeof(cut));
	memset(nodes, 0, sizeof(nodes));
}

static void
teardown(void)
{
	deliver();
	for (int i = 0; i < nks; i++)
		if (nodes[i].up)
			node_stop(i);
}

static void
start_all(int n, const uint16_t *prio)
{
	nks = n;
	for (int i = 0; i < n; i++)
		node_start(i, prio[i]);
}

/* Every running KS follows primary p and holds the same state. */
static void
assert_agree(int p)
{
	size_t la, lb;
	const uint8_t *a = coop_blob(nodes[p].c, &la);

	ck_assert_uint_eq(coop_role(nodes[p].c), COOP_ROLE_PRIMARY);
	ck_assert_ptr_nonnull(a);
	for (int i = 0; i < nks; i++) {
		const uint8_t *b;

		if (!nodes[i].up || i == p)
			continue;
		ck_assert_msg(coop_role(nodes[i].c) == COOP_ROLE_SECONDARY,
			      "KS %d role %u", i, coop_role(nodes[i].c));
		ck_assert_uint_eq(coop_primary(nodes[i].c), addr_of(p));
		b = coop_blob(nodes[i].c, &lb);
		ck_assert_ptr_nonnull(b);
		ck_assert_msg(la == lb && memcmp(a, b, la) == 0,
			      "KS %d holds %s, primary %d %s (drops np %lu "
			      "epoch %lu rollback %lu)", i,
			      (const char *)b, p, (const char *)a,
			      coop_drops(nodes[i].c, COOP_DROP_NOT_PRIMARY),
			      coop_drops(nodes[i].c, COOP_DROP_OLD_EPOCH),
			      coop_drops(nodes[i].c, COOP_DROP_ROLLBACK));
		ck_assert_uint_eq(coop_summary(nodes[i].c)->seq,
				  coop_summary(nodes[p].c)->seq);
		ck_assert_uint_eq(coop_epoch(nodes[i].c),
				  coop_epoch(nodes[p].c));
	}
}

static int
count_primaries(void)
{
	int n = 0;

	for (int i = 0; i < nks; i++)
		n += nodes[i].up && coop_role(nodes[i].c) == COOP_ROLE_PRIMARY;
	return n;
}

/* ---- election, takeover, pre-emption ---- */

START_TEST(test_election)
{
	static const uint16_t prio[3] = { 100, 200, 50 };

	start_all(3, prio);
	run_until(now + 15000);
	ck_assert_int_eq(count_primaries(), 1);
	assert_agree(1);
	ck_assert_uint_eq(nodes[1].primaries, 1);
}
END_TEST

START_TEST(test_tie_highest_address)
{
	static const uint16_t prio[3] = { 100, 100, 100 };

	start_all(3, prio);
	run_until(now + 15000);
	assert_agree(2);
}
END_TEST

START_TEST(test_takeover)
{
	static const uint16_t prio[3] = { 100, 200, 50 };
	const uint8_t *b;
	uint8_t old[64];
	size_t len;
	uint32_t seq;
	uint64_t epoch, killed;

	start_all(3, prio);
	run_until(now + 100000);
	assert_agree(1);
	b = coop_blob(nodes[1].c, &len);
	memcpy(old, b, len);
	seq = coop_summary(nodes[1].c)->seq;
	epoch = coop_epoch(nodes[1].c);
	node_stop(1);
	killed = now;
	while (count_primaries() == 0 && now < killed + 3 * COOP_ANN_MS)
		run_until(now + 100);
	ck_assert_int_eq(count_primaries(), 1);
	ck_assert_uint_lt(now - killed, 3 * COOP_ANN_MS);
	run_until(now + 1000);
	assert_agree(0);
	/* the same KEK lineage, SEQ continued, a newer epoch */
	b = coop_blob(nodes[0].c, &len);
	ck_assert_mem_eq(b, old, len);
	ck_assert_uint_eq(coop_summary(nodes[0].c)->seq, seq + COOP_SEQ_GAP);
	ck_assert_uint_gt(coop_epoch(nodes[0].c), epoch);
	/* the old primary comes back and stays secondary */
	node_start(1, 200);
	run_until(now + 60000);
	assert_agree(0);
	ck_assert_uint_eq(nodes[1].primaries, 0);
}
END_TEST

/* getvpn -A: one short period scales every timer; takeover within
 * three of them, and not before the secondary's wait of 1.5. */
START_TEST(test_short_period)
{
	static const uint16_t prio[2] = { 200, 100 };
	uint64_t killed;

	period_ms = 1000;
	start_all(2, prio);
	run_until(now + 5000);
	assert_agree(0);
	node_stop(0);
	killed = now;
	while (count_primaries() == 0 && now < killed + 10000)
		run_until(now + 100);
	ck_assert_int_eq(count_primaries(), 1);
	ck_assert_uint_ge(now - killed, 1500);
	ck_assert_uint_lt(now - killed, 3 * period_ms);
	/* below the floor: the floor */
	period_ms = 100;
	node_start(0, 200);
	run_until(now + 200);
	ck_assert_uint_eq(coop_role(nodes[0].c), COOP_ROLE_ELECTING);
	run_until(now + 400);
	assert_agree(1);
}
END_TEST

START_TEST(test_no_preemption)
{
	static const uint16_t prio[2] = { 100, 200 };

	nks = 2;
	node_start(0, prio[0]);
	run_until(now + 30000);
	ck_assert_uint_eq(coop_role(nodes[0].c), COOP_ROLE_PRIMARY);
	node_start(1, prio[1]);
	run_until(now + 60000);
	assert_agree(0);
	ck_assert_uint_eq(nodes[1].primaries, 0);
}
END_TEST

/* A key server joining long after the primary's last state change gets
 * that state with the pseudotime of the moment it is sent, not of the
 * moment it was made: else it would start its pseudotime behind by the
 * state's age, and as primary hand members times their peers refuse as
 * replays (time-based anti-replay, doc/protocol.md §8.3). */
START_TEST(test_pseudotime_current)
{
	static const uint16_t prio[2] = { 200, 100 };
	uint64_t made, joined;

	nks = 2;
	node_start(0, prio[0]);
	run_until(now + 30000);
	ck_assert_uint_eq(coop_role(nodes[0].c), COOP_ROLE_PRIMARY);
	made = coop_summary(nodes[0].c)->pseudo_ms;	/* = the time made */
	ck_assert_uint_le(made, now - 10000);
	joined = now;
	node_start(1, prio[1]);
	run_until(now + 20000);
	assert_agree(0);
	/* the stand-in KS layer made the state with pseudotime = its clock:
	 * the secondary holds it as of a moment after it joined */
	ck_assert_uint_gt(coop_summary(nodes[1].c)->pseudo_ms, joined);
	ck_assert_uint_le(coop_summary(nodes[1].c)->pseudo_ms, now);
}
END_TEST

/* ---- split and merge ---- */

static void
partition(int a_hi, bool on)
{
	for (int i = 0; i < nks; i++)
		for (int j = 0; j < nks; j++)
			cut[i][j] = on && ((i < a_hi) != (j < a_hi));
}

START_TEST(test_split_merge)
{
	static const uint16_t prio[4] = { 10, 200, 100, 20 };
	const uint8_t *b;
	size_t len;
	char before[64];
	uint32_t seq_b;

	start_all(4, prio);
	run_until(now + 30000);
	assert_agree(1);
	partition(2, true);
	run_until(now + 120000);
	ck_assert_int_eq(count_primaries(), 2);
	ck_assert_uint_eq(coop_role(nodes[2].c), COOP_ROLE_PRIMARY);
	ck_assert_uint_eq(coop_primary(nodes[3].c), addr_of(2));
	/* each side rekeys on its own: two lineages */
	ks_rekey(&nodes[1]);
	ks_rekey(&nodes[2]);
	ks_rekey(&nodes[2]);
	run_until(now + 1000);
	b = coop_blob(nodes[1].c, &len);
	snprintf(before, sizeof(before), "%s", (const char *)b);
	ck_assert_str_ne(before, (const char *)coop_blob(nodes[2].c, &len));
	seq_b = coop_summary(nodes[2].c)->seq;
	ck_assert_uint_gt(seq_b, coop_summary(nodes[1].c)->seq);
	partition(2, false);
	run_until(now + 60000);
	ck_assert_int_eq(count_primaries(), 1);
	ck_assert_uint_eq(nodes[1].merges_won, 1);
	ck_assert_uint_eq(nodes[2].merges_lost, 1);
	assert_agree(1);
	/* one new KEK for everyone, made by the winner after the merge */
	b = coop_blob(nodes[3].c, &len);
	ck_assert_str_ne((const char *)b, before);
	ck_assert_int_eq(strncmp((const char *)b, "KEK 1 ", 6), 0);
	/* SEQ above both lineages: every member accepts the next rekey */
	ck_assert_uint_gt(coop_summary(nodes[1].c)->seq, seq_b);
}
END_TEST

/* The heal reaches the loser first: it follows the winner before the
 * winner ever hears its claim.  Its ANN says it merged (COOP_F_MERGED),
 * so the winner still rolls the KEK once and lifts SEQ above the
 * loser's lineage, and the loser accepts the winner's state. */
START_TEST(test_merge_heard_by_loser_first)
{
	static const uint16_t prio[2] = { 200, 100 };
	uint32_t seq_b;
	size_t len;

	start_all(2, prio);
	run_until(now + 30000);
	assert_agree(0);
	partition(1, true);
	run_until(now + 60000);
	ck_assert_int_eq(count_primaries(), 2);
	ks_rekey(&nodes[1]);
	ks_rekey(&nodes[1]);
	run_until(now + 500);
	seq_b = coop_summary(nodes[1].c)->seq;
	ck_assert_uint_gt(seq_b, coop_summary(nodes[0].c)->seq);
	cut[0][1] = false;	/* 0 -> 1 only */
	while (coop_role(nodes[1].c) != COOP_ROLE_SECONDARY &&
	       now < 2000000)
		run_until(now + 100);
	ck_assert_uint_eq(coop_role(nodes[1].c), COOP_ROLE_SECONDARY);
	ck_assert_uint_eq(nodes[0].merges_won, 0);
	run_until(now + 5000);
	cut[1][0] = false;
	run_until(now + 30000);
	ck_assert_int_eq(count_primaries(), 1);
	ck_assert_uint_eq(nodes[0].merges_won, 1);
	ck_assert_uint_eq(nodes[1].merges_lost, 1);
	assert_agree(0);
	ck_assert_uint_gt(coop_summary(nodes[1].c)->seq, seq_b);
	ck_assert_int_eq(strncmp((const char *)coop_blob(nodes[1].c, &len),
				 "KEK 0 ", 6), 0);
	ck_assert_uint_eq(coop_drops(nodes[1].c, COOP_DROP_ROLLBACK), 0);
}
END_TEST

/* ---- SIDs and members ---- */

/* 200 registrations in one second at the secondary, each followed by a
 * tick (the daemon ticks at once after each): the joins are batched, so
 * the primary hears of all of them and drops nothing as a flood. */
START_TEST(test_join_burst)
{
	static const uint16_t prio[2] = { 200, 100 };

	start_all(2, prio);
	run_until(now + 30000);
	assert_agree(0);
	for (uint32_t i = 0; i < 200; i++) {
		now += 5;
		coop_member_add(nodes[1].c, 0x0b000000u + i, 100 + i, now);
		coop_tick(nodes[1].c, now);
		deliver();
	}
	run_until(now + 1000);
	ck_assert_uint_eq(coop_nmembers(nodes[0].c), 200);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_FLOOD), 0);
}
END_TEST

/* Both key servers take joins at once for 3 s: each sends its batches
 * and acknowledges the other's, and neither may count the other as a
 * flood (which would drop joins). */
START_TEST(test_join_burst_both)
{
	static const uint16_t prio[2] = { 200, 100 };

	start_all(2, prio);
	run_until(now + 30000);
	assert_agree(0);
	for (uint32_t i = 0; i < 600; i++) {
		now += 5;
		for (int k = 0; k < 2; k++) {
			coop_member_add(nodes[k].c, 0x0b000000u + 1000u * k + i,
					100 + 1000u * k + i, now);
			coop_tick(nodes[k].c, now);
		}
		deliver();
	}
	run_until(now + 1000);
	for (int k = 0; k < 2; k++) {
		ck_assert_uint_eq(coop_drops(nodes[k].c, COOP_DROP_FLOOD), 0);
		ck_assert_uint_eq(coop_nmembers(nodes[k].c), 1200);
	}
}
END_TEST

START_TEST(test_sid_slices_and_members)
{
	uint16_t prio[NKS];
	uint32_t lo[NKS], hi[NKS];

	for (int i = 0; i < NKS; i++)
		prio[i] = (uint16_t)(10 + i * 7 % 5);
	start_all(NKS, prio);
	run_until(now + 30000);
	for (int i = 0; i < NKS; i++) {
		coop_sid_slice(nodes[i].c, 65536, &lo[i], &hi[i]);
		ck_assert_uint_lt(lo[i], hi[i]);
		ck_assert_uint_le(hi[i], 65536);
		for (int j = 0; j < i; j++)
			ck_assert(hi[j] <= lo[i] || hi[i] <= lo[j]);
	}
	/* 50 members register with each KS, SIDs from its own slice */
	for (int m = 0; m < 50; m++)
		for (int i = 0; i < NKS; i++) {
			uint32_t sid = lo[i] + (uint32_t)m;

			coop_member_add(nodes[i].c,
					0x0a000000u + (uint32_t)(i * 256 + m),
					sid, now);
		}
	run_until(now + 1000);
	for (int i = 0; i < NKS; i++) {
		size_t local = 0;

		ck_assert_uint_eq(coop_nmembers(nodes[i].c), NKS * 50);
		for (size_t k = 0; k < coop_nmembers(nodes[i].c); k++) {
			const struct coop_member *a = coop_member_at(nodes[i].c, k);

			local += a->ks == addr_of(i);
			for (size_t l = 0; l < k; l++)
				ck_assert_uint_ne(
					coop_member_at(nodes[i].c, l)->sid,
					a->sid);
		}
		ck_assert_uint_eq(local, 50);
	}
}
END_TEST

/* The key server grants SIDs only from its slice, and all of it. */
START_TEST(test_ks_gen_slice)
{
	static struct ks_gen g;
	uint32_t sids[100];
	size_t n;

	ks_gen_init(&g);
	g.shape.sid_bits = 8;		/* 256 SIDs: 32 per key server */
	g.sid_lo = 32;
	g.sid_hi = 64;
	n = ks_gen_grant_sids(&g, 100, sids);
	ck_assert_uint_eq(n, 32);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_ge(sids[i], 32);
		ck_assert_uint_lt(sids[i], 64);
	}
	ck_assert_uint_eq(ks_gen_grant_sids(&g, 1, sids), 0);
	ks_gen_free_sids(&g, sids, 1);
	ck_assert_uint_eq(ks_gen_grant_sids(&g, 1, sids + 50), 1);
	ck_assert_uint_eq(sids[50], sids[0]);
	g.sid_lo = 0;	/* the first slice never grants SID 0 */
	g.sid_hi = 32;
	ck_assert_uint_eq(ks_gen_grant_sids(&g, 100, sids), 31);
	ck_assert_uint_eq(sids[0], 1);
	ks_gen_wipe(&g);
}
END_TEST

START_TEST(test_converge_8)
{
	uint16_t prio[NKS];

	for (int i = 0; i < NKS; i++)
		prio[i] = (uint16_t)(100 + (i * 3) % NKS);
	start_all(NKS, prio);
	run_until(now + 30000);
	ck_assert_int_eq(count_primaries(), 1);
	assert_agree(5);	/* (5 * 3) % 8 = 7, the highest */
	for (int r = 0; r < 10; r++) {
		ks_rekey(&nodes[5]);
		run_until(now + 5000);
	}
	assert_agree(5);
	/* a KS restarted late is brought up to date */
	node_stop(7);
	run_until(now + 1000);
	ks_rekey(&nodes[5]);
	node_start(7, 1);
	run_until(now + 15000);
	assert_agree(5);
	ck_assert_uint_eq(coop_summary(nodes[7].c)->gen,
			  coop_summary(nodes[5].c)->gen);
}
END_TEST

/* ---- bad input ---- */

struct snap {
	uint8_t role;
	uint32_t primary;
	uint64_t epoch;
	struct coop_summary sum;
	char blob[64];
};

static void
snap_take(int i, struct snap *s)
{
	size_t len;
	const uint8_t *b = coop_blob(nodes[i].c, &len);

	memset(s, 0, sizeof(*s));
	s->role = coop_role(nodes[i].c);
	s->primary = coop_primary(nodes[i].c);
	s->epoch = coop_epoch(nodes[i].c);
	s->sum = *coop_summary(nodes[i].c);
	ck_assert_uint_lt(len, sizeof(s->blob));
	memcpy(s->blob, b, len);
}

static void
snap_same(int i, const struct snap *s)
{
	struct snap t;

	snap_take(i, &t);
	ck_assert_uint_eq(t.role, s->role);
	ck_assert_uint_eq(t.primary, s->primary);
	ck_assert_uint_eq(t.epoch, s->epoch);
	ck_assert_uint_eq(t.sum.seq, s->sum.seq);
	ck_assert_uint_eq(t.sum.gen, s->sum.gen);
	ck_assert_uint_eq(t.sum.pseudo_ms, s->sum.pseudo_ms);
	ck_assert_str_eq(t.blob, s->blob);
}

static uint64_t forged_counter = 1ull << 62;

/* A message "from" KS i as the primary would send it. */
static struct coop_msg
forge(int i, uint8_t type)
{
	struct coop_msg m = {
		.type = type, .priority = 200, .role = COOP_ROLE_PRIMARY,
		.group = 1234, .sender = addr_of(i), .primary = addr_of(i),
		.epoch = coop_epoch(nodes[1].c), .counter = ++forged_counter,
		.sum = *coop_summary(nodes[1].c),
	};
	return m;
}

/* A SYNC of type from KS i carrying blob as its key state. */
static struct coop_msg
forge_state(int i, uint8_t type, const char *blob)
{
	struct coop_msg m = forge(i, type);

	m.flags = COOP_F_STATE;
	m.blob = (const uint8_t *)blob;
	m.blob_len = strlen(blob) + 1;
	return m;
}

static void
inject(int to, uint32_t from, const struct coop_msg *m,
       const struct rsakey *k)
{
	struct buf_writer w;

	buf_writer_init(&w);
	ck_assert_int_eq(coop_build(m, NULL, k, &w), 0);
	coop_input(nodes[to].c, from, buf_data(&w), buf_len(&w), now);
	buf_writer_free(&w);
}

/* KS 1 (200) primary, KS 0 (100) secondary, KS 2 (50) configured, down. */
static void
pair_up(struct snap *s)
{
	nks = 3;
	node_start(0, 100);
	node_start(1, 200);
	run_until(now + 60000);
	ck_assert_uint_eq(coop_primary(nodes[0].c), addr_of(1));
	snap_take(0, s);
}

START_TEST(test_bad_signature)
{
	struct snap s;
	struct coop_msg m;

	pair_up(&s);
	m = forge_state(1, COOP_SYNC_DELTA, "evil");
	m.sum.seq += 5;
	inject(0, addr_of(1), &m, other_key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_SIGNATURE), 1);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_unconfigured_peer)
{
	struct snap s;
	struct coop_msg m;

	pair_up(&s);
	m = forge(9, COOP_HELLO);
	m.priority = 255;
	inject(0, addr_of(9), &m, key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_UNCONF), 1);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_replay)
{
	struct snap s;
	uint8_t copy[4096];
	size_t len;

	pair_up(&s);
	/* the primary's last datagram to KS 0, delivered a second time */
	ck_assert_uint_gt(nodes[1].last_len, 0);
	len = nodes[1].last_len;
	memcpy(copy, nodes[1].last_pkt, len);
	coop_input(nodes[0].c, addr_of(1), copy, len, now);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_REPLAY), 1);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_truncated)
{
	struct snap s;

	pair_up(&s);
	for (size_t n = 0; n < nodes[1].last_len; n += 7) {
		now += 100;	/* stay below the flood limit */
		coop_input(nodes[0].c, addr_of(1), nodes[1].last_pkt, n, now);
	}
	ck_assert_uint_gt(coop_drops(nodes[0].c, COOP_DROP_MALFORMED), 10);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_older_epoch)
{
	struct snap s;
	struct coop_msg m;

	pair_up(&s);
	m = forge(1, COOP_HELLO);
	m.epoch -= 1;
	inject(0, addr_of(1), &m, key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_OLD_EPOCH), 1);
	m = forge(1, COOP_SYNC_FULL);
	m.epoch -= 1;
	m.flags = COOP_F_STATE;
	m.blob = (const uint8_t *)"old";
	m.blob_len = 4;
	inject(0, addr_of(1), &m, key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_OLD_EPOCH), 2);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_lower_primary_claim)
{
	struct snap s, p;
	struct coop_msg m;

	pair_up(&s);
	snap_take(1, &p);
	m = forge(2, COOP_HELLO);
	m.priority = 50;
	m.epoch += 5;
	inject(0, addr_of(2), &m, key);
	m.counter = ++forged_counter;
	inject(1, addr_of(2), &m, key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_LOWER_PRIMARY), 1);
	ck_assert_uint_eq(coop_drops(nodes[1].c, COOP_DROP_LOWER_PRIMARY), 1);
	snap_same(0, &s);
	snap_same(1, &p);
	/* and state from it is refused too */
	m = forge_state(2, COOP_SYNC_DELTA, "evil");
	inject(0, addr_of(2), &m, key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_NOT_PRIMARY), 1);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_sync_rollback)
{
	struct snap s;
	struct coop_msg m;

	pair_up(&s);
	m = forge_state(1, COOP_SYNC_DELTA, "old");
	m.sum.seq -= 1;
	inject(0, addr_of(1), &m, key);
	m = forge_state(1, COOP_SYNC_FULL, "old");
	m.sum.pseudo_ms -= 1;
	inject(0, addr_of(1), &m, key);
	ck_assert_uint_eq(coop_drops(nodes[0].c, COOP_DROP_ROLLBACK), 2);
	snap_same(0, &s);
}
END_TEST

START_TEST(test_flood)
{
	struct snap s;
	struct coop_msg m;

	pair_up(&s);
	m = forge_state(1, COOP_SYNC_DELTA, "flood");
	m.sum.seq -= 1;		/* every one that gets through is refused */
	for (int k = 0; k < 500; k++) {
		m.counter = ++forged_counter;
		inject(0, addr_of(1), &m, key);
	}
	ck_assert_uint_ge(coop_drops(nodes[0].c, COOP_DROP_FLOOD),
			  500 - COOP_FLOOD_PER_S);
	ck_assert_uint_le(coop_drops(nodes[0].c, COOP_DROP_ROLLBACK),
			  COOP_FLOOD_PER_S);
	snap_same(0, &s);
	/* the real primary is heard again a second later */
	run_until(now + 25000);
	ck_assert_uint_eq(coop_primary(nodes[0].c), addr_of(1));
}
END_TEST

Suite *
suite_coop_engine(void)
{
	Suite *s = suite_create("coop_engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_election);
	tcase_add_test(tc, test_tie_highest_address);
	tcase_add_test(tc, test_takeover);
	tcase_add_test(tc, test_short_period);
	tcase_add_test(tc, test_no_preemption);
	tcase_add_test(tc, test_pseudotime_current);
	tcase_add_test(tc, test_split_merge);
	tcase_add_test(tc, test_merge_heard_by_loser_first);
	tcase_add_test(tc, test_join_burst);
	tcase_add_test(tc, test_join_burst_both);
	tcase_add_test(tc, test_sid_slices_and_members);
	tcase_add_test(tc, test_ks_gen_slice);
	tcase_add_test(tc, test_converge_8);
	tcase_add_test(tc, test_bad_signature);
	tcase_add_test(tc, test_unconfigured_peer);
	tcase_add_test(tc, test_replay);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_older_epoch);
	tcase_add_test(tc, test_lower_primary_claim);
	tcase_add_test(tc, test_sync_rollback);
	tcase_add_test(tc, test_flood);
	suite_add_tcase(s, tc);
	return s;
}
