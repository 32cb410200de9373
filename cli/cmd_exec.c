/*
 * cmd_exec: EXEC-mode commands and the commands every config mode has
 * (doc/ios-cli.md §3.2, §4.6-§4.8).  Saving follows doc/design.md §2: the
 * running-config is written atomically to the startup-config file.
 */
#include "cli/cmd_exec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/env.h"
#include "cli/session.h"
#include "parser/conf.h"
#include "platform/fileio.h"
#include "platform/log.h"
#include "platform/showout.h"
#include "platform/term.h"

#define STARTUP_MAX (8u << 20)		/* refuse startup-configs above 8 MiB */
#define NVRAM_SIZE 33554432u		/* the "out of M bytes" of show startup */

static struct cli_session *
sess(const struct cmd_ctx *ctx)
{
	return ctx->session;
}

static struct cli_env *
env_of(const struct cmd_ctx *ctx)
{
	return cli_session_env(ctx->session);
}

/* The running-config body as text (malloc'd). */
static char *
running_text(const struct conf *c, size_t *len)
{
	struct term *t = term_new_mem();
	char *s = NULL;

	if (t == NULL)
		return NULL;
	conf_show(c, t);
	s = strdup(term_mem_data(t, len));
	term_free(t);
	return s;
}

static int
cmd_exit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	cli_session_exit(sess(ctx));
	return CMD_OK;
}

static int
cmd_end(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	cli_session_end(sess(ctx));
	return CMD_OK;
}

static int
cmd_do(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return cli_session_do(sess(ctx), cmd_arg(a, "cmd"),
			      cmd_arg_pos(a, "cmd"), ctx->out) == 0
		? CMD_OK : CMD_WARNING;
}

static void
enter_config(struct cli_session *s, struct term *out)
{
	term_puts(out, "Enter configuration commands, one per line.  "
		  "End with CNTL/Z.\n");
	cli_session_push(s, MODE_CONFIG, NULL);
}

static int
answer_configure(struct cli_session *s, const char *answer, struct term *out,
		 void *arg)
{
	while (*answer == ' ')
		answer++;
	if (*answer == '\0' ||
	    strncasecmp(answer, "terminal", strlen(answer)) == 0) {
		enter_config(s, out);
		return 0;
	}
	term_puts(out, "?Must be \"terminal\"\n");
	return -1;
}

static int
cmd_configure(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (cmd_has(a, "terminal"))
		enter_config(sess(ctx), ctx->out);
	else
		cli_session_ask(sess(ctx), "Configuring from terminal, memory, "
				"or network [terminal]? ", answer_configure, NULL);
	return CMD_OK;
}

static int
cmd_show_running(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	size_t len;
	char *body = running_text(ctx->conf, &len);

	if (body == NULL)
		return cmd_error(ctx, "Out of memory");
	showout_text(ctx->show, "Building configuration...\n\n");
	showout_u64(ctx->show, "current_configuration_bytes", len + 2,
		    "Current configuration : %zu bytes\n!\n", len + 2);
	showout_lines(ctx->show, "lines", body, len);
	explicit_bzero(body, len);	/* the keys, in clear */
	free(body);
	return CMD_OK;
}

static int
cmd_show_startup(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *path = env_of(ctx)->startup_path;
	char *text;
	size_t len;

	if (path == NULL)
		return cmd_error(ctx, "No startup-config file (start getvpn "
				 "with -f FILE)");
	if (file_read_all(path, STARTUP_MAX, &text, &len) < 0) {
		if (errno == ENOENT)
			return cmd_error(ctx, "startup-config is not present");
		return cmd_error(ctx, "Cannot read %s: %s", path,
				 strerror(errno));
	}
	showout_u64(ctx->show, "bytes_used", len, "Using %zu ", len);
	showout_u64(ctx->show, "bytes_total", NVRAM_SIZE,
		    "out of %u bytes\n", NVRAM_SIZE);
	showout_lines(ctx->show, "lines", text, len);
	explicit_bzero(text, len);
	free(text);
	return CMD_OK;
}

