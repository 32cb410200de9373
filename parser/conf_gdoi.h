/*
 * conf_gdoi: the `crypto gdoi group` / `crypto gkm group` part of the
 * running-config tree (doc/ios-cli.md §2.6-§2.9): groups, the key-server part
 * (`server local`), its `sa ipsec` policies and `redundancy` (COOP).
 *
 * The nodes are plain data read by the KS, GM and COOP engines.  Every
 * field holds the value in effect (the IOS default until something is
 * typed), and the has-bits say what was configured explicitly: NVGEN
 * prints exactly the has-bit lines, so `rekey lifetime seconds 86400`
 * typed by the user is printed back while an untouched default is not.
 * Addresses are IPv4 in network byte order.
 *
 * A group is a key server group when it has `server local` (server !=
 * NULL) and a group member group when it has `server address ipv4`
 * (n_servers > 0); the commands refuse the second role on one group.
 */
#ifndef PARSER_CONF_GDOI_H
#define PARSER_CONF_GDOI_H

#include <stdbool.h>
#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct hmap;
struct term;

#define CONF_GDOI_MAX_SERVERS	16	/* `server address ipv4` per group */
#define CONF_GDOI_MAX_PEERS	16	/* `peer address ipv4` per redundancy */
#define CONF_GDOI_MAX_TSETS	6	/* `client transform-sets` names */
#define CONF_GDOI_MAX_CIPHERS	5	/* `client rekey encryption` list */
#define CONF_GDOI_MAX_HASHES	4	/* `client rekey hash` list */

/* IOS defaults (doc/ios-cli.md §2.7-§2.9, §9 item 3). */
#define CONF_GDOI_DEF_REKEY_LIFETIME	86400	/* seconds */
#define CONF_GDOI_DEF_RETRANSMIT_PERIOD	10	/* seconds */
#define CONF_GDOI_DEF_RETRANSMIT_NUMBER	2
#define CONF_GDOI_DEF_REPLAY_COUNTER	64	/* packets */
#define CONF_GDOI_DEF_REPLAY_TIME	100	/* seconds, `replay time` alone */
#define CONF_GDOI_DEF_COOP_PRIORITY	1

/* Which global keyword created the group: printed back as typed. */
enum conf_gdoi_keyword {
	CONF_GDOI_KW_GDOI,		/* crypto gdoi group (the default) */
	CONF_GDOI_KW_GKM,		/* crypto gkm group (IOS-XE alias) */
};

/* KEK ciphers: `rekey algorithm` and `client rekey encryption`. */
enum conf_gdoi_cipher {
	CONF_GDOI_CIPHER_3DES,		/* 3des-cbc, the default */
	CONF_GDOI_CIPHER_DES,		/* des-cbc */
	CONF_GDOI_CIPHER_AES128,	/* aes 128 */
	CONF_GDOI_CIPHER_AES192,	/* aes 192 */
	CONF_GDOI_CIPHER_AES256,	/* aes 256 */
};

/* Rekey signature hash: `rekey sig-hash algorithm`, `client rekey hash`. */
enum conf_gdoi_hash {
	CONF_GDOI_HASH_SHA,		/* the default */
	CONF_GDOI_HASH_SHA256,
	CONF_GDOI_HASH_SHA384,
	CONF_GDOI_HASH_SHA512,
};

enum conf_gdoi_ack {
	CONF_GDOI_ACK_CISCO,		/* the default */
	CONF_GDOI_ACK_INTEROPERABLE,
	CONF_GDOI_ACK_ANY,
};

enum conf_gdoi_replay {
	CONF_GDOI_REPLAY_COUNTER,	/* sequence numbers, the default */
	CONF_GDOI_REPLAY_TIME,		/* time-based anti-replay (TBAR) */
	CONF_GDOI_REPLAY_NONE,		/* `no replay` */
};

enum conf_gdoi_protocol {
	CONF_GDOI_PROTO_GDOI,		/* the default */
	CONF_GDOI_PROTO_GIKEV2,		/* accepted and kept, not implemented */
};

enum conf_gdoi_coop_version {
	CONF_GDOI_COOP_BASE,		/* the default */
	CONF_GDOI_COOP_OPTIMIZE,
};

