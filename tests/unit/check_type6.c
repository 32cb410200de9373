/*
 * IOS type 6 secrets (roles/type6.c): the published router vectors
 * decrypt, our encoder writes the router's text octet for octet, ours
 * round-trip, and every bad text is refused with its reason.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "parser/conf_isakmp.h"
#include "parser/conf_keyring.h"
#include "parser/conf_pwenc.h"
#include "platform/fileio.h"
#include "platform/term.h"
#include "roles/type6.h"
#include "testlib.h"

/* A key a router printed, master key and key both "Cisco123" (the
 * example of Cisco's published encoder), and one from a decoder built
 * on it. */
#define V1_TEXT "fe_a`iJYE\\DZYJhDhTP[`MYaTgRH_MAAB"
#define V2_TEXT "XOUDEUYHeLGdB`UAZKX\\GK[iEgCWMZXEXN^dTGZ[UAAAB"

START_TEST(test_router_vectors)
{
	char clear[TYPE6_CLEAR_MAX];

	ck_assert_int_eq(type6_decrypt("Cisco123", V1_TEXT, clear,
				       sizeof(clear)), TYPE6_OK);
	ck_assert_str_eq(clear, "Cisco123");
	ck_assert_int_eq(type6_decrypt("mySecretMasterkey", V2_TEXT, clear,
				       sizeof(clear)), TYPE6_OK);
	ck_assert_str_eq(clear, "mySecretPassword");
}
END_TEST

/* The salt is the first 12 characters (4 groups of 3 for 8 octets). */
static void
salt_of(const char *text, uint8_t salt[8])
{
	for (int g = 0; g < 4; g++) {
		const char *p = text + 3 * g;
		unsigned v = (unsigned)((p[0] - 'A') * 1681 + (p[1] - 'A') * 41 +
					(p[2] - 'A'));

		salt[2 * g] = (uint8_t)(v >> 8);
		salt[2 * g + 1] = (uint8_t)v;
	}
}

START_TEST(test_encrypt_matches_router)
{
	uint8_t salt[8];
	char text[TYPE6_TEXT_MAX];

	salt_of(V1_TEXT, salt);
	ck_assert_int_eq(type6_encrypt_salted("Cisco123", "Cisco123", salt,
					      text, sizeof(text)), TYPE6_OK);
	ck_assert_str_eq(text, V1_TEXT);
}
END_TEST

/* Every length a key may have, odd and even: fresh salts, round trip. */
START_TEST(test_round_trip_lengths)
{
	char key[TYPE6_CLEAR_MAX], text[TYPE6_TEXT_MAX], clear[TYPE6_CLEAR_MAX];
	char again[TYPE6_TEXT_MAX];

	for (size_t len = 1; len < TYPE6_CLEAR_MAX; len++) {
		for (size_t i = 0; i < len; i++)
			key[i] = (char)('!' + (i * 7 + len) % 94);
		key[len] = '\0';
		ck_assert_int_eq(type6_encrypt("master-key-1", key, text,
					       sizeof(text)), TYPE6_OK);
		ck_assert_int_eq(strlen(text), (8 + len + 4) / 2 * 3 + 3);
		ck_assert_int_eq(type6_decrypt("master-key-1", text, clear,
					       sizeof(clear)), TYPE6_OK);
		ck_assert_str_eq(clear, key);
		ck_assert_int_eq(type6_encrypt("master-key-1", key, again,
					       sizeof(again)), TYPE6_OK);
		ck_assert_str_ne(again, text);	/* a fresh salt each time */
	}
}
END_TEST

