/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fixture roots for the tests: a writable copy of tests/roots/NAME. */
#ifndef TESTS_TESTROOT_H
#define TESTS_TESTROOT_H

/* Copies $top_srcdir/tests/roots/@name to a new temporary directory. */
char *testroot_copy(const char *name);
/* Reads @path below @root into a static buffer ("" when missing). */
const char *testroot_read(const char *root, const char *path);
void testroot_write(const char *root, const char *path, const char *text);
void testroot_remove(char *root);
/* Runs a shell command in @root; bails out when it fails. */
void testroot_sh(const char *root, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

#endif
