/*
 * keystore: the router's RSA key pairs (doc/ios-cli.md §2.4), kept outside
 * the running-config as IOS keeps them in private NVRAM, so a reboot or
 * a startup-config replay never changes the KS rekey-signing key.
 *
 * One directory (created 0700), one file per label: LABEL.pem, mode
 * 0600, a few "Name: value" metadata lines (RFC 7468 explanatory text)
 * followed by the PKCS#8 private key PEM, replaced atomically.  All keys
 * are loaded when the store is opened; a damaged file is reported and
 * skipped.
 *
 * Callers above roles/ never see OpenSSL: they get struct keystore_info
 * (plain data) and, for the control plane, the opaque struct rsakey of
 * gdoi/rsakey.h.
 */
#ifndef ROLES_KEYSTORE_H
#define ROLES_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct keystore;
struct rsakey;

#define KEYSTORE_LABEL_MAX 63

enum keystore_usage {
	KEYSTORE_USAGE_GENERAL,		/* general-keys (the default) */
	KEYSTORE_USAGE_SIGNATURE,	/* signature, usage-keys */
	KEYSTORE_USAGE_ENCRYPTION,	/* encryption */
};

/* What `show crypto key mypubkey rsa` needs; valid while the key exists. */
struct keystore_info {
	const char *label;
	unsigned bits;
	time_t created;			/* generation time, seconds since epoch */
	bool exportable;
	enum keystore_usage usage;
	const uint8_t *pub_der;		/* DER SubjectPublicKeyInfo */
	size_t pub_len;
};

/**
 * keystore_open - open (creating it 0700 if missing) the directory dir
 * and load every key in it; the temporary files of a save that was
 * interrupted (kill -9) are removed.  NULL with err set when dir is
 * unusable; damaged key files only produce a log_warnx line each.
 */
struct keystore *keystore_open(const char *dir, char *err, size_t errlen);
/**
 * keystore_secure_heap - OpenSSL's secure heap (KEYSTORE_SECURE_HEAP
 * octets, locked in memory and left out of core dumps, MADV_DONTDUMP),
 * where OpenSSL keeps the private parts of RSA and EC keys once it
 * exists: call before the first key is loaded.  0, or -1 when the kernel
 * refused (RLIMIT_MEMLOCK): keys then live in ordinary memory.
 */
#define KEYSTORE_SECURE_HEAP (256u << 10)
int keystore_secure_heap(void);
/** keystore_close - free every key (wiped); the files stay.  NULL is fine. */
void keystore_close(struct keystore *ks);

/** keystore_label_ok - 1-63 characters of [A-Za-z0-9._-], not starting
 * with '.' (so never "." or ".." and never a hidden temporary file). */
bool keystore_label_ok(const char *label);

/**
 * keystore_generate - generate a bits-bit pair under label, replacing an
 * existing one.  The new key is on disk before it replaces the old one in
 * memory; on failure (-1, err set) the old key stays, in memory and on disk.
 */
int keystore_generate(struct keystore *ks, const char *label, unsigned bits,
		      enum keystore_usage usage, bool exportable,
		      char *err, size_t errlen);

/**
 * keystore_import - store the private key in pem (PKCS#8 or PKCS#1 PEM,
 * not encrypted; `crypto pki import`) under label as a general-purpose,
 * non-exportable pair, replacing an existing one the way
 * keystore_generate() does: on disk first, then in memory.  -1 with err
 * set, the old key (if any) untouched.
 */
int keystore_import(struct keystore *ks, const char *label, const char *pem,
		    size_t len, char *err, size_t errlen);

/**
 * keystore_import_key - the same for a loaded pair (taken over, freed on
 * failure), exportable or not (`crypto key import rsa ... [exportable]`).
 */
int keystore_import_key(struct keystore *ks, const char *label,
			struct rsakey *key, bool exportable, char *err,
			size_t errlen);

/*
 * Moving a pair between key servers (`crypto key export|import rsa ...
 * pem`, roles/keystore_pem.c): the public key as PEM and the private key
 * as PEM encrypted under pass (cipher "3des" or "aes").  Export refuses
 * a key that is not exportable.  Import checks that both halves belong
 * together and replaces the pair of label as keystore_import() does.
 * Both return -1 with err set; *pub and *prv are malloc'd, release them
 * with keystore_pem_free().
 */
int keystore_export_pem(const struct keystore *ks, const char *label,
			const char *cipher, const char *pass, char **pub,
			char **prv, char *err, size_t errlen);
int keystore_import_pem(struct keystore *ks, const char *label,
			const char *pub, const char *prv, const char *pass,
			bool exportable, char *err, size_t errlen);
/** keystore_pem_free - wipe and free a text keystore_export_pem made. */
void keystore_pem_free(char *text);

/**
 * keystore_zeroize - delete the key named label (file and memory).
 * Returns 0, 1 when no such key exists, -1 with err set when the file
 * cannot be removed (the key then stays).
 */
int keystore_zeroize(struct keystore *ks, const char *label,
		     char *err, size_t errlen);
/** keystore_zeroize_all - delete every key; -1 (err set) if one failed. */
int keystore_zeroize_all(struct keystore *ks, char *err, size_t errlen);

/**
 * keystore_find - the key pair named label, or NULL.  The pointer is valid
 * until that label is generated again or zeroized: look the key up by
 * label each time it is needed (a rekey, a registration) rather than
 * keeping it.
 */
const struct rsakey *keystore_find(const struct keystore *ks,
				   const char *label);
/** keystore_get - fill *info for label; -1 when there is no such key. */
int keystore_get(const struct keystore *ks, const char *label,
		 struct keystore_info *info);
/** keystore_count - number of key pairs. */
size_t keystore_count(const struct keystore *ks);
/** keystore_foreach - call fn for every key, in label order.  fn must not
 * add or remove keys. */
void keystore_foreach(const struct keystore *ks,
		      void (*fn)(const struct keystore_info *info, void *arg),
		      void *arg);
/** keystore_dir - the directory the store lives in. */
const char *keystore_dir(const struct keystore *ks);

#endif
