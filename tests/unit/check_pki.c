/*
 * PKI: gdoi/x509.c on certificates made here with OpenSSL (chains good
 * and bad, validity against a given time, key usage, the Phase 1 ID
 * binding of doc/protocol.md §3.5 [D], truncated and bit-flipped DER), the
 * trustpoint configuration and `crypto pki import` / `show crypto pki
 * certificates` through the real CLI, and (pki_e2e.c) registrations
 * between a key server and group members authenticated by RSA
 * signatures.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/env.h"
#include "cli/session.h"
#include "gdoi/isakmp.h"
#include "gdoi/rsakey.h"
#include "gdoi/x509.h"
#include "parser/conf.h"
#include "platform/term.h"
#include "pki_fixtures.h"
#include "testlib.h"

TCase *pki_e2e_tcase(void);

/* Built once per test case in the parent, inherited by each fork. */
static struct pkif_ca lab, other, inter;
static EVP_PKEY *leaf_key, *other_key;
static X509 *leaf, *leaf_nosan, *leaf_inter, *leaf_enc;
static char *lab_pem, *other_pem, *both_pem;
static time_t made;		/* when the certificates were made */

static char *
cat(const char *a, const char *b)
{
	char *s;

	ck_assert_int_gt(asprintf(&s, "%s%s", a, b), 0);
	return s;
}

static void
x509_fixture(void)
{
	struct pkif_spec is = {
		.cn = "Lab Issuing CA", .o = "Lab", .issuer_key = NULL,
		.serial = 2, .from = -3600, .to = 5L * 365 * 86400, .ca = true,
	};
	struct pkif_spec enc = {
		.cn = "enc-only", .o = "Lab", .serial = 77, .from = -3600,
		.to = 86400, .ku = "critical,keyEncipherment",
	};

	pkif_ca_new(&lab, "Lab Root CA");
	pkif_ca_new(&other, "Other CA");
	made = time(NULL);
	leaf_key = pkif_key();
	other_key = pkif_key();
	leaf = pkif_leaf(&lab, leaf_key, "gm1", "127.0.0.2");
	leaf_nosan = pkif_leaf(&lab, leaf_key, "gm1", NULL);
	/* an intermediate CA under lab, and a leaf under it */
	inter.key = is.key = pkif_key();
	is.issuer = lab.cert;
	is.issuer_key = lab.key;
	inter.cert = pkif_cert(&is);
	leaf_inter = pkif_leaf(&inter, leaf_key, "gm2", NULL);
	enc.key = leaf_key;
	enc.issuer = lab.cert;
	enc.issuer_key = lab.key;
	leaf_enc = pkif_cert(&enc);
	lab_pem = pkif_cert_pem(lab.cert);
	other_pem = pkif_cert_pem(other.cert);
	both_pem = cat(other_pem, lab_pem);
}

static void
x509_fixture_free(void)
{
	X509_free(leaf);
	X509_free(leaf_nosan);
	X509_free(leaf_inter);
	X509_free(leaf_enc);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(other_key);
	pkif_ca_free(&lab);
	pkif_ca_free(&other);
	pkif_ca_free(&inter);
	free(lab_pem);
	free(other_pem);
	free(both_pem);
}

static struct x509_cert *
wrap(X509 *x)
{
	size_t len;
	uint8_t *der = pkif_der(x, &len);
	struct x509_cert *c = x509_cert_from_der(der, len);

	ck_assert_ptr_nonnull(c);
	free(der);
	return c;
}

static struct x509_store *
store_of(const char *pem)
{
	struct x509_store *s = x509_store_from_pem(pem, strlen(pem));

	ck_assert_ptr_nonnull(s);
	return s;
}

/*
 * Path validation against a CA bundle at a given time.
 */
enum { CA_LAB, CA_OTHER, CA_BOTH };

