/*
 * ks_show: what a key server prints for `show crypto gdoi`,
 * `show crypto gdoi ks members` and `show crypto gdoi ks policy`, in the
 * IOS-XE layouts of doc/ios-cli.md §5.1(e), §5.4 and §5.6 (labels and order
 * as on the device; values from the config and the group's runtime).
 */
#include "roles/ks.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_gdoi.h"
#include "parser/conf_ipsec.h"
#include "platform/term.h"
#include "roles/members.h"

#define GETVPN_GDOI_VERSION "1.0.0"

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void
show_coop(const struct conf_gdoi_server *s, struct term *t)
{
	char a[INET_ADDRSTRLEN];

	term_puts(t, "    Redundancy               : Configured\n");
	term_printf(t, "        Local Address        : %s \n", ip(s->address, a));
	term_printf(t, "        Local Priority       : %u \n", s->coop->priority);
	term_puts(t, "        Local KS Status      : Alive \n");
	term_puts(t, "        Local KS Role        : Primary \n");
	term_puts(t, "        Local KS Version     : " GETVPN_GDOI_VERSION "\n");
}

static void
show_sa(const struct ks_group *ks, const struct conf *c,
	const struct conf_gdoi_sa *sa, uint64_t now_ms, struct term *t)
{
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
	if (ks->ready)
		term_printf(t, "      SA Rekey\n         Remaining Lifetime  : "
			    "%u secs\n", ks_remaining(life, ks->policy_ms, now_ms));
	term_printf(t, "      ACL Configured         : access-list %s\n",
		    sa->match_acl);
}

void
ks_group_show(const struct ks_group *ks, const struct conf *c,
	      uint64_t now_ms, struct term *t)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	const struct conf_gdoi_server *s = g ? g->server : NULL;

	if (s == NULL)
		return;
	term_printf(t, "    Group Name               : %s (%s)\n", ks->name,
		    (s->has & CONF_GDOI_KS_HAS_UNICAST) ? "Unicast" : "Multicast");
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
		show_coop(s, t);
	term_printf(t, "    Group Rekey Lifetime     : %u secs\n",
		    s->rekey_lifetime);
	if (ks->ready && ks->policy.has_kek)
		term_printf(t, "    Group Rekey\n        Remaining Lifetime   : "
			    "%u secs\n", ks_remaining(ks->policy.kek.lifetime_s,
					      ks->policy_ms, now_ms));
	term_printf(t, "    Rekey Retransmit Period  : %u secs\n",
		    s->retransmit_period);
	term_printf(t, "    Rekey Retransmit Attempts: %u\n",
		    s->retransmit_number);
	term_puts(t, "    Group Retransmit\n        Remaining Lifetime   : "
		  "0 secs\n");
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

void
ks_group_show_members(const struct ks_group *ks, uint32_t only,
		      struct term *t)
{
	bool found = false;

	term_printf(t, "\nNumber of rekeys sent for group %s : 0\n", ks->name);
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
	 size_t i, uint64_t now_ms, struct term *t)
{
	const struct gdoi_tek *k = &ks->policy.tek[i];
	const struct conf_gdoi_sa *sa = conf_gdoi_sa_find(s, ks->sa_of_tek[i]);
	char tr[64];
	uint32_t rem = ks_remaining(k->lifetime_s, ks->policy_ms, now_ms);

	term_puts(t, "\n  TEK POLICY (encaps : ENCAPS_TUNNEL)\n");
	term_printf(t, "    spi                : 0x%08X\n", ntohl(k->spi));
	term_printf(t, "    access-list        : %s\n", sa ? sa->match_acl : "");
	term_printf(t, "    transform          : %s\n",
		    gdoi_tek_transform_name(k, tr, sizeof(tr)));
	term_printf(t, "    alg key size       : %-14zu sig key size          : "
		    "%zu\n", k->enc_key_len, k->auth_key_len);
	term_printf(t, "    orig life(sec)     : %-14u remaining life(sec)   : "
		    "%u\n", k->lifetime_s, rem);
	term_printf(t, "    tek life(sec)      : %-14u elapsed time(sec)     : "
		    "%llu\n", k->lifetime_s,
		    (unsigned long long)((now_ms - ks->policy_ms) / 1000));
	term_printf(t, "    override life(sec) : %-14u antireplay window size: "
		    "%u\n", 0u, k->replay == GDOI_REPLAY_TIME
		    ? k->replay_window / 1000 : k->replay_window);
}

void
ks_group_show_policy(const struct ks_group *ks, const struct conf *c,
		     uint64_t now_ms, struct term *t)
{
	const struct conf_gdoi_group *g = conf_gdoi_group_find(c->gdoi, ks->name);
	const struct gdoi_kek *k = &ks->policy.kek;
	char a[INET_ADDRSTRLEN];
	uint32_t last_spi = 0;

	if (g == NULL || g->server == NULL)
		return;
	term_printf(t, "For group %s server %s:\n\n", ks->name,
		    ip(g->server->address, a));
	if (!ks->ready) {
		term_printf(t, "  Policy not ready: %s\n", ks->why);
		return;
	}
	term_printf(t, "  # of teks : %zu  Seq num : %u\n", ks->policy.ntek,
		    ks->policy.seq);
	if (ks->policy.has_kek) {
		term_printf(t, "  KEK POLICY (transport type : %s)\n    spi : 0x",
			    (g->server->has & CONF_GDOI_KS_HAS_UNICAST)
			    ? "Unicast" : "Multicast");
		for (size_t i = 0; i < sizeof(k->spi); i++)
			term_printf(t, "%02X", k->spi[i]);
		term_printf(t, "\n    management alg     : disabled      encrypt alg"
			    "           : %s\n", k->alg == GDOI_KEK_ALG_AES
			    ? "AES" : k->alg == GDOI_KEK_ALG_3DES ? "3DES" : "DES");
		term_printf(t, "    crypto iv length   : %-14zu key size              "
			    ": %zu\n", k->iv_len, k->key_len);
		term_printf(t, "    orig life(sec)     : %-14u remaining life(sec)   : "
			    "%u\n", k->lifetime_s, ks_remaining(k->lifetime_s,
							ks->policy_ms, now_ms));
		term_printf(t, "    sig hash algorithm : enabled       sig key "
			    "length        : %zu\n", k->pubkey_len);
		term_printf(t, "    sig size           : %u\n", k->sig_key_bits / 8);
		term_printf(t, "    sig key name       : %s\n",
			    g->server->rekey_rsa);
		term_puts(t, "    acknowledgement    : Cisco\n");
	}
	/* one TEK POLICY block per SPI (the SATs of one sa ipsec share it) */
	for (size_t i = 0; i < ks->policy.ntek; i++) {
		if (ks->policy.tek[i].spi == last_spi)
			continue;
		last_spi = ks->policy.tek[i].spi;
		show_tek(ks, g->server, i, now_ms, t);
	}
	term_puts(t, "\n");
}
