/*
 * frontend: the pieces of the front ends that need no process or
 * terminal: the vty frame codec (cli/vtyproto.c) cut at every length,
 * bit-flipped and fed garbage; the ` --More-- ` pager (cli/pager.c) fed
 * keys into a memory term; script mode (cli/console.c) on in-memory
 * files.  The binary itself is driven in check_vty.c.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/console.h"
#include "cli/env.h"
#include "cli/pager.h"
#include "cli/vtyproto.h"
#include "parser/conf.h"
#include "platform/term.h"

/* ---- codec ---- */

struct frame_vec {
	enum vtyproto_side side;
	enum vtyproto_type type;
	const char *payload;
	size_t len;
};

static const struct frame_vec frames[] = {
	{ VTYPROTO_AT_DAEMON, VTYPROTO_LINE, "show running-config", 19 },
	{ VTYPROTO_AT_DAEMON, VTYPROTO_LINE, "", 0 },
	{ VTYPROTO_AT_DAEMON, VTYPROTO_HELP, "crypto gdoi ", 12 },
	{ VTYPROTO_AT_DAEMON, VTYPROTO_COMPLETE, "sh", 2 },
	{ VTYPROTO_AT_CLIENT, VTYPROTO_OUTPUT, "Building configuration...\n", 26 },
	{ VTYPROTO_AT_CLIENT, VTYPROTO_DONE, "\0\x01\0\0\0\x18Router#", 13 },
	{ VTYPROTO_AT_CLIENT, VTYPROTO_HELP_TEXT, "  show  Show running\n", 21 },
	{ VTYPROTO_AT_CLIENT, VTYPROTO_COMPLETION, "", 0 },
	{ VTYPROTO_AT_CLIENT, VTYPROTO_LOG, "%SYS-5-CONFIG_I: x", 18 },
};

static void
encode(const struct frame_vec *v, struct vtyproto_buf *b)
{
	memset(b, 0, sizeof(*b));
	ck_assert_int_eq(vtyproto_put(b, v->type, v->payload, v->len), 0);
	ck_assert_uint_eq(vtyproto_buf_pending(b), VTYPROTO_HDR_LEN + v->len);
}

static void
assert_frame(const struct vtyproto_dec *d, const struct frame_vec *v)
{
	ck_assert_int_eq(d->type, v->type);
	ck_assert_uint_eq(d->len, v->len);
	ck_assert_int_eq(memcmp(d->payload, v->payload, v->len), 0);
	ck_assert_int_eq(d->payload[v->len], '\0');
}

/* Cut the frame at every length: nothing until the last byte. */
START_TEST(test_codec_truncation)
{
	const struct frame_vec *v = &frames[_i];
	struct vtyproto_buf b;
	size_t total, used;

	encode(v, &b);
	total = vtyproto_buf_pending(&b);
	for (size_t cut = 0; cut < total; cut++) {
		struct vtyproto_dec d;

		vtyproto_dec_init(&d, v->side);
		ck_assert_int_eq(vtyproto_feed(&d, b.data, cut, &used),
				 VTYPROTO_NEED);
		ck_assert_uint_eq(used, cut);
		ck_assert(vtyproto_dec_partial(&d) == (cut > 0));
		ck_assert_int_eq(vtyproto_feed(&d, b.data + cut, total - cut,
					       &used), VTYPROTO_FRAME);
		ck_assert_uint_eq(used, total - cut);
		assert_frame(&d, v);
		ck_assert(!vtyproto_dec_partial(&d));
		vtyproto_dec_fini(&d);
	}
	vtyproto_buf_free(&b);
}
END_TEST

