/*
 * cmd_ping: `ping A.B.C.D [repeat N] [size N] [timeout S] [source A.B.C.D]`
 * with IOS's output: one `!` per reply, `.` per timeout, then the success
 * rate and round-trip times.  The echoes run one after another and the
 * command returns when the last is answered or timed out.
 */
#include "cli/cmd_sys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform/ping.h"
#include "platform/term.h"

/* The echoes run in the session's turn of the event loop: a daemon does
 * nothing else meanwhile, so one ping may wait this long at most. */
#define PING_MAX_WAIT_S 300

struct ping_stats {
	unsigned sent, got, min_us, max_us;
	unsigned long long sum_us;
};

static void
ping_one(struct ping *p, uint32_t dst, unsigned i, unsigned size,
	 unsigned timeout, struct ping_stats *st, struct term *t)
{
	unsigned rtt = 0;
	int rc = ping_echo(p, dst, (uint16_t)i, size, timeout * 1000, &rtt);

	st->sent++;
	if (rc <= 0) {
		term_puts(t, rc < 0 ? "U" : ".");
		return;
	}
	term_puts(t, "!");
	st->got++;
	st->sum_us += rtt;
	if (st->got == 1 || rtt < st->min_us)
		st->min_us = rtt;
	if (rtt > st->max_us)
		st->max_us = rtt;
}

static int
cmd_ping(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	uint32_t dst = 0, src = 0;
	unsigned n = cmd_arg_u32(a, "repeat", 5), size = cmd_arg_u32(a, "size",
		100), timeout = cmd_arg_u32(a, "timeout", 2);
	struct ping_stats st = { 0 };
	char err[96], b[INET_ADDRSTRLEN];
	struct ping *p;

	if (cmd_arg_ip4(a, "addr", &dst) < 0)
		return CMD_ERR_INCOMPLETE;
	if ((unsigned long long)n * timeout > PING_MAX_WAIT_S)
		return cmd_error(ctx, "repeat x timeout is over %d seconds: "
				 "getvpn waits for the echoes in one go",
				 PING_MAX_WAIT_S);
	cmd_arg_ip4(a, "source", &src);
	if ((p = ping_open(src, err, sizeof(err))) == NULL)
		return cmd_error(ctx, "Cannot ping: %s", err);
	term_printf(ctx->out, "Type escape sequence to abort.\nSending %u, "
		    "%u-byte ICMP Echos to %s, timeout is %u seconds:\n", n,
		    size, inet_ntop(AF_INET, &dst, b, sizeof(b)), timeout);
	if (src != 0)
		term_printf(ctx->out, "Packet sent with a source address of "
			    "%s \n", inet_ntop(AF_INET, &src, b, sizeof(b)));
	for (unsigned i = 0; i < n; i++)
		ping_one(p, dst, i, size, timeout, &st, ctx->out);
	ping_close(p);
	term_printf(ctx->out, "\nSuccess rate is %u percent (%u/%u)",
		    st.sent ? st.got * 100 / st.sent : 0, st.got, st.sent);
	if (st.got > 0)
		term_printf(ctx->out, ", round-trip min/avg/max = %u/%llu/%u "
			    "ms", st.min_us / 1000, st.sum_us / st.got / 1000,
			    st.max_us / 1000);
	term_puts(ctx->out, "\n");
	return CMD_OK;
}

const struct cmd_def cli_ping_cmds[] = {
	{ MODE_USER_EXEC, "ping A.B.C.D$addr [repeat <1-2147483647>$repeat] "
	  "[size <36-18024>$size] [timeout <0-3600>$timeout] "
	  "[source A.B.C.D$source]",
	  "Send echo messages\nPing destination address\n"
	  "Specify repeat count\nRepeat count\n"
	  "Specify datagram size\nDatagram size\n"
	  "Specify timeout interval\nTimeout in seconds\n"
	  "Specify source address\nSource address\n",
	  cmd_ping, 0 },
	{ .spec = NULL },
};
