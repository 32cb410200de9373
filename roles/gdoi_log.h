/*
 * gdoi_log: the IOS system messages of GET VPN in one table
 * (IOS-CLI.md §6): facility, severity, mnemonic and text.  §6.1 lines are
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
	GDOI_MSG_KS_NOT_READY,		/* our text: registration refused */
	GDOI_MSG_KS_SEND_UNICAST_REKEY,
	GDOI_MSG_KS_SEND_MCAST_REKEY,
	GDOI_MSG_KS_ACK_MISSING,	/* our text */
	GDOI_MSG_KS_NACK_GM_EJECT,

	GDOI_MSG_GM_RECV_REKEY,
	GDOI_MSG_SA_TEK_UPDATED,
	GDOI_MSG_SA_KEK_UPDATED,
	GDOI_MSG_GM_RECV_DELETE,
	GDOI_MSG_GM_REKEY_NOT_RECD,
	GDOI_MSG_GM_REKEY_DROP,		/* our text: a refused GROUPKEY-PUSH */

	GDOI_MSG_COOP_KS_ELECTION,	/* COOP: IOS wording */
	GDOI_MSG_COOP_KS_TRANS_TO_PRI,
	GDOI_MSG_COOP_KS_TRANS_TO_SEC,	/* our text */
	GDOI_MSG_COOP_KS_UNREACH,
	GDOI_MSG_COOP_KS_REACH,
	GDOI_MSG_COOP_KS_UNAUTH,
	GDOI_MSG_COOP_KS_SPLIT,		/* our text: a second primary */
	GDOI_MSG_COOP_KS_MERGE,		/* our text */
	GDOI_MSG_COOP_KS_DROP,		/* our text: a refused COOP message */
	GDOI_MSG_COUNT
};

/* Log msg with its printf arguments. */
void gdoi_log(enum gdoi_msg msg, ...);
/* The same, at most a few times per window per message (peer-caused). */
void gdoi_log_limited(unsigned long long now_ms, enum gdoi_msg msg, ...);

#endif
