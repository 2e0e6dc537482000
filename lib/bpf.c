// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The BPF LSM backend: blockinterf.bpf.c's programs, attached once and
 * pinned with their maps under /sys/fs/bpf/blockinterf/, so that the
 * policy outlives the command.  The mask is a map, one element a CPU:
 * a change writes only the CPUs that change, and never patches kernel
 * text.  Attaching does (an IPI to every CPU): it happens at the first
 * write that blocks a CPU, and detaching only on request, with no CPU
 * blocked (blockinterf_unload()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libblockinterf-private.h"
#include "backend.h"

bool bi_lsm_has_bpf(const char *lsm)
{
	size_t len;

	while (*lsm) {
		len = strcspn(lsm, ",\n");
		if (len == 3 && !strncmp(lsm, "bpf", 3))
			return true;
		lsm += len;
		lsm += strspn(lsm, ",\n");
	}
	return false;
}

/* "ffffffff81000000 t name" or "... t name\t[module]": vmlinux only. */
int bi_kallsyms_match(const char *line, const char *name,
		      unsigned long long *addr)
{
	char type, sym[128];
	int used = 0;

	if (sscanf(line, "%llx %c %127s%n", addr, &type, sym, &used) != 3)
		return 0;
	if (strcmp(sym, name))
		return 0;
	return line[used] == '\0' || line[used] == '\n';
}

#ifdef HAVE_BPF
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "blockinterf-bpf.h"
#include "blockinterf.skel.h"

#define BPF_FS		"/sys/fs/bpf"
#define BPF_FS_MAGIC	0xcafe4a11
#define MASK_PIN	BI_BPF_DIR "/blockinterf_mask"
#define REFUSED_PIN	BI_BPF_DIR "/blockinterf_refused"
#define LINK_PIN	BI_BPF_DIR "/link_"
#define KALLSYMS	"/proc/kallsyms"

/* The programs, by the names their links are pinned under. */
static const char *const prog_names[] = {
	"bi_file_permission", "bi_file_ioctl", "bi_file_ioctl_compat",
	"bi_perf_event_alloc", "bi_perf_event_read", "bi_perf_event_write",
};

/* In the order of enum bi_sym. */
static const char *const sym_names[BI_SYM_NR] = {
	"online_store", "target_store", "control_store",
	"current_clocksource_store", "unbind_clocksource_store",
	"unbind_device_store", "mtrr_write", "mtrr_ioctl", "vmstat_refresh",
};

static int unusable(struct blockinterf_ctx *ctx, const char *why)
{
	snprintf(ctx->reason, sizeof(ctx->reason), "%s", why);
	return BI_IFACE_NONE;
}

static int bpf_probe(struct blockinterf_ctx *ctx)
{
	char lsm[512];
	struct statfs fs;
	int err;

	if (!ctx->real_root)
		return unusable(ctx, "BPF LSM backend: not for a sysroot");
	err = bi_read_file(ctx, BI_LSM_LIST, lsm, sizeof(lsm));
	if (err < 0)
		return unusable(ctx, "BPF LSM backend: no active LSM list (/sys/kernel/security/lsm): no CONFIG_SECURITY, or securityfs not mounted");
	if (!bi_lsm_has_bpf(lsm))
		return unusable(ctx, "BPF LSM backend: bpf is not in the active LSM list (/sys/kernel/security/lsm); boot with lsm=...,bpf");
	if (bi_probe(ctx, BI_BTF_VMLINUX))
		return unusable(ctx, "BPF LSM backend: the kernel has no BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)");
	if (statfs(BPF_FS, &fs) || fs.f_type != BPF_FS_MAGIC)
		return unusable(ctx, "BPF LSM backend: no BPF file system at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)");
	snprintf(ctx->reason, sizeof(ctx->reason),
		 "BPF LSM backend: bpf is an active LSM and the kernel has BTF");
	return BI_IFACE_BPF;
}

/* The pinned mask, or -ENOENT when the policy was never attached. */
static int mask_fd(struct blockinterf_ctx *ctx)
{
	int fd = bpf_obj_get(MASK_PIN);

	if (fd < 0 && errno != ENOENT)
		bi_err(ctx, "cannot open %s: %s\n", MASK_PIN, strerror(errno));
	return fd < 0 ? -errno : fd;
}

static int bpf_get(struct blockinterf_ctx *ctx, cpu_set_t *set)
{
	int fd, nr, err = 0;
	__u32 cpu;
	__u8 v;

	CPU_ZERO_S(BI_SETSIZE, set);
	fd = mask_fd(ctx);
	if (fd == -ENOENT)
		return 0;	/* never attached: nothing blocked */
	if (fd < 0)
		return fd;
	nr = blockinterf_nr_cpus(ctx);
	for (cpu = 0; nr > 0 && cpu < (__u32)nr && !err; cpu++) {
		err = bpf_map_lookup_elem(fd, &cpu, &v) ? -errno : 0;
		if (!err && v)
			CPU_SET_S(cpu, BI_SETSIZE, set);
	}
	close(fd);
	if (nr < 0)
		return nr;
	if (err)
		bi_err(ctx, "cannot read %s: %s\n", MASK_PIN, strerror(-err));
	return err;
}

/* The addresses the programs compare with, from /proc/kallsyms. */
static int fill_syms(struct blockinterf_ctx *ctx, struct blockinterf_bpf *skel)
{
	unsigned long long addr;
	char line[256];
	FILE *f = fopen(KALLSYMS, "re");
	int i;

	if (!f) {
		bi_err(ctx, "cannot read %s: %s\n", KALLSYMS, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f))
		for (i = 0; i < BI_SYM_NR; i++)
			if (!skel->rodata->sym[i] &&
			    bi_kallsyms_match(line, sym_names[i], &addr))
				skel->rodata->sym[i] = addr;
	fclose(f);
	for (i = 0; i < BI_SYM_NR; i++)
		if (!skel->rodata->sym[i])
			bi_dbg(ctx, "%s is not in %s: its file is not guarded\n",
			       sym_names[i], KALLSYMS);
	/* kptr_restrict hides every address as 0: nothing would be guarded */
	return skel->rodata->sym[BI_SYM_UNBIND_DEVICE_STORE] ? 0 : -EPERM;
}

static int pin_links(struct blockinterf_ctx *ctx, struct blockinterf_bpf *skel)
{
	struct bpf_program *prog;
	struct bpf_link *link;
	char path[256];
	int err;

	bpf_object__for_each_program(prog, skel->obj) {
		link = bpf_program__attach_lsm(prog);
		err = libbpf_get_error(link);
		if (err) {
			bi_err(ctx, "cannot attach %s: %s\n",
			       bpf_program__name(prog), strerror(-err));
			return err;
		}
		snprintf(path, sizeof(path), LINK_PIN "%s",
			 bpf_program__name(prog));
		err = bpf_link__pin(link, path);
		bpf_link__destroy(link);	/* the pin keeps it attached */
		if (err) {
			bi_err(ctx, "cannot pin %s: %s\n", path, strerror(-err));
			return err;
		}
	}
	return 0;
}

static bool attached(void)
{
	return !access(LINK_PIN "bi_file_permission", F_OK);
}

/* Load and attach once; the maps pinned before (mask kept) are reused. */
static int attach(struct blockinterf_ctx *ctx)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = BI_BPF_DIR);
	struct blockinterf_bpf *skel;
	int nr, err;

	if (attached())
		return 0;
	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return nr;
	if (mkdir(BI_BPF_DIR, 0700) && errno != EEXIST)
		return -errno;
	skel = blockinterf_bpf__open_opts(&opts);
	if (!skel)
		return -errno;
	skel->rodata->nr_cpus = (__u32)nr;
	err = fill_syms(ctx, skel);
	if (!err)
		err = blockinterf_bpf__load(skel);
	if (err)
		bi_err(ctx, "cannot load the BPF LSM policy: %s\n", strerror(-err));
	if (!err)
		err = pin_links(ctx, skel);
	blockinterf_bpf__destroy(skel);
	return err;
}

