// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bi-load: what runs on an isolated CPU, and what an administrator does
 * to it, for the in-VM checks of tests/vm/nohz.sh.
 *
 *   spin CPU [PRIO]            a user-space busy loop on CPU, SCHED_FIFO
 *                              PRIO if given; runs until killed
 *   sqpoll CPU IDLE_MS FILE    an io_uring SQPOLL ring whose kernel
 *                              thread spins on CPU for IDLE_MS; writes
 *                              "ok" or the errno name to FILE, then
 *                              sleeps until killed
 *   timed-write FILE TEXT      one write(2); prints "ok MS" or the errno
 *                              name and MS, or ETIMEDOUT after 5 s
 *   perf-attr CPU KIND         perf_event_open() of a CPU-wide software
 *                              event with attr KIND (plain, freq, switch);
 *                              prints ok or the errno name
 *   perf-existing CPU N FILE TEXT
 *                              opens an event on CPU, writes TEXT to
 *                              FILE (blocking CPU), then N reads and N
 *                              DISABLE/ENABLE ioctls between trace
 *                              markers; prints the errno names of the
 *                              reads and the ioctls ("ok" if none failed)
 *
 * Built statically: the VM has busybox and nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int err)
{
	if (!err)
		return "ok";
	return strerrorname_np(err) ? strerrorname_np(err) : "E?";
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The loop makes no system call: under nohz_full the CPU stays quiet. */
static int spin(int cpu, int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	volatile unsigned long n = 0;

	if (pin(cpu) || (prio && sched_setscheduler(0, SCHED_FIFO, &sp))) {
		perror("bi-load spin");
		return 1;
	}
	for (;;)
		n++;
}

static int write_text(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");

	if (!f)
		return errno;
	fputs(text, f);
	return fclose(f) ? errno : 0;
}

static int sqpoll(int cpu, unsigned int idle_ms, const char *file)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
		.sq_thread_cpu = cpu,
		.sq_thread_idle = idle_ms,
	};
	int fd = syscall(__NR_io_uring_setup, 4, &p);

	int err = fd < 0 ? errno : 0;

	if (write_text(file, errname(err)))
		perror(file);
	if (fd < 0) {
		fprintf(stderr, "io_uring_setup: %s\n", errname(err));
		return 1;
	}
	for (;;)
		pause();
}

/*
 * The write runs in a child, so that a write stuck in the kernel is
 * reported rather than waited for; it finishes when what holds it up
 * goes away.
 */
static int timed_write(const char *file, const char *text)
{
	double start = now_ms();
	int status;
	pid_t child = fork();

	if (child == 0)
		_exit(write_text(file, text));
	while (now_ms() - start < 5000) {
		if (waitpid(child, &status, WNOHANG) == child) {
			printf("%s %.0f\n", errname(WEXITSTATUS(status)),
			       now_ms() - start);
			return 0;
		}
		usleep(1000);
	}
	printf("ETIMEDOUT %.0f\n", now_ms() - start);
	return 1;
}

static int perf_open(int cpu, const char *kind)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 1000000,
	};

	if (!strcmp(kind, "freq")) {
		/* the nohz_full tick dependency, on every such CPU */
		attr.freq = 1;
		attr.sample_freq = 100;
	} else if (!strcmp(kind, "switch")) {
		/* perf_sched_events: text patched on every CPU */
		attr.context_switch = 1;
	}
	return syscall(SYS_perf_event_open, &attr, -1, cpu, -1, 0);
}

static void marker(const char *text)
{
	write_text("/sys/kernel/tracing/trace_marker", text);
}

static int perf_existing(int cpu, long n, const char *file, const char *text)
{
	int fd = perf_open(cpu, "plain"), rerr = 0, ierr = 0, err;
	unsigned long long count;

	if (fd < 0) {
		printf("open %s\n", errname(errno));
		return 1;
	}
	err = write_text(file, text);
	if (err) {
		printf("write %s\n", errname(err));
		return 1;
	}
	marker("bi-begin");
	while (n-- > 0) {
		if (read(fd, &count, sizeof(count)) < 0 && !rerr)
			rerr = errno;
		if (ioctl(fd, PERF_EVENT_IOC_DISABLE, 0) < 0 && !ierr)
			ierr = errno;
		if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0 && !ierr)
			ierr = errno;
	}
	marker("bi-end");
	printf("%s %s\n", errname(rerr), errname(ierr));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(cmd, "spin") && argc >= 3)
		return spin(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 0);
	/* the rest run on CPU 0, as an administrator's shell would */
	if (pin(0))
		return 1;
	if (!strcmp(cmd, "sqpoll") && argc >= 5)
		return sqpoll(atoi(argv[2]), strtoul(argv[3], NULL, 0), argv[4]);
	if (!strcmp(cmd, "timed-write") && argc >= 4)
		return timed_write(argv[2], argv[3]);
	if (!strcmp(cmd, "perf-attr") && argc >= 4) {
		fd = perf_open(atoi(argv[2]), argv[3]);
		puts(errname(fd < 0 ? errno : 0));
		if (fd >= 0)
			close(fd);
		return fd < 0;
	}
	if (!strcmp(cmd, "perf-existing") && argc >= 6)
		return perf_existing(atoi(argv[2]), atol(argv[3]), argv[4], argv[5]);
	fprintf(stderr, "usage: bi-load spin CPU [PRIO] | sqpoll CPU IDLE_MS FILE |\n"
		"       timed-write FILE TEXT | perf-attr CPU KIND |\n"
		"       perf-existing CPU N FILE TEXT\n");
	return 2;
}
