/*
 * cmd_gdoi_ks: the key-server modes under a GDOI group (doc/ios-cli.md §2.7
 * local server, §2.8 sa ipsec, §2.9 redundancy): (gkm-local-server)#,
 * (gkm-sa-ipsec)# and (gdoi-coop-ks-config)#.
 *
 * Forward references are fine (IOS allows them): an `sa ipsec` may name a
 * profile or ACL that does not exist yet and the KS engine reports it
 * "not ready".  Only malformed values are refused, before any change.
 * `no X` and `default X` put a setting back to the IOS default and clear
 * its has-bit; `no replay` is the exception: it is a setting of its own
 * (anti-replay off) and NVGEN prints it.
 */
#include "parser/conf_gdoi.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parser/cmd.h"
#include "parser/conf.h"

/*
 * Store a validated name in the char[CONF_NAME_MAX] field at offset off of
 * the server and set its has-bit, or clear both for no/default.
 */
static int
gdoi_ks_name(struct cmd_ctx *ctx, const char *val, size_t off, unsigned bit)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);
	char *dst;

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	dst = (char *)s + off;
	if (ctx->negate || ctx->dflt) {
		s->has &= ~bit;
		dst[0] = '\0';
	} else {
		if (val == NULL)
			return CMD_ERR_INCOMPLETE;
		if (conf_check_name(ctx, val) < 0)
			return CMD_WARNING;
		snprintf(dst, CONF_NAME_MAX, "%s", val);
		s->has |= bit;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

#define GDOI_KS_OFF(f) offsetof(struct conf_gdoi_server, f)

/* address ipv4 A.B.C.D */
static int
gdoi_ks_address(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);
	uint32_t addr = 0;

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (!ctx->negate && !ctx->dflt && cmd_arg_ip4(a, "addr", &addr) < 0)
		return CMD_ERR_INCOMPLETE;
	s->address = addr;
	return conf_gdoi_mark(ctx, &s->has, CONF_GDOI_KS_HAS_ADDRESS);
}

/* rekey algorithm {3des-cbc | des-cbc | aes 128|192|256 | aes-128 ...} */
static int
gdoi_ks_rekey_alg(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);
	enum conf_gdoi_cipher c = CONF_GDOI_CIPHER_3DES;

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (!ctx->negate && !ctx->dflt &&
	    conf_gdoi_cipher_parse(cmd_arg(a, "alg"), cmd_arg(a, "bits"), &c) < 0)
		return CMD_ERR_INCOMPLETE;
	s->rekey_alg = c;
	return conf_gdoi_mark(ctx, &s->has, CONF_GDOI_KS_HAS_REKEY_ALG);
}

/* rekey address ipv4 {<100-199> | <2000-2699> | NAME}: multicast rekeys */
static int
gdoi_ks_rekey_acl(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *acl = cmd_arg(a, "acl");

	if (!ctx->negate && !ctx->dflt && acl != NULL &&
	    conf_gdoi_check_acl(ctx, acl, 100, 199, 2000, 2699) < 0)
		return CMD_WARNING;
	return gdoi_ks_name(ctx, acl, GDOI_KS_OFF(rekey_acl),
			    CONF_GDOI_KS_HAS_REKEY_ACL);
}

