/*
 * sim_gm: a simulated group member for key server tests.  It registers
 * through the real GDOI endpoint (Phase 1 + GROUPKEY-PULL) from its own
 * loopback address, then receives the key server's rekeys on that
 * address with the real GROUPKEY-PUSH opener (gdoi/push.h), keeps the
 * TEKs they carry with their ends, and acknowledges them (RFC 8263) when
 * asked and when told to.
 */
#ifndef TESTS_SIM_GM_H
#define TESTS_SIM_GM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/push.h"

struct evloop;
struct ev_io;
struct ike;
struct udp_sock;
struct cli_env;
struct gdoi_policy;

#define SIM_GM_TEKS 64
#define SIM_GM_SEQS 64
#define SIM_GM_KEYS_DIGEST 32

struct sim_gm_tek {
	uint32_t spi;
	uint64_t end_ms;
};

struct sim_gm {
	struct evloop *loop;
	uint32_t addr;			/* network order */
	uint16_t port;
	struct ike *ike;		/* while registering */
	struct udp_sock *us;		/* then: rekeys arrive here */
	struct ev_io *io;
	bool registered, failed;
	bool ack;			/* answer rekeys that ask for it */
	struct push_rx rx;
	struct sim_gm_tek tek[SIM_GM_TEKS];
	size_t ntek;
	uint32_t seq[SIM_GM_SEQS];	/* of every rekey accepted, in order */
	uint8_t seq_kek[SIM_GM_SEQS];	/* KEK changes seen before it */
	size_t nseq;
	unsigned pushes, acks, deletes, kek_changes, dups, refused;
	uint32_t kek_dst;		/* rekey destination in the KEK */
	uint8_t reg_keys[SIM_GM_KEYS_DIGEST];	/* of the registration */
	uint32_t sid[GDOI_MAX_SID];	/* sender IDs granted at registration */
	size_t nsid;
	uint32_t reg_seq;		/* SEQ in the registration */
};

/* Register to ks for group id from addr (both network order) on the
 * test port; runs loop until done.  env gives the ISAKMP config. */
bool sim_gm_register(struct sim_gm *m, struct evloop *loop,
		     const struct cli_env *env, uint16_t port, uint32_t addr,
		     uint32_t ks, uint32_t id);
void sim_gm_free(struct sim_gm *m);
/* SHA-256 over the SPIs and keys of p's KEK and TEKs, in order: what a
 * member received compared with what the key server holds. */
void sim_gm_keys_digest(const struct gdoi_policy *p,
			uint8_t out[SIM_GM_KEYS_DIGEST]);
/* Milliseconds the longest-lived TEK held has left at now (0: none). */
uint64_t sim_gm_tek_left(const struct sim_gm *m, uint64_t now);

#endif
