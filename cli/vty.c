/*
 * vty: the vty socket server of `getvpn -d` (doc/design.md §2): the listening
 * socket, one client per connection with its own cli_session, and the
 * request/answer loop of doc/vty-protocol.md.
 *
 * One request is handled at a time per client.  While the answer has not
 * been written out, the client's further bytes stay unread in the socket
 * (back-pressure), so a client that stops reading can only pile up the
 * output of one command plus `terminal monitor` log lines.  The output
 * is written as the client reads it, however long; a client that takes
 * nothing for VTY_STALL_MS, or lets log lines pile past VTY_OUT_MAX, is
 * dropped.  The event loop watches readability only, so a blocked writer
 * is retried from a short timer.
 *
 * Access (doc/vty-protocol.md): SO_PEERCRED maps the peer to the
 * administrator (root, our own user) or a configured username; the last
 * slot is kept for privilege 15; exec-timeout closes idle sessions.
 *
 * A client is freed only from its own event-loop callbacks (read or
 * timer); log sinks and write errors just mark it dead and arm the timer,
 * because they can run while the logger or a session is on the stack.
 */
#include "cli/vty.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cmd_banner.h"
#include "cli/env.h"
#include "cli/session.h"
#include "cli/vtyproto.h"
#include "parser/conf.h"
#include "parser/conf_aaa.h"
#include "platform/evloop.h"
#include "platform/log.h"
#include "platform/term.h"

#define VTY_READ_MAX (16 * 1024)
/* Write retries while the peer is slow: soon while it keeps reading,
 * backing off to VTY_RETRY_MAX_MS while it does not. */
#define VTY_RETRY_MIN_MS 1
#define VTY_RETRY_MAX_MS 64
#define VTY_BACKLOG 16
/* A command's output, however long, is written as fast as the client
 * reads it (no request is read meanwhile); a client that takes nothing
 * for VTY_STALL_MS while output waits is dropped. */
#define VTY_STALL_MS 10000
#define VTY_ACCEPT_PAUSE_MS 100

struct vty_client {
	struct vty_server *srv;
	unsigned idx;			/* N of "vtyN" and the slot */
	int fd;
	struct ev_io *io;		/* NULL while back-pressured */
	struct ev_timer *tm;		/* retry writes / free a dead client */
	struct ev_timer *idle_tm;	/* exec-timeout */
	struct ev_timer *hold_tm;	/* the wait after wrong passwords */
	bool hold;			/* answers wait for hold_tm */
	struct vtyproto_dec dec;
	char in[VTY_READ_MAX];		/* bytes read, not yet decoded */
	size_t in_off, in_len;
	struct vtyproto_buf out;	/* frames to send */
	struct vtyproto_buf staged;	/* output text of the running line */
	struct term *term;		/* the session writes into staged */
	struct term *scratch;		/* help text */
	struct cli_session *sess;
	bool busy;			/* a request is being handled */
	bool closing;			/* `exit`: close once flushed */
	bool dead;			/* free at the next callback */
	bool sink;
	const char *why;		/* why it was dropped, for the log */
	unsigned retry_ms;		/* next write retry delay */
	uint64_t progress_ms;		/* when the client last took bytes */
};

struct vty_server {
	struct cli_env *env;
	struct evloop *loop;
	int fd;
	struct ev_io *io;
	struct ev_timer *pause_tm;	/* accept paused after EMFILE */
	char *path;
	dev_t dev;
	ino_t ino;
	struct vty_client *clients[VTY_MAX_CLIENTS];
	size_t nclients;
};

static void client_read_cb(int fd, void *arg);
static void client_log_sink(void *arg, int sev, const char *line);

static void
client_free(struct vty_client *c)
{
	c->srv->clients[c->idx] = NULL;
	c->srv->nclients--;
	ev_io_cancel(&c->io);
	ev_timer_cancel(&c->tm);
	ev_timer_cancel(&c->idle_tm);
	ev_timer_cancel(&c->hold_tm);
	if (c->sink)
		log_sink_remove(client_log_sink, c);
	cli_session_free(c->sess);
	term_free(c->term);
	term_free(c->scratch);
	vtyproto_dec_fini(&c->dec);
	vtyproto_buf_free(&c->out);
	vtyproto_buf_free(&c->staged);
	close(c->fd);
	free(c);
}

static void client_timer_cb(void *arg);

