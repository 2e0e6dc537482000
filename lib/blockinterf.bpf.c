// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF LSM backend's policy: the user paths that the kernel series
 * converts, refused with -EPERM for a CPU in the mask, on a kernel
 * without the series (lib/bpf.c loads it; doc/design.md, "BPF LSM
 * backend", has the table and what it cannot stop).
 *
 * Files are told apart by what the kernel made them, never by a path
 * a mount namespace can fake: the msr and cpuid devices by their char
 * major, sysfs files by their attribute's store function, /proc/mtrr by
 * its proc_ops, vm.stat_refresh by its sysctl handler.  Function
 * addresses come from /proc/kallsyms, written by the loader into
 * .rodata before the load (0: the kernel has no such file).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "blockinterf-bpf.h"

#define EPERM		1
#define MAY_WRITE	0x2
#define MAY_READ	0x4
#define S_IFMT		00170000
#define S_IFCHR		0020000
#define SYSFS_MAGIC	0x62656572
#define PROC_SUPER_MAGIC 0x9fa0
#define PF_KTHREAD	0x00200000
#define PERF_ATTACH_TASK 0x04
#define MINORBITS	20

/* x86-64 system calls, and the ia32 ones a compat task makes */
#define NR_ioctl		16
#define NR_mmap			9
#define NR_perf_event_open	298
#define NR32_ioctl		54
#define NR32_mmap		90
#define NR32_mmap2		192
#define NR32_perf_event_open	336

char LICENSE[] SEC("license") = "GPL";

/* One byte a CPU: add and remove change one element, and lose nothing. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BI_BPF_MAX_CPUS);
	__type(key, __u32);
	__type(value, __u8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} blockinterf_mask SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} blockinterf_refused SEC(".maps");

/* Set by the loader (lib/bpf.c) before the load. */
const volatile __u32 nr_cpus = 1;
const volatile __u64 sym[BI_SYM_NR];

/* 6.15 renamed kernfs_node.parent; CO-RE picks what the kernel has. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

struct kernfs_node___new {
	struct kernfs_node *__parent;
} __attribute__((preserve_access_index));

static bool blocked(__u32 cpu)
{
	__u8 *b;

	if (cpu >= nr_cpus)
		return false;
	b = bpf_map_lookup_elem(&blockinterf_mask, &cpu);
	return b && *b;
}

struct other_ctx {
	__u32 self;
	bool found;
};

static long other_cb(__u64 i, void *data)
{
	struct other_ctx *c = data;

	if (i != c->self && blocked(i)) {
		c->found = true;
		return 1;
	}
	return 0;
}

/* Is a CPU blocked, @self aside (-1: none aside)?  Rare paths only. */
static bool blocked_other(__u32 self)
{
	struct other_ctx c = { .self = self };

	bpf_loop(nr_cpus, other_cb, &c, 0);
	return c.found;
}

static int refuse(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&blockinterf_refused, &zero);

	if (n)
		*n += 1;
	return -EPERM;
}

/* The system call the current task is in, and its second argument. */
static long syscall_nr(unsigned long *arg2)
{
	struct pt_regs *regs;
	long nr;

	regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	nr = BPF_CORE_READ(regs, orig_ax);
	if (arg2)
		*arg2 = nr == NR32_ioctl ? BPF_CORE_READ(regs, cx) :
					   BPF_CORE_READ(regs, si);
	return nr;
}

/* /dev/cpu/N/msr and cpuid: the CPU, or -1 for any other file. */
static int cpu_device(struct inode *inode)
{
	umode_t mode = BPF_CORE_READ(inode, i_mode);
	dev_t rdev = BPF_CORE_READ(inode, i_rdev);
	unsigned int major = rdev >> MINORBITS;

	if ((mode & S_IFMT) != S_IFCHR)
		return -1;
	if (major != BI_MSR_MAJOR && major != BI_CPUID_MAJOR)
		return -1;
	return rdev & ((1U << MINORBITS) - 1);
}

static struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(struct kernfs_node___new, __parent))
		return BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* The device a sysfs attribute file belongs to. */
