/*
 * ks_members_summary: `show crypto gdoi ks members summary` in the IOS-XE
 * layout: one line per member under the key server address it registered
 * with: LOCAL for this key server's own, REDUNDANT for those a COOP
 * peer announced (doc/coop.md).
 */
#include "roles/ks.h"

#include <arpa/inet.h>

#include "platform/term.h"
#include "roles/ks_int.h"
#include "roles/members.h"

/* The key server addresses members registered with, in first-seen order. */
static size_t
ks_addresses(const struct ks_group *ks, uint32_t *out, size_t max)
{
	size_t n = 0;

	for (const struct member *m = members_first(ks->members); m;
	     m = m->next) {
		size_t i = 0;

		while (i < n && out[i] != member_reg_ks(m))
			i++;
		if (i == n && n < max)
			out[n++] = member_reg_ks(m);
	}
	return n;
}

static void
show_ks_block(const struct ks_group *ks, uint32_t ks_addr, struct term *t)
{
	char a[INET_ADDRSTRLEN];
	size_t n = 0;
	bool redundant = false;

	for (const struct member *m = members_first(ks->members); m;
	     m = m->next)
		if (member_reg_ks(m) == ks_addr) {
			n++;
			redundant = member_redundant(m);
		}
	term_printf(t, "Key Server ID: %s, GMDB state: %s, Group Members: "
		    "%zu\n", inet_ntop(AF_INET, &ks_addr, a, sizeof(a)),
		    redundant ? "REDUNDANT" : "LOCAL", n);
	term_puts(t, "  Member ID     Version      Rekey sent     Rekey Ack "
		  "missed\n");
	for (const struct member *m = members_first(ks->members); m;
	     m = m->next) {
		if (member_reg_ks(m) != ks_addr)
			continue;
		term_printf(t, "  %-12s %-14s %-15u %u\n",
			    inet_ntop(AF_INET, &m->addr, a, sizeof(a)),
			    m->version[0] ? m->version : "1.0.0",
			    m->rekeys_sent, m->acks_missed);
	}
	term_puts(t, "\n");
}

static void
group_show_members_summary(const struct ks_group *ks, struct term *t)
{
	uint32_t kss[16];
	size_t n = ks_addresses(ks, kss, sizeof(kss) / sizeof(*kss));

	term_printf(t, "Group Name: %s, ID: %u, Group Members: %zu\n",
		    ks->name, ks->id, members_count(ks->members));
	for (size_t i = 0; i < n; i++)
		show_ks_block(ks, kss[i], t);
	if (n == 0)
		term_puts(t, "\n");
}

void
ks_show_members_summary(const struct ks *ks, struct term *t)
{
	term_puts(t, "Group Member Information : \n\n");
	for (const struct ks_group *g = ks->head; g; g = g->next)
		group_show_members_summary(g, t);
}
