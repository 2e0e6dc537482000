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
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --json --output IRQ,COUNT
grep -q '"count": 205000$' "$out/o" && ! grep -q '"count": "' "$out/o"
ok $? "JSON counts are numbers, in the program's output"

bi --sysroot "$(root x86-server)" --dry-run --clear --json
status_is 0 "nothing to block: exit 0"
[ "$(tr -d ' \n' < "$out/o")" = '{"would-block":"","interferers":[]}' ]
ok $? "and an empty JSON table"

# names are the drivers': bytes that are no UTF-8 must not make the
# JSON invalid; they are escaped as in the table (\xff), valid UTF-8
# (Grüße) is kept
r=$(root small)
sed -i 's/i8042/i8\xff\xfe042\xc3 Gr\xc3\xbc\xc3\x9fe \xed\xa0\x80/' "$r/proc/interrupts"
bi --sysroot "$r" --dry-run --set 0-2 --json --output IRQ,NAME
status_is 5 "invalid UTF-8 in an IRQ name, --json: exit 5"
python3 -m json.tool "$out/o" >/dev/null 2>"$out/e"
ok $? "and the JSON is valid ($(head -c 100 "$out/e"))"
grep -qF '"name": "IO-APIC 1-edge i8\\xff\\xfe042\\xc3 Grüße \\xed\\xa0\\x80"' "$out/o"
ok $? "and the bytes are escaped as the table's \\xff, UTF-8 kept"

# a large machine, against the awk model of the rules
for t in 2-7 0-511 30-1000; do
	g=$out/gen-$t; r=$out/genroot-$t; mkdir -p "$r"
	"$top_srcdir/tests/gen-root.sh" 1024 600 "$g" "${t%-*}" "${t#*-}" 11 >/dev/null
	"$top_srcdir/tests/copy-root" "$g" "$r"
	bi --sysroot "$r" --dry-run --set "$t" --raw --noheadings --output IRQ,CPUS,COUNT
	status_is 5 "1024 CPUs x 600 IRQs, --set $t: exit 5"
	stdout_sorted_is "$g/expected" "1024 CPUs, --set $t: $(wc -l < "$g/expected") rows as the model lists them"
done

# --interval: proc/interrupts is a FIFO that gives two different reads.
# The second write waits until no process holds the FIFO open, that is
# until the first read has seen its end of file: no timing assumed.
held() {	# held PATH: some process has PATH open
	find /proc/[0-9]*/fd -lname "$1" 2>/dev/null | grep -q .
}
feed() {	# feed FIFO FIRST SECOND, in the background
	( cat "$2" > "$1"
	  while held "$1"; do sleep 0.01; done
	  cat "$3" > "$1" ) &
}
r=$(root interval/root); ri=$top_srcdir/tests/roots/interval
mkfifo "$r/proc/interrupts"
feed "$r/proc/interrupts" "$ri/first" "$ri/second"
bi --sysroot "$r" --dry-run --set 1 --interval 0.5 --raw --output IRQ,KIND,CPUS,COUNT,RATE
status_is 5 "--interval 0.5: exit 5"
stdout_is "$EXP/interval.txt" "deltas by row name, modulo 2^32, new rows counted, vanished and quiet rows not; rate = count / 0.5 s"
wait
# a CPU that comes online between the reads: its count is not a delta
feed "$r/proc/interrupts" "$ri/first-offline" "$ri/second-online"
bi --sysroot "$r" --dry-run --set 1-2 --interval 0.2 --raw --noheadings --output IRQ,CPUS,COUNT
wait
status_is 0 "only the tick fired during --interval, nothing movable: exit 0, as without --interval"
printf 'LOC 2 10\n' | diff - "$out/o" | diag
ok "${PIPESTATUS[1]}" "CPU 1 online only in the second read: not counted (LOC 2 10, TLB quiet)"
# IRQ 9 freed and requested again by another device between the reads:
# its counts started again from 0, they are no delta of acpi's
feed "$r/proc/interrupts" "$ri/first-reuse" "$ri/second-reuse"
bi --sysroot "$r" --dry-run --set 1 --interval 0.2 --raw --noheadings --output IRQ,NAME,COUNT
wait
printf '9 PCI-MSI\\x20524288-edge\\x20eth0 5\n' | diff - "$out/o" | diag
ok "${PIPESTATUS[1]}" "an IRQ number reused under another name: counted from 0, not wrapped"
# a header and endless blank lines: the line limit ends it
( printf '   CPU0 CPU1\n'; yes '' ) > "$r/proc/interrupts" 2>/dev/null &
timeout 20 $WRAP "$BI" --sysroot "$r" --dry-run --set 1 >"$out/o" 2>"$out/e"
echo $? > "$out/s"; vg_clean
status_is 1 "a header and endless blank lines: exit 1, no hang"
one_error_line "endless blank lines"
kill %% 2>/dev/null; wait

