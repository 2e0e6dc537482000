/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/interrupts, parsed for the CPUs of a candidate set only. */
#ifndef LIBBLOCKINTERF_INTERRUPTS_H
#define LIBBLOCKINTERF_INTERRUPTS_H

#include <stdint.h>

#include "libblockinterf-private.h"

/* Bounds that keep a hostile file from costing unbounded memory. */
#define BI_IRQ_MAX_LINE		(1024 * 1024)
#define BI_IRQ_MAX_ROWS		100000

struct bi_irq_row {
	char *name;		/* "24", "LOC", "IPI0" */
	char *desc;		/* the text after the counts, blanks squeezed */
	uint32_t *vals;		/* per CPU of the candidate set */
	uint8_t *seen;		/* that CPU had a column in this read */
};

struct bi_irq_table {
	unsigned int nr_t;	/* CPUs in the candidate set */
	unsigned int *tcpus;	/* their ids, ascending (shared, not owned) */
	struct bi_irq_row *rows;
	unsigned int nr_rows, alloc_rows;
	unsigned int nr_cols;	/* CPU columns of the header */
};

/*
 * Parses the file at @path below the sysroot into @table, keeping the
 * counts of the @nr_t CPUs in @tcpus.  Returns 0 or a negative errno;
 * on -EINVAL, *lineno says where.
 */
int bi_irq_read(struct blockinterf_ctx *ctx, const char *path,
		unsigned int *tcpus, unsigned int nr_t,
		struct bi_irq_table *table, unsigned int *lineno);
/* Parses a buffer; what bi_irq_read() and the fuzzer share. */
int bi_irq_parse(const char *buf, size_t len, unsigned int *tcpus,
		 unsigned int nr_t, struct bi_irq_table *table,
		 unsigned int *lineno);
void bi_irq_table_free(struct bi_irq_table *table);

#endif
