#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/debian.sh [BUILDDIR]: the Debian packages from the dist tarball
# and debian/: dpkg-buildpackage -us -uc -b, lintian with no error or
# warning, then the three packages unpacked into an empty root with the
# packages they depend on (the files dpkg lists for each, as installed
# here) and blockinterf run from it under chroot.  TAP.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
. "$top/tests/tap.sh"

for tool in dpkg-buildpackage lintian dh chroot unshare; do
	command -v $tool >/dev/null && continue
	echo "ok 1 # SKIP $tool missing (contrib/install-deps --test)"; echo 1..1; exit 0
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- build -------------------------------------------------------------
make -C "$build" -s dist >"$work/dist.log" 2>&1
ok $? "make dist" || { diag < "$work/dist.log"; tap_done; exit; }
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$build/Makefile")
tarball=$build/blockinterf-$version.tar.xz
cp "$tarball" "$work/blockinterf_$version.orig.tar.xz"
tar -C "$work" -xf "$tarball"
src=$work/blockinterf-$version
cp -r "$top/debian" "$src/"
(cd "$src" && timeout 1200 dpkg-buildpackage -us -uc -b -j2) >"$work/build.log" 2>&1
status=$?
[ "$status" -eq 0 ] || tail -n 30 "$work/build.log" | diag
ok "$status" "dpkg-buildpackage -us -uc -b"
[ "$status" -eq 0 ] || { tap_done; exit; }
changes=$(ls "$work"/blockinterf_*.changes 2>/dev/null | head -n 1)
debs=$(ls "$work"/{blockinterf,libblockinterf1,libblockinterf-dev}_*.deb 2>/dev/null)
[ "$(echo "$debs" | grep -cE '/(blockinterf|libblockinterf1|libblockinterf-dev)_')" -eq 3 ]
ok $? "three packages: $(echo $debs | xargs -n1 basename 2>/dev/null | tr '\n' ' ')"
grep -q "dpkg-gensymbols: warning" "$work/build.log" &&
	grep -A20 "dpkg-gensymbols: warning" "$work/build.log" | diag
! grep -q "dpkg-gensymbols: warning" "$work/build.log"
ok $? "the exported symbols are debian/libblockinterf1.symbols"

out=$(timeout 600 lintian --fail-on error,warning --display-level '>=warning' \
	"$changes" 2>&1)
status=$?
echo "$out" | diag
[ "$status" -eq 0 ] && ! echo "$out" | grep -qE '^[EW]: '
ok $? "lintian: no error, no warning"

# --- a clean root ------------------------------------------------------
root=$work/root
# Debian 12 is merged-/usr: /bin, /lib... are links into /usr
mkdir -p "$root"/usr/{bin,sbin,lib,lib64}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
for deb in $debs; do dpkg-deb -x "$deb" "$root"; done
# the installed packages our packages depend on, and theirs
deps() {	# deps DEB-OR-PACKAGE...: package names in their Depends
	for p in "$@"; do
		case $p in
		*.deb) dpkg-deb -f "$p" Depends; dpkg-deb -f "$p" Pre-Depends ;;
		*) dpkg-query -W -f '${Depends}, ${Pre-Depends}\n' "$p" ;;
		esac
	done | tr ',|' '\n\n' | sed 's/^ *//; s/[ :(].*//' | grep . | sort -u
}
todo=$(deps $debs | grep -v blockinterf) seen=
while [ -n "$todo" ]; do
	next=
	for p in $todo; do
		case " $seen " in *" $p "*) continue ;; esac
		seen="$seen $p"
		dpkg-query -W "$p" >/dev/null 2>&1 || continue
		dpkg -L "$p" | while read -r f; do
			[ -d "$f" ] && continue
			[ -f "$f" ] || [ -L "$f" ] || continue
			mkdir -p "$root$(dirname "$f")" && cp -a "$f" "$root$f"
		done
		next="$next $(deps "$p")"
	done
	todo=$next
done
echo "# root from:$seen" | fold -w 200
mkdir -p "$root"/{proc,sys,tmp}
"$top/tests/copy-root" "$top/tests/roots/small" "$root/tmp/small"

inroot() {	# inroot CMD...: CMD chrooted into the root, /proc and /sys bound
	timeout 60 unshare --mount --propagation private sh -c '
		mount --bind /proc "$0/proc" && mount --bind /sys "$0/sys" &&
		exec chroot "$0" "$@"' "$root" "$@"
}
inroot /usr/sbin/blockinterf --version >"$work/out" 2>&1
ok $? "blockinterf from the packages runs in the root: $(head -n 1 "$work/out")"
inroot /usr/sbin/blockinterf --check >"$work/out" 2>&1
status=$?
diag < "$work/out"
if [ -e /proc/sys/kernel/block_interf_cpumask ]; then want=0; else want=3; fi
[ "$status" -eq "$want" ] || { [ "$want" -eq 0 ] && [ "$status" -eq 4 ]; }
ok $? "blockinterf --check on this kernel: exit $status (want $want)"
inroot /usr/sbin/blockinterf --sysroot /tmp/small --check >"$work/out" 2>&1
ok $? "blockinterf --sysroot --check on a fixture with the feature"
said=$(inroot /usr/sbin/blockinterf --sysroot /tmp/small --set 2-3) &&
	[ "$said" = "none -> 2-3" ] &&
	[ "$(cat "$root/tmp/small/proc/sys/kernel/block_interf_cpumask")" = 2-3 ]
ok $? "blockinterf --set 2-3 on the fixture: $said"
for f in usr/lib/tuned/blockinterf/tuned.conf usr/lib/tuned/blockinterf/blockinterf.sh \
	usr/lib/tuned/cpu-partitioning-blockinterf/tuned.conf \
	usr/lib/tuned/realtime-blockinterf/tuned.conf \
	lib/systemd/system/blockinterf.service etc/default/blockinterf \
	usr/share/bash-completion/completions/blockinterf \
	usr/share/man/man8/blockinterf.8.gz usr/share/man/man3/libblockinterf.3.gz \
	usr/include/blockinterf.h; do
	[ -e "$root/$f" ]; ok $? "/$f installed"
done
grep -qx 'ExecStart=/usr/sbin/blockinterf --quiet --set $BLOCKINTERF_CPUS' \
	"$root/lib/systemd/system/blockinterf.service"
ok $? "the unit runs /usr/sbin/blockinterf"
! find "$root" -name '*.la' | grep -q .
ok $? "no .la file"
tap_done