static const struct verify_case {
	const char *name;
	int ca;
	long at;		/* seconds from now */
	int expect;
} verify_cases[] = {
	{ "good chain", CA_LAB, 0, 0 },
	{ "wrong CA", CA_OTHER, 0, -1 },
	{ "bundle holding the CA", CA_BOTH, 0, 0 },
	{ "before notBefore", CA_LAB, -2 * 86400, -1 },
	{ "expired", CA_LAB, 400L * 86400, -1 },
	{ "last valid day", CA_LAB, 364L * 86400, 0 },
};

START_TEST(test_verify)
{
	const struct verify_case *vc = &verify_cases[_i];
	const char *pem[] = { lab_pem, other_pem, both_pem };
	struct x509_store *s = store_of(pem[vc->ca]);
	struct x509_cert *c = wrap(leaf);
	const char *why = NULL;

	ck_assert_msg(x509_verify(s, c, NULL, 0, time(NULL) + vc->at,
				  &why) == vc->expect, "%s: %s", vc->name,
		      why ? why : "verified");
	if (vc->expect < 0)
		ck_assert_ptr_nonnull(why);
	x509_cert_free(c);
	x509_store_free(s);
}
END_TEST

START_TEST(test_intermediate)
{
	struct x509_store *s = store_of(lab_pem);
	struct x509_cert *c = wrap(leaf_inter), *i = wrap(inter.cert);
	const struct x509_cert *chain[] = { i };

	ck_assert_int_eq(x509_verify(s, c, chain, 1, time(NULL), NULL), 0);
	/* without the intermediate there is no path */
	ck_assert_int_eq(x509_verify(s, c, NULL, 0, time(NULL), NULL), -1);
	x509_cert_free(c);
	x509_cert_free(i);
	x509_store_free(s);
}
END_TEST

/* A certificate whose keyUsage forbids signing cannot sign SIG payloads. */
START_TEST(test_key_usage)
{
	struct x509_store *s = store_of(lab_pem);
	struct x509_cert *c = wrap(leaf_enc);
	const char *why = NULL;

	ck_assert_int_eq(x509_verify(s, c, NULL, 0, time(NULL), &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "signature"));
	x509_cert_free(c);
	x509_store_free(s);
}
END_TEST

/*
 * The Phase 1 identity binding.
 */
enum { ID_LEAF_DN, ID_OTHER_DN, ID_DN_TRAILING, ID_DN_SHORT, ID_IP_SAN,
       ID_IP_OTHER, ID_IP_SHORT, ID_FQDN, ID_IP_NOSAN };

static const struct id_case {
	const char *name;
	int kind;
	int expect;
} id_cases[] = {
	{ "DN equal to the subject", ID_LEAF_DN, 0 },
	{ "DN of another subject", ID_OTHER_DN, -1 },
	{ "DN with a trailing byte", ID_DN_TRAILING, -1 },
	{ "truncated DN", ID_DN_SHORT, -1 },
	{ "IPv4 in subjectAltName", ID_IP_SAN, 0 },
	{ "IPv4 not in subjectAltName", ID_IP_OTHER, -1 },
	{ "IPv4 of 3 octets", ID_IP_SHORT, -1 },
	{ "FQDN", ID_FQDN, -1 },
	{ "IPv4 and no subjectAltName", ID_IP_NOSAN, -1 },
};

START_TEST(test_id_binding)
{
	const struct id_case *ic = &id_cases[_i];
	static const uint8_t ip2[] = { 127, 0, 0, 2 }, ip9[] = { 127, 0, 0, 9 };
	struct x509_cert *c = wrap(ic->kind == ID_IP_NOSAN ? leaf_nosan : leaf);
	uint8_t buf[1024], type = ISAKMP_ID_DER_ASN1_DN;
	size_t len = 0;
	uint8_t *dn = pkif_name_der(ic->kind == ID_OTHER_DN ? other.cert : leaf,
				    &len);

	memcpy(buf, dn, len);
	free(dn);
	if (ic->kind == ID_DN_TRAILING)
		buf[len++] = 0;
	if (ic->kind == ID_DN_SHORT)
		len -= 3;
	if (ic->kind >= ID_IP_SAN) {
		type = ISAKMP_ID_IPV4_ADDR;
		memcpy(buf, ic->kind == ID_IP_OTHER ? ip9 : ip2, 4);
		len = ic->kind == ID_IP_SHORT ? 3 : 4;
	}
	if (ic->kind == ID_FQDN) {
		type = ISAKMP_ID_FQDN;
		len = (size_t)snprintf((char *)buf, sizeof(buf), "gm1");
	}
	ck_assert_msg(x509_cert_id_match(c, type, buf, len) == ic->expect,
		      "%s", ic->name);
	x509_cert_free(c);
}
END_TEST

