/*
 * affects: config change -> engine objects to re-apply (roles/affects.h).
 * The dependencies listed here are the inputs of ks_policy_build() and
 * of the router's member-group setup; a new input goes here too.
 */
#include "roles/affects.h"

#include "parser/conf.h"
#include "parser/conf_change.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_ipsec.h"

static bool
profile_changed(const struct conf *c, const char *name,
		const struct conf_changes *ch)
{
	const struct conf_ipsec_profile *p;

	if (conf_changes_has(ch, CONF_AREA_IPSEC, name))
		return true;
	if (!conf_changes_area(ch, CONF_AREA_IPSEC))
		return false;
	/* (the global `crypto ipsec security-association lifetime` marks
	 * the area without a name, so every name matches) */
	p = conf_ipsec_profile_find(c->ipsec, name);
	for (unsigned i = 0; p != NULL && i < p->n_tsets; i++)
		if (conf_changes_has(ch, CONF_AREA_IPSEC, p->tsets[i]))
			return true;
	return false;
}

bool
affects_ks_group(const struct conf *c, const struct conf_gdoi_group *g,
		 const struct conf_changes *ch)
{
	const struct conf_gdoi_server *s = g->server;

	if (conf_changes_has(ch, CONF_AREA_GROUP, g->name) || s == NULL)
		return conf_changes_area(ch, CONF_AREA_GROUP);
	if (conf_changes_has(ch, CONF_AREA_ACL, s->auth_acl) ||
	    conf_changes_has(ch, CONF_AREA_ACL, s->rekey_acl) ||
	    conf_changes_has(ch, CONF_AREA_KEY, s->rekey_rsa) ||
	    conf_changes_area(ch, CONF_AREA_PKI))
		return true;
	for (const struct conf_gdoi_sa *sa = s->sa_head; sa; sa = sa->next)
		if (conf_changes_has(ch, CONF_AREA_ACL, sa->match_acl) ||
		    profile_changed(c, sa->profile, ch))
			return true;
	return false;
}

bool
affects_gm_group(const struct conf_gdoi_group *g, const struct conf_changes *ch)
{
	return conf_changes_has(ch, CONF_AREA_GROUP, g->name) ||
	       conf_changes_area(ch, CONF_AREA_MAP) ||
	       conf_changes_area(ch, CONF_AREA_ACL);
}

bool
affects_ike(const struct conf_changes *ch)
{
	return conf_changes_area(ch, CONF_AREA_ISAKMP) ||
	       conf_changes_area(ch, CONF_AREA_PKI) ||
	       conf_changes_area(ch, CONF_AREA_KEY);
}

bool
affects_dataplane(const struct conf_changes *ch)
{
	return conf_changes_area(ch, CONF_AREA_MAP) ||
	       conf_changes_area(ch, CONF_AREA_GROUP);
}
