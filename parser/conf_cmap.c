/*
 * conf_cmap: crypto map nodes, their lookups and their NVGEN
 * (doc/ios-cli.md §2.10, §3.1, §7.4):
 *
 *   crypto map NAME local-address IF
 *   !
 *   crypto map NAME gdoi fail-close
 *    match address ACL
 *    activate
 *   !
 *   crypto map NAME 10 gdoi
 *    set group G
 *    match address ACL
 *   !
 */
#include "parser/conf_cmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"
#include "platform/term.h"

struct conf_cmaps *
conf_cmaps_new(void)
{
	struct conf_cmaps *cmaps = calloc(1, sizeof(*cmaps));

	if (cmaps == NULL)
		return NULL;
	if ((cmaps->by_name = hmap_new()) == NULL) {
		free(cmaps);
		return NULL;
	}
	return cmaps;
}

void
conf_cmaps_free(struct conf_cmaps *cmaps)
{
	if (cmaps == NULL)
		return;
	while (cmaps->head != NULL)
		conf_cmap_del(cmaps, cmaps->head);
	hmap_free(cmaps->by_name);
	free(cmaps);
}

const struct conf_cmap *
conf_cmap_find(const struct conf_cmaps *cmaps, const char *name)
{
	return hmap_get(cmaps->by_name, name);
}

const struct conf_cmap *
conf_cmap_first(const struct conf_cmaps *cmaps)
{
	return cmaps->head;
}

const struct conf_cmap *
conf_cmap_of_group(const struct conf_cmaps *cmaps, const char *group,
		   const struct conf_cmap_entry **entry)
{
	for (const struct conf_cmap *m = cmaps->head; m; m = m->next)
		for (const struct conf_cmap_entry *e = m->head; e; e = e->next)
			if (strcmp(e->group, group) == 0) {
				*entry = e;
				return m;
			}
	return NULL;
}

struct conf_cmap_entry *
conf_cmap_entry_lookup(struct conf_cmap *m, uint16_t seq)
{
	for (struct conf_cmap_entry *e = m->head; e && e->seq <= seq; e = e->next)
		if (e->seq == seq)
			return e;
	return NULL;
}

const struct conf_cmap_entry *
conf_cmap_entry_find(const struct conf_cmap *m, uint16_t seq)
{
	for (const struct conf_cmap_entry *e = m->head; e && e->seq <= seq;
	     e = e->next)
		if (e->seq == seq)
			return e;
	return NULL;
}

struct conf_cmap *
conf_cmap_lookup(struct conf_cmaps *cmaps, const char *name)
{
	return hmap_get(cmaps->by_name, name);
}

struct conf_cmap *
conf_cmap_add(struct conf_cmaps *cmaps, const char *name, bool ipv6)
{
	struct conf_cmap *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->ipv6 = ipv6;
	if (hmap_put(cmaps->by_name, m->name, m) < 0) {
		free(m);
		return NULL;
	}
	m->prev = cmaps->tail;
	if (cmaps->tail != NULL)
		cmaps->tail->next = m;
	else
		cmaps->head = m;
	cmaps->tail = m;
	return m;
}

void
conf_cmap_del(struct conf_cmaps *cmaps, struct conf_cmap *m)
{
	while (m->head != NULL)
		conf_cmap_entry_del(m, m->head);
	conf_cmap_fc_del(m);
	hmap_del(cmaps->by_name, m->name);
	if (m->prev != NULL)
		m->prev->next = m->next;
	else
		cmaps->head = m->next;
	if (m->next != NULL)
		m->next->prev = m->prev;
	else
		cmaps->tail = m->prev;
	free(m);
}

void
conf_cmap_del_if_empty(struct conf_cmaps *cmaps, struct conf_cmap *m)
{
	if (m->head == NULL && m->fc == NULL && m->local_if[0] == '\0')
		conf_cmap_del(cmaps, m);
}

/*
 * Entries, sorted by sequence number.
 */
static void
entry_destroy(struct conf_obj *o)
{
	struct conf_cmap_entry *e = (struct conf_cmap_entry *)o;

	free(e->description);
	free(e);
}

struct conf_cmap_entry *
conf_cmap_entry_add(struct conf_cmap *m, uint16_t seq)
{
	struct conf_cmap_entry *e = calloc(1, sizeof(*e)), *at = NULL;

	if (e == NULL)
		return NULL;
	conf_obj_init(&e->obj, entry_destroy);
	e->seq = seq;
	e->map = m;
	if (m->tail != NULL && seq < m->tail->seq)
		for (at = m->head; at->seq < seq; at = at->next)
			;
	e->next = at;
	e->prev = at ? at->prev : m->tail;
	if (e->prev != NULL)
		e->prev->next = e;
	else
		m->head = e;
	if (at != NULL)
		at->prev = e;
	else
		m->tail = e;
	m->n_entries++;
	return e;
}

void
conf_cmap_entry_del(struct conf_cmap *m, struct conf_cmap_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		m->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		m->tail = e->prev;
	e->prev = e->next = NULL;
	m->n_entries--;
	conf_obj_kill(&e->obj);
}

static void
fc_destroy(struct conf_obj *o)
{
	free(o);
}

struct conf_cmap_fc *
conf_cmap_fc_add(struct conf_cmap *m)
{
	if (m->fc == NULL && (m->fc = calloc(1, sizeof(*m->fc))) != NULL)
		conf_obj_init(&m->fc->obj, fc_destroy);
	return m->fc;
}

void
conf_cmap_fc_del(struct conf_cmap *m)
{
	if (m->fc != NULL)
		conf_obj_kill(&m->fc->obj);
	m->fc = NULL;
}

/*
 * NVGEN.
 */
static void
show_entry(const struct conf_cmap *m, const struct conf_cmap_entry *e,
	   struct term *t)
{
	term_printf(t, "crypto map %s%s %u gdoi\n", m->ipv6 ? "ipv6 " : "",
		    m->name, e->seq);
	if (e->description != NULL)
		term_printf(t, " description %s\n", e->description);
	if (e->isakmp_profile[0] != '\0')
		term_printf(t, " set isakmp-profile %s\n", e->isakmp_profile);
	if (e->group[0] != '\0')
		term_printf(t, " set group %s\n", e->group);
	if (e->acl[0] != '\0')
		term_printf(t, " match address %s\n", e->acl);
	if (e->qos_preclassify)
		term_puts(t, " qos pre-classify\n");
	term_puts(t, "!\n");
}

static void
show_map(const struct conf_cmap *m, struct term *t)
{
	if (m->local_if[0] != '\0')
		term_printf(t, "crypto map %s local-address %s\n!\n", m->name,
			    m->local_if);
	if (m->fc != NULL) {
		term_printf(t, "crypto map %s gdoi fail-close\n", m->name);
		if (m->fc->acl[0] != '\0')
			term_printf(t, " match address %s\n", m->fc->acl);
		if (m->fc->activate)
			term_puts(t, " activate\n");
		term_puts(t, "!\n");
	}
	for (const struct conf_cmap_entry *e = m->head; e; e = e->next)
		show_entry(m, e, t);
}

void
conf_cmaps_show(const struct conf_cmaps *cmaps, struct term *t)
{
	for (const struct conf_cmap *m = cmaps->head; m; m = m->next)
		show_map(m, t);
}
