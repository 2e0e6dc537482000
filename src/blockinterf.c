// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blockinterf - show or change the CPUs the kernel keeps IPIs,
 * stop_machine and remote work away from.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <popt.h>

#include "blockinterf.h"
#include "exitcodes.h"
#include "output.h"

struct options {
	int get, clear, check, dry_run, quiet, version;
	int json, raw, noheadings, output_all;
	double interval;
	char *set, *add, *remove, *sysroot, *output;
};

/* The library's last error, printed as the one line of the CLI's own. */
static char lib_error[512];

static void capture_log(struct blockinterf_ctx *ctx, int priority,
			const char *file, int line, const char *fn,
			const char *format, va_list args)
{
	size_t len;

	(void)ctx;
	(void)file;
	(void)line;
	(void)fn;
	if (priority > LOG_ERR)
		return;
	vsnprintf(lib_error, sizeof(lib_error), format, args);
	len = strlen(lib_error);
	if (len && lib_error[len - 1] == '\n')
		lib_error[len - 1] = '\0';
}

static int __attribute__((format(printf, 2, 3)))
fail(int code, const char *format, ...)
{
	va_list args;

	fputs("blockinterf: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	fputc('\n', stderr);
	return code;
}

/* Exit code and message for a library error; @what says what was tried. */
static int fail_errno(int err, const char *what)
{
	const char *detail = lib_error[0] ? lib_error : strerror(-err);

	switch (err) {
	case -EOPNOTSUPP:
		return fail(EXIT_NOSUPPORT, "%s: %s; boot a kernel built with CONFIG_BLOCK_INTERF=y",
			    what, detail);
	case -EPERM:
	case -EACCES:
		return fail(EXIT_NOPRIV, "%s: %s; run as root or with CAP_SYS_ADMIN",
			    what, detail);
	default:
		return fail(EXIT_FAILURE, "%s: %s", what, detail);
	}
}

/* "0-14:2" is util-linux's step form; the kernel says "0-14:1/2". */
static const char *step_hint(const char *list, char *buf, size_t size)
{
	const char *colon = strchr(list, ':');
	size_t prefix;
	unsigned int step;
	int used;

	if (!colon || strchr(colon, '/') ||
	    sscanf(colon, ":%u%n", &step, &used) != 1 ||
	    (colon[used] != '\0' && colon[used] != ',' && colon[used] != '\n'))
		return NULL;
	prefix = (size_t)(colon - list);
	snprintf(buf, size, "; a step is written %.*s:1/%u in the kernel's grammar",
		 (int)prefix, list, step);
	return buf;
}

static int parse_list(const char *list, int nr_cpus, cpu_set_t *set,
		      size_t setsize)
{
	char hint[256];
	const char *h;
	int err;

	err = blockinterf_cpulist_parse(list, (unsigned int)nr_cpus, set,
					setsize);
	switch (err) {
	case 0:
		return 0;
	case -ERANGE:
		return fail(EXIT_USAGE, "CPU list '%s' names a CPU that does not exist (CPUs are 0-%d)",
			    list, nr_cpus - 1);
	case -EOVERFLOW:
		return fail(EXIT_USAGE, "CPU list '%s' has a number too large", list);
	default:
		h = step_hint(list, hint, sizeof(hint));
		return fail(EXIT_USAGE, "invalid CPU list '%s'%s", list,
			    h ? h : "; write it like 2-7,9 or 0-15:1/2");
	}
}

static int print_set(const cpu_set_t *set, size_t setsize)
{
	char *list = blockinterf_cpulist_format(set, setsize);

	if (!list)
		return fail(EXIT_FAILURE, "%s", strerror(errno));
	printf("%s\n", list);
	free(list);
	return EXIT_SUCCESS;
}

static int cmd_get(struct blockinterf_ctx *ctx, const struct options *o,
		   cpu_set_t *set, size_t setsize)
{
	int err = blockinterf_get(ctx, set, setsize);

	if (err)
		return fail_errno(err, "cannot read the blocked set");
	return o->quiet ? EXIT_SUCCESS : print_set(set, setsize);
}

static int cmd_check(struct blockinterf_ctx *ctx, const struct options *o,
		     cpu_set_t *set, size_t setsize)
{
	const char *iface, *missing;
	int nr, supported, priv;
	char *online = NULL;

	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return fail_errno(nr, "cannot count the CPUs");
	if (blockinterf_online(ctx, set, setsize) == 0)
		online = blockinterf_cpulist_format(set, setsize);
	supported = blockinterf_supported(ctx);
	iface = blockinterf_interface_name(ctx);
	priv = blockinterf_check_privilege(ctx, &missing);

	if (!o->quiet) {
		printf("CPUs:            0-%d possible, %s online\n", nr - 1,
		       online ? online : "?");
		if (supported > 0)
			printf("kernel support:  yes, through the %s interface\n", iface);
		else
			printf("kernel support:  no; boot a kernel built with CONFIG_BLOCK_INTERF=y\n");
		if (!priv)
			printf("privilege:       yes, CAP_SYS_ADMIN is effective\n");
		else
			printf("privilege:       no, %s is missing: only reading is allowed\n",
			       missing ? missing : "a capability");
		if (supported > 0 && blockinterf_get(ctx, set, setsize) == 0) {
			char *blocked = blockinterf_cpulist_format(set, setsize);

			printf("blocked CPUs:    %s\n",
			       blocked && *blocked ? blocked : "none");
			free(blocked);
		}
	}
	free(online);
	if (supported < 0)
		return fail_errno(supported, "cannot tell kernel support");
	if (supported == 0)
		return EXIT_NOSUPPORT;
	return priv ? EXIT_NOPRIV : EXIT_SUCCESS;
}

/*
 * Exit 5 means there is something to do now: a listed device IRQ that
 * can still be moved off the set, or, with --interval, anything that
 * fired on the set during the interval.  Counts since boot of what
 * cannot be changed now (the tick, IPIs, per-CPU and managed IRQs) are
 * listed but leave the exit at 0.
 */
static bool act_now(const struct blockinterf_report *report)
{
	const struct blockinterf_interferer *it = NULL;
	bool sampled = blockinterf_report_interval(report) > 0;

	while ((it = blockinterf_report_next(report, it)))
		if (blockinterf_interferer_movable(it) ||
		    (sampled && blockinterf_interferer_count(it) > 0))
			return true;
	return false;
}

/* What would still interrupt the CPUs of @next, and exit 5 (see act_now()). */
static int dry_run_scan(struct blockinterf_ctx *ctx, const struct options *o,
			const cpu_set_t *next, size_t setsize)
{
	struct output_opts out = {
		.columns = o->output, .all = o->output_all, .json = o->json,
		.raw = o->raw, .noheadings = o->noheadings,
	};
	struct blockinterf_report *report;
	unsigned int found;
	bool act;
	int err;

	err = blockinterf_scan(ctx, next, setsize,
			       (unsigned int)(o->interval * 1000 + 0.5), &report);
	if (err)
		return fail_errno(err, "cannot list what interrupts those CPUs");
	found = blockinterf_report_count(report);
	act = act_now(report);
	if (!o->quiet) {
		if (!o->json && !o->raw) {
			printf("would block: ");
			print_set(next, setsize);
		}
		err = found || o->json ? output_report(report, &out) : 0;
	}
	blockinterf_report_unref(report);
	if (err)
		return fail(EXIT_FAILURE, "cannot print the table: %s", strerror(-err));
	return act ? EXIT_INTERFERERS : EXIT_SUCCESS;
}

/* The set that --set, --add, --remove or --clear asks for. */
static int next_set(struct blockinterf_ctx *ctx, const struct options *o,
		    int nr, cpu_set_t *next, cpu_set_t *arg, size_t setsize)
{
	const char *list = o->set ? o->set : o->add ? o->add : o->remove;
	int ret, err;

	CPU_ZERO_S(setsize, next);
	if (o->clear)
		return 0;
	ret = parse_list(list, nr, arg, setsize);
	if (ret)
		return ret;
	if (o->set) {
		memcpy(next, arg, setsize);
		return 0;
	}
	err = blockinterf_get(ctx, next, setsize);
	if (err)
		return fail_errno(err, "cannot read the blocked set");
	if (o->add) {
		CPU_OR_S(setsize, next, next, arg);
	} else {	/* next & ~arg */
		CPU_AND_S(setsize, arg, next, arg);
		CPU_XOR_S(setsize, next, next, arg);
	}
	return 0;
}

static int cmd_modify(struct blockinterf_ctx *ctx, const struct options *o,
		      cpu_set_t *next, size_t setsize)
{
	cpu_set_t *arg;
	int nr, ret, err;

	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return fail_errno(nr, "cannot count the CPUs");
	if (blockinterf_supported(ctx) == 0)
		return fail(EXIT_NOSUPPORT, "this kernel has no block_interf_cpumask; boot a kernel built with CONFIG_BLOCK_INTERF=y");

	arg = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	if (!arg)
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	ret = next_set(ctx, o, nr, next, arg, setsize);
	CPU_FREE(arg);
	if (ret)
		return ret;

	if (o->dry_run) {
		err = blockinterf_validate(ctx, next, setsize);
		if (err)
			return fail_errno(err, "the new set would be refused");
		return dry_run_scan(ctx, o, next, setsize);
	}
	err = blockinterf_set(ctx, next, setsize);
	return err ? fail_errno(err, "cannot change the blocked set") : EXIT_SUCCESS;
}

static int parse_options(int argc, const char **argv, struct options *o)
{
	struct poptOption table[] = {
		{ "get", 'g', POPT_ARG_NONE, &o->get, 0,
		  "show the blocked CPUs (the default)", NULL },
		{ "set", 's', POPT_ARG_STRING, &o->set, 0,
		  "block exactly these CPUs", "LIST" },
		{ "add", 'a', POPT_ARG_STRING, &o->add, 0,
		  "block these CPUs too", "LIST" },
		{ "remove", 'r', POPT_ARG_STRING, &o->remove, 0,
		  "unblock these CPUs", "LIST" },
		{ "clear", 'c', POPT_ARG_NONE, &o->clear, 0,
		  "unblock every CPU", NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, &o->dry_run, 0,
		  "with a change: check it and write nothing", NULL },
		{ "check", 0, POPT_ARG_NONE, &o->check, 0,
		  "explain kernel support and privileges", NULL },
		{ "interval", 'i', POPT_ARG_DOUBLE, &o->interval, 0,
		  "dry run: count interrupts during SEC seconds, with rates", "SEC" },
		{ "output", 'o', POPT_ARG_STRING, &o->output, 0,
		  "dry run: columns (IRQ,KIND,NAME,CPUS,COUNT,RATE,AFFINITY,EFFECTIVE,HINT); +COLS adds to the default", "COLS" },
		{ "output-all", 0, POPT_ARG_NONE, &o->output_all, 0,
		  "dry run: all columns", NULL },
		{ "json", 'J', POPT_ARG_NONE, &o->json, 0,
		  "dry run: JSON output", NULL },
		{ "raw", 0, POPT_ARG_NONE, &o->raw, 0,
		  "dry run: raw output", NULL },
		{ "noheadings", 0, POPT_ARG_NONE, &o->noheadings, 0,
		  "dry run: no column headings", NULL },
		{ "sysroot", 0, POPT_ARG_STRING, &o->sysroot, 0,
		  "read proc/ and sys/ under DIR", "DIR" },
		{ "quiet", 'q', POPT_ARG_NONE, &o->quiet, 0,
		  "print nothing on success", NULL },
		{ "version", 'V', POPT_ARG_NONE, &o->version, 0,
		  "print the version", NULL },
		POPT_AUTOHELP
		POPT_TABLEEND
	};
	poptContext pc;
	int rc, changes;

	pc = poptGetContext("blockinterf", argc, argv, table, 0);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		fail(EXIT_USAGE, "%s: %s; see --help", poptBadOption(pc, 0),
		     poptStrerror(rc));
		poptFreeContext(pc);
		return EXIT_USAGE;
	}
	if (poptPeekArg(pc)) {
		fail(EXIT_USAGE, "unexpected argument '%s'; see --help",
		     poptPeekArg(pc));
		poptFreeContext(pc);
		return EXIT_USAGE;
	}
	poptFreeContext(pc);

	changes = !!o->set + !!o->add + !!o->remove + !!o->clear;
	if (changes + o->get + o->check > 1)
		return fail(EXIT_USAGE, "use one of --get, --set, --add, --remove, --clear, --check");
	if (o->dry_run && !changes)
		return fail(EXIT_USAGE, "--dry-run needs --set, --add, --remove or --clear");
	if (!o->dry_run && (o->interval || o->output || o->output_all ||
			    o->json || o->raw || o->noheadings))
		return fail(EXIT_USAGE, "--interval, --output, --json, --raw and --noheadings go with --dry-run");
	if (o->json && o->raw)
		return fail(EXIT_USAGE, "--json and --raw are mutually exclusive");
	if (o->output && o->output_all)
		return fail(EXIT_USAGE, "--output and --output-all are mutually exclusive");
	if (o->interval < 0 || o->interval > 3600)
		return fail(EXIT_USAGE, "--interval takes 0 to 3600 seconds");
	if (o->output) {
		struct output_opts out = { .columns = o->output };

		if (output_check_columns(&out))
			return EXIT_USAGE;
	}
	return 0;
}

static void free_options(struct options *o)
{
	free(o->set);
	free(o->add);
	free(o->remove);
	free(o->sysroot);
	free(o->output);
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
	set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	if (!set) {
		blockinterf_unref(ctx);
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	}
	if (o->check)
		ret = cmd_check(ctx, o, set, setsize);
	else if (o->set || o->add || o->remove || o->clear)
		ret = cmd_modify(ctx, o, set, setsize);
	else
		ret = cmd_get(ctx, o, set, setsize);
	CPU_FREE(set);
	blockinterf_unref(ctx);
	return ret;
}

int main(int argc, const char **argv)
{
	struct options o = { 0 };
	int ret;

	ret = parse_options(argc, argv, &o);
	if (!ret && o.version)
		printf("blockinterf %s\n", PACKAGE_VERSION);
	else if (!ret)
		ret = run(&o);
	free_options(&o);
	if (fflush(stdout) != 0 && !ret)
		ret = fail(EXIT_FAILURE, "write error: %s", strerror(errno));
	return ret;
}
