/*
 * replay: RFC 4303 §3.4.3 and Appendix A anti-replay window (see
 * ipsec/replay.h for the check/commit contract).
 *
 * The bitmap is kept as a ring of 64-bit words indexed by the sequence
 * number itself (word (seq >> 6) mod words, bit seq & 63), the layout of
 * RFC 6479: sliding the window forward clears the words it enters
 * instead of shifting the whole bitmap, so the cost of a jump does not
 * depend on the window size and a jump of 2^31 costs as much as one of
 * 65 packets.  Bit for bit the answers are those of the Appendix A
 * algorithm: a number is new if it is above the right edge, too old if
 * it is window or more below it, otherwise new iff its bit is clear.
 */
#include "ipsec/replay.h"

#include <string.h>

#define REPLAY_WORD_BITS 64

int
replay_init(struct replay_state *rs, uint32_t window)
{
	memset(rs, 0, sizeof(*rs));
	if (window < REPLAY_WINDOW_MIN || window > REPLAY_WINDOW_MAX)
		return -1;
	rs->rs_size = window;
	/* The window spans at most ceil(window / 64) + 1 words. */
	rs->rs_words = (window + REPLAY_WORD_BITS - 1) / REPLAY_WORD_BITS + 1;
	return 0;
}

static uint64_t *
replay_word(struct replay_state *rs, uint32_t seq)
{
	return &rs->rs_ring[(seq / REPLAY_WORD_BITS) % rs->rs_words];
}

static uint64_t
replay_bit(uint32_t seq)
{
	return (uint64_t)1 << (seq % REPLAY_WORD_BITS);
}

int
replay_check(const struct replay_state *rs, uint32_t seq)
{
	uint64_t word;

	if (seq == 0 || rs->rs_size == 0)
		return -1;
	if (seq > rs->rs_top)
		return 0;
	if (rs->rs_top - seq >= rs->rs_size)
		return -1;
	word = rs->rs_ring[(seq / REPLAY_WORD_BITS) % rs->rs_words];
	return (word & replay_bit(seq)) ? -1 : 0;
}

/* Move the right edge to seq, clearing the words that enter the window. */
static void
replay_advance(struct replay_state *rs, uint32_t seq)
{
	uint32_t from = rs->rs_top / REPLAY_WORD_BITS;
	uint32_t to = seq / REPLAY_WORD_BITS;
	uint32_t n = to - from;

	if (n >= rs->rs_words) {
		memset(rs->rs_ring, 0, sizeof(rs->rs_ring));
	} else {
		for (uint32_t i = 1; i <= n; i++)
			rs->rs_ring[(from + i) % rs->rs_words] = 0;
	}
	rs->rs_top = seq;
}

int
replay_commit(struct replay_state *rs, uint32_t seq)
{
	if (replay_check(rs, seq) < 0)
		return -1;
	if (seq > rs->rs_top)
		replay_advance(rs, seq);
	*replay_word(rs, seq) |= replay_bit(seq);
	return 0;
}
