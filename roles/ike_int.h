/*
 * ike_int: the GDOI endpoint's internal types, shared by roles/ike*.c
 * and not for use outside them.  Layers, each calling only those below:
 * ike.c (sockets, dispatch, configuration); the exchanges ike_reg.c
 * (member registrations), ike_ks.c (the key server's PULL side),
 * ike_peer.c (key server pairs), ike_info.c (Informational, DPD);
 * ike_wait.c (message 1s waiting for a slot); ike_sa.c (the SA table);
 * ike_tx.c (sending and capture) and ike_cookie.c.
 */
#ifndef ROLES_IKE_INT_H
#define ROLES_IKE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/phase1.h"
#include "gdoi/pull.h"
#include "gdoi/pull_msg.h"
#include "platform/udp.h"
#include "roles/ike.h"

struct ev_io;
struct ev_timer;
struct hmap;
struct udp_sock;
struct pcapw;

#define IKE_PROP_MAX 16
/*
 * Wiped GROUPKEY-PULL exchanges (15 KB each) a key server keeps for the
 * next registrations: allocating, clearing and returning them to the
 * heap per registration cost page faults and cache misses (doc/gdoi.md
 * "Registration cost").  At most this many, 1 MB.
 */
#define IKE_PX_POOL 64
/* Receive: datagrams of up to IKE_RX_MAX octets, UDP_BATCH per system
 * call, at most IKE_RX_ROUNDS calls per wake-up.  Send: replies of up
 * to IKE_TX_SLOT octets wait for the end of the batch (ike_tx.c). */
#define IKE_RX_MAX 65536
#define IKE_RX_ROUNDS 4
#define IKE_TX_SLOT 4096

struct ike_sock {
	uint32_t local;			/* network order, 0 = any */
	unsigned joins;			/* a multicast group's socket: users */
	bool wanted;			/* asked for since ike_listen_begin() */
	struct udp_sock *us;
	struct ev_io *io;
	struct ike *ike;
	struct ike_sock *next;
};

/* Replies waiting for the end of a receive batch (ike_tx.c). */
struct ike_txq {
	unsigned hold;			/* batches being handled */
	unsigned n;
	struct ike_sock *sock[UDP_BATCH];
	struct udp_peer to[UDP_BATCH];
	size_t len[UDP_BATCH];
	uint8_t buf[UDP_BATCH][IKE_TX_SLOT];
};

/* A key server side GROUPKEY-PULL exchange (by Message ID).  Once it is
 * done only the last request and reply are kept (duplicates of message 3
 * are answered from them); the policy and keys are wiped at once. */
struct ike_pullx {
	uint32_t mid;
	struct pull_ks *px;		/* NULL once done */
	struct pull_stored done;
	struct ike_pullx *next;
};

struct ike_peer;
struct ike_sa;

/*
 * What the SA table (ike_sa.c) tells the files above it, through a
 * pointer ike_new() sets: an SA left every table and its timers stopped,
 * so its owners (registration, key server pair, PULL exchanges) let go
 * of it before it is freed.
 */
typedef void ike_sa_gone_fn(struct ike_sa *sa);

struct ike_sa {
	struct ike *ike;
	struct p1_sa *p1;
	uint32_t local, peer;		/* network order */
	uint16_t peer_port;
	char key[64];			/* in ike->by_cookie */
	bool half_open;			/* responder before msg 5 */
	bool established;
	uint64_t created_ms;
	uint64_t heard_ms;		/* the peer's last Main Mode message */
	struct ev_timer *t_rtx;		/* initiator retransmission */
	struct ev_timer *t_linger;	/* removal after the exchange */
	struct ev_timer *t_dpd;		/* next R-U-THERE */
	uint32_t dpd_seq;
	bool dpd_waiting;		/* a probe is unanswered */
	unsigned dpd_misses;
	unsigned rtx;
	struct ike_pullx *pulls;	/* KS side */
	struct ike_reg *reg;		/* GM side registration on this SA */
	struct ike_peer *kp;		/* a KS-KS SA: the pair's record */
	uint64_t up_ms;			/* established at */
	bool retired;			/* replaced: deleted after a grace */
	struct ike_sa *prev, *next;
	/* established and ours: in ike->up_by_pair, chained per address pair */
	bool up_indexed;
	struct ike_sa *up_prev, *up_next;
};

struct ike_reg {
	struct ike *ike;
	struct ike_sa *sa;
	uint32_t local, ks, id;
	void (*done)(void *arg, int rc, const char *why,
		     const struct gdoi_policy *p);
	void *arg;
	struct ike_reg **owner;
	struct pull_gm pg;
	bool pulling;
	struct gdoi_policy *policy;
	struct ev_timer *t_rtx, *t_deadline;
	unsigned rtx;
	unsigned p1_restarts;		/* after INVALID-COOKIE */
};

/*
 * Key server pairs (roles/ike_peer.c, doc/coop.md "Protection between
 * key servers"): the SAs of one local address and one COOP peer (up or
 * being negotiated) and the COOP messages waiting for an SA.
 */
