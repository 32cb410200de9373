/*
 * main: the `getvpn` command (doc/design.md §2): option parsing and wiring of
 * the front ends.
 *
 *   getvpn [-f FILE] [-k KEYDIR]              console (script mode when
 *                                              stdin is not a terminal)
 *   getvpn [-f FILE] [-k KEYDIR] -c CMD ...   run CMDs here and exit
 *   getvpn -d [-f FILE] [-k KEYDIR] -S SOCKET daemon with a vty socket
 *   getvpn -S SOCKET [-c CMD ...]             attach to a daemon
 *
 * The startup-config is replayed before anything else (doc/ios-cli.md §3.3);
 * refused lines are reported as FILE:LINE on stderr (and syslog for the
 * daemon) and skipped.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/console.h"
#include "cli/version.h"
#include "cli/env.h"
#include "cli/vty.h"
#include "cli/vtyclient.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/nodump.h"
#include "platform/term.h"
#include "roles/coop.h"
#include "roles/ike.h"
#include "roles/ks.h"
#include "roles/keystore.h"

#define GETVPN_KEYDIR "/var/lib/getvpn/keys"
#define MAIN_CMDS_MAX 64

struct main_opts {
	const char *startup;	/* -f */
	const char *key_dir;	/* -k */
	const char *state_dir;	/* -s */
	const char *sock;	/* -S */
	bool daemon;		/* -d */
	uint16_t port;		/* -p: GDOI UDP port */
	const char *backend;	/* -B: data plane */
	bool cores;		/* -C: core dumps allowed */
	uint32_t coop_ms;	/* -A: COOP announcement period */
	char *cmds[MAIN_CMDS_MAX];	/* -c, in order */
	int ncmds;
};

static void
main_usage(FILE *f)
{
	fprintf(f,
		"usage: getvpn [-f FILE] [-k KEYDIR] [-s STATEDIR] [-p PORT] "
		"[-B BACKEND] [-C] [-A MS] [-c CMD ...]\n"
		"       getvpn -d [-f FILE] [-k KEYDIR] [-s STATEDIR] [-p PORT] "
		"[-B BACKEND] [-C] [-A MS] -S SOCKET\n"
		"       getvpn -S SOCKET [-c CMD ...]\n"
		"\n"
		"  -f FILE    startup-config: replayed at start, written by "
		"`write memory`\n"
		"  -k KEYDIR  where RSA key pairs are kept (default %s)\n"
		"  -s DIR     keep each key server group's keys in DIR, so a "
		"restart\n             continues the group (none by default)\n"
		"  -p PORT    GDOI UDP port (default 848)\n"
		"  -B NAME    data plane: auto (default), user, xfrm or null\n"
		"  -d         run as a daemon (in the foreground) with a vty "
		"on -S SOCKET\n"
		"  -C         allow core dumps (they hold keys; off by "
		"default)\n"
		"  -A MS      COOP announcement period in ms, 500-20000 "
		"(default 20000;\n"
		"             the other COOP timers scale with it: labs "
		"and tests)\n"
		"  -S SOCKET  the vty socket: listen on it (-d) or attach to it\n"
		"  -c CMD     run CMD (repeatable; a question takes the next "
		"CMD as answer)\n"
		"  -h         this help\n"
		"  -V         print the version\n", GETVPN_KEYDIR);
}

/* -A MS: within the range the engine scales sensibly. */
static int
main_coop_period(const char *arg, uint32_t *ms)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < COOP_PERIOD_MIN_MS ||
	    v > COOP_ANN_MS) {
		fprintf(stderr, "getvpn: bad COOP period %s (%d-%d ms)\n", arg,
			COOP_PERIOD_MIN_MS, COOP_ANN_MS);
		return -1;
	}
	*ms = (uint32_t)v;
	return 0;
}

