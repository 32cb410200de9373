/*
 * Must NOT compile (make check-log-format): a GDOI system message whose
 * text wants a dotted address string, given the address as an integer
 * (how a member once showed as 0300630a for 10.99.0.3).  With -DGOOD
 * the correct call is compiled instead, and that one must compile.
 */
#include <stdint.h>

#include "roles/gdoi_log.h"

void bad_call(uint32_t peer);

void
bad_call(uint32_t peer)
{
#ifdef GOOD
	gdoi_log(GDOI_MSG_KS_REGS_COMPL, "G", peer ? "10.99.0.3" : "0.0.0.0");
#else
	gdoi_log(GDOI_MSG_KS_REGS_COMPL, "G", peer);
#endif
}
