/*
 * gdoi_log: GET VPN system messages (see roles/gdoi_log.h).
 */
#include "roles/gdoi_log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "platform/log.h"

#define LIMIT_WINDOW_MS 10000ULL
#define LIMIT_BURST 5

struct gdoi_msg_def {
	const char *facility;
	int sev;
	const char *mnemonic;
	const char *fmt;
	bool verified;		/* seen verbatim on a device (doc/ios-cli.md §6.1) */
};

static const struct gdoi_msg_def msgs[GDOI_MSG_COUNT] = {
	[GDOI_MSG_GM_REGSTER] = { "CRYPTO", 5, "GM_REGSTER",
		"Start registration to KS %s for group %s using address %s", true },
	[GDOI_MSG_GDOI_ON] = { "CRYPTO", 6, "GDOI_ON_OFF", "GDOI is ON", true },
	[GDOI_MSG_GDOI_OFF] = { "CRYPTO", 6, "GDOI_ON_OFF", "GDOI is OFF", true },
	[GDOI_MSG_GM_REGS_COMPL] = { "GDOI", 5, "GM_REGS_COMPL",
		"Registration to KS %s complete for group %s using address %s", true },
	[GDOI_MSG_GM_RE_REGISTER] = { "GDOI", 4, "GM_RE_REGISTER",
		"The IPSec SA created for group %s may have expired/been cleared, "
		"or didn not go through. Re-register to KS.", true },
	[GDOI_MSG_KS_REGS_COMPL] = { "GDOI", 5, "KS_REGS_COMPL",
		"KS completed successful registration in group %s with GM at %s.",
		false },
	[GDOI_MSG_UNAUTHORIZED_IPADDR] = { "GDOI", 1, "UNAUTHORIZED_IPADDR",
		"Group %s received registration from unauthorized ip address: %s",
		false },
	[GDOI_MSG_KS_NO_RSA_KEYS] = { "GDOI", 1, "KS_NO_RSA_KEYS",
		"RSA Key - %s : Not found, Required for group %s", false },
	[GDOI_MSG_IKMP_BAD_MESSAGE] = { "CRYPTO", 4, "IKMP_BAD_MESSAGE",
		"IKE message from %s failed its sanity check or is malformed", true },
	[GDOI_MSG_KS_CLEAR_REGISTER] = { "GDOI", 5, "KS_CLEAR_REGISTER",
		"Config: KS cleared gdoi configuration for the group %s.", false },
	[GDOI_MSG_GM_CLEAR_REGISTER] = { "GDOI", 5, "GM_CLEAR_REGISTER",
		"Config: GM cleared gdoi configuration for the group %s.", false },
	[GDOI_MSG_GM_REG_FAILED] = { "GDOI", 4, "GM_REG_FAILED",
		"Registration to KS %s for group %s failed (%s)", false },
	[GDOI_MSG_KS_UNKNOWN_GROUP] = { "GDOI", 4, "KS_UNKNOWN_GROUP",
		"Registration from %s for unknown group identity %s", false },
	[GDOI_MSG_GM_INSTALL_POLICIES] = { "GDOI", 5,
		"GM_INSTALL_POLICIES_SUCCESS",
		"SUCCESS: Installation of Reg/Rekey policies from KS %s for "
		"group %s & gm identity %s", false },
};

static void
vlog(enum gdoi_msg msg, va_list ap)
{
	const struct gdoi_msg_def *d = &msgs[msg];
	char text[512];

	vsnprintf(text, sizeof(text), d->fmt, ap);
	log_ios(d->facility, d->sev, d->mnemonic, "%s", text);
}

void
gdoi_log(enum gdoi_msg msg, ...)
{
	va_list ap;

	if (msg >= GDOI_MSG_COUNT)
		return;
	va_start(ap, msg);
	vlog(msg, ap);
	va_end(ap);
}

void
gdoi_log_limited(unsigned long long now_ms, enum gdoi_msg msg, ...)
{
	static unsigned long long window[GDOI_MSG_COUNT];
	static unsigned count[GDOI_MSG_COUNT];
	va_list ap;

	if (msg >= GDOI_MSG_COUNT)
		return;
	if (now_ms - window[msg] > LIMIT_WINDOW_MS) {
		window[msg] = now_ms;
		count[msg] = 0;
	}
	if (++count[msg] > LIMIT_BURST)
		return;
	va_start(ap, msg);
	vlog(msg, ap);
	va_end(ap);
}
