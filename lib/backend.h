/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The second backend, behind the kernel one (kernel.c): the BPF LSM
 * policy of bpf.c, for kernels without the series.  kernel.c picks the
 * backend and keeps what both share (validation, the lock, the CLI's
 * errors); a backend only reads and writes its mask.
 */
#ifndef LIBBLOCKINTERF_BACKEND_H
#define LIBBLOCKINTERF_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

struct blockinterf_ctx;

struct bi_backend_ops {
	const char *name;
	/* 1 usable, 0 not (ctx->reason says why), -errno */
	int (*probe)(struct blockinterf_ctx *ctx);
	/* @set is BI_SETSIZE */
	int (*get)(struct blockinterf_ctx *ctx, cpu_set_t *set);
	/* the whole new set; only the CPUs that change are written */
	int (*write)(struct blockinterf_ctx *ctx, const cpu_set_t *set);
	int (*refused)(struct blockinterf_ctx *ctx, uint64_t *count);
	/* detach: -EBUSY while a CPU is blocked */
	int (*unload)(struct blockinterf_ctx *ctx);
};

extern const struct bi_backend_ops bi_bpf_ops;

/* Is bpf in the LSM list @lsm (the contents of /sys/kernel/security/lsm)? */
bool bi_lsm_has_bpf(const char *lsm);
/* The address of @name in /proc/kallsyms-format @line, vmlinux only. */
int bi_kallsyms_match(const char *line, const char *name,
		      unsigned long long *addr);

#define BI_BPF_DIR	"/sys/fs/bpf/blockinterf"
#define BI_LSM_LIST	"sys/kernel/security/lsm"
#define BI_BTF_VMLINUX	"sys/kernel/btf/vmlinux"

#endif
