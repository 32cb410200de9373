/*
 * conf_ipsec: transform-set and IPsec profile nodes, their lookups and
 * their NVGEN (doc/ios-cli.md §2.3, §3.1, §7.4): ` mode tunnel` is printed
 * even though it is the default (IOS 15 / XE do), the profile prints its
 * lifetime before its transform-sets, AES key length 128 is implied.
 */
#include "parser/conf_ipsec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"
#include "platform/term.h"

static const char *const enc_names[] = {
	[CONF_IPSEC_ENC_NONE] = "", [CONF_IPSEC_ENC_AES] = "esp-aes",
	[CONF_IPSEC_ENC_GCM] = "esp-gcm", [CONF_IPSEC_ENC_GMAC] = "esp-gmac",
	[CONF_IPSEC_ENC_3DES] = "esp-3des", [CONF_IPSEC_ENC_DES] = "esp-des",
	[CONF_IPSEC_ENC_NULL] = "esp-null", [CONF_IPSEC_ENC_SEAL] = "esp-seal",
};

static const char *const esp_auth_names[] = {
	[CONF_IPSEC_AUTH_NONE] = "", [CONF_IPSEC_AUTH_MD5] = "esp-md5-hmac",
	[CONF_IPSEC_AUTH_SHA1] = "esp-sha-hmac",
	[CONF_IPSEC_AUTH_SHA256] = "esp-sha256-hmac",
	[CONF_IPSEC_AUTH_SHA384] = "esp-sha384-hmac",
	[CONF_IPSEC_AUTH_SHA512] = "esp-sha512-hmac",
};

static const char *const ah_auth_names[] = {
	[CONF_IPSEC_AUTH_NONE] = "", [CONF_IPSEC_AUTH_MD5] = "ah-md5-hmac",
	[CONF_IPSEC_AUTH_SHA1] = "ah-sha-hmac",
	[CONF_IPSEC_AUTH_SHA256] = "ah-sha256-hmac",
	[CONF_IPSEC_AUTH_SHA384] = "ah-sha384-hmac",
	[CONF_IPSEC_AUTH_SHA512] = "ah-sha512-hmac",
};

const char *
conf_ipsec_enc_name(enum conf_ipsec_enc e)
{
	return enc_names[e];
}

const char *
conf_ipsec_auth_name(enum conf_ipsec_auth a, bool ah)
{
	return ah ? ah_auth_names[a] : esp_auth_names[a];
}

struct conf_ipsec *
conf_ipsec_new(void)
{
	struct conf_ipsec *ipsec = calloc(1, sizeof(*ipsec));

	if (ipsec == NULL)
		return NULL;
	ipsec->ts_by_name = hmap_new();
	ipsec->prof_by_name = hmap_new();
	if (ipsec->ts_by_name == NULL || ipsec->prof_by_name == NULL) {
		conf_ipsec_free(ipsec);
		return NULL;
	}
	return ipsec;
}

void
conf_ipsec_free(struct conf_ipsec *ipsec)
{
	if (ipsec == NULL)
		return;
	while (ipsec->ts_head != NULL)
		conf_ipsec_ts_del(ipsec, ipsec->ts_head);
	while (ipsec->prof_head != NULL)
		conf_ipsec_profile_del(ipsec, ipsec->prof_head);
	hmap_free(ipsec->ts_by_name);
	hmap_free(ipsec->prof_by_name);
	free(ipsec);
}

/*
 * Transform-sets.
 */
const struct conf_ipsec_ts *
conf_ipsec_ts_find(const struct conf_ipsec *ipsec, const char *name)
{
	return hmap_get(ipsec->ts_by_name, name);
}

struct conf_ipsec_ts *
conf_ipsec_ts_lookup(struct conf_ipsec *ipsec, const char *name)
{
	return hmap_get(ipsec->ts_by_name, name);
}

static void
ts_destroy(struct conf_obj *o)
{
	free(o);
}

struct conf_ipsec_ts *
conf_ipsec_ts_add(struct conf_ipsec *ipsec, const char *name)
{
	struct conf_ipsec_ts *ts = calloc(1, sizeof(*ts));

	if (ts == NULL)
		return NULL;
	conf_obj_init(&ts->obj, ts_destroy);
	snprintf(ts->name, sizeof(ts->name), "%s", name);
	if (hmap_put(ipsec->ts_by_name, ts->name, ts) < 0) {
		free(ts);
		return NULL;
	}
	ts->prev = ipsec->ts_tail;
	if (ipsec->ts_tail != NULL)
		ipsec->ts_tail->next = ts;
	else
		ipsec->ts_head = ts;
	ipsec->ts_tail = ts;
	return ts;
}

void
conf_ipsec_ts_del(struct conf_ipsec *ipsec, struct conf_ipsec_ts *ts)
{
	hmap_del(ipsec->ts_by_name, ts->name);
	if (ts->prev != NULL)
		ts->prev->next = ts->next;
	else
		ipsec->ts_head = ts->next;
	if (ts->next != NULL)
		ts->next->prev = ts->prev;
	else
		ipsec->ts_tail = ts->prev;
	ts->prev = ts->next = NULL;
	conf_obj_kill(&ts->obj);
}