# --interval keeps every count of the candidates of two reads: memory
# must follow the file, not rows x possible CPUs.  20,000 rows over two
# columns (about 230 KB) and 8192 possible CPUs, all but CPU 0 asked
# for: rows x 8191 candidates x 5 bytes, twice, was 1.6 GB.  ulimit -v
# cannot hold valgrind's or ASan's own mappings: skipped there.
if [ -n "$WRAP" ] || ldd "$BI" 2>/dev/null | grep -q libasan ||
	ldd "$top_builddir/lib/.libs/libblockinterf.so" | grep -q libasan; then
	skip "--interval memory under ulimit -v: not under valgrind or ASan"
else
	r=$(root large)
	cpu=$r/sys/devices/system/cpu
	echo 0-8191 >"$cpu/present"
	awk 'BEGIN { print "           CPU0       CPU1"
		     for (i = 0; i < 20000; i++) printf "%5d: 0 0 x\n", i }' \
		>"$r/proc/interrupts"
	# 300 MB of address space: the program, its libraries, room to spare
	( ulimit -v 307200
	  timeout "$BI_TIMEOUT" "$BI" --sysroot "$r" --dry-run --set 1-N \
		--interval 0.001 --raw --noheadings --output IRQ >"$out/o" 2>"$out/e"
	  echo $? >"$out/s" )
	status_is 0 "--interval on 20,000 rows x 8192 possible CPUs in 300 MB: exit 0"
	[ ! -s "$out/o" ]; ok $? "and nothing fired ($(wc -l <"$out/o") rows)"
fi

# --interval: Ctrl-C ends it with 130 and prints nothing; the waiting
# line only on a terminal
timeout "$BI_TIMEOUT" $WRAP "$BI" --sysroot "$(root small)" --dry-run --set 1 --interval 60 \
	>"$out/o" 2>"$out/e" &
pid=$!
sleep 1; kill -INT "$pid" 2>/dev/null; wait "$pid"; echo $? >"$out/s"; vg_clean
status_is 130 "--interval 60, SIGINT after 1 s: exit 130"
[ ! -s "$out/o" ] && [ ! -s "$out/e" ]; ok $? "and nothing printed, no waiting line off a terminal"
if command -v script >/dev/null && [ -z "$WRAP" ]; then
	BI_R=$(root small) BI_B=$BI script -qec '"$BI_B" --sysroot "$BI_R" --dry-run --set 1 --interval 0.01' /dev/null |
		tr -d '\r' > "$out/o"
	grep -qx 'blockinterf: counting interrupts for 0.01 s; Ctrl-C stops' "$out/o"
	ok $? "on a terminal: says it is counting ($(head -n 1 "$out/o"))"
else
	skip "--interval on a terminal: no script(1), or under valgrind"
fi

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

# per-CPU: GIC hwirqs 16-31 are PPIs, 32 on are SPIs
r=$(root arm64-gicv3)
printf '%s\n' \
	' 12:          0          0          0          9     GICv3  31 Level     dev-ppi' \
	' 13:          0          0          0          9     GICv3  32 Level     dev-spi' \
	' 15:          0          0          0          9     GICv3  16 Level     dev-ppi16' >> "$r/proc/interrupts"
