/*
 * The key server's member journal (roles/ks_journal.h, doc/ks-state.md
 * "The member journal"): records written and replayed are the same members and sender
 * IDs, in order; a journal cut at every length replays the records
 * before the cut and says "truncated record"; every octet altered
 * stops the replay at the record that holds it (or refuses the journal
 * when it is in the header); records of another group, another secret
 * or another state file do not check; garbage after the last record is
 * cut, the records before it kept.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roles/ks_journal.h"
#include "roles/members.h"

Suite *suite_ks_journal(void);

#define NREC 4

static const uint8_t secret[KS_STATE_SECRET_LEN] = { 9, 8, 7 };
static const uint8_t tag[KS_JOURNAL_TAG_LEN] = { 0xaa, 0xbb };

struct seen {
	struct ks_journal_rec rec[16];
	size_t n;
};

static void
collect(void *arg, const struct ks_journal_rec *r)
{
	struct seen *s = arg;

	if (s->n < 16)
		s->rec[s->n++] = *r;
}

/* Header, then member 10.0.0.i and its sender ID i, for i in 1..2. */
static void
journal(const char *group, const uint8_t *sec, const uint8_t *t,
	struct buf_writer *w, size_t *ends)
{
	struct ks_journal_key k;
	struct members *ms = members_new();
	uint32_t idx = 0;

	ck_assert_int_eq(ks_journal_key(sec, group, t, &k), 0);
	ks_journal_header(&k, w);
	for (uint32_t i = 1; i <= NREC / 2; i++) {
		struct member *m = members_get(ms, htonl(0x0a000000 + i));

		m->port = 848;
		m->registrations = i;
		m->nsid = 1;
		m->sid[0] = i;
		snprintf(m->version, sizeof(m->version), "1.0.%u", i);
		ck_assert_int_eq(ks_journal_sids(&k, idx++, &i, 1, w), 0);
		if (ends)
			ends[idx - 1] = buf_len(w);
		ck_assert_int_eq(ks_journal_member(&k, idx++, m, w), 0);
		if (ends)
			ends[idx - 1] = buf_len(w);
	}
	members_free(ms);
}

static size_t
replay(const char *group, const uint8_t *d, size_t len, struct seen *s,
       size_t *good, const char **why)
{
	struct ks_journal_key k;

	memset(s, 0, sizeof(*s));
	ck_assert_int_eq(ks_journal_key(secret, group, tag, &k), 0);
	return ks_journal_replay(&k, d, len, collect, s, good, why);
}

START_TEST(test_round_trip)
{
	struct buf_writer w;
	struct seen s;
	const char *why;
	size_t good;

	buf_writer_init(&w);
	journal("G", secret, tag, &w, NULL);
	ck_assert_uint_eq(replay("G", buf_data(&w), buf_len(&w), &s, &good,
				 &why), NREC);
	ck_assert_ptr_null(why);
	ck_assert_uint_eq(good, buf_len(&w));
	ck_assert_int_eq(s.rec[0].type, KS_JOURNAL_SIDS);
	ck_assert_uint_eq(s.rec[0].sid[0], 1);
	ck_assert_int_eq(s.rec[3].type, KS_JOURNAL_MEMBER);
	ck_assert_uint_eq(s.rec[3].member.addr, htonl(0x0a000002));
	ck_assert_uint_eq(s.rec[3].member.registrations, 2);
	ck_assert_uint_eq(s.rec[3].member.port, 848);
	ck_assert_uint_eq(s.rec[3].member.nsid, 1);
	ck_assert_uint_eq(s.rec[3].member.sid[0], 2);
	ck_assert_str_eq(s.rec[3].member.version, "1.0.2");
	/* a header alone: nothing to replay, nothing wrong */
	ck_assert_uint_eq(replay("G", buf_data(&w), KS_JOURNAL_HDR_LEN, &s,
				 &good, &why), 0);
	ck_assert_ptr_null(why);
	buf_writer_free(&w);
}
END_TEST

