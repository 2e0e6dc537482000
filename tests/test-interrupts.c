// SPDX-License-Identifier: GPL-2.0-or-later
/* The /proc/interrupts parser on its own: layouts, bounds, garbage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "interrupts.h"
#include "tap.h"

static unsigned int tcpus[] = { 1, 2, 3, 8191 };
static const struct bi_irq_cpus cpus = { .tcpus = tcpus, .nr_t = 4 };

static int parse(const char *text, struct bi_irq_table *t)
{
	unsigned int line;

	return bi_irq_parse(text, strlen(text), &cpus, t, &line);
}

static const struct bi_irq_row *row(const struct bi_irq_table *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->nr_rows; i++)
		if (!strcmp(t->rows[i].name, name))
			return &t->rows[i];
	return NULL;
}

/* Where candidate @c is in a full row's hits, or -1: not in this read. */
static int find(const struct bi_irq_row *r, unsigned int c)
{
	unsigned int i;

	for (i = 0; i < r->nr_hits; i++)
		if (r->hits[i] == c)
			return (int)i;
	return -1;
}

static bool seen(const struct bi_irq_row *r, unsigned int c)
{
	return find(r, c) >= 0;
}

/* Candidate @c's count in a full row, 0 when not seen. */
static uint32_t val(const struct bi_irq_row *r, unsigned int c)
{
	int i = find(r, c);

	return i < 0 ? 0 : r->vals[i];
}

/* The candidates below 64 that counted, as a bitmap (sums only). */
static uint64_t hitmask(const struct bi_irq_row *r)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < r->nr_hits; i++)
		if (r->hits[i] < 64 && (!i || r->hits[i] > r->hits[i - 1]))
			m |= 1ULL << r->hits[i];
		else
			return ~0ULL;	/* not ascending, or too large: no test wants it */
	return m;
}

static void test_layouts(void)
{
	struct bi_irq_table t;
	const struct bi_irq_row *r;

	is_int(parse("      CPU0 CPU2 CPU3\n"
		     " 24:  1  2  3  IO-APIC   5-edge      ACPI:Ged\n"
		     "LOC:  4  5  6   Local timer interrupts\n"
		     "ERR:  7\n"
		     "IPI0: 8 9 10  Rescheduling interrupts\n", &t), 0,
	   "offline CPU 1: header CPU0 CPU2 CPU3");
	is_int(t.nr_cols, 3, "three columns");
	r = row(&t, "24");
	ok(r && !seen(r, 0) && seen(r, 1) && val(r, 1) == 2 && val(r, 2) == 3,
	   "columns map to CPUs by name: CPU2 holds 2, CPU1 has no column");
	ok(r && !strcmp(r->desc, "IO-APIC 5-edge ACPI:Ged"),
	   "description kept, blanks squeezed, '5-edge' not taken for a count");
	r = row(&t, "ERR");
	ok(r && !seen(r, 1) && !strcmp(r->desc, ""), "ERR: one global value, no candidate CPU seen");
	r = row(&t, "IPI0");
	ok(r && val(r, 2) == 10 && !strcmp(r->desc, "Rescheduling interrupts"),
	   "arm64 IPI rows");
	bi_irq_table_free(&t);

	is_int(parse("CPU0 CPU8191\n 1: 5 4294967295 x\n", &t), 0, "CPU8191 and UINT32_MAX");
	r = row(&t, "1");
	ok(r && val(r, 3) == 4294967295U, "the largest count is kept");
	bi_irq_table_free(&t);

	is_int(parse("CPU1 CPU2\n 1: 5", &t), 0, "last line without newline");
	ok(t.nr_rows == 1 && val(&t.rows[0], 0) == 5, "and counted");
	bi_irq_table_free(&t);
}

