#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The in-VM suite: runs as init's child on the patched kernel, 4 CPUs.
# Every converted path is shown refusing with EPERM while its CPU is
# blocked and working again once it is not.  TAP lines, then the plain
# summary; exits non-zero on any failure.
. /tap.sh
B=/proc/sys/kernel/block_interf_cpumask
R=/proc/sys/kernel/block_interf_refused
H=bi-helper
# The helper runs on CPU 0, never blocked here, unless told otherwise.
export BI_CPU=0


# expect WANT DESCRIPTION CMD...: the helper's verdict (ok, EPERM, ...)
expect() {
	want=$1 desc=$2; shift 2
	got=$("$@" 2>&1 | tail -n 1)
	[ "$got" = "$want" ]; ok $? "$desc: $got"
}

# expect_not UNWANTED DESCRIPTION CMD...
expect_not() {
	unwanted=$1 desc=$2; shift 2
	got=$("$@" 2>&1 | tail -n 1)
	[ "$got" != "$unwanted" ]; ok $? "$desc: $got"
}

mask_is() {	# mask_is LIST DESCRIPTION
	got=$(cat $B)
	[ "$got" = "$1" ]; ok $? "$2: mask '$got'"
}

block() {	# block LIST, asserting it worked
	[ "$($H write $B "$1")" = ok ] || echo "# could not block $1"
}

# CAL (function call IPI) count of CPU $1 in /proc/interrupts, by the
# header's column names, never by position.
cal() {
	awk -v cpu="CPU$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i + 1 }
		$1 == "CAL:" { print $col[cpu] }' /proc/interrupts
}

echo "# kernel $(uname -r), CPUs online $(cat /sys/devices/system/cpu/online)"

# --- the sysctl -------------------------------------------------------
[ -f $B ]; ok $? "kernel.block_interf_cpumask exists"
[ "$(stat -c %a $B)" = 644 ]; ok $? "it is mode 0644"
[ "$(wc -c < $B)" = 1 ] && [ -z "$(cat $B)" ]; ok $? "empty mask reads as an empty line"
expect ok "write 2-3" $H write $B 2-3
mask_is 2-3 "read back"
expect ok "write 1,3 with a newline" $H write $B "1,3
"
mask_is 1,3 "read back"
expect EINVAL "bad syntax" $H write $B 2-x
expect EINVAL "CPU 4 >= nr_cpu_ids" $H write $B 4
expect EINVAL "util-linux step form" $H write $B 0-3:2
expect EINVAL "every online CPU" $H write $B 0-3
expect EINVAL "all" $H write $B all
mask_is 1,3 "refused writes left the mask alone"
expect EPERM "writer without CAP_SYS_ADMIN" $H dropcap $H write $B 2
mask_is 1,3 "and left it alone"
expect EPERM "writer that is root of a new user namespace only" $H userns $H write $B 2
expect EPERM "prctl SET from root of a new user namespace only" $H userns $H prctl-set 8 2
mask_is 1,3 "and left it alone"
{ printf 2; printf -- -3; } > $B 2>/dev/null
[ $? -ne 0 ] && [ "$(cat $B)" = 2 ]; ok $? "a list split over two writes: the second is refused ($(cat $B))"
[ "$(stat -c %a $R)" = 444 ]; ok $? "kernel.block_interf_refused is mode 0444"

