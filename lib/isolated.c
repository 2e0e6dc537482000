// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The CPUs the kernel already isolates, the usual answer to "which
 * CPUs should be blocked": isolcpus= (sysfs "isolated"), nohz_full=
 * and cgroup v2 isolated partitions (cpuset.cpus.isolated at the
 * cgroup root, Linux 6.7 and later).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libblockinterf-private.h"

static const char *const sources[] = {
	SYSFS_ISOLATED, SYSFS_NOHZ_FULL, CGROUP_ISOLATED,
};

/* ORs one source into @acc (BI_SETSIZE); a missing file adds nothing. */
static int add_source(struct blockinterf_ctx *ctx, const char *path,
		      cpu_set_t *acc, cpu_set_t *one, char *buf, size_t size)
{
	int err = bi_read_file(ctx, path, buf, size);

	if (err == -ENOENT)
		return 0;
	/* nohz_full reads "(null)" on a kernel booted without it */
	if (err >= 0 && !strncmp(buf, "(null)", 6))
		return 0;
	if (err >= 0)
		err = blockinterf_cpulist_parse(buf, BLOCKINTERF_MAX_CPUS, one,
						BI_SETSIZE);
	if (err < 0) {
		bi_err(ctx, "cannot read " BI_PATH_FMT ": %s\n", BI_PATH(ctx, path),
		       strerror(-err));
		return err;
	}
	CPU_OR_S(BI_SETSIZE, acc, acc, one);
	return 0;
}

BI_EXPORT int blockinterf_isolated(struct blockinterf_ctx *ctx, cpu_set_t *set,
				   size_t setsize)
{
	const size_t size = 64 * 1024;
	cpu_set_t *acc, *one;
	char *buf;
	unsigned int cpu;
	size_t i;
	int err;

	if (!ctx || !set)
		return -EINVAL;
	acc = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	one = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	buf = malloc(size);
	err = acc && one && buf ? 0 : -ENOMEM;
	if (!err)
		CPU_ZERO_S(BI_SETSIZE, acc);
	for (i = 0; !err && i < sizeof(sources) / sizeof(sources[0]); i++)
		err = add_source(ctx, sources[i], acc, one, buf, size);
	if (!err && CPU_COUNT_S(BI_SETSIZE, acc) == 0) {
		bi_err(ctx, "no CPU is isolated: " BI_PATH_FMT ", " BI_PATH_FMT
		       " and " BI_PATH_FMT " list none\n",
		       BI_PATH(ctx, SYSFS_ISOLATED), BI_PATH(ctx, SYSFS_NOHZ_FULL),
		       BI_PATH(ctx, CGROUP_ISOLATED));
		err = -ENODATA;
	}
	if (!err && bi_cpuset_span(acc, BI_SETSIZE) > setsize * 8)
		err = -EOVERFLOW;
	if (!err) {
		CPU_ZERO_S(setsize, set);
		for (cpu = 0; cpu < bi_cpuset_span(acc, BI_SETSIZE); cpu++)
			if (CPU_ISSET_S(cpu, BI_SETSIZE, acc))
				CPU_SET_S(cpu, setsize, set);
	}
	free(buf);
	CPU_FREE(one);
	CPU_FREE(acc);
	return err;
}
