/*
 * policy: a GDOI group policy as plain data: what a key server sends in
 * GROUPKEY-PULL messages 2 and 4 (and later in GROUPKEY-PUSH), and what a
 * group member installs.  pull.c turns it into SA/SAK/GAP/SAT/SEQ/KD
 * payloads and back; roles/ build it from the running-config (KS) or keep
 * it (GM).  Key bytes live inline and are wiped by gdoi_policy_wipe().
 *
 * One TEK (struct gdoi_tek) is one SAT: one selector pair with the SPI,
 * transform and keys of its `sa ipsec`.  An ACL becomes one SAT per entry,
 * in ACL order, all sharing the SPI of that `sa ipsec`; a deny entry is
 * marked with the private SAT attribute GDOI_ATTR_ACE_ACTION (doc/gdoi.md).
 */
#ifndef GDOI_POLICY_H
#define GDOI_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/gdoi_sa.h"

#define GDOI_MAX_TEK GDOI_SA_MAX_SAT	/* SATs in one SA payload */
#define GDOI_MAX_SID 8		/* sender IDs granted to one member */
#define GDOI_KEY_MAX 64
#define GDOI_KEK_SPI_LEN 16
#define GDOI_PUBKEY_MAX 1024	/* DER SubjectPublicKeyInfo of up to RSA-4096 */

/* ESP transform IDs of the IKEv1 IPsec DOI registry (doc/protocol.md §4.8) */
enum gdoi_esp_transform {
	GDOI_ESP_3DES = 3,
	GDOI_ESP_NULL = 11,
	GDOI_ESP_AES_CBC = 12,
	GDOI_ESP_AES_GCM_16 = 20,
	GDOI_ESP_AES_GMAC = 23,
};

/* RFC 2407 Authentication Algorithm values */
enum gdoi_auth_alg {
	GDOI_AUTH_NONE = 0,
	GDOI_AUTH_HMAC_MD5 = 1,
	GDOI_AUTH_HMAC_SHA1 = 2,
	GDOI_AUTH_HMAC_SHA256 = 5,
	GDOI_AUTH_HMAC_SHA384 = 6,
	GDOI_AUTH_HMAC_SHA512 = 7,
};

/* RFC 6407 §5.4.2 SA Direction */
enum gdoi_sa_direction {
	GDOI_DIR_SENDER_ONLY = 1,
	GDOI_DIR_RECEIVER_ONLY = 2,
	GDOI_DIR_SYMMETRIC = 3,
};

enum gdoi_replay {
	GDOI_REPLAY_NONE,
	GDOI_REPLAY_COUNTER,
	GDOI_REPLAY_TIME,
};

struct gdoi_kek {
	uint8_t spi[GDOI_KEK_SPI_LEN];	/* CKY-I | CKY-R of every PUSH */
	uint8_t alg;			/* GDOI_KEK_ALG_* (gdoi/gdoi_sa.h) */
	unsigned key_bits;
	uint32_t lifetime_s;		/* remaining at send time */
	uint8_t sig_hash;		/* GDOI_SIG_HASH_* (gdoi/gdoi_sa.h) */
	unsigned sig_alg;		/* 1 = RSA */
	unsigned sig_key_bits;
	uint8_t ack;			/* KEK_ACK_REQUESTED (RFC 8263), 0 = none */
	uint32_t src, dst;		/* rekey source / destination (network order) */
	uint16_t src_port, dst_port;
	uint8_t key[GDOI_KEY_MAX];	/* KEK_ALGORITHM_KEY after the IV */
	size_t key_len;
	uint8_t iv[16];			/* prepended to the key in the KD */
	size_t iv_len;
	uint8_t pubkey[GDOI_PUBKEY_MAX]; /* SIG_ALGORITHM_KEY, DER SPKI */
	size_t pubkey_len;
};

struct gdoi_tek {
	uint32_t spi;			/* network order */
	enum gdoi_esp_transform transform;
	unsigned key_bits;
	enum gdoi_auth_alg auth;
	uint32_t lifetime_s;		/* remaining at send time */
	enum gdoi_sa_direction direction;
	/* selectors (network order addresses, host order ports) */
	uint8_t proto;			/* 0 = any */
	uint32_t src, src_mask, dst, dst_mask;
	uint16_t sport, dport;		/* 0 = any */
	bool deny;			/* ACL deny entry: leave in the clear */
	/* anti-replay (doc/protocol.md §8.3, private SAT attributes) */
	enum gdoi_replay replay;
	uint32_t replay_window;		/* packets, or milliseconds for TIME */
	uint64_t pseudotime_ms;		/* KS pseudotime when sent (TIME) */
	/* keys (KD TEK packet) */
	uint8_t enc_key[GDOI_KEY_MAX];	/* key | 4-octet salt for GCM/GMAC */
	size_t enc_key_len;
	uint8_t auth_key[GDOI_KEY_MAX];
	size_t auth_key_len;
};

struct gdoi_policy {
	uint32_t group_id;		/* identity number */
	/*
	 * Generation of the keys and SPIs: whoever changes them takes a new
	 * gdoi_policy_epoch_next(); 0 = not cached.  Message 4's key packets
	 * are encoded once per (group, epoch) (policy_codec_keys_put).
	 */
	uint64_t epoch;
	bool has_kek;
	struct gdoi_kek kek;
	bool has_gap;
	uint32_t atd_s, dtd_s;		/* activation / deactivation delays */
	struct gdoi_tek tek[GDOI_MAX_TEK];
	size_t ntek;
	uint32_t seq;			/* rekey sequence number (SEQ) */
	unsigned sid_bits;		/* 0: no counter-mode TEK */
	uint8_t sat_id_len;		/* GDOI_SAT_IDLEN_*: SAT layout, 0 = default */
	uint32_t sid[GDOI_MAX_SID];
	size_t nsid;
};

/** gdoi_policy_epoch_next - a process-wide new policy generation (> 0). */
uint64_t gdoi_policy_epoch_next(void);
/* Zero every key byte of p (call before freeing or reusing it). */
void gdoi_policy_wipe(struct gdoi_policy *p);
/* The IOS display name of a TEK's transform ("esp-256-aes esp-sha256-hmac",
 * "esp-gcm 256"), as show commands print it. */
const char *gdoi_tek_transform_name(const struct gdoi_tek *t, char *buf,
				    size_t len);
/* True for transforms whose IVs must be partitioned by sender ID. */
bool gdoi_tek_is_counter_mode(const struct gdoi_tek *t);

#endif
