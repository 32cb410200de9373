/*
 * ks_show: what a key server prints for `show crypto gdoi`,
 * `show crypto gdoi ks members`, `show crypto gdoi ks policy`,
 * `show crypto gdoi rekey sa` and its lines of `show crypto isakmp sa`,
 * in the IOS-XE layouts (doc/keyserver.md; labels and order as on the
 * device; values from the config and the group's key state).
 */
#include "roles/ks.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_ipsec.h"
#include "platform/evloop.h"
#include "platform/term.h"
#include "roles/ks_int.h"
#include "roles/members.h"

#define GETVPN_GDOI_VERSION "1.0.0"

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static uint32_t
left_s(uint64_t end_ms, uint64_t now_ms)
{
	return end_ms > now_ms ? (uint32_t)((end_ms - now_ms + 999) / 1000) : 0;
}

/* The current TEK of `sa ipsec` number, or NULL. */
static const struct gdoi_tek *
tek_of_sa(const struct ks_teks *t, uint16_t number)
{
	for (size_t i = 0; i < t->ntek; i++)
		if (t->sa_of_tek[i] == number)
			return &t->tek[i];
	return NULL;
}

/* The role COOP elected; without a running engine (no rekey RSA key or
 * no `address ipv4`) the key server is on its own: Primary. */
static void
show_coop(const struct ks_group *ks, const struct conf_gdoi_server *s,
	  struct term *t)
{
	char a[INET_ADDRSTRLEN];
	uint8_t role = ks->coop ? coop_role(ks->coop) : COOP_ROLE_PRIMARY;

	term_puts(t, "    Redundancy               : Configured\n");
	term_printf(t, "        Local Address        : %s \n", ip(s->address, a));
	term_printf(t, "        Local Priority       : %u \n", s->coop->priority);
	term_puts(t, "        Local KS Status      : Alive \n");
	term_printf(t, "        Local KS Role        : %s \n",
		    coop_role_name(role));
	term_puts(t, "        Local KS Version     : " GETVPN_GDOI_VERSION "\n");
}

static void
show_sa(const struct ks_group *ks, const struct conf *c,
	const struct conf_gdoi_sa *sa, uint64_t now_ms, struct term *t)
{
	const struct gdoi_tek *k = tek_of_sa(&ks->gen.cur, sa->number);
	const struct conf_ipsec_profile *prof =
		conf_ipsec_profile_find(c->ipsec, sa->profile);
	uint32_t life = prof ? conf_ipsec_profile_lifetime(c->ipsec, prof)
		: CONF_IPSEC_DEF_LIFETIME;

	term_printf(t, "\n      IPSec SA Number        : %u\n", sa->number);
	term_printf(t, "      IPSec SA Rekey Lifetime: %u secs\n", life);
	term_printf(t, "      Profile Name           : %s\n", sa->profile);
	term_printf(t, "      Replay method          : %s\n",
		    sa->replay == CONF_GDOI_REPLAY_TIME ? "Time Based"
		    : sa->replay == CONF_GDOI_REPLAY_NONE ? "Disabled"
		    : "Count Based");
	if (sa->replay != CONF_GDOI_REPLAY_NONE)
		term_printf(t, "      Replay Window Size     : %u\n",
			    sa->replay_window);
	term_puts(t, "      Tagging method         : Disabled\n");
	if (ks->ready && k != NULL)
		term_printf(t, "      SA Rekey\n         Remaining Lifetime  : "
			    "%u secs\n", left_s(ks->gen.cur.born_ms +
						 (uint64_t)k->lifetime_s * 1000,
						 now_ms));
	term_printf(t, "      ACL Configured         : access-list %s\n",
		    sa->match_acl);
}

