// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The interferer scan: for a candidate set T, what in /proc/interrupts
 * would still interrupt T once it is blocked, and what to do about it.
 *
 *  - a numeric row (a device IRQ) has an affinity A: its
 *    effective_affinity_list when readable and not empty, else its
 *    smp_affinity_list, else unknown.  It is listed when A is known and
 *    meets T, or A is unknown and it fired on T;
 *  - any other row is listed when it fired on T;
 *  - never listed: global counters (ERR, MIS, arm's Err: one count on a
 *    multi-CPU machine) and s390's class totals (EXT, I/O, AIO: the sums
 *    of the rows whose description starts "[EXT]", ...).
 *
 * A device IRQ is "movable" when user space can change its affinity:
 * the kernel makes smp_affinity read-only for managed and per-CPU IRQs
 * and for chips that cannot be steered (kernel/irq/proc.c), and per-CPU
 * sources are known by name where proc/irq says nothing.
 *
 * "Fired" counts since boot, or, with an interval, the deltas between
 * two reads, taken per CPU modulo 2^32 (the kernel's counters are
 * unsigned int) and matched by row name, since rows come and go; a row
 * whose description changed is new (an IRQ number reused).
 */
#include <errno.h>
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
	cpu_set_t *all;			/* see read_possible() */
	size_t fmtsize;			/* the possible CPUs: sets are counted and formatted this far */
	bool have_nohz;
	int irqbalance;			/* see irqbalance_runs(), -1 unknown */
	unsigned int ncols;
	char totals[8][8];		/* s390: "EXT", "I/O", "AIO" */
	unsigned int nr_totals;
	struct bi_dir irq;		/* proc/irq, opened once */
	struct fmt_cache {		/* the last sets formatted, see format_set() */
		cpu_set_t *set;
		char *list;
	} fmt[4];
	unsigned int fmt_next;
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

static enum blockinterf_kind row_kind(const char *name, const char *desc)
{
	static const char *const ipis[] = {
		"RES", "CAL", "TLB", "IWI", "PIN", "NPI", "PIW",
		"EXC", "EMS",	/* s390: External Call, Emergency Signal */
	};
	size_t i;

	if (is_number(name))
		return strstr(desc, "percpu-ipi") ? BLOCKINTERF_KIND_IPI	/* Xen */
						  : BLOCKINTERF_KIND_IRQ;
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

/*
 * @row's counts minus @old's, per candidate, modulo 2^32; a candidate
 * @old did not see (its CPU came online) is unknown: 0.  Both lists of
 * candidates are ascending.
 */
static void row_deltas(struct bi_irq_row *row, const struct bi_irq_row *old)
{
	unsigned int i, j = 0;

	for (i = 0; i < row->nr_hits; i++) {
		while (j < old->nr_hits && old->hits[j] < row->hits[i])
			j++;
		if (j < old->nr_hits && old->hits[j] == row->hits[i])
			row->vals[i] -= old->vals[j];
		else
			row->vals[i] = 0;
	}
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

		old = find_row(earlier, slots, size, row->name);
		/*
		 * New row: all its counts are recent.  So are those of an
		 * IRQ number freed and requested again under another name
		 * between the reads: its counts started again from 0.  A
		 * shared IRQ that gained a handler is taken for new too:
		 * its count since boot listed, too much rather than a
		 * wrapped delta.
		 */
		if (!old || strcmp(old->desc, row->desc))
			continue;
		row_deltas(row, old);
	}
	free(slots);
	return 0;
}

/* --- one listed row -------------------------------------------------- */

/*
 * Rows repeat their sets: every hint that falls back to "every CPU
 * outside T" names the same CPUs, and an IRQ's affinity is often its
 * effective affinity.  Formatting costs a pass over every possible CPU
 * (libbitmask walks bit by bit), a compare costs fmtsize bytes: the
 * last few sets are kept.  A caller owns what it gets, as from the
 * library call.
 */
static char *format_set(struct scan *s, const cpu_set_t *set)
{
	struct fmt_cache *c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->fmt); i++) {
		c = &s->fmt[i];
		if (c->list && !memcmp(c->set, set, s->fmtsize))
			return strdup(c->list);
	}
	c = &s->fmt[s->fmt_next++ % ARRAY_SIZE(s->fmt)];
	if (!c->set)
		c->set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	free(c->list);
	c->list = c->set ? blockinterf_cpulist_format(set, s->fmtsize) : NULL;
	if (!c->list)
		return NULL;
	memcpy(c->set, set, s->fmtsize);
	return strdup(c->list);
}

