/*
 * ike: the GDOI endpoint of this process (UDP 848): the IKEv1 Phase 1 SAs
 * and the GROUPKEY-PULL exchanges that run over them, for both roles.
 *
 * A group member asks for a registration (ike_register): the endpoint
 * brings up Phase 1 to the key server (or reuses an established SA),
 * runs GROUPKEY-PULL, retransmits, and reports the downloaded policy or
 * the failure once.  A key server hands the endpoint its callbacks
 * (struct ike_ks_ops): which group an identity names, the policy to send,
 * sender IDs, and the member to record once the exchange is complete.
 *
 * Everything a peer sends is checked; a bad datagram bumps a counter and
 * logs (rate limited), never more.  Half-open Phase 1 SAs are bounded and
 * expire, so a flood of first messages cannot exhaust memory.
 */
#ifndef ROLES_IKE_H
#define ROLES_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf;
struct evloop;
struct gdoi_policy;
struct keystore;
struct ike;
struct ike_reg;

#define IKE_GDOI_PORT 848
#define IKE_HALF_OPEN_MAX 1024		/* responder SAs before msg 5 */
#define IKE_HALF_OPEN_TIMEOUT_MS 30000
/* A half-open SA whose peer has been silent this long is dropped. */
#define IKE_HALF_OPEN_IDLE_MS 10000
/* From this many half-open SAs on, a message 1 from a peer that has not
 * proved it receives (roles/ike_cookie.c) is answered without state. */
#define IKE_COOKIE_PRESSURE 256
/* ... and a proven peer address holds at most this many of them. */
#define IKE_HALF_OPEN_PER_PEER 8
/* A proven peer's message 1 that finds the table full waits for a slot
 * (at most this many of them, this long: roles/ike_wait.c). */
#define IKE_WAIT_MAX 65536
#define IKE_WAIT_MS 10000
/* The receive buffer of each GDOI socket: a storm of message 1, or the
 * ACKs of thousands of members right after a unicast rekey, waits in the
 * kernel instead of being dropped while we are busy. */
#define IKE_RCVBUF (8 << 20)
/* A Main Mode message 1 longer than this is dropped before any state:
 * a real one (a few proposals, a few Vendor IDs) is well under 1 KB, and
 * a half-open SA keeps its message 1 to recognise a duplicate. */
#define IKE_MSG1_MAX 2048
#define IKE_RETRANSMIT_MS 2000		/* then 4 s, 8 s (doc/protocol.md §3.6) */
#define IKE_RETRANSMITS 3
#define IKE_RETRANSMIT_JITTER 25	/* percent, either way */
/* A registration SA is kept this long after its exchange completed
 * (duplicates are answered), then removed: IOS's GDOI_IDLE SAs "time out
 * soon after registration".  The member lets go first. */
#define IKE_KS_LINGER_MS 60000
#define IKE_GM_LINGER_MS 30000
/* RFC 3706 DPD: an SA whose peer misses this many probes is dead. */
#define IKE_DPD_MISSES 5

enum ike_ks_verdict {
	IKE_KS_OK,
	IKE_KS_UNKNOWN_GROUP,
	IKE_KS_UNAUTHORIZED,
	IKE_KS_NOT_READY,
};

struct ike_ks_ops {
	/* The group whose identity number is id, for a member at peer. */
	enum ike_ks_verdict (*lookup)(void *arg, uint32_t id, uint32_t peer,
				      void **group);
	/* The policy to send now (remaining lifetimes filled in). */
	int (*policy)(void *arg, void *group, struct gdoi_policy *out);
	/* Grant count sender IDs; returns how many were granted and the
	 * group's SID width in *bits. */
	size_t (*grant_sids)(void *arg, void *group, uint32_t peer,
			     size_t count, uint32_t *sids, unsigned *bits);
	/* The exchange completed: record the member (it registered from
	 * peer:port to our local address). */
	void (*registered)(void *arg, void *group, uint32_t peer,
			   uint16_t port, uint32_t local, const uint32_t *sids,
			   size_t nsid);
	/* Admission before any state (message 1): whether some group
	 * would let peer register (`authorization address`); NULL admits
	 * everyone. */
	bool (*admit)(void *arg, uint32_t peer);
};

struct ike_counters {
	unsigned long rx, tx, rx_bad, rx_busy, p1_up, p1_failed,
		pull_done, pull_failed, retransmits, rx_bad_hash, rx_unknown_sa,
		rx_rekey;
	unsigned long dpd_sent, dpd_acked, dpd_answered, dpd_dead, deletes_rcvd;
	/* message 1 dropped before any state: not admitted, too long */
	unsigned long rx_not_admitted, rx_too_long;
	/* message 2 sent without state; message 3 that proved its peer */
	unsigned long cookies_sent, cookies_ok;
	/* message 1 kept for a free slot; its retransmissions; too old */
	unsigned long rx_waited, rx_wait_dup, rx_wait_expired;
	/* message 1 retransmitted with the cookie a proof spent */
	unsigned long rx_spent;
	/* COOP between key servers (roles/ike_peer.c): dropped outside an
	 * SA, with a bad hash, malformed, under an SA with an address that
	 * is no configured COOP peer; Main Modes with a peer that failed;
	 * messages given up while waiting for an SA */
	unsigned long coop_no_sa, coop_bad_hash, coop_malformed, coop_unconf,
		coop_p1_failed, coop_unsent;
	unsigned long half_open_idle;	/* half-open SAs dropped as idle */
	unsigned long half_open, sas;	/* now */
};

