/*
 * cmd_banner: the `banner` configuration command, which may read the
 * lines after it as its text (cmd_banner.c).
 */
#ifndef CLI_CMD_BANNER_H
#define CLI_CMD_BANNER_H

#include "parser/cmd.h"

extern const struct cmd_def cli_banner_cmds[];

#endif
