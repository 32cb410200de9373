/*
 * conf_gdoi: GDOI group nodes of the running-config tree, their lookups
 * and their NVGEN (doc/ios-cli.md §2.6-§2.9 for the content, §3.1 "GDOI group
 * NVGEN order" for the layout, §7.4 for the target rendering).
 *
 * Groups are found by name through a hash map and kept in creation order
 * on a list; `sa ipsec` entries are found by number through a hash map
 * and kept sorted on a list, so neither a lookup nor the common append
 * walks the other entries: replaying a large config stays linear.
 *
 * Every node that owns a sub-mode embeds struct conf_obj first.  Deleting
 * a node kills its whole sub-tree at once (not when the memory goes), so
 * a session sitting in `sa ipsec` under a group another session removed
 * sees its node dead on the next line.
 */
#include "parser/conf_gdoi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/hmap.h"
#include "platform/term.h"

static void
conf_gdoi_obj_free(struct conf_obj *o)
{
	/* obj is the first member of every node type here */
	free(o);
}

struct conf_gdoi *
conf_gdoi_new(void)
{
	struct conf_gdoi *gdoi = calloc(1, sizeof(*gdoi));

	if (gdoi == NULL)
		return NULL;
	gdoi->by_name = hmap_new();
	if (gdoi->by_name == NULL) {
		free(gdoi);
		return NULL;
	}
	return gdoi;
}

void
conf_gdoi_free(struct conf_gdoi *gdoi)
{
	if (gdoi == NULL)
		return;
	while (gdoi->head != NULL)
		conf_gdoi_group_del(gdoi, gdoi->head);
	hmap_free(gdoi->by_name);
	free(gdoi);
}

/*
 * Lookups.
 */
const struct conf_gdoi_group *
conf_gdoi_group_find(const struct conf_gdoi *gdoi, const char *name)
{
	if (gdoi == NULL || name == NULL)
		return NULL;
	return hmap_get(gdoi->by_name, name);
}

struct conf_gdoi_group *
conf_gdoi_group_lookup(struct conf_gdoi *gdoi, const char *name)
{
	return hmap_get(gdoi->by_name, name);
}

const struct conf_gdoi_group *
conf_gdoi_group_first(const struct conf_gdoi *gdoi)
{
	return gdoi != NULL ? gdoi->head : NULL;
}

const struct conf_gdoi_group *
conf_gdoi_group_next(const struct conf_gdoi_group *g)
{
	return g != NULL ? g->next : NULL;
}

static void
conf_gdoi_sa_key(char *buf, size_t len, uint16_t number)
{
	snprintf(buf, len, "%u", (unsigned)number);
}

const struct conf_gdoi_sa *
conf_gdoi_sa_find(const struct conf_gdoi_server *s, uint16_t number)
{
	char key[8];

	if (s == NULL || s->sa_by_num == NULL)
		return NULL;
	conf_gdoi_sa_key(key, sizeof(key), number);
	return hmap_get(s->sa_by_num, key);
}

struct conf_gdoi_sa *
conf_gdoi_sa_lookup(struct conf_gdoi_server *s, uint16_t number)
{
	char key[8];

	conf_gdoi_sa_key(key, sizeof(key), number);
	return hmap_get(s->sa_by_num, key);
}

/*
 * Groups.
 */
struct conf_gdoi_group *
conf_gdoi_group_add(struct conf_gdoi *gdoi, const char *name)
{
	struct conf_gdoi_group *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	conf_obj_init(&g->obj, conf_gdoi_obj_free);
	snprintf(g->name, sizeof(g->name), "%s", name);
	if (hmap_put(gdoi->by_name, g->name, g) < 0) {
		free(g);
		return NULL;
	}
	g->prev = gdoi->tail;
	if (gdoi->tail != NULL)
		gdoi->tail->next = g;
	else
		gdoi->head = g;
	gdoi->tail = g;
	gdoi->count++;
	return g;
}

void
conf_gdoi_group_del(struct conf_gdoi *gdoi, struct conf_gdoi_group *g)
{
	hmap_del(gdoi->by_name, g->name);
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		gdoi->head = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	else
		gdoi->tail = g->prev;
	g->prev = g->next = NULL;
	gdoi->count--;
	conf_gdoi_server_del(g);
	conf_obj_kill(&g->obj);
}

