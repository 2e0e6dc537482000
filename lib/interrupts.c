// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /proc/interrupts as real kernels print it:
 *
 *            CPU0       CPU2       CPU3          <- online CPUs only
 *   24:         1          0          5  IO-APIC   5-edge      ACPI:Ged
 *  LOC:    123456     654321     111111   Local timer interrupts
 *  ERR:         0                             <- one global value
 * IPI0:        12         34         56       Rescheduling interrupts
 *
 * Columns are mapped to CPUs through the header, never by position.
 * Only the counts of the candidate CPUs are kept, so the cost is one
 * pass over the text and memory is rows x candidate CPUs, or, for a
 * single read (sums only), the counts that are not 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupts.h"

size_t bi_irq_read_size = 256 * 1024;
bool bi_irq_fast = true;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/*
 * The counts are printed "%10u ": mostly spaces.  Skipping them eight at
 * a time, and finding the first non-space of a word with one count of
 * trailing zero bits, is what keeps a 1024-CPU file cheap.
 */
static const char *skip_spaces_fast(const char *p, const char *end)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	static const uint64_t spaces = 0x2020202020202020ULL;
	uint64_t w;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		w ^= spaces;	/* zero bytes where the spaces are */
		if (w) {
			p += __builtin_ctzll(w) / 8;
			break;
		}
		p += 8;
	}
#endif
	while (is_blank(*p))	/* stops at the '\n' sentinel at end */
		p++;
	return p;
}

static bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* Column -> candidate index (or -1) for CPUs @cpu[0..n), ascending. */
static int map_columns(const unsigned int *cpu, unsigned int n,
		       const unsigned int *tcpus, unsigned int nr_t, int *map)
{
	unsigned int c, t = 0, k = 0;

	for (c = 0; c < n; c++) {
		while (t < nr_t && tcpus[t] < cpu[c])
			t++;
		map[c] = t < nr_t && tcpus[t] == cpu[c] ? (int)t : -1;
		k += map[c] >= 0;
	}
	return (int)k;
}

/* The header: "CPU0 CPU2 ..." into the CPU numbers of the columns. */
static int parse_header(const char *p, const char *end, unsigned int **cpusp,
			unsigned int *nr_cols)
{
	unsigned int alloc = 0, n = 0, *cpus = NULL;
	long last = -1;

	for (p = skip_blanks(p, end); p < end; p = skip_blanks(p, end)) {
		unsigned long cpu = 0;
		const char *q = p + 3;

		if (end - p < 4 || memcmp(p, "CPU", 3) || !is_digit(q[0]))
			goto einval;
		for (; q < end && is_digit(*q); q++) {
			cpu = cpu * 10 + (unsigned long)(*q - '0');
			if (cpu >= BLOCKINTERF_MAX_CPUS)
				goto einval;
		}
		if (q < end && !is_blank(*q))
			goto einval;
		if ((long)cpu <= last)	/* the kernel prints them ascending */
			goto einval;
		last = (long)cpu;
		if (n == alloc) {
			unsigned int *m;

			alloc = alloc ? alloc * 2 : 64;
			m = realloc(cpus, alloc * sizeof(*cpus));
			if (!m) {
				free(cpus);
				return -ENOMEM;
			}
			cpus = m;
		}
		cpus[n++] = (unsigned int)cpu;
		p = q;
	}
	if (!n)
		goto einval;
	*cpusp = cpus;
	*nr_cols = n;
	return 0;
einval:
	free(cpus);
	return -EINVAL;
}

