/*
 * evloop: the single-threaded event loop.
 *
 * Owns fd watchers (poll(2)), one-shot timers (a binary min-heap ordered
 * by deadline, then by creation so equal deadlines fire first-in first-out),
 * signal delivery (a self-pipe written by an SA_RESTART handler, so
 * callbacks run in loop context) and the clock (CLOCK_MONOTONIC in ms, or a
 * virtual clock that only moves when a test calls ev_advance()).
 *
 * Every handle belongs to the loop.  Callbacks may cancel any handle,
 * including their own, and add new ones: a cancelled fd watcher is only
 * marked dead while a dispatch is running and is freed once no dispatch
 * is on the stack; a timer is taken off the heap and freed before its
 * callback runs, which is why the loop clears the owner's handle first.
 */
#include "platform/evloop.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform/log.h"

struct ev_io {
	struct evloop *loop;
	int fd;
	void (*cb)(int fd, void *arg);
	void *arg;
	struct ev_io **owner;	/* caller's handle, cleared on cancel */
	bool dead;
};

struct ev_timer {
	struct evloop *loop;
	uint64_t deadline;
	uint64_t seq;		/* creation order: FIFO among equal deadlines */
	size_t idx;		/* position in loop->heap */
	void (*cb)(void *arg);
	void *arg;
	struct ev_timer **owner;
};

struct ev_sig {
	int signo;
	void (*cb)(int signo, void *arg);
	void *arg;
	bool installed;		/* this entry installed the handler ... */
	struct sigaction old;	/* ... and restores this one in ev_free */
};

struct evloop {
	struct ev_io **ios;
	size_t nio, capio, io_dead;

	struct ev_timer **heap;
	size_t ntimer, captimer;
	uint64_t seq;

	struct ev_sig *sigs;
	size_t nsig, capsig;
	int sig_pipe[2];

	/* poll set rebuilt every iteration; borrowed by the outermost one */
	struct pollfd *pfd;
	struct ev_io **polled;
	size_t cap_pfd, cap_polled;
	bool poll_busy;

	bool virt;
	uint64_t vnow;
	bool brk;
	int depth;		/* dispatches on the stack */
};

/*
 * Signal number -> write end of the owning loop's self-pipe, plus one so
 * that the zero-initialised table means "no loop".  Read from the handler,
 * hence sig_atomic_t.
 */
static volatile sig_atomic_t ev_sig_wfd[NSIG];

static void ev_sig_read(int fd, void *arg);

/*
 * Grow the array at *arrp (items of elem bytes) to hold need items.
 * arrp points to any object pointer; memcpy keeps this free of aliasing
 * assumptions.
 */
static int
ev_grow(void *arrp, size_t *cap, size_t need, size_t elem)
{
	void *old, *n;
	size_t ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	memcpy(&old, arrp, sizeof(old));
	n = realloc(old, ncap * elem);
	if (n == NULL)
		return -1;
	memcpy(arrp, &n, sizeof(n));
	*cap = ncap;
	return 0;
}

static uint64_t
ev_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

struct evloop *
ev_new(void)
{
	struct evloop *loop;

	loop = calloc(1, sizeof(*loop));
	if (loop == NULL)
		return NULL;
	loop->sig_pipe[0] = -1;
	loop->sig_pipe[1] = -1;
	return loop;
}

static void
ev_sig_restore(struct evloop *loop)
{
	struct ev_sig *s;
	size_t i;

	for (i = 0; i < loop->nsig; i++) {
		s = &loop->sigs[i];
		if (!s->installed)
			continue;
		sigaction(s->signo, &s->old, NULL);
		if (ev_sig_wfd[s->signo] == loop->sig_pipe[1] + 1)
			ev_sig_wfd[s->signo] = 0;
	}
	if (loop->sig_pipe[0] >= 0)
		close(loop->sig_pipe[0]);
	if (loop->sig_pipe[1] >= 0)
		close(loop->sig_pipe[1]);
}

