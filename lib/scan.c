// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The interferer scan: for a candidate set T, what in /proc/interrupts
 * would still interrupt T once it is blocked, and what to do about it.
 *
 *  - a numeric row (a device IRQ) has an affinity A: its
 *    effective_affinity_list when readable and not empty, else its
 *    smp_affinity_list, else unknown.  It is listed when A is known and
 *    meets T, or A is unknown and it fired on T;
 *  - any other row is listed when it fired on T.
 *
 * "Fired" counts since boot, or, with an interval, the deltas between
 * two reads, taken per CPU modulo 2^32 (the kernel's counters are
 * unsigned int) and matched by row name, since rows come and go.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "interrupts.h"

#include "report.h"

/* What the rules need besides the counts. */
struct scan {
	struct blockinterf_ctx *ctx;
	const unsigned int *tcpus;
	unsigned int nr_t;
	cpu_set_t *t, *online, *nohz;	/* BI_SETSIZE each */
	bool have_nohz;
	uint64_t *counts;		/* per candidate CPU, for one row */
};

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static enum blockinterf_kind row_kind(const char *name)
{
	static const char *const ipis[] = {
		"RES", "CAL", "TLB", "IWI", "PIN", "NPI", "PIW",
	};
	size_t i;

	if (is_number(name))
		return BLOCKINTERF_KIND_IRQ;
	if (!strncmp(name, "IPI", 3) && is_number(name + 3))	/* arm64 */
		return BLOCKINTERF_KIND_IPI;
	for (i = 0; i < sizeof(ipis) / sizeof(ipis[0]); i++)
		if (!strcmp(name, ipis[i]))
			return BLOCKINTERF_KIND_IPI;
	return BLOCKINTERF_KIND_OTHER;
}

/* --- interval deltas, rows matched by name ------------------------ */

static size_t hash_name(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Index of the rows of @t by name: open addressing, -1 for empty. */
static int *index_rows(const struct bi_irq_table *t, size_t *size)
{
	size_t n = 16, i;
	int *slots;

	while (n < 2 * (size_t)t->nr_rows)
		n *= 2;
	slots = malloc(n * sizeof(*slots));
	if (!slots)
		return NULL;
	memset(slots, 0xff, n * sizeof(*slots));
	for (i = 0; i < t->nr_rows; i++) {
		size_t h = hash_name(t->rows[i].name) & (n - 1);

		while (slots[h] >= 0)
			h = (h + 1) & (n - 1);
		slots[h] = (int)i;
	}
	*size = n;
	return slots;
}

static const struct bi_irq_row *find_row(const struct bi_irq_table *t,
					 const int *slots, size_t size,
					 const char *name)
{
	size_t h = hash_name(name) & (size - 1);

	for (; slots[h] >= 0; h = (h + 1) & (size - 1))
		if (!strcmp(t->rows[slots[h]].name, name))
			return &t->rows[slots[h]];
	return NULL;
}

/* Turns @later's counts into deltas since @earlier, in place. */
static int take_deltas(struct bi_irq_table *later,
		       const struct bi_irq_table *earlier)
{
	size_t size, r;
	int *slots = index_rows(earlier, &size);

	if (!slots)
		return -ENOMEM;
	for (r = 0; r < later->nr_rows; r++) {
		struct bi_irq_row *row = &later->rows[r];
		const struct bi_irq_row *old;
		unsigned int c;

		old = find_row(earlier, slots, size, row->name);
		if (!old)
			continue;	/* new row: all its counts are recent */
		for (c = 0; c < later->nr_t; c++) {
			if (row->seen[c] && old->seen[c])
				row->vals[c] -= old->vals[c];	/* mod 2^32 */
			else
				row->vals[c] = 0;	/* CPU came online: unknown */
		}
	}
	free(slots);
	return 0;
}

/* --- one listed row -------------------------------------------------- */

static char *format_set(const cpu_set_t *set)
{
	return blockinterf_cpulist_format(set, BI_SETSIZE);
}

/* A list file under proc/irq/N/: the set, or false when unknown/empty. */
static bool read_irq_list(struct scan *s, const char *irq, const char *file,
			  cpu_set_t *set)
{
	char path[96];

	snprintf(path, sizeof(path), "proc/irq/%s/%s", irq, file);
	return bi_read_cpulist(s->ctx, path, set, BI_SETSIZE) >= 0 &&
	       CPU_COUNT_S(BI_SETSIZE, set) > 0;
}

static bool irq_is_managed(struct scan *s, const char *irq)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "proc/irq/%s/smp_affinity", irq);
	return !fstatat(s->ctx->rootfd, path, &st, 0) && !(st.st_mode & 0222);
}

