// SPDX-License-Identifier: GPL-2.0-or-later
/* The context object: references, sysroot, the log hook. */
#define BLOCKINTERF_NO_NONNULL	/* NULL is passed on purpose */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <cap-ng.h>

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

/*
 * A program prepares a libcap-ng state without CAP_SYS_ADMIN, asks the
 * library, then applies its state: CAP_SYS_ADMIN must stay dropped.
 */
static void test_capng_state(void)
{
	struct blockinterf_ctx *ctx;
	const char *missing;

	if (capng_get_caps_process() < 0 ||
	    !capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN)) {
		/* a user namespace gives every capability in it */
		if (unshare(CLONE_NEWUSER) < 0 || capng_get_caps_process() < 0 ||
		    !capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN)) {
			skip("no CAP_SYS_ADMIN and no user namespace");
			return;
		}
	}
	if (blockinterf_new(&ctx, NULL))
		exit(1);
	capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		     CAP_SYS_ADMIN);
	is_int(blockinterf_check_privilege(ctx, &missing), 0,
	       "capng: the process still has CAP_SYS_ADMIN");
	ok(!capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN),
	   "capng: the caller's prepared state still lacks it");
	is_int(capng_apply(CAPNG_SELECT_CAPS), 0, "capng: applied");
	capng_get_caps_process();
	ok(!capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN),
	   "capng: CAP_SYS_ADMIN is gone after capng_apply()");
	is_int(blockinterf_check_privilege(ctx, &missing), -EPERM,
	       "capng: and the library sees it gone");
	blockinterf_unref(ctx);
}

static void test_null(void)
{
	struct blockinterf_ctx *ctx;
	cpu_set_t set;

	ctx = (void *)1;
	is_int(blockinterf_new(&ctx, ""), -EINVAL, "an empty sysroot is -EINVAL");
	ok(ctx == NULL, "and no context");
	if (blockinterf_new(&ctx, "/tmp"))
		exit(1);
	blockinterf_set_log_priority(ctx, LOG_CRIT);
	is_int(blockinterf_set(ctx, NULL, 0), -EINVAL, "set(NULL) is -EINVAL, not a clear");
	is_int(blockinterf_add(ctx, NULL, 0), -EINVAL, "add(NULL) is -EINVAL");
	is_int(blockinterf_remove(ctx, NULL, 0), -EINVAL, "remove(NULL) is -EINVAL");
	is_int(blockinterf_validate(ctx, NULL, 8), -EINVAL, "validate(NULL) is -EINVAL");
	is_int(blockinterf_get(ctx, NULL, 8), -EINVAL, "get(NULL) is -EINVAL");
	is_int(blockinterf_online(ctx, NULL, 8), -EINVAL, "online(NULL) is -EINVAL");
	is_int(blockinterf_isolated(ctx, NULL, 8), -EINVAL, "isolated(NULL) is -EINVAL");
	is_int(blockinterf_get(NULL, &set, sizeof(set)), -EINVAL, "get without a context");
	is_int(blockinterf_set(NULL, &set, sizeof(set)), -EINVAL, "set without a context");
	is_int(blockinterf_clear(NULL), -EINVAL, "clear without a context");
	is_int(blockinterf_nr_cpus(NULL), -EINVAL, "nr_cpus without a context");
	is_int(blockinterf_supported(NULL), -EINVAL, "supported without a context");
	is_int(blockinterf_check_privilege(NULL, NULL), -EINVAL,
	       "check_privilege without a context");
	ok(blockinterf_get_sysroot(NULL) == NULL, "get_sysroot(NULL) is NULL");
	blockinterf_unref(ctx);
}

/* cpu/possible is fixed at boot: a context reads it once (a dry run asked 3 times). */
static void test_possible_once(void)
{
	char dir[] = "/tmp/test-ctx.XXXXXX", cmd[256];
	struct blockinterf_ctx *ctx = NULL;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/devices/system/cpu && echo 0-3 > %s/sys/devices/system/cpu/possible",
		 dir, dir);
	ok(system(cmd) == 0, "a root with 4 possible CPUs");
	is_int(blockinterf_new(&ctx, dir), 0, "new on it");
	is_int(blockinterf_nr_cpus(ctx), 4, "nr_cpus reads 4");
	snprintf(cmd, sizeof(cmd), "echo 0-7 > %s/sys/devices/system/cpu/possible", dir);
	(void)!system(cmd);
	is_int(blockinterf_nr_cpus(ctx), 4, "asked again: 4, the file not read again");
	blockinterf_unref(ctx);
	is_int(blockinterf_new(&ctx, dir), 0, "a new context");
	is_int(blockinterf_nr_cpus(ctx), 8, "reads it anew: 8");
	blockinterf_unref(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
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
	(void)!blockinterf_nr_cpus(ctx);
	is_int(logged, 0, "below the priority nothing is logged");
	is_int(blockinterf_supported(ctx), 0, "no sysctl file: unsupported");
	ok(blockinterf_interface_name(ctx) == NULL, "and no interface name");
	ok(blockinterf_unref(ctx) == NULL, "unref frees");
	test_possible_once();
	test_null();
	test_capng_state();	/* last: it may enter a user namespace */
	return tap_done();
}
