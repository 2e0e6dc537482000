// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which backend a context uses (backend.h): the kernel's own mask
 * (kernel.c) when the kernel has the series, else the BPF LSM policy
 * (bpf.c) when it is usable, or the one blockinterf_set_backend()
 * forces.  Probed once a context, and again after a forced change.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libblockinterf-private.h"
#include "backend.h"

/* @ops's probe: its interface (NONE: not usable) or -errno. */
static int try(struct blockinterf_ctx *ctx, const struct bi_backend_ops *ops)
{
	int iface = ops->probe(ctx);

	if (iface > BI_IFACE_NONE)
		ctx->ops = ops;
	return iface;
}

/*
 * The interface to use, or -errno when that cannot be told: the
 * kernel's own when it has one, else the BPF LSM when it is usable.
 * ctx->reason says why, either way.
 */
static int probe_iface(struct blockinterf_ctx *ctx)
{
	char bpf_why[sizeof(ctx->reason)];
	int iface;

	if (ctx->force != BI_FORCE_BPF) {
		iface = try(ctx, &bi_kernel_ops);
		if (iface != BI_IFACE_NONE || ctx->force == BI_FORCE_KERNEL)
			return iface;
	}
	iface = try(ctx, &bi_bpf_ops);
	if (iface == BI_IFACE_NONE && ctx->force == BI_FORCE_AUTO) {
		/* both reasons: the kernel's, then the BPF LSM's, cut to fit */
		memcpy(bpf_why, ctx->reason, sizeof(bpf_why));
		snprintf(ctx->reason, sizeof(ctx->reason),
			 "no block_interf_cpumask (" BI_PATH_FMT " missing); %.*s",
			 BI_PATH(ctx, SYSCTL_CPUMASK),
			 (int)(sizeof(ctx->reason) - 120), bpf_why);
	}
	return iface;
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

int bi_require_support(struct blockinterf_ctx *ctx)
{
	int ret = blockinterf_supported(ctx);

	if (ret == 0) {
		bi_err(ctx, "%s\n", ctx->reason);
		return -EOPNOTSUPP;
	}
	return ret < 0 ? ret : 0;
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
	ctx->ops = NULL;
	return 0;
}

BI_EXPORT const char *blockinterf_backend_reason(struct blockinterf_ctx *ctx)
{
	if (!ctx || blockinterf_supported(ctx) < 0)
		return NULL;
	return ctx->reason;
}

BI_EXPORT int blockinterf_refused_count(struct blockinterf_ctx *ctx,
					uint64_t *count)
{
	int err;

	if (!ctx || !count)
		return -EINVAL;
	err = bi_require_support(ctx);
	if (err)
		return err;
	return ctx->ops->refused(ctx, count);
}

BI_EXPORT int blockinterf_unload(struct blockinterf_ctx *ctx)
{
	int lock, err;

	if (!ctx)
		return -EINVAL;
	err = bi_require_support(ctx);
	if (err)
		return err;
	if (!ctx->ops->unload)
		return -EOPNOTSUPP;	/* the kernel's mask is no add-on */
	lock = bi_lock(ctx);
	if (lock < 0)
		return lock;
	err = ctx->ops->unload(ctx);
	bi_unlock(lock);
	return err;
}
