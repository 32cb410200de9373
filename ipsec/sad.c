/*
 * sad: group SAs of the userspace data plane (see ipsec/sad.h).  Owns
 * the SA array, the ESP contexts and replay windows, the per-SA counters
 * and the rule that re-installing an identical outbound SA keeps its
 * sender state.
 *
 * Implements RFC 4301 §4.4.2 (SAD keyed by SPI, and for group SAs by
 * {SPI, protocol} only: doc/protocol.md §7.1), RFC 4303 §3.4.3 (one counter
 * window per inbound SA with counter anti-replay) and RFC 4106 §3.1 /
 * RFC 6054 (never restart an IV counter under the same key and SID).
 */
#include "ipsec/sad.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "platform/log.h"
#include "platform/secmem.h"

struct sad {
	struct sad_sa *v[SAD_MAX];
	size_t n;
};

struct sad *
sad_new(void)
{
	return calloc(1, sizeof(struct sad));
}

static void
sad_sa_free(struct sad_sa *s)
{
	if (s == NULL)
		return;
	esp_sa_free(s->esp);
	ipsec_sa_wipe(&s->cfg);
	secmem_free(s);		/* wiped */
}

void
sad_free(struct sad *sad)
{
	if (sad == NULL)
		return;
	sad_flush(sad);
	free(sad);
}

static int
sad_index(const struct sad *sad, uint32_t spi, enum ipsec_dir dir)
{
	for (size_t i = 0; i < sad->n; i++)
		if (sad->v[i]->spi == spi && sad->v[i]->dir == dir)
			return (int)i;
	return -1;
}

struct sad_sa *
sad_find(const struct sad *sad, uint32_t spi, enum ipsec_dir dir)
{
	int i = sad_index(sad, spi, dir);

	return i < 0 ? NULL : sad->v[i];
}

/* Same transform, keys (compared in constant time), SID and replay. */
static bool
sad_same_crypto(const struct ipsec_sa *a, const struct ipsec_sa *b)
{
	if (a->enc_key_len > IPSEC_KEY_MAX || a->auth_key_len > IPSEC_KEY_MAX)
		return false;
	return a->enc == b->enc && a->auth == b->auth &&
	       a->enc_key_len == b->enc_key_len &&
	       a->auth_key_len == b->auth_key_len &&
	       CRYPTO_memcmp(a->enc_key, b->enc_key, a->enc_key_len) == 0 &&
	       CRYPTO_memcmp(a->auth_key, b->auth_key, a->auth_key_len) == 0 &&
	       a->sid == b->sid && a->sid_bits == b->sid_bits &&
	       a->replay == b->replay && a->replay_window == b->replay_window;
}

/* RFC 4303 §3.4.3: the window size, kept inside what replay.h accepts. */
static uint32_t
sad_window(uint32_t w)
{
	if (w == 0)
		return REPLAY_WINDOW_DEFAULT;
	if (w < REPLAY_WINDOW_MIN)
		return REPLAY_WINDOW_MIN;
	return w > REPLAY_WINDOW_MAX ? REPLAY_WINDOW_MAX : w;
}

static struct sad_sa *
sad_sa_new(const struct ipsec_sa *sa)
{
	struct sad_sa *s = secmem_calloc(sizeof(*s));

	if (s == NULL)
		return NULL;
	s->spi = sa->spi;
	s->dir = sa->dir;
	s->group_id = sa->group_id;
	s->cfg = *sa;
	s->esp = esp_sa_new(sa);
	if (s->esp == NULL)
		goto fail;
	if (sa->replay == IPSEC_REPLAY_COUNTER && sa->dir == IPSEC_DIR_IN) {
		if (replay_init(&s->replay, sad_window(sa->replay_window)) < 0)
			goto fail;
		s->has_replay = true;
	}
	return s;
fail:
	sad_sa_free(s);
	return NULL;
}

int
sad_add(struct sad *sad, const struct ipsec_sa *sa)
{
	int i = sad_index(sad, sa->spi, sa->dir);
	struct sad_sa *s;

	if (i >= 0 && sad_same_crypto(&sad->v[i]->cfg, sa)) {
		sad->v[i]->cfg.lifetime_s = sa->lifetime_s;
		sad->v[i]->group_id = sa->group_id;
		sad->v[i]->cfg.group_id = sa->group_id;
		return 0;
	}
	if (i < 0 && sad->n == SAD_MAX) {
		log_dbg(LOG_DBG_IPSEC, "SAD: full, SA %08x refused",
			ntohl(sa->spi));
		return -1;
	}
	s = sad_sa_new(sa);
	if (s == NULL)
		return -1;
	if (i >= 0) {
		sad_sa_free(sad->v[i]);
		sad->v[i] = s;
	} else {
		sad->v[sad->n++] = s;
	}
	return 0;
}

int
sad_del(struct sad *sad, uint32_t spi, enum ipsec_dir dir)
{
	int i = sad_index(sad, spi, dir);

	if (i < 0)
		return -1;
	sad_sa_free(sad->v[i]);
	sad->v[i] = sad->v[--sad->n];
	sad->v[sad->n] = NULL;
	return 0;
}

void
sad_flush(struct sad *sad)
{
	for (size_t i = 0; i < sad->n; i++) {
		sad_sa_free(sad->v[i]);
		sad->v[i] = NULL;
	}
	sad->n = 0;
}

size_t
sad_count(const struct sad *sad)
{
	return sad->n;
}

struct sad_sa *
sad_at(const struct sad *sad, size_t i)
{
	return i < sad->n ? sad->v[i] : NULL;
}

void
sad_drop(struct sad_sa *sa, enum esp_drop why)
{
	sa->drops++;
	if ((unsigned)why < ESP_DROP_COUNT)
		sa->drop_why[why]++;
}

void
sad_encap_error(struct sad_sa *sa, int err)
{
	sa->drops++;
	if (err == ESP_ENCAP_EXHAUSTED)
		sa->out_exhausted++;
	else if (err == ESP_ENCAP_TOO_BIG)
		sa->out_too_big++;
	else
		sa->out_error++;
}
