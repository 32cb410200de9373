/*
 * coop_rx: every received COOP datagram (doc/coop.md "Bad input"): the
 * cheap checks first (configured peer, flood), then the codec and its
 * signature, then anti-replay, epoch, rank and rollback; a message that
 * fails any of them is counted and changes nothing.
 */
#include "roles/coop_int.h"

#include <arpa/inet.h>	/* INET_ADDRSTRLEN */
#include <string.h>

#include "platform/log.h"
#include "roles/gdoi_log.h"

static const char *const drop_names[COOP_DROP_COUNT] = {
	[COOP_DROP_UNCONF] = "unconfigured peer",
	[COOP_DROP_FLOOD] = "flood",
	[COOP_DROP_MALFORMED] = "malformed",
	[COOP_DROP_VERSION] = "unknown version",
	[COOP_DROP_SIGNATURE] = "bad signature",
	[COOP_DROP_REPLAY] = "replayed counter",
	[COOP_DROP_OLD_EPOCH] = "older epoch",
	[COOP_DROP_LOWER_PRIMARY] = "primary claim below ours",
	[COOP_DROP_ROLLBACK] = "SEQ or pseudotime going back",
	[COOP_DROP_NOT_PRIMARY] = "state from a KS that is not our primary",
};

const char *
coop_drop_name(enum coop_drop why)
{
	return why < COOP_DROP_COUNT ? drop_names[why] : "?";
}

static void
coop_drop(struct coop *c, struct coop_peer *p, uint32_t from,
	  enum coop_drop why, uint64_t now_ms)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	c->drops[why]++;
	if (p)
		p->rx_drops++;
	if (why == COOP_DROP_UNCONF)
		gdoi_log_limited(now_ms, GDOI_MSG_COOP_KS_UNAUTH,
				 coop_ip4(from, a), c->conf.group_name,
				 coop_ip4(c->conf.self, b));
	else
		gdoi_log_limited(now_ms, GDOI_MSG_COOP_KS_DROP,
				 c->conf.group_name, coop_ip4(from, a),
				 coop_drop_name(why));
}

static bool
coop_flooded(struct coop_peer *p, uint64_t now_ms)
{
	if (now_ms - p->win_ms >= 1000) {
		p->win_ms = now_ms;
		p->win_n = 0;
	}
	return ++p->win_n > COOP_FLOOD_PER_S;
}

static const enum coop_drop err_drop[] = {
	[COOP_E_MALFORMED] = COOP_DROP_MALFORMED,
	[COOP_E_VERSION] = COOP_DROP_VERSION,
	[COOP_E_SIGNATURE] = COOP_DROP_SIGNATURE,
};

enum verdict { V_DROP, V_ACCEPT, V_FOLLOW };

/* Is the primary we follow late (so a new primary may be real)? */
static bool
primary_late(struct coop *c, uint64_t now_ms)
{
	struct coop_peer *cur = coop_peer_find(c, c->primary);

	return !cur || now_ms - cur->last_rx_ms > c->t.ann + c->t.retry;
}

static enum verdict
primary_claim(struct coop *c, struct coop_peer *p, const struct coop_msg *m,
	      uint64_t now_ms)
{
	struct coop_peer *cur;

	if (c->role == COOP_ROLE_ELECTING)
		return V_ACCEPT;
	if (c->role == COOP_ROLE_PRIMARY) {
		char a[INET_ADDRSTRLEN];

		if (coop_rank_cmp(m->priority, p->addr, c->conf.priority,
				  c->conf.self) > 0)
			return V_FOLLOW;
		if (!p->claimed)
			gdoi_log_limited(now_ms, GDOI_MSG_COOP_KS_SPLIT,
					 c->conf.group_name,
					 coop_ip4(p->addr, a));
		p->claimed = true;
		return V_DROP;
	}
	if (p->addr == c->primary)
		return V_ACCEPT;
	cur = coop_peer_find(c, c->primary);
	if (primary_late(c, now_ms) ||
	    coop_rank_cmp(m->priority, p->addr, cur->priority, cur->addr) > 0)
		return V_FOLLOW;
	return V_DROP;
}

static void
record_hello(struct coop *c, struct coop_peer *p, const struct coop_msg *m)
{
	p->role = m->role;
	p->priority = m->priority;
	p->primary = m->primary;
	p->sum = m->sum;
	if (m->role == COOP_ROLE_PRIMARY)
		p->epoch = m->epoch;
	if (m->epoch > c->max_epoch)
		c->max_epoch = m->epoch;
	p->ann_rx++;
	p->ann_rx_reply += (m->flags & COOP_F_REPLY) != 0;
}

static void
from_our_primary(struct coop *c, struct coop_peer *p,
		 const struct coop_msg *m, uint64_t now_ms)
{
	c->deadline_ms = now_ms + c->t.primary_wait;
	c->retries = 0;
	c->epoch = m->epoch;
	if (m->sum.pseudo_ms < c->sum.pseudo_ms)
		c->invalid_pst++;
	else if ((!c->synced || m->sum.gen != c->sum.gen) &&
		 !(m->flags & COOP_F_REPLY))
		coop_send_hello(c, p, COOP_F_REPLY | COOP_F_SYNC);
}

