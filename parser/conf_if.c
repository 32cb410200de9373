/*
 * conf_if: interface nodes, their lookups and their NVGEN (doc/ios-cli.md
 * §2.11, §3.1, §7.4).  IOS order inside a block: description, secondary
 * addresses, then the primary, ip mtu, ip tcp adjust-mss, shutdown,
 * crypto map.  `no shutdown` is the default and is not printed.
 */
#include "parser/conf_if.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"
#include "platform/term.h"

struct conf_ifs *
conf_ifs_new(void)
{
	struct conf_ifs *ifs = calloc(1, sizeof(*ifs));

	if (ifs == NULL)
		return NULL;
	if ((ifs->by_name = hmap_new()) == NULL) {
		free(ifs);
		return NULL;
	}
	return ifs;
}

void
conf_ifs_free(struct conf_ifs *ifs)
{
	if (ifs == NULL)
		return;
	while (ifs->head != NULL)
		conf_if_del(ifs, ifs->head);
	conf_ifmaps_free(ifs);
	hmap_free(ifs->by_name);
	free(ifs);
}

const struct conf_if *
conf_if_find(const struct conf_ifs *ifs, const char *name)
{
	return hmap_get(ifs->by_name, name);
}

const struct conf_if *
conf_if_first(const struct conf_ifs *ifs)
{
	return ifs->head;
}

struct conf_if *
conf_if_lookup(struct conf_ifs *ifs, const char *name)
{
	return hmap_get(ifs->by_name, name);
}

unsigned
conf_ifs_using_cmap(const struct conf_ifs *ifs, const char *cmap, char *buf,
		    size_t len)
{
	unsigned n = 0;
	size_t used = 0;

	if (len > 0)
		buf[0] = '\0';
	for (const struct conf_if *ifp = ifs->head; ifp; ifp = ifp->next) {
		int k;

		if (strcmp(ifp->cmap, cmap) != 0)
			continue;
		if (used < len) {
			k = snprintf(buf + used, len - used, "%s%s",
				     n ? ", " : "", ifp->name);
			if (k > 0)
				used += (size_t)k;
		}
		n++;
	}
	return n;
}

static void
if_destroy(struct conf_obj *o)
{
	struct conf_if *ifp = (struct conf_if *)o;

	free(ifp->description);
	free(ifp);
}

struct conf_if *
conf_if_add(struct conf_ifs *ifs, const char *name)
{
	struct conf_if *ifp = calloc(1, sizeof(*ifp));

	if (ifp == NULL)
		return NULL;
	conf_obj_init(&ifp->obj, if_destroy);
	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	if (hmap_put(ifs->by_name, ifp->name, ifp) < 0) {
		free(ifp);
		return NULL;
	}
	ifp->prev = ifs->tail;
	if (ifs->tail != NULL)
		ifs->tail->next = ifp;
	else
		ifs->head = ifp;
	ifs->tail = ifp;
	return ifp;
}

void
conf_if_del(struct conf_ifs *ifs, struct conf_if *ifp)
{
	hmap_del(ifs->by_name, ifp->name);
	if (ifp->prev != NULL)
		ifp->prev->next = ifp->next;
	else
		ifs->head = ifp->next;
	if (ifp->next != NULL)
		ifp->next->prev = ifp->prev;
	else
		ifs->tail = ifp->prev;
	ifp->prev = ifp->next = NULL;
	conf_obj_kill(&ifp->obj);
}

void
conf_if_reset(struct conf_if *ifp)
{
	free(ifp->description);
	ifp->description = NULL;
	ifp->has_addr = false;
	memset(&ifp->addr, 0, sizeof(ifp->addr));
	ifp->n_secondary = 0;
	ifp->mtu = 0;
	ifp->adjust_mss = 0;
	ifp->cmap[0] = '\0';
	ifp->shutdown = false;
}

static void
show_addr(const struct conf_if_addr *a, const char *suffix, struct term *t)
{
	char ip[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->addr, ip, sizeof(ip));
	inet_ntop(AF_INET, &a->mask, mask, sizeof(mask));
	term_printf(t, " ip address %s %s%s\n", ip, mask, suffix);
}

static void
show_if(const struct conf_if *ifp, struct term *t)
{
	term_printf(t, "interface %s\n", ifp->name);
	if (ifp->description != NULL)
		term_printf(t, " description %s\n", ifp->description);
	/* IOS lists the secondary addresses before the primary one. */
	for (unsigned i = 0; i < ifp->n_secondary; i++)
		show_addr(&ifp->secondary[i], " secondary", t);
	if (ifp->has_addr)
		show_addr(&ifp->addr, "", t);
	if (ifp->mtu != 0)
		term_printf(t, " ip mtu %u\n", ifp->mtu);
	if (ifp->adjust_mss != 0)
		term_printf(t, " ip tcp adjust-mss %u\n", ifp->adjust_mss);
	if (ifp->shutdown)
		term_puts(t, " shutdown\n");
	if (ifp->cmap[0] != '\0')
		term_printf(t, " crypto map %s\n", ifp->cmap);
	term_puts(t, "!\n");
}

void
conf_ifs_show(const struct conf_ifs *ifs, struct term *t)
{
	conf_ifmaps_show(ifs, t);
	for (const struct conf_if *ifp = ifs->head; ifp; ifp = ifp->next)
		show_if(ifp, t);
}
