/*
 * conf_aaa: users, the enable secret and the vty line settings in the
 * running-config (parser/conf_aaa.h), with the line commands.
 */
#include "parser/conf_aaa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf.h"
#include "platform/term.h"

struct conf_aaa *
conf_aaa_new(void)
{
	struct conf_aaa *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	conf_obj_init(&a->console.obj, NULL);
	conf_obj_init(&a->vty.obj, NULL);
	a->vty.vty = true;
	a->vty_last = 4;
	a->vty_timeout = CONF_AAA_TIMEOUT_DEFAULT;
	return a;
}

void
conf_aaa_free(struct conf_aaa *a)
{
	if (a == NULL)
		return;
	explicit_bzero(a->enable_password, sizeof(a->enable_password));
	free(a->users);
	free(a);
}

void
conf_aaa_show_service(const struct conf_aaa *a, struct term *t)
{
	if (a->password_encryption)
		term_puts(t, "service password-encryption\n!\n");
}

void
conf_aaa_show_users(const struct conf_aaa *a, struct term *t)
{
	if (a->enable_secret[0] != '\0')
		term_printf(t, "enable secret %c %s\n", a->enable_secret[1],
			    a->enable_secret);
	if (a->enable_password7[0] != '\0')
		term_printf(t, "enable password 7 %s\n", a->enable_password7);
	else if (a->enable_password[0] != '\0')
		term_printf(t, "enable password %s\n", a->enable_password);
	if (a->enable_secret[0] != '\0' || a->enable_password[0] != '\0')
		term_puts(t, "!\n");
	for (size_t i = 0; i < a->nusers; i++) {
		const struct conf_user *u = &a->users[i];

		term_printf(t, "username %s", u->name);
		if (u->priv != 1)
			term_printf(t, " privilege %u", u->priv);
		if (u->secret[0] != '\0')
			term_printf(t, " secret %c %s", u->secret[1], u->secret);
		term_puts(t, "\n");
	}
	if (a->nusers > 0)
		term_puts(t, "!\n");
}

void
conf_aaa_show_lines(const struct conf_aaa *a, struct term *t)
{
	if (!a->vty_shown && a->vty_timeout == CONF_AAA_TIMEOUT_DEFAULT &&
	    !a->login_local)
		return;
	term_printf(t, "line vty 0 %u\n", a->vty_last);
	if (a->vty_timeout != CONF_AAA_TIMEOUT_DEFAULT)
		term_printf(t, " exec-timeout %u %u\n", a->vty_timeout / 60,
			    a->vty_timeout % 60);
	if (a->login_local)
		term_puts(t, " login local\n");
	term_puts(t, "!\n");
}

const struct conf_user *
conf_aaa_user(const struct conf_aaa *a, const char *name)
{
	for (size_t i = 0; i < a->nusers; i++)
		if (strcmp(a->users[i].name, name) == 0)
			return &a->users[i];
	return NULL;
}

int
conf_aaa_user_set(struct conf_aaa *a, const struct conf_user *u)
{
	struct conf_user *v;

	for (size_t i = 0; i < a->nusers; i++) {
		if (strcmp(a->users[i].name, u->name) == 0) {
			a->users[i] = *u;
			return 0;
		}
	}
	if (a->nusers == CONF_AAA_USERS_MAX)
		return -1;
	v = realloc(a->users, (a->nusers + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	a->users = v;
	a->users[a->nusers++] = *u;
	return 0;
}

void
conf_aaa_user_del(struct conf_aaa *a, const char *name)
{
	for (size_t i = 0; i < a->nusers; i++) {
		if (strcmp(a->users[i].name, name) != 0)
			continue;
		memset(&a->users[i], 0, sizeof(a->users[i]));
		memmove(&a->users[i], &a->users[i + 1],
			(a->nusers - i - 1) * sizeof(a->users[0]));
		a->nusers--;
		return;
	}
}

/*
 * `line console 0` is accepted (automation sends it) and stores nothing;
 * `line vty 0 N` holds the vty settings.
 */
static int
cmd_line(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_aaa *aaa = ctx->conf->aaa;
	bool vty = cmd_has(a, "vty");

	if (ctx->negate)
		return CMD_OK;
	if (vty) {
		aaa->vty_shown = true;
		if (cmd_arg_count(a, "last") > 0)
			aaa->vty_last = cmd_arg_u32(a, "last", 4);
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	}
	cmd_enter(ctx, MODE_LINE, vty ? &aaa->vty.obj : &aaa->console.obj);
	return CMD_OK;
}

static bool
on_vty(const struct cmd_ctx *ctx)
{
	const struct conf_line *l = (const struct conf_line *)cmd_node(ctx, MODE_LINE);

	return l != NULL && l->vty;
}

static int
cmd_exec_timeout(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	unsigned long s;

	if (!on_vty(ctx))
		return CMD_OK;
	s = ctx->negate || ctx->dflt ? CONF_AAA_TIMEOUT_DEFAULT
		: cmd_arg_u32(a, "min", 10) * 60ul + cmd_arg_u32(a, "sec", 0);
	if (s > 0xffffffffu)
		return cmd_error(ctx, "Timeout too long");
	ctx->conf->aaa->vty_timeout = (unsigned)s;
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

static int
cmd_login(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (!on_vty(ctx))
		return CMD_OK;
	ctx->conf->aaa->login_local = !ctx->negate && cmd_has(a, "local");
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

/* Terminal settings a tool sends per line; per session here. */
static int
cmd_line_setting(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return CMD_OK;
}

const struct cmd_def conf_aaa_cmds[] = {
	{ MODE_CONFIG, "line {console <0-0>|vty <0-15> [<0-15>$last]}",
	  "Configure a terminal line\nPrimary terminal line\nFirst Line number\n"
	  "Virtual terminal\nFirst Line number\nLast Line number\n",
	  cmd_line, 0 },
	{ MODE_LINE, "exec-timeout <0-35791>$min [<0-2147483>$sec]",
	  "Set the EXEC timeout\nTimeout in minutes\nTimeout in seconds\n",
	  cmd_exec_timeout, 0 },
	{ MODE_LINE, "login [local]",
	  "Enable password checking\nLocal password checking\n",
	  cmd_login, 0 },
	{ MODE_LINE, "logging synchronous",
	  "Modify message logging facilities\n"
	  "Synchronized message output\n", cmd_line_setting, 0 },
	{ MODE_LINE, "length <0-512>",
	  "Set number of lines on a screen\nNumber of lines on screen (0 for no pausing)\n",
	  cmd_line_setting, 0 },
	{ MODE_LINE, "width <0-512>",
	  "Set width of the display terminal\nNumber of characters on a screen line\n",
	  cmd_line_setting, 0 },
	{ .spec = NULL },
};
