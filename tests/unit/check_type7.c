/*
 * IOS type 7 passwords (parser/type7.h, doc/cli.md "Type 7
 * passwords"): the texts
 * real routers print decode, our encoder writes them back character for
 * character from their salt, every salt and length round-trips, and
 * every malformed text is refused with its reason.  In the CLI: `enable
 * password` under `service password-encryption` shows as `7 TEXT`, a
 * pasted `7 TEXT` is taken (and `enable` accepts the decoded password),
 * `no service password-encryption` leaves the type 7 text in place, and
 * all of it survives `write memory` and a replay of the startup-config.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/env.h"
#include "parser/conf.h"
#include "parser/conf_aaa.h"
#include "parser/type7.h"
#include "platform/term.h"
#include "testlib.h"

Suite *suite_type7(void);

/* "cisco" as routers print it with salts 8 and 9 (`enable password 7`),
 * quoted in Cisco's own documents and every decoder's. */
static const struct {
	const char *text, *plain;
} vectors[] = {
	{ "0822455D0A16", "cisco" },
	{ "094F471A1A0A", "cisco" },
	{ "02050D480809", "cisco" },
};

START_TEST(test_router_vectors)
{
	char plain[TYPE7_PLAIN_MAX + 1], text[TYPE7_TEXT_MAX];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(*vectors); i++) {
		unsigned salt = (unsigned)atoi((char[]){ vectors[i].text[0],
						vectors[i].text[1], 0 });

		ck_assert_ptr_null(type7_decode(vectors[i].text, plain));
		ck_assert_str_eq(plain, vectors[i].plain);
		ck_assert_int_eq(type7_encode(plain, salt, text), 0);
		ck_assert_str_eq(text, vectors[i].text);
	}
	/* lower-case hex is the same text */
	ck_assert_ptr_null(type7_decode("0822455d0a16", plain));
	ck_assert_str_eq(plain, "cisco");
}
END_TEST

START_TEST(test_round_trip)
{
	static const char chars[] = "Aa0 ~!z9$%^&*()_+-=[]{};:,./<>?|";
	char plain[TYPE7_PLAIN_MAX + 1], back[TYPE7_PLAIN_MAX + 1];
	char text[TYPE7_TEXT_MAX];

	for (unsigned salt = 0; salt < 53; salt++)
		for (size_t n = 1; n <= TYPE7_PLAIN_MAX; n++) {
			for (size_t i = 0; i < n; i++)
				plain[i] = chars[(i + salt) % (sizeof(chars) - 1)];
			plain[n] = '\0';
			ck_assert_int_eq(type7_encode(plain, salt, text), 0);
			ck_assert_uint_eq(strlen(text), 2 + 2 * n);
			ck_assert_ptr_null(type7_decode(text, back));
			ck_assert_str_eq(back, plain);
		}
	ck_assert_int_eq(type7_encode("", 1, text), -1);
	ck_assert_int_eq(type7_encode("x", 53, text), -1);
	ck_assert_int_eq(type7_encode("12345678901234567890123456", 1, text),
			 -1);
}
END_TEST

START_TEST(test_bad_texts)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "expected two salt digits" },
		{ "08", "expected two salt digits" },
		{ "0822455D0A1", "expected two salt digits" },
		{ "X822455D0A16", "the first two characters" },
		{ "8X22455D0A16", "the first two characters" },
		{ "5322455D0A16", "the salt is above 52" },
		{ "9922455D0A16", "the salt is above 52" },
		{ "0822455D0AZ6", "not hex digits" },
		{ "08 2455D0A16", "not hex digits" },
		{ "0841", "printable" },	/* 'A' ^ 'A' = NUL */
		{ "0859", "printable" },	/* a control character */
		{ "00" "0000000000000000000000000000000000000000000000000000",
		  "longer than 25" },
	};
	char plain[TYPE7_PLAIN_MAX + 1];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *why = type7_decode(bad[i].text, plain);

		ck_assert_msg(why != NULL && strstr(why, bad[i].why) != NULL,
			      "%s: %s", bad[i].text, why ? why : "accepted");
		ck_assert_str_eq(plain, "");
	}
}
END_TEST

/* The rest of show run's line after prefix, or NULL. */
static char *
shown_after(struct tl *t, const char *prefix)
{
	char *run = tl_show_run(t), *at = strstr(run, prefix), *v = NULL;

	if (at != NULL) {
		at += strlen(prefix);
		v = strndup(at, strcspn(at, "\n"));
	}
	free(run);
	return v;
}

/* The value after "enable password " in show run, or NULL. */
static char *
shown(struct tl *t)
{
	return shown_after(t, "enable password ");
}