static void free_fmt_cache(struct scan *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->fmt); i++) {
		CPU_FREE(s->fmt[i].set);
		free(s->fmt[i].list);
	}
}

/*
 * "N/FILE" below proc/irq: the one place the path is spelled.  @irq is
 * a row's name that is a number (is_number()): no "/" or "..".
 */
static void irq_path(char *buf, size_t size, const char *irq, const char *file)
{
	snprintf(buf, size, "%s/%s", irq, file);
}

/*
 * A file the scan can do without (missing, unreadable, not a list: the
 * set is unknown) gives 0 for @err < 0, but running out of memory is
 * no property of the file: it stays an error, not an "unknown".
 */
static int optional(int err)
{
	return err == -ENOMEM ? err : err >= 0;
}

/*
 * A list file under proc/irq/N/: 1 with the set, 0 when unknown/empty,
 * or -ENOMEM.  @mode, when not NULL, gets the file's mode, 0 when it
 * could not be read.
 */
static int read_irq_list(struct scan *s, const char *irq, const char *file,
			 cpu_set_t *set, mode_t *mode)
{
	char path[96];
	int ret;

	if (mode)
		*mode = 0;
	irq_path(path, sizeof(path), irq, file);
	ret = optional(bi_read_cpulist_at(s->ctx, &s->irq, path, set,
					  BI_SETSIZE, mode));
	return ret > 0 ? CPU_COUNT_S(s->fmtsize, set) > 0 : ret;
}

/*
 * The kernel makes smp_affinity and smp_affinity_list read-only, both
 * from one mode (kernel/irq/proc.c, register_irq_proc()), when user
 * space cannot move the IRQ.  @mode is smp_affinity_list's when it was
 * read: no system call more; else smp_affinity's is looked at.
 */
static bool irq_is_fixed(struct scan *s, const char *irq, mode_t mode)
{
	char path[96];

	if (!mode) {
		irq_path(path, sizeof(path), irq, "smp_affinity");
		/* below proc/irq, as every other path: no links */
		if (bi_mode_at(&s->irq, path, &mode) < 0)
			return false;
	}
	return S_ISREG(mode) && !(mode & 0222);
}

/* "GICv3  27 Level ...": hwirqs 16-31 are PPIs, one per CPU. */
static bool is_gic_ppi(const char *desc)
{
	unsigned int hwirq;

	return !strncmp(desc, "GIC", 3) &&
	       sscanf(desc, "%*s %u", &hwirq) == 1 && hwirq >= 16 && hwirq < 32;
}

/* Per-CPU sources that are not GIC PPIs, by the names their drivers use. */
static bool is_percpu(const char *desc)
{
	static const char *const names[] = {
		"xen-percpu-",		/* Xen per-CPU event channels */
		"arch_timer",		/* Apple AIC-FIQ, arm timers */
		"arm-pmu",
		"riscv-timer",		/* RISC-V INTC */
		"kvm guest ",		/* arm KVM's per-CPU timers */
	};
	size_t i;

	if (is_gic_ppi(desc))
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(desc, names[i]))
			return true;
	return false;
}

/*
 * Do @a and @b share a CPU below the last possible one?  meets() needs a
 * scratch set; irq_hint() has none left.
 */
static bool intersects(const struct scan *s, const cpu_set_t *a, const cpu_set_t *b)
{
	const __cpu_mask *x = a->__bits, *y = b->__bits;	/* CPU_ALLOC()ed */
	size_t i;

	for (i = 0; i < s->fmtsize / sizeof(__cpu_mask); i++)
		if (x[i] & y[i])
			return true;
	return false;
}