/* (Re)arm the client's timer; a dead client is freed at once. */
static void
client_arm(struct vty_client *c)
{
	uint64_t ms = c->dead ? 0 : c->retry_ms;

	if (c->tm != NULL && ev_timer_remaining(c->tm) <= ms)
		return;
	ev_timer_cancel(&c->tm);
	ev_timer(c->srv->loop, ms, client_timer_cb, c, &c->tm);
}

/* Mark c for freeing; the reason is logged then, outside any log sink
 * (the logger drops lines logged from inside a sink). */
static void
client_kill(struct vty_client *c, const char *why)
{
	if (c->dead)
		return;
	c->dead = true;
	c->why = why;
	client_arm(c);
}

/* Write what the socket takes now. */
static void
client_flush(struct vty_client *c)
{
	size_t before = vtyproto_buf_pending(&c->out);

	while (!c->dead && !c->hold && vtyproto_buf_pending(&c->out) > 0) {
		ssize_t n = write(c->fd, c->out.data + c->out.off,
				  vtyproto_buf_pending(&c->out));

		if (n > 0)
			vtyproto_buf_consume(&c->out, (size_t)n);
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else
			client_kill(c, NULL);	/* the peer went away */
	}
	if (vtyproto_buf_pending(&c->out) < before || before == 0) {
		c->retry_ms = VTY_RETRY_MIN_MS;
		c->progress_ms = ev_now(c->srv->loop);
	} else if (c->retry_ms < VTY_RETRY_MAX_MS) {
		c->retry_ms *= 2;
	}
	if (vtyproto_buf_pending(&c->out) > 0 &&
	    ev_now(c->srv->loop) - c->progress_ms > VTY_STALL_MS)
		client_kill(c, "output not read");
}

/* Move the staged command output into OUTPUT frames. */
static void
client_unstage(struct vty_client *c)
{
	size_t n = vtyproto_buf_pending(&c->staged);

	if (n == 0)
		return;
	if (vtyproto_put_chunked(&c->out, VTYPROTO_OUTPUT,
				 c->staged.data + c->staged.off, n) < 0)
		client_kill(c, "out of memory");
	vtyproto_buf_consume(&c->staged, n);
}

static void
client_term_write(void *arg, const char *buf, size_t len)
{
	struct vty_client *c = arg;

	/* A dead client's command still runs to its end: drop its output. */
	if (c->dead)
		return;
	if (vtyproto_buf_add(&c->staged, buf, len) < 0) {
		client_kill(c, "out of memory");
		return;
	}
	if (vtyproto_buf_pending(&c->staged) >= VTYPROTO_CHUNK_MAX)
		client_unstage(c);
}

static void
client_log_sink(void *arg, int sev, const char *line)
{
	struct vty_client *c = arg;

	if (c->dead || !cli_session_monitor(c->sess))
		return;
	/* Keep the order: what the command printed so far goes first. */
	client_unstage(c);
	if (vtyproto_put(&c->out, VTYPROTO_LOG, line, strlen(line)) < 0) {
		client_kill(c, NULL);
		return;
	}
	/* log lines that are not read: no flow control for them */
	if (vtyproto_buf_pending(&c->out) > VTY_OUT_MAX) {
		client_kill(c, "output not read");
		return;
	}
	if (!c->busy)
		client_flush(c);
	if (c->dead || vtyproto_buf_pending(&c->out) > 0)
		client_arm(c);
}

static void
client_done(struct vty_client *c, bool refused, bool secret)
{
	struct vtyproto_done d = { .status = refused };

	if (cli_session_asking(c->sess))
		d.flags |= VTYPROTO_DONE_ASKING;
	if (cli_session_closed(c->sess)) {
		d.flags |= VTYPROTO_DONE_CLOSED;
		c->closing = true;
	}
	if (secret)
		d.flags |= VTYPROTO_DONE_SECRET;
	if (cli_session_hidden(c->sess))
		d.flags |= VTYPROTO_DONE_NOECHO;
	d.term_length = cli_session_term_length(c->sess);
	d.term_width = cli_session_term_width(c->sess);
	snprintf(d.prompt, sizeof(d.prompt), "%s", cli_session_prompt(c->sess));
	if (vtyproto_put_done(&c->out, &d) < 0)
		client_kill(c, "out of memory");
}

static void client_settle(struct vty_client *c);
static void client_idle_arm(struct vty_client *c);

static void
client_hold_cb(void *arg)
{
	struct vty_client *c = arg;

	c->hold = false;
	client_idle_arm(c);
	client_flush(c);
	client_settle(c);
}

