/*
 * coop: the COOP engine's life, timers, election and sending
 * (doc/coop.md).  Receiving is in coop_rx.c.
 */
#include "roles/coop_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/buf.h"
#include "platform/log.h"
#include "roles/gdoi_log.h"

/* The pseudotime of the state we hold, as of now: the summary's, moved on
 * by the time since it was current.  Every message carries it, so a key
 * server that installs state sent long after it was made (a SYNC-FULL to
 * a late joiner) does not start its pseudotime behind (doc/coop.md
 * "State"). */
uint64_t
coop_pseudo_now(const struct coop *c)
{
	if (!c->has_state || c->now_ms <= c->sum_ms)
		return c->sum.pseudo_ms;
	return c->sum.pseudo_ms + (c->now_ms - c->sum_ms);
}

const char *
coop_ip4(uint32_t addr, char *buf)
{
	struct in_addr a = { .s_addr = htonl(addr) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* <0, 0, >0 as (pa, aa) ranks below, equal to, above (pb, ab). */
int
coop_rank_cmp(uint16_t pa, uint32_t aa, uint16_t pb, uint32_t ab)
{
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return aa < ab ? -1 : aa > ab;
}

struct coop_peer *
coop_peer_find(struct coop *c, uint32_t addr)
{
	for (unsigned i = 0; i < c->conf.npeers; i++)
		if (c->peers[i].addr == addr)
			return &c->peers[i];
	return NULL;
}

static void
coop_msg_init(const struct coop *c, struct coop_msg *m, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->priority = c->conf.priority;
	m->role = c->role;
	m->group = c->conf.group;
	m->sender = c->conf.self;
	m->primary = c->primary;
	m->epoch = c->epoch;
	m->sum = c->sum;
	m->sum.pseudo_ms = coop_pseudo_now(c);
}

static void
coop_send(struct coop *c, struct coop_peer *p, struct coop_msg *m,
	  const struct coop_member *mem)
{
	struct buf_writer w;

	m->counter = ++c->counter_tx;
	if (log_debug_on(LOG_DBG_GDOI_COOP)) {
		char a[INET_ADDRSTRLEN];

		log_dbg(LOG_DBG_GDOI_COOP, "COOP %s: %s to %s (epoch %llu, "
			"SEQ %u, %zu members)", c->conf.group_name,
			coop_type_name(m->type), coop_ip4(p->addr, a),
			(unsigned long long)m->epoch, m->sum.seq, m->nmembers);
	}
	buf_writer_init(&w);
	if (coop_build(m, mem, c->conf.key, &w)) {
		p->tx_drops++;
	} else {
		p->bytes_tx += buf_len(&w);
		c->io.send(c->io.ctx, p->addr, buf_data(&w), buf_len(&w));
	}
	buf_writer_free(&w);
}

/* flags: COOP_F_REPLY, COOP_F_SYNC. */
void
coop_send_hello(struct coop *c, struct coop_peer *p, uint16_t flags)
{
	struct coop_msg m;

	coop_msg_init(c, &m, COOP_HELLO);
	m.flags = flags | (c->merged ? COOP_F_MERGED : 0);
	p->ann_tx++;
	p->ann_tx_reply += (flags & COOP_F_REPLY) != 0;
	coop_send(c, p, &m, NULL);
}

static void
hello_all(struct coop *c, uint16_t flags)
{
	for (unsigned i = 0; i < c->conf.npeers; i++)
		coop_send_hello(c, &c->peers[i], flags);
}

/* Records per datagram, so a SYNC of many members stays well under 64 KiB. */
#define COOP_MEMBERS_PER_MSG 1024

void
coop_send_sync(struct coop *c, struct coop_peer *p, bool full,
	       const struct coop_member *mem, size_t nmem)
{
	struct coop_msg m;
	bool state = full || mem == NULL;

	do {
		size_t n = nmem < COOP_MEMBERS_PER_MSG ? nmem
						       : COOP_MEMBERS_PER_MSG;

		coop_msg_init(c, &m, full ? COOP_SYNC_FULL : COOP_SYNC_DELTA);
		if (state && c->has_state) {
			m.flags |= COOP_F_STATE;
			m.blob = c->blob;
			m.blob_len = c->blob_len;
		}
		m.nmembers = n;
		p->sync_tx++;
		coop_send(c, p, &m, mem);
		if (n > 0)
			mem += n;
		nmem -= n;
		state = false;
	} while (nmem > 0);
}

void
coop_send_full(struct coop *c, struct coop_peer *p)
{
	coop_send_sync(c, p, true, c->members, c->nmembers);
}

void
coop_send_ack(struct coop *c, struct coop_peer *p, uint64_t counter)
{
	struct coop_msg m;

	coop_msg_init(c, &m, COOP_ACK);
	m.acked = counter;
	coop_send(c, p, &m, NULL);
}

/* Send p the members that registered with us. */
void
coop_members_to(struct coop *c, struct coop_peer *p)
{
	struct coop_member *mine = NULL;
	size_t n = 0;

	if (c->nmembers == 0)
		return;
	mine = calloc(c->nmembers, sizeof(*mine));
	if (!mine)
		return;
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].ks == c->conf.self)
			mine[n++] = c->members[i];
	if (n > 0)
		coop_send_sync(c, p, false, mine, n);
	free(mine);
}

