/*
 * cmd_sys: the EXEC commands about the host rather than GET VPN, in the
 * IOS-XE layouts automation parses (doc/cli.md "System show commands"):
 * show version, show clock, show terminal, show history.  The values are
 * this process's and this Linux host's own.
 */
#include "cli/cmd_sys.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "platform/showout.h"
#include "cli/session.h"
#include "cli/version.h"
#include "parser/conf.h"
#include "platform/netinfo.h"
#include "platform/term.h"

static const char *const days[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* How long this process has run, from /proc (seconds). */
static unsigned long
process_uptime(void)
{
	unsigned long long start = 0;
	double up = 0;
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");

	if (f == NULL)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* field 22, starttime, is the 20th after the command name */
	for (int i = 0; p != NULL && i < 20; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %llu", &start) != 1)
		return 0;
	if ((f = fopen("/proc/uptime", "r")) == NULL)
		return 0;
	if (fscanf(f, "%lf", &up) != 1)
		up = 0;
	fclose(f);
	start /= (unsigned long long)sysconf(_SC_CLK_TCK);
	return up > (double)start ? (unsigned long)(up - (double)start) : 0;
}

/* "1 week, 6 days, 2 hours, 30 minutes": IOS starts at the largest unit
 * that is not zero and always ends with minutes. */
static void
format_uptime(char *buf, size_t len, unsigned long sec)
{
	static const struct { const char *name; unsigned long secs; } u[] = {
		{ "year", 31536000 }, { "week", 604800 }, { "day", 86400 },
		{ "hour", 3600 }, { "minute", 60 },
	};
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(u) / sizeof(*u) && off < len; i++) {
		unsigned long n = sec / u[i].secs;

		sec %= u[i].secs;
		if (n == 0 && off == 0 && i + 1 < sizeof(u) / sizeof(*u))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%lu %s%s",
					off ? ", " : "", n, u[i].name,
					n == 1 ? "" : "s");
	}
}

/* What show version reports, gathered once for the text and for JSON. */
struct sys_version {
	struct utsname u;
	const char *hostname;
	char uptime[96], cp_uptime[96];
	unsigned long uptime_s;
	char image[PATH_MAX];
	unsigned long long mem_kb;
	unsigned eth, other;		/* interfaces by kind */
};

/* Interfaces by ARP hardware type, as IOS counts them by kind. */
static void
count_interfaces(struct sys_version *v)
{
	struct netinfo ni;
	char err[96];

	if (netinfo_read(&ni, err, sizeof(err)) < 0)
		return;
	for (size_t i = 0; i < ni.nlinks; i++) {
		if (ni.links[i].arptype == 1)		/* ARPHRD_ETHER */
			v->eth++;
		else if (ni.links[i].arptype != 772)	/* not loopback */
			v->other++;
	}
	netinfo_free(&ni);
}

static void
gather_version(const struct cmd_ctx *ctx, struct sys_version *v)
{
	struct sysinfo si;
	ssize_t n;

	memset(v, 0, sizeof(*v));
	uname(&v->u);
	sysinfo(&si);
	v->hostname = ctx->conf->hostname;
	v->uptime_s = process_uptime();
	format_uptime(v->uptime, sizeof(v->uptime), v->uptime_s);
	format_uptime(v->cp_uptime, sizeof(v->cp_uptime),
		      (unsigned long)si.uptime);
	n = readlink("/proc/self/exe", v->image, sizeof(v->image) - 1);
	v->image[n > 0 ? n : 0] = '\0';
	v->mem_kb = (unsigned long long)si.totalram * si.mem_unit / 1024;
	count_interfaces(v);
}

/* The interfaces by kind, under genie's number_of_intfs. */
static void
version_intfs(const struct sys_version *v, struct showout *o)
{
	showout_obj(o, "number_of_intfs");
	showout_u64(o, "Ethernet", v->eth, "%u Ethernet interface%s\n",
		    v->eth, v->eth == 1 ? "" : "s");
	if (v->other > 0)
		showout_u64(o, "Virtual", v->other, "%u Virtual interface%s\n",
			    v->other, v->other == 1 ? "" : "s");
	else
		showout_u64(o, "Virtual", 0, NULL);
	showout_end(o);
}

/*
 * The first two lines are the ones ios_facts and genie key on for the
 * version, OS and platform; the third says what this really is.  JSON
 * keys are genie's ShowVersion names.
 */