/* `sa ipsec N` under `server local`. */
enum conf_gdoi_sa_has {
	CONF_GDOI_SA_HAS_PROFILE = 1 << 0,
	CONF_GDOI_SA_HAS_MATCH = 1 << 1,
	CONF_GDOI_SA_HAS_MATCH6 = 1 << 2,
	CONF_GDOI_SA_HAS_REPLAY = 1 << 3,	/* replay lines typed (or `no replay`) */
	CONF_GDOI_SA_HAS_TAG_SGT = 1 << 4,	/* tag cts sgt */
};

struct conf_gdoi_sa {
	struct conf_obj obj;		/* first: (gkm-sa-ipsec)# holds it */
	uint16_t number;		/* 1-65535, the list order */
	unsigned has;			/* CONF_GDOI_SA_HAS_* */
	char profile[CONF_NAME_MAX];	/* ipsec profile (may not exist yet) */
	char match_acl[CONF_NAME_MAX];	/* extended ACL name or number */
	char match_acl6[CONF_NAME_MAX];	/* match address ipv6 */
	enum conf_gdoi_replay replay;
	uint32_t replay_window;		/* packets (counter) or seconds (time) */
	struct conf_gdoi_sa *prev, *next;	/* sorted by number */
};

/* `redundancy` under `server local`. */
enum conf_gdoi_coop_has {
	CONF_GDOI_COOP_HAS_PRIORITY = 1 << 0,
	CONF_GDOI_COOP_HAS_VERSION = 1 << 1,
	CONF_GDOI_COOP_HAS_PDU = 1 << 2,
};

struct conf_gdoi_coop {
	struct conf_obj obj;		/* first: (gdoi-coop-ks-config)# holds it */
	unsigned has;			/* CONF_GDOI_COOP_HAS_* */
	uint8_t priority;		/* local priority 1-255 */
	uint32_t peers[CONF_GDOI_MAX_PEERS];	/* in configured order */
	unsigned n_peers;
	enum conf_gdoi_coop_version version;
	uint16_t pdu;			/* protocol pdu, 0 = not set */
};

/* `server local`: the key-server part of a group. */
enum conf_gdoi_ks_has {
	CONF_GDOI_KS_HAS_ADDRESS = 1 << 0,
	CONF_GDOI_KS_HAS_REKEY_ALG = 1 << 1,
	CONF_GDOI_KS_HAS_REKEY_ACL = 1 << 2,
	CONF_GDOI_KS_HAS_LIFETIME = 1 << 3,
	CONF_GDOI_KS_HAS_RETRANSMIT = 1 << 4,
	CONF_GDOI_KS_HAS_REKEY_RSA = 1 << 5,
	CONF_GDOI_KS_HAS_UNICAST = 1 << 6,	/* rekey transport unicast */
	CONF_GDOI_KS_HAS_ACK = 1 << 7,
	CONF_GDOI_KS_HAS_SIG_HASH = 1 << 8,
	CONF_GDOI_KS_HAS_AUTH_ACL = 1 << 9,
	CONF_GDOI_KS_HAS_AUTH_ID = 1 << 10,
	CONF_GDOI_KS_HAS_RECEIVE_ONLY = 1 << 11,	/* sa receive-only */
	CONF_GDOI_KS_HAS_REG_IF = 1 << 12,
	CONF_GDOI_KS_HAS_GIKEV2 = 1 << 13,
	CONF_GDOI_KS_HAS_PFS = 1 << 14,
	/* sa tek id-length 1: SATs with the RFC's 1-octet ID Data Len */
	CONF_GDOI_KS_HAS_SAT_IDLEN_RFC = 1 << 15,
};

