/*
 * keystore: the RSA key pairs of this router on disk and in memory
 * (doc/ios-cli.md §2.4: `crypto key generate|zeroize rsa`, `show crypto key
 * mypubkey rsa`, `rekey authentication mypubkey rsa LABEL`).
 *
 * Owns the key directory and its files.  A key file is
 *
 *   getvpn RSA key pair
 *   Label: KS-REKEY
 *   Generated: 1700000000 2023-11-14T22:13:20Z
 *   Exportable: no
 *   Usage: general
 *   -----BEGIN PRIVATE KEY-----
 *   ...
 *
 * The lines before the PEM block are RFC 7468 explanatory text, so
 * `openssl pkey -in LABEL.pem` reads the file as it is, and key and
 * metadata change together in one atomic rename (platform/fileio.h).
 * Unknown metadata lines are ignored so later versions can add some.
 *
 * Lookup by label goes through an hmap; a sorted array gives `show` its
 * stable order.  Everything that held key bytes is wiped before it is
 * freed.
 */
#include "roles/keystore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdoi/crypto.h"
#include "gdoi/rsakey.h"
#include "platform/fileio.h"
#include "platform/hmap.h"
#include "platform/log.h"

#define KEYSTORE_SUFFIX ".pem"
#define KEYSTORE_FILE_MAX (64 * 1024)	/* a 4096-bit PKCS#8 PEM is ~3.3 KB */
#define KEYSTORE_MAGIC "getvpn RSA key pair"

struct ks_key {
	char label[KEYSTORE_LABEL_MAX + 1];
	struct rsakey *key;
	time_t created;
	bool exportable;
	enum keystore_usage usage;
};

struct keystore {
	char *dir;
	struct hmap *byname;	/* label -> struct ks_key */
	struct ks_key **v;	/* sorted by label (strcmp) */
	size_t n, cap;
};

static const char *const usage_names[] = {
	[KEYSTORE_USAGE_GENERAL] = "general",
	[KEYSTORE_USAGE_SIGNATURE] = "signature",
	[KEYSTORE_USAGE_ENCRYPTION] = "encryption",
};

static int
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

bool
keystore_label_ok(const char *label)
{
	return file_name_ok(label, KEYSTORE_LABEL_MAX + 1);
}

