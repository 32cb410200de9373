/*
 * `crypto key export rsa LABEL pem {terminal|url FILE} {3des|aes} PASS`
 * and `crypto key import rsa LABEL [pem] [exportable] {terminal|url FILE}
 * PASS` (cli/cmd_key_pem.c) through a real environment and session, the
 * way two cooperating key servers come to hold one rekey key pair: the
 * IOS texts and paste dialog, a round trip through the terminal and
 * through files, and every bad input refused with the key store left as
 * it was (wrong passphrase, truncated or damaged private key, a public
 * key of another pair, no public key, overlong paste, a session that
 * ends mid-paste, a key that is not exportable, DES, unknown labels,
 * missing files).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/session.h"
#include "gdoi/rsakey.h"
#include "platform/term.h"
#include "roles/keystore.h"
#include "key_fixtures.h"

#define PASS "cisco123"

/* The lines from the one starting with begin to the one starting with
 * end, both included, each ending in '\n' (malloc'd). */
static char *
pem_block(const char *out, const char *begin, const char *end)
{
	const char *b = strstr(out, begin), *e;

	ck_assert_ptr_nonnull(b);
	e = strstr(b, end);
	ck_assert_ptr_nonnull(e);
	e = strchr(e, '\n');
	ck_assert_ptr_nonnull(e);
	return strndup(b, (size_t)(e + 1 - b));
}

/* Paste text line by line into a running dialog, blank lines too (the
 * one after DEK-Info belongs to the private key). */
static void
paste(struct tk_cli *c, const char *text)
{
	char *copy = strdup(text), *rest = copy, *l;

	while ((l = strsep(&rest, "\n")) != NULL)
		if (rest != NULL)	/* not the empty tail after the last '\n' */
			tk_cli_run(c, l);
	free(copy);
}

/* A store with an exportable 1024-bit pair REKEY; its export in *pub and
 * *prv (cipher aes or 3des). */
static void
exporter(struct tk_cli *a, const char *cipher, char **pub, char **prv)
{
	static const char head[] = "% Key name: REKEY\n"
		"   Usage: General Purpose Key\n   Key data:\n"
		"-----BEGIN PUBLIC KEY-----\n";
	static int n;
	char line[128];

	snprintf(line, sizeof(line), "exporter%d.%d", (int)getpid(), n++);
	tk_cli_open(a, tk_dir(line));
	ck_assert_int_eq(tk_cli_run(a, "crypto key generate rsa modulus 1024 "
				    "label REKEY exportable"), 0);
	snprintf(line, sizeof(line), "crypto key export rsa REKEY pem terminal "
		 "%s " PASS, cipher);
	ck_assert_int_eq(tk_cli_run(a, line), 0);
	ck_assert_msg(strncmp(tk_cli_out(a), head, sizeof(head) - 1) == 0,
		      "%s", tk_cli_out(a));
	*pub = pem_block(tk_cli_out(a), "-----BEGIN PUBLIC KEY-----",
			 "-----END PUBLIC KEY-----");
	*prv = pem_block(tk_cli_out(a), "-----BEGIN RSA PRIVATE KEY-----",
			 "-----END RSA PRIVATE KEY-----");
	ck_assert_ptr_nonnull(strstr(*prv, "Proc-Type: 4,ENCRYPTED\n"));
}

/* The import dialog as IOS prints it, ending with what the last line
 * printed. */
static void
import_terminal(struct tk_cli *b, const char *pub, const char *prv,
		const char *pass, const char *opts)
{
	char line[160];

	snprintf(line, sizeof(line), "crypto key import rsa REKEY pem %s"
		 "terminal %s", opts, pass);
	ck_assert_int_eq(tk_cli_run(b, line), 0);
	ck_assert_str_eq(tk_cli_out(b), "% Enter PEM-formatted public General "
			 "Purpose key or certificate.\n% End with a blank line "
			 "or \"quit\" on a line by itself.\n");
	paste(b, pub);
	tk_cli_run(b, "");
	ck_assert_str_eq(tk_cli_out(b), "% Enter PEM-formatted encrypted private "
			 "General Purpose key.\n% End with \"quit\" on a line by "
			 "itself.\n");
	paste(b, prv);
	tk_cli_run(b, "quit");
}

static bool
same_pub(struct tk_cli *a, struct tk_cli *b)
{
	return rsakey_pub_equal(keystore_find(a->env.keys, "REKEY"),
				keystore_find(b->env.keys, "REKEY"));
}

