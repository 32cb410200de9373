/*
 * CLI tests through the real engine and session:
 *  - golden transcripts: tests/cli/NAME.in is typed into a console-like
 *    session (starting at "Router>"); the screen it produces must equal
 *    tests/cli/NAME.out.  A line ending in "?" asks for help, one ending in
 *    "<TAB>" completes.  GOLDEN_UPDATE=1 rewrites the .out files.
 *  - every examples/NAME.cfg: load -> show -> load -> show is byte-identical and
 *    loads without one error.
 *  - startup-config replay errors, saving, bad input.
 */
#include <check.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/term.h"
#include "roles/pwhash.h"
#include "testlib.h"

static char *
slurp(const char *path)
{
	char *s = NULL;
	size_t len;

	if (file_read_all(path, 1 << 24, &s, &len) < 0)
		return NULL;
	return s;
}

/* Type one transcript line into s, appending the screen to screen. */
static void
type_line(struct cli_session *s, const char *line, struct term *screen)
{
	size_t n = strlen(line);
	char *c;

	/* a password is typed, never shown */
	term_printf(screen, "%s%s\n", cli_session_prompt(s),
		    cli_session_hidden(s) ? "" : line);
	if (n > 0 && line[n - 1] == '?') {
		char *before = strndup(line, n - 1);

		cli_session_help(s, before, screen);
		free(before);
		return;
	}
	if (n >= 5 && strcmp(line + n - 5, "<TAB>") == 0) {
		char *before = strndup(line, n - 5);

		c = cli_session_complete(s, before);
		term_printf(screen, "%s\n", c ? c : "<BELL>");
		free(c);
		free(before);
		return;
	}
	cli_session_line(s, line, screen);
}

static char *
run_transcript(const char *in_path)
{
	struct cli_env env;
	struct cli_session *s;
	struct term *screen = term_new_mem();
	char err[256], *in = slurp(in_path), *save = NULL, *res;

	ck_assert_ptr_nonnull(in);
	ck_assert_msg(cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)) == 0,
		      "%s", err);
	s = cli_session_new(&env, "console", CLI_SESS_TERMINAL);
	cli_session_set_term_length(s, 0);
	/* Every line counts, blank ones too: a bare Enter is input. */
	for (char *l = in; *l != '\0'; l = save) {
		save = strchrnul(l, '\n');
		if (*save != '\0')
			*save++ = '\0';
		type_line(s, l, screen);
	}
	res = strdup(term_mem_data(screen, NULL));
	cli_session_free(s);
	cli_env_fini(&env);
	term_free(screen);
	free(in);
	return res;
}

static glob_t goldens;

START_TEST(test_golden)
{
	const char *in = goldens.gl_pathv[_i];
	char out_path[512], *got, *want;

	snprintf(out_path, sizeof(out_path), "%.*s.out",
		 (int)(strlen(in) - 3), in);
	got = run_transcript(in);
	if (getenv("GOLDEN_UPDATE") != NULL)
		ck_assert_int_eq(file_write_atomic(out_path, got, strlen(got),
						   0644), 0);
	want = slurp(out_path);
	ck_assert_msg(want != NULL, "missing %s", out_path);
	if (strcmp(got, want) != 0) {
		char got_path[64];
		FILE *f;

		/* per run: another run's transcript must not overwrite it */
		snprintf(got_path, sizeof(got_path), "/tmp/getvpn-golden.%d.got",
			 (int)getpid());
		f = fopen(got_path, "w");
		if (f != NULL) {
			fputs(got, f);
			fclose(f);
		}
		ck_abort_msg("%s differs (got in %s; diff it against %s)", in,
			     got_path, out_path);
	}
	free(got);
	free(want);
}
END_TEST

/* A secret typed in the clear is kept hashed (type 9), never as typed,
 * and the hash verifies at `enable`; a refused line changes nothing. */
