// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How a change reaches the kernel: the kernel's own add and remove, or
 * a read-modify-write under the lock.  Only the decision is tested
 * here, from the errors a probe can see; that a v4 kernel really adds
 * atomically is the VM suite's to show, not something to fake here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libblockinterf-private.h"
#include "backend.h"
#include "tap.h"
#include "testroot.h"

static const char *const names[] = {
	[BI_ATOMIC_UNKNOWN] = "unknown", [BI_ATOMIC_NO] = "no",
	[BI_ATOMIC_YES] = "yes",
};

static void probe(enum bi_iface iface, int err, enum bi_atomic want,
		  const char *what)
{
	enum bi_atomic got = bi_atomic_from_probe(iface, err);

	ok(got == want, "%s: atomic %s (want %s)", what, names[got],
	   names[want]);
}

static void lock(enum bi_iface iface, enum bi_atomic atomic, bool want,
		 const char *what)
{
	ok(bi_needs_lock(iface, atomic) == want, "%s: %s", what,
	   want ? "lock and read-modify-write" : "no lock, the kernel's op");
}

/* The BPF backend's parsers: the LSM list and /proc/kallsyms lines. */
static void bpf_tests(void)
{
	unsigned long long addr = 0;

	ok(bi_lsm_has_bpf("lockdown,capability,landlock,yama,apparmor,bpf\n"),
	   "bpf last in Debian's LSM list");
	ok(bi_lsm_has_bpf("bpf,capability"), "bpf first");
	ok(!bi_lsm_has_bpf("capability,bpflsm,xbpf"), "bpflsm and xbpf are not bpf");
	ok(!bi_lsm_has_bpf(""), "an empty list has no bpf");
	ok(bi_kallsyms_match("ffffffff81a2b3c0 t online_store\n", "online_store",
			     &addr) && addr == 0xffffffff81a2b3c0ULL,
	   "a vmlinux symbol matches, with its address");
	ok(!bi_kallsyms_match("ffffffffc0001000 t online_store\t[foo]\n",
			      "online_store", &addr), "a module's does not");
	ok(!bi_kallsyms_match("ffffffff81a2b3c0 t online_store2\n",
			      "online_store", &addr), "nor a longer name");
	ok(!bi_kallsyms_match("ffffffff81a2b3c0 t __pfx_online_store\n",
			      "online_store", &addr), "nor a prefixed one");
}

/* Which backend a context uses, and that forcing one probes again. */
static void backend_tests(void)
{
	struct blockinterf_ctx *ctx;
	char *root = testroot_copy("small");
	const char *why;

	if (blockinterf_new(&ctx, root)) {
		ok(0, "blockinterf_new on small");
		return;
	}
	is_int(blockinterf_supported(ctx), 1, "small: supported (auto)");
	ok(!strcmp(blockinterf_interface_name(ctx), "sysctl"),
	   "small: the sysctl interface");
	is_int(blockinterf_set_backend(ctx, "bpf"), 0, "set_backend bpf");
	is_int(blockinterf_supported(ctx), 0,
	       "bpf forced: probed again, not usable under a sysroot");
	why = blockinterf_backend_reason(ctx);
	ok(why && !strncmp(why, "BPF LSM backend: ", 17), "and says why: %s",
	   why ? why : "(null)");
	is_int(blockinterf_set_backend(ctx, "other"), -EINVAL,
	       "set_backend other: -EINVAL");
	is_int(blockinterf_supported(ctx), 0, "and bpf is still forced");
	is_int(blockinterf_set_backend(ctx, "kernel"), 0, "set_backend kernel");
	is_int(blockinterf_supported(ctx), 1, "kernel forced: supported");
	is_int(blockinterf_set_backend(ctx, NULL), 0, "set_backend NULL: auto");
	is_int(blockinterf_supported(ctx), 1, "auto: supported");
	is_int(blockinterf_set_backend(NULL, "kernel"), -EINVAL,
	       "set_backend without a context: -EINVAL");
	blockinterf_unref(ctx);
	testroot_remove(root);
}

int main(void)
{
	probe(BI_IFACE_PRCTL, 0, BI_ATOMIC_YES, "v4 prctl adds nothing, 0");
	probe(BI_IFACE_PRCTL, -EINVAL, BI_ATOMIC_NO, "v3 prctl: EINVAL");
	probe(BI_IFACE_PRCTL, -EPERM, BI_ATOMIC_UNKNOWN,
	      "no privilege: EPERM tells nothing");
	probe(BI_IFACE_PRCTL, -EFAULT, BI_ATOMIC_UNKNOWN, "EFAULT tells nothing");
	probe(BI_IFACE_SYSCTL, 0, BI_ATOMIC_NO, "sysctl: never atomic");
	probe(BI_IFACE_SYSCTL, -EINVAL, BI_ATOMIC_NO, "sysctl, EINVAL");

	lock(BI_IFACE_PRCTL, BI_ATOMIC_YES, false, "v4 prctl");
	lock(BI_IFACE_PRCTL, BI_ATOMIC_NO, true, "v3 prctl");
	lock(BI_IFACE_PRCTL, BI_ATOMIC_UNKNOWN, true, "prctl, probe unknown");
	lock(BI_IFACE_SYSCTL, BI_ATOMIC_NO, true, "sysctl");
	lock(BI_IFACE_SYSCTL, BI_ATOMIC_YES, true, "sysctl, even if told atomic");
	lock(BI_IFACE_BPF, BI_ATOMIC_NO, true, "bpf: writers serialised");
	bpf_tests();
	backend_tests();
	return tap_done();
}
