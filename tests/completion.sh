#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/bash-completion/blockinterf in a real bash with bash-completion
# loaded: option forms, --sysroot directories, columns after "-o COL,",
# and for --set the online and the blocked CPUs of the root named by
# --sysroot on the line or by $BLOCKINTERF_SYSROOT.
set -u
: "${top_srcdir:?}"
. "$top_srcdir/tests/tap.sh"

bc=/usr/share/bash-completion/bash_completion
if [ ! -f "$bc" ]; then
	echo "1..0 # SKIP $bc missing (contrib/install-deps --test: bash-completion)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$top_srcdir/tests/copy-root" "$top_srcdir/tests/roots/small" "$work/root"
echo 0-5 > "$work/root/sys/devices/system/cpu/online"
echo 4 > "$work/root/proc/sys/kernel/block_interf_cpumask"
mkdir -p "$work/dirs/alpha" "$work/dirs/beta"
: > "$work/dirs/afile"

# complete LINE: the sorted candidates for LINE, cursor at its end, one
# per line, from a fresh bash
complete_line() {
	timeout 20 env -i HOME="$work" PATH="$PATH" \
		BLOCKINTERF_SYSROOT="${BLOCKINTERF_SYSROOT-}" LINE="$1" \
		bash --norc --noprofile -c '
		. '"$bc"' || exit 1
		. "$0" || exit 1
		COMP_LINE=$LINE COMP_POINT=${#LINE}
		read -ra COMP_WORDS <<<"$LINE"
		[[ $LINE == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_blockinterf blockinterf "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' \
		"$top_srcdir/contrib/bash-completion/blockinterf"
}

expect() {	# expect LINE WANTED-WORDS DESCRIPTION
	local got
	got=$(complete_line "$1" | tr '\n' ' ')
	got=${got% }
	[ "$got" = "$2" ]
	ok $? "$3: '$1' -> '$got'"
}

BLOCKINTERF_SYSROOT=$work/root
# never a list the command refuses: not 0-5 (every online CPU), not all
expect "blockinterf --set " "0 1 2 3 4 4 5" \
	"--set offers the blocked CPUs and each online CPU, not the online list"
expect "blockinterf --set=" "0 1 2 3 4 4 5" "--set= form"
expect "blockinterf --add=0-" "" "--add= with a prefix: no whole online list"
expect "blockinterf -s 3" "3" "short -s"
expect "blockinterf --remove " "0 1 2 3 4 4 5 all" "--remove also offers all"
expect "blockinterf --set 2-3," "2-3,0 2-3,1 2-3,2 2-3,3 2-3,4 2-3,5" \
	"after '2-3,' the next CPU"
expect "blockinterf --remove=1,i" "" "a word is a whole list, never an element"
printf '3\n' >"$work/root/sys/devices/system/cpu/isolated"
expect "blockinterf --set i" "isolated" "isolated when the kernel isolates a CPU"
expect "blockinterf --add " "0 1 2 3 4 4 5 isolated" "--add too"
printf '(null)\n' >"$work/root/sys/devices/system/cpu/nohz_full"
: >"$work/root/sys/devices/system/cpu/isolated"
expect "blockinterf --set i" "" "not when none is isolated (nohz_full says (null))"
echo 0 >"$work/root/sys/devices/system/cpu/online"
expect "blockinterf --set " "4" "one CPU online: not it (blocking it is refused)"
echo 0-5 >"$work/root/sys/devices/system/cpu/online"
BLOCKINTERF_SYSROOT=/nonexistent
expect "blockinterf --sysroot $work/root --remove " "0 1 2 3 4 4 5 all" \
	"--sysroot DIR on the line wins over the environment"
expect "blockinterf --sysroot=$work/root -r " "0 1 2 3 4 4 5 all" \
	"--sysroot=DIR on the line"
expect "blockinterf --set " "" "no root, no CPUs"
expect "blockinterf --sysroot $work/dirs/" "$work/dirs/alpha $work/dirs/beta" \
	"--sysroot completes directories only"
expect "blockinterf --sysroot=$work/dirs/b" "$work/dirs/beta" "--sysroot= form"
expect "blockinterf -o IRQ,C" "IRQ,COUNT IRQ,CPUS" "a column after -o COL,"
expect "blockinterf --output=+R" "+RATE" "--output=+COL"
expect "blockinterf --output H" "HINT" "--output COL"
expect "blockinterf --dr" "--dry-run" "long options"
expect "blockinterf --se" "--set=" "options with an argument end in ="
expect "blockinterf -" "-J -V -a -c -g -h -i -n -o -q -r -s" "short options"
expect "blockinterf --interval " "" "nothing for --interval"
expect "blockinterf --sort C" "COUNT CPUS" "--sort COL"
expect "blockinterf --sort M" "MANAGED MOVABLE" "--sort: every column"
expect "blockinterf --so" "--sort=" "--sort= among the long options"
tap_done
