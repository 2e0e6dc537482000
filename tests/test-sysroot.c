// SPDX-License-Identifier: GPL-2.0-or-later
/* get/set/add/remove/validate on fixture roots (tests/roots/). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <unistd.h>

#include "blockinterf.h"
#include "tap.h"
#include "testroot.h"

#define MASK "proc/sys/kernel/block_interf_cpumask"

extern bool bi_no_openat2;	/* lib/sysroot.c: take the fallback */

static size_t setsize = CPU_ALLOC_SIZE(BLOCKINTERF_MAX_CPUS);
static cpu_set_t *set;
static int privileged;

static struct blockinterf_ctx *open_root(const char *root)
{
	struct blockinterf_ctx *ctx;

	if (blockinterf_new(&ctx, root)) {
		printf("Bail out! cannot open %s\n", root);
		exit(1);
	}
	blockinterf_set_log_priority(ctx, LOG_CRIT);	/* errors are expected */
	return ctx;
}

static const cpu_set_t *list(const char *l, unsigned int nr)
{
	if (blockinterf_cpulist_parse(l, nr, set, setsize)) {
		printf("Bail out! bad list %s\n", l);
		exit(1);
	}
	return set;
}

static void is_blocked(struct blockinterf_ctx *ctx, const char *want,
		       const char *what)
{
	char *got = NULL;
	int err = blockinterf_get(ctx, set, setsize);

	if (!err)
		got = blockinterf_cpulist_format(set, setsize);
	if (err || strcmp(got, want))
		printf("# get: %d \"%s\", want \"%s\"\n", err, got ? got : "", want);
	ok(!err && got && !strcmp(got, want), "%s", what);
	free(got);
}

static void test_small(void)
{
	char *root = testroot_copy("small");
	struct blockinterf_ctx *ctx = open_root(root);

	is_int(blockinterf_supported(ctx), 1, "small: supported");
	ok(!strcmp(blockinterf_interface_name(ctx), "sysctl"),
	   "small: a sysroot is reached through the sysctl file");
	is_int(blockinterf_nr_cpus(ctx), 4, "small: 4 CPUs");
	is_blocked(ctx, "", "small: nothing blocked at first");

	if (!privileged) {
		is_int(blockinterf_set(ctx, list("2-3", 4), setsize), -EPERM,
		       "small: set without CAP_SYS_ADMIN is -EPERM");
		is_int(strcmp(testroot_read(root, MASK), "\n"), 0,
		       "small: and the file is untouched");
		skip("the writes below need CAP_SYS_ADMIN");
		goto out;
	}
	is_int(blockinterf_set(ctx, list("2-3", 4), setsize), 0, "small: set 2-3");
	is_int(strcmp(testroot_read(root, MASK), "2-3\n"), 0,
	       "small: the sysctl file holds \"2-3\\n\"");
	is_blocked(ctx, "2-3", "small: get reads 2-3 back");
	is_int(blockinterf_add(ctx, list("1", 4), setsize), 0, "small: add 1");
	is_blocked(ctx, "1-3", "small: now 1-3");
	is_int(blockinterf_remove(ctx, list("2", 4), setsize), 0, "small: remove 2");
	is_blocked(ctx, "1,3", "small: now 1,3");

	is_int(blockinterf_set(ctx, list("0-3", 4), setsize), -EINVAL,
	       "small: blocking every online CPU is -EINVAL");
	is_int(blockinterf_add(ctx, list("0,2", 4), setsize), -EINVAL,
	       "small: an add that blocks every online CPU is -EINVAL");
	is_int(strcmp(testroot_read(root, MASK), "1,3\n"), 0,
	       "small: refusals leave the file untouched");
	is_int(blockinterf_validate(ctx, list("0-2", 4), setsize), 0,
	       "small: validate accepts 0-2");
	is_int(strcmp(testroot_read(root, MASK), "1,3\n"), 0,
	       "small: validate writes nothing");

	CPU_ZERO_S(setsize, set);
	CPU_SET_S(4, setsize, set);
	is_int(blockinterf_set(ctx, set, setsize), -ERANGE,
	       "small: CPU 4 does not exist: -ERANGE");
	CPU_ZERO_S(setsize, set);
	CPU_SET_S(BLOCKINTERF_MAX_CPUS - 1, setsize, set);
	is_int(blockinterf_add(ctx, set, setsize), -ERANGE,
	       "small: add of CPU 8191: -ERANGE");
	is_int(strcmp(testroot_read(root, MASK), "1,3\n"), 0,
	       "small: still untouched");
	is_int(blockinterf_clear(ctx), 0, "small: clear");
	is_int(strcmp(testroot_read(root, MASK), "\n"), 0,
	       "small: clear writes an empty list");

	testroot_write(root, MASK, "1-2,zz\n");
	is_int(blockinterf_get(ctx, set, setsize), -EINVAL,
	       "small: a garbled sysctl file is -EINVAL");
	testroot_write(root, "sys/devices/system/cpu/possible", "");
	/* a context reads cpu/possible once: a new one sees the file */
	blockinterf_unref(ctx);
	ctx = open_root(root);
	if (!ctx)
		goto out;
	is_int(blockinterf_nr_cpus(ctx), -EINVAL,
	       "small: an empty possible file is -EINVAL");
	is_int(blockinterf_set(ctx, list("1", 4), setsize), -EINVAL,
	       "small: and set refuses to guess");
out:
	blockinterf_unref(ctx);
	testroot_remove(root);
}