START_TEST(test_key_and_subject)
{
	struct x509_cert *c = wrap(leaf);
	struct rsakey *pub = x509_cert_pubkey(c), *priv;
	char *pem = pkif_key_pem(leaf_key), *opem = pkif_key_pem(other_key);
	const uint8_t *subj;
	size_t len, elen;
	uint8_t *expect = pkif_name_der(leaf, &elen);

	ck_assert_ptr_nonnull(pub);
	ck_assert(!rsakey_has_private(pub));
	priv = rsakey_from_pem(pem, strlen(pem));
	ck_assert(x509_cert_key_match(c, priv));
	rsakey_free(priv);
	priv = rsakey_from_pem(opem, strlen(opem));
	ck_assert(!x509_cert_key_match(c, priv));
	subj = x509_cert_subject_der(c, &len);
	ck_assert_uint_eq(len, elen);
	ck_assert_mem_eq(subj, expect, len);
	rsakey_free(priv);
	rsakey_free(pub);
	free(pem);
	free(opem);
	free(expect);
	x509_cert_free(c);
}
END_TEST

START_TEST(test_info_and_names)
{
	struct x509_cert *c = wrap(leaf);
	struct x509_store *s = store_of(lab_pem);
	struct x509_info in;
	char buf[256], tiny[6];

	ck_assert_int_eq(x509_cert_info(c, &in), 0);
	ck_assert(!in.is_ca);
	ck_assert_int_eq(in.usage, X509_CERT_USAGE_GENERAL);
	ck_assert_int_le(llabs((long long)(in.not_before - (made - 3600))), 5);
	ck_assert_int_le(llabs((long long)(in.not_after -
					   (made + 365 * 86400))), 5);
	ck_assert_int_eq(x509_cert_name(c, X509_NAME_SUBJECT, '\n', buf,
					sizeof(buf)), 0);
	ck_assert_str_eq(buf, "cn=gm1\no=Lab\n");
	ck_assert_int_eq(x509_cert_name(c, X509_NAME_ISSUER, ',', buf,
					sizeof(buf)), 0);
	ck_assert_str_eq(buf, "cn=Lab Root CA,o=Lab");
	ck_assert_int_eq(x509_cert_name(c, X509_NAME_ISSUER, ',', tiny,
					sizeof(tiny)), -1);
	ck_assert_uint_eq(strlen(tiny), sizeof(tiny) - 1);
	ck_assert_int_eq(x509_cert_info(x509_store_cert(s, 0), &in), 0);
	ck_assert(in.is_ca);
	ck_assert_str_eq(in.serial, "01");
	ck_assert_int_eq(in.usage, X509_CERT_USAGE_SIGNATURE);
	x509_store_free(s);
	x509_cert_free(c);
}
END_TEST

/* What is not a CA bundle is refused as a whole. */
START_TEST(test_store_refused)
{
	char *key = pkif_key_pem(leaf_key), *damaged = cat(lab_pem, lab_pem);
	char *many = strdup("");
	char *mid = strstr(damaged + strlen(lab_pem), "\n") + 10;

	ck_assert_ptr_null(x509_store_from_pem("", 0));
	ck_assert_ptr_null(x509_store_from_pem("garbage\n", 8));
	ck_assert_ptr_null(x509_store_from_pem(key, strlen(key)));
	*mid ^= 0x55;		/* inside the second certificate's base64 */
	ck_assert_ptr_null(x509_store_from_pem(damaged, strlen(damaged)));
	for (int i = 0; i <= X509_CA_MAX; i++) {
		char *m = cat(many, lab_pem);

		free(many);
		many = m;
	}
	ck_assert_ptr_null(x509_store_from_pem(many, strlen(many)));
	ck_assert_ptr_null(x509_cert_from_pem(key, strlen(key)));
	free(key);
	free(damaged);
	free(many);
}
END_TEST