START_TEST(test_secret_hashed)
{
	struct cli_env env;
	struct cli_session *s;
	struct term *t = term_new_mem();
	char err[256];
	const char *run;

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, err,
				      sizeof(err)), 0);
	s = cli_session_new(&env, "console", CLI_SESS_ENABLED);
	ck_assert_int_eq(cli_session_line(s, "configure terminal", t), 0);
	ck_assert(cli_session_is_secret(s, "username u secret pl41n"));
	ck_assert(cli_session_is_secret(s, "enable secret 0 T0p S3cret"));
	ck_assert(cli_session_is_secret(s, "username v password 0 pl41n"));
	ck_assert(cli_session_is_secret(s, "username v privilege 2 password "
					"pl41n"));
	ck_assert_int_eq(cli_session_line(s, "line vty 0 4", t), 0);
	ck_assert(cli_session_is_secret(s, "password 7 0822455D0A16"));
	ck_assert(!cli_session_is_secret(s, "login local"));
	ck_assert_int_eq(cli_session_line(s, "exit", t), 0);
	ck_assert_int_eq(cli_session_line(s, "enable secret 0 T0p S3cret", t), 0);
	ck_assert_int_eq(cli_session_line(s, "username u privilege 3 secret "
					  "pl41n", t), 0);
	ck_assert_int_eq(cli_session_line(s, "end", t), 0);
	term_mem_reset(t);
	conf_show(env.conf, t);
	run = term_mem_data(t, NULL);
	ck_assert_ptr_null(strstr(run, "S3cret"));
	ck_assert_ptr_null(strstr(run, "pl41n"));
	ck_assert_ptr_nonnull(strstr(run, "enable secret 9 $9$"));
	ck_assert_ptr_nonnull(strstr(run, "username u privilege 3 secret 9 $9$"));
	ck_assert_int_eq(cli_session_line(s, "disable", t), 0);
	ck_assert_int_eq(cli_session_line(s, "enable", t), 0);
	ck_assert(cli_session_hidden(s));
	ck_assert_int_eq(cli_session_line(s, "T0p S3cret", t), 0);
	ck_assert_uint_eq(cli_session_priv(s), 15);
	ck_assert_str_eq(cli_session_prompt(s), "Router#");
	cli_session_free(s);
	cli_env_fini(&env);
	term_free(t);
}
END_TEST

/* IOS type 8 and 9 of "cisco" with the salt nhEmQVczB7dqsO: the type 9
 * one is the example Cisco's documentation prints for that password. */
START_TEST(test_pwhash_known)
{
	static const char t9[] =
		"$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM";
	static const char t8[] =
		"$8$nhEmQVczB7dqsO$TpzLTGjrK0eb4RiRusOsTcUuOHV5ZuREhfQ5soC2lKo";
	char out[PWHASH_MAX];

	ck_assert_int_eq(pwhash_make_salted(PWHASH_SCRYPT, "cisco",
					    "nhEmQVczB7dqsO", out), 0);
	ck_assert_str_eq(out, t9);
	ck_assert_int_eq(pwhash_make_salted(PWHASH_PBKDF2, "cisco",
					    "nhEmQVczB7dqsO", out), 0);
	ck_assert_str_eq(out, t8);
	ck_assert(pwhash_verify(t9, "cisco") && pwhash_verify(t8, "cisco"));
	ck_assert(!pwhash_verify(t9, "Cisco") && !pwhash_verify(t8, "cisco "));
	ck_assert(!pwhash_verify("$9$short$x", "cisco"));
	ck_assert(!pwhash_valid(PWHASH_PBKDF2, t9));
	ck_assert_int_eq(pwhash_make(PWHASH_SCRYPT, "cisco", out), 0);
	ck_assert(strcmp(out, t9) != 0 && pwhash_verify(out, "cisco"));
}
END_TEST

static glob_t examples;

static char *
load_and_show(const char *name, const char *text, const char *keys, int *bad)
{
	struct cli_env env;
	struct term *errs = term_new_mem(), *t = term_new_mem();
	char err[256], *res;

	ck_assert_msg(cli_env_init(&env, NULL, NULL, keys, err, sizeof(err)) == 0,
		      "%s", err);
	*bad = cli_replay_text(&env, name, text, strlen(text), errs);
	if (*bad != 0)
		fprintf(stderr, "%s", term_mem_data(errs, NULL));
	conf_show(env.conf, t);
	res = strdup(term_mem_data(t, NULL));
	cli_env_fini(&env);
	term_free(errs);
	term_free(t);
	return res;
}

