/*
 * ks_signer: which private key signs a group's rekey (doc/rekey.md "A new
 * signing key").  A rekey is signed with the key whose public half the
 * KEK it travels under carries: that is the key its members verify with.
 * The key store holds one pair per label, so a new pair generated or
 * imported under the group's label (a key rollover) replaces the one the
 * current KEK names.  The group keeps the last KS_SIGNERS pairs it was
 * applied with (shared handles, rsakey_ref()), so the rekey that rolls
 * the KEK, sent under the old KEK, is still signed with the old pair,
 * and carries the new public key for the rekeys after it.  A pair whose
 * label was zeroized is dropped (and, its last handle gone, wiped).
 */
#include "roles/ks_int.h"

#include <stdio.h>
#include <string.h>

#include "gdoi/rsakey.h"
#include "roles/keystore.h"

static bool
carries(const struct rsakey *k, const struct gdoi_kek *kek)
{
	size_t len;
	const uint8_t *der = rsakey_pub_der(k, &len);

	return len == kek->pubkey_len && memcmp(der, kek->pubkey, len) == 0;
}

/* Pairs whose label the key store no longer holds (`crypto key zeroize
 * rsa`) go: the operator asked for them to be gone.  A label holding a
 * new pair keeps the old one here: that is the rollover. */
static void
drop_zeroized(struct ks_group *g, const struct keystore *keys)
{
	for (size_t i = 0; i < KS_SIGNERS; i++) {
		struct ks_signer *s = &g->signers[i];

		if (s->key != NULL &&
		    (keys == NULL || keystore_find(keys, s->label) == NULL)) {
			rsakey_free(s->key);
			memset(s, 0, sizeof(*s));
		}
	}
}

void
ks_signer_keep(struct ks_group *g, const struct keystore *keys)
{
	const struct rsakey *k = keys != NULL
		? keystore_find(keys, g->rc.rsa_label) : NULL;
	struct rsakey *r;

	drop_zeroized(g, keys);
	if (k == NULL || !rsakey_has_private(k))
		return;
	for (size_t i = 0; i < KS_SIGNERS; i++)
		if (g->signers[i].key != NULL &&
		    rsakey_pub_equal(g->signers[i].key, k))
			return;
	if ((r = rsakey_ref(k)) == NULL)
		return;		/* a rollover rekey would be refused */
	rsakey_free(g->signers[KS_SIGNERS - 1].key);
	memmove(&g->signers[1], &g->signers[0],
		(KS_SIGNERS - 1) * sizeof(g->signers[0]));
	g->signers[0].key = r;
	snprintf(g->signers[0].label, sizeof(g->signers[0].label), "%s",
		 g->rc.rsa_label);
}

const struct rsakey *
ks_signer_for(struct ks_group *g, const struct keystore *keys,
	      const struct gdoi_kek *kek)
{
	const struct rsakey *k = keys != NULL
		? keystore_find(keys, g->rc.rsa_label) : NULL;

	if (k != NULL && carries(k, kek))
		return k;
	drop_zeroized(g, keys);
	for (size_t i = 0; i < KS_SIGNERS; i++)
		if (g->signers[i].key != NULL &&
		    carries(g->signers[i].key, kek))
			return g->signers[i].key;
	return k;	/* none the members know: they will register again */
}

void
ks_signer_free(struct ks_group *g)
{
	for (size_t i = 0; i < KS_SIGNERS; i++) {
		rsakey_free(g->signers[i].key);
		memset(&g->signers[i], 0, sizeof(g->signers[i]));
	}
}
