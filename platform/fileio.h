/*
 * fileio: whole-file reads with a size cap and atomic replacement
 * (write a temp file in the same directory, fsync, rename, fsync the
 * directory), so a failed save never leaves a half-written config or key.
 */
#ifndef PLATFORM_FILEIO_H
#define PLATFORM_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Read path into a malloc'd NUL-terminated buffer.  Fails (-1, errno) on
 * directories (EISDIR), files larger than max (EFBIG) and I/O errors. */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

/* Atomically replace path with buf; mode applies to the new file.
 * Returns 0, or -1 with errno set and the old file untouched. */
int file_write_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode);

/**
 * file_remove_stale_tmp - remove what file_write_atomic leaves behind
 * when the process is killed between creating and renaming its
 * temporary file ("<name>.tmpXXXXXX", mode 0600, the secrets of a
 * config or a key inside): in directory dir, every such file of name
 * (or, with name NULL, of any file).  Returns how many went.
 */
int file_remove_stale_tmp(const char *dir, const char *name);

/* A name that is safe as one file name in a directory of ours: 1 to
 * max - 1 characters of [A-Za-z0-9._-], not starting with '.' (so no
 * ".", "..", hidden or temporary files, and no path separators). */
bool file_name_ok(const char *name, size_t max);

#endif
