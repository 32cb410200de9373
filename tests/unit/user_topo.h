/*
 * user_topo: the namespaces the root data-plane cases run in:
 * h1 -lan0/eth0- gm1 -wan0- gm2 -lan0/eth0- h2, the WAN one veth pair
 * (10.99.0.1 - 10.99.0.2, MTU 1500), LANs 192.168.1.0/24 and
 * 192.168.2.0/24 (hosts .10, members .1), members forwarding.
 * Namespace names are "<stem><pid>-<node>", so two files' cases never
 * share one.
 */
#ifndef TESTS_USER_TOPO_H
#define TESTS_USER_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/ipsec.h"
#include "platform/evloop.h"

/* Build the topology (removing an earlier one of the same stem);
 * 0 or the shell's status. */
int utopo_setup(const char *stem);
/* Remove the namespaces of the last utopo_setup. */
void utopo_teardown(void);
/* The name of node ("gm1") as a namespace, for ip -n / ip netns exec. */
const char *utopo_ns(const char *node);
/* Make node's namespace this thread's. */
void utopo_enter(const char *node);
/* A user backend opened in node's namespace and attached to wan0 with
 * lan0 as its LAN (no SAs). */
void utopo_member(const char *node, struct ipsec_ctx *x, struct evloop *loop);
/* An ICMP echo request (id, seq) from h1 (whose namespace it enters) to
 * h2 on a raw socket; utopo_ping_reply tells whether its reply came. */
int utopo_ping_send(uint16_t id, uint16_t seq);
bool utopo_ping_reply(int s, uint16_t id);
/* Packets between the two LANs on the WAN, by direction, seen by a
 * packet socket in gm2 (what gm2 sends is PACKET_OUTGOING, the rest came
 * from gm1). */
enum { UTOPO_FROM_GM1, UTOPO_FROM_GM2 };
struct utopo_wan {
	unsigned esp[2], clear[2];
	size_t esp_max;			/* largest ESP packet, octets */
	unsigned lost;			/* the capture's own drops */
};
/* The packet socket on gm2's wan0 (gm2's namespace is left current). */
int utopo_wan_capture(void);
/* Count what the capture holds into w. */
void utopo_wan_drain(int cap, struct utopo_wan *w);
/* system() on a formatted command line. */
int utopo_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
