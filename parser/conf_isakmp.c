/*
 * conf_isakmp: ISAKMP policy and pre-shared key nodes, their lookups and
 * their NVGEN (doc/ios-cli.md §2.1, §2.2, §3.1, §7.4): `encr` spelling,
 * defaults hidden, policies by priority, keys printed without the `0`.
 *
 * Keys are indexed by "address/prefix-length" (or host name), and the
 * area counts the keys of each prefix length, so the longest-match lookup
 * for a peer costs at most 33 hash probes however many keys exist.
 */
#include "parser/conf_isakmp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"
#include "platform/secmem.h"
#include "platform/term.h"

#define ISAKMP_PEER_KEY_MAX (CONF_ISAKMP_HOST_MAX + 4)

static const char *const hash_names[] = {
	[CONF_ISAKMP_HASH_SHA] = "sha", [CONF_ISAKMP_HASH_MD5] = "md5",
	[CONF_ISAKMP_HASH_SHA256] = "sha256",
	[CONF_ISAKMP_HASH_SHA384] = "sha384",
	[CONF_ISAKMP_HASH_SHA512] = "sha512",
};

static const char *const auth_names[] = {
	[CONF_ISAKMP_AUTH_RSA_SIG] = "rsa-sig",
	[CONF_ISAKMP_AUTH_PRE_SHARE] = "pre-share",
	[CONF_ISAKMP_AUTH_RSA_ENCR] = "rsa-encr",
};

const char *
conf_isakmp_hash_name(enum conf_isakmp_hash h)
{
	return hash_names[h];
}

const char *
conf_isakmp_auth_name(enum conf_isakmp_auth a)
{
	return auth_names[a];
}

static unsigned
mask_len(uint32_t mask)
{
	return (unsigned)__builtin_popcount(mask);
}

static uint32_t
len_mask(unsigned len)
{
	return len == 0 ? 0 : htonl(0xffffffffu << (32 - len));
}

/* The index text of a key slot. */
static void
peer_key(char *buf, size_t len, const struct conf_isakmp_key *k)
{
	if (k->kind == CONF_ISAKMP_KEY_HOSTNAME)
		snprintf(buf, len, "h:%s", k->host);
	else
		snprintf(buf, len, "a:%08x/%u", (unsigned)ntohl(k->addr),
			 mask_len(k->mask));
}

/*
 * The area.
 */
struct conf_isakmp *
conf_isakmp_new(void)
{
	struct conf_isakmp *isk = calloc(1, sizeof(*isk));

	if (isk == NULL)
		return NULL;
	isk->policy_by_prio = hmap_new();
	isk->key_by_peer = hmap_new();
	if (isk->policy_by_prio == NULL || isk->key_by_peer == NULL) {
		conf_isakmp_free(isk);
		return NULL;
	}
	isk->keepalive.retry = CONF_ISAKMP_DEF_KA_RETRY;
	isk->dh_reuse = CONF_ISAKMP_DEF_DH_REUSE;
	return isk;
}

static void
key_free(struct conf_isakmp_key *k)
{
	secmem_free(k);		/* wiped */
}

void
conf_isakmp_free(struct conf_isakmp *isk)
{
	struct conf_isakmp_policy *p, *pn;
	struct conf_isakmp_key *k, *kn;

	if (isk == NULL)
		return;
	for (p = isk->policies; p != NULL; p = pn) {
		pn = p->next;
		conf_obj_kill(&p->obj);
	}
	for (k = isk->keys; k != NULL; k = kn) {
		kn = k->next;
		key_free(k);
	}
	hmap_free(isk->policy_by_prio);
	hmap_free(isk->key_by_peer);
	free(isk);
}

/*
 * Policies.
 */
const struct conf_isakmp_policy *
conf_isakmp_policy_first(const struct conf_isakmp *isk)
{
	return isk->policies;
}

const struct conf_isakmp_policy *
conf_isakmp_policy_find(const struct conf_isakmp *isk, uint16_t prio)
{
	char k[8];

	snprintf(k, sizeof(k), "%u", prio);
	return hmap_get(isk->policy_by_prio, k);
}

struct conf_isakmp_policy *
conf_isakmp_policy_lookup(struct conf_isakmp *isk, uint16_t prio)
{
	char k[8];

	snprintf(k, sizeof(k), "%u", prio);
	return hmap_get(isk->policy_by_prio, k);
}

