#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the VM (tests/vm/static-keys): the mask, then a static key,
# switched on and off for SECONDS each, while readers on CPUs 0-2 run
# through the converted paths.
#   1. the mask goes "" -> 3 -> "" from CPU 3, while CPU 0 reads CPU 3's
#      MSR and CPUs 1-2 open perf events on CPUs 3 and 1: the readers
#      test the mask with no lock as it is published and withdrawn
#      (series v3 switched a static key here; v4 patches no text).
#   2. the same readers while the ipi:ipi_send_cpu event, and with it
#      the tracepoints any event enables, goes on and off: keys the
#      vanilla kernel has too.
# Each key switch patches kernel text under the readers' feet; a vCPU
# that ran a stale copy of it would die of "Oops: int3".  TAP.
secs=${1:-20}
B=/proc/sys/kernel/block_interf_cpumask
R=/proc/sys/kernel/block_interf_refused
E=/sys/kernel/tracing/events/ipi/ipi_send_cpu/enable
n=0 failed=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

cal3() {	# function-call IPIs CPU 3 took
	awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "CPU3") c = i + 1 }
	     $1 == "CAL:" { print $c }' /proc/interrupts
}

switch() {	# switch FILE ON OFF: on and off for $secs s; prints the count
	end=$(($(date +%s) + secs)) k=0
	while [ "$(date +%s)" -lt "$end" ]; do
		BI_CPU=3 bi-helper write "$1" "$2" > /dev/null || return 1
		BI_CPU=3 bi-helper write "$1" "$3" > /dev/null || return 1
		k=$((k + 1))
	done
	echo $k
}

BI_CPU=0 bi-helper msr 3 1000000000 > /dev/null &
BI_CPU=1 bi-helper perf 3 1000000000 > /dev/null &
BI_CPU=2 bi-helper perf 1 1000000000 > /dev/null &

r0=$(cat $R)
k=$(switch $B 3 "")
r1=$(cat $R)
[ "${k:-0}" -gt 0 ] && [ "$r1" -gt "$r0" ]
ok $? "block_interf_cpumask '' -> 3 -> '' ${k:-no} times in $secs s under msr and perf readers ($((r1 - r0)) refusals)"

c0=$(cal3)
k=$(switch $E 1 0)
c1=$(cal3)
[ "${k:-0}" -gt 0 ] && [ "$c1" -gt "$c0" ]
ok $? "ipi_send_cpu event on and off ${k:-no} times in $secs s under the same readers ($((c1 - c0)) IPIs to CPU 3)"

kill %1 %2 %3 2> /dev/null
wait
dmesg | grep -E 'WARNING:|BUG:|Oops' > /tmp/splat
sed 's/^/# /' /tmp/splat
[ ! -s /tmp/splat ]; ok $? "dmesg has no WARNING, BUG or Oops"
echo "1..$n"
[ $failed -eq 0 ]
