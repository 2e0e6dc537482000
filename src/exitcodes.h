/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exit codes of blockinterf(8); tuned profiles branch on them. */
#ifndef BLOCKINTERF_EXITCODES_H
#define BLOCKINTERF_EXITCODES_H

#include <stdlib.h>

/* EXIT_SUCCESS 0, EXIT_FAILURE 1 */
#define EXIT_USAGE		2	/* bad option or CPU list */
#define EXIT_NOSUPPORT		3	/* kernel lacks block_interf_cpumask */
#define EXIT_NOPRIV		4	/* CAP_SYS_ADMIN missing */
#define EXIT_INTERFERERS	5	/* dry run: something would still interrupt */
#define EXIT_INTERRUPTED	130	/* --interval ended by Ctrl-C: 128 + SIGINT */

#endif
