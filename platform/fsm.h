/*
 * fsm: the one way a state machine changes state.  A machine is a table:
 * its state names and, for each state, the states it may move to (a bit
 * per state).  fsm_move() checks a move against the table, logs it under
 * the machine's debug flag, counts it, and says whether the caller may
 * make it; the caller owns the state variable and its entry actions.
 *
 *   static struct fsm pull_fsm = FSM("GROUPKEY-PULL (GM)", LOG_DBG_GDOI_GM,
 *                                    names, legal, PULL_GM_STATE_COUNT);
 *   if (fsm_move(&pull_fsm, gm->state, to, "%08x", gm->mid))
 *           gm->state = to;
 *
 * A move to the state one is in is no move (true, not logged or counted).
 */
#ifndef PLATFORM_FSM_H
#define PLATFORM_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "platform/log.h"

/* The bit of state s in a row of the legal table. */
#define FSM_BIT(s) (1u << (s))

struct fsm {
	const char *what;		/* "ISAKMP", "GM", ... in log lines */
	enum log_debug flag;
	const char *const *names;	/* [nstates] */
	const uint32_t *legal;		/* [nstates]: FSM_BIT(to) | ... */
	unsigned nstates;		/* at most 32 */
	uint64_t moves, refused;	/* since start, every instance */
};

#define FSM(what_, flag_, names_, legal_, n_) \
	{ .what = (what_), .flag = (flag_), .names = (names_), \
	  .legal = (legal_), .nstates = (n_) }

/* The name of state s ("?" when out of range). */
const char *fsm_name(const struct fsm *f, unsigned s);

/* May an instance (who: printf-style, for the log line) move from -> to?
 * Logged and counted either way. */
bool fsm_move(struct fsm *f, unsigned from, unsigned to, const char *who, ...)
	__attribute__((format(printf, 4, 5)));

#endif
