/*
 * mode: the CLI modes as data (doc/ios-cli.md §1): prompt suffix, parent mode
 * for `exit` and for parent-mode fallback, and the `?` heading.
 */
#ifndef PARSER_MODE_H
#define PARSER_MODE_H

enum cmd_mode {
	MODE_USER_EXEC,		/* Router> */
	MODE_EXEC,		/* Router# */
	MODE_CONFIG,		/* Router(config)# */
	MODE_ISAKMP_POLICY,	/* (config-isakmp)# */
	MODE_TRANSFORM_SET,	/* (cfg-crypto-trans)# */
	MODE_IPSEC_PROFILE,	/* (ipsec-profile)# */
	MODE_ACL_EXT,		/* (config-ext-nacl)# */
	MODE_ACL_STD,		/* (config-std-nacl)# */
	MODE_INTERFACE,		/* (config-if)# */
	MODE_LINE,		/* (config-line)# (accepted for automation tools) */
	MODE_GDOI_GROUP,	/* (config-gkm-group)# */
	MODE_GDOI_SERVER,	/* (gkm-local-server)# */
	MODE_GDOI_SA,		/* (gkm-sa-ipsec)# */
	MODE_GDOI_COOP,		/* (gdoi-coop-ks-config)# */
	MODE_CRYPTO_MAP,	/* (config-crypto-map)# */
	MODE_CRYPTO_MAP_FC,	/* (crypto-map-fail-close)# */
	MODE_PKI_TRUSTPOINT,	/* (ca-trustpoint)# */
	MODE_KEYRING,		/* (conf-keyring)# */
	MODE_COUNT
};

struct cmd_mode_info {
	enum cmd_mode id;
	const char *prompt;	/* "" for exec modes, "config-gkm-group" ... */
	enum cmd_mode parent;	/* MODE_EXEC for config; itself for exec */
	const char *heading;	/* first line of `?` on an empty line */
};

const struct cmd_mode_info *cmd_mode_info(enum cmd_mode m);
/* True for config modes (everything below MODE_EXEC). */
int cmd_mode_is_config(enum cmd_mode m);

#endif
