// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/floor FILE DIR: the least any dry run must do, as a floor for
 * bench/run.  Reads FILE (a /proc/interrupts) and, for each row named
 * by a number N, reads DIR/N/effective_affinity_list: open, read,
 * close, no parsing beyond the row names and no output.  Built by
 * bench/run; not installed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void read_affinity(int dir, const char *irq, size_t len)
{
	char path[64], buf[256];
	int fd;

	if (len > 20)
		return;
	snprintf(path, sizeof(path), "%.*s/effective_affinity_list", (int)len, irq);
	fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf)) < 0)
			perror(path);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	size_t len = 0, keep;
	int fd, dir;
	ssize_t n;

	if (argc != 3)
		return 2;
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	dir = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || dir < 0)
		return 1;
	/* rows start "  N:": only the start of each line is looked at */
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0) {
		char *p = buf, *end = buf + len + n, *eol;

		while ((eol = memchr(p, '\n', (size_t)(end - p)))) {
			char *q = p + strspn(p, " "), *d = q + strspn(q, "0123456789");

			if (d > q && *d == ':')
				read_affinity(dir, q, (size_t)(d - q));
			p = eol + 1;
		}
		keep = (size_t)(end - p);
		/* a line longer than the buffer: only its start matters */
		memmove(buf, p, keep < 64 ? keep : 64);
		len = keep < 64 ? keep : 64;
	}
	return n < 0;
}
