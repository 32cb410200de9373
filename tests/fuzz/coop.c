/*
 * Fuzz target (libFuzzer, `make fuzz`): what a COOP key server takes from
 * a peer once Phase 1 has opened the datagram (gdoi/coop.h, doc/coop.md).
 * Octet 0 picks:
 *   0  the rest as a COOP chain: coop_peek_group, then coop_open
 *      (framing, version and TLVs are read before the signature is
 *      checked), and on success every member record
 *   1  the rest as the sealed key state of a SYNC: coop_unseal under the
 *      group's pair
 */
#include <stdint.h>
#include <string.h>

#include "gdoi/coop.h"
#include "gdoi/coop_seal.h"
#include "gdoi/rsakey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rsakey *key;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536];
	struct coop_msg m;
	struct coop_member rec;
	uint32_t group;
	size_t outlen = sizeof(out);

	if (key == NULL && (key = rsakey_generate(1024)) == NULL)
		return 0;
	if (size < 1)
		return 0;
	switch (data[0] % 2) {
	case 0:
		(void)coop_peek_group(data + 1, size - 1, &group);
		memset(&m, 0, sizeof(m));
		if (coop_open(data + 1, size - 1, key, &m) == COOP_OK)
			for (size_t i = 0; i < m.nmembers; i++)
				coop_member_get(&m, i, &rec);
		break;
	case 1:
		(void)coop_unseal(key, data + 1, size - 1, out, &outlen);
		break;
	}
	return 0;
}
