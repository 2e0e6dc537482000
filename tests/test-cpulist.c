// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blockinterf_cpulist_parse() on the vectors of Linux 6.12's
 * lib/test_bitmap.c (parselist_tests[]), plus our own cases, and
 * blockinterf_cpulist_format() against a model on random sets.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "blockinterf.h"
#include "tap.h"

struct vector {
	int err;
	const char *list;
	uint64_t lo, hi;	/* expected bits 0-63 and 64-127 */
	unsigned int nbits;
};

/* lib/test_bitmap.c, parselist_tests[], with exp1[]/exp2[] spelled out */
static const struct vector kernel_vectors[] = {
	{ 0, "0", 1, 0, 8 },
	{ 0, "1", 2, 0, 8 },
	{ 0, "0-15", 0x0000ffff, 0, 32 },
	{ 0, "16-31", 0xffff0000, 0, 32 },
	{ 0, "0-31:1/2", 0x55555555, 0, 32 },
	{ 0, "1-31:1/2", 0xaaaaaaaa, 0, 32 },
	{ 0, "0-31:1/4", 0x11111111, 0, 32 },
	{ 0, "1-31:1/4", 0x22222222, 0, 32 },
	{ 0, "0-31:4/4", 0xffffffff, 0, 32 },
	{ 0, "1-31:4/4", 0xfffffffe, 0, 32 },
	{ 0, "0-31:1/4,32-63:2/4", 0x3333333311111111ULL, 0, 64 },
	{ 0, "0-31:3/4,32-63:4/4", 0xffffffff77777777ULL, 0, 64 },
	{ 0, "  ,,  0-31:3/4  ,, 32-63:4/4  ,,  ", 0xffffffff77777777ULL, 0, 64 },
	{ 0, "0-31:1/4,32-63:2/4,64-95:3/4,96-127:4/4",
	  0x3333333311111111ULL, 0xffffffff77777777ULL, 128 },
	{ 0, "", 0, 0, 8 },
	{ 0, "\n", 0, 0, 8 },
	{ 0, ",,  ,,  , ,  ,", 0, 0, 8 },
	{ 0, " ,  ,,  , ,   ", 0, 0, 8 },
	{ 0, " ,  ,,  , ,   \n", 0, 0, 8 },
	{ 0, "0-0", 1, 0, 32 },
	{ 0, "1-1", 2, 0, 32 },
	{ 0, "15-15", 0x00008000, 0, 32 },
	{ 0, "31-31", 0x80000000, 0, 32 },
	{ 0, "0-0:0/1", 0, 0, 32 },
	{ 0, "0-0:1/1", 1, 0, 32 },
	{ 0, "0-0:1/31", 1, 0, 32 },
	{ 0, "0-0:31/31", 1, 0, 32 },
	{ 0, "1-1:1/1", 2, 0, 32 },
	{ 0, "0-15:16/31", 0x0000ffff, 0, 32 },
	{ 0, "15-15:1/2", 0x00008000, 0, 32 },
	{ 0, "15-15:31/31", 0x00008000, 0, 32 },
	{ 0, "15-31:1/31", 0x00008000, 0, 32 },
	{ 0, "16-31:16/31", 0xffff0000, 0, 32 },
	{ 0, "31-31:31/31", 0x80000000, 0, 32 },
	{ 0, "N-N", 0x80000000, 0, 32 },
	{ 0, "0-0:1/N", 1, 0, 32 },
	{ 0, "0-0:N/N", 1, 0, 32 },
	{ 0, "0-15:16/N", 0x0000ffff, 0, 32 },
	{ 0, "15-15:N/N", 0x00008000, 0, 32 },
	{ 0, "15-N:1/N", 0x00008000, 0, 32 },
	{ 0, "16-N:16/N", 0xffff0000, 0, 32 },
	{ 0, "N-N:N/N", 0x80000000, 0, 32 },
	{ 0, "0-N:1/3,1-N:1/3,2-N:1/3", 0xffffffff, 0, 32 },
	{ 0, "0-31:1/3,1-31:1/3,2-31:1/3", 0xffffffff, 0, 32 },
	{ 0, "1-10:8/12,8-31:24/29,0-31:0/3", 0xfffffffe, 0, 32 },
	{ 0, "all", 0xffffffff, 0, 32 },
	{ 0, "0, 1, all,  ", 0xffffffff, 0, 32 },
	{ 0, "all:1/2", 0x55555555, 0, 32 },
	{ 0, "ALL:1/2", 0x55555555, 0, 32 },
	{ -EINVAL, "al", 0, 0, 8 },
	{ -EINVAL, "alll", 0, 0, 8 },
	{ -EINVAL, "-1", 0, 0, 8 },
	{ -EINVAL, "-0", 0, 0, 8 },
	{ -EINVAL, "10-1", 0, 0, 8 },
	{ -ERANGE, "8-8", 0, 0, 8 },
	{ -ERANGE, "0-31", 0, 0, 8 },
	{ -EINVAL, "0-31:", 0, 0, 32 },
	{ -EINVAL, "0-31:0", 0, 0, 32 },
	{ -EINVAL, "0-31:0/", 0, 0, 32 },
	{ -EINVAL, "0-31:0/0", 0, 0, 32 },
	{ -EINVAL, "0-31:1/0", 0, 0, 32 },
	{ -EINVAL, "0-31:10/1", 0, 0, 32 },
	{ -EOVERFLOW, "0-98765432123456789:10/1", 0, 0, 8 },
	{ -EINVAL, "a-31", 0, 0, 8 },
	{ -EINVAL, "0-a1", 0, 0, 8 },
	{ -EINVAL, "a-31:10/1", 0, 0, 8 },
	{ -EINVAL, "0-31:a/1", 0, 0, 8 },
	{ -EINVAL, "0-\n", 0, 0, 8 },
};

