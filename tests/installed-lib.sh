#!/bin/bash
# Builds the libblockinterf(3) example against an installed tree (DESTDIR
# given as $1) through pkg-config, and runs it on a fixture root.
set -euo pipefail
dest=$1
top=$(cd "$(dirname "$0")/.." && pwd)
pc=$(dirname "$(find "$dest" -name libblockinterf.pc | head -n1)")
prefix=$(PKG_CONFIG_PATH=$pc pkg-config --variable=prefix libblockinterf)
export PKG_CONFIG_PATH=$pc PKG_CONFIG_SYSROOT_DIR=$dest
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/t.c" <<'C'
#define _GNU_SOURCE
#include <blockinterf.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv)
{
	struct blockinterf_ctx *ctx;
	cpu_set_t set;
	char *list;

	if (blockinterf_new(&ctx, argv[1]) ||
	    blockinterf_cpulist_parse("1-2", 4, &set, sizeof(set)))
		return 1;
	list = blockinterf_cpulist_format(&set, sizeof(set));
	printf("%s %d\n", list, blockinterf_nr_cpus(ctx));
	free(list);
	return blockinterf_unref(ctx) == NULL ? 0 : 1;
}
C
# shellcheck disable=SC2046
cc -Wall -Werror -o "$work/t" "$work/t.c" $(pkg-config --cflags --libs libblockinterf)
out=$(LD_LIBRARY_PATH="$dest$prefix/lib" "$work/t" "$top/tests/roots/small")
[ "$out" = "1-2 4" ] || { echo "got '$out'"; exit 1; }
# and nothing but the API is visible
! nm -D "$dest$prefix/lib/libblockinterf.so" | grep -q ' T bi_'
# the .pc's Cflags give the header its _GNU_SOURCE: the example builds
# without its own #define too, warning-free either way
sed '/^#define _GNU_SOURCE$/d' "$work/t.c" > "$work/t2.c"
# shellcheck disable=SC2046
cc -Wall -Werror -o "$work/t2" "$work/t2.c" $(pkg-config --cflags --libs libblockinterf)
# libcap-ng through its own .pc; no libtool archive installed
pkg-config --print-requires-private libblockinterf | grep -qx libcap-ng
! find "$dest" -name '*.la' | grep -q .
