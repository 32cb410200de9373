/*
 * ks_policy: the group policy a key server hands out, built from the
 * running-config (doc/ios-cli.md §2.6-§2.8, doc/protocol.md §4.5-§4.9): a KEK from
 * `rekey algorithm/lifetime/authentication`, and per `sa ipsec N` one TEK
 * per entry of its `match address` ACL, with the transform of the
 * profile's first transform-set, a fresh SPI and fresh keys.
 */
#ifndef ROLES_KS_POLICY_H
#define ROLES_KS_POLICY_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct conf_gdoi_group;
struct gdoi_policy;
struct keystore;

/* Default sender-ID width for counter-mode TEKs (doc/protocol.md §6 [D]). */
#define KS_POLICY_SID_BITS 16
/* Activation / deactivation delays sent in the GAP (seconds). */
#define KS_POLICY_ATD 0
#define KS_POLICY_DTD 30

/*
 * Build a fresh policy (new SPIs and keys) for group g.
 * sa_of_tek (GDOI_MAX_TEK entries, may be NULL) receives the `sa ipsec`
 * number each TEK comes from.  Returns 0, or -1
 * with why set to the reason the group cannot serve yet ("profile P does
 * not exist", ...): the KS then reports the group as not ready.
 */
int ks_policy_build(const struct conf *c, const struct conf_gdoi_group *g,
		    const struct keystore *keys, struct gdoi_policy *out,
		    uint16_t *sa_of_tek, char *why, size_t whylen);

#endif