static int
save_running(struct cmd_ctx *ctx, struct term *out)
{
	const char *path = env_of(ctx)->startup_path;
	size_t len;
	char *body;
	int rc;

	if (path == NULL) {
		term_puts(out, "% No startup-config file (start getvpn with "
			  "-f FILE)\n");
		return CMD_WARNING;
	}
	body = running_text(ctx->conf, &len);
	if (body == NULL)
		return cmd_error(ctx, "Out of memory");
	term_puts(out, "Building configuration...\n");
	rc = file_write_atomic(path, body, len, 0600);
	explicit_bzero(body, len);	/* the keys, in clear */
	free(body);
	if (rc < 0) {
		term_printf(out, "%% Error writing %s: %s\n", path,
			    strerror(errno));
		return CMD_WARNING;
	}
	term_puts(out, "[OK]\n");
	return CMD_OK;
}

static int
cmd_write_memory(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return save_running(ctx, ctx->out);
}

static int
cmd_write_terminal(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return cmd_show_running(ctx, a);
}


static int
answer_copy_startup(struct cli_session *s, const char *answer,
		    struct term *out, void *arg)
{
	struct cmd_ctx ctx = { .conf = cli_session_env(s)->conf, .out = out,
			       .session = s };

	while (*answer == ' ')
		answer++;
	if (*answer != '\0' && strcmp(answer, "startup-config") != 0) {
		term_puts(out, "% Only startup-config can be written\n");
		return -1;
	}
	return save_running(&ctx, out) == CMD_OK ? 0 : -1;
}

static int
cmd_copy_run_start(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (!ctx->interactive)
		return save_running(ctx, ctx->out);
	cli_session_ask(sess(ctx), "Destination filename [startup-config]? ",
			answer_copy_startup, NULL);
	return CMD_OK;
}

static int
cmd_copy_to_running(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *p = cmd_has(a, "startup-config")
		? env_of(ctx)->startup_path : cmd_arg(a, "file");
	char path[4096];	/* the argument's buffer is reused by the replay */
	int bad;

	if (p == NULL)
		return cmd_error(ctx, "No startup-config file (start getvpn "
				 "with -f FILE)");
	if ((size_t)snprintf(path, sizeof(path), "%s", p) >= sizeof(path))
		return cmd_error(ctx, "File name too long");
	bad = cli_replay_file(env_of(ctx), path, ctx->out);
	if (bad < 0)
		return CMD_WARNING;
	if (bad > 0)
		term_printf(ctx->out, "%% %d line%s refused\n", bad,
			    bad == 1 ? "" : "s");
	log_ios("SYS", 5, "CONFIG_I", "Configured from %s by %s", path,
		cli_session_name(sess(ctx)));
	return bad ? CMD_WARNING : CMD_OK;
}

static int
cmd_terminal(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *what = cmd_arg(a, "what");

	if (what != NULL && strcmp(what, "length") == 0)
		cli_session_set_term_length(sess(ctx), cmd_arg_u32(a, "n", 24));
	else if (what != NULL && strcmp(what, "width") == 0)
		cli_session_set_term_width(sess(ctx), cmd_arg_u32(a, "n", 80));
	else if (cmd_has(a, "monitor"))
		cli_session_set_monitor(sess(ctx), !cmd_has(a, "no"));
	return CMD_OK;
}

static int
cmd_show_logging(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct term *t = term_new_mem();
	const char *text;
	size_t len;

	if (t == NULL)
		return cmd_error(ctx, "Out of memory");
	log_buffer_show(t);
	text = term_mem_data(t, &len);
	showout_lines(ctx->show, "lines", text, len);
	term_free(t);
	return CMD_OK;
}

static int
cmd_clear_logging(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	log_buffer_clear();
	return CMD_OK;
}

static int
cmd_undebug_all(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	log_debug_all_off();
	term_puts(ctx->out, "All possible debugging has been turned off\n");
	return CMD_OK;
}

static int
cmd_show_bare(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	term_puts(ctx->out, "% Type \"show ?\" for a list of subcommands\n");
	return CMD_WARNING;
}

#define TERM_HELP "Set terminal line parameters\n"