static void
rx_hello(struct coop *c, struct coop_peer *p, const struct coop_msg *m,
	 uint64_t now_ms)
{
	enum verdict v = V_ACCEPT;

	if (m->role == COOP_ROLE_PRIMARY) {
		if (m->epoch < p->epoch) {
			coop_drop(c, p, p->addr, COOP_DROP_OLD_EPOCH, now_ms);
			return;
		}
		v = primary_claim(c, p, m, now_ms);
		if (v == V_DROP) {
			coop_drop(c, p, p->addr, COOP_DROP_LOWER_PRIMARY, now_ms);
			coop_send_hello(c, p, 0);
			return;
		}
	}
	record_hello(c, p, m);
	if (v == V_FOLLOW)
		coop_follow(c, p, now_ms);
	else if (c->role == COOP_ROLE_SECONDARY && p->addr == c->primary &&
		 m->role == COOP_ROLE_PRIMARY)
		from_our_primary(c, p, m, now_ms);
	else if (c->role == COOP_ROLE_SECONDARY && p->addr == c->primary)
		coop_start_election(c, now_ms);	/* it stepped down */
	/* a split heals: the other primary says it follows us now (once
	 * per merge, whoever heard the other first) */
	if (!(m->flags & COOP_F_MERGED))
		p->merged = false;
	else if (c->role == COOP_ROLE_PRIMARY && !p->merged &&
		 m->primary == c->conf.self)
		coop_merge_won(c, p);
	if (m->flags & COOP_F_REPLY)
		coop_send_hello(c, p, 0);
	if ((m->flags & COOP_F_SYNC) && c->role == COOP_ROLE_PRIMARY &&
	    m->primary == c->conf.self)
		coop_send_full(c, p);
}

/* State may only come from our primary, same or newer epoch, forward. */
static enum coop_drop
sync_check(const struct coop *c, const struct coop_peer *p,
	   const struct coop_msg *m)
{
	if (c->role != COOP_ROLE_SECONDARY || p->addr != c->primary)
		return COOP_DROP_NOT_PRIMARY;
	if (m->epoch < c->epoch)
		return COOP_DROP_OLD_EPOCH;
	if (m->sum.seq < c->sum.seq || m->sum.pseudo_ms < c->sum.pseudo_ms)
		return COOP_DROP_ROLLBACK;
	return COOP_DROP_COUNT;
}

static void
adopt_state(struct coop *c, const struct coop_msg *m)
{
	if (m->blob) {
		memcpy(c->blob, m->blob, m->blob_len);
		c->blob_len = m->blob_len;
		c->has_state = true;
	}
	c->sum = m->sum;
	c->sum_ms = c->now_ms;
	c->epoch = m->epoch;
	if (m->type == COOP_SYNC_FULL) {
		c->synced = true;
		c->merged = false;
	}
	c->io.event(c->io.ctx, COOP_EV_STATE);
}

static bool
member_held(const struct coop *c, uint32_t addr)
{
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].addr == addr)
			return true;
	return false;
}

static void
rx_sync(struct coop *c, struct coop_peer *p, const struct coop_msg *m,
	uint64_t now_ms)
{
	bool state = m->blob || m->type == COOP_SYNC_FULL;

	if (state) {
		enum coop_drop why = sync_check(c, p, m);

		if (why != COOP_DROP_COUNT) {
			coop_drop(c, p, p->addr, why, now_ms);
			return;
		}
	}
	for (size_t i = 0; i < m->nmembers; i++) {
		struct coop_member rec;

		coop_member_get(m, i, &rec);
		/* ours: known, unless it registered before we restarted */
		if (rec.ks == c->conf.self && member_held(c, rec.addr))
			continue;
		coop_member_put(c, &rec);
		if (c->io.member != NULL)
			c->io.member(c->io.ctx, &rec);
	}
	if (state)
		adopt_state(c, m);
	p->sync_rx++;
	coop_send_ack(c, p, m->counter);
}

static void
coop_alive(struct coop *c, struct coop_peer *p, uint64_t now_ms)
{
	char a[INET_ADDRSTRLEN];

	if (p->heard && !p->reachable)
		gdoi_log(GDOI_MSG_COOP_KS_REACH, coop_ip4(p->addr, a),
			 c->conf.group_name);
	p->heard = p->reachable = true;
	p->last_rx_ms = now_ms;
}

void
coop_input(struct coop *c, uint32_t from, const uint8_t *d, size_t len,
	   uint64_t now_ms)
{
	struct coop_peer *p = coop_peer_find(c, from);
	struct coop_msg m;
	enum coop_err e;

	c->now_ms = now_ms;
	if (!p || coop_flooded(p, now_ms)) {
		coop_drop(c, p, from, p ? COOP_DROP_FLOOD : COOP_DROP_UNCONF,
			  now_ms);
		return;
	}
	p->bytes_rx += len;
	e = coop_open(d, len, c->conf.key, &m);
	if (e == COOP_OK && (m.sender != from || m.group != c->conf.group))
		e = COOP_E_MALFORMED;
	if (e != COOP_OK) {
		coop_drop(c, p, from, err_drop[e], now_ms);
		return;
	}
	if (m.counter <= p->counter_rx) {
		coop_drop(c, p, from, COOP_DROP_REPLAY, now_ms);
		return;
	}
	p->counter_rx = m.counter;
	if (log_debug_on(LOG_DBG_GDOI_COOP)) {
		char a[INET_ADDRSTRLEN];

		log_dbg(LOG_DBG_GDOI_COOP, "COOP %s: %s from %s (%s, priority "
			"%u, epoch %llu, SEQ %u)", c->conf.group_name,
			coop_type_name(m.type), coop_ip4(from, a),
			coop_role_name(m.role), m.priority,
			(unsigned long long)m.epoch, m.sum.seq);
	}
	coop_alive(c, p, now_ms);
	if (m.type == COOP_HELLO)
		rx_hello(c, p, &m, now_ms);
	else if (m.type == COOP_ACK)
		p->acked = m.acked;
	else
		rx_sync(c, p, &m, now_ms);
}
