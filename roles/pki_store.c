/*
 * pki_store: the trustpoint files of the key directory, from the
 * operator's side (see roles/pki.h, doc/pki.md): `crypto pki import`
 * checks and writes them, `show crypto pki certificates` prints them.
 *
 * An import first reads and checks everything (the certificate verifies
 * against the CA now, the private key is the certificate's) and only then
 * writes, each file atomically (platform/fileio.h).  The files written
 * hold the parsed certificates re-encoded, never the operator's file as
 * it was: a bundle that also carried a private key or stray text does
 * not leak it into the key directory.
 */
#include "roles/pki.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/rsakey.h"
#include "gdoi/x509.h"
#include "parser/conf.h"
#include "parser/conf_pki.h"
#include "platform/fileio.h"
#include "platform/showout.h"
#include "roles/keystore.h"

/* What an import has read and parsed. */
struct pki_import {
	char *ca_text, *cert_text, *key_text;
	size_t ca_len, cert_len, key_len;
	struct x509_store *ca;
	struct x509_cert *cert;
	struct rsakey *key;
};

static int
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void
import_free(struct pki_import *im)
{
	free(im->ca_text);
	free(im->cert_text);
	rsakey_buf_free(im->key_text, im->key_len);	/* wiped */
	x509_store_free(im->ca);
	x509_cert_free(im->cert);
	rsakey_free(im->key);
}

static int
read_file(const char *path, char **text, size_t *len, char *err,
	  size_t errlen)
{
	if (file_read_all(path, PKI_FILE_MAX, text, len) == 0)
		return 0;
	return seterr(err, errlen, "Cannot read %s: %s", path,
		      strerror(errno));
}

static int
import_read(struct pki_import *im, const char *ca_path, const char *cert_path,
	    const char *key_path, char *err, size_t errlen)
{
	if (read_file(ca_path, &im->ca_text, &im->ca_len, err, errlen) < 0 ||
	    read_file(cert_path, &im->cert_text, &im->cert_len, err,
		      errlen) < 0 ||
	    read_file(key_path, &im->key_text, &im->key_len, err, errlen) < 0)
		return -1;
	if ((im->ca = x509_store_from_pem(im->ca_text, im->ca_len)) == NULL)
		return seterr(err, errlen, "%s holds no valid CA certificate "
			      "(PEM, at most %d)", ca_path, X509_CA_MAX);
	if ((im->cert = x509_cert_from_pem(im->cert_text,
					   im->cert_len)) == NULL)
		return seterr(err, errlen, "%s holds no valid certificate "
			      "(PEM)", cert_path);
	if ((im->key = rsakey_from_pem(im->key_text, im->key_len)) == NULL)
		return seterr(err, errlen, "%s holds no unencrypted RSA "
			      "private key of %d to %d bits", key_path,
			      RSAKEY_MIN_BITS, RSAKEY_MAX_BITS);
	return 0;
}

static int
import_check(const struct pki_import *im, time_t now, char *err,
	     size_t errlen)
{
	const char *why;

	if (!x509_cert_key_match(im->cert, im->key))
		return seterr(err, errlen, "The private key does not match "
			      "the certificate");
	if (x509_verify(im->ca, im->cert, NULL, 0, now, &why) < 0)
		return seterr(err, errlen, "The certificate does not verify "
			      "against the CA certificate: %s", why);
	return 0;
}

/* Write one certificate file (the certificates of n, concatenated). */
static int
write_certs(const struct keystore *ks, const char *name, const char *suffix,
	    const struct x509_cert *const *certs, size_t n, char *err,
	    size_t errlen)
{
	char path[PATH_MAX], *all = NULL, *pem;
	size_t len = 0, plen;
	int rc = -1;

	if (snprintf(path, sizeof(path), "%s/%s%s", keystore_dir(ks), name,
		     suffix) >= (int)sizeof(path))
		return seterr(err, errlen, "File name too long");
	for (size_t i = 0; i < n; i++) {
		char *grown;

		if (x509_cert_to_pem(certs[i], &pem, &plen) < 0)
			goto out;
		grown = realloc(all, len + plen + 1);
		if (grown == NULL) {
			free(pem);
			goto out;
		}
		all = grown;
		memcpy(all + len, pem, plen + 1);
		len += plen;
		free(pem);
	}
	rc = file_write_atomic(path, all, len, 0600);
	if (rc < 0)
		seterr(err, errlen, "Cannot write %s: %s", path,
		       strerror(errno));
out:
	if (rc < 0 && err[0] == '\0')
		seterr(err, errlen, "Cannot encode the certificates");
	free(all);
	return rc;
}

static int
import_write(struct keystore *ks, const char *name, const char *label,
	     const struct pki_import *im, char *err, size_t errlen)
{
	const struct x509_cert *ca[X509_CA_MAX], *cert = im->cert;
	size_t nca = x509_store_count(im->ca);

	for (size_t i = 0; i < nca; i++)
		ca[i] = x509_store_cert(im->ca, i);
	err[0] = '\0';
	if (write_certs(ks, name, PKI_CA_SUFFIX, ca, nca, err, errlen) < 0 ||
	    write_certs(ks, name, PKI_CERT_SUFFIX, &cert, 1, err,
			errlen) < 0)
		return -1;
	if (keystore_import(ks, label, im->key_text, im->key_len, err,
			    errlen) < 0)
		return -1;
	return 0;
}

