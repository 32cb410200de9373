/*
 * fsm: checked, logged and counted state changes (platform/fsm.h).
 */
#include "platform/fsm.h"

#include <stdarg.h>
#include <stdio.h>

const char *
fsm_name(const struct fsm *f, unsigned s)
{
	return s < f->nstates && f->names[s] != NULL ? f->names[s] : "?";
}

bool
fsm_move(struct fsm *f, unsigned from, unsigned to, const char *who, ...)
{
	char w[64];
	va_list ap;
	bool ok;

	if (from == to && from < f->nstates)
		return true;
	ok = from < f->nstates && to < f->nstates &&
	     (f->legal[from] & FSM_BIT(to)) != 0;
	if (ok)
		f->moves++;
	else
		f->refused++;
	if (!log_debug_on(f->flag))
		return ok;
	va_start(ap, who);
	vsnprintf(w, sizeof(w), who, ap);
	va_end(ap);
	log_dbg(f->flag, "%s %s: %s%s -> %s", f->what, w, ok ? "" : "refused ",
		fsm_name(f, from), fsm_name(f, to));
	return ok;
}
