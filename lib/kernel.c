// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel's block_interf_cpumask: prctl(PR_BLOCK_INTERF) on the
 * running system when the kernel has it, the sysctl file otherwise, and
 * always the file under a sysroot.
 *
 * Add and remove are the kernel's own operations where it has them (v4
 * of the series); elsewhere they read, change and write the mask under
 * an advisory lock (lock.c), which a replace takes as well.
 *
 * Without the series, the BPF LSM backend (bpf.c) when it is usable:
 * this file picks the backend and keeps what both share.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "libblockinterf-private.h"
#include "backend.h"

/* A scratch set as large as any kernel's cpumask. */
static cpu_set_t *scratch_alloc(void)
{
	cpu_set_t *set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);

	if (set)
		CPU_ZERO_S(BI_SETSIZE, set);
	return set;
}

BI_EXPORT int blockinterf_nr_cpus(struct blockinterf_ctx *ctx)
{
	cpu_set_t *possible;
	int err;

	if (!ctx)
		return -EINVAL;
	possible = scratch_alloc();
	if (!possible)
		return -ENOMEM;
	err = bi_read_cpulist(ctx, SYSFS_POSSIBLE, possible, BI_SETSIZE);
	if (err >= 0)
		err = (int)bi_cpuset_span(possible, BI_SETSIZE);
	if (err == 0)
		err = -EINVAL;	/* no possible CPU: not a sysfs we know */
	if (err < 0)
		bi_err(ctx, "cannot read %s: %s\n", SYSFS_POSSIBLE,
		       strerror(-err));
	CPU_FREE(possible);
	return err;
}

BI_EXPORT int blockinterf_online(struct blockinterf_ctx *ctx, cpu_set_t *set,
				 size_t setsize)
{
	int err;

	if (!ctx || !set)
		return -EINVAL;
	err = bi_read_cpulist(ctx, SYSFS_ONLINE, set, setsize);
	if (err < 0)
		bi_err(ctx, "cannot read %s: %s\n", SYSFS_ONLINE,
		       strerror(-err));
	return err < 0 ? err : 0;
}

static int prctl_get(cpu_set_t *set)
{
	int n = prctl(PR_BLOCK_INTERF, PR_BLOCK_INTERF_GET,
		      (unsigned long)BI_SETSIZE, (unsigned long)set, 0UL);

	return n < 0 ? -errno : n;
}

static int kernel_iface(struct blockinterf_ctx *ctx)
{
	cpu_set_t *set;
	int err;

	if (ctx->real_root) {
		set = scratch_alloc();
		if (!set)
			return -ENOMEM;
		err = prctl_get(set);
		CPU_FREE(set);
		if (err >= 0)
			return BI_IFACE_PRCTL;
		bi_dbg(ctx, "prctl(PR_BLOCK_INTERF): %s\n", strerror(-err));
	}
	err = bi_probe(ctx, SYSCTL_CPUMASK);
	if (!err)
		return BI_IFACE_SYSCTL;
	if (err == -ENOENT)
		return BI_IFACE_NONE;
	/* EACCES on a directory is not a kernel without the feature */
	bi_err(ctx, "cannot look for %s: %s\n", SYSCTL_CPUMASK, strerror(-err));
	return err;
}

#define NO_KERNEL	"no block_interf_cpumask (" SYSCTL_CPUMASK " missing); "

/*
 * The interface to use, or -errno when that cannot be told: the
 * kernel's own when it has one, else the BPF LSM when it is usable.
 * ctx->reason says why, either way.
 */
