// SPDX-License-Identifier: GPL-2.0-or-later
/* blockinterf --check: kernel support, privilege, the blocked set */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What --check prints, all read before any of it is printed. */
struct check {
	int nr, supported, priv, refused_err;
	const char *iface, *missing, *reason;
	uint64_t refused;
	char *online, *blocked;
};

static int check_gather(struct blockinterf_ctx *ctx, const struct options *o,
			cpu_set_t *set, size_t setsize, struct check *c)
{
	int err;

	c->nr = blockinterf_nr_cpus(ctx);
	if (c->nr < 0)
		return fail_errno(c->nr, "cannot count the CPUs");
	err = blockinterf_online(ctx, set, setsize);
	if (err)
		return fail_errno(err, "cannot read the online CPUs");
	c->online = format_or_fail(set, setsize);
	if (!c->online)
		return EXIT_FAILURE;
	c->supported = blockinterf_supported(ctx);
	if (c->supported < 0)
		return fail_errno(c->supported, "cannot tell kernel support");
	c->iface = blockinterf_interface_name(ctx);
	c->reason = blockinterf_backend_reason(ctx);
	if (c->supported > 0)
		c->refused_err = blockinterf_refused_count(ctx, &c->refused);
	c->priv = blockinterf_check_privilege(ctx, &c->missing);
	/* out of memory is no missing capability */
	if (c->priv && c->priv != -EPERM)
		return fail(EXIT_FAILURE, "cannot check the privileges: %s",
			    strerror(-c->priv));
	if (c->supported == 0 || o->quiet)
		return 0;
	err = blockinterf_get(ctx, set, setsize);
	if (err)
		return fail_errno(err, "cannot read the blocked set");
	c->blocked = format_or_fail(set, setsize);
	return c->blocked ? 0 : EXIT_FAILURE;
}

static void check_print(const struct check *c)
{
	printf("CPUs:            0-%d possible, %s online\n", c->nr - 1,
	       c->online);
	if (c->supported > 0)
		printf("kernel support:  yes, through the %s interface\n", c->iface);
	else
		printf("kernel support:  no; boot a kernel built with CONFIG_BLOCK_INTERF=y, or one with the BPF LSM active\n");
	printf("backend:         %s\n", c->reason ? c->reason : "unknown");
	if (!c->priv)
		printf("privilege:       yes, CAP_SYS_ADMIN is effective\n");
	else
		printf("privilege:       no, %s is missing: only reading is allowed\n",
		       c->missing ? c->missing : "a capability");
	if (c->blocked)
		printf("blocked CPUs:    %s\n", human_list(c->blocked));
	if (c->supported > 0 && !c->refused_err)
		printf("refused:         %llu\n", (unsigned long long)c->refused);
	else if (c->supported > 0)
		printf("refused:         unknown (%s)\n", strerror(-c->refused_err));
}

int cmd_check(struct blockinterf_ctx *ctx, const struct options *o,
		     cpu_set_t *set, size_t setsize)
{
	struct check c = { 0 };
	int ret = check_gather(ctx, o, set, setsize, &c);

	if (!ret && !o->quiet)
		check_print(&c);
	free(c.online);
	free(c.blocked);
	if (ret)
		return ret;
	if (c.supported == 0)
		return EXIT_NOSUPPORT;
	return c.priv ? EXIT_NOPRIV : EXIT_SUCCESS;
}
