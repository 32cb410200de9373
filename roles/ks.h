/*
 * ks: the key server role: every key server group of this process
 * (`crypto gdoi group` + `server local`), each with its key state
 * (roles/ks_gen.h), member database and rekey schedule.  It answers the
 * GDOI endpoint's key server callbacks itself (ks_new registers them),
 * follows the running-config through ks_apply(), pushes rekeys on the
 * event loop's timers, and prints the key server show commands.
 */
#ifndef ROLES_KS_H
#define ROLES_KS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf;
struct conf_changes;
struct evloop;
struct gdoi_policy;
struct ike;
struct keystore;
struct ks;

/* A key server on loop answering through ike (its KS callbacks). */
struct ks *ks_new(struct evloop *loop, struct ike *ike);
void ks_free(struct ks *ks);
/* Keep each group's key state in a file of directory dir (made 0700 if
 * missing) so a restart continues the group (doc/ks-state.md); the
 * files are sealed with the secret in secret_dir (made on first use).
 * Before the first ks_apply.  -1 with err set: no state is kept. */
int ks_keep_state(struct ks *ks, const char *dir, const char *secret_dir,
		  char *err, size_t errlen);

/* Follow the config: create, adjust (those ch touches) and remove
 * groups; listen on their addresses (between ike_listen_begin/end). */
void ks_apply(struct ks *ks, const struct conf *c,
	      const struct conf_changes *ch, const struct keystore *keys);

/* A GROUPKEY-PUSH-ACK datagram (RFC 8263) from peer, not yet checked. */
void ks_ack_input(struct ks *ks, uint32_t peer, const uint8_t *p, size_t len);

/* clear crypto gdoi [group NAME]: forget the members, fresh keys. */
void ks_clear(struct ks *ks, const char *group);
/* clear crypto gdoi ks members [now]: remove every member by a rekey
 * with Delete payloads (now: at once, else with the next TEKs). */
void ks_clear_members(struct ks *ks, bool now);
/* clear crypto gdoi ks cooperative role: every COOP group of this key
 * server elects again (doc/coop.md "Election"). */
void ks_coop_reelect(struct ks *ks);
/* crypto gdoi ks rekey [group NAME] [replace-now]: new TEKs pushed now;
 * replace-now cuts the old ones as a policy change does.  -1 with err
 * when no such ready group. */
int ks_rekey_now(struct ks *ks, const char *group, bool replace_now,
		 char *err, size_t errlen);

/* The policy a member registering now would receive (keys included),
 * in a buffer of ks valid until the next call; NULL when group is not a
 * ready key server group.  For tests. */
const struct gdoi_policy *ks_policy_now(struct ks *ks, const char *group);

/* show crypto gdoi (KS part): one object per group into the open list;
 * the KEK rows of show crypto gdoi rekey sa (the caller prints the
 * header) */
struct showout;
void ks_show_gdoi(const struct ks *ks, const char *group, struct showout *o);
/* COOP datagram from a key server (address in network order). */
void ks_coop_input(struct ks *ks, uint32_t from, const uint8_t *p, size_t len);
/* Is peer a COOP peer of a group whose key server address is local
 * (0: any; network order)? */
bool ks_coop_is_peer(const struct ks *ks, uint32_t local, uint32_t peer);
/* The COOP announcement period of every group of this process, in ms
 * (getvpn -A; 0: the IOS 20 s).  Set before the config is applied. */
void ks_coop_set_period(uint32_t ms);
/* show crypto gdoi ks members summary (roles/ks_members_summary.c) */
void ks_show_members_summary(const struct ks *ks, struct showout *o);
void ks_show_rekey_sa(const struct ks *ks, bool detail, struct showout *o);
/* show crypto isakmp sa: the KEK of each group as a GDOI_REKEY line. */
void ks_show_isakmp(const struct ks *ks, struct showout *o);

/* Numbers for tests and benchmarks. */
struct ks_stats {
	size_t members;
	unsigned long registrations;	/* completed, since the start */
	unsigned long rekeys_sent;	/* rekeys of the group */
	unsigned long signatures;	/* RSA signatures (all groups) */
	unsigned long datagrams;	/* rekey datagrams sent (all groups) */
	unsigned long acks_dropped;	/* ACKs refused (all groups) */
	unsigned acks_last;		/* ACKs of the last rekey */
	unsigned retx_last;		/* retransmissions of the last rekey */
	uint64_t duration_ms;		/* decision to last ACK, last rekey */
	uint32_t seq;			/* last SEQ under the current KEK */
	uint32_t tek_gen;		/* TEK generations made */
	unsigned signers;		/* signing pairs held (ks_signer.c) */
	bool ready;
};
/* -1 when there is no key server group name. */
int ks_stats(const struct ks *ks, const char *group, struct ks_stats *st);

#endif
