/*
 * sim_gm: a simulated group member (see sim_gm.h).
 */
#include "sim_gm.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cli/env.h"
#include "gdoi/buf.h"
#include "gdoi/crypto.h"
#include "gdoi/policy.h"
#include "platform/evloop.h"
#include "platform/udp.h"
#include "roles/ike.h"
#include "net_fixtures.h"

/* Forget the TEKs whose end has passed. */
static void
purge(struct sim_gm *m, uint64_t now)
{
	size_t n = 0;

	for (size_t i = 0; i < m->ntek; i++)
		if (m->tek[i].end_ms > now)
			m->tek[n++] = m->tek[i];
	m->ntek = n;
}

static void
keep_teks(struct sim_gm *m, const struct gdoi_policy *p)
{
	uint64_t now = ev_now(m->loop);

	purge(m, now);
	for (size_t i = 0; i < p->ntek && m->ntek < SIM_GM_TEKS; i++) {
		m->tek[m->ntek].spi = p->tek[i].spi;
		m->tek[m->ntek].end_ms = now + (uint64_t)p->tek[i].lifetime_s *
					 1000;
		m->ntek++;
	}
}

void
sim_gm_keys_digest(const struct gdoi_policy *p, uint8_t out[SIM_GM_KEYS_DIGEST])
{
	struct crypto_iov v[2 + 3 * GDOI_MAX_TEK];
	size_t n = 0;

	if (p->has_kek) {
		v[n++] = (struct crypto_iov){ p->kek.spi, sizeof(p->kek.spi) };
		v[n++] = (struct crypto_iov){ p->kek.key, p->kek.key_len };
	}
	for (size_t i = 0; i < p->ntek; i++) {
		const struct gdoi_tek *t = &p->tek[i];

		v[n++] = (struct crypto_iov){ &t->spi, sizeof(t->spi) };
		v[n++] = (struct crypto_iov){ t->enc_key, t->enc_key_len };
		v[n++] = (struct crypto_iov){ t->auth_key, t->auth_key_len };
	}
	ck_assert_int_eq(crypto_hash_v(CRYPTO_HASH_SHA256, v, n, out), 0);
}

static void
reg_done(void *arg, int rc, const char *why, const struct gdoi_policy *p)
{
	struct sim_gm *m = arg;

	if (rc != 0) {
		fprintf(stderr, "sim_gm: %s\n", why ? why : "failed");
		m->failed = true;
		return;
	}
	m->registered = true;
	sim_gm_keys_digest(p, m->reg_keys);
	keep_teks(m, p);
	m->kek_dst = p->kek.dst;
	m->nsid = p->nsid < GDOI_MAX_SID ? p->nsid : GDOI_MAX_SID;
	memcpy(m->sid, p->sid, m->nsid * sizeof(*m->sid));
	m->reg_seq = p->seq;
	ck_assert_int_eq(push_rx_set_kek(&m->rx, &p->kek, p->seq), 0);
}

static void
answer(struct sim_gm *m, const struct push_in *in, const struct gdoi_kek *k,
       const struct udp_peer *from)
{
	struct buf_writer w;
	struct udp_peer to = *from;

	if (!m->ack || in->ack_type == 0)
		return;
	buf_writer_init(&w);
	ck_assert_int_eq(push_ack_build(k, in->spi, in->seq, m->addr, &w), 0);
	to.local = m->addr;
	if (udp_send(m->us, buf_data(&w), buf_len(&w), &to) == 0)
		m->acks++;
	buf_writer_free(&w);
}

static void
take(struct sim_gm *m, struct push_in *in, const struct udp_peer *from)
{
	const struct push_rx_kek *k = push_rx_find(&m->rx, in->spi);
	struct gdoi_kek used = k->kek;

	m->pushes++;
	if (m->nseq < SIM_GM_SEQS) {
		m->seq_kek[m->nseq] = (uint8_t)m->kek_changes;
		m->seq[m->nseq++] = in->seq;
	}
	if (in->ndel > 0) {
		m->deletes++;
		m->ntek = 0;
	}
	if (in->has_policy) {
		keep_teks(m, &in->policy);
		if (in->policy.has_kek) {
			ck_assert_int_eq(push_rx_set_kek(&m->rx,
					 &in->policy.kek, 0), 0);
			m->kek_changes++;
		}
	}
	answer(m, in, &used, from);
}

static void
on_datagram(int fd, void *arg)
{
	struct sim_gm *m = arg;
	uint8_t buf[PUSH_MAX_LEN];
	struct udp_peer from;
	ssize_t n;

	(void)fd;
	while ((n = udp_recv(m->us, buf, sizeof(buf), &from)) >= 0) {
		struct push_in in;
		enum push_err e;

		memset(&in, 0, sizeof(in));
		e = push_open(&m->rx, buf, (size_t)n, &in);
		if (e == PUSH_OK)
			take(m, &in, &from);
		else if (e == PUSH_ERR_DUPLICATE)
			m->dups++;
		else
			m->refused++;
		push_in_free(&in);
	}
}

static bool
wait_reg(void *arg)
{
	struct sim_gm *m = arg;

	return m->registered || m->failed;
}

bool
sim_gm_register(struct sim_gm *m, struct evloop *loop,
		const struct cli_env *env, uint16_t port, uint32_t addr,
		uint32_t ks, uint32_t id)
{
	struct ike_reg *h = NULL;
	char err[160];

	memset(m, 0, sizeof(*m));
	m->loop = loop;
	m->addr = addr;
	m->port = port;
	m->ack = true;
	push_rx_init(&m->rx);
	m->ike = ike_new(loop, port, err, sizeof(err));
	ck_assert_msg(m->ike != NULL, "%s", err);
	ike_set_conf(m->ike, env->conf, NULL);
	ck_assert_msg(ike_listen(m->ike, addr, err, sizeof(err)) == 0, "%s",
		      err);
	ck_assert_int_eq(ike_register(m->ike, addr, ks, id, reg_done, m, &h),
			 0);
	net_run_until_arg(loop, wait_reg, m, 30000);
	ike_register_cancel(&h);
	ike_free(m->ike);
	m->ike = NULL;
	if (!m->registered)
		return false;
	m->us = udp_open(addr, port, err, sizeof(err));
	ck_assert_msg(m->us != NULL, "%s", err);
	ck_assert_int_eq(ev_read(loop, udp_fd(m->us), on_datagram, m, &m->io),
			 0);
	return true;
}

void
sim_gm_free(struct sim_gm *m)
{
	ev_io_cancel(&m->io);
	if (m->us != NULL)
		udp_close(m->us);
	m->us = NULL;
	ike_free(m->ike);
	m->ike = NULL;
	push_rx_free(&m->rx);
}

uint64_t
sim_gm_tek_left(const struct sim_gm *m, uint64_t now)
{
	uint64_t best = 0;

	for (size_t i = 0; i < m->ntek; i++)
		if (m->tek[i].end_ms > now && m->tek[i].end_ms - now > best)
			best = m->tek[i].end_ms - now;
	return best;
}
