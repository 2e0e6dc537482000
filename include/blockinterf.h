/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libblockinterf - forbid IPIs, stop_machine and remote work on CPUs
 *
 * The kernel keeps a cpumask, block_interf_cpumask; system calls that
 * would interrupt a CPU in it fail with EPERM instead.  This library
 * reads and writes that mask, parses CPU lists exactly as the kernel
 * does, and checks the caller's privileges before it writes anything.
 *
 * Every function that can fail returns a negative errno value.  CPU sets
 * are glibc cpu_set_t with an explicit size in bytes, as for
 * sched_setaffinity(2): pass what CPU_ALLOC_SIZE() or sizeof(cpu_set_t)
 * gives you.
 *
 * Threads: a context is not safe to share.  Its reference count and
 * the cached probe of the kernel interface are plain variables; give
 * each thread its own context (they are cheap: one descriptor), or
 * serialise every call on a shared one.  Reports are read-only once
 * made and may be read from any thread that holds a reference,
 * provided references are taken and dropped under the caller's lock.
 */
#ifndef BLOCKINTERF_H
#define BLOCKINTERF_H

#ifndef _GNU_SOURCE
#error "blockinterf.h needs _GNU_SOURCE for cpu_set_t"
#endif

#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* prctl(2) interface, see DESIGN.md §2.4 (provisional number). */
#ifndef PR_BLOCK_INTERF
#define PR_BLOCK_INTERF		0x42494e54	/* "BINT" */
#define PR_BLOCK_INTERF_GET	0
#define PR_BLOCK_INTERF_SET	1
#endif

/*
 * Attributes: the compiler warns when a result that says whether the
 * mask changed is ignored, or when NULL is passed where a set is needed.
 * The functions check for NULL anyway (-EINVAL); define
 * BLOCKINTERF_NO_NONNULL to call them with NULL on purpose.
 */
#if defined(__GNUC__)
#define BLOCKINTERF_MUST_CHECK	__attribute__((warn_unused_result))
#else
#define BLOCKINTERF_MUST_CHECK
#endif
#if defined(__GNUC__) && !defined(BLOCKINTERF_NO_NONNULL)
#define BLOCKINTERF_NONNULL(...)	__attribute__((nonnull(__VA_ARGS__)))
#else
#define BLOCKINTERF_NONNULL(...)
#endif

/* Largest CPU count any kernel supports (NR_CPUS <= 8192). */
#define BLOCKINTERF_MAX_CPUS	8192

struct blockinterf_ctx;

/*
 * blockinterf_new - create a context
 * @ctx:     where to store the new context (one reference)
 * @sysroot: directory under which proc/ and sys/ are read and written;
 *           NULL or "/" means the running system.  A real sysroot is
 *           only ever accessed through files, never through prctl(2).
 *
 * Returns 0, or -ENOMEM, -EINVAL for an empty @sysroot (""), or -errno
 * when @sysroot is not a directory.  Every file is opened inside the
 * sysroot: ".." and symbolic links, absolute or not, cannot lead out
 * of it, and only regular files are read or written.
 */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1)
int blockinterf_new(struct blockinterf_ctx **ctx, const char *sysroot);
struct blockinterf_ctx *blockinterf_ref(struct blockinterf_ctx *ctx);
/* Drops a reference: returns @ctx, or NULL once the last one is gone. */
struct blockinterf_ctx *blockinterf_unref(struct blockinterf_ctx *ctx);

/* The sysroot as given ("/" for the running system). */
const char *blockinterf_get_sysroot(const struct blockinterf_ctx *ctx);

/*
 * Logging.  Priorities are syslog(3)'s; the default is LOG_ERR, or the
 * value of $BLOCKINTERF_LOG ("err", "info", "debug" or a number).  The
 * default hook prints "libblockinterf: ..." on stderr.
 */
typedef void (*blockinterf_log_fn)(struct blockinterf_ctx *ctx, int priority,
				   const char *file, int line, const char *fn,
				   const char *format, va_list args);
void blockinterf_set_log_fn(struct blockinterf_ctx *ctx, blockinterf_log_fn fn);
int blockinterf_get_log_priority(const struct blockinterf_ctx *ctx);
void blockinterf_set_log_priority(struct blockinterf_ctx *ctx, int priority);
void *blockinterf_get_userdata(const struct blockinterf_ctx *ctx);
void blockinterf_set_userdata(struct blockinterf_ctx *ctx, void *data);

