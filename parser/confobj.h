/*
 * confobj: the header every config node that owns a sub-mode embeds first.
 *
 * A CLI session that is inside a sub-mode holds a reference to the node;
 * when another session deletes the node it is marked dead and unlinked,
 * and freed only when the last holder lets go.  The holder sees `dead` on
 * its next line and leaves the mode instead of writing into freed memory.
 */
#ifndef PARSER_CONFOBJ_H
#define PARSER_CONFOBJ_H

#include <stdbool.h>

struct conf_obj {
	unsigned refs;			/* holders, not counting the tree */
	bool dead;			/* removed from the tree */
	void (*destroy)(struct conf_obj *o);
};

void conf_obj_init(struct conf_obj *o, void (*destroy)(struct conf_obj *));
void conf_obj_hold(struct conf_obj *o);
void conf_obj_release(struct conf_obj *o);
/* The tree drops the node: destroy now, or when the last holder releases. */
void conf_obj_kill(struct conf_obj *o);

#endif
