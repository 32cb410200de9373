/*
 * conf_pwenc: the master key, `password encryption aes` and the type 6
 * form of pre-shared keys (see parser/conf_pwenc.h).
 *
 *   key config-key password-encrypt KEY
 *   no key config-key password-encrypt
 *   [no] password encryption aes
 */
#include "parser/conf_pwenc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_isakmp.h"
#include "parser/conf_keyring.h"
#include "platform/secmem.h"
#include "platform/term.h"

struct conf_pwenc *
conf_pwenc_new(void)
{
	return secmem_calloc(sizeof(struct conf_pwenc));
}

void
conf_pwenc_free(struct conf_pwenc *pw)
{
	secmem_free(pw);	/* wiped */
}

void
conf_pwenc_setup(struct conf *c, const struct conf_type6_ops *ops,
		 const char *master, const char *previous)
{
	struct conf_pwenc *pw = c->pwenc;

	pw->ops = ops;
	snprintf(pw->master, sizeof(pw->master), "%s", master ? master : "");
	snprintf(pw->previous, sizeof(pw->previous), "%s",
		 previous ? previous : "");
}

void
conf_pwenc_show(const struct conf *c, struct term *t)
{
	if (c->pwenc->aes)
		term_puts(t, "password encryption aes\n!\n");
}

void
conf_pwenc_key_text(const struct conf_isakmp_key *k, struct term *t)
{
	if (k->enc6[0] != '\0')
		term_printf(t, "6 %s", k->enc6);
	else
		term_puts(t, k->secret);
}

/* Decrypt text under the master key, then the one before it. */
static int
decrypt(const struct conf_pwenc *pw, const char *text, char *clear,
	size_t len, bool *old)
{
	int rc = pw->ops->decrypt(pw->master, text, clear, len);

	*old = false;
	if (rc == CONF_T6_BAD_MAC && pw->previous[0] != '\0' &&
	    pw->ops->decrypt(pw->previous, text, clear, len) == CONF_T6_OK) {
		*old = true;
		return CONF_T6_OK;
	}
	return rc;
}

/* Make k's type 6 text under the master key (k->enc6 stays on failure). */
static void
encrypt(const struct conf_pwenc *pw, struct conf_isakmp_key *k)
{
	char text[CONF_TYPE6_MAX];

	if (pw->ops->encrypt(pw->master, k->secret, text, sizeof(text)) == 0)
		snprintf(k->enc6, sizeof(k->enc6), "%s", text);
}

/* A type 6 text: decrypted into k, or kept locked (1), or refused (-1). */
static int
take_type6(struct cmd_ctx *ctx, const struct conf_pwenc *pw, const char *text,
	   struct conf_isakmp_key *k)
{
	bool old;
	int rc;

	if (strlen(text) >= sizeof(k->enc6))
		return cmd_error(ctx, "Invalid type 6 key: too long"), -1;
	rc = decrypt(pw, text, k->secret, sizeof(k->secret), &old);
	if (rc == CONF_T6_MALFORMED || rc == CONF_T6_BAD_CLEAR)
		return cmd_error(ctx, "Invalid type 6 key: not what a router "
				 "prints for an encrypted key"), -1;
	snprintf(k->enc6, sizeof(k->enc6), "%s", text);
	if (rc == CONF_T6_OK) {
		if (old)
			encrypt(pw, k);
		return 0;
	}
	explicit_bzero(k->secret, sizeof(k->secret));
	k->locked = true;
	cmd_error(ctx, "Cannot decrypt the type 6 key: %s; kept as it is, "
		  "unused until `key config-key password-encrypt` gives the "
		  "right one", pw->master[0] == '\0' ? "no master key on this "
		  "router" : "wrong master key");
	return 1;
}

int
conf_pwenc_take(struct cmd_ctx *ctx, unsigned enc, const char *text,
		struct conf_isakmp_key *k)
{
	const struct conf_pwenc *pw = ctx->conf->pwenc;

	k->locked = false;
	k->enc6[0] = '\0';
	if (enc == 6 && pw->ops == NULL) {
		cmd_error(ctx, "Cannot decrypt the type 6 key: no master key "
			  "(key config-key password-encrypt) on this router; "
			  "enter the key in clear text");
		return -1;
	}
	if (enc == 6)
		return take_type6(ctx, pw, text, k);
	if (strlen(text) >= sizeof(k->secret)) {
		cmd_error(ctx, "Key too long (max %zu characters)",
			  sizeof(k->secret) - 1);
		return -1;
	}
	snprintf(k->secret, sizeof(k->secret), "%s", text);
	if (pw->aes && pw->master[0] != '\0' && pw->ops != NULL)
		encrypt(pw, k);
	return 0;
}

/* Every pre-shared key: the global list, then each keyring's. */
static void
each_key(struct conf *c, void (*fn)(struct conf *, struct conf_isakmp_key *,
				    void *), void *arg)
{
	for (struct conf_isakmp_key *k = c->isakmp->keys; k; k = k->next)
		fn(c, k, arg);
	for (struct conf_keyring *kr = c->keyrings->head; kr; kr = kr->next)
		for (struct conf_isakmp_key *k = kr->keys->keys; k; k = k->next)
			fn(c, k, arg);
}

