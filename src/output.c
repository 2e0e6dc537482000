// SPDX-License-Identifier: GPL-2.0-or-later
/* The dry run's table, through libsmartcols as util-linux's lsirq does. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "output.h"

enum { COL_IRQ, COL_KIND, COL_NAME, COL_CPUS, COL_COUNT, COL_RATE,
       COL_AFFINITY, COL_EFFECTIVE, COL_HINT, COL_MOVABLE, COL_MANAGED,
       NR_COLS };

static const struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json_type;
} infos[NR_COLS] = {
	[COL_IRQ]	= { "IRQ", 4, SCOLS_FL_RIGHT, SCOLS_JSON_STRING },
	[COL_KIND]	= { "KIND", 5, 0, SCOLS_JSON_STRING },
	/*
	 * On a terminal too narrow, the NAME says what the row is: it
	 * stays whole, the lists of CPUs are cut and the hint wraps.
	 */
	[COL_NAME]	= { "NAME", 0.3, SCOLS_FL_WRAP, SCOLS_JSON_STRING },
	[COL_CPUS]	= { "CPUS", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_COUNT]	= { "COUNT", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_RATE]	= { "RATE", 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COL_AFFINITY]	= { "AFFINITY", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_EFFECTIVE]	= { "EFFECTIVE", 0.1, SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	[COL_HINT]	= { "HINT", 0.3, SCOLS_FL_WRAP, SCOLS_JSON_STRING },
	[COL_MOVABLE]	= { "MOVABLE", 3, 0, SCOLS_JSON_BOOLEAN },
	[COL_MANAGED]	= { "MANAGED", 3, 0, SCOLS_JSON_BOOLEAN },
};

/*
 * CPUS last: a list of hundreds of CPUs in any other column pads every
 * row to its width (libsmartcols does not narrow columns off a terminal).
 */
