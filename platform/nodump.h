/*
 * nodump: keep the process's memory out of core dumps.  A key server's
 * core would hold its pre-shared keys, its TEKs and the rekey RSA private
 * exponent; a member's its keys and the traffic it was encrypting.  The
 * daemon (and the console, which runs the same engines) calls
 * nodump_process() at start unless started with -C (getvpn(8)).
 */
#ifndef PLATFORM_NODUMP_H
#define PLATFORM_NODUMP_H

#include <stddef.h>

/**
 * nodump_process - no core file (RLIMIT_CORE 0, soft and hard, so a
 * child cannot raise it again) and not dumpable (PR_SET_DUMPABLE 0: no
 * core even where a core pattern pipes to a helper, and no ptrace attach
 * by other processes of the same user).  0, or -1 with errno.
 */
int nodump_process(void);

#endif