/* Our own: quirks of the kernel grammar a user will meet. */
static const struct vector own_vectors[] = {
	{ 0, "2-7\n", 0xfc, 0, 8 },			/* what echo writes */
	{ 0, "2-7\n,0", 0xfc, 0, 8 },			/* the newline ends it */
	{ 0, "1\t2\v3\f4\r5", 0x3e, 0, 8 },		/* any blank separates */
	{ 0, "1\xa0" "2", 0x6, 0, 8 },			/* NBSP is blank too */
	{ 0, "007", 0x80, 0, 8 },			/* leading zeros */
	{ 0, "1-N", 0xfe, 0, 8 },
	{ 0, "0-3:1/2N", 0x85, 0, 8 },			/* N right after a group */
	/* the kernel wraps around 2^32 and sets CPU 0 too: refused */
	{ -EINVAL, "1-2:1/4294967295", 0, 0, 8 },
	{ -EINVAL, "1-2:1/9", 0, 0, 8 },		/* a group longer than the CPUs */
	{ 0, "0-7:1/8", 0x1, 0, 8 },			/* as long: still one group */
	{ -EINVAL, "0-14:2", 0, 0, 16 },		/* util-linux step form */
	{ -EINVAL, "0x3", 0, 0, 8 },
	{ -EINVAL, "+1", 0, 0, 8 },
	{ -EINVAL, "n", 0, 0, 8 },
	{ -EINVAL, "1 -2", 0, 0, 8 },
	{ -EINVAL, "1,,3-", 0, 0, 8 },
	{ -ERANGE, "0-8", 0, 0, 8 },
	{ -EINVAL, "4294967295", 0, 0, 8 },	/* end + 1 wraps: zero group */
	{ -EOVERFLOW, "4294967296", 0, 0, 8 },
	{ -EOVERFLOW, "99999999999999999999999999", 0, 0, 8 },
};

static void check_vector(const char *what, const struct vector *v)
{
	cpu_set_t *set = CPU_ALLOC(128);
	size_t size = CPU_ALLOC_SIZE(128);
	uint64_t lo = 0, hi = 0;
	unsigned int i;
	int err;

	err = blockinterf_cpulist_parse(v->list, v->nbits, set, size);
	for (i = 0; i < 128; i++) {
		if (!CPU_ISSET_S(i, size, set))
			continue;
		if (i < 64)
			lo |= 1ULL << i;
		else
			hi |= 1ULL << (i - 64);
	}
	if (err != v->err || lo != v->lo || hi != v->hi)
		printf("# err %d lo %#llx hi %#llx\n", err,
		       (unsigned long long)lo, (unsigned long long)hi);
	ok(err == v->err && lo == v->lo && hi == v->hi,
	   "%s: \"%s\" with %u bits", what, v->list, v->nbits);
	CPU_FREE(set);
}

static void test_edges(void)
{
	size_t size = CPU_ALLOC_SIZE(BLOCKINTERF_MAX_CPUS);
	cpu_set_t *set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);

	is_int(blockinterf_cpulist_parse("0-2047:128/256", 2048, set, size), 0,
	       "0-2047:128/256 parses (test_bitmap's timing case)");
	is_int(CPU_COUNT_S(size, set), 8 * 128, "and sets 8 groups of 128");
	is_int(blockinterf_cpulist_parse("N", BLOCKINTERF_MAX_CPUS, set, size), 0,
	       "N on 8192 CPUs");
	ok(CPU_ISSET_S(8191, size, set) && CPU_COUNT_S(size, set) == 1,
	   "N is CPU 8191");
	is_int(blockinterf_cpulist_parse("0", BLOCKINTERF_MAX_CPUS + 1, set, size),
	       -EINVAL, "nr_cpus larger than the set is refused");
	CPU_SET_S(5, size, set);
	is_int(blockinterf_cpulist_parse("1,2,3-x", 8, set, size), -EINVAL,
	       "error after good regions");
	is_int(CPU_COUNT_S(size, set), 0, "the set is left empty on error");
	is_int(blockinterf_cpulist_parse("0", 0, set, size), -ERANGE,
	       "no CPU at all: every CPU is out of range");
	is_int(blockinterf_cpulist_parse(NULL, 8, set, size), -EINVAL,
	       "NULL list");
	CPU_FREE(set);
}