static int
key_path(const struct keystore *ks, const char *label, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s" KEYSTORE_SUFFIX, ks->dir, label);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void
key_free(struct ks_key *k)
{
	if (k == NULL)
		return;
	rsakey_free(k->key);
	free(k);
}

/* Index of label in the sorted array, or where it would go. */
static size_t
key_pos(const struct keystore *ks, const char *label, bool *found)
{
	size_t lo = 0, hi = ks->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ks->v[mid]->label, label);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Add k (label not present yet); -1 on allocation failure. */
static int
key_insert(struct keystore *ks, struct ks_key *k)
{
	bool found;
	size_t pos = key_pos(ks, k->label, &found);

	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 8;
		struct ks_key **v = realloc(ks->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		ks->v = v;
		ks->cap = cap;
	}
	if (hmap_put(ks->byname, k->label, k) < 0)
		return -1;
	memmove(ks->v + pos + 1, ks->v + pos, (ks->n - pos) * sizeof(*ks->v));
	ks->v[pos] = k;
	ks->n++;
	return 0;
}

static void
key_remove(struct keystore *ks, const char *label)
{
	bool found;
	size_t pos = key_pos(ks, label, &found);
	struct ks_key *k;

	if (!found)
		return;
	k = ks->v[pos];
	hmap_del(ks->byname, label);
	memmove(ks->v + pos, ks->v + pos + 1,
		(ks->n - pos - 1) * sizeof(*ks->v));
	ks->n--;
	key_free(k);
}

#define USAGE_COUNT (sizeof(usage_names) / sizeof(*usage_names))

/* One "Name: value" metadata line (len bytes at p) into k. */
static void
meta_line(struct ks_key *k, const char *p, size_t len)
{
	if (len > 11 && strncmp(p, "Generated: ", 11) == 0) {
		long long t = strtoll(p + 11, NULL, 10);

		if (t > 0)
			k->created = (time_t)t;
	} else if (len == 15 && strncmp(p, "Exportable: yes", 15) == 0) {
		k->exportable = true;
	} else if (len > 7 && strncmp(p, "Usage: ", 7) == 0) {
		for (size_t i = 0; i < USAGE_COUNT; i++)
			if (len - 7 == strlen(usage_names[i]) &&
			    strncmp(p + 7, usage_names[i], len - 7) == 0)
				k->usage = (enum keystore_usage)i;
	}
}

/* Read the lines before the PEM block; unknown ones are ignored. */
static void
meta_parse(struct ks_key *k, const char *text)
{
	const char *p = text;

	while (*p != '\0' && strncmp(p, "-----BEGIN", 10) != 0) {
		const char *nl = strchr(p, '\n');

		meta_line(k, p, nl ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* Load one key file; a bad file is logged and skipped (returns -1). */
static int
load_file(struct keystore *ks, const char *label)
{
	char path[PATH_MAX];
	struct ks_key *k = NULL;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;

	if (key_path(ks, label, path, sizeof(path)) < 0 || stat(path, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		log_warnx("key store: %s: not a regular file, skipped", path);
		return -1;
	}
	if (file_read_all(path, KEYSTORE_FILE_MAX, &buf, &len) < 0) {
		log_warn("key store: %s: cannot read, key %s skipped", path,
			 label);
		return -1;
	}
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		goto fail;
	snprintf(k->label, sizeof(k->label), "%s", label);
	k->created = st.st_mtime;	/* when the file carries no date */
	k->key = rsakey_from_pem(buf, len);
	if (k->key == NULL) {
		log_warnx("key store: %s: not a valid RSA private key, "
			  "key %s skipped", path, label);
		goto fail;
	}
	meta_parse(k, buf);
	if (st.st_mode & 077)
		log_warnx("key store: %s is readable by other users", path);
	if (key_insert(ks, k) < 0)
		goto fail;
	rsakey_buf_free(buf, len);
	return 0;
fail:
	rsakey_buf_free(buf, len);
	key_free(k);
	return -1;
}

static void
load_all(struct keystore *ks, DIR *d)
{
	const size_t sl = strlen(KEYSTORE_SUFFIX);
	struct dirent *de;

	while ((de = readdir(d)) != NULL) {
		char label[KEYSTORE_LABEL_MAX + 1];
		size_t n = strlen(de->d_name);

		/* Only LABEL.pem: temporary files of an interrupted save
		 * and anything else an operator left there are not keys. */
		if (de->d_name[0] == '.' || n <= sl ||
		    strcmp(de->d_name + n - sl, KEYSTORE_SUFFIX) != 0)
			continue;
		if (n - sl > KEYSTORE_LABEL_MAX) {
			log_warnx("key store: %s/%s: label too long, skipped",
				  ks->dir, de->d_name);
			continue;
		}
		memcpy(label, de->d_name, n - sl);
		label[n - sl] = '\0';
		if (!keystore_label_ok(label)) {
			log_warnx("key store: %s/%s: bad label, skipped",
				  ks->dir, de->d_name);
			continue;
		}
		load_file(ks, label);
	}
}

/* The directory, created 0700 when missing; -1 with err set. */
static int
dir_prepare(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	char parent[PATH_MAX];

	/* Like mkdir -p: the default /var/lib/getvpn may not exist yet. */
	snprintf(parent, sizeof(parent), "%s", dir);
	for (char *p = parent + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return seterr(err, errlen, "cannot create key directory %s: %s",
			      dir, strerror(errno));
	if (stat(dir, &st) < 0)
		return seterr(err, errlen, "key directory %s: %s", dir,
			      strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return seterr(err, errlen, "key directory %s: %s", dir,
			      strerror(ENOTDIR));
	if (st.st_mode & 077)
		log_warnx("key store: directory %s is accessible by other "
			  "users", dir);
	return 0;
}

struct keystore *
keystore_open(const char *dir, char *err, size_t errlen)
{
	struct keystore *ks;
	DIR *d;

	if (dir == NULL || dir[0] == '\0') {
		seterr(err, errlen, "no key directory given");
		return NULL;
	}
	if (dir_prepare(dir, err, errlen) < 0)
		return NULL;
	d = opendir(dir);
	if (d == NULL) {
		seterr(err, errlen, "key directory %s: %s", dir,
		       strerror(errno));
		return NULL;
	}
	ks = calloc(1, sizeof(*ks));
	if (ks == NULL || (ks->dir = strdup(dir)) == NULL ||
	    (ks->byname = hmap_new()) == NULL) {
		closedir(d);
		keystore_close(ks);
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	load_all(ks, d);
	closedir(d);
	if (file_remove_stale_tmp(dir, NULL) > 0)
		log_warnx("key store: removed the temporary files of an "
			  "interrupted save in %s", dir);
	return ks;
}

int
keystore_secure_heap(void)
{
	return crypto_secure_heap(KEYSTORE_SECURE_HEAP);
}

void
keystore_close(struct keystore *ks)
{
	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->n; i++)
		key_free(ks->v[i]);
	free(ks->v);
	hmap_free(ks->byname);
	free(ks->dir);
	free(ks);
}

/* The file image of k: metadata lines, then the PKCS#8 PEM (wipe it). */
static int
file_image(const struct ks_key *k, char **out, size_t *outlen)
{
	char head[256], stamp[32];
	struct tm tm;
	char *pem = NULL, *buf;
	size_t pemlen = 0;
	int hl;

	if (rsakey_to_pem(k->key, &pem, &pemlen) < 0)
		return -1;
	gmtime_r(&k->created, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	hl = snprintf(head, sizeof(head),
		      KEYSTORE_MAGIC "\nLabel: %s\nGenerated: %lld %s\n"
		      "Exportable: %s\nUsage: %s\n", k->label,
		      (long long)k->created, stamp,
		      k->exportable ? "yes" : "no", usage_names[k->usage]);
	buf = hl > 0 && (size_t)hl < sizeof(head) ?
	      malloc((size_t)hl + pemlen + 1) : NULL;
	if (buf == NULL) {
		rsakey_buf_free(pem, pemlen);
		return -1;
	}
	memcpy(buf, head, (size_t)hl);
	memcpy(buf + hl, pem, pemlen + 1);
	rsakey_buf_free(pem, pemlen);
	*out = buf;
	*outlen = (size_t)hl + pemlen;
	return 0;
}

static int
key_save(const struct keystore *ks, const struct ks_key *k,
	 char *err, size_t errlen)
{
	char path[PATH_MAX];
	char *img;
	size_t len;
	int rc;

	if (key_path(ks, k->label, path, sizeof(path)) < 0)
		return seterr(err, errlen, "key file name too long");
	if (file_image(k, &img, &len) < 0)
		return seterr(err, errlen, "cannot encode the key");
	rc = file_write_atomic(path, img, len, 0600);
	if (rc < 0)
		seterr(err, errlen, "cannot write %s: %s", path,
		       strerror(errno));
	rsakey_buf_free(img, len);
	return rc;
}

int
keystore_generate(struct keystore *ks, const char *label, unsigned bits,
		  enum keystore_usage usage, bool exportable,
		  char *err, size_t errlen)
{
	struct ks_key *k, *old;

	if (!keystore_label_ok(label))
		return seterr(err, errlen, "invalid key label");
	if (bits < RSAKEY_MIN_BITS || bits > RSAKEY_MAX_BITS)
		return seterr(err, errlen, "modulus must be %d to %d bits",
			      RSAKEY_MIN_BITS, RSAKEY_MAX_BITS);
	if ((size_t)usage >= USAGE_COUNT)
		return seterr(err, errlen, "invalid key usage");
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return seterr(err, errlen, "out of memory");
	snprintf(k->label, sizeof(k->label), "%s", label);
	k->created = time(NULL);
	k->exportable = exportable;
	k->usage = usage;
	k->key = rsakey_generate(bits);
	if (k->key == NULL) {
		key_free(k);
		return seterr(err, errlen, "RSA key generation failed");
	}
	if (key_save(ks, k, err, errlen) < 0) {
		key_free(k);
		return -1;
	}
	/* On disk now: swap it in for the old pair, if any. */
	old = hmap_get(ks->byname, label);
	if (old != NULL) {
		struct rsakey *tmp = old->key;

		old->key = k->key;
		old->created = k->created;
		old->exportable = k->exportable;
		old->usage = k->usage;
		k->key = tmp;
		key_free(k);
		return 0;
	}
	if (key_insert(ks, k) < 0) {
		key_free(k);
		return seterr(err, errlen, "out of memory");
	}
	return 0;
}

/* Save k and put it in place of the pair of the same label (k is taken
 * over in every case). */
static int
key_install(struct keystore *ks, struct ks_key *k, char *err, size_t errlen)
{
	struct ks_key *old;
	struct rsakey *tmp;

	if (key_save(ks, k, err, errlen) < 0) {
		key_free(k);
		return -1;
	}
	old = hmap_get(ks->byname, k->label);
	if (old == NULL) {
		if (key_insert(ks, k) < 0) {
			key_free(k);
			return seterr(err, errlen, "out of memory");
		}
		return 0;
	}
	tmp = old->key;
	old->key = k->key;
	old->created = k->created;
	old->exportable = k->exportable;
	old->usage = k->usage;
	k->key = tmp;
	key_free(k);
	return 0;
}

int
keystore_import_key(struct keystore *ks, const char *label,
		    struct rsakey *key, bool exportable, char *err,
		    size_t errlen)
{
	struct ks_key *k;

	if (!keystore_label_ok(label)) {
		rsakey_free(key);
		return seterr(err, errlen, "invalid key label");
	}
	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		rsakey_free(key);
		return seterr(err, errlen, "out of memory");
	}
	snprintf(k->label, sizeof(k->label), "%s", label);
	k->created = time(NULL);
	k->usage = KEYSTORE_USAGE_GENERAL;
	k->exportable = exportable;
	k->key = key;
	return key_install(ks, k, err, errlen);
}

int
keystore_import(struct keystore *ks, const char *label, const char *pem,
		size_t len, char *err, size_t errlen)
{
	struct rsakey *key = rsakey_from_pem(pem, len);

	if (key == NULL)
		return seterr(err, errlen, "not an unencrypted RSA private key "
			      "of %d to %d bits", RSAKEY_MIN_BITS,
			      RSAKEY_MAX_BITS);
	return keystore_import_key(ks, label, key, false, err, errlen);
}

static void
dir_sync(const struct keystore *ks)
{
	int fd = open(ks->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int
keystore_zeroize(struct keystore *ks, const char *label,
		 char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (label == NULL || hmap_get(ks->byname, label) == NULL)
		return 1;
	if (key_path(ks, label, path, sizeof(path)) < 0)
		return seterr(err, errlen, "key file name too long");
	if (unlink(path) < 0 && errno != ENOENT)
		return seterr(err, errlen, "cannot remove %s: %s", path,
			      strerror(errno));
	dir_sync(ks);
	key_remove(ks, label);
	return 0;
}

int
keystore_zeroize_all(struct keystore *ks, char *err, size_t errlen)
{
	int rc = 0;
	size_t i = ks->n;

	/* From the end: a key that cannot be removed stays at its index. */
	while (i-- > 0) {
		char label[KEYSTORE_LABEL_MAX + 1];

		snprintf(label, sizeof(label), "%s", ks->v[i]->label);
		if (keystore_zeroize(ks, label, err, errlen) < 0)
			rc = -1;
	}
	return rc;
}

const struct rsakey *
keystore_find(const struct keystore *ks, const char *label)
{
	const struct ks_key *k;

	if (ks == NULL || label == NULL)
		return NULL;
	k = hmap_get(ks->byname, label);
	return k != NULL ? k->key : NULL;
}

static void
key_info(const struct ks_key *k, struct keystore_info *info)
{
	info->label = k->label;
	info->bits = rsakey_bits(k->key);
	info->created = k->created;
	info->exportable = k->exportable;
	info->usage = k->usage;
	info->pub_der = rsakey_pub_der(k->key, &info->pub_len);
}

int
keystore_get(const struct keystore *ks, const char *label,
	     struct keystore_info *info)
{
	const struct ks_key *k;

	if (ks == NULL || label == NULL)
		return -1;
	k = hmap_get(ks->byname, label);
	if (k == NULL)
		return -1;
	key_info(k, info);
	return 0;
}

size_t
keystore_count(const struct keystore *ks)
{
	return ks != NULL ? ks->n : 0;
}

void
keystore_foreach(const struct keystore *ks,
		 void (*fn)(const struct keystore_info *info, void *arg),
		 void *arg)
{
	if (ks == NULL)
		return;
	for (size_t i = 0; i < ks->n; i++) {
		struct keystore_info info;

		key_info(ks->v[i], &info);
		fn(&info, arg);
	}
}

const char *
keystore_dir(const struct keystore *ks)
{
	return ks->dir;
}