#define DEFAULT_COLUMNS		"IRQ,KIND,COUNT,NAME,HINT,CPUS"
#define DEFAULT_COLUMNS_RATE	"IRQ,KIND,COUNT,RATE,NAME,HINT,CPUS"
/* what a program reading the JSON decides on, without parsing a hint */
#define JSON_FLAGS		"MOVABLE,MANAGED"
#define ALL_COLUMNS		"IRQ,KIND,NAME,CPUS,COUNT,AFFINITY,EFFECTIVE,MOVABLE,MANAGED,HINT"
#define ALL_COLUMNS_RATE	"IRQ,KIND,NAME,CPUS,COUNT,RATE,AFFINITY,EFFECTIVE,MOVABLE,MANAGED,HINT"
#define COLUMN_NAMES		"IRQ, KIND, NAME, CPUS, COUNT, RATE, AFFINITY, EFFECTIVE, MOVABLE, MANAGED, HINT"
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
			fprintf(stderr, "blockinterf: unknown column '%.*s'; columns are " COLUMN_NAMES "\n",
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

/* The default columns: JSON adds the flags a program decides on. */
static int default_columns(const struct output_opts *opts, int *ids)
{
	int n = split_columns(opts->rate ? DEFAULT_COLUMNS_RATE : DEFAULT_COLUMNS,
			      ids, 0);

	return n < 0 || !opts->json ? n : split_columns(JSON_FLAGS, ids, n);
}

/* RATE is known only with --interval: no column of blank cells. */
static int check_rate(const struct output_opts *opts, const int *ids, int n)
{
	int i;

	for (i = 0; i < n && !opts->rate; i++)
		if (ids[i] == COL_RATE) {
			fputs("blockinterf: the RATE column needs --interval\n", stderr);
			return -EINVAL;
		}
	return n;
}

/* --output LIST, --output +LIST (the default and more), --output-all. */
static int parse_columns(const struct output_opts *opts, int *ids)
{
	const char *list = opts->columns;
	int n = 0;

	if (opts->all)
		return split_columns(opts->rate ? ALL_COLUMNS_RATE : ALL_COLUMNS,
				     ids, 0);
	if (!list || *list == '+') {
		n = default_columns(opts, ids);
		list = list ? list + 1 : "";
	}
	if (opts->columns && !*list) {
		fputs("blockinterf: --output needs a column name; see --help\n", stderr);
		return -EINVAL;
	}
	n = n < 0 ? n : split_columns(list, ids, n);
	return n < 0 ? n : check_rate(opts, ids, n);
}

int output_check_columns(const struct output_opts *opts)
{
	int ids[MAX_COLUMNS];

	if (opts->sort && column_id(opts->sort, strlen(opts->sort)) < 0) {
		fprintf(stderr, "blockinterf: --sort: unknown column '%s'; columns are " COLUMN_NAMES "\n",
			opts->sort);
		return -EINVAL;
	}
	if (opts->sort && column_id(opts->sort, strlen(opts->sort)) == COL_RATE &&
	    !opts->rate) {
		fputs("blockinterf: --sort RATE needs --interval\n", stderr);
		return -EINVAL;
	}
	return parse_columns(opts, ids) < 0 ? -EINVAL : 0;
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
	if (id == COL_MOVABLE || id == COL_MANAGED)
		s = (id == COL_MOVABLE ? blockinterf_interferer_movable(it) :
		     blockinterf_interferer_managed(it)) ? "yes" : "no";
	else
		s = text(it, id);
	if (!s)
		return 0;
	*data = json ? utf8_safe(s) : strdup(s);
	return *data ? 0 : -ENOMEM;
}

/* --- order ------------------------------------------------------- */

struct row {
	const struct blockinterf_interferer *it;
	unsigned int pos;	/* in the report: ties keep it */
};

/* What can be done now first, then what needs a boot parameter, then the rest. */
static int rank(const struct blockinterf_interferer *it)
{
	if (blockinterf_interferer_movable(it))
		return 0;
	return blockinterf_interferer_managed(it) ? 1 : 2;
}

static int cmp_desc(double a, double b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

/* IRQ numbers in numeric order, before names (LOC, CAL, IPI0). */
static int cmp_irq(const char *a, const char *b)
{
	bool na = isdigit((unsigned char)*a), nb = isdigit((unsigned char)*b);

	if (na && nb)
		return cmp_desc(strtod(b, NULL), strtod(a, NULL));
	if (na != nb)
		return na ? -1 : 1;
	return strcmp(a, b);
}

static int sort_id = -1;	/* --sort, or -1: by rank() */

static int cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	const char *x, *y;
	int c;

	switch (sort_id) {
	case -1:
		c = rank(a->it) - rank(b->it);
		if (!c)
			c = cmp_desc((double)blockinterf_interferer_count(a->it),
				     (double)blockinterf_interferer_count(b->it));
		break;
	case COL_COUNT:
		c = cmp_desc((double)blockinterf_interferer_count(a->it),
			     (double)blockinterf_interferer_count(b->it));
		break;
	case COL_RATE:
		c = cmp_desc(blockinterf_interferer_rate(a->it),
			     blockinterf_interferer_rate(b->it));
		break;
	case COL_MOVABLE:
	case COL_MANAGED:
		c = rank(a->it) - rank(b->it);
		break;
	case COL_IRQ:
		c = cmp_irq(blockinterf_interferer_irq(a->it),
			    blockinterf_interferer_irq(b->it));
		break;
	default:
		x = text(a->it, sort_id);
		y = text(b->it, sort_id);
		c = strcmp(x ? x : "", y ? y : "");
	}
	return c ? c : a->pos < b->pos ? -1 : 1;
}

/* The report's rows in the order they print, or NULL. */
static struct row *sorted_rows(const struct blockinterf_report *report,
			       const struct output_opts *opts, unsigned int *nr)
{
	const struct blockinterf_interferer *it = NULL;
	unsigned int n = blockinterf_report_count(report);
	struct row *rows = calloc(n ? n : 1, sizeof(*rows));

	*nr = 0;
	if (!rows)
		return NULL;
	while ((it = blockinterf_report_next(report, it)) && *nr < n) {
		rows[*nr].it = it;
		rows[*nr].pos = *nr;
		(*nr)++;
	}
	sort_id = opts->sort ? column_id(opts->sort, strlen(opts->sort)) : -1;
	qsort(rows, *nr, sizeof(*rows), cmp_rows);
	return rows;
}

/* --- the table ----------------------------------------------------- */

/*
 * Wrapped cells break between words, as a reader and a copy-paste of a
 * hint want them: the narrowest such column is its longest word.
 */
static size_t longest_word(const struct libscols_column *cl, const char *data,
			   void *userdata)
{
	size_t max = 0, len;

	(void)cl;
	(void)userdata;
	while (data && *data) {
		len = strcspn(data, " ");
		if (len > max)
			max = len;
		data += len;
		data += strspn(data, " ");
	}
	return max;
}

/* Ends the line of @data at the last blank that fits; the next line, or NULL. */
static char *next_words(const struct libscols_column *cl, char *data,
			void *userdata)
{
	size_t width = scols_column_get_width(cl), cut = 0, i;

	(void)userdata;
	if (!data || strlen(data) <= width)
		return NULL;
	for (i = 0; i <= width; i++)
		if (data[i] == ' ')
			cut = i;
	if (!cut)
		cut = strcspn(data, " ");
	if (!data[cut])
		return NULL;
	data[cut] = '\0';
	return data + cut + 1;
}

/* Columns wrap only on a terminal too narrow for the table: see wrap_if_wide(). */
static int add_columns(struct libscols_table *tb, const int *ids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct colinfo *ci = &infos[ids[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, ci->name, ci->whint,
					    ci->flags & ~SCOLS_FL_WRAP);
		if (!cl)
			return -ENOMEM;
		scols_column_set_json_type(cl, ci->json_type);
		if ((ci->flags & SCOLS_FL_WRAP) &&
		    scols_column_set_wrapfunc(cl, longest_word, next_words, NULL))
			return -ENOMEM;
	}
	return 0;
}

static int add_line(struct libscols_table *tb, const struct blockinterf_interferer *it,
		    const int *ids, int n, bool json)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	int i, err = 0;

	if (!ln)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++) {
		char *data;

		err = cell(it, ids[i], json, &data);
		if (!err && data && scols_line_refer_data(ln, i, data)) {
			free(data);
			err = -ENOMEM;
		}
	}
	return err;
}

