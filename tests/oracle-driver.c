// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential test: the kernel's own bitmap_parselist(), cut out of
 * linux-source-6.12 at test time by tests/kernel-oracle.sh, against
 * blockinterf_cpulist_parse() on random strings.  No kernel code is
 * kept in this repository; kernel-parselist.inc is generated.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blockinterf.h"

/* --- just enough of the kernel's headers for the two files --- */
#define noinline
#define unlikely(x)		(x)
#define EXPORT_SYMBOL(x)
#define KSTRTOX_OVERFLOW	(1U << 31)
#define MAX_ERRNO		4095
#define IS_ERR(p)	((unsigned long)(p) >= (unsigned long)-MAX_ERRNO)
#define ERR_PTR(e)	((void *)(long)(e))
#define PTR_ERR(p)	((long)(p))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define BITS_PER_LONG	(8 * sizeof(long))
#define _tolower(c)	((c) | 0x20)
#define div_u64(a, b)	((a) / (b))

static int kernel_isspace(int c)
{
	unsigned char u = (unsigned char)c;

	return (u >= 9 && u <= 13) || u == 32 || u == 160;	/* lib/ctype.c */
}
#define isspace(c)	kernel_isspace(c)

static void bitmap_set(unsigned long *map, unsigned int start, unsigned int n)
{
	for (; n; n--, start++)
		map[start / BITS_PER_LONG] |= 1UL << (start % BITS_PER_LONG);
}

static void bitmap_zero(unsigned long *map, unsigned int nbits)
{
	memset(map, 0, (nbits + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof(long));
}

unsigned int _parse_integer_limit(const char *s, unsigned int base,
				  unsigned long long *p, size_t max_chars);
unsigned int _parse_integer(const char *s, unsigned int base,
			    unsigned long long *p);
int bitmap_parselist(const char *buf, unsigned long *maskp, int nmaskbits);

/* set by a line kernel-oracle.sh adds: the kernel took a group > nbits */
static bool oracle_long_group;

#include "kernel-parselist.inc"

/* --- the random strings --- */
static const char *const atoms[] = {
	"0", "1", "2", "3", "7", "8", "15", "31", "63", "64", "100", "1023",
	"4294967295", "4294967296", "99999999999999999999", "007",
	"-", "-", "-", ",", ",", ":", ":", "/", "/", " ", "\t", "\n", "\xa0",
	"N", "all", "ALL", "aLl", "al", "x", "a", "+", "0x1", "",
};

static void random_string(char *buf, size_t size)
{
	size_t len = 0, n = (size_t)(random() % 12);

	buf[0] = '\0';
	while (n--) {
		const char *a = atoms[random() % (sizeof(atoms) / sizeof(atoms[0]))];

		if (len + strlen(a) + 1 >= size)
			break;
		strcpy(buf + len, a);
		len += strlen(a);
	}
}

int main(int argc, char **argv)
{
	static const unsigned int widths[] = { 1, 8, 32, 64, 65, 100, 1024, 8192 };
	unsigned long kmask[8192 / (8 * sizeof(long))];
	size_t setsize = CPU_ALLOC_SIZE(8192);
	cpu_set_t *set = CPU_ALLOC(8192);
	long rounds = argc > 1 ? atol(argv[1]) : 100000;
	long i, bad = 0, accepted = 0, long_groups = 0;
	char buf[128];

	srandom(argc > 2 ? (unsigned int)atol(argv[2]) : 1);
	for (i = 0; i < rounds; i++) {
		unsigned int nbits = widths[random() % 8], bit;
		int kerr, uerr;
		bool same = true;

		random_string(buf, sizeof(buf));
		oracle_long_group = false;
		kerr = bitmap_parselist(buf, kmask, (int)nbits);
		uerr = blockinterf_cpulist_parse(buf, nbits, set, setsize);
		if (oracle_long_group) {
			/*
			 * Refused on purpose, see lib/cpulist.c.  The kernel
			 * took the long group and may have failed at a later
			 * region ("all:8/100,80" is -ERANGE there): the regions
			 * before the long group passed both parsers, so ours
			 * stops at the long group, with -EINVAL, either way.
			 */
			long_groups += !kerr;
			if (uerr != -EINVAL && bad++ < 10)
				printf("# \"%s\" nbits %u: a group > nbits, kernel %d, ours %d, want -EINVAL\n",
				       buf, nbits, kerr, uerr);
			continue;
		}
		for (bit = 0; !kerr && bit < nbits; bit++) {
			bool k = kmask[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG) & 1;

			same &= k == !!CPU_ISSET_S(bit, setsize, set);
		}
		if (kerr != uerr || !same) {
			if (bad++ < 10)
				printf("# \"%s\" nbits %u: kernel %d, ours %d%s\n",
				       buf, nbits, kerr, uerr,
				       same ? "" : ", sets differ");
		}
		accepted += !kerr;
	}
	printf("# %ld strings, %ld accepted by the kernel, %ld of them with a group > nbits, %ld disagreements\n",
	       rounds, accepted + long_groups, long_groups, bad);
	printf("%sok 1 - parser agrees with the kernel's bitmap_parselist on %ld random strings\n",
	       bad ? "not " : "", rounds);
	printf("%sok 2 - the random strings exercise both outcomes\n",
	       accepted > rounds / 20 && accepted < rounds - rounds / 20 ? "" : "not ");
	/* the case the random strings rarely make, and why it is refused */
	oracle_long_group = false;
	i = bitmap_parselist("1-2:1/4294967295", kmask, 8);
	printf("%sok 3 - the kernel takes 1-2:1/4294967295 as CPUs 0-1 (the wrap), we refuse it\n",
	       !i && oracle_long_group && kmask[0] == 0x3 &&
	       blockinterf_cpulist_parse("1-2:1/4294967295", 8, set, setsize) == -EINVAL ?
	       "" : "not ");
	printf("1..3\n");
	CPU_FREE(set);
	return bad ? 1 : 0;
}
