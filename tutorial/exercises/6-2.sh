#!/bin/sh
# Exercise 6.2: chain stops itself after 10 runs, counting in the per-CPU array.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/limits.bpf.c" ] || broken "no $DIR/progs/limits.bpf.c"
where="The limits, run: \`progs/limits\`"
build_bpf "$DIR/progs/limits.bpf.c" "$WORK/limits.bpf.o"
build_user "$DIR/progs/limits.c" "$WORK/limits"
out=$(timeout 30 "$WORK/limits" tailcalls 2>&1)
keep "$out"
line=$(echo "$out" | grep '^chain tail-calls itself')
runs=$(echo "$line" | sed -n 's/.*ran \([0-9]*\) times.*/\1/p')
case "$runs:$line" in
10:*"no tail call returned"*) done_ "$line" ;;
10:*)
	not_yet "a chain that stops by not calling bpf_tail_call (return before it once the count is 10)" \
		"10 runs, but $(echo "$line" | sed 's/.*; //'): the chain stopped on a failed tail call" "$where" ;;
34:*)
	not_yet "chain returning before its tail call once counters[0] (its runs on this CPU) reaches 10" \
		"ran 34 times: the kernel still stops the chain" "$where" ;;
9:* | 11:*)
	not_yet "exactly 10 runs: bump(0, 1) counts this run before your test, so compare the count with 10 after it" \
		"ran $runs times, one off" "$where" ;;
:*)
	not_yet "a line \"chain tail-calls itself: ...\" from limits tailcalls" "$(echo "$out" | head -1)" "$where" ;;
*)
	not_yet "10 runs" "ran $runs times (is the count read from counters, slot 0?)" "$where" ;;
esac
