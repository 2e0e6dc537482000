// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc/irq/N/ as the dry run reads it: one directory opened once, and
 * below it no link of any kind (lib/sysroot.c, bi_read_file_at()).
 * Links out of the root and inside it, FIFOs, devices, directories and
 * files where others are expected, lists that just fit or do not, and
 * which file's mode makes an IRQ "managed".  Every case runs with
 * openat2 and with the walk kept for kernels without it.
 *
 * On tests/roots/x86-server, --set 2-5: IRQ 51 fired 9999 times on CPU
 * 3, its effective_affinity_list and smp_affinity_list say 3.  Files
 * outside the root (OUTSIDE/51/) say 7, read-only: read, they would
 * drop IRQ 51 from the list, or make it managed.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "blockinterf.h"
#include "tap.h"
#include "testroot.h"

extern bool bi_no_openat2;	/* lib/sysroot.c: take the fallback */

static const char *how;		/* "openat2" or "walk" */
static char outside[64];	/* a directory beside the roots */
static char logged[4096];	/* what the library logged in the last scan */

static void log_fn(struct blockinterf_ctx *ctx, int priority, const char *file,
		   int line, const char *fn, const char *format, va_list args)
{
	size_t n = strlen(logged);

	(void)ctx; (void)priority; (void)file; (void)line; (void)fn;
	vsnprintf(logged + n, sizeof(logged) - n, format, args);
	n = strlen(logged);
	if (n && logged[n - 1] == '\n')
		logged[n - 1] = ';';	/* one TAP line */
}

/* The report of --set 2-5 on @root. */
static struct blockinterf_report *scan(const char *root)
{
	struct blockinterf_report *r = NULL;
	struct blockinterf_ctx *ctx;
	cpu_set_t set;