/* Three copies back to back, fed one byte at a time. */
START_TEST(test_codec_stream)
{
	const struct frame_vec *v = &frames[_i];
	struct vtyproto_buf b = { 0 };
	struct vtyproto_dec d;
	size_t used, total;
	int got = 0;

	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(vtyproto_put(&b, v->type, v->payload, v->len), 0);
	total = vtyproto_buf_pending(&b);
	vtyproto_dec_init(&d, v->side);
	for (size_t i = 0; i < total; i++) {
		enum vtyproto_event ev = vtyproto_feed(&d, b.data + i, 1, &used);

		ck_assert_uint_eq(used, 1);
		if (ev == VTYPROTO_FRAME) {
			assert_frame(&d, v);
			got++;
		} else {
			ck_assert_int_eq(ev, VTYPROTO_NEED);
		}
	}
	ck_assert_int_eq(got, 3);
	vtyproto_dec_fini(&d);
	vtyproto_buf_free(&b);
}
END_TEST

/* Every single-bit flip of the header: some event, never a crash, and
 * never more bytes used than given. */
START_TEST(test_codec_bitflip)
{
	const struct frame_vec *v = &frames[_i];
	struct vtyproto_buf b;
	size_t total, used;

	encode(v, &b);
	total = vtyproto_buf_pending(&b);
	for (size_t bit = 0; bit < VTYPROTO_HDR_LEN * 8; bit++) {
		struct vtyproto_dec d;
		enum vtyproto_event ev;

		vtyproto_dec_init(&d, v->side);
		b.data[bit / 8] ^= (char)(1 << (bit % 8));
		ev = vtyproto_feed(&d, b.data, total, &used);
		ck_assert_uint_le(used, total);
		ck_assert(ev == VTYPROTO_NEED || ev == VTYPROTO_FRAME ||
			  ev == VTYPROTO_BAD || ev == VTYPROTO_TOOLONG);
		b.data[bit / 8] ^= (char)(1 << (bit % 8));
		vtyproto_dec_fini(&d);
	}
	vtyproto_buf_free(&b);
}
END_TEST

struct bad_vec {
	enum vtyproto_side side;
	unsigned char hdr[VTYPROTO_HDR_LEN];
};

static const struct bad_vec bad_frames[] = {
	{ VTYPROTO_AT_DAEMON, { 0x00, 0, 0, 0, 1 } },	/* type 0 */
	{ VTYPROTO_AT_DAEMON, { 0x05, 0, 0, 0, 1 } },	/* unknown request */
	{ VTYPROTO_AT_DAEMON, { 0x81, 0, 0, 0, 1 } },	/* a daemon frame */
	{ VTYPROTO_AT_CLIENT, { 0x01, 0, 0, 0, 1 } },	/* a client frame */
	{ VTYPROTO_AT_CLIENT, { 0x86, 0, 0, 0, 1 } },	/* unknown answer */
	{ VTYPROTO_AT_CLIENT, { 0x82, 0, 0, 0, 3 } },	/* DONE too short */
	{ VTYPROTO_AT_CLIENT, { 0x82, 0, 0, 2, 10 } },	/* DONE prompt too long */
	{ VTYPROTO_AT_CLIENT, { 0x81, 0x7f, 0xff, 0xff, 0xff } }, /* 2 GiB */
	{ VTYPROTO_AT_CLIENT, { 0x81, 0, 0x02, 0, 1 } },	/* just over max */
};

/* Garbage is refused at the header, and the decoder stays refused. */
START_TEST(test_codec_bad)
{
	const struct bad_vec *v = &bad_frames[_i];
	struct vtyproto_buf good = { 0 };
	struct vtyproto_dec d;
	size_t used;

	vtyproto_dec_init(&d, v->side);
	ck_assert_int_eq(vtyproto_feed(&d, v->hdr, sizeof(v->hdr), &used),
			 VTYPROTO_BAD);
	ck_assert_uint_le(used, sizeof(v->hdr));
	ck_assert_uint_lt(d.cap, 1024);		/* nothing was allocated for it */
	vtyproto_put(&good, v->side == VTYPROTO_AT_DAEMON ? VTYPROTO_LINE :
		     VTYPROTO_OUTPUT, "x", 1);
	ck_assert_int_eq(vtyproto_feed(&d, good.data, good.len, &used),
			 VTYPROTO_BAD);
	vtyproto_buf_free(&good);
	vtyproto_dec_fini(&d);
}
END_TEST

