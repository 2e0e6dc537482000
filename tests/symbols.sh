#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shared library exports exactly the version script's symbols, all
# under LIBBLOCKINTERF_1, and the header declares each of them.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"

so=$(ls "$top_builddir"/lib/.libs/libblockinterf.so.* 2>/dev/null | head -n1)
if [ -z "$so" ]; then
	echo "1..0 # SKIP no shared library built"
	exit 0
fi
want=$(sed -n 's/^\t\(blockinterf_[a-z_]*\);$/\1/p' "$top_srcdir/lib/libblockinterf.sym" | sort)
got=$(nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort)
diff <(echo "$want") <(echo "$got") | diag
ok "${PIPESTATUS[0]}" "exported symbols are the version script's ($(echo "$got" | wc -l))"

bad=$(nm -D --defined-only "$so" | awk '$2 == "T" && $3 !~ /@@LIBBLOCKINTERF_1$/')
echo "$bad" | diag
[ -z "$bad" ]; ok $? "every symbol carries LIBBLOCKINTERF_1"
missing=0
for sym in $want; do
	grep -q "\b$sym(" "$top_srcdir/include/blockinterf.h" || { echo "$sym" | diag; missing=1; }
done
ok $missing "blockinterf.h declares every exported symbol"

# Every exported function has a page (or a .so link to one) that
# make install ships.
missing=0
for sym in $want; do
	{ [ -f "$top_srcdir/man/$sym.3" ] &&
	  grep -q "man/$sym\.3" "$top_srcdir/Makefile.am"; } ||
		{ echo "no man page: $sym" | diag; missing=1; }
done
ok $missing "every exported symbol has a man page in dist_man_MANS"

# libblockinterf(3)'s example builds warning-free against the header
# (it must hold every CPU a kernel can have: CPU_ALLOC, not cpu_set_t).
work=$(mktemp -d)
sed -n '/^\.SH EXAMPLE/,/^\.EE/p' "$top_srcdir/man/libblockinterf.3" |
	sed '1,2d;$d' | sed 's/\\-/-/g; s/\\e/\\/g' >"$work/ex.c"
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -I"$top_srcdir/include" \
	-c -o "$work/ex.o" "$work/ex.c" 2>&1 | diag
ok "${PIPESTATUS[0]}" "the libblockinterf(3) example compiles"
grep -q 'CPU_ALLOC(BLOCKINTERF_MAX_CPUS)' "$work/ex.c"
ok $? "and allocates its set for BLOCKINTERF_MAX_CPUS"
rm -rf "$work"
tap_done
