/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for the C tests (automake's tap-driver.sh). */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_count, tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
}

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

static inline int __attribute__((format(printf, 2, 3)))
ok(int cond, const char *format, ...)
{
	va_list args;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_count);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static inline void __attribute__((format(printf, 1, 2)))
skip(const char *format, ...)
{
	va_list args;

	printf("ok %d # SKIP ", ++tap_count);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	putchar('\n');
}

static inline void diag(const char *s)
{
	printf("# %s\n", s);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#define is_int(got, want, ...) \
	ok_int_impl((long)(got), (long)(want), __VA_ARGS__)

static inline int __attribute__((format(printf, 3, 4)))
ok_int_impl(long got, long want, const char *format, ...)
{
	char msg[512];
	va_list args;

	va_start(args, format);
	vsnprintf(msg, sizeof(msg), format, args);
	va_end(args);
	if (got != want)
		printf("# got %ld, want %ld\n", got, want);
	return ok(got == want, "%s", msg);
}

#endif
