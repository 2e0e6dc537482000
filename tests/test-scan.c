// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf_scan() and the report API on tests/roots/x86-server. */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "blockinterf.h"
#include "tap.h"
#include "testroot.h"

static const struct blockinterf_interferer *
find(const struct blockinterf_report *r, const char *irq)
{
	const struct blockinterf_interferer *it = NULL;

	while ((it = blockinterf_report_next(r, it)))
		if (!strcmp(blockinterf_interferer_irq(it), irq))
			return it;
	return NULL;
}

int main(void)
{
	char *root = testroot_copy("x86-server");
	const struct blockinterf_interferer *it;
	struct blockinterf_report *r = NULL;
	struct blockinterf_ctx *ctx;
	cpu_set_t set;
	unsigned int n = 0;

	if (blockinterf_new(&ctx, root))
		return 1;
	blockinterf_set_log_priority(ctx, LOG_CRIT);
	blockinterf_cpulist_parse("2-5", 8, &set, sizeof(set));
	is_int(blockinterf_scan(ctx, &set, sizeof(set), 0, &r), 0, "scan 2-5");
	is_int(blockinterf_report_count(r), 10, "10 interferers");
	ok(blockinterf_report_interval(r) == 0, "no interval");
	for (it = blockinterf_report_next(r, NULL); it; it = blockinterf_report_next(r, it))
		n++;
	is_int(n, 10, "the iterator visits all 10");

	it = find(r, "50");
	ok(it && blockinterf_interferer_kind(it) == BLOCKINTERF_KIND_IRQ &&
	   !strcmp(blockinterf_interferer_cpus(it), "2-5") &&
	   blockinterf_interferer_count(it) == 180 &&
	   !strcmp(blockinterf_interferer_affinity(it), "0-7") &&
	   !blockinterf_interferer_effective(it) &&
	   blockinterf_interferer_rate(it) < 0,
	   "IRQ 50: empty effective affinity falls back to smp_affinity 0-7, 180 on 2-5");
	it = find(r, "41");
	ok(it && blockinterf_interferer_managed(it) &&
	   strstr(blockinterf_interferer_hint(it), "managed_irq"), "IRQ 41 is managed");
	it = find(r, "51");
	ok(it && !strcmp(blockinterf_interferer_hint(it),
			 "echo 0-1,6-7 > /proc/irq/51/smp_affinity_list"),
	   "IRQ 51 (affinity 3, inside T): moved to the online CPUs outside T");
	ok(find(r, "0") == NULL && find(r, "9") == NULL && find(r, "40") == NULL &&
	   find(r, "24") == NULL && find(r, "TLB") == NULL && find(r, "ERR") == NULL,
	   "IRQs 0, 9, 40 (affinity outside T), 24 (unknown, silent), TLB, ERR not listed");
	it = find(r, "CAL");
	ok(it && blockinterf_interferer_kind(it) == BLOCKINTERF_KIND_IPI &&
	   !strcmp(blockinterf_kind_name(blockinterf_interferer_kind(it)), "ipi") &&
	   strstr(blockinterf_interferer_hint(it), "kernel-internal calls remain"),
	   "CAL is an IPI: user-space-caused calls refused, kernel-internal ones remain");

	ok(blockinterf_report_ref(r) == r, "report ref");
	ok(blockinterf_report_unref(r) == r, "unref with a reference left returns it");
	ok(blockinterf_report_unref(r) == NULL, "last unref returns NULL");

	is_int(blockinterf_scan(ctx, NULL, 0, 0, &r), -EINVAL, "NULL set: -EINVAL");
	testroot_write(root, "proc/interrupts", "nonsense\n");
	r = NULL;
	is_int(blockinterf_scan(ctx, &set, sizeof(set), 0, &r), -EINVAL,
	       "a garbled proc/interrupts: -EINVAL");
	ok(r == NULL, "and no report");
	blockinterf_unref(ctx);
	testroot_remove(root);
	return tap_done();
}
