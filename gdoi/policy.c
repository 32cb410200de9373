/*
 * policy: helpers on struct gdoi_policy (see gdoi/policy.h).
 */
#include "gdoi/policy.h"

#include <openssl/crypto.h>
#include <stdio.h>

uint64_t
gdoi_policy_epoch_next(void)
{
	static uint64_t epoch;

	return ++epoch;
}

void
gdoi_policy_wipe(struct gdoi_policy *p)
{
	OPENSSL_cleanse(p->kek.key, sizeof(p->kek.key));
	OPENSSL_cleanse(p->kek.iv, sizeof(p->kek.iv));
	for (size_t i = 0; i < GDOI_MAX_TEK; i++) {
		OPENSSL_cleanse(p->tek[i].enc_key, sizeof(p->tek[i].enc_key));
		OPENSSL_cleanse(p->tek[i].auth_key, sizeof(p->tek[i].auth_key));
	}
}

/* RFC 6054 §1 and doc/protocol.md §6: counter-based IVs need sender IDs. */
bool
gdoi_tek_is_counter_mode(const struct gdoi_tek *t)
{
	return t->transform == GDOI_ESP_AES_GCM_16 ||
	       t->transform == GDOI_ESP_AES_GMAC;
}

const char *
gdoi_tek_transform_name(const struct gdoi_tek *t, char *buf, size_t len)
{
	static const char *const auth[] = {
		[GDOI_AUTH_HMAC_MD5] = " esp-md5-hmac",
		[GDOI_AUTH_HMAC_SHA1] = " esp-sha-hmac",
		[GDOI_AUTH_HMAC_SHA256] = " esp-sha256-hmac",
		[GDOI_AUTH_HMAC_SHA384] = " esp-sha384-hmac",
		[GDOI_AUTH_HMAC_SHA512] = " esp-sha512-hmac",
	};
	const char *a = (unsigned)t->auth < sizeof(auth) / sizeof(*auth) &&
		auth[t->auth] ? auth[t->auth] : "";

	if (t->transform == GDOI_ESP_AES_GCM_16)
		snprintf(buf, len, "esp-gcm %u", t->key_bits);
	else if (t->transform == GDOI_ESP_AES_GMAC)
		snprintf(buf, len, "esp-gmac %u", t->key_bits);
	else if (t->transform == GDOI_ESP_3DES)
		snprintf(buf, len, "esp-3des%s", a);
	else if (t->transform == GDOI_ESP_NULL)
		snprintf(buf, len, "esp-null%s", a);
	else if (t->key_bits == 128)
		snprintf(buf, len, "esp-aes%s", a);
	else
		snprintf(buf, len, "esp-%u-aes%s", t->key_bits, a);
	return buf;
}
