// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bi-helper: one system call per invocation, for the in-VM suite.
 * Prints "ok" or the errno name of the first failure and exits 0 or 1,
 * so that the suite can say exactly which errno a path returned.
 * Built statically: the VM has busybox and nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_BLOCK_INTERF
#define PR_BLOCK_INTERF		0x42494e54
#define PR_BLOCK_INTERF_GET	0
#define PR_BLOCK_INTERF_SET	1
#endif
#ifndef PR_BLOCK_INTERF_ADD
#define PR_BLOCK_INTERF_ADD	2
#define PR_BLOCK_INTERF_REMOVE	3
#endif

static int result(int err)
{
	if (!err) {
		puts("ok");
		return 0;
	}
	puts(strerrorname_np(err) ? strerrorname_np(err) : "E?");
	return 1;
}

/*
 * Run on CPU $BI_CPU only, CPU 0 by default.  A call aimed at the CPU
 * it runs on needs no IPI: the _fail primitives do not refuse it (the
 * device files and perf opens do), so a check of a refusal runs
 * elsewhere unless it means to test that.
 */
static int pin_from_env(void)
{
	const char *from = getenv("BI_CPU");
	cpu_set_t set;

	if (!from)
		from = "0";
	CPU_ZERO(&set);
	CPU_SET(atoi(from), &set);
	return sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
}

/*
 * Reads @count times, every attempt made even after a failure, so that a
 * refused CPU sees as many attempts as an allowed one; reports the first
 * error.
 */
static int dev_read(const char *fmt, int cpu, off_t pos, size_t size, long count)
{
	char path[64], buf[16];
	int fd, err = 0;

	snprintf(path, sizeof(path), fmt, cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return result(errno);
	while (count-- > 0)
		if (pread(fd, buf, size, pos) != (ssize_t)size && !err)
			err = errno ? errno : EIO;
	close(fd);
	return result(err);
}

/* @count opens and closes of a CPU-bound event; the last error is reported. */
static int perf_open(int cpu, long count)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
	};
	int err = 0;

	while (count-- > 0) {
		int fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, 0);

		if (fd < 0) {
			err = errno;
			continue;
		}
		close(fd);
		err = 0;
	}
	return result(err);
}

/* One write(2) of @text, as a shell's echo would do it. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return result(errno);
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return result(err);
}

static int read_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY), err = 0;

	if (fd < 0)
		return result(errno);
	if (read(fd, buf, sizeof(buf)) < 0)
		err = errno;
	close(fd);
	return result(err);
}

/* prctl-get: print the blocked CPUs, comma separated, and the byte count */
static int prctl_get(size_t size)
{
	unsigned char buf[1024] = { 0 };
	const char *sep = "";
	int n, cpu;

	n = prctl(PR_BLOCK_INTERF, PR_BLOCK_INTERF_GET, size, buf, 0);
	if (n < 0)
		return result(errno);
	for (cpu = 0; cpu < n * 8; cpu++)
		if (buf[cpu / 8] & (1 << (cpu % 8))) {
			printf("%s%d", sep, cpu);
			sep = ",";
		}
	printf(" (%d bytes)\n", n);
	return 0;
}

/*
 * prctl-set SIZE CPU...: set exactly these CPUs, in a SIZE-byte bitmap;
 * prctl-add and prctl-remove: add or remove them (@op)
 */
static int prctl_change(int op, size_t size, int argc, char **argv)
{
	unsigned char buf[1024] = { 0 };
	int i;

	for (i = 0; i < argc; i++) {
		int cpu = atoi(argv[i]);

		if (cpu < 0 || (size_t)cpu >= size * 8)
			return result(EDOM);
		buf[cpu / 8] |= 1 << (cpu % 8);
	}
	if (prctl(PR_BLOCK_INTERF, op, size, buf, 0))
		return result(errno);
	return result(0);
}

/* dropcap CMD...: run CMD without CAP_SYS_ADMIN, even as root */
static int dropcap(char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0) ||
	    syscall(SYS_capget, &hdr, data))
		return result(errno);
	data[0].effective &= ~(1U << CAP_SYS_ADMIN);
	data[0].permitted &= ~(1U << CAP_SYS_ADMIN);
	data[0].inheritable &= ~(1U << CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return result(errno);
	execvp(argv[0], argv);
	return result(errno);
}

