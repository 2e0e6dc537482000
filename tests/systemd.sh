#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/systemd/blockinterf.service passes systemd-analyze verify, and
# the verifier catches a broken copy (so a clean result means something).
# Its paths are the configured ones; an unset CPU list fails, never
# clears.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"

if ! command -v systemd-analyze >/dev/null; then
	echo "1..0 # SKIP systemd-analyze missing (contrib/install-deps --test: systemd)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
in=$top_srcdir/contrib/systemd/blockinterf.service.in

# The unit as make builds it names the configured sbindir.
unit=$top_builddir/contrib/systemd/blockinterf.service
make -s -C "$top_builddir" contrib/systemd/blockinterf.service >/dev/null 2>&1
sbindir=$(sed -n 's/^sbindir = //p' "$top_builddir/Makefile")
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
sbindir=${sbindir//\$\{exec_prefix\}/$prefix}
grep -qx "ExecStart=$sbindir/blockinterf --quiet --set \$BLOCKINTERF_CPUS" "$unit"
ok $? "the built unit runs $sbindir/blockinterf"

# verify checks that the command exists: point it at the built one.
verify() {	# verify UNIT-FILE: prints what systemd-analyze says
	timeout 60 systemd-analyze verify --man=no "$1" 2>&1
}
mkdir -p "$work/ok" "$work/bad"
sed -e "s|@sbindir@|$top_builddir|" -e 's|@sysconfdir@|/etc|' "$in" \
	> "$work/ok/blockinterf.service"
out=$(verify "$work/ok/blockinterf.service")
[ -z "$out" ] || echo "$out" | diag
[ -z "$out" ]; ok $? "systemd-analyze verify: nothing to say"

sed 's/^Type=oneshot/Type=oneshoot/' "$work/ok/blockinterf.service" \
	> "$work/bad/blockinterf.service"
verify "$work/bad/blockinterf.service" | grep -q 'oneshoot'
ok $? "systemd-analyze verify catches a misspelt Type="

for key in 'Type=oneshot' 'RemainAfterExit=yes' \
	'ConditionPathExists=/proc/sys/kernel/block_interf_cpumask' \
	'After=systemd-sysctl.service irqbalance.service tuned.service' \
	'EnvironmentFile=-/etc/default/blockinterf' \
	"ExecStop=$top_builddir/blockinterf --quiet --clear"; do
	grep -qxF "$key" "$work/ok/blockinterf.service"
	ok $? "unit has $key"
done

# systemd drops an empty unbraced $BLOCKINTERF_CPUS: --set has no argument.
"$top_srcdir/tests/copy-root" "$top_srcdir/tests/roots/small" "$work/root"
echo 1 > "$work/root/proc/sys/kernel/block_interf_cpumask"
"$top_builddir/blockinterf" --sysroot "$work/root" --quiet --set 2>"$work/err"
status=$?
diag < "$work/err"
[ "$status" -eq 2 ] && [ "$(cat "$work/root/proc/sys/kernel/block_interf_cpumask")" = 1 ]
ok $? "an unset list exits 2 ($status) and leaves the mask alone"
tap_done
