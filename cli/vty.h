/*
 * vty: the daemon side of the vty socket (`getvpn -d -S SOCKET`).
 *
 * A UNIX stream socket, mode 0600 (0660 with the getvpn group when it
 * exists), accepts several clients at once; each gets its own
 * cli_session ("vty0", "vty1", ...) as the user SO_PEERCRED names:
 * privileged EXEC for root and our own user, else the configured
 * username's privilege.  Frames
 * are those of cli/vtyproto.h.  A client that sends garbage, disconnects
 * or stops reading while output piles up is dropped without disturbing
 * the others.  Log lines reach a client only after `terminal monitor`.
 */
#ifndef CLI_VTY_H
#define CLI_VTY_H

#include <stddef.h>

struct cli_env;
struct evloop;
struct vty_server;

/* At most this many clients at once; more are turned away.  The last
 * VTY_RESERVED slots take only privilege 15 (root, the daemon's user, a
 * username with privilege 15): idle users cannot lock the administrator
 * out. */
#define VTY_MAX_CLIENTS 32
#define VTY_RESERVED 1
/* The socket's group when it exists (created by `make install`). */
#define VTY_GROUP "getvpn"
/* A client whose unsent output grows past this is dropped. */
#define VTY_OUT_MAX (16u * 1024 * 1024)

/*
 * Listen on path.  A stale socket (nobody accepts on it) is replaced; a
 * live one, or a path that is not a socket, is refused.  Returns NULL
 * with err set on failure.
 */
struct vty_server *vty_server_new(struct cli_env *env, struct evloop *loop,
				  const char *path, char *err, size_t errlen);
/* Drop every client, close the socket and unlink it (if still ours). */
void vty_server_free(struct vty_server *srv);
/* Clients connected now. */
size_t vty_server_clients(const struct vty_server *srv);

#endif
