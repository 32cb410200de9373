/*
 * phase1_msg: Main Mode messages 1-4.  Internal to gdoi/phase1*.c.
 */
#ifndef GDOI_PHASE1_MSG_H
#define GDOI_PHASE1_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdoi/buf.h"
#include "gdoi/isakmp.h"
#include "gdoi/phase1_sa.h"

/* Builders return 0/-1; *notify says what went wrong. */
int p1_msg1_build(struct p1_sa *sa, struct buf_writer *out);
int p1_msg1_process(struct p1_sa *sa, const struct isakmp_hdr *h,
		    const uint8_t *msg, size_t len, uint16_t *notify);
int p1_msg2_build(struct p1_sa *sa, struct buf_writer *out);
enum p1_result p1_msg2_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);
enum p1_result p1_msg3_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);
enum p1_result p1_msg4_process(struct p1_sa *sa, const struct isakmp_hdr *h,
			       const uint8_t *msg, size_t len,
			       struct buf_writer *out);

#endif
