// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * CPU lists in the kernel's grammar.
 *
 * The parser follows bitmap_parselist() of Linux 6.12 (lib/bitmap-str.c)
 * step by step, including its unsigned int arithmetic and its quirks,
 * because what the user types here is what the sysctl will be given:
 * if the two grammars differed, a list we accept could be refused by
 * the kernel, or worse, mean another set.  tests/test-kernel-oracle
 * compares both on random strings.  One difference is deliberate: a
 * group length above the number of CPUs is refused (check_region()).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bitmask.h>

#include "libblockinterf-private.h"

struct region {
	unsigned int start;
	unsigned int off;
	unsigned int group_len;
	unsigned int end;
	unsigned int nbits;
};

/* The kernel's isspace(): lib/ctype.c also counts 0xa0 (NBSP). */
static bool kernel_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= '\t' && u <= '\r') || u == ' ' || u == 0xa0;
}

static bool end_of_str(char c)
{
	return c == '\0' || c == '\n';
}

static bool end_of_region_only(char c)
{
	return kernel_isspace(c) || c == ',';
}

static bool end_of_region(char c)
{
	return end_of_region_only(c) || end_of_str(c);
}

/* Returns the end of the number, or NULL with *err set. */
static const char *getnum(const char *str, unsigned int *num,
			  unsigned int lastbit, int *err)
{
	unsigned long long n = 0;
	bool overflow = false;
	const char *p;

	if (str[0] == 'N') {
		*num = lastbit;
		return str + 1;
	}
	for (p = str; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (unsigned int)(*p - '0');
		if (n > UINT_MAX)
			overflow = true;
		if (overflow)
			n = UINT_MAX;	/* keep consuming digits */
	}
	if (p == str) {
		*err = -EINVAL;
		return NULL;
	}
	if (overflow) {
		*err = -EOVERFLOW;
		return NULL;
	}
	*num = (unsigned int)n;
	return p;
}

/*
 * Parses one region.  Returns where parsing goes on, or NULL at the end
 * of the string (*err == 0) or on an error (*err < 0).
 */
static const char *parse_region(const char *str, struct region *r, int *err)
{
	unsigned int lastbit = r->nbits - 1;

	if (!strncasecmp(str, "all", 3)) {
		r->start = 0;
		r->end = lastbit;
		str += 3;
		goto check_pattern;
	}

	str = getnum(str, &r->start, lastbit, err);
	if (!str)
		return NULL;
	if (end_of_region(*str))
		goto no_end;
	if (*str != '-')
		goto einval;
	str = getnum(str + 1, &r->end, lastbit, err);
	if (!str)
		return NULL;

check_pattern:
	if (end_of_region(*str))
		goto no_pattern;
	if (*str != ':')
		goto einval;
	str = getnum(str + 1, &r->off, lastbit, err);
	if (!str)
		return NULL;
	if (*str != '/')
		goto einval;
	/* Like the kernel, no end-of-region check after the group length. */
	return getnum(str + 1, &r->group_len, lastbit, err);

no_end:
	r->end = r->start;
no_pattern:
	r->off = r->end + 1;
	r->group_len = r->end + 1;
	return end_of_str(*str) ? NULL : str;

einval:
	*err = -EINVAL;
	return NULL;
}

static int check_region(const struct region *r)
{
	if (r->start > r->end || r->group_len == 0 || r->off > r->group_len)
		return -EINVAL;
	if (r->end >= r->nbits)
		return -ERANGE;
	/*
	 * Stricter than the kernel, on purpose: bitmap_set_region() adds
	 * the group length to an unsigned int, and a huge one wraps to
	 * set CPUs below the range ("1-2:1/4294967295" is CPUs 0-1 in
	 * 6.12).  A group longer than the CPUs says nothing a shorter one
	 * cannot: refused.
	 */
	if (r->group_len > r->nbits)
		return -EINVAL;
	return 0;
}

static void set_region(const struct region *r, cpu_set_t *set, size_t setsize)
{
	unsigned int start, i, n;

	/* unsigned int wrap-around as in bitmap_set_region() */
	for (start = r->start; start <= r->end; start += r->group_len) {
		n = r->end - start + 1;
		if (n > r->off)
			n = r->off;
		for (i = 0; i < n; i++)
			CPU_SET_S(start + i, setsize, set);
	}
}

BI_EXPORT int blockinterf_cpulist_parse(const char *buf, unsigned int nr_cpus,
					cpu_set_t *set, size_t setsize)
{
	struct region r = { .nbits = nr_cpus };
	int err = 0;

	if (!buf || !set || (size_t)nr_cpus > setsize * 8)
		return -EINVAL;
	CPU_ZERO_S(setsize, set);

	while (buf) {
		while (end_of_region_only(*buf))
			buf++;
		if (end_of_str(*buf))
			return 0;

		buf = parse_region(buf, &r, &err);
		if (err)
			break;
		err = check_region(&r);
		if (err)
			break;
		set_region(&r, set, setsize);
	}
	if (err)
		CPU_ZERO_S(setsize, set);
	return err;
}

