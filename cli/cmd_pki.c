/*
 * cmd_pki: `crypto pki import` and `show crypto pki certificates`
 * (doc/pki.md), on top of roles/pki.h and the key store.
 *
 * IOS imports PEM from the terminal or a URL; getvpn reads three PEM
 * files (CA certificate(s), the router's certificate, its private key),
 * checks them and keeps them in the key directory.  A successful import
 * is applied to the running roles at once, so the next Phase 1 uses the
 * new certificate without a config change.
 */
#include "cli/cmd_pki.h"

#include <stdio.h>
#include <time.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_pki.h"
#include "platform/showout.h"
#include "platform/term.h"
#include "roles/pki.h"
#include "roles/router.h"

static struct cli_env *
pki_env(const struct cmd_ctx *ctx)
{
	return ctx->session != NULL ? cli_session_env(ctx->session) : NULL;
}

static int
pki_no_store(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "No key storage configured "
			 "(start getvpn with -k DIR)");
}

static int
pki_import_cmd(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cli_env *env = pki_env(ctx);
	const char *name = cmd_arg(a, "name");
	const struct conf_pki_tp *tp;
	struct pki_import_info info;
	const char *label;
	char err[512];

	if (env == NULL || env->keys == NULL)
		return pki_no_store(ctx);
	tp = conf_pki_tp_find(ctx->conf->pki, name);
	if (tp == NULL)
		return cmd_error(ctx, "Trustpoint %s not found.", name);
	label = conf_pki_tp_label(tp);
	if (pki_import(env->keys, name, label, cmd_arg(a, "ca"),
		       cmd_arg(a, "cert"), cmd_arg(a, "key"), time(NULL),
		       &info, err, sizeof(err)) < 0)
		return cmd_error(ctx, "%s", err);
	term_printf(ctx->out, "Trustpoint CA certificate accepted.\n");
	if (info.replaced)
		term_printf(ctx->out, "%% The RSA key pair %s was replaced.\n",
			    label);
	term_printf(ctx->out, "%% Key pair import succeeded.\n"
		    "%% Certificate successfully imported\n");
	/* the groups signing with this key follow at the commit */
	conf_changes_mark(&ctx->conf->changes, CONF_AREA_KEY, label);
	conf_changes_mark(&ctx->conf->changes, CONF_AREA_PKI, name);
	return CMD_OK;
}

static int
pki_show_cmd(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cli_env *env = pki_env(ctx);
	const char *name = cmd_arg(a, "name");

	if (env == NULL || env->keys == NULL)
		return pki_no_store(ctx);
	if (pki_show_certificates(ctx->conf, env->keys, name, ctx->show) < 0)
		return cmd_error(ctx, "Trustpoint %s not found.", name);
	return CMD_OK;
}

const struct cmd_def cli_pki_cmds[] = {
	{ MODE_CONFIG, "crypto pki import WORD$name pem file WORD$ca "
	  "WORD$cert WORD$key",
	  "\n\nImport certificates and keys to a trustpoint\n"
	  "Trustpoint name\n"
	  "Privacy Enhanced Mail (PEM) format\n"
	  "Read the CA certificate, certificate and key from files\n"
	  "CA certificate(s) PEM file\n"
	  "This router's certificate PEM file\n"
	  "Its private key PEM file (unencrypted)\n",
	  pki_import_cmd, CMD_F_NO_NEGATE },
	{ MODE_EXEC, "show crypto pki certificates [WORD$name]",
	  "\n\nPublic Key components\nShow certificates\nTrustpoint name\n",
	  pki_show_cmd, CMD_F_SHOW },
	{ .spec = NULL },
};
