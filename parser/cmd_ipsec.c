/*
 * cmd_ipsec: the IPsec commands (doc/ios-cli.md §2.1, §2.3):
 *   crypto ipsec transform-set NAME T1 [T2 [T3]]   -> (cfg-crypto-trans)#
 *     mode {tunnel|transport [require]} / esn
 *   crypto ipsec profile NAME                      -> (ipsec-profile)#
 *     set transform-set / set security-association lifetime / set pfs /
 *     description
 *   crypto ipsec security-association lifetime seconds N
 *
 * The transforms are one spec (an ESP cipher with an optional ESP HMAC,
 * an AH HMAC optionally followed by those, or an ESP HMAC alone) so that
 * `no crypto ipsec transform-set NAME` names exactly one command.
 */
#include "parser/conf_ipsec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"

#define IPSEC_HELP "Encryption module\nConfigure IPSEC policy\n"
#define IPSEC_DESC_MAX 240

#define ESP_BITS "[{128|192|256}$bits]"
#define ESP_BITS_HELP "128 bit keys.\n192 bit keys.\n256 bit keys.\n"
#define ESP_ENC "{esp-aes " ESP_BITS "|esp-gcm " ESP_BITS "|esp-gmac " \
	ESP_BITS "|esp-3des|esp-des|esp-null|esp-seal}$enc"
#define ESP_ENC_HELP \
	"ESP transform using AES cipher\n" ESP_BITS_HELP \
	"ESP transform using GCM cipher\n" ESP_BITS_HELP \
	"ESP transform using GMAC cipher\n" ESP_BITS_HELP \
	"ESP transform using 3DES(EDE) cipher (168 bits)\n" \
	"ESP transform using DES cipher (56 bits)\n" \
	"ESP transform w/o cipher\n" \
	"ESP transform using SEAL cipher (160 bits)\n"
#define ESP_AUTH "{esp-md5-hmac|esp-sha-hmac|esp-sha256-hmac|" \
	"esp-sha384-hmac|esp-sha512-hmac}$auth"
#define ESP_AUTH_HELP \
	"ESP transform using HMAC-MD5 auth\n" \
	"ESP transform using HMAC-SHA auth\n" \
	"ESP transform using HMAC-SHA256 auth\n" \
	"ESP transform using HMAC-SHA384 auth\n" \
	"ESP transform using HMAC-SHA512 auth\n"
#define AH_AUTH "{ah-md5-hmac|ah-sha-hmac|ah-sha256-hmac|ah-sha384-hmac|" \
	"ah-sha512-hmac}$ah"
#define AH_AUTH_HELP \
	"AH-HMAC-MD5 transform\n" \
	"AH-HMAC-SHA transform\n" \
	"AH-HMAC-SHA256 transform\n" \
	"AH-HMAC-SHA384 transform\n" \
	"AH-HMAC-SHA512 transform\n"

#define PFS_GROUPS "{group1|group2|group5|group14|group15|group16|group19|" \
	"group20|group21|group24}$grp"
#define PFS_GROUPS_HELP \
	"D-H Group1 (768-bit modulus) exchange.\n" \
	"D-H Group2 (1024-bit modulus) exchange.\n" \
	"D-H Group5 (1536-bit modulus) exchange.\n" \
	"D-H Group14 (2048-bit modulus) exchange.\n" \
	"D-H Group15 (3072-bit modulus) exchange.\n" \
	"D-H Group16 (4096-bit modulus) exchange.\n" \
	"D-H Group19 (256-bit elliptic curve) exchange.\n" \
	"D-H Group20 (384-bit elliptic curve) exchange.\n" \
	"D-H Group21 (521-bit elliptic curve) exchange.\n" \
	"D-H Group24 (2048-bit modulus & 256-bit subgroup) exchange.\n"

static struct conf_obj *
ipsec_live_node(struct cmd_ctx *ctx, enum cmd_mode m)
{
	struct conf_obj *o = cmd_node(ctx, m);

	return o != NULL && !o->dead ? o : NULL;
}

static int
ipsec_gone(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "The entry has been removed.");
}

/*
 * crypto ipsec transform-set NAME transforms...
 */
static int
ts_parse(struct cmd_ctx *ctx, const struct cmd_args *a,
	 struct conf_ipsec_ts *out)
{
	static const char *const encs[] = {
		"", "esp-aes", "esp-gcm", "esp-gmac", "esp-3des", "esp-des",
		"esp-null", "esp-seal", NULL,
	};
	static const char *const esp_auths[] = {
		"", "esp-md5-hmac", "esp-sha-hmac", "esp-sha256-hmac",
		"esp-sha384-hmac", "esp-sha512-hmac", NULL,
	};
	static const char *const ah_auths[] = {
		"", "ah-md5-hmac", "ah-sha-hmac", "ah-sha256-hmac",
		"ah-sha384-hmac", "ah-sha512-hmac", NULL,
	};
	int enc = cmd_word_index(encs, cmd_arg(a, "enc"));
	int auth = cmd_word_index(esp_auths, cmd_arg(a, "auth"));
	int ah = cmd_word_index(ah_auths, cmd_arg(a, "ah"));

