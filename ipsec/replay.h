/*
 * replay: the RFC 4303 §3.4.3 / Appendix A anti-replay sliding window
 * for 32-bit ESP sequence numbers (no ESN: group SAs never negotiate it,
 * doc/protocol.md §7.3).
 *
 * Checking and committing are separate calls so that the window moves
 * only for packets whose ICV has been verified (RFC 4303 §3.4.3: "the
 * receive window is updated only if the integrity verification
 * succeeds"): a forged packet can never advance the window and so can
 * never make genuine packets look old.
 *
 *   if (replay_check(&rs, seq) < 0) drop;
 *   ... verify ICV, decrypt ...
 *   if (replay_commit(&rs, seq) < 0) drop;	// lost a race with a copy
 *
 * The state is plain data (no allocation) and holds no key material.
 */
#ifndef IPSEC_REPLAY_H
#define IPSEC_REPLAY_H

#include <stdint.h>

/* Window sizes we accept, in packets (RFC 4303 §3.4.3: at least 32, 64
 * recommended; 1024 covers the deepest reordering we expect). */
#define REPLAY_WINDOW_MIN 64
#define REPLAY_WINDOW_MAX 1024
#define REPLAY_WINDOW_DEFAULT 64

/* Ring of 64-bit words: one more than the window needs, so the words
 * covering the window never share a slot with the word being filled. */
#define REPLAY_RING_WORDS (REPLAY_WINDOW_MAX / 64 + 1)

struct replay_state {
	uint32_t rs_top;		/* highest sequence number committed */
	uint32_t rs_size;		/* window width in packets */
	uint32_t rs_words;		/* ring words in use */
	uint64_t rs_ring[REPLAY_RING_WORDS];	/* bit s & 63 of word (s >> 6) % words */
};

/**
 * replay_init - empty window of window packets (REPLAY_WINDOW_MIN ..
 * REPLAY_WINDOW_MAX).  -1, and rs unusable, for any other size.
 */
int replay_init(struct replay_state *rs, uint32_t window);

/**
 * replay_check - 0 if seq could be new (ahead of the window, or inside it
 * and not yet seen), -1 if it is a duplicate, older than the window, or 0
 * (RFC 4303 §3.3.3: the first packet carries 1, so 0 is never sent).
 * Does not change the window.
 */
int replay_check(const struct replay_state *rs, uint32_t seq);

/**
 * replay_commit - record seq as received, sliding the window when seq is
 * ahead of it.  Call only after the packet's ICV is verified.  Re-checks
 * first and returns -1 (window unchanged) if seq became a duplicate or
 * too old since replay_check().
 */
int replay_commit(struct replay_state *rs, uint32_t seq);

#endif
