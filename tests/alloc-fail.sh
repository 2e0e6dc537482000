#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every allocation fails in turn: for each command line, a first run
# counts the allocations (tests/failmalloc.c), then run N fails the
# Nth of them, for every N.  Each run must either say why on stderr
# and exit non-zero, or do exactly what the run without failure did
# (same stdout, same exit).  A change must be all or nothing: the mask
# file holds the old set or the new one.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/cli-lib.sh"
MASK=proc/sys/kernel/block_interf_cpumask
shim=$top_builddir/tests/.libs/failmalloc.so

if [ -n "$WRAP" ]; then
	echo "1..0 # SKIP valgrind replaces malloc itself"
	exit 0
fi
if ldd "$BI_STATIC" | grep -q libasan; then
	echo "1..0 # SKIP ASan replaces malloc itself"
	exit 0
fi
[ -f "$shim" ] || { echo "Bail out! no $shim"; exit 1; }

# libsmartcols 2.38 swallows a failed allocation while it prints: its
# print_data() writes "" for a cell it could not encode and
# scols_print_table() returns 0.  Not ours to fix: those allocations
# are spared, and counted apart.
export FAILMALLOC_SPARE=scols_print_table

# run ROOT N ARGS...: the command on ROOT with the Nth allocation failed
# (0: none; the count goes to $out/count); $out/{o,e,s}
run() {
	local r=$1 n=$2; shift 2
	rm -f "$out/count"
	# the shim in the command alone, not in timeout(1)
	timeout "$BI_TIMEOUT" env FAILMALLOC_N="$n" FAILMALLOC_LOG="$out/count" \
		LD_PRELOAD="$shim" "$BI_STATIC" --sysroot "$r" "$@" \
		>"$out/o" 2>"$out/e"
	echo $? >"$out/s"
}

# every_failure FIXTURE ARGS...
every_failure() {
	local fixture=$1 r ref_s total n bad=0 spared=0 what before after; shift
	what="$fixture: $*"
	r=$(root "$fixture")
	printf '1\n' >"$r/$MASK"
	before=$(cat "$r/$MASK")
	run "$r" 0 "$@"
	ref_s=$(cat "$out/s"); cp "$out/o" "$out/ref"
	after=$(cat "$r/$MASK")
	total=$(head -n 1 "$out/count")
	for n in $(seq 1 "$total"); do
		# a fresh root only where the command writes: copies cost
		if [ "$after" != "$before" ]; then
			rm -rf "$r"
			r=$(root "$fixture")
			printf '1\n' >"$r/$MASK"
		fi
		run "$r" "$n" "$@"
		if grep -qx spared "$out/count"; then
			spared=$((spared + 1))
		elif [ "$(cat "$out/s")" = "$ref_s" ] && cmp -s "$out/o" "$out/ref" &&
			[ "$(cat "$r/$MASK")" = "$after" ]; then
			:	# the failure changed nothing that shows
		elif [ "$(cat "$out/s")" != 0 ] && grep -qi 'memory' "$out/e" &&
			[ "$(cat "$r/$MASK")" = "$before" ]; then
			:	# said what went wrong, and changed nothing
		else
			bad=$((bad + 1))
			[ "$bad" -le "${ALLOC_FAIL_SHOW:-5}" ] && {
				echo "allocation $n of $total: exit $(cat "$out/s"), mask '$(cat "$r/$MASK")'"
				head -n 3 "$out/o" | sed 's/^/  stdout: /'
				head -n 3 "$out/e" | sed 's/^/  stderr: /'
			} | diag
		fi
	done
	rm -rf "$r"
	[ "$total" -gt 0 ] && [ "$bad" -eq 0 ]
	ok $? "$what: each of $total allocations failed: an error or the same result ($bad not; $spared spared in libsmartcols)"
}

every_failure small --get
every_failure small --check
every_failure small --dry-run --set 0-2
every_failure x86-server --dry-run --set 2-5 --json --output-all
# as root only: unshare(1) would run under the shim too
if [ "$(id -u)" -eq 0 ]; then
	every_failure small --add 2
else
	skip "the write case needs root"
fi

tap_done
