/*
 * user_path: the per-packet decisions of the user data plane (see
 * ipsec/user_int.h): RFC 4301 §5.1 (outbound: SPD first match, then
 * PROTECT / BYPASS / DISCARD) and §5.2 (inbound: SA by SPI, then the
 * inner packet checked against the SA's selectors, doc/protocol.md §7.2; and
 * cleartext from the WAN checked against the policy) for GET VPN group
 * SAs in tunnel mode with address preservation; RFC 4303 itself is
 * ipsec/esp.c.  Fail-close (doc/protocol.md §8.5), receive-only SAs and
 * passive members decide what happens to protected traffic without an
 * outbound SA.  No I/O: the packets are in the caller's buffers.
 */
#include "ipsec/user_int.h"

#include <arpa/inet.h>
#include <string.h>

#include "ipsec/mss.h"
#include "platform/log.h"

/* ---- pseudotime (doc/protocol.md §8.3) ---- */

static uint64_t
user_now(const struct user_state *st)
{
	return st->loop != NULL ? ev_now(st->loop) : 0;
}

/* PTr(now) = PT_rx + (now - at_rx); the loop clock without an anchor. */
static uint64_t
user_pseudotime(const struct user_state *st, uint32_t group_id)
{
	uint64_t now = user_now(st);

	for (size_t i = 0; i < st->npt; i++)
		if (st->pt[i].group_id == group_id)
			return st->pt[i].pt_ms + (now - st->pt[i].at_ms);
	return now;
}

void
user_set_pseudotime(struct user_state *st, uint32_t group_id, uint64_t pt_ms)
{
	size_t i;

	for (i = 0; i < st->npt; i++)
		if (st->pt[i].group_id == group_id)
			break;
	if (i == st->npt) {
		if (st->npt == USER_MAX_GROUPS)
			return;
		st->npt++;
	}
	st->pt[i].group_id = group_id;
	st->pt[i].pt_ms = pt_ms;
	st->pt[i].at_ms = user_now(st);
}

/* ---- the packet path ---- */

/*
 * What a LAN packet with key k gets (RFC 4301 §5.1, doc/protocol.md §8.5):
 * the outbound SA to protect it with; or NULL with *clear true (send it
 * as it is) or false (dropped).  Counted, except protection itself.
 */
struct sad_sa *
user_classify(struct user_state *st, const struct spd_key *k, bool *clear)
{
	const struct ipsec_policy *p = spd_lookup(st->spd, k);
	struct sad_sa *sa;

	*clear = true;
	if (p == NULL) {
		/* The ACL only says what to encrypt: the rest goes clear. */
		st->ctr[IPSEC_USER_BYPASS]++;
		return NULL;
	}
	switch (p->action) {
	case IPSEC_ACT_PROTECT:
		sa = sad_find(st->sad, p->spi, IPSEC_DIR_OUT);
		if (sa != NULL)
			return sa;
		/* A receive-only group SA means "do not encrypt"; no SA at
		 * all means we must not leak (fail-close). */
		if (sad_find(st->sad, p->spi, IPSEC_DIR_IN) != NULL)
			st->ctr[IPSEC_USER_RECV_ONLY]++;
		else if (!st->fail_close)
			st->ctr[IPSEC_USER_BYPASS]++;
		else {
			st->ctr[IPSEC_USER_DROP_NO_SA]++;
			*clear = false;
		}
		return NULL;
	case IPSEC_ACT_BYPASS:
		st->ctr[spd_is_gdoi_bypass(st->spd, k) ? IPSEC_USER_GDOI_BYPASS
					      : IPSEC_USER_BYPASS]++;
		return NULL;
	case IPSEC_ACT_DROP:
	default:
		st->ctr[IPSEC_USER_DROP_POLICY]++;
		*clear = false;
		return NULL;
	}
}

/* Encapsulate the packet at buf + IPSEC_USER_HEADROOM in place (see
 * IPSEC_USER_HEADROOM); 0 with the ESP packet in *out / *outlen. */
int
user_encap(struct user_state *st, struct sad_sa *sa, uint8_t *buf,
	   size_t cap, size_t len, const uint8_t **out, size_t *outlen)
{
	uint8_t *pkt = buf + IPSEC_USER_HEADROOM;
	uint8_t *o = pkt - esp_headroom(sa->esp);
	int rc;

	rc = esp_encap(sa->esp, pkt, len, user_pseudotime(st, sa->group_id),
		       o, cap - (size_t)(o - buf), outlen);
	if (rc != 0) {
		sad_encap_error(sa, rc);
		st->ctr[IPSEC_USER_DROP_ENCAP]++;
		log_dbg(LOG_DBG_IPSEC, "user: SA %08x: encapsulation failed (%d)",
			ntohl(sa->spi), rc);
		return -1;
	}
	sa->packets++;
	sa->bytes += len;
	st->ctr[IPSEC_USER_ENCAP]++;
	*out = o;
	return 0;
}