static int probe_iface(struct blockinterf_ctx *ctx)
{
	char bpf_why[sizeof(ctx->reason)];
	int iface = BI_IFACE_NONE, err;

	if (ctx->force != BI_FORCE_BPF) {
		iface = kernel_iface(ctx);
		if (iface < 0)
			return iface;
		snprintf(ctx->reason, sizeof(ctx->reason), iface != BI_IFACE_NONE ?
			 "kernel backend: the kernel has block_interf_cpumask" :
			 "kernel backend: this kernel has no block_interf_cpumask (%s missing)",
			 SYSCTL_CPUMASK);
		if (iface != BI_IFACE_NONE || ctx->force == BI_FORCE_KERNEL)
			return iface;
	}
	memcpy(bpf_why, ctx->reason, sizeof(bpf_why));
	err = bi_bpf_ops.probe(ctx);
	if (err < 0)
		return err;
	if (err)
		return BI_IFACE_BPF;
	if (ctx->force == BI_FORCE_AUTO) {
		/* both reasons: the kernel's, then the BPF LSM's, cut to fit */
		memcpy(bpf_why, ctx->reason, sizeof(bpf_why));
		snprintf(ctx->reason, sizeof(ctx->reason), "%s%.*s", NO_KERNEL,
			 (int)(sizeof(ctx->reason) - sizeof(NO_KERNEL)), bpf_why);
	}
	return BI_IFACE_NONE;
}

BI_EXPORT int blockinterf_supported(struct blockinterf_ctx *ctx)
{
	int iface;

	if (!ctx)
		return -EINVAL;
	if (ctx->iface == BI_IFACE_UNKNOWN) {
		iface = probe_iface(ctx);
		if (iface < 0)
			return iface;	/* not cached: it may be transient */
		ctx->iface = (enum bi_iface)iface;
	}
	return ctx->iface != BI_IFACE_NONE;
}

static int require_support(struct blockinterf_ctx *ctx)
{
	int ret = blockinterf_supported(ctx);

	if (ret == 0) {
		bi_err(ctx, "%s\n", ctx->reason);
		return -EOPNOTSUPP;
	}
	return ret < 0 ? ret : 0;
}

/* @to = @from, between sets of different sizes; -EOVERFLOW if it does not fit. */
static int copy_set(const cpu_set_t *from, size_t fromsize, cpu_set_t *to,
		    size_t tosize)
{
	unsigned int cpu, span = bi_cpuset_span(from, fromsize);

	if (span > tosize * 8)
		return -EOVERFLOW;
	CPU_ZERO_S(tosize, to);
	for (cpu = 0; cpu < span; cpu++)
		if (CPU_ISSET_S(cpu, fromsize, from))
			CPU_SET_S(cpu, tosize, to);
	return 0;
}

/* The caller's @from into @to (BI_SETSIZE): beyond any kernel is -ERANGE. */
static int copy_in(const cpu_set_t *from, size_t setsize, cpu_set_t *to)
{
	return copy_set(from, setsize, to, BI_SETSIZE) ? -ERANGE : 0;
}

static int read_blocked(struct blockinterf_ctx *ctx, cpu_set_t *blocked)
{
	int err;

	if (ctx->iface == BI_IFACE_PRCTL) {
		err = prctl_get(blocked);
		return err < 0 ? err : 0;
	}
	if (ctx->iface == BI_IFACE_BPF)
		return bi_bpf_ops.get(ctx, blocked);
	err = bi_read_cpulist(ctx, SYSCTL_CPUMASK, blocked, BI_SETSIZE);
	if (err < 0)
		bi_err(ctx, "cannot read %s: %s\n", SYSCTL_CPUMASK,
		       strerror(-err));
	return err < 0 ? err : 0;
}

BI_EXPORT int blockinterf_get(struct blockinterf_ctx *ctx, cpu_set_t *set,
			      size_t setsize)
{
	cpu_set_t *blocked;
	int err;

	if (!ctx || !set)
		return -EINVAL;
	err = require_support(ctx);
	if (err < 0)
		return err;
	blocked = scratch_alloc();
	if (!blocked)
		return -ENOMEM;
	err = read_blocked(ctx, blocked);
	if (!err)
		err = copy_set(blocked, BI_SETSIZE, set, setsize);
	CPU_FREE(blocked);
	return err;
}

