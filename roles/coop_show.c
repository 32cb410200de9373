/*
 * coop_show: what the COOP engine exposes: accessors, and `show crypto
 * gdoi ks coop [detail]` in the IOS-XE layout (doc/coop.md).
 */
#include "roles/coop_int.h"

#include <arpa/inet.h>	/* INET_ADDRSTRLEN */

#include <stdio.h>

#include "platform/showout.h"

uint8_t
coop_role(const struct coop *c)
{
	return c->role;
}

uint32_t
coop_primary(const struct coop *c)
{
	return c->primary;
}

uint64_t
coop_epoch(const struct coop *c)
{
	return c->epoch;
}

size_t
coop_npeers(const struct coop *c)
{
	return c->conf.npeers;
}

size_t
coop_nmembers(const struct coop *c)
{
	return c->nmembers;
}

const struct coop_summary *
coop_summary(const struct coop *c)
{
	return &c->sum;
}

const uint8_t *
coop_blob(const struct coop *c, size_t *len)
{
	*len = c->has_state ? c->blob_len : 0;
	return c->has_state ? c->blob : NULL;
}

unsigned long
coop_drops(const struct coop *c, enum coop_drop why)
{
	return why < COOP_DROP_COUNT ? c->drops[why] : 0;
}

const struct coop_peer *
coop_peer_at(const struct coop *c, size_t i)
{
	return i < c->conf.npeers ? &c->peers[i] : NULL;
}

const struct coop_member *
coop_member_at(const struct coop *c, size_t i)
{
	return i < c->nmembers ? &c->members[i] : NULL;
}

/* The slice of the SID space of our rank by address (doc/coop.md). */
void
coop_sid_slice(const struct coop *c, uint32_t space, uint32_t *lo,
	       uint32_t *hi)
{
	unsigned rank = 0;

	for (unsigned i = 0; i < c->conf.npeers; i++)
		rank += c->conf.peers[i] < c->conf.self;
	*lo = rank * (space / COOP_MAX_KS);
	*hi = *lo + space / COOP_MAX_KS;
	if (*lo == 0)
		*lo = 1;	/* SID 0 is never granted */
}

static const char *
role_col(uint8_t role)
{
	switch (role) {
	case COOP_ROLE_PRIMARY: return "Primary   ";
	case COOP_ROLE_SECONDARY: return "Secondary ";
	default: return "Electing  ";
	}
}

/* The role word alone, for JSON. */
static const char *
role_word(uint8_t role)
{
	switch (role) {
	case COOP_ROLE_PRIMARY: return "Primary";
	case COOP_ROLE_SECONDARY: return "Secondary";
	default: return "Electing";
	}
}

static unsigned
left_s(uint64_t at_ms, uint64_t now_ms)
{
	return at_ms > now_ms ? (unsigned)((at_ms - now_ms + 999) / 1000) : 0;
}

static void
show_timers(const struct coop *c, uint64_t now_ms, struct showout *o)
{
	unsigned long long seq = c->counter_tx - c->conf.counter_base;

	showout_obj(o, "timers");
	if (c->role == COOP_ROLE_PRIMARY) {
		showout_text(o, "        Primary Timers: \n");
		showout_u64(o, "primary_refresh_policy_time", c->t.ann / 1000,
			    "                Primary Refresh Policy Time: %u \n",
			    (unsigned)(c->t.ann / 1000));
		showout_u64(o, "remaining_time", left_s(c->next_ann_ms, now_ms),
			    "                Remaining Time: %u\n",
			    left_s(c->next_ann_ms, now_ms));
	} else {
		unsigned left = left_s(c->role == COOP_ROLE_ELECTING ?
				       c->elect_end_ms : c->deadline_ms, now_ms);

		showout_text(o, "        Secondary Timers: \n");
		showout_u64(o, "sec_primary_periodic_time",
			    c->t.primary_wait / 1000, "                Sec "
			    "Primary Periodic Time: %u \n",
			    (unsigned)(c->t.primary_wait / 1000));
		showout_u64(o, "remaining_time", left, "                "
			    "Remaining Time: %u, ", left);
		showout_u64(o, "retries", c->retries, "Retries: %u\n",
			    c->retries);
		showout_u64(o, "invalid_ann_pst_recvd", c->invalid_pst,
			    "                Invalid ANN PST recvd: %lu\n",
			    c->invalid_pst);
		showout_str(o, "new_gm_temporary_blocking_enforced", "No",
			    "                New GM Temporary Blocking "
			    "Enforced?: %s\n", "No");
	}
	showout_u64(o, "antireplay_sequence_number", seq,
		    "                Antireplay Sequence Number: %llu\n", seq);
	showout_end(o);
}

