#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# blockinterf(8) end to end on fixture roots: outputs against
# tests/expected/, every exit code, and what the fixture file holds
# after every refusal.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"

. "$top_srcdir/tests/cli-lib.sh"
MASK=proc/sys/kernel/block_interf_cpumask

# --- usage -----------------------------------------------------------
bi --version
status_is 0 "--version exits 0"
grep -q '^blockinterf [0-9]' "$out/o"; ok $? "--version prints the version"
bi --help
status_is 0 "--help exits 0"
grep -q -- '--set=LIST' "$out/o"; ok $? "--help lists --set=LIST"
bi --bogus
status_is 2 "unknown option: exit 2"
one_error_line "unknown option"
bi --set 1 --clear
status_is 2 "two changes at once: exit 2"
one_error_line "two changes"
bi --dry-run
status_is 2 "--dry-run alone: exit 2"
bi --get extra
status_is 2 "stray argument: exit 2"
bi --sysroot /nonexistent
status_is 1 "missing sysroot: exit 1"
one_error_line "missing sysroot"

# --- reading ---------------------------------------------------------
r=$(root small)
bi --sysroot "$r"
status_is 0 "get on small: exit 0"
stdout_is empty-line.txt "get with nothing blocked prints an empty line"
r=$(root offline)
bi --sysroot "$r" --get
stdout_is get-offline.txt "get on offline prints 5"
bi --sysroot "$r" --get --quiet
[ ! -s "$out/o" ]; ok $? "--quiet prints nothing"

# --- bad lists: exit 2, nothing written --------------------------------
r=$(root small)
printf '1\n' >"$r/$MASK"
for list in '0-14:2' '0-3:1' 'x' '1-' '0-9' '4' '99999999999' '-1' '1-2:1/4294967295'; do
	bi_admin --sysroot "$r" --set "$list"
	status_is 2 "--set '$list': exit 2"
	one_error_line "--set '$list'"
done
# the kernel stops at a newline: what follows it would be dropped
for list in $'1\n4-5' $'1\n\n2' $'\n2'; do
	timeout "$BI_TIMEOUT" $admin $VG "$BI_STATIC" --sysroot "$r" --set "$list" \
		>"$out/o" 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	q=$(printf %q "$list")
	status_is 2 "--set $q: exit 2"
	one_error_line "--set $q"
done
file_is "$r" "1" "bad lists wrote nothing"
# an unset variable in a tuned script must not unblock every CPU
for list in '' '  ' ',,' '2-3:0/1' 'all:0/1'; do
	bi_admin --sysroot "$r" --set "$list"
	status_is 2 "--set '$list' (no CPU): exit 2"
	grep -q -- '--clear' "$out/e"; ok $? "--set '$list': the error names --clear"
done
file_is "$r" "1" "empty sets cleared nothing"
long=$(printf 'x%.0s' $(seq 60000))
bi --sysroot "$r" --set "$long"
status_is 2 "a 60 KB bad list: exit 2"
[ "$(wc -c <"$out/e")" -lt 200 ]; ok $? "and the message is cut ($(wc -c <"$out/e") bytes)"
bi_admin --sysroot "$r" --set 2 --set 3
status_is 2 "--set twice: exit 2"
one_error_line "--set twice"
file_is "$r" "1" "--set twice wrote nothing"
bi --sysroot ''
status_is 2 "--sysroot '': exit 2, not the running system"
one_error_line "--sysroot ''"
for iv in nan '' 1e-9 inf -1 0 3601 1x; do
	bi --sysroot "$r" --dry-run --set 2 --interval "$iv"
	status_is 2 "--interval '$iv': exit 2"
done
bi --sysroot "$r" --set 2 --interval 1
status_is 2 "--interval without --dry-run: exit 2"
bi --sysroot "$r" --set 2 --interval 0
status_is 2 "--interval 0 without --dry-run: exit 2"

