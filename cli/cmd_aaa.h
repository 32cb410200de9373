/*
 * cmd_aaa: users and privilege at the CLI (doc/cli.md "Users and
 * privilege"): `username`, `enable secret` (hashed as IOS type 9), and
 * `enable` with its Password: dialog, `disable`, `show privilege`,
 * `show users`.
 */
#ifndef CLI_CMD_AAA_H
#define CLI_CMD_AAA_H

#include "parser/cmd.h"

extern const struct cmd_def cli_aaa_cmds[];

#endif
