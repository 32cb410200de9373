/*
 * RSA key pairs below the CLI: gdoi/rsakey (generation, PKCS#8 round
 * trips, PKCS#1 v1.5 signatures in both forms, damaged input) and
 * roles/keystore (files and their modes, reload, replace, zeroize,
 * damaged files skipped, labels).  The commands are in check_keys_cli.c.
 *
 * Keys are 512/1024 bits to keep the suite fast.  Every keystore test
 * works in its own directory under one mkdtemp() tree that the unchecked
 * fixture removes, even when a test fails.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "gdoi/rsakey.h"
#include "platform/fileio.h"
#include "roles/keystore.h"
#include "key_fixtures.h"

/*
 * rsakey
 */

static struct rsakey *tk_key1024;

static const struct rsakey *
key1024(void)
{
	if (tk_key1024 == NULL)
		tk_key1024 = rsakey_generate(1024);
	ck_assert_ptr_nonnull(tk_key1024);
	return tk_key1024;
}

static void
assert_same_pub(const struct rsakey *a, const struct rsakey *b)
{
	size_t la, lb;
	const uint8_t *pa = rsakey_pub_der(a, &la);
	const uint8_t *pb = rsakey_pub_der(b, &lb);

	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(pa, pb, la);
	ck_assert(rsakey_pub_equal(a, b));
}

START_TEST(test_rsakey_pem_roundtrip)
{
	const struct rsakey *k = key1024();
	struct rsakey *k2, *k3, *pub;
	char *pem;
	uint8_t *der;
	size_t len, dlen, plen;
	const uint8_t *p;

	ck_assert_uint_eq(rsakey_bits(k), 1024);
	ck_assert_uint_eq(rsakey_sig_len(k), 128);
	ck_assert(rsakey_has_private(k));
	/* SPKI of a 1024-bit key is 162 octets (doc/protocol.md §4 KEK). */
	p = rsakey_pub_der(k, &plen);
	ck_assert_uint_eq(plen, 162);
	ck_assert_uint_eq(p[0], 0x30);

	ck_assert_int_eq(rsakey_to_pem(k, &pem, &len), 0);
	ck_assert_uint_eq(strlen(pem), len);
	ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN PRIVATE KEY-----\n"));
	k2 = rsakey_from_pem(pem, len);
	ck_assert_ptr_nonnull(k2);
	assert_same_pub(k, k2);
	rsakey_buf_free(pem, len);

	ck_assert_int_eq(rsakey_to_der(k, &der, &dlen), 0);
	k3 = rsakey_from_der(der, dlen);
	ck_assert_ptr_nonnull(k3);
	assert_same_pub(k, k3);
	/* trailing garbage after the DER is refused */
	ck_assert_ptr_null(rsakey_from_der(der, dlen - 1));
	rsakey_buf_free(der, dlen);

	pub = rsakey_from_pub_der(p, plen);
	ck_assert_ptr_nonnull(pub);
	ck_assert(!rsakey_has_private(pub));
	assert_same_pub(k, pub);
	ck_assert_int_eq(rsakey_to_pem(pub, &pem, &len), -1);
	ck_assert_ptr_null(rsakey_from_pub_der(p, plen - 1));
	rsakey_free(pub);
	rsakey_free(k2);
	rsakey_free(k3);
}
END_TEST

START_TEST(test_rsakey_generate_bounds)
{
	struct rsakey *k;

	ck_assert_ptr_null(rsakey_generate(0));
	ck_assert_ptr_null(rsakey_generate(511));
	ck_assert_ptr_null(rsakey_generate(4097));
	k = rsakey_generate(512);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(rsakey_bits(k), 512);
	rsakey_free(k);
	rsakey_free(NULL);
}
END_TEST

