#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A hostile sysroot: every file blockinterf reads or writes under it
# replaced by a link out of the root (absolute, relative, through an
# intermediate directory), a FIFO, a directory, an oversized file or a
# device.  Each must give an error, never hang, touch nothing outside
# the root, and leave the mask file byte for byte as it was.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/cli-lib.sh"
MASK=proc/sys/kernel/block_interf_cpumask
POSSIBLE=sys/devices/system/cpu/possible
ONLINE=sys/devices/system/cpu/online

if [ "$admin" = none ]; then
	echo "1..0 # SKIP writes need root or an unprivileged user namespace"
	exit 0
fi

# Outside the root: a file and a directory laid out like proc/sys, with
# the content a successful escape would change.
outside=$out/outside
# Its content is valid: a read that escaped would succeed.
mkdir -p "$outside/kernel" "$outside/cpu"
printf '0\n' >"$outside/file"
printf '0\n' >"$outside/kernel/block_interf_cpumask"
printf '0-1\n' >"$outside/cpu/possible"
printf '0-1\n' >"$outside/cpu/online"
# a valid proc/ too: a dry run that escaped through a proc link succeeds
cp -r "$top_srcdir/tests/roots/small/proc" "$outside/proc"
chmod -R u+w "$outside/proc"
outside_sum() { find "$outside" -type f | sort | xargs cat | md5sum; }
clean_outside=$(outside_sum)

