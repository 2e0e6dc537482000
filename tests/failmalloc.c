// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LD_PRELOAD shim for tests/alloc-fail.sh: the FAILMALLOC_N-th call of
 * malloc(), calloc() or realloc() in the process fails with ENOMEM
 * (strdup(), asprintf() and the libraries' allocations are counted:
 * glibc's own calls go through these symbols too).  Only that one:
 * the calls after it succeed, as after a transient shortage.
 * FAILMALLOC_LOG names a file that gets the number of calls made, at
 * exit, so that a test knows how many there are to fail.
 * FAILMALLOC_BACKTRACE=1 prints where the failed call came from on
 * stderr, to find the code that mishandled it.
 * FAILMALLOC_SPARE=FUNCTION lets the call succeed when FUNCTION, an
 * exported one, is on the stack, for a library that swallows its own
 * failures; the log then says "spared".
 *
 * dlsym() may allocate before the real functions are known: those
 * few calls are served from a static buffer and never freed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static unsigned long calls, fail_at;	/* fail_at 0: never */
static int resolving;

static _Alignas(16) char boot[16384];
static size_t boot_used;

static void *boot_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(boot) - boot_used)
		return NULL;
	p = boot + boot_used;
	boot_used += n;
	return p;	/* static storage: already zero */
}

static int from_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof(boot);
}

static void resolve(void)
{
	const char *n;

	if (real_malloc || resolving)
		return;
	resolving = 1;
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	real_free = dlsym(RTLD_NEXT, "free");
	n = getenv("FAILMALLOC_N");
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
}

static int spared, priming;

/* Is FAILMALLOC_SPARE's function among the callers? */
static int in_spared(void **frames, int n)
{
	const char *fn = getenv("FAILMALLOC_SPARE");
	Dl_info info;
	int i;

	for (i = 0; fn && i < n; i++)
		if (dladdr(frames[i], &info) && info.dli_sname &&
		    !strcmp(info.dli_sname, fn))
			return 1;
	return 0;
}

/* Counts a call; true when this one is to fail. */
static int fail_now(void)
{
	void *frames[64];
	const char *bt;
	int n;

	if (priming || ++calls != fail_at)
		return 0;
	n = backtrace(frames, 64);
	if (in_spared(frames, n)) {
		spared = 1;
		return 0;
	}
	bt = getenv("FAILMALLOC_BACKTRACE");
	if (bt && *bt == '1')
		backtrace_symbols_fd(frames, n, 2);
	errno = ENOMEM;
	return 1;
}

/*
 * backtrace() loads libgcc_s, which allocates, on its first call: make
 * that call now, its allocations neither counted nor failed, so that
 * no run depends on where it fails.
 */
__attribute__((constructor)) static void prime(void)
{
	void *frame;

	priming = 1;
	backtrace(&frame, 1);
	priming = 0;
}

void *malloc(size_t n)
{
	resolve();
	if (!real_malloc)
		return boot_alloc(n);
	return fail_now() ? NULL : real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	resolve();
	if (!real_calloc)
		return size && n > (size_t)-1 / size ? NULL : boot_alloc(n * size);
	return fail_now() ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	void *q;

	resolve();
	if (from_boot(p)) {	/* never after dlsym: copy out, keep it */
		q = malloc(n);
		if (q)
			memcpy(q, p, n < sizeof(boot) ? n : sizeof(boot));
		return q;
	}
	if (!real_realloc)
		return NULL;
	/* realloc(p, 0) frees: no allocation to fail */
	if (n && fail_now())
		return NULL;
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || from_boot(p))
		return;
	resolve();
	if (real_free)
		real_free(p);
}

__attribute__((destructor)) static void report(void)
{
	const char *log = getenv("FAILMALLOC_LOG");
	int fd;

	if (!log)
		return;
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	dprintf(fd, "%lu\n%s", calls, spared ? "spared\n" : "");
	close(fd);
}
