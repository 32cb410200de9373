/*
 * sad: the security association database of the userspace data plane
 * (RFC 4301 §4.4.2): group SAs by SPI and direction, each with its
 * warm ESP context (ipsec/esp.h), its counter anti-replay window when
 * the SA uses one, and its counters.  Several SAs of a group live at
 * once during a TEK rollover (doc/protocol.md §7.4): the engine adds the new
 * one and deletes the old one later; the policy's SPI says which
 * outbound SA protects a packet.
 *
 * Entries are plain data owned by the SAD; a pointer from sad_find()
 * stays valid until that SA is deleted or the SAD flushed.
 */
#ifndef IPSEC_SAD_H
#define IPSEC_SAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec/esp.h"
#include "ipsec/ipsec.h"
#include "ipsec/replay.h"

/* Upper bound on SAs held at once (both directions, every group). */
#define SAD_MAX 256

struct sad_sa {
	uint32_t spi;			/* network order */
	enum ipsec_dir dir;
	uint32_t group_id;
	struct esp_sa *esp;
	bool has_replay;		/* counter anti-replay: window below */
	struct replay_state replay;
	uint64_t packets, bytes;	/* processed successfully */
	uint64_t drops;			/* every refusal below, summed */
	uint64_t drop_why[ESP_DROP_COUNT];	/* inbound, by esp_decap reason */
	uint64_t out_exhausted;		/* outbound: counters used up */
	uint64_t out_too_big;		/* outbound: result over 65535 / buffer */
	uint64_t out_error;		/* outbound: anything else */
	struct ipsec_sa cfg;		/* as installed; keys wiped on removal */
};

struct sad;

struct sad *sad_new(void);
/** sad_free - every SA is freed and its keys wiped.  NULL is ok. */
void sad_free(struct sad *sad);

/**
 * sad_add - install sa (copied).  Adding an SPI and direction that is
 * already there with the same transform, keys, sender ID and replay
 * settings keeps the live SA, so an outbound sender's IV counter never
 * restarts under the same key and SID (a GCM nonce must never repeat,
 * RFC 4106 §3.1); anything else replaces it.  -1 if the transform is
 * not usable or the SAD is full.
 */
int sad_add(struct sad *sad, const struct ipsec_sa *sa);
/** sad_del - remove one SA; -1 if absent. */
int sad_del(struct sad *sad, uint32_t spi, enum ipsec_dir dir);
/** sad_flush - remove every SA. */
void sad_flush(struct sad *sad);

struct sad_sa *sad_find(const struct sad *sad, uint32_t spi,
			enum ipsec_dir dir);
size_t sad_count(const struct sad *sad);
/** sad_at - the i-th SA (no particular order), or NULL. */
struct sad_sa *sad_at(const struct sad *sad, size_t i);

/** sad_drop - count one inbound refusal of sa for reason why. */
void sad_drop(struct sad_sa *sa, enum esp_drop why);
/** sad_encap_error - count one esp_encap failure (enum esp_encap_err). */
void sad_encap_error(struct sad_sa *sa, int err);

#endif
