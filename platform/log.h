/*
 * log: IOS-style event lines and internal diagnostics.
 *
 *   *Nov 27 07:00:27.123: %GDOI-5-GM_REGS_COMPL: Registration to KS ...
 *
 * Lines go to every registered sink (console, vty sessions with
 * `terminal monitor`), to the `logging buffered` ring (show logging) and,
 * in daemon mode, to syslog(3).  Severity numbers are syslog's (0-7).
 * Debug output is gated per subsystem (debug crypto gdoi ks|gm ...).
 * Key material must never be passed here unless log_debug_on(LOG_DBG_KEYS).
 */
#ifndef PLATFORM_LOG_H
#define PLATFORM_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct term;

enum log_debug {
	LOG_DBG_GDOI_KS,
	LOG_DBG_GDOI_GM,
	LOG_DBG_GDOI_COOP,
	LOG_DBG_GDOI_PACKET,
	LOG_DBG_ISAKMP,
	LOG_DBG_IPSEC,
	LOG_DBG_PARSER,
	LOG_DBG_KEYS,		/* key-dump debug: only then may keys be printed */
	LOG_DBG_COUNT
};

/* An IOS event line: %FAC-SEV-MNEMONIC: text */
void log_ios(const char *facility, int sev, const char *mnemonic,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Debug line (only when log_debug_on(flag)); printed with the timestamp. */
void log_dbg(enum log_debug flag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Internal diagnostics, iked style: warn appends strerror(errno). */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Addresses in log lines are dotted quads, never integers: pass
 * LOG_IP4(a) (a in network order, as sockets and packets hold it) to a
 * "%s".  The text lives in a compound literal of the calling block.
 */
struct log_ip4 {
	char s[16];		/* INET_ADDRSTRLEN */
};
const char *log_ip4(uint32_t net_order, struct log_ip4 *buf);
#define LOG_IP4(net_order) log_ip4((net_order), &(struct log_ip4){ { 0 } })

bool log_debug_on(enum log_debug flag);
void log_debug_set(enum log_debug flag, bool on);
void log_debug_all_off(void);

/* Sinks receive complete lines without the trailing newline. */
typedef void (*log_sink_fn)(void *arg, int sev, const char *line);
int log_sink_add(log_sink_fn fn, void *arg, int max_sev);
void log_sink_remove(log_sink_fn fn, void *arg);

/* `logging buffered [SIZE] [SEV]`: ring of recent lines; 0 turns it off. */
void log_buffer_configure(size_t bytes, int max_sev);
void log_buffer_show(struct term *t);
void log_buffer_clear(void);

/* Daemon mode: also send lines to syslog(3) under ident. */
void log_syslog_open(const char *ident);
void log_syslog_close(void);

/* Tests: fixed wall clock (seconds since the epoch, ms), or 0 to reset. */
void log_set_fixed_time(long long sec, int ms);
/* Format the IOS timestamp prefix ("*Nov 27 07:00:27.123") into buf. */
void log_timestamp(char *buf, size_t len);

#endif
