#!/bin/sh
# hardening-valgrind.sh [TEST-PREFIX...]: valgrind over a dynamic build ($B, made by
# `make check-valgrind`), three ways:
#
#   1. the test runner on the loader's tests (the prefixes given): every test child
#      is checked when it exits, and a leak or a bad read turns it into a FAIL;
#   2. `rawbpf load` on every object built (maps and programs really created in the
#      kernel, then released), which must leave no fd open but 0, 1 and 2;
#   3. each lesson (progs/NAME) with --trigger until SIGINT, the same checks.
#
# valgrind cannot see inside a static binary's malloc, hence the dynamic build.
# Exit status 0 when all is clean; each problem is named on stderr.
#
# The script runs in a mount namespace of its own with a fresh bpffs on /sys/fs/bpf,
# as the runner does (tests/guard.c): an object that pins a map by name
# (tests/bpf/elf_events.bpf.o's rbpf_test_pinned), loaded by `rawbpf load` in step 2,
# would otherwise leave that pin in the machine's bpffs.  "/" is made a slave of the
# machine's mounts, or /sys where "/" is no mount point (a chroot).
set -u
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.." || exit 2
if [ -z "${RBPF_VG_PRIVATE:-}" ] && [ "$(id -u)" = 0 ]; then
	RBPF_VG_PRIVATE=1 exec unshare -m --propagation unchanged "$self" "$@"
fi
if [ -n "${RBPF_VG_PRIVATE:-}" ]; then
	{ mount --make-rslave / || mount --make-rslave /sys; } 2>/dev/null &&
		mount -t bpf bpf /sys/fs/bpf ||
		{ echo "hardening-valgrind: no private bpffs" >&2; exit 2; }
fi
B=${B:-build-vg}
VG=${VG:-valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --track-fds=yes --error-exitcode=1}
VG="$VG --suppressions=tests/hardening-valgrind.supp"
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT
bad=0

# Valgrind's own status (99), or an fd other than 0-2 open at exit: a problem.
vg_check() {  # vg_check WHAT STATUS
	if [ "$2" = 99 ]; then
		echo "valgrind: $1: memory errors or leaks:" >&2; cat "$log" >&2; bad=1
	elif awk '/Open (file descriptor|AF_)/ { fd = $0; getline; if ($0 !~ /inherited/) n++ }
		  END { exit n == 0 }' "$log"; then
		echo "valgrind: $1: fds left open at exit:" >&2; cat "$log" >&2; bad=1
	else
		echo "valgrind clean: $1"
	fi
}

# 1. the loader's tests
[ $# -gt 0 ] || set -- sys_ load_ elf_ obj_ hard_ badinput_
if ! $VG --track-fds=no "$B/tests/runner" "$@"; then
	echo "valgrind: the runner failed (see the FAIL lines above)" >&2
	bad=1
fi

# 2. rawbpf load on every object (refusals are fine: the verifier says no on purpose)
for obj in "$B"/tests/bpf/*.bpf.o "$B"/progs/*.bpf.o; do
	[ -e "$obj" ] || continue
	$VG --error-exitcode=99 --log-file="$log" "$B/rawbpf" load "$obj" >/dev/null 2>&1
	vg_check "rawbpf load $obj" $?
done

# 3. each lesson, stopped by SIGINT after 3 s of events.  valgrind passes the signal
# on; the lesson detaches and exits as it would for Ctrl-C.  The lessons that read the
# one top-level trace_pipe take turns with other copies of the suite on the machine
# (tests/guard.c's queue: a lock file, held here while such a lesson runs).
lock=/dev/shm/rawbpf-trace_pipe.lock
[ -w /dev/shm ] || lock=/tmp/rawbpf-trace_pipe.lock
exec 8>>"$lock"
for prog in "$B"/progs/*; do
	case "$prog" in *.bpf.o|*.lst) continue ;; esac
	[ -x "$prog" ] || continue
	case "$(basename "$prog")" in hello|hello_func|hello_tail) flock -w 300 8 ;; esac
	$VG --error-exitcode=99 --log-file="$log" "$prog" --trigger >/dev/null 2>&1 &
	pid=$!
	sleep 3
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	if [ "$st" = 2 ]; then      # no --trigger: a lesson that runs to its end
		timeout 120 $VG --error-exitcode=99 --log-file="$log" "$prog" >/dev/null 2>&1
		vg_check "$(basename "$prog") (to its end)" $?
	else
		vg_check "$(basename "$prog") --trigger, then SIGINT" "$st"
	fi
	flock -u 8
done
exit $bad
