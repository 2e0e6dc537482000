// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf_scan() and the report API on tests/roots/x86-server. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
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

/* Scans @list on @ctx: IRQ @irq's hint (to free), "" when not listed. */
static char *hint_of(struct blockinterf_ctx *ctx, const char *list, const char *irq,
		     bool *movable)
{
	struct blockinterf_report *r = NULL;
	const struct blockinterf_interferer *it;
	cpu_set_t set;
	char *hint;

	if (blockinterf_cpulist_parse(list, 8, &set, sizeof(set)) ||
	    blockinterf_scan(ctx, &set, sizeof(set), 0, &r))
		return strdup("(scan failed)");
	it = find(r, irq);
	hint = strdup(it ? blockinterf_interferer_hint(it) : "");
	*movable = it && blockinterf_interferer_movable(it);
	blockinterf_report_unref(r);
	return hint;
}

/* Hints on tests/roots/offline: CPUs 0-7 possible, 3 offline. */
static void test_offline_hints(void)
{
	char *root = testroot_copy("offline");
	struct blockinterf_ctx *ctx;
	bool movable;
	char *h;

	if (!root || blockinterf_new(&ctx, root))
		abort();
	blockinterf_set_log_priority(ctx, LOG_CRIT);
	h = hint_of(ctx, "2", "4", &movable);
	ok(!strcmp(h, "echo 0-1,3-7 > /proc/irq/4/smp_affinity_list") && movable,
	   "IRQ 4 (affinity 2-3, CPU 3 offline): not moved to offline CPU 3 alone, but off T (\"%s\")", h);
	free(h);
	testroot_write(root, "proc/irq/4/smp_affinity_list", "2\n");
	h = hint_of(ctx, "2", "4", &movable);
	ok(!strcmp(h, "echo 0-1,3-7 > /proc/irq/4/smp_affinity_list"),
	   "IRQ 4 (affinity 2, inside T): every CPU outside T, offline 3 too, as the kernel's default (\"%s\")", h);
	free(h);
	testroot_write(root, "sys/devices/system/cpu/possible", "x\n");
	/* a context reads cpu/possible once: a new one sees the change */
	blockinterf_unref(ctx);
	ctx = NULL;
	if (blockinterf_new(&ctx, root))
		abort();
	blockinterf_set_log_priority(ctx, LOG_CRIT);
	h = hint_of(ctx, "2", "4", &movable);
	ok(!strcmp(h, "echo 0-1,4-7 > /proc/irq/4/smp_affinity_list"),
	   "possible CPUs unknown: the online CPUs outside T, no number the kernel may not know (\"%s\")", h);
	free(h);
	h = hint_of(ctx, "0-2,4-7", "4", &movable);
	ok(!strcmp(h, "no CPU outside the set to move it to") && !movable,
	   "IRQ 4: only offline CPU 3 is outside T: nowhere to move it, not movable (\"%s\")", h);
	free(h);
	blockinterf_unref(ctx);
	testroot_remove(root);
}

/*
 * A dry run validates, then scans: the scan uses the online CPUs the
 * validation read (cpu/online read once, both steps agree); the next
 * scan reads the file again.  tests/roots/offline: CPU 3 offline, IRQ
 * 4's affinity 2-3.
 */
static void test_validated_online(void)
{
	char *root = testroot_copy("offline");
	struct blockinterf_ctx *ctx;
	bool movable;
	cpu_set_t set;
	char *h;

	if (!root || blockinterf_new(&ctx, root))
		abort();
	blockinterf_set_log_priority(ctx, LOG_CRIT);
	blockinterf_cpulist_parse("2", 8, &set, sizeof(set));
	is_int(blockinterf_validate(ctx, &set, sizeof(set)), 0, "validate 2");
	testroot_write(root, "sys/devices/system/cpu/online", "0-7\n");
	h = hint_of(ctx, "2", "4", &movable);
	ok(!strcmp(h, "echo 0-1,3-7 > /proc/irq/4/smp_affinity_list"),
	   "CPU 3 onlined after validation: the scan sees the CPUs validation saw, 3 offline (\"%s\")", h);
	free(h);
	h = hint_of(ctx, "2", "4", &movable);
	ok(!strcmp(h, "echo 3 > /proc/irq/4/smp_affinity_list"),
	   "the next scan reads cpu/online again: CPU 3 online (\"%s\")", h);
	free(h);
	/* a failed validation leaves nothing: the scan reads the file */
	testroot_write(root, "sys/devices/system/cpu/online", "0-2,4-7\n");
	is_int(blockinterf_validate(ctx, &set, sizeof(set)), 0, "validate 2 again");
	blockinterf_cpulist_parse("0-7", 8, &set, sizeof(set));
	is_int(blockinterf_validate(ctx, &set, sizeof(set)), -EINVAL,
	       "validate 0-7: every online CPU, refused");
	testroot_write(root, "sys/devices/system/cpu/online", "0-7\n");
	h = hint_of(ctx, "2", "4", &movable);
	ok(!strcmp(h, "echo 3 > /proc/irq/4/smp_affinity_list"),
	   "after a failed validation the scan reads cpu/online: CPU 3 online (\"%s\")", h);
	free(h);
	blockinterf_unref(ctx);
	testroot_remove(root);
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
	   "IRQ 51 (affinity 3, inside T): moved to every CPU outside T");
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
	test_offline_hints();
	test_validated_online();
	return tap_done();
}