#define IKE_PEER_SAS 8			/* SAs of one pair at a time */
#define IKE_PEER_QUEUE 32		/* messages waiting for the SA */
#define IKE_PEER_RETRY_MS 10000		/* after a Main Mode that failed */
#define IKE_PEER_LOG_MS 60000		/* a failing pair's log line */
#define IKE_PEER_REKEY_PCT 85		/* of its lifetime: the next SA */
#define IKE_PEER_REKEY_LATE_PCT 90	/* the same, the higher address */
#define IKE_PEER_GRACE_MS 5000		/* a replaced SA still receives */

struct ike_peer_msg;

struct ike_peer {
	uint32_t local, peer;		/* network order */
	struct ike_sa *sas[IKE_PEER_SAS];
	struct ike_peer_msg *q, *qtail;
	unsigned nq;
	uint64_t retry_ms;		/* no Main Mode of ours before */
	uint64_t logged_ms;		/* its last failure logged */
	struct ev_timer *t_rekey;	/* the next SA before this one ends */
	struct ike_peer *next;
};

/* Responder cookies and proven peers (roles/ike_cookie.c). */
#define IKE_COOKIE_KEY_LEN 32
#define IKE_COOKIE_ROTATE_MS 60000
#define IKE_PROVEN_MS 60000
/* Proven peers: sets of ways, the oldest of a full set replaced.  A
 * direct-mapped table made two members of one slot unprove each other in
 * a storm of 10,000 (each cookie round costs the member a Phase 1). */
#define IKE_PROVEN_SETS 32768
#define IKE_PROVEN_WAYS 8

struct ike_proven {
	uint32_t addr;			/* network order */
	uint16_t port;
	/* CKY-I of the exchange the peer proved itself with: it starts
	 * again with a new one, so a message 1 still carrying this one is a
	 * late retransmission (it would hold a slot nobody completes) */
	uint8_t spent_cky[8];
	uint64_t until_ms;
};

struct ike_cookies {
	uint8_t key[2][IKE_COOKIE_KEY_LEN];	/* current, previous */
	uint64_t rotated_ms;
	bool keyed;
	uint16_t port;			/* of the message 1 being answered */
	/* IKE_PROVEN_SETS x IKE_PROVEN_WAYS (4 MiB), made the first time a
	 * peer proves itself: only a key server under pressure needs it */
	struct ike_proven *proven;
};

struct ike_waiting;

/* Message 1s of proven peers waiting for a half-open slot (ike_wait.c). */
struct ike_waitq {
	struct ike_waiting *head, *tail;
	struct hmap *by_key;		/* sa_key() -> waiting (duplicates) */
	size_t n;
};

struct ike {
	struct evloop *loop;
	uint16_t port;			/* ours */
	uint16_t remote_port;		/* key servers' */
	struct ike_sock *socks;
	struct ike_sock *msocks;	/* multicast groups joined */
	ike_sa_gone_fn *sa_gone;
	const struct ike_rekey_ops *rekey_ops;
	void *rekey_arg;
	struct hmap *by_cookie;
	struct hmap *up_by_pair;	/* local|peer -> established SAs we
					 * initiated (ike_sa_find_established) */
	struct ike_sa *sa_head;
	const struct conf *conf;
	const struct keystore *keys;
	struct p1_proposal prop[IKE_PROP_MAX];
	struct p1_config p1cfg;
	struct p1_stats p1stats;
	const struct ike_ks_ops *ks_ops;
	void *ks_arg;
	struct ike_counters cnt;
	struct ev_timer *t_gc;
	struct pcapw *capture;
	unsigned dpd_interval, dpd_retry;	/* seconds; 0 = no DPD */
	struct buf_writer out;
	struct ike_cookies cookies;
	/* wiped key server exchanges kept for the next ones (ike_ks.c) */
	struct pull_ks *px_pool[IKE_PX_POOL];
	unsigned npx;
	uint8_t *rx;			/* UDP_BATCH buffers of IKE_RX_MAX */
	struct ike_txq txq;
	struct ike_waitq waitq;
	struct hmap *half_open_by_peer;	/* peer hex -> count (uintptr_t) */
	struct ike_peer *peers;		/* key server pairs */
};

/* ike_wait.c: keep a message 1 until a half-open slot frees (true:
 * kept, or a copy of it already waits); start what waits while slots are
 * free; drop everything. */
bool ike_wait_add(struct ike *ike, uint32_t local, uint32_t peer,
		  uint16_t port, const char *key, const uint8_t *p, size_t len);
void ike_wait_run(struct ike *ike);
void ike_wait_free(struct ike *ike);

/* ike_sa.c */
/* The SA table's key of CKY-I icookie and peer (network order). */
void ike_sa_key(const uint8_t *icookie, uint32_t peer, char *key, size_t len);
/* The SA under key (ike_sa_key()), or NULL. */
struct ike_sa *ike_sa_get(const struct ike *ike, const char *key);
/* Half-open responder SAs of peer (network order). */
unsigned ike_half_open_of(const struct ike *ike, uint32_t peer);
/* Answer message 1 p of peer: with state, or (stateless) a message 2
 * whose cookie the peer must bring back. */
