/*
 * ike: the GDOI endpoint on UDP 848 (see roles/ike.h): sockets, the
 * dispatch of received datagrams, and the configuration.  Each datagram
 * goes to the part that handles it: Main Mode to gdoi/phase1.c through
 * the SA table (ike_sa.c), GROUPKEY-PULL to the member's registration
 * (ike_reg.c) or the key server's side (ike_ks.c), Informational and DPD
 * to ike_info.c, COOP to the key server pairs (ike_peer.c), rekeys to
 * the roles.  Protocol work is done in gdoi/; this file only moves
 * datagrams, keeps timers, and counts and logs (rate limited) what it
 * refuses.  The files below it (ike_sa.c, ike_tx.c, ike_wait.c,
 * ike_cookie.c) call nothing here.
 *
 * A message 1 is admitted before it costs anything, and under pressure
 * answered without state (doc/gdoi.md "Registration under attack"); a
 * sweep every few seconds removes negotiations older than
 * P1_NEGOTIATION_TIMEOUT_MS.
 */
#include "roles/ike_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/isakmp.h"
#include "parser/conf.h"
#include "parser/conf_isakmp.h"
#include "parser/conf_keyring.h"
#include "platform/evloop.h"
#include "platform/hmap.h"
#include "platform/log.h"
#include "platform/showout.h"
#include "platform/udp.h"
#include "roles/gdoi_log.h"
#include "roles/pki.h"
#include "roles/show.h"

#define IKE_GC_MS 1000

/* An SA left the table (ike_sa.c): its owners let go of it. */
static void
sa_gone(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_reg *reg = sa->reg;

	if (sa->kp != NULL)
		ike_peer_sa_gone(sa);
	sa->established = false;
	while (sa->pulls != NULL) {
		struct ike_pullx *x = sa->pulls;

		sa->pulls = x->next;
		ike_pullx_free(ike, x);
	}
	if (reg != NULL)
		ike_reg_p1_done(reg, false, "the ISAKMP SA was removed");
}

/*
 * Configuration: proposals from `crypto isakmp policy`, PSK by address.
 */
static const uint8_t *
psk_lookup(void *arg, uint32_t peer, size_t *len)
{
	struct ike *ike = arg;
	const struct conf_isakmp_key *k;

	if (ike->conf == NULL)
		return NULL;
	k = conf_isakmp_key_for_peer(ike->conf->isakmp, peer);
	if (k == NULL)
		k = conf_keyrings_key_for_peer(ike->conf->keyrings, peer);
	if (k == NULL)
		return NULL;
	*len = strlen(k->secret);
	return (const uint8_t *)k->secret;
}

static void
prop_from(const struct conf_isakmp_policy *p, struct p1_proposal *o)
{
	static const uint16_t hashes[] = {
		[CONF_ISAKMP_HASH_SHA] = IKE_HASH_SHA1,
		[CONF_ISAKMP_HASH_MD5] = IKE_HASH_MD5,
		[CONF_ISAKMP_HASH_SHA256] = IKE_HASH_SHA2_256,
		[CONF_ISAKMP_HASH_SHA384] = IKE_HASH_SHA2_384,
		[CONF_ISAKMP_HASH_SHA512] = IKE_HASH_SHA2_512,
	};

	memset(o, 0, sizeof(*o));
	o->enc = p->encr == CONF_ISAKMP_ENCR_AES ? IKE_ENCR_AES_CBC
		: p->encr == CONF_ISAKMP_ENCR_3DES ? IKE_ENCR_3DES_CBC
		: IKE_ENCR_DES_CBC;
	o->keylen = p->encr == CONF_ISAKMP_ENCR_AES
		? (p->encr_bits ? p->encr_bits : 128) : 0;
	o->hash = hashes[p->hash];
	o->auth = p->auth == CONF_ISAKMP_AUTH_PRE_SHARE ? IKE_AUTH_PRE_SHARED
		: IKE_AUTH_RSA_SIG;
	o->group = p->group;
	o->lifetime = p->lifetime;
}