# --- prctl ------------------------------------------------------------
block 1,3
expect "1,3 (8 bytes)" "PR_BLOCK_INTERF_GET agrees with the sysctl" $H prctl-get 1024
expect EINVAL "GET with a 0-byte buffer" $H prctl-get 0
expect EINVAL "GET with a 4-byte buffer (not a multiple of long)" $H prctl-get 4
expect ok "SET 2,3" $H prctl-set 8 2 3
mask_is 2-3 "the sysctl sees the SET"
expect EINVAL "SET with CPU 4 >= nr_cpu_ids" $H prctl-set 8 4
expect EINVAL "SET with a bit past the kernel's cpumask" $H prctl-set 128 1000
expect EINVAL "SET of every online CPU" $H prctl-set 8 0 1 2 3
expect EPERM "SET without CAP_SYS_ADMIN" $H dropcap $H prctl-set 8 1
mask_is 2-3 "refused SETs left the mask alone"
expect EINVAL "SET with a 0-byte buffer (does not mean 'none')" $H prctl-set 0
mask_is 2-3 "and left the mask alone"
expect ok "ADD 1 (atomic: the others stay)" $H prctl-add 8 1
mask_is 1-3 "the sysctl sees the ADD"
expect EINVAL "ADD of the last unblocked CPU" $H prctl-add 8 0
expect EPERM "ADD without CAP_SYS_ADMIN" $H dropcap $H prctl-add 8 0
expect ok "REMOVE 2 (atomic: the others stay)" $H prctl-remove 8 2
mask_is 1,3 "the sysctl sees the REMOVE"
expect EINVAL "REMOVE with CPU 4 >= nr_cpu_ids" $H prctl-remove 8 4
mask_is 1,3 "refused changes left the mask alone"
expect ok "SET of nothing clears" $H prctl-set 8
mask_is "" "cleared"

# A 32-bit task's cpu_set_t is made of 32-bit words: CPU_ALLOC_SIZE()
# gives it 4 bytes for 4 CPUs.
if [ -x /bin/bi-helper32 ]; then
	block 1,3
	expect "1,3 (4 bytes)" "32-bit task: GET with a 4-byte buffer" bi-helper32 prctl-get 4
	expect "1,3 (8 bytes)" "32-bit task: GET with an 8-byte buffer" bi-helper32 prctl-get 8
	expect EINVAL "32-bit task: GET with a 2-byte buffer" bi-helper32 prctl-get 2
	expect ok "32-bit task: SET 2,3 in 4 bytes" bi-helper32 prctl-set 4 2 3
	mask_is 2-3 "the sysctl sees the 32-bit SET"
	expect EINVAL "32-bit task: SET with CPU 31 >= nr_cpu_ids" bi-helper32 prctl-set 4 31
	expect EINVAL "32-bit task: SET with a bit in the second word" bi-helper32 prctl-set 8 40
	mask_is 2-3 "refused 32-bit SETs left the mask alone"
	block ""
else
	skip "no 32-bit helper (gcc -m32) in the image"
fi

# --- a stalled copy from or to user memory stalls no writer -----------
# Each access below sleeps for ever in a userfaultfd fault on its buffer;
# a concurrent mask write must still complete (and did not, when the
# copy was made with block_interf_read_lock() held).
block 2
# perf-read: a read of an event on CPU 3 holds CPU 3's perf context mutex
# across its copy, and the write blocks CPU 3 (v3's writer took that
# mutex).
for kind in prctl-get msr-read msr-write cpuid perf perf-read mtrr; do
	cpu=1; [ $kind = perf-read ] && cpu=3
	expect ok "mask write completes while a $kind copy is stalled" \
		$H uffd-stall $kind $cpu $B 3
	block 2
done
block ""

# --- a mask write racing a CPU going offline ----------------------------
# Either may win, but never both: every online CPU blocked.
bad=0 i=0
while [ $i -lt 100 ]; do
	block ""
	$H write /sys/devices/system/cpu/cpu1/online 1 > /dev/null
	$H write /sys/devices/system/cpu/cpu1/online 0 > /dev/null &
	$H write $B 0,2-3 > /dev/null
	wait
	[ "$(cat $B)" = 0,2-3 ] && [ "$(cat /sys/devices/system/cpu/online)" = 0,2-3 ] &&
		bad=$((bad + 1))
	i=$((i + 1))