void
conf_isakmp_policy_defaults(struct conf_isakmp_policy *p)
{
	p->has = 0;
	p->encr = CONF_ISAKMP_ENCR_DES;
	p->encr_bits = 0;
	p->hash = CONF_ISAKMP_HASH_SHA;
	p->auth = CONF_ISAKMP_AUTH_RSA_SIG;
	p->group = CONF_ISAKMP_DEF_GROUP;
	p->lifetime = CONF_ISAKMP_DEF_LIFETIME;
}

static void
policy_destroy(struct conf_obj *o)
{
	free(o);
}

struct conf_isakmp_policy *
conf_isakmp_policy_add(struct conf_isakmp *isk, uint16_t prio)
{
	struct conf_isakmp_policy *p = calloc(1, sizeof(*p)), *at;
	char k[8];

	if (p == NULL)
		return NULL;
	conf_obj_init(&p->obj, policy_destroy);
	p->prio = prio;
	conf_isakmp_policy_defaults(p);
	snprintf(k, sizeof(k), "%u", prio);
	if (hmap_put(isk->policy_by_prio, k, p) < 0) {
		free(p);
		return NULL;
	}
	/* Configs list policies in order: appending is the common case. */
	at = NULL;
	if (isk->policies_tail != NULL && prio < isk->policies_tail->prio)
		for (at = isk->policies; at->prio < prio; at = at->next)
			;
	p->next = at;
	p->prev = at ? at->prev : isk->policies_tail;
	if (p->prev != NULL)
		p->prev->next = p;
	else
		isk->policies = p;
	if (at != NULL)
		at->prev = p;
	else
		isk->policies_tail = p;
	return p;
}

void
conf_isakmp_policy_del(struct conf_isakmp *isk, struct conf_isakmp_policy *p)
{
	char k[8];

	snprintf(k, sizeof(k), "%u", p->prio);
	hmap_del(isk->policy_by_prio, k);
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		isk->policies = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		isk->policies_tail = p->prev;
	p->prev = p->next = NULL;
	conf_obj_kill(&p->obj);
}

/*
 * Keys.
 */
struct conf_isakmp_key *
conf_isakmp_key_lookup(struct conf_isakmp *isk, const struct conf_isakmp_key *k)
{
	char pk[ISAKMP_PEER_KEY_MAX];

	peer_key(pk, sizeof(pk), k);
	return hmap_get(isk->key_by_peer, pk);
}

int
conf_isakmp_key_set(struct conf_isakmp *isk, const struct conf_isakmp_key *k)
{
	struct conf_isakmp_key *old = conf_isakmp_key_lookup(isk, k), *n;
	char pk[ISAKMP_PEER_KEY_MAX];

	if (old != NULL) {
		/* Re-entering a peer's key replaces it where it stands. */
		struct conf_isakmp_key *prev = old->prev, *next = old->next;

		*old = *k;
		old->prev = prev;
		old->next = next;
		return 0;
	}
	if ((n = secmem_calloc(sizeof(*n))) == NULL)
		return -1;
	*n = *k;
	peer_key(pk, sizeof(pk), n);
	if (hmap_put(isk->key_by_peer, pk, n) < 0) {
		key_free(n);
		return -1;
	}
	n->next = NULL;
	n->prev = isk->keys_tail;
	if (isk->keys_tail != NULL)
		isk->keys_tail->next = n;
	else
		isk->keys = n;
	isk->keys_tail = n;
	if (n->kind == CONF_ISAKMP_KEY_ADDRESS)
		isk->key_masks[mask_len(n->mask)]++;
	return 0;
}

void
conf_isakmp_key_del(struct conf_isakmp *isk, struct conf_isakmp_key *k)
{
	char pk[ISAKMP_PEER_KEY_MAX];

	peer_key(pk, sizeof(pk), k);
	hmap_del(isk->key_by_peer, pk);
	if (k->kind == CONF_ISAKMP_KEY_ADDRESS)
		isk->key_masks[mask_len(k->mask)]--;
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		isk->keys = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	else
		isk->keys_tail = k->prev;
	key_free(k);
}

const struct conf_isakmp_key *
conf_isakmp_key_for_peer(const struct conf_isakmp *isk, uint32_t addr)
{
	struct conf_isakmp_key probe = { .kind = CONF_ISAKMP_KEY_ADDRESS };
	char pk[ISAKMP_PEER_KEY_MAX];

	for (int len = 32; len >= 0; len--) {
		const struct conf_isakmp_key *k;

		if (isk->key_masks[len] == 0)
			continue;
		probe.mask = len_mask((unsigned)len);
		probe.addr = addr & probe.mask;
		peer_key(pk, sizeof(pk), &probe);
		if ((k = hmap_get(isk->key_by_peer, pk)) != NULL &&
		    !k->locked)
			return k;
	}
	return NULL;
}

