/*
 * xfrm: the kernel (Linux XFRM) backend, as far as it goes today (see
 * ipsec/xfrm.h and doc/dataplane-xfrm.md).  Owns the capability probe
 * (a throwaway ESP SA added and removed over NETLINK_XFRM in a forked
 * child, normally inside a fresh network namespace; xfrm interface and
 * tc-BPF checks alongside), the classification of its netlink errors,
 * the one-line reasons, and the backend operations that refuse what the
 * kernel path cannot carry.  This is the only file of the tree that
 * includes <netlink/...> headers (libnl-3, libnl-route-3, libnl-xfrm-3).
 *
 * Why nothing is installed (doc/xfrm.md §1, §5.3, doc/design.md §6):
 * GET VPN's outer IP header copies the inner addresses (doc/protocol.md
 * §7.2, tunnel mode with address preservation); XFRM always
 * takes the outer addresses from the SA, so the kernel path needs tc-BPF
 * programs that rewrite them, which do not exist yet.  Time-based
 * anti-replay (doc/protocol.md §8.3) and RFC 6054 sender IDs (doc/protocol.md
 * §6) cannot be expressed to the kernel at all.
 */
#include "ipsec/xfrm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netlink/addr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/xfrmi.h>
#include <netlink/socket.h>
#include <netlink/xfrm/lifetime.h>
#include <netlink/xfrm/sa.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/log.h"

/*
 * The probe SA.  Every value is chosen so that the SA could never carry
 * or capture traffic, even in the fallback where it lives for an instant
 * in the caller's namespace:
 *  - SPI 254: RFC 4303 §2.1 reserves 1-255 for IANA, so no key exchange
 *    hands it out and no real SA can share its (daddr, SPI, proto) key;
 *  - RFC 5737 documentation addresses (TEST-NET-1 -> TEST-NET-2);
 *  - no policy refers to it, and a 30 s hard lifetime removes it even if
 *    the probe were killed between adding and deleting it;
 *  - AES-CBC + HMAC-SHA-256-128: the only kind of group SA the kernel
 *    path could ever serve (doc/design.md §6), so the answer is the relevant
 *    one.  The key is a fixed, public pattern: nothing secret is sent.
 */
#define XFRM_PROBE_SPI 0xfeu
#define XFRM_PROBE_SRC 0xc0000201u	/* 192.0.2.1 */
#define XFRM_PROBE_DST 0xc6336401u	/* 198.51.100.1 */
#define XFRM_PROBE_LIFE_S 30
#define XFRM_PROBE_ENC "cbc(aes)"
#define XFRM_PROBE_ENC_BITS 128
#define XFRM_PROBE_AUTH "hmac(sha256)"
#define XFRM_PROBE_AUTH_BITS 256
#define XFRM_PROBE_AUTH_TRUNC 128	/* HMAC-SHA-256-128 (RFC 4868) */
/* The xfrm interface the probe tries to create (private namespace only). */
#define XFRM_PROBE_IFNAME "gvpnprobe0"
#define XFRM_PROBE_IF_ID 1		/* the kernel refuses if_id 0 */
/* The child answers in milliseconds; a stuck kernel call is killed. */
#define XFRM_PROBE_TIMEOUT_MS 5000
/* include/uapi/linux/xfrm.h: "no limit" for byte and packet counts. */
#define XFRM_PROBE_INF (~0ULL)
/* Kernel errors are -1 .. -MAX_ERRNO (include/linux/err.h). */
#define XFRM_MAX_ERRNO 4095

/* Every refusal ends up here when nothing more specific applies. */
#define XFRM_NO_SHIM "xfrm: keeping the inner addresses on the outer " \
	"header needs the tc-BPF shim, which is not implemented"

struct xfrm_be {
	struct ipsec_xfrm_caps caps;
	char err[256];
};

/* What one netlink request got back. */
struct xfrm_reply {
	bool seen;			/* an NLMSG_ERROR (or ACK) arrived */
	int err;			/* its errno, 0 for an ACK */
	char msg[96];			/* NLMSGERR_ATTR_MSG, if sent */
};