/* Real quirks, and the sums-only table against the full one. */
static void test_quirks(void)
{
	static const unsigned int present[] = { 0, 1, 2, 3 };
	static const char text[] =
		"           CPU0       CPU2       CPU3\n"
		"IPI0:2768808080 2768808080          5  glued to the colon\n"
		"4348:          1          2          3  PCI-MSI-<NULL>  wider IRQ\n"
		" ERR:          7\n"
		"IPI1:      78801       1430       2457       5642  Rescheduling interrupts\n"
		"IPI2:          1          2          3          4          5  Too many\n";
	static const char tab[] = "CPU1 CPU2\n 1:          5     \t    6 x\n";
	struct bi_irq_cpus c = { .tcpus = tcpus, .nr_t = 4,
				 .present = present, .nr_present = 4 };
	struct bi_irq_table t, u;
	const struct bi_irq_row *r;
	unsigned int line;

	is_int(bi_irq_parse(text, strlen(text), &c, &t, &line), 0, "quirks parse");
	r = row(&t, "IPI0");
	ok(r && val(r, 1) == 2768808080U && val(r, 2) == 5 && r->nr_vals == 3,
	   "a count glued to the colon");
	r = row(&t, "4348");
	ok(r && val(r, 1) == 2 && val(r, 2) == 3 && !strcmp(r->desc, "PCI-MSI-<NULL> wider IRQ"),
	   "an IRQ number wider than the column");
	r = row(&t, "ERR");
	ok(r && r->layout == BI_ROW_GLOBAL && !seen(r, 1), "one count on three columns: global");
	r = row(&t, "IPI1");
	ok(r && r->layout == BI_ROW_PRESENT && val(r, 0) == 1430 && val(r, 1) == 2457 &&
	   val(r, 2) == 5642 && !strcmp(r->desc, "Rescheduling interrupts"),
	   "four counts for present CPUs 0-3: CPU1 1430, CPU2 2457, CPU3 5642");
	r = row(&t, "IPI2");
	ok(r && r->layout == BI_ROW_MISMATCH && r->nr_vals == 5 && !strcmp(r->desc, "Too many"),
	   "five counts: not attributed, numbers kept out of the text");

	c.sums_only = true;
	is_int(bi_irq_parse(text, strlen(text), &c, &u, &line), 0, "sums only");
	r = row(&u, "IPI1");
	ok(r && !r->vals && r->sum == 1430 + 2457 + 5642 && hitmask(r) == 0x7,
	   "sums only: IPI1 sums 9529 over candidates 0-2");
	r = row(&u, "IPI0");
	ok(r && r->sum == 2768808080ULL + 5 && hitmask(r) == 0x6, "sums only: IPI0");
	bi_irq_table_free(&t);
	bi_irq_table_free(&u);

	/* CPU2's field has a tab: the fast path fails after CPU1's count */
	is_int(bi_irq_parse(tab, strlen(tab), &c, &u, &line),
	       0, "a tab inside a fixed-width field");
	r = row(&u, "1");
	ok(r && r->sum == 11 && hitmask(r) == 0x3,
	   "sums only: the word reader starts afresh (sum %llu)", r ? (unsigned long long)r->sum : 0);
	bi_irq_table_free(&u);
}

static void test_refusals(void)
{
	static const struct { const char *text; int err; const char *what; } bad[] = {
		{ "", -EINVAL, "empty" },
		{ "\n\n", -EINVAL, "blank lines only" },
		{ "CPU0 CPUx\n", -EINVAL, "CPUx" },
		{ "CPU0 CPU0\n", -EINVAL, "a CPU twice" },
		{ "CPU3 CPU1\n", -EINVAL, "CPUs not ascending" },
		{ "CPU0 CPU8192\n", -EINVAL, "CPU 8192" },
		{ "CPU0 CPU99999999999999999999\n", -EINVAL, "a CPU number overflowing" },
		{ "CPU0\nno colon here\n", -EINVAL, "a row without ':'" },
		{ "CPU0\n: 1\n", -EINVAL, "a row without a name" },
		{ "CPU0\nA B: 1\n", -EINVAL, "a name with a blank" },
		{ "CPU0\n1: 4294967296\n", -EINVAL, "a count beyond 32 bits" },
	};
	struct bi_irq_table t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(parse(bad[i].text, &t), bad[i].err, "refused: %s", bad[i].what);
}

static void test_bounds(void)
{
	size_t len = BI_IRQ_MAX_LINE + 100, rows = BI_IRQ_MAX_ROWS + 1, i;
	struct bi_irq_table t;
	char *big = malloc(len + 16), *many = malloc(rows * 6 + 16), *p;

	strcpy(big, "CPU0\n1: ");
	memset(big + 8, '1', len - 8);
	big[len] = '\0';
	is_int(parse(big, &t), -E2BIG, "a line over 1 MiB is -E2BIG");

	p = many + sprintf(many, "CPU0\n");
	for (i = 0; i < rows; i++)
		p += sprintf(p, "A%zu:\n", i % 1000);
	is_int(parse(many, &t), -E2BIG, "more than %d rows is -E2BIG", BI_IRQ_MAX_ROWS);
	free(big);
	free(many);
}

/* Mutations of a good file: every outcome is a clean 0 or a refusal. */
static void test_garbage(void)
{
	static const char good[] =
		"           CPU0       CPU1       CPU2       CPU3\n"
		"  0:         44          0          0          0  IR-IO-APIC    2-edge      timer\n"
		" 41:          0          0       5000          0  IR-PCI-MSIX-0000:3b:00.0    1-edge      nvme0q1\n"
		"NMI:          1          1          1          1   Non-maskable interrupts\n"
		"ERR:          0\n";
	static const char alphabet[] = " \t\n:0123456789CPUxIPI-\xff";
	char buf[sizeof(good)];
	int round, odd = 0, accepted = 0;

	srandom(7);
	for (round = 0; round < 20000; round++) {
		struct bi_irq_table t;
		unsigned int line;
		size_t len = 1 + (size_t)random() % (sizeof(good) - 1);
		int k, err;

		memcpy(buf, good, sizeof(good));
		for (k = random() % 8; k >= 0; k--)
			buf[random() % len] = alphabet[random() % (sizeof(alphabet) - 1)];
		err = bi_irq_parse(buf, len, &cpus, &t, &line);
		if (err == 0) {
			accepted++;
			bi_irq_table_free(&t);
		} else if (err != -EINVAL) {
			odd++;
		}
	}
	is_int(odd, 0, "20000 mutated files: only 0 or -EINVAL");
	ok(accepted > 100 && accepted < 19900, "both outcomes seen (%d accepted)", accepted);
}