# --- help, output errors -------------------------------------------------
for h in -h --help '-?'; do
	bi "$h"
	status_is 0 "$h: exit 0"
	[ "$(tail -n 1 "$out/o")" = "See blockinterf(8)." ]; ok $? "$h ends with See blockinterf(8)."
done
! awk 'length($0) > 80' "$out/o" | grep -q .
ok $? "--help fits 80 columns ($(awk 'length($0) > 80' "$out/o" | head -n 1 | cut -c1-60))"
cols=$(sed -n 's/^  \([A-Z][A-Z]*\)  .*/\1/p' "$out/o" | paste -sd, -)
[ "$cols" = "IRQ,KIND,NAME,CPUS,COUNT,RATE,AFFINITY,EFFECTIVE,MOVABLE,MANAGED,HINT" ]
ok $? "--help describes the eleven columns ($cols)"
bi --sysroot "$(root small)" --dry-run --set 1 --output "$cols" --raw --interval 0.001
# exit 0: the small root lists only the local timer and CAL, nothing to move
status_is 0 "every column --help describes is one --output takes"
status_is 0 "every column --help describes is one --output takes (--interval for RATE)"
bi --sysroot "$(root small)" --dry-run --set 1 --output "${cols/RATE,/}" --raw
[ "$(head -n 1 "$out/o")" = "$(echo "${cols/RATE,/}" | tr , ' ')" ]; ok $? "and prints them all"
bi --sysroot "$(root small)" --dry-run --set 1 --output NOPE
grep -q 'IRQ, KIND, NAME, CPUS, COUNT, RATE, AFFINITY, EFFECTIVE, MOVABLE, MANAGED, HINT' "$out/e"
ok $? "and --output names the same columns"
if [ -w /dev/full ]; then
	timeout "$BI_TIMEOUT" $WRAP "$BI" --sysroot "$(root small)" --dry-run --set 1 >/dev/full 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 1 "--dry-run > /dev/full: exit 1"
	grep -q 'write error' "$out/e"; ok $? "and says write error"
	timeout "$BI_TIMEOUT" $WRAP "$BI" --sysroot "$(root offline)" >/dev/full 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 1 "--get > /dev/full: exit 1"
else
	skip "no /dev/full"
fi
bi --sysroot "$r" --set 0-14:2
grep -q '0-14:1/2' "$out/e"; ok $? "the step form error names the kernel form 0-14:1/2"
bi --sysroot "$r" --set 0-9
grep -q 'CPUs are 0-3' "$out/e"; ok $? "out of range names the machine's CPUs"

# --- writing ---------------------------------------------------------
if [ "$admin" = none ]; then
	skip "writes need root or an unprivileged user namespace"