static void
group_show(const struct ks_group *ks, const struct conf *c, uint64_t now_ms,
	   struct term *t)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	const struct conf_gdoi_server *s = g ? g->server : NULL;

	if (s == NULL)
		return;
	term_printf(t, "    Group Name               : %s (%s)\n", ks->name,
		    ks->rc.multicast ? "Multicast" : "Unicast");
	term_puts(t, "    Re-auth on new CRL       : Disabled\n");
	term_printf(t, "    Group Identity           : %u\n", g->identity_number);
	term_puts(t, "    Group Type               : GDOI (ISAKMP)\n"
		  "    Crypto Path              : ipv4\n"
		  "    Key Management Path      : ipv4\n");
	term_printf(t, "    Group Members            : %zu\n",
		    members_count(ks->members));
	term_printf(t, "    IPSec SA Direction       : %s\n",
		    (s->has & CONF_GDOI_KS_HAS_RECEIVE_ONLY) ? "Receive Only"
		    : "Both");
	term_puts(t, "    IP D3P Window            : Disabled\n"
		  "    Split Resiliency Factor  : 0\n"
		  "    CKM status               : Disabled\n");
	if (s->coop != NULL)
		show_coop(ks, s, t);
	term_printf(t, "    Group Rekey Lifetime     : %u secs\n",
		    s->rekey_lifetime);
	if (ks->ready && ks->gen.kek.used)
		term_printf(t, "    Group Rekey\n        Remaining Lifetime   : "
			    "%u secs\n", left_s(ks->gen.kek.end_ms, now_ms));
	term_printf(t, "    Rekey Retransmit Period  : %u secs\n",
		    s->retransmit_period);
	term_printf(t, "    Rekey Retransmit Attempts: %u\n",
		    s->retransmit_number);
	term_printf(t, "    Group Retransmit\n        Remaining Lifetime   : "
		    "%llu secs\n", (unsigned long long)
		    (ev_timer_remaining(ks->t_retx) == UINT64_MAX ? 0
		     : (ev_timer_remaining(ks->t_retx) + 999) / 1000));
	for (const struct conf_gdoi_sa *sa = s->sa_head; sa; sa = sa->next)
		show_sa(ks, c, sa, now_ms, t);
	if (!ks->ready)
		term_printf(t, "\n    Group Status             : Not ready (%s)\n",
			    ks->why);
	term_puts(t, "\n     Group Server list       : Local\n");
}

static void
show_member(const struct ks_group *ks, const struct member *m,
	    struct term *t)
{
	char a[INET_ADDRSTRLEN], k[INET_ADDRSTRLEN];

	term_printf(t, "\nGroup Member ID    : %s  GM Version: %s\n",
		    ip(m->addr, a), m->version[0] ? m->version : "1.0.0");
	term_printf(t, " Group ID          : %u\n", ks->id);
	term_printf(t, " Group Name        : %s\n", ks->name);
	term_puts(t, " Group Type        : GDOI (ISAKMP)\n");
	term_printf(t, " GM State          : %s\n",
		    m->state == MEMBER_EJECTED ? "Ejected" : "Registered");
	term_printf(t, " Key Server ID     : %s\n", ip(m->ks_addr, k));
	term_printf(t, " Rekeys sent       : %u\n", m->rekeys_sent);
	term_printf(t, " Rekeys retries    : %u\n", m->rekey_retries);
	term_printf(t, " Rekey Acks Rcvd   : %u\n", m->acks_rcvd);
	term_printf(t, " Rekey Acks missed : %u\n", m->acks_missed);
	term_printf(t, "\n Sent seq num : %-5u %-5u %-5u %-5u \n",
		    m->sent_seq[0], m->sent_seq[1], m->sent_seq[2],
		    m->sent_seq[3]);
	term_printf(t, " Rcvd seq num : %-5u %-5u %-5u %-5u \n\n",
		    m->rcvd_seq[0], m->rcvd_seq[1], m->rcvd_seq[2],
		    m->rcvd_seq[3]);
}

static void
group_show_members(const struct ks_group *ks, uint32_t only, struct term *t)
{
	bool found = false;

	term_printf(t, "\nNumber of rekeys sent for group %s : %lu\n", ks->name,
		    ks->rekeys_sent);
	term_printf(t, "Number of retransmits during the last rekey for group "
		    "%s : %u\n", ks->name, ks->rk.active ? ks->rk.retx_done
		    : ks->rk.retx_last);
	term_printf(t, "Duration of the last rekey for group %s : %llu msec\n",
		    ks->name, (unsigned long long)ks->rk.duration_ms);
	for (const struct member *m = members_first(ks->members); m; m = m->next) {
		if (only != 0 && m->addr != only)
			continue;
		show_member(ks, m, t);
		found = true;
	}
	if (only != 0 && !found)
		term_puts(t, "\nGroup Member not Found\n");
}

