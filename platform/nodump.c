/*
 * nodump: see platform/nodump.h.  prctl(2) PR_SET_DUMPABLE and
 * setrlimit(2) RLIMIT_CORE; Linux only, like the rest of getvpn.
 */
#include "platform/nodump.h"

#include <sys/prctl.h>
#include <sys/resource.h>

int
nodump_process(void)
{
	const struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) < 0)
		return -1;
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
