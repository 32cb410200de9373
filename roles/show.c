/*
 * show: the pieces several roles' show commands print alike (roles/show.h):
 * SA rows, group paths, KEK SPIs.  The commands themselves are in the file
 * of each role; roles/show_tables.c lists them.
 */
#include "roles/show.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "gdoi/policy.h"
#include "platform/showout.h"

void
show_sa_row(struct showout *o, uint32_t dst, uint32_t src, const char *state,
	    unsigned conn_id)
{
	char d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &dst, d, sizeof(d));
	inet_ntop(AF_INET, &src, s, sizeof(s));
	showout_obj(o, NULL);
	showout_str(o, "dst", d, "%-15s ", d);
	showout_str(o, "src", s, "%-15s ", s);
	if (state != NULL) {
		showout_str(o, "state", state, "%-14s ", state);
		showout_u64(o, "conn_id", conn_id, "%7u ", conn_id);
	} else {
		showout_u64(o, "conn_id", conn_id, "%-15u ", conn_id);
	}
	showout_str(o, "status", "ACTIVE", "%s\n", "ACTIVE");
	showout_end(o);
}

_Static_assert(SHOW_KEK_SPI_LEN == 2 * GDOI_KEK_SPI_LEN + 3,
	       "SHOW_KEK_SPI_LEN holds a KEK SPI in hex");

void
show_kek_spi(const uint8_t *spi, char *out)
{
	out += sprintf(out, "0x");
	for (size_t i = 0; i < GDOI_KEK_SPI_LEN; i++)
		out += sprintf(out, "%02X", spi[i]);
}

void
show_group_paths(struct showout *o)
{
	showout_str(o, "group_type", "GDOI (ISAKMP)",
		    "    Group Type               : %s\n", "GDOI (ISAKMP)");
	showout_str(o, "crypto_path", "ipv4",
		    "    Crypto Path              : %s\n", "ipv4");
	showout_str(o, "key_management_path", "ipv4",
		    "    Key Management Path      : %s\n", "ipv4");
}
