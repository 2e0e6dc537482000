/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BLOCKINTERF_OUTPUT_H
#define BLOCKINTERF_OUTPUT_H

#include <stdbool.h>

#include "blockinterf.h"

struct output_opts {
	const char *columns;	/* --output, NULL for the default; "+A,B" adds */
	bool all;		/* --output-all */
	bool json, raw, noheadings;
	bool rate;		/* --interval: the RATE column exists */
	const char *sort;	/* --sort COL, NULL for most important first */
	const char *would_block;	/* the set, for the JSON */
};

/* Checks the --output list; 0, or -EINVAL after saying what is wrong. */
int output_check_columns(const struct output_opts *opts);
/* Prints the report as the "interferers" table; 0 or a negative errno. */
int output_report(const struct blockinterf_report *report,
		  const struct output_opts *opts);

#endif
