// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library context: reference count, sysroot and the log hook. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libblockinterf-private.h"

static void log_stderr(struct blockinterf_ctx *ctx, int priority,
		       const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	(void)ctx;
	(void)file;
	(void)line;
	if (priority >= LOG_DEBUG)
		fprintf(stderr, "libblockinterf: %s: ", fn);
	else
		fputs("libblockinterf: ", stderr);
	vfprintf(stderr, format, args);
}

void bi_log(struct blockinterf_ctx *ctx, int priority, const char *file,
	    int line, const char *fn, const char *format, ...)
{
	va_list args;

	if (!ctx->log_fn)
		return;
	va_start(args, format);
	ctx->log_fn(ctx, priority, file, line, fn, format, args);
	va_end(args);
}

static int log_priority_from_env(void)
{
	const char *s = secure_getenv("BLOCKINTERF_LOG");
	char *end;
	long prio;

	if (!s || !*s)
		return LOG_ERR;
	prio = strtol(s, &end, 10);
	if (*end == '\0' && prio >= 0 && prio <= LOG_DEBUG)
		return (int)prio;
	if (!strncmp(s, "err", 3))
		return LOG_ERR;
	if (!strncmp(s, "info", 4))
		return LOG_INFO;
	if (!strncmp(s, "debug", 5))
		return LOG_DEBUG;
	return LOG_ERR;
}

BI_EXPORT int blockinterf_new(struct blockinterf_ctx **ctxp,
			      const char *sysroot)
{
	struct blockinterf_ctx *ctx;
	int err;

	if (!ctxp)
		return -EINVAL;
	*ctxp = NULL;
	/* "" is an unset variable in a script, not the running system */
	if (sysroot && !*sysroot)
		return -EINVAL;
	if (!sysroot)
		sysroot = "/";

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = log_stderr;
	ctx->log_priority = log_priority_from_env();
	ctx->sysroot = strdup(sysroot);
	if (!ctx->sysroot) {
		free(ctx);
		return -ENOMEM;
	}
	ctx->rootfd = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx->rootfd < 0) {
		err = -errno;
		free(ctx->sysroot);
		free(ctx);
		return err;
	}
	ctx->real_root = strspn(sysroot, "/") == strlen(sysroot);
	/* "root/" shows as "root/proc/...", "/" as "/proc/..." */
	ctx->shown_len = (int)strlen(sysroot);
	while (ctx->shown_len > 0 && sysroot[ctx->shown_len - 1] == '/')
		ctx->shown_len--;
	*ctxp = ctx;
	return 0;
}

BI_EXPORT struct blockinterf_ctx *blockinterf_ref(struct blockinterf_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

BI_EXPORT struct blockinterf_ctx *
blockinterf_unref(struct blockinterf_ctx *ctx)
{
	if (!ctx)
		return NULL;
	if (--ctx->refcount > 0)
		return ctx;
	close(ctx->rootfd);
	free(ctx->sysroot);
	CPU_FREE(ctx->validated_online);
	free(ctx);
	return NULL;
}

BI_EXPORT const char *blockinterf_get_sysroot(const struct blockinterf_ctx *ctx)
{
	return ctx ? ctx->sysroot : NULL;
}

BI_EXPORT void blockinterf_set_log_fn(struct blockinterf_ctx *ctx,
				      blockinterf_log_fn fn)
{
	ctx->log_fn = fn;
}

BI_EXPORT int blockinterf_get_log_priority(const struct blockinterf_ctx *ctx)
{
	return ctx->log_priority;
}

BI_EXPORT void blockinterf_set_log_priority(struct blockinterf_ctx *ctx,
					    int priority)
{
	ctx->log_priority = priority;
}

BI_EXPORT void *blockinterf_get_userdata(const struct blockinterf_ctx *ctx)
{
	return ctx->userdata;
}

BI_EXPORT void blockinterf_set_userdata(struct blockinterf_ctx *ctx, void *data)
{
	ctx->userdata = data;
}