/*
 * RSA signatures: our key, certificate and identity and the peer
 * certificate check come from the trustpoints (roles/pki.h).  Their
 * runtime is rebuilt on every apply (`crypto pki import` applies too) and
 * is owned through p1cfg.peer_key_arg; conf NULL only frees it.
 */
static void
ike_pki_apply(struct ike *ike, const struct conf *conf,
	      const struct keystore *keys)
{
	struct pki *old = ike->p1cfg.peer_key_arg;
	struct pki *p = conf != NULL ? pki_new(conf, keys, old) : NULL;
	bool id_dn = conf != NULL &&
		     conf->isakmp->identity == CONF_ISAKMP_ID_DN;

	pki_p1_config(p, id_dn, &ike->p1cfg);
	pki_free(old);
}

void
ike_set_conf(struct ike *ike, const struct conf *conf,
	     const struct keystore *keys)
{
	size_t n = 0;

	ike->conf = conf;
	ike->keys = keys;
	for (const struct conf_isakmp_policy *p =
		     conf_isakmp_policy_first(conf->isakmp);
	     p != NULL && n < IKE_PROP_MAX; p = p->next)
		prop_from(p, &ike->prop[n++]);
	ike->p1cfg.prop = ike->prop;
	ike->p1cfg.nprop = n;
	ike->p1cfg.legacy = conf->isakmp->legacy;
	ike->p1cfg.dh_reuse_ms = conf->isakmp->dh_reuse * 1000u;
	/* `crypto isakmp keepalive S R periodic`: probes on every SA */
	ike->dpd_interval = conf->isakmp->keepalive.set &&
		conf->isakmp->keepalive.periodic
		? conf->isakmp->keepalive.interval : 0;
	ike->dpd_retry = conf->isakmp->keepalive.retry;
	ike->p1cfg.psk = psk_lookup;
	ike->p1cfg.psk_arg = ike;
	ike->p1cfg.stats = &ike->p1stats;
	ike_pki_apply(ike, conf, keys);
}

void
ike_set_remote_port(struct ike *ike, uint16_t port)
{
	ike->remote_port = port;
}

void
ike_set_ks(struct ike *ike, const struct ike_ks_ops *ops, void *arg)
{
	ike->ks_ops = ops;
	ike->ks_arg = arg;
}

enum responder_way {
	RESP_STATEFUL,
	RESP_STATELESS,		/* unproven peer under pressure: a cookie */
	RESP_FULL,		/* proven, the table full: it waits */
	RESP_PEER_CAP,		/* proven, holding its share: dropped */
	RESP_SPENT,		/* the cookie it proved itself with: dropped */
};

/*
 * Under pressure (doc/gdoi.md "Registration under attack"): a peer that
 * has not proved it receives gets no state (stateless); a proven one
 * gets state unless it already holds IKE_HALF_OPEN_PER_PEER negotiations
 * (dropped) or the table is full (its message 1 waits for a slot,
 * roles/ike_wait.c).  Nothing already started is ever evicted.
 */
static enum responder_way
responder_way(struct ike *ike, uint32_t peer, const uint8_t *cky_i)
{
	int proven = ike_proven(ike, peer, ike->cookies.port, cky_i);

	if (proven < 0)
		return RESP_SPENT;
	if (ike->cnt.half_open < IKE_COOKIE_PRESSURE)
		return RESP_STATEFUL;
	if (proven == 0)
		return RESP_STATELESS;
	if (ike_half_open_of(ike, peer) >= IKE_HALF_OPEN_PER_PEER)
		return RESP_PEER_CAP;
	return ike->cnt.half_open >= IKE_HALF_OPEN_MAX ? RESP_FULL
						       : RESP_STATEFUL;
}