/* A GROUPKEY-PUSH or -ACK as it arrived (addresses network order). */
struct ike_dgram {
	uint32_t from, local;		/* local: where it was sent to */
	uint16_t port;			/* the sender's */
	const uint8_t *p;
	size_t len;
};

/* Who takes rekey traffic: push on a member, ack on a key server (either
 * may be NULL: the datagram is counted in rx_unknown_sa and dropped). */
struct ike_rekey_ops {
	void (*push)(void *arg, const struct ike_dgram *d);
	void (*ack)(void *arg, const struct ike_dgram *d);
	/* KS-KS: a COOP message that arrived under the Phase 1 SA of a
	 * configured pair, its hash checked; d->p is the COOP chain (gdoi/coop.h) */
	void (*coop)(void *arg, const struct ike_dgram *d);
	/* Is peer a configured COOP peer of our address local (network
	 * order)?  NULL: none is. */
	bool (*coop_peer)(void *arg, uint32_t local, uint32_t peer);
};

/* conf gives the ISAKMP policies and pre-shared keys; keys the RSA keys. */
struct ike *ike_new(struct evloop *loop, uint16_t port, char *err,
		    size_t errlen);
void ike_free(struct ike *ike);
/* Follow the running-config (ISAKMP policies, keys). */
void ike_set_conf(struct ike *ike, const struct conf *conf,
		  const struct keystore *keys);
/* Be a key server: answer Phase 1 and GROUPKEY-PULL. */
void ike_set_ks(struct ike *ike, const struct ike_ks_ops *ops, void *arg);
/* Hand GROUPKEY-PUSH (exchange 33) and -ACK (35) datagrams to ops. */
void ike_set_rekey(struct ike *ike, const struct ike_rekey_ops *ops,
		   void *arg);
/* Send one datagram from local (0: routing decides) to to:port on the
 * GDOI socket of local.  -1 when there is none or the send failed. */
int ike_send_to(struct ike *ike, uint32_t local, uint32_t to, uint16_t port,
		const uint8_t *p, size_t len);
/* A COOP chain (gdoi/coop.h) to the key server peer, under the Phase 1
 * SA of local and peer; without one it waits (a few messages) while Main
 * Mode runs (doc/coop.md "Protection between key servers"). */
int ike_coop_send(struct ike *ike, uint32_t local, uint32_t peer,
		  const uint8_t *chain, size_t len);
/* Is a Phase 1 SA of local and peer up for COOP? */
bool ike_coop_sa_up(const struct ike *ike, uint32_t local, uint32_t peer);
/* After a config change: the SAs of key server pairs no longer
 * configured (`no peer address ipv4`, the group or its redundancy gone)
 * are deleted at once, each with a Delete so the peer drops its side
 * too, and the COOP messages waiting for them are dropped. */
void ike_peers_prune(struct ike *ike);
/* The same to a multicast group, leaving through the interface of
 * local with this TTL. */
int ike_send_mcast(struct ike *ike, uint32_t local, uint32_t group,
		   uint16_t port, const uint8_t *p, size_t len, unsigned ttl);
/* Receive the multicast rekeys sent to group:port on the interface with
 * address ifaddr (joins; counted, so two groups may share one).  -1 with
 * err set. */
int ike_join(struct ike *ike, uint32_t group, uint32_t ifaddr, char *err,
	     size_t errlen);
void ike_leave(struct ike *ike, uint32_t group);
/* Our GDOI port. */
uint16_t ike_port(const struct ike *ike);
/* The UDP port key servers are reached on (default: our own port). */
void ike_set_remote_port(struct ike *ike, uint16_t port);
/* Receive on local:port (0 = any address).  Idempotent.  Between
 * ike_listen_begin() and ike_listen_end(), sockets nobody asked for again
 * are closed at the end (the config no longer names their address). */
void ike_listen_begin(struct ike *ike);
int ike_listen(struct ike *ike, uint32_t local, char *err, size_t errlen);
void ike_listen_end(struct ike *ike);

/* Register to ks for group id; done() runs exactly once unless cancelled. */
int ike_register(struct ike *ike, uint32_t local, uint32_t ks, uint32_t id,
		 void (*done)(void *arg, int rc, const char *why,
			      const struct gdoi_policy *p),
		 void *arg, struct ike_reg **h);
void ike_register_cancel(struct ike_reg **h);

/* Drop every SA with this peer (clear crypto gdoi / isakmp). */
void ike_clear(struct ike *ike);

/* Write every GDOI datagram sent or received to a pcap file (path NULL
 * stops).  -1 when the file cannot be created. */
int ike_capture(struct ike *ike, const char *path);

/* show crypto isakmp sa: the rows of the Phase 1 SAs */
struct showout;
void ike_show_sa_rows(const struct ike *ike, struct showout *o);
/* The same SAs with their suites and lifetimes left (`show crypto isakmp
 * sa detail`). */
void ike_show_sa_detail(const struct ike *ike, struct showout *o);
/* A GROUPKEY-PUSH no group claimed: counted and logged (rate limited). */
void ike_rekey_unclaimed(struct ike *ike, uint32_t from);
const struct ike_counters *ike_counters(const struct ike *ike);

#endif
