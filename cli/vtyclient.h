/*
 * vtyclient: the client side of the vty socket (`getvpn -S SOCKET`).
 *
 *   getvpn -S SOCKET                  interactive: readline here (the
 *                                     console's keys and pager), commands,
 *                                     `?` and TAB answered by the daemon
 *   getvpn -S SOCKET -c CMD [-c ...]  run the commands in one session
 *   ... < script                      the same with the lines of stdin
 *
 * Exit statuses of vtyclient_*(): VTYCLIENT_OK when every line was
 * accepted, VTYCLIENT_REFUSED when one was refused (or the daemon went
 * away), VTYCLIENT_NOCONN when the socket cannot be reached.
 */
#ifndef CLI_VTYCLIENT_H
#define CLI_VTYCLIENT_H

#include <stdio.h>

enum vtyclient_status {
	VTYCLIENT_OK = 0,
	VTYCLIENT_REFUSED = 1,
	VTYCLIENT_NOCONN = 2,
};

/* Run lines[0..n) in order; a line that leaves a question pending is
 * answered by the next one.  Output goes to out. */
int vtyclient_run_lines(const char *path, char *const *lines, int n,
			FILE *out);
/* The same with the lines read from in. */
int vtyclient_run_file(const char *path, FILE *in, FILE *out);
/* An interactive session on the terminal. */
int vtyclient_interactive(const char *path);

#endif