/*
 * blockinterf_cpulist_parse - parse a CPU list with the kernel's grammar
 * @list:    "0-3,8", "0-15:2/4", "N", "all", "1-N", blanks and empty
 *           entries allowed; ends at NUL or newline
 * @nr_cpus: the number of CPU ids (nr_cpu_ids); "N" is nr_cpus - 1
 * @set:     result, cleared first; left cleared on error
 * @setsize: size of @set in bytes
 *
 * Returns 0, -EINVAL (syntax), -ERANGE (a CPU >= @nr_cpus), -EOVERFLOW
 * (a number beyond 32 bits), exactly as the kernel's bitmap_parselist().
 * -EINVAL also when @nr_cpus does not fit in @setsize, and for a group
 * longer than @nr_cpus, which the kernel takes and wraps around 2^32.
 */
int blockinterf_cpulist_parse(const char *list, unsigned int nr_cpus,
			      cpu_set_t *set, size_t setsize);

/*
 * blockinterf_cpulist_format - canonical list ("2-7,9", "" when empty)
 * Returns a malloc'd string, or NULL with errno set.
 */
char *blockinterf_cpulist_format(const cpu_set_t *set, size_t setsize);

/* Number of CPU ids (highest possible CPU + 1), or -errno. */
int blockinterf_nr_cpus(struct blockinterf_ctx *ctx);

/* Online CPUs into @set; 0 or -errno. */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_online(struct blockinterf_ctx *ctx, cpu_set_t *set,
		       size_t setsize);

/*
 * blockinterf_isolated - the CPUs the kernel already isolates
 * The union of sys/devices/system/cpu/isolated (isolcpus=),
 * sys/devices/system/cpu/nohz_full (nohz_full=) and
 * sys/fs/cgroup/cpuset.cpus.isolated (cgroup v2 isolated partitions)
 * under the sysroot; a missing file counts as none.  Returns 0,
 * -ENODATA (logged) when no CPU is isolated, -EOVERFLOW when one does
 * not fit in @setsize, or another -errno.
 */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_isolated(struct blockinterf_ctx *ctx, cpu_set_t *set,
			 size_t setsize);

/*
 * Does the kernel (under the sysroot) have block_interf_cpumask?
 * Returns 1 yes, 0 no, or -errno when that cannot be told.
 */
int blockinterf_supported(struct blockinterf_ctx *ctx);

/*
 * blockinterf_get - read the blocked set into @set
 * Returns 0, -EOPNOTSUPP when the kernel lacks the feature, -EOVERFLOW
 * when a blocked CPU does not fit in @setsize, or another -errno.
 */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_get(struct blockinterf_ctx *ctx, cpu_set_t *set,
		    size_t setsize);

/*
 * blockinterf_set - replace the blocked set, all or nothing
 *
 * The set is validated before anything is written: -ERANGE for a CPU
 * at or above blockinterf_nr_cpus(), -EINVAL when it would block every
 * online CPU, -EPERM (logged, naming the capability) when the caller
 * lacks CAP_SYS_ADMIN, -EOPNOTSUPP when the kernel lacks the feature,
 * -EINVAL when @set is NULL.  An empty set (CPU_ZERO) clears the mask,
 * as the kernel's grammar lets an empty list do: a caller that got the
 * set from user input should refuse an empty one itself.
 */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_set(struct blockinterf_ctx *ctx, const cpu_set_t *set,
		    size_t setsize);
/* Add @set to, or remove it from, the blocked set; as blockinterf_set(). */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_add(struct blockinterf_ctx *ctx, const cpu_set_t *set,
		    size_t setsize);
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_remove(struct blockinterf_ctx *ctx, const cpu_set_t *set,
		       size_t setsize);
/* Unblock every CPU. */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1)
int blockinterf_clear(struct blockinterf_ctx *ctx);

/*
 * blockinterf_validate - would blockinterf_set() accept @set?
 * The same checks, short of the privilege check, and nothing written:
 * what a dry run needs.  It needs no kernel support either, so that a
 * plan can be checked before booting a kernel that has the feature.
 */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_validate(struct blockinterf_ctx *ctx, const cpu_set_t *set,
			 size_t setsize);

/*
 * "prctl" or "sysctl" (the kernel backend) or "bpf" (the BPF LSM
 * backend): how the mask is reached; NULL when unsupported.
 */
const char *blockinterf_interface_name(struct blockinterf_ctx *ctx);

/*
 * blockinterf_set_backend - which backend to use: "kernel" (the
 * series' sysctl and prctl), "bpf" (the BPF LSM policy pinned under
 * /sys/fs/bpf/blockinterf/), or "auto"/NULL (the kernel's when it has
 * one, else the BPF LSM when usable).  -EINVAL for another name.
 */
int blockinterf_set_backend(struct blockinterf_ctx *ctx, const char *name);

