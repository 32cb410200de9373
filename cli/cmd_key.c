/*
 * cmd_key: RSA key pair commands (doc/ios-cli.md §2.4, §2.12 `show crypto key
 * mypubkey rsa`), on top of roles/keystore.h.
 *
 * `crypto key generate rsa` is executed, not stored: IOS keeps key pairs
 * in private NVRAM, and so do we (the key store directory).  A pasted or
 * replayed config that contains the line runs it; during a startup-config
 * replay an existing key of that label is kept, so that a restart never
 * changes the KS rekey-signing key that the group members hold.
 *
 * The options may come in any order, as on IOS (S15 writes `modulus 2049
 * general-keys label pkikey`, S8 `label L modulus 2048 exportable`): the
 * spec repeats one option slot four times and the handler refuses an
 * option given twice.
 *
 * Generation runs inside the handler: a 4096-bit key holds the event
 * loop for a few seconds, as it holds the console on IOS.
 */
#include "cli/cmd_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/showout.h"
#include "platform/term.h"
#include "roles/keystore.h"

#define KEY_DEFAULT_BITS 2048		/* IOS-XE's default answer */
#define KEY_HEX_PER_LINE 32		/* bytes: 8 groups of 8 hex digits */

static struct keystore *
key_store(const struct cmd_ctx *ctx)
{
	struct cli_env *env;

	if (ctx->session == NULL)
		return NULL;
	env = cli_session_env(ctx->session);
	return env != NULL ? env->keys : NULL;
}

static int
key_no_store(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "No key storage configured "
			 "(start getvpn with -k DIR)");
}

static int
key_bad_label(struct cmd_ctx *ctx, const char *label)
{
	return cmd_error(ctx, "Invalid key label \"%s\": use 1-63 characters "
			 "of A-Z a-z 0-9 . _ - not starting with '.'", label);
}

static enum keystore_usage
key_usage(const char *kw)
{
	if (kw != NULL && strcmp(kw, "encryption") == 0)
		return KEYSTORE_USAGE_ENCRYPTION;
	/* usage-keys: GDOI only signs, so one signature pair serves. */
	if (kw != NULL && (strcmp(kw, "signature") == 0 ||
			   strcmp(kw, "usage-keys") == 0))
		return KEYSTORE_USAGE_SIGNATURE;
	return KEYSTORE_USAGE_GENERAL;
}

static bool
key_option_twice(const struct cmd_args *a)
{
	static const char *const opts[] = {
		"usage", "name", "bits", "exportable",
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++)
		if (cmd_arg_count(a, opts[i]) > 1)
			return true;
	return false;
}

static double
key_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
key_generate(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct keystore *ks = key_store(ctx);
	const char *label = cmd_arg(a, "name");
	unsigned bits = cmd_arg_u32(a, "bits", KEY_DEFAULT_BITS);
	bool exportable = cmd_has(a, "exportable");
	char err[256];
	double t0;

	if (ks == NULL)
		return key_no_store(ctx);
	if (key_option_twice(a))
		return cmd_error(ctx, "Each option may be given only once.");
	if (label == NULL)
		label = ctx->conf->hostname;
	if (!keystore_label_ok(label))
		return key_bad_label(ctx, label);
	if (keystore_find(ks, label) != NULL) {
		/* A reboot must not change the key the members hold. */
		if (!ctx->interactive)
			return CMD_OK;
		term_printf(ctx->out, "%% You already have RSA keys defined "
			    "named %s.\n%% They will be replaced.\n\n", label);
	} else {
		term_printf(ctx->out, "The name for the keys will be: %s\n",
			    label);
	}
	term_printf(ctx->out, "%% The key modulus size is %u bits\n"
		    "%% Generating %u bit RSA keys, keys will be %s...\n",
		    bits, bits, exportable ? "exportable" : "non-exportable");
	t0 = key_now();
	if (keystore_generate(ks, label, bits, key_usage(cmd_arg(a, "usage")),
			      exportable, err, sizeof(err)) < 0)
		return cmd_error(ctx, "RSA key generation failed: %s", err);
	conf_changes_mark(&ctx->conf->changes, CONF_AREA_KEY, label);
	term_printf(ctx->out, "[OK] (elapsed time was %u seconds)\n",
		    (unsigned)(key_now() - t0));
	return CMD_OK;
}

static int
key_zeroize(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct keystore *ks = key_store(ctx);
	const char *label = cmd_arg(a, "name");
	char err[256];

	if (ks == NULL)
		return key_no_store(ctx);
	if (label == NULL) {
		term_puts(ctx->out, "% All keys will be removed.\n");
		if (keystore_zeroize_all(ks, err, sizeof(err)) < 0)
			return cmd_error(ctx, "%s", err);
		conf_changes_mark(&ctx->conf->changes, CONF_AREA_KEY, NULL);
		return CMD_OK;
	}
	if (keystore_find(ks, label) == NULL)
		return cmd_error(ctx, "No RSA keys named %s.", label);
	term_printf(ctx->out, "%% Keys to be removed are named '%s'.\n", label);
	if (keystore_zeroize(ks, label, err, sizeof(err)) < 0)
		return cmd_error(ctx, "%s", err);
	conf_changes_mark(&ctx->conf->changes, CONF_AREA_KEY, label);
	return CMD_OK;
}

