/*
 * pki: the trustpoints at run time (doc/pki.md; doc/protocol.md §3.5).
 *
 * A trustpoint's certificates live in the key directory next to the key
 * pairs, so they survive restarts the same way:
 *
 *   NAME-ca.pem     the trusted CA certificate(s), PEM
 *   NAME-cert.pem   this router's certificate, PEM
 *   LABEL.pem       its key pair (roles/keystore.h; LABEL = `rsakeypair`
 *                   of the trustpoint, else NAME)
 *
 * `crypto pki import` writes them (pki_import), `show crypto pki
 * certificates` reads them (pki_show_certificates), and the GDOI endpoint
 * loads them into a struct pki on every config change (pki_new), which
 * fills the RSA-signature part of the Phase 1 configuration: our key,
 * our certificate for the CERT payload, our ID_DER_ASN1_DN, and the hook
 * that verifies a peer's certificate chain and identity.
 */
#ifndef ROLES_PKI_H
#define ROLES_PKI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct conf;
struct keystore;
struct p1_config;
struct term;
struct pki;

/* A PEM file larger than this is not a certificate bundle we read. */
#define PKI_FILE_MAX (256 * 1024)
#define PKI_CA_SUFFIX "-ca.crt"
#define PKI_CERT_SUFFIX "-cert.crt"

/**
 * pki_new - load every configured trustpoint from the key store's
 * directory.  Missing files leave a trustpoint unusable, silently (it may
 * not be imported yet); damaged files, a key that does not match the
 * certificate or a missing key log a warning, unless prev (the runtime
 * being replaced, may be NULL) already had the same problem.  NULL when
 * no trustpoint is configured, keys is NULL, or out of memory.
 */
struct pki *pki_new(const struct conf *conf, const struct keystore *keys,
		    const struct pki *prev);
/** pki_free - NULL is fine; keys are wiped. */
void pki_free(struct pki *p);

/**
 * pki_p1_config - point the RSA-signature fields of cfg at p: rsa and
 * cert of the first trustpoint (config order) whose certificate and key
 * are usable, id = the certificate subject as ID_DER_ASN1_DN when id_dn
 * (`crypto isakmp identity dn`), and the peer_key hook when a trustpoint
 * can verify peers.  rsa-sig is offered and accepted only when both ends
 * exist (gdoi/phase1.h).  p == NULL clears them all.  cfg->peer_key_arg
 * is p in every case, so the owner finds the runtime there.
 */
void pki_p1_config(struct pki *p, bool id_dn, struct p1_config *cfg);

/* What an import did, for the messages the CLI prints. */
struct pki_import_info {
	size_t nca;		/* CA certificates stored */
	bool replaced;		/* another key pair of that label was replaced */
};

/**
 * pki_import - `crypto pki import NAME pem file CA CERT KEY`: read the
 * three PEM files, check that the certificate verifies against the CA at
 * now and that the key is the certificate's, then store the key under
 * label in ks and the CA and certificate as NAME-ca.pem / NAME-cert.pem
 * (mode 0600, atomically).  Nothing is written unless every check
 * passed.  -1 with err set (a sentence for a "% " line).
 */
int pki_import(struct keystore *ks, const char *name, const char *label,
	       const char *ca_path, const char *cert_path,
	       const char *key_path, time_t now, struct pki_import_info *info,
	       char *err, size_t errlen);

/**
 * pki_show_certificates - `show crypto pki certificates [NAME]`: the
 * certificate and the CA certificates of each configured trustpoint
 * (only NAME's when not NULL) that has them, in IOS's layout.  -1 when
 * NAME is not a configured trustpoint.  Fills a "certificates" list.
 */
struct showout;
int pki_show_certificates(const struct conf *conf,
			   const struct keystore *keys, const char *name,
			   struct showout *o);

#endif
