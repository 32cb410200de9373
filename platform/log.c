/*
 * log: IOS-style event lines, debug lines and internal diagnostics.
 *
 * Owns the process-wide logging state: debug flags, the sink list
 * (console and `terminal monitor` sessions), the `logging buffered` ring
 * shown by `show logging`, the syslog(3) hand-off and the timestamp clock.
 * Logging is process-wide like syslog itself; the event loop is not.
 *
 * Line format (doc/ios-cli.md §6), with the `*` IOS prints while the clock
 * is not NTP-synchronised:
 *
 *   *Nov  5 07:00:27.123: %GDOI-5-GM_REGS_COMPL: Registration to KS ...
 *   *Nov  5 07:00:27.123: debug text
 *
 * A sink may itself log (a vty that fails to write, say).  Such nested
 * lines are dropped and counted rather than recursing: the outer line is
 * still being delivered and an inner one could loop forever.
 */
#include "platform/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "platform/term.h"

#define LOG_LINE_MAX	1024
#define LOG_SEV_MAX	7
/* Lines this severe or worse reach stderr when nobody else listens. */
#define LOG_STDERR_SEV	4

struct log_sink {
	log_sink_fn fn;		/* NULL once removed */
	void *arg;
	int max_sev;
};

/* `logging buffered`: a byte ring of '\n'-terminated lines. */
struct log_ring {
	char *buf;
	size_t cap;		/* 0: buffering off */
	size_t head;		/* offset of the oldest byte */
	size_t used;
	int max_sev;
	unsigned long logged;
};

static bool log_debug_flags[LOG_DBG_COUNT];
static struct log_sink *log_sinks;
static size_t log_nsinks, log_capsinks;
static size_t log_sinks_removed;
static int log_depth;			/* > 0 while a line is delivered */
static unsigned long log_dropped;	/* nested lines dropped */
static struct log_ring log_ring;
static bool log_syslog_on;
static unsigned long log_syslog_lines;
static unsigned long log_emitted;	/* every line delivered */
static long long log_fixed_sec;
static int log_fixed_ms;

static const char *const log_sev_names[LOG_SEV_MAX + 1] = {
	"emergencies", "alerts", "critical", "errors",
	"warnings", "notifications", "informational", "debugging",
};

/* ---- debug flags ---- */

const char *
log_ip4(uint32_t net_order, struct log_ip4 *buf)
{
	const uint8_t *o = (const uint8_t *)&net_order;

	snprintf(buf->s, sizeof(buf->s), "%u.%u.%u.%u", o[0], o[1], o[2],
		 o[3]);
	return buf->s;
}

bool
log_debug_on(enum log_debug flag)
{
	if ((unsigned)flag >= LOG_DBG_COUNT)
		return false;
	return log_debug_flags[flag];
}

void
log_debug_set(enum log_debug flag, bool on)
{
	if ((unsigned)flag < LOG_DBG_COUNT)
		log_debug_flags[flag] = on;
}

void
log_debug_all_off(void)
{
	memset(log_debug_flags, 0, sizeof(log_debug_flags));
}

/* ---- timestamps ---- */

void
log_set_fixed_time(long long sec, int ms)
{
	log_fixed_sec = sec;
	log_fixed_ms = ms;
}

