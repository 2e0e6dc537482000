/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the BPF policy (blockinterf.bpf.c) and its loader (bpf.c). */
#ifndef BLOCKINTERF_BPF_H
#define BLOCKINTERF_BPF_H

#define BI_BPF_MAX_CPUS	8192	/* BLOCKINTERF_MAX_CPUS */
#define BI_MSR_MAJOR	202
#define BI_CPUID_MAJOR	203
#define BI_MTRRIOC_GET_ENTRY_NR		3
#define BI_MTRRIOC_GET_PAGE_ENTRY_NR	8

/* Kernel functions that tell the guarded files apart, by address. */
enum bi_sym {
	BI_SYM_ONLINE_STORE,
	BI_SYM_TARGET_STORE,
	BI_SYM_SMT_CONTROL_STORE,
	BI_SYM_CURRENT_CLOCKSOURCE_STORE,
	BI_SYM_UNBIND_CLOCKSOURCE_STORE,
	BI_SYM_UNBIND_DEVICE_STORE,
	BI_SYM_MTRR_WRITE,
	BI_SYM_MTRR_IOCTL,
	BI_SYM_VMSTAT_REFRESH,
	BI_SYM_NR
};

#endif
