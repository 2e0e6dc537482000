// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf(8): messages, and CPU lists as the user gives them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"

/* The library's last error, printed as the one line of the CLI's own. */
static char lib_error[512];

void capture_log(struct blockinterf_ctx *ctx, int priority,
			const char *file, int line, const char *fn,
			const char *format, va_list args)
{
	size_t len;

	(void)ctx;
	(void)file;
	(void)line;
	/* asked for with BLOCKINTERF_LOG: the library filtered by priority */
	if (priority > LOG_ERR) {
		fprintf(stderr, "blockinterf: %s: %s: ", priority >= LOG_DEBUG ? "debug" : "info", fn);
		vfprintf(stderr, format, args);
		return;
	}
	/* the first error is the cause; later ones are its consequences */
	if (lib_error[0])
		return;
	vsnprintf(lib_error, sizeof(lib_error), format, args);
	len = strlen(lib_error);
	if (len && lib_error[len - 1] == '\n')
		lib_error[len - 1] = '\0';
}

/*
 * BLOCKINTERF_LOG as the library reads it (err, info, debug or 0-7); the
 * library takes anything else for "err", the command says it is wrong.
 */
int check_log_env(void)
{
	const char *s = getenv("BLOCKINTERF_LOG");
	char *end;
	long prio;

	if (!s || !*s || !strncmp(s, "err", 3) || !strncmp(s, "info", 4) ||
	    !strncmp(s, "debug", 5))
		return 0;
	prio = strtol(s, &end, 10);
	if (!*end && prio >= 0 && prio <= LOG_DEBUG)
		return 0;
	return fail(EXIT_USAGE, "BLOCKINTERF_LOG='%s': give err, info, debug or 0-7", s);
}

int fail(int code, const char *format, ...)
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
int fail_errno(int err, const char *what)
{
	const char *detail = lib_error[0] ? lib_error : strerror(-err);

	switch (err) {
	case -EOPNOTSUPP:
		return fail(EXIT_NOSUPPORT, "%s: %s; boot a kernel built with CONFIG_BLOCK_INTERF=y, or one with the BPF LSM active",
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

int parse_list(struct blockinterf_ctx *ctx, const char *opt,
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
char *format_or_fail(const cpu_set_t *set, size_t setsize)
{
	char *list = blockinterf_cpulist_format(set, setsize);

	if (!list)
		fail(EXIT_FAILURE, "cannot format a CPU list: %s", strerror(errno));
	return list;
}

/*
 * A list as a person reads it: an empty set is "none".  Where a program
 * reads a CPU list (--get, JSON) it stays empty, as in the kernel's files.
 */
const char *human_list(const char *list)
{
	return *list ? list : "none";
}

int print_set(const cpu_set_t *set, size_t setsize)
{
	char *list = format_or_fail(set, setsize);

	if (!list)
		return EXIT_FAILURE;
	printf("%s\n", list);
	free(list);
	return EXIT_SUCCESS;
}
