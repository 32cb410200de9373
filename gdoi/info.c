/*
 * info: protected Informational messages (see gdoi/info.h).  Built and
 * opened with the same framing as GROUPKEY-PULL (gdoi/pull_msg.c), since
 * both are "HDR*, HASH(1), payloads" under the Phase 1 keys.
 */
#include "gdoi/info.h"

#include <string.h>

#include "gdoi/isakmp.h"
#include "gdoi/payload.h"
#include "gdoi/phase1.h"
#include "gdoi/pull_msg.h"
#include "platform/be.h"

static const struct isakmp_spec info_notify_spec = {
	.name = "Informational", .required = ISAKMP_PL(ISAKMP_PAYLOAD_N),
};
static const struct isakmp_spec info_delete_spec = {
	.name = "Informational", .required = ISAKMP_PL(ISAKMP_PAYLOAD_D),
};

/* The SPI naming the ISAKMP SA itself: its cookies. */
static void
sa_spi(const struct p1_sa *p1, uint8_t spi[ISAKMP_SPI_LEN])
{
	memcpy(spi, p1_sa_icookie(p1), ISAKMP_COOKIE_LEN);
	memcpy(spi + ISAKMP_COOKIE_LEN, p1_sa_rcookie(p1), ISAKMP_COOKIE_LEN);
}

struct notify_arg {
	const struct p1_sa *p1;
	uint16_t type;
	const uint8_t *data;
	size_t len;
};

static int
put_notify(struct isakmp_builder *b, const void *arg)
{
	const struct notify_arg *a = arg;
	uint8_t spi[ISAKMP_SPI_LEN];
	struct payload_notify n = {
		.doi = ISAKMP_DOI_GDOI, .proto = ISAKMP_PROTO_ISAKMP,
		.type = a->type, .spi = spi, .spi_len = sizeof(spi),
		.data = a->data, .data_len = a->len,
	};

	sa_spi(a->p1, spi);
	return payload_notify_put(b, &n);
}

int
info_notify(const struct p1_sa *p1, uint16_t type, const uint8_t *data,
	    size_t len, struct buf_writer *out)
{
	struct notify_arg a = { p1, type, data, len };

	return pull_msg_single(p1, ISAKMP_EXCH_INFO, put_notify, &a, out);
}

int
info_dpd(const struct p1_sa *p1, bool ack, uint32_t seq, struct buf_writer *out)
{
	uint8_t s[4];

	be32_put(s, seq);
	return info_notify(p1, ack ? ISAKMP_N_DPD_R_U_THERE_ACK
			   : ISAKMP_N_DPD_R_U_THERE, s, sizeof(s), out);
}

static int
put_delete(struct isakmp_builder *b, const void *arg)
{
	uint8_t spi[ISAKMP_SPI_LEN];
	struct payload_delete d = {
		.doi = ISAKMP_DOI_GDOI, .proto = ISAKMP_PROTO_ISAKMP,
		.spi_size = ISAKMP_SPI_LEN, .nspi = 1, .spis = spi,
	};

	sa_spi(arg, spi);
	return payload_delete_put(b, &d);
}

int
info_delete(const struct p1_sa *p1, struct buf_writer *out)
{
	return pull_msg_single(p1, ISAKMP_EXCH_INFO, put_delete, p1, out);
}

static int
read_delete(const struct pull_msg_in *m, const struct p1_sa *p1,
	    struct info_msg *out)
{
	const struct isakmp_payload *pl = pull_msg_find(m, ISAKMP_PAYLOAD_D);
	uint8_t spi[ISAKMP_SPI_LEN];
	struct payload_delete d;

	sa_spi(p1, spi);
	if (payload_delete_decode(pl->body, pl->body_len, &d) < 0 ||
	    d.proto != ISAKMP_PROTO_ISAKMP || d.spi_size != ISAKMP_SPI_LEN ||
	    memcmp(payload_delete_spi(&d, 0), spi, sizeof(spi)) != 0)
		return -1;
	out->kind = INFO_DELETE;
	return 0;
}

static int
read_notify(const struct pull_msg_in *m, struct info_msg *out)
{
	const struct isakmp_payload *pl = pull_msg_find(m, ISAKMP_PAYLOAD_N);
	struct payload_notify n;

	if (payload_notify_decode(pl->body, pl->body_len, &n) < 0)
		return -1;
	out->kind = INFO_NOTIFY;
	out->type = n.type;
	if (n.data_len == 4) {
		out->has_seq = true;
		out->seq = be32_get(n.data);
	}
	return 0;
}

int
info_decode(const struct p1_sa *p1, const uint8_t *in, size_t len,
	    struct info_msg *out)
{
	struct pull_msg_in m;
	struct pull_p1 v;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (pull_p1_view(p1, &v) < 0 ||
	    pull_msg_open(&m, &v, ISAKMP_EXCH_INFO, in, len, NULL) < 0)
		return -1;
	if (pull_msg_verify(&m, &v, NULL, 0) < 0)
		goto out;
	if (pull_msg_match(&m, &info_notify_spec))
		rc = read_notify(&m, out);
	else if (pull_msg_match(&m, &info_delete_spec))
		rc = read_delete(&m, p1, out);
out:
	pull_msg_close(&m);
	return rc;
}
