/*
 * evloop: the single-threaded event loop (poll(2), a timer min-heap,
 * signals through a self-pipe) that runs the CLI front ends and the
 * protocol engines.  Not a global: every user gets the loop passed in.
 *
 * Time is CLOCK_MONOTONIC in milliseconds unless a test injects a virtual
 * clock with ev_set_virtual_clock(); timers then fire when ev_advance()
 * moves the virtual time.
 *
 * Handles belong to the loop and ev_free() frees them all: cancel yours
 * before ev_free(), or never touch them again.  Callbacks may cancel any
 * handle (their own included) and add new ones.
 */
#ifndef PLATFORM_EVLOOP_H
#define PLATFORM_EVLOOP_H

#include <stdbool.h>
#include <stdint.h>

struct evloop;
struct ev_io;
struct ev_timer;

struct evloop *ev_new(void);
void ev_free(struct evloop *loop);

/* Call cb when fd is readable.  *h receives a handle for ev_io_cancel. */
int ev_read(struct evloop *loop, int fd, void (*cb)(int fd, void *arg),
	    void *arg, struct ev_io **h);
/* Stop watching; idempotent, sets *h to NULL. Safe inside the callback. */
void ev_io_cancel(struct ev_io **h);

/* One-shot timer after ms milliseconds.  The loop clears *h before cb runs,
 * so "timer pending" is simply *h != NULL.  A timer still pending in *h is
 * cancelled first (arming is re-arming).  Equal deadlines fire in the
 * order the timers were created. */
int ev_timer(struct evloop *loop, uint64_t ms, void (*cb)(void *arg),
	     void *arg, struct ev_timer **h);
void ev_timer_cancel(struct ev_timer **h);
/* Milliseconds until the timer fires (0 if due), or UINT64_MAX if NULL. */
uint64_t ev_timer_remaining(const struct ev_timer *h);

/* Run cb in the loop (not in signal context) when signo arrives. */
int ev_signal(struct evloop *loop, int signo, void (*cb)(int signo, void *arg),
	      void *arg);

/* Run until ev_break() or until nothing is left to wait for (no fd
 * watcher, timer or signal); returns 0, or -1 on a fatal poll error.
 * On a virtual clock, when no fd is ready it jumps the clock to the next
 * timer: a discrete-event simulation of the engines. */
int ev_run(struct evloop *loop);
/* One iteration: wait at most timeout_ms (-1 = until something happens),
 * then run ready fd callbacks and due timers.  Returns the number of
 * callbacks run, or -1 on a fatal poll error.  On a virtual clock it never
 * sleeps waiting for a timer (only ev_advance() moves time). */
int ev_run_once(struct evloop *loop, int timeout_ms);
void ev_break(struct evloop *loop);

/* Current time in ms (monotonic, or the virtual clock). */
uint64_t ev_now(const struct evloop *loop);
/* Wall-clock time in ms since the epoch (CLOCK_REALTIME), or the virtual
 * clock: for what must outlive the process (saved absolute times). */
uint64_t ev_wall(const struct evloop *loop);
/* Tests: switch the loop to a virtual clock starting at start_ms. */
void ev_set_virtual_clock(struct evloop *loop, uint64_t start_ms);
/* Tests: move the virtual clock forward, firing due timers in order (each
 * callback sees ev_now() equal to its deadline; timers armed inside the
 * window fire in the same call).  No effect on a real clock. */
void ev_advance(struct evloop *loop, uint64_t ms);

#endif
