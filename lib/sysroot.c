// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files below the sysroot, opened relative to the descriptor the context
 * took when it was made.
 *
 * A sysroot may be a tree someone else wrote (a captured machine, a
 * container's root): no path may lead out of it.  openat2() resolves
 * every component inside the root (RESOLVE_IN_ROOT: "..", absolute
 * links and all); where the kernel lacks openat2 (before 5.6) the path
 * is walked one component at a time with O_NOFOLLOW, refusing links.
 * Every open is O_NONBLOCK so that a FIFO cannot hang us, and only
 * regular files are read or written: procfs and sysfs files are
 * regular, a FIFO, a device or a directory is not what we asked for.
 * Reads are bounded by the caller's buffer.
 *
 * Two ways in, for two costs:
 *  - by a path from the root (bi_open(), bi_read_file(): a handful of
 *    files a run).  The path is opened O_PATH first and only a regular
 *    file is then opened for real: opening a device can act (a tape
 *    rewinds, a serial line hangs up), so we look before we open.
 *  - below a directory opened once (bi_dir_open(), bi_read_file_at():
 *    proc/irq/N/..., two files an IRQ, thousands a run).  No link of
 *    any kind and no ".." below it (RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS;
 *    the walk refuses them too), one open, and the type checked on the
 *    opened file.  Here we do not look before opening: the look is
 *    three system calls of the seven a file cost.  What anyone who can
 *    write the tree can plant, a link or a FIFO, is refused before the
 *    open (links) or right after it (a FIFO opened O_NONBLOCK does not
 *    wait); a device node needs CAP_MKNOD, the machine's owner, and is
 *    opened O_NOCTTY|O_NONBLOCK and closed unread.
 *
 * The files read here (sysfs attributes, single-record procfs files,
 * sysctls) hand over all they have, up to the size asked, in one
 * read(2): a short read is the end, and only a read that fills the
 * buffer is followed by a second one, to tell a file that fits from
 * one that does not (-EFBIG).  A multi-record seq_file such as
 * proc/interrupts returns a page or so a read and is not read here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libblockinterf-private.h"

bool bi_no_openat2;
/* openat2 said ENOSYS once (old kernel, seccomp, valgrind): walk since */
static bool openat2_missing;

static int try_openat2(int dirfd, const char *path, int flags,
		       unsigned long long resolve)
{
	struct open_how how = {
		.flags = (unsigned int)flags,
		.resolve = resolve,
	};
	long fd;

	if (bi_no_openat2 || __atomic_load_n(&openat2_missing, __ATOMIC_RELAXED))
		return -ENOSYS;
	fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		__atomic_store_n(&openat2_missing, true, __ATOMIC_RELAXED);
	return fd < 0 ? -errno : (int)fd;
}

static int open_in_root(int rootfd, const char *path, int flags)
{
	return try_openat2(rootfd, path, flags,
			   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* Without openat2: one component at a time, no links, no "..". */
static int open_walk(int rootfd, const char *path, int flags)
{
	char *copy = strdup(path), *comp, *next;
	int dirfd = rootfd, fd = -ENOENT;

	if (!copy)
		return -ENOMEM;
	for (comp = copy; *comp == '/'; comp++)
		;
	for (;;) {
		next = strchr(comp, '/');
		if (next)
			*next++ = '\0';
		if (!strcmp(comp, "..")) {
			fd = -EXDEV;	/* as RESOLVE_BENEATH says it */
			break;
		}
		if (!next || !*next) {
			fd = openat(dirfd, *comp ? comp : ".", flags | O_NOFOLLOW);
			fd = fd < 0 ? -errno : fd;
			break;
		}
		fd = openat(dirfd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		if (fd < 0) {
			/* a link where a directory should be: ENOTDIR */
			fd = -errno;
			break;
		}
		if (dirfd != rootfd)
			close(dirfd);
		dirfd = fd;
		for (comp = next; *comp == '/'; comp++)
			;
	}
	if (dirfd != rootfd)
		close(dirfd);
	free(copy);
	return fd;
}

static int open_confined(int rootfd, const char *path, int flags)
{
	int fd = open_in_root(rootfd, path, flags);

	return fd == -ENOSYS ? open_walk(rootfd, path, flags) : fd;
}

/* Below @dirfd, already confined: no link at all, no "..", as the walk. */
static int open_beneath(int dirfd, const char *path, int flags)
{
	int fd = try_openat2(dirfd, path, flags, RESOLVE_BENEATH |
			     RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);

	return fd == -ENOSYS ? open_walk(dirfd, path, flags) : fd;
}

/*
 * -EISDIR for a directory, -EINVAL for a device or a socket, and for a
 * FIFO unless @fifo_ok.
 */
static int type_ok(const struct stat *st, bool fifo_ok)
{
	if (S_ISREG(st->st_mode) || (fifo_ok && S_ISFIFO(st->st_mode)))
		return 0;
	return S_ISDIR(st->st_mode) ? -EISDIR : -EINVAL;
}

static int open_checked(const struct blockinterf_ctx *ctx, const char *path,
			int flags, bool fifo_ok)
{
	struct stat st;
	int fd, err;

	/* openat2 refuses O_PATH with any other open flag */
	fd = open_confined(ctx->rootfd, path,
			   O_PATH | O_CLOEXEC | (flags & O_NOFOLLOW));
	if (fd < 0)
		return fd;
	/* Look before opening: opening a device can act. */
	err = fstat(fd, &st) < 0 ? -errno : type_ok(&st, fifo_ok);
	close(fd);
	if (!err) {
		/* O_NONBLOCK: opening a FIFO must not wait for a writer */
		fd = open_confined(ctx->rootfd, path,
				   flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			return fd;
		/* swapped in between? */
		err = fstat(fd, &st) < 0 ? -errno : type_ok(&st, fifo_ok);
		/* reads then wait for data; with no writer they see EOF */
		if (!err && S_ISFIFO(st.st_mode) &&
		    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
			err = -errno;
		if (!err)
			return fd;
		close(fd);
	}
	if (err == -EINVAL)
		bi_err((struct blockinterf_ctx *)ctx,
		       BI_PATH_FMT " is not a regular file\n", BI_PATH(ctx, path));
	return err;
}

/*
 * Opens @path below the sysroot.  With O_PATH, anything; otherwise a
 * regular file, or for reading a FIFO (test fixtures feed proc/
 * interrupts through one; with no writer a read sees EOF, no hang).
 * -EISDIR for a directory, -EINVAL (logged) for anything else.
 */
int bi_open(const struct blockinterf_ctx *ctx, const char *path, int flags)
{
	if (flags & O_PATH)
		return open_confined(ctx->rootfd, path, flags | O_CLOEXEC);
	return open_checked(ctx, path, flags,
			    (flags & O_ACCMODE) == O_RDONLY);
}

/* 0 when @path exists below the sysroot, or -errno (-ENOENT). */
int bi_probe(const struct blockinterf_ctx *ctx, const char *path)
{
	int fd = bi_open(ctx, path, O_PATH);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/*
 * Reads @fd, a regular file, into @buf, NUL-terminated; -EFBIG if it
 * does not fit.  One read, and a second only when the first filled
 * the buffer (see the top of the file).
 */
static int read_whole(int fd, char *buf, size_t size)
{
	ssize_t n;
	char c;
	int err = 0;

	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		err = -errno;
		n = 0;
	} else if ((size_t)n == size - 1) {
		/* Full: it fits only if the file ends right here. */
		ssize_t m = read(fd, &c, 1);

		if (m != 0)
			err = m > 0 ? -EFBIG : -errno;
	}
	buf[n] = '\0';
	return err ? err : (int)n;
}

/* Reads the whole file into @buf, NUL-terminated; -EFBIG if it does not fit. */
int bi_read_file(const struct blockinterf_ctx *ctx, const char *path,
		 char *buf, size_t size)
{
	int fd, ret;

	buf[0] = '\0';
	fd = open_checked(ctx, path, O_RDONLY, false);
	if (fd < 0)
		return fd;
	ret = read_whole(fd, buf, size);
	close(fd);
	return ret;
}

/* A directory below the sysroot, to open many files beneath it. */
int bi_dir_open(const struct blockinterf_ctx *ctx, const char *path,
		struct bi_dir *dir)
{
	dir->path = path;
	dir->fd = bi_open(ctx, path, O_PATH | O_DIRECTORY);
	return dir->fd < 0 ? dir->fd : 0;
}

void bi_dir_close(struct bi_dir *dir)
{
	if (dir->fd >= 0)
		close(dir->fd);
	dir->fd = -EBADF;
}

/* The mode of @path below @dir (no link, no ".."), without opening it. */
int bi_mode_at(const struct bi_dir *dir, const char *path, mode_t *mode)
{
	struct stat st;
	int fd, err;

	if (dir->fd < 0)
		return dir->fd;
	fd = open_beneath(dir->fd, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (!err)
		*mode = st.st_mode;
	return err;
}

/*
 * bi_read_file() for @path below @dir (no link, no ".."), one open and
 * the type checked after it; @mode, when not NULL, gets the file's mode.
 */
int bi_read_file_at(const struct blockinterf_ctx *ctx, const struct bi_dir *dir,
		    const char *path, char *buf, size_t size, mode_t *mode)
{
	struct stat st;
	int fd, ret;

	buf[0] = '\0';
	if (dir->fd < 0)
		return dir->fd;
	fd = open_beneath(dir->fd, path,
			  O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	ret = fstat(fd, &st) < 0 ? -errno : type_ok(&st, false);
	if (!ret) {
		if (mode)
			*mode = st.st_mode;
		ret = read_whole(fd, buf, size);
	} else if (ret == -EINVAL) {
		bi_err((struct blockinterf_ctx *)ctx,
		       BI_PATH_FMT "/%s is not a regular file\n",
		       BI_PATH(ctx, dir->path), path);
	}
	close(fd);
	return ret;
}

/*
 * One write(2) of the whole buffer, as a sysctl handler wants it: the
 * kernel parses what one write hands it, so a split write would be
 * two different masks.  A short write is an error.
 */
static int write_once(int fd, const char *buf)
{
	size_t len = strlen(buf);
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * A new file beside the old one, as mkstemp() makes it: a random name,
 * tried until one is free.  The PID alone is no name: it repeats in
 * every PID namespace that shares the tree.
 */
static int open_temp(int dirfd, mode_t mode, char *name, size_t size)
{
	unsigned long long r;
	int tries, fd;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = (unsigned long long)getpid() << 32 ^
			    (unsigned long long)time(NULL) ^ (unsigned int)tries;
		snprintf(name, size, ".blockinterf.%016llx", r);
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
			    O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

/*
 * The replacement gets the old file's owner and mode: root writing a
 * captured tree must not hand it to root.  fchown() before fchmod(),
 * which it could clear set-id bits of.
 */
static int copy_owner(int fd, const struct stat *st)
{
	struct stat now;

	if (fstat(fd, &now) < 0)
		return -errno;
	if ((now.st_uid != st->st_uid || now.st_gid != st->st_gid) &&
	    fchown(fd, st->st_uid, st->st_gid) < 0)
		return -errno;
	return fchmod(fd, st->st_mode & 07777) < 0 ? -errno : 0;
}

/*
 * A plain file (a fixture, a copy of a machine): the new content goes
 * into a new file beside it, which replaces the old one only once it
 * is complete, so any failure leaves the old content byte for byte.
 */
static int replace_file(const struct blockinterf_ctx *ctx, const char *path,
			int oldfd, const char *buf)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	const char *base = slash ? slash + 1 : path;
	char tmp[64];
	struct stat st;
	int dirfd, fd, err;

	if (!dir)
		return -ENOMEM;
	dirfd = bi_open(ctx, dir, O_PATH | O_DIRECTORY);
	free(dir);
	if (dirfd < 0)
		return dirfd;
	err = fstat(oldfd, &st) < 0 ? -errno : 0;
	fd = err ? err : open_temp(dirfd, st.st_mode & 0777, tmp, sizeof(tmp));
	if (!err && fd < 0)
		err = fd;
	if (!err) {
		err = write_once(fd, buf);
		if (!err)
			err = copy_owner(fd, &st);
		if (close(fd) < 0 && !err)
			err = -errno;
		if (!err && renameat(dirfd, tmp, dirfd, base) < 0)
			err = -errno;
		if (err)
			unlinkat(dirfd, tmp, 0);
	}
	close(dirfd);
	return err;
}

/*
 * Writes @buf to @path, all or nothing.  The file must be a regular
 * file (procfs files are); on procfs the kernel takes one write(2) or
 * refuses it whole.  Failures are logged with the file's name.
 */
int bi_write_file(struct blockinterf_ctx *ctx, const char *path,
		  const char *buf)
{
	struct statfs sfs;
	int fd, err;

	/* not through a link: the new file replaces what is at @path */
	fd = open_checked(ctx, path, O_WRONLY | O_NOFOLLOW, false);
	if (fd < 0) {
		bi_err(ctx, "cannot write " BI_PATH_FMT ": %s\n", BI_PATH(ctx, path),
		       strerror(-fd));
		return fd;
	}
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC) {
		err = write_once(fd, buf);
		if (err)
			bi_err(ctx, "the kernel refused the new set: %s\n",
			       strerror(-err));
	} else {
		err = replace_file(ctx, path, fd, buf);
		if (err)
			bi_err(ctx, "cannot write " BI_PATH_FMT ": %s\n",
			       BI_PATH(ctx, path), strerror(-err));
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

/* Kernel-printed lists never exceed this for 8192 CPUs. */
#define CPULIST_FILE_MAX	(64 * 1024)

/* Parses what was read into @buf (and frees it); logs failures. */
static int parse_list(struct blockinterf_ctx *ctx, const char *dir,
		      const char *path, char *buf, int err,
		      cpu_set_t *set, size_t setsize)
{
	if (err >= 0)
		err = blockinterf_cpulist_parse(buf, (unsigned int)setsize * 8,
						set, setsize);
	if (err < 0)
		bi_dbg(ctx, BI_PATH_FMT "%s%s: %s\n", BI_PATH(ctx, dir ? dir : path),
		       dir ? "/" : "", dir ? path : "", strerror(-err));
	free(buf);
	return err;
}

int bi_read_cpulist(struct blockinterf_ctx *ctx, const char *path,
		    cpu_set_t *set, size_t setsize)
{
	char *buf = malloc(CPULIST_FILE_MAX);
	int err = buf ? bi_read_file(ctx, path, buf, CPULIST_FILE_MAX) : -ENOMEM;

	return parse_list(ctx, NULL, path, buf, err, set, setsize);
}

/* bi_read_cpulist() below @dir, as bi_read_file_at() */
int bi_read_cpulist_at(struct blockinterf_ctx *ctx, const struct bi_dir *dir,
		       const char *path, cpu_set_t *set, size_t setsize,
		       mode_t *mode)
{
	char *buf = malloc(CPULIST_FILE_MAX);
	int err = buf ? bi_read_file_at(ctx, dir, path, buf, CPULIST_FILE_MAX,
					mode) : -ENOMEM;

	return parse_list(ctx, dir->path, path, buf, err, set, setsize);
}
