/*
 * The RSA key commands of cli/cmd_key.c (doc/ios-cli.md §2.4, §2.12) through a
 * real environment (engine, running-config, key store) and session:
 * `crypto key generate rsa` in every option order with IOS's texts,
 * refused lines that leave keys and config untouched, `crypto key zeroize
 * rsa`, the `show crypto key mypubkey rsa` layout, no key store, and a
 * startup-config replay that must keep an existing key.
 *
 * Each test has its own key directory under one mkdtemp() tree that the
 * unchecked fixture removes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "gdoi/rsakey.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/term.h"
#include "roles/keystore.h"
#include "key_fixtures.h"

static char *
cli_running(struct tk_cli *c)
{
	struct term *t = term_new_mem();
	char *s;

	conf_show(c->env.conf, t);
	s = strdup(term_mem_data(t, NULL));
	term_free(t);
	return s;
}

/* Output up to "[OK] (elapsed time was ", then N seconds and nothing more. */
static void
assert_generated(const char *out, const char *head)
{
	size_t n = strlen(head);
	unsigned secs;
	int end = -1;

	ck_assert_msg(strncmp(out, head, n) == 0, "got:\n%s\nwant:\n%s", out, head);
	sscanf(out + n, "[OK] (elapsed time was %u seconds)%n", &secs, &end);
	ck_assert_msg(end > 0 && strcmp(out + n + end, "\n") == 0, "tail: %s", out + n);
}

struct gen_case {
	const char *pre;	/* lines run first ('\n'-separated), may be NULL */
	const char *line;
	const char *head;	/* expected output before "[OK] ..." */
};

static const struct gen_case gen_cases[] = {
	{ NULL, "crypto key generate rsa modulus 512 label K1",
	  "The name for the keys will be: K1\n"
	  "% The key modulus size is 512 bits\n"
	  "% Generating 512 bit RSA keys, keys will be non-exportable...\n" },
	/* S15's order, S8's order, abbreviations */
	{ NULL, "crypto key generate rsa modulus 1024 general-keys label pkikey",
	  "The name for the keys will be: pkikey\n"
	  "% The key modulus size is 1024 bits\n"
	  "% Generating 1024 bit RSA keys, keys will be non-exportable...\n" },
	{ NULL, "crypto key generate rsa label GETVPN-REKEY-RSA modulus 512 exportable",
	  "The name for the keys will be: GETVPN-REKEY-RSA\n"
	  "% The key modulus size is 512 bits\n"
	  "% Generating 512 bit RSA keys, keys will be exportable...\n" },
	{ NULL, "cry key g r exp mod 513 lab odd",
	  "The name for the keys will be: odd\n"
	  "% The key modulus size is 513 bits\n"
	  "% Generating 513 bit RSA keys, keys will be exportable...\n" },
	/* the label defaults to the hostname */
	{ "hostname KS1", "crypto key generate rsa modulus 512",
	  "The name for the keys will be: KS1\n"
	  "% The key modulus size is 512 bits\n"
	  "% Generating 512 bit RSA keys, keys will be non-exportable...\n" },
	{ NULL, "crypto key generate rsa modulus 512",
	  "The name for the keys will be: Router\n"
	  "% The key modulus size is 512 bits\n"
	  "% Generating 512 bit RSA keys, keys will be non-exportable...\n" },
	/* replacing (S3's text) */
	{ "crypto key generate rsa modulus 512 label ca",
	  "crypto key generate rsa modulus 512 label ca",
	  "% You already have RSA keys defined named ca.\n"
	  "% They will be replaced.\n\n"
	  "% The key modulus size is 512 bits\n"
	  "% Generating 512 bit RSA keys, keys will be non-exportable...\n" },
};

static void
cli_pre(struct tk_cli *c, const char *pre)
{
	char *copy, *save = NULL;

	if (pre == NULL)
		return;
	copy = strdup(pre);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		ck_assert_msg(tk_cli_run(c, l) == 0, "%s: %s", l, tk_cli_out(c));
	free(copy);
}

