/*
 * cmd_isakmp: the ISAKMP commands (doc/ios-cli.md §2.1, §2.2):
 *   crypto isakmp policy N            -> (config-isakmp)#
 *     encryption / hash / authentication / group / lifetime
 *   crypto isakmp key [0|6] KEY {address A [M] [no-xauth] | hostname H}
 *   crypto isakmp keepalive S [R] [on-demand|periodic]
 *   crypto isakmp identity {address|dn|hostname}
 *
 * `no`/`default` of a policy setting restores the IOS default.
 */
#include "parser/conf_isakmp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"

#define ISAKMP_HELP "Encryption module\nConfigure ISAKMP policy\n"

static struct conf_isakmp_policy *
isakmp_ctx_policy(struct cmd_ctx *ctx)
{
	struct conf_obj *o = cmd_node(ctx, MODE_ISAKMP_POLICY);

	return o != NULL && !o->dead ? (struct conf_isakmp_policy *)o : NULL;
}

static int
isakmp_gone(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "The ISAKMP policy has been removed.");
}

/*
 * crypto isakmp policy N
 */
static int
isakmp_policy(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_isakmp *isk = ctx->conf->isakmp;
	uint32_t prio = cmd_arg_u32(a, "prio", 0);
	struct conf_isakmp_policy *p;

	if (prio == 0)
		return CMD_ERR_INCOMPLETE;
	p = conf_isakmp_policy_lookup(isk, (uint16_t)prio);
	if (ctx->negate) {
		if (p != NULL) {
			conf_isakmp_policy_del(isk, p);
			conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
		}
		return CMD_OK;
	}
	if (p == NULL) {
		p = conf_isakmp_policy_add(isk, (uint16_t)prio);
		if (p == NULL)
			return cmd_error(ctx, "Out of memory");
		conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	}
	cmd_enter(ctx, MODE_ISAKMP_POLICY, &p->obj);
	return CMD_OK;
}

/*
 * (config-isakmp)# settings
 */