/* rekey lifetime {seconds <300-2592000> | days <1-30>} */
static int
gdoi_ks_lifetime(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		s->rekey_lifetime = CONF_GDOI_DEF_REKEY_LIFETIME;
		s->rekey_lifetime_days = false;
		s->has &= ~(unsigned)CONF_GDOI_KS_HAS_LIFETIME;
	} else if (cmd_has(a, "sec")) {
		s->rekey_lifetime = cmd_arg_u32(a, "sec", 0);
		s->rekey_lifetime_days = false;
		s->has |= CONF_GDOI_KS_HAS_LIFETIME;
	} else if (cmd_has(a, "days")) {
		s->rekey_lifetime = cmd_arg_u32(a, "days", 0) * 86400;
		s->rekey_lifetime_days = true;
		s->has |= CONF_GDOI_KS_HAS_LIFETIME;
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* rekey retransmit <10-60> {number <1-10> | periodic} */
static int
gdoi_ks_retransmit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		s->retransmit_period = CONF_GDOI_DEF_RETRANSMIT_PERIOD;
		s->retransmit_number = CONF_GDOI_DEF_RETRANSMIT_NUMBER;
		s->retransmit_periodic = false;
		s->has &= ~(unsigned)CONF_GDOI_KS_HAS_RETRANSMIT;
	} else if (cmd_has(a, "period") &&
		   (cmd_has(a, "num") || cmd_has(a, "periodic"))) {
		s->retransmit_period = (uint8_t)cmd_arg_u32(a, "period", 10);
		s->retransmit_periodic = cmd_has(a, "periodic");
		s->retransmit_number = s->retransmit_periodic ?
			CONF_GDOI_DEF_RETRANSMIT_NUMBER :
			(uint8_t)cmd_arg_u32(a, "num", 2);
		s->has |= CONF_GDOI_KS_HAS_RETRANSMIT;
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* rekey authentication mypubkey rsa LABEL (the key may be made later) */
static int
gdoi_ks_rekey_rsa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_name(ctx, cmd_arg(a, "key"),
			    GDOI_KS_OFF(rekey_rsa),
			    CONF_GDOI_KS_HAS_REKEY_RSA);
}

/* On/off server lines: the has-bit is the whole state. */
static int
gdoi_ks_flag(struct cmd_ctx *ctx, unsigned bit)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	return conf_gdoi_mark(ctx, &s->has, bit);
}

static int
gdoi_ks_unicast(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_flag(ctx, CONF_GDOI_KS_HAS_UNICAST);
}

static int
gdoi_ks_receive_only(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_flag(ctx, CONF_GDOI_KS_HAS_RECEIVE_ONLY);
}

/* sa tek id-length <1-2>: 2 is the default and clears the bit. */
static int
gdoi_ks_sat_idlen(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (!ctx->negate && !ctx->dflt && cmd_arg_u32(a, "octets", 2) == 1)
		s->has |= CONF_GDOI_KS_HAS_SAT_IDLEN_RFC;
	else
		s->has &= ~(unsigned)CONF_GDOI_KS_HAS_SAT_IDLEN_RFC;
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

static int
gdoi_ks_pfs(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_flag(ctx, CONF_GDOI_KS_HAS_PFS);
}

/* rekey acknowledgement {cisco | interoperable | any} */
static int
gdoi_ks_ack(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);
	const char *v = cmd_arg(a, "ack");

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		s->ack = CONF_GDOI_ACK_CISCO;
		s->has &= ~(unsigned)CONF_GDOI_KS_HAS_ACK;
	} else if (v == NULL) {
		return CMD_ERR_INCOMPLETE;
	} else {
		s->ack = strcmp(v, "any") == 0 ? CONF_GDOI_ACK_ANY :
			 strcmp(v, "interoperable") == 0 ?
			 CONF_GDOI_ACK_INTEROPERABLE : CONF_GDOI_ACK_CISCO;
		s->has |= CONF_GDOI_KS_HAS_ACK;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* rekey sig-hash algorithm {sha | sha256 | sha384 | sha512} */
static int
gdoi_ks_sig_hash(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);
	enum conf_gdoi_hash h = CONF_GDOI_HASH_SHA;

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (!ctx->negate && !ctx->dflt &&
	    conf_gdoi_hash_parse(cmd_arg(a, "h"), &h) < 0)
		return CMD_ERR_INCOMPLETE;
	s->sig_hash = h;
	return conf_gdoi_mark(ctx, &s->has, CONF_GDOI_KS_HAS_SIG_HASH);
}

/* authorization address ipv4 {<1-99> | <1300-1999> | NAME}: standard ACL */
static int
gdoi_ks_auth_acl(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *acl = cmd_arg(a, "acl");

	if (!ctx->negate && !ctx->dflt && acl != NULL &&
	    conf_gdoi_check_acl(ctx, acl, 1, 99, 1300, 1999) < 0)
		return CMD_WARNING;
	return gdoi_ks_name(ctx, acl, GDOI_KS_OFF(auth_acl),
			    CONF_GDOI_KS_HAS_AUTH_ACL);
}