/*
 * New CPUs are blocked before old ones are unblocked: while the
 * writes go on, the mask is the union of the two, never less.
 */
static int write_diff(int fd, const cpu_set_t *old, const cpu_set_t *set,
		      unsigned int nr)
{
	__u32 cpu;
	__u8 v;
	int pass;

	for (pass = 1; pass >= 0; pass--)
		for (cpu = 0; cpu < nr; cpu++) {
			v = (__u8)pass;
			if (!!CPU_ISSET_S(cpu, BI_SETSIZE, set) != pass ||
			    !!CPU_ISSET_S(cpu, BI_SETSIZE, old) == pass)
				continue;
			if (bpf_map_update_elem(fd, &cpu, &v, BPF_EXIST))
				return -errno;
		}
	return 0;
}

static int bpf_write(struct blockinterf_ctx *ctx, const cpu_set_t *set)
{
	cpu_set_t *old;
	int fd, nr, err;

	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return nr;
	/* nothing to block and nothing attached: attaching is for blocking */
	if (CPU_COUNT_S(BI_SETSIZE, set) == 0 && !attached())
		return 0;
	err = attach(ctx);
	if (err)
		return err;
	old = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	if (!old)
		return -ENOMEM;
	err = bpf_get(ctx, old);
	fd = err ? err : mask_fd(ctx);
	err = fd < 0 ? fd : write_diff(fd, old, set, (unsigned int)nr);
	if (fd >= 0)
		close(fd);
	CPU_FREE(old);
	if (err)
		bi_err(ctx, "cannot write %s: %s\n", MASK_PIN, strerror(-err));
	return err;
}

