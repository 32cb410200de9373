/*
 * fileio: whole-file reads with a size cap, and atomic file replacement.
 *
 * Owns the two file primitives behind startup-config loading, `write
 * memory` and key storage.  A save writes "<path>.tmpXXXXXX" in the same
 * directory (rename(2) is only atomic within one file system), fsyncs it,
 * renames it over the target and fsyncs the directory so the rename
 * itself survives a crash.  Until the rename nothing visible changes, so
 * every failure leaves the old file as it was; a process killed before
 * the rename leaves the temporary file, which the next start removes
 * (file_remove_stale_tmp).
 */
#include "platform/fileio.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file of an atomic save: "<path>" FILE_TMP_SUFFIX
 * "XXXXXX" (mkostemp). */
#define FILE_TMP_SUFFIX ".tmp"

/* Read until EOF into a buffer that grows as needed, never past max. */
static int
file_read_fd(int fd, size_t hint, size_t max, char **out, size_t *len)
{
	size_t cap, used = 0;
	char *buf, *nb;
	ssize_t n;
	int rc = -1;

	/* Room for the hinted size, the NUL, and one byte to see EOF
	 * without growing. */
	cap = hint < max ? hint : max;
	cap = cap < SIZE_MAX - 2 ? cap + 2 : cap;
	if (cap < 256)
		cap = 256;
	buf = malloc(cap);
	if (buf == NULL)
		return -1;
	for (;;) {
		if (used + 1 == cap) {
			cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
			nb = realloc(buf, cap);
			if (nb == NULL)
				goto out;
			buf = nb;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max) {
			errno = EFBIG;
			goto out;
		}
	}
	buf[used] = '\0';
	*out = buf;
	if (len != NULL)
		*len = used;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	return rc;
}

int
file_read_all(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	int fd, rc = -1, saved;

	if (path == NULL || out == NULL) {
		errno = EINVAL;
		return -1;
	}
	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto out;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		errno = EFBIG;
		goto out;
	}
	/* st_size is only a hint: files in /proc say 0, and files grow. */
	rc = file_read_fd(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
			  max, out, len);
out:
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int
file_write_fd(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Make the rename durable.  The new file is already in place, so a
 * failure here is not reported: the caller could not undo it anyway. */
static void
file_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

int
file_write_atomic(const char *path, const void *buf, size_t len, mode_t mode)
{
	char *tmp = NULL;
	int fd = -1, rc = -1, saved;
	bool created = false;

	if (path == NULL || *path == '\0' || (buf == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	if (asprintf(&tmp, "%s" FILE_TMP_SUFFIX "XXXXXX", path) < 0) {
		tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto out;
	created = true;
	if (fchmod(fd, mode) < 0 || file_write_fd(fd, buf, len) < 0 ||
	    fsync(fd) < 0)
		goto out;
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto out;
	file_sync_dir(path);
	rc = 0;
out:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc < 0 && created)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return rc;
}

/* FILE_TMP_SUFFIX followed by mkostemp's six characters. */
static bool
file_is_tmp_of(const char *entry, const char *name)
{
	size_t n = strlen(entry), k = strlen(FILE_TMP_SUFFIX) + 6;

	if (n <= k || strncmp(entry + n - k, FILE_TMP_SUFFIX,
			      strlen(FILE_TMP_SUFFIX)) != 0)
		return false;
	for (size_t i = n - 6; i < n; i++)
		if (!isalnum((unsigned char)entry[i]))
			return false;
	return name == NULL ||
	       (n - k == strlen(name) && strncmp(entry, name, n - k) == 0);
}

int
file_remove_stale_tmp(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int gone = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (file_is_tmp_of(de->d_name, name) &&
		    unlinkat(dirfd(d), de->d_name, 0) == 0)
			gone++;
	closedir(d);
	return gone;
}

bool
file_name_ok(const char *name, size_t max)
{
	size_t n;

	if (name == NULL || name[0] == '\0' || name[0] == '.')
		return false;
	for (n = 0; name[n] != '\0'; n++) {
		char c = name[n];

		if (n + 1 >= max)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}
