/*
 * null: the recording backend (see ipsec/null.h).  SAs are kept (keys
 * wiped on removal) so tests can inspect what a GM installed.
 */
#include "ipsec/null.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define NULL_MAX_SA 256
#define NULL_MAX_POLICY 1024

struct null_state {
	struct ipsec_sa sa[NULL_MAX_SA];
	size_t nsa;
	struct ipsec_policy pol[NULL_MAX_POLICY];
	size_t npol;
	unsigned n_sa_add, n_sa_del, n_policy_add, n_policy_flush, n_flush;
};

static int
null_init(struct ipsec_ctx *ctx, struct evloop *loop, char *err, size_t errlen)
{
	ctx->priv = calloc(1, sizeof(struct null_state));
	return ctx->priv ? 0 : -1;
}

static void
null_fini(struct ipsec_ctx *ctx)
{
	struct null_state *st = ctx->priv;

	if (st == NULL)
		return;
	OPENSSL_cleanse(st->sa, sizeof(st->sa));
	free(st);
	ctx->priv = NULL;
}

static int
find_sa(const struct null_state *st, uint32_t spi, enum ipsec_dir dir)
{
	for (size_t i = 0; i < st->nsa; i++)
		if (st->sa[i].spi == spi && st->sa[i].dir == dir)
			return (int)i;
	return -1;
}

static int
null_sa_add(struct ipsec_ctx *ctx, const struct ipsec_sa *sa)
{
	struct null_state *st = ctx->priv;
	int i = find_sa(st, sa->spi, sa->dir);

	st->n_sa_add++;
	if (i < 0) {
		if (st->nsa == NULL_MAX_SA)
			return -1;
		i = (int)st->nsa++;
	}
	st->sa[i] = *sa;
	return 0;
}

static int
null_sa_del(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir)
{
	struct null_state *st = ctx->priv;
	int i = find_sa(st, spi, dir);

	st->n_sa_del++;
	if (i < 0)
		return -1;
	ipsec_sa_wipe(&st->sa[i]);
	st->sa[i] = st->sa[--st->nsa];
	return 0;
}

static int
null_sa_stats(struct ipsec_ctx *ctx, uint32_t spi, enum ipsec_dir dir,
	      struct ipsec_stats *out)
{
	memset(out, 0, sizeof(*out));
	return find_sa(ctx->priv, spi, dir) < 0 ? -1 : 0;
}

static int
null_policy_add(struct ipsec_ctx *ctx, const struct ipsec_policy *p)
{
	struct null_state *st = ctx->priv;

	st->n_policy_add++;
	if (st->npol == NULL_MAX_POLICY)
		return -1;
	st->pol[st->npol++] = *p;
	return 0;
}

static int
null_policy_flush(struct ipsec_ctx *ctx, uint32_t group_id)
{
	struct null_state *st = ctx->priv;
	size_t k = 0;

	st->n_policy_flush++;
	for (size_t i = 0; i < st->npol; i++)
		if (st->pol[i].group_id != group_id)
			st->pol[k++] = st->pol[i];
	st->npol = k;
	return 0;
}

static int
null_flush(struct ipsec_ctx *ctx)
{
	struct null_state *st = ctx->priv;

	st->n_flush++;
	OPENSSL_cleanse(st->sa, sizeof(st->sa));
	st->nsa = 0;
	st->npol = 0;
	return 0;
}

const struct ipsec_backend ipsec_null_backend = {
	.name = "null",
	.init = null_init,
	.fini = null_fini,
	.sa_add = null_sa_add,
	.sa_del = null_sa_del,
	.sa_stats = null_sa_stats,
	.policy_add = null_policy_add,
	.policy_flush = null_policy_flush,
	.flush = null_flush,
};

size_t
ipsec_null_sa_count(const struct ipsec_ctx *ctx)
{
	return ((const struct null_state *)ctx->priv)->nsa;
}

const struct ipsec_sa *
ipsec_null_sa(const struct ipsec_ctx *ctx, size_t i)
{
	const struct null_state *st = ctx->priv;

	return i < st->nsa ? &st->sa[i] : NULL;
}

size_t
ipsec_null_policy_count(const struct ipsec_ctx *ctx)
{
	return ((const struct null_state *)ctx->priv)->npol;
}

const struct ipsec_policy *
ipsec_null_policy(const struct ipsec_ctx *ctx, size_t i)
{
	const struct null_state *st = ctx->priv;

	return i < st->npol ? &st->pol[i] : NULL;
}

unsigned
ipsec_null_calls(const struct ipsec_ctx *ctx, const char *op)
{
	const struct null_state *st = ctx->priv;

	if (strcmp(op, "sa_add") == 0)
		return st->n_sa_add;
	if (strcmp(op, "sa_del") == 0)
		return st->n_sa_del;
	if (strcmp(op, "policy_add") == 0)
		return st->n_policy_add;
	if (strcmp(op, "policy_flush") == 0)
		return st->n_policy_flush;
	if (strcmp(op, "flush") == 0)
		return st->n_flush;
	return 0;
}