START_TEST(test_pem_terminal_round_trip)
{
	static const char *const ciphers[] = { "3des", "aes" };
	static const char *const dek[] = { "DEK-Info: DES-EDE3-CBC,",
					   "DEK-Info: AES-128-CBC," };
	struct tk_cli a, b;
	char *pub, *prv, *dir;

	exporter(&a, ciphers[_i], &pub, &prv);
	ck_assert_ptr_nonnull(strstr(prv, dek[_i]));
	dir = strdup(tk_dir(_i ? "importer-aes" : "importer-3des"));
	tk_cli_open(&b, dir);
	import_terminal(&b, pub, prv, PASS, "");
	ck_assert_str_eq(tk_cli_out(&b), "% Key pair import succeeded.\n");
	ck_assert(same_pub(&a, &b));
	/* imported without exportable: it cannot leave again */
	ck_assert_int_eq(tk_cli_run(&b, "crypto key export rsa REKEY pem "
				    "terminal aes x"), -1);
	ck_assert_str_eq(tk_cli_out(&b), "% RSA keypair REKEY is not "
			 "exportable.\n");
	/* on disk: the pair is there after a restart */
	tk_cli_close(&b);
	tk_cli_open(&b, dir);
	ck_assert(same_pub(&a, &b));
	/* exportable when asked (IOS's order: pem exportable terminal) */
	import_terminal(&b, pub, prv, PASS, "exportable ");
	ck_assert_str_eq(tk_cli_out(&b), "% Key pair import succeeded.\n");
	ck_assert_int_eq(tk_cli_run(&b, "crypto key export rsa REKEY pem "
				    "terminal aes x"), 0);
	tk_cli_close(&b);
	tk_cli_close(&a);
	free(dir);
	free(pub);
	free(prv);
}
END_TEST