START_TEST(test_cli_generate)
{
	const struct gen_case *g = &gen_cases[_i];
	struct tk_cli c;
	char name[32], *run;

	snprintf(name, sizeof(name), "cligen%d", _i);
	tk_cli_open(&c, tk_dir(name));
	cli_pre(&c, g->pre);
	ck_assert_msg(tk_cli_run(&c, g->line) == 0, "%s", tk_cli_out(&c));
	assert_generated(tk_cli_out(&c), g->head);
	ck_assert_uint_eq(keystore_count(c.env.keys), 1);
	/* executed, never part of the running-config */
	run = cli_running(&c);
	ck_assert_ptr_null(strstr(run, "crypto key"));
	free(run);
	tk_cli_close(&c);
}
END_TEST

struct err_case {
	const char *line;
	const char *out;	/* expected output (NULL: only "refused") */
};

static const struct err_case err_cases[] = {
	{ "crypto key generate rsa modulus 511", NULL },
	{ "crypto key generate rsa modulus 4097", NULL },
	{ "crypto key generate rsa modulus", "% Incomplete command.\n\n" },
	{ "crypto key generate rsa label", "% Incomplete command.\n\n" },
	{ "crypto key generate rsa label ../x modulus 512",
	  "% Invalid key label \"../x\": use 1-63 characters of A-Z a-z 0-9 . _ - "
	  "not starting with '.'\n" },
	{ "crypto key generate rsa label A label B modulus 512",
	  "% Each option may be given only once.\n" },
	{ "crypto key generate rsa modulus 512 modulus 1024",
	  "% Each option may be given only once.\n" },
	{ "crypto key generate rsa general-keys usage-keys modulus 512",
	  "% Each option may be given only once.\n" },
	{ "crypto key generate rsa exportable exportable", "% Each option may be given only once.\n" },
	{ "crypto key generate rsa modulus 512 label A extra", NULL },
	{ "no crypto key generate rsa", NULL },
	{ "default crypto key generate rsa modulus 512", NULL },
	{ "crypto key zeroize rsa NOPE", "% No RSA keys named NOPE.\n" },
	{ "no crypto key zeroize rsa", NULL },
};

START_TEST(test_cli_errors)
{
	const struct err_case *e = &err_cases[_i];
	struct tk_cli c;
	char name[32], *before, *after;

	snprintf(name, sizeof(name), "clierr%d", _i);
	tk_cli_open(&c, tk_dir(name));
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa modulus 512 label keep"), 0);
	before = cli_running(&c);
	ck_assert_int_eq(tk_cli_run(&c, e->line), -1);
	if (e->out != NULL)
		ck_assert_str_eq(tk_cli_out(&c), e->out);
	/* nothing changed: the old key only, the same config */
	ck_assert_uint_eq(keystore_count(c.env.keys), 1);
	ck_assert_ptr_nonnull(keystore_find(c.env.keys, "keep"));
	after = cli_running(&c);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	tk_cli_close(&c);
}
END_TEST

START_TEST(test_cli_zeroize)
{
	struct tk_cli c;
	const char *dir = tk_dir("clizero");

	tk_cli_open(&c, dir);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa modulus 512 label A"), 0);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa modulus 512 label B"), 0);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa modulus 512 label C"), 0);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key zeroize rsa B"), 0);
	ck_assert_str_eq(tk_cli_out(&c), "% Keys to be removed are named 'B'.\n");
	ck_assert(!tk_exists(dir, "B.pem"));
	ck_assert(tk_exists(dir, "A.pem"));
	ck_assert_uint_eq(keystore_count(c.env.keys), 2);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key zeroize rsa"), 0);
	ck_assert_str_eq(tk_cli_out(&c), "% All keys will be removed.\n");
	ck_assert_uint_eq(keystore_count(c.env.keys), 0);
	ck_assert(!tk_exists(dir, "A.pem"));
	ck_assert(!tk_exists(dir, "C.pem"));
	/* nothing left: still fine */
	ck_assert_int_eq(tk_cli_run(&c, "crypto key zeroize rsa"), 0);
	tk_cli_close(&c);
}
END_TEST

/* Parse the " Key Data:" hex block back into bytes. */
static size_t
parse_key_data(const char *text, uint8_t *out, size_t cap)
{
	const char *p = strstr(text, " Key Data:\n");
	size_t n = 0;

	ck_assert_ptr_nonnull(p);
	p += strlen(" Key Data:\n");
	while (strncmp(p, "  ", 2) == 0) {
		const char *eol = strchr(p, '\n');
		int groups = 0;

		ck_assert_ptr_nonnull(eol);
		p += 2;
		while (p < eol) {
			size_t glen = strspn(p, "0123456789ABCDEF");

			ck_assert(glen > 0 && glen <= 8 && glen % 2 == 0);
			for (size_t i = 0; i < glen; i += 2) {
				unsigned v;

				ck_assert(n < cap);
				sscanf(p + i, "%2X", &v);
				out[n++] = (uint8_t)v;
			}
			groups++;
			p += glen;
			if (*p == ' ')
				p++;
		}
		ck_assert_int_le(groups, 8);
		p = eol + 1;
	}
	return n;
}