/* Everything the kernel would refuse, refused here before any write. */
static int validate(struct blockinterf_ctx *ctx, const cpu_set_t *set)
{
	cpu_set_t *online, *blocked_online;
	int nr, err;

	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return nr;
	if (bi_cpuset_span(set, BI_SETSIZE) > (unsigned int)nr) {
		bi_err(ctx, "CPU %u does not exist: this machine has CPUs 0-%d\n",
		       bi_cpuset_span(set, BI_SETSIZE) - 1, nr - 1);
		return -ERANGE;
	}

	online = scratch_alloc();
	blocked_online = scratch_alloc();
	err = online && blocked_online ? 0 : -ENOMEM;
	if (!err)
		err = blockinterf_online(ctx, online, BI_SETSIZE);
	/* an empty set (a clear) leaves every CPU unblocked, whatever
	 * the online file says, even when it lists none */
	if (!err && CPU_COUNT_S(BI_SETSIZE, set) > 0) {
		CPU_AND_S(BI_SETSIZE, blocked_online, online, set);
		if (CPU_EQUAL_S(BI_SETSIZE, blocked_online, online)) {
			bi_err(ctx, "that would block every online CPU; leave at least one unblocked\n");
			err = -EINVAL;
		}
	}
	CPU_FREE(blocked_online);
	CPU_FREE(online);
	return err;
}

/* SET, ADD or REMOVE: 0 or -errno. */
static int prctl_op(unsigned long op, const cpu_set_t *set)
{
	return prctl(PR_BLOCK_INTERF, op, (unsigned long)BI_SETSIZE,
		     (unsigned long)set, 0UL) ? -errno : 0;
}

static int prctl_write(struct blockinterf_ctx *ctx, unsigned long op,
		       const cpu_set_t *set)
{
	int err = prctl_op(op, set);

	if (err)
		bi_err(ctx, "the kernel refused the new set: %s\n",
		       strerror(-err));
	return err;
}

static int write_blocked(struct blockinterf_ctx *ctx, const cpu_set_t *set)
{
	char *list, *line;
	int err;

	if (ctx->iface == BI_IFACE_PRCTL)
		return prctl_write(ctx, PR_BLOCK_INTERF_SET, set);
	if (ctx->iface == BI_IFACE_BPF)
		return bi_bpf_ops.write(ctx, set);
	list = blockinterf_cpulist_format(set, BI_SETSIZE);
	if (!list)
		return -errno;
	err = asprintf(&line, "%s\n", list) < 0 ? -ENOMEM : 0;
	free(list);
	if (err)
		return err;
	err = bi_write_file(ctx, SYSCTL_CPUMASK, line);
	free(line);
	return err;
}

/*
 * What the probe's result says: a v4 prctl adds no CPU and returns 0,
 * a v3 one knows no such operation (EINVAL); files have no atomic
 * operation at all.  Anything else (EPERM without privilege) tells
 * nothing: unknown, probed again next time.
 */
enum bi_atomic bi_atomic_from_probe(enum bi_iface iface, int err)
{
	if (iface != BI_IFACE_PRCTL)
		return BI_ATOMIC_NO;
	if (!err)
		return BI_ATOMIC_YES;
	return err == -EINVAL ? BI_ATOMIC_NO : BI_ATOMIC_UNKNOWN;
}

/*
 * Only the kernel's own add and remove keep two writers from losing a
 * change; anything else is a read-modify-write, serialised by the lock.
 * A replace takes it too: it must not land between another writer's
 * read and write, whose write would then undo it.
 */
bool bi_needs_lock(enum bi_iface iface, enum bi_atomic atomic)
{
	return iface != BI_IFACE_PRCTL || atomic != BI_ATOMIC_YES;
}