/* Append m to the growing array *v of *n (room *cap). */
static void
member_push(struct coop_member **v, size_t *n, size_t *cap,
	    const struct coop_member *m)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct coop_member *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = *m;
}

void
coop_member_put(struct coop *c, const struct coop_member *m)
{
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].addr == m->addr) {
			c->members[i] = *m;
			return;
		}
	member_push(&c->members, &c->nmembers, &c->cap, m);
}

static void
coop_set_role(struct coop *c, uint8_t role, uint32_t primary)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	uint32_t prev = c->primary;

	c->role = role;
	c->primary = primary;
	if (role == COOP_ROLE_PRIMARY)
		gdoi_log(GDOI_MSG_COOP_KS_TRANS_TO_PRI, coop_ip4(c->conf.self, a),
			 c->conf.group_name, coop_ip4(prev, b));
	else if (role == COOP_ROLE_SECONDARY && primary != prev)
		gdoi_log(GDOI_MSG_COOP_KS_TRANS_TO_SEC, coop_ip4(c->conf.self, a),
			 c->conf.group_name, coop_ip4(primary, d));
}

/* Follow primary p: ask it for its state. */
void
coop_follow(struct coop *c, struct coop_peer *p, uint64_t now_ms)
{
	bool was_primary = c->role == COOP_ROLE_PRIMARY;

	coop_set_role(c, COOP_ROLE_SECONDARY, p->addr);
	c->epoch = p->epoch;
	c->deadline_ms = now_ms + c->t.primary_wait;
	c->retries = 0;
	c->next_ann_ms = now_ms + c->t.ann;
	if (was_primary) {
		char a[INET_ADDRSTRLEN];

		gdoi_log(GDOI_MSG_COOP_KS_MERGE, c->conf.group_name,
			 coop_ip4(p->addr, a));
		c->io.event(c->io.ctx, COOP_EV_MERGE_LOST);
	}
	c->merged = was_primary;	/* said in every ANN until synced */
	c->synced = false;
	coop_members_to(c, p);
	coop_send_hello(c, p, COOP_F_REPLY | COOP_F_SYNC);
	c->io.event(c->io.ctx, COOP_EV_SECONDARY);
}

static void
coop_take_over(struct coop *c, uint64_t now_ms)
{
	c->epoch = ++c->max_epoch;
	if (c->has_state)
		c->sum.seq += COOP_SEQ_GAP;	/* doc/coop.md: Failover */
	c->sum.gen++;
	coop_set_role(c, COOP_ROLE_PRIMARY, c->conf.self);
	c->io.event(c->io.ctx, COOP_EV_PRIMARY);
	for (unsigned i = 0; i < c->conf.npeers; i++) {
		coop_send_hello(c, &c->peers[i], 0);
		coop_send_full(c, &c->peers[i]);
	}
	c->next_ann_ms = now_ms + c->t.ann;
}

