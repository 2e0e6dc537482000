// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: the /proc/interrupts parser, three ways on every input:
 *  - bi_irq_parse() with the fixed-width fast path;
 *  - bi_irq_parse() word by word: when every header column is a
 *    candidate (so the fast path checks every count), both must agree;
 *  - bi_irq_read() from a file with a first buffer of 1 to 64 bytes, so
 *    lines straddle reads: it must agree with bi_irq_parse() always.
 *  - with sums_only, each row's sum and hits must be what the
 *    full table's counts give.
 * Candidates are CPUs 0-63 and 8191; CPUs 0-7 are present.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interrupts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_row(const struct bi_irq_row *a, const struct bi_irq_row *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->desc, b->desc) &&
	       a->nr_vals == b->nr_vals && a->layout == b->layout &&
	       a->nr_hits == b->nr_hits &&
	       (!a->nr_hits ||
		(!memcmp(a->hits, b->hits, a->nr_hits * sizeof(*a->hits)) &&
		 !memcmp(a->vals, b->vals, a->nr_hits * sizeof(*a->vals))));
}

static void same(int e1, const struct bi_irq_table *a, int e2,
		 const struct bi_irq_table *b, const char *what)
{
	unsigned int i;

	if (e1 != e2) {
		fprintf(stderr, "%s: %d against %d\n", what, e1, e2);
		abort();
	}
	if (e1)
		return;
	if (a->nr_rows != b->nr_rows || a->nr_cols != b->nr_cols)
		abort();
	for (i = 0; i < a->nr_rows; i++)
		if (!same_row(&a->rows[i], &b->rows[i])) {
			fprintf(stderr, "%s: row %u differs\n", what, i);
			abort();
		}
}

/* The sums-only table against the full one. */
static void same_sums(const struct bi_irq_table *full, const struct bi_irq_table *sums)
{
	unsigned int i, c;

	if (full->nr_rows != sums->nr_rows)
		abort();
	for (i = 0; i < full->nr_rows; i++) {
		const struct bi_irq_row *a = &full->rows[i], *b = &sums->rows[i];
		uint64_t sum = 0;
		unsigned int h = 0;

		if (strcmp(a->name, b->name) || strcmp(a->desc, b->desc) ||
		    a->nr_vals != b->nr_vals || a->layout != b->layout)
			abort();
		for (c = 0; c < a->nr_hits; c++) {
			if (!a->vals[c])
				continue;
			sum += a->vals[c];
			if (h >= b->nr_hits || b->hits[h++] != a->hits[c])
				abort();	/* not the same candidates, in order */
		}
		if (sum != b->sum || h != b->nr_hits)
			abort();
	}
}

static struct blockinterf_ctx *ctx;
static char root[] = "/tmp/fuzz-interrupts.XXXXXX";

/* libFuzzer leaves through exit(): remove the scratch root then. */
static void remove_root(void)
{
	char path[sizeof(root) + 32];

	snprintf(path, sizeof(path), "%s/proc/interrupts", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
	blockinterf_unref(ctx);
}

static int read_file(const uint8_t *data, size_t size, const struct bi_irq_cpus *cpus,
		     struct bi_irq_table *t)
{
	char path[sizeof(root) + 32];
	unsigned int line;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/interrupts", root);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	bi_irq_read_size = 1 + (size ? data[size / 2] % 64 : 0);
	return bi_irq_read(ctx, "proc/interrupts", cpus, t, &line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int tcpus[65], present[8];
	static struct bi_irq_cpus cpus = {
		.tcpus = tcpus, .nr_t = 65, .present = present, .nr_present = 8,
	};
	struct bi_irq_cpus sums_cpus;
	struct bi_irq_table fast, slow, rd, sums;
	unsigned int line, i;
	int ef, es, er, eu;

	if (!ctx) {
		char dir[sizeof(root) + 8];

		for (i = 0; i < 64; i++)
			tcpus[i] = i;
		tcpus[64] = 8191;
		for (i = 0; i < 8; i++)
			present[i] = i;
		if (!mkdtemp(root))
			abort();
		snprintf(dir, sizeof(dir), "%s/proc", root);
		if (mkdir(dir, 0755) || blockinterf_new(&ctx, root))
			abort();
		atexit(remove_root);
	}
	bi_irq_fast = true;
	ef = bi_irq_parse((const char *)data, size, &cpus, &fast, &line);
	bi_irq_fast = false;
	es = bi_irq_parse((const char *)data, size, &cpus, &slow, &line);
	bi_irq_fast = true;
	er = read_file(data, size, &cpus, &rd);
	if (!ef && fast.nr_tcols == fast.nr_cols)
		same(ef, &fast, es, &slow, "fast path against word by word");
	same(ef, &fast, er, &rd, "bi_irq_read against bi_irq_parse");
	sums_cpus = cpus;
	sums_cpus.sums_only = true;
	eu = bi_irq_parse((const char *)data, size, &sums_cpus, &sums, &line);
	if (eu != ef)
		abort();
	if (!eu) {
		same_sums(&fast, &sums);
		bi_irq_table_free(&sums);
	}
	if (!ef)
		bi_irq_table_free(&fast);
	if (!es)
		bi_irq_table_free(&slow);
	if (!er)
		bi_irq_table_free(&rd);
	return 0;
}
