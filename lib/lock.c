// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The advisory lock around a read-modify-write of the mask.
 *
 * Where the kernel cannot add or remove CPUs itself (the sysctl, a v3
 * prctl, a sysroot's plain file), --add is a read, an OR and a write:
 * two of them at once lose one of the two changes.  Every writer of
 * this library takes an flock() on run/lock/blockinterf below the
 * context's root first, so that the read and the write of one change
 * come between those of any other.  A writer that does not take it (an
 * echo to the sysctl) is not stopped: the lock is advisory.
 *
 * The file is 0644, as libmount's utab.lock: a process with
 * CAP_SYS_ADMIN but another uid than the file's may change the mask,
 * and opens the file read-only to lock it.  Missing directories are
 * made (0755): a captured root has no run/, and a container may lack
 * run/lock.  A link, a FIFO or a device at the file's place is an
 * error, never followed, waited on or read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libblockinterf-private.h"

#define LOCK_MODE	0644
/*
 * Any local user can open a 0644 file and hold an flock() on it: a
 * writer waits for the lock this long at most, then fails saying so,
 * rather than hang.  A real writer holds it for a few reads and writes.
 */
#define LOCK_WAIT_MS	10000
#define LOCK_POLL_MS	10

/* The directory @path below the root, made (0755) when missing. */
static int open_dir(struct blockinterf_ctx *ctx, const char *path,
		    const char *parent, const char *name)
{
	int fd = bi_open(ctx, path, O_PATH | O_DIRECTORY);
	int pfd, err;

	if (fd != -ENOENT)
		return fd;
	pfd = bi_open(ctx, parent, O_PATH | O_DIRECTORY);
	if (pfd < 0)
		return pfd;
	err = mkdirat(pfd, name, 0755) < 0 && errno != EEXIST ? -errno : 0;
	close(pfd);
	return err ? err : bi_open(ctx, path, O_PATH | O_DIRECTORY);
}

/*
 * Read-write where we may, read-only where the file is someone else's:
 * flock() needs no write access.  O_NONBLOCK: a FIFO must not wait.
 */
static int open_lock_file(int dirfd)
{
	int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
	int fd = openat(dirfd, "blockinterf", O_RDWR | O_CREAT | flags,
			LOCK_MODE);

	if (fd < 0 && (errno == EACCES || errno == EROFS))
		fd = openat(dirfd, "blockinterf", O_RDONLY | flags);
	return fd < 0 ? -errno : fd;
}

static int lock_file(struct blockinterf_ctx *ctx)
{
	struct stat st;
	int dirfd, fd, err;

	dirfd = open_dir(ctx, "run", ".", "run");
	if (dirfd >= 0) {
		close(dirfd);
		dirfd = open_dir(ctx, "run/lock", "run", "lock");
	}
	if (dirfd < 0)
		return dirfd;
	fd = open_lock_file(dirfd);
	close(dirfd);
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? -errno : 0;
	if (!err && !S_ISREG(st.st_mode))
		err = -EINVAL;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static void log_failure(struct blockinterf_ctx *ctx, const char *why)
{
	/* the whole path: a user looks for it to remove it */
	bi_err(ctx, "cannot lock " BI_PATH_FMT ": %s\n",
	       BI_PATH(ctx, BI_LOCK_FILE), why);
}

static const char *lock_error(int err)
{
	switch (err) {
	case -ELOOP:
		return "it is a symbolic link; remove it";
	case -EINVAL:
		return "it is not a regular file; remove it";
	default:
		return strerror(-err);
	}
}

/* flock(LOCK_EX), polled for LOCK_WAIT_MS at most: 0 or -errno */
static int lock_within(int fd)
{
	const struct timespec poll = { 0, LOCK_POLL_MS * 1000000L };
	int waited;

	for (waited = 0; waited < LOCK_WAIT_MS; waited += LOCK_POLL_MS) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		nanosleep(&poll, NULL);
	}
	return -EWOULDBLOCK;
}

/*
 * Takes the lock: a descriptor for bi_unlock(), or -errno (logged).
 * Waits while another writer holds it, for LOCK_WAIT_MS at most.
 */
int bi_lock(struct blockinterf_ctx *ctx)
{
	int fd = lock_file(ctx), err;

	if (fd < 0) {
		log_failure(ctx, lock_error(fd));
		return fd;
	}
	err = lock_within(fd);
	if (err) {
		log_failure(ctx, err == -EWOULDBLOCK ?
			    "another process has held it for 10 s" :
			    strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

/* Closing the last descriptor drops the lock; the file stays. */
void bi_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