/* A lower primary of a healed split now follows us: one lineage again. */
void
coop_merge_won(struct coop *c, struct coop_peer *p)
{
	char a[INET_ADDRSTRLEN];

	p->claimed = false;
	p->merged = true;
	if (p->sum.seq > c->sum.seq)
		c->sum.seq = p->sum.seq;
	c->sum.pseudo_ms = coop_pseudo_now(c);
	if (p->sum.pseudo_ms > c->sum.pseudo_ms)
		c->sum.pseudo_ms = p->sum.pseudo_ms;
	c->sum_ms = c->now_ms;
	c->sum.seq += COOP_SEQ_GAP;
	c->sum.gen++;
	c->epoch = ++c->max_epoch;
	gdoi_log(GDOI_MSG_COOP_KS_MERGE, c->conf.group_name,
		 coop_ip4(c->conf.self, a));
	c->io.event(c->io.ctx, COOP_EV_MERGE_WON);
}

void
coop_start_election(struct coop *c, uint64_t now_ms)
{
	char a[INET_ADDRSTRLEN];

	gdoi_log(GDOI_MSG_COOP_KS_ELECTION, c->conf.group_name,
		 coop_ip4(c->primary, a));
	c->role = COOP_ROLE_ELECTING;
	c->elect_start_ms = now_ms;
	c->elect_end_ms = now_ms + c->t.elect;
	c->elect_hello_ms = now_ms;	/* at the next tick: sockets are up */
}

void
coop_reelect(struct coop *c, uint64_t now_ms)
{
	coop_start_election(c, now_ms);
}

/* An election asks every peer at its start and, those not heard yet,
 * once more half way: one lost datagram does not make a second primary. */
static void
coop_elect_hello(struct coop *c, uint64_t now_ms)
{
	bool first = c->elect_hello_ms == c->elect_start_ms;

	if (now_ms < c->elect_hello_ms)
		return;
	for (unsigned i = 0; i < c->conf.npeers; i++) {
		struct coop_peer *p = &c->peers[i];

		if (first || !p->heard || p->last_rx_ms < c->elect_start_ms)
			coop_send_hello(c, p, COOP_F_REPLY);
	}
	c->elect_hello_ms = first ? c->elect_start_ms + c->t.elect / 2
				  : UINT64_MAX;
}

/* The end of an election: an active primary, else the best KS heard. */
static void
coop_decide(struct coop *c, uint64_t now_ms)
{
	struct coop_peer *prim = NULL, *best = NULL;

	for (unsigned i = 0; i < c->conf.npeers; i++) {
		struct coop_peer *p = &c->peers[i];

		if (!p->heard || p->last_rx_ms < c->elect_start_ms)
			continue;
		if (p->role == COOP_ROLE_PRIMARY &&
		    (!prim || coop_rank_cmp(p->priority, p->addr,
					    prim->priority, prim->addr) > 0))
			prim = p;
		if (!best || coop_rank_cmp(p->priority, p->addr,
					   best->priority, best->addr) > 0)
			best = p;
	}
	if (prim)
		coop_follow(c, prim, now_ms);
	else if (best && coop_rank_cmp(best->priority, best->addr,
				       c->conf.priority, c->conf.self) > 0)
		coop_follow(c, best, now_ms);
	else
		coop_take_over(c, now_ms);
}

static void
coop_check_peers(struct coop *c, uint64_t now_ms)
{
	char a[INET_ADDRSTRLEN];

	for (unsigned i = 0; i < c->conf.npeers; i++) {
		struct coop_peer *p = &c->peers[i];

		if (p->reachable && now_ms - p->last_rx_ms >= c->t.dead) {
			p->reachable = false;
			gdoi_log(GDOI_MSG_COOP_KS_UNREACH, coop_ip4(p->addr, a),
				 c->conf.group_name);
		}
	}
}

static void
coop_secondary_timer(struct coop *c, uint64_t now_ms)
{
	struct coop_peer *p = coop_peer_find(c, c->primary);

	if (now_ms < c->deadline_ms)
		return;
	if (p && c->retries < COOP_RETRIES) {
		c->retries++;
		c->deadline_ms = now_ms + c->t.retry;
		coop_send_hello(c, p, COOP_F_REPLY | COOP_F_SYNC);
		return;
	}
	coop_start_election(c, now_ms);
}

static void coop_flush_members(struct coop *c, uint64_t now_ms);

static uint64_t
coop_next(const struct coop *c)
{
	uint64_t t = c->next_ann_ms;

	if (c->npending > 0 && c->flush_ms < t)
		t = c->flush_ms;
	if (c->role == COOP_ROLE_ELECTING && c->elect_end_ms < t)
		t = c->elect_end_ms;
	if (c->role == COOP_ROLE_ELECTING && c->elect_hello_ms < t)
		t = c->elect_hello_ms;
	if (c->role == COOP_ROLE_SECONDARY && c->deadline_ms < t)
		t = c->deadline_ms;
	return t;
}

