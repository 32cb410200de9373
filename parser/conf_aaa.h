/*
 * conf_aaa: who may use the CLI and how, in the running-config
 * (doc/cli.md "Users and privilege"):
 *
 *   service password-encryption                (type 7 in show run)
 *   enable secret 9 $9$...                     (the enable password)
 *   enable password [7] PASSWORD               (used without a secret)
 *   username NAME [privilege N] secret 9 $9$...
 *   username NAME [privilege N] password {0|7} PASSWORD
 *   line con 0 | line vty 0 N                  -> (config-line)#
 *    exec-timeout M [S]                        idle vty sessions end
 *    password [7] PASSWORD
 *    login [local]
 *
 * Secrets are stored only hashed (IOS types 8 and 9); the commands that
 * hash them live in cli/cmd_aaa.c (hashing needs the crypto library,
 * which stays out of parser/).  Passwords (enable, a user's, a line's)
 * are kept in the clear and shown in the clear or as type 7
 * (parser/type7.h), as IOS does.  Plain data, read by the vty server.
 */
#ifndef PARSER_CONF_AAA_H
#define PARSER_CONF_AAA_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"
#include "parser/type7.h"

struct term;

#define CONF_AAA_SECRET_MAX 72	/* "$9$" salt "$" hash, NUL */
#define CONF_AAA_USERS_MAX 256
#define CONF_AAA_PRIV_MAX 15
/* IOS default: 10 minutes (not shown in show running-config). */
#define CONF_AAA_TIMEOUT_DEFAULT 600u

/* A password kept in the clear: shown so, or as `7 TEXT` when it has
 * its type 7 text (typed as such, or `service password-encryption`). */
struct conf_password {
	char plain[TYPE7_PLAIN_MAX + 1];	/* "" = none */
	char text7[TYPE7_TEXT_MAX];		/* "" = shown in the clear */
};

struct conf_user {
	char name[CONF_NAME_MAX];
	unsigned priv;			/* 0-15, default 1 */
	char secret[CONF_AAA_SECRET_MAX];	/* "" = none */
	struct conf_password pw;	/* or a password (not both, as IOS) */
};

enum conf_login {
	CONF_LOGIN_NONE,
	CONF_LOGIN_LINE,		/* `login`: the line's password */
	CONF_LOGIN_LOCAL,		/* `login local`: usernames */
};

/* `line console 0` and `line vty 0 N`: the (config-line)# node. */
struct conf_line {
	struct conf_obj obj;		/* first: (config-line)# holds it */
	bool vty;
	struct conf_password pw;
	enum conf_login login;
};

struct conf_aaa {
	char enable_secret[CONF_AAA_SECRET_MAX];	/* "" = none */
	struct conf_password enable_pw;
	bool password_encryption;	/* service password-encryption */
	struct conf_user *users;
	size_t nusers;
	struct conf_line console, vty;
	bool vty_shown;			/* `line vty` was configured */
	unsigned vty_last;		/* N of `line vty 0 N` */
	unsigned vty_timeout;		/* exec-timeout in seconds, 0 = never */
};

struct conf_aaa *conf_aaa_new(void);
void conf_aaa_free(struct conf_aaa *a);
/* `service password-encryption` (first). */
void conf_aaa_show_service(const struct conf_aaa *a, struct term *t);
/* `enable secret`, `enable password` and `username` lines (after
 * hostname). */
void conf_aaa_show_users(const struct conf_aaa *a, struct term *t);
/* `line con 0` and `line vty` (just before end). */
void conf_aaa_show_lines(const struct conf_aaa *a, struct term *t);
/* Every password of the config that is in the clear without a type 7
 * text: fn makes one into text7 (`service password-encryption`). */
void conf_aaa_passwords_each(struct conf_aaa *a,
			     void (*fn)(struct conf_password *pw));
/* Forget pw, wiping it. */
void conf_password_clear(struct conf_password *pw);

const struct conf_user *conf_aaa_user(const struct conf_aaa *a,
				      const char *name);
/* Add or replace a user (atomic: -1 when full or out of memory). */
int conf_aaa_user_set(struct conf_aaa *a, const struct conf_user *u);
void conf_aaa_user_del(struct conf_aaa *a, const char *name);

extern const struct cmd_def conf_aaa_cmds[];

#endif
