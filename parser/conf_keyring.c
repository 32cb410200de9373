/*
 * conf_keyring: keyrings, their keys, their NVGEN and their commands.
 *
 *   crypto keyring NAME                 (enters conf-keyring)
 *    pre-shared-key address A [M] key [0|6] KEY
 *
 * `crypto keyring NAME vrf V` is refused: getvpn has no VRFs.
 */
#include "parser/conf_keyring.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf_isakmp.h"
#include "platform/term.h"

struct conf_keyrings *
conf_keyrings_new(void)
{
	return calloc(1, sizeof(struct conf_keyrings));
}

static void
kr_destroy(struct conf_obj *o)
{
	struct conf_keyring *kr = (struct conf_keyring *)o;

	conf_isakmp_free(kr->keys);
	free(kr);
}

void
conf_keyrings_free(struct conf_keyrings *krs)
{
	if (krs == NULL)
		return;
	while (krs->head != NULL) {
		struct conf_keyring *kr = krs->head;

		krs->head = kr->next;
		conf_obj_kill(&kr->obj);
	}
	free(krs);
}

const struct conf_isakmp_key *
conf_keyrings_key_for_peer(const struct conf_keyrings *krs, uint32_t addr)
{
	const struct conf_isakmp_key *k = NULL;

	for (const struct conf_keyring *kr = krs->head; kr && !k; kr = kr->next)
		k = conf_isakmp_key_for_peer(kr->keys, addr);
	return k;
}

void
conf_keyrings_show(const struct conf_keyrings *krs, struct term *t)
{
	char a[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN];

	for (const struct conf_keyring *kr = krs->head; kr; kr = kr->next) {
		term_printf(t, "crypto keyring %s\n", kr->name);
		for (const struct conf_isakmp_key *k = kr->keys->keys; k;
		     k = k->next) {
			inet_ntop(AF_INET, &k->addr, a, sizeof(a));
			inet_ntop(AF_INET, &k->mask, m, sizeof(m));
			/* the mask only when the address alone reads back
			 * differently (A is A/32, 0.0.0.0 is any peer) */
			term_printf(t, "  pre-shared-key address %s%s%s key ",
				    a, k->mask != (k->addr ? 0xffffffffu : 0)
				    ? " " : "", k->mask != (k->addr ?
				    0xffffffffu : 0) ? m : "");
			conf_pwenc_key_text(k, t);
			term_puts(t, "\n");
		}
		term_puts(t, "!\n");
	}
}

static struct conf_keyring *
kr_find(const struct conf_keyrings *krs, const char *name)
{
	struct conf_keyring *kr = krs->head;

	while (kr != NULL && strcmp(kr->name, name) != 0)
		kr = kr->next;
	return kr;
}

static int
kr_remove(struct cmd_ctx *ctx, struct conf_keyrings *krs, const char *name)
{
	for (struct conf_keyring **p = &krs->head; *p; p = &(*p)->next) {
		struct conf_keyring *kr = *p;

		if (strcmp(kr->name, name) != 0)
			continue;
		*p = kr->next;
		conf_obj_kill(&kr->obj);
		conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
		break;
	}
	return CMD_OK;
}

static int
cmd_keyring(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_keyrings *krs = ctx->conf->keyrings;
	const char *name = cmd_arg(a, "name");
	struct conf_keyring *kr, **tail;

	if (conf_check_name(ctx, name) < 0)
		return CMD_WARNING;
	if (ctx->negate || ctx->dflt)
		return kr_remove(ctx, krs, name);
	if (cmd_has(a, "vrf"))
		return cmd_error(ctx, "VRF keyrings are not supported: getvpn "
				 "has no VRFs");
	if ((kr = kr_find(krs, name)) == NULL) {
		if ((kr = calloc(1, sizeof(*kr))) == NULL ||
		    (kr->keys = conf_isakmp_new()) == NULL) {
			free(kr);
			return cmd_error(ctx, "Out of memory");
		}
		conf_obj_init(&kr->obj, kr_destroy);
		snprintf(kr->name, sizeof(kr->name), "%s", name);
		for (tail = &krs->head; *tail; tail = &(*tail)->next)
			;
		*tail = kr;
		conf_touch(ctx->conf, CONF_AREA_ISAKMP, NULL);
	}
	cmd_enter(ctx, MODE_KEYRING, &kr->obj);
	return CMD_OK;
}

/* pre-shared-key address A [M] key [0|6] KEY: as crypto isakmp key, on
 * the keyring's own key list. */
static int
cmd_psk(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_obj *o = cmd_node(ctx, MODE_KEYRING);

	if (o == NULL || o->dead)
		return cmd_error(ctx, "The keyring has been removed.");
	return conf_isakmp_key_cmd(ctx, ((struct conf_keyring *)o)->keys, a);
}

const struct cmd_def conf_keyring_cmds[] = {
	{ MODE_CONFIG, "crypto keyring WORD$name [vrf WORD$vrf]",
	  "\nKey ring commands\nKey ring name\n"
	  "Specify the VRF the keyring belongs to (not supported)\nVRF name\n",
	  cmd_keyring, 0 },
	{ MODE_KEYRING, "pre-shared-key address A.B.C.D$addr [M.M.M.M$mask] "
	  "key [{0|6}$enc] WORD$key",
	  "Pre-Shared Key\nmatch on address\nIP Address\nSubnet mask\n"
	  "key\nSpecifies an UNENCRYPTED password will follow\n"
	  "Specifies an ENCRYPTED password will follow\nThe UNENCRYPTED "
	  "(cleartext) user password\n",
	  cmd_psk, CMD_F_SECRET },
	{ .spec = NULL },
};
