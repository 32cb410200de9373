/*
 * vtyclient: `getvpn -S SOCKET` (doc/design.md §2), the client end of
 * doc/vty-protocol.md.
 *
 * Batch use (-c, or lines on stdin) is a plain blocking conversation: a
 * LINE out, OUTPUT frames in until DONE.  The interactive client puts
 * the console (cli/console.c) in front of the socket: readline, key
 * bindings and the pager run here, because only this side knows the
 * terminal; the daemon reports the session's `terminal length` in every
 * DONE.  Log lines (LOG frames, after `terminal monitor`) are printed
 * above the line being typed.
 */
#include "cli/vtyclient.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/console.h"
#include "cli/linesrc.h"
#include "cli/vtyproto.h"
#include "platform/evloop.h"

#define VC_READ_MAX (16 * 1024)

struct vc {
	const char *path;
	int fd;
	struct vtyproto_dec dec;
	char in[VC_READ_MAX];
	size_t in_off, in_len;
	struct vtyproto_done done;	/* the last DONE */
	/* interactive only */
	struct evloop *loop;
	struct ev_io *io;
	struct console *con;
	bool started;			/* the greeting arrived */
	bool lost;
};

static int
vc_connect(struct vc *vc, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(vc, 0, sizeof(*vc));
	vc->path = path;
	vtyproto_dec_init(&vc->dec, VTYPROTO_AT_CLIENT);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "getvpn: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	vc->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (vc->fd < 0 ||
	    connect(vc->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "getvpn: cannot connect to %s: %s\n", path,
			strerror(errno));
		if (vc->fd >= 0)
			close(vc->fd);
		vc->fd = -1;
		return -1;
	}
	return 0;
}

static void
vc_close(struct vc *vc)
{
	if (vc->fd >= 0)
		close(vc->fd);
	vc->fd = -1;
	vtyproto_dec_fini(&vc->dec);
}

static int
vc_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Send one request, blocking: requests are small and one at a time.  A
 * line longer than the daemon accepts is sent all the same; the daemon
 * skips it and answers "% Line too long", as for any refused line.
 */
static int
vc_send_len(struct vc *vc, enum vtyproto_type type, const char *text,
	    size_t len)
{
	unsigned char hdr[VTYPROTO_HDR_LEN];

	if (len > UINT32_MAX)
		len = UINT32_MAX;
	vtyproto_header(hdr, type, (uint32_t)len);
	if (vc_write_all(vc->fd, hdr, sizeof(hdr)) < 0 ||
	    vc_write_all(vc->fd, text, len) < 0)
		return -1;
	return 0;
}

static int
vc_send(struct vc *vc, enum vtyproto_type type, const char *text)
{
	return vc_send_len(vc, type, text, strlen(text));
}

/* Decode buffered bytes: 1 with a frame in vc->dec, 0 when they are all
 * used, -1 on garbage. */
static int
vc_decode(struct vc *vc)
{
	while (vc->in_off < vc->in_len) {
		size_t used;
		enum vtyproto_event ev = vtyproto_feed(&vc->dec,
			vc->in + vc->in_off, vc->in_len - vc->in_off, &used);

		vc->in_off += used;
		if (ev == VTYPROTO_FRAME)
			return 1;
		if (ev != VTYPROTO_NEED)
			return -1;
	}
	return 0;
}

/* One read(2) into the (fully decoded) buffer: > 0, or <= 0 when the
 * daemon has gone. */
static ssize_t
vc_fill(struct vc *vc)
{
	ssize_t n;

	do
		n = read(vc->fd, vc->in, sizeof(vc->in));
	while (n < 0 && errno == EINTR);
	vc->in_off = 0;
	vc->in_len = n > 0 ? (size_t)n : 0;
	return n;
}

/* The next frame, blocking: 1, or -1 when the connection is gone. */
static int
vc_next(struct vc *vc)
{
	int r;

	while ((r = vc_decode(vc)) == 0)
		if (vc_fill(vc) <= 0)
			return -1;
	return r;
}

