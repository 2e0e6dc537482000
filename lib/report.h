/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scan's report: what lib/scan.c fills and lib/report.c hands out. */
#ifndef LIBBLOCKINTERF_REPORT_H
#define LIBBLOCKINTERF_REPORT_H

#include "libblockinterf-private.h"

struct blockinterf_interferer {
	char *irq, *name, *cpus, *affinity, *effective, *hint;
	enum blockinterf_kind kind;
	unsigned long long count;
	double rate;
	bool managed;
	bool movable;		/* the hint is a command that works now */
};

struct blockinterf_report {
	int refcount;
	double interval;
	struct blockinterf_interferer *items;
	unsigned int nr;
};

void bi_interferer_free(struct blockinterf_interferer *it);
void bi_report_free(struct blockinterf_report *r);

#endif
