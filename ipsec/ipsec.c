/*
 * ipsec: the backend registry and the open/close wrappers.  The Makefile
 * decides which backends are built; this table is the only place that
 * lists them.
 */
#include "ipsec/ipsec.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "ipsec/null.h"
#include "ipsec/user.h"
#include "ipsec/xfrm.h"
#include "platform/log.h"

static const struct ipsec_backend *const backends[] = {
	&ipsec_null_backend,
	&ipsec_user_backend,
	&ipsec_xfrm_backend,
};

const struct ipsec_backend *
ipsec_backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(*backends); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

const struct ipsec_backend *
ipsec_backend_auto(char *why, size_t whylen)
{
	char local[256];

	if (why == NULL || whylen == 0) {
		why = local;
		whylen = sizeof(local);
	}
	if (ipsec_xfrm_usable(why, whylen) == 0)
		return &ipsec_xfrm_backend;
	log_info("%s; using the user data plane", why);
	return &ipsec_user_backend;
}

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
