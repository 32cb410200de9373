/*
 * cmd_pki: the PKI commands that act rather than configure (doc/pki.md):
 * `crypto pki import NAME pem file CA CERT KEY` in global config
 * (executed, never part of the running-config, as on IOS) and `show
 * crypto pki certificates [NAME]` in EXEC.  The trustpoint configuration
 * itself is parser/cmd_pki.c.
 */
#ifndef CLI_CMD_PKI_H
#define CLI_CMD_PKI_H

#include "parser/cmd.h"

extern const struct cmd_def cli_pki_cmds[];

#endif