/*
 * Key server part.
 */
struct conf_gdoi_server *
conf_gdoi_server_add(struct conf_gdoi_group *g)
{
	struct conf_gdoi_server *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->sa_by_num = hmap_new();
	if (s->sa_by_num == NULL) {
		free(s);
		return NULL;
	}
	conf_obj_init(&s->obj, conf_gdoi_obj_free);
	s->rekey_alg = CONF_GDOI_CIPHER_3DES;
	s->rekey_lifetime = CONF_GDOI_DEF_REKEY_LIFETIME;
	s->retransmit_period = CONF_GDOI_DEF_RETRANSMIT_PERIOD;
	s->retransmit_number = CONF_GDOI_DEF_RETRANSMIT_NUMBER;
	s->ack = CONF_GDOI_ACK_CISCO;
	s->sig_hash = CONF_GDOI_HASH_SHA;
	g->server = s;
	return s;
}

void
conf_gdoi_server_del(struct conf_gdoi_group *g)
{
	struct conf_gdoi_server *s = g->server;

	if (s == NULL)
		return;
	g->server = NULL;
	while (s->sa_head != NULL)
		conf_gdoi_sa_del(s, s->sa_head);
	hmap_free(s->sa_by_num);
	s->sa_by_num = NULL;
	conf_gdoi_coop_del(s);
	conf_obj_kill(&s->obj);
}

/*
 * sa ipsec.  New numbers usually arrive in increasing order, so the
 * insertion point is searched from the tail.
 */
void
conf_gdoi_sa_replay_default(struct conf_gdoi_sa *sa)
{
	sa->replay = CONF_GDOI_REPLAY_COUNTER;
	sa->replay_window = CONF_GDOI_DEF_REPLAY_COUNTER;
	sa->has &= ~(unsigned)CONF_GDOI_SA_HAS_REPLAY;
}

struct conf_gdoi_sa *
conf_gdoi_sa_add(struct conf_gdoi_server *s, uint16_t number)
{
	struct conf_gdoi_sa *sa = calloc(1, sizeof(*sa)), *at;
	char key[8];

	if (sa == NULL)
		return NULL;
	conf_obj_init(&sa->obj, conf_gdoi_obj_free);
	sa->number = number;
	conf_gdoi_sa_replay_default(sa);
	conf_gdoi_sa_key(key, sizeof(key), number);
	if (hmap_put(s->sa_by_num, key, sa) < 0) {
		free(sa);
		return NULL;
	}
	for (at = s->sa_tail; at != NULL && at->number > number; at = at->prev)
		;
	/* insert after at (at == NULL: at the head) */
	sa->prev = at;
	sa->next = at != NULL ? at->next : s->sa_head;
	if (sa->next != NULL)
		sa->next->prev = sa;
	else
		s->sa_tail = sa;
	if (at != NULL)
		at->next = sa;
	else
		s->sa_head = sa;
	return sa;
}

void
conf_gdoi_sa_del(struct conf_gdoi_server *s, struct conf_gdoi_sa *sa)
{
	char key[8];

	conf_gdoi_sa_key(key, sizeof(key), sa->number);
	hmap_del(s->sa_by_num, key);
	if (sa->prev != NULL)
		sa->prev->next = sa->next;
	else
		s->sa_head = sa->next;
	if (sa->next != NULL)
		sa->next->prev = sa->prev;
	else
		s->sa_tail = sa->prev;
	sa->prev = sa->next = NULL;
	conf_obj_kill(&sa->obj);
}

/*
 * redundancy.
 */
struct conf_gdoi_coop *
conf_gdoi_coop_add(struct conf_gdoi_server *s)
{
	struct conf_gdoi_coop *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	conf_obj_init(&c->obj, conf_gdoi_obj_free);
	c->priority = CONF_GDOI_DEF_COOP_PRIORITY;
	c->version = CONF_GDOI_COOP_BASE;
	s->coop = c;
	return c;
}

void
conf_gdoi_coop_del(struct conf_gdoi_server *s)
{
	struct conf_gdoi_coop *c = s->coop;

	if (c == NULL)
		return;
	s->coop = NULL;
	conf_obj_kill(&c->obj);
}

/*
 * Names of enum values, as IOS prints them.
 */
