/*
 * backend: the registry of data plane backends (ipsec/ipsec.h): by name,
 * or the "auto" choice.  The Makefile decides which backends are built;
 * this table is the only place that lists them.
 */
#include "ipsec/ipsec.h"

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