START_TEST(test_cli_show_mypubkey)
{
	struct tk_cli c;
	const char *out, *dir = tk_dir("clishow");
	struct keystore_info in;
	uint8_t der[600];
	size_t n;
	struct rsakey *pub;
	char *img;
	char *path;

	tk_cli_open(&c, dir);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa label getvpnkey modulus 512 exportable"), 0);
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa signature label sig modulus 512"), 0);
	ck_assert_int_eq(tk_cli_run(&c, "end"), 0);
	ck_assert_int_eq(tk_cli_run(&c, "show crypto key mypubkey rsa getvpnkey"), 0);
	out = tk_cli_out(&c);
	ck_assert_msg(strncmp(out, "% Key pair was generated at: ", 29) == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, " UTC "));
	ck_assert_ptr_nonnull(strstr(out, "\nKey name: getvpnkey\nKey type: RSA KEYS\n"
				     " Storage Device: not specified\n"
				     " Usage: General Purpose Key\n Key is exportable.\n"
				     " Key Data:\n"
				     "  305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00"));
	/* every byte of the SPKI, 8 groups of 4 octets per line */
	n = parse_key_data(out, der, sizeof(der));
	ck_assert_int_eq(keystore_get(c.env.keys, "getvpnkey", &in), 0);
	ck_assert_uint_eq(n, in.pub_len);
	ck_assert_mem_eq(der, in.pub_der, n);
	pub = rsakey_from_pub_der(der, n);
	ck_assert_ptr_nonnull(pub);
	ck_assert_uint_eq(rsakey_bits(pub), 512);
	rsakey_free(pub);
	ck_assert_ptr_nonnull(strstr(out, "\n  "));
	ck_assert_ptr_null(strstr(out, "Key name: sig"));

	/* all keys, in label order, abbreviated */
	ck_assert_int_eq(tk_cli_run(&c, "sh cry key myp rsa"), 0);
	out = tk_cli_out(&c);
	ck_assert_ptr_nonnull(strstr(out, "Key name: getvpnkey"));
	ck_assert_ptr_nonnull(strstr(out, "Key name: sig\nKey type: RSA KEYS\n"
				     " Storage Device: not specified\n Usage: Signature Key\n"
				     " Key is not exportable.\n"));
	ck_assert(strstr(out, "Key name: getvpnkey") < strstr(out, "Key name: sig"));

	/* an unknown label shows nothing */
	ck_assert_int_eq(tk_cli_run(&c, "show crypto key mypubkey rsa nope"), 0);
	ck_assert_str_eq(tk_cli_out(&c), "");
	tk_cli_close(&c);

	/* the date line comes from the stored generation time (S5's example) */
	path = tk_path(dir, "getvpnkey.pem");
	ck_assert_int_eq(file_read_all(path, 1 << 16, &img, &n), 0);
	free(path);
	{
		char *fixed;
		char *pem = strstr(img, "-----BEGIN");

		ck_assert_int_gt(asprintf(&fixed, "Generated: 1667620575\n%s", pem), 0);
		tk_write(dir, "getvpnkey.pem", fixed, strlen(fixed));
		free(fixed);
	}
	free(img);
	tk_cli_open(&c, dir);
	ck_assert_int_eq(tk_cli_run(&c, "do show crypto key mypubkey rsa getvpnkey"), 0);
	out = "% Key pair was generated at: 03:56:15 UTC Nov 5 2022\nKey name: getvpnkey\n";
	ck_assert_msg(strncmp(tk_cli_out(&c), out, strlen(out)) == 0, "%s", tk_cli_out(&c));
	tk_cli_close(&c);
}
END_TEST