static int bpf_refused(struct blockinterf_ctx *ctx, uint64_t *count)
{
	int fd = bpf_obj_get(REFUSED_PIN), n, i, err;
	__u32 zero = 0;
	__u64 *v;

	*count = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	n = libbpf_num_possible_cpus();
	v = n > 0 ? calloc((size_t)n, sizeof(*v)) : NULL;
	err = v ? 0 : -ENOMEM;
	if (!err && bpf_map_lookup_elem(fd, &zero, v))
		err = -errno;
	for (i = 0; !err && i < n; i++)
		*count += v[i];
	free(v);
	close(fd);
	(void)ctx;
	return err;
}

static int bpf_unload(struct blockinterf_ctx *ctx)
{
	cpu_set_t *set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	char path[256];
	int i, err;

	if (!set)
		return -ENOMEM;
	err = bpf_get(ctx, set);
	if (!err && CPU_COUNT_S(BI_SETSIZE, set)) {
		bi_err(ctx, "CPUs are blocked: clear the set before unloading the policy\n");
		err = -EBUSY;
	}
	CPU_FREE(set);
	if (err)
		return err;
	/* the links first: programs that run look the maps up */
	for (i = 0; i < (int)ARRAY_SIZE(prog_names); i++) {
		snprintf(path, sizeof(path), LINK_PIN "%s", prog_names[i]);
		if (unlink(path) && errno != ENOENT)
			return -errno;
	}
	if ((unlink(MASK_PIN) && errno != ENOENT) ||
	    (unlink(REFUSED_PIN) && errno != ENOENT) ||
	    (rmdir(BI_BPF_DIR) && errno != ENOENT))
		return -errno;
	return 0;
}

const struct bi_backend_ops bi_bpf_ops = {
	.name = "bpf",
	.probe = bpf_probe,
	.get = bpf_get,
	.write = bpf_write,
	.refused = bpf_refused,
	.unload = bpf_unload,
};

#else /* !HAVE_BPF */

static int bpf_probe(struct blockinterf_ctx *ctx)
{
	snprintf(ctx->reason, sizeof(ctx->reason),
		 "BPF LSM backend: not built (%s)", BPF_NOT_BUILT);
	return BI_IFACE_NONE;
}

const struct bi_backend_ops bi_bpf_ops = {
	.name = "bpf",
	.probe = bpf_probe,
};

#endif
