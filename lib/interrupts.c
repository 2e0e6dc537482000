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
 * pass over the text and memory is rows x candidate CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupts.h"

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

/* The header: "CPU0 CPU2 ..." into the column -> candidate index map. */
static int parse_header(const char *p, const char *end,
			const unsigned int *tcpus, unsigned int nr_t,
			int **colmap, unsigned int *nr_cols)
{
	unsigned int alloc = 0, n = 0, t = 0;
	long last = -1;
	int *map = NULL;

	for (p = skip_blanks(p, end); p < end; p = skip_blanks(p, end)) {
		unsigned long cpu = 0;
		const char *q = p + 3;

		if (end - p < 4 || memcmp(p, "CPU", 3) || q[0] < '0' || q[0] > '9')
			goto einval;
		for (; q < end && *q >= '0' && *q <= '9'; q++) {
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
			int *m;

			alloc = alloc ? alloc * 2 : 64;
			m = realloc(map, alloc * sizeof(*map));
			if (!m) {
				free(map);
				return -ENOMEM;
			}
			map = m;
		}
		while (t < nr_t && tcpus[t] < cpu)
			t++;
		map[n++] = t < nr_t && tcpus[t] == cpu ? (int)t : -1;
		p = q;
	}
	if (!n)
		goto einval;
	*colmap = map;
	*nr_cols = n;
	return 0;
einval:
	free(map);
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
	memset(row, 0, sizeof(*row));
	row->vals = calloc(t->nr_t ? t->nr_t : 1, sizeof(*row->vals));
	row->seen = calloc(t->nr_t ? t->nr_t : 1, 1);
	if (!row->vals || !row->seen) {
		free(row->vals);
		free(row->seen);
		return NULL;
	}
	t->nr_rows++;
	return row;
}

/* One row: "NAME: n n n description". */
static int parse_row(const char *p, const char *end, const int *colmap,
		     unsigned int nr_cols, struct bi_irq_table *t)
{
	const char *colon, *name;
	struct bi_irq_row *row;
	unsigned int col;

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

	/* *end is '\n' (see parse_line()): it stops every loop below. */
	p = colon + 1;
	for (col = 0; col < nr_cols; col++) {
		const char *q = skip_spaces_fast(p, end);
		uint64_t v = 0;

		if (!is_digit(*q))
			break;		/* a short row: the description starts */
		if (colmap[col] < 0) {
			/* not a candidate CPU: only see that it is a %10u */
			for (p = q; is_digit(*p); p++)
				;
			if (p - q >= 10 &&
			    (p - q > 10 || memcmp(q, "4294967295", 10) > 0))
				return -EINVAL;
		} else {
			for (p = q; is_digit(*p); p++) {
				v = v * 10 + (uint64_t)(*p - '0');
				if (v > UINT32_MAX)	/* the kernel prints %10u */
					return -EINVAL;
			}
		}
		if (*p != ' ' && p < end && !is_blank(*p)) {
			p = q;		/* "5-edge": text, not a count */
			break;
		}
		if (colmap[col] >= 0) {
			row->vals[colmap[col]] = (uint32_t)v;
			row->seen[colmap[col]] = 1;
		}
	}
	row->desc = squeeze(p, end);
	return row->desc ? 0 : -ENOMEM;
}

void bi_irq_table_free(struct bi_irq_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_rows; i++) {
		free(t->rows[i].name);
		free(t->rows[i].desc);
		free(t->rows[i].vals);
		free(t->rows[i].seen);
	}
	free(t->rows);
	t->rows = NULL;
	t->nr_rows = t->alloc_rows = 0;
}

/* Parser state across lines; lines may come from a stream. */
struct parser {
	struct bi_irq_table *t;
	int *colmap;
	unsigned int lineno;
};

/* @eol points at the line's '\n', which the row parser uses as a sentinel. */
static int parse_line(struct parser *ps, const char *p, const char *eol)
{
	ps->lineno++;
	if ((size_t)(eol - p) > BI_IRQ_MAX_LINE)
		return -E2BIG;
	if (!ps->colmap)
		return parse_header(p, eol, ps->t->tcpus, ps->t->nr_t,
				    &ps->colmap, &ps->t->nr_cols);
	if (skip_blanks(p, eol) == eol)
		return 0;
	return parse_row(p, eol, ps->colmap, ps->t->nr_cols, ps->t);
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
			unsigned int *tcpus, unsigned int nr_t)
{
	memset(t, 0, sizeof(*t));
	t->tcpus = tcpus;
	t->nr_t = nr_t;
	ps->t = t;
	ps->colmap = NULL;
	ps->lineno = 0;
}

static int parser_finish(struct parser *ps, int err, unsigned int *lineno)
{
	if (!err && !ps->colmap)
		err = -EINVAL;	/* empty: not even a header */
	free(ps->colmap);
	if (err)
		bi_irq_table_free(ps->t);
	*lineno = ps->lineno;
	return err;
}

int bi_irq_parse(const char *buf, size_t len, unsigned int *tcpus,
		 unsigned int nr_t, struct bi_irq_table *t,
		 unsigned int *lineno)
{
	const char *p = buf, *end = buf + len;
	struct parser ps;
	int err = 0;

	parser_init(&ps, t, tcpus, nr_t);
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
		unsigned int *tcpus, unsigned int nr_t,
		struct bi_irq_table *t, unsigned int *lineno)
{
	size_t len = 0, alloc = 64 * 1024;
	struct parser ps;
	char *buf;
	int fd, err = 0;

	parser_init(&ps, t, tcpus, nr_t);
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
			char *b = alloc > BI_IRQ_MAX_LINE ? NULL : realloc(buf, alloc * 2);

			if (!b) {
				err = alloc > BI_IRQ_MAX_LINE ? -E2BIG : -ENOMEM;
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
