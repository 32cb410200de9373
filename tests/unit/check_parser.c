/*
 * Parser engine tests: spec compilation, matching precedence, abbreviation,
 * ambiguity, caret offsets, `no` forms, named arguments, `?` and TAB, on a
 * private command table so they do not depend on the real command set.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parser/cmd.h"
#include "platform/term.h"

static int
h_ok(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return CMD_OK;
}

/* A second handler: specs sharing a handler count as one command. */
static int
h_alg(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return CMD_OK;
}

static const struct cmd_def t_cmds[] = {
	{ MODE_EXEC, "show running-config", "Show\nRunning\n", h_ok, CMD_F_PREFERRED },
	{ MODE_EXEC, "show ip route", "\nIP\nRoutes\n", h_ok, 0 },
	{ MODE_EXEC, "show ip cef", "\n\nCEF\n", h_ok, 0 },
	{ MODE_EXEC, "show ip community-list", "\n\nCL\n", h_ok, 0 },
	{ MODE_EXEC, "shutdown-all", "Shut\n", h_ok, 0 },
	{ MODE_EXEC, "configure [terminal]", "Conf\nTerm\n", h_ok, 0 },
	{ MODE_EXEC, "connect WORD", "Connect\nHost\n", h_ok, 0 },
	{ MODE_EXEC, "copy running-config startup-config", "Copy\nRun\nStart\n", h_ok, 0 },
	{ MODE_CONFIG, "hostname WORD$name", "Host\nName\n", h_ok, 0 },
	{ MODE_CONFIG, "logging A.B.C.D$host", "Log\nHost\n", h_ok, 0 },
	{ MODE_CONFIG, "logging buffered [<4096-2147483647>$size]", "\nBuf\nSize\n", h_ok, 0 },
	{ MODE_CONFIG, "interface WORD$ifname", "Iface\nName\n", h_ok, 0 },
	{ MODE_CONFIG, "ip address A.B.C.D$addr M.M.M.M$mask", "IP\nAddr\nA\nM\n", h_ok, 0 },
	{ MODE_CONFIG, "ip access-list {extended|standard}$kind {<100-199>|WORD}$name",
	  "\nACL\nExt\nStd\nNum\nName\n", h_ok, 0 },
	{ MODE_CONFIG, "rekey lifetime {seconds <300-2592000>$sec|days <1-30>$days}",
	  "Rekey\nLife\nSec\nS\nDays\nD\n", h_ok, 0 },
	{ MODE_CONFIG, "rekey algorithm {3des-cbc|des-cbc|aes {128|192|256}$bits}$alg",
	  "\nAlg\n3DES\nDES\nAES\n128\n192\n256\n", h_alg, 0 },
	{ MODE_CONFIG, "set transform-set WORD$ts [WORD$ts [WORD$ts]]",
	  "Set\nTS\nName\nName\nName\n", h_ok, 0 },
	{ MODE_CONFIG, "description LINE$text", "Desc\nText\n", h_ok, 0 },
	{ MODE_CONFIG, "crypto map WORD$map <1-65535>$seq gdoi", "Crypto\nMap\nName\nSeq\nGdoi\n", h_ok, 0 },
	{ MODE_CONFIG, "crypto map WORD$map gdoi fail-close", "\n\n\n\nFC\n", h_ok, 0 },
	{ MODE_CONFIG, "exit", "Exit\n", h_ok, CMD_F_NO_NEGATE },
	{ .spec = NULL },
};

static struct cmd_engine *
engine(void)
{
	static const struct cmd_def *const tables[] = { t_cmds, NULL };
	char err[256] = "";
	struct cmd_engine *e = cmd_engine_new(tables, err, sizeof(err));

	ck_assert_msg(e != NULL, "engine: %s", err);
	return e;
}

struct match_case {
	enum cmd_mode mode;
	const char *line;
	enum cmd_result result;
	const char *spec;	/* expected command (CMD_OK) */
	size_t err_pos;		/* expected caret offset (NO_MATCH) */
	const char *arg, *value; /* an expected binding */
};

