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
	bool verified;		/* seen verbatim on a device (IOS-CLI.md §6.1) */
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
	[GDOI_MSG_KS_NOT_READY] = { "GDOI", 4, "KS_NOT_READY",
		"Registration from %s for group %s refused: group not ready (%s)",
		false },
	[GDOI_MSG_KS_SEND_UNICAST_REKEY] = { "GDOI", 5, "KS_SEND_UNICAST_REKEY",
		"Sending Unicast Rekey for group %s from address %s with seq # %u",
		false },
	[GDOI_MSG_KS_SEND_MCAST_REKEY] = { "GDOI", 5, "KS_SEND_MCAST_REKEY",
		"Sending Multicast Rekey for group %s from address %s to %s with "
		"seq # %u", false },
	[GDOI_MSG_KS_ACK_MISSING] = { "GDOI", 4, "KS_ACK_MISSING",
		"No rekey ACK from GM %s in group %s", false },
	[GDOI_MSG_KS_NACK_GM_EJECT] = { "GDOI", 4, "KS_NACK_GM_EJECT",
		"KS has ejected GM %s in group %s due to non-ACKs.", false },

	[GDOI_MSG_GM_RECV_REKEY] = { "GDOI", 5, "GM_RECV_REKEY",
		"Received Rekey for group %s from %s to %s with seq # %u", false },
	[GDOI_MSG_SA_TEK_UPDATED] = { "GDOI", 5, "SA_TEK_UPDATED",
		"SA TEK was updated", false },
	[GDOI_MSG_SA_KEK_UPDATED] = { "GDOI", 5, "SA_KEK_UPDATED",
		"SA KEK was updated 0x%s", false },
	[GDOI_MSG_GM_RECV_DELETE] = { "GDOI", 4, "GM_RECV_DELETE",
		"GM received delete-msg from KS in group %s. The deleted SAs are "
		"removed; re-registration starts when nothing is left", false },
	[GDOI_MSG_GM_REKEY_NOT_RECD] = { "GDOI", 4, "GM_REKEY_NOT_RECD",
		"GM did not receive rekey for group %s from KS %s in time. "
		"Re-register to KS.", false },
	[GDOI_MSG_GM_REKEY_DROP] = { "GDOI", 4, "GM_REKEY_DROP",
		"Rekey for group %s from %s dropped: %s", false },

	[GDOI_MSG_COOP_KS_ELECTION] = { "GDOI", 5, "COOP_KS_ELECTION",
		"KS entering election mode in group %s (Previous Primary = %s)",
		false },
	[GDOI_MSG_COOP_KS_TRANS_TO_PRI] = { "GDOI", 5, "COOP_KS_TRANS_TO_PRI",
		"KS %s in group %s transitioned to Primary (Previous Primary = %s)",
		false },
	[GDOI_MSG_COOP_KS_TRANS_TO_SEC] = { "GDOI", 5, "COOP_KS_TRANS_TO_SEC",
		"KS %s in group %s transitioned to Secondary (Primary = %s)",
		false },
	[GDOI_MSG_COOP_KS_UNREACH] = { "GDOI", 3, "COOP_KS_UNREACH",
		"Reachability with Cooperative KS %s lost in group %s.", false },
	[GDOI_MSG_COOP_KS_REACH] = { "GDOI", 5, "COOP_KS_REACH",
		"Reachability restored with Cooperative KS %s in group %s.",
		false },
	[GDOI_MSG_COOP_KS_UNAUTH] = { "GDOI", 3, "COOP_KS_UNAUTH",
		"Contact from unauthorized KS %s in group %s at local address %s "
		"(Possible MISCONFIG of peer/local address)", false },
	[GDOI_MSG_COOP_KS_SPLIT] = { "GDOI", 4, "COOP_KS_SPLIT",
		"Split detected in group %s: KS %s also claims Primary", false },
	[GDOI_MSG_COOP_KS_MERGE] = { "GDOI", 5, "COOP_KS_MERGE",
		"Cooperative KSs of group %s merged under Primary %s", false },
	[GDOI_MSG_COOP_KS_DROP] = { "GDOI", 4, "COOP_KS_DROP",
		"COOP message for group %s from %s dropped: %s", false },
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