static void test_large(void)
{
	char *root = testroot_copy("large");
	struct blockinterf_ctx *ctx = open_root(root);
	cpu_set_t small_set;

	is_int(blockinterf_nr_cpus(ctx), 8192, "large: 8192 CPUs");
	if (!privileged) {
		skip("large: writes need CAP_SYS_ADMIN");
		goto out;
	}
	is_int(blockinterf_set(ctx, list("2-8190", 8192), setsize), 0,
	       "large: set 2-8190");
	is_int(strcmp(testroot_read(root, MASK), "2-8190\n"), 0,
	       "large: written as one list");
	is_int(blockinterf_get(ctx, &small_set, sizeof(small_set)), -EOVERFLOW,
	       "large: a 1024-CPU cpu_set_t cannot hold it: -EOVERFLOW");
	is_int(blockinterf_set(ctx, list("all:1/2", 8192), setsize), 0,
	       "large: set every even CPU");
	/* 5 one-digit, 45 two-, 450 three-, 3596 four-digit CPUs, 4095 commas, \n */
	is_int(strlen(testroot_read(root, MASK)), 5 + 90 + 1350 + 14384 + 4095 + 1,
	       "large: 4096 single CPUs, one write");
	{
		/* a file size limit makes the write short */
		struct rlimit old, lim;

		getrlimit(RLIMIT_FSIZE, &old);
		lim = old;
		lim.rlim_cur = 100;
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		is_int(blockinterf_set(ctx, list("2-8190", 8192), setsize), 0,
		       "large: a short list fits under the limit");
		is_int(blockinterf_set(ctx, list("all:1/2", 8192), setsize), -EIO,
		       "large: a short write is -EIO");
		setrlimit(RLIMIT_FSIZE, &old);
		is_int(strcmp(testroot_read(root, MASK), "2-8190\n"), 0,
		       "large: and the file is byte for byte as it was");
	}
out:
	blockinterf_unref(ctx);
	testroot_remove(root);
}

static void test_offline(void)
{
	char *root = testroot_copy("offline");
	struct blockinterf_ctx *ctx = open_root(root);

	is_blocked(ctx, "5", "offline: reads the fixture's 5");
	if (!privileged) {
		skip("offline: writes need CAP_SYS_ADMIN");
		goto out;
	}
	is_int(blockinterf_set(ctx, list("0-2,4-7", 8), setsize), -EINVAL,
	       "offline: blocking all online CPUs (3 is offline) is -EINVAL");
	is_int(blockinterf_set(ctx, list("3-7", 8), setsize), 0,
	       "offline: 3-7 leaves 0-2 online and unblocked");
out:
	blockinterf_unref(ctx);
	testroot_remove(root);
}

