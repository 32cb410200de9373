/*
 * rtnl: raw rtnetlink for the userspace data plane (see platform/rtnl.h).
 * Owns the NETLINK_ROUTE socket, the request builder (attributes and
 * nests in a bounded buffer), the request/acknowledgement and dump loops,
 * and the three object kinds we touch: links (RTM_GETLINK/RTM_NEWLINK),
 * IPv4 rules (RTM_NEWRULE/RTM_DELRULE/RTM_GETRULE, linux/fib_rules.h)
 * and IPv4 routes (RTM_NEWROUTE/RTM_DELROUTE/RTM_GETROUTE).
 *
 * Implements no RFC; the message layouts are the kernel's uapi headers
 * (RFC 3549 describes the netlink framing).  Every reply is untrusted:
 * lengths are checked with NLMSG_OK/RTA_OK and attribute payload sizes
 * before a value is read.
 */
#include "platform/rtnl.h"

#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Replies can hold many dump entries; the kernel sizes dump batches to
 * the reader's buffer, up to 32 KiB per message. */
#define RTNL_RX_BUF 65536
/* A request: header, family struct and a handful of attributes. */
#define RTNL_REQ_MAX 512
/* How long one call may wait for the kernel. */
#define RTNL_TIMEOUT_MS 2000

struct rtnl {
	int fd;
	uint32_t seq;
	uint8_t rx[RTNL_RX_BUF];
};

/* A request under construction. */
struct rtnl_req {
	union {
		struct nlmsghdr h;
		uint8_t b[RTNL_REQ_MAX];
	} u;
	bool overflow;
};

/* ---- socket ---- */

struct rtnl *
rtnl_open(char *err, size_t errlen)
{
	struct rtnl *nl = calloc(1, sizeof(*nl));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = {
		.tv_sec = RTNL_TIMEOUT_MS / 1000,
		.tv_usec = RTNL_TIMEOUT_MS % 1000 * 1000,
	};

	if (nl == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0 || bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		snprintf(err, errlen, "rtnetlink socket: %s", strerror(errno));
		rtnl_close(nl);
		return NULL;
	}
	nl->seq = (uint32_t)time(NULL);
	return nl;
}

void
rtnl_close(struct rtnl *nl)
{
	if (nl == NULL)
		return;
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl);
}

/* ---- request builder ---- */

static void *
rtnl_req_init(struct rtnl_req *q, uint16_t type, uint16_t flags,
	      size_t famlen)
{
	memset(q, 0, sizeof(*q));
	q->u.h.nlmsg_len = NLMSG_LENGTH(famlen);
	q->u.h.nlmsg_type = type;
	q->u.h.nlmsg_flags = NLM_F_REQUEST | flags;
	return NLMSG_DATA(&q->u.h);
}

static struct rtattr *
rtnl_put(struct rtnl_req *q, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(q->u.h.nlmsg_len);
	struct rtattr *rta;

	if (off + RTA_SPACE(len) > sizeof(q->u.b)) {
		q->overflow = true;
		return NULL;
	}
	rta = (struct rtattr *)(q->u.b + off);
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len > 0)
		memcpy(RTA_DATA(rta), data, len);
	q->u.h.nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
	return rta;
}

static void
rtnl_put_u32(struct rtnl_req *q, uint16_t type, uint32_t v)
{
	rtnl_put(q, type, &v, sizeof(v));
}

static void
rtnl_put_u8(struct rtnl_req *q, uint16_t type, uint8_t v)
{
	rtnl_put(q, type, &v, sizeof(v));
}

/* Open a nested attribute; rtnl_nest_end() fixes its length. */
static struct rtattr *
rtnl_nest(struct rtnl_req *q, uint16_t type)
{
	return rtnl_put(q, type | NLA_F_NESTED, NULL, 0);
}

static void
rtnl_nest_end(struct rtnl_req *q, struct rtattr *nest)
{
	if (nest != NULL)
		nest->rta_len = (unsigned short)(q->u.b + q->u.h.nlmsg_len -
						 (uint8_t *)nest);
}

/* ---- send and receive ---- */

