// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: the cpulist parser.  The first byte picks nr_cpus; whatever
 * it accepts must print back to a list that parses to the same set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockinterf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int widths[] = { 1, 4, 64, 65, 1024, 8192 };
	size_t setsize = CPU_ALLOC_SIZE(BLOCKINTERF_MAX_CPUS);
	cpu_set_t *set, *back;
	unsigned int nr;
	char *list, *text;

	if (!size)
		return 0;
	nr = widths[data[0] % 6];
	text = strndup((const char *)data + 1, size - 1);
	set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	back = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	if (text && set && back && !blockinterf_cpulist_parse(text, nr, set, setsize)) {
		list = blockinterf_cpulist_format(set, setsize);
		if (!list || blockinterf_cpulist_parse(list, nr, back, setsize) ||
		    !CPU_EQUAL_S(setsize, set, back))
			abort();
		free(list);
	}
	free(text);
	CPU_FREE(set);
	CPU_FREE(back);
	return 0;
}