static void
show_counters(const struct coop_peer *p, struct showout *o)
{
	showout_obj(o, "counters");
	showout_u64(o, "ann_msgs_sent", p->ann_tx, "                Counters:\n"
		    "                    Ann msgs sent: %lu\n", p->ann_tx);
	showout_u64(o, "ann_msgs_sent_with_reply_request", p->ann_tx_reply,
		    "                    Ann msgs sent with reply request: "
		    "%lu\n", p->ann_tx_reply);
	showout_u64(o, "ann_msgs_recv", p->ann_rx,
		    "                    Ann msgs recv: %lu \n", p->ann_rx);
	showout_u64(o, "ann_msgs_recv_with_reply_request", p->ann_rx_reply,
		    "                    Ann msgs recv with reply request: "
		    "%lu\n", p->ann_rx_reply);
	showout_u64(o, "packet_sent_drops", p->tx_drops,
		    "                    Packet sent drops: %lu \n",
		    p->tx_drops);
	showout_u64(o, "packet_recv_drops", p->rx_drops,
		    "                    Packet Recv drops: %lu \n",
		    p->rx_drops);
	showout_u64(o, "total_bytes_sent", p->bytes_tx,
		    "                    Total bytes sent: %llu \n",
		    p->bytes_tx);
	showout_u64(o, "total_bytes_recv", p->bytes_rx,
		    "                    Total bytes recv: %llu\n",
		    p->bytes_rx);
	showout_end(o);
}

static void
show_peer(const struct coop *c, size_t i, bool detail, struct showout *o)
{
	const struct coop_peer *p = &c->peers[i];
	unsigned handle = 0x80000000u + (unsigned)(i + 2);
	const char *status = p->reachable ? "Alive" : "Dead";
	const char *ike = c->io.ike_up == NULL ? "Not used"
			  : c->io.ike_up(c->io.ctx, p->addr) ? "Established"
			  : "Not established";
	char a[INET_ADDRSTRLEN];

	showout_obj(o, NULL);
	showout_u64(o, "session", i + 1, "        Session %zu:\n", i + 1);
	showout_u64(o, "server_handle", handle,
		    "                Server handle: %u\n", handle);
	showout_str(o, "peer_address", coop_ip4(p->addr, a),
		    "                Peer Address: %s\n", a);
	showout_u64(o, "peer_priority", p->priority,
		    "                Peer Priority: %u\n", p->priority);
	showout_str(o, "peer_ks_role", role_word(p->role),
		    "                Peer KS Role: %s, ", role_col(p->role));
	showout_str(o, "peer_ks_status", status, "Peer KS Status: %-10s\n",
		    status);
	showout_u64(o, "antireplay_sequence_number", p->counter_rx,
		    "                Antireplay Sequence Number: %llu\n\n",
		    (unsigned long long)p->counter_rx);
	showout_str(o, "ike_status", ike, "                IKE status: %s\n",
		    ike);
	show_counters(p, o);
	if (detail) {
		showout_u64(o, "sync_msgs_sent", p->sync_tx,
			    "                Sync msgs sent: %lu, ", p->sync_tx);
		showout_u64(o, "sync_msgs_recv", p->sync_rx, "recv: %lu\n",
			    p->sync_rx);
	}
	showout_end(o);
}

static void
show_detail(const struct coop *c, struct showout *o)
{
	uint32_t lo, hi;
	size_t local = 0;
	char range[32];

	for (size_t i = 0; i < c->nmembers; i++)
		local += c->members[i].ks == c->conf.self;
	coop_sid_slice(c, 65536, &lo, &hi);
	snprintf(range, sizeof(range), "%u-%u", lo, hi - 1);
	showout_u64(o, "epoch", c->epoch, "        Epoch: %llu, ",
		    (unsigned long long)c->epoch);
	showout_u64(o, "lineage_seq", c->sum.seq, "Lineage SEQ: %u, ",
		    c->sum.seq);
	showout_u64(o, "state_generation", c->sum.gen,
		    "State generation: %u\n", c->sum.gen);
	showout_str(o, "sid_range", range, "        SID range: %s\n", range);
	showout_u64(o, "members_local", local, "        Members: %zu local, ",
		    local);
	showout_u64(o, "members_redundant", c->nmembers - local,
		    "%zu redundant\n", c->nmembers - local);
	showout_text(o, "        Dropped COOP messages:\n");
	showout_list(o, "dropped_messages");
	for (unsigned w = 0; w < COOP_DROP_COUNT; w++) {
		showout_obj(o, NULL);
		showout_str(o, "reason", coop_drop_name(w), "                %s: ",
			    coop_drop_name(w));
		showout_u64(o, "count", c->drops[w], "%lu\n", c->drops[w]);
		showout_end(o);
	}
	showout_end(o);
}

/* The members of the group's object (the caller opens it and prints the
 * group name and handles). */
void
coop_show(const struct coop *c, bool detail, uint64_t now_ms,
	  struct showout *o)
{
	char a[INET_ADDRSTRLEN];

	showout_bool(o, "redundancy", true, NULL);
	showout_text(o, "\n");
	showout_str(o, "local_address", coop_ip4(c->conf.self, a),
		    "        Local Address: %s \n", a);
	showout_u64(o, "local_priority", c->conf.priority,
		    "        Local Priority: %u \n", c->conf.priority);
	showout_str(o, "local_ks_role", role_word(c->role),
		    "        Local KS Role: %s, ", role_col(c->role));
	showout_str(o, "local_ks_status", "Alive",
		    "Local KS Status: %-10s\n", "Alive");
	show_timers(c, now_ms, o);
	if (detail)
		show_detail(c, o);
	showout_text(o, "        Peer Sessions:\n");
	showout_list(o, "peer_sessions");
	for (size_t i = 0; i < c->conf.npeers; i++)
		show_peer(c, i, detail, o);
	showout_end(o);
}