/* "03:56:15 UTC Nov 5 2022", independent of the locale. */
static void
key_when(time_t t, char *buf, size_t len)
{
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%02d:%02d:%02d UTC %s %d %d", tm.tm_hour,
		 tm.tm_min, tm.tm_sec, mon[tm.tm_mon % 12], tm.tm_mday,
		 tm.tm_year + 1900);
}

static const char *
key_usage_text(enum keystore_usage u)
{
	switch (u) {
	case KEYSTORE_USAGE_SIGNATURE:
		return "Signature Key";
	case KEYSTORE_USAGE_ENCRYPTION:
		return "Encryption Key";
	case KEYSTORE_USAGE_GENERAL:
		break;
	}
	return "General Purpose Key";
}

/* The public key in IOS's hex layout; JSON gets it as one hex string. */
static void
key_show_hex(struct showout *o, const uint8_t *p, size_t len)
{
	char line[4 + KEY_HEX_PER_LINE * 2 + KEY_HEX_PER_LINE / 4];
	char *all = malloc(2 * len + 1);

	for (size_t i = 0; all != NULL && i < len; i++)
		snprintf(all + 2 * i, 3, "%02X", p[i]);
	if (all != NULL)
		all[2 * len] = '\0';
	showout_str(o, "key_data", all ? all : "", NULL);
	free(all);
	for (size_t i = 0; i < len; i += KEY_HEX_PER_LINE) {
		size_t n = 0;

		n += (size_t)snprintf(line, sizeof(line), "  ");
		for (size_t j = i; j < len && j < i + KEY_HEX_PER_LINE; j++) {
			if (j > i && (j - i) % 4 == 0)
				line[n++] = ' ';
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      "%02X", p[j]);
		}
		showout_text(o, "%s\n", line);
	}
}

static void
key_show_one(const struct keystore_info *in, void *arg)
{
	struct showout *o = arg;
	const char *usage = key_usage_text(in->usage);
	char when[48];

	key_when(in->created, when, sizeof(when));
	showout_obj(o, NULL);
	showout_str(o, "generated_at", when,
		    "%% Key pair was generated at: %s\n", when);
	showout_str(o, "key_name", in->label, "Key name: %s\n", in->label);
	showout_str(o, "key_type", "RSA KEYS", "Key type: %s\n", "RSA KEYS");
	showout_str(o, "storage_device", "not specified",
		    " Storage Device: %s\n", "not specified");
	showout_str(o, "usage", usage, " Usage: %s\n", usage);
	showout_bool(o, "exportable", in->exportable, " Key is %s.\n",
		     in->exportable ? "exportable" : "not exportable");
	showout_text(o, " Key Data:\n");
	key_show_hex(o, in->pub_der, in->pub_len);
	showout_end(o);
}

static int
key_show(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct keystore *ks = key_store(ctx);
	const char *label = cmd_arg(a, "name");
	struct keystore_info info;

	if (ks == NULL)
		return key_no_store(ctx);
	showout_list(ctx->show, "keys");
	if (label == NULL)
		keystore_foreach(ks, key_show_one, ctx->show);
	/* Like IOS, an unknown label shows nothing. */
	else if (keystore_get(ks, label, &info) == 0)
		key_show_one(&info, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

/* One option of `crypto key generate rsa`, in IOS's `?` order. */
#define KEYGEN_OPT							\
	" [{general-keys$usage|usage-keys$usage|signature$usage|"	\
	"encryption$usage|label WORD$name|modulus <512-4096>$bits|"	\
	"exportable}]"
#define KEYGEN_OPT_HELP							\
	"Generate a general purpose RSA key pair for signing and "	\
	"encryption\n"							\
	"Generate separate RSA key pairs for signing and encryption\n"	\
	"Generate a RSA key pair for signing\n"				\
	"Generate a RSA key pair for encryption\n"			\
	"Provide a label\n"						\
	"RSA keypair label\n"						\
	"Provide number of modulus bits on the command line\n"		\
	"size of the key modulus in the range of 512 to 4096\n"		\
	"Allow the key to be exported\n"

#define CRYPTO_KEY_HELP "Encryption module\nLong term key operations\n"

const struct cmd_def cli_key_cmds[] = {
	{ MODE_CONFIG,
	  "crypto key generate rsa" KEYGEN_OPT KEYGEN_OPT KEYGEN_OPT KEYGEN_OPT,
	  CRYPTO_KEY_HELP "Generate new keys\nGenerate RSA keys\n"
	  KEYGEN_OPT_HELP KEYGEN_OPT_HELP KEYGEN_OPT_HELP KEYGEN_OPT_HELP,
	  key_generate, CMD_F_NO_NEGATE },
	{ MODE_CONFIG, "crypto key zeroize rsa [WORD$name]",
	  CRYPTO_KEY_HELP "Remove keys\nRemove RSA keys\nRSA keypair label\n",
	  key_zeroize, CMD_F_NO_NEGATE },
	{ MODE_EXEC, "show crypto key mypubkey rsa [WORD$name]",
	  "\nEncryption module\nShow long term public keys\n"
	  "Show public keys associated with this router\n"
	  "Show RSA public keys\nRSA keypair label\n",
	  key_show, CMD_F_SHOW },
	{ .spec = NULL },
};
