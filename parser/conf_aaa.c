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
conf_password_clear(struct conf_password *pw)
{
	explicit_bzero(pw, sizeof(*pw));
}

void
conf_aaa_free(struct conf_aaa *a)
{
	if (a == NULL)
		return;
	if (a->users != NULL)
		explicit_bzero(a->users, a->nusers * sizeof(*a->users));
	free(a->users);
	explicit_bzero(a, sizeof(*a));
	free(a);
}

void
conf_aaa_passwords_each(struct conf_aaa *a,
			void (*fn)(struct conf_password *pw))
{
	struct conf_password *line[] = { &a->enable_pw, &a->console.pw,
					 &a->vty.pw };

	for (size_t i = 0; i < sizeof(line) / sizeof(line[0]); i++)
		if (line[i]->plain[0] != '\0' && line[i]->text7[0] == '\0')
			fn(line[i]);
	for (size_t i = 0; i < a->nusers; i++)
		if (a->users[i].pw.plain[0] != '\0' &&
		    a->users[i].pw.text7[0] == '\0')
			fn(&a->users[i].pw);
}

/* prefix, then "7 TEXT", or the password in the clear after zero (IOS
 * writes a user's as "password 0 X", the others as "password X"). */
static void
show_password(struct term *t, const char *prefix, const struct conf_password *pw,
	      const char *zero)
{
	if (pw->text7[0] != '\0')
		term_printf(t, "%s7 %s", prefix, pw->text7);
	else if (pw->plain[0] != '\0')
		term_printf(t, "%s%s%s", prefix, zero, pw->plain);
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
	if (a->enable_pw.plain[0] != '\0') {
		show_password(t, "enable password ", &a->enable_pw, "");
		term_puts(t, "\n");
	}
	if (a->enable_secret[0] != '\0' || a->enable_pw.plain[0] != '\0')
		term_puts(t, "!\n");
	for (size_t i = 0; i < a->nusers; i++) {
		const struct conf_user *u = &a->users[i];

		term_printf(t, "username %s", u->name);
		if (u->priv != 1)
			term_printf(t, " privilege %u", u->priv);
		if (u->secret[0] != '\0')
			term_printf(t, " secret %c %s", u->secret[1], u->secret);
		show_password(t, " password ", &u->pw, "0 ");
		term_puts(t, "\n");
	}
	if (a->nusers > 0)
		term_puts(t, "!\n");
}

static bool
line_set(const struct conf_line *l)
{
	return l->pw.plain[0] != '\0' || l->login != CONF_LOGIN_NONE;
}

/* What a line holds besides exec-timeout, in IOS's order. */
static void
show_line(const struct conf_line *l, struct term *t)
{
	if (l->pw.plain[0] != '\0') {
		show_password(t, " password ", &l->pw, "");
		term_puts(t, "\n");
	}
	if (l->login == CONF_LOGIN_LINE)
		term_puts(t, " login\n");
	else if (l->login == CONF_LOGIN_LOCAL)
		term_puts(t, " login local\n");
}

void
conf_aaa_show_lines(const struct conf_aaa *a, struct term *t)
{
	bool vty = a->vty_shown || a->vty_timeout != CONF_AAA_TIMEOUT_DEFAULT ||
		   line_set(&a->vty);

	if (line_set(&a->console)) {
		term_puts(t, "line con 0\n");
		show_line(&a->console, t);
	}
	if (vty) {
		term_printf(t, "line vty 0 %u\n", a->vty_last);
		if (a->vty_timeout != CONF_AAA_TIMEOUT_DEFAULT)
			term_printf(t, " exec-timeout %u %u\n",
				    a->vty_timeout / 60, a->vty_timeout % 60);
		show_line(&a->vty, t);
	}
	if (vty || line_set(&a->console))
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
		explicit_bzero(&a->users[i], sizeof(a->users[i]));
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

/* Stored and shown: who logs in is decided by the peer's credentials
 * or SSH (doc/cli.md "Users and privilege"). */
static int
cmd_login(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_line *l = (struct conf_line *)cmd_node(ctx, MODE_LINE);

	if (l == NULL)
		return CMD_OK;
	l->login = ctx->negate ? CONF_LOGIN_NONE
		: cmd_has(a, "local") ? CONF_LOGIN_LOCAL : CONF_LOGIN_LINE;
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
