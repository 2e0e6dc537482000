#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/tuned/blockinterf/blockinterf.sh, the tuned profiles' script
# unit, driven directly on a fixture root, under dash and busybox sh:
# start saves the mask once and sets the list, verify compares, stop
# restores or clears; a list tuned could not read and a missing
# CAP_SYS_ADMIN fail with the mask unchanged; no kernel support warns.
# (tests/tuned.sh runs it under the real tuned daemon.)
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"

script=$top_srcdir/contrib/tuned/blockinterf/blockinterf.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# writing a fixture's mask still takes CAP_SYS_ADMIN (bit 21)
capeff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
if (( !(0x$capeff >> 21 & 1) )); then
	echo "1..0 # SKIP needs CAP_SYS_ADMIN (run as root)"
	exit 0
fi
# under valgrind, blockinterf runs through the wrapper
export BLOCKINTERF=$top_builddir/blockinterf
if [ -n "${BLOCKINTERF_WRAP:-}" ]; then
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$BLOCKINTERF_WRAP" "$BLOCKINTERF" > "$work/wrap"
	chmod +x "$work/wrap"
	BLOCKINTERF=$work/wrap
fi

export BLOCKINTERF_SYSROOT BLOCKINTERF_TUNED_STATE TUNED_blockinterf_cpus \
	TUNED_blockinterf_isolated
M=proc/sys/kernel/block_interf_cpumask

fresh() {	# fresh INITIAL-MASK: a new root and state dir
	rm -rf "$work/root" "$work/state"
	"$top_srcdir/tests/copy-root" "$top_srcdir/tests/roots/small" "$work/root"
	printf '%s\n' "$1" > "$work/root/$M"
	BLOCKINTERF_SYSROOT=$work/root BLOCKINTERF_TUNED_STATE=$work/state
	TUNED_blockinterf_cpus=2-3 TUNED_blockinterf_isolated=2-3
}

run() {	# run ACTION: the script's exit status; its stderr in $work/err
	timeout 30 $sh "$script" "$@" 2>"$work/err"
}

mask() { cat "$work/root/$M"; }

for sh in sh "busybox sh"; do
	if ! command -v "${sh%% *}" >/dev/null; then
		skip "${sh%% *} missing"
		continue
	fi
	fresh 1
	run start; ok $? "$sh: start exits 0"
	[ "$(mask)" = 2-3 ]; ok $? "$sh: start sets 2-3 ($(mask))"
	run verify; ok $? "$sh: verify agrees"
	echo 2 > "$work/root/$M"
	run verify; [ $? -eq 1 ] && grep -q "is '2', the profile sets '2-3'" "$work/err"
	ok $? "$sh: verify catches a drifted mask: $(cat "$work/err")"
	run start; ok $? "$sh: a second start (tuned restarted after a crash)"
	run stop; ok $? "$sh: stop exits 0"
	[ "$(mask)" = 1 ]; ok $? "$sh: stop restores the operator's mask, not the profile's ($(mask))"
	[ ! -e "$work/state/tuned-saved" ]; ok $? "$sh: and forgets it"

	fresh ""
	run start && run stop
	[ "$(mask)" = "" ]; ok $? "$sh: stop clears when the mask was empty ('$(mask)')"
	echo 2-3 > "$work/root/$M"
	run stop; ok $? "$sh: stop with nothing saved"
	[ "$(mask)" = "" ]; ok $? "$sh: clears the profile's own mask"
	echo 1 > "$work/root/$M"
	run stop
	[ "$(mask)" = 1 ]; ok $? "$sh: but leaves someone else's alone"

	for bad in "|2-15:1/2" "|\${isolated_cores}" "|"; do
		fresh 1
		TUNED_blockinterf_cpus=${bad%%|*} TUNED_blockinterf_isolated=${bad#*|}
		run start; status=$?
		[ "$status" -eq 1 ] && [ "$(mask)" = 1 ] && [ ! -e "$work/state/tuned-saved" ]
		ok $? "$sh: isolated_cores '${bad#*|}' packed to nothing: start fails ($status), mask kept: $(cat "$work/err")"
		run verify; [ $? -eq 1 ]; ok $? "$sh: and verify fails"
	done

	if [ -n "${SETPRIV:-}" ] || command -v setpriv >/dev/null; then
		fresh 1
		timeout 30 setpriv --inh-caps=-all --bounding-set=-sys_admin \
			$sh "$script" start 2>"$work/err"
		status=$?
		[ "$status" -eq 1 ] && [ "$(mask)" = 1 ] && grep -q CAP_SYS_ADMIN "$work/err" &&
			[ ! -e "$work/state/tuned-saved" ]
		ok $? "$sh: without CAP_SYS_ADMIN start fails ($status), mask kept: $(tail -n 1 "$work/err")"
	else
		skip "setpriv missing"
	fi

	fresh 1
	BLOCKINTERF_SYSROOT=$top_srcdir/tests/roots/vanilla
	run start; status=$?
	[ "$status" -eq 0 ] && grep -q "warning: this kernel has no block_interf_cpumask" "$work/err"
	ok $? "$sh: a kernel without the feature: start warns and exits 0 ($status)"
	run stop; ok $? "$sh: stop too"

	fresh 1
	run frobnicate; [ $? -eq 1 ]; ok $? "$sh: an unknown action fails"
done
tap_done
