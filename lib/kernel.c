// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The kernel backend: the series' block_interf_cpumask, through
 * prctl(PR_BLOCK_INTERF) on the running system when the kernel has it,
 * the sysctl file otherwise, and always the file under a sysroot.
 *
 * Add and remove are the kernel's own operations where it has them (v4
 * of the series); elsewhere mask.c reads, changes and writes the mask
 * under an advisory lock (lock.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "libblockinterf-private.h"
#include "backend.h"

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
		set = bi_scratch_alloc();
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
	bi_err(ctx, "cannot look for " BI_PATH_FMT ": %s\n",
	       BI_PATH(ctx, SYSCTL_CPUMASK), strerror(-err));
	return err;
}

static int kernel_probe(struct blockinterf_ctx *ctx)
{
	int iface = kernel_iface(ctx);

	if (iface >= 0)
		snprintf(ctx->reason, sizeof(ctx->reason), iface != BI_IFACE_NONE ?
			 "kernel backend: the kernel has block_interf_cpumask" :
			 "kernel backend: this kernel has no block_interf_cpumask (" BI_PATH_FMT " missing)",
			 BI_PATH(ctx, SYSCTL_CPUMASK));
	return iface;
}

static int kernel_get(struct blockinterf_ctx *ctx, cpu_set_t *set)
{
	int err;

	if (ctx->iface == BI_IFACE_PRCTL) {
		err = prctl_get(set);
		return err < 0 ? err : 0;
	}
	err = bi_read_cpulist(ctx, SYSCTL_CPUMASK, set, BI_SETSIZE);
	if (err < 0)
		bi_err(ctx, "cannot read " BI_PATH_FMT ": %s\n",
		       BI_PATH(ctx, SYSCTL_CPUMASK), strerror(-err));
	return err < 0 ? err : 0;
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

static int kernel_write(struct blockinterf_ctx *ctx, const cpu_set_t *set)
{
	char *list, *line;
	int err;

	if (ctx->iface == BI_IFACE_PRCTL)
		return prctl_write(ctx, PR_BLOCK_INTERF_SET, set);
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

/* Does the kernel add and remove CPUs itself? */
static int kernel_probe_atomic(struct blockinterf_ctx *ctx)
{
	cpu_set_t *none;
	int err = 0;

	if (ctx->iface == BI_IFACE_PRCTL) {
		none = bi_scratch_alloc();
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

/* The kernel validates again what it makes of its current mask. */
static int kernel_change(struct blockinterf_ctx *ctx, bool add,
			 const cpu_set_t *arg)
{
	return prctl_write(ctx, add ? PR_BLOCK_INTERF_ADD :
			   PR_BLOCK_INTERF_REMOVE, arg);
}

static int kernel_refused(struct blockinterf_ctx *ctx, uint64_t *count)
{
	char buf[32], *end;
	int err = bi_read_file(ctx, SYSCTL_REFUSED, buf, sizeof(buf));

	if (err < 0)
		return err;
	errno = 0;
	*count = strtoull(buf, &end, 10);
	return errno || end == buf ? -EINVAL : 0;
}

const struct bi_backend_ops bi_kernel_ops = {
	.name = "kernel",
	.probe = kernel_probe,
	.get = kernel_get,
	.write = kernel_write,
	.probe_atomic = kernel_probe_atomic,
	.change = kernel_change,
	.refused = kernel_refused,
};
