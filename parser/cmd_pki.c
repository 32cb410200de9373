/*
 * cmd_pki: the trustpoint commands (doc/pki.md):
 *   crypto pki trustpoint NAME            -> (ca-trustpoint)#
 *     enrollment terminal [pem] / subject-name LINE /
 *     revocation-check none / rsakeypair LABEL
 *
 * `no crypto pki trustpoint NAME` removes the configuration only: the
 * imported certificates stay in the key directory (as key pairs do) and
 * serve again if the trustpoint is configured again.  Importing is
 * `crypto pki import` (cli/cmd_pki.c), an executed command.
 */
#include "parser/conf_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"

#define PKI_HELP "Encryption module\nPublic Key components\n"

static struct conf_pki_tp *
pki_ctx_tp(struct cmd_ctx *ctx)
{
	struct conf_obj *o = cmd_node(ctx, MODE_PKI_TRUSTPOINT);

	return o != NULL && !o->dead ? (struct conf_pki_tp *)o : NULL;
}

static int
pki_gone(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "The trustpoint has been removed.");
}

static int
pki_bad_name(struct cmd_ctx *ctx, const char *what, const char *name)
{
	return cmd_error(ctx, "Invalid %s \"%s\": use 1-%d characters of "
			 "A-Z a-z 0-9 . _ - not starting with '.'", what, name,
			 CONF_PKI_NAME_MAX);
}

/*
 * crypto pki trustpoint NAME
 */
static int
pki_trustpoint(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pki *pki = ctx->conf->pki;
	const char *name = cmd_arg(a, "name");
	struct conf_pki_tp *tp;

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	tp = conf_pki_tp_lookup(pki, name);
	if (ctx->negate) {
		if (tp != NULL) {
			conf_pki_tp_del(pki, tp);
			conf_touch(ctx->conf, CONF_AREA_PKI, NULL);
		}
		return CMD_OK;
	}
	if (!conf_pki_name_ok(name))
		return pki_bad_name(ctx, "trustpoint name", name);
	if (tp == NULL) {
		if ((tp = conf_pki_tp_add(pki, name)) == NULL)
			return cmd_error(ctx, "Out of memory");
		conf_touch(ctx->conf, CONF_AREA_PKI, NULL);
	}
	cmd_enter(ctx, MODE_PKI_TRUSTPOINT, &tp->obj);
	return CMD_OK;
}

/*
 * (ca-trustpoint)# settings
 */
static int
tp_rsakeypair(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pki_tp *tp = pki_ctx_tp(ctx);
	const char *label = cmd_arg(a, "label");

	if (tp == NULL)
		return pki_gone(ctx);
	if (ctx->negate) {
		tp->rsakeypair[0] = '\0';
	} else {
		if (label == NULL)
			return CMD_ERR_INCOMPLETE;
		if (!conf_pki_name_ok(label))
			return pki_bad_name(ctx, "key label", label);
		snprintf(tp->rsakeypair, sizeof(tp->rsakeypair), "%s", label);
	}
	conf_touch(ctx->conf, CONF_AREA_PKI, NULL);
	return CMD_OK;
}

static int
tp_enrollment(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pki_tp *tp = pki_ctx_tp(ctx);

	if (tp == NULL)
		return pki_gone(ctx);
	if (ctx->negate)
		tp->enroll = CONF_PKI_ENROLL_NONE;
	else
		tp->enroll = cmd_has(a, "pem") ? CONF_PKI_ENROLL_TERMINAL_PEM
					       : CONF_PKI_ENROLL_TERMINAL;
	conf_touch(ctx->conf, CONF_AREA_PKI, NULL);
	return CMD_OK;
}

static int
tp_revocation(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pki_tp *tp = pki_ctx_tp(ctx);

	if (tp == NULL)
		return pki_gone(ctx);
	tp->revocation_none = !ctx->negate;
	conf_touch(ctx->conf, CONF_AREA_PKI, NULL);
	return CMD_OK;
}

static int
tp_subject(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_pki_tp *tp = pki_ctx_tp(ctx);
	const char *text = cmd_arg(a, "subject");
	char *s = NULL;

	if (tp == NULL)
		return pki_gone(ctx);
	if (!ctx->negate) {
		if (text == NULL)
			return CMD_ERR_INCOMPLETE;
		if (strlen(text) > CONF_PKI_SUBJECT_MAX)
			return cmd_error(ctx, "Subject name too long (max %d "
					 "characters)", CONF_PKI_SUBJECT_MAX);
		if ((s = strdup(text)) == NULL)
			return cmd_error(ctx, "Out of memory");
	}
	free(tp->subject);
	tp->subject = s;
	conf_touch(ctx->conf, CONF_AREA_PKI, NULL);
	return CMD_OK;
}

const struct cmd_def conf_pki_cmds[] = {
	{ MODE_CONFIG, "crypto pki trustpoint WORD$name",
	  PKI_HELP "Define a CA trustpoint\nTrustpoint name\n",
	  pki_trustpoint, 0 },
	/* (ca-trustpoint)# */
	{ MODE_PKI_TRUSTPOINT, "enrollment terminal [pem]",
	  "Enrollment parameters\n"
	  "Enroll via the terminal (cut-and-paste)\n"
	  "Request and expect certificates in PEM format\n",
	  tp_enrollment, 0 },
	{ MODE_PKI_TRUSTPOINT, "revocation-check none",
	  "Revocation checking options\n"
	  "Ignore revocation check\n",
	  tp_revocation, 0 },
	{ MODE_PKI_TRUSTPOINT, "rsakeypair WORD$label",
	  "Specify the key pair to be used with this trustpoint\n"
	  "Key pair label\n",
	  tp_rsakeypair, 0 },
	{ MODE_PKI_TRUSTPOINT, "subject-name LINE$subject",
	  "Subject Name\n"
	  "Subject name, e.g. cn=gm1,o=Lab\n",
	  tp_subject, 0 },
	{ .spec = NULL },
};
