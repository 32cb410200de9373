/*
 * cmd_key_pem: `crypto key export rsa LABEL pem {terminal|url FILE}
 * {3des|aes} PASSPHRASE` and `crypto key import rsa LABEL [pem]
 * [exportable] {terminal|url FILE} PASSPHRASE` (doc/ios-cli.md §2.4,
 * doc/keyserver.md "Moving a key pair"): how cooperating key servers come
 * to hold one rekey key pair.  terminal prints the two PEM blocks or asks
 * for them to be pasted, as IOS does; url is a local file name FILE, the
 * public key in FILE.pub and the encrypted private key in FILE.prv (as
 * IOS names them).
 */
#include "cli/cmd_key.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/term.h"
#include "roles/keystore.h"

#define PEM_MAX 16384		/* one pasted or read PEM text */

/* An import in progress: what the dialog has collected so far. */
struct key_import {
	char label[64];
	char pass[1024];
	bool exportable;
	bool in_private;	/* the public key is complete */
	char text[2][PEM_MAX];	/* public, private */
	size_t len[2];
};

static void
import_free(struct key_import *im)
{
	explicit_bzero(im, sizeof(*im));
	free(im);
}

static int
import_finish(struct cli_env *env, struct key_import *im, struct term *out)
{
	char err[256];
	int rc = 0;

	if (env->keys == NULL) {
		term_puts(out, "% No key storage configured (start getvpn with "
			  "-k DIR)\n");
		rc = -1;
	} else if (keystore_import_pem(env->keys, im->label, im->text[0],
				       im->text[1], im->pass, im->exportable,
				       err, sizeof(err)) < 0) {
		term_printf(out, "%% Key pair import failed: %s.\n", err);
		rc = -1;
	} else {
		conf_changes_mark(&env->conf->changes, CONF_AREA_KEY,
				  im->label);
		term_puts(out, "% Key pair import succeeded.\n");
	}
	import_free(im);
	return rc;
}

static void
import_ask_private(struct term *out)
{
	term_puts(out, "% Enter PEM-formatted encrypted private General "
		  "Purpose key.\n% End with \"quit\" on a line by itself.\n");
}

/* One pasted line: the public key ends at a blank line or quit, the
 * private key at quit. */
static int
import_line(struct cli_session *s, const char *line, struct term *out,
	    void *arg)
{
	struct key_import *im = arg;
	int part = im->in_private;
	size_t n = strlen(line);

	if (out == NULL) {		/* the session ended mid-paste */
		import_free(im);
		return -1;
	}
	if (strcmp(line, "quit") == 0 || (part == 0 && n == 0)) {
		if (part == 1)
			return import_finish(cli_session_env(s), im, out);
		im->in_private = true;
		import_ask_private(out);
	} else if (im->len[part] + n + 2 > PEM_MAX) {
		term_puts(out, "% Key pair import failed: PEM text too long.\n");
		import_free(im);
		return -1;
	} else {
		memcpy(im->text[part] + im->len[part], line, n);
		im->len[part] += n;
		im->text[part][im->len[part]++] = '\n';
		im->text[part][im->len[part]] = '\0';
	}
	cli_session_collect(s, import_line, im);
	return 0;
}

/* FILE.pub and FILE.prv into im; -1 with a message. */
static int
import_read(struct cmd_ctx *ctx, const char *url, struct key_import *im)
{
	static const char *const ext[2] = { "pub", "prv" };

	for (int i = 0; i < 2; i++) {
		char path[4096];
		char *buf;
		size_t len;

		snprintf(path, sizeof(path), "%s.%s", url, ext[i]);
		if (file_read_all(path, PEM_MAX - 1, &buf, &len) < 0)
			return cmd_error(ctx, "Cannot read %s: %s", path,
					 strerror(errno));
		memcpy(im->text[i], buf, len + 1);
		im->len[i] = len;
		explicit_bzero(buf, len);
		free(buf);
	}
	return 0;
}

