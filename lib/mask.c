// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The blocked set, whichever backend holds it (backend.c picks one):
 * what the backends share.  Every change is validated here first, and
 * the privilege checked, so that the errors say the same on both.
 * Add and remove are the backend's own operations where it has them
 * (the series' v4 prctl); elsewhere they read, change and write the
 * mask under an advisory lock (lock.c), which a replace takes as well.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libblockinterf-private.h"
#include "backend.h"

/* A scratch set as large as any kernel's cpumask. */
cpu_set_t *bi_scratch_alloc(void)
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
	/* fixed at boot: read once a context (a dry run asks 3 times) */
	if (ctx->nr_possible > 0)
		return ctx->nr_possible;
	possible = bi_scratch_alloc();
	if (!possible)
		return -ENOMEM;
	err = bi_read_cpulist(ctx, SYSFS_POSSIBLE, possible, BI_SETSIZE);
	if (err >= 0)
		err = (int)bi_cpuset_span(possible, BI_SETSIZE);
	if (err == 0)
		err = -EINVAL;	/* no possible CPU: not a sysfs we know */
	if (err < 0)
		bi_err(ctx, "cannot read " BI_PATH_FMT ": %s\n",
		       BI_PATH(ctx, SYSFS_POSSIBLE), strerror(-err));
	CPU_FREE(possible);
	if (err > 0)
		ctx->nr_possible = err;
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
		bi_err(ctx, "cannot read " BI_PATH_FMT ": %s\n",
		       BI_PATH(ctx, SYSFS_ONLINE), strerror(-err));
	return err < 0 ? err : 0;
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

BI_EXPORT int blockinterf_get(struct blockinterf_ctx *ctx, cpu_set_t *set,
			      size_t setsize)
{
	cpu_set_t *blocked;
	int err;

	if (!ctx || !set)
		return -EINVAL;
	err = bi_require_support(ctx);
	if (err < 0)
		return err;
	blocked = bi_scratch_alloc();
	if (!blocked)
		return -ENOMEM;
	err = ctx->ops->get(ctx, blocked);
	if (!err)
		err = copy_set(blocked, BI_SETSIZE, set, setsize);
	CPU_FREE(blocked);
	return err;
}

/*
 * Everything the kernel would refuse, refused here before any write.
 * @keep: leave the online CPUs read for the scan that follows.
 */
static int validate(struct blockinterf_ctx *ctx, const cpu_set_t *set,
		    bool keep)
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

	online = bi_scratch_alloc();
	blocked_online = bi_scratch_alloc();
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
	if (keep) {	/* a failed validation leaves none for the scan */
		CPU_FREE(ctx->validated_online);
		ctx->validated_online = err ? NULL : online;
		if (!err)
			online = NULL;
	}
	CPU_FREE(online);
	return err;
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

/* Does the backend add and remove CPUs itself?  Probed once, cached. */
static int probe_atomic(struct blockinterf_ctx *ctx)
{
	if (ctx->atomic != BI_ATOMIC_UNKNOWN)
		return 0;
	if (ctx->ops->probe_atomic)
		return ctx->ops->probe_atomic(ctx);
	ctx->atomic = BI_ATOMIC_NO;
	return 0;
}

enum set_op { OP_REPLACE, OP_ADD, OP_REMOVE };

/* @next is the whole new set, @arg the caller's; both BI_SETSIZE. */
static int write_change(struct blockinterf_ctx *ctx, enum set_op op,
			const cpu_set_t *next, const cpu_set_t *arg)
{
	if (op == OP_REPLACE || ctx->atomic != BI_ATOMIC_YES)
		return ctx->ops->write(ctx, next);
	return ctx->ops->change(ctx, op == OP_ADD, arg);
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

	err = validate(ctx, next, false);
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
	err = ctx->ops->get(ctx, next);
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
	err = bi_require_support(ctx);
	if (err)
		return err;
	next = bi_scratch_alloc();
	arg = bi_scratch_alloc();
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
	next = bi_scratch_alloc();
	if (!next)
		return -ENOMEM;
	err = copy_in(set, setsize, next);
	if (!err)
		err = validate(ctx, next, true);
	CPU_FREE(next);
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
