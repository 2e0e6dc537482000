// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How a change reaches the kernel: the kernel's own add and remove, or
 * a read-modify-write under the lock.  Only the decision is tested
 * here, from the errors a probe can see; that a v4 kernel really adds
 * atomically is the VM suite's to show, not something to fake here.
 */
#include <errno.h>

#include "libblockinterf-private.h"
#include "backend.h"
#include "tap.h"

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
	return tap_done();
}