void
ev_free(struct evloop *loop)
{
	size_t i;

	if (loop == NULL)
		return;
	ev_sig_restore(loop);
	for (i = 0; i < loop->nio; i++)
		free(loop->ios[i]);
	for (i = 0; i < loop->ntimer; i++)
		free(loop->heap[i]);
	free(loop->ios);
	free(loop->heap);
	free(loop->sigs);
	free(loop->pfd);
	free(loop->polled);
	free(loop);
}

/* ---- clock ---- */

static uint64_t
clock_ms(const struct evloop *loop, clockid_t id)
{
	struct timespec ts;

	if (loop != NULL && loop->virt)
		return loop->vnow;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
ev_now(const struct evloop *loop)
{
	return clock_ms(loop, CLOCK_MONOTONIC);
}

uint64_t
ev_wall(const struct evloop *loop)
{
	return clock_ms(loop, CLOCK_REALTIME);
}

/* ---- fd watchers ---- */

/* Free cancelled watchers; only when no dispatch holds pointers to them. */
static void
ev_io_gc(struct evloop *loop)
{
	size_t i, j;

	if (loop->io_dead == 0 || loop->depth > 0)
		return;
	for (i = j = 0; i < loop->nio; i++) {
		if (loop->ios[i]->dead)
			free(loop->ios[i]);
		else
			loop->ios[j++] = loop->ios[i];
	}
	loop->nio = j;
	loop->io_dead = 0;
}

int
ev_read(struct evloop *loop, int fd, void (*cb)(int fd, void *arg),
	void *arg, struct ev_io **h)
{
	struct ev_io *io;

	if (loop == NULL || fd < 0 || cb == NULL) {
		errno = EINVAL;
		return -1;
	}
	ev_io_gc(loop);
	if (ev_grow(&loop->ios, &loop->capio, loop->nio + 1,
		    sizeof(*loop->ios)) < 0)
		return -1;
	io = calloc(1, sizeof(*io));
	if (io == NULL)
		return -1;
	io->loop = loop;
	io->fd = fd;
	io->cb = cb;
	io->arg = arg;
	io->owner = h;
	loop->ios[loop->nio++] = io;
	if (h != NULL)
		*h = io;
	return 0;
}

static void
ev_io_kill(struct ev_io *io)
{
	if (io->dead)
		return;
	if (io->owner != NULL && *io->owner == io)
		*io->owner = NULL;
	io->owner = NULL;
	io->dead = true;
	io->loop->io_dead++;
}

void
ev_io_cancel(struct ev_io **h)
{
	struct ev_io *io;

	if (h == NULL || *h == NULL)
		return;
	io = *h;
	*h = NULL;
	ev_io_kill(io);
	ev_io_gc(io->loop);
}

/* ---- timers: binary min-heap on (deadline, seq) ---- */

static bool
ev_timer_before(const struct ev_timer *a, const struct ev_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void
ev_heap_set(struct evloop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->idx = i;
}

static void
ev_heap_up(struct evloop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];
	size_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!ev_timer_before(t, loop->heap[parent]))
			break;
		ev_heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	ev_heap_set(loop, i, t);
}

static void
ev_heap_down(struct evloop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];
	size_t c, n = loop->ntimer;

	for (;;) {
		c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && ev_timer_before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!ev_timer_before(loop->heap[c], t))
			break;
		ev_heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	ev_heap_set(loop, i, t);
}

static void
ev_heap_remove(struct evloop *loop, size_t i)
{
	struct ev_timer *last;

	last = loop->heap[--loop->ntimer];
	if (i == loop->ntimer)
		return;
	ev_heap_set(loop, i, last);
	ev_heap_down(loop, i);
	ev_heap_up(loop, last->idx);
}

