/*
 * push_rx: the group member's side of GROUPKEY-PUSH (RFC 6407 §4.4,
 * §7.3; doc/rekey.md): the KEKs it accepts rekeys under, and the checks
 * a datagram passes, cheapest first, before anything of it is used:
 *
 *   size, header (exch 33, E only, M-ID 0, first payload SEQ)
 *   KEK by cookies                      no crypto yet
 *   duplicate cache (§7.3.4)            one SHA-256 of the datagram
 *   decryption, then form:              SEQ, D*, [SA, KD], SIG; padding
 *                                       shorter than one block
 *   SEQ above the KEK's last            (§4.4: strictly greater)
 *   signature                           the one RSA operation
 *   contents (D, SA, KD)
 *
 * Only an accepted message changes anything: its SEQ becomes the KEK's
 * last and its hash enters the cache.
 */
#include "gdoi/push.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gdoi/kd.h"
#include "gdoi/payload.h"
#include "gdoi/policy_codec.h"
#include "gdoi/push_int.h"
#include "platform/log.h"

#define rx_dbg(...) log_dbg(LOG_DBG_GDOI_PACKET, __VA_ARGS__)

/* ---- KEKs ---- */

void
push_rx_init(struct push_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

static void
kek_clear(struct push_rx_kek *k)
{
	rsakey_free(k->pub);
	OPENSSL_cleanse(k, sizeof(*k));
	memset(k, 0, sizeof(*k));
}

void
push_rx_free(struct push_rx *rx)
{
	for (size_t i = 0; i < PUSH_RX_KEKS; i++)
		kek_clear(&rx->kek[i]);
	push_rx_init(rx);
}

static struct push_rx_kek *
rx_find(struct push_rx *rx, const uint8_t *spi)
{
	for (size_t i = 0; i < PUSH_RX_KEKS; i++)
		if (rx->kek[i].used &&
		    memcmp(rx->kek[i].kek.spi, spi, GDOI_KEK_SPI_LEN) == 0)
			return &rx->kek[i];
	return NULL;
}

const struct push_rx_kek *
push_rx_find(const struct push_rx *rx, const uint8_t *spi)
{
	return rx_find((struct push_rx *)(uintptr_t)rx, spi);
}

const struct push_rx_kek *
push_rx_current(const struct push_rx *rx)
{
	return rx->kek[0].used ? &rx->kek[0] : NULL;
}

int
push_rx_set_kek(struct push_rx *rx, const struct gdoi_kek *kek, uint32_t seq)
{
	struct rsakey *pub = rsakey_from_pub_der(kek->pubkey, kek->pubkey_len);
	struct push_rx_kek *k;

	if (pub == NULL)
		return -1;
	k = rx_find(rx, kek->spi);
	if (k != NULL) {
		rsakey_free(k->pub);
		if (k->last_seq > seq)
			seq = k->last_seq;
	} else {
		kek_clear(&rx->kek[PUSH_RX_KEKS - 1]);
		memmove(&rx->kek[1], &rx->kek[0],
			(PUSH_RX_KEKS - 1) * sizeof(rx->kek[0]));
		k = &rx->kek[0];
	}
	memset(k, 0, sizeof(*k));
	k->used = true;
	k->kek = *kek;
	k->pub = pub;
	k->last_seq = seq;
	return 0;
}

void
push_rx_retire(struct push_rx *rx, const uint8_t *spi)
{
	for (size_t i = 0; i < PUSH_RX_KEKS; i++) {
		struct push_rx_kek *k = &rx->kek[i];

		if (!k->used)
			continue;
		if (spi == NULL ? i > 0
				: memcmp(k->kek.spi, spi, GDOI_KEK_SPI_LEN) == 0)
			kek_clear(k);
	}
	/* keep the current one first */
	if (!rx->kek[0].used && rx->kek[1].used) {
		rx->kek[0] = rx->kek[1];
		memset(&rx->kek[1], 0, sizeof(rx->kek[1]));
	}
}

/* ---- checks ---- */

/* A message being opened: its header, KEK and decrypted copy. */
struct rx_msg {
	struct isakmp_hdr h;
	struct push_rx_kek *k;
	uint8_t hash[PUSH_HASH_LEN];
	uint8_t *buf;			/* header + plaintext body */
	size_t len;
	struct isakmp_chain c;
	uint32_t seq;
};

static enum push_err
check_header(struct push_rx *rx, const uint8_t *in, size_t len,
	     struct rx_msg *x)
{
	uint8_t spi[GDOI_KEK_SPI_LEN];

	if (len < ISAKMP_HDR_LEN || len > PUSH_MAX_LEN)
		return PUSH_ERR_SIZE;
	if (isakmp_hdr_decode(&x->h, in, len, NULL) < 0 ||
	    x->h.exch != GDOI_EXCH_PUSH || x->h.flags != ISAKMP_FLAG_ENC ||
	    x->h.msgid != 0 || x->h.next != GDOI_PAYLOAD_SEQ)
		return PUSH_ERR_HEADER;
	push_hdr_spi(&x->h, spi);
	x->k = rx_find(rx, spi);
	if (x->k == NULL)
		return PUSH_ERR_UNKNOWN_KEK;
	return PUSH_OK;
}

static enum push_err
decrypt(struct push_rx *rx, const uint8_t *in, size_t len, struct rx_msg *x)
{
	const struct gdoi_kek *kek = &x->k->kek;
	enum crypto_cipher c;
	size_t body = len - ISAKMP_HDR_LEN;

	if (push_kek_cipher(kek, &c) < 0)
		return PUSH_ERR_INTERNAL;
	if (body == 0 || body % crypto_cipher_block(c) != 0)
		return PUSH_ERR_DECRYPT;
	x->buf = malloc(len);
	if (x->buf == NULL)
		return PUSH_ERR_INTERNAL;
	x->len = len;
	rx->st.decrypts++;
	memcpy(x->buf, in, ISAKMP_HDR_LEN);
	if (crypto_cbc_decrypt(c, kek->key, kek->key_len, kek->iv,
			       in + ISAKMP_HDR_LEN, x->buf + ISAKMP_HDR_LEN,
			       body) < 0)
		return PUSH_ERR_DECRYPT;
	return PUSH_OK;
}

/* SEQ, D*, [SA, KD], SIG: nothing else, padding under one block. */
static enum push_err
check_form(struct rx_msg *x)
{
	const struct isakmp_chain *c = &x->c;
	enum crypto_cipher ci;
	size_t i = 1, body = x->len - ISAKMP_HDR_LEN;

	if (isakmp_chain_parse(&x->c, x->h.next, x->buf + ISAKMP_HDR_LEN,
			       body) < 0 ||
	    push_kek_cipher(&x->k->kek, &ci) < 0 ||
	    body - c->end >= crypto_cipher_block(ci) || c->n < 2)
		return PUSH_ERR_FORM;
	while (i < c->n && c->pl[i].type == ISAKMP_PAYLOAD_D)
		i++;
	if (i - 1 > PUSH_MAX_DEL)
		return PUSH_ERR_FORM;
	if (i + 1 < c->n && c->pl[i].type == ISAKMP_PAYLOAD_SA &&
	    c->pl[i + 1].type == GDOI_PAYLOAD_KD)
		i += 2;
	if (i != c->n - 1 || c->pl[i].type != ISAKMP_PAYLOAD_SIG ||
	    gdoi_seq_decode(c->pl[0].body, c->pl[0].body_len, &x->seq) < 0)
		return PUSH_ERR_FORM;
	return PUSH_OK;
}

static int
verify_with_len(const struct rx_msg *x, uint32_t len_field)
{
	const struct isakmp_payload *sig = &x->c.pl[x->c.n - 1];
	const uint8_t *rest = x->buf + ISAKMP_HDR_LEN;
	enum rsakey_md md;
	uint8_t *d;
	size_t dlen;
	int rc;

	if (push_sig_md(x->k->kek.sig_hash, &md) < 0)
		return -1;
	d = push_signed_data(x->buf, len_field, rest,
			     (size_t)(sig->raw - rest), &dlen);
	if (d == NULL)
		return -1;
	rc = rsakey_verify(x->k->pub, md, RSAKEY_SIG_PKCS1 | RSAKEY_SIG_RAW,
			   d, dlen, sig->body, sig->body_len);
	crypto_free_secure(d, dlen);
	return rc;
}

/* [D] doc/rekey.md: signed with the unpadded Length; the on-wire one is
 * tried too, for senders that sign after padding. */
static enum push_err
check_sig(struct push_rx *rx, const struct rx_msg *x)
{
	uint32_t unpadded = (uint32_t)(ISAKMP_HDR_LEN + x->c.end);

	rx->st.sig_checks++;
	if (verify_with_len(x, unpadded) == 0)
		return PUSH_OK;
	if (x->h.len != unpadded && verify_with_len(x, x->h.len) == 0)
		return PUSH_OK;
	return PUSH_ERR_SIG;
}

/* ---- contents ---- */

static int
decode_delete(const struct isakmp_payload *pl, struct push_delete *d)
{
	struct payload_delete pd;

	memset(d, 0, sizeof(*d));
	if (payload_delete_decode(pl->body, pl->body_len, &pd) < 0 ||
	    pd.doi != ISAKMP_DOI_GDOI)
		return -1;
	d->proto = pd.proto;
	if (pd.proto == PUSH_DEL_KEK) {
		if (pd.spi_size != GDOI_KEK_SPI_LEN || pd.nspi != 1)
			return -1;
		memcpy(d->kek_spi, pd.spis, GDOI_KEK_SPI_LEN);
		return 0;
	}
	if ((pd.proto != GDOI_PROTO_IPSEC_ESP &&
	     pd.proto != GDOI_PROTO_IPSEC_AH) ||
	    pd.spi_size != GDOI_TEK_SPI_LEN || pd.nspi > PUSH_DEL_MAX_SPI)
		return -1;
	d->nspi = pd.nspi;
	for (size_t i = 0; i < d->nspi; i++)
		memcpy(&d->spi[i], payload_delete_spi(&pd, i),
		       GDOI_TEK_SPI_LEN);
	return 0;
}

static int
decode_policy(const struct isakmp_payload *sa, const struct isakmp_payload *kd,
	      struct gdoi_policy *p)
{
	struct gdoi_kd k;
	int rc = -1;

	OPENSSL_cleanse(&k, sizeof(k));
	if (policy_codec_sa_decode(sa->body, sa->body_len, p) == 0 &&
	    gdoi_kd_decode(kd->body, kd->body_len, &k) == 0)
		rc = policy_codec_from_push_kd(p, &k);
	gdoi_kd_free(&k);
	if (rc < 0)
		gdoi_policy_wipe(p);
	return rc;
}

static enum push_err
decode_contents(const struct rx_msg *x, struct push_in *m)
{
	const struct isakmp_chain *c = &x->c;
	size_t i;

	for (i = 1; c->pl[i].type == ISAKMP_PAYLOAD_D; i++)
		if (decode_delete(&c->pl[i], &m->del[m->ndel++]) < 0)
			return PUSH_ERR_POLICY;
	if (c->pl[i].type == ISAKMP_PAYLOAD_SA) {
		if (decode_policy(&c->pl[i], &c->pl[i + 1], &m->policy) < 0)
			return PUSH_ERR_POLICY;
		m->has_policy = true;
	}
	push_hdr_spi(&x->h, m->spi);
	m->seq = x->seq;
	m->ack_type = x->k->kek.ack;
	return PUSH_OK;
}

static enum push_err
open_checked(struct push_rx *rx, const uint8_t *in, size_t len,
	     struct rx_msg *x, struct push_in *m)
{
	enum push_err e;
	int slot;

	if ((e = check_header(rx, in, len, x)) != PUSH_OK)
		return e;
	if (push_cache_hash(in, len, x->hash) < 0)
		return PUSH_ERR_INTERNAL;
	if ((slot = push_cache_find(&rx->cache, x->hash)) >= 0) {
		push_hdr_spi(&x->h, m->spi);
		m->seq = rx->cache.seq[slot];
		return PUSH_ERR_DUPLICATE;
	}
	if ((e = decrypt(rx, in, len, x)) != PUSH_OK ||
	    (e = check_form(x)) != PUSH_OK)
		return e;
	if (x->seq <= x->k->last_seq)
		return PUSH_ERR_SEQ;
	if ((e = check_sig(rx, x)) != PUSH_OK ||
	    (e = decode_contents(x, m)) != PUSH_OK)
		return e;
	x->k->last_seq = x->seq;
	push_cache_add(&rx->cache, x->hash, x->seq);
	return PUSH_OK;
}

enum push_err
push_open(struct push_rx *rx, const uint8_t *in, size_t len,
	  struct push_in *m)
{
	struct rx_msg x;
	enum push_err e;

	memset(m, 0, sizeof(*m));
	memset(&x, 0, sizeof(x));
	e = open_checked(rx, in, len, &x, m);
	if (x.buf != NULL)
		crypto_free_secure(x.buf, x.len);
	if (e == PUSH_OK) {
		rx->st.opened++;
		return PUSH_OK;
	}
	rx->st.err[e]++;
	rx_dbg("GROUPKEY-PUSH dropped: %s", push_err_name(e));
	if (e != PUSH_ERR_DUPLICATE)
		push_in_free(m);
	return e;
}

void
push_in_free(struct push_in *m)
{
	gdoi_policy_wipe(&m->policy);
	OPENSSL_cleanse(m, sizeof(*m));
	memset(m, 0, sizeof(*m));
}