/* DONE: remember it; -1 when it is malformed. */
static int
vc_take_done(struct vc *vc)
{
	return vtyproto_parse_done(vc->dec.payload, vc->dec.len, &vc->done);
}

/* Read until the greeting DONE. */
static int
vc_greeting(struct vc *vc)
{
	int r;

	while ((r = vc_next(vc)) == 1) {
		if (vc->dec.type == VTYPROTO_DONE)
			return vc_take_done(vc);
	}
	return -1;
}

/*
 * One line in batch mode.  The output is held until DONE: a refused
 * line is printed after its prompt first, so the caret lines up.
 * Returns 0 accepted, 1 refused, -1 connection lost.
 */
static int
vc_batch_line(struct vc *vc, const char *line, size_t len,
	      struct vtyproto_buf *text, FILE *out)
{
	char prompt[VTYPROTO_PROMPT_MAX];
	bool hidden = vc->done.flags & VTYPROTO_DONE_NOECHO;

	snprintf(prompt, sizeof(prompt), "%s", vc->done.prompt);
	if (vc_send_len(vc, VTYPROTO_LINE, line, len) < 0)
		return -1;
	text->off = text->len = 0;
	while (vc_next(vc) == 1) {
		switch (vc->dec.type) {
		case VTYPROTO_OUTPUT:
			if (vtyproto_buf_add(text, vc->dec.payload, vc->dec.len) < 0)
				return -1;
			break;
		case VTYPROTO_LOG:
			fprintf(stderr, "%s\n", vc->dec.payload);
			break;
		case VTYPROTO_DONE:
			if (vc_take_done(vc) < 0)
				return -1;
			/* a refused line is shown, but never a secret */
			if (vc->done.status && !hidden &&
			    !(vc->done.flags & VTYPROTO_DONE_SECRET))
				fprintf(out, "%s%s\n", prompt, line);
			if (vtyproto_buf_pending(text) > 0)
				fwrite(text->data + text->off, 1,
				       vtyproto_buf_pending(text), out);
			fflush(out);
			return vc->done.status ? 1 : 0;
		default:
			return -1;	/* no HELP or TAB was asked */
		}
	}
	return -1;
}

static int
vc_batch(const char *path, struct linesrc *src, FILE *out)
{
	struct vtyproto_buf text = { 0 };
	struct vc vc;
	const char *line;
	int rc = VTYCLIENT_OK, r;

	if (vc_connect(&vc, path) < 0)
		return VTYCLIENT_NOCONN;
	if (vc_greeting(&vc) < 0) {
		fprintf(stderr, "getvpn: %s: no answer from the daemon\n", path);
		rc = VTYCLIENT_NOCONN;
		goto out;
	}
	while ((line = linesrc_next(src)) != NULL) {
		r = vc_batch_line(&vc, line, src->len, &text, out);
		if (r < 0) {
			fprintf(stderr, "getvpn: %s: connection lost\n", path);
			rc = VTYCLIENT_REFUSED;
			break;
		}
		if (r > 0)
			rc = VTYCLIENT_REFUSED;
		if (vc.done.flags & VTYPROTO_DONE_CLOSED)
			break;
	}
out:
	linesrc_fini(src);
	vtyproto_buf_free(&text);
	vc_close(&vc);
	return rc;
}

int
vtyclient_run_lines(const char *path, char *const *lines, int n, FILE *out)
{
	struct linesrc src = { .lines = lines, .n = n };

	return vc_batch(path, &src, out);
}

int
vtyclient_run_file(const char *path, FILE *in, FILE *out)
{
	struct linesrc src = { .in = in };

	return vc_batch(path, &src, out);
}

/*
 * Interactive: the console's backend sends requests; frames coming back
 * are handed to the console as they arrive.
 */
static void
vc_status(const struct vc *vc, struct console_status *st)
{
	st->prompt = vc->done.prompt;
	st->term_length = vc->done.term_length;
	st->term_width = vc->done.term_width;
	st->noecho = vc->done.flags & VTYPROTO_DONE_NOECHO;
	st->asking = vc->done.flags & VTYPROTO_DONE_ASKING;
	st->closed = vc->done.flags & VTYPROTO_DONE_CLOSED;
	st->secret = vc->done.flags & VTYPROTO_DONE_SECRET;
}

