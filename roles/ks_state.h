/*
 * ks_state: a key server group's key state (roles/ks_gen.h) and member
 * list as octets, for the state file that lets a restarted key server
 * continue the group with the same keys (doc/ks-state.md).  Pure: no
 * I/O, no clocks; the caller says how far the wall clock is ahead of
 * the key state's clock (times are saved as wall-clock ms, so a restart
 * on another monotonic clock reads them back).  The octets are sealed
 * and checked by ks_state_seal.h before they touch a disk.
 */
#ifndef ROLES_KS_STATE_H
#define ROLES_KS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/policy.h"
#include "roles/ks_gen.h"

struct members;

/* A saved state is refused above this size (the file, sealed). */
#define KS_STATE_MAX (16u << 20)

struct ks_state_member {
	uint32_t addr, ks_addr;		/* network order */
	uint16_t port;
	bool ejected;
	uint8_t acks_missed_run;
	uint32_t registrations;
	int64_t last_reg_wall;		/* seconds since the epoch */
	char version[16];
	uint32_t sid[GDOI_MAX_SID];
	size_t nsid;
};

struct ks_state {
	char group[64];
	uint64_t written_ms;		/* wall clock */
	struct ks_gen gen;		/* times on the caller's clock */
	struct ks_state_member *member;	/* malloc'd (ks_state_free) */
	size_t nmember;
};

/* Append group's state to w: gen and members m, times moved by
 * wall_ahead_ms, each KEK's SEQ written seq_ahead above its last (the
 * reservation a restart jumps past).  0, or -1 when w failed. */
int ks_state_encode(const char *group, const struct ks_gen *gen,
		    const struct members *m, int64_t wall_ahead_ms,
		    uint32_t seq_ahead, uint64_t written_ms,
		    struct buf_writer *w);
/* Parse d[0..len) into s (times moved back by wall_ahead_ms).  -1 when
 * malformed (s is wiped then). */
int ks_state_decode(const uint8_t *d, size_t len, int64_t wall_ahead_ms,
		    struct ks_state *s);
/* One member as the state file holds it (also a journal record's
 * contents, roles/ks_journal.h); a failed read fails r. */
struct member;
void ks_state_put_member(struct buf_writer *w, const struct member *m);
void ks_state_get_member(struct buf_reader *r, struct ks_state_member *m);
/* Wipe the keys of s and free its member list. */
void ks_state_free(struct ks_state *s);

#endif
