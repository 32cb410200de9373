/*
 * bench_push: what GROUPKEY-PUSH costs each side (gdoi/push.h), with an
 * RSA-2048 rekey key and a two-TEK policy: building (one signature), a
 * member opening a fresh rekey (decryption + one verification), and what
 * a flood costs a member: an exact copy of an accepted rekey (dropped by
 * the hash cache before any crypto, RFC 6407 §7.3.4) and a forged one
 * under the right cookies (decrypted, refused by its form or SEQ before
 * the RSA operation).  The ratios say how much cheaper the drops are than
 * a real rekey; the ACK build and check close the list.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gdoi/push.h"
#include "gdoi/rsakey.h"

#define NMSG 200
#define NDUP 200000

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
kek_of(struct gdoi_kek *k, const struct rsakey *key)
{
	const uint8_t *der;
	size_t len;

	memset(k, 0, sizeof(*k));
	memset(k->spi, 0x41, sizeof(k->spi));
	k->alg = GDOI_KEK_ALG_AES;
	k->key_bits = 256;
	k->key_len = 32;
	memset(k->key, 0x42, 32);
	k->iv_len = 16;
	memset(k->iv, 0x43, 16);
	k->lifetime_s = 86400;
	k->sig_hash = GDOI_SIG_HASH_SHA256;
	k->sig_alg = GDOI_SIG_ALG_RSA;
	k->sig_key_bits = 2048;
	k->ack = PUSH_ACK_KEK_SHA256;
	der = rsakey_pub_der(key, &len);
	memcpy(k->pubkey, der, len);
	k->pubkey_len = len;
}

static void
policy_of(struct gdoi_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->ntek = 2;
	for (size_t i = 0; i < p->ntek; i++) {
		struct gdoi_tek *t = &p->tek[i];

		t->spi = htonl(0x11110000 + (uint32_t)i);
		t->transform = GDOI_ESP_AES_CBC;
		t->key_bits = 256;
		t->auth = GDOI_AUTH_HMAC_SHA256;
		t->lifetime_s = 3600;
		t->direction = GDOI_DIR_SYMMETRIC;
		t->src = htonl(0x0a010000);
		t->src_mask = htonl(0xffff0000);
		t->dst = htonl(0x0a020000 + (uint32_t)i * 256);
		t->dst_mask = htonl(0xffffff00);
		t->enc_key_len = 32;
		t->auth_key_len = 32;
	}
}

int
main(void)
{
	static struct buf_writer msg[NMSG];
	struct rsakey *key = rsakey_generate(2048);
	struct push_msg m = { 0 };
	struct gdoi_policy p;
	struct gdoi_kek kek;
	struct push_rx rx;
	struct push_in in;
	struct push_ack a;
	struct buf_writer ack;
	uint8_t *forged;
	double t0, build, open, dup, forge, ackb, ackv;

	if (key == NULL)
		return 2;
	kek_of(&kek, key);
	policy_of(&p);
	m.policy = &p;
	t0 = now();
	for (int i = 0; i < NMSG; i++) {
		buf_writer_init(&msg[i]);
		m.seq = (uint32_t)i + 1;
		if (push_build(&kek, key, RSAKEY_SIG_PKCS1, &m, &msg[i]) < 0)
			return 1;
	}
	build = (now() - t0) / NMSG;
	push_rx_init(&rx);
	push_rx_set_kek(&rx, &kek, 0);
	t0 = now();
	for (int i = 0; i < NMSG; i++) {
		if (push_open(&rx, buf_data(&msg[i]), buf_len(&msg[i]), &in) !=
		    PUSH_OK)
			return 1;
		push_in_free(&in);
	}
	open = (now() - t0) / NMSG;
	t0 = now();
	for (int i = 0; i < NDUP; i++)
		if (push_open(&rx, buf_data(&msg[NMSG - 1]),
			      buf_len(&msg[NMSG - 1]), &in) != PUSH_ERR_DUPLICATE)
			return 1;
	dup = (now() - t0) / NDUP;
	forged = malloc(buf_len(&msg[0]));
	memcpy(forged, buf_data(&msg[0]), buf_len(&msg[0]));
	t0 = now();
	for (int i = 0; i < NDUP / 10; i++) {
		memcpy(forged + 40, &i, sizeof(i));	/* a new hash each */
		if (push_open(&rx, forged, buf_len(&msg[0]), &in) == PUSH_OK)
			return 1;
	}
	forge = (now() - t0) / (NDUP / 10);
	buf_writer_init(&ack);
	t0 = now();
	for (int i = 0; i < NDUP / 10; i++)
		push_ack_build(&kek, kek.spi, (uint32_t)i, htonl(0x0a000002),
			       &ack);
	ackb = (now() - t0) / (NDUP / 10);
	push_ack_open(buf_data(&ack), buf_len(&ack), &a);
	t0 = now();
	for (int i = 0; i < NDUP / 10; i++)
		if (push_ack_verify(&a, &kek) != PUSH_OK)
			return 1;
	ackv = (now() - t0) / (NDUP / 10);
	printf("push: %zu-octet rekey, RSA-2048, AES-256 KEK\n",
	       buf_len(&msg[0]));
	printf("  build (sign once)        %9.1f us\n", build * 1e6);
	printf("  member opens a rekey     %9.1f us\n", open * 1e6);
	printf("  copy dropped by cache    %9.2f us  (%.0fx cheaper than an open)\n",
	       dup * 1e6, open / dup);
	printf("  forgery under its KEK    %9.2f us  (%.0fx cheaper than an open)\n",
	       forge * 1e6, open / forge);
	printf("  ACK build / verify       %9.2f / %.2f us\n", ackb * 1e6,
	       ackv * 1e6);
	printf("  signatures per rekey: 1 (10,000 unicast copies = 1 build + "
	       "10,000 sends)\n");
	for (int i = 0; i < NMSG; i++)
		buf_writer_free(&msg[i]);
	buf_writer_free(&ack);
	free(forged);
	push_rx_free(&rx);
	rsakey_free(key);
	return 0;
}