START_TEST(test_example_roundtrip)
{
	const char *path = examples.gl_pathv[_i];
	char *text = slurp(path), *one, *two, keys[64], rm[96];
	int bad;

	ck_assert_ptr_nonnull(text);
	snprintf(keys, sizeof(keys), "/tmp/getvpn-keys-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(keys));
	one = load_and_show(path, text, keys, &bad);
	ck_assert_msg(bad == 0, "%s: %d lines refused", path, bad);
	two = load_and_show("show1", one, keys, &bad);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", keys);
	ck_assert_int_eq(system(rm), 0);
	ck_assert_int_eq(bad, 0);
	ck_assert_str_eq(one, two);
	free(text);
	free(one);
	free(two);
}
END_TEST

START_TEST(test_replay_errors)
{
	struct cli_env env;
	struct term *errs = term_new_mem();
	char err[256];
	static const char cfg[] =
		"hostname KS1\n"
		"bogus command\n"
		"hostname\n"
		"crypto isakmp policy 10\n"
		" hash sha256\n"
		" hash sha999\n"
		"exit\nexit\nexit\n"
		"hostname KS2\n"
		"end\n"
		"hostname AFTER-END\n";

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cli_replay_text(&env, "s.cfg", cfg, strlen(cfg), errs), 3);
	ck_assert_str_eq(term_mem_data(errs, NULL),
		"s.cfg:2: bogus command\n"
		"s.cfg:2:   ^\n"
		"s.cfg:2: % Invalid input detected at '^' marker.\n"
		"s.cfg:3: % Incomplete command.\n"
		"s.cfg:6:  hash sha999\n"
		"s.cfg:6:          ^\n"
		"s.cfg:6: % Invalid input detected at '^' marker.\n");
	ck_assert_str_eq(env.conf->hostname, "KS2");
	cli_env_fini(&env);
	term_free(errs);
}
END_TEST

START_TEST(test_replay_bad_files)
{
	struct cli_env env;
	struct term *errs = term_new_mem();
	char err[256], dir[] = "/tmp/getvpn-replay-XXXXXX", path[64];
	static const char nul_cfg[] = "hostname A\nhost\0name B\n\xff\xfe junk\n";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/missing", dir);
	ck_assert_int_eq(cli_replay_file(&env, path, errs), -1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(errs, NULL), "No such file"));
	term_mem_reset(errs);
	ck_assert_int_eq(cli_replay_file(&env, dir, errs), -1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(errs, NULL), "directory"));
	ck_assert_int_eq(cli_replay_text(&env, "n", nul_cfg, sizeof(nul_cfg) - 1,
					 errs), 2);
	ck_assert_str_eq(env.conf->hostname, "A");
	cli_env_fini(&env);
	term_free(errs);
	rmdir(dir);
}
END_TEST

/* 10,000 nested exits and a half block: handled, config intact. */
START_TEST(test_replay_exits)
{
	struct cli_env env;
	struct term *errs = term_new_mem();
	size_t n = 10000 * 5 + 64;
	char err[256], *cfg = malloc(n);
	size_t off = 0;

	off += (size_t)sprintf(cfg, "crypto isakmp policy 10\n");
	for (int i = 0; i < 10000; i++)
		off += (size_t)sprintf(cfg + off, "exit\n");
	off += (size_t)sprintf(cfg + off, "hostname DONE\ncrypto isakmp policy");
	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cli_replay_text(&env, "x", cfg, off, errs), 1);
	ck_assert_str_eq(env.conf->hostname, "DONE");
	cli_env_fini(&env);
	term_free(errs);
	free(cfg);
}
END_TEST