/*
 * Rows of 130 CPUs as the kernel prints them (" %10u"), so that the fast
 * path meets whole chunks of 64 zeros, a partial last chunk, and rows
 * that break the width after a chunk of zeros.  @vals: "COL=COUNT,...",
 * a count is printed as given (so "x" or an 11-digit number can be put
 * in a field); the rest are 0.
 */
#define WIDE	130
static size_t wide_row(char *buf, size_t size, const char *name,
		       const char *const *cols)
{
	size_t len = (size_t)snprintf(buf, size, "%s:", name);
	unsigned int c;

	for (c = 0; c < WIDE; c++)
		len += (size_t)snprintf(buf + len, size - len, " %10s",
					cols[c] ? cols[c] : "0");
	len += (size_t)snprintf(buf + len, size - len, "  wide row\n");
	return len;
}

static void test_wide(void)
{
	static unsigned int wt[] = { 1, 70, 100, 129 };
	struct bi_irq_cpus c = { .tcpus = wt, .nr_t = 4 };
	const char *cols[WIDE] = { NULL };
	char *text = malloc(64 * 1024);
	struct bi_irq_table t, u;
	const struct bi_irq_row *r;
	unsigned int line, i;
	size_t len;

	if (!text)
		abort();
	len = (size_t)sprintf(text, "      ");
	for (i = 0; i < WIDE; i++)
		len += (size_t)sprintf(text + len, "CPU%-7u ", i);
	text[len - 1] = '\n';
	cols[70] = "7";
	cols[100] = "12";
	len += wide_row(text + len, 64 * 1024 - len, "1", cols);
	cols[70] = cols[100] = NULL;
	len += wide_row(text + len, 64 * 1024 - len, "2", cols);	/* all zeros */
	cols[129] = "4294967295";
	cols[1] = "5";
	len += wide_row(text + len, 64 * 1024 - len, "3", cols);

	is_int(bi_irq_parse(text, len, &c, &t, &line), 0, "130 CPUs, full table");
	r = row(&t, "2");
	ok(r && seen(r, 0) && seen(r, 1) && seen(r, 2) && seen(r, 3) && !val(r, 1),
	   "a row of zeros: every candidate seen, at 0");
	r = row(&t, "1");
	ok(r && val(r, 1) == 7 && val(r, 2) == 12 && r->nr_vals == WIDE,
	   "CPU 70 holds 7, CPU 100 holds 12 (two digits after eight blanks)");
	c.sums_only = true;
	is_int(bi_irq_parse(text, len, &c, &u, &line), 0, "130 CPUs, sums only");
	r = row(&u, "1");
	ok(r && r->sum == 19 && hitmask(r) == 0x6, "sums only: 7 + 12 on candidates 1 and 2");
	r = row(&u, "2");
	ok(r && r->sum == 0 && hitmask(r) == 0 && r->nr_vals == WIDE &&
	   !strcmp(r->desc, "wide row"), "sums only: zeros add nothing, the text is kept");
	r = row(&u, "3");
	ok(r && r->sum == 4294967295ULL + 5 && hitmask(r) == 0x9,
	   "sums only: the last column of a partial chunk is read");
	bi_irq_table_free(&t);
	bi_irq_table_free(&u);

	/* after 64 zeros, an 11-digit count in a column that is no candidate */
	len = (size_t)(strchr(text, '\n') - text) + 1;
	cols[129] = cols[1] = NULL;
	cols[90] = "4294967296";
	len += wide_row(text + len, 64 * 1024 - len, "4", cols);
	is_int(bi_irq_parse(text, len, &c, &u, &line), -EINVAL,
	       "sums only: a count beyond 32 bits after a chunk of zeros is refused");
	cols[90] = "x";
	len = (size_t)(strchr(text, '\n') - text) + 1;
	len += wide_row(text + len, 64 * 1024 - len, "5", cols);
	is_int(bi_irq_parse(text, len, &c, &u, &line), 0, "a field 'x' after 64 zeros");
	r = row(&u, "5");
	ok(r && r->nr_vals == 90 && r->layout == BI_ROW_COLUMNS && !strncmp(r->desc, "x 0 ", 4),
	   "the word reader takes over: 90 counts, then the text from 'x'");
	bi_irq_table_free(&u);

	/* one digit in the very last byte of the counts */
	cols[90] = NULL;
	cols[129] = "3";
	len = (size_t)(strchr(text, '\n') - text) + 1;
	len += wide_row(text + len, 64 * 1024 - len, "6", cols);
	is_int(bi_irq_parse(text, len, &c, &u, &line), 0, "a 3 in the last column");
	r = row(&u, "6");
	ok(r && r->sum == 3 && hitmask(r) == 0x8, "sums only: CPU 129's 3 is counted");
	bi_irq_table_free(&u);
	free(text);
}

int main(void)
{
	test_layouts();
	test_quirks();
	test_refusals();
	test_bounds();
	test_garbage();
	test_wide();
	return tap_done();
}