/* "GICv3  27 Level ...": hwirqs 16-31 are PPIs, one per CPU. */
static bool is_gic_ppi(const char *desc)
{
	unsigned int hwirq;

	return !strncmp(desc, "GIC", 3) &&
	       sscanf(desc, "%*s %u", &hwirq) == 1 && hwirq >= 16 && hwirq < 32;
}

static char *irq_hint(struct scan *s, const struct bi_irq_row *row, bool managed,
		      bool have_aff, const cpu_set_t *aff, cpu_set_t *tmp)
{
	const char *irq = row->name;
	char *list, *hint;

	if (is_gic_ppi(row->desc))
		return strdup("per-CPU interrupt, cannot be moved");
	if (managed)
		return strdup("managed, use isolcpus=managed_irq");
	if (!have_aff)
		return strdup("affinity unknown: no /proc/irq entry");
	/* The affinity minus T; if nothing is left, the online CPUs minus T. */
	bi_cpuset_andnot(tmp, aff, s->t);
	if (!CPU_COUNT_S(BI_SETSIZE, tmp))
		bi_cpuset_andnot(tmp, s->online, s->t);
	list = format_set(tmp);
	if (!list)
		return NULL;
	if (!*list)
		hint = strdup("no CPU outside the set to move it to");
	else if (asprintf(&hint, "echo %s > /proc/irq/%s/smp_affinity_list",
			  list, irq) < 0)
		hint = NULL;
	free(list);
	return hint;
}

static char *other_hint(struct scan *s, const char *name, const char *desc)
{
	unsigned int t;
	bool all_nohz = s->have_nohz;

	if (!strcmp(name, "CAL") || strstr(desc, "Function call") ||
	    strstr(desc, "function call"))
		return strdup("refused by block_interf");
	if (!strcmp(name, "LOC")) {
		for (t = 0; t < s->nr_t; t++)
			all_nohz &= !!CPU_ISSET_S(s->tcpus[t], BI_SETSIZE, s->nohz);
		return strdup(all_nohz ? "nohz_full already: one task per CPU stops the tick"
				       : "boot with nohz_full= covering these CPUs");
	}
	if (!strcmp(name, "RES") || strstr(desc, "Rescheduling"))
		return strdup("keep one runnable task per CPU");
	if (!strcmp(name, "TLB") || strstr(desc, "TLB"))
		return strdup("keep threads sharing memory off these CPUs");
	return strdup("");
}

/* Sums the row's counts over T into s->counts and @hits; returns the sum. */
static unsigned long long row_counts(struct scan *s, const struct bi_irq_row *row,
				     cpu_set_t *hits)
{
	unsigned long long sum = 0;
	unsigned int t;

	CPU_ZERO_S(BI_SETSIZE, hits);
	for (t = 0; t < s->nr_t; t++) {
		if (!row->seen[t] || !row->vals[t])
			continue;
		sum += row->vals[t];
		CPU_SET_S(s->tcpus[t], BI_SETSIZE, hits);
	}
	return sum;
}

/* Decides whether @row is listed; fills @it when it is. Returns 1, 0, -errno. */
static int judge_row(struct scan *s, const struct bi_irq_row *row,
		     struct blockinterf_interferer *it, cpu_set_t **sets)
{
	cpu_set_t *hits = sets[0], *aff = sets[1], *eff = sets[2], *tmp = sets[3];
	enum blockinterf_kind kind = row_kind(row->name);
	bool have_aff = false, have_eff = false;
	unsigned long long count = row_counts(s, row, hits);
	const cpu_set_t *hit = hits;

	if (kind == BLOCKINTERF_KIND_IRQ) {
		have_aff = read_irq_list(s, row->name, "smp_affinity_list", aff);
		have_eff = read_irq_list(s, row->name, "effective_affinity_list", eff);
		if (have_eff || have_aff) {
			CPU_AND_S(BI_SETSIZE, tmp, have_eff ? eff : aff, s->t);
			if (!CPU_COUNT_S(BI_SETSIZE, tmp))
				return 0;
			hit = tmp;
		} else if (!count) {
			return 0;
		}
	} else if (!count) {
		return 0;
	}

	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->count = count;
	it->rate = -1;
	it->irq = strdup(row->name);
	it->name = strdup(row->desc);
	it->cpus = format_set(hit);
	if (have_aff)
		it->affinity = format_set(aff);
	if (have_eff)
		it->effective = format_set(eff);
	if (kind == BLOCKINTERF_KIND_IRQ) {
		it->managed = irq_is_managed(s, row->name);
		it->hint = irq_hint(s, row, it->managed, have_aff, aff, hits);
	} else {
		it->hint = other_hint(s, row->name, row->desc);
	}
	if (!it->irq || !it->name || !it->cpus || !it->hint ||
	    (have_aff && !it->affinity) || (have_eff && !it->effective))
		return -ENOMEM;
	return 1;
}