static void test_vanilla(void)
{
	char *root = testroot_copy("vanilla");
	struct blockinterf_ctx *ctx = open_root(root);

	is_int(blockinterf_supported(ctx), 0, "vanilla: unsupported");
	is_int(blockinterf_get(ctx, set, setsize), -EOPNOTSUPP,
	       "vanilla: get is -EOPNOTSUPP");
	is_int(blockinterf_set(ctx, list("1", 4), setsize), -EOPNOTSUPP,
	       "vanilla: set is -EOPNOTSUPP");
	is_int(blockinterf_clear(ctx), -EOPNOTSUPP, "vanilla: clear is -EOPNOTSUPP");
	blockinterf_unref(ctx);
	testroot_remove(root);
}

static char outside[64];

/* Set and get both fail: the link out of the root was not followed. */
static void refused(struct blockinterf_ctx *ctx, const char *how,
		    const char *what)
{
	ok(blockinterf_set(ctx, list("1", 4), setsize) < 0,
	   "%s: %s: set fails", how, what);
	ok(blockinterf_get(ctx, set, setsize) < 0,
	   "%s: %s: get fails", how, what);
}

/* Links out of the root, with openat2 and with the component walk. */
static void test_confined(bool walk)
{
	const char *how = walk ? "walk" : "openat2";
	char *root = testroot_copy("small");
	struct blockinterf_ctx *ctx = open_root(root);

	bi_no_openat2 = walk;
	snprintf(outside, sizeof(outside), "/tmp/blockinterf-outside.%d",
		 (int)getpid());
	testroot_sh("/", "mkdir -p %s.d && echo 0 >%s && echo 0 >%s.d/block_interf_cpumask",
	   outside, outside, outside);
	is_int(blockinterf_set(ctx, list("2-3", 4), setsize), 0,
	       "%s: a plain root works", how);
	is_blocked(ctx, "2-3", walk ? "walk: and reads back" : "openat2: and reads back");

	testroot_sh(root, "rm " MASK " && ln -s %s " MASK, outside);
	refused(ctx, how, "an absolute link out");
	testroot_sh(root, "rm " MASK " && ln -s ../../../../../../../..%s " MASK, outside);
	refused(ctx, how, "a relative ../ link out");
	testroot_sh(root, "rm -r proc/sys/kernel && ln -s %s.d proc/sys/kernel", outside);
	refused(ctx, how, "a directory link out");
	testroot_sh("/", "test \"$(cat %s %s.d/*)\" = \"$(printf '0\\n0')\"", outside, outside);
	ok(1, "%s: the files outside are untouched", how);
	testroot_sh("/", "rm -rf %s %s.d", outside, outside);
	bi_no_openat2 = false;
	blockinterf_unref(ctx);
	testroot_remove(root);
}

int main(void)
{
	const char *missing;

	set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	{
		struct blockinterf_ctx *ctx = open_root("/");

		privileged = blockinterf_check_privilege(ctx, &missing) == 0;
		ok(privileged || !strcmp(missing, "CAP_SYS_ADMIN"),
		   "privilege check names CAP_SYS_ADMIN when it is missing");
		/* as cli.sh: an unprivileged user namespace gives it */
		if (!privileged && unshare(CLONE_NEWUSER) == 0)
			privileged = blockinterf_check_privilege(ctx, &missing) == 0;
		blockinterf_unref(ctx);
	}
	if (privileged) {
		test_confined(false);
		test_confined(true);
	} else {
		skip("confinement: writes need CAP_SYS_ADMIN");
	}
	test_small();
	test_large();
	test_offline();
	test_vanilla();
	CPU_FREE(set);
	return tap_done();
}