/*
 * Before a message 1 costs anything (doc/gdoi.md "Registration under
 * attack"): a peer no group would authorize, or a message 1 longer than
 * any real one, is dropped silently and counted, so a flood from outside
 * the `authorization address` ACLs never takes a half-open slot from a
 * member.
 */
static bool
responder_admit(struct ike *ike, uint32_t peer, size_t len)
{
	if (len > IKE_MSG1_MAX) {
		ike->cnt.rx_too_long++;
		return false;
	}
	if (ike->ks_ops->admit != NULL &&
	    !ike->ks_ops->admit(ike->ks_arg, peer)) {
		ike->cnt.rx_not_admitted++;
		return false;
	}
	return true;
}

static void
responder_start(struct ike *ike, uint32_t local, uint32_t peer, uint16_t port,
		const uint8_t *p, size_t len)
{
	char key[64];

	if (ike->ks_ops == NULL)
		return;
	if (!responder_admit(ike, peer, len))
		return;
	ike->cookies.port = port;
	switch (responder_way(ike, peer, p)) {	/* CKY-I leads */
	case RESP_PEER_CAP:
		ike->cnt.rx_busy++;
		return;
	case RESP_SPENT:
		ike->cnt.rx_spent++;
		return;
	case RESP_FULL:
		ike_sa_key(p, peer, key, sizeof(key));
		if (!ike_wait_add(ike, local, peer, port, key, p, len))
			ike->cnt.rx_busy++;
		return;
	case RESP_STATELESS:
		ike_responder_open(ike, local, peer, port, p, len, true);
		return;
	case RESP_STATEFUL:
		ike_responder_open(ike, local, peer, port, p, len, false);
		return;
	}
}

static void
main_mode_input(struct ike_sa *sa, const uint8_t *p, size_t len)
{
	struct ike *ike = sa->ike;
	enum p1_result r;

	sa->heard_ms = ev_now(ike->loop);
	buf_writer_reset(&ike->out);
	r = p1_process(sa->p1, p, len, ev_now(ike->loop), &ike->out);
	ike_send(ike, sa, buf_data(&ike->out), buf_len(&ike->out));
	switch (r) {
	case P1_DROP:
		ike_bad_message(ike, sa->peer);
		return;
	case P1_SEND:
		if (p1_sa_initiator(sa->p1))
			ike_sa_rtx_start(sa);
		return;
	case P1_ESTABLISHED:
		ike_sa_set_established(sa);
		ike_dpd_start(sa);
		if (sa->reg != NULL)
			ike_reg_p1_done(sa->reg, true, NULL);
		else
			ike_peer_sa_up(sa);	/* a key server pair's? */
		return;
	case P1_FAILED:
		ike->cnt.p1_failed++;
		if (sa->reg != NULL && p1_sa_initiator(sa->p1) &&
		    p1_sa_notify_rcvd(sa->p1) == ISAKMP_N_INVALID_COOKIE) {
			struct ike_reg *reg = sa->reg;
			struct dh *dh = p1_sa_take_dh(sa->p1);

			sa->reg = NULL;
			ike_sa_destroy(sa);
			ike_reg_p1_restart(reg, dh);
			return;
		}
		ike_sa_destroy(sa);
		return;
	}
}

/* A message 3 bringing back a cookie of a message 2 we kept nothing
 * for: its peer receives.  Remember it, and tell it to start again
 * (INVALID-COOKIE); its next message 1 gets state. */
static void
cookie_returned(struct ike *ike, struct ike_sock *sock,
		const struct udp_peer *from, const struct isakmp_hdr *h)
{
	struct ike_sa tmp = { .peer = from->addr, .peer_port = from->port,
			      .local = from->local ? from->local : sock->local };

	ike->cnt.cookies_ok++;
	ike_proven_add(ike, from->addr, from->port, h->icookie);
	if (p1_notify(h->icookie, h->rcookie, ISAKMP_N_INVALID_COOKIE,
		      &ike->out) == 0)
		ike_send(ike, &tmp, buf_data(&ike->out), buf_len(&ike->out));
}

