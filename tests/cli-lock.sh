#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Concurrent writers on a sysroot: without the kernel's own add and
# remove, --add is a read-modify-write of the mask file, serialised by
# an flock() on ROOT/run/lock/blockinterf.  Two --add at once must both
# land; a lock file that is a link or a FIFO is an error, not a hang.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/cli-lib.sh"
MASK=proc/sys/kernel/block_interf_cpumask
LOCK=run/lock/blockinterf

if [ "$admin" = none ]; then
	echo "1..0 # SKIP writes need root or an unprivileged user namespace"
	exit 0
fi

# --- 60 writers at once -------------------------------------------------
# Each adds its own CPU; a lost update leaves some of them out.  Under
# valgrind each run is slow: the timeout is for all of them.
n=${LOCK_WRITERS:-60}
r=$(root large)
pids=()
for cpu in $(seq 1 "$n"); do
	timeout 600 $admin $WRAP "$BI" --sysroot "$r" --add "$cpu" \
		>"$out/o.$cpu" 2>"$out/e.$cpu" &
	pids+=($!)
done
failures=0
for pid in "${pids[@]}"; do
	wait "$pid" || failures=$((failures + 1))
done
[ "$failures" -eq 0 ]; ok $? "$n concurrent --add: every one exits 0 ($failures did not)"
cat "$out"/e.* | grep -v '^--[0-9]*-- ' | head -n 5 | diag
file_is "$r" "1-$n" "$n concurrent --add of distinct CPUs: all $n blocked"
[ -f "$r/$LOCK" ]; ok $? "the lock file is $LOCK below the sysroot"
[ "$(stat -c %a "$r/$LOCK")" = 644 ]; ok $? "mode 0644 ($(stat -c %a "$r/$LOCK"))"

# --- a held lock holds a writer back -----------------------------------
# flock(1) holds it; each change must wait for it, then go through.
r=$(root small)
mkdir -p "$r/run/lock"
for cmd in "--add 2" "--set 3" "--remove 3" "--clear"; do
	printf '1\n' >"$r/$MASK"
	rm -f "$out/held"
	flock "$r/$LOCK" sh -c ": >'$out/held'; sleep 1" &
	holder=$!
	for _ in $(seq 100); do [ -e "$out/held" ] && break; sleep 0.05; done
	# shellcheck disable=SC2086
	timeout "$BI_TIMEOUT" $admin $WRAP "$BI" --sysroot "$r" $cmd \
		>/dev/null 2>"$out/e" &
	writer=$!
	sleep 0.5
	kill -0 "$writer" 2>/dev/null && [ "$(cat "$r/$MASK")" = 1 ]
	ok $? "$cmd waits while another process holds the lock"
	wait "$holder"
	wait "$writer"; ok $? "$cmd then goes through (exit $?)"
done
file_is "$r" "" "and the last one, --clear, cleared"

# --- a lock held for ever (any user can hold it) makes a writer fail ------
r=$(root small)
mkdir -p "$r/run/lock"
printf '1\n' >"$r/$MASK"
rm -f "$out/held"
# the holder becomes the sleep: killing it drops the lock
( exec 9>"$r/$LOCK"; flock 9; : >"$out/held"; exec sleep 40 ) >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do [ -e "$out/held" ] && break; sleep 0.05; done
start=$(date +%s)
bi_admin --sysroot "$r" --add 2
took=$(($(date +%s) - start))
status_is 1 "a lock held for good: --add gives up, exit 1, after $took s"
grep -q "another process has held it for 10 s" "$out/e"
ok $? "and says why: $(head -n 1 "$out/e")"
[ "$took" -ge 9 ] && [ "$took" -le 30 ]; ok $? "after about 10 s, under valgrind more ($took)"
file_is "$r" 1 "the mask unchanged"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# --- the lock file is not ours to follow ---------------------------------
for kind in symlink fifo dirlink; do
	r=$(root small)
	printf '1\n' >"$r/$MASK"
	mkdir -p "$r/run/lock" "$out/elsewhere"
	case $kind in
	symlink) ln -s "$out/elsewhere/target" "$r/$LOCK" ;;
	fifo) mkfifo "$r/$LOCK" ;;
	# a link out of the root where a directory should be: inside it
	dirlink) rm -r "$r/run/lock"; ln -s "$out/elsewhere" "$r/run/lock" ;;
	esac
	bi_admin --sysroot "$r" --add 2
	if [ "$kind" = dirlink ]; then
		# resolved inside the root (openat2), or refused (the walk)
		[ ! -e "$out/elsewhere/blockinterf" ]
		ok $? "run/lock a link out of the root: nothing made outside"
		continue
	fi
	status_is 1 "lock file a $kind: exit 1"
	one_error_line "lock file a $kind"
	grep -q "$r/$LOCK" "$out/e"; ok $? "and the error names the file"
	file_is "$r" "1" "lock file a $kind: nothing written"
	[ ! -e "$out/elsewhere/target" ]; ok $? "lock file a $kind: nothing made outside"
done

# --- what needs no lock does not make one --------------------------------
r=$(root small)
bi --sysroot "$r" --get
bi --sysroot "$r" --dry-run --add 2
[ ! -e "$r/run" ]; ok $? "--get and --dry-run leave the sysroot as it was"

tap_done
