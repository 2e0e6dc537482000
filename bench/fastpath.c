// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fastpath: the cost of the converted paths when nothing is refused,
 * run inside the VM under qemu -icount shift=0, where one guest
 * nanosecond is one instruction: the figures are instruction counts,
 * the same on every run and on every host.
 *
 * CPU 0 makes the calls; CPU 1, their target, spins on PAUSE so that an
 * IPI is taken at once.  Prints one line per path: its name and the
 * guest nanoseconds (instructions) per call, the median of 5 rounds.
 * The last path, file-read, is none that the series converts: an 8-byte
 * pread of a file in /tmp, which the BPF LSM backend's file_permission
 * program sees as it sees every read.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 5
#define MSR_TSC 0x10

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		exit(1);
	}
}

static void *spin(void *unused)
{
	(void)unused;
	pin(1);
	for (;;)
		__builtin_ia32_pause();
	return NULL;
}

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int msr_fd(int cpu)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	return fd;
}

/* @n 8-byte reads at @at: an MSR's number, or a file's offset */
static void preads(int fd, off_t at, long n)
{
	unsigned long long v;

	while (n-- > 0)
		if (pread(fd, &v, sizeof(v), at) != sizeof(v)) {
			perror("pread");
			exit(1);
		}
}

static int tmp_fd(void)
{
	char path[] = "/tmp/fastpath.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, "01234567", 8) != 8) {
		perror(path);
		exit(1);
	}
	unlink(path);
	return fd;
}

static void perf_opens(int cpu, long n)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
	};

	while (n-- > 0) {
		int fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, 0);

		if (fd < 0) {
			perror("perf_event_open");
			exit(1);
		}
		close(fd);
	}
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

enum kind { PREAD, PERF_OPEN };

/* median over ROUNDS of the time per call of @kind */
static void measure(const char *name, long n, enum kind kind, int fd, off_t at)
{
	long long t[ROUNDS];
	int r;

	for (r = 0; r < ROUNDS; r++) {
		long long t0 = now();

		if (kind == PERF_OPEN)
			perf_opens(1, n);
		else
			preads(fd, at, n);
		t[r] = now() - t0;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp);
	printf("%-12s %8.1f\n", name, (double)t[ROUNDS / 2] / n);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	pthread_t spinner;
	int remote, local, file;

	if (pthread_create(&spinner, NULL, spin, NULL))
		return 1;
	pin(0);
	remote = msr_fd(1);
	local = msr_fd(0);
	file = tmp_fd();
	preads(remote, MSR_TSC, 1000);	/* warm up */
	measure("msr-remote", n, PREAD, remote, MSR_TSC);
	measure("msr-local", n, PREAD, local, MSR_TSC);
	measure("perf-open", n, PERF_OPEN, -1, 0);
	measure("file-read", n, PREAD, file, 0);
	return 0;
}