/* The tick's hint: nohz_full= stops it, and names the CPUs it still lacks. */
static char *tick_hint(struct scan *s, cpu_set_t *tmp)
{
	char *list, *hint = NULL;
	int ret;

	bi_cpuset_andnot(tmp, s->t, s->nohz);
	if (!CPU_COUNT_S(s->fmtsize, tmp))
		return strdup("nohz_full already: one task per CPU stops the tick");
	list = format_set(s, tmp);
	if (!list)
		return NULL;
	if (s->have_nohz)
		ret = asprintf(&hint, "nohz_full= lacks %s: boot with it covering them", list);
	else
		ret = asprintf(&hint, "boot with nohz_full=%s", list);
	free(list);
	return ret < 0 ? NULL : hint;
}

/* arm64's and RISC-V's tick is a per-CPU IRQ, x86's the LOC row. */
static bool is_tick(const char *name, const char *desc)
{
	return !strcmp(name, "LOC") || strstr(desc, "arch_timer") ||
	       strstr(desc, "riscv-timer");
}

/*
 * irqbalance, running or set up to run, rewrites smp_affinity_list
 * unless the CPUs are banned: its socket directory (irqbalance 1.4 and
 * later), its unit or its settings.  Looked for once, at the first
 * movable IRQ.
 */
static bool irqbalance_present(struct scan *s)
{
	static const char *const paths[] = {
		"run/irqbalance",
		"etc/default/irqbalance",
		"etc/sysconfig/irqbalance",
		"usr/lib/systemd/system/irqbalance.service",
		"lib/systemd/system/irqbalance.service",
	};
	size_t i;

	if (s->irqbalance < 0) {
		s->irqbalance = 0;
		for (i = 0; i < ARRAY_SIZE(paths) && !s->irqbalance; i++)
			s->irqbalance = bi_probe(s->ctx, paths[i]) == 0;
	}
	return s->irqbalance;
}

/* The command that moves IRQ @irq to @list; a shell comment when irqbalance would undo it. */
static char *move_hint(struct scan *s, const char *irq, const char *list)
{
	char *hint, *t = NULL;
	int ret;

	if (!irqbalance_present(s))
		ret = asprintf(&hint, "echo %s > /proc/irq/%s/smp_affinity_list",
			       list, irq);
	else if (!(t = format_set(s, s->t)))
		return NULL;
	else
		ret = asprintf(&hint, "echo %s > /proc/irq/%s/smp_affinity_list  # irqbalance moves it back unless IRQBALANCE_BANNED_CPULIST has %s",
			       list, irq, t);
	free(t);
	return ret < 0 ? NULL : hint;
}

/* Sets it->movable when the hint is a command that can work now. */
static char *irq_hint(struct scan *s, const struct bi_irq_row *row,
		      struct blockinterf_interferer *it, bool have_aff,
		      const cpu_set_t *aff, cpu_set_t *tmp)
{
	char *list, *hint;

	if (is_tick(row->name, row->desc))
		return tick_hint(s, tmp);
	if (is_percpu(row->desc))
		return strdup("per-CPU interrupt, cannot be moved");
	if (it->managed)
		return strdup("managed, use isolcpus=managed_irq");
	if (!have_aff)
		return strdup("affinity unknown: no /proc/irq entry");
	/*
	 * Listed for its effective affinity while smp_affinity_list is
	 * already off T: the move waits for the IRQ's next interrupt, and
	 * writing the value again would change nothing.
	 */
	if (!intersects(s, aff, s->t))
		return strdup("pending: smp_affinity_list avoids these CPUs, the IRQ moves at its next interrupt");
	/*
	 * The affinity minus T; if no online CPU is left in it, every CPU
	 * outside T (an IRQ nobody placed has every CPU).  The kernel takes
	 * offline CPUs in a mask and uses the online ones; a mask with no
	 * online CPU it refuses (EINVAL, write_irq_affinity()).
	 */
	bi_cpuset_andnot(tmp, aff, s->t);
	if (!intersects(s, tmp, s->online)) {
		bi_cpuset_andnot(tmp, s->online, s->t);
		if (!CPU_COUNT_S(s->fmtsize, tmp))
			return strdup("no CPU outside the set to move it to");
		bi_cpuset_andnot(tmp, s->all, s->t);
	}
	list = format_set(s, tmp);
	if (!list)
		return NULL;
	hint = move_hint(s, row->name, list);
	it->movable = hint != NULL;
	free(list);
	return hint;
}