static int (*xfrm_probe_hook)(enum ipsec_xfrm_where,
			      struct ipsec_xfrm_caps *) = ipsec_xfrm_probe;

void
ipsec_xfrm_set_probe(int (*fn)(enum ipsec_xfrm_where,
			       struct ipsec_xfrm_caps *))
{
	xfrm_probe_hook = fn != NULL ? fn : ipsec_xfrm_probe;
}

/* ---- classification and reasons ---- */

enum ipsec_xfrm_verdict
ipsec_xfrm_classify(enum ipsec_xfrm_stage stage, int err)
{
	/* Callers may hand over -errno; INT_MIN has no positive twin. */
	if (err == INT_MIN)
		return IPSEC_XFRM_FAILED;
	if (err < 0)
		err = -err;
	if (err == 0)
		return IPSEC_XFRM_OK;
	if (err == EPERM || err == EACCES)
		return IPSEC_XFRM_NO_PERM;
	if (stage == IPSEC_XFRM_STAGE_OPEN) {
		/* socket(AF_NETLINK, ..., NETLINK_XFRM) without XFRM_USER */
		if (err == EPROTONOSUPPORT || err == EAFNOSUPPORT ||
		    err == ESOCKTNOSUPPORT)
			return IPSEC_XFRM_NO_XFRM;
		return IPSEC_XFRM_FAILED;
	}
	if (stage != IPSEC_XFRM_STAGE_NEWSA)
		return IPSEC_XFRM_FAILED;
	switch (err) {
	case EEXIST:
		/* The kernel builds the state (type and algorithms) before
		 * it looks for a duplicate, so EEXIST means ESP works. */
		return IPSEC_XFRM_OK;
	case EPROTONOSUPPORT:
		/* net/xfrm/xfrm_state.c: no xfrm_type for IPPROTO_ESP */
		return IPSEC_XFRM_NO_ESP;
	case ENOSYS:
	case ENOENT:
		/* net/xfrm/xfrm_user.c: algorithm not in the kernel crypto */
		return IPSEC_XFRM_NO_ALG;
	case EAFNOSUPPORT:
		/* no IPv4 XFRM family (xfrm4) */
		return IPSEC_XFRM_NO_XFRM;
	default:
		return IPSEC_XFRM_FAILED;
	}
}

static const char *
xfrm_stage_name(enum ipsec_xfrm_stage stage)
{
	switch (stage) {
	case IPSEC_XFRM_STAGE_OPEN:
		return "opening NETLINK_XFRM";
	case IPSEC_XFRM_STAGE_NEWSA:
		return "adding the probe SA";
	}
	return "an unknown step";
}

const char *
ipsec_xfrm_reason(const struct ipsec_xfrm_caps *caps, char *buf, size_t len)
{
	const char *extra = caps->kernel_msg[0] != '\0' ? " (" : "";

	if (len == 0)
		return buf;
	switch (caps->verdict) {
	case IPSEC_XFRM_OK:
		snprintf(buf, len, "xfrm: kernel ESP is available");
		break;
	case IPSEC_XFRM_NO_XFRM:
		snprintf(buf, len, "xfrm: this kernel has no XFRM netlink "
			 "interface (CONFIG_XFRM_USER)");
		break;
	case IPSEC_XFRM_NO_PERM:
		snprintf(buf, len, "xfrm: not permitted to program kernel "
			 "IPsec SAs (needs root or CAP_NET_ADMIN)");
		break;
	case IPSEC_XFRM_NO_ESP:
		snprintf(buf, len, "xfrm: this kernel has no ESP support "
			 "(CONFIG_INET_ESP)");
		break;
	case IPSEC_XFRM_NO_ALG:
		snprintf(buf, len, "xfrm: this kernel lacks the ESP algorithms "
			 XFRM_PROBE_ENC " and " XFRM_PROBE_AUTH
			 " (CONFIG_CRYPTO_CBC, CONFIG_CRYPTO_SHA256)");
		break;
	default:
		snprintf(buf, len, "xfrm: the kernel probe failed %s: %s%s%s%s",
			 xfrm_stage_name(caps->stage), strerror(caps->err),
			 extra, caps->kernel_msg, extra[0] != '\0' ? ")" : "");
		break;
	}
	return buf;
}

