/*
 * conf_change: the change marks between two commits (see conf_change.h).
 * A few names per commit are kept; past that the area counts as wholly
 * changed, which costs time, never correctness.
 */
#include "parser/conf_change.h"

#include <stdio.h>
#include <string.h>

#define ALL_AREAS ((1u << CONF_AREA_COUNT) - 1)

void
conf_changes_mark(struct conf_changes *ch, enum conf_area area,
		  const char *name)
{
	unsigned bit = 1u << area;

	ch->areas |= bit;
	if (ch->any_name & bit)
		return;
	if (name == NULL || ch->n == CONF_CHANGE_NAMES) {
		ch->any_name |= bit;
		return;
	}
	for (size_t i = 0; i < ch->n; i++)
		if (ch->mark[i].area == area &&
		    strcmp(ch->mark[i].name, name) == 0)
			return;
	ch->mark[ch->n].area = area;
	snprintf(ch->mark[ch->n].name, sizeof(ch->mark[ch->n].name), "%s",
		 name);
	ch->n++;
}

void
conf_changes_all(struct conf_changes *ch)
{
	ch->areas = ch->any_name = ALL_AREAS;
}

bool
conf_changes_pending(const struct conf_changes *ch)
{
	return ch->areas != 0;
}

bool
conf_changes_area(const struct conf_changes *ch, enum conf_area area)
{
	return (ch->areas & (1u << area)) != 0;
}

bool
conf_changes_has(const struct conf_changes *ch, enum conf_area area,
		 const char *name)
{
	if (!conf_changes_area(ch, area) || name == NULL || name[0] == '\0')
		return false;
	if (ch->any_name & (1u << area))
		return true;
	for (size_t i = 0; i < ch->n; i++)
		if (ch->mark[i].area == area &&
		    strcmp(ch->mark[i].name, name) == 0)
			return true;
	return false;
}

void
conf_changes_reset(struct conf_changes *ch)
{
	memset(ch, 0, sizeof(*ch));
}
