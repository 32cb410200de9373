/*
 * ssh: real clients no one here wrote.  tests/ssh/real_clients.sh starts
 * OpenSSH's sshd in a network namespace of its own, with a local user
 * whose sessions run `getvpn -S SOCKET`, and drives a getvpn daemon
 * through it with netmiko (cisco_ios) and Ansible (cisco.ios modules);
 * it removes the user, sshd, the daemon and the namespace on any exit.
 * Needs root and `make deps` (openssh-server, python3-netmiko, ansible).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

START_TEST(test_netmiko_ansible)
{
	const char *b = getenv("GETVPN_BIN");
	char cmd[512];

	if (b == NULL || access(b, X_OK) != 0)
		b = "build/getvpn";
	ck_assert_msg(geteuid() == 0, "the SSH test needs root");
	snprintf(cmd, sizeof(cmd), "timeout 240 bash tests/ssh/real_clients.sh %s",
		 b);
	ck_assert_msg(system(cmd) == 0, "%s failed (its logs are above)", cmd);
}
END_TEST

Suite *suite_ssh(void);

Suite *
suite_ssh(void)
{
	Suite *s = suite_create("ssh");
	TCase *tc = tcase_create("real_clients");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_netmiko_ansible);
	suite_add_tcase(s, tc);
	return s;
}
