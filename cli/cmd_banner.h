/*
 * cmd_banner: the `banner` configuration command, which may read the
 * lines after it as its text (cmd_banner.c).
 */
#ifndef CLI_CMD_BANNER_H
#define CLI_CMD_BANNER_H

#include "parser/cmd.h"

extern const struct cmd_def cli_banner_cmds[];

struct conf;
struct term;

/* What a new session sees before its first prompt, in IOS order: the
 * MOTD banner, the login banner and the exec banner (each configured one
 * after an empty line).  Nothing when none is configured. */
void cli_banner_greet(const struct conf *c, struct term *t);

#endif