static void
client_line(struct vty_client *c, const char *line, size_t len)
{
	struct cli_env *env = c->srv->env;
	bool secret = cli_session_is_secret(c->sess, line);
	unsigned delay;
	int rc;

	c->busy = true;
	/* more frames already received: a paste, committed at its end */
	cli_session_set_batch(c->sess, c->in_off < c->in_len);
	rc = cli_session_line_len(c->sess, line, len, c->term);
	c->busy = false;
	client_unstage(c);
	client_done(c, rc < 0, secret);
	/* Wrong passwords: the answer (and the next try) waits. */
	delay = cli_session_take_delay(c->sess);
	if (delay > 0) {
		c->hold = true;
		ev_timer(c->srv->loop, delay, client_hold_cb, c, &c->hold_tm);
	}
	if (env->stop)
		ev_break(c->srv->loop);
}

static void
client_help(struct vty_client *c, const char *line)
{
	const char *text;
	size_t len;

	term_mem_reset(c->scratch);
	cli_session_help(c->sess, line, c->scratch);
	text = term_mem_data(c->scratch, &len);
	if (len > VTYPROTO_CHUNK_MAX)
		len = VTYPROTO_CHUNK_MAX;
	if (vtyproto_put(&c->out, VTYPROTO_HELP_TEXT, text, len) < 0)
		client_kill(c, "out of memory");
}

static void
client_complete(struct vty_client *c, const char *line)
{
	char *done = cli_session_complete(c->sess, line);
	size_t len = done ? strlen(done) : 0;

	/* An answer too long to frame is a bell, like no answer. */
	if (vtyproto_put(&c->out, VTYPROTO_COMPLETION, done, len) < 0 &&
	    vtyproto_put(&c->out, VTYPROTO_COMPLETION, "", 0) < 0)
		client_kill(c, "out of memory");
	free(done);
}

/* A request longer than VTYPROTO_LINE_MAX went past unread. */
static void
client_toolong(struct vty_client *c, enum vtyproto_type type)
{
	static const char msg[] = "% Line too long\n";

	switch (type) {
	case VTYPROTO_LINE:
		vtyproto_put(&c->out, VTYPROTO_OUTPUT, msg, sizeof(msg) - 1);
		client_done(c, true, false);
		break;
	case VTYPROTO_HELP:
		vtyproto_put(&c->out, VTYPROTO_HELP_TEXT, msg, sizeof(msg) - 1);
		break;
	default:
		vtyproto_put(&c->out, VTYPROTO_COMPLETION, "", 0);
		break;
	}
}

static void
client_frame(struct vty_client *c)
{
	const char *p = c->dec.payload;

	client_idle_arm(c);
	switch (c->dec.type) {
	case VTYPROTO_LINE:
		client_line(c, p, c->dec.len);
		break;
	case VTYPROTO_HELP:
		client_help(c, p);
		break;
	case VTYPROTO_COMPLETE:
		client_complete(c, p);
		break;
	case VTYPROTO_TERMINAL:
		cli_session_set_terminal(c->sess);
		break;
	default:
		client_kill(c, "unexpected frame");
		break;
	}
}

/* Decode and answer buffered requests, one answer in flight at a time. */
static void
client_process(struct vty_client *c)
{
	while (c->in_off < c->in_len && !c->dead && !c->closing &&
	       vtyproto_buf_pending(&c->out) == 0) {
		size_t used;
		enum vtyproto_event ev;

		ev = vtyproto_feed(&c->dec, c->in + c->in_off,
				   c->in_len - c->in_off, &used);
		c->in_off += used;
		if (ev == VTYPROTO_FRAME)
			client_frame(c);
		else if (ev == VTYPROTO_TOOLONG)
			client_toolong(c, c->dec.type);
		else if (ev == VTYPROTO_BAD)
			client_kill(c, "protocol error");
		client_flush(c);
	}
}

/*
 * After a callback: free a dead or finished client, or decide whether
 * to read more (everything answered and written) or to wait.
 */
static void
client_settle(struct vty_client *c)
{
	bool pending = vtyproto_buf_pending(&c->out) > 0;

	if (c->dead || (c->closing && !pending)) {
		if (c->why != NULL)
			log_warnx("vty%u: %s, dropping the client", c->idx,
				  c->why);
		client_free(c);
		return;
	}
	if (pending || c->in_off < c->in_len) {
		ev_io_cancel(&c->io);
		if (pending)
			client_arm(c);
		return;
	}
	if (c->io == NULL && !c->closing)
		ev_read(c->srv->loop, c->fd, client_read_cb, c, &c->io);
}

static void
client_timer_cb(void *arg)
{
	struct vty_client *c = arg;

	client_flush(c);
	client_process(c);
	client_settle(c);
}

