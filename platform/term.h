/*
 * term: an output sink for command output and log lines.
 *
 * Everything the CLI prints goes through a struct term so tests can capture
 * it in memory and front ends can decide where it goes (a file descriptor,
 * a vty socket, a pager).  A term never blocks the caller: fd terms write
 * with retries on EINTR and drop output on a dead descriptor.
 */
#ifndef PLATFORM_TERM_H
#define PLATFORM_TERM_H

#include <stdarg.h>
#include <stddef.h>

struct term;

/* Output written to fd (not closed by term_free). */
struct term *term_new_fd(int fd);
/* Output collected in a growing memory buffer (see term_mem_data). */
struct term *term_new_mem(void);
/* Output handed to write(arg, buf, len). */
struct term *term_new_cb(void (*write)(void *arg, const char *buf, size_t len),
			 void *arg);
void term_free(struct term *t);

void term_write(struct term *t, const char *buf, size_t len);
void term_puts(struct term *t, const char *s);
void term_printf(struct term *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void term_vprintf(struct term *t, const char *fmt, va_list ap);

/* Memory terms: the bytes written so far (NUL-terminated), and a reset. */
const char *term_mem_data(const struct term *t, size_t *len);
void term_mem_reset(struct term *t);

#endif