done
block ""
$H write /sys/devices/system/cpu/cpu1/online 1 > /dev/null
[ $bad -eq 0 ]; ok $? "offline racing a mask write: every online CPU blocked $bad times in 100"

# --- a mask write racing the lock-free readers ----------------------------
# msr reads and perf opens of CPU 3, from CPUs 0 and 1, run on while the
# mask goes from empty to 3.  They test the mask without a lock, so the
# write must wait for those that saw CPU 3 unblocked.  The ipi_send_cpu
# tracepoint (global clock) shows every single-CPU function call the
# readers send to CPU 3 (task bi-helper, callsite generic_exec_single,
# not in an interrupt: the kernel's own wakeups, TLB flushes and tick
# work are told apart by task, callsite or context); none may come after
# the marker written once the write has returned, and some must come
# before it (the readers ran).  A stress check: the windows are short, so
# a writer that does not wait rarely loses here; the KUnit cases
# write_waits_for_preempt_disabled_reader and its siblings are the
# deterministic ones.
T=/sys/kernel/tracing
if [ -d $T/events/ipi/ipi_send_cpu ]; then
	race_rounds 'block ""' "$H write $B 3" "$H msr 3 1000000" "$H perf 3 1000000"
	block ""
	counts=$(awk '/bi-round/ { after = 0 } /bi-returned/ { after = 1 }
		$1 ~ /^bi-helper-/ && substr($3, 3, 1) == "." &&
		/ipi_send_cpu: .*callsite=generic_exec_single/ { n[after]++ }
		END { printf "%d %d", n[0], n[1] }' $T/trace)
	echo > $T/trace
	echo local > $T/trace_clock
	before=${counts% *} late=${counts#* }
	echo "# reader IPIs to CPU 3 in 10 rounds: $before before the write returned, $late after"
	[ "$before" -gt 0 ]; ok $? "lock-free readers racing a mask write: they reached CPU 3 before it was blocked ($before IPIs)"
	[ "$late" -eq 0 ]; ok $? "lock-free readers racing a mask write: no IPI to CPU 3 once the write returned ($late)"
else
	ok 1 "tracefs has events/ipi/ipi_send_cpu"
fi
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "every CPU back online"

# --- converted paths: refused while blocked, working once cleared ------
block 2-3
expect EPERM "msr read, CPU 3 blocked" $H msr 3
expect ok "msr read, CPU 1 unblocked" $H msr 1
expect EPERM "cpuid read, CPU 2 blocked" $H cpuid 2
expect ok "cpuid read, CPU 1 unblocked" $H cpuid 1
expect EPERM "perf_event_open(cpu=3), blocked" $H perf 3
expect ok "perf_event_open(cpu=1), unblocked" $H perf 1
# A tool refused from elsewhere that moves onto the blocked CPU to reach
# it without an IPI is refused there too: moving was the interference.
expect EPERM "msr read of CPU 3 from CPU 3 itself" env BI_CPU=3 $H msr 3
expect EPERM "cpuid read of CPU 2 from CPU 2 itself" env BI_CPU=2 $H cpuid 2
expect EPERM "perf_event_open(cpu=3) from CPU 3 itself" env BI_CPU=3 $H perf 3
# refused at the point of interference: an attempt that fails its own
# permission check first is not a refusal
echo 2 > /proc/sys/kernel/perf_event_paranoid
before=$(cat $R)
expect EACCES "perf_event_open(cpu=3) by an unprivileged user" $H setuid 65534 $H perf 3
[ "$(cat $R)" = "$before" ]; ok $? "and block_interf_refused did not count it ($before -> $(cat $R))"
expect EPERM "vm.stat_refresh, CPUs 2-3 blocked" $H read /proc/sys/vm/stat_refresh
expect EPERM "cpu1/online=0 (stop_machine), CPUs 2-3 blocked" \
	$H write /sys/devices/system/cpu/cpu1/online 0
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "and every CPU is still online"
expect EPERM "cpu1/hotplug/target=0 (offline), CPUs 2-3 blocked" \
	$H write /sys/devices/system/cpu/cpu1/hotplug/target 0
smt=/sys/devices/system/cpu/smt/control
if [ -w $smt ] && [ "$(cat $smt)" = on ]; then
	expect EPERM "smt/control=off, CPUs 2-3 blocked" $H write $smt off
	[ "$(cat $smt)" = on ]; ok $? "SMT still on"
else
	skip "no SMT to switch off ($(cat $smt 2>&1))"
fi
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "every CPU still online"
# unbind_device looks the device up by name, and every CPU's is "lapic":
# the one found first is that of the CPU brought up last.  Make it CPU 3.
block ""
$H write /sys/devices/system/cpu/cpu3/online 0 > /dev/null
$H write /sys/devices/system/cpu/cpu3/online 1 > /dev/null
block 2-3
ce=/sys/devices/system/clockevents/clockevent3
ced=$(cat $ce/current_device)
expect EPERM "clockevents unbind_device $ced on CPU 3, blocked" $H write $ce/unbind_device "$ced"
# onlining stop_machines every online CPU on x86 too
block ""
$H write /sys/devices/system/cpu/cpu1/online 0 > /dev/null
block 2-3
expect EPERM "cpu1/online=1 (x86 onlining stop_machines), CPUs 2-3 blocked" \
	$H write /sys/devices/system/cpu/cpu1/online 1
[ "$(cat /sys/devices/system/cpu/online)" = 0,2-3 ]; ok $? "CPU 1 still offline"
block ""
$H write /sys/devices/system/cpu/cpu1/online 1 > /dev/null
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "CPU 1 back online, once cleared"
block 2-3

clocksources
if [ -n "$alt" ]; then
	expect EPERM "current_clocksource $cur -> $alt, blocked" $H write $cs/current_clocksource $alt
	[ "$(cat $cs/current_clocksource)" = "$cur" ]; ok $? "clocksource still $cur"
	expect EPERM "unbind_clocksource $cur (switches away from it), blocked" \
		$H write $cs/unbind_clocksource "$cur"
	[ "$(cat $cs/current_clocksource)" = "$cur" ]; ok $? "clocksource still $cur"
else
	skip "no second clocksource in $(cat $cs/available_clocksource)"
fi


if [ -w /proc/mtrr ]; then
	mtrrs=$(cat /proc/mtrr)
	expect EPERM "/proc/mtrr add, CPUs blocked" \
		$H write /proc/mtrr "base=0xf0000000 size=0x100000 type=write-combining"
	[ "$(cat /proc/mtrr)" = "$mtrrs" ]; ok $? "MTRRs unchanged"
else
	skip "/proc/mtrr missing: MTRRs disabled on this CPU model"
fi

# the tracepoint and the counter
if [ -d $T/events/block_interf/block_interf_refused ]; then
	echo 1 > $T/events/block_interf/block_interf_refused/enable
	echo > $T/trace
	before=$(cat $R)
	BI_CPU=0 $H msr 3 10 > /dev/null
	after=$(cat $R)
	[ $((after - before)) -eq 10 ]; ok $? "10 refused msr reads count 10 in block_interf_refused ($before -> $after)"
	grep -q 'block_interf_refused: cpu=3 caller=rdmsr_safe_on_cpu_fail' $T/trace; ok $? "the block_interf:block_interf_refused tracepoint fired for CPU 3 in rdmsr_safe_on_cpu_fail"
	grep -m1 'block_interf_refused:' $T/trace | sed 's/^/# /'
	echo 0 > $T/events/block_interf/block_interf_refused/enable
else
	ok 1 "tracefs has events/block_interf/block_interf_refused"
fi

# no interference delivered: CAL IPIs during 3000 msr reads from CPU 0.
# An IPI is not sent when the target's queue is already non-empty, and
# the kernel sends a few of its own, so: the blocked CPU gets no more
# than it gets anyway (measured while the reads go to CPU 1), and the
# unblocked CPU gets nearly one per read.
c3=$(cal 3)
BI_CPU=0 $H msr 3 3000 > /dev/null
d3=$(($(cal 3) - c3)) c3=$(cal 3) c1=$(cal 1)
BI_CPU=0 $H msr 1 3000 > /dev/null
d1=$(($(cal 1) - c1)) bg3=$(($(cal 3) - c3))
echo "# CAL deltas over 3000 msr reads: blocked CPU 3 $d3 (background $bg3), unblocked CPU 1 $d1"
[ "$d3" -le $((bg3 + 20)) ]; ok $? "blocked CPU 3: no more function-call IPIs than background ($d3 vs $bg3)"
[ "$d1" -ge 2700 ]; ok $? "unblocked CPU 1: an IPI for nearly every read ($d1 of 3000)"

# --- cleared: every path works again -------------------------------------
block ""
expect ok "msr read, CPU 3, cleared" $H msr 3
expect ok "cpuid read, CPU 2, cleared" $H cpuid 2
expect ok "perf_event_open(cpu=3), cleared" $H perf 3
expect ok "vm.stat_refresh, cleared" $H read /proc/sys/vm/stat_refresh
expect ok "cpu1/online=0, cleared" $H write /sys/devices/system/cpu/cpu1/online 0
[ "$(cat /sys/devices/system/cpu/online)" = 0,2-3 ]; ok $? "CPU 1 went offline"
expect ok "cpu1/online=1" $H write /sys/devices/system/cpu/cpu1/online 1
expect ok "cpu1/hotplug/target=0, cleared" $H write /sys/devices/system/cpu/cpu1/hotplug/target 0
online_state=$(sed -n '$s/:.*//p' /sys/devices/system/cpu/hotplug/states)
expect ok "cpu1/hotplug/target=$online_state (online)" \
	$H write /sys/devices/system/cpu/cpu1/hotplug/target "$online_state"
[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "CPU 1 back through hotplug/target"
if [ -w $smt ] && [ "$(cat $smt)" = on ]; then
	expect ok "smt/control=off, cleared" $H write $smt off
	echo "# online with SMT off: $(cat /sys/devices/system/cpu/online)"
	expect ok "smt/control=on" $H write $smt on
	[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]; ok $? "every CPU back online"
fi
if [ -n "$alt" ]; then
	expect ok "current_clocksource $cur -> $alt, cleared" $H write $cs/current_clocksource $alt
	[ "$(cat $cs/current_clocksource)" = "$alt" ]; ok $? "clocksource is now $alt"
	$H write $cs/current_clocksource "$cur" > /dev/null
fi
expect_not EPERM "clockevents unbind_device on CPU 3, cleared (the IPI is sent)" \
	$H write $ce/unbind_device "$ced"
if [ -n "$alt" ]; then
	expect ok "unbind_clocksource $cur, cleared" $H write $cs/unbind_clocksource "$cur"
	[ "$(cat $cs/current_clocksource)" != "$cur" ]; ok $? "switched to $(cat $cs/current_clocksource)"
fi
if [ -w /proc/mtrr ]; then
	expect ok "/proc/mtrr add, cleared" \
		$H write /proc/mtrr "base=0xf0000000 size=0x100000 type=write-combining"
	# "reg02: base=0x0f0000000 (3840MB), size=    1MB, ..."
	reg=$(awk '/ base=0x0*f0000000 / { sub(/^reg/, "", $1); print $1 + 0 }' /proc/mtrr)
	[ -n "$reg" ]; ok $? "the new MTRR is listed, as reg '$reg'"
	if [ -n "$reg" ]; then
		block 3
		# the same region again only counts a user: no stop_machine
		expect ok "/proc/mtrr add of an existing region (no rendezvous), CPU 3 blocked" \
			$H write /proc/mtrr "base=0xf0000000 size=0x100000 type=write-combining"
		expect ok "/proc/mtrr disable=$reg, one user left (no rendezvous)" \
			$H write /proc/mtrr "disable=$reg"
		expect EPERM "/proc/mtrr disable=$reg, CPU 3 blocked" $H write /proc/mtrr "disable=$reg"
		block ""
		expect ok "/proc/mtrr disable=$reg, cleared" $H write /proc/mtrr "disable=$reg"
		! grep -q ' base=0x0*f0000000 ' /proc/mtrr; ok $? "and it is gone"
	fi
fi

# --- blockinterf(8) end to end, through prctl -------------------------------
said=$(blockinterf --set 2-3); ok $? "blockinterf --set 2-3: $said"
[ "$(blockinterf)" = 2-3 ]; ok $? "blockinterf prints 2-3"
blockinterf --check > /tmp/check; rc=$?
[ $rc -eq 0 ] && grep -q 'through the prctl interface' /tmp/check; ok $? "blockinterf --check: exit $rc, prctl"
sed 's/^/# /' /tmp/check
said=$(blockinterf --add 1); rc=$?
[ $rc -eq 0 ] && [ "$(cat $B)" = 1-3 ] && [ "$said" = "2-3 -> 1-3" ]
ok $? "blockinterf --add 1: exit $rc, mask $(cat $B), said '$said'"
blockinterf --add 0 2>/tmp/err; rc=$?
[ $rc -eq 1 ] && [ "$(cat $B)" = 1-3 ]; ok $? "blockinterf --add 0 (every CPU): exit $rc, $(cat /tmp/err)"
$H dropcap blockinterf --clear 2>/tmp/err; rc=$?
[ $rc -eq 4 ] && [ "$(cat $B)" = 1-3 ]; ok $? "blockinterf --clear without CAP_SYS_ADMIN: exit $rc, $(cat /tmp/err)"
said=$(blockinterf --clear); ok $? "blockinterf --clear: $said"
[ -z "$(blockinterf)" ]; ok $? "nothing blocked"

# --- the kernel's own selftest ------------------------------------------
if [ -x /bin/block_interf_test ]; then
	block_interf_test > /tmp/selftest 2>&1; rc=$?
	sed 's/^/# /' /tmp/selftest
	[ $rc -eq 0 ]; ok $? "tools/testing/selftests/block_interf passes"
else
	ok 1 "tools/testing/selftests/block_interf is in the image"
fi

# --- the KUnit tests of the _fail variants, run at boot -------------------
# "    ok 3 single_fail_local_target" inside "# Subtest: block_interf"
dmesg | sed 's/^\[[ 0-9.]*\] *//' |
	awk '/# Subtest: block_interf$/ { on = 1; next } on && /^(not )?ok [0-9]+ block_interf$/ { print; exit } on' > /tmp/kunit
if grep -q . /tmp/kunit; then
	sed 's/^/# /' /tmp/kunit
	# every case planned passed: a skipped or missing one is a failure
	kplan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' /tmp/kunit | head -n 1)
	# (the last line is the suite's own result)
	kpass=$(sed '$d' /tmp/kunit | grep '^ok [0-9]' | grep -vc '# SKIP')
	kfail=$(sed '$d' /tmp/kunit | grep -c '^not ok [0-9]')
	[ "$kfail" -eq 0 ] && [ -n "$kplan" ] && [ "$kpass" -eq "$kplan" ] && [ "$kplan" -ge 16 ]
	ok $? "KUnit block_interf: $kpass of ${kplan:-?} cases passed, $kfail failed"
else
	ok 1 "KUnit block_interf ran at boot (CONFIG_BLOCK_INTERF_KUNIT_TEST)"
fi

# --- and no splat along the way -------------------------------------------
finish