/* setuid UID CMD...: run CMD as UID, without capabilities */
static int run_as(uid_t uid, char **argv)
{
	if (setgid(uid) || setuid(uid))
		return result(errno);
	execvp(argv[0], argv);
	return result(errno);
}

/*
 * userns CMD...: run CMD as root of a new user namespace: every
 * capability there, none in the initial namespace.
 */
static int userns(char **argv)
{
	char map[] = "0 0 1";
	int fd;

	if (unshare(CLONE_NEWUSER))
		return result(errno);
	fd = open("/proc/self/uid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0)
		return result(errno);
	close(fd);
	execvp(argv[0], argv);
	return result(errno);
}

/*
 * uffd-stall: a page whose first touch never completes.  A system call
 * that copies to or from it sleeps in the fault until this process
 * exits; the stall must not hold up block_interf writers.
 */
static void *stall_page;

static int stall_setup(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	long page = sysconf(_SC_PAGESIZE);
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		return errno;
	stall_page = mmap(NULL, page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stall_page == MAP_FAILED)
		return errno;
	reg.range.start = (unsigned long)stall_page;
	reg.range.len = page;
	return ioctl(uffd, UFFDIO_REGISTER, &reg) ? errno : 0;
}

static const char *stall_kind;
static int stall_cpu;

static void *stall_thread(void *unused)
{
	char path[64];
	int fd;

	(void)unused;
	if (!strcmp(stall_kind, "prctl-get")) {
		prctl(PR_BLOCK_INTERF, PR_BLOCK_INTERF_GET, 8, stall_page, 0);
	} else if (!strcmp(stall_kind, "perf-read")) {
		/*
		 * perf_read() holds the event's context mutex across the
		 * copy to user memory: the CPU's, for a CPU-bound event
		 */
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE,
			.size = sizeof(attr),
			.config = PERF_COUNT_SW_CPU_CLOCK,
		};

		fd = syscall(SYS_perf_event_open, &attr, -1, stall_cpu, -1, 0);
		read(fd, stall_page, 8);
	} else if (!strcmp(stall_kind, "perf")) {
		syscall(SYS_perf_event_open, stall_page, -1, stall_cpu, -1, 0);
	} else if (!strcmp(stall_kind, "mtrr")) {
		fd = open("/proc/mtrr", O_WRONLY);
		write(fd, stall_page, 40);
	} else {	/* msr-read, msr-write, cpuid */
		snprintf(path, sizeof(path), "/dev/cpu/%d/%s", stall_cpu,
			 strncmp(stall_kind, "msr", 3) ? "cpuid" : "msr");
		fd = open(path, O_RDWR);
		if (!strcmp(stall_kind, "msr-write"))
			pwrite(fd, stall_page, 8, 0x10);
		else
			pread(fd, stall_page, strcmp(stall_kind, "cpuid") ? 8 : 16, 0);
	}
	return NULL;
}

/*
 * uffd-stall KIND CPU FILE TEXT: start KIND (prctl-get, perf, perf-read,
 * mtrr, msr-read, msr-write, cpuid) on a stalled user page, then write TEXT
 * to FILE from a child.  "ok" if the write completes within 5 s,
 * ETIMEDOUT if it is stuck behind the stalled access.
 */
static int uffd_stall(const char *kind, int cpu, const char *file,
		      const char *text)
{
	pthread_t thread;
	int err, i, status;
	pid_t child;

	err = stall_setup();
	if (err)
		return result(err);
	stall_kind = kind;
	stall_cpu = cpu;
	if (pthread_create(&thread, NULL, stall_thread, NULL))
		return result(EAGAIN);
	usleep(300000);	/* let it reach the fault */
	child = fork();
	if (child == 0) {
		int fd = open(file, O_WRONLY);

		_exit(fd < 0 || write(fd, text, strlen(text)) < 0);
	}
	for (i = 0; i < 50; i++) {
		if (waitpid(child, &status, WNOHANG) == child)
			return result(WEXITSTATUS(status) ? EIO : 0);
		usleep(100000);
	}
	/* Our exit wakes the fault, and with it the writer. */
	return result(ETIMEDOUT);
}