static char *other_hint(struct scan *s, const char *name, const char *desc,
			cpu_set_t *tmp)
{
	if (!strcmp(name, "CAL") || !strcmp(name, "EXC") ||
	    strstr(desc, "unction call") || strstr(desc, "callfunc"))
		return strdup("refused when user space causes it; kernel-internal calls remain");
	if (is_tick(name, desc))
		return tick_hint(s, tmp);
	if (!strcmp(name, "RES") || strstr(desc, "Rescheduling") || strstr(desc, "resched"))
		return strdup("not refused (scheduler wakeups): keep one runnable task per CPU");
	if (!strcmp(name, "TLB") || strstr(desc, "TLB"))
		return strdup("keep threads sharing memory off these CPUs");
	return strdup("");
}

/* Sums the row's counts over T; @hits gets the CPUs that counted. */
static unsigned long long row_counts(struct scan *s, const struct bi_irq_row *row,
				     cpu_set_t *hits)
{
	unsigned long long sum = 0;
	unsigned int t;

	CPU_ZERO_S(s->fmtsize, hits);
	if (!row->vals) {	/* one read: the parser kept the sums */
		for (t = 0; t < row->nr_hits; t++)
			CPU_SET_S(s->tcpus[row->hits[t]], s->fmtsize, hits);
		return row->sum;
	}
	for (t = 0; t < row->nr_hits; t++) {
		if (!row->vals[t])
			continue;
		sum += row->vals[t];
		CPU_SET_S(s->tcpus[row->hits[t]], s->fmtsize, hits);
	}
	return sum;
}

/* s390: a row without description named by other rows' "[EXT]" prefix. */
static bool is_total(const struct scan *s, const struct bi_irq_row *row)
{
	unsigned int i;

	if (*row->desc)
		return false;
	for (i = 0; i < s->nr_totals; i++)
		if (!strcmp(s->totals[i], row->name))
			return true;
	return false;
}

static void find_totals(struct scan *s, const struct bi_irq_table *t)
{
	unsigned int r, i;

	for (r = 0; r < t->nr_rows; r++) {
		const char *d = t->rows[r].desc;
		size_t len;

		if (d[0] != '[')
			continue;
		len = strcspn(d + 1, "]");
		if (d[1 + len] != ']' || len >= sizeof(s->totals[0]))
			continue;
		for (i = 0; i < s->nr_totals; i++)
			if (!strncmp(s->totals[i], d + 1, len) && !s->totals[i][len])
				break;
		if (i == s->nr_totals && i < sizeof(s->totals) / sizeof(s->totals[0])) {
			memcpy(s->totals[i], d + 1, len);
			s->totals[i][len] = '\0';
			s->nr_totals++;
		}
	}
}

/* More counts than CPU columns and no present-CPU match: say so. */
static int judge_mismatch(struct scan *s, const struct bi_irq_row *row,
			  struct blockinterf_interferer *it,
			  enum blockinterf_kind kind)
{
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->rate = -1;
	it->irq = strdup(row->name);
	it->name = strdup(row->desc);
	it->cpus = strdup("?");
	if (asprintf(&it->hint, "%u counts for %u CPU columns: not attributed to CPUs",
		     row->nr_vals, s->ncols) < 0)
		it->hint = NULL;
	return it->irq && it->name && it->cpus && it->hint ? 1 : -ENOMEM;
}

/* @tmp = @a & T; is it not empty? */
static bool meets(const struct scan *s, const cpu_set_t *a, cpu_set_t *tmp)
{
	CPU_AND_S(s->fmtsize, tmp, a, s->t);
	return CPU_COUNT_S(s->fmtsize, tmp) > 0;
}

/* Decides whether @row is listed; fills @it when it is. Returns 1, 0, -errno. */
static int judge_row(struct scan *s, const struct bi_irq_row *row,
		     struct blockinterf_interferer *it, cpu_set_t **sets)
{
	cpu_set_t *hits = sets[0], *aff = sets[1], *eff = sets[2], *tmp = sets[3];
	enum blockinterf_kind kind = row_kind(row->name, row->desc);
	bool have_aff = false, have_eff = false, numbered = is_number(row->name);
	mode_t aff_mode = 0;
	unsigned long long count = row_counts(s, row, hits);
	int ret;
	const cpu_set_t *hit = hits;

