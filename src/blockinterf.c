// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blockinterf - show or change the CPUs the kernel keeps IPIs,
 * stop_machine and remote work away from.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <popt.h>

#include "cli.h"
#include "output.h"

/* What --help adds after the options: the dry run's columns. */
static const char help_tail[] =
	"\n"
	"LIST is a CPU list in the kernel's grammar (2-7,9  0-15:1/2  1-N  all),\n"
	"or 'isolated': the CPUs in /sys/devices/system/cpu/isolated and\n"
	"nohz_full and the cgroup root's cpuset.cpus.isolated.\n"
	"\n"
	"Dry-run columns (--output):\n"
	"  IRQ        the /proc/interrupts row: a number, LOC, CAL, IPI0, ...\n"
	"  KIND       irq, ipi or other\n"
	"  NAME       the row's description\n"
	"  CPUS       the CPUs of the new set it hits\n"
	"  COUNT      interrupts on those CPUs (since boot, or in the interval)\n"
	"  RATE       per second, with --interval\n"
	"  AFFINITY   the IRQ's smp_affinity_list\n"
	"  EFFECTIVE  the IRQ's effective_affinity_list\n"
	"  MOVABLE    yes: the hint is a command that moves it now\n"
	"  MANAGED    yes: a managed IRQ (isolcpus=managed_irq)\n"
	"  HINT       what to do about it\n"
	"\n"
	"Exit status: 0 ok, 1 failure, 2 usage, 3 kernel lacks support,\n"
	"4 CAP_SYS_ADMIN missing, 5 a dry run listed an IRQ that can be moved\n"
	"off the set now (with --interval too: what cannot be changed now,\n"
	"the tick, IPIs, managed IRQs, never makes 5).\n"
	"\n"
	"See blockinterf(8).\n";

enum { OPT_SET = 1, OPT_ADD, OPT_REMOVE, OPT_SYSROOT, OPT_OUTPUT,
       OPT_INTERVAL, OPT_SORT, OPT_HELP, OPT_USAGE, OPT_BACKEND };

/* A string option given once; a second one is a usage error. */
static int take_arg(poptContext pc, char **dst, const char *name)
{
	char *arg = poptGetOptArg(pc);

	/* popt makes every string option's argument, "" included, a copy */
	if (!arg)
		return fail(EXIT_FAILURE, "%s: %s", name, strerror(ENOMEM));
	if (*dst) {
		free(arg);
		return fail(EXIT_USAGE, "%s given twice; give it once", name);
	}
	*dst = arg;
	return 0;
}

/* 1 ms to an hour; "", nan, inf and what rounds to 0 ms are refused. */
static int parse_interval(const char *arg, double *sec)
{
	char *end;

	errno = 0;
	*sec = strtod(arg, &end);
	if (end == arg || *end || errno || !isfinite(*sec) ||
	    *sec < 0.001 || *sec > 3600)
		return fail(EXIT_USAGE, "--interval '%s': give 0.001 to 3600 seconds", arg);
	return 0;
}

static int check_options(struct options *o)
{
	int changes = !!o->set + !!o->add + !!o->remove + !!o->clear;

	if (changes + o->get + o->check + o->unload > 1)
		return fail(EXIT_USAGE, "use one of --get, --set, --add, --remove, --clear, --check, --unload");
	if (o->backend && strcmp(o->backend, "kernel") && strcmp(o->backend, "bpf"))
		return fail(EXIT_USAGE, "--backend '%s': give kernel or bpf", o->backend);
	if (o->dry_run && !changes)
		return fail(EXIT_USAGE, "--dry-run needs --set, --add, --remove or --clear");
	if (!o->dry_run && (o->interval_arg || o->output || o->output_all ||
			    o->json || o->raw || o->noheadings || o->sort))
		return fail(EXIT_USAGE, "--interval, --output, --output-all, --sort, --json, --raw and --noheadings go with --dry-run");
	if (o->json && o->raw)
		return fail(EXIT_USAGE, "--json and --raw are mutually exclusive");
	if (o->output && o->output_all)
		return fail(EXIT_USAGE, "--output and --output-all are mutually exclusive");
	if (o->sysroot && !*o->sysroot)
		return fail(EXIT_USAGE, "--sysroot '' names no directory; leave it out for the running system");
	if (o->interval_arg && parse_interval(o->interval_arg, &o->interval))
		return EXIT_USAGE;
	if (o->dry_run) {
		struct output_opts out = {
			.columns = o->output, .all = o->output_all,
			.json = o->json, .rate = o->interval_arg, .sort = o->sort,
		};

		if (output_check_columns(&out))
			return EXIT_USAGE;
	}
	return 0;
}