const char *
conf_gdoi_cipher_name(enum conf_gdoi_cipher c)
{
	switch (c) {
	case CONF_GDOI_CIPHER_3DES:
		return "3des-cbc";
	case CONF_GDOI_CIPHER_DES:
		return "des-cbc";
	case CONF_GDOI_CIPHER_AES128:
		return "aes 128";
	case CONF_GDOI_CIPHER_AES192:
		return "aes 192";
	case CONF_GDOI_CIPHER_AES256:
		return "aes 256";
	}
	return "?";
}

const char *
conf_gdoi_hash_name(enum conf_gdoi_hash h)
{
	switch (h) {
	case CONF_GDOI_HASH_SHA:
		return "sha";
	case CONF_GDOI_HASH_SHA256:
		return "sha256";
	case CONF_GDOI_HASH_SHA384:
		return "sha384";
	case CONF_GDOI_HASH_SHA512:
		return "sha512";
	}
	return "?";
}

int
conf_gdoi_cipher_parse(const char *word, const char *bits,
		       enum conf_gdoi_cipher *out)
{
	static const struct {
		const char *word, *bits;
		enum conf_gdoi_cipher c;
	} map[] = {
		{ "3des-cbc", NULL, CONF_GDOI_CIPHER_3DES },
		{ "des-cbc", NULL, CONF_GDOI_CIPHER_DES },
		{ "aes", "128", CONF_GDOI_CIPHER_AES128 },
		{ "aes", "192", CONF_GDOI_CIPHER_AES192 },
		{ "aes", "256", CONF_GDOI_CIPHER_AES256 },
		/* older hyphenated spellings, still accepted by IOS-XE */
		{ "aes-128", NULL, CONF_GDOI_CIPHER_AES128 },
		{ "aes-192", NULL, CONF_GDOI_CIPHER_AES192 },
		{ "aes-256", NULL, CONF_GDOI_CIPHER_AES256 },
	};
	size_t i;

	if (word == NULL)
		return -1;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(word, map[i].word) != 0)
			continue;
		if (map[i].bits != NULL &&
		    (bits == NULL || strcmp(bits, map[i].bits) != 0))
			continue;
		*out = map[i].c;
		return 0;
	}
	return -1;
}

