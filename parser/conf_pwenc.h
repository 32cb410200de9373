/*
 * conf_pwenc: type 6 secrets in the running-config (doc/cli.md "Type 6
 * secrets"): the master key (`key config-key password-encrypt KEY`, never
 * shown, kept by the front end outside the running-config), `password
 * encryption aes`, and the form of each pre-shared key.
 *
 * A key is held in clear for IKE; its type 6 text (what `show
 * running-config` prints after `6`) is made once, when the key is entered
 * or the master key changes, so the text stays the same between shows.
 * A pasted type 6 key that cannot be decrypted (no or another master key)
 * is kept as it is, marked locked: never used, printed back unchanged, and
 * unlocked when the right master key is configured.
 *
 * The parser holds no cryptography: the front end installs the codec
 * (roles/type6.c) and the store of the master key as conf_type6_ops.
 */
#ifndef PARSER_CONF_PWENC_H
#define PARSER_CONF_PWENC_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/cmd.h"

struct conf;
struct conf_isakmp_key;
struct term;

#define CONF_MASTER_KEY_MIN 8
#define CONF_MASTER_KEY_MAX 129		/* 128 characters and the NUL */
#define CONF_TYPE6_MAX 216		/* = TYPE6_TEXT_MAX */

/* Results of the codec: the values of enum type6_err. */
enum conf_t6 {
	CONF_T6_OK = 0,
	CONF_T6_MALFORMED = -1,
	CONF_T6_BAD_MAC = -2,
	CONF_T6_BAD_CLEAR = -3,
};

struct conf_type6_ops {
	int (*encrypt)(const char *master, const char *clear, char *out,
		       size_t outlen);
	int (*decrypt)(const char *master, const char *text, char *clear,
		       size_t clearlen);
	/* Keep the master key and the one before it (either may be "")
	 * where the running-config is not; 0, or -1 with errno set. */
	int (*save)(void *arg, const char *master, const char *previous);
	void *arg;
};

struct conf_pwenc {
	bool aes;				/* password encryption aes */
	char master[CONF_MASTER_KEY_MAX];	/* "" = none; wiped */
	/* the master key before the last change: the startup-config still
	 * holds keys made under it until the next write memory */
	char previous[CONF_MASTER_KEY_MAX];
	const struct conf_type6_ops *ops;	/* NULL: no type 6 at all */
};

struct conf_pwenc *conf_pwenc_new(void);
void conf_pwenc_free(struct conf_pwenc *pw);

/* Install the codec and store, and the master keys read at start (before
 * the startup-config is replayed). */
void conf_pwenc_setup(struct conf *c, const struct conf_type6_ops *ops,
		      const char *master, const char *previous);

/* `password encryption aes` line of show running-config, if set. */
void conf_pwenc_show(const struct conf *c, struct term *t);
/* The key as show running-config prints it: "6 TEXT" or the clear key. */
void conf_pwenc_key_text(const struct conf_isakmp_key *k, struct term *t);

/*
 * Fill k's secret from a typed `[0|6] KEY` (enc 0 or 6).  0: store k.
 * 1, k->locked set: an error was printed; store k all the same (it is
 * never used) and refuse the line.  -1: refused, error printed, store
 * nothing.
 */
int conf_pwenc_take(struct cmd_ctx *ctx, unsigned enc, const char *text,
		    struct conf_isakmp_key *k);

extern const struct cmd_def conf_pwenc_cmds[];

#endif
