// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How a change reaches the kernel: the kernel's own add and remove, or
 * a read-modify-write under the lock.  Only the decision is tested
 * here, from the errors a probe can see; that a v4 kernel really adds
 * atomically is the VM suite's to show, not something to fake here.
 */
#include <errno.h>

#include "libblockinterf-private.h"
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
	return tap_done();
}