static void
client_read_cb(int fd, void *arg)
{
	struct vty_client *c = arg;
	ssize_t n;

	if (c->dead || c->in_off < c->in_len) {
		client_settle(c);
		return;
	}
	n = read(fd, c->in, sizeof(c->in));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* Gone, maybe mid-frame: the partial request dies with it. */
		client_free(c);
		return;
	}
	c->in_off = 0;
	c->in_len = (size_t)n;
	client_process(c);
	client_settle(c);
}

/* exec-timeout: an idle session is told and closed (doc/ios-cli.md §4.11
 * tools set it; 0 is never). */
static void
client_idle_cb(void *arg)
{
	static const char msg[] = "\n% Idle timeout: the session was closed\n";
	struct vty_client *c = arg;

	if (c->dead || c->closing)
		return;
	/* the daemon, not the user, is behind: a held answer, or output
	 * still being read */
	if (c->hold || vtyproto_buf_pending(&c->out) > 0) {
		client_idle_arm(c);
		return;
	}
	vtyproto_put(&c->out, VTYPROTO_OUTPUT, msg, sizeof(msg) - 1);
	c->closing = true;
	log_info("vty%u: idle for %lu s, closed", c->idx,
		 cli_session_idle(c->sess));
	client_flush(c);
	client_settle(c);
}

static void
client_idle_arm(struct vty_client *c)
{
	unsigned s = c->srv->env->conf->aaa->vty_timeout;

	ev_timer_cancel(&c->idle_tm);
	if (s > 0)
		ev_timer(c->srv->loop, (uint64_t)s * 1000, client_idle_cb, c,
			 &c->idle_tm);
}

static struct vty_client *
client_new(struct vty_server *srv, int fd, unsigned idx)
{
	struct vty_client *c = calloc(1, sizeof(*c));
	char name[16];

	if (c == NULL)
		return NULL;
	c->srv = srv;
	c->idx = idx;
	c->fd = fd;
	c->retry_ms = VTY_RETRY_MIN_MS;
	c->progress_ms = ev_now(srv->loop);
	vtyproto_dec_init(&c->dec, VTYPROTO_AT_DAEMON);
	snprintf(name, sizeof(name), "vty%u", idx);
	c->sess = cli_session_new(srv->env, name, CLI_SESS_VTY);
	c->term = term_new_cb(client_term_write, c);
	c->scratch = term_new_mem();
	srv->clients[idx] = c;
	srv->nclients++;
	if (c->sess == NULL || c->term == NULL || c->scratch == NULL) {
		client_free(c);
		return NULL;
	}
	c->sink = log_sink_add(client_log_sink, c, 7) == 0;
	return c;
}

/*
 * Who is on the other end (SO_PEERCRED): root and the daemon's own user
 * are the administrator (privilege 15); anybody else must be a
 * configured username, with its privilege.  Returns the privilege, or -1.
 */
static int
peer_login(struct vty_server *srv, int fd, char *user, size_t len)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct passwd *pw;
	const struct conf_user *u;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0)
		return -1;
	pw = getpwuid(cred.uid);
	snprintf(user, len, "%s", pw ? pw->pw_name : "");
	if (cred.uid == 0 || cred.uid == geteuid())
		return CLI_PRIV_ADMIN;
	u = pw ? conf_aaa_user(srv->env->conf->aaa, pw->pw_name) : NULL;
	if (u == NULL) {
		log_warnx("vty: uid %u (%s) is not a configured username: "
			  "refused", (unsigned)cred.uid, pw ? pw->pw_name : "?");
		return -1;
	}
	return (int)u->priv;
}

/* A free slot; the last VTY_RESERVED are kept for privilege 15. */
static int
server_slot(struct vty_server *srv, int priv)
{
	unsigned idx;

	if (priv < CLI_PRIV_ADMIN &&
	    srv->nclients + VTY_RESERVED >= VTY_MAX_CLIENTS)
		return -1;
	for (idx = 0; idx < VTY_MAX_CLIENTS && srv->clients[idx]; idx++)
		;
	return idx < VTY_MAX_CLIENTS ? (int)idx : -1;
}