else
	r=$(root small)
	bi_admin --sysroot "$r" --set 2-3
	status_is 0 "--set 2-3: exit 0"
	file_is "$r" "2-3" "--set 2-3 wrote 2-3"
	stdout_is set-none-2-3.txt "--set 2-3 says old -> new on stdout: none -> 2-3"
	bi --sysroot "$r"
	stdout_is get-2-3.txt "get prints 2-3"
	timeout "$BI_TIMEOUT" $admin $VG "$BI_STATIC" --sysroot "$r" --add $'1\n \t' >"$out/o"
	file_is "$r" "1-3" "--add 1 with a newline and blanks after it"
	[ "$(cat "$out/o")" = "2-3 -> 1-3" ]; ok $? "--add 1: '2-3 -> 1-3' ($(cat "$out/o"))"
	bi_admin --sysroot "$r" --remove 2-3
	file_is "$r" "1" "--remove 2-3"
	[ "$(cat "$out/o")" = "1-3 -> 1" ]; ok $? "--remove 2-3: '1-3 -> 1' ($(cat "$out/o"))"
	bi_admin --sysroot "$r" --remove 0
	file_is "$r" "1" "--remove of an unblocked CPU leaves it unblocked"
	[ "$(cat "$out/o")" = "1 -> 1" ]; ok $? "and says '1 -> 1' ($(cat "$out/o"))"
	bi_admin --sysroot "$r" --quiet --add 2
	[ ! -s "$out/o" ] && [ "$(cat "$out/s")" = 0 ]; ok $? "--quiet --add 2: nothing on stdout"
	bi_admin --sysroot "$r" --clear
	stdout_is clear-1-2.txt "--clear: '1-2 -> none'"
	bi_admin --sysroot "$r" --check
	grep -qx 'blocked CPUs:    none' "$out/o"; ok $? "--check says an empty set is none"
	bi_admin --sysroot "$r" --get
	stdout_is empty-line.txt "--get prints an empty set as an empty line"
	bi_admin --sysroot "$r" --set 1
	[ "$(cat "$out/o")" = "none -> 1" ]; ok $? "--set 1 from empty: none -> 1 ($(cat "$out/o"))"
	bi_admin --sysroot "$r" --dry-run --clear
	grep -qx 'would block: none' "$out/o"; ok $? "--dry-run --clear: 'would block: none'"
	bi_admin --sysroot "$r" --dry-run --clear --json
	grep -q '"would-block": ""' "$out/o"; ok $? "--json: would-block is an empty list"
	bi_admin --sysroot "$r" --dry-run --remove 0
	grep -q '^would block: 1$' "$out/o"; ok $? "--dry-run --remove of an unblocked CPU: would block 1"
	bi_admin --sysroot "$r" --set 0-3
	status_is 1 "blocking every online CPU: exit 1"
	one_error_line "every online CPU"
	grep -q 'every online CPU' "$out/e"; ok $? "and says so"
	bi_admin --sysroot "$r" --add 0,2-3
	status_is 1 "--add reaching every online CPU: exit 1"
	[ ! -s "$out/o" ]; ok $? "and says no 'old -> new' ($(cat "$out/o"))"
	file_is "$r" "1" "refusals wrote nothing"
	bi_admin --sysroot "$r" --dry-run --set 0-2
	status_is 5 "--dry-run --set 0-2: interferers listed, exit 5"
	stdout_is dry-run-0-2.txt "--dry-run lists what would still interrupt 0-2"
	file_is "$r" "1" "--dry-run wrote nothing"
	bi_admin --sysroot "$r" --dry-run --set 0-3
	status_is 1 "--dry-run of a refused set: exit 1"
	bi_admin --sysroot "$r" --clear
	file_is "$r" "" "--clear"
	# util-linux's close_stream(): a closed stdout that nothing was
	# written to is no error
	timeout "$BI_TIMEOUT" $admin $WRAP "$BI" --sysroot "$r" --quiet --set 2 \
		>&- 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 0 "--quiet --set 2 with stdout closed: exit 0"
	[ ! -s "$out/e" ]; ok $? "and says nothing ($(head -c 100 "$out/e"))"
	file_is "$r" "2" "and wrote 2"
	timeout "$BI_TIMEOUT" $WRAP "$BI" --sysroot "$r" --get >&- 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 1 "--get with stdout closed: the line is lost, exit 1"
	grep -q 'write error' "$out/e"; ok $? "and says write error"
	bi_admin --sysroot "$r" --clear
	bi_admin --sysroot "$r" --check
	status_is 0 "--check with privilege on small: exit 0"
	stdout_is check-small.txt "--check explains support and privilege"

	r=$(root offline)
	bi_admin --sysroot "$r" --set 0-2,4-7
	status_is 1 "offline: every online CPU: exit 1"
	bi_admin --sysroot "$r" --set 3-7
	status_is 0 "offline: 3-7 (3 offline): exit 0"
	file_is "$r" "3-7" "offline: wrote 3-7"

	r=$(root large)
	bi_admin --sysroot "$r" --set 1-N
	file_is "$r" "1-8191" "large: 1-N is 1-8191"
fi