static const struct match_case match_cases[] = {
	{ MODE_EXEC, "show running-config", CMD_OK, "show running-config", 0, NULL, NULL },
	{ MODE_EXEC, "sh run", CMD_OK, "show running-config", 0, NULL, NULL },
	{ MODE_EXEC, "SH RUN", CMD_OK, "show running-config", 0, NULL, NULL },
	{ MODE_EXEC, "conf t", CMD_OK, "configure [terminal]", 0, "terminal", "terminal" },
	{ MODE_EXEC, "configure", CMD_OK, "configure [terminal]", 0, NULL, NULL },
	{ MODE_EXEC, "co", CMD_ERR_AMBIGUOUS, NULL, 0, NULL, NULL },
	{ MODE_EXEC, "show", CMD_ERR_INCOMPLETE, NULL, 0, NULL, NULL },
	{ MODE_EXEC, "show ip", CMD_ERR_INCOMPLETE, NULL, 0, NULL, NULL },
	/* caret under the first character no keyword accepts (§4.4) */
	{ MODE_EXEC, "show ip config", CMD_ERR_NO_MATCH, NULL, 10, NULL, NULL },
	{ MODE_EXEC, "show ip vlan", CMD_ERR_NO_MATCH, NULL, 8, NULL, NULL },
	{ MODE_EXEC, "show running-config extra", CMD_ERR_NO_MATCH, NULL, 20, NULL, NULL },
	{ MODE_EXEC, "bogus", CMD_ERR_NO_MATCH, NULL, 0, NULL, NULL },
	{ MODE_EXEC, "copy run start", CMD_OK, "copy running-config startup-config", 0, NULL, NULL },
	{ MODE_CONFIG, "hostname KS1", CMD_OK, "hostname WORD$name", 0, "name", "KS1" },
	{ MODE_CONFIG, "host Ks-1", CMD_OK, "hostname WORD$name", 0, "name", "Ks-1" },
	{ MODE_CONFIG, "hostname", CMD_ERR_INCOMPLETE, NULL, 0, NULL, NULL },
	{ MODE_CONFIG, "logging 10.0.0.1", CMD_OK, "logging A.B.C.D$host", 0, "host", "10.0.0.1" },
	{ MODE_CONFIG, "logging 0255.255.1", CMD_ERR_NO_MATCH, NULL, 8, NULL, NULL },
	{ MODE_CONFIG, "logging buffered 20010", CMD_OK, NULL, 0, "size", "20010" },
	{ MODE_CONFIG, "logging buffered 100", CMD_ERR_NO_MATCH, NULL, 17, NULL, NULL },
	{ MODE_CONFIG, "logging buf", CMD_OK, NULL, 0, "buffered", "buffered" },
	{ MODE_CONFIG, "ip address 10.1.1.1 255.255.255.0", CMD_OK, NULL, 0, "mask", "255.255.255.0" },
	{ MODE_CONFIG, "ip address 10.1.1.1 255.0.255.0", CMD_ERR_NO_MATCH, NULL, 20, NULL, NULL },
	{ MODE_CONFIG, "ip access-list extended 101", CMD_OK, NULL, 0, "name", "101" },
	{ MODE_CONFIG, "ip access-list ext GETVPN", CMD_OK, NULL, 0, "kind", "extended" },
	{ MODE_CONFIG, "rekey lifetime second 86400", CMD_OK, NULL, 0, "sec", "86400" },
	{ MODE_CONFIG, "rekey lifetime seconds 10", CMD_ERR_NO_MATCH, NULL, 23, NULL, NULL },
	{ MODE_CONFIG, "rekey algorithm aes 256", CMD_OK, NULL, 0, "bits", "256" },
	{ MODE_CONFIG, "rekey algorithm 3des", CMD_OK, NULL, 0, "alg", "3des-cbc" },
	{ MODE_CONFIG, "rekey al d", CMD_OK, NULL, 0, "alg", "des-cbc" },
	{ MODE_CONFIG, "re", CMD_ERR_INCOMPLETE, NULL, 0, NULL, NULL },
	{ MODE_CONFIG, "description two words  here", CMD_OK, NULL, 0, "text", "two words  here" },
	{ MODE_CONFIG, "crypto map M 10 gdoi", CMD_OK, "crypto map WORD$map <1-65535>$seq gdoi", 0, "seq", "10" },
	{ MODE_CONFIG, "crypto map M gdoi fail-close", CMD_OK, "crypto map WORD$map gdoi fail-close", 0, "map", "M" },
	{ MODE_CONFIG, "no hostname", CMD_OK, "hostname WORD$name", 0, NULL, NULL },
	{ MODE_CONFIG, "no rekey lifetime", CMD_OK, NULL, 0, NULL, NULL },
	{ MODE_CONFIG, "no rekey", CMD_ERR_INCOMPLETE, NULL, 0, NULL, NULL },
	{ MODE_CONFIG, "no", CMD_ERR_INCOMPLETE, NULL, 0, NULL, NULL },
	{ MODE_CONFIG, "no exit", CMD_ERR_NO_MATCH, NULL, 3, NULL, NULL },
	{ MODE_CONFIG, "default logging buffered", CMD_OK, NULL, 0, NULL, NULL },
};

