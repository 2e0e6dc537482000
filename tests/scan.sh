#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# blockinterf --dry-run: the interferer scan on fixture roots, against
# tests/expected/scan/ and against an independent model (gen-root.sh);
# interval deltas; bad /proc files; exit codes 0, 1, 2, 5.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"

. "$top_srcdir/tests/cli-lib.sh"
EXP=scan

cols=IRQ,KIND,NAME,CPUS,COUNT,AFFINITY,EFFECTIVE,HINT
for fx in x86-server:2-5 arm64-gicv3:3 offline:3-4 thismachine:1; do
	name=${fx%%:*} cpus=${fx#*:}
	bi --sysroot "$(root "$name")" --dry-run --set "$cpus" --json --output $cols
	status_is 5 "$name, --set $cpus: interferers found, exit 5"
	stdout_is "$EXP/$name.json" "$name: rows, sums, affinities and hints as expected"
done
bi --sysroot "$(root x86-server)" --dry-run --set 2-5
stdout_is "$EXP/x86-server.txt" "x86-server: the default table"
grep -q '"count": 205000,' "$top_srcdir/tests/expected/scan/x86-server.json"
ok $? "JSON counts are numbers"

bi --sysroot "$(root x86-server)" --dry-run --clear --json
status_is 0 "nothing to block: exit 0"
[ "$(tr -d ' \n' < "$out/o")" = '{"interferers":[]}' ]
ok $? "and an empty JSON table"

# a large machine, against the awk model of the rules
for t in 2-7 0-511 30-1000; do
	g=$out/gen-$t; r=$out/genroot-$t; mkdir -p "$r"
	"$top_srcdir/tests/gen-root.sh" 1024 600 "$g" "${t%-*}" "${t#*-}" 11 >/dev/null
	"$top_srcdir/tests/copy-root" "$g" "$r"
	bi --sysroot "$r" --dry-run --set "$t" --raw --noheadings --output IRQ,CPUS,COUNT
	status_is 5 "1024 CPUs x 600 IRQs, --set $t: exit 5"
	stdout_is "$g/expected" "1024 CPUs, --set $t: $(wc -l < "$g/expected") rows as the model lists them"
done

# --interval: proc/interrupts is a FIFO that gives two different reads.
# The second writer waits until the first read has surely seen its EOF
# (it takes microseconds; the interval is a second).
r=$(root interval/root)
mkfifo "$r/proc/interrupts"
( cat "$top_srcdir/tests/roots/interval/first" > "$r/proc/interrupts"
  sleep 0.4
  cat "$top_srcdir/tests/roots/interval/second" > "$r/proc/interrupts" ) &
bi --sysroot "$r" --dry-run --set 1 --interval 1 --raw --output IRQ,KIND,CPUS,COUNT,RATE
status_is 5 "--interval 1: exit 5"
stdout_is "$EXP/interval.txt" "deltas by row name, modulo 2^32, new rows counted, vanished and quiet rows not"
wait

# bad files: one line, exit 1, never a crash
bad() {	# bad DESCRIPTION: proc/interrupts comes on stdin
	local r; r=$(root small)
	cat > "$r/proc/interrupts"
	bi --sysroot "$r" --dry-run --set 1
	status_is 1 "$1: exit 1"
	one_error_line "$1"
}
bad "empty proc/interrupts" < /dev/null
bad "no CPU header" < <(printf 'garbage\n  1: 1 2\n')
bad "a row without a colon" < <(printf '   CPU0 CPU1\n  1 2 3\n')
bad "a count beyond 32 bits" < <(printf '   CPU0 CPU1\n  1: 4294967296 0 x\n')
bad "CPU columns out of order" < <(printf '   CPU1 CPU0\n  1: 1 2 x\n')
bad "a CPU beyond 8191" < <(printf '   CPU0 CPU8192\n  1: 1 2 x\n')
bad "a 2 MB line" < <(printf '   CPU0 CPU1\n 1: '; head -c 2000000 /dev/zero | tr '\0' '1'; echo)
r=$(root small); rm "$r/proc/interrupts"
bi --sysroot "$r" --dry-run --set 1
status_is 1 "no proc/interrupts: exit 1"
one_error_line "no proc/interrupts"
r=$(root small)
printf '   CPU0 CPU1 CPU2 CPU3\n  1: 5' > "$r/proc/interrupts"
bi --sysroot "$r" --dry-run --set 0 --raw --noheadings --output IRQ,COUNT
[ "$(tail -n 1 "$out/o")" = "1 5" ]
ok $? "a last line without newline still counts (got '$(tail -n 1 "$out/o")')"

# usage
bi --sysroot "$(root small)" --dry-run --set 1 --output IRQ,BOGUS
status_is 2 "unknown column: exit 2"
bi --sysroot "$(root small)" --json
status_is 2 "--json without --dry-run: exit 2"
bi --sysroot "$(root small)" --dry-run --set 1 --interval -1
status_is 2 "negative --interval: exit 2"

tap_done