static size_t term_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	return env && atoi(env) > 0 ? (size_t)atoi(env) : 80;
}

/*
 * On a terminal narrower than the table, NAME and HINT wrap between
 * words.  Only then: libsmartcols gives a wrapped column its longest
 * word even where the whole text would fit, and a pipe gets one line a
 * row (libsmartcols narrows nothing there).
 */
static void wrap_if_wide(struct libscols_table *tb, const int *ids, int n)
{
	struct libscols_iter *itr;
	struct libscols_line *ln;
	size_t width = 0, max;
	int i;

	if (!isatty(STDOUT_FILENO) || !(itr = scols_new_iter(SCOLS_ITER_FORWARD)))
		return;
	for (i = 0; i < n; i++) {
		const char *d;

		max = strlen(infos[ids[i]].name);
		scols_reset_iter(itr, SCOLS_ITER_FORWARD);
		/* a column that is cut (CPUS) narrows without wrapping */
		while (!(infos[ids[i]].flags & SCOLS_FL_TRUNC) &&
		       scols_table_next_line(tb, itr, &ln) == 0) {
			d = scols_cell_get_data(scols_line_get_cell(ln, i));
			if (d && strlen(d) > max)
				max = strlen(d);
		}
		width += max + 1;
	}
	scols_free_iter(itr);
	for (i = 0; i < n && width > term_width(); i++)
		if (infos[ids[i]].flags & SCOLS_FL_WRAP)
			scols_column_set_flags(scols_table_get_column(tb, (size_t)i),
					       infos[ids[i]].flags);
}

/*
 * libsmartcols prints one table under one key: the set the rows are
 * about goes before it, as "would-block", in the same object.
 */
