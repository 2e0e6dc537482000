// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Privilege check through libcap-ng, before anything is written.
 *
 * libcap-ng keeps one state per thread, which the caller may have
 * prepared for capng_apply(): reading the process's capabilities
 * overwrites it, so it is saved and restored around the check.
 *
 * This is advice, given before a write so the error can name the
 * capability: it looks at the effective set only.  The kernel decides,
 * and it also wants the capability in the initial user namespace.
 */
#include <errno.h>

#include <cap-ng.h>

#include "libblockinterf-private.h"

BI_EXPORT int blockinterf_check_privilege(struct blockinterf_ctx *ctx,
					  const char **missing)
{
	void *saved;
	int err = 0;

	if (missing)
		*missing = NULL;
	if (!ctx)
		return -EINVAL;
	saved = capng_save_state();
	if (!saved)
		return -ENOMEM;
	if (capng_get_caps_process() < 0) {
		bi_err(ctx, "cannot read this process's capabilities\n");
		err = -EIO;
	} else if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN)) {
		if (missing)
			*missing = "CAP_SYS_ADMIN";
		bi_dbg(ctx, "CAP_SYS_ADMIN is not in the effective set\n");
		err = -EPERM;
	}
	capng_restore_state(&saved);
	return err;
}