static int
rtnl_send(struct rtnl *nl, struct rtnl_req *q)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (q->overflow) {
		errno = EMSGSIZE;
		return -1;
	}
	q->u.h.nlmsg_seq = ++nl->seq;
	if (sendto(nl->fd, q->u.b, q->u.h.nlmsg_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -1;
	return 0;
}

/* One datagram from the kernel into nl->rx; its length or -1. */
static ssize_t
rtnl_recv(struct rtnl *nl)
{
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	do
		n = recvfrom(nl->fd, nl->rx, sizeof(nl->rx), MSG_TRUNC,
			     (struct sockaddr *)&from, &fl);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			errno = ETIMEDOUT;
		return -1;
	}
	if ((size_t)n > sizeof(nl->rx)) {
		errno = EMSGSIZE;
		return -1;
	}
	/* Only the kernel (port 0) answers our requests. */
	return from.nl_pid == 0 ? n : 0;
}

/*
 * Handle one message of the reply to request seq.  Returns 1 when the
 * exchange is over (ACK, NLMSG_DONE, or an error: then -1 is stored in
 * *rc with errno set), 0 to keep reading.
 */
static int
rtnl_reply_msg(const struct nlmsghdr *h, int (*cb)(const struct nlmsghdr *,
		void *), void *arg, int *rc)
{
	const struct nlmsgerr *e;

	switch (h->nlmsg_type) {
	case NLMSG_DONE:
		return 1;
	case NLMSG_ERROR:
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			errno = EPROTO;
			*rc = -1;
			return 1;
		}
		e = NLMSG_DATA(h);
		if (e->error != 0) {
			errno = -e->error;
			*rc = -1;
		}
		return 1;
	default:
		if (cb != NULL && *rc == 0 && cb(h, arg) < 0)
			*rc = -1;
		return 0;
	}
}

/*
 * Send q and read the reply: messages go to cb until the kernel's ACK
 * (for a request sent with NLM_F_ACK) or NLMSG_DONE (a dump).
 */
static int
rtnl_talk(struct rtnl *nl, struct rtnl_req *q,
	  int (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	int rc = 0;

	if (rtnl_send(nl, q) < 0)
		return -1;
	for (;;) {
		ssize_t n = rtnl_recv(nl);
		size_t left;

		if (n < 0)
			return -1;
		left = (size_t)n;
		for (const struct nlmsghdr *h = (const struct nlmsghdr *)nl->rx;
		     NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != nl->seq)
				continue;
			if (rtnl_reply_msg(h, cb, arg, &rc))
				return rc;
		}
	}
}

/* Index the attributes in [rta, rta + len) by type (up to max). */
static void
rtnl_parse(const struct rtattr **tb, unsigned max, const struct rtattr *rta,
	   size_t len)
{
	unsigned short type;
	unsigned int left = len > 0xffff ? 0xffff : (unsigned int)len;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	for (; RTA_OK(rta, left); rta = RTA_NEXT(rta, left)) {
		type = rta->rta_type & ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
		if (type <= max)
			tb[type] = rta;
	}
}

