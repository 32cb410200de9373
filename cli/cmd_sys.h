/*
 * cmd_sys: EXEC commands about the host (cmd_sys.c: show version, clock,
 * terminal, history; cmd_ifshow.c: show interfaces, show ip interface
 * brief, show ip route; cmd_ping.c: ping).
 */
#ifndef CLI_CMD_SYS_H
#define CLI_CMD_SYS_H

#include "parser/cmd.h"

extern const struct cmd_def cli_sys_cmds[];
extern const struct cmd_def cli_ifshow_cmds[];
extern const struct cmd_def cli_ping_cmds[];

#endif