/* Cut at every length: the records that end before the cut. */
START_TEST(test_every_prefix)
{
	struct buf_writer w;
	size_t ends[NREC], good, n;
	struct seen s;
	const char *why;

	buf_writer_init(&w);
	journal("G", secret, tag, &w, ends);
	for (size_t len = 0; len < buf_len(&w); len++) {
		size_t want = 0;

		while (want < NREC && ends[want] <= len)
			want++;
		n = replay("G", buf_data(&w), len, &s, &good, &why);
		ck_assert_uint_eq(n, want);
		ck_assert_uint_eq(s.n, want);
		if (len < KS_JOURNAL_HDR_LEN) {
			ck_assert_str_eq(why, "not a journal");
			ck_assert_uint_eq(good, 0);
		} else if (len == (want ? ends[want - 1] : KS_JOURNAL_HDR_LEN)) {
			ck_assert_ptr_null(why);
		} else {
			ck_assert_str_eq(why, "truncated record");
			ck_assert_uint_eq(good, want ? ends[want - 1]
					  : KS_JOURNAL_HDR_LEN);
		}
	}
	buf_writer_free(&w);
}
END_TEST

/* Every octet altered: the header refuses the journal, a record stops
 * the replay before it. */
START_TEST(test_every_octet_altered)
{
	struct buf_writer w;
	size_t ends[NREC], good, n;
	struct seen s;
	const char *why;
	uint8_t *d;

	buf_writer_init(&w);
	journal("G", secret, tag, &w, ends);
	d = malloc(buf_len(&w));
	for (size_t i = 0; i < buf_len(&w); i++) {
		size_t rec = 0;

		memcpy(d, buf_data(&w), buf_len(&w));
		d[i] ^= 0x10;
		while (rec < NREC && ends[rec] <= i)
			rec++;
		n = replay("G", d, buf_len(&w), &s, &good, &why);
		ck_assert_ptr_nonnull(why);
		if (i < KS_JOURNAL_HDR_LEN) {
			ck_assert_uint_eq(n, 0);
			ck_assert_uint_eq(good, 0);
		} else {
			ck_assert_msg(n == rec, "octet %zu: %zu records", i, n);
			ck_assert_uint_eq(good, rec ? ends[rec - 1]
					  : KS_JOURNAL_HDR_LEN);
		}
	}
	free(d);
	buf_writer_free(&w);
}
END_TEST

/* Another group, secret or state file; records moved; garbage after. */
START_TEST(test_foreign_and_garbage)
{
	static const uint8_t other_secret[KS_STATE_SECRET_LEN] = { 1 };
	static const uint8_t other_tag[KS_JOURNAL_TAG_LEN] = { 0xab };
	struct buf_writer w;
	size_t ends[NREC], good;
	struct seen s;
	const char *why;
	uint8_t *d;

	buf_writer_init(&w);
	journal("H", secret, tag, &w, NULL);
	ck_assert_uint_eq(replay("G", buf_data(&w), buf_len(&w), &s, &good,
				 &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "checksum mismatch"));
	ck_assert_uint_eq(good, KS_JOURNAL_HDR_LEN);
	buf_writer_reset(&w);
	journal("G", other_secret, tag, &w, NULL);
	ck_assert_uint_eq(replay("G", buf_data(&w), buf_len(&w), &s, &good,
				 &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "checksum mismatch"));
	buf_writer_reset(&w);
	journal("G", secret, other_tag, &w, NULL);
	ck_assert_uint_eq(replay("G", buf_data(&w), buf_len(&w), &s, &good,
				 &why), 0);
	ck_assert_str_eq(why, "it follows another state file");
	ck_assert_uint_eq(good, 0);
	/* the second record in the first's place */
	buf_writer_reset(&w);
	journal("G", secret, tag, &w, ends);
	d = malloc(buf_len(&w));
	memcpy(d, buf_data(&w), buf_len(&w));
	memcpy(d + KS_JOURNAL_HDR_LEN, buf_data(&w) + ends[0],
	       ends[1] - ends[0]);
	ck_assert_uint_eq(replay("G", d, ends[1] - ends[0] + KS_JOURNAL_HDR_LEN,
				 &s, &good, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "checksum mismatch"));
	free(d);
	/* garbage after the last record: cut, the records kept */
	buf_put_bytes(&w, "\x00\x05garbage-garbage-garbage-garbage-garbage-"
		      "garbage", 50);
	ck_assert_uint_eq(replay("G", buf_data(&w), buf_len(&w), &s, &good,
				 &why), NREC);
	ck_assert_ptr_nonnull(strstr(why, "checksum mismatch"));
	ck_assert_uint_eq(good, ends[NREC - 1]);
	buf_writer_free(&w);
}
END_TEST

Suite *
suite_ks_journal(void)
{
	Suite *s = suite_create("ks_journal");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_every_prefix);
	tcase_add_test(tc, test_every_octet_altered);
	tcase_add_test(tc, test_foreign_and_garbage);
	suite_add_tcase(s, tc);
	return s;
}
