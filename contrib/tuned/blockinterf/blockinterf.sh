#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The script unit of the blockinterf tuned profiles, run by tuned as
#	blockinterf.sh start | stop [full_rollback] | verify [ignore_missing]
# with the profile's variables in the environment:
#	TUNED_blockinterf_cpus		isolated_cores as a kernel CPU list
#	TUNED_blockinterf_isolated	isolated_cores as the profile wrote it
# and, for tests and unusual installs:
#	BLOCKINTERF		the command (default: blockinterf on PATH)
#	BLOCKINTERF_SYSROOT	work on that root's proc/ and sys/
#	BLOCKINTERF_TUNED_STATE	where start saves the mask it found
#				(default /run/blockinterf)
# Exit status: 0 done, or the kernel lacks the feature (a warning);
# 1 failed, the mask unchanged.  POSIX sh: the VM test runs it in busybox.

cmd=${BLOCKINTERF:-blockinterf}
state=${BLOCKINTERF_TUNED_STATE:-/run/blockinterf}
saved=$state/tuned-saved

say() {
	echo "blockinterf profile: $*" >&2
}

bi() {	# blockinterf ARGS..., on the sysroot if one is given
	if [ -n "${BLOCKINTERF_SYSROOT:-}" ]; then
		"$cmd" --sysroot "$BLOCKINTERF_SYSROOT" "$@"
	else
		"$cmd" "$@"
	fi
}

# Sets $cpus to the list the profile asks for.  tuned turns what it
# cannot read into an empty list: that is an error, never a clear.
wanted() {
	cpus=${TUNED_blockinterf_cpus:-}
	raw=${TUNED_blockinterf_isolated:-}
	case $raw in
	'' | *'${'*)
		say "isolated_cores is not set; stack this profile on one that sets it (tuned-adm profile cpu-partitioning blockinterf)"
		return 1 ;;
	esac
	if [ -z "$cpus" ]; then
		say "isolated_cores '$raw' is no CPU list tuned can read (it gave none); write it like 2-7,9"
		return 1
	fi
}

# Sets $current to the blocked set; the exit status is blockinterf's.
read_mask() {
	current=$(bi)
}

# Says what a non-zero exit STATUS of blockinterf means here; returns
# 0 when the profile should carry on (the kernel lacks the feature).
failed() {	# failed STATUS WHAT
	case $1 in
	3)	say "warning: this kernel has no block_interf_cpumask; $2 skipped"
		return 0 ;;
	4)	say "$2 needs CAP_SYS_ADMIN" ;;
	*)	say "$2 failed (blockinterf exit status $1)" ;;
	esac
	return 1
}

start() {
	wanted || return 1
	read_mask || { failed $? "reading the mask"; return; }
	created=
	if [ ! -e "$saved" ]; then
		# only the first start saves: after a crash and restart the
		# mask in force is ours, the saved one is the operator's
		mkdir -p "$state" &&
		printf '%s\n' "$current" > "$saved.tmp" &&
		mv "$saved.tmp" "$saved" || { say "cannot save the mask in $saved"; return 1; }
		created=1
	fi
	bi --quiet --set "$cpus"
	status=$?
	[ "$status" -eq 0 ] && return 0
	[ -z "$created" ] || rm -f "$saved"
	failed "$status" "blocking CPUs $cpus"
}

stop() {
	if [ ! -f "$saved" ]; then
		# nothing saved: clear only a mask that is ours
		read_mask || { failed $? "reading the mask"; return; }
		wanted 2>/dev/null && [ "$current" = "$cpus" ] || return 0
		prev=
	else
		prev=$(cat "$saved")
	fi
	if [ -n "$prev" ]; then
		bi --quiet --set "$prev"
	else
		bi --quiet --clear
	fi
	status=$?
	if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then
		rm -f "$saved"
		[ "$status" -eq 0 ] && return 0
	fi
	failed "$status" "restoring the mask '$prev'"
}

verify() {
	wanted || return 1
	read_mask || { failed $? "reading the mask"; return; }
	[ "$current" = "$cpus" ] && return 0
	say "block_interf_cpumask is '$current', the profile sets '$cpus'"
	return 1
}

case ${1:-} in
start | stop | verify)
	"$1" ;;
*)
	say "usage: $0 start|stop|verify"
	exit 1 ;;
esac