struct conf_gdoi_server {
	struct conf_obj obj;		/* first: (gkm-local-server)# holds it */
	unsigned has;			/* CONF_GDOI_KS_HAS_* */
	uint32_t address;		/* address ipv4 (source of rekeys) */
	enum conf_gdoi_cipher rekey_alg;
	char rekey_acl[CONF_NAME_MAX];	/* rekey address ipv4 (multicast) */
	uint32_t rekey_lifetime;	/* seconds */
	bool rekey_lifetime_days;	/* typed as `days N`: print it so */
	uint8_t retransmit_period;	/* seconds */
	uint8_t retransmit_number;	/* attempts (when not periodic) */
	bool retransmit_periodic;
	char rekey_rsa[CONF_NAME_MAX];	/* rekey authentication mypubkey rsa */
	enum conf_gdoi_ack ack;
	enum conf_gdoi_hash sig_hash;
	char auth_acl[CONF_NAME_MAX];	/* authorization address ipv4 */
	char auth_identity[CONF_NAME_MAX];	/* authorization identity */
	char reg_if[CONF_NAME_MAX];	/* registration interface */
	char gikev2_profile[CONF_NAME_MAX];
	struct hmap *sa_by_num;		/* "10" -> struct conf_gdoi_sa */
	struct conf_gdoi_sa *sa_head, *sa_tail;	/* sorted by number */
	struct conf_gdoi_coop *coop;	/* redundancy, or NULL */
};

/* The group itself. */
enum conf_gdoi_group_has {
	CONF_GDOI_GRP_HAS_ID_NUMBER = 1 << 0,
	CONF_GDOI_GRP_HAS_ID_ADDRESS = 1 << 1,
	CONF_GDOI_GRP_HAS_CLIENT_REG_IF = 1 << 2,
	CONF_GDOI_GRP_HAS_CLIENT_CIPHERS = 1 << 3,
	CONF_GDOI_GRP_HAS_CLIENT_HASHES = 1 << 4,
	CONF_GDOI_GRP_HAS_CLIENT_TSETS = 1 << 5,
	CONF_GDOI_GRP_HAS_BYPASS = 1 << 6,	/* client bypass-policy */
	CONF_GDOI_GRP_HAS_FC_REVERT = 1 << 7,	/* client fail-close revert */
	CONF_GDOI_GRP_HAS_CLIENT_PROTO = 1 << 8,
	CONF_GDOI_GRP_HAS_PASSIVE = 1 << 9,
};

struct conf_gdoi_group {
	struct conf_obj obj;		/* first: (config-gkm-group)# holds it */
	char name[CONF_NAME_MAX];	/* case-sensitive */
	enum conf_gdoi_keyword keyword;
	bool ipv6;			/* crypto gdoi group ipv6 NAME */
	unsigned has;			/* CONF_GDOI_GRP_HAS_* */
	uint32_t identity_number;
	uint32_t identity_address;
	/* GM side */
	uint32_t servers[CONF_GDOI_MAX_SERVERS];	/* preference order */
	unsigned n_servers;
	char client_reg_if[CONF_NAME_MAX];
	enum conf_gdoi_cipher client_ciphers[CONF_GDOI_MAX_CIPHERS];
	unsigned n_client_ciphers;
	enum conf_gdoi_hash client_hashes[CONF_GDOI_MAX_HASHES];
	unsigned n_client_hashes;
	char client_tsets[CONF_GDOI_MAX_TSETS][CONF_NAME_MAX];
	unsigned n_client_tsets;
	enum conf_gdoi_protocol client_proto;
	char client_gikev2_profile[CONF_NAME_MAX];
	/* KS side */
	struct conf_gdoi_server *server;	/* server local, or NULL */
	struct conf_gdoi_group *prev, *next;	/* creation order */
};

/* The area: every group, by name and in creation order. */
struct conf_gdoi {
	struct hmap *by_name;
	struct conf_gdoi_group *head, *tail;
	unsigned count;
};

struct conf_gdoi *conf_gdoi_new(void);
void conf_gdoi_free(struct conf_gdoi *gdoi);

/* The groups' part of `show running-config`; each group ends with `!`. */
void conf_gdoi_show(const struct conf_gdoi *gdoi, struct term *t);

/* Find a group by its (case-sensitive) name in O(1); NULL if absent. */
const struct conf_gdoi_group *conf_gdoi_group_find(const struct conf_gdoi *gdoi,
						   const char *name);
/* Groups in creation order: first, then next until NULL. */
const struct conf_gdoi_group *conf_gdoi_group_first(const struct conf_gdoi *gdoi);
const struct conf_gdoi_group *conf_gdoi_group_next(const struct conf_gdoi_group *g);

/* `sa ipsec N` of a key server, O(1); NULL if absent. */
const struct conf_gdoi_sa *conf_gdoi_sa_find(const struct conf_gdoi_server *s,
					     uint16_t number);

