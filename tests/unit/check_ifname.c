/*
 * ifname: interface names as a pasted IOS configuration writes them and
 * their binding to Linux devices (`interface-name`, parser/conf_ifname.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf.h"
#include "parser/conf_if.h"
#include "testlib.h"

START_TEST(test_canonical_names)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "GigabitEthernet0/0/0", "GigabitEthernet0/0/0" },
		{ "g0/0/1", "GigabitEthernet0/0/1" },
		{ "Gi0/0/1.100", "GigabitEthernet0/0/1.100" },
		{ "gigabitethernet1", "GigabitEthernet1" },
		{ "f0/0", "FastEthernet0/0" },
		{ "Te1/0/1", "TenGigabitEthernet1/0/1" },
		{ "t0/0", "Tunnel0/0" },
		{ "eth0", "eth0" },
		{ "lo", "lo" },
		{ "Loopback0", "Loopback0" },
		{ "veth-gm1", "veth-gm1" },
	};
	static const char *const bad[] = {
		"veth/1",		/* '/' but no IOS type */
		"eth0/x",
		"averyveryverylongname0",
		"Gi0/0 1",
	};
	char out[CONF_IFNAME_MAX];
	const char *why;

	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		ck_assert_msg(conf_if_canon(ok[i].in, out, sizeof(out), &why)
			      == 0, "%s refused", ok[i].in);
		ck_assert_str_eq(out, ok[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		why = NULL;
		ck_assert_msg(conf_if_canon(bad[i], out, sizeof(out), &why) < 0,
			      "%s accepted as %s", bad[i], out);
		ck_assert_ptr_nonnull(why);
	}
}
END_TEST

START_TEST(test_binding)
{
	struct tl *t = tl_new();
	struct conf *c = tl_conf(t);
	char *run;

	/* an IOS name with no binding is kept and says so */
	ck_assert_int_eq(tl_line(t, "interface FastEthernet0/0"), 0);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "bound to no Linux interface"));
	ck_assert_ptr_null(conf_if_device(c->ifs, "FastEthernet0/0"));
	ck_assert_int_eq(tl_line(t, "interface-name f0/0 linux eth7"), 0);
	ck_assert_str_eq(conf_if_device(c->ifs, "FastEthernet0/0"), "eth7");
	/* the same interface whatever the spelling */
	ck_assert_int_eq(tl_line(t, "int fa0/0"), 0);
	ck_assert_int_eq(tl_line(t, " ip address 10.0.0.1 255.255.255.0"), 0);
	ck_assert_int_eq(tl_line(t, "interface-name Gi0/0/0 linux eth7"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "eth7 is already bound to "
				     "FastEthernet0/0"));
	ck_assert_int_eq(tl_line(t, "interface-name Gi0/0/0 linux a/b"), -1);
	ck_assert_int_eq(tl_line(t, "interface bad/name"), -1);
	ck_assert_ptr_nonnull(strstr(tl_out(t), "Invalid interface name"));
	run = tl_show_run(t);
	ck_assert_ptr_nonnull(strstr(run, "interface-name FastEthernet0/0 "
				     "linux eth7\n!\ninterface FastEthernet0/0\n"
				     " ip address 10.0.0.1 255.255.255.0\n"));
	ck_assert_ptr_null(strstr(run, "interface fa0/0"));
	free(run);
	ck_assert_int_eq(tl_line(t, "no interface-name FastEthernet0/0"), 0);
	ck_assert_ptr_null(conf_if_device(c->ifs, "FastEthernet0/0"));
	/* a Linux name needs no binding */
	ck_assert_str_eq(conf_if_device(c->ifs, "eth0"), "eth0");
	tl_free(t);
}
END_TEST

Suite *
suite_ifname(void)
{
	Suite *s = suite_create("ifname");
	TCase *tc = tcase_create("ifname");

	tcase_add_test(tc, test_canonical_names);
	tcase_add_test(tc, test_binding);
	suite_add_tcase(s, tc);
	return s;
}
