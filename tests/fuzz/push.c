/*
 * Fuzz target (libFuzzer, `make fuzz`): GROUPKEY-PUSH and its RFC 8263
 * ACK as a member and a key server receive them.  Octet 0 picks:
 *   0  the rest as a datagram into push_open (header, KEK, cache paths)
 *   1  the rest as the plaintext body of a PUSH under the member's KEK,
 *      sealed here, so decryption passes and form, SEQ and signature
 *      checks see the fuzzer's octets
 *   2  the rest as an ACK: push_ack_open, then push_ack_verify
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gdoi/crypto.h"
#include "gdoi/isakmp.h"
#include "gdoi/push.h"
#include "gdoi/rsakey.h"
#include "platform/be.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gdoi_kek kek;
static struct push_rx rx;

static void
setup(void)
{
	static struct rsakey *key;
	const uint8_t *der;
	size_t len;

	if (key != NULL)
		return;
	key = rsakey_generate(1024);
	der = rsakey_pub_der(key, &len);
	memset(kek.spi, 0x41, sizeof(kek.spi));
	kek.alg = GDOI_KEK_ALG_AES;
	kek.key_bits = 128;
	kek.key_len = 16;
	kek.iv_len = 16;
	kek.sig_hash = GDOI_SIG_HASH_SHA256;
	kek.sig_alg = GDOI_SIG_ALG_RSA;
	kek.ack = PUSH_ACK_KEK_SHA256;
	memcpy(kek.pubkey, der, len);
	kek.pubkey_len = len;
	push_rx_init(&rx);
	push_rx_set_kek(&rx, &kek, 0);
}

static void
sealed(const uint8_t *body, size_t n)
{
	size_t len = ISAKMP_HDR_LEN + (n + 15) / 16 * 16;
	uint8_t *m = calloc(1, len);
	struct push_in in;

	if (m == NULL || len > PUSH_MAX_LEN) {
		free(m);
		return;
	}
	memcpy(m, kek.spi, 16);
	m[16] = GDOI_PAYLOAD_SEQ;
	m[17] = ISAKMP_VERSION;
	m[18] = GDOI_EXCH_PUSH;
	m[19] = ISAKMP_FLAG_ENC;
	be32_put(m + 24, (uint32_t)len);
	memcpy(m + ISAKMP_HDR_LEN, body, n);
	crypto_cbc_encrypt(CRYPTO_CIPHER_AES_CBC, kek.key, 16, kek.iv,
			   m + ISAKMP_HDR_LEN, m + ISAKMP_HDR_LEN,
			   len - ISAKMP_HDR_LEN);
	if (push_open(&rx, m, len, &in) == PUSH_OK)
		push_in_free(&in);
	free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct push_ack a;
	struct push_in in;

	setup();
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		if (push_open(&rx, data + 1, size - 1, &in) == PUSH_OK)
			push_in_free(&in);
		break;
	case 1:
		sealed(data + 1, size - 1);
		break;
	case 2:
		if (push_ack_open(data + 1, size - 1, &a) == PUSH_OK)
			(void)push_ack_verify(&a, &kek);
		break;
	}
	return 0;
}
