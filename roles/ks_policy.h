/*
 * ks_policy: the group policy a key server hands out, built from the
 * running-config (doc/ios-cli.md §2.6-§2.8, doc/protocol.md §4.5-§4.9): a KEK from
 * `rekey algorithm/lifetime/authentication`, and per `sa ipsec N` one TEK
 * per entry of its `match address` ACL, with the transform of the
 * profile's first transform-set, a fresh SPI and fresh keys.
 */
#ifndef ROLES_KS_POLICY_H
#define ROLES_KS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf;
struct conf_gdoi_group;
struct conf_gdoi_server;
struct gdoi_kek;
struct gdoi_policy;
struct keystore;

/* Default sender-ID width for counter-mode TEKs (doc/protocol.md §6 [D]). */
#define KS_POLICY_SID_BITS 16
/* Activation / deactivation delays sent in the GAP (seconds, counted by
 * each member from the rekey's arrival): the outbound switch waits out a
 * whole retransmission round (10 s x 2 by default) so every member holds
 * the new inbound SA first; the old SA stays 30 s more (doc/keyserver.md).
 * Both stay below the 90 s lead of the shortest TEK rekey. */
#define KS_POLICY_ATD 30
#define KS_POLICY_DTD 60

/*
 * Build the policy's shape for group g: everything a member receives but
 * SPIs and keys (ks_policy_new_*_keys add them).  sa_of_tek
 * (GDOI_MAX_TEK entries) receives the `sa ipsec` number each TEK comes
 * from.  Returns 0, or -1 with why set to the reason the group cannot
 * serve yet ("profile P does not exist", ...): the KS then reports the
 * group as not ready.
 */
int ks_policy_build(const struct conf *c, const struct conf_gdoi_group *g,
		    const struct keystore *keys, struct gdoi_policy *out,
		    uint16_t *sa_of_tek, char *why, size_t whylen);

/* Fresh SPI and keys per `sa ipsec` (its TEKs share them); -1 when no
 * random bytes. */
int ks_policy_new_tek_keys(struct gdoi_policy *p, const uint16_t *sa_of_tek);
/* Fresh cookie pair (SPI), key and IV for a KEK. */
int ks_policy_new_kek_keys(struct gdoi_kek *k);

/*
 * Field by field: would a member see different TEKs (transform, sizes,
 * configured lifetime, selectors, replay, GAP, SID width) or a different
 * KEK (algorithm, lifetime, signing key, rekey addresses)?  SPIs, keys
 * and the time left never count.  The one definition of "the policy
 * that governs these keys changed".
 */
bool ks_policy_same_teks(const struct gdoi_policy *a, const uint16_t *sa_a,
			 const struct gdoi_policy *b, const uint16_t *sa_b);
bool ks_policy_same_kek(const struct gdoi_policy *a,
			const struct gdoi_policy *b);

/* Are rekeys multicast (`rekey address ipv4` without `rekey transport
 * unicast`)? */
bool ks_policy_multicast(const struct conf_gdoi_server *ks);

#endif