START_TEST(test_cli_no_store)
{
	static const char *const lines[] = {
		"crypto key generate rsa modulus 512 label x",
		"crypto key zeroize rsa",
		"do show crypto key mypubkey rsa",
	};
	struct tk_cli c;

	tk_cli_open(&c, NULL);
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		ck_assert_int_eq(tk_cli_run(&c, lines[i]), -1);
		ck_assert_str_eq(tk_cli_out(&c),
				 "% No key storage configured (start getvpn with -k DIR)\n");
	}
	tk_cli_close(&c);
}
END_TEST

/* A startup-config replay generates a missing key but never replaces one. */
START_TEST(test_cli_replay_keeps_key)
{
	static const char cfg[] =
		"hostname KS1\n"
		"crypto key generate rsa label REKEY modulus 512 exportable\n"
		"crypto key generate rsa modulus 512\n";
	const char *dir = tk_dir("replay");
	struct tk_cli c;
	struct term *err = term_new_mem();
	struct keystore_info in;
	uint8_t pub[600], pub2[600];
	size_t publen;

	tk_cli_open(&c, dir);
	ck_assert_int_eq(cli_replay_text(&c.env, "startup-config", cfg, strlen(cfg), err), 0);
	ck_assert_str_eq(term_mem_data(err, NULL), "");
	ck_assert_uint_eq(keystore_count(c.env.keys), 2);
	ck_assert_int_eq(keystore_get(c.env.keys, "REKEY", &in), 0);
	ck_assert(in.exportable);
	publen = in.pub_len;
	memcpy(pub, in.pub_der, publen);
	ck_assert_int_eq(keystore_get(c.env.keys, "KS1", &in), 0);
	memcpy(pub2, in.pub_der, in.pub_len);
	tk_cli_close(&c);

	/* "reboot": same directory, same startup-config */
	tk_cli_open(&c, dir);
	ck_assert_int_eq(cli_replay_text(&c.env, "startup-config", cfg, strlen(cfg), err), 0);
	ck_assert_str_eq(term_mem_data(err, NULL), "");
	ck_assert_int_eq(keystore_get(c.env.keys, "REKEY", &in), 0);
	ck_assert_uint_eq(in.pub_len, publen);
	ck_assert_mem_eq(in.pub_der, pub, publen);
	ck_assert_int_eq(keystore_get(c.env.keys, "KS1", &in), 0);
	ck_assert_mem_eq(in.pub_der, pub2, in.pub_len);

	/* typed by a user, the same line does replace it */
	ck_assert_int_eq(tk_cli_run(&c, "crypto key generate rsa label REKEY modulus 512"), 0);
	ck_assert_int_eq(keystore_get(c.env.keys, "REKEY", &in), 0);
	ck_assert(memcmp(in.pub_der, pub, publen) != 0);
	ck_assert(!in.exportable);
	tk_cli_close(&c);
	term_free(err);
}
END_TEST

START_TEST(test_cli_help)
{
	struct tk_cli c;
	struct term *t = term_new_mem();
	const char *h;

	tk_cli_open(&c, tk_dir("clihelp"));
	cli_session_help(c.s, "crypto key generate rsa ", t);
	h = term_mem_data(t, NULL);
	ck_assert_ptr_nonnull(strstr(h, "general-keys"));
	ck_assert_ptr_nonnull(strstr(h, "modulus"));
	ck_assert_ptr_nonnull(strstr(h, "Provide a label"));
	ck_assert_ptr_nonnull(strstr(h, "<cr>"));
	term_mem_reset(t);
	cli_session_help(c.s, "crypto key generate rsa modulus ", t);
	ck_assert_ptr_nonnull(strstr(term_mem_data(t, NULL), "<512-4096>"));
	term_free(t);
	tk_cli_close(&c);
}
END_TEST

Suite *suite_keys_cli(void);

Suite *
suite_keys_cli(void)
{
	Suite *s = suite_create("keys_cli");
	TCase *tc;

	tc = tcase_create("cli");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, tk_setup, tk_teardown);
	tcase_add_loop_test(tc, test_cli_generate, 0, sizeof(gen_cases) / sizeof(*gen_cases));
	tcase_add_loop_test(tc, test_cli_errors, 0, sizeof(err_cases) / sizeof(*err_cases));
	tcase_add_test(tc, test_cli_zeroize);
	tcase_add_test(tc, test_cli_show_mypubkey);
	tcase_add_test(tc, test_cli_no_store);
	tcase_add_test(tc, test_cli_replay_keeps_key);
	tcase_add_test(tc, test_cli_help);
	suite_add_tcase(s, tc);
	return s;
}