/* Does the kernel add and remove CPUs itself?  Probed once, cached. */
static int probe_atomic(struct blockinterf_ctx *ctx)
{
	cpu_set_t *none;
	int err = 0;

	if (ctx->atomic != BI_ATOMIC_UNKNOWN)
		return 0;
	if (ctx->iface == BI_IFACE_PRCTL) {
		none = scratch_alloc();
		if (!none)
			return -ENOMEM;
		/* adding no CPU is a no-op where the operation exists */
		err = prctl_op(PR_BLOCK_INTERF_ADD, none);
		CPU_FREE(none);
		bi_dbg(ctx, "prctl(PR_BLOCK_INTERF_ADD): %s\n", strerror(-err));
	}
	ctx->atomic = bi_atomic_from_probe(ctx->iface, err);
	return 0;
}

enum set_op { OP_REPLACE, OP_ADD, OP_REMOVE };

/* @next is the whole new set, @arg the caller's; both BI_SETSIZE. */
static int write_change(struct blockinterf_ctx *ctx, enum set_op op,
			const cpu_set_t *next, const cpu_set_t *arg)
{
	if (op == OP_REPLACE || ctx->atomic != BI_ATOMIC_YES)
		return write_blocked(ctx, next);
	/* the kernel validates again what it makes of its current mask */
	return prctl_write(ctx, op == OP_ADD ? PR_BLOCK_INTERF_ADD :
			   PR_BLOCK_INTERF_REMOVE, arg);
}

/*
 * @next is the new set as we read it, validated here for the messages
 * (a CPU that does not exist, every online CPU blocked); with the
 * kernel's add and remove, the kernel checks again what it makes.
 */
static int change(struct blockinterf_ctx *ctx, enum set_op op,
		  const cpu_set_t *next, const cpu_set_t *arg)
{
	const char *missing;
	int err;

	err = validate(ctx, next);
	if (err)
		return err;
	err = blockinterf_check_privilege(ctx, &missing);
	if (err == -EPERM)
		bi_err(ctx, "%s is missing\n", missing);
	if (err)
		return err;
	return write_change(ctx, op, next, arg);	/* which logs why it failed */
}

/* @next = the mask read now, changed by @op with @arg. */
static int apply(struct blockinterf_ctx *ctx, enum set_op op,
		 cpu_set_t *next, const cpu_set_t *arg)
{
	int err;

	if (op == OP_REPLACE) {
		memcpy(next, arg, BI_SETSIZE);
		return 0;
	}
	err = read_blocked(ctx, next);
	if (err)
		return err;
	if (op == OP_ADD)
		CPU_OR_S(BI_SETSIZE, next, next, arg);
	else
		bi_cpuset_andnot(next, next, arg);
	return 0;
}

static int modify_locked(struct blockinterf_ctx *ctx, enum set_op op,
			 cpu_set_t *next, const cpu_set_t *arg)
{
	int lock = -1, err;

	err = probe_atomic(ctx);
	if (!err && bi_needs_lock(ctx->iface, ctx->atomic)) {
		lock = bi_lock(ctx);
		err = lock < 0 ? lock : 0;
	}
	if (!err)
		err = apply(ctx, op, next, arg);
	if (!err)
		err = change(ctx, op, next, arg);
	bi_unlock(lock);
	return err;
}

static int modify(struct blockinterf_ctx *ctx, enum set_op op,
		  const cpu_set_t *set, size_t setsize)
{
	cpu_set_t *next, *arg;
	int err;

	if (!ctx || (!set && setsize))
		return -EINVAL;
	err = require_support(ctx);
	if (err)
		return err;
	next = scratch_alloc();
	arg = scratch_alloc();
	err = next && arg ? 0 : -ENOMEM;
	if (!err && set)
		err = copy_in(set, setsize, arg);
	if (err == -ERANGE)
		bi_err(ctx, "CPU %u is beyond any kernel's limit\n",
		       bi_cpuset_span(set, setsize) - 1);
	if (!err)
		err = modify_locked(ctx, op, next, arg);
	CPU_FREE(next);
	CPU_FREE(arg);
	return err;
}

