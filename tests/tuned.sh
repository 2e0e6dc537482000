#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/tuned.sh [BUILDDIR]: the tuned profiles under the real tuned
# daemon, against a fixture root's mask file: stacked on cpu-partitioning,
# then the child profiles; verify, a drifted mask caught by verify, a
# profile switch, tuned-adm off, SIGTERM and a crash each leave the
# right mask.  Runs as root in private mount, PID, network and UTS
# namespaces with its own D-Bus, /etc, /run, /sys and /proc/sys: the
# host's tuned state and settings are not touched.  TAP.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
. "$top/tests/tap.sh"

if [ "${1-}" != --inside ]; then
	for tool in tuned tuned-adm dbus-daemon unshare; do
		command -v $tool >/dev/null && continue
		echo "ok 1 # SKIP $tool missing (contrib/install-deps --test)"; echo 1..1; exit 0
	done
	if ! unshare --mount --pid --net --uts --fork --mount-proc true 2>/dev/null; then
		echo "ok 1 # SKIP cannot unshare namespaces (not root?)"; echo 1..1; exit 0
	fi
	W=$(mktemp -d)
	trap 'rm -rf "$W"' EXIT
	host_state() { find /etc/tuned /etc/default /etc/systemd -type f -exec md5sum {} + | sort; }
	before=$(host_state)
	# the host's own tuned, if it runs, is left running and untouched
	host_tuned=$(pgrep -x tuned | sort)
	out=$(timeout -k 5 300 unshare --mount --pid --net --uts --fork --mount-proc \
		--propagation private "$0" --inside "$build" "$W")
	status=$?
	echo "$out" | grep -v '^1\.\.'
	n=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
	n=$((${n:-0} + 1))
	if [ "$before" = "$(host_state)" ] && [ "$host_tuned" = "$(pgrep -x tuned | sort)" ]; then
		echo "ok $n - the host's /etc/tuned, /etc/default, /etc/systemd and tuned untouched, no tuned left"
	else
		echo "not ok $n - the host's tuned state changed or a tuned is left"; status=1
	fi
	echo "1..$n"
	exit "$status"
fi
build=$2 W=$3

# --- the private world ------------------------------------------------
hostname tuned-test
cp -a /etc "$W/etc" && mount --bind "$W/etc" /etc
for d in /run /boot /var/lib/tuned /var/log /sys /proc/sys /proc/irq; do
	mkdir -p "$d" 2>/dev/null; mount -t tmpfs tuned-test "$d" || exit 1
done
[ -e /dev/cpu_dma_latency ] && mount --bind /dev/null /dev/cpu_dma_latency
mkdir -p /sys/devices/system/cpu /run/dbus /var/log/tuned
for f in online possible present; do echo 0-3 > /sys/devices/system/cpu/$f; done

cat > "$W/bus.conf" <<'XML'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
XML
dbus-daemon --config-file="$W/bus.conf" --fork --nopidfile || exit 1

# the profiles as the source tree has them, the variables they read
cp -r "$top/contrib/tuned/." /etc/tuned/
echo 'isolated_cores=2-3' > /etc/tuned/cpu-partitioning-variables.conf
echo 'isolated_cores=1-3,^2' > /etc/tuned/realtime-variables.conf
mkdir -p /etc/tuned/unreadable
printf '[main]\n[variables]\nisolated_cores=2-3:1/2\n' > /etc/tuned/unreadable/tuned.conf

root=$W/root
"$top/tests/copy-root" "$top/tests/roots/small" "$root"
M=$root/proc/sys/kernel/block_interf_cpumask
export BLOCKINTERF=$build/blockinterf BLOCKINTERF_SYSROOT=$root \
	BLOCKINTERF_TUNED_STATE=$W/state
log=/var/log/tuned/tuned.log

mask() { cat "$M"; }

# unit_verify: runs tuned-adm verify and prints what it said of the
# blockinterf unit ("passed" or "failed"); the other plugins fail in
# this sandbox (no real /proc/sys, /sys), their verdicts are not ours.
unit_verify() {
	local from
	from=$(($(wc -l < "$log") + 1))
	timeout 120 tuned-adm verify >/dev/null 2>&1
	tail -n +"$from" "$log" |
		sed -n "s/.*verify: \(passed\|failed\): .*blockinterf\.sh.*/\1/p" | tail -n 1
}

# mask_becomes WANT DESCRIPTION: the mask reads WANT within 30 s
mask_becomes() {
	local i
	for ((i = 0; i < 60; i++)); do
		[ "$(mask)" = "$1" ] && break
		sleep 0.5
	done
	[ "$(mask)" = "$1" ]; ok $? "$2: mask '$(mask)', want '$1'"
}

