/*
 * mode: the table of CLI modes (doc/ios-cli.md §1).  Prompt suffixes are the
 * IOS-XE names, which Cisco's automation (unicon) recognises as config
 * prompts (doc/ios-cli.md §1.1); the classic 12.4/15.x names of the GDOI
 * modes are not offered.
 */
#include "parser/mode.h"

static const struct cmd_mode_info modes[MODE_COUNT] = {
	[MODE_USER_EXEC] = { MODE_USER_EXEC, "", MODE_USER_EXEC, "Exec commands:" },
	[MODE_EXEC] = { MODE_EXEC, "", MODE_EXEC, "Exec commands:" },
	[MODE_CONFIG] = { MODE_CONFIG, "config", MODE_EXEC, "Configure commands:" },
	[MODE_ISAKMP_POLICY] = { MODE_ISAKMP_POLICY, "config-isakmp", MODE_CONFIG,
		"ISAKMP commands:" },
	[MODE_TRANSFORM_SET] = { MODE_TRANSFORM_SET, "cfg-crypto-trans", MODE_CONFIG,
		"Crypto transform configuration commands:" },
	[MODE_IPSEC_PROFILE] = { MODE_IPSEC_PROFILE, "ipsec-profile", MODE_CONFIG,
		"Crypto Map configuration commands:" },
	[MODE_ACL_EXT] = { MODE_ACL_EXT, "config-ext-nacl", MODE_CONFIG,
		"Ext Access List configuration commands:" },
	[MODE_ACL_STD] = { MODE_ACL_STD, "config-std-nacl", MODE_CONFIG,
		"Standard Access List configuration commands:" },
	[MODE_INTERFACE] = { MODE_INTERFACE, "config-if", MODE_CONFIG,
		"Interface configuration commands:" },
	[MODE_LINE] = { MODE_LINE, "config-line", MODE_CONFIG,
		"Line configuration commands:" },
	[MODE_GDOI_GROUP] = { MODE_GDOI_GROUP, "config-gkm-group", MODE_CONFIG,
		"GKM group configuration commands:" },
	[MODE_GDOI_SERVER] = { MODE_GDOI_SERVER, "gkm-local-server", MODE_GDOI_GROUP,
		"GKM local server configuration commands:" },
	[MODE_GDOI_SA] = { MODE_GDOI_SA, "gkm-sa-ipsec", MODE_GDOI_SERVER,
		"GKM SA IPSEC configuration commands:" },
	[MODE_GDOI_COOP] = { MODE_GDOI_COOP, "gdoi-coop-ks-config", MODE_GDOI_SERVER,
		"GDOI COOP KS configuration commands:" },
	[MODE_CRYPTO_MAP] = { MODE_CRYPTO_MAP, "config-crypto-map", MODE_CONFIG,
		"Crypto Map configuration commands:" },
	[MODE_CRYPTO_MAP_FC] = { MODE_CRYPTO_MAP_FC, "crypto-map-fail-close", MODE_CONFIG,
		"Crypto Map Fail Close configuration commands:" },
	[MODE_PKI_TRUSTPOINT] = { MODE_PKI_TRUSTPOINT, "ca-trustpoint", MODE_CONFIG,
		"CA trustpoint configuration commands:" },
	[MODE_KEYRING] = { MODE_KEYRING, "conf-keyring", MODE_CONFIG,
		"Keyring configuration commands:" },
};

const struct cmd_mode_info *
cmd_mode_info(enum cmd_mode m)
{
	return &modes[m < MODE_COUNT ? m : MODE_EXEC];
}

int
cmd_mode_is_config(enum cmd_mode m)
{
	return m >= MODE_CONFIG && m < MODE_COUNT;
}
