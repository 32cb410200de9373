/*
 * cmd_aaa: users, secrets and privilege (cli/cmd_aaa.h).
 *
 * A secret typed in the clear is hashed at once (type 9, scrypt) and
 * only the hash is kept; a pasted type 8 or 9 hash is kept as it is if it
 * is well formed; other types are refused, never stored as they are.
 * Passwords (enable, used when there is no enable secret, as on IOS; a
 * user's; a line's) are kept in the clear and shown as type 7 under
 * `service password-encryption` (doc/cli.md "Type 7 passwords"); a
 * pasted `7 TEXT` is decoded or refused, and kept as typed.  `enable` asks for
 * the enable secret (or password) with a Password: prompt whose answer
 * is not echoed; three wrong answers end the dialog with
 * "% Bad secrets", a log line and a delay before the session answers
 * again.
 */
#include "cli/cmd_aaa.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_aaa.h"
#include "parser/type7.h"
#include "platform/log.h"
#include "platform/showout.h"
#include "platform/term.h"
#include "roles/pwhash.h"

#define AAA_TRIES 3
#define AAA_FAIL_DELAY_MS 3000

/* The secret of a `... secret [TYPE] SECRET` line, hashed, into out. */
static int
secret_take(struct cmd_ctx *ctx, const struct cmd_args *a,
	    char out[CONF_AAA_SECRET_MAX])
{
	const char *type = cmd_arg(a, "type");
	const char *sec = cmd_arg(a, "secret");
	int t = type ? type[0] - '0' : 0;

	if (sec == NULL)
		return CMD_ERR_INCOMPLETE;
	if (t == 0)
		return pwhash_make(PWHASH_SCRYPT, sec, out) == 0
			? CMD_OK : cmd_error(ctx, "Cannot hash the secret");
	if (t == 8 || t == 9) {
		if (!pwhash_valid((enum pwhash_type)t, sec))
			return cmd_error(ctx, "Invalid type %d secret: expected "
					 "$%d$ with a 14-character salt and a "
					 "43-character hash", t, t);
		snprintf(out, CONF_AAA_SECRET_MAX, "%s", sec);
		return CMD_OK;
	}
	return cmd_error(ctx, "Secret type %d is not supported: give the "
			 "secret in the clear, or as type 8 or 9", t);
}

/* The type 7 text of pw->plain into pw->text7, "" when none could be
 * made. */
static void
type7_make(struct conf_password *pw)
{
	if (pwhash_type7(pw->plain, pw->text7) < 0)
		pw->text7[0] = '\0';
}

/* The password of a `... password [{0|7}] PASSWORD` line into *out
 * (unchanged when refused): a type 7 text is decoded and kept as typed;
 * one in the clear gets its type 7 text under `service
 * password-encryption`. */
static int
password_take(struct cmd_ctx *ctx, const struct cmd_args *a,
	      struct conf_password *out)
{
	const char *type = cmd_arg(a, "type"), *pw = cmd_arg(a, "password");
	struct conf_password p = { .plain = "" };
	const char *why;

	if (pw == NULL)
		return CMD_ERR_INCOMPLETE;
	if (type != NULL && type[0] == '7') {
		if ((why = type7_decode(pw, p.plain)) != NULL)
			return cmd_error(ctx, "Invalid type 7 password: %s",
					 why);
		snprintf(p.text7, sizeof(p.text7), "%s", pw);	/* as typed */
	} else if (strlen(pw) > TYPE7_PLAIN_MAX) {
		return cmd_error(ctx, "The password is longer than %d "
				 "characters", TYPE7_PLAIN_MAX);
	} else {
		snprintf(p.plain, sizeof(p.plain), "%s", pw);
		if (ctx->conf->aaa->password_encryption)
			type7_make(&p);
	}
	*out = p;
	conf_password_clear(&p);
	return CMD_OK;
}

static int
cmd_username(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_aaa *aaa = ctx->conf->aaa;
	const char *name = cmd_arg(a, "name");
	const struct conf_user *old;
	struct conf_user u = { .priv = CLI_PRIV_USER };
	int rc;

	if (name == NULL)
		return CMD_ERR_INCOMPLETE;
	if (conf_check_name(ctx, name) < 0)
		return CMD_WARNING;
	if (ctx->negate) {
		conf_aaa_user_del(aaa, name);
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
		return CMD_OK;
	}
	old = conf_aaa_user(aaa, name);
	if (old != NULL)
		u = *old;
	snprintf(u.name, sizeof(u.name), "%s", name);
	if (cmd_has(a, "priv"))
		u.priv = cmd_arg_u32(a, "priv", CLI_PRIV_USER);
	rc = CMD_OK;
	if ((cmd_has(a, "secret") && u.pw.plain[0] != '\0') ||
	    (cmd_has(a, "password") && u.secret[0] != '\0'))
		rc = cmd_error(ctx, "Can not have both a user password and a "
			       "user secret: choose one or the other");
	else if (cmd_has(a, "secret"))
		rc = secret_take(ctx, a, u.secret);
	else if (cmd_has(a, "password"))
		rc = password_take(ctx, a, &u.pw);
	if (rc == CMD_OK && conf_aaa_user_set(aaa, &u) < 0)
		rc = cmd_error(ctx, "Too many users (at most %d)",
			       CONF_AAA_USERS_MAX);
	explicit_bzero(&u, sizeof(u));
	if (rc == CMD_OK)
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return rc;
}