/* ---- what the kernel path cannot carry ---- */

const char *
ipsec_xfrm_sa_refusal(const struct ipsec_sa *sa)
{
	if (sa->replay == IPSEC_REPLAY_TIME)
		return "xfrm: time-based anti-replay cannot be carried: kernel "
		       "ESP tunnel mode accepts only Next Header 4, so no "
		       "pseudotime header";
	if (sa->sid_bits > 0)
		return "xfrm: RFC 6054 sender IDs cannot be carried: the "
		       "kernel builds GCM/GMAC IVs itself";
	if (sa->enc == IPSEC_ENC_AES_GCM_16 || sa->enc == IPSEC_ENC_AES_GMAC)
		return "xfrm: GCM/GMAC group SAs need IVs unique across "
		       "members, which kernel IVs (random salt) cannot "
		       "guarantee";
	if (sa->replay == IPSEC_REPLAY_COUNTER)
		return "xfrm: a sequence-number window cannot be shared by a "
		       "group's many senders (one kernel window per SA)";
	return XFRM_NO_SHIM;
}

/* ---- netlink plumbing (runs in the probe child) ---- */

/* Copy the NLMSGERR_ATTR_MSG text of an error message, if any. */
static void
xfrm_extack(const struct nlmsghdr *h, const struct nlmsgerr *e,
	    struct xfrm_reply *r)
{
	size_t len = h->nlmsg_len - NLMSG_HDRLEN;
	size_t off = sizeof(*e);
	const struct nlattr *a;
	size_t n;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NLM_F_CAPPED the whole request is echoed first. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		off = offsetof(struct nlmsgerr, msg) +
		      NLMSG_ALIGN((size_t)e->msg.nlmsg_len);
	}
	if (off >= len || len - off > INT_MAX)
		return;
	a = nla_find((const struct nlattr *)((const char *)e + off),
		     (int)(len - off), NLMSGERR_ATTR_MSG);
	if (a == NULL || nla_len(a) <= 0)
		return;
	n = strnlen(nla_data(a), (size_t)nla_len(a));
	if (n >= sizeof(r->msg))
		n = sizeof(r->msg) - 1;
	memcpy(r->msg, nla_data(a), n);
	r->msg[n] = '\0';
}

/* NL_CB_MSG_IN: libnl maps errno onto its own codes and loses detail, so
 * the raw error (and the kernel's text) is taken from the message. */
static int
xfrm_reply_in(struct nl_msg *msg, void *arg)
{
	struct xfrm_reply *r = arg;
	const struct nlmsghdr *h = nlmsg_hdr(msg);
	const struct nlmsgerr *e;

	if (h->nlmsg_type != NLMSG_ERROR)
		return NL_OK;
	/* This runs in the probe child, which never logs (its log sinks
	 * are the parent's): a malformed answer becomes EBADMSG, which the
	 * parent classifies and logs. */
	r->seen = true;
	if (h->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
		r->err = EBADMSG;
		return NL_OK;
	}
	e = nlmsg_data(h);
	if (e->error > 0 || e->error < -XFRM_MAX_ERRNO)
		r->err = EIO;
	else
		r->err = -e->error;
	xfrm_extack(h, e, r);
	return NL_OK;
}

/* Send msg (consumed) and wait for the kernel's answer: 0 or -errno. */
static int
xfrm_nl_call(struct nl_sock *sk, struct nl_msg *msg, struct xfrm_reply *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	nl_socket_modify_cb(sk, NL_CB_MSG_IN, NL_CB_CUSTOM, xfrm_reply_in, r);
	errno = 0;
	rc = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (rc < 0)
		return errno != 0 ? -errno : -EIO;
	rc = nl_wait_for_ack(sk);
	if (r->seen)
		return -r->err;
	return rc < 0 ? -EIO : 0;
}