/* show run's line after prefix is "7 TEXT" and TEXT decodes to plain. */
static void
expect_type7(struct tl *t, const char *prefix, const char *plain)
{
	char *v = shown_after(t, prefix), got[TYPE7_PLAIN_MAX + 1];

	ck_assert_msg(v != NULL && strncmp(v, "7 ", 2) == 0, "%s: %s", prefix,
		      v ? v : "(none)");
	ck_assert_ptr_null(type7_decode(v + 2, got));
	ck_assert_str_eq(got, plain);
	free(v);
}

/* show run's enable password is want ("7 " alone: any type 7 text). */
static void
expect_shown(struct tl *t, const char *want)
{
	char *v = shown(t);

	ck_assert_ptr_nonnull(v);
	if (strcmp(want, "7 ") == 0)
		ck_assert_msg(strncmp(v, "7 ", 2) == 0, "%s", v);
	else
		ck_assert_str_eq(v, want);
	free(v);
}

START_TEST(test_cli)
{
	struct tl *t = tl_new();
	char plain[TYPE7_PLAIN_MAX + 1], *v;

	ck_assert_int_eq(tl_lines(t, "enable password Clear-Pw-1"), 0);
	expect_shown(t, "Clear-Pw-1");
	/* on: the clear one gets its type 7 text */
	ck_assert_int_eq(tl_lines(t, "service password-encryption"), 0);
	v = shown(t);
	ck_assert_msg(strncmp(v, "7 ", 2) == 0, "%s", v);
	ck_assert_ptr_null(type7_decode(v + 2, plain));
	ck_assert_str_eq(plain, "Clear-Pw-1");
	free(v);
	v = tl_show_run(t);
	ck_assert_ptr_nonnull(strstr(v, "service password-encryption\n"));
	free(v);
	/* off: what is encrypted stays so, as on IOS; new ones are clear */
	ck_assert_int_eq(tl_lines(t, "no service password-encryption"), 0);
	expect_shown(t, "7 ");
	ck_assert_int_eq(tl_lines(t, "enable password Clear-Pw-2"), 0);
	expect_shown(t, "Clear-Pw-2");
	/* pasted: decoded, kept as typed */
	ck_assert_int_eq(tl_lines(t, "enable password 7 0822455D0A16"), 0);
	expect_shown(t, "7 0822455D0A16");
	ck_assert_str_eq(tl_conf(t)->aaa->enable_pw.plain, "cisco");
	/* refused with the reason; the password in force stays */
	ck_assert_int_eq(tl_line(t, "enable password 7 0822455D0A1"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "% Invalid type 7 password: "
				     "expected two salt digits"));
	ck_assert_int_eq(tl_line(t, "enable password 7 cisco"), -1);
	ck_assert_int_eq(tl_line(t, "enable password "
				 "12345678901234567890123456"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "longer than 25"));
	ck_assert_str_eq(tl_conf(t)->aaa->enable_pw.plain, "cisco");
	ck_assert_int_eq(tl_lines(t, "no enable password"), 0);
	ck_assert_ptr_null(shown(t));
	tl_free(t);
}
END_TEST

/* A user's password and a line's, as IOS takes and shows them: in the
 * clear ("password 0 X" for a user), or type 7, typed so or made by
 * `service password-encryption`; a user has a password or a secret,
 * never both. */