static int print_json(struct libscols_table *tb, const char *would_block)
{
	char *doc = NULL;
	int err = scols_print_table_to_string(tb, &doc);

	if (!err && doc && doc[0] == '{' && doc[1] == '\n')
		printf("{\n   \"would-block\": \"%s\",\n%s", would_block, doc + 2);
	else if (!err)
		err = doc ? -EIO : -ENOMEM;
	free(doc);
	return err;
}

/*
 * --raw as libsmartcols prints it (one line a row, cells split by one
 * blank, what is not printable as \xNN), but a hint keeps its blanks:
 * it is a command, and the last column in every default list.
 * libsmartcols 2.38 escapes every blank of a raw cell.
 */
static void raw_cell(const char *data, bool blanks)
{
	const unsigned char *s = (const unsigned char *)(data ? data : "");
	size_t n;

	while (*s) {
		n = utf8_len(s);
		if (n > 1 || (n == 1 && *s > ' ' && *s != 0x7f && *s != '\\') ||
		    (*s == ' ' && blanks)) {
			fwrite(s, 1, n, stdout);
			s += n;
		} else {
			printf("\\x%02x", *s++);
		}
	}
}

static int print_raw(struct libscols_table *tb, const int *ids, int n, bool headings)
{
	struct libscols_line *ln;
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	int i;

	if (!itr)
		return -ENOMEM;
	for (i = 0; headings && i < n; i++)
		printf("%s%s", i ? " " : "", infos[ids[i]].name);
	if (headings)
		putchar('\n');
	while (scols_table_next_line(tb, itr, &ln) == 0) {
		for (i = 0; i < n; i++) {
			if (i)
				putchar(' ');
			raw_cell(scols_cell_get_data(scols_line_get_cell(ln, i)),
				 ids[i] == COL_HINT);
		}
		putchar('\n');
	}
	scols_free_iter(itr);
	return 0;
}

static int print_table(struct libscols_table *tb, const struct output_opts *opts,
		       const int *ids, int n)
{
	if (opts->raw)
		return print_raw(tb, ids, n, !opts->noheadings);
	if (opts->json)
		return print_json(tb, opts->would_block ? opts->would_block : "");
	return scols_print_table(tb);
}

/* What a reader gets first: how much of the table can be acted on now. */
static void print_summary(const struct row *rows, unsigned int nr)
{
	unsigned int i, movable = 0, managed = 0;

	for (i = 0; i < nr; i++) {
		movable += blockinterf_interferer_movable(rows[i].it);
		managed += blockinterf_interferer_managed(rows[i].it);
	}
	printf("%u movable, %u managed, %u per-CPU or fixed sources\n",
	       movable, managed, nr - movable - managed);
}

int output_report(const struct blockinterf_report *report,
		  const struct output_opts *opts)
{
	struct libscols_table *tb;
	struct row *rows;
	unsigned int nr, r;
	int ids[MAX_COLUMNS], n, err;

	n = parse_columns(opts, ids);
	if (n < 0)
		return n;
	rows = sorted_rows(report, opts, &nr);
	if (!rows)
		return -ENOMEM;
	scols_init_debug(0);
	tb = scols_new_table();
	/* the JSON's one key: without it, no valid JSON */
	err = tb ? scols_table_set_name(tb, "interferers") : -ENOMEM;
	if (!err) {
		scols_table_enable_json(tb, opts->json);
		scols_table_enable_raw(tb, opts->raw);
		scols_table_enable_noheadings(tb, opts->noheadings);
		err = add_columns(tb, ids, n);
	}
	for (r = 0; r < nr && !err; r++)
		err = add_line(tb, rows[r].it, ids, n, opts->json);
	if (!err && !opts->json && !opts->raw)
		wrap_if_wide(tb, ids, n);
	if (!err)
		err = print_table(tb, opts, ids, n);
	/* not where scripts parse: --json, --raw, --noheadings */
	if (!err && !opts->json && !opts->raw && !opts->noheadings)
		print_summary(rows, nr);
	scols_unref_table(tb);
	free(rows);
	return err;
}