# make_hostile ROOT FILE KIND: FILE (relative to ROOT) becomes KIND
make_hostile() {
	local r=$1 f=$2 depth
	depth=$(echo "$f" | tr -cd / | wc -c)
	rm -f "$r/$f"
	case $3 in
	abslink) ln -s "$outside/file" "$r/$f" ;;
	# ../ up to the root, and one more: outside/ is the root's sibling
	rellink) ln -s "$(printf '../%.0s' $(seq "$depth"))../outside/file" "$r/$f" ;;
	# the parent directory a link to outside/kernel or outside/cpu
	dirlink) rm -rf "${r:?}/${f%/*}"
		 ln -s "$outside/$(basename "${f%/*}")" "$r/${f%/*}" ;;
	fifo) mkfifo "$r/$f"	# nobody writes: a blocking open would hang
	      ;;
	directory) mkdir "$r/$f" ;;
	huge) head -c 100000 /dev/zero | tr '\0' '0' >"$r/$f" ;;
	device) mknod "$r/$f" c 1 5 2>/dev/null || return 1 ;;	# /dev/zero
	esac
}

# The mask starts non-empty, so a clear would show.
mask_sum() { md5sum <"$1/$MASK"; }

for file in "$MASK" "$POSSIBLE" "$ONLINE" proc/interrupts; do
	cmds=("--set 2" "--get" "--check" "--dry-run --set 2")
	# only the dry run reads proc/interrupts
	[ "$file" = proc/interrupts ] && cmds=("--dry-run --set 2")
	for kind in abslink rellink dirlink fifo directory huge device; do
		for cmd in "${cmds[@]}"; do
			r=$(root small)
			printf '1\n' >"$r/$MASK"
			[ "$file" = "$MASK" ] || before=$(mask_sum "$r")
			if ! make_hostile "$r" "$file" "$kind"; then
				skip "$file as $kind: cannot make one here (mknod needs root)"
				continue
			fi
			what="$file as $kind: $cmd"
			# shellcheck disable=SC2086
			bi_admin --sysroot "$r" $cmd
			s=$(cat "$out/s")
			case $s in
			0|5)
				# --get does not read possible or online, nor
				# a dry run of --set the mask; a large regular
				# mask file is still a mask file
				[ "$file" != "$MASK" ] && [ "$cmd" = "--get" ] ||
				{ [ "$file" = "$MASK" ] && [ "$cmd" = "--dry-run --set 2" ]; } ||
				{ [ "$kind" = huge ] && [ "$cmd" = "--set 2" ]; }
				ok $? "$what: exit $s" ;;
			3)
				# a mask that is not there: no kernel support
				[ "$file" = "$MASK" ] && [ "${kind%link}" != "$kind" ] &&
					grep -q 'kernel support:  no\|CONFIG_BLOCK_INTERF' "$out/o" "$out/e"
				ok $? "$what: exit 3, no support" ;;
			124|137) ok 1 "$what: hung (timeout)" ;;
			*)	# proc/ gone with a link: the dry run first says it plans only
				sed -i '/no block_interf_cpumask: a plan only/d' "$out/e"
				one_error_line "$what: exit $s" ;;
			esac
			[ "$(outside_sum)" = "$clean_outside" ]
			ok $? "$what: nothing outside the root changed"
			# (a proc/ link took the mask away with it)
			if [ "$file" != "$MASK" ] && [ "$file/$kind" != proc/interrupts/dirlink ]; then
				[ "$(mask_sum "$r")" = "$before" ]
				ok $? "$what: the mask file is unchanged"
			fi
			rm -rf "$r"
		done
	done
done

# Messages that say what is wrong
r=$(root small)
make_hostile "$r" "$MASK" fifo
bi_admin --sysroot "$r" --set 2
grep -q 'not a regular file' "$out/e"; ok $? "a FIFO mask is 'not a regular file' ($(cat "$out/e"))"
status_is 1 "a FIFO mask: exit 1"
r=$(root small)
make_hostile "$r" "$MASK" directory
bi_admin --sysroot "$r" --set 2
! grep -q 'kernel refused' "$out/e" && grep -q 'Is a directory' "$out/e"
ok $? "a directory mask is not 'the kernel refused' ($(cat "$out/e"))"
status_is 1 "a directory mask: exit 1"
r=$(root small)
make_hostile "$r" "$POSSIBLE" huge
bi_admin --sysroot "$r" --set 2
grep -q 'File too large' "$out/e"; ok $? "an oversized possible file: File too large ($(cat "$out/e"))"

# Links that stay inside the root still work (openat2 resolves them
# there); an absolute one means the root's own path.  Under valgrind,
# which lacks openat2, the library walks the path and refuses links.
if [ -n "$WRAP" ]; then
	skip "links inside the root: valgrind has no openat2 (the fallback refuses links)"
else
	r=$(root small)
	rm "$r/$ONLINE"
	ln -s possible "$r/$ONLINE"
	bi_admin --sysroot "$r" --set 2
	status_is 0 "a relative link inside the root is followed"
	r=$(root small)
	printf '1\n' >"$r/$MASK"
	mv "$r/$MASK" "$r/mask"
	ln -s /mask "$r/$MASK"
	bi_admin --sysroot "$r" --get
	status_is 0 "an absolute link is read inside the root"
	[ "$(cat "$out/o")" = 1 ]; ok $? "and gives the root's own file"
	bi_admin --sysroot "$r" --set 2-3
	status_is 1 "the mask is not written through a link"
	grep -q 'not a regular file' "$out/e"; ok $? "and the error says why ($(cat "$out/e"))"
	[ "$(cat "$r/mask")" = 1 ] && [ -L "$r/$MASK" ]; ok $? "link and file are left as they were"
fi

# Unreadable parts: exit 1 with the file's name, not 3 or 4.
if [ "$(id -u)" -eq 0 ] && [ -n "${SETPRIV:-}" ]; then
	noread="$SETPRIV --bounding-set=-dac_override,-dac_read_search --"
elif [ "$(id -u)" -ne 0 ]; then
	noread=""
else
	noread=none
fi
if [ "$noread" = none ]; then
	skip "setpriv(1) missing: cannot drop CAP_DAC_OVERRIDE"
else
	r=$(root small)
	chmod 000 "$r/proc/sys"
	timeout "$BI_TIMEOUT" $noread $WRAP "$BI" --sysroot "$r" >"$out/o" 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 1 "an unreadable sysroot directory: exit 1, not 3"
	grep -q 'Permission denied' "$out/e"; ok $? "and says Permission denied ($(cat "$out/e"))"
	chmod 755 "$r/proc/sys"
	chmod 000 "$r/$POSSIBLE"
	timeout "$BI_TIMEOUT" $noread $WRAP "$BI" --sysroot "$r" --dry-run --set 1 >"$out/o" 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 1 "EACCES on possible: exit 1, not 4"
	grep -q "$POSSIBLE: Permission denied" "$out/e"; ok $? "and names the file ($(cat "$out/e"))"
fi

# A read-only smp_affinity_list (or smp_affinity, without the list)
# means "the kernel will not move it": that must be the root's own
# file, not one a link points at outside (tests/test-irqdir has more).
r=$(root x86-server)
printf '0-7\n' >"$outside/ro"
chmod 444 "$outside/ro"
rm -f "$r/proc/irq/41/smp_affinity" "$r/proc/irq/41/smp_affinity_list"
ln -s "$outside/ro" "$r/proc/irq/41/smp_affinity"
ln -s "$outside/ro" "$r/proc/irq/41/smp_affinity_list"
bi --sysroot "$r" --dry-run --set 2-3 --raw -o IRQ,HINT,AFFINITY
grep '^41 ' "$out/o" | grep -qv managed
ok $? "smp_affinity and smp_affinity_list linked out of the root do not make IRQ 41 fixed ($(grep '^41 ' "$out/o"))"
rm -f "$outside/ro"

# --- the mask file replaced: its owner and mode kept, a fresh temp name
if [ "$(id -u)" -eq 0 ]; then
	r=$(root small)
	chown 1234:5678 "$r/$MASK"; chmod 0640 "$r/$MASK"
	bi_admin --sysroot "$r" --set 2
	status_is 0 "--set on a mask file of another owner: exit 0"
	[ "$(stat -c '%u:%g %a' "$r/$MASK")" = "1234:5678 640" ]
	ok $? "its owner and mode are kept ($(stat -c '%u:%g %a' "$r/$MASK"))"
else
	skip "chown needs root"
fi
# in a PID namespace every run is PID 1 or so: a name made of the PID
# collides with what a run in another namespace left or is writing
if unshare -pf $admin true 2>/dev/null; then
	r=$(root small)
	for pid in 1 2 3 4 5; do
		: >"$r/proc/sys/kernel/.blockinterf.$pid"
	done
	timeout "$BI_TIMEOUT" unshare -pf $admin $WRAP "$BI" --sysroot "$r" --set 2 \
		>"$out/o" 2>"$out/e"
	echo $? >"$out/s"; vg_clean
	status_is 0 "--set in a PID namespace beside another's temp files: exit 0"
	[ "$(cat "$r/$MASK")" = 2 ]; ok $? "and wrote 2"
	[ "$(ls -A "$r/proc/sys/kernel" | grep -c '^\.blockinterf')" = 5 ]
	ok $? "and left the others' files alone, and none of its own"
else
	skip "no PID namespace here"
fi

tap_done