START_TEST(test_bad_texts)
{
	char clear[TYPE6_CLEAR_MAX] = "untouched", t[TYPE6_TEXT_MAX];
	char big[400];

	/* wrong master key: the MAC says so before anything is decrypted */
	ck_assert_int_eq(type6_decrypt("Cisco124", V1_TEXT, clear,
				       sizeof(clear)), TYPE6_BAD_MAC);
	ck_assert_str_eq(clear, "untouched");
	/* every single character changed to another base41 one */
	for (size_t i = 0; i < strlen(V1_TEXT); i++) {
		snprintf(t, sizeof(t), "%s", V1_TEXT);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		ck_assert_int_ne(type6_decrypt("Cisco123", t, clear,
					       sizeof(clear)), TYPE6_OK);
	}
	/* not base41, not whole groups, too short, over 65535, bad pad */
	ck_assert_int_eq(type6_decrypt("Cisco123", "X", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "fe_a`iJYE\\DZYJhDhTP[`MYa"
				       "TgRH_MAA", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "fe_a`iJYE\\DZYJhDhTP[`MYa"
				       "TgRH_Mj!B", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "AAAAAAAAAAAAAAB",
				       clear, sizeof(clear)), TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "iiiAAAAAAAAAAAAAAAAAAB",
				       clear, sizeof(clear)), TYPE6_MALFORMED);
	ck_assert_int_eq(type6_decrypt("Cisco123", "fe_a`iJYE\\DZYJhDhTP[`MYa"
				       "TgRH_MAAC", clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	memset(big, 'B', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(type6_decrypt("Cisco123", big, clear, sizeof(clear)),
			 TYPE6_MALFORMED);
	/* clear text no key can be: empty, too long, control characters */
	ck_assert_int_eq(type6_encrypt("m", "", t, sizeof(t)), TYPE6_BAD_CLEAR);
	ck_assert_int_eq(type6_encrypt("m", big, t, sizeof(t)),
			 TYPE6_BAD_CLEAR);
	ck_assert_int_eq(type6_encrypt("master-key", "a\tb", t, sizeof(t)),
			 TYPE6_OK);
	ck_assert_int_eq(type6_decrypt("master-key", t, clear, sizeof(clear)),
			 TYPE6_BAD_CLEAR);
	ck_assert_str_eq(clear, "untouched");
}
END_TEST

/*
 * Through the CLI: a restart is a fresh process environment on the same
 * startup-config (and master key file) replaying it.
 */
struct boot {
	struct cli_env env;
	struct term *err;
	int bad;
};

static void
boot(struct boot *b, const char *dir)
{
	char path[256], e[256];

	snprintf(path, sizeof(path), "%s/startup-config", dir);
	ck_assert_int_eq(cli_env_init(&b->env, NULL, path, NULL, e, sizeof(e)),
			 0);
	b->err = term_new_mem();
	b->bad = cli_replay_file(&b->env, path, b->err);
}

static void
boot_end(struct boot *b)
{
	cli_env_fini(&b->env);
	term_free(b->err);
}

static const char *
psk(struct conf *c, const char *addr)
{
	const struct conf_isakmp_key *k;
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	k = conf_isakmp_key_for_peer(c->isakmp, a.s_addr);
	return k ? k->secret : "(none)";
}

static void
write_startup(const char *dir, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/startup-config", dir);
	ck_assert_int_eq(file_write_atomic(path, text, strlen(text), 0600), 0);
}

static char *
read_in(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return tl_slurp(path);
}

/* Saved with a master key, restarted: the keys decrypt at replay, show
 * run prints the same type 6 text, and the master key is in its own 0600
 * file, never in the startup-config. */
START_TEST(test_saved_and_replayed)
{
	struct tl *t = tl_new();
	struct boot b;
	char *saved, *mk, *run, mkpath[256];
	struct stat st;

	ck_assert_int_eq(tl_lines(t, "key config-key password-encrypt "
				  "Master-Key-1\npassword encryption aes\n"
				  "crypto isakmp key Psk-One address 10.0.0.1\n"
				  "crypto keyring R\n pre-shared-key address "
				  "10.0.0.2 key Psk-Two\nexit\n"
				  "do write memory"), 0);
	saved = read_in(tl_tmpdir(t), "startup-config");
	mk = read_in(tl_tmpdir(t), "startup-config.master-key");
	ck_assert_ptr_null(strstr(saved, "Psk-One"));
	ck_assert_ptr_null(strstr(saved, "Psk-Two"));
	ck_assert_ptr_null(strstr(saved, "Master-Key-1"));
	ck_assert_ptr_nonnull(strstr(saved, "crypto isakmp key 6 "));
	ck_assert_ptr_nonnull(strstr(saved, "password encryption aes\n"));
	ck_assert_str_eq(mk, "current Master-Key-1\n");
	snprintf(mkpath, sizeof(mkpath), "%s/startup-config.master-key",
		 tl_tmpdir(t));
	ck_assert_int_eq(stat(mkpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);

	boot(&b, tl_tmpdir(t));
	ck_assert_int_eq(b.bad, 0);
	ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "Psk-One");
	ck_assert_str_eq(conf_keyrings_key_for_peer(b.env.conf->keyrings,
			 htonl(0x0a000002))->secret, "Psk-Two");
	run = tl_show_run(t);
	term_mem_reset(b.err);
	conf_show(b.env.conf, b.err);
	ck_assert_str_eq(term_mem_data(b.err, NULL), run);	/* same texts */
	boot_end(&b);
	free(run);
	free(saved);
	free(mk);
	tl_free(t);
}
END_TEST

#define V1_LINE "crypto isakmp key 6 " V1_TEXT " address 10.0.0.1\n"

/* No master key file, or a wrong one: each type 6 line is reported with
 * its line number, kept (show run, write memory) and never used; the
 * right master key later makes it usable. */
START_TEST(test_replay_without_master_key)
{
	struct tl *t = tl_new();
	const char *dir = tl_tmpdir(t);
	char mk[256], *saved;
	struct boot b;
	struct term *o = term_new_mem();

	write_startup(dir, "hostname R1\n!\n" V1_LINE "end\n");
	boot(&b, dir);
	ck_assert_int_eq(b.bad, 1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(b.err, NULL),
				     "startup-config:3: % Cannot decrypt the "
				     "type 6 key: no master key"));
	ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "(none)");
	conf_show(b.env.conf, o);
	ck_assert_ptr_nonnull(strstr(term_mem_data(o, NULL), V1_LINE));
	boot_end(&b);

	snprintf(mk, sizeof(mk), "%s/startup-config.master-key", dir);
	ck_assert_int_eq(file_write_atomic(mk, "current Cisco124\n", 17,
					   0600), 0);
	boot(&b, dir);
	ck_assert_int_eq(b.bad, 1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(b.err, NULL),
				     "startup-config:3: % Cannot decrypt the "
				     "type 6 key: wrong master key"));
	ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "(none)");
	/* saved again: the line is still there, unchanged */
	{
		struct cli_session *s = cli_session_new(&b.env, "console",
						CLI_SESS_CONFIG |
						CLI_SESS_ENABLED);

		term_mem_reset(o);
		ck_assert_int_eq(cli_session_line(s, "do write memory", o), 0);
		saved = read_in(dir, "startup-config");
		ck_assert_ptr_nonnull(strstr(saved, V1_LINE));
		free(saved);
		ck_assert_int_eq(cli_session_line(s, "key config-key "
						  "password-encrypt Cisco123",
						  o), 0);
		ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "Cisco123");
		cli_session_free(s);
	}
	boot_end(&b);
	/* the new master key was kept: the next start decrypts */
	boot(&b, dir);
	ck_assert_int_eq(b.bad, 0);
	ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "Cisco123");
	boot_end(&b);
	term_free(o);
	tl_free(t);
}
END_TEST