START_TEST(test_user_and_line)
{
	struct tl *t = tl_new();
	char *v;

	ck_assert_int_eq(tl_lines(t, "username ann password 0 Ann-Pw\n"
				  "username bob privilege 15 password 7 "
				  "0822455D0A16\n"
				  "username cid secret Cid-Secret\n"
				  "line con 0\n password Con-Pw\n login local\n"
				  "line vty 0 4\n password 7 094F471A1A0A\n"
				  " login\n"), 0);
	v = tl_show_run(t);
	ck_assert_ptr_nonnull(strstr(v, "username ann password 0 Ann-Pw\n"));
	ck_assert_ptr_nonnull(strstr(v, "username bob privilege 15 password "
				     "7 0822455D0A16\n"));
	ck_assert_ptr_nonnull(strstr(v, "line con 0\n password Con-Pw\n"
				     " login local\nline vty 0 4\n"
				     " password 7 094F471A1A0A\n login\n!\n"));
	ck_assert_ptr_null(strstr(v, "Cid-Secret"));
	free(v);
	ck_assert_str_eq(conf_aaa_user(tl_conf(t)->aaa, "bob")->pw.plain,
			 "cisco");
	ck_assert_str_eq(tl_conf(t)->aaa->vty.pw.plain, "cisco");
	/* not both, either way round; what was there stays */
	ck_assert_int_eq(tl_line(t, "username cid password Cid-Pw"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "both a user password and a "
				     "user secret"));
	ck_assert_int_eq(tl_line(t, "username ann secret Ann-Secret"), -1);
	ck_assert_str_eq(conf_aaa_user(tl_conf(t)->aaa, "ann")->pw.plain,
			 "Ann-Pw");
	ck_assert_str_eq(conf_aaa_user(tl_conf(t)->aaa, "ann")->secret, "");
	/* bad texts refused with the reason, the old password kept */
	ck_assert_int_eq(tl_lines(t, "line vty 0 4"), 0);
	ck_assert_int_eq(tl_line(t, "password 7 0822455D0A1"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "% Invalid type 7 password"));
	ck_assert_int_eq(tl_line(t, "password 12345678901234567890123456"),
			 -1);
	ck_assert_int_eq(tl_line(t, "exit"), 0);
	ck_assert_int_eq(tl_line(t, "username ann password 7 cisco"), -1);
	ck_assert_str_eq(tl_conf(t)->aaa->vty.pw.plain, "cisco");
	ck_assert_str_eq(conf_aaa_user(tl_conf(t)->aaa, "ann")->pw.plain,
			 "Ann-Pw");
	/* encryption on: every password in the clear gets its type 7 */
	ck_assert_int_eq(tl_lines(t, "service password-encryption"), 0);
	expect_type7(t, "username ann password ", "Ann-Pw");
	expect_type7(t, "line con 0\n password ", "Con-Pw");
	v = tl_show_run(t);
	ck_assert_ptr_null(strstr(v, "Ann-Pw"));
	ck_assert_ptr_null(strstr(v, "Con-Pw"));
	ck_assert_ptr_nonnull(strstr(v, " password 7 094F471A1A0A\n"));
	free(v);
	/* removed */
	ck_assert_int_eq(tl_lines(t, "no username ann\nline con 0\n"
				  "no password\nno login\n"
				  "line vty 0 4\nno password\nno login\n"),
			 0);
	v = tl_show_run(t);
	ck_assert_ptr_null(strstr(v, "username ann"));
	ck_assert_ptr_null(strstr(v, "line con 0"));
	ck_assert_ptr_nonnull(strstr(v, "line vty 0 4\n!\n"));
	free(v);
	tl_free(t);
}
END_TEST

/* write memory, then the startup-config replayed as at a start: the same
 * password, shown the same way. */
START_TEST(test_saved_and_replayed)
{
	struct tl *t = tl_new();
	struct cli_env env;
	struct term *err = term_new_mem();
	char path[256], e[256], *saved, *run, *again;

	ck_assert_int_eq(tl_lines(t, "service password-encryption\n"
				  "enable password Saved-Pw\n"
				  "username dee password User-Pw\n"
				  "line vty 0 4\n password Line-Pw\n login\n"
				  "do write memory"), 0);
	snprintf(path, sizeof(path), "%s/startup-config", tl_tmpdir(t));
	saved = tl_slurp(path);
	ck_assert_ptr_null(strstr(saved, "Saved-Pw"));
	ck_assert_ptr_null(strstr(saved, "User-Pw"));
	ck_assert_ptr_null(strstr(saved, "Line-Pw"));
	ck_assert_ptr_nonnull(strstr(saved, "enable password 7 "));
	ck_assert_int_eq(cli_env_init(&env, NULL, path, NULL, e, sizeof(e)), 0);
	ck_assert_int_eq(cli_replay_file(&env, path, err), 0);
	ck_assert_str_eq(env.conf->aaa->enable_pw.plain, "Saved-Pw");
	ck_assert_str_eq(conf_aaa_user(env.conf->aaa, "dee")->pw.plain,
			 "User-Pw");
	ck_assert_str_eq(env.conf->aaa->vty.pw.plain, "Line-Pw");
	run = tl_show_run(t);
	term_mem_reset(err);
	conf_show(env.conf, err);
	again = strdup(term_mem_data(err, NULL));
	ck_assert_str_eq(again, run);
	cli_env_fini(&env);
	term_free(err);
	free(again);
	free(run);
	free(saved);
	tl_free(t);
}
END_TEST

Suite *
suite_type7(void)
{
	Suite *s = suite_create("type7");
	TCase *tc = tcase_create("type7");

	tcase_add_test(tc, test_router_vectors);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_bad_texts);
	tcase_add_test(tc, test_cli);
	tcase_add_test(tc, test_user_and_line);
	tcase_add_test(tc, test_saved_and_replayed);
	suite_add_tcase(s, tc);
	return s;
}