/* Damaged or foreign input never loads and never crashes. */
START_TEST(test_rsakey_bad_input)
{
	const struct rsakey *k = key1024();
	static const char junk[] = "-----BEGIN PRIVATE KEY-----\n"
				   "AAAA\n-----END PRIVATE KEY-----\n";
	char *pem, *cut, *flip;
	size_t len;
	EVP_PKEY *ec = EVP_EC_gen("P-256");
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;

	ck_assert_ptr_null(rsakey_from_pem("", 0));
	ck_assert_ptr_null(rsakey_from_pem(junk, strlen(junk)));
	ck_assert_ptr_null(rsakey_from_der((const uint8_t *)"\x30\x03\x02\x01\x00", 5));
	ck_assert_int_eq(rsakey_to_pem(k, &pem, &len), 0);
	cut = strndup(pem, len / 2);
	ck_assert_ptr_null(rsakey_from_pem(cut, strlen(cut)));
	/* one base64 character changed in the middle of the key */
	flip = strdup(pem);
	flip[len / 2] = flip[len / 2] == 'A' ? 'B' : 'A';
	ck_assert_ptr_null(rsakey_from_pem(flip, len));
	free(cut);
	free(flip);
	rsakey_buf_free(pem, len);

	/* an EC key is not an RSA key; an encrypted PEM is never prompted for */
	ck_assert_ptr_nonnull(ec);
	ck_assert_int_eq(PEM_write_bio_PrivateKey(bio, ec, NULL, NULL, 0, NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	ck_assert_ptr_null(rsakey_from_pem(data, (size_t)n));
	BIO_free(bio);
	bio = BIO_new(BIO_s_mem());
	ck_assert_int_eq(PEM_write_bio_PKCS8PrivateKey(bio, ec, EVP_aes_128_cbc(), NULL, 0,
							NULL, (void *)"secret"), 1);
	n = BIO_get_mem_data(bio, &data);
	ck_assert_ptr_null(rsakey_from_pem(data, (size_t)n));
	BIO_free(bio);
	EVP_PKEY_free(ec);
}
END_TEST

struct sig_case {
	enum rsakey_md md;
	enum rsakey_sigfmt fmt;		/* how it is signed */
	unsigned accept;		/* what the verifier accepts */
	int tamper;			/* 0 none, 1 data, 2 signature, 3 md, 4 length */
	int expect;			/* rsakey_verify result */
};

#define BOTH (RSAKEY_SIG_PKCS1 | RSAKEY_SIG_RAW)

static const struct sig_case sig_cases[] = {
	{ RSAKEY_SHA1, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 0, 0 },
	{ RSAKEY_SHA256, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 0, 0 },
	{ RSAKEY_SHA384, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 0, 0 },
	{ RSAKEY_SHA512, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 0, 0 },
	{ RSAKEY_SHA256, RSAKEY_SIG_PKCS1, BOTH, 0, 0 },
	{ RSAKEY_SHA256, RSAKEY_SIG_PKCS1, RSAKEY_SIG_RAW, 0, -1 },
	{ RSAKEY_SHA1, RSAKEY_SIG_RAW, RSAKEY_SIG_RAW, 0, 0 },
	{ RSAKEY_SHA256, RSAKEY_SIG_RAW, RSAKEY_SIG_RAW, 0, 0 },
	{ RSAKEY_SHA256, RSAKEY_SIG_RAW, BOTH, 0, 0 },
	{ RSAKEY_SHA256, RSAKEY_SIG_RAW, RSAKEY_SIG_PKCS1, 0, -1 },
	{ RSAKEY_SHA256, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 1, -1 },
	{ RSAKEY_SHA256, RSAKEY_SIG_PKCS1, BOTH, 2, -1 },
	{ RSAKEY_SHA1, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 3, -1 },
	{ RSAKEY_SHA256, RSAKEY_SIG_RAW, BOTH, 1, -1 },
	{ RSAKEY_SHA256, RSAKEY_SIG_RAW, RSAKEY_SIG_RAW, 2, -1 },
	{ RSAKEY_SHA1, RSAKEY_SIG_RAW, BOTH, 3, -1 },
	{ RSAKEY_SHA256, RSAKEY_SIG_PKCS1, RSAKEY_SIG_PKCS1, 4, -1 },
	{ RSAKEY_SHA256, RSAKEY_SIG_RAW, BOTH, 4, -1 },
};

START_TEST(test_rsakey_sign_verify)
{
	const struct sig_case *c = &sig_cases[_i];
	const struct rsakey *k = key1024();
	uint8_t data[] = "rekey\x08\x01 GROUPKEY-PUSH body";
	uint8_t sig[RSAKEY_MAX_SIG];
	size_t siglen = sizeof(sig);
	enum rsakey_md vmd = c->md;
	size_t vlen;

	ck_assert_int_eq(rsakey_sign(k, c->md, c->fmt, data, sizeof(data), sig, &siglen), 0);
	ck_assert_uint_eq(siglen, 128);
	vlen = siglen;
	switch (c->tamper) {
	case 1:
		data[3] ^= 0x01;
		break;
	case 2:
		sig[64] ^= 0x80;
		break;
	case 3:
		vmd = c->md == RSAKEY_SHA1 ? RSAKEY_SHA256 : RSAKEY_SHA1;
		break;
	case 4:
		vlen = siglen - 1;
		break;
	}
	ck_assert_int_eq(rsakey_verify(k, vmd, c->accept, data, sizeof(data), sig, vlen),
			 c->expect);
}
END_TEST

START_TEST(test_rsakey_sign_misc)
{
	const struct rsakey *k = key1024();
	struct rsakey *other = rsakey_generate(1024), *pub;
	const uint8_t hash[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	uint8_t bad[20];
	uint8_t sig[RSAKEY_MAX_SIG];
	size_t siglen = sizeof(sig), plen;
	const uint8_t *p;

	/* a signature by another key does not verify */
	ck_assert_ptr_nonnull(other);
	ck_assert_int_eq(rsakey_sign(other, RSAKEY_SHA256, RSAKEY_SIG_PKCS1, "x", 1, sig, &siglen), 0);
	ck_assert_int_eq(rsakey_verify(k, RSAKEY_SHA256, BOTH, "x", 1, sig, siglen), -1);
	ck_assert_int_eq(rsakey_verify(other, RSAKEY_SHA256, BOTH, "x", 1, sig, siglen), 0);

	/* the IKEv1 form: the hash itself, type-1 padded; public key verifies */
	siglen = sizeof(sig);
	ck_assert_int_eq(rsakey_sign_hash(k, hash, sizeof(hash), sig, &siglen), 0);
	p = rsakey_pub_der(k, &plen);
	pub = rsakey_from_pub_der(p, plen);
	ck_assert_int_eq(rsakey_verify_hash(pub, hash, sizeof(hash), sig, siglen), 0);
	memcpy(bad, hash, sizeof(bad));
	bad[19] ^= 1;
	ck_assert_int_eq(rsakey_verify_hash(pub, bad, sizeof(bad), sig, siglen), -1);
	ck_assert_int_eq(rsakey_verify_hash(pub, hash, sizeof(hash) - 1, sig, siglen), -1);
	ck_assert_int_eq(rsakey_verify_hash(other, hash, sizeof(hash), sig, siglen), -1);

	/* no signing without a private key, or into a short buffer */
	siglen = sizeof(sig);
	ck_assert_int_eq(rsakey_sign(pub, RSAKEY_SHA256, RSAKEY_SIG_PKCS1, "x", 1, sig, &siglen), -1);
	ck_assert_int_eq(rsakey_sign_hash(pub, hash, sizeof(hash), sig, &siglen), -1);
	siglen = 100;
	ck_assert_int_eq(rsakey_sign(k, RSAKEY_SHA256, RSAKEY_SIG_RAW, "x", 1, sig, &siglen), -1);
	rsakey_free(pub);
	rsakey_free(other);
}
END_TEST

/*
 * keystore
 */

static struct keystore *
ks_open_ok(const char *dir)
{
	char err[256] = "";
	struct keystore *ks = keystore_open(dir, err, sizeof(err));

	ck_assert_msg(ks != NULL, "keystore_open: %s", err);
	return ks;
}

static void
ks_gen_ok(struct keystore *ks, const char *label, unsigned bits, bool exp)
{
	char err[256] = "";

	ck_assert_msg(keystore_generate(ks, label, bits, KEYSTORE_USAGE_GENERAL, exp,
					err, sizeof(err)) == 0, "generate %s: %s", label, err);
}

START_TEST(test_keystore_generate_reopen)
{
	const char *dir = tk_dir("reopen");
	struct keystore *ks = ks_open_ok(dir);
	struct keystore_info a, b;
	struct stat st;
	uint8_t pub[1024];
	size_t publen;
	char *path;

	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_uint_eq(keystore_count(ks), 0);
	ck_assert_ptr_null(keystore_find(ks, "KS-REKEY"));
	ks_gen_ok(ks, "KS-REKEY", 512, true);
	ck_assert_ptr_nonnull(keystore_find(ks, "KS-REKEY"));
	ck_assert_int_eq(keystore_get(ks, "KS-REKEY", &a), 0);
	ck_assert_str_eq(a.label, "KS-REKEY");
	ck_assert_uint_eq(a.bits, 512);
	ck_assert(a.exportable);
	ck_assert_int_eq(a.usage, KEYSTORE_USAGE_GENERAL);
	ck_assert_int_le(llabs((long long)(a.created - time(NULL))), 5);
	publen = a.pub_len;
	memcpy(pub, a.pub_der, publen);

	path = tk_path(dir, "KS-REKEY.pem");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	free(path);
	ck_assert_int_eq(keystore_get(ks, "nope", &a), -1);
	keystore_close(ks);

	/* a restart finds the same key with the same metadata */
	ks = ks_open_ok(dir);
	ck_assert_uint_eq(keystore_count(ks), 1);
	ck_assert_ptr_nonnull(keystore_find(ks, "KS-REKEY"));
	ck_assert_int_eq(keystore_get(ks, "KS-REKEY", &b), 0);
	ck_assert_uint_eq(b.pub_len, publen);
	ck_assert_mem_eq(b.pub_der, pub, publen);
	ck_assert(b.exportable);
	ck_assert_int_eq(b.created, a.created);
	ck_assert_uint_eq(b.bits, 512);
	keystore_close(ks);
}
END_TEST

START_TEST(test_keystore_replace_zeroize)
{
	const char *dir = tk_dir("zeroize");
	struct keystore *ks = ks_open_ok(dir);
	struct keystore_info a, b;
	uint8_t pub[1024];
	size_t publen;
	char err[128];

	ks_gen_ok(ks, "A", 512, false);
	ks_gen_ok(ks, "B", 512, false);
	ck_assert_int_eq(keystore_get(ks, "A", &a), 0);
	publen = a.pub_len;
	memcpy(pub, a.pub_der, publen);
	ks_gen_ok(ks, "A", 512, true);
	ck_assert_uint_eq(keystore_count(ks), 2);
	ck_assert_int_eq(keystore_get(ks, "A", &b), 0);
	ck_assert(b.exportable);
	ck_assert(b.pub_len != publen || memcmp(b.pub_der, pub, publen) != 0);

	ck_assert_int_eq(keystore_zeroize(ks, "A", err, sizeof(err)), 0);
	ck_assert(!tk_exists(dir, "A.pem"));
	ck_assert(tk_exists(dir, "B.pem"));
	ck_assert_ptr_null(keystore_find(ks, "A"));
	ck_assert_uint_eq(keystore_count(ks), 1);
	/* removing what is not there */
	ck_assert_int_eq(keystore_zeroize(ks, "A", err, sizeof(err)), 1);
	ck_assert_int_eq(keystore_zeroize(ks, "../B", err, sizeof(err)), 1);
	ck_assert(tk_exists(dir, "B.pem"));

	ks_gen_ok(ks, "C", 512, false);
	ck_assert_int_eq(keystore_zeroize_all(ks, err, sizeof(err)), 0);
	ck_assert_uint_eq(keystore_count(ks), 0);
	ck_assert(!tk_exists(dir, "B.pem"));
	ck_assert(!tk_exists(dir, "C.pem"));
	keystore_close(ks);
	ks = ks_open_ok(dir);
	ck_assert_uint_eq(keystore_count(ks), 0);
	keystore_close(ks);
}
END_TEST

static void
collect(const struct keystore_info *in, void *arg)
{
	strcat(arg, in->label);
	strcat(arg, ",");
}

/* Damaged files are skipped with a log line; the good keys load. */
START_TEST(test_keystore_corrupt_skipped)
{
	const char *dir = tk_dir("corrupt");
	struct keystore *ks = ks_open_ok(dir);
	char *path, *text, names[256] = "";
	size_t len;

	ks_gen_ok(ks, "good", 512, false);
	ks_gen_ok(ks, "alpha", 512, false);
	keystore_close(ks);

	path = tk_path(dir, "good.pem");
	ck_assert_int_eq(file_read_all(path, 1 << 16, &text, &len), 0);
	free(path);
	tk_write(dir, "half.pem", text, len / 2);
	tk_write(dir, "junk.pem", "hello\n", 6);
	tk_write(dir, "empty.pem", "", 0);
	tk_write(dir, "bad label.pem", text, len);	/* a good key, a bad name */
	tk_write(dir, "notes.txt", text, len);		/* not a key file */
	free(text);
	path = tk_path(dir, "dir.pem");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	free(path);

	ks = ks_open_ok(dir);
	keystore_foreach(ks, collect, names);
	ck_assert_str_eq(names, "alpha,good,");
	keystore_close(ks);
}
END_TEST

/* Metadata lines are read back; a file without them still loads. */
START_TEST(test_keystore_metadata)
{
	const char *dir = tk_dir("meta");
	struct keystore *ks = ks_open_ok(dir);
	struct keystore_info in;
	char *path, *text, *pem, *img;
	size_t len;

	ks_gen_ok(ks, "k", 512, false);
	keystore_close(ks);
	path = tk_path(dir, "k.pem");
	ck_assert_int_eq(file_read_all(path, 1 << 16, &text, &len), 0);
	free(path);
	ck_assert_int_eq(strncmp(text, "getvpn RSA key pair\nLabel: k\nGenerated: ", 40), 0);
	ck_assert_ptr_nonnull(strstr(text, "\nExportable: no\nUsage: general\n"
				      "-----BEGIN PRIVATE KEY-----\n"));
	pem = strstr(text, "-----BEGIN");
	ck_assert_int_gt(asprintf(&img, "Label: k\nGenerated: 1667620575\n"
				  "Exportable: yes\nUsage: signature\nX-Future: 1\n%s", pem), 0);
	tk_write(dir, "k.pem", img, strlen(img));
	tk_write(dir, "plain.pem", pem, strlen(pem));
	free(img);
	free(text);

	ks = ks_open_ok(dir);
	ck_assert_int_eq(keystore_get(ks, "k", &in), 0);
	ck_assert_int_eq(in.created, 1667620575);
	ck_assert(in.exportable);
	ck_assert_int_eq(in.usage, KEYSTORE_USAGE_SIGNATURE);
	ck_assert_int_eq(keystore_get(ks, "plain", &in), 0);
	ck_assert(!in.exportable);
	ck_assert_int_eq(in.usage, KEYSTORE_USAGE_GENERAL);
	ck_assert_int_gt(in.created, 0);
	keystore_close(ks);
}
END_TEST

struct label_case {
	const char *label;
	bool ok;
};

static const struct label_case label_cases[] = {
	{ "a", true },
	{ "KS_1.rekey-2", true },
	{ "GETVPN-REKEY-RSA", true },
	{ "123456789012345678901234567890123456789012345678901234567890123", true },
	{ "1234567890123456789012345678901234567890123456789012345678901234", false },
	{ "1234567890123456789012345678901234567890123456789012345678901234567890", false },
	{ "", false },
	{ "../x", false },
	{ "a/b", false },
	{ ".", false },
	{ "..", false },
	{ ".hidden", false },
	{ "a b", false },
	{ "tab\t", false },
	{ "caf\xc3\xa9", false },
};

START_TEST(test_keystore_labels)
{
	const struct label_case *c = &label_cases[_i];
	char err[128] = "", name[32];
	struct keystore *ks;
	int rc;

	snprintf(name, sizeof(name), "labels%d", _i);
	ks = ks_open_ok(tk_dir(name));
	ck_assert_int_eq(keystore_label_ok(c->label), c->ok);
	rc = keystore_generate(ks, c->label, 512, KEYSTORE_USAGE_GENERAL, false, err,
			       sizeof(err));
	ck_assert_int_eq(rc, c->ok ? 0 : -1);
	ck_assert_uint_eq(keystore_count(ks), c->ok ? 1 : 0);
	if (!c->ok) {
		ck_assert_str_ne(err, "");
		ck_assert(!tk_exists(tk_root, "x.pem"));
	}
	keystore_close(ks);
}
END_TEST

START_TEST(test_keystore_bad_dir)
{
	char err[256] = "";
	char *file = tk_path(tk_root, "plainfile");
	char *under = tk_path(tk_root, "plainfile/keys");
	char *deep = tk_path(tk_root, "missing/parent/keys");
	struct keystore *ks;
	struct stat st;

	tk_write(tk_root, "plainfile", "x", 1);
	ck_assert_ptr_null(keystore_open(file, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "plainfile"));
	err[0] = '\0';
	ck_assert_ptr_null(keystore_open(under, err, sizeof(err)));
	ck_assert_str_ne(err, "");
	/* missing parents are made, as for the default /var/lib/getvpn/keys */
	ks = keystore_open(deep, err, sizeof(err));
	ck_assert_msg(ks != NULL, "%s", err);
	ck_assert_int_eq(stat(deep, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	keystore_close(ks);
	free(deep);
	ck_assert_ptr_null(keystore_open("", err, sizeof(err)));
	free(file);
	free(under);
}
END_TEST

START_TEST(test_keystore_bad_bits)
{
	struct keystore *ks = ks_open_ok(tk_dir("badbits"));
	char err[128];

	ck_assert_int_eq(keystore_generate(ks, "x", 100, KEYSTORE_USAGE_GENERAL, false,
					   err, sizeof(err)), -1);
	ck_assert_int_eq(keystore_generate(ks, "x", 8192, KEYSTORE_USAGE_GENERAL, false,
					   err, sizeof(err)), -1);
	ck_assert_uint_eq(keystore_count(ks), 0);
	ck_assert(!tk_exists(tk_dir("badbits"), "x.pem"));
	keystore_close(ks);
}
END_TEST

Suite *suite_keys(void);

Suite *
suite_keys(void)
{
	Suite *s = suite_create("keys");
	TCase *tc;

	tc = tcase_create("rsakey");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rsakey_pem_roundtrip);
	tcase_add_test(tc, test_rsakey_generate_bounds);
	tcase_add_test(tc, test_rsakey_bad_input);
	tcase_add_loop_test(tc, test_rsakey_sign_verify, 0,
			    sizeof(sig_cases) / sizeof(*sig_cases));
	tcase_add_test(tc, test_rsakey_sign_misc);
	suite_add_tcase(s, tc);

	tc = tcase_create("keystore");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, tk_setup, tk_teardown);
	tcase_add_test(tc, test_keystore_generate_reopen);
	tcase_add_test(tc, test_keystore_replace_zeroize);
	tcase_add_test(tc, test_keystore_corrupt_skipped);
	tcase_add_test(tc, test_keystore_metadata);
	tcase_add_loop_test(tc, test_keystore_labels, 0,
			    sizeof(label_cases) / sizeof(*label_cases));
	tcase_add_test(tc, test_keystore_bad_dir);
	tcase_add_test(tc, test_keystore_bad_bits);
	suite_add_tcase(s, tc);
	return s;
}
