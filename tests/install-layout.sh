#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/install-layout.sh: configured with --prefix=/usr --sysconfdir=/etc
# (README's Install), make install puts the tuned profiles where tuned
# reads them, the default file the unit reads where the docs say, and
# configure warns about the default prefix, where tuned reads nothing.
# Run by tests/run-all (a configure and a build of its own).  TAP.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

mkdir "$W/usr" "$W/local" "$W/dest"
(cd "$W/usr" && "$top/configure" -q --prefix=/usr --sysconfdir=/etc >"$W/usr.log" 2>&1 &&
	make -s -j"$(nproc)" install DESTDIR="$W/dest" >>"$W/usr.log" 2>&1)
ok $? "configure --prefix=/usr --sysconfdir=/etc, make install"
! grep -q WARNING "$W/usr.log"
ok $? "no configure warning for --prefix=/usr --sysconfdir=/etc"
unit=$(find "$W/dest" -name blockinterf.service)
grep -qx 'EnvironmentFile=-/etc/default/blockinterf' "$unit"
ok $? "the unit reads /etc/default/blockinterf"
grep -q '^#BLOCKINTERF_CPUS=' "$W/dest/etc/default/blockinterf"
ok $? "/etc/default/blockinterf installed, commented out"
grep -q '/etc/default/blockinterf' "$top/man/blockinterf.8" "$top/README.md"
ok $? "the man page and README name /etc/default/blockinterf"
for p in blockinterf cpu-partitioning-blockinterf realtime-blockinterf; do
	[ -f "$W/dest/usr/lib/tuned/$p/tuned.conf" ]
	ok $? "tuned profile $p in /usr/lib/tuned, where tuned reads"
done
(cd "$W/local" && "$top/configure" -q >"$W/local.log" 2>&1)
grep -q 'WARNING: tuned reads profiles from /usr/lib/tuned and /etc/tuned only' "$W/local.log" &&
	grep -q 'WARNING: blockinterf.service will read /usr/local/etc/default/blockinterf' "$W/local.log"
ok $? "the default prefix: configure warns about tuned and /usr/local/etc"
echo "1..$n"