static char *squeeze(const char *p, const char *end)
{
	char *s = malloc((size_t)(end - p) + 1), *o = s;

	if (!s)
		return NULL;
	p = skip_blanks(p, end);
	while (p < end) {
		if (is_blank(*p)) {
			p = skip_blanks(p, end);
			if (p < end)
				*o++ = ' ';
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return s;
}

static struct bi_irq_row *new_row(struct bi_irq_table *t)
{
	struct bi_irq_row *row;

	if (t->nr_rows >= BI_IRQ_MAX_ROWS)
		return NULL;
	if (t->nr_rows == t->alloc_rows) {
		unsigned int alloc = t->alloc_rows ? t->alloc_rows * 2 : 64;
		struct bi_irq_row *r;

		r = realloc(t->rows, alloc * sizeof(*r));
		if (!r)
			return NULL;
		t->rows = r;
		t->alloc_rows = alloc;
	}
	row = &t->rows[t->nr_rows];
	memset(row, 0, sizeof(*row));	/* hits and vals grow in put() */
	t->nr_rows++;
	return row;
}

/* Parser state across lines; lines may come from a stream. */
struct parser {
	struct bi_irq_table *t;
	const struct bi_irq_cpus *cpus;
	int *colmap;		/* header column -> candidate index, or -1 */
	unsigned int *tcols;	/* the columns of candidate CPUs */
	unsigned int nr_tcols;
	int *pmap;		/* present CPU -> candidate index, or -1 */
	unsigned int lineno;
};

/* Room for one more hit (and its count, unless sums_only). */
static int grow_hits(const struct bi_irq_table *t, struct bi_irq_row *row)
{
	unsigned int alloc = row->alloc_hits ? 2 * row->alloc_hits : 4;
	unsigned int *h;
	uint32_t *v;

	h = realloc(row->hits, alloc * sizeof(*h));
	if (!h)
		return -ENOMEM;
	row->hits = h;
	if (!t->sums_only) {
		v = realloc(row->vals, alloc * sizeof(*v));
		if (!v)
			return -ENOMEM;	/* hits[] is larger: no matter */
		row->vals = v;
	}
	row->alloc_hits = alloc;
	return 0;
}

/*
 * Keeps count @v of candidate @idx; a row's candidates come in
 * ascending order.  0 or -ENOMEM.
 */
static int put(const struct bi_irq_table *t, struct bi_irq_row *row,
	       unsigned int idx, uint32_t v)
{
	if (t->sums_only && !v)
		return 0;
	if (row->nr_hits == row->alloc_hits && grow_hits(t, row))
		return -ENOMEM;
	if (t->sums_only)
		row->sum += v;
	else
		row->vals[row->nr_hits] = v;
	row->hits[row->nr_hits++] = idx;
	return 0;
}

static void clear_counts(struct bi_irq_row *row)
{
	row->sum = 0;
	row->nr_hits = 0;
}

/*
 * The slow path: counts as blank-separated words, for rows that are not
 * in the kernel's fixed width (counts glued to the colon, short rows,
 * old kernels).  Reads at most @nr counts into @map's candidates; sets
 * *descp where the description starts.  Returns the counts read or
 * -EINVAL.  The row ends at '\n' (see parse_line()): it stops the loops.
 */
static int parse_words(const struct bi_irq_table *t, const char *p,
		       const char *end, const int *map, unsigned int nr,
		       struct bi_irq_row *row, const char **descp)
{
	unsigned int col;

	for (col = 0; col < nr; col++) {
		const char *q = skip_spaces_fast(p, end);
		uint64_t v = 0;

		if (!is_digit(*q))
			break;		/* a short row: the description starts */
		for (p = q; is_digit(*p) && p - q <= 10; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		if (p < end && !is_blank(*p)) {
			p = q;		/* "5-edge": text, not a count */
			break;
		}
		if (v > UINT32_MAX)	/* the kernel prints %10u */
			return -EINVAL;
		if (map && map[col] >= 0 && put(t, row, (unsigned int)map[col], (uint32_t)v))
			return -ENOMEM;
	}
	*descp = p;
	return (int)col;
}

/*
 * One "%10u" field: its leading spaces skipped a word at a time (most
 * counts are short, many are 0), then its digits.  False when a byte
 * after the spaces is not a digit.
 */
static bool field_value(const char *q, uint64_t *vp)
{
	unsigned int i = 0;
	uint64_t v = 0;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	memcpy(&w, q, 8);
	w ^= 0x2020202020202020ULL;	/* zero bytes where the spaces are */
	if (!w && q[8] == ' ' && is_digit(q[9])) {
		*vp = (uint64_t)(q[9] - '0');	/* one digit: most counts */
		return true;
	}
	i = w ? (unsigned int)__builtin_ctzll(w) / 8 : 8;
#endif
	while (i < 9 && q[i] == ' ')
		i++;
	for (; i < 10; i++) {
		if (!is_digit(q[i]))
			return false;
		v = v * 10 + (uint64_t)(q[i] - '0');
	}
	*vp = v;
	return true;
}

/* " %10u" of 0, 64 times: rows are mostly zeros on large machines */
#define ZERO_FIELD	"          0"
#define ZERO_FIELDS_4	ZERO_FIELD ZERO_FIELD ZERO_FIELD ZERO_FIELD
#define ZERO_FIELDS_16	ZERO_FIELDS_4 ZERO_FIELDS_4 ZERO_FIELDS_4 ZERO_FIELDS_4
#define ZERO_CHUNK	64
static const char zero_fields[] =
	ZERO_FIELDS_16 ZERO_FIELDS_16 ZERO_FIELDS_16 ZERO_FIELDS_16;

/* Field @f (its separator, then "%10u") is a count the kernel can print. */
static bool field_ok(const char *f)
{
	return f[0] == ' ' && is_digit(f[10]) &&
	       (f[1] == ' ' || memcmp(f + 1, "4294967295", 10) <= 0);
}

/*
 * The fast path: the kernel prints each count as " %10u", so column k
 * of the row is the 11 bytes at colon + 1 + 11 k.  Every column is
 * checked for its separator and last digit (64 zeros at once, with one
 * memcmp, when only sums are kept: a zero adds nothing); the candidate
 * columns are read.  The byte after the last column must end the
 * counts.  Anything else goes to parse_words(), and what was kept here
 * is cleared by the caller.
 */
static bool parse_fixed(const struct parser *ps, const char *colon,
			const char *end, struct bi_irq_row *row)
{
	unsigned int nr_cols = ps->t->nr_cols, col, n, k = 0;
	const char *base = colon + 1;
	uint64_t v;

	if ((size_t)(end - base) < 11 * (size_t)nr_cols ||
	    (base + 11 * (size_t)nr_cols < end && !is_blank(base[11 * (size_t)nr_cols])))
		return false;
	for (col = 0; col < nr_cols; col += n) {
		const char *f = base + 11 * (size_t)col;
		unsigned int c;

		n = nr_cols - col < ZERO_CHUNK ? nr_cols - col : ZERO_CHUNK;
		if (ps->t->sums_only && !memcmp(f, zero_fields, 11 * (size_t)n)) {
			while (k < ps->nr_tcols && ps->tcols[k] < col + n)
				k++;
			continue;
		}
		for (c = 0; c < n; c++)
			if (!field_ok(f + 11 * (size_t)c))
				return false;	/* the slow path says what is wrong */
		for (; k < ps->nr_tcols && ps->tcols[k] < col + n; k++) {
			/* field_ok() saw it is at most UINT32_MAX */
			if (!field_value(base + 11 * (size_t)ps->tcols[k] + 1, &v))
				return false;
			if (put(ps->t, row, (unsigned int)ps->colmap[ps->tcols[k]], (uint32_t)v))
				return false;	/* the slow path meets it too */
		}
	}
	row->nr_vals = nr_cols;
	return true;
}

/* Counts beyond the header's columns: old ARM, or not kernel output. */
static int parse_extra(struct parser *ps, const char *colon, const char *end,
		       struct bi_irq_row *row, const char **descp)
{
	const char *q;
	int extra = parse_words(ps->t, *descp, end, NULL, UINT32_MAX, row, &q);
	int err;

	if (extra <= 0)
		return extra;
	if (ps->pmap && row->nr_vals + (unsigned int)extra == ps->cpus->nr_present) {
		clear_counts(row);
		/* the same counts again: only -ENOMEM can fail now */
		err = parse_words(ps->t, colon + 1, end, ps->pmap, ps->cpus->nr_present,
				  row, descp);
		if (err < 0)
			return err;
		row->layout = BI_ROW_PRESENT;
	} else {
		row->layout = BI_ROW_MISMATCH;
		*descp = q;	/* keep the numbers out of the description */
	}
	row->nr_vals += (unsigned int)extra;
	return 0;
}

/* One row: "NAME: n n n description". */
static int parse_row(struct parser *ps, const char *p, const char *end)
{
	struct bi_irq_table *t = ps->t;
	const char *colon, *name, *desc;
	struct bi_irq_row *row;
	int n;

	name = skip_blanks(p, end);
	colon = memchr(name, ':', (size_t)(end - name));
	if (!colon || colon == name || memchr(name, ' ', (size_t)(colon - name)) ||
	    memchr(name, '\t', (size_t)(colon - name)))
		return -EINVAL;

	row = new_row(t);
	if (!row)
		return t->nr_rows >= BI_IRQ_MAX_ROWS ? -E2BIG : -ENOMEM;
	row->name = strndup(name, (size_t)(colon - name));
	if (!row->name)
		return -ENOMEM;

	if (bi_irq_fast && parse_fixed(ps, colon, end, row)) {
		desc = colon + 1 + 11 * (size_t)t->nr_cols;
	} else {
		clear_counts(row);	/* what a failed fast path kept */
		n = parse_words(t, colon + 1, end, ps->colmap, t->nr_cols, row, &desc);
		if (n < 0)
			return n;
		row->nr_vals = (unsigned int)n;
		if (n == 1 && t->nr_cols > 1)
			row->layout = BI_ROW_GLOBAL;
	}
	if (row->nr_vals == t->nr_cols) {
		n = parse_extra(ps, colon, end, row, &desc);
		if (n < 0)
			return n;
	}
	row->desc = squeeze(desc, end);
	return row->desc ? 0 : -ENOMEM;
}

void bi_irq_table_free(struct bi_irq_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_rows; i++) {
		free(t->rows[i].name);
		free(t->rows[i].desc);
		free(t->rows[i].vals);
		free(t->rows[i].hits);
	}
	free(t->rows);
	t->rows = NULL;
	t->nr_rows = t->alloc_rows = 0;
}

/* After the header: the column maps. */
static int start_columns(struct parser *ps, unsigned int *cpus)
{
	const struct bi_irq_cpus *c = ps->cpus;
	unsigned int nr_cols = ps->t->nr_cols, col;
	int k;

	ps->colmap = malloc(nr_cols * sizeof(*ps->colmap));
	ps->tcols = malloc(nr_cols * sizeof(*ps->tcols));
	if (c->present && c->nr_present > nr_cols)
		ps->pmap = malloc(c->nr_present * sizeof(*ps->pmap));
	if (!ps->colmap || !ps->tcols ||
	    (c->present && c->nr_present > nr_cols && !ps->pmap))
		return -ENOMEM;
	k = map_columns(cpus, nr_cols, c->tcpus, c->nr_t, ps->colmap);
	for (col = 0; col < nr_cols && ps->nr_tcols < (unsigned int)k; col++)
		if (ps->colmap[col] >= 0)
			ps->tcols[ps->nr_tcols++] = col;
	ps->t->nr_tcols = ps->nr_tcols;
	if (ps->pmap)
		map_columns(c->present, c->nr_present, c->tcpus, c->nr_t, ps->pmap);
	return 0;
}

/* @eol points at the line's '\n', which the row parser uses as a sentinel. */
static int parse_line(struct parser *ps, const char *p, const char *eol)
{
	unsigned int *cpus;
	int err;

	/* blank lines count: a header and endless blank lines must end */
	if (++ps->lineno > BI_IRQ_MAX_ROWS + 1 || (size_t)(eol - p) > BI_IRQ_MAX_LINE)
		return -E2BIG;
	if (!ps->colmap) {
		err = parse_header(p, eol, &cpus, &ps->t->nr_cols);
		if (err)
			return err;
		err = start_columns(ps, cpus);
		free(cpus);
		return err;
	}
	if (skip_blanks(p, eol) == eol)
		return 0;
	return parse_row(ps, p, eol);
}

/* The last line may lack its newline: parse a copy that has one. */
static int parse_last_line(struct parser *ps, const char *p, size_t len)
{
	char *copy = malloc(len + 1);
	int err;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, p, len);
	copy[len] = '\n';
	err = parse_line(ps, copy, copy + len);
	free(copy);
	return err;
}

static void parser_init(struct parser *ps, struct bi_irq_table *t,
			const struct bi_irq_cpus *cpus)
{
	memset(t, 0, sizeof(*t));
	memset(ps, 0, sizeof(*ps));
	t->tcpus = cpus->tcpus;
	t->nr_t = cpus->nr_t;
	t->sums_only = cpus->sums_only;
	ps->t = t;
	ps->cpus = cpus;
}

static int parser_finish(struct parser *ps, int err, unsigned int *lineno)
{
	if (!err && !ps->colmap)
		err = -EINVAL;	/* empty: not even a header */
	free(ps->colmap);
	free(ps->tcols);
	free(ps->pmap);
	if (err)
		bi_irq_table_free(ps->t);
	*lineno = ps->lineno;
	return err;
}

int bi_irq_parse(const char *buf, size_t len, const struct bi_irq_cpus *cpus,
		 struct bi_irq_table *t, unsigned int *lineno)
{
	const char *p = buf, *end = buf + len;
	struct parser ps;
	int err = 0;

	parser_init(&ps, t, cpus);
	while (p < end && !err) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol) {
			err = parse_last_line(&ps, p, (size_t)(end - p));
			break;
		}
		err = parse_line(&ps, p, eol);
		p = eol + 1;
	}
	return parser_finish(&ps, err, lineno);
}