uint64_t
coop_tick(struct coop *c, uint64_t now_ms)
{
	c->now_ms = now_ms;
	coop_flush_members(c, now_ms);
	coop_check_peers(c, now_ms);
	if (c->role == COOP_ROLE_ELECTING)
		coop_elect_hello(c, now_ms);
	if (c->role == COOP_ROLE_ELECTING && now_ms >= c->elect_end_ms)
		coop_decide(c, now_ms);
	else if (c->role == COOP_ROLE_SECONDARY)
		coop_secondary_timer(c, now_ms);
	if (now_ms >= c->next_ann_ms) {
		c->next_ann_ms = now_ms + c->t.ann;
		if (c->role != COOP_ROLE_ELECTING)
			hello_all(c, 0);
	}
	return coop_next(c);
}

/* One period scales them all, in the IOS proportions of the defaults. */
static void
coop_timers_of(uint32_t period_ms, struct coop_timers *t)
{
	uint64_t p = period_ms ? period_ms : COOP_ANN_MS;

	if (p < COOP_PERIOD_MIN_MS)
		p = COOP_PERIOD_MIN_MS;
	t->ann = p;
	t->primary_wait = p * COOP_PRIMARY_WAIT_MS / COOP_ANN_MS;
	t->retry = p * COOP_RETRY_MS / COOP_ANN_MS;
	t->elect = p * COOP_ELECT_WAIT_MS / COOP_ANN_MS;
	t->dead = p * COOP_PEER_DEAD_MS / COOP_ANN_MS;
}

struct coop *
coop_new(const struct coop_conf *conf, const struct coop_io *io,
	 uint64_t now_ms)
{
	struct coop *c;

	if (conf->npeers > COOP_MAX_KS - 1 || !conf->key || !io->send ||
	    !io->event)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->conf = *conf;
	coop_timers_of(conf->period_ms, &c->t);
	c->io = *io;
	c->counter_tx = conf->counter_base;
	for (unsigned i = 0; i < conf->npeers; i++)
		c->peers[i].addr = conf->peers[i];
	c->now_ms = now_ms;
	c->next_ann_ms = now_ms + c->t.ann;
	coop_start_election(c, now_ms);
	return c;
}

void
coop_free(struct coop *c)
{
	if (!c)
		return;
	OPENSSL_cleanse(c->blob, sizeof(c->blob));
	free(c->members);
	free(c->pending);
	free(c);
}

int
coop_set_state(struct coop *c, uint32_t seq, uint64_t pseudo_ms,
	       const uint8_t *blob, size_t len, uint64_t now_ms)
{
	if (c->role != COOP_ROLE_PRIMARY || len > COOP_BLOB_MAX || len == 0)
		return -1;
	c->now_ms = c->sum_ms = now_ms;
	memcpy(c->blob, blob, len);
	c->blob_len = len;
	c->has_state = true;
	c->sum.seq = seq;
	c->sum.pseudo_ms = pseudo_ms;
	c->sum.gen++;
	for (unsigned i = 0; i < c->conf.npeers; i++)
		coop_send_sync(c, &c->peers[i], false, NULL, 0);
	return 0;
}

/* Joins go out in one SYNC-DELTA per peer at a coop_tick() (batched). */
void
coop_member_add(struct coop *c, uint32_t addr, uint32_t sid, uint64_t now_ms)
{
	struct coop_member m = { .addr = addr, .sid = sid, .ks = c->conf.self };

	(void)now_ms;
	coop_member_put(c, &m);
	member_push(&c->pending, &c->npending, &c->pcap, &m);
}

/* Joins go out at most every COOP_FLUSH_MS, so that a burst of
 * registrations stays far below the receivers' flood limit. */
static void
coop_flush_members(struct coop *c, uint64_t now_ms)
{
	if (c->npending == 0 || now_ms < c->flush_ms)
		return;
	c->flush_ms = now_ms + COOP_FLUSH_MS;
	for (unsigned i = 0; i < c->conf.npeers; i++)
		coop_send_sync(c, &c->peers[i], false, c->pending, c->npending);
	c->npending = 0;
}
