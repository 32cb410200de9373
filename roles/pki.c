/*
 * pki: trustpoints at run time (see roles/pki.h and doc/pki.md) for IKEv1
 * Main Mode with RSA signatures (doc/protocol.md §3.1, §3.5; RFC 2409 §5.1).
 *
 * Owns the trustpoint files of the key directory (NAME-ca.pem,
 * NAME-cert.pem), their import, their `show`, and the Phase 1 hook that
 * decides whether a peer's CERT payloads prove the identity in its ID
 * payload.  Certificate parsing and path validation are gdoi/x509.c's;
 * this file adds files, keys, the clock and the policy:
 *
 *  - our identity is the first trustpoint, in config order, whose
 *    certificate and key pair are both present and match;
 *  - a peer is accepted when its leaf certificate (the first CERT
 *    payload; the others are untrusted intermediates) chains up to the
 *    CA of any trustpoint with `revocation-check none`, at the current
 *    time, and its ID payload names that certificate (§3.5 [D]).
 *
 * A peer that fails any of this is a remote failure: debug lines only.
 */
#include "roles/pki.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/isakmp.h"
#include "gdoi/phase1.h"
#include "gdoi/rsakey.h"
#include "gdoi/x509.h"
#include "parser/conf.h"
#include "parser/conf_pki.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "platform/term.h"
#include "roles/keystore.h"

struct pki_tp {
	char name[CONF_PKI_NAME_MAX + 1];
	struct x509_store *ca;
	struct x509_cert *cert;
	struct rsakey *key;	/* our copy: the store may replace its own */
	bool verify_peers;	/* CA loaded and `revocation-check none` */
	const char *problem;	/* why it is not fully usable, for warnings */
};

struct pki {
	const struct pki_tp *self;	/* whose certificate we present */
	size_t n;
	struct pki_tp tp[];
};

static int
tp_path(const struct keystore *keys, const char *name, const char *suffix,
	char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s%s", keystore_dir(keys), name, suffix);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Read a trustpoint file; 1 when it does not exist, -1 on other errors. */
static int
tp_read(const struct keystore *keys, const char *name, const char *suffix,
	char **text, size_t *len)
{
	char path[PATH_MAX];

	if (tp_path(keys, name, suffix, path, sizeof(path)) < 0)
		return -1;
	if (file_read_all(path, PKI_FILE_MAX, text, len) == 0)
		return 0;
	return errno == ENOENT ? 1 : -1;
}

/* A private copy of k, so that a later `crypto key generate rsa` of the
 * same label cannot free the key out from under a negotiation. */
static struct rsakey *
key_copy(const struct rsakey *k)
{
	struct rsakey *c;
	uint8_t *der;
	size_t len;

	if (rsakey_to_der(k, &der, &len) < 0)
		return NULL;
	c = rsakey_from_der(der, len);
	rsakey_buf_free(der, len);
	return c;
}

static void
tp_load_ca(struct pki_tp *tp, const struct keystore *keys)
{
	char *text;
	size_t len;
	int rc = tp_read(keys, tp->name, PKI_CA_SUFFIX, &text, &len);

	if (rc == 1)
		return;
	if (rc == 0) {
		tp->ca = x509_store_from_pem(text, len);
		free(text);
	}
	if (tp->ca == NULL)
		tp->problem = "the CA certificate file is damaged";
}

static void
tp_load_self(struct pki_tp *tp, const struct keystore *keys,
	     const char *label)
{
	const struct rsakey *k;
	char *text;
	size_t len;
	int rc = tp_read(keys, tp->name, PKI_CERT_SUFFIX, &text, &len);

	if (rc == 1)
		return;
	if (rc == 0) {
		tp->cert = x509_cert_from_pem(text, len);
		free(text);
	}
	if (tp->cert == NULL) {
		tp->problem = "the certificate file is damaged";
		return;
	}
	k = keystore_find(keys, label);
	if (k == NULL)
		tp->problem = "its RSA key pair is missing";
	else if (!x509_cert_key_match(tp->cert, k))
		tp->problem = "its RSA key pair does not match the certificate";
	else if ((tp->key = key_copy(k)) == NULL)
		tp->problem = "its RSA key pair cannot be loaded";
}

static const struct pki_tp *
tp_find(const struct pki *p, const char *name)
{
	for (size_t i = 0; p != NULL && i < p->n; i++)
		if (strcmp(p->tp[i].name, name) == 0)
			return &p->tp[i];
	return NULL;
}

static void
tp_load(struct pki_tp *tp, const struct conf_pki_tp *c,
	const struct keystore *keys, const struct pki *prev)
{
	const struct pki_tp *old;

	snprintf(tp->name, sizeof(tp->name), "%s", c->name);
	tp_load_ca(tp, keys);
	tp_load_self(tp, keys, conf_pki_tp_label(c));
	tp->verify_peers = tp->ca != NULL && c->revocation_none;
	if (tp->problem == NULL && tp->ca != NULL && !c->revocation_none)
		tp->problem = "it verifies no peer without `revocation-check "
			      "none` (CRL checking is not supported)";
	/* Every config line rebuilds the runtime: say it once. */
	old = tp_find(prev, tp->name);
	if (tp->problem != NULL && (old == NULL || old->problem != tp->problem))
		log_warnx("trustpoint %s: %s", tp->name, tp->problem);
}

struct pki *
pki_new(const struct conf *conf, const struct keystore *keys,
	const struct pki *prev)
{
	const struct conf_pki_tp *c;
	struct pki *p;
	size_t n = 0;

	if (conf == NULL || keys == NULL || conf->pki == NULL)
		return NULL;
	for (c = conf_pki_tp_first(conf->pki); c != NULL; c = c->next)
		n++;
	if (n == 0)
		return NULL;
	p = calloc(1, sizeof(*p) + n * sizeof(p->tp[0]));
	if (p == NULL)
		return NULL;
	for (c = conf_pki_tp_first(conf->pki); c != NULL; c = c->next) {
		struct pki_tp *tp = &p->tp[p->n++];

		tp_load(tp, c, keys, prev);
		if (p->self == NULL && tp->key != NULL)
			p->self = tp;
	}
	return p;
}

void
pki_free(struct pki *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		x509_store_free(p->tp[i].ca);
		x509_cert_free(p->tp[i].cert);
		rsakey_free(p->tp[i].key);
	}
	free(p);
}