static int
gdoi_ks_auth_id(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_name(ctx, cmd_arg(a, "name"),
			    GDOI_KS_OFF(auth_identity),
			    CONF_GDOI_KS_HAS_AUTH_ID);
}

static int
gdoi_ks_reg_if(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_name(ctx, cmd_arg(a, "ifname"),
			    GDOI_KS_OFF(reg_if),
			    CONF_GDOI_KS_HAS_REG_IF);
}

/* gikev2 PROFILE: kept so the config round-trips; the engine refuses it */
static int
gdoi_ks_gikev2(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return gdoi_ks_name(ctx, cmd_arg(a, "prof"),
			    GDOI_KS_OFF(gikev2_profile),
			    CONF_GDOI_KS_HAS_GIKEV2);
}

/* gdoi: the default protocol; choosing it drops a gikev2 line */
static int
gdoi_ks_gdoi(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt || !(s->has & CONF_GDOI_KS_HAS_GIKEV2))
		return CMD_OK;
	s->has &= ~(unsigned)CONF_GDOI_KS_HAS_GIKEV2;
	s->gikev2_profile[0] = '\0';
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* identifier: the Suite-B sender-ID sub-mode is not implemented */
static int
gdoi_ks_identifier(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (ctx->negate || ctx->dflt)
		return CMD_OK;		/* never configured */
	return cmd_error(ctx, "Key server sender ID configuration (identifier) "
			 "is not supported.");
}

/* sa ipsec <1-65535>: create or re-open; `no sa ipsec N` deletes it */
static int
gdoi_ks_sa(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);
	struct conf_gdoi_sa *sa;
	uint16_t num;

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (!cmd_has(a, "num"))
		return CMD_ERR_INCOMPLETE;
	num = (uint16_t)cmd_arg_u32(a, "num", 0);
	sa = conf_gdoi_sa_lookup(s, num);
	if (ctx->negate || ctx->dflt) {
		if (sa != NULL) {
			conf_gdoi_sa_del(s, sa);
			conf_gdoi_touch(ctx);
		}
		return CMD_OK;
	}
	if (sa == NULL) {
		sa = conf_gdoi_sa_add(s, num);
		if (sa == NULL)
			return cmd_error(ctx, "Out of memory.");
		conf_gdoi_touch(ctx);
	}
	cmd_enter(ctx, MODE_GDOI_SA, &sa->obj);
	return CMD_OK;
}

/* redundancy: create or re-open the COOP settings */
static int
gdoi_ks_redundancy(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_server *s = conf_gdoi_ctx_server(ctx);

	if (s == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		if (s->coop != NULL) {
			conf_gdoi_coop_del(s);
			conf_gdoi_touch(ctx);
		}
		return CMD_OK;
	}
	if (s->coop == NULL) {
		if (conf_gdoi_coop_add(s) == NULL)
			return cmd_error(ctx, "Out of memory.");
		conf_gdoi_touch(ctx);
	}
	cmd_enter(ctx, MODE_GDOI_COOP, &s->coop->obj);
	return CMD_OK;
}

/*
 * sa ipsec mode.
 */
