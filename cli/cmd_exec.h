/*
 * cmd_exec: EXEC commands (enable, configure, show running-config, write,
 * copy, terminal, logging) and the generic config-mode commands
 * (exit, end, do).
 */
#ifndef CLI_CMD_EXEC_H
#define CLI_CMD_EXEC_H

#include "parser/cmd.h"

extern const struct cmd_def cli_exec_cmds[];
extern const struct cmd_def cli_mode_cmds[];

#endif