START_TEST(test_pem_url_round_trip)
{
	struct tk_cli a, b;
	char *pub, *prv, *file, line[512];
	struct stat st;

	exporter(&a, "aes", &pub, &prv);
	file = tk_path(tk_root, "rekey");
	snprintf(line, sizeof(line), "crypto key export rsa REKEY pem url %s "
		 "3des " PASS, file);
	ck_assert_int_eq(tk_cli_run(&a, line), 0);
	ck_assert_str_eq(tk_cli_out(&a), "");
	ck_assert(tk_exists(tk_root, "rekey.pub"));
	snprintf(line, sizeof(line), "%s.prv", file);
	ck_assert_int_eq(stat(line, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	tk_cli_open(&b, tk_dir("importer-url"));
	snprintf(line, sizeof(line), "crypto key import rsa REKEY pem url %s "
		 "wrong", file);
	ck_assert_int_eq(tk_cli_run(&b, line), -1);
	ck_assert_ptr_null(keystore_find(b.env.keys, "REKEY"));
	snprintf(line, sizeof(line), "crypto key import rsa REKEY pem url %s "
		 PASS, file);
	ck_assert_int_eq(tk_cli_run(&b, line), 0);
	ck_assert_str_eq(tk_cli_out(&b), "% Key pair import succeeded.\n");
	ck_assert(same_pub(&a, &b));
	snprintf(line, sizeof(line), "crypto key import rsa REKEY pem url "
		 "%s.none " PASS, file);
	ck_assert_int_eq(tk_cli_run(&b, line), -1);
	ck_assert_ptr_nonnull(strstr(tk_cli_out(&b), "% Cannot read "));
	ck_assert(same_pub(&a, &b));
	tk_cli_close(&b);
	tk_cli_close(&a);
	free(file);
	free(pub);
	free(prv);
}
END_TEST

/* A bad paste: what to change in the exported texts. */
struct bad_case {
	const char *what;
	const char *pass;
	int cut_lines;		/* drop this many lines at the private's end */
	bool flip;		/* change one base64 digit in the private key */
	bool other_pub;		/* the public key of another pair */
	bool no_pub;		/* a blank line at once */
};

static const struct bad_case bad_cases[] = {
	{ "wrong passphrase", "cisco124", 0, false, false, false },
	{ "truncated private key", PASS, 4, false, false, false },
	{ "private key without its END line", PASS, 1, false, false, false },
	{ "damaged private key", PASS, 0, true, false, false },
	{ "public key of another pair", PASS, 0, false, true, false },
	{ "no public key", PASS, 0, false, false, true },
};

/* prv without its last n lines. */
static void
cut(char *prv, int n)
{
	size_t len = strlen(prv);

	while (n-- > 0 && len > 0) {
		len--;		/* the '\n' ending the last line */
		while (len > 0 && prv[len - 1] != '\n')
			len--;
	}
	prv[len] = '\0';
}

static void
flip(char *prv)
{
	char *p = strstr(prv, "\n\n");	/* after the DEK-Info header */

	ck_assert_ptr_nonnull(p);
	p += 40;
	*p = *p == 'A' ? 'B' : 'A';
}

START_TEST(test_pem_bad_input)
{
	const struct bad_case *c = &bad_cases[_i];
	struct tk_cli a, b;
	char *pub, *prv, name[32];
	uint8_t before[1024];
	size_t len;
	const uint8_t *der;

	exporter(&a, "aes", &pub, &prv);
	if (c->other_pub) {
		ck_assert_int_eq(tk_cli_run(&a, "crypto key generate rsa modulus "
					    "1024 label OTHER exportable"), 0);
		ck_assert_int_eq(tk_cli_run(&a, "crypto key export rsa OTHER pem "
					    "terminal aes x"), 0);
		free(pub);
		pub = pem_block(tk_cli_out(&a), "-----BEGIN PUBLIC KEY-----",
				"-----END PUBLIC KEY-----");
	}
	cut(prv, c->cut_lines);
	if (c->flip)
		flip(prv);
	snprintf(name, sizeof(name), "bad%d", _i);
	tk_cli_open(&b, tk_dir(name));
	ck_assert_int_eq(tk_cli_run(&b, "crypto key generate rsa modulus 512 "
				    "label REKEY"), 0);
	der = rsakey_pub_der(keystore_find(b.env.keys, "REKEY"), &len);
	memcpy(before, der, len);
	import_terminal(&b, c->no_pub ? "" : pub, prv, c->pass, "");
	ck_assert_msg(strncmp(tk_cli_out(&b), "% Key pair import failed: ",
			      26) == 0, "%s: %s", c->what, tk_cli_out(&b));
	/* the old pair, in memory and on disk */
	der = rsakey_pub_der(keystore_find(b.env.keys, "REKEY"), &len);
	ck_assert_mem_eq(der, before, len);
	tk_cli_close(&b);
	tk_cli_open(&b, tk_dir(name));
	der = rsakey_pub_der(keystore_find(b.env.keys, "REKEY"), &len);
	ck_assert_mem_eq(der, before, len);
	tk_cli_close(&b);
	tk_cli_close(&a);
	free(pub);
	free(prv);
}
END_TEST

START_TEST(test_pem_refusals)
{
	struct tk_cli a;
	char big[200];

	tk_cli_open(&a, tk_dir("refusals"));
	ck_assert_int_eq(tk_cli_run(&a, "crypto key generate rsa modulus 512 "
				    "label FIXED"), 0);
	ck_assert_int_eq(tk_cli_run(&a, "crypto key export rsa FIXED pem "
				    "terminal 3des " PASS), -1);
	ck_assert_str_eq(tk_cli_out(&a), "% RSA keypair FIXED is not "
			 "exportable.\n");
	ck_assert_int_eq(tk_cli_run(&a, "crypto key generate rsa modulus 512 "
				    "label OUT exportable"), 0);
	ck_assert_int_eq(tk_cli_run(&a, "crypto key export rsa OUT pem "
				    "terminal des " PASS), -1);
	ck_assert_str_eq(tk_cli_out(&a), "% Cipher des is not supported: use "
			 "3des or aes.\n");
	ck_assert_int_eq(tk_cli_run(&a, "crypto key export rsa NONE pem "
				    "terminal aes " PASS), -1);
	ck_assert_str_eq(tk_cli_out(&a), "% No RSA keys named NONE.\n");
	ck_assert_int_eq(tk_cli_run(&a, "crypto key import rsa ../x pem url "
				    "/nonexistent " PASS), -1);
	/* an endless paste stops at 16 KiB, nothing stored */
	ck_assert_int_eq(tk_cli_run(&a, "crypto key import rsa BIG terminal "
				    PASS), 0);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 100 && !strstr(tk_cli_out(&a), "too long"); i++)
		tk_cli_run(&a, big);
	ck_assert_str_eq(tk_cli_out(&a), "% Key pair import failed: PEM text "
			 "too long.\n");
	ck_assert_ptr_null(keystore_find(a.env.keys, "BIG"));
	ck_assert_int_eq(tk_cli_run(&a, "do show crypto key mypubkey rsa BIG"),
			 0);
	ck_assert_str_eq(tk_cli_out(&a), "");
	/* the session ends in the middle of a paste (no leak under ASan) */
	ck_assert_int_eq(tk_cli_run(&a, "crypto key import rsa HALF terminal "
				    PASS), 0);
	tk_cli_run(&a, "-----BEGIN PUBLIC KEY-----");
	tk_cli_close(&a);
}
END_TEST

Suite *suite_keys_pem(void);

Suite *
suite_keys_pem(void)
{
	Suite *s = suite_create("keys_pem");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, tk_setup, tk_teardown);
	tcase_add_loop_test(tc, test_pem_terminal_round_trip, 0, 2);
	tcase_add_test(tc, test_pem_url_round_trip);
	tcase_add_loop_test(tc, test_pem_bad_input, 0,
			    sizeof(bad_cases) / sizeof(*bad_cases));
	tcase_add_test(tc, test_pem_refusals);
	suite_add_tcase(s, tc);
	return s;
}