for i in 12 13 15; do
	mkdir "$r/proc/irq/$i"; echo 0-3 > "$r/proc/irq/$i/smp_affinity_list"; echo f > "$r/proc/irq/$i/smp_affinity"
done
bi --sysroot "$r" --dry-run --set 3 --raw --noheadings --output IRQ,HINT
grep -q '^12 per-CPU' "$out/o" && grep -q '^15 per-CPU' "$out/o" && grep -q '^13 echo' "$out/o"
ok $? "GIC hwirq 31 and 16: per-CPU; 32: movable"

# --raw keeps a hint's blanks (a command), escapes a name's
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --raw --noheadings --output IRQ,NAME,HINT
grep -qx '8 IR-IO-APIC\\x208-edge\\x20rtc0 echo 0-1,6-7 > /proc/irq/8/smp_affinity_list' "$out/o"
ok $? "--raw: the hint's blanks kept, the name's \\x20 ($(grep '^8 ' "$out/o"))"

# a backslash in a name is escaped too: a literal "\x41" must not read
# back as "A" from --raw output
r=$(root x86-server)
sed -i 's/rtc0$/rtc\\x41/' "$r/proc/interrupts"
bi --sysroot "$r" --dry-run --set 2-5 --raw --noheadings --output IRQ,NAME
grep -qxF '8 IR-IO-APIC\x208-edge\x20rtc\x5cx41' "$out/o"
ok $? "--raw: a name's backslash is \\x5c ($(grep '^8 ' "$out/o"))"

# the tick's hint names the CPUs nohz_full= lacks (x86-server: 2-5)
bi --sysroot "$(root x86-server)" --dry-run --set 2-7 --raw --noheadings --output IRQ,HINT
grep -qx 'LOC nohz_full= lacks 6-7: boot with it covering them' "$out/o"
ok $? "nohz_full=2-5, --set 2-7: the hint names 6-7 ($(grep '^LOC' "$out/o"))"
r=$(root x86-server); echo '(null)' > "$r/sys/devices/system/cpu/nohz_full"
bi --sysroot "$r" --dry-run --set 2-7 --raw --noheadings --output IRQ,HINT
grep -qx 'LOC boot with nohz_full=2-7' "$out/o"
ok $? "no nohz_full: boot with nohz_full=2-7 ($(grep '^LOC' "$out/o"))"

# irqbalance present: the command says it would undo the move
for p in run/irqbalance etc/default/irqbalance lib/systemd/system/irqbalance.service; do
	r=$(root x86-server); mkdir -p "$r/${p%/*}"; mkdir "$r/$p"
	bi --sysroot "$r" --dry-run --set 2-5 --raw --noheadings --output IRQ,HINT
	grep -qx '8 echo 0-1,6-7 > /proc/irq/8/smp_affinity_list  # irqbalance moves it back unless IRQBALANCE_BANNED_CPULIST has 2-5' "$out/o"
	ok $? "$p: the hint notes irqbalance ($(grep '^8 ' "$out/o"))"
done
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --raw
! grep -q '# irqbalance' "$out/o"; ok $? "no irqbalance: no note"

# effective affinity lagging a move already written: pending, not exit 5
r=$(root x86-server)
echo 0-1 > "$r/proc/irq/8/smp_affinity_list"
for i in 50 51; do echo 0-1 > "$r/proc/irq/$i/smp_affinity_list"; done
bi --sysroot "$r" --dry-run --set 2-5 --raw --noheadings --output IRQ,MOVABLE,HINT
status_is 0 "every movable IRQ's smp_affinity_list already off 2-5: exit 0"
grep -qx '8 no pending: smp_affinity_list avoids these CPUs, the IRQ moves at its next interrupt' "$out/o" &&
	grep -qx '51 no pending: smp_affinity_list avoids these CPUs, the IRQ moves at its next interrupt' "$out/o"
