#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# In the VM, on either backend (tests/vm/bpf boots both kernels): the
# series' user paths refused through blockinterf(8), each result printed
# as a "row NAME RESULT" line for the host's table; then, on the BPF
# backend, what only it has to show: the policy outlives the command,
# an unprivileged user cannot touch the pins, a write racing msr reads,
# and --unload.  CPU 3 spins in user space throughout and must get no
# function-call IPI from a refused path.
. /tap.sh
H=bi-helper
T=/sys/kernel/tracing
export BI_CPU=0

backend=$(blockinterf --check | sed -n 's/^kernel support:  yes, through the \([a-z]*\) interface$/\1/p')
[ "$backend" = prctl ] && backend=kernel
echo "# kernel $(uname -r), backend '${backend:-none}', LSMs $(cat /sys/kernel/security/lsm 2>&1)"
[ -n "$backend" ]; ok $? "blockinterf --check finds a backend ($backend)"
if [ "$backend" = bpf ]; then
	# the vanilla kernel lacks the series: the kernel backend, forced, says so
	blockinterf --backend kernel --check > /dev/null 2>&1; rc=$?
	[ $rc -eq 3 ]; ok $? "blockinterf --backend kernel --check exits 3, kernel lacks support ($rc)"
fi

# row NAME WANT CMD...: the helper's verdict, as a table row and a test
row() {
	name=$1 want=$2; shift 2
	got=$("$@" 2>&1 | tail -n 1)
	echo "row $name $got"
	[ "$got" = "$want" ]; ok $? "$name: $got (want $want)"
}

cal() {
	awk -v cpu="CPU$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i + 1 }
		$1 == "CAL:" { print $col[cpu] }' /proc/interrupts
}

# the clock event device of CPU 3 first in the list (see suite.sh)
$H write /sys/devices/system/cpu/cpu3/online 0 > /dev/null
$H write /sys/devices/system/cpu/cpu3/online 1 > /dev/null
bi-load spin 3 & spin=$!

blockinterf --set 2-3; ok $? "blockinterf --set 2-3 (on $backend)"
[ "$(blockinterf)" = 2-3 ]; ok $? "a new process reads 2-3: the policy outlived the command"
refused0=$(blockinterf --check | sed -n 's/^refused: *//p')

if [ -d $T/events/ipi/ipi_send_cpu ]; then
	ipi_trace_start 3
fi
c3=$(cal 3)
row msr-read EPERM $H msr 3 100
row msr-read-self EPERM env BI_CPU=3 $H msr 3
row msr-read-unblocked ok $H msr 1
row cpuid-read EPERM $H cpuid 2
row perf-open EPERM $H perf 3 100
row perf-open-self EPERM env BI_CPU=3 $H perf 3
row perf-open-unblocked ok $H perf 1
echo 2 > /proc/sys/kernel/perf_event_paranoid
row perf-open-unprivileged EACCES $H setuid 65534 $H perf 3
row vm.stat_refresh EPERM $H read /proc/sys/vm/stat_refresh
row cpu1-online-0 EPERM $H write /sys/devices/system/cpu/cpu1/online 0
row cpu1-hotplug-target-0 EPERM $H write /sys/devices/system/cpu/cpu1/hotplug/target 0
smt=/sys/devices/system/cpu/smt/control
if [ -w $smt ] && [ "$(cat $smt)" = on ]; then
	row smt-control-off EPERM $H write $smt off
else
	skip "no SMT to switch off ($(cat $smt 2>&1))"
fi
ce=/sys/devices/system/clockevents/clockevent3
row clockevent3-unbind_device EPERM $H write $ce/unbind_device "$(cat $ce/current_device)"
clocksources
row current_clocksource EPERM $H write $cs/current_clocksource "${alt:-none}"
row unbind_clocksource EPERM $H write $cs/unbind_clocksource "$cur"
[ "$(cat $cs/current_clocksource)" = "$cur" ]; ok $? "clocksource still $cur"
if [ -w /proc/mtrr ]; then
	row mtrr-add EPERM $H write /proc/mtrr "base=0xf0000000 size=0x100000 type=write-combining"
else
	skip "/proc/mtrr missing"
fi
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "every CPU still online"
# documented difference: the series refuses a hotplug write only when it
# changes something; the BPF hook cannot tell, and refuses it too
want=ok; [ "$backend" = bpf ] && want=EPERM
row cpu1-online-1-already-online $want $H write /sys/devices/system/cpu/cpu1/online 1
d3=$(($(cal 3) - c3))
if [ -d $T/events/ipi/ipi_send_cpu ]; then
	ipi_trace_stop
	ours=$(grep -c '^ *bi-helper-.*ipi_send_cpu: ' $T/trace)
	grep '^ *bi-helper-.*ipi_send_cpu: ' $T/trace | head -n 5 | sed 's/^/# /'
	[ "$ours" -eq 0 ]; ok $? "ipi_send_cpu: no IPI from a refused path to busy, blocked CPU 3 ($ours)"
else
	ok 1 "tracefs has events/ipi/ipi_send_cpu"
