#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/real-root.sh CAPTURE DIR [AFFINITY]
#
# Builds a sysroot around a real /proc/interrupts (tests/real-interrupts/):
#  - sys/devices/system/cpu/online: the CPUs of the header;
#    possible and present: 0 up to the highest of them;
#  - proc/irq/N/ for every numbered row: smp_affinity_list AFFINITY (the
#    online CPUs by default), no effective_affinity_list; smp_affinity
#    and smp_affinity_list read-only (0444) for the per-CPU sources the
#    kernel refuses to move (GIC hwirq 16-31, Xen percpu channels,
#    arch_timer, riscv-timer), writable otherwise, as kernel/irq/proc.c
#    sets the mode of both;
#  - an empty block_interf_cpumask, nohz_full "(null)".
# Prints the candidate set the tests use: the upper half of the online
# CPUs.
set -euo pipefail
capture=$1 dir=$2 aff=${3:-}
mkdir -p "$dir/proc/sys/kernel" "$dir/sys/devices/system/cpu" "$dir/proc/irq"
case $capture in
*.xz) xz -dc "$capture" > "$dir/proc/interrupts" ;;
*) cp "$capture" "$dir/proc/interrupts" ;;
esac
printf '\n' > "$dir/proc/sys/kernel/block_interf_cpumask"
printf '(null)\n' > "$dir/sys/devices/system/cpu/nohz_full"
awk -v dir="$dir" -v aff="$aff" '
function fmt(arr, n,    i, out, start) {	# arr[0..n-1]: ascending CPUs
	out = ""
	for (i = 0; i < n; i++) {
		start = arr[i]
		while (i + 1 < n && arr[i + 1] == arr[i] + 1) i++
		out = out (out == "" ? "" : ",") (start == arr[i] ? start : start "-" arr[i])
	}
	return out
}
NR == 1 {
	for (i = 1; i <= NF; i++) cpu[i - 1] = substr($i, 4) + 0
	n = NF
	online = fmt(cpu, n)
	print online > (dir "/sys/devices/system/cpu/online")
	print "0-" cpu[n - 1] > (dir "/sys/devices/system/cpu/possible")
	print "0-" cpu[n - 1] > (dir "/sys/devices/system/cpu/present")
	for (i = int(n / 2); i < n; i++) upper[i - int(n / 2)] = cpu[i]
	print fmt(upper, n - int(n / 2))
	if (aff == "") aff = online
	next
}
{
	c = index($0, ":"); name = substr($0, 1, c - 1); gsub(/[ \t]/, "", name)
	if (name !~ /^[0-9]+$/) next
	fixed = $0 ~ /GIC[^ ]* +(1[6-9]|2[0-9]|3[01]) / || $0 ~ /xen-percpu-|arch_timer|riscv-timer/
	print name, fixed > (dir "/.irqs")
}' "$dir/proc/interrupts"
[ -f "$dir/.irqs" ] || exit 0
cd "$dir/proc/irq"
cut -d' ' -f1 "$dir/.irqs" | xargs mkdir -p
aff=${aff:-$(cat "$dir/sys/devices/system/cpu/online")}
while read -r irq fixed; do
	echo "$aff" > "$irq/smp_affinity_list"
	echo ff > "$irq/smp_affinity"
	[ "$fixed" = 1 ] && chmod 0444 "$irq/smp_affinity" "$irq/smp_affinity_list"
done < "$dir/.irqs"
rm "$dir/.irqs"