/*
 * Dispatch one datagram.
 */

/* GROUPKEY-PUSH and its ACK name a KEK, not a Phase 1 SA: the roles
 * find their owner (RFC 6407 §4, RFC 8263 §3). */
static bool
rekey_input(struct ike *ike, struct ike_sock *sock, const struct udp_peer *from,
	    const struct isakmp_hdr *h, const uint8_t *p, size_t len)
{
	const struct ike_rekey_ops *ops = ike->rekey_ops;
	struct ike_dgram d = { .from = from->addr, .port = from->port,
			       .local = from->local ? from->local : sock->local,
			       .p = p, .len = len };

	if (h->exch != GDOI_EXCH_PUSH && h->exch != GDOI_EXCH_PUSH_ACK)
		return false;
	ike->cnt.rx_rekey++;
	if (ops != NULL && h->exch == GDOI_EXCH_PUSH && ops->push != NULL)
		ops->push(ike->rekey_arg, &d);
	else if (ops != NULL && h->exch == GDOI_EXCH_PUSH_ACK &&
		 ops->ack != NULL)
		ops->ack(ike->rekey_arg, &d);
	else
		ike->cnt.rx_unknown_sa++;
	return true;
}

static void
dispatch(struct ike *ike, struct ike_sock *sock, const struct udp_peer *from,
	 const uint8_t *p, size_t len)
{
	static const uint8_t zero[ISAKMP_COOKIE_LEN];
	struct isakmp_hdr h;
	struct ike_sa *sa;
	uint16_t notify;
	char key[64];

	if (isakmp_hdr_decode(&h, p, len, &notify) < 0) {
		ike_bad_message(ike, from->addr);
		return;
	}
	if (rekey_input(ike, sock, from, &h, p, len))
		return;
	ike_sa_key(h.icookie, from->addr, key, sizeof(key));
	sa = ike_sa_get(ike, key);
	if (h.exch == GETVPN_EXCH_COOP) {	/* under a key servers' SA */
		ike_peer_input(ike, sa, from->local ? from->local : sock->local,
			       from->addr, p, len);
		return;
	}
	if (sa == NULL) {
		if (h.exch == ISAKMP_EXCH_IDENT_PROT &&
		    memcmp(h.rcookie, zero, sizeof(zero)) == 0)
			responder_start(ike, from->local ? from->local
					: sock->local, from->addr, from->port,
					p, len);
		else if (h.exch == ISAKMP_EXCH_IDENT_PROT &&
			 ike->ks_ops != NULL &&
			 ike_cookie_ok(ike, from->addr, from->port, h.icookie,
				       h.rcookie))
			cookie_returned(ike, sock, from, &h);
		else
			ike->cnt.rx_unknown_sa++;
		return;
	}
	switch (h.exch) {
	case ISAKMP_EXCH_IDENT_PROT:
		main_mode_input(sa, p, len);
		break;
	case GDOI_EXCH_PULL:
		if (!sa->established)
			ike->cnt.rx_unknown_sa++;
		else if (p1_sa_initiator(sa->p1))
			ike_reg_pull_input(sa->reg, p, len);
		else
			ike_pull_ks_input(sa, h.msgid, p, len);
		break;
	case ISAKMP_EXCH_INFO:
		if (sa->established)
			ike_info_input(sa, p, len);
		else	/* an unprotected error Notify while negotiating */
			main_mode_input(sa, p, len);
		break;
	default:
		ike_bad_message(ike, from->addr);
		break;
	}
}

static void
rx_one(struct ike *ike, struct ike_sock *sock, const struct udp_peer *from,
       const uint8_t *p, size_t n)
{
	ike->cnt.rx++;
	if (n > IKE_RX_MAX) {
		ike_bad_message(ike, from->addr);
		return;
	}
	ike_capture_dgram(ike, from->addr, from->port, from->local ? from->local
		: sock->local, ike->port, p, n);
	dispatch(ike, sock, from, p, n);
}