START_TEST(test_write_memory)
{
	struct tl *t = tl_new();
	char path[256], *saved;
	struct stat st;

	snprintf(path, sizeof(path), "%s/startup-config", tl_tmpdir(t));
	ck_assert_int_eq(tl_line(t, "hostname SAVED"), 0);
	ck_assert_int_eq(tl_line(t, "do write memory"), 0);
	ck_assert_str_eq(tl_out(t), "Building configuration...\n[OK]\n");
	saved = slurp(path);
	ck_assert_ptr_nonnull(saved);
	ck_assert_ptr_nonnull(strstr(saved, "hostname SAVED\n"));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(saved);
	/* a failed save leaves the old file and says why */
	ck_assert_int_eq(chmod(tl_tmpdir(t), 0500), 0);
	ck_assert_int_eq(tl_line(t, "hostname OTHER"), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(tl_line(t, "do write memory"), -1);
		ck_assert_ptr_nonnull(strstr(tl_out(t), "% Error writing"));
	}
	ck_assert_int_eq(chmod(tl_tmpdir(t), 0700), 0);
	saved = slurp(path);
	ck_assert_ptr_nonnull(strstr(saved, "hostname SAVED\n"));
	free(saved);
	/* show startup-config, copy run start with its dialog */
	ck_assert_int_eq(tl_line(t, "end"), 0);
	ck_assert_int_eq(tl_line(t, "copy running-config startup-config"), 0);
	ck_assert_str_eq(tl_prompt(t), "Destination filename [startup-config]? ");
	ck_assert_int_eq(tl_line(t, ""), 0);
	ck_assert_int_eq(tl_line(t, "show startup-config"), 0);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "hostname OTHER\n"));
	ck_assert_ptr_nonnull(strstr(tl_out(t), "Using "));
	tl_free(t);
}
END_TEST

START_TEST(test_pipes)
{
	struct tl *t = tl_new();

	ck_assert_int_eq(tl_lines(t, "hostname PIPE\nend"), 0);
	ck_assert_int_eq(tl_line(t, "show running-config | include hostname"), 0);
	ck_assert_str_eq(tl_out(t), "hostname PIPE\n");
	ck_assert_int_eq(tl_line(t, "sh run | count ^end"), 0);
	ck_assert_str_eq(tl_out(t), "Number of lines which match regexp = 1\n");
	ck_assert_int_eq(tl_line(t, "sh run | begin ^end"), 0);
	ck_assert_str_eq(tl_out(t), "end\n");
	ck_assert_int_eq(tl_line(t, "sh run | ex !|Build|Current|^$"), 0);
	ck_assert_str_eq(tl_out(t), "hostname PIPE\nend\n");
	ck_assert_int_eq(tl_line(t, "sh run | inc _PIPE_"), 0);
	ck_assert_str_eq(tl_out(t), "hostname PIPE\n");
	ck_assert_int_eq(tl_line(t, "sh run | bogus x"), -1);
	ck_assert_int_eq(tl_line(t, "sh run | include ("), -1);
	tl_free(t);
}
END_TEST

/* Two sessions edit one group; one deletes it under the other. */
START_TEST(test_two_sessions)
{
	struct cli_env env;
	struct cli_session *a, *b;
	struct term *out = term_new_mem();
	char err[256];

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)), 0);
	a = cli_session_new(&env, "vty0", CLI_SESS_CONFIG);
	b = cli_session_new(&env, "vty1", CLI_SESS_CONFIG);
	ck_assert_int_eq(cli_session_line(a, "crypto gdoi group G", out), 0);
	ck_assert_int_eq(cli_session_line(a, "server local", out), 0);
	ck_assert_int_eq(cli_session_line(a, "sa ipsec 10", out), 0);
	ck_assert_int_eq(cli_session_line(b, "crypto gdoi group G", out), 0);
	ck_assert_int_eq(cli_session_line(b, "identity number 7", out), 0);
	ck_assert_str_eq(cli_session_prompt(a), "Router(gkm-sa-ipsec)#");
	ck_assert_int_eq(cli_session_line(b, "no crypto gdoi group G", out), 0);
	ck_assert(cli_session_asking(b));	/* a key server group */
	ck_assert_int_eq(cli_session_line(b, "yes", out), 0);
	term_mem_reset(out);
	/* a's next line is not written into the deleted group */
	ck_assert_int_eq(cli_session_line(a, "profile P", out), -1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "removed by another session"));
	ck_assert_str_eq(cli_session_prompt(a), "Router(config)#");
	ck_assert_int_eq(cli_session_line(a, "crypto gdoi group G", out), 0);
	ck_assert_int_eq(cli_session_line(a, "identity number 8", out), 0);
	term_mem_reset(out);
	conf_show(env.conf, out);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "crypto gdoi group G\n identity number 8\n!\n"));
	cli_session_free(a);
	cli_session_free(b);
	cli_env_fini(&env);
	term_free(out);
}
END_TEST

