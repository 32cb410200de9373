/*
 * ipsec: the open/close wrappers around a backend (ipsec/backend.c finds
 * one) and what every backend shares.
 */
#include "ipsec/ipsec.h"

#include <openssl/crypto.h>
#include <stdio.h>

int
ipsec_open(struct ipsec_ctx *ctx, const struct ipsec_backend *be,
	   struct evloop *loop, char *err, size_t errlen)
{
	ctx->be = be;
	ctx->priv = NULL;
	if (errlen > 0)
		err[0] = '\0';
	if (be->init(ctx, loop, err, errlen) < 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s backend: cannot start", be->name);
		ctx->be = NULL;
		return -1;
	}
	return 0;
}

void
ipsec_close(struct ipsec_ctx *ctx)
{
	if (ctx->be != NULL)
		ctx->be->fini(ctx);
	ctx->be = NULL;
}

void
ipsec_sa_wipe(struct ipsec_sa *sa)
{
	OPENSSL_cleanse(sa->enc_key, sizeof(sa->enc_key));
	OPENSSL_cleanse(sa->auth_key, sizeof(sa->auth_key));
}
