/*
 * term: output sinks for command output and log lines.
 *
 * Owns the three kinds of struct term (file descriptor, growing memory
 * buffer, caller callback) and the formatting helpers on top of them.
 *
 * Output must never take the process down nor stall it for long: an fd
 * term retries on EINTR and short writes, waits a bounded time when a
 * non-blocking descriptor is full, and goes quiet for good once the
 * reader is gone (EPIPE and friends).  SIGPIPE is never raised: sockets
 * are written with send(MSG_NOSIGNAL), and other descriptors have
 * SIGPIPE blocked around the write with any resulting pending signal
 * consumed, unless the process already ignores it.
 */
#include "platform/term.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a full non-blocking descriptor may hold up one write. */
#define TERM_STALL_MS	2000
/* Formatting fits this on the stack; longer output takes one malloc. */
#define TERM_FMT_STACK	512
#define TERM_MEM_MIN	256

enum term_kind {
	TERM_FD,
	TERM_MEM,
	TERM_CB,
};

struct term {
	enum term_kind kind;
	/* TERM_FD */
	int fd;
	bool is_sock;
	bool dead;		/* reader gone: drop everything from now on */
	/* TERM_MEM: buf[len] is always '\0' */
	char *buf;
	size_t len, cap;
	/* TERM_CB */
	void (*write)(void *arg, const char *buf, size_t len);
	void *arg;
};

struct term *
term_new_fd(int fd)
{
	struct term *t;
	struct stat st;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->kind = TERM_FD;
	t->fd = fd;
	t->is_sock = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
	return t;
}

struct term *
term_new_mem(void)
{
	struct term *t;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->kind = TERM_MEM;
	t->buf = malloc(TERM_MEM_MIN);
	if (t->buf == NULL) {
		free(t);
		return NULL;
	}
	t->cap = TERM_MEM_MIN;
	t->buf[0] = '\0';
	return t;
}

struct term *
term_new_cb(void (*fn)(void *arg, const char *buf, size_t len), void *arg)
{
	struct term *t;

	if (fn == NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->kind = TERM_CB;
	t->write = fn;
	t->arg = arg;
	return t;
}

void
term_free(struct term *t)
{
	if (t == NULL)
		return;
	free(t->buf);
	free(t);
}

/* Append to a memory term; on allocation failure the output is dropped
 * but the buffer stays a valid string. */
static void
term_mem_append(struct term *t, const char *buf, size_t len)
{
	size_t need, cap;
	char *nb;

	if (len > SIZE_MAX - t->len - 1)
		return;
	need = t->len + len + 1;
	if (need > t->cap) {
		cap = t->cap;
		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		nb = realloc(t->buf, cap);
		if (nb == NULL)
			return;
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, buf, len);
	t->len += len;
	t->buf[t->len] = '\0';
}

/* Wait until fd can take more bytes or the stall budget runs out. */
static bool
term_wait_writable(int fd, int *budget_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	struct timespec a, b;
	int r, spent;

	if (*budget_ms <= 0)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = poll(&p, 1, *budget_ms);
	clock_gettime(CLOCK_MONOTONIC, &b);
	spent = (int)((b.tv_sec - a.tv_sec) * 1000 +
		      (b.tv_nsec - a.tv_nsec) / 1000000);
	*budget_ms -= spent > 0 ? spent : 1;
	if (r < 0)
		return errno == EINTR;
	return r > 0 && !(p.revents & (POLLERR | POLLNVAL));
}

/* One write(2)/send(2) with SIGPIPE kept away from the process. */
static ssize_t
term_write_once(struct term *t, const char *buf, size_t len)
{
	struct sigaction sa;
	sigset_t pipe_set, old_set, pending;
	struct timespec zero = { 0, 0 };
	bool was_pending;
	ssize_t n;
	int saved;

	if (t->is_sock) {
		n = send(t->fd, buf, len, MSG_NOSIGNAL);
		if (n >= 0 || errno != ENOTSOCK)
			return n;
		t->is_sock = false;
	}
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
		return write(t->fd, buf, len);

	/* Block SIGPIPE; if this write raised it, swallow exactly that one. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	n = write(t->fd, buf, len);
	saved = errno;
	if (n < 0 && saved == EPIPE && !was_pending) {
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		       errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	errno = saved;
	return n;
}

static void
term_fd_write(struct term *t, const char *buf, size_t len)
{
	int budget = TERM_STALL_MS;
	ssize_t n;

	while (len > 0 && !t->dead) {
		n = term_write_once(t, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* A slow reader loses this chunk, not the process. */
			if (!term_wait_writable(t->fd, &budget))
				return;
			continue;
		}
		/* EPIPE, ECONNRESET, EBADF, EIO, or a zero-length write. */
		t->dead = true;
	}
}

void
term_write(struct term *t, const char *buf, size_t len)
{
	if (t == NULL || buf == NULL || len == 0)
		return;
	switch (t->kind) {
	case TERM_FD:
		term_fd_write(t, buf, len);
		break;
	case TERM_MEM:
		term_mem_append(t, buf, len);
		break;
	case TERM_CB:
		t->write(t->arg, buf, len);
		break;
	}
}

void
term_puts(struct term *t, const char *s)
{
	if (s != NULL)
		term_write(t, s, strlen(s));
}

void
term_vprintf(struct term *t, const char *fmt, va_list ap)
{
	char stack[TERM_FMT_STACK];
	char *heap = NULL;
	va_list ap2;
	int n;

	if (t == NULL || fmt == NULL)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(stack, sizeof(stack), fmt, ap);
	if (n < 0)
		goto out;
	if ((size_t)n < sizeof(stack)) {
		term_write(t, stack, (size_t)n);
		goto out;
	}
	heap = malloc((size_t)n + 1);
	if (heap == NULL)
		goto out;
	vsnprintf(heap, (size_t)n + 1, fmt, ap2);
	term_write(t, heap, (size_t)n);
out:
	va_end(ap2);
	free(heap);
}

void
term_printf(struct term *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	term_vprintf(t, fmt, ap);
	va_end(ap);
}

const char *
term_mem_data(const struct term *t, size_t *len)
{
	if (t == NULL || t->kind != TERM_MEM) {
		if (len != NULL)
			*len = 0;
		return "";
	}
	if (len != NULL)
		*len = t->len;
	return t->buf;
}

void
term_mem_reset(struct term *t)
{
	if (t == NULL || t->kind != TERM_MEM)
		return;
	t->len = 0;
	t->buf[0] = '\0';
}
