/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The backends: the series' block_interf_cpumask (kernel.c) and the BPF
 * LSM policy for kernels without the series (bpf.c), behind these ops.
 * backend.c picks one for a context (ctx->ops, ctx->iface); mask.c keeps
 * what both share (validation, privilege, the lock, the errors): a
 * backend only reads and writes its mask.
 */
#ifndef LIBBLOCKINTERF_BACKEND_H
#define LIBBLOCKINTERF_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

struct blockinterf_ctx;

struct bi_backend_ops {
	const char *name;
	/*
	 * The interface this kernel offers (enum bi_iface; BI_IFACE_NONE:
	 * not usable) or -errno; ctx->reason says why, either way.
	 */
	int (*probe)(struct blockinterf_ctx *ctx);
	/* @set is BI_SETSIZE */
	int (*get)(struct blockinterf_ctx *ctx, cpu_set_t *set);
	/* the whole new set */
	int (*write)(struct blockinterf_ctx *ctx, const cpu_set_t *set);
	/*
	 * Optional: set ctx->atomic, whether ->change adds and removes in
	 * one step of the backend's own (no lock needed); without it, no.
	 */
	int (*probe_atomic)(struct blockinterf_ctx *ctx);
	int (*change)(struct blockinterf_ctx *ctx, bool add,
		      const cpu_set_t *arg);
	int (*refused)(struct blockinterf_ctx *ctx, uint64_t *count);
	/* optional: detach; -EBUSY while a CPU is blocked */
	int (*unload)(struct blockinterf_ctx *ctx);
};

extern const struct bi_backend_ops bi_kernel_ops;
extern const struct bi_backend_ops bi_bpf_ops;

/* 0 when a backend is usable (ctx->ops), else -EOPNOTSUPP, logged. */
int bi_require_support(struct blockinterf_ctx *ctx);

/* Is bpf in the LSM list @lsm (the contents of /sys/kernel/security/lsm)? */
bool bi_lsm_has_bpf(const char *lsm);
/* The address of @name in /proc/kallsyms-format @line, vmlinux only. */
int bi_kallsyms_match(const char *line, const char *name,
		      unsigned long long *addr);

#define BI_BPF_DIR	"/sys/fs/bpf/blockinterf"
#define BI_LSM_LIST	"sys/kernel/security/lsm"
#define BI_BTF_VMLINUX	"sys/kernel/btf/vmlinux"

#endif
