/*
 * gm_list: the member groups of a process as a list whose head the router
 * keeps, and what the rest of the program reads of one group (roles/gm.h);
 * the group itself stays private to roles/gm*.c (roles/gm_int.h).
 */
#include "roles/gm_int.h"

#include <stdio.h>
#include <string.h>

const char *
gm_group_name(const struct gm_group *gm)
{
	return gm->name;
}

enum gm_state
gm_group_state(const struct gm_group *gm)
{
	return gm->state;
}

bool
gm_group_fail_close(const struct gm_group *gm)
{
	return gm->fail_close;
}

size_t
gm_group_servers(const struct gm_group *gm, const uint32_t **out)
{
	*out = gm->servers;
	return gm->nservers;
}

void
gm_group_set_map(struct gm_group *gm, const char *ifconf, const char *cmap)
{
	snprintf(gm->ifconf, sizeof(gm->ifconf), "%s", ifconf);
	snprintf(gm->cmap, sizeof(gm->cmap), "%s", cmap);
}

struct gm_group *
gm_group_next(const struct gm_group *gm)
{
	return gm->next;
}

struct gm_group *
gm_groups_find(struct gm_group *list, const char *name)
{
	while (list != NULL && strcmp(list->name, name) != 0)
		list = list->next;
	return list;
}

void
gm_groups_add(struct gm_group **list, struct gm_group *gm)
{
	gm->next = *list;
	*list = gm;
}

void
gm_groups_unmark(struct gm_group *list)
{
	for (; list != NULL; list = list->next)
		list->seen = false;
}

void
gm_group_mark(struct gm_group *gm)
{
	gm->seen = true;
}

void
gm_groups_sweep(struct gm_group **list)
{
	while (*list != NULL) {
		struct gm_group *gm = *list;

		if (gm->seen) {
			list = &gm->next;
			continue;
		}
		*list = gm->next;
		gm_group_stop(gm);
		gm_group_free(gm);
	}
}

void
gm_groups_free(struct gm_group **list)
{
	while (*list != NULL) {
		struct gm_group *gm = *list;

		*list = gm->next;
		gm_group_free(gm);
	}
}