	if (enc < 0 && auth < 0 && ah < 0)
		return CMD_ERR_INCOMPLETE;
	out->esp_enc = enc < 0 ? CONF_IPSEC_ENC_NONE : (enum conf_ipsec_enc)enc;
	out->esp_auth = auth < 0 ? CONF_IPSEC_AUTH_NONE : (enum conf_ipsec_auth)auth;
	out->ah_auth = ah < 0 ? CONF_IPSEC_AUTH_NONE : (enum conf_ipsec_auth)ah;
	out->esp_bits = 0;
	if (out->esp_enc == CONF_IPSEC_ENC_AES || out->esp_enc == CONF_IPSEC_ENC_GCM ||
	    out->esp_enc == CONF_IPSEC_ENC_GMAC)
		out->esp_bits = (uint16_t)cmd_arg_u32(a, "bits", 128);
	/* GCM and GMAC carry their own integrity check value. */
	if ((out->esp_enc == CONF_IPSEC_ENC_GCM ||
	     out->esp_enc == CONF_IPSEC_ENC_GMAC) &&
	    out->esp_auth != CONF_IPSEC_AUTH_NONE)
		return cmd_error(ctx, "Invalid transform proposal: %s cannot be "
				 "combined with %s (it provides its own "
				 "authentication).",
				 encs[out->esp_enc], esp_auths[out->esp_auth]);
	return 0;
}

static int
ipsec_ts(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec *ipsec = ctx->conf->ipsec;
	const char *name = cmd_arg(a, "name");
	struct conf_ipsec_ts parsed = { 0 }, *ts;
	int rc;

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	ts = conf_ipsec_ts_lookup(ipsec, name);
	if (ctx->negate) {
		if (ts != NULL) {
			conf_ipsec_ts_del(ipsec, ts);
			conf_touch(ctx->conf, CONF_AREA_IPSEC, name);
		}
		return CMD_OK;
	}
	if (conf_check_name(ctx, name) < 0)
		return CMD_WARNING;
	if ((rc = ts_parse(ctx, a, &parsed)) != 0)
		return rc;
	if (ts == NULL && (ts = conf_ipsec_ts_add(ipsec, name)) == NULL)
		return cmd_error(ctx, "Out of memory");
	/* Re-entering a set replaces its transforms, keeps mode and esn. */
	ts->esp_enc = parsed.esp_enc;
	ts->esp_bits = parsed.esp_bits;
	ts->esp_auth = parsed.esp_auth;
	ts->ah_auth = parsed.ah_auth;
	conf_touch(ctx->conf, CONF_AREA_IPSEC, ts->name);
	cmd_enter(ctx, MODE_TRANSFORM_SET, &ts->obj);
	return CMD_OK;
}

static int
ipsec_ts_mode(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec_ts *ts =
		(struct conf_ipsec_ts *)ipsec_live_node(ctx, MODE_TRANSFORM_SET);
	const char *mode = cmd_arg(a, "mode");

	if (ts == NULL)
		return ipsec_gone(ctx);
	if (ctx->negate || mode == NULL)
		ts->mode = CONF_IPSEC_MODE_TUNNEL;
	else if (strcmp(mode, "transport") == 0)
		ts->mode = cmd_has(a, "require") ? CONF_IPSEC_MODE_TRANSPORT_REQUIRE
						 : CONF_IPSEC_MODE_TRANSPORT;
	else
		ts->mode = CONF_IPSEC_MODE_TUNNEL;
	conf_touch(ctx->conf, CONF_AREA_IPSEC, ts->name);
	return CMD_OK;
}

static int
ipsec_ts_esn(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec_ts *ts =
		(struct conf_ipsec_ts *)ipsec_live_node(ctx, MODE_TRANSFORM_SET);

	if (ts == NULL)
		return ipsec_gone(ctx);
	ts->esn = !ctx->negate;
	conf_touch(ctx->conf, CONF_AREA_IPSEC, ts->name);
	return CMD_OK;
}

/*
 * crypto ipsec profile NAME
 */