/* What is waiting, UDP_BATCH datagrams per system call; the replies
 * leave together at the end (ike_tx.c). */
static void
on_readable(int fd, void *arg)
{
	struct ike_sock *sock = arg;
	struct ike *ike = sock->ike;
	uint8_t *bufs[UDP_BATCH];
	size_t lens[UDP_BATCH];
	struct udp_peer from[UDP_BATCH];

	for (unsigned i = 0; i < UDP_BATCH; i++)
		bufs[i] = ike->rx + (size_t)i * IKE_RX_MAX;
	ike_tx_hold(ike);
	for (int round = 0; round < IKE_RX_ROUNDS; round++) {
		int n = udp_recv_many(sock->us, bufs, IKE_RX_MAX, lens, from,
				      UDP_BATCH);

		for (int i = 0; i < n; i++)
			rx_one(ike, sock, &from[i], bufs[i], lens[i]);
		if (n < UDP_BATCH)
			break;
	}
	ike_wait_run(ike);	/* slots the exchanges above freed */
	ike_tx_release(ike);
}

void
ike_set_rekey(struct ike *ike, const struct ike_rekey_ops *ops, void *arg)
{
	ike->rekey_ops = ops;
	ike->rekey_arg = arg;
}

uint16_t
ike_port(const struct ike *ike)
{
	return ike->port;
}

void
ike_listen_begin(struct ike *ike)
{
	for (struct ike_sock *s = ike->socks; s; s = s->next)
		s->wanted = false;
}

static void
sock_close(struct ike_sock *s)
{
	ike_tx_flush(s->ike);	/* nothing waits on a closed socket */
	ev_io_cancel(&s->io);
	udp_close(s->us);
	free(s);
}

void
ike_listen_end(struct ike *ike)
{
	for (struct ike_sock **p = &ike->socks; *p != NULL;) {
		struct ike_sock *s = *p;

		if (s->wanted) {
			p = &s->next;
			continue;
		}
		*p = s->next;
		sock_close(s);
	}
}

/* A socket on addr:port feeding dispatch, or NULL with err set; group
 * non-zero: also join that multicast group on interface ifaddr. */
static struct ike_sock *
sock_open(struct ike *ike, uint32_t addr, uint32_t group, uint32_t ifaddr,
	  char *err, size_t errlen)
{
	struct ike_sock *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->ike = ike;
	s->local = addr;
	s->us = udp_open(addr, ike->port, err, errlen);
	/* a storm or a flood waits in the kernel instead of being dropped
	 * while we are busy (the default is about 200 KB) */
	if (s->us != NULL && udp_set_rcvbuf(s->us, IKE_RCVBUF) < 0)
		log_warnx("UDP receive buffer: %s", strerror(errno));
	if (s->us != NULL && group != 0 && udp_join(s->us, group, ifaddr) < 0) {
		snprintf(err, errlen, "join: %s", strerror(errno));
		udp_close(s->us);
		s->us = NULL;
	}
	if (s->us == NULL ||
	    ev_read(ike->loop, udp_fd(s->us), on_readable, s, &s->io) < 0) {
		udp_close(s->us);
		free(s);
		return NULL;
	}
	return s;
}

int
ike_listen(struct ike *ike, uint32_t local, char *err, size_t errlen)
{
	struct ike_sock *s;

	for (s = ike->socks; s; s = s->next) {
		if (s->local == local) {
			s->wanted = true;
			return 0;
		}
	}
	s = sock_open(ike, local, 0, 0, err, errlen);
	if (s == NULL)
		return -1;
	s->wanted = true;
	s->next = ike->socks;
	ike->socks = s;
	return 0;
}

