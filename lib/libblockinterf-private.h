/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef LIBBLOCKINTERF_PRIVATE_H
#define LIBBLOCKINTERF_PRIVATE_H

#include <stdio.h>
#include <sys/types.h>
#include <syslog.h>

/* The library checks for NULL itself: keep the compiler from assuming. */
#define BLOCKINTERF_NO_NONNULL
#include "blockinterf.h"

#define BI_EXPORT __attribute__((visibility("default")))

/*
 * v4 of the kernel series: the mask changed in place, under the kernel's
 * own lock, so that two writers never lose each other's change.  A v3
 * kernel says EINVAL to both.
 */
#ifndef PR_BLOCK_INTERF_ADD
#define PR_BLOCK_INTERF_ADD	2
#define PR_BLOCK_INTERF_REMOVE	3
#endif

enum bi_iface {
	BI_IFACE_UNKNOWN = 0,	/* not probed yet */
	BI_IFACE_NONE,		/* no usable backend */
	BI_IFACE_PRCTL,
	BI_IFACE_SYSCTL,
	BI_IFACE_BPF,		/* the BPF LSM policy (bpf.c, backend.h) */
};

/* blockinterf_set_backend(): which backends the probe may pick. */
enum bi_force {
	BI_FORCE_AUTO = 0,
	BI_FORCE_KERNEL,
	BI_FORCE_BPF,
};

/* Whether the prctl interface has PR_BLOCK_INTERF_ADD and _REMOVE. */
enum bi_atomic {
	BI_ATOMIC_UNKNOWN = 0,	/* not probed yet */
	BI_ATOMIC_NO,		/* sysctl, sysroot, or a v3 kernel */
	BI_ATOMIC_YES,
};

struct bi_backend_ops;

struct blockinterf_ctx {
	int refcount;
	int log_priority;
	blockinterf_log_fn log_fn;
	void *userdata;
	char *sysroot;		/* "/" or an absolute-or-relative directory */
	int rootfd;		/* O_PATH descriptor of sysroot */
	bool real_root;		/* sysroot is "/": prctl may be used */
	int shown_len;		/* of sysroot as messages show it, 0 for "/" */
	int nr_possible;	/* cpu/possible's span once read, else 0 */
	/*
	 * cpu/online as blockinterf_validate() read it, BI_SETSIZE, for
	 * the blockinterf_scan() that follows (a dry run), which takes
	 * it: the two see the same CPUs, and the file is read once.
	 */
	cpu_set_t *validated_online;
	enum bi_iface iface;
	enum bi_atomic atomic;
	enum bi_force force;
	const struct bi_backend_ops *ops;	/* backend.c, with iface */
	char reason[320];	/* why the backend was chosen, or none */
};

void bi_log(struct blockinterf_ctx *ctx, int priority, const char *file,
	    int line, const char *fn, const char *format, ...)
	__attribute__((format(printf, 6, 7)));

#define bi_log_cond(ctx, prio, ...)					\
	do {								\
		if ((ctx)->log_priority >= (prio))			\
			bi_log(ctx, prio, __FILE__, __LINE__, __func__,	\
			       __VA_ARGS__);				\
	} while (0)
#define bi_err(ctx, ...)	bi_log_cond(ctx, LOG_ERR, __VA_ARGS__)
#define bi_info(ctx, ...)	bi_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define bi_dbg(ctx, ...)	bi_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)

/* sysroot.c: files below the context's sysroot, never outside it */
/* Tests set this to drive the fallback for kernels without openat2. */
extern bool bi_no_openat2;
int bi_open(const struct blockinterf_ctx *ctx, const char *path, int flags);
int bi_read_file(const struct blockinterf_ctx *ctx, const char *path,
		 char *buf, size_t size);
int bi_write_file(struct blockinterf_ctx *ctx, const char *path,
		  const char *buf);
int bi_probe(const struct blockinterf_ctx *ctx, const char *path);
int bi_read_cpulist(struct blockinterf_ctx *ctx, const char *path,
		    cpu_set_t *set, size_t setsize);
/* A directory below the sysroot, opened once to read many files beneath it. */
struct bi_dir {
	int fd;			/* O_PATH, or -errno when it could not be opened */
	const char *path;	/* from the root, for messages */
};
int bi_dir_open(const struct blockinterf_ctx *ctx, const char *path,
		struct bi_dir *dir);
void bi_dir_close(struct bi_dir *dir);
int bi_read_file_at(const struct blockinterf_ctx *ctx, const struct bi_dir *dir,
		    const char *path, char *buf, size_t size, mode_t *mode);
int bi_mode_at(const struct bi_dir *dir, const char *path, mode_t *mode);
int bi_read_cpulist_at(struct blockinterf_ctx *ctx, const struct bi_dir *dir,
		       const char *path, cpu_set_t *set, size_t setsize,
		       mode_t *mode);

/* kernel.c and mask.c: the decisions, apart from the system calls, for the tests */
enum bi_atomic bi_atomic_from_probe(enum bi_iface iface, int err);
bool bi_needs_lock(enum bi_iface iface, enum bi_atomic atomic);

/* mask.c: a scratch set as large as any kernel's cpumask (BI_SETSIZE), zeroed */
cpu_set_t *bi_scratch_alloc(void);

/* lock.c: the advisory lock around a read-modify-write of the mask */
#define BI_LOCK_FILE	"run/lock/blockinterf"
int bi_lock(struct blockinterf_ctx *ctx);
void bi_unlock(int fd);

/* cpulist.c */
/* Highest set bit + 1 in @set, 0 when empty. */
unsigned int bi_cpuset_span(const cpu_set_t *set, size_t setsize);
/* @dst = @a & ~@b; @dst may be @a.  All three BI_SETSIZE. */
void bi_cpuset_andnot(cpu_set_t *dst, const cpu_set_t *a, const cpu_set_t *b);

#define BI_SETSIZE	CPU_ALLOC_SIZE(BLOCKINTERF_MAX_CPUS)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A file below the sysroot as a message names it: "/proc/interrupts" on
 * the running system, "SYSROOT/proc/interrupts" with a sysroot.
 *	bi_err(ctx, "cannot read " BI_PATH_FMT "\n", BI_PATH(ctx, SYSFS_ONLINE));
 */
#define BI_PATH_FMT	"%.*s/%s"
#define BI_PATH(ctx, rel)	(ctx)->shown_len, (ctx)->sysroot, (rel)

#define SYSCTL_CPUMASK	"proc/sys/kernel/block_interf_cpumask"
#define SYSCTL_REFUSED	"proc/sys/kernel/block_interf_refused"
#define SYSFS_POSSIBLE	"sys/devices/system/cpu/possible"
#define SYSFS_ONLINE	"sys/devices/system/cpu/online"
#define SYSFS_ISOLATED	"sys/devices/system/cpu/isolated"
#define SYSFS_NOHZ_FULL	"sys/devices/system/cpu/nohz_full"
#define CGROUP_ISOLATED	"sys/fs/cgroup/cpuset.cpus.isolated"

#endif
