/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/interrupts, parsed for the CPUs of a candidate set only. */
#ifndef LIBBLOCKINTERF_INTERRUPTS_H
#define LIBBLOCKINTERF_INTERRUPTS_H

#include <stdint.h>

#include "libblockinterf-private.h"

/* Bounds that keep a hostile file from costing unbounded memory. */
#define BI_IRQ_MAX_LINE		(1024 * 1024)
#define BI_IRQ_MAX_ROWS		100000	/* lines, blank ones included */

/* The CPUs a parse is about. */
struct bi_irq_cpus {
	const unsigned int *tcpus;	/* the candidate set, ascending */
	unsigned int nr_t;
	/*
	 * The present CPUs, ascending, or NULL: old ARM kernels print the
	 * IPI and LOC rows with one count per present CPU while the header
	 * has one column per online CPU.
	 */
	const unsigned int *present;
	unsigned int nr_present;
	/*
	 * Keep only each row's sum over the candidates and which of them
	 * counted (sum, hits) instead of every count (hits, vals): memory
	 * of the counts that are not 0 rather than of every count read,
	 * for a single read.
	 */
	bool sums_only;
};

enum bi_row_layout {
	BI_ROW_COLUMNS = 0,	/* counts map to the header's columns */
	BI_ROW_GLOBAL,		/* one count on a multi-column machine: ERR, MIS */
	BI_ROW_PRESENT,		/* one count per present CPU (old ARM) */
	BI_ROW_MISMATCH,	/* more counts than columns, not attributable */
};

struct bi_irq_row {
	char *name;		/* "24", "LOC", "IPI0" */
	char *desc;		/* the text after the counts, blanks squeezed */
	/*
	 * The candidates whose count this read had, ascending, by index in
	 * the candidate set; sums_only: only those whose count is not 0.
	 * As many as the file holds: rows x candidates would be 1.6 GB
	 * for 20,000 rows and 8192 candidates, of a 230 KB file.
	 */
	unsigned int *hits;
	unsigned int nr_hits, alloc_hits;
	uint32_t *vals;		/* not sums_only: the count of each of hits[] */
	uint64_t sum;		/* sums_only: the counts of the candidates */
	unsigned int nr_vals;	/* counts the row has */
	enum bi_row_layout layout;
};

struct bi_irq_table {
	unsigned int nr_t;	/* CPUs in the candidate set */
	const unsigned int *tcpus; /* their ids, ascending (shared, not owned) */
	struct bi_irq_row *rows;
	unsigned int nr_rows, alloc_rows;
	unsigned int nr_cols;	/* CPU columns of the header */
	unsigned int nr_tcols;	/* of which candidate CPUs */
	bool sums_only;		/* rows have sum and hits, no vals */
};

/*
 * For the tests and the fuzzer: the first read buffer of bi_irq_read()
 * (it grows to fit a line), and whether the fixed-width fast path is
 * used.  Not to be changed while a parse runs.
 */
extern size_t bi_irq_read_size;
extern bool bi_irq_fast;

/*
 * Parses the file at @path below the sysroot into @table, keeping the
 * counts of the candidate CPUs of @cpus.  Returns 0 or a negative errno;
 * on -EINVAL or -E2BIG, *lineno says where.
 */
int bi_irq_read(struct blockinterf_ctx *ctx, const char *path,
		const struct bi_irq_cpus *cpus, struct bi_irq_table *table,
		unsigned int *lineno);
/* Parses a buffer; what bi_irq_read() and the fuzzer share. */
int bi_irq_parse(const char *buf, size_t len, const struct bi_irq_cpus *cpus,
		 struct bi_irq_table *table, unsigned int *lineno);
void bi_irq_table_free(struct bi_irq_table *table);

#endif
