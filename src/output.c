// SPDX-License-Identifier: GPL-2.0-or-later
/* The dry run's table, through libsmartcols as util-linux's lsirq does. */
#include <errno.h>
#include <stdint.h>
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

/* Length of the valid UTF-8 sequence at @s, 0 if it is none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	/* 0x80-0xc1: a continuation byte, or an overlong 2-byte lead */
	n = s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 :
	    s[0] < 0xf5 ? 4 : 0;
	if (!n)
		return 0;
	cp = s[0] & (0x3fu >> (n - 1));
	for (i = 1; i < n; i++) {	/* the NUL ends it: not 10xxxxxx */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;	/* overlong, beyond Unicode, a surrogate */
	return n;
}

/*
 * JSON is UTF-8: a byte that is not (an IRQ name is what a driver
 * passed to request_irq()) becomes "\xff", as the table shows it.
 */
static char *utf8_safe(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char *out = malloc(4 * strlen(str) + 1), *o = out;
	size_t n;

	if (!out)
		return NULL;
	while (*s) {
		n = utf8_len(s);
		if (n) {
			memcpy(o, s, n);
			o += n;
			s += n;
		} else {
			o += sprintf(o, "\\x%02x", *s++);
		}
	}
	*o = '\0';
	return out;
}

/* A string column's text, or NULL when the interferer has none. */
static const char *text(const struct blockinterf_interferer *it, int id)
{
	switch (id) {
	case COL_IRQ:
		return blockinterf_interferer_irq(it);
	case COL_KIND:
		return blockinterf_kind_name(blockinterf_interferer_kind(it));
	case COL_NAME:
		return blockinterf_interferer_name(it);
	case COL_CPUS:
		return blockinterf_interferer_cpus(it);
	case COL_AFFINITY:
		return blockinterf_interferer_affinity(it);
	case COL_EFFECTIVE:
		return blockinterf_interferer_effective(it);
	case COL_HINT:
		return blockinterf_interferer_hint(it);
	}
	return NULL;
}

/*
 * *@data: the cell, malloc'd, or NULL for an empty one (no rate, no
 * affinity).  -ENOMEM must not print as an empty cell.
 */
static int cell(const struct blockinterf_interferer *it, int id, bool json,
		char **data)
{
	const char *s;

	*data = NULL;
	if (id == COL_COUNT)
		return asprintf(data, "%llu", blockinterf_interferer_count(it)) < 0 ?
		       -ENOMEM : 0;
	if (id == COL_RATE) {
		if (blockinterf_interferer_rate(it) < 0)
			return 0;
		return asprintf(data, "%.1f", blockinterf_interferer_rate(it)) < 0 ?
		       -ENOMEM : 0;
	}
	s = text(it, id);
	if (!s)
		return 0;
	*data = json ? utf8_safe(s) : strdup(s);
	return *data ? 0 : -ENOMEM;
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
	/* the JSON's one key: without it, no valid JSON */
	err = scols_table_set_name(tb, "interferers");
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
		for (i = 0; i < n && !err; i++) {
			char *data;

			err = cell(it, ids[i], opts->json, &data);
			if (!err && data && scols_line_refer_data(ln, i, data)) {
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