/* A libnl socket on protocol proto with extended acks on; NULL with
 * errno set. */
static struct nl_sock *
xfrm_nl_open(int proto)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, saved;

	if (sk == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	errno = 0;
	if (nl_connect(sk, proto) < 0) {
		saved = errno != 0 ? errno : EIO;
		nl_socket_free(sk);
		errno = saved;
		return NULL;
	}
	/* Best effort: the kernel text only improves the FAILED line. */
	(void)setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
			 &one, sizeof(one));
	return sk;
}

/* The probe SA as a libnl object; NULL on allocation failure. */
static struct xfrmnl_sa *
xfrm_probe_sa(void)
{
	/* As long as the longer key: a public pattern, not a secret. */
	static const char key[XFRM_PROBE_AUTH_BITS / 8] =
		"getvpn-xfrm-probe-key";
	uint32_t src = htonl(XFRM_PROBE_SRC), dst = htonl(XFRM_PROBE_DST);
	struct nl_addr *s = nl_addr_build(AF_INET, &src, sizeof(src));
	struct nl_addr *d = nl_addr_build(AF_INET, &dst, sizeof(dst));
	struct xfrmnl_ltime_cfg *lt = xfrmnl_ltime_cfg_alloc();
	struct xfrmnl_sa *sa = xfrmnl_sa_alloc();

	if (s == NULL || d == NULL || lt == NULL || sa == NULL)
		goto fail;
	xfrmnl_ltime_cfg_set_soft_bytelimit(lt, XFRM_PROBE_INF);
	xfrmnl_ltime_cfg_set_hard_bytelimit(lt, XFRM_PROBE_INF);
	xfrmnl_ltime_cfg_set_soft_packetlimit(lt, XFRM_PROBE_INF);
	xfrmnl_ltime_cfg_set_hard_packetlimit(lt, XFRM_PROBE_INF);
	xfrmnl_ltime_cfg_set_hard_addexpires(lt, XFRM_PROBE_LIFE_S);
	if (xfrmnl_sa_set_family(sa, AF_INET) < 0 ||
	    xfrmnl_sa_set_daddr(sa, d) < 0 || xfrmnl_sa_set_saddr(sa, s) < 0 ||
	    xfrmnl_sa_set_spi(sa, XFRM_PROBE_SPI) < 0 ||
	    xfrmnl_sa_set_proto(sa, IPPROTO_ESP) < 0 ||
	    xfrmnl_sa_set_mode(sa, XFRM_MODE_TUNNEL) < 0 ||
	    xfrmnl_sa_set_lifetime_cfg(sa, lt) < 0 ||
	    xfrmnl_sa_set_crypto_params(sa, XFRM_PROBE_ENC,
					XFRM_PROBE_ENC_BITS, key) < 0 ||
	    xfrmnl_sa_set_auth_params(sa, XFRM_PROBE_AUTH,
				      XFRM_PROBE_AUTH_BITS,
				      XFRM_PROBE_AUTH_TRUNC, key) < 0)
		goto fail;
	nl_addr_put(s);
	nl_addr_put(d);
	xfrmnl_ltime_cfg_put(lt);
	return sa;
fail:
	if (sa != NULL)
		xfrmnl_sa_put(sa);
	if (lt != NULL)
		xfrmnl_ltime_cfg_put(lt);
	if (s != NULL)
		nl_addr_put(s);
	if (d != NULL)
		nl_addr_put(d);
	return NULL;
}