/* RFC 4301 §5.1: a cleartext packet from a LAN. */
enum user_verdict
user_outbound(struct user_state *st, uint8_t *buf, size_t cap, size_t len,
	      const struct spd_key *k, const uint8_t **out, size_t *outlen)
{
	bool clear;
	struct sad_sa *sa = user_classify(st, k, &clear);

	*out = buf + IPSEC_USER_HEADROOM;
	*outlen = len;
	if (sa == NULL)
		return clear ? USER_CLEAR : USER_DROP;
	mss_clamp(buf + IPSEC_USER_HEADROOM, len, st->mss);
	return user_encap(st, sa, buf, cap, len, out, outlen) < 0 ? USER_DROP
								   : USER_ESP;
}

/* RFC 4301 §5.2: an ESP packet from the WAN, decapsulated in place. */
enum user_verdict
user_inbound(struct user_state *st, uint8_t *pkt, size_t room, size_t len,
	     size_t *outlen)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	enum esp_drop why = ESP_OK;
	struct spd_key k;
	struct sad_sa *sa;
	uint32_t spi;

	if (len < ihl + USER_ESP_HDR_LEN) {
		st->ctr[IPSEC_USER_DROP_MALFORMED]++;
		log_dbg(LOG_DBG_IPSEC, "user: ESP packet of %zu octets", len);
		return USER_DROP;
	}
	memcpy(&spi, pkt + ihl, sizeof(spi));
	sa = sad_find(st->sad, spi, IPSEC_DIR_IN);
	if (sa == NULL) {
		st->ctr[IPSEC_USER_DROP_UNKNOWN_SPI]++;
		log_dbg(LOG_DBG_IPSEC, "user: ESP with unknown SPI %08x",
			ntohl(spi));
		return USER_DROP;
	}
	if (esp_decap(sa->esp, pkt, len, user_pseudotime(st, sa->group_id),
		      sa->has_replay ? &sa->replay : NULL, pkt, room, outlen,
		      &why) < 0) {
		sad_drop(sa, why);
		if ((unsigned)why < ESP_DROP_COUNT)
			st->esp_drop[why]++;
		st->ctr[IPSEC_USER_DROP_DECAP]++;
		log_dbg(LOG_DBG_IPSEC, "user: SA %08x: dropped (%s)",
			ntohl(spi), esp_drop_name(why));
		return USER_DROP;
	}
	if (spd_key_of(pkt, *outlen, &k) < 0 ||
	    !spd_inbound_ok(st->spd, sa->group_id, &k)) {
		sad_drop(sa, ESP_DROP_POLICY);
		st->ctr[IPSEC_USER_DROP_SELECTOR]++;
		return USER_DROP;
	}
	mss_clamp(pkt, *outlen, st->mss);
	sa->packets++;
	sa->bytes += *outlen;
	st->ctr[IPSEC_USER_DECAP]++;
	return USER_DELIVER;
}

/* The key of the packet at pkt, or -1 (counted) when it is not IPv4. */
int
user_key(struct user_state *st, const uint8_t *pkt, size_t len,
	 struct spd_key *k)
{
	if (spd_key_of(pkt, len, k) == 0)
		return 0;
	st->ctr[IPSEC_USER_DROP_MALFORMED]++;
	log_dbg(LOG_DBG_IPSEC, "user: not an IPv4 packet (%zu octets)", len);
	return -1;
}

enum user_verdict
user_process(struct user_state *st, uint8_t *buf, size_t cap, size_t len,
	     const uint8_t **out, size_t *outlen)
{
	uint8_t *pkt = buf + IPSEC_USER_HEADROOM;
	struct spd_key k;

	if (user_key(st, pkt, len, &k) < 0)
		return USER_DROP;
	/* Only the WAN rule steers ESP here (a LAN's ESP is taken as ours to
	 * open, see user.h): protocol alone tells the two directions apart. */
	if (k.proto == USER_IPPROTO_ESP) {
		*out = pkt;
		return user_inbound(st, pkt, cap - IPSEC_USER_HEADROOM, len,
				    outlen);
	}
	return user_outbound(st, buf, cap, len, &k, out, outlen);
}


/*
 * RFC 4301 §5.2 for a packet that arrived from the WAN in the clear (the
 * IN/FWD policies of doc/dataplane-xfrm.md): what the group protects must
 * arrive encrypted, unless its policy accepts both (clear_in_ok: a
 * receive-only SA or a passive member) or the member holds no SA for it
 * and is fail-open; a fail-close drop covers both directions.
 */
bool
user_clear_in_ok(const struct user_state *st, const struct spd_key *k)
{
	const struct ipsec_policy *p = spd_lookup_inbound(st->spd, k);

	if (p == NULL || p->action == IPSEC_ACT_BYPASS)
		return true;
	if (p->action != IPSEC_ACT_PROTECT)
		return false;
	if (p->clear_in_ok)
		return true;
	if (sad_find(st->sad, p->spi, IPSEC_DIR_OUT) != NULL ||
	    sad_find(st->sad, p->spi, IPSEC_DIR_IN) != NULL)
		return false;
	return !st->fail_close;
}