static void
version_show(const struct sys_version *v, struct showout *o)
{
	const struct utsname *u = &v->u;

	showout_obj(o, "version");
	showout_str(o, "version", GETVPN_VERSION, "Cisco IOS XE Software, "
		    "Version %s\n", GETVPN_VERSION);
	showout_str(o, "os", "getvpn", NULL);
	showout_str(o, "platform", "Linux", NULL);
	showout_text(o, "Cisco IOS Software [getvpn], Linux Software "
		     "(GETVPN-%s), Version " GETVPN_VERSION ", RELEASE "
		     "SOFTWARE (getvpn)\n", u->machine);
	showout_text(o, "getvpn: GET VPN (RFC 6407 GDOI) key server and group "
		     "member for Linux, not Cisco software;\n"
		     "the lines follow the IOS-XE layout for the tools that "
		     "parse it.\n\n");
	showout_str(o, "rom", u->release, "ROM: Linux %s ", u->release);
	showout_str(o, "kernel_version", u->version, "%s\n\n", u->version);
	showout_str(o, "hostname", v->hostname, "%s ", v->hostname);
	showout_str(o, "uptime", v->uptime, "uptime is %s\n", v->uptime);
	showout_u64(o, "uptime_seconds", v->uptime_s, NULL);
	showout_str(o, "uptime_this_cp", v->cp_uptime, "Uptime for this "
		    "control processor is %s\n", v->cp_uptime);
	showout_str(o, "system_image", v->image, "System image file is "
		    "\"%s\"\n", v->image);
	showout_text(o, "Last reload reason: process start\n\n");
	showout_str(o, "processor_type", u->machine, "cisco getvpn (%s) "
		    "processor (revision %s) with %lluK/0K bytes of memory.\n",
		    u->machine, u->release, v->mem_kb);
	showout_str(o, "chassis_sn", u->nodename, "Processor board ID %s\n",
		    u->nodename);
	showout_text(o, "Router operating mode: Autonomous\n");
	version_intfs(v, o);
	showout_u64(o, "main_mem_kb", v->mem_kb, "%lluK bytes of physical "
		    "memory.\n\n", v->mem_kb);
	showout_str(o, "curr_config_register", "0x2102",
		    "Configuration register is %s\n\n", "0x2102");
	showout_end(o);
}

static int
cmd_show_version(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct sys_version *v = malloc(sizeof(*v));

	if (v == NULL)
		return cmd_error(ctx, "Out of memory");
	gather_version(ctx, v);
	version_show(v, ctx->show);
	free(v);
	return CMD_OK;
}

/*
 * show clock: "*10:15:02.120 UTC Mon Dec 7 2026"; the `*` says the clock
 * is not synchronised (the kernel's NTP state, adjtimex(2)).
 */
static int
cmd_show_clock(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct timex tx = { 0 };
	struct timespec ts;
	struct tm tm;
	char zone[16], hms[32], date[32];
	bool synced = adjtimex(&tx) != TIME_ERROR;
	struct showout *o = ctx->show;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(zone, sizeof(zone), "%Z", &tm);
	snprintf(hms, sizeof(hms), "%02d:%02d:%02d.%03ld", tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	snprintf(date, sizeof(date), "%s %s %d %d", days[tm.tm_wday % 7],
		 months[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900);
	showout_bool(o, "synchronized", synced, "%s", synced ? "" : "*");
	showout_str(o, "time", hms, "%s ", hms);
	showout_str(o, "timezone", zone, "%s ", zone);
	showout_str(o, "date", date, "%s\n", date);
	return CMD_OK;
}

static int
cmd_show_terminal(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cli_session *s = ctx->session;
	struct showout *o = ctx->show;
	unsigned len = cli_session_term_length(s);
	unsigned width = cli_session_term_width(s);

	showout_u64(o, "line", 0, "Line %u, ", 0u);
	showout_str(o, "location", "", "Location: \"%s\", ", "");
	showout_str(o, "type", cli_session_name(s), "Type: \"%s\"\n",
		    cli_session_name(s));
	showout_u64(o, "length", len, "Length: %u lines, ", len);
	showout_u64(o, "width", width, "Width: %u columns\n", width);
	showout_str(o, "status", "Ready, Active", "Status: %s\n",
		    "Ready, Active");
	showout_str(o, "capabilities", "none", "Capabilities: %s\n", "none");
	showout_bool(o, "editing", true, "Editing is enabled.\n");
	showout_bool(o, "history", true, "History is enabled, ");
	showout_u64(o, "history_size", 10, "history size is %u.\n", 10u);
	return CMD_OK;
}

static int
cmd_show_history(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *l;

	showout_list(ctx->show, "history");
	for (unsigned i = 0; i < 10; i++)
		if ((l = cli_session_history(ctx->session, i)) != NULL)
			showout_str(ctx->show, NULL, l, "  %s\n", l);
	showout_end(ctx->show);
	return CMD_OK;
}

const struct cmd_def cli_sys_cmds[] = {
	{ MODE_USER_EXEC, "show version",
	  "\nSystem hardware and software status\n", cmd_show_version,
	  CMD_F_PREFERRED | CMD_F_SHOW },
	{ MODE_USER_EXEC, "show clock", "\nDisplay the system clock\n",
	  cmd_show_clock, CMD_F_SHOW },
	{ MODE_USER_EXEC, "show terminal",
	  "\nDisplay terminal configuration parameters\n",
	  cmd_show_terminal, CMD_F_SHOW },
	{ MODE_USER_EXEC, "show history",
	  "\nDisplay the session command history\n", cmd_show_history,
	  CMD_F_SHOW },
	{ .spec = NULL },
};
