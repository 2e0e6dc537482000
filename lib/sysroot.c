// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files below the sysroot, opened relative to the descriptor the context
 * took when it was made.  Reads are bounded by the caller's buffer: a
 * hostile or runaway /proc file costs at most that much memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libblockinterf-private.h"

int bi_open(const struct blockinterf_ctx *ctx, const char *path, int flags)
{
	int fd = openat(ctx->rootfd, path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

bool bi_exists(const struct blockinterf_ctx *ctx, const char *path)
{
	return faccessat(ctx->rootfd, path, F_OK, 0) == 0;
}

/* Reads the whole file into @buf, NUL-terminated; -EFBIG if it does not fit. */
int bi_read_file(const struct blockinterf_ctx *ctx, const char *path,
		 char *buf, size_t size)
{
	size_t len = 0;
	int fd, err = 0;

	fd = bi_open(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;

		if (len + 1 >= size) {
			char c;

			/* Full: it fits only if the file ends right here. */
			n = read(fd, &c, 1);
			if (n != 0)
				err = n > 0 ? -EFBIG : -errno;
			break;
		}
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return err ? err : (int)len;
}

/*
 * One write(2) of the whole buffer, as a sysctl handler wants it: the
 * kernel parses what one write hands it, so a split write would be
 * two different masks.
 */
int bi_write_file(const struct blockinterf_ctx *ctx, const char *path,
		  const char *buf)
{
	size_t len = strlen(buf);
	ssize_t n;
	int fd, err = 0;

	fd = bi_open(ctx, path, O_WRONLY | (ctx->real_root ? 0 : O_TRUNC));
	if (fd < 0)
		return fd;
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

/* Kernel-printed lists never exceed this for 8192 CPUs. */
#define CPULIST_FILE_MAX	(64 * 1024)

int bi_read_cpulist(struct blockinterf_ctx *ctx, const char *path,
		    cpu_set_t *set, size_t setsize)
{
	char *buf = malloc(CPULIST_FILE_MAX);
	int err;

	if (!buf)
		return -ENOMEM;
	err = bi_read_file(ctx, path, buf, CPULIST_FILE_MAX);
	if (err >= 0)
		err = blockinterf_cpulist_parse(buf, (unsigned int)setsize * 8,
						set, setsize);
	if (err < 0)
		bi_dbg(ctx, "%s: %s\n", path, strerror(-err));
	free(buf);
	return err;
}
