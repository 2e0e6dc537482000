# SPDX-License-Identifier: GPL-2.0-or-later
# What the CLI tests share; sourced after tests/tap.sh.
BI="$top_builddir/blockinterf"
# the same without the libtool wrapper (see Makefile.am), and what
# runs it under valgrind: libtool --mode=execute splits an argument
# at its newlines
BI_STATIC="$top_builddir/tests/blockinterf-static"
VG=${BLOCKINTERF_VALGRIND_CMD:-}
# BLOCKINTERF_WRAP: e.g. valgrind, set by tests/run-one
WRAP=${BLOCKINTERF_WRAP:-}
# Every run under a timeout: a hang fails instead of stalling CI.
BI_TIMEOUT=${BI_TIMEOUT:-60}
export COLUMNS=200	# libsmartcols' width when not on a terminal
out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT

# valgrind 3.19 does not know openat2(2) and warns "--PID-- unhandled
# syscall" on stderr (the library then walks the path itself): drop
# its notes so that the program's own lines are what is checked.
vg_clean() {
	[ -z "$WRAP" ] || sed -i '/^--[0-9]*-- /d' "$out/e"
}

# Run blockinterf; stdout, stderr and status land in $out/{o,e,s}.
bi() {
	timeout "$BI_TIMEOUT" $WRAP "$BI" "$@" >"$out/o" 2>"$out/e"
	echo $? >"$out/s"; vg_clean
}

# As bi, with CAP_SYS_ADMIN: root as it is, others in a user namespace;
# admin=none where neither can be had.
if [ "$(id -u)" -eq 0 ]; then
	admin=""
elif unshare -r true 2>/dev/null; then
	admin="unshare -r"
else
	admin=none
fi
bi_admin() {
	timeout "$BI_TIMEOUT" $admin $WRAP "$BI" "$@" >"$out/o" 2>"$out/e"
	echo $? >"$out/s"; vg_clean
}

# file_is ROOT TEXT DESCRIPTION: the mask file ($MASK) under ROOT holds TEXT
file_is() {
	[ "$(cat "$1/$MASK")" = "$2" ]
	ok $? "$3 (file holds '$(cat "$1/$MASK")')"
}

status_is() {	# status_is N DESCRIPTION
	local got; got=$(cat "$out/s")
	[ "$got" = "$1" ] || { echo "exit $got, want $1"; cat "$out/e"; } | diag
	ok "$([ "$got" = "$1" ]; echo $?)" "$2"
}

one_error_line() {	# stderr is one 'blockinterf: ' line
	[ "$(wc -l <"$out/e")" = 1 ] && grep -q '^blockinterf: ' "$out/e"
	ok $? "$1: one error line ($(head -c 120 "$out/e"))"
}

# stdout_is FILE DESCRIPTION: FILE absolute, or under tests/expected/
stdout_is() {
	local want=$1
	case $want in /*) ;; *) want=$top_srcdir/tests/expected/$want ;; esac
	diff -u "$want" "$out/o" | diag
	ok "${PIPESTATUS[0]}" "$2"
}

# stdout_sorted_is FILE DESCRIPTION: the same lines as FILE, in any order
# (a model lists rows in the file's order, the table most important first)
stdout_sorted_is() {
	diff -u <(sort "$1") <(sort "$out/o") | diag
	ok "${PIPESTATUS[0]}" "$2"
}

root() {	# a fresh copy of tests/roots/$1
	local r; r=$(mktemp -d "$out/root.XXXXXX")
	"$top_srcdir/tests/copy-root" "$top_srcdir/tests/roots/$1" "$r"
	echo "$r"
}