tuned_pid=
start_tuned() {	# start_tuned PROFILE...: the daemon, with PROFILE active
	local i
	echo "$*" > /etc/tuned/active_profile
	echo manual > /etc/tuned/profile_mode
	tuned --debug --log="$log" >"$W/tuned.out" 2>&1 &
	tuned_pid=$!
	# the daemon's D-Bus answer: tuned-adm alone falls back to files
	for ((i = 0; i < 60; i++)); do
		timeout 10 dbus-send --system --print-reply --dest=com.redhat.tuned \
			/Tuned com.redhat.tuned.control.is_running 2>/dev/null |
			grep -q 'boolean true' && return 0
		sleep 0.5
	done
	echo "tuned did not come up" | diag
	tail -n 20 "$log" "$W/tuned.out" | diag
	return 1
}

stop_tuned() {	# stop_tuned SIGNAL
	kill -"$1" "$tuned_pid"
	wait "$tuned_pid" 2>/dev/null
	tuned_pid=
}

adm() {	# tuned-adm ARGS..., its output as diagnostics
	timeout 120 tuned-adm "$@" 2>&1 | diag
	return "${PIPESTATUS[0]}"
}

# --- the tests ---------------------------------------------------------
echo 1 > "$M"
start_tuned cpu-partitioning blockinterf
ok $? "tuned 2.20 daemon up with 'cpu-partitioning blockinterf' (private D-Bus)"
mask_becomes 2-3 "stacked overlay sets cpu-partitioning's isolated_cores"
# priority 90: the script is the last unit applied...
got=$(awk '/calling script .*blockinterf\.sh.*start/ { ours = 1; next }
	ours && /static tuning from profile/ { print "last"; exit }
	ours && /tuned\.plugins\./ && !/using environment/ { print "before: " $0; exit }' "$log")
[ "$got" = last ]; ok $? "the blockinterf unit is applied after every other unit: $got"
v=$(unit_verify); [ "$v" = passed ]; ok $? "tuned-adm verify: the blockinterf unit $v"
echo 2 > "$M"
v=$(unit_verify); [ "$v" = failed ]; ok $? "tuned-adm verify: a drifted mask, the unit $v"
grep -q "block_interf_cpumask is '2', the profile sets '2-3'" "$log"
ok $? "and the log says why"
echo 2-3 > "$M"

adm profile realtime-blockinterf
mask_becomes 1,3 "switch to realtime-blockinterf: its '1-3,^2' packed"
v=$(unit_verify); [ "$v" = passed ]; ok $? "verify for realtime-blockinterf: $v"
adm off
mask_becomes 1 "tuned-adm off restores the operator's mask"
# ... and the first rolled back
got=$(awk '/stopping tuning/ { s = 1; next }
	s && /tuned\.plugins\./ { print (/blockinterf\.sh.*stop/ ? "first" : "after: " $0); exit }' "$log")
[ "$got" = first ]; ok $? "and rolled back before any other: $got"

adm profile cpu-partitioning-blockinterf
mask_becomes 2-3 "cpu-partitioning-blockinterf"
v=$(unit_verify); [ "$v" = passed ]; ok $? "verify for cpu-partitioning-blockinterf: $v"
stop_tuned TERM
mask_becomes 1 "SIGTERM: tuned rolls back, the operator's mask is back"

echo > "$M"
start_tuned cpu-partitioning-blockinterf; ok $? "tuned up again"
mask_becomes 2-3 "restarted with cpu-partitioning-blockinterf"
stop_tuned KILL
mask_becomes 2-3 "SIGKILL: no rollback, the profile's mask stays"
start_tuned cpu-partitioning-blockinterf; ok $? "tuned up after the crash"
mask_becomes 2-3 "tuned started again after the crash"
adm off
mask_becomes "" "off after the crash: the mask from before the crash (empty), not the profile's"

echo 1 > "$M"
adm profile unreadable blockinterf
sleep 1
mask_becomes 1 "isolated_cores '2-3:1/2' (tuned reads it as nothing): the mask is kept, not cleared"
grep -q "isolated_cores '2-3:1/2' is no CPU list tuned can read" "$log"
ok $? "and the log says why"
adm off
mask_becomes 1 "off after the failed start leaves the mask alone"
stop_tuned TERM

grep -E "ERROR|Traceback" "$log" | grep -v blockinterf | sort | uniq -c | head -n 20 | diag
tap_done
