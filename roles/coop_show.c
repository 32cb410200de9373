/*
 * coop_show: what the COOP engine exposes: accessors, and `show crypto
 * gdoi ks coop [detail]` in the IOS-XE layout (doc/coop.md).
 */
#include "roles/coop_int.h"

#include <arpa/inet.h>	/* INET_ADDRSTRLEN */

#include "platform/term.h"

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

static unsigned
left_s(uint64_t at_ms, uint64_t now_ms)
{
	return at_ms > now_ms ? (unsigned)((at_ms - now_ms + 999) / 1000) : 0;
}

static void
show_timers(const struct coop *c, uint64_t now_ms, struct term *t)
{
	if (c->role == COOP_ROLE_PRIMARY) {
		term_puts(t, "        Primary Timers: \n");
		term_printf(t, "                Primary Refresh Policy Time: %u \n",
			    (unsigned)(c->t.ann / 1000));
		term_printf(t, "                Remaining Time: %u\n",
			    left_s(c->next_ann_ms, now_ms));
	} else {
		term_puts(t, "        Secondary Timers: \n");
		term_printf(t, "                Sec Primary Periodic Time: %u \n",
			    (unsigned)(c->t.primary_wait / 1000));
		term_printf(t, "                Remaining Time: %u, Retries: %u\n",
			    left_s(c->role == COOP_ROLE_ELECTING ?
				   c->elect_end_ms : c->deadline_ms, now_ms),
			    c->retries);
		term_printf(t, "                Invalid ANN PST recvd: %lu\n",
			    c->invalid_pst);
		term_puts(t, "                New GM Temporary Blocking "
			  "Enforced?: No\n");
	}
	term_printf(t, "                Antireplay Sequence Number: %llu\n",
		    (unsigned long long)(c->counter_tx - c->conf.counter_base));
}

static void
show_counters(const struct coop_peer *p, struct term *t)
{
	term_puts(t, "                Counters:\n");
	term_printf(t, "                    Ann msgs sent: %lu\n", p->ann_tx);
	term_printf(t, "                    Ann msgs sent with reply request: "
		    "%lu\n", p->ann_tx_reply);
	term_printf(t, "                    Ann msgs recv: %lu \n", p->ann_rx);
	term_printf(t, "                    Ann msgs recv with reply request: "
		    "%lu\n", p->ann_rx_reply);
	term_printf(t, "                    Packet sent drops: %lu \n",
		    p->tx_drops);
	term_printf(t, "                    Packet Recv drops: %lu \n",
		    p->rx_drops);
	term_printf(t, "                    Total bytes sent: %llu \n",
		    p->bytes_tx);
	term_printf(t, "                    Total bytes recv: %llu\n",
		    p->bytes_rx);
}

static void
show_peer(const struct coop *c, size_t i, bool detail, struct term *t)
{
	const struct coop_peer *p = &c->peers[i];
	char a[INET_ADDRSTRLEN];

	term_printf(t, "        Session %zu:\n", i + 1);
	term_printf(t, "                Server handle: %u\n",
		    0x80000000u + (unsigned)(i + 2));
	term_printf(t, "                Peer Address: %s\n",
		    coop_ip4(p->addr, a));
	term_printf(t, "                Peer Priority: %u\n", p->priority);
	term_printf(t, "                Peer KS Role: %s, Peer KS Status: %s\n",
		    role_col(p->role), p->reachable ? "Alive     " : "Dead      ");
	term_printf(t, "                Antireplay Sequence Number: %llu\n\n",
		    (unsigned long long)p->counter_rx);
	term_puts(t, "                IKE status: Not used (RSA-signed COOP)\n");
	show_counters(p, t);
	if (detail)
		term_printf(t, "                Sync msgs sent: %lu, recv: %lu\n",
			    p->sync_tx, p->sync_rx);
}

static void
show_detail(const struct coop *c, struct term *t)
{
	uint32_t lo, hi;
	size_t local = 0;

	for (size_t i = 0; i < c->nmembers; i++)
		local += c->members[i].ks == c->conf.self;
	coop_sid_slice(c, 65536, &lo, &hi);
	term_printf(t, "        Epoch: %llu, Lineage SEQ: %u, State generation: "
		    "%u\n", (unsigned long long)c->epoch, c->sum.seq,
		    c->sum.gen);
	term_printf(t, "        SID range: %u-%u\n", lo, hi - 1);
	term_printf(t, "        Members: %zu local, %zu redundant\n", local,
		    c->nmembers - local);
	term_puts(t, "        Dropped COOP messages:\n");
	for (unsigned w = 0; w < COOP_DROP_COUNT; w++)
		term_printf(t, "                %s: %lu\n", coop_drop_name(w),
			    c->drops[w]);
}

void
coop_show(const struct coop *c, bool detail, uint64_t now_ms, struct term *t)
{
	char a[INET_ADDRSTRLEN];

	term_printf(t, "Crypto Gdoi Group Name :%s \n", c->conf.group_name);
	term_printf(t, "        Group handle: %u, Local Key Server handle: %u\n\n",
		    0x80000000u + 1, 0x80000000u + 1);
	term_printf(t, "        Local Address: %s \n",
		    coop_ip4(c->conf.self, a));
	term_printf(t, "        Local Priority: %u \n", c->conf.priority);
	term_printf(t, "        Local KS Role: %s, Local KS Status: Alive     \n",
		    role_col(c->role));
	show_timers(c, now_ms, t);
	if (detail)
		show_detail(c, t);
	term_puts(t, "        Peer Sessions:\n");
	for (size_t i = 0; i < c->conf.npeers; i++)
		show_peer(c, i, detail, t);
}
