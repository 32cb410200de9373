/*
 * show: the list of the roles' show tables (roles/show.h).
 */
#include "roles/show.h"

const struct cmd_def *const role_show_tables[] = {
	ks_show_cmds,
	NULL,
};
