/*
 * fileio: whole-file reads with a size cap and atomic replacement
 * (write a temp file in the same directory, fsync, rename, fsync the
 * directory), so a failed save never leaves a half-written config or key.
 */
#ifndef PLATFORM_FILEIO_H
#define PLATFORM_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Read path into a malloc'd NUL-terminated buffer.  Fails (-1, errno) on
 * directories (EISDIR), files larger than max (EFBIG) and I/O errors. */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

/* Atomically replace path with buf; mode applies to the new file.
 * Returns 0, or -1 with errno set and the old file untouched. */
int file_write_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode);

#endif
