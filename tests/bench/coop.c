/*
 * bench_coop: what COOP synchronisation costs (roles/coop.c, doc/coop.md)
 * between two engines with an RSA-2048 group key on an in-process
 * network and a virtual clock: the octets and CPU spent to tell the
 * primary of 10,000 members that registered with the secondary at a
 * given rate (joins are batched for COOP_FLUSH_MS, every SYNC-DELTA and
 * its ACK signed by the sender and verified by the receiver, so the cost
 * falls as the rate rises), and how long a secondary takes to replace a
 * dead primary with the IOS timers (virtual time: the timers, not the
 * CPU, set it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gdoi/rsakey.h"
#include "roles/coop.h"

#define JOINS 10000

struct node {
	struct coop *c;
	unsigned long long bytes;
};

struct pkt {
	int to;
	uint32_t from;
	size_t len;
	uint8_t d[65536];
};

static struct node nodes[2];
static struct pkt *queue;
static size_t nq, capq;
static bool down[2];
static unsigned long long sent;	/* datagrams */

static uint32_t addr_of(int i) { return 0x0a000001u + (uint32_t)i; }

static void
net_send(void *ctx, uint32_t to, const uint8_t *p, size_t len)
{
	struct node *n = ctx;

	n->bytes += len;
	sent++;
	if (nq == capq) {
		capq = capq ? capq * 2 : 64;
		queue = realloc(queue, capq * sizeof(*queue));
		if (queue == NULL)
			exit(1);
	}
	queue[nq].to = (int)(to - addr_of(0));
	queue[nq].from = addr_of((int)(n - nodes));
	queue[nq].len = len;
	memcpy(queue[nq].d, p, len);
	nq++;
}

static void
on_event(void *ctx, enum coop_event ev)
{
	(void)ctx;
	(void)ev;
}

/* What is queued now; answers go to a fresh queue. */
static void
deliver(uint64_t now)
{
	struct pkt *q = queue;
	size_t n = nq;

	queue = NULL;
	nq = capq = 0;
	for (size_t i = 0; i < n; i++)
		if (!down[q[i].to])
			coop_input(nodes[q[i].to].c, q[i].from, q[i].d,
				   q[i].len, now);
	free(q);
}

static void
run(uint64_t *now, uint64_t until)
{
	while (*now < until) {
		*now += 100;
		for (int i = 0; i < 2; i++)
			if (!down[i])
				coop_tick(nodes[i].c, *now);
		deliver(*now);
	}
}

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* JOINS registrations at the secondary, per_s a second, a tick after
 * each as in the daemon; what the two sides spend on them. */
struct cost {
	double secs;
	unsigned long long octets, datagrams;
};


static void
joins(uint64_t *now, unsigned per_s, struct cost *c)
{
	static uint32_t next = 0x0b000000u;
	unsigned long long b0 = nodes[0].bytes + nodes[1].bytes, d0 = sent;
	double t0 = cpu(), step = 1000.0 / per_s, at = (double)*now;

	for (unsigned i = 0; i < JOINS; i++) {
		at += step;
		*now = (uint64_t)at;
		coop_member_add(nodes[1].c, next++, 1 + i % 8000, *now);
		coop_tick(nodes[1].c, *now);
		deliver(*now);	/* the primary verifies and ACKs */
		deliver(*now);
	}
	run(now, *now + 1000);
	c->secs = cpu() - t0;
	c->octets = nodes[0].bytes + nodes[1].bytes - b0;
	c->datagrams = sent - d0;
}

int
main(void)
{
	struct rsakey *key = rsakey_generate(2048);
	struct coop_io io = { .send = net_send, .event = on_event };
	uint64_t now = 1000000, killed;
	static const unsigned rates[] = { 100, 1000, 10000 };
	struct cost c;

	if (key == NULL)
		return 1;
	for (int i = 0; i < 2; i++) {
		struct coop_conf conf = {
			.group = 1, .self = addr_of(i),
			.priority = (uint16_t)(200 - 100 * i), .key = key,
			.counter_base = (uint64_t)now << 16, .npeers = 1,
		};

		conf.peers[0] = addr_of(1 - i);
		io.ctx = &nodes[i];
		nodes[i].c = coop_new(&conf, &io, now);
		if (nodes[i].c == NULL)
			return 1;
	}
	run(&now, now + 30000);
	if (coop_role(nodes[0].c) != COOP_ROLE_PRIMARY)
		return 1;
	printf("coop: the primary learns of 10,000 registrations at the "
	       "secondary (RSA-2048; both sides' CPU, ANNs included)\n");
	for (size_t r = 0; r < sizeof(rates) / sizeof(*rates); r++) {
		joins(&now, rates[r], &c);
		printf("  %5u joins/s  %6.2f s CPU  %9llu octets  %5llu "
		       "datagrams  (target < 1 s CPU: %.2fx)\n", rates[r],
		       c.secs, c.octets, c.datagrams, c.secs);
	}
	if (coop_nmembers(nodes[0].c) != 3 * JOINS ||
	    coop_drops(nodes[0].c, COOP_DROP_FLOOD) != 0)
		return 1;
	down[0] = true;
	killed = now;
	while (coop_role(nodes[1].c) != COOP_ROLE_PRIMARY &&
	       now < killed + 120000)
		run(&now, now + 100);
	printf("  takeover after the primary dies: %.1f s (IOS timers; "
	       "three periods = %d s)\n", (double)(now - killed) / 1000,
	       3 * COOP_ANN_MS / 1000);
	for (int i = 0; i < 2; i++)
		coop_free(nodes[i].c);
	free(queue);
	rsakey_free(key);
	return 0;
}
