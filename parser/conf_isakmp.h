/*
 * conf_isakmp: the IKEv1 (ISAKMP) part of the running-config tree
 * (doc/ios-cli.md §2.1, §2.2): `crypto isakmp policy N` protection suites,
 * pre-shared keys per peer address or host name, keepalive, identity.
 *
 * The nodes are plain data read by the phase-1 code of the KS, GM and
 * COOP engines.  Each policy field holds the value in effect (the IOS
 * default until one is typed); NVGEN hides values equal to the default,
 * as IOS does, and the has-bits record what was typed.
 */
#ifndef PARSER_CONF_ISAKMP_H
#define PARSER_CONF_ISAKMP_H

#include <stdbool.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"
#include "parser/conf_pwenc.h"

struct hmap;
struct term;

#define CONF_ISAKMP_PRIO_MAX		10000
#define CONF_ISAKMP_KEY_MAX		128	/* pre-shared key text */
#define CONF_ISAKMP_HOST_MAX		256	/* `hostname` peers (FQDN) */

/* IOS defaults of a policy (doc/ios-cli.md §2.2, §9 item 3). */
#define CONF_ISAKMP_DEF_LIFETIME	86400	/* seconds */
#define CONF_ISAKMP_DEF_GROUP		1
#define CONF_ISAKMP_DEF_KA_RETRY	2	/* keepalive retry seconds */
/* crypto isakmp dh-reuse: seconds a responder key pair may serve new
 * exchanges (doc/protocol.md §3.3 "Responder key pair reuse"). */
#define CONF_ISAKMP_DEF_DH_REUSE	1

enum conf_isakmp_encr {
	CONF_ISAKMP_ENCR_DES,		/* the default */
	CONF_ISAKMP_ENCR_3DES,
	CONF_ISAKMP_ENCR_AES,		/* key length in encr_bits */
};

enum conf_isakmp_hash {
	CONF_ISAKMP_HASH_SHA,		/* SHA-1, the default */
	CONF_ISAKMP_HASH_MD5,
	CONF_ISAKMP_HASH_SHA256,
	CONF_ISAKMP_HASH_SHA384,
	CONF_ISAKMP_HASH_SHA512,
};

enum conf_isakmp_auth {
	CONF_ISAKMP_AUTH_RSA_SIG,	/* the default */
	CONF_ISAKMP_AUTH_PRE_SHARE,
	CONF_ISAKMP_AUTH_RSA_ENCR,
};

enum conf_isakmp_has {
	CONF_ISAKMP_HAS_ENCR = 1 << 0,
	CONF_ISAKMP_HAS_HASH = 1 << 1,
	CONF_ISAKMP_HAS_AUTH = 1 << 2,
	CONF_ISAKMP_HAS_GROUP = 1 << 3,
	CONF_ISAKMP_HAS_LIFETIME = 1 << 4,
};

struct conf_isakmp_policy {
	struct conf_obj obj;		/* first: (config-isakmp)# holds it */
	uint16_t prio;			/* 1-10000, lower is preferred */
	unsigned has;			/* CONF_ISAKMP_HAS_* */
	enum conf_isakmp_encr encr;
	uint16_t encr_bits;		/* AES: 128, 192 or 256; else 0 */
	enum conf_isakmp_hash hash;
	enum conf_isakmp_auth auth;
	uint8_t group;			/* Diffie-Hellman group number */
	uint32_t lifetime;		/* seconds */
	struct conf_isakmp_policy *prev, *next;	/* sorted by prio */
};

enum conf_isakmp_key_kind {
	CONF_ISAKMP_KEY_ADDRESS,
	CONF_ISAKMP_KEY_HOSTNAME,
};

struct conf_isakmp_key {
	enum conf_isakmp_key_kind kind;
	uint32_t addr, mask;		/* network order; mask 0 = any peer */
	bool mask_typed;		/* the line carried a mask */
	bool no_xauth;
	/* locked: a type 6 key no configured master key decrypts; never
	 * used, its text kept for show running-config (conf_pwenc.h) */
	bool locked;
	char host[CONF_ISAKMP_HOST_MAX];	/* CONF_ISAKMP_KEY_HOSTNAME */
	char secret[CONF_ISAKMP_KEY_MAX];	/* wiped when freed */
	char enc6[CONF_TYPE6_MAX];	/* type 6 text; "" = shown in clear */
	struct conf_isakmp_key *prev, *next;	/* creation order */
};

