/*
 * Fuzz target (libFuzzer, `make fuzz`): the GDOI/ISAKMP decoders a peer
 * reaches before any key is involved (RFC 2408 header and payload chain,
 * SA/ID/Nonce/CERT/N/D bodies, the GDOI SA with SAK/GAP/SATs and the
 * policy built from it, KD + SEQ and the keys taken from them).  Input
 * octet 0 picks the decoder, octet 1 splits the rest where two bodies
 * are needed.
 */
#include <stdint.h>
#include <string.h>

#include "gdoi/gdoi_sa.h"
#include "gdoi/isakmp.h"
#include "gdoi/kd.h"
#include "gdoi/payload.h"
#include "gdoi/policy.h"
#include "gdoi/policy_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
message(const uint8_t *m, size_t len)
{
	struct isakmp_hdr h;
	struct isakmp_chain c;
	uint16_t notify = 0;

	if (isakmp_hdr_decode(&h, m, len, &notify) == 0)
		isakmp_chain_parse(&c, h.next, m + ISAKMP_HDR_LEN,
				   len - ISAKMP_HDR_LEN);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gdoi_policy p;
	struct payload_sa sa;
	struct payload_id id;
	struct payload_cert cert;
	struct payload_notify n;
	struct payload_delete d;
	struct gdoi_sa gsa;
	struct gdoi_kd kd;
	uint32_t seq;
	size_t cut;

	if (size < 2)
		return 0;
	cut = data[1] < size - 2 ? data[1] : size - 2;
	switch (data[0] % 10) {
	case 0: message(data + 2, size - 2); break;
	case 1: payload_sa_decode(data + 2, size - 2, &sa); break;
	case 2: payload_id_decode(data + 2, size - 2, &id); break;
	case 3: payload_nonce_decode(data + 2, size - 2); break;
	case 4: payload_cert_decode(data + 2, size - 2, &cert); break;
	case 5: payload_notify_decode(data + 2, size - 2, &n); break;
	case 6:
		if (payload_delete_decode(data + 2, size - 2, &d) == 0 &&
		    d.nspi > 0)
			(void)payload_delete_spi(&d, d.nspi - 1);
		break;
	case 7:
		if (gdoi_sa_decode(data + 2, size - 2, &gsa) == 0)
			policy_codec_from_sa(&gsa, &p);
		break;
	case 8:
		if (gdoi_kd_decode(data + 2, size - 2, &kd) == 0)
			gdoi_kd_free(&kd);
		(void)gdoi_seq_decode(data + 2, size - 2, &seq);
		break;
	case 9:
		policy_codec_keys_decode(&p, data + 2, cut, data + 2 + cut,
					 size - 2 - cut);
		break;
	}
	gdoi_policy_wipe(&p);
	return 0;
}