static int
isakmp_encryption(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	static const char *const algs[] = { "des", "3des", "aes", NULL };
	struct conf_isakmp_policy *p = isakmp_ctx_policy(ctx);
	int alg = cmd_word_index(algs, cmd_arg(a, "alg"));

	if (p == NULL)
		return isakmp_gone(ctx);
	if (ctx->negate) {
		p->encr = CONF_ISAKMP_ENCR_DES;
		p->encr_bits = 0;
		p->has &= ~(unsigned)CONF_ISAKMP_HAS_ENCR;
	} else {
		if (alg < 0)
			return CMD_ERR_INCOMPLETE;
		p->encr = (enum conf_isakmp_encr)alg;
		p->encr_bits = p->encr == CONF_ISAKMP_ENCR_AES
				       ? (uint16_t)cmd_arg_u32(a, "bits", 128) : 0;
		p->has |= CONF_ISAKMP_HAS_ENCR;
	}
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

static int
isakmp_hash(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	static const char *const algs[] = {
		"sha", "md5", "sha256", "sha384", "sha512", NULL,
	};
	struct conf_isakmp_policy *p = isakmp_ctx_policy(ctx);
	int alg = cmd_word_index(algs, cmd_arg(a, "alg"));

	if (p == NULL)
		return isakmp_gone(ctx);
	if (ctx->negate) {
		p->hash = CONF_ISAKMP_HASH_SHA;
		p->has &= ~(unsigned)CONF_ISAKMP_HAS_HASH;
	} else {
		if (alg < 0)
			return CMD_ERR_INCOMPLETE;
		p->hash = (enum conf_isakmp_hash)alg;
		p->has |= CONF_ISAKMP_HAS_HASH;
	}
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

static int
isakmp_auth(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	static const char *const methods[] = {
		"rsa-sig", "pre-share", "rsa-encr", NULL,
	};
	struct conf_isakmp_policy *p = isakmp_ctx_policy(ctx);
	int m = cmd_word_index(methods, cmd_arg(a, "method"));

	if (p == NULL)
		return isakmp_gone(ctx);
	if (ctx->negate) {
		p->auth = CONF_ISAKMP_AUTH_RSA_SIG;
		p->has &= ~(unsigned)CONF_ISAKMP_HAS_AUTH;
	} else {
		if (m < 0)
			return CMD_ERR_INCOMPLETE;
		p->auth = (enum conf_isakmp_auth)m;
		p->has |= CONF_ISAKMP_HAS_AUTH;
	}
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

static int
isakmp_group(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_isakmp_policy *p = isakmp_ctx_policy(ctx);
	uint32_t grp = cmd_arg_u32(a, "grp", 0);

	if (p == NULL)
		return isakmp_gone(ctx);
	if (ctx->negate) {
		p->group = CONF_ISAKMP_DEF_GROUP;
		p->has &= ~(unsigned)CONF_ISAKMP_HAS_GROUP;
	} else {
		if (grp == 0)
			return CMD_ERR_INCOMPLETE;
		p->group = (uint8_t)grp;
		p->has |= CONF_ISAKMP_HAS_GROUP;
	}
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

static int
isakmp_lifetime(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_isakmp_policy *p = isakmp_ctx_policy(ctx);
	uint32_t secs = cmd_arg_u32(a, "secs", 0);

	if (p == NULL)
		return isakmp_gone(ctx);
	if (ctx->negate) {
		p->lifetime = CONF_ISAKMP_DEF_LIFETIME;
		p->has &= ~(unsigned)CONF_ISAKMP_HAS_LIFETIME;
	} else {
		if (secs == 0)
			return CMD_ERR_INCOMPLETE;
		p->lifetime = secs;
		p->has |= CONF_ISAKMP_HAS_LIFETIME;
	}
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

/*
 * crypto isakmp key [0|6] KEY {address A [M] [no-xauth] | hostname H [no-xauth]}
 */
static int
isakmp_key_peer(struct cmd_ctx *ctx, const struct cmd_args *a,
		struct conf_isakmp_key *k)
{
	const char *host = cmd_arg(a, "host");

	if (host != NULL) {
		if (strlen(host) >= sizeof(k->host))
			return cmd_error(ctx, "Hostname too long");
		k->kind = CONF_ISAKMP_KEY_HOSTNAME;
		snprintf(k->host, sizeof(k->host), "%s", host);
		return 0;
	}
	if (cmd_arg_ip4(a, "addr", &k->addr) < 0)
		return CMD_ERR_INCOMPLETE;
	k->kind = CONF_ISAKMP_KEY_ADDRESS;
	k->mask_typed = cmd_arg_ip4(a, "mask", &k->mask) == 0;
	if (!k->mask_typed)
		/* IOS reads `address 0.0.0.0` alone as any peer */
		k->mask = k->addr == 0 ? 0 : 0xffffffffu;
	k->addr &= k->mask;
	return 0;
}

int
conf_isakmp_key_cmd(struct cmd_ctx *ctx, struct conf_isakmp *isk,
		    const struct cmd_args *a)
{
	const char *secret = cmd_arg(a, "key");
	struct conf_isakmp_key k = { 0 }, *old;
	int rc, taken;

	if (secret == NULL)
		return CMD_ERR_INCOMPLETE;
	if ((rc = isakmp_key_peer(ctx, a, &k)) != 0)
		return rc;
	if (ctx->negate) {
		if ((old = conf_isakmp_key_lookup(isk, &k)) != NULL) {
			conf_isakmp_key_del(isk, old);
			conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
		}
		return CMD_OK;
	}
	/* A type 6 key is decrypted with the master key; one that cannot
	 * be is kept locked, never used as it is (doc/cli.md). */
	if ((taken = conf_pwenc_take(ctx, cmd_arg_u32(a, "enc", 0), secret,
				     &k)) < 0)
		return CMD_WARNING;
	k.no_xauth = cmd_has(a, "no-xauth");
	rc = conf_isakmp_key_set(isk, &k);
	explicit_bzero(&k, sizeof(k));
	if (rc < 0)
		return cmd_error(ctx, "Out of memory");
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return taken == 0 ? CMD_OK : CMD_WARNING;
}

static int
isakmp_key(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return conf_isakmp_key_cmd(ctx, ctx->conf->isakmp, a);
}

/*
 * crypto isakmp keepalive / identity
 */
static int
isakmp_keepalive(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_isakmp_keepalive *ka = &ctx->conf->isakmp->keepalive;
	uint32_t secs = cmd_arg_u32(a, "secs", 0);
	const char *how = cmd_arg(a, "how");

	if (ctx->negate) {
		memset(ka, 0, sizeof(*ka));
		ka->retry = CONF_ISAKMP_DEF_KA_RETRY;
	} else {
		if (secs == 0)
			return CMD_ERR_INCOMPLETE;
		ka->set = true;
		ka->interval = (uint16_t)secs;
		ka->retry = (uint8_t)cmd_arg_u32(a, "retry",
						 CONF_ISAKMP_DEF_KA_RETRY);
		ka->periodic = how != NULL && strcmp(how, "periodic") == 0;
	}
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

static int
isakmp_identity(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	static const char *const ids[] = { "address", "dn", "hostname", NULL };
	int id = cmd_word_index(ids, cmd_arg(a, "id"));

	if (ctx->negate)
		id = CONF_ISAKMP_ID_ADDRESS;
	else if (id < 0)
		return CMD_ERR_INCOMPLETE;
	ctx->conf->isakmp->identity = (enum conf_isakmp_identity)id;
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

/*
 * crypto isakmp legacy-algorithms: our switch (doc/gdoi.md) for DH groups
 * 2 and 5, 3DES and SHA-1, which older IOS boxes and the GDOI reference
 * implementation still propose; off, they are neither offered nor taken.
 */
static int
isakmp_legacy(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->conf->isakmp->legacy = !ctx->negate;
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

/*
 * crypto isakmp dh-reuse [SECONDS]: how long one responder key pair may
 * serve new Main Mode exchanges; `no` makes a pair per exchange
 * (doc/protocol.md §3.3 "Responder key pair reuse").  Our command: IOS
 * has no counterpart.
 */
static int
isakmp_dh_reuse(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	uint32_t secs = cmd_arg_u32(a, "secs", CONF_ISAKMP_DEF_DH_REUSE);

	ctx->conf->isakmp->dh_reuse = ctx->negate ? 0 : (uint16_t)secs;
	conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	return CMD_OK;
}

const struct cmd_def conf_isakmp_cmds[] = {
	{ MODE_CONFIG, "crypto isakmp policy <1-10000>$prio",
	  ISAKMP_HELP "Set policy for an ISAKMP protection suite\n"
	  "Priority of protection suite\n",
	  isakmp_policy, 0 },
	{ MODE_CONFIG, "crypto isakmp key [{0|6}$enc] WORD$key "
	  "{address A.B.C.D$addr [M.M.M.M$mask] [no-xauth]|"
	  "hostname WORD$host [no-xauth]}",
	  ISAKMP_HELP "Set pre-shared key for remote peer\n"
	  "Specifies an UNENCRYPTED password will follow\n"
	  "Specifies an ENCRYPTED password will follow\n"
	  "The UNENCRYPTED (cleartext) user password\n"
	  "define shared key with IP address\n"
	  "IP address of remote peer\n"
	  "Peer address mask\n"
	  "Bypass XAuth for this peer\n"
	  "define shared key with hostname\n"
	  "Hostname of peer\n"
	  "Bypass XAuth for this peer\n",
	  isakmp_key, CMD_F_SECRET },
	{ MODE_CONFIG, "crypto isakmp keepalive <10-3600>$secs [<2-60>$retry] "
	  "[{on-demand|periodic}$how]",
	  ISAKMP_HELP "Set a keepalive interval for use with IOS peers\n"
	  "number of seconds between keep alives\n"
	  "number of seconds between retries if keep alive fails\n"
	  "Send keepalives on demand\n"
	  "Send keepalives periodically\n",
	  isakmp_keepalive, 0 },
	{ MODE_CONFIG, "crypto isakmp legacy-algorithms",
	  ISAKMP_HELP "Allow DH groups 2/5, 3DES and SHA-1 for older peers\n",
	  isakmp_legacy, 0 },
	{ MODE_CONFIG, "crypto isakmp dh-reuse [<1-60>$secs]",
	  ISAKMP_HELP "Let one responder DH key pair serve several exchanges\n"
	  "Seconds a key pair may serve new exchanges (default 1)\n",
	  isakmp_dh_reuse, 0 },
	{ MODE_CONFIG, "crypto isakmp identity {address|dn|hostname}$id",
	  ISAKMP_HELP "Set the identity which ISAKMP will use\n"
	  "Use the IP address of the interface for the identity\n"
	  "Use the distinguished name of the router cert for the identity\n"
	  "Use the hostname of the router for the identity\n",
	  isakmp_identity, 0 },
	/* (config-isakmp)# */
	{ MODE_ISAKMP_POLICY, "encryption {des|3des|aes [{128|192|256}$bits]}$alg",
	  "Set encryption algorithm for protection suite\n"
	  "DES - Data Encryption Standard (56 bit keys).\n"
	  "Three key triple DES\n"
	  "AES - Advanced Encryption Standard.\n"
	  "128 bit keys.\n192 bit keys.\n256 bit keys.\n",
	  isakmp_encryption, 0 },
	{ MODE_ISAKMP_POLICY, "hash {md5|sha|sha256|sha384|sha512}$alg",
	  "Set hash algorithm for protection suite\n"
	  "Message Digest 5\n"
	  "Secure Hash Standard\n"
	  "Secure Hash Standard 2 (256 bit)\n"
	  "Secure Hash Standard 2 (384 bit)\n"
	  "Secure Hash Standard 2 (512 bit)\n",
	  isakmp_hash, 0 },
	{ MODE_ISAKMP_POLICY, "authentication {pre-share|rsa-encr|rsa-sig}$method",
	  "Set authentication method for protection suite\n"
	  "Pre-Shared Key\n"
	  "Rivest-Shamir-Adleman Encryption\n"
	  "Rivest-Shamir-Adleman Signature\n",
	  isakmp_auth, 0 },
	{ MODE_ISAKMP_POLICY, "group {1|2|5|14|15|16|19|20|21|24}$grp",
	  "Set the Diffie-Hellman group\n"
	  "Diffie-Hellman group 1 (768 bit)\n"
	  "Diffie-Hellman group 2 (1024 bit)\n"
	  "Diffie-Hellman group 5 (1536 bit)\n"
	  "Diffie-Hellman group 14 (2048 bit)\n"
	  "Diffie-Hellman group 15 (3072 bit)\n"
	  "Diffie-Hellman group 16 (4096 bit)\n"
	  "Diffie-Hellman group 19 (256 bit ecp)\n"
	  "Diffie-Hellman group 20 (384 bit ecp)\n"
	  "Diffie-Hellman group 21 (521 bit ecp)\n"
	  "Diffie-Hellman group 24 (2048 bit, 256 bit subgroup)\n",
	  isakmp_group, 0 },
	{ MODE_ISAKMP_POLICY, "lifetime <60-86400>$secs",
	  "Set lifetime for ISAKMP security association\n"
	  "lifetime in seconds\n",
	  isakmp_lifetime, 0 },
	{ .spec = NULL },
};
