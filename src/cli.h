/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the modes of blockinterf(8) share: options, messages, CPU lists. */
#ifndef BLOCKINTERF_CLI_H
#define BLOCKINTERF_CLI_H

#include <stdarg.h>
#include <stdbool.h>

#include "blockinterf.h"
#include "exitcodes.h"

struct options {
	int get, clear, check, dry_run, quiet, version, help, usage, unload;
	int json, raw, noheadings, output_all;
	double interval;
	char *set, *add, *remove, *sysroot, *output, *interval_arg, *sort;
	char *backend;
};

/* cli.c: messages and CPU lists */
void capture_log(struct blockinterf_ctx *ctx, int priority, const char *file,
		 int line, const char *fn, const char *format, va_list args);
int fail(int code, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
int fail_errno(int err, const char *what);
int check_log_env(void);
int parse_list(struct blockinterf_ctx *ctx, const char *opt, const char *list,
	       int nr_cpus, cpu_set_t *set, size_t setsize);
char *format_or_fail(const cpu_set_t *set, size_t setsize);
int print_set(const cpu_set_t *set, size_t setsize);
const char *human_list(const char *list);

/* One function a mode; each returns the exit code. */
int cmd_get(struct blockinterf_ctx *ctx, const struct options *o,
	    cpu_set_t *set, size_t setsize);
int cmd_modify(struct blockinterf_ctx *ctx, const struct options *o,
	       cpu_set_t *arg, size_t setsize);
int cmd_unload(struct blockinterf_ctx *ctx);
int cmd_check(struct blockinterf_ctx *ctx, const struct options *o,
	      cpu_set_t *set, size_t setsize);
int dry_run(struct blockinterf_ctx *ctx, const struct options *o,
	    int supported, const cpu_set_t *arg, size_t setsize);

#endif