/* Every truncation and every single-bit flip: refused or parsed. */
START_TEST(test_der_robust)
{
	struct x509_store *s = store_of(lab_pem);
	size_t len;
	uint8_t *der = pkif_der(leaf, &len), *buf = malloc(len + 1);

	for (size_t n = 0; n < len; n++)
		ck_assert_ptr_null(x509_cert_from_der(der, n));
	memcpy(buf, der, len);
	buf[len] = 0;
	ck_assert_ptr_null(x509_cert_from_der(buf, len + 1));
	for (size_t bit = 0; bit < len * 8; bit++) {
		struct x509_cert *c;

		memcpy(buf, der, len);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		c = x509_cert_from_der(buf, len);
		/* a flipped certificate never verifies */
		if (c != NULL)
			ck_assert_int_eq(x509_verify(s, c, NULL, 0, time(NULL),
						     NULL), -1);
		x509_cert_free(c);
	}
	free(der);
	free(buf);
	x509_store_free(s);
}
END_TEST

/*
 * The CLI: trustpoint configuration, import, show.
 */
static void
src_files(struct tl *t, const char *dir)
{
	char path[256];
	char *pem;

	snprintf(path, sizeof(path), "%s/%s", tl_tmpdir(t), dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	pkif_issue_files(&lab, path, "gm", "gm1", "127.0.0.2");
	pkif_issue_files(&other, path, "rogue", "gm1", NULL);
	pem = pkif_key_pem(other_key);
	pkif_write(path, "otherkey.pem", pem);
	free(pem);
	pkif_write(path, "garbage.pem", "not a certificate\n");
}

static const char *
imp(struct tl *t, const char *tp, const char *ca, const char *cert,
    const char *key)
{
	static char line[1024];
	const char *d = tl_tmpdir(t);

	snprintf(line, sizeof(line), "crypto pki import %s pem file "
		 "%s/src/%s %s/src/%s %s/src/%s", tp, d, ca, d, cert, d, key);
	return line;
}

static bool
exists(struct tl *t, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/keys/%s", tl_tmpdir(t), file);
	return access(path, F_OK) == 0;
}

START_TEST(test_trustpoint_config)
{
	struct tl *t = tl_new();
	char *run;

	ck_assert_int_eq(tl_line(t, "crypto pki trustpoint GETVPN-CA"), 0);
	ck_assert_str_eq(tl_prompt(t), "Router(ca-trustpoint)#");
	ck_assert_ptr_nonnull(strstr(tl_help(t, ""),
				     "CA trustpoint configuration commands:"));
	ck_assert_int_eq(tl_lines(t, " enrollment terminal pem\n"
				  " subject-name cn=gm1,o=Lab\n"
				  " revocation-check none\n"
				  " rsakeypair GM1-KEY\n"
				  "crypto isakmp identity dn\n"), 0);
	ck_assert_str_eq(tl_prompt(t), "Router(config)#");
	run = tl_show_run(t);
	ck_assert_ptr_nonnull(strstr(run, "hostname Router\n!\n"
		"crypto pki trustpoint GETVPN-CA\n enrollment terminal pem\n"
		" subject-name cn=gm1,o=Lab\n revocation-check none\n"
		" rsakeypair GM1-KEY\n!\ncrypto isakmp identity dn\n"));
	free(run);
	/* bad names never reach a file name */
	ck_assert_int_eq(tl_line(t, "crypto pki trustpoint ../x"), -1);
	ck_assert_int_eq(tl_line(t, "crypto pki trustpoint GETVPN-CA"), 0);
	ck_assert_int_eq(tl_line(t, " rsakeypair a/b"), -1);
	ck_assert_int_eq(tl_lines(t, " no revocation-check\n no subject-name\n"
				  " enrollment terminal\n no rsakeypair\n"), 0);
	run = tl_show_run(t);
	ck_assert_ptr_nonnull(strstr(run, "crypto pki trustpoint GETVPN-CA\n"
				     " enrollment terminal\n!\n"));
	free(run);
	ck_assert_int_eq(tl_line(t, "no crypto pki trustpoint GETVPN-CA"), 0);
	run = tl_show_run(t);
	ck_assert_ptr_null(strstr(run, "trustpoint"));
	free(run);
	tl_free(t);
}
END_TEST

START_TEST(test_import_and_show)
{
	struct tl *t = tl_new();
	const char *out;
	struct stat st;
	char path[256];

	src_files(t, "src");
	tl_lines(t, "crypto pki trustpoint LAB\n rsakeypair GM1-KEY\n");
	ck_assert_int_eq(tl_line(t, imp(t, "LAB", "gm-ca.pem", "gm-cert.pem",
					"gm-key.pem")), 0);
	ck_assert_str_eq(tl_out(t), "Trustpoint CA certificate accepted.\n"
			 "% Key pair import succeeded.\n"
			 "% Certificate successfully imported\n");
	snprintf(path, sizeof(path), "%s/keys/LAB-ca.crt", tl_tmpdir(t));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert(exists(t, "LAB-cert.crt"));
	ck_assert(exists(t, "GM1-KEY.pem"));
	ck_assert_int_eq(tl_line(t, "do show crypto key mypubkey rsa GM1-KEY"),
			 0);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "Key name: GM1-KEY\n"));
	ck_assert_int_eq(tl_line(t, "do show crypto pki certificates"), 0);
	out = tl_out(t);
	ck_assert_msg(strncmp(out, "Certificate\n  Status: Available\n"
			      "  Certificate Serial Number (hex): ", 66) == 0,
		      "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "  Issuer:\n    cn=Lab Root CA\n"
				     "    o=Lab\n  Subject:\n    cn=gm1\n"
				     "    o=Lab\n  Validity Date:\n"
				     "    start date: "));
	ck_assert_ptr_nonnull(strstr(out, "    end   date: "));
	ck_assert_ptr_nonnull(strstr(out, "  Associated Trustpoints: LAB\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nCA Certificate\n  Status: "
				     "Available\n  Certificate Serial Number "
				     "(hex): 01\n  Certificate Usage: "
				     "Signature\n"));
	ck_assert_int_eq(tl_line(t, "do show crypto pki certificates LAB"), 0);
	ck_assert_str_eq(tl_out(t), out);
	ck_assert_int_eq(tl_line(t, "do show crypto pki certificates NONE"),
			 -1);
	/* importing again the same key pair replaces nothing */
	ck_assert_int_eq(tl_line(t, imp(t, "LAB", "gm-ca.pem", "gm-cert.pem",
					"gm-key.pem")), 0);
	ck_assert_ptr_null(strstr(tl_out(t), "replaced"));
	tl_free(t);
}
END_TEST

