#!/bin/bash
# tests/gen-root.sh NCPUS NROWS DIR FIRST LAST [SEED]
#
# Generates a fixture root of a large machine: NCPUS CPUs (every 16th
# from CPU 40 on offline, so columns and CPU numbers part ways), NROWS
# device IRQs with their proc/irq/N files (some managed), and the x86
# per-CPU rows.  Also writes DIR/expected: what a dry run for CPUs
# FIRST-LAST must list, "IRQ CPUS COUNT" a line, worked out here in awk
# by the rules of blockinterf_scan(3), independently of the C code.
set -euo pipefail
ncpus=$1 nrows=$2 dir=$3 first=$4 last=$5 seed=${6:-1}
mkdir -p "$dir/proc/sys/kernel" "$dir/sys/devices/system/cpu" "$dir/proc/irq"
printf '\n' > "$dir/proc/sys/kernel/block_interf_cpumask"
awk -v ncpus="$ncpus" -v nrows="$nrows" -v dir="$dir" -v first="$first" \
    -v last="$last" -v seed="$seed" '
function offline(c) { return c >= 40 && c % 16 == 8 }
function in_t(c) { return c >= first && c <= last }
# a CPU list from the flags set in arr[0..ncpus-1]
function fmt(arr,    c, out, start) {
	out = ""
	for (c = 0; c < ncpus; c++) {
		if (!arr[c]) continue
		start = c
		while (c + 1 < ncpus && arr[c + 1]) c++
		out = out (out == "" ? "" : ",") (start == c ? start : start "-" c)
	}
	return out
}
BEGIN {
	srand(seed)
	ints = dir "/proc/interrupts"
	hdr = "    "
	for (c = 0; c < ncpus; c++) if (!offline(c)) hdr = hdr sprintf(" %10s", "CPU" c)
	print hdr > ints
	for (c = 0; c < ncpus; c++) online[c] = !offline(c)
	print fmt(online) > (dir "/sys/devices/system/cpu/online")
	print "0-" (ncpus - 1) > (dir "/sys/devices/system/cpu/possible")
	print "(null)" > (dir "/sys/devices/system/cpu/nohz_full")
	expected = dir "/expected"
	for (i = 0; i < nrows; i++) {
		irq = 100 + i
		lo = int(rand() * ncpus); hi = lo + int(rand() * 8); if (hi >= ncpus) hi = ncpus - 1
		eff = lo + int(rand() * (hi - lo + 1))
		noeff = rand() < 0.2; managed = rand() < 0.1; nodir = rand() < 0.05
		line = sprintf("%4d:", irq); sum = 0; delete hit
		for (c = 0; c < ncpus; c++) {
			if (offline(c)) continue
			v = (c == eff && rand() < 0.7) ? int(rand() * 4294967295) : 0
			line = line sprintf(" %10u", v)
			if (in_t(c) && v) { sum += v; hit[c] = 1 }
		}
		print line sprintf("  IR-PCI-MSIX-0000:%02x:00.0 %d-edge dev%d-q%d", i % 256, i, i % 17, i) > ints
		if (!nodir) {
			d = dir "/proc/irq/" irq
			system("mkdir -p " d)
			print (lo == hi ? lo : lo "-" hi) > (d "/smp_affinity_list"); close(d "/smp_affinity_list")
			printf "%s", (noeff ? "" : eff "\n") > (d "/effective_affinity_list"); close(d "/effective_affinity_list")
			print "ff" > (d "/smp_affinity"); close(d "/smp_affinity")
			# the kernel gives both files one mode (kernel/irq/proc.c)
			if (managed) print "444 proc/irq/" irq "/smp_affinity\n444 proc/irq/" irq "/smp_affinity_list" > (dir "/.modes")
		}
		# the rules: A = effective, else smp_affinity, else unknown
		delete a
		if (nodir) {
			if (sum) printf "%s %s %.0f\n", irq, fmt(hit), sum > expected
			continue
		}
		if (noeff) { for (c = lo; c <= hi; c++) a[c] = in_t(c) }
		else a[eff] = in_t(eff)
		s = fmt(a)
		if (s != "") printf "%s %s %.0f\n", irq, s, sum > expected
	}
	split("LOC RES CAL TLB", arch, " ")
	for (k = 1; k <= 4; k++) {
		line = sprintf("%4s:", arch[k]); sum = 0; delete hit
		for (c = 0; c < ncpus; c++) {
			if (offline(c)) continue
			v = (c % 3 == k % 3) ? 0 : int(rand() * 100000)
			line = line sprintf(" %10u", v)
			if (in_t(c) && v) { sum += v; hit[c] = 1 }
		}
		print line "   " arch[k] " interrupts" > ints
		if (sum) printf "%s %s %.0f\n", arch[k], fmt(hit), sum > expected
	}
	print " ERR:          0" > ints
}'
touch "$dir/expected"