ok $? "and IRQ 8, 51 pending, no echo ($(grep '^8 ' "$out/o"))"

# JSON: the set, and the flags a program decides on
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r={i["irq"]:i for i in d["interferers"]}
assert d["would-block"] == "2-5"
assert r["8"]["movable"] is True and r["8"]["managed"] is False
assert r["41"]["movable"] is False and r["41"]["managed"] is True
assert r["LOC"]["movable"] is False' "$out/o" 2>&1 | diag
ok "${PIPESTATUS[0]}" "--json: would-block, movable and managed booleans"

# most important first: movable by count, managed, then the rest by count
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --raw --noheadings --output IRQ
[ "$(paste -sd, "$out/o")" = "51,50,8,41,LOC,MCP,CAL,RES,NMI,PMI" ]
ok $? "default order ($(paste -sd, "$out/o"))"
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --raw --noheadings --output IRQ --sort IRQ
[ "$(paste -sd, "$out/o")" = "8,41,50,51,CAL,LOC,MCP,NMI,PMI,RES" ]
ok $? "--sort IRQ: numbers, then names ($(paste -sd, "$out/o"))"
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --raw --noheadings --output IRQ --sort count
[ "$(paste -sd, "$out/o")" = "LOC,51,41,50,MCP,CAL,RES,NMI,PMI,8" ]
ok $? "--sort count: by count, most first ($(paste -sd, "$out/o"))"
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --sort NOPE
status_is 2 "--sort NOPE: exit 2"
one_error_line "--sort NOPE"
bi --sysroot "$(root x86-server)" --sort IRQ
status_is 2 "--sort without --dry-run: exit 2"

# the summary: after the table, never where scripts parse
bi --sysroot "$(root x86-server)" --dry-run --set 2-5
[ "$(tail -n 1 "$out/o")" = "3 movable, 1 managed, 6 per-CPU or fixed sources" ]
ok $? "summary after the table ($(tail -n 1 "$out/o"))"
for o in --raw --json --noheadings; do
	bi --sysroot "$(root x86-server)" --dry-run --set 2-5 $o
	! grep -q 'movable, ' "$out/o"; ok $? "$o: no summary"
done

# the real 1152-CPU capture on a terminal 80 and 200 columns wide:
# NAME whole or wrapped between words, never cut; CPUS cut
r=$(mktemp -d "$out/real.XXXXXX")
t=$("$top_srcdir/tests/real-root.sh" "$top_srcdir"/tests/real-interrupts/x86-1152cpu-pcp/interrupts* "$r")
if command -v script >/dev/null && [ -z "$WRAP" ]; then
	for w in 80 200; do
		BI_R=$r BI_W=$w BI_B=$BI BI_T=$t script -qec 'stty cols $BI_W; "$BI_B" --sysroot "$BI_R" --dry-run --set "$BI_T"' /dev/null |
			tr -d '\r' > "$out/o"
		stdout_is "$EXP/x86-1152cpu-$w.txt" "1152 CPUs on a terminal $w columns wide"
		! awk -v w="$w" 'length($0) > w' "$out/o" | grep -q .
		ok $? "and no line is wider than $w"
	done
else
	skip "terminal widths: no script(1), or under valgrind"
	skip "terminal widths: no script(1), or under valgrind"
	skip "terminal widths: no script(1), or under valgrind"
	skip "terminal widths: no script(1), or under valgrind"
fi

# --noheadings -o HINT: only the hints, no "would block" line to run
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --noheadings --output HINT
! grep -q 'would block' "$out/o" && grep -q '^echo ' "$out/o"
ok $? "--noheadings --output HINT prints hints only, first line: $(head -n 1 "$out/o")"
bi --sysroot "$(root x86-server)" --dry-run --set 2-5 --output HINT
grep -q '^would block: 2-5$' "$out/o"
ok $? "with headings the 'would block' line stays ($(head -n 1 "$out/o"))"