/*
 * perf-then CPU WHAT CMD: opens a CPU-bound event while CPU is not
 * blocked, runs CMD (which blocks it), then reads the event (read),
 * enables it (ioctl) or maps it (mmap): what the mask does to an event
 * opened before it.
 */
static int perf_then(int cpu, const char *what, const char *cmd)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.disabled = 1,
	};
	uint64_t count;
	void *p;
	int fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, 0), err = 0;

	if (fd < 0)
		return result(errno);
	if (system(cmd))
		return result(ECHILD);
	if (!strcmp(what, "read")) {
		if (read(fd, &count, sizeof(count)) < 0)
			err = errno;
	} else if (!strcmp(what, "ioctl")) {
		if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0))
			err = errno;
	} else {
		p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			err = errno;
	}
	close(fd);
	return result(err);
}

/* bpf(BPF_OBJ_GET) of a pinned object: may this user open it? */
static int bpf_get(const char *path)
{
	union {
		struct { uint64_t pathname; uint32_t bpf_fd, file_flags; } get;
		char pad[128];
	} attr = { 0 };
	int fd;

	attr.get.pathname = (uintptr_t)path;
	fd = syscall(SYS_bpf, 7 /* BPF_OBJ_GET */, &attr, sizeof(attr));
	if (fd >= 0)
		close(fd);
	return result(fd < 0 ? errno : 0);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int cpu = argc > 2 ? atoi(argv[2]) : 0;
	int err = pin_from_env();

	if (err)
		return result(err);

	if (!strcmp(cmd, "msr") && argc >= 3)	/* msr CPU [COUNT]: read the TSC MSR */
		return dev_read("/dev/cpu/%d/msr", cpu, 0x10, 8,
				argc > 3 ? atol(argv[3]) : 1);
	if (!strcmp(cmd, "cpuid") && argc >= 3)
		return dev_read("/dev/cpu/%d/cpuid", cpu, 0, 16, 1);
	if (!strcmp(cmd, "perf") && argc >= 3)	/* perf CPU [COUNT] */
		return perf_open(cpu, argc > 3 ? atol(argv[3]) : 1);
	if (!strcmp(cmd, "perf-then") && argc >= 5)
		return perf_then(cpu, argv[3], argv[4]);
	if (!strcmp(cmd, "bpf-get") && argc >= 3)
		return bpf_get(argv[2]);
	if (!strcmp(cmd, "write") && argc >= 4)
		return write_file(argv[2], argv[3]);
	if (!strcmp(cmd, "read") && argc >= 3)
		return read_file(argv[2]);
	if (!strcmp(cmd, "prctl-get"))
		return prctl_get(argc > 2 ? strtoul(argv[2], NULL, 0) : 1024);
	if (!strcmp(cmd, "prctl-set") && argc >= 3)
		return prctl_change(PR_BLOCK_INTERF_SET, strtoul(argv[2], NULL, 0),
				    argc - 3, argv + 3);
	if (!strcmp(cmd, "prctl-add") && argc >= 3)
		return prctl_change(PR_BLOCK_INTERF_ADD, strtoul(argv[2], NULL, 0),
				    argc - 3, argv + 3);
	if (!strcmp(cmd, "prctl-remove") && argc >= 3)
		return prctl_change(PR_BLOCK_INTERF_REMOVE, strtoul(argv[2], NULL, 0),
				    argc - 3, argv + 3);
	if (!strcmp(cmd, "dropcap") && argc >= 3)
		return dropcap(argv + 2);
	if (!strcmp(cmd, "setuid") && argc >= 4)
		return run_as(atoi(argv[2]), argv + 3);
	if (!strcmp(cmd, "userns") && argc >= 3)
		return userns(argv + 2);
	if (!strcmp(cmd, "uffd-stall") && argc >= 6)
		return uffd_stall(argv[2], atoi(argv[3]), argv[4], argv[5]);
	fprintf(stderr, "usage: bi-helper msr|cpuid|perf CPU | write FILE TEXT | read FILE |\n"
		"       perf-then CPU read|ioctl|mmap CMD | bpf-get PIN |\n"
		"       prctl-get [SIZE] | prctl-set|prctl-add|prctl-remove SIZE CPU... |\n"
		"       dropcap CMD... |\n"
		"       setuid UID CMD... | userns CMD... | uffd-stall KIND CPU FILE TEXT\n");
	return 2;
}
