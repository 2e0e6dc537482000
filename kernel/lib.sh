# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by kernel/build and kernel/check; sourced.  Everything happens
# under build/kernel/, which git ignores.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kb=$top/build/kernel
tarball=/usr/src/linux-source-6.12.tar.xz
patches=$top/kernel/patches
jobs=$(nproc)

die() { echo "kernel: $*" >&2; exit 1; }

# extract_tree SRC: the Debian source, once
extract_tree() {
	local src=$1
	[ -f "$src/Makefile" ] && return
	[ -r "$tarball" ] || die "$tarball missing: apt-get install linux-source-6.12"
	rm -rf "$src" && mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	mkdir -p "$src/.blockinterf-applied"
	# checkpatch's spdxcheck.py reads LICENSES/ from the tree's git HEAD
	git init -q "$src"
	git -C "$src" add -f LICENSES
	git -C "$src" -c user.name=kernel-check -c user.email=kernel-check@localhost \
		commit -q -m "LICENSES, for scripts/spdxcheck.py"
}

# series_patches [N]: the first N patches of the series (all by default)
series_patches() {
	grep -v '^#' "$patches/series" | sed '/^$/d' | head -n "${1:-100000}"
}

# sync_patches SRC PATCH...: make SRC hold exactly these patches, in order.
# Applied patches are kept as copies in SRC/.blockinterf-applied/NNN-name;
# the common prefix stays, the rest is reversed and the new ones applied,
# so make rebuilds only what they touch.
sync_patches() {
	local src=$1; shift
	local applied=$src/.blockinterf-applied i=0 keep=0 a
	local -a have=() want=("$@")
	mapfile -t have < <(ls "$applied" 2>/dev/null | sort)
	while [ $keep -lt ${#have[@]} ] && [ $keep -lt ${#want[@]} ] &&
	      cmp -s "$applied/${have[$keep]}" "$patches/${want[$keep]}"; do
		keep=$((keep + 1))
	done
	for ((i = ${#have[@]} - 1; i >= keep; i--)); do
		a=$applied/${have[$i]}
		patch -d "$src" -p1 -R -s --batch < "$a" || die "cannot reverse $a"
		rm -f "$a"
	done
	for ((i = keep; i < ${#want[@]}; i++)); do
		patch -d "$src" -p1 -s --batch --forward --fuzz=0 < "$patches/${want[$i]}" ||
			die "${want[$i]} does not apply"
		cp "$patches/${want[$i]}" "$applied/$(printf '%03d' $i)-${want[$i]}"
	done
}

# configure SRC OUT FRAGMENT...: tinyconfig plus the fragments; OUT/.config
# is replaced only when it changes, so an unchanged config rebuilds nothing.
configure() {
	local src=$1 out=$2; shift 2
	local cfg=$out.cfg
	mkdir -p "$out" "$cfg"
	make -s -C "$src" O="$cfg" tinyconfig >/dev/null
	KCONFIG_CONFIG=$cfg/.config "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$cfg" "$cfg/.config" "$@" >/dev/null
	make -s -C "$src" O="$cfg" olddefconfig >/dev/null
	cmp -s "$cfg/.config" "$out/.config" || cp "$cfg/.config" "$out/.config"
}

# build SRC OUT: bzImage with every core.  Through ccache when there is
# one: the flavours share most objects (CONFIG_BLOCK_INTERF=n, a patch
# left out and put back), and ccache compares preprocessed sources.
build_image() {
	local cc=()
	command -v ccache >/dev/null && cc=(CC="ccache gcc")
	make -s -C "$1" O="$2" -j"$jobs" "${cc[@]}" bzImage >/dev/null
}
