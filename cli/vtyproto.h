/*
 * vtyproto: the framing between `getvpn -S SOCKET` (client) and the vty
 * server of `getvpn -d` (daemon), over a UNIX stream socket.
 *
 * A frame is {type u8, len u32 big-endian, payload[len]}; the wire format
 * and the conversation are described in doc/vty-protocol.md.  The decoder
 * is bounded: a peer can make it hold at most one frame of the maximum
 * payload for its direction, and garbage (an unknown type, a DONE too
 * short to hold its fixed part) tells the caller to drop the peer.
 */
#ifndef CLI_VTYPROTO_H
#define CLI_VTYPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VTYPROTO_HDR_LEN 5

/* Frame types.  Client -> daemon are below 0x80, daemon -> client above. */
enum vtyproto_type {
	VTYPROTO_LINE = 0x01,		/* run this command line */
	VTYPROTO_HELP = 0x02,		/* `?` typed after this text */
	VTYPROTO_COMPLETE = 0x03,	/* TAB typed after this text */
	VTYPROTO_TERMINAL = 0x04,	/* a user at a terminal (no payload,
					 * no answer): secrets may be asked */
	VTYPROTO_OUTPUT = 0x81,		/* a piece of command output */
	VTYPROTO_DONE = 0x82,		/* the line finished (see below) */
	VTYPROTO_HELP_TEXT = 0x83,	/* the answer to HELP */
	VTYPROTO_COMPLETION = 0x84,	/* the answer to COMPLETE; empty = bell */
	VTYPROTO_LOG = 0x85,		/* an asynchronous log line */
};

/* Longest line, help or completion request a daemon accepts: longer
 * ones are skipped without buffering and answered with an error. */
#define VTYPROTO_LINE_MAX (64u * 1024)
/* Largest daemon -> client payload; output is sent in OUTPUT chunks. */
#define VTYPROTO_CHUNK_MAX (64u * 1024)
#define VTYPROTO_PROMPT_MAX 512

/* DONE flags. */
enum vtyproto_done_flags {
	VTYPROTO_DONE_ASKING = 1 << 0,	/* the next line answers a question */
	VTYPROTO_DONE_CLOSED = 1 << 1,	/* the session ended (`exit`) */
	VTYPROTO_DONE_SECRET = 1 << 2,	/* the line must stay out of history */
	VTYPROTO_DONE_CONFIG = 1 << 3,	/* the session is in a config mode */
	VTYPROTO_DONE_NOECHO = 1 << 4,	/* do not echo the answer (Password:) */
};

/* DONE payload: status u8, flags u8, term length u32 BE, term width u32
 * BE, prompt bytes. */
#define VTYPROTO_DONE_FIXED 10
struct vtyproto_done {
	int status;			/* 0 accepted, 1 refused */
	unsigned flags;			/* enum vtyproto_done_flags */
	uint32_t term_length;		/* the session's `terminal length` */
	uint32_t term_width;		/* its `terminal width` (0: no wrap,
					 * 0xffffffff: the terminal's own) */
	char prompt[VTYPROTO_PROMPT_MAX];
};

/*
 * A growable byte queue: frames waiting to be written to a socket.
 */
struct vtyproto_buf {
	char *data;
	size_t off;			/* first unsent byte */
	size_t len;			/* end of the queued bytes */
	size_t cap;
};

/* Bytes queued and not yet consumed. */
size_t vtyproto_buf_pending(const struct vtyproto_buf *b);
/* Append raw bytes; returns 0 or -1 on allocation failure. */
int vtyproto_buf_add(struct vtyproto_buf *b, const void *p, size_t n);
/* Drop n bytes from the front (after a write). */
void vtyproto_buf_consume(struct vtyproto_buf *b, size_t n);
void vtyproto_buf_free(struct vtyproto_buf *b);

/* Encode a frame header (for payloads sent straight from the caller's
 * memory, such as a request line longer than the daemon accepts). */
void vtyproto_header(unsigned char hdr[VTYPROTO_HDR_LEN],
		     enum vtyproto_type type, uint32_t len);
/* Append one frame.  Returns 0, or -1 (payload too large, no memory). */
int vtyproto_put(struct vtyproto_buf *b, enum vtyproto_type type,
		 const void *payload, size_t len);
/* Append a DONE frame. */
int vtyproto_put_done(struct vtyproto_buf *b, const struct vtyproto_done *d);
/* Append text as as many OUTPUT (or LOG) frames as it takes. */
int vtyproto_put_chunked(struct vtyproto_buf *b, enum vtyproto_type type,
			 const char *text, size_t len);
/* Parse a DONE payload; returns 0, or -1 when it is malformed. */
int vtyproto_parse_done(const char *p, size_t len, struct vtyproto_done *d);

/*
 * The decoder.  Feed it bytes as they arrive; it returns one event at a
 * time and says how many bytes it used, so the caller loops until all
 * of its buffer is used.
 */
enum vtyproto_side {
	VTYPROTO_AT_DAEMON,		/* decodes client -> daemon frames */
	VTYPROTO_AT_CLIENT,		/* decodes daemon -> client frames */
};

enum vtyproto_event {
	VTYPROTO_NEED,			/* all bytes used, no frame yet */
	VTYPROTO_FRAME,			/* a whole frame is in type/payload/len */
	VTYPROTO_TOOLONG,		/* a request over VTYPROTO_LINE_MAX was skipped */
	VTYPROTO_BAD,			/* garbage: drop the peer */
};

struct vtyproto_dec {
	enum vtyproto_side side;
	unsigned char hdr[VTYPROTO_HDR_LEN];
	size_t hlen;			/* header bytes collected */
	enum vtyproto_type type;
	uint32_t len;			/* payload length of the current frame */
	uint32_t got;			/* payload bytes collected or skipped */
	bool skip;			/* discarding an oversized request */
	bool bad;			/* sticky: once garbage, always garbage */
	char *payload;			/* NUL-terminated when FRAME is returned */
	size_t cap;
};

void vtyproto_dec_init(struct vtyproto_dec *d, enum vtyproto_side side);
void vtyproto_dec_fini(struct vtyproto_dec *d);
/* True when the decoder holds part of a frame. */
bool vtyproto_dec_partial(const struct vtyproto_dec *d);
/*
 * Consume bytes from data[0..n).  *used receives how many were consumed.
 * On FRAME, d->type, d->payload and d->len describe the frame until the
 * next call.  On TOOLONG, d->type is the skipped request's type.
 */
enum vtyproto_event vtyproto_feed(struct vtyproto_dec *d, const void *data,
				  size_t n, size_t *used);

#endif