/* A u32/u8 attribute whose payload is big enough; def if absent or short. */
static uint32_t
rtnl_u32(const struct rtattr *a, uint32_t def)
{
	uint32_t v;

	if (a == NULL || RTA_PAYLOAD(a) < sizeof(v))
		return def;
	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

static uint8_t
rtnl_u8(const struct rtattr *a, uint8_t def)
{
	if (a == NULL || RTA_PAYLOAD(a) < 1)
		return def;
	return *(const uint8_t *)RTA_DATA(a);
}

/* ---- links ---- */

struct rtnl_link_reply {
	unsigned ifindex, mtu;
	bool seen;
};

static int
rtnl_link_cb(const struct nlmsghdr *h, void *arg)
{
	struct rtnl_link_reply *out = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *tb[IFLA_MAX + 1];

	if (h->nlmsg_type != RTM_NEWLINK ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	rtnl_parse(tb, IFLA_MAX, IFLA_RTA(ifi),
		   h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
	out->ifindex = (unsigned)ifi->ifi_index;
	out->mtu = rtnl_u32(tb[IFLA_MTU], 0);
	out->seen = true;
	return 0;
}

int
rtnl_link_get(struct rtnl *nl, const char *name, unsigned *ifindex,
	      unsigned *mtu)
{
	struct rtnl_req q;
	struct ifinfomsg *ifi;
	struct rtnl_link_reply r = { 0 };
	size_t len = strlen(name);

	if (len == 0 || len >= RTNL_IFNAME_MAX) {
		errno = EINVAL;
		return -1;
	}
	ifi = rtnl_req_init(&q, RTM_GETLINK, NLM_F_ACK, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	rtnl_put(&q, IFLA_IFNAME, name, len + 1);
	if (rtnl_talk(nl, &q, rtnl_link_cb, &r) < 0)
		return -1;
	if (!r.seen) {
		errno = ENODEV;
		return -1;
	}
	if (ifindex != NULL)
		*ifindex = r.ifindex;
	if (mtu != NULL)
		*mtu = r.mtu;
	return 0;
}

static struct ifinfomsg *
rtnl_link_req(struct rtnl_req *q, unsigned ifindex)
{
	struct ifinfomsg *ifi = rtnl_req_init(q, RTM_NEWLINK, NLM_F_ACK,
					      sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return ifi;
}

int
rtnl_link_set_up(struct rtnl *nl, unsigned ifindex)
{
	struct rtnl_req q;
	struct ifinfomsg *ifi = rtnl_link_req(&q, ifindex);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = IFF_UP;
	return rtnl_talk(nl, &q, NULL, NULL);
}

int
rtnl_link_set_mtu(struct rtnl *nl, unsigned ifindex, unsigned mtu)
{
	struct rtnl_req q;

	rtnl_link_req(&q, ifindex);
	rtnl_put_u32(&q, IFLA_MTU, mtu);
	return rtnl_talk(nl, &q, NULL, NULL);
}

/* IFLA_AF_SPEC { AF_INET { IFLA_INET_CONF { RP_FILTER: u32 } } }; the
 * attribute type is the 1-based IPV4_DEVCONF_* index (linux/ip.h). */
int
rtnl_link_set_rp_filter(struct rtnl *nl, unsigned ifindex, unsigned mode)
{
	struct rtnl_req q;
	struct rtattr *spec, *inet, *conf;

	rtnl_link_req(&q, ifindex);
	spec = rtnl_nest(&q, IFLA_AF_SPEC);
	inet = rtnl_nest(&q, AF_INET);
	conf = rtnl_nest(&q, IFLA_INET_CONF);
	rtnl_put_u32(&q, IPV4_DEVCONF_RP_FILTER, mode);
	rtnl_nest_end(&q, conf);
	rtnl_nest_end(&q, inet);
	rtnl_nest_end(&q, spec);
	return rtnl_talk(nl, &q, NULL, NULL);
}

int
rtnl_link_no_ipv6_ll(struct rtnl *nl, unsigned ifindex)
{
	struct rtnl_req q;
	struct rtattr *spec, *inet6;

	rtnl_link_req(&q, ifindex);
	spec = rtnl_nest(&q, IFLA_AF_SPEC);
	inet6 = rtnl_nest(&q, AF_INET6);
	rtnl_put_u8(&q, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	rtnl_nest_end(&q, inet6);
	rtnl_nest_end(&q, spec);
	return rtnl_talk(nl, &q, NULL, NULL);
}

/* ---- rules ---- */

static void
rtnl_rule_req(struct rtnl_req *q, uint16_t type, uint16_t flags,
	      const struct rtnl_rule *r)
{
	struct fib_rule_hdr *frh = rtnl_req_init(q, type, NLM_F_ACK | flags,
						 sizeof(*frh));

	frh->family = AF_INET;
	frh->action = FR_ACT_TO_TBL;
	frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtnl_put_u32(q, FRA_PRIORITY, r->priority);
	rtnl_put_u32(q, FRA_TABLE, r->table);
	rtnl_put_u8(q, FRA_PROTOCOL, r->protocol);
	if (r->iif[0] != '\0')
		rtnl_put(q, FRA_IIFNAME, r->iif, strnlen(r->iif,
			 sizeof(r->iif) - 1) + 1);
	if (r->ipproto != 0)
		rtnl_put_u8(q, FRA_IP_PROTO, r->ipproto);
	if (r->dst_len > 0) {
		frh->dst_len = r->dst_len;
		rtnl_put(q, FRA_DST, &r->dst, sizeof(r->dst));
	}
}

int
rtnl_rule_add(struct rtnl *nl, const struct rtnl_rule *r)
{
	struct rtnl_req q;

	if (r->dst_len > 32) {
		errno = EINVAL;
		return -1;
	}
	rtnl_rule_req(&q, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, r);
	return rtnl_talk(nl, &q, NULL, NULL);
}

int
rtnl_rule_del(struct rtnl *nl, const struct rtnl_rule *r)
{
	struct rtnl_req q;

	rtnl_rule_req(&q, RTM_DELRULE, 0, r);
	return rtnl_talk(nl, &q, NULL, NULL);
}

/* Fill r from an RTM_NEWRULE message; -1 if it is not an IPv4 rule. */
static int
rtnl_rule_parse(const struct nlmsghdr *h, struct rtnl_rule *r)
{
	const struct fib_rule_hdr *frh = NLMSG_DATA(h);
	const struct rtattr *tb[FRA_MAX + 1], *a;

	if (h->nlmsg_type != RTM_NEWRULE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*frh)) ||
	    frh->family != AF_INET || frh->dst_len > 32)
		return -1;
	rtnl_parse(tb, FRA_MAX, (const struct rtattr *)(frh + 1),
		   h->nlmsg_len - NLMSG_LENGTH(sizeof(*frh)));
	memset(r, 0, sizeof(*r));
	r->priority = rtnl_u32(tb[FRA_PRIORITY], 0);
	r->table = rtnl_u32(tb[FRA_TABLE], frh->table);
	r->protocol = rtnl_u8(tb[FRA_PROTOCOL], 0);
	r->ipproto = rtnl_u8(tb[FRA_IP_PROTO], 0);
	r->dst_len = frh->dst_len;
	r->dst = r->dst_len ? rtnl_u32(tb[FRA_DST], 0) : 0;
	a = tb[FRA_IIFNAME];
	if (a != NULL) {
		size_t n = RTA_PAYLOAD(a);

		if (n >= sizeof(r->iif))
			n = sizeof(r->iif) - 1;
		memcpy(r->iif, RTA_DATA(a), n);
		r->iif[strnlen(r->iif, n)] = '\0';
	}
	return 0;
}

struct rtnl_rules {
	struct rtnl_rule *v;
	size_t n;
};

static int
rtnl_rules_cb(const struct nlmsghdr *h, void *arg)
{
	struct rtnl_rules *rs = arg;

	if (rs->n < RTNL_DUMP_MAX && rtnl_rule_parse(h, &rs->v[rs->n]) == 0)
		rs->n++;
	return 0;
}

/* Every IPv4 rule, copied out so the caller may change rules meanwhile. */
static int
rtnl_rules_dump(struct rtnl *nl, struct rtnl_rules *rs)
{
	struct rtnl_req q;
	struct fib_rule_hdr *frh;

	rs->n = 0;
	rs->v = calloc(RTNL_DUMP_MAX, sizeof(*rs->v));
	if (rs->v == NULL)
		return -1;
	frh = rtnl_req_init(&q, RTM_GETRULE, NLM_F_DUMP, sizeof(*frh));
	frh->family = AF_INET;
	if (rtnl_talk(nl, &q, rtnl_rules_cb, rs) < 0) {
		free(rs->v);
		rs->v = NULL;
		return -1;
	}
	return 0;
}

int
rtnl_rule_list(struct rtnl *nl,
	       int (*cb)(const struct rtnl_rule *r, void *arg), void *arg)
{
	struct rtnl_rules rs;

	if (rtnl_rules_dump(nl, &rs) < 0)
		return -1;
	for (size_t i = 0; i < rs.n; i++)
		if (cb(&rs.v[i], arg) != 0)
			break;
	free(rs.v);
	return 0;
}

int
rtnl_rule_flush(struct rtnl *nl, uint32_t lo, uint32_t hi, uint8_t protocol)
{
	struct rtnl_rules rs;
	int gone = 0;

	if (rtnl_rules_dump(nl, &rs) < 0)
		return -1;
	for (size_t i = 0; i < rs.n; i++) {
		const struct rtnl_rule *r = &rs.v[i];

		if (r->priority < lo || r->priority > hi ||
		    r->protocol != protocol)
			continue;
		if (rtnl_rule_del(nl, r) == 0)
			gone++;
	}
	free(rs.v);
	return gone;
}

/* ---- routes ---- */

static void
rtnl_route_req(struct rtnl_req *q, uint16_t type, uint16_t flags,
	       const struct rtnl_route *r)
{
	struct rtmsg *rtm = rtnl_req_init(q, type, NLM_F_ACK | flags,
					  sizeof(*rtm));
	struct rtattr *mx;

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol;
	/* A route straight out of a device, no gateway: link scope; a
	 * local route: host scope; a blackhole: universe.  Deleting
	 * matches the type too. */
	rtm->rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE
		       : r->local ? RT_SCOPE_HOST
		       : r->blackhole ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = r->local ? RTN_LOCAL
		      : r->blackhole ? RTN_BLACKHOLE : RTN_UNICAST;
	rtnl_put_u32(q, RTA_TABLE, r->table);
	if (r->dst_len > 0)
		rtnl_put(q, RTA_DST, &r->dst, sizeof(r->dst));
	if (r->oif != 0)
		rtnl_put_u32(q, RTA_OIF, r->oif);
	if (r->mtu != 0 && type == RTM_NEWROUTE) {
		mx = rtnl_nest(q, RTA_METRICS);
		rtnl_put_u32(q, RTAX_MTU, r->mtu);
		rtnl_nest_end(q, mx);
	}
}

int
rtnl_route_add(struct rtnl *nl, const struct rtnl_route *r)
{
	struct rtnl_req q;

	if (r->dst_len > 32) {
		errno = EINVAL;
		return -1;
	}
	rtnl_route_req(&q, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
	return rtnl_talk(nl, &q, NULL, NULL);
}

int
rtnl_route_del(struct rtnl *nl, const struct rtnl_route *r)
{
	struct rtnl_req q;

	rtnl_route_req(&q, RTM_DELROUTE, 0, r);
	return rtnl_talk(nl, &q, NULL, NULL);
}

struct rtnl_routes {
	struct rtnl_route *v;
	size_t n;
	uint32_t table;
	uint8_t protocol;
};

static int
rtnl_routes_cb(const struct nlmsghdr *h, void *arg)
{
	struct rtnl_routes *rs = arg;
	const struct rtmsg *rtm = NLMSG_DATA(h);
	const struct rtattr *tb[RTA_MAX + 1];
	struct rtnl_route *r;

	if (h->nlmsg_type != RTM_NEWROUTE || rs->n == RTNL_DUMP_MAX ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)) ||
	    rtm->rtm_family != AF_INET || rtm->rtm_dst_len > 32)
		return 0;
	rtnl_parse(tb, RTA_MAX, RTM_RTA(rtm),
		   h->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm)));
	if (rtnl_u32(tb[RTA_TABLE], rtm->rtm_table) != rs->table ||
	    rtm->rtm_protocol != rs->protocol)
		return 0;
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->table = rs->table;
	r->protocol = rs->protocol;
	r->dst_len = rtm->rtm_dst_len;
	r->dst = r->dst_len ? rtnl_u32(tb[RTA_DST], 0) : 0;
	r->oif = rtnl_u32(tb[RTA_OIF], 0);
	r->local = rtm->rtm_type == RTN_LOCAL;
	r->blackhole = rtm->rtm_type == RTN_BLACKHOLE;
	return 0;
}

int
rtnl_route_flush(struct rtnl *nl, uint32_t table, uint8_t protocol)
{
	struct rtnl_routes rs = { .table = table, .protocol = protocol };
	struct rtnl_req q;
	struct rtmsg *rtm;
	int gone = 0;

	rs.v = calloc(RTNL_DUMP_MAX, sizeof(*rs.v));
	if (rs.v == NULL)
		return -1;
	rtm = rtnl_req_init(&q, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	if (rtnl_talk(nl, &q, rtnl_routes_cb, &rs) < 0) {
		free(rs.v);
		return -1;
	}
	for (size_t i = 0; i < rs.n; i++)
		if (rtnl_route_del(nl, &rs.v[i]) == 0)
			gone++;
	free(rs.v);
	return gone;
}