/* The model: print every run of CPUs the obvious way. */
static void model_format(const cpu_set_t *set, size_t size, unsigned int n,
			 char *out)
{
	unsigned int cpu = 0, end;
	const char *sep = "";

	*out = '\0';
	while (cpu < n) {
		if (!CPU_ISSET_S(cpu, size, set)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < n && CPU_ISSET_S(end + 1, size, set); end++)
			;
		out += sprintf(out, "%s%u", sep, cpu);
		sep = ",";
		if (end > cpu)
			out += sprintf(out, "-%u", end);
		cpu = end + 1;
	}
}

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)random() % n;
}

/* Random sets, dense and sparse, small and large, through both ways. */
static void test_format_random(void)
{
	static char want[BLOCKINTERF_MAX_CPUS * 6];
	size_t size = CPU_ALLOC_SIZE(BLOCKINTERF_MAX_CPUS);
	cpu_set_t *set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	cpu_set_t *back = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	int round, fmt_bad = 0, trip_bad = 0;

	srandom(20261125);
	for (round = 0; round < 3000; round++) {
		unsigned int n = 1 + rnd(round % 10 ? 300 : BLOCKINTERF_MAX_CPUS);
		unsigned int density = rnd(101), cpu;
		char *got;

		CPU_ZERO_S(size, set);
		for (cpu = 0; cpu < n; cpu++)
			if (rnd(100) < density)
				CPU_SET_S(cpu, size, set);
		model_format(set, size, n, want);
		got = blockinterf_cpulist_format(set, size);
		if (!got || strcmp(got, want)) {
			if (!fmt_bad++)
				printf("# format \"%s\", model \"%s\"\n",
				       got ? got : "(null)", want);
		} else if (blockinterf_cpulist_parse(got, n, back, size) ||
			   !CPU_EQUAL_S(size, set, back)) {
			trip_bad++;
		}
		free(got);
	}
	is_int(fmt_bad, 0, "format agrees with the model on 3000 random sets");
	is_int(trip_bad, 0, "parse(format(set)) == set on 3000 random sets");

	CPU_ZERO_S(size, set);
	{
		char *got = blockinterf_cpulist_format(set, size);

		ok(got && !strcmp(got, ""), "empty set formats as \"\"");
		free(got);
	}
	/* a size that is not whole words: its last bits count, none beyond */
	CPU_SET_S(70, size, set);
	CPU_SET_S(95, size, set);
	CPU_SET_S(100, size, set);
	{
		char *got = blockinterf_cpulist_format(set, 12);

		ok(got && !strcmp(got, "70,95"), "a 12-byte set: \"%s\", want \"70,95\"",
		   got ? got : "(null)");
		free(got);
	}
	CPU_FREE(set);
	CPU_FREE(back);
}

/*
 * A set far beyond any kernel (the caller's size is theirs to choose):
 * its list is long to bound by the span alone, and was printed "" with
 * errno 0 once that bound passed INT_MAX.  Never "" for a set with a CPU.
 */
static void test_format_huge(void)
{
	const unsigned int cpu = 250000000;
	size_t size = CPU_ALLOC_SIZE(cpu + 1);
	cpu_set_t *set = CPU_ALLOC(cpu + 1);
	char *got;

	if (!set) {
		skip("no memory for a set of %u CPUs", cpu + 1);
		return;
	}
	CPU_ZERO_S(size, set);
	CPU_SET_S(cpu, size, set);
	CPU_SET_S(7, size, set);
	errno = 0;
	got = blockinterf_cpulist_format(set, size);
	ok(got && !strcmp(got, "7,250000000"),
	   "CPUs 7 and 250000000: \"%s\" (errno %d)", got ? got : "(null)",
	   errno);
	free(got);
	CPU_FREE(set);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(kernel_vectors) / sizeof(kernel_vectors[0]); i++)
		check_vector("test_bitmap", &kernel_vectors[i]);
	for (i = 0; i < sizeof(own_vectors) / sizeof(own_vectors[0]); i++)
		check_vector("own", &own_vectors[i]);
	test_edges();
	test_format_random();
	test_format_huge();
	return tap_done();
}
