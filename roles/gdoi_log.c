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
	bool verified;		/* seen verbatim on a device (doc/ios-cli.md §6.1) */
};

#define MSG(name, fac, sev, mnemonic, verified) \
	[GDOI_MSG_##name] = { fac, sev, mnemonic, verified }

static const struct gdoi_msg_def msgs[GDOI_MSG_COUNT] = {
	MSG(GM_REGSTER, "CRYPTO", 5, "GM_REGSTER", true),
	MSG(GDOI_ON, "CRYPTO", 6, "GDOI_ON_OFF", true),
	MSG(GDOI_OFF, "CRYPTO", 6, "GDOI_ON_OFF", true),
	MSG(GM_REGS_COMPL, "GDOI", 5, "GM_REGS_COMPL", true),
	MSG(GM_RE_REGISTER, "GDOI", 4, "GM_RE_REGISTER", true),
	MSG(KS_REGS_COMPL, "GDOI", 5, "KS_REGS_COMPL", false),
	MSG(UNAUTHORIZED_IPADDR, "GDOI", 1, "UNAUTHORIZED_IPADDR", false),
	MSG(KS_NO_RSA_KEYS, "GDOI", 1, "KS_NO_RSA_KEYS", false),
	MSG(IKMP_BAD_MESSAGE, "CRYPTO", 4, "IKMP_BAD_MESSAGE", true),
	MSG(KS_CLEAR_REGISTER, "GDOI", 5, "KS_CLEAR_REGISTER", false),
	MSG(GM_CLEAR_REGISTER, "GDOI", 5, "GM_CLEAR_REGISTER", false),
	MSG(GM_REG_FAILED, "GDOI", 4, "GM_REG_FAILED", false),
	MSG(KS_UNKNOWN_GROUP, "GDOI", 4, "KS_UNKNOWN_GROUP", false),
	MSG(GM_INSTALL_POLICIES, "GDOI", 5, "GM_INSTALL_POLICIES_SUCCESS",
	    false),
	MSG(KS_NOT_READY, "GDOI", 4, "KS_NOT_READY", false),
	MSG(KS_SEND_UNICAST_REKEY, "GDOI", 5, "KS_SEND_UNICAST_REKEY", false),
	MSG(KS_SEND_MCAST_REKEY, "GDOI", 5, "KS_SEND_MCAST_REKEY", false),
	MSG(KS_ACK_MISSING, "GDOI", 4, "KS_ACK_MISSING", false),
	MSG(KS_NACK_GM_EJECT, "GDOI", 4, "KS_NACK_GM_EJECT", false),
	MSG(GM_RECV_REKEY, "GDOI", 5, "GM_RECV_REKEY", false),
	MSG(SA_TEK_UPDATED, "GDOI", 5, "SA_TEK_UPDATED", false),
	MSG(SA_KEK_UPDATED, "GDOI", 5, "SA_KEK_UPDATED", false),
	MSG(GM_RECV_DELETE, "GDOI", 4, "GM_RECV_DELETE", false),
	MSG(GM_REKEY_NOT_RECD, "GDOI", 4, "GM_REKEY_NOT_RECD", false),
	MSG(GM_REKEY_DROP, "GDOI", 4, "GM_REKEY_DROP", false),
	MSG(COOP_KS_ELECTION, "GDOI", 5, "COOP_KS_ELECTION", false),
	MSG(COOP_KS_TRANS_TO_PRI, "GDOI", 5, "COOP_KS_TRANS_TO_PRI", false),
	MSG(COOP_KS_TRANS_TO_SEC, "GDOI", 5, "COOP_KS_TRANS_TO_SEC", false),
	MSG(COOP_KS_UNREACH, "GDOI", 3, "COOP_KS_UNREACH", false),
	MSG(COOP_KS_REACH, "GDOI", 5, "COOP_KS_REACH", false),
	MSG(COOP_KS_UNAUTH, "GDOI", 3, "COOP_KS_UNAUTH", false),
	MSG(COOP_KS_SPLIT, "GDOI", 4, "COOP_KS_SPLIT", false),
	MSG(COOP_KS_MERGE, "GDOI", 5, "COOP_KS_MERGE", false),
	MSG(COOP_KS_DROP, "GDOI", 4, "COOP_KS_DROP", false),
	MSG(COOP_KS_IKE_DROP, "GDOI", 4, "COOP_KS_IKE_DROP", false),
	MSG(COOP_KS_IKE_FAIL, "GDOI", 3, "COOP_KS_IKE_FAIL", false),
	MSG(COOP_KS_IKE_UP, "GDOI", 5, "COOP_KS_IKE_UP", false),
};

/* fmt is the caller's copy of msgs[msg].fmt, checked by the compiler. */
static void
vlog(enum gdoi_msg msg, const char *fmt, va_list ap)
{
	const struct gdoi_msg_def *d = &msgs[msg];
	char text[512];

	vsnprintf(text, sizeof(text), fmt, ap);
	log_ios(d->facility, d->sev, d->mnemonic, "%s", text);
}

void
gdoi_log_fmt(enum gdoi_msg msg, const char *fmt, ...)
{
	va_list ap;

	if ((unsigned)msg >= GDOI_MSG_COUNT)
		return;
	va_start(ap, fmt);
	vlog(msg, fmt, ap);
	va_end(ap);
}

void
gdoi_log_limited_fmt(unsigned long long now_ms, enum gdoi_msg msg,
		     const char *fmt, ...)
{
	static unsigned long long window[GDOI_MSG_COUNT];
	static unsigned count[GDOI_MSG_COUNT];
	va_list ap;

	if ((unsigned)msg >= GDOI_MSG_COUNT)
		return;
	if (now_ms - window[msg] > LIMIT_WINDOW_MS) {
		window[msg] = now_ms;
		count[msg] = 0;
	}
	if (++count[msg] > LIMIT_BURST)
		return;
	va_start(ap, fmt);
	vlog(msg, fmt, ap);
	va_end(ap);
}
