#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# In the VM, on the patched kernel (4 CPUs): the tuned profiles' script
# unit (contrib/tuned/blockinterf/blockinterf.sh, copied to /) drives the
# real kernel.block_interf_cpumask: start blocks, and an msr read of a
# blocked CPU is refused; verify compares; stop restores.  TAP.
# Run by tests/vm/tuned IMAGE.  busybox sh.
n=0 failed=0
B=/proc/sys/kernel/block_interf_cpumask
S=/blockinterf.sh

ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1)); echo "not ok $n - $2"
	fi
}

mask_is() {	# mask_is LIST DESCRIPTION
	got=$(cat $B)
	[ "$got" = "$1" ]; ok $? "$2: mask '$got'"
}

run() {	# run ACTION: exits as the script does, its stderr as diagnostics
	sh $S "$@" 2>/tmp/err
	st=$?
	sed 's/^/# /' /tmp/err
	return $st
}

export TUNED_blockinterf_cpus=2-3 TUNED_blockinterf_isolated=2-3
echo "# kernel $(uname -r), CPUs online $(cat /sys/devices/system/cpu/online)"
blockinterf --quiet --set 1; ok $? "the operator blocks CPU 1 by hand"
run start; ok $? "start exits 0"
mask_is 2-3 "start blocks isolated_cores"
[ "$(cat /run/blockinterf/tuned-saved)" = 1 ]; ok $? "start saved the operator's mask"
got=$(BI_CPU=0 bi-helper msr 3)
[ "$got" = EPERM ]; ok $? "an msr read of CPU 3 from CPU 0 is refused: $got"
run verify; ok $? "verify agrees with the kernel"
blockinterf --quiet --set 2
run verify; [ $? -eq 1 ]; ok $? "verify catches a mask changed behind tuned's back"
run start; ok $? "start again (tuned restarted after a crash)"
mask_is 2-3 "the profile's mask"
run stop; ok $? "stop exits 0"
mask_is 1 "stop restores the operator's mask"
run stop; ok $? "stop again, nothing saved"
mask_is 1 "leaves the operator's mask alone"

run_as() {	# run_as ENV=VAL... ACTION
	env "$@" sh $S start 2>/tmp/err
	st=$?
	sed 's/^/# /' /tmp/err
	return $st
}
run_as TUNED_blockinterf_cpus= TUNED_blockinterf_isolated=2-15:1/2
[ $? -eq 1 ]; ok $? "an isolated_cores tuned cannot read: start fails"
mask_is 1 "and leaves the mask"
run_as TUNED_blockinterf_cpus=0-3 TUNED_blockinterf_isolated=0-3
[ $? -eq 1 ]; ok $? "every online CPU: start fails"
mask_is 1 "and leaves the mask"
[ ! -e /run/blockinterf/tuned-saved ]; ok $? "with nothing saved"
bi-helper dropcap sh $S start 2>/tmp/err
st=$?
sed 's/^/# /' /tmp/err
[ $st -eq 1 ] && grep -q CAP_SYS_ADMIN /tmp/err; ok $? "without CAP_SYS_ADMIN start fails ($st)"
mask_is 1 "and leaves the mask"

blockinterf --quiet --clear
run start && run stop
mask_is "" "start then stop on an empty mask clears it"
echo "1..$n"
[ "$failed" -eq 0 ]
