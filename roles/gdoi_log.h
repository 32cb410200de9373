/*
 * gdoi_log: the IOS system messages of GET VPN in one place (doc/gdoi.md
 * "Messages and logs"): facility, severity, mnemonic and text.  Lines
 * seen on devices are verbatim; the others are marked unverified in the
 * table.  Messages caused by a peer are rate limited so a flood of bad
 * packets cannot flood the log.
 *
 * Each message's text is a macro NAME_FMT beside its enum, and
 * gdoi_log(NAME, ...) pastes it in at the call site, so the compiler
 * checks every call's arguments against the text (printf format
 * attribute).  Addresses are passed as strings in dotted form
 * (LOG_IP4() in platform/log.h), never as integers.
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
	GDOI_MSG_COOP_KS_IKE_DROP,	/* our text: refused under ISAKMP */
	GDOI_MSG_COOP_KS_IKE_FAIL,	/* our text: no Phase 1 SA */
	GDOI_MSG_COOP_KS_IKE_UP,	/* our text */
	GDOI_MSG_COUNT
};

/* The texts (IOS spellings kept: "REGSTER", "didn not"). */
#define GDOI_MSG_GM_REGSTER_FMT \
	"Start registration to KS %s for group %s using address %s"
#define GDOI_MSG_GDOI_ON_FMT "GDOI is ON"
#define GDOI_MSG_GDOI_OFF_FMT "GDOI is OFF"
#define GDOI_MSG_GM_REGS_COMPL_FMT \
	"Registration to KS %s complete for group %s using address %s"
#define GDOI_MSG_GM_RE_REGISTER_FMT \
	"The IPSec SA created for group %s may have expired/been cleared, " \
	"or didn not go through. Re-register to KS."
#define GDOI_MSG_KS_REGS_COMPL_FMT \
	"KS completed successful registration in group %s with GM at %s."
#define GDOI_MSG_UNAUTHORIZED_IPADDR_FMT \
	"Group %s received registration from unauthorized ip address: %s"
#define GDOI_MSG_KS_NO_RSA_KEYS_FMT \
	"RSA Key - %s : Not found, Required for group %s"
#define GDOI_MSG_IKMP_BAD_MESSAGE_FMT \
	"IKE message from %s failed its sanity check or is malformed"
#define GDOI_MSG_KS_CLEAR_REGISTER_FMT \
	"Config: KS cleared gdoi configuration for the group %s."
#define GDOI_MSG_GM_CLEAR_REGISTER_FMT \
	"Config: GM cleared gdoi configuration for the group %s."
#define GDOI_MSG_GM_REG_FAILED_FMT \
	"Registration to KS %s for group %s failed (%s)"
#define GDOI_MSG_KS_UNKNOWN_GROUP_FMT \
	"Registration from %s for unknown group identity %s"
#define GDOI_MSG_GM_INSTALL_POLICIES_FMT \
	"SUCCESS: Installation of Reg/Rekey policies from KS %s for " \
	"group %s & gm identity %s"
#define GDOI_MSG_KS_NOT_READY_FMT \
	"Registration from %s for group %s refused: group not ready (%s)"
#define GDOI_MSG_KS_SEND_UNICAST_REKEY_FMT \
	"Sending Unicast Rekey for group %s from address %s with seq # %u"
#define GDOI_MSG_KS_SEND_MCAST_REKEY_FMT \
	"Sending Multicast Rekey for group %s from address %s to %s with " \
	"seq # %u"
#define GDOI_MSG_KS_ACK_MISSING_FMT "No rekey ACK from GM %s in group %s"
#define GDOI_MSG_KS_NACK_GM_EJECT_FMT \
	"KS has ejected GM %s in group %s due to non-ACKs."
#define GDOI_MSG_GM_RECV_REKEY_FMT \
	"Received Rekey for group %s from %s to %s with seq # %u"
#define GDOI_MSG_SA_TEK_UPDATED_FMT "SA TEK was updated"
#define GDOI_MSG_SA_KEK_UPDATED_FMT "SA KEK was updated 0x%s"
#define GDOI_MSG_GM_RECV_DELETE_FMT \
	"GM received delete-msg from KS in group %s. The deleted SAs are " \
	"removed; re-registration starts when nothing is left"
#define GDOI_MSG_GM_REKEY_NOT_RECD_FMT \
	"GM did not receive rekey for group %s from KS %s in time. " \
	"Re-register to KS."
#define GDOI_MSG_GM_REKEY_DROP_FMT "Rekey for group %s from %s dropped: %s"
#define GDOI_MSG_COOP_KS_ELECTION_FMT \
	"KS entering election mode in group %s (Previous Primary = %s)"
#define GDOI_MSG_COOP_KS_TRANS_TO_PRI_FMT \
	"KS %s in group %s transitioned to Primary (Previous Primary = %s)"
#define GDOI_MSG_COOP_KS_TRANS_TO_SEC_FMT \
	"KS %s in group %s transitioned to Secondary (Primary = %s)"
#define GDOI_MSG_COOP_KS_UNREACH_FMT \
	"Reachability with Cooperative KS %s lost in group %s."
#define GDOI_MSG_COOP_KS_REACH_FMT \
	"Reachability restored with Cooperative KS %s in group %s."
#define GDOI_MSG_COOP_KS_UNAUTH_FMT \
	"Contact from unauthorized KS %s in group %s at local address %s " \
	"(Possible MISCONFIG of peer/local address)"
#define GDOI_MSG_COOP_KS_SPLIT_FMT \
	"Split detected in group %s: KS %s also claims Primary"
#define GDOI_MSG_COOP_KS_MERGE_FMT \
	"Cooperative KSs of group %s merged under Primary %s"
#define GDOI_MSG_COOP_KS_DROP_FMT \
	"COOP message for group %s from %s dropped: %s"
#define GDOI_MSG_COOP_KS_IKE_DROP_FMT \
	"COOP message from %s to %s dropped: %s"
#define GDOI_MSG_COOP_KS_IKE_FAIL_FMT \
	"No ISAKMP SA with Cooperative KS %s from %s: %s; no COOP with it " \
	"until one is up"
#define GDOI_MSG_COOP_KS_IKE_UP_FMT \
	"ISAKMP SA with Cooperative KS %s from %s is up"

/* Log msg (a GDOI_MSG_* name, not an expression) with its arguments. */
#define gdoi_log(msg, ...) gdoi_log_fmt(msg, msg##_FMT, ##__VA_ARGS__)
/* The same, at most a few times per window per message (peer-caused). */
#define gdoi_log_limited(now_ms, msg, ...) \
	gdoi_log_limited_fmt(now_ms, msg, msg##_FMT, ##__VA_ARGS__)

/* What the macros call; fmt must be msg's own text. */
void gdoi_log_fmt(enum gdoi_msg msg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gdoi_log_limited_fmt(unsigned long long now_ms, enum gdoi_msg msg,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