/*
 * blockinterf_backend_reason - why the backend was chosen, or why none
 * is usable (a line for people); NULL when that cannot be told.
 */
const char *blockinterf_backend_reason(struct blockinterf_ctx *ctx);

/* Refusals counted by the backend (since boot, or since the BPF load). */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1, 2)
int blockinterf_refused_count(struct blockinterf_ctx *ctx, uint64_t *count);

/*
 * blockinterf_unload - detach the BPF LSM policy and remove its pins.
 * -EBUSY while a CPU is blocked, -EOPNOTSUPP on the kernel backend.
 */
BLOCKINTERF_MUST_CHECK BLOCKINTERF_NONNULL(1)
int blockinterf_unload(struct blockinterf_ctx *ctx);

/*
 * blockinterf_check_privilege - may this process change the mask?
 * @missing: if not NULL, set to the missing capability's name
 *           ("cap_sys_admin") or NULL when none is missing
 *
 * Returns 0 when the effective set holds CAP_SYS_ADMIN, -EPERM when it
 * does not, or another -errno when the capabilities cannot be read.
 */
int blockinterf_check_privilege(struct blockinterf_ctx *ctx,
				const char **missing);

/*
 * Interferer scan: what would still interrupt the CPUs of a candidate
 * set once they are blocked, from proc/interrupts and proc/irq/N/ under
 * the sysroot.  See blockinterf_scan(3).
 */
enum blockinterf_kind {
	BLOCKINTERF_KIND_IRQ,	/* a device interrupt (numeric row) */
	BLOCKINTERF_KIND_IPI,	/* an inter-processor interrupt */
	BLOCKINTERF_KIND_OTHER,	/* local timer, NMI, thermal, ... */
};

struct blockinterf_report;
struct blockinterf_interferer;

/*
 * blockinterf_scan - list what interrupts the CPUs of @cpus
 * @interval_ms: 0 for one read of the counts since boot; otherwise the
 *               counts are read twice, that many ms apart, and the
 *               report holds the deltas and rates
 * @report:      the result, one reference
 *
 * Returns 0, or a negative errno: -ENOENT when proc/interrupts is
 * missing, -EINVAL when it cannot be parsed (logged with the line).
 */
int blockinterf_scan(struct blockinterf_ctx *ctx, const cpu_set_t *cpus,
		     size_t setsize, unsigned int interval_ms,
		     struct blockinterf_report **report);
struct blockinterf_report *blockinterf_report_ref(struct blockinterf_report *report);
struct blockinterf_report *blockinterf_report_unref(struct blockinterf_report *report);
/* Number of interferers listed. */
unsigned int blockinterf_report_count(const struct blockinterf_report *report);
/* The sampling interval in seconds, 0 for a single read. */
double blockinterf_report_interval(const struct blockinterf_report *report);
/* Iterates: pass NULL for the first interferer; NULL after the last. */
const struct blockinterf_interferer *
blockinterf_report_next(const struct blockinterf_report *report,
			const struct blockinterf_interferer *prev);

/* The row's name: "24", "LOC", "IPI0". */
const char *blockinterf_interferer_irq(const struct blockinterf_interferer *i);
enum blockinterf_kind blockinterf_interferer_kind(const struct blockinterf_interferer *i);
/* "irq", "ipi" or "other". */
const char *blockinterf_kind_name(enum blockinterf_kind kind);
/* The row's text: "IO-APIC 5-edge ACPI:Ged", "Local timer interrupts". */
const char *blockinterf_interferer_name(const struct blockinterf_interferer *i);
/* The candidate CPUs it hits, as a list. */
const char *blockinterf_interferer_cpus(const struct blockinterf_interferer *i);
/* Interrupts on those CPUs: since boot, or during the interval. */
unsigned long long blockinterf_interferer_count(const struct blockinterf_interferer *i);
/* Per second during the interval; negative without one. */
double blockinterf_interferer_rate(const struct blockinterf_interferer *i);
/* smp_affinity_list and effective_affinity_list; NULL when unknown. */
const char *blockinterf_interferer_affinity(const struct blockinterf_interferer *i);
const char *blockinterf_interferer_effective(const struct blockinterf_interferer *i);
/* A managed IRQ: its affinity cannot be changed from user space. */
bool blockinterf_interferer_managed(const struct blockinterf_interferer *i);
/*
 * A device IRQ that user space can move off the set now: the hint is
 * the command.  What the dry run's exit status 5 is about.
 */
bool blockinterf_interferer_movable(const struct blockinterf_interferer *i);
/* What to do about it, in a few words. */
const char *blockinterf_interferer_hint(const struct blockinterf_interferer *i);

#ifdef __cplusplus
}
#endif

#endif /* BLOCKINTERF_H */