int
ike_join(struct ike *ike, uint32_t group, uint32_t ifaddr, char *err,
	 size_t errlen)
{
	struct ike_sock *s;

	for (s = ike->msocks; s; s = s->next) {
		if (s->local == group) {
			s->joins++;
			return 0;
		}
	}
	/* bound to the group: only its datagrams arrive here */
	s = sock_open(ike, group, group, ifaddr, err, errlen);
	if (s == NULL)
		return -1;
	s->joins = 1;
	s->next = ike->msocks;
	ike->msocks = s;
	return 0;
}

void
ike_leave(struct ike *ike, uint32_t group)
{
	for (struct ike_sock **p = &ike->msocks; *p != NULL; p = &(*p)->next) {
		struct ike_sock *s = *p;

		if (s->local != group)
			continue;
		if (--s->joins == 0) {
			*p = s->next;
			sock_close(s);	/* closing the socket leaves the group */
		}
		return;
	}
}

/* A responder negotiation whose peer has said nothing for this long has
 * been given up (a live member retransmits within 2, 4, 8 s +-25 %): its
 * half-open slot goes to one that waits. */
static bool
half_open_idle(const struct ike_sa *sa, uint64_t now_ms)
{
	return sa->half_open && now_ms - sa->heard_ms > IKE_HALF_OPEN_IDLE_MS;
}

/* Expire negotiations that stalled and SAs past their lifetime. */
static void
on_gc(void *arg)
{
	struct ike *ike = arg;
	uint64_t now = ev_now(ike->loop);

	for (struct ike_sa *sa = ike->sa_head, *next; sa; sa = next) {
		next = sa->next;
		if (half_open_idle(sa, now))
			ike->cnt.half_open_idle++;
		if ((sa->reg == NULL && p1_sa_expired(sa->p1, now)) ||
		    half_open_idle(sa, now))
			ike_sa_destroy(sa);
	}
	ike_wait_run(ike);
	ev_timer(ike->loop, IKE_GC_MS, on_gc, ike, &ike->t_gc);
}

