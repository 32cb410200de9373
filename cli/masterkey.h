/*
 * masterkey: where the master key of type 6 secrets lives (doc/cli.md
 * "Type 6 secrets"): "<startup-config>.master-key", mode 0600, next to the
 * startup-config and never in it, as IOS keeps it in private NVRAM.
 *
 *   current KEY
 *   previous KEY
 *
 * `previous` is the master key before the last change: the startup-config
 * holds keys made under it until the next `write memory`.  Without a
 * startup-config (-f) the master key lives in memory only.
 */
#ifndef CLI_MASTERKEY_H
#define CLI_MASTERKEY_H

struct cli_env;

/* Install the type 6 codec and the store on env->conf and read the file
 * (before the startup-config is replayed).  A file that cannot be read
 * or parsed is logged; type 6 keys then stay locked. */
void cli_masterkey_setup(struct cli_env *env);

#endif