static void
server_accept_one(struct vty_server *srv, int fd)
{
	struct vty_client *c;
	char user[CONF_NAME_MAX];
	int priv = peer_login(srv, fd, user, sizeof(user)), idx;

	if (priv < 0) {
		close(fd);
		return;
	}
	idx = server_slot(srv, priv);
	if (idx < 0) {
		log_warnx("vty: %zu sessions open, connection from %s refused",
			  srv->nclients, user);
		close(fd);
		return;
	}
	c = client_new(srv, fd, (unsigned)idx);
	if (c == NULL) {
		close(fd);
		return;
	}
	cli_session_login(c->sess, user, (unsigned)priv);
	client_idle_arm(c);
	cli_banner_greet(srv->env->conf, c->term);
	client_unstage(c);
	/* The greeting: a DONE that carries the first prompt. */
	client_done(c, false, false);
	client_flush(c);
	client_settle(c);
}

static void server_accept_cb(int lfd, void *arg);

static void
server_resume_cb(void *arg)
{
	struct vty_server *srv = arg;

	if (srv->io == NULL)
		ev_read(srv->loop, srv->fd, server_accept_cb, srv, &srv->io);
}

static void
server_accept_cb(int lfd, void *arg)
{
	struct vty_server *srv = arg;
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			server_accept_one(srv, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		/* Out of descriptors: the pending connection keeps the
		 * socket readable, so pause instead of spinning. */
		log_warn("vty: accept");
		ev_io_cancel(&srv->io);
		ev_timer(srv->loop, VTY_ACCEPT_PAUSE_MS, server_resume_cb, srv,
			 &srv->pause_tm);
		return;
	}
}

/* Is somebody accepting on the socket at path? */
static bool
socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
		errno != ECONNREFUSED;
	close(fd);
	return alive;
}

/* Make way for our socket: only a dead socket may be removed. */
static int
server_clear_path(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket",
			 sa->sun_path);
		return -1;
	}
	if (socket_alive(sa)) {
		snprintf(err, errlen, "another daemon is listening on %s",
			 sa->sun_path);
		return -1;
	}
	if (unlink(sa->sun_path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove stale socket %s: %s",
			 sa->sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Members of the VTY_GROUP group may connect (then be mapped to a
 * configured username); without the group, or without the right to give
 * the socket to it (no CAP_CHOWN, as under the systemd unit), the socket
 * stays 0600: closed, never wider. */
static int
server_share(const char *path)
{
	struct group *g = getgrnam(VTY_GROUP);

	if (g == NULL)
		return 0;
	if (chown(path, (uid_t)-1, g->gr_gid) < 0) {
		if (errno != EPERM)
			return -1;
		log_warnx("vty socket %s: cannot give it to group %s (%s); "
			  "only its owner may connect", path, VTY_GROUP,
			  strerror(errno));
		return 0;
	}
	return chmod(path, 0660);
}

static int
server_listen(struct vty_server *srv, const char *path, char *err,
	      size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int r;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	err[0] = '\0';
	if (server_clear_path(&sa, err, errlen) < 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	srv->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0)
		goto fail;
	/* Created 0600 from the start: no window with a wider mode. */
	old = umask(0177);
	r = bind(srv->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(path, 0600) < 0 || server_share(path) < 0 ||
	    listen(srv->fd, VTY_BACKLOG) < 0 || stat(path, &st) < 0)
		goto fail;
	srv->dev = st.st_dev;
	srv->ino = st.st_ino;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -1;
}

struct vty_server *
vty_server_new(struct cli_env *env, struct evloop *loop, const char *path,
	       char *err, size_t errlen)
{
	struct vty_server *srv = calloc(1, sizeof(*srv));

	if (srv == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	srv->env = env;
	srv->loop = loop;
	srv->fd = -1;
	srv->path = strdup(path);
	if (srv->path == NULL || server_listen(srv, path, err, errlen) < 0)
		goto fail;
	if (ev_read(loop, srv->fd, server_accept_cb, srv, &srv->io) < 0) {
		snprintf(err, errlen, "cannot watch %s", path);
		goto fail;
	}
	return srv;
fail:
	vty_server_free(srv);
	return NULL;
}

void
vty_server_free(struct vty_server *srv)
{
	struct stat st;

	if (srv == NULL)
		return;
	for (unsigned i = 0; i < VTY_MAX_CLIENTS; i++)
		if (srv->clients[i] != NULL)
			client_free(srv->clients[i]);
	ev_io_cancel(&srv->io);
	ev_timer_cancel(&srv->pause_tm);
	if (srv->fd >= 0) {
		close(srv->fd);
		/* Another daemon may have replaced the path: leave it. */
		if (stat(srv->path, &st) == 0 && st.st_dev == srv->dev &&
		    st.st_ino == srv->ino)
			unlink(srv->path);
	}
	free(srv->path);
	free(srv);
}

size_t
vty_server_clients(const struct vty_server *srv)
{
	return srv->nclients;
}