fi
echo "# CAL on CPU 3 over every refused path: $d3"
[ "$d3" -le 20 ]; ok $? "busy, blocked CPU 3 got no more function-call IPIs than background ($d3 <= 20)"
# events opened before the CPU was blocked: opening and closing them
# reach it (close cannot fail), so they stay out of the traced window
for what in read ioctl mmap; do
	# documented difference: the series lets a read through when the
	# event is not active (no IPI needed); the BPF hook refuses any
	want=EPERM; [ $what = mmap ] && want=ok
	[ $what = read ] && [ "$backend" = kernel ] && want=ok
	blockinterf --clear
	row perf-$what-existing $want $H perf-then 3 $what "blockinterf --set 2-3"
done
refused1=$(blockinterf --check | sed -n 's/^refused: *//p')
[ "$refused1" -gt "$refused0" ]; ok $? "--check counts the refusals ($refused0 -> $refused1)"
kill $spin; wait $spin 2>/dev/null

if [ "$backend" != bpf ]; then
	blockinterf --clear
	finish
	exit
fi

# --- the BPF backend only -------------------------------------------------
P=/sys/fs/bpf/blockinterf
ls $P | sed 's/^/# pinned: /'
[ -e $P/blockinterf_mask ] && [ -e $P/link_bi_file_permission ]; ok $? "maps and links pinned under $P"
[ "$(stat -c %a $P)" = 700 ]; ok $? "$P is mode 0700"
expect_not() { got=$("$@" 2>&1 | tail -n 1); [ "$got" != ok ]; }
expect_not $H setuid 65534 $H bpf-get $P/blockinterf_mask; ok $? "an unprivileged user cannot open the mask map ($got)"
$H setuid 65534 rm -f $P/link_bi_file_permission $P/blockinterf_mask > /dev/null 2>&1
[ -e $P/link_bi_file_permission ] && [ -e $P/blockinterf_mask ]; ok $? "nor unpin the link or the map"
$H setuid 65534 blockinterf --clear > /dev/null 2>&1; rc=$?
[ $rc -eq 4 ] && [ "$(blockinterf)" = 2-3 ]; ok $? "blockinterf --clear as nobody: exit $rc, mask $(blockinterf)"
row msr-read-after-unpriv EPERM $H msr 3

blockinterf --unload 2>/tmp/err; rc=$?
[ $rc -ne 0 ] && [ -e $P/link_bi_file_permission ]; ok $? "--unload with CPUs blocked: exit $rc, kept ($(cat /tmp/err))"
blockinterf --add 1 && [ "$(blockinterf)" = 1-3 ]; ok $? "--add 1: $(blockinterf)"
blockinterf --remove 2 && [ "$(blockinterf)" = 1,3 ]; ok $? "--remove 2: $(blockinterf)"
blockinterf --add 0,2 2>/dev/null; rc=$?
[ $rc -eq 1 ] && [ "$(blockinterf)" = 1,3 ]; ok $? "--add 0,2 (every CPU): exit $rc, mask $(blockinterf)"
# concurrent adds and removes of different CPUs lose nothing
blockinterf --clear
i=0
while [ $i -lt 20 ]; do
	blockinterf --add 1 & a=$!; blockinterf --add 2 & b=$!; wait $a $b
	blockinterf --remove 1 & a=$!; blockinterf --add 3 & b=$!; wait $a $b
	[ "$(blockinterf)" = 2-3 ] || break
	blockinterf --clear
	i=$((i + 1))
done
[ $i -eq 20 ]; ok $? "20 rounds of racing --add/--remove lost no change ($i)"

# --- a --set racing a stream of msr reads ----------------------------------
# The BPF check and the IPI are not one atomic step and the writer cannot
# wait for callers already past the check: the documented grace period
# (doc/design.md) is 100 ms, for a reader not preempted in between.
blockinterf --clear
if [ -d $T/events/ipi/ipi_send_cpu ]; then
	race_rounds "blockinterf --clear" "blockinterf --set 3" \
		"$H msr 3 1000000" "$H msr 3 1000000"
	counts=$(awk '/bi-round/ { at = 0 } /bi-returned/ { at = 1 } /bi-grace/ { at = 2 }
		$1 ~ /^bi-helper-/ && substr($3, 3, 1) == "." &&
		/ipi_send_cpu: .*callsite=generic_exec_single/ { n[at]++ }
		END { printf "%d %d %d", n[0], n[1], n[2] }' $T/trace)
	awk '/bi-round/ { at = 0 } /bi-returned/ { at = 1 } /bi-grace/ { at = 2 }
		at == 2 && $1 ~ /^bi-helper-/ && substr($3, 3, 1) == "." &&
		/generic_exec_single/' $T/trace | head -n 5 | sed 's/^/# late: /'
	echo local > $T/trace_clock
	set -- $counts
	echo "# msr-read IPIs to CPU 3 in 10 rounds: $1 before --set returned, $2 within the grace period, $3 after it"
	[ "$1" -gt 0 ]; ok $? "the readers reached CPU 3 before it was blocked ($1 IPIs)"
	[ "$3" -eq 0 ]; ok $? "no msr-read IPI to CPU 3 once --set returned + 100 ms ($3)"
else
	ok 1 "tracefs has events/ipi/ipi_send_cpu"
fi

blockinterf --unload; rc=$?
[ $rc -ne 0 ]; ok $? "--unload refused while CPU 3 is blocked (exit $rc)"
blockinterf --clear && blockinterf --unload; rc=$?
[ $rc -eq 0 ] && [ ! -e $P ]; ok $? "--clear, then --unload: exit $rc, $P gone"
row msr-read-unloaded ok $H msr 3
finish
