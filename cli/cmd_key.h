/*
 * cmd_key: the RSA key pair commands (doc/ios-cli.md §2.4):
 * `crypto key generate rsa ...` and `crypto key zeroize rsa [LABEL]` in
 * global config (executed, never part of the running-config) and
 * `show crypto key mypubkey rsa [LABEL]` in EXEC.  They act on the key
 * store of the session's environment (cli/env.h, roles/keystore.h).
 */
#ifndef CLI_CMD_KEY_H
#define CLI_CMD_KEY_H

#include "parser/cmd.h"

extern const struct cmd_def cli_key_cmds[];
/* crypto key export|import rsa ... pem (cli/cmd_key_pem.c) */
extern const struct cmd_def cli_key_pem_cmds[];

#endif