	logged[0] = '\0';
	if (blockinterf_new(&ctx, root)) {
		printf("Bail out! cannot open %s\n", root);
		exit(1);
	}
	blockinterf_set_log_fn(ctx, log_fn);
	blockinterf_set_log_priority(ctx, LOG_ERR);
	blockinterf_cpulist_parse("2-5", 8, &set, sizeof(set));
	if (blockinterf_scan(ctx, &set, sizeof(set), 0, &r)) {
		printf("Bail out! scan of %s failed\n", root);
		exit(1);
	}
	blockinterf_unref(ctx);
	return r;
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

/*
 * Scans @root and checks IRQ 51: listed (on CPU 3) with affinity @aff
 * and effective affinity @eff ("none": unknown), managed or not; or
 * not listed at all when @aff is NULL.  Removes @root.
 */
static void irq51(char *root, const char *aff, const char *eff, bool managed,
		  const char *what)
{
	struct blockinterf_report *r = scan(root);
	const struct blockinterf_interferer *it = NULL;

	while ((it = blockinterf_report_next(r, it)))
		if (!strcmp(blockinterf_interferer_irq(it), "51"))
			break;
	if (!aff) {
		ok(!it, "%s: %s: IRQ 51 not listed", how, what);
	} else if (!it) {
		ok(0, "%s: %s: IRQ 51 listed", how, what);
	} else {
		const char *a = or_none(blockinterf_interferer_affinity(it));
		const char *e = or_none(blockinterf_interferer_effective(it));
		bool m = blockinterf_interferer_managed(it);

		if (strcmp(a, aff) || strcmp(e, eff) || m != managed)
			printf("# affinity %s, effective %s, managed %d\n", a, e, m);
		ok(!strcmp(a, aff) && !strcmp(e, eff) && m == managed &&
		   !strcmp(blockinterf_interferer_cpus(it), "3"),
		   "%s: %s: IRQ 51 on 3, affinity %s, effective %s%s", how,
		   what, aff, eff, managed ? ", managed" : "");
	}
	blockinterf_report_unref(r);
	testroot_remove(root);
}

static char *fresh(void)
{
	return testroot_copy("x86-server");
}

/* An affinity file of @len bytes: "7", commas (empty entries), "\n". */
static void long_list(char *root, size_t len)
{
	char *text = malloc(len + 1);

	memset(text, ',', len);
	text[0] = '7';
	text[len - 1] = '\n';
	text[len] = '\0';
	testroot_write(root, "proc/irq/51/effective_affinity_list", text);
	free(text);
}

/* A change to a fresh root: a shell command, $OUT the outside directory. */
struct change {
	const char *sh;
	const char *aff, *eff;	/* IRQ 51's afterwards, as irq51() */
	bool managed;
	const char *what;
};

static const struct change changes[] = {
	{ "true", "3", "3", false, "the plain root" },
	/* links: none is followed below proc/irq (a real one has none) */
	{ "rm -r proc/irq/51 && ln -s $OUT/51 proc/irq/51",
	  "none", "none", false, "proc/irq/51 an absolute link out" },
	{ "rm -r proc/irq/51 && ln -s ../../..$OUT/51 proc/irq/51",
	  "none", "none", false, "proc/irq/51 a relative link out" },
	{ "rm -r proc/irq/51 && cp -r $OUT/51 proc/irq/other && ln -s other proc/irq/51",
	  "none", "none", false, "proc/irq/51 a link inside the root" },
	{ "rm -r proc/irq/51 && ln -s ../irq/42 proc/irq/51",
	  "none", "none", false, "proc/irq/51 a link up and back (../irq/42)" },
	{ "rm proc/irq/51/effective_affinity_list && "
	  "ln -s $OUT/51/effective_affinity_list proc/irq/51/effective_affinity_list",
	  "3", "none", false, "effective_affinity_list a link out" },
	{ "echo 7 >proc/irq/51/e7 && rm proc/irq/51/effective_affinity_list && "
	  "ln -s e7 proc/irq/51/effective_affinity_list",
	  "3", "none", false, "effective_affinity_list a link beside it" },
	/* proc/irq itself is found as any path from the root: inside it */
	{ "rm -r proc/irq && ln -s $OUT proc/irq",
	  "none", "none", false, "proc/irq an absolute link out" },
	/* types */
	{ "rm proc/irq/51/effective_affinity_list && mkdir proc/irq/51/effective_affinity_list",
	  "3", "none", false, "effective_affinity_list a directory" },
	{ "rm -r proc/irq/51 && mkfifo proc/irq/51",
	  "none", "none", false, "proc/irq/51 a FIFO (no hang)" },
	{ "rm -r proc/irq/51 && echo 7 >proc/irq/51",
	  "none", "none", false, "proc/irq/51 a file" },
	{ "rm -r proc/irq && mkfifo proc/irq",
	  "none", "none", false, "proc/irq a FIFO (no hang)" },
	/* modes: the kernel gives smp_affinity and smp_affinity_list one */
	{ "chmod 444 proc/irq/51/smp_affinity_list",
	  "3", "3", true, "smp_affinity_list read-only: managed" },
	/* the mode read with the list is the one taken, no look at the other */
	{ "chmod 444 proc/irq/51/smp_affinity",
	  "3", "3", false, "only smp_affinity read-only: the list's mode is taken" },
	{ "rm proc/irq/51/smp_affinity_list && chmod 444 proc/irq/51/smp_affinity",
	  "none", "3", true, "no smp_affinity_list, smp_affinity read-only: managed" },
	{ "rm proc/irq/51/smp_affinity_list && "
	  "ln -s $OUT/51/smp_affinity_list proc/irq/51/smp_affinity_list",
	  "none", "3", false, "smp_affinity_list a link out to a read-only file" },
	{ "rm proc/irq/51/smp_affinity_list proc/irq/51/smp_affinity && "
	  "ln -s $OUT/51/smp_affinity_list proc/irq/51/smp_affinity",
	  "none", "3", false, "smp_affinity a link out to a read-only file" },
	{ "rm proc/irq/51/smp_affinity_list && mkfifo -m 444 proc/irq/51/smp_affinity_list",
	  "none", "3", false, "smp_affinity_list a read-only FIFO: not its mode" },
	{ "rm proc/irq/51/smp_affinity_list proc/irq/51/smp_affinity && "
	  "mkfifo -m 444 proc/irq/51/smp_affinity",
	  "none", "3", false, "no smp_affinity_list, smp_affinity a read-only FIFO" },
	{ "rm proc/irq/51/smp_affinity_list proc/irq/51/smp_affinity && "
	  "mkdir -m 555 proc/irq/51/smp_affinity",
	  "none", "3", false, "no smp_affinity_list, smp_affinity a read-only directory" },
};

/* Where the error message matters too, and what needs root. */
static void special(void)
{
	char *r;

	r = fresh();
	testroot_sh(r, "rm proc/irq/51/effective_affinity_list && "
		    "mkfifo proc/irq/51/effective_affinity_list");
	irq51(r, "3", "none", false, "effective_affinity_list a FIFO (no hang)");
	ok(strstr(logged, "proc/irq/51/effective_affinity_list is not a regular file") != NULL,
	   "%s: and the error names it (%s)", how, logged);
	r = fresh();
	if (geteuid() == 0) {
		testroot_sh(r, "rm proc/irq/51/effective_affinity_list && "
			    "mknod proc/irq/51/effective_affinity_list c 1 3");
		irq51(r, "3", "none", false, "effective_affinity_list /dev/null's device");
		ok(strstr(logged, "is not a regular file") != NULL,
		   "%s: and the error says so (%s)", how, logged);
	} else {
		testroot_remove(r);
		skip("%s: mknod needs root", how);
		skip("%s: mknod needs root", how);
	}
	/* CPULIST_FILE_MAX is 64 KiB with the terminating NUL */
	r = fresh();
	long_list(r, 65535);
	irq51(r, NULL, NULL, false, "a 65535-byte effective list (7) fits");
	r = fresh();
	long_list(r, 65536);
	irq51(r, "3", "none", false, "a 65536-byte effective list does not (EFBIG)");
}

int main(void)
{
	size_t i;
	int pass;

	/* a FIFO opened blocking would hang: fail instead */
	alarm(120);
	snprintf(outside, sizeof(outside), "/tmp/blockinterf-outside.%d",
		 (int)getpid());
	testroot_sh("/", "mkdir -p %s/51 && cd %s/51 && "
		    "echo 7 >effective_affinity_list && echo 7 >smp_affinity_list && "
		    "echo 80 >smp_affinity && chmod 444 *", outside, outside);
	setenv("OUT", outside, 1);
	for (pass = 0; pass < 2; pass++) {
		bi_no_openat2 = pass == 1;
		how = pass ? "walk" : "openat2";
		for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
			const struct change *c = &changes[i];
			char *r = fresh();

			testroot_sh(r, "%s", c->sh);
			irq51(r, c->aff, c->eff, c->managed, c->what);
		}
		special();
	}
	testroot_sh("/", "rm -rf %s", outside);
	return tap_done();
}
