# SPDX-License-Identifier: GPL-2.0-or-later
# awk -v t=LIST -f tests/real-model.awk interrupts
# What blockinterf --dry-run --set LIST lists for a root made by
# tests/real-root.sh ("IRQ COUNT" a line, in file order), worked out by
# the rules of blockinterf_scan(3) independently of the C code:
#  - numbered rows: the affinity is every online CPU, so always listed;
#  - other rows: listed when their counts on T sum to more than 0;
#  - counts map to the header's CPUs, or, when a row has one count per
#    present CPU (0 to the highest online CPU), to those;
#  - never: one count on a multi-CPU machine (ERR, MIS, Err), s390's
#    totals (a row with no text named by others' "[NAME]" prefix).
function in_t(c) { return (c in tset) }
BEGIN {
	n = split(t, parts, ",")
	for (i = 1; i <= n; i++) {
		if (split(parts[i], rg, "-") == 2) { for (c = rg[1]; c <= rg[2]; c++) tset[c] = 1 }
		else tset[parts[i] + 0] = 1
	}
}
NR == 1 { ncols = NF; for (i = 1; i <= NF; i++) col[i] = substr($i, 4) + 0; npresent = col[NF] + 1; next }
/^[ \t]*$/ { next }
{
	c = index($0, ":"); name = substr($0, 1, c - 1); gsub(/[ \t]/, "", name)
	rest = substr($0, c + 1)
	k = split(rest, tok, /[ \t]+/)
	nv = 0; desc = ""
	for (i = 1; i <= k; i++) {
		if (tok[i] == "" && i == 1) continue
		if (desc == "" && tok[i] ~ /^[0-9]+$/) { v[++nv] = tok[i]; continue }
		if (tok[i] != "") { desc = tok[i]; break }
	}
	if (desc ~ /^\[[^]]+\]$/) totals[substr(desc, 2, length(desc) - 2)] = 1
	rows++; rname[rows] = name; rdesc[rows] = desc; sum = 0
	if (nv == 1 && ncols > 1 && name !~ /^[0-9]+$/) { rskip[rows] = 1; next }
	if (nv > ncols && nv == npresent) {
		for (i = 1; i <= nv; i++) if (in_t(i - 1)) sum += v[i]
	} else {
		for (i = 1; i <= nv && i <= ncols; i++) if (in_t(col[i])) sum += v[i]
	}
	rsum[rows] = sum
}
END {
	for (j = 1; j <= rows; j++) {
		if (rskip[j]) continue
		if (rname[j] ~ /^[0-9]+$/) { printf "%s %.0f\n", rname[j], rsum[j]; continue }
		if (rdesc[j] == "" && (rname[j] in totals)) continue
		if (rsum[j] > 0) printf "%s %.0f\n", rname[j], rsum[j]
	}
}