if [ "$admin" != none ]; then
	r=$(root small)
	printf '1\n' >"$r/$MASK"
	: >"$r/sys/devices/system/cpu/online"
	bi_admin --sysroot "$r" --clear
	status_is 0 "--clear with an empty online file: exit 0"
	file_is "$r" "" "and cleared"

	# --set isolated: isolcpus=, nohz_full= and isolated partitions
	r=$(root small)
	cpu=$r/sys/devices/system/cpu
	mkdir -p "$r/sys/fs/cgroup"
	printf '\n' >"$cpu/isolated"; printf '(null)\n' >"$cpu/nohz_full"
	printf '1\n' >"$r/$MASK"
	bi_admin --sysroot "$r" --set isolated
	status_is 1 "--set isolated with nothing isolated: exit 1"
	grep -qF "no CPU is isolated: $cpu/isolated, $cpu/nohz_full and $r/sys/fs/cgroup/cpuset.cpus.isolated list none" "$out/e"
	ok $? "and says so, naming the files below the sysroot ($(cat "$out/e"))"
	file_is "$r" "1" "and clears nothing"
	printf '3\n' >"$cpu/isolated"
	bi_admin --sysroot "$r" --set isolated
	file_is "$r" "3" "--set isolated takes sys/devices/system/cpu/isolated"
	printf '2\n' >"$cpu/nohz_full"
	printf '1\n' >"$r/sys/fs/cgroup/cpuset.cpus.isolated"
	bi_admin --sysroot "$r" --set isolated
	file_is "$r" "1-3" "and nohz_full and cgroup's cpuset.cpus.isolated"
	printf 'zz\n' >"$cpu/nohz_full"
	bi_admin --sysroot "$r" --set isolated
	status_is 1 "--set isolated with a garbled nohz_full: exit 1"
	grep -qF "cannot read $cpu/nohz_full:" "$out/e"; ok $? "and names $cpu/nohz_full"
	file_is "$r" "1-3" "and writes nothing"
fi

# --- missing privilege: exit 4, nothing written ------------------------
r=$(root small)
if [ "$(id -u)" -eq 0 ] && [ -n "${SETPRIV:-}" ]; then
	drop="$SETPRIV --bounding-set=-sys_admin --"
elif [ "$(id -u)" -ne 0 ]; then
	drop=""		# an ordinary user lacks CAP_SYS_ADMIN already
else
	drop=none
fi
if [ "$drop" = none ]; then
	skip "setpriv(1) missing: cannot drop CAP_SYS_ADMIN"
else
	timeout "$BI_TIMEOUT" $drop $WRAP "$BI" --sysroot "$r" --set 2 >"$out/o" 2>"$out/e"; echo $? >"$out/s"; vg_clean
	status_is 4 "--set without CAP_SYS_ADMIN: exit 4"
	one_error_line "no CAP_SYS_ADMIN"
	grep -q CAP_SYS_ADMIN "$out/e"; ok $? "the error names CAP_SYS_ADMIN"
	file_is "$r" "" "nothing written without privilege"
	timeout "$BI_TIMEOUT" $drop $WRAP "$BI" --sysroot "$r" --check >"$out/o" 2>"$out/e"; echo $? >"$out/s"; vg_clean
	status_is 4 "--check without CAP_SYS_ADMIN: exit 4"
	stdout_is check-small-nopriv.txt "--check says what is missing"
	timeout "$BI_TIMEOUT" $drop $WRAP "$BI" --sysroot "$r" >"$out/o" 2>"$out/e"; echo $? >"$out/s"; vg_clean
	status_is 0 "reading needs no privilege"
fi

