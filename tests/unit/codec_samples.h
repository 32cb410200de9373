/*
 * codec_samples: helpers shared by the codec suite (see codec_samples.c).
 */
#ifndef TESTS_CODEC_SAMPLES_H
#define TESTS_CODEC_SAMPLES_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/gdoi_sa.h"
#include "gdoi/isakmp.h"
#include "gdoi/kd.h"
#include "gdoi/payload.h"

extern const uint8_t codec_icookie[8];
extern const uint8_t codec_rcookie[8];
extern const uint8_t codec_dpd_vid[16];

/* Samples: a Phase 1 offer of 4 transforms, SA(SAK, [GAP], 2 SATs), a
 * KD with 2 TEKs, a KEK and 2 SIDs. */
void codec_sample_p1sa(struct payload_sa *sa, uint32_t doi);
void codec_sample_gdoi_sa(struct gdoi_sa *sa, bool gap);
void codec_sample_kd(struct gdoi_kd *kd);
void codec_fill(uint8_t *p, size_t n, uint8_t seed);

/* Field-by-field comparisons (Check assertions). */
void codec_sak_eq(const struct gdoi_sak *a, const struct gdoi_sak *b);
void codec_sat_eq(const struct gdoi_sat *a, const struct gdoi_sat *b);
void codec_gdoi_sa_eq(const struct gdoi_sa *a, const struct gdoi_sa *b);
void codec_kd_eq(const struct gdoi_kd *a, const struct gdoi_kd *b);

/* A message under construction: header at hoff, chain builder b. */
struct codec_msg {
	struct buf_writer w;
	struct isakmp_builder b;
	size_t hoff;
};

void codec_msg_begin(struct codec_msg *m, uint8_t exch, uint8_t flags,
		     uint32_t msgid);
void codec_msg_end(struct codec_msg *m);
/* The decoder for pl->type (exch picks the Phase 1 or GDOI SA). */
int codec_decode_payload(const struct isakmp_payload *pl, uint8_t exch);
/* Header, chain and every payload decoder: 0 decoded, -1 rejected. */
int codec_decode_msg(const uint8_t *p, size_t len, struct isakmp_chain *c);
/* A heap copy of exactly len octets, so ASan sees any overread. */
uint8_t *codec_exact_copy(const uint8_t *p, size_t len);

/*
 * tshark 4.0 reads a Phase 1 SA with DOI 2 in the GDOI layout and stops
 * there, and skips what follows a GAP inside an SA: the DOI 1 offer and
 * the SA without GAP let the dissector check the proposal, transform
 * and SAT layouts too.
 */
enum codec_canned { CODEC_P1_MSG1, CODEC_PULL_MSG2, CODEC_PULL_MSG4,
	      CODEC_PULL_MSG2_NOGAP, CODEC_P1_MSG1_DOI1, CODEC_CANNED_COUNT };

void codec_canned_build(enum codec_canned k, struct codec_msg *m);

/* Test cases of codec_framing.c: buf, attributes, header, chains. */
TCase *codec_tcase_framing(void);
/* Test cases of codec_pcap.c: the capture writer and check-capture. */
TCase *codec_tcase_pcap(void);

#endif
