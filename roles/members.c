/*
 * members: the KS member database (see roles/members.h).  A hash map on
 * the dotted address for lookups, a doubly linked list for order.
 */
#include "roles/members.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"

struct members {
	struct hmap *by_addr;
	struct member *head, *tail;
	size_t count;
};

static void
key_of(uint32_t addr, char buf[INET_ADDRSTRLEN])
{
	inet_ntop(AF_INET, &addr, buf, INET_ADDRSTRLEN);
}

struct members *
members_new(void)
{
	struct members *m = calloc(1, sizeof(*m));

	if (m == NULL || (m->by_addr = hmap_new()) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
members_clear(struct members *m)
{
	while (m->head != NULL)
		members_del(m, m->head->addr);
}

void
members_free(struct members *m)
{
	if (m == NULL)
		return;
	members_clear(m);
	hmap_free(m->by_addr);
	free(m);
}

struct member *
members_find(const struct members *m, uint32_t addr)
{
	char key[INET_ADDRSTRLEN];

	key_of(addr, key);
	return hmap_get(m->by_addr, key);
}

struct member *
members_get(struct members *m, uint32_t addr)
{
	char key[INET_ADDRSTRLEN];
	struct member *e = members_find(m, addr);

	if (e != NULL)
		return e;
	e = calloc(1, sizeof(*e));
	key_of(addr, key);
	if (e == NULL || hmap_put(m->by_addr, key, e) < 0) {
		free(e);
		return NULL;
	}
	e->addr = addr;
	e->prev = m->tail;
	if (m->tail != NULL)
		m->tail->next = e;
	else
		m->head = e;
	m->tail = e;
	m->count++;
	return e;
}

void
members_del(struct members *m, uint32_t addr)
{
	char key[INET_ADDRSTRLEN];
	struct member *e;

	key_of(addr, key);
	e = hmap_del(m->by_addr, key);
	if (e == NULL)
		return;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		m->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		m->tail = e->prev;
	m->count--;
	free(e);
}

size_t
members_count(const struct members *m)
{
	return m->count;
}

struct member *
members_first(const struct members *m)
{
	return m->head;
}

uint32_t
member_reg_ks(const struct member *m)
{
	return m->coop_ks != 0 ? m->coop_ks : m->ks_addr;
}

bool
member_redundant(const struct member *m)
{
	return m->coop_ks != 0;
}
