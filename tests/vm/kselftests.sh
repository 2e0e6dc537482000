#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# In the test VM (busybox sh): kselftests.sh vanilla|empty|blocked
#
# Runs the selftests listed in /kself/tests ("name|timeout|dir|command"
# a line), pinned to CPU 0, and prints one line per test:
#   @@KS name verdict exit-status refusals seconds@@
# verdict is PASS (0), SKIP (4, the kselftest skip code) or FAIL, with
# the numbers of the TAP sub-tests that failed, FAIL(2,3), if it printed
# any; refusals is how much kernel.block_interf_refused grew during the
# test.  A last pseudo-test, kernel/log, fails on a kernel warning, BUG
# or lockdep report in dmesg.
# Every test's output follows its line, indented.  Exits non-zero only
# when the kernel is not in the state the mode asks for.
mask=/proc/sys/kernel/block_interf_cpumask
refused=/proc/sys/kernel/block_interf_refused

die() { echo "kselftests.sh: $*"; exit 1; }

case $1 in
vanilla)
	# a vanilla kernel must not have the sysctl, or the comparison is moot
	[ ! -e $mask ] || die "vanilla kernel has $mask"
	;;
empty)
	[ -e $mask ] || die "patched kernel has no $mask"
	[ -z "$(cat $mask)" ] || die "mask not empty at boot: $(cat $mask)"
	;;
blocked)
	# CPU 2: neither the CPU the tests run on (0) nor the one
	# cpu-on-off-test.sh takes down (the highest, 3)
	echo 2 > $mask || die "cannot block CPU 2"
	[ "$(cat $mask)" = 2 ] || die "mask reads '$(cat $mask)', not 2"
	;;
*)
	die "usage: kselftests.sh vanilla|empty|blocked"
	;;
esac

# The _fail primitives never refuse the task's own CPU: pin everything to
# CPU 0, which is never blocked, so that the blocked CPU is always a
# remote one.
taskset -p 1 $$ >/dev/null || die "taskset failed"
pinned=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
[ "$pinned" = 0 ] || die "not pinned to CPU 0 ($pinned)"
echo "# kernel $(uname -r), mode $1, online CPUs $(cat /sys/devices/system/cpu/online), pinned to CPU $pinned"

# A test that fails may leave children running (clocksource-switch's
# forked checker): kill every user process init adopted, other than the
# shell that runs this script and busybox timeout's watchers (they exit
# within a second of their command), so that it cannot disturb the next
# test.
reap() {
	n=0
	for p in /proc/[0-9]*; do
		case ${p#/proc/} in "$$"|"$PPID") continue ;; esac
		pp=$(sed -n 's/^PPid:[[:space:]]*//p' "$p/status" 2>/dev/null)
		[ "$pp" = 1 ] || continue
		[ "$(cat "$p/comm" 2>/dev/null)" != timeout ] || continue
		kill -9 "${p#/proc/}" 2>/dev/null && n=$((n + 1))
	done
	[ $n -eq 0 ] || echo "# killed $n leftover processes"
}

nrefused() {
	if [ -r $refused ]; then cat $refused; else echo 0; fi
}

while IFS='|' read -r name tmo dir cmd; do
	before=$(nrefused)
	t0=$(date +%s)
	(cd "/kself/$dir" && exec timeout "$tmo" sh -c "$cmd") > /tmp/ks.log 2>&1
	rc=$?
	reap >> /tmp/ks.log
	t1=$(date +%s)
	after=$(nrefused)
	case $rc in
	0) verdict=PASS ;;
	4) verdict=SKIP ;;
	*) verdict=FAIL ;;
	esac
	sub=$(awk '/^not ok [0-9]+ / { s = s (s == "" ? "" : ",") $3 } END { print s }' /tmp/ks.log)
	[ -z "$sub" ] || verdict="$verdict($sub)"
	echo "@@KS $name $verdict $rc $((after - before)) $((t1 - t0))@@"
	sed 's/^/    /' /tmp/ks.log
done < /kself/tests

# kernel/log: a kernel splat anywhere in the run
if dmesg | grep -E 'WARNING:|BUG:|INFO: |possible .*locking|Call Trace' > /tmp/ks.log; then
	echo "@@KS kernel/log FAIL 1 0 0@@"
else
	echo "@@KS kernel/log PASS 0 0 0@@"
fi
sed 's/^/    /' /tmp/ks.log

# the tests must leave the machine as they found it
echo "# online CPUs after the tests: $(cat /sys/devices/system/cpu/online)"
[ "$1" != blocked ] || [ "$(cat $mask)" = 2 ] || die "mask changed to '$(cat $mask)'"
exit 0
