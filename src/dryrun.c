// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf --dry-run: what would still interrupt the new set */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

/*
 * Exit 5 means there is something to do now: a listed device IRQ that
 * can still be moved off the set.  With --interval too: the tick that
 * nohz_full leaves (1 Hz), IPIs, per-CPU and managed IRQs fire on a
 * tuned box, and what cannot be changed now would make exit 5 forever.
 */
static bool act_now(const struct blockinterf_report *report)
{
	const struct blockinterf_interferer *it = NULL;

	while ((it = blockinterf_report_next(report, it)))
		if (blockinterf_interferer_movable(it))
			return true;
	return false;
}

/* Ctrl-C while counting: nothing printed yet, nothing half printed. */
static void interrupted(int sig)
{
	(void)sig;
	_exit(EXIT_INTERRUPTED);
}

/*
 * --interval waits: a person at a terminal is told for how long, and
 * Ctrl-C ends it with 130 (128 + SIGINT, as a shell reports it), also
 * where SIGINT came in ignored (a background job of a script).
 */
static struct sigaction old_sigint;

static void before_waiting(const struct options *o)
{
	struct sigaction sa = { .sa_handler = interrupted };

	if (!o->interval_arg)
		return;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sigint);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "blockinterf: counting interrupts for %g s; Ctrl-C stops\n",
			o->interval);
}

static void after_waiting(const struct options *o)
{
	if (o->interval_arg)
		sigaction(SIGINT, &old_sigint, NULL);
}

/* What would still interrupt the CPUs of @next, and exit 5 (see act_now()). */
static int dry_run_scan(struct blockinterf_ctx *ctx, const struct options *o,
			const cpu_set_t *next, size_t setsize)
{
	struct output_opts out = {
		.columns = o->output, .all = o->output_all, .json = o->json,
		.raw = o->raw, .noheadings = o->noheadings,
		.rate = o->interval_arg, .sort = o->sort,
	};
	struct blockinterf_report *report;
	unsigned int found;
	char *list;
	bool act;
	int err;

	before_waiting(o);
	err = blockinterf_scan(ctx, next, setsize,
			       (unsigned int)(o->interval * 1000 + 0.5), &report);
	after_waiting(o);
	if (err)
		return fail_errno(err, "cannot list what interrupts those CPUs");
	found = blockinterf_report_count(report);
	act = act_now(report);
	list = o->quiet ? NULL : format_or_fail(next, setsize);
	if (!o->quiet && !list)
		err = -ENOMEM;
	else if (!o->quiet) {
		/*
		 * A heading: with --noheadings only the table's lines go to
		 * stdout, so that "--noheadings -o HINT | sh" runs commands
		 * and nothing else.
		 */
		if (!o->json && !o->raw && !o->noheadings)
			printf("would block: %s\n", human_list(list));
		out.would_block = list;
		err = found || o->json ? output_report(report, &out) : 0;
	}
	free(list);
	blockinterf_report_unref(report);
	if (err)
		return fail(EXIT_FAILURE, "cannot print the table: %s", strerror(-err));
	return act ? EXIT_INTERFERERS : EXIT_SUCCESS;
}

/* --dry-run: the set that --set, --add, --remove or --clear would make. */
static int next_set(struct blockinterf_ctx *ctx, const struct options *o,
		    int supported, cpu_set_t *next, const cpu_set_t *arg,
		    size_t setsize)
{
	unsigned int cpu;
	int err;

	CPU_ZERO_S(setsize, next);
	if (o->clear)
		return 0;
	if (o->set) {
		memcpy(next, arg, setsize);
		return 0;
	}
	/* a kernel without the feature blocks nothing */
	err = supported ? blockinterf_get(ctx, next, setsize) : 0;
	if (err)
		return fail_errno(err, "cannot read the blocked set");
	for (cpu = 0; cpu < setsize * 8; cpu++) {
		if (!CPU_ISSET_S(cpu, setsize, arg))
			continue;
		if (o->add)
			CPU_SET_S(cpu, setsize, next);
		else
			CPU_CLR_S(cpu, setsize, next);
	}
	return 0;
}

int dry_run(struct blockinterf_ctx *ctx, const struct options *o,
		   int supported, const cpu_set_t *arg, size_t setsize)
{
	cpu_set_t *next = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	int ret, err;

	if (!next)
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	/* a plan made for a reboot: said once, on stderr, and it goes on */
	if (!supported)
		fputs("blockinterf: this kernel has no block_interf_cpumask: a plan only, the set taken as empty\n",
		      stderr);
	ret = next_set(ctx, o, supported, next, arg, setsize);
	if (!ret) {
		err = blockinterf_validate(ctx, next, setsize);
		ret = err ? fail_errno(err, "the new set would be refused") :
			    dry_run_scan(ctx, o, next, setsize);
	}
	CPU_FREE(next);
	return ret;
}
