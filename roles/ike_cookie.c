/*
 * ike_cookie: the key server's answer to a message-1 flood (doc/gdoi.md
 * "Registration under attack"): responder cookies that can be checked
 * without state, and the peers that proved with one that they receive.
 *
 * CKY-R = the first 8 octets of HMAC-SHA-256(secret, peer address |
 * peer port | CKY-I) (RFC 2408 §2.5.3: a keyed hash of the peer and a
 * local secret; the secret changes every IKE_COOKIE_ROTATE_MS and the
 * previous one is still accepted).  While many negotiations are half
 * open, a message 1 from a peer that has not proved itself is answered
 * with message 2 and forgotten; the message 3 that follows carries the
 * cookie back, which a spoofed source cannot do: the peer is then
 * remembered as proven (address and port, IKE_PROVEN_MS) and told
 * INVALID-COOKIE, and its next message 1 gets a negotiation with state.
 * Main Mode does not let message 3 itself start the negotiation: the
 * responder needs the initiator's SA payload of message 1 for HASH_I
 * and HASH_R (RFC 2409 §5), and message 3 does not carry it.
 */
#include "roles/ike_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/isakmp.h"
#include "platform/evloop.h"

static void
cookie_keys_fresh(struct ike *ike)
{
	struct ike_cookies *c = &ike->cookies;
	uint64_t now = ev_now(ike->loop);

	if (c->keyed && now - c->rotated_ms < IKE_COOKIE_ROTATE_MS)
		return;
	memcpy(c->key[1], c->key[0], sizeof(c->key[0]));
	if (crypto_random(c->key[0], sizeof(c->key[0])) != 0)
		return;		/* keep the old key rather than none */
	if (!c->keyed)
		memcpy(c->key[1], c->key[0], sizeof(c->key[0]));
	c->keyed = true;
	c->rotated_ms = now;
}

static void
cookie_of(const uint8_t *key, uint32_t peer, uint16_t port,
	  const uint8_t *cky_i, uint8_t *cky_r)
{
	static const uint8_t zero[ISAKMP_COOKIE_LEN];
	uint8_t mac[CRYPTO_MAX_HASH];
	const struct crypto_iov iov[] = {
		{ &peer, sizeof(peer) }, { &port, sizeof(port) },
		{ cky_i, ISAKMP_COOKIE_LEN },
	};

	if (crypto_prf_v(CRYPTO_HASH_SHA256, key, IKE_COOKIE_KEY_LEN, iov, 3,
			 mac) != 0)
		memset(mac, 0, sizeof(mac));
	memcpy(cky_r, mac, ISAKMP_COOKIE_LEN);
	if (memcmp(cky_r, zero, sizeof(zero)) == 0)
		cky_r[ISAKMP_COOKIE_LEN - 1] = 1;	/* 0 marks message 1 */
	crypto_wipe(mac, sizeof(mac));
}

/* p1_config.responder_cookie: peer in network order, the port of the
 * message 1 being answered in ike->cookies.port. */
static void
cookie_make(void *arg, uint32_t peer, const uint8_t *cky_i, uint8_t *cky_r)
{
	struct ike *ike = arg;

	cookie_keys_fresh(ike);
	cookie_of(ike->cookies.key[0], peer, ike->cookies.port, cky_i,
		  cky_r);
}

void
ike_cookie_setup(struct ike *ike)
{
	ike->p1cfg.responder_cookie = cookie_make;
	ike->p1cfg.cookie_arg = ike;
}

bool
ike_cookie_ok(struct ike *ike, uint32_t peer, uint16_t port,
	      const uint8_t *cky_i, const uint8_t *cky_r)
{
	uint8_t want[ISAKMP_COOKIE_LEN];

	cookie_keys_fresh(ike);
	for (int k = 0; k < 2; k++) {
		cookie_of(ike->cookies.key[k], peer, port, cky_i, want);
		if (crypto_equal(want, cky_r, sizeof(want)))
			return true;
	}
	return false;
}

/* The set of ways peer:port belongs to (NULL: no table yet). */
static struct ike_proven *
proven_set(const struct ike *ike, uint32_t peer, uint16_t port)
{
	/* every octet of the address and the port moves the set (peers
	 * of one subnet differ in their last octets only) */
	uint32_t h = peer ^ (uint32_t)port * 0x9e3779b9u;

	if (ike->cookies.proven == NULL)
		return NULL;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return &ike->cookies.proven[h % IKE_PROVEN_SETS * IKE_PROVEN_WAYS];
}

static struct ike_proven *
proven_find(const struct ike *ike, uint32_t peer, uint16_t port)
{
	struct ike_proven *set = proven_set(ike, peer, port);

	for (int w = 0; set != NULL && w < IKE_PROVEN_WAYS; w++)
		if (set[w].addr == peer && set[w].port == port)
			return &set[w];
	return NULL;
}

void
ike_proven_add(struct ike *ike, uint32_t peer, uint16_t port,
	       const uint8_t *spent_cky)
{
	struct ike_proven *set, *p;

	if (ike->cookies.proven == NULL &&
	    (ike->cookies.proven = calloc((size_t)IKE_PROVEN_SETS *
					  IKE_PROVEN_WAYS,
					  sizeof(struct ike_proven))) == NULL)
		return;		/* the peer gets another cookie round */
	if ((p = proven_find(ike, peer, port)) == NULL) {
		set = proven_set(ike, peer, port);
		p = &set[0];
		for (int w = 1; w < IKE_PROVEN_WAYS; w++)
			if (set[w].until_ms < p->until_ms)
				p = &set[w];	/* empty, expired or oldest */
	}
	p->addr = peer;
	p->port = port;
	memcpy(p->spent_cky, spent_cky, sizeof(p->spent_cky));
	p->until_ms = ev_now(ike->loop) + IKE_PROVEN_MS;
}

int
ike_proven(struct ike *ike, uint32_t peer, uint16_t port,
	   const uint8_t *cky_i)
{
	const struct ike_proven *p = proven_find(ike, peer, port);

	if (p == NULL || p->until_ms <= ev_now(ike->loop))
		return 0;
	return memcmp(p->spent_cky, cky_i, sizeof(p->spent_cky)) == 0 ? -1
									 : 1;
}
