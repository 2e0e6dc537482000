// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf --get, --set, --add, --remove, --clear */
#include <errno.h>
#include <stdio.h>

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
 * Usage errors (exit 2) come before kernel support (exit 3), and a dry
 * run needs no support: a plan can be checked before rebooting.
 */
int cmd_modify(struct blockinterf_ctx *ctx, const struct options *o,
		      cpu_set_t *arg, size_t setsize)
{
	const char *list = o->set ? o->set : o->add ? o->add : o->remove;
	const char *opt = o->set ? "--set" : o->add ? "--add" : "--remove";
	int nr, ret, err, supported;

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

	if (o->clear)
		err = blockinterf_clear(ctx);
	else if (o->set)
		err = blockinterf_set(ctx, arg, setsize);
	else if (o->add)
		err = blockinterf_add(ctx, arg, setsize);
	else
		err = blockinterf_remove(ctx, arg, setsize);
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