/* An overlong request streams past without being stored; the next
 * request decodes normally. */
START_TEST(test_codec_toolong)
{
	size_t n = VTYPROTO_LINE_MAX + 100, used, off = 0;
	unsigned char hdr[VTYPROTO_HDR_LEN];
	struct vtyproto_buf b = { 0 };
	struct vtyproto_dec d;
	char *junk = malloc(n);
	int toolong = 0, framed = 0;

	ck_assert_ptr_nonnull(junk);
	memset(junk, 'a', n);
	vtyproto_header(hdr, VTYPROTO_LINE, (uint32_t)n);
	vtyproto_buf_add(&b, hdr, sizeof(hdr));
	vtyproto_buf_add(&b, junk, n);
	ck_assert_int_eq(vtyproto_put(&b, VTYPROTO_LINE, "show version", 12), 0);
	ck_assert_int_eq(vtyproto_put(&b, VTYPROTO_LINE, junk, n), -1);
	vtyproto_dec_init(&d, VTYPROTO_AT_DAEMON);
	while (off < b.len) {
		size_t chunk = b.len - off < 999 ? b.len - off : 999;
		enum vtyproto_event ev = vtyproto_feed(&d, b.data + off, chunk,
						       &used);

		off += used;
		if (ev == VTYPROTO_TOOLONG) {
			ck_assert_int_eq(d.type, VTYPROTO_LINE);
			ck_assert_int_eq(framed, 0);
			toolong++;
		} else if (ev == VTYPROTO_FRAME) {
			ck_assert_str_eq(d.payload, "show version");
			framed++;
		} else {
			ck_assert_int_eq(ev, VTYPROTO_NEED);
		}
		ck_assert_uint_lt(d.cap, 1024);
	}
	ck_assert_int_eq(toolong, 1);
	ck_assert_int_eq(framed, 1);
	vtyproto_dec_fini(&d);
	vtyproto_buf_free(&b);
	free(junk);
}
END_TEST

struct done_vec {
	const char *bytes;
	size_t len;
	int rc, status;
	unsigned flags;
	uint32_t term_length, term_width;
	const char *prompt;
};

static const struct done_vec done_vecs[] = {
	{ "\0\0\0\0\0\x18\0\0\0\x50Router#", 17, 0, 0, 0, 24, 80, "Router#" },
	{ "\1\x05\0\0\1\0\0\0\1\xffKS1(config)#", 22, 0, 1, 5, 256, 511,
	  "KS1(config)#" },
	{ "\0\0\0\0\0\0\0\0\0\0", 10, 0, 0, 0, 0, 0, "" },
	{ "\0\0\0\0\0\0\0\0\0", 9, -1, 0, 0, 0, 0, NULL },	/* short */
	{ "\2\0\0\0\0\0\0\0\0\0R#", 12, -1, 0, 0, 0, 0, NULL }, /* status 2 */
	{ "\0\0\0\0\0\0\0\0\0\0R\n#", 13, -1, 0, 0, 0, 0, NULL }, /* newline */
	{ "\0\0\0\0\0\0\0\0\0\0\x1b[2J", 14, -1, 0, 0, 0, 0, NULL }, /* escape */
};

START_TEST(test_codec_done)
{
	const struct done_vec *v = &done_vecs[_i];
	struct vtyproto_done d;
	struct vtyproto_buf b = { 0 };

	ck_assert_int_eq(vtyproto_parse_done(v->bytes, v->len, &d), v->rc);
	if (v->rc < 0)
		return;
	ck_assert_int_eq(d.status, v->status);
	ck_assert_uint_eq(d.flags, v->flags);
	ck_assert_uint_eq(d.term_length, v->term_length);
	ck_assert_uint_eq(d.term_width, v->term_width);
	ck_assert_str_eq(d.prompt, v->prompt);
	/* and back: the same bytes */
	ck_assert_int_eq(vtyproto_put_done(&b, &d), 0);
	ck_assert_uint_eq(b.len, VTYPROTO_HDR_LEN + v->len);
	ck_assert_int_eq(memcmp(b.data + VTYPROTO_HDR_LEN, v->bytes, v->len), 0);
	vtyproto_buf_free(&b);
}
END_TEST