static int judge_table(struct scan *s, const struct bi_irq_table *table,
		       double interval, struct blockinterf_report *r)
{
	cpu_set_t *sets[4] = { NULL };
	unsigned int i;
	int ret = 0;

	r->items = calloc(table->nr_rows ? table->nr_rows : 1, sizeof(*r->items));
	for (i = 0; i < 4; i++)
		sets[i] = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	if (!r->items || !sets[0] || !sets[1] || !sets[2] || !sets[3])
		ret = -ENOMEM;
	for (i = 0; !ret && i < table->nr_rows; i++) {
		struct blockinterf_interferer *it = &r->items[r->nr];

		ret = judge_row(s, &table->rows[i], it, sets);
		if (ret == 1) {
			if (interval > 0)
				it->rate = (double)it->count / interval;
			r->nr++;
			ret = 0;
		} else if (ret < 0) {
			bi_interferer_free(it);
		}
	}
	for (i = 0; i < 4; i++)
		CPU_FREE(sets[i]);
	return ret;
}

/* nohz_full reads "(null)" when there is none. */
static void read_nohz(struct scan *s)
{
	char buf[64];

	s->have_nohz = bi_read_file(s->ctx, "sys/devices/system/cpu/nohz_full",
				    buf, sizeof(buf)) >= 0 &&
		       strncmp(buf, "(null)", 6) &&
		       bi_read_cpulist(s->ctx, "sys/devices/system/cpu/nohz_full",
				       s->nohz, BI_SETSIZE) >= 0;
}

static int read_counts(struct scan *s, unsigned int *tcpus,
		       struct bi_irq_table *table)
{
	unsigned int line;
	int err = bi_irq_read(s->ctx, "proc/interrupts", tcpus, s->nr_t,
			      table, &line);

	if (err == -EINVAL || err == -E2BIG)
		bi_err(s->ctx, "proc/interrupts, line %u: not what the kernel prints\n",
		       line);
	else if (err)
		bi_err(s->ctx, "cannot read proc/interrupts: %s\n", strerror(-err));
	return err;
}

static int sample(struct scan *s, unsigned int *tcpus, unsigned int interval_ms,
		  struct bi_irq_table *table)
{
	struct bi_irq_table first;
	struct timespec ts = {
		.tv_sec = interval_ms / 1000,
		.tv_nsec = (long)(interval_ms % 1000) * 1000000L,
	};
	int err;

	err = read_counts(s, tcpus, interval_ms ? &first : table);
	if (err || !interval_ms)
		return err;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	err = read_counts(s, tcpus, table);
	if (!err)
		err = take_deltas(table, &first);
	bi_irq_table_free(&first);
	if (err)
		bi_irq_table_free(table);
	return err;
}

BI_EXPORT int blockinterf_scan(struct blockinterf_ctx *ctx, const cpu_set_t *cpus,
			       size_t setsize, unsigned int interval_ms,
			       struct blockinterf_report **reportp)
{
	struct scan s = { .ctx = ctx };
	struct blockinterf_report *r = NULL;
	struct bi_irq_table table;
	unsigned int *tcpus = NULL, cpu, span;
	int err = -ENOMEM;

	if (!cpus || !reportp)
		return -EINVAL;
	span = bi_cpuset_span(cpus, setsize);
	if (span > BLOCKINTERF_MAX_CPUS)
		return -ERANGE;
	s.t = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	s.online = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	s.nohz = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	tcpus = malloc((span ? span : 1) * sizeof(*tcpus));
	r = calloc(1, sizeof(*r));
	if (!s.t || !s.online || !s.nohz || !tcpus || !r)
		goto out;
	CPU_ZERO_S(BI_SETSIZE, s.t);
	for (cpu = 0; cpu < span; cpu++)
		if (CPU_ISSET_S(cpu, setsize, cpus)) {
			CPU_SET_S(cpu, BI_SETSIZE, s.t);
			tcpus[s.nr_t++] = cpu;
		}
	s.tcpus = tcpus;
	err = blockinterf_online(ctx, s.online, BI_SETSIZE);
	if (err)
		goto out;
	read_nohz(&s);

	err = sample(&s, tcpus, interval_ms, &table);
	if (err)
		goto out;
	r->refcount = 1;
	r->interval = interval_ms / 1000.0;
	err = judge_table(&s, &table, r->interval, r);
	bi_irq_table_free(&table);
out:
	CPU_FREE(s.t);
	CPU_FREE(s.online);
	CPU_FREE(s.nohz);
	free(tcpus);
	if (err && r)
		bi_report_free(r);
	else
		*reportp = r;
	return err;
}