/*
 * After the master key or `password encryption aes` changed: a locked key
 * the new master key opens is unlocked; a type 6 text made under another
 * master key is made again; with aes on, a clear key gets its text.
 */
static void
refresh_key(struct conf *c, struct conf_isakmp_key *k, void *arg)
{
	const struct conf_pwenc *pw = c->pwenc;
	char clear[CONF_ISAKMP_KEY_MAX];
	bool old;

	(void)arg;
	if (pw->master[0] == '\0')
		return;
	if (k->locked) {
		if (decrypt(pw, k->enc6, k->secret, sizeof(k->secret),
			    &old) != CONF_T6_OK)
			return;
		k->locked = false;
		conf_touch(c, CONF_AREA_ISAKMP, NULL);
	} else if (k->enc6[0] != '\0') {
		old = pw->ops->decrypt(pw->master, k->enc6, clear,
				       sizeof(clear)) != CONF_T6_OK;
		explicit_bzero(clear, sizeof(clear));
	} else {
		old = pw->aes;
	}
	if (old)
		encrypt(pw, k);
}

static void
count_type6(struct conf *c, struct conf_isakmp_key *k, void *arg)
{
	(void)c;
	*(unsigned *)arg += k->enc6[0] != '\0';
}

static int
master_remove(struct cmd_ctx *ctx, struct conf_pwenc *pw)
{
	unsigned n = 0;

	each_key(ctx->conf, count_type6, &n);
	if (n > 0)
		return cmd_error(ctx, "%u pre-shared key%s stored as type 6 "
				 "under the master key: enter %s in clear text "
				 "(key 0) or remove %s first", n,
				 n == 1 ? " is" : "s are", n == 1 ? "it" :
				 "them", n == 1 ? "it" : "them");
	if (pw->ops->save(pw->ops->arg, "", "") < 0)
		return cmd_error(ctx, "Cannot remove the master key: %s",
				 strerror(errno));
	explicit_bzero(pw->master, sizeof(pw->master));
	explicit_bzero(pw->previous, sizeof(pw->previous));
	return CMD_OK;
}

static int
master_set(struct cmd_ctx *ctx, struct conf_pwenc *pw, const char *key)
{
	size_t len = key ? strlen(key) : 0;

	if (key == NULL && ctx->ask_secret != NULL) {
		ctx->ask_secret(ctx, "key");	/* New key: / Confirm key: */
		return CMD_OK;
	}
	if (len == 0)
		return cmd_error(ctx, "No terminal to ask the master key at: "
				 "give it on the line, key config-key "
				 "password-encrypt KEY");
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)key[i]))
			len = 0;
	if (len < CONF_MASTER_KEY_MIN || len >= CONF_MASTER_KEY_MAX)
		return cmd_error(ctx, "The master key must be %d to %d "
				 "printable characters", CONF_MASTER_KEY_MIN,
				 CONF_MASTER_KEY_MAX - 1);
	if (strcmp(key, pw->master) == 0)
		return CMD_OK;
	/* saved first: a key the store refused is not used either */
	if (pw->ops->save(pw->ops->arg, key, pw->master) < 0)
		return cmd_error(ctx, "Cannot save the master key: %s",
				 strerror(errno));
	memcpy(pw->previous, pw->master, sizeof(pw->previous));
	snprintf(pw->master, sizeof(pw->master), "%s", key);
	each_key(ctx->conf, refresh_key, NULL);
	return CMD_OK;
}

static int
cmd_config_key(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pwenc *pw = ctx->conf->pwenc;
	int rc;

	if (pw->ops == NULL)
		return cmd_error(ctx, "No place to keep a master key here");
	rc = ctx->negate ? master_remove(ctx, pw)
			 : master_set(ctx, pw, cmd_arg(a, "master"));
	if (rc == CMD_OK)
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return rc;
}

static int
cmd_password_aes(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pwenc *pw = ctx->conf->pwenc;

	(void)a;
	pw->aes = !ctx->negate;
	if (pw->aes && pw->ops != NULL)
		each_key(ctx->conf, refresh_key, NULL);
	if (pw->aes && pw->master[0] == '\0')
		term_puts(ctx->out, "% No master key (key config-key "
			  "password-encrypt): keys stay in clear text until "
			  "one is configured\n");
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

const struct cmd_def conf_pwenc_cmds[] = {
	{ MODE_CONFIG, "key config-key password-encrypt [WORD$master]",
	  "Key management\nSet a private configuration key\n"
	  "Set a key for type 6 encrypted passwords\n"
	  "The master key (8 to 128 characters; never shown)\n",
	  cmd_config_key, CMD_F_SECRET },
	{ MODE_CONFIG, "password encryption aes",
	  "Encrypt a password\nEncrypt passwords in the configuration\n"
	  "Store pre-shared keys as type 6 (AES) text\n",
	  cmd_password_aes, 0 },
	{ .spec = NULL },
};