static int parse_options(int argc, const char **argv, struct options *o)
{
	struct poptOption table[] = {
		{ "get", 'g', POPT_ARG_NONE, &o->get, 0,
		  "show the blocked CPUs (the default)", NULL },
		{ "set", 's', POPT_ARG_STRING, NULL, OPT_SET,
		  "block exactly these CPUs", "LIST" },
		{ "add", 'a', POPT_ARG_STRING, NULL, OPT_ADD,
		  "block these CPUs too", "LIST" },
		{ "remove", 'r', POPT_ARG_STRING, NULL, OPT_REMOVE,
		  "unblock these CPUs", "LIST" },
		{ "clear", 'c', POPT_ARG_NONE, &o->clear, 0,
		  "unblock every CPU", NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, &o->dry_run, 0,
		  "with a change: check it and write nothing", NULL },
		{ "check", 0, POPT_ARG_NONE, &o->check, 0,
		  "explain kernel support and privileges", NULL },
		{ "backend", 0, POPT_ARG_STRING, NULL, OPT_BACKEND,
		  "use this backend only: kernel (the series) or bpf (the BPF LSM)", "NAME" },
		{ "unload", 0, POPT_ARG_NONE, &o->unload, 0,
		  "detach the BPF LSM policy (no CPU may be blocked)", NULL },
		{ "interval", 'i', POPT_ARG_STRING, NULL, OPT_INTERVAL,
		  "dry run: count interrupts during SEC seconds, with rates", "SEC" },
		{ "output", 'o', POPT_ARG_STRING, NULL, OPT_OUTPUT,
		  "dry run: columns (below); +COLS adds to the default", "COLS" },
		{ "output-all", 0, POPT_ARG_NONE, &o->output_all, 0,
		  "dry run: all columns", NULL },
		{ "sort", 0, POPT_ARG_STRING, NULL, OPT_SORT,
		  "dry run: sort by COL (default: what can be moved now first)", "COL" },
		{ "json", 'J', POPT_ARG_NONE, &o->json, 0,
		  "dry run: JSON output", NULL },
		{ "raw", 0, POPT_ARG_NONE, &o->raw, 0,
		  "dry run: raw output", NULL },
		{ "noheadings", 0, POPT_ARG_NONE, &o->noheadings, 0,
		  "dry run: no column headings", NULL },
		{ "sysroot", 0, POPT_ARG_STRING, NULL, OPT_SYSROOT,
		  "read proc/ and sys/ under DIR", "DIR" },
		{ "quiet", 'q', POPT_ARG_NONE, &o->quiet, 0,
		  "print nothing on success", NULL },
		{ "version", 'V', POPT_ARG_NONE, &o->version, 0,
		  "print the version", NULL },
		{ "help", 'h', POPT_ARG_NONE, NULL, OPT_HELP,
		  "show this help (also -?)", NULL },
		{ NULL, '?', POPT_ARG_NONE | POPT_ARGFLAG_DOC_HIDDEN, NULL,
		  OPT_HELP, NULL, NULL },
		{ "usage", 0, POPT_ARG_NONE, NULL, OPT_USAGE,
		  "show a short usage message", NULL },
		POPT_TABLEEND
	};
	poptContext pc;
	int rc, ret = 0;

	char **strings[] = {
		[OPT_SET] = &o->set, [OPT_ADD] = &o->add,
		[OPT_REMOVE] = &o->remove, [OPT_SYSROOT] = &o->sysroot,
		[OPT_OUTPUT] = &o->output, [OPT_INTERVAL] = &o->interval_arg,
		[OPT_SORT] = &o->sort,
		[OPT_BACKEND] = &o->backend,
	};
	const char *names[] = {
		[OPT_SET] = "--set", [OPT_ADD] = "--add", [OPT_REMOVE] = "--remove",
		[OPT_SYSROOT] = "--sysroot", [OPT_OUTPUT] = "--output",
		[OPT_INTERVAL] = "--interval", [OPT_SORT] = "--sort",
		[OPT_BACKEND] = "--backend",
	};

	pc = poptGetContext("blockinterf", argc, argv, table, 0);
	/* without it every option would be lost: --get on the host */
	if (!pc)
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	while (!ret && (rc = poptGetNextOpt(pc)) > 0) {
		if (rc == OPT_HELP)
			o->help = 1;
		else if (rc == OPT_USAGE)
			o->usage = 1;
		else
			ret = take_arg(pc, strings[rc], names[rc]);
	}
	if (!ret && rc < -1)
		ret = fail(EXIT_USAGE, "%s: %s; see --help", poptBadOption(pc, 0),
			   poptStrerror(rc));
	if (!ret && poptPeekArg(pc))
		ret = fail(EXIT_USAGE, "unexpected argument '%s'; see --help",
			   poptPeekArg(pc));
	if (!ret && (o->help || o->usage)) {
		if (o->help) {
			poptPrintHelp(pc, stdout, 0);
			fputs(help_tail, stdout);
		} else {
			poptPrintUsage(pc, stdout, 0);
		}
		ret = -1;	/* done, exit 0 */
	}
	poptFreeContext(pc);
	return ret ? ret : check_options(o);
}