/* The master key changed and the config not saved: the startup-config's
 * keys still decrypt at the next start (the previous key is kept). */
START_TEST(test_master_key_changed_unsaved)
{
	struct tl *t = tl_new();
	struct boot b;
	char *mk;

	ck_assert_int_eq(tl_lines(t, "key config-key password-encrypt "
				  "First-Key-1\npassword encryption aes\n"
				  "crypto isakmp key Psk-One address 10.0.0.1\n"
				  "do write memory\n"
				  "key config-key password-encrypt Second-Key-2"),
			 0);
	mk = read_in(tl_tmpdir(t), "startup-config.master-key");
	ck_assert_str_eq(mk, "current Second-Key-2\nprevious First-Key-1\n");
	boot(&b, tl_tmpdir(t));
	ck_assert_int_eq(b.bad, 0);
	ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "Psk-One");
	boot_end(&b);
	free(mk);
	tl_free(t);
}
END_TEST

/* A master key file that is not one: logged, keys stay locked and kept. */
START_TEST(test_bad_master_key_file)
{
	struct tl *t = tl_new();
	const char *dir = tl_tmpdir(t);
	static const char *const bad[] = {
		"garbage\n", "current short\n", "previous Cisco123\n",
		"current Cisco123\nother Cisco123\n", "",
	};
	char mk[256];
	struct boot b;

	write_startup(dir, V1_LINE);
	snprintf(mk, sizeof(mk), "%s/startup-config.master-key", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_int_eq(file_write_atomic(mk, bad[i], strlen(bad[i]),
						   0600), 0);
		boot(&b, dir);
		ck_assert_int_eq(b.bad, 1);
		ck_assert_str_eq(psk(b.env.conf, "10.0.0.1"), "(none)");
		boot_end(&b);
	}
	tl_free(t);
}
END_TEST

