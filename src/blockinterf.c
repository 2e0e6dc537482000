// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blockinterf - show or change the CPUs the kernel keeps IPIs,
 * stop_machine and remote work away from.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <popt.h>

#include "blockinterf.h"
#include "exitcodes.h"
#include "output.h"

struct options {
	int get, clear, check, dry_run, quiet, version, help, usage;
	int json, raw, noheadings, output_all;
	double interval;
	char *set, *add, *remove, *sysroot, *output, *interval_arg;
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
	/* the first error is the cause; later ones are its consequences */
	if (priority > LOG_ERR || lib_error[0])
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
	case -EPERM:	/* EACCES is a file's mode, not a capability: exit 1 */
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

/* A list as the error message quotes it: at most 40 characters. */
static const char *quoted(const char *list, char *buf, size_t size)
{
	if (strlen(list) <= 40)
		return list;
	snprintf(buf, size, "%.37s...", list);
	return buf;
}

static bool only_blanks(const char *s)
{
	return s[strspn(s, " \t\n")] == '\0';
}

static int parse_list(struct blockinterf_ctx *ctx, const char *opt,
		      const char *list, int nr_cpus, cpu_set_t *set,
		      size_t setsize)
{
	char hint[256], q[48];
	const char *h, *l = quoted(list, q, sizeof(q));
	int err;

	/*
	 * The kernel's grammar ends at a newline: "1\n4-5" would block
	 * CPU 1 alone.  A newline is the end of one list, not a separator.
	 */
	if (strchr(list, '\n') && !only_blanks(strchr(list, '\n')))
		return fail(EXIT_USAGE, "%s: the CPU list goes on after a newline; give it on one line",
			    opt);
	if (!strcmp(list, "isolated")) {
		err = blockinterf_isolated(ctx, set, setsize);
		return err ? fail_errno(err, "cannot read the isolated CPUs") : 0;
	}
	err = blockinterf_cpulist_parse(list, (unsigned int)nr_cpus, set,
					setsize);
	switch (err) {
	case 0:
		break;
	case -ERANGE:
		return fail(EXIT_USAGE, "CPU list '%s' names a CPU that does not exist (CPUs are 0-%d)",
			    l, nr_cpus - 1);
	case -EOVERFLOW:
		return fail(EXIT_USAGE, "CPU list '%s' has a number too large", l);
	default:
		h = step_hint(list, hint, sizeof(hint));
		return fail(EXIT_USAGE, "invalid CPU list '%s'%s", l,
			    h ? h : "; write it like 2-7,9 or 0-15:1/2");
	}
	/* an unset variable in a script must not unblock every CPU */
	if (CPU_COUNT_S(setsize, set) == 0)
		return fail(EXIT_USAGE, "%s '%s' names no CPU; to unblock every CPU, use --clear",
			    opt, l);
	return 0;
}

/* The list of @set, or NULL after saying why (ENOMEM, not "none"). */
static char *format_or_fail(const cpu_set_t *set, size_t setsize)
{
	char *list = blockinterf_cpulist_format(set, setsize);

	if (!list)
		fail(EXIT_FAILURE, "cannot format a CPU list: %s", strerror(errno));
	return list;
}

static int print_set(const cpu_set_t *set, size_t setsize)
{
	char *list = format_or_fail(set, setsize);

	if (!list)
		return EXIT_FAILURE;
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

/* What --check prints, all read before any of it is printed. */
struct check {
	int nr, supported, priv;
	const char *iface, *missing;
	char *online, *blocked;
};

static int check_gather(struct blockinterf_ctx *ctx, const struct options *o,
			cpu_set_t *set, size_t setsize, struct check *c)
{
	int err;

	c->nr = blockinterf_nr_cpus(ctx);
	if (c->nr < 0)
		return fail_errno(c->nr, "cannot count the CPUs");
	err = blockinterf_online(ctx, set, setsize);
	if (err)
		return fail_errno(err, "cannot read the online CPUs");
	c->online = format_or_fail(set, setsize);
	if (!c->online)
		return EXIT_FAILURE;
	c->supported = blockinterf_supported(ctx);
	if (c->supported < 0)
		return fail_errno(c->supported, "cannot tell kernel support");
	c->iface = blockinterf_interface_name(ctx);
	c->priv = blockinterf_check_privilege(ctx, &c->missing);
	/* out of memory is no missing capability */
	if (c->priv && c->priv != -EPERM)
		return fail(EXIT_FAILURE, "cannot check the privileges: %s",
			    strerror(-c->priv));
	if (c->supported == 0 || o->quiet)
		return 0;
	err = blockinterf_get(ctx, set, setsize);
	if (err)
		return fail_errno(err, "cannot read the blocked set");
	c->blocked = format_or_fail(set, setsize);
	return c->blocked ? 0 : EXIT_FAILURE;
}

static void check_print(const struct check *c)
{
	printf("CPUs:            0-%d possible, %s online\n", c->nr - 1,
	       c->online);
	if (c->supported > 0)
		printf("kernel support:  yes, through the %s interface\n", c->iface);
	else
		printf("kernel support:  no; boot a kernel built with CONFIG_BLOCK_INTERF=y\n");
	if (!c->priv)
		printf("privilege:       yes, CAP_SYS_ADMIN is effective\n");
	else
		printf("privilege:       no, %s is missing: only reading is allowed\n",
		       c->missing ? c->missing : "a capability");
	if (c->blocked)
		printf("blocked CPUs:    %s\n", *c->blocked ? c->blocked : "none");
}

static int cmd_check(struct blockinterf_ctx *ctx, const struct options *o,
		     cpu_set_t *set, size_t setsize)
{
	struct check c = { 0 };
	int ret = check_gather(ctx, o, set, setsize, &c);

	if (!ret && !o->quiet)
		check_print(&c);
	free(c.online);
	free(c.blocked);
	if (ret)
		return ret;
	if (c.supported == 0)
		return EXIT_NOSUPPORT;
	return c.priv ? EXIT_NOPRIV : EXIT_SUCCESS;
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
		/*
		 * A heading: with --noheadings only the table's lines go to
		 * stdout, so that "--noheadings -o HINT | sh" runs commands
		 * and nothing else.
		 */
		if (!o->json && !o->raw && !o->noheadings) {
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

static int dry_run(struct blockinterf_ctx *ctx, const struct options *o,
		   int supported, const cpu_set_t *arg, size_t setsize)
{
	cpu_set_t *next = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	int ret, err;

	if (!next)
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	ret = next_set(ctx, o, supported, next, arg, setsize);
	if (!ret) {
		err = blockinterf_validate(ctx, next, setsize);
		ret = err ? fail_errno(err, "the new set would be refused") :
			    dry_run_scan(ctx, o, next, setsize);
	}
	CPU_FREE(next);
	return ret;
}

/*
 * Usage errors (exit 2) come before kernel support (exit 3), and a dry
 * run needs no support: a plan can be checked before rebooting.
 */
static int cmd_modify(struct blockinterf_ctx *ctx, const struct options *o,
		      cpu_set_t *arg, size_t setsize)
{
	const char *list = o->set ? o->set : o->add ? o->add : o->remove;
	const char *opt = o->set ? "--set" : o->add ? "--add" : "--remove";
	int nr, ret, err, supported;

	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return fail_errno(nr, "cannot count the CPUs");
	if (!o->clear) {
		ret = parse_list(ctx, opt, list, nr, arg, setsize);
		if (ret)
			return ret;
	}
	supported = blockinterf_supported(ctx);
	if (supported < 0)
		return fail_errno(supported, "cannot tell kernel support");
	if (o->dry_run)
		return dry_run(ctx, o, supported, arg, setsize);
	if (!supported)
		return fail(EXIT_NOSUPPORT, "this kernel has no block_interf_cpumask; boot a kernel built with CONFIG_BLOCK_INTERF=y");

	if (o->clear)
		err = blockinterf_clear(ctx);
	else if (o->set)
		err = blockinterf_set(ctx, arg, setsize);
	else if (o->add)
		err = blockinterf_add(ctx, arg, setsize);
	else
		err = blockinterf_remove(ctx, arg, setsize);
	return err ? fail_errno(err, "cannot change the blocked set") : EXIT_SUCCESS;
}

/* What --help adds after the options: the dry run's columns. */
static const char help_tail[] =
	"\n"
	"LIST is a CPU list in the kernel's grammar (2-7,9  0-15:1/2  1-N  all),\n"
	"or 'isolated': the CPUs in sys/devices/system/cpu/isolated and\n"
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
	"  HINT       what to do about it\n"
	"\n"
	"Exit status: 0 ok, 1 failure, 2 usage, 3 kernel lacks support,\n"
	"4 CAP_SYS_ADMIN missing, 5 a dry run found something to do now\n"
	"(a movable IRQ listed, or, with --interval, interrupts on the set).\n"
	"\n"
	"See blockinterf(8).\n";

enum { OPT_SET = 1, OPT_ADD, OPT_REMOVE, OPT_SYSROOT, OPT_OUTPUT,
       OPT_INTERVAL, OPT_HELP, OPT_USAGE };

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

	if (changes + o->get + o->check > 1)
		return fail(EXIT_USAGE, "use one of --get, --set, --add, --remove, --clear, --check");
	if (o->dry_run && !changes)
		return fail(EXIT_USAGE, "--dry-run needs --set, --add, --remove or --clear");
	if (!o->dry_run && (o->interval_arg || o->output || o->output_all ||
			    o->json || o->raw || o->noheadings))
		return fail(EXIT_USAGE, "--interval, --output, --output-all, --json, --raw and --noheadings go with --dry-run");
	if (o->json && o->raw)
		return fail(EXIT_USAGE, "--json and --raw are mutually exclusive");
	if (o->output && o->output_all)
		return fail(EXIT_USAGE, "--output and --output-all are mutually exclusive");
	if (o->sysroot && !*o->sysroot)
		return fail(EXIT_USAGE, "--sysroot '' names no directory; leave it out for the running system");
	if (o->interval_arg && parse_interval(o->interval_arg, &o->interval))
		return EXIT_USAGE;
	if (o->output) {
		struct output_opts out = { .columns = o->output };

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
		{ "interval", 'i', POPT_ARG_STRING, NULL, OPT_INTERVAL,
		  "dry run: count interrupts during SEC seconds, with rates", "SEC" },
		{ "output", 'o', POPT_ARG_STRING, NULL, OPT_OUTPUT,
		  "dry run: columns (IRQ,KIND,NAME,CPUS,COUNT,RATE,AFFINITY,EFFECTIVE,HINT); +COLS adds to the default", "COLS" },
		{ "output-all", 0, POPT_ARG_NONE, &o->output_all, 0,
		  "dry run: all columns", NULL },
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
	};
	const char *names[] = {
		[OPT_SET] = "--set", [OPT_ADD] = "--add", [OPT_REMOVE] = "--remove",
		[OPT_SYSROOT] = "--sysroot", [OPT_OUTPUT] = "--output",
		[OPT_INTERVAL] = "--interval",
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
	if (ret < 0)
		ret = EXIT_SUCCESS;	/* --help or --usage */
	else if (!ret && o.version)
		printf("blockinterf %s\n", PACKAGE_VERSION);
	else if (!ret)
		ret = run(&o);
	free_options(&o);
	return close_stdout(ret);
}
