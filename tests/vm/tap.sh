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