static void free_options(struct options *o)
{
	free(o->set);
	free(o->add);
	free(o->remove);
	free(o->sysroot);
	free(o->output);
	free(o->interval_arg);
	free(o->sort);
	free(o->backend);
}

static int run(const struct options *o)
{
	struct blockinterf_ctx *ctx;
	size_t setsize = CPU_ALLOC_SIZE(BLOCKINTERF_MAX_CPUS);
	cpu_set_t *set;
	int err, ret;

	err = blockinterf_new(&ctx, o->sysroot);
	if (err)
		return fail(EXIT_FAILURE, "cannot use sysroot '%s': %s",
			    o->sysroot, strerror(-err));
	blockinterf_set_log_fn(ctx, capture_log);
	err = o->backend ? blockinterf_set_backend(ctx, o->backend) : 0;
	if (err) {
		blockinterf_unref(ctx);
		return fail(EXIT_USAGE, "--backend '%s': %s", o->backend, strerror(-err));
	}
	set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	if (!set) {
		blockinterf_unref(ctx);
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	}
	if (o->check)
		ret = cmd_check(ctx, o, set, setsize);
	else if (o->unload)
		ret = cmd_unload(ctx);
	else if (o->set || o->add || o->remove || o->clear)
		ret = cmd_modify(ctx, o, set, setsize);	/* set: the argument */
	else
		ret = cmd_get(ctx, o, set, setsize);
	CPU_FREE(set);
	blockinterf_unref(ctx);
	return ret;
}

/*
 * Like util-linux's close_stdout(): a lost line is a failure, but a
 * closed stdout that nothing was written to is not (--quiet >&-).
 */
static int close_stdout(int ret)
{
	bool pending = __fpending(stdout) != 0;
	int err = 0;

	if (ferror(stdout))
		err = EIO;
	if (fclose(stdout) != 0 && !err && (pending || errno != EBADF))
		err = errno;
	if (!err)
		return ret;
	fail(EXIT_FAILURE, "write error: %s", strerror(err));
	return ret == EXIT_SUCCESS || ret == EXIT_INTERFERERS ? EXIT_FAILURE : ret;
}

/*
 * Made set-user-ID or set-group-ID by an admin, the command would let
 * every user change the mask, and --sysroot read any file: it is not
 * written for that.  Grant CAP_SYS_ADMIN to who should have it instead.
 */
static int refuse_setid(void)
{
	if (getuid() == geteuid() && getgid() == getegid())
		return 0;
	return fail(EXIT_FAILURE, "refusing to run set-user-ID or set-group-ID (real and effective ids differ); give CAP_SYS_ADMIN to who may change the mask instead");
}

int main(int argc, const char **argv)
{
	struct options o = { 0 };
	int ret;

	if (refuse_setid())
		return EXIT_FAILURE;
	ret = parse_options(argc, argv, &o);
	if (!ret)
		ret = check_log_env();
	if (ret < 0)
		ret = EXIT_SUCCESS;	/* --help or --usage */
	else if (!ret && o.version)
		printf("blockinterf %s\n", PACKAGE_VERSION);
	else if (!ret)
		ret = run(&o);
	free_options(&o);
	return close_stdout(ret);
}
