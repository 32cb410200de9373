/*
 * conf_pki: PKI trustpoints in the running-config tree (doc/pki.md):
 *
 *   crypto pki trustpoint NAME            -> (ca-trustpoint)#
 *    enrollment terminal [pem]
 *    subject-name LINE
 *    revocation-check none
 *    rsakeypair LABEL
 *
 * A trustpoint names where its certificates live (NAME-ca.pem and
 * NAME-cert.pem in the key directory, written by `crypto pki import`)
 * and which key pair of the key store signs with its certificate.  The
 * certificates themselves are not configuration: like RSA keys they are
 * kept outside the running-config.  Plain data, read by roles/pki.c.
 */
#ifndef PARSER_CONF_PKI_H
#define PARSER_CONF_PKI_H

#include <stdbool.h>

#include "parser/cmd.h"
#include "parser/conf.h"
#include "parser/confobj.h"

struct hmap;
struct term;

/* Trustpoint names and key labels become file names (NAME-ca.pem,
 * LABEL.pem): the key store's rule, 1-63 of [A-Za-z0-9._-]. */
#define CONF_PKI_NAME_MAX	63
#define CONF_PKI_SUBJECT_MAX	256

enum conf_pki_enroll {
	CONF_PKI_ENROLL_NONE,		/* not configured */
	CONF_PKI_ENROLL_TERMINAL,	/* enrollment terminal */
	CONF_PKI_ENROLL_TERMINAL_PEM,	/* enrollment terminal pem */
};

struct conf_pki_tp {
	struct conf_obj obj;		/* first: (ca-trustpoint)# holds it */
	char name[CONF_PKI_NAME_MAX + 1];
	char rsakeypair[CONF_PKI_NAME_MAX + 1];	/* "" = the trustpoint's name */
	enum conf_pki_enroll enroll;
	/*
	 * IOS checks revocation by default (CRL) and refuses a peer whose
	 * status it cannot learn; getvpn has no CRL/OCSP client, so a
	 * trustpoint verifies peers only with `revocation-check none`.
	 */
	bool revocation_none;
	char *subject;			/* subject-name, NULL if none */
	struct conf_pki_tp *prev, *next;	/* creation order */
};

struct conf_pki {
	struct hmap *by_name;
	struct conf_pki_tp *head, *tail;
};

struct conf_pki *conf_pki_new(void);
void conf_pki_free(struct conf_pki *pki);
/*
 * `show running-config` part: trustpoints in creation order, each
 * followed by `!` (doc/ios-cli.md §7.4 order: after hostname and logging,
 * before crypto isakmp).
 */
void conf_pki_show(const struct conf_pki *pki, struct term *t);

/* O(1) by name (case-sensitive); NULL if absent.  Iterate from
 * conf_pki_tp_first / ->next. */
const struct conf_pki_tp *conf_pki_tp_find(const struct conf_pki *pki,
					   const char *name);
const struct conf_pki_tp *conf_pki_tp_first(const struct conf_pki *pki);
/* The key store label of tp: its rsakeypair, else its name. */
const char *conf_pki_tp_label(const struct conf_pki_tp *tp);
/* A valid trustpoint name or key label (see CONF_PKI_NAME_MAX). */
bool conf_pki_name_ok(const char *name);

/* Tree edits for cmd_pki.c (handlers validate first). */
struct conf_pki_tp *conf_pki_tp_lookup(struct conf_pki *pki, const char *name);
struct conf_pki_tp *conf_pki_tp_add(struct conf_pki *pki, const char *name);
void conf_pki_tp_del(struct conf_pki *pki, struct conf_pki_tp *tp);

extern const struct cmd_def conf_pki_cmds[];

#endif