const struct cmd_def cli_exec_cmds[] = {
	{ MODE_USER_EXEC, "{exit|logout|quit}",
	  "Exit from the EXEC\nExit from the EXEC\nExit from the EXEC\n",
	  cmd_exit, 0 },
	{ MODE_USER_EXEC, "terminal {length|width}$what <0-512>$n",
	  TERM_HELP "Set number of lines on a screen\n"
	  "Set width of the display terminal\nNumber of lines or characters\n",
	  cmd_terminal, 0 },
	{ MODE_USER_EXEC, "terminal [no] monitor",
	  "\nNegate a command\nCopy debug output to the current terminal line\n",
	  cmd_terminal, 0 },
	{ MODE_USER_EXEC, "show", "Show running system information\n",
	  cmd_show_bare, CMD_F_PREFERRED },
	{ MODE_EXEC, "configure [terminal]",
	  "Enter configuration mode\nConfigure from the terminal\n",
	  cmd_configure, CMD_F_PREFERRED },
	{ MODE_EXEC, "show running-config",
	  "\nCurrent operating configuration\n", cmd_show_running,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_EXEC, "show startup-config",
	  "\nContents of startup configuration\n", cmd_show_startup,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_EXEC, "show logging",
	  "\nShow the contents of logging buffers\n", cmd_show_logging,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_EXEC, "clear logging",
	  "Reset functions\nClear logging buffer\n", cmd_clear_logging, 0 },
	{ MODE_EXEC, "write [memory]",
	  "Write running configuration to memory, network, or terminal\n"
	  "Write to NV memory\n", cmd_write_memory, CMD_F_PREFERRED },
	{ MODE_EXEC, "write terminal",
	  "\nWrite to terminal\n", cmd_write_terminal,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_EXEC, "copy running-config startup-config",
	  "Copy from one file to another\ncopy from current system "
	  "configuration\ncopy to startup configuration\n",
	  cmd_copy_run_start, 0 },
	{ MODE_EXEC, "copy {startup-config|WORD$file} running-config",
	  "\ncopy from startup configuration\nA file name\n"
	  "Update (merge with) current system configuration\n",
	  cmd_copy_to_running, 0 },
	{ MODE_EXEC, "undebug all",
	  "Disable debugging functions (see also 'debug')\n"
	  "Disable all debugging\n", cmd_undebug_all, 0 },
	{ MODE_EXEC, "no debug all",
	  "Negate a command or set its defaults\n"
	  "Debugging functions (see also 'undebug')\nDisable all debugging\n",
	  cmd_undebug_all, 0 },
	{ .spec = NULL },
};

#define MODE_CMDS(m)							\
	{ m, "exit", "Exit from configure mode\n", cmd_exit,		\
	  CMD_F_NO_NEGATE },						\
	{ m, "end", "Exit from configure mode\n", cmd_end,		\
	  CMD_F_NO_NEGATE | CMD_F_HIDDEN },				\
	{ m, "do LINE$cmd", "To run exec commands in config mode\n"	\
	  "Exec Command\n", cmd_do, CMD_F_NO_NEGATE }

const struct cmd_def cli_mode_cmds[] = {
	MODE_CMDS(MODE_CONFIG),
	MODE_CMDS(MODE_ISAKMP_POLICY),
	MODE_CMDS(MODE_TRANSFORM_SET),
	MODE_CMDS(MODE_IPSEC_PROFILE),
	MODE_CMDS(MODE_ACL_EXT),
	MODE_CMDS(MODE_ACL_STD),
	MODE_CMDS(MODE_INTERFACE),
	MODE_CMDS(MODE_LINE),
	MODE_CMDS(MODE_GDOI_GROUP),
	MODE_CMDS(MODE_GDOI_SERVER),
	MODE_CMDS(MODE_GDOI_SA),
	MODE_CMDS(MODE_GDOI_COOP),
	MODE_CMDS(MODE_CRYPTO_MAP),
	MODE_CMDS(MODE_CRYPTO_MAP_FC),
	MODE_CMDS(MODE_PKI_TRUSTPOINT),
	MODE_CMDS(MODE_KEYRING),
	{ .spec = NULL },
};
