/*
 * csum: the Internet checksum (see platform/csum.h).
 *
 * RFC 1071 §2(B): the one's-complement sum does not depend on byte
 * order, so the bulk is added as native 32-bit words into a 64-bit
 * accumulator and the folded 16-bit result is turned into network order
 * once.  RFC 1624 gives the incremental update.
 */
#include "platform/csum.h"

#include <arpa/inet.h>
#include <string.h>

/* Fold a 64-bit one's-complement accumulator to 16 bits. */
static uint16_t
csum_fold64(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

uint32_t
csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t acc = 0, a[4] = { 0, 0, 0, 0 };
	uint32_t w[8];
	uint16_t h;

	/* four independent chains, so that the adds overlap: 32 octets a
	 * turn; a chain cannot overflow in fewer than 2^31 turns (64 GiB) */
	for (; len >= sizeof(w); b += sizeof(w), len -= sizeof(w)) {
		memcpy(w, b, sizeof(w));
		a[0] += (uint64_t)w[0] + w[4];
		a[1] += (uint64_t)w[1] + w[5];
		a[2] += (uint64_t)w[2] + w[6];
		a[3] += (uint64_t)w[3] + w[7];
	}
	acc = csum_fold64(a[0]) + csum_fold64(a[1]) + csum_fold64(a[2]) +
	      csum_fold64(a[3]);
	for (; len >= 4; b += 4, len -= 4) {
		memcpy(w, b, 4);
		acc += w[0];
	}
	if (len >= 2) {
		memcpy(&h, b, sizeof(h));
		acc += h;
		b += 2;
		len -= 2;
	}
	if (len == 1) {
		/* the odd last octet is the high half of a word */
		uint8_t pad[2] = { b[0], 0 };

		memcpy(&h, pad, sizeof(h));
		acc += h;
	}
	return sum + ntohs(csum_fold64(acc));
}

uint16_t
csum_fold_partial(uint32_t sum)
{
	return csum_fold64(sum);
}

uint16_t
csum_fold(uint32_t sum)
{
	return (uint16_t)~csum_fold64(sum);
}

uint32_t
csum_pseudo4(const uint8_t *ip, uint8_t proto, size_t l4len)
{
	return csum_add(0, ip + 12, 8) + proto + (uint32_t)(l4len & 0xffff) +
	       (uint32_t)(l4len >> 16);
}

void
csum_replace16(uint8_t *field, uint16_t old, uint16_t new)
{
	uint32_t s = (uint16_t)~(field[0] << 8 | field[1]);

	s += (uint16_t)~old;
	s += new;
	s = (uint16_t)~csum_fold64(s);
	field[0] = (uint8_t)(s >> 8);
	field[1] = (uint8_t)s;
}

void
csum_ipv4_header(uint8_t *ip, size_t ihl)
{
	uint16_t c;

	ip[10] = ip[11] = 0;
	c = csum_fold(csum_add(0, ip, ihl));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}