/* Add the probe SA and, when that worked, delete it at once. */
static void
xfrm_probe_esp(struct ipsec_xfrm_caps *caps)
{
	struct xfrm_reply r;
	struct nl_sock *sk;
	struct xfrmnl_sa *sa = NULL;
	struct nl_msg *msg;
	int rc;

	caps->stage = IPSEC_XFRM_STAGE_OPEN;
	sk = xfrm_nl_open(NETLINK_XFRM);
	if (sk == NULL) {
		caps->err = errno;
		return;
	}
	caps->stage = IPSEC_XFRM_STAGE_NEWSA;
	sa = xfrm_probe_sa();
	if (sa == NULL ||
	    xfrmnl_sa_build_add_request(sa, NLM_F_CREATE | NLM_F_EXCL,
					&msg) < 0) {
		caps->err = ENOMEM;
		goto out;
	}
	rc = xfrm_nl_call(sk, msg, &r);
	caps->err = -rc;
	memcpy(caps->kernel_msg, r.msg, sizeof(caps->kernel_msg));
	/* Only an SA this probe created is ours to delete (not on EEXIST). */
	if (rc == 0) {
		if (xfrmnl_sa_build_delete_request(sa, 0, &msg) < 0)
			caps->del_err = ENOMEM;
		else
			caps->del_err = -xfrm_nl_call(sk, msg, &r);
	}
out:
	if (sa != NULL)
		xfrmnl_sa_put(sa);
	nl_socket_free(sk);
}

/* Can an xfrm interface be created?  Private namespace only. */
static enum ipsec_xfrm_feature
xfrm_probe_xfrmi(void)
{
	enum ipsec_xfrm_feature f = IPSEC_XFRM_FEAT_UNKNOWN;
	struct nl_sock *sk = xfrm_nl_open(NETLINK_ROUTE);
	struct rtnl_link *link = rtnl_link_xfrmi_alloc();
	struct xfrm_reply r;
	struct nl_msg *msg;
	int rc;

	if (sk == NULL || link == NULL)
		goto out;
	rtnl_link_set_name(link, XFRM_PROBE_IFNAME);
	if (rtnl_link_xfrmi_set_if_id(link, XFRM_PROBE_IF_ID) < 0 ||
	    rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL,
					&msg) < 0)
		goto out;
	rc = xfrm_nl_call(sk, msg, &r);
	if (rc == 0)
		f = IPSEC_XFRM_FEAT_YES;
	else if (rc == -EOPNOTSUPP)
		f = IPSEC_XFRM_FEAT_NO;	/* link kind "xfrm" not registered */
	if (rc == 0 && rtnl_link_build_delete_request(link, &msg) == 0)
		(void)xfrm_nl_call(sk, msg, &r);
out:
	if (link != NULL)
		rtnl_link_put(link);
	if (sk != NULL)
		nl_socket_free(sk);
	return f;
}

/* Does the kernel take a tc (SCHED_CLS) BPF program?  The smallest one,
 * "return TC_ACT_OK", is loaded and its fd closed, which frees it. */
static enum ipsec_xfrm_feature
xfrm_probe_bpf(void)
{
	struct bpf_insn prog[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char license[] = "GPL";
	union bpf_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insns = (uint64_t)(uintptr_t)prog;
	attr.insn_cnt = 2;
	attr.license = (uint64_t)(uintptr_t)license;
	fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0) {
		close((int)fd);
		return IPSEC_XFRM_FEAT_YES;
	}
	if (errno == EPERM || errno == EACCES)
		return IPSEC_XFRM_FEAT_UNKNOWN;
	return IPSEC_XFRM_FEAT_NO;
}