static int
cmd_enable_secret(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char sec[CONF_AAA_SECRET_MAX];
	int rc;

	if (ctx->negate) {
		ctx->conf->aaa->enable_secret[0] = '\0';
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
		return CMD_OK;
	}
	rc = secret_take(ctx, a, sec);
	if (rc != CMD_OK)
		return rc;
	memcpy(ctx->conf->aaa->enable_secret, sec, sizeof(sec));
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

/* `enable password` and a line's `password`. */
static int
cmd_password(struct cmd_ctx *ctx, const struct cmd_args *a,
	     struct conf_password *pw)
{
	int rc = CMD_OK;

	if (ctx->negate)
		conf_password_clear(pw);
	else
		rc = password_take(ctx, a, pw);
	if (rc == CMD_OK)
		conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return rc;
}

static int
cmd_enable_password(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return cmd_password(ctx, a, &ctx->conf->aaa->enable_pw);
}

/* Stored and shown, as `login`: who logs in is decided by the peer's
 * credentials or SSH (doc/cli.md "Users and privilege"). */
static int
cmd_line_password(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_line *l = (struct conf_line *)cmd_node(ctx, MODE_LINE);

	return l != NULL ? cmd_password(ctx, a, &l->pw) : CMD_OK;
}

/* On: the passwords in the clear get their type 7 text.  Off: those that
 * have one keep it (IOS). */
static int
cmd_service_pwenc(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_aaa *aaa = ctx->conf->aaa;

	aaa->password_encryption = !ctx->negate && !ctx->dflt;
	if (aaa->password_encryption)
		conf_aaa_passwords_each(aaa, type7_make);
	conf_touch(ctx->conf, CONF_AREA_OTHER, NULL);
	return CMD_OK;
}

/* The enable secret when there is one, else the enable password. */
static bool
enable_ok(const struct conf_aaa *aaa, const char *answer)
{
	if (aaa->enable_secret[0] != '\0')
		return pwhash_verify(aaa->enable_secret, answer);
	return pwhash_plain_verify(aaa->enable_pw.plain, answer);
}

static int
answer_password(struct cli_session *s, const char *answer, struct term *out,
		void *arg)
{
	const struct conf_aaa *aaa = cli_session_env(s)->conf->aaa;
	unsigned tries = (unsigned)(uintptr_t)arg + 1;

	if (out == NULL)		/* the session ended mid-dialog */
		return 0;
	if (enable_ok(aaa, answer)) {
		cli_session_set_enabled(s, true);
		return 0;
	}
	if (tries < AAA_TRIES) {
		cli_session_ask_hidden(s, "Password: ", answer_password,
				       (void *)(uintptr_t)tries);
		return 0;
	}
	term_puts(out, "% Bad secrets\n\n");
	log_ios("SYS", 5, "PRIV_AUTH_FAIL", "Authentication to Privilege "
		"level 15 failed by %s", cli_session_name(s));
	cli_session_set_delay(s, AAA_FAIL_DELAY_MS);
	return -1;
}

/*
 * enable: privilege 15 at once for who has it; otherwise the enable
 * secret.  Without one, the console may enter (who holds the console
 * holds the machine) and a vty may not, as on IOS.
 */
static int
cmd_enable(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cli_session *s = ctx->session;

	if ((ctx->conf->aaa->enable_secret[0] != '\0' ||
	     ctx->conf->aaa->enable_pw.plain[0] != '\0') &&
	    cli_session_priv(s) < CLI_PRIV_ADMIN) {
		cli_session_ask_hidden(s, "Password: ", answer_password, NULL);
		return CMD_OK;
	}
	if (cli_session_priv(s) < CLI_PRIV_ADMIN && cli_session_is_vty(s))
		return cmd_error(ctx, "No password set");
	cli_session_set_enabled(s, true);
	return CMD_OK;
}

static int
cmd_disable(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	cli_session_set_enabled(ctx->session, false);
	return CMD_OK;
}

static int
cmd_show_privilege(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	unsigned priv = cli_session_priv(ctx->session);

	showout_u64(ctx->show, "privilege", priv,
		    "Current privilege level is %u\n", priv);
	return CMD_OK;
}

struct users_walk {
	struct showout *o;
	const struct cli_session *self;
};

static bool
show_user(const struct cli_session *s, void *arg)
{
	struct users_walk *w = arg;
	const char *name = cli_session_name(s);
	unsigned long idle = cli_session_idle(s);
	char line[32], hms[32];

	if (strncmp(name, "vty", 3) == 0)
		snprintf(line, sizeof(line), "vty %s", name + 3);
	else
		snprintf(line, sizeof(line), "con 0");
	snprintf(hms, sizeof(hms), "%02lu:%02lu:%02lu", idle / 3600,
		 idle / 60 % 60, idle % 60);
	showout_obj(w->o, NULL);
	showout_bool(w->o, "current", s == w->self, "%c ",
		     s == w->self ? '*' : ' ');
	showout_str(w->o, "line", line, "%-10s ", line);
	showout_str(w->o, "user", cli_session_user(s), "%-10s ",
		    cli_session_user(s));
	showout_str(w->o, "host", "idle", "%-20s ", "idle");
	showout_str(w->o, "idle", hms, "%s\n", hms);
	showout_end(w->o);
	return true;
}

static int
cmd_show_users(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct users_walk w = { ctx->show, ctx->session };

	showout_text(ctx->show, "  Line       User       Host(s)              "
		     "Idle       Location\n");
	showout_list(ctx->show, "lines");
	cli_session_foreach(show_user, &w);
	showout_end(ctx->show);
	return CMD_OK;
}

#define SECRET_SPEC "secret [{0|5|7|8|9}$type] LINE$secret"
#define SECRET_HELP "Specify the secret for the user\n" \
	"Specifies an UNENCRYPTED secret will follow\n" \
	"Specifies a MD5 HASHED secret will follow\n" \
	"Specifies a HIDDEN secret will follow\n" \
	"Specifies a PBKDF2 HASHED secret will follow\n" \
	"Specifies a SCRYPT HASHED secret will follow\n" \
	"The secret\n"

const struct cmd_def cli_aaa_cmds[] = {
	{ MODE_USER_EXEC, "enable", "Turn on privileged commands\n",
	  cmd_enable, CMD_F_PREFERRED },
	{ MODE_USER_EXEC, "show privilege",
	  "\nShow current privilege level\n", cmd_show_privilege,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_USER_EXEC, "show users",
	  "\nDisplay information about terminal lines\n", cmd_show_users,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_EXEC, "disable", "Turn off privileged commands\n",
	  cmd_disable, 0 },
	{ MODE_CONFIG, "username WORD$name [privilege <0-15>$priv] "
	  SECRET_SPEC, "Establish User Name Authentication\nUser name\n"
	  "Set user privilege level\nUser privilege level\n" SECRET_HELP,
	  cmd_username, CMD_F_SECRET },
	{ MODE_CONFIG, "username WORD$name privilege <0-15>$priv",
	  "\n\n\n\n", cmd_username, 0 },
	{ MODE_CONFIG, "username WORD$name [privilege <0-15>$priv] "
	  "password [{0|7}$type] LINE$password",
	  "\n\n\n\nSpecify the password for the user\n"
	  "Specifies an UNENCRYPTED password will follow\n"
	  "Specifies a HIDDEN password will follow\n"
	  "The password (at most 25 characters)\n",
	  cmd_username, CMD_F_SECRET },
	{ MODE_CONFIG, "enable secret [{0|5|7|8|9}$type] LINE$secret",
	  "Modify enable password parameters\n"
	  "Assign the privileged level secret\n"
	  "Specifies an UNENCRYPTED password will follow\n"
	  "Specifies a MD5 HASHED secret will follow\n"
	  "Specifies a HIDDEN secret will follow\n"
	  "Specifies a PBKDF2 HASHED secret will follow\n"
	  "Specifies a SCRYPT HASHED secret will follow\n"
	  "The secret\n", cmd_enable_secret, CMD_F_SECRET },
	{ MODE_CONFIG, "enable password [{0|7}$type] LINE$password",
	  "Modify enable password parameters\n"
	  "Assign the privileged level password (MAX of 25 characters)\n"
	  "Specifies an UNENCRYPTED password will follow\n"
	  "Specifies a HIDDEN password will follow\n"
	  "The UNENCRYPTED (cleartext) 'enable' password\n",
	  cmd_enable_password, CMD_F_SECRET },
	{ MODE_LINE, "password [{0|7}$type] LINE$password",
	  "Set a password\n"
	  "Specifies an UNENCRYPTED password will follow\n"
	  "Specifies a HIDDEN password will follow\n"
	  "The UNENCRYPTED (cleartext) line password\n",
	  cmd_line_password, CMD_F_SECRET },
	{ MODE_CONFIG, "service password-encryption",
	  "Modify use of network based services\n"
	  "Encrypt system passwords\n", cmd_service_pwenc, 0 },
	{ .spec = NULL },
};