void ike_responder_open(struct ike *ike, uint32_t local, uint32_t peer,
			uint16_t port, const uint8_t *p, size_t len,
			bool stateless);
/* The wait before retransmission number rtx + 1 of an initiator:
 * IKE_RETRANSMIT_MS << rtx, spread by +-IKE_RETRANSMIT_JITTER % at
 * random so that members that started together do not retransmit
 * together (a storm would otherwise come back in waves). */
uint64_t ike_rtx_ms(unsigned rtx);
/* An initiator sent its next message: retransmit it until answered. */
void ike_sa_rtx_start(struct ike_sa *sa);
/* Main Mode is done: no retransmissions, no longer half open, counted,
 * and (ours) found by ike_sa_find_established(). */
void ike_sa_set_established(struct ike_sa *sa);
struct ike_sa *ike_sa_initiate(struct ike *ike, uint32_t local, uint32_t peer);
/* Main Mode to peer:port (ike_sa_initiate: to the key servers' port). */
struct ike_sa *ike_sa_initiate_to(struct ike *ike, uint32_t local,
				  uint32_t peer, uint16_t port);
struct ike_sa *ike_sa_find_established(struct ike *ike, uint32_t local,
				       uint32_t peer);
void ike_sa_destroy(struct ike_sa *sa);
/* Tell the peer with a Delete (when established), then destroy sa. */
void ike_sa_delete(struct ike_sa *sa);
/* Remove sa after ms (its registration completed). */
void ike_sa_linger(struct ike_sa *sa, uint64_t ms);
/* A datagram from peer we cannot use: counted, logged (rate limited). */
void ike_bad_message(struct ike *ike, uint32_t peer);

/* ike_cookie.c */
void ike_cookie_setup(struct ike *ike);
bool ike_cookie_ok(struct ike *ike, uint32_t peer, uint16_t port,
		   const uint8_t *cky_i, const uint8_t *cky_r);
void ike_proven_add(struct ike *ike, uint32_t peer, uint16_t port,
		    const uint8_t *spent_cky);
/* 1: proven; -1: proven, and cky_i is the one it spent; 0: not proven. */
int ike_proven(struct ike *ike, uint32_t peer, uint16_t port,
	       const uint8_t *cky_i);

/* ike_tx.c: send p now, or at the end of the batch being handled. */
void ike_send(struct ike *ike, struct ike_sa *sa, const uint8_t *p, size_t len);
/* The socket to send from local on (the wildcard one if none is bound
 * to it), or NULL. */
struct ike_sock *ike_sock_for(struct ike *ike, uint32_t local);
/* Into the capture file, when one is open. */
void ike_capture_dgram(struct ike *ike, uint32_t src, uint16_t sport,
		       uint32_t dst, uint16_t dport, const uint8_t *p,
		       size_t len);
int ike_tx(struct ike *ike, struct ike_sock *sock, const struct udp_peer *to,
	   const uint8_t *p, size_t len);
void ike_tx_hold(struct ike *ike);
void ike_tx_release(struct ike *ike);
void ike_tx_flush(struct ike *ike);

/* ike_peer.c: a COOP datagram (sa: the SA its cookies name, or NULL);
 * an SA came up; an SA is going; everything freed. */
void ike_peer_input(struct ike *ike, struct ike_sa *sa, uint32_t local,
		    uint32_t from, const uint8_t *p, size_t len);
void ike_peer_sa_up(struct ike_sa *sa);
void ike_peer_sa_gone(struct ike_sa *sa);
void ike_peer_free(struct ike *ike);

/* ike_ks.c */
void ike_pull_ks_input(struct ike_sa *sa, uint32_t mid, const uint8_t *p,
		       size_t len);
void ike_pullx_free(struct ike *ike, struct ike_pullx *x);
/* Free the wiped exchanges kept for reuse. */
void ike_px_pool_free(struct ike *ike);

/* ike_info.c */
void ike_info_input(struct ike_sa *sa, const uint8_t *p, size_t len);
void ike_dpd_start(struct ike_sa *sa);

/* ike_reg.c */
void ike_reg_p1_done(struct ike_reg *reg, bool ok, const char *why);
void ike_reg_pull_input(struct ike_reg *reg, const uint8_t *p, size_t len);
void ike_reg_notify(struct ike_reg *reg, uint16_t type);
void ike_reg_finish(struct ike_reg *reg, int rc, const char *why);
/* The key server answered message 3 with INVALID-COOKIE (it kept no
 * state): Phase 1 again at once, up to IKE_REG_P1_RESTARTS times. */
#define IKE_REG_P1_RESTARTS 4
/* ike_reg_p1_restart - Phase 1 again after INVALID-COOKIE, sending dh
 * (the refused attempt's key pair, or NULL) again; takes dh. */
void ike_reg_p1_restart(struct ike_reg *reg, struct dh *dh);

#endif