BI_EXPORT int blockinterf_validate(struct blockinterf_ctx *ctx,
				   const cpu_set_t *set, size_t setsize)
{
	cpu_set_t *next;
	int err;

	/* no support needed: a plan is checked before booting the kernel */
	if (!ctx || !set)
		return -EINVAL;
	next = scratch_alloc();
	if (!next)
		return -ENOMEM;
	err = copy_in(set, setsize, next);
	if (!err)
		err = validate(ctx, next);
	CPU_FREE(next);
	return err;
}

BI_EXPORT const char *blockinterf_interface_name(struct blockinterf_ctx *ctx)
{
	if (blockinterf_supported(ctx) <= 0)
		return NULL;
	switch (ctx->iface) {
	case BI_IFACE_PRCTL:
		return "prctl";
	case BI_IFACE_BPF:
		return "bpf";
	default:
		return "sysctl";
	}
}

BI_EXPORT int blockinterf_set_backend(struct blockinterf_ctx *ctx,
				      const char *name)
{
	enum bi_force force;

	if (!ctx)
		return -EINVAL;
	if (!name || !strcmp(name, "auto"))
		force = BI_FORCE_AUTO;
	else if (!strcmp(name, "kernel"))
		force = BI_FORCE_KERNEL;
	else if (!strcmp(name, "bpf"))
		force = BI_FORCE_BPF;
	else
		return -EINVAL;
	ctx->force = force;
	ctx->iface = BI_IFACE_UNKNOWN;	/* probed again */
	ctx->atomic = BI_ATOMIC_UNKNOWN;
	return 0;
}

BI_EXPORT const char *blockinterf_backend_reason(struct blockinterf_ctx *ctx)
{
	if (!ctx || blockinterf_supported(ctx) < 0)
		return NULL;
	return ctx->reason;
}

static int read_u64(struct blockinterf_ctx *ctx, const char *path,
		    uint64_t *count)
{
	char buf[32], *end;
	int err = bi_read_file(ctx, path, buf, sizeof(buf));

	if (err < 0)
		return err;
	errno = 0;
	*count = strtoull(buf, &end, 10);
	return errno || end == buf ? -EINVAL : 0;
}

BI_EXPORT int blockinterf_refused_count(struct blockinterf_ctx *ctx,
					uint64_t *count)
{
	int err;

	if (!ctx || !count)
		return -EINVAL;
	err = require_support(ctx);
	if (err)
		return err;
	if (ctx->iface == BI_IFACE_BPF)
		return bi_bpf_ops.refused(ctx, count);
	return read_u64(ctx, SYSCTL_REFUSED, count);
}

BI_EXPORT int blockinterf_unload(struct blockinterf_ctx *ctx)
{
	int lock, err;

	if (!ctx)
		return -EINVAL;
	err = require_support(ctx);
	if (err)
		return err;
	if (ctx->iface != BI_IFACE_BPF)
		return -EOPNOTSUPP;	/* the kernel's mask is no add-on */
	lock = bi_lock(ctx);
	if (lock < 0)
		return lock;
	err = bi_bpf_ops.unload(ctx);
	bi_unlock(lock);
	return err;
}

/* A NULL @set is an error here: clearing is blockinterf_clear()'s job. */
BI_EXPORT int blockinterf_set(struct blockinterf_ctx *ctx, const cpu_set_t *set,
			      size_t setsize)
{
	return set ? modify(ctx, OP_REPLACE, set, setsize) : -EINVAL;
}

BI_EXPORT int blockinterf_add(struct blockinterf_ctx *ctx, const cpu_set_t *set,
			      size_t setsize)
{
	return set ? modify(ctx, OP_ADD, set, setsize) : -EINVAL;
}

BI_EXPORT int blockinterf_remove(struct blockinterf_ctx *ctx,
				 const cpu_set_t *set, size_t setsize)
{
	return set ? modify(ctx, OP_REMOVE, set, setsize) : -EINVAL;
}

BI_EXPORT int blockinterf_clear(struct blockinterf_ctx *ctx)
{
	return modify(ctx, OP_REPLACE, NULL, 0);
}