struct ike *
ike_new(struct evloop *loop, uint16_t port, char *err, size_t errlen)
{
	struct ike *ike = calloc(1, sizeof(*ike));

	if (ike == NULL || (ike->by_cookie = hmap_new()) == NULL ||
	    (ike->rx = malloc((size_t)UDP_BATCH * IKE_RX_MAX)) == NULL) {
		if (ike != NULL)
			hmap_free(ike->by_cookie);
		free(ike);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ike->loop = loop;
	ike->sa_gone = sa_gone;
	ike->port = port;
	ike->remote_port = port;
	buf_writer_init(&ike->out);
	ike_cookie_setup(ike);
	ev_timer(loop, IKE_GC_MS, on_gc, ike, &ike->t_gc);
	return ike;
}

/* Drop every SA, telling each established peer with a Delete. */
void
ike_clear(struct ike *ike)
{
	while (ike->sa_head != NULL)
		ike_sa_delete(ike->sa_head);
}

void
ike_free(struct ike *ike)
{
	if (ike == NULL)
		return;
	ike_clear(ike);
	ike_peer_free(ike);
	ike_pki_apply(ike, NULL, NULL);	/* frees the trustpoint runtime */
	while (ike->socks != NULL) {
		struct ike_sock *s = ike->socks;

		ike->socks = s->next;
		sock_close(s);
	}
	while (ike->msocks != NULL) {
		struct ike_sock *s = ike->msocks;

		ike->msocks = s->next;
		sock_close(s);
	}
	ev_timer_cancel(&ike->t_gc);
	ike_px_pool_free(ike);
	free(ike->rx);
	ike_capture(ike, NULL);
	hmap_free(ike->by_cookie);
	hmap_free(ike->up_by_pair);
	free(ike->cookies.proven);
	ike_wait_free(ike);
	hmap_free(ike->half_open_by_peer);
	buf_writer_free(&ike->out);
	free(ike);
}

/* doc/ios-cli.md §5.14: GDOI_IDLE for registration SAs, QM_IDLE for
 * those of key server pairs (COOP). */
void
ike_show_sa_rows(const struct ike *ike, struct showout *o)
{
	unsigned id = 1000;

	for (const struct ike_sa *sa = ike->sa_head; sa; sa = sa->next, id++) {
		bool init = p1_sa_initiator(sa->p1);
		const char *idle = sa->kp != NULL ? "QM_IDLE" : "GDOI_IDLE";

		show_sa_row(o, init ? sa->peer : sa->local,
			    init ? sa->local : sa->peer, sa->established
			    ? idle : p1_state_ios(p1_sa_state(sa->p1)), id);
	}
}

static const char *
suite_encr(const struct p1_suite *s)
{
	return s->cipher == CRYPTO_CIPHER_3DES_CBC ? "3des" : "aes";
}

/* IOS's names: "sha" for SHA-1. */
static const char *
suite_hash(const struct p1_suite *s)
{
	return s->hash == CRYPTO_HASH_SHA1 ? "sha" : crypto_hash_name(s->hash);
}

/* One row of `show crypto isakmp sa detail` (doc/cli.md "ISAKMP SAs in
 * detail"). */
static void
sa_detail_row(const struct ike_sa *sa, unsigned id, uint64_t now,
	      struct showout *o)
{
	const struct p1_suite *s = p1_sa_suite(sa->p1);
	uint64_t left = p1_sa_left_ms(sa->p1, now) / 1000;
	const char *status = sa->established ? "ACTIVE" : "NEGOTIATING";
	const char *auth = s == NULL ? "" : s->auth == IKE_AUTH_RSA_SIG
		? "rsig" : "psk";
	const char *cap = sa->established && p1_sa_peer_dpd(sa->p1) &&
		sa->ike->dpd_interval > 0 ? "D" : "";
	char life[32];

	snprintf(life, sizeof(life), "%02llu:%02llu:%02llu",
		 (unsigned long long)(left / 3600),
		 (unsigned long long)(left / 60 % 60),
		 (unsigned long long)(left % 60));
	showout_obj(o, NULL);
	showout_u64(o, "conn_id", id, "%-5u ", id);
	showout_str(o, "local", LOG_IP4(sa->local), "%-15s ",
		    LOG_IP4(sa->local));
	showout_str(o, "remote", LOG_IP4(sa->peer), "%-15s ",
		    LOG_IP4(sa->peer));
	showout_str(o, "status", status, "       %-6s ", status);
	showout_str(o, "encr", s ? suite_encr(s) : "", "%-4s ",
		    s ? suite_encr(s) : "");
	showout_str(o, "hash", s ? suite_hash(s) : "", "%-6s ",
		    s ? suite_hash(s) : "");
	showout_str(o, "auth", auth, "%-4s ", auth);
	showout_u64(o, "dh", s ? s->group : 0, "%-2u ", s ? s->group : 0);
	showout_str(o, "lifetime", life, "%s ", life);
	showout_str(o, "cap", cap, "%s\n", cap);
	showout_text(o, "       Engine-id:Conn-id =  SW:%u\n\n", id - 999);
	showout_end(o);
}

void
ike_show_sa_detail(const struct ike *ike, struct showout *o)
{
	uint64_t now = ev_now(ike->loop);
	unsigned id = 1000;

	for (const struct ike_sa *sa = ike->sa_head; sa; sa = sa->next, id++)
		sa_detail_row(sa, id, now, o);
}

void
ike_rekey_unclaimed(struct ike *ike, uint32_t from)
{
	ike->cnt.rx_unknown_sa++;
	gdoi_log_limited(ev_now(ike->loop), GDOI_MSG_GM_REKEY_DROP, "(none)",
			 LOG_IP4(from), "no group holds its KEK");
}

const struct ike_counters *
ike_counters(const struct ike *ike)
{
	return &ike->cnt;
}
