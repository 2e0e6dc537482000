// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer: the /proc/interrupts parser, with CPUs 0-3, 64 and 8191 as candidates. */
#include <stdint.h>
#include <stdlib.h>

#include "interrupts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int tcpus[] = { 0, 1, 2, 3, 64, 8191 };
	static const struct bi_irq_cpus cpus = { .tcpus = tcpus, .nr_t = 6 };
	struct bi_irq_table t;
	unsigned int line;

	if (!bi_irq_parse((const char *)data, size, &cpus, &t, &line))
		bi_irq_table_free(&t);
	return 0;
}