# --- made set-user-ID or set-group-ID: refused --------------------------
# An admin's chmod u+s would hand the mask to every user.  Run without
# valgrind: it cannot run a set-user-ID program.
if [ "$(id -u)" -eq 0 ] && [ -n "${SETPRIV:-}" ]; then
	r=$(root small)
	chmod a+rx "$out" "$r"	# what nobody must be able to read, but for the check
	cp "$BI_STATIC" "$out/bi-suid"
	chown 65534 "$out/bi-suid"; chmod 4755 "$out/bi-suid"
	timeout "$BI_TIMEOUT" "$BI_STATIC" --sysroot "$r" --get >"$out/o" 2>"$out/e"
	echo $? >"$out/s"
	status_is 0 "the unwrapped command, ids equal: exit 0"
	for run in "$out/bi-suid" "$SETPRIV --euid 65534 $BI_STATIC" \
		"$SETPRIV --ruid 65534 $BI_STATIC" \
		"$SETPRIV --egid 65534 --keep-groups $BI_STATIC"; do
		what=${run//$out\//}; what=${what//$top_builddir\//}
		# shellcheck disable=SC2086
		timeout "$BI_TIMEOUT" $run --sysroot "$r" --get >"$out/o" 2>"$out/e"
		echo $? >"$out/s"
		status_is 1 "$what: exit 1"
		# and in an ASan build LeakSanitizer's lines: it cannot look
		# at a process whose ids differ
		[ "$(grep -c '^blockinterf: ' "$out/e")" = 1 ]
		ok $? "$what: one error line ($(head -c 120 "$out/e"))"
		grep -q 'set-user-ID or set-group-ID' "$out/e"; ok $? "$what: says why"
		[ ! -s "$out/o" ]; ok $? "$what: prints no mask"
	done
else
	skip "set-user-ID: needs root and setpriv(1)"
fi

# --- kernel without the feature: exit 3 ---------------------------------
r=$(root vanilla)
for args in "--get" "--set 1" "--clear" "--check"; do
	# shellcheck disable=SC2086
	bi --sysroot "$r" $args
	status_is 3 "vanilla: $args: exit 3"
done
bi --sysroot "$r" --set 1
one_error_line "vanilla --set"
grep -q CONFIG_BLOCK_INTERF "$out/e"; ok $? "vanilla: the error says what kernel to boot"
# messages name files as a user finds them: SYSROOT/..., or /... on the
# running system
bi --sysroot "$r///" --get
grep -qF "($r/$MASK missing)" "$out/e"; ok $? "vanilla: the message names $r/$MASK, a sysroot's trailing slashes not doubled ($(cat "$out/e"))"
r=$(root small)
printf 'garbage\n' >"$r/proc/interrupts"
bi --sysroot "$r" --dry-run --set 1
grep -qF ": $r/proc/interrupts, line 1: not what" "$out/e"; ok $? "a bad $r/proc/interrupts is named so"
if [ ! -e /$MASK ]; then
	bi --get
	grep -qF "(/$MASK missing)" "$out/e"; ok $? "the running system: /$MASK ($(cat "$out/e"))"
else
	skip "the running system has /$MASK"
fi
# BLOCKINTERF_LOG: debug messages on stderr; a bad value is a usage error
r=$(root small)
BLOCKINTERF_LOG=debug bi --sysroot "$r" --dry-run --set 1
grep -q '^blockinterf: debug: ' "$out/e"; ok $? "BLOCKINTERF_LOG=debug: debug lines on stderr ($(head -n 1 "$out/e" | cut -c1-60))"
BLOCKINTERF_LOG=7 bi --sysroot "$r" --dry-run --set 1
grep -q '^blockinterf: debug: ' "$out/e"; ok $? "BLOCKINTERF_LOG=7 too"
bi --sysroot "$r" --dry-run --set 1
! grep -q 'debug' "$out/e"; ok $? "without it: none"
for v in bogus 8 -1; do
	BLOCKINTERF_LOG=$v bi --sysroot "$r"
	status_is 2 "BLOCKINTERF_LOG=$v: exit 2"
	one_error_line "BLOCKINTERF_LOG=$v"
done
# plan before rebooting into the patched kernel: a stock kernel
r=$(root small)
rm "$r/$MASK"
bi --sysroot "$r" --dry-run --set 1
[ "$(cat "$out/s")" = 0 ] || [ "$(cat "$out/s")" = 5 ]
ok $? "vanilla: --dry-run --set 1 works without the feature (exit $(cat "$out/s"))"
grep -q '^would block: 1$' "$out/o"; ok $? "vanilla: and says what it would block"
[ "$(wc -l < "$out/e")" = 1 ] && grep -q 'this kernel has no block_interf_cpumask: a plan only' "$out/e"
ok $? "vanilla: and says once, on stderr, that the kernel lacks the feature ($(head -n 1 "$out/e"))"
bi --sysroot "$r" --dry-run --add 1
[ "$(cat "$out/s")" = 0 ] || [ "$(cat "$out/s")" = 5 ]
ok $? "vanilla: --dry-run --add 1 too (exit $(cat "$out/s"))"
bi --sysroot "$r" --set 0-14:2
status_is 2 "vanilla: --set 0-14:2 is a usage error first (exit 2, not 3)"

# --- backends --------------------------------------------------------
# Under a sysroot only the kernel backend can be used: the BPF LSM one
# says so (or that it was not built), and which was asked is which runs.
backend_is() {	# backend_is TEXT DESCRIPTION: --check's backend line is TEXT
	local got; got=$(sed -n 's/^backend: *//p' "$out/o")
	[ "$got" = "$1" ] || echo "got '$got'" | diag
	ok "$([ "$got" = "$1" ]; echo $?)" "$2"
}
bpf_why() {	# the BPF LSM backend's reason under a sysroot, by the build
	if grep -q '^#define HAVE_BPF 1' "$top_builddir/config.h"; then
		echo "BPF LSM backend: not for a sysroot"
	else
		echo "BPF LSM backend: not built ($(sed -n 's/^#define BPF_NOT_BUILT "\(.*\)"$/\1/p' "$top_builddir/config.h"))"
	fi
}
nokernel() { echo "no block_interf_cpumask ($1/$MASK missing)"; }
r=$(root small)
echo 7 > "$r/proc/sys/kernel/block_interf_refused"
bi_admin --sysroot "$r" --backend kernel --check
status_is 0 "--backend kernel --check on small: exit 0"
backend_is "kernel backend: the kernel has block_interf_cpumask" "--backend kernel: the kernel backend"
grep -qx 'refused: *7' "$out/o"; ok $? "--check reads the kernel's refusal counter (7)"
bi_admin --sysroot "$r" --backend bpf --check
status_is 3 "--backend bpf --check on small, which has the kernel's mask: exit 3"
backend_is "$(bpf_why)" "--backend bpf: only the BPF LSM backend is tried"
bi_admin --sysroot "$r" --backend bpf --set 1
status_is 3 "--backend bpf --set 1 on small: exit 3"
file_is "$r" "" "--backend bpf wrote nothing to the kernel's mask"
bi_admin --sysroot "$r" --unload
status_is 1 "--unload on the kernel backend: exit 1"
one_error_line "--unload on the kernel backend"
grep -q "the sysctl interface is the kernel's own: there is nothing to unload" "$out/e"
ok $? "and says there is nothing to unload"
bi --sysroot "$r" --backend other --check
status_is 2 "--backend other: exit 2"
one_error_line "--backend other"
r=$(root vanilla)
bi_admin --sysroot "$r" --check
status_is 3 "--check on vanilla: exit 3"
backend_is "$(nokernel "$r"); $(bpf_why)" "vanilla: both backends' reasons"
bi_admin --sysroot "$r" --backend kernel --check
status_is 3 "--backend kernel --check on vanilla: exit 3"
backend_is "kernel backend: this kernel has $(nokernel "$r")" "--backend kernel: the BPF LSM backend is not tried"
bi_admin --sysroot "$r" --unload
status_is 3 "--unload on vanilla: exit 3"

tap_done
