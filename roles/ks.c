/*
 * ks: the key server side of a group (see roles/ks.h).  The policy is
 * rebuilt from the config on every change, but its keys are kept when
 * nothing a member would see changed (so typing an unrelated line does
 * not rekey the group).  Show output follows doc/ios-cli.md §5.1(e), §5.4
 * and §5.6.
 */
#include "roles/ks.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_acl.h"
#include "parser/conf_gdoi.h"
#include "platform/term.h"
#include "roles/gdoi_log.h"
#include "roles/ks_policy.h"
#include "roles/members.h"

struct ks_group *
ks_group_new(const char *name)
{
	struct ks_group *ks = calloc(1, sizeof(*ks));

	if (ks == NULL || (ks->members = members_new()) == NULL) {
		free(ks);
		return NULL;
	}
	snprintf(ks->name, sizeof(ks->name), "%s", name);
	ks->next_sid = 1;
	return ks;
}

void
ks_group_free(struct ks_group *ks)
{
	if (ks == NULL)
		return;
	gdoi_policy_wipe(&ks->policy);
	members_free(ks->members);
	free(ks);
}

/* Everything but SPIs and keys: what a member would notice changing. */
static bool
same_shape(const struct gdoi_policy *a, const struct gdoi_policy *b)
{
	struct gdoi_policy *x = malloc(sizeof(*x)), *y = malloc(sizeof(*y));
	bool same = false;

	if (x == NULL || y == NULL)
		goto out;
	memcpy(x, a, sizeof(*x));
	memcpy(y, b, sizeof(*y));
	for (struct gdoi_policy *p = x; p != NULL; p = p == x ? y : NULL) {
		memset(p->kek.spi, 0, sizeof(p->kek.spi));
		gdoi_policy_wipe(p);
		for (size_t i = 0; i < GDOI_MAX_TEK; i++)
			p->tek[i].spi = 0;
		p->nsid = 0;
	}
	same = memcmp(x, y, sizeof(*x)) == 0;
out:
	if (x != NULL)
		gdoi_policy_wipe(x);
	if (y != NULL)
		gdoi_policy_wipe(y);
	free(x);
	free(y);
	return same;
}

void
ks_group_apply(struct ks_group *ks, const struct conf *c,
	       const struct conf_gdoi_group *g, const struct keystore *keys,
	       uint64_t now_ms)
{
	struct gdoi_policy *p = malloc(sizeof(*p));
	uint16_t sa_of_tek[GDOI_MAX_TEK];
	char why[sizeof(ks->why)];

	ks->id = g->identity_number;
	if (p == NULL)
		return;
	if (ks_policy_build(c, g, keys, p, sa_of_tek, why, sizeof(why)) < 0) {
		if (ks->ready || strcmp(why, ks->why) != 0) {
			if (strncmp(why, "RSA Key", 7) == 0)
				gdoi_log(GDOI_MSG_KS_NO_RSA_KEYS,
					 g->server->rekey_rsa, g->name);
		}
		ks->ready = false;
		snprintf(ks->why, sizeof(ks->why), "%s", why);
		gdoi_policy_wipe(&ks->policy);
		goto out;
	}
	if (!ks->ready || !same_shape(&ks->policy, p)) {
		gdoi_policy_wipe(&ks->policy);
		memcpy(&ks->policy, p, sizeof(*p));
		memcpy(ks->sa_of_tek, sa_of_tek, sizeof(sa_of_tek));
		ks->policy_ms = now_ms;
	}
	ks->ready = true;
	ks->why[0] = '\0';
out:
	gdoi_policy_wipe(p);
	free(p);
}

/* A standard ACL: first matching entry decides, no match denies. */
bool
ks_group_authorized(const struct conf *c, const struct conf_gdoi_group *g,
		    uint32_t peer)
{
	const struct conf_gdoi_server *s = g->server;
	const struct conf_acl *acl;

	if (s == NULL || !(s->has & CONF_GDOI_KS_HAS_AUTH_ACL))
		return true;
	acl = conf_acl_find(c->acls, s->auth_acl);
	if (acl == NULL)
		return false;
	for (const struct conf_acl_entry *e = acl->head; e; e = e->next) {
		if (e->action == CONF_ACL_REMARK)
			continue;
		if ((peer & ~e->src.wild) == e->src.addr)
			return e->action == CONF_ACL_PERMIT;
	}
	return false;
}

uint32_t
ks_remaining(uint32_t life, uint64_t since_ms, uint64_t now_ms)
{
	uint64_t gone = now_ms > since_ms ? (now_ms - since_ms) / 1000 : 0;

	return gone >= life ? 0 : life - (uint32_t)gone;
}

void
ks_group_policy_now(const struct ks_group *ks, uint64_t now_ms,
		    struct gdoi_policy *out)
{
	memcpy(out, &ks->policy, sizeof(*out));
	out->kek.lifetime_s = ks_remaining(ks->policy.kek.lifetime_s,
					ks->policy_ms, now_ms);
	for (size_t i = 0; i < out->ntek; i++) {
		out->tek[i].lifetime_s = ks_remaining(ks->policy.tek[i].lifetime_s,
						   ks->policy_ms, now_ms);
		out->tek[i].pseudotime_ms = now_ms - ks->policy_ms;
	}
}

size_t
ks_group_grant_sids(struct ks_group *ks, size_t count, uint32_t *sids)
{
	uint32_t max = ks->policy.sid_bits ? (1u << ks->policy.sid_bits) - 1 : 0;
	size_t n = 0;

	while (n < count && ks->next_sid != 0 && ks->next_sid <= max)
		sids[n++] = ks->next_sid++;
	return n;
}

void
ks_group_clear(struct ks_group *ks, const struct conf *c,
	       const struct conf_gdoi_group *g, const struct keystore *keys,
	       uint64_t now_ms)
{
	members_clear(ks->members);
	ks->ready = false;	/* forces fresh keys */
	ks->next_sid = 1;
	ks_group_apply(ks, c, g, keys, now_ms);
	gdoi_log(GDOI_MSG_KS_CLEAR_REGISTER, ks->name);
}