START_TEST(test_codec_chunked)
{
	size_t n = 3 * VTYPROTO_CHUNK_MAX + 5, used, off = 0, got = 0;
	struct vtyproto_buf b = { 0 };
	struct vtyproto_dec d;
	char *text = malloc(n), *back = malloc(n);
	int frames_seen = 0;

	ck_assert(text && back);
	for (size_t i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	ck_assert_int_eq(vtyproto_put_chunked(&b, VTYPROTO_OUTPUT, text, n), 0);
	vtyproto_dec_init(&d, VTYPROTO_AT_CLIENT);
	while (off < b.len) {
		if (vtyproto_feed(&d, b.data + off, b.len - off, &used) ==
		    VTYPROTO_FRAME) {
			ck_assert_uint_le(d.len, VTYPROTO_CHUNK_MAX);
			memcpy(back + got, d.payload, d.len);
			got += d.len;
			frames_seen++;
		}
		off += used;
	}
	ck_assert_int_eq(frames_seen, 4);
	ck_assert_uint_eq(got, n);
	ck_assert_int_eq(memcmp(text, back, n), 0);
	vtyproto_dec_fini(&d);
	vtyproto_buf_free(&b);
	free(text);
	free(back);
}
END_TEST

START_TEST(test_codec_buf)
{
	struct vtyproto_buf b = { 0 };
	char big[10000];

	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(vtyproto_buf_add(&b, "hello", 5), 0);
	vtyproto_buf_consume(&b, 2);
	ck_assert_uint_eq(vtyproto_buf_pending(&b), 3);
	ck_assert_int_eq(memcmp(b.data + b.off, "llo", 3), 0);
	/* growing keeps the unsent bytes first */
	ck_assert_int_eq(vtyproto_buf_add(&b, big, sizeof(big)), 0);
	ck_assert_int_eq(memcmp(b.data + b.off, "llox", 4), 0);
	ck_assert_uint_eq(vtyproto_buf_pending(&b), 3 + sizeof(big));
	vtyproto_buf_consume(&b, 1 << 20);	/* more than queued */
	ck_assert_uint_eq(vtyproto_buf_pending(&b), 0);
	ck_assert_uint_eq(b.off, 0);
	vtyproto_buf_free(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST


/* ---- pager ---- */

#define M PAGER_MORE_TEXT
#define E "\r          \r"	/* the marker erased */

struct pager_vec {
	const char *text;
	unsigned page;
	const char *keys;	/* fed one by one, also after the end */
	const char *out;	/* everything printed */
	enum pager_status last;
};

static const struct pager_vec pager_vecs[] = {
	{ "a\nb\nc\n", 0, "", "a\nb\nc\n", PAGER_DONE },
	{ "a\nb\n", 24, "", "a\nb\n", PAGER_DONE },
	{ "", 24, "", "", PAGER_DONE },
	/* page - 1 lines fit: no marker */
	{ "1\n2\n3\n", 4, "", "1\n2\n3\n", PAGER_DONE },
	{ "1\n2\n3\n4\n5\n6\n7\n", 4, "", "1\n2\n3\n" M, PAGER_WAITING },
	{ "1\n2\n3\n4\n5\n6\n7\n", 4, " ", "1\n2\n3\n" M E "4\n5\n6\n" M,
	  PAGER_WAITING },
	{ "1\n2\n3\n4\n5\n6\n7\n", 4, "  ", "1\n2\n3\n" M E "4\n5\n6\n" M E
	  "7\n", PAGER_DONE },
	/* Enter: one line at a time */
	{ "1\n2\n3\n4\n5\n", 3, "\r", "1\n2\n" M E "3\n" M, PAGER_WAITING },
	{ "1\n2\n3\n4\n5\n", 3, "\r\n\r", "1\n2\n" M E "3\n" M E "4\n" M E
	  "5\n", PAGER_DONE },
	/* q or any other key stops; the rest is dropped, later keys too */
	{ "1\n2\n3\n4\n5\n", 3, "q", "1\n2\n" M E, PAGER_DONE },
	{ "1\n2\n3\n4\n5\n", 3, "q  ", "1\n2\n" M E, PAGER_DONE },
	{ "1\n2\n3\n4\n5\n", 3, "x", "1\n2\n" M E, PAGER_DONE },
	{ "1\n2\n3\n4\n5\n", 3, "\x03", "1\n2\n" M E, PAGER_DONE },
	{ "1\n2\n3\n4\n5\n", 3, " q", "1\n2\n" M E "3\n4\n" M E, PAGER_DONE },
	/* a last line without a newline; one line per page */
	{ "a\nb", 2, " ", "a\n" M E "b", PAGER_DONE },
	{ "a\nb\n", 1, "", "a\n" M, PAGER_WAITING },
	{ "a\nb\n", 1, " ", "a\n" M E "b\n", PAGER_DONE },
	/* a key before any text */
	{ NULL, 24, " ", "", PAGER_DONE },
};

START_TEST(test_pager_keys)
{
	const struct pager_vec *v = &pager_vecs[_i];
	struct term *t = term_new_mem();
	struct pager *p = pager_new(t);
	enum pager_status st = PAGER_DONE;

	if (v->text != NULL)
		st = pager_start(p, v->text, strlen(v->text), v->page);
	for (const char *k = v->keys; *k; k++)
		st = pager_key(p, (unsigned char)*k);
	ck_assert_str_eq(term_mem_data(t, NULL), v->out);
	ck_assert_int_eq(st, v->last);
	ck_assert(pager_waiting(p) == (v->last == PAGER_WAITING));
	pager_free(p);
	term_free(t);
}
END_TEST

/* New output while waiting replaces the old. */
START_TEST(test_pager_restart)
{
	struct term *t = term_new_mem();
	struct pager *p = pager_new(t);

	ck_assert_int_eq(pager_start(p, "1\n2\n3\n4\n", 4, 2), PAGER_WAITING);
	ck_assert_int_eq(pager_start(p, "new\n", 4, 2), PAGER_DONE);
	ck_assert_int_eq(pager_key(p, ' '), PAGER_DONE);
	ck_assert_str_eq(term_mem_data(t, NULL), "1\n" M "new\n");
	pager_free(p);
	term_free(t);
}
END_TEST

/* ---- script mode ---- */

struct script_vec {
	const char *in;
	int rc;
	const char *want;	/* must appear in the output */
	const char *never;	/* must not */
};

static const struct script_vec script_vecs[] = {
	{ "show running-config\n", 0, "\nhostname Router\n", "show running" },
	{ "configure terminal\nhostname S1\nend\n"
	  "show running-config | include hostname\n", 0, "\nhostname S1\n",
	  "hostname S1\nhostname" },
	/* refused: echoed after the prompt, caret under the bad token */
	{ "show nothing\n", 1, "Router#show nothing\n"
	  "            ^\n% Invalid input detected at '^' marker.\n", NULL },
	{ "configure terminal\ncrypto isakmp policy 99999\nend\n"
	  "show running-config\n", 1,
	  "Router(config)#crypto isakmp policy 99999\n", "policy 99999\n!" },
	{ "show\n", 1, "Router#show\n", NULL },
	/* CR LF line ends, blank lines, comments */
	{ "show version\r\n\n!comment\n", 0, "Version", "comment" },
	/* exit ends the script: the bad line after it never runs */
	{ "exit\nshow nothing\n", 0, "", "nothing" },
	/* a question takes the next line as its answer */
	{ "configure\nterminal\nhostname Q1\nend\nshow running-config\n", 0,
	  "\nhostname Q1\n", NULL },
};

static void
env_new(struct cli_env *env)
{
	char err[256] = "";

	ck_assert_msg(cli_env_init(env, NULL, NULL, NULL, err, sizeof(err)) == 0,
		      "env: %s", err);
}

START_TEST(test_script)
{
	const struct script_vec *v = &script_vecs[_i];
	struct cli_env env;
	char *out = NULL;
	size_t len = 0;
	FILE *in = fmemopen((void *)(uintptr_t)v->in, strlen(v->in), "r");
	FILE *o = open_memstream(&out, &len);
	char *logs = NULL;
	size_t llen = 0;
	FILE *l = open_memstream(&logs, &llen);

	env_new(&env);
	ck_assert_int_eq(console_script(&env, in, o, l), v->rc);
	fclose(o);
	fclose(l);
	/* log lines never mix with the output */
	ck_assert_ptr_null(strstr(out, "%SYS-"));
	if (strstr(v->in, "end\n") != NULL)
		ck_assert_ptr_nonnull(strstr(logs, "%SYS-5-CONFIG_I: Configured "
					     "from console by console"));
	free(logs);
	fclose(in);
	ck_assert_msg(strstr(out, v->want) != NULL, "missing [%s] in [%s]",
		      v->want, out);
	if (v->never != NULL)
		ck_assert_msg(strstr(out, v->never) == NULL, "[%s] in [%s]",
			      v->never, out);
	free(out);
	cli_env_fini(&env);
}
END_TEST

/* -c lines run in order in one session. */
START_TEST(test_script_lines)
{
	char *lines[] = { "configure terminal", "hostname L1", "bogus", "end",
			  "show running-config | include hostname" };
	struct cli_env env;
	char *out = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&out, &len);
	FILE *logs = fopen("/dev/null", "w");

	env_new(&env);
	ck_assert_int_eq(console_script_lines(&env, lines, 5, o, logs), 1);
	fclose(logs);
	fclose(o);
	ck_assert_ptr_nonnull(strstr(out, "L1(config)#bogus\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nhostname L1\n"));
	ck_assert_str_eq(env.conf->hostname, "L1");
	free(out);
	cli_env_fini(&env);
}
END_TEST

Suite *suite_frontend(void);

Suite *
suite_frontend(void)
{
	Suite *s = suite_create("frontend");
	TCase *tc = tcase_create("codec");
	size_t nf = sizeof(frames) / sizeof(frames[0]);

	tcase_add_loop_test(tc, test_codec_truncation, 0, (int)nf);
	tcase_add_loop_test(tc, test_codec_stream, 0, (int)nf);
	tcase_add_loop_test(tc, test_codec_bitflip, 0, (int)nf);
	tcase_add_loop_test(tc, test_codec_bad, 0,
			    (int)(sizeof(bad_frames) / sizeof(bad_frames[0])));
	tcase_add_test(tc, test_codec_toolong);
	tcase_add_loop_test(tc, test_codec_done, 0,
			    (int)(sizeof(done_vecs) / sizeof(done_vecs[0])));
	tcase_add_test(tc, test_codec_chunked);
	tcase_add_test(tc, test_codec_buf);
	suite_add_tcase(s, tc);

	tc = tcase_create("pager");
	tcase_add_loop_test(tc, test_pager_keys, 0,
			    (int)(sizeof(pager_vecs) / sizeof(pager_vecs[0])));
	tcase_add_test(tc, test_pager_restart);
	suite_add_tcase(s, tc);

	tc = tcase_create("script");
	tcase_add_loop_test(tc, test_script, 0,
			    (int)(sizeof(script_vecs) / sizeof(script_vecs[0])));
	tcase_add_test(tc, test_script_lines);
	suite_add_tcase(s, tc);
	return s;
}