static int
ipsec_profile(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec *ipsec = ctx->conf->ipsec;
	const char *name = cmd_arg(a, "name");
	struct conf_ipsec_profile *p;

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	p = conf_ipsec_profile_lookup(ipsec, name);
	if (ctx->negate) {
		if (p != NULL) {
			conf_ipsec_profile_del(ipsec, p);
			conf_touch(ctx->conf, CONF_AREA_IPSEC, name);
		}
		return CMD_OK;
	}
	if (conf_check_name(ctx, name) < 0)
		return CMD_WARNING;
	if (p == NULL) {
		if ((p = conf_ipsec_profile_add(ipsec, name)) == NULL)
			return cmd_error(ctx, "Out of memory");
		conf_touch(ctx->conf, CONF_AREA_IPSEC, name);
	}
	cmd_enter(ctx, MODE_IPSEC_PROFILE, &p->obj);
	return CMD_OK;
}

static struct conf_ipsec_profile *
ipsec_ctx_profile(struct cmd_ctx *ctx)
{
	return (struct conf_ipsec_profile *)ipsec_live_node(ctx,
							    MODE_IPSEC_PROFILE);
}

static int
ipsec_prof_tsets(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec_profile *p = ipsec_ctx_profile(ctx);
	unsigned n = cmd_arg_count(a, "ts");

	if (p == NULL)
		return ipsec_gone(ctx);
	if (ctx->negate) {
		p->n_tsets = 0;
		conf_touch(ctx->conf, CONF_AREA_IPSEC, p->name);
		return CMD_OK;
	}
	if (n == 0)
		return CMD_ERR_INCOMPLETE;
	for (unsigned i = 0; i < n; i++)
		if (conf_check_name(ctx, cmd_arg_nth(a, "ts", i)) < 0)
			return CMD_WARNING;
	for (unsigned i = 0; i < n && i < CONF_IPSEC_MAX_TSETS; i++)
		snprintf(p->tsets[i], CONF_NAME_MAX, "%s", cmd_arg_nth(a, "ts", i));
	p->n_tsets = n < CONF_IPSEC_MAX_TSETS ? n : CONF_IPSEC_MAX_TSETS;
	conf_touch(ctx->conf, CONF_AREA_IPSEC, p->name);
	return CMD_OK;
}

/* `no set security-association lifetime [seconds|kilobytes|days]`. */
static void
ipsec_prof_life_clear(struct conf_ipsec_profile *p, const struct cmd_args *a)
{
	bool secs = cmd_has(a, "seconds"), kb = cmd_has(a, "kilobytes");
	bool days = cmd_has(a, "days"), all = !secs && !kb && !days;

	if (all || secs)
		p->has &= ~(unsigned)CONF_IPSEC_PROF_HAS_SECONDS;
	if (all || kb)
		p->has &= ~(unsigned)(CONF_IPSEC_PROF_HAS_KB |
				      CONF_IPSEC_PROF_HAS_KB_DISABLE);
	if (all || days)
		p->has &= ~(unsigned)CONF_IPSEC_PROF_HAS_DAYS;
}