/*
 * The Phase 1 hook: the peer's certificate chain and identity.
 */
static const struct pki_tp *
peer_verify(const struct pki *p, struct x509_cert *const *certs, size_t n,
	    const char **why)
{
	const struct x509_cert *chain[P1_MAX_CERTS];
	time_t now = time(NULL);

	for (size_t i = 1; i < n; i++)
		chain[i - 1] = certs[i];
	*why = "no trustpoint verifies peers";
	for (size_t i = 0; i < p->n; i++)
		if (p->tp[i].verify_peers &&
		    x509_verify(p->tp[i].ca, certs[0], chain, n - 1, now,
				why) == 0)
			return &p->tp[i];
	return NULL;
}

static struct rsakey *
pki_peer_key(void *arg, const struct p1_peer_cred *cred)
{
	const struct pki *p = arg;
	struct x509_cert *certs[P1_MAX_CERTS] = { NULL };
	struct rsakey *key = NULL;
	const char *why = "no CERT payload";
	char subj[256] = "";
	size_t n;

	for (n = 0; n < cred->ncert && n < P1_MAX_CERTS; n++) {
		certs[n] = x509_cert_from_der(cred->cert[n], cred->cert_len[n]);
		why = "a CERT payload is not a certificate";
		if (certs[n] == NULL)
			goto out;
	}
	if (n == 0)
		goto out;
	x509_cert_name(certs[0], X509_NAME_SUBJECT, ',', subj, sizeof(subj));
	if (peer_verify(p, certs, n, &why) == NULL)
		goto out;
	why = "its ID payload does not name its certificate";
	if (x509_cert_id_match(certs[0], cred->id_type, cred->id,
			       cred->id_len) < 0)
		goto out;
	why = "its certificate holds no usable RSA key";
	key = x509_cert_pubkey(certs[0]);
out:
	if (key == NULL)
		log_dbg(LOG_DBG_ISAKMP, "peer %s (%s) refused: %s",
			LOG_IP4(cred->addr),
			subj[0] ? subj : "no certificate", why);
	for (size_t i = 0; i < P1_MAX_CERTS; i++)
		x509_cert_free(certs[i]);
	return key;
}

void
pki_p1_config(struct pki *p, bool id_dn, struct p1_config *cfg)
{
	const struct pki_tp *self = p != NULL ? p->self : NULL;
	bool verify = false;

	for (size_t i = 0; p != NULL && i < p->n; i++)
		verify |= p->tp[i].verify_peers;
	cfg->rsa = self != NULL ? self->key : NULL;
	cfg->cert = self != NULL ? x509_cert_der(self->cert, &cfg->cert_len)
				 : NULL;
	if (self == NULL)
		cfg->cert_len = 0;
	cfg->peer_key = verify ? pki_peer_key : NULL;
	cfg->peer_key_arg = p;
	cfg->id_type = 0;
	cfg->id = NULL;
	cfg->id_len = 0;
	if (self != NULL && id_dn) {
		cfg->id_type = ISAKMP_ID_DER_ASN1_DN;
		cfg->id = x509_cert_subject_der(self->cert, &cfg->id_len);
	}
}