START_TEST(test_match)
{
	const struct match_case *c = &match_cases[_i];
	struct cmd_engine *e = engine();
	struct cmd_match m;

	cmd_match(e, c->mode, c->line, &m);
	ck_assert_msg(m.result == c->result, "%s: result %d, want %d", c->line,
		      m.result, c->result);
	if (c->result == CMD_OK && c->spec != NULL)
		ck_assert_str_eq(m.def->spec, c->spec);
	if (c->result == CMD_ERR_NO_MATCH)
		ck_assert_msg(m.err_pos == c->err_pos, "%s: caret %zu, want %zu",
			      c->line, m.err_pos, c->err_pos);
	if (c->arg != NULL) {
		ck_assert_ptr_nonnull(cmd_arg(m.args, c->arg));
		ck_assert_str_eq(cmd_arg(m.args, c->arg), c->value);
	}
	cmd_engine_free(e);
}
END_TEST

START_TEST(test_repeated_args)
{
	struct cmd_engine *e = engine();
	struct cmd_match m;

	cmd_match(e, MODE_CONFIG, "set transform-set A B C", &m);
	ck_assert_int_eq(m.result, CMD_OK);
	ck_assert_uint_eq(cmd_arg_count(m.args, "ts"), 3);
	ck_assert_str_eq(cmd_arg_nth(m.args, "ts", 2), "C");
	cmd_match(e, MODE_CONFIG, "set transform-set A B C D", &m);
	ck_assert_int_eq(m.result, CMD_ERR_NO_MATCH);
	cmd_match(e, MODE_CONFIG, "no hostname X", &m);
	ck_assert(m.negate && !m.dflt);
	cmd_match(e, MODE_CONFIG, "default hostname", &m);
	ck_assert(m.negate && m.dflt);
	cmd_engine_free(e);
}
END_TEST

static char *
help(struct cmd_engine *e, enum cmd_mode m, const char *line)
{
	struct term *t = term_new_mem();
	char *s;

	cmd_help(e, m, line, t);
	s = strdup(term_mem_data(t, NULL));
	term_free(t);
	return s;
}

START_TEST(test_help)
{
	struct cmd_engine *e = engine();
	char *s;

	s = help(e, MODE_CONFIG, "rekey lifetime ");
	ck_assert_str_eq(s, "  days     Days\n  seconds  Sec\n");
	free(s);
	s = help(e, MODE_CONFIG, "rekey lifetime seconds ");
	ck_assert_str_eq(s, "  <300-2592000>  S\n");
	free(s);
	s = help(e, MODE_CONFIG, "rekey lifetime seconds 300 ");
	ck_assert_str_eq(s, "  <cr>  <cr>\n");
	free(s);
	s = help(e, MODE_CONFIG, "ip access-list extended ");
	ck_assert_str_eq(s, "  <100-199>  Num\n  WORD       Name\n");
	free(s);
	s = help(e, MODE_EXEC, "co");
	ck_assert_str_eq(s, "configure  connect  copy  \n");
	free(s);
	s = help(e, MODE_EXEC, "configure ");
	ck_assert_str_eq(s, "  terminal  Term\n  <cr>      <cr>\n");
	free(s);
	s = help(e, MODE_EXEC, "xyz ");
	ck_assert_str_eq(s, "% Unrecognized command\n");
	free(s);
	s = help(e, MODE_CONFIG, "");
	ck_assert_ptr_nonnull(strstr(s, "Configure commands:\n"));
	ck_assert_ptr_nonnull(strstr(s, "  no           Negate a command or set its defaults\n"));
	ck_assert_ptr_nonnull(strstr(s, "  hostname     Host\n"));
	free(s);
	s = help(e, MODE_CONFIG, "no ");
	ck_assert_ptr_null(strstr(s, "exit"));
	ck_assert_ptr_nonnull(strstr(s, "hostname"));
	free(s);
	cmd_engine_free(e);
}
END_TEST

