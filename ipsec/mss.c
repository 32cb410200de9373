/*
 * mss: TCP MSS clamping on SYNs (see ipsec/mss.h).
 */
#include "ipsec/mss.h"

#include "platform/csum.h"

#define TCP_FLAG_SYN 0x02
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2

bool
mss_clamp(uint8_t *pkt, size_t len, uint16_t mss)
{
	size_t ihl, thl;
	uint8_t *tcp;

	if (mss == 0 || len < 20 || (pkt[0] >> 4) != 4 || pkt[9] != 6)
		return false;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	/* only the first fragment (offset 0) carries the TCP header */
	if (ihl < 20 || len < ihl + 20 || ((pkt[6] & 0x1f) | pkt[7]) != 0)
		return false;
	tcp = pkt + ihl;
	thl = (size_t)(tcp[12] >> 4) * 4;
	if (!(tcp[13] & TCP_FLAG_SYN) || thl < 20 || len < ihl + thl)
		return false;
	for (size_t i = 20; i < thl;) {
		uint8_t kind = tcp[i];
		uint16_t old;

		if (kind == TCP_OPT_END)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= thl || tcp[i + 1] < 2 || i + tcp[i + 1] > thl)
			break;
		if (kind == TCP_OPT_MSS && tcp[i + 1] == 4) {
			old = (uint16_t)(tcp[i + 2] << 8 | tcp[i + 3]);
			if (old <= mss)
				return false;
			tcp[i + 2] = (uint8_t)(mss >> 8);
			tcp[i + 3] = (uint8_t)mss;
			csum_replace16(tcp + 16, old, mss);
			return true;
		}
		i += tcp[i + 1];
	}
	return false;
}
