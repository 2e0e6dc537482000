#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/demo.sh IMAGE: contrib/demo --kernel IMAGE shows each step with
# its explanation and ends with the refused MSR read of CPU 3.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(timeout 900 "$top/contrib/demo" --kernel "${1:?usage: tests/demo.sh IMAGE}" 2>&1)
status=$?
echo "$out" | sed 's/^/# /'
fail=0
[ "$status" -eq 0 ] || { echo "contrib/demo exited $status"; fail=1; }
for step in '$ blockinterf --check' '$ blockinterf --set 2-3' \
	'$ BI_CPU=0 bi-helper msr 3' '$ BI_CPU=0 bi-helper msr 1' \
	'$ cat /proc/sys/kernel/block_interf_refused' \
	'$ blockinterf --dry-run --set 2-3' '$ blockinterf --clear'; do
	# each command comes within two lines after its "== explanation"
	echo "$out" | awk -v step="$step" '
		/^== / { expl = NR }
		index($0, step) == 1 && expl && NR - expl <= 2 { found = 1 }
		END { exit !found }' || { echo "no explained step '$step'"; fail=1; }
done
last=$(echo "$out" | tail -n 1)
[[ $last == *"CPU 3 blocked, its MSR read was refused: EPERM" ]] ||
	{ echo "last line: '$last'"; fail=1; }
exit "$fail"