/* A word at a time: sets are mostly empty above a few CPUs. */
unsigned int bi_cpuset_span(const cpu_set_t *set, size_t setsize)
{
	const unsigned int wbits = 8 * sizeof(__cpu_mask);
	const __cpu_mask *bits = set->__bits;	/* CPU_ALLOC()ed: longer than __bits[] */
	size_t w = setsize / sizeof(__cpu_mask);
	unsigned int cpu = (unsigned int)(setsize * 8);

	/* a setsize that is not whole words: its last bits one by one */
	for (; cpu > w * wbits; cpu--)
		if (CPU_ISSET_S(cpu - 1, setsize, set))
			return cpu;
	while (w > 0 && !bits[w - 1])
		w--;
	if (!w)
		return 0;
	return (unsigned int)w * wbits - (unsigned int)__builtin_clzl(bits[w - 1]);
}

void bi_cpuset_andnot(cpu_set_t *dst, const cpu_set_t *a, const cpu_set_t *b)
{
	__cpu_mask *d = dst->__bits;	/* CPU_ALLOC()ed: longer than __bits[] */
	const __cpu_mask *x = a->__bits, *y = b->__bits;
	size_t i, n = BI_SETSIZE / sizeof(__cpu_mask);

	/* glibc has CPU_AND_S and CPU_XOR_S, but no and-not */
	for (i = 0; i < n; i++)
		d[i] = x[i] & ~y[i];
}

static unsigned int decimal_digits(unsigned int n)
{
	unsigned int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* @set's CPUs below @span into @bmp: whole words by their set bits. */
static void copy_to_bitmask(struct bitmask *bmp, const cpu_set_t *set,
			    size_t setsize, unsigned int span)
{
	const unsigned int wbits = 8 * sizeof(__cpu_mask);
	const __cpu_mask *bits = set->__bits;	/* CPU_ALLOC()ed: longer than __bits[] */
	size_t whole = setsize / sizeof(__cpu_mask), w;
	unsigned int cpu;

	for (w = 0; w < whole && w * wbits < span; w++) {
		unsigned int base = (unsigned int)w * wbits;

		for (__cpu_mask m = bits[w]; m; m &= m - 1)
			bitmask_setbit(bmp, base + (unsigned int)__builtin_ctzl(m));
	}
	for (cpu = (unsigned int)whole * wbits; cpu < span; cpu++)	/* a partial last word */
		if (CPU_ISSET_S(cpu, setsize, set))
			bitmask_setbit(bmp, cpu);
}

/* CPU_COUNT_S(), which counts whole words only, and a partial last one */
static size_t count_cpus(const cpu_set_t *set, size_t setsize)
{
	size_t whole = setsize / sizeof(__cpu_mask) * sizeof(__cpu_mask);
	size_t n = (size_t)CPU_COUNT_S(whole, set);
	unsigned int cpu;

	for (cpu = (unsigned int)whole * 8; cpu < setsize * 8; cpu++)
		n += !!CPU_ISSET_S(cpu, setsize, set);
	return n;
}

BI_EXPORT char *blockinterf_cpulist_format(const cpu_set_t *set,
					   size_t setsize)
{
	unsigned int span;
	struct bitmask *bmp;
	size_t bound, runs;
	char *buf, *out;

	if (!set || setsize > INT_MAX / 8) {
		errno = EINVAL;
		return NULL;
	}
	span = bi_cpuset_span(set, setsize);
	if (span == 0)
		return strdup("");

	bmp = bitmask_alloc(span);
	if (!bmp) {
		errno = ENOMEM;
		return NULL;
	}
	copy_to_bitmask(bmp, set, setsize, span);

	/*
	 * bitmask_displaylist() truncates silently, so size the buffer for
	 * the worst case: every run "first-last," of the longest numbers.
	 * A run holds a CPU and is followed by a gap: at most as many runs
	 * as CPUs, and as half the span, rounded up.
	 */
	runs = count_cpus(set, setsize);
	if (runs > span / 2 + 1)
		runs = span / 2 + 1;
	bound = runs * (2 * decimal_digits(span - 1) + 2) + 1;
	if (bound > INT_MAX) {	/* libbitmask takes an int */
		bitmask_free(bmp);
		errno = EOVERFLOW;
		return NULL;
	}
	buf = malloc(bound);
	if (!buf) {
		bitmask_free(bmp);
		errno = ENOMEM;
		return NULL;
	}
	bitmask_displaylist(buf, (int)bound, bmp);
	bitmask_free(bmp);
	if (!*buf) {	/* a set with a CPU is never "" */
		free(buf);
		errno = EOVERFLOW;
		return NULL;
	}
	out = realloc(buf, strlen(buf) + 1);
	return out ? out : buf;
}
