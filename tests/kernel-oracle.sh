#!/bin/bash
# Differential test of our cpulist parser against the kernel's own
# bitmap_parselist(), cut out of Debian's linux-source-6.12 right now.
set -euo pipefail
: "${top_srcdir:?}" "${top_builddir:?}"

tarball=/usr/src/linux-source-6.12.tar.xz
if [ ! -r "$tarball" ]; then
	echo "1..0 # SKIP $tarball missing (apt-get install linux-source-6.12)"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "$tarball" -C "$work" --wildcards --strip-components=1 \
	'*/lib/bitmap-str.c' '*/lib/kstrtox.c'

{
	echo '/* generated from linux-source-6.12; not part of blockinterf */'
	# _parse_integer_limit() and _parse_integer()
	awk '/^unsigned int _parse_integer_limit\(/ { on = 1 }
	     on { print }
	     on && /^}/ && ++n == 2 { exit }' "$work/lib/kstrtox.c"
	# struct region ... bitmap_parselist()
	sed -n '/^struct region {/,/^EXPORT_SYMBOL(bitmap_parselist);/p' \
		"$work/lib/bitmap-str.c"
} > "$work/kernel-parselist.inc"
# Our parser refuses a group longer than the CPUs, which the kernel
# takes (and may wrap): the driver is told when the kernel took one.
sed -i 's/^\t\tbitmap_set_region(&r, maskp);/\t\tif (r.group_len > r.nbits)\n\t\t\toracle_long_group = true;\n&/' \
	"$work/kernel-parselist.inc"
grep -q oracle_long_group "$work/kernel-parselist.inc" || {
	echo "Bail out! bitmap_set_region() call not found in $tarball"
	exit 1
}

grep -q '^int bitmap_parselist(' "$work/kernel-parselist.inc" || {
	echo "Bail out! could not cut bitmap_parselist() out of $tarball"
	exit 1
}

${CC:-cc} -std=gnu11 -O1 -w -I"$top_srcdir/include" -I"$work" \
	${SAN_CFLAGS:-} -o "$work/oracle" "$top_srcdir/tests/oracle-driver.c" \
	"$top_builddir/lib/.libs/libblockinterf-internal.a" -lcap-ng -lbitmask
"$work/oracle" "${ORACLE_ROUNDS:-200000}" "${ORACLE_SEED:-$$}"
