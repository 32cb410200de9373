/*
 * showout: one fill rendered as IOS text and as JSON (platform/showout.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "platform/showout.h"
#include "platform/term.h"

/* The rendering of o as text or JSON (malloc'd), and its return code. */
static char *
render(const struct showout *o, bool json, int *rc)
{
	struct term *t = term_new_mem();
	char *s;

	*rc = showout_print(o, json, t);
	s = strdup(term_mem_data(t, NULL));
	term_free(t);
	return s;
}

static void
expect(const struct showout *o, const char *text, const char *json)
{
	int rc;
	char *got = render(o, false, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got, text);
	free(got);
	got = render(o, true, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got, json);
	free(got);
}

START_TEST(test_nested)
{
	struct showout *o = showout_new();

	showout_text(o, "Key Server Policy:\n");
	showout_list(o, "groups");
	for (unsigned i = 1; i <= 2; i++) {
		showout_obj(o, NULL);
		showout_str(o, "group", i == 1 ? "G1" : "G2", "For group %s ",
			    i == 1 ? "G1" : "G2");
		showout_u64(o, "teks", i, "# of teks : %u  ", i);
		showout_bool(o, "ack", i == 2, "ack %s\n",
			     i == 2 ? "on" : "off");
		showout_list(o, "seq");
		showout_u64(o, NULL, 7, "%-3u|", 7u);
		showout_u64(o, NULL, 8, "%-3u|\n", 8u);
		showout_end(o);
		showout_end(o);
	}
	showout_end(o);
	expect(o, "Key Server Policy:\nFor group G1 # of teks : 1  ack off\n"
	       "7  |8  |\nFor group G2 # of teks : 2  ack on\n7  |8  |\n",
	       "{\"groups\":[{\"group\":\"G1\",\"teks\":1,\"ack\":false,"
	       "\"seq\":[7,8]},{\"group\":\"G2\",\"teks\":2,\"ack\":true,"
	       "\"seq\":[7,8]}]}\n");
	showout_free(o);
}
END_TEST

/* fmt NULL: the value is in JSON only; layout text is in the text only. */
START_TEST(test_json_only_and_layout)
{
	struct showout *o = showout_new();

	showout_text(o, "header\n");
	showout_str(o, "os", "getvpn", NULL);
	showout_u64(o, "mtu", 1500, "  MTU %u bytes\n", 1500u);
	expect(o, "header\n  MTU 1500 bytes\n",
	       "{\"os\":\"getvpn\",\"mtu\":1500}\n");
	showout_free(o);
}
END_TEST

/* RFC 8259 §7: quote, backslash and control characters escaped, in keys
 * and values; the text keeps them as they are. */
START_TEST(test_escaping)
{
	struct showout *o = showout_new();

	showout_str(o, "na\"me", "a\\b\"c\td\x01", "%s\n", "a\\b\"c\td\x01");
	showout_str(o, "empty", NULL, "[%s]\n", "");
	expect(o, "a\\b\"c\td\x01\n[]\n",
	       "{\"na\\\"me\":\"a\\\\b\\\"c\\u0009d\\u0001\",\"empty\":\"\"}\n");
	showout_free(o);
}
END_TEST

/* A configuration: the text is the input byte for byte (a last line
 * without a newline too), the JSON the list of lines. */
START_TEST(test_lines)
{
	static const char cfg[] = "hostname A\n!\n\nend";
	struct showout *o = showout_new();

	showout_lines(o, "lines", cfg, strlen(cfg));
	expect(o, cfg, "{\"lines\":[\"hostname A\",\"!\",\"\",\"end\"]}\n");
	showout_free(o);
	o = showout_new();
	showout_lines(o, "lines", "", 0);
	expect(o, "", "{\"lines\":[]}\n");
	showout_free(o);
}
END_TEST

/* An object left open by its filler is closed in the JSON; a close with
 * nothing open is ignored. */
START_TEST(test_unbalanced)
{
	struct showout *o = showout_new();

	showout_end(o);
	showout_obj(o, "a");
	showout_list(o, "b");
	showout_u64(o, NULL, 1, "%u\n", 1u);
	expect(o, "1\n", "{\"a\":{\"b\":[1]}}\n");
	showout_free(o);
}
END_TEST

/* Nesting deeper than the JSON writer keeps is refused as a whole. */
START_TEST(test_too_deep)
{
	struct showout *o = showout_new();
	char *got;
	int rc;

	for (int i = 0; i < 40; i++)
		showout_obj(o, "x");
	showout_u64(o, "v", 1, "%u\n", 1u);
	got = render(o, true, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(strstr(got, "{"));
	free(got);
	got = render(o, false, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(got, "% "));
	free(got);
	showout_free(o);
}
END_TEST

Suite *
suite_showout(void)
{
	Suite *s = suite_create("showout");
	TCase *tc = tcase_create("showout");

	tcase_add_test(tc, test_nested);
	tcase_add_test(tc, test_json_only_and_layout);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_unbalanced);
	tcase_add_test(tc, test_too_deep);
	suite_add_tcase(s, tc);
	return s;
}
