/*
 * gdoi_log: the IOS system messages of GET VPN in one table
 * (doc/ios-cli.md §6): facility, severity, mnemonic and text.  §6.1 lines are
 * verbatim from devices; §6.2 lines are from memory and marked so in the
 * table (doc/gdoi.md).  Messages caused by a peer are rate limited so a
 * flood of bad packets cannot flood the log.
 */
#ifndef ROLES_GDOI_LOG_H
#define ROLES_GDOI_LOG_H

enum gdoi_msg {
	GDOI_MSG_GM_REGSTER,		/* %CRYPTO-5-GM_REGSTER (sic) */
	GDOI_MSG_GDOI_ON,		/* %CRYPTO-6-GDOI_ON_OFF: GDOI is ON */
	GDOI_MSG_GDOI_OFF,
	GDOI_MSG_GM_REGS_COMPL,
	GDOI_MSG_GM_RE_REGISTER,
	GDOI_MSG_KS_REGS_COMPL,
	GDOI_MSG_UNAUTHORIZED_IPADDR,
	GDOI_MSG_KS_NO_RSA_KEYS,
	GDOI_MSG_IKMP_BAD_MESSAGE,
	GDOI_MSG_KS_CLEAR_REGISTER,
	GDOI_MSG_GM_CLEAR_REGISTER,
	GDOI_MSG_GM_REG_FAILED,		/* our text: registration timed out */
	GDOI_MSG_KS_UNKNOWN_GROUP,	/* our text: registration for no group */
	GDOI_MSG_GM_INSTALL_POLICIES,
	GDOI_MSG_COUNT
};

/* Log msg with its printf arguments. */
void gdoi_log(enum gdoi_msg msg, ...);
/* The same, at most a few times per window per message (peer-caused). */
void gdoi_log_limited(unsigned long long now_ms, enum gdoi_msg msg, ...);

#endif
