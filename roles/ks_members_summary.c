/*
 * ks_members_summary: `show crypto gdoi ks members summary` in the IOS-XE
 * layout: one line per member under the key server address it registered
 * with: LOCAL for this key server's own, REDUNDANT for those a COOP
 * peer announced (doc/coop.md).
 */
#include "roles/ks.h"

#include <arpa/inet.h>

#include "platform/showout.h"
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
show_ks_block(const struct ks_group *ks, uint32_t ks_addr, struct showout *o)
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
	showout_obj(o, NULL);
	showout_str(o, "key_server_id", inet_ntop(AF_INET, &ks_addr, a,
						  sizeof(a)),
		    "Key Server ID: %s, ", a);
	showout_str(o, "gmdb_state", redundant ? "REDUNDANT" : "LOCAL",
		    "GMDB state: %s, ", redundant ? "REDUNDANT" : "LOCAL");
	showout_u64(o, "group_members", n, "Group Members: %zu\n", n);
	showout_text(o, "  Member ID     Version      Rekey sent     Rekey Ack "
		     "missed\n");
	showout_list(o, "members");
	for (const struct member *m = members_first(ks->members); m;
	     m = m->next) {
		const char *ver = m->version[0] ? m->version : "1.0.0";

		if (member_reg_ks(m) != ks_addr)
			continue;
		showout_obj(o, NULL);
		showout_str(o, "member_id", inet_ntop(AF_INET, &m->addr, a,
						      sizeof(a)),
			    "  %-12s ", a);
		showout_str(o, "version", ver, "%-14s ", ver);
		showout_u64(o, "rekey_sent", m->rekeys_sent, "%-15u ",
			    m->rekeys_sent);
		showout_u64(o, "rekey_ack_missed", m->acks_missed, "%u\n",
			    m->acks_missed);
		showout_end(o);
	}
	showout_end(o);
	showout_text(o, "\n");
	showout_end(o);
}

static void
group_show_members_summary(const struct ks_group *ks, struct showout *o)
{
	uint32_t kss[16];
	size_t n = ks_addresses(ks, kss, sizeof(kss) / sizeof(*kss));

	showout_obj(o, NULL);
	showout_str(o, "group_name", ks->name, "Group Name: %s, ", ks->name);
	showout_u64(o, "group_id", ks->id, "ID: %u, ", ks->id);
	showout_u64(o, "group_members", members_count(ks->members),
		    "Group Members: %zu\n", members_count(ks->members));
	showout_list(o, "key_servers");
	for (size_t i = 0; i < n; i++)
		show_ks_block(ks, kss[i], o);
	showout_end(o);
	if (n == 0)
		showout_text(o, "\n");
	showout_end(o);
}

void
ks_show_members_summary(const struct ks *ks, struct showout *o)
{
	showout_text(o, "Group Member Information : \n\n");
	showout_list(o, "groups");
	for (const struct ks_group *g = ks->head; g; g = g->next)
		group_show_members_summary(g, o);
	showout_end(o);
}