static const struct import_case {
	const char *name;
	const char *tp, *ca, *cert, *key;
	const char *error;	/* part of the "% " line */
} import_cases[] = {
	{ "key of another certificate", "LAB", "gm-ca.pem", "gm-cert.pem",
	  "otherkey.pem", "does not match" },
	{ "certificate of another CA", "LAB", "gm-ca.pem", "rogue-cert.pem",
	  "rogue-key.pem", "does not verify" },
	{ "missing file", "LAB", "nope.pem", "gm-cert.pem", "gm-key.pem",
	  "Cannot read" },
	{ "no certificate in CA file", "LAB", "garbage.pem", "gm-cert.pem",
	  "gm-key.pem", "no valid CA certificate" },
	{ "key file holds a certificate", "LAB", "gm-ca.pem", "gm-cert.pem",
	  "gm-cert.pem", "no unencrypted RSA private key" },
	{ "unknown trustpoint", "NOPE", "gm-ca.pem", "gm-cert.pem",
	  "gm-key.pem", "not found" },
	{ "key label colliding with a file", "CLASH", "gm-ca.pem",
	  "gm-cert.pem", "gm-key.pem", "collide" },
};

START_TEST(test_import_refused)
{
	const struct import_case *ic = &import_cases[_i];
	struct tl *t = tl_new();

	src_files(t, "src");
	tl_lines(t, "crypto pki trustpoint LAB\n rsakeypair GM1-KEY\n"
		 "crypto pki trustpoint CLASH\n rsakeypair LAB-ca\n");
	ck_assert_int_eq(tl_line(t, imp(t, ic->tp, ic->ca, ic->cert, ic->key)),
			 -1);
	ck_assert_msg(strncmp(tl_out(t), "% ", 2) == 0 &&
		      strstr(tl_out(t), ic->error) != NULL, "%s: %s", ic->name,
		      tl_out(t));
	ck_assert(!exists(t, "LAB-ca.pem"));
	ck_assert(!exists(t, "LAB-cert.crt"));
	ck_assert(!exists(t, "GM1-KEY.pem"));
	tl_free(t);
}
END_TEST

