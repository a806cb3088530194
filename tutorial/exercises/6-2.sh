#!/bin/sh
# Exercise 6.2: chain stops itself after 10 runs, counting in the per-CPU array.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/limits.bpf.c" ] || broken "no $DIR/progs/limits.bpf.c"
build_bpf "$DIR/progs/limits.bpf.c" "$WORK/limits.bpf.o"
build_user "$DIR/progs/limits.c" "$WORK/limits"
out=$(timeout 30 "$WORK/limits" tailcalls 2>&1)
line=$(echo "$out" | grep '^chain tail-calls itself')
case "$line" in
*"ran 10 times"*"returned 0 time"*) done_ "$line" ;;
*"ran 10 times"*) not_yet "10 runs, but a tail call returned: $line
Stop by not calling bpf_tail_call at all once the count is reached." ;;
*"ran 34 times"*) not_yet "the kernel still stops the chain (34 runs). Read counters[0] (this run's
count, on this CPU) in chain and return before the tail call when it reaches 10." ;;
*) not_yet "chain: ${line:-no line}. limits printed:
$out" ;;
esac