/* A key file LABEL.pem must not overwrite a trustpoint file. */
static bool
label_is_tp_file(const char *label)
{
	static const char *const ends[] = { "-ca", "-cert" };
	size_t n = strlen(label);

	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		size_t e = strlen(ends[i]);

		if (n >= e && strcmp(label + n - e, ends[i]) == 0)
			return true;
	}
	return false;
}

int
pki_import(struct keystore *ks, const char *name, const char *label,
	   const char *ca_path, const char *cert_path, const char *key_path,
	   time_t now, struct pki_import_info *info, char *err,
	   size_t errlen)
{
	const struct rsakey *old;
	struct pki_import im;
	int rc = -1;

	memset(&im, 0, sizeof(im));
	if (!conf_pki_name_ok(name) || !conf_pki_name_ok(label))
		return seterr(err, errlen, "Invalid trustpoint name or key "
			      "label");
	if (label_is_tp_file(label))
		return seterr(err, errlen, "Key label %s would collide with "
			      "a trustpoint file (-ca, -cert)", label);
	if (import_read(&im, ca_path, cert_path, key_path, err, errlen) < 0 ||
	    import_check(&im, now, err, errlen) < 0)
		goto out;
	old = keystore_find(ks, label);
	info->replaced = old != NULL && !rsakey_pub_equal(old, im.key);
	if (import_write(ks, name, label, &im, err, errlen) < 0)
		goto out;
	info->nca = x509_store_count(im.ca);
	rc = 0;
out:
	import_free(&im);
	return rc;
}

/*
 * show crypto pki certificates, in IOS's layout: the router certificate
 * first, then the CA certificates, each with its trustpoint.
 */
static void
show_when(struct showout *o, const char *key, const char *what, time_t when)
{
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct tm tm;
	char date[48];

	gmtime_r(&when, &tm);
	snprintf(date, sizeof(date), "%02d:%02d:%02d UTC %s %d %d", tm.tm_hour,
		 tm.tm_min, tm.tm_sec, mon[tm.tm_mon % 12], tm.tm_mday,
		 tm.tm_year + 1900);
	showout_str(o, key, date, "    %s date: %s\n", what, date);
}

/* A distinguished name, one attribute a line. */
static void
show_name(struct showout *o, const char *key, const struct x509_cert *c,
	  enum x509_name_which which)
{
	char buf[2048];

	/* Truncated names still print what fit. */
	x509_cert_name(c, which, '\n', buf, sizeof(buf));
	showout_list(o, key);
	for (char *line = buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL) {
			showout_str(o, NULL, line, "    %s\n", line);
			break;
		}
		*nl = '\0';
		showout_str(o, NULL, line, "    %s\n", line);
	}
	showout_end(o);
}

static void
show_cert(struct showout *o, const struct x509_cert *c, const char *kind,
	  const char *tp)
{
	static const char *const usage[] = {
		[X509_CERT_USAGE_GENERAL] = "General Purpose",
		[X509_CERT_USAGE_SIGNATURE] = "Signature",
		[X509_CERT_USAGE_ENCRYPTION] = "Encryption",
	};
	struct x509_info in;

	if (x509_cert_info(c, &in) < 0)
		return;
	showout_obj(o, NULL);
	showout_str(o, "kind", kind, "%s\n", kind);
	showout_str(o, "status", "Available", "  Status: %s\n", "Available");
	showout_str(o, "serial_number", in.serial,
		    "  Certificate Serial Number (hex): %s\n", in.serial);
	showout_str(o, "usage", usage[in.usage], "  Certificate Usage: %s\n",
		    usage[in.usage]);
	showout_text(o, "  Issuer:\n");
	show_name(o, "issuer", c, X509_NAME_ISSUER);
	showout_text(o, "  Subject:\n");
	show_name(o, "subject", c, X509_NAME_SUBJECT);
	showout_text(o, "  Validity Date:\n");
	show_when(o, "start_date", "start", in.not_before);
	show_when(o, "end_date", "end  ", in.not_after);
	showout_str(o, "associated_trustpoints", tp,
		    "  Associated Trustpoints: %s\n\n", tp);
	showout_end(o);
}

static void
show_tp(const struct keystore *keys, const char *name, struct showout *o)
{
	char path[PATH_MAX], *text;
	struct x509_store *ca = NULL;
	struct x509_cert *cert = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s%s", keystore_dir(keys), name,
		 PKI_CERT_SUFFIX);
	if (file_read_all(path, PKI_FILE_MAX, &text, &len) == 0) {
		cert = x509_cert_from_pem(text, len);
		free(text);
	}
	snprintf(path, sizeof(path), "%s/%s%s", keystore_dir(keys), name,
		 PKI_CA_SUFFIX);
	if (file_read_all(path, PKI_FILE_MAX, &text, &len) == 0) {
		ca = x509_store_from_pem(text, len);
		free(text);
	}
	if (cert != NULL)
		show_cert(o, cert, "Certificate", name);
	for (size_t i = 0; ca != NULL && i < x509_store_count(ca); i++)
		show_cert(o, x509_store_cert(ca, i), "CA Certificate", name);
	x509_cert_free(cert);
	x509_store_free(ca);
}

int
pki_show_certificates(const struct conf *conf, const struct keystore *keys,
		      const char *name, struct showout *o)
{
	const struct conf_pki_tp *tp;

	if (name != NULL && conf_pki_tp_find(conf->pki, name) == NULL)
		return -1;
	showout_list(o, "certificates");
	if (name != NULL)
		show_tp(keys, name, o);
	for (tp = name ? NULL : conf_pki_tp_first(conf->pki); tp != NULL;
	     tp = tp->next)
		show_tp(keys, tp->name, o);
	showout_end(o);
	return 0;
}