static void
show_tek(const struct ks_group *ks, const struct conf_gdoi_server *s,
	 const struct ks_teks *set, size_t i, uint64_t now_ms, struct term *t)
{
	const struct gdoi_tek *k = &set->tek[i];
	const struct conf_gdoi_sa *sa = conf_gdoi_sa_find(s, set->sa_of_tek[i]);
	uint64_t end = set->born_ms + (uint64_t)k->lifetime_s * 1000;
	char tr[64];

	term_puts(t, "\n  TEK POLICY (encaps : ENCAPS_TUNNEL)\n");
	term_printf(t, "    spi                : 0x%08X\n", ntohl(k->spi));
	term_printf(t, "    access-list        : %s\n", sa ? sa->match_acl : "");
	term_printf(t, "    transform          : %s\n",
		    gdoi_tek_transform_name(k, tr, sizeof(tr)));
	term_printf(t, "    alg key size       : %-14zu sig key size          : "
		    "%zu\n", k->enc_key_len, k->auth_key_len);
	term_printf(t, "    orig life(sec)     : %-14u remaining life(sec)   : "
		    "%u\n", k->lifetime_s, left_s(end < set->end_ms ? end
						   : set->end_ms, now_ms));
	term_printf(t, "    tek life(sec)      : %-14u elapsed time(sec)     : "
		    "%llu\n", k->lifetime_s,
		    (unsigned long long)((now_ms - set->born_ms) / 1000));
	term_printf(t, "    override life(sec) : %-14u antireplay window size: "
		    "%u\n", 0u, k->replay == GDOI_REPLAY_TIME
		    ? k->replay_window / 1000 : k->replay_window);
	if (set == &ks->gen.cur)
		term_printf(t, "    time to rekey (sec): %u\n",
			    left_s(ks_gen_tek_rekey_ms(&ks->gen), now_ms));
	else
		term_puts(t, "    time to rekey (sec): n/a\n");
}

/* One TEK POLICY block per SPI (the SATs of one sa ipsec share it). */
static void
show_teks(const struct ks_group *ks, const struct conf_gdoi_server *s,
	  const struct ks_teks *set, uint64_t now_ms, struct term *t)
{
	uint32_t last_spi = 0;

	for (size_t i = 0; set->used && i < set->ntek; i++) {
		if (set->tek[i].spi == last_spi)
			continue;
		last_spi = set->tek[i].spi;
		show_tek(ks, s, set, i, now_ms, t);
	}
}

static size_t
spis(const struct ks_teks *set)
{
	size_t n = 0;

	for (size_t i = 0; set->used && i < set->ntek; i++)
		n += i == 0 || set->tek[i].spi != set->tek[i - 1].spi;
	return n;
}

static void
show_kek(const struct ks_group *ks, const struct conf_gdoi_server *s,
	 uint64_t now_ms, struct term *t)
{
	const struct gdoi_kek *k = &ks->gen.kek.kek;

	term_printf(t, "  KEK POLICY (transport type : %s)\n    spi : 0x",
		    ks->rc.multicast ? "Multicast" : "Unicast");
	for (size_t i = 0; i < sizeof(k->spi); i++)
		term_printf(t, "%02X", k->spi[i]);
	term_printf(t, "\n    management alg     : disabled      encrypt alg"
		    "           : %s\n", k->alg == GDOI_KEK_ALG_AES
		    ? "AES" : k->alg == GDOI_KEK_ALG_3DES ? "3DES" : "DES");
	term_printf(t, "    crypto iv length   : %-14zu key size              "
		    ": %zu\n", k->iv_len, k->key_len);
	term_printf(t, "    orig life(sec)     : %-14u remaining life(sec)   : "
		    "%u\n", k->lifetime_s, left_s(ks->gen.kek.end_ms, now_ms));
	term_printf(t, "    time to rekey (sec): %u\n",
		    left_s(ks_gen_kek_rekey_ms(&ks->gen), now_ms));
	term_printf(t, "    sig hash algorithm : enabled       sig key "
		    "length        : %zu\n", k->pubkey_len);
	term_printf(t, "    sig size           : %u\n", k->sig_key_bits / 8);
	term_printf(t, "    sig key name       : %s\n", s->rekey_rsa);
	term_printf(t, "    acknowledgement    : %s\n",
		    k->ack ? "Interoperable" : "Disabled");
}

static void
group_show_policy(const struct ks_group *ks, const struct conf *c,
		  uint64_t now_ms, struct term *t)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	char a[INET_ADDRSTRLEN];

	if (g == NULL || g->server == NULL)
		return;
	term_printf(t, "For group %s server %s:\n\n", ks->name,
		    ip(g->server->address, a));
	if (!ks->ready) {
		term_printf(t, "  Policy not ready: %s\n", ks->why);
		return;
	}
	term_printf(t, "  # of teks : %zu  Seq num : %u\n",
		    spis(&ks->gen.cur) + (ks->gen.old.end_ms > now_ms ?
					  spis(&ks->gen.old) : 0),
		    ks->gen.kek.seq);
	if (ks->gen.kek.used)
		show_kek(ks, g->server, now_ms, t);
	show_teks(ks, g->server, &ks->gen.cur, now_ms, t);
	if (ks->gen.old.end_ms > now_ms)
		show_teks(ks, g->server, &ks->gen.old, now_ms, t);
	term_puts(t, "\n");
}