int
conf_gdoi_hash_parse(const char *word, enum conf_gdoi_hash *out)
{
	static const enum conf_gdoi_hash all[] = {
		CONF_GDOI_HASH_SHA, CONF_GDOI_HASH_SHA256,
		CONF_GDOI_HASH_SHA384, CONF_GDOI_HASH_SHA512,
	};
	size_t i;

	for (i = 0; word != NULL && i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(word, conf_gdoi_hash_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}

static const char *
conf_gdoi_ack_name(enum conf_gdoi_ack a)
{
	switch (a) {
	case CONF_GDOI_ACK_CISCO:
		return "cisco";
	case CONF_GDOI_ACK_INTEROPERABLE:
		return "interoperable";
	case CONF_GDOI_ACK_ANY:
		return "any";
	}
	return "?";
}

/*
 * NVGEN (doc/ios-cli.md §3.1): one space of indent per level, lines in the
 * order IOS prints them, only what was configured.
 */
static void
conf_gdoi_put_ip(struct term *t, const char *prefix, uint32_t addr)
{
	const unsigned char *b = (const unsigned char *)&addr;

	term_printf(t, "%s%u.%u.%u.%u\n", prefix, b[0], b[1], b[2], b[3]);
}

static void
conf_gdoi_show_sa(const struct conf_gdoi_sa *sa, struct term *t)
{
	term_printf(t, "  sa ipsec %u\n", (unsigned)sa->number);
	if (sa->has & CONF_GDOI_SA_HAS_PROFILE)
		term_printf(t, "   profile %s\n", sa->profile);
	if (sa->has & CONF_GDOI_SA_HAS_MATCH)
		term_printf(t, "   match address ipv4 %s\n", sa->match_acl);
	if (sa->has & CONF_GDOI_SA_HAS_MATCH6)
		term_printf(t, "   match address ipv6 %s\n", sa->match_acl6);
	if (sa->has & CONF_GDOI_SA_HAS_REPLAY) {
		switch (sa->replay) {
		case CONF_GDOI_REPLAY_COUNTER:
			term_printf(t, "   replay counter window-size %u\n",
				    (unsigned)sa->replay_window);
			break;
		case CONF_GDOI_REPLAY_TIME:
			term_printf(t, "   replay time window-size %u\n",
				    (unsigned)sa->replay_window);
			break;
		case CONF_GDOI_REPLAY_NONE:
			term_puts(t, "   no replay\n");
			break;
		}
	}
	if (sa->has & CONF_GDOI_SA_HAS_TAG_SGT)
		term_puts(t, "   tag cts sgt\n");
}

static void
conf_gdoi_show_coop(const struct conf_gdoi_coop *c, struct term *t)
{
	unsigned i;

	term_puts(t, "  redundancy\n");
	if (c->has & CONF_GDOI_COOP_HAS_PRIORITY)
		term_printf(t, "   local priority %u\n", (unsigned)c->priority);
	for (i = 0; i < c->n_peers; i++)
		conf_gdoi_put_ip(t, "   peer address ipv4 ", c->peers[i]);
	if (c->has & CONF_GDOI_COOP_HAS_VERSION)
		term_printf(t, "   protocol version %s\n",
			    c->version == CONF_GDOI_COOP_OPTIMIZE ? "optimize" : "base");
	if (c->has & CONF_GDOI_COOP_HAS_PDU)
		term_printf(t, "   protocol pdu %u\n", (unsigned)c->pdu);
}

static void
conf_gdoi_show_rekey(const struct conf_gdoi_server *s, struct term *t)
{
	if (s->has & CONF_GDOI_KS_HAS_REKEY_ALG)
		term_printf(t, "  rekey algorithm %s\n",
			    conf_gdoi_cipher_name(s->rekey_alg));
	if (s->has & CONF_GDOI_KS_HAS_REKEY_ACL)
		term_printf(t, "  rekey address ipv4 %s\n", s->rekey_acl);
	if ((s->has & CONF_GDOI_KS_HAS_LIFETIME) && s->rekey_lifetime_days)
		term_printf(t, "  rekey lifetime days %u\n",
			    (unsigned)(s->rekey_lifetime / 86400));
	else if (s->has & CONF_GDOI_KS_HAS_LIFETIME)
		term_printf(t, "  rekey lifetime seconds %u\n",
			    (unsigned)s->rekey_lifetime);
	if ((s->has & CONF_GDOI_KS_HAS_RETRANSMIT) && s->retransmit_periodic)
		term_printf(t, "  rekey retransmit %u periodic\n",
			    (unsigned)s->retransmit_period);
	else if (s->has & CONF_GDOI_KS_HAS_RETRANSMIT)
		term_printf(t, "  rekey retransmit %u number %u\n",
			    (unsigned)s->retransmit_period,
			    (unsigned)s->retransmit_number);
	if (s->has & CONF_GDOI_KS_HAS_REKEY_RSA)
		term_printf(t, "  rekey authentication mypubkey rsa %s\n",
			    s->rekey_rsa);
	if (s->has & CONF_GDOI_KS_HAS_UNICAST)
		term_puts(t, "  rekey transport unicast\n");
	if (s->has & CONF_GDOI_KS_HAS_ACK)
		term_printf(t, "  rekey acknowledgement %s\n",
			    conf_gdoi_ack_name(s->ack));
	if (s->has & CONF_GDOI_KS_HAS_SIG_HASH)
		term_printf(t, "  rekey sig-hash algorithm %s\n",
			    conf_gdoi_hash_name(s->sig_hash));
}

static void
conf_gdoi_show_server(const struct conf_gdoi_server *s, struct term *t)
{
	const struct conf_gdoi_sa *sa;

	term_puts(t, " server local\n");
	conf_gdoi_show_rekey(s, t);
	if (s->has & CONF_GDOI_KS_HAS_AUTH_ACL)
		term_printf(t, "  authorization address ipv4 %s\n", s->auth_acl);
	if (s->has & CONF_GDOI_KS_HAS_AUTH_ID)
		term_printf(t, "  authorization identity %s\n", s->auth_identity);
	for (sa = s->sa_head; sa != NULL; sa = sa->next)
		conf_gdoi_show_sa(sa, t);
	if (s->has & CONF_GDOI_KS_HAS_RECEIVE_ONLY)
		term_puts(t, "  sa receive-only\n");
	if (s->has & CONF_GDOI_KS_HAS_SAT_IDLEN_RFC)
		term_puts(t, "  sa tek id-length 1\n");
	if (s->has & CONF_GDOI_KS_HAS_ADDRESS)
		conf_gdoi_put_ip(t, "  address ipv4 ", s->address);
	if (s->has & CONF_GDOI_KS_HAS_REG_IF)
		term_printf(t, "  registration interface %s\n", s->reg_if);
	if (s->has & CONF_GDOI_KS_HAS_GIKEV2)
		term_printf(t, "  gikev2 %s\n", s->gikev2_profile);
	if (s->has & CONF_GDOI_KS_HAS_PFS)
		term_puts(t, "  pfs\n");
	if (s->coop != NULL)
		conf_gdoi_show_coop(s->coop, t);
}

static void
conf_gdoi_show_client(const struct conf_gdoi_group *g, struct term *t)
{
	unsigned i;

	if (g->has & CONF_GDOI_GRP_HAS_CLIENT_REG_IF)
		term_printf(t, " client registration interface %s\n",
			    g->client_reg_if);
	if (g->has & CONF_GDOI_GRP_HAS_CLIENT_CIPHERS) {
		term_puts(t, " client rekey encryption");
		for (i = 0; i < g->n_client_ciphers; i++)
			term_printf(t, " %s",
				    conf_gdoi_cipher_name(g->client_ciphers[i]));
		term_puts(t, "\n");
	}
	if (g->has & CONF_GDOI_GRP_HAS_CLIENT_HASHES) {
		term_puts(t, " client rekey hash");
		for (i = 0; i < g->n_client_hashes; i++)
			term_printf(t, " %s",
				    conf_gdoi_hash_name(g->client_hashes[i]));
		term_puts(t, "\n");
	}
	if (g->has & CONF_GDOI_GRP_HAS_CLIENT_TSETS) {
		term_puts(t, " client transform-sets");
		for (i = 0; i < g->n_client_tsets; i++)
			term_printf(t, " %s", g->client_tsets[i]);
		term_puts(t, "\n");
	}
	if (g->has & CONF_GDOI_GRP_HAS_BYPASS)
		term_puts(t, " client bypass-policy\n");
	if (g->has & CONF_GDOI_GRP_HAS_FC_REVERT)
		term_puts(t, " client fail-close revert\n");
	if ((g->has & CONF_GDOI_GRP_HAS_CLIENT_PROTO) &&
	    g->client_proto == CONF_GDOI_PROTO_GIKEV2)
		term_printf(t, " client protocol gikev2 %s\n",
			    g->client_gikev2_profile);
	else if (g->has & CONF_GDOI_GRP_HAS_CLIENT_PROTO)
		term_puts(t, " client protocol gdoi\n");
}

static void
conf_gdoi_show_group(const struct conf_gdoi_group *g, struct term *t)
{
	unsigned i;

	term_printf(t, "crypto %s group %s%s\n",
		    g->keyword == CONF_GDOI_KW_GKM ? "gkm" : "gdoi",
		    g->ipv6 ? "ipv6 " : "", g->name);
	if (g->has & CONF_GDOI_GRP_HAS_ID_NUMBER)
		term_printf(t, " identity number %u\n",
			    (unsigned)g->identity_number);
	else if (g->has & CONF_GDOI_GRP_HAS_ID_ADDRESS)
		conf_gdoi_put_ip(t, " identity address ipv4 ",
				 g->identity_address);
	for (i = 0; i < g->n_servers; i++)
		conf_gdoi_put_ip(t, " server address ipv4 ", g->servers[i]);
	conf_gdoi_show_client(g, t);
	if (g->has & CONF_GDOI_GRP_HAS_PASSIVE)
		term_puts(t, " passive\n");
	if (g->server != NULL)
		conf_gdoi_show_server(g->server, t);
	term_puts(t, "!\n");
}

void
conf_gdoi_show(const struct conf_gdoi *gdoi, struct term *t)
{
	const struct conf_gdoi_group *g;

	if (gdoi == NULL)
		return;
	for (g = gdoi->head; g != NULL; g = g->next)
		conf_gdoi_show_group(g, t);
}
