/*
 * confobj: reference counting for config nodes that own a sub-mode, so a
 * node deleted by one CLI session is not freed under another session that
 * is still inside its sub-mode (see parser/confobj.h).
 */
#include "parser/confobj.h"

#include <stddef.h>

void
conf_obj_init(struct conf_obj *o, void (*destroy)(struct conf_obj *))
{
	o->refs = 0;
	o->dead = false;
	o->destroy = destroy;
}

void
conf_obj_hold(struct conf_obj *o)
{
	o->refs++;
}

void
conf_obj_release(struct conf_obj *o)
{
	if (o->refs > 0)
		o->refs--;
	if (o->refs == 0 && o->dead && o->destroy != NULL)
		o->destroy(o);
}

void
conf_obj_kill(struct conf_obj *o)
{
	o->dead = true;
	if (o->refs == 0 && o->destroy != NULL)
		o->destroy(o);
}