int
ev_timer(struct evloop *loop, uint64_t ms, void (*cb)(void *arg),
	 void *arg, struct ev_timer **h)
{
	struct ev_timer *t;

	if (loop == NULL || cb == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* Re-arming through the same handle replaces the pending timer:
	 * a second one would outlive the handle's owner. */
	if (h != NULL)
		ev_timer_cancel(h);
	if (ev_grow(&loop->heap, &loop->captimer, loop->ntimer + 1,
		    sizeof(*loop->heap)) < 0)
		return -1;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -1;
	t->loop = loop;
	t->deadline = ev_add_sat(ev_now(loop), ms);
	t->seq = loop->seq++;
	t->cb = cb;
	t->arg = arg;
	t->owner = h;
	loop->heap[loop->ntimer] = t;
	t->idx = loop->ntimer++;
	ev_heap_up(loop, t->idx);
	if (h != NULL)
		*h = t;
	return 0;
}

void
ev_timer_cancel(struct ev_timer **h)
{
	struct ev_timer *t;

	if (h == NULL || *h == NULL)
		return;
	t = *h;
	*h = NULL;
	if (t->owner != NULL && *t->owner == t)
		*t->owner = NULL;
	ev_heap_remove(t->loop, t->idx);
	free(t);
}

uint64_t
ev_timer_remaining(const struct ev_timer *h)
{
	uint64_t now;

	if (h == NULL)
		return UINT64_MAX;
	now = ev_now(h->loop);
	return h->deadline > now ? h->deadline - now : 0;
}

/* Pop the earliest timer and run it; the handle is gone before cb runs. */
static void
ev_timer_fire_top(struct evloop *loop)
{
	struct ev_timer *t = loop->heap[0];
	void (*cb)(void *arg) = t->cb;
	void *arg = t->arg;

	ev_heap_remove(loop, 0);
	if (t->owner != NULL && *t->owner == t)
		*t->owner = NULL;
	free(t);
	cb(arg);
}

/*
 * Fire timers due at now that existed before this dispatch began
 * (seq < limit), so a callback re-arming itself for 0 ms cannot starve
 * the loop.  New timers sort after all old due ones: their deadline is
 * at least now and their seq is larger.
 */
static int
ev_timers_dispatch(struct evloop *loop, uint64_t now)
{
	uint64_t limit = loop->seq;
	int n = 0;

	while (loop->ntimer > 0 && loop->heap[0]->deadline <= now &&
	       loop->heap[0]->seq < limit) {
		ev_timer_fire_top(loop);
		n++;
	}
	return n;
}

void
ev_set_virtual_clock(struct evloop *loop, uint64_t start_ms)
{
	uint64_t old_now, rem;
	struct ev_timer *t;
	size_t i;

	if (loop == NULL)
		return;
	/* Pending timers keep their remaining time on the new clock. */
	old_now = ev_now(loop);
	for (i = 0; i < loop->ntimer; i++) {
		t = loop->heap[i];
		rem = t->deadline > old_now ? t->deadline - old_now : 0;
		t->deadline = ev_add_sat(start_ms, rem);
	}
	/* Overdue timers collapse onto one deadline: re-heapify by seq. */
	for (i = loop->ntimer / 2; i-- > 0;)
		ev_heap_down(loop, i);
	loop->virt = true;
	loop->vnow = start_ms;
}

void
ev_advance(struct evloop *loop, uint64_t ms)
{
	uint64_t target;

	if (loop == NULL || !loop->virt)
		return;
	target = ev_add_sat(loop->vnow, ms);
	loop->depth++;
	/* Step the clock to each deadline so callbacks see their own time
	 * and timers they arm inside the window fire in this call too. */
	while (loop->ntimer > 0 && loop->heap[0]->deadline <= target) {
		if (loop->heap[0]->deadline > loop->vnow)
			loop->vnow = loop->heap[0]->deadline;
		ev_timer_fire_top(loop);
	}
	loop->vnow = target;
	loop->depth--;
	ev_io_gc(loop);
}

/* ---- signals ---- */

static void
ev_sig_handler(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;
	int fd;
	ssize_t r;

	if (signo > 0 && signo < NSIG) {
		fd = ev_sig_wfd[signo] - 1;
		if (fd >= 0) {
			/* A full pipe already holds a wake-up: drop. */
			r = write(fd, &b, 1);
			(void)r;
		}
	}
	errno = saved;
}

static int
ev_sig_pipe_open(struct evloop *loop)
{
	if (loop->sig_pipe[0] >= 0)
		return 0;
	if (pipe2(loop->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	if (ev_read(loop, loop->sig_pipe[0], ev_sig_read, loop, NULL) < 0) {
		close(loop->sig_pipe[0]);
		close(loop->sig_pipe[1]);
		loop->sig_pipe[0] = loop->sig_pipe[1] = -1;
		return -1;
	}
	return 0;
}

static bool
ev_sig_known(const struct evloop *loop, int signo)
{
	size_t i;

	for (i = 0; i < loop->nsig; i++)
		if (loop->sigs[i].signo == signo && loop->sigs[i].installed)
			return true;
	return false;
}

int
ev_signal(struct evloop *loop, int signo, void (*cb)(int signo, void *arg),
	  void *arg)
{
	struct sigaction sa;
	struct ev_sig *s;

	if (loop == NULL || cb == NULL || signo <= 0 || signo >= NSIG ||
	    signo == SIGKILL || signo == SIGSTOP) {
		errno = EINVAL;
		return -1;
	}
	if (ev_sig_pipe_open(loop) < 0)
		return -1;
	if (ev_grow(&loop->sigs, &loop->capsig, loop->nsig + 1,
		    sizeof(*loop->sigs)) < 0)
		return -1;
	s = &loop->sigs[loop->nsig];
	memset(s, 0, sizeof(*s));
	s->signo = signo;
	s->cb = cb;
	s->arg = arg;
	if (!ev_sig_known(loop, signo)) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = ev_sig_handler;
		sa.sa_flags = SA_RESTART;
		sigfillset(&sa.sa_mask);
		ev_sig_wfd[signo] = loop->sig_pipe[1] + 1;
		if (sigaction(signo, &sa, &s->old) < 0) {
			ev_sig_wfd[signo] = 0;
			return -1;
		}
		s->installed = true;
	}
	loop->nsig++;
	return 0;
}

static void
ev_sig_dispatch(struct evloop *loop, int signo)
{
	size_t i, n = loop->nsig;

	/* Index every time: a callback may add signals and move the array. */
	for (i = 0; i < n; i++)
		if (loop->sigs[i].signo == signo)
			loop->sigs[i].cb(signo, loop->sigs[i].arg);
}

static void
ev_sig_read(int fd, void *arg)
{
	struct evloop *loop = arg;
	unsigned char buf[64];
	ssize_t n, i;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (i = 0; i < n; i++)
			ev_sig_dispatch(loop, buf[i]);
	}
}

/* ---- the loop ---- */

/* Milliseconds poll may sleep, given the caller's limit and the timers. */
static int
ev_poll_timeout(const struct evloop *loop, int timeout_ms)
{
	uint64_t now, d, ms;

	if (loop->ntimer == 0)
		return timeout_ms;
	now = ev_now(loop);
	d = loop->heap[0]->deadline;
	if (loop->virt)		/* virtual time never passes while polling */
		return d <= now ? 0 : timeout_ms;
	ms = d > now ? d - now : 0;
	if (ms > INT_MAX)
		ms = INT_MAX;
	if (timeout_ms < 0 || (uint64_t)timeout_ms > ms)
		return (int)ms;
	return timeout_ms;
}

/* Build the poll set; the outermost iteration reuses the loop's arrays,
 * a nested one (ev_run_once from a callback) gets its own. */
static size_t
ev_pollset(struct evloop *loop, struct pollfd **pfd, struct ev_io ***polled)
{
	size_t i, n = 0, live = loop->nio - loop->io_dead;
	size_t need = live ? live : 1;

	if (!loop->poll_busy &&
	    ev_grow(&loop->pfd, &loop->cap_pfd, need, sizeof(*loop->pfd)) == 0 &&
	    ev_grow(&loop->polled, &loop->cap_polled, need,
		    sizeof(*loop->polled)) == 0) {
		*pfd = loop->pfd;
		*polled = loop->polled;
		loop->poll_busy = true;
	} else {
		*pfd = calloc(need, sizeof(**pfd));
		*polled = calloc(need, sizeof(**polled));
		if (*pfd == NULL || *polled == NULL) {
			free(*pfd);
			free(*polled);
			*pfd = NULL;
			*polled = NULL;
			return 0;
		}
	}
	for (i = 0; i < loop->nio && n < live; i++) {
		if (loop->ios[i]->dead)
			continue;
		(*pfd)[n].fd = loop->ios[i]->fd;
		(*pfd)[n].events = POLLIN;
		(*pfd)[n].revents = 0;
		(*polled)[n++] = loop->ios[i];
	}
	return n;
}

static void
ev_pollset_release(struct evloop *loop, struct pollfd *pfd,
		   struct ev_io **polled)
{
	if (pfd == loop->pfd) {
		loop->poll_busy = false;
		return;
	}
	free(pfd);
	free(polled);
}

static int
ev_io_dispatch(struct pollfd *pfd, struct ev_io **polled, size_t n)
{
	struct ev_io *io;
	size_t i;
	int count = 0;

	for (i = 0; i < n; i++) {
		io = polled[i];
		if (pfd[i].revents == 0 || io->dead)
			continue;
		if (pfd[i].revents & POLLNVAL) {
			/* Closed without cancelling: poll would spin on it. */
			log_warnx("evloop: fd %d closed while watched", io->fd);
			ev_io_kill(io);
			continue;
		}
		io->cb(io->fd, io->arg);
		count++;
	}
	return count;
}

int
ev_run_once(struct evloop *loop, int timeout_ms)
{
	struct pollfd *pfd = NULL;
	struct ev_io **polled = NULL;
	size_t n;
	int wait, r, count;

	if (loop == NULL)
		return -1;
	ev_io_gc(loop);
	wait = ev_poll_timeout(loop, timeout_ms);
	n = ev_pollset(loop, &pfd, &polled);
	if (pfd == NULL)
		return -1;
	if (n == 0 && wait < 0)
		wait = 0;	/* nothing could ever wake us */
	r = poll(pfd, n, wait);
	if (r < 0 && errno != EINTR) {
		ev_pollset_release(loop, pfd, polled);
		return -1;
	}
	loop->depth++;
	count = r > 0 ? ev_io_dispatch(pfd, polled, n) : 0;
	ev_pollset_release(loop, pfd, polled);
	count += ev_timers_dispatch(loop, ev_now(loop));
	loop->depth--;
	ev_io_gc(loop);
	return count;
}

/* Virtual time: handle what is ready now, else jump to the next timer. */
static int
ev_run_virtual_step(struct evloop *loop)
{
	uint64_t d;
	int r;

	r = ev_run_once(loop, 0);
	if (r != 0 || loop->brk)
		return r;
	if (loop->ntimer > 0) {
		d = loop->heap[0]->deadline;
		ev_advance(loop, d > loop->vnow ? d - loop->vnow : 0);
		return 1;
	}
	if (loop->nio > loop->io_dead)
		return ev_run_once(loop, -1);
	return 0;
}

int
ev_run(struct evloop *loop)
{
	int r;

	if (loop == NULL)
		return -1;
	loop->brk = false;
	while (!loop->brk) {
		if (loop->ntimer == 0 && loop->nio == loop->io_dead)
			break;	/* nothing left that could ever fire */
		if (loop->virt)
			r = ev_run_virtual_step(loop);
		else
			r = ev_run_once(loop, -1);
		if (r < 0)
			return -1;
	}
	loop->brk = false;
	return 0;
}

void
ev_break(struct evloop *loop)
{
	if (loop != NULL)
		loop->brk = true;
}