enum conf_isakmp_identity {
	CONF_ISAKMP_ID_ADDRESS,		/* the default */
	CONF_ISAKMP_ID_DN,
	CONF_ISAKMP_ID_HOSTNAME,
};

struct conf_isakmp_keepalive {
	bool set;
	uint16_t interval;		/* 10-3600 seconds */
	uint8_t retry;			/* 2-60 seconds */
	bool periodic;			/* else on-demand (the default) */
};

struct conf_isakmp {
	struct hmap *policy_by_prio;	/* "10" -> policy */
	struct conf_isakmp_policy *policies, *policies_tail;
	struct hmap *key_by_peer;	/* peer_key() text -> key */
	struct conf_isakmp_key *keys, *keys_tail;
	uint32_t key_masks[33];		/* keys per prefix length, for lookup */
	struct conf_isakmp_keepalive keepalive;
	enum conf_isakmp_identity identity;
	bool legacy;			/* crypto isakmp legacy-algorithms */
	uint16_t dh_reuse;		/* seconds, 0: a pair per exchange */
};

struct conf_isakmp *conf_isakmp_new(void);
void conf_isakmp_free(struct conf_isakmp *isk);
/*
 * `show running-config` part: policies by priority, then the keys, then
 * keepalive and identity; one `!` after the whole run (doc/ios-cli.md §7.4).
 */
void conf_isakmp_show(const struct conf_isakmp *isk, struct term *t);

/* Policies in priority order: first, then ->next.  find is O(1). */
const struct conf_isakmp_policy *
conf_isakmp_policy_first(const struct conf_isakmp *isk);
const struct conf_isakmp_policy *
conf_isakmp_policy_find(const struct conf_isakmp *isk, uint16_t prio);

/*
 * The pre-shared key for a peer address (network order): the key whose
 * address/mask covers it with the longest mask; `address 0.0.0.0
 * [0.0.0.0]` is the wildcard.  NULL when no key covers it.
 */
const struct conf_isakmp_key *
conf_isakmp_key_for_peer(const struct conf_isakmp *isk, uint32_t addr);
/* The key of a `hostname` peer, or NULL. */
const struct conf_isakmp_key *
conf_isakmp_key_for_host(const struct conf_isakmp *isk, const char *host);

/* IOS words: "aes 256", "sha256", "pre-share" ... */
const char *conf_isakmp_hash_name(enum conf_isakmp_hash h);
const char *conf_isakmp_auth_name(enum conf_isakmp_auth a);

/*
 * Tree edits for cmd_isakmp.c (no argument checks: handlers validate
 * first).
 */
struct conf_isakmp_policy *conf_isakmp_policy_lookup(struct conf_isakmp *isk,
						     uint16_t prio);
struct conf_isakmp_policy *conf_isakmp_policy_add(struct conf_isakmp *isk,
						  uint16_t prio);
void conf_isakmp_policy_del(struct conf_isakmp *isk,
			    struct conf_isakmp_policy *p);
void conf_isakmp_policy_defaults(struct conf_isakmp_policy *p);
/* The key slot for an address/mask or host, or NULL. */
struct conf_isakmp_key *conf_isakmp_key_lookup(struct conf_isakmp *isk,
					       const struct conf_isakmp_key *k);
/* Store a copy of k (replacing an existing key of the same peer in
 * place); -1 on allocation failure with the tree unchanged. */
int conf_isakmp_key_set(struct conf_isakmp *isk, const struct conf_isakmp_key *k);
void conf_isakmp_key_del(struct conf_isakmp *isk, struct conf_isakmp_key *k);

/*
 * The handler of `crypto isakmp key` on the key list of isk (the global
 * one, or a keyring's): arguments key, enc, addr, mask, host, no-xauth.
 */
int conf_isakmp_key_cmd(struct cmd_ctx *ctx, struct conf_isakmp *isk,
			const struct cmd_args *a);

extern const struct cmd_def conf_isakmp_cmds[];

#endif