/*
 * Streams the file: a 8192-CPU machine prints 90 KB a row, so the file
 * can be far larger than what is kept.  Only one line is buffered.
 */
int bi_irq_read(struct blockinterf_ctx *ctx, const char *path,
		const struct bi_irq_cpus *cpus, struct bi_irq_table *t,
		unsigned int *lineno)
{
	size_t len = 0, alloc = bi_irq_read_size ? bi_irq_read_size : 1;
	struct parser ps;
	char *buf;
	int fd, err = 0;

	parser_init(&ps, t, cpus);
	fd = bi_open(ctx, path, O_RDONLY);
	if (fd < 0)
		return parser_finish(&ps, fd, lineno);
	buf = malloc(alloc);
	if (!buf)
		err = -ENOMEM;
	while (!err) {
		char *p, *eol;
		ssize_t n;

		if (len == alloc) {
			char *b = alloc > 2 * BI_IRQ_MAX_LINE ? NULL : realloc(buf, alloc * 2);

			if (!b) {
				err = alloc > 2 * BI_IRQ_MAX_LINE ? -E2BIG : -ENOMEM;
				break;
			}
			buf = b;
			alloc *= 2;
		}
		n = read(fd, buf + len, alloc - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0) {
			if (len)
				err = parse_last_line(&ps, buf, len);
			break;
		}
		len += (size_t)n;
		for (p = buf; !err && (eol = memchr(p, '\n', len - (size_t)(p - buf))); p = eol + 1)
			err = parse_line(&ps, p, eol);
		len -= (size_t)(p - buf);
		memmove(buf, p, len);
	}
	free(buf);
	close(fd);
	return parser_finish(&ps, err, lineno);
}