/* `key config-key password-encrypt` without KEY: asked twice, not
 * echoed, at a terminal; refused with the reason in a replayed file and
 * where no user is at a terminal (a script, `getvpn -c`). */
START_TEST(test_master_key_asked_at_a_terminal)
{
	struct cli_env env;
	struct cli_session *s;
	struct term *out = term_new_mem();
	char e[256];

	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, NULL, e, sizeof(e)), 0);
	s = cli_session_new(&env, "console", CLI_SESS_TERMINAL |
			    CLI_SESS_CONFIG | CLI_SESS_ENABLED);
	ck_assert_int_eq(cli_session_line(s, "key config-key password-encrypt",
					  out), 0);
	ck_assert(cli_session_hidden(s));
	ck_assert_str_eq(cli_session_prompt(s), "New key: ");
	ck_assert_int_eq(cli_session_line(s, "Asked-Key-1", out), 0);
	ck_assert_str_eq(cli_session_prompt(s), "Confirm key: ");
	ck_assert_int_eq(cli_session_line(s, "Asked-Key-1", out), 0);
	ck_assert_str_eq(env.conf->pwenc->master, "Asked-Key-1");
	ck_assert_ptr_null(strstr(term_mem_data(out, NULL), "Asked-Key-1"));
	/* different answers: nothing changes */
	cli_session_line(s, "key config-key password-encrypt", out);
	cli_session_line(s, "Asked-Key-2", out);
	ck_assert_int_eq(cli_session_line(s, "Asked-Key-3", out), -1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "% The keys do not match"));
	ck_assert_str_eq(env.conf->pwenc->master, "Asked-Key-1");
	cli_session_free(s);
	/* nobody at a terminal */
	s = cli_session_new(&env, "console", CLI_SESS_CONFIG |
			    CLI_SESS_ENABLED);
	term_mem_reset(out);
	ck_assert_int_eq(cli_session_line(s, "key config-key password-encrypt",
					  out), -1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "% No terminal to ask the master key at"));
	cli_session_free(s);
	term_mem_reset(out);
	ck_assert_int_eq(cli_replay_text(&env, "startup-config",
					 "key config-key password-encrypt\n",
					 32, out), 1);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "startup-config:1: % No terminal"));
	ck_assert_str_eq(env.conf->pwenc->master, "Asked-Key-1");
	cli_env_fini(&env);
	term_free(out);
}
END_TEST

Suite *
suite_type6(void)
{
	Suite *s = suite_create("type6");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_router_vectors);
	tcase_add_test(tc, test_encrypt_matches_router);
	tcase_add_test(tc, test_round_trip_lengths);
	tcase_add_test(tc, test_bad_texts);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_test(tc, test_saved_and_replayed);
	tcase_add_test(tc, test_replay_without_master_key);
	tcase_add_test(tc, test_master_key_changed_unsaved);
	tcase_add_test(tc, test_bad_master_key_file);
	tcase_add_test(tc, test_master_key_asked_at_a_terminal);
	suite_add_tcase(s, tc);
	return s;
}