/* Returns 0, 1 to exit successfully (-h, -V), or -1 on a usage error. */
static int
main_parse(int argc, char **argv, struct main_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->key_dir = GETVPN_KEYDIR;
	o->port = IKE_GDOI_PORT;
	o->backend = "auto";
	while ((ch = getopt(argc, argv, "f:k:s:S:dCc:hVp:B:A:")) != -1) {
		switch (ch) {
		case 'p':
			o->port = (uint16_t)atoi(optarg);
			if (o->port == 0) {
				fprintf(stderr, "getvpn: bad port %s\n", optarg);
				return -1;
			}
			break;
		case 'A':
			if (main_coop_period(optarg, &o->coop_ms))
				return -1;
			break;
		case 'B': o->backend = optarg; break;
		case 'f': o->startup = optarg; break;
		case 'k': o->key_dir = optarg; break;
		case 's': o->state_dir = optarg; break;
		case 'S': o->sock = optarg; break;
		case 'd': o->daemon = true; break;
		case 'C': o->cores = true; break;
		case 'c':
			if (o->ncmds == MAIN_CMDS_MAX) {
				fprintf(stderr, "getvpn: at most %d -c\n",
					MAIN_CMDS_MAX);
				return -1;
			}
			o->cmds[o->ncmds++] = optarg;
			break;
		case 'h':
			main_usage(stdout);
			return 1;
		case 'V':
			printf("getvpn %s\n", GETVPN_VERSION);
			return 1;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "getvpn: unexpected argument: %s\n", argv[optind]);
		return -1;
	}
	if (o->daemon && o->sock == NULL) {
		fprintf(stderr, "getvpn: -d needs -S SOCKET\n");
		return -1;
	}
	if (o->daemon && o->ncmds > 0) {
		fprintf(stderr, "getvpn: -c runs commands in a client, not "
			"with -d\n");
		return -1;
	}
	return 0;
}

/* Replay errors: to stderr, and line by line to syslog for the daemon. */
struct main_errsink {
	bool syslog;
	char line[1024];
	size_t len;
};

static void
main_err_write(void *arg, const char *buf, size_t len)
{
	struct main_errsink *e = arg;

	fwrite(buf, 1, len, stderr);
	if (!e->syslog)
		return;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n' && e->len + 1 < sizeof(e->line)) {
			e->line[e->len++] = buf[i];
			continue;
		}
		if (buf[i] == '\n' && e->len > 0) {
			e->line[e->len] = '\0';
			log_warnx("%s", e->line);
			e->len = 0;
		}
	}
}

/*
 * Replay the startup-config.  A missing file is an empty router (the
 * first `write memory` creates it); an unreadable one is an error.
 */
static int
main_replay(struct cli_env *env, const char *path, bool daemon)
{
	struct main_errsink e = { .syslog = daemon };
	struct term *err;
	struct stat st;
	int n;

	if (path == NULL)
		return 0;
	if (stat(path, &st) < 0 && errno == ENOENT) {
		fprintf(stderr, "getvpn: %s does not exist yet; starting with "
			"an empty configuration\n", path);
		return 0;
	}
	err = term_new_cb(main_err_write, &e);
	if (err == NULL)
		return -1;
	n = cli_replay_file(env, path, err);
	term_free(err);
	if (n < 0)
		return -1;
	log_ios("SYS", 5, "CONFIG_I", "Configured from memory by console");
	return 0;
}

static void
main_stop(int signo, void *arg)
{
	struct cli_env *env = arg;

	env->stop = true;
	ev_break(env->loop);
}

static int
main_daemon(struct cli_env *env, const struct main_opts *o)
{
	struct vty_server *srv;
	char err[256];

	log_syslog_open("getvpn");
	if (main_replay(env, o->startup, true) < 0)
		return 1;
	if (cli_env_start_router(env, o->port, o->backend, err,
				 sizeof(err)) < 0) {
		fprintf(stderr, "getvpn: %s\n", err);
		return 1;
	}
	srv = vty_server_new(env, env->loop, o->sock, err, sizeof(err));
	if (srv == NULL) {
		fprintf(stderr, "getvpn: %s\n", err);
		log_warnx("vty: %s", err);
		return 1;
	}
	ev_signal(env->loop, SIGTERM, main_stop, env);
	ev_signal(env->loop, SIGINT, main_stop, env);
	/* Until SIGTERM/SIGINT (or `reload`) breaks the loop. */
	ev_run(env->loop);
	vty_server_free(srv);
	log_syslog_close();
	return 0;
}