void
log_timestamp(char *buf, size_t len)
{
	/* Our own month names: strftime's %b follows the locale. */
	static const char *const mon[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct timespec ts;
	struct tm tm;
	time_t sec;
	int ms;

	if (buf == NULL || len == 0)
		return;
	if (log_fixed_sec != 0) {
		sec = (time_t)log_fixed_sec;
		ms = log_fixed_ms;
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		sec = ts.tv_sec;
		ms = (int)(ts.tv_nsec / 1000000);
	}
	if (ms < 0 || ms > 999)
		ms = 0;
	if (localtime_r(&sec, &tm) == NULL) {
		snprintf(buf, len, "*Jan  1 00:00:00.000");
		return;
	}
	snprintf(buf, len, "*%s %2d %02d:%02d:%02d.%03d", mon[tm.tm_mon % 12],
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

/* ---- sinks ---- */

int
log_sink_add(log_sink_fn fn, void *arg, int max_sev)
{
	size_t ncap;
	struct log_sink *n;

	if (fn == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (log_nsinks == log_capsinks) {
		ncap = log_capsinks ? log_capsinks * 2 : 8;
		n = realloc(log_sinks, ncap * sizeof(*n));
		if (n == NULL)
			return -1;
		log_sinks = n;
		log_capsinks = ncap;
	}
	log_sinks[log_nsinks].fn = fn;
	log_sinks[log_nsinks].arg = arg;
	log_sinks[log_nsinks].max_sev = max_sev;
	log_nsinks++;
	return 0;
}

/* Drop removed entries, but never under a delivery walking the array. */
static void
log_sinks_compact(void)
{
	size_t i, j;

	if (log_sinks_removed == 0 || log_depth > 0)
		return;
	for (i = j = 0; i < log_nsinks; i++)
		if (log_sinks[i].fn != NULL)
			log_sinks[j++] = log_sinks[i];
	log_nsinks = j;
	log_sinks_removed = 0;
}

void
log_sink_remove(log_sink_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < log_nsinks; i++) {
		if (log_sinks[i].fn == fn && log_sinks[i].arg == arg) {
			log_sinks[i].fn = NULL;
			log_sinks_removed++;
		}
	}
	log_sinks_compact();
	if (log_nsinks == 0) {
		free(log_sinks);
		log_sinks = NULL;
		log_capsinks = 0;
	}
}

static size_t
log_sinks_live(void)
{
	return log_nsinks - log_sinks_removed;
}

/* ---- the ring buffer ---- */

/* Forget the oldest line to make room. */
static void
log_ring_drop_oldest(struct log_ring *r)
{
	size_t i;

	for (i = 0; i < r->used; i++) {
		if (r->buf[(r->head + i) % r->cap] == '\n') {
			i++;
			break;
		}
	}
	r->head = (r->head + i) % r->cap;
	r->used -= i;
}

static void
log_ring_put(struct log_ring *r, const char *line, size_t len)
{
	size_t tail, first;

	if (r->cap == 0)
		return;
	if (len + 1 > r->cap)
		len = r->cap - 1;	/* a monster line keeps its start */
	while (r->cap - r->used < len + 1)
		log_ring_drop_oldest(r);
	tail = (r->head + r->used) % r->cap;
	first = len < r->cap - tail ? len : r->cap - tail;
	memcpy(r->buf + tail, line, first);
	memcpy(r->buf, line + first, len - first);
	r->buf[(tail + len) % r->cap] = '\n';
	r->used += len + 1;
	r->logged++;
}

void
log_buffer_configure(size_t bytes, int max_sev)
{
	struct log_ring n = { 0 };
	char *old;
	size_t i;

	if (max_sev < 0)
		max_sev = 0;
	if (max_sev > LOG_SEV_MAX)
		max_sev = LOG_SEV_MAX;
	if (bytes == log_ring.cap) {
		log_ring.max_sev = max_sev;
		return;
	}
	n.max_sev = max_sev;
	if (bytes > 0) {
		n.buf = malloc(bytes);
		if (n.buf != NULL)
			n.cap = bytes;
	}
	/* Carry over the newest lines that fit the new size. */
	old = log_ring.used ? malloc(log_ring.used) : NULL;
	if (old != NULL && n.cap > 0) {
		for (i = 0; i < log_ring.used; i++)
			old[i] = log_ring.buf[(log_ring.head + i) % log_ring.cap];
		for (i = 0; log_ring.used - i >= n.cap;) {
			while (old[i++] != '\n')
				;
		}
		memcpy(n.buf, old + i, log_ring.used - i);
		n.used = log_ring.used - i;
	}
	/* The count runs from when buffering was turned on. */
	n.logged = n.cap > 0 ? log_ring.logged : 0;
	free(old);
	free(log_ring.buf);
	log_ring = n;
}

void
log_buffer_clear(void)
{
	log_ring.head = 0;
	log_ring.used = 0;
}

/* The IOS-XE layout of `show logging`'s head: the console and monitor
 * destinations get every line (sessions filter by their own level). */
static void
log_show_head(struct term *t)
{
	static const char xml[] = ", xml disabled,\n"
		"                     filtering disabled\n";

	term_printf(t, "Syslog logging: enabled (%lu messages dropped, "
		    "0 messages rate-limited, 0 flushes, 0 overruns, "
		    "xml disabled, filtering disabled)\n\n"
		    "No Active Message Discriminator.\n\n\n\n"
		    "No Inactive Message Discriminator.\n\n\n", log_dropped);
	term_printf(t, "    Console logging: level debugging, %lu messages "
		    "logged%s", log_emitted, xml);
	term_printf(t, "    Monitor logging: level debugging, %lu messages "
		    "logged%s", log_emitted, xml);
	if (log_ring.cap == 0)
		term_puts(t, "    Buffer logging:  disabled, xml disabled,\n"
			  "                     filtering disabled\n");
	else
		term_printf(t, "    Buffer logging:  level %s, %lu messages "
			    "logged%s", log_sev_names[log_ring.max_sev],
			    log_ring.logged, xml);
	term_puts(t, "    Exception Logging: size (4096 bytes)\n"
		  "    Count and timestamp logging messages: disabled\n"
		  "    Persistent logging: disabled\n\n"
		  "No active filter modules.\n\n");
}

void
log_buffer_show(struct term *t)
{
	struct log_ring *r = &log_ring;
	size_t first;

	log_show_head(t);
	if (log_syslog_on) {
		term_printf(t, "    Trap logging: level informational, %lu "
			    "message lines logged\n", log_syslog_lines);
	} else {
		term_puts(t, "    Trap logging: disabled\n");
	}
	if (r->cap == 0)
		return;
	term_printf(t, "\nLog Buffer (%zu bytes):\n\n", r->cap);
	first = r->used < r->cap - r->head ? r->used : r->cap - r->head;
	term_write(t, r->buf + r->head, first);
	term_write(t, r->buf, r->used - first);
}

/* ---- syslog ---- */

void
log_syslog_open(const char *ident)
{
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog_on = true;
}

void
log_syslog_close(void)
{
	if (!log_syslog_on)
		return;
	closelog();
	log_syslog_on = false;
}

/* ---- emitting ---- */

/*
 * Deliver one complete line.  body is the line after the timestamp
 * (what syslog gets, since syslog stamps lines itself).
 */
static void
log_emit(int sev, const char *line, const char *body)
{
	size_t i, n;

	if (log_depth > 0) {
		log_dropped++;
		return;
	}
	log_depth++;
	log_emitted++;
	/* Index every time: a sink may add sinks and move the array. */
	n = log_nsinks;
	for (i = 0; i < n; i++) {
		if (log_sinks[i].fn != NULL && sev <= log_sinks[i].max_sev)
			log_sinks[i].fn(log_sinks[i].arg, sev, line);
	}
	if (sev <= log_ring.max_sev)
		log_ring_put(&log_ring, line, strlen(line));
	if (log_syslog_on) {
		syslog(sev, "%s", body);
		log_syslog_lines++;
	}
	/* A program with nowhere else to say it must not lose its errors. */
	if (log_sinks_live() == 0 && !log_syslog_on && sev <= LOG_STDERR_SEV)
		fprintf(stderr, "%s\n", line);
	log_depth--;
	log_sinks_compact();
}

/*
 * Format "<timestamp>: <prefix><fmt...><suffix>" and emit it.  Trailing
 * newlines are trimmed: sinks receive lines without one.
 */
static void
log_vline(int sev, const char *prefix, const char *suffix, const char *fmt,
	  va_list ap)
{
	char line[LOG_LINE_MAX];
	size_t off, len;
	int n;

	if (sev < 0)
		sev = 0;
	if (sev > LOG_SEV_MAX)
		sev = LOG_SEV_MAX;
	log_timestamp(line, sizeof(line));
	off = strlen(line);
	n = snprintf(line + off, sizeof(line) - off, ": %s", prefix);
	len = off + (n > 0 ? (size_t)n : 0);
	if (len < sizeof(line)) {
		n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len < sizeof(line) && suffix != NULL) {
		n = snprintf(line + len, sizeof(line) - len, "%s", suffix);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	while (len > off + 2 && line[len - 1] == '\n')
		line[--len] = '\0';
	log_emit(sev, line, line + off + 2);
}

void
log_ios(const char *facility, int sev, const char *mnemonic,
	const char *fmt, ...)
{
	char prefix[96];
	va_list ap;

	if (sev < 0 || sev > LOG_SEV_MAX)
		sev = sev < 0 ? 0 : LOG_SEV_MAX;
	snprintf(prefix, sizeof(prefix), "%%%s-%d-%s: ",
		 facility ? facility : "SYS", sev, mnemonic ? mnemonic : "");
	va_start(ap, fmt);
	log_vline(sev, prefix, NULL, fmt, ap);
	va_end(ap);
}

void
log_dbg(enum log_debug flag, const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on(flag))
		return;
	va_start(ap, fmt);
	log_vline(LOG_DEBUG, "", NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	char suffix[128];
	int saved = errno;
	va_list ap;

	snprintf(suffix, sizeof(suffix), ": %s", strerror(saved));
	va_start(ap, fmt);
	log_vline(LOG_WARNING, "", suffix, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline(LOG_WARNING, "", NULL, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline(LOG_INFO, "", NULL, fmt, ap);
	va_end(ap);
	errno = saved;
}
