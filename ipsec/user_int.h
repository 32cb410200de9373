/*
 * user_int: what the three files of the user data plane share (see
 * ipsec/user.h): the backend state and the functions one file calls in
 * another.  ipsec/user.c: state, attachment and policy routing, backend
 * operations; ipsec/user_path.c: the per-packet decisions (RFC 4301
 * §5.1/§5.2, no I/O); ipsec/user_io.c: the TUN devices and raw sockets,
 * batching, segmentation and coalescing.
 */
#ifndef IPSEC_USER_INT_H
#define IPSEC_USER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/esp.h"
#include "ipsec/gro.h"
#include "ipsec/ipsec.h"
#include "ipsec/sad.h"
#include "ipsec/spd.h"
#include "ipsec/user.h"
#include "platform/evloop.h"
#include "platform/rawip.h"
#include "platform/kroute.h"
#include "platform/tun.h"

/* IANA protocol number of ESP (RFC 4303). */
#define USER_IPPROTO_ESP 50
/* IPPROTO_RAW: a send-only raw socket for any protocol (raw(7)). */
#define USER_IPPROTO_RAW 255
/* RFC 4303 §2: SPI (4) | Sequence Number (4). */
#define USER_ESP_HDR_LEN 8
#define USER_IPV4_MIN_HDR 20
/* Packets handled per wake-up before other fds get their turn. */
#define USER_BATCH 64
/* Groups with a pseudotime anchor. */
#define USER_MAX_GROUPS 16
/* rp_filter 2 (loose) on our TUNs: what we write back (decrypted
 * packets) has a source reached through the WAN; the LAN rule's route
 * through the TUN is what lets it pass. */
#define USER_RP_FILTER_LOOSE 2
/* Smallest MTU we give the LAN route (RFC 791: every host takes 576). */
#define USER_MIN_INNER_MTU 576

/* What the path decided for one packet. */
enum user_verdict {
	USER_DROP = -1,		/* dropped (and counted) */
	USER_CLEAR,		/* cleartext, sent on as it is */
	USER_ESP,		/* encapsulated, for the WAN */
	USER_DELIVER,		/* decrypted, for a LAN */
};

struct user_pt {
	uint32_t group_id;
	uint64_t pt_ms;			/* group pseudotime ... */
	uint64_t at_ms;			/* ... at this loop time */
};

struct user_state {
	uint16_t mss;			/* ip tcp adjust-mss; 0 = off */
	struct evloop *loop;
	struct spd *spd;
	struct sad *sad;
	bool fail_close;
	struct user_pt pt[USER_MAX_GROUPS];
	size_t npt;
	/* attachment */
	struct tun *tun;		/* LAN traffic */
	struct tun *tun_in;		/* cleartext from the WAN */
	struct kroute *nl;
	struct ev_io *io, *io_in;
	struct rawip *esp;		/* ESP from and to the WAN */
	struct rawip *clear;		/* cleartext we let pass */
	struct ev_io *esp_io;
	size_t slot;			/* octets per packet slot */
	unsigned wan_mtu, lan_mtu;	/* the WAN's; the LAN route's */
	uint8_t *rxs, *txs;		/* RAWIP_BATCH slots each */
	const uint8_t *txp[RAWIP_BATCH];	/* ESP packets waiting */
	size_t txl[RAWIP_BATCH];
	unsigned ntx;
	char tun_name[TUN_NAME_MAX];
	char err[160];
	/* counters */
	uint64_t ctr[IPSEC_USER_CTR_COUNT];
	uint64_t esp_drop[ESP_DROP_COUNT];
	uint8_t buf[IPSEC_USER_BUF_LEN];	/* the packet read */
	uint8_t seg[IPSEC_USER_BUF_LEN];	/* one datagram, see gro_flush */
	struct gro gro;				/* decrypted, coalescing */
};

/* user.c */
struct user_state *user_of(const struct ipsec_ctx *ctx);

/* user_path.c: the decisions, counted; buffers as in ipsec/user.h */
/* The group's pseudotime is pt_ms now (ipsec_user_set_pseudotime). */
void user_set_pseudotime(struct user_state *st, uint32_t group_id,
			 uint64_t pt_ms);
/* One packet at buf + IPSEC_USER_HEADROOM: which direction, then the
 * path (ipsec_user_process). */
enum user_verdict user_process(struct user_state *st, uint8_t *buf,
			       size_t cap, size_t len, const uint8_t **out,
			       size_t *outlen);
int user_key(struct user_state *st, const uint8_t *pkt, size_t len,
	     struct spd_key *k);
struct sad_sa *user_classify(struct user_state *st, const struct spd_key *k,
			     bool *clear);
int user_encap(struct user_state *st, struct sad_sa *sa, uint8_t *buf,
	       size_t cap, size_t len, const uint8_t **out, size_t *outlen);
enum user_verdict user_outbound(struct user_state *st, uint8_t *buf,
				size_t cap, size_t len,
				const struct spd_key *k, const uint8_t **out,
				size_t *outlen);
enum user_verdict user_inbound(struct user_state *st, uint8_t *pkt,
			       size_t room, size_t len, size_t *outlen);
bool user_clear_in_ok(const struct user_state *st, const struct spd_key *k);

/* user_io.c: the event-loop callbacks (arg: the user_state) */
void user_on_tun(int fd, void *arg);
void user_on_wan_clear(int fd, void *arg);
void user_on_esp(int fd, void *arg);

#endif