static int
gdoi_sa_profile(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_sa *sa = conf_gdoi_ctx_sa(ctx);
	const char *name = cmd_arg(a, "name");

	if (sa == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		sa->has &= ~(unsigned)CONF_GDOI_SA_HAS_PROFILE;
		sa->profile[0] = '\0';
	} else {
		if (name == NULL)
			return CMD_ERR_INCOMPLETE;
		if (conf_check_name(ctx, name) < 0)
			return CMD_WARNING;
		snprintf(sa->profile, sizeof(sa->profile), "%s", name);
		sa->has |= CONF_GDOI_SA_HAS_PROFILE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* no match address [ipv4|ipv6]: one family, or both when none is given */
static void
gdoi_sa_no_match(struct conf_gdoi_sa *sa, const struct cmd_args *a)
{
	bool v4 = cmd_has(a, "ipv4"), v6 = cmd_has(a, "ipv6");

	if (v4 || !v6) {
		sa->has &= ~(unsigned)CONF_GDOI_SA_HAS_MATCH;
		sa->match_acl[0] = '\0';
	}
	if (v6 || !v4) {
		sa->has &= ~(unsigned)CONF_GDOI_SA_HAS_MATCH6;
		sa->match_acl6[0] = '\0';
	}
}

/* match address {ipv4 {<100-199> | <2000-2699> | NAME} | ipv6 NAME} */
static int
gdoi_sa_match(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_sa *sa = conf_gdoi_ctx_sa(ctx);
	const char *acl = cmd_arg(a, "acl"), *acl6 = cmd_arg(a, "acl6");

	if (sa == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		gdoi_sa_no_match(sa, a);
	} else if (acl != NULL) {
		if (conf_gdoi_check_acl(ctx, acl, 100, 199, 2000, 2699) < 0)
			return CMD_WARNING;
		snprintf(sa->match_acl, sizeof(sa->match_acl), "%s", acl);
		sa->has |= CONF_GDOI_SA_HAS_MATCH;
	} else if (acl6 != NULL) {
		if (conf_check_name(ctx, acl6) < 0)
			return CMD_WARNING;
		snprintf(sa->match_acl6, sizeof(sa->match_acl6), "%s", acl6);
		sa->has |= CONF_GDOI_SA_HAS_MATCH6;
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/*
 * replay {counter [window-size 64..1024] | time [window-size <1-100>]}.
 * `no replay ...` turns anti-replay off (printed ` no replay`);
 * `default replay` goes back to the unprinted counter/64.
 */
static int
gdoi_sa_replay(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_sa *sa = conf_gdoi_ctx_sa(ctx);

	if (sa == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->dflt) {
		conf_gdoi_sa_replay_default(sa);
	} else if (ctx->negate) {
		sa->replay = CONF_GDOI_REPLAY_NONE;
		sa->replay_window = 0;
		sa->has |= CONF_GDOI_SA_HAS_REPLAY;
	} else if (cmd_has(a, "counter")) {
		sa->replay = CONF_GDOI_REPLAY_COUNTER;
		sa->replay_window = cmd_has(a, "cwin") ?
			cmd_arg_u32(a, "cwin", CONF_GDOI_DEF_REPLAY_COUNTER) :
			CONF_GDOI_DEF_REPLAY_COUNTER;
		sa->has |= CONF_GDOI_SA_HAS_REPLAY;
	} else if (cmd_has(a, "time")) {
		sa->replay = CONF_GDOI_REPLAY_TIME;
		sa->replay_window = cmd_has(a, "twin") ?
			cmd_arg_u32(a, "twin", CONF_GDOI_DEF_REPLAY_TIME) :
			CONF_GDOI_DEF_REPLAY_TIME;
		sa->has |= CONF_GDOI_SA_HAS_REPLAY;
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

static int
gdoi_sa_tag(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_sa *sa = conf_gdoi_ctx_sa(ctx);

	if (sa == NULL)
		return conf_gdoi_gone(ctx);
	return conf_gdoi_mark(ctx, &sa->has, CONF_GDOI_SA_HAS_TAG_SGT);
}

/*
 * redundancy mode.
 */
static int
gdoi_coop_priority(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_coop *c = conf_gdoi_ctx_coop(ctx);

	if (c == NULL)
		return conf_gdoi_gone(ctx);
	if (ctx->negate || ctx->dflt) {
		c->priority = CONF_GDOI_DEF_COOP_PRIORITY;
		c->has &= ~(unsigned)CONF_GDOI_COOP_HAS_PRIORITY;
	} else {
		if (!cmd_has(a, "prio"))
			return CMD_ERR_INCOMPLETE;
		c->priority = (uint8_t)cmd_arg_u32(a, "prio", 1);
		c->has |= CONF_GDOI_COOP_HAS_PRIORITY;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

static int
gdoi_coop_peer_index(const struct conf_gdoi_coop *c, uint32_t addr)
{
	unsigned i;

	for (i = 0; i < c->n_peers; i++)
		if (c->peers[i] == addr)
			return (int)i;
	return -1;
}

/* peer address ipv4 A.B.C.D, one line per peer; `no` removes one (or all) */
static int
gdoi_coop_peer(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_coop *c = conf_gdoi_ctx_coop(ctx);
	uint32_t addr;
	int i;

	if (c == NULL)
		return conf_gdoi_gone(ctx);
	if (cmd_arg_ip4(a, "addr", &addr) < 0) {
		if (!ctx->negate && !ctx->dflt)
			return CMD_ERR_INCOMPLETE;
		if (c->n_peers > 0) {
			c->n_peers = 0;
			conf_gdoi_touch(ctx);
		}
		return CMD_OK;
	}
	i = gdoi_coop_peer_index(c, addr);
	if (ctx->negate || ctx->dflt) {
		if (i < 0)
			return CMD_OK;
		memmove(&c->peers[i], &c->peers[i + 1],
			(c->n_peers - (unsigned)i - 1) * sizeof(c->peers[0]));
		c->n_peers--;
	} else {
		if (i >= 0)
			return CMD_OK;
		if (c->n_peers >= CONF_GDOI_MAX_PEERS)
			return cmd_error(ctx, "At most %d redundancy peers are "
					 "supported.", CONF_GDOI_MAX_PEERS);
		c->peers[c->n_peers++] = addr;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/* protocol version {base | optimize}; protocol pdu <1-65000> */
static int
gdoi_coop_protocol(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct conf_gdoi_coop *c = conf_gdoi_ctx_coop(ctx);
	bool off = ctx->negate || ctx->dflt;
	const char *ver = cmd_arg(a, "ver");

	if (c == NULL)
		return conf_gdoi_gone(ctx);
	if (cmd_has(a, "version")) {
		if (!off && ver == NULL)
			return CMD_ERR_INCOMPLETE;
		c->version = !off && strcmp(ver, "optimize") == 0 ?
			CONF_GDOI_COOP_OPTIMIZE : CONF_GDOI_COOP_BASE;
		c->has = off ? c->has & ~(unsigned)CONF_GDOI_COOP_HAS_VERSION :
			c->has | CONF_GDOI_COOP_HAS_VERSION;
	} else if (cmd_has(a, "pdu")) {
		if (!off && !cmd_has(a, "size"))
			return CMD_ERR_INCOMPLETE;
		c->pdu = off ? 0 : (uint16_t)cmd_arg_u32(a, "size", 0);
		c->has = off ? c->has & ~(unsigned)CONF_GDOI_COOP_HAS_PDU :
			c->has | CONF_GDOI_COOP_HAS_PDU;
	} else if (off) {
		c->version = CONF_GDOI_COOP_BASE;
		c->pdu = 0;
		c->has &= ~(unsigned)(CONF_GDOI_COOP_HAS_VERSION |
				      CONF_GDOI_COOP_HAS_PDU);
	} else {
		return CMD_ERR_INCOMPLETE;
	}
	conf_gdoi_touch(ctx);
	return CMD_OK;
}

/*
 * Specs and help strings (doc/ios-cli.md §2.7-§2.9: the YANG descriptions;
 * the argument lines are ours where the reference gives none).
 */
#define GDOI_EXT_ACL \
	"{<100-199> | <2000-2699> | WORD}$acl"
#define GDOI_EXT_ACL_HELP \
	"IP extended access list\n" \
	"IP extended access list (expanded range)\n" \
	"Access-list name\n"

const struct cmd_def conf_gdoi_ks_cmds[] = {
	{ MODE_GDOI_SERVER, "address ipv4 A.B.C.D$addr",
	  "Configure server source address\n"
	  "Set ipv4 address of local server\n"
	  "IPv4 address of the local server\n",
	  gdoi_ks_address, 0 },
	{ MODE_GDOI_SERVER,
	  "rekey algorithm {3des-cbc$alg | aes$alg {128$bits | 192$bits | "
	  "256$bits} | des-cbc$alg}",
	  "Configure rekey policy for the group\n"
	  "Set the rekey encryption algorithm\n"
	  "Triple DES in CBC mode\n"
	  "aes encryption methods\n"
	  "128 bit AES\n"
	  "192 bit AES\n"
	  "256 bit AES\n"
	  "DES in CBC mode\n",
	  gdoi_ks_rekey_alg, 0 },
	{ MODE_GDOI_SERVER, "rekey algorithm {aes-128 | aes-192 | aes-256}$alg",
	  "\n"
	  "\n"
	  "128 bit AES\n"
	  "192 bit AES\n"
	  "256 bit AES\n",
	  /* not negatable: `no rekey algorithm` must name one command */
	  gdoi_ks_rekey_alg, CMD_F_HIDDEN | CMD_F_NO_NEGATE },
	{ MODE_GDOI_SERVER, "rekey address ipv4 " GDOI_EXT_ACL,
	  "\n"
	  "Define the rekey packet format\n"
	  "Match ipv4 packets\n"
	  GDOI_EXT_ACL_HELP,
	  gdoi_ks_rekey_acl, 0 },
	{ MODE_GDOI_SERVER,
	  "rekey lifetime {seconds <300-2592000>$sec | days <1-30>$days}",
	  "\n"
	  "Define the rekey lifetime\n"
	  "Time-based key duration in seconds\n"
	  "Rekey lifetime in seconds\n"
	  "Time-based key duration in days\n"
	  "Rekey lifetime in days\n",
	  gdoi_ks_lifetime, 0 },
	{ MODE_GDOI_SERVER,
	  "rekey retransmit <10-60>$period {number <1-10>$num | periodic}",
	  "\n"
	  "Define the rekey retransmission parameters\n"
	  "Number of seconds between retransmits\n"
	  "Retransmit this many times\n"
	  "Number of retransmits\n"
	  "Periodically send retransmit rekeys\n",
	  gdoi_ks_retransmit, 0 },
	{ MODE_GDOI_SERVER, "rekey authentication mypubkey rsa WORD$key",
	  "\n"
	  "Identify the rekey authentication keypair\n"
	  "Identify a keypair associated with this device\n"
	  "Identify an RSA keypair\n"
	  "Keypair label\n",
	  gdoi_ks_rekey_rsa, 0 },
	{ MODE_GDOI_SERVER, "rekey transport unicast",
	  "\n"
	  "Specify the rekey distribution method\n"
	  "specify unicast rekey distribution\n",
	  gdoi_ks_unicast, 0 },
	{ MODE_GDOI_SERVER,
	  "rekey acknowledgement {cisco | interoperable | any}$ack",
	  "\n"
	  "Request group members to acknowledge rekeys\n"
	  "Cisco proprietary acknowledgement\n"
	  "Standard (RFC 8263) acknowledgement\n"
	  "Accept either acknowledgement\n",
	  gdoi_ks_ack, 0 },
	{ MODE_GDOI_SERVER,
	  "rekey sig-hash algorithm {sha | sha256 | sha384 | sha512}$h",
	  "\n"
	  "Set rekey signature-hash parameters\n"
	  "Set the rekey signature-hash algorithm\n"
	  "Secure Hash Standard\n"
	  "Secure Hash Standard 2 (256 bit)\n"
	  "Secure Hash Standard 2 (384 bit)\n"
	  "Secure Hash Standard 2 (512 bit)\n",
	  gdoi_ks_sig_hash, 0 },
	{ MODE_GDOI_SERVER,
	  "authorization address ipv4 {<1-99> | <1300-1999> | WORD}$acl",
	  "Configure authorization for the group\n"
	  "Set authorization by address\n"
	  "Set authorization by IPv4 address\n"
	  "Standard IP access list\n"
	  "Standard IP access list (expanded range)\n"
	  "Access-list name\n",
	  gdoi_ks_auth_acl, 0 },
	{ MODE_GDOI_SERVER, "authorization identity WORD$name",
	  "\n"
	  "Set authorization by identity\n"
	  "Crypto identity name\n",
	  gdoi_ks_auth_id, 0 },
	{ MODE_GDOI_SERVER, "sa ipsec <1-65535>$num",
	  "Configure a security association\n"
	  "Configure an IPsec SA\n"
	  "Sequence number of the SA\n",
	  gdoi_ks_sa, 0 },
	{ MODE_GDOI_SERVER, "sa receive-only",
	  "\n"
	  "Configure SA to work only in inbound direction\n",
	  gdoi_ks_receive_only, 0 },
	{ MODE_GDOI_SERVER, "sa tek id-length <1-2>$octets",
	  "\n"
	  "Set the SA TEK payload format\n"
	  "Width of the SRC/DST ID Data Len fields\n"
	  "Octets: 1 as drawn in RFC 6407 5.5.1, 2 as Wireshark decodes "
	  "(default)\n",
	  gdoi_ks_sat_idlen, 0 },
	{ MODE_GDOI_SERVER, "redundancy",
	  "Enter cooperative key server configuration mode\n",
	  gdoi_ks_redundancy, 0 },
	{ MODE_GDOI_SERVER, "registration interface WORD$ifname",
	  "Configure registration for the group\n"
	  "Identify an interface on which to respond to GKM registrations\n"
	  "Interface name\n",
	  gdoi_ks_reg_if, 0 },
	{ MODE_GDOI_SERVER, "identifier",
	  "Enter Suite-B KSSID (Key Server Sender ID) config mode\n",
	  gdoi_ks_identifier, 0 },
	{ MODE_GDOI_SERVER, "gdoi",
	  "Enable GDOI (ISAKMP) Protocol for Registration & Rekey\n",
	  gdoi_ks_gdoi, 0 },
	{ MODE_GDOI_SERVER, "gikev2 WORD$prof",
	  "Enable G-IKEv2 (IKEv2) Protocol for Registration & Rekey\n"
	  "IKEv2 profile name\n",
	  gdoi_ks_gikev2, 0 },
	{ MODE_GDOI_SERVER, "pfs",
	  "Enable/Disable PFS on KS, By Default its disabled\n",
	  gdoi_ks_pfs, 0 },

	{ MODE_GDOI_SA, "profile WORD$name",
	  "Configure an ipsec profile for the SA\n"
	  "IPsec profile name\n",
	  gdoi_sa_profile, 0 },
	{ MODE_GDOI_SA,
	  "match address {ipv4 " GDOI_EXT_ACL " | ipv6 WORD$acl6}",
	  "Match characteristics of packets to encrypt\n"
	  "Match addresses of packets to encrypt\n"
	  "Match ipv4 packets\n"
	  GDOI_EXT_ACL_HELP
	  "Match ipv6 packets\n"
	  "IPv6 access-list name\n",
	  gdoi_sa_match, 0 },
	{ MODE_GDOI_SA,
	  "replay {counter [window-size {64 | 128 | 256 | 512 | 1024}$cwin] | "
	  "time [window-size <1-100>$twin]}",
	  "Set replay method\n"
	  "Enable anti-replay check for single source traffic by using "
	  "sequence number\n"
	  "Set replay window size.\n"
	  "64 packets\n"
	  "128 packets\n"
	  "256 packets\n"
	  "512 packets\n"
	  "1024 packets\n"
	  "Enable anti-replay check for any traffic by using time\n"
	  "Time based replay window size\n"
	  "Window size in seconds\n",
	  gdoi_sa_replay, 0 },
	{ MODE_GDOI_SA, "tag cts sgt",
	  "Set inline tagging method\n"
	  "Cisco Trust Security\n"
	  "Security Group Tag\n",
	  gdoi_sa_tag, 0 },

	{ MODE_GDOI_COOP, "local priority <1-255>$prio",
	  "Local key server configurations\n"
	  "Set local server priority\n"
	  "Priority value (the highest becomes primary)\n",
	  gdoi_coop_priority, 0 },
	{ MODE_GDOI_COOP, "peer address ipv4 A.B.C.D$addr",
	  "Peer server configurations\n"
	  "Peer server address\n"
	  "Peer server IPv4 addresses\n"
	  "IPv4 address of the peer key server\n",
	  gdoi_coop_peer, 0 },
	{ MODE_GDOI_COOP,
	  "protocol {version {base | optimize}$ver | pdu <1-65000>$size}",
	  "Specify various protocol operational values\n"
	  "Set COOP ANN version\n"
	  "Base COOP announcement format\n"
	  "Optimized COOP announcement format\n"
	  "Maximum size of COOP messages\n"
	  "Size in bytes\n",
	  gdoi_coop_protocol, 0 },
	{ 0, NULL, NULL, NULL, 0 },
};