static void
vc_lost(struct vc *vc)
{
	if (vc->lost)
		return;
	vc->lost = true;
	ev_io_cancel(&vc->io);
	if (vc->con != NULL)
		console_log(vc->con, "% Connection to the daemon lost");
	else
		fprintf(stderr, "getvpn: %s: connection lost\n", vc->path);
	ev_break(vc->loop);
}

static void
vc_be_line(void *arg, const char *line)
{
	struct vc *vc = arg;

	if (vc_send(vc, VTYPROTO_LINE, line) < 0)
		vc_lost(vc);
}

static void
vc_be_help(void *arg, const char *line)
{
	struct vc *vc = arg;

	if (vc_send(vc, VTYPROTO_HELP, line) < 0)
		vc_lost(vc);
}

static void
vc_be_complete(void *arg, const char *line)
{
	struct vc *vc = arg;

	if (vc_send(vc, VTYPROTO_COMPLETE, line) < 0)
		vc_lost(vc);
}

static const struct console_backend vc_backend = {
	.line = vc_be_line,
	.help = vc_be_help,
	.complete = vc_be_complete,
};

static void
vc_frame(struct vc *vc)
{
	struct console_status st;
	const char *p = vc->dec.payload;

	switch (vc->dec.type) {
	case VTYPROTO_OUTPUT:
		console_output(vc->con, p, vc->dec.len);
		break;
	case VTYPROTO_DONE:
		if (vc_take_done(vc) < 0) {
			vc_lost(vc);
			break;
		}
		vc_status(vc, &st);
		if (!vc->started) {
			vc->started = true;
			console_start(vc->con, &st);
		} else {
			console_done(vc->con, &st);
		}
		break;
	case VTYPROTO_HELP_TEXT:
		console_help_text(vc->con, p, vc->dec.len);
		break;
	case VTYPROTO_COMPLETION:
		console_completion(vc->con, vc->dec.len ? p : NULL);
		break;
	case VTYPROTO_LOG:
		console_log(vc->con, p);
		break;
	default:
		vc_lost(vc);
		break;
	}
}

static void
vc_read_cb(int fd, void *arg)
{
	struct vc *vc = arg;
	int r;

	if (vc_fill(vc) <= 0) {
		vc_lost(vc);
		return;
	}
	while (!vc->lost && (r = vc_decode(vc)) != 0) {
		if (r < 0) {
			vc_lost(vc);
			return;
		}
		vc_frame(vc);
	}
}

static void
vc_signal(int signo, void *arg)
{
	ev_break(arg);
}

int
vtyclient_interactive(const char *path)
{
	struct vc vc;
	int rc = VTYCLIENT_OK;

	if (vc_connect(&vc, path) < 0)
		return VTYCLIENT_NOCONN;
	vc.loop = ev_new();
	if (vc.loop == NULL) {
		vc_close(&vc);
		return VTYCLIENT_NOCONN;
	}
	vc.con = console_new(vc.loop, &vc_backend, &vc);
	if (vc.con == NULL || vc_send_len(&vc, VTYPROTO_TERMINAL, "", 0) < 0 ||
	    ev_read(vc.loop, vc.fd, vc_read_cb, &vc, &vc.io) < 0) {
		rc = VTYCLIENT_NOCONN;
		goto out;
	}
	ev_signal(vc.loop, SIGTERM, vc_signal, vc.loop);
	ev_signal(vc.loop, SIGHUP, vc_signal, vc.loop);
	ev_signal(vc.loop, SIGINT, vc_signal, vc.loop);
	ev_run(vc.loop);
	if (vc.lost)
		rc = VTYCLIENT_REFUSED;
out:
	console_free(vc.con);
	ev_io_cancel(&vc.io);
	ev_free(vc.loop);
	vc_close(&vc);
	return rc;
}
