/*
 * null: a backend that installs nothing and records every call, so tests
 * can check what an engine asked the data plane to do.
 */
#ifndef IPSEC_NULL_H
#define IPSEC_NULL_H

#include <stddef.h>

#include "ipsec/ipsec.h"

extern const struct ipsec_backend ipsec_null_backend;

/* The SAs and policies currently installed through ctx (a null backend). */
size_t ipsec_null_sa_count(const struct ipsec_ctx *ctx);
const struct ipsec_sa *ipsec_null_sa(const struct ipsec_ctx *ctx, size_t i);
size_t ipsec_null_policy_count(const struct ipsec_ctx *ctx);
const struct ipsec_policy *ipsec_null_policy(const struct ipsec_ctx *ctx,
					     size_t i);
/* Number of calls of each kind since open (sa_add, sa_del, policy_add ...). */
unsigned ipsec_null_calls(const struct ipsec_ctx *ctx, const char *op);

#endif