/* A file being replayed (startup-config, copy FILE running-config) has
 * nobody to answer: removing a key server group goes ahead at once. */
START_TEST(test_replay_does_not_ask)
{
	struct cli_env env;
	struct cli_session *r;
	struct term *out = term_new_mem();
	char err[256];

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, err, sizeof(err)), 0);
	r = cli_session_new(&env, "file", CLI_SESS_CONFIG | CLI_SESS_REPLAY);
	ck_assert_int_eq(cli_session_line(r, "crypto gdoi group G", out), 0);
	ck_assert_int_eq(cli_session_line(r, "server local", out), 0);
	ck_assert_int_eq(cli_session_line(r, "no crypto gdoi group G", out), 0);
	ck_assert(!cli_session_asking(r));
	term_mem_reset(out);
	conf_show(env.conf, out);
	ck_assert_ptr_null(strstr(term_mem_data(out, NULL), "crypto gdoi group"));
	cli_session_free(r);
	/* a session that ends with the question open removes nothing (and,
	 * under the sanitizers, leaks nothing) */
	r = cli_session_new(&env, "vty0", CLI_SESS_CONFIG);
	ck_assert_int_eq(cli_session_line(r, "crypto gdoi group K", out), 0);
	ck_assert_int_eq(cli_session_line(r, "server local", out), 0);
	ck_assert_int_eq(cli_session_line(r, "no crypto gdoi group K", out), 0);
	ck_assert(cli_session_asking(r));
	cli_session_free(r);
	term_mem_reset(out);
	conf_show(env.conf, out);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "crypto gdoi group K\n"));
	cli_env_fini(&env);
	term_free(out);
}
END_TEST

START_TEST(test_long_and_binary_lines)
{
	struct tl *t = tl_new();
	char *big = malloc((1 << 20) + 1);
	char *before = tl_show_run(t), *after;

	memset(big, 'a', 1 << 20);
	big[1 << 20] = '\0';
	memcpy(big, "hostname ", 9);
	ck_assert_int_eq(tl_line(t, big), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "% Line too long"));
	ck_assert_int_eq(tl_line(t, "hostname \x01" "bad"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "% Invalid input detected"));
	ck_assert_int_eq(tl_line(t, "hostname \xff\xfe"), -1);
	after = tl_show_run(t);
	ck_assert_str_eq(before, after);
	free(big);
	free(before);
	free(after);
	tl_free(t);
}
END_TEST

START_TEST(test_fixtures_present)
{
	ck_assert_uint_ge(goldens.gl_pathc, 5);
	ck_assert_uint_ge(examples.gl_pathc, 4);
}
END_TEST

Suite *
suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("golden");
	TCase *ex = tcase_create("examples");
	TCase *rp = tcase_create("replay");

	if (goldens.gl_pathc == 0)
		glob("tests/cli/*.in", 0, NULL, &goldens);
	if (examples.gl_pathc == 0)
		glob("examples/*.cfg", 0, NULL, &examples);
	tcase_add_test(tc, test_fixtures_present);
	tcase_add_loop_test(tc, test_golden, 0, (int)goldens.gl_pathc);
	tcase_add_loop_test(ex, test_example_roundtrip, 0, (int)examples.gl_pathc);
	tcase_add_test(rp, test_replay_errors);
	tcase_add_test(rp, test_replay_bad_files);
	tcase_add_test(rp, test_replay_exits);
	tcase_add_test(rp, test_write_memory);
	tcase_add_test(rp, test_pipes);
	tcase_add_test(rp, test_two_sessions);
	tcase_add_test(rp, test_secret_hashed);
	tcase_add_test(rp, test_pwhash_known);
	tcase_add_test(rp, test_replay_does_not_ask);
	tcase_add_test(rp, test_long_and_binary_lines);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, ex);
	suite_add_tcase(s, rp);
	return s;
}