/* The forked child: probe, report on wfd, never return. */
static void __attribute__((noreturn))
xfrm_probe_child(enum ipsec_xfrm_where where, int wfd)
{
	struct ipsec_xfrm_caps caps;
	const char *p = (const char *)&caps;
	size_t left = sizeof(caps);
	ssize_t n;

	memset(&caps, 0, sizeof(caps));
	if (where == IPSEC_XFRM_PROBE_PRIVATE && unshare(CLONE_NEWNET) == 0)
		caps.private_netns = true;
	xfrm_probe_esp(&caps);
	if (caps.private_netns) {
		caps.xfrmi = xfrm_probe_xfrmi();
		caps.bpf = xfrm_probe_bpf();
	}
	while (left > 0) {
		n = write(wfd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	_exit(0);
}

/* ---- the probe, parent side ---- */

/* Read the child's report; -1 on timeout, early exit or short data. */
static int
xfrm_probe_read(int rfd, struct ipsec_xfrm_caps *out)
{
	struct pollfd pfd = { .fd = rfd, .events = POLLIN };
	char *p = (char *)out;
	size_t got = 0;
	ssize_t n;
	int rc;

	while (got < sizeof(*out)) {
		rc = poll(&pfd, 1, XFRM_PROBE_TIMEOUT_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			errno = rc == 0 ? ETIMEDOUT : errno;
			return -1;
		}
		n = read(rfd, p + got, sizeof(*out) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errno = n == 0 ? ECHILD : errno;
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/* The report is data from another process: bound every field before use,
 * and decide the verdict here, in one place. */
static void
xfrm_probe_sanitize(struct ipsec_xfrm_caps *c)
{
	if ((unsigned)c->stage > IPSEC_XFRM_STAGE_NEWSA)
		c->stage = IPSEC_XFRM_STAGE_OPEN;
	if ((unsigned)c->xfrmi > IPSEC_XFRM_FEAT_NO)
		c->xfrmi = IPSEC_XFRM_FEAT_UNKNOWN;
	if ((unsigned)c->bpf > IPSEC_XFRM_FEAT_NO)
		c->bpf = IPSEC_XFRM_FEAT_UNKNOWN;
	c->kernel_msg[sizeof(c->kernel_msg) - 1] = '\0';
	/* one line: no control characters from the kernel's text */
	for (char *s = c->kernel_msg; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	c->verdict = ipsec_xfrm_classify(c->stage, c->err);
	if (c->verdict == IPSEC_XFRM_FAILED && c->err == 0)
		c->err = EIO;
}

static void
xfrm_probe_reap(pid_t pid, bool kill_it)
{
	if (kill_it)
		kill(pid, SIGKILL);
	/* ECHILD when SIGCHLD is ignored: the child is reaped already. */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int
ipsec_xfrm_probe(enum ipsec_xfrm_where where, struct ipsec_xfrm_caps *caps)
{
	struct ipsec_xfrm_caps got;
	int fds[2], rc;
	pid_t pid;

	memset(caps, 0, sizeof(*caps));
	caps->verdict = IPSEC_XFRM_FAILED;
	caps->stage = IPSEC_XFRM_STAGE_OPEN;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		caps->err = errno;
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		caps->err = errno;
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		xfrm_probe_child(where, fds[1]);
	}
	close(fds[1]);
	rc = xfrm_probe_read(fds[0], &got);
	if (rc < 0)
		caps->err = errno;
	close(fds[0]);
	xfrm_probe_reap(pid, rc < 0);
	if (rc < 0) {
		log_dbg(LOG_DBG_IPSEC, "xfrm: the probe child did not report: %s",
			strerror(caps->err));
		return -1;
	}
	*caps = got;
	xfrm_probe_sanitize(caps);
	if (caps->verdict == IPSEC_XFRM_FAILED) {
		char why[200];

		log_dbg(LOG_DBG_IPSEC, "%s",
			ipsec_xfrm_reason(caps, why, sizeof(why)));
	}
	if (caps->del_err != 0)
		log_warnx("xfrm: could not remove the probe SA (SPI %u): %s; "
			  "the kernel drops it within %d s", XFRM_PROBE_SPI,
			  strerror(caps->del_err), XFRM_PROBE_LIFE_S);
	return caps->verdict == IPSEC_XFRM_OK ? 0 : -1;
}

int
ipsec_xfrm_usable(char *why, size_t whylen)
{
	struct ipsec_xfrm_caps caps;

	if (xfrm_probe_hook(IPSEC_XFRM_PROBE_PRIVATE, &caps) < 0 ||
	    caps.verdict != IPSEC_XFRM_OK) {
		ipsec_xfrm_reason(&caps, why, whylen);
		return -1;
	}
	/* ESP works, but no GET VPN group can be served without the shim:
	 * every SA would be refused (ipsec_xfrm_sa_refusal). */
	snprintf(why, whylen, "%s", XFRM_NO_SHIM);
	return -1;
}

/* ---- the backend ---- */

static struct xfrm_be *
xfrm_of(const struct ipsec_ctx *ctx)
{
	if (ctx == NULL || ctx->be != &ipsec_xfrm_backend)
		return NULL;
	return ctx->priv;
}

static const char *
xfrm_feature_name(enum ipsec_xfrm_feature f)
{
	return f == IPSEC_XFRM_FEAT_YES ? "yes" :
	       f == IPSEC_XFRM_FEAT_NO ? "no" : "unknown";
}

static int
xfrm_init(struct ipsec_ctx *ctx, struct evloop *loop, char *err,
	  size_t errlen)
{
	struct ipsec_xfrm_caps caps;
	struct xfrm_be *be;
	char why[200];

	if (xfrm_probe_hook(IPSEC_XFRM_PROBE_PRIVATE, &caps) < 0 ||
	    caps.verdict != IPSEC_XFRM_OK) {
		snprintf(err, errlen, "%s; %s",
			 ipsec_xfrm_reason(&caps, why, sizeof(why)),
			 IPSEC_XFRM_HINT);
		return -1;
	}
	be = calloc(1, sizeof(*be));
	if (be == NULL) {
		snprintf(err, errlen, "xfrm: out of memory");
		return -1;
	}
	be->caps = caps;
	ctx->priv = be;
	log_info("xfrm: kernel ESP available (xfrm interfaces: %s, tc-BPF: %s); "
		 "group SAs are refused until the tc-BPF shim exists",
		 xfrm_feature_name(caps.xfrmi), xfrm_feature_name(caps.bpf));
	return 0;
}

static void
xfrm_fini(struct ipsec_ctx *ctx)
{
	free(ctx->priv);
	ctx->priv = NULL;
}

static int
xfrm_sa_add(struct ipsec_ctx *ctx, const struct ipsec_sa *sa)
{
	struct xfrm_be *be = ctx->priv;

	snprintf(be->err, sizeof(be->err), "%s (SA %08x); %s",
		 ipsec_xfrm_sa_refusal(sa), ntohl(sa->spi), IPSEC_XFRM_HINT);
	log_dbg(LOG_DBG_IPSEC, "%s", be->err);
	errno = EOPNOTSUPP;
	return -1;
}

static int
xfrm_sa_del(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir)
{
	errno = ENOENT;		/* nothing was ever installed */
	return -1;
}

static int
xfrm_sa_stats(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir,
	      struct ipsec_stats *st)
{
	memset(st, 0, sizeof(*st));
	errno = ENOENT;
	return -1;
}

static int
xfrm_policy_add(struct ipsec_ctx *ctx, const struct ipsec_policy *p)
{
	struct xfrm_be *be = ctx->priv;

	snprintf(be->err, sizeof(be->err), "%s (policy of group %u); %s",
		 XFRM_NO_SHIM, p->group_id, IPSEC_XFRM_HINT);
	log_dbg(LOG_DBG_IPSEC, "%s", be->err);
	errno = EOPNOTSUPP;
	return -1;
}

static int
xfrm_policy_flush(struct ipsec_ctx *ctx, uint32_t group_id)
{
	return 0;
}

static int
xfrm_flush(struct ipsec_ctx *ctx)
{
	return 0;
}

const struct ipsec_backend ipsec_xfrm_backend = {
	.name = "xfrm",
	.init = xfrm_init,
	.fini = xfrm_fini,
	.sa_add = xfrm_sa_add,
	.sa_del = xfrm_sa_del,
	.sa_stats = xfrm_sa_stats,
	.policy_add = xfrm_policy_add,
	.policy_flush = xfrm_policy_flush,
	.flush = xfrm_flush,
};

const char *
ipsec_xfrm_error(const struct ipsec_ctx *ctx)
{
	const struct xfrm_be *be = xfrm_of(ctx);

	return be != NULL ? be->err : "";
}

const struct ipsec_xfrm_caps *
ipsec_xfrm_caps(const struct ipsec_ctx *ctx)
{
	const struct xfrm_be *be = xfrm_of(ctx);

	return be != NULL ? &be->caps : NULL;
}
