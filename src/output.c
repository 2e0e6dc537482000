// SPDX-License-Identifier: GPL-2.0-or-later
/* The dry run's table, through libsmartcols as util-linux's lsirq does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "output.h"

enum { COL_IRQ, COL_KIND, COL_NAME, COL_CPUS, COL_COUNT, COL_RATE,
       COL_AFFINITY, COL_EFFECTIVE, COL_HINT, NR_COLS };

static const struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json_type;
} infos[NR_COLS] = {
	[COL_IRQ]	= { "IRQ", 4, SCOLS_FL_RIGHT, SCOLS_JSON_STRING },
	[COL_KIND]	= { "KIND", 5, 0, SCOLS_JSON_STRING },
	[COL_NAME]	= { "NAME", 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_CPUS]	= { "CPUS", 0.1, 0, SCOLS_JSON_STRING },
	[COL_COUNT]	= { "COUNT", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_RATE]	= { "RATE", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_AFFINITY]	= { "AFFINITY", 0.1, 0, SCOLS_JSON_STRING },
	[COL_EFFECTIVE]	= { "EFFECTIVE", 0.1, 0, SCOLS_JSON_STRING },
	[COL_HINT]	= { "HINT", 0.3, 0, SCOLS_JSON_STRING },
};

/*
 * CPUS last: a list of hundreds of CPUs in any other column pads every
 * row to its width (libsmartcols does not narrow columns off a terminal).
 */
#define DEFAULT_COLUMNS		"IRQ,KIND,COUNT,NAME,HINT,CPUS"
#define DEFAULT_COLUMNS_RATE	"IRQ,KIND,COUNT,RATE,NAME,HINT,CPUS"
#define ALL_COLUMNS		"IRQ,KIND,NAME,CPUS,COUNT,RATE,AFFINITY,EFFECTIVE,HINT"
/* A column may be asked for twice, as util-linux tools allow. */
#define MAX_COLUMNS		32

static int column_id(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NR_COLS; i++)
		if (strlen(infos[i].name) == len && !strncasecmp(infos[i].name, name, len))
			return i;
	return -1;
}

/* Splits "A,B,C" into ids after the @n already in @ids; the count or -EINVAL. */
static int split_columns(const char *list, int *ids, int n)
{
	while (*list) {
		size_t len = strcspn(list, ",");
		int id = column_id(list, len);

		if (id < 0) {
			fprintf(stderr, "blockinterf: unknown column '%.*s'; columns are IRQ, KIND, NAME, CPUS, COUNT, RATE, AFFINITY, EFFECTIVE, HINT\n",
				(int)len, list);
			return -EINVAL;
		}
		if (n == MAX_COLUMNS) {
			fprintf(stderr, "blockinterf: too many columns in --output (at most %d)\n",
				MAX_COLUMNS);
			return -EINVAL;
		}
		ids[n++] = id;
		list += len;
		if (*list == ',')
			list++;
	}
	return n;
}

/* --output LIST, --output +LIST (the default and more), --output-all. */
static int parse_columns(const struct output_opts *opts, bool rate, int *ids)
{
	const char *list = opts->columns;
	int n = 0;

	if (opts->all)
		return split_columns(ALL_COLUMNS, ids, 0);
	if (!list || *list == '+') {
		n = split_columns(rate ? DEFAULT_COLUMNS_RATE : DEFAULT_COLUMNS, ids, 0);
		list = list ? list + 1 : "";
	}
	if (opts->columns && !*list) {
		fputs("blockinterf: --output needs a column name; see --help\n", stderr);
		return -EINVAL;
	}
	return split_columns(list, ids, n);
}

int output_check_columns(const struct output_opts *opts)
{
	int ids[MAX_COLUMNS];

	return parse_columns(opts, false, ids) < 0 ? -EINVAL : 0;
}

static char *cell(const struct blockinterf_interferer *it, int id)
{
	const char *s = NULL;
	char *out = NULL;

	switch (id) {
	case COL_IRQ:
		s = blockinterf_interferer_irq(it);
		break;
	case COL_KIND:
		s = blockinterf_kind_name(blockinterf_interferer_kind(it));
		break;
	case COL_NAME:
		s = blockinterf_interferer_name(it);
		break;
	case COL_CPUS:
		s = blockinterf_interferer_cpus(it);
		break;
	case COL_COUNT:
		if (asprintf(&out, "%llu", blockinterf_interferer_count(it)) < 0)
			out = NULL;
		return out;
	case COL_RATE:
		if (blockinterf_interferer_rate(it) < 0)
			return NULL;
		if (asprintf(&out, "%.1f", blockinterf_interferer_rate(it)) < 0)
			out = NULL;
		return out;
	case COL_AFFINITY:
		s = blockinterf_interferer_affinity(it);
		break;
	case COL_EFFECTIVE:
		s = blockinterf_interferer_effective(it);
		break;
	case COL_HINT:
		s = blockinterf_interferer_hint(it);
		break;
	}
	return s ? strdup(s) : NULL;
}

int output_report(const struct blockinterf_report *report,
		  const struct output_opts *opts)
{
	const struct blockinterf_interferer *it = NULL;
	struct libscols_table *tb;
	int ids[MAX_COLUMNS], n, i, err = 0;

	n = parse_columns(opts, blockinterf_report_interval(report) > 0, ids);
	if (n < 0)
		return n;

	scols_init_debug(0);
	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	scols_table_set_name(tb, "interferers");
	scols_table_enable_json(tb, opts->json);
	scols_table_enable_raw(tb, opts->raw);
	scols_table_enable_noheadings(tb, opts->noheadings);
	for (i = 0; i < n && !err; i++) {
		const struct colinfo *ci = &infos[ids[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, ci->name, ci->whint, ci->flags);
		if (!cl)
			err = -ENOMEM;
		else
			scols_column_set_json_type(cl, ci->json_type);
	}
	while (!err && (it = blockinterf_report_next(report, it))) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln) {
			err = -ENOMEM;
			break;
		}
		for (i = 0; i < n; i++) {
			char *data = cell(it, ids[i]);

			if (data && scols_line_refer_data(ln, i, data)) {
				free(data);
				err = -ENOMEM;
			}
		}
	}
	if (!err)
		err = scols_print_table(tb);
	scols_unref_table(tb);
	return err;
}
