/*
 * cmd_gdoi: the operational GDOI commands: show crypto gdoi ...,
 * show crypto isakmp sa, clear crypto gdoi, debug crypto gdoi.
 */
#ifndef CLI_CMD_GDOI_H
#define CLI_CMD_GDOI_H

#include "parser/cmd.h"

extern const struct cmd_def cli_gdoi_cmds[];

#endif
