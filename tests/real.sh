#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The dry run on 28 real /proc/interrupts (tests/real-interrupts/, see
# SOURCES.md there), each in a sysroot made by tests/real-root.sh:
#  - every capture: read without error, and the rows and counts listed
#    for the upper half of its CPUs are those of the awk model
#    tests/real-model.awk;
#  - the quirks, one assertion each: global rows, old ARM's per-present
#    columns, s390's IPIs and totals, per-CPU sources that are not GIC
#    PPIs, and what exit 5 means.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/cli-lib.sh"
real=$top_srcdir/tests/real-interrupts

mkroot() {	# mkroot NAME [AFFINITY]: sets $r and $t (the upper half)
	r=$(mktemp -d "$out/real.XXXXXX")
	t=$("$top_srcdir/tests/real-root.sh" "$real/$1"/interrupts* "$r" "${2:-}")
}
listed() {	# listed IRQ: the --raw line of IRQ in $out/o
	awk -v irq="$1" '$1 == irq' "$out/o"
}

n=0
for dir in "$real"/*/; do
	name=$(basename "$dir")
	mkroot "$name"
	bi --sysroot "$r" --dry-run --set "$t" --raw --noheadings --output IRQ,COUNT
	s=$(cat "$out/s")
	[ "$s" = 0 ] || [ "$s" = 5 ]
	ok $? "$name: read without error (exit $s)"
	[ ! -s "$out/e" ] || diag < "$out/e"
	awk -v t="$t" -f "$top_srcdir/tests/real-model.awk" "$r/proc/interrupts" > "$out/model"
	stdout_sorted_is "$out/model" "$name, --set $t: the $(wc -l < "$out/model") rows and counts of the model"
	n=$((n + 1))
done
[ $n = 28 ]; ok $? "28 captures ($n)"

# Global counters are never one CPU's
mkroot x86-16cpu-nehalem-deterministic
bi --sysroot "$r" --dry-run --set 0-7 --raw --noheadings --output IRQ,COUNT
[ -z "$(listed ERR)" ] && [ -n "$(listed LOC)" ]
ok $? "nehalem 'ERR: 15' on 16 CPUs: not listed for CPU 0"
mkroot x86-32cpu-amd-fam15h-deterministic
bi --sysroot "$r" --dry-run --set 0 --raw --noheadings --output IRQ,COUNT
[ -z "$(listed ERR)" ] && [ -z "$(listed MIS)" ]
ok $? "fam15h 'ERR: 1', 'MIS: 0': not listed for CPU 0"

# Old ARM: IPIn and LOC have one count per present CPU (0-3), the header
# one per online CPU (0,2,3)
mkroot arm32-exynos4412-cpu1-offline
bi --sysroot "$r" --dry-run --set 2-3 --raw --noheadings --output IRQ,CPUS,COUNT,NAME
[ "$(listed IPI1)" = 'IPI1 2-3 8099 Rescheduling\x20interrupts' ]
ok $? "exynos IPI1 on 2-3: 2457 + 5642 by present CPU, name clean ($(listed IPI1))"
[ "$(listed LOC)" = 'LOC 2-3 3506902 Local\x20timer\x20interrupts' ]
ok $? "exynos LOC on 2-3: 692755 + 2814147 ($(listed LOC))"
rm "$r/sys/devices/system/cpu/present"
bi --sysroot "$r" --dry-run --set 2-3 --raw --noheadings --output IRQ,CPUS,HINT,NAME
listed IPI1 | grep -q '^IPI1 ? 4 counts for 3 CPU columns.* Rescheduling\\x20interrupts$'
ok $? "without present: IPI1 not attributed, says so, no number in the name ($(listed IPI1))"

# s390
mkroot s390x-16cpu-pcp
bi --sysroot "$r" --dry-run --set 3-15 --raw --noheadings --output IRQ,KIND
[ "$(listed EXC)" = "EXC ipi" ] && [ "$(listed EMS)" = "EMS ipi" ]
ok $? "s390 EXC (External Call) and EMS (Emergency Signal) are IPIs"
[ -z "$(listed EXT)$(listed I/O)$(listed AIO)" ] && [ -n "$(listed CLK)" ]
ok $? "s390 EXT, I/O, AIO (totals of the [EXT], [I/O], [AIO] rows) not listed"
mkroot s390x-2cpu-pcp
bi --sysroot "$r" --dry-run --set 1 --raw --noheadings --output IRQ
[ -n "$(listed EXT)" ] && [ -n "$(listed I/O)" ]
ok $? "old s390 without the rows under them: EXT and I/O listed"

# Per-CPU sources: never a "move it" hint
percpu() {	# percpu CAPTURE SET IRQ...
	local cap=$1 set=$2 irq bad=
	shift 2
	mkroot "$cap"
	bi --sysroot "$r" --dry-run --set "$set" --raw --noheadings --output IRQ,HINT
	for irq; do
		[ "$(listed "$irq")" = "$irq per-CPU interrupt, cannot be moved" ] || bad="$bad $irq"
	done
	[ -z "$bad" ]; ok $? "$cap: $* per-CPU, no affinity hint${bad:+ (wrong:$bad)}"
}
percpu x86-8cpu-xen-hvm-hushi55 0 64 65 66 67
percpu arm64-apple-m1-asahi 0 49
# arm64's and RISC-V's tick is a per-CPU IRQ: the nohz_full= hint of x86's LOC
for cap in arm64-apple-m1-asahi:35 riscv64-4cpu-jh7110-lkml:5 arm64-8cpu-graviton-node-exporter:10; do
	mkroot "${cap%:*}"
	bi --sysroot "$r" --dry-run --set 0 --raw --noheadings --output IRQ,HINT
	[ "$(listed "${cap#*:}")" = "${cap#*:} boot with nohz_full=0" ]
	ok $? "${cap%:*}: IRQ ${cap#*:} is the tick: boot with nohz_full=0 ($(listed "${cap#*:}"))"
done
percpu arm32-zynq-2cpu 1 16 18
mkroot x86-8cpu-xen-hvm-hushi55
bi --sysroot "$r" --dry-run --set 0 --raw --noheadings --output IRQ,KIND
[ "$(listed 65)" = "65 ipi" ] && [ "$(listed 64)" = "64 irq" ]
ok $? "Xen xen-percpu-ipi resched0 is an IPI, xen-percpu-virq timer0 a per-CPU IRQ"
# the kernel's word first: a read-only smp_affinity is never "echo"
# (the kernel gives smp_affinity_list the same mode)
chmod 0444 "$r/proc/irq/12/smp_affinity" "$r/proc/irq/12/smp_affinity_list"
bi --sysroot "$r" --dry-run --set 0 --raw --noheadings --output IRQ,HINT
listed 12 | grep -qv echo
ok $? "IRQ 12 with a read-only smp_affinity: no echo hint ($(listed 12))"

# Exit 5: something to do now
mkroot x86-4cpu-n100 0
bi --sysroot "$r" --dry-run --set 2-3 --raw --noheadings --output IRQ,HINT
status_is 0 "n100, every IRQ on CPU 0, --set 2-3: only counts since boot listed: exit 0"
[ -n "$(listed LOC)" ] && [ -n "$(listed CAL)" ]
ok $? "and LOC, CAL still listed"
listed CAL | grep -q 'refused when user space.*kernel-internal.*remain'
ok $? "CAL: what the mask refuses and what remains ($(listed CAL))"
listed RES | grep -q 'not refused'
ok $? "RES: not refused ($(listed RES))"
mkroot x86-4cpu-n100
bi --sysroot "$r" --dry-run --set 2-3 --raw --noheadings --output IRQ
status_is 5 "n100, IRQs on every CPU: movable IRQs listed: exit 5"

tap_done
