// SPDX-License-Identifier: LGPL-2.1-or-later
/* Privilege check through libcap-ng, before anything is written. */
#include <errno.h>

#include <cap-ng.h>

#include "libblockinterf-private.h"

BI_EXPORT int blockinterf_check_privilege(struct blockinterf_ctx *ctx,
					  const char **missing)
{
	if (missing)
		*missing = NULL;
	if (capng_get_caps_process() < 0) {
		bi_err(ctx, "cannot read this process's capabilities\n");
		return -EIO;
	}
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_ADMIN))
		return 0;
	if (missing)
		*missing = "CAP_SYS_ADMIN";
	bi_dbg(ctx, "CAP_SYS_ADMIN is not in the effective set\n");
	return -EPERM;
}