/* Role helpers for the engines. */
static inline bool
conf_gdoi_group_is_ks(const struct conf_gdoi_group *g)
{
	return g->server != NULL;
}

static inline bool
conf_gdoi_group_is_gm(const struct conf_gdoi_group *g)
{
	return g->n_servers > 0;
}

/* IOS spelling of a cipher ("3des-cbc", "aes 256" ...) and hash. */
const char *conf_gdoi_cipher_name(enum conf_gdoi_cipher c);
const char *conf_gdoi_hash_name(enum conf_gdoi_hash h);

/*
 * Tree edits for the command handlers (cmd_gdoi*.c).  They do not check
 * arguments; the handlers validate first so that a refused line leaves
 * the tree untouched.
 */
/* Create a group (appended to the creation order); NULL on allocation
 * failure. */
struct conf_gdoi_group *conf_gdoi_group_add(struct conf_gdoi *gdoi,
					    const char *name);
struct conf_gdoi_group *conf_gdoi_group_lookup(struct conf_gdoi *gdoi,
					       const char *name);
/* Unlink a group and kill it with all its sub-mode nodes. */
void conf_gdoi_group_del(struct conf_gdoi *gdoi, struct conf_gdoi_group *g);

/* Create the server part of g (server local); NULL on allocation failure. */
struct conf_gdoi_server *conf_gdoi_server_add(struct conf_gdoi_group *g);
void conf_gdoi_server_del(struct conf_gdoi_group *g);

struct conf_gdoi_sa *conf_gdoi_sa_lookup(struct conf_gdoi_server *s,
					 uint16_t number);
/* Insert `sa ipsec number` in order; NULL on allocation failure. */
struct conf_gdoi_sa *conf_gdoi_sa_add(struct conf_gdoi_server *s,
				      uint16_t number);
void conf_gdoi_sa_del(struct conf_gdoi_server *s, struct conf_gdoi_sa *sa);
/* Reset an SA's replay settings to the IOS default (counter, 64). */
void conf_gdoi_sa_replay_default(struct conf_gdoi_sa *sa);

struct conf_gdoi_coop *conf_gdoi_coop_add(struct conf_gdoi_server *s);
void conf_gdoi_coop_del(struct conf_gdoi_server *s);

/* Parse an IOS cipher ("3des-cbc", "des-cbc", "aes" + bits "128"..., or
 * the old "aes-128" ...) or hash name; 0 or -1. */
int conf_gdoi_cipher_parse(const char *word, const char *bits,
			   enum conf_gdoi_cipher *out);
int conf_gdoi_hash_parse(const char *word, enum conf_gdoi_hash *out);

/*
 * For the handlers: the node of each GDOI mode on the session's stack,
 * NULL if it is not there or was deleted by another session; then
 * conf_gdoi_gone() prints the error and returns CMD_WARNING.
 */
struct conf_gdoi_group *conf_gdoi_ctx_group(struct cmd_ctx *ctx);
struct conf_gdoi_server *conf_gdoi_ctx_server(struct cmd_ctx *ctx);
struct conf_gdoi_sa *conf_gdoi_ctx_sa(struct cmd_ctx *ctx);
struct conf_gdoi_coop *conf_gdoi_ctx_coop(struct cmd_ctx *ctx);
int conf_gdoi_gone(struct cmd_ctx *ctx);
/* The common end of a handler: set bit in *has (clear it for no/default),
 * conf_touch(), CMD_OK. */
int conf_gdoi_mark(struct cmd_ctx *ctx, unsigned *has, unsigned bit);
/* Record a change to the group of the current mode. */
void conf_gdoi_touch(struct cmd_ctx *ctx);
/* An ACL reference: a name, or a number in [lo1,hi1] or [lo2,hi2];
 * prints the error and returns -1 if bad. */
int conf_gdoi_check_acl(struct cmd_ctx *ctx, const char *acl, unsigned lo1,
			unsigned hi1, unsigned lo2, unsigned hi2);

/* Command tables (one per file; both are listed by conf.c). */
extern const struct cmd_def conf_gdoi_cmds[];		/* cmd_gdoi.c */
extern const struct cmd_def conf_gdoi_ks_cmds[];	/* cmd_gdoi_ks.c */

#endif
