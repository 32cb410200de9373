/*
 * conf_keyring: `crypto keyring NAME` with `pre-shared-key address A [M]
 * key K` lines (conf-keyring mode), the form IOS configurations use for
 * per-peer pre-shared keys.  Phase 1 looks a peer up in the global
 * `crypto isakmp key` list first, then in the keyrings in the order they
 * were made (doc/cli.md "Keyrings").  Each keyring keeps its keys in a
 * conf_isakmp key list, so lookup and longest-mask matching are the same
 * as for `crypto isakmp key`.
 */
#ifndef PARSER_CONF_KEYRING_H
#define PARSER_CONF_KEYRING_H

#include <stdint.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct conf_isakmp;
struct conf_isakmp_key;
struct term;

struct conf_keyring {
	struct conf_obj obj;		/* first: (conf-keyring)# holds it */
	char name[CONF_NAME_MAX];
	struct conf_isakmp *keys;	/* only its key list is used */
	struct conf_keyring *next;	/* creation order */
};

struct conf_keyrings {
	struct conf_keyring *head;
};

struct conf_keyrings *conf_keyrings_new(void);
void conf_keyrings_free(struct conf_keyrings *krs);
void conf_keyrings_show(const struct conf_keyrings *krs, struct term *t);
/* The key for peer addr (network order) in any keyring, or NULL. */
const struct conf_isakmp_key *
conf_keyrings_key_for_peer(const struct conf_keyrings *krs, uint32_t addr);

extern const struct cmd_def conf_keyring_cmds[];

#endif
