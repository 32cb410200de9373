/*
 * xfrm: the Linux kernel (XFRM) data-plane backend, programmed over
 * netlink with libnl-3 / libnl-xfrm-3 (ipsec/xfrm.c is the only file
 * that includes <netlink/...> headers).
 *
 * What it does today (doc/dataplane-xfrm.md, doc/design.md §6,
 * doc/xfrm.md):
 *  - init() probes what the kernel offers without changing the host:
 *    a throwaway ESP SA is added (and removed) in a private network
 *    namespace of a forked child; the verdict is one clear line in err
 *    when the kernel cannot do ESP, when the process may not program
 *    SAs, or when the XFRM netlink interface is missing.  The same child
 *    also notes whether xfrm interfaces and tc-BPF programs are
 *    available, the two other pieces the kernel design needs.
 *  - sa_add() and policy_add() refuse everything: GET VPN keeps the
 *    inner addresses on the outer header, which plain XFRM cannot do;
 *    the tc-BPF shim that would make it possible is not implemented, and
 *    time-based anti-replay and RFC 6054 sender IDs can never be carried.
 *    ipsec_xfrm_error() says why, in one line.
 * So "auto" (ipsec_backend_auto) always ends on the user data plane.
 */
#ifndef IPSEC_XFRM_H
#define IPSEC_XFRM_H

#include <stdbool.h>
#include <stddef.h>

#include "ipsec/ipsec.h"

extern const struct ipsec_backend ipsec_xfrm_backend;

/* What an explicit "-B xfrm" failure suggests instead. */
#define IPSEC_XFRM_HINT "use the user data plane (-B user)"

/* The probe's verdict on kernel ESP through XFRM. */
enum ipsec_xfrm_verdict {
	IPSEC_XFRM_OK,		/* a throwaway ESP SA was accepted */
	IPSEC_XFRM_NO_XFRM,	/* no NETLINK_XFRM (CONFIG_XFRM_USER) */
	IPSEC_XFRM_NO_PERM,	/* may not program SAs (CAP_NET_ADMIN) */
	IPSEC_XFRM_NO_ESP,	/* ESP type missing (CONFIG_INET_ESP) */
	IPSEC_XFRM_NO_ALG,	/* the probe's cipher or MAC is missing */
	IPSEC_XFRM_FAILED,	/* anything else (errno kept) */
};

/* Where a netlink error came from; the same errno means different
 * things at different steps (EPROTONOSUPPORT from socket() is "no XFRM",
 * from NEWSA it is "no ESP"). */
enum ipsec_xfrm_stage {
	IPSEC_XFRM_STAGE_OPEN,	/* socket + connect NETLINK_XFRM */
	IPSEC_XFRM_STAGE_NEWSA,	/* XFRM_MSG_NEWSA of the probe SA */
};

/* A yes / no / could-not-tell answer for the optional features. */
enum ipsec_xfrm_feature {
	IPSEC_XFRM_FEAT_UNKNOWN,
	IPSEC_XFRM_FEAT_YES,
	IPSEC_XFRM_FEAT_NO,
};

/* Where the probe runs. */
enum ipsec_xfrm_where {
	/* A fresh network namespace in a forked child; when the namespace
	 * cannot be made (no CAP_SYS_ADMIN) the child falls back to HERE. */
	IPSEC_XFRM_PROBE_PRIVATE,
	/* The caller's namespace: the probe SA (reserved SPI, documentation
	 * addresses, 30 s hard lifetime) is deleted as soon as it exists. */
	IPSEC_XFRM_PROBE_HERE,
};

struct ipsec_xfrm_caps {
	enum ipsec_xfrm_verdict verdict;
	enum ipsec_xfrm_stage stage;	/* where a failure happened */
	int err;			/* its errno (0 on success) */
	int del_err;			/* errno of removing the probe SA */
	bool private_netns;		/* the probe ran in its own namespace */
	enum ipsec_xfrm_feature xfrmi;	/* "ip link add ... type xfrm" */
	enum ipsec_xfrm_feature bpf;	/* a tc (SCHED_CLS) BPF program loads */
	char kernel_msg[96];		/* netlink extended ack, if any */
};

/**
 * ipsec_xfrm_probe - ask the kernel, from a forked child, whether it can
 * hold an ESP SA (and whether xfrm interfaces and tc-BPF are there; those
 * are only tried in a private namespace).  Fills *caps; returns 0 when
 * the verdict is IPSEC_XFRM_OK, else -1.  Leaves no SA, link or program
 * behind, and never touches the caller's namespace in PRIVATE mode
 * unless it has to fall back.
 */
int ipsec_xfrm_probe(enum ipsec_xfrm_where where,
		     struct ipsec_xfrm_caps *caps);

/**
 * ipsec_xfrm_classify - the verdict for errno err at stage (0 = success).
 * Pure; every errno, including nonsense values, maps to some verdict.
 */
enum ipsec_xfrm_verdict ipsec_xfrm_classify(enum ipsec_xfrm_stage stage,
					    int err);

/**
 * ipsec_xfrm_reason - one line (no newline) saying what caps means,
 * "xfrm: this kernel has no ESP support (CONFIG_INET_ESP)", into buf.
 * Returns buf.
 */
const char *ipsec_xfrm_reason(const struct ipsec_xfrm_caps *caps, char *buf,
			      size_t len);

/**
 * ipsec_xfrm_sa_refusal - why the kernel path cannot carry sa (a static
 * one-line string, "xfrm: ..."): time-based anti-replay, RFC 6054 sender
 * IDs, GCM/GMAC IVs shared by many senders, a group-wide sequence window,
 * or, for everything else, address preservation needing the tc-BPF shim
 * that is not implemented.  Never NULL today.
 */
const char *ipsec_xfrm_sa_refusal(const struct ipsec_sa *sa);

/**
 * ipsec_xfrm_usable - probe (PRIVATE) and decide whether the xfrm backend
 * can serve GET VPN groups.  0 when it can; -1 with the one-line reason
 * in why otherwise.  Always -1 until header preservation exists.
 */
int ipsec_xfrm_usable(char *why, size_t whylen);

/** ipsec_xfrm_error - why the last refused call failed ("" if none). */
const char *ipsec_xfrm_error(const struct ipsec_ctx *ctx);

/**
 * ipsec_xfrm_caps - what the probe found when ctx was opened; NULL if ctx
 * is not an xfrm backend.
 */
const struct ipsec_xfrm_caps *ipsec_xfrm_caps(const struct ipsec_ctx *ctx);

/*
 * ipsec_xfrm_set_probe - tests: make init() and ipsec_xfrm_usable() call
 * fn instead of ipsec_xfrm_probe (NULL restores it), like the injectable
 * clock of the event loop.
 */
void ipsec_xfrm_set_probe(int (*fn)(enum ipsec_xfrm_where where,
				    struct ipsec_xfrm_caps *caps));

#endif
