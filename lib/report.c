// SPDX-License-Identifier: LGPL-2.1-or-later
/* The scan's report: reference counting, the iterator, the accessors. */
#include <stdlib.h>

#include "report.h"

void bi_interferer_free(struct blockinterf_interferer *it)
{
	free(it->irq);
	free(it->name);
	free(it->cpus);
	free(it->affinity);
	free(it->effective);
	free(it->hint);
}

void bi_report_free(struct blockinterf_report *r)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++)
		bi_interferer_free(&r->items[i]);
	free(r->items);
	free(r);
}

BI_EXPORT struct blockinterf_report *
blockinterf_report_ref(struct blockinterf_report *r)
{
	if (r)
		r->refcount++;
	return r;
}

BI_EXPORT struct blockinterf_report *
blockinterf_report_unref(struct blockinterf_report *r)
{
	if (!r)
		return NULL;
	if (--r->refcount > 0)
		return r;
	bi_report_free(r);
	return NULL;
}

BI_EXPORT unsigned int blockinterf_report_count(const struct blockinterf_report *r)
{
	return r->nr;
}

BI_EXPORT double blockinterf_report_interval(const struct blockinterf_report *r)
{
	return r->interval;
}

BI_EXPORT const struct blockinterf_interferer *
blockinterf_report_next(const struct blockinterf_report *r,
			const struct blockinterf_interferer *prev)
{
	const struct blockinterf_interferer *next = prev ? prev + 1 : r->items;

	return next < r->items + r->nr ? next : NULL;
}

BI_EXPORT const char *blockinterf_interferer_irq(const struct blockinterf_interferer *i)
{
	return i->irq;
}

BI_EXPORT enum blockinterf_kind
blockinterf_interferer_kind(const struct blockinterf_interferer *i)
{
	return i->kind;
}

BI_EXPORT const char *blockinterf_kind_name(enum blockinterf_kind kind)
{
	switch (kind) {
	case BLOCKINTERF_KIND_IRQ:
		return "irq";
	case BLOCKINTERF_KIND_IPI:
		return "ipi";
	default:
		return "other";
	}
}

BI_EXPORT const char *blockinterf_interferer_name(const struct blockinterf_interferer *i)
{
	return i->name;
}

BI_EXPORT const char *blockinterf_interferer_cpus(const struct blockinterf_interferer *i)
{
	return i->cpus;
}

BI_EXPORT unsigned long long
blockinterf_interferer_count(const struct blockinterf_interferer *i)
{
	return i->count;
}

BI_EXPORT double blockinterf_interferer_rate(const struct blockinterf_interferer *i)
{
	return i->rate;
}

BI_EXPORT const char *
blockinterf_interferer_affinity(const struct blockinterf_interferer *i)
{
	return i->affinity;
}

BI_EXPORT const char *
blockinterf_interferer_effective(const struct blockinterf_interferer *i)
{
	return i->effective;
}

BI_EXPORT bool blockinterf_interferer_managed(const struct blockinterf_interferer *i)
{
	return i->managed;
}

BI_EXPORT bool blockinterf_interferer_movable(const struct blockinterf_interferer *i)
{
	return i->movable;
}

BI_EXPORT const char *blockinterf_interferer_hint(const struct blockinterf_interferer *i)
{
	return i->hint;
}