const struct conf_isakmp_key *
conf_isakmp_key_for_host(const struct conf_isakmp *isk, const char *host)
{
	struct conf_isakmp_key probe = { .kind = CONF_ISAKMP_KEY_HOSTNAME };
	const struct conf_isakmp_key *k;
	char pk[ISAKMP_PEER_KEY_MAX];

	snprintf(probe.host, sizeof(probe.host), "%s", host);
	peer_key(pk, sizeof(pk), &probe);
	k = hmap_get(isk->key_by_peer, pk);
	return k != NULL && !k->locked ? k : NULL;
}

/*
 * NVGEN.
 */
static void
show_policy(const struct conf_isakmp_policy *p, struct term *t)
{
	term_printf(t, "crypto isakmp policy %u\n", p->prio);
	if (p->encr == CONF_ISAKMP_ENCR_3DES)
		term_puts(t, " encr 3des\n");
	else if (p->encr == CONF_ISAKMP_ENCR_AES && p->encr_bits != 128)
		term_printf(t, " encr aes %u\n", p->encr_bits);
	else if (p->encr == CONF_ISAKMP_ENCR_AES)
		term_puts(t, " encr aes\n");
	if (p->hash != CONF_ISAKMP_HASH_SHA)
		term_printf(t, " hash %s\n", hash_names[p->hash]);
	if (p->auth != CONF_ISAKMP_AUTH_RSA_SIG)
		term_printf(t, " authentication %s\n", auth_names[p->auth]);
	if (p->group != CONF_ISAKMP_DEF_GROUP)
		term_printf(t, " group %u\n", p->group);
	if (p->lifetime != CONF_ISAKMP_DEF_LIFETIME)
		term_printf(t, " lifetime %u\n", p->lifetime);
}

static void
show_key(const struct conf_isakmp_key *k, struct term *t)
{
	char a[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN];

	term_puts(t, "crypto isakmp key ");
	conf_pwenc_key_text(k, t);
	if (k->kind == CONF_ISAKMP_KEY_HOSTNAME) {
		term_printf(t, " hostname %s", k->host);
	} else {
		inet_ntop(AF_INET, &k->addr, a, sizeof(a));
		term_printf(t, " address %s", a);
		/* Print the mask unless the address alone reads back the same:
		 * A means A/32, and 0.0.0.0 means any peer. */
		if (k->mask != (k->addr == 0 ? 0 : 0xffffffffu)) {
			inet_ntop(AF_INET, &k->mask, m, sizeof(m));
			term_printf(t, " %s", m);
		}
	}
	if (k->no_xauth)
		term_puts(t, " no-xauth");
	term_puts(t, "\n");
}

void
conf_isakmp_show(const struct conf_isakmp *isk, struct term *t)
{
	static const char *const ids[] = {
		[CONF_ISAKMP_ID_DN] = "dn", [CONF_ISAKMP_ID_HOSTNAME] = "hostname",
	};
	const struct conf_isakmp_keepalive *ka = &isk->keepalive;
	bool any = false;

	for (const struct conf_isakmp_policy *p = isk->policies; p; p = p->next) {
		show_policy(p, t);
		any = true;
	}
	for (const struct conf_isakmp_key *k = isk->keys; k; k = k->next) {
		show_key(k, t);
		any = true;
	}
	if (ka->set) {
		term_printf(t, "crypto isakmp keepalive %u", ka->interval);
		if (ka->retry != CONF_ISAKMP_DEF_KA_RETRY)
			term_printf(t, " %u", ka->retry);
		term_puts(t, ka->periodic ? " periodic\n" : "\n");
		any = true;
	}
	if (isk->identity != CONF_ISAKMP_ID_ADDRESS) {
		term_printf(t, "crypto isakmp identity %s\n", ids[isk->identity]);
		any = true;
	}
	if (isk->legacy) {
		term_puts(t, "crypto isakmp legacy-algorithms\n");
		any = true;
	}
	if (isk->dh_reuse == 0) {
		term_puts(t, "no crypto isakmp dh-reuse\n");
		any = true;
	} else if (isk->dh_reuse != CONF_ISAKMP_DEF_DH_REUSE) {
		term_printf(t, "crypto isakmp dh-reuse %u\n", isk->dh_reuse);
		any = true;
	}
	if (any)
		term_puts(t, "!\n");
}
