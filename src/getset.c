// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf --get, --set, --add, --remove, --clear */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_get(struct blockinterf_ctx *ctx, const struct options *o,
		   cpu_set_t *set, size_t setsize)
{
	int err = blockinterf_get(ctx, set, setsize);

	if (err)
		return fail_errno(err, "cannot read the blocked set");
	return o->quiet ? EXIT_SUCCESS : print_set(set, setsize);
}

/*
 * "2-3 -> 2-7": the set read before the change, and what the change makes
 * of it (not read back: a concurrent change is the other command's to
 * report).  All of it made before the change: once the set is changed,
 * only a write error can fail, and a non-zero exit means "unchanged".
 */
static int prepare_change(struct blockinterf_ctx *ctx, const struct options *o,
			  const cpu_set_t *arg, size_t setsize, char **line)
{
	cpu_set_t *set = CPU_ALLOC(BLOCKINTERF_MAX_CPUS);
	char *before = NULL, *after = NULL;
	unsigned int cpu;
	int err, ret = EXIT_FAILURE;

	if (!set)
		return fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
	err = blockinterf_get(ctx, set, setsize);
	if (err) {
		ret = fail_errno(err, "cannot read the blocked set");
		goto out;
	}
	before = format_or_fail(set, setsize);
	if (!before)
		goto out;
	for (cpu = 0; cpu < setsize * 8; cpu++) {
		bool in = !o->clear && CPU_ISSET_S(cpu, setsize, arg);

		if (o->clear || (o->set && !in) || (o->remove && in))
			CPU_CLR_S(cpu, setsize, set);
		else if (in)
			CPU_SET_S(cpu, setsize, set);
	}
	after = format_or_fail(set, setsize);
	if (!after)
		goto out;
	if (asprintf(line, "%s -> %s\n", human_list(before), human_list(after)) < 0) {
		*line = NULL;
		fail(EXIT_FAILURE, "%s", strerror(ENOMEM));
		goto out;
	}
	ret = 0;
out:
	free(before);
	free(after);
	CPU_FREE(set);
	return ret;
}

static int change(struct blockinterf_ctx *ctx, const struct options *o,
		  const cpu_set_t *arg, size_t setsize)
{
	if (o->clear)
		return blockinterf_clear(ctx);
	if (o->set)
		return blockinterf_set(ctx, arg, setsize);
	if (o->add)
		return blockinterf_add(ctx, arg, setsize);
	return blockinterf_remove(ctx, arg, setsize);
}

/*
 * Usage errors (exit 2) come before kernel support (exit 3), and a dry
 * run needs no support: a plan can be checked before rebooting.
 */
int cmd_modify(struct blockinterf_ctx *ctx, const struct options *o,
		      cpu_set_t *arg, size_t setsize)
{
	const char *list = o->set ? o->set : o->add ? o->add : o->remove;
	const char *opt = o->set ? "--set" : o->add ? "--add" : "--remove";
	char *line = NULL;
	int nr, ret, err, supported, priv;

	nr = blockinterf_nr_cpus(ctx);
	if (nr < 0)
		return fail_errno(nr, "cannot count the CPUs");
	if (!o->clear) {
		ret = parse_list(ctx, opt, list, nr, arg, setsize);
		if (ret)
			return ret;
	}
	supported = blockinterf_supported(ctx);
	if (supported < 0)
		return fail_errno(supported, "cannot tell kernel support");
	if (o->dry_run)
		return dry_run(ctx, o, supported, arg, setsize);
	if (!supported)
		return fail(EXIT_NOSUPPORT, "no backend: %s; boot a kernel built with CONFIG_BLOCK_INTERF=y, or one with the BPF LSM active",
			    blockinterf_backend_reason(ctx));

	/*
	 * "old -> new" made first: a failure there changes nothing.  Not
	 * without the privilege: the change fails then and says why (the
	 * BPF backend does not even let the old set be read).
	 */
	priv = o->quiet ? 0 : blockinterf_check_privilege(ctx, NULL);
	if (priv && priv != -EPERM)
		return fail(EXIT_FAILURE, "cannot check the privileges: %s",
			    strerror(-priv));
	if (!o->quiet && !priv) {
		ret = prepare_change(ctx, o, arg, setsize, &line);
		if (ret)
			return ret;
	}
	err = change(ctx, o, arg, setsize);
	if (!err && line)
		fputs(line, stdout);
	free(line);
	return err ? fail_errno(err, "cannot change the blocked set") : EXIT_SUCCESS;
}

/* Detaching patches kernel text (an IPI to every CPU): never with a CPU blocked. */
int cmd_unload(struct blockinterf_ctx *ctx)
{
	int err = blockinterf_unload(ctx);

	if (err == -EOPNOTSUPP && blockinterf_supported(ctx) > 0)
		return fail(EXIT_FAILURE, "the %s interface is the kernel's own: there is nothing to unload",
			    blockinterf_interface_name(ctx));
	if (err == -EBUSY)
		return fail(EXIT_FAILURE, "CPUs are blocked: run blockinterf --clear first");
	return err ? fail_errno(err, "cannot unload the BPF LSM policy") : EXIT_SUCCESS;
}
