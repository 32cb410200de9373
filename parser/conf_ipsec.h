/*
 * conf_ipsec: the IPsec part of the running-config tree (doc/ios-cli.md §2.1,
 * §2.3): transform-sets, IPsec profiles and the global SA lifetime.
 *
 * A GET VPN key server builds its TEK policy from these: `sa ipsec N`
 * names a profile, the profile names transform-sets (forward references
 * allowed: the engine reports a missing one as "not ready") and gives the
 * TEK lifetime.  Plain data, read by the KS engine.
 */
#ifndef PARSER_CONF_IPSEC_H
#define PARSER_CONF_IPSEC_H

#include <stdbool.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct hmap;
struct term;

#define CONF_IPSEC_MAX_TSETS		6	/* `set transform-set` names */
#define CONF_IPSEC_DEF_LIFETIME		3600	/* seconds (IOS default) */

/* ESP encryption transforms. */
enum conf_ipsec_enc {
	CONF_IPSEC_ENC_NONE,		/* no ESP cipher transform */
	CONF_IPSEC_ENC_AES,		/* esp-aes [bits], CBC */
	CONF_IPSEC_ENC_GCM,		/* esp-gcm [bits], AEAD */
	CONF_IPSEC_ENC_GMAC,		/* esp-gmac [bits], auth only */
	CONF_IPSEC_ENC_3DES,
	CONF_IPSEC_ENC_DES,
	CONF_IPSEC_ENC_NULL,		/* esp-null */
	CONF_IPSEC_ENC_SEAL,
};

/* ESP and AH authentication transforms (HMAC). */
enum conf_ipsec_auth {
	CONF_IPSEC_AUTH_NONE,
	CONF_IPSEC_AUTH_MD5,
	CONF_IPSEC_AUTH_SHA1,
	CONF_IPSEC_AUTH_SHA256,
	CONF_IPSEC_AUTH_SHA384,
	CONF_IPSEC_AUTH_SHA512,
};

enum conf_ipsec_mode {
	CONF_IPSEC_MODE_TUNNEL,		/* the default */
	CONF_IPSEC_MODE_TRANSPORT,
	CONF_IPSEC_MODE_TRANSPORT_REQUIRE,
};

struct conf_ipsec_ts {
	struct conf_obj obj;		/* first: (cfg-crypto-trans)# holds it */
	char name[CONF_NAME_MAX];
	enum conf_ipsec_enc esp_enc;
	uint16_t esp_bits;		/* AES/GCM/GMAC key bits: 128/192/256 */
	enum conf_ipsec_auth esp_auth;
	enum conf_ipsec_auth ah_auth;
	enum conf_ipsec_mode mode;
	bool esn;			/* extended sequence numbers */
	struct conf_ipsec_ts *prev, *next;	/* creation order */
};

enum conf_ipsec_profile_has {
	CONF_IPSEC_PROF_HAS_SECONDS = 1 << 0,
	CONF_IPSEC_PROF_HAS_KB = 1 << 1,
	CONF_IPSEC_PROF_HAS_KB_DISABLE = 1 << 2,
	CONF_IPSEC_PROF_HAS_DAYS = 1 << 3,
	CONF_IPSEC_PROF_HAS_PFS = 1 << 4,
};

struct conf_ipsec_profile {
	struct conf_obj obj;		/* first: (ipsec-profile)# holds it */
	char name[CONF_NAME_MAX];
	unsigned has;			/* CONF_IPSEC_PROF_HAS_* */
	char *description;		/* NULL if none */
	char tsets[CONF_IPSEC_MAX_TSETS][CONF_NAME_MAX];	/* priority order */
	unsigned n_tsets;
	uint32_t life_seconds;		/* HAS_SECONDS */
	uint32_t life_kb;		/* HAS_KB */
	uint8_t life_days;		/* HAS_DAYS */
	uint8_t pfs_group;		/* HAS_PFS: 0 (no group typed) or 1..24 */
	struct conf_ipsec_profile *prev, *next;	/* creation order */
};

struct conf_ipsec {
	struct hmap *ts_by_name;
	struct conf_ipsec_ts *ts_head, *ts_tail;
	struct hmap *prof_by_name;
	struct conf_ipsec_profile *prof_head, *prof_tail;
	uint32_t sa_lifetime;		/* global seconds; 0 = not configured */
};

struct conf_ipsec *conf_ipsec_new(void);
void conf_ipsec_free(struct conf_ipsec *ipsec);
/*
 * `show running-config` part: the global SA lifetime, each transform-set
 * (always with ` mode ...`), each profile; every block ends with `!`.
 */
void conf_ipsec_show(const struct conf_ipsec *ipsec, struct term *t);

/* O(1) finds by name; NULL if absent.  Lists: ts_head / prof_head. */
const struct conf_ipsec_ts *conf_ipsec_ts_find(const struct conf_ipsec *ipsec,
					       const char *name);
const struct conf_ipsec_profile *
conf_ipsec_profile_find(const struct conf_ipsec *ipsec, const char *name);

/* The TEK lifetime a profile gives: its own seconds, else the global
 * `crypto ipsec security-association lifetime`, else 3600. */
uint32_t conf_ipsec_profile_lifetime(const struct conf_ipsec *ipsec,
				     const struct conf_ipsec_profile *p);

/* IOS word of a transform ("esp-aes", "esp-sha256-hmac", "ah-md5-hmac"). */
const char *conf_ipsec_enc_name(enum conf_ipsec_enc e);
const char *conf_ipsec_auth_name(enum conf_ipsec_auth a, bool ah);

/*
 * Tree edits for cmd_ipsec.c (handlers validate first).
 */
struct conf_ipsec_ts *conf_ipsec_ts_lookup(struct conf_ipsec *ipsec,
					   const char *name);
struct conf_ipsec_ts *conf_ipsec_ts_add(struct conf_ipsec *ipsec,
					const char *name);
void conf_ipsec_ts_del(struct conf_ipsec *ipsec, struct conf_ipsec_ts *ts);
struct conf_ipsec_profile *conf_ipsec_profile_lookup(struct conf_ipsec *ipsec,
						     const char *name);
struct conf_ipsec_profile *conf_ipsec_profile_add(struct conf_ipsec *ipsec,
						  const char *name);
void conf_ipsec_profile_del(struct conf_ipsec *ipsec,
			    struct conf_ipsec_profile *p);

extern const struct cmd_def conf_ipsec_cmds[];

#endif