static struct device *kn_device(struct kernfs_node *kn)
{
	void *kobj = BPF_CORE_READ(kn_parent(kn), priv);

	return kobj - bpf_core_field_offset(struct device, kobj);
}

static bool bus_is_cpu(struct device *dev)
{
	char name[4] = {};
	const char *p = BPF_CORE_READ(dev, bus, name);

	if (!p)
		return false;
	bpf_probe_read_kernel_str(name, sizeof(name), p);
	return name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && !name[3];
}

/*
 * A write to a sysfs file of the series' table.  Hotplug is refused
 * while any CPU is blocked, the current one included (it may be the one
 * going down); a clocksource switch stops every other CPU; a clock
 * event unbind reaches CPU N only from elsewhere.
 */
static int sysfs_write(struct inode *inode)
{
	struct kernfs_node *kn = BPF_CORE_READ(inode, i_private);
	struct device_attribute *attr;
	unsigned long store;
	struct device *dev;
	__u32 self = bpf_get_smp_processor_id();

	if (!kn)
		return 0;
	attr = BPF_CORE_READ(kn, priv);
	if (!attr)
		return 0;
	store = (unsigned long)BPF_CORE_READ(attr, store);
	if (!store)
		return 0;
	if (store == sym[BI_SYM_ONLINE_STORE] ||
	    store == sym[BI_SYM_TARGET_STORE]) {
		dev = kn_device(kn);
		return bus_is_cpu(dev) && blocked_other(-1) ? refuse() : 0;
	}
	if (store == sym[BI_SYM_SMT_CONTROL_STORE])
		return blocked_other(-1) ? refuse() : 0;
	if (store == sym[BI_SYM_CURRENT_CLOCKSOURCE_STORE] ||
	    store == sym[BI_SYM_UNBIND_CLOCKSOURCE_STORE])
		return blocked_other(self) ? refuse() : 0;
	if (store == sym[BI_SYM_UNBIND_DEVICE_STORE]) {
		dev = kn_device(kn);
		__u32 cpu = BPF_CORE_READ(dev, id);

		return cpu != self && blocked(cpu) ? refuse() : 0;
	}
	return 0;
}

static struct proc_inode *proc_i(struct inode *inode)
{
	return (void *)inode - bpf_core_field_offset(struct proc_inode, vfs_inode);
}

/* /proc/mtrr's proc_ops, or NULL. */
static const struct proc_ops *proc_ops_of(struct inode *inode)
{
	struct proc_dir_entry *pde = BPF_CORE_READ(proc_i(inode), pde);

	return pde ? BPF_CORE_READ(pde, proc_ops) : NULL;
}

/* /proc/mtrr writes (every change), vm.stat_refresh reads and writes. */
static int proc_access(struct inode *inode, int mask)
{
	struct proc_inode *pi = proc_i(inode);
	const struct ctl_table *table = BPF_CORE_READ(pi, sysctl_entry);
	const struct proc_ops *ops;
	__u32 self = bpf_get_smp_processor_id();

	if (table) {
		if ((unsigned long)BPF_CORE_READ(table, proc_handler) !=
		    sym[BI_SYM_VMSTAT_REFRESH])
			return 0;
		return blocked_other(self) ? refuse() : 0;
	}
	if (!(mask & MAY_WRITE))
		return 0;
	ops = proc_ops_of(inode);
	if (!ops || (unsigned long)BPF_CORE_READ(ops, proc_write) !=
		    sym[BI_SYM_MTRR_WRITE])
		return 0;
	return blocked_other(self) ? refuse() : 0;
}

SEC("lsm/file_permission")
int BPF_PROG(bi_file_permission, struct file *file, int mask)
{
	struct inode *inode = file->f_inode;
	unsigned long magic;
	int cpu;

	if (!inode || !(mask & (MAY_READ | MAY_WRITE)))
		return 0;
	cpu = cpu_device(inode);
	if (cpu >= 0)
		return blocked(cpu) ? refuse() : 0;
	magic = BPF_CORE_READ(inode, i_sb, s_magic);
	if (magic == SYSFS_MAGIC)
		return mask & MAY_WRITE ? sysfs_write(inode) : 0;
	if (magic == PROC_SUPER_MAGIC)
		return proc_access(inode, mask);
	return 0;
}

