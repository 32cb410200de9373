/*
 * cmd_cryptoshow: the running-config's crypto settings as IOS prints
 * them (doc/cli.md "Crypto settings"): `show crypto isakmp policy` and
 * `show crypto ipsec transform-set [NAME]`.
 */
#include "cli/cmd_cryptoshow.h"

#include <stdio.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_ipsec.h"
#include "parser/conf_isakmp.h"
#include "platform/showout.h"

static const char *
encr_text(const struct conf_isakmp_policy *p, char *buf, size_t len)
{
	switch (p->encr) {
	case CONF_ISAKMP_ENCR_3DES:
		return "Three key triple DES";
	case CONF_ISAKMP_ENCR_AES:
		snprintf(buf, len, "AES - Advanced Encryption Standard (%u bit "
			 "keys).", p->encr_bits);
		return buf;
	case CONF_ISAKMP_ENCR_DES:
	default:
		return "DES - Data Encryption Standard (56 bit keys).";
	}
}

static const char *
hash_text(enum conf_isakmp_hash h)
{
	switch (h) {
	case CONF_ISAKMP_HASH_MD5:
		return "Message Digest 5";
	case CONF_ISAKMP_HASH_SHA256:
		return "Secure Hash Standard 2 (256 bit)";
	case CONF_ISAKMP_HASH_SHA384:
		return "Secure Hash Standard 2 (384 bit)";
	case CONF_ISAKMP_HASH_SHA512:
		return "Secure Hash Standard 2 (512 bit)";
	case CONF_ISAKMP_HASH_SHA:
	default:
		return "Secure Hash Standard";
	}
}

static const char *
auth_text(enum conf_isakmp_auth a)
{
	switch (a) {
	case CONF_ISAKMP_AUTH_PRE_SHARE:
		return "Pre-Shared Key";
	case CONF_ISAKMP_AUTH_RSA_ENCR:
		return "Rivest-Shamir-Adleman Encryption";
	case CONF_ISAKMP_AUTH_RSA_SIG:
	default:
		return "Rivest-Shamir-Adleman Signature";
	}
}

/* "#19 (256 bit)": the group and the size IOS gives it. */
static const char *
group_text(unsigned group, char *buf, size_t len)
{
	static const struct {
		unsigned group;
		const char *size;
	} sizes[] = {
		{ 1, "768 bit" }, { 2, "1024 bit" }, { 5, "1536 bit" },
		{ 14, "2048 bit" }, { 15, "3072 bit" }, { 16, "4096 bit" },
		{ 19, "256 bit" }, { 20, "384 bit" }, { 21, "521 bit" },
		{ 24, "2048 bit, 256 bit subgroup" },
	};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i].group == group) {
			snprintf(buf, len, "#%u (%s)", group, sizes[i].size);
			return buf;
		}
	snprintf(buf, len, "#%u", group);
	return buf;
}

static void
policy_show(const struct conf_isakmp_policy *p, struct showout *o)
{
	char e[64], g[48];
	const char *enc = encr_text(p, e, sizeof(e));

	showout_obj(o, NULL);
	showout_u64(o, "priority", p->prio, "Protection suite of priority %u\n",
		    p->prio);
	showout_str(o, "encryption", enc, "\tencryption algorithm:\t%s\n",
		    enc);
	showout_str(o, "hash", hash_text(p->hash),
		    "\thash algorithm:\t\t%s\n", hash_text(p->hash));
	showout_str(o, "authentication", auth_text(p->auth),
		    "\tauthentication method:\t%s\n", auth_text(p->auth));
	showout_str(o, "dh_group", group_text(p->group, g, sizeof(g)),
		    "\tDiffie-Hellman group:\t%s\n", g);
	showout_u64(o, "lifetime_secs", p->lifetime,
		    "\tlifetime:\t\t%u seconds, no volume limit\n", p->lifetime);
	showout_end(o);
}

static int
show_isakmp_policy(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	showout_text(ctx->show, "\nGlobal IKE policy\n");
	showout_list(ctx->show, "policies");
	for (const struct conf_isakmp_policy *p = ctx->conf->isakmp->policies;
	     p != NULL; p = p->next)
		policy_show(p, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

/* The transforms as IOS lists them ("esp-256-aes esp-sha256-hmac"). */
static void
transforms(const struct conf_ipsec_ts *ts, char *buf, size_t len)
{
	const char *enc = conf_ipsec_enc_name(ts->esp_enc);
	size_t n = 0;

	buf[0] = '\0';
	if (ts->ah_auth != CONF_IPSEC_AUTH_NONE)
		n += (size_t)snprintf(buf + n, len - n, "%s ",
				      conf_ipsec_auth_name(ts->ah_auth, true));
	if (n < len && ts->esp_enc == CONF_IPSEC_ENC_AES && ts->esp_bits != 128)
		n += (size_t)snprintf(buf + n, len - n, "esp-%u-aes ",
				      ts->esp_bits);
	else if (n < len && (ts->esp_enc == CONF_IPSEC_ENC_GCM ||
			     ts->esp_enc == CONF_IPSEC_ENC_GMAC))
		n += (size_t)snprintf(buf + n, len - n, "%s %u ", enc,
				      ts->esp_bits);
	else if (n < len && enc[0] != '\0')
		n += (size_t)snprintf(buf + n, len - n, "%s ", enc);
	if (n < len && ts->esp_auth != CONF_IPSEC_AUTH_NONE)
		n += (size_t)snprintf(buf + n, len - n, "%s ",
				      conf_ipsec_auth_name(ts->esp_auth, false));
	if (n > 0 && n <= len)
		buf[n - 1] = '\0';
}

static void
ts_show(const struct conf_ipsec_ts *ts, struct showout *o)
{
	const char *mode = ts->mode == CONF_IPSEC_MODE_TUNNEL ? "Tunnel"
		: "Transport";
	char t[128];

	transforms(ts, t, sizeof(t));
	showout_obj(o, NULL);
	showout_str(o, "name", ts->name, "Transform set %s: ", ts->name);
	showout_str(o, "transforms", t, "{ %s  }\n", t);
	showout_str(o, "mode", mode, "   will negotiate = { %s,  },\n\n",
		    mode);
	showout_end(o);
}

static int
show_transform_set(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");
	const struct conf_ipsec_ts *one = NULL;

	if (name != NULL &&
	    (one = conf_ipsec_ts_find(ctx->conf->ipsec, name)) == NULL)
		return CMD_OK;		/* IOS prints nothing */
	showout_list(ctx->show, "transform_sets");
	for (const struct conf_ipsec_ts *ts = ctx->conf->ipsec->ts_head;
	     ts != NULL; ts = ts->next)
		if (one == NULL || ts == one)
			ts_show(ts, ctx->show);
	showout_end(ctx->show);
	return CMD_OK;
}

const struct cmd_def cli_cryptoshow_cmds[] = {
	{ MODE_EXEC, "show crypto isakmp policy",
	  "\nEncryption module\nShow ISAKMP\nShow ISAKMP protection suite "
	  "policy\n", show_isakmp_policy, CMD_F_SHOW },
	{ MODE_EXEC, "show crypto ipsec transform-set [WORD$name]",
	  "\nEncryption module\nShow IPSEC\nCrypto transform sets\n"
	  "Transform set name\n", show_transform_set, CMD_F_SHOW },
	{ .spec = NULL },
};
