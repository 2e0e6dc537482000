# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the in-VM scripts (/tap.sh in the image): TAP lines, the
# plain summary, and the dmesg check every script ends with.
n=0 passed=0 failed=0 skipped=0

ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1)); echo "ok $n - $2"
	else
		failed=$((failed + 1)); echo "not ok $n - $2"
	fi
}

skip() {
	n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n # SKIP $*"
}

# No splat along the way: then the plan and the summary; the exit status
# says whether anything failed.
finish() {
	dmesg > /tmp/dmesg
	grep -E 'WARNING:|BUG:|lockdep|possible circular|sleeping function|INFO: task' /tmp/dmesg | sed 's/^/# /'
	! grep -qE 'WARNING:|BUG:|possible circular|possible recursive|sleeping function|INFO: task' /tmp/dmesg
	ok $? "dmesg has no WARNING, BUG, lockdep or sleeping-function splat"
	echo "1..$n"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

# The clocksource directory, the current clocksource and another one to
# switch to, empty when there is none: $cs, $cur and $alt.
clocksources() {
	cs=/sys/devices/system/clocksource/clocksource0
	cur=$(cat $cs/current_clocksource) alt=
	for c in hpet acpi_pm tsc; do
		case " $(cat $cs/available_clocksource) " in
		*" $c "*) [ "$c" != "$cur" ] && { alt=$c; break; } ;;
		esac
	done
}

# ipi_trace_start CPU: the ipi_send_cpu events to CPU, from an empty
# trace buffer, until ipi_trace_stop.
T=/sys/kernel/tracing
ipi_trace_start() {
	echo > $T/trace
	echo "cpu == $1" > $T/events/ipi/ipi_send_cpu/filter
	echo 1 > $T/events/ipi/ipi_send_cpu/enable
}

ipi_trace_stop() {
	echo 0 > $T/events/ipi/ipi_send_cpu/enable
	echo 0 > $T/events/ipi/ipi_send_cpu/filter
}

# race_rounds CLEAR SET READER0 READER1: ten rounds of a mask write
# racing two readers of CPU 3, with the ipi_send_cpu events to CPU 3 in
# the trace (global clock) and the rounds' phases as markers: bi-round
# (CLEAR done, READER0 and READER1 start, on CPUs 0 and 1), bi-returned
# (100 ms later SET has returned) and bi-grace (100 ms after that).
race_rounds() {
	echo global > $T/trace_clock
	ipi_trace_start 3
	r=0
	while [ $r -lt 10 ]; do
		eval "$1" > /dev/null
		echo bi-round > $T/trace_marker
		BI_CPU=0 $3 > /dev/null & r0=$!
		BI_CPU=1 $4 > /dev/null & r1=$!
		sleep 0.1
		eval "$2" > /dev/null
		echo bi-returned > $T/trace_marker
		sleep 0.1
		echo bi-grace > $T/trace_marker
		sleep 0.2
		kill $r0 $r1 2> /dev/null; wait $r0 $r1 2> /dev/null
		r=$((r + 1))
	done
	ipi_trace_stop
}