static int
main_console(struct cli_env *env, const struct main_opts *o)
{
	struct console_local *cl = console_local_new(env);
	char err[256];

	if (cl == NULL) {
		fprintf(stderr, "getvpn: cannot start the console\n");
		return 1;
	}
	main_replay(env, o->startup, false);
	if (cli_env_start_router(env, o->port, o->backend, err,
				 sizeof(err)) < 0) {
		fprintf(stderr, "getvpn: %s\n", err);
		console_local_free(cl);
		return 1;
	}
	/* Ctrl-C is a key here; a SIGINT comes from kill(1): leave cleanly. */
	ev_signal(env->loop, SIGTERM, main_stop, env);
	ev_signal(env->loop, SIGHUP, main_stop, env);
	ev_signal(env->loop, SIGINT, main_stop, env);
	console_local_start(cl);
	/* Until the user leaves, a signal or `reload`. */
	ev_run(env->loop);
	console_local_free(cl);
	return 0;
}

/*
 * Before any key is read: no core dumps unless -C (a core holds the
 * pre-shared keys, TEKs and the rekey private key), and OpenSSL's secure
 * heap for the private keys (out of dumps even with -C).
 */
static void
main_protect_secrets(bool cores)
{
	if (!cores && nodump_process() < 0)
		fprintf(stderr, "getvpn: cannot disable core dumps: %s\n",
			strerror(errno));
	if (keystore_secure_heap() < 0)
		log_warnx("no secure heap for private keys (RLIMIT_MEMLOCK?)");
}

/* Everything that runs the engines in this process. */
static int
main_local(const struct main_opts *o)
{
	struct evloop *loop;
	struct cli_env env;
	char err[256];
	int rc;

	main_protect_secrets(o->cores);
	loop = ev_new();
	if (loop == NULL) {
		fprintf(stderr, "getvpn: out of memory\n");
		return 1;
	}
	if (cli_env_init(&env, loop, o->startup, o->key_dir, err,
			 sizeof(err)) < 0) {
		fprintf(stderr, "getvpn: %s\n", err);
		ev_free(loop);
		return 1;
	}
	env.state_dir = o->state_dir;
	if (o->daemon) {
		rc = main_daemon(&env, o);
	} else if (o->ncmds > 0 || !isatty(STDIN_FILENO)) {
		main_replay(&env, o->startup, false);
		rc = o->ncmds > 0
			? console_script_lines(&env, o->cmds, o->ncmds, stdout,
					       stderr)
			: console_script(&env, stdin, stdout, stderr);
	} else {
		rc = main_console(&env, o);
	}
	cli_env_fini(&env);
	ev_free(loop);
	return rc;
}

int
main(int argc, char **argv)
{
	struct main_opts o;
	int r;

	r = main_parse(argc, argv, &o);
	if (r != 0) {
		if (r < 0)
			main_usage(stderr);
		return r < 0 ? 2 : 0;
	}
	ks_coop_set_period(o.coop_ms);
	/* A vanished peer is a write error, never a fatal signal. */
	signal(SIGPIPE, SIG_IGN);
	if (o.sock != NULL && !o.daemon) {
		if (o.ncmds > 0)
			return vtyclient_run_lines(o.sock, o.cmds, o.ncmds,
						   stdout);
		if (!isatty(STDIN_FILENO))
			return vtyclient_run_file(o.sock, stdin, stdout);
		return vtyclient_interactive(o.sock);
	}
	return main_local(&o);
}
