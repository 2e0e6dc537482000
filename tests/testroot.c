// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testroot.h"

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "Bail out! %s failed\n", cmd);
		printf("Bail out! %s failed\n", cmd);
		exit(1);
	}
}

char *testroot_copy(const char *name)
{
	const char *src = getenv("top_srcdir");
	char tmpl[] = "/tmp/blockinterf-root.XXXXXX";
	char *dir, *cmd;

	dir = mkdtemp(tmpl);
	if (!dir || asprintf(&cmd, "'%s/tests/copy-root' '%s/tests/roots/%s' '%s'",
			     src ? src : ".", src ? src : ".", name, dir) < 0)
		exit(1);
	run(cmd);
	free(cmd);
	return strdup(dir);
}

const char *testroot_read(const char *root, const char *path)
{
	static char buf[65536];
	char *full;
	size_t n = 0;
	FILE *f;

	buf[0] = '\0';
	if (asprintf(&full, "%s/%s", root, path) < 0)
		exit(1);
	f = fopen(full, "r");
	free(full);
	if (!f)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

void testroot_write(const char *root, const char *path, const char *text)
{
	char *full;
	FILE *f;

	if (asprintf(&full, "%s/%s", root, path) < 0)
		exit(1);
	f = fopen(full, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", full);
		exit(1);
	}
	free(full);
}

void testroot_remove(char *root)
{
	char *cmd;

	if (asprintf(&cmd, "rm -rf '%s'", root) >= 0)
		run(cmd);
	free(cmd);
	free(root);
}

void testroot_sh(const char *root, const char *format, ...)
{
	char cmd[1024];
	int n;
	va_list args;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", root);
	va_start(args, format);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, format, args);
	va_end(args);
	run(cmd);
}