/*
 * Profiles.
 */
const struct conf_ipsec_profile *
conf_ipsec_profile_find(const struct conf_ipsec *ipsec, const char *name)
{
	return hmap_get(ipsec->prof_by_name, name);
}

struct conf_ipsec_profile *
conf_ipsec_profile_lookup(struct conf_ipsec *ipsec, const char *name)
{
	return hmap_get(ipsec->prof_by_name, name);
}

uint32_t
conf_ipsec_profile_lifetime(const struct conf_ipsec *ipsec,
			    const struct conf_ipsec_profile *p)
{
	if (p != NULL && (p->has & CONF_IPSEC_PROF_HAS_SECONDS))
		return p->life_seconds;
	if (ipsec->sa_lifetime != 0)
		return ipsec->sa_lifetime;
	return CONF_IPSEC_DEF_LIFETIME;
}

static void
profile_destroy(struct conf_obj *o)
{
	struct conf_ipsec_profile *p = (struct conf_ipsec_profile *)o;

	free(p->description);
	free(p);
}

struct conf_ipsec_profile *
conf_ipsec_profile_add(struct conf_ipsec *ipsec, const char *name)
{
	struct conf_ipsec_profile *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	conf_obj_init(&p->obj, profile_destroy);
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (hmap_put(ipsec->prof_by_name, p->name, p) < 0) {
		free(p);
		return NULL;
	}
	p->prev = ipsec->prof_tail;
	if (ipsec->prof_tail != NULL)
		ipsec->prof_tail->next = p;
	else
		ipsec->prof_head = p;
	ipsec->prof_tail = p;
	return p;
}

void
conf_ipsec_profile_del(struct conf_ipsec *ipsec, struct conf_ipsec_profile *p)
{
	hmap_del(ipsec->prof_by_name, p->name);
	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		ipsec->prof_head = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	else
		ipsec->prof_tail = p->prev;
	p->prev = p->next = NULL;
	conf_obj_kill(&p->obj);
}

/*
 * NVGEN.
 */
static void
show_ts(const struct conf_ipsec_ts *ts, struct term *t)
{
	static const char *const modes[] = {
		[CONF_IPSEC_MODE_TUNNEL] = "tunnel",
		[CONF_IPSEC_MODE_TRANSPORT] = "transport",
		[CONF_IPSEC_MODE_TRANSPORT_REQUIRE] = "transport require",
	};

	term_printf(t, "crypto ipsec transform-set %s", ts->name);
	if (ts->ah_auth != CONF_IPSEC_AUTH_NONE)
		term_printf(t, " %s", ah_auth_names[ts->ah_auth]);
	if (ts->esp_enc != CONF_IPSEC_ENC_NONE) {
		term_printf(t, " %s", enc_names[ts->esp_enc]);
		if (ts->esp_bits != 0 && ts->esp_bits != 128)
			term_printf(t, " %u", ts->esp_bits);
	}
	if (ts->esp_auth != CONF_IPSEC_AUTH_NONE)
		term_printf(t, " %s", esp_auth_names[ts->esp_auth]);
	term_printf(t, "\n mode %s\n", modes[ts->mode]);
	if (ts->esn)
		term_puts(t, " esn\n");
	term_puts(t, "!\n");
}

static void
show_profile(const struct conf_ipsec_profile *p, struct term *t)
{
	term_printf(t, "crypto ipsec profile %s\n", p->name);
	if (p->description != NULL)
		term_printf(t, " description %s\n", p->description);
	if (p->has & CONF_IPSEC_PROF_HAS_KB_DISABLE)
		term_puts(t, " set security-association lifetime kilobytes disable\n");
	else if (p->has & CONF_IPSEC_PROF_HAS_KB)
		term_printf(t, " set security-association lifetime kilobytes %u\n",
			    p->life_kb);
	if (p->has & CONF_IPSEC_PROF_HAS_SECONDS)
		term_printf(t, " set security-association lifetime seconds %u\n",
			    p->life_seconds);
	if (p->has & CONF_IPSEC_PROF_HAS_DAYS)
		term_printf(t, " set security-association lifetime days %u\n",
			    p->life_days);
	if (p->n_tsets > 0) {
		term_puts(t, " set transform-set");
		for (unsigned i = 0; i < p->n_tsets; i++)
			term_printf(t, " %s", p->tsets[i]);
		term_puts(t, "\n");
	}
	if (p->has & CONF_IPSEC_PROF_HAS_PFS) {
		if (p->pfs_group != 0)
			term_printf(t, " set pfs group%u\n", p->pfs_group);
		else
			term_puts(t, " set pfs\n");
	}
	term_puts(t, "!\n");
}

void
conf_ipsec_show(const struct conf_ipsec *ipsec, struct term *t)
{
	if (ipsec->sa_lifetime != 0)
		term_printf(t, "crypto ipsec security-association lifetime "
			    "seconds %u\n!\n", ipsec->sa_lifetime);
	for (const struct conf_ipsec_ts *ts = ipsec->ts_head; ts; ts = ts->next)
		show_ts(ts, t);
	for (const struct conf_ipsec_profile *p = ipsec->prof_head; p; p = p->next)
		show_profile(p, t);
}