	if ((row->layout == BI_ROW_GLOBAL && !numbered) || is_total(s, row))
		return 0;
	if (row->layout == BI_ROW_MISMATCH)
		return judge_mismatch(s, row, it, kind);
	if (numbered) {
		/* smp_affinity_list only when needed: a row not listed costs one file */
		ret = read_irq_list(s, row->name, "effective_affinity_list",
				    eff, NULL);
		if (ret < 0)
			return ret;
		have_eff = ret;
		if (have_eff && !meets(s, eff, tmp))
			return 0;
		ret = read_irq_list(s, row->name, "smp_affinity_list", aff,
				    &aff_mode);
		if (ret < 0)
			return ret;
		have_aff = ret;
		if (!have_eff && have_aff && !meets(s, aff, tmp))
			return 0;
		if (have_eff || have_aff)
			hit = tmp;
		else if (!count)
			return 0;
	} else if (!count) {
		return 0;
	}

	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->count = count;
	it->rate = -1;
	it->irq = strdup(row->name);
	it->name = strdup(row->desc);
	it->cpus = format_set(s, hit);
	if (have_aff)
		it->affinity = format_set(s, aff);
	if (have_eff)
		it->effective = format_set(s, eff);
	if (numbered) {
		it->managed = irq_is_fixed(s, row->name, aff_mode) &&
			      !is_percpu(row->desc);
		it->hint = irq_hint(s, row, it, have_aff, aff, hits);
	} else {
		it->hint = other_hint(s, row->name, row->desc, hits);
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
	s->ncols = table->nr_cols;
	find_totals(s, table);
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

/* nohz_full reads "(null)" when there is none, which is no list. */
static int read_nohz(struct scan *s)
{
	int ret = optional(bi_read_cpulist(s->ctx, "sys/devices/system/cpu/nohz_full",
					   s->nohz, BI_SETSIZE));

	s->have_nohz = ret > 0 && CPU_COUNT_S(BI_SETSIZE, s->nohz) > 0;
	if (!s->have_nohz)	/* it held the present CPUs */
		CPU_ZERO_S(BI_SETSIZE, s->nohz);
	return ret < 0 ? ret : 0;
}

static int read_counts(struct scan *s, const struct bi_irq_cpus *cpus,
		       struct bi_irq_table *table)
{
	unsigned int line;
	int err = bi_irq_read(s->ctx, "proc/interrupts", cpus, table, &line);

	if (err == -EINVAL || err == -E2BIG)
		bi_err(s->ctx, BI_PATH_FMT ", line %u: not what the kernel prints\n",
		       BI_PATH(s->ctx, "proc/interrupts"), line);
	else if (err)
		bi_err(s->ctx, "cannot read " BI_PATH_FMT ": %s\n",
		       BI_PATH(s->ctx, "proc/interrupts"), strerror(-err));
	return err;
}

static int sample(struct scan *s, const struct bi_irq_cpus *cpus, unsigned int interval_ms,
		  struct bi_irq_table *table)
{
	struct bi_irq_table first;
	struct timespec ts = {
		.tv_sec = interval_ms / 1000,
		.tv_nsec = (long)(interval_ms % 1000) * 1000000L,
	};
	int err;

	err = read_counts(s, cpus, interval_ms ? &first : table);
	if (err || !interval_ms)
		return err;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	err = read_counts(s, cpus, table);
	if (!err)
		err = take_deltas(table, &first);
	bi_irq_table_free(&first);
	if (err)
		bi_irq_table_free(table);
	return err;
}

/* The present CPUs as an ascending array, or NULL when unknown. */
static int read_present(struct scan *s, cpu_set_t *tmp, unsigned int **cpusp,
			unsigned int *nr)
{
	unsigned int *cpus, cpu, span;
	int ret;

	*nr = 0;
	*cpusp = NULL;
	ret = optional(bi_read_cpulist(s->ctx, "sys/devices/system/cpu/present",
				       tmp, BI_SETSIZE));
	if (ret <= 0)
		return ret;
	span = bi_cpuset_span(tmp, BI_SETSIZE);
	cpus = malloc((span ? span : 1) * sizeof(*cpus));
	if (!cpus)
		return -ENOMEM;
	for (cpu = 0; cpu < span; cpu++)
		if (CPU_ISSET_S(cpu, BI_SETSIZE, tmp))
			cpus[(*nr)++] = cpu;
	*cpusp = cpus;
	return 0;
}

/*
 * The CPU numbers the kernel knows, 0 to the last possible one: sets
 * are formatted that far, and s->all gets them (the kernel refuses an
 * affinity naming any other, ERANGE).  Unknown: all BI_SETSIZE CPUs
 * are formatted and s->all is the online ones.
 */
static int read_possible(struct scan *s)
{
	int nr = blockinterf_nr_cpus(s->ctx);
	unsigned int cpu;

	if (nr == -ENOMEM)
		return nr;
	if (nr <= 0 || nr > BLOCKINTERF_MAX_CPUS) {
		s->fmtsize = BI_SETSIZE;
		memcpy(s->all, s->online, BI_SETSIZE);
		return 0;
	}
	s->fmtsize = CPU_ALLOC_SIZE(nr);
	CPU_ZERO_S(BI_SETSIZE, s->all);
	for (cpu = 0; cpu < (unsigned int)nr; cpu++)
		CPU_SET_S(cpu, BI_SETSIZE, s->all);
	return 0;
}

/*
 * The online CPUs: as blockinterf_validate() read them just before (a
 * dry run validates, then scans), or read now.  Taken, so that a later
 * scan reads the file again.
 */
static int take_online(struct blockinterf_ctx *ctx, cpu_set_t *online)
{
	if (!ctx->validated_online)
		return blockinterf_online(ctx, online, BI_SETSIZE);
	memcpy(online, ctx->validated_online, BI_SETSIZE);
	CPU_FREE(ctx->validated_online);
	ctx->validated_online = NULL;
	return 0;
}

BI_EXPORT int blockinterf_scan(struct blockinterf_ctx *ctx, const cpu_set_t *cpus,
			       size_t setsize, unsigned int interval_ms,
			       struct blockinterf_report **reportp)
{
	struct scan s = { .ctx = ctx, .irqbalance = -1 };
	struct blockinterf_report *r = NULL;
	struct bi_irq_cpus ic = { 0 };
	struct bi_irq_table table;
	unsigned int *tcpus = NULL, *present = NULL, cpu, span;
	int err = -ENOMEM;

	if (!ctx || !cpus || !reportp)
		return -EINVAL;
	span = bi_cpuset_span(cpus, setsize);
	if (span > BLOCKINTERF_MAX_CPUS)
		return -ERANGE;
	s.t = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	s.online = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	s.nohz = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	s.all = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	tcpus = malloc((span ? span : 1) * sizeof(*tcpus));
	r = calloc(1, sizeof(*r));
	if (!s.t || !s.online || !s.nohz || !s.all || !tcpus || !r)
		goto out;
	CPU_ZERO_S(BI_SETSIZE, s.t);
	for (cpu = 0; cpu < span; cpu++)
		if (CPU_ISSET_S(cpu, setsize, cpus)) {
			CPU_SET_S(cpu, BI_SETSIZE, s.t);
			tcpus[s.nr_t++] = cpu;
		}
	s.tcpus = tcpus;
	err = take_online(ctx, s.online);
	if (err)
		goto out;
	err = read_possible(&s);
	if (err)
		goto out;
	ic.tcpus = tcpus;
	ic.nr_t = s.nr_t;
	ic.sums_only = !interval_ms;	/* deltas need every count */
	err = read_present(&s, s.nohz, &present, &ic.nr_present);
	ic.present = present;
	if (!err)	/* after read_present() borrowed its set */
		err = read_nohz(&s);
	if (!err)
		err = sample(&s, &ic, interval_ms, &table);
	if (err)
		goto out;
	r->refcount = 1;
	r->interval = interval_ms / 1000.0;
	/* none (-ENOENT): every affinity is unknown */
	err = optional(bi_dir_open(ctx, "proc/irq", &s.irq));
	if (err >= 0)
		err = judge_table(&s, &table, r->interval, r);
	bi_dir_close(&s.irq);
	bi_irq_table_free(&table);
out:
	free_fmt_cache(&s);
	CPU_FREE(s.t);
	CPU_FREE(s.online);
	CPU_FREE(s.nohz);
	CPU_FREE(s.all);
	free(tcpus);
	free(present);
	if (err && r)
		bi_report_free(r);
	else
		*reportp = r;
	return err;
}