/*
 * The public entry points: every group of the key server.
 */
void
ks_show_gdoi(const struct ks *ks, const char *group, struct term *t)
{
	for (const struct ks_group *g = ks->head; g; g = g->next) {
		if (group != NULL && strcmp(group, g->name) != 0)
			continue;
		term_puts(t, "GROUP INFORMATION\n\n");
		group_show(g, ks->conf, ks_clock(ks), t);
		term_puts(t, "\n");
	}
}

void
ks_show_members(const struct ks *ks, uint32_t only, struct term *t)
{
	for (const struct ks_group *g = ks->head; g; g = g->next)
		group_show_members(g, only, t);
}

void
ks_show_policy(const struct ks *ks, struct term *t)
{
	term_puts(t, "Key Server Policy:\n");
	for (const struct ks_group *g = ks->head; g; g = g->next)
		group_show_policy(g, ks->conf, ks_clock(ks), t);
}

/* conn-id of a group's KEK in the isakmp and rekey SA lists */
static unsigned
kek_conn_id(const struct ks *ks, const struct ks_group *g)
{
	unsigned id = 2000;

	for (const struct ks_group *x = ks->head; x != g; x = x->next)
		id++;
	return id;
}

/* Each rekey destination: the group address, or every member. */
static void
kek_lines(const struct ks *ks, const struct ks_group *g, const char *fmt,
	  struct term *t)
{
	char d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	const struct gdoi_kek *k = &g->gen.kek.kek;

	if (!g->ready || !g->gen.kek.used)
		return;
	if (g->rc.multicast) {
		term_printf(t, fmt, ip(k->dst, d), ip(k->src, s),
			    kek_conn_id(ks, g));
		return;
	}
	for (const struct member *m = members_first(g->members); m; m = m->next)
		if (m->state != MEMBER_EJECTED)
			term_printf(t, fmt, ip(m->addr, d), ip(m->ks_addr, s),
				    kek_conn_id(ks, g));
}

void
ks_show_isakmp(const struct ks *ks, struct term *t)
{
	for (const struct ks_group *g = ks->head; g; g = g->next)
		kek_lines(ks, g, "%-15s %-15s GDOI_REKEY     %7u ACTIVE\n", t);
}

static void
rekey_sa_detail(const struct ks *ks, const struct ks_group *g, struct term *t)
{
	const struct gdoi_kek *k = &g->gen.kek.kek;
	char a[INET_ADDRSTRLEN];

	term_printf(t, "\n  KEK POLICY (transport type : %s)\n",
		    g->rc.multicast ? "Multicast" : "Unicast");
	term_printf(t, "   Local addr/port : %s/848\n", ip(k->src, a));
	if (g->rc.multicast)
		term_printf(t, "   Remote addr/port : %s/848\n", ip(k->dst, a));
	term_puts(t, "    spi : 0x");
	for (size_t i = 0; i < sizeof(k->spi); i++)
		term_printf(t, "%02X", k->spi[i]);
	term_printf(t, "\n    encrypt alg       : %s\n    key size          : "
		    "%zu\n", k->alg == GDOI_KEK_ALG_AES ? "AES" : "3DES",
		    k->key_len);
	term_printf(t, "    orig life(sec)     : %u\n", k->lifetime_s);
	term_printf(t, "    sig key length    : %zu\n    sig size           : "
		    "%u\n", k->pubkey_len, k->sig_key_bits / 8);
	term_printf(t, "    acknowledgement    : %s\n",
		    k->ack ? "Interoperable" : "Disabled");
	term_printf(t, "    conn_id (IKEv1)    : %u\n", kek_conn_id(ks, g));
	term_printf(t, "    seq num            : %-11u prev seq num      : %u\n",
		    g->gen.kek.seq, g->gen.old_kek.seq);
	term_printf(t, "    Group Name         : %s\n", g->name);
}

void
ks_show_rekey_sa(const struct ks *ks, bool detail, struct term *t)
{
	if (!detail) {
		for (const struct ks_group *g = ks->head; g; g = g->next)
			kek_lines(ks, g, "%-15s %-15s %-15u ACTIVE\n", t);
		return;
	}
	for (const struct ks_group *g = ks->head; g; g = g->next)
		if (g->ready && g->gen.kek.used)
			rekey_sa_detail(ks, g, t);
}