struct complete_case {
	enum cmd_mode mode;
	const char *line, *want;
};

static const struct complete_case complete_cases[] = {
	{ MODE_EXEC, "sh", "show " },
	{ MODE_EXEC, "show run", "show running-config " },
	{ MODE_EXEC, "co", NULL },
	{ MODE_EXEC, "conf", "configure " },
	{ MODE_EXEC, "show ip c", NULL },
	{ MODE_EXEC, "show ip r", "show ip route " },
	{ MODE_CONFIG, "hostname K", NULL },
	{ MODE_CONFIG, "rekey  al", "rekey  algorithm " },
	{ MODE_CONFIG, "no host", "no hostname " },
	{ MODE_CONFIG, "", NULL },
};

START_TEST(test_complete)
{
	const struct complete_case *c = &complete_cases[_i];
	struct cmd_engine *e = engine();
	char *s = cmd_complete(e, c->mode, c->line);

	if (c->want == NULL)
		ck_assert_ptr_null(s);
	else
		ck_assert_str_eq(s, c->want);
	free(s);
	cmd_engine_free(e);
}
END_TEST

struct bad_spec {
	const char *spec, *help;
};

static const struct bad_spec bad_specs[] = {
	{ "a [b", "A\nB\n" },
	{ "a {b|c", "A\nB\nC\n" },
	{ "[a]", "A\n" },
	{ "a <5-1>", "A\nR\n" },
	{ "a b", "A\n" },
	{ "a", "A\nB\n" },
	{ "a Bad", "A\nB\n" },
	{ "a $", "A\n" },
};

START_TEST(test_bad_spec)
{
	struct cmd_def d[2] = {
		{ MODE_CONFIG, bad_specs[_i].spec, bad_specs[_i].help, h_ok, 0 },
		{ .spec = NULL },
	};
	const struct cmd_def *const tables[] = { d, NULL };
	char err[256] = "";
	struct cmd_engine *e = cmd_engine_new(tables, err, sizeof(err));

	ck_assert_msg(e == NULL, "accepted bad spec %s", bad_specs[_i].spec);
	ck_assert_msg(err[0] != '\0', "no error text");
}
END_TEST

/* 1 MiB of junk and many tokens: an answer, never a crash. */
START_TEST(test_huge_line)
{
	struct cmd_engine *e = engine();
	size_t n = 1 << 20;
	char *line = malloc(n + 1);
	struct cmd_match m;

	for (size_t i = 0; i < n; i++)
		line[i] = (i % 3 == 2) ? ' ' : (char)('a' + i % 26);
	line[n] = '\0';
	cmd_match(e, MODE_CONFIG, line, &m);
	ck_assert_int_eq(m.result, CMD_ERR_NO_MATCH);
	memcpy(line, "description ", 12);
	cmd_match(e, MODE_CONFIG, line, &m);
	ck_assert_int_eq(m.result, CMD_OK);
	free(line);
	cmd_engine_free(e);
}
END_TEST

Suite *
suite_parser(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("engine");

	tcase_add_loop_test(tc, test_match, 0,
			    sizeof(match_cases) / sizeof(match_cases[0]));
	tcase_add_test(tc, test_repeated_args);
	tcase_add_test(tc, test_help);
	tcase_add_loop_test(tc, test_complete, 0,
			    sizeof(complete_cases) / sizeof(complete_cases[0]));
	tcase_add_loop_test(tc, test_bad_spec, 0,
			    sizeof(bad_specs) / sizeof(bad_specs[0]));
	tcase_add_test(tc, test_huge_line);
	suite_add_tcase(s, tc);
	return s;
}
