/*
 * conf_pki: trustpoint nodes, their lookup and their NVGEN (doc/pki.md;
 * doc/ios-cli.md §7.4 order).  A trustpoint block prints its settings in the
 * order IOS does:
 *
 *   crypto pki trustpoint GETVPN-CA
 *    enrollment terminal pem
 *    subject-name cn=gm1,o=Lab
 *    revocation-check none
 *    rsakeypair GM1-KEY
 *   !
 */
#include "parser/conf_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/fileio.h"
#include "platform/hmap.h"
#include "platform/term.h"

struct conf_pki *
conf_pki_new(void)
{
	struct conf_pki *pki = calloc(1, sizeof(*pki));

	if (pki == NULL)
		return NULL;
	if ((pki->by_name = hmap_new()) == NULL) {
		free(pki);
		return NULL;
	}
	return pki;
}

void
conf_pki_free(struct conf_pki *pki)
{
	if (pki == NULL)
		return;
	while (pki->head != NULL)
		conf_pki_tp_del(pki, pki->head);
	hmap_free(pki->by_name);
	free(pki);
}

bool
conf_pki_name_ok(const char *name)
{
	return file_name_ok(name, CONF_PKI_NAME_MAX + 1);
}

const struct conf_pki_tp *
conf_pki_tp_find(const struct conf_pki *pki, const char *name)
{
	return hmap_get(pki->by_name, name);
}

const struct conf_pki_tp *
conf_pki_tp_first(const struct conf_pki *pki)
{
	return pki->head;
}

const char *
conf_pki_tp_label(const struct conf_pki_tp *tp)
{
	return tp->rsakeypair[0] != '\0' ? tp->rsakeypair : tp->name;
}

struct conf_pki_tp *
conf_pki_tp_lookup(struct conf_pki *pki, const char *name)
{
	return hmap_get(pki->by_name, name);
}

static void
tp_destroy(struct conf_obj *o)
{
	struct conf_pki_tp *tp = (struct conf_pki_tp *)o;

	free(tp->subject);
	free(tp);
}

struct conf_pki_tp *
conf_pki_tp_add(struct conf_pki *pki, const char *name)
{
	struct conf_pki_tp *tp = calloc(1, sizeof(*tp));

	if (tp == NULL)
		return NULL;
	conf_obj_init(&tp->obj, tp_destroy);
	snprintf(tp->name, sizeof(tp->name), "%s", name);
	if (hmap_put(pki->by_name, tp->name, tp) < 0) {
		free(tp);
		return NULL;
	}
	tp->prev = pki->tail;
	if (pki->tail != NULL)
		pki->tail->next = tp;
	else
		pki->head = tp;
	pki->tail = tp;
	return tp;
}

void
conf_pki_tp_del(struct conf_pki *pki, struct conf_pki_tp *tp)
{
	hmap_del(pki->by_name, tp->name);
	if (tp->prev != NULL)
		tp->prev->next = tp->next;
	else
		pki->head = tp->next;
	if (tp->next != NULL)
		tp->next->prev = tp->prev;
	else
		pki->tail = tp->prev;
	tp->prev = tp->next = NULL;
	conf_obj_kill(&tp->obj);
}

/*
 * NVGEN.
 */
static void
show_tp(const struct conf_pki_tp *tp, struct term *t)
{
	term_printf(t, "crypto pki trustpoint %s\n", tp->name);
	if (tp->enroll == CONF_PKI_ENROLL_TERMINAL)
		term_puts(t, " enrollment terminal\n");
	else if (tp->enroll == CONF_PKI_ENROLL_TERMINAL_PEM)
		term_puts(t, " enrollment terminal pem\n");
	if (tp->subject != NULL)
		term_printf(t, " subject-name %s\n", tp->subject);
	if (tp->revocation_none)
		term_puts(t, " revocation-check none\n");
	if (tp->rsakeypair[0] != '\0')
		term_printf(t, " rsakeypair %s\n", tp->rsakeypair);
	term_puts(t, "!\n");
}

void
conf_pki_show(const struct conf_pki *pki, struct term *t)
{
	for (const struct conf_pki_tp *tp = pki->head; tp; tp = tp->next)
		show_tp(tp, t);
}