# nohz_full longer than 64 bytes
r=$(root x86-server)
printf '2,3,4,5%s\n' "$(printf ',2,3,4,5%.0s' 1 2 3 4 5 6 7 8 9 10)" > "$r/sys/devices/system/cpu/nohz_full"
bi --sysroot "$r" --dry-run --set 2-5 --raw --noheadings --output IRQ,HINT
grep -q '^LOC nohz_full already' "$out/o"
ok $? "a nohz_full list of $(wc -c < "$r/sys/devices/system/cpu/nohz_full") bytes covering the set: 'nohz_full already' ($(grep ^LOC "$out/o"))"

# --output: +COL, --output-all, repeated columns
bi --sysroot "$(root small)" --dry-run --set 0 --raw --output +AFFINITY
[ "$(sed -n 1p "$out/o")" = "IRQ KIND COUNT NAME HINT CPUS AFFINITY" ]
ok $? "--output +AFFINITY: the default columns and AFFINITY ($(sed -n 1p "$out/o"))"
bi --sysroot "$(root small)" --dry-run --set 0 --raw --output-all
[ "$(sed -n 1p "$out/o")" = "IRQ KIND NAME CPUS COUNT AFFINITY EFFECTIVE MOVABLE MANAGED HINT" ]
ok $? "--output-all: every column but RATE, without --interval ($(sed -n 1p "$out/o"))"
bi --sysroot "$(root small)" --dry-run --set 0 --raw --output-all --interval 0.001
[ "$(sed -n 1p "$out/o")" = "IRQ KIND NAME CPUS COUNT RATE AFFINITY EFFECTIVE MOVABLE MANAGED HINT" ]
ok $? "--output-all --interval: RATE too ($(sed -n 1p "$out/o"))"
for o in "--output RATE" "--output +RATE" "--sort RATE"; do
	bi --sysroot "$(root small)" --dry-run --set 0 $o
	status_is 2 "$o without --interval: usage error"
	one_error_line "$o without --interval"
done
bi --sysroot "$(root small)" --dry-run --set 0 --raw --output IRQ,KIND,NAME,CPUS,COUNT,RATE,AFFINITY,EFFECTIVE,HINT,IRQ --interval 0.001
status_is 5 "ten columns, IRQ twice: accepted"
[ "$(sed -n 1p "$out/o")" = "IRQ KIND NAME CPUS COUNT RATE AFFINITY EFFECTIVE HINT IRQ" ]
ok $? "and printed as asked"

# a control character in a row's text reaches no terminal raw
r=$(root small)
printf '  9:          0          7          0          0   IO-APIC \033[2J\033]0;x\007evil\n' >> "$r/proc/interrupts"
bi --sysroot "$r" --dry-run --set 1
grep -q 'evil' "$out/o" && ! grep -q "$(printf '\033')" "$out/o"
ok $? "escape sequences in /proc/interrupts are encoded in the table"

# usage
bi --sysroot "$(root small)" --dry-run --set 1 --output IRQ,BOGUS
status_is 2 "unknown column: exit 2"
bi --sysroot "$(root small)" --dry-run --set 1 --output ''
status_is 2 "--output '': exit 2"
[ ! -s "$out/o" ]; ok $? "--output '': nothing printed on stdout"
one_error_line "--output ''"
bi --sysroot "$(root small)" --dry-run --set 1 --output +
status_is 2 "--output +: exit 2"
bi --sysroot "$(root small)" --dry-run --set 1 --json --raw
status_is 2 "--json --raw: exit 2 (mutually exclusive)"
[ ! -s "$out/o" ]; ok $? "--json --raw: nothing printed on stdout"
bi --sysroot "$(root small)" --dry-run --set 1 --output IRQ --output-all
status_is 2 "--output with --output-all: exit 2"
bi --sysroot "$(root small)" --json
status_is 2 "--json without --dry-run: exit 2"
bi --sysroot "$(root small)" --dry-run --set 1 --interval -1
status_is 2 "negative --interval: exit 2"

tap_done