static int
key_import(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *url = cmd_arg(a, "url");
	struct key_import *im;

	if (cmd_arg_count(a, "exportable") > 1)
		return cmd_error(ctx, "Each option may be given only once.");
	if (strlen(cmd_arg(a, "pass")) >= sizeof(im->pass) ||
	    strlen(cmd_arg(a, "name")) >= sizeof(im->label))
		return cmd_error(ctx, "Label or passphrase too long.");
	if ((im = calloc(1, sizeof(*im))) == NULL)
		return cmd_error(ctx, "Out of memory");
	snprintf(im->label, sizeof(im->label), "%s", cmd_arg(a, "name"));
	snprintf(im->pass, sizeof(im->pass), "%s", cmd_arg(a, "pass"));
	im->exportable = cmd_has(a, "exportable");
	if (url == NULL) {
		term_puts(ctx->out, "% Enter PEM-formatted public General "
			  "Purpose key or certificate.\n% End with a blank "
			  "line or \"quit\" on a line by itself.\n");
		cli_session_collect(ctx->session, import_line, im);
		return CMD_OK;
	}
	if (import_read(ctx, url, im) < 0) {
		import_free(im);
		return CMD_WARNING;
	}
	return import_finish(cli_session_env(ctx->session), im, ctx->out) < 0
		? CMD_WARNING : CMD_OK;
}

static int
export_write(struct cmd_ctx *ctx, const char *url, const char *pub,
	     const char *prv)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s.pub", url);
	if (file_write_atomic(path, pub, strlen(pub), 0644) < 0)
		return cmd_error(ctx, "Cannot write %s: %s", path,
				 strerror(errno));
	snprintf(path, sizeof(path), "%s.prv", url);
	if (file_write_atomic(path, prv, strlen(prv), 0600) < 0)
		return cmd_error(ctx, "Cannot write %s: %s", path,
				 strerror(errno));
	return CMD_OK;
}

static int
key_export(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cli_env *env = cli_session_env(ctx->session);
	const char *label = cmd_arg(a, "name"), *url = cmd_arg(a, "url");
	char *pub, *prv, err[256];
	int rc = CMD_OK;

	if (env == NULL || env->keys == NULL)
		return cmd_error(ctx, "No key storage configured (start getvpn "
				 "with -k DIR)");
	if (keystore_export_pem(env->keys, label, cmd_arg(a, "cipher"),
				cmd_arg(a, "pass"), &pub, &prv, err,
				sizeof(err)) < 0)
		return cmd_error(ctx, "%s", err);
	if (url != NULL)
		rc = export_write(ctx, url, pub, prv);
	else
		term_printf(ctx->out, "%% Key name: %s\n   Usage: General "
			    "Purpose Key\n   Key data:\n%s%s", label, pub, prv);
	keystore_pem_free(pub);
	keystore_pem_free(prv);
	return rc;
}

#define KEY_HELP "Encryption module\nLong term key operations\n"
#define PEM_TO_HELP							\
	"File format of the key\nExport or import through the terminal\n" \
	"Export or import through a file\nFile name (FILE.pub, FILE.prv)\n"

const struct cmd_def cli_key_pem_cmds[] = {
	{ MODE_CONFIG,
	  "crypto key export rsa WORD$name pem {terminal|url WORD$url} "
	  "{3des$cipher|aes$cipher|des$cipher} WORD$pass",
	  KEY_HELP "Export keys\nExport RSA keys\nRSA keypair label\n"
	  PEM_TO_HELP "Encrypt the private key with 3DES\n"
	  "Encrypt the private key with AES\n"
	  "Encrypt the private key with DES (refused: too weak)\n"
	  "Passphrase used to protect the private key\n",
	  key_export, CMD_F_NO_NEGATE | CMD_F_SECRET },
	{ MODE_CONFIG,
	  "crypto key import rsa WORD$name [pem] [exportable] "
	  "{terminal|url WORD$url} [exportable] WORD$pass",
	  KEY_HELP "Import keys\nImport RSA keys\nRSA keypair label\n"
	  "File format of the key\nAllow the key to be exported\n"
	  "Import through the terminal\nImport through a file\n"
	  "File name (FILE.pub, FILE.prv)\nAllow the key to be exported\n"
	  "Passphrase used to protect the private key\n",
	  key_import, CMD_F_NO_NEGATE | CMD_F_SECRET },
	{ .spec = NULL },
};
