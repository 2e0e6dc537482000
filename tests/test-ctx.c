// SPDX-License-Identifier: GPL-2.0-or-later
/* The context object: references, sysroot, the log hook. */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "blockinterf.h"
#include "tap.h"

static int logged;
static char last[256];

static void hook(struct blockinterf_ctx *ctx, int priority, const char *file,
		 int line, const char *fn, const char *format, va_list args)
{
	logged++;
	vsnprintf(last, sizeof(last), format, args);
}

int main(void)
{
	struct blockinterf_ctx *ctx = NULL, *ref;
	int x;

	is_int(blockinterf_new(&ctx, NULL), 0, "new with NULL sysroot");
	ok(ctx && !strcmp(blockinterf_get_sysroot(ctx), "/"), "NULL means /");
	ref = blockinterf_ref(ctx);
	ok(ref == ctx, "ref returns the context");
	ok(blockinterf_unref(ctx) == ctx, "unref with a reference left returns it");
	ok(blockinterf_unref(ctx) == NULL, "last unref returns NULL");
	ok(blockinterf_unref(NULL) == NULL, "unref(NULL) is NULL");
	ok(blockinterf_ref(NULL) == NULL, "ref(NULL) is NULL");

	ctx = NULL;
	is_int(blockinterf_new(&ctx, "/nonexistent/root"), -ENOENT,
	       "missing sysroot is -ENOENT");
	ok(ctx == NULL, "and no context is returned");
	is_int(blockinterf_new(&ctx, "/etc/hostname"), -ENOTDIR,
	       "a file as sysroot is -ENOTDIR");
	is_int(blockinterf_new(NULL, "/"), -EINVAL, "NULL result pointer");

	is_int(blockinterf_new(&ctx, "/tmp"), 0, "new with a sysroot");
	blockinterf_set_userdata(ctx, &x);
	ok(blockinterf_get_userdata(ctx) == &x, "userdata round trip");
	blockinterf_set_log_fn(ctx, hook);
	blockinterf_set_log_priority(ctx, LOG_ERR);
	is_int(blockinterf_get_log_priority(ctx), LOG_ERR, "log priority set");
	is_int(blockinterf_nr_cpus(ctx), -ENOENT,
	       "no sys/ under the sysroot: nr_cpus is -ENOENT");
	ok(logged == 1 && strstr(last, "sys/devices/system/cpu/possible"),
	   "and the log hook was told which file (\"%s\")", last);
	blockinterf_set_log_priority(ctx, LOG_CRIT);
	logged = 0;
	blockinterf_nr_cpus(ctx);
	is_int(logged, 0, "below the priority nothing is logged");
	is_int(blockinterf_supported(ctx), 0, "no sysctl file: unsupported");
	ok(blockinterf_interface_name(ctx) == NULL, "and no interface name");
	ok(blockinterf_unref(ctx) == NULL, "unref frees");
	return tap_done();
}