static int
ipsec_prof_lifetime(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec_profile *p = ipsec_ctx_profile(ctx);

	if (p == NULL)
		return ipsec_gone(ctx);
	if (ctx->negate) {
		ipsec_prof_life_clear(p, a);
	} else if (cmd_has(a, "secs")) {
		p->life_seconds = cmd_arg_u32(a, "secs", 0);
		p->has |= CONF_IPSEC_PROF_HAS_SECONDS;
	} else if (cmd_has(a, "kb")) {
		p->life_kb = cmd_arg_u32(a, "kb", 0);
		p->has &= ~(unsigned)CONF_IPSEC_PROF_HAS_KB_DISABLE;
		p->has |= CONF_IPSEC_PROF_HAS_KB;
	} else if (cmd_has(a, "kbdis")) {
		p->has &= ~(unsigned)CONF_IPSEC_PROF_HAS_KB;
		p->has |= CONF_IPSEC_PROF_HAS_KB_DISABLE;
	} else if (cmd_has(a, "days")) {
		p->life_days = (uint8_t)cmd_arg_u32(a, "ndays", 1);
		p->has |= CONF_IPSEC_PROF_HAS_DAYS;
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_touch(ctx->conf, CONF_AREA_IPSEC, p->name);
	return CMD_OK;
}

static int
ipsec_prof_pfs(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec_profile *p = ipsec_ctx_profile(ctx);
	const char *grp = cmd_arg(a, "grp");

	if (p == NULL)
		return ipsec_gone(ctx);
	if (ctx->negate) {
		p->has &= ~(unsigned)CONF_IPSEC_PROF_HAS_PFS;
		p->pfs_group = 0;
	} else {
		p->has |= CONF_IPSEC_PROF_HAS_PFS;
		p->pfs_group = grp ? (uint8_t)strtoul(grp + 5, NULL, 10) : 0;
	}
	conf_touch(ctx->conf, CONF_AREA_IPSEC, p->name);
	return CMD_OK;
}

static int
ipsec_prof_desc(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_ipsec_profile *p = ipsec_ctx_profile(ctx);
	const char *text = cmd_arg(a, "text");
	char *d = NULL;

	if (p == NULL)
		return ipsec_gone(ctx);
	if (!ctx->negate) {
		if (text == NULL)
			return CMD_ERR_INCOMPLETE;
		if (strlen(text) > IPSEC_DESC_MAX)
			return cmd_error(ctx, "Description too long (max %d "
					 "characters)", IPSEC_DESC_MAX);
		if ((d = strdup(text)) == NULL)
			return cmd_error(ctx, "Out of memory");
	}
	free(p->description);
	p->description = d;
	conf_touch(ctx->conf, CONF_AREA_IPSEC, p->name);
	return CMD_OK;
}

/*
 * crypto ipsec security-association lifetime seconds N
 */
static int
ipsec_sa_lifetime(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	uint32_t secs = cmd_arg_u32(a, "secs", 0);

	if (!ctx->negate && secs == 0)
		return CMD_ERR_INCOMPLETE;
	/* 0 means "not configured": the default is not printed. */
	ctx->conf->ipsec->sa_lifetime =
		ctx->negate || secs == CONF_IPSEC_DEF_LIFETIME ? 0 : secs;
	conf_touch(ctx->conf, CONF_AREA_IPSEC, NULL);
	return CMD_OK;
}

const struct cmd_def conf_ipsec_cmds[] = {
	{ MODE_CONFIG, "crypto ipsec transform-set WORD$name "
	  "{" ESP_ENC " [" ESP_AUTH "]|" AH_AUTH " [" ESP_ENC " [" ESP_AUTH "]]|"
	  ESP_AUTH "}",
	  IPSEC_HELP "Define transform and settings\n"
	  "Transform set tag\n"
	  ESP_ENC_HELP ESP_AUTH_HELP
	  AH_AUTH_HELP ESP_ENC_HELP ESP_AUTH_HELP
	  ESP_AUTH_HELP,
	  ipsec_ts, 0 },
	{ MODE_CONFIG, "crypto ipsec profile WORD$name",
	  IPSEC_HELP "Configure an ipsec policy profile\nProfile name\n",
	  ipsec_profile, 0 },
	{ MODE_CONFIG, "crypto ipsec security-association lifetime "
	  "seconds <120-2592000>$secs",
	  IPSEC_HELP "Security association parameters\n"
	  "Security association lifetime\n"
	  "Time-based key duration in seconds\n"
	  "Security association duration in seconds\n",
	  ipsec_sa_lifetime, 0 },
	/* (cfg-crypto-trans)# */
	{ MODE_TRANSFORM_SET, "mode {tunnel|transport [require]}$mode",
	  "encapsulation mode (transport/tunnel)\n"
	  "tunnel (datagram encapsulation) mode\n"
	  "transport (payload encapsulation) mode\n"
	  "Transport mode required; do not fall back to tunnel\n",
	  ipsec_ts_mode, 0 },
	{ MODE_TRANSFORM_SET, "esn", "extended Sequence number\n",
	  ipsec_ts_esn, 0 },
	/* (ipsec-profile)# */
	{ MODE_IPSEC_PROFILE, "set transform-set WORD$ts [WORD$ts [WORD$ts "
	  "[WORD$ts [WORD$ts [WORD$ts]]]]]",
	  "Set a parameter\n"
	  "Specify list of transform sets in priority order\n"
	  "Transform set name\nTransform set name\nTransform set name\n"
	  "Transform set name\nTransform set name\nTransform set name\n",
	  ipsec_prof_tsets, 0 },
	{ MODE_IPSEC_PROFILE, "set security-association lifetime "
	  "{seconds <120-2592000>$secs|kilobytes {<2560-4294967295>$kb|"
	  "disable$kbdis}|days <1-30>$ndays}",
	  "\nSecurity association parameters\n"
	  "Security association lifetime\n"
	  "Time-based key duration in seconds\n"
	  "Security association duration in seconds\n"
	  "Volume-based key duration\n"
	  "Security association duration in kilobytes\n"
	  "Disable Volume-based Rekey\n"
	  "Time-based key duration in days\n"
	  "Security association duration in days\n",
	  ipsec_prof_lifetime, 0 },
	{ MODE_IPSEC_PROFILE, "set pfs [" PFS_GROUPS "]",
	  "\nSpecify pfs settings\n" PFS_GROUPS_HELP,
	  ipsec_prof_pfs, 0 },
	{ MODE_IPSEC_PROFILE, "description LINE$text",
	  "Description of the crypto map statement policy\n"
	  "Up to 240 characters describing this profile\n",
	  ipsec_prof_desc, 0 },
	{ .spec = NULL },
};
