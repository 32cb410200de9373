/*
 * cmd_cryptoshow: `show crypto isakmp policy` and `show crypto ipsec
 * transform-set`, from the running-config (cli/cmd_cryptoshow.c).
 */
#ifndef CLI_CMD_CRYPTOSHOW_H
#define CLI_CMD_CRYPTOSHOW_H

#include "parser/cmd.h"

extern const struct cmd_def cli_cryptoshow_cmds[];

#endif