/* msr ioctls (RDMSR_REGS, WRMSR_REGS), /proc/mtrr ioctls but the GETs. */
static int ioctl_check(struct file *file, unsigned int cmd)
{
	struct inode *inode = file->f_inode;
	const struct proc_ops *ops;
	unsigned int nr = cmd & 0xff;
	int cpu;

	if (!inode)
		return 0;
	cpu = cpu_device(inode);
	if (cpu >= 0)
		return blocked(cpu) ? refuse() : 0;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != PROC_SUPER_MAGIC)
		return 0;
	ops = proc_ops_of(inode);
	if (!ops || (unsigned long)BPF_CORE_READ(ops, proc_ioctl) !=
		    sym[BI_SYM_MTRR_IOCTL])
		return 0;
	if (nr == BI_MTRRIOC_GET_ENTRY_NR || nr == BI_MTRRIOC_GET_PAGE_ENTRY_NR)
		return 0;
	return blocked_other(bpf_get_smp_processor_id()) ? refuse() : 0;
}

SEC("lsm/file_ioctl")
int BPF_PROG(bi_file_ioctl, struct file *file, unsigned int cmd,
	     unsigned long arg)
{
	return ioctl_check(file, cmd);
}

SEC("lsm/file_ioctl_compat")
int BPF_PROG(bi_file_ioctl_compat, struct file *file, unsigned int cmd,
	     unsigned long arg)
{
	return ioctl_check(file, cmd);
}

/* A CPU-wide event (not a task's) a user opened, reads or controls. */
static int cpu_bound(struct perf_event *event)
{
	if (BPF_CORE_READ(event, attach_state) & PERF_ATTACH_TASK)
		return -1;
	return BPF_CORE_READ(event, cpu);
}

/*
 * perf_event_open(cpu = N): perf_event_alloc() calls the hook before
 * account_event() (the nohz_full tick dependency, static keys), but
 * after the PMU's event_init().  Kernel counters (the watchdog, wide
 * breakpoints) are allocated here too: only the system call is refused.
 */
SEC("lsm/perf_event_alloc")
int BPF_PROG(bi_perf_event_alloc, struct perf_event *event)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long nr;
	int cpu = cpu_bound(event);

	if (cpu < 0 || !blocked(cpu) || (task->flags & PF_KTHREAD))
		return 0;
	nr = syscall_nr(NULL);
	if (nr != NR_perf_event_open && nr != NR32_perf_event_open)
		return 0;
	return refuse();
}

/* read(2) of an event on another CPU sends it an IPI; mmap sends none. */
SEC("lsm/perf_event_read")
int BPF_PROG(bi_perf_event_read, struct perf_event *event)
{
	long nr;
	int cpu = cpu_bound(event);

	if (cpu < 0 || cpu == bpf_get_smp_processor_id() || !blocked(cpu))
		return 0;
	nr = syscall_nr(NULL);
	if (nr == NR_mmap || nr == NR32_mmap || nr == NR32_mmap2)
		return 0;
	return refuse();
}

/* The ioctls that reach the event's CPU, refused from it too. */
SEC("lsm/perf_event_write")
int BPF_PROG(bi_perf_event_write, struct perf_event *event)
{
	unsigned long cmd;
	long nr;
	int cpu = cpu_bound(event);

	if (cpu < 0 || !blocked(cpu))
		return 0;
	nr = syscall_nr(&cmd);
	if (nr != NR_ioctl && nr != NR32_ioctl)
		return 0;
	if (((cmd >> 8) & 0xff) != '$')
		return 0;
	switch (cmd & 0xff) {
	case 0: case 1: case 2: case 3: case 4: case 11:
		/* ENABLE DISABLE REFRESH RESET PERIOD MODIFY_ATTRIBUTES */
		return refuse();
	}
	return 0;
}