/* Imported certificates and keys live in the key directory: a new
 * process on the same directory finds them. */
START_TEST(test_import_persists)
{
	struct tl *t = tl_new();
	struct cli_env env;
	struct cli_session *s;
	struct term *out = term_new_mem();
	char keys[256], err[256];

	src_files(t, "src");
	tl_lines(t, "crypto pki trustpoint LAB\n");
	ck_assert_int_eq(tl_line(t, imp(t, "LAB", "gm-ca.pem", "gm-cert.pem",
					"gm-key.pem")), 0);
	snprintf(keys, sizeof(keys), "%s/keys", tl_tmpdir(t));
	ck_assert_int_eq(cli_env_init(&env, NULL, NULL, keys, err,
				      sizeof(err)), 0);
	s = cli_session_new(&env, "test", CLI_SESS_CONFIG | CLI_SESS_ENABLED);
	ck_assert_int_eq(cli_session_line(s, "crypto pki trustpoint LAB", out),
			 0);
	term_mem_reset(out);
	ck_assert_int_eq(cli_session_line(s, "do show crypto pki certificates",
					  out), 0);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "    cn=gm1\n"));
	term_mem_reset(out);
	/* no rsakeypair: the key pair is named like the trustpoint */
	ck_assert_int_eq(cli_session_line(s, "do show crypto key mypubkey rsa "
					  "LAB", out), 0);
	ck_assert_ptr_nonnull(strstr(term_mem_data(out, NULL),
				     "Key name: LAB\n"));
	cli_session_free(s);
	cli_env_fini(&env);
	term_free(out);
	tl_free(t);
}
END_TEST

Suite *
suite_pki(void)
{
	Suite *s = suite_create("pki");
	TCase *tc = tcase_create("x509");

	tcase_add_unchecked_fixture(tc, x509_fixture, x509_fixture_free);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_verify, 0,
			    sizeof(verify_cases) / sizeof(*verify_cases));
	tcase_add_test(tc, test_intermediate);
	tcase_add_test(tc, test_key_usage);
	tcase_add_loop_test(tc, test_id_binding, 0,
			    sizeof(id_cases) / sizeof(*id_cases));
	tcase_add_test(tc, test_key_and_subject);
	tcase_add_test(tc, test_info_and_names);
	tcase_add_test(tc, test_store_refused);
	tcase_add_test(tc, test_der_robust);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_unchecked_fixture(tc, x509_fixture, x509_fixture_free);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_trustpoint_config);
	tcase_add_test(tc, test_import_and_show);
	tcase_add_loop_test(tc, test_import_refused, 0,
			    sizeof(import_cases) / sizeof(*import_cases));
	tcase_add_test(tc, test_import_persists);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, pki_e2e_tcase());
	return s;
}
