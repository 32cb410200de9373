/*
 * ipsec: the data-plane backend interface (doc/design.md §3, doc/style.md
 * §9.5).  Engines hand plain data to a backend: group SAs (one TEK per
 * direction) and policies compiled from the KS's ACL and the GM's local
 * deny list.  No backend sees a config node or a GDOI object.
 *
 * Backends: "user" (ESP in userspace, ipsec/user.c), "xfrm" (the kernel,
 * ipsec/xfrm.c: detects what the kernel offers, cannot serve groups yet)
 * and "null" (records calls, for tests).
 */
#ifndef IPSEC_IPSEC_H
#define IPSEC_IPSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evloop;

enum ipsec_dir {
	IPSEC_DIR_IN = 1,
	IPSEC_DIR_OUT = 2,
};

enum ipsec_enc {
	IPSEC_ENC_NULL,
	IPSEC_ENC_AES_CBC,	/* RFC 3602 */
	IPSEC_ENC_AES_GCM_16,	/* RFC 4106, 16-octet ICV */
	IPSEC_ENC_AES_GMAC,	/* RFC 4543 */
	IPSEC_ENC_3DES_CBC,
	IPSEC_ENC_DES_CBC,
};

enum ipsec_auth {
	IPSEC_AUTH_NONE,
	IPSEC_AUTH_HMAC_MD5_96,
	IPSEC_AUTH_HMAC_SHA1_96,
	IPSEC_AUTH_HMAC_SHA256_128,
	IPSEC_AUTH_HMAC_SHA384_192,
	IPSEC_AUTH_HMAC_SHA512_256,
};

enum ipsec_replay {
	IPSEC_REPLAY_NONE,
	IPSEC_REPLAY_COUNTER,	/* sequence-number window */
	IPSEC_REPLAY_TIME,	/* pseudotime window (TBAR) */
};

#define IPSEC_KEY_MAX 64

/* One group SA in one direction (GET VPN shares it among all members). */
struct ipsec_sa {
	uint32_t spi;			/* network byte order */
	enum ipsec_dir dir;
	enum ipsec_enc enc;
	enum ipsec_auth auth;
	uint8_t enc_key[IPSEC_KEY_MAX];	/* key | salt for GCM/GMAC */
	size_t enc_key_len;
	uint8_t auth_key[IPSEC_KEY_MAX];
	size_t auth_key_len;
	uint32_t lifetime_s;		/* remaining seconds when installed */
	enum ipsec_replay replay;
	uint32_t replay_window;		/* packets (counter) or seconds (time) */
	uint64_t pseudotime_ms;		/* group pseudotime now (time replay) */
	uint32_t sid;			/* RFC 6054 sender ID (counter modes) */
	unsigned sid_bits;		/* 0: no sender ID */
	uint32_t group_id;		/* which group it belongs to */
};

/* A traffic selector pair and what to do with matching packets. */
enum ipsec_action {
	IPSEC_ACT_PROTECT,
	IPSEC_ACT_BYPASS,
	IPSEC_ACT_DROP,
};

struct ipsec_policy {
	uint32_t group_id;
	unsigned priority;		/* lower first */
	enum ipsec_action action;
	uint8_t proto;			/* 0 = any */
	uint32_t src, src_mask;		/* network order */
	uint32_t dst, dst_mask;
	uint16_t sport_lo, sport_hi;	/* host order; 0-65535 = any */
	uint16_t dport_lo, dport_hi;
	uint32_t spi;			/* outbound SA for PROTECT (network order) */
	/* PROTECT: matching traffic arriving in the clear is accepted too
	 * (doc/protocol.md §8.5: a receive-only SA, or a passive member);
	 * otherwise it must arrive encrypted */
	bool clear_in_ok;
};

struct ipsec_stats {
	uint64_t packets, bytes, drops;
};

struct ipsec_ctx;

struct ipsec_backend {
	const char *name;
	int (*init)(struct ipsec_ctx *ctx, struct evloop *loop, char *err,
		    size_t errlen);
	void (*fini)(struct ipsec_ctx *ctx);
	int (*sa_add)(struct ipsec_ctx *ctx, const struct ipsec_sa *sa);
	int (*sa_del)(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir);
	int (*sa_stats)(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir,
			struct ipsec_stats *st);
	int (*policy_add)(struct ipsec_ctx *ctx, const struct ipsec_policy *p);
	int (*policy_flush)(struct ipsec_ctx *ctx, uint32_t group_id);
	int (*flush)(struct ipsec_ctx *ctx);
};

struct ipsec_ctx {
	const struct ipsec_backend *be;
	void *priv;			/* the backend's state */
};

/* ipsec/backend.c: pick a backend by name ("null"); NULL if unknown. */
const struct ipsec_backend *ipsec_backend_find(const char *name);

/**
 * ipsec_backend_auto - the "auto" choice: the xfrm backend when its
 * kernel probe passes and it can serve GET VPN groups, otherwise the user
 * backend, with the one-line reason ("xfrm: this kernel has no ESP
 * support (CONFIG_INET_ESP)") in why (may be NULL) and in the log.  Today
 * it always ends on user.  Forks a short-lived probe child.
 */
const struct ipsec_backend *ipsec_backend_auto(char *why, size_t whylen);

/* Open ctx with backend be; -1 with err set on failure. */
int ipsec_open(struct ipsec_ctx *ctx, const struct ipsec_backend *be,
	       struct evloop *loop, char *err, size_t errlen);
void ipsec_close(struct ipsec_ctx *ctx);

/* Wipe key bytes of an SA copy. */
void ipsec_sa_wipe(struct ipsec_sa *sa);

#endif
